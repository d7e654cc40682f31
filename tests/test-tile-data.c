/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "story-tile-data.h"

#define MAX_SIZE      (1024 * 1024)
#define TILE_SIZE     256

/* Test data -------------------------------------------------------------- */

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
make_png (int width,
          int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  GByteArray *array = g_byte_array_new ();

  cairo_set_source_rgb (cr, 0.2, 0.5, 0.8);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.9, 0.1, 0.1);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 3.0, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_destroy (cr);

  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_to_array, array),
                   ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static GBytes *
make_jpeg (int width,
           int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x2080c000);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

static gulong
crc32_of (const guint8 *data,
          gsize         size)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < size; i++)
    {
      crc ^= data[i];
      for (int bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (0xedb88320 & (0 - (crc & 1)));
    }

  return crc ^ 0xffffffff;
}

/* The offset of the first frame header (SOFn) in a JPEG. */
static gsize
jpeg_frame_offset (GBytes *jpeg)
{
  const guint8 *p = g_bytes_get_data (jpeg, NULL);
  gsize i = 2;

  while (!(p[i] == 0xff && p[i + 1] >= 0xc0 && p[i + 1] <= 0xc2))
    i += 2 + ((p[i + 2] << 8) | p[i + 3]);

  return i;
}

static void
assert_check_fails (GBytes *bytes,
                    gsize   max_size,
                    guint   tile_size,
                    int     code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (story_tile_data_check (bytes, max_size, tile_size, &error));
  g_assert_error (error, STORY_TILE_DATA_ERROR, code);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* The cheap check alone finds every fault that is not in the pixels. */
  g_assert_false (story_tile_data_check_structure (bytes, max_size, tile_size, &error));
  g_assert_error (error, STORY_TILE_DATA_ERROR, code);
}

static void
assert_check_passes (GBytes *bytes,
                     gsize   max_size,
                     guint   tile_size)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (story_tile_data_check_structure (bytes, max_size, tile_size, &error));
  g_assert_no_error (error);
  g_assert_true (story_tile_data_check (bytes, max_size, tile_size, &error));
  g_assert_no_error (error);
}

/* Tests ------------------------------------------------------------------ */

static void
test_good_png (void)
{
  g_autoptr(GBytes) png = make_png (256, 256);

  g_assert_cmpint (story_tile_data_sniff (g_bytes_get_data (png, NULL), g_bytes_get_size (png)),
                   ==, STORY_TILE_FORMAT_PNG);
  assert_check_passes (png, MAX_SIZE, TILE_SIZE);
}

static void
test_good_jpeg (void)
{
  g_autoptr(GBytes) jpeg = make_jpeg (256, 256);
  gsize size = g_bytes_get_size (jpeg);
  g_autofree guint8 *padded = g_malloc0 (size + 16);
  g_autoptr(GBytes) trailing = NULL;

  g_assert_cmpint (story_tile_data_sniff (g_bytes_get_data (jpeg, NULL), size),
                   ==, STORY_TILE_FORMAT_JPEG);
  assert_check_passes (jpeg, MAX_SIZE, TILE_SIZE);

  /* Bytes after EOI are ignored, as decoders ignore them. */
  memcpy (padded, g_bytes_get_data (jpeg, NULL), size);
  trailing = g_bytes_new (padded, size + 16);
  assert_check_passes (trailing, MAX_SIZE, TILE_SIZE);
}

static void
test_truncated_png (void)
{
  g_autoptr(GBytes) png = make_png (256, 256);
  gsize size = g_bytes_get_size (png);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (png, 0, size / 2);
  g_autoptr(GBytes) no_end = g_bytes_new_from_bytes (png, 0, size - 12);
  g_autoptr(GBytes) signature = g_bytes_new_from_bytes (png, 0, 8);

  assert_check_fails (half, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_TRUNCATED);
  assert_check_fails (no_end, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_TRUNCATED);
  assert_check_fails (signature, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_TRUNCATED);
}

static void
test_png_bad_crc (void)
{
  g_autoptr(GBytes) png = make_png (256, 256);
  gsize size = g_bytes_get_size (png);
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (png, NULL), size);
  g_autoptr(GBytes) flipped = NULL;

  /* The last byte of the checksum of the chunk before IEND, the image data. */
  data[size - 12 - 1] ^= 0x01;
  flipped = g_bytes_new (data, size);

  assert_check_fails (flipped, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_CORRUPT);
}

static void
test_half_jpeg (void)
{
  g_autoptr(GBytes) jpeg = make_jpeg (256, 256);
  gsize size = g_bytes_get_size (jpeg);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (jpeg, 0, size / 2);
  g_autoptr(GBytes) no_end = g_bytes_new_from_bytes (jpeg, 0, size - 2);
  gsize frame = jpeg_frame_offset (jpeg);
  g_autoptr(GBytes) headless = g_bytes_new_from_bytes (jpeg, 0, frame + 19);

  assert_check_fails (half, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_TRUNCATED);
  assert_check_fails (no_end, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_TRUNCATED);
  assert_check_fails (headless, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_TRUNCATED);
}

