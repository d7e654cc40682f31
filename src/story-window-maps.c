/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-window"

#include "config.h"

#include <glib/gi18n.h>

#include "story-mbtiles-source.h"
#include "story-offline-map.h"
#include "story-print.h"
#include "story-window-private.h"

/* Base maps ---------------------------------------------------------------- */

/* What the command line asks of the window's maps, kept with it. */
#define TILE_URL_KEY "story-window-tile-url"
#define MBTILES_KEY  "story-window-mbtiles"

/**
 * story_window_open_mbtiles:
 *
 * Shows a local MBTiles file as the base map, in place of the built-in
 * one. A file that cannot be read leaves the current base map.
 */
gboolean
story_window_open_mbtiles (StoryWindow  *self,
                           const char   *path,
                           GError      **error)
{
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(ShumateMapSource) map_source = NULL;

  g_return_val_if_fail (STORY_IS_WINDOW (self), FALSE);

  source = story_mbtiles_source_new (path, error);
  if (source == NULL)
    return FALSE;

  map_source = story_mbtiles_source_new_map_source (source);
  story_map_view_set_base_source (self->map_view, map_source);
  /* Its attribution replaces OpenStreetMap's while it is shown. */
  self->mbtiles_shown = TRUE;
  story_map_view_set_online_source (self->map_view, NULL);
  g_settings_set_string (self->settings, "mbtiles-file", path);

  return TRUE;
}

static void on_downloads_allowed_changed (StoryWindow *self);

