/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "story-map-view.h"

G_BEGIN_DECLS

GdkTexture              *story_map_view_render       (StoryMapView             *self,
                                                      int                       scale);
gboolean                 story_map_view_export_png   (StoryMapView             *self,
                                                      const char               *path,
                                                      int                       scale,
                                                      GError                  **error);
char                    *story_map_view_dup_credit   (StoryMapView             *self);
void                     story_print_draw_badge      (cairo_t                  *cr,
                                                      double                    x,
                                                      double                    y,
                                                      const char               *number);
GtkPrintOperationResult  story_print_handout         (GtkWindow                *parent,
                                                      StoryDocument            *document,
                                                      StoryMapView             *map_view,
                                                      GtkPrintOperationAction   action,
                                                      const char               *export_path,
                                                      GError                  **error);

G_END_DECLS
