/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "story-text.h"

#define LRE "\u202A"
#define RLE "\u202B"
#define PDF "\u202C"
#define LRO "\u202D"
#define RLO "\u202E"
#define LRI "\u2066"
#define RLI "\u2067"
#define FSI "\u2068"
#define PDI "\u2069"

/* Text without controls is left as it is. */
static void
test_plain (void)
{
  const char *texts[] = { "", "Nerkin Hand", "Ներքին Հանդ", "باكو", "a\nb", "<b>&amp;</b>" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *balanced = story_text_balance (texts[i]);
      g_autofree char *isolated = story_text_isolate (texts[i]);
      g_autofree char *expected = g_strconcat (FSI, texts[i], PDI, NULL);

      g_assert_false (story_text_has_bidi_controls (texts[i], -1));
      g_assert_cmpstr (balanced, ==, texts[i]);
      g_assert_cmpstr (isolated, ==, expected);
    }
}

/* Whatever a piece opens, it closes, innermost first; what it closes
 * without opening is left out. */
static void
test_balance (void)
{
  const struct { const char *text; const char *balanced; } cases[] = {
    { "a" RLO "bc", "a" RLO "bc" PDF },
    { RLO RLE LRO "x", RLO RLE LRO "x" PDF PDF PDF },
    { "a" RLI "b", "a" RLI "b" PDI },
    { "a" RLO "b" FSI "c" LRE "d", "a" RLO "b" FSI "c" LRE "d" PDF PDI PDF },
    /* Closed in the text: nothing to add. */
    { "a" RLO "b" PDF "c", "a" RLO "b" PDF "c" },
    { "a" LRI "b" PDI "c", "a" LRI "b" PDI "c" },
    /* A PDI closes the embeddings opened in its isolate. */
    { RLI RLO "a" PDI "b", RLI RLO "a" PDI "b" },
    /* Stray closers: a PDI that would end the isolate the piece is shown
     * in, a PDF with nothing to close, a PDF that cannot reach past an
     * isolate. */
    { "a" PDI RLO "b", "a" RLO "b" PDF },
    { PDF PDF "a" PDI, "a" },
    { RLO FSI PDF "a", RLO FSI "a" PDI PDF },
    /* A paragraph separator ends everything. */
    { RLO "a\n" "b" PDF, RLO "a\nb" },
    { RLO "a\u2029" "b" RLE, RLO "a\u2029b" RLE PDF },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *balanced = story_text_balance (cases[i].text);
      g_autofree char *isolated = story_text_isolate (cases[i].text);
      g_autofree char *expected = g_strconcat (FSI, cases[i].balanced, PDI, NULL);

      g_assert_true (story_text_has_bidi_controls (cases[i].text, -1));
      g_assert_cmpstr (balanced, ==, cases[i].balanced);
      g_assert_cmpstr (isolated, ==, expected);
    }
}

/* Past the algorithm's depth limit of 125 every opener still gets its
 * closer: one PDI at the end would only count an overflow down. */
static void
test_deep (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *balanced = NULL;
  guint n_pdi = 0, n_pdf = 0;

  for (guint i = 0; i < 300; i++)
    g_string_append (text, i % 2 ? RLO "x " : RLI "y ");
  balanced = story_text_balance (text->str);

  g_assert_true (g_str_has_prefix (balanced, text->str));
  for (const char *p = balanced + text->len; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_true (c == 0x202C || c == 0x2069);
      if (c == 0x2069)
        n_pdi++;
      else
        n_pdf++;
    }
  g_assert_cmpuint (n_pdi, ==, 150);
  g_assert_cmpuint (n_pdf, ==, 150);
  /* Innermost first: the last opener is an RLO. */
  g_assert_true (g_str_has_prefix (balanced + text->len, PDF PDI));
}

/* Markup is escaped, and controls are balanced across the pieces a
 * caller writes, with its own markup in between. */
static void
test_markup (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *isolated = story_text_isolate_markup ("<b>" RLO "&</b>" PDI);
  StoryTextWriter writer;

  g_assert_cmpstr (isolated, ==, FSI "&lt;b&gt;" RLO "&amp;&lt;/b&gt;" PDF PDI);

  story_text_writer_init (&writer, out, TRUE);
  story_text_writer_append (&writer, "x " RLO "<y", -1);
  g_string_append (out, "<span underline=\"single\">");
  story_text_writer_append (&writer, "z" PDF "w" PDF, -1);
  g_string_append (out, "</span>");
  story_text_writer_append (&writer, "tail", 2);
  story_text_writer_finish (&writer);
  g_assert_cmpstr (out->str, ==, "x " RLO "&lt;y<span underline=\"single\">z" PDF "w</span>ta");
  g_assert_true (pango_parse_markup (out->str, -1, 0, NULL, NULL, NULL, NULL));
}

/* The direction of a piece: its first letter outside isolates, as the
 * bidirectional algorithm finds it; overrides are not letters. */
