/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "story-offline-map.h"

G_BEGIN_DECLS

#define STORY_TYPE_OFFLINE_MAP_LAYER (story_offline_map_layer_get_type ())

G_DECLARE_FINAL_TYPE (StoryOfflineMapLayer, story_offline_map_layer, STORY, OFFLINE_MAP_LAYER, ShumateLayer)

StoryOfflineMapLayer *story_offline_map_layer_new         (StoryOfflineMap      *map,
                                                           ShumateViewport      *viewport);
guint                 story_offline_map_layer_get_n_drawn (StoryOfflineMapLayer *self);

G_END_DECLS
