/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

/*
 * `story-map --check FILE`, as a user runs it: the real program, its exact
 * output and its exit status.
 */

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_program (Run        *run,
             const char *arg1,
             const char *arg2)
{
  const char *binary = g_getenv ("STORY_MAP_BINARY");
  const char *argv[] = { binary, arg1, arg2, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_assert_nonnull (binary);
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
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
  expected = g_strdup_printf ("%s:2:11: error: Invalid JSON: unexpected character `}', expected character `}'\n", syntax);
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
  g_test_add_func ("/story/check/version-and-help", test_version_and_help);
  g_test_add_func ("/story/check/bad-tile-url", test_bad_tile_url);

  return g_test_run ();
}
