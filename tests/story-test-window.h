/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "story-application.h"
#include "story-window.h"

G_BEGIN_DECLS

/* The real window under Xvfb, shared by the GUI tests. */

typedef struct
{
  StoryApplication *app;
  StoryWindow      *window;
  StorySelection   *selection;
  StoryDocument    *document;
} Fixture;

/* Iterates the main loop until @cond holds, failing after a bound. */
#define WAIT_FOR(cond)                                                      \
  G_STMT_START {                                                            \
    gint64 _end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;             \
    while (!(cond))                                                         \
      {                                                                     \
        g_main_context_iteration (NULL, FALSE);                             \
        if (g_get_monotonic_time () > _end)                                 \
          g_error ("Timed out waiting for %s", #cond);                      \
      }                                                                     \
  } G_STMT_END

void       story_test_init          (int           *argc,
                                     char        ***argv);
int        story_test_run           (void);
void       story_test_settle        (void);
void       fixture_set_up           (Fixture       *f,
                                     gconstpointer  data);
void       fixture_tear_down        (Fixture       *f,
                                     gconstpointer  data);
void       maybe_screenshot         (Fixture       *f,
                                     const char    *name);
GdkTexture *story_test_render       (GtkWidget     *widget);
GtkWidget *marker                   (Fixture       *f,
                                     const char    *id);
gboolean   row_in_view              (Fixture       *f,
                                     guint          paragraph);
void       map_centre               (Fixture       *f,
                                     double        *lat,
                                     double        *lon);

gboolean   shows_text               (GtkWidget     *root,
                                     const char    *text);

#define settle story_test_settle

G_END_DECLS
