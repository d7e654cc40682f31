/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-document"

#include "config.h"

#include <string.h>

#include "story-document-private.h"
#include "story-json-split.h"

/*
 * A large story read on several processors at once. Most of a large file
 * is its features, thousands of polygon vertices each: the "features" array
 * is cut into runs of whole features (story-json-split.c), each read into
 * places on a worker, while the calling thread parses and reads the rest of
 * the file with an empty array in the features' place.
 *
 * A worker reads the polygon rings of its run apart, straight into arrays
 * of numbers (story_json_take_rings()), and json-glib parses only what is
 * left. A tree of JSON nodes, one for each number and each position, costs
 * several times reading the numbers; and with GLib before 2.76, whose slab
 * allocator all threads share behind a lock, two threads building such
 * trees at once each took as long as one building both.
 *
 * Only a story that reads without a fault is read this way. Anything
 * wrong, in any part or between them (an id used twice, too many places
 * or vertices in all, a linked paragraph the story does not have), and the
 * file is read again whole, so that the error is exactly the one reading it
 * whole gives.
 */

/* Below this, a story is read whole: it takes a few milliseconds. */
#define MIN_BYTES (512 * 1024)

typedef struct
{
  GMutex lock;
  GCond  cond;
  guint  pending;
} Countdown;

typedef struct
{
  const char    *name;
  const char    *data;
  StoryJsonPart  part;
  Countdown     *countdown;
  GPtrArray     *places;      /* StoryPlace *, read; NULL if a fault was met */
  guint          n_vertices;
} PartJob;

static void
read_part (PartJob *job)
{
  gsize len = job->part.end - job->part.start;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) places = g_ptr_array_new_with_free_func (g_object_unref);
  /* Linked paragraphs are checked once the story's are counted. */
  ParseContext ctx = { job->name, G_MAXUINT, 0 };
  g_autoptr(GString) text = g_string_sized_new (len / 4 + 2);
  g_autoptr(GPtrArray) rings = NULL;
  JsonNode *root;
  JsonArray *array;

  /* The run as an array of its own. Rings, most of its text, are read
   * apart where they can be. */
  g_string_append_c (text, '[');
  if (story_json_take_rings (job->data + job->part.start, len, text, &rings))
    ctx.rings = rings;
  else
    g_string_append_len (text, job->data + job->part.start, len);
  g_string_append_c (text, ']');

  if (!json_parser_load_from_data (parser, text->str, text->len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return;

  array = json_node_get_array (root);
  if (json_array_get_length (array) != job->part.n_elements)
    return;

  for (guint i = 0; i < job->part.n_elements; i++)
    {
      StoryPlace *place = NULL;

      if (!_story_document_read_feature (&ctx, json_array_get_element (array, i),
                                         job->part.first_index + i, ids, &place, NULL))
        return;
      g_ptr_array_add (places, place);
      g_hash_table_add (ids, (gpointer)story_place_get_id (place));
    }

  if (rings != NULL && ctx.next_ring != rings->len)
    return;

  job->n_vertices = ctx.n_vertices;
  job->places = g_steal_pointer (&places);
  _story_document_drop_parser_later (g_steal_pointer (&parser));
}

static void
run_part (gpointer data,
          gpointer user_data)
{
  PartJob *job = data;
  Countdown *countdown = job->countdown;

  read_part (job);

  g_mutex_lock (&countdown->lock);
  if (--countdown->pending == 0)
    g_cond_signal (&countdown->cond);
  g_mutex_unlock (&countdown->lock);
}

static void
queue_part (PartJob *job)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (run_part, NULL, MAX (1, (int)g_get_num_processors ()),
                                                 FALSE, NULL));

  g_thread_pool_push (pool, job, NULL);
}

/* The rest of the file, the features' array emptied. */
static gboolean
read_rest (StoryDocument *self,
           ParseContext  *ctx,
           const char    *data,
           gsize          len,
           gsize          value_start,
           gsize          value_end)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) text = g_string_sized_new (len - (value_end - value_start) + 2);
  JsonArray *features;

  g_string_append_len (text, data, value_start);
  g_string_append (text, "[]");
  g_string_append_len (text, data + value_end, len - value_end);

  if (!json_parser_load_from_data (parser, text->str, text->len, NULL) ||
      !_story_document_read_root (self, ctx, json_parser_get_root (parser), NULL))
    return FALSE;

  /* The array read was the one emptied. */
  features = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "features");
  if (json_array_get_length (features) != 0)
    return FALSE;

  _story_document_drop_parser_later (g_steal_pointer (&parser));
  return TRUE;
}

