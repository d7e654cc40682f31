/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-map-view"

#include "config.h"

#include <math.h>

#include "story-map-scale.h"
#include "story-map-view-private.h"

/*
 * The map's scale: a bar of a round distance in kilometres (or metres)
 * and one in miles (or feet), each with its length written in the
 * interface's language, on a backing that keeps them legible over any map.
 */

#define MAX_BAR_WIDTH 100          /* pixels */
#define EARTH_CIRCUMFERENCE 40075016.686 /* metres at the equator */

struct _StoryMapScale
{
  GtkWidget        parent_instance;

  ShumateViewport *viewport;
  GtkWidget       *labels[2];
  GtkWidget       *bars[2];
  guint            update_tick;
};

G_DEFINE_FINAL_TYPE (StoryMapScale, story_map_scale, GTK_TYPE_WIDGET)

/* The largest 1, 2 or 5 times a power of ten not above @value. */
static double
round_down (double value)
{
  double power = pow (10, floor (log10 (value)));
  double first = value / power;

  return power * (first >= 5 ? 5 : first >= 2 ? 2 : 1);
}

static void
set_bar (StoryMapScale *self,
         guint          i,
         double         metres_per_pixel,
         double         unit)
{
  double max_units = MAX_BAR_WIDTH * metres_per_pixel / unit;
  double units = round_down (max_units);
  double metres = units * unit;
  g_autofree char *text = _story_map_view_format_length (metres, i == 0);

  gtk_label_set_text (GTK_LABEL (self->labels[i]), text);
  gtk_widget_set_size_request (self->bars[i], MAX (1, (int)round (metres / metres_per_pixel)), -1);
}

static void
update (StoryMapScale *self)
{
  double zoom = shumate_viewport_get_zoom_level (self->viewport);
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (self->viewport));
  double metres_per_pixel = EARTH_CIRCUMFERENCE * cos (lat * G_PI / 180) / (256 * pow (2, zoom));

  if (!(metres_per_pixel > 0))
    return;

  set_bar (self, 0, metres_per_pixel, metres_per_pixel * MAX_BAR_WIDTH >= 1000 ? 1000 : 1);
  set_bar (self, 1, metres_per_pixel,
           metres_per_pixel * MAX_BAR_WIDTH >= STORY_METRES_PER_MILE ? STORY_METRES_PER_MILE : STORY_METRES_PER_FOOT);
}

static void
story_map_scale_dispose (GObject *object)
{
  StoryMapScale *self = STORY_MAP_SCALE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->viewport);

  G_OBJECT_CLASS (story_map_scale_parent_class)->dispose (object);
}

static void
story_map_scale_class_init (StoryMapScaleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = story_map_scale_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "storymapscale");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
story_map_scale_init (StoryMapScale *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  for (guint i = 0; i < 2; i++)
    {
      self->labels[i] = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->labels[i]), 0);
      gtk_widget_add_css_class (self->labels[i], "caption");
      self->bars[i] = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      gtk_widget_set_halign (self->bars[i], GTK_ALIGN_START);
      gtk_widget_add_css_class (self->bars[i], i == 0 ? "metric" : "imperial");
      gtk_widget_add_css_class (self->bars[i], "bar");
    }

  /* Kilometres over the bars, miles under them. */
  gtk_widget_set_parent (self->labels[0], GTK_WIDGET (self));
  gtk_widget_set_parent (self->bars[0], GTK_WIDGET (self));
  gtk_widget_set_parent (self->bars[1], GTK_WIDGET (self));
  gtk_widget_set_parent (self->labels[1], GTK_WIDGET (self));
}

GtkWidget *
story_map_scale_new (ShumateViewport *viewport)
{
  StoryMapScale *self;

  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  self = g_object_new (STORY_TYPE_MAP_SCALE, NULL);
  self->viewport = g_object_ref (viewport);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);

  return GTK_WIDGET (self);
}

/* The length the kilometre bar shows, as written beside it. */
const char *
story_map_scale_get_metric (StoryMapScale *self)
{
  g_return_val_if_fail (STORY_IS_MAP_SCALE (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->labels[0]));
}

/* The length the mile bar shows, as written beside it. */
const char *
story_map_scale_get_imperial (StoryMapScale *self)
{
  g_return_val_if_fail (STORY_IS_MAP_SCALE (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->labels[1]));
}

int
story_map_scale_get_bar_width (StoryMapScale *self,
                               gboolean       metric)
{
  int width;

  g_return_val_if_fail (STORY_IS_MAP_SCALE (self), 0);

  gtk_widget_get_size_request (self->bars[metric ? 0 : 1], &width, NULL);
  return width;
}
