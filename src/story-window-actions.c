/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-window"

#include "config.h"

#include <glib/gi18n.h>

#include "story-text.h"
#include "story-window-private.h"

/*
 * The window's actions and their keys, in one place. Each action is
 * enabled from the state it acts on (the story shown, the current
 * paragraph, presentation mode), and _story_window_actions_update() runs
 * whenever that state changes, so buttons, menu items and keys never
 * offer what cannot be done.
 */

/* Recent stories offered in the main menu, most recent first. */
#define MAX_RECENT_STORIES 10

typedef struct
{
  guint            key;
  GdkModifierType  mods;
  const char      *action;
} StoryKey;

/* Opening stories ------------------------------------------------------------ */

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  StoryWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      story_window_open (self, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StoryWindow *self = STORY_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) stories = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_file_chooser_native_new (_("Open Story"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));

  gtk_file_filter_set_name (stories, _("Stories"));
  gtk_file_filter_add_mime_type (stories, STORY_MIME_TYPE);
  gtk_file_filter_add_mime_type (stories, "application/geo+json");
  gtk_file_filter_add_pattern (stories, "*.geojson");
  gtk_file_filter_add_pattern (stories, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), stories);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  G_GNUC_END_IGNORE_DEPRECATIONS

  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* @parameter is the URI of a story from the Open Recent menu. */
static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  story_window_open (STORY_WINDOW (widget), file);
}

static gint
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GDateTime *ma = gtk_recent_info_get_modified ((GtkRecentInfo *)a);
  GDateTime *mb = gtk_recent_info_get_modified ((GtkRecentInfo *)b);

  /* Most recent first. */
  return g_date_time_compare (mb, ma);
}

static gboolean
is_recent_story (GtkRecentInfo *info)
{
  return g_strcmp0 (gtk_recent_info_get_mime_type (info), STORY_MIME_TYPE) == 0 &&
         gtk_recent_info_has_application (info, STORY_RECENT_APPLICATION) &&
         gtk_recent_info_exists (info);
}

/* A menu label shows underscores as mnemonics: double them. */
static char *
recent_label (GtkRecentInfo *info)
{
  g_autofree char *revealed = story_text_reveal (gtk_recent_info_get_display_name (info));
  g_auto(GStrv) parts = g_strsplit (revealed, "_", -1);

  return g_strjoinv ("__", parts);
}

/* Lists the stories opened lately in the main menu's Open Recent submenu,
 * which is left out while there are none. */
static void
update_recent (StoryWindow *self)
{
  GList *items = NULL;
  GList *stories = NULL;
  guint n = 0;

  /* The list can change while the window is being destroyed. */
  if (self->recent_menu == NULL)
    return;

  items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  for (GList *l = items; l != NULL; l = l->next)
    if (is_recent_story (l->data))
      stories = g_list_prepend (stories, l->data);
  stories = g_list_sort (stories, compare_recent);

  g_menu_remove_all (self->recent_menu);
  for (GList *l = stories; l != NULL && n < MAX_RECENT_STORIES; l = l->next, n++)
    {
      g_autofree char *label = recent_label (l->data);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (gtk_recent_info_get_uri (l->data)));
      g_menu_append_item (self->recent_menu, item);
    }

  /* The submenu follows Open Story, while there is something in it. */
  while (g_menu_model_get_n_items (G_MENU_MODEL (self->story_section)) > 1)
    g_menu_remove (self->story_section, 1);
  if (n > 0)
    g_menu_append_submenu (self->story_section, _("Open _Recent"), G_MENU_MODEL (self->recent_menu));

  g_list_free (stories);
  g_list_free_full (items, (GDestroyNotify)gtk_recent_info_unref);
}

/**
 * _story_window_follow_recent:
 *
 * Keeps the Open Recent submenu up to date from now on. The list of recent
 * files is read only once the main menu is first opened: it can be long,
 * and it is not needed for the window's first frame.
 */
void
_story_window_follow_recent (StoryWindow *self)
{
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (update_recent), self, G_CONNECT_SWAPPED);
  update_recent (self);
}

/* Paragraphs ------------------------------------------------------------------ */

/* Moving by hand takes over from the tour. */
static void
go_to_paragraph (StoryWindow *self,
                 guint        paragraph)
{
  story_tour_pause (self->tour);
  story_selection_select_paragraph (self->selection, paragraph);
}

static void
previous_paragraph_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  StoryWindow *self = STORY_WINDOW (widget);

  story_tour_pause (self->tour);
  story_selection_step (self->selection, -1);
}

static void
next_paragraph_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  StoryWindow *self = STORY_WINDOW (widget);

  story_tour_pause (self->tour);
  story_selection_step (self->selection, 1);
}

static void
first_paragraph_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  go_to_paragraph (STORY_WINDOW (widget), 1);
}

