/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sys/stat.h>

#include "story-preferences.h"
#include "story-test-window.h"
#include "story-tile-source.h"
#include "story-window-private.h"

/* What the window remembers between runs, and what it does with settings
 * that no longer make sense. */

static StoryWindow *
new_window (void)
{
  StoryWindow *window = story_window_new (GTK_APPLICATION (g_application_get_default ()));

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
close_window (StoryWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_close (GTK_WINDOW (window));
  WAIT_FOR (weak == NULL);
}

static void
map_centre_of (StoryWindow *window,
               double      *lat,
               double      *lon)
{
  ShumateViewport *viewport = story_map_view_get_viewport (story_window_get_map_view (window));

  *lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  *lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
}

/* The setting's value, freed with the test. */
static const char *
setting (GSettings  *settings,
         const char *key)
{
  char *value = g_settings_get_string (settings, key);

  g_test_queue_free (value);
  return value;
}

static void
reset_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    g_settings_reset (settings, keys[i]);
}

static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  StoryWindow *window;
  int width, height;

  reset_settings (settings);
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  g_settings_set_int (settings, "pane-position", 420);

  window = new_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  /* Closing remembers the size. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  close_window (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "pane-position"), ==, 420);
}

static void
test_nonsense_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  StoryWindow *window;
  int width, height;

  reset_settings (settings);
  g_settings_set_int (settings, "window-width", -40);
  g_settings_set_int (settings, "window-height", 2000000);

  /* A size no screen has is brought back to one that works. */
  window = new_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, >=, 360);
  g_assert_cmpint (height, <=, 10000);
  close_window (window);
}

static void
test_last_story (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "mine.storymap.geojson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"Mine\", \"paragraphs\": [\"P\"]}, \"features\": []}";
  StoryWindow *window;

  reset_settings (settings);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));

  /* Opening a story remembers it… */
  window = new_window ();
  story_window_open (window, file);
  WAIT_FOR (story_window_get_document (window) != NULL);
  g_assert_cmpstr (story_document_get_title (story_window_get_document (window)), ==, "Mine");
  g_assert_cmpstr (setting (settings, "last-story"), ==, uri);
  close_window (window);

  /* …and the next start opens it again. */
  window = new_window ();
  story_window_open_last (window);
  WAIT_FOR (story_window_get_document (window) != NULL);
  g_assert_cmpstr (story_document_get_title (story_window_get_document (window)), ==, "Mine");
  close_window (window);

  /* Gone since: the bundled story opens instead. */
  g_unlink (path);
  window = new_window ();
  story_window_open_last (window);
  WAIT_FOR (story_window_get_document (window) != NULL);
  g_assert_cmpuint (story_document_get_n_paragraphs (story_window_get_document (window)), ==, 13);
  close_window (window);
  g_rmdir (dir);
}

static void
test_broken_first_story (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  StoryWindow *window;

  reset_settings (settings);
  g_assert_true (g_file_set_contents (path, "{", -1, NULL));

  /* `story-map broken.json`: the window says why, with no story, and
   * nothing is remembered. */
  window = new_window ();
  story_window_open (window, file);
  WAIT_FOR (!story_window_is_loading (window));
  g_assert_null (story_window_get_document (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->content_stack), ==, "error");
  g_assert_cmpstr (setting (settings, "last-story"), ==, "");
  close_window (window);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_bad_mbtiles_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "map.mbtiles", NULL);
  StoryWindow *window;
  ShumateMapSource *base;

  reset_settings (settings);
  g_assert_true (g_file_set_contents (path, "not a database", -1, NULL));
  g_settings_set_string (settings, "mbtiles-file", path);

  /* The built-in map stands in, and the setting is kept for when the
   * file is readable again (a USB stick plugged back in). */
  window = new_window ();
  base = story_map_view_get_base_source (story_window_get_map_view (window));
  g_assert_cmpstr (shumate_map_source_get_id (base), ==, "story-offline");
  g_assert_cmpstr (setting (settings, "mbtiles-file"), ==, path);
  close_window (window);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_online_toggle (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  StoryWindow *window;
  StoryMapView *map_view;

  reset_settings (settings);
  window = new_window ();
  map_view = story_window_get_map_view (window);
  g_assert_nonnull (story_map_view_get_online_source (map_view));

  /* The menu's toggle is the setting. */
  g_action_group_activate_action (G_ACTION_GROUP (g_application_get_default ()), "online-tiles", NULL);
  g_assert_false (g_settings_get_boolean (settings, "online-tiles"));
  g_assert_null (story_map_view_get_online_source (map_view));

  g_settings_set_boolean (settings, "online-tiles", TRUE);
  g_assert_nonnull (story_map_view_get_online_source (map_view));
  close_window (window);
}

