/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-map-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "story-basemap.h"
#include "story-geo.h"
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

/* Whether @place's marker stands for an area rather than a point. */
static gboolean
is_area_marker (StoryPlace *place)
{
  StoryPlaceKind kind = story_place_get_kind (place);

  return story_place_is_area (place) || kind == STORY_PLACE_KIND_REGION || kind == STORY_PLACE_KIND_COUNTRY;
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

  /* Areas first, so that a point's pin is drawn over an area's marker. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        StoryPlace *place = story_document_get_place (self->document, i);
        ShumateMarker *marker;

        if (is_area_marker (place) != (pass == 0))
          continue;

        marker = create_marker (self, place);
        shumate_marker_layer_add_marker (self->marker_layer, marker);
        g_hash_table_insert (self->markers, place, marker);
      }

  _story_map_view_queue_labels (self);
  _story_map_view_queue_edge_hints (self);
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


/* Places off the map ------------------------------------------------------
 *
 * A place whose marker is off the map has a button at the map's edge, in
 * its direction from the middle of the map: one button for every place in
 * the same direction. It names them and flies to them.
 */

static const char *const direction_classes[STORY_MAP_VIEW_N_DIRECTIONS] = {
  "north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west",
};

/* Where each direction's button stands: clear of the zoom buttons at the
 * top right and of the scale and the credit along the bottom. */
static const struct
{
  GtkAlign halign, valign;
  int      margin_top, margin_bottom, margin_start, margin_end;
} direction_places[STORY_MAP_VIEW_N_DIRECTIONS] = {
  { GTK_ALIGN_CENTER, GTK_ALIGN_START,  8,   0,  0,  0 },
  { GTK_ALIGN_END,    GTK_ALIGN_START,  96,  0,  0,  8 },
  { GTK_ALIGN_END,    GTK_ALIGN_CENTER, 0,   0,  0,  8 },
  { GTK_ALIGN_END,    GTK_ALIGN_END,    0,   64, 0,  8 },
  { GTK_ALIGN_CENTER, GTK_ALIGN_END,    0,   64, 0,  0 },
  { GTK_ALIGN_START,  GTK_ALIGN_END,    0,   72, 8,  0 },
  { GTK_ALIGN_START,  GTK_ALIGN_CENTER, 0,   0,  8,  0 },
  { GTK_ALIGN_START,  GTK_ALIGN_START,  8,   0,  8,  0 },
};

/* Returns: (transfer full): the words for @names, places off the map in
 * @direction */
static char *
describe_direction (guint       direction,
                    const char *names)
{
  switch (direction)
    {
    case 0:
      /* Translators: a button at the edge of the map; %s is the name of a
       * place off the map, or several names separated by commas */
      return g_strdup_printf (_("%s, off the map to the north"), names);
    case 1:
      /* Translators: a button at the edge of the map; %s is the name of a
       * place off the map, or several names separated by commas */
      return g_strdup_printf (_("%s, off the map to the north-east"), names);
    case 2:
      /* Translators: a button at the edge of the map; %s is the name of a
       * place off the map, or several names separated by commas */
      return g_strdup_printf (_("%s, off the map to the east"), names);
    case 3:
      /* Translators: a button at the edge of the map; %s is the name of a
       * place off the map, or several names separated by commas */
      return g_strdup_printf (_("%s, off the map to the south-east"), names);
    case 4:
      /* Translators: a button at the edge of the map; %s is the name of a
       * place off the map, or several names separated by commas */
      return g_strdup_printf (_("%s, off the map to the south"), names);
    case 5:
      /* Translators: a button at the edge of the map; %s is the name of a
       * place off the map, or several names separated by commas */
      return g_strdup_printf (_("%s, off the map to the south-west"), names);
    case 6:
      /* Translators: a button at the edge of the map; %s is the name of a
       * place off the map, or several names separated by commas */
      return g_strdup_printf (_("%s, off the map to the west"), names);
    default:
      /* Translators: a button at the edge of the map; %s is the name of a
       * place off the map, or several names separated by commas */
      return g_strdup_printf (_("%s, off the map to the north-west"), names);
    }
}

static void
on_edge_hint_clicked (GtkButton    *button,
                      StoryMapView *self)
{
  guint direction = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "story-direction"));
  GPtrArray *places = self->edge_places[direction];
  StoryBounds bounds;

  if (places->len == 1)
    {
      story_map_view_show_place (self, g_ptr_array_index (places, 0), TRUE);
      return;
    }

  story_bounds_init_empty (&bounds);
  for (guint i = 0; i < places->len; i++)
    {
      StoryBounds b;

      story_place_get_bounds (g_ptr_array_index (places, i), &b);
      story_bounds_union (&bounds, &b);
    }
  story_map_view_show_bounds (self, &bounds, 10, TRUE);
}