static void
last_paragraph_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  StoryWindow *self = STORY_WINDOW (widget);

  go_to_paragraph (self, story_document_get_n_paragraphs (story_selection_get_document (self->selection)));
}

static void
show_whole_story_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  StoryWindow *self = STORY_WINDOW (widget);

  story_tour_pause (self->tour);
  story_map_view_show_all (self->map_view, TRUE);
}

static void
leave_presentation_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  story_window_set_presenting (STORY_WINDOW (widget), FALSE);
}

/* Maps and help ---------------------------------------------------------------- */

static void
use_builtin_map_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  story_window_use_builtin_map (STORY_WINDOW (widget));
}

/* GTK 4.8 names a key its translations do not cover as X11 spells it
 * ("Page_Up"): the shortcuts window names it as the keyboard does. */
static void
name_keys_as_printed (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_SHORTCUT_LABEL) != NULL)
    {
      const char *text = gtk_label_get_label (GTK_LABEL (widget));

      if (strlen (text) > 1 && strchr (text, '_') != NULL)
        {
          g_autofree char *spaced = g_strdelimit (g_strdup (text), "_", ' ');

          gtk_label_set_label (GTK_LABEL (widget), spaced);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    name_keys_as_printed (child);
}

/* The shortcuts window is built the first time it is asked for, rather
 * than with every window as GtkApplication does for gtk/help-overlay.ui:
 * that took a few milliseconds of each start. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  StoryWindow *self = STORY_WINDOW (widget);

  if (self->help_overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/story-shortcuts.ui");

      self->help_overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_window_set_transient_for (self->help_overlay, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->help_overlay, TRUE);
      name_keys_as_printed (GTK_WIDGET (self->help_overlay));
    }

  gtk_window_present (self->help_overlay);
}

/* Keys --------------------------------------------------------------------- */

/* Space pauses a playing tour and resumes a paused one; in a presentation
 * without a tour it steps forward; otherwise it is the focused widget's. */
static gboolean
on_space (GtkWidget *widget,
          GVariant  *args,
          gpointer   user_data)
{
  StoryWindow *self = STORY_WINDOW (widget);

  if (story_tour_get_started (self->tour))
    {
      story_tour_toggle (self->tour);
      return TRUE;
    }

  return self->presenting &&
         gtk_widget_activate_action (widget, "win.next-paragraph", NULL);
}

/* Keys caught before the focused widget sees them, while @phase is on. */
static GtkEventController *
add_capture_keys (StoryWindow         *self,
                  GtkPropagationPhase  phase,
                  const StoryKey      *keys,
                  guint                n_keys)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  for (guint i = 0; i < n_keys; i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].mods),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_event_controller_set_propagation_phase (controller, phase);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  return controller;
}

static void
add_keys (StoryWindow *self)
{
  /* Page Up/Down step through paragraphs even where a scrolled view would
   * take them: a presenter's clicker sends them. */
  static const StoryKey paragraph_keys[] = {
    { GDK_KEY_Page_Up, 0, "win.previous-paragraph" },
    { GDK_KEY_Page_Down, 0, "win.next-paragraph" },
    { GDK_KEY_Up, GDK_ALT_MASK, "win.previous-paragraph" },
    { GDK_KEY_Down, GDK_ALT_MASK, "win.next-paragraph" },
  };
  /* While presenting, the arrows, Home and End move through the story
   * and Escape leaves; otherwise they belong to the focused widget. */
  static const StoryKey presentation_keys[] = {
    { GDK_KEY_Right, 0, "win.next-paragraph" },
    { GDK_KEY_Down, 0, "win.next-paragraph" },
    { GDK_KEY_Left, 0, "win.previous-paragraph" },
    { GDK_KEY_Up, 0, "win.previous-paragraph" },
    { GDK_KEY_Home, 0, "win.first-paragraph" },
    { GDK_KEY_End, 0, "win.last-paragraph" },
    { GDK_KEY_Escape, 0, "win.leave-presentation" },
  };
  GtkEventController *space = gtk_shortcut_controller_new ();

  add_capture_keys (self, GTK_PHASE_CAPTURE, paragraph_keys, G_N_ELEMENTS (paragraph_keys));
  self->presentation_keys = add_capture_keys (self, GTK_PHASE_NONE, presentation_keys,
                                              G_N_ELEMENTS (presentation_keys));

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (space),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_space, 0),
                                                          gtk_callback_action_new (on_space, NULL, NULL)));
  gtk_event_controller_set_propagation_phase (space, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (GTK_WIDGET (self), space);
}

/* State ---------------------------------------------------------------------- */

