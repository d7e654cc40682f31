/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "story-map-view-private.h"
#include "story-place-list.h"
#include "story-test-window.h"

/*
 * The map in the real window with stories at the documented limits: an
 * area of thousands of rings, a million polygon vertices, twenty thousand
 * places. Each opens, is drawn, and answers clicks, and the map keeps the
 * same layers whatever the story holds.
 */

static StoryDocument *
document_from_string (GString *json)
{
  g_autoptr(GBytes) bytes = g_string_free_to_bytes (json);
  g_autoptr(GError) error = NULL;
  StoryDocument *document = story_document_new_from_bytes (bytes, "test.json", &error);

  g_assert_no_error (error);
  return document;
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

static guint
count_descendants (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += 1 + count_descendants (child);

  return n;
}

static guint
count_of_type (GtkWidget *widget,
               GType      type)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += G_TYPE_CHECK_INSTANCE_TYPE (child, type) + count_of_type (child, type);

  return n;
}

static void
open_document (Fixture       *f,
               StoryDocument *document)
{
  story_window_set_document (f->window, document);
  WAIT_FOR (story_window_get_document (f->window) == document);
  settle ();
  f->document = document;
}

/* A harbour, then an archipelago of @n_rings square islands. */
static StoryDocument *
archipelago (guint n_rings)
{
  GString *json = g_string_new (NULL);
  guint side = (guint)ceil (sqrt (n_rings));

  g_string_append (json,
                   "{\"type\": \"FeatureCollection\",\n"
                   " \"story\": {\"title\": \"Islands\", \"paragraphs\": [\"The Harbour is quiet.\","
                   " \"Ships sail round the Archipelago every day.\"]},\n"
                   " \"features\": [{\"type\": \"Feature\", \"id\": \"port\","
                   " \"geometry\": {\"type\": \"Point\", \"coordinates\": [45.5, 39.5]},"
                   " \"properties\": {\"name\": \"Harbour\", \"kind\": \"town\"}},\n"
                   "  {\"type\": \"Feature\", \"id\": \"islands\","
                   " \"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": [");

  for (guint i = 0; i < n_rings; i++)
    {
      double x = 44.0 + (i % side) * (2.0 / side), y = 39.0 + (double)(i / side) * (2.0 / side);
      double d = 0.6 / side;

      g_string_append_printf (json, "%s[[[%.5f,%.5f],[%.5f,%.5f],[%.5f,%.5f],[%.5f,%.5f],[%.5f,%.5f]]]",
                              i ? "," : "", x, y, x + d, y, x + d, y + d, x, y + d, x, y);
    }

  g_string_append (json, "]}, \"properties\": {\"name\": \"Archipelago\", \"kind\": \"region\"}}]}");
  return document_from_string (json);
}

/* An area of 5,000 rings costs one layer, like any other: selecting it
 * shows its outline, and the map keeps the layers it had. */
static void
test_many_rings (Fixture       *f,
                 gconstpointer  data)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  StoryArticleView *article = story_window_get_article_view (f->window);
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (map_view));
  guint n_layers = count_children (map);
  g_autoptr(StoryDocument) document = archipelago (5000);
  StoryPlace *islands = story_document_lookup_place (document, "islands");

  open_document (f, document);
  g_assert_cmpuint (story_place_get_n_rings (islands), ==, 5000);

  /* Picking the paragraph that names it outlines it. */
  story_article_view_activate_paragraph (article, 2);
  g_assert_cmpuint (count_children (map), ==, n_layers);
  settle ();
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 2);
  g_assert_true (story_map_view_get_outline_visible (map_view, islands));
  g_assert_cmpuint (story_outline_layer_get_n_rings (map_view->outline_layer, islands), ==, 5000);
  g_assert_cmpuint (story_outline_layer_get_n_drawn_points (map_view->outline_layer), >, 0);

  /* So does clicking its marker, which selects the paragraph naming it. */
  story_article_view_activate_paragraph (article, 1);
  settle ();
  g_assert_false (story_map_view_get_outline_visible (map_view, islands));
  g_signal_emit_by_name (story_map_view_get_marker_button (map_view, islands), "clicked");
  WAIT_FOR (story_selection_get_place (f->selection) == islands);
  settle ();
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 2);
  g_assert_true (gtk_widget_has_css_class (story_article_view_get_row (article, 2), "current"));
  g_assert_true (story_map_view_get_outline_visible (map_view, islands));
  g_assert_cmpuint (count_children (map), ==, n_layers);
  maybe_screenshot (f, "many-rings");
}

/* STORY_DOCUMENT_MAX_VERTICES in 100 round areas, all named by the first
 * paragraph. */
