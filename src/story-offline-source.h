/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <shumate/shumate.h>

#include "story-basemap.h"

G_BEGIN_DECLS

#define STORY_OFFLINE_SOURCE_ID       "story-offline"
#define STORY_OFFLINE_SOURCE_MIN_ZOOM 0
#define STORY_OFFLINE_SOURCE_MAX_ZOOM 14
#define STORY_OFFLINE_SOURCE_TILE_SIZE 256

#define STORY_TYPE_OFFLINE_SOURCE (story_offline_source_get_type ())

G_DECLARE_FINAL_TYPE (StoryOfflineSource, story_offline_source, STORY, OFFLINE_SOURCE, ShumateDataSource)

StoryOfflineSource *story_offline_source_new             (StoryBasemap       *basemap);
void                story_offline_source_set_language    (StoryOfflineSource *self,
                                                          const char         *language);
void                story_offline_source_set_cache_size  (StoryOfflineSource *self,
                                                          guint               n_tiles);
cairo_surface_t    *story_offline_source_draw_tile       (StoryOfflineSource *self,
                                                          int                 x,
                                                          int                 y,
                                                          int                 zoom);
GBytes             *story_offline_source_render_tile     (StoryOfflineSource *self,
                                                          int                 x,
                                                          int                 y,
                                                          int                 zoom,
                                                          GError            **error);

G_END_DECLS
