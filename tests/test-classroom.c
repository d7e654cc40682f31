/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "story-place-list.h"
#include "story-print.h"
#include "story-test-window.h"
#include "story-window-private.h"

/*
 * What a teacher and a curious reader use: presentation mode, the guided
 * tour, place details, the place list, the printed handout and the
 * exported map.
 */

static void
press_key (Fixture *f,
           guint    keyval)
{
  /* Shortcut triggers are matched on key events; activating the same
   * named callbacks through the controller is what a key press does. */
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);
      GListModel *shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (c) ||
          gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_NONE)
        continue;

      shortcuts = G_LIST_MODEL (c);
      for (guint j = 0; j < g_list_model_get_n_items (shortcuts) && !handled; j++)
        {
          g_autoptr(GtkShortcut) s = g_list_model_get_item (shortcuts, j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (s);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            handled = gtk_shortcut_action_activate (gtk_shortcut_get_action (s), 0,
                                                    GTK_WIDGET (f->window),
                                                    gtk_shortcut_get_arguments (s));
        }
    }

  g_object_unref (controllers);
  settle ();
}

static void
test_presentation (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  GtkWidget *header;

  gtk_widget_activate_action (window, "win.presentation", NULL);
  settle ();
  g_assert_true (story_window_get_presenting (f->window));
  g_assert_true (gtk_widget_has_css_class (window, "presentation"));
  /* The header bar is hidden. (Xvfb has no window manager to make the
   * window fullscreen, so that is not checked.) */
  header = gtk_widget_get_first_child (adw_toast_overlay_get_child (
             ADW_TOAST_OVERLAY (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)))));
  g_assert_true (ADW_IS_HEADER_BAR (header));
  g_assert_false (gtk_widget_get_visible (header));
  g_assert_false (story_map_view_get_controls_visible (story_window_get_map_view (f->window)));

  /* A presenter's clicker sends Page Down and Page Up. */
  press_key (f, GDK_KEY_Page_Down);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);
  press_key (f, GDK_KEY_Right);
  press_key (f, GDK_KEY_space);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 3);
  press_key (f, GDK_KEY_Left);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 2);
  press_key (f, GDK_KEY_End);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 13);
  press_key (f, GDK_KEY_Home);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);
  press_key (f, GDK_KEY_Page_Down);
  press_key (f, GDK_KEY_Page_Down);
  press_key (f, GDK_KEY_Page_Down);
  press_key (f, GDK_KEY_Page_Down);
  press_key (f, GDK_KEY_Page_Down);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 6);
  maybe_screenshot (f, "presentation");

  /* Escape leaves, and the window comes back as it was. */
  press_key (f, GDK_KEY_Escape);
  g_assert_false (story_window_get_presenting (f->window));
  g_assert_false (gtk_widget_has_css_class (window, "presentation"));
  g_assert_true (gtk_widget_get_visible (header));
  g_assert_true (story_map_view_get_controls_visible (story_window_get_map_view (f->window)));

  /* Outside a presentation the arrow keys belong to the focused widget. */
  press_key (f, GDK_KEY_Right);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 6);
}

/* The first widget under @root that has the style class @name. */
static GtkWidget *
find_by_class (GtkWidget  *root,
               const char *name)
{
  if (gtk_widget_has_css_class (root, name))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_class (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The first button under @root whose tooltip is @tooltip. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *tooltip)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, tooltip);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A story of three paragraphs: one long, one far too long for a screen,
 * one short; each ends in a word of its own. */
