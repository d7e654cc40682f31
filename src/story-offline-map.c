/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-offline-map"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "story-geo.h"
#include "story-offline-map.h"
#include "story-offline-source-private.h"

/*
 * The offline map as a map source: each tile is drawn by a
 * StoryOfflineSource on a worker thread and handed to the map as a texture
 * made straight from the drawn pixels. Going through ShumateRasterRenderer
 * would encode every tile to PNG on the worker and decode it again on the
 * main thread, which costs more than drawing it. libshumate's own memory
 * cache keeps the textures of tiles already shown.
 *
 * libshumate asks for the tiles of a view row by row and for more than it
 * shows; the workers (one per processor) draw those nearest the centre of
 * the view first, so the visible map fills in before its margins.
 */
struct _StoryOfflineMap
{
  ShumateMapSource    parent_instance;

  StoryOfflineSource *source;
  ShumateViewport    *viewport;
  GHashTable         *tiles;      /* key → Tile: being drawn, or drawn ahead */
  int                 ahead_zoom; /* the tiles last drawn ahead */
  int                 ahead_x0, ahead_x1, ahead_y0, ahead_y1;
  GPtrArray          *marked;     /* StoryOfflineMarkedPlace, never changed once made */
};

/* The drawing of a tile, by a worker, watched by the main thread. */
typedef struct
{
  int              x, y, zoom;
  GMutex           lock;
  GCond            cond;
  gboolean         done;
  cairo_surface_t *surface;       /* once done, until made a texture */
  GPtrArray       *marked;        /* the map's marked places when asked for */
} Drawing;

static void
drawing_clear (Drawing *drawing)
{
  g_clear_pointer (&drawing->marked, g_ptr_array_unref);
  g_clear_pointer (&drawing->surface, cairo_surface_destroy);
  g_mutex_clear (&drawing->lock);
  g_cond_clear (&drawing->cond);
}

static void
drawing_unref (Drawing *drawing)
{
  g_atomic_rc_box_release_full (drawing, (GDestroyNotify)drawing_clear);
}

/* A tile being drawn, or drawn ahead of the map asking for it. */
typedef struct
{
  Drawing    *drawing;
  GdkTexture *texture;            /* once drawn */
  GPtrArray  *waiters;            /* fill tasks of the map */
} Tile;

static void
tile_free (Tile *tile)
{
  drawing_unref (tile->drawing);
  g_clear_object (&tile->texture);
  g_ptr_array_unref (tile->waiters);
  g_free (tile);
}

static guint64
tile_key (int x,
          int y,
          int zoom)
{
  return ((guint64)zoom << 56) | ((guint64)y << 28) | (guint64)x;
}

G_DEFINE_FINAL_TYPE (StoryOfflineMap, story_offline_map, SHUMATE_TYPE_MAP_SOURCE)

enum {
  TILE_FILLED,
  TILE_DRAWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GTask  *task;       /* of the drawing: its data is the Drawing */
  double  distance;   /* from the centre of the view, in tiles */
  guint64 serial;
} DrawJob;

static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const DrawJob *ja = a, *jb = b;

  if (ja->distance != jb->distance)
    return ja->distance < jb->distance ? -1 : 1;

  return ja->serial < jb->serial ? -1 : ja->serial > jb->serial;
}

static void
draw_job (gpointer data,
          gpointer user_data)
{
  DrawJob *job = data;
  g_autoptr(GTask) task = job->task;
  StoryOfflineMap *self = g_task_get_source_object (task);
  Drawing *drawing = g_task_get_task_data (task);
  cairo_surface_t *surface;

  g_free (job);

  /* A drawing is not cancelled when the map gives up on the tile: it
   * takes well under a millisecond, and the tile is then simply dropped. */
  _story_offline_draw_set_marked_places (drawing->marked);
  surface = story_offline_source_draw_tile (self->source, drawing->x, drawing->y, drawing->zoom);
  _story_offline_draw_set_marked_places (NULL);

  g_mutex_lock (&drawing->lock);
  drawing->surface = surface;
  drawing->done = TRUE;
  g_cond_broadcast (&drawing->cond);
  g_mutex_unlock (&drawing->lock);

  g_task_return_boolean (task, TRUE);
}

/* Until a worker has drawn the tile. */
static void
wait_drawn (Drawing *drawing)
{
  g_mutex_lock (&drawing->lock);
  while (!drawing->done)
    g_cond_wait (&drawing->cond, &drawing->lock);
  g_mutex_unlock (&drawing->lock);
}

/* One pool for every offline map: drawing is bound by the processors.
 * Main thread only. */
