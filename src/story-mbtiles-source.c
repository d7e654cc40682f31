/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-mbtiles"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "story-mbtiles-source.h"
#include "story-tile-data.h"

/* Raster tiles from a local MBTiles 1.3 file: an SQLite database with a
 * metadata (name, value) table and a tiles (zoom_level, tile_column,
 * tile_row, tile_data) table or view, rows counted from the south (TMS). */
struct _StoryMbtilesSource
{
  ShumateDataSource  parent_instance;

  char              *path;
  char              *display_name;  /* for messages */
  char              *name;
  char              *format;        /* "png" or "jpg" */
  char              *attribution;
  char              *description;
  guint              min_zoom;
  guint              max_zoom;
  StoryBounds        bounds;
  guint              has_bounds : 1;

  GMutex             mutex;         /* guards tile_stmt across worker threads */
  sqlite3           *db;
  sqlite3_stmt      *tile_stmt;
  gint64             deadline;      /* of the running query, under mutex */
};

G_DEFINE_FINAL_TYPE (StoryMbtilesSource, story_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

G_DEFINE_QUARK (story-mbtiles-error-quark, story_mbtiles_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct
{
  int x;
  int y;
  int z;
} TileRequest;

#define WEB_MERCATOR_MAX_LAT 85.0511287798066

static const char sqlite_magic[16] = "SQLite format 3";

static const char tile_sql[] =
  "SELECT length(tile_data),"
  "       CASE WHEN length(tile_data) <= ?4 THEN tile_data END"
  "  FROM tiles"
  " WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3"
  " LIMIT 1";

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

/* Error helpers */

static void
set_not_mbtiles_error (StoryMbtilesSource *self,
                       GError            **error,
                       StoryMbtilesError   code,
                       const char         *detail)
{
  /* Translators: the first %s is a file name, the second why it was refused */
  g_set_error (error, STORY_MBTILES_ERROR, code,
               _("“%s” is not an MBTiles file: %s"),
               self->display_name, detail);
}

static void
set_metadata_error (StoryMbtilesSource *self,
                    GError            **error,
                    const char         *detail)
{
  /* Translators: the first %s is a file name, the second what is wrong */
  g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_METADATA,
               _("“%s” has invalid metadata: %s"),
               self->display_name, detail);
}

static void
set_sqlite_error (StoryMbtilesSource *self,
                  GError            **error,
                  int                 rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      set_not_mbtiles_error (self, error, STORY_MBTILES_ERROR_NOT_SQLITE,
                             _("it is not an SQLite database"));
      break;

    case SQLITE_CORRUPT:
      set_not_mbtiles_error (self, error, STORY_MBTILES_ERROR_NOT_SQLITE,
                             _("the database is damaged"));
      break;

    case SQLITE_INTERRUPT:
      /* Translators: the first %s is a file name; %d a number of seconds */
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_TOO_SLOW,
                   ngettext ("Could not read “%s”: a query took longer than %d second",
                             "Could not read “%s”: a query took longer than %d seconds",
                             STORY_MBTILES_MAX_QUERY_TIME),
                   self->display_name, STORY_MBTILES_MAX_QUERY_TIME);
      break;

    default:
      /* Translators: the first %s is a file name, the second a database error */
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_IO,
                   _("Could not read “%s”: %s"),
                   self->display_name,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      break;
    }
}

/* Opening */

static gboolean
check_file (StoryMbtilesSource  *self,
            GError             **error)
{
  char header[sizeof sqlite_magic] = { 0 };
  FILE *file;
  size_t n_read;
  int saved_errno;

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_NOT_FOUND,
                   _("“%s” does not exist"), self->display_name);
      return FALSE;
    }

  if (!g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_NOT_FOUND,
                   _("“%s” is not a file"), self->display_name);
      return FALSE;
    }

  file = g_fopen (self->path, "rb");
  if (file == NULL)
    {
      saved_errno = errno;
      /* Translators: the first %s is a file name, the second a system error */
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_IO,
                   _("Could not open “%s”: %s"),
                   self->display_name, g_strerror (saved_errno));
      return FALSE;
    }

  n_read = fread (header, 1, sizeof header, file);
  fclose (file);

  if (n_read != sizeof header || memcmp (header, sqlite_magic, sizeof header) != 0)
    {
      set_not_mbtiles_error (self, error, STORY_MBTILES_ERROR_NOT_SQLITE,
                             _("it is not an SQLite database"));
      return FALSE;
    }

  return TRUE;
}

