/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-tile-source"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "story-tile-data.h"
#include "story-tile-source.h"

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
 * stale copy is delivered instead. */

#define DEFAULT_TIMEOUT        15
#define MAX_TIMEOUT            300
#define CACHE_SIZE_LIMIT       (100 * 1000 * 1000)
#define CACHE_FRESH_FOR        (7 * G_TIME_SPAN_DAY)
#define READ_CHUNK             (64 * 1024)
#define MAX_BACKOFF            (G_TIME_SPAN_HOUR)
#define DEFAULT_BACKOFF_429    (60 * G_TIME_SPAN_SECOND)
#define MAX_TILE_DIMENSION     4096
#define HTTP_TOO_MANY_REQUESTS 429     /* not in libsoup 3.2's SoupStatus */

struct _StoryTileSource
{
  ShumateDataSource  parent_instance;

  char              *url_template;
  char              *cache_dir;
  char              *user_agent;
  guint              timeout;

  SoupSession       *session;
  ShumateFileCache  *cache;
  GCancellable      *cancellable;    /* cancelled on dispose */

  GQueue             queue;          /* GTask, waiting for a connection */
  guint              n_active;
  guint              flush_id;
  gint64             backoff_until;  /* monotonic time, µs */

  guint              offline : 1;
};

G_DEFINE_FINAL_TYPE (StoryTileSource, story_tile_source, SHUMATE_TYPE_DATA_SOURCE)

G_DEFINE_QUARK (story-tile-source-error-quark, story_tile_source_error)

enum {
  PROP_0,
  PROP_URL_TEMPLATE,
  PROP_CACHE_DIR,
  PROP_USER_AGENT,
  PROP_TIMEOUT,
  PROP_OFFLINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  StoryTileSource *self;         /* owned: outlives the task's reference */
  int              x;
  int              y;
  int              z;
  GCancellable    *cancellable;  /* caller's, dispose and timer, merged */
  GCancellable    *caller_cancellable;
  gulong           caller_handler;
  gulong           dispose_handler;
  gulong           queue_handler;
  GBytes          *stale;        /* copy from the cache, needs revalidation */
  char            *etag;
  GDateTime       *modtime;
  SoupMessage     *msg;
  GInputStream    *stream;
  GByteArray      *body;
  char            *new_etag;
  GBytes          *result;
  guint            timeout_id;
  guint            timed_out : 1;
  guint            queued : 1;
  guint            active : 1;
} TileRequest;

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

static void pump_queue (StoryTileSource *self);

/* Validation ------------------------------------------------------------- */

/* A body that is not a whole, decodable PNG or JPEG of sane size is
 * refused with our own error. */
static gboolean
validate_tile_data (GBytes  *bytes,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  StoryTileSourceError code = STORY_TILE_SOURCE_ERROR_INVALID_DATA;

  if (story_tile_data_check (bytes, STORY_TILE_SOURCE_MAX_TILE_SIZE, MAX_TILE_DIMENSION,
                             &local_error))
    return TRUE;

  if (g_error_matches (local_error, STORY_TILE_DATA_ERROR, STORY_TILE_DATA_ERROR_TOO_LARGE))
    code = STORY_TILE_SOURCE_ERROR_TOO_LARGE;

  g_set_error (error, STORY_TILE_SOURCE_ERROR, code,
               _("The tile image cannot be read: %s"), local_error->message);
  return FALSE;
}

static void
validate_in_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;

  if (validate_tile_data (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* State ------------------------------------------------------------------ */

static void
set_offline (StoryTileSource *self,
             gboolean         offline)
{
  offline = !!offline;
  if (self->offline == offline)
    return;

  self->offline = offline;
  g_debug ("Tile server is %s", offline ? "unreachable" : "reachable");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

static gboolean
is_backing_off (StoryTileSource *self)
{
  return self->backoff_until > g_get_monotonic_time ();
}

/* Retry-After is either a number of seconds or an HTTP date; returns the
 * wait in µs, or -1 if @value is neither. */
static GTimeSpan
parse_retry_after (const char *value)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;

  text = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &seconds, NULL))
    return seconds > MAX_BACKOFF / G_TIME_SPAN_SECOND ? MAX_BACKOFF : (GTimeSpan)seconds * G_TIME_SPAN_SECOND;

  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return -1;

  now = g_date_time_new_now_utc ();
  return CLAMP (g_date_time_difference (date, now), 0, MAX_BACKOFF);
}

static void
start_backoff (StoryTileSource *self,
               SoupMessage     *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  GTimeSpan wait = parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"));

  if (wait < 0 && soup_message_get_status (msg) == HTTP_TOO_MANY_REQUESTS)
    wait = DEFAULT_BACKOFF_429;
  if (wait <= 0)
    return;

  g_debug ("Tile server asked to wait %" G_GINT64_FORMAT " ms", wait / 1000);
  self->backoff_until = MAX (self->backoff_until, g_get_monotonic_time () + wait);
}

