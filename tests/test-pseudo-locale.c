/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "story-preferences.h"
#include "story-test-window.h"

/*
 * The real window in a pseudo-translation (every string accented, 40%
 * longer and wrapped in ⟦ ⟧): any visible text that is neither translated
 * nor the story's own content escaped gettext, and any label cut off by the
 * longer text would be cut off in a real language too.
 */

static GPtrArray *story_strings;

static void
collect_story_strings (StoryDocument *document)
{
  story_strings = g_ptr_array_new ();

  g_ptr_array_add (story_strings, (gpointer)story_document_get_title (document));
  if (story_document_get_dateline (document))
    g_ptr_array_add (story_strings, (gpointer)story_document_get_dateline (document));
  for (guint p = 1; p <= story_document_get_n_paragraphs (document); p++)
    g_ptr_array_add (story_strings, (gpointer)story_document_get_paragraph (document, p));

  for (guint i = 0; i < story_document_get_n_places (document); i++)
    {
      StoryPlace *place = story_document_get_place (document, i);
      GHashTableIter iter;
      gpointer value;

      g_ptr_array_add (story_strings, (gpointer)story_place_get_name (place));
      if (story_place_get_description (place))
        g_ptr_array_add (story_strings, (gpointer)story_place_get_description (place));
      g_hash_table_iter_init (&iter, story_place_get_names (place));
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (story_strings, value);
    }
}

static gboolean
is_story_content (const char *text)
{
  for (guint i = 0; i < story_strings->len; i++)
    if (strstr (g_ptr_array_index (story_strings, i), text) != NULL)
      return TRUE;

  return FALSE;
}

/* Text with no letters (numbers, coordinates, punctuation) needs no
 * translation. */
static gboolean
has_letters (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

static void
check_text (const char *text,
            GtkWidget  *widget,
            const char *what,
            GString    *problems)
{
  if (text == NULL || !has_letters (text) || strstr (text, "⟦") != NULL || is_story_content (text))
    return;

  g_string_append_printf (problems, "untranslated %s in %s: “%s”\n",
                          what, G_OBJECT_TYPE_NAME (widget), text);
}

static void
walk (GtkWidget *widget,
      GString   *problems,
      guint     *n_checked)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  /* libshumate's own widgets carry its own translations and map credits. */
  if (SHUMATE_IS_SCALE (widget) || SHUMATE_IS_LICENSE (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (widget));

      check_text (gtk_label_get_text (GTK_LABEL (widget)), widget, "label", problems);
      if (pango_layout_is_ellipsized (layout))
        g_string_append_printf (problems, "label cut off: “%s”\n", gtk_label_get_text (GTK_LABEL (widget)));
      (*n_checked)++;
    }

  check_text (gtk_widget_get_tooltip_text (widget), widget, "tooltip", problems);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    walk (child, problems, n_checked);
}

static void
assert_all_translated (Fixture    *f,
                       const char *state)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n_checked = 0;

  settle ();
  walk (GTK_WIDGET (f->window), problems, &n_checked);
  g_test_message ("%s: %u labels checked", state, n_checked);
  g_assert_cmpuint (n_checked, >, 10);

  if (problems->len > 0)
    g_error ("%s:\n%s", state, problems->str);
}

static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  StoryArticleView *view = story_window_get_article_view (f->window);

  /* The translation is in use at all. */
  g_assert_nonnull (strstr (_("Zoom In"), "⟦"));

  collect_story_strings (f->document);
  WAIT_FOR (story_map_view_get_offline (story_window_get_map_view (f->window)));
  assert_all_translated (f, "at start");

  story_article_view_activate_paragraph (view, 11);
  WAIT_FOR (story_selection_get_paragraph (f->selection) == 11);
  gtk_widget_activate (marker (f, "yerevan"));
  WAIT_FOR (story_selection_get_place (f->selection) != NULL);
  gtk_widget_activate (marker (f, "baku"));
  WAIT_FOR (story_selection_get_place (f->selection) == story_document_lookup_place (f->document, "baku"));
  assert_all_translated (f, "with a place selected");

  story_window_set_presenting (f->window, TRUE);
  assert_all_translated (f, "presenting");
  maybe_screenshot (f, "pseudo-locale");
  story_window_set_presenting (f->window, FALSE);

  g_ptr_array_unref (story_strings);
}

/* The Preferences and Shortcuts windows are titled from our catalogue,
 * which has languages that libadwaita's and GTK's do not. */
static void
test_window_titles (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *preferences = story_preferences_new (GTK_WINDOW (f->window));
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *shortcuts = NULL;

  gtk_window_present (GTK_WINDOW (preferences));
  settle ();
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (preferences)), "⟦"));
  gtk_window_destroy (GTK_WINDOW (preferences));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-help-overlay", NULL));
  settle ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (window))
        shortcuts = window;
    }
  g_assert_nonnull (shortcuts);
  g_assert_nonnull (strstr (gtk_window_get_title (shortcuts), "⟦"));
  gtk_window_close (shortcuts);
}

/* The story's date takes its month from our catalogue, in the language
 * of the interface, not from LC_TIME (here English). */
static void
test_date (void)
{
  const char *february = g_dpgettext2 (NULL, "month in a date", "February");
  g_autofree char *date = story_article_view_format_date ("2024-02-13");

  g_assert_nonnull (strstr (february, "⟦"));
  g_assert_nonnull (strstr (date, february));
  g_assert_nonnull (strstr (date, "13"));
  g_assert_nonnull (strstr (date, "2024"));
  g_assert_nonnull (strstr (date, "⟦13 "));

  /* Not a whole date: shown as written. */
  g_free (date);
  date = story_article_view_format_date ("2024");
  g_assert_cmpstr (date, ==, "2024");
}

/* Under AddressSanitizer, allocations are traced through GLib's frames
 * (built without frame pointers), so that the leak check sees where they
 * were made and build-aux/lsan.supp can name GLib's table of quarks. */
const char *__asan_default_options (void);
const char *__lsan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

/* A pseudo-translation needs a locale that is not C: one is made in a
 * temporary folder, so nothing on the system changes. */
static gboolean
use_pseudo_locale (void)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-locale-XXXXXX", NULL);
  g_autofree char *target = g_build_filename (dir, "en_US.UTF-8", NULL);
  const char *argv[] = { "localedef", "-i", "en_US", "-f", "UTF-8", target, NULL };
  g_autofree char *catalogs = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "locale", NULL);
  int status = 0;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return FALSE;

  g_setenv ("LOCPATH", dir, TRUE);
  g_setenv ("LANG", "en_US.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "pseudo", TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");

  if (setlocale (LC_ALL, "") == NULL)
    return FALSE;

  bindtextdomain (GETTEXT_PACKAGE, catalogs);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  if (!use_pseudo_locale ())
    {
      g_print ("1..0 # SKIP no en_US locale data to build a test locale from (Debian: locales)\n");
      return 0;
    }

  story_test_init (&argc, &argv);
  g_test_add ("/story/i18n/pseudo-locale", Fixture, NULL, fixture_set_up, test_window, fixture_tear_down);
  g_test_add ("/story/i18n/window-titles", Fixture, NULL, fixture_set_up, test_window_titles, fixture_tear_down);
  g_test_add_func ("/story/i18n/date", test_date);

  return story_test_run ();
}
