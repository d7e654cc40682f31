/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "story-document.h"

G_BEGIN_DECLS

/* What the map should follow after a change of selection. */
typedef enum
{
  STORY_FOCUS_NONE,
  STORY_FOCUS_PARAGRAPH,   /* show every place the paragraph names */
  STORY_FOCUS_PLACE,       /* show the selected place */
} StoryFocus;

#define STORY_TYPE_SELECTION (story_selection_get_type ())

G_DECLARE_FINAL_TYPE (StorySelection, story_selection, STORY, SELECTION, GObject)

StorySelection *story_selection_new              (void);
StoryDocument  *story_selection_get_document     (StorySelection *self);
void            story_selection_set_document     (StorySelection *self,
                                                  StoryDocument  *document);
guint           story_selection_get_paragraph    (StorySelection *self);
StoryPlace     *story_selection_get_place        (StorySelection *self);
StoryPlace     *story_selection_get_previous_place (StorySelection *self);
StoryFocus      story_selection_get_focus        (StorySelection *self);
void            story_selection_select_paragraph (StorySelection *self,
                                                  guint           paragraph);
void            story_selection_activate_place   (StorySelection *self,
                                                  StoryPlace     *place);
void            story_selection_select_mention   (StorySelection *self,
                                                  guint           paragraph,
                                                  StoryPlace     *place);
gboolean        story_selection_step             (StorySelection *self,
                                                  int             delta);

G_END_DECLS
