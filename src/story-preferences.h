/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STORY_TYPE_PREFERENCES (story_preferences_get_type ())

G_DECLARE_FINAL_TYPE (StoryPreferences, story_preferences, STORY, PREFERENCES, AdwPreferencesWindow)

GtkWidget *story_preferences_new (GtkWindow *parent);

G_END_DECLS
