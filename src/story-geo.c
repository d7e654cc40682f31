/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-geo"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "story-geo.h"

/* Distances, directions and coordinates as shown to the reader. */

#define EARTH_RADIUS_KM 6371.0088
#define RAD(deg) ((deg) * G_PI / 180.0)

/* Great-circle distance (haversine) on the mean Earth sphere. */
double
story_geo_distance_km (double lat1,
                       double lon1,
                       double lat2,
                       double lon2)
{
  double dlat = RAD (lat2 - lat1);
  double dlon = RAD (lon2 - lon1);
  double a = sin (dlat / 2) * sin (dlat / 2) +
             cos (RAD (lat1)) * cos (RAD (lat2)) * sin (dlon / 2) * sin (dlon / 2);

  return 2 * EARTH_RADIUS_KM * atan2 (sqrt (a), sqrt (1 - a));
}

/* Initial bearing from the first point to the second, 0–360° from north. */
double
story_geo_bearing (double lat1,
                   double lon1,
                   double lat2,
                   double lon2)
{
  double dlon = RAD (lon2 - lon1);
  double y = sin (dlon) * cos (RAD (lat2));
  double x = cos (RAD (lat1)) * sin (RAD (lat2)) - sin (RAD (lat1)) * cos (RAD (lat2)) * cos (dlon);
  double deg = atan2 (y, x) * 180.0 / G_PI;

  return fmod (deg + 360.0, 360.0);
}

/**
 * story_geo_format_route:
 *
 * Returns: (transfer full): e.g. "Yerevan → Baku: 457 km east"
 */
char *
story_geo_format_route (const char *from,
                        const char *to,
                        double      distance_km,
                        double      bearing)
{
  guint sector = (guint)floor (fmod (bearing + 22.5, 360.0) / 45.0) % 8;
  g_autofree char *km = g_strdup_printf ("%'.0f", distance_km);

  /* One whole sentence per direction, so that each can be translated. */
  switch (sector)
    {
    /* Translators: a route between two places: from, to, distance in km */
    case 0: return g_strdup_printf (_("%s → %s: %s km north"), from, to, km);
    case 1: return g_strdup_printf (_("%s → %s: %s km north-east"), from, to, km);
    case 2: return g_strdup_printf (_("%s → %s: %s km east"), from, to, km);
    case 3: return g_strdup_printf (_("%s → %s: %s km south-east"), from, to, km);
    case 4: return g_strdup_printf (_("%s → %s: %s km south"), from, to, km);
    case 5: return g_strdup_printf (_("%s → %s: %s km south-west"), from, to, km);
    case 6: return g_strdup_printf (_("%s → %s: %s km west"), from, to, km);
    default: return g_strdup_printf (_("%s → %s: %s km north-west"), from, to, km);
    }
}