static GThreadPool *draw_pool;

static void
queue_job (DrawJob *job)
{
  static guint64 serial;

  if (draw_pool == NULL)
    {
      draw_pool = g_thread_pool_new (draw_job, NULL, MAX (1, (int)g_get_num_processors ()), FALSE, NULL);
      g_thread_pool_set_sort_function (draw_pool, compare_jobs, NULL);
    }

  job->serial = serial++;
  g_thread_pool_push (draw_pool, job, NULL);
}

/**
 * story_offline_map_stop_drawing:
 *
 * Waits for every tile being drawn or waiting to be, then stops the
 * workers, before the process exits: tiles are drawn ahead of need, and a
 * worker still laying out a label while the process exits has the
 * libraries it uses torn down under it. Main thread only; drawing later
 * starts the workers again.
 */
void
story_offline_map_stop_drawing (void)
{
  if (draw_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&draw_pool), FALSE, TRUE);
}

/* Where a point falls in the tiles of @zoom, in tiles. */
static void
tile_position (double  lat,
               double  lon,
               int     zoom,
               double *x,
               double *y)
{
  story_geo_project (lat, lon, x, y);
  *x *= 1 << zoom;
  *y *= 1 << zoom;
}

/* How far a tile is from the centre of the view, in tiles of its zoom. */
static double
distance_from_view (StoryOfflineMap *self,
                    int              x,
                    int              y,
                    int              zoom)
{
  double cx, cy;

  if (self->viewport == NULL)
    return 0;

  tile_position (shumate_location_get_latitude (SHUMATE_LOCATION (self->viewport)),
                 shumate_location_get_longitude (SHUMATE_LOCATION (self->viewport)),
                 zoom, &cx, &cy);

  return hypot (x + 0.5 - cx, y + 0.5 - cy);
}

/* Gives a fill task of the map its tile. */
static void
complete_fill (StoryOfflineMap *self,
               GTask           *fill,
               GdkTexture      *texture)
{
  ShumateTile *tile = g_task_get_task_data (fill);

  if (g_task_return_error_if_cancelled (fill))
    return;

  shumate_tile_set_paintable (tile, GDK_PAINTABLE (texture));
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_signal_emit (self, signals[TILE_FILLED], 0,
                 shumate_tile_get_x (tile), shumate_tile_get_y (tile), shumate_tile_get_zoom_level (tile));
  g_task_return_boolean (fill, TRUE);
}

/* Makes the drawn tile a texture and gives it to the map if it asked. A
 * tile the map has not asked for yet waits for it, drawn ahead. */
static void
tile_ready (StoryOfflineMap *self,
            Tile            *tile)
{
  Drawing *drawing = tile->drawing;
  guint64 key = tile_key (drawing->x, drawing->y, drawing->zoom);
  cairo_surface_t *surface;
  g_autoptr(GBytes) pixels = NULL;
  int stride;

  if (tile->texture != NULL)
    return;

  g_mutex_lock (&drawing->lock);
  g_assert (drawing->done);
  surface = g_steal_pointer (&drawing->surface);
  g_mutex_unlock (&drawing->lock);

  /* The surface's own pixel buffer becomes the texture's: no copy. */
  cairo_surface_flush (surface);
  stride = cairo_image_surface_get_stride (surface);
  pixels = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                       stride * cairo_image_surface_get_height (surface),
                                       (GDestroyNotify)cairo_surface_destroy, surface);
  tile->texture = gdk_memory_texture_new (STORY_OFFLINE_SOURCE_TILE_SIZE, STORY_OFFLINE_SOURCE_TILE_SIZE,
                                          GDK_MEMORY_DEFAULT, pixels, stride);

  for (guint i = 0; i < tile->waiters->len; i++)
    complete_fill (self, g_ptr_array_index (tile->waiters, i), tile->texture);

  /* Once the map has it, its memory cache keeps it; a tile drawn ahead
   * waits here for the map to ask. */
  if (tile->waiters->len > 0)
    g_hash_table_remove (self->tiles, &key);
  else
    g_signal_emit (self, signals[TILE_DRAWN], 0, drawing->x, drawing->y, drawing->zoom);
}

static void
tile_drawn_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  StoryOfflineMap *self = STORY_OFFLINE_MAP (object);
  Drawing *drawing = g_task_get_task_data (G_TASK (result));
  guint64 key = tile_key (drawing->x, drawing->y, drawing->zoom);
  Tile *tile = g_hash_table_lookup (self->tiles, &key);

  /* Unless it was finished on the main thread and has gone to the map. */
  if (tile != NULL && tile->drawing == drawing)
    tile_ready (self, tile);
}

