/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "story-mbtiles-source.h"

#define STANDARD_SCHEMA \
  "CREATE TABLE metadata (name TEXT, value TEXT);" \
  "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER," \
  "                    tile_row INTEGER, tile_data BLOB);" \
  "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("story-mbtiles-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_rmdir (path);
      else
        g_remove (path);
    }

  g_rmdir (f->dir);
  g_free (f->dir);
}

/* Building files */

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static sqlite3 *
create_db (Fixture     *f,
           const char  *name,
           const char  *schema,
           char       **path)
{
  sqlite3 *db = NULL;

  *path = g_build_filename (f->dir, name, NULL);
  g_assert_cmpint (sqlite3_open_v2 (*path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  exec_sql (db, schema);

  return db;
}

static void
set_metadata (sqlite3    *db,
              const char *name,
              const char *value)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO metadata VALUES (?, ?)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
put_tile (sqlite3 *db,
          int      zoom,
          int      column,
          int      row,
          GBytes  *data)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?, ?, ?, ?)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, zoom);
  sqlite3_bind_int (stmt, 2, column);
  sqlite3_bind_int (stmt, 3, row);
  sqlite3_bind_blob (stmt, 4, g_bytes_get_data (data, NULL), g_bytes_get_size (data), SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
put_tile_data (sqlite3    *db,
               int         zoom,
               int         column,
               int         row,
               const void *data,
               gsize       size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  put_tile (db, zoom, column, row, bytes);
}

/* A distinct colour for every tile of zoom 0–3, by its stored (TMS) row. */
static guint32
colour_for (int zoom,
            int column,
            int row)
{
  return ((guint32)(zoom * 60 + 20) << 16) | ((guint32)(column * 50 + 10) << 8) | (guint32)(row * 50 + 10);
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
png_image (int     width,
           int     height,
           guint32 rgb)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  GByteArray *array = g_byte_array_new ();

  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_to_array, array), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static GBytes *
png_tile (guint32 rgb)
{
  return png_image (256, 256, rgb);
}

static GBytes *
jpeg_tile (guint32 rgb)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 256, 256);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, (rgb << 8) | 0xff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "95", NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

/* The colour at the centre of an encoded tile. */
static guint32
tile_colour (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (bytes, &error);
  g_autofree guchar *pixels = NULL;
  int width, height;
  guint32 pixel;

  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize)width * height * 4);
  gdk_texture_download (texture, pixels, (gsize)width * 4);
  memcpy (&pixel, pixels + ((gsize)(height / 2) * width + width / 2) * 4, sizeof pixel);

  return pixel & 0xffffff;
}

static void
assert_colour_near (guint32 actual,
                    guint32 expected,
                    int     tolerance)
{
  for (int shift = 0; shift <= 16; shift += 8)
    g_assert_cmpint (ABS ((int)((actual >> shift) & 0xff) - (int)((expected >> shift) & 0xff)), <=, tolerance);
}

/* A file with every tile of zooms 0–2 and full metadata. */
static char *
create_pyramid (Fixture    *f,
                const char *name)
{
  char *path = NULL;
  sqlite3 *db = create_db (f, name, STANDARD_SCHEMA, &path);

  set_metadata (db, "name", "Test Map");
  set_metadata (db, "format", "png");
  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "2");
  set_metadata (db, "bounds", "-10.5, 40,20,60.25");
  set_metadata (db, "attribution", "<a href=\"https://example.org/\">© Example &amp; Co</a>");
  set_metadata (db, "description", "A test map");

  exec_sql (db, "BEGIN");
  for (int z = 0; z <= 2; z++)
    for (int column = 0; column < (1 << z); column++)
      for (int row = 0; row < (1 << z); row++)
        {
          g_autoptr(GBytes) tile = png_tile (colour_for (z, column, row));

          put_tile (db, z, column, row, tile);
        }
  exec_sql (db, "COMMIT");
  sqlite3_close (db);

  return path;
}

static StoryMbtilesSource *
open_pyramid (Fixture *f)
{
  g_autofree char *path = create_pyramid (f, "pyramid.mbtiles");
  g_autoptr(GError) error = NULL;
  StoryMbtilesSource *source = story_mbtiles_source_new (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (source);

  return source;
}

/* Fetching tiles, with the main loop bounded */

typedef struct
{
  GMainLoop *loop;
  GBytes    *bytes;
  GError    *error;
  guint      pending;
  gboolean   timed_out;
} Fetch;

static void
on_fetched (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;

  g_clear_pointer (&fetch->bytes, g_bytes_unref);
  g_clear_error (&fetch->error);
  fetch->bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &fetch->error);
  g_assert_true ((fetch->bytes == NULL) != (fetch->error == NULL));

  if (--fetch->pending == 0)
    g_main_loop_quit (fetch->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  Fetch *fetch = user_data;

  fetch->timed_out = TRUE;
  g_main_loop_quit (fetch->loop);

  return G_SOURCE_REMOVE;
}

static void
fetch_run (Fetch *fetch)
{
  guint timeout_id = g_timeout_add_seconds (20, on_timeout, fetch);

  if (fetch->pending > 0)
    g_main_loop_run (fetch->loop);

  g_assert_false (fetch->timed_out);
  g_source_remove (timeout_id);
  g_main_loop_unref (fetch->loop);
}

static GBytes *
fetch_tile (StoryMbtilesSource  *source,
            int                  x,
            int                  y,
            int                  zoom,
            GError             **error)
{
  Fetch fetch = { g_main_loop_new (NULL, FALSE), NULL, NULL, 1, FALSE };

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, zoom,
                                           NULL, on_fetched, &fetch);
  fetch_run (&fetch);

  if (fetch.error)
    g_propagate_error (error, fetch.error);

  return fetch.bytes;
}

static void
assert_tile_error (StoryMbtilesSource *source,
                   int                 x,
                   int                 y,
                   int                 zoom,
                   GQuark              domain,
                   int                 code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fetch_tile (source, x, y, zoom, &error);

  g_assert_error (error, domain, code);
  g_assert_null (bytes);
  g_test_message ("%s", error->message);
}