static void
test_undecodable_jpeg (void)
{
  g_autoptr(GBytes) jpeg = make_jpeg (TILE_SIZE, TILE_SIZE);
  gsize size = g_bytes_get_size (jpeg);
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (jpeg, NULL), size);
  g_autoptr(GBytes) odd = NULL;
  g_autoptr(GError) error = NULL;

  /* A sample precision of 3 bits: whole, but no decoder takes it. */
  data[jpeg_frame_offset (jpeg) + 4] = 3;
  odd = g_bytes_new (data, size);

  g_assert_true (story_tile_data_check_structure (odd, MAX_SIZE, TILE_SIZE, &error));
  g_assert_no_error (error);
  g_assert_false (story_tile_data_check (odd, MAX_SIZE, TILE_SIZE, &error));
  g_assert_error (error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_CORRUPT);
}

static void
test_html (void)
{
  static const char html[] = "<!DOCTYPE html><html><body>Tile server overloaded</body></html>";
  g_autoptr(GBytes) body = g_bytes_new_static (html, sizeof html - 1);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

  g_assert_cmpint (story_tile_data_sniff ((const guint8 *)html, sizeof html - 1),
                   ==, STORY_TILE_FORMAT_UNKNOWN);
  g_assert_cmpint (story_tile_data_sniff (NULL, 0), ==, STORY_TILE_FORMAT_UNKNOWN);
  assert_check_fails (body, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_NOT_AN_IMAGE);
  assert_check_fails (empty, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_NOT_AN_IMAGE);
}

static void
test_oversize (void)
{
  g_autoptr(GBytes) png = make_png (256, 256);
  gsize size = g_bytes_get_size (png);

  assert_check_passes (png, size, TILE_SIZE);
  assert_check_fails (png, size - 1, TILE_SIZE, STORY_TILE_DATA_ERROR_TOO_LARGE);
}

static void
test_wrong_dimensions (void)
{
  g_autoptr(GBytes) wide_png = make_png (TILE_SIZE + 1, 2);
  g_autoptr(GBytes) tall_jpeg = make_jpeg (2, TILE_SIZE + 1);
  g_autoptr(GBytes) small_png = make_png (TILE_SIZE / 2, TILE_SIZE / 2);
  g_autoptr(GBytes) narrow_jpeg = make_jpeg (TILE_SIZE - 1, TILE_SIZE);
  g_autoptr(GBytes) double_png = make_png (TILE_SIZE * 2, TILE_SIZE * 2);

  assert_check_fails (wide_png, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_WRONG_DIMENSIONS);
  assert_check_fails (tall_jpeg, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_WRONG_DIMENSIONS);
  assert_check_fails (small_png, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_WRONG_DIMENSIONS);
  assert_check_fails (narrow_jpeg, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_WRONG_DIMENSIONS);
  assert_check_fails (double_png, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_WRONG_DIMENSIONS);

  /* Each is right for a map of tiles of its own size. */
  assert_check_passes (small_png, MAX_SIZE, TILE_SIZE / 2);
  assert_check_passes (double_png, MAX_SIZE, TILE_SIZE * 2);
}

/* The header is read without decoding: a PNG that declares 65535 pixels
 * square (16 GiB of pixels) in a few hundred bytes is refused at once. */
static void
test_huge_declared (void)
{
  g_autoptr(GBytes) png = make_png (TILE_SIZE, TILE_SIZE);
  gsize size = g_bytes_get_size (png);
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (png, NULL), size);
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(GError) error = NULL;
  guint32 crc;
  guint width = 0, height = 0;

  /* IHDR's width and height, then its checksum made right again. */
  data[16] = data[20] = 0;
  data[17] = data[21] = 0;
  data[18] = data[22] = 0xff;
  data[19] = data[23] = 0xff;
  crc = (guint32)crc32_of (data + 12, 17);
  data[29] = crc >> 24;
  data[30] = crc >> 16;
  data[31] = crc >> 8;
  data[32] = crc;
  huge = g_bytes_new (data, size);

  g_assert_true (story_tile_data_get_dimensions (huge, &width, &height, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (width, ==, 65535);
  g_assert_cmpuint (height, ==, 65535);
  assert_check_fails (huge, MAX_SIZE, TILE_SIZE, STORY_TILE_DATA_ERROR_WRONG_DIMENSIONS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/tile-data/good-png", test_good_png);
  g_test_add_func ("/story/tile-data/good-jpeg", test_good_jpeg);
  g_test_add_func ("/story/tile-data/truncated-png", test_truncated_png);
  g_test_add_func ("/story/tile-data/png-bad-crc", test_png_bad_crc);
  g_test_add_func ("/story/tile-data/half-jpeg", test_half_jpeg);
  g_test_add_func ("/story/tile-data/undecodable-jpeg", test_undecodable_jpeg);
  g_test_add_func ("/story/tile-data/html", test_html);
  g_test_add_func ("/story/tile-data/oversize", test_oversize);
  g_test_add_func ("/story/tile-data/wrong-dimensions", test_wrong_dimensions);
  g_test_add_func ("/story/tile-data/huge-declared", test_huge_declared);

  return g_test_run ();
}