char *
story_geo_format_decimal (double lat,
                          double lon)
{
  /* Always with a dot and signs: the form other programs read back. */
  char la[G_ASCII_DTOSTR_BUF_SIZE], lo[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (la, sizeof la, "%.5f", lat);
  g_ascii_formatd (lo, sizeof lo, "%.5f", lon);

  return g_strdup_printf ("%s, %s", la, lo);
}

static void
split_dms (double  value,
           int    *deg,
           int    *min,
           double *sec)
{
  double v = fabs (value);

  *deg = (int)v;
  *min = (int)((v - *deg) * 60);
  *sec = (v - *deg - *min / 60.0) * 3600;
  if (*sec >= 59.95)
    {
      *sec = 0;
      if (++*min == 60)
        {
          *min = 0;
          ++*deg;
        }
    }
}

/* One coordinate, translated, set apart for the bidirectional algorithm
 * (FSI … PDI) and its number kept left to right (LRI … PDI) whatever
 * text the translation puts around it: in an Arabic interface
 * "39°03′00″" otherwise comes out in pieces, each run of digits in its
 * place but the run of them reversed. */
static char *
isolate_coordinate (const char *translated,
                    int         deg,
                    int         min,
                    double      sec)
{
  g_autofree char *number = g_strdup_printf ("%d°%02d′%02.0f″", deg, min, sec);
  const char *found = strstr (translated, number);

  if (found == NULL)
    return g_strconcat ("\u2068", translated, "\u2069", NULL);

  return g_strdup_printf ("\u2068%.*s\u2066%s\u2069%s\u2069",
                          (int)(found - translated), translated, number, found + strlen (number));
}

/* Returns: (transfer full): e.g. "40°10′52″ N, 44°30′49″ E", each
 * coordinate and each number in it isolated */
char *
story_geo_format_dms (double lat,
                      double lon)
{
  int lad, lam, lod, lom;
  double las, los;
  g_autofree char *la = NULL;
  g_autofree char *lo = NULL;
  g_autofree char *isolated_la = NULL;
  g_autofree char *isolated_lo = NULL;

  split_dms (lat, &lad, &lam, &las);
  split_dms (lon, &lod, &lom, &los);

  /* Translators: latitude in degrees, minutes and seconds, north or south */
  la = g_strdup_printf (lat >= 0 ? _("%d°%02d′%02.0f″ N") : _("%d°%02d′%02.0f″ S"), lad, lam, las);
  /* Translators: longitude in degrees, minutes and seconds, east or west */
  lo = g_strdup_printf (lon >= 0 ? _("%d°%02d′%02.0f″ E") : _("%d°%02d′%02.0f″ W"), lod, lom, los);
  isolated_la = isolate_coordinate (la, lad, lam, las);
  isolated_lo = isolate_coordinate (lo, lod, lom, los);

  return g_strdup_printf ("%s, %s", isolated_la, isolated_lo);
}

/* A geo: URI (RFC 5870) with the place's name as a query the maps
 * applications understand. */
char *
story_geo_uri (double      lat,
               double      lon,
               const char *label)
{
  char la[G_ASCII_DTOSTR_BUF_SIZE], lo[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *escaped = NULL;

  g_ascii_formatd (la, sizeof la, "%.6f", lat);
  g_ascii_formatd (lo, sizeof lo, "%.6f", lon);

  if (label == NULL)
    return g_strdup_printf ("geo:%s,%s", la, lo);

  escaped = g_uri_escape_string (label, NULL, FALSE);
  return g_strdup_printf ("geo:%s,%s?q=%s,%s(%s)", la, lo, la, lo, escaped);
}

/**
 * story_geo_parse_uri:
 *
 * Reads the point of a geo: URI (RFC 5870): "geo:lat,lon[,alt][;…][?…]".
 *
 * Returns: %TRUE if @uri is one, with a point in range
 */
gboolean
story_geo_parse_uri (const char *uri,
                     double     *lat,
                     double     *lon)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *coords = NULL;
  char *end;

  g_return_val_if_fail (uri != NULL, FALSE);

  if (g_ascii_strncasecmp (uri, "geo:", 4) != 0)
    return FALSE;

  coords = g_strndup (uri + 4, strcspn (uri + 4, ";?"));
  parts = g_strsplit (coords, ",", 4);
  if (g_strv_length (parts) < 2 || g_strv_length (parts) > 3)
    return FALSE;

  *lat = g_ascii_strtod (parts[0], &end);
  if (end == parts[0] || *end != '\0' || !isfinite (*lat) || *lat < -90 || *lat > 90)
    return FALSE;

  *lon = g_ascii_strtod (parts[1], &end);
  if (end == parts[1] || *end != '\0' || !isfinite (*lon) || *lon < -180 || *lon > 180)
    return FALSE;

  return TRUE;
}

/**
 * story_geo_project:
 *
 * Web Mercator, as fractions of the world's width: 0 to 1 from the
 * antimeridian and from the top (latitudes beyond ±85.0511° are clamped).
 * In tiles of zoom z, multiply by 2^z.
 */
void
story_geo_project (double  lat,
                   double  lon,
                   double *x,
                   double *y)
{
  double rad = CLAMP (lat, -85.0511, 85.0511) * G_PI / 180.0;

  *x = (lon + 180.0) / 360.0;
  *y = (1.0 - log (tan (rad) + 1.0 / cos (rad)) / G_PI) / 2.0;
}

static double
y_to_lat (double y)
{
  return atan (sinh (G_PI * (1.0 - 2.0 * y))) * 180.0 / G_PI;
}

/**
 * story_geo_fit_bounds:
 * @padding: pixels to keep clear on every side
 *
 * Computes the centre and zoom level (Web Mercator, 256-pixel tiles) at
 * which @bounds fills a map of @width × @height pixels, within
 * [@min_zoom, @max_zoom].
 */
void
story_geo_fit_bounds (const StoryBounds *bounds,
                      double             width,
                      double             height,
                      double             padding,
                      double             min_zoom,
                      double             max_zoom,
                      double            *lat,
                      double            *lon,
                      double            *zoom)
{
  double w = MAX (width - 2 * padding, width / 2);
  double h = MAX (height - 2 * padding, height / 2);
  double x0, x1, y0, y1, dx, dy, z;

  story_geo_project (bounds->north, bounds->west, &x0, &y0);
  story_geo_project (bounds->south, bounds->east, &x1, &y1);
  dx = MAX (x1 - x0, 1e-9);
  dy = MAX (y1 - y0, 1e-9);
  z = log2 (MIN (w / (dx * 256.0), h / (dy * 256.0)));

  *zoom = CLAMP (floor (z * 4) / 4, min_zoom, max_zoom);
  *lon = (bounds->west + bounds->east) / 2.0;
  *lat = y_to_lat ((y0 + y1) / 2.0);
}