static StoryDocument *
regions_at_vertex_limit (void)
{
  const guint n_areas = 100, n_points = STORY_DOCUMENT_MAX_VERTICES / n_areas;
  GString *json = g_string_new (NULL);

  g_string_append (json,
                   "{\"type\": \"FeatureCollection\",\n"
                   " \"story\": {\"title\": \"Regions\", \"paragraphs\": [\"Every region:");
  for (guint a = 0; a < n_areas; a++)
    g_string_append_printf (json, " Region%03u,", a);
  g_string_append (json, " and no more.\", \"None here.\"]},\n \"features\": [");

  for (guint a = 0; a < n_areas; a++)
    {
      double cx = 1.2 + (a % 10) * 0.85, cy = 1.2 + (a / 10) * 0.85;

      g_string_append_printf (json, "%s{\"type\": \"Feature\", \"id\": \"a%u\", \"geometry\": "
                              "{\"type\": \"Polygon\", \"coordinates\": [[", a ? ",\n" : "", a);
      for (guint k = 0; k < n_points; k++)
        {
          /* The last point closes the ring. */
          double t = 2 * G_PI * (k % (n_points - 1)) / (n_points - 1);
          double r = 0.3 + 0.06 * sin (37 * t);

          g_string_append_printf (json, "%s[%.3f,%.3f]", k ? "," : "", cx + r * cos (t), cy + r * sin (t));
        }
      g_string_append_printf (json, "]]}, \"properties\": {\"name\": \"Region%03u\", \"kind\": \"region\"}}", a);
    }

  g_string_append (json, "]}");
  return document_from_string (json);
}

/* At the vertex limit every outline shows at once, in the layers the map
 * always has, and a frame draws far fewer points than the story holds. */
static void
test_vertex_limit (Fixture       *f,
                   gconstpointer  data)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (map_view));
  guint n_layers = count_children (map);
  g_autoptr(StoryDocument) document = regions_at_vertex_limit ();
  guint drawn;

  open_document (f, document);
  g_assert_cmpuint (story_document_get_n_places (document), ==, 100);

  story_article_view_activate_paragraph (story_window_get_article_view (f->window), 1);
  settle ();
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);
  for (guint i = 0; i < 100; i++)
    g_assert_true (story_map_view_get_outline_visible (map_view, story_document_get_place (document, i)));
  g_assert_cmpuint (count_children (map), ==, n_layers);

  gtk_widget_queue_draw (map);
  settle ();
  drawn = story_outline_layer_get_n_drawn_points (map_view->outline_layer);
  g_test_message ("%u of %u points drawn", drawn, STORY_DOCUMENT_MAX_VERTICES);
  g_assert_cmpuint (drawn, >, 100 * 8);
  g_assert_cmpuint (drawn, <, STORY_DOCUMENT_MAX_VERTICES / 4);

  /* Zoomed in on one area, the others are left out. */
  story_map_view_show_place (map_view, story_document_get_place (document, 55), FALSE);
  settle ();
  g_assert_cmpuint (story_outline_layer_get_n_drawn_points (map_view->outline_layer), <, drawn);
  maybe_screenshot (f, "vertex-limit");
}

/* STORY_DOCUMENT_MAX_PLACES villages on a grid, a hundred to a paragraph. */
static StoryDocument *
villages_at_place_limit (void)
{
  GString *json = g_string_new (NULL);

  g_string_append (json, "{\"type\": \"FeatureCollection\",\n \"story\": {\"title\": \"Villages\", \"paragraphs\": [");
  for (guint p = 0; p < STORY_DOCUMENT_MAX_PLACES / 100; p++)
    {
      g_string_append (json, p ? ",\n\"Here are" : "\"Here are");
      for (guint i = 0; i < 100; i++)
        g_string_append_printf (json, " Place%05u,", p * 100 + i);
      g_string_append (json, " all named.\"");
    }
  g_string_append (json, "]},\n \"features\": [");

  for (guint i = 0; i < STORY_DOCUMENT_MAX_PLACES; i++)
    g_string_append_printf (json, "%s{\"type\": \"Feature\", \"id\": \"p%05u\", \"geometry\": "
                            "{\"type\": \"Point\", \"coordinates\": [%.2f, %.2f]}, "
                            "\"properties\": {\"name\": \"Place%05u\", \"kind\": \"village\"}}",
                            i ? ",\n" : "", i, 20 + (i % 200) * 0.15, 30 + (i / 200) * 0.12, i);

  g_string_append (json, "]}");
  return document_from_string (json);
}

static GtkGesture *
find_click_gesture (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        return GTK_GESTURE (controller);
    }

  g_assert_not_reached ();
}

/* At the place limit the window shows one layer of pins rather than a
 * widget per place; a click on a pin selects its place and the paragraph
 * naming it. */
