/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-outline-layer"

#include "config.h"

#include <math.h>

#include "story-geo.h"
#include "story-outline-layer.h"

/*
 * The outlines of areas: every ring of every area shown, drawn as one
 * path per area in one layer, whatever the number of rings. An area costs
 * memory in proportion to its points (kept in Web Mercator, projected
 * once), and a frame costs time in proportion to what it shows: rings
 * outside the view are skipped by their bounding box, points closer than
 * half a pixel to the one drawn before are left out, and a ring that
 * crosses the edge of the view is clipped to it, so that cairo never sees
 * coordinates far beyond its surface. Holes are holes (even-odd fill).
 */

/* Half a pixel: points closer than this to the one before add nothing. */
#define MIN_STEP 0.5
/* Room past the view's edge for the halo of a ring that is clipped. */
#define CLIP_MARGIN 8.0
#define HALO_WIDTH 3.0

static const GdkRGBA fill_color = { 0.21, 0.52, 0.89, 0.14 };
static const GdkRGBA halo_color = { 1, 1, 1, 0.8 };

typedef struct
{
  guint  start;              /* its first point, in Area.points */
  guint  n_points;
  double x0, y0, x1, y1;     /* its extent, Web Mercator */
} Ring;

typedef struct
{
  GArray  *points;           /* x, y pairs, Web Mercator (0 to 1) */
  GArray  *rings;            /* Ring */
  double   x0, y0, x1, y1;
  gboolean shown;
} Area;

typedef struct
{
  double x0, y0, x1, y1;
} Rect;

struct _StoryOutlineLayer
{
  ShumateLayer parent_instance;

  GHashTable  *areas;        /* key → Area */
  GPtrArray   *shown;        /* Area, in the order shown */
  GArray      *pixels;       /* a ring being drawn: x, y pairs in pixels */
  GArray      *clipped;
  guint        n_drawn_points;
};

G_DEFINE_FINAL_TYPE (StoryOutlineLayer, story_outline_layer, SHUMATE_TYPE_LAYER)

static void
area_free (gpointer data)
{
  Area *area = data;

  g_array_unref (area->points);
  g_array_unref (area->rings);
  g_free (area);
}

static Area *
area_new (void)
{
  Area *area = g_new0 (Area, 1);

  area->points = g_array_new (FALSE, FALSE, sizeof (double));
  area->rings = g_array_new (FALSE, FALSE, sizeof (Ring));
  area->x0 = area->y0 = G_MAXDOUBLE;
  area->x1 = area->y1 = -G_MAXDOUBLE;
  return area;
}

/* The view in pixels of the whole world at its zoom level, and its
 * centre. */
static void
view_transform (ShumateViewport *viewport,
                double          *world,
                double          *cx,
                double          *cy)
{
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  guint tile_size = source != NULL ? shumate_map_source_get_tile_size (source) : 256;

  *world = tile_size * pow (2.0, shumate_viewport_get_zoom_level (viewport));
  story_geo_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                     shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                     cx, cy);
  *cx *= *world;
  *cy *= *world;
}

static void
append_point (GArray *array,
              double  x,
              double  y)
{
  double p[2] = { x, y };

  g_array_append_vals (array, p, 2);
}

/* A ring in pixels from the view's centre, without the points that add
 * less than half a pixel. */
static void
ring_to_pixels (const Area *area,
                const Ring *ring,
                double      world,
                double      cx,
                double      cy,
                GArray     *out)
{
  const double *points = &g_array_index (area->points, double, 2 * ring->start);
  double last_x = 0, last_y = 0;

  g_array_set_size (out, 0);
  for (guint i = 0; i < ring->n_points; i++)
    {
      double x = points[2 * i] * world - cx;
      double y = points[2 * i + 1] * world - cy;

      if (out->len > 0 && fabs (x - last_x) < MIN_STEP && fabs (y - last_y) < MIN_STEP)
        continue;

      append_point (out, x, y);
      last_x = x;
      last_y = y;
    }
}

/* One step of Sutherland–Hodgman: keeps the part of polygon @in on the
 * inner side of one edge, where coordinate @axis times @sign is at most
 * @bound times @sign. */
