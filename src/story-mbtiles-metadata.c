/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-mbtiles"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "story-mbtiles-source-private.h"
#include "story-tile-data.h"

/*
 * Opening an MBTiles file and reading what it says of itself: the file is
 * checked to be an SQLite database with the tables and columns of the
 * format, opened read-only with a bound on what any query may cost, and its
 * metadata read into the source. Every error of a file that cannot be shown
 * at all comes from here.
 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define WEB_MERCATOR_MAX_LAT 85.0511287798066

static const char sqlite_magic[16] = "SQLite format 3";

static const char tile_sql[] =
  "SELECT length(tile_data),"
  "       CASE WHEN length(tile_data) <= ?4 THEN tile_data END"
  "  FROM tiles"
  " WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3"
  " LIMIT 1";

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

void
_story_mbtiles_source_set_sqlite_error (StoryMbtilesSource *self,
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

gboolean
_story_mbtiles_source_check_file (StoryMbtilesSource  *self,
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

void
_story_mbtiles_source_start_query (StoryMbtilesSource *self)
{
  self->deadline = g_get_monotonic_time () + STORY_MBTILES_MAX_QUERY_TIME * G_USEC_PER_SEC;
}

/* SQLite's URI for @path, read-only; with @immutable, as a file that
 * nobody changes. Every byte of the path but letters, digits, "-._~" and
 * "/" is percent-escaped, so "?", "#" and "%" in a name are part of it. */
static char *
make_database_uri (const char *path,
                   gboolean    immutable)
{
  g_autofree char *absolute = NULL;
  g_autofree char *escaped = NULL;

  if (g_path_is_absolute (path))
    absolute = g_strdup (path);
  else
    {
      g_autofree char *cwd = g_get_current_dir ();

      absolute = g_build_filename (cwd, path, NULL);
    }

  escaped = g_uri_escape_string (absolute, "/", FALSE);

  /* An empty authority: "file:" then "//" then a path that starts with "/". */
  return g_strconcat ("file://", escaped, immutable ? "?mode=ro&immutable=1" : "?mode=ro", NULL);
}

/* Opens the file read-only (never created), with a bound on what any
 * query may cost, and reads its schema: which is where SQLite looks for a
 * journal or write-ahead log beside it. */
