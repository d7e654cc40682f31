/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-map-view"

#include "config.h"

#include <math.h>

#include "story-geo.h"
#include "story-map-view-private.h"

/*
 * Marker names that would cover each other, or another marker's pin, are
 * hidden; every pin stays. A name of the current paragraph that has no
 * room after its pin goes before it. Pins that cover each other count as one. (A name of the current paragraph may cover a
 * pin, and the selected place's name always shows.) Names are placed in order of importance: the
 * selected place, the places of the current paragraph, then the places the
 * story names most often, then in the story's order. Where two names meet
 * depends only on the zoom level and the rotation, so they are placed again
 * when either changes, when the selection does, and when the window's look
 * does (presentation mode makes names larger). A hidden name shows in the
 * marker's tooltip; screen readers have it as the marker's name throughout.
 */

typedef struct
{
  GtkWidget  *button;
  GtkWidget  *pin;
  GtkWidget  *label;
  double      x, y;            /* Web Mercator, 0 to 1 */
  int         width, height;   /* the name's, kept while it is hidden */
  guint       n_mentions;
  gboolean    flipped;         /* its name on the other side of its pin */
} Label;

typedef struct
{
  float x0, y0, x1, y1;
} Box;

static gboolean
boxes_meet (const Box *a,
            const Box *b)
{
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

void
_story_map_view_clear_labels (StoryMapView *self)
{
  if (self->labels != NULL)
    g_array_set_size (self->labels, 0);
}

void
_story_map_view_add_label (StoryMapView *self,
                           StoryPlace   *place,
                           GtkWidget    *button,
                           GtkWidget    *pin,
                           GtkWidget    *label)
{
  Label entry = { button, pin, label, 0, 0, 0, 0, 0, FALSE };
  double lat, lon;

  if (self->labels == NULL)
    self->labels = g_array_new (FALSE, FALSE, sizeof (Label));

  story_place_get_anchor (place, &lat, &lon);
  story_geo_project (lat, lon, &entry.x, &entry.y);
  story_place_get_paragraphs (place, &entry.n_mentions);
  g_array_append_val (self->labels, entry);
}

/* Lower first: the selected place, the current paragraph's (as the
 * markers show them), then the rest. */
static int
rank (const Label *label)
{
  if (gtk_widget_has_css_class (label->button, "selected"))
    return 0;
  if (gtk_widget_has_css_class (label->button, "highlighted"))
    return 1;
  return 2;
}

static int
compare_labels (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  StoryMapView *self = user_data;
  const Label *la = &g_array_index (self->labels, Label, *(const guint *)a);
  const Label *lb = &g_array_index (self->labels, Label, *(const guint *)b);
  int ra = rank (la), rb = rank (lb);

  if (ra != rb)
    return ra - rb;
  if (la->n_mentions != lb->n_mentions)
    return la->n_mentions > lb->n_mentions ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : 1;
}

/* The zoom level the map has, or is about to have once it is allocated. */
static double
current_zoom (StoryMapView *self)
{
  if (self->has_pending && self->has_pending_zoom)
    return self->pending_zoom;

  return shumate_viewport_get_zoom_level (shumate_map_get_viewport (self->map));
}

static void
size_of (GtkWidget *widget,
         int       *width,
         int       *height)
{
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, width, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, NULL, height, NULL, NULL);
}

/* Where each pin and name would be, in pixels relative to one another:
 * the name after its pin in the reading direction, or before it. */
static void
place_boxes (StoryMapView *self,
             Box          *pins,
             Box          *names,
             Box          *other_names)
{
  double scale = 256.0 * pow (2.0, current_zoom (self));
  double angle = shumate_viewport_get_rotation (shumate_map_get_viewport (self->map));
  double c = cos (angle), s = sin (angle);
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  for (guint i = 0; i < self->labels->len; i++)
    {
      Label *label = &g_array_index (self->labels, Label, i);
      double x = label->x * scale, y = label->y * scale;
      double px = x * c - y * s, py = x * s + y * c;
      int pin_width, pin_height;
      float start;

      size_of (label->pin, &pin_width, &pin_height);
      if (gtk_widget_get_visible (label->label))
        size_of (label->label, &label->width, &label->height);

      pins[i] = (Box) { px - pin_width / 2.0, py - pin_height / 2.0,
                        px + pin_width / 2.0, py + pin_height / 2.0 };
      /* Names may touch: each has a margin on its pin's side and an
       * outline. */
      start = rtl ? pins[i].x0 - label->width : pins[i].x1;
      names[i] = (Box) { start, py - label->height / 2.0, start + label->width, py + label->height / 2.0 };
      start = rtl ? pins[i].x1 : pins[i].x0 - label->width;
      other_names[i] = (Box) { start, names[i].y0, start + label->width, names[i].y1 };
    }
}

