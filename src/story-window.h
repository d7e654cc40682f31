/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "story-article-view.h"
#include "story-map-view.h"
#include "story-selection.h"
#include "story-tour.h"

G_BEGIN_DECLS

#define STORY_TYPE_WINDOW (story_window_get_type ())

G_DECLARE_FINAL_TYPE (StoryWindow, story_window, STORY, WINDOW, AdwApplicationWindow)

StoryWindow      *story_window_new               (GtkApplication *application);
StorySelection   *story_window_get_selection     (StoryWindow    *self);
StoryDocument    *story_window_get_document      (StoryWindow    *self);
void              story_window_set_document      (StoryWindow    *self,
                                                  StoryDocument  *document);
void              story_window_open              (StoryWindow    *self,
                                                  GFile          *file);
void              story_window_open_bundled      (StoryWindow    *self);
void              story_window_open_last         (StoryWindow    *self);
void              story_window_show_location     (StoryWindow    *self,
                                                  double          lat,
                                                  double          lon);
gboolean          story_window_show_geo_uri      (StoryWindow    *self,
                                                  const char     *uri);
gboolean          story_window_open_mbtiles      (StoryWindow    *self,
                                                  const char     *path,
                                                  GError        **error);
void              story_window_use_builtin_map   (StoryWindow    *self);
void              story_window_set_tile_url      (StoryWindow    *self,
                                                  const char     *tile_url);
void              story_window_set_mbtiles_file  (StoryWindow    *self,
                                                  const char     *path);
StoryArticleView *story_window_get_article_view  (StoryWindow    *self);
StoryMapView     *story_window_get_map_view      (StoryWindow    *self);
gboolean          story_window_is_loading        (StoryWindow    *self);
gboolean          story_window_get_presenting    (StoryWindow    *self);
void              story_window_set_presenting    (StoryWindow    *self,
                                                  gboolean        presenting);
StoryTour        *story_window_get_tour          (StoryWindow    *self);

G_END_DECLS
