/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "story-selection.h"

G_BEGIN_DECLS

#define STORY_TYPE_ARTICLE_VIEW (story_article_view_get_type ())

G_DECLARE_FINAL_TYPE (StoryArticleView, story_article_view, STORY, ARTICLE_VIEW, GtkWidget)

GtkWidget      *story_article_view_new           (void);
StorySelection *story_article_view_get_selection (StoryArticleView *self);
void            story_article_view_set_selection (StoryArticleView *self,
                                                  StorySelection   *selection);
GtkWidget      *story_article_view_get_row       (StoryArticleView *self,
                                                  guint             paragraph);
GtkLabel       *story_article_view_get_row_label (StoryArticleView *self,
                                                  guint             paragraph);
GtkAdjustment  *story_article_view_get_vadjustment (StoryArticleView *self);
void            story_article_view_scroll_to_paragraph (StoryArticleView *self,
                                                        guint             paragraph);
void            story_article_view_activate_paragraph (StoryArticleView *self,
                                                       guint             paragraph);
gboolean        story_article_view_focus         (StoryArticleView *self);
char           *story_article_view_format_paragraph (StoryDocument  *document,
                                                     guint           paragraph,
                                                     StoryPlace     *highlight);
char           *story_article_view_format_date   (const char       *date);

G_END_DECLS
