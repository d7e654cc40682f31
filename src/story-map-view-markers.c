/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-map-view"

#include "config.h"

#include <glib/gi18n.h>

#include "story-basemap.h"
#include "story-map-view-private.h"
#include "story-text.h"

/* Markers ----------------------------------------------------------------- */

static void
on_marker_clicked (GtkButton    *button,
                   StoryMapView *self)
{
  _story_map_view_activate_place (self, g_object_get_data (G_OBJECT (button), "story-place"));
}

static char *
describe_place (StoryPlace *place)
{
  const guint *paragraphs;
  guint n;
  g_autoptr(GString) list = g_string_new (NULL);

  paragraphs = story_place_get_paragraphs (place, &n);
  if (n == 0)
    /* Translators: a marker's description for screen readers; %s is the kind, e.g. "City" */
    return g_strdup_printf (_("%s, not named in the text"),
                            story_place_kind_get_label (story_place_get_kind (place)));

  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, i == 0 ? "%u" : ", %u", paragraphs[i]);

  /* Translators: a marker's description for screen readers: the kind (e.g. "City")
   * and the paragraph numbers that name it (e.g. "6, 10") */
  return g_strdup_printf (ngettext ("%s, named in paragraph %s", "%s, named in paragraphs %s", n),
                          story_place_kind_get_label (story_place_get_kind (place)), list->str);
}

/**
 * _story_map_view_marker_tooltip:
 *
 * Returns: (transfer full) (nullable): a marker's tooltip: the place's
 *   description, and its name where the marker's is hidden
 */
char *
_story_map_view_marker_tooltip (GtkWidget *button)
{
  StoryPlace *place = g_object_get_data (G_OBJECT (button), "story-place");
  GtkWidget *label = gtk_widget_get_last_child (gtk_button_get_child (GTK_BUTTON (button)));
  const char *description = story_place_get_description (place);
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;

  if (description != NULL)
    shown = story_text_for_label (description, STORY_TEXT_MAX_LABEL_CHARS);
  if (gtk_widget_get_visible (label))
    return g_steal_pointer (&shown);

  name = story_text_for_label (story_place_get_display_name (place), STORY_TEXT_MAX_NAME_CHARS);
  if (shown == NULL)
    return g_steal_pointer (&name);

  return g_strdup_printf ("%s\n%s", name, shown);
}

