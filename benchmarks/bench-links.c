/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "story-links.h"

/* How fast the mention finder reads a story, and how that changes with the
 * number of names and the length of the text. The story is synthetic (a
 * seeded generator, the same every run): paragraphs of filler words, a few in
 * Cyrillic, naming places by their name or an alias. Each place has one name
 * and one alias; the text names only the first 1,000 places, so every
 * automaton finds the same mentions. Baselines in the same run: casefolding
 * the same paragraphs with g_utf8_casefold(), which the finder must do too,
 * and a memmem() scan of them for a single name.
 *
 * First the orders of mentions that resolving overlaps must not care about:
 * paragraphs naming places by names of one to four letters, all the short
 * names first or all the long ones first, and the shapes of hostile stories:
 * one name added for many places, nested aliases ("a", "a a", …) over a
 * text of "a a a …", and names starting inside words ("b ab", "b ab ab", …)
 * over a text of "ab ab ab …", which match at every word but never count.
 * Each line gives the time to find every mention and the
 * peak of the process's resident memory after it, so these come before the
 * large corpus. */

#define N_PARAGRAPHS 2000
#define N_NAMED      1000
#define N_REPEATS    5

typedef struct
{
  GPtrArray *names;       /* char *, 2 per place: name and alias */
  GPtrArray *paragraphs;  /* char * */
  gsize      text_bytes;
} Corpus;

static void
make_names (Corpus *corpus,
            guint   n_places)
{
  BenchRandom random;

  bench_random_init (&random, 1991);
  corpus->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_places; i++)
    {
      char *name = bench_place_name (&random);

      g_ptr_array_add (corpus->names, name);
      g_ptr_array_add (corpus->names, bench_place_alias (&random, name));
    }
}

static char *
make_paragraph (Corpus      *corpus,
                BenchRandom *random)
{
  GString *text = g_string_new (NULL);
  guint n_words = 80 + bench_random_int (random, 60);

  for (guint w = 0; w < n_words; w++)
    {
      if (bench_random_int (random, 12) == 0)
        {
          guint place = bench_random_int (random, N_NAMED);
          const char *name = g_ptr_array_index (corpus->names, 2 * place + bench_random_int (random, 2));

          if (bench_random_int (random, 10) == 0)
            {
              g_autofree char *upper = g_utf8_strup (name, -1);

              g_string_append (text, upper);
            }
          else
            {
              g_string_append (text, name);
            }
          g_string_append (text, bench_random_int (random, 4) == 0 ? ", " : " ");
        }
      else
        {
          bench_append_filler (text, random);
        }
    }
  g_string_truncate (text, text->len - 1);
  g_string_append_c (text, '.');

  return g_string_free (text, FALSE);
}

static void
make_paragraphs (Corpus *corpus,
                 guint   n)
{
  BenchRandom random;

  bench_random_init (&random, 2024);
  corpus->paragraphs = g_ptr_array_new_with_free_func (g_free);
  corpus->text_bytes = 0;
  for (guint i = 0; i < n; i++)
    {
      char *text = make_paragraph (corpus, &random);

      corpus->text_bytes += strlen (text);
      g_ptr_array_add (corpus->paragraphs, text);
    }
}

static StoryLinker *
make_linker (Corpus *corpus,
             guint   n_places,
             double *build_ms)
{
  gint64 start = g_get_monotonic_time ();
  StoryLinker *linker = story_linker_new ();
  g_autoptr(GArray) none = NULL;

  for (guint i = 0; i < n_places; i++)
    {
      story_linker_add (linker, g_ptr_array_index (corpus->names, 2 * i), i);
      story_linker_add (linker, g_ptr_array_index (corpus->names, 2 * i + 1), i);
    }
  /* The automaton's links are built on the first search. */
  none = story_linker_find (linker, "");
  *build_ms = (g_get_monotonic_time () - start) / 1000.0;

  return linker;
}

/* Median MB/s of finding every mention in the first @n paragraphs. */
static double
find_mb_per_s (StoryLinker *linker,
               Corpus      *corpus,
               guint        n,
               guint       *n_mentions)
{
  g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));
  gsize bytes = 0;

  for (guint i = 0; i < n; i++)
    bytes += strlen (g_ptr_array_index (corpus->paragraphs, i));

  for (guint r = 0; r < N_REPEATS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      double rate;

      *n_mentions = 0;
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GArray) mentions = story_linker_find (linker, g_ptr_array_index (corpus->paragraphs, i));

          *n_mentions += mentions->len;
        }
      rate = bytes / 1e6 / ((g_get_monotonic_time () - start) / 1e6);
      g_array_append_val (rates, rate);
    }

  return bench_median (rates);
}

