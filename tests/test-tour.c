/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "story-tour.h"

static StoryDocument *
load_story (void)
{
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": "
    "[\"One two three four five six seven eight nine ten.\", \"Short.\", \"Last one.\"]}, \"features\": []}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));

  return story_document_new_from_bytes (bytes, "tour.json", NULL);
}

static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_reading_time (void)
{
  g_autoptr(StoryDocument) document = load_story ();
  g_autoptr(StorySelection) selection = story_selection_new ();
  g_autoptr(StoryTour) tour = NULL;

  story_selection_set_document (selection, document);
  tour = story_tour_new (selection);

  /* Ten words at 180 a minute, plus time for the map: 5.8 s. */
  g_assert_cmpuint (story_tour_get_paragraph_delay (tour, 1), ==, 10 * 60000 / 180 + 2500);
  /* A one-word paragraph still stays on screen long enough to find it. */
  g_assert_cmpuint (story_tour_get_paragraph_delay (tour, 2), ==, 4000);

  story_tour_set_delay (tour, 1234);
  g_assert_cmpuint (story_tour_get_paragraph_delay (tour, 1), ==, 1234);
}

static void
test_walks_paragraphs (void)
{
  g_autoptr(StoryDocument) document = load_story ();
  g_autoptr(StorySelection) selection = story_selection_new ();
  g_autoptr(StoryTour) tour = NULL;

  story_selection_set_document (selection, document);
  tour = story_tour_new (selection);
  story_tour_set_delay (tour, 100);

  story_tour_play (tour);
  g_assert_true (story_tour_get_playing (tour));
  g_assert_cmpuint (story_selection_get_paragraph (selection), ==, 1);
  g_assert_cmpint (story_selection_get_focus (selection), ==, STORY_FOCUS_PARAGRAPH);

  run_for (150);
  g_assert_cmpuint (story_selection_get_paragraph (selection), ==, 2);

  /* Paused, it holds the paragraph… */
  story_tour_pause (tour);
  g_assert_false (story_tour_get_playing (tour));
  g_assert_true (story_tour_get_started (tour));
  run_for (250);
  g_assert_cmpuint (story_selection_get_paragraph (selection), ==, 2);

  /* …and resumes from it. */
  story_tour_toggle (tour);
  g_assert_cmpuint (story_selection_get_paragraph (selection), ==, 2);
  run_for (150);
  g_assert_cmpuint (story_selection_get_paragraph (selection), ==, 3);

  /* After the last paragraph the tour ends there. */
  run_for (150);
  g_assert_false (story_tour_get_playing (tour));
  g_assert_false (story_tour_get_started (tour));
  g_assert_cmpuint (story_selection_get_paragraph (selection), ==, 3);

  /* Played again from the end, it starts over. */
  story_tour_play (tour);
  g_assert_cmpuint (story_selection_get_paragraph (selection), ==, 1);
  story_tour_stop (tour);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/tour/reading-time", test_reading_time);
  g_test_add_func ("/story/tour/walks-paragraphs", test_walks_paragraphs);

  return g_test_run ();
}
