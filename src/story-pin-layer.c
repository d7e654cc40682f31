/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-pin-layer"

#include "config.h"

#include <math.h>

#include "story-geo.h"
#include "story-pin-layer.h"
#include "story-text.h"

/*
 * Pins for a story with more places than widgets can show: one layer
 * draws the pins of every place in view as one picture, and finds the
 * place under the pointer for a click or a tooltip. Pins look as the
 * markers' pins do (red dots, blue squares for regions and countries,
 * larger when selected or named in the current paragraph); only the
 * selected place and the current paragraph's places show their names.
 * Where pins would fall within a few pixels of one another, one is drawn.
 * Keyboard and screen-reader users reach every place through the place
 * list.
 */

enum {
  PIN_NORMAL,
  PIN_HIGHLIGHTED,
  PIN_SELECTED,
  N_PIN_STATES
};

/* Pins closer than this (in pixels) are drawn as one. */
#define CELL_SIZE 3
/* The most names drawn: the current paragraph's, in view. */
#define MAX_NAMES 200

typedef struct
{
  double      x, y;            /* Web Mercator, 0 to 1 */
  StoryPlace *place;
  guint8      square;          /* a region or a country */
  guint8      state;
} Pin;

struct _StoryPinLayer
{
  ShumateLayer     parent_instance;

  GArray          *pins;       /* Pin */
  GHashTable      *index;      /* StoryPlace → its index + 1 */
  GArray          *marked;     /* indexes of pins not PIN_NORMAL */
  GArray          *visible;    /* indexes drawn in the last frame */
  cairo_surface_t *sprites[2][N_PIN_STATES];
  int              sprite_scale;
  guint            sprite_style;
  StoryPlace      *pressed;
  guint            n_drawn;
};

G_DEFINE_FINAL_TYPE (StoryPinLayer, story_pin_layer, SHUMATE_TYPE_LAYER)

enum {
  PLACE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  STYLE_PRESENTATION = 1 << 0,
  STYLE_HIGH_CONTRAST = 1 << 1,
};

static guint
current_style (StoryPinLayer *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint style = 0;

  if (root != NULL && gtk_widget_has_css_class (GTK_WIDGET (root), "presentation"))
    style |= STYLE_PRESENTATION;
  if (root != NULL && gtk_widget_has_css_class (GTK_WIDGET (root), "high-contrast"))
    style |= STYLE_HIGH_CONTRAST;

  return style;
}

/* The pin's size without its border, as in style.css. */
static double
pin_size (guint style,
          guint state)
{
  if (style & STYLE_PRESENTATION)
    return state == PIN_NORMAL ? 20 : 26;

  return state == PIN_NORMAL ? 14 : 18;
}

static double
pin_border (guint style)
{
  return style & STYLE_HIGH_CONTRAST ? 3 : 2;
}

/* Half the width of a pin with its border and outline. */
static double
pin_radius (guint style,
            guint state)
{
  return pin_size (style, state) / 2 + pin_border (style) + 1;
}

static void
pin_path (cairo_t *cr,
          gboolean square,
          double   c,
          double   half)
{
  if (!square)
    {
      cairo_arc (cr, c, c, half, 0, 2 * G_PI);
      return;
    }

  /* Corners of 3 pixels. */
  cairo_new_sub_path (cr);
  cairo_arc (cr, c + half - 3, c - half + 3, 3, -G_PI / 2, 0);
  cairo_arc (cr, c + half - 3, c + half - 3, 3, 0, G_PI / 2);
  cairo_arc (cr, c - half + 3, c + half - 3, 3, G_PI / 2, G_PI);
  cairo_arc (cr, c - half + 3, c - half + 3, 3, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static cairo_surface_t *
draw_sprite (guint    style,
             gboolean square,
             guint    state,
             int      scale)
{
  double radius = pin_radius (style, state);
  double half = pin_size (style, state) / 2 + pin_border (style);
  int size = (int)ceil (2 * radius);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size * scale, size * scale);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_set_device_scale (surface, scale, scale);
  cairo_scale (cr, scale, scale);

  /* A hairline outline, the border, the pin. */
  pin_path (cr, square, size / 2.0, half + 0.5);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.4);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  pin_path (cr, square, size / 2.0, half);
  if (style & STYLE_HIGH_CONTRAST)
    cairo_set_source_rgb (cr, 0, 0, 0);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);

  pin_path (cr, square, size / 2.0, half - pin_border (style));
  if (square)
    cairo_set_source_rgb (cr, 0x1c / 255.0, 0x71 / 255.0, 0xd8 / 255.0);
  else
    cairo_set_source_rgb (cr, 0xe0 / 255.0, 0x1b / 255.0, 0x24 / 255.0);
  cairo_fill (cr);

  cairo_destroy (cr);
  return surface;
}

