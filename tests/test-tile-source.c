/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "story-tile-source.h"

/* Each test runs a tile server on 127.0.0.1 in this process and drives the
 * source through the ShumateDataSource API, as the map does. */

#define WAIT_LIMIT (15 * G_TIME_SPAN_SECOND)

typedef enum
{
  MODE_PNG,
  MODE_JPEG,
  MODE_NOT_FOUND,
  MODE_SERVER_ERROR,
  MODE_TOO_MANY_REQUESTS,
  MODE_UNAVAILABLE_UNTIL,
  MODE_TRUNCATED,
  MODE_HTML,
  MODE_OVERSIZED,
  MODE_OVERSIZED_CHUNKED,
  MODE_HUGE_IMAGE,
} ServerMode;

typedef struct
{
  SoupServer      *server;
  guint            port;
  char            *cache_dir;
  StoryTileSource *source;

  ServerMode       mode;
  guint            delay_ms;       /* before answering */
  GBytes          *png;
  GBytes          *jpeg;
  GBytes          *huge;           /* 4096 × 4096, a few dozen KiB */
  GPtrArray       *delays;         /* GSource ids of pending answers */

  guint            n_requests;
  guint            n_active;
  guint            max_active;
  GHashTable      *client_ports;
  char            *user_agent;
  char            *if_none_match;

  guint            n_received;
  guint            n_offline_notifies;
} Fixture;

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} FetchResult;

/* Test data -------------------------------------------------------------- */

static GBytes *
make_image (const char *type)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 256, 256);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0xaaccee00);
  for (int i = 0; i < 256; i++)
    gdk_pixbuf_get_pixels (pixbuf)[i * gdk_pixbuf_get_rowstride (pixbuf) + i * 3] = i;

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

/* A PNG of @size pixels square in one colour: it compresses to little. */
static GBytes *
make_plain_png (int size)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);
  cairo_t *cr = cairo_create (surface);
  GByteArray *array = g_byte_array_new ();

  cairo_set_source_rgb (cr, 0.6, 0.8, 0.9);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_to_array, array),
                   ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

/* The server ------------------------------------------------------------- */

static void
on_server_message_finished (SoupServerMessage *msg,
                            Fixture           *f)
{
  g_assert_cmpuint (f->n_active, >, 0);
  f->n_active--;
}

static void
set_body (SoupServerMessage *msg,
          const char        *content_type,
          gconstpointer      data,
          gsize              size)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, size);
}

static void
answer_image (Fixture           *f,
              SoupServerMessage *msg,
              GBytes            *image,
              const char        *content_type)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

  if (g_strcmp0 (soup_message_headers_get_one (request, "If-None-Match"), "\"v1\"") == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  soup_message_headers_replace (response, "ETag", "\"v1\"");
  set_body (msg, content_type, g_bytes_get_data (image, NULL), g_bytes_get_size (image));
}

static void
answer_oversized (SoupServerMessage *msg,
                  gboolean           chunked)
{
  gsize size = STORY_TILE_SOURCE_MAX_TILE_SIZE + 512 * 1024;
  g_autofree guint8 *data = g_malloc0 (size);

  memcpy (data, "\x89PNG\r\n\x1a\n", 8);

  if (!chunked)
    {
      set_body (msg, "image/png", data, size);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  for (gsize pos = 0; pos < size; pos += 64 * 1024)
    soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                              data + pos, MIN (64 * 1024, size - pos));
  soup_message_body_complete (soup_server_message_get_response_body (msg));
}

