/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-place-details"

#include "config.h"

#include <glib/gi18n.h>

#include "story-geo.h"
#include "story-map-view.h"
#include "story-paragraph-row.h"
#include "story-place-details.h"
#include "story-text.h"

/*
 * What is known of the selected place: its names, kind, description,
 * coordinates, how far it is from the place selected before, and the
 * paragraphs that name it. It sits on the map as a card rather than in a
 * popover, so that a second click on the marker still reaches the marker.
 */
struct _StoryPlaceDetails
{
  GtkWidget          parent_instance;

  GtkWidget         *box;
  GtkScrolledWindow *scroller;
  GtkLabel          *name_label;
  GtkLabel          *kind_label;
  GtkLabel          *names_label;
  GtkLabel          *description_label;
  GtkLabel          *decimal_label;
  GtkLabel          *dms_label;
  GtkLabel          *route_label;
  GtkLabel          *paragraphs_label;
  GtkWidget         *maps_failed_box;
  GtkWidget         *maps_copy_button;

  StorySelection    *selection;
  GSignalGroup      *selection_signals;
  GCancellable      *launching;
  StoryPlace        *place;
};

G_DEFINE_FINAL_TYPE (StoryPlaceDetails, story_place_details, GTK_TYPE_WIDGET)

static int
compare_languages (gconstpointer a,
                   gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

/* A name set apart for the bidirectional algorithm (FSI … PDI), so that
 * an Arabic name does not pull its "(ar)" or the next "·" to its side,
 * and an override in one name cannot reverse the next (see
 * story-text.c). */
static void
append_isolated (GString    *out,
                 const char *text)
{
  g_autofree char *isolated = story_text_isolate (text);

  g_string_append (out, isolated);
}

/* "Ներքին Հանդ (hy) · Неркин Анд (ru)": names other than the one shown,
 * each once, by language. Linear in the names but for the sort: a name
 * already listed is found in a set, not in the text so far. */
static char *
other_names (StoryPlace *place)
{
  GHashTable *names = story_place_get_names (place);
  g_autoptr(GPtrArray) langs = g_ptr_array_sized_new (g_hash_table_size (names));
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *shown = story_place_get_display_name (place);
  const char *base = story_place_get_name (place);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (langs, key);
  g_ptr_array_sort (langs, compare_languages);

  g_hash_table_add (listed, (gpointer)shown);
  for (guint i = 0; i < langs->len; i++)
    {
      const char *lang = g_ptr_array_index (langs, i);
      const char *name = g_hash_table_lookup (names, lang);
      g_autofree char *isolated_name = NULL;
      g_autofree char *balanced_lang = NULL;

      if (!g_hash_table_add (listed, (gpointer)name))
        continue;

      if (out->len > 0)
        g_string_append (out, " · ");
      isolated_name = story_text_isolate (name);
      /* A language code is text from the file too; between its brackets
       * it need only close what it opens. */
      balanced_lang = story_text_balance (lang);
      /* Translators: a place's name in another language, and the language code */
      g_string_append_printf (out, _("%s (%s)"), isolated_name, balanced_lang);
    }

  /* The name in the file comes first, unless it is shown already or
   * listed under a language. */
  if (!g_hash_table_contains (listed, base))
    {
      g_autoptr(GString) with_base = g_string_sized_new (out->len + strlen (base) + 16);

      append_isolated (with_base, base);
      if (out->len > 0)
        g_string_append (with_base, " · ");
      g_string_append_len (with_base, out->str, out->len);
      return g_string_free (g_steal_pointer (&with_base), FALSE);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The most paragraph links the card shows: a label's layout slows with the
 * square of its links, and a place may be named in every one of 20,000
 * paragraphs. The others are reached by stepping through the mentions. */
#define MAX_PARAGRAPH_LINKS 40

static void
append_paragraph_link (GString *links,
                       guint    paragraph)
{
  /* Underlined and opaque, as the links in the article are. */
  g_string_append_printf (links, "<a href=\"paragraph:%u\"><span fgalpha=\"100%%\" underline=\"single\">%u</span></a>",
                          paragraph, paragraph);
}

static char *
paragraph_links (StoryPlace *place)
{
  const guint *paragraphs;
  guint n, n_links = 0;
  g_autoptr(GString) links = g_string_new (NULL);

  paragraphs = story_place_get_paragraphs (place, &n);

  if (n == 0)
    return g_markup_escape_text (story_place_in_dateline (place)
                                 ? _("Named only in the dateline")
                                 : _("Not named in the text"), -1);

  /* Runs of three or more as "first–last": 1, 4–9, 12 */
  for (guint i = 0; i < n; )
    {
      guint j = i;

      while (j + 1 < n && paragraphs[j + 1] == paragraphs[j] + 1)
        j++;
      if (n_links >= MAX_PARAGRAPH_LINKS)
        {
          g_string_append (links, ", …");
          break;
        }

      if (i > 0)
        g_string_append (links, ", ");
      append_paragraph_link (links, paragraphs[i]);
      if (j >= i + 2)
        {
          g_string_append (links, "–");
          append_paragraph_link (links, paragraphs[j]);
        }
      else
        {
          j = i;
        }
      n_links++;
      i = j + 1;
    }

  /* Translators: followed by links to paragraph numbers, e.g. "Named in paragraphs 9, 10, 11" */
  return g_strdup_printf (ngettext ("Named in paragraph %s", "Named in paragraphs %s", n), links->str);
}

static void
update_route (StoryPlaceDetails *self)
{
  StoryPlace *previous = story_selection_get_previous_place (self->selection);
  double lat1, lon1, lat2, lon2;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *route = NULL;

  if (previous == NULL || previous == self->place)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->route_label), FALSE);
      return;
    }

  story_place_get_anchor (previous, &lat1, &lon1);
  story_place_get_anchor (self->place, &lat2, &lon2);
  from = story_text_balance (story_place_get_display_name (previous));
  to = story_text_balance (story_place_get_display_name (self->place));
  route = story_geo_format_route (from, to,
                                  story_geo_distance_km (lat1, lon1, lat2, lon2),
                                  story_geo_bearing (lat1, lon1, lat2, lon2));
  gtk_label_set_text (self->route_label, route);
  gtk_widget_set_visible (GTK_WIDGET (self->route_label), TRUE);
}

