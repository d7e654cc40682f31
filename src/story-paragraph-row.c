/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-paragraph-row"

#include "config.h"

#include "story-paragraph-row.h"
#include "story-text.h"

/*
 * One paragraph of the article: its number at the start, the wrapped text
 * beside it. It lays out its two labels itself rather than in a GtkBox: a
 * horizontal box asks a wrapping label for its width at a given height,
 * which GtkLabel answers by a binary search that shapes the whole paragraph
 * a dozen times or more, and a list of long paragraphs then takes seconds
 * to allocate. Here the text is only ever measured for a width: its own
 * width is given in characters of its font, as a reading width, rather than
 * by laying the whole paragraph out on one line (and again with a break at
 * every word) as GtkLabel does.
 *
 * Text wraps between words. Wrapping inside words as well would cost a
 * trial line at every character of each line in Pango 1.50, several times
 * the cost of the layout itself; only text with a word too long for the
 * narrowest row does.
 *
 * A row can be given only the length of its text at first
 * (story_paragraph_row_set_pending()), its label then empty and its height
 * worked out from that length, and the text itself once it is on screen:
 * GTK 4.8's list view keeps up to 200 rows around the one in view and
 * measures them all, whatever fits on screen, and a label's markup is
 * costly to set.
 */
struct _StoryParagraphRow
{
  GtkWidget  parent_instance;

  GtkWidget *number_label;
  GtkWidget *text_label;
  guint      paragraph;   /* from 1, or 0 while the row shows none */
  guint      n_chars;     /* in the text */
  guint      pending : 1;   /* the text is to come: measured from n_chars */
};

G_DEFINE_FINAL_TYPE (StoryParagraphRow, story_paragraph_row, GTK_TYPE_WIDGET)

#define SPACING        12
#define MIN_TEXT_CHARS 32
#define NAT_TEXT_CHARS 60
/* No character is twice as wide as the average, so a word of up to this
 * many fits in MIN_TEXT_CHARS average characters. Text with a longer one
 * wraps inside words too. */
#define LONG_WORD_CHARS 16

/* The average width of a character of the text's font, and the height of
 * a line of the text, in Pango units. Pango works the width out by laying
 * out a sample sentence each time it is asked, so both are kept for the
 * last font and resolution seen: every row of a list asks, at every
 * measure. Main thread only. */
typedef struct
{
  int char_width;
  int line_height;
} TextMetrics;

static const TextMetrics *
text_metrics (StoryParagraphRow *self)
{
  static PangoFontDescription *font;
  static double resolution;
  static TextMetrics metrics;
  PangoContext *context = gtk_widget_get_pango_context (self->text_label);
  const PangoFontDescription *current = pango_context_get_font_description (context);

  if (font == NULL || !pango_font_description_equal (font, current) ||
      resolution != pango_cairo_context_get_resolution (context))
    {
      PangoFontMetrics *font_metrics = pango_context_get_metrics (context, NULL, NULL);
      /* A line as the label lays it out, with its line spacing. */
      g_autoptr(PangoLayout) line = pango_layout_copy (gtk_label_get_layout (GTK_LABEL (self->text_label)));

      pango_layout_set_text (line, "X", 1);
      pango_layout_get_size (line, NULL, &metrics.line_height);
      metrics.char_width = pango_font_metrics_get_approximate_char_width (font_metrics);
      pango_font_metrics_unref (font_metrics);
      g_clear_pointer (&font, pango_font_description_free);
      font = pango_font_description_copy (current);
      resolution = pango_cairo_context_get_resolution (context);
    }

  return &metrics;
}

static int
text_width (StoryParagraphRow *self,
            int                n_chars)
{
  return PANGO_PIXELS_CEIL (text_metrics (self)->char_width * n_chars);
}

/* The height of the text at @width from its length alone: as many lines
 * as average characters fill. */
static int
estimated_text_height (StoryParagraphRow *self,
                       int                width)
{
  const TextMetrics *metrics = text_metrics (self);
  guint per_line = MAX (1, (guint)(width * PANGO_SCALE / MAX (1, metrics->char_width)));
  guint lines = MAX (1, (self->n_chars + per_line - 1) / per_line);

  return PANGO_PIXELS_CEIL (metrics->line_height * (gint64)lines);
}

/* The height of the text at @width. Measured through GTK, a label is first
 * asked for its narrowest width, which it finds by laying the paragraph
 * out one word per line, shaping each word on its own: several times the
 * cost of laying it out once at the width it gets. The label has no CSS
 * box of its own, so its height is that of its text. */
static int
text_height (StoryParagraphRow *self,
             int                width)
{
  g_autoptr(PangoLayout) layout = pango_layout_copy (gtk_label_get_layout (GTK_LABEL (self->text_label)));
  int height;

  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_get_pixel_size (layout, NULL, &height);

  return height;
}

