/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "story-place.h"

G_BEGIN_DECLS

double  story_geo_distance_km    (double lat1,
                                  double lon1,
                                  double lat2,
                                  double lon2);
double  story_geo_bearing        (double lat1,
                                  double lon1,
                                  double lat2,
                                  double lon2);
char   *story_geo_format_route   (const char *from,
                                  const char *to,
                                  double      distance_km,
                                  double      bearing);
char   *story_geo_format_decimal (double lat,
                                  double lon);
char   *story_geo_format_dms     (double lat,
                                  double lon);
gboolean story_geo_parse_uri     (const char *uri,
                                  double     *lat,
                                  double     *lon);
char   *story_geo_uri            (double lat,
                                  double lon,
                                  const char *label);

void    story_geo_project        (double             lat,
                                  double             lon,
                                  double            *x,
                                  double            *y);
void    story_geo_fit_bounds     (const StoryBounds *bounds,
                                  double             width,
                                  double             height,
                                  double             padding,
                                  double             min_zoom,
                                  double             max_zoom,
                                  double            *lat,
                                  double            *lon,
                                  double            *zoom);

G_END_DECLS
