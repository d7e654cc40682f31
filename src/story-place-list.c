/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-place-list"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "story-place-list.h"

/*
 * Every place of the story in a searchable list that mirrors the markers,
 * for readers who do not use a pointer or a map.
 */
struct _StoryPlaceList
{
  GtkWidget       parent_instance;

  GtkSearchEntry *search_entry;
  GtkListBox     *list_box;

  StorySelection *selection;
  StoryDocument  *document;
  GHashTable     *rows;            /* StoryPlace → row */
  char           *search;
  gboolean        stale;           /* rows not yet made for the document */
};

G_DEFINE_FINAL_TYPE (StoryPlaceList, story_place_list, GTK_TYPE_WIDGET)

/* "Dateline and paragraph 11", "Paragraphs 9, 10, 11", … */
char *
story_place_list_describe (StoryPlace *place)
{
  const guint *paragraphs;
  g_autoptr(GString) list = g_string_new (NULL);
  gboolean dateline = story_place_in_dateline (place);
  guint n;

  paragraphs = story_place_get_paragraphs (place, &n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, i ? ", %u" : "%u", paragraphs[i]);

  if (n == 0)
    return g_strdup (dateline ? _("Dateline") : _("Not named in the text"));

  if (dateline)
    /* Translators: %s is a list of paragraph numbers */
    return g_strdup_printf (ngettext ("Dateline and paragraph %s", "Dateline and paragraphs %s", n),
                            list->str);

  /* Translators: %s is a list of paragraph numbers */
  return g_strdup_printf (ngettext ("Paragraph %s", "Paragraphs %s", n), list->str);
}

static gboolean
place_matches (StoryPlace *place,
               const char *search)
{
  const char * const *aliases = story_place_get_aliases (place);
  g_autofree char *name = g_utf8_casefold (story_place_get_display_name (place), -1);
  g_autofree char *base = g_utf8_casefold (story_place_get_name (place), -1);

  if (strstr (name, search) || strstr (base, search))
    return TRUE;

  for (guint i = 0; aliases[i]; i++)
    {
      g_autofree char *alias = g_utf8_casefold (aliases[i], -1);

      if (strstr (alias, search))
        return TRUE;
    }

  return FALSE;
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  StoryPlaceList *self = user_data;
  StoryPlace *place = g_object_get_data (G_OBJECT (row), "story-place");

  return self->search == NULL || self->search[0] == '\0' || place_matches (place, self->search);
}

static void
on_search_changed (StoryPlaceList *self)
{
  story_place_list_set_search_text (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_row_activated (StoryPlaceList *self,
                  GtkListBoxRow  *row)
{
  StoryPlace *place = g_object_get_data (G_OBJECT (row), "story-place");

  if (self->selection != NULL && place != NULL)
    story_selection_activate_place (self->selection, place);
}

static void
mark_current (StoryPlaceList *self)
{
  StoryPlace *current = self->selection ? story_selection_get_place (self->selection) : NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (key == current)
        gtk_widget_add_css_class (value, "current");
      else
        gtk_widget_remove_css_class (value, "current");

      gtk_accessible_update_state (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_STATE_SELECTED,
                                   key == current, -1);
    }
}

static void
clear_rows (StoryPlaceList *self)
{
  GtkWidget *child;

  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))))
    gtk_list_box_remove (self->list_box, child);
}

/* The rows are made when the list is first shown, or asked about: a story
 * of hundreds of places opens without waiting for a list not on screen. */
static void
ensure_rows (StoryPlaceList *self)
{
  if (!self->stale)
    return;

  self->stale = FALSE;
  if (self->document == NULL)
    return;

  for (guint i = 0; i < story_document_get_n_places (self->document); i++)
    {
      StoryPlace *place = story_document_get_place (self->document, i);
      g_autofree char *subtitle = story_place_list_describe (place);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *kind = gtk_label_new (story_place_kind_get_label (story_place_get_kind (place)));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), story_place_get_display_name (place));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_add_css_class (kind, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), kind);
      g_object_set_data (G_OBJECT (row), "story-place", place);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, story_place_get_display_name (place),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                      -1);

      gtk_list_box_append (self->list_box, row);
      g_hash_table_insert (self->rows, place, row);
    }

  mark_current (self);
}

