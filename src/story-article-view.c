/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-article-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "story-article-view.h"
#include "story-paragraph-row.h"
#include "story-text.h"

/*
 * The article: title, dateline and the numbered paragraphs, with every
 * mention of a place shown as a link. It follows the selection (current
 * paragraph, highlighted mentions) and writes the user's picks into it.
 * Paragraphs are rows of a GtkListView, so only those on screen are laid
 * out: a story of thousands of paragraphs opens as fast as a short one.
 * GTK 4.8's list view keeps up to 200 rows around the one in view, so a
 * row gets its text only once it is placed on screen (see
 * update_pending_rows()).
 */
struct _StoryArticleView
{
  GtkWidget         parent_instance;

  GtkWidget         *box;
  GtkScrolledWindow *scroller;
  GtkLabel          *title_label;
  GtkLabel          *meta_label;
  GtkListView       *list_view;

  StorySelection    *selection;
  GSignalGroup      *selection_signals;
  StoryDocument     *document;
  GtkStringList     *paragraphs;    /* "1" … "n": the rows of the list */
  GHashTable        *bound;         /* paragraph → row widget on screen */
  guint              current;
  StoryPlace        *highlighted;
  guint              scroll_tick;
  guint              scroll_target;
  guint              scroll_centring : 1;  /* in view; to the middle next */
  GtkTextDirection   story_direction;    /* the rows', from the story */
  GdkFrameClock     *frame_clock;
  gulong             layout_handler;
  gboolean           check_rows;    /* some bound row may need its text */
};

G_DEFINE_FINAL_TYPE (StoryArticleView, story_article_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What a link holds goes in this span: underlined, and opaque. */
#define LINK_SPAN "<span fgalpha=\"100%%\" underline=\"single\">"

/**
 * story_article_view_format_paragraph:
 * @paragraph: from 1, or 0 for the dateline
 * @highlight: (nullable): a place whose mentions are marked
 *
 * The paragraph is one piece of story text for the bidirectional
 * algorithm (see story-text.c): what it leaves open is closed at its end,
 * after the last link, and a paragraph with such controls starts with a
 * mark of its own direction, which an override or embedding at its start
 * does not change.
 *
 * Returns: (transfer full): Pango markup for the paragraph, its text
 *   escaped and each mention of a place a link
 */
char *
story_article_view_format_paragraph (StoryDocument *document,
                                     guint          paragraph,
                                     StoryPlace    *highlight)
{
  const char *text = story_document_get_paragraph (document, paragraph);
  g_autoptr(GString) markup = g_string_new (NULL);
  const StoryMention *mentions;
  StoryTextWriter writer;
  guint n, pos = 0;

  mentions = story_document_get_mentions (document, paragraph, &n);

  if (story_text_has_bidi_controls (text, -1))
    g_string_append (markup, story_text_direction_mark (story_text_get_direction (text, -1)));
  story_text_writer_init (&writer, markup, TRUE);

  for (guint i = 0; i < n; i++)
    {
      const StoryMention *m = &mentions[i];
      StoryPlace *place = story_document_get_place (document, m->place);
      g_autofree char *balanced = story_text_balance (story_place_get_display_name (place));
      g_autofree char *name = g_markup_escape_text (balanced, -1);

      story_text_writer_append (&writer, text + pos, m->start - pos);
      /* Every mention underlined, the highlighted ones too; the link's
       * colour drawn at full strength, not at the translucency of the
       * text around it (GTK lends a link the alpha of its label). */
      if (place == highlight)
        g_string_append_printf (markup,
                                "<a href=\"place:%u\" title=\"%s\"><span bgcolor=\"#f8e45c\" "
                                "bgalpha=\"70%%\" fgcolor=\"#241f31\" fgalpha=\"100%%\" "
                                "weight=\"bold\" underline=\"single\">",
                                m->place, name);
      else
        g_string_append_printf (markup, "<a href=\"place:%u\" title=\"%s\">" LINK_SPAN, m->place, name);
      story_text_writer_append (&writer, text + m->start, m->end - m->start);
      g_string_append (markup, "</span></a>");
      pos = m->end;
    }

  story_text_writer_append (&writer, text + pos, -1);
  story_text_writer_finish (&writer);

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

static StoryPlace *
place_from_uri (StoryArticleView *self,
                const char       *uri)
{
  guint64 index;

  if (self->document == NULL || !g_str_has_prefix (uri, "place:"))
    return NULL;

  if (!g_ascii_string_to_unsigned (uri + 6, 10, 0,
                                   story_document_get_n_places (self->document) - 1,
                                   &index, NULL))
    return NULL;

  return story_document_get_place (self->document, index);
}

static gboolean
on_paragraph_activate_link (GtkLabel   *label,
                            const char *uri,
                            gpointer    user_data)
{
  StoryArticleView *self = STORY_ARTICLE_VIEW (user_data);
  StoryParagraphRow *row = STORY_PARAGRAPH_ROW (gtk_widget_get_parent (GTK_WIDGET (label)));
  guint paragraph = story_paragraph_row_get_paragraph (row);
  StoryPlace *place = place_from_uri (self, uri);

  if (place == NULL || paragraph == 0 || self->selection == NULL)
    return TRUE;

  story_selection_select_mention (self->selection, paragraph, place);
  return TRUE;
}

/* The story's "url" comes from the file: only a web page is ever linked,
 * and only a click opens it. */
static gboolean
is_web_url (const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host;

  if (uri == NULL)
    return FALSE;

  host = g_uri_get_host (uri);
  return (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ||
          g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0) &&
         host != NULL && host[0] != '\0';
}

static gboolean
on_dateline_activate_link (StoryArticleView *self,
                           const char       *uri,
                           GtkLabel         *label)
{
  StoryPlace *place = place_from_uri (self, uri);

  if (place != NULL && self->selection != NULL)
    story_selection_select_mention (self->selection, 0, place);
  else if (place == NULL && is_web_url (uri))
    gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (label))), uri, GDK_CURRENT_TIME);

  /* Handled: GTK itself never opens a link from a story. */
  return TRUE;
}

