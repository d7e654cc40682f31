/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STORY_TYPE_PARAGRAPH_ROW (story_paragraph_row_get_type ())

G_DECLARE_FINAL_TYPE (StoryParagraphRow, story_paragraph_row, STORY, PARAGRAPH_ROW, GtkWidget)

GtkWidget *story_paragraph_row_new              (void);
GtkLabel  *story_paragraph_row_get_number_label (StoryParagraphRow *self);
GtkLabel  *story_paragraph_row_get_text_label   (StoryParagraphRow *self);
void       story_paragraph_row_set_paragraph    (StoryParagraphRow *self,
                                                 guint              paragraph);
guint      story_paragraph_row_get_paragraph    (StoryParagraphRow *self);
void       story_paragraph_row_set_pending      (StoryParagraphRow *self,
                                                 guint              n_chars);
gboolean   story_paragraph_row_get_pending      (StoryParagraphRow *self);
void       story_paragraph_row_set_markup       (StoryParagraphRow *self,
                                                 const char        *markup);
void       story_paragraph_row_set_language     (StoryParagraphRow *self,
                                                 const char        *language);

void       story_label_set_direction_from_text  (GtkLabel          *label);
void       story_label_set_story_text           (GtkLabel          *label,
                                                 const char        *text);

G_END_DECLS
