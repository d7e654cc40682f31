/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "story-place-list.h"
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
  while (last != NULL && !gtk_widget_get_visible (last))
    last = gtk_widget_get_prev_sibling (last);
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

/* The colour of the pixel at @x, @y of @texture, unpremultiplied. */
static GdkRGBA
pixel_at (GdkTexture *texture,
          int         x,
          int         y)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guchar *data = g_malloc (width * height * 4);
  const guchar *p;
  double alpha;

  gdk_texture_download (texture, data, width * 4);
  p = data + (y * width + x) * 4;
  alpha = p[3] / 255.0;
  /* Cairo's ARGB32: blue, green, red, alpha in memory, premultiplied. */
  return (GdkRGBA) { alpha > 0 ? p[2] / 255.0 / alpha : 0, alpha > 0 ? p[1] / 255.0 / alpha : 0,
                     alpha > 0 ? p[0] / 255.0 / alpha : 0, alpha };
}

static double
relative_luminance (const GdkRGBA *c)
{
  double rgb[3] = { c->red, c->green, c->blue };

  for (guint i = 0; i < 3; i++)
    rgb[i] = rgb[i] <= 0.03928 ? rgb[i] / 12.92 : pow ((rgb[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}

/* WCAG 2's contrast ratio of two opaque colours. */
static double
contrast_ratio (const GdkRGBA *a,
                const GdkRGBA *b)
{
  double la = relative_luminance (a), lb = relative_luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* The card has a background of its own in the light and the dark scheme
 * and in high contrast: the map does not show through it, and its text
 * reads against it. */
typedef struct
{
  const char     *name;
  AdwColorScheme  scheme;
  gboolean        high_contrast;
} Look;

static const Look looks[] = {
  { "light", ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE },
  { "dark", ADW_COLOR_SCHEME_FORCE_DARK, FALSE },
  { "high-contrast", ADW_COLOR_SCHEME_FORCE_LIGHT, TRUE },
  { "high-contrast-dark", ADW_COLOR_SCHEME_FORCE_DARK, TRUE },
};

static void
test_opaque (Fixture       *f,
             gconstpointer  data)
{
  const Look *look = data;
  AdwStyleManager *manager = adw_style_manager_get_default ();
  StoryPlaceDetails *details;
  GtkWidget *card;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *screenshot = g_strdup_printf ("place-details-%s", look->name);
  GdkRGBA background, text;

  adw_style_manager_set_color_scheme (manager, look->scheme);
  if (look->high_contrast)
    gtk_widget_add_css_class (GTK_WIDGET (f->window), "high-contrast");
  story_selection_activate_place (f->selection, story_document_lookup_place (f->document, "nerkin-hand"));
  details = story_map_view_get_place_details (story_window_get_map_view (f->window));
  WAIT_FOR (story_place_details_get_place (details) != NULL && gtk_widget_get_height (GTK_WIDGET (details)) > 0);
  settle ();
  maybe_screenshot (f, screenshot);

  /* The card alone, on nothing: a pixel inside its padding, halfway
   * down, is all its own background. */
  card = gtk_widget_get_first_child (GTK_WIDGET (details));
  texture = story_test_render (card);
  background = pixel_at (texture, 6, gdk_texture_get_height (texture) / 2);
  g_assert_cmpfloat (background.alpha, >, 0.99);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (card), &text);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* Text drawn translucent, as libadwaita draws it, over the card. */
  text = (GdkRGBA) { text.red * text.alpha + background.red * (1 - text.alpha),
                     text.green * text.alpha + background.green * (1 - text.alpha),
                     text.blue * text.alpha + background.blue * (1 - text.alpha), 1 };
  g_assert_cmpfloat (contrast_ratio (&background, &text), >=, 7.0);
  if (look->scheme == ADW_COLOR_SCHEME_FORCE_DARK)
    g_assert_cmpfloat (relative_luminance (&background), <, 0.1);

  gtk_widget_remove_css_class (GTK_WIDGET (f->window), "high-contrast");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

/* The first widget under @root, depth first, that @match accepts. */
static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static StoryPlaceDetails *
show_nerkin_hand (Fixture *f)
{
  StoryPlaceDetails *details = story_map_view_get_place_details (story_window_get_map_view (f->window));

  story_selection_activate_place (f->selection, story_document_lookup_place (f->document, "nerkin-hand"));
  WAIT_FOR (story_place_details_get_place (details) != NULL && gtk_widget_get_height (GTK_WIDGET (details)) > 0);
  settle ();
  return details;
}

static void
on_text_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

/* With nothing to open geo: URIs (as here, with no desktop), "Open in
 * Maps" says so in the card and offers the coordinates to copy, which
 * then take the focus. */
static void
test_maps_unavailable (Fixture       *f,
                       gconstpointer  data)
{
  StoryPlaceDetails *details = show_nerkin_hand (f);
  GtkWidget *open = find_widget (GTK_WIDGET (details), is_button_labelled, "Open in _Maps");
  GtkWidget *copy;
  GtkWidget *focus;
  g_autofree char *copied = NULL;

  g_assert_nonnull (open);
  g_assert_false (shows_text (GTK_WIDGET (details), "No app can open this location"));
  g_signal_emit_by_name (open, "clicked");
  WAIT_FOR (shows_text (GTK_WIDGET (details), "No app can open this location"));
  maybe_screenshot (f, "place-details-no-maps");

  copy = find_widget (GTK_WIDGET (details), is_button_labelled, "_Copy Coordinates");
  g_assert_nonnull (copy);
  g_assert_true (gtk_widget_get_mapped (copy));
  focus = gtk_window_get_focus (GTK_WINDOW (f->window));
  g_assert_true (focus == copy || (focus != NULL && gtk_widget_is_ancestor (focus, copy)));

  g_signal_emit_by_name (copy, "clicked");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (copy), NULL, on_text_read, &copied);
  WAIT_FOR (copied != NULL);
  g_assert_cmpstr (copied, ==, story_place_details_get_text (details, "decimal"));

  /* Another place starts afresh. */
  story_selection_activate_place (f->selection, story_document_lookup_place (f->document, "baku"));
  WAIT_FOR (!shows_text (GTK_WIDGET (details), "No app can open this location"));
}

/* Escape closes the card: pressed in the card, the focus goes back to
 * the place's marker; pressed elsewhere, it stays there. */
static void
test_escape (Fixture       *f,
             gconstpointer  data)
{
  StoryPlaceDetails *details = show_nerkin_hand (f);
  GtkWidget *open = find_widget (GTK_WIDGET (details), is_button_labelled, "Open in _Maps");
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (details));
  g_autoptr(GtkShortcutTrigger) escape = gtk_keyval_trigger_new (GDK_KEY_Escape, 0);
  GtkShortcutAction *action = NULL;

  for (guint i = 0; action == NULL && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; action == NULL && j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), escape))
            action = gtk_shortcut_get_action (shortcut);
        }
    }
  g_assert_nonnull (action);

  g_assert_true (gtk_widget_grab_focus (open));
  g_assert_true (gtk_shortcut_action_activate (action, 0, GTK_WIDGET (details), NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (details)));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (f->window)) == marker (f, "nerkin-hand"));

  /* Closed, the card lets Escape go to whatever else wants it. */
  settle ();
  g_assert_false (gtk_shortcut_action_activate (action, 0, GTK_WIDGET (details), NULL));
}

