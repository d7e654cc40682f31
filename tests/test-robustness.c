/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <unistd.h>

#include "story-test-window.h"
#include "story-mbtiles-source.h"
#include "story-tile-source.h"

/*
 * Nothing lost: a map file that will not open, a window closed while its
 * tiles are still on the way, and a tile cache that cannot be written each
 * leave the app as it was and usable.
 *
 * This whole program runs with XDG_CACHE_HOME below a regular file, so no
 * cache directory can ever be created.
 */

static char *not_a_dir;     /* a regular file standing where a folder should */

/* A tile server on 127.0.0.1 ------------------------------------------- */

typedef struct
{
  SoupServer *server;
  char       *url;          /* template with {z}/{x}/{y} */
  GBytes     *png;
  guint       delay_ms;     /* before each answer; 0 answers at once */
  guint       n_requests;
  guint       n_answered;
  GPtrArray  *paused;       /* SoupServerMessage waiting for their answer */
  guint       delay_id;
} TileServer;

static GBytes *
png_tile (void)
{
  g_autofree guchar *pixels = g_malloc (256 * 256 * 4);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (guint i = 0; i < 256 * 256; i++)
    ((guint32 *)(gpointer)pixels)[i] = 0xff3366aa;

  data = g_bytes_new_take (g_steal_pointer (&pixels), 256 * 256 * 4);
  texture = gdk_memory_texture_new (256, 256, GDK_MEMORY_DEFAULT, data, 256 * 4);
  return gdk_texture_save_to_png_bytes (texture);
}

static void
answer (TileServer        *ts,
        SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (ts->png, NULL), g_bytes_get_size (ts->png));
  ts->n_answered++;
}

/* A client that gave up takes its request with it. */
static void
on_message_finished (SoupServerMessage *msg,
                     TileServer        *ts)
{
  g_ptr_array_remove (ts->paused, msg);
}

static gboolean
on_delay_over (gpointer user_data)
{
  TileServer *ts = user_data;

  ts->delay_id = 0;
  while (ts->paused->len > 0)
    {
      g_autoptr(SoupServerMessage) msg = g_ptr_array_steal_index (ts->paused, 0);

      g_signal_handlers_disconnect_by_func (msg, on_message_finished, ts);
      answer (ts, msg);
      soup_server_message_unpause (msg);
    }

  return G_SOURCE_REMOVE;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  TileServer *ts = user_data;

  ts->n_requests++;

  if (ts->delay_ms == 0)
    {
      answer (ts, msg);
      return;
    }

  g_ptr_array_add (ts->paused, g_object_ref (msg));
  g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished), ts);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_message_finished), ts);
  soup_server_message_pause (msg);
  if (ts->delay_id == 0)
    ts->delay_id = g_timeout_add (ts->delay_ms, on_delay_over, ts);
}

