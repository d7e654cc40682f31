/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-tile-source"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "story-tile-data.h"
#include "story-tile-source-private.h"

/* Raster tiles over HTTP with our own session, so that the tile server sees
 * who is asking (libshumate 1.0's downloader sends its own name only), with
 * an on-disk cache, a per-request time limit, a cap on concurrent requests,
 * back-off when the server asks for it, and a check that every body is a
 * whole image before it is shown or cached.
 *
 * A request goes: disk cache → (fresh: done) → queue → network → read the
 * body up to the size limit → decode in a worker thread → emit
 * ShumateDataSource::received-data → store in the cache → complete.
 * Whenever the network part fails and a stale copy was found on disk, the
 * stale copy is delivered instead.
 *
 * Nothing goes on the wire while there is no network, nor on a metered
 * connection unless downloading on one is allowed: those requests end with
 * what the cache has. Whoever owns the source tells it about the network,
 * through its properties or by having it follow a GNetworkMonitor.
 *
 * This file holds the object, the cache lookup and the public API; the
 * rest of a request, from the queue on, is in story-tile-request.c. */

#define DEFAULT_TIMEOUT        15
#define MAX_TIMEOUT            300
#define CACHE_SIZE_LIMIT       (100 * 1000 * 1000)
#define CACHE_FRESH_FOR        (7 * G_TIME_SPAN_DAY)

G_DEFINE_FINAL_TYPE (StoryTileSource, story_tile_source, SHUMATE_TYPE_DATA_SOURCE)

G_DEFINE_QUARK (story-tile-source-error-quark, story_tile_source_error)

