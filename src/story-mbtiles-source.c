/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-mbtiles"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "story-mbtiles-source-private.h"
#include "story-text.h"
#include "story-tile-data.h"

/*
 * The source object. story_mbtiles_source_new() has the file opened,
 * checked and described (story-mbtiles-metadata.c); the object then reads
 * tiles on worker threads for libshumate's raster renderer and answers the
 * getters and a map source with what the file said of itself.
 */

G_DEFINE_FINAL_TYPE (StoryMbtilesSource, story_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

G_DEFINE_QUARK (story-mbtiles-error-quark, story_mbtiles_error)

enum {
  TILE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  int x;
  int y;
  int z;
} TileRequest;

static void
story_mbtiles_source_finalize (GObject *object)
{
  StoryMbtilesSource *self = (StoryMbtilesSource *)object;

  g_clear_pointer (&self->tile_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_mutex_clear (&self->mutex);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->format, g_free);
  g_clear_pointer (&self->attribution, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (story_mbtiles_source_parent_class)->finalize (object);
}

/**
 * story_mbtiles_source_new:
 * @path: an existing MBTiles file, in the file system encoding
 * @error: return location for a #StoryMbtilesError
 *
 * Opens @path read-only and reads its metadata.
 *
 * Returns: (transfer full): the source, or %NULL with @error set
 */
StoryMbtilesSource *
story_mbtiles_source_new (const char  *path,
                          GError     **error)
{
  g_autoptr(StoryMbtilesSource) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (STORY_TYPE_MBTILES_SOURCE, NULL);
  self->path = g_strdup (path);
  self->display_name = story_mbtiles_display_name (path);

  if (!_story_mbtiles_source_check_file (self, error) ||
      !_story_mbtiles_source_open_database (self, error) ||
      !_story_mbtiles_source_check_tables (self, error) ||
      !_story_mbtiles_source_prepare_tile_statement (self, error) ||
      !_story_mbtiles_source_read_metadata (self, error) ||
      !_story_mbtiles_source_check_tiles (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Tiles */

static void
set_tile_error (StoryMbtilesSource *self,
                const TileRequest  *request,
                GError            **error,
                StoryMbtilesError   code,
                const char         *detail)
{
  /* Translators: the %d are zoom/x/y of a map tile, the first %s a file
   * name, the second %s why the tile cannot be shown */
  g_set_error (error, STORY_MBTILES_ERROR, code,
               _("Tile %d/%d/%d of “%s” cannot be shown: %s"),
               request->z, request->x, request->y, self->display_name, detail);
}

static gboolean
tile_in_range (StoryMbtilesSource *self,
               const TileRequest  *request)
{
  int n_tiles;

  if (request->z < (int)self->min_zoom || request->z > (int)self->max_zoom)
    return FALSE;

  n_tiles = 1 << request->z;

  return request->x >= 0 && request->x < n_tiles && request->y >= 0 && request->y < n_tiles;
}

/* Runs tile_sql (story-mbtiles-metadata.c) for @request; rows are counted
 * from the south. */
static GBytes *
step_tile (StoryMbtilesSource  *self,
           const TileRequest   *request,
           GError             **error)
{
  sqlite3_stmt *stmt = self->tile_stmt;
  int rc;

  sqlite3_bind_int (stmt, 1, request->z);
  sqlite3_bind_int (stmt, 2, request->x);
  sqlite3_bind_int (stmt, 3, (1 << request->z) - 1 - request->y);
  sqlite3_bind_int (stmt, 4, STORY_MBTILES_MAX_TILE_SIZE);

  _story_mbtiles_source_start_query (self);
  rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 /* Translators: the %d are zoom/x/y of a map tile, %s a file name */
                 _("Tile %d/%d/%d is not in “%s”"),
                 request->z, request->x, request->y, self->display_name);
  else if ((rc & 0xff) == SQLITE_TOOBIG ||
           (rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > STORY_MBTILES_MAX_TILE_SIZE))
    {
      g_autofree char *detail = g_strdup_printf (_("it is larger than %d MiB"),
                                                 STORY_MBTILES_MAX_TILE_SIZE / (1024 * 1024));
      set_tile_error (self, request, error, STORY_MBTILES_ERROR_TILE_TOO_LARGE, detail);
    }
  else if ((rc & 0xff) == SQLITE_INTERRUPT)
    _story_mbtiles_source_set_sqlite_error (self, error, rc);
  else if (rc != SQLITE_ROW)
    set_tile_error (self, request, error, STORY_MBTILES_ERROR_IO, sqlite3_errmsg (self->db));
  else if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
    set_tile_error (self, request, error, STORY_MBTILES_ERROR_BAD_TILE, _("it is empty"));
  else
    return g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));

  return NULL;
}

static GBytes *
read_tile (StoryMbtilesSource  *self,
           const TileRequest   *request,
           GError             **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  GBytes *bytes;

  bytes = step_tile (self, request, error);
  sqlite3_reset (self->tile_stmt);
  sqlite3_clear_bindings (self->tile_stmt);

  return bytes;
}

/* A tile is shown only if it is a whole PNG or JPEG of sane size, of the
 * file's tile size, that decodes; the structure and the size declared in
 * its header are checked before the decoding. */
static gboolean
check_tile (StoryMbtilesSource  *self,
            const TileRequest   *request,
            GBytes              *bytes,
            GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  StoryMbtilesError code = STORY_MBTILES_ERROR_BAD_TILE;

  if (story_tile_data_check (bytes, STORY_MBTILES_MAX_TILE_SIZE, self->tile_size,
                             &local_error))
    return TRUE;

  if (g_error_matches (local_error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_TOO_LARGE))
    code = STORY_MBTILES_ERROR_TILE_TOO_LARGE;

  set_tile_error (self, request, error, code, local_error->message);
  return FALSE;
}

static void
read_tile_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  StoryMbtilesSource *self = source_object;
  const TileRequest *request = task_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  bytes = read_tile (self, request, &error);
  if (bytes == NULL || !check_tile (self, request, bytes, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify)g_bytes_unref);
}

/* Back on the caller's thread: the raster renderer of libshumate 1.0
 * paints only what arrives through ShumateDataSource::received-data. */
static void
on_tile_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  StoryMbtilesSource *self = STORY_MBTILES_SOURCE (object);
  g_autoptr(GTask) task = user_data;
  const TileRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (bytes == NULL)
    {
      /* A tile that is not in the file is no fault of it. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("%s", error->message);
          g_signal_emit (self, signals[TILE_FAILED], 0, error);
        }
      g_task_return_error (task, error);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  g_signal_emit_by_name (self, "received-data", request->x, request->y, request->z, bytes);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify)g_bytes_unref);
}

static void
story_mbtiles_source_get_tile_data_async (ShumateDataSource   *source,
                                          int                  x,
                                          int                  y,
                                          int                  zoom_level,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  StoryMbtilesSource *self = STORY_MBTILES_SOURCE (source);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  TileRequest *request = g_new (TileRequest, 1);

  *request = (TileRequest) { x, y, zoom_level };

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, story_mbtiles_source_get_tile_data_async);

  if (!tile_in_range (self, request))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("Tile %d/%d/%d is not in “%s”"),
                               zoom_level, x, y, self->display_name);
      g_free (request);
      return;
    }

  worker = g_task_new (self, cancellable, on_tile_read, g_steal_pointer (&task));
  g_task_set_source_tag (worker, read_tile_in_thread);
  g_task_set_task_data (worker, request, g_free);
  g_task_run_in_thread (worker, read_tile_in_thread);
}

static GBytes *
story_mbtiles_source_get_tile_data_finish (ShumateDataSource  *source,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
story_mbtiles_source_class_init (StoryMbtilesSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *data_source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = story_mbtiles_source_finalize;

  data_source_class->get_tile_data_async = story_mbtiles_source_get_tile_data_async;
  data_source_class->get_tile_data_finish = story_mbtiles_source_get_tile_data_finish;

  /**
   * StoryMbtilesSource::tile-failed:
   * @error: why the tile cannot be shown
   *
   * Emitted on the main thread for a tile that is in the file but cannot
   * be shown (damaged, of the wrong size, too large, too slow to read).
   */
  signals[TILE_FAILED] =
    g_signal_new ("tile-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
story_mbtiles_source_init (StoryMbtilesSource *self)
{
  g_mutex_init (&self->mutex);
}

/* Getters */

const char *
story_mbtiles_source_get_path (StoryMbtilesSource *self)
{
  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), NULL);

  return self->path;
}

/* The "name" metadata, or the file name when the file has none. */
const char *
story_mbtiles_source_get_name (StoryMbtilesSource *self)
{
  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), NULL);

  return self->name;
}

