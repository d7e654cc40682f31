/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-text"

#include "config.h"

#include <fribidi.h>
#include <string.h>

#include "story-text.h"

/*
 * The Unicode bidirectional algorithm (UAX #9) lets text open embeddings
 * (LRE, RLE), overrides (LRO, RLO) and isolates (LRI, RLI, FSI) that last
 * until the matching PDF or PDI, or the end of the paragraph. A piece of
 * story text shown beside other text in one label could therefore reverse
 * everything after it with one unclosed RLO, or end the isolate it is
 * shown in with a PDI of its own. Here each piece is balanced as it is
 * written out: a closing control that matches nothing in the piece is
 * dropped, and every control the piece leaves open is closed at its end,
 * innermost first, with as many PDF and PDI as it needs. Counting them
 * rather than relying on one PDI at the end also holds past the
 * algorithm's depth limit of 125, where further controls only count.
 *
 * Pango 1.50 breaks a word longer than its line by trying each character
 * in turn, shaping the rest of the word each time: a word of 16,000
 * characters takes 0.7 s to lay out at 500 pixels, and one of 256 KiB,
 * which a story may hold, minutes, for every width GTK asks about. So the
 * writer also gives a run of more than STORY_TEXT_MAX_RUN characters with
 * no chance to break the line one, a zero-width space, every
 * STORY_TEXT_MAX_RUN characters (never inside a cluster of marks or an
 * emoji joined by ZWJ). Text of ordinary words is unchanged; a 256 KiB
 * word then lays out in 0.2 s.
 */

#define LRE 0x202A
#define RLE 0x202B
#define PDF 0x202C
#define LRO 0x202D
#define RLO 0x202E
#define LRI 0x2066
#define RLI 0x2067
#define FSI 0x2068
#define PDI 0x2069

#define PDF_UTF8 "\u202C"
#define FSI_UTF8 "\u2068"
#define PDI_UTF8 "\u2069"

/* Paragraph separators (bidi class B) end every embedding and isolate. */
static inline gboolean
is_paragraph_separator (gunichar c)
{
  return c == '\n' || c == '\r' || (c >= 0x1C && c <= 0x1E) || c == 0x85 || c == 0x2029;
}

static inline gboolean
is_bidi_control (gunichar c)
{
  return (c >= LRE && c <= RLO) || (c >= LRI && c <= PDI);
}

#define ZWJ 0x200D
#define ZWSP_UTF8 "\u200B"

