/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>
#include <math.h>

#include "story-geo.h"
#include "story-offline-map.h"
#include "story-offline-map-layer.h"

/* The built-in map as the map sees it: tiles arrive as textures with the
 * pixels the offline source draws, tiles drawn ahead are handed over
 * without drawing them again, a view's tiles can be finished at once and
 * are then shown by the layer under the map's, and a fill the map gave up
 * on is not completed. */

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
on_tile_drawn (StoryOfflineMap *map,
               int              x,
               int              y,
               int              zoom,
               guint           *n_drawn)
{
  (*n_drawn)++;
}

/* Yerevan at zoom 7 in a 512 × 512 view: tiles 78–80 × 47–49. */
#define VIEW_LAT  40.18
#define VIEW_LON  44.51
#define VIEW_ZOOM 7
#define VIEW_SIZE 512

static void
view_range (int *x0,
            int *x1,
            int *y0,
            int *y1)
{
  double cx, cy;

  story_geo_project (VIEW_LAT, VIEW_LON, &cx, &cy);
  cx *= 1 << VIEW_ZOOM;
  cy *= 1 << VIEW_ZOOM;
  *x0 = (int)floor (cx - VIEW_SIZE / 2.0 / 256);
  *x1 = (int)floor (cx + VIEW_SIZE / 2.0 / 256);
  *y0 = (int)floor (cy - VIEW_SIZE / 2.0 / 256);
  *y1 = (int)floor (cy + VIEW_SIZE / 2.0 / 256);
}

static void
test_finish_prefetch (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  g_autoptr(StoryOfflineMap) map = story_offline_map_new (source);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(ShumateTile) tile = NULL;
  Fill fill = { .loop = loop };
  guint n_drawn = 0, n = 0;
  GdkTexture *kept;
  int x0, x1, y0, y1;

  g_signal_connect (map, "tile-drawn", G_CALLBACK (on_tile_drawn), &n_drawn);
  story_offline_map_prefetch (map, VIEW_LAT, VIEW_LON, VIEW_ZOOM, VIEW_SIZE, VIEW_SIZE);

  /* At once, without the main loop: every tile of the view is ready. */
  story_offline_map_finish_prefetch (map);
  view_range (&x0, &x1, &y0, &y1);
  for (int x = x0; x <= x1; x++)
    for (int y = y0; y <= y1; y++)
      {
        GdkTexture *texture = story_offline_map_lookup_drawn (map, x, y, VIEW_ZOOM);

        g_assert_nonnull (texture);
        assert_tile_pixels (texture, source, x, y, VIEW_ZOOM);
        n++;
      }
  g_assert_cmpuint (n_drawn, ==, n);
  g_assert_cmpuint (story_offline_map_get_n_pending (map), ==, n);
  g_assert_null (story_offline_map_lookup_drawn (map, x1 + 1, y0, VIEW_ZOOM));

  /* The workers' own reports change nothing; nor does a view that keeps
   * these tiles. */
  kept = story_offline_map_lookup_drawn (map, x0, y0, VIEW_ZOOM);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  story_offline_map_prefetch (map, VIEW_LAT, VIEW_LON, VIEW_ZOOM, VIEW_SIZE, VIEW_SIZE);
  g_assert_cmpuint (n_drawn, ==, n);
  g_assert_true (story_offline_map_lookup_drawn (map, x0, y0, VIEW_ZOOM) == kept);

  /* The map asking for one gets that very image; it is then the map's. */
  tile = shumate_tile_new_full (x0, y0, 256, VIEW_ZOOM);
  run_fill (map, tile, NULL, &fill);
  g_assert_true (fill.ok);
  g_assert_true (shumate_tile_get_paintable (tile) == GDK_PAINTABLE (kept));
  g_assert_null (story_offline_map_lookup_drawn (map, x0, y0, VIEW_ZOOM));
  g_assert_cmpuint (story_offline_map_get_n_pending (map), ==, n - 1);
}