static void
assert_open_error (const char *path,
                   int         code,
                   const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryMbtilesSource) source = story_mbtiles_source_new (path, &error);
  g_autofree char *basename = g_path_get_basename (path);

  g_assert_error (error, STORY_MBTILES_ERROR, code);
  g_assert_null (source);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, basename));
  if (fragment)
    g_assert_nonnull (strstr (error->message, fragment));
}

/* Tests */

static void
test_metadata (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(StoryMbtilesSource) source = open_pyramid (f);
  g_autoptr(ShumateMapSource) map_source = NULL;
  g_autofree char *path = g_build_filename (f->dir, "pyramid.mbtiles", NULL);
  StoryBounds bounds;

  g_assert_cmpstr (story_mbtiles_source_get_path (source), ==, path);
  g_assert_cmpstr (story_mbtiles_source_get_name (source), ==, "Test Map");
  g_assert_cmpstr (story_mbtiles_source_get_format (source), ==, "png");
  g_assert_cmpstr (story_mbtiles_source_get_attribution (source), ==,
                   "<a href=\"https://example.org/\">© Example &amp; Co</a>");
  g_assert_cmpstr (story_mbtiles_source_get_description (source), ==, "A test map");
  g_assert_cmpuint (story_mbtiles_source_get_min_zoom (source), ==, 0);
  g_assert_cmpuint (story_mbtiles_source_get_max_zoom (source), ==, 2);

  g_assert_true (story_mbtiles_source_get_bounds (source, &bounds));
  g_assert_cmpfloat_with_epsilon (bounds.west, -10.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (bounds.south, 40, 1e-9);
  g_assert_cmpfloat_with_epsilon (bounds.east, 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (bounds.north, 60.25, 1e-9);

  map_source = story_mbtiles_source_new_map_source (source);
  g_assert_cmpstr (shumate_map_source_get_id (map_source), ==, "story-mbtiles");
  g_assert_cmpstr (shumate_map_source_get_name (map_source), ==, "Test Map");
  g_assert_cmpstr (shumate_map_source_get_license (map_source), ==, "© Example & Co");
  g_assert_cmpuint (shumate_map_source_get_min_zoom_level (map_source), ==, 0);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 2);
  g_assert_cmpuint (shumate_map_source_get_tile_size (map_source), ==, 256);
}

static void
test_sparse_metadata (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "plain.mbtiles", STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) tile = png_tile (0x336699);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(ShumateMapSource) map_source = NULL;
  g_autoptr(GError) error = NULL;
  StoryBounds bounds;

  /* No name, format, zoom range, bounds or attribution. */
  put_tile (db, 3, 1, 1, tile);
  put_tile (db, 5, 2, 2, tile);
  put_tile (db, 4, 0, 0, tile);
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (story_mbtiles_source_get_name (source), ==, "plain.mbtiles");
  g_assert_cmpstr (story_mbtiles_source_get_format (source), ==, "png");
  g_assert_null (story_mbtiles_source_get_attribution (source));
  g_assert_null (story_mbtiles_source_get_description (source));
  g_assert_cmpuint (story_mbtiles_source_get_min_zoom (source), ==, 3);
  g_assert_cmpuint (story_mbtiles_source_get_max_zoom (source), ==, 5);

  g_assert_false (story_mbtiles_source_get_bounds (source, &bounds));
  g_assert_cmpfloat (bounds.west, ==, -180);
  g_assert_cmpfloat (bounds.east, ==, 180);
  g_assert_cmpfloat_with_epsilon (bounds.north, 85.0511, 1e-4);
  g_assert_cmpfloat_with_epsilon (bounds.south, -85.0511, 1e-4);

  map_source = story_mbtiles_source_new_map_source (source);
  g_assert_cmpstr (shumate_map_source_get_name (map_source), ==, "plain.mbtiles");
  g_assert_cmpstr (shumate_map_source_get_license (map_source), ==, "");
  g_assert_cmpuint (shumate_map_source_get_min_zoom_level (map_source), ==, 3);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 5);
}

static void
test_zoom_partly_missing (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "half.mbtiles", STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) tile = png_tile (0x336699);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GError) error = NULL;

  set_metadata (db, "maxzoom", "9");
  put_tile (db, 2, 0, 0, tile);
  put_tile (db, 6, 0, 0, tile);
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (story_mbtiles_source_get_min_zoom (source), ==, 2);
  g_assert_cmpuint (story_mbtiles_source_get_max_zoom (source), ==, 9);
}

static void
test_zoom_clamped (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "deep.mbtiles", STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) tile = png_tile (0x336699);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GError) error = NULL;

  /* Spaces around a number are allowed. */
  set_metadata (db, "minzoom", "\t4 ");
  set_metadata (db, "maxzoom", " 24 ");
  put_tile (db, 5, 0, 0, tile);
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (story_mbtiles_source_get_min_zoom (source), ==, 4);
  g_assert_cmpuint (story_mbtiles_source_get_max_zoom (source), ==, STORY_MBTILES_MAX_ZOOM);
}