/* Returns: (transfer none): the tile, drawn or being drawn; a new one is
 *   drawn in order of @distance from where it is wanted */
static Tile *
ensure_tile (StoryOfflineMap *self,
             int              x,
             int              y,
             int              zoom,
             double           distance)
{
  guint64 key = tile_key (x, y, zoom);
  Tile *tile = g_hash_table_lookup (self->tiles, &key);
  Drawing *drawing;
  DrawJob *job;

  if (tile != NULL)
    return tile;

  drawing = g_atomic_rc_box_new0 (Drawing);
  drawing->x = x;
  drawing->y = y;
  drawing->zoom = zoom;
  drawing->marked = self->marked ? g_ptr_array_ref (self->marked) : NULL;
  g_mutex_init (&drawing->lock);
  g_cond_init (&drawing->cond);

  tile = g_new0 (Tile, 1);
  tile->drawing = drawing;
  tile->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_insert (self->tiles, g_memdup2 (&key, sizeof key), tile);

  job = g_new0 (DrawJob, 1);
  job->distance = distance;
  job->task = g_task_new (self, NULL, tile_drawn_cb, NULL);
  g_task_set_source_tag (job->task, draw_job);
  g_task_set_task_data (job->task, g_atomic_rc_box_acquire (drawing), (GDestroyNotify)drawing_unref);
  queue_job (job);

  return tile;
}

static gboolean
is_valid_tile (int x,
               int y,
               int zoom)
{
  return zoom >= STORY_OFFLINE_SOURCE_MIN_ZOOM && zoom <= STORY_OFFLINE_SOURCE_MAX_ZOOM &&
         x >= 0 && y >= 0 && x < (1 << zoom) && y < (1 << zoom);
}

static void
story_offline_map_fill_tile_async (ShumateMapSource    *map_source,
                                   ShumateTile         *tile,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  StoryOfflineMap *self = STORY_OFFLINE_MAP (map_source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  int x = shumate_tile_get_x (tile), y = shumate_tile_get_y (tile);
  int zoom = shumate_tile_get_zoom_level (tile);
  Tile *entry;

  g_task_set_source_tag (task, story_offline_map_fill_tile_async);
  g_task_set_task_data (task, g_object_ref (tile), g_object_unref);

  if (!is_valid_tile (x, y, zoom))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "No tile %d/%d/%d", zoom, x, y);
      return;
    }

  entry = ensure_tile (self, x, y, zoom, distance_from_view (self, x, y, zoom));
  if (entry->texture != NULL)
    {
      guint64 key = tile_key (x, y, zoom);

      complete_fill (self, task, entry->texture);
      g_hash_table_remove (self->tiles, &key);
      return;
    }

  shumate_tile_set_state (tile, SHUMATE_STATE_LOADING);
  g_ptr_array_add (entry->waiters, g_steal_pointer (&task));
}