static char *
expand_template (const char *template,
                 int         x,
                 int         y,
                 int         z)
{
  g_autoptr(GString) url = g_string_new (template);
  char number[16];

  g_snprintf (number, sizeof number, "%d", x);
  g_string_replace (url, "{x}", number, 0);
  g_snprintf (number, sizeof number, "%d", y);
  g_string_replace (url, "{y}", number, 0);
  g_snprintf (number, sizeof number, "%d", z);
  g_string_replace (url, "{z}", number, 0);

  return g_string_free (g_steal_pointer (&url), FALSE);
}

/* Completion ------------------------------------------------------------- */

static gboolean
return_if_cancelled (GTask *task)
{
  TileRequest *req = g_task_get_task_data (task);

  if (!g_cancellable_is_cancelled (req->cancellable) || req->timed_out)
    return FALSE;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The tile request was cancelled"));
  return TRUE;
}

/* Hands @bytes to the raster renderer (which in libshumate 1.0 paints only
 * what comes through ::received-data) and completes the task with them. */
static void
deliver (GTask  *task,
         GBytes *bytes)
{
  TileRequest *req = g_task_get_task_data (task);

  if (return_if_cancelled (task))
    return;

  g_signal_emit_by_name (req->self, "received-data", req->x, req->y, req->z, bytes);
  g_task_return_pointer (task, g_bytes_ref (bytes), (GDestroyNotify)g_bytes_unref);
}

/* A failed tile falls back on the stale copy from the cache, if any. */
static void
fail (GTask  *task,
      GError *error)
{
  TileRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) owned = error;

  if (return_if_cancelled (task))
    return;

  if (req->stale != NULL)
    {
      g_debug ("Tile %d/%d/%d: %s; using the cached copy", req->z, req->x, req->y, error->message);
      deliver (task, req->stale);
      return;
    }

  g_debug ("Tile %d/%d/%d: %s", req->z, req->x, req->y, error->message);
  g_task_return_error (task, g_steal_pointer (&owned));
}

/* Leaves the network part of a request: frees its connection slot. */
static void
end_network (TileRequest *req)
{
  if (!req->active)
    return;

  req->active = FALSE;
  g_clear_handle_id (&req->timeout_id, g_source_remove);
  g_clear_object (&req->stream);
  g_assert (req->self->n_active > 0);
  req->self->n_active--;
  pump_queue (req->self);
}

/* Turns a transport error into ours, and notes whether the server is out of
 * reach. */
static GError *
translate_network_error (TileRequest *req,
                         GError      *error)
{
  StoryTileSource *self = req->self;

  if (req->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      set_offline (self, TRUE);
      return g_error_new (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_TIMEOUT,
                          ngettext ("The tile server did not answer within %u second",
                                    "The tile server did not answer within %u seconds",
                                    self->timeout),
                          self->timeout);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED))
    set_offline (self, TRUE);

  return g_error_new (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_NETWORK,
                      _("The tile server cannot be reached: %s"), error->message);
}

/* Storing and validating -------------------------------------------------- */

static void
on_tile_stored (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TileRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!shumate_file_cache_store_tile_finish (SHUMATE_FILE_CACHE (object), result, &error))
    g_debug ("Cannot store tile %d/%d/%d in the cache: %s", req->z, req->x, req->y, error->message);

  g_task_return_pointer (task, g_steal_pointer (&req->result), (GDestroyNotify)g_bytes_unref);
}

static void
on_validated (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TileRequest *req = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail (task, error);
      return;
    }

  if (return_if_cancelled (task))
    return;

  req->result = g_bytes_ref (g_task_get_task_data (G_TASK (result)));
  g_signal_emit_by_name (req->self, "received-data", req->x, req->y, req->z, req->result);

  if (req->self->cache == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&req->result), (GDestroyNotify)g_bytes_unref);
      return;
    }

  /* No cancellable: a write cut short would leave a partial file behind.
   * The tile is already on screen by now. */
  shumate_file_cache_store_tile_async (req->self->cache, req->x, req->y, req->z,
                                       req->result, req->new_etag, NULL,
                                       on_tile_stored, g_steal_pointer (&task));
}

static void
validate_body (GTask *task)
{
  TileRequest *req = g_task_get_task_data (task);
  g_autoptr(GTask) worker = NULL;
  GBytes *bytes = g_byte_array_free_to_bytes (g_steal_pointer (&req->body));

  /* No source object: the worker thread may drop the last reference. */
  worker = g_task_new (NULL, NULL, on_validated, g_object_ref (task));
  g_task_set_task_data (worker, bytes, (GDestroyNotify)g_bytes_unref);
  g_task_run_in_thread (worker, validate_in_thread);
}