static void
on_activate (StoryArticleView *self,
             guint             position,
             GtkListView      *list_view)
{
  if (self->selection != NULL)
    story_selection_select_paragraph (self->selection, position + 1);
}

static void
set_row_current (GtkWidget *row,
                 gboolean   current)
{
  if (current)
    gtk_widget_add_css_class (row, "current");
  else
    gtk_widget_remove_css_class (row, "current");

  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED, current, -1);
}

/* The direction the story is written in: its language's, or where it
 * names none, that of the first letter of its title or first paragraph.
 * The rows follow it (the number at the start of each line), the
 * window's chrome the interface's. */
static GtkTextDirection
story_direction (StoryDocument *document)
{
  static const char *rtl_languages[] = { "ar", "arc", "ckb", "dv", "fa", "he", "ku-arab", "ps", "sd", "ug", "ur", "yi" };
  const char *language = story_document_get_language (document);
  PangoDirection direction;

  if (language != NULL && *language != '\0')
    {
      g_autofree char *lower = g_ascii_strdown (language, -1);

      for (guint i = 0; i < G_N_ELEMENTS (rtl_languages); i++)
        {
          gsize n = strlen (rtl_languages[i]);

          if (g_str_has_prefix (lower, rtl_languages[i]) && (lower[n] == '\0' || lower[n] == '-' || lower[n] == '_'))
            return GTK_TEXT_DIR_RTL;
        }
      return GTK_TEXT_DIR_LTR;
    }

  direction = story_text_get_direction (story_document_get_title (document), -1);
  if (direction == PANGO_DIRECTION_NEUTRAL && story_document_get_n_paragraphs (document) > 0)
    direction = story_text_get_direction (story_document_get_paragraph (document, 1), -1);

  switch ((int)direction)
    {
    case PANGO_DIRECTION_RTL:
      return GTK_TEXT_DIR_RTL;
    case PANGO_DIRECTION_LTR:
      return GTK_TEXT_DIR_LTR;
    default:
      return GTK_TEXT_DIR_NONE;
    }
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           StoryArticleView         *self)
{
  GtkWidget *row = story_paragraph_row_new ();

  g_signal_connect_object (story_paragraph_row_get_text_label (STORY_PARAGRAPH_ROW (row)), "activate-link",
                           G_CALLBACK (on_paragraph_activate_link), self, 0);
  gtk_list_item_set_child (item, row);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          StoryArticleView         *self)
{
  StoryParagraphRow *row = STORY_PARAGRAPH_ROW (gtk_list_item_get_child (item));
  guint paragraph = gtk_list_item_get_position (item) + 1;
  const char *language = story_document_get_language (self->document);
  const char *text = story_document_get_paragraph (self->document, paragraph);
  /* Translators: how a screen reader names a paragraph row, e.g. "Paragraph 3" */
  g_autofree char *name = g_strdup_printf (_("Paragraph %u"), paragraph);

  /* The text comes once the row is on screen. */
  story_paragraph_row_set_paragraph (row, paragraph);
  story_paragraph_row_set_pending (row, g_utf8_strlen (text, -1));
  story_paragraph_row_set_language (row, language);
  gtk_widget_set_direction (GTK_WIDGET (row), self->story_direction);
  self->check_rows = TRUE;

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  /* The list's own item around the row is what takes the focus: a
   * reader names it too. */
  if (gtk_widget_get_parent (GTK_WIDGET (row)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (row))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
  set_row_current (GTK_WIDGET (row), paragraph == self->current);
  g_hash_table_insert (self->bound, GUINT_TO_POINTER (paragraph), row);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            StoryArticleView         *self)
{
  StoryParagraphRow *row = STORY_PARAGRAPH_ROW (gtk_list_item_get_child (item));
  gpointer paragraph = GUINT_TO_POINTER (story_paragraph_row_get_paragraph (row));

  if (g_hash_table_lookup (self->bound, paragraph) == row)
    g_hash_table_remove (self->bound, paragraph);
  story_paragraph_row_set_paragraph (row, 0);
}

static void
show_row_text (StoryArticleView  *self,
               StoryParagraphRow *row)
{
  guint paragraph = story_paragraph_row_get_paragraph (row);
  g_autofree char *markup = story_article_view_format_paragraph (self->document, paragraph,
                                                                 self->highlighted);

  story_paragraph_row_set_markup (row, markup);
}

/*
 * Runs after each layout of the window, once the list has placed its
 * rows. GTK 4.8's list view places only the rows it shows; a row it has
 * placed gets its text (and keeps it until it shows another paragraph).
 * Its height changes from the estimate, and GTK lays the window out again
 * in the same frame, so what is drawn is always exact. The list keeps the
 * row it is anchored to in place, so a row above it that grows does not
 * move what is shown.
 */
static void
update_pending_rows (GdkFrameClock    *clock,
                     StoryArticleView *self)
{
  GHashTableIter iter;
  gpointer row;

  if (!self->check_rows || self->document == NULL)
    return;
  self->check_rows = FALSE;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    {
      if (!story_paragraph_row_get_pending (row))
        continue;

      /* Rows move as this one grows or shrinks, and one not placed yet may
       * be placed in the next layout: look again after it. */
      self->check_rows = TRUE;

      if (gtk_widget_get_width (row) > 0 && gtk_widget_get_child_visible (row))
        show_row_text (self, row);
    }
}

static void
story_article_view_realize (GtkWidget *widget)
{
  StoryArticleView *self = STORY_ARTICLE_VIEW (widget);

  GTK_WIDGET_CLASS (story_article_view_parent_class)->realize (widget);

  /* After GTK's own handler, which lays the window out. */
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->layout_handler = g_signal_connect_after (self->frame_clock, "layout",
                                                 G_CALLBACK (update_pending_rows), self);
  self->check_rows = TRUE;
}

static void
story_article_view_unrealize (GtkWidget *widget)
{
  StoryArticleView *self = STORY_ARTICLE_VIEW (widget);

  g_clear_signal_handler (&self->layout_handler, self->frame_clock);
  g_clear_object (&self->frame_clock);

  GTK_WIDGET_CLASS (story_article_view_parent_class)->unrealize (widget);
}

/* Sets a story piece apart from the others on the line: its bidirectional
 * controls cannot reach past it (see story-text.c). */
#define ISOLATE(s) "\u2068" s "\u2069"

/* The months as a date names them, from our own catalogue: the C
 * library's names (%B) follow LC_TIME, which may not be the language of
 * the interface. */
static const char *const month_names[] = {
  /* Translators: the name of a month as it stands in a date, after the
   * day ("13 February 2024"): in the genitive or whatever form your
   * language uses there */
  NC_("month in a date", "January"),
  NC_("month in a date", "February"),
  NC_("month in a date", "March"),
  NC_("month in a date", "April"),
  NC_("month in a date", "May"),
  NC_("month in a date", "June"),
  NC_("month in a date", "July"),
  NC_("month in a date", "August"),
  NC_("month in a date", "September"),
  NC_("month in a date", "October"),
  NC_("month in a date", "November"),
  NC_("month in a date", "December"),
};

/* Puts the day, month and year into @format, which may hold %1$d, %2$s,
 * %3$d and %% once or more, in any order; NULL where it holds anything
 * else. */
static char *
fill_date_format (const char *format,
                  int         day,
                  const char *month,
                  int         year)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = format; *p != '\0';)
    {
      if (*p != '%')
        {
          g_string_append_c (out, *p++);
          continue;
        }

      if (g_str_has_prefix (p, "%%"))
        g_string_append_c (out, '%');
      else if (g_str_has_prefix (p, "%1$d"))
        g_string_append_printf (out, "%d", day);
      else if (g_str_has_prefix (p, "%2$s"))
        g_string_append (out, month);
      else if (g_str_has_prefix (p, "%3$d"))
        g_string_append_printf (out, "%d", year);
      else
        return NULL;
      p += p[1] == '%' ? 2 : 4;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * story_article_view_format_date:
 * @date: a date as a story holds it, "2024-02-13"
 *
 * Returns: @date in the language of the interface, whatever LC_TIME is;
 *   @date as it is when it is not a whole date
 */
char *
story_article_view_format_date (const char *date)
{
  g_autofree char *full = NULL;
  g_autoptr(GDateTime) dt = NULL;
  const char *month;
  char *formatted;

  g_return_val_if_fail (date != NULL, NULL);

  full = g_strdup_printf ("%sT00:00:00Z", date);
  dt = strlen (date) == 10 ? g_date_time_new_from_iso8601 (full, NULL) : NULL;
  if (dt == NULL)
    return g_strdup (date);

  month = g_dpgettext2 (NULL, "month in a date", month_names[g_date_time_get_month (dt) - 1]);
  /* Translators: the story's date: %1$d is the day, %2$s the month's name
   * (as translated in the list of months), %3$d the year; put them in the
   * order your language writes them, with any words around them, e.g.
   * "%1$d %2$s %3$d թ." */
  formatted = fill_date_format (_("%1$d %2$s %3$d"), g_date_time_get_day_of_month (dt), month,
                                g_date_time_get_year (dt));
  /* A broken format in a translation falls back to the untranslated one. */
  if (formatted == NULL)
    formatted = fill_date_format ("%1$d %2$s %3$d", g_date_time_get_day_of_month (dt), month,
                                  g_date_time_get_year (dt));

  return formatted;
}

/* The dateline, date and source on one line: each a piece of its own, the
 * line in the direction of the first that has one. */
static void
update_meta (StoryArticleView *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *dateline = story_document_get_dateline (self->document);
  const char *date = story_document_get_date (self->document);
  const char *source = story_document_get_source (self->document);
  const char *url = story_document_get_url (self->document);
  PangoDirection direction = PANGO_DIRECTION_NEUTRAL;
  g_autofree char *joined = NULL;
  g_autofree char *marked = NULL;

  /* The line is a label GTK measures itself: each piece of it is cut
   * short past STORY_TEXT_MAX_LABEL_CHARS (see story-text.h), a dateline
   * that long then without its links. */
  if (dateline != NULL)
    {
      g_autofree char *markup = NULL;

      if (g_utf8_strlen (dateline, -1) <= STORY_TEXT_MAX_LABEL_CHARS)
        markup = story_article_view_format_paragraph (self->document, 0, self->highlighted);
      else
        {
          g_autofree char *shortened = story_text_shorten (dateline, STORY_TEXT_MAX_LABEL_CHARS);
          StoryTextWriter writer;
          GString *out = g_string_new (NULL);

          story_text_writer_init (&writer, out, TRUE);
          story_text_writer_append (&writer, shortened, -1);
          story_text_writer_finish (&writer);
          markup = g_string_free (out, FALSE);
        }

      direction = story_text_get_direction (dateline, -1);
      g_ptr_array_add (parts, g_strdup_printf ("<span weight=\"bold\">" ISOLATE ("%s") "</span>", markup));
    }

  if (date != NULL)
    {
      g_autofree char *formatted = story_article_view_format_date (date);

      if (direction == PANGO_DIRECTION_NEUTRAL)
        direction = story_text_get_direction (formatted, -1);
      g_ptr_array_add (parts, story_text_isolate_markup (formatted));
    }

  if (is_web_url (url))
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
      const char *text = source ? source : g_uri_get_host (uri);
      g_autofree char *href = g_markup_escape_text (url, -1);
      g_autofree char *shortened = story_text_shorten (text, STORY_TEXT_MAX_LABEL_CHARS);
      g_autofree char *balanced = story_text_balance (shortened);
      g_autofree char *escaped = g_markup_escape_text (balanced, -1);

      if (direction == PANGO_DIRECTION_NEUTRAL)
        direction = story_text_get_direction (text, -1);
      g_ptr_array_add (parts, g_strdup_printf (ISOLATE ("<a href=\"%s\">" LINK_SPAN "%s</span></a>"), href, escaped));
    }
  else if (source != NULL)
    {
      g_autofree char *shortened = NULL;

      if (direction == PANGO_DIRECTION_NEUTRAL)
        direction = story_text_get_direction (source, -1);
      shortened = story_text_shorten (source, STORY_TEXT_MAX_LABEL_CHARS);
      g_ptr_array_add (parts, story_text_isolate_markup (shortened));
    }

  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (" · ", (char **)parts->pdata);
  marked = g_strconcat (joined[0] != '\0' ? story_text_direction_mark (direction) : "", joined, NULL);
  gtk_label_set_markup (self->meta_label, marked);
  story_label_set_direction_from_text (self->meta_label);
  gtk_widget_set_visible (GTK_WIDGET (self->meta_label), joined[0] != '\0');
}

