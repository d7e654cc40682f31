/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-document"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "story-document-private.h"

/*
 * A story file, loaded and checked: the article, its places and where the
 * text names them. A document never changes once loaded; opening another
 * file makes a new one.
 */

G_DEFINE_FINAL_TYPE (StoryDocument, story_document, G_TYPE_OBJECT)
G_DEFINE_QUARK (story-document-error-quark, story_document_error)


static void
story_document_finalize (GObject *object)
{
  StoryDocument *self = (StoryDocument *)object;

  g_clear_object (&self->file);
  g_free (self->title);
  g_free (self->dateline);
  g_free (self->date);
  g_free (self->source);
  g_free (self->url);
  g_free (self->language);
  g_ptr_array_unref (self->paragraphs);
  g_ptr_array_unref (self->mentions);
  g_object_unref (self->places);
  g_hash_table_unref (self->places_by_id);

  G_OBJECT_CLASS (story_document_parent_class)->finalize (object);
}

static void
story_document_class_init (StoryDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = story_document_finalize;
}

static void
story_document_init (StoryDocument *self)
{
  self->paragraphs = g_ptr_array_new_with_free_func (g_free);
  self->mentions = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  self->places = g_list_store_new (STORY_TYPE_PLACE);
  self->places_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  story_bounds_init_empty (&self->view);
}

/* Finds every place's mentions in the dateline and the paragraphs. */
static void
link_places (StoryDocument *self)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  guint n_places = g_list_model_get_n_items (G_LIST_MODEL (self->places));

  for (guint i = 0; i < n_places; i++)
    {
      g_autoptr(StoryPlace) place = g_list_model_get_item (G_LIST_MODEL (self->places), i);
      const char * const *aliases = story_place_get_aliases (place);

      story_linker_add (linker, story_place_get_name (place), i);
      for (guint j = 0; aliases[j] != NULL; j++)
        story_linker_add (linker, aliases[j], i);
    }

  for (guint p = 0; p <= self->paragraphs->len; p++)
    {
      const char *text = p == 0 ? self->dateline : g_ptr_array_index (self->paragraphs, p - 1);
      GArray *mentions = text ? story_linker_find (linker, text)
                              : g_array_new (FALSE, FALSE, sizeof (StoryMention));

      for (guint m = 0; m < mentions->len; m++)
        {
          guint place = g_array_index (mentions, StoryMention, m).place;
          StoryPlace *item = g_list_model_get_item (G_LIST_MODEL (self->places), place);

          story_place_add_paragraph (item, p);
          g_object_unref (item);
        }

      g_ptr_array_add (self->mentions, mentions);
    }
}

/* With no view in the file, the story opens on all its places. */
static void
compute_view (StoryDocument *self)
{
  if (!story_bounds_is_empty (&self->view))
    return;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->places)); i++)
    {
      g_autoptr(StoryPlace) place = g_list_model_get_item (G_LIST_MODEL (self->places), i);
      StoryBounds b;

      story_place_get_bounds (place, &b);
      story_bounds_union (&self->view, &b);
    }
}

/**
 * story_document_new_from_bytes:
 * @bytes: the contents of a story file
 * @display_name: how to name the file in errors
 *
 * Parses and checks a story. Errors read "NAME:LINE:COLUMN: error: …" where
 * the JSON itself is broken and "NAME: /json/path: error: …" where its
 * content is wrong.
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
StoryDocument *
story_document_new_from_bytes (GBytes      *bytes,
                               const char  *display_name,
                               GError     **error)
{
  g_autoptr(StoryDocument) self = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  self = g_object_new (STORY_TYPE_DOCUMENT, NULL);
  if (!_story_document_parse (self, bytes, display_name, STORY_PARSE_DEFAULT, error))
    return NULL;

  link_places (self);
  compute_view (self);

  return g_steal_pointer (&self);
}

/* Reading a file --------------------------------------------------------------
 *
 * Only a regular file can be a story: a device such as /dev/zero never
 * ends, and a pipe blocks until something writes to it. The type is checked
 * before opening and again on what was opened (the path may have changed in
 * between), and the size limit is kept while reading, whatever the size
 * said: at most one byte past the limit is ever read.
 */

static gboolean
fail_not_regular (GError     **error,
                  const char  *name,
                  gboolean     folder)
{
  const char *detail;

  if (folder)
    detail = _("This is a folder, not a story file");
  else
    /* Translators: said of a device (such as /dev/zero), a pipe or a socket */
    detail = _("This is not a regular file: only a regular file can be a story");

  /* Translators: the first %s is a file name, the second what is wrong */
  g_set_error (error, STORY_DOCUMENT_ERROR,
               folder ? STORY_DOCUMENT_ERROR_IO : STORY_DOCUMENT_ERROR_NOT_REGULAR,
               _("%s: error: %s"), name, detail);
  return FALSE;
}

