/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "story-application.h"
#include "story-document-private.h"
#include "story-window.h"

/* Opening a large story: a synthetic, valid story file of about 5 MB
 * (2,000 paragraphs naming 400 places, 100 of them areas with 1,600-vertex
 * outlines), read three ways, each the median of several runs:
 *
 *   baseline   json_parser_load_from_data() alone on the same bytes;
 *   document   story_document_new_from_bytes(): parse, check, find mentions;
 *   shown      the document, then shown in the real window in place of the
 *              bundled story, up to the end of the first frame painted with
 *              the paragraphs on screen laid out and every marker made.
 *
 * Each run starts with the machine idle, as a user's open does: the
 * previous run's story is freed in the background, and would otherwise
 * compete with the next for processors and the allocator. Runs of the
 * baseline alternate with the others. */

#define SHOW_TIMEOUT_S 60
static guint n_paragraphs = 2000;

#define N_POINTS     300
#define N_AREAS      100
#define N_VERTICES   1600
#define N_RUNS       5
#define N_SHOW_RUNS  3
#define PAUSE_MS     300

static char *
make_story (gsize *length)
{
  GString *json = g_string_new ("{\"type\": \"FeatureCollection\",\n \"story\": {\"title\": \"A long story\",\n"
                                "  \"dateline\": \"YEREVAN\", \"date\": \"2024-02-13\", \"language\": \"en\",\n"
                                "  \"paragraphs\": [\n");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) aliases = g_ptr_array_new_with_free_func (g_free);
  guint n_places = N_POINTS + N_AREAS;
  BenchRandom random;

  bench_random_init (&random, 1991);
  for (guint i = 0; i < n_places; i++)
    {
      char *name = bench_place_name (&random);
      g_ptr_array_add (names, name);
      g_ptr_array_add (aliases, bench_place_alias (&random, name));
    }

  for (guint p = 0; p < n_paragraphs; p++)
    {
      guint n_words = 70 + bench_random_int (&random, 60);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint w = 0; w < n_words; w++)
        {
          if (bench_random_int (&random, 25) == 0)
            {
              guint place = bench_random_int (&random, n_places);

              g_string_append (text, g_ptr_array_index (bench_random_int (&random, 3) ? names : aliases, place));
              g_string_append_c (text, ' ');
            }
          else
            {
              bench_append_filler (text, &random);
            }
        }
      g_string_append_c (text, '.');
      /* Filler and names hold no quote, backslash or control character. */
      g_string_append_printf (json, "   \"%s\"%s\n", text->str, p + 1 < n_paragraphs ? "," : "");
    }
  g_string_append (json, "  ]},\n \"features\": [\n");

  for (guint i = 0; i < n_places; i++)
    {
      double lon = 43.5 + bench_random_double (&random) * 7, lat = 38.5 + bench_random_double (&random) * 3;
      char num[2][G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (json, "  {\"type\": \"Feature\", \"id\": \"place-%u\",\n"
                                    "   \"properties\": {\"name\": \"%s\", \"aliases\": [\"%s\"], \"kind\": \"%s\"},\n"
                                    "   \"geometry\": ",
                              i, (char *)g_ptr_array_index (names, i), (char *)g_ptr_array_index (aliases, i),
                              i < N_POINTS ? "village" : "region");
      if (i < N_POINTS)
        {
          g_string_append_printf (json, "{\"type\": \"Point\", \"coordinates\": [%s, %s]}}",
                                  g_ascii_formatd (num[0], sizeof num[0], "%.6f", lon),
                                  g_ascii_formatd (num[1], sizeof num[1], "%.6f", lat));
        }
      else
        {
          g_string_append (json, "{\"type\": \"Polygon\", \"coordinates\": [[");
          for (guint v = 0; v <= N_VERTICES; v++)
            {
              double angle = 2 * G_PI * (v % N_VERTICES) / N_VERTICES;
              double r = 0.2 + 0.05 * ((v * 7919) % 13) / 13.0;

              g_string_append_printf (json, "%s[%s,%s]", v ? "," : "",
                                      g_ascii_formatd (num[0], sizeof num[0], "%.6f", lon + r * cos (angle)),
                                      g_ascii_formatd (num[1], sizeof num[1], "%.6f", lat + r * sin (angle)));
            }
          g_string_append (json, "]]}}");
        }
      g_string_append (json, i + 1 < n_places ? ",\n" : "\n");
    }
  g_string_append (json, " ]\n}\n");

  *length = json->len;
  return g_string_free (json, FALSE);
}

static gboolean
pause_over_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main loop and background threads finish with a run. */
static void
pause_idle (void)
{
  gboolean over = FALSE;

  g_timeout_add (PAUSE_MS, pause_over_cb, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

/* json-glib alone, the baseline. Every run of the others is paired with
 * one, started idle in the same way: a process's allocator does not stay
 * as fast as it is in its first few runs (GLib 2.74's slab allocator),
 * and a baseline taken first of all would be the fastest. */
static GArray *baseline_runs;

static void
json_once (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    g_error ("The generated story is not JSON");
  elapsed = (g_get_monotonic_time () - start) / 1000.0;
  g_array_append_val (baseline_runs, elapsed);
  g_clear_object (&parser);
  pause_idle ();
}

static double
document_ms (GBytes *bytes)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < N_RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StoryDocument) document = NULL;
      gint64 start;
      double elapsed;

      json_once (bytes);
      start = g_get_monotonic_time ();
      document = story_document_new_from_bytes (bytes, "large.geojson", &error);
      elapsed = (g_get_monotonic_time () - start) / 1000.0;

      if (document == NULL)
        g_error ("%s", error->message);
      g_array_append_val (ms, elapsed);
      g_clear_object (&document);
      pause_idle ();
    }

  return bench_median (ms);
}

