/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STORY_TILE_DATA_ERROR (story_tile_data_error_quark ())

typedef enum
{
  STORY_TILE_DATA_ERROR_TOO_LARGE,
  STORY_TILE_DATA_ERROR_NOT_AN_IMAGE,
  STORY_TILE_DATA_ERROR_TRUNCATED,
  STORY_TILE_DATA_ERROR_CORRUPT,
  STORY_TILE_DATA_ERROR_WRONG_DIMENSIONS,
} StoryTileDataError;

typedef enum
{
  STORY_TILE_FORMAT_UNKNOWN,
  STORY_TILE_FORMAT_PNG,
  STORY_TILE_FORMAT_JPEG,
} StoryTileFormat;

GQuark          story_tile_data_error_quark     (void);

StoryTileFormat story_tile_data_sniff           (const guint8  *data,
                                                 gsize          len);
gboolean        story_tile_data_get_dimensions  (GBytes        *bytes,
                                                 guint         *width,
                                                 guint         *height,
                                                 GError       **error);
gboolean        story_tile_data_check_structure (GBytes        *bytes,
                                                 gsize          max_size,
                                                 guint          tile_size,
                                                 GError       **error);
gboolean        story_tile_data_check           (GBytes        *bytes,
                                                 gsize          max_size,
                                                 guint          tile_size,
                                                 GError       **error);

G_END_DECLS
