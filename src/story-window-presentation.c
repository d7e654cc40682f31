/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-window"

#include "config.h"

#include <glib/gi18n.h>

#include "story-paragraph-row.h"
#include "story-window-private.h"

/*
 * Presentation mode, for a projector: the current paragraph in large type
 * beside a large map, no chrome, keys (and a presenter's clicker, which
 * sends Page Up/Down) to step. And the guided tour, which pauses the
 * moment the user touches the map or the text.
 */

void
_story_window_update_presentation (StoryWindow *self)
{
  StoryDocument *document = story_selection_get_document (self->selection);
  guint paragraph = story_selection_get_paragraph (self->selection);
  g_autofree char *number = NULL;
  g_autofree char *markup = NULL;

  if (!self->presenting || document == NULL)
    return;

  if (paragraph == 0)
    {
      story_label_set_story_text (self->presentation_number, story_document_get_dateline (document));
      story_label_set_story_text (self->presentation_text, story_document_get_title (document));
      return;
    }

  /* Translators: shown above the paragraph in presentation mode */
  number = g_strdup_printf (_("Paragraph %u of %u"), paragraph,
                            story_document_get_n_paragraphs (document));
  markup = story_article_view_format_paragraph (document, paragraph,
                                                story_selection_get_place (self->selection));
  gtk_label_set_text (self->presentation_number, number);
  gtk_widget_set_direction (GTK_WIDGET (self->presentation_number), GTK_TEXT_DIR_NONE);
  gtk_label_set_markup (self->presentation_text, markup);
  story_label_set_direction_from_text (self->presentation_text);
}

gboolean
story_window_get_presenting (StoryWindow *self)
{
  g_return_val_if_fail (STORY_IS_WINDOW (self), FALSE);

  return self->presenting;
}

void
story_window_set_presenting (StoryWindow *self,
                             gboolean     presenting)
{
  g_return_if_fail (STORY_IS_WINDOW (self));

  presenting = !!presenting;
  if (self->presenting == presenting)
    return;

  self->presenting = presenting;

  if (presenting)
    {
      self->was_fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_widget_set_visible (GTK_WIDGET (self->header_bar), FALSE);
      story_map_view_set_controls_visible (self->map_view, FALSE);
      gtk_stack_set_visible_child_name (self->left_stack, "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
      _story_window_update_presentation (self);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_widget_set_visible (GTK_WIDGET (self->header_bar), TRUE);
      story_map_view_set_controls_visible (self->map_view, TRUE);
      gtk_stack_set_visible_child_name (self->left_stack, "reading");
      if (!self->was_fullscreen)
        gtk_window_unfullscreen (GTK_WINDOW (self));
    }

  gtk_event_controller_set_propagation_phase (self->presentation_keys,
                                              presenting ? GTK_PHASE_CAPTURE : GTK_PHASE_NONE);
  g_object_notify (G_OBJECT (self), "presenting");
}

StoryTour *
story_window_get_tour (StoryWindow *self)
{
  g_return_val_if_fail (STORY_IS_WINDOW (self), NULL);

  return self->tour;
}

/* Space resumes a paused tour (and pauses a playing one); in a
 * presentation without a tour it steps forward. */
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

  if (self->presenting)
    {
      story_selection_step (self->selection, 1);
      return TRUE;
    }

  return FALSE;
}

static gboolean
on_presentation_step (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  StoryWindow *self = STORY_WINDOW (widget);
  int delta = g_variant_get_int32 (args);
  StoryDocument *document = story_selection_get_document (self->selection);

  if (document == NULL)
    return FALSE;

  story_tour_pause (self->tour);

  /* Home and End jump to the first and last paragraph. */
  if (delta == G_MININT32)
    story_selection_select_paragraph (self->selection, 1);
  else if (delta == G_MAXINT32)
    story_selection_select_paragraph (self->selection, story_document_get_n_paragraphs (document));
  else
    story_selection_step (self->selection, delta);

  return TRUE;
}

static gboolean
on_presentation_escape (GtkWidget *widget,
                        GVariant  *args,
                        gpointer   user_data)
{
  story_window_set_presenting (STORY_WINDOW (widget), FALSE);
  return TRUE;
}

