/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "story-test-window.h"

/*
 * The place details card on the map: however many names a place has and
 * however long its text, the card stays within the map and scrolls, and
 * one name cannot reverse the names after it.
 */

static StoryDocument *
document_with_names (guint       n_names,
                     const char *extra_names)
{
  g_autoptr(GString) json = g_string_new ("{\"type\": \"FeatureCollection\",\n"
                                          " \"story\": {\"title\": \"Names\", \"paragraphs\": [\"Seen in Baku.\"]},\n"
                                          " \"features\": [{\"type\": \"Feature\", \"id\": \"baku\",\n"
                                          "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [49.89, 40.38]},\n"
                                          "   \"properties\": {\"name\": \"Baku\", \"kind\": \"city\"");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  StoryDocument *document;

  for (guint i = 0; i < n_names; i++)
    g_string_append_printf (json, ", \"name:x%03u\": \"Name number %u\"", i, i);
  g_string_append (json, extra_names);
  g_string_append (json, "}}]}");

  bytes = g_bytes_new (json->str, json->len);
  document = story_document_new_from_bytes (bytes, "names.json", &error);
  g_assert_no_error (error);
  return document;
}

static StoryPlaceDetails *
show_baku (Fixture       *f,
           StoryDocument *document)
{
  StoryPlaceDetails *details = story_map_view_get_place_details (story_window_get_map_view (f->window));

  story_window_set_document (f->window, document);
  settle ();
  story_selection_activate_place (f->selection, story_document_lookup_place (document, "baku"));
  WAIT_FOR (story_place_details_get_place (details) != NULL && gtk_widget_get_height (GTK_WIDGET (details)) > 0);
  settle ();

  return details;
}

/* The card is no taller than the map, and every part of it, the last
 * name and the last button too, is reached by scrolling it. */
static void
assert_card_scrolls (Fixture           *f,
                     StoryPlaceDetails *details)
{
  GtkWidget *map = GTK_WIDGET (story_window_get_map_view (f->window));
  GtkWidget *card = GTK_WIDGET (details);
  GtkWidget *names = NULL, *scroller, *last;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (card, map, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (map));
  g_assert_cmpfloat (bounds.size.width, <=, gtk_widget_get_width (map));

  /* The names label is inside a scrolled window; scrolled to its end,
   * the card shows its last widget. */
  for (GtkWidget *w = gtk_widget_get_first_child (card); w != NULL; )
    {
      if (GTK_IS_SCROLLED_WINDOW (w))
        {
          names = w;
          break;
        }
      w = gtk_widget_get_first_child (w) ? gtk_widget_get_first_child (w) : gtk_widget_get_next_sibling (w);
    }
  g_assert_nonnull (names);
  scroller = names;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  settle ();
  last = gtk_widget_get_last_child (gtk_widget_get_first_child (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller))));
  g_assert_true (GTK_IS_BUTTON (last));
  g_assert_true (gtk_widget_compute_bounds (last, scroller, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scroller) + 0.5);
}

/* As many names as a story may give a place. */
static void
test_many_names (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(StoryDocument) document = document_with_names (256, "");
  StoryPlaceDetails *details = show_baku (f, document);
  const char *names = story_place_details_get_text (details, "names");

  maybe_screenshot (f, "place-details-many-names");
  for (guint i = 0; i < 256; i++)
    {
      g_autofree char *name = g_strdup_printf ("\u2068Name number %u\u2069 (x%03u)", i, i);

      g_assert_nonnull (strstr (names, name));
    }
  assert_card_scrolls (f, details);
}

/* Thousands, given through the model's own API: each listed once, the
 * card still within the map. A name that is part of another is listed
 * too. */
static void
test_thousands_of_names (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(StoryDocument) document = document_with_names (0, ", \"name:aa\": \"Bak\"");
  StoryPlace *baku = story_document_lookup_place (document, "baku");
  StoryPlaceDetails *details;
  const char *names;

  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *lang = g_strdup_printf ("y%04u", i);
      g_autofree char *name = g_strdup_printf ("Name %u", i % 2500);

      story_place_set_localized_name (baku, lang, name);
    }

  details = show_baku (f, document);
  names = story_place_details_get_text (details, "names");
  g_assert_nonnull (strstr (names, "\u2068Bak\u2069 (aa)"));
  for (guint i = 0; i < 2500; i++)
    {
      g_autofree char *first = g_strdup_printf ("\u2068Name %u\u2069 (y%04u)", i, i);
      g_autofree char *again = g_strdup_printf ("\u2068Name %u\u2069 (y%04u)", i, i + 2500);

      g_assert_nonnull (strstr (names, first));
      g_assert_null (strstr (names, again));
    }
  assert_card_scrolls (f, details);
}

