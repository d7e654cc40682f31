/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "story-map-scale.h"
#include "story-map-view-private.h"
#include "story-offline-map.h"
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

/* Centres the map on @place at @zoom. */
static void
zoom_on (StoryMapView *map_view,
         StoryPlace   *place,
         double        zoom)
{
  double lat, lon;

  story_place_get_anchor (place, &lat, &lon);
  shumate_viewport_set_zoom_level (story_map_view_get_viewport (map_view), zoom);
  shumate_map_center_on (story_map_view_get_map (map_view), lat, lon);
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

  /* Zoomed in on one area, the others are left out. (The built-in map
   * has no detail there, so a flight would not go so deep.) */
  zoom_on (map_view, story_document_get_place (document, 55), 9);
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

  /* Its pin, where the map shows it, close enough to tell pins apart
   * (deeper than a flight goes over the built-in map there). */
  zoom_on (map_view, place, 11);
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
  zoom_on (map_view, place, 11);
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


static double
zoom_level (Fixture *f)
{
  return shumate_viewport_get_zoom_level (story_map_view_get_viewport (story_window_get_map_view (f->window)));
}

/* TRUE if @place's point is on the map. */
static gboolean
place_in_view (Fixture    *f,
               StoryPlace *place)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (map_view));
  double lat, lon, x, y;

  story_place_get_anchor (place, &lat, &lon);
  shumate_viewport_location_to_widget_coords (story_map_view_get_viewport (map_view), map, lat, lon, &x, &y);
  return x >= 0 && x <= gtk_widget_get_width (map) && y >= 0 && y <= gtk_widget_get_height (map);
}

/* Where the middle of the shown button of places off the map that names
 * @name is, across the map view. */
static double
hint_x (StoryMapView *map_view,
        const char   *name)
{
  for (guint d = 0; d < STORY_MAP_VIEW_N_DIRECTIONS; d++)
    {
      GtkWidget *hint = map_view->edge_hints[d];
      graphene_rect_t bounds;

      if (!gtk_widget_get_visible (hint) || strstr (gtk_widget_get_tooltip_text (hint), name) == NULL)
        continue;

      g_assert_true (gtk_widget_compute_bounds (hint, GTK_WIDGET (map_view), &bounds));
      return bounds.origin.x + bounds.size.width / 2;
    }

  g_assert_not_reached ();
}

/* Over the built-in map, a flight goes no deeper than its data: the
 * Caucasus in detail, the rest of the world at country scale. */
static void
test_fly_depth (Fixture       *f,
                gconstpointer  data)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  StoryArticleView *article = story_window_get_article_view (f->window);
  StoryPlace *moscow = story_document_lookup_place (f->document, "moscow");
  StoryPlace *village = story_document_lookup_place (f->document, "nerkin-hand");

  story_map_view_set_online_source (map_view, NULL);

  /* The paragraph that names Moscow alone. */
  story_article_view_activate_paragraph (article, 8);
  settle ();
  g_assert_true (place_in_view (f, moscow));
  g_assert_cmpfloat (zoom_level (f), <=, 6);
  g_assert_cmpfloat (zoom_level (f), >=, 5);
  maybe_screenshot (f, "moscow");

  /* A village, as close as the region's data goes. */
  g_signal_emit_by_name (story_map_view_get_marker_button (map_view, village), "clicked");
  WAIT_FOR (story_selection_get_place (f->selection) == village);
  settle ();
  g_assert_true (place_in_view (f, village));
  g_assert_cmpfloat (zoom_level (f), <=, 10);
  g_assert_cmpfloat (zoom_level (f), >=, 9);
  maybe_screenshot (f, "village");

  /* Baku, to the east, has its button on the right, in a right-to-left
   * language too. */
  story_selection_select_paragraph (f->selection, 1);
  zoom_on (map_view, story_document_lookup_place (f->document, "yerevan"), 9);
  settle ();
  g_assert_cmpfloat (hint_x (map_view, "Baku"), >, gtk_widget_get_width (GTK_WIDGET (map_view)) / 2.0);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  settle ();
  g_assert_cmpfloat (hint_x (map_view, "Baku"), >, gtk_widget_get_width (GTK_WIDGET (map_view)) / 2.0);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  settle ();

  /* And back to the whole story. */
  story_map_view_show_all (map_view, FALSE);
  settle ();
  for (guint i = 0; i < story_document_get_n_places (f->document); i++)
    g_assert_true (place_in_view (f, story_document_get_place (f->document, i)));
  maybe_screenshot (f, "show-all");
}

