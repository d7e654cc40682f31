/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-tile-data"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <string.h>

#include "story-tile-data.h"

/* What every tile source checks before it shows a raster tile: the body is
 * a PNG or JPEG, whole (a PNG's chunks with their checksums from IHDR to
 * IEND, a JPEG's segments from SOI to EOI), within the size limit, exactly
 * the size of the map's tiles, and it decodes.
 *
 * The structure is checked before the image is decoded: GTK 4.8 leaks its
 * pixel buffer on a PNG that fails half-way, and a body cut short is the
 * commonest damage of all. Everything here may run in a worker thread. */

#define PNG_MAX_CHUNK_LENGTH 0x7fffffff

G_DEFINE_QUARK (story-tile-data-error-quark, story_tile_data_error)

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
static const guint8 jpeg_signature[3] = { 0xff, 0xd8, 0xff };

static guint32
read_be16 (const guint8 *p)
{
  return ((guint32)p[0] << 8) | p[1];
}

static guint32
read_be32 (const guint8 *p)
{
  return (read_be16 (p) << 16) | read_be16 (p + 2);
}

StoryTileFormat
story_tile_data_sniff (const guint8 *data,
                       gsize         len)
{
  g_return_val_if_fail (data != NULL || len == 0, STORY_TILE_FORMAT_UNKNOWN);

  if (len >= sizeof png_signature && memcmp (data, png_signature, sizeof png_signature) == 0)
    return STORY_TILE_FORMAT_PNG;
  if (len >= sizeof jpeg_signature && memcmp (data, jpeg_signature, sizeof jpeg_signature) == 0)
    return STORY_TILE_FORMAT_JPEG;

  return STORY_TILE_FORMAT_UNKNOWN;
}

static gboolean
set_truncated (GError **error)
{
  g_set_error (error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_TRUNCATED,
               _("The image data is cut short"));
  return FALSE;
}

static gboolean
set_corrupt (GError **error)
{
  g_set_error (error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_CORRUPT,
               _("The image data is damaged"));
  return FALSE;
}

/* PNG -------------------------------------------------------------------- */

static const guint32 *
png_crc_table (void)
{
  static guint32 table[256];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int bit = 0; bit < 8; bit++)
            c = (c >> 1) ^ (0xedb88320 & (0 - (c & 1)));
          table[n] = c;
        }
      g_once_init_leave (&initialized, 1);
    }

  return table;
}

static guint32
png_crc (const guint8 *data,
         gsize         size)
{
  const guint32 *table = png_crc_table ();
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < size; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);

  return crc ^ 0xffffffff;
}

/* Walks the chunk list: IHDR first, at least one IDAT, every checksum
 * right, up to IEND. Whatever follows IEND is ignored, as decoders do. */
static gboolean
png_scan (const guint8  *data,
          gsize          size,
          guint32       *width,
          guint32       *height,
          GError       **error)
{
  gsize pos = sizeof png_signature;
  gboolean has_data = FALSE;

  if (size < pos + 8 + 13 + 4)
    return set_truncated (error);
  if (read_be32 (data + pos) != 13 || memcmp (data + pos + 4, "IHDR", 4) != 0)
    return set_corrupt (error);

  *width = read_be32 (data + pos + 8);
  *height = read_be32 (data + pos + 12);

  while (size - pos >= 12)
    {
      guint32 length = read_be32 (data + pos);
      const guint8 *type = data + pos + 4;

      if (length > PNG_MAX_CHUNK_LENGTH)
        return set_corrupt (error);
      if (length > size - pos - 12)
        return set_truncated (error);
      if (png_crc (type, length + 4) != read_be32 (type + 4 + length))
        {
          g_set_error (error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_CORRUPT,
                       _("The image data is damaged: a checksum does not match"));
          return FALSE;
        }

      if (memcmp (type, "IEND", 4) == 0)
        return has_data ? TRUE : set_corrupt (error);

      has_data |= memcmp (type, "IDAT", 4) == 0;
      pos += 12 + (gsize)length;
    }

  return set_truncated (error);
}

/* JPEG ------------------------------------------------------------------- */