enum {
  PROP_0,
  PROP_URL_TEMPLATE,
  PROP_CACHE_DIR,
  PROP_USER_AGENT,
  PROP_TIMEOUT,
  PROP_OFFLINE,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_DOWNLOAD_ON_METERED,
  PROP_METERED_PAUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tile_request_free (TileRequest *req)
{
  g_assert (!req->active);
  g_assert (!req->queued);

  /* Plain signal handlers rather than g_cancellable_connect(): the request
   * may end inside a cancellation, where g_cancellable_disconnect() would
   * wait for itself. Everything here runs on the main thread. */
  g_clear_signal_handler (&req->caller_handler, req->caller_cancellable);
  g_clear_signal_handler (&req->dispose_handler, req->self->cancellable);
  g_clear_signal_handler (&req->queue_handler, req->cancellable);
  g_clear_handle_id (&req->timeout_id, g_source_remove);
  g_clear_object (&req->caller_cancellable);
  g_clear_object (&req->cancellable);
  g_clear_pointer (&req->stale, g_bytes_unref);
  g_clear_pointer (&req->etag, g_free);
  g_clear_pointer (&req->modtime, g_date_time_unref);
  g_clear_object (&req->msg);
  g_clear_object (&req->stream);
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_clear_pointer (&req->new_etag, g_free);
  g_clear_pointer (&req->result, g_bytes_unref);
  g_clear_object (&req->self);
  g_free (req);
}

/* State ------------------------------------------------------------------ */

/* Works out :offline and :metered-paused from what is known of the
 * network and the server, and notifies the ones that changed. */
static void
update_state (StoryTileSource *self)
{
  gboolean offline = self->unreachable || (!self->network_available && !self->loopback);
  gboolean paused = self->network_available && self->network_metered &&
                    !self->download_on_metered;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->offline != offline)
    {
      self->offline = offline;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
    }
  if (self->metered_paused != paused)
    {
      self->metered_paused = paused;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METERED_PAUSED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_story_tile_source_set_offline (StoryTileSource *self,
                                gboolean         offline)
{
  offline = !!offline;
  if (self->unreachable == offline)
    return;

  self->unreachable = offline;
  g_debug ("Tile server is %s", offline ? "unreachable" : "reachable");
  update_state (self);
}

/* NULL when a request may go on the wire, else why it may not. A server on
 * this machine needs no network, but a metered connection holds back every
 * download alike. */
GError *
_story_tile_source_check_may_download (StoryTileSource *self)
{
  if (!self->network_available && !self->loopback)
    return g_error_new_literal (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_NO_NETWORK,
                                _("There is no network connection"));

  if (self->metered_paused)
    return g_error_new_literal (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_METERED,
                                _("Map tiles are not downloaded on a metered connection"));

  return NULL;
}

/* Cache lookup ----------------------------------------------------------- */

static gboolean
is_fresh (GDateTime *modtime)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return modtime != NULL && g_date_time_difference (now, modtime) < CACHE_FRESH_FOR;
}

static void
on_cache_lookup (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TileRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = shumate_file_cache_get_tile_finish (SHUMATE_FILE_CACHE (object),
                                              &req->etag, &req->modtime, result, &error);
  if (_story_tile_source_return_if_cancelled (task))
    return;

  if (error != NULL)
    g_debug ("Cannot read tile %d/%d/%d from the cache: %s", req->z, req->x, req->y, error->message);

  /* A file left half-written by a crash is no cache hit, nor is a tile
   * of another size (kept by an older version). */
  if (bytes != NULL &&
      story_tile_data_check_structure (bytes, STORY_TILE_SOURCE_MAX_TILE_SIZE,
                                       STORY_TILE_SOURCE_TILE_SIZE, NULL))
    {
      if (is_fresh (req->modtime))
        {
          _story_tile_source_deliver (task, bytes);
          return;
        }

      req->stale = g_steal_pointer (&bytes);
    }

  _story_tile_source_enqueue (g_steal_pointer (&task));
}

static void
forward_cancel (GCancellable *cancellable,
                GCancellable *target)
{
  g_cancellable_cancel (target);
}

/* Cancels @target when @from is cancelled, or now if it already is. */
static gulong
chain_cancellable (GCancellable *from,
                   GCancellable *target)
{
  if (g_cancellable_is_cancelled (from))
    {
      g_cancellable_cancel (target);
      return 0;
    }

  return g_signal_connect_data (from, "cancelled", G_CALLBACK (forward_cancel),
                                g_object_ref (target), (GClosureNotify)(void (*) (void))g_object_unref,
                                0);
}

static void
story_tile_source_get_tile_data_async (ShumateDataSource   *source,
                                       int                  x,
                                       int                  y,
                                       int                  zoom_level,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  StoryTileSource *self = (StoryTileSource *)source;
  g_autoptr(GTask) task = NULL;
  TileRequest *req;

  g_return_if_fail (STORY_IS_TILE_SOURCE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, story_tile_source_get_tile_data_async);

  req = g_new0 (TileRequest, 1);
  req->self = g_object_ref (self);
  req->x = x;
  req->y = y;
  req->z = zoom_level;
  req->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, req, (GDestroyNotify)tile_request_free);

  req->queue_handler = g_signal_connect (req->cancellable, "cancelled",
                                         G_CALLBACK (_story_tile_source_on_queued_request_cancelled),
                                         req);
  if (cancellable != NULL)
    {
      req->caller_cancellable = g_object_ref (cancellable);
      req->caller_handler = chain_cancellable (cancellable, req->cancellable);
    }
  req->dispose_handler = chain_cancellable (self->cancellable, req->cancellable);

  if (self->session == NULL)
    {
      _story_tile_source_return_if_cancelled (task);
      return;
    }

  if (zoom_level < 0 || zoom_level > 30 || x < 0 || y < 0 ||
      x >= (1 << zoom_level) || y >= (1 << zoom_level))
    {
      g_task_return_new_error (task, STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_INVALID_TILE,
                               _("There is no tile %d/%d/%d"), zoom_level, x, y);
      return;
    }

  if (self->cache == NULL)
    {
      _story_tile_source_enqueue (g_steal_pointer (&task));
      return;
    }

  shumate_file_cache_get_tile_async (self->cache, x, y, zoom_level, req->cancellable,
                                     on_cache_lookup, g_steal_pointer (&task));
}