static StoryDocument *
long_story (void)
{
  g_autoptr(GString) json = g_string_new ("{\"type\": \"FeatureCollection\", \"story\": {"
                                          "\"title\": \"Long\", \"paragraphs\": [\"");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  StoryDocument *document;

  for (int i = 0; i < 16; i++)
    g_string_append (json, "Several words of a paragraph ");
  g_string_append (json, "ENDONE\", \"");
  for (int i = 0; i < 700; i++)
    g_string_append (json, "Several words of a paragraph ");
  g_string_append (json, "ENDTWO\", \"Short ENDTHREE\"]}, \"features\": [{\"type\": \"Feature\", "
                   "\"id\": \"a\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.5, 40.2]}, "
                   "\"properties\": {\"name\": \"Yerevan\"}}]}");

  bytes = g_string_free_to_bytes (g_steal_pointer (&json));
  document = story_document_new_from_bytes (bytes, "long.storymap.geojson", &error);
  g_assert_no_error (error);
  return document;
}

/* Where the paragraph's label ends, inside its scrolled page; and that
 * every line of its text is inside the label. */
static double
text_bottom (GtkWidget *label)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (label, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  graphene_rect_t bounds;
  int layout_width, layout_height;

  pango_layout_get_pixel_size (gtk_label_get_layout (GTK_LABEL (label)), &layout_width, &layout_height);
  g_assert_cmpint (layout_height, <=, gtk_widget_get_height (label));
  g_assert_true (gtk_widget_compute_bounds (label, content, &bounds));

  return bounds.origin.y + bounds.size.height;
}

static void
test_presentation_fits (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(StoryDocument) document = long_story ();
  GtkWidget *window = GTK_WIDGET (f->window);
  GtkWidget *label, *scroller;
  GtkAdjustment *vadj;

  /* A mapped window keeps its size: shown again, it takes the new one. */
  gtk_widget_set_visible (window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))) == 1024 &&
            gdk_surface_get_height (gtk_native_get_surface (GTK_NATIVE (window))) == 768);
  story_window_set_document (f->window, document);
  gtk_widget_activate_action (window, "win.presentation", NULL);
  story_selection_select_paragraph (f->selection, 1);
  settle ();

  label = find_by_class (window, "story-presentation-text");
  g_assert_nonnull (label);
  scroller = gtk_widget_get_ancestor (label, GTK_TYPE_SCROLLED_WINDOW);
  vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  /* A long paragraph, longer than any of the bundled story's, is set
   * smaller, whole and on the screen. */
  g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (label)), "ENDONE"));
  WAIT_FOR (text_bottom (label) <= gtk_adjustment_get_page_size (vadj) + 0.5);
  maybe_screenshot (f, "presentation-long");

  /* One too long for the screen even so scrolls, every word in reach. */
  press_key (f, GDK_KEY_Right);
  g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (label)), "ENDTWO"));
  WAIT_FOR (text_bottom (label) <= gtk_adjustment_get_upper (vadj) + 0.5 &&
            gtk_adjustment_get_upper (vadj) > gtk_adjustment_get_page_size (vadj));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), ==, 0);

  /* A short one fits as it is. */
  press_key (f, GDK_KEY_Right);
  WAIT_FOR (gtk_adjustment_get_upper (vadj) <= gtk_adjustment_get_page_size (vadj));

  story_window_set_presenting (f->window, FALSE);
}

static GtkEventController *
motion_controller (GtkWidget *widget)
{
  GListModel *controllers = gtk_widget_observe_controllers (widget);
  GtkEventController *motion = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && motion == NULL; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (c))
        motion = c;
    }
  g_object_unref (controllers);

  return motion;
}

