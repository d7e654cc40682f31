/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "story-map-view-private.h"
#include "story-offline-map.h"
#include "story-offline-map-layer.h"
#include "story-test-window.h"
#include "story-window-private.h"

/*
 * The real window under Xvfb: what a user sees after clicking a marker,
 * picking a paragraph, following a mention or opening a broken file.
 */

static void
test_startup (Fixture       *f,
              gconstpointer  data)
{
  StoryArticleView *view = story_window_get_article_view (f->window);
  StoryBounds bounds;
  double lat, lon;


  /* Nothing is selected and the map shows the story's view. */
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 0);
  map_centre (f, &lat, &lon);
  story_document_get_view (f->document, &bounds);
  g_assert_true (story_bounds_contains (&bounds, lat, lon));

  /* Focusing the paragraphs (GtkListBox selects a row on focus) moves nothing. */
  gtk_widget_grab_focus (gtk_widget_get_parent (story_article_view_get_row (view, 1)));
  settle ();
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 0);
  map_centre (f, &lat, &lon);
  g_assert_true (story_bounds_contains (&bounds, lat, lon));
}

static void
test_marker_click (Fixture       *f,
                   gconstpointer  data)
{
  StoryArticleView *view = story_window_get_article_view (f->window);

  /* Scroll away first so the jump is visible. */
  gtk_adjustment_set_value (story_article_view_get_vadjustment (view), 0);
  g_signal_emit_by_name (marker (f, "yerevan"), "clicked");
  settle ();

  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 10);
  g_assert_true (gtk_widget_has_css_class (story_article_view_get_row (view, 10), "current"));
  settle ();
      g_assert_true (row_in_view (f, 10));
  g_assert_true (gtk_widget_has_css_class (marker (f, "yerevan"), "selected"));
  maybe_screenshot (f, "marker-click");

  /* Every mention of Yerevan is highlighted, in paragraphs 10 and 11. */
  story_article_view_scroll_to_paragraph (view, 11);
  settle ();
  g_assert_true (row_in_view (f, 11));
  g_assert_nonnull (strstr (pango_layout_get_text (gtk_label_get_layout (story_article_view_get_row_label (view, 11))), "Yerevan"));
  g_assert_nonnull (strstr (gtk_label_get_label (story_article_view_get_row_label (view, 11)), "bgcolor"));
  /* Paragraph 9, just above, does not name Yerevan. */
  g_assert_null (strstr (gtk_label_get_label (story_article_view_get_row_label (view, 9)), "bgcolor"));
}

static void
test_marker_steps (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *button = marker (f, "karabakh");
  StoryPlace *karabakh = story_document_lookup_place (f->document, "karabakh");
  StoryMapView *map_view = story_window_get_map_view (f->window);
  static const guint expected[] = { 9, 10, 11, 9 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      /* Activating a button is what Enter and Space do. */
      gtk_widget_activate (button);
      WAIT_FOR (story_selection_get_paragraph (f->selection) == expected[i]);
      settle ();
      g_assert_true (row_in_view (f, expected[i]));
    }

  /* An area gets its outline when selected. */
  g_assert_true (story_map_view_get_outline_visible (map_view, karabakh));
  maybe_screenshot (f, "outline");
}

static void
test_paragraph_flies_map (Fixture       *f,
                          gconstpointer  data)
{
  StoryArticleView *view = story_window_get_article_view (f->window);
  StoryBounds bounds;
  double lat, lon;

  /* Paragraph 11 names Baku, Karabakh and Yerevan. */
  story_article_view_activate_paragraph (view, 11);
  settle ();
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 11);

  WAIT_FOR (!story_map_view_is_moving (story_window_get_map_view (f->window)));
  story_document_get_paragraph_bounds (f->document, 11, &bounds);
  map_centre (f, &lat, &lon);
  g_assert_true (story_bounds_contains (&bounds, lat, lon));

  g_assert_true (gtk_widget_has_css_class (marker (f, "baku"), "highlighted"));
  g_assert_true (gtk_widget_has_css_class (marker (f, "yerevan"), "highlighted"));
  g_assert_false (gtk_widget_has_css_class (marker (f, "moscow"), "highlighted"));
  maybe_screenshot (f, "paragraph");

  /* Paragraph 2 names no place: the map stays where it is. */
  {
    double lat2, lon2;

    story_article_view_activate_paragraph (view, 2);
    settle ();
    g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 2);
    map_centre (f, &lat2, &lon2);
    g_assert_cmpfloat_with_epsilon (lat2, lat, 1e-6);
    g_assert_cmpfloat_with_epsilon (lon2, lon, 1e-6);
  }
}

/* With animations on, as on a desktop: the map flies, and ends on the
 * paragraph's places. */
static void
test_animated_flight (Fixture       *f,
                      gconstpointer  data)
{
  StoryArticleView *view = story_window_get_article_view (f->window);
  StoryMapView *map_view = story_window_get_map_view (f->window);
  StoryBounds bounds;
  double lat, lon;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);

  gtk_widget_activate (marker (f, "nerkin-hand"));
  WAIT_FOR (story_selection_get_paragraph (f->selection) == 6);
  g_assert_true (story_map_view_is_moving (map_view));

  /* A new pick while the map is still flying takes over. */
  story_article_view_activate_paragraph (view, 11);
  WAIT_FOR (story_selection_get_paragraph (f->selection) == 11);
  WAIT_FOR (!story_map_view_is_moving (map_view));
  settle ();

  story_document_get_paragraph_bounds (f->document, 11, &bounds);
  map_centre (f, &lat, &lon);
  g_assert_true (story_bounds_contains (&bounds, lat, lon));

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

