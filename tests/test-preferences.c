/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "story-map-view.h"
#include "story-mbtiles-source.h"
#include "story-preferences.h"
#include "story-test-window.h"

/* What the Preferences window and the map show of a base map's file:
 * its name and its attribution, as plain text, never markup, never wider
 * than the map. Any GTK warning (such as markup that does not parse) fails
 * these tests. */

/* Files ------------------------------------------------------------------ */

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
png_tile (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);
  GByteArray *array = g_byte_array_new ();

  cairo_set_source_rgb (cr, 0.3, 0.6, 0.3);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_to_array, array),
                   ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static void
insert (sqlite3    *db,
        const char *sql,
        const void *blob,
        gsize       size)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, blob, size, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/* A file with a good tile at 0/0/0, a damaged one at 1/0/0 and
 * @attribution. */
static void
create_mbtiles (const char *path,
                const char *attribution)
{
  g_autoptr(GBytes) tile = png_tile ();
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE metadata (name TEXT, value TEXT);"
                                 "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                                 "                    tile_row INTEGER, tile_data BLOB);"
                                 "INSERT INTO metadata VALUES ('minzoom', '0'), ('maxzoom', '1');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  insert (db, "INSERT INTO metadata VALUES ('attribution', CAST(?1 AS TEXT))",
          attribution, strlen (attribution));
  insert (db, "INSERT INTO tiles VALUES (0, 0, 0, ?1)",
          g_bytes_get_data (tile, NULL), g_bytes_get_size (tile));
  insert (db, "INSERT INTO tiles VALUES (1, 0, 1, ?1)", "not an image", 12);
  sqlite3_close (db);
}

/* Tests ------------------------------------------------------------------ */

/* The Base Map row shows the file's name as it is: "&" is no markup
 * error, escaped markup stays escaped, and a right-to-left override
 * cannot turn "txt.mbtiles" into "selitbm.txt". */
static void
test_file_name (void)
{
  static const struct {
    const char *file;
    const char *shown;
  } cases[] = {
    { "/media/stick/Roads & Rivers.mbtiles", "Roads & Rivers.mbtiles" },
    { "/media/stick/A&lt;b&gt;\xe2\x80\xaetxt.mbtiles", "A&lt;b&gt;\xef\xbf\xbdtxt.mbtiles" },
    { "/media/stick/<b>bold<b> <i.mbtiles", "<b>bold<b> <i.mbtiles" },
  };
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWidget *preferences;

  g_settings_set_string (settings, "mbtiles-file", "");
  preferences = story_preferences_new (NULL);
  gtk_window_present (GTK_WINDOW (preferences));
  WAIT_FOR (shows_text (preferences, "Built-in offline map"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].file);
      g_settings_set_string (settings, "mbtiles-file", cases[i].file);
      WAIT_FOR (shows_text (preferences, cases[i].shown));
    }

  g_settings_set_string (settings, "mbtiles-file", "");
  gtk_window_destroy (GTK_WINDOW (preferences));
  settle ();
}

typedef struct
{
  GtkWidget          *window;
  StoryMapView       *map_view;
  StoryMbtilesSource *source;
  char               *dir;
  char               *path;
} MapFixture;

static void
map_fixture_set_up (MapFixture *f,
                    const char *attribution)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ShumateMapSource) map_source = NULL;

  f->dir = g_dir_make_tmp ("story-map-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "map.mbtiles", NULL);
  create_mbtiles (f->path, attribution);
  f->source = story_mbtiles_source_new (f->path, &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 480, 360);
  f->map_view = STORY_MAP_VIEW (story_map_view_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->map_view));
  map_source = story_mbtiles_source_new_map_source (f->source);
  story_map_view_set_base_source (f->map_view, map_source);
  gtk_window_present (GTK_WINDOW (f->window));
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (f->map_view)) > 1);
  settle ();
}

static void
map_fixture_tear_down (MapFixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  settle ();
  g_clear_object (&f->source);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static GtkWidget *
find_license (GtkWidget *root)
{
  if (SHUMATE_IS_LICENSE (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_license (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* 64 KiB of attribution in one word: cut, wrapped and kept inside the
 * map, which keeps its size. */
static void
test_long_attribution (void)
{
  g_autofree char *attribution = g_strnfill (STORY_MBTILES_MAX_METADATA_VALUE, 'W');
  MapFixture f = { 0 };
  GtkWidget *license;
  graphene_rect_t bounds;

  map_fixture_set_up (&f, attribution);
  license = find_license (GTK_WIDGET (f.map_view));
  g_assert_nonnull (license);
  g_assert_true (gtk_widget_compute_bounds (license, GTK_WIDGET (f.map_view), &bounds));

  g_test_message ("map %d × %d, attribution %g × %g",
                  gtk_widget_get_width (GTK_WIDGET (f.map_view)),
                  gtk_widget_get_height (GTK_WIDGET (f.map_view)),
                  bounds.size.width, bounds.size.height);
  g_assert_cmpint (gtk_widget_get_width (f.window), <=, 480);
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (f.map_view)));
  g_assert_cmpfloat (bounds.size.height, <, gtk_widget_get_height (GTK_WIDGET (f.map_view)) / 2);

  map_fixture_tear_down (&f);
}

static void
on_fetched (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &error);
  g_assert_null (bytes);
  *done = TRUE;
}

/* A tile of the base map that cannot be shown is told of, and the
 * built-in map is drawn beneath it. */
static void
test_failed_tile_notice (void)
{
  MapFixture f = { 0 };
  gboolean done = FALSE;
  ShumateMap *map;
  guint n_layers = 0;

  map_fixture_set_up (&f, "© Example");
  map = story_map_view_get_map (f.map_view);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (map)); child; child = gtk_widget_get_next_sibling (child))
    if (SHUMATE_IS_MAP_LAYER (child))
      n_layers++;
  g_assert_cmpuint (n_layers, ==, 2);

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (f.source), 0, 0, 1, NULL, on_fetched, &done);
  WAIT_FOR (done);
  WAIT_FOR (shows_text (f.window, "Some tiles of this map cannot be shown — showing the built-in map"));

  map_fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  story_test_init (&argc, &argv);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  g_test_add_func ("/story/preferences/file-name", test_file_name);
  g_test_add_func ("/story/preferences/long-attribution", test_long_attribution);
  g_test_add_func ("/story/preferences/failed-tile-notice", test_failed_tile_notice);

  return story_test_run ();
}