static void
story_paragraph_row_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  StoryParagraphRow *self = STORY_PARAGRAPH_ROW (widget);
  int number_min, number_nat, text_min, text_nat;

  gtk_widget_measure (self->number_label, GTK_ORIENTATION_HORIZONTAL, -1,
                      &number_min, &number_nat, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Widths do not depend on the height: the text wraps to any width. */
      *minimum = number_nat + SPACING + text_width (self, MIN_TEXT_CHARS);
      *natural = number_nat + SPACING + text_width (self, NAT_TEXT_CHARS);
    }
  else
    {
      int n_min, n_nat, text_for;

      gtk_widget_measure (self->number_label, GTK_ORIENTATION_VERTICAL, -1,
                          &n_min, &n_nat, NULL, NULL);

      /* A height for no width in particular (a list asks for it before it
       * has one): a line, without laying the paragraph out for it. */
      if (for_size < 0)
        {
          *minimum = n_min;
          *natural = n_nat;
          return;
        }

      text_for = MAX (0, for_size - number_nat - SPACING);
      text_min = text_nat = self->pending ? estimated_text_height (self, text_for)
                                          : text_height (self, text_for);
      *minimum = MAX (n_min, text_min);
      *natural = MAX (n_nat, text_nat);
    }
}

static void
story_paragraph_row_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  StoryParagraphRow *self = STORY_PARAGRAPH_ROW (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int number_min, number_width, text_width;

  gtk_widget_measure (self->number_label, GTK_ORIENTATION_HORIZONTAL, -1,
                      &number_min, &number_width, NULL, NULL);
  number_width = MIN (number_width, width);
  text_width = MAX (0, width - number_width - SPACING);

  gtk_widget_size_allocate (self->number_label,
                            &(GtkAllocation) { rtl ? width - number_width : 0, 0, number_width, height },
                            -1);
  gtk_widget_size_allocate (self->text_label,
                            &(GtkAllocation) { rtl ? 0 : width - text_width, 0, text_width, height },
                            -1);
}

static GtkSizeRequestMode
story_paragraph_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
story_paragraph_row_dispose (GObject *object)
{
  StoryParagraphRow *self = STORY_PARAGRAPH_ROW (object);

  g_clear_pointer (&self->number_label, gtk_widget_unparent);
  g_clear_pointer (&self->text_label, gtk_widget_unparent);

  G_OBJECT_CLASS (story_paragraph_row_parent_class)->dispose (object);
}

static void
story_paragraph_row_class_init (StoryParagraphRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_paragraph_row_dispose;

  widget_class->measure = story_paragraph_row_measure;
  widget_class->size_allocate = story_paragraph_row_size_allocate;
  widget_class->get_request_mode = story_paragraph_row_get_request_mode;

  gtk_widget_class_set_css_name (widget_class, "storyparagraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
story_paragraph_row_init (StoryParagraphRow *self)
{
  self->number_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->number_label), 1);
  gtk_label_set_yalign (GTK_LABEL (self->number_label), 0);
  gtk_label_set_width_chars (GTK_LABEL (self->number_label), 2);
  gtk_widget_add_css_class (self->number_label, "story-paragraph-number");
  gtk_widget_add_css_class (self->number_label, "numeric");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->number_label), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_widget_set_parent (self->number_label, GTK_WIDGET (self));

  self->text_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->text_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->text_label), PANGO_WRAP_WORD);
  story_paragraph_row_set_language (self, NULL);
  gtk_label_set_xalign (GTK_LABEL (self->text_label), 0);
  gtk_label_set_yalign (GTK_LABEL (self->text_label), 0);
  gtk_widget_set_hexpand (self->text_label, TRUE);
  gtk_widget_add_css_class (self->text_label, "story-paragraph-text");
  gtk_widget_set_parent (self->text_label, GTK_WIDGET (self));

  gtk_widget_add_css_class (GTK_WIDGET (self), "story-paragraph");
}

GtkWidget *
story_paragraph_row_new (void)
{
  return g_object_new (STORY_TYPE_PARAGRAPH_ROW, NULL);
}

GtkLabel *
story_paragraph_row_get_number_label (StoryParagraphRow *self)
{
  g_return_val_if_fail (STORY_IS_PARAGRAPH_ROW (self), NULL);

  return GTK_LABEL (self->number_label);
}

GtkLabel *
story_paragraph_row_get_text_label (StoryParagraphRow *self)
{
  g_return_val_if_fail (STORY_IS_PARAGRAPH_ROW (self), NULL);

  return GTK_LABEL (self->text_label);
}

/* Which paragraph, from 1, the row shows, and numbers; 0 for none. */
void
story_paragraph_row_set_paragraph (StoryParagraphRow *self,
                                   guint              paragraph)
{
  g_autofree char *number = NULL;

  g_return_if_fail (STORY_IS_PARAGRAPH_ROW (self));

  self->paragraph = paragraph;
  number = paragraph > 0 ? g_strdup_printf ("%u", paragraph) : NULL;
  gtk_label_set_text (GTK_LABEL (self->number_label), number ? number : "");
}

guint
story_paragraph_row_get_paragraph (StoryParagraphRow *self)
{
  g_return_val_if_fail (STORY_IS_PARAGRAPH_ROW (self), 0);

  return self->paragraph;
}

