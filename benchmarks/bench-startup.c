/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "story-application.h"
#include "story-geo.h"
#include "story-offline-map.h"
#include "story-window.h"

/* Starts Story Map as a user does (the application's own activate: a
 * window, the bundled story) and prints how long after the process was
 * launched the first complete frame was painted: the story in the article,
 * every marker placed, and every offline basemap tile of the first view
 * drawn. Then its peak resident memory. One start per process: the runner
 * starts it again and again. Online tiles point at a closed port on
 * 127.0.0.1, so nothing goes to the network.
 *
 * A frame is complete when, at the end of painting it, the document is
 * shown, the markers are mapped, the map has settled on the story's view
 * and each tile covering that view was, before the frame was painted,
 * either handed to the map or drawn ahead and so shown by the layer under
 * it. */

#define TIMEOUT_S 20

static StoryWindow *window;
static GHashTable  *received;           /* "z/x/y" of tiles delivered */
static gint64       last_tile_us = -1;  /* when a tile was last delivered or drawn */
static gint64       paint_start_us = -1;
static double       first_tile_ms = -1, document_ms = -1, markers_ms = -1;

static char *
tile_key (int z,
          int x,
          int y)
{
  return g_strdup_printf ("%d/%d/%d", z, x, y);
}

/* Sees every tile the offline map draws: as the map gets it (::tile-filled)
 * or drawn ahead of it (::tile-drawn). */
static gboolean
on_tile (GSignalInvocationHint *hint,
         guint                  n_values,
         const GValue          *values,
         gpointer               user_data)
{
  int x = g_value_get_int (&values[1]);
  int y = g_value_get_int (&values[2]);
  int z = g_value_get_int (&values[3]);

  if (first_tile_ms < 0)
    first_tile_ms = bench_process_age_ms ();
  if (GPOINTER_TO_INT (user_data))
    g_hash_table_add (received, tile_key (z, x, y));
  last_tile_us = g_get_monotonic_time ();

  return TRUE;
}

/* TRUE if every tile that covers the map's view is delivered or drawn ahead. */
static gboolean
view_tiles_received (StoryMapView *map_view)
{
  StoryOfflineMap *offline = STORY_OFFLINE_MAP (story_map_view_get_base_source (map_view));
  ShumateViewport *viewport = story_map_view_get_viewport (map_view);
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (map_view));
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  int tz = (int)floor (zoom), n = 1 << tz;
  double scale = pow (2, zoom - tz);
  double half_w = gtk_widget_get_width (map) / 2.0 / scale;
  double half_h = gtk_widget_get_height (map) / 2.0 / scale;
  double cx, cy;
  int x0, x1, y0, y1;

  if (gtk_widget_get_width (map) <= 1)
    return FALSE;

  story_geo_project (lat, lon, &cx, &cy);
  cx *= 256.0 * n;
  cy *= 256.0 * n;
  x0 = MAX (0, (int)floor ((cx - half_w) / 256));
  x1 = MIN (n - 1, (int)floor ((cx + half_w - 1) / 256));
  y0 = MAX (0, (int)floor ((cy - half_h) / 256));
  y1 = MIN (n - 1, (int)floor ((cy + half_h - 1) / 256));

  for (int x = x0; x <= x1; x++)
    for (int y = y0; y <= y1; y++)
      {
        g_autofree char *key = tile_key (tz, x, y);

        if (!g_hash_table_contains (received, key) &&
            story_offline_map_lookup_drawn (offline, x, y, tz) == NULL)
          return FALSE;
      }

  return TRUE;
}

static gboolean
markers_placed (StoryMapView  *map_view,
                StoryDocument *document)
{
  for (guint i = 0; i < story_document_get_n_places (document); i++)
    {
      GtkWidget *button = story_map_view_get_marker_button (map_view, story_document_get_place (document, i));
      GtkWidget *marker = button ? gtk_widget_get_ancestor (button, SHUMATE_TYPE_MARKER) : NULL;

      /* A marker outside the view is left unallocated by the layer. */
      if (marker == NULL)
        return FALSE;
      if (gtk_widget_get_child_visible (marker) && gtk_widget_get_width (button) <= 0)
        return FALSE;
    }

  return TRUE;
}

static void
on_after_paint (GdkFrameClock *clock,
                GApplication  *app)
{
  StoryDocument *document = story_window_get_document (window);
  StoryMapView *map_view = story_window_get_map_view (window);

  if (document == NULL)
    return;
  if (document_ms < 0)
    document_ms = bench_process_age_ms ();

  if (!markers_placed (map_view, document) ||
      !gtk_widget_get_mapped (story_article_view_get_row (story_window_get_article_view (window), 1)))
    return;
  if (markers_ms < 0)
    markers_ms = bench_process_age_ms ();

  if (story_map_view_is_moving (map_view) || !view_tiles_received (map_view) ||
      last_tile_us >= paint_start_us)
    return;

  printf ("first tile drawn: %.1f ms; document shown: %.1f ms; markers placed: %.1f ms; "
          "frame %" G_GINT64_FORMAT "\n",
          first_tile_ms, document_ms, markers_ms, gdk_frame_clock_get_frame_counter (clock));
  printf ("RESULT startup-ms %.3f\n", bench_process_age_ms ());
  printf ("RESULT startup-rss-mb %.3f\n", bench_peak_rss_mb ());
  fflush (stdout);

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, app);
  g_application_quit (app);
}

/* Laid out: what the frame paints is settled. */
static void
on_layout_done (GdkFrameClock *clock)
{
  paint_start_us = g_get_monotonic_time ();
}

static void
on_realize (GtkWidget    *widget,
            GApplication *app)
{
  g_signal_connect_after (gtk_widget_get_frame_clock (widget), "layout",
                          G_CALLBACK (on_layout_done), NULL);
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (on_after_paint), app);
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *added)
{
  if (!STORY_IS_WINDOW (added) || window != NULL)
    return;

  window = STORY_WINDOW (added);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_realize (GTK_WIDGET (window), G_APPLICATION (app));
  else
    g_signal_connect (window, "realize", G_CALLBACK (on_realize), app);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_printerr ("bench-startup: no complete frame after %d s\n", TIMEOUT_S);
  exit (EXIT_FAILURE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StoryApplication) app = NULL;
  g_autoptr(GTypeClass) klass = NULL;

  received = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* The hooks see every tile the offline map draws. */
  klass = g_type_class_ref (STORY_TYPE_OFFLINE_MAP);
  g_signal_add_emission_hook (g_signal_lookup ("tile-filled", STORY_TYPE_OFFLINE_MAP),
                              0, on_tile, GINT_TO_POINTER (TRUE), NULL);
  g_signal_add_emission_hook (g_signal_lookup ("tile-drawn", STORY_TYPE_OFFLINE_MAP),
                              0, on_tile, GINT_TO_POINTER (FALSE), NULL);

  app = story_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  story_application_set_tile_url (app, "http://127.0.0.1:9/{z}/{x}/{y}.png");
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  g_timeout_add_seconds (TIMEOUT_S, on_timeout, NULL);

  return g_application_run (G_APPLICATION (app), 1, argv);
}