static gboolean
fail_too_large (GError     **error,
                const char  *name)
{
  g_autofree char *detail = g_strdup_printf (_("The file is larger than the limit of %u MB"),
                                             STORY_DOCUMENT_MAX_FILE_SIZE / (1024 * 1024));

  g_set_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_TOO_LARGE,
               _("%s: error: %s"), name, detail);
  return FALSE;
}

/* Names the file in @local_error's message; a cancelled load stays so. */
static void
fail_io (GError     **error,
         const char  *name,
         GError      *local_error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (local_error));
  else
    g_set_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_IO,
                 _("%s: error: %s"), name, local_error->message);
}

typedef gssize (*ReadFunc) (gpointer       source,
                            char          *buffer,
                            gsize          count,
                            GCancellable  *cancellable,
                            GError       **error);

static gssize
read_fd (gpointer       source,
         char          *buffer,
         gsize          count,
         GCancellable  *cancellable,
         GError       **error)
{
  int fd = GPOINTER_TO_INT (source);

  for (;;)
    {
      gssize n;
      int saved_errno;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;

      n = read (fd, buffer, count);
      if (n >= 0)
        return n;

      saved_errno = errno;
      if (saved_errno != EINTR)
        {
          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          return -1;
        }
    }
}

static gssize
read_stream (gpointer       source,
             char          *buffer,
             gsize          count,
             GCancellable  *cancellable,
             GError       **error)
{
  return g_input_stream_read (G_INPUT_STREAM (source), buffer, count, cancellable, error);
}

/* Reads to the end, or fails once past the limit. @size_hint is what the
 * file said its size was. */
static GBytes *
read_capped (ReadFunc       read_func,
             gpointer       source,
             goffset        size_hint,
             const char    *name,
             GCancellable  *cancellable,
             GError       **error)
{
  const gsize limit = STORY_DOCUMENT_MAX_FILE_SIZE;
  gsize capacity = MIN ((gsize)MAX (size_hint, 4095), limit) + 1;
  g_autofree char *data = g_malloc (capacity);
  gsize length = 0;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n;

      if (length == capacity)
        {
          if (capacity > limit)
            {
              fail_too_large (error, name);
              return NULL;
            }
          capacity = MIN (capacity * 2, limit + 1);
          data = g_realloc (data, capacity);
        }

      n = read_func (source, data + length, capacity - length, cancellable, &local_error);
      if (n < 0)
        {
          fail_io (error, name, local_error);
          return NULL;
        }
      if (n == 0)
        break;
      length += n;
    }

  return g_bytes_new_take (g_steal_pointer (&data), length);
}

static gboolean
check_stat (const struct stat  *st,
            const char         *name,
            GError            **error)
{
  if (!S_ISREG (st->st_mode))
    return fail_not_regular (error, name, S_ISDIR (st->st_mode));
  if (st->st_size > STORY_DOCUMENT_MAX_FILE_SIZE)
    return fail_too_large (error, name);
  return TRUE;
}

static void
fail_errno (GError     **error,
            const char  *name,
            int          saved_errno)
{
  g_autoptr(GError) local_error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                                       g_strerror (saved_errno));

  fail_io (error, name, local_error);
}

static GBytes *
read_local (const char    *path,
            const char    *name,
            GCancellable  *cancellable,
            GError       **error)
{
  GBytes *bytes;
  struct stat st;
  int fd;

  /* Follows symbolic links: what counts is what they lead to. A device
   * is refused before it is ever opened. */
  if (stat (path, &st) != 0)
    {
      fail_errno (error, name, errno);
      return NULL;
    }
  if (!check_stat (&st, name, error))
    return NULL;

  /* Should the path have become a pipe since, opening it must not wait
   * for a writer; what was opened is checked again. */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    {
      fail_errno (error, name, errno);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      fail_errno (error, name, errno);
      close (fd);
      return NULL;
    }
  if (!check_stat (&st, name, error))
    {
      close (fd);
      return NULL;
    }

  bytes = read_capped (read_fd, GINT_TO_POINTER (fd), st.st_size, name, cancellable, error);
  close (fd);

  return bytes;
}

/* A file that is not on a local disk: through GIO. */
static GBytes *
read_remote (GFile         *file,
             const char    *name,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  GFileType type;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      fail_io (error, name, local_error);
      return NULL;
    }

  type = g_file_info_get_file_type (info);
  if (type != G_FILE_TYPE_REGULAR)
    {
      fail_not_regular (error, name, type == G_FILE_TYPE_DIRECTORY);
      return NULL;
    }
  if (g_file_info_get_size (info) > STORY_DOCUMENT_MAX_FILE_SIZE)
    {
      fail_too_large (error, name);
      return NULL;
    }

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      fail_io (error, name, local_error);
      return NULL;
    }

  return read_capped (read_stream, stream, g_file_info_get_size (info), name, cancellable, error);
}