static gboolean
on_marker_query_tooltip (GtkWidget  *button,
                         int         x,
                         int         y,
                         gboolean    keyboard_mode,
                         GtkTooltip *tooltip,
                         gpointer    user_data)
{
  g_autofree char *text = _story_map_view_marker_tooltip (button);

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/*
 * Puts the pin of a marker's button on the marker's point. libshumate
 * centres a marker's child on its location, so the marker is made as wide
 * again past the pin as the button is; the button takes the half that
 * holds its label. Done here rather than with a spacer in a box beside the
 * button: every widget of a marker costs a style lookup in libadwaita's
 * style sheet, and a story may have hundreds of places.
 */
#define STORY_TYPE_PIN_LAYOUT (story_pin_layout_get_type ())
G_DECLARE_FINAL_TYPE (StoryPinLayout, story_pin_layout, STORY, PIN_LAYOUT, GtkLayoutManager)

struct _StoryPinLayout
{
  GtkLayoutManager parent_instance;
};

G_DEFINE_FINAL_TYPE (StoryPinLayout, story_pin_layout, GTK_TYPE_LAYOUT_MANAGER)

/* The marker's button, and the pin at its start. */
static GtkWidget *
marker_pin (GtkWidget  *marker,
            GtkWidget **button)
{
  *button = gtk_widget_get_first_child (marker);
  return gtk_widget_get_first_child (gtk_button_get_child (GTK_BUTTON (*button)));
}

static int
pin_width (GtkWidget *pin)
{
  int width;

  gtk_widget_measure (pin, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  return width;
}

static void
story_pin_layout_measure (GtkLayoutManager *manager,
                          GtkWidget        *widget,
                          GtkOrientation    orientation,
                          int               for_size,
                          int              *minimum,
                          int              *natural,
                          int              *minimum_baseline,
                          int              *natural_baseline)
{
  GtkWidget *button;
  GtkWidget *pin = marker_pin (widget, &button);

  gtk_widget_measure (button, orientation, for_size, minimum, natural, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int pin_size = pin_width (pin);

      *minimum = 2 * *minimum - pin_size;
      *natural = 2 * *natural - pin_size;
    }
}

static void
story_pin_layout_allocate (GtkLayoutManager *manager,
                           GtkWidget        *widget,
                           int               width,
                           int               height,
                           int               baseline)
{
  GtkWidget *button;
  GtkWidget *pin = marker_pin (widget, &button);
  int button_width = (width + pin_width (pin)) / 2;
  int x = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? 0 : width - button_width;

  gtk_widget_allocate (button, button_width, height, baseline,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (x, 0)));
}

static void
story_pin_layout_class_init (StoryPinLayoutClass *klass)
{
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  manager_class->measure = story_pin_layout_measure;
  manager_class->allocate = story_pin_layout_allocate;
}

static void
story_pin_layout_init (StoryPinLayout *self)
{
}

/* A marker is a real button: a pin on the point, the place's name beside
 * it. */
static ShumateMarker *
create_marker (StoryMapView *self,
               StoryPlace   *place)
{
  g_autofree char *description = describe_place (place);
  ShumateMarker *marker = shumate_marker_new ();
  GtkWidget *button, *content, *pin, *label;
  double lat, lon;

  pin = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_valign (pin, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (pin, "story-marker-pin");

  label = gtk_label_new (NULL);
  {
    g_autofree char *name = story_text_for_label (story_place_get_display_name (place),
                                                  STORY_TEXT_MAX_NAME_CHARS);
    gtk_label_set_text (GTK_LABEL (label), name);
  }
  gtk_widget_add_css_class (label, "story-marker-label");

  content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_box_append (GTK_BOX (content), pin);
  gtk_box_append (GTK_BOX (content), label);

  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_add_css_class (button, "story-marker");
  gtk_widget_add_css_class (button, story_place_kind_to_string (story_place_get_kind (place)));
  /* Asked for when shown: setting a tooltip's text asks the display
   * server where the pointer is, a round trip for each marker. */
  gtk_widget_set_has_tooltip (button, TRUE);
  g_signal_connect (button, "query-tooltip", G_CALLBACK (on_marker_query_tooltip), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, story_place_get_display_name (place),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  g_object_set_data (G_OBJECT (button), "story-place", place);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_marker_clicked), self, 0);

  gtk_widget_set_layout_manager (GTK_WIDGET (marker), g_object_new (STORY_TYPE_PIN_LAYOUT, NULL));
  shumate_marker_set_child (marker, button);
  story_place_get_anchor (place, &lat, &lon);
  shumate_location_set_location (SHUMATE_LOCATION (marker), lat, lon);
  _story_map_view_add_label (self, place, button, pin, label);

  return marker;
}

GtkWidget *
_story_map_view_marker_button (ShumateMarker *marker)
{
  return shumate_marker_get_child (marker);
}

/* The outline of an area: its own rings, or for a region or country the
 * story gives only as a point, the outline of the province (or of the
 * former Nagorno-Karabakh oblast) with that name around the point. All
 * outlines are drawn by one layer, as one path per area. */
static void
add_outline (StoryMapView *self,
             StoryPlace   *place)
{
  g_autoptr(GPtrArray) rings = NULL;
  double lat, lon;

  story_outline_layer_add_area (self->outline_layer, place);

  for (guint r = 0; r < story_place_get_n_rings (place); r++)
    {
      const StoryLatLon *points;
      guint n;

      points = story_place_get_ring (place, r, &n);
      story_outline_layer_add_ring (self->outline_layer, place, points, n);
    }

  if (story_place_get_n_rings (place) > 0 || !story_place_has_outline_kind (place))
    return;

  story_place_get_anchor (place, &lat, &lon);
  if (story_basemap_lookup_area (story_basemap_get_default (), story_place_get_name (place),
                                 lat, lon, &rings))
    for (guint r = 0; r < rings->len; r++)
      {
        GArray *ring = g_ptr_array_index (rings, r);

        story_outline_layer_add_ring (self->outline_layer, place,
                                      (const StoryLatLon *)(gpointer)ring->data, ring->len);
      }
}

void
_story_map_view_remove_outlines (StoryMapView *self)
{
  story_outline_layer_remove_all (self->outline_layer);
  g_ptr_array_set_size (self->shown_outlines, 0);
}

void
_story_map_view_show_outline (StoryMapView *self,
                              StoryPlace   *place)
{
  if (!story_place_is_area (place) && !story_place_has_outline_kind (place))
    return;

  if (!story_outline_layer_has_area (self->outline_layer, place))
    add_outline (self, place);

  if (story_outline_layer_show_area (self->outline_layer, place))
    g_ptr_array_add (self->shown_outlines, place);
}

void
_story_map_view_hide_outlines (StoryMapView *self)
{
  story_outline_layer_hide_all (self->outline_layer);
  g_ptr_array_set_size (self->shown_outlines, 0);
}

gboolean
story_map_view_get_outline_visible (StoryMapView *self,
                                    StoryPlace   *place)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), FALSE);

  for (guint i = 0; i < self->shown_outlines->len; i++)
    if (g_ptr_array_index (self->shown_outlines, i) == place)
      return TRUE;

  return FALSE;
}

