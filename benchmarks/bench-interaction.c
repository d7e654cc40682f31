/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "story-application.h"
#include "story-window.h"

/* How quickly the window answers, in frames of its frame clock, with
 * animations on, on the bundled story:
 *
 *   a marker click (Yerevan) until its paragraph (10) is the current row,
 *   and until that row has scrolled fully into view;
 *   a paragraph activation (11) until the map starts flying;
 *   the 95th percentile of frame times while the map flies.
 *
 * The baseline for frame times is the same window repainting every frame
 * with nothing moving. */

#define WAIT_S 10

static StoryWindow   *window;
static GdkFrameClock *paint_clock;
static GArray        *intervals;
static gint64         last_paint = -1;
static gint64         viewport_moved_frame = -1;
static StoryArticleView *article;
static gint64         start_frame, selected_frame = -1, in_view_frame = -1;

static void
on_after_paint (GdkFrameClock *fc,
                gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (intervals != NULL && last_paint >= 0)
    {
      double ms = (now - last_paint) / 1000.0;

      g_array_append_val (intervals, ms);
    }
  last_paint = now;
}

static void
iterate_until (gboolean (*cond) (void))
{
  gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (!cond ())
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () > end)
        {
          printf ("timed out after %d s: marker click current frame %" G_GINT64_FORMAT
                  ", in view frame %" G_GINT64_FORMAT ", map moved frame %" G_GINT64_FORMAT "\n",
                  WAIT_S, selected_frame, in_view_frame, viewport_moved_frame);
          exit (EXIT_FAILURE);
        }
    }
}

static gboolean
ready (void)
{
  return story_window_get_document (window) != NULL &&
         gtk_widget_get_width (GTK_WIDGET (story_window_get_map_view (window))) > 100;
}

static guint settle_frames;

static gboolean
settled (void)
{
  return gdk_frame_clock_get_frame_counter (paint_clock) >= settle_frames;
}

static gboolean
redraw_tick (GtkWidget     *widget,
             GdkFrameClock *fc,
             gpointer       user_data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* Lets @n frames pass, repainting if nothing else asks to. */
static void
wait_frames (guint n)
{
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (window), redraw_tick, NULL, NULL);

  settle_frames = gdk_frame_clock_get_frame_counter (paint_clock) + n;
  iterate_until (settled);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), id);
}

/* The p95 frame time of @n frames of the window repainting unchanged. */
static double
idle_repaint_p95 (guint n)
{
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (window), redraw_tick, NULL, NULL);
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  double p95;

  settle_frames = gdk_frame_clock_get_frame_counter (paint_clock) + 2;
  iterate_until (settled);
  intervals = ms;
  last_paint = -1;
  settle_frames = gdk_frame_clock_get_frame_counter (paint_clock) + n;
  iterate_until (settled);
  intervals = NULL;
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), id);
  p95 = bench_percentile (ms, 0.95);

  return p95;
}


static gboolean
row_in_view (GtkWidget *row)
{
  StoryArticleView *view = story_window_get_article_view (window);
  GtkAdjustment *adj = story_article_view_get_vadjustment (view);
  GtkWidget *scroller = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (row, scroller, &bounds))
    return FALSE;
  return bounds.origin.y >= -0.5 &&
         bounds.origin.y + bounds.size.height <= gtk_adjustment_get_page_size (adj) + 0.5;
}

static void
on_after_paint_row (GdkFrameClock *fc,
                    gpointer       user_data)
{
  gint64 frame = gdk_frame_clock_get_frame_counter (fc);
  /* Rows exist only while on screen: look paragraph 10 up each frame. */
  GtkWidget *row = story_article_view_get_row (article, 10);

  if (row == NULL)
    return;

  if (selected_frame < 0 && gtk_widget_has_css_class (row, "current"))
    selected_frame = frame;
  if (in_view_frame < 0 && selected_frame >= 0 && row_in_view (row))
    in_view_frame = frame;
}

static gboolean
row_done (void)
{
  return selected_frame >= 0 && in_view_frame >= 0;
}

static void
on_viewport_notify (GObject    *viewport,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  if (viewport_moved_frame < 0)
    viewport_moved_frame = gdk_frame_clock_get_frame_counter (paint_clock);
}

static gboolean
fly_started (void)
{
  return viewport_moved_frame >= 0;
}

static gboolean
fly_done (void)
{
  return !story_map_view_is_moving (story_window_get_map_view (window));
}

static void
marker_click (void)
{
  StoryDocument *document = story_window_get_document (window);
  StoryArticleView *view = story_window_get_article_view (window);
  GtkWidget *button = story_map_view_get_marker_button (story_window_get_map_view (window),
                                                        story_document_lookup_place (document, "yerevan"));
  gulong id;

  gtk_adjustment_set_value (story_article_view_get_vadjustment (view), 0);
  wait_frames (3);

  article = view;
  selected_frame = in_view_frame = -1;
  id = g_signal_connect (paint_clock, "after-paint", G_CALLBACK (on_after_paint_row), NULL);
  start_frame = gdk_frame_clock_get_frame_counter (paint_clock);
  g_signal_emit_by_name (button, "clicked");
  iterate_until (row_done);
  g_signal_handler_disconnect (paint_clock, id);

  printf ("marker click: paragraph current after %" G_GINT64_FORMAT " frame(s), fully in view after %"
          G_GINT64_FORMAT " frame(s)\n", selected_frame - start_frame, in_view_frame - start_frame);
  printf ("RESULT marker-select-frames %" G_GINT64_FORMAT " 1\n", selected_frame - start_frame);
  printf ("RESULT marker-in-view-frames %" G_GINT64_FORMAT " 1\n", in_view_frame - start_frame);
}

static void
paragraph_fly (double baseline)
{
  StoryArticleView *view = story_window_get_article_view (window);
  ShumateViewport *viewport = story_map_view_get_viewport (story_window_get_map_view (window));
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  gulong id;

  iterate_until (fly_done);
  wait_frames (3);

  viewport_moved_frame = -1;
  id = g_signal_connect (viewport, "notify", G_CALLBACK (on_viewport_notify), NULL);
  intervals = ms;
  last_paint = -1;
  start_frame = gdk_frame_clock_get_frame_counter (paint_clock);
  story_article_view_activate_paragraph (view, 11);
  iterate_until (fly_started);
  iterate_until (fly_done);
  intervals = NULL;
  g_signal_handler_disconnect (viewport, id);

  printf ("paragraph activation: map moving from frame +%" G_GINT64_FORMAT "; flight of %u frames, "
          "p95 frame time %.1f ms, longest %.1f ms\n", viewport_moved_frame - start_frame, ms->len,
          bench_percentile (ms, 0.95), bench_percentile (ms, 1.0));
  printf ("RESULT fly-start-frames %" G_GINT64_FORMAT " 1\n", viewport_moved_frame - start_frame);
  printf ("RESULT fly-p95-ms %.3f %.3f\n", bench_percentile (ms, 0.95), baseline);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StoryApplication) app = story_application_new ();
  double baseline;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  story_application_set_tile_url (app, "http://127.0.0.1:9/{z}/{x}/{y}.png");
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return EXIT_FAILURE;
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);

  window = story_window_new (GTK_APPLICATION (app));
  story_window_open_bundled (window);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until (ready);
  paint_clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (paint_clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  wait_frames (10);

  baseline = idle_repaint_p95 (60);
  printf ("baseline: window repainting unchanged, p95 frame time %.1f ms\n", baseline);

  marker_click ();
  paragraph_fly (baseline);

  gtk_window_destroy (GTK_WINDOW (window));

  return EXIT_SUCCESS;
}