static void
test_bad_zoom (Fixture       *f,
               gconstpointer  data)
{
  static const struct {
    const char *min;
    const char *max;
  } cases[] = {
    { "abc", "5" },
    { "-1", "5" },
    { "2.5", "5" },
    { "", "5" },
    { "0", "1e400" },
    { "6", "3" },
    { "23", "24" },
    /* Decimal digits only: no fractions, exponents, hexadecimal or signs. */
    { "4.0", "5" },
    { "1e1", "12" },
    { "0", "0x10" },
    { "+1", "5" },
    { "0", "1 2" },
    { "0", "\xd9\xa5" },   /* ARABIC-INDIC DIGIT FIVE */
    { "0", "65" },
    { "0", "99999999999999999999999" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("zoom-%u.mbtiles", i);
      g_autofree char *path = NULL;
      sqlite3 *db = create_db (f, name, STANDARD_SCHEMA, &path);

      set_metadata (db, "minzoom", cases[i].min);
      set_metadata (db, "maxzoom", cases[i].max);
      sqlite3_close (db);

      g_test_message ("minzoom “%s”, maxzoom “%s”", cases[i].min, cases[i].max);
      assert_open_error (path, STORY_MBTILES_ERROR_METADATA, NULL);
    }
}

static void
test_bad_bounds (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const cases[] = {
    "1,2,3",
    "1,2,3,4,5",
    "-200,0,10,10",
    "0,-91,1,1",
    "10,0,5,5",
    "0,10,1,5",
    "a,b,c,d",
    "0,0,nan,1",
    "0x10,0,20,20",
    "0,0,inf,1",
    "1.,.,3,4",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bounds-%u.mbtiles", i);
      g_autofree char *path = NULL;
      sqlite3 *db = create_db (f, name, STANDARD_SCHEMA, &path);

      set_metadata (db, "minzoom", "0");
      set_metadata (db, "maxzoom", "3");
      set_metadata (db, "bounds", cases[i]);
      sqlite3_close (db);

      g_test_message ("bounds “%s”", cases[i]);
      assert_open_error (path, STORY_MBTILES_ERROR_METADATA, cases[i]);
    }
}

static void
test_tms_rows (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(StoryMbtilesSource) source = open_pyramid (f);

  for (int z = 0; z <= 2; z++)
    for (int x = 0; x < (1 << z); x++)
      for (int y = 0; y < (1 << z); y++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) bytes = fetch_tile (source, x, y, z, &error);

          g_assert_no_error (error);
          /* Row 0 of the file is the southernmost, y 0 the northernmost. */
          g_assert_cmphex (tile_colour (bytes), ==, colour_for (z, x, (1 << z) - 1 - y));
        }
}

static void
test_jpeg (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "photo.mbtiles", STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) tile = jpeg_tile (0x2080c0);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  set_metadata (db, "format", "jpeg");
  put_tile (db, 1, 1, 0, tile);
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (story_mbtiles_source_get_format (source), ==, "jpg");

  bytes = fetch_tile (source, 1, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, tile));
  assert_colour_near (tile_colour (bytes), 0x2080c0, 4);
}

