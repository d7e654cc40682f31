/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "story-mbtiles-source.h"
#include "story-preferences.h"

/* Edits the settings a user would change; the window follows them. */
struct _StoryPreferences
{
  AdwPreferencesWindow  parent_instance;

  GtkSwitch            *online_switch;
  AdwActionRow         *metered_row;
  GtkSwitch            *metered_switch;
  AdwEntryRow          *tile_url_row;
  AdwActionRow         *mbtiles_row;
  GtkAdjustment        *delay_adjustment;
  GtkSwitch            *contrast_switch;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (StoryPreferences, story_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static gboolean
is_tile_template (const char *url)
{
  return (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")) &&
         strstr (url, "{z}") && strstr (url, "{x}") && strstr (url, "{y}");
}

/* A template that cannot work is refused, and the setting keeps its value. */
static void
on_tile_url_apply (StoryPreferences *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->tile_url_row));

  if (!is_tile_template (url))
    {
      g_autofree char *current = g_settings_get_string (self->settings, "tile-url");

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("A tile server address starts with https:// and contains {z}, {x} and {y}")));
      gtk_editable_set_text (GTK_EDITABLE (self->tile_url_row), current);
      return;
    }

  g_settings_set_string (self->settings, "tile-url", url);
}

/* The base map belongs to the main window, which checks the file. */
static void
on_choose_clicked (StoryPreferences *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.open-mbtiles", NULL);
}

static void
on_builtin_clicked (StoryPreferences *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.use-builtin-map", NULL);
}

/* A row's subtitle is markup in libadwaita 1.2: the file name is escaped,
 * and shown without the directional formatting that could disguise it. */
static void
update_mbtiles_row (StoryPreferences *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "mbtiles-file");
  g_autofree char *name = NULL;
  g_autofree char *markup = NULL;

  if (path[0] == '\0')
    {
      adw_action_row_set_subtitle (self->mbtiles_row, _("Built-in offline map"));
      return;
    }

  name = story_mbtiles_display_name (path);
  markup = g_markup_escape_text (name, -1);
  adw_action_row_set_subtitle (self->mbtiles_row, markup);
}

static void
story_preferences_dispose (GObject *object)
{
  StoryPreferences *self = (StoryPreferences *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (story_preferences_parent_class)->dispose (object);
}

static void
story_preferences_class_init (StoryPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/story-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, StoryPreferences, online_switch);
  gtk_widget_class_bind_template_child (widget_class, StoryPreferences, metered_row);
  gtk_widget_class_bind_template_child (widget_class, StoryPreferences, metered_switch);
  gtk_widget_class_bind_template_child (widget_class, StoryPreferences, tile_url_row);
  gtk_widget_class_bind_template_child (widget_class, StoryPreferences, mbtiles_row);
  gtk_widget_class_bind_template_child (widget_class, StoryPreferences, delay_adjustment);
  gtk_widget_class_bind_template_child (widget_class, StoryPreferences, contrast_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_tile_url_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_builtin_clicked);
}

static void
story_preferences_init (StoryPreferences *self)
{
  g_autofree char *url = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "online-tiles", self->online_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "download-on-metered", self->metered_switch, "active", G_SETTINGS_BIND_DEFAULT);
  /* Without online tiles there is nothing to download on any connection. */
  g_settings_bind (self->settings, "online-tiles", self->metered_row, "sensitive", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "tour-delay", self->delay_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "high-contrast", self->contrast_switch, "active", G_SETTINGS_BIND_DEFAULT);

  url = g_settings_get_string (self->settings, "tile-url");
  gtk_editable_set_text (GTK_EDITABLE (self->tile_url_row), url);

  g_signal_connect_object (self->settings, "changed::mbtiles-file",
                           G_CALLBACK (update_mbtiles_row), self, G_CONNECT_SWAPPED);
  update_mbtiles_row (self);
}

GtkWidget *
story_preferences_new (GtkWindow *parent)
{
  return g_object_new (STORY_TYPE_PREFERENCES,
                       "transient-for", parent,
                       NULL);
}
