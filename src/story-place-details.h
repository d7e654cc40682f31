/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "story-selection.h"

G_BEGIN_DECLS

#define STORY_TYPE_PLACE_DETAILS (story_place_details_get_type ())

G_DECLARE_FINAL_TYPE (StoryPlaceDetails, story_place_details, STORY, PLACE_DETAILS, GtkWidget)

GtkWidget  *story_place_details_new           (void);
void        story_place_details_set_selection (StoryPlaceDetails *self,
                                               StorySelection    *selection);
StoryPlace *story_place_details_get_place     (StoryPlaceDetails *self);
const char *story_place_details_get_text      (StoryPlaceDetails *self,
                                               const char        *part);
void        story_place_details_close         (StoryPlaceDetails *self);

G_END_DECLS