static void
show_place (StoryPlaceDetails *self,
            StoryPlace        *place)
{
  g_autofree char *names = NULL;
  g_autofree char *decimal = NULL;
  g_autofree char *dms = NULL;
  g_autofree char *links = NULL;
  const char *description;
  double lat, lon;

  self->place = place;
  gtk_widget_set_visible (GTK_WIDGET (self), place != NULL);
  if (place == NULL)
    return;

  story_place_get_anchor (place, &lat, &lon);
  names = other_names (place);
  decimal = story_geo_format_decimal (lat, lon);
  dms = story_geo_format_dms (lat, lon);
  links = paragraph_links (place);
  description = story_place_get_description (place);

  story_label_set_story_text (self->name_label, story_place_get_display_name (place));
  gtk_label_set_text (self->kind_label, story_place_kind_get_label (story_place_get_kind (place)));
  gtk_widget_set_visible (GTK_WIDGET (self->names_label), names[0] != '\0');
  /* The list runs in the interface's direction, whatever the first name's:
   * a mark says which, as the names themselves are set apart. */
  if (names[0] != '\0')
    {
      g_autofree char *marked = g_strconcat (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
                                             ? "\u200F" : "\u200E", names, NULL);

      g_free (names);
      names = g_steal_pointer (&marked);
    }
  gtk_label_set_text (self->names_label, names);
  story_label_set_story_text (self->description_label, description);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL);
  gtk_label_set_text (self->decimal_label, decimal);
  gtk_label_set_text (self->dms_label, dms);
  gtk_label_set_markup (self->paragraphs_label, links);
  update_route (self);
  gtk_widget_set_visible (self->maps_failed_box, FALSE);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, story_place_get_display_name (place),
                                  -1);
}

static void
on_selection_changed (StoryPlaceDetails *self,
                      StorySelection    *selection)
{
  show_place (self, story_selection_get_place (selection));
}

static void
on_close_clicked (StoryPlaceDetails *self)
{
  story_place_details_close (self);
}

/* Escape closes the card from anywhere in the window while it shows,
 * unless something nearer the focus (a search entry, a menu) takes the
 * key first. */
static gboolean
on_escape (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;

  story_place_details_close (STORY_PLACE_DETAILS (widget));
  return TRUE;
}

static void
on_copy_clicked (StoryPlaceDetails *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          gtk_label_get_text (self->decimal_label));
}

static gboolean
on_paragraph_link (StoryPlaceDetails *self,
                   const char        *uri,
                   GtkLabel          *label)
{
  guint64 paragraph;

  if (self->place != NULL && self->selection != NULL &&
      g_str_has_prefix (uri, "paragraph:") &&
      g_ascii_string_to_unsigned (uri + 10, 10, 1, G_MAXUINT, &paragraph, NULL))
    story_selection_select_mention (self->selection, (guint)paragraph, self->place);

  return TRUE;
}

/* Where nothing opens geo: URIs, the card says so and offers the
 * coordinates to copy instead; the offer takes the focus, so that a
 * screen reader reads it with the message. */