static void
set_highlighted (StoryArticleView *self,
                 StoryPlace       *place)
{
  StoryPlace *old = self->highlighted;
  GHashTableIter iter;
  gpointer key, value;

  if (old == place)
    return;

  self->highlighted = place;

  /* Only rows with their text that mention the old or the new place
   * change; the others get the new place with their text. */
  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint paragraph = GPOINTER_TO_UINT (key);

      if (story_paragraph_row_get_pending (value))
        continue;

      if ((old && story_place_is_mentioned_in (old, paragraph)) ||
          (place && story_place_is_mentioned_in (place, paragraph)))
        {
          g_autofree char *markup = story_article_view_format_paragraph (self->document, paragraph, place);

          story_paragraph_row_set_markup (value, markup);
        }
    }

  update_meta (self);
}

static void
set_current (StoryArticleView *self,
             guint             paragraph)
{
  GtkWidget *row;

  if (self->current == paragraph)
    return;

  if ((row = g_hash_table_lookup (self->bound, GUINT_TO_POINTER (self->current))))
    set_row_current (row, FALSE);

  self->current = paragraph;

  if ((row = g_hash_table_lookup (self->bound, GUINT_TO_POINTER (paragraph))))
    set_row_current (row, TRUE);
}

/* Moves the target row, on screen, to the middle of the pane, or its top
 * to the top where it is taller than the pane. */