static void
test_direction (void)
{
  const struct { const char *text; PangoDirection direction; } cases[] = {
    { "Baku", PANGO_DIRECTION_LTR },
    { "باكو", PANGO_DIRECTION_RTL },
    { "12 — “ليلة”", PANGO_DIRECTION_RTL },
    { "12 · 2024", PANGO_DIRECTION_NEUTRAL },
    { RLO "The soldiers", PANGO_DIRECTION_LTR },
    { LRE "باكو", PANGO_DIRECTION_RTL },
    { FSI "باكو" PDI " Baku", PANGO_DIRECTION_LTR },
    { RLI "Baku", PANGO_DIRECTION_NEUTRAL },
    { "\u200F" "Baku", PANGO_DIRECTION_RTL },
    { "", PANGO_DIRECTION_NEUTRAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (story_text_get_direction (cases[i].text, -1), ==, cases[i].direction);

  g_assert_cmpstr (story_text_direction_mark (PANGO_DIRECTION_LTR), ==, "\u200E");
  g_assert_cmpstr (story_text_direction_mark (PANGO_DIRECTION_RTL), ==, "\u200F");
  g_assert_cmpstr (story_text_direction_mark (PANGO_DIRECTION_NEUTRAL), ==, "");
}

/* A string of the longest length a story allows, all controls: linear,
 * and at most twice as long once closed. */
static void
test_long (void)
{
  gsize n = 256 * 1024 / 3;
  g_autoptr(GString) text = g_string_sized_new (n * 3);
  g_autofree char *balanced = NULL;

  for (gsize i = 0; i < n; i++)
    g_string_append (text, i % 3 == 0 ? RLO : i % 3 == 1 ? PDI : LRI);
  balanced = story_text_balance (text->str);

  g_assert_cmpuint (strlen (balanced), <=, 2 * text->len);
  g_assert_cmpint (story_text_get_direction (text->str, -1), ==, PANGO_DIRECTION_NEUTRAL);
}

/* A run longer than STORY_TEXT_MAX_RUN with no chance to break the line
 * gets one every STORY_TEXT_MAX_RUN characters; ordinary words, and
 * clusters of marks, are left whole. */
static void
test_long_runs (void)
{
  g_autofree char *word = g_strnfill (3 * STORY_TEXT_MAX_RUN + 5, 'W');
  g_autofree char *broken = story_text_balance (word);
  g_autofree char *words = NULL;
  g_autoptr(GString) marks = g_string_new (NULL);
  g_autofree char *kept = NULL;
  guint n = 0, longest = 0, run = 0;

  for (const char *p = broken; *p; p = g_utf8_next_char (p))
    {
      if (g_utf8_get_char (p) == 0x200B)
        {
          n++;
          run = 0;
          continue;
        }
      run++;
      longest = MAX (longest, run);
    }
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (longest, ==, STORY_TEXT_MAX_RUN);
  g_assert_cmpuint (strlen (broken), ==, strlen (word) + 3 * strlen ("\u200B"));

  /* Words, however many, with spaces, hyphens or slashes between them. */
  words = g_strjoin (" ", word + strlen (word) - STORY_TEXT_MAX_RUN, "a-long-hyphenated-compound-word-of-many-parts",
                     "https://example.org/a/path/with/many/parts/but/short/segments", NULL);
  g_free (broken);
  broken = story_text_balance (words);
  g_assert_cmpstr (broken, ==, words);

  /* A base letter with many combining marks is one cluster. */
  g_string_append_c (marks, 'e');
  for (guint i = 0; i < 2 * STORY_TEXT_MAX_RUN; i++)
    g_string_append (marks, "\u0301");
  kept = story_text_balance (marks->str);
  g_assert_cmpstr (kept, ==, marks->str);
}

/* Text quoted in a message shows what it holds, in its order: controls
 * and directional formatting become U+FFFD, line breaks stay. */
static void
test_reveal (void)
{
  const struct { const char *text; const char *revealed; } cases[] = {
    { "Roads & Rivers.mbtiles", "Roads & Rivers.mbtiles" },
    { "A" RLO "txt.mbtiles", "A\uFFFDtxt.mbtiles" },
    { "a" LRI "b" PDI "\u200Fc\u061C", "a\uFFFDb\uFFFD\uFFFDc\uFFFD" },
    { "story.json: error: one\ntwo\tthree\r", "story.json: error: one\ntwo three " },
    { "\x1b[31mred\x7f", "\uFFFD[31mred\uFFFD" },
    { "Ներքին Հանդ, باكو", "Ներքին Հանդ, باكو" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *revealed = story_text_reveal (cases[i].text);

      g_assert_cmpstr (revealed, ==, cases[i].revealed);
    }
}

/* A name shown on one line is cut short and cannot reverse what follows. */
static void
test_for_label (void)
{
  g_autofree char *plain = story_text_for_label ("Nerkin Hand", STORY_TEXT_MAX_NAME_CHARS);
  g_autofree char *reversed = story_text_for_label ("Baku" RLO "ukab", STORY_TEXT_MAX_NAME_CHARS);
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autofree char *shortened = NULL;

  g_assert_cmpstr (plain, ==, "Nerkin Hand");
  g_assert_cmpstr (reversed, ==, "Baku" RLO "ukab" PDF);

  for (guint i = 0; i < 1000; i++)
    g_string_append (long_name, "Syunik ");
  shortened = story_text_for_label (long_name->str, STORY_TEXT_MAX_NAME_CHARS);
  g_assert_cmpuint (g_utf8_strlen (shortened, -1), ==, STORY_TEXT_MAX_NAME_CHARS + 1);
  g_assert_true (g_str_has_suffix (shortened, "…"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/text/plain", test_plain);
  g_test_add_func ("/story/text/balance", test_balance);
  g_test_add_func ("/story/text/deep", test_deep);
  g_test_add_func ("/story/text/markup", test_markup);
  g_test_add_func ("/story/text/direction", test_direction);
  g_test_add_func ("/story/text/long", test_long);
  g_test_add_func ("/story/text/reveal", test_reveal);
  g_test_add_func ("/story/text/for-label", test_for_label);
  g_test_add_func ("/story/text/long-runs", test_long_runs);

  return g_test_run ();
}
