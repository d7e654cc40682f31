/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "story-geo.h"

/* Known distances, from independent great-circle calculations. */
static void
test_distance (void)
{
  /* Yerevan → Baku: 457 km. */
  double d = story_geo_distance_km (40.1811, 44.5136, 40.3777, 49.8920);
  g_assert_cmpfloat (fabs (d - 457.0) / 457.0, <, 0.005);

  /* Yerevan → Moscow Kremlin: 1,804 km. */
  d = story_geo_distance_km (40.1811, 44.5136, 55.7517, 37.6178);
  g_assert_cmpfloat (fabs (d - 1803.7) / 1803.7, <, 0.005);

  /* A quarter of the equator. */
  d = story_geo_distance_km (0, 0, 0, 90);
  g_assert_cmpfloat (fabs (d - 10007.5) / 10007.5, <, 0.005);

  g_assert_cmpfloat (story_geo_distance_km (10, 10, 10, 10), ==, 0);
}

static void
test_route (void)
{
  g_autofree char *east = NULL;
  g_autofree char *north = NULL;
  g_autofree char *sw = NULL;

  east = story_geo_format_route ("Yerevan", "Baku", 457.2,
                                 story_geo_bearing (40.1811, 44.5136, 40.3777, 49.8920));
  g_assert_cmpstr (east, ==, "Yerevan → Baku: 457 km east");

  north = story_geo_format_route ("Yerevan", "Moscow", 1790,
                                  story_geo_bearing (40.1811, 44.5136, 55.7517, 37.6178));
  g_assert_cmpstr (north, ==, "Yerevan → Moscow: 1790 km north");

  sw = story_geo_format_route ("Baku", "Nerkin Hand", 300,
                               story_geo_bearing (40.3777, 49.8920, 39.05, 46.52));
  g_assert_cmpstr (sw, ==, "Baku → Nerkin Hand: 300 km south-west");
}

static void
test_formats (void)
{
  g_autofree char *dec = story_geo_format_decimal (40.1811, 44.5136);
  g_autofree char *dms = story_geo_format_dms (40.1811, 44.5136);
  g_autofree char *dms_sw = story_geo_format_dms (-33.8568, -70.6483);
  g_autofree char *uri = story_geo_uri (39.05, 46.52, "Nerkin Hand");

  g_assert_cmpstr (dec, ==, "40.18110, 44.51360");
  /* Each coordinate isolated, and the number in it left to right. */
  g_assert_cmpstr (dms, ==, "\u2068\u206640°10′52″\u2069 N\u2069, \u2068\u206644°30′49″\u2069 E\u2069");
  g_assert_cmpstr (dms_sw, ==, "\u2068\u206633°51′24″\u2069 S\u2069, \u2068\u206670°38′54″\u2069 W\u2069");
  g_assert_cmpstr (uri, ==, "geo:39.050000,46.520000?q=39.050000,46.520000(Nerkin%20Hand)");
}

/* The map fits a region with a margin and centres on it. */
static void
test_fit_bounds (void)
{
  StoryBounds caucasus = { 43.2, 38.3, 50.6, 41.7 };
  StoryBounds point = { 44.5, 40.2, 44.5, 40.2 };
  double lat, lon, zoom;

  story_geo_fit_bounds (&caucasus, 700, 700, 40, 0, 18, &lat, &lon, &zoom);
  g_assert_cmpfloat_with_epsilon (lon, 46.9, 1e-9);
  g_assert_true (lat > 40.0 && lat < 40.1);
  /* 7.4° of longitude in 620 pixels: between zoom 6 and 7. */
  g_assert_cmpfloat (zoom, >=, 6);
  g_assert_cmpfloat (zoom, <, 7);
  g_assert_cmpfloat (256 * pow (2, zoom) * 7.4 / 360, <=, 620);

  /* A single point takes the largest zoom allowed. */
  story_geo_fit_bounds (&point, 700, 500, 40, 0, 11, &lat, &lon, &zoom);
  g_assert_cmpfloat (zoom, ==, 11);
  g_assert_cmpfloat_with_epsilon (lat, 40.2, 1e-9);
}

