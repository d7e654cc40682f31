/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-map-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "story-geo.h"
#include "story-map-scale.h"
#include "story-map-view-private.h"
#include "story-mbtiles-source.h"
#include "story-offline-map.h"
#include "story-offline-map-layer.h"

/*
 * The map: the base map, online tiles above it, region outlines (one
 * layer for all of them) and one marker per place (or, in a story of
 * thousands of places, one layer of pins). It follows the selection
 * (flying to what was picked) and writes marker clicks into it.
 */

G_DEFINE_FINAL_TYPE (StoryMapView, story_map_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTION,
  PROP_OFFLINE,
  PROP_METERED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_notice (StoryMapView *self);

#define FLY_DURATION_MS 900

static gboolean
animations_enabled (StoryMapView *self)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &enabled, NULL);
  return enabled && gtk_widget_get_mapped (GTK_WIDGET (self));
}

static gboolean
flight_over_cb (gpointer user_data)
{
  StoryMapView *self = user_data;

  self->moving_timeout = 0;
  self->moving = FALSE;
  _story_map_view_queue_edge_hints (self);
  return G_SOURCE_REMOVE;
}

static void
go_to (StoryMapView *self,
       double        lat,
       double        lon,
       double        zoom,
       gboolean      animate)
{
  ShumateMap *map = self->map;
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);

  if (animate && animations_enabled (self))
    {
      /* libshumate 1.0 emits ::animation-completed with a marshaller that
       * does not match the signal (a critical for every handler), so the end
       * of the flight is timed here instead. */
      self->moving = TRUE;
      g_clear_handle_id (&self->moving_timeout, g_source_remove);
      self->moving_timeout = g_timeout_add (FLY_DURATION_MS + 50, flight_over_cb, self);
      _story_map_view_queue_edge_hints (self);
      shumate_map_go_to_full_with_duration (map, lat, lon, zoom, FLY_DURATION_MS);
    }
  else
    {
      shumate_map_stop_go_to (map);
      g_clear_handle_id (&self->moving_timeout, g_source_remove);
      self->moving = FALSE;
      shumate_viewport_set_zoom_level (viewport, zoom);
      shumate_map_center_on (map, lat, lon);
    }
}

/* The deepest zoom at which the map shown under the markers still has
 * more to show in @bounds: online tiles or a local file down to their
 * deepest level, the built-in map as deep as its data goes there. A flight
 * never goes deeper, to a blank or blurred map. */
static double
deepest_zoom (StoryMapView      *self,
              const StoryBounds *bounds)
{
  if (self->online_source != NULL && !self->offline && !self->metered)
    return shumate_map_source_get_max_zoom_level (self->online_source);

  if (STORY_IS_OFFLINE_MAP (self->base_source))
    return story_offline_map_get_deepest_zoom (STORY_OFFLINE_MAP (self->base_source), bounds);

  if (self->base_source != NULL)
    return shumate_map_source_get_max_zoom_level (self->base_source);

  return shumate_viewport_get_max_zoom_level (shumate_map_get_viewport (self->map));
}

/* Where the map goes to show @bounds at a size. The built-in map starts
 * drawing the tiles of that view. */
static void
fit_view (StoryMapView      *self,
          const StoryBounds *bounds,
          double             max_zoom,
          int                width,
          int                height,
          double            *lat,
          double            *lon,
          double            *zoom)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);

  max_zoom = MIN (max_zoom, deepest_zoom (self, bounds));
  story_geo_fit_bounds (bounds, width, height, MIN (width, height) * 0.08 + 24,
                        shumate_viewport_get_min_zoom_level (viewport),
                        MIN (max_zoom, shumate_viewport_get_max_zoom_level (viewport)),
                        lat, lon, zoom);

  if (STORY_IS_OFFLINE_MAP (self->base_source))
    story_offline_map_prefetch (STORY_OFFLINE_MAP (self->base_source), *lat, *lon, *zoom, width, height);
}

static void
fit_bounds (StoryMapView      *self,
            const StoryBounds *bounds,
            double             max_zoom,
            int                width,
            int                height,
            gboolean           animate)
{
  double lat, lon, zoom;

  fit_view (self, bounds, max_zoom, width, height, &lat, &lon, &zoom);
  go_to (self, lat, lon, zoom, animate);
}

