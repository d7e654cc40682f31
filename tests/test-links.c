/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "story-links.h"

/* Returns the matches in @text as "place:matched text" joined by '|'. */
static char *
find (StoryLinker *linker,
      const char  *text)
{
  g_autoptr(GArray) mentions = story_linker_find (linker, text);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < mentions->len; i++)
    {
      const StoryMention *m = &g_array_index (mentions, StoryMention, i);

      if (i > 0)
        g_string_append_c (out, '|');
      g_string_append_printf (out, "%u:%.*s", m->place, (int)(m->end - m->start), text + m->start);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_aliases (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autofree char *found = NULL;

  story_linker_add (linker, "Syunik", 0);
  story_linker_add (linker, "Siunik", 0);
  story_linker_add (linker, "Nerkin Hand", 1);

  found = find (linker, "The fighting occurred near the village of Nerkin Hand in the southern region of Siunik.");
  g_assert_cmpstr (found, ==, "1:Nerkin Hand|0:Siunik");
}

static void
test_case (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autofree char *found = NULL;

  story_linker_add (linker, "Baku", 0);

  found = find (linker, "BAKU — baku, Baku and bAkU");
  g_assert_cmpstr (found, ==, "0:BAKU|0:baku|0:Baku|0:bAkU");
}

static void
test_word_boundaries (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autofree char *found = NULL;

  story_linker_add (linker, "Armenia", 0);
  story_linker_add (linker, "Moscow", 1);

  /* "Armenian" is not "Armenia"; a possessive is still the place. */
  found = find (linker, "Armenian soldiers, Armenia's claim, (Armenia), Moscow's force, Moscow2");
  g_assert_cmpstr (found, ==, "0:Armenia|0:Armenia|1:Moscow");
}

static void
test_overlapping (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autofree char *found = NULL;
  g_autofree char *found2 = NULL;

  story_linker_add (linker, "Karabakh", 0);
  story_linker_add (linker, "Nagorno-Karabakh", 1);
  story_linker_add (linker, "New York", 2);
  story_linker_add (linker, "York", 3);

  found = find (linker, "occupied Nagorno-Karabakh, and later Karabakh");
  g_assert_cmpstr (found, ==, "1:Nagorno-Karabakh|0:Karabakh");

  found2 = find (linker, "New York and York");
  g_assert_cmpstr (found2, ==, "2:New York|3:York");
}

static void
test_non_latin (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autofree char *found = NULL;
  g_autofree char *found2 = NULL;

  story_linker_add (linker, "Երևան", 0);
  story_linker_add (linker, "Москва", 1);

  /* Armenian has case: ԵՐԵՎԱՆ folds to the same as Երևան, but the
   * ligature և is its own letter, so only the second spelling matches. */
  found = find (linker, "Քաղաքը՝ Երևան, ոչ Երևանը։");
  g_assert_cmpstr (found, ==, "0:Երևան");

  found2 = find (linker, "В МОСКВА и в Москве");
  g_assert_cmpstr (found2, ==, "1:МОСКВА");
}

static void
test_unicode_normalisation (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autofree char *found = NULL;

  /* Decomposed in the name, composed in the text. */
  story_linker_add (linker, "I\xcc\x87rəvan", 0);   /* I + combining dot above */
  story_linker_add (linker, "Straße", 1);

  found = find (linker, "İrəvan, STRASSE, Strasser");
  g_assert_cmpstr (found, ==, "0:İrəvan|1:STRASSE");
}

static void
test_no_names (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autofree char *found = NULL;

  story_linker_add (linker, "", 0);
  found = find (linker, "Nothing to find here.");
  g_assert_cmpstr (found, ==, "");
  g_assert_cmpuint (story_linker_get_n_patterns (linker), ==, 0);
}

static void
test_shared_suffixes (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autofree char *found = NULL;

  /* Names that are suffixes of others exercise the failure links. */
  story_linker_add (linker, "Nakhchivan", 0);
  story_linker_add (linker, "Chivan", 1);
  story_linker_add (linker, "Ivan", 2);

  found = find (linker, "Nakhchivan, Chivan, Ivan, Nakh Ivan");
  g_assert_cmpstr (found, ==, "0:Nakhchivan|1:Chivan|2:Ivan|2:Ivan");
}

static void
test_longer_wins_not_last (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autofree char *found = NULL;

  /* "B C" overlaps the longer "A B" kept first; "C" alone still fits. */
  story_linker_add (linker, "A B", 0);
  story_linker_add (linker, "B C", 1);
  story_linker_add (linker, "C", 2);

  found = find (linker, "A B C");
  g_assert_cmpstr (found, ==, "0:A B|2:C");
}

static void
test_tie_after_passing_over (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autofree char *found = NULL;

  /* "Q R S T" gives way to the longer "M N O P Q", leaving "S T", as long
   * as "R S" found on its own, which is earlier and so wins. */
  story_linker_add (linker, "M N O P Q", 0);
  story_linker_add (linker, "Q R S T", 1);
  story_linker_add (linker, "R S", 2);
  story_linker_add (linker, "S T", 3);
  story_linker_add (linker, "T", 4);

  found = find (linker, "M N O P Q R S T");
  g_assert_cmpstr (found, ==, "0:M N O P Q|2:R S|4:T");
}

static void
test_same_name_many_places (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) mentions = NULL;

  /* Ties go to the lowest place, whatever the order names came in. */
  for (guint place = 40000; place-- > 20000;)
    story_linker_add (linker, "Baku", place);
  for (guint i = 0; i < 20000; i++)
    story_linker_add (linker, "BAKU", 30000);
  for (guint i = 0; i < 20000; i++)
    g_string_append (text, i % 2 ? "baku " : "Baku, ");

  mentions = story_linker_find (linker, text->str);
  g_assert_cmpuint (story_linker_get_n_patterns (linker), ==, 40000);
  g_assert_cmpuint (mentions->len, ==, 20000);
  for (guint i = 0; i < mentions->len; i++)
    {
      const StoryMention *m = &g_array_index (mentions, StoryMention, i);

      g_assert_cmpuint (m->place, ==, 20000);
      g_assert_cmpuint (m->end - m->start, ==, 4);
    }
}