static void
clear_sprites (StoryPinLayer *self)
{
  for (guint s = 0; s < 2; s++)
    for (guint t = 0; t < N_PIN_STATES; t++)
      g_clear_pointer (&self->sprites[s][t], cairo_surface_destroy);
}

static void
ensure_sprites (StoryPinLayer *self,
                guint          style,
                int            scale)
{
  if (self->sprites[0][0] != NULL && self->sprite_style == style && self->sprite_scale == scale)
    return;

  clear_sprites (self);
  for (guint s = 0; s < 2; s++)
    for (guint t = 0; t < N_PIN_STATES; t++)
      self->sprites[s][t] = draw_sprite (style, s, t, scale);
  self->sprite_style = style;
  self->sprite_scale = scale;
}

typedef struct
{
  double world, cx, cy;        /* the world in pixels, the view's centre */
  double c, s;                 /* the view's rotation */
  double half_width, half_height;
} View;

static void
get_view (StoryPinLayer *self,
          View          *view)
{
  GtkWidget *widget = GTK_WIDGET (self);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  guint tile_size = source != NULL ? shumate_map_source_get_tile_size (source) : 256;
  double rotation = shumate_viewport_get_rotation (viewport);

  view->world = tile_size * pow (2.0, shumate_viewport_get_zoom_level (viewport));
  story_geo_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                     shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                     &view->cx, &view->cy);
  view->cx *= view->world;
  view->cy *= view->world;
  view->c = cos (rotation);
  view->s = sin (rotation);
  view->half_width = gtk_widget_get_width (widget) / 2.0;
  view->half_height = gtk_widget_get_height (widget) / 2.0;
}

/* Where a pin is in the widget. */
static void
pin_position (const View *view,
              const Pin  *pin,
              double     *x,
              double     *y)
{
  double px = pin->x * view->world - view->cx;
  double py = pin->y * view->world - view->cy;

  *x = px * view->c - py * view->s + view->half_width;
  *y = px * view->s + py * view->c + view->half_height;
}

static gboolean
in_view (const View *view,
         double      x,
         double      y,
         double      margin)
{
  return x >= -margin && y >= -margin &&
         x <= 2 * view->half_width + margin && y <= 2 * view->half_height + margin;
}

static void
draw_pin (StoryPinLayer *self,
          cairo_t       *cr,
          guint          style,
          const Pin     *pin,
          double         x,
          double         y)
{
  cairo_surface_t *sprite = self->sprites[pin->square][pin->state];
  double size = ceil (2 * pin_radius (style, pin->state));
  double x0 = round (x - size / 2), y0 = round (y - size / 2);

  cairo_set_source_surface (cr, sprite, x0, y0);
  cairo_rectangle (cr, x0, y0, size, size);
  cairo_fill (cr);
  self->n_drawn++;
}

/* A name beside its pin, as a marker shows it: yellow for the current
 * paragraph's places, the accent colour for the selected one. */