/* Called by SQLite every few thousand steps of a query: a non-zero
 * return interrupts it. */
static int
on_query_progress (gpointer user_data)
{
  StoryMbtilesSource *self = user_data;

  return g_get_monotonic_time () > self->deadline;
}

static void
start_query (StoryMbtilesSource *self)
{
  self->deadline = g_get_monotonic_time () + STORY_MBTILES_MAX_QUERY_TIME * G_USEC_PER_SEC;
}

static gboolean
open_database (StoryMbtilesSource  *self,
               GError             **error)
{
  sqlite3 *db = NULL;
  int rc;

  /* Read-only and never created; no URI parsing, so the path is literal. */
  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_IO,
                   _("Could not open “%s”: %s"),
                   self->display_name,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return FALSE;
    }

  sqlite3_busy_timeout (db, 1000);
  /* A bound on any single value, so that a hostile file cannot make us
   * hold gigabytes in memory. */
  sqlite3_limit (db, SQLITE_LIMIT_LENGTH, 4 * STORY_MBTILES_MAX_TILE_SIZE);
  /* What SQLite advises for databases from elsewhere: the schema may not
   * call functions with side effects, nothing may write to the file's
   * internals, and damaged pages are caught before they are used. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_exec (db, "PRAGMA cell_size_check = ON", NULL, NULL, NULL);
  sqlite3_progress_handler (db, 10000, on_query_progress, self);
  start_query (self);
  self->db = db;

  return TRUE;
}

static gboolean
check_tables (StoryMbtilesSource  *self,
              GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_tiles = FALSE;
  gboolean has_metadata = FALSE;
  int rc;

  /* The first read of the file: this is where a damaged database shows. */
  start_query (self);
  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT name FROM sqlite_master"
                           " WHERE type IN ('table', 'view')"
                           "   AND name IN ('tiles', 'metadata')",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *table = (const char *)sqlite3_column_text (stmt, 0);

          has_tiles |= g_strcmp0 (table, "tiles") == 0;
          has_metadata |= g_strcmp0 (table, "metadata") == 0;
        }
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc);
      return FALSE;
    }

  if (!has_tiles || !has_metadata)
    {
      set_not_mbtiles_error (self, error, STORY_MBTILES_ERROR_SCHEMA,
                             !has_tiles ? _("it has no “tiles” table")
                                        : _("it has no “metadata” table"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
prepare_tile_statement (StoryMbtilesSource  *self,
                        GError             **error)
{
  int rc;

  rc = sqlite3_prepare_v3 (self->db, tile_sql, -1, SQLITE_PREPARE_PERSISTENT,
                           &self->tile_stmt, NULL);
  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_ERROR)
        set_not_mbtiles_error (self, error, STORY_MBTILES_ERROR_SCHEMA,
                               _("the “tiles” table lacks the columns of the format"));
      else
        set_sqlite_error (self, error, rc);
      return FALSE;
    }

  return TRUE;
}

static GHashTable *
read_metadata_table (StoryMbtilesSource  *self,
                     GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) table = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT name, CASE WHEN length(value) <= ?1 THEN value END"
                           "  FROM metadata",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_ERROR)
        set_not_mbtiles_error (self, error, STORY_MBTILES_ERROR_SCHEMA,
                               _("the “metadata” table lacks the columns of the format"));
      else
        set_sqlite_error (self, error, rc);
      return NULL;
    }

  sqlite3_bind_int (stmt, 1, STORY_MBTILES_MAX_METADATA_VALUE);
  start_query (self);
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *)sqlite3_column_text (stmt, 0);
      const char *value = (const char *)sqlite3_column_text (stmt, 1);
      int value_len = sqlite3_column_bytes (stmt, 1);

      /* The first of duplicate keys wins; overlong values count as absent. */
      if (key == NULL || value == NULL || g_hash_table_contains (table, key))
        continue;

      g_hash_table_insert (table, g_strdup (key), g_utf8_make_valid (value, value_len));
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc);
      return NULL;
    }

  return g_steal_pointer (&table);
}

/* Metadata */