static void
test_mention_link (Fixture       *f,
                   gconstpointer  data)
{
  StoryArticleView *view = story_window_get_article_view (f->window);
  StoryPlace *moscow = story_document_lookup_place (f->document, "moscow");
  g_autofree char *uri = NULL;
  gboolean handled = FALSE;
  double lat, lon, plat, plon;

  for (guint i = 0; i < story_document_get_n_places (f->document); i++)
    if (story_document_get_place (f->document, i) == moscow)
      uri = g_strdup_printf ("place:%u", i);

  /* "Moscow's peacekeeping force" in paragraph 10. */
  story_article_view_scroll_to_paragraph (view, 10);
  settle ();
  g_signal_emit_by_name (story_article_view_get_row_label (view, 10), "activate-link", uri, &handled);
  g_assert_true (handled);
  settle ();

  g_assert_true (story_selection_get_place (f->selection) == moscow);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 10);
  WAIT_FOR (!story_map_view_is_moving (story_window_get_map_view (f->window)));
  map_centre (f, &lat, &lon);
  story_place_get_anchor (moscow, &plat, &plon);
  g_assert_cmpfloat_with_epsilon (lat, plat, 0.01);
  g_assert_cmpfloat_with_epsilon (lon, plon, 0.01);
}

static void
test_keyboard_steps (Fixture       *f,
                     gconstpointer  data)
{
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.previous-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);
  /* The first paragraph is as far back as it goes. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.previous-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);
}

static GtkWidget *
find_error_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (w))
        return w;
    }

  return NULL;
}

static void
test_broken_file (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *dialog;
  const char *body;

  g_assert_true (g_file_set_contents (path, "{\"type\": \"FeatureCollection\",\n \"story\": [", -1, NULL));

  story_window_open (f->window, file);
  WAIT_FOR (!story_window_is_loading (f->window));
  WAIT_FOR ((dialog = find_error_dialog ()) != NULL);

  /* The error names the file and the place in it… */
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, "broken.json:2:"));
  g_assert_nonnull (strstr (body, "error:"));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Could Not Open Story");

  /* …and the story that was open is still there. */
  g_assert_true (story_window_get_document (f->window) == f->document);
  g_assert_cmpuint (story_document_get_n_paragraphs (story_window_get_document (f->window)), ==, 13);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_unlink (path);
  g_rmdir (dir);
}

/* A file name that would turn the message around is shown as it is held:
 * "gpj\u202E.json" does not pass for "…json.jpg". */
static void
test_broken_file_name_reversed (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "story\u202Egpj.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *dialog;
  const char *body;

  g_assert_true (g_file_set_contents (path, "{\"type\": 0x10}", -1, NULL));

  story_window_open (f->window, file);
  WAIT_FOR (!story_window_is_loading (f->window));
  WAIT_FOR ((dialog = find_error_dialog ()) != NULL);

  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, "story\uFFFDgpj.json:1:10: error: Invalid JSON: a number must be decimal, not hexadecimal"));
  g_assert_null (strstr (body, "\u202E"));
  g_assert_true (story_window_get_document (f->window) == f->document);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_unlink (path);
  g_rmdir (dir);
}

/* Asserts that @window, which has no story, shows why @name could not be
 * opened, with the located error in its details, and no dialog. */
static void
assert_open_failed (StoryWindow *window,
                    const char  *name,
                    const char  *located)
{
  const char *description = adw_status_page_get_description (window->error_page);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->content_stack), ==, "error");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->error_page)));
  g_assert_nonnull (strstr (description, name));
  g_assert_null (strstr (description, "error:"));
  g_assert_nonnull (strstr (gtk_label_get_text (window->error_details), located));
  g_assert_null (find_error_dialog ());

  /* Neither the map nor the article shows the bundled story. */
  g_assert_null (story_window_get_document (window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (window->map_view)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (window->article_view)));
}

static void
destroy_window (StoryWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (window == NULL);
}

/* A window with no story of its own whose file fails to open says why in
 * place of the story, and offers the sample story. */
static void
test_broken_file_new_window (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  StoryWindow *window = story_window_new (GTK_APPLICATION (f->app));
  Fixture shot = { .window = window };

  g_assert_true (g_file_set_contents (path, "{\"type\": \"FeatureCollection\",\n \"story\": [", -1, NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  story_window_open (window, file);
  WAIT_FOR (!story_window_is_loading (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window->error_page)));

  assert_open_failed (window, "broken.json", "broken.json:2:");
  g_assert_nonnull (strstr (gtk_label_get_text (window->error_details), "error:"));
  maybe_screenshot (&shot, "open-failed");
  gtk_expander_set_expanded (window->error_expander, TRUE);
  maybe_screenshot (&shot, "open-failed-details");

  /* The sample story takes its place. */
  g_signal_emit_by_name (window->error_sample_button, "clicked");
  WAIT_FOR (story_window_get_document (window) != NULL);
  g_assert_cmpuint (story_document_get_n_paragraphs (story_window_get_document (window)), ==, 13);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->content_stack), ==, "story");
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window->map_view)));

  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* `story-map broken.json good.json`: a window for each, the broken one
 * saying why, the good one with its story. */
