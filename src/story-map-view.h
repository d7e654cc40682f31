/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

#include "story-place-details.h"
#include "story-selection.h"

G_BEGIN_DECLS

#define STORY_TYPE_MAP_VIEW (story_map_view_get_type ())

G_DECLARE_FINAL_TYPE (StoryMapView, story_map_view, STORY, MAP_VIEW, GtkWidget)

GtkWidget      *story_map_view_new                 (void);
StorySelection *story_map_view_get_selection       (StoryMapView     *self);
void            story_map_view_set_selection       (StoryMapView     *self,
                                                    StorySelection   *selection);
ShumateMap     *story_map_view_get_map             (StoryMapView     *self);
ShumateViewport *story_map_view_get_viewport       (StoryMapView     *self);
void            story_map_view_set_base_source     (StoryMapView     *self,
                                                    ShumateMapSource *source);
ShumateMapSource *story_map_view_get_base_source   (StoryMapView     *self);
void            story_map_view_set_expected_size   (StoryMapView     *self,
                                                    int               width,
                                                    int               height);
void            story_map_view_set_online_source   (StoryMapView     *self,
                                                    ShumateMapSource *source);
ShumateMapSource *story_map_view_get_online_source (StoryMapView     *self);
void            story_map_view_set_offline         (StoryMapView     *self,
                                                    gboolean          offline);
gboolean        story_map_view_get_offline         (StoryMapView     *self);
GtkWidget      *story_map_view_get_marker_button   (StoryMapView     *self,
                                                    StoryPlace       *place);
void            story_map_view_show_bounds         (StoryMapView     *self,
                                                    const StoryBounds *bounds,
                                                    double            max_zoom,
                                                    gboolean          animate);
void            story_map_view_show_place          (StoryMapView     *self,
                                                    StoryPlace       *place,
                                                    gboolean          animate);
void            story_map_view_show_all            (StoryMapView     *self,
                                                    gboolean          animate);
gboolean        story_map_view_is_moving           (StoryMapView     *self);
StoryPlaceDetails *story_map_view_get_place_details (StoryMapView    *self);
void            story_map_view_set_controls_visible (StoryMapView    *self,
                                                     gboolean         visible);
gboolean        story_map_view_get_controls_visible (StoryMapView    *self);
void            story_map_view_set_notice_visible  (StoryMapView     *self,
                                                    gboolean          visible);
gboolean        story_map_view_get_notice_visible  (StoryMapView     *self);

G_END_DECLS