/* "png" or "jpg". */
const char *
story_mbtiles_source_get_format (StoryMbtilesSource *self)
{
  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), NULL);

  return self->format;
}

/* The "attribution" metadata as written (it may hold HTML), or %NULL. */
const char *
story_mbtiles_source_get_attribution (StoryMbtilesSource *self)
{
  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), NULL);

  return self->attribution;
}

const char *
story_mbtiles_source_get_description (StoryMbtilesSource *self)
{
  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), NULL);

  return self->description;
}

/* The width and height of the file's tiles, in pixels: 256, or 512 for a
 * high-resolution file. */
guint
story_mbtiles_source_get_tile_size (StoryMbtilesSource *self)
{
  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), STORY_MBTILES_TILE_SIZE);

  return self->tile_size;
}

guint
story_mbtiles_source_get_min_zoom (StoryMbtilesSource *self)
{
  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), 0);

  return self->min_zoom;
}

guint
story_mbtiles_source_get_max_zoom (StoryMbtilesSource *self)
{
  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), 0);

  return self->max_zoom;
}

/* Fills @bounds with the file's extent, or the whole Web Mercator world
 * when the file declares none; returns whether the file declared it. */
gboolean
story_mbtiles_source_get_bounds (StoryMbtilesSource *self,
                                 StoryBounds        *bounds)
{
  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  *bounds = self->bounds;

  return self->has_bounds;
}

