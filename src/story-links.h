/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where a place is named in a text: byte offsets into the (NFC) text. */
typedef struct
{
  guint start;
  guint end;
  guint place;
} StoryMention;

typedef struct _StoryLinker StoryLinker;

StoryLinker *story_linker_new      (void);
void         story_linker_free     (StoryLinker *self);
void         story_linker_add      (StoryLinker *self,
                                    const char  *name,
                                    guint        place);
GArray      *story_linker_find     (StoryLinker *self,
                                    const char  *text);
guint        story_linker_get_n_patterns (StoryLinker *self);

char        *story_text_to_nfc     (const char  *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoryLinker, story_linker_free)

G_END_DECLS
