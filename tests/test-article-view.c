/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "story-paragraph-row.h"
#include "story-test-window.h"

/*
 * Text from a story file is text: markup in a title, paragraph or place
 * name is shown as typed, and the only links in the article are the ones
 * we make (mentions, and the story's web address when it is one).
 */

#define HOSTILE_TITLE "<b>Bold</b> &amp; <span foreground=\"red\">red</span>"
#define HOSTILE_NAME "<a href=\"file:///etc/passwd\">x</a>"
#define HOSTILE_PARAGRAPH "Seen in " HOSTILE_NAME " & <b>not bold</b> &amp; <span foreground=\"red\">not red</span>."

/* JSON for the strings above. */
#define JSON_TITLE "<b>Bold</b> &amp; <span foreground=\\\"red\\\">red</span>"
#define JSON_NAME "<a href=\\\"file:///etc/passwd\\\">x</a>"
#define JSON_PARAGRAPH "Seen in " JSON_NAME " & <b>not bold</b> &amp; <span foreground=\\\"red\\\">not red</span>."

static StoryDocument *
hostile_document (const char *extra_story_members)
{
  g_autofree char *json = g_strdup_printf (
    "{\"type\": \"FeatureCollection\",\n"
    " \"story\": {\"title\": \"" JSON_TITLE "\", \"dateline\": \"" JSON_NAME "\",\n"
    "           \"source\": \"<i>Agency</i>\"%s,\n"
    "           \"paragraphs\": [\"" JSON_PARAGRAPH "\", \"<big>Plain</big> text.\"]},\n"
    " \"features\": [{\"type\": \"Feature\", \"id\": \"x\",\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.5, 40.2]},\n"
    "   \"properties\": {\"name\": \"" JSON_NAME "\", \"description\": \"" JSON_TITLE "\"}}]}",
    extra_story_members);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  StoryDocument *document = story_document_new_from_bytes (bytes, "hostile.json", &error);

  g_assert_no_error (error);
  return document;
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (labels, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

static GPtrArray *
article_labels (Fixture *f)
{
  GPtrArray *labels = g_ptr_array_new ();

  collect_labels (GTK_WIDGET (story_window_get_article_view (f->window)), labels);
  return labels;
}

/* Counts the links in a label's markup, asserting that each is ours:
 * "place:N", or @web_url when given. */
static guint
count_links (GtkLabel   *label,
             const char *web_url)
{
  const char *markup = gtk_label_get_label (label);
  guint n = 0;

  /* Escaped text never holds a bare quote, so this finds attributes only. */
  for (const char *p = strstr (markup, "href=\""); p != NULL; p = strstr (p + 1, "href=\""))
    {
      if (!g_str_has_prefix (p, "href=\"place:") &&
          (web_url == NULL || !g_str_has_prefix (p + strlen ("href=\""), web_url)))
        g_error ("Unexpected link in “%s”", markup);
      n++;
    }

  return n;
}

static gboolean
any_label_shows (GPtrArray  *labels,
                 const char *text)
{
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_visible (GTK_WIDGET (label)) &&
          strstr (pango_layout_get_text (gtk_label_get_layout (label)), text) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
test_markup_is_text (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(StoryDocument) document = hostile_document ("");
  StoryArticleView *view = story_window_get_article_view (f->window);
  g_autoptr(GPtrArray) labels = NULL;
  GtkLabel *label;
  guint n_links = 0;

  story_window_set_document (f->window, document);
  settle ();

  /* The paragraph reads exactly as in the file, tags and entities too… */
  label = story_article_view_get_row_label (view, 1);
  g_assert_cmpstr (pango_layout_get_text (gtk_label_get_layout (label)), ==, HOSTILE_PARAGRAPH);
  g_assert_cmpstr (gtk_label_get_text (label), ==, HOSTILE_PARAGRAPH);
  label = story_article_view_get_row_label (view, 2);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "<big>Plain</big> text.");

  /* …and so do the title, the dateline and the source. */
  labels = article_labels (f);
  g_assert_true (any_label_shows (labels, HOSTILE_TITLE));
  g_assert_true (any_label_shows (labels, "\u2068" HOSTILE_NAME "\u2069 · \u2068<i>Agency</i>\u2069"));

  /* The place named in markup is still found, as a link of ours, in the
   * paragraph and the dateline; no other link exists. */
  for (guint i = 0; i < labels->len; i++)
    n_links += count_links (g_ptr_array_index (labels, i), NULL);
  g_assert_cmpuint (n_links, ==, 2);
  g_assert_true (story_place_is_mentioned_in (story_document_get_place (document, 0), 1));
  g_assert_true (story_place_in_dateline (story_document_get_place (document, 0)));

  /* Selecting the place re-renders its mentions highlighted, still as text. */
  story_selection_select_mention (f->selection, 1, story_document_get_place (document, 0));
  settle ();
  label = story_article_view_get_row_label (view, 1);
  g_assert_nonnull (strstr (gtk_label_get_label (label), "bgcolor"));
  g_assert_cmpstr (gtk_label_get_text (label), ==, HOSTILE_PARAGRAPH);
  g_assert_cmpuint (count_links (label, NULL), ==, 1);
}

static GtkLabel *
meta_label (Fixture *f)
{
  g_autoptr(GPtrArray) labels = article_labels (f);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (strstr (gtk_label_get_text (label), "<i>Agency</i>") != NULL)
        return label;
    }

  g_assert_not_reached ();
}

static void
test_web_url (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(StoryDocument) document =
    hostile_document (", \"url\": \"https://example.org/news?id=1&lang=en\"");
  g_autoptr(GPtrArray) labels = NULL;
  gboolean handled = FALSE;
  GtkLabel *label;
  guint n_links = 0;

  story_window_set_document (f->window, document);
  settle ();

  /* The source becomes the one link to the story's web page, its text
   * still shown as typed. */
  label = meta_label (f);
  g_assert_nonnull (strstr (gtk_label_get_label (label),
                            "<a href=\"https://example.org/news?id=1&amp;lang=en\"><span fgalpha=\"100%\" underline=\"single\">&lt;i&gt;Agency&lt;/i&gt;</span></a>"));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "<i>Agency</i>"));

  labels = article_labels (f);
  for (guint i = 0; i < labels->len; i++)
    n_links += count_links (g_ptr_array_index (labels, i), "https://example.org/news?");
  g_assert_cmpuint (n_links, ==, 3);

  /* A link to anything else is swallowed, never handed to GTK to open. */
  g_signal_emit_by_name (label, "activate-link", "file:///etc/passwd", &handled);
  g_assert_true (handled);
}

