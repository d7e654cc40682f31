/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-basemap"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "story-basemap.h"
#include "data/story-basemap-resources.h"

/* The bundled map data (tools/make-basemap.py writes it): a header, then
 * arrays of features, parts, points and strings that are used in place once
 * every index in them has been checked. */

#define HEADER_SIZE  176
#define MAX_LAYERS   16
#define FILE_VERSION 1
#define QUANT_MAX    65535.0
#define MAX_LAT      85.0511287798

G_STATIC_ASSERT (sizeof (StoryBasemapFeature) == 48);
G_STATIC_ASSERT (sizeof (StoryBasemapPart) == 24);
G_STATIC_ASSERT (sizeof (StoryBasemapPoint) == 4);
G_STATIC_ASSERT (STORY_BASEMAP_N_LAYERS <= MAX_LAYERS);

struct _StoryBasemap
{
  GObject                    parent_instance;

  GBytes                    *bytes;
  const StoryBasemapFeature *features;
  guint                      n_features;
  const StoryBasemapPart    *parts;
  guint                      n_parts;
  const StoryBasemapPoint   *points;
  guint                      n_points;
  const char                *strings;
  guint                      strings_size;
  guint                      layer_first[MAX_LAYERS];
  guint                      layer_count[MAX_LAYERS];
};

G_DEFINE_FINAL_TYPE (StoryBasemap, story_basemap, G_TYPE_OBJECT)

G_DEFINE_QUARK (story-basemap-error-quark, story_basemap_error)

static void
story_basemap_finalize (GObject *object)
{
  StoryBasemap *self = (StoryBasemap *)object;

  g_clear_pointer (&self->bytes, g_bytes_unref);

  G_OBJECT_CLASS (story_basemap_parent_class)->finalize (object);
}

static void
story_basemap_class_init (StoryBasemapClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = story_basemap_finalize;
}

static void
story_basemap_init (StoryBasemap *self)
{
}

static guint32
read_u32 (const guint8 *data,
          gsize         offset)
{
  guint32 value;

  memcpy (&value, data + offset, sizeof value);
  return GUINT32_FROM_LE (value);
}

static gboolean
invalid (GError    **error,
         const char *what)
{
  /* Translators: %s says which part of the map data is damaged */
  g_set_error (error, STORY_BASEMAP_ERROR, STORY_BASEMAP_ERROR_INVALID,
               _("The offline map data is damaged (%s)"), what);
  return FALSE;
}

/* Whether @count records of @size bytes fit at @offset in @total bytes. */
static gboolean
section_fits (gsize   total,
              guint32 offset,
              guint32 count,
              gsize   size)
{
  return offset % 4 == 0 && offset >= HEADER_SIZE && offset <= total
         && count <= (total - offset) / size;
}

static gboolean
range_fits (guint32 first,
            guint32 count,
            guint32 total)
{
  return count <= total && first <= total - count;
}

#if G_BYTE_ORDER == G_BIG_ENDIAN
static void
swap_records (guint8 *data,
              gsize   size)
{
  guint32 n_features = read_u32 (data, 16), features = read_u32 (data, 20);
  guint32 n_parts = read_u32 (data, 24), parts = read_u32 (data, 28);
  guint32 n_points = read_u32 (data, 32), points = read_u32 (data, 36);

  /* Only called once the sections are known to fit. */
  for (guint i = 0; i < n_features; i++)
    {
      guint32 *words = (guint32 *)(data + features + i * sizeof (StoryBasemapFeature));
      guint16 *zooms = (guint16 *)(data + features + i * sizeof (StoryBasemapFeature) + 2);

      *zooms = GUINT16_FROM_LE (*zooms);
      for (guint w = 1; w < sizeof (StoryBasemapFeature) / 4; w++)
        words[w] = GUINT32_FROM_LE (words[w]);
    }
  for (guint i = 0; i < n_parts * (sizeof (StoryBasemapPart) / 4); i++)
    ((guint32 *)(data + parts))[i] = GUINT32_FROM_LE (((guint32 *)(data + parts))[i]);
  for (guint i = 0; i < n_points * 2; i++)
    ((guint16 *)(data + points))[i] = GUINT16_FROM_LE (((guint16 *)(data + points))[i]);
}
#endif