static void
test_bad_tiles (Fixture       *f,
                gconstpointer  data)
{
  static const char text[] = "this is not an image";
  static const guint8 jpeg_junk[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 2, 3 };
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "damaged.mbtiles", STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) good = png_tile (0x11aa55);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (good, 0, g_bytes_get_size (good) - 20);
  g_autoptr(GBytes) wide = png_image (STORY_MBTILES_TILE_SIZE + 1, 1, 0x11aa55);
  g_autofree guint8 *flipped = g_memdup2 (g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  g_autoptr(GBytes) photo = jpeg_tile (0x808080);
  g_autoptr(GBytes) headless_photo = NULL;
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  /* A JPEG cut off right after its frame header: the size is known, the
   * image is not. */
  {
    const guint8 *p = g_bytes_get_data (photo, NULL);
    gsize i = 2;

    while (!(p[i] == 0xff && p[i + 1] == 0xc0))
      i += 2 + ((p[i + 2] << 8) | p[i + 3]);
    headless_photo = g_bytes_new_from_bytes (photo, 0, i + 2 + ((p[i + 2] << 8) | p[i + 3]));
  }

  /* One bit changed inside the compressed pixels. */
  flipped[g_bytes_get_size (good) - 30] ^= 0x10;

  set_metadata (db, "minzoom", "1");
  set_metadata (db, "maxzoom", "2");
  put_tile_data (db, 1, 0, 1, text, sizeof text - 1);       /* 0/0 */
  put_tile (db, 1, 1, 1, truncated);                        /* 1/0 */
  put_tile_data (db, 1, 0, 0, jpeg_junk, sizeof jpeg_junk); /* 0/1 */
  put_tile (db, 1, 1, 0, good);                             /* 1/1 */
  put_tile (db, 2, 0, 3, wide);                             /* 0/0 */
  put_tile_data (db, 2, 1, 3, "", 0);                       /* 1/0 */
  exec_sql (db, "INSERT INTO tiles VALUES (2, 2, 3, NULL)"); /* 2/0 */
  put_tile (db, 2, 3, 3, headless_photo);                   /* 3/0 */
  put_tile_data (db, 2, 0, 2, flipped, g_bytes_get_size (good)); /* 0/1 */
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);

  assert_tile_error (source, 0, 0, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
  assert_tile_error (source, 1, 0, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
  assert_tile_error (source, 0, 1, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
  assert_tile_error (source, 0, 0, 2, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
  assert_tile_error (source, 1, 0, 2, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
  assert_tile_error (source, 2, 0, 2, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
  assert_tile_error (source, 3, 0, 2, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
  assert_tile_error (source, 0, 1, 2, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);

  /* The good tile still loads after the bad ones. */
  bytes = fetch_tile (source, 1, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmphex (tile_colour (bytes), ==, 0x11aa55);
}

static void
test_oversized_tile (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "big.mbtiles", STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) good = png_tile (0x445566);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize huge_size = 20 * 1024 * 1024;
  g_autofree guint8 *huge = g_malloc0 (huge_size);

  /* A real PNG padded past the limit, and one past any SQLite value
   * length we allow. */
  memcpy (huge, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "1");
  put_tile_data (db, 1, 0, 1, huge, STORY_MBTILES_MAX_TILE_SIZE + 1);
  put_tile_data (db, 1, 1, 1, huge, huge_size);
  put_tile (db, 1, 0, 0, good);
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);

  assert_tile_error (source, 0, 0, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_TILE_TOO_LARGE);
  assert_tile_error (source, 1, 0, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_TILE_TOO_LARGE);

  bytes = fetch_tile (source, 0, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmphex (tile_colour (bytes), ==, 0x445566);
}

static void
test_missing_tile (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "sparse.mbtiles", STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) tile = png_tile (0x123456);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GError) error = NULL;

  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "1");
  put_tile (db, 1, 0, 0, tile);
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);

  assert_tile_error (source, 0, 0, 1, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  assert_tile_error (source, 0, 0, 0, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_out_of_range (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(StoryMbtilesSource) source = open_pyramid (f);
  g_autofree char *path = NULL;
  g_autoptr(StoryMbtilesSource) deep = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  assert_tile_error (source, 0, 0, 3, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  assert_tile_error (source, 0, 0, -1, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  assert_tile_error (source, 0, 0, 31, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  assert_tile_error (source, 2, 0, 1, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  assert_tile_error (source, 0, -1, 1, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  /* Zoom 1 is stored but outside the declared range. */
  db = create_db (f, "ranged.mbtiles", STANDARD_SCHEMA, &path);
  set_metadata (db, "minzoom", "2");
  set_metadata (db, "maxzoom", "3");
  exec_sql (db, "INSERT INTO tiles SELECT 1, 0, 0, x'89504e47'");
  exec_sql (db, "INSERT INTO tiles SELECT 2, 0, 0, x'89504e47'");
  sqlite3_close (db);
  deep = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  assert_tile_error (deep, 0, 1, 1, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

typedef struct
{
  guint    n_emissions;
  int      x;
  int      y;
  int      zoom;
  GBytes  *bytes;
  Fetch   *fetch;
  gboolean before_callback;
} Received;

static void
on_received_data (ShumateDataSource *data_source,
                  int                x,
                  int                y,
                  int                zoom,
                  GBytes            *bytes,
                  Received          *received)
{
  received->n_emissions++;
  received->x = x;
  received->y = y;
  received->zoom = zoom;
  g_clear_pointer (&received->bytes, g_bytes_unref);
  received->bytes = g_bytes_ref (bytes);
  received->before_callback = received->fetch->pending > 0;
}

static void
test_received_data (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(StoryMbtilesSource) source = open_pyramid (f);
  Fetch fetch = { g_main_loop_new (NULL, FALSE), NULL, NULL, 1, FALSE };
  Received received = { 0, 0, 0, 0, NULL, &fetch, FALSE };

  g_signal_connect (source, "received-data", G_CALLBACK (on_received_data), &received);

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), 1, 0, 2,
                                           NULL, on_fetched, &fetch);
  fetch_run (&fetch);

  g_assert_no_error (fetch.error);
  g_assert_cmpuint (received.n_emissions, ==, 1);
  g_assert_true (received.before_callback);
  g_assert_cmpint (received.x, ==, 1);
  g_assert_cmpint (received.y, ==, 0);
  g_assert_cmpint (received.zoom, ==, 2);
  g_assert_true (g_bytes_equal (received.bytes, fetch.bytes));
  g_clear_pointer (&fetch.bytes, g_bytes_unref);

  /* Nothing is received for a tile that fails. */
  assert_tile_error (source, 0, 0, 3, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (received.n_emissions, ==, 1);

  g_clear_pointer (&received.bytes, g_bytes_unref);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(StoryMbtilesSource) source = open_pyramid (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Fetch fetch = { g_main_loop_new (NULL, FALSE), NULL, NULL, 1, FALSE };
  Received received = { 0, 0, 0, 0, NULL, &fetch, FALSE };

  g_signal_connect (source, "received-data", G_CALLBACK (on_received_data), &received);

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), 0, 0, 1,
                                           cancellable, on_fetched, &fetch);
  g_cancellable_cancel (cancellable);
  fetch_run (&fetch);

  g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (received.n_emissions, ==, 0);
  g_clear_error (&fetch.error);
}

typedef struct
{
  GBytes *bytes;
  GError *error;
  Fetch  *all;
} Slot;

static void
on_slot_fetched (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Slot *slot = user_data;

  slot->bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &slot->error);

  if (--slot->all->pending == 0)
    g_main_loop_quit (slot->all->loop);
}

static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(StoryMbtilesSource) source = open_pyramid (f);
  Slot slots[16];
  Fetch all = { g_main_loop_new (NULL, FALSE), NULL, NULL, G_N_ELEMENTS (slots), FALSE };

  /* Every tile of zoom 2 at once, read by several worker threads. */
  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      slots[i] = (Slot) { NULL, NULL, &all };
      shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), i % 4, i / 4, 2,
                                               NULL, on_slot_fetched, &slots[i]);
    }

  fetch_run (&all);

  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      g_assert_no_error (slots[i].error);
      g_assert_cmphex (tile_colour (slots[i].bytes), ==, colour_for (2, i % 4, 3 - i / 4));
      g_bytes_unref (slots[i].bytes);
    }
}

static void
test_view_schema (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "dedup.mbtiles",
                           "CREATE TABLE metadata (name TEXT, value TEXT);"
                           "CREATE TABLE images (tile_id TEXT PRIMARY KEY, tile_data BLOB);"
                           "CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER,"
                           "                  tile_row INTEGER, tile_id TEXT);"
                           "CREATE VIEW tiles AS"
                           "  SELECT zoom_level, tile_column, tile_row, tile_data"
                           "    FROM map JOIN images ON images.tile_id = map.tile_id;",
                           &path);
  g_autoptr(GBytes) tile = png_tile (0x0a0b0c);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (db, "INSERT INTO images VALUES ('sea', ?)", -1, &stmt, NULL);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (tile, NULL), g_bytes_get_size (tile), SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  exec_sql (db, "INSERT INTO map VALUES (1, 0, 0, 'sea'), (1, 1, 0, 'sea')");
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (story_mbtiles_source_get_min_zoom (source), ==, 1);
  g_assert_cmpuint (story_mbtiles_source_get_max_zoom (source), ==, 1);

  bytes = fetch_tile (source, 1, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmphex (tile_colour (bytes), ==, 0x0a0b0c);
  assert_tile_error (source, 1, 0, 1, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

#define ENDLESS_VIEW \
  "CREATE TABLE metadata (name TEXT, value TEXT);" \
  "CREATE VIEW tiles AS" \
  "  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n)" \
  "  SELECT 0 AS zoom_level, 0 AS tile_column, 0 AS tile_row, zeroblob(10) AS tile_data" \
  "    FROM n WHERE i < 0;"

/* One row for tile 0/0/0 first, then rows that never come. */
#define ENDLESS_VIEW_AFTER_A_TILE \
  "CREATE TABLE metadata (name TEXT, value TEXT);" \
  "CREATE VIEW tiles AS" \
  "  SELECT 0 AS zoom_level, 0 AS tile_column, 0 AS tile_row, zeroblob(10) AS tile_data" \
  "  UNION ALL" \
  "  SELECT * FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n)" \
  "                 SELECT 1, 0, 1, zeroblob(10) FROM n WHERE i < 0);"

/* "tiles" may be a view, and a view may never end: a query gives up after
 * STORY_MBTILES_MAX_QUERY_TIME instead of hanging the map or its opening. */
static void
test_endless_view (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *computed_path = NULL;
  g_autofree char *empty_path = NULL;
  sqlite3 *db = create_db (f, "endless.mbtiles", ENDLESS_VIEW_AFTER_A_TILE, &path);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "2");
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  assert_tile_error (source, 0, 0, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_TOO_SLOW);
  g_assert_cmpint (g_get_monotonic_time () - start, <, (STORY_MBTILES_MAX_QUERY_TIME + 2) * G_USEC_PER_SEC);

  /* The source still answers afterwards. */
  assert_tile_error (source, 0, 0, 3, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  /* Without zoom levels in the metadata they are computed from the view. */
  db = create_db (f, "endless-computed.mbtiles", ENDLESS_VIEW, &computed_path);
  sqlite3_close (db);
  start = g_get_monotonic_time ();
  assert_open_error (computed_path, STORY_MBTILES_ERROR_TOO_SLOW, "took longer than 3 seconds");
  g_assert_cmpint (g_get_monotonic_time () - start, <, (STORY_MBTILES_MAX_QUERY_TIME + 2) * G_USEC_PER_SEC);

  /* With them, looking for a tile in their range gives up as well. */
  db = create_db (f, "endless-empty.mbtiles", ENDLESS_VIEW, &empty_path);
  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "2");
  sqlite3_close (db);
  start = g_get_monotonic_time ();
  assert_open_error (empty_path, STORY_MBTILES_ERROR_TOO_SLOW, "took longer than 3 seconds");
  g_assert_cmpint (g_get_monotonic_time () - start, <, (STORY_MBTILES_MAX_QUERY_TIME + 2) * G_USEC_PER_SEC);
}

/* Functions with side effects are refused in a file's schema. */
static void
test_untrusted_schema (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "side-effect.mbtiles",
                           "CREATE TABLE metadata (name TEXT, value TEXT);"
                           "CREATE TABLE t (zoom_level, tile_column, tile_row, tile_data);"
                           "CREATE VIEW tiles AS SELECT zoom_level, tile_column, tile_row,"
                           "  load_extension('/nonexistent/evil') AS tile_data FROM t;",
                           &path);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GError) error = NULL;

  exec_sql (db, "INSERT INTO t VALUES (0, 0, 0, NULL)");
  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "0");
  sqlite3_close (db);

  /* Either opening or the tile itself fails; nothing is loaded. */
  source = story_mbtiles_source_new (path, &error);
  if (source != NULL)
    {
      g_autoptr(GBytes) bytes = fetch_tile (source, 0, 0, 0, &error);

      g_assert_null (bytes);
    }
  g_assert_nonnull (error);
  g_assert_true (error->domain == STORY_MBTILES_ERROR);
  g_test_message ("%s", error->message);
}


/* A file with nothing to show at the zoom levels it is shown at is
 * refused when opened, rather than shown as a blank map. */
static void
test_no_tiles_in_range (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) tile = png_tile (0x336699);
  g_autofree char *outside = NULL;
  g_autofree char *too_deep = NULL;
  sqlite3 *db;

  db = create_db (f, "outside.mbtiles", STANDARD_SCHEMA, &outside);
  set_metadata (db, "minzoom", "2");
  set_metadata (db, "maxzoom", "3");
  put_tile (db, 1, 0, 0, tile);
  put_tile (db, 4, 0, 0, tile);
  sqlite3_close (db);
  assert_open_error (outside, STORY_MBTILES_ERROR_EMPTY, "holds no tiles at zoom levels 2 to 3");

  /* Levels past the deepest shown are ignored, so their tiles count for
   * nothing. */
  db = create_db (f, "too-deep.mbtiles", STANDARD_SCHEMA, &too_deep);
  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "30");
  put_tile (db, 25, 0, 0, tile);
  sqlite3_close (db);
  assert_open_error (too_deep, STORY_MBTILES_ERROR_EMPTY, "holds no tiles at zoom levels 0 to 22");
}