static void
test_other_urls (Fixture       *f,
                 gconstpointer  data)
{
  static const char *urls[] = {
    "file:///etc/passwd",
    "javascript:alert(1)",
    "ftp://example.org/story",
    "https:///no-host",
    "smb://server/share",
    "not a url",
  };

  for (guint u = 0; u < G_N_ELEMENTS (urls); u++)
    {
      g_autofree char *member = g_strdup_printf (", \"url\": \"%s\"", urls[u]);
      g_autoptr(StoryDocument) document = hostile_document (member);
      g_autoptr(GPtrArray) labels = NULL;
      guint n_links = 0;

      story_window_set_document (f->window, document);
      settle ();

      /* Only the two mentions are links; the source stays plain text. */
      labels = article_labels (f);
      for (guint i = 0; i < labels->len; i++)
        n_links += count_links (g_ptr_array_index (labels, i), NULL);
      g_assert_cmpuint (n_links, ==, 2);
      g_assert_nonnull (strstr (gtk_label_get_text (meta_label (f)), "<i>Agency</i>"));
    }
}

/* A paragraph row: the number at the start, the text beside it, whole. */
static void
assert_row_layout (GtkWidget *row,
                   gboolean   rtl)
{
  StoryParagraphRow *paragraph = STORY_PARAGRAPH_ROW (row);
  GtkWidget *number = GTK_WIDGET (story_paragraph_row_get_number_label (paragraph));
  GtkWidget *text = GTK_WIDGET (story_paragraph_row_get_text_label (paragraph));
  graphene_rect_t nb, tb;
  int min, nat;

  g_assert_true (gtk_widget_compute_bounds (number, row, &nb));
  g_assert_true (gtk_widget_compute_bounds (text, row, &tb));
  g_assert_cmpfloat (nb.size.width, >, 0);
  g_assert_cmpfloat (tb.size.width, >, 100);

  if (rtl)
    g_assert_cmpfloat (tb.origin.x + tb.size.width + 12, <=, nb.origin.x);
  else
    g_assert_cmpfloat (nb.origin.x + nb.size.width + 12, <=, tb.origin.x);
  g_assert_cmpfloat (tb.origin.x, >=, 0);
  g_assert_cmpfloat (tb.origin.x + tb.size.width, <=, gtk_widget_get_width (row));

  /* Exactly as tall as the label needs at its width: the row works the
   * height out itself, and must agree with GtkLabel. */
  gtk_widget_measure (text, GTK_ORIENTATION_VERTICAL, (int)tb.size.width, &min, &nat, NULL, NULL);
  g_assert_cmpfloat (tb.size.height, ==, min);
  /* The text has more lines than the number. */
  gtk_widget_measure (number, GTK_ORIENTATION_VERTICAL, -1, NULL, &nat, NULL, NULL);
  g_assert_cmpint (min, >, nat);
}

static void
test_row_layout (Fixture       *f,
                 gconstpointer  data)
{
  StoryArticleView *article = story_window_get_article_view (f->window);
  GtkWidget *row = story_article_view_get_row (article, 1);

  g_assert_nonnull (row);
  assert_row_layout (row, FALSE);

  /* Right to left, as in Arabic: the number on the right. */
  gtk_widget_set_direction (row, GTK_TEXT_DIR_RTL);
  settle ();
  assert_row_layout (row, TRUE);
}