/**
 * story_map_view_show_bounds:
 *
 * Moves the map so that @bounds fills it. Before the map has a size the
 * move waits for one.
 */
void
story_map_view_show_bounds (StoryMapView      *self,
                            const StoryBounds *bounds,
                            double             max_zoom,
                            gboolean           animate)
{
  int width, height;

  g_return_if_fail (STORY_IS_MAP_VIEW (self));

  if (story_bounds_is_empty (bounds))
    return;

  width = gtk_widget_get_width (GTK_WIDGET (self->map));
  height = gtk_widget_get_height (GTK_WIDGET (self->map));

  if (width <= 1 || height <= 1)
    {
      double lat, lon, zoom;

      self->pending_bounds = *bounds;
      self->pending_max_zoom = max_zoom;
      self->has_pending = TRUE;

      /* Its tiles are drawn while the window is being put together, and
       * the markers' names placed for it. */
      self->has_pending_zoom = self->expected_width > 1 && self->expected_height > 1;
      if (self->has_pending_zoom)
        {
          fit_view (self, bounds, max_zoom, self->expected_width, self->expected_height, &lat, &lon, &zoom);
          self->pending_zoom = zoom;
          _story_map_view_queue_labels (self);
        }
      return;
    }

  self->has_pending = FALSE;
  fit_bounds (self, bounds, max_zoom, width, height, animate);
}

/* How close a place of each kind is shown: a country whole, a region
 * with its neighbours, a city with its streets (as far as the map beneath
 * has them). */
static double
place_zoom (StoryPlace *place)
{
  switch (story_place_get_kind (place))
    {
    case STORY_PLACE_KIND_LANDMARK:
      return 14;
    case STORY_PLACE_KIND_VILLAGE:
      return 13;
    case STORY_PLACE_KIND_TOWN:
      return 12;
    case STORY_PLACE_KIND_CITY:
      return 10;
    case STORY_PLACE_KIND_COUNTRY:
      return 5;
    case STORY_PLACE_KIND_REGION:
      return 7;
    case STORY_PLACE_KIND_OTHER:
    default:
      return 10;
    }
}

/* Shows one place: an area whole, a point at a zoom that suits its kind. */
void
story_map_view_show_place (StoryMapView *self,
                           StoryPlace   *place,
                           gboolean      animate)
{
  StoryBounds bounds;
  double lat, lon;

  g_return_if_fail (STORY_IS_MAP_VIEW (self));
  g_return_if_fail (STORY_IS_PLACE (place));

  if (story_place_is_area (place))
    {
      story_place_get_bounds (place, &bounds);
      story_map_view_show_bounds (self, &bounds, 11, animate);
      return;
    }

  story_place_get_anchor (place, &lat, &lon);
  story_bounds_init_empty (&bounds);
  story_bounds_extend (&bounds, lat, lon);
  story_map_view_show_bounds (self, &bounds, place_zoom (place), animate);
}

/**
 * _story_map_view_format_length:
 * @metres: a round length in the scale's units
 * @metric: in kilometres or metres, else in miles or feet
 *
 * Returns: (transfer full): the length as the map's scale writes it
 */
char *
_story_map_view_format_length (double   metres,
                               gboolean metric)
{
  if (metric && metres >= 1000)
    /* Translators: a length on the map's scale, in kilometres */
    return g_strdup_printf (_("%d km"), (int)round (metres / 1000));
  if (metric)
    /* Translators: a length on the map's scale, in metres */
    return g_strdup_printf (_("%d m"), (int)round (metres));
  if (metres >= STORY_METRES_PER_MILE)
    /* Translators: a length on the map's scale, in miles */
    return g_strdup_printf (_("%d mi"), (int)round (metres / STORY_METRES_PER_MILE));
  /* Translators: a length on the map's scale, in feet */
  return g_strdup_printf (_("%d ft"), (int)round (metres / STORY_METRES_PER_FOOT));
}

/**
 * story_map_view_show_all:
 *
 * Shows every place of the story at once, at the closest zoom the base map
 * has detail for.
 */
