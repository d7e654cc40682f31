/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "story-print.h"
#include "story-test-window.h"

/*
 * The handout and the exported map: the badges, the map's credit, and
 * `story-map --print-to-pdf` and `--export-png` run as a teacher scripts
 * them, the real program under the test's display.
 */

typedef struct
{
  char     *err;
  int       status;
  gboolean  done;
} Run;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                                       NULL, &run->err, &error));
  g_assert_no_error (error);
  run->done = TRUE;
}

/* Runs the program with @argv (NULL-terminated, after the program's name)
 * and waits for it, failing after a bound. */
static Run
run_program (const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { NULL, -1, FALSE };
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_assert_nonnull (g_getenv ("STORY_MAP_BINARY"));
  g_strv_builder_add (builder, g_getenv ("STORY_MAP_BINARY"));
  g_strv_builder_addv (builder, (const char **)args);
  argv = g_strv_builder_end (builder);

  process = g_subprocess_newv ((const char * const *)argv,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &run);
  while (!run.done)
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () > end)
        {
          g_subprocess_force_exit (process);
          g_error ("story-map %s did not finish within 60 s", args[0]);
        }
    }

  g_assert_true (g_subprocess_wait (process, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (process));
  run.status = g_subprocess_get_exit_status (process);
  return run;
}

/* Badges side by side on a map (grey here): nothing is drawn between
 * them. */
static void
test_badges_apart (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 120, 60);
  cairo_t *cr = cairo_create (surface);
  guint32 *pixels;
  int stride;

  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  cairo_paint (cr);
  story_print_draw_badge (cr, 20, 46, "1");
  story_print_draw_badge (cr, 100, 46, "2");
  story_print_draw_badge (cr, 60, 56, "3");
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  pixels = (guint32 *)cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;
  /* The discs are drawn... */
  g_assert_cmphex (pixels[24 * stride + 14] & 0xffffff, !=, 0x808080);
  g_assert_cmphex (pixels[24 * stride + 94] & 0xffffff, !=, 0x808080);
  /* ...and the space between them, along the line the discs' centres
   * and their numbers make, stays blank. */
  for (int x = 32; x <= 88; x++)
    for (int y = 20; y <= 34; y++)
      if ((x < 48 || x > 72) || y < 26)
        g_assert_cmphex (pixels[y * stride + x] & 0xffffff, ==, 0x808080);

  cairo_surface_destroy (surface);
}

/* The exported map carries the map's credit. */
static void
test_credit (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *credit = story_map_view_dup_credit (story_window_get_map_view (f->window));

  g_assert_nonnull (credit);
  g_assert_nonnull (strstr (credit, "© OpenStreetMap contributors"));
  g_assert_nonnull (strstr (credit, "Natural Earth"));
}

static char *
run_pdftotext (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  g_autofree char *out = NULL;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, NULL, NULL))
    return NULL;

  return g_steal_pointer (&out);
}

static void
test_print_to_pdf (void)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-print-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "handout.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *bad = g_build_filename (dir, "no-such-folder", "handout.pdf", NULL);
  Run run;

  run = run_program ((const char *[]) { "--print-to-pdf", pdf, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_free (run.err);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  text = run_pdftotext (pdf);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      g_unlink (pdf);
      g_rmdir (dir);
      return;
    }

  /* The title, then the dateline, date and source as the article shows
   * them, and the map's credit. */
  g_assert_nonnull (strstr (text, "Azerbaijan’s retaliatory fire kills 4 Armenian soldiers"));
  g_assert_nonnull (strstr (text, "BAKU · 13 February 2024 · News report"));
  g_assert_nonnull (strstr (text, "OpenStreetMap contributors"));
  /* The legend lists the places on the map, numbered as in the text; the
   * Kremlin is far off the map of the South Caucasus, so Moscow is not
   * listed, nor numbered in the text. */
  g_assert_nonnull (strstr (text, "1 Nerkin Hand"));
  g_assert_nonnull (strstr (text, "2 Syunik"));
  g_assert_nonnull (strstr (text, "3 Karabakh"));
  g_assert_nonnull (strstr (text, "4 Baku"));
  g_assert_nonnull (strstr (text, "5 Yerevan"));
  g_assert_null (strstr (text, "6 Moscow"));
  g_assert_null (strstr (text, "[6]"));
  g_assert_nonnull (strstr (text, "Nerkin Hand[1]"));

  /* A file that cannot be written is an error, said. */
  run = run_program ((const char *[]) { "--print-to-pdf", bad, NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no-such-folder"));
  g_free (run.err);

  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_export_png (void)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-print-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "map.png", NULL);
  int width[3] = { 0 }, height[3] = { 0 };
  Run run;

  for (int scale = 1; scale <= 2; scale++)
    {
      g_autofree char *arg = g_strdup_printf ("%d", scale);
      g_autoptr(GdkTexture) texture = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree guint32 *pixels = NULL;
      gboolean inked = FALSE;
      int w, h;

      run = run_program ((const char *[]) { "--export-png", png, "--scale", arg, NULL });
      g_assert_cmpint (run.status, ==, 0);
      g_free (run.err);

      texture = gdk_texture_new_from_filename (png, &error);
      g_assert_no_error (error);
      w = width[scale] = gdk_texture_get_width (texture);
      h = height[scale] = gdk_texture_get_height (texture);
      g_assert_cmpint (w, >, 100 * scale);

      /* The credit's dark letters in the bottom corner. */
      pixels = g_new (guint32, w * h);
      gdk_texture_download (texture, (guchar *)pixels, w * 4);
      for (int y = h - 12 * scale; y < h && !inked; y++)
        for (int x = w - 40 * scale; x < w && !inked; x++)
          inked = ((pixels[y * w + x] >> 8) & 0xff) < 0x80;
      g_assert_true (inked);
    }

  g_assert_cmpint (width[2], ==, 2 * width[1]);
  g_assert_cmpint (height[2], ==, 2 * height[1]);

  run = run_program ((const char *[]) { "--export-png", png, "--scale", "3", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--scale"));
  g_free (run.err);

  g_unlink (png);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  story_test_init (&argc, &argv);

  g_test_add_func ("/story/print/badges-apart", test_badges_apart);
  g_test_add ("/story/print/credit", Fixture, NULL, fixture_set_up, test_credit, fixture_tear_down);
  g_test_add_func ("/story/print/print-to-pdf", test_print_to_pdf);
  g_test_add_func ("/story/print/export-png", test_export_png);

  return story_test_run ();
}