/* A tile must be the file's tile size: a small body can declare a huge
 * image, and decoding it would take gigabytes. */
static void
test_tile_size (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "sizes.mbtiles", STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) good = png_tile (0x102030);
  g_autoptr(GBytes) huge = png_image (2048, 2048, 0x102030);
  g_autoptr(GBytes) double_size = png_image (512, 512, 0x102030);
  g_autoptr(GBytes) small = png_image (128, 128, 0x102030);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(ShumateMapSource) map_source = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  set_metadata (db, "minzoom", "1");
  set_metadata (db, "maxzoom", "1");
  put_tile (db, 1, 0, 0, good);          /* 0/1, the first in the file */
  put_tile (db, 1, 1, 1, huge);          /* 1/0 */
  put_tile (db, 1, 0, 1, double_size);   /* 0/0 */
  put_tile (db, 1, 1, 0, small);         /* 1/1 */
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (story_mbtiles_source_get_tile_size (source), ==, 256);
  map_source = story_mbtiles_source_new_map_source (source);
  g_assert_cmpuint (shumate_map_source_get_tile_size (map_source), ==, 256);

  bytes = fetch_tile (source, 0, 1, 1, &error);
  g_assert_no_error (error);
  assert_tile_error (source, 1, 0, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
  assert_tile_error (source, 0, 0, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
  assert_tile_error (source, 1, 1, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
}

static StoryMbtilesSource *
open_double_size (Fixture    *f,
                  const char *name,
                  const char *tile_size)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, name, STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) double_size = png_image (512, 512, 0x405060);
  g_autoptr(GBytes) single = png_tile (0x405060);
  g_autoptr(GError) error = NULL;
  StoryMbtilesSource *source;

  if (tile_size != NULL)
    set_metadata (db, "tilesize", tile_size);
  put_tile (db, 0, 0, 0, double_size);
  put_tile (db, 1, 0, 0, single);
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);

  return source;
}