static void
test_place_limit (Fixture       *f,
                  gconstpointer  data)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (map_view));
  guint n_layers = count_children (map);
  g_autoptr(StoryDocument) document = villages_at_place_limit ();
  StoryPlace *place = story_document_get_place (document, 12345);
  GtkGesture *click;
  double x, y;

  open_document (f, document);
  g_assert_cmpuint (count_children (map), ==, n_layers);
  g_assert_null (gtk_widget_get_first_child (GTK_WIDGET (map_view->marker_layer)));
  g_assert_null (story_map_view_get_marker_button (map_view, place));
  g_assert_cmpuint (story_pin_layer_get_n_places (map_view->pin_layer), ==, STORY_DOCUMENT_MAX_PLACES);
  g_assert_cmpuint (story_pin_layer_get_n_drawn (map_view->pin_layer), >, 0);
  g_assert_cmpuint (count_descendants (GTK_WIDGET (map_view)), <, 200);

  /* Its pin, where the map shows it. */
  story_map_view_show_place (map_view, place, FALSE);
  settle ();
  g_assert_true (story_pin_layer_get_pin_point (map_view->pin_layer, place, &x, &y));
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (map));
  g_assert_cmpfloat (y, >, 0);
  g_assert_cmpfloat (y, <, gtk_widget_get_height (map));
  g_assert_true (story_pin_layer_get_place_at (map_view->pin_layer, x, y) == place);
  /* Only pins take the pointer: between them, the map is dragged. */
  g_assert_true (gtk_widget_pick (map, x, y, GTK_PICK_DEFAULT) == GTK_WIDGET (map_view->pin_layer));
  g_assert_true (gtk_widget_pick (map, x + 60, y + 60, GTK_PICK_DEFAULT) != GTK_WIDGET (map_view->pin_layer));

  /* A click on it, through the layer's own gesture. */
  click = find_click_gesture (GTK_WIDGET (map_view->pin_layer));
  g_signal_emit_by_name (click, "pressed", 1, x, y);
  g_signal_emit_by_name (click, "released", 1, x, y);
  WAIT_FOR (story_selection_get_place (f->selection) == place);
  settle ();
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 12345 / 100 + 1);
  g_assert_true (gtk_widget_has_css_class (story_article_view_get_row (story_window_get_article_view (f->window),
                                                                        12345 / 100 + 1), "current"));
  g_assert_true (story_pin_layer_get_place_at (map_view->pin_layer, x, y) == place);
  maybe_screenshot (f, "place-limit");

  /* A click between pins selects nothing new. */
  g_signal_emit_by_name (click, "pressed", 1, x + 60, y + 60);
  g_signal_emit_by_name (click, "released", 1, x + 60, y + 60);
  settle ();
  g_assert_true (story_selection_get_place (f->selection) == place);
}

/* The place list makes rows for the places on screen only, and finds and
 * selects any place of the twenty thousand. */
static void
test_place_list_at_limit (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(StoryDocument) document = villages_at_place_limit ();
  StoryPlace *last = story_document_get_place (document, STORY_DOCUMENT_MAX_PLACES - 1);
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (story_window_get_article_view (f->window)),
                                              GTK_TYPE_STACK);
  StoryPlaceList *list;
  GtkWidget *row;

  open_document (f, document);
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "places");
  list = STORY_PLACE_LIST (gtk_stack_get_visible_child (GTK_STACK (stack)));
  settle ();
  g_assert_cmpuint (story_place_list_get_n_visible (list), ==, STORY_DOCUMENT_MAX_PLACES);
  g_assert_true (shows_text (GTK_WIDGET (list), "Place00000"));
  /* GtkListView keeps a couple of hundred rows at most. */
  g_assert_cmpuint (count_of_type (GTK_WIDGET (list), GTK_TYPE_LIST_BOX_ROW), <=, 300);

  story_place_list_set_search_text (list, "place19999");
  settle ();
  g_assert_cmpuint (story_place_list_get_n_visible (list), ==, 1);
  row = story_place_list_get_row (list, last);
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  WAIT_FOR (story_selection_get_place (f->selection) == last);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, STORY_DOCUMENT_MAX_PLACES / 100);
  maybe_screenshot (f, "place-list-at-limit");
}

/* The bundled story keeps a marker widget per place. */
static void
test_markers_below_limit (Fixture       *f,
                          gconstpointer  data)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (map_view->pin_layer)));
  for (guint i = 0; i < story_document_get_n_places (f->document); i++)
    g_assert_nonnull (story_map_view_get_marker_button (map_view, story_document_get_place (f->document, i)));
}

int
main (int   argc,
      char *argv[])
{
  story_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/story/map-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("markers-below-limit", test_markers_below_limit);
  ADD ("many-rings", test_many_rings);
  ADD ("vertex-limit", test_vertex_limit);
  ADD ("place-limit", test_place_limit);
  ADD ("place-list-at-limit", test_place_list_at_limit);
#undef ADD

  return story_test_run ();
}