void
story_map_view_show_all (StoryMapView *self,
                         gboolean      animate)
{
  StoryBounds bounds;
  guint n_places;

  g_return_if_fail (STORY_IS_MAP_VIEW (self));

  if (self->document == NULL)
    return;

  story_bounds_init_empty (&bounds);
  n_places = story_document_get_n_places (self->document);
  for (guint i = 0; i < n_places; i++)
    {
      StoryBounds b;

      story_place_get_bounds (story_document_get_place (self->document, i), &b);
      story_bounds_union (&bounds, &b);
    }

  if (n_places == 1)
    story_map_view_show_place (self, story_document_get_place (self->document, 0), animate);
  else
    story_map_view_show_bounds (self, &bounds, 10, animate);
}

gboolean
story_map_view_is_moving (StoryMapView *self)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), FALSE);

  return self->moving;
}

static void
on_selection_changed (StoryMapView   *self,
                      StorySelection *selection)
{
  StoryPlace *place = story_selection_get_place (selection);
  guint paragraph = story_selection_get_paragraph (selection);
  StoryFocus focus = story_selection_get_focus (selection);

  _story_map_view_update_marker_states (self, place, focus == STORY_FOCUS_PARAGRAPH ? paragraph : 0);
  _story_map_view_hide_outlines (self);

  if (focus == STORY_FOCUS_PLACE && place != NULL)
    {
      _story_map_view_show_outline (self, place);
      story_map_view_show_place (self, place, TRUE);
    }
  else if (focus == STORY_FOCUS_PARAGRAPH && paragraph > 0)
    {
      g_autoptr(GPtrArray) places = story_document_get_paragraph_places (self->document, paragraph);
      StoryBounds bounds;

      for (guint i = 0; i < places->len; i++)
        _story_map_view_show_outline (self, g_ptr_array_index (places, i));

      /* A paragraph that names no place leaves the map where it is. */
      if (places->len == 1)
        {
          story_map_view_show_place (self, g_ptr_array_index (places, 0), TRUE);
        }
      else if (places->len > 1)
        {
          story_document_get_paragraph_bounds (self->document, paragraph, &bounds);
          story_map_view_show_bounds (self, &bounds, 10, TRUE);
        }
    }
}

/* The places whose markers the built-in map's labels make way for: all of
 * them, up to the number that have markers of their own. */
static GListModel *
marked_places (StoryMapView *self)
{
  if (self->document == NULL || story_document_get_n_places (self->document) > STORY_MAP_VIEW_MAX_MARKERS)
    return NULL;

  return story_document_get_places (self->document);
}

/* The built-in map leaves out a label that a marker beside it repeats: its
 * tiles are drawn again, in a new layer. */
static void
mark_story_places (StoryMapView *self)
{
  ShumateMapLayer *layer;

  if (!STORY_IS_OFFLINE_MAP (self->base_source))
    return;

  story_offline_map_set_marked_places (STORY_OFFLINE_MAP (self->base_source), marked_places (self));
  if (self->base_layer == NULL)
    return;

  layer = shumate_map_layer_new (self->base_source, shumate_map_get_viewport (self->map));
  shumate_map_insert_layer_above (self->map, SHUMATE_LAYER (layer), SHUMATE_LAYER (self->base_layer));
  shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->base_layer));
  self->base_layer = layer;
}

static void
on_document_changed (StoryMapView   *self,
                     GParamSpec     *pspec,
                     StorySelection *selection)
{
  StoryBounds view;

  if (!g_set_object (&self->document, story_selection_get_document (selection)))
    return;

  _story_map_view_rebuild_markers (self);
  mark_story_places (self);

  if (self->document != NULL)
    {
      story_document_get_view (self->document, &view);
      story_map_view_show_bounds (self, &view, 9, FALSE);
    }
}

/* A selection followed from now on brings its document. */
static void
on_selection_bind (StoryMapView   *self,
                   StorySelection *selection)
{
  on_document_changed (self, NULL, selection);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  StoryMapView *self = STORY_MAP_VIEW (widget);

  shumate_map_zoom_in (self->map);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StoryMapView *self = STORY_MAP_VIEW (widget);

  shumate_map_zoom_out (self->map);
}