static void
test_broken_and_good_files (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.storymap.geojson", NULL);
  g_autofree char *good = g_build_filename (dir, "good.storymap.geojson", NULL);
  GFile *files[2] = { g_file_new_for_path (broken), g_file_new_for_path (good) };
  g_autoptr(GList) before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  StoryWindow *failed = NULL;
  StoryWindow *opened = NULL;

  g_assert_true (g_file_set_contents (broken, "{\n  \"type\": 0x10}", -1, NULL));
  g_assert_true (g_file_set_contents (good,
                                      "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"Mine\", "
                                      "\"paragraphs\": [\"P\"]}, \"features\": []}", -1, NULL));

  g_application_open (G_APPLICATION (f->app), files, 2, "");
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l != NULL; l = l->next)
    if (g_list_find (before, l->data) == NULL)
      {
        StoryWindow *window = l->data;

        WAIT_FOR (!story_window_is_loading (window));
        if (story_window_get_document (window) != NULL)
          opened = window;
        else
          failed = window;
      }

  g_assert_nonnull (failed);
  g_assert_nonnull (opened);
  g_assert_cmpstr (story_document_get_title (story_window_get_document (opened)), ==, "Mine");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (opened->content_stack), ==, "story");
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (failed->error_page)));
  assert_open_failed (failed, "broken.storymap.geojson",
                      "broken.storymap.geojson:2:11: error: Invalid JSON: a number must be decimal, not hexadecimal");

  destroy_window (failed);
  destroy_window (opened);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_object_unref (files[i]);
  g_unlink (broken);
  g_unlink (good);
  g_rmdir (dir);
}

static void
test_unnamed_place (Fixture       *f,
                    gconstpointer  data)
{
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"Quiet\", \"paragraphs\": [\"Nothing here.\"]},\n"
    " \"features\": [{\"type\": \"Feature\", \"id\": \"tbilisi\", \"properties\": {\"name\": \"Tbilisi\", \"kind\": \"city\"},\n"
    "  \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.79, 41.72]}}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(StoryDocument) document = story_document_new_from_bytes (bytes, "quiet.json", NULL);
  StoryMapView *map_view = story_window_get_map_view (f->window);
  StoryPlace *tbilisi = story_document_get_place (document, 0);
  GtkWidget *button;

  story_window_set_document (f->window, document);
  settle ();

  button = story_map_view_get_marker_button (map_view, tbilisi);
  gtk_widget_activate (button);
  WAIT_FOR (story_selection_get_place (f->selection) == tbilisi);

  /* The place is selected, no paragraph is, and the window says why. */
  g_assert_true (story_selection_get_place (f->selection) == tbilisi);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 0);
  WAIT_FOR (shows_text (GTK_WIDGET (f->window), "“Tbilisi” is not named in the text"));
}

/* A region given only as a point still gets its outline, from the map data. */
static void
test_outline_from_basemap (Fixture       *f,
                           gconstpointer  data)
{
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"South\", \"paragraphs\": [\"Fighting in Syunik.\"]},\n"
    " \"features\": [{\"type\": \"Feature\", \"id\": \"syunik\", \"properties\": {\"name\": \"Syunik\", \"kind\": \"region\"},\n"
    "  \"geometry\": {\"type\": \"Point\", \"coordinates\": [46.2, 39.33]}},\n"
    "  {\"type\": \"Feature\", \"id\": \"kapan\", \"properties\": {\"name\": \"Kapan\", \"kind\": \"town\"},\n"
    "  \"geometry\": {\"type\": \"Point\", \"coordinates\": [46.41, 39.21]}}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(StoryDocument) document = story_document_new_from_bytes (bytes, "south.json", NULL);
  StoryMapView *map_view = story_window_get_map_view (f->window);

  story_window_set_document (f->window, document);
  settle ();

  gtk_widget_activate (story_map_view_get_marker_button (map_view, story_document_get_place (document, 0)));
  WAIT_FOR (story_selection_get_place (f->selection) != NULL);
  g_assert_true (story_map_view_get_outline_visible (map_view, story_document_get_place (document, 0)));

  /* A town has no outline to find. */
  gtk_widget_activate (story_map_view_get_marker_button (map_view, story_document_get_place (document, 1)));
  WAIT_FOR (story_selection_get_place (f->selection) == story_document_get_place (document, 1));
  g_assert_false (story_map_view_get_outline_visible (map_view, story_document_get_place (document, 1)));
}

static void
test_marker_accessible (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *button = marker (f, "nerkin-hand");
  GtkTooltip *tooltip;
  gboolean has_tooltip = FALSE;

  g_assert_true (gtk_widget_get_focusable (button));
  g_assert_true (GTK_IS_BUTTON (button));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Nerkin Hand");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Village, named in paragraph 6");

  /* Its tooltip, the place's description, is made when it is shown. */
  g_assert_true (gtk_widget_get_has_tooltip (button));
  tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  g_signal_emit_by_name (button, "query-tooltip", 4, 4, FALSE, tooltip, &has_tooltip);
  g_assert_true (has_tooltip);
  g_object_unref (tooltip);

  /* A keyboard user can reach it. */
  gtk_widget_grab_focus (button);
  settle ();
  g_assert_true (gtk_widget_has_focus (button));
}

static void
test_offline_notice (Fixture       *f,
                     gconstpointer  data)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);

  /* With the tile server unreachable a notice says so, and the markers
   * still work. */
  WAIT_FOR (story_map_view_get_offline (map_view));
  WAIT_FOR (shows_text (GTK_WIDGET (map_view), "Offline — showing the built-in map"));
  gtk_widget_activate (marker (f, "nerkin-hand"));
  WAIT_FOR (story_selection_get_paragraph (f->selection) == 6);
}

