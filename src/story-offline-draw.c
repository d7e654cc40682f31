/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-offline-source"

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "story-offline-source-private.h"

/* Drawing of the offline source's raster tiles: the basemap's land, water,
 * borders and labels, in the colours of OpenStreetMap's standard style, on
 * one cairo image surface per tile, and the PNG encoding of a drawn tile.
 * Nothing here is shared between tiles, so any thread may draw. */

#define TILE_SIZE          STORY_OFFLINE_SOURCE_TILE_SIZE
#define DETAIL_ZOOM        7     /* from here the region uses its own data */
#define REGION_DEEPEST     10    /* deeper, the region's data shows nothing new */
#define WORLD_DEEPEST      5     /* the world's data: borders and the larger cities */
#define MARGIN             16.0  /* pixels drawn beyond the tile's edge */
#define LABEL_MARGIN_X     200.0 /* half the widest label, about */
#define LABEL_MARGIN_Y     40.0
#define QUANT_MAX          65535.0

/* The detailed region, as tools/make-basemap.py clips it. */
#define REGION_WEST  38.0
#define REGION_SOUTH 37.5
#define REGION_EAST  51.5
#define REGION_NORTH 44.5

typedef struct
{
  double r, g, b, a;
} Colour;

static const Colour water_colour = { 0xaa / 255., 0xd3 / 255., 0xdf / 255., 1 };
static const Colour land_colour = { 0xf2 / 255., 0xef / 255., 0xe9 / 255., 1 };
static const Colour border_band = { 0xac / 255., 0x46 / 255., 0xac / 255., 0.22 };
static const Colour border_low = { 0x9e / 255., 0x9c / 255., 0xab / 255., 1 };
static const Colour border_line = { 0xac / 255., 0x46 / 255., 0xac / 255., 0.8 };
static const Colour province_line = { 0xac / 255., 0x46 / 255., 0xac / 255., 0.55 };
static const Colour disputed_line = { 0xac / 255., 0x46 / 255., 0xac / 255., 0.85 };
static const Colour country_text = { 0x8e / 255., 0x4e / 255., 0x8e / 255., 1 };
static const Colour province_text = { 0x9a / 255., 0x6c / 255., 0x9a / 255., 1 };
static const Colour place_text = { 0x22 / 255., 0x22 / 255., 0x22 / 255., 1 };
static const Colour halo_colour = { 1, 1, 1, 0.85 };

/* The places with markers of their own, for the tiles this thread draws
 * next: a GPtrArray of StoryOfflineMarkedPlace, or NULL. */
static GPrivate marked_places_key;

#define MARKED_DISTANCE 48.0 /* pixels within which a label repeats a marker */

/**
 * _story_offline_draw_set_marked_places:
 * @places: (nullable) (transfer none): StoryOfflineMarkedPlaces, alive
 *   while this thread draws
 *
 * Leaves out of the tiles this thread draws next the labels that repeat
 * the names of markers beside them.
 */
void
_story_offline_draw_set_marked_places (GPtrArray *places)
{
  g_private_set (&marked_places_key, places);
}

/* What drawing one tile needs. */
typedef struct
{
  StoryBasemap     *basemap;
  cairo_t          *cr;
  int               zoom;
  guint16           zoom_bit;
  double            ox;       /* tile origin, in units */
  double            oy;
  double            scale;    /* pixels per unit */
  StoryBasemapBox   box;      /* the tile and its margin, in units */
  StoryBasemapName  names;
} Tile;

/* --- geometry ------------------------------------------------------------- */

static gboolean
box_intersects (const StoryBasemapBox *a,
                const StoryBasemapBox *b)
{
  return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 && b->y0 <= a->y1;
}

static gboolean
box_inside (const StoryBasemapBox *inner,
            const StoryBasemapBox *outer)
{
  return inner->x0 >= outer->x0 && inner->x1 <= outer->x1
         && inner->y0 >= outer->y0 && inner->y1 <= outer->y1;
}

static void
region_box (StoryBasemapBox *box)
{
  story_basemap_project (REGION_NORTH, REGION_WEST, &box->x0, &box->y0);
  story_basemap_project (REGION_SOUTH, REGION_EAST, &box->x1, &box->y1);
}

