/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "story-document.h"

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

gboolean _story_document_parse (StoryDocument  *self,
                                GBytes         *bytes,
                                const char     *display_name,
                                GError        **error);

G_END_DECLS
