/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * `story-map --check FILE`, as a user runs it: the real program, its exact
 * output and its exit status.
 */

typedef struct
{
  char     *out;
  char     *err;
  int       status;
  gboolean  done;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                                       &run->out, &run->err, &error));
  g_assert_no_error (error);
  run->done = TRUE;
}

static gboolean
time_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the program and waits, with a bound: a run that hangs (reading a
 * pipe nothing writes to) fails the test rather than the whole suite. */
static void
run_program (Run        *run,
             const char *arg1,
             const char *arg2)
{
  const char *binary = g_getenv ("STORY_MAP_BINARY");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id;

  g_assert_nonnull (binary);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              binary, arg1, arg2, NULL);
  g_assert_no_error (error);

  timeout_id = g_timeout_add_seconds (30, time_out_cb, &timed_out);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, run);
  while (!run->done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    {
      g_subprocess_force_exit (process);
      while (!run->done)
        g_main_context_iteration (NULL, TRUE);
      g_error ("story-map %s %s did not finish within 30 s", arg1, arg2 ? arg2 : "");
    }
  g_source_remove (timeout_id);

  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static char *
write_temp (const char *name,
            const char *contents)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-check-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
test_bundled (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "story",
                                                 "nerkin-hand.storymap.geojson", NULL);
  g_autofree char *expected = NULL;
  g_auto(Run) run = { 0 };

  run_program (&run, "--check", path);

  expected = g_strdup_printf ("%s: 13 paragraphs, 6 places\n"
                              "nerkin-hand (Nerkin Hand): 6\n"
                              "syunik (Syunik): 6\n"
                              "karabakh (Karabakh): 9, 10, 11\n"
                              "baku (Baku): dateline, 11\n"
                              "yerevan (Yerevan): 10, 11\n"
                              "moscow (Moscow): 8, 10\n", path);
  g_assert_cmpstr (run.out, ==, expected);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_unnamed_place (void)
{
  g_autofree char *path = write_temp ("quiet.json",
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"Only Tbilisi.\", \"One.\"]},\n"
    " \"features\": [\n"
    "  {\"type\": \"Feature\", \"id\": \"tbilisi\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.8, 41.7]},\n"
    "   \"properties\": {\"name\": \"Tbilisi\"}},\n"
    "  {\"type\": \"Feature\", \"id\": \"gori\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.1, 41.98]},\n"
    "   \"properties\": {\"name\": \"Gori\"}}]}");
  g_autofree char *expected_out = g_strdup_printf ("%s: 2 paragraphs, 2 places\n"
                                                   "tbilisi (Tbilisi): 1\n"
                                                   "gori (Gori): none\n", path);
  g_autofree char *expected_err = g_strdup_printf ("%s: warning: place “gori” (Gori) is not named in the text\n", path);
  g_auto(Run) run = { 0 };

  run_program (&run, "--check", path);
  g_assert_cmpstr (run.out, ==, expected_out);
  g_assert_cmpstr (run.err, ==, expected_err);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_broken (void)
{
  g_autofree char *syntax = write_temp ("broken.json", "{\"type\": \"FeatureCollection\",\n \"story\": }");
  g_autofree char *content = write_temp ("content.json",
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"P\"]},\n"
    " \"features\": [{\"type\": \"Feature\", \"id\": \"a\", \"properties\": {},\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}");
  g_autofree char *expected = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) run2 = { 0 };
  g_auto(Run) run3 = { 0 };

  /* Broken JSON: the file, the line and the column. */
  run_program (&run, "--check", syntax);
  expected = g_strdup_printf ("%s:2:11: error: Invalid JSON: expected a value, found “}”\n", syntax);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, expected);
  g_assert_cmpint (run.status, ==, 1);
  g_clear_pointer (&expected, g_free);

  /* Wrong content: the file and the JSON path. */
  run_program (&run2, "--check", content);
  expected = g_strdup_printf ("%s: /features/0/properties: error: The required member “name” is missing\n", content);
  g_assert_cmpstr (run2.err, ==, expected);
  g_assert_cmpint (run2.status, ==, 1);

  run_program (&run3, "--check", "/nonexistent/story.json");
  g_assert_true (g_str_has_prefix (run3.err, "/nonexistent/story.json: error: "));
  g_assert_cmpint (run3.status, ==, 1);
}

#define NOT_REGULAR "error: This is not a regular file: only a regular file can be a story\n"