static void
centre_target (StoryArticleView *self)
{
  GtkWidget *row = g_hash_table_lookup (self->bound, GUINT_TO_POINTER (self->scroll_target));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double page = gtk_adjustment_get_page_size (adjustment);
  graphene_rect_t bounds;
  double delta;

  if (row == NULL || !gtk_widget_compute_bounds (row, GTK_WIDGET (self->scroller), &bounds))
    return;

  if (bounds.size.height >= page)
    delta = bounds.origin.y;
  else
    delta = bounds.origin.y + bounds.size.height / 2 - page / 2;

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + delta);
}

/* Brings the row into view, once the list has its size, and on the next
 * frame, once it is laid out where it shows, to the middle. */
static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  StoryArticleView *self = STORY_ARTICLE_VIEW (widget);

  if (self->document == NULL || self->scroll_target == 0 ||
      self->scroll_target > story_document_get_n_paragraphs (self->document))
    {
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }

  if (!self->scroll_centring)
    {
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                  self->scroll_target - 1);
      self->scroll_centring = TRUE;
      return G_SOURCE_CONTINUE;
    }

  centre_target (self);
  self->scroll_centring = FALSE;
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

/**
 * story_article_view_scroll_to_paragraph:
 *
 * Scrolls @paragraph to the middle of the pane.
 */