/* At its narrowest a row still holds every word of its text: words wrap
 * whole, and text with a word too long for that breaks inside words. */
static void
test_row_narrowest (void)
{
  const char *texts[] = {
    "The ceasefire held along the international border, commentators said.",
    "Mentions of <a href=\"place:1\">Nagorno-Karabakh</a> and WWWWWWWWWWWWWWW.",
    "Pneumonoultramicroscopicsilicovolcanoconiosis is a very long word indeed.",
    "https://example.org/a-long/path/to/an-article-about/the-region?id=1234567890",
  };
  const PangoWrapMode modes[] = { PANGO_WRAP_WORD, PANGO_WRAP_WORD, PANGO_WRAP_WORD_CHAR, PANGO_WRAP_WORD_CHAR };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      GtkWidget *row = g_object_ref_sink (story_paragraph_row_new ());
      GtkLabel *text = story_paragraph_row_get_text_label (STORY_PARAGRAPH_ROW (row));
      PangoRectangle logical;
      int min, height, label_height;

      story_paragraph_row_set_paragraph (STORY_PARAGRAPH_ROW (row), 12);
      story_paragraph_row_set_markup (STORY_PARAGRAPH_ROW (row), texts[i]);
      g_assert_cmpint (gtk_label_get_wrap_mode (text), ==, modes[i]);

      gtk_widget_measure (row, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, min, &height, NULL, NULL, NULL);
      gtk_widget_allocate (row, min, height, -1, NULL);

      gtk_widget_measure (GTK_WIDGET (text), GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (GTK_WIDGET (text)),
                          &label_height, NULL, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (text)), ==, label_height);

      pango_layout_get_pixel_extents (gtk_label_get_layout (text), NULL, &logical);
      g_assert_cmpint (logical.width, <=, gtk_widget_get_width (GTK_WIDGET (text)));
      g_assert_cmpint (logical.height, <=, gtk_widget_get_height (GTK_WIDGET (text)));
      g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (text)), >, 1);

      g_object_unref (row);
    }
}

/* Text is laid out in its own direction, whatever the interface's: each
 * paragraph lines up with the others. */
static void
test_text_direction (void)
{
  const struct { const char *markup; GtkTextDirection direction; } texts[] = {
    { "The ceasefire held, commentators said.", GTK_TEXT_DIR_LTR },
    { "«<a href=\"place:1\">Yerevan</a>» said 4 soldiers", GTK_TEXT_DIR_LTR },
    { "قالت وزارة الدفاع إن 4 جنود قتلوا", GTK_TEXT_DIR_RTL },
    { "12 — “ليلة”", GTK_TEXT_DIR_RTL },
    { "12 · 2024", GTK_TEXT_DIR_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      GtkWidget *row = g_object_ref_sink (story_paragraph_row_new ());
      GtkLabel *text = story_paragraph_row_get_text_label (STORY_PARAGRAPH_ROW (row));

      gtk_widget_set_direction (row, texts[i].direction == GTK_TEXT_DIR_LTR ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
      story_paragraph_row_set_markup (STORY_PARAGRAPH_ROW (row), texts[i].markup);
      g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (text)), ==,
                       texts[i].direction == GTK_TEXT_DIR_NONE ? gtk_widget_get_default_direction ()
                                                               : texts[i].direction);
      g_object_unref (row);
    }
}

/* A story far longer than the screen: 300 paragraphs of some 60 words,
 * Yerevan named in paragraph 250 only. */
static StoryDocument *
long_document (void)
{
  g_autoptr(GString) json = g_string_new ("{\"type\": \"FeatureCollection\",\n"
                                          " \"story\": {\"title\": \"A long story\", \"paragraphs\": [");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  StoryDocument *document;

  for (guint i = 1; i <= 300; i++)
    {
      g_string_append_printf (json, "%s\"Paragraph %u begins here.", i > 1 ? ", " : "", i);
      for (guint w = 0; w < 12; w++)
        g_string_append (json, " The delegation met again in the capital on Tuesday.");
      if (i == 250)
        g_string_append (json, " They flew on to Yerevan.");
      g_string_append_c (json, '"');
    }
  g_string_append (json, "]},\n \"features\": [{\"type\": \"Feature\", \"id\": \"yerevan\",\n"
                         "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.51, 40.18]},\n"
                         "   \"properties\": {\"name\": \"Yerevan\", \"kind\": \"city\"}}]}");

  bytes = g_bytes_new (json->str, json->len);
  document = story_document_new_from_bytes (bytes, "long.json", &error);
  g_assert_no_error (error);
  return document;
}

/* Whether the row shows on screen, in part at least. */
static gboolean
row_on_screen (StoryArticleView *view,
               GtkWidget        *row)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  return gtk_widget_get_mapped (row) && gtk_widget_get_width (row) > 0 &&
         gtk_widget_compute_bounds (row, scroller, &bounds) &&
         bounds.origin.y + bounds.size.height > 0 &&
         bounds.origin.y < gtk_widget_get_height (scroller);
}