static void
test_nested_aliases (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autoptr(GString) name = g_string_new ("a");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) mentions = NULL;
  guint n_names = 2000, n_words = 200001;

  /* "a", "a a", "a a a", …: every word ends as many matches as there are
   * names, and the text is cut into runs of the longest. */
  for (guint i = 0; i < n_names; i++)
    {
      story_linker_add (linker, name->str, i % 7);
      g_string_append (name, " a");
    }
  for (guint i = 0; i < n_words; i++)
    g_string_append (text, i > 0 ? " A" : "A");

  mentions = story_linker_find (linker, text->str);
  g_assert_cmpuint (mentions->len, ==, n_words / n_names + 1);
  for (guint i = 0; i < mentions->len; i++)
    {
      const StoryMention *m = &g_array_index (mentions, StoryMention, i);
      guint words = i + 1 < mentions->len ? n_names : n_words % n_names;

      g_assert_cmpuint (m->start, ==, 2 * i * n_names);
      g_assert_cmpuint (m->end - m->start, ==, 2 * words - 1);
      g_assert_cmpuint (m->place, ==, (words - 1) % 7);
    }
}

static void
test_names_inside_words (void)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  g_autoptr(GString) name = g_string_new ("b");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) mentions = NULL;
  guint n_names = 500, n_words = 1000000, every = 1000;

  /* "b ab", "b ab ab", …: at the end of every word of "ab ab ab …" each
   * name matches, starting inside an earlier word. Only where a word is "b"
   * alone does the longest name start on a word. */
  for (guint i = 0; i < n_names; i++)
    {
      g_string_append (name, " ab");
      story_linker_add (linker, name->str, i);
    }
  for (guint i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, i % every == 1 ? "B" : "aB");
    }

  mentions = story_linker_find (linker, text->str);
  g_assert_cmpuint (mentions->len, ==, n_words / every);
  for (guint i = 0; i < mentions->len; i++)
    {
      const StoryMention *m = &g_array_index (mentions, StoryMention, i);

      g_assert_cmpuint (m->start, ==, 3 * (every * i + 1) - i);
      g_assert_cmpuint (m->end - m->start, ==, 1 + 3 * n_names);
      g_assert_cmpuint (m->place, ==, n_names - 1);
    }
}

/* A match may start after a character whose folding ends in a letter or
 * digit only if the character itself is one. Where it is not (U+0345, a
 * mark, folds to ι), a match after it still counts. */
