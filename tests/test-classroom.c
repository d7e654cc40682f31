/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "story-place-list.h"
#include "story-print.h"
#include "story-test-window.h"

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
  g_assert_cmpstr (story_place_details_get_text (details, "dms"), ==, "40°10′52″ N, 44°30′49″ E");
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
  ADD ("tour", test_tour);
  ADD ("place-details", test_place_details);
  ADD ("place-list", test_place_list);
  ADD ("print-pdf", test_print_pdf);
  ADD ("export-png", test_export_png);
  ADD ("accessibility", test_accessibility);
#undef ADD

  return story_test_run ();
}