/* Every row on screen has its text, laid out exactly and drawn. */
static void
assert_rows_on_screen_exact (StoryArticleView *view,
                             guint             n_paragraphs)
{
  guint on_screen = 0;

  for (guint i = 1; i <= n_paragraphs; i++)
    {
      GtkWidget *row = story_article_view_get_row (view, i);
      GtkWidget *text;
      g_autoptr(GdkTexture) picture = NULL;
      g_autofree guint32 *pixels = NULL;
      int min, width, height;
      guint dark = 0;

      if (row == NULL || !row_on_screen (view, row))
        continue;

      on_screen++;
      g_assert_false (story_paragraph_row_get_pending (STORY_PARAGRAPH_ROW (row)));
      text = GTK_WIDGET (story_paragraph_row_get_text_label (STORY_PARAGRAPH_ROW (row)));
      g_assert_nonnull (strstr (pango_layout_get_text (gtk_label_get_layout (GTK_LABEL (text))), "delegation"));

      gtk_widget_measure (text, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (text), &min, NULL, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_height (text), ==, min);

      /* The text is drawn: dark pixels where it stands. */
      picture = story_test_render (row);
      width = gdk_texture_get_width (picture);
      height = gdk_texture_get_height (picture);
      pixels = g_new (guint32, width * height);
      gdk_texture_download (picture, (guchar *)pixels, width * 4);
      for (int p = 0; p < width * height; p++)
        if (((pixels[p] >> 24) & 0xff) > 128 && ((pixels[p] >> 8) & 0xff) < 100)
          dark++;
      g_assert_cmpuint (dark, >, 500);
    }

  g_assert_cmpuint (on_screen, >, 0);
}

/* Rows are laid out only once near the screen, and always by then. */
static void
test_long_story (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(StoryDocument) document = long_document ();
  StoryArticleView *view = story_window_get_article_view (f->window);
  StoryMapView *map_view = story_window_get_map_view (f->window);
  GtkAdjustment *adjustment = story_article_view_get_vadjustment (view);
  StoryPlace *yerevan = story_document_lookup_place (document, "yerevan");
  GtkWidget *row;
  guint pending = 0;

  story_window_set_document (f->window, document);
  settle ();

  assert_rows_on_screen_exact (view, 300);

  /* The list keeps many more rows than show; those away from the screen
   * are measured from the length of their text, which they do not hold. */
  for (guint i = 1; i <= 300; i++)
    if ((row = story_article_view_get_row (view, i)) != NULL && !row_on_screen (view, row))
      {
        g_assert_true (story_paragraph_row_get_pending (STORY_PARAGRAPH_ROW (row)));
        g_assert_cmpstr (gtk_label_get_label (story_paragraph_row_get_text_label (STORY_PARAGRAPH_ROW (row))), ==, "");
        pending++;
      }
  g_assert_cmpuint (pending, >, 10);

  /* A page down: the rows that come into view are exact. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_page_size (adjustment) * 1.5);
  settle ();
  assert_rows_on_screen_exact (view, 300);

  /* The marker takes the text to paragraph 250, whole and in view, its
   * mention of Yerevan highlighted, though the row had no text when the
   * place was selected. */
  g_signal_emit_by_name (story_map_view_get_marker_button (map_view, yerevan), "clicked");
  settle ();
  settle ();
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 250);
  g_assert_true (row_in_view (f, 250));
  row = story_article_view_get_row (view, 250);
  g_assert_true (gtk_widget_has_css_class (row, "current"));
  g_assert_nonnull (strstr (gtk_label_get_label (story_paragraph_row_get_text_label (STORY_PARAGRAPH_ROW (row))),
                            "bgcolor"));
  assert_rows_on_screen_exact (view, 300);

  /* And back to the top. */
  gtk_adjustment_set_value (adjustment, 0);
  settle ();
  assert_rows_on_screen_exact (view, 300);
}

/* Bidirectional controls in a story reach no further than the piece of
 * text they are in: a title, the dateline, a paragraph. */

#define RLO "\u202E"
#define PDI "\u2069"

static StoryDocument *
document_from_json (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  StoryDocument *document = story_document_new_from_bytes (bytes, "test.json", &error);

  g_assert_no_error (error);
  return document;
}

/* The horizontal position in @label's layout of the character at the
 * start of @needle, found in its text. */
static int
x_of (GtkLabel   *label,
      const char *needle)
{
  PangoLayout *layout = gtk_label_get_layout (label);
  const char *text = pango_layout_get_text (layout);
  const char *found = strstr (text, needle);
  PangoRectangle pos;

  g_assert_nonnull (found);
  pango_layout_index_to_pos (layout, found - text, &pos);
  return pos.x;
}