static GtkWindow *
shortcuts_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (window))
        return window;
    }

  return NULL;
}

/* As maybe_screenshot(), for another window or a popover. */
static void
maybe_screenshot_widget (GtkWidget  *widget,
                         const char *name)
{
  const char *dir = g_getenv ("STORY_MAP_SCREENSHOTS");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  settle ();
  texture = story_test_render (widget);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_shortcuts_window (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app),
                                                                 "win.show-help-overlay");
  GtkWindow *shortcuts;

  /* Ctrl+? from the menu's item; the window is not built before. */
  g_assert_true (g_strv_contains ((const char * const *)accels, "<Control>question"));
  g_assert_null (shortcuts_window ());

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-help-overlay", NULL));
  settle ();
  shortcuts = shortcuts_window ();
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (f->window));
  g_assert_true (shows_text (GTK_WIDGET (shortcuts), "Open a story"));
  /* Keys are named as on the keyboard, not as X11 spells them. */
  g_assert_true (shows_text (GTK_WIDGET (shortcuts), "Page Up"));
  g_assert_false (shows_text (GTK_WIDGET (shortcuts), "Page_Up"));
  g_assert_true (shows_text (GTK_WIDGET (shortcuts), "Show the whole story"));
  maybe_screenshot_widget (GTK_WIDGET (shortcuts), "shortcuts");

  /* Closed, it hides, and comes back as it was. */
  gtk_window_close (shortcuts);
  settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-help-overlay", NULL));
  settle ();
  g_assert_true (shortcuts_window () == shortcuts);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
}

static GtkMenuButton *
find_primary_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return GTK_MENU_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_primary_menu_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The main menu is made when it first opens, and then kept. */
static void
test_main_menu (Fixture       *f,
                gconstpointer  data)
{
  GtkMenuButton *button = find_primary_menu_button (GTK_WIDGET (f->window));
  GtkPopover *popover;

  g_assert_nonnull (button);
  g_assert_null (gtk_menu_button_get_popover (button));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));

  gtk_menu_button_popup (button);
  settle ();
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_true (shows_text (GTK_WIDGET (popover), "Open Story…"));
  g_assert_true (shows_text (GTK_WIDGET (popover), "Print Handout…"));
  /* Each item shows its own key. */
  g_assert_true (shows_text (GTK_WIDGET (popover), "F5"));

  gtk_menu_button_popdown (button);
  settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gtk_menu_button_popup (button);
  settle ();
  g_assert_true (gtk_menu_button_get_popover (button) == popover);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gtk_menu_button_popdown (button);
  settle ();
}

static StoryOfflineMapLayer *
drawn_ahead_layer (StoryWindow *window)
{
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (story_window_get_map_view (window)));

  for (GtkWidget *child = gtk_widget_get_first_child (map); child; child = gtk_widget_get_next_sibling (child))
    if (STORY_IS_OFFLINE_MAP_LAYER (child))
      return STORY_OFFLINE_MAP_LAYER (child);

  return NULL;
}

typedef struct
{
  StoryWindow *window;
  GdkTexture  *texture;
  guint        n_drawn;
} FirstFrame;

static void
on_first_after_paint (GdkFrameClock *clock,
                      FirstFrame    *first)
{
  if (first->texture == NULL)
    {
      first->texture = story_test_render (GTK_WIDGET (story_window_get_map_view (first->window)));
      first->n_drawn = story_offline_map_layer_get_n_drawn (drawn_ahead_layer (first->window));
    }
}

static void
on_realize (GtkWidget  *widget,
            FirstFrame *first)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (on_first_after_paint), first);
}

/* Of two pictures of the same size, the share of pixels that differ. */
static double
share_differing (GdkTexture *a,
                 GdkTexture *b,
                 int         height)
{
  int width = gdk_texture_get_width (a), stride = width * 4;
  g_autofree guchar *pa = g_malloc (stride * gdk_texture_get_height (a));
  g_autofree guchar *pb = g_malloc (stride * gdk_texture_get_height (b));
  guint n = 0;

  g_assert_cmpint (gdk_texture_get_width (b), ==, width);
  gdk_texture_download (a, pa, stride);
  gdk_texture_download (b, pb, stride);
  for (int i = 0; i < stride * height; i += 4)
    for (int c = 0; c < 3; c++)
      if (ABS (pa[i + c] - pb[i + c]) > 40)
        {
          n++;
          break;
        }

  return n / (double)(width * height);
}

/* The window's very first frame shows the built-in map of the story's
 * view, whole, and as the map shows it once all is loaded. */
static void
test_first_frame_map (void)
{
  FirstFrame first = { NULL };
  g_autoptr(GdkTexture) settled = NULL;
  GtkWidget *window;

  first.window = story_window_new (GTK_APPLICATION (g_application_get_default ()));
  window = GTK_WIDGET (first.window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), &first);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  story_window_open_bundled (first.window);
  gtk_window_present (GTK_WINDOW (window));

  WAIT_FOR (first.texture != NULL);
  g_assert_cmpuint (first.n_drawn, >=, 4);

  /* Later the map's own layer has the tiles: the same picture, but for
   * the offline notice that has come up at the bottom. */
  WAIT_FOR (story_offline_map_get_n_pending (STORY_OFFLINE_MAP (story_map_view_get_base_source (story_window_get_map_view (first.window)))) == 0);
  settle ();
  gtk_widget_queue_draw (window);
  settle ();
  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (window), &first);
  settled = story_test_render (GTK_WIDGET (story_window_get_map_view (first.window)));
  g_assert_cmpuint (story_offline_map_layer_get_n_drawn (drawn_ahead_layer (first.window)), ==, 0);
  g_assert_cmpfloat (share_differing (first.texture, settled, gdk_texture_get_height (settled) * 3 / 4), <, 0.005);

  g_object_unref (first.texture);
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (window == NULL);
}

