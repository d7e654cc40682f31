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

/* The paragraph's type is stepped down from its full size until it fits
 * the screen, to no less than this share of it; past that it scrolls. */
#define MIN_TEXT_SCALE 0.55
#define TEXT_SCALE_STEP 0.9

static void
set_text_scale (StoryWindow *self,
                double       scale)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  if (G_APPROX_VALUE (self->presentation_text_scale, scale, 0.001))
    return;

  self->presentation_text_scale = scale;
  pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  gtk_label_set_attributes (self->presentation_text, attrs);
}

/* Height the box around the paragraph takes beside the paragraph itself:
 * its margins, the number line and the spacing. */
static int
text_room (StoryWindow *self,
           int          width)
{
  GtkWidget *text = GTK_WIDGET (self->presentation_text);
  GtkWidget *box = gtk_widget_get_parent (text);
  int number = 0;

  gtk_widget_measure (GTK_WIDGET (self->presentation_number), GTK_ORIENTATION_VERTICAL, width,
                      NULL, &number, NULL, NULL);

  return gtk_widget_get_height (GTK_WIDGET (self->presentation_scroller))
         - gtk_widget_get_margin_top (box) - gtk_widget_get_margin_bottom (box)
         - number - gtk_box_get_spacing (GTK_BOX (box));
}

/* Fits the paragraph to the screen: every word shows, at the largest size
 * that leaves it whole on the screen; a paragraph too long even at the
 * smallest size scrolls, from its start. */
static void
fit_presentation_text (StoryWindow *self)
{
  GtkWidget *text = GTK_WIDGET (self->presentation_text);
  GtkWidget *box = gtk_widget_get_parent (text);
  int width = gtk_widget_get_width (GTK_WIDGET (self->presentation_scroller))
              - gtk_widget_get_margin_start (box) - gtk_widget_get_margin_end (box);
  double scale = 1.0;
  int room, height;

  if (!self->presenting || width <= 0)
    return;

  room = text_room (self, width);
  for (;;)
    {
      set_text_scale (self, scale);
      gtk_widget_measure (text, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
      if (height <= room || scale <= MIN_TEXT_SCALE)
        break;
      scale = MAX (scale * TEXT_SCALE_STEP, MIN_TEXT_SCALE);
    }

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->presentation_scroller), 0);
}

static gboolean
fit_idle_cb (gpointer user_data)
{
  StoryWindow *self = user_data;

  self->presentation_fit_idle = 0;
  fit_presentation_text (self);
  return G_SOURCE_REMOVE;
}

/* The screen changed size (a projector plugged in, the window made
 * fullscreen): fit again once the layout is done. */
static void
on_scroller_resized (StoryWindow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->presentation_scroller));
  int height = gtk_widget_get_height (GTK_WIDGET (self->presentation_scroller));
  int *last = g_object_get_data (G_OBJECT (self->presentation_scroller), "story-fitted-size");

  if (!self->presenting || (last[0] == width && last[1] == height))
    return;

  last[0] = width;
  last[1] = height;
  if (self->presentation_fit_idle == 0)
    self->presentation_fit_idle = g_idle_add (fit_idle_cb, self);
}

static void hide_toolbar (StoryWindow *self);

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
      fit_presentation_text (self);
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
  fit_presentation_text (self);
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
      story_map_view_set_notice_visible (self->map_view, FALSE);
      gtk_stack_set_visible_child_name (self->left_stack, "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
      _story_window_update_presentation (self);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_widget_set_visible (GTK_WIDGET (self->header_bar), TRUE);
      story_map_view_set_controls_visible (self->map_view, TRUE);
      story_map_view_set_notice_visible (self->map_view, TRUE);
      hide_toolbar (self);
      gtk_stack_set_visible_child_name (self->left_stack, "reading");
      if (!self->was_fullscreen)
        gtk_window_unfullscreen (GTK_WINDOW (self));
    }

  g_object_notify (G_OBJECT (self), "presenting");
}

