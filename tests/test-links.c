/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

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

  return g_test_run ();
}
