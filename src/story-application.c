/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "story-application.h"
#include "story-check.h"
#include "story-offline-map.h"
#include "story-preferences.h"
#include "story-print.h"
#include "story-window.h"

struct _StoryApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *tile_url;
  char           *mbtiles;

  /* --print-to-pdf and --export-png: the story, where it goes, how */
  StoryDocument  *job_document;
  char           *job_output;
  int             job_scale;
  guint           job_pdf : 1;
  guint           job_source;
  guint           job_quiet_checks;
  gint64          job_deadline;
  int             exit_status;
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
  { "print-to-pdf", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the story’s handout to a PDF file and exit (needs a display)"),
    N_("OUT") },
  { "export-png", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the story’s map to a PNG image and exit (needs a display)"),
    N_("OUT") },
  { "scale", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("With --export-png: 1 for screen resolution, 2 for double"),
    N_("N") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"),
    NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};

/* The story a job prints: FILE, the one argument left on the command line,
 * or the bundled story. */
static StoryDocument *
load_job_document (GVariantDict  *dict,
                   GError       **error)
{
  g_autofree const char **rest = NULL;
  g_autoptr(GFile) file = NULL;

  if (g_variant_dict_lookup (dict, G_OPTION_REMAINING, "^a&ay", &rest) && rest[0] != NULL)
    {
      if (rest[1] != NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("give at most one story file to print or export"));
          return NULL;
        }
      file = g_file_new_for_commandline_arg (rest[0]);
    }
  else
    file = g_file_new_for_uri ("resource://" RESOURCE_PREFIX "/stories/nerkin-hand.storymap.geojson");

  return story_document_load (file, NULL, NULL, error);
}

/* Checks the job's arguments and reads its story; the window that renders
 * the map is made once the application runs. This instance does the job
 * itself, whether or not another one is running. */
static int
prepare_job (StoryApplication *self,
             GVariantDict     *dict)
{
  const char *pdf = NULL, *png = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) out = NULL;
  int scale = 1;

  g_variant_dict_lookup (dict, "print-to-pdf", "^&ay", &pdf);
  g_variant_dict_lookup (dict, "export-png", "^&ay", &png);
  g_variant_dict_lookup (dict, "scale", "i", &scale);

  if ((pdf == NULL) == (png == NULL))
    {
      g_printerr ("%s\n", pdf != NULL ? _("story-map: error: --print-to-pdf and --export-png cannot be given together")
                                      : _("story-map: error: --scale goes with --export-png"));
      return 1;
    }
  if (scale != 1 && scale != 2)
    {
      g_printerr ("%s\n", _("story-map: error: --scale is 1 or 2"));
      return 1;
    }

  self->job_document = load_job_document (dict, &error);
  if (self->job_document == NULL)
    {
      g_autofree char *escaped = story_check_escape (error->message);

      g_printerr (_("story-map: error: %s\n"), escaped);
      return 1;
    }

  if (!gtk_init_check ())
    {
      g_printerr ("%s\n", _("story-map: error: the map is drawn in a window, so printing and exporting need a display (try xvfb-run)"));
      return 1;
    }

  out = g_file_new_for_commandline_arg (pdf != NULL ? pdf : png);
  self->job_output = g_file_get_path (out);
  self->job_pdf = pdf != NULL;
  self->job_scale = scale;

  g_application_set_flags (G_APPLICATION (self),
                           g_application_get_flags (G_APPLICATION (self)) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static int
story_application_handle_local_options (GApplication *app,
                                        GVariantDict *dict)
{
  StoryApplication *self = STORY_APPLICATION (app);
  const char *check = NULL;
  const char *tile_url = NULL;

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
    }

  /* The rest goes to the instance that shows the windows, this one or
   * one already running (see story_application_command_line). */

  if (g_variant_dict_contains (dict, "print-to-pdf") || g_variant_dict_contains (dict, "export-png") ||
      g_variant_dict_contains (dict, "scale"))
    return prepare_job (self, dict);

  return -1;
}

/* Prints or exports once the map has its tiles: the window is shown, the
 * map still and no tile waiting to be drawn for a few checks running. */