/* A high-resolution ("@2x") file has tiles of 512 pixels: said by its
 * metadata, or by its first tile. */
static void
test_double_tile_size (Fixture       *f,
                       gconstpointer  data)
{
  const char *names[] = { "declared@2x.mbtiles", "found@2x.mbtiles" };
  const char *sizes[] = { " 512 ", NULL };
  g_autofree char *bad_path = NULL;
  sqlite3 *db;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(StoryMbtilesSource) source = open_double_size (f, names[i], sizes[i]);
      g_autoptr(ShumateMapSource) map_source = story_mbtiles_source_new_map_source (source);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (story_mbtiles_source_get_tile_size (source), ==, 512);
      g_assert_cmpuint (shumate_map_source_get_tile_size (map_source), ==, 512);
      bytes = fetch_tile (source, 0, 0, 0, &error);
      g_assert_no_error (error);
      assert_tile_error (source, 0, 1, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
    }

  db = create_db (f, "bad-size.mbtiles", STANDARD_SCHEMA, &bad_path);
  set_metadata (db, "tilesize", "2048");
  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "0");
  sqlite3_close (db);
  assert_open_error (bad_path, STORY_MBTILES_ERROR_METADATA, "2048");
}

static void
on_tile_failed (StoryMbtilesSource *source,
                const GError       *error,
                guint              *n_failed)
{
  g_assert_true (error->domain == STORY_MBTILES_ERROR);
  (*n_failed)++;
}

/* The map is told of every tile that is in the file but cannot be shown,
 * and of no other. */
static void
test_tile_failed (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, "failing.mbtiles", STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) good = png_tile (0x102030);
  g_autoptr(StoryMbtilesSource) source = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  guint n_failed = 0;

  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "1");
  put_tile (db, 0, 0, 0, good);
  put_tile_data (db, 1, 0, 1, "junk", 4);
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_signal_connect (source, "tile-failed", G_CALLBACK (on_tile_failed), &n_failed);

  bytes = fetch_tile (source, 0, 0, 0, &error);
  g_assert_no_error (error);
  assert_tile_error (source, 1, 1, 1, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (n_failed, ==, 0);

  assert_tile_error (source, 0, 0, 1, STORY_MBTILES_ERROR, STORY_MBTILES_ERROR_BAD_TILE);
  g_assert_cmpuint (n_failed, ==, 1);
}

static StoryMbtilesSource *
open_with_attribution (Fixture    *f,
                       const char *name,
                       const char *attribution)
{
  g_autofree char *path = NULL;
  sqlite3 *db = create_db (f, name, STANDARD_SCHEMA, &path);
  g_autoptr(GBytes) tile = png_tile (0x102030);
  g_autoptr(GError) error = NULL;
  StoryMbtilesSource *source;

  set_metadata (db, "attribution", attribution);
  put_tile (db, 0, 0, 0, tile);
  sqlite3_close (db);

  source = story_mbtiles_source_new (path, &error);
  g_assert_no_error (error);

  return source;
}

static char *
license_of (StoryMbtilesSource *source)
{
  g_autoptr(ShumateMapSource) map_source = story_mbtiles_source_new_map_source (source);

  return g_strdup (shumate_map_source_get_license (map_source));
}

/* The attribution is shown as plain text of bounded length, whatever the
 * file holds. */