static void
on_selection_changed (StoryPlaceList *self,
                      StorySelection *selection)
{
  mark_current (self);
}

static void
on_document_changed (StoryPlaceList *self,
                     GParamSpec     *pspec,
                     StorySelection *selection)
{
  if (!g_set_object (&self->document, story_selection_get_document (selection)))
    return;

  /* The old rows point at the old document's places: they go now. */
  clear_rows (self);
  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_rows (self);
}

static void
story_place_list_map (GtkWidget *widget)
{
  ensure_rows (STORY_PLACE_LIST (widget));

  GTK_WIDGET_CLASS (story_place_list_parent_class)->map (widget);
}

static void
story_place_list_dispose (GObject *object)
{
  StoryPlaceList *self = (StoryPlaceList *)object;
  GtkWidget *child;

  story_place_list_set_selection (self, NULL);
  g_clear_object (&self->document);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), STORY_TYPE_PLACE_LIST);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (story_place_list_parent_class)->dispose (object);
}

static void
story_place_list_finalize (GObject *object)
{
  StoryPlaceList *self = (StoryPlaceList *)object;

  g_free (self->search);

  G_OBJECT_CLASS (story_place_list_parent_class)->finalize (object);
}

static void
story_place_list_class_init (StoryPlaceListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_place_list_dispose;
  widget_class->map = story_place_list_map;
  object_class->finalize = story_place_list_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/story-place-list.ui");
  /* GtkBuilder finds a type not yet registered by guessing the name of its
   * get_type() function and looking it up in every loaded library. */
  g_type_ensure (GTK_TYPE_BOX);
  g_type_ensure (GTK_TYPE_LIST_BOX);
  g_type_ensure (GTK_TYPE_SCROLLED_WINDOW);
  g_type_ensure (GTK_TYPE_SEARCH_ENTRY);

  gtk_widget_class_bind_template_child (widget_class, StoryPlaceList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceList, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "storyplacelist");
}

static void
story_place_list_init (StoryPlaceList *self)
{
  g_type_ensure (ADW_TYPE_CLAMP);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new (NULL, NULL);
  gtk_list_box_set_filter_func (self->list_box, filter_row, self, NULL);
}

GtkWidget *
story_place_list_new (void)
{
  return g_object_new (STORY_TYPE_PLACE_LIST, NULL);
}

void
story_place_list_set_selection (StoryPlaceList *self,
                                StorySelection *selection)
{
  g_return_if_fail (STORY_IS_PLACE_LIST (self));

  story_selection_follow (&self->selection, selection, self,
                          G_CALLBACK (on_selection_changed), G_CALLBACK (on_document_changed));
}

void
story_place_list_set_search_text (StoryPlaceList *self,
                                  const char     *text)
{
  g_return_if_fail (STORY_IS_PLACE_LIST (self));

  g_free (self->search);
  self->search = text ? g_utf8_casefold (text, -1) : NULL;
  gtk_list_box_invalidate_filter (self->list_box);
}

GtkWidget *
story_place_list_get_row (StoryPlaceList *self,
                          StoryPlace     *place)
{
  g_return_val_if_fail (STORY_IS_PLACE_LIST (self), NULL);

  ensure_rows (self);
  return g_hash_table_lookup (self->rows, place);
}

guint
story_place_list_get_n_visible (StoryPlaceList *self)
{
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;

  g_return_val_if_fail (STORY_IS_PLACE_LIST (self), 0);

  ensure_rows (self);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (gtk_widget_get_child_visible (value) && filter_row (value, self))
      n++;

  return n;
}