/* Each marker's pin stands on its place's point, its name after it in the
 * direction of the interface. */
static void
assert_pins_on_points (Fixture  *f,
                       gboolean  rtl,
                       guint     n_in_view)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (map_view));
  ShumateViewport *viewport = story_map_view_get_viewport (map_view);
  guint checked = 0;

  for (guint i = 0; i < story_document_get_n_places (f->document); i++)
    {
      StoryPlace *place = story_document_get_place (f->document, i);
      GtkWidget *button = story_map_view_get_marker_button (map_view, place);
      GtkWidget *pin = gtk_widget_get_first_child (gtk_button_get_child (GTK_BUTTON (button)));
      GtkWidget *label = gtk_widget_get_next_sibling (pin);
      graphene_rect_t pin_bounds, label_bounds;
      double lat, lon, x, y;

      if (!gtk_widget_get_child_visible (gtk_widget_get_parent (button)))
        continue;

      story_place_get_anchor (place, &lat, &lon);
      shumate_viewport_location_to_widget_coords (viewport, map, lat, lon, &x, &y);
      g_assert_true (gtk_widget_compute_bounds (pin, map, &pin_bounds));
      g_assert_true (gtk_widget_compute_bounds (label, map, &label_bounds));

      /* libshumate puts a marker on whole pixels, and a pin of an odd
       * size is centred to one. */
      g_assert_cmpfloat_with_epsilon (pin_bounds.origin.x + pin_bounds.size.width / 2, x, 1.5);
      g_assert_cmpfloat_with_epsilon (pin_bounds.origin.y + pin_bounds.size.height / 2, y, 1.5);
      if (rtl)
        g_assert_cmpfloat (label_bounds.origin.x + label_bounds.size.width, <=, pin_bounds.origin.x);
      else
        g_assert_cmpfloat (label_bounds.origin.x, >=, pin_bounds.origin.x + pin_bounds.size.width);
      checked++;
    }

  g_assert_cmpuint (checked, ==, n_in_view);
}

static void
test_marker_pins (Fixture       *f,
                  gconstpointer  data)
{
  /* Every place but Moscow (the Kremlin) is in the story's view. */
  assert_pins_on_points (f, FALSE, 5);

  /* As in Arabic. */
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  settle ();
  assert_pins_on_points (f, TRUE, 5);

  /* A highlighted pin is larger, and still on its point. */
  g_signal_emit_by_name (marker (f, "baku"), "clicked");
  settle ();
  assert_pins_on_points (f, TRUE, 1);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

/* Markers' names never cover each other; with no place selected, nor a pin
 * apart from their own. */
static void
assert_names_apart (Fixture  *f,
                    gboolean  over_pins)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (map_view));
  guint n = story_document_get_n_places (f->document);
  g_autofree graphene_rect_t *pins = g_new0 (graphene_rect_t, n);
  g_autofree graphene_rect_t *names = g_new0 (graphene_rect_t, n);
  g_autofree gboolean *shown = g_new0 (gboolean, n);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *button = story_map_view_get_marker_button (map_view, story_document_get_place (f->document, i));
      GtkWidget *pin = gtk_widget_get_first_child (gtk_button_get_child (GTK_BUTTON (button)));
      GtkWidget *label = gtk_widget_get_next_sibling (pin);

      /* libshumate leaves a marker out of the view unallocated. */
      if (!gtk_widget_get_child_visible (gtk_widget_get_parent (button)))
        continue;
      g_assert_true (gtk_widget_get_visible (pin));
      g_assert_true (gtk_widget_compute_bounds (pin, map, &pins[i]));
      shown[i] = gtk_widget_get_visible (label);
      if (shown[i])
        g_assert_true (gtk_widget_compute_bounds (label, map, &names[i]));
    }

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        graphene_rect_t meet;

        /* Whole pixels: a pixel of overlap at most. */
        if (i == j || !shown[i])
          continue;
        if (shown[j] && graphene_rect_intersection (&names[i], &names[j], &meet))
          g_assert_cmpfloat (meet.size.width * meet.size.height, <=, MAX (meet.size.width, meet.size.height));
        /* Pins that meet read as one, under one name. */
        if (!over_pins && !graphene_rect_intersection (&pins[i], &pins[j], NULL) &&
            graphene_rect_intersection (&names[i], &pins[j], &meet))
          g_assert_cmpfloat (meet.size.width * meet.size.height, <=, MAX (meet.size.width, meet.size.height));
      }
}

static gboolean
name_shown (Fixture    *f,
            const char *id)
{
  GtkWidget *content = gtk_button_get_child (GTK_BUTTON (marker (f, id)));

  return gtk_widget_get_visible (gtk_widget_get_last_child (content));
}