static void
test_long_attribution (Fixture       *f,
                       gconstpointer  data)
{
  gsize size = STORY_MBTILES_MAX_METADATA_VALUE;
  g_autofree char *word = g_malloc (size + 1);
  g_autofree char *brackets = g_malloc (size + 1);
  g_autoptr(StoryMbtilesSource) long_word = NULL;
  g_autoptr(StoryMbtilesSource) open_tags = NULL;
  g_autoptr(StoryMbtilesSource) markup = NULL;
  g_autoptr(StoryMbtilesSource) exact = NULL;
  g_autofree char *license = NULL;
  g_autofree char *limit = NULL;
  gint64 start;

  memset (word, 'W', size);
  word[size] = '\0';
  long_word = open_with_attribution (f, "word.mbtiles", word);
  license = license_of (long_word);
  g_assert_true (g_utf8_validate (license, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (license, -1), ==, STORY_MBTILES_MAX_ATTRIBUTION);
  g_assert_true (g_str_has_suffix (license, "W…"));
  g_clear_pointer (&license, g_free);

  /* Thousands of "<" with no ">": text, read in linear time. */
  memset (brackets, '<', size);
  brackets[size] = '\0';
  open_tags = open_with_attribution (f, "brackets.mbtiles", brackets);
  start = g_get_monotonic_time ();
  license = license_of (open_tags);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  g_assert_cmpint (g_utf8_strlen (license, -1), ==, STORY_MBTILES_MAX_ATTRIBUTION);
  g_clear_pointer (&license, g_free);

  /* Tags dropped, entities read, lines and spaces run together, and
   * directional formatting made visible. */
  markup = open_with_attribution (f, "markup.mbtiles",
                                  "<a href=\"https://example.org/\"\nonclick=\"x\">© Example</a>\n\n"
                                  "  <b>&amp;</b>\t\xe2\x80\xae" "Co &lt;b&gt; <");
  license = license_of (markup);
  g_assert_cmpstr (license, ==, "© Example & \xef\xbf\xbd" "Co <b> <");
  g_clear_pointer (&license, g_free);

  /* Exactly at the limit, nothing is cut. */
  limit = g_strnfill (STORY_MBTILES_MAX_ATTRIBUTION, 'x');
  exact = open_with_attribution (f, "exact.mbtiles", limit);
  license = license_of (exact);
  g_assert_cmpstr (license, ==, limit);
}

/* A file name is shown as it is: never reordered by the directional
 * formatting characters it holds, never read as markup. */
static void
test_display_name (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *spoof = story_mbtiles_display_name ("/media/stick/A&lt;b&gt;\xe2\x80\xaetxt.mbtiles");
  g_autofree char *isolate = story_mbtiles_display_name ("/x/\xe2\x81\xa7" "a\xe2\x81\xa9" "b\xe2\x80\x8f.mbtiles");
  g_autofree char *control = story_mbtiles_display_name ("/x/line\nbreak\x01.mbtiles");
  g_autofree char *plain = story_mbtiles_display_name ("/x/Roads & Rivers.mbtiles");

  g_assert_cmpstr (spoof, ==, "A&lt;b&gt;\xef\xbf\xbdtxt.mbtiles");
  g_assert_cmpstr (isolate, ==, "\xef\xbf\xbd" "a\xef\xbf\xbd" "b\xef\xbf\xbd.mbtiles");
  g_assert_cmpstr (control, ==, "line break\xef\xbf\xbd.mbtiles");
  g_assert_cmpstr (plain, ==, "Roads & Rivers.mbtiles");
}

/* A small file in WAL mode, written and closed cleanly: its header says
 * WAL, so a reader needs a "-shm" file beside it. */
static char *
create_wal_file (Fixture    *f,
                 const char *dir,
                 const char *name)
{
  g_autoptr(GBytes) tile = png_tile (0x0f1e2d);
  g_autofree char *wal = NULL;
  char *path = NULL;
  sqlite3 *db;

  db = create_db (f, name, STANDARD_SCHEMA, &path);
  exec_sql (db, "PRAGMA journal_mode = WAL");
  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "0");
  put_tile (db, 0, 0, 0, tile);
  sqlite3_close (db);

  if (dir != NULL)
    {
      g_autofree char *moved = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_rename (path, moved), ==, 0);
      g_free (path);
      path = g_steal_pointer (&moved);
    }

  wal = g_strconcat (path, "-wal", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  return path;
}

static void
assert_opens_with_tile (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryMbtilesSource) source = story_mbtiles_source_new (path, &error);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  bytes = fetch_tile (source, 0, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmphex (tile_colour (bytes), ==, 0x0f1e2d);
}

/* A clean file in WAL mode in a folder nobody may write to (a CD, a
 * read-only mount): no "-shm" file can be made beside it. */
static void
test_read_only_wal (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->dir, "read-only", NULL);
  g_autofree char *path = NULL;
  g_autofree char *shm = NULL;

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  path = create_wal_file (f, dir, "wal.mbtiles");
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);

  if (geteuid () == 0)
    {
      /* The folder's permissions do not bind root, who could make the
       * "-shm" file; /story/mbtiles/unopenable-shm covers that case. */
      g_chmod (dir, 0755);
      g_test_skip ("Running as root: folder permissions do not apply");
      return;
    }

  assert_opens_with_tile (path);
  shm = g_strconcat (path, "-shm", NULL);
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
}

/* The same, where the "-shm" file cannot be opened whoever asks: the path
 * is taken by a folder. */
static void
test_unopenable_shm (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = create_wal_file (f, NULL, "wal.mbtiles");
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_assert_cmpint (g_mkdir (shm, 0755), ==, 0);
  assert_opens_with_tile (path);
}

/* A journal left beside the file by a writer that crashed mid-way: a
 * read-only reader cannot roll it back, so reads the file as it stands. */
static void
test_leftover_journal (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "crashed.mbtiles", NULL);
  g_autofree char *copy_journal = g_strconcat (copy, "-journal", NULL);
  g_autoptr(GBytes) tile = png_tile (0x0f1e2d);
  g_autofree char *contents = NULL;
  gsize length;
  sqlite3 *db;

  db = create_db (f, "writing.mbtiles", STANDARD_SCHEMA, &path);
  set_metadata (db, "minzoom", "0");
  set_metadata (db, "maxzoom", "1");
  put_tile (db, 0, 0, 0, tile);

  /* A transaction big enough to spill into the file, left open while
   * both files are copied: the copies are what a crash leaves. */
  exec_sql (db, "PRAGMA cache_size = 1");
  exec_sql (db, "BEGIN");
  exec_sql (db, "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)"
                " INSERT INTO tiles SELECT 1, i, i, randomblob(1000) FROM n");
  journal = g_strconcat (path, "-journal", NULL);
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (journal, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy_journal, contents, length, NULL));
  exec_sql (db, "ROLLBACK");
  sqlite3_close (db);

  assert_opens_with_tile (copy);
  /* Nothing was rolled back or removed. */
  g_assert_true (g_file_test (copy_journal, G_FILE_TEST_EXISTS));
}

/* A name with the characters that mean something in an SQLite URI. */
static void
test_odd_file_name (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const names[] = {
    "what?mode=rw.mbtiles",
    "hash#part.mbtiles",
    "per%63ent%2.mbtiles",
    "with space & more.mbtiles",
    "file:colon.mbtiles",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = create_wal_file (f, NULL, names[i]);

      g_test_message ("%s", names[i]);
      assert_opens_with_tile (path);
    }

  /* A relative path is relative to the current folder. */
  {
    g_autofree char *cwd = g_get_current_dir ();

    g_assert_cmpint (g_chdir (f->dir), ==, 0);
    assert_opens_with_tile ("hash#part.mbtiles");
    g_assert_cmpint (g_chdir (cwd), ==, 0);
  }
}