/**
 * story_paragraph_row_set_pending:
 * @n_chars: how long the text will be, in characters
 *
 * Empties the row until story_paragraph_row_set_markup() gives it its
 * text. Meanwhile its height is worked out from @n_chars.
 */
void
story_paragraph_row_set_pending (StoryParagraphRow *self,
                                 guint              n_chars)
{
  g_return_if_fail (STORY_IS_PARAGRAPH_ROW (self));

  if (*gtk_label_get_label (GTK_LABEL (self->text_label)) != '\0')
    gtk_label_set_text (GTK_LABEL (self->text_label), "");

  self->n_chars = n_chars;
  self->pending = TRUE;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* Whether the row waits for its text. */
gboolean
story_paragraph_row_get_pending (StoryParagraphRow *self)
{
  g_return_val_if_fail (STORY_IS_PARAGRAPH_ROW (self), FALSE);

  return self->pending;
}

/**
 * story_paragraph_row_set_language:
 * @language: (nullable): the text's language, a BCP 47 tag
 *
 * Sets the language the text is shaped and broken into lines for.
 */
void
story_paragraph_row_set_language (StoryParagraphRow *self,
                                  const char        *language)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  g_return_if_fail (STORY_IS_PARAGRAPH_ROW (self));

  /* Without this, Pango 1.50 shapes a trial copy of the text with a hyphen
   * at every point where a word could be split, on every line it breaks:
   * most of the cost of laying out a paragraph. A word is split only when
   * it is wider than the whole line. */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  if (language != NULL)
    pango_attr_list_insert (attrs, pango_attr_language_new (pango_language_from_string (language)));

  gtk_label_set_attributes (GTK_LABEL (self->text_label), attrs);
}

static gboolean
has_long_word (const char *text)
{
  guint run = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '-' || c == '/' || c == 0x2010 || c == 0x2013 || c == 0x2014)
        run = 0;
      else if (++run > LONG_WORD_CHARS)
        return TRUE;
    }

  return FALSE;
}

/**
 * story_label_set_direction_from_text:
 *
 * Lays @label out in the direction of its text rather than the
 * interface's: English in an Arabic window starts each line on the left,
 * as an Arabic story in an English window starts them on the right. A
 * wrapped label otherwise lines its text up against the far side as a
 * block, each paragraph as far as its own longest line.
 */
void
story_label_set_direction_from_text (GtkLabel *label)
{
  GtkTextDirection direction = GTK_TEXT_DIR_NONE;

  g_return_if_fail (GTK_IS_LABEL (label));

  /* The first letter decides, as for a paragraph in the Unicode
   * bidirectional algorithm: not an override, nor what an isolate holds. */
  switch ((int)story_text_get_direction (gtk_label_get_text (label), -1))
    {
    case PANGO_DIRECTION_LTR:
      direction = GTK_TEXT_DIR_LTR;
      break;
    case PANGO_DIRECTION_RTL:
      direction = GTK_TEXT_DIR_RTL;
      break;
    default:
      break;
    }

  gtk_widget_set_direction (GTK_WIDGET (label), direction);
}

/**
 * story_label_set_story_text:
 * @text: a piece of story text: a title, a name, a description
 *
 * Shows @text alone in @label, in its own direction. Bidirectional
 * controls it leaves open are closed at its end, stray closing ones left
 * out, and a text that has any starts with a mark of its direction: Pango
 * would otherwise take an override at its start for the direction of the
 * whole text. A word too long to wrap at a reasonable cost gets chances
 * to break, and text longer than %STORY_TEXT_MAX_LABEL_CHARS characters
 * is cut short (see story-text.h).
 */
void
story_label_set_story_text (GtkLabel   *label,
                            const char *text)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  if (text != NULL)
    {
      g_autofree char *shortened = story_text_shorten (text, STORY_TEXT_MAX_LABEL_CHARS);
      g_autofree char *balanced = story_text_balance (shortened);
      g_autofree char *marked = NULL;

      if (story_text_has_bidi_controls (text, -1))
        marked = g_strconcat (story_text_direction_mark (story_text_get_direction (text, -1)), balanced, NULL);
      gtk_label_set_text (label, marked ? marked : balanced);
    }
  else
    {
      gtk_label_set_text (label, "");
    }

  story_label_set_direction_from_text (label);
}

/**
 * story_paragraph_row_set_markup:
 * @markup: the paragraph, as Pango markup
 *
 * Sets the text of the row.
 */
void
story_paragraph_row_set_markup (StoryParagraphRow *self,
                                const char        *markup)
{
  GtkLabel *label;

  g_return_if_fail (STORY_IS_PARAGRAPH_ROW (self));

  label = GTK_LABEL (self->text_label);
  gtk_label_set_markup (label, markup);
  self->n_chars = g_utf8_strlen (gtk_label_get_text (label), -1);
  self->pending = FALSE;
  gtk_label_set_wrap_mode (label, has_long_word (gtk_label_get_text (label)) ? PANGO_WRAP_WORD_CHAR
                                                                            : PANGO_WRAP_WORD);
  story_label_set_direction_from_text (label);
}