static void
test_presentation_toolbar (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  StoryMapView *map_view = story_window_get_map_view (f->window);
  GtkWidget *bar, *previous, *next, *leave;
  GtkRevealer *toolbar;
  GtkEventController *motion;

  gtk_widget_activate_action (window, "win.presentation", NULL);
  settle ();
  /* The map's notices are the presenter's business, not the audience's. */
  g_assert_false (story_map_view_get_notice_visible (map_view));

  bar = find_by_class (window, "story-presentation-toolbar");
  g_assert_nonnull (bar);
  previous = find_button (bar, "Previous Paragraph");
  next = find_button (bar, "Next Paragraph");
  leave = find_button (bar, "Leave Presentation");
  g_assert_nonnull (previous);
  g_assert_nonnull (next);
  g_assert_nonnull (leave);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (next), GTK_ACCESSIBLE_PROPERTY_LABEL, "Next Paragraph");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (leave), GTK_ACCESSIBLE_PROPERTY_LABEL, "Leave Presentation");
  toolbar = GTK_REVEALER (gtk_widget_get_ancestor (next, GTK_TYPE_REVEALER));
  g_assert_false (gtk_revealer_get_reveal_child (toolbar));

  /* The pointer moves: the toolbar shows, and steps and leaves. */
  motion = motion_controller (window);
  g_assert_nonnull (motion);
  g_signal_emit_by_name (motion, "motion", 200.0, 200.0);
  g_assert_true (gtk_revealer_get_reveal_child (toolbar));
  WAIT_FOR (gtk_widget_get_mapped (next));
  maybe_screenshot (f, "presentation-toolbar");

  story_selection_select_paragraph (f->selection, 4);
  g_signal_emit_by_name (next, "clicked");
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 5);
  g_signal_emit_by_name (previous, "clicked");
  g_signal_emit_by_name (previous, "clicked");
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 3);

  /* Left alone, it hides again. */
  WAIT_FOR (!gtk_revealer_get_reveal_child (toolbar));

  g_signal_emit_by_name (motion, "motion", 300.0, 220.0);
  g_assert_true (gtk_revealer_get_reveal_child (toolbar));
  g_signal_emit_by_name (leave, "clicked");
  g_assert_false (story_window_get_presenting (f->window));
  g_assert_false (gtk_revealer_get_reveal_child (toolbar));
  g_assert_true (story_map_view_get_notice_visible (map_view));

  /* Outside a presentation, moving the pointer shows nothing. */
  g_signal_emit_by_name (motion, "motion", 100.0, 100.0);
  g_assert_false (gtk_revealer_get_reveal_child (toolbar));
}

static void
test_tour (Fixture       *f,
           gconstpointer  data)
{
  StoryTour *tour = story_window_get_tour (f->window);
  GtkWidget *map = GTK_WIDGET (story_window_get_map_view (f->window));
  GtkGesture *gesture = NULL;
  GListModel *controllers;

  story_tour_set_delay (tour, 150);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.tour", NULL);
  g_assert_true (story_tour_get_playing (tour));
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);
  WAIT_FOR (story_selection_get_paragraph (f->selection) == 3);

  /* Touching the map pauses the tour where it is. */
  controllers = gtk_widget_observe_controllers (map);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && gesture == NULL; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (c) && gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_CAPTURE)
        gesture = GTK_GESTURE (c);
    }
  g_object_unref (controllers);
  g_assert_nonnull (gesture);
  g_signal_emit_by_name (gesture, "pressed", 1, 100.0, 100.0);

  g_assert_false (story_tour_get_playing (tour));
  {
    guint held = story_selection_get_paragraph (f->selection);

    settle ();
    g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, held);

    /* Space resumes it. */
    press_key (f, GDK_KEY_space);
    g_assert_true (story_tour_get_playing (tour));
    WAIT_FOR (story_selection_get_paragraph (f->selection) == held + 1);
  }

  story_tour_stop (tour);
}

