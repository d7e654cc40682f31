/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "story-place-list.h"
#include "story-tile-source.h"
#include "story-tour.h"
#include "story-window.h"

G_BEGIN_DECLS

/* Story files, as the recent files list records them. */
#define STORY_MIME_TYPE          "application/vnd.storymap+json"
#define STORY_RECENT_APPLICATION "Story Map"

/* The window's state, shared by the files that make up the class:
 * story-window.c (documents, state), story-window-maps.c (base maps),
 * story-window-presentation.c (presentation mode and tour),
 * story-window-actions.c (actions and keys). */
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
  GtkButton            *tour_button;
  GMenuModel           *primary_menu;
  GMenu                *story_section;
  GMenu                *recent_menu;
  GtkLabel             *presentation_number;
  GtkLabel             *presentation_text;
  StoryPlaceList       *place_list;
  StoryArticleView     *article_view;
  StoryMapView         *map_view;
  GtkStack             *content_stack;
  AdwStatusPage        *error_page;
  GtkExpander          *error_expander;
  GtkLabel             *error_details;
  GtkButton            *error_sample_button;

  GSettings            *settings;
  StorySelection       *selection;
  StoryTileSource      *tile_source;
  StoryTour            *tour;
  GCancellable         *load_cancellable;
  GFile                *loading_file;
  GtkEventController   *presentation_keys;
  GtkScrolledWindow    *presentation_scroller;
  GtkRevealer          *presentation_toolbar;
  guint                 presentation_toolbar_timeout;
  guint                 presentation_fit_idle;
  double                presentation_text_scale;
  GSignalGroup         *selection_signals;
  GSignalGroup         *tour_signals;
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
gboolean _story_window_export_map      (StoryWindow    *self,
                                        const char     *path,
                                        int             scale);
void _story_window_print_action        (GtkWidget      *widget,
                                        const char     *action_name,
                                        GVariant       *parameter);
void _story_window_export_map_action   (GtkWidget      *widget,
                                        const char     *action_name,
                                        GVariant       *parameter);
void _story_window_open_mbtiles_action (GtkWidget      *widget,
                                        const char     *action_name,
                                        GVariant       *parameter);
void _story_window_setup_base_map      (StoryWindow    *self);
void _story_window_init_maps           (StoryWindow    *self);
void _story_window_update_online       (StoryWindow    *self);
void _story_window_init_presentation   (StoryWindow    *self);
void _story_window_update_presentation (StoryWindow    *self);
void _story_window_class_init_actions  (GtkWidgetClass *widget_class);
void _story_window_actions_init        (StoryWindow    *self);
void _story_window_actions_update      (StoryWindow    *self);
void _story_window_follow_recent       (StoryWindow    *self);

G_END_DECLS