static void
test_marker_names (Fixture       *f,
                   gconstpointer  data)
{
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"Close\",\n"
    "  \"paragraphs\": [\"Alpha and Delta.\", \"Alpha and Beta.\"]},\n"
    " \"features\": [\n"
    "  {\"type\": \"Feature\", \"id\": \"gamma\", \"properties\": {\"name\": \"Gamma\", \"kind\": \"village\"},\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.505, 39.99]}},\n"
    "  {\"type\": \"Feature\", \"id\": \"beta\", \"properties\": {\"name\": \"Beta\", \"kind\": \"village\"},\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.52, 40.01]}},\n"
    "  {\"type\": \"Feature\", \"id\": \"alpha\", \"properties\": {\"name\": \"Alpha\", \"kind\": \"village\"},\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.5, 40.0]}},\n"
    "  {\"type\": \"Feature\", \"id\": \"delta\", \"properties\": {\"name\": \"Delta\", \"kind\": \"village\"},\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [46.5, 41.2]}}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(StoryDocument) document = story_document_new_from_bytes (bytes, "close.json", NULL);
  ShumateViewport *viewport = story_map_view_get_viewport (story_window_get_map_view (f->window));
  g_autofree char *tooltip = NULL;

  g_assert_nonnull (document);
  story_window_set_document (f->window, document);
  f->document = document;
  settle ();

  /* Three villages a few kilometres apart, seen from afar: the one the
   * story names most keeps its name, the others only their pins. */
  g_assert_true (name_shown (f, "alpha"));
  g_assert_true (name_shown (f, "delta"));
  g_assert_false (name_shown (f, "beta"));
  g_assert_false (name_shown (f, "gamma"));
  assert_names_apart (f, FALSE);

  /* A hidden name is in the marker's tooltip. */
  tooltip = _story_map_view_marker_tooltip (marker (f, "gamma"));
  g_assert_cmpstr (tooltip, ==, "Gamma");
  g_clear_pointer (&tooltip, g_free);
  tooltip = _story_map_view_marker_tooltip (marker (f, "alpha"));
  g_assert_null (tooltip);

  /* Presentation mode makes names larger: they are placed again. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.presentation", NULL);
  settle ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->window), "presentation"));
  g_assert_true (name_shown (f, "alpha"));
  assert_names_apart (f, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.presentation", NULL);
  settle ();

  /* The selected place's name shows, whatever it meets. */
  gtk_widget_activate (marker (f, "beta"));
  WAIT_FOR (story_selection_get_place (f->selection) == story_document_lookup_place (document, "beta"));
  WAIT_FOR (!story_map_view_is_moving (story_window_get_map_view (f->window)));
  settle ();
  g_assert_true (name_shown (f, "beta"));
  assert_names_apart (f, TRUE);

  /* Close enough, every name has room. */
  shumate_viewport_set_zoom_level (viewport, 14);
  settle ();
  g_assert_true (name_shown (f, "alpha"));
  g_assert_true (name_shown (f, "beta"));
  g_assert_true (name_shown (f, "gamma"));
  assert_names_apart (f, TRUE);

  /* Names on the other side, in a right-to-left language. */
  shumate_viewport_set_zoom_level (viewport, 7);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  settle ();
  g_assert_true (name_shown (f, "beta"));
  assert_names_apart (f, TRUE);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

/* Actions, their state and the header bar ------------------------------------ */

static AdwHeaderBar *
header_bar (StoryWindow *window)
{
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  GtkWidget *header = gtk_widget_get_first_child (adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (content)));

  g_assert_true (ADW_IS_HEADER_BAR (header));
  return ADW_HEADER_BAR (header);
}

/* Whether a button for @name in @window's header bar could be pressed:
 * what a button or menu item for the action shows. */
static gboolean
action_enabled (StoryWindow *window,
                const char  *name)
{
  AdwHeaderBar *header = header_bar (window);
  GtkWidget *probe = gtk_button_new ();
  gboolean enabled;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), name);
  adw_header_bar_pack_end (header, probe);
  enabled = gtk_widget_get_sensitive (probe);
  adw_header_bar_remove (header, probe);

  return enabled;
}

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_actions_follow_state (Fixture       *f,
                           gconstpointer  data)
{
  StoryWindow *empty = story_window_new (GTK_APPLICATION (f->app));
  GtkWidget *previous = find_actionable (GTK_WIDGET (header_bar (f->window)), "win.previous-paragraph");
  GtkWidget *next = find_actionable (GTK_WIDGET (header_bar (f->window)), "win.next-paragraph");
  static const char *need_story[] = {
    "win.previous-paragraph", "win.next-paragraph", "win.first-paragraph", "win.last-paragraph",
    "win.show-whole-story", "win.print", "win.export-map", "win.presentation", "win.tour",
  };
  guint last = story_document_get_n_paragraphs (f->document);

  /* With no story there is nothing to step through, show, print or
   * export; a story can still be opened. */
  for (guint i = 0; i < G_N_ELEMENTS (need_story); i++)
    g_assert_false (action_enabled (empty, need_story[i]));
  g_assert_true (action_enabled (empty, "win.open"));
  gtk_window_destroy (GTK_WINDOW (empty));

  /* With a story and nothing selected, both ways lead somewhere. */
  for (guint i = 0; i < G_N_ELEMENTS (need_story); i++)
    g_assert_true (action_enabled (f->window, need_story[i]));
  g_assert_true (gtk_widget_get_sensitive (previous));
  g_assert_true (gtk_widget_get_sensitive (next));

  /* Nothing comes before the first paragraph… */
  story_selection_select_paragraph (f->selection, 1);
  g_assert_false (gtk_widget_get_sensitive (previous));
  g_assert_false (action_enabled (f->window, "win.first-paragraph"));
  g_assert_true (gtk_widget_get_sensitive (next));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.previous-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);

  /* …nor after the last. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.last-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, last);
  g_assert_false (gtk_widget_get_sensitive (next));
  g_assert_false (action_enabled (f->window, "win.last-paragraph"));
  g_assert_true (gtk_widget_get_sensitive (previous));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, last);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.first-paragraph", NULL);
  g_assert_cmpuint (story_selection_get_paragraph (f->selection), ==, 1);

  /* Leaving a presentation is offered only during one. */
  g_assert_false (action_enabled (f->window, "win.leave-presentation"));
  story_window_set_presenting (f->window, TRUE);
  g_assert_true (action_enabled (f->window, "win.leave-presentation"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.leave-presentation", NULL));
  g_assert_false (story_window_get_presenting (f->window));
  g_assert_false (action_enabled (f->window, "win.leave-presentation"));
}

static void
test_tour_button (Fixture       *f,
                  gconstpointer  data)
{
  StoryTour *tour = story_window_get_tour (f->window);
  GtkWidget *button = find_actionable (GTK_WIDGET (header_bar (f->window)), "win.tour");

  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "media-playback-start-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Play Tour");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Play Tour");

  /* Long enough that the tour stays on its first paragraph. */
  story_tour_set_delay (tour, 60000);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.tour", NULL);
  g_assert_true (story_tour_get_playing (tour));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "media-playback-pause-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Pause Tour");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Pause Tour");
  maybe_screenshot (f, "tour-playing");

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.tour", NULL);
  g_assert_false (story_tour_get_playing (tour));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "media-playback-start-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Play Tour");
  story_tour_stop (tour);
}