static void
story_map_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  StoryMapView *self = STORY_MAP_VIEW (widget);

  gtk_widget_measure (self->overlay, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
story_map_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  StoryMapView *self = STORY_MAP_VIEW (widget);

  /* A move asked for before the map had a size happens as soon as it has
   * one, before the map is allocated: its first frame, and the first tiles
   * it asks for, are already those of the story's view. The built-in map's
   * tiles of it, mostly drawn while the window was put together, are in
   * that frame too (libshumate asks for them only after it). */
  if (self->has_pending && width > 1 && height > 1)
    {
      self->has_pending = FALSE;
      fit_bounds (self, &self->pending_bounds, self->pending_max_zoom, width, height, FALSE);
      if (STORY_IS_OFFLINE_MAP (self->base_source))
        story_offline_map_finish_prefetch (STORY_OFFLINE_MAP (self->base_source));
    }

  /* The buttons of places off the map, in the same frame as the map of
   * the new size. */
  if (width != gtk_widget_get_width (GTK_WIDGET (self->map))
      || height != gtk_widget_get_height (GTK_WIDGET (self->map)))
    _story_map_view_update_edge_hints (self, width, height);

  gtk_widget_allocate (self->overlay, width, height, baseline, NULL);
}

/* Presentation mode and high contrast, style classes of the window, change
 * the size of the markers' names. */
static void
story_map_view_root (GtkWidget *widget)
{
  StoryMapView *self = STORY_MAP_VIEW (widget);

  GTK_WIDGET_CLASS (story_map_view_parent_class)->root (widget);

  self->labels_root = GTK_WIDGET (gtk_widget_get_root (widget));
  g_signal_connect_object (self->labels_root, "notify::css-classes",
                           G_CALLBACK (_story_map_view_queue_labels), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->labels_root, "notify::css-classes",
                           G_CALLBACK (gtk_widget_queue_draw), self->pin_layer, G_CONNECT_SWAPPED);
}

static void
story_map_view_unroot (GtkWidget *widget)
{
  StoryMapView *self = STORY_MAP_VIEW (widget);

  g_signal_handlers_disconnect_by_func (self->labels_root, _story_map_view_queue_labels, self);
  g_signal_handlers_disconnect_by_func (self->labels_root, gtk_widget_queue_draw, self->pin_layer);
  self->labels_root = NULL;

  GTK_WIDGET_CLASS (story_map_view_parent_class)->unroot (widget);
}

static void
story_map_view_dispose (GObject *object)
{
  StoryMapView *self = (StoryMapView *)object;

  g_clear_handle_id (&self->moving_timeout, g_source_remove);
  g_clear_handle_id (&self->tiles_failing_timeout, g_source_remove);
  g_clear_signal_handler (&self->tile_failed_handler, self->failing_source);
  g_clear_object (&self->failing_source);
  if (self->labels_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->labels_tick);
      self->labels_tick = 0;
    }

  g_clear_object (&self->selection_signals);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->labels, g_array_unref);
  _story_map_view_clear_edge_hints (self);
  g_clear_pointer (&self->markers, g_hash_table_unref);
  g_clear_pointer (&self->shown_outlines, g_ptr_array_unref);
  g_clear_object (&self->document);
  g_clear_object (&self->base_source);
  g_clear_object (&self->online_source);
  gtk_widget_dispose_template (GTK_WIDGET (self), STORY_TYPE_MAP_VIEW);

  G_OBJECT_CLASS (story_map_view_parent_class)->dispose (object);
}

