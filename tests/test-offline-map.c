/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>

#include "story-offline-map.h"

/* The built-in map as the map sees it: tiles arrive as textures with the
 * pixels the offline source draws, tiles drawn ahead are handed over
 * without drawing them again, and a fill the map gave up on is not
 * completed. */

typedef struct
{
  GMainLoop *loop;
  gboolean   done;
  gboolean   ok;
  GError    *error;
  int        n_filled;
} Fill;

static void
fill_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fill *fill = user_data;

  fill->ok = shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (object), result, &fill->error);
  fill->done = TRUE;
  g_main_loop_quit (fill->loop);
}

static void
on_tile_filled (StoryOfflineMap *map,
                int              x,
                int              y,
                int              zoom,
                Fill            *fill)
{
  fill->n_filled++;
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("A tile was not filled within 20 s");
  return G_SOURCE_REMOVE;
}

static void
run_fill (StoryOfflineMap *map,
          ShumateTile     *tile,
          GCancellable    *cancellable,
          Fill            *fill)
{
  guint timeout = g_timeout_add_seconds (20, timeout_cb, NULL);

  fill->done = FALSE;
  shumate_map_source_fill_tile_async (SHUMATE_MAP_SOURCE (map), tile, cancellable, fill_cb, fill);
  if (!fill->done)
    g_main_loop_run (fill->loop);
  g_source_remove (timeout);
}

/* The texture's pixels, as cairo's ARGB32 in memory. */
static void
assert_tile_pixels (GdkTexture *texture,
                    StoryOfflineSource *source,
                    int          x,
                    int          y,
                    int          zoom)
{
  cairo_surface_t *expected = story_offline_source_draw_tile (source, x, y, zoom);
  int size = STORY_OFFLINE_SOURCE_TILE_SIZE, stride = cairo_image_surface_get_stride (expected);
  g_autofree guchar *pixels = g_malloc (stride * size);

  g_assert_cmpint (gdk_texture_get_width (texture), ==, size);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, size);

  gdk_texture_download (texture, pixels, stride);
  cairo_surface_flush (expected);
  g_assert_cmpmem (pixels, stride * size, cairo_image_surface_get_data (expected), stride * size);
  cairo_surface_destroy (expected);
}

static void
test_fill (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  g_autoptr(StoryOfflineMap) map = story_offline_map_new (source);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(ShumateTile) tile = shumate_tile_new_full (79, 48, 256, 7);
  Fill fill = { .loop = loop };
  GdkPaintable *paintable;

  g_assert_cmpstr (shumate_map_source_get_id (SHUMATE_MAP_SOURCE (map)), ==, STORY_OFFLINE_SOURCE_ID);
  g_assert_cmpuint (shumate_map_source_get_tile_size (SHUMATE_MAP_SOURCE (map)), ==, 256);
  g_signal_connect (map, "tile-filled", G_CALLBACK (on_tile_filled), &fill);

  run_fill (map, tile, NULL, &fill);
  g_assert_no_error (fill.error);
  g_assert_true (fill.ok);
  g_assert_cmpint (fill.n_filled, ==, 1);
  g_assert_cmpint (shumate_tile_get_state (tile), ==, SHUMATE_STATE_DONE);

  paintable = shumate_tile_get_paintable (tile);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  assert_tile_pixels (GDK_TEXTURE (paintable), source, 79, 48, 7);
  g_assert_cmpuint (story_offline_map_get_n_pending (map), ==, 0);
}

static void
test_prefetch (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  g_autoptr(StoryOfflineMap) map = story_offline_map_new (source);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Fill fill = { .loop = loop };
  guint n;

  /* A 512 × 512 view on Yerevan at zoom 7: a few tiles around it. */
  story_offline_map_prefetch (map, 40.18, 44.51, 7, 512, 512);
  n = story_offline_map_get_n_pending (map);
  g_assert_cmpuint (n, >=, 4);
  g_assert_cmpuint (n, <=, 9);

  /* The tile under Yerevan, asked for by the map, is the one drawn ahead. */
  {
    g_autoptr(ShumateTile) tile = shumate_tile_new_full (79, 48, 256, 7);

    run_fill (map, tile, NULL, &fill);
    g_assert_true (fill.ok);
    g_assert_cmpuint (story_offline_map_get_n_pending (map), ==, n - 1);
    assert_tile_pixels (GDK_TEXTURE (shumate_tile_get_paintable (tile)), source, 79, 48, 7);
  }

  /* Tiles of an earlier view that were never asked for are dropped once
   * drawn: what remains are the new view's (at most 2 × 2 tiles). */
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    do
      {
        g_usleep (G_USEC_PER_SEC / 50);
        while (g_main_context_iteration (NULL, FALSE))
          ;
        story_offline_map_prefetch (map, 40.18, 44.51, 9, 256, 256);
      }
    while (story_offline_map_get_n_pending (map) > 4 && g_get_monotonic_time () < end);

    g_assert_cmpuint (story_offline_map_get_n_pending (map), <=, 4);
    g_assert_cmpuint (story_offline_map_get_n_pending (map), >=, 1);
  }
}

static void
test_cancelled (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  g_autoptr(StoryOfflineMap) map = story_offline_map_new (source);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ShumateTile) tile = shumate_tile_new_full (80, 48, 256, 7);
  Fill fill = { .loop = loop };

  g_signal_connect (map, "tile-filled", G_CALLBACK (on_tile_filled), &fill);
  g_cancellable_cancel (cancellable);
  run_fill (map, tile, cancellable, &fill);

  g_assert_false (fill.ok);
  g_assert_error (fill.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (shumate_tile_get_paintable (tile));
  g_assert_cmpint (fill.n_filled, ==, 0);
  g_clear_error (&fill.error);
}

static void
test_no_such_tile (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  g_autoptr(StoryOfflineMap) map = story_offline_map_new (source);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(ShumateTile) tile = shumate_tile_new_full (300, 2, 256, 7);
  Fill fill = { .loop = loop };

  run_fill (map, tile, NULL, &fill);
  g_assert_false (fill.ok);
  g_assert_error (fill.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (shumate_tile_get_paintable (tile));
  g_clear_error (&fill.error);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/offline-map/fill", test_fill);
  g_test_add_func ("/story/offline-map/prefetch", test_prefetch);
  g_test_add_func ("/story/offline-map/cancelled", test_cancelled);
  g_test_add_func ("/story/offline-map/no-such-tile", test_no_such_tile);

  return g_test_run ();
}