/* Where in the picture each texture of @node lands: texture → rect. */
static void
collect_textures (GskRenderNode *node,
                  GskTransform  *transform,
                  GHashTable    *placed)
{
  switch ((int)gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        collect_textures (gsk_container_node_get_child (node, i), transform, placed);
      break;

    case GSK_TRANSFORM_NODE:
      {
        g_autoptr(GskTransform) inner = gsk_transform_transform (gsk_transform_ref (transform),
                                                                 gsk_transform_node_get_transform (node));

        collect_textures (gsk_transform_node_get_child (node), inner, placed);
      }
      break;

    case GSK_CLIP_NODE:
      collect_textures (gsk_clip_node_get_child (node), transform, placed);
      break;

    case GSK_DEBUG_NODE:
      collect_textures (gsk_debug_node_get_child (node), transform, placed);
      break;

    case GSK_TEXTURE_NODE:
      {
        graphene_rect_t bounds, *rect = g_new (graphene_rect_t, 1);

        gsk_render_node_get_bounds (node, &bounds);
        gsk_transform_transform_bounds (transform, &bounds, rect);
        g_hash_table_insert (placed, gsk_texture_node_get_texture (node), rect);
      }
      break;

    default:
      break;
    }
}

/* The layer under the map's shows tiles drawn ahead where they belong. */
static void
test_layer (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  g_autoptr(StoryOfflineMap) map = story_offline_map_new (source);
  g_autoptr(ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GHashTable) placed = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  StoryOfflineMapLayer *layer;
  GtkWidget *window;
  double cx, cy;
  gint64 end;
  int x0, x1, y0, y1;

  shumate_viewport_set_reference_map_source (viewport, SHUMATE_MAP_SOURCE (map));
  shumate_viewport_set_zoom_level (viewport, VIEW_ZOOM);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), VIEW_LAT, VIEW_LON);
  layer = story_offline_map_layer_new (map, viewport);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), VIEW_SIZE, VIEW_SIZE);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (layer));
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (GTK_WIDGET (layer)) != VIEW_SIZE || !gtk_widget_get_mapped (GTK_WIDGET (layer)))
    g_main_context_iteration (NULL, TRUE);

  /* Nothing drawn ahead, nothing shown. */
  g_assert_cmpuint (story_offline_map_layer_get_n_drawn (layer), ==, 0);

  /* Once the tiles are drawn, the next frame shows them all. */
  story_offline_map_prefetch (map, VIEW_LAT, VIEW_LON, VIEW_ZOOM, VIEW_SIZE, VIEW_SIZE);
  story_offline_map_finish_prefetch (map);
  view_range (&x0, &x1, &y0, &y1);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (story_offline_map_layer_get_n_drawn (layer) == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (story_offline_map_layer_get_n_drawn (layer), ==, (x1 - x0 + 1) * (y1 - y0 + 1));

  paintable = gtk_widget_paintable_new (GTK_WIDGET (layer));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, VIEW_SIZE, VIEW_SIZE);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));

  /* Each tile where it lies in the view, exactly. */
  story_geo_project (VIEW_LAT, VIEW_LON, &cx, &cy);
  cx = cx * (1 << VIEW_ZOOM) * 256 - VIEW_SIZE / 2.0;
  cy = cy * (1 << VIEW_ZOOM) * 256 - VIEW_SIZE / 2.0;
  collect_textures (node, NULL, placed);
  g_assert_cmpuint (g_hash_table_size (placed), ==, (x1 - x0 + 1) * (y1 - y0 + 1));
  for (int x = x0; x <= x1; x++)
    for (int y = y0; y <= y1; y++)
      {
        graphene_rect_t *rect = g_hash_table_lookup (placed, story_offline_map_lookup_drawn (map, x, y, VIEW_ZOOM));

        g_assert_nonnull (rect);
        g_assert_cmpfloat_with_epsilon (rect->origin.x, x * 256 - cx, 0.01);
        g_assert_cmpfloat_with_epsilon (rect->origin.y, y * 256 - cy, 0.01);
        g_assert_cmpfloat_with_epsilon (rect->size.width, 256, 0.01);
        g_assert_cmpfloat_with_epsilon (rect->size.height, 256, 0.01);
      }

  gtk_window_destroy (GTK_WINDOW (window));
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

