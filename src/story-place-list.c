/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-place-list"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "story-place-list.h"
#include "story-text.h"

/*
 * Every place of the story in a searchable list that mirrors the markers,
 * for readers who do not use a pointer or a map. The list is a
 * GtkListView: rows are made for the places on screen only, so a story of
 * thousands of places costs no more to show than one of ten.
 */
struct _StoryPlaceList
{
  GtkWidget           parent_instance;

  GtkSearchEntry     *search_entry;
  GtkListView        *list_view;
  GtkWidget          *scroller;
  GtkWidget          *empty_page;

  StorySelection     *selection;
  GSignalGroup       *selection_signals;
  StoryDocument      *document;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  GHashTable         *rows;        /* StoryPlace → its row, while on screen */
  char               *search;
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

/* @text as searched: case folded, without accents or other marks on its
 * letters ("Bakü" as "baku", "Ереван" as "ереван"). */
static char *
search_key (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  g_autoptr(GString) bare = g_string_sized_new (strlen (text));

  if (decomposed == NULL)
    return g_strdup ("");

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type != G_UNICODE_NON_SPACING_MARK && type != G_UNICODE_ENCLOSING_MARK)
        g_string_append_unichar (bare, c);
    }

  return g_utf8_casefold (bare->str, bare->len);
}

static gboolean
name_matches (const char *name,
              const char *search)
{
  g_autofree char *key = name ? search_key (name) : NULL;

  return key != NULL && strstr (key, search) != NULL;
}

/* Any of a place's names: the one shown, the one in the file, those in
 * other languages and its aliases. */
static gboolean
place_matches (StoryPlace *place,
               const char *search)
{
  const char * const *aliases = story_place_get_aliases (place);
  GHashTableIter iter;
  gpointer name;

  if (name_matches (story_place_get_display_name (place), search) ||
      name_matches (story_place_get_name (place), search))
    return TRUE;

  for (guint i = 0; aliases[i]; i++)
    if (name_matches (aliases[i], search))
      return TRUE;

  g_hash_table_iter_init (&iter, story_place_get_names (place));
  while (g_hash_table_iter_next (&iter, NULL, &name))
    if (name_matches (name, search))
      return TRUE;

  return FALSE;
}

static gboolean
filter_place (gpointer item,
              gpointer user_data)
{
  StoryPlaceList *self = user_data;

  return self->search == NULL || self->search[0] == '\0' || place_matches (item, self->search);
}

static void
on_search_changed (StoryPlaceList *self)
{
  story_place_list_set_search_text (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
activate_place (StoryPlaceList *self,
                StoryPlace     *place)
{
  if (self->selection != NULL && place != NULL)
    story_selection_activate_place (self->selection, place);
}

/* A click on a row. */
static void
on_list_activate (StoryPlaceList *self,
                  guint           position)
{
  g_autoptr(StoryPlace) place = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  activate_place (self, place);
}

/* Enter or Space on a row, or a screen reader's action. */
static void
on_row_activate (GtkListBoxRow  *row,
                 StoryPlaceList *self)
{
  activate_place (self, g_object_get_data (G_OBJECT (row), "story-place"));
}

static void
mark_row (GtkWidget *row,
          gboolean   current)
{
  if (current)
    gtk_widget_add_css_class (row, "current");
  else
    gtk_widget_remove_css_class (row, "current");

  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED, current, -1);
}

static void
mark_current (StoryPlaceList *self)
{
  StoryPlace *current = self->selection ? story_selection_get_place (self->selection) : NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    mark_row (value, key == current);
}

/* A row: the place's name, where the text names it, and its kind. */
static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           StoryPlaceList           *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *kind = gtk_label_new (NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (kind, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), kind);
  g_object_set_data (G_OBJECT (row), "story-kind", kind);
  g_signal_connect_object (row, "activate", G_CALLBACK (on_row_activate), self, 0);
  /* Named by the label bind_row() gives it, not by its title and the
   * label both, which a reader would read twice. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_list_item_set_child (item, row);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          StoryPlaceList           *self)
{
  StoryPlace *place = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkLabel *kind = g_object_get_data (G_OBJECT (row), "story-kind");
  g_autofree char *subtitle = story_place_list_describe (place);
  g_autofree char *name = story_text_for_label (story_place_get_display_name (place),
                                                STORY_TEXT_MAX_NAME_CHARS);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_label_set_label (kind, story_place_kind_get_label (story_place_get_kind (place)));
  g_object_set_data (G_OBJECT (row), "story-place", place);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, story_place_get_display_name (place),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);
  /* The list's own item around the row is what takes the focus: a
   * reader names it too. */
  if (gtk_widget_get_parent (row) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (row)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, story_place_get_display_name (place),
                                    -1);
  mark_row (row, self->selection != NULL && story_selection_get_place (self->selection) == place);
  g_hash_table_insert (self->rows, place, row);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            StoryPlaceList           *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  StoryPlace *place = g_object_get_data (G_OBJECT (row), "story-place");

  if (place != NULL && g_hash_table_lookup (self->rows, place) == row)
    g_hash_table_remove (self->rows, place);
  g_object_set_data (G_OBJECT (row), "story-place", NULL);
}

