/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-window"

#include "config.h"

#include <glib/gi18n.h>

#include "story-check.h"
#include "story-geo.h"
#include "story-text.h"
#include "story-window-private.h"

/*
 * The main window: the article beside the map, sharing one selection.
 * Opening a file builds a new document off the main thread; only a
 * document that loaded without error replaces the one shown.
 */

G_DEFINE_FINAL_TYPE (StoryWindow, story_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PRESENTING,
  PROP_TOUR_PLAYING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define BUNDLED_STORY "resource://" RESOURCE_PREFIX "/stories/nerkin-hand.storymap.geojson"
/* About the height of a libadwaita header bar. */
#define HEADER_BAR_HEIGHT 47
/* Text from outside shown in a toast is cut at this many characters. */
#define MAX_QUOTED_CHARS 200

void
_story_window_show_error (StoryWindow *self,
                          const char  *heading,
                          const char  *body)
{
  /* The body quotes file names and file content: shown as it holds them. */
  g_autofree char *revealed = story_text_reveal (body);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, revealed);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_widget_add_css_class (dialog, "story-error-dialog");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Shows @text, plain text, in a toast for @timeout seconds. */
void
_story_window_show_toast (StoryWindow *self,
                          const char  *text,
                          guint        timeout)
{
  /* A toast title is markup in libadwaita 1.2. */
  g_autofree char *revealed = story_text_reveal (text);
  g_autofree char *escaped = g_markup_escape_text (revealed, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
update_title (StoryWindow *self)
{
  StoryDocument *document = story_selection_get_document (self->selection);
  g_autofree char *title = NULL;

  if (document != NULL)
    title = story_text_for_label (story_document_get_title (document), STORY_TEXT_MAX_NAME_CHARS);
  adw_window_title_set_subtitle (self->window_title, title);
}

void
story_window_set_document (StoryWindow   *self,
                           StoryDocument *document)
{
  g_return_if_fail (STORY_IS_WINDOW (self));
  g_return_if_fail (STORY_IS_DOCUMENT (document));

  story_selection_set_document (self->selection, document);
  update_title (self);
  gtk_stack_set_visible_child_name (self->content_stack, "story");

  /* The map has gone to the story's own view; a point asked for while the
   * story was on its way wins over it. */
  if (self->location_pending)
    {
      StoryBounds bounds;

      self->location_pending = FALSE;
      story_bounds_init_empty (&bounds);
      story_bounds_extend (&bounds, self->location_lat, self->location_lon);
      story_map_view_show_bounds (self->map_view, &bounds, 12, FALSE);
    }
}

/* The last story is opened again at every start while it can be read: a
 * file that is missing, unreadable or broken may be back or mended (a USB
 * stick plugged in again, a file still being edited), so the setting
 * stays. Only a path that is not a regular file at all (a device, a pipe)
 * is forgotten, once its error has been shown: it can never be a story. */
static void
forget_last_story (StoryWindow  *self,
                   GFile        *file,
                   const GError *error)
{
  g_autofree char *last = NULL;
  g_autofree char *uri = NULL;

  if (file == NULL || !g_error_matches (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_NOT_REGULAR))
    return;

  last = g_settings_get_string (self->settings, "last-story");
  uri = g_file_get_uri (file);
  if (g_strcmp0 (last, uri) == 0)
    g_settings_reset (self->settings, "last-story");
}

/* Recorded as a story of ours, so that Open Recent finds it again. */
static void
add_recent (const char *uri)
{
  g_autofree char *exec = g_strconcat (g_get_prgname (), " %u", NULL);
  GtkRecentData data = {
    .mime_type = (char *)STORY_MIME_TYPE,
    .app_name = (char *)STORY_RECENT_APPLICATION,
    .app_exec = exec,
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

/* One line, in plain words, of why @error stopped a file from opening. */
static const char *
describe_open_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return _("The file does not exist.");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return _("You do not have permission to read the file.");
  if (error->domain != STORY_DOCUMENT_ERROR)
    return _("The file could not be read.");

  switch (error->code)
    {
    case STORY_DOCUMENT_ERROR_TOO_LARGE:
    case STORY_DOCUMENT_ERROR_LIMIT:
      return _("The file is larger than a story can be.");
    case STORY_DOCUMENT_ERROR_EMPTY:
      return _("The file is empty.");
    case STORY_DOCUMENT_ERROR_NOT_UTF8:
    case STORY_DOCUMENT_ERROR_TOO_DEEP:
    case STORY_DOCUMENT_ERROR_SYNTAX:
      return _("The file is damaged or is not a story file.");
    case STORY_DOCUMENT_ERROR_INVALID:
      return _("The file is missing something a story needs.");
    case STORY_DOCUMENT_ERROR_NOT_REGULAR:
      return _("This is not a regular file, and only a regular file can be a story.");
    default:
      return _("The file could not be read.");
    }
}

/* The window has no story of its own: it shows what went wrong with
 * @file, and the way on, where the story would be. */
static void
show_open_failed (StoryWindow  *self,
                  GFile        *file,
                  const GError *error)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = story_text_for_label (basename, STORY_TEXT_MAX_NAME_CHARS);
  g_autofree char *details = story_text_reveal (error->message);
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;

  /* Translators: %s is a file name, then a sentence saying why it failed */
  description = g_strdup_printf (_("“%s” could not be opened. %s"), name, describe_open_error (error));
  /* The description of a status page is markup. */
  escaped = g_markup_escape_text (description, -1);
  adw_status_page_set_description (self->error_page, escaped);
  gtk_label_set_text (self->error_details, details);
  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_stack_set_visible_child_name (self->content_stack, "error");
}

static void
on_open_sample_clicked (StoryWindow *self)
{
  story_window_open_bundled (self);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(StoryWindow) self = user_data;
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  self->loading--;
  document = story_document_load_finish (result, &error);

  if (document == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      forget_last_story (self, self->loading_file, error);
      self->location_pending = FALSE;

      /* A window with no story of its own says what went wrong in place
       * of one; a window with a story keeps it beside a dialog. */
      if (story_selection_get_document (self->selection) == NULL &&
          !g_file_has_uri_scheme (self->loading_file, "resource"))
        show_open_failed (self, self->loading_file, error);
      else
        _story_window_show_error (self, _("Could Not Open Story"), error->message);
      return;
    }

  story_window_set_document (self, document);

  /* The bundled story is not remembered: it is what opens by default. */
  if (!g_file_has_uri_scheme (story_document_get_file (document), "resource"))
    {
      g_autofree char *uri = g_file_get_uri (story_document_get_file (document));

      g_settings_set_string (self->settings, "last-story", uri);
      add_recent (uri);
    }
}

/**
 * story_window_open:
 *
 * Loads @file in the background. On failure an error dialog names the file
 * and the problem, and the story already shown stays.
 */
void
story_window_open (StoryWindow *self,
                   GFile       *file)
{
  g_return_if_fail (STORY_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  g_set_object (&self->loading_file, file);
  /* A story asked for after a point shows its own view. */
  self->location_pending = FALSE;

  self->loading++;
  story_document_load_async (file, self->load_cancellable, load_cb, g_object_ref (self));
}

/* The bundled story is compiled in: it is read at once, so the window's
 * first frame already shows it. */
void
story_window_open_bundled (StoryWindow *self)
{
  g_autoptr(GFile) file = g_file_new_for_uri (BUNDLED_STORY);
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (STORY_IS_WINDOW (self));

  /* Whatever was loading is superseded. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  document = story_document_load (file, NULL, NULL, &error);
  if (document == NULL)
    g_critical ("The bundled story does not load: %s", error->message);
  else
    story_window_set_document (self, document);
}

/**
 * story_window_open_last:
 *
 * Opens the story opened last, or the bundled one when there is none or it
 * has gone.
 */
void
story_window_open_last (StoryWindow *self)
{
  g_autofree char *uri = g_settings_get_string (self->settings, "last-story");
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (STORY_IS_WINDOW (self));

  if (uri[0] != '\0')
    file = g_file_new_for_uri (uri);

  if (file != NULL && g_file_query_exists (file, NULL))
    story_window_open (self, file);
  else
    story_window_open_bundled (self);
}

/* Shows a point handed over as a geo: URI, with no place selected. */
void
story_window_show_location (StoryWindow *self,
                            double       lat,
                            double       lon)
{
  StoryBounds bounds;

  g_return_if_fail (STORY_IS_WINDOW (self));

  story_bounds_init_empty (&bounds);
  story_bounds_extend (&bounds, lat, lon);
  story_map_view_show_bounds (self->map_view, &bounds, 12, TRUE);

  /* A story still loading (the last one, on a cold start) would take the
   * map to its own view when it arrives. */
  self->location_lat = lat;
  self->location_lon = lon;
  self->location_pending = self->loading > 0 && self->load_cancellable != NULL &&
                           !g_cancellable_is_cancelled (self->load_cancellable);
}

/**
 * story_window_show_geo_uri:
 * @uri: a geo: URI handed over by another application
 *
 * Shows the point of @uri, or says in the window that it is not one.
 *
 * Returns: %TRUE if @uri is a geo: URI
 */
gboolean
story_window_show_geo_uri (StoryWindow *self,
                           const char  *uri)
{
  g_autofree char *quoted = NULL;
  g_autofree char *message = NULL;
  double lat, lon;

  g_return_val_if_fail (STORY_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  if (story_geo_parse_uri (uri, &lat, &lon))
    {
      story_window_show_location (self, lat, lon);
      return TRUE;
    }

  /* Shown as written, control characters escaped, and cut short: it
   * comes from anywhere. */
  quoted = story_check_escape (uri);
  if (g_utf8_strlen (quoted, -1) > MAX_QUOTED_CHARS)
    {
      g_autofree char *start = g_utf8_substring (quoted, 0, MAX_QUOTED_CHARS);

      g_free (quoted);
      quoted = g_strconcat (start, "…", NULL);
    }

  /* Translators: %s is the text another application handed over */
  message = g_strdup_printf (_("“%s” is not a geo: URI"), quoted);
  _story_window_show_toast (self, message, 5);
  return FALSE;
}

gboolean
story_window_is_loading (StoryWindow *self)
{
  g_return_val_if_fail (STORY_IS_WINDOW (self), FALSE);

  return self->loading > 0;
}

/* Paragraphs and places ------------------------------------------------------ */

static void
on_selection_changed (StoryWindow    *self,
                      StorySelection *selection)
{
  StoryPlace *place = story_selection_get_place (selection);

  _story_window_update_presentation (self);

  /* A marker for a place the text never names says so. */
  if (story_selection_get_focus (selection) == STORY_FOCUS_PLACE &&
      place != NULL &&
      story_selection_get_paragraph (selection) == 0 &&
      !story_place_in_dateline (place))
    {
      /* Translators: %s is a place name */
      g_autofree char *message = g_strdup_printf (_("“%s” is not named in the text"),
                                                  story_place_get_display_name (place));

      _story_window_show_toast (self, message, 4);
    }
}

static void
on_online_tiles_changed (StoryWindow *self,
                         const char  *key,
                         GSettings   *settings)
{
  _story_window_update_online (self);
}

/* Drag and drop -------------------------------------------------------------- */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         StoryWindow   *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;

  story_window_open (self, files->data);
  g_slist_free (files);
  return TRUE;
}

/* Window state ---------------------------------------------------------------- */

static void
restore_state (StoryWindow *self)
{
  int width = CLAMP (g_settings_get_int (self->settings, "window-width"), 360, 10000);
  int height = CLAMP (g_settings_get_int (self->settings, "window-height"), 360, 10000);

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (self->settings, "pane-position", self->paned, "position", G_SETTINGS_BIND_DEFAULT);

  /* The map's size once shown, beside the article under the header bar
   * (measuring the bar this early would only be done again once the title
   * is set): its first view is drawn while the window is put together. */
  if (!g_settings_get_boolean (self->settings, "window-maximized"))
    {
      int map_width = width - gtk_paned_get_position (self->paned) - 1;

      if (map_width >= 300)
        story_map_view_set_expected_size (self->map_view, map_width, height - HEADER_BAR_HEIGHT);
    }
}

static gboolean
story_window_close_request (GtkWindow *window)
{
  StoryWindow *self = STORY_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && !gtk_window_is_fullscreen (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (story_window_parent_class)->close_request (window);
}

static void
story_window_dispose (GObject *object)
{
  StoryWindow *self = (StoryWindow *)object;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->loading_file);

  if (self->article_view != NULL)
    {
      story_article_view_set_selection (self->article_view, NULL);
      story_map_view_set_selection (self->map_view, NULL);
      story_place_list_set_selection (self->place_list, NULL);
    }

  g_clear_object (&self->selection_signals);
  g_clear_object (&self->tour_signals);
  g_clear_object (&self->recent_menu);
  g_clear_pointer (&self->help_overlay, gtk_window_destroy);
  gtk_widget_dispose_template (GTK_WIDGET (self), STORY_TYPE_WINDOW);
  self->article_view = NULL;
  self->map_view = NULL;

  if (self->tour != NULL)
    story_tour_stop (self->tour);
  g_clear_object (&self->tour);
  g_clear_object (&self->tile_source);
  g_clear_object (&self->selection);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (story_window_parent_class)->dispose (object);
}

static void
story_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  StoryWindow *self = STORY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PRESENTING:
      g_value_set_boolean (value, self->presenting);
      break;

    case PROP_TOUR_PLAYING:
      g_value_set_boolean (value, self->tour && story_tour_get_playing (self->tour));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  StoryWindow *self = STORY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PRESENTING:
      story_window_set_presenting (self, g_value_get_boolean (value));
      break;

    case PROP_TOUR_PLAYING:
      if (g_value_get_boolean (value))
        story_tour_play (self->tour);
      else
        story_tour_pause (self->tour);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_window_class_init (StoryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = story_window_dispose;
  object_class->get_property = story_window_get_property;
  object_class->set_property = story_window_set_property;
  window_class->close_request = story_window_close_request;

  properties[PROP_PRESENTING] =
    g_param_spec_boolean ("presenting", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOUR_PLAYING] =
    g_param_spec_boolean ("tour-playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STORY_TYPE_ARTICLE_VIEW);
  g_type_ensure (STORY_TYPE_MAP_VIEW);
  g_type_ensure (STORY_TYPE_PLACE_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/story-window.ui");
  /* GtkBuilder finds a type not yet registered by guessing the name of its
   * get_type() function and looking it up in every loaded library. */
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  g_type_ensure (GTK_TYPE_BOX);
  g_type_ensure (GTK_TYPE_BUTTON);
  g_type_ensure (GTK_TYPE_EXPANDER);
  g_type_ensure (GTK_TYPE_LABEL);
  g_type_ensure (GTK_TYPE_MENU_BUTTON);
  g_type_ensure (GTK_TYPE_PANED);
  g_type_ensure (GTK_TYPE_SCROLLED_WINDOW);
  g_type_ensure (GTK_TYPE_STACK);
  g_type_ensure (GTK_TYPE_STACK_PAGE);
  g_type_ensure (GTK_TYPE_STACK_SWITCHER);
  g_type_ensure (GTK_TYPE_TOGGLE_BUTTON);

  gtk_widget_class_bind_template_child (widget_class, StoryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, left_stack);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, pane_stack);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, presentation_number);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, presentation_text);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, place_list);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, article_view);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, story_section);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, tour_button);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, error_expander);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, error_details);
  gtk_widget_class_bind_template_child (widget_class, StoryWindow, error_sample_button);
  gtk_widget_class_bind_template_callback (widget_class, on_open_sample_clicked);

  _story_window_class_init_actions (widget_class);
}