static void
test_place_details (Fixture       *f,
                    gconstpointer  data)
{
  StoryPlaceDetails *details = story_map_view_get_place_details (story_window_get_map_view (f->window));

  g_assert_null (story_place_details_get_place (details));

  gtk_widget_activate (marker (f, "yerevan"));
  WAIT_FOR (story_place_details_get_place (details) != NULL);
  g_assert_cmpstr (story_place_details_get_text (details, "name"), ==, "Yerevan");
  g_assert_cmpstr (story_place_details_get_text (details, "kind"), ==, "City");
  g_assert_cmpstr (story_place_details_get_text (details, "decimal"), ==, "40.18110, 44.51360");
  {
    /* The coordinates may be set apart with direction controls, which
     * show nothing. */
    g_autoptr(GRegex) controls = g_regex_new ("[\u200E\u200F\u2066-\u2069]", 0, 0, NULL);
    g_autofree char *dms = g_regex_replace_literal (controls, story_place_details_get_text (details, "dms"),
                                                    -1, 0, "", 0, NULL);

    g_assert_cmpstr (dms, ==, "40°10′52″ N, 44°30′49″ E");
  }
  g_assert_cmpstr (story_place_details_get_text (details, "paragraphs"), ==, "Named in paragraphs 10, 11");
  /* Each name set apart from the text around it, as Arabic ones need, in
   * a list that runs left to right as the interface does. */
  g_assert_true (g_str_has_prefix (story_place_details_get_text (details, "names"), "\u200E"));
  g_assert_nonnull (strstr (story_place_details_get_text (details, "names"), "\u2068Երևան\u2069 (hy)"));
  g_assert_nonnull (strstr (story_place_details_get_text (details, "names"), "\u2068İrəvan\u2069 (az)"));
  g_assert_null (story_place_details_get_text (details, "route"));

  /* From the place selected before: Yerevan → Baku, 457 km east. */
  gtk_widget_activate (marker (f, "baku"));
  WAIT_FOR (story_place_details_get_place (details) == story_document_lookup_place (f->document, "baku"));
  g_assert_cmpstr (story_place_details_get_text (details, "route"), ==, "Yerevan → Baku: 457 km east");
  g_assert_nonnull (strstr (story_place_details_get_text (details, "description"), "Capital of Azerbaijan"));
  g_assert_nonnull (strstr (story_place_details_get_text (details, "names"), "\u2068باكو\u2069 (ar)"));
  maybe_screenshot (f, "place-details");
}

static void
test_place_list (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *list = NULL;
  StoryPlace *baku = story_document_lookup_place (f->document, "baku");
  g_autofree char *subtitle = story_place_list_describe (baku);
  GtkWidget *row;

  /* The list is a page beside the article. */
  list = gtk_widget_get_ancestor (GTK_WIDGET (story_window_get_article_view (f->window)), GTK_TYPE_STACK);
  gtk_stack_set_visible_child_name (GTK_STACK (list), "places");
  list = gtk_stack_get_visible_child (GTK_STACK (list));
  g_assert_true (STORY_IS_PLACE_LIST (list));

  /* Its rows are made when it is first shown. */
  settle ();
  g_assert_true (shows_text (list, "Nerkin Hand"));
  g_assert_true (shows_text (list, "Dateline and paragraph 11"));

  g_assert_cmpstr (subtitle, ==, "Dateline and paragraph 11");
  g_assert_cmpuint (story_place_list_get_n_visible (STORY_PLACE_LIST (list)), ==, 6);

  /* Searching finds aliases too: "Siunik" is Syunik. */
  story_place_list_set_search_text (STORY_PLACE_LIST (list), "siun");
  settle ();
  g_assert_cmpuint (story_place_list_get_n_visible (STORY_PLACE_LIST (list)), ==, 1);
  story_place_list_set_search_text (STORY_PLACE_LIST (list), "");

  /* A screen reader reads the place and where the text names it. */
  row = story_place_list_get_row (STORY_PLACE_LIST (list), baku);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, "Baku");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Dateline and paragraph 11");
  g_assert_true (gtk_widget_get_focusable (row));

  /* Activating a row is a marker click. */
  gtk_widget_activate (row);
  WAIT_FOR (story_selection_get_place (f->selection) == baku);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 11);
  g_assert_true (gtk_widget_has_css_class (row, "current"));

  /* A story opened while the list is hidden: searching it finds its places. */
  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_parent (list)), "article");
  settle ();
  story_window_open_bundled (f->window);
  story_place_list_set_search_text (STORY_PLACE_LIST (list), "siun");
  settle ();
  g_assert_cmpuint (story_place_list_get_n_visible (STORY_PLACE_LIST (list)), ==, 1);
  story_place_list_set_search_text (STORY_PLACE_LIST (list), "");
}