static void
story_map_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StoryMapView *self = STORY_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTION:
      g_value_set_object (value, self->selection);
      break;

    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;

    case PROP_METERED:
      g_value_set_boolean (value, self->metered);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_map_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  StoryMapView *self = STORY_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTION:
      story_map_view_set_selection (self, g_value_get_object (value));
      break;

    case PROP_OFFLINE:
      story_map_view_set_offline (self, g_value_get_boolean (value));
      break;

    case PROP_METERED:
      if (self->metered != g_value_get_boolean (value))
        {
          self->metered = g_value_get_boolean (value);
          update_notice (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_map_view_class_init (StoryMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_map_view_dispose;
  object_class->get_property = story_map_view_get_property;
  object_class->set_property = story_map_view_set_property;

  widget_class->measure = story_map_view_measure;
  widget_class->size_allocate = story_map_view_size_allocate;
  widget_class->root = story_map_view_root;
  widget_class->unroot = story_map_view_unroot;

  properties[PROP_SELECTION] =
    g_param_spec_object ("selection", NULL, NULL, STORY_TYPE_SELECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Online tiles are held back on a metered connection. */
  properties[PROP_METERED] =
    g_param_spec_boolean ("metered", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/story-map-view.ui");
  /* GtkBuilder finds a type not yet registered by guessing the name of its
   * get_type() function and looking it up in every loaded library. */
  g_type_ensure (GTK_TYPE_BOX);
  g_type_ensure (GTK_TYPE_BUTTON);
  g_type_ensure (GTK_TYPE_IMAGE);
  g_type_ensure (GTK_TYPE_LABEL);
  g_type_ensure (GTK_TYPE_OVERLAY);
  g_type_ensure (GTK_TYPE_REVEALER);

  gtk_widget_class_bind_template_child (widget_class, StoryMapView, overlay);
  gtk_widget_class_bind_template_child (widget_class, StoryMapView, map);
  gtk_widget_class_bind_template_child (widget_class, StoryMapView, license);
  gtk_widget_class_bind_template_child (widget_class, StoryMapView, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, StoryMapView, offline_label);
  gtk_widget_class_bind_template_child (widget_class, StoryMapView, place_details);
  gtk_widget_class_bind_template_child (widget_class, StoryMapView, zoom_box);

  gtk_widget_class_install_action (widget_class, "map.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "map.zoom-out", NULL, zoom_out_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "map.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "map.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "map.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "map.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "map.zoom-out", NULL);

  gtk_widget_class_set_css_name (widget_class, "storymapview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* The attribution is the map sources' text, up to a few hundred
 * characters (a file's own is cut to STORY_MBTILES_MAX_ATTRIBUTION): its
 * lines break anywhere, even inside a long word, it is never wider than
 * about 50 characters or taller than 3 lines, and never wider than the
 * map. ShumateLicense 1.0 shows it in plain GtkLabels. */
static void
bound_license (StoryMapView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->license));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!GTK_IS_LABEL (child))
        continue;

      gtk_label_set_use_markup (GTK_LABEL (child), FALSE);
      gtk_label_set_wrap (GTK_LABEL (child), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (child), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (child), 50);
      gtk_label_set_lines (GTK_LABEL (child), 3);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
    }
}

static void
story_map_view_init (StoryMapView *self)
{
  ShumateViewport *viewport;
  ShumateMap *map;

  g_type_ensure (SHUMATE_TYPE_MAP);
  g_type_ensure (STORY_TYPE_PLACE_DETAILS);
  g_type_ensure (SHUMATE_TYPE_LICENSE);
  gtk_widget_init_template (GTK_WIDGET (self));
  bound_license (self);

  self->markers = g_hash_table_new (NULL, NULL);
  self->shown_outlines = g_ptr_array_new ();

  viewport = shumate_map_get_viewport (self->map);
  map = self->map;

  /* Outlines, then pins, then markers, each one layer whatever the story. */
  self->outline_layer = story_outline_layer_new (viewport);
  shumate_map_add_layer (map, SHUMATE_LAYER (self->outline_layer));
  self->pin_layer = story_pin_layer_new (viewport);
  gtk_widget_set_visible (GTK_WIDGET (self->pin_layer), FALSE);
  g_signal_connect_object (self->pin_layer, "place-activated",
                           G_CALLBACK (_story_map_view_activate_place), self, G_CONNECT_SWAPPED);
  shumate_map_add_layer (map, SHUMATE_LAYER (self->pin_layer));
  self->marker_layer = shumate_marker_layer_new_full (viewport, GTK_SELECTION_NONE);
  shumate_map_add_layer (map, SHUMATE_LAYER (self->marker_layer));

  /* Where names meet changes with the zoom level and rotation only. */
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (_story_map_view_queue_labels),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::rotation", G_CALLBACK (_story_map_view_queue_labels),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "direction-changed", G_CALLBACK (_story_map_view_queue_labels), NULL);

  /* Over the markers, as the credit and the zoom buttons are. */
  self->scale = story_map_scale_new (viewport);
  gtk_widget_set_halign (self->scale, GTK_ALIGN_START);
  gtk_widget_set_valign (self->scale, GTK_ALIGN_END);
  gtk_widget_set_can_target (self->scale, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), self->scale);

  /* Places off the map: their buttons follow every move. */
  _story_map_view_init_edge_hints (self);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (_story_map_view_queue_edge_hints),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (_story_map_view_queue_edge_hints),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (_story_map_view_queue_edge_hints),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "direction-changed", G_CALLBACK (_story_map_view_queue_edge_hints), NULL);

  self->selection_signals = g_signal_group_new (STORY_TYPE_SELECTION);
  g_signal_group_connect_object (self->selection_signals, "changed",
                                 G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->selection_signals, "notify::document",
                                 G_CALLBACK (on_document_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection_signals, "bind",
                           G_CALLBACK (on_selection_bind), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Map"),
                                  -1);
}

GtkWidget *
story_map_view_new (void)
{
  return g_object_new (STORY_TYPE_MAP_VIEW, NULL);
}

StorySelection *
story_map_view_get_selection (StoryMapView *self)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), NULL);

  return self->selection;
}