/* A search that finds nothing says so, rather than show an empty list. */
static void
update_empty (StoryPlaceList *self)
{
  gboolean empty = self->document != NULL && self->search != NULL && self->search[0] != '\0' &&
                   g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0;

  gtk_widget_set_visible (self->empty_page, empty);
  gtk_widget_set_visible (self->scroller, !empty);
}

/* The current place's row, if the search lets the list show it, is
 * brought into view. */
static void
scroll_to_current (StoryPlaceList *self)
{
  StoryPlace *current = self->selection ? story_selection_get_place (self->selection) : NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (current == NULL)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StoryPlace) place = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (place == current)
        {
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          return;
        }
    }
}

static void
on_selection_changed (StoryPlaceList *self,
                      StorySelection *selection)
{
  mark_current (self);
  scroll_to_current (self);
}

static void
on_document_changed (StoryPlaceList *self,
                     GParamSpec     *pspec,
                     StorySelection *selection)
{
  if (!g_set_object (&self->document, story_selection_get_document (selection)))
    return;

  gtk_filter_list_model_set_model (self->filtered,
                                   self->document ? story_document_get_places (self->document) : NULL);
  update_empty (self);
}

/* A selection followed from now on brings its document. */
static void
on_selection_bind (StoryPlaceList *self,
                   StorySelection *selection)
{
  on_document_changed (self, NULL, selection);
}

static void
story_place_list_dispose (GObject *object)
{
  StoryPlaceList *self = (StoryPlaceList *)object;
  GtkWidget *child;

  g_clear_object (&self->selection_signals);
  g_clear_object (&self->selection);
  gtk_widget_dispose_template (GTK_WIDGET (self), STORY_TYPE_PLACE_LIST);
  g_clear_object (&self->document);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (story_place_list_parent_class)->dispose (object);
}

static void
story_place_list_finalize (GObject *object)
{
  StoryPlaceList *self = (StoryPlaceList *)object;

  g_free (self->search);
  g_hash_table_unref (self->rows);

  G_OBJECT_CLASS (story_place_list_parent_class)->finalize (object);
}

static void
story_place_list_class_init (StoryPlaceListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_place_list_dispose;
  object_class->finalize = story_place_list_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/story-place-list.ui");
  /* GtkBuilder finds a type not yet registered by guessing the name of its
   * get_type() function and looking it up in every loaded library. */
  g_type_ensure (GTK_TYPE_BOX);
  g_type_ensure (GTK_TYPE_LIST_VIEW);
  g_type_ensure (GTK_TYPE_SCROLLED_WINDOW);
  g_type_ensure (GTK_TYPE_SEARCH_ENTRY);

  gtk_widget_class_bind_template_child (widget_class, StoryPlaceList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceList, list_view);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceList, scroller);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceList, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "storyplacelist");
}

static void
story_place_list_init (StoryPlaceList *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) model = NULL;

  g_type_ensure (ADW_TYPE_CLAMP_SCROLLABLE);
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new (NULL, NULL);
  self->filter = gtk_custom_filter_new (filter_place, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  model = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));

  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (model));

  self->selection_signals = g_signal_group_new (STORY_TYPE_SELECTION);
  g_signal_group_connect_object (self->selection_signals, "changed",
                                 G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->selection_signals, "notify::document",
                                 G_CALLBACK (on_document_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection_signals, "bind",
                           G_CALLBACK (on_selection_bind), self, G_CONNECT_SWAPPED);
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
  g_return_if_fail (!selection || STORY_IS_SELECTION (selection));

  if (g_set_object (&self->selection, selection))
    g_signal_group_set_target (self->selection_signals, selection);
}

void
story_place_list_set_search_text (StoryPlaceList *self,
                                  const char     *text)
{
  g_return_if_fail (STORY_IS_PLACE_LIST (self));

  g_free (self->search);
  self->search = text ? search_key (text) : NULL;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty (self);
}

/**
 * story_place_list_get_row:
 *
 * Returns: (transfer none) (nullable): the row of @place, if the list
 *   shows it now: rows are made only for the places on screen
 */
GtkWidget *
story_place_list_get_row (StoryPlaceList *self,
                          StoryPlace     *place)
{
  g_return_val_if_fail (STORY_IS_PLACE_LIST (self), NULL);

  return g_hash_table_lookup (self->rows, place);
}

/* Returns: how many places the search finds */
guint
story_place_list_get_n_visible (StoryPlaceList *self)
{
  g_return_val_if_fail (STORY_IS_PLACE_LIST (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

/**
 * story_place_list_focus:
 *
 * Moves the keyboard focus into the list, to its search: what F6 does
 * when it comes to the place list. The selected place's row is in view
 * below it.
 *
 * Returns: whether the list took the focus
 */
gboolean
story_place_list_focus (StoryPlaceList *self)
{
  g_return_val_if_fail (STORY_IS_PLACE_LIST (self), FALSE);

  scroll_to_current (self);
  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