static void
answer (Fixture           *f,
        SoupServerMessage *msg)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  static const char html[] = "<!DOCTYPE html><html><body>Log in to continue</body></html>";

  switch (f->mode)
    {
    case MODE_PNG:
      answer_image (f, msg, f->png, "image/png");
      break;

    case MODE_JPEG:
      answer_image (f, msg, f->jpeg, "image/jpeg");
      break;

    case MODE_NOT_FOUND:
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      break;

    case MODE_SERVER_ERROR:
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      break;

    case MODE_TOO_MANY_REQUESTS:
      soup_server_message_set_status (msg, 429, "Too Many Requests");
      soup_message_headers_replace (response, "Retry-After", "1");
      break;

    case MODE_UNAVAILABLE_UNTIL:
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autoptr(GDateTime) until = g_date_time_add_seconds (now, 2);
        g_autofree char *date = soup_date_time_to_string (until, SOUP_DATE_HTTP);

        soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
        soup_message_headers_replace (response, "Retry-After", date);
      }
      break;

    case MODE_TRUNCATED:
      set_body (msg, "image/png", g_bytes_get_data (f->png, NULL), g_bytes_get_size (f->png) / 2);
      break;

    case MODE_HTML:
      set_body (msg, "text/html", html, strlen (html));
      break;

    case MODE_OVERSIZED:
    case MODE_OVERSIZED_CHUNKED:
      answer_oversized (msg, f->mode == MODE_OVERSIZED_CHUNKED);
      break;

    case MODE_HUGE_IMAGE:
      if (f->huge == NULL)
        f->huge = make_plain_png (4096);
      set_body (msg, "image/png", g_bytes_get_data (f->huge, NULL), g_bytes_get_size (f->huge));
      break;

    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  Fixture           *f;
  SoupServerMessage *msg;
  guint              id;
} Delay;

static gboolean
on_delay_over (gpointer user_data)
{
  Delay *delay = user_data;

  g_ptr_array_remove (delay->f->delays, GUINT_TO_POINTER (delay->id));
  answer (delay->f, delay->msg);
  soup_server_message_unpause (delay->msg);

  return G_SOURCE_REMOVE;
}

static void
delay_free (Delay *delay)
{
  g_object_unref (delay->msg);
  g_free (delay);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  GInetSocketAddress *remote = G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg));

  f->n_requests++;
  f->n_active++;
  f->max_active = MAX (f->max_active, f->n_active);
  g_hash_table_add (f->client_ports, GUINT_TO_POINTER (g_inet_socket_address_get_port (remote)));
  g_signal_connect (msg, "finished", G_CALLBACK (on_server_message_finished), f);

  g_free (f->user_agent);
  f->user_agent = g_strdup (soup_message_headers_get_one (request, "User-Agent"));
  g_free (f->if_none_match);
  f->if_none_match = g_strdup (soup_message_headers_get_one (request, "If-None-Match"));

  if (f->delay_ms > 0)
    {
      Delay *delay = g_new0 (Delay, 1);

      delay->f = f;
      delay->msg = g_object_ref (msg);
      delay->id = g_timeout_add_full (G_PRIORITY_DEFAULT, f->delay_ms, on_delay_over,
                                      delay, (GDestroyNotify)delay_free);
      g_ptr_array_add (f->delays, GUINT_TO_POINTER (delay->id));
      soup_server_message_pause (msg);
      return;
    }

  answer (f, msg);
}