void
story_map_view_set_selection (StoryMapView   *self,
                              StorySelection *selection)
{
  g_return_if_fail (STORY_IS_MAP_VIEW (self));
  g_return_if_fail (!selection || STORY_IS_SELECTION (selection));

  story_place_details_set_selection (self->place_details, selection);
  if (!g_set_object (&self->selection, selection))
    return;

  g_signal_group_set_target (self->selection_signals, selection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION]);
}

ShumateMap *
story_map_view_get_map (StoryMapView *self)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), NULL);

  return self->map;
}

ShumateViewport *
story_map_view_get_viewport (StoryMapView *self)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), NULL);

  return shumate_map_get_viewport (self->map);
}

/* One notice tells of the map beneath showing through: online tiles that
 * cannot be had, or tiles of the base map that cannot be shown. */
static void
update_notice (StoryMapView *self)
{
  gboolean metered = self->metered && self->online_source != NULL;

  if (self->tiles_failing)
    gtk_label_set_text (self->offline_label,
                        _("Some tiles of this map cannot be shown — showing the built-in map"));
  else if (self->offline)
    gtk_label_set_text (self->offline_label, _("Offline — showing the built-in map"));
  else if (metered)
    gtk_label_set_text (self->offline_label, _("Metered connection — showing the built-in map"));

  gtk_revealer_set_reveal_child (self->offline_revealer, self->offline || metered || self->tiles_failing);

  /* The button of places to the south stands over the notice. */
  _story_map_view_queue_edge_hints (self);
}

static gboolean
tiles_failing_over_cb (gpointer user_data)
{
  StoryMapView *self = user_data;

  self->tiles_failing_timeout = 0;
  self->tiles_failing = FALSE;
  update_notice (self);

  return G_SOURCE_REMOVE;
}

/* A tile of the base map cannot be shown: the notice stays while tiles
 * keep failing, and a while after. */
static void
on_base_tile_failed (StoryMapView *self)
{
  self->tiles_failing = TRUE;
  g_clear_handle_id (&self->tiles_failing_timeout, g_source_remove);
  self->tiles_failing_timeout = g_timeout_add_seconds (10, tiles_failing_over_cb, self);
  update_notice (self);
}

/* Follows the failures of @source's tiles, where it says of them. */
static void
follow_base_failures (StoryMapView     *self,
                      ShumateMapSource *source)
{
  g_autoptr(GObject) data_source = NULL;

  g_clear_signal_handler (&self->tile_failed_handler, self->failing_source);
  g_clear_object (&self->failing_source);
  g_clear_handle_id (&self->tiles_failing_timeout, g_source_remove);
  self->tiles_failing = FALSE;
  update_notice (self);

  if (SHUMATE_IS_RASTER_RENDERER (source))
    g_object_get (source, "data-source", &data_source, NULL);
  if (!STORY_IS_MBTILES_SOURCE (data_source))
    return;

  self->failing_source = g_steal_pointer (&data_source);
  self->tile_failed_handler = g_signal_connect_object (self->failing_source, "tile-failed",
                                                       G_CALLBACK (on_base_tile_failed), self,
                                                       G_CONNECT_SWAPPED);
}

