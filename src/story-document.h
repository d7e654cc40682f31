/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "story-links.h"
#include "story-place.h"

G_BEGIN_DECLS

/* Limits on what a story file may hold; each gives its own error. */
#define STORY_DOCUMENT_MAX_FILE_SIZE    (16 * 1024 * 1024)
#define STORY_DOCUMENT_MAX_DEPTH        64
#define STORY_DOCUMENT_MAX_PARAGRAPHS   20000
#define STORY_DOCUMENT_MAX_PLACES       20000
#define STORY_DOCUMENT_MAX_VERTICES     1000000
#define STORY_DOCUMENT_MAX_STRING       (256 * 1024)
#define STORY_DOCUMENT_MAX_NAMES        256   /* "name:<lang>" members of a place */
#define STORY_DOCUMENT_MAX_ALIASES      256   /* of a place */

#define STORY_DOCUMENT_ERROR (story_document_error_quark ())

typedef enum
{
  STORY_DOCUMENT_ERROR_IO,
  STORY_DOCUMENT_ERROR_TOO_LARGE,
  STORY_DOCUMENT_ERROR_EMPTY,
  STORY_DOCUMENT_ERROR_NOT_UTF8,
  STORY_DOCUMENT_ERROR_TOO_DEEP,
  STORY_DOCUMENT_ERROR_SYNTAX,
  STORY_DOCUMENT_ERROR_INVALID,
  STORY_DOCUMENT_ERROR_LIMIT,
  STORY_DOCUMENT_ERROR_NOT_REGULAR,
} StoryDocumentError;

GQuark story_document_error_quark (void);

#define STORY_TYPE_DOCUMENT (story_document_get_type ())

G_DECLARE_FINAL_TYPE (StoryDocument, story_document, STORY, DOCUMENT, GObject)

StoryDocument      *story_document_new_from_bytes  (GBytes               *bytes,
                                                    const char           *display_name,
                                                    GError              **error);
StoryDocument      *story_document_load            (GFile                *file,
                                                    const char           *display_name,
                                                    GCancellable         *cancellable,
                                                    GError              **error);
void                story_document_load_async      (GFile                *file,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
StoryDocument      *story_document_load_finish     (GAsyncResult         *result,
                                                    GError              **error);
GFile              *story_document_get_file        (StoryDocument        *self);
const char         *story_document_get_title       (StoryDocument        *self);
const char         *story_document_get_dateline    (StoryDocument        *self);
const char         *story_document_get_date        (StoryDocument        *self);
const char         *story_document_get_source      (StoryDocument        *self);
const char         *story_document_get_url         (StoryDocument        *self);
const char         *story_document_get_language    (StoryDocument        *self);
guint               story_document_get_n_paragraphs (StoryDocument       *self);
const char         *story_document_get_paragraph   (StoryDocument        *self,
                                                    guint                 paragraph);
const StoryMention *story_document_get_mentions    (StoryDocument        *self,
                                                    guint                 paragraph,
                                                    guint                *n_mentions);
GListModel         *story_document_get_places      (StoryDocument        *self);
guint               story_document_get_n_places    (StoryDocument        *self);
StoryPlace         *story_document_get_place       (StoryDocument        *self,
                                                    guint                 index);
StoryPlace         *story_document_lookup_place    (StoryDocument        *self,
                                                    const char           *id);
void                story_document_get_view        (StoryDocument        *self,
                                                    StoryBounds          *view);
void                story_document_get_paragraph_bounds (StoryDocument   *self,
                                                    guint                 paragraph,
                                                    StoryBounds          *bounds);
GPtrArray          *story_document_get_paragraph_places (StoryDocument   *self,
                                                    guint                 paragraph);

G_END_DECLS