static void
on_maps_launched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  StoryPlaceDetails *self;

  if (g_app_info_launch_default_for_uri_finish (result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = STORY_PLACE_DETAILS (user_data);
  g_debug ("Could not open the place in a map application: %s", error->message);
  gtk_widget_set_visible (self->maps_failed_box, TRUE);
  gtk_widget_grab_focus (self->maps_copy_button);
}

static void
on_maps_clicked (StoryPlaceDetails *self)
{
  g_autofree char *uri = NULL;
  double lat, lon;

  if (self->place == NULL)
    return;

  story_place_get_anchor (self->place, &lat, &lon);
  uri = story_geo_uri (lat, lon, story_place_get_display_name (self->place));
  g_cancellable_cancel (self->launching);
  g_clear_object (&self->launching);
  self->launching = g_cancellable_new ();
  gtk_widget_set_visible (self->maps_failed_box, FALSE);
  g_app_info_launch_default_for_uri_async (uri, NULL, self->launching, on_maps_launched, self);
}

static void
story_place_details_dispose (GObject *object)
{
  StoryPlaceDetails *self = (StoryPlaceDetails *)object;

  g_clear_object (&self->selection_signals);
  g_clear_object (&self->selection);
  self->place = NULL;
  g_cancellable_cancel (self->launching);
  g_clear_object (&self->launching);
  gtk_widget_dispose_template (GTK_WIDGET (self), STORY_TYPE_PLACE_DETAILS);

  G_OBJECT_CLASS (story_place_details_parent_class)->dispose (object);
}

static void
story_place_details_class_init (StoryPlaceDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_place_details_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/story-place-details.ui");
  /* GtkBuilder finds a type not yet registered by guessing the name of its
   * get_type() function and looking it up in every loaded library. */
  g_type_ensure (GTK_TYPE_BOX);
  g_type_ensure (GTK_TYPE_BUTTON);
  g_type_ensure (GTK_TYPE_LABEL);
  g_type_ensure (GTK_TYPE_SCROLLED_WINDOW);

  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, box);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, scroller);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, name_label);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, kind_label);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, names_label);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, description_label);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, decimal_label);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, dms_label);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, route_label);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, paragraphs_label);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, maps_failed_box);
  gtk_widget_class_bind_template_child (widget_class, StoryPlaceDetails, maps_copy_button);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_paragraph_link);
  gtk_widget_class_bind_template_callback (widget_class, on_maps_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "storyplacedetails");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
story_place_details_init (StoryPlaceDetails *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (on_escape, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  /* On the map the card is never taller than the map less its margins:
   * its text scrolls instead. */
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 12);

  self->selection_signals = g_signal_group_new (STORY_TYPE_SELECTION);
  g_signal_group_connect_object (self->selection_signals, "changed",
                                 G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
}

GtkWidget *
story_place_details_new (void)
{
  return g_object_new (STORY_TYPE_PLACE_DETAILS, NULL);
}

void
story_place_details_set_selection (StoryPlaceDetails *self,
                                   StorySelection    *selection)
{
  g_return_if_fail (STORY_IS_PLACE_DETAILS (self));
  g_return_if_fail (!selection || STORY_IS_SELECTION (selection));

  if (!g_set_object (&self->selection, selection))
    return;

  g_signal_group_set_target (self->selection_signals, selection);
  self->place = NULL;
}

StoryPlace *
story_place_details_get_place (StoryPlaceDetails *self)
{
  g_return_val_if_fail (STORY_IS_PLACE_DETAILS (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self)) ? self->place : NULL;
}

/**
 * story_place_details_get_text:
 * @part: "name", "kind", "names", "description", "decimal", "dms",
 *   "route" or "paragraphs"
 *
 * Returns: the text shown for @part, or %NULL where it is hidden
 */
const char *
story_place_details_get_text (StoryPlaceDetails *self,
                              const char        *part)
{
  const struct { const char *part; GtkLabel *label; } parts[] = {
    { "name", self->name_label },
    { "kind", self->kind_label },
    { "names", self->names_label },
    { "description", self->description_label },
    { "decimal", self->decimal_label },
    { "dms", self->dms_label },
    { "route", self->route_label },
    { "paragraphs", self->paragraphs_label },
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (g_str_equal (parts[i].part, part))
      return gtk_widget_get_visible (GTK_WIDGET (parts[i].label))
             ? pango_layout_get_text (gtk_label_get_layout (parts[i].label)) : NULL;

  return NULL;
}

/**
 * story_place_details_close:
 *
 * Hides the card. Where the focus was in it, it goes back to the place's
 * marker, or else into the map.
 */
void
story_place_details_close (StoryPlaceDetails *self)
{
  GtkWidget *root, *focus, *map;

  g_return_if_fail (STORY_IS_PLACE_DETAILS (self));

  root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  focus = root && GTK_IS_WINDOW (root) ? gtk_window_get_focus (GTK_WINDOW (root)) : NULL;
  map = gtk_widget_get_ancestor (GTK_WIDGET (self), STORY_TYPE_MAP_VIEW);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) && map != NULL)
    {
      GtkWidget *marker = self->place ? story_map_view_get_marker_button (STORY_MAP_VIEW (map), self->place) : NULL;

      if (marker == NULL || !gtk_widget_grab_focus (marker))
        gtk_widget_child_focus (map, GTK_DIR_TAB_FORWARD);
    }
}
