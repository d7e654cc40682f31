/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "story-place.h"

G_BEGIN_DECLS

#define STORY_TYPE_OUTLINE_LAYER (story_outline_layer_get_type ())

G_DECLARE_FINAL_TYPE (StoryOutlineLayer, story_outline_layer, STORY, OUTLINE_LAYER, ShumateLayer)

StoryOutlineLayer *story_outline_layer_new                (ShumateViewport   *viewport);
gboolean           story_outline_layer_has_area           (StoryOutlineLayer *self,
                                                           gconstpointer      key);
void               story_outline_layer_add_area           (StoryOutlineLayer *self,
                                                           gconstpointer      key);
void               story_outline_layer_add_ring           (StoryOutlineLayer *self,
                                                           gconstpointer      key,
                                                           const StoryLatLon *points,
                                                           guint              n_points);
gboolean           story_outline_layer_show_area          (StoryOutlineLayer *self,
                                                           gconstpointer      key);
void               story_outline_layer_hide_all           (StoryOutlineLayer *self);
void               story_outline_layer_remove_all         (StoryOutlineLayer *self);
guint              story_outline_layer_get_n_rings        (StoryOutlineLayer *self,
                                                           gconstpointer      key);
guint              story_outline_layer_get_n_drawn_points (StoryOutlineLayer *self);

G_END_DECLS
