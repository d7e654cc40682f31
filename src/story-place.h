/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  STORY_PLACE_KIND_OTHER,
  STORY_PLACE_KIND_COUNTRY,
  STORY_PLACE_KIND_REGION,
  STORY_PLACE_KIND_CITY,
  STORY_PLACE_KIND_TOWN,
  STORY_PLACE_KIND_VILLAGE,
  STORY_PLACE_KIND_LANDMARK,
} StoryPlaceKind;

typedef struct
{
  double lat;
  double lon;
} StoryLatLon;

/* An extent in degrees; west may be greater than east only for an extent
 * that crosses the antimeridian, which stories in v1 do not use. */
typedef struct
{
  double west;
  double south;
  double east;
  double north;
} StoryBounds;

void     story_bounds_init_empty (StoryBounds       *bounds);
gboolean story_bounds_is_empty   (const StoryBounds *bounds);
void     story_bounds_extend     (StoryBounds       *bounds,
                                  double             lat,
                                  double             lon);
void     story_bounds_union      (StoryBounds       *bounds,
                                  const StoryBounds *other);
gboolean story_bounds_contains   (const StoryBounds *bounds,
                                  double             lat,
                                  double             lon);

#define STORY_TYPE_PLACE (story_place_get_type ())

G_DECLARE_FINAL_TYPE (StoryPlace, story_place, STORY, PLACE, GObject)

StoryPlace         *story_place_new                  (const char         *id,
                                                      const char         *name,
                                                      StoryPlaceKind      kind);
const char         *story_place_get_id               (StoryPlace         *self);
const char         *story_place_get_name             (StoryPlace         *self);
const char         *story_place_get_display_name     (StoryPlace         *self);
const char         *story_place_get_localized_name   (StoryPlace         *self,
                                                      const char         *language);
GHashTable         *story_place_get_names            (StoryPlace         *self);
void                story_place_set_localized_name   (StoryPlace         *self,
                                                      const char         *language,
                                                      const char         *name);
const char * const *story_place_get_aliases          (StoryPlace         *self);
void                story_place_add_alias            (StoryPlace         *self,
                                                      const char         *alias);
StoryPlaceKind      story_place_get_kind             (StoryPlace         *self);
const char         *story_place_kind_to_string       (StoryPlaceKind      kind);
gboolean            story_place_kind_from_string     (const char         *str,
                                                      StoryPlaceKind     *kind);
const char         *story_place_kind_get_label       (StoryPlaceKind      kind);
const char         *story_place_get_description      (StoryPlace         *self);
void                story_place_set_description      (StoryPlace         *self,
                                                      const char         *description);
void                story_place_get_anchor           (StoryPlace         *self,
                                                      double             *lat,
                                                      double             *lon);
void                story_place_set_anchor           (StoryPlace         *self,
                                                      double              lat,
                                                      double              lon);
gboolean            story_place_is_area              (StoryPlace         *self);
gboolean            story_place_has_outline_kind     (StoryPlace         *self);
void                story_place_add_ring             (StoryPlace         *self,
                                                      GArray             *ring);
guint               story_place_get_n_rings          (StoryPlace         *self);
const StoryLatLon  *story_place_get_ring             (StoryPlace         *self,
                                                      guint               index,
                                                      guint              *n_points);
void                story_place_get_bounds           (StoryPlace         *self,
                                                      StoryBounds        *bounds);
const guint        *story_place_get_paragraphs       (StoryPlace         *self,
                                                      guint              *n_paragraphs);
gboolean            story_place_in_dateline          (StoryPlace         *self);
void                story_place_add_paragraph        (StoryPlace         *self,
                                                      guint               paragraph);
gboolean            story_place_is_mentioned_in      (StoryPlace         *self,
                                                      guint               paragraph);

G_END_DECLS