/* Whether a line may break next to @c, whatever is around it. */
static gboolean
is_break_opportunity (gunichar c)
{
  if (c < 0x80)
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' || c == '/';

  switch ((int)g_unichar_break_type (c))
    {
    case G_UNICODE_BREAK_SPACE:
    case G_UNICODE_BREAK_ZERO_WIDTH_SPACE:
    case G_UNICODE_BREAK_MANDATORY:
    case G_UNICODE_BREAK_NEXT_LINE:
    case G_UNICODE_BREAK_HYPHEN:
    case G_UNICODE_BREAK_AFTER:
    case G_UNICODE_BREAK_BEFORE:
    case G_UNICODE_BREAK_BEFORE_AND_AFTER:
    case G_UNICODE_BREAK_IDEOGRAPHIC:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * story_text_writer_init:
 * @out: where the text goes
 * @escape: whether to escape the text as Pango markup
 *
 * Starts a piece of story text, written to @out with
 * story_text_writer_append() and ended with story_text_writer_finish().
 * The caller may append markup of its own to @out in between.
 */
void
story_text_writer_init (StoryTextWriter *self,
                        GString         *out,
                        gboolean         escape)
{
  self->out = out;
  self->open = g_string_new (NULL);
  self->n_isolates = 0;
  self->run = 0;
  self->last = 0;
  self->escape = !!escape;
}

static void
write_run (StoryTextWriter *self,
           const char      *run,
           const char      *end)
{
  if (run == end)
    return;

  if (self->escape)
    {
      g_autofree char *escaped = g_markup_escape_text (run, end - run);

      g_string_append (self->out, escaped);
    }
  else
    {
      g_string_append_len (self->out, run, end - run);
    }
}

/**
 * story_text_writer_append:
 * @text: story text, valid UTF-8
 * @len: its length in bytes, or -1 where it ends with a NUL
 *
 * Adds @text to the piece, leaving out closing controls that match
 * nothing opened in the piece, and breaking runs too long to wrap.
 */
void
story_text_writer_append (StoryTextWriter *self,
                          const char      *text,
                          gssize           len)
{
  const char *end = text + (len < 0 ? strlen (text) : (gsize)len);
  const char *run = text;

  for (const char *p = text; p < end; )
    {
      const char *next = g_utf8_next_char (p);
      gunichar c = g_utf8_get_char (p);
      gboolean keep = TRUE;

      if (is_paragraph_separator (c))
        {
          g_string_truncate (self->open, 0);
          self->n_isolates = 0;
        }
      else if (!is_bidi_control (c))
        ;
      else if (c == PDF)
        {
          /* A PDF closes an embedding or override opened after the last
           * isolate still open, and nothing else. */
          keep = self->open->len > 0 && self->open->str[self->open->len - 1] == 'e';
          if (keep)
            g_string_truncate (self->open, self->open->len - 1);
        }
      else if (c == PDI)
        {
          /* A PDI closes the last isolate and everything opened in it. */
          keep = self->n_isolates > 0;
          while (keep && self->open->str[self->open->len - 1] != 'i')
            g_string_truncate (self->open, self->open->len - 1);
          if (keep)
            {
              g_string_truncate (self->open, self->open->len - 1);
              self->n_isolates--;
            }
        }
      else if (c == LRI || c == RLI || c == FSI)
        {
          g_string_append_c (self->open, 'i');
          self->n_isolates++;
        }
      else
        {
          g_string_append_c (self->open, 'e');
        }

      if (!keep)
        {
          write_run (self, run, p);
          run = next;
        }
      else if (is_break_opportunity (c))
        {
          self->run = 0;
        }
      else
        {
          if (self->run >= STORY_TEXT_MAX_RUN && !g_unichar_ismark (c) && c != ZWJ && self->last != ZWJ)
            {
              write_run (self, run, p);
              g_string_append (self->out, ZWSP_UTF8);
              run = p;
              self->run = 0;
            }
          self->run++;
        }
      self->last = c;
      p = next;
    }

  write_run (self, run, end);
}

/**
 * story_text_writer_finish:
 *
 * Ends the piece: closes what it left open.
 */
void
story_text_writer_finish (StoryTextWriter *self)
{
  for (gsize i = self->open->len; i > 0; i--)
    g_string_append (self->out, self->open->str[i - 1] == 'i' ? PDI_UTF8 : PDF_UTF8);

  g_string_free (g_steal_pointer (&self->open), TRUE);
  self->n_isolates = 0;
}

/**
 * story_text_shorten:
 * @max_chars: how many characters to keep at most
 *
 * Returns: (transfer full): @text, or where it is longer than @max_chars
 *   characters its start and an ellipsis; never cut inside a cluster of
 *   marks
 */
char *
story_text_shorten (const char *text,
                    guint       max_chars)
{
  const char *p = text;
  guint n = 0;

  g_return_val_if_fail (text != NULL, NULL);

  while (*p != '\0' && n < max_chars)
    {
      p = g_utf8_next_char (p);
      n++;
    }
  if (*p == '\0')
    return g_strdup (text);

  while (p > text && g_unichar_ismark (g_utf8_get_char (p)))
    p = g_utf8_prev_char (p);

  {
    GString *out = g_string_new_len (text, p - text);

    g_string_append (out, "…");
    return g_string_free (out, FALSE);
  }
}

/* Whether @text holds any explicit bidirectional control. */
gboolean
story_text_has_bidi_controls (const char *text,
                              gssize      len)
{
  const char *end = text + (len < 0 ? strlen (text) : (gsize)len);

  /* All of them are three bytes long and start with 0xE2. */
  for (const char *p = memchr (text, 0xE2, end - text); p != NULL && p + 2 < end;
       p = memchr (p + 1, 0xE2, end - p - 1))
    if (is_bidi_control (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

static char *
write_piece (const char *text,
             gboolean    escape,
             gboolean    isolate)
{
  GString *out = g_string_sized_new (strlen (text) + 8);
  StoryTextWriter writer;

  if (isolate)
    g_string_append (out, FSI_UTF8);
  story_text_writer_init (&writer, out, escape);
  story_text_writer_append (&writer, text, -1);
  story_text_writer_finish (&writer);
  if (isolate)
    g_string_append (out, PDI_UTF8);

  return g_string_free (out, FALSE);
}

/**
 * story_text_balance:
 *
 * Returns: (transfer full): @text with its stray closing controls left
 *   out, what it leaves open closed and its overlong runs broken; @text
 *   itself where it has neither. For a label that shows @text alone.
 */
char *
story_text_balance (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return write_piece (text, FALSE, FALSE);
}

/**
 * story_text_is_direction_control:
 *
 * Returns: whether @c steers the direction of the text around it: an
 *   embedding, override, isolate or their ends, or a mark (ALM, LRM, RLM)
 */
gboolean
story_text_is_direction_control (gunichar c)
{
  return is_bidi_control (c) || c == 0x061c || c == 0x200e || c == 0x200f;
}

/**
 * story_text_append_visible:
 * @keep_lines: whether a line break stays one
 *
 * Appends @c to @out as text that shows what it holds in the order it
 * holds it: a control character or a directional formatting character
 * (an embedding, override, isolate or mark, such as U+202E, which would
 * show "gpj.mbtiles" as "mbtiles.jpg") becomes U+FFFD; a tab, and unless
 * @keep_lines a line break, becomes a space.
 */
void
story_text_append_visible (GString  *out,
                           gunichar  c,
                           gboolean  keep_lines)
{
  if (c == '\n' && keep_lines)
    g_string_append_c (out, '\n');
  else if (c == '\n' || c == '\r' || c == '\t')
    g_string_append_c (out, ' ');
  else if (g_unichar_iscntrl (c) || story_text_is_direction_control (c))
    g_string_append_unichar (out, 0xfffd);
  else
    g_string_append_unichar (out, c);
}

/**
 * story_text_reveal:
 * @text: UTF-8 text from outside: a message naming a file, a URI
 *
 * Returns: (transfer full): @text with its controls and directional
 *   formatting characters shown as U+FFFD (line breaks kept), for a
 *   message that quotes it
 */
char *
story_text_reveal (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    story_text_append_visible (out, g_utf8_get_char (p), TRUE);

  return g_string_free (out, FALSE);
}

/**
 * story_text_for_label:
 * @max_chars: how many characters to show at most
 *
 * Returns: (transfer full): @text shortened to @max_chars characters and
 *   balanced, for a label, tooltip or title that shows it alone
 */
char *
story_text_for_label (const char *text,
                      guint       max_chars)
{
  g_autofree char *shortened = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  shortened = story_text_shorten (text, max_chars);
  return story_text_balance (shortened);
}

/**
 * story_text_isolate:
 *
 * Returns: (transfer full): @text balanced and set apart (FSI … PDI),
 *   for a label that shows it beside other text
 */
char *
story_text_isolate (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return write_piece (text, FALSE, TRUE);
}

/**
 * story_text_isolate_markup:
 *
 * Returns: (transfer full): as story_text_isolate(), escaped as Pango
 *   markup
 */
char *
story_text_isolate_markup (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return write_piece (text, TRUE, TRUE);
}

/**
 * story_text_get_direction:
 *
 * The direction of @text as the bidirectional algorithm finds it for a
 * paragraph or an isolate (rules P2 and P3): that of its first letter
 * outside any isolate it holds. Embedding and override controls are not
 * letters, whatever they override.
 *
 * Returns: %PANGO_DIRECTION_LTR, %PANGO_DIRECTION_RTL or
 *   %PANGO_DIRECTION_NEUTRAL where it has no such letter
 */
PangoDirection
story_text_get_direction (const char *text,
                          gssize      len)
{
  const char *end = text + (len < 0 ? strlen (text) : (gsize)len);
  guint depth = 0;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      FriBidiCharType type;

      if (c == LRI || c == RLI || c == FSI)
        depth++;
      else if (c == PDI && depth > 0)
        depth--;
      else if (is_paragraph_separator (c))
        depth = 0;
      else if (depth == 0 && FRIBIDI_IS_LETTER (type = fribidi_get_bidi_type (c)))
        return FRIBIDI_IS_RTL (type) ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR;
    }

  return PANGO_DIRECTION_NEUTRAL;
}

/* Returns: the mark (LRM or RLM) that starts a paragraph in @direction,
 *   or "" for neither */
const char *
story_text_direction_mark (PangoDirection direction)
{
  switch ((int)direction)
    {
    case PANGO_DIRECTION_LTR:
      return "\u200E";
    case PANGO_DIRECTION_RTL:
      return "\u200F";
    default:
      return "";
    }
}