static void
clip_to_edge (GArray *in,
              GArray *out,
              guint   axis,
              double  bound,
              double  sign)
{
  guint n = in->len / 2;
  const double *p = (const double *)(gpointer)in->data;

  g_array_set_size (out, 0);
  for (guint i = 0; i < n; i++)
    {
      const double *a = &p[2 * ((i + n - 1) % n)];
      const double *b = &p[2 * i];
      gboolean a_in = sign * a[axis] <= sign * bound;
      gboolean b_in = sign * b[axis] <= sign * bound;

      if (a_in != b_in)
        {
          double t = (bound - a[axis]) / (b[axis] - a[axis]);
          double q[2];

          q[axis] = bound;
          q[1 - axis] = a[1 - axis] + t * (b[1 - axis] - a[1 - axis]);
          g_array_append_vals (out, q, 2);
        }
      if (b_in)
        g_array_append_vals (out, b, 2);
    }
}

static void
clip_to_rect (StoryOutlineLayer *self,
              const Rect        *clip)
{
  clip_to_edge (self->pixels, self->clipped, 0, clip->x0, -1);
  clip_to_edge (self->clipped, self->pixels, 0, clip->x1, 1);
  clip_to_edge (self->pixels, self->clipped, 1, clip->y0, -1);
  clip_to_edge (self->clipped, self->pixels, 1, clip->y1, 1);
}

static void
append_ring (StoryOutlineLayer *self,
             cairo_t           *cr,
             const Area        *area,
             const Ring        *ring,
             double             world,
             double             cx,
             double             cy,
             const Rect        *clip)
{
  Rect box = { ring->x0 * world - cx, ring->y0 * world - cy,
               ring->x1 * world - cx, ring->y1 * world - cy };
  const double *p;

  if (box.x1 < clip->x0 || box.x0 > clip->x1 || box.y1 < clip->y0 || box.y0 > clip->y1)
    return;

  /* A ring smaller than a pixel is a dot. */
  if (box.x1 - box.x0 < 2 * MIN_STEP && box.y1 - box.y0 < 2 * MIN_STEP)
    {
      cairo_rectangle (cr, box.x0, box.y0, 1, 1);
      self->n_drawn_points += 4;
      return;
    }

  ring_to_pixels (area, ring, world, cx, cy, self->pixels);
  if (box.x0 < clip->x0 || box.x1 > clip->x1 || box.y0 < clip->y0 || box.y1 > clip->y1)
    clip_to_rect (self, clip);

  if (self->pixels->len < 6)
    return;

  p = (const double *)(gpointer)self->pixels->data;
  cairo_move_to (cr, p[0], p[1]);
  for (guint i = 2; i < self->pixels->len; i += 2)
    cairo_line_to (cr, p[i], p[i + 1]);
  cairo_close_path (cr);
  self->n_drawn_points += self->pixels->len / 2;
}

static gboolean
area_in_view (const Area *area,
              double      world,
              double      cx,
              double      cy,
              const Rect *clip)
{
  return !(area->x1 * world - cx < clip->x0 || area->x0 * world - cx > clip->x1 ||
           area->y1 * world - cy < clip->y0 || area->y0 * world - cy > clip->y1);
}

/* The part of the view the areas shown cover: a smaller picture to draw
 * and hand to the renderer than the whole view. */
static gboolean
drawn_extent (StoryOutlineLayer *self,
              double             world,
              double             cx,
              double             cy,
              const Rect        *clip,
              Rect              *extent)
{
  *extent = (Rect) { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };

  for (guint i = 0; i < self->shown->len; i++)
    {
      const Area *area = g_ptr_array_index (self->shown, i);

      if (!area_in_view (area, world, cx, cy, clip))
        continue;

      extent->x0 = MIN (extent->x0, area->x0 * world - cx - HALO_WIDTH);
      extent->y0 = MIN (extent->y0, area->y0 * world - cy - HALO_WIDTH);
      extent->x1 = MAX (extent->x1, area->x1 * world - cx + HALO_WIDTH + 1);
      extent->y1 = MAX (extent->y1, area->y1 * world - cy + HALO_WIDTH + 1);
    }

  extent->x0 = floor (MAX (extent->x0, clip->x0 + CLIP_MARGIN));
  extent->y0 = floor (MAX (extent->y0, clip->y0 + CLIP_MARGIN));
  extent->x1 = ceil (MIN (extent->x1, clip->x1 - CLIP_MARGIN));
  extent->y1 = ceil (MIN (extent->y1, clip->y1 - CLIP_MARGIN));

  return extent->x1 > extent->x0 && extent->y1 > extent->y0;
}