/* Every button in the header bar has a name a screen reader can say. */
static void
check_names (GtkWidget *widget,
             guint     *n_buttons)
{
  if (GTK_IS_WINDOW_CONTROLS (widget))
    return;

  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("The header bar's button for %s has no accessible name",
                 GTK_IS_ACTIONABLE (widget) ? gtk_actionable_get_action_name (GTK_ACTIONABLE (widget))
                                            : G_OBJECT_TYPE_NAME (widget));
      (*n_buttons)++;
      /* A menu button's own button is what it is named for. */
      if (GTK_IS_MENU_BUTTON (widget))
        return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    check_names (child, n_buttons);
}

static void
test_header_bar_names (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *header = GTK_WIDGET (header_bar (f->window));
  guint n_buttons = 0;

  check_names (header, &n_buttons);
  /* Open, Previous, Next, Show Whole Story, Tour, Present, the menu. */
  g_assert_cmpuint (n_buttons, ==, 7);
  gtk_test_accessible_assert_property (find_actionable (header, "win.open"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Open Story");
  gtk_test_accessible_assert_property (find_actionable (header, "win.next-paragraph"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Next Paragraph");
  gtk_test_accessible_assert_property (find_primary_menu_button (header),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu");
}

/* Whether @place's anchor is inside the map as shown. */
static gboolean
place_in_view (Fixture    *f,
               StoryPlace *place)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (map_view));
  double lat, lon, x, y;

  story_place_get_anchor (place, &lat, &lon);
  shumate_viewport_location_to_widget_coords (story_map_view_get_viewport (map_view), map, lat, lon, &x, &y);

  return x >= 0 && y >= 0 && x <= gtk_widget_get_width (map) && y <= gtk_widget_get_height (map);
}

/* Whether one of @widget's shortcuts is @key with @mods, for @action. */
static gboolean
has_shortcut (GtkWidget       *widget,
              guint            key,
              GdkModifierType  mods,
              const char      *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (c)) && !found; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (c), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *named = gtk_shortcut_get_action (shortcut);

          found = GTK_IS_KEYVAL_TRIGGER (trigger) && GTK_IS_NAMED_ACTION (named) &&
                  gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == key &&
                  gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods &&
                  g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (named)), action);
        }
    }

  return found;
}

static void
test_show_whole_story (Fixture       *f,
                       gconstpointer  data)
{
  StoryMapView *map_view = story_window_get_map_view (f->window);
  guint n_places = story_document_get_n_places (f->document);

  /* Close in on one place: the others are out of sight… */
  story_map_view_show_place (map_view, story_document_lookup_place (f->document, "nerkin-hand"), FALSE);
  WAIT_FOR (!story_map_view_is_moving (map_view));
  settle ();
  g_assert_false (place_in_view (f, story_document_lookup_place (f->document, "moscow")));

  /* …and the whole story brings every one back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-whole-story", NULL));
  settle ();
  WAIT_FOR (!story_map_view_is_moving (map_view));
  for (guint i = 0; i < n_places; i++)
    g_assert_true (place_in_view (f, story_document_get_place (f->document, i)));
  maybe_screenshot (f, "whole-story");

  /* Ctrl+0 does it. */
  g_assert_true (has_shortcut (GTK_WIDGET (f->window), GDK_KEY_0, GDK_CONTROL_MASK, "win.show-whole-story"));
}

/* F6 goes from the reading pane to the map and back, as in GNOME
 * applications; Shift+F6 too. */