static double
casefold_mb_per_s (Corpus *corpus)
{
  g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint r = 0; r < N_REPEATS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      double rate;

      for (guint i = 0; i < corpus->paragraphs->len; i++)
        g_free (g_utf8_casefold (g_ptr_array_index (corpus->paragraphs, i), -1));
      rate = corpus->text_bytes / 1e6 / ((g_get_monotonic_time () - start) / 1e6);
      g_array_append_val (rates, rate);
    }

  return bench_median (rates);
}

static double
memmem_mb_per_s (Corpus *corpus)
{
  g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));
  const char *needle = g_ptr_array_index (corpus->names, 0);
  gsize needle_len = strlen (needle);

  for (guint r = 0; r < N_REPEATS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      guint volatile found = 0;
      double rate;

      for (guint i = 0; i < corpus->paragraphs->len; i++)
        {
          const char *text = g_ptr_array_index (corpus->paragraphs, i);
          const char *end = text + strlen (text);

          for (const char *p = text; (p = memmem (p, end - p, needle, needle_len)); p++)
            found++;
        }
      rate = corpus->text_bytes / 1e6 / ((g_get_monotonic_time () - start) / 1e6);
      g_array_append_val (rates, rate);
    }

  return bench_median (rates);
}

/* Paragraphs of @n_bytes naming the places "a" to "aaaa": the shorter
 * names first when @shorter_first, else the longer. */
static GPtrArray *
make_ordered_paragraphs (guint    n,
                         gsize    n_bytes,
                         gboolean shorter_first)
{
  GPtrArray *paragraphs = g_ptr_array_new_with_free_func (g_free);

  for (guint p = 0; p < n; p++)
    {
      GString *text = g_string_new (NULL);

      for (guint i = 0; i < 4; i++)
        {
          guint len = shorter_first ? i + 1 : 4 - i;

          for (gsize used = 0; used + len + 1 <= n_bytes / 4; used += len + 1)
            {
              if (text->len > 0)
                g_string_append_c (text, ' ');
              for (guint c = 0; c < len; c++)
                g_string_append_c (text, 'a');
            }
        }
      g_ptr_array_add (paragraphs, g_string_free (text, FALSE));
    }

  return paragraphs;
}

/* Finds every mention in @paragraphs once; prints and reports the time. */
static void
report_shape (const char  *label,
              const char  *result,
              StoryLinker *linker,
              GPtrArray   *paragraphs)
{
  gint64 start = g_get_monotonic_time ();
  guint n_mentions = 0;
  gsize bytes = 0;
  double ms;

  for (guint i = 0; i < paragraphs->len; i++)
    {
      g_autoptr(GArray) mentions = story_linker_find (linker, g_ptr_array_index (paragraphs, i));

      n_mentions += mentions->len;
      bytes += strlen (g_ptr_array_index (paragraphs, i));
    }
  ms = (g_get_monotonic_time () - start) / 1000.0;

  printf ("%-28s %8.2f %10.1f %10u %10.0f\n", label, bytes / 1e6, ms, n_mentions, bench_peak_rss_mb ());
  printf ("RESULT %s %.3f %.3f\n", result, ms, bytes / 1e6);
}