static void
listen_on (Fixture *f,
           guint    port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSList *uris;

  if (port == 0)
    soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  else
    soup_server_listen (f->server, address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  f->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
}

/* The client side -------------------------------------------------------- */

static void
on_received_data (StoryTileSource *source,
                  int              x,
                  int              y,
                  int              z,
                  GBytes          *bytes,
                  Fixture         *f)
{
  g_assert_nonnull (bytes);
  f->n_received++;
}

static void
on_offline_notify (StoryTileSource *source,
                   GParamSpec      *pspec,
                   Fixture         *f)
{
  f->n_offline_notifies++;
}

static StoryTileSource *
new_source (Fixture    *f,
            const char *url_template)
{
  StoryTileSource *source = story_tile_source_new (url_template, f->cache_dir);

  g_signal_connect (source, "received-data", G_CALLBACK (on_received_data), f);
  g_signal_connect (source, "notify::offline", G_CALLBACK (on_offline_notify), f);

  return source;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url_template = NULL;

  f->png = make_image ("png");
  f->jpeg = make_image ("jpeg");
  f->delays = g_ptr_array_new ();
  f->client_ports = g_hash_table_new (NULL, NULL);

  f->cache_dir = g_dir_make_tmp ("story-tiles-XXXXXX", &error);
  g_assert_no_error (error);

  f->server = soup_server_new ("server-header", "test-tiles", NULL);
  soup_server_add_handler (f->server, NULL, server_callback, f, NULL);
  listen_on (f, 0);

  url_template = g_strdup_printf ("http://127.0.0.1:%u/tiles/{z}/{x}/{y}.png", f->port);
  f->source = new_source (f, url_template);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }

  g_remove (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < f->delays->len; i++)
    g_source_remove (GPOINTER_TO_UINT (f->delays->pdata[i]));
  g_ptr_array_unref (f->delays);

  g_clear_object (&f->source);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);

  remove_tree (f->cache_dir);
  g_free (f->cache_dir);
  g_bytes_unref (f->png);
  g_bytes_unref (f->jpeg);
  g_clear_pointer (&f->huge, g_bytes_unref);
  g_hash_table_unref (f->client_ports);
  g_free (f->user_agent);
  g_free (f->if_none_match);
}

static void
on_fetched (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  FetchResult *r = user_data;

  r->bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &r->error);
  g_assert_true ((r->bytes == NULL) != (r->error == NULL));
  r->done = TRUE;
}

static void
start_fetch (StoryTileSource *source,
             int              x,
             int              y,
             int              z,
             GCancellable    *cancellable,
             FetchResult     *r)
{
  memset (r, 0, sizeof *r);
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, z,
                                           cancellable, on_fetched, r);
}

static void
wait_for (gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT;

  while (!*done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
fetch_result_clear (FetchResult *r)
{
  g_clear_pointer (&r->bytes, g_bytes_unref);
  g_clear_error (&r->error);
}

/* Fetches a tile and returns its bytes, or NULL with @error set. */
static GBytes *
fetch (StoryTileSource  *source,
       int               x,
       int               y,
       int               z,
       GError          **error)
{
  FetchResult r;

  start_fetch (source, x, y, z, NULL, &r);
  wait_for (&r.done);
  if (r.error != NULL)
    g_propagate_error (error, r.error);

  return r.bytes;
}

static gboolean
on_sleep_over (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets @ms milliseconds pass with the main loop running. */
static void
sleep_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_sleep_over, &done);
  wait_for (&done);
}

static void
collect_cached (const char *path,
                GPtrArray  *files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      if (g_str_has_suffix (path, ".png"))
        g_ptr_array_add (files, g_strdup (path));
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      collect_cached (child, files);
    }
}

static GPtrArray *
cached_tiles (Fixture *f)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  collect_cached (f->cache_dir, files);
  return files;
}

static guint
n_cached_tiles (Fixture *f)
{
  g_autoptr(GPtrArray) files = cached_tiles (f);

  return files->len;
}

/* Asserts that tile 1/0/0 fails with @code and leaves nothing behind. */
static void
assert_fails (Fixture    *f,
              ServerMode  mode,
              int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint n_requests = f->n_requests;

  f->mode = mode;
  bytes = fetch (f->source, 0, 0, 1, &error);
  g_assert_error (error, STORY_TILE_SOURCE_ERROR, code);
  g_assert_null (bytes);
  g_assert_cmpuint (f->n_requests, ==, n_requests + 1);
  g_assert_cmpuint (f->n_received, ==, 0);
  g_assert_cmpuint (n_cached_tiles (f), ==, 0);
  g_assert_false (story_tile_source_get_offline (f->source));
}

/* Asserts that tile @x/@y/@z now loads from the server. */
static void
assert_loads (Fixture *f,
              int      x,
              int      y,
              int      z)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint n_requests = f->n_requests;

  f->mode = MODE_PNG;
  bytes = fetch (f->source, x, y, z, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, f->png));
  g_assert_cmpuint (f->n_requests, ==, n_requests + 1);
}