void
_story_map_view_init_edge_hints (StoryMapView *self)
{
  for (guint d = 0; d < STORY_MAP_VIEW_N_DIRECTIONS; d++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-up-symbolic");
      GtkWidget *label = gtk_label_new (NULL);

      gtk_accessible_update_property (GTK_ACCESSIBLE (arrow),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
      /* One line: a name broken across two would read as two names. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
      gtk_box_append (GTK_BOX (box), arrow);
      gtk_box_append (GTK_BOX (box), label);
      gtk_button_set_child (GTK_BUTTON (button), box);

      gtk_widget_add_css_class (button, "osd");
      gtk_widget_add_css_class (button, "story-edge-hint");
      gtk_widget_add_css_class (button, direction_classes[d]);
      gtk_widget_set_visible (button, FALSE);
      g_object_set_data (G_OBJECT (button), "story-direction", GUINT_TO_POINTER (d));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_edge_hint_clicked), self, 0);

      /* Above the map and its markers, under the place's card. */
      gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), button);
      gtk_widget_insert_before (button, self->overlay, GTK_WIDGET (self->place_details));
      self->edge_hints[d] = button;
      self->edge_places[d] = g_ptr_array_new ();
    }

  g_signal_connect_object (self->place_details, "notify::visible",
                           G_CALLBACK (_story_map_view_queue_edge_hints), self, G_CONNECT_SWAPPED);
}

/* The direction, clockwise from north in eighths, of a point @dx, @dy
 * from the middle of the map (y down). */
static guint
direction_of (double dx,
              double dy)
{
  double angle = atan2 (dx, -dy);

  return ((int)floor ((angle + G_PI / 8) / (G_PI / 4)) + STORY_MAP_VIEW_N_DIRECTIONS) % STORY_MAP_VIEW_N_DIRECTIONS;
}

