/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-document"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "story-document-private.h"

/*
 * A feature's geometry: a Point, a Polygon or a MultiPolygon, every
 * position checked for range, and for an area the point inside it where
 * its marker stands. Rings read apart from json-glib
 * (story_json_take_rings()) are taken here in the order they come.
 */

/* A longitude and a latitude, checked for range. */
static gboolean
check_position (double        lon,
                double        lat,
                const char   *path,
                StoryLatLon  *out,
                GError      **error)
{
  if (!isfinite (lon) || lon < -180.0 || lon > 180.0)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                     _("Longitude %g is out of range (−180 to 180)"), lon);
  if (!isfinite (lat) || lat < -90.0 || lat > 90.0)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                     _("Latitude %g is out of range (−90 to 90)"), lat);

  out->lon = lon;
  out->lat = lat;
  return TRUE;
}

/* A GeoJSON position, [longitude, latitude]. */
gboolean
_story_document_read_position (JsonNode     *node,
                               const char   *path,
                               StoryLatLon  *out,
                               GError      **error)
{
  JsonArray *array;
  double lon, lat;

  if (!(array = _story_json_get_array (node, path, error)))
    return FALSE;

  if (json_array_get_length (array) < 2)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                     _("A position needs a longitude and a latitude"));

  if (!_story_json_is_number (json_array_get_element (array, 0)) ||
      !_story_json_is_number (json_array_get_element (array, 1)))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                     _("Coordinates must be numbers"));

  lon = _story_json_number_value (json_array_get_element (array, 0));
  lat = _story_json_number_value (json_array_get_element (array, 1));

  return check_position (lon, lat, path, out, error);
}

/* N where @array is "[[N]]", the mark of a ring read apart
 * (story_json_take_rings()), or -1. */
static gint64
ring_mark (JsonArray *array)
{
  JsonArray *mark;
  JsonNode *index;

  if (json_array_get_length (array) != 1 ||
      !JSON_NODE_HOLDS_ARRAY (json_array_get_element (array, 0)) ||
      json_array_get_length (mark = json_array_get_array_element (array, 0)) != 1 ||
      !_story_json_is_number (index = json_array_get_element (mark, 0)) ||
      json_node_get_value_type (index) != G_TYPE_INT64 ||
      json_node_get_int (index) < 0)
    return -1;

  return json_node_get_int (index);
}

/* Counts a ring's positions against the story's limit. */
static gboolean
count_vertices (ParseContext  *ctx,
                guint          n,
                const char    *path,
                GError       **error)
{
  ctx->n_vertices += n;
  if (ctx->n_vertices > STORY_DOCUMENT_MAX_VERTICES)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_LIMIT, path,
                                     _("The story has more than %u polygon vertices"),
                                     STORY_DOCUMENT_MAX_VERTICES);
  return TRUE;
}

G_STATIC_ASSERT (sizeof (StoryLatLon) == 2 * sizeof (double));

/* The ring mark @mark stands for, its [longitude, latitude] pairs checked
 * and turned, in place, into StoryLatLon. */
static GArray *
take_ring (ParseContext  *ctx,
           gint64         mark,
           const char    *path,
           GError       **error)
{
  GArray *ring;

  if (mark != ctx->next_ring || ctx->next_ring >= ctx->rings->len)
    {
      /* The rings were not all where rings are read: the caller reads
       * the file itself instead. */
      g_set_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_INVALID, "%s: no ring", path);
      return NULL;
    }

  ring = g_ptr_array_index (ctx->rings, ctx->next_ring++);
  if (!count_vertices (ctx, ring->len, path, error))
    return NULL;

  for (guint i = 0; i < ring->len; i++)
    {
      const double *pair = &g_array_index (ring, double, 2 * i);

      if (!check_position (pair[0], pair[1], path, &g_array_index (ring, StoryLatLon, i), error))
        return NULL;
    }

  return g_array_ref (ring);
}

static gboolean
read_ring (ParseContext  *ctx,
           JsonNode      *node,
           const char    *path,
           StoryPlace    *place,
           GError       **error)
{
  g_autoptr(GArray) ring = NULL;
  JsonArray *array;
  gint64 mark;
  guint n;

  if (!(array = _story_json_get_array (node, path, error)))
    return FALSE;

  if (ctx->rings != NULL && (mark = ring_mark (array)) >= 0)
    {
      if (!(ring = take_ring (ctx, mark, path, error)))
        return FALSE;
      story_place_add_ring (place, g_steal_pointer (&ring));
      return TRUE;
    }

  n = json_array_get_length (array);
  if (n < 4)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                     _("A polygon ring needs at least four positions"));

  if (!count_vertices (ctx, n, path, error))
    return FALSE;

  ring = g_array_sized_new (FALSE, FALSE, sizeof (StoryLatLon), n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *position = json_array_get_element (array, i);
      StoryLatLon p;

      /* The path is spelled out only for an error: rings are long. */
      if (!_story_document_read_position (position, path, &p, NULL))
        {
          g_autofree char *pos_path = g_strdup_printf ("%s/%u", path, i);

          return _story_document_read_position (position, pos_path, &p, error);
        }
      g_array_append_val (ring, p);
    }

  story_place_add_ring (place, g_steal_pointer (&ring));
  return TRUE;
}

