/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "story-tile-source.h"

G_BEGIN_DECLS

/* The tile source's state, shared by story-tile-source.c (the object, the
 * cache lookup, the public API) and story-tile-request.c (a request from
 * the queue to the delivered tile). */

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

  GSignalGroup      *monitor_signals; /* on the GNetworkMonitor followed */

  guint              unreachable : 1;  /* the last request got no answer */
  guint              offline : 1;      /* unreachable or no network */
  guint              network_available : 1;
  guint              network_metered : 1;
  guint              download_on_metered : 1;
  guint              metered_paused : 1;
  guint              loopback : 1;         /* the server is on this machine */
};

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

void     _story_tile_source_set_offline                 (StoryTileSource *self,
                                                         gboolean         offline);
GError  *_story_tile_source_check_may_download         (StoryTileSource *self);
gboolean _story_tile_source_return_if_cancelled         (GTask           *task);
void     _story_tile_source_deliver                     (GTask           *task,
                                                         GBytes          *bytes);
gboolean _story_tile_source_flush_cancelled_cb          (gpointer         user_data);
void     _story_tile_source_on_queued_request_cancelled (GCancellable    *cancellable,
                                                         TileRequest     *req);
void     _story_tile_source_enqueue                     (GTask           *task);

G_END_DECLS