void
story_article_view_scroll_to_paragraph (StoryArticleView *self,
                                        guint             paragraph)
{
  g_return_if_fail (STORY_IS_ARTICLE_VIEW (self));

  self->scroll_target = paragraph;
  self->scroll_centring = FALSE;

  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL, NULL);
}

static void
on_selection_changed (StoryArticleView *self,
                      StorySelection   *selection)
{
  guint paragraph = story_selection_get_paragraph (selection);

  set_highlighted (self, story_selection_get_place (selection));
  set_current (self, paragraph);

  if (paragraph > 0)
    story_article_view_scroll_to_paragraph (self, paragraph);
}

static void
rebuild (StoryArticleView *self)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  guint n;

  self->current = 0;
  self->highlighted = NULL;

  /* A scroll asked for in the old story does not carry over. */
  self->scroll_target = 0;

  if (self->document != NULL)
    {
      story_label_set_story_text (self->title_label, story_document_get_title (self->document));
      update_meta (self);
      self->story_direction = story_direction (self->document);

      n = story_document_get_n_paragraphs (self->document);
      for (guint i = 1; i <= n; i++)
        g_ptr_array_add (numbers, g_strdup_printf ("%u", i));
    }

  /* Back to the top while the old rows are still laid out: scrolling a
   * list whose rows were just replaced fails. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  g_ptr_array_add (numbers, NULL);
  gtk_string_list_splice (self->paragraphs, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->paragraphs)),
                          (const char * const *)numbers->pdata);
}

static void
on_document_changed (StoryArticleView *self,
                     GParamSpec       *pspec,
                     StorySelection   *selection)
{
  if (!g_set_object (&self->document, story_selection_get_document (selection)))
    return;

  rebuild (self);
}

/* A selection followed from now on brings its document. */
static void
on_selection_bind (StoryArticleView *self,
                   StorySelection   *selection)
{
  on_document_changed (self, NULL, selection);
}

