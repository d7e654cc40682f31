/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "story-offline-source.h"

G_BEGIN_DECLS

/* Shared by the files that make up the offline source:
 * story-offline-source.c (cache, data source, public API) and
 * story-offline-draw.c (tile drawing and PNG encoding). */

cairo_surface_t *_story_offline_draw_tile  (StoryBasemap      *basemap,
                                            int                x,
                                            int                y,
                                            int                zoom,
                                            StoryBasemapName   names);
GBytes          *_story_offline_encode_png (cairo_surface_t   *surface,
                                            GError           **error);
/* A place the map shows with a marker of its own: the drawn map leaves
 * out a label of the same name near it. */
typedef struct
{
  char   *name;
  gint32  x, y;        /* in basemap units */
} StoryOfflineMarkedPlace;

void             _story_offline_draw_set_marked_places (GPtrArray *places);
int              _story_offline_draw_deepest_zoom (double      south,
                                                   double      west,
                                                   double      north,
                                                   double      east);

/* For the tests: how many tiles the memory cache holds now. */
guint            story_offline_source_get_n_cached (StoryOfflineSource *self);

G_END_DECLS