/* The deepest zoom at which the drawn map still shows something new
 * everywhere in @south..@north, @west..@east: the region's data in the
 * South Caucasus, the world's elsewhere. */
int
_story_offline_draw_deepest_zoom (double south,
                                  double west,
                                  double north,
                                  double east)
{
  if (south >= REGION_SOUTH && north <= REGION_NORTH
      && west >= REGION_WEST && east <= REGION_EAST)
    return REGION_DEEPEST;

  return WORLD_DEEPEST;
}

static guint
outcode (double x,
         double y)
{
  return (x < -MARGIN) | (x > TILE_SIZE + MARGIN) << 1
         | (y < -MARGIN) << 2 | (y > TILE_SIZE + MARGIN) << 3;
}

/* Adds one ring or line to the path, in tile pixels.  Points closer than
 * about half a pixel to the previous one are dropped.  With @cull, runs of
 * points beyond the same side of the tile (and its margin) shrink to their
 * ends: the shape changes only outside that side, never on the tile. */
static void
add_part (Tile                   *t,
          const StoryBasemapPart *part,
          gboolean                cull)
{
  const StoryBasemapPoint *pts = story_basemap_get_points (t->basemap, part);
  double ax = (part->bbox.x0 - t->ox) * t->scale;
  double ay = (part->bbox.y0 - t->oy) * t->scale;
  double bx = ((double)part->bbox.x1 - part->bbox.x0) / QUANT_MAX * t->scale;
  double by = ((double)part->bbox.y1 - part->bbox.y0) / QUANT_MAX * t->scale;
  double lx = ax + pts[0].x * bx, ly = ay + pts[0].y * by;
  double px = 0, py = 0;
  gboolean pending = FALSE;
  guint run = outcode (lx, ly);

  cairo_move_to (t->cr, lx, ly);

  for (guint i = 1; i < part->n_points; i++)
    {
      double x = ax + pts[i].x * bx, y = ay + pts[i].y * by;
      guint code;

      if (i + 1 < part->n_points && fabs (x - lx) + fabs (y - ly) < 0.5)
        continue;
      lx = x;
      ly = y;

      if (!cull)
        {
          cairo_line_to (t->cr, x, y);
          continue;
        }

      code = outcode (x, y);
      if (pending && !(run & code))
        {
          cairo_line_to (t->cr, px, py);
          run = outcode (px, py);
          pending = FALSE;
        }
      if (run & code)
        {
          run &= code;
          px = x;
          py = y;
          pending = TRUE;
          continue;
        }
      cairo_line_to (t->cr, x, y);
      run = code;
    }

  if (pending)
    cairo_line_to (t->cr, px, py);
}

static void
add_layer (Tile              *t,
           StoryBasemapLayer  layer,
           gboolean           cull,
           guint8             skip_flags)
{
  guint n;
  const StoryBasemapFeature *features = story_basemap_get_layer (t->basemap, layer, &n);

  for (guint i = 0; i < n; i++)
    {
      const StoryBasemapFeature *f = &features[i];
      const StoryBasemapPart *parts;

      if (!(f->zooms & t->zoom_bit) || (f->flags & skip_flags)
          || !box_intersects (&f->bbox, &t->box))
        continue;

      parts = story_basemap_get_parts (t->basemap, f);
      for (guint p = 0; p < f->n_parts; p++)
        if (box_intersects (&parts[p].bbox, &t->box))
          add_part (t, &parts[p], cull);
    }
}