static void
story_article_view_dispose (GObject *object)
{
  StoryArticleView *self = (StoryArticleView *)object;

  if (self->scroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
      self->scroll_tick = 0;
    }

  g_clear_object (&self->selection_signals);
  g_clear_object (&self->selection);
  g_clear_object (&self->document);
  gtk_widget_dispose_template (GTK_WIDGET (self), STORY_TYPE_ARTICLE_VIEW);

  G_OBJECT_CLASS (story_article_view_parent_class)->dispose (object);
}

static void
story_article_view_finalize (GObject *object)
{
  StoryArticleView *self = (StoryArticleView *)object;

  g_hash_table_unref (self->bound);
  g_object_unref (self->paragraphs);

  G_OBJECT_CLASS (story_article_view_parent_class)->finalize (object);
}

static void
story_article_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StoryArticleView *self = STORY_ARTICLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTION:
      g_value_set_object (value, self->selection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_article_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  StoryArticleView *self = STORY_ARTICLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTION:
      story_article_view_set_selection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_article_view_class_init (StoryArticleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_article_view_dispose;
  object_class->finalize = story_article_view_finalize;
  object_class->get_property = story_article_view_get_property;
  object_class->set_property = story_article_view_set_property;

  widget_class->realize = story_article_view_realize;
  widget_class->unrealize = story_article_view_unrealize;

  properties[PROP_SELECTION] =
    g_param_spec_object ("selection", NULL, NULL, STORY_TYPE_SELECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/story-article-view.ui");
  /* GtkBuilder finds a type not yet registered by guessing the name of its
   * get_type() function and looking it up in every loaded library. */
  g_type_ensure (GTK_TYPE_BOX);
  g_type_ensure (GTK_TYPE_LABEL);
  g_type_ensure (GTK_TYPE_LIST_VIEW);
  g_type_ensure (GTK_TYPE_SCROLLED_WINDOW);

  gtk_widget_class_bind_template_child (widget_class, StoryArticleView, box);
  gtk_widget_class_bind_template_child (widget_class, StoryArticleView, scroller);
  gtk_widget_class_bind_template_child (widget_class, StoryArticleView, title_label);
  gtk_widget_class_bind_template_child (widget_class, StoryArticleView, meta_label);
  gtk_widget_class_bind_template_child (widget_class, StoryArticleView, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_dateline_activate_link);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "storyarticleview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
story_article_view_init (StoryArticleView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) model = NULL;

  g_type_ensure (ADW_TYPE_CLAMP);
  g_type_ensure (ADW_TYPE_CLAMP_SCROLLABLE);
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Nothing of the article draws over the map beside it, whatever Pango
   * makes of text too wide for its 32-bit coordinates. */
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->bound = g_hash_table_new (NULL, NULL);
  self->paragraphs = gtk_string_list_new (NULL);
  model = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->paragraphs)));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (model));
  g_object_unref (factory);

  self->selection_signals = g_signal_group_new (STORY_TYPE_SELECTION);
  g_signal_group_connect_object (self->selection_signals, "changed",
                                 G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->selection_signals, "notify::document",
                                 G_CALLBACK (on_document_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection_signals, "bind",
                           G_CALLBACK (on_selection_bind), self, G_CONNECT_SWAPPED);
}