/* Tests ------------------------------------------------------------------ */

static void
test_png (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autofree char *user_agent = NULL;

  first = fetch (f->source, 1, 2, 3, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, f->png));
  g_assert_cmpuint (f->n_received, ==, 1);
  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_cmpuint (n_cached_tiles (f), ==, 1);
  g_assert_false (story_tile_source_get_offline (f->source));

  /* The server learns who is asking. */
  g_assert_cmpstr (f->user_agent, ==, "StoryMap/" PACKAGE_VERSION " (+" PACKAGE_WEBSITE ")");
  g_object_get (f->source, "user-agent", &user_agent, NULL);
  g_assert_cmpstr (user_agent, ==, f->user_agent);

  /* A fresh copy comes from the cache without asking the server. */
  second = fetch (f->source, 1, 2, 3, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (second, f->png));
  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_cmpuint (f->n_received, ==, 2);
}

static void
test_jpeg (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  f->mode = MODE_JPEG;
  bytes = fetch (f->source, 0, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, f->jpeg));
  g_assert_cmpuint (f->n_received, ==, 1);
  g_assert_cmpuint (n_cached_tiles (f), ==, 1);
}

static void
make_stale (Fixture *f)
{
  g_autoptr(GPtrArray) files = cached_tiles (f);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  guint64 eight_days_ago = g_get_real_time () / G_USEC_PER_SEC - 8 * 24 * 3600;

  g_assert_cmpuint (files->len, ==, 1);
  file = g_file_new_for_path (files->pdata[0]);
  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, eight_days_ago,
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
}

static void
test_revalidate (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) stale = NULL;

  bytes = fetch (f->source, 0, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_null (f->if_none_match);

  /* A stale copy is revalidated; 304 keeps it and makes it fresh again. */
  make_stale (f);
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = fetch (f->source, 0, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_requests, ==, 2);
  g_assert_cmpstr (f->if_none_match, ==, "\"v1\"");
  g_assert_true (g_bytes_equal (bytes, f->png));

  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = fetch (f->source, 0, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_requests, ==, 2);

  /* With the server gone, the stale copy is better than nothing. */
  make_stale (f);
  soup_server_disconnect (f->server);
  stale = fetch (f->source, 0, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (stale, f->png));
  g_assert_true (story_tile_source_get_offline (f->source));
  g_assert_cmpuint (f->n_received, ==, 4);
}

/* A tile that is not 256 pixels square is refused before it is decoded:
 * a body of a few dozen KiB can hold an image of 64 MiB of pixels. It is
 * not cached, and a cached one is not used. */
static void
test_wrong_size (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint n_requests;

  assert_fails (f, MODE_HUGE_IMAGE, STORY_TILE_SOURCE_ERROR_INVALID_DATA);
  g_assert_cmpuint (g_bytes_get_size (f->huge), <, STORY_TILE_SOURCE_MAX_TILE_SIZE);
  assert_fails (f, MODE_HUGE_IMAGE, STORY_TILE_SOURCE_ERROR_INVALID_DATA);
  assert_loads (f, 0, 0, 1);

  /* A fresh copy in the cache that is not of the tile size (as an older
   * version kept) is asked for again. */
  files = cached_tiles (f);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_true (g_file_set_contents (files->pdata[0], g_bytes_get_data (f->huge, NULL),
                                      g_bytes_get_size (f->huge), &error));
  g_assert_no_error (error);
  n_requests = f->n_requests;
  bytes = fetch (f->source, 0, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, f->png));
  g_assert_cmpuint (f->n_requests, ==, n_requests + 1);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  assert_fails (f, MODE_NOT_FOUND, STORY_TILE_SOURCE_ERROR_NOT_FOUND);
  /* Asked for again, it is one more request, not a loop of retries. */
  assert_fails (f, MODE_NOT_FOUND, STORY_TILE_SOURCE_ERROR_NOT_FOUND);
  assert_loads (f, 0, 0, 1);
}