/* The list of places: a search finds a place by any of its names, in any
 * case and without its accents; a search that finds nothing says so; the
 * selected place's row shows as selected. */
static void
test_place_list_search (Fixture       *f,
                        gconstpointer  data)
{
  const struct { const char *search; const char *id; } searches[] = {
    { "Ереван", "yerevan" },
    { "Ներքին", "nerkin-hand" },
    { "qarabag", "karabakh" },
    { "SUNIK", "syunik" },
    { "siun", "syunik" },
  };
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (story_window_get_article_view (f->window)), GTK_TYPE_STACK);
  StoryPlaceList *list;
  GtkWidget *row;

  gtk_stack_set_visible_child_name (GTK_STACK (stack), "places");
  list = STORY_PLACE_LIST (gtk_stack_get_visible_child (GTK_STACK (stack)));
  settle ();

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      StoryPlace *place = story_document_lookup_place (f->document, searches[i].id);

      story_place_list_set_search_text (list, searches[i].search);
      g_assert_cmpuint (story_place_list_get_n_visible (list), ==, 1);
      WAIT_FOR (story_place_list_get_row (list, place) != NULL &&
                gtk_widget_get_mapped (story_place_list_get_row (list, place)));
    }

  story_place_list_set_search_text (list, "Atlantis");
  g_assert_cmpuint (story_place_list_get_n_visible (list), ==, 0);
  WAIT_FOR (shows_text (GTK_WIDGET (list), "No Results Found"));
  maybe_screenshot (f, "place-list-no-results");

  story_place_list_set_search_text (list, "");
  g_assert_false (shows_text (GTK_WIDGET (list), "No Results Found"));
  story_selection_activate_place (f->selection, story_document_lookup_place (f->document, "moscow"));
  WAIT_FOR ((row = story_place_list_get_row (list, story_document_lookup_place (f->document, "moscow"))) != NULL &&
            gtk_widget_get_mapped (row) && gtk_widget_has_css_class (row, "current"));
  maybe_screenshot (f, "place-list-current");

  /* F6 to the list goes to its search. */
  g_assert_true (story_place_list_focus (list));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)), GTK_WIDGET (list)));

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  maybe_screenshot (f, "place-list-current-dark");
  gtk_widget_add_css_class (GTK_WIDGET (f->window), "high-contrast");
  maybe_screenshot (f, "place-list-current-high-contrast-dark");
  gtk_widget_remove_css_class (GTK_WIDGET (f->window), "high-contrast");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
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
  ADD ("maps-unavailable", test_maps_unavailable);
  ADD ("escape", test_escape);
  ADD ("place-list-search", test_place_list_search);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (looks); i++)
    {
      g_autofree char *path = g_strdup_printf ("/story/place-details/opaque/%s", looks[i].name);

      g_test_add (path, Fixture, &looks[i], fixture_set_up, test_opaque, fixture_tear_down);
    }

  return story_test_run ();
}