/* Only outer rings make the outline; holes are checked but not drawn. */
static gboolean
read_polygon (ParseContext  *ctx,
              JsonNode      *node,
              const char    *path,
              StoryPlace    *place,
              GError       **error)
{
  g_autoptr(StoryPlace) scratch = story_place_new ("", "", STORY_PLACE_KIND_OTHER);
  JsonArray *rings;

  if (!(rings = _story_json_get_array (node, path, error)))
    return FALSE;

  if (json_array_get_length (rings) == 0)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                     _("A polygon needs at least one ring"));

  for (guint i = 0; i < json_array_get_length (rings); i++)
    {
      g_autofree char *ring_path = g_strdup_printf ("%s/%u", path, i);

      if (!read_ring (ctx, json_array_get_element (rings, i), ring_path,
                      i == 0 ? place : scratch, error))
        return FALSE;
    }

  return TRUE;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *)a, db = *(const double *)b;

  return da < db ? -1 : da > db;
}

/* A point inside the largest ring: the middle of the widest span where a
 * line through the ring's middle latitude crosses it. */
static void
interior_point (StoryPlace  *place,
                StoryLatLon *out)
{
  const StoryLatLon *best = NULL;
  guint best_n = 0;
  double best_area = -1, lat, widest = -1;
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  StoryBounds b;

  for (guint r = 0; r < story_place_get_n_rings (place); r++)
    {
      guint n;
      const StoryLatLon *pts = story_place_get_ring (place, r, &n);
      double area = 0;

      for (guint i = 0, j = n - 1; i < n; j = i++)
        area += (pts[j].lon - pts[i].lon) * (pts[j].lat + pts[i].lat);
      if (fabs (area) > best_area)
        {
          best_area = fabs (area);
          best = pts;
          best_n = n;
        }
    }

  story_bounds_init_empty (&b);
  for (guint i = 0; i < best_n; i++)
    story_bounds_extend (&b, best[i].lat, best[i].lon);

  lat = (b.south + b.north) / 2;
  out->lat = lat;
  out->lon = (b.west + b.east) / 2;

  for (guint i = 0, j = best_n - 1; i < best_n; j = i++)
    {
      const StoryLatLon *a = &best[i], *c = &best[j];

      if ((a->lat > lat) != (c->lat > lat))
        {
          double x = a->lon + (lat - a->lat) * (c->lon - a->lon) / (c->lat - a->lat);
          g_array_append_val (xs, x);
        }
    }

  g_array_sort (xs, compare_double);

  for (guint i = 0; i + 1 < xs->len; i += 2)
    {
      double x0 = g_array_index (xs, double, i);
      double x1 = g_array_index (xs, double, i + 1);

      if (x1 - x0 > widest)
        {
          widest = x1 - x0;
          out->lon = (x0 + x1) / 2;
        }
    }
}

gboolean
_story_document_read_geometry (ParseContext  *ctx,
                               JsonObject    *feature,
                               const char    *path,
                               StoryPlace    *place,
                               GError       **error)
{
  g_autofree char *geometry_path = g_strdup_printf ("%s/geometry", path);
  g_autofree char *coords_path = g_strdup_printf ("%s/coordinates", geometry_path);
  g_autofree char *type = NULL;
  JsonObject *geometry;
  JsonNode *coords;

  if (!json_object_has_member (feature, "geometry"))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                     _("The required member “%s” is missing"), "geometry");

  if (!(geometry = _story_json_get_object (json_object_get_member (feature, "geometry"), geometry_path, error)))
    return FALSE;

  if (!_story_json_get_string (geometry, "type", geometry_path, TRUE, &type, error))
    return FALSE;

  coords = json_object_get_member (geometry, "coordinates");
  if (coords == NULL)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, geometry_path,
                                     _("The required member “%s” is missing"), "coordinates");

  if (g_str_equal (type, "Point"))
    {
      StoryLatLon p;

      if (!_story_document_read_position (coords, coords_path, &p, error))
        return FALSE;
      story_place_set_anchor (place, p.lat, p.lon);
    }
  else if (g_str_equal (type, "Polygon"))
    {
      if (!read_polygon (ctx, coords, coords_path, place, error))
        return FALSE;
    }
  else if (g_str_equal (type, "MultiPolygon"))
    {
      JsonArray *polygons;

      if (!(polygons = _story_json_get_array (coords, coords_path, error)))
        return FALSE;
      if (json_array_get_length (polygons) == 0)
        return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, coords_path,
                                         _("A multipolygon needs at least one polygon"));

      for (guint i = 0; i < json_array_get_length (polygons); i++)
        {
          g_autofree char *poly_path = g_strdup_printf ("%s/%u", coords_path, i);

          if (!read_polygon (ctx, json_array_get_element (polygons, i), poly_path, place, error))
            return FALSE;
        }
    }
  else
    {
      g_autofree char *type_path = g_strdup_printf ("%s/type", geometry_path);

      return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, type_path,
                                       _("Unsupported geometry “%s” (use Point, Polygon or MultiPolygon)"),
                                       type);
    }

  if (story_place_is_area (place))
    {
      StoryLatLon inside;

      interior_point (place, &inside);
      story_place_set_anchor (place, inside.lat, inside.lon);
    }

  return TRUE;
}