static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  assert_fails (f, MODE_SERVER_ERROR, STORY_TILE_SOURCE_ERROR_HTTP);
  assert_loads (f, 0, 0, 1);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  assert_fails (f, MODE_TRUNCATED, STORY_TILE_SOURCE_ERROR_INVALID_DATA);
  assert_loads (f, 0, 0, 1);
}

static void
test_html (Fixture       *f,
           gconstpointer  data)
{
  assert_fails (f, MODE_HTML, STORY_TILE_SOURCE_ERROR_INVALID_DATA);
}

static void
test_oversized (Fixture       *f,
                gconstpointer  data)
{
  assert_fails (f, MODE_OVERSIZED, STORY_TILE_SOURCE_ERROR_TOO_LARGE);
  assert_fails (f, MODE_OVERSIZED_CHUNKED, STORY_TILE_SOURCE_ERROR_TOO_LARGE);
  assert_loads (f, 0, 0, 1);
}

/* Waits out a back-off: no request reaches the server meanwhile. */
static void
check_backoff (Fixture *f,
               guint    wait_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint n_requests = f->n_requests;

  f->mode = MODE_PNG;
  bytes = fetch (f->source, 1, 1, 1, &error);
  g_assert_error (error, STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_BACKING_OFF);
  g_assert_cmpuint (f->n_requests, ==, n_requests);
  g_assert_cmpuint (n_cached_tiles (f), ==, 0);

  sleep_ms (wait_ms);
  assert_loads (f, 1, 1, 1);
}

static void
test_too_many_requests (Fixture       *f,
                        gconstpointer  data)
{
  assert_fails (f, MODE_TOO_MANY_REQUESTS, STORY_TILE_SOURCE_ERROR_HTTP);
  check_backoff (f, 1200);
}

static void
test_unavailable_until (Fixture       *f,
                        gconstpointer  data)
{
  assert_fails (f, MODE_UNAVAILABLE_UNTIL, STORY_TILE_SOURCE_ERROR_HTTP);
  check_backoff (f, 2200);
}

static gboolean
on_tick (gpointer user_data)
{
  (*(guint *)user_data)++;
  return G_SOURCE_CONTINUE;
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint ticks = 0;
  guint tick_id;
  gint64 start;

  story_tile_source_set_timeout (f->source, 1);
  f->delay_ms = 3000;

  tick_id = g_timeout_add (50, on_tick, &ticks);
  start = g_get_monotonic_time ();
  bytes = fetch (f->source, 0, 0, 1, &error);
  g_source_remove (tick_id);

  g_assert_error (error, STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_TIMEOUT);
  g_assert_null (bytes);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * 1000);
  g_assert_cmpuint (ticks, >=, 10);
  g_assert_cmpuint (n_cached_tiles (f), ==, 0);
  g_assert_true (story_tile_source_get_offline (f->source));
  g_assert_cmpuint (f->n_offline_notifies, ==, 1);

  f->delay_ms = 0;
  assert_loads (f, 1, 0, 1);
  g_assert_false (story_tile_source_get_offline (f->source));
  g_assert_cmpuint (f->n_offline_notifies, ==, 2);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint port = f->port;

  /* Nothing listens on the port any more. */
  soup_server_disconnect (f->server);

  bytes = fetch (f->source, 0, 0, 1, &error);
  g_assert_error (error, STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_NETWORK);
  g_assert_null (bytes);
  g_assert_cmpuint (f->n_received, ==, 0);
  g_assert_cmpuint (n_cached_tiles (f), ==, 0);
  g_assert_true (story_tile_source_get_offline (f->source));
  g_assert_cmpuint (f->n_offline_notifies, ==, 1);

  /* Still offline: no second notification. */
  g_clear_error (&error);
  bytes = fetch (f->source, 0, 0, 1, &error);
  g_assert_error (error, STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_NETWORK);
  g_assert_cmpuint (f->n_offline_notifies, ==, 1);

  listen_on (f, port);
  assert_loads (f, 0, 0, 1);
  g_assert_false (story_tile_source_get_offline (f->source));
  g_assert_cmpuint (f->n_offline_notifies, ==, 2);
  g_assert_cmpuint (n_cached_tiles (f), ==, 1);
}