static void
draw_name (StoryPinLayer *self,
           cairo_t       *cr,
           guint          style,
           const Pin     *pin,
           double         x,
           double         y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autofree char *name = story_text_for_label (story_place_get_display_name (pin->place),
                                                STORY_TEXT_MAX_NAME_CHARS);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, name);
  g_autoptr(PangoFontDescription) font = NULL;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  double pad_x = style & STYLE_PRESENTATION ? 12 : 8, pad_y = style & STYLE_PRESENTATION ? 4 : 2;
  double radius = pin_radius (style, pin->state);
  double width, height, x0;
  int text_width, text_height;

  font = pango_font_description_copy (pango_context_get_font_description (pango_layout_get_context (layout)));
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  if (style & STYLE_PRESENTATION)
    pango_font_description_set_size (font, pango_font_description_get_size (font) * 1.4);
  pango_layout_set_font_description (layout, font);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);

  width = text_width + 2 * pad_x;
  height = text_height + 2 * pad_y;
  x0 = rtl ? x - radius - 4 - width : x + radius + 4;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x0 + height / 2, y, height / 2, G_PI / 2, 3 * G_PI / 2);
  cairo_arc (cr, x0 + width - height / 2, y, height / 2, -G_PI / 2, G_PI / 2);
  cairo_close_path (cr);
  if (pin->state == PIN_SELECTED && !(style & STYLE_HIGH_CONTRAST))
    cairo_set_source_rgb (cr, 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0);
  else if (style & STYLE_HIGH_CONTRAST)
    cairo_set_source_rgb (cr, 1, 0xd7 / 255.0, 0);
  else
    cairo_set_source_rgb (cr, 0xf8 / 255.0, 0xe4 / 255.0, 0x5c / 255.0);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.22);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  if (pin->state == PIN_SELECTED && !(style & STYLE_HIGH_CONTRAST))
    cairo_set_source_rgb (cr, 1, 1, 1);
  else
    cairo_set_source_rgb (cr, 0x24 / 255.0, 0x1f / 255.0, 0x31 / 255.0);
  cairo_move_to (cr, x0 + pad_x, y - text_height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

/* The pins in view, one per few pixels, in the story's order: the first
 * place at a point is the one drawn on top, and the one a click finds. */
static void
collect_visible (StoryPinLayer *self,
                 const View    *view,
                 double         margin)
{
  int columns = (int)(2 * (view->half_width + margin)) / CELL_SIZE + 1;
  int rows = (int)(2 * (view->half_height + margin)) / CELL_SIZE + 1;
  g_autofree guint8 *taken = g_malloc0 ((gsize)columns * rows);

  g_array_set_size (self->visible, 0);
  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);
      double x, y;
      gsize cell;

      if (pin->state != PIN_NORMAL)
        continue;

      pin_position (view, pin, &x, &y);
      if (!in_view (view, x, y, margin))
        continue;

      cell = (gsize)((y + margin) / CELL_SIZE) * columns + (gsize)((x + margin) / CELL_SIZE);
      if (taken[cell])
        continue;

      taken[cell] = 1;
      g_array_append_val (self->visible, i);
    }
}

static void
story_pin_layer_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  StoryPinLayer *self = STORY_PIN_LAYER (widget);
  guint style = current_style (self);
  double margin = pin_radius (style, PIN_SELECTED);
  guint n_names = 0;
  cairo_t *cr;
  View view;

  self->n_drawn = 0;
  if (self->pins->len == 0 || gtk_widget_get_width (widget) <= 0 || gtk_widget_get_height (widget) <= 0)
    return;

  get_view (self, &view);
  ensure_sprites (self, style, gtk_widget_get_scale_factor (widget));
  collect_visible (self, &view, margin);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, 2 * view.half_width, 2 * view.half_height));

  for (guint k = self->visible->len; k > 0; k--)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, g_array_index (self->visible, guint, k - 1));
      double x, y;

      pin_position (&view, pin, &x, &y);
      draw_pin (self, cr, style, pin, x, y);
    }

  /* The current paragraph's places, then the selected one, on top. */
  for (guint state = PIN_HIGHLIGHTED; state <= PIN_SELECTED; state++)
    for (guint k = 0; k < self->marked->len; k++)
      {
        const Pin *pin = &g_array_index (self->pins, Pin, g_array_index (self->marked, guint, k));
        double x, y;

        pin_position (&view, pin, &x, &y);
        if (pin->state != state || !in_view (&view, x, y, margin))
          continue;

        draw_pin (self, cr, style, pin, x, y);
        if (state == PIN_SELECTED || n_names++ < MAX_NAMES)
          draw_name (self, cr, style, pin, x, y);
      }

  cairo_destroy (cr);
}

static gboolean
hits (const View *view,
      const Pin  *pin,
      double      radius,
      double      x,
      double      y)
{
  double px, py;

  pin_position (view, pin, &px, &py);
  return fabs (px - x) <= radius && fabs (py - y) <= radius;
}

/**
 * story_pin_layer_get_place_at:
 * @x: a point in the layer, in pixels
 *
 * Returns: (transfer none) (nullable): the place whose pin is drawn at the
 *   point, the one on top where pins meet
 */