static GtkEventController *
create_presentation_keys (void)
{
  static const struct { guint key; int delta; } steps[] = {
    { GDK_KEY_Right, 1 }, { GDK_KEY_Down, 1 }, { GDK_KEY_Page_Down, 1 },
    { GDK_KEY_Left, -1 }, { GDK_KEY_Up, -1 }, { GDK_KEY_Page_Up, -1 },
    { GDK_KEY_Home, G_MININT32 }, { GDK_KEY_End, G_MAXINT32 },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (steps[i].key, 0),
                                                gtk_callback_action_new (on_presentation_step, NULL, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (steps[i].delta));
      gtk_shortcut_controller_add_shortcut (shortcuts, shortcut);
    }

  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (on_presentation_escape, NULL, NULL)));
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_NONE);

  return controller;
}

/* Touching the map or the text takes over from the tour. */
static void
on_user_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 StoryWindow     *self)
{
  story_tour_pause (self->tour);
}

static gboolean
on_user_scrolled (GtkEventControllerScroll *controller,
                  double                    dx,
                  double                    dy,
                  StoryWindow              *self)
{
  story_tour_pause (self->tour);
  return FALSE;
}

static void
watch_user (StoryWindow *self,
            GtkWidget   *widget)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_user_pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_user_scrolled), self);
  gtk_widget_add_controller (widget, scroll);
}

static void
on_tour_playing (StoryWindow *self)
{
  g_object_notify (G_OBJECT (self), "tour-playing");
}

static gboolean
on_presentation_link (GtkLabel    *label,
                      const char  *uri,
                      StoryWindow *self)
{
  StoryDocument *document = story_selection_get_document (self->selection);
  guint64 index;

  if (document != NULL && g_str_has_prefix (uri, "place:") &&
      g_ascii_string_to_unsigned (uri + 6, 10, 0, story_document_get_n_places (document) - 1,
                                  &index, NULL))
    story_selection_select_mention (self->selection, story_selection_get_paragraph (self->selection),
                                    story_document_get_place (document, index));

  return TRUE;
}

static void
on_high_contrast (StoryWindow *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  if (adw_style_manager_get_high_contrast (manager) || g_settings_get_boolean (self->settings, "high-contrast"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "high-contrast");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "high-contrast");
}

/* The delay is kept in seconds in the settings, in milliseconds here. */
static gboolean
seconds_to_ms (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  g_value_set_uint (value, MIN (g_variant_get_uint32 (variant), 600) * 1000);
  return TRUE;
}

void
_story_window_init_presentation (StoryWindow *self)
{
  GtkEventController *space;

  self->tour = story_tour_new (self->selection);
  g_settings_bind_with_mapping (self->settings, "tour-delay", self->tour, "delay", G_SETTINGS_BIND_GET,
                                seconds_to_ms, NULL, NULL, NULL);
  g_signal_connect_object (self->tour, "notify::playing", G_CALLBACK (on_tour_playing),
                           self, G_CONNECT_SWAPPED);

  self->presentation_keys = create_presentation_keys ();
  gtk_widget_add_controller (GTK_WIDGET (self), self->presentation_keys);

  /* Space is taken before a focused button sees it, but only while a
   * tour runs or a presentation is on; otherwise it goes on as usual. */
  space = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (space, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (space),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_space, 0),
                                                          gtk_callback_action_new (on_space, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), space);

  watch_user (self, GTK_WIDGET (self->map_view));
  watch_user (self, GTK_WIDGET (self->article_view));
  /* The number line shows the dateline before the first paragraph: a
   * word longer than the screen breaks rather than widen the window. */
  gtk_label_set_wrap (self->presentation_number, TRUE);
  gtk_label_set_wrap_mode (self->presentation_number, PANGO_WRAP_WORD_CHAR);
  g_signal_connect_object (self->presentation_text, "activate-link",
                           G_CALLBACK (on_presentation_link), self, 0);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (on_high_contrast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::high-contrast",
                           G_CALLBACK (on_high_contrast), self, G_CONNECT_SWAPPED);
  on_high_contrast (self);
}

void
_story_window_class_init_presentation (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presenting");
  gtk_widget_class_install_property_action (widget_class, "win.tour", "tour-playing");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.presentation", NULL);
}