GtkWidget *
story_article_view_new (void)
{
  return g_object_new (STORY_TYPE_ARTICLE_VIEW, NULL);
}

StorySelection *
story_article_view_get_selection (StoryArticleView *self)
{
  g_return_val_if_fail (STORY_IS_ARTICLE_VIEW (self), NULL);

  return self->selection;
}

void
story_article_view_set_selection (StoryArticleView *self,
                                  StorySelection   *selection)
{
  g_return_if_fail (STORY_IS_ARTICLE_VIEW (self));
  g_return_if_fail (!selection || STORY_IS_SELECTION (selection));

  if (!g_set_object (&self->selection, selection))
    return;

  g_signal_group_set_target (self->selection_signals, selection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION]);
}

/* Returns: (transfer none) (nullable): the row of @paragraph, from 1,
 *   while it is on screen */
GtkWidget *
story_article_view_get_row (StoryArticleView *self,
                            guint             paragraph)
{
  g_return_val_if_fail (STORY_IS_ARTICLE_VIEW (self), NULL);

  return g_hash_table_lookup (self->bound, GUINT_TO_POINTER (paragraph));
}

GtkLabel *
story_article_view_get_row_label (StoryArticleView *self,
                                  guint             paragraph)
{
  GtkWidget *row = story_article_view_get_row (self, paragraph);

  return row ? story_paragraph_row_get_text_label (STORY_PARAGRAPH_ROW (row)) : NULL;
}

GtkAdjustment *
story_article_view_get_vadjustment (StoryArticleView *self)
{
  g_return_val_if_fail (STORY_IS_ARTICLE_VIEW (self), NULL);

  return gtk_scrolled_window_get_vadjustment (self->scroller);
}

/* Does what a click on the paragraph, or Enter on it, does. */
void
story_article_view_activate_paragraph (StoryArticleView *self,
                                       guint             paragraph)
{
  g_return_if_fail (STORY_IS_ARTICLE_VIEW (self));
  g_return_if_fail (paragraph >= 1);

  g_signal_emit_by_name (self->list_view, "activate", paragraph - 1);
}

/**
 * story_article_view_focus:
 *
 * Moves the keyboard focus into the article, to the current paragraph
 * (or the first on screen): what F6 does when it comes to the article
 * pane.
 *
 * Returns: whether the article took the focus
 */
gboolean
story_article_view_focus (StoryArticleView *self)
{
  GtkWidget *row;

  g_return_val_if_fail (STORY_IS_ARTICLE_VIEW (self), FALSE);

  row = story_article_view_get_row (self, self->current);
  if (row != NULL && gtk_widget_get_parent (row) != NULL &&
      gtk_widget_grab_focus (gtk_widget_get_parent (row)))
    return TRUE;

  return gtk_widget_child_focus (GTK_WIDGET (self->list_view), GTK_DIR_TAB_FORWARD) ||
         gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}