/* Adds the parts of @source's credit (separated by ";" or new lines) that
 * @parts does not have yet. */
static void
add_credit (GPtrArray        *parts,
            ShumateMapSource *source)
{
  g_auto(GStrv) split = NULL;
  const char *license;

  if (source == NULL || (license = shumate_map_source_get_license (source)) == NULL)
    return;

  split = g_regex_split_simple ("[;\n]", license, 0, 0);
  for (guint i = 0; split[i] != NULL; i++)
    {
      char *part = g_strstrip (split[i]);

      if (*part != '\0' && !g_ptr_array_find_with_equal_func (parts, part, g_str_equal, NULL))
        g_ptr_array_add (parts, g_strdup (part));
    }
}

/* One credit line for every map shown, each name once: online tiles and
 * the built-in map are both drawn from OpenStreetMap's data. */
static void
update_credit (StoryMapView *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;

  add_credit (parts, self->online_source);
  add_credit (parts, self->base_source);
  if (self->builtin_layer != NULL)
    {
      g_autoptr(ShumateMapSource) builtin = NULL;

      g_object_get (self->builtin_layer, "map-source", &builtin, NULL);
      add_credit (parts, builtin);
    }
  g_ptr_array_add (parts, NULL);

  text = g_strjoinv ("; ", (char **)parts->pdata);
  shumate_license_set_extra_text (self->license, text);

  /* Only the line of that text shows, not the sources' own. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->license));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      gtk_widget_set_visible (child, g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0 && *text);
}

/* Under a base map of other tiles (a local MBTiles file), the built-in
 * map shows wherever a tile is missing or cannot be shown. */
static void
update_builtin_layer (StoryMapView     *self,
                      ShumateMapSource *source,
                      ShumateMapLayer  *layer)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  g_autoptr(StoryOfflineMap) builtin = NULL;

  if (self->builtin_layer != NULL)
    {
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->builtin_layer));
      self->builtin_layer = NULL;
    }

  if (STORY_IS_OFFLINE_MAP (source))
    return;

  builtin = story_offline_map_new_bundled ();
  story_offline_map_set_viewport (builtin, viewport);
  story_offline_map_set_marked_places (builtin, marked_places (self));
  self->builtin_layer = shumate_map_layer_new (SHUMATE_MAP_SOURCE (builtin), viewport);
  shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->builtin_layer), SHUMATE_LAYER (layer));
}

/* The bottom layer: the offline map, or a local MBTiles file over it. */
void
story_map_view_set_base_source (StoryMapView     *self,
                                ShumateMapSource *source)
{
  ShumateViewport *viewport;
  ShumateMapLayer *layer;

  g_return_if_fail (STORY_IS_MAP_VIEW (self));
  g_return_if_fail (SHUMATE_IS_MAP_SOURCE (source));

  if (self->base_source == source)
    return;

  viewport = shumate_map_get_viewport (self->map);
  layer = shumate_map_layer_new (source, viewport);
  if (STORY_IS_OFFLINE_MAP (source))
    {
      story_offline_map_set_viewport (STORY_OFFLINE_MAP (source), viewport);
      story_offline_map_set_marked_places (STORY_OFFLINE_MAP (source), marked_places (self));
    }

  /* Always the lowest layer, under online tiles, outlines and markers. */
  shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (layer),
                                   SHUMATE_LAYER (gtk_widget_get_first_child (GTK_WIDGET (self->map))));

  if (self->base_layer != NULL)
    shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->base_layer));
  if (self->drawn_ahead_layer != NULL)
    {
      shumate_map_remove_layer (self->map, self->drawn_ahead_layer);
      self->drawn_ahead_layer = NULL;
    }

  /* Under it, the offline map's tiles drawn before the layer asks. */
  if (STORY_IS_OFFLINE_MAP (source))
    {
      self->drawn_ahead_layer = SHUMATE_LAYER (story_offline_map_layer_new (STORY_OFFLINE_MAP (source), viewport));
      shumate_map_insert_layer_behind (self->map, self->drawn_ahead_layer, SHUMATE_LAYER (layer));
    }

  update_builtin_layer (self, source, layer);
  follow_base_failures (self, source);

  self->base_layer = layer;
  g_set_object (&self->base_source, source);
  shumate_viewport_set_reference_map_source (viewport, source);
  update_credit (self);
}

