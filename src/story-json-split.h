/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A run of elements of a JSON array, as byte offsets into the text. */
typedef struct
{
  gsize start;        /* the first element's first byte */
  gsize end;          /* just past the last element */
  guint first_index;  /* the first element's index in the array */
  guint n_elements;
} StoryJsonPart;

gboolean story_json_split_member_array (const char  *data,
                                        gsize        len,
                                        const char  *member,
                                        guint        n_parts,
                                        gsize       *value_start,
                                        gsize       *value_end,
                                        GArray     **parts);

gboolean story_json_take_rings         (const char  *data,
                                        gsize        len,
                                        GString     *text,
                                        GPtrArray  **rings);

G_END_DECLS
