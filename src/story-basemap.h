/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "story-place.h"

G_BEGIN_DECLS

#define STORY_BASEMAP_RESOURCE "/io/github/storymap/StoryMap/basemap/basemap.bin"

/* Coordinates are Web Mercator in fixed point: the world is
 * 2^STORY_BASEMAP_WORLD_BITS units wide, x grows east from 180°W and y grows
 * south from 85.0511°N, so a tile at zoom z is 2^(WORLD_BITS - 8 - z) units
 * per pixel. */
#define STORY_BASEMAP_WORLD_BITS 30

#define STORY_BASEMAP_ERROR (story_basemap_error_quark ())

typedef enum
{
  STORY_BASEMAP_ERROR_INVALID,
  STORY_BASEMAP_ERROR_VERSION,
} StoryBasemapError;

/* Keep in step with tools/make-basemap.py. */
typedef enum
{
  STORY_BASEMAP_LAYER_WORLD_LAND,
  STORY_BASEMAP_LAYER_WORLD_BORDER,
  STORY_BASEMAP_LAYER_REGION_LAND,
  STORY_BASEMAP_LAYER_REGION_BORDER,
  STORY_BASEMAP_LAYER_LAKE,
  STORY_BASEMAP_LAYER_RIVER,
  STORY_BASEMAP_LAYER_PROVINCE,
  STORY_BASEMAP_LAYER_PROVINCE_BORDER,
  STORY_BASEMAP_LAYER_DISPUTED,
  STORY_BASEMAP_LAYER_LABEL_COUNTRY,
  STORY_BASEMAP_LAYER_LABEL_PROVINCE,
  STORY_BASEMAP_LAYER_LABEL_CITY,
  STORY_BASEMAP_N_LAYERS
} StoryBasemapLayer;

typedef enum
{
  STORY_BASEMAP_FLAG_CAPITAL     = 1 << 0,
  STORY_BASEMAP_FLAG_DISPUTED    = 1 << 1,
  STORY_BASEMAP_FLAG_REGION_HOLE = 1 << 2, /* already cut out of the region's land */
} StoryBasemapFlags;

#define STORY_BASEMAP_FLAG_RANK(flags) (((flags) >> 4) & 0x3)

typedef enum
{
  STORY_BASEMAP_NAME_DEFAULT,  /* English or international */
  STORY_BASEMAP_NAME_LOCAL,    /* local Latin spelling, when it differs */
  STORY_BASEMAP_NAME_HY,
  STORY_BASEMAP_NAME_RU,
  STORY_BASEMAP_N_NAMES
} StoryBasemapName;

typedef struct
{
  gint32 x0;
  gint32 y0;
  gint32 x1;
  gint32 y1;
} StoryBasemapBox;

/* The records below are read in place from the data. */
typedef struct
{
  guint8          layer;
  guint8          flags;
  guint16         zooms;       /* bit z: shown at zoom z; bit 15: 15 and deeper */
  StoryBasemapBox bbox;
  guint32         first_part;
  guint32         n_parts;
  guint32         names[STORY_BASEMAP_N_NAMES];
  guint32         value;       /* population of a city */
} StoryBasemapFeature;

typedef struct
{
  guint32         first_point;
  guint32         n_points;
  StoryBasemapBox bbox;
} StoryBasemapPart;

/* A point as a fraction of its part's bbox, in 65535ths. */
typedef struct
{
  guint16 x;
  guint16 y;
} StoryBasemapPoint;

#define STORY_TYPE_BASEMAP (story_basemap_get_type ())

G_DECLARE_FINAL_TYPE (StoryBasemap, story_basemap, STORY, BASEMAP, GObject)

GQuark                      story_basemap_error_quark      (void);
StoryBasemap               *story_basemap_new_from_bytes   (GBytes             *bytes,
                                                            GError            **error);
StoryBasemap               *story_basemap_new_from_resource (const char        *path,
                                                             GError           **error);
StoryBasemap               *story_basemap_get_default      (void);
gsize                       story_basemap_get_data_size    (StoryBasemap       *self);
const StoryBasemapFeature  *story_basemap_get_layer        (StoryBasemap       *self,
                                                            StoryBasemapLayer   layer,
                                                            guint              *n_features);
const StoryBasemapPart     *story_basemap_get_parts        (StoryBasemap       *self,
                                                            const StoryBasemapFeature *feature);
const StoryBasemapPoint    *story_basemap_get_points       (StoryBasemap       *self,
                                                            const StoryBasemapPart *part);
const char                 *story_basemap_get_name         (StoryBasemap       *self,
                                                            const StoryBasemapFeature *feature,
                                                            StoryBasemapName    which);
gboolean                    story_basemap_lookup_area      (StoryBasemap       *self,
                                                            const char         *name,
                                                            double              lat,
                                                            double              lon,
                                                            GPtrArray         **rings_out);

void                        story_basemap_project          (double              lat,
                                                            double              lon,
                                                            gint32             *x,
                                                            gint32             *y);
void                        story_basemap_unproject        (double              x,
                                                            double              y,
                                                            double             *lat,
                                                            double             *lon);

G_END_DECLS