/* Whether @first comes before @last from left to right in @label. */
static gboolean
runs_left_to_right (GtkLabel   *label,
                    const char *first,
                    const char *last)
{
  return x_of (label, first) < x_of (label, last);
}

static PangoDirection
paragraph_direction (GtkLabel *label)
{
  return pango_layout_get_line_readonly (gtk_label_get_layout (label), 0)->resolved_dir;
}

static GtkLabel *
label_showing (Fixture    *f,
               const char *text)
{
  g_autoptr(GPtrArray) labels = article_labels (f);

  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), text) != NULL)
      return g_ptr_array_index (labels, i);

  g_assert_not_reached ();
}

static void
test_bidi_confined (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(StoryDocument) document = document_from_json (
    "{\"type\": \"FeatureCollection\",\n"
    " \"story\": {\"title\": \"" RLO "Title first\", \"dateline\": \"BAKU" RLO PDI "\",\n"
    "           \"date\": \"2024-02-13\", \"source\": \"Wire" PDI "\",\n"
    "           \"paragraphs\": [\"Seen in Yerevan " RLO "reversed here\",\n"
    "                          \"The second paragraph, Yerevan.\",\n"
    "                          \"" RLO "Overridden from the start.\"]},\n"
    " \"features\": [{\"type\": \"Feature\", \"id\": \"yerevan\",\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.51, 40.18]},\n"
    "   \"properties\": {\"name\": \"Yerevan\"}}]}");
  StoryArticleView *view = story_window_get_article_view (f->window);
  StoryPlace *yerevan = story_document_lookup_place (document, "yerevan");
  GtkLabel *meta, *title, *first, *second, *third;
  gboolean handled = FALSE;

  story_window_set_document (f->window, document);
  settle ();
  meta = label_showing (f, "Wire");
  title = label_showing (f, "Title first");
  first = story_article_view_get_row_label (view, 1);
  third = story_article_view_get_row_label (view, 3);

  /* The override in the dateline, and the stray PDI after it that would
   * end the dateline's isolate, leave the date and the source as they
   * read. */
  g_assert_cmpint (paragraph_direction (meta), ==, PANGO_DIRECTION_LTR);
  g_assert_true (runs_left_to_right (meta, "BAKU", "13"));
  g_assert_true (runs_left_to_right (meta, "13", "2024"));
  g_assert_true (runs_left_to_right (meta, "Wi", "re"));

  /* The first paragraph runs left to right up to its override, reversed
   * after it, closed at its end; its mention is still a link. */
  g_assert_cmpint (paragraph_direction (first), ==, PANGO_DIRECTION_LTR);
  g_assert_true (runs_left_to_right (first, "Seen", "Yerevan"));
  g_assert_false (runs_left_to_right (first, "reversed", "here"));
  g_assert_true (g_str_has_suffix (gtk_label_get_text (first), "reversed here\u202C"));
  g_assert_cmpuint (count_links (first, NULL), ==, 1);
  g_signal_emit_by_name (first, "activate-link", "place:0", &handled);
  g_assert_true (handled);
  g_assert_true (story_selection_get_place (f->selection) == yerevan);
  settle ();

  /* The next paragraph reads as before, its mention highlighted. */
  first = story_article_view_get_row_label (view, 1);
  second = story_article_view_get_row_label (view, 2);
  g_assert_nonnull (strstr (gtk_label_get_label (second), "bgcolor"));
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (second)), ==, GTK_TEXT_DIR_LTR);
  g_assert_cmpint (paragraph_direction (second), ==, PANGO_DIRECTION_LTR);
  g_assert_true (runs_left_to_right (second, "The", "second"));
  g_assert_true (runs_left_to_right (second, "T", "."));
  g_assert_true (runs_left_to_right (first, "Seen", "Yerevan"));

  /* An override at the very start does not make a paragraph, or the
   * title, run right to left: they start on the left, as English does,
   * their text reversed within them. */
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (third)), ==, GTK_TEXT_DIR_LTR);
  g_assert_cmpint (paragraph_direction (third), ==, PANGO_DIRECTION_LTR);
  g_assert_false (runs_left_to_right (third, "Overridden", "start"));
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (title)), ==, GTK_TEXT_DIR_LTR);
  g_assert_cmpint (paragraph_direction (title), ==, PANGO_DIRECTION_LTR);
}

/* A word as long as a story's string may be, in the title, the dateline,
 * a paragraph and a place's name, breaks inside: the article keeps its
 * width and the map its own. */
