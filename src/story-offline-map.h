/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "story-offline-source.h"

G_BEGIN_DECLS

#define STORY_TYPE_OFFLINE_MAP (story_offline_map_get_type ())

G_DECLARE_FINAL_TYPE (StoryOfflineMap, story_offline_map, STORY, OFFLINE_MAP, ShumateMapSource)

StoryOfflineMap    *story_offline_map_new          (StoryOfflineSource *source);
StoryOfflineMap    *story_offline_map_new_bundled  (void);
void                story_offline_map_set_viewport (StoryOfflineMap    *self,
                                                    ShumateViewport    *viewport);
void                story_offline_map_prefetch     (StoryOfflineMap    *self,
                                                    double              lat,
                                                    double              lon,
                                                    double              zoom,
                                                    int                 width,
                                                    int                 height);
void                story_offline_map_finish_prefetch (StoryOfflineMap *self);
guint               story_offline_map_get_n_pending (StoryOfflineMap   *self);
GdkTexture         *story_offline_map_lookup_drawn (StoryOfflineMap    *self,
                                                    int                 x,
                                                    int                 y,
                                                    int                 zoom);
void                story_offline_map_stop_drawing (void);
void                story_offline_map_set_marked_places (StoryOfflineMap *self,
                                                         GListModel      *places);
int                 story_offline_map_get_deepest_zoom (StoryOfflineMap   *self,
                                                        const StoryBounds *bounds);

G_END_DECLS
