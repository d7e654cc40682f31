/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "story-test-window.h"

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

  /* `story-map broken.json`: the error is shown over the bundled story. */
  window = new_window ();
  story_window_open (window, file);
  WAIT_FOR (story_window_get_document (window) != NULL);
  g_assert_cmpuint (story_document_get_n_paragraphs (story_window_get_document (window)), ==, 13);
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

  return story_test_run ();
}