static TileServer *
tile_server_new (guint delay_ms)
{
  TileServer *ts = g_new0 (TileServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  ts->server = soup_server_new (NULL, NULL);
  ts->png = png_tile ();
  ts->delay_ms = delay_ms;
  ts->paused = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (ts->server, NULL, server_callback, ts, NULL);
  soup_server_listen_local (ts->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (ts->server);
  ts->url = g_strdup_printf ("http://127.0.0.1:%d/{z}/{x}/{y}.png", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return ts;
}

static void
tile_server_free (TileServer *ts)
{
  /* Answer whatever still waits, so no connection is left hanging. */
  g_clear_handle_id (&ts->delay_id, g_source_remove);
  on_delay_over (ts);
  story_test_settle ();

  soup_server_disconnect (ts->server);
  g_clear_handle_id (&ts->delay_id, g_source_remove);
  on_delay_over (ts);
  g_clear_object (&ts->server);
  g_ptr_array_unref (ts->paused);
  g_bytes_unref (ts->png);
  g_free (ts->url);
  g_free (ts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TileServer, tile_server_free)

static StoryApplication *
application (Fixture *f)
{
  return STORY_APPLICATION (gtk_window_get_application (GTK_WINDOW (f->window)));
}

/* Another window like the fixture's, with the bundled story shown. */
static StoryWindow *
open_window (Fixture *f)
{
  StoryWindow *window = story_window_new (GTK_APPLICATION (application (f)));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  story_window_open_bundled (window);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (story_window_get_document (window) != NULL);

  return window;
}

static void
destroy_window (StoryWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (window == NULL);
}

/* A failed MBTiles open ------------------------------------------------ */

static char *
seed_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fuzz", "corpus-mbtiles", name, NULL);
}

static void
assert_mbtiles_setting (GSettings  *settings,
                        const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, "mbtiles-file");

  g_assert_cmpstr (value, ==, expected);
}

static void
test_failed_mbtiles_open (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  StoryMapView *map_view = story_window_get_map_view (f->window);
  g_autofree char *valid = seed_path ("valid-png.mbtiles");
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *text_file = g_build_filename (dir, "notes.mbtiles", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  ShumateMapSource *base;
  const char *broken[] = {
    text_file,
    missing,
    dir,
    NULL, NULL, NULL, NULL,
  };
  g_autofree char *truncated = seed_path ("bad-truncated.mbtiles");
  g_autofree char *no_tiles = seed_path ("bad-no-tiles.mbtiles");
  g_autofree char *vector = seed_path ("bad-vector.mbtiles");
  g_autofree char *empty = seed_path ("bad-empty-file.mbtiles");

  broken[3] = truncated;
  broken[4] = no_tiles;
  broken[5] = vector;
  broken[6] = empty;
  g_assert_true (g_file_set_contents (text_file, "These are my notes, not a map.\n", -1, NULL));

  /* Each refusal keeps the built-in map and the remembered file. */
  base = story_map_view_get_base_source (map_view);
  g_assert_nonnull (base);
  assert_mbtiles_setting (settings, "");
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_assert_false (story_window_open_mbtiles (f->window, broken[i], &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
      g_assert_true (story_map_view_get_base_source (map_view) == base);
      assert_mbtiles_setting (settings, "");
    }

  /* With a good file open, a bad one does not replace it either. */
  g_assert_true (story_window_open_mbtiles (f->window, valid, &error));
  g_assert_no_error (error);
  base = story_map_view_get_base_source (map_view);
  assert_mbtiles_setting (settings, valid);

  g_assert_false (story_window_open_mbtiles (f->window, text_file, &error));
  g_assert_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_NOT_SQLITE);
  g_assert_true (story_map_view_get_base_source (map_view) == base);
  assert_mbtiles_setting (settings, valid);

  /* And the window still works. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);

  story_window_use_builtin_map (f->window);
  g_settings_reset (settings, "mbtiles-file");
  g_unlink (text_file);
  g_rmdir (dir);
}

/* Closing a window while its tiles are on the way ---------------------- */

static void
test_destroy_while_downloading (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(TileServer) ts = tile_server_new (1500);
  g_autofree char *old_url = g_strdup (story_application_get_tile_url (application (f)));
  StoryWindow *window;

  story_application_set_tile_url (application (f), ts->url);
  window = open_window (f);
  WAIT_FOR (ts->n_requests >= 2);
  g_assert_cmpuint (ts->n_answered, ==, 0);

  /* The window goes while every request is still unanswered… */
  destroy_window (window);

  /* …and the late answers (or the closed connections) find nobody,
   * harmlessly. */
  WAIT_FOR (ts->paused->len == 0);
  story_test_settle ();

  /* The other window never noticed. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);

  story_application_set_tile_url (application (f), old_url);
}

/* A tile cache that cannot be written ---------------------------------- */

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} Fetch;

static void
on_fetched (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result,
                                                           &fetch->error);
  fetch->done = TRUE;
}

static void
fetch_tile (StoryTileSource *source,
            int              x,
            int              y,
            int              z)
{
  Fetch fetch = { FALSE, NULL, NULL };

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, z,
                                           NULL, on_fetched, &fetch);
  WAIT_FOR (fetch.done);

  g_assert_no_error (fetch.error);
  g_assert_nonnull (fetch.bytes);
  g_bytes_unref (fetch.bytes);
}

static void
test_unwritable_cache (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TileServer) ts = tile_server_new (0);
  g_autofree char *cache_dir = g_build_filename (not_a_dir, "tiles", NULL);
  g_autoptr(StoryTileSource) source = story_tile_source_new (ts->url, cache_dir);
  g_autofree char *old_url = g_strdup (story_application_get_tile_url (application (f)));
  StoryWindow *window;

  /* Every tile arrives, and each time from the server: nothing was kept. */
  fetch_tile (source, 0, 0, 1);
  fetch_tile (source, 1, 0, 1);
  fetch_tile (source, 0, 0, 1);
  g_assert_cmpuint (ts->n_requests, ==, 3);
  g_assert_false (story_tile_source_get_offline (source));
  g_assert_false (g_file_test (cache_dir, G_FILE_TEST_EXISTS));

  /* A window on the same server draws its map and answers the user. */
  story_application_set_tile_url (application (f), ts->url);
  window = open_window (f);
  WAIT_FOR (ts->n_answered >= 6);
  story_test_settle ();
  g_assert_false (story_map_view_get_offline (story_window_get_map_view (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (story_window_get_selection (window)), ==, 1);
  destroy_window (window);

  story_application_set_tile_url (application (f), old_url);
  g_assert_true (g_file_test (not_a_dir, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_home = NULL;
  int fd, status;

  fd = g_file_open_tmp ("story-map-not-a-dir-XXXXXX", &not_a_dir, NULL);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  cache_home = g_build_filename (not_a_dir, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

  story_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/story/robustness/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("failed-mbtiles-open", test_failed_mbtiles_open);
  ADD ("destroy-while-downloading", test_destroy_while_downloading);
  ADD ("unwritable-cache", test_unwritable_cache);
#undef ADD

  status = story_test_run ();
  g_unlink (not_a_dir);
  g_free (not_a_dir);

  return status;
}
