/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STORY_TYPE_APPLICATION (story_application_get_type ())

G_DECLARE_FINAL_TYPE (StoryApplication, story_application, STORY, APPLICATION, AdwApplication)

StoryApplication *story_application_new          (void);
const char       *story_application_get_tile_url (StoryApplication *self);
void              story_application_set_tile_url (StoryApplication *self,
                                                  const char       *tile_url);
const char       *story_application_get_mbtiles  (StoryApplication *self);
int               story_application_get_exit_status (StoryApplication *self);

G_END_DECLS