/* Only a regular file is read: a device never ends, a pipe never opens. */
static void
test_not_regular (void)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-check-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe.json", NULL);
  g_autofree char *to_device = g_build_filename (dir, "device.json", NULL);
  g_autofree char *to_story = g_build_filename (dir, "story.json", NULL);
  g_autofree char *bundled = g_test_build_filename (G_TEST_DIST, "..", "data", "story",
                                                    "nerkin-hand.storymap.geojson", NULL);
  const char *refused[] = { "/dev/null", "/dev/zero", "/dev/urandom", fifo, to_device };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", to_device), ==, 0);
  g_assert_cmpint (symlink (bundled, to_story), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *expected = g_strconcat (refused[i], ": " NOT_REGULAR, NULL);
      g_auto(Run) run = { 0 };

      run_program (&run, "--check", refused[i]);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpstr (run.err, ==, expected);
      g_assert_cmpint (run.status, ==, 1);
    }

  /* A link to a story is read as the story. */
  {
    g_auto(Run) run = { 0 };
    g_autofree char *first = g_strconcat (to_story, ": 13 paragraphs, 6 places\n", NULL);

    run_program (&run, "--check", to_story);
    g_assert_true (g_str_has_prefix (run.out, first));
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
  }

  g_unlink (fifo);
  g_unlink (to_device);
  g_unlink (to_story);
  g_rmdir (dir);
}

static void
test_no_file (void)
{
  g_auto(Run) run = { 0 };

  /* Not the current folder: no file at all. */
  run_program (&run, "--check", "");
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "story-map: error: No file was given to check\n");
  g_assert_cmpint (run.status, ==, 1);
}

/* Ids, names and file names cannot write lines of their own, colour the
 * terminal or turn the text around: each control character is escaped. */
static void
test_escapes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-check-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "story\n\033[2J.json", NULL);
  g_autofree char *shown = g_build_filename (dir, "story\\n\\e[2J.json", NULL);
  g_autofree char *missing = g_build_filename (dir, "gone\r\u2029.json", NULL);
  g_autofree char *expected_out = NULL;
  g_autofree char *expected_err = NULL;
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"Only Gori.\"]},\n"
    " \"features\": [\n"
    "  {\"type\": \"Feature\", \"id\": \"gori\\nfake (Injected): 1, 2, 3\",\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.1, 41.98]}, \"properties\": {\"name\": \"Gori\"}},\n"
    "  {\"type\": \"Feature\", \"id\": \"red\\t\",\n"
    "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [44.8, 41.7]},\n"
    "   \"properties\": {\"name\": \"\\u001b[31mRed\\u001b[0m \\u202eevil\\u2028\\u0085\\u007f\\u0007\\\\\"}}]}";
  g_auto(Run) run = { 0 };
  g_auto(Run) gone = { 0 };

  g_assert_true (g_file_set_contents (path, json, -1, NULL));

  run_program (&run, "--check", path);
  expected_out = g_strdup_printf ("%s: 1 paragraph, 2 places\n"
                                  "gori\\nfake (Injected): 1, 2, 3 (Gori): 1\n"
                                  "red\\t (\\e[31mRed\\e[0m \\u{202E}evil\\u{2028}\\u{85}\\u{7F}\\u{7}\\\\): none\n",
                                  shown);
  expected_err = g_strdup_printf ("%s: warning: place “red\\t” (\\e[31mRed\\e[0m \\u{202E}evil\\u{2028}\\u{85}\\u{7F}\\u{7}\\\\) is not named in the text\n",
                                  shown);
  g_assert_cmpstr (run.out, ==, expected_out);
  g_assert_cmpstr (run.err, ==, expected_err);
  g_assert_cmpint (run.status, ==, 0);

  /* Errors too: one line, the file name escaped. */
  run_program (&gone, "--check", missing);
  g_clear_pointer (&expected_err, g_free);
  expected_err = g_strdup_printf ("%s" G_DIR_SEPARATOR_S "gone\\r\\u{2029}.json: error: No such file or directory\n", dir);
  g_assert_cmpstr (gone.err, ==, expected_err);
  g_assert_cmpint (gone.status, ==, 1);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_version_and_help (void)
{
  g_auto(Run) version = { 0 };
  g_auto(Run) help = { 0 };

  run_program (&version, "--version", NULL);
  g_assert_cmpstr (version.out, ==, "story-map " PACKAGE_VERSION "\n");
  g_assert_cmpint (version.status, ==, 0);

  /* Every option is listed with a description. */
  run_program (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--check=FILE"));
  g_assert_nonnull (strstr (help.out, "--tile-url=TEMPLATE"));
  g_assert_nonnull (strstr (help.out, "--mbtiles=FILE"));
  g_assert_nonnull (strstr (help.out, "--version"));
  g_assert_nonnull (strstr (help.out, "Check a story file"));
}

static void
test_bad_tile_url (void)
{
  g_auto(Run) run = { 0 };

  run_program (&run, "--tile-url", "ftp://example.com/tiles");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "is not a tile URL template"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/check/bundled", test_bundled);
  g_test_add_func ("/story/check/unnamed-place", test_unnamed_place);
  g_test_add_func ("/story/check/broken", test_broken);
  g_test_add_func ("/story/check/not-regular", test_not_regular);
  g_test_add_func ("/story/check/no-file", test_no_file);
  g_test_add_func ("/story/check/escapes", test_escapes);
  g_test_add_func ("/story/check/version-and-help", test_version_and_help);
  g_test_add_func ("/story/check/bad-tile-url", test_bad_tile_url);

  return g_test_run ();
}
