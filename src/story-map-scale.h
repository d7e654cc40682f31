/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

G_BEGIN_DECLS

#define STORY_TYPE_MAP_SCALE (story_map_scale_get_type ())

G_DECLARE_FINAL_TYPE (StoryMapScale, story_map_scale, STORY, MAP_SCALE, GtkWidget)

GtkWidget  *story_map_scale_new            (ShumateViewport *viewport);
const char *story_map_scale_get_metric     (StoryMapScale   *self);
const char *story_map_scale_get_imperial   (StoryMapScale   *self);
int         story_map_scale_get_bar_width  (StoryMapScale   *self,
                                            gboolean         metric);

G_END_DECLS