static void
test_long_word (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *article = GTK_WIDGET (story_window_get_article_view (f->window));
  GtkWidget *map = GTK_WIDGET (story_window_get_map_view (f->window));
  int article_width = gtk_widget_get_width (article);
  int map_width = gtk_widget_get_width (map);
  g_autofree char *word = g_strnfill (256 * 1024, 'W');
  g_autofree char *json = g_strdup_printf (
    "{\"type\": \"FeatureCollection\",\n"
    " \"story\": {\"title\": \"%s\", \"dateline\": \"%s\", \"source\": \"%s\",\n"
    "           \"paragraphs\": [\"%s\", \"A short one after it, in %s.\"]},\n"
    " \"features\": [{\"type\": \"Feature\", \"id\": \"w\",\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.51, 40.18]},\n"
    "   \"properties\": {\"name\": \"%s\", \"description\": \"%s\"}}]}",
    word, word, word, word, "Yerevan", word, word);
  g_autoptr(StoryDocument) document = document_from_json (json);
  StoryArticleView *view = STORY_ARTICLE_VIEW (article);
  GtkWidget *row;
  g_autoptr(GPtrArray) labels = NULL;

  g_assert_cmpint (article_width, >, 100);
  story_window_set_document (f->window, document);
  WAIT_FOR ((row = story_article_view_get_row (view, 1)) != NULL &&
            !story_paragraph_row_get_pending (STORY_PARAGRAPH_ROW (row)));
  settle ();
  maybe_screenshot (f, "long-word");
  g_assert_cmpint (gtk_widget_get_width (article), ==, article_width);
  g_assert_cmpint (gtk_widget_get_width (map), ==, map_width);
  g_assert_cmpint (gtk_widget_get_overflow (article), ==, GTK_OVERFLOW_HIDDEN);

  row = story_article_view_get_row (view, 1);
  g_assert_nonnull (row);
  g_assert_cmpint (gtk_label_get_wrap_mode (story_paragraph_row_get_text_label (STORY_PARAGRAPH_ROW (row))), ==,
                   PANGO_WRAP_WORD_CHAR);

  /* Every label of the article fits in it. */
  labels = article_labels (f);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (label))
        continue;
      g_assert_true (gtk_widget_compute_bounds (label, article, &bounds));
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, article_width);
    }
}

/* Where the middle of paragraph @paragraph's row is, as a share of the
 * article pane's height from its top. */
static double
row_centre (Fixture *f,
            guint    paragraph)
{
  StoryArticleView *view = story_window_get_article_view (f->window);
  GtkWidget *row = story_article_view_get_row (view, paragraph);
  GtkAdjustment *adjustment = story_article_view_get_vadjustment (view);
  graphene_rect_t bounds;

  if (row == NULL ||
      !gtk_widget_compute_bounds (row, gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW), &bounds))
    return -1;

  return (bounds.origin.y + bounds.size.height / 2) / gtk_adjustment_get_page_size (adjustment);
}

/* A paragraph picked far down, or far back up, comes to the middle of
 * the pane, not just over its edge. */
static void
test_scroll_to_middle (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GString) json = g_string_new ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"Long\", \"paragraphs\": [");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = NULL;
  const guint picks[] = { 40, 12, 55 };

  for (guint i = 1; i <= 80; i++)
    g_string_append_printf (json, "%s\"Paragraph %u, which says a little about Baku and more about other things.\"",
                            i > 1 ? ", " : "", i);
  g_string_append (json, "]}, \"features\": [{\"type\": \"Feature\", \"id\": \"baku\",\n"
                         "  \"geometry\": {\"type\": \"Point\", \"coordinates\": [49.89, 40.38]},\n"
                         "  \"properties\": {\"name\": \"Baku\", \"kind\": \"city\"}}]}");
  bytes = g_bytes_new (json->str, json->len);
  document = story_document_new_from_bytes (bytes, "long.json", &error);
  g_assert_no_error (error);
  story_window_set_document (f->window, document);
  settle ();

  for (guint i = 0; i < G_N_ELEMENTS (picks); i++)
    {
      double centre;

      story_selection_select_paragraph (f->selection, picks[i]);
      WAIT_FOR (row_in_view (f, picks[i]));
      settle ();
      centre = row_centre (f, picks[i]);
      g_assert_cmpfloat (centre, >=, 1.0 / 3);
      g_assert_cmpfloat (centre, <=, 2.0 / 3);
    }
}

/* In a right-to-left interface an English story still reads left to
 * right: each paragraph's number stands at its left, where its lines
 * start. */