static void
story_outline_layer_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  StoryOutlineLayer *self = STORY_OUTLINE_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double rotation, world, cx, cy, hx, hy;
  cairo_t *cr;
  Rect clip, extent;

  self->n_drawn_points = 0;
  if (self->shown->len == 0 || width <= 0 || height <= 0)
    return;

  view_transform (viewport, &world, &cx, &cy);
  rotation = shumate_viewport_get_rotation (viewport);
  /* A turned view shows what lies within its half-diagonal. */
  hx = rotation == 0 ? width / 2 : hypot (width, height) / 2;
  hy = rotation == 0 ? height / 2 : hx;
  clip = (Rect) { -hx - CLIP_MARGIN, -hy - CLIP_MARGIN, hx + CLIP_MARGIN, hy + CLIP_MARGIN };
  if (!drawn_extent (self, world, cx, cy, &clip, &extent))
    return;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width / 2, height / 2));
  gtk_snapshot_rotate (snapshot, rotation * 180 / G_PI);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (extent.x0, extent.y0,
                                                                 extent.x1 - extent.x0,
                                                                 extent.y1 - extent.y0));
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
  cairo_set_line_width (cr, HALO_WIDTH);

  for (guint i = 0; i < self->shown->len; i++)
    {
      const Area *area = g_ptr_array_index (self->shown, i);

      if (!area_in_view (area, world, cx, cy, &clip))
        continue;

      cairo_new_path (cr);
      for (guint r = 0; r < area->rings->len; r++)
        append_ring (self, cr, area, &g_array_index (area->rings, Ring, r), world, cx, cy, &clip);

      /* A light fill under a white halo, as each area has always had. */
      gdk_cairo_set_source_rgba (cr, &fill_color);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &halo_color);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
  gtk_snapshot_restore (snapshot);
}

static void
story_outline_layer_dispose (GObject *object)
{
  StoryOutlineLayer *self = STORY_OUTLINE_LAYER (object);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));

  if (viewport != NULL)
    g_signal_handlers_disconnect_by_data (viewport, self);

  G_OBJECT_CLASS (story_outline_layer_parent_class)->dispose (object);
}

static void
story_outline_layer_finalize (GObject *object)
{
  StoryOutlineLayer *self = STORY_OUTLINE_LAYER (object);

  g_ptr_array_unref (self->shown);
  g_hash_table_unref (self->areas);
  g_array_unref (self->pixels);
  g_array_unref (self->clipped);

  G_OBJECT_CLASS (story_outline_layer_parent_class)->finalize (object);
}

