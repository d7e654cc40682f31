/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-check"

#include "config.h"

#include <glib/gi18n.h>

#include "story-check.h"
#include "story-document.h"

/*
 * `story-map --check FILE`: validates a story without a window and lists
 * which paragraphs name each place. The output on success is a stable,
 * machine-read format and so is not translated; warnings and errors are.
 */

static void
append_place (GString    *out,
              GString    *err,
              const char *filename,
              StoryPlace *place)
{
  const guint *paragraphs;
  gboolean dateline = story_place_in_dateline (place);
  guint n;

  paragraphs = story_place_get_paragraphs (place, &n);

  g_string_append_printf (out, "%s (%s): ", story_place_get_id (place), story_place_get_name (place));

  if (!dateline && n == 0)
    {
      g_string_append (out, "none\n");
      /* Translators: a warning of story-map --check; the first %s is a file
       * name, the second a place id, the third its name */
      g_string_append_printf (err, _("%s: warning: place “%s” (%s) is not named in the text\n"),
                              filename, story_place_get_id (place), story_place_get_name (place));
      return;
    }

  if (dateline)
    g_string_append (out, "dateline");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, (i == 0 && !dateline) ? "%u" : ", %u", paragraphs[i]);

  g_string_append_c (out, '\n');
}

/**
 * story_check_file:
 * @filename: the file as named on the command line
 * @out: gets what goes to standard output
 * @err: gets what goes to standard error
 *
 * Returns: %TRUE if the story is valid
 */
gboolean
story_check_file (const char *filename,
                  GString    *out,
                  GString    *err)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (filename);
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  guint n_paragraphs, n_places;

  g_return_val_if_fail (filename != NULL, FALSE);

  document = story_document_load (file, filename, NULL, &error);
  if (document == NULL)
    {
      g_string_append_printf (err, "%s\n", error->message);
      return FALSE;
    }

  n_paragraphs = story_document_get_n_paragraphs (document);
  n_places = story_document_get_n_places (document);
  g_string_append_printf (out, "%s: %u %s, %u %s\n", filename,
                          n_paragraphs, n_paragraphs == 1 ? "paragraph" : "paragraphs",
                          n_places, n_places == 1 ? "place" : "places");

  for (guint i = 0; i < n_places; i++)
    append_place (out, err, filename, story_document_get_place (document, i));

  return TRUE;
}