static gboolean
story_offline_map_fill_tile_finish (ShumateMapSource  *map_source,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, map_source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
story_offline_map_dispose (GObject *object)
{
  StoryOfflineMap *self = STORY_OFFLINE_MAP (object);

  g_clear_object (&self->source);
  g_clear_object (&self->viewport);

  G_OBJECT_CLASS (story_offline_map_parent_class)->dispose (object);
}

static void
story_offline_map_finalize (GObject *object)
{
  StoryOfflineMap *self = STORY_OFFLINE_MAP (object);

  g_hash_table_destroy (self->tiles);
  g_clear_pointer (&self->marked, g_ptr_array_unref);

  G_OBJECT_CLASS (story_offline_map_parent_class)->finalize (object);
}

static void
story_offline_map_class_init (StoryOfflineMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *map_source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->dispose = story_offline_map_dispose;
  object_class->finalize = story_offline_map_finalize;

  map_source_class->fill_tile_async = story_offline_map_fill_tile_async;
  map_source_class->fill_tile_finish = story_offline_map_fill_tile_finish;

  /**
   * StoryOfflineMap::tile-filled:
   *
   * A tile has its image, on the main thread, just before the map is told.
   */
  signals[TILE_FILLED] =
    g_signal_new ("tile-filled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);

  /**
   * StoryOfflineMap::tile-drawn:
   *
   * A tile was drawn ahead of the map asking for it: see
   * story_offline_map_lookup_drawn().
   */
  signals[TILE_DRAWN] =
    g_signal_new ("tile-drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);
}

static void
story_offline_map_init (StoryOfflineMap *self)
{
  self->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)tile_free);
  self->ahead_x1 = self->ahead_y1 = -1;
}

/**
 * story_offline_map_new:
 * @source: draws the tiles
 *
 * Returns: (transfer full): a map source for a #ShumateMapLayer
 */
StoryOfflineMap *
story_offline_map_new (StoryOfflineSource *source)
{
  StoryOfflineMap *self;

  g_return_val_if_fail (STORY_IS_OFFLINE_SOURCE (source), NULL);

  self = g_object_new (STORY_TYPE_OFFLINE_MAP,
                       "id", STORY_OFFLINE_SOURCE_ID,
                       /* Translators: name of the map drawn without network */
                       "name", _("Offline Map"),
                       "license", "Natural Earth; © OpenStreetMap contributors; GeoNames",
                       "license-uri", "https://www.openstreetmap.org/copyright",
                       "min-zoom-level", STORY_OFFLINE_SOURCE_MIN_ZOOM,
                       "max-zoom-level", STORY_OFFLINE_SOURCE_MAX_ZOOM,
                       "tile-size", STORY_OFFLINE_SOURCE_TILE_SIZE,
                       "projection", SHUMATE_MAP_PROJECTION_MERCATOR,
                       NULL);
  self->source = g_object_ref (source);

  return self;
}

/**
 * story_offline_map_new_bundled:
 *
 * Returns: (transfer full): the offline map drawn from the bundled basemap,
 *   its places named in the language the interface runs in where it can
 */
StoryOfflineMap *
story_offline_map_new_bundled (void)
{
  g_autoptr(StoryOfflineSource) source = story_offline_source_new (NULL);
  const char *language = g_get_language_names ()[0];
  g_autofree char *base = g_strndup (language, strcspn (language, "_.@"));

  story_offline_source_set_language (source, base);

  return story_offline_map_new (source);
}

static void
marked_place_free (StoryOfflineMarkedPlace *place)
{
  g_free (place->name);
  g_free (place);
}

/**
 * story_offline_map_set_marked_places:
 * @places: (nullable): the StoryPlaces the map shows markers of
 *
 * Leaves out of the tiles drawn from now on the labels that would repeat
 * a marker's name beside it, and forgets the tiles drawn before. A layer
 * that shows tiles of the map keeps those it has: show the map in a new
 * layer.
 */
void
story_offline_map_set_marked_places (StoryOfflineMap *self,
                                     GListModel      *places)
{
  GHashTableIter iter;
  Tile *tile;

  g_return_if_fail (STORY_IS_OFFLINE_MAP (self));
  g_return_if_fail (places == NULL || G_IS_LIST_MODEL (places));

  g_clear_pointer (&self->marked, g_ptr_array_unref);
  if (places != NULL)
    {
      self->marked = g_ptr_array_new_with_free_func ((GDestroyNotify)marked_place_free);
      for (guint i = 0; i < g_list_model_get_n_items (places); i++)
        {
          g_autoptr(StoryPlace) place = g_list_model_get_item (places, i);
          StoryOfflineMarkedPlace *marked = g_new0 (StoryOfflineMarkedPlace, 1);
          double lat, lon;

          story_place_get_anchor (place, &lat, &lon);
          story_basemap_project (lat, lon, &marked->x, &marked->y);
          marked->name = g_strdup (story_place_get_display_name (place));
          g_ptr_array_add (self->marked, marked);
        }
    }

  /* Tiles still being drawn are kept for those waiting on them. */
  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&tile))
    if (tile->texture != NULL && tile->waiters->len == 0)
      g_hash_table_iter_remove (&iter);
}

/**
 * story_offline_map_get_deepest_zoom:
 *
 * Returns: the deepest zoom level at which the map still shows more
 *   detail everywhere in @bounds; deeper, it is only larger.
 */
int
story_offline_map_get_deepest_zoom (StoryOfflineMap   *self,
                                    const StoryBounds *bounds)
{
  g_return_val_if_fail (STORY_IS_OFFLINE_MAP (self), STORY_OFFLINE_SOURCE_MAX_ZOOM);
  g_return_val_if_fail (bounds != NULL, STORY_OFFLINE_SOURCE_MAX_ZOOM);

  return _story_offline_draw_deepest_zoom (bounds->south, bounds->west, bounds->north, bounds->east);
}

/**
 * story_offline_map_set_viewport:
 * @viewport: (nullable): the view the map's tiles are shown in
 *
 * Tiles nearest the centre of @viewport are drawn first.
 */
void
story_offline_map_set_viewport (StoryOfflineMap *self,
                                ShumateViewport *viewport)
{
  g_return_if_fail (STORY_IS_OFFLINE_MAP (self));
  g_return_if_fail (viewport == NULL || SHUMATE_IS_VIEWPORT (viewport));

  g_set_object (&self->viewport, viewport);
}