/* The main menu is made the first time it opens: its popover and a row for
 * each item are a good part of the window's template. */
static void
create_primary_menu (GtkMenuButton *button,
                     gpointer       user_data)
{
  StoryWindow *self = STORY_WINDOW (user_data);

  if (gtk_menu_button_get_menu_model (button) == NULL)
    {
      _story_window_follow_recent (self);
      gtk_menu_button_set_menu_model (button, self->primary_menu);
    }
}

static void
story_window_init (StoryWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  self->selection = story_selection_new ();

  story_article_view_set_selection (self->article_view, self->selection);
  story_map_view_set_selection (self->map_view, self->selection);
  story_place_list_set_selection (self->place_list, self->selection);
  g_signal_connect_object (self->selection, "changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->settings, "changed::online-tiles",
                           G_CALLBACK (on_online_tiles_changed), self, G_CONNECT_SWAPPED);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_menu_button_set_create_popup_func (self->menu_button, create_primary_menu, self, NULL);

  _story_window_init_presentation (self);
  _story_window_actions_init (self);
  _story_window_init_maps (self);
  restore_state (self);
}

StoryWindow *
story_window_new (GtkApplication *application)
{
  StoryWindow *self = g_object_new (STORY_TYPE_WINDOW, "application", application, NULL);

  /* The command line may name the base map and tile server. */
  _story_window_setup_base_map (self);

  return self;
}

StorySelection *
story_window_get_selection (StoryWindow *self)
{
  g_return_val_if_fail (STORY_IS_WINDOW (self), NULL);

  return self->selection;
}

StoryDocument *
story_window_get_document (StoryWindow *self)
{
  g_return_val_if_fail (STORY_IS_WINDOW (self), NULL);

  return story_selection_get_document (self->selection);
}

StoryArticleView *
story_window_get_article_view (StoryWindow *self)
{
  g_return_val_if_fail (STORY_IS_WINDOW (self), NULL);

  return self->article_view;
}

StoryMapView *
story_window_get_map_view (StoryWindow *self)
{
  g_return_val_if_fail (STORY_IS_WINDOW (self), NULL);

  return self->map_view;
}