/* The tour button says what pressing it will do. */
static void
update_tour_button (StoryWindow *self)
{
  gboolean playing = story_tour_get_playing (self->tour);
  const char *label = playing ? _("Pause Tour") : _("Play Tour");

  gtk_button_set_icon_name (self->tour_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->tour_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tour_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* F6 and Shift+F6: from one pane of the window to the other, as in GNOME
 * applications: the reading pane (the article or the place list, whichever
 * is shown) and the map. */
static void
focus_pane_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StoryWindow *self = STORY_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *map = GTK_WIDGET (self->map_view);

  if (focus == NULL || !gtk_widget_is_ancestor (focus, map))
    {
      gtk_widget_child_focus (map, GTK_DIR_TAB_FORWARD);
      return;
    }

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pane_stack), "places") == 0)
    story_place_list_focus (self->place_list);
  else
    story_article_view_focus (self->article_view);
}

/**
 * _story_window_actions_update:
 *
 * Enables each action from the window's state: with no story there is
 * nothing to step through, print or export; the first paragraph has none
 * before it and the last none after it; Escape leaves a presentation,
 * and the arrow keys, Home and End act on the story, only while it is
 * presented.
 */
void
_story_window_actions_update (StoryWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  StoryDocument *document = story_selection_get_document (self->selection);
  guint paragraph = story_selection_get_paragraph (self->selection);
  guint last = document != NULL ? story_document_get_n_paragraphs (document) : 0;
  gboolean has_story = document != NULL;

  gtk_widget_action_set_enabled (widget, "win.previous-paragraph", has_story && paragraph != 1);
  gtk_widget_action_set_enabled (widget, "win.next-paragraph", has_story && paragraph != last);
  gtk_widget_action_set_enabled (widget, "win.first-paragraph", has_story && paragraph != 1);
  gtk_widget_action_set_enabled (widget, "win.last-paragraph", has_story && paragraph != last);
  gtk_widget_action_set_enabled (widget, "win.show-whole-story",
                                 has_story && story_document_get_n_places (document) > 0);
  gtk_widget_action_set_enabled (widget, "win.print", has_story);
  gtk_widget_action_set_enabled (widget, "win.export-map", has_story);
  gtk_widget_action_set_enabled (widget, "win.tour", has_story);
  gtk_widget_action_set_enabled (widget, "win.presentation", has_story || self->presenting);
  gtk_widget_action_set_enabled (widget, "win.leave-presentation", self->presenting);

  gtk_event_controller_set_propagation_phase (self->presentation_keys,
                                              self->presenting ? GTK_PHASE_CAPTURE : GTK_PHASE_NONE);
}

void
_story_window_actions_init (StoryWindow *self)
{
  add_keys (self);

  self->selection_signals = g_signal_group_new (STORY_TYPE_SELECTION);
  g_signal_group_connect_object (self->selection_signals, "notify::document",
                                 G_CALLBACK (_story_window_actions_update), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->selection_signals, "notify::paragraph",
                                 G_CALLBACK (_story_window_actions_update), self, G_CONNECT_SWAPPED);
  g_signal_group_set_target (self->selection_signals, self->selection);

  self->tour_signals = g_signal_group_new (STORY_TYPE_TOUR);
  g_signal_group_connect_object (self->tour_signals, "notify::playing",
                                 G_CALLBACK (update_tour_button), self, G_CONNECT_SWAPPED);
  g_signal_group_set_target (self->tour_signals, self->tour);

  g_signal_connect (self, "notify::presenting", G_CALLBACK (_story_window_actions_update), NULL);

  self->recent_menu = g_menu_new ();

  update_tour_button (self);
  _story_window_actions_update (self);
}

void
_story_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.previous-paragraph", NULL, previous_paragraph_action);
  gtk_widget_class_install_action (widget_class, "win.next-paragraph", NULL, next_paragraph_action);
  gtk_widget_class_install_action (widget_class, "win.first-paragraph", NULL, first_paragraph_action);
  gtk_widget_class_install_action (widget_class, "win.last-paragraph", NULL, last_paragraph_action);
  gtk_widget_class_install_action (widget_class, "win.show-whole-story", NULL, show_whole_story_action);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, _story_window_print_action);
  gtk_widget_class_install_action (widget_class, "win.export-map", NULL, _story_window_export_map_action);
  gtk_widget_class_install_action (widget_class, "win.open-mbtiles", NULL, _story_window_open_mbtiles_action);
  gtk_widget_class_install_action (widget_class, "win.use-builtin-map", NULL, use_builtin_map_action);
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presenting");
  gtk_widget_class_install_action (widget_class, "win.leave-presentation", NULL, leave_presentation_action);
  gtk_widget_class_install_property_action (widget_class, "win.tour", "tour-playing");
  gtk_widget_class_install_property_action (widget_class, "win.fullscreen", "fullscreened");
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.focus-pane", NULL, focus_pane_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-map", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.show-whole-story", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.show-whole-story", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.presentation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.focus-pane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, GDK_SHIFT_MASK, "win.focus-pane", NULL);
}
