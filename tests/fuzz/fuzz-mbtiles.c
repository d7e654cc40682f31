/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <unistd.h>

#include "story-mbtiles-source.h"

/*
 * libFuzzer target: any bytes as an MBTiles file. The file is written to a
 * temporary path and opened; if it opens, a few tiles are fetched the way
 * the map fetches them, and every answer must be a tile or an error.
 */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* How long one tile may take before the input counts as a hang: the
 * source itself gives up on a query after STORY_MBTILES_MAX_QUERY_TIME. */
#define TILE_TIMEOUT_US ((STORY_MBTILES_MAX_QUERY_TIME + 2) * G_USEC_PER_SEC)

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} TileResult;

static char *tmp_path;

static void
remove_tmp_file (void)
{
  if (tmp_path != NULL)
    g_unlink (tmp_path);
  g_clear_pointer (&tmp_path, g_free);
}

static void
tile_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  TileResult *tile = user_data;

  tile->bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object),
                                                          result, &tile->error);
  tile->done = TRUE;
}

/* Returns FALSE when the file is too slow to ask for more. */
static gboolean
fetch_tile (StoryMbtilesSource *source,
            int                 x,
            int                 y,
            int                 z)
{
  TileResult tile = { FALSE, NULL, NULL };
  gint64 deadline = g_get_monotonic_time () + TILE_TIMEOUT_US;

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, z,
                                           NULL, tile_cb, &tile);

  while (!tile.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  /* A worker thread stuck in SQLite is a hang: let libFuzzer see it. */
  if (!tile.done)
    g_error ("Tile %d/%d/%d took longer than %d s", z, x, y,
             (int)(TILE_TIMEOUT_US / G_USEC_PER_SEC));

  g_assert_true ((tile.bytes != NULL) != (tile.error != NULL));
  if (tile.bytes != NULL)
    g_assert_cmpuint (g_bytes_get_size (tile.bytes), <=, STORY_MBTILES_MAX_TILE_SIZE);

  if (g_error_matches (tile.error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_TOO_SLOW))
    {
      g_clear_error (&tile.error);
      return FALSE;
    }

  g_clear_pointer (&tile.bytes, g_bytes_unref);
  g_clear_error (&tile.error);
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GError) error = NULL;
  guint min_zoom, max_zoom;

  if (tmp_path == NULL)
    {
      int fd = g_file_open_tmp ("fuzz-mbtiles-XXXXXX.mbtiles", &tmp_path, NULL);

      g_assert_cmpint (fd, >=, 0);
      close (fd);
      atexit (remove_tmp_file);
    }

  if (!g_file_set_contents (tmp_path, (const char *)data, size, NULL))
    g_error ("Cannot write %s", tmp_path);

  source = story_mbtiles_source_new (tmp_path, &error);
  if (source == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == STORY_MBTILES_ERROR);
      return 0;
    }

  min_zoom = story_mbtiles_source_get_min_zoom (source);
  max_zoom = story_mbtiles_source_get_max_zoom (source);
  g_assert_cmpuint (min_zoom, <=, max_zoom);
  g_assert_cmpuint (max_zoom, <=, STORY_MBTILES_MAX_ZOOM);

  /* The first tiles of the lowest levels, one out of range, and the
   * corners of the deepest level. */
  (void)(fetch_tile (source, 0, 0, min_zoom) &&
         fetch_tile (source, 0, 0, 0) &&
         fetch_tile (source, 1, 0, 1) &&
         fetch_tile (source, 0, 1, 1) &&
         fetch_tile (source, 0, 0, max_zoom + 1) &&
         fetch_tile (source, (1 << max_zoom) - 1, (1 << max_zoom) - 1, max_zoom));

  return 0;
}