static void
test_connection_limit (Fixture       *f,
                       gconstpointer  data)
{
  FetchResult results[7];
  gboolean all_done = FALSE;
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT;

  f->delay_ms = 150;
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    start_fetch (f->source, i, 0, 3, NULL, &results[i]);

  while (!all_done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);

      all_done = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (results); i++)
        all_done = all_done && results[i].done;
    }

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_assert_no_error (results[i].error);
      g_assert_true (g_bytes_equal (results[i].bytes, f->png));
      fetch_result_clear (&results[i]);
    }

  g_assert_cmpuint (f->n_requests, ==, G_N_ELEMENTS (results));
  g_assert_cmpuint (f->max_active, ==, STORY_TILE_SOURCE_MAX_CONNECTIONS);
  g_assert_cmpuint (g_hash_table_size (f->client_ports), <=, STORY_TILE_SOURCE_MAX_CONNECTIONS);
  g_assert_cmpuint (n_cached_tiles (f), ==, G_N_ELEMENTS (results));
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  FetchResult results[4];
  gint64 start;

  /* Two on the wire, two waiting for a connection: all end promptly. */
  f->delay_ms = 5000;
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    start_fetch (f->source, i, 0, 2, cancellable, &results[i]);
  while (f->n_requests < 2)
    g_main_context_iteration (NULL, TRUE);

  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      wait_for (&results[i].done);
      g_assert_error (results[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      fetch_result_clear (&results[i]);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_TIME_SPAN_SECOND);
  g_assert_cmpuint (f->n_received, ==, 0);
  g_assert_false (story_tile_source_get_offline (f->source));

  /* The slots are free again. */
  f->delay_ms = 0;
  assert_loads (f, 0, 1, 2);
}