static gboolean
jpeg_is_standalone (guint8 marker)
{
  return marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

static gboolean
jpeg_is_frame (guint8 marker)
{
  return marker >= 0xc0 && marker <= 0xcf &&
         marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

/* Skips the entropy-coded data after a scan header: it ends at the first
 * marker that is neither a stuffed zero nor a restart. Returns @size when
 * the data ends first. */
static gsize
jpeg_skip_scan (const guint8 *data,
                gsize         size,
                gsize         pos)
{
  for (; pos + 1 < size; pos++)
    if (data[pos] == 0xff && data[pos + 1] != 0x00 && !jpeg_is_standalone (data[pos + 1]))
      return pos;

  return size;
}

/* Walks the segments from SOI to EOI, through every scan; the size comes
 * from the first frame header. Whatever follows EOI is ignored. */
static gboolean
jpeg_scan (const guint8  *data,
           gsize          size,
           guint32       *width,
           guint32       *height,
           GError       **error)
{
  gsize pos = 2;
  gboolean has_frame = FALSE;

  for (;;)
    {
      guint8 marker;
      guint32 length;

      if (pos + 2 > size)
        return set_truncated (error);
      if (data[pos] != 0xff)
        return set_corrupt (error);

      marker = data[pos + 1];
      if (marker == 0xff || jpeg_is_standalone (marker))
        {
          pos += marker == 0xff ? 1 : 2;
          continue;
        }
      if (marker == 0xd9)
        return has_frame ? TRUE : set_corrupt (error);
      if (marker == 0xd8 || (marker == 0xda && !has_frame))
        return set_corrupt (error);

      if (pos + 4 > size)
        return set_truncated (error);
      length = read_be16 (data + pos + 2);
      if (length < 2)
        return set_corrupt (error);
      if (length > size - pos - 2)
        return set_truncated (error);

      if (jpeg_is_frame (marker) && !has_frame)
        {
          if (length < 8)
            return set_corrupt (error);
          *height = read_be16 (data + pos + 5);
          *width = read_be16 (data + pos + 7);
          has_frame = TRUE;
        }

      pos += 2 + (gsize)length;
      if (marker == 0xda)
        pos = jpeg_skip_scan (data, size, pos);
    }
}

/* Checking --------------------------------------------------------------- */

static gboolean
check_size (gsize    size,
            gsize    max_size,
            GError **error)
{
  g_autofree char *limit = NULL;

  if (size <= max_size)
    return TRUE;

  limit = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: %s is a size such as “1.0 MiB” */
  g_set_error (error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_TOO_LARGE,
               _("The image is larger than %s"), limit);
  return FALSE;
}

static gboolean
check_dimensions (guint32   width,
                  guint32   height,
                  guint     tile_size,
                  GError  **error)
{
  if (width == 0 || height == 0)
    {
      g_set_error (error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_CORRUPT,
                   _("The image has no pixels"));
      return FALSE;
    }

  if (width != tile_size || height != tile_size)
    {
      /* Translators: the first two %u are an image's width and height, the
       * other two the size of the map's tiles, all in pixels */
      g_set_error (error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_WRONG_DIMENSIONS,
                   _("The image measures %u × %u pixels, not %u × %u as the map’s tiles do"),
                   width, height, tile_size, tile_size);
      return FALSE;
    }

  return TRUE;
}

/* Walks the whole image and reads its size from the header (a PNG's IHDR,
 * a JPEG's first frame header): nothing is decoded. */
static gboolean
scan_image (const guint8  *data,
            gsize          size,
            guint32       *width,
            guint32       *height,
            GError       **error)
{
  switch (story_tile_data_sniff (data, size))
    {
    case STORY_TILE_FORMAT_PNG:
      return png_scan (data, size, width, height, error);

    case STORY_TILE_FORMAT_JPEG:
      return jpeg_scan (data, size, width, height, error);

    case STORY_TILE_FORMAT_UNKNOWN:
    default:
      g_set_error (error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_NOT_AN_IMAGE,
                   _("The data is not a PNG or JPEG image"));
      return FALSE;
    }
}

/**
 * story_tile_data_get_dimensions:
 * @bytes: a tile body
 * @width: (out): return location for the width in pixels
 * @height: (out): return location for the height in pixels
 * @error: return location for a #StoryTileDataError
 *
 * Reads the size an image declares, after checking that it is a whole PNG
 * or JPEG, without decoding it.
 *
 * Returns: whether @bytes is a whole PNG or JPEG
 */
gboolean
story_tile_data_get_dimensions (GBytes  *bytes,
                                guint   *width,
                                guint   *height,
                                GError **error)
{
  const guint8 *data;
  gsize size;
  guint32 w = 0, h = 0;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (width != NULL && height != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);
  if (!scan_image (data, size, &w, &h, error))
    return FALSE;

  *width = w;
  *height = h;
  return TRUE;
}

/**
 * story_tile_data_check_structure:
 * @bytes: a tile body
 * @max_size: the largest body allowed, in bytes
 * @tile_size: the width and height every tile of the map has, in pixels
 * @error: return location for a #StoryTileDataError
 *
 * Checks everything story_tile_data_check() does except the decoding: cheap
 * enough for data that was decoded once before, such as a cached tile.
 *
 * Returns: whether @bytes is a whole PNG or JPEG of @tile_size pixels
 *   square and within the size limit
 */
gboolean
story_tile_data_check_structure (GBytes  *bytes,
                                 gsize    max_size,
                                 guint    tile_size,
                                 GError **error)
{
  gsize size;
  const guint8 *data;
  guint32 width = 0, height = 0;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);

  return check_size (size, max_size, error) &&
         scan_image (data, size, &width, &height, error) &&
         check_dimensions (width, height, tile_size, error);
}

/**
 * story_tile_data_check:
 * @bytes: a tile body
 * @max_size: the largest body allowed, in bytes
 * @tile_size: the width and height every tile of the map has, in pixels
 * @error: return location for a #StoryTileDataError
 *
 * Checks that @bytes is a whole PNG or JPEG image within the size limit
 * and exactly @tile_size pixels square, then decodes it: an image of any
 * other size is refused before a single pixel is decoded, since a small
 * body can declare an image of gigabytes. Needs no display; may be called
 * from any thread.
 *
 * Returns: whether @bytes can be shown as a tile
 */
gboolean
story_tile_data_check (GBytes  *bytes,
                       gsize    max_size,
                       guint    tile_size,
                       GError **error)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!story_tile_data_check_structure (bytes, max_size, tile_size, error))
    return FALSE;

  texture = gdk_texture_new_from_bytes (bytes, &local_error);
  if (texture == NULL)
    {
      /* Translators: %s is the image decoder's own message */
      g_set_error (error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_CORRUPT,
                   _("The image cannot be decoded: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}