static void
test_focus_pane (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *map = GTK_WIDGET (story_window_get_map_view (f->window));
  GtkWidget *article = GTK_WIDGET (story_window_get_article_view (f->window));
  GtkWidget *focus;

  gtk_window_present (GTK_WINDOW (f->window));
  story_article_view_focus (story_window_get_article_view (f->window));
  WAIT_FOR ((focus = gtk_root_get_focus (GTK_ROOT (f->window))) != NULL && gtk_widget_is_ancestor (focus, article));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.focus-pane", NULL));
  WAIT_FOR ((focus = gtk_root_get_focus (GTK_ROOT (f->window))) != NULL && gtk_widget_is_ancestor (focus, map));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.focus-pane", NULL));
  WAIT_FOR ((focus = gtk_root_get_focus (GTK_ROOT (f->window))) != NULL && gtk_widget_is_ancestor (focus, article));

  g_assert_true (has_shortcut (GTK_WIDGET (f->window), GDK_KEY_F6, 0, "win.focus-pane"));
  g_assert_true (has_shortcut (GTK_WIDGET (f->window), GDK_KEY_F6, GDK_SHIFT_MASK, "win.focus-pane"));
}

/* The first section of the main menu: Open Story and, once a story has
 * been opened, Open Recent. */
static GMenuModel *
story_section (Fixture *f)
{
  GtkMenuButton *button = find_primary_menu_button (GTK_WIDGET (f->window));
  GMenuModel *menu;

  gtk_menu_button_popup (button);
  settle ();
  gtk_menu_button_popdown (button);
  menu = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (menu);

  return g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
}

static void
test_open_recent (Fixture       *f,
                  gconstpointer  data)
{
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"Recent\", \"paragraphs\": [\"In Baku.\"]},\n"
    " \"features\": [{\"type\": \"Feature\", \"id\": \"baku\", \"properties\": {\"name\": \"Baku\"},\n"
    "  \"geometry\": {\"type\": \"Point\", \"coordinates\": [49.87, 40.41]}}]}";
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "my_story.storymap.geojson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GMenuModel) section = NULL;
  g_autoptr(GMenuModel) recent = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *label = NULL;
  GtkMenuButton *button = find_primary_menu_button (GTK_WIDGET (f->window));

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  gtk_recent_manager_purge_items (gtk_recent_manager_get_default (), NULL);

  /* With nothing opened yet there is no Open Recent. */
  section = story_section (f);
  WAIT_FOR (g_menu_model_get_n_items (section) == 1);

  story_window_open (f->window, file);
  WAIT_FOR (story_window_get_document (f->window) != f->document);
  g_assert_true (g_file_equal (story_document_get_file (story_window_get_document (f->window)), file));

  /* The story is listed, by its file name, and opens from there. */
  WAIT_FOR (g_menu_model_get_n_items (section) == 2);
  recent = g_menu_model_get_item_link (section, 1, G_MENU_LINK_SUBMENU);
  g_assert_nonnull (recent);
  g_assert_cmpint (g_menu_model_get_n_items (recent), ==, 1);
  g_assert_true (g_menu_model_get_item_attribute (recent, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "my__story.storymap.geojson");
  target = g_menu_model_get_item_attribute_value (recent, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, uri);

  gtk_menu_button_popup (button);
  settle ();
  g_assert_true (shows_text (GTK_WIDGET (gtk_menu_button_get_popover (button)), "Open Recent"));
  maybe_screenshot_widget (GTK_WIDGET (gtk_menu_button_get_popover (button)), "open-recent");
  gtk_menu_button_popdown (button);

  story_window_open_bundled (f->window);
  g_assert_false (g_file_equal (story_document_get_file (story_window_get_document (f->window)), file));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-recent", "s", uri));
  WAIT_FOR (g_file_equal (story_document_get_file (story_window_get_document (f->window)), file));

  gtk_recent_manager_purge_items (gtk_recent_manager_get_default (), NULL);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("story-map-data-XXXXXX", NULL);
  int status;

  /* The recent files list is the test's own. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  story_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/story/window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("startup", test_startup);
  ADD ("marker-click", test_marker_click);
  ADD ("marker-steps", test_marker_steps);
  ADD ("paragraph-flies-map", test_paragraph_flies_map);
  ADD ("mention-link", test_mention_link);
  ADD ("animated-flight", test_animated_flight);
  ADD ("keyboard-steps", test_keyboard_steps);
  ADD ("broken-file", test_broken_file);
  ADD ("broken-file-name-reversed", test_broken_file_name_reversed);
  ADD ("broken-file-new-window", test_broken_file_new_window);
  ADD ("broken-and-good-files", test_broken_and_good_files);
  ADD ("unnamed-place", test_unnamed_place);
  ADD ("marker-accessible", test_marker_accessible);
  ADD ("marker-pins", test_marker_pins);
  ADD ("marker-names", test_marker_names);
  ADD ("outline-from-basemap", test_outline_from_basemap);
  ADD ("offline-notice", test_offline_notice);
  ADD ("shortcuts-window", test_shortcuts_window);
  ADD ("main-menu", test_main_menu);
  ADD ("actions-follow-state", test_actions_follow_state);
  ADD ("tour-button", test_tour_button);
  ADD ("header-bar-names", test_header_bar_names);
  ADD ("show-whole-story", test_show_whole_story);
  ADD ("focus-pane", test_focus_pane);
  ADD ("open-recent", test_open_recent);
  g_test_add_func ("/story/window/first-frame-map", test_first_frame_map);
#undef ADD

  status = story_test_run ();

  {
    g_autofree char *recent = g_build_filename (data_home, "recently-used.xbel", NULL);

    g_unlink (recent);
    g_rmdir (data_home);
  }

  return status;
}