void
_story_window_update_online (StoryWindow *self)
{
  g_autoptr(ShumateMapSource) map_source = NULL;

  if (self->mbtiles_shown || !g_settings_get_boolean (self->settings, "online-tiles"))
    {
      story_map_view_set_online_source (self->map_view, NULL);
      return;
    }

  if (self->tile_source == NULL)
    {
      const char *override = g_object_get_data (G_OBJECT (self), TILE_URL_KEY);
      g_autofree char *url = override ? g_strdup (override)
                                      : g_settings_get_string (self->settings, "tile-url");

      self->tile_source = story_tile_source_new (url, NULL);
      g_object_bind_property (self->tile_source, "offline", self->map_view, "offline",
                              G_BINDING_SYNC_CREATE);
      g_object_bind_property (self->tile_source, "metered-paused", self->map_view, "metered",
                              G_BINDING_SYNC_CREATE);
      g_settings_bind (self->settings, "download-on-metered", self->tile_source,
                       "download-on-metered", G_SETTINGS_BIND_GET);
      story_tile_source_follow_network_monitor (self->tile_source, g_network_monitor_get_default ());
      g_signal_connect_object (self->tile_source, "notify::metered-paused",
                               G_CALLBACK (on_downloads_allowed_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->tile_source, "notify::network-available",
                               G_CALLBACK (on_downloads_allowed_changed), self, G_CONNECT_SWAPPED);
    }

  map_source = story_tile_source_new_map_source (self->tile_source);
  story_map_view_set_online_source (self->map_view, map_source);
}

/* Tiles held back a moment ago are asked for again once they may be
 * downloaded: a fresh layer over the same source asks for every tile. */
static void
on_downloads_allowed_changed (StoryWindow *self)
{
  if (self->tile_source == NULL ||
      !story_tile_source_get_network_available (self->tile_source) ||
      story_tile_source_get_metered_paused (self->tile_source) ||
      story_map_view_get_online_source (self->map_view) == NULL)
    return;

  story_map_view_set_online_source (self->map_view, NULL);
  _story_window_update_online (self);
}

static void
show_builtin_map (StoryWindow *self)
{
  g_autoptr(ShumateMapSource) offline = SHUMATE_MAP_SOURCE (story_offline_map_new_bundled ());

  story_map_view_set_base_source (self->map_view, offline);
  self->mbtiles_shown = FALSE;
  _story_window_update_online (self);
}

/* Back to the built-in map (with online tiles, when they are on). */
void
story_window_use_builtin_map (StoryWindow *self)
{
  g_return_if_fail (STORY_IS_WINDOW (self));

  show_builtin_map (self);
  g_settings_set_string (self->settings, "mbtiles-file", "");
}

static void
on_mbtiles_response (GtkNativeDialog *dialog,
                     int              response,
                     StoryWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL || !story_window_open_mbtiles (self, path, &error))
        _story_window_show_error (self, _("Could Not Open Map"),
                    error ? error->message : _("Only local files can be opened as maps."));
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
_story_window_open_mbtiles_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  StoryWindow *self = STORY_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_file_chooser_native_new (_("Open MBTiles Map"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("MBTiles Maps"));
  gtk_file_filter_add_pattern (filter, "*.mbtiles");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  G_GNUC_END_IGNORE_DEPRECATIONS

  g_signal_connect (dialog, "response", G_CALLBACK (on_mbtiles_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
_story_window_setup_base_map (StoryWindow *self)
{
  g_autofree char *mbtiles = g_settings_get_string (self->settings, "mbtiles-file");
  const char *override = g_object_get_data (G_OBJECT (self), MBTILES_KEY);
  g_autoptr(GError) error = NULL;

  if (override != NULL)
    {
      g_free (mbtiles);
      mbtiles = g_strdup (override);
    }

  show_builtin_map (self);

  if (mbtiles[0] != '\0' && !story_window_open_mbtiles (self, mbtiles, &error))
    {
      _story_window_show_toast (self, error->message, 5);
      /* Settings stay as they were: the file may come back (a USB stick). */
    }
}

/* Printing and export -------------------------------------------------------- */

void
_story_window_print_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  StoryWindow *self = STORY_WINDOW (widget);
  StoryDocument *document = story_selection_get_document (self->selection);
  g_autoptr(GError) error = NULL;

  if (document == NULL)
    return;

  if (story_print_handout (GTK_WINDOW (self), document, self->map_view,
                           GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    _story_window_show_error (self, _("Could Not Print"), error->message);
}

static void
on_open_exported (AdwToast *toast,
                  GFile    *file)
{
  GtkWindow *window = g_object_get_data (G_OBJECT (toast), "story-window");
  g_autofree char *uri = g_file_get_uri (file);

  /* gtk_show_uri is what GTK 4.8 has; its successor came in 4.10. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/**
 * _story_window_export_map:
 *
 * Writes the map as a PNG image to @path and says so in a toast with a
 * button that opens the image; an error is said in a dialog.
 *
 * Returns: whether the image was written
 */
gboolean
_story_window_export_map (StoryWindow *self,
                          const char  *path,
                          int          scale)
{
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (!story_map_view_export_png (self->map_view, path, scale, &error))
    {
      _story_window_show_error (self, _("Could Not Export the Map"), error->message);
      return FALSE;
    }

  /* Translators: said once the map has been saved as an image */
  toast = adw_toast_new (_("Map exported"));
  /* Translators: the button in the toast that opens the exported image */
  adw_toast_set_button_label (toast, _("Open"));
  adw_toast_set_timeout (toast, 5);
  g_object_set_data (G_OBJECT (toast), "story-window", self);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_open_exported),
                         g_file_new_for_path (path), (GClosureNotify)(void (*) (void))g_object_unref, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  return TRUE;
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    StoryWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      const char *scale = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "scale");

      if (path == NULL)
        _story_window_show_error (self, _("Could Not Export the Map"),
                                  _("Only local files can be written."));
      else
        _story_window_export_map (self, path, g_strcmp0 (scale, "2") == 0 ? 2 : 1);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
_story_window_export_map_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  StoryWindow *self = STORY_WINDOW (widget);
  GtkFileChooserNative *dialog;
  static const char *options[] = { "1", "2", NULL };
  const char *labels[] = { _("Screen Resolution"), _("Double Resolution"), NULL };

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_file_chooser_native_new (_("Export Map as Image"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  /* Translators: the default file name of an exported map */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("map.png"));
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "scale", _("Size"), options, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "scale", "1");
  G_GNUC_END_IGNORE_DEPRECATIONS

  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_tile_url_changed (StoryWindow *self)
{
  /* A new server gets a new source, with its own cache. */
  g_clear_object (&self->tile_source);
  story_map_view_set_online_source (self->map_view, NULL);
  _story_window_update_online (self);
}

/**
 * story_window_set_tile_url:
 * @tile_url: (nullable): a tile URL template, or %NULL for the one in the
 *   settings
 *
 * Downloads tiles from @tile_url, as `--tile-url` asks, in place of the
 * server the settings name; a window showing tiles switches at once.
 */
void
story_window_set_tile_url (StoryWindow *self,
                           const char  *tile_url)
{
  g_return_if_fail (STORY_IS_WINDOW (self));

  if (g_strcmp0 (tile_url, g_object_get_data (G_OBJECT (self), TILE_URL_KEY)) == 0)
    return;

  g_object_set_data_full (G_OBJECT (self), TILE_URL_KEY, g_strdup (tile_url), g_free);
  if (self->tile_source != NULL)
    on_tile_url_changed (self);
}

/**
 * story_window_set_mbtiles_file:
 * @path: (nullable): an MBTiles file
 *
 * The base map a new window sets up, as `--mbtiles` asks, in place of the
 * one it remembers. A window already showing its map opens another with
 * story_window_open_mbtiles().
 */
void
story_window_set_mbtiles_file (StoryWindow *self,
                               const char  *path)
{
  g_return_if_fail (STORY_IS_WINDOW (self));

  g_object_set_data_full (G_OBJECT (self), MBTILES_KEY, g_strdup (path), g_free);
}

void
_story_window_init_maps (StoryWindow *self)
{
  g_signal_connect_object (self->settings, "changed::tile-url",
                           G_CALLBACK (on_tile_url_changed), self, G_CONNECT_SWAPPED);
}
