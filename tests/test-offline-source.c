/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "story-basemap.h"
#include "story-offline-map.h"
#include "story-offline-source.h"
#include "story-offline-source-private.h"

#define WATER 0xaad3df
#define LAND  0xf2efe9

typedef struct
{
  guint water;
  guint land;
  guint purple;
  guint total;
} Census;

static void
tile_for (double  lat,
          double  lon,
          int     zoom,
          int    *x,
          int    *y)
{
  double n = 1 << zoom;
  double rad = lat * G_PI / 180.0;

  *x = (int)floor ((lon + 180.0) / 360.0 * n);
  *y = (int)floor ((1.0 - log (tan (rad) + 1.0 / cos (rad)) / G_PI) / 2.0 * n);
}

static gboolean
near (guint32 pixel,
      guint32 colour)
{
  for (int shift = 0; shift < 24; shift += 8)
    if (ABS ((int)((pixel >> shift) & 0xff) - (int)((colour >> shift) & 0xff)) > 4)
      return FALSE;
  return TRUE;
}

static Census
census_of (cairo_surface_t *surface)
{
  Census c = { 0, };
  const guint8 *data;
  int stride;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 256);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 256);

  for (int row = 0; row < 256; row++)
    for (int col = 0; col < 256; col++)
      {
        guint32 pixel = ((const guint32 *)(data + row * stride))[col] & 0xffffff;
        int r = pixel >> 16, g = (pixel >> 8) & 0xff, b = pixel & 0xff;

        c.total++;
        if (near (pixel, WATER))
          c.water++;
        else if (near (pixel, LAND))
          c.land++;
        else if (r > g + 30 && b > g + 30)
          c.purple++;
      }

  return c;
}

static Census
census_at (StoryOfflineSource *source,
           double              lat,
           double              lon,
           int                 zoom)
{
  cairo_surface_t *surface;
  Census c;
  int x, y;

  tile_for (lat, lon, zoom, &x, &y);
  surface = story_offline_source_draw_tile (source, x, y, zoom);
  c = census_of (surface);
  cairo_surface_destroy (surface);

  return c;
}

static void
test_caspian (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  Census c = census_at (source, 42.5, 51.2, 7);

  g_assert_cmpuint (c.water, >, c.total * 7 / 10);
}

static void
test_yerevan (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  Census c = census_at (source, 40.1811, 44.5136, 9);

  g_assert_cmpuint (c.land, >, c.total / 2);
  g_assert_cmpuint (c.water, <, c.total / 10);
  g_assert_cmpuint (c.purple, >, 0);
}

static void
test_world (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  Census europe = census_at (source, 45.0, 20.0, 2);
  Census pacific = census_at (source, -20.0, -140.0, 2);

  g_assert_cmpuint (europe.land, >, europe.total / 5);
  g_assert_cmpuint (europe.water, >, europe.total / 10);
  g_assert_cmpuint (pacific.water, >, pacific.total * 9 / 10);
}

static void
test_png (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = story_offline_source_render_tile (source, 40, 23, 6, &error);
  const guint8 *data;
  gsize size;

  g_assert_no_error (error);
  data = g_bytes_get_data (png, &size);
  g_assert_cmpuint (size, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
}

/* --- bad data --------------------------------------------------------------- */

static GBytes *
bundled_bytes (void)
{
  story_basemap_get_default ();
  return g_resources_lookup_data (STORY_BASEMAP_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

static void
assert_rejected (const guint8 *data,
                 gsize         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryBasemap) basemap = story_basemap_new_from_bytes (bytes, &error);

  g_assert_null (basemap);
  g_assert_error (error, STORY_BASEMAP_ERROR, STORY_BASEMAP_ERROR_INVALID);
}

static void
put_u32 (guint8  *data,
         gsize    offset,
         guint32  value)
{
  value = GUINT32_TO_LE (value);
  memcpy (data + offset, &value, sizeof value);
}

static guint32
get_u32 (const guint8 *data,
         gsize         offset)
{
  guint32 value;

  memcpy (&value, data + offset, sizeof value);
  return GUINT32_FROM_LE (value);
}

static void
test_truncated (void)
{
  g_autoptr(GBytes) bytes = bundled_bytes ();
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  const gsize lengths[] = { 0, 3, 4, 100, 175, 176, 177, 4096, size / 2, size - 4, size - 1 };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, size);

      /* Claim the shorter size too, so that only the sections are wrong. */
      if (lengths[i] >= 12)
        put_u32 (copy, 8, lengths[i]);
      assert_rejected (copy, lengths[i]);
    }
}