/* The row of the Preferences window whose title is @title. */
static AdwActionRow *
find_row (GtkWidget  *root,
          const char *title)
{
  if (ADW_IS_ACTION_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return ADW_ACTION_ROW (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *row = find_row (child, title);

      if (row != NULL)
        return row;
    }

  return NULL;
}

/* Tiles are not downloaded on a metered connection until Preferences allow
 * it; the map says why the built-in map shows. */
static void
test_download_on_metered (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  StoryWindow *window;
  StoryMapView *map_view;
  GtkWidget *preferences;
  AdwActionRow *row;
  GtkSwitch *metered_switch;
  gpointer weak;

  reset_settings (settings);
  g_assert_false (g_settings_get_boolean (settings, "download-on-metered"));

  window = new_window ();
  map_view = story_window_get_map_view (window);
  g_assert_nonnull (window->tile_source);
  g_assert_false (story_tile_source_get_download_on_metered (window->tile_source));

  /* The network turns metered, as GNetworkMonitor would say: the test
   * speaks for the system's monitor. */
  story_tile_source_follow_network_monitor (window->tile_source, NULL);
  story_tile_source_set_network_available (window->tile_source, TRUE);
  story_tile_source_set_network_metered (window->tile_source, TRUE);
  WAIT_FOR (shows_text (GTK_WIDGET (map_view), "Metered connection — showing the built-in map"));

  /* The switch in Preferences is the setting. */
  preferences = story_preferences_new (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  row = find_row (preferences, "Download Map Tiles on _Metered Connections");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  metered_switch = GTK_SWITCH (adw_action_row_get_activatable_widget (row));
  g_assert_false (gtk_switch_get_active (metered_switch));

  gtk_widget_activate (GTK_WIDGET (row));
  g_assert_true (gtk_switch_get_active (metered_switch));
  g_assert_true (g_settings_get_boolean (settings, "download-on-metered"));
  g_assert_true (story_tile_source_get_download_on_metered (window->tile_source));
  g_assert_false (story_tile_source_get_metered_paused (window->tile_source));
  g_assert_nonnull (story_map_view_get_online_source (map_view));
  WAIT_FOR (!shows_text (GTK_WIDGET (map_view), "Metered connection — showing the built-in map"));

  g_settings_set_boolean (settings, "download-on-metered", FALSE);
  g_assert_false (gtk_switch_get_active (metered_switch));
  g_assert_true (story_tile_source_get_metered_paused (window->tile_source));

  /* Without online tiles there is nothing to allow. */
  g_settings_set_boolean (settings, "online-tiles", FALSE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  WAIT_FOR (!shows_text (GTK_WIDGET (map_view), "Metered connection — showing the built-in map"));

  weak = preferences;
  g_object_add_weak_pointer (G_OBJECT (preferences), &weak);
  gtk_window_destroy (GTK_WINDOW (preferences));
  WAIT_FOR (weak == NULL);
  close_window (window);
  reset_settings (settings);
}

/* A story file dropped on the window opens in it. */
static void
test_drop_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dropped.storymap.geojson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"Dropped\", \"paragraphs\": [\"P\"]}, \"features\": []}";
  GtkDropTarget *target = NULL;
  GListModel *controllers;
  StoryWindow *window;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;
  GFile *files[] = { file };

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  window = new_window ();

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (c))
        target = GTK_DROP_TARGET (c);
    }
  g_object_unref (controllers);
  g_assert_nonnull (target);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, 1));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);

  WAIT_FOR (story_window_get_document (window) != NULL);
  g_assert_cmpstr (story_document_get_title (story_window_get_document (window)), ==, "Dropped");
  close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* Another application hands over a geo: URI: the map goes there. */