static void
test_not_sqlite (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *text = g_build_filename (f->dir, "notes.mbtiles", NULL);
  g_autofree char *empty = g_build_filename (f->dir, "empty.mbtiles", NULL);
  g_autofree char *damaged = g_build_filename (f->dir, "damaged.mbtiles", NULL);
  char junk[4096];

  g_assert_true (g_file_set_contents (text, "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit.\n", -1, NULL));
  assert_open_error (text, STORY_MBTILES_ERROR_NOT_SQLITE, "not an MBTiles file");

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  assert_open_error (empty, STORY_MBTILES_ERROR_NOT_SQLITE, NULL);

  /* The right header followed by rubbish. */
  for (gsize i = 0; i < sizeof junk; i++)
    junk[i] = (char)(i * 7 + 3);
  memcpy (junk, "SQLite format 3", 16);
  g_assert_true (g_file_set_contents (damaged, junk, sizeof junk, NULL));
  assert_open_error (damaged, STORY_MBTILES_ERROR_NOT_SQLITE, NULL);
}

static void
test_missing_tables (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *no_tiles = NULL;
  g_autofree char *no_metadata = NULL;
  g_autofree char *wrong_columns = NULL;
  g_autofree char *wrong_metadata = NULL;

  sqlite3_close (create_db (f, "no-tiles.mbtiles",
                            "CREATE TABLE metadata (name TEXT, value TEXT);", &no_tiles));
  assert_open_error (no_tiles, STORY_MBTILES_ERROR_SCHEMA, "“tiles”");

  sqlite3_close (create_db (f, "no-metadata.mbtiles",
                            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                            "                    tile_row INTEGER, tile_data BLOB);", &no_metadata));
  assert_open_error (no_metadata, STORY_MBTILES_ERROR_SCHEMA, "“metadata”");

  sqlite3_close (create_db (f, "wrong-columns.mbtiles",
                            "CREATE TABLE metadata (name TEXT, value TEXT);"
                            "CREATE TABLE tiles (z INTEGER, x INTEGER, y INTEGER, image BLOB);",
                            &wrong_columns));
  assert_open_error (wrong_columns, STORY_MBTILES_ERROR_SCHEMA, "“tiles”");

  sqlite3_close (create_db (f, "wrong-metadata.mbtiles",
                            "CREATE TABLE metadata (key TEXT, val TEXT);"
                            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                            "                    tile_row INTEGER, tile_data BLOB);",
                            &wrong_metadata));
  assert_open_error (wrong_metadata, STORY_MBTILES_ERROR_SCHEMA, "“metadata”");
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = NULL;

  sqlite3_close (create_db (f, "nothing.mbtiles", STANDARD_SCHEMA, &path));
  assert_open_error (path, STORY_MBTILES_ERROR_EMPTY, NULL);
}

static void
test_unsupported_format (Fixture       *f,
                         gconstpointer  data)
{
  static const struct {
    const char *format;
    int         code;
  } cases[] = {
    { "pbf", STORY_MBTILES_ERROR_VECTOR },
    { "PBF", STORY_MBTILES_ERROR_VECTOR },
    { "webp", STORY_MBTILES_ERROR_FORMAT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("format-%u.mbtiles", i);
      g_autofree char *path = NULL;
      sqlite3 *db = create_db (f, name, STANDARD_SCHEMA, &path);

      set_metadata (db, "format", cases[i].format);
      set_metadata (db, "minzoom", "0");
      set_metadata (db, "maxzoom", "14");
      sqlite3_close (db);

      assert_open_error (path, cases[i].code,
                         cases[i].code == STORY_MBTILES_ERROR_VECTOR ? "vector tiles are not supported" : "webp");
    }
}

static void
test_nonexistent (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "missing.mbtiles", NULL);

  assert_open_error (path, STORY_MBTILES_ERROR_NOT_FOUND, "does not exist");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* A folder is not a file either. */
  assert_open_error (f->dir, STORY_MBTILES_ERROR_NOT_FOUND, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/story/mbtiles/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("metadata", test_metadata);
  ADD ("sparse-metadata", test_sparse_metadata);
  ADD ("zoom-partly-missing", test_zoom_partly_missing);
  ADD ("zoom-clamped", test_zoom_clamped);
  ADD ("bad-zoom", test_bad_zoom);
  ADD ("bad-bounds", test_bad_bounds);
  ADD ("tms-rows", test_tms_rows);
  ADD ("jpeg", test_jpeg);
  ADD ("bad-tiles", test_bad_tiles);
  ADD ("oversized-tile", test_oversized_tile);
  ADD ("missing-tile", test_missing_tile);
  ADD ("out-of-range", test_out_of_range);
  ADD ("received-data", test_received_data);
  ADD ("cancelled", test_cancelled);
  ADD ("concurrent", test_concurrent);
  ADD ("view-schema", test_view_schema);
  ADD ("endless-view", test_endless_view);
  ADD ("untrusted-schema", test_untrusted_schema);
  ADD ("not-sqlite", test_not_sqlite);
  ADD ("missing-tables", test_missing_tables);
  ADD ("empty", test_empty);
  ADD ("unsupported-format", test_unsupported_format);
  ADD ("nonexistent", test_nonexistent);
  ADD ("no-tiles-in-range", test_no_tiles_in_range);
  ADD ("tile-size", test_tile_size);
  ADD ("double-tile-size", test_double_tile_size);
  ADD ("tile-failed", test_tile_failed);
  ADD ("long-attribution", test_long_attribution);
  ADD ("display-name", test_display_name);
  ADD ("read-only-wal", test_read_only_wal);
  ADD ("unopenable-shm", test_unopenable_shm);
  ADD ("leftover-journal", test_leftover_journal);
  ADD ("odd-file-name", test_odd_file_name);

#undef ADD

  return g_test_run ();
}