static void
test_dispose_in_flight (Fixture       *f,
                        gconstpointer  data)
{
  StoryTileSource *source = g_steal_pointer (&f->source);
  FetchResult results[3];

  f->delay_ms = 5000;
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    start_fetch (source, i, 0, 2, NULL, &results[i]);
  while (f->n_requests < 2)
    g_main_context_iteration (NULL, TRUE);

  /* What a widget's destruction does to the objects it holds. */
  g_object_run_dispose (G_OBJECT (source));
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      wait_for (&results[i].done);
      g_assert_error (results[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      fetch_result_clear (&results[i]);
    }

  /* Asking a disposed source fails cleanly too. */
  start_fetch (source, 0, 0, 0, NULL, &results[0]);
  wait_for (&results[0].done);
  g_assert_error (results[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  fetch_result_clear (&results[0]);

  g_assert_cmpuint (f->n_received, ==, 0);
  g_assert_cmpuint (n_cached_tiles (f), ==, 0);
  g_assert_finalize_object (source);
}

static void
test_unref_in_flight (Fixture       *f,
                      gconstpointer  data)
{
  StoryTileSource *source = g_steal_pointer (&f->source);
  FetchResult r;
  GWeakRef weak;

  g_weak_ref_init (&weak, source);
  f->delay_ms = 200;
  start_fetch (source, 0, 0, 1, NULL, &r);
  g_object_unref (source);

  /* The request keeps the source alive until it is done. */
  wait_for (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (g_bytes_equal (r.bytes, f->png));
  fetch_result_clear (&r);

  for (gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT;;)
    {
      g_autoptr(GObject) alive = g_weak_ref_get (&weak);

      if (alive == NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_clear_object (&alive);
      g_main_context_iteration (NULL, FALSE);
    }
  g_weak_ref_clear (&weak);
}

static void
test_invalid_requests (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(StoryTileSource) bad = new_source (f, "ftp://example.invalid/{z}/{x}/{y}.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = fetch (bad, 0, 0, 0, &error);
  g_assert_error (error, STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_INVALID_URL);
  g_clear_error (&error);

  bytes = fetch (f->source, 2, 0, 1, &error);
  g_assert_error (error, STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_INVALID_TILE);
  g_assert_cmpuint (f->n_requests, ==, 0);
}

/* A network monitor that says what the test tells it to, as
 * GNetworkMonitor's own implementations do from the system's state. */

#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject  parent_instance;
  gboolean available;
  gboolean metered;
};

enum { MONITOR_PROP_0, MONITOR_PROP_AVAILABLE, MONITOR_PROP_METERED, MONITOR_PROP_CONNECTIVITY };

static gboolean
test_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init;
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_monitor_iface_init))

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = TEST_MONITOR (object);

  switch (prop_id)
    {
    case MONITOR_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MONITOR_PROP_METERED:
      g_value_set_boolean (value, self->metered);
      break;
    case MONITOR_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_init (TestMonitor *self)
{
  self->available = TRUE;
}

static void
test_monitor_set (TestMonitor *self,
                  gboolean     available,
                  gboolean     metered)
{
  self->available = available;
  self->metered = metered;
  g_object_notify (G_OBJECT (self), "network-available");
  g_object_notify (G_OBJECT (self), "network-metered");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* On a metered connection nothing reaches the server unless the user
 * allows it; what the cache holds is still shown. */
static void
test_metered (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_false (story_tile_source_get_download_on_metered (f->source));
  g_assert_false (story_tile_source_get_metered_paused (f->source));

  story_tile_source_set_network_metered (f->source, TRUE);
  g_assert_true (story_tile_source_get_metered_paused (f->source));
  g_assert_false (story_tile_source_get_offline (f->source));

  bytes = fetch (f->source, 0, 0, 1, &error);
  g_assert_error (error, STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_METERED);
  g_assert_null (bytes);
  g_assert_cmpuint (f->n_requests, ==, 0);
  g_assert_cmpuint (f->n_received, ==, 0);
  g_clear_error (&error);

  /* Allowed in Preferences: tiles come again. */
  g_object_set (f->source, "download-on-metered", TRUE, NULL);
  g_assert_false (story_tile_source_get_metered_paused (f->source));
  assert_loads (f, 0, 0, 1);

  /* Held back again, a stale copy is better than nothing and the server
   * is not asked to revalidate it. */
  story_tile_source_set_download_on_metered (f->source, FALSE);
  g_assert_true (story_tile_source_get_metered_paused (f->source));
  make_stale (f);
  bytes = fetch (f->source, 0, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, f->png));
  g_assert_cmpuint (f->n_requests, ==, 1);

  /* A metered connection that is not there holds nothing back. */
  story_tile_source_set_network_available (f->source, FALSE);
  g_assert_false (story_tile_source_get_metered_paused (f->source));
}

/* Without a network no request is sent, except to a server on this
 * machine, which needs none. */
static void
test_no_network (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(StoryTileSource) remote = new_source (f, "http://tiles.invalid/{z}/{x}/{y}.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (story_tile_source_get_network_available (remote));
  g_object_set (remote, "network-available", FALSE, NULL);
  g_assert_true (story_tile_source_get_offline (remote));
  g_assert_cmpuint (f->n_offline_notifies, ==, 1);

  bytes = fetch (remote, 0, 0, 1, &error);
  g_assert_error (error, STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_NO_NETWORK);
  g_assert_null (bytes);

  story_tile_source_set_network_available (remote, TRUE);
  g_assert_false (story_tile_source_get_offline (remote));
  g_assert_cmpuint (f->n_offline_notifies, ==, 2);

  story_tile_source_set_network_available (f->source, FALSE);
  g_assert_false (story_tile_source_get_offline (f->source));
  assert_loads (f, 0, 0, 1);
}

/* The source follows a GNetworkMonitor as it changes. */
static void
test_network_monitor (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TestMonitor) monitor = g_object_new (TEST_TYPE_MONITOR, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  test_monitor_set (monitor, TRUE, TRUE);
  story_tile_source_follow_network_monitor (f->source, G_NETWORK_MONITOR (monitor));
  g_assert_true (story_tile_source_get_network_metered (f->source));
  g_assert_true (story_tile_source_get_metered_paused (f->source));
  bytes = fetch (f->source, 0, 0, 1, &error);
  g_assert_error (error, STORY_TILE_SOURCE_ERROR, STORY_TILE_SOURCE_ERROR_METERED);
  g_assert_cmpuint (f->n_requests, ==, 0);
  g_clear_error (&error);

  test_monitor_set (monitor, FALSE, FALSE);
  g_assert_false (story_tile_source_get_network_available (f->source));
  g_assert_false (story_tile_source_get_metered_paused (f->source));

  test_monitor_set (monitor, TRUE, FALSE);
  g_assert_true (story_tile_source_get_network_available (f->source));
  assert_loads (f, 0, 0, 1);

  /* Once let go of, the monitor no longer steers the source. */
  story_tile_source_follow_network_monitor (f->source, NULL);
  test_monitor_set (monitor, TRUE, TRUE);
  g_assert_false (story_tile_source_get_metered_paused (f->source));
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(StoryTileSource) source = story_tile_source_new (STORY_TILE_SOURCE_OSM_URL, NULL);
  g_autoptr(ShumateMapSource) map_source = NULL;
  g_autofree char *expected_dir = g_build_filename (g_get_user_cache_dir (), "story-map", "tiles", NULL);
  guint timeout;

  g_assert_cmpstr (story_tile_source_get_cache_dir (source), ==, expected_dir);
  g_assert_cmpstr (story_tile_source_get_url_template (source), ==, STORY_TILE_SOURCE_OSM_URL);
  g_object_get (source, "timeout", &timeout, NULL);
  g_assert_cmpuint (timeout, ==, 15);
  g_assert_false (story_tile_source_get_offline (source));

  map_source = story_tile_source_new_map_source (f->source);
  g_assert_true (SHUMATE_IS_RASTER_RENDERER (map_source));
  g_assert_cmpstr (shumate_map_source_get_id (map_source), ==, "story-online");
  g_assert_cmpuint (shumate_map_source_get_min_zoom_level (map_source), ==, 0);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 19);
  g_assert_cmpuint (shumate_map_source_get_tile_size (map_source), ==, 256);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_home = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Keep the user's own cache out of reach. */
  cache_home = g_dir_make_tmp ("story-cache-home-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

#define ADD(path, func) \
  g_test_add ("/story/tile-source/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("png", test_png);
  ADD ("jpeg", test_jpeg);
  ADD ("revalidate", test_revalidate);
  ADD ("not-found", test_not_found);
  ADD ("server-error", test_server_error);
  ADD ("truncated", test_truncated);
  ADD ("html", test_html);
  ADD ("oversized", test_oversized);
  ADD ("wrong-size", test_wrong_size);
  ADD ("too-many-requests", test_too_many_requests);
  ADD ("unavailable-until", test_unavailable_until);
  ADD ("timeout", test_timeout);
  ADD ("refused", test_refused);
  ADD ("connection-limit", test_connection_limit);
  ADD ("cancel", test_cancel);
  ADD ("dispose-in-flight", test_dispose_in_flight);
  ADD ("unref-in-flight", test_unref_in_flight);
  ADD ("invalid-requests", test_invalid_requests);
  ADD ("properties", test_properties);
  ADD ("metered", test_metered);
  ADD ("no-network", test_no_network);
  ADD ("network-monitor", test_network_monitor);

#undef ADD

  ret = g_test_run ();
  remove_tree (cache_home);

  return ret;
}