/* A place off the map has a button at the map's edge that names it and
 * flies to it. */
static void
test_edge_hints (Fixture       *f,
                 gconstpointer  data)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  StoryPlace *moscow = story_document_lookup_place (f->document, "moscow");
  GtkWidget *hint = NULL;
  guint n_shown = 0;

  /* The story opens on the Caucasus; Moscow is far to the north. */
  g_assert_false (place_in_view (f, moscow));
  WAIT_FOR (gtk_widget_get_visible (map_view->edge_hints[0]));
  for (guint d = 0; d < STORY_MAP_VIEW_N_DIRECTIONS; d++)
    if (gtk_widget_get_visible (map_view->edge_hints[d]))
      {
        hint = map_view->edge_hints[d];
        n_shown++;
      }
  g_assert_cmpuint (n_shown, ==, 1);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (hint), ==, "Moscow, off the map to the north");
  maybe_screenshot (f, "edge-hint");

  g_signal_emit_by_name (hint, "clicked");
  settle ();
  g_assert_true (place_in_view (f, moscow));
  WAIT_FOR (!gtk_widget_get_visible (map_view->edge_hints[0]));
}

static gboolean
name_shown (Fixture    *f,
            const char *id)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  StoryPlace *place = story_document_lookup_place (f->document, id);
  GtkWidget *button = story_map_view_get_marker_button (map_view, place);

  return gtk_widget_get_visible (gtk_widget_get_last_child (gtk_button_get_child (GTK_BUTTON (button))));
}

/* The names of the current paragraph's places show, whatever else gives
 * way. */
static void
test_paragraph_names (Fixture       *f,
                      gconstpointer  data)
{
  StoryArticleView *article = story_window_get_article_view (f->window);

  story_map_view_set_online_source (story_window_get_map_view (f->window), NULL);
  story_article_view_activate_paragraph (article, 10);
  settle ();
  gtk_widget_queue_draw (GTK_WIDGET (f->window));
  settle ();
  maybe_screenshot (f, "paragraph-10");
  g_assert_true (name_shown (f, "yerevan"));
  g_assert_true (name_shown (f, "karabakh"));
  g_assert_true (name_shown (f, "moscow"));
}

static void
assert_apart (GtkWidget  *map_view,
              GtkWidget **widgets,
              guint       n)
{
  graphene_rect_t bounds[8];

  for (guint i = 0; i < n; i++)
    {
      g_assert_true (gtk_widget_compute_bounds (widgets[i], map_view, &bounds[i]));
      g_assert_cmpfloat (bounds[i].origin.x, >=, 0);
      g_assert_cmpfloat (bounds[i].origin.x + bounds[i].size.width, <=, gtk_widget_get_width (map_view));
      for (guint j = 0; j < i; j++)
        g_assert_false (graphene_rect_intersection (&bounds[i], &bounds[j], NULL));
    }
}

/* The scale, the credit, the offline notice and the zoom buttons never
 * cover each other, from a wide map down to a phone's width. */
static void
test_controls_apart (void)
{
  static const int widths[] = { 1200, 640, 360 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      GtkWidget *window = gtk_window_new ();
      StoryMapView *map_view = STORY_MAP_VIEW (story_map_view_new ());
      g_autoptr(StoryOfflineMap) base = story_offline_map_new_bundled ();
      GtkWidget *controls[4];

      gtk_window_set_default_size (GTK_WINDOW (window), widths[w], 480);
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (map_view));
      story_map_view_set_base_source (map_view, SHUMATE_MAP_SOURCE (base));
      story_map_view_set_offline (map_view, TRUE);
      gtk_window_present (GTK_WINDOW (window));
      WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (map_view)) == widths[w] &&
                gtk_revealer_get_child_revealed (map_view->offline_revealer));
      settle ();

      controls[0] = map_view->scale;
      controls[1] = GTK_WIDGET (map_view->license);
      controls[2] = GTK_WIDGET (map_view->offline_revealer);
      controls[3] = map_view->zoom_box;
      assert_apart (GTK_WIDGET (map_view), controls, G_N_ELEMENTS (controls));
      if (g_getenv ("STORY_MAP_SCREENSHOTS") != NULL)
        {
          g_autoptr(GdkTexture) texture = story_test_render (GTK_WIDGET (map_view));
          g_autofree char *name = g_strdup_printf ("controls-%d.png", widths[w]);
          g_autofree char *path = g_build_filename (g_getenv ("STORY_MAP_SCREENSHOTS"), name, NULL);

          gdk_texture_save_to_png (texture, path);
        }

      gtk_window_destroy (GTK_WINDOW (window));
      settle ();
    }
}

