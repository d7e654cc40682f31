/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

/* The OpenStreetMap standard tile layer. */
#define STORY_TILE_SOURCE_OSM_URL "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

/* A tile body larger than this is refused without being read further. */
#define STORY_TILE_SOURCE_MAX_TILE_SIZE (1024 * 1024)

/* Every tile is an image of this many pixels square, as on OpenStreetMap's
 * servers; any other size is refused before it is decoded or cached. */
#define STORY_TILE_SOURCE_TILE_SIZE 256

/* At most this many requests are on the wire at once (the OSM tile usage
 * policy asks for no more than two). */
#define STORY_TILE_SOURCE_MAX_CONNECTIONS 2

#define STORY_TILE_SOURCE_ERROR (story_tile_source_error_quark ())

typedef enum
{
  STORY_TILE_SOURCE_ERROR_INVALID_URL,
  STORY_TILE_SOURCE_ERROR_INVALID_TILE,
  STORY_TILE_SOURCE_ERROR_NETWORK,
  STORY_TILE_SOURCE_ERROR_TIMEOUT,
  STORY_TILE_SOURCE_ERROR_NOT_FOUND,
  STORY_TILE_SOURCE_ERROR_HTTP,
  STORY_TILE_SOURCE_ERROR_BACKING_OFF,
  STORY_TILE_SOURCE_ERROR_TOO_LARGE,
  STORY_TILE_SOURCE_ERROR_INVALID_DATA,
  STORY_TILE_SOURCE_ERROR_NO_NETWORK,
  STORY_TILE_SOURCE_ERROR_METERED,
} StoryTileSourceError;

GQuark story_tile_source_error_quark (void);

#define STORY_TYPE_TILE_SOURCE (story_tile_source_get_type ())

G_DECLARE_FINAL_TYPE (StoryTileSource, story_tile_source, STORY, TILE_SOURCE, ShumateDataSource)

StoryTileSource  *story_tile_source_new              (const char      *url_template,
                                                      const char      *cache_dir);
const char       *story_tile_source_get_url_template (StoryTileSource *self);
const char       *story_tile_source_get_cache_dir    (StoryTileSource *self);
void              story_tile_source_set_timeout      (StoryTileSource *self,
                                                      guint            seconds);
gboolean          story_tile_source_get_offline      (StoryTileSource *self);
gboolean          story_tile_source_get_network_available (StoryTileSource *self);
void              story_tile_source_set_network_available (StoryTileSource *self,
                                                           gboolean         available);
gboolean          story_tile_source_get_network_metered (StoryTileSource *self);
void              story_tile_source_set_network_metered (StoryTileSource *self,
                                                         gboolean         metered);
gboolean          story_tile_source_get_download_on_metered (StoryTileSource *self);
void              story_tile_source_set_download_on_metered (StoryTileSource *self,
                                                             gboolean         allowed);
gboolean          story_tile_source_get_metered_paused (StoryTileSource *self);
void              story_tile_source_follow_network_monitor (StoryTileSource *self,
                                                            GNetworkMonitor *monitor);
ShumateMapSource *story_tile_source_new_map_source   (StoryTileSource *self);

G_END_DECLS
