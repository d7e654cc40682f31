/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "story-basemap.h"
#include "story-offline-source.h"

/* Draws every offline tile over the South Caucasus at zooms 5 to 11 and
 * prints how long a tile takes, how long the basemap takes to load and how
 * much memory it holds, next to a baseline measured in the same run: the
 * time to encode a blank 256×256 PNG with cairo. Each tile is timed twice:
 * drawn alone, as the map gets it (StoryOfflineMap makes a texture of the
 * pixels), and drawn and PNG-encoded, as StoryOfflineSource hands it out
 * as a ShumateDataSource. */

#define REGION_WEST  38.0
#define REGION_SOUTH 37.5
#define REGION_EAST  51.5
#define REGION_NORTH 44.5

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *ms,
            double  p)
{
  g_array_sort (ms, compare_doubles);
  return g_array_index (ms, double, MIN (ms->len - 1, (guint)(p * ms->len)));
}

static cairo_status_t
discard (void                *closure,
         const unsigned char *data,
         unsigned int         length)
{
  return CAIRO_STATUS_SUCCESS;
}

static double
blank_png_ms (void)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < 200; i++)
    {
      gint64 start = g_get_monotonic_time ();
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
      cairo_t *cr = cairo_create (surface);
      double elapsed;

      cairo_set_source_rgb (cr, 0xf2 / 255., 0xef / 255., 0xe9 / 255.);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_write_to_png_stream (surface, discard, NULL);
      cairo_surface_destroy (surface);
      elapsed = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (ms, elapsed);
    }

  return percentile (ms, 0.5);
}

static double
load_ms (gsize *size)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < 21; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(StoryBasemap) basemap = story_basemap_new_from_resource (NULL, &error);
      double elapsed = (g_get_monotonic_time () - start) / 1000.0;

      if (basemap == NULL)
        g_error ("%s", error->message);
      *size = story_basemap_get_data_size (basemap);
      g_array_append_val (ms, elapsed);
    }

  return percentile (ms, 0.5);
}

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

static void
write_samples (StoryOfflineSource *source,
               const char         *dir)
{
  static const struct { const char *name; double lat, lon; int zoom; } samples[] = {
    { "world-z2", 45.0, 20.0, 2 },
    { "caucasus-z5", 41.0, 45.0, 5 },
    { "caucasus-z7", 40.0, 45.5, 7 },
    { "yerevan-z9", 40.1811, 44.5136, 9 },
    { "syunik-z10", 39.2076, 46.4058, 10 },
    { "stepanakert-z11", 39.8153, 46.7519, 11 },
    { "caspian-z7", 42.5, 51.2, 7 },
    { "sevan-z8", 40.35, 45.3, 8 },
    { "nerkin-hand-z9", 39.05, 46.52, 9 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/offline-%s.png", dir, samples[i].name);
      cairo_surface_t *surface;
      int x, y;

      tile_for (samples[i].lat, samples[i].lon, samples[i].zoom, &x, &y);
      surface = story_offline_source_draw_tile (source, x, y, samples[i].zoom);
      cairo_surface_write_to_png (surface, path);
      cairo_surface_destroy (surface);
      printf ("wrote %s\n", path);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StoryOfflineSource) source = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) drawn = g_array_new (FALSE, FALSE, sizeof (double));
  int max_zoom = 11;
  double baseline, load;
  gsize size = 0;

  if (argc > 2 && g_str_equal (argv[1], "--samples"))
    {
      source = story_offline_source_new (NULL);
      write_samples (source, argv[2]);
      return EXIT_SUCCESS;
    }
  if (argc > 2 && g_str_equal (argv[1], "--max-zoom"))
    max_zoom = atoi (argv[2]);

  baseline = blank_png_ms ();
  load = load_ms (&size);
  source = story_offline_source_new (NULL);
  story_offline_source_set_cache_size (source, 0);

  printf ("baseline: blank 256x256 PNG encode %.3f ms\n", baseline);
  printf ("basemap load: %.3f ms (%.1fx baseline), data %.0f KiB read in place\n",
          load, load / baseline, size / 1024.0);
  printf ("%-5s %7s %10s %10s %8s\n", "zoom", "tiles", "median ms", "p95 ms", "xbase");

  for (int zoom = 5; zoom <= max_zoom; zoom++)
    {
      g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
      int x0, y0, x1, y1;
      double median;

      tile_for (REGION_NORTH, REGION_WEST, zoom, &x0, &y0);
      tile_for (REGION_SOUTH, REGION_EAST, zoom, &x1, &y1);
      for (int x = x0; x <= x1; x++)
        for (int y = y0; y <= y1; y++)
          {
            gint64 start = g_get_monotonic_time ();
            cairo_surface_t *surface = story_offline_source_draw_tile (source, x, y, zoom);
            double elapsed = (g_get_monotonic_time () - start) / 1000.0;
            g_autoptr(GBytes) png = NULL;

            cairo_surface_destroy (surface);
            g_array_append_val (drawn, elapsed);

            start = g_get_monotonic_time ();
            png = story_offline_source_render_tile (source, x, y, zoom, NULL);
            elapsed = (g_get_monotonic_time () - start) / 1000.0;

            g_assert (png != NULL);
            g_array_append_val (ms, elapsed);
            g_array_append_val (all, elapsed);
          }
      median = percentile (ms, 0.5);
      printf ("%-5d %7u %10.3f %10.3f %8.1f\n", zoom, ms->len, median,
              percentile (ms, 0.95), median / baseline);
    }

  printf ("%-5s %7u %10.3f %10.3f %8.1f\n", "all", all->len, percentile (all, 0.5),
          percentile (all, 0.95), percentile (all, 0.5) / baseline);
  printf ("%-5s %7u %10.3f %10.3f %8.1f\n", "drawn", drawn->len, percentile (drawn, 0.5),
          percentile (drawn, 0.95), percentile (drawn, 0.5) / baseline);

  return EXIT_SUCCESS;
}