void
_story_map_view_activate_place (StoryMapView *self,
                                StoryPlace   *place)
{
  if (self->selection != NULL && place != NULL)
    story_selection_activate_place (self->selection, place);
}

void
_story_map_view_rebuild_markers (StoryMapView *self)
{
  GListModel *places;
  guint n;

  _story_map_view_remove_outlines (self);
  shumate_marker_layer_remove_all (self->marker_layer);
  g_hash_table_remove_all (self->markers);
  story_pin_layer_set_places (self->pin_layer, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->pin_layer), FALSE);
  _story_map_view_clear_labels (self);

  if (self->document == NULL)
    return;

  places = story_document_get_places (self->document);
  n = g_list_model_get_n_items (places);

  if (n > STORY_MAP_VIEW_MAX_MARKERS)
    {
      story_pin_layer_set_places (self->pin_layer, places);
      gtk_widget_set_visible (GTK_WIDGET (self->pin_layer), TRUE);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      StoryPlace *place = story_document_get_place (self->document, i);
      ShumateMarker *marker = create_marker (self, place);

      shumate_marker_layer_add_marker (self->marker_layer, marker);
      g_hash_table_insert (self->markers, place, marker);
    }

  _story_map_view_queue_labels (self);
}

/* Marks the selected place and the places of the current paragraph. */
void
_story_map_view_update_marker_states (StoryMapView *self,
                                      StoryPlace   *selected,
                                      guint         paragraph)
{
  GHashTableIter iter;
  gpointer key, value;

  if (gtk_widget_get_visible (GTK_WIDGET (self->pin_layer)))
    {
      g_autoptr(GPtrArray) highlighted = NULL;

      if (paragraph > 0)
        highlighted = story_document_get_paragraph_places (self->document, paragraph);
      story_pin_layer_set_state (self->pin_layer, selected, highlighted);
      return;
    }

  _story_map_view_queue_labels (self);

  g_hash_table_iter_init (&iter, self->markers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      StoryPlace *place = key;
      GtkWidget *button = _story_map_view_marker_button (value);
      gboolean is_selected = place == selected;
      gboolean in_paragraph = paragraph > 0 && story_place_is_mentioned_in (place, paragraph);

      if (is_selected)
        gtk_widget_add_css_class (button, "selected");
      else
        gtk_widget_remove_css_class (button, "selected");

      if (in_paragraph || is_selected)
        gtk_widget_add_css_class (button, "highlighted");
      else
        gtk_widget_remove_css_class (button, "highlighted");

      gtk_accessible_update_state (GTK_ACCESSIBLE (button),
                                   GTK_ACCESSIBLE_STATE_PRESSED,
                                   is_selected ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                               : GTK_ACCESSIBLE_TRISTATE_FALSE,
                                   -1);
    }
}