static void
story_outline_layer_class_init (StoryOutlineLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_outline_layer_dispose;
  object_class->finalize = story_outline_layer_finalize;
  widget_class->snapshot = story_outline_layer_snapshot;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
story_outline_layer_init (StoryOutlineLayer *self)
{
  self->areas = g_hash_table_new_full (NULL, NULL, NULL, area_free);
  self->shown = g_ptr_array_new ();
  self->pixels = g_array_new (FALSE, FALSE, sizeof (double));
  self->clipped = g_array_new (FALSE, FALSE, sizeof (double));

  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/**
 * story_outline_layer_new:
 * @viewport: the view the outlines are shown in
 *
 * Returns: (transfer floating): a layer with no areas
 */
StoryOutlineLayer *
story_outline_layer_new (ShumateViewport *viewport)
{
  StoryOutlineLayer *self;

  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  self = g_object_new (STORY_TYPE_OUTLINE_LAYER, "viewport", viewport, NULL);

  g_signal_connect_swapped (viewport, "notify::latitude", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (viewport, "notify::longitude", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (viewport, "notify::zoom-level", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (viewport, "notify::rotation", G_CALLBACK (gtk_widget_queue_draw), self);

  return self;
}

gboolean
story_outline_layer_has_area (StoryOutlineLayer *self,
                              gconstpointer      key)
{
  g_return_val_if_fail (STORY_IS_OUTLINE_LAYER (self), FALSE);

  return g_hash_table_contains (self->areas, key);
}

static Area *
ensure_area (StoryOutlineLayer *self,
             gconstpointer      key)
{
  Area *area = g_hash_table_lookup (self->areas, key);

  if (area == NULL)
    {
      area = area_new ();
      g_hash_table_insert (self->areas, (gpointer)key, area);
    }

  return area;
}

/**
 * story_outline_layer_add_area:
 * @key: what the area is known by, e.g. its place
 *
 * Adds an area with no rings yet, hidden. Adding one already there does
 * nothing.
 */
void
story_outline_layer_add_area (StoryOutlineLayer *self,
                              gconstpointer      key)
{
  g_return_if_fail (STORY_IS_OUTLINE_LAYER (self));

  ensure_area (self, key);
}

/**
 * story_outline_layer_add_ring:
 * @key: the area's key; the area is added if need be
 * @points: (array length=n_points): the ring, closed or not
 *
 * Adds a ring to an area: its outline, or a hole in it.
 */
void
story_outline_layer_add_ring (StoryOutlineLayer *self,
                              gconstpointer      key,
                              const StoryLatLon *points,
                              guint              n_points)
{
  Area *area;
  Ring ring;

  g_return_if_fail (STORY_IS_OUTLINE_LAYER (self));
  g_return_if_fail (points != NULL || n_points == 0);

  area = ensure_area (self, key);
  if (n_points == 0)
    return;

  ring = (Ring) { area->points->len / 2, n_points, G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  for (guint i = 0; i < n_points; i++)
    {
      double x, y;

      story_geo_project (points[i].lat, points[i].lon, &x, &y);
      append_point (area->points, x, y);
      ring.x0 = MIN (ring.x0, x);
      ring.y0 = MIN (ring.y0, y);
      ring.x1 = MAX (ring.x1, x);
      ring.y1 = MAX (ring.y1, y);
    }

  g_array_append_val (area->rings, ring);
  area->x0 = MIN (area->x0, ring.x0);
  area->y0 = MIN (area->y0, ring.y0);
  area->x1 = MAX (area->x1, ring.x1);
  area->y1 = MAX (area->y1, ring.y1);

  if (area->shown)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * story_outline_layer_show_area:
 *
 * Returns: whether the area is shown: %FALSE for an unknown area or one
 *   with no rings
 */
gboolean
story_outline_layer_show_area (StoryOutlineLayer *self,
                               gconstpointer      key)
{
  Area *area;

  g_return_val_if_fail (STORY_IS_OUTLINE_LAYER (self), FALSE);

  area = g_hash_table_lookup (self->areas, key);
  if (area == NULL || area->rings->len == 0)
    return FALSE;

  if (!area->shown)
    {
      area->shown = TRUE;
      g_ptr_array_add (self->shown, area);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }

  return TRUE;
}

void
story_outline_layer_hide_all (StoryOutlineLayer *self)
{
  g_return_if_fail (STORY_IS_OUTLINE_LAYER (self));

  if (self->shown->len == 0)
    return;

  for (guint i = 0; i < self->shown->len; i++)
    ((Area *)g_ptr_array_index (self->shown, i))->shown = FALSE;
  g_ptr_array_set_size (self->shown, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
story_outline_layer_remove_all (StoryOutlineLayer *self)
{
  g_return_if_fail (STORY_IS_OUTLINE_LAYER (self));

  story_outline_layer_hide_all (self);
  g_hash_table_remove_all (self->areas);
}

/* Returns: how many rings the area has */
guint
story_outline_layer_get_n_rings (StoryOutlineLayer *self,
                                 gconstpointer      key)
{
  Area *area;

  g_return_val_if_fail (STORY_IS_OUTLINE_LAYER (self), 0);

  area = g_hash_table_lookup (self->areas, key);
  return area ? area->rings->len : 0;
}

/* Returns: how many points the last frame drew, after leaving out those
 * closer than half a pixel and the rings out of view */
guint
story_outline_layer_get_n_drawn_points (StoryOutlineLayer *self)
{
  g_return_val_if_fail (STORY_IS_OUTLINE_LAYER (self), 0);

  return self->n_drawn_points;
}
