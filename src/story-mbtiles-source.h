/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "story-place.h"

G_BEGIN_DECLS

/* Limits on what an MBTiles file may hold. */
#define STORY_MBTILES_MAX_ZOOM           22
#define STORY_MBTILES_MAX_TILE_SIZE      (2 * 1024 * 1024)
/* Tiles are 256 pixels square, or 512 in a high-resolution ("@2x") file:
 * one whose "tilesize" metadata says 512 or, without it, whose first tile
 * measures 512. A tile of any other size is refused before decoding. */
#define STORY_MBTILES_TILE_SIZE          256
#define STORY_MBTILES_TILE_SIZE_2X       512
#define STORY_MBTILES_MAX_METADATA_VALUE (64 * 1024)
/* Characters of the attribution shown on the map; more are cut with "…". */
#define STORY_MBTILES_MAX_ATTRIBUTION    256
/* Seconds one query may run: "tiles" may be a view, and a view can be any
 * SQL, even one that never ends. */
#define STORY_MBTILES_MAX_QUERY_TIME     3

#define STORY_MBTILES_ERROR (story_mbtiles_error_quark ())

/* A tile that simply is not in the file (no row, or a zoom level outside
 * the file's range) is reported as G_IO_ERROR_NOT_FOUND instead, so that a
 * layer below can show through. */
typedef enum
{
  STORY_MBTILES_ERROR_NOT_FOUND,
  STORY_MBTILES_ERROR_IO,
  STORY_MBTILES_ERROR_NOT_SQLITE,
  STORY_MBTILES_ERROR_SCHEMA,
  STORY_MBTILES_ERROR_METADATA,
  STORY_MBTILES_ERROR_EMPTY,
  STORY_MBTILES_ERROR_VECTOR,
  STORY_MBTILES_ERROR_FORMAT,
  STORY_MBTILES_ERROR_TILE_TOO_LARGE,
  STORY_MBTILES_ERROR_BAD_TILE,
  STORY_MBTILES_ERROR_TOO_SLOW,
} StoryMbtilesError;

GQuark story_mbtiles_error_quark (void);

#define STORY_TYPE_MBTILES_SOURCE (story_mbtiles_source_get_type ())

G_DECLARE_FINAL_TYPE (StoryMbtilesSource, story_mbtiles_source, STORY, MBTILES_SOURCE, ShumateDataSource)

StoryMbtilesSource *story_mbtiles_source_new             (const char          *path,
                                                          GError             **error);
const char         *story_mbtiles_source_get_path        (StoryMbtilesSource  *self);
const char         *story_mbtiles_source_get_name        (StoryMbtilesSource  *self);
const char         *story_mbtiles_source_get_format      (StoryMbtilesSource  *self);
const char         *story_mbtiles_source_get_attribution (StoryMbtilesSource  *self);
const char         *story_mbtiles_source_get_description (StoryMbtilesSource  *self);
char               *story_mbtiles_source_dup_license     (StoryMbtilesSource  *self);
guint               story_mbtiles_source_get_tile_size   (StoryMbtilesSource  *self);
guint               story_mbtiles_source_get_min_zoom    (StoryMbtilesSource  *self);
guint               story_mbtiles_source_get_max_zoom    (StoryMbtilesSource  *self);
gboolean            story_mbtiles_source_get_bounds      (StoryMbtilesSource  *self,
                                                          StoryBounds         *bounds);
ShumateMapSource   *story_mbtiles_source_new_map_source  (StoryMbtilesSource  *self);

char               *story_mbtiles_display_name           (const char          *path);

G_END_DECLS
