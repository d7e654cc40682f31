/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-check"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "story-check.h"
#include "story-document.h"
#include "story-text.h"

/*
 * `story-map --check FILE`: validates a story without a window and lists
 * which paragraphs name each place. The output on success is a stable,
 * machine-read format and so is not translated; warnings and errors are.
 *
 * Nothing from the file or the command line reaches the terminal raw: ids,
 * names, file names and error messages go through story_check_escape(),
 * so a name cannot print a line of its own, colour the terminal or turn
 * the text around.
 */

/* Characters that steer a terminal or the direction of the text. */
static gboolean
needs_escape (gunichar c)
{
  return g_unichar_iscntrl (c) ||                   /* C0, DEL, C1 */
         story_text_is_direction_control (c) ||
         c == 0x2028 || c == 0x2029;                /* line, paragraph separators */
}

/**
 * story_check_escape:
 * @text: text to print on a terminal, not necessarily UTF-8
 *
 * Writes control characters as escapes: `\t`, `\n`, `\r` and `\e` for
 * tab, newline, carriage return and escape, `\u{202E}` (the code point
 * in hexadecimal) for any other C0 or C1 control character, DEL, bidi
 * control or line or paragraph separator, `\xFF` for a byte that is not
 * part of UTF-8, and `\\` for a backslash, so that every escape reads
 * one way. Other text is left as it is.
 *
 * Returns: (transfer full): the escaped text, valid UTF-8
 */
char *
story_check_escape (const char *text)
{
  const char *p = text;
  const char *end;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  end = text + strlen (text);
  out = g_string_sized_new (end - text);

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar)-1 || c == (gunichar)-2)
        {
          g_string_append_printf (out, "\\x%02X", (guchar)*p);
          p++;
          continue;
        }

      if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == 0x1b)
        g_string_append (out, "\\e");
      else if (needs_escape (c))
        g_string_append_printf (out, "\\u{%X}", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);

      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

static void
append_place (GString    *out,
              GString    *err,
              const char *filename,
              StoryPlace *place)
{
  g_autofree char *id = story_check_escape (story_place_get_id (place));
  g_autofree char *name = story_check_escape (story_place_get_name (place));
  const guint *paragraphs;
  gboolean dateline = story_place_in_dateline (place);
  guint n;

  paragraphs = story_place_get_paragraphs (place, &n);

  g_string_append_printf (out, "%s (%s): ", id, name);

  if (!dateline && n == 0)
    {
      g_string_append (out, "none\n");
      /* Translators: a warning of story-map --check; the first %s is a file
       * name, the second a place id, the third its name */
      g_string_append_printf (err, _("%s: warning: place “%s” (%s) is not named in the text\n"),
                              filename, id, name);
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
  g_autoptr(GFile) file = NULL;
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint n_paragraphs, n_places;

  g_return_val_if_fail (filename != NULL, FALSE);

  /* An empty name would be the current folder. */
  if (filename[0] == '\0')
    {
      g_string_append (err, _("story-map: error: No file was given to check\n"));
      return FALSE;
    }

  file = g_file_new_for_commandline_arg (filename);
  name = story_check_escape (filename);

  /* The message names the file as given, escaped with the rest. */
  document = story_document_load (file, filename, NULL, &error);
  if (document == NULL)
    {
      g_autofree char *message = story_check_escape (error->message);

      g_string_append_printf (err, "%s\n", message);
      return FALSE;
    }

  n_paragraphs = story_document_get_n_paragraphs (document);
  n_places = story_document_get_n_places (document);
  g_string_append_printf (out, "%s: %u %s, %u %s\n", name,
                          n_paragraphs, n_paragraphs == 1 ? "paragraph" : "paragraphs",
                          n_places, n_places == 1 ? "place" : "places");

  for (guint i = 0; i < n_places; i++)
    append_place (out, err, name, story_document_get_place (document, i));

  return TRUE;
}