static void
test_letter_folded_from_mark (void)
{
  guint n_checked = 0;

  for (gunichar c = 1; c < 0x110000; c++)
    {
      char text[16] = { 0 };
      g_autofree char *folded = NULL;
      g_autofree char *nfc = NULL;
      g_autofree char *name = NULL;
      g_autofree char *found = NULL;
      g_autoptr(StoryLinker) linker = NULL;
      int len;

      if (!g_unichar_validate (c) || g_unichar_isalnum (c))
        continue;

      len = g_unichar_to_utf8 (c, text);
      folded = g_utf8_casefold (text, len);
      if (!g_unichar_isalnum (g_utf8_get_char (g_utf8_find_prev_char (folded, folded + strlen (folded)))))
        continue;

      nfc = story_text_to_nfc (text);
      if (strcmp (nfc, text) != 0)
        continue;

      /* "zz" is a suffix of a longer name's beginning. */
      linker = story_linker_new ();
      name = g_strconcat (text, "zzq", NULL);
      story_linker_add (linker, "zz", 0);
      story_linker_add (linker, name, 1);
      strcpy (text + len, "zz");
      found = find (linker, text);
      g_assert_cmpstr (found, ==, "0:zz");
      n_checked++;
    }
  g_assert_cmpuint (n_checked, >, 0);

  {
    g_autoptr(StoryLinker) linker = story_linker_new ();
    g_autofree char *found = NULL;

    story_linker_add (linker, "zz", 0);
    story_linker_add (linker, "\xcd\x85zzq", 1);
    found = find (linker, "\xce\xb9zz \xcd\x85zz");
    g_assert_cmpstr (found, ==, "0:zz");
  }
}

/* Mentions found by comparing every name with every piece of @text between
 * two characters, keeping the longest first as the documented rule says. */
static GArray *
reference_find (char       **names,
                guint       *places,
                guint        n_names,
                const char  *text)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (StoryMention));
  GArray *kept = g_array_new (FALSE, FALSE, sizeof (StoryMention));
  gsize len = strlen (text);

  for (guint n = 0; n < n_names; n++)
    {
      g_autofree char *nfc = g_utf8_normalize (names[n], -1, G_NORMALIZE_NFC);
      g_autofree char *name = g_utf8_casefold (nfc, -1);

      for (const char *s = text; *s; s = g_utf8_next_char (s))
        for (const char *e = g_utf8_next_char (s); e <= text + len; e = *e ? g_utf8_next_char (e) : e + 1)
          {
            g_autofree char *piece = g_utf8_casefold (s, e - s);
            StoryMention m = { s - text, e - text, places[n] };

            if (strcmp (piece, name) != 0)
              continue;
            if (s > text && g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (s))))
              continue;
            if (*e && g_unichar_isalnum (g_utf8_get_char (e)))
              continue;
            g_array_append_val (candidates, m);
          }
    }

  /* Longest first, then the earliest, then the lowest place. */
  for (guint i = 0; i < candidates->len; i++)
    for (guint j = i + 1; j < candidates->len; j++)
      {
        StoryMention *a = &g_array_index (candidates, StoryMention, i);
        StoryMention *b = &g_array_index (candidates, StoryMention, j);
        guint la = a->end - a->start, lb = b->end - b->start;

        if (lb > la || (lb == la && (b->start < a->start || (b->start == a->start && b->place < a->place))))
          {
            StoryMention tmp = *a;

            *a = *b;
            *b = tmp;
          }
      }

  for (guint i = 0; i < candidates->len; i++)
    {
      const StoryMention *m = &g_array_index (candidates, StoryMention, i);
      guint at = 0;
      gboolean overlaps = FALSE;

      for (guint k = 0; k < kept->len; k++)
        {
          const StoryMention *o = &g_array_index (kept, StoryMention, k);

          overlaps |= o->start < m->end && m->start < o->end;
          if (o->start < m->start)
            at = k + 1;
        }
      if (!overlaps)
        g_array_insert_val (kept, at, *m);
    }

  return kept;
}

static char *
random_words (const char * const *words,
              guint               n_words,
              guint               max)
{
  static const char *separators[] = { " ", " ", " ", "-", ", ", "" };
  GString *out = g_string_new (NULL);
  guint n = g_test_rand_int_range (1, max + 1);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, separators[g_test_rand_int_range (0, G_N_ELEMENTS (separators))]);
      g_string_append (out, words[g_test_rand_int_range (0, n_words)]);
    }

  return g_string_free (out, FALSE);
}

static void
check_random_against_reference (const char * const *words,
                                guint               n_words,
                                guint               n_rounds)
{
  for (guint round = 0; round < n_rounds; round++)
    {
      g_autoptr(StoryLinker) linker = story_linker_new ();
      g_autofree char *raw = random_words (words, n_words, 24);
      g_autofree char *text = story_text_to_nfc (raw);
      guint n_names = g_test_rand_int_range (1, 9);
      g_auto(GStrv) names = g_new0 (char *, n_names + 1);
      g_autofree guint *places = g_new (guint, n_names);
      g_autoptr(GArray) expected = NULL;
      g_autoptr(GArray) found = NULL;

      for (guint n = 0; n < n_names; n++)
        {
          names[n] = random_words (words, n_words, 4);
          places[n] = g_test_rand_int_range (0, 4);
          story_linker_add (linker, names[n], places[n]);
        }

      expected = reference_find (names, places, n_names, text);
      found = story_linker_find (linker, text);

      if (found->len != expected->len ||
          (found->len > 0 &&
           memcmp (found->data, expected->data, found->len * sizeof (StoryMention)) != 0))
        {
          g_autofree char *joined = g_strjoinv ("\", \"", names);

          g_error ("“%s” with names “%s”: %u mentions, expected %u",
                   text, joined, found->len, expected->len);
        }
    }
}