StoryPlace *
story_pin_layer_get_place_at (StoryPinLayer *self,
                              double         x,
                              double         y)
{
  guint style;
  View view;

  g_return_val_if_fail (STORY_IS_PIN_LAYER (self), NULL);

  if (self->pins->len == 0)
    return NULL;

  style = current_style (self);
  get_view (self, &view);

  for (guint state = PIN_SELECTED; state >= PIN_HIGHLIGHTED; state--)
    for (guint k = self->marked->len; k > 0; k--)
      {
        const Pin *pin = &g_array_index (self->pins, Pin, g_array_index (self->marked, guint, k - 1));

        if (pin->state == state && hits (&view, pin, pin_radius (style, state), x, y))
          return pin->place;
      }

  for (guint i = 0; i < self->pins->len; i++)
    {
      const Pin *pin = &g_array_index (self->pins, Pin, i);

      if (pin->state == PIN_NORMAL && hits (&view, pin, pin_radius (style, PIN_NORMAL), x, y))
        return pin->place;
    }

  return NULL;
}

/* Only pins take the pointer: elsewhere the map is dragged as ever. */
static gboolean
story_pin_layer_contains (GtkWidget *widget,
                          double     x,
                          double     y)
{
  return story_pin_layer_get_place_at (STORY_PIN_LAYER (widget), x, y) != NULL;
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            StoryPinLayer   *self)
{
  self->pressed = story_pin_layer_get_place_at (self, x, y);
  if (self->pressed == NULL)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
on_released (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             StoryPinLayer   *self)
{
  StoryPlace *place = story_pin_layer_get_place_at (self, x, y);

  if (place != NULL && place == self->pressed)
    g_signal_emit (self, signals[PLACE_ACTIVATED], 0, place);
  self->pressed = NULL;
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  StoryPlace *place = story_pin_layer_get_place_at (STORY_PIN_LAYER (widget), x, y);
  const char *description;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (place == NULL)
    return FALSE;

  name = story_text_for_label (story_place_get_display_name (place), STORY_TEXT_MAX_NAME_CHARS);
  description = story_place_get_description (place);
  if (description == NULL)
    {
      text = g_steal_pointer (&name);
    }
  else
    {
      g_autofree char *shown = story_text_for_label (description, STORY_TEXT_MAX_LABEL_CHARS);
      text = g_strdup_printf ("%s\n%s", name, shown);
    }

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
story_pin_layer_dispose (GObject *object)
{
  StoryPinLayer *self = STORY_PIN_LAYER (object);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));

  if (viewport != NULL)
    g_signal_handlers_disconnect_by_data (viewport, self);
  clear_sprites (self);

  G_OBJECT_CLASS (story_pin_layer_parent_class)->dispose (object);
}

static void
story_pin_layer_finalize (GObject *object)
{
  StoryPinLayer *self = STORY_PIN_LAYER (object);

  g_array_unref (self->pins);
  g_array_unref (self->marked);
  g_array_unref (self->visible);
  g_hash_table_unref (self->index);

  G_OBJECT_CLASS (story_pin_layer_parent_class)->finalize (object);
}