static void
test_parse_uri (void)
{
  double lat = 0, lon = 0;

  g_assert_true (story_geo_parse_uri ("geo:40.1811,44.5136", &lat, &lon));
  g_assert_cmpfloat (lat, ==, 40.1811);
  g_assert_cmpfloat (lon, ==, 44.5136);
  g_assert_true (story_geo_parse_uri ("GEO:-33.5,-70.25,550;u=30?z=12", &lat, &lon));
  g_assert_cmpfloat (lat, ==, -33.5);
  g_assert_cmpfloat (lon, ==, -70.25);

  g_assert_false (story_geo_parse_uri ("geo:91,0", &lat, &lon));
  g_assert_false (story_geo_parse_uri ("geo:0,181", &lat, &lon));
  g_assert_false (story_geo_parse_uri ("geo:abc,1", &lat, &lon));
  g_assert_false (story_geo_parse_uri ("geo:1", &lat, &lon));
  g_assert_false (story_geo_parse_uri ("http://example.com", &lat, &lon));
  g_assert_false (story_geo_parse_uri ("geo:", &lat, &lon));
}

/* The x of the character at @index of @layout's text. */
static int
x_at (PangoLayout *layout,
      const char  *needle)
{
  const char *text = pango_layout_get_text (layout);
  const char *found = strstr (text, needle);
  PangoRectangle pos;

  g_assert_nonnull (found);
  pango_layout_index_to_pos (layout, found - text, &pos);
  return pos.width < 0 ? pos.x + pos.width : pos.x;
}

/* In right-to-left text, as an Arabic translation puts the hemisphere
 * after the number in words of its own, each coordinate's number still
 * reads left to right, and the latitude comes first, on the right. */
static void
test_dms_rtl (void)
{
  g_autofree char *dms = story_geo_format_dms (39.05, 46.52);
  g_autoptr(GString) arabic = g_string_new (dms);
  g_autoptr(GObject) context_object = G_OBJECT (pango_font_map_create_context (pango_cairo_font_map_get_default ()));
  PangoContext *context = PANGO_CONTEXT (context_object);
  g_autoptr(PangoLayout) layout = NULL;

  /* What the Arabic translation does to the words. */
  g_string_replace (arabic, " N", " شمالًا", 1);
  g_string_replace (arabic, " E", " شرقًا", 1);

  pango_context_set_base_dir (context, PANGO_DIRECTION_RTL);
  layout = pango_layout_new (context);
  pango_layout_set_auto_dir (layout, FALSE);
  pango_layout_set_text (layout, arabic->str, -1);

  g_assert_cmpint (x_at (layout, "39°"), <, x_at (layout, "°03′"));
  g_assert_cmpint (x_at (layout, "°03′"), <, x_at (layout, "03′00″"));
  g_assert_cmpint (x_at (layout, "03′00″"), <, x_at (layout, "00″"));
  g_assert_cmpint (x_at (layout, "46°"), <, x_at (layout, "31′12″"));
  /* Right to left: the latitude, and its word before its number. */
  g_assert_cmpint (x_at (layout, "39°"), >, x_at (layout, "46°"));
  g_assert_cmpint (x_at (layout, "شمالًا"), <, x_at (layout, "39°"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/geo/distance", test_distance);
  g_test_add_func ("/story/geo/route", test_route);
  g_test_add_func ("/story/geo/formats", test_formats);
  g_test_add_func ("/story/geo/dms-rtl", test_dms_rtl);
  g_test_add_func ("/story/geo/parse-uri", test_parse_uri);
  g_test_add_func ("/story/geo/fit-bounds", test_fit_bounds);

  return g_test_run ();
}