/* The x position in @label's layout of @needle found in its text. */
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

static GtkLabel *
names_label (StoryPlaceDetails *details)
{
  const char *names = story_place_details_get_text (details, "names");
  GtkWidget *card = GTK_WIDGET (details);
  GtkWidget *w = card;

  /* Depth first through the card for the label showing the names. */
  while (w != NULL)
    {
      GtkWidget *next;

      if (GTK_IS_LABEL (w) && g_strcmp0 (pango_layout_get_text (gtk_label_get_layout (GTK_LABEL (w))), names) == 0)
        return GTK_LABEL (w);

      if ((next = gtk_widget_get_first_child (w)) == NULL)
        {
          while (w != card && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          next = w == card ? NULL : gtk_widget_get_next_sibling (w);
        }
      w = next;
    }

  g_assert_not_reached ();
}

/* A name with an override and a stray PDI, which would end the isolate it
 * is shown in, reverses nothing after it. */
static void
test_bidi_names (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(StoryDocument) document =
    document_with_names (0, ", \"name:ar\": \"باكو\u2069\u202E\", \"name:fr\": \"Bakou\", \"name:tr\": \"Bakü\"");
  StoryPlaceDetails *details = show_baku (f, document);
  GtkLabel *label = names_label (details);

  /* Left to right, as the interface runs, each name whole. */
  g_assert_cmpint (x_of (label, "(ar)"), <, x_of (label, "Bakou"));
  g_assert_cmpint (x_of (label, "Bakou"), <, x_of (label, "(fr)"));
  g_assert_cmpint (x_of (label, "(fr)"), <, x_of (label, "Bakü"));
  g_assert_cmpint (x_of (label, "B"), <, x_of (label, "kou"));
  /* The override stays within the Arabic name, closed at its end; the
   * stray PDI is gone. */
  g_assert_nonnull (strstr (story_place_details_get_text (details, "names"), "\u2068باكو\u202E\u202C\u2069 (ar)"));
}

/* A place named in every paragraph of a long story: its card comes up
 * with the paragraphs as runs, and at most a few dozen links, each one
 * selecting its paragraph. */
static void
test_many_paragraphs (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GString) json = g_string_new ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"Long\", \"paragraphs\": [");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = NULL;
  StoryPlaceDetails *details;
  const char *text;
  guint n_links = 0;

  /* Paragraphs 1–15000 name Baku, then every other one up to 20000. */
  for (guint i = 1; i <= 20000; i++)
    g_string_append_printf (json, "%s\"%s\"", i > 1 ? ", " : "",
                            i <= 15000 || i % 2 == 0 ? "Seen in Baku." : "Elsewhere.");
  g_string_append (json, "]}, \"features\": [{\"type\": \"Feature\", \"id\": \"baku\",\n"
                         "  \"geometry\": {\"type\": \"Point\", \"coordinates\": [49.89, 40.38]},\n"
                         "  \"properties\": {\"name\": \"Baku\", \"kind\": \"city\"}}]}");
  bytes = g_bytes_new (json->str, json->len);
  document = story_document_new_from_bytes (bytes, "long.json", &error);
  g_assert_no_error (error);

  details = show_baku (f, document);
  text = story_place_details_get_text (details, "paragraphs");
  g_assert_true (g_str_has_prefix (text, "Named in paragraphs 1–15000, 15002, 15004, "));
  g_assert_true (g_str_has_suffix (text, ", …"));

  for (const char *p = strchr (text, ','); p != NULL; p = strchr (p + 1, ','))
    n_links++;
  g_assert_cmpuint (n_links, ==, 40);
}

int
main (int   argc,
      char *argv[])
{
  story_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/story/place-details/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("many-names", test_many_names);
  ADD ("thousands-of-names", test_thousands_of_names);
  ADD ("bidi-names", test_bidi_names);
  ADD ("many-paragraphs", test_many_paragraphs);
#undef ADD

  return story_test_run ();
}
