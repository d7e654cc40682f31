/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-offline-source"

#include "config.h"

#include "story-offline-source-private.h"

/* Raster tiles drawn at run time from the bundled basemap, in the colours
 * of OpenStreetMap's standard style, so that a map shows with no network.
 * Tiles are drawn on worker threads (the basemap is read only, each tile has
 * its own cairo surface) and kept, PNG-encoded, in a small LRU cache.
 * The drawing itself is in story-offline-draw.c. */

#define DEFAULT_CACHE_SIZE 256

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

  surface = _story_offline_draw_tile (self->basemap, request->x, request->y, request->zoom,
                                      request->names);
  bytes = _story_offline_encode_png (surface, error);
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
  return _story_offline_draw_tile (self->basemap, x, y, zoom, request->names);
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
