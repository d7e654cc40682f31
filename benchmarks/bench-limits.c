/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "story-application.h"
#include "story-window.h"

/* Opens one story file in the real window, as `story-map FILE` does, and
 * prints what it costs a user:
 *
 *   shown-ms       from the process's launch to the end of the first frame
 *                  painted with the story in place;
 *   place-ms       from selecting the story's last place (its card open, its
 *                  outline highlighted) to the end of the next frame;
 *   paragraph-ms   from picking the first paragraph to the end of the next
 *                  frame, the map starting its flight to the places named;
 *   flight-p95-ms  the 95th percentile of the time between frames while
 *                  the map flies there;
 *   rss-mb         peak resident memory.
 *
 * build-aux/measure-limits.sh runs it on the stories that
 * benchmarks/make-limit-stories.py writes at each documented limit. Online
 * tiles point at a closed port on 127.0.0.1, so nothing goes to the
 * network. */

#define TIMEOUT_S 180

typedef enum
{
  WAIT_FOR_STORY,
  WAIT_FOR_PLACE,
  WAIT_FOR_PARAGRAPH,
  FLYING,
} Stage;

static StoryWindow *window;
static GFile       *file;
static Stage        stage;
static gint64       asked_us;
static gint64       last_frame_us;
static GArray      *flight_frames;

static gboolean
story_shown (void)
{
  StoryDocument *document = story_window_get_document (window);
  GFile *shown = document ? story_document_get_file (document) : NULL;

  return !story_window_is_loading (window) && shown != NULL && g_file_equal (shown, file);
}

static void
finish (GApplication *app)
{
  printf ("RESULT flight-p95-ms %.3f\n", flight_frames->len ? bench_percentile (flight_frames, 95) : 0.0);
  printf ("RESULT rss-mb %.3f\n", bench_peak_rss_mb ());
  fflush (stdout);
  g_application_quit (app);
}

static void
on_after_paint (GdkFrameClock *clock,
                GApplication  *app)
{
  StorySelection *selection = story_window_get_selection (window);
  StoryDocument *document;
  gint64 now = g_get_monotonic_time ();

  switch (stage)
    {
    case WAIT_FOR_STORY:
      if (!story_shown ())
        return;
      document = story_window_get_document (window);
      printf ("RESULT shown-ms %.3f\n", bench_process_age_ms ());
      fflush (stdout);
      stage = WAIT_FOR_PLACE;
      asked_us = g_get_monotonic_time ();
      story_selection_activate_place (selection,
                                      story_document_get_place (document, story_document_get_n_places (document) - 1));
      break;

    case WAIT_FOR_PLACE:
      printf ("RESULT place-ms %.3f\n", (now - asked_us) / 1000.0);
      fflush (stdout);
      stage = WAIT_FOR_PARAGRAPH;
      asked_us = g_get_monotonic_time ();
      story_selection_select_paragraph (selection, 1);
      break;

    case WAIT_FOR_PARAGRAPH:
      printf ("RESULT paragraph-ms %.3f\n", (now - asked_us) / 1000.0);
      fflush (stdout);
      stage = FLYING;
      last_frame_us = now;
      break;

    case FLYING:
      {
        double ms = (now - last_frame_us) / 1000.0;

        g_array_append_val (flight_frames, ms);
        last_frame_us = now;
        /* Frames go on until the flight is over, drawn by the map's
         * animation or, where the map is already there, asked for below. */
        if (!story_map_view_is_moving (story_window_get_map_view (window)))
          {
            g_signal_handlers_disconnect_by_func (clock, on_after_paint, app);
            finish (app);
            return;
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  /* Ask for the frame that shows the change. */
  gtk_widget_queue_draw (GTK_WIDGET (window));
}

static void
on_realize (GtkWidget    *widget,
            GApplication *app)
{
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
  g_printerr ("bench-limits: the story was not shown after %d s\n", TIMEOUT_S);
  exit (EXIT_FAILURE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StoryApplication) app = NULL;

  if (argc != 2)
    {
      g_printerr ("Usage: bench-limits STORY-FILE\n");
      return EXIT_FAILURE;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  flight_frames = g_array_new (FALSE, FALSE, sizeof (double));

  app = story_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  story_application_set_tile_url (app, "http://127.0.0.1:9/{z}/{x}/{y}.png");
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  g_timeout_add_seconds (TIMEOUT_S, on_timeout, NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