/* Reading alone (no mentions found), whole on one thread or in parts on
 * several: the two alternate, each run started idle. */
static void
read_ms (GBytes *bytes,
         double *whole,
         double *parts)
{
  g_autoptr(GArray) whole_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) parts_ms = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *ms[2] = { whole_ms, parts_ms };
  const StoryParseFlags flags[2] = { STORY_PARSE_WHOLE, STORY_PARSE_IN_PARTS };

  for (int i = 0; i < 2 * N_RUNS; i++)
    {
      g_autoptr(StoryDocument) document = g_object_new (STORY_TYPE_DOCUMENT, NULL);
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double elapsed;

      if (!_story_document_parse (document, bytes, "large.geojson", flags[i % 2], &error))
        g_error ("%s", error->message);
      elapsed = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (ms[i % 2], elapsed);
      g_clear_object (&document);
      pause_idle ();
    }

  *whole = bench_median (whole_ms);
  *parts = bench_median (parts_ms);
}

typedef struct
{
  StoryWindow   *window;
  StoryDocument *document;
  gboolean       done;
} Show;

static void
on_after_paint (GdkFrameClock *clock,
                Show          *show)
{
  StoryArticleView *article = story_window_get_article_view (show->window);
  StoryMapView *map_view = story_window_get_map_view (show->window);
  GtkWidget *first = story_article_view_get_row (article, 1);

  /* The article lays out only the rows on screen: the first must be. */
  if (story_window_get_document (show->window) != show->document || first == NULL ||
      gtk_widget_get_width (first) <= 0)
    return;

  for (guint i = 0; i < story_document_get_n_places (show->document); i++)
    if (story_map_view_get_marker_button (map_view, story_document_get_place (show->document, i)) == NULL)
      return;

  show->done = TRUE;
}

/* Opens are timed from the window as it starts, showing the bundled story. */
static void
show_bundled (StoryWindow *window)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/storymap/StoryMap/stories/nerkin-hand.storymap.geojson",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(StoryDocument) document = story_document_new_from_bytes (bytes, "nerkin-hand.storymap.geojson", NULL);

  g_assert (document != NULL);
  story_window_set_document (window, document);
  pause_idle ();
}

static double
shown_ms (StoryWindow *window,
          GBytes      *bytes)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  for (int i = 0; i < N_SHOW_RUNS; i++)
    {
      g_autoptr(StoryDocument) document = NULL;
      Show show = { window, NULL, FALSE };
      gint64 start;
      gulong id;
      double elapsed;

      json_once (bytes);
      show_bundled (window);
      start = g_get_monotonic_time ();

      document = story_document_new_from_bytes (bytes, "large.geojson", NULL);
      show.document = document;
      id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &show);
      story_window_set_document (window, document);
      while (!show.done)
        {
          g_main_context_iteration (NULL, FALSE);
          if (g_get_monotonic_time () - start > SHOW_TIMEOUT_S * G_USEC_PER_SEC)
            {
              g_signal_handler_disconnect (clock, id);
              return -1;
            }
        }
      elapsed = (g_get_monotonic_time () - start) / 1000.0;
      g_signal_handler_disconnect (clock, id);
      g_array_append_val (ms, elapsed);
      pause_idle ();
    }

  return bench_median (ms);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StoryApplication) app = NULL;
  g_autoptr(GBytes) bytes = NULL;
  StoryWindow *window;
  double baseline, document, shown, whole, parts;
  gsize length;
  char *data;

  if (argc > 2 && g_str_equal (argv[1], "--paragraphs"))
    n_paragraphs = atoi (argv[2]);

  data = make_story (&length);
  bytes = g_bytes_new_take (data, length);

  app = story_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  story_application_set_tile_url (app, "http://127.0.0.1:9/{z}/{x}/{y}.png");
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return EXIT_FAILURE;

  window = story_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_frame_clock (GTK_WIDGET (window)) == NULL ||
         gtk_widget_get_width (GTK_WIDGET (story_window_get_map_view (window))) <= 1)
    g_main_context_iteration (NULL, TRUE);

  baseline_runs = g_array_new (FALSE, FALSE, sizeof (double));
  document = document_ms (bytes);
  g_printerr ("document: %.1f ms\n", document);
  shown = shown_ms (window, bytes);
  baseline = bench_median (baseline_runs);
  read_ms (bytes, &whole, &parts);

  printf ("story: %.2f MB, %u paragraphs, %u places (%u areas of %u vertices)\n",
          length / 1e6, n_paragraphs, N_POINTS + N_AREAS, N_AREAS, N_VERTICES);
  printf ("baseline json_parser_load_from_data: %.1f ms\n", baseline);
  printf ("story_document_new_from_bytes: %.1f ms (%.2fx)\n", document, document / baseline);
  if (shown < 0)
    printf ("document shown in the window: not within %d s\n", SHOW_TIMEOUT_S);
  else
    printf ("document shown in the window: %.1f ms (%.2fx)\n", shown, shown / baseline);
  printf ("read whole, one thread: %.1f ms (%.2fx); in parts, %u threads: %.1f ms (%.2fx)\n",
          whole, whole / baseline, g_get_num_processors (), parts, parts / baseline);
  printf ("RESULT open-document-ms %.3f %.3f\n", document, baseline);
  printf ("RESULT open-read-whole-ms %.3f %.3f\n", whole, baseline);
  printf ("RESULT open-read-parts-ms %.3f %.3f\n", parts, baseline);
  printf ("RESULT open-shown-ms %.3f %.3f\n", shown, baseline);

  gtk_window_destroy (GTK_WINDOW (window));

  return EXIT_SUCCESS;
}