/**
 * story_map_view_set_expected_size:
 *
 * Tells the map view the size it will most likely have once shown, so
 * that the map's first view can be prepared before it has one.
 */
void
story_map_view_set_expected_size (StoryMapView *self,
                                  int           width,
                                  int           height)
{
  g_return_if_fail (STORY_IS_MAP_VIEW (self));

  self->expected_width = width;
  self->expected_height = height;
}

ShumateMapSource *
story_map_view_get_base_source (StoryMapView *self)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), NULL);

  return self->base_source;
}

/* Online tiles above the base map; where one is missing the base shows. */
void
story_map_view_set_online_source (StoryMapView     *self,
                                  ShumateMapSource *source)
{
  ShumateViewport *viewport;

  g_return_if_fail (STORY_IS_MAP_VIEW (self));
  g_return_if_fail (!source || SHUMATE_IS_MAP_SOURCE (source));

  if (self->online_source == source)
    return;

  viewport = shumate_map_get_viewport (self->map);

  if (self->online_layer != NULL)
    {
      shumate_map_remove_layer (self->map,
                                SHUMATE_LAYER (self->online_layer));
      self->online_layer = NULL;
    }

  g_set_object (&self->online_source, source);

  if (source != NULL)
    {
      /* Right above the base map, under outlines and markers. */
      self->online_layer = shumate_map_layer_new (source, viewport);
      if (self->base_layer != NULL)
        shumate_map_insert_layer_above (self->map, SHUMATE_LAYER (self->online_layer),
                                        SHUMATE_LAYER (self->base_layer));
      else
        shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->online_layer),
                                         gtk_widget_get_first_child (GTK_WIDGET (self->map))
                                         ? SHUMATE_LAYER (gtk_widget_get_first_child (GTK_WIDGET (self->map)))
                                         : NULL);
    }
  else
    {
      story_map_view_set_offline (self, FALSE);
    }

  update_credit (self);
  update_notice (self);
}

ShumateMapSource *
story_map_view_get_online_source (StoryMapView *self)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), NULL);

  return self->online_source;
}

/* Shows or hides the notice that online tiles cannot be had. */
void
story_map_view_set_offline (StoryMapView *self,
                            gboolean      offline)
{
  g_return_if_fail (STORY_IS_MAP_VIEW (self));

  offline = !!offline;
  if (self->offline == offline)
    return;

  self->offline = offline;
  update_notice (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

gboolean
story_map_view_get_offline (StoryMapView *self)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), FALSE);

  return self->offline;
}

/* Shows or hides the zoom buttons: a presentation has no chrome, and is
 * stepped through with keys. */
void
story_map_view_set_controls_visible (StoryMapView *self,
                                     gboolean      visible)
{
  g_return_if_fail (STORY_IS_MAP_VIEW (self));

  gtk_widget_set_visible (self->zoom_box, visible);
}

gboolean
story_map_view_get_controls_visible (StoryMapView *self)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), FALSE);

  return gtk_widget_get_visible (self->zoom_box);
}

/* The notice of the built-in map showing through: hidden in a
 * presentation, where it speaks to the presenter, not the audience. */
void
story_map_view_set_notice_visible (StoryMapView *self,
                                   gboolean      visible)
{
  g_return_if_fail (STORY_IS_MAP_VIEW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->offline_revealer), visible);
}

gboolean
story_map_view_get_notice_visible (StoryMapView *self)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->offline_revealer));
}

StoryPlaceDetails *
story_map_view_get_place_details (StoryMapView *self)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), NULL);

  return self->place_details;
}

/* Returns: (transfer none) (nullable): the button of @place's marker */
GtkWidget *
story_map_view_get_marker_button (StoryMapView *self,
                                  StoryPlace   *place)
{
  ShumateMarker *marker;

  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), NULL);

  marker = g_hash_table_lookup (self->markers, place);
  return marker ? _story_map_view_marker_button (marker) : NULL;
}