static gboolean
read_format (StoryMbtilesSource  *self,
             const char          *value,
             GError             **error)
{
  g_autofree char *format = g_strstrip (g_ascii_strdown (value ? value : "", -1));

  /* Files written before the format key was required hold PNG. */
  if (format[0] == '\0' || g_str_equal (format, "png"))
    self->format = g_strdup ("png");
  else if (g_str_equal (format, "jpg") || g_str_equal (format, "jpeg"))
    self->format = g_strdup ("jpg");
  else if (g_str_equal (format, "pbf") || g_str_equal (format, "mvt"))
    {
      /* Translators: %s is a file name */
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_VECTOR,
                   _("“%s” holds vector tiles: vector tiles are not supported"),
                   self->display_name);
      return FALSE;
    }
  else
    {
      /* Translators: the first %s is a file name, the second a format such as “webp” */
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_FORMAT,
                   _("“%s” holds tiles in the format “%s”, which is not supported"),
                   self->display_name, format);
      return FALSE;
    }

  return TRUE;
}

/* Parses a zoom level; numbers such as "5.0" are accepted, "-1", "5.5"
 * and "x" are not. Levels above what we show are kept for clamping. */
static gboolean
parse_zoom (StoryMbtilesSource  *self,
            const char          *key,
            const char          *value,
            gint64              *zoom,
            GError             **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (value));
  char *end = NULL;
  double number;

  number = g_ascii_strtod (copy, &end);
  if (copy[0] == '\0' || *end != '\0' || !isfinite (number) ||
      number < 0 || number > 64 || number != floor (number))
    {
      /* Translators: the first %s is a metadata key, the second its value */
      g_autofree char *detail = g_strdup_printf (_("the “%s” value “%s” is not a zoom level"),
                                                 key, value);
      set_metadata_error (self, error, detail);
      return FALSE;
    }

  *zoom = (gint64)number;
  return TRUE;
}