static char *
run_pdftotext (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error))
    return NULL;

  return g_steal_pointer (&out);
}

/* Collapses white space and drops the "[n]" place numbers. */
static char *
plain (const char *text)
{
  g_autoptr(GRegex) numbers = g_regex_new ("\\s*\\[[0-9]+\\]", 0, 0, NULL);
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *a = g_regex_replace_literal (numbers, text, -1, 0, "", 0, NULL);

  return g_regex_replace_literal (spaces, a, -1, 0, " ", 0, NULL);
}

static void
test_print_pdf (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "handout.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  GtkPrintOperationResult result;

  result = story_print_handout (GTK_WINDOW (f->window), f->document, story_window_get_map_view (f->window),
                                GTK_PRINT_OPERATION_ACTION_EXPORT, pdf, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));

  text = run_pdftotext (pdf);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }

  flat = plain (text);
  for (guint p = 1; p <= story_document_get_n_paragraphs (f->document); p++)
    {
      g_autofree char *para = plain (story_document_get_paragraph (f->document, p));

      if (strstr (flat, para) == NULL)
        g_error ("Paragraph %u is not in the handout:\n%s", p, para);
    }

  /* The place references are numbered to match the map. */
  g_assert_nonnull (strstr (text, "Nerkin Hand[1]"));
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_export_png (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (story_window_get_map_view (f->window)));
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "map.png", NULL);
  g_autoptr(GError) error = NULL;

  for (int scale = 1; scale <= 2; scale++)
    {
      g_autoptr(GdkTexture) texture = NULL;

      story_map_view_export_png (story_window_get_map_view (f->window), path, scale, &error);
      g_assert_no_error (error);
      texture = gdk_texture_new_from_filename (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (map) * scale);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, gtk_widget_get_height (map) * scale);
    }

  /* A folder that does not exist gives an error, not a crash. */
  g_assert_false (story_map_view_export_png (story_window_get_map_view (f->window),
                                             "/nonexistent/dir/map.png", 1, &error));
  g_assert_nonnull (error);

  /* Exported from the window, the map is said to be, with a way to it. */
  g_assert_true (_story_window_export_map (f->window, path, 1));
  WAIT_FOR (shows_text (GTK_WIDGET (f->window), "Map exported"));
  maybe_screenshot (f, "export-toast");

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_accessibility (Fixture       *f,
                    gconstpointer  data)
{
  StoryArticleView *view = story_window_get_article_view (f->window);
  GtkWidget *row;

  story_article_view_activate_paragraph (view, 6);
  WAIT_FOR (story_selection_get_paragraph (f->selection) == 6);
  settle ();
  row = story_article_view_get_row (view, 6);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, "Paragraph 6");
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED, TRUE);

  gtk_widget_activate (marker (f, "baku"));
  WAIT_FOR (story_selection_get_place (f->selection) != NULL);
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (marker (f, "baku")), GTK_ACCESSIBLE_STATE_PRESSED,
                                    GTK_ACCESSIBLE_TRISTATE_TRUE);
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (marker (f, "yerevan")), GTK_ACCESSIBLE_STATE_PRESSED,
                                    GTK_ACCESSIBLE_TRISTATE_FALSE);
}

int
main (int   argc,
      char *argv[])
{
  story_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/story/classroom/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("presentation", test_presentation);
  ADD ("presentation-fits", test_presentation_fits);
  ADD ("presentation-toolbar", test_presentation_toolbar);
  ADD ("tour", test_tour);
  ADD ("place-details", test_place_details);
  ADD ("place-list", test_place_list);
  ADD ("print-pdf", test_print_pdf);
  ADD ("export-png", test_export_png);
  ADD ("accessibility", test_accessibility);
#undef ADD

  return story_test_run ();
}
