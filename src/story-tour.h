/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "story-selection.h"

G_BEGIN_DECLS

#define STORY_TYPE_TOUR (story_tour_get_type ())

G_DECLARE_FINAL_TYPE (StoryTour, story_tour, STORY, TOUR, GObject)

StoryTour *story_tour_new                 (StorySelection *selection);
gboolean   story_tour_get_playing         (StoryTour      *self);
gboolean   story_tour_get_started         (StoryTour      *self);
void       story_tour_play                (StoryTour      *self);
void       story_tour_pause               (StoryTour      *self);
void       story_tour_stop                (StoryTour      *self);
void       story_tour_toggle              (StoryTour      *self);
guint      story_tour_get_delay           (StoryTour      *self);
void       story_tour_set_delay           (StoryTour      *self,
                                           guint           delay_ms);
guint      story_tour_get_paragraph_delay (StoryTour      *self,
                                           guint           paragraph);

G_END_DECLS
