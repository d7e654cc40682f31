/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "story-place-list.h"
#include "story-tile-source.h"
#include "story-tour.h"
#include "story-window.h"

G_BEGIN_DECLS

/* The window's state, shared by the files that make up the class:
 * story-window.c (documents, state), story-window-maps.c (base maps),
 * story-window-presentation.c (presentation mode and tour). */
struct _StoryWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwHeaderBar         *header_bar;
  GtkPaned             *paned;
  GtkStack             *left_stack;
  GtkStack             *pane_stack;
  GtkStackSwitcher     *pane_switcher;
  GtkMenuButton        *menu_button;
  GMenuModel           *primary_menu;
  GtkLabel             *presentation_number;
  GtkLabel             *presentation_text;
  StoryPlaceList       *place_list;
  StoryArticleView     *article_view;
  StoryMapView         *map_view;

  GSettings            *settings;
  StorySelection       *selection;
  StoryTileSource      *tile_source;
  StoryTour            *tour;
  GCancellable         *load_cancellable;
  GFile                *loading_file;
  GtkEventController   *presentation_keys;
  GtkWindow            *help_overlay;
  guint                 loading;
  double                location_lat;
  double                location_lon;
  guint                 location_pending : 1;
  guint                 mbtiles_shown : 1;
  guint                 presenting : 1;
  guint                 was_fullscreen : 1;
};

void _story_window_show_error          (StoryWindow    *self,
                                        const char     *heading,
                                        const char     *body);
void _story_window_show_toast          (StoryWindow    *self,
                                        const char     *text,
                                        guint           timeout);
void _story_window_class_init_maps     (GtkWidgetClass *widget_class);
void _story_window_setup_base_map      (StoryWindow    *self);
void _story_window_init_maps           (StoryWindow    *self);
void _story_window_update_online       (StoryWindow    *self);
void _story_window_class_init_presentation (GtkWidgetClass *widget_class);
void _story_window_init_presentation   (StoryWindow    *self);
void _story_window_update_presentation (StoryWindow    *self);

G_END_DECLS