StoryTour *
story_window_get_tour (StoryWindow *self)
{
  g_return_val_if_fail (STORY_IS_WINDOW (self), NULL);

  return self->tour;
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

/* The floating toolbar ------------------------------------------------------ */

/* Seconds without pointer motion before the toolbar hides again. */
#define TOOLBAR_TIMEOUT 2

static void
hide_toolbar (StoryWindow *self)
{
  g_clear_handle_id (&self->presentation_toolbar_timeout, g_source_remove);
  gtk_revealer_set_reveal_child (self->presentation_toolbar, FALSE);
}

static gboolean
toolbar_timeout_cb (gpointer user_data)
{
  StoryWindow *self = user_data;
  GtkWidget *box = gtk_revealer_get_child (self->presentation_toolbar);

  self->presentation_toolbar_timeout = 0;
  /* It stays while the pointer rests on it. */
  if (gtk_widget_get_state_flags (box) & GTK_STATE_FLAG_PRELIGHT)
    {
      self->presentation_toolbar_timeout = g_timeout_add_seconds (TOOLBAR_TIMEOUT, toolbar_timeout_cb, self);
      return G_SOURCE_REMOVE;
    }

  gtk_revealer_set_reveal_child (self->presentation_toolbar, FALSE);
  return G_SOURCE_REMOVE;
}

/* A mouse user moves the pointer: the toolbar shows, to step and leave. */
static void
on_pointer_motion (GtkEventControllerMotion *controller,
                   double                    x,
                   double                    y,
                   StoryWindow              *self)
{
  double *last = g_object_get_data (G_OBJECT (controller), "story-last-position");

  if (!self->presenting || (G_APPROX_VALUE (last[0], x, 0.5) && G_APPROX_VALUE (last[1], y, 0.5)))
    return;

  last[0] = x;
  last[1] = y;
  gtk_revealer_set_reveal_child (self->presentation_toolbar, TRUE);
  g_clear_handle_id (&self->presentation_toolbar_timeout, g_source_remove);
  self->presentation_toolbar_timeout = g_timeout_add_seconds (TOOLBAR_TIMEOUT, toolbar_timeout_cb, self);
}

static void
on_toolbar_previous (StoryWindow *self)
{
  story_tour_pause (self->tour);
  story_selection_step (self->selection, -1);
}

static void
on_toolbar_next (StoryWindow *self)
{
  story_tour_pause (self->tour);
  story_selection_step (self->selection, 1);
}

static void
on_toolbar_leave (StoryWindow *self)
{
  story_window_set_presenting (self, FALSE);
}

static GtkWidget *
toolbar_button (StoryWindow *self,
                const char  *icon_name,
                const char  *label,
                GCallback    callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  /* The keys stay with the presentation. */
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_object (button, "clicked", callback, self, G_CONNECT_SWAPPED);

  return button;
}

/* Puts the paragraph's page in an overlay, with the toolbar floating at
 * its bottom. */
static void
create_toolbar (StoryWindow *self)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->left_stack, "presentation");
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *revealer = gtk_revealer_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->presentation_scroller = GTK_SCROLLED_WINDOW (page);
  g_object_ref (page);
  gtk_stack_remove (self->left_stack, page);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), page);
  g_object_unref (page);
  gtk_stack_add_named (self->left_stack, overlay, "presentation");

  gtk_widget_add_css_class (box, "osd");
  gtk_widget_add_css_class (box, "toolbar");
  gtk_widget_add_css_class (box, "story-presentation-toolbar");
  gtk_box_append (GTK_BOX (box), toolbar_button (self, "go-previous-symbolic", _("Previous Paragraph"),
                                                 G_CALLBACK (on_toolbar_previous)));
  gtk_box_append (GTK_BOX (box), toolbar_button (self, "go-next-symbolic", _("Next Paragraph"),
                                                 G_CALLBACK (on_toolbar_next)));
  gtk_box_append (GTK_BOX (box), toolbar_button (self, "window-close-symbolic", _("Leave Presentation"),
                                                 G_CALLBACK (on_toolbar_leave)));

  gtk_revealer_set_transition_type (GTK_REVEALER (revealer), GTK_REVEALER_TRANSITION_TYPE_CROSSFADE);
  gtk_revealer_set_child (GTK_REVEALER (revealer), box);
  gtk_widget_set_halign (revealer, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (revealer, GTK_ALIGN_END);
  gtk_widget_set_margin_bottom (revealer, 24);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), revealer);
  self->presentation_toolbar = GTK_REVEALER (revealer);

  g_object_set_data_full (G_OBJECT (motion), "story-last-position", g_new0 (double, 2), g_free);
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_pointer_motion), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

/* Sources that call back into the window end with it. */
static void
on_destroy (StoryWindow *self)
{
  g_clear_handle_id (&self->presentation_toolbar_timeout, g_source_remove);
  g_clear_handle_id (&self->presentation_fit_idle, g_source_remove);
}

void
_story_window_init_presentation (StoryWindow *self)
{
  self->tour = story_tour_new (self->selection);
  g_settings_bind_with_mapping (self->settings, "tour-delay", self->tour, "delay", G_SETTINGS_BIND_GET,
                                seconds_to_ms, NULL, NULL, NULL);
  g_signal_connect_object (self->tour, "notify::playing", G_CALLBACK (on_tour_playing),
                           self, G_CONNECT_SWAPPED);

  watch_user (self, GTK_WIDGET (self->map_view));
  watch_user (self, GTK_WIDGET (self->article_view));

  create_toolbar (self);
  g_signal_connect (self, "destroy", G_CALLBACK (on_destroy), NULL);
  self->presentation_text_scale = 1.0;
  g_object_set_data_full (G_OBJECT (self->presentation_scroller), "story-fitted-size",
                          g_new0 (int, 2), g_free);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->presentation_scroller), "changed",
                           G_CALLBACK (on_scroller_resized), self, G_CONNECT_SWAPPED);
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