static void
test_corrupt (void)
{
  g_autoptr(GBytes) bytes = bundled_bytes ();
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint32 features = get_u32 (data, 20), parts = get_u32 (data, 28);
  guint32 strings = get_u32 (data, 44), strings_size = get_u32 (data, 40);
  g_autofree guint8 *copy = NULL;
  g_autoptr(GBytes) version = NULL;
  g_autoptr(GError) error = NULL;

  /* magic, feature count, a part's range, a name, a layer, the strings */
  struct { gsize offset; guint32 value; } damage[] = {
    { 0, 0x4d424d53 + 1 },
    { 16, G_MAXUINT32 / 8 },
    { 20, 3 },
    { parts + 24 * 7, G_MAXUINT32 - 1 },
    { parts + 24 * 7 + 4, G_MAXUINT32 },
    { features + 48 * 2 + 28, strings_size + 10 },
    { features + 48 * 5, 0xff },
    { strings + strings_size - 4, 0xffffffff },
    { 48 + 8 * 3, 0xffffff00 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (damage); i++)
    {
      g_free (copy);
      copy = g_memdup2 (data, size);
      put_u32 (copy, damage[i].offset, damage[i].value);
      assert_rejected (copy, size);
    }

  g_free (copy);
  copy = g_memdup2 (data, size);
  put_u32 (copy, 4, 99);
  version = g_bytes_new (copy, size);
  g_assert_null (story_basemap_new_from_bytes (version, &error));
  g_assert_error (error, STORY_BASEMAP_ERROR, STORY_BASEMAP_ERROR_VERSION);
}

/* Random damage anywhere in the indexes must never crash a reader. */
static void
test_fuzz (void)
{
  g_autoptr(GBytes) bytes = bundled_bytes ();
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint32 points = get_u32 (data, 36);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, size);
      g_autoptr(GBytes) damaged = NULL;
      g_autoptr(StoryBasemap) basemap = NULL;
      g_autoptr(GError) error = NULL;
      gsize offset = g_test_rand_int_range (0, points / 4) * 4;

      put_u32 (copy, offset, g_test_rand_int ());
      damaged = g_bytes_new_take (g_steal_pointer (&copy), size);
      basemap = story_basemap_new_from_bytes (damaged, &error);
      g_assert_true ((basemap == NULL) == (error != NULL));
      if (basemap != NULL)
        {
          g_autoptr(StoryOfflineSource) source = story_offline_source_new (basemap);
          cairo_surface_t *tile = story_offline_source_draw_tile (source, 1, 1, 2);

          cairo_surface_destroy (tile);
          story_basemap_lookup_area (basemap, NULL, 39.33, 46.20, NULL);
        }
    }
}

/* --- areas ---------------------------------------------------------------- */

static void
rings_bounds (GPtrArray   *rings,
              StoryBounds *bounds)
{
  story_bounds_init_empty (bounds);
  for (guint r = 0; r < rings->len; r++)
    {
      GArray *ring = g_ptr_array_index (rings, r);

      for (guint i = 0; i < ring->len; i++)
        {
          StoryLatLon *ll = &g_array_index (ring, StoryLatLon, i);

          story_bounds_extend (bounds, ll->lat, ll->lon);
        }
    }
}

static void
test_lookup_area (void)
{
  StoryBasemap *basemap = story_basemap_get_default ();
  g_autoptr(GPtrArray) syunik = NULL;
  g_autoptr(GPtrArray) nkao = NULL;
  g_autoptr(GPtrArray) unnamed = NULL;
  StoryBounds b;

  g_assert_true (story_basemap_lookup_area (basemap, "Syunik", 39.33, 46.20, &syunik));
  rings_bounds (syunik, &b);
  g_assert_true (story_bounds_contains (&b, 39.2076, 46.4058));   /* Kapan */
  g_assert_false (story_bounds_contains (&b, 40.1811, 44.5136));  /* Yerevan */
  g_assert_cmpfloat (b.south, >, 38.7);
  g_assert_cmpfloat (b.north, <, 39.9);

  g_assert_true (story_basemap_lookup_area (basemap, "Nagorno-Karabakh", 39.82, 46.75, &nkao));
  g_assert_cmpuint (nkao->len, ==, 1);
  g_assert_cmpuint (((GArray *)g_ptr_array_index (nkao, 0))->len, >, 300);
  rings_bounds (nkao, &b);
  g_assert_true (story_bounds_contains (&b, 39.92, 46.76));
  g_assert_cmpfloat (b.west, >, 45.9);
  g_assert_cmpfloat (b.east, <, 47.5);

  g_assert_true (story_basemap_lookup_area (basemap, "Karabakh", 39.82, 46.75, NULL));
  g_assert_true (story_basemap_lookup_area (basemap, "Syunik Province", 39.33, 46.20, NULL));
  g_assert_true (story_basemap_lookup_area (basemap, NULL, 39.33, 46.20, &unnamed));
  g_assert_cmpuint (unnamed->len, ==, syunik->len);

  g_assert_false (story_basemap_lookup_area (basemap, "Syunik", 40.1811, 44.5136, NULL));
  g_assert_false (story_basemap_lookup_area (basemap, "Syunik", 55.7517, 37.6178, NULL));
  g_assert_false (story_basemap_lookup_area (basemap, NULL, 0.0, -30.0, NULL));
}