/* Map source */

/**
 * story_mbtiles_display_name:
 * @path: a file name, in the file system encoding
 *
 * The name of the file at @path as shown to the user, in messages and in
 * the preferences: valid UTF-8, plain text (never markup), with control
 * characters and directional formatting characters (such as U+202E, which
 * would show "gpj.mbtiles" as "mbtiles.jpg") replaced by U+FFFD, so that
 * what is shown is what the name holds, in its order.
 *
 * Returns: (transfer full): the name to show
 */
char *
story_mbtiles_display_name (const char *path)
{
  g_autofree char *name = NULL;
  GString *text;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_filename_display_basename (path);
  text = g_string_sized_new (strlen (name));
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    story_text_append_visible (text, g_utf8_get_char (p), FALSE);

  return g_string_free (text, FALSE);
}

static const struct {
  const char *entity;
  const char *text;
} entities[] = {
  { "&amp;", "&" },
  { "&lt;", "<" },
  { "&gt;", ">" },
  { "&quot;", "\"" },
  { "&apos;", "'" },
  { "&#39;", "'" },
  { "&nbsp;", " " },
  { "&copy;", "©" },
  { "&#169;", "©" },
};

/* Reads a character of @p, an entity counting as the one it stands for;
 * returns where the next begins. */
static const char *
next_text_char (const char *p,
                gunichar   *c)
{
  if (*p == '&')
    for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
      {
        gsize len = strlen (entities[i].entity);

        if (g_ascii_strncasecmp (p, entities[i].entity, len) == 0)
          {
            *c = g_utf8_get_char (entities[i].text);
            return p + len;
          }
      }

  *c = g_utf8_get_char (p);
  return g_utf8_next_char (p);
}

/* Attribution is often HTML (MBTiles 1.3 allows it); the map shows it as
 * plain text: tags dropped, the common entities read, white space run
 * together, controls and directional formatting replaced, and at most
 * STORY_MBTILES_MAX_ATTRIBUTION characters, the last of a longer text
 * being "…". Linear in the length of @attribution. */
static char *
attribution_to_plain_text (const char *attribution)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *p = attribution;
  const char *tag_end = strchr (p, '>');
  guint n_chars = 0;

  while (*p != '\0' && n_chars <= STORY_MBTILES_MAX_ATTRIBUTION)
    {
      gunichar c;

      /* A "<" with no ">" after it is text, as is everything after it. */
      if (*p == '<' && tag_end != NULL)
        {
          if (tag_end < p)
            tag_end = strchr (p, '>');
          if (tag_end != NULL)
            {
              p = tag_end + 1;
              tag_end = strchr (p, '>');
              continue;
            }
        }

      p = next_text_char (p, &c);
      if (g_unichar_isspace (c) && (text->len == 0 || text->str[text->len - 1] == ' '))
        continue;

      story_text_append_visible (text, g_unichar_isspace (c) ? ' ' : c, FALSE);
      n_chars++;
    }

  if (n_chars > STORY_MBTILES_MAX_ATTRIBUTION)
    {
      /* Cut to one character short of the limit, and mark the cut. */
      const char *cut = g_utf8_offset_to_pointer (text->str, STORY_MBTILES_MAX_ATTRIBUTION - 1);

      g_string_truncate (text, cut - text->str);
      while (text->len > 0 && text->str[text->len - 1] == ' ')
        g_string_truncate (text, text->len - 1);
      g_string_append (text, "…");
    }

  while (text->len > 0 && text->str[text->len - 1] == ' ')
    g_string_truncate (text, text->len - 1);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * story_mbtiles_source_dup_license:
 * @self: a #StoryMbtilesSource
 *
 * The attribution as the map shows it: plain text (tags dropped, entities
 * read), on one line, at most %STORY_MBTILES_MAX_ATTRIBUTION characters.
 *
 * Returns: (transfer full): the text, empty when the file gives none
 */
char *
story_mbtiles_source_dup_license (StoryMbtilesSource *self)
{
  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), NULL);

  return self->attribution ? attribution_to_plain_text (self->attribution) : g_strdup ("");
}

/**
 * story_mbtiles_source_new_map_source:
 * @self: a #StoryMbtilesSource
 *
 * Wraps @self as a raster map source with the file's name, zoom range and
 * attribution.
 *
 * Returns: (transfer full): a new map source
 */
ShumateMapSource *
story_mbtiles_source_new_map_source (StoryMbtilesSource *self)
{
  g_autofree char *license = NULL;

  g_return_val_if_fail (STORY_IS_MBTILES_SOURCE (self), NULL);

  license = story_mbtiles_source_dup_license (self);

  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full ("story-mbtiles",
                                                               self->name,
                                                               license,
                                                               NULL,
                                                               self->min_zoom,
                                                               self->max_zoom,
                                                               self->tile_size,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