static void
test_geo_uri (void)
{
  g_autoptr(GFile) uri = g_file_new_for_uri ("geo:39.2076,46.4058?z=12");
  GtkApplication *app = GTK_APPLICATION (g_application_get_default ());
  StoryWindow *window = new_window ();
  ShumateViewport *viewport = story_map_view_get_viewport (story_window_get_map_view (window));

  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (story_window_get_map_view (window))) > 100);
  story_test_settle ();

  g_application_open (G_APPLICATION (app), &uri, 1, "");
  WAIT_FOR (fabs (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)) - 39.2076) < 0.01);
  g_assert_cmpfloat_with_epsilon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), 46.4058, 0.01);
  close_window (window);
}

/* The window the application opened last, and its visible error
 * dialog, if any. */
static StoryWindow *
newest_window (GList *before)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (g_application_get_default ()));

  for (GList *l = windows; l; l = l->next)
    if (STORY_IS_WINDOW (l->data) && g_list_find (before, l->data) == NULL)
      return l->data;

  return NULL;
}

static GtkWidget *
error_dialog_of (StoryWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (w) &&
          gtk_window_get_transient_for (GTK_WINDOW (w)) == GTK_WINDOW (window))
        return w;
    }

  return NULL;
}

/* Waits for @window to come up saying, in place of a story, that its file
 * could not be opened, with @text in the details and no dialog over it;
 * then closes it. */
static void
assert_open_failed (StoryWindow *window,
                    const char  *text)
{
  g_assert_nonnull (window);
  WAIT_FOR (!story_window_is_loading (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window->error_page)));
  g_assert_null (story_window_get_document (window));
  g_assert_null (error_dialog_of (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_nonnull (strstr (gtk_label_get_text (window->error_details), text));

  close_window (window);
}

#define NOT_REGULAR "error: This is not a regular file: only a regular file can be a story"

/* `story-map /dev/zero` (or a pipe), also sent to a running instance: a
 * window that says why it has no story; nothing is read. */
static void
test_open_not_regular (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe.storymap.geojson", NULL);
  GApplication *app = g_application_get_default ();
  StoryWindow *running;
  const char *paths[] = { "/dev/zero", fifo };

  reset_settings (settings);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  running = new_window ();
  story_window_open_bundled (running);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);
      g_autoptr(GList) before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

      g_application_open (app, &file, 1, "");
      assert_open_failed (newest_window (before), NOT_REGULAR);
      g_assert_cmpstr (setting (settings, "last-story"), ==, "");
    }

  /* The window that was open is untouched. */
  g_assert_nonnull (story_window_get_document (running));
  close_window (running);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* A last story that cannot be read never stops the start: the window comes
 * up saying why, with the way to the sample story. A device or a pipe can never be
 * a story, so it is forgotten; a broken file is kept, to be mended. */
static void
test_last_story_not_regular (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe.storymap.geojson", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.storymap.geojson", NULL);
  g_autoptr(GFile) fifo_file = g_file_new_for_path (fifo);
  g_autoptr(GFile) broken_file = g_file_new_for_path (broken);
  g_autofree char *fifo_uri = g_file_get_uri (fifo_file);
  g_autofree char *broken_uri = g_file_get_uri (broken_file);
  const char *uris[] = { "file:///dev/zero", "file:///dev/null", fifo_uri };
  GApplication *app = g_application_get_default ();

  reset_settings (settings);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (broken, "{", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(GList) before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

      g_settings_set_string (settings, "last-story", uris[i]);
      g_application_activate (app);
      assert_open_failed (newest_window (before), NOT_REGULAR);
      g_assert_cmpstr (setting (settings, "last-story"), ==, "");
    }

  {
    g_autoptr(GList) before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

    g_settings_set_string (settings, "last-story", broken_uri);
    g_application_activate (app);
    assert_open_failed (newest_window (before), "broken.storymap.geojson:");
    g_assert_cmpstr (setting (settings, "last-story"), ==, broken_uri);
  }

  g_unlink (fifo);
  g_unlink (broken);
  g_rmdir (dir);
}

static void
on_document_notify (GObject    *selection,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  gboolean *arrived = user_data;

  *arrived = TRUE;
}