/* --- cache and the data source -------------------------------------------- */

static void
test_cache_bound (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) last = NULL;
  g_autoptr(GBytes) again = NULL;

  story_offline_source_set_cache_size (source, 4);

  for (int i = 0; i < 10; i++)
    {
      g_autoptr(GBytes) tile = story_offline_source_render_tile (source, 75 + i, 47, 7, NULL);

      g_assert_nonnull (tile);
      g_assert_cmpuint (story_offline_source_get_n_cached (source), <=, 4);
      if (i == 0)
        first = g_bytes_ref (tile);
      last = g_bytes_ref (tile);
      if (i < 9)
        g_clear_pointer (&last, g_bytes_unref);
    }
  g_assert_cmpuint (story_offline_source_get_n_cached (source), ==, 4);

  again = story_offline_source_render_tile (source, 84, 47, 7, NULL);
  g_assert_true (again == last);
  g_clear_pointer (&again, g_bytes_unref);
  again = story_offline_source_render_tile (source, 75, 47, 7, NULL);
  g_assert_true (again != first);
  g_assert_true (g_bytes_equal (again, first));

  story_offline_source_set_cache_size (source, 1);
  g_assert_cmpuint (story_offline_source_get_n_cached (source), ==, 1);
  story_offline_source_set_language (source, "hy");
  g_assert_cmpuint (story_offline_source_get_n_cached (source), ==, 0);
}

typedef struct
{
  GMainLoop *loop;
  int        received;
  int        completed;
  gboolean   received_first;
  int        x, y, zoom;
  GBytes    *bytes;
} AsyncState;

static void
received_data_cb (ShumateDataSource *source,
                  int                x,
                  int                y,
                  int                zoom,
                  GBytes            *bytes,
                  AsyncState        *state)
{
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  state->received++;
  state->x = x;
  state->y = y;
  state->zoom = zoom;
  g_clear_pointer (&state->bytes, g_bytes_unref);
  state->bytes = g_bytes_ref (bytes);
}

static void
tile_data_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, state->bytes));
  state->received_first = state->received > state->completed;
  state->completed++;
  g_main_loop_quit (state->loop);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("No tile arrived in time");
  return G_SOURCE_REMOVE;
}

static void
fetch (ShumateDataSource *source,
       AsyncState        *state,
       int                x,
       int                y,
       int                zoom)
{
  guint timeout = g_timeout_add_seconds (20, timeout_cb, NULL);

  shumate_data_source_get_tile_data_async (source, x, y, zoom, NULL, tile_data_cb, state);
  g_main_loop_run (state->loop);
  g_source_remove (timeout);
}

static void
test_async_received_data (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncState state = { .loop = loop };

  g_signal_connect (source, "received-data", G_CALLBACK (received_data_cb), &state);

  fetch (SHUMATE_DATA_SOURCE (source), &state, 79, 48, 7);
  g_assert_cmpint (state.received, ==, 1);
  g_assert_cmpint (state.completed, ==, 1);
  g_assert_true (state.received_first);
  g_assert_cmpint (state.x, ==, 79);
  g_assert_cmpint (state.y, ==, 48);
  g_assert_cmpint (state.zoom, ==, 7);
  g_assert_cmpmem (g_bytes_get_data (state.bytes, NULL), 4, "\x89PNG", 4);

  /* From the cache, too. */
  fetch (SHUMATE_DATA_SOURCE (source), &state, 79, 48, 7);
  g_assert_cmpint (state.received, ==, 2);
  g_assert_cmpint (state.completed, ==, 2);
  g_assert_true (state.received_first);

  g_clear_pointer (&state.bytes, g_bytes_unref);
}

static void
test_map_source (void)
{
  g_autoptr(ShumateMapSource) map_source = SHUMATE_MAP_SOURCE (story_offline_map_new_bundled ());

  g_assert_cmpstr (shumate_map_source_get_id (map_source), ==, "story-offline");
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), >=, 12);
  g_assert_cmpuint (shumate_map_source_get_tile_size (map_source), ==, 256);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/offline/caspian-water", test_caspian);
  g_test_add_func ("/story/offline/yerevan-land-border", test_yerevan);
  g_test_add_func ("/story/offline/world-zoom-2", test_world);
  g_test_add_func ("/story/offline/png", test_png);
  g_test_add_func ("/story/offline/truncated", test_truncated);
  g_test_add_func ("/story/offline/corrupt", test_corrupt);
  g_test_add_func ("/story/offline/fuzz", test_fuzz);
  g_test_add_func ("/story/offline/lookup-area", test_lookup_area);
  g_test_add_func ("/story/offline/cache-bound", test_cache_bound);
  g_test_add_func ("/story/offline/received-data", test_async_received_data);
  g_test_add_func ("/story/offline/map-source", test_map_source);

  return g_test_run ();
}