static gboolean
compute_zoom_range (StoryMbtilesSource  *self,
                    gint64              *min_zoom,
                    gint64              *max_zoom,
                    GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles",
                           -1, &stmt, NULL);
  start_query (self);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, error, rc);
      return FALSE;
    }

  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    {
      /* Translators: %s is a file name */
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_EMPTY,
                   _("“%s” holds no tiles"), self->display_name);
      return FALSE;
    }

  *min_zoom = sqlite3_column_int64 (stmt, 0);
  *max_zoom = sqlite3_column_int64 (stmt, 1);

  if (*min_zoom < 0 || *max_zoom > 64)
    {
      set_metadata_error (self, error, _("its tiles have impossible zoom levels"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_zoom_range (StoryMbtilesSource  *self,
                 GHashTable          *metadata,
                 GError             **error)
{
  const char *min_value = g_hash_table_lookup (metadata, "minzoom");
  const char *max_value = g_hash_table_lookup (metadata, "maxzoom");
  gint64 min_zoom = 0, max_zoom = 0;

  if ((min_value == NULL || max_value == NULL) &&
      !compute_zoom_range (self, &min_zoom, &max_zoom, error))
    return FALSE;

  if ((min_value != NULL && !parse_zoom (self, "minzoom", min_value, &min_zoom, error)) ||
      (max_value != NULL && !parse_zoom (self, "maxzoom", max_value, &max_zoom, error)))
    return FALSE;

  if (min_zoom > max_zoom)
    {
      /* Translators: both %d are zoom levels */
      g_autofree char *detail = g_strdup_printf (_("the minimum zoom level %d is above the maximum %d"),
                                                 (int)min_zoom, (int)max_zoom);
      set_metadata_error (self, error, detail);
      return FALSE;
    }

  if (min_zoom > STORY_MBTILES_MAX_ZOOM)
    {
      /* Translators: %d is a zoom level */
      g_autofree char *detail = g_strdup_printf (_("zoom levels above %d are not supported"),
                                                 STORY_MBTILES_MAX_ZOOM);
      set_metadata_error (self, error, detail);
      return FALSE;
    }

  self->min_zoom = (guint)min_zoom;
  self->max_zoom = (guint)MIN (max_zoom, STORY_MBTILES_MAX_ZOOM);

  return TRUE;
}

static gboolean
parse_coordinate (const char *text,
                  double      limit,
                  double     *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;

  *out = g_ascii_strtod (copy, &end);

  return copy[0] != '\0' && *end == '\0' && isfinite (*out) && fabs (*out) <= limit;
}

static gboolean
read_bounds (StoryMbtilesSource  *self,
             const char          *value,
             GError             **error)
{
  g_auto(GStrv) parts = NULL;
  StoryBounds bounds;

  if (value == NULL)
    {
      self->bounds = (StoryBounds) { -180, -WEB_MERCATOR_MAX_LAT, 180, WEB_MERCATOR_MAX_LAT };
      self->has_bounds = FALSE;
      return TRUE;
    }

  parts = g_strsplit (value, ",", -1);
  if (g_strv_length (parts) != 4 ||
      !parse_coordinate (parts[0], 180, &bounds.west) ||
      !parse_coordinate (parts[1], 90, &bounds.south) ||
      !parse_coordinate (parts[2], 180, &bounds.east) ||
      !parse_coordinate (parts[3], 90, &bounds.north) ||
      bounds.west > bounds.east || bounds.south > bounds.north)
    {
      /* Translators: %s is the text found in the file */
      g_autofree char *detail = g_strdup_printf (_("the bounds “%s” are not west, south, east, north in degrees"),
                                                 value);
      set_metadata_error (self, error, detail);
      return FALSE;
    }

  self->bounds = bounds;
  self->has_bounds = TRUE;

  return TRUE;
}

static char *
dup_non_empty (const char *value)
{
  if (value == NULL || *value == '\0')
    return NULL;

  return g_strdup (value);
}

static gboolean
read_metadata (StoryMbtilesSource  *self,
               GError             **error)
{
  g_autoptr(GHashTable) metadata = read_metadata_table (self, error);

  if (metadata == NULL ||
      !read_format (self, g_hash_table_lookup (metadata, "format"), error) ||
      !read_zoom_range (self, metadata, error) ||
      !read_bounds (self, g_hash_table_lookup (metadata, "bounds"), error))
    return FALSE;

  self->name = dup_non_empty (g_hash_table_lookup (metadata, "name"));
  if (self->name == NULL)
    self->name = g_strdup (self->display_name);
  self->attribution = dup_non_empty (g_hash_table_lookup (metadata, "attribution"));
  self->description = dup_non_empty (g_hash_table_lookup (metadata, "description"));

  return TRUE;
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
  self->display_name = g_filename_display_basename (path);

  if (!check_file (self, error) ||
      !open_database (self, error) ||
      !check_tables (self, error) ||
      !prepare_tile_statement (self, error) ||
      !read_metadata (self, error))
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

  start_query (self);
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
    set_sqlite_error (self, error, rc);
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

/* A tile is shown only if it is a whole PNG or JPEG of sane size that
 * decodes; the structure is checked before the decoding. */
static gboolean
check_tile (StoryMbtilesSource  *self,
            const TileRequest   *request,
            GBytes              *bytes,
            GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  StoryMbtilesError code = STORY_MBTILES_ERROR_BAD_TILE;

  if (story_tile_data_check (bytes, STORY_MBTILES_MAX_TILE_SIZE, STORY_MBTILES_MAX_TILE_DIMENSION,
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

/* Attribution is often HTML; the map's licence label shows plain text. */
static char *
attribution_to_plain_text (const char *attribution)
{
  GString *text = g_string_new (NULL);
  const char *p = attribution;

  while (*p != '\0')
    {
      gboolean replaced = FALSE;

      if (*p == '<' && strchr (p, '>') != NULL)
        {
          p = strchr (p, '>') + 1;
          continue;
        }

      for (guint i = 0; *p == '&' && i < G_N_ELEMENTS (entities); i++)
        {
          gsize len = strlen (entities[i].entity);

          if (g_ascii_strncasecmp (p, entities[i].entity, len) == 0)
            {
              g_string_append (text, entities[i].text);
              p += len;
              replaced = TRUE;
              break;
            }
        }

      if (!replaced)
        g_string_append_c (text, *p++);
    }

  return g_strstrip (g_string_free (text, FALSE));
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

  license = self->attribution ? attribution_to_plain_text (self->attribution) : g_strdup ("");

  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full ("story-mbtiles",
                                                               self->name,
                                                               license,
                                                               NULL,
                                                               self->min_zoom,
                                                               self->max_zoom,
                                                               256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
