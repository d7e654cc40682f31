/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-offline-map-layer"

#include "config.h"

#include <math.h>

#include "story-geo.h"
#include "story-offline-map-layer.h"

/*
 * Shows the tiles the offline map has drawn ahead of its map layer asking
 * for them, under that layer. libshumate 1.0 works out which tiles a view
 * needs only after the frame that first shows the view, so without this
 * the window's first frame, and the end of each flight, would show the map
 * empty for a frame or two although its tiles are ready. Once the map
 * layer has a tile it draws it on top and the offline map lets it go here.
 */
struct _StoryOfflineMapLayer
{
  ShumateLayer     parent_instance;

  StoryOfflineMap *map;
  guint            n_drawn;      /* tiles in the last snapshot */
};

G_DEFINE_FINAL_TYPE (StoryOfflineMapLayer, story_offline_map_layer, SHUMATE_TYPE_LAYER)

/* The map layer has a tile now: let go of those it took. */
static void
on_tile_filled (StoryOfflineMapLayer *self)
{
  if (self->n_drawn > 0)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
story_offline_map_layer_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  StoryOfflineMapLayer *self = STORY_OFFLINE_MAP_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double rotation = shumate_viewport_get_rotation (viewport);
  double cx, cy, size, radius;
  int z, n, x0, x1, y0, y1;

  self->n_drawn = 0;
  if (width <= 0 || height <= 0 || story_offline_map_get_n_pending (self->map) == 0)
    return;

  /* Tiles of the zoom level below the view's, scaled, as libshumate does. */
  z = CLAMP ((int)floor (zoom), STORY_OFFLINE_SOURCE_MIN_ZOOM, STORY_OFFLINE_SOURCE_MAX_ZOOM);
  n = 1 << z;
  size = STORY_OFFLINE_SOURCE_TILE_SIZE * pow (2, zoom - z);
  story_geo_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                     shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                     &cx, &cy);
  cx *= n * size;
  cy *= n * size;

  /* Every tile a turned view can show lies within its half-diagonal. */
  radius = hypot (width, height) / 2;
  x0 = (int)floor ((cx - radius) / size);
  x1 = (int)floor ((cx + radius) / size);
  y0 = MAX (0, (int)floor ((cy - radius) / size));
  y1 = MIN (n - 1, (int)floor ((cy + radius) / size));

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width / 2, height / 2));
  gtk_snapshot_rotate (snapshot, rotation * 180 / G_PI);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-cx, -cy));

  for (int x = x0; x <= x1; x++)
    for (int y = y0; y <= y1; y++)
      {
        /* Around the world east and west. */
        GdkTexture *texture = story_offline_map_lookup_drawn (self->map, ((x % n) + n) % n, y, z);

        if (texture == NULL)
          continue;

        gtk_snapshot_append_texture (snapshot, texture,
                                     &GRAPHENE_RECT_INIT (x * size, y * size, size, size));
        self->n_drawn++;
      }

  gtk_snapshot_restore (snapshot);
}

static void
story_offline_map_layer_dispose (GObject *object)
{
  StoryOfflineMapLayer *self = STORY_OFFLINE_MAP_LAYER (object);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));

  if (viewport != NULL)
    g_signal_handlers_disconnect_by_data (viewport, self);
  if (self->map != NULL)
    g_signal_handlers_disconnect_by_data (self->map, self);
  g_clear_object (&self->map);

  G_OBJECT_CLASS (story_offline_map_layer_parent_class)->dispose (object);
}

static void
story_offline_map_layer_class_init (StoryOfflineMapLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_offline_map_layer_dispose;
  widget_class->snapshot = story_offline_map_layer_snapshot;
}

static void
story_offline_map_layer_init (StoryOfflineMapLayer *self)
{
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/**
 * story_offline_map_layer_new:
 * @map: the offline map whose tiles drawn ahead are shown
 * @viewport: the view they are shown in
 *
 * Returns: (transfer floating): the layer, to go under @map's map layer
 */
StoryOfflineMapLayer *
story_offline_map_layer_new (StoryOfflineMap *map,
                             ShumateViewport *viewport)
{
  StoryOfflineMapLayer *self;

  g_return_val_if_fail (STORY_IS_OFFLINE_MAP (map), NULL);
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  self = g_object_new (STORY_TYPE_OFFLINE_MAP_LAYER, "viewport", viewport, NULL);
  self->map = g_object_ref (map);

  g_signal_connect_swapped (map, "tile-drawn", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (map, "tile-filled", G_CALLBACK (on_tile_filled), self);
  g_signal_connect_swapped (viewport, "notify::latitude", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (viewport, "notify::longitude", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (viewport, "notify::zoom-level", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (viewport, "notify::rotation", G_CALLBACK (gtk_widget_queue_draw), self);

  return self;
}

/* Returns: how many tiles the layer drew in its last snapshot */
guint
story_offline_map_layer_get_n_drawn (StoryOfflineMapLayer *self)
{
  g_return_val_if_fail (STORY_IS_OFFLINE_MAP_LAYER (self), 0);

  return self->n_drawn;
}
