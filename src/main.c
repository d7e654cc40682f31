/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "story-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StoryApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  /* STORY_MAP_LOCALEDIR shows a build's translations without installing. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STORY_MAP_LOCALEDIR") ?: LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = story_application_new ();

  status = g_application_run (G_APPLICATION (app), argc, argv);

  /* Printing or exporting from the command line says how it went. */
  return status != 0 ? status : story_application_get_exit_status (app);
}