/* The position of @place's marker among the markers, bottom first. */
static int
marker_index (StoryMapView *map_view,
              StoryPlace   *place)
{
  GtkWidget *marker = gtk_widget_get_parent (story_map_view_get_marker_button (map_view, place));
  int i = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (map_view->marker_layer));
       child != NULL; child = gtk_widget_get_next_sibling (child), i++)
    if (child == marker)
      return i;

  g_assert_not_reached ();
}

/* An area's marker is drawn under every point's pin: Syunik's square
 * never hides Nerkin Hand's pin. */
static void
test_areas_under_points (Fixture       *f,
                         gconstpointer  data)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  StoryPlace *syunik = story_document_lookup_place (f->document, "syunik");
  StoryPlace *karabakh = story_document_lookup_place (f->document, "karabakh");

  for (guint i = 0; i < story_document_get_n_places (f->document); i++)
    {
      StoryPlace *place = story_document_get_place (f->document, i);

      if (place == syunik || place == karabakh)
        continue;
      g_assert_cmpint (marker_index (map_view, place), >, marker_index (map_view, syunik));
      g_assert_cmpint (marker_index (map_view, place), >, marker_index (map_view, karabakh));
    }
}

/* The scale's bars are as long as the lengths written beside them, in
 * the interface's words for the units. */
static void
test_scale (Fixture       *f,
            gconstpointer  data)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  ShumateViewport *viewport = story_map_view_get_viewport (map_view);
  StoryMapScale *scale = STORY_MAP_SCALE (map_view->scale);
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double metres_per_pixel = 40075016.686 * cos (lat * G_PI / 180)
                            / (256 * pow (2, shumate_viewport_get_zoom_level (viewport)));
  int km = 0, mi = 0;

  g_assert_cmpint (sscanf (story_map_scale_get_metric (scale), "%d km", &km), ==, 1);
  g_assert_cmpint (sscanf (story_map_scale_get_imperial (scale), "%d mi", &mi), ==, 1);
  g_assert_cmpfloat (fabs (story_map_scale_get_bar_width (scale, TRUE) - km * 1000 / metres_per_pixel), <=, 1);
  g_assert_cmpfloat (fabs (story_map_scale_get_bar_width (scale, FALSE) - mi * 1609.344 / metres_per_pixel), <=, 1);
  g_assert_cmpint (story_map_scale_get_bar_width (scale, TRUE), <=, 100);

  /* Closer, shorter lengths. */
  shumate_viewport_set_zoom_level (viewport, shumate_viewport_get_zoom_level (viewport) + 3);
  g_assert_cmpint (sscanf (story_map_scale_get_metric (scale), "%d km", &km), ==, 1);
  g_assert_cmpint (km, <, 100);
}

int
main (int   argc,
      char *argv[])
{
  story_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/story/map-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("markers-below-limit", test_markers_below_limit);
  ADD ("many-rings", test_many_rings);
  ADD ("fly-depth", test_fly_depth);
  ADD ("edge-hints", test_edge_hints);
  ADD ("paragraph-names", test_paragraph_names);
  ADD ("areas-under-points", test_areas_under_points);
  ADD ("scale", test_scale);
  g_test_add_func ("/story/map-view/controls-apart", test_controls_apart);
  ADD ("vertex-limit", test_vertex_limit);
  ADD ("place-limit", test_place_limit);
  ADD ("place-list-at-limit", test_place_list_at_limit);
#undef ADD

  return story_test_run ();
}