/* `story-map geo:…` with no window open and a last story set: the story
 * loads, but the map stays on the point asked for. */
static void
test_geo_uri_cold_start (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "far.storymap.geojson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GFile) geo = g_file_new_for_uri ("geo:48.8566,2.3522");
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"Far\", \"paragraphs\": [\"Only Tbilisi.\"],\n"
    "  \"view\": [44.6, 41.6, 45.0, 41.8]},\n"
    " \"features\": [{\"type\": \"Feature\", \"id\": \"tbilisi\", \"properties\": {\"name\": \"Tbilisi\"},\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.79, 41.72]}}]}";
  GApplication *app = g_application_get_default ();
  g_autoptr(GList) before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  StoryWindow *window;
  ShumateViewport *viewport;
  gboolean arrived = FALSE;

  reset_settings (settings);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  g_settings_set_string (settings, "last-story", uri);
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));

  g_application_open (app, &geo, 1, "");
  window = newest_window (before);
  g_assert_nonnull (window);
  g_signal_connect (story_window_get_selection (window), "notify::document",
                    G_CALLBACK (on_document_notify), &arrived);

  /* The story arrives from its thread after the point was asked for. */
  g_assert_true (story_window_is_loading (window));
  WAIT_FOR (arrived);
  g_assert_cmpstr (story_document_get_title (story_window_get_document (window)), ==, "Far");

  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (story_window_get_map_view (window))) > 100);
  story_test_settle ();
  viewport = story_map_view_get_viewport (story_window_get_map_view (window));
  g_assert_cmpfloat_with_epsilon (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), 48.8566, 0.01);
  g_assert_cmpfloat_with_epsilon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), 2.3522, 0.01);

  /* A story opened afterwards shows its own view again. */
  arrived = FALSE;
  story_window_open (window, file);
  WAIT_FOR (arrived);
  story_test_settle ();
  g_assert_cmpfloat_with_epsilon (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), 41.7, 0.1);

  g_signal_handlers_disconnect_by_func (story_window_get_selection (window), on_document_notify, &arrived);
  close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* A second `story-map geo:…` that is no geo: URI: the running window says
 * so, showing the text as it was written. */
static void
test_bad_geo_uri (void)
{
  g_autoptr(GFile) uri = g_file_new_for_uri ("geo:<b>north</b>,\nsouth");
  GApplication *app = g_application_get_default ();
  StoryWindow *window = new_window ();
  double lat, lon;

  story_window_open_bundled (window);
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (story_window_get_map_view (window))) > 100);
  story_test_settle ();
  map_centre_of (window, &lat, &lon);

  g_application_open (app, &uri, 1, "");
  WAIT_FOR (shows_text (GTK_WIDGET (window), "“geo:<b>north</b>,\\nsouth” is not a geo: URI"));

  /* No other window, and the map has not moved. */
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
  {
    double lat2, lon2;

    map_centre_of (window, &lat2, &lon2);
    g_assert_cmpfloat (lat2, ==, lat);
    g_assert_cmpfloat (lon2, ==, lon);
  }
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  story_test_init (&argc, &argv);

  g_test_add_func ("/story/settings/window-state", test_window_state);
  g_test_add_func ("/story/settings/nonsense-size", test_nonsense_size);
  g_test_add_func ("/story/settings/last-story", test_last_story);
  g_test_add_func ("/story/settings/broken-first-story", test_broken_first_story);
  g_test_add_func ("/story/settings/bad-mbtiles", test_bad_mbtiles_setting);
  g_test_add_func ("/story/settings/online-toggle", test_online_toggle);
  g_test_add_func ("/story/settings/download-on-metered", test_download_on_metered);
  g_test_add_func ("/story/settings/drop-file", test_drop_file);
  g_test_add_func ("/story/settings/geo-uri", test_geo_uri);
  g_test_add_func ("/story/settings/geo-uri-cold-start", test_geo_uri_cold_start);
  g_test_add_func ("/story/settings/bad-geo-uri", test_bad_geo_uri);
  g_test_add_func ("/story/settings/open-not-regular", test_open_not_regular);
  g_test_add_func ("/story/settings/last-story-not-regular", test_last_story_not_regular);

  return story_test_run ();
}
