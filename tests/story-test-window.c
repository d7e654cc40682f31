/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "story-offline-map.h"
#include "story-test-window.h"

#undef settle

static StoryApplication *app;

void
story_test_settle (void)
{
  gint64 end = g_get_monotonic_time () + 200 * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* With STORY_MAP_SCREENSHOTS=DIR set, saves the window as DIR/NAME.png:
 * build-aux/screenshot.sh uses this for the pictures in docs/. */
/* Returns: (transfer full): @widget as its window shows it now */
GdkTexture *
story_test_render (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));

  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

void
maybe_screenshot (Fixture    *f,
                  const char *name)
{
  const char *dir = g_getenv ("STORY_MAP_SCREENSHOTS");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  story_test_settle ();
  gtk_widget_queue_draw (GTK_WIDGET (f->window));
  story_test_settle ();
  texture = story_test_render (GTK_WIDGET (f->window));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->app = app;
  f->window = story_window_new (GTK_APPLICATION (f->app));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 760);
  story_window_open_bundled (f->window);
  gtk_window_present (GTK_WINDOW (f->window));

  WAIT_FOR (story_window_get_document (f->window) != NULL);
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (story_window_get_map_view (f->window))) > 100);
  story_test_settle ();

  f->selection = story_window_get_selection (f->window);
  f->document = story_window_get_document (f->window);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (f->window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  WAIT_FOR (window == NULL);
}

GtkWidget *
marker (Fixture    *f,
        const char *id)
{
  StoryPlace *place = story_document_lookup_place (f->document, id);
  GtkWidget *button;

  g_assert_nonnull (place);
  button = story_map_view_get_marker_button (story_window_get_map_view (f->window), place);
  g_assert_nonnull (button);
  return button;
}

/* TRUE if the paragraph's row lies fully inside the article's viewport. */
gboolean
row_in_view (Fixture *f,
             guint    paragraph)
{
  StoryArticleView *view = story_window_get_article_view (f->window);
  GtkWidget *row = story_article_view_get_row (view, paragraph);
  GtkAdjustment *adj = story_article_view_get_vadjustment (view);
  graphene_rect_t bounds;
  GtkWidget *scroller = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);

  if (!gtk_widget_compute_bounds (row, scroller, &bounds))
    return FALSE;

  return bounds.origin.y >= -0.5 &&
         bounds.origin.y + bounds.size.height <= gtk_adjustment_get_page_size (adj) + 0.5;
}

void
map_centre (Fixture *f,
            double  *lat,
            double  *lon)
{
  ShumateViewport *viewport = story_map_view_get_viewport (story_window_get_map_view (f->window));

  *lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  *lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
}

/* One application for the whole run: a second registration on the same
 * bus would clash with the first. */
void
story_test_init (int    *argc,
                 char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();

  /* Moves happen at once, so positions can be checked straight away. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = story_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  /* Nothing listens on the discard port: the map must cope offline. */
  story_application_set_tile_url (app, "http://127.0.0.1:9/{z}/{x}/{y}.png");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
}

int
story_test_run (void)
{
  int status = g_test_run ();

  /* As the application does when it shuts down. */
  story_offline_map_stop_drawing ();
  g_object_unref (app);
  return status;
}

/* TRUE if a mapped label under @root shows exactly @text. */
gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  if (!gtk_widget_get_mapped (root))
    return FALSE;

  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}