/**
 * story_document_load:
 * @display_name: (nullable): how to name the file in errors, or %NULL for
 *   its path
 *
 * Reads and parses a story file. Only a regular file (or a symbolic link to
 * one) is read, and never more of it than the size limit. Blocks: use
 * story_document_load_async() from the main thread.
 */
StoryDocument *
story_document_load (GFile         *file,
                     const char    *display_name,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  const char *path;
  StoryDocument *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = display_name ? g_strdup (display_name) : g_file_get_parse_name (file);
  path = g_file_peek_path (file);

  if (g_file_has_uri_scheme (file, "resource"))
    {
      /* Compiled in: GIO hands over the data without a copy. */
      bytes = g_file_load_bytes (file, cancellable, NULL, &local_error);
      if (bytes == NULL)
        fail_io (error, name, local_error);
    }
  else if (path != NULL)
    bytes = read_local (path, name, cancellable, error);
  else
    bytes = read_remote (file, name, cancellable, error);

  if (bytes == NULL)
    return NULL;

  self = story_document_new_from_bytes (bytes, name, error);
  if (self != NULL)
    self->file = g_object_ref (file);

  return self;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  StoryDocument *self;

  self = story_document_load (G_FILE (task_data), NULL, cancellable, &error);
  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

/* Loads a story off the main thread. */
void
story_document_load_async (GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, story_document_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

StoryDocument *
story_document_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GFile *
story_document_get_file (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->file;
}

const char *
story_document_get_title (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->title;
}

const char *
story_document_get_dateline (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->dateline;
}

const char *
story_document_get_date (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->date;
}

const char *
story_document_get_source (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->source;
}

const char *
story_document_get_url (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->url;
}

const char *
story_document_get_language (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->language;
}

guint
story_document_get_n_paragraphs (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), 0);

  return self->paragraphs->len;
}

/* Paragraphs are numbered from 1; 0 is the dateline. */
const char *
story_document_get_paragraph (StoryDocument *self,
                              guint          paragraph)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (paragraph <= self->paragraphs->len, NULL);

  if (paragraph == 0)
    return self->dateline;

  return g_ptr_array_index (self->paragraphs, paragraph - 1);
}

const StoryMention *
story_document_get_mentions (StoryDocument *self,
                             guint          paragraph,
                             guint         *n_mentions)
{
  GArray *mentions;

  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (paragraph <= self->paragraphs->len, NULL);

  mentions = g_ptr_array_index (self->mentions, paragraph);
  *n_mentions = mentions->len;

  return (const StoryMention *)(gpointer)mentions->data;
}

GListModel *
story_document_get_places (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return G_LIST_MODEL (self->places);
}

guint
story_document_get_n_places (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->places));
}

/* Returns: (transfer none): the place at @index */
StoryPlace *
story_document_get_place (StoryDocument *self,
                          guint          index)
{
  g_autoptr(StoryPlace) place = NULL;

  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  /* The store holds a reference for the document's lifetime. */
  place = g_list_model_get_item (G_LIST_MODEL (self->places), index);
  return place;
}

StoryPlace *
story_document_lookup_place (StoryDocument *self,
                             const char    *id)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return g_hash_table_lookup (self->places_by_id, id);
}

void
story_document_get_view (StoryDocument *self,
                         StoryBounds   *view)
{
  g_return_if_fail (STORY_IS_DOCUMENT (self));

  *view = self->view;
}

/**
 * story_document_get_paragraph_places:
 *
 * Returns: (transfer container): the places @paragraph names or links,
 *   each once, in the order of the file
 */
GPtrArray *
story_document_get_paragraph_places (StoryDocument *self,
                                     guint          paragraph)
{
  GPtrArray *places = g_ptr_array_new ();

  g_return_val_if_fail (STORY_IS_DOCUMENT (self), places);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->places)); i++)
    {
      StoryPlace *place = story_document_get_place (self, i);

      if (story_place_is_mentioned_in (place, paragraph))
        g_ptr_array_add (places, place);
    }

  return places;
}

/* The extent of every place @paragraph names; empty when it names none. */
void
story_document_get_paragraph_bounds (StoryDocument *self,
                                     guint          paragraph,
                                     StoryBounds   *bounds)
{
  g_autoptr(GPtrArray) places = NULL;

  g_return_if_fail (STORY_IS_DOCUMENT (self));

  story_bounds_init_empty (bounds);
  places = story_document_get_paragraph_places (self, paragraph);

  for (guint i = 0; i < places->len; i++)
    {
      StoryBounds b;

      story_place_get_bounds (g_ptr_array_index (places, i), &b);
      story_bounds_union (bounds, &b);
    }
}