/* The finder agrees with the rule as written on many small random texts:
 * names nested in and overlapping each other, the same name for several
 * places, case, characters whose folding is longer than they are; then
 * names that often start inside a word of the text ("b ab" in "ab ab"),
 * also after characters that fold to more than one, or a mark that folds to
 * a letter (U+0345 to ι). */
static void
test_random_against_reference (void)
{
  static const char *words[] = {
    "a", "a", "b", "ab", "ba", "A", "B", "ß", "ss", "SS", "é", "İ", "i", "i\xcc\x87", "\xcc\x87", "ﬁ", "fi",
  };
  static const char *inner[] = {
    "a", "b", "b", "ab", "ab", "aB", "İ", "i", "ß", "s", "ﬁ", "i", "\xcd\x85", "\xce\xb9",
  };

  check_random_against_reference (words, G_N_ELEMENTS (words), 3000);
  check_random_against_reference (inner, G_N_ELEMENTS (inner), 3000);
}

/* The quick NFC path must agree with GLib's normalisation: for every
 * character alone, for every canonical pair that composes, and for
 * combining marks in and out of canonical order. */
static void
test_nfc_quick_path (void)
{
  static const char *texts[] = {
    "Nerkin Hand", "Ներքին Հանդ", "Неркин Ханд", "نيركين هاند", "Nerkin Händ",
    "Ne\xcc\x81rkin", "e\xcc\x81\xcc\xa3", "e\xcc\xa3\xcc\x81", "\xd8\xa7\xd9\x94",
    "\xd9\x90\xd9\x8b", "\xd9\x8b\xd9\x90", "\xe2\x80\x80", "\xe2\x84\xa6", "\xef\xac\x81",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *quick = story_text_to_nfc (texts[i]);
      g_autofree char *nfc = g_utf8_normalize (texts[i], -1, G_NORMALIZE_NFC);

      g_assert_cmpstr (quick, ==, nfc);
    }

  for (gunichar c = 1; c < 0x30000; c++)
    {
      char text[16] = { 0 };
      gunichar a, b;
      int len;

      if (!g_unichar_validate (c))
        continue;

      /* The character alone. */
      len = g_unichar_to_utf8 (c, text);
      text[len] = '\0';
      {
        g_autofree char *quick = story_text_to_nfc (text);
        g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);

        if (g_strcmp0 (quick, nfc) != 0)
          g_error ("U+%04X: quick path gives a different NFC", c);
      }

      /* The pair it decomposes into, which NFC composes back. */
      if (g_unichar_decompose (c, &a, &b) && b != 0)
        {
          len = g_unichar_to_utf8 (a, text);
          len += g_unichar_to_utf8 (b, text + len);
          text[len] = '\0';
          {
            g_autofree char *quick = story_text_to_nfc (text);
            g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);

            if (g_strcmp0 (quick, nfc) != 0)
              g_error ("U+%04X U+%04X: quick path gives a different NFC", a, b);
          }
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/links/aliases", test_aliases);
  g_test_add_func ("/story/links/case", test_case);
  g_test_add_func ("/story/links/word-boundaries", test_word_boundaries);
  g_test_add_func ("/story/links/overlapping", test_overlapping);
  g_test_add_func ("/story/links/non-latin", test_non_latin);
  g_test_add_func ("/story/links/normalisation", test_unicode_normalisation);
  g_test_add_func ("/story/links/nfc-quick-path", test_nfc_quick_path);
  g_test_add_func ("/story/links/no-names", test_no_names);
  g_test_add_func ("/story/links/shared-suffixes", test_shared_suffixes);
  g_test_add_func ("/story/links/longer-wins-not-last", test_longer_wins_not_last);
  g_test_add_func ("/story/links/tie-after-passing-over", test_tie_after_passing_over);
  g_test_add_func ("/story/links/same-name-many-places", test_same_name_many_places);
  g_test_add_func ("/story/links/nested-aliases", test_nested_aliases);
  g_test_add_func ("/story/links/names-inside-words", test_names_inside_words);
  g_test_add_func ("/story/links/letter-folded-from-mark", test_letter_folded_from_mark);
  g_test_add_func ("/story/links/random-against-reference", test_random_against_reference);

  return g_test_run ();
}
