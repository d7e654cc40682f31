/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pango.h>

G_BEGIN_DECLS

/*
 * Story text on its way to a label: each piece (a title, a paragraph, a
 * place's name) kept within its own bounds for the bidirectional
 * algorithm, so that an embedding or override it opens and never closes
 * cannot reverse what follows it, and a stray closing control cannot end
 * an isolate it did not open.
 */

/* The longest run of characters written without a chance to break the
 * line: past it, a zero-width space gives one. */
#define STORY_TEXT_MAX_RUN 32

typedef struct
{
  GString  *out;
  GString  *open;       /* one byte per control still open: 'e'mbedding or 'i'solate */
  guint     n_isolates;
  guint     run;        /* characters since the last chance to break the line */
  gunichar  last;
  gboolean  escape;
} StoryTextWriter;

void            story_text_writer_init      (StoryTextWriter *self,
                                             GString         *out,
                                             gboolean         escape);
void            story_text_writer_append    (StoryTextWriter *self,
                                             const char      *text,
                                             gssize           len);
void            story_text_writer_finish    (StoryTextWriter *self);

/* The most characters of one piece a label measured by GTK itself shows:
 * Pango's coordinates are 32-bit integers in 1/1024 of a pixel, and a
 * label laid out on one line, or one character a line, runs past 2^21
 * pixels with a string as long as a story may hold. */
#define STORY_TEXT_MAX_LABEL_CHARS 4096

/* The most characters of a name or title shown on one line beside other
 * things: a marker's label, a row of the place list, the window's title. */
#define STORY_TEXT_MAX_NAME_CHARS 80

char           *story_text_shorten          (const char      *text,
                                             guint            max_chars);
gboolean        story_text_has_bidi_controls (const char     *text,
                                              gssize          len);
char           *story_text_balance          (const char      *text);
char           *story_text_for_label        (const char      *text,
                                             guint            max_chars);
char           *story_text_isolate          (const char      *text);
gboolean        story_text_is_direction_control (gunichar     c);
void            story_text_append_visible   (GString         *out,
                                             gunichar         c,
                                             gboolean         keep_lines);
char           *story_text_reveal           (const char      *text);
char           *story_text_isolate_markup   (const char      *text);
PangoDirection  story_text_get_direction    (const char      *text,
                                             gssize           len);
const char     *story_text_direction_mark   (PangoDirection   direction);

G_END_DECLS