/**
 * story_offline_map_prefetch:
 * @width: of the map, in pixels
 * @height: of the map, in pixels
 *
 * Starts drawing the tiles of a view the map is about to show, centred on
 * @lat, @lon at @zoom, so that they are ready when the map asks for them:
 * the first view is drawn while the window paints its first frame, the
 * end of a flight while the map flies. Tiles drawn ahead for an earlier
 * view and never asked for are dropped.
 */
void
story_offline_map_prefetch (StoryOfflineMap *self,
                            double           lat,
                            double           lon,
                            double           zoom,
                            int              width,
                            int              height)
{
  GHashTableIter iter;
  guint64 *key;
  Tile *tile;
  int z, n, x0, x1, y0, y1;
  double scale, cx, cy;

  g_return_if_fail (STORY_IS_OFFLINE_MAP (self));

  z = CLAMP ((int)floor (zoom), STORY_OFFLINE_SOURCE_MIN_ZOOM, STORY_OFFLINE_SOURCE_MAX_ZOOM);
  n = 1 << z;
  scale = pow (2, zoom - z) * STORY_OFFLINE_SOURCE_TILE_SIZE;
  tile_position (lat, lon, z, &cx, &cy);
  x0 = MAX (0, (int)floor (cx - width / 2.0 / scale));
  x1 = MIN (n - 1, (int)floor (cx + width / 2.0 / scale));
  y0 = MAX (0, (int)floor (cy - height / 2.0 / scale));
  y1 = MIN (n - 1, (int)floor (cy + height / 2.0 / scale));

  /* Drawn for an earlier view, never shown, and not part of this one. */
  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, (gpointer *)&key, (gpointer *)&tile))
    {
      int tx = *key & 0xfffffff, ty = (*key >> 28) & 0xfffffff, tz = *key >> 56;

      if (tile->texture != NULL && tile->waiters->len == 0 &&
          (tz != z || tx < x0 || tx > x1 || ty < y0 || ty > y1))
        g_hash_table_iter_remove (&iter);
    }

  /* Nearest the centre of the view the map is going to first. */
  for (int x = x0; x <= x1; x++)
    for (int y = y0; y <= y1; y++)
      ensure_tile (self, x, y, z, hypot (x + 0.5 - cx, y + 0.5 - cy));

  self->ahead_zoom = z;
  self->ahead_x0 = x0;
  self->ahead_x1 = x1;
  self->ahead_y0 = y0;
  self->ahead_y1 = y1;
}

/**
 * story_offline_map_finish_prefetch:
 *
 * Waits for the workers to draw the tiles of the last view drawn ahead:
 * after this they are all ready for the map, and
 * story_offline_map_lookup_drawn() has them. For a first view, which is
 * better shown whole in the window's first frame than a frame later.
 * Tiles are drawn on the workers only: drawing one on the main thread
 * beside them crashed in HarfBuzz, laying out a label, now and then.
 */
void
story_offline_map_finish_prefetch (StoryOfflineMap *self)
{
  g_return_if_fail (STORY_IS_OFFLINE_MAP (self));

  for (int x = self->ahead_x0; x <= self->ahead_x1; x++)
    for (int y = self->ahead_y0; y <= self->ahead_y1; y++)
      {
        guint64 key = tile_key (x, y, self->ahead_zoom);
        Tile *tile = g_hash_table_lookup (self->tiles, &key);

        if (tile == NULL || tile->texture != NULL)
          continue;

        wait_drawn (tile->drawing);
        tile_ready (self, tile);
      }
}

/* Returns: how many tiles are drawn or being drawn and not yet asked for */
guint
story_offline_map_get_n_pending (StoryOfflineMap *self)
{
  g_return_val_if_fail (STORY_IS_OFFLINE_MAP (self), 0);

  return g_hash_table_size (self->tiles);
}

/**
 * story_offline_map_lookup_drawn:
 *
 * Returns: (transfer none) (nullable): the image of a tile drawn ahead of
 *   the map asking for it, until the map has it
 */
GdkTexture *
story_offline_map_lookup_drawn (StoryOfflineMap *self,
                                int              x,
                                int              y,
                                int              zoom)
{
  guint64 key = tile_key (x, y, zoom);
  Tile *tile;

  g_return_val_if_fail (STORY_IS_OFFLINE_MAP (self), NULL);

  if (!is_valid_tile (x, y, zoom))
    return NULL;

  tile = g_hash_table_lookup (self->tiles, &key);
  return tile != NULL ? tile->texture : NULL;
}