static gboolean
parse_header (StoryBasemap  *self,
              const guint8  *data,
              gsize          size,
              GError       **error)
{
  guint32 n_layers;

  if (size < HEADER_SIZE || memcmp (data, "SMBM", 4) != 0)
    return invalid (error, "header");
  if (read_u32 (data, 4) != FILE_VERSION)
    {
      g_set_error (error, STORY_BASEMAP_ERROR, STORY_BASEMAP_ERROR_VERSION,
                   _("The offline map data has an unknown version %u"),
                   read_u32 (data, 4));
      return FALSE;
    }
  n_layers = read_u32 (data, 12);
  if (read_u32 (data, 8) != size || n_layers > MAX_LAYERS)
    return invalid (error, "size");

  self->n_features = read_u32 (data, 16);
  self->n_parts = read_u32 (data, 24);
  self->n_points = read_u32 (data, 32);
  self->strings_size = read_u32 (data, 40);
  if (!section_fits (size, read_u32 (data, 20), self->n_features, sizeof (StoryBasemapFeature))
      || !section_fits (size, read_u32 (data, 28), self->n_parts, sizeof (StoryBasemapPart))
      || !section_fits (size, read_u32 (data, 36), self->n_points, sizeof (StoryBasemapPoint))
      || !section_fits (size, read_u32 (data, 44), self->strings_size, 1)
      || self->strings_size == 0)
    return invalid (error, "sections");

  for (guint l = 0; l < MAX_LAYERS; l++)
    {
      self->layer_first[l] = read_u32 (data, 48 + 8 * l);
      self->layer_count[l] = read_u32 (data, 52 + 8 * l);
      if (!range_fits (self->layer_first[l], self->layer_count[l], self->n_features)
          || (l >= STORY_BASEMAP_N_LAYERS && self->layer_count[l] != 0))
        return invalid (error, "layers");
    }

  return TRUE;
}

static gboolean
check_records (StoryBasemap  *self,
               GError       **error)
{
  for (guint l = 0; l < STORY_BASEMAP_N_LAYERS; l++)
    for (guint i = 0; i < self->layer_count[l]; i++)
      if (self->features[self->layer_first[l] + i].layer != l)
        return invalid (error, "layers");

  for (guint i = 0; i < self->n_features; i++)
    {
      const StoryBasemapFeature *f = &self->features[i];

      if (f->layer >= STORY_BASEMAP_N_LAYERS
          || !range_fits (f->first_part, f->n_parts, self->n_parts)
          || f->bbox.x0 > f->bbox.x1 || f->bbox.y0 > f->bbox.y1)
        return invalid (error, "features");
      for (guint n = 0; n < STORY_BASEMAP_N_NAMES; n++)
        if (f->names[n] >= self->strings_size)
          return invalid (error, "names");
    }

  for (guint i = 0; i < self->n_parts; i++)
    {
      const StoryBasemapPart *p = &self->parts[i];

      if (p->n_points == 0 || !range_fits (p->first_point, p->n_points, self->n_points)
          || p->bbox.x0 > p->bbox.x1 || p->bbox.y0 > p->bbox.y1)
        return invalid (error, "parts");
    }

  return TRUE;
}

static gboolean
check_strings (StoryBasemap  *self,
               GError       **error)
{
  const char *p = self->strings;
  const char *end = self->strings + self->strings_size;

  if (end[-1] != '\0')
    return invalid (error, "strings");

  while (p < end)
    {
      gsize len = strlen (p);

      if (!g_utf8_validate (p, len, NULL))
        return invalid (error, "strings");
      p += len + 1;
    }

  return TRUE;
}

/**
 * story_basemap_new_from_bytes:
 * @bytes: the contents of a basemap file
 * @error: return location for an error
 *
 * Checks @bytes and, when they are sound, reads the map from them in place
 * (or from an aligned copy where they are not aligned for it).
 *
 * Returns: (transfer full): the basemap, or %NULL with @error set
 */