static int
open_connection (StoryMbtilesSource  *self,
                 gboolean             immutable,
                 sqlite3            **db)
{
  g_autofree char *uri = make_database_uri (self->path, immutable);
  int rc;

  rc = sqlite3_open_v2 (uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    return rc;

  sqlite3_busy_timeout (*db, 1000);
  /* A bound on any single value, so that a hostile file cannot make us
   * hold gigabytes in memory. */
  sqlite3_limit (*db, SQLITE_LIMIT_LENGTH, 4 * STORY_MBTILES_MAX_TILE_SIZE);
  /* What SQLite advises for databases from elsewhere: the schema may not
   * call functions with side effects, nothing may write to the file's
   * internals, and damaged pages are caught before they are used. */
  sqlite3_db_config (*db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (*db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_exec (*db, "PRAGMA cell_size_check = ON", NULL, NULL, NULL);
  sqlite3_progress_handler (*db, 10000, on_query_progress, self);

  _story_mbtiles_source_start_query (self);
  return sqlite3_exec (*db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
}

gboolean
_story_mbtiles_source_open_database (StoryMbtilesSource  *self,
                                     GError             **error)
{
  sqlite3 *db = NULL;
  int rc;

  /* A file is read with its write-ahead log or journal where SQLite can do
   * that without writing. Where it cannot, as with a file in WAL mode on a
   * read-only medium (no "-shm" file can be made beside it) or one with a
   * journal left behind by a crash (a read-only connection cannot roll it
   * back), it is opened as a file that nobody changes ("immutable"): read
   * as it stands, with nothing beside it read or written. */
  rc = open_connection (self, FALSE, &db);
  if ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY)
    {
      g_debug ("Opening “%s” as an immutable file: %s", self->display_name,
               db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      g_clear_pointer (&db, sqlite3_close_v2);
      rc = open_connection (self, TRUE, &db);
    }

  /* Any other fault of the file is reported by the first query. */
  if (db == NULL || (rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_NOMEM)
    {
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_IO,
                   _("Could not open “%s”: %s"),
                   self->display_name,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return FALSE;
    }

  self->db = db;

  return TRUE;
}

gboolean
_story_mbtiles_source_check_tables (StoryMbtilesSource  *self,
                                    GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_tiles = FALSE;
  gboolean has_metadata = FALSE;
  int rc;

  /* The first read of the file: this is where a damaged database shows. */
  _story_mbtiles_source_start_query (self);
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
      _story_mbtiles_source_set_sqlite_error (self, error, rc);
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

gboolean
_story_mbtiles_source_prepare_tile_statement (StoryMbtilesSource  *self,
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
        _story_mbtiles_source_set_sqlite_error (self, error, rc);
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
        _story_mbtiles_source_set_sqlite_error (self, error, rc);
      return NULL;
    }

  sqlite3_bind_int (stmt, 1, STORY_MBTILES_MAX_METADATA_VALUE);
  _story_mbtiles_source_start_query (self);
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
      _story_mbtiles_source_set_sqlite_error (self, error, rc);
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

/* Parses a zoom level: decimal digits only, with spaces around them at
 * most; "-1", "+5", "5.0", "1e1" and "0x10" are refused. Levels above what
 * we show (up to 64) are kept for clamping. */
static gboolean
parse_zoom (StoryMbtilesSource  *self,
            const char          *key,
            const char          *value,
            gint64              *zoom,
            GError             **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (value));
  guint64 number = 0;

  if (!g_ascii_isdigit (copy[0]) ||
      !g_ascii_string_to_unsigned (copy, 10, 0, 64, &number, NULL))
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
  _story_mbtiles_source_start_query (self);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      _story_mbtiles_source_set_sqlite_error (self, error, rc);
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

/* A decimal number: a sign, digits with at most one point, and an
 * exponent; no hexadecimal, "inf" or "nan". */
static gboolean
is_decimal_number (const char *text)
{
  const char *p = text;
  gboolean digits = FALSE;

  if (*p == '-' || *p == '+')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (digits && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (*p == '-' || *p == '+')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }

  return digits && *p == '\0';
}

static gboolean
parse_coordinate (const char *text,
                  double      limit,
                  double     *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));

  if (!is_decimal_number (copy))
    return FALSE;

  *out = g_ascii_strtod (copy, NULL);

  return isfinite (*out) && fabs (*out) <= limit;
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

/* The optional "tilesize" key: 256, or 512 for a high-resolution file.
 * Without it, the size of the first tile decides (_check_tiles()). */
static gboolean
read_tile_size (StoryMbtilesSource  *self,
                const char          *value,
                GError             **error)
{
  g_autofree char *copy = NULL;
  guint64 size = 0;

  self->tile_size = 0;
  if (value == NULL)
    return TRUE;

  copy = g_strstrip (g_strdup (value));
  if (!g_ascii_isdigit (copy[0]) ||
      !g_ascii_string_to_unsigned (copy, 10, 0, G_MAXUINT, &size, NULL) ||
      (size != STORY_MBTILES_TILE_SIZE && size != STORY_MBTILES_TILE_SIZE_2X))
    {
      /* Translators: %s is the value found in the file; 256 and 512 are
       * sizes in pixels */
      g_autofree char *detail = g_strdup_printf (_("the tile size “%s” is neither 256 nor 512"),
                                                 value);
      set_metadata_error (self, error, detail);
      return FALSE;
    }

  self->tile_size = (guint)size;
  return TRUE;
}

gboolean
_story_mbtiles_source_read_metadata (StoryMbtilesSource  *self,
                                     GError             **error)
{
  g_autoptr(GHashTable) metadata = read_metadata_table (self, error);

  if (metadata == NULL ||
      !read_format (self, g_hash_table_lookup (metadata, "format"), error) ||
      !read_zoom_range (self, metadata, error) ||
      !read_bounds (self, g_hash_table_lookup (metadata, "bounds"), error) ||
      !read_tile_size (self, g_hash_table_lookup (metadata, "tilesize"), error))
    return FALSE;

  self->name = dup_non_empty (g_hash_table_lookup (metadata, "name"));
  if (self->name == NULL)
    self->name = g_strdup (self->display_name);
  self->attribution = dup_non_empty (g_hash_table_lookup (metadata, "attribution"));
  self->description = dup_non_empty (g_hash_table_lookup (metadata, "description"));

  return TRUE;
}

/* Tiles */

/* A file must hold a tile in the zoom levels it is shown at: otherwise the
 * map would be blank. The first such tile also gives the tile size when
 * the metadata does not: 512 pixels square makes a high-resolution file,
 * anything else counts as 256 (and such tiles are refused when shown). */
gboolean
_story_mbtiles_source_check_tiles (StoryMbtilesSource  *self,
                                   GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT CASE WHEN length(tile_data) <= ?3 THEN tile_data END"
                           "  FROM tiles"
                           " WHERE zoom_level BETWEEN ?1 AND ?2"
                           " LIMIT 1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, (int)self->min_zoom);
      sqlite3_bind_int (stmt, 2, (int)self->max_zoom);
      sqlite3_bind_int (stmt, 3, STORY_MBTILES_MAX_TILE_SIZE);
      _story_mbtiles_source_start_query (self);
      rc = sqlite3_step (stmt);
    }

  if (rc == SQLITE_DONE)
    {
      /* Translators: %s is a file name, the %u are zoom levels */
      g_set_error (error, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_EMPTY,
                   _("“%s” holds no tiles at zoom levels %u to %u, the levels its metadata gives"),
                   self->display_name, self->min_zoom, self->max_zoom);
      return FALSE;
    }

  if (rc != SQLITE_ROW)
    {
      _story_mbtiles_source_set_sqlite_error (self, error, rc);
      return FALSE;
    }

  if (self->tile_size == 0)
    {
      g_autoptr(GBytes) first = g_bytes_new (sqlite3_column_blob (stmt, 0),
                                             sqlite3_column_bytes (stmt, 0));
      guint width = 0, height = 0;

      self->tile_size = STORY_MBTILES_TILE_SIZE;
      if (story_tile_data_get_dimensions (first, &width, &height, NULL) &&
          width == STORY_MBTILES_TILE_SIZE_2X && height == STORY_MBTILES_TILE_SIZE_2X)
        self->tile_size = STORY_MBTILES_TILE_SIZE_2X;
    }

  return TRUE;
}
