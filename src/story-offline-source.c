/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-offline-source"

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "story-offline-source.h"

/* Raster tiles drawn at run time from the bundled basemap, in the colours
 * of OpenStreetMap's standard style, so that a map shows with no network.
 * Tiles are drawn on worker threads (the basemap is read only, each tile has
 * its own cairo surface) and kept, PNG-encoded, in a small LRU cache. */

#define TILE_SIZE          STORY_OFFLINE_SOURCE_TILE_SIZE
#define DEFAULT_CACHE_SIZE 256
#define DETAIL_ZOOM        7     /* from here the region uses its own data */
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

typedef struct
{
  guint64  key;
  GBytes  *bytes;
} CacheEntry;

struct _StoryOfflineSource
{
  ShumateDataSource  parent_instance;

  StoryBasemap      *basemap;
  StoryBasemapName   names;

  GMutex             cache_lock;
  GHashTable        *cache;       /* &CacheEntry.key → GList link in lru */
  GQueue             lru;         /* CacheEntry, most recent first */
  guint              cache_size;
  guint              generation;  /* bumped when cached tiles go stale */
};

G_DEFINE_FINAL_TYPE (StoryOfflineSource, story_offline_source, SHUMATE_TYPE_DATA_SOURCE)

typedef struct
{
  int              x;
  int              y;
  int              zoom;
  StoryBasemapName names;
  guint            generation;
} TileRequest;

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

  if (size == 0 || name == NULL)
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

static cairo_surface_t *
draw_tile (StoryBasemap     *basemap,
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

static GBytes *
encode_png (cairo_surface_t  *surface,
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

/* --- cache ---------------------------------------------------------------- */

static guint64
tile_key (int x,
          int y,
          int zoom)
{
  return (guint64)zoom << 56 | (guint64)(guint32)x << 28 | (guint32)y;
}

static void
cache_entry_free (CacheEntry *entry)
{
  g_bytes_unref (entry->bytes);
  g_free (entry);
}

/* Returns a new reference to a cached tile and marks it recently used. */
static GBytes *
cache_lookup (StoryOfflineSource *self,
              guint64             key)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->cache_lock);
  GList *link = g_hash_table_lookup (self->cache, &key);

  if (link == NULL)
    return NULL;

  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  return g_bytes_ref (((CacheEntry *)link->data)->bytes);
}

/* Called with the lock held. */
static void
cache_trim (StoryOfflineSource *self,
            guint               size)
{
  while (self->lru.length > size)
    {
      CacheEntry *entry = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->cache, &entry->key);
      cache_entry_free (entry);
    }
}

static void
cache_insert (StoryOfflineSource *self,
              guint64             key,
              GBytes             *bytes,
              guint               generation)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->cache_lock);
  CacheEntry *entry;

  if (generation != self->generation || self->cache_size == 0
      || g_hash_table_contains (self->cache, &key))
    return;

  entry = g_new0 (CacheEntry, 1);
  entry->key = key;
  entry->bytes = g_bytes_ref (bytes);
  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->cache, &entry->key, self->lru.head);
  cache_trim (self, self->cache_size);
}

/* Drops every cached tile, and the ones being drawn with other names. */
static void
cache_clear (StoryOfflineSource *self,
             StoryBasemapName    names)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->cache_lock);

  cache_trim (self, 0);
  self->names = names;
  self->generation++;
}

static GBytes *
render_request (StoryOfflineSource  *self,
                const TileRequest   *request,
                GError             **error)
{
  guint64 key = tile_key (request->x, request->y, request->zoom);
  cairo_surface_t *surface;
  GBytes *bytes;

  if ((bytes = cache_lookup (self, key)))
    return bytes;

  surface = draw_tile (self->basemap, request->x, request->y, request->zoom, request->names);
  bytes = encode_png (surface, error);
  cairo_surface_destroy (surface);

  if (bytes != NULL)
    cache_insert (self, key, bytes, request->generation);

  return bytes;
}