StoryBasemap *
story_basemap_new_from_bytes (GBytes  *bytes,
                              GError **error)
{
  g_autoptr(StoryBasemap) self = NULL;
  const guint8 *data;
  gsize size;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (STORY_TYPE_BASEMAP, NULL);
  data = g_bytes_get_data (bytes, &size);
  if (data == NULL || size == 0)
    {
      invalid (error, "empty");
      return NULL;
    }
  if (!parse_header (self, data, size, error))
    return NULL;

  if (G_BYTE_ORDER != G_LITTLE_ENDIAN || GPOINTER_TO_SIZE (data) % 4 != 0)
    {
      guint8 *copy = g_memdup2 (data, size);

#if G_BYTE_ORDER == G_BIG_ENDIAN
      swap_records (copy, size);
#endif
      self->bytes = g_bytes_new_take (copy, size);
    }
  else
    self->bytes = g_bytes_ref (bytes);

  data = g_bytes_get_data (self->bytes, NULL);
  self->features = (const StoryBasemapFeature *)(data + read_u32 (data, 20));
  self->parts = (const StoryBasemapPart *)(data + read_u32 (data, 28));
  self->points = (const StoryBasemapPoint *)(data + read_u32 (data, 36));
  self->strings = (const char *)(data + read_u32 (data, 44));

  if (!check_records (self, error) || !check_strings (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * story_basemap_new_from_resource:
 * @path: (nullable): a resource path, or %NULL for the bundled map
 * @error: return location for an error
 *
 * Returns: (transfer full): the basemap, or %NULL with @error set
 */
StoryBasemap *
story_basemap_new_from_resource (const char  *path,
                                 GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  /* Look the data up in our own resource, so that it is linked in even
   * from the static library. */
  bytes = g_resource_lookup_data (story_basemap_data_get_resource (),
                                  path ? path : STORY_BASEMAP_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  return story_basemap_new_from_bytes (bytes, error);
}

/**
 * story_basemap_get_default:
 *
 * Returns: (transfer none): the bundled basemap, loaded on first use
 */
StoryBasemap *
story_basemap_get_default (void)
{
  static StoryBasemap *basemap;

  if (g_once_init_enter (&basemap))
    {
      g_autoptr(GError) error = NULL;
      StoryBasemap *loaded = story_basemap_new_from_resource (NULL, &error);

      if (loaded == NULL)
        g_error ("Bundled basemap: %s", error->message);
      g_once_init_leave (&basemap, loaded);
    }

  return basemap;
}

/* Bytes the map data occupies in memory. */
gsize
story_basemap_get_data_size (StoryBasemap *self)
{
  g_return_val_if_fail (STORY_IS_BASEMAP (self), 0);

  return g_bytes_get_size (self->bytes);
}

const StoryBasemapFeature *
story_basemap_get_layer (StoryBasemap      *self,
                         StoryBasemapLayer  layer,
                         guint             *n_features)
{
  g_return_val_if_fail (STORY_IS_BASEMAP (self), NULL);
  g_return_val_if_fail (layer < STORY_BASEMAP_N_LAYERS, NULL);

  *n_features = self->layer_count[layer];
  return self->features + self->layer_first[layer];
}

const StoryBasemapPart *
story_basemap_get_parts (StoryBasemap              *self,
                         const StoryBasemapFeature *feature)
{
  return self->parts + feature->first_part;
}

const StoryBasemapPoint *
story_basemap_get_points (StoryBasemap           *self,
                          const StoryBasemapPart *part)
{
  return self->points + part->first_point;
}

/**
 * story_basemap_get_name:
 *
 * Returns: the name of @feature in the spelling @which asks for, falling
 *   back to the default name, or %NULL when it has none
 */
const char *
story_basemap_get_name (StoryBasemap              *self,
                        const StoryBasemapFeature *feature,
                        StoryBasemapName           which)
{
  guint32 offset = feature->names[which];

  if (offset == 0)
    offset = feature->names[STORY_BASEMAP_NAME_DEFAULT];

  return offset ? self->strings + offset : NULL;
}

void
story_basemap_project (double  lat,
                       double  lon,
                       gint32 *x,
                       gint32 *y)
{
  double world = (double)(1 << STORY_BASEMAP_WORLD_BITS);
  double s = sin (CLAMP (lat, -MAX_LAT, MAX_LAT) * G_PI / 180.0);

  *x = (gint32) CLAMP (round ((lon + 180.0) / 360.0 * world), 0, world);
  *y = (gint32) CLAMP (round ((0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI)) * world), 0, world);
}

void
story_basemap_unproject (double  x,
                         double  y,
                         double *lat,
                         double *lon)
{
  double world = (double)(1 << STORY_BASEMAP_WORLD_BITS);

  *lon = x / world * 360.0 - 180.0;
  *lat = atan (sinh (G_PI * (1.0 - 2.0 * y / world))) * 180.0 / G_PI;
}

static inline void
point_units (const StoryBasemapPart  *part,
             const StoryBasemapPoint *point,
             double                  *x,
             double                  *y)
{
  *x = part->bbox.x0 + point->x * ((double)part->bbox.x1 - part->bbox.x0) / QUANT_MAX;
  *y = part->bbox.y0 + point->y * ((double)part->bbox.y1 - part->bbox.y0) / QUANT_MAX;
}

static gboolean
box_contains (const StoryBasemapBox *box,
              gint32                 x,
              gint32                 y)
{
  return x >= box->x0 && x <= box->x1 && y >= box->y0 && y <= box->y1;
}

/* Even-odd test over all rings of @feature. */
static gboolean
feature_contains (StoryBasemap              *self,
                  const StoryBasemapFeature *feature,
                  gint32                     x,
                  gint32                     y)
{
  const StoryBasemapPart *parts = story_basemap_get_parts (self, feature);
  gboolean inside = FALSE;

  for (guint r = 0; r < feature->n_parts; r++)
    {
      const StoryBasemapPart *part = &parts[r];
      const StoryBasemapPoint *pts = story_basemap_get_points (self, part);
      double px, py;

      if (!box_contains (&part->bbox, x, y))
        continue;

      point_units (part, &pts[part->n_points - 1], &px, &py);
      for (guint i = 0; i < part->n_points; i++)
        {
          double qx, qy;

          point_units (part, &pts[i], &qx, &qy);
          if ((qy > y) != (py > y) && x < (px - qx) * (y - qy) / (py - qy) + qx)
            inside = !inside;
          px = qx;
          py = qy;
        }
    }

  return inside;
}

/* Whether @needle occurs in @haystack between word boundaries. */
static gboolean
contains_word (const char *haystack,
               const char *needle)
{
  gsize len = strlen (needle);

  if (len == 0)
    return FALSE;

  for (const char *p = strstr (haystack, needle); p; p = strstr (p + 1, needle))
    {
      gboolean start_ok = p == haystack
                          || !g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (p)));
      gboolean end_ok = p[len] == '\0' || !g_unichar_isalnum (g_utf8_get_char (p + len));

      if (start_ok && end_ok)
        return TRUE;
    }

  return FALSE;
}

static gboolean
name_matches (StoryBasemap              *self,
              const StoryBasemapFeature *feature,
              const char                *folded_query)
{
  for (guint n = 0; n < STORY_BASEMAP_N_NAMES; n++)
    {
      g_autofree char *folded = NULL;

      if (feature->names[n] == 0)
        continue;
      folded = g_utf8_casefold (self->strings + feature->names[n], -1);
      if (contains_word (folded, folded_query) || contains_word (folded_query, folded))
        return TRUE;
    }

  return FALSE;
}

static GPtrArray *
feature_rings (StoryBasemap              *self,
               const StoryBasemapFeature *feature)
{
  const StoryBasemapPart *parts = story_basemap_get_parts (self, feature);
  GPtrArray *rings = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);

  for (guint r = 0; r < feature->n_parts; r++)
    {
      const StoryBasemapPoint *pts = story_basemap_get_points (self, &parts[r]);
      GArray *ring = g_array_sized_new (FALSE, FALSE, sizeof (StoryLatLon), parts[r].n_points);

      for (guint i = 0; i < parts[r].n_points; i++)
        {
          StoryLatLon ll;
          double x, y;

          point_units (&parts[r], &pts[i], &x, &y);
          story_basemap_unproject (x, y, &ll.lat, &ll.lon);
          g_array_append_val (ring, ll);
        }
      g_ptr_array_add (rings, ring);
    }

  return rings;
}