static gboolean
meets_any (const Box *box,
           const Box *boxes,
           guint      n)
{
  for (guint i = 0; i < n; i++)
    if (boxes_meet (box, &boxes[i]))
      return TRUE;

  return FALSE;
}

/* Whether the name of marker @i would cover a pin other than its own. Pins
 * that cover its pin read as one with it: a cluster keeps a name. */
static gboolean
covers_pin (const Box *name,
            const Box *pins,
            guint      n,
            guint      i)
{
  for (guint j = 0; j < n; j++)
    if (j != i && boxes_meet (name, &pins[j]) && !boxes_meet (&pins[i], &pins[j]))
      return TRUE;

  return FALSE;
}

/* Whether a name of rank @r fits at @name: the selected place's always,
 * the current paragraph's over any pin but no name. */
static gboolean
name_fits (const Box *name,
           int        r,
           const Box *shown,
           guint      n_shown,
           const Box *pins,
           guint      n,
           guint      i)
{
  return r == 0 ||
         (!meets_any (name, shown, n_shown) && (r == 1 || !covers_pin (name, pins, n, i)));
}

/* Puts a marker's name before its pin rather than after it. */
static void
flip_name (StoryMapView *self,
           Label        *label,
           gboolean      flipped)
{
  GtkWidget *marker = gtk_widget_get_parent (label->button);
  GtkWidget *content = gtk_button_get_child (GTK_BUTTON (label->button));
  GtkTextDirection dir = gtk_widget_get_direction (GTK_WIDGET (self));

  if (label->flipped == flipped || marker == NULL)
    return;

  /* A widget's direction is its own, not its parent's: the marker's
   * layout, the button's style and the box of pin and name each have it. */
  label->flipped = flipped;
  dir = !flipped ? GTK_TEXT_DIR_NONE : dir == GTK_TEXT_DIR_RTL ? GTK_TEXT_DIR_LTR : GTK_TEXT_DIR_RTL;
  gtk_widget_set_direction (marker, dir);
  gtk_widget_set_direction (label->button, dir);
  gtk_widget_set_direction (content, dir);
  gtk_widget_queue_resize (content);
}

static void
place_labels (StoryMapView *self)
{
  g_autofree Box *pins = NULL;
  g_autofree Box *names = NULL;
  g_autofree Box *other_names = NULL;
  g_autofree Box *shown = NULL;
  g_autofree guint *order = NULL;
  gboolean resized = FALSE;
  guint n, n_shown = 0;

  if (self->labels == NULL || self->labels->len == 0)
    return;

  n = self->labels->len;
  pins = g_new (Box, n);
  names = g_new (Box, n);
  other_names = g_new (Box, n);
  shown = g_new (Box, n);
  order = g_new (guint, n);
  place_boxes (self, pins, names, other_names);

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (guint), compare_labels, self);

  for (guint k = 0; k < n; k++)
    {
      guint i = order[k];
      Label *label = &g_array_index (self->labels, Label, i);
      int r = rank (label);
      /* The selected place's name always shows, the current paragraph's
       * over any pin, and where it has no room after its pin, before it. */
      gboolean show = name_fits (&names[i], r, shown, n_shown, pins, n, i);
      gboolean flipped = !show && r == 1 && name_fits (&other_names[i], r, shown, n_shown, pins, n, i);

      if (show || flipped)
        shown[n_shown++] = flipped ? other_names[i] : names[i];
      flip_name (self, label, flipped);
      show |= flipped;
      if (gtk_widget_get_visible (label->label) != show)
        {
          /* A name shown again was placed at the size it had when it was
           * hidden; once shown it is measured, and placed again. */
          resized |= show;
          gtk_widget_set_visible (label->label, show);
        }
    }

  if (resized)
    _story_map_view_queue_labels (self);
}

static gboolean
place_labels_cb (GtkWidget     *widget,
                 GdkFrameClock *frame_clock,
                 gpointer       user_data)
{
  StoryMapView *self = STORY_MAP_VIEW (widget);

  self->labels_tick = 0;
  place_labels (self);

  return G_SOURCE_REMOVE;
}

/**
 * _story_map_view_queue_labels:
 *
 * Places the markers' names again before the next frame is laid out.
 */
void
_story_map_view_queue_labels (StoryMapView *self)
{
  if (self->labels_tick == 0)
    self->labels_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), place_labels_cb, NULL, NULL);
}
