/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "story-map-view.h"
#include "story-outline-layer.h"
#include "story-pin-layer.h"

G_BEGIN_DECLS

/* Up to this many places, each has a marker of its own: a button with an
 * accessible name, its name beside its pin. Past it, one layer draws
 * every pin (StoryPinLayer): a widget for each of thousands of places
 * would take minutes to lay out and more than the GL renderer can draw in
 * a frame. The place list reaches every place in both cases. */
#define STORY_MAP_VIEW_MAX_MARKERS 500

/* The directions of places off the map, clockwise from north. */
#define STORY_MAP_VIEW_N_DIRECTIONS 8

#define STORY_METRES_PER_MILE 1609.344
#define STORY_METRES_PER_FOOT 0.3048

/* The map view's state, shared by story-map-view.c (layers, moves, the
 * selection) and story-map-view-markers.c (markers and outlines). */
struct _StoryMapView
{
  GtkWidget          parent_instance;

  GtkWidget         *overlay;
  ShumateMap        *map;
  ShumateLicense    *license;
  GtkRevealer       *offline_revealer;
  GtkLabel          *offline_label;
  StoryPlaceDetails *place_details;
  GtkWidget         *zoom_box;
  GtkWidget         *scale;

  StorySelection    *selection;
  GSignalGroup      *selection_signals;
  StoryDocument     *document;
  ShumateMapSource  *base_source;
  ShumateMapLayer   *base_layer;
  ShumateLayer      *drawn_ahead_layer; /* under base_layer, for the offline map */
  ShumateMapLayer   *builtin_layer;  /* under base_layer, for other base maps */
  GObject           *failing_source; /* the base map's data, which may fail */
  gulong             tile_failed_handler;
  guint              tiles_failing_timeout;
  ShumateMapSource  *online_source;
  ShumateMapLayer   *online_layer;
  ShumateMarkerLayer *marker_layer;
  GHashTable        *markers;        /* StoryPlace → ShumateMarker */
  StoryPinLayer     *pin_layer;      /* past STORY_MAP_VIEW_MAX_MARKERS places */
  StoryOutlineLayer *outline_layer;  /* the outlines of every area, as shown */
  GPtrArray         *shown_outlines;
  GArray            *labels;         /* markers' names: story-map-view-labels.c */
  guint              labels_tick;
  GtkWidget         *labels_root;     /* followed for its style classes */
  GtkWidget         *edge_hints[STORY_MAP_VIEW_N_DIRECTIONS]; /* places off the map */
  GPtrArray         *edge_places[STORY_MAP_VIEW_N_DIRECTIONS];
  guint              edge_hints_tick;

  StoryBounds        pending_bounds;
  double             pending_max_zoom;
  double             pending_zoom;      /* where it goes, at the expected size */
  int                expected_width;    /* before the map has a size */
  int                expected_height;
  guint              moving_timeout;
  guint              has_pending : 1;
  guint              has_pending_zoom : 1;
  guint              moving : 1;
  guint              offline : 1;
  guint              metered : 1;
  guint              tiles_failing : 1;
};

void       _story_map_view_rebuild_markers      (StoryMapView *self);
void       _story_map_view_activate_place       (StoryMapView *self,
                                                 StoryPlace   *place);
void       _story_map_view_remove_outlines      (StoryMapView *self);
void       _story_map_view_update_marker_states (StoryMapView *self,
                                                 StoryPlace   *selected,
                                                 guint         paragraph);
char      *_story_map_view_marker_tooltip       (GtkWidget    *button);
void       _story_map_view_clear_labels         (StoryMapView *self);
void       _story_map_view_add_label            (StoryMapView *self,
                                                 StoryPlace   *place,
                                                 GtkWidget    *button,
                                                 GtkWidget    *pin,
                                                 GtkWidget    *label);
void       _story_map_view_queue_labels         (StoryMapView *self);
void       _story_map_view_show_outline         (StoryMapView *self,
                                                 StoryPlace   *place);
void       _story_map_view_hide_outlines        (StoryMapView *self);
GtkWidget *_story_map_view_marker_button        (ShumateMarker *marker);
char      *_story_map_view_format_length        (double        metres,
                                                 gboolean      metric);
void       _story_map_view_init_edge_hints      (StoryMapView *self);
void       _story_map_view_queue_edge_hints     (StoryMapView *self);
void       _story_map_view_update_edge_hints    (StoryMapView *self,
                                                 int           width,
                                                 int           height);
void       _story_map_view_clear_edge_hints     (StoryMapView *self);

/* For the tests: whether @place's outline is drawn now. */
gboolean   story_map_view_get_outline_visible   (StoryMapView *self,
                                                 StoryPlace   *place);

G_END_DECLS