/**
 * story_basemap_lookup_area:
 * @self: a basemap
 * @name: (nullable): the name a story gives the area
 * @lat: latitude of a point inside the area
 * @lon: longitude of a point inside the area
 * @rings_out: (out) (optional) (transfer full): the area's rings, each a
 *   #GArray of #StoryLatLon
 *
 * Finds the outline of an area a story names but gives only a point for.
 * With a @name, only an area called so (ignoring case, and where one name
 * contains the other as whole words, so "Karabakh" finds Nagorno-Karabakh
 * and "Syunik Province" finds Syunik) counts; without one, the province that
 * contains the point.
 *
 * Returns: whether an area was found
 */
gboolean
story_basemap_lookup_area (StoryBasemap  *self,
                           const char    *name,
                           double         lat,
                           double         lon,
                           GPtrArray    **rings_out)
{
  static const StoryBasemapLayer layers[] = {
    STORY_BASEMAP_LAYER_DISPUTED, STORY_BASEMAP_LAYER_PROVINCE,
  };
  g_autofree char *folded = NULL;
  gint32 x, y;

  g_return_val_if_fail (STORY_IS_BASEMAP (self), FALSE);

  if (name != NULL)
    folded = g_utf8_casefold (name, -1);
  story_basemap_project (lat, lon, &x, &y);

  for (guint l = 0; l < G_N_ELEMENTS (layers); l++)
    {
      guint n;
      const StoryBasemapFeature *features = story_basemap_get_layer (self, layers[l], &n);

      if (folded == NULL && layers[l] == STORY_BASEMAP_LAYER_DISPUTED)
        continue;

      for (guint i = 0; i < n; i++)
        {
          if (!box_contains (&features[i].bbox, x, y)
              || (folded != NULL && !name_matches (self, &features[i], folded))
              || !feature_contains (self, &features[i], x, y))
            continue;

          if (rings_out != NULL)
            *rings_out = feature_rings (self, &features[i]);
          return TRUE;
        }
    }

  return FALSE;
}