static void
set_colour (cairo_t      *cr,
            const Colour *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

/* --- drawing -------------------------------------------------------------- */

/* The region's rectangle on the tile, on whole pixels so that the world
 * and the region layers meet without a seam. */
static void
add_region_rect (Tile *t)
{
  StoryBasemapBox r;
  double x0, y0, x1, y1;

  region_box (&r);
  x0 = round (r.x0 * t->scale) - round (t->ox * t->scale);
  y0 = round (r.y0 * t->scale) - round (t->oy * t->scale);
  x1 = round (r.x1 * t->scale) - round (t->ox * t->scale);
  y1 = round (r.y1 * t->scale) - round (t->oy * t->scale);
  cairo_rectangle (t->cr, x0, y0, x1 - x0, y1 - y0);
}

typedef enum
{
  PART_WORLD,
  PART_REGION,
} Part;

/* Clips to the part of the tile that one of the sources covers; returns
 * FALSE when that part is empty. */
static gboolean
clip_to (Tile *t,
         Part  part)
{
  StoryBasemapBox region;
  gboolean detail;

  region_box (&region);
  detail = t->zoom >= DETAIL_ZOOM && box_intersects (&t->box, &region);

  if (part == PART_REGION)
    {
      if (!detail)
        return FALSE;
      add_region_rect (t);
      cairo_clip (t->cr);
      return TRUE;
    }

  if (!detail)
    return TRUE;
  if (box_inside (&t->box, &region))
    return FALSE;
  cairo_rectangle (t->cr, -MARGIN, -MARGIN, TILE_SIZE + 2 * MARGIN, TILE_SIZE + 2 * MARGIN);
  add_region_rect (t);
  cairo_set_fill_rule (t->cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_clip (t->cr);
  return TRUE;
}

static void
fill_layer (Tile              *t,
            StoryBasemapLayer  layer,
            const Colour      *colour,
            guint8             skip_flags)
{
  add_layer (t, layer, TRUE, skip_flags);
  set_colour (t->cr, colour);
  cairo_set_fill_rule (t->cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_fill (t->cr);
}

static void
stroke_layer (Tile              *t,
              StoryBasemapLayer  layer,
              const Colour      *colour,
              double             width,
              const double      *dashes,
              int                n_dashes)
{
  add_layer (t, layer, n_dashes == 0, 0);
  set_colour (t->cr, colour);
  cairo_set_line_width (t->cr, width);
  cairo_set_dash (t->cr, dashes, n_dashes, 0);
  cairo_stroke (t->cr);
}

static void
draw_country_borders (Tile              *t,
                      StoryBasemapLayer  layer)
{
  static const double dashes[] = { 8, 3, 2, 3 };
  int z = t->zoom;

  stroke_layer (t, layer, &border_band, z <= 3 ? 1.5 : z <= 5 ? 2.5 : z <= 7 ? 4 : 6, NULL, 0);
  if (z <= 4)
    stroke_layer (t, layer, &border_low, 0.8, NULL, 0);
  else
    stroke_layer (t, layer, &border_line, z <= 7 ? 1.0 : 1.4,
                  dashes, z >= 7 ? G_N_ELEMENTS (dashes) : 0);
}

static void
draw_part (Tile *t,
           Part  part)
{
  cairo_save (t->cr);
  if (clip_to (t, part))
    {
      StoryBasemapLayer land = part == PART_WORLD ? STORY_BASEMAP_LAYER_WORLD_LAND
                                                  : STORY_BASEMAP_LAYER_REGION_LAND;
      fill_layer (t, land, &land_colour, 0);
    }
  cairo_restore (t->cr);
}

static void
draw_borders (Tile *t,
              Part  part)
{
  cairo_save (t->cr);
  if (clip_to (t, part))
    draw_country_borders (t, part == PART_WORLD ? STORY_BASEMAP_LAYER_WORLD_BORDER
                                                : STORY_BASEMAP_LAYER_REGION_BORDER);
  cairo_restore (t->cr);
}

static void
draw_water_and_areas (Tile *t)
{
  static const double province_dashes[] = { 4, 3 };
  static const double disputed_dashes[] = { 7, 3 };
  int z = t->zoom;

  /* Lake Sevan is a hole in the region's own land already. */
  fill_layer (t, STORY_BASEMAP_LAYER_LAKE, &water_colour,
              z >= DETAIL_ZOOM ? STORY_BASEMAP_FLAG_REGION_HOLE : 0);

  if (z >= 5)
    {
      cairo_set_line_cap (t->cr, CAIRO_LINE_CAP_ROUND);
      stroke_layer (t, STORY_BASEMAP_LAYER_RIVER, &water_colour,
                    z <= 6 ? 1.0 : z <= 8 ? 1.4 : z <= 10 ? 2.0 : 2.8, NULL, 0);
      cairo_set_line_cap (t->cr, CAIRO_LINE_CAP_BUTT);
    }

  if (z >= DETAIL_ZOOM)
    stroke_layer (t, STORY_BASEMAP_LAYER_PROVINCE_BORDER, &province_line,
                  z <= 8 ? 0.8 : 1.0, province_dashes, G_N_ELEMENTS (province_dashes));
  if (z >= 6)
    stroke_layer (t, STORY_BASEMAP_LAYER_DISPUTED, &disputed_line,
                  z <= 8 ? 1.2 : 1.6, disputed_dashes, G_N_ELEMENTS (disputed_dashes));
}

/* --- labels --------------------------------------------------------------- */

/* Text size in pixels, 0 for none; tools/make-basemap.py places labels with
 * the same table, so keep the two in step. */
static int
label_size (StoryBasemapLayer layer,
            guint             rank,
            int               z)
{
  static const int first_city_zoom[] = { 3, 6, 7, 9 };

  switch ((int)layer)
    {
    case STORY_BASEMAP_LAYER_LABEL_COUNTRY:
      if (z < 2 || z > 8)
        return 0;
      return z <= 2 ? 10 : z <= 4 ? 11 : z <= 6 ? 13 : 15;

    case STORY_BASEMAP_LAYER_LABEL_PROVINCE:
      if (z < (rank == 1 ? 6 : 7) || z > 10)
        return 0;
      return z <= 8 ? 11 : 12;

    default:
      if (z < first_city_zoom[rank])
        return 0;
      if (rank == 0)
        return z <= 4 ? 10 : z <= 6 ? 11 : z <= 8 ? 13 : 15;
      if (rank == 1)
        return z <= 7 ? 11 : z <= 9 ? 13 : 14;
      if (rank == 2)
        return z <= 8 ? 10 : z <= 10 ? 12 : 13;
      return z <= 10 ? 10 : 11;
    }
}

/* Whether a marker beside the label of @f already names it. */
static gboolean
repeats_marker (Tile                      *t,
                const StoryBasemapFeature *f,
                const char                *name)
{
  GPtrArray *places = g_private_get (&marked_places_key);
  const char *default_name = story_basemap_get_name (t->basemap, f, STORY_BASEMAP_NAME_DEFAULT);
  double near = MARKED_DISTANCE / t->scale;

  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      const StoryOfflineMarkedPlace *place = g_ptr_array_index (places, i);

      if ((g_strcmp0 (place->name, name) == 0 || g_strcmp0 (place->name, default_name) == 0)
          && fabs ((double)place->x - f->bbox.x0) <= near
          && fabs ((double)place->y - f->bbox.y0) <= near)
        return TRUE;
    }

  return FALSE;
}

static void
draw_label (Tile                      *t,
            PangoLayout               *layout,
            StoryBasemapLayer          layer,
            const StoryBasemapFeature *f)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");
  guint rank = STORY_BASEMAP_FLAG_RANK (f->flags);
  int size = label_size (layer, rank, t->zoom);
  const char *name = story_basemap_get_name (t->basemap, f, t->names);
  double x = (f->bbox.x0 - t->ox) * t->scale;
  double y = (f->bbox.y0 - t->oy) * t->scale;
  gboolean city = layer == STORY_BASEMAP_LAYER_LABEL_CITY;
  const Colour *colour = city ? &place_text
                         : layer == STORY_BASEMAP_LAYER_LABEL_COUNTRY ? &country_text
                         : &province_text;
  PangoRectangle ink, logical;

  if (size == 0 || name == NULL || repeats_marker (t, f, name))
    return;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (layer == STORY_BASEMAP_LAYER_LABEL_COUNTRY || (f->flags & STORY_BASEMAP_FLAG_CAPITAL))
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  if (f->flags & STORY_BASEMAP_FLAG_DISPUTED)
    pango_font_description_set_style (font, PANGO_STYLE_ITALIC);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, name, -1);
  pango_layout_get_pixel_extents (layout, &ink, &logical);

  if (city)
    {
      double radius = rank == 0 ? 3.0 : rank == 3 ? 1.8 : 2.4;

      cairo_arc (t->cr, x, y, radius + 1, 0, 2 * G_PI);
      set_colour (t->cr, &halo_colour);
      cairo_fill (t->cr);
      cairo_arc (t->cr, x, y, radius, 0, 2 * G_PI);
      set_colour (t->cr, colour);
      cairo_fill (t->cr);
      y -= logical.height / 2.0 + radius + 1;
    }

  cairo_move_to (t->cr, round (x - logical.width / 2.0), round (y - logical.height / 2.0));
  pango_cairo_layout_path (t->cr, layout);
  set_colour (t->cr, &halo_colour);
  cairo_set_line_width (t->cr, size >= 13 ? 3.0 : 2.5);
  cairo_set_line_join (t->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (t->cr);

  cairo_move_to (t->cr, round (x - logical.width / 2.0), round (y - logical.height / 2.0));
  set_colour (t->cr, colour);
  pango_cairo_show_layout (t->cr, layout);
}

static void
draw_labels (Tile *t)
{
  static const StoryBasemapLayer layers[] = {
    STORY_BASEMAP_LAYER_LABEL_PROVINCE,
    STORY_BASEMAP_LAYER_LABEL_COUNTRY,
    STORY_BASEMAP_LAYER_LABEL_CITY,
  };
  PangoContext *context = pango_cairo_create_context (t->cr);
  g_autoptr(PangoLayout) layout = NULL;
  cairo_font_options_t *options = cairo_font_options_create ();
  StoryBasemapBox box = t->box;
  double units = 1.0 / t->scale;

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  layout = pango_layout_new (context);
  g_object_unref (context);

  box.x0 = (gint32) MAX (G_MININT32, box.x0 - LABEL_MARGIN_X * units);
  box.x1 = (gint32) MIN (G_MAXINT32, box.x1 + LABEL_MARGIN_X * units);
  box.y0 = (gint32) MAX (G_MININT32, box.y0 - LABEL_MARGIN_Y * units);
  box.y1 = (gint32) MIN (G_MAXINT32, box.y1 + LABEL_MARGIN_Y * units);

  for (guint l = 0; l < G_N_ELEMENTS (layers); l++)
    {
      guint n;
      const StoryBasemapFeature *features = story_basemap_get_layer (t->basemap, layers[l], &n);

      for (guint i = 0; i < n; i++)
        if ((features[i].zooms & t->zoom_bit) && box_intersects (&features[i].bbox, &box))
          draw_label (t, layout, layers[l], &features[i]);
    }
}

static void
draw (Tile *t)
{
  set_colour (t->cr, &water_colour);
  cairo_paint (t->cr);

  draw_part (t, PART_WORLD);
  draw_part (t, PART_REGION);
  draw_water_and_areas (t);
  draw_borders (t, PART_WORLD);
  draw_borders (t, PART_REGION);
  draw_labels (t);
}

cairo_surface_t *
_story_offline_draw_tile (StoryBasemap     *basemap,
                          int               x,
                          int               y,
                          int               zoom,
                          StoryBasemapName  names)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, TILE_SIZE, TILE_SIZE);
  double units = ldexp (1.0, STORY_BASEMAP_WORLD_BITS - 8 - zoom);
  double margin = MARGIN * units;
  Tile t = {
    .basemap = basemap,
    .cr = cairo_create (surface),
    .zoom = zoom,
    .zoom_bit = 1 << MIN (zoom, 15),
    .ox = x * TILE_SIZE * units,
    .oy = y * TILE_SIZE * units,
    .scale = 1.0 / units,
    .names = names,
  };

  t.box.x0 = (gint32) CLAMP (t.ox - margin, G_MININT32, G_MAXINT32);
  t.box.y0 = (gint32) CLAMP (t.oy - margin, G_MININT32, G_MAXINT32);
  t.box.x1 = (gint32) CLAMP (t.ox + TILE_SIZE * units + margin, G_MININT32, G_MAXINT32);
  t.box.y1 = (gint32) CLAMP (t.oy + TILE_SIZE * units + margin, G_MININT32, G_MAXINT32);

  draw (&t);
  cairo_destroy (t.cr);

  return surface;
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
_story_offline_encode_png (cairo_surface_t  *surface,
                           GError          **error)
{
  g_autoptr(GByteArray) png = g_byte_array_sized_new (16 * 1024);
  cairo_status_t status;

  cairo_surface_flush (surface);
  status = cairo_surface_write_to_png_stream (surface, append_bytes, png);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not encode a map tile: %s", cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}
