/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-tile-source"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "story-tile-data.h"
#include "story-tile-source-private.h"

/* The network part of one tile request of StoryTileSource, from the queue
 * to the delivered tile: the queue and its cap on concurrent requests,
 * back-off, sending with conditional headers, the time limit, reading the
 * body up to the size limit, decoding it in a worker thread, emitting
 * ShumateDataSource::received-data and storing the tile in the cache. */

#define READ_CHUNK             (64 * 1024)
#define MAX_BACKOFF            (G_TIME_SPAN_HOUR)
#define DEFAULT_BACKOFF_429    (60 * G_TIME_SPAN_SECOND)
#define HTTP_TOO_MANY_REQUESTS 429     /* not in libsoup 3.2's SoupStatus */

static void pump_queue (StoryTileSource *self);

/* Validation ------------------------------------------------------------- */

/* A body that is not a whole, decodable PNG or JPEG of sane size and of
 * the tile size is refused with our own error: it is neither shown nor
 * cached, and the map beneath shows through. */
static gboolean
validate_tile_data (GBytes  *bytes,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  StoryTileSourceError code = STORY_TILE_SOURCE_ERROR_INVALID_DATA;

  if (story_tile_data_check (bytes, STORY_TILE_SOURCE_MAX_TILE_SIZE, STORY_TILE_SOURCE_TILE_SIZE,
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

gboolean
_story_tile_source_return_if_cancelled (GTask *task)
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
void
_story_tile_source_deliver (GTask  *task,
                            GBytes *bytes)
{
  TileRequest *req = g_task_get_task_data (task);

  if (_story_tile_source_return_if_cancelled (task))
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

  if (_story_tile_source_return_if_cancelled (task))
    return;

  if (req->stale != NULL)
    {
      g_debug ("Tile %d/%d/%d: %s; using the cached copy", req->z, req->x, req->y, error->message);
      _story_tile_source_deliver (task, req->stale);
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
      _story_tile_source_set_offline (self, TRUE);
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
    _story_tile_source_set_offline (self, TRUE);

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

  if (_story_tile_source_return_if_cancelled (task))
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
      _story_tile_source_return_if_cancelled (task);
      return;
    }

  /* Any answer at all means the server is within reach. */
  _story_tile_source_set_offline (req->self, FALSE);

  if (soup_message_get_status (req->msg) == SOUP_STATUS_NOT_MODIFIED && req->stale != NULL)
    {
      g_debug ("Tile %d/%d/%d not modified", req->z, req->x, req->y);
      end_network (req);
      if (req->self->cache != NULL)
        shumate_file_cache_mark_up_to_date (req->self->cache, req->x, req->y, req->z);
      _story_tile_source_deliver (task, req->stale);
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
      GError *not_now = NULL;

      req->queued = FALSE;

      if (g_cancellable_is_cancelled (req->cancellable) || self->session == NULL)
        {
          _story_tile_source_return_if_cancelled (task);
          g_object_unref (task);
        }
      /* The network went, or turned metered, while it waited. */
      else if ((not_now = _story_tile_source_check_may_download (self)) != NULL)
        {
          fail (task, not_now);
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
gboolean
_story_tile_source_flush_cancelled_cb (gpointer user_data)
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
          _story_tile_source_return_if_cancelled (task);
          g_object_unref (task);
        }

      link = next;
    }

  return G_SOURCE_REMOVE;
}

void
_story_tile_source_on_queued_request_cancelled (GCancellable *cancellable,
                                                TileRequest  *req)
{
  StoryTileSource *self = req->self;

  if (req->queued && self->flush_id == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT,
                                      _story_tile_source_flush_cancelled_cb,
                                      g_object_ref (self), g_object_unref);
}

/* Takes over the reference to @task. */
void
_story_tile_source_enqueue (GTask *task)
{
  TileRequest *req = g_task_get_task_data (task);
  StoryTileSource *self = req->self;
  GError *not_now = _story_tile_source_check_may_download (self);

  if (not_now != NULL)
    {
      fail (task, not_now);
      g_object_unref (task);
      return;
    }

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