/* Reading the body ------------------------------------------------------- */

static void read_next_chunk (GTask *task);

static void
on_chunk_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TileRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      GError *translated = translate_network_error (req, error);

      end_network (req);
      fail (task, translated);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      end_network (req);
      validate_body (task);
      return;
    }

  g_byte_array_append (req->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (req->body->len > STORY_TILE_SOURCE_MAX_TILE_SIZE)
    {
      end_network (req);
      fail (task, g_error_new (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_TOO_LARGE,
                               _("The tile is larger than %u KiB"),
                               STORY_TILE_SOURCE_MAX_TILE_SIZE / 1024));
      return;
    }

  read_next_chunk (g_steal_pointer (&task));
}

/* Takes over the reference to @task. Asks for one byte past the limit at
 * most, so that an oversized body is noticed without reading on. */
static void
read_next_chunk (GTask *task)
{
  TileRequest *req = g_task_get_task_data (task);
  gsize want = MIN (READ_CHUNK, STORY_TILE_SOURCE_MAX_TILE_SIZE + 1 - req->body->len);

  g_input_stream_read_bytes_async (req->stream, want, G_PRIORITY_DEFAULT,
                                   req->cancellable, on_chunk_read, task);
}

/* Sending ---------------------------------------------------------------- */

static GError *
check_response (TileRequest *req)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  guint status = soup_message_get_status (req->msg);
  goffset length;

  switch (status)
    {
    case SOUP_STATUS_OK:
      break;

    case SOUP_STATUS_NOT_FOUND:
      return g_error_new (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_NOT_FOUND,
                          _("The tile server has no such tile"));

    case HTTP_TOO_MANY_REQUESTS:
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      start_backoff (req->self, req->msg);
      G_GNUC_FALLTHROUGH;

    default:
      /* Translators: %u is an HTTP status code, %s its description */
      return g_error_new (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_HTTP,
                          _("The tile server answered %u %s"), status,
                          soup_message_get_reason_phrase (req->msg)
                          ? soup_message_get_reason_phrase (req->msg) : "");
    }

  length = soup_message_headers_get_content_length (headers);
  if (length > STORY_TILE_SOURCE_MAX_TILE_SIZE)
    return g_error_new (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_TOO_LARGE,
                        _("The tile is larger than %u KiB"),
                        STORY_TILE_SOURCE_MAX_TILE_SIZE / 1024);

  return NULL;
}

static void
on_message_sent (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TileRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GError *failure;
  SoupMessageHeaders *headers;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (req->stream == NULL)
    {
      failure = translate_network_error (req, error);
      end_network (req);
      fail (task, failure);
      return;
    }

  if (g_cancellable_is_cancelled (req->cancellable) && !req->timed_out)
    {
      end_network (req);
      return_if_cancelled (task);
      return;
    }

  /* Any answer at all means the server is within reach. */
  set_offline (req->self, FALSE);

  if (soup_message_get_status (req->msg) == SOUP_STATUS_NOT_MODIFIED && req->stale != NULL)
    {
      g_debug ("Tile %d/%d/%d not modified", req->z, req->x, req->y);
      end_network (req);
      if (req->self->cache != NULL)
        shumate_file_cache_mark_up_to_date (req->self->cache, req->x, req->y, req->z);
      deliver (task, req->stale);
      return;
    }

  if ((failure = check_response (req)) != NULL)
    {
      end_network (req);
      fail (task, failure);
      return;
    }

  headers = soup_message_get_response_headers (req->msg);
  req->new_etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  req->body = g_byte_array_new ();
  read_next_chunk (g_steal_pointer (&task));
}

static gboolean
on_request_timeout (gpointer user_data)
{
  TileRequest *req = user_data;

  req->timeout_id = 0;
  req->timed_out = TRUE;
  g_cancellable_cancel (req->cancellable);

  return G_SOURCE_REMOVE;
}

static void
add_conditional_headers (TileRequest *req)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (req->msg);

  if (req->stale == NULL)
    return;

  if (req->etag != NULL)
    {
      soup_message_headers_replace (headers, "If-None-Match", req->etag);
    }
  else if (req->modtime != NULL)
    {
      g_autofree char *date = soup_date_time_to_string (req->modtime, SOUP_DATE_HTTP);

      soup_message_headers_replace (headers, "If-Modified-Since", date);
    }
}

