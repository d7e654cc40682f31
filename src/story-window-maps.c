/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-window"

#include "config.h"

#include <glib/gi18n.h>

#include "story-application.h"
#include "story-mbtiles-source.h"
#include "story-offline-map.h"
#include "story-print.h"
#include "story-window-private.h"

/* Base maps ---------------------------------------------------------------- */

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
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
      const char *override = STORY_IS_APPLICATION (app)
                             ? story_application_get_tile_url (STORY_APPLICATION (app)) : NULL;
      g_autofree char *url = override ? g_strdup (override)
                                      : g_settings_get_string (self->settings, "tile-url");

      self->tile_source = story_tile_source_new (url, NULL);
      g_object_bind_property (self->tile_source, "offline", self->map_view, "offline",
                              G_BINDING_SYNC_CREATE);
    }

  map_source = story_tile_source_new_map_source (self->tile_source);
  story_map_view_set_online_source (self->map_view, map_source);
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

static void
open_mbtiles_action (GtkWidget  *widget,
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

static void
use_builtin_map_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  story_window_use_builtin_map (STORY_WINDOW (widget));
}

void
_story_window_setup_base_map (StoryWindow *self)
{
  g_autofree char *mbtiles = g_settings_get_string (self->settings, "mbtiles-file");
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  const char *override = STORY_IS_APPLICATION (app)
                         ? story_application_get_mbtiles (STORY_APPLICATION (app)) : NULL;
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

static void
print_action (GtkWidget  *widget,
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
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    StoryWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      const char *scale = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "scale");
      g_autoptr(GError) error = NULL;

      if (path == NULL ||
          !story_map_view_export_png (self->map_view, path, g_strcmp0 (scale, "2") == 0 ? 2 : 1, &error))
        _story_window_show_error (self, _("Could Not Export the Map"),
                                  error ? error->message : _("Only local files can be written."));
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_map_action (GtkWidget  *widget,
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

void
_story_window_init_maps (StoryWindow *self)
{
  g_signal_connect_object (self->settings, "changed::tile-url",
                           G_CALLBACK (on_tile_url_changed), self, G_CONNECT_SWAPPED);
}

void
_story_window_class_init_maps (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "win.export-map", NULL, export_map_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-map", NULL);

  gtk_widget_class_install_action (widget_class, "win.open-mbtiles", NULL, open_mbtiles_action);
  gtk_widget_class_install_action (widget_class, "win.use-builtin-map", NULL, use_builtin_map_action);
}