static void
story_pin_layer_class_init (StoryPinLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_pin_layer_dispose;
  object_class->finalize = story_pin_layer_finalize;
  widget_class->snapshot = story_pin_layer_snapshot;
  widget_class->contains = story_pin_layer_contains;
  /* Screen readers reach the places through the place list. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);

  /**
   * StoryPinLayer::place-activated:
   * @place: the place whose pin was clicked
   *
   * Emitted when a pin is clicked.
   */
  signals[PLACE_ACTIVATED] =
    g_signal_new ("place-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, STORY_TYPE_PLACE);
}

static void
story_pin_layer_init (StoryPinLayer *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->pins = g_array_new (FALSE, FALSE, sizeof (Pin));
  self->marked = g_array_new (FALSE, FALSE, sizeof (guint));
  self->visible = g_array_new (FALSE, FALSE, sizeof (guint));
  self->index = g_hash_table_new (NULL, NULL);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}

/**
 * story_pin_layer_new:
 * @viewport: the view the pins are shown in
 *
 * Returns: (transfer floating): a layer with no pins
 */
StoryPinLayer *
story_pin_layer_new (ShumateViewport *viewport)
{
  StoryPinLayer *self;

  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  self = g_object_new (STORY_TYPE_PIN_LAYER, "viewport", viewport, NULL);

  g_signal_connect_swapped (viewport, "notify::latitude", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (viewport, "notify::longitude", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (viewport, "notify::zoom-level", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (viewport, "notify::rotation", G_CALLBACK (gtk_widget_queue_draw), self);

  return self;
}

/**
 * story_pin_layer_set_places:
 * @places: (nullable): a list of #StoryPlace, or %NULL for none
 *
 * Puts a pin on each place's anchor. The layer does not keep the places:
 * they must outlive it, or be replaced first.
 */
void
story_pin_layer_set_places (StoryPinLayer *self,
                            GListModel    *places)
{
  guint n;

  g_return_if_fail (STORY_IS_PIN_LAYER (self));
  g_return_if_fail (places == NULL || G_IS_LIST_MODEL (places));

  g_array_set_size (self->pins, 0);
  g_array_set_size (self->marked, 0);
  g_array_set_size (self->visible, 0);
  g_hash_table_remove_all (self->index);
  self->pressed = NULL;

  n = places ? g_list_model_get_n_items (places) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StoryPlace) place = g_list_model_get_item (places, i);
      StoryPlaceKind kind = story_place_get_kind (place);
      Pin pin = { 0, 0, place, kind == STORY_PLACE_KIND_REGION || kind == STORY_PLACE_KIND_COUNTRY, PIN_NORMAL };
      double lat, lon;

      story_place_get_anchor (place, &lat, &lon);
      story_geo_project (lat, lon, &pin.x, &pin.y);
      g_array_append_val (self->pins, pin);
      g_hash_table_insert (self->index, place, GUINT_TO_POINTER (i + 1));
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
mark (StoryPinLayer *self,
      StoryPlace    *place,
      guint          state)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (self->index, place));
  Pin *pin;

  if (i == 0)
    return;

  pin = &g_array_index (self->pins, Pin, i - 1);
  if (pin->state == PIN_NORMAL)
    {
      i--;
      g_array_append_val (self->marked, i);
    }
  pin->state = MAX (pin->state, state);
}

/**
 * story_pin_layer_set_state:
 * @selected: (nullable): the selected place
 * @highlighted: (nullable) (element-type StoryPlace): the places of the
 *   current paragraph
 *
 * Draws the selected place and the current paragraph's larger, with their
 * names, above the others.
 */
void
story_pin_layer_set_state (StoryPinLayer *self,
                           StoryPlace    *selected,
                           GPtrArray     *highlighted)
{
  g_return_if_fail (STORY_IS_PIN_LAYER (self));

  for (guint k = 0; k < self->marked->len; k++)
    g_array_index (self->pins, Pin, g_array_index (self->marked, guint, k)).state = PIN_NORMAL;
  g_array_set_size (self->marked, 0);

  for (guint k = 0; highlighted != NULL && k < highlighted->len; k++)
    mark (self, g_ptr_array_index (highlighted, k), PIN_HIGHLIGHTED);
  if (selected != NULL)
    mark (self, selected, PIN_SELECTED);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * story_pin_layer_get_pin_point:
 *
 * Returns: whether @place has a pin; if so, @x and @y are where it is drawn
 *   in the layer
 */
gboolean
story_pin_layer_get_pin_point (StoryPinLayer *self,
                               StoryPlace    *place,
                               double        *x,
                               double        *y)
{
  guint i;
  View view;

  g_return_val_if_fail (STORY_IS_PIN_LAYER (self), FALSE);

  i = GPOINTER_TO_UINT (g_hash_table_lookup (self->index, place));
  if (i == 0)
    return FALSE;

  get_view (self, &view);
  pin_position (&view, &g_array_index (self->pins, Pin, i - 1), x, y);
  return TRUE;
}

guint
story_pin_layer_get_n_places (StoryPinLayer *self)
{
  g_return_val_if_fail (STORY_IS_PIN_LAYER (self), 0);

  return self->pins->len;
}

/* Returns: how many pins the last frame drew */
guint
story_pin_layer_get_n_drawn (StoryPinLayer *self)
{
  g_return_val_if_fail (STORY_IS_PIN_LAYER (self), 0);

  return self->n_drawn;
}
