/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "story-application.h"
#include "story-check.h"
#include "story-offline-map.h"
#include "story-preferences.h"
#include "story-window.h"

struct _StoryApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *tile_url;
  char           *mbtiles;
};

G_DEFINE_FINAL_TYPE (StoryApplication, story_application, ADW_TYPE_APPLICATION)

static const GOptionEntry options[] = {
  { "check", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Check a story file and list where it names each place, without opening a window"),
    N_("FILE") },
  { "tile-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Download map tiles from this URL template, with {z}, {x} and {y}"),
    N_("TEMPLATE") },
  { "mbtiles", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use a local MBTiles file as the base map"),
    N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"),
    NULL },
  { NULL }
};

static int
story_application_handle_local_options (GApplication *app,
                                        GVariantDict *dict)
{
  StoryApplication *self = STORY_APPLICATION (app);
  const char *check = NULL;
  const char *tile_url = NULL;
  const char *mbtiles = NULL;

  if (g_variant_dict_contains (dict, "version"))
    {
      g_print ("%s %s\n", "story-map", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (dict, "check", "^&ay", &check))
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GString) err = g_string_new (NULL);
      gboolean ok = story_check_file (check, out, err);

      fputs (out->str, stdout);
      fputs (err->str, stderr);
      return ok ? 0 : 1;
    }

  if (g_variant_dict_lookup (dict, "tile-url", "&s", &tile_url))
    {
      if (strstr (tile_url, "{z}") == NULL || strstr (tile_url, "{x}") == NULL ||
          strstr (tile_url, "{y}") == NULL ||
          !(g_str_has_prefix (tile_url, "http://") || g_str_has_prefix (tile_url, "https://")))
        {
          g_autofree char *escaped = story_check_escape (tile_url);

          /* Translators: %s is what the user gave to --tile-url */
          g_printerr (_("story-map: error: “%s” is not a tile URL template: it needs http:// or https:// and {z}, {x} and {y}\n"),
                      escaped);
          return 1;
        }
      story_application_set_tile_url (self, tile_url);
    }

  if (g_variant_dict_lookup (dict, "mbtiles", "^&ay", &mbtiles))
    {
      g_free (self->mbtiles);
      self->mbtiles = g_strdup (mbtiles);
    }

  return -1;
}

static StoryWindow *
new_window (StoryApplication *self)
{
  StoryWindow *window = story_window_new (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
story_application_activate (GApplication *app)
{
  StoryApplication *self = STORY_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  /* The story goes in before the window is shown: the tiles of its view
   * are drawn while the window is realized and mapped. */
  window = GTK_WINDOW (story_window_new (GTK_APPLICATION (self)));
  story_window_open_last (STORY_WINDOW (window));
  gtk_window_present (window);
}

static void
story_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  StoryApplication *self = STORY_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      /* A geo: URI from another application: show that point. */
      if (g_file_has_uri_scheme (files[i], "geo"))
        {
          g_autofree char *uri = g_file_get_uri (files[i]);
          GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (app));
          StoryWindow *window = STORY_IS_WINDOW (active) ? STORY_WINDOW (active) : NULL;

          /* Presented below, once it holds its story (or the one it is
           * loading will give way to the point when it arrives). */
          if (window == NULL)
            {
              window = story_window_new (GTK_APPLICATION (self));
              story_window_open_last (window);
            }

          /* A URI that is not one is said in the window, where the user
           * looks, and on the terminal. */
          if (!story_window_show_geo_uri (window, uri))
            {
              g_autofree char *escaped = story_check_escape (uri);

              g_printerr (_("story-map: error: “%s” is not a geo: URI\n"), escaped);
            }
          gtk_window_present (GTK_WINDOW (window));
          continue;
        }

      /* A story that fails to open leaves the bundled one beside its error. */
      story_window_open (new_window (self), files[i]);
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "Story Map contributors", NULL };
  GtkApplication *app = user_data;
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Story Map"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("Story Map contributors"),
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_WEBSITE "/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one a line */
                        "translator-credits", _("translator-credits"),
                        NULL);

  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), _("Map Data"),
                                      "© OpenStreetMap contributors", GTK_LICENSE_CUSTOM,
                                      _("Map tiles and borders from OpenStreetMap, available under the "
                                        "<a href=\"https://www.openstreetmap.org/copyright\">Open Database License</a>."));
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), "Natural Earth",
                                      NULL, GTK_LICENSE_CUSTOM,
                                      _("Coastlines, lakes, rivers, provinces and the former "
                                        "Nagorno-Karabakh oblast boundary from "
                                        "<a href=\"https://www.naturalearthdata.com/\">Natural Earth</a>, "
                                        "in the public domain."));
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), "GeoNames",
                                      NULL, GTK_LICENSE_CUSTOM,
                                      _("Place names and positions from "
                                        "<a href=\"https://www.geonames.org/\">GeoNames</a>, under "
                                        "<a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>."));
  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about), _("Bundled Story"),
                                                (const char *[]) { _("The article is a news report of 13 February 2024"), NULL });

  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (story_preferences_new (parent)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Close each window so that it saves its state. */
  for (GList *l = g_list_copy (windows); l; l = g_list_delete_link (l, l))
    gtk_window_close (l->data);
}

static void
story_application_startup (GApplication *app)
{
  StoryApplication *self = STORY_APPLICATION (app);
  static const char *setting_actions[] = { "online-tiles", "high-contrast" };
  static const GActionEntry entries[] = {
    { "about", about_action },
    { "preferences", preferences_action },
    { "quit", quit_action },
  };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (story_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);

  /* Toggles in the menu that are settings, shared by every window. */
  self->settings = g_settings_new (APPLICATION_ID);
  for (guint i = 0; i < G_N_ELEMENTS (setting_actions); i++)
    {
      g_autoptr(GAction) action = g_settings_create_action (self->settings, setting_actions[i]);

      g_action_map_add_action (G_ACTION_MAP (app), action);
    }
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", help_accels);
}

static void
story_application_finalize (GObject *object)
{
  StoryApplication *self = (StoryApplication *)object;

  g_clear_object (&self->settings);
  g_free (self->tile_url);
  g_free (self->mbtiles);

  G_OBJECT_CLASS (story_application_parent_class)->finalize (object);
}

static void
story_application_shutdown (GApplication *app)
{
  story_offline_map_stop_drawing ();

  G_APPLICATION_CLASS (story_application_parent_class)->shutdown (app);
}

static void
story_application_class_init (StoryApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = story_application_finalize;

  app_class->handle_local_options = story_application_handle_local_options;
  app_class->activate = story_application_activate;
  app_class->open = story_application_open;
  app_class->startup = story_application_startup;
  app_class->shutdown = story_application_shutdown;
}

static void
story_application_init (StoryApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Read a news story beside a map of the places it names."));
}

StoryApplication *
story_application_new (void)
{
  return g_object_new (STORY_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

/* Returns: (nullable): the tile server given on the command line */
const char *
story_application_get_tile_url (StoryApplication *self)
{
  g_return_val_if_fail (STORY_IS_APPLICATION (self), NULL);

  return self->tile_url;
}

void
story_application_set_tile_url (StoryApplication *self,
                                const char       *tile_url)
{
  g_return_if_fail (STORY_IS_APPLICATION (self));

  g_free (self->tile_url);
  self->tile_url = g_strdup (tile_url);
}

/* Returns: (nullable): the MBTiles file given on the command line */
const char *
story_application_get_mbtiles (StoryApplication *self)
{
  g_return_val_if_fail (STORY_IS_APPLICATION (self), NULL);

  return self->mbtiles;
}