static gboolean
job_tick (gpointer user_data)
{
  StoryApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  StoryMapView *map_view;
  ShumateMapSource *base;
  g_autoptr(GError) error = NULL;
  gboolean ready, ok;

  if (!STORY_IS_WINDOW (window))
    return G_SOURCE_CONTINUE;

  map_view = story_window_get_map_view (STORY_WINDOW (window));
  base = story_map_view_get_base_source (map_view);
  ready = gtk_widget_get_mapped (GTK_WIDGET (window)) &&
          gtk_widget_get_width (GTK_WIDGET (map_view)) > 100 &&
          !story_map_view_is_moving (map_view) &&
          (!STORY_IS_OFFLINE_MAP (base) || story_offline_map_get_n_pending (STORY_OFFLINE_MAP (base)) == 0);

  self->job_quiet_checks = ready ? self->job_quiet_checks + 1 : 0;
  if (self->job_quiet_checks < 3 && g_get_monotonic_time () < self->job_deadline)
    return G_SOURCE_CONTINUE;

  if (self->job_pdf)
    ok = story_print_handout (window, self->job_document, map_view, GTK_PRINT_OPERATION_ACTION_EXPORT,
                              self->job_output, &error) == GTK_PRINT_OPERATION_RESULT_APPLY;
  else
    ok = story_map_view_export_png (map_view, self->job_output, self->job_scale, &error);

  if (!ok)
    {
      g_autofree char *name = g_filename_display_name (self->job_output);
      g_autofree char *escaped_name = story_check_escape (name);
      g_autofree char *escaped = story_check_escape (error ? error->message : "");

      if (self->job_pdf)
        /* Translators: the first %s is a file, the second what went wrong */
        g_printerr (_("story-map: error: could not write “%s”: %s\n"), escaped_name, escaped);
      else
        g_printerr (_("story-map: error: %s\n"), escaped);
      self->exit_status = 1;
    }

  self->job_source = 0;
  /* Destroyed, not closed: a job leaves the window's saved state alone. */
  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

static void
start_job (StoryApplication *self)
{
  StoryWindow *window;

  if (self->job_source != 0 || gtk_application_get_active_window (GTK_APPLICATION (self)) != NULL)
    return;

  window = story_window_new (GTK_APPLICATION (self));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  story_window_set_document (window, self->job_document);
  /* The built-in map (or --mbtiles) alone: a handout does not wait on
   * a tile server. */
  story_map_view_set_online_source (story_window_get_map_view (window), NULL);
  gtk_window_present (GTK_WINDOW (window));

  self->job_deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  self->job_source = g_timeout_add (100, job_tick, self);
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

  if (self->job_output != NULL)
    {
      start_job (self);
      return;
    }

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

  /* The story to print was read with the options. */
  if (self->job_output != NULL)
    {
      start_job (self);
      return;
    }

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

      /* Each file has a window of its own: one that fails to open says
       * why there, and offers the way on, without touching the others. */
      story_window_open (new_window (self), files[i]);
    }
}

/* The base map and tile server the command line names go to the windows
 * open already, and to every window made from now on. */
static void
apply_map_options (StoryApplication        *self,
                   GApplicationCommandLine *cmdline,
                   GVariantDict            *dict)
{
  const char *tile_url = NULL;
  const char *mbtiles = NULL;
  g_autofree char *mbtiles_path = NULL;

  if (g_variant_dict_lookup (dict, "tile-url", "&s", &tile_url))
    story_application_set_tile_url (self, tile_url);

  if (g_variant_dict_lookup (dict, "mbtiles", "^&ay", &mbtiles))
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, mbtiles);

      mbtiles_path = g_file_get_path (file);
      g_free (self->mbtiles);
      self->mbtiles = g_strdup (mbtiles_path);
    }

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      g_autoptr(GError) error = NULL;

      if (!STORY_IS_WINDOW (l->data))
        continue;

      if (tile_url != NULL)
        story_window_set_tile_url (l->data, tile_url);
      if (mbtiles_path != NULL && !story_window_open_mbtiles (l->data, mbtiles_path, &error))
        {
          g_autofree char *escaped = story_check_escape (error->message);

          g_application_command_line_printerr (cmdline, _("story-map: error: %s\n"), escaped);
        }
    }
}

/* The command line, in the instance that shows the windows: the first
 * one, or the one already running when story-map is started again. Files
 * and paths are taken relative to where the command was given. */
static int
story_application_command_line (GApplication            *app,
                                GApplicationCommandLine *cmdline)
{
  StoryApplication *self = STORY_APPLICATION (app);
  GVariantDict *dict = g_application_command_line_get_options_dict (cmdline);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree const char **args = NULL;

  if (self->job_output != NULL)
    {
      apply_map_options (self, cmdline, dict);
      start_job (self);
      return 0;
    }

  apply_map_options (self, cmdline, dict);

  if (g_variant_dict_lookup (dict, G_OPTION_REMAINING, "^a&ay", &args))
    for (guint i = 0; args[i] != NULL; i++)
      g_ptr_array_add (files, g_application_command_line_create_file_for_arg (cmdline, args[i]));

  if (files->len > 0)
    G_APPLICATION_GET_CLASS (app)->open (app, (GFile **)files->pdata, files->len, "");
  else
    g_application_activate (app);

  return 0;
}

/* Each window shows the base map and tile server the command line named. */
static void
story_application_window_added (GtkApplication *app,
                                GtkWindow      *window)
{
  StoryApplication *self = STORY_APPLICATION (app);

  GTK_APPLICATION_CLASS (story_application_parent_class)->window_added (app, window);

  if (STORY_IS_WINDOW (window))
    {
      story_window_set_tile_url (STORY_WINDOW (window), self->tile_url);
      story_window_set_mbtiles_file (STORY_WINDOW (window), self->mbtiles);
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
  g_clear_object (&self->job_document);
  g_free (self->job_output);

  G_OBJECT_CLASS (story_application_parent_class)->finalize (object);
}

static void
story_application_shutdown (GApplication *app)
{
  StoryApplication *self = STORY_APPLICATION (app);

  g_clear_handle_id (&self->job_source, g_source_remove);
  story_offline_map_stop_drawing ();

  G_APPLICATION_CLASS (story_application_parent_class)->shutdown (app);
}

static void
story_application_class_init (StoryApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->finalize = story_application_finalize;

  app_class->handle_local_options = story_application_handle_local_options;
  app_class->activate = story_application_activate;
  app_class->open = story_application_open;
  app_class->command_line = story_application_command_line;
  gtk_app_class->window_added = story_application_window_added;
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
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
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

/**
 * story_application_get_exit_status:
 *
 * Returns: 1 if printing or exporting from the command line failed, else 0
 */
int
story_application_get_exit_status (StoryApplication *self)
{
  g_return_val_if_fail (STORY_IS_APPLICATION (self), 1);

  return self->exit_status;
}