static void
test_story_direction (Fixture       *f,
                      gconstpointer  data)
{
  StoryArticleView *view = story_window_get_article_view (f->window);
  GtkWidget *row, *number, *text;
  graphene_rect_t number_bounds, text_bounds;

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  /* Opened again, in the interface's new direction. */
  story_window_open_bundled (f->window);
  WAIT_FOR ((row = story_article_view_get_row (view, 1)) != NULL &&
            gtk_widget_get_direction (GTK_WIDGET (f->window)) == GTK_TEXT_DIR_RTL &&
            gtk_widget_get_width (row) > 0);
  settle ();
  row = story_article_view_get_row (view, 1);
  number = GTK_WIDGET (story_paragraph_row_get_number_label (STORY_PARAGRAPH_ROW (row)));
  text = GTK_WIDGET (story_paragraph_row_get_text_label (STORY_PARAGRAPH_ROW (row)));

  g_assert_cmpint (gtk_widget_get_direction (row), ==, GTK_TEXT_DIR_LTR);
  g_assert_true (gtk_widget_compute_bounds (number, row, &number_bounds));
  g_assert_true (gtk_widget_compute_bounds (text, row, &text_bounds));
  g_assert_cmpfloat (number_bounds.origin.x + number_bounds.size.width, <=, text_bounds.origin.x);

  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

/* The article takes the focus to its current paragraph, as F6 moves it
 * from pane to pane. */
static void
test_focus (Fixture       *f,
            gconstpointer  data)
{
  StoryArticleView *view = story_window_get_article_view (f->window);
  GtkWidget *focus, *row;

  story_selection_select_paragraph (f->selection, 9);
  WAIT_FOR (row_in_view (f, 9));
  settle ();
  g_assert_true (story_article_view_focus (view));
  focus = gtk_window_get_focus (GTK_WINDOW (f->window));
  row = story_article_view_get_row (view, 9);
  g_assert_nonnull (focus);
  g_assert_true (focus == gtk_widget_get_parent (row) || gtk_widget_is_ancestor (focus, gtk_widget_get_parent (row)));
}

/* Whether @focus is a stop a reader sees: a link of a paragraph's text,
 * drawn focused, or the list's item around a paragraph row, drawn with a
 * focus ring. */
static gboolean
is_visible_stop (GtkWidget *focus)
{
  GtkWidget *child;

  if (GTK_IS_LABEL (focus))
    return gtk_label_get_current_uri (GTK_LABEL (focus)) != NULL;

  child = gtk_widget_get_first_child (focus);
  return STORY_IS_PARAGRAPH_ROW (focus) ||
         (child != NULL && STORY_IS_PARAGRAPH_ROW (child) && gtk_widget_get_next_sibling (child) == NULL);
}

/* Tabs through the article from where story_article_view_focus() puts
 * the focus to its end, asserting that every stop is one a reader sees.
 * Returns how many links it stopped at. */
static guint
walk_tab_stops (Fixture *f)
{
  StoryArticleView *view = story_window_get_article_view (f->window);
  GtkWidget *list;
  guint n_links = 0;

  g_assert_true (story_article_view_focus (view));
  list = gtk_widget_get_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)), GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (list);

  for (guint step = 0; step < 200; step++)
    {
      GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (f->window));
      graphene_rect_t bounds;

      if (focus == NULL || !gtk_widget_is_ancestor (focus, list))
        break;
      if (!gtk_widget_compute_bounds (focus, GTK_WIDGET (f->window), &bounds))
        graphene_rect_init (&bounds, 0, 0, 0, 0);
      g_test_message ("tab stop %u: %s %s (%g, %g, %g × %g) %s", step,
                      G_OBJECT_TYPE_NAME (focus), gtk_widget_get_css_name (focus),
                      bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height,
                      GTK_IS_LABEL (focus) && gtk_label_get_current_uri (GTK_LABEL (focus))
                        ? gtk_label_get_current_uri (GTK_LABEL (focus)) : "");
      g_assert_true (is_visible_stop (focus));
      if (GTK_IS_LABEL (focus))
        n_links++;
      if (!gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD))
        break;
      settle ();
    }

  return n_links;
}

/* Tab goes from link to link and from paragraph to paragraph, never to
 * something that draws no focus: from the first paragraph, and from the
 * one a marker picked, its mentions highlighted. */
static void
test_tab_stops (Fixture       *f,
                gconstpointer  data)
{
  StoryDocument *document = story_selection_get_document (f->selection);

  story_selection_select_paragraph (f->selection, 1);
  WAIT_FOR (row_in_view (f, 1));
  settle ();
  /* The bundled story names places in paragraphs 6 to 11. */
  g_assert_cmpuint (walk_tab_stops (f), >=, 6);

  story_selection_activate_place (f->selection, story_document_get_place (document, 0));
  WAIT_FOR (row_in_view (f, story_selection_get_paragraph (f->selection)));
  settle ();
  g_assert_cmpuint (walk_tab_stops (f), >=, 2);
}

static GtkWidget *
find_about (GListModel *toplevels)
{
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        return window;
    }

  return NULL;
}

/* The About window shows the application's icon even where the program
 * runs uninstalled: the icon theme finds it in the resources. */
static void
test_app_icon (Fixture       *f,
               gconstpointer  data)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (f->window)));

  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID "-symbolic"));

  if (g_getenv ("STORY_MAP_SCREENSHOTS") != NULL)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree char *path = g_build_filename (g_getenv ("STORY_MAP_SCREENSHOTS"), "about.png", NULL);
      GtkWidget *about = NULL;

      g_action_group_activate_action (G_ACTION_GROUP (g_application_get_default ()), "about", NULL);
      WAIT_FOR ((about = find_about (toplevels)) != NULL && gtk_widget_get_mapped (about));
      settle ();
      texture = story_test_render (about);
      g_assert_true (gdk_texture_save_to_png (texture, path));
      gtk_window_destroy (GTK_WINDOW (about));
    }
}