#define BAKU_LAT 40.41
#define BAKU_LON 49.87

/* The tile of zoom 7 with Baku in it, drawn ahead for @map. */
static GdkTexture *
baku_tile (StoryOfflineMap *map)
{
  double x, y;

  story_geo_project (BAKU_LAT, BAKU_LON, &x, &y);
  story_offline_map_prefetch (map, BAKU_LAT, BAKU_LON, 7, 256, 256);
  story_offline_map_finish_prefetch (map);
  return g_object_ref (story_offline_map_lookup_drawn (map, (int)(x * 128), (int)(y * 128), 7));
}

static guint
n_differing (GdkTexture *a,
             GdkTexture *b)
{
  int size = STORY_OFFLINE_SOURCE_TILE_SIZE, stride = size * 4;
  g_autofree guchar *pa = g_malloc (stride * size);
  g_autofree guchar *pb = g_malloc (stride * size);
  guint n = 0;

  gdk_texture_download (a, pa, stride);
  gdk_texture_download (b, pb, stride);
  for (int i = 0; i < stride * size; i++)
    n += pa[i] != pb[i];

  return n;
}

/* A marker named as a label of the map beside it: the map leaves the
 * label out, and forgets the tiles it drew with it. A marker of another
 * name changes nothing. */
static void
test_marked_places (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  g_autoptr(StoryOfflineMap) map = story_offline_map_new (source);
  g_autoptr(GListStore) places = g_list_store_new (STORY_TYPE_PLACE);
  g_autoptr(StoryPlace) baku = story_place_new ("baku", "Baku", STORY_PLACE_KIND_CITY);
  g_autoptr(StoryPlace) other = story_place_new ("other", "Elsewhere", STORY_PLACE_KIND_CITY);
  g_autoptr(GdkTexture) plain = NULL;
  g_autoptr(GdkTexture) unnamed = NULL;
  g_autoptr(GdkTexture) marked = NULL;
  double x, y;

  story_place_set_anchor (baku, BAKU_LAT, BAKU_LON);
  story_place_set_anchor (other, BAKU_LAT, BAKU_LON);
  story_geo_project (BAKU_LAT, BAKU_LON, &x, &y);
  plain = baku_tile (map);

  g_list_store_append (places, other);
  story_offline_map_set_marked_places (map, G_LIST_MODEL (places));
  g_assert_null (story_offline_map_lookup_drawn (map, (int)(x * 128), (int)(y * 128), 7));
  unnamed = baku_tile (map);
  g_assert_cmpuint (n_differing (plain, unnamed), ==, 0);

  g_list_store_append (places, baku);
  story_offline_map_set_marked_places (map, G_LIST_MODEL (places));
  marked = baku_tile (map);
  g_assert_cmpuint (n_differing (plain, marked), >, 0);

  /* Without markers, the label is back. */
  story_offline_map_set_marked_places (map, NULL);
  g_clear_object (&marked);
  marked = baku_tile (map);
  g_assert_cmpuint (n_differing (plain, marked), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/offline-map/fill", test_fill);
  g_test_add_func ("/story/offline-map/prefetch", test_prefetch);
  g_test_add_func ("/story/offline-map/finish-prefetch", test_finish_prefetch);
  g_test_add_func ("/story/offline-map/layer", test_layer);
  g_test_add_func ("/story/offline-map/cancelled", test_cancelled);
  g_test_add_func ("/story/offline-map/no-such-tile", test_no_such_tile);
  g_test_add_func ("/story/offline-map/marked-places", test_marked_places);

  return g_test_run ();
}
