/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "story-selection.h"

G_BEGIN_DECLS

#define STORY_TYPE_PLACE_LIST (story_place_list_get_type ())

G_DECLARE_FINAL_TYPE (StoryPlaceList, story_place_list, STORY, PLACE_LIST, GtkWidget)

GtkWidget  *story_place_list_new             (void);
void        story_place_list_set_selection   (StoryPlaceList *self,
                                              StorySelection *selection);
void        story_place_list_set_search_text (StoryPlaceList *self,
                                              const char     *text);
GtkWidget  *story_place_list_get_row         (StoryPlaceList *self,
                                              StoryPlace     *place);
guint       story_place_list_get_n_visible   (StoryPlaceList *self);
gboolean    story_place_list_focus           (StoryPlaceList *self);
char       *story_place_list_describe        (StoryPlace     *place);

G_END_DECLS