/* The attributes the layout of @label draws its text with at @index. */
static void
attrs_at (GtkLabel        *label,
          int              index,
          PangoUnderline  *underline,
          PangoColor      *foreground,
          gboolean        *has_background)
{
  PangoAttrList *attrs = pango_layout_get_attributes (gtk_label_get_layout (label));
  PangoAttrIterator *iter = pango_attr_list_get_iterator (attrs);
  PangoAttribute *attr;

  *underline = PANGO_UNDERLINE_NONE;
  *foreground = (PangoColor) { 0, 0, 0 };
  *has_background = FALSE;
  do
    {
      int start, end;

      pango_attr_iterator_range (iter, &start, &end);
      if (index < start || index >= end)
        continue;
      if ((attr = pango_attr_iterator_get (iter, PANGO_ATTR_UNDERLINE)))
        *underline = ((PangoAttrInt *) attr)->value;
      if ((attr = pango_attr_iterator_get (iter, PANGO_ATTR_FOREGROUND)))
        *foreground = ((PangoAttrColor *) attr)->color;
      *has_background = pango_attr_iterator_get (iter, PANGO_ATTR_BACKGROUND) != NULL;
      break;
    }
  while (pango_attr_iterator_next (iter));
  pango_attr_iterator_destroy (iter);
}

static gboolean
text_shown (Fixture *f,
            guint    paragraph)
{
  GtkWidget *row = story_article_view_get_row (story_window_get_article_view (f->window), paragraph);

  return row != NULL && !story_paragraph_row_get_pending (STORY_PARAGRAPH_ROW (row));
}

static GtkLabel *
paragraph_label (Fixture *f,
                 guint    paragraph)
{
  GtkWidget *row = story_article_view_get_row (story_window_get_article_view (f->window), paragraph);

  g_assert_nonnull (row);
  return story_paragraph_row_get_text_label (STORY_PARAGRAPH_ROW (row));
}

/* Every mention is drawn the same, underlined and in the links' colour,
 * in the current paragraph as in the others; the selected place's
 * mentions stand out by their background, still underlined. */
static void
test_link_look (Fixture       *f,
                gconstpointer  data)
{
  StoryDocument *document = story_selection_get_document (f->selection);
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkLabel *current, *other;
  const char *text;
  PangoUnderline underline;
  PangoColor in_current, in_other;
  gboolean background;

  /* Syunik: paragraph 6 current, its mentions of Syunik highlighted. */
  story_selection_activate_place (f->selection, story_document_get_place (document, 1));
  WAIT_FOR (row_in_view (f, 6) && text_shown (f, 8));
  settle ();
  current = paragraph_label (f, 6);
  other = paragraph_label (f, 8);
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (GTK_WIDGET (current)), "current"));

  text = pango_layout_get_text (gtk_label_get_layout (current));
  attrs_at (current, strstr (text, "Nerkin Hand") - text, &underline, &in_current, &background);
  g_assert_cmpint (underline, ==, PANGO_UNDERLINE_SINGLE);
  g_assert_false (background);
  text = pango_layout_get_text (gtk_label_get_layout (other));
  attrs_at (other, strstr (text, "Kremlin") - text, &underline, &in_other, &background);
  g_assert_cmpint (underline, ==, PANGO_UNDERLINE_SINGLE);
  g_assert_false (background);
  g_assert_true (in_current.red == in_other.red && in_current.green == in_other.green && in_current.blue == in_other.blue);

  text = pango_layout_get_text (gtk_label_get_layout (current));
  attrs_at (current, strstr (text, "Siunik") - text, &underline, &in_current, &background);
  g_assert_cmpint (underline, ==, PANGO_UNDERLINE_SINGLE);
  g_assert_true (background);

  maybe_screenshot (f, "links-light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  settle ();
  maybe_screenshot (f, "links-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  settle ();
}

int
main (int   argc,
      char *argv[])
{
  story_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/story/article-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("markup-is-text", test_markup_is_text);
  ADD ("web-url", test_web_url);
  ADD ("other-urls", test_other_urls);
  ADD ("row-layout", test_row_layout);
  ADD ("long-story", test_long_story);
  ADD ("bidi-confined", test_bidi_confined);
  ADD ("long-word", test_long_word);
  ADD ("scroll-to-middle", test_scroll_to_middle);
  ADD ("story-direction", test_story_direction);
  ADD ("focus", test_focus);
  ADD ("tab-stops", test_tab_stops);
  ADD ("app-icon", test_app_icon);
  ADD ("link-look", test_link_look);
#undef ADD
  g_test_add_func ("/story/article-view/row-narrowest", test_row_narrowest);
  g_test_add_func ("/story/article-view/text-direction", test_text_direction);

  return story_test_run ();
}
