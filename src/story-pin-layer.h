/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "story-place.h"

G_BEGIN_DECLS

#define STORY_TYPE_PIN_LAYER (story_pin_layer_get_type ())

G_DECLARE_FINAL_TYPE (StoryPinLayer, story_pin_layer, STORY, PIN_LAYER, ShumateLayer)

StoryPinLayer *story_pin_layer_new            (ShumateViewport *viewport);
void           story_pin_layer_set_places     (StoryPinLayer   *self,
                                               GListModel      *places);
void           story_pin_layer_set_state      (StoryPinLayer   *self,
                                               StoryPlace      *selected,
                                               GPtrArray       *highlighted);
StoryPlace    *story_pin_layer_get_place_at   (StoryPinLayer   *self,
                                               double           x,
                                               double           y);
gboolean       story_pin_layer_get_pin_point  (StoryPinLayer   *self,
                                               StoryPlace      *place,
                                               double          *x,
                                               double          *y);
guint          story_pin_layer_get_n_places   (StoryPinLayer   *self);
guint          story_pin_layer_get_n_drawn    (StoryPinLayer   *self);

G_END_DECLS