static void
measure_shapes (void)
{
  g_autoptr(StoryLinker) ordered = story_linker_new ();
  g_autoptr(StoryLinker) repeated = story_linker_new ();
  g_autoptr(StoryLinker) nested = story_linker_new ();
  g_autoptr(StoryLinker) inside = story_linker_new ();
  g_autoptr(GPtrArray) up = make_ordered_paragraphs (60, 256 * 1024 - 1, TRUE);
  g_autoptr(GPtrArray) down = make_ordered_paragraphs (60, 256 * 1024 - 1, FALSE);
  g_autoptr(GPtrArray) a_words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ab_words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) name = g_string_new ("a");
  g_autoptr(GString) inner_name = g_string_new ("b");

  for (guint len = 1; len <= 4; len++)
    {
      g_autofree char *n = g_strnfill (len, 'a');

      story_linker_add (ordered, n, len - 1);
    }

  /* 5,000 places of 256 names, all "a"; 2,000 aliases "a" … "a a … a". */
  for (guint i = 0; i < 5000 * 256; i++)
    story_linker_add (repeated, "a", i / 256);
  for (guint i = 0; i < 2000; i++)
    {
      story_linker_add (nested, name->str, i / 256);
      g_string_append (name, " a");
    }
  for (guint p = 0; p < 40; p++)
    {
      GString *text = g_string_new ("a");

      while (text->len + 2 < 256 * 1024)
        g_string_append (text, " a");
      g_ptr_array_add (a_words, g_string_free (text, FALSE));
    }

  /* 256 aliases "b ab" … "b ab … ab" over paragraphs of "ab ab ab …". */
  for (guint i = 0; i < 256; i++)
    {
      g_string_append (inner_name, " ab");
      story_linker_add (inside, inner_name->str, 0);
    }
  for (guint p = 0; p < 40; p++)
    {
      GString *text = g_string_new ("ab");

      while (text->len + 3 < 256 * 1024)
        g_string_append (text, " ab");
      g_ptr_array_add (ab_words, g_string_free (text, FALSE));
    }

  printf ("%-28s %8s %10s %10s %10s\n", "shape", "MB", "ms", "mentions", "peak MB");
  report_shape ("shorter names first", "links-order-shorter-first", ordered, up);
  report_shape ("longer names first", "links-order-longer-first", ordered, down);
  report_shape ("a name for 5,000 places", "links-repeated-name", repeated, a_words);
  report_shape ("2,000 nested aliases", "links-nested-aliases", nested, a_words);
  report_shape ("names starting inside words", "links-inside-words", inside, ab_words);
}

static void
free_corpus (Corpus *corpus)
{
  g_ptr_array_unref (corpus->names);
  g_ptr_array_unref (corpus->paragraphs);
}

int
main (int   argc,
      char *argv[])
{
  static const guint place_counts[] = { 1000, 10000, 100000 };
  static const guint paragraph_counts[] = { 500, 1000, 2000, 4000 };
  Corpus corpus;
  double casefold, memmem_rate;

  measure_shapes ();

  make_names (&corpus, 100000);
  make_paragraphs (&corpus, 4000);

  casefold = casefold_mb_per_s (&corpus);
  memmem_rate = memmem_mb_per_s (&corpus);
  printf ("text: 4,000 paragraphs, %.2f MB; names: %u places, each with an alias\n",
          corpus.text_bytes / 1e6, corpus.names->len / 2);

  printf ("baseline: g_utf8_casefold %.1f MB/s; memmem for one name %.1f MB/s\n",
          casefold, memmem_rate);

  printf ("%-8s %10s %12s %10s %10s\n", "places", "patterns", "build ms", "MB/s", "mentions");
  for (guint i = 0; i < G_N_ELEMENTS (place_counts); i++)
    {
      double build_ms, rate;
      guint n_mentions;
      StoryLinker *linker = make_linker (&corpus, place_counts[i], &build_ms);

      rate = find_mb_per_s (linker, &corpus, N_PARAGRAPHS, &n_mentions);
      printf ("%-8u %10u %12.1f %10.1f %10u\n", place_counts[i],
              story_linker_get_n_patterns (linker), build_ms, rate, n_mentions);
      printf ("RESULT links-places-%u %.3f %.3f\n", place_counts[i], rate, casefold);
      story_linker_free (linker);
    }

  {
    double build_ms;
    StoryLinker *linker = make_linker (&corpus, 10000, &build_ms);

    printf ("%-12s %10s %10s %10s   (10,000 places)\n", "paragraphs", "MB", "MB/s", "mentions");
    for (guint i = 0; i < G_N_ELEMENTS (paragraph_counts); i++)
      {
        guint n_mentions;
        double rate = find_mb_per_s (linker, &corpus, paragraph_counts[i], &n_mentions);
        gsize bytes = 0;

        for (guint p = 0; p < paragraph_counts[i]; p++)
          bytes += strlen (g_ptr_array_index (corpus.paragraphs, p));
        printf ("%-12u %10.2f %10.1f %10u\n", paragraph_counts[i], bytes / 1e6, rate, n_mentions);
        printf ("RESULT links-paragraphs-%u %.3f %.3f\n", paragraph_counts[i], rate, casefold);
      }
    story_linker_free (linker);
  }

  printf ("RESULT links-memmem %.3f %.3f\n", memmem_rate, casefold);
  free_corpus (&corpus);

  return EXIT_SUCCESS;
}
