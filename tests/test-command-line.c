/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

/*
 * Story Map started a second time while it runs: what the second command
 * line asks reaches the running instance. The real program, twice, on the
 * test's display and private session bus; the tile server is a SoupServer
 * on 127.0.0.1.
 */

static void
on_tile_request (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  guint *n_requests = user_data;

  (*n_requests)++;
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *)user_data = TRUE;
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *)user_data = TRUE;
}

#define WAIT_FOR(cond)                                                      \
  G_STMT_START {                                                            \
    gint64 _end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;             \
    while (!(cond))                                                         \
      {                                                                     \
        g_main_context_iteration (NULL, FALSE);                             \
        if (g_get_monotonic_time () > _end)                                 \
          g_error ("Timed out waiting for %s", #cond);                      \
      }                                                                     \
  } G_STMT_END

static void
test_second_tile_url (void)
{
  const char *binary = g_getenv ("STORY_MAP_BINARY");
  g_autofree char *cache = g_dir_make_tmp ("story-map-cache-XXXXXX", NULL);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) primary = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *template = NULL;
  gboolean registered = FALSE, second_done = FALSE, primary_done = FALSE;
  guint n_requests = 0;
  guint watch;

  g_assert_nonnull (binary);

  soup_server_add_handler (server, NULL, on_tile_request, &n_requests, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  template = g_strdup_printf ("http://127.0.0.1:%d/{z}/{x}/{y}.png", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify)g_uri_unref);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* No tile cached from another run stands in for a download. */
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);

  /* The first instance asks a port where nothing answers. */
  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, APPLICATION_ID, G_BUS_NAME_WATCHER_FLAGS_NONE,
                            on_name_appeared, NULL, &registered, NULL);
  primary = g_subprocess_launcher_spawn (launcher, &error, binary,
                                         "--tile-url", "http://127.0.0.1:9/{z}/{x}/{y}.png", NULL);
  g_assert_no_error (error);
  WAIT_FOR (registered);
  g_bus_unwatch_name (watch);

  /* The second hands its server to the first, and is done. */
  second = g_subprocess_launcher_spawn (launcher, &error, binary, "--tile-url", template, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (second, NULL, on_exited, &second_done);
  WAIT_FOR (second_done);
  g_assert_true (g_subprocess_get_successful (second));

  WAIT_FOR (n_requests > 0);

  g_subprocess_send_signal (primary, SIGTERM);
  g_subprocess_wait_async (primary, NULL, on_exited, &primary_done);
  WAIT_FOR (primary_done);
  soup_server_disconnect (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/command-line/second-tile-url", test_second_tile_url);

  return g_test_run ();
}
