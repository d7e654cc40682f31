/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "story-document.h"
#include "story-place.h"

G_BEGIN_DECLS

/* A document's fields, filled by story-document-parser.c and read through
 * story-document.c. */
struct _StoryDocument
{
  GObject      parent_instance;

  GFile       *file;
  char        *title;
  char        *dateline;
  char        *date;
  char        *source;
  char        *url;
  char        *language;
  GPtrArray   *paragraphs;    /* char *, NFC */
  GPtrArray   *mentions;      /* GArray of StoryMention, [0] is the dateline */
  GListStore  *places;
  GHashTable  *places_by_id;
  StoryBounds  view;
};

typedef enum
{
  STORY_PARSE_DEFAULT = 0,
  STORY_PARSE_WHOLE    = 1 << 0,  /* in one piece, on the calling thread */
  STORY_PARSE_IN_PARTS = 1 << 1,  /* in parts, whatever its size */
} StoryParseFlags;

gboolean _story_document_parse (StoryDocument   *self,
                                GBytes          *bytes,
                                const char      *display_name,
                                StoryParseFlags  flags,
                                GError         **error);

/* Between story-document-parser.c and story-document-parts.c. */

/* What the parser carries along: the name for messages and running totals. */
typedef struct
{
  const char *name;
  guint       n_paragraphs;
  guint       n_vertices;
  GPtrArray  *rings;        /* read apart, or NULL: story_json_take_rings() */
  guint       next_ring;
} ParseContext;

gboolean    _story_document_read_root         (StoryDocument  *self,
                                               ParseContext   *ctx,
                                               JsonNode       *root,
                                               GError        **error);
gboolean    _story_document_read_feature      (ParseContext   *ctx,
                                               JsonNode       *node,
                                               guint           index,
                                               GHashTable     *ids,
                                               StoryPlace    **out_place,
                                               GError        **error);
gboolean    _story_document_read_position     (JsonNode       *node,
                                               const char     *path,
                                               StoryLatLon    *out,
                                               GError        **error);
gboolean    _story_document_read_geometry     (ParseContext   *ctx,
                                               JsonObject     *feature,
                                               const char     *path,
                                               StoryPlace     *place,
                                               GError        **error);
void        _story_document_drop_parser_later (JsonParser     *parser);
gboolean    _story_document_read_in_parts     (StoryDocument  *self,
                                               ParseContext   *ctx,
                                               const char     *data,
                                               gsize           len,
                                               gboolean        always);

/* Reading JSON: each helper sets "PATH: error: …" and returns FALSE or
 * NULL where @node is not what is asked for (story-document-parser.c). */
gboolean    _story_json_fail_at_path (GError      **error,
                                      int           code,
                                      const char   *path,
                                      const char   *format,
                                      ...) G_GNUC_PRINTF (4, 5);
gboolean    _story_json_is_number    (JsonNode     *node);
double      _story_json_number_value (JsonNode     *node);
gboolean    _story_json_get_string   (JsonObject   *object,
                                      const char   *member,
                                      const char   *path,
                                      gboolean      required,
                                      char        **out,
                                      GError      **error);
JsonObject *_story_json_get_object   (JsonNode     *node,
                                      const char   *path,
                                      GError      **error);
JsonArray  *_story_json_get_array    (JsonNode     *node,
                                      const char   *path,
                                      GError      **error);

G_END_DECLS