/* --- ShumateDataSource ---------------------------------------------------- */

static void
render_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *bytes;

  if (g_task_return_error_if_cancelled (task))
    return;

  bytes = render_request (source_object, task_data, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
}

/* Back on the caller's thread: hand the tile to the renderer through
 * ::received-data (ShumateRasterRenderer draws only what arrives there),
 * then complete the caller's task. */
static void
tile_rendered_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  TileRequest *request = g_task_get_task_data (task);

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_signal_emit_by_name (object, "received-data", request->x, request->y, request->zoom, bytes);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify)g_bytes_unref);
}

static TileRequest *
tile_request_new (StoryOfflineSource *self,
                  int                 x,
                  int                 y,
                  int                 zoom)
{
  TileRequest *request = g_new0 (TileRequest, 1);

  request->x = x;
  request->y = y;
  request->zoom = zoom;
  g_mutex_lock (&self->cache_lock);
  request->names = self->names;
  request->generation = self->generation;
  g_mutex_unlock (&self->cache_lock);

  return request;
}

static void
story_offline_source_get_tile_data_async (ShumateDataSource   *source,
                                          int                  x,
                                          int                  y,
                                          int                  zoom,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  StoryOfflineSource *self = STORY_OFFLINE_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) render = NULL;
  TileRequest *request = tile_request_new (self, x, y, zoom);
  GBytes *cached;

  g_task_set_source_tag (task, story_offline_source_get_tile_data_async);
  g_task_set_task_data (task, request, g_free);

  render = g_task_new (self, cancellable, tile_rendered_cb, g_object_ref (task));
  g_task_set_source_tag (render, render_in_thread);
  g_task_set_task_data (render, g_memdup2 (request, sizeof *request), g_free);

  /* A cached tile still arrives from an idle, like a drawn one. */
  if ((cached = cache_lookup (self, tile_key (x, y, zoom))))
    g_task_return_pointer (render, cached, (GDestroyNotify)g_bytes_unref);
  else
    g_task_run_in_thread (render, render_in_thread);
}

static GBytes *
story_offline_source_get_tile_data_finish (ShumateDataSource  *source,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- GObject -------------------------------------------------------------- */

static void
story_offline_source_dispose (GObject *object)
{
  StoryOfflineSource *self = (StoryOfflineSource *)object;

  g_clear_object (&self->basemap);

  G_OBJECT_CLASS (story_offline_source_parent_class)->dispose (object);
}

static void
story_offline_source_finalize (GObject *object)
{
  StoryOfflineSource *self = (StoryOfflineSource *)object;

  cache_trim (self, 0);
  g_hash_table_destroy (self->cache);
  g_mutex_clear (&self->cache_lock);

  G_OBJECT_CLASS (story_offline_source_parent_class)->finalize (object);
}

static void
story_offline_source_class_init (StoryOfflineSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->dispose = story_offline_source_dispose;
  object_class->finalize = story_offline_source_finalize;

  source_class->get_tile_data_async = story_offline_source_get_tile_data_async;
  source_class->get_tile_data_finish = story_offline_source_get_tile_data_finish;
}

static void
story_offline_source_init (StoryOfflineSource *self)
{
  g_mutex_init (&self->cache_lock);
  g_queue_init (&self->lru);
  self->cache = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->cache_size = DEFAULT_CACHE_SIZE;
  self->names = STORY_BASEMAP_NAME_DEFAULT;
}

/* --- public API ----------------------------------------------------------- */

/**
 * story_offline_source_new:
 * @basemap: (nullable): the map data, or %NULL for the bundled basemap
 *
 * Returns: (transfer full): a data source that draws tiles from @basemap
 */
StoryOfflineSource *
story_offline_source_new (StoryBasemap *basemap)
{
  StoryOfflineSource *self;

  g_return_val_if_fail (basemap == NULL || STORY_IS_BASEMAP (basemap), NULL);

  self = g_object_new (STORY_TYPE_OFFLINE_SOURCE, NULL);
  self->basemap = g_object_ref (basemap ? basemap : story_basemap_get_default ());

  return self;
}

StoryBasemap *
story_offline_source_get_basemap (StoryOfflineSource *self)
{
  g_return_val_if_fail (STORY_IS_OFFLINE_SOURCE (self), NULL);

  return self->basemap;
}

/**
 * story_offline_source_set_language:
 * @language: (nullable): a language code such as "hy" or "ru"
 *
 * Labels places in @language where the basemap has names in it (Armenian
 * and Russian), and in English otherwise.  Tiles drawn before are dropped.
 */
void
story_offline_source_set_language (StoryOfflineSource *self,
                                   const char         *language)
{
  StoryBasemapName names = STORY_BASEMAP_NAME_DEFAULT;

  g_return_if_fail (STORY_IS_OFFLINE_SOURCE (self));

  if (g_strcmp0 (language, "hy") == 0)
    names = STORY_BASEMAP_NAME_HY;
  else if (g_strcmp0 (language, "ru") == 0)
    names = STORY_BASEMAP_NAME_RU;

  if (names == self->names)
    return;

  cache_clear (self, names);
}

/* The most tiles the memory cache keeps; 0 turns it off. */
void
story_offline_source_set_cache_size (StoryOfflineSource *self,
                                     guint               n_tiles)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (STORY_IS_OFFLINE_SOURCE (self));

  locker = g_mutex_locker_new (&self->cache_lock);
  self->cache_size = n_tiles;
  cache_trim (self, n_tiles);
}