/* Takes over the reference to @task. */
static void
send_request (GTask *task)
{
  TileRequest *req = g_task_get_task_data (task);
  StoryTileSource *self = req->self;
  g_autofree char *url = expand_template (self->url_template, req->x, req->y, req->z);
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      fail (task, g_error_new (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_INVALID_URL,
                               _("“%s” is not a valid tile address"), url));
      g_object_unref (task);
      return;
    }

  req->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  add_conditional_headers (req);

  req->active = TRUE;
  self->n_active++;
  req->timeout_id = g_timeout_add (self->timeout * 1000, on_request_timeout, req);

  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                           req->cancellable, on_message_sent, task);
}

/* Queue ------------------------------------------------------------------ */

static void
pump_queue (StoryTileSource *self)
{
  while (self->n_active < STORY_TILE_SOURCE_MAX_CONNECTIONS && !g_queue_is_empty (&self->queue))
    {
      GTask *task = g_queue_pop_head (&self->queue);
      TileRequest *req = g_task_get_task_data (task);

      req->queued = FALSE;

      if (g_cancellable_is_cancelled (req->cancellable) || self->session == NULL)
        {
          return_if_cancelled (task);
          g_object_unref (task);
        }
      else if (is_backing_off (self))
        {
          fail (task, g_error_new (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_BACKING_OFF,
                                   _("The tile server asked to wait before sending more tiles")));
          g_object_unref (task);
        }
      else
        {
          send_request (task);
        }
    }
}

/* Completes the queued requests that were cancelled while waiting. */
static gboolean
flush_cancelled_cb (gpointer user_data)
{
  StoryTileSource *self = user_data;
  GList *link = self->queue.head;

  self->flush_id = 0;

  while (link != NULL)
    {
      GList *next = link->next;
      GTask *task = link->data;
      TileRequest *req = g_task_get_task_data (task);

      if (g_cancellable_is_cancelled (req->cancellable))
        {
          g_queue_delete_link (&self->queue, link);
          req->queued = FALSE;
          return_if_cancelled (task);
          g_object_unref (task);
        }

      link = next;
    }

  return G_SOURCE_REMOVE;
}

static void
on_queued_request_cancelled (GCancellable *cancellable,
                             TileRequest  *req)
{
  StoryTileSource *self = req->self;

  if (req->queued && self->flush_id == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, flush_cancelled_cb,
                                      g_object_ref (self), g_object_unref);
}

/* Takes over the reference to @task. */
static void
enqueue (GTask *task)
{
  TileRequest *req = g_task_get_task_data (task);
  StoryTileSource *self = req->self;

  if (is_backing_off (self))
    {
      fail (task, g_error_new (STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_BACKING_OFF,
                               _("The tile server asked to wait before sending more tiles")));
      g_object_unref (task);
      return;
    }

  req->queued = TRUE;
  g_queue_push_tail (&self->queue, task);
  pump_queue (self);
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
  if (return_if_cancelled (task))
    return;

  if (error != NULL)
    g_debug ("Cannot read tile %d/%d/%d from the cache: %s", req->z, req->x, req->y, error->message);

  /* A file left half-written by a crash is no cache hit. */
  if (bytes != NULL &&
      story_tile_data_check_structure (bytes, STORY_TILE_SOURCE_MAX_TILE_SIZE, MAX_TILE_DIMENSION, NULL))
    {
      if (is_fresh (req->modtime))
        {
          deliver (task, bytes);
          return;
        }

      req->stale = g_steal_pointer (&bytes);
    }

  enqueue (g_steal_pointer (&task));
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
                                         G_CALLBACK (on_queued_request_cancelled), req);
  if (cancellable != NULL)
    {
      req->caller_cancellable = g_object_ref (cancellable);
      req->caller_handler = chain_cancellable (cancellable, req->cancellable);
    }
  req->dispose_handler = chain_cancellable (self->cancellable, req->cancellable);

  if (self->session == NULL)
    {
      return_if_cancelled (task);
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
      enqueue (g_steal_pointer (&task));
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

static void
story_tile_source_constructed (GObject *object)
{
  StoryTileSource *self = (StoryTileSource *)object;
  g_autofree char *cache_key = make_cache_key (self->url_template);

  G_OBJECT_CLASS (story_tile_source_parent_class)->constructed (object);

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
  flush_cancelled_cb (self);
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

  /* TRUE since the last request that could not reach the server at all,
   * FALSE again after any answer from it. */
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
story_tile_source_init (StoryTileSource *self)
{
  self->timeout = DEFAULT_TIMEOUT;
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

const char *
story_tile_source_get_user_agent (StoryTileSource *self)
{
  g_return_val_if_fail (STORY_IS_TILE_SOURCE (self), NULL);

  return self->user_agent;
}

guint
story_tile_source_get_timeout (StoryTileSource *self)
{
  g_return_val_if_fail (STORY_IS_TILE_SOURCE (self), 0);

  return self->timeout;
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
                                                               0, 19, 256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