/* Adds the places the parts read, unless anything is wrong between them. */
static gboolean
merge_places (StoryDocument *self,
              ParseContext  *ctx,
              PartJob       *jobs,
              guint          n_jobs)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  guint64 n_vertices = ctx->n_vertices;

  for (guint j = 0; j < n_jobs; j++)
    {
      if (jobs[j].places == NULL)
        return FALSE;

      n_vertices += jobs[j].n_vertices;
      for (guint i = 0; i < jobs[j].places->len; i++)
        {
          StoryPlace *place = g_ptr_array_index (jobs[j].places, i);
          const guint *paragraphs;
          guint n;

          paragraphs = story_place_get_paragraphs (place, &n);
          for (guint p = 0; p < n; p++)
            if (paragraphs[p] > ctx->n_paragraphs)
              return FALSE;

          if (g_hash_table_contains (self->places_by_id, story_place_get_id (place)))
            return FALSE;
          g_hash_table_add (self->places_by_id, (gpointer)story_place_get_id (place));
          g_ptr_array_add (all, place);
        }
    }

  if (all->len > STORY_DOCUMENT_MAX_PLACES || n_vertices > STORY_DOCUMENT_MAX_VERTICES)
    return FALSE;

  g_list_store_splice (self->places, 0, 0, all->pdata, all->len);
  ctx->n_vertices = n_vertices;
  return TRUE;
}

/* Back to an empty document, for a reading of the whole file. */
static void
reset (StoryDocument *self,
       ParseContext  *ctx)
{
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->dateline, g_free);
  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->language, g_free);
  g_ptr_array_set_size (self->paragraphs, 0);
  g_hash_table_remove_all (self->places_by_id);
  g_list_store_remove_all (self->places);
  story_bounds_init_empty (&self->view);
  ctx->n_paragraphs = 0;
  ctx->n_vertices = 0;
}

/**
 * _story_document_read_in_parts:
 * @data: the file's text: valid UTF-8, its nesting depth checked
 * @always: in parts even where reading it whole would be as fast
 *
 * Reads a large story on several threads.
 *
 * Returns: whether the story was read; if not, @self is as it was, empty,
 *   and the file must be read whole
 */
gboolean
_story_document_read_in_parts (StoryDocument *self,
                               ParseContext  *ctx,
                               const char    *data,
                               gsize          len,
                               gboolean       always)
{
  guint n_processors = g_get_num_processors ();
  g_autoptr(GArray) parts = NULL;
  g_autofree PartJob *jobs = NULL;
  Countdown countdown;
  gsize value_start, value_end;
  gboolean read;

  if (!always && len < MIN_BYTES)
    return FALSE;

  if (!story_json_split_member_array (data, len, "features", MAX (2, n_processors),
                                      &value_start, &value_end, &parts))
    return FALSE;

  g_mutex_init (&countdown.lock);
  g_cond_init (&countdown.cond);
  countdown.pending = parts->len;

  jobs = g_new0 (PartJob, parts->len);
  for (guint j = 0; j < parts->len; j++)
    {
      jobs[j] = (PartJob) { ctx->name, data, g_array_index (parts, StoryJsonPart, j), &countdown, NULL, 0 };
      queue_part (&jobs[j]);
    }

  read = read_rest (self, ctx, data, len, value_start, value_end);

  g_mutex_lock (&countdown.lock);
  while (countdown.pending > 0)
    g_cond_wait (&countdown.cond, &countdown.lock);
  g_mutex_unlock (&countdown.lock);
  g_mutex_clear (&countdown.lock);
  g_cond_clear (&countdown.cond);

  read = read && merge_places (self, ctx, jobs, parts->len);

  for (guint j = 0; j < parts->len; j++)
    g_clear_pointer (&jobs[j].places, g_ptr_array_unref);

  if (!read)
    reset (self, ctx);

  return read;
}
