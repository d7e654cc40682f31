/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "story-mbtiles-source.h"

G_BEGIN_DECLS

/* Raster tiles from a local MBTiles 1.3 file: an SQLite database with a
 * metadata (name, value) table and a tiles (zoom_level, tile_column,
 * tile_row, tile_data) table or view, rows counted from the south (TMS).
 *
 * The source's state, shared by story-mbtiles-source.c (the object and its
 * tiles) and story-mbtiles-metadata.c (opening the file, its metadata). */
struct _StoryMbtilesSource
{
  ShumateDataSource  parent_instance;

  char              *path;
  char              *display_name;  /* for messages */
  char              *name;
  char              *format;        /* "png" or "jpg" */
  char              *attribution;
  char              *description;
  guint              min_zoom;
  guint              max_zoom;
  guint              tile_size;     /* STORY_MBTILES_TILE_SIZE or _2X */
  StoryBounds        bounds;
  guint              has_bounds : 1;

  GMutex             mutex;         /* guards tile_stmt across worker threads */
  sqlite3           *db;
  sqlite3_stmt      *tile_stmt;
  gint64             deadline;      /* of the running query, under mutex */
};

/* Opening and describing the file (story-mbtiles-metadata.c). The steps run
 * in this order; each sets @error and returns FALSE where the file cannot be
 * shown. */
gboolean _story_mbtiles_source_check_file             (StoryMbtilesSource  *self,
                                                       GError             **error);
gboolean _story_mbtiles_source_open_database          (StoryMbtilesSource  *self,
                                                       GError             **error);
gboolean _story_mbtiles_source_check_tables           (StoryMbtilesSource  *self,
                                                       GError             **error);
gboolean _story_mbtiles_source_prepare_tile_statement (StoryMbtilesSource  *self,
                                                       GError             **error);
gboolean _story_mbtiles_source_read_metadata          (StoryMbtilesSource  *self,
                                                       GError             **error);
gboolean _story_mbtiles_source_check_tiles            (StoryMbtilesSource  *self,
                                                       GError             **error);

/* Queries: each starts the clock that interrupts it after
 * STORY_MBTILES_MAX_QUERY_TIME seconds; a failed one is reported with the
 * error that matches SQLite's result code @rc. */
void     _story_mbtiles_source_start_query            (StoryMbtilesSource  *self);
void     _story_mbtiles_source_set_sqlite_error       (StoryMbtilesSource  *self,
                                                       GError             **error,
                                                       int                  rc);

G_END_DECLS