static void
show_edge_hint (StoryMapView *self,
                guint         direction)
{
  GPtrArray *places = self->edge_places[direction];
  GtkWidget *button = self->edge_hints[direction];
  GtkWidget *label = gtk_widget_get_last_child (gtk_button_get_child (GTK_BUTTON (button)));
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *text = NULL;
  gboolean card = gtk_widget_get_visible (GTK_WIDGET (self->place_details));
  gboolean notice = gtk_revealer_get_reveal_child (self->offline_revealer);
  gboolean rtl = gtk_widget_get_direction (button) == GTK_TEXT_DIR_RTL;
  /* East is on the right whatever the language: in a right-to-left one,
   * where start and end swap, a button stands where its mirror would. */
  guint at = rtl ? (STORY_MAP_VIEW_N_DIRECTIONS - direction) % STORY_MAP_VIEW_N_DIRECTIONS : direction;

  gtk_widget_set_halign (button, direction_places[at].halign);
  gtk_widget_set_valign (button, direction_places[at].valign);
  gtk_widget_set_margin_top (button, direction_places[at].margin_top);
  gtk_widget_set_margin_bottom (button, direction_places[at].margin_bottom);
  gtk_widget_set_margin_start (button, direction_places[at].margin_start);
  gtk_widget_set_margin_end (button, direction_places[at].margin_end);

  /* The place's card, at the top start, would hide the buttons there: the
   * one to the north moves beside the zoom buttons, the one in the card's
   * corner waits for the card to close. The one to the south stands over
   * the offline notice. */
  if (at == 0 && card)
    {
      gtk_widget_set_halign (button, GTK_ALIGN_END);
      gtk_widget_set_margin_end (button, 64);
    }
  if (at == 4 && notice)
    gtk_widget_set_margin_bottom (button, 112);

  gtk_widget_set_visible (button, places->len > 0 && !(at == 7 && card));
  if (places->len == 0)
    return;

  for (guint i = 0; i < places->len; i++)
    {
      g_autofree char *name = story_text_for_label (story_place_get_display_name (g_ptr_array_index (places, i)),
                                                    STORY_TEXT_MAX_NAME_CHARS);

      if (i > 0)
        /* Translators: separates the names of places off the map */
        g_string_append (names, _(", "));
      g_string_append (names, name);
    }

  text = describe_direction (direction, names->str);
  if (places->len == 1)
    {
      gtk_label_set_text (GTK_LABEL (label), names->str);
    }
  else
    {
      /* Translators: a button at the edge of the map for several places
       * off the map in one direction; its tooltip names them */
      g_autofree char *count = g_strdup_printf (ngettext ("%u place", "%u places", places->len), places->len);

      gtk_label_set_text (GTK_LABEL (label), count);
    }
  gtk_widget_set_tooltip_text (button, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/**
 * _story_map_view_update_edge_hints:
 * @width: the map's width, or the width it is being given
 * @height: its height
 *
 * Shows the buttons of the places off a map of that size as it is now
 * centred and zoomed.
 */
void
_story_map_view_update_edge_hints (StoryMapView *self,
                                   int           width,
                                   int           height)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  double scale = 256.0 * pow (2.0, shumate_viewport_get_zoom_level (viewport));
  double angle = shumate_viewport_get_rotation (viewport);
  double c = cos (angle), s = sin (angle);
  double cx, cy;

  if (self->edge_places[0] == NULL) /* disposed */
    return;

  for (guint d = 0; d < STORY_MAP_VIEW_N_DIRECTIONS; d++)
    g_ptr_array_set_size (self->edge_places[d], 0);

  story_geo_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                     shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), &cx, &cy);

  /* Not while the map flies: its edges move with every frame. */
  if (width > 1 && height > 1 && !self->moving && self->document != NULL)
    for (guint i = 0; i < story_document_get_n_places (self->document); i++)
      {
        StoryPlace *place = story_document_get_place (self->document, i);
        double lat, lon, x, y, dx, dy;

        if (!g_hash_table_contains (self->markers, place))
          continue;

        story_place_get_anchor (place, &lat, &lon);
        story_geo_project (lat, lon, &x, &y);
        dx = (x - cx) * scale;
        dy = (y - cy) * scale;
        x = dx * c - dy * s;
        y = dx * s + dy * c;
        if (fabs (x) <= width / 2. && fabs (y) <= height / 2.)
          continue;

        g_ptr_array_add (self->edge_places[direction_of (x, y)], place);
      }

  for (guint d = 0; d < STORY_MAP_VIEW_N_DIRECTIONS; d++)
    show_edge_hint (self, d);
}

static gboolean
edge_hints_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  StoryMapView *self = STORY_MAP_VIEW (widget);

  self->edge_hints_tick = 0;
  _story_map_view_update_edge_hints (self, gtk_widget_get_width (GTK_WIDGET (self->map)),
                                     gtk_widget_get_height (GTK_WIDGET (self->map)));
  return G_SOURCE_REMOVE;
}

/* Places the buttons of places off the map before the next frame. */
void
_story_map_view_queue_edge_hints (StoryMapView *self)
{
  if (self->edge_places[0] == NULL) /* disposed */
    return;

  if (self->edge_hints_tick == 0)
    self->edge_hints_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), edge_hints_tick_cb, NULL, NULL);
}

void
_story_map_view_clear_edge_hints (StoryMapView *self)
{
  if (self->edge_hints_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->edge_hints_tick);
      self->edge_hints_tick = 0;
    }

  for (guint d = 0; d < STORY_MAP_VIEW_N_DIRECTIONS; d++)
    g_clear_pointer (&self->edge_places[d], g_ptr_array_unref);
}