static GBytes *
story_tile_source_get_tile_data_finish (ShumateDataSource  *source,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject ---------------------------------------------------------------- */

static char *
make_cache_key (const char *url_template)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                           url_template ? url_template : "", -1);

  return g_strndup (digest, 16);
}

static gboolean
is_loopback_template (const char *url_template)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;

  if (url_template == NULL ||
      !g_uri_split_network (url_template, G_URI_FLAGS_PARSE_RELAXED, NULL, &host, NULL, NULL) ||
      host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static void
story_tile_source_constructed (GObject *object)
{
  StoryTileSource *self = (StoryTileSource *)object;
  g_autofree char *cache_key = make_cache_key (self->url_template);

  G_OBJECT_CLASS (story_tile_source_parent_class)->constructed (object);

  self->loopback = is_loopback_template (self->url_template);
  if (self->cache_dir == NULL)
    self->cache_dir = g_build_filename (g_get_user_cache_dir (), "story-map", "tiles", NULL);

  /* Where no folder can be made (a full disk, a file in the way), tiles
   * still come from the network; they are just not kept. */
  if (g_mkdir_with_parents (self->cache_dir, 0700) == 0)
    self->cache = shumate_file_cache_new_full (CACHE_SIZE_LIMIT, cache_key, self->cache_dir);
  else
    g_debug ("No tile cache: cannot create %s: %s", self->cache_dir, g_strerror (errno));
  self->session = soup_session_new_with_options ("user-agent", self->user_agent,
                                                 "max-conns", STORY_TILE_SOURCE_MAX_CONNECTIONS,
                                                 "max-conns-per-host", STORY_TILE_SOURCE_MAX_CONNECTIONS,
                                                 "timeout", self->timeout,
                                                 NULL);
}

static void
story_tile_source_dispose (GObject *object)
{
  StoryTileSource *self = (StoryTileSource *)object;

  /* Every request still running gets cancelled; queued ones complete now,
   * the others when their operation returns, without touching the session
   * or the cache again. */
  g_cancellable_cancel (self->cancellable);
  _story_tile_source_flush_cancelled_cb (self);
  if (self->monitor_signals != NULL)
    g_signal_group_set_target (self->monitor_signals, NULL);
  g_clear_object (&self->monitor_signals);
  g_clear_handle_id (&self->flush_id, g_source_remove);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (story_tile_source_parent_class)->dispose (object);
}

static void
story_tile_source_finalize (GObject *object)
{
  StoryTileSource *self = (StoryTileSource *)object;

  g_assert (g_queue_is_empty (&self->queue));

  g_clear_object (&self->cancellable);
  g_free (self->url_template);
  g_free (self->cache_dir);
  g_free (self->user_agent);

  G_OBJECT_CLASS (story_tile_source_parent_class)->finalize (object);
}

static void
story_tile_source_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StoryTileSource *self = STORY_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_URL_TEMPLATE:
      g_value_set_string (value, self->url_template);
      break;

    case PROP_CACHE_DIR:
      g_value_set_string (value, self->cache_dir);
      break;

    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;

    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->network_available);
      break;

    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, self->network_metered);
      break;

    case PROP_DOWNLOAD_ON_METERED:
      g_value_set_boolean (value, self->download_on_metered);
      break;

    case PROP_METERED_PAUSED:
      g_value_set_boolean (value, self->metered_paused);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_tile_source_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StoryTileSource *self = STORY_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_URL_TEMPLATE:
      self->url_template = g_value_dup_string (value);
      break;

    case PROP_CACHE_DIR:
      self->cache_dir = g_value_dup_string (value);
      break;

    case PROP_TIMEOUT:
      story_tile_source_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_NETWORK_AVAILABLE:
      story_tile_source_set_network_available (self, g_value_get_boolean (value));
      break;

    case PROP_NETWORK_METERED:
      story_tile_source_set_network_metered (self, g_value_get_boolean (value));
      break;

    case PROP_DOWNLOAD_ON_METERED:
      story_tile_source_set_download_on_metered (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_tile_source_class_init (StoryTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->constructed = story_tile_source_constructed;
  object_class->dispose = story_tile_source_dispose;
  object_class->finalize = story_tile_source_finalize;
  object_class->get_property = story_tile_source_get_property;
  object_class->set_property = story_tile_source_set_property;

  source_class->get_tile_data_async = story_tile_source_get_tile_data_async;
  source_class->get_tile_data_finish = story_tile_source_get_tile_data_finish;

  /* With {x}, {y} and {z} standing for the tile's column, row and zoom level. */
  properties[PROP_URL_TEMPLATE] =
    g_param_spec_string ("url-template", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* Where tiles are cached; NULL for $XDG_CACHE_HOME/story-map/tiles. */
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /* Seconds a request may take, from leaving the queue to the last byte. */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, MAX_TIMEOUT, DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* TRUE while there is no network, and since the last request that could
   * not reach the server at all, FALSE again after any answer from it. */
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* Whether there is a network to send requests on (GNetworkMonitor's
   * :network-available); without one no request is sent. */
  properties[PROP_NETWORK_AVAILABLE] =
    g_param_spec_boolean ("network-available", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* Whether the connection is metered (GNetworkMonitor's :network-metered). */
  properties[PROP_NETWORK_METERED] =
    g_param_spec_boolean ("network-metered", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* Whether tiles are downloaded on a metered connection too. */
  properties[PROP_DOWNLOAD_ON_METERED] =
    g_param_spec_boolean ("download-on-metered", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* TRUE while the connection is metered and downloading on it is not
   * allowed: tiles come from the cache only. */
  properties[PROP_METERED_PAUSED] =
    g_param_spec_boolean ("metered-paused", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
story_tile_source_init (StoryTileSource *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  self->network_available = TRUE;
  self->cancellable = g_cancellable_new ();
  self->user_agent = g_strdup ("StoryMap/" PACKAGE_VERSION " (+" PACKAGE_WEBSITE ")");
  g_queue_init (&self->queue);
}

/* Public API ------------------------------------------------------------- */

/**
 * story_tile_source_new:
 * @url_template: a tile URL with `{x}`, `{y}` and `{z}` in it
 * @cache_dir: (nullable): where to cache tiles, or %NULL for the user's
 *   cache folder
 *
 * Returns: (transfer full): a new tile source
 */
StoryTileSource *
story_tile_source_new (const char *url_template,
                       const char *cache_dir)
{
  g_return_val_if_fail (url_template != NULL, NULL);

  return g_object_new (STORY_TYPE_TILE_SOURCE,
                       "url-template", url_template,
                       "cache-dir", cache_dir,
                       NULL);
}

const char *
story_tile_source_get_url_template (StoryTileSource *self)
{
  g_return_val_if_fail (STORY_IS_TILE_SOURCE (self), NULL);

  return self->url_template;
}

const char *
story_tile_source_get_cache_dir (StoryTileSource *self)
{
  g_return_val_if_fail (STORY_IS_TILE_SOURCE (self), NULL);

  return self->cache_dir;
}

/* Applies to requests sent from now on. */
void
story_tile_source_set_timeout (StoryTileSource *self,
                               guint            seconds)
{
  g_return_if_fail (STORY_IS_TILE_SOURCE (self));
  g_return_if_fail (seconds > 0 && seconds <= MAX_TIMEOUT);

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  if (self->session != NULL)
    g_object_set (self->session, "timeout", seconds, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

gboolean
story_tile_source_get_offline (StoryTileSource *self)
{
  g_return_val_if_fail (STORY_IS_TILE_SOURCE (self), FALSE);

  return self->offline;
}

gboolean
story_tile_source_get_network_available (StoryTileSource *self)
{
  g_return_val_if_fail (STORY_IS_TILE_SOURCE (self), FALSE);

  return self->network_available;
}

void
story_tile_source_set_network_available (StoryTileSource *self,
                                         gboolean         available)
{
  g_return_if_fail (STORY_IS_TILE_SOURCE (self));

  available = !!available;
  if (self->network_available == available)
    return;

  self->network_available = available;
  /* A network that comes back is worth trying the server again on. */
  if (available)
    self->unreachable = FALSE;
  g_debug ("Network is %s", available ? "available" : "unavailable");
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_AVAILABLE]);
  update_state (self);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
story_tile_source_get_network_metered (StoryTileSource *self)
{
  g_return_val_if_fail (STORY_IS_TILE_SOURCE (self), FALSE);

  return self->network_metered;
}

void
story_tile_source_set_network_metered (StoryTileSource *self,
                                       gboolean         metered)
{
  g_return_if_fail (STORY_IS_TILE_SOURCE (self));

  metered = !!metered;
  if (self->network_metered == metered)
    return;

  self->network_metered = metered;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_METERED]);
  update_state (self);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
story_tile_source_get_download_on_metered (StoryTileSource *self)
{
  g_return_val_if_fail (STORY_IS_TILE_SOURCE (self), FALSE);

  return self->download_on_metered;
}

void
story_tile_source_set_download_on_metered (StoryTileSource *self,
                                           gboolean         allowed)
{
  g_return_if_fail (STORY_IS_TILE_SOURCE (self));

  allowed = !!allowed;
  if (self->download_on_metered == allowed)
    return;

  self->download_on_metered = allowed;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_ON_METERED]);
  update_state (self);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
story_tile_source_get_metered_paused (StoryTileSource *self)
{
  g_return_val_if_fail (STORY_IS_TILE_SOURCE (self), FALSE);

  return self->metered_paused;
}

static void
sync_from_monitor (StoryTileSource *self)
{
  GNetworkMonitor *monitor = self->monitor_signals ? g_signal_group_dup_target (self->monitor_signals) : NULL;

  if (monitor == NULL)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  story_tile_source_set_network_available (self, g_network_monitor_get_network_available (monitor));
  story_tile_source_set_network_metered (self, g_network_monitor_get_network_metered (monitor));
  g_object_thaw_notify (G_OBJECT (self));
  g_object_unref (monitor);
}

/**
 * story_tile_source_follow_network_monitor:
 * @self: a #StoryTileSource
 * @monitor: (nullable): the monitor to follow, usually
 *   g_network_monitor_get_default(), or %NULL to stop following one
 *
 * Keeps :network-available and :network-metered in step with @monitor.
 */
void
story_tile_source_follow_network_monitor (StoryTileSource *self,
                                          GNetworkMonitor *monitor)
{
  g_return_if_fail (STORY_IS_TILE_SOURCE (self));
  g_return_if_fail (!monitor || G_IS_NETWORK_MONITOR (monitor));

  if (self->monitor_signals == NULL)
    {
      /* GObject, not the interface: ::notify is not found on an interface. */
      self->monitor_signals = g_signal_group_new (G_TYPE_OBJECT);
      g_signal_group_connect_object (self->monitor_signals, "notify::network-available",
                                     G_CALLBACK (sync_from_monitor), self, G_CONNECT_SWAPPED);
      g_signal_group_connect_object (self->monitor_signals, "notify::network-metered",
                                     G_CALLBACK (sync_from_monitor), self, G_CONNECT_SWAPPED);
    }

  g_signal_group_set_target (self->monitor_signals, monitor);
  sync_from_monitor (self);
}

/**
 * story_tile_source_new_map_source:
 * @self: a #StoryTileSource
 *
 * Wraps @self as the OpenStreetMap base layer.
 *
 * Returns: (transfer full): a new map source drawing @self's tiles
 */
ShumateMapSource *
story_tile_source_new_map_source (StoryTileSource *self)
{
  g_return_val_if_fail (STORY_IS_TILE_SOURCE (self), NULL);

  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full ("story-online",
                                                               "OpenStreetMap",
                                                               "© OpenStreetMap contributors",
                                                               "https://www.openstreetmap.org/copyright",
                                                               0, 19, STORY_TILE_SOURCE_TILE_SIZE,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