guint
story_offline_source_get_cache_size (StoryOfflineSource *self)
{
  g_return_val_if_fail (STORY_IS_OFFLINE_SOURCE (self), 0);

  return self->cache_size;
}

/* How many tiles the memory cache holds now. */
guint
story_offline_source_get_n_cached (StoryOfflineSource *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (STORY_IS_OFFLINE_SOURCE (self), 0);

  locker = g_mutex_locker_new (&self->cache_lock);
  return self->lru.length;
}

/**
 * story_offline_source_draw_tile:
 *
 * Draws one tile, bypassing the cache.  Safe to call from any thread.
 *
 * Returns: (transfer full): a 256×256 %CAIRO_FORMAT_RGB24 image surface
 */
cairo_surface_t *
story_offline_source_draw_tile (StoryOfflineSource *self,
                                int                 x,
                                int                 y,
                                int                 zoom)
{
  g_autofree TileRequest *request = NULL;

  g_return_val_if_fail (STORY_IS_OFFLINE_SOURCE (self), NULL);
  g_return_val_if_fail (zoom >= 0 && zoom <= 22, NULL);
  g_return_val_if_fail (x >= 0 && y >= 0 && x < (1 << zoom) && y < (1 << zoom), NULL);

  request = tile_request_new (self, x, y, zoom);
  return draw_tile (self->basemap, x, y, zoom, request->names);
}

/**
 * story_offline_source_render_tile:
 *
 * Draws one tile as PNG, or takes it from the cache.  Safe to call from
 * any thread.
 *
 * Returns: (transfer full): the PNG data, or %NULL with @error set
 */
GBytes *
story_offline_source_render_tile (StoryOfflineSource  *self,
                                  int                  x,
                                  int                  y,
                                  int                  zoom,
                                  GError             **error)
{
  g_autofree TileRequest *request = NULL;

  g_return_val_if_fail (STORY_IS_OFFLINE_SOURCE (self), NULL);
  g_return_val_if_fail (zoom >= 0 && zoom <= 22, NULL);
  g_return_val_if_fail (x >= 0 && y >= 0 && x < (1 << zoom) && y < (1 << zoom), NULL);

  request = tile_request_new (self, x, y, zoom);
  return render_request (self, request, error);
}
