/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-tour"

#include "config.h"

#include "story-tour.h"

/*
 * A guided tour: selects each paragraph in turn, leaving it on screen for
 * as long as it takes to read (or a fixed delay), then moves on. It is one
 * more writer of the selection, like a click or a key.
 */
struct _StoryTour
{
  GObject         parent_instance;

  StorySelection *selection;
  guint           delay_ms;       /* 0: from the paragraph's reading time */
  guint           timeout_id;
  guint           playing : 1;
  guint           started : 1;
};

G_DEFINE_FINAL_TYPE (StoryTour, story_tour, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PLAYING,
  PROP_STARTED,
  PROP_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Reading speed of a class reading along, and time for the map to fly. */
#define WORDS_PER_MINUTE 180
#define MAP_TIME_MS 2500
#define MIN_DELAY_MS 4000
#define MAX_DELAY_MS 40000

static void schedule (StoryTour *self);

static void
set_playing (StoryTour *self,
             gboolean   playing)
{
  playing = !!playing;
  if (self->playing == playing)
    return;

  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
set_started (StoryTour *self,
             gboolean   started)
{
  started = !!started;
  if (self->started == started)
    return;

  self->started = started;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED]);
}

static gboolean
advance_cb (gpointer user_data)
{
  StoryTour *self = user_data;

  self->timeout_id = 0;

  if (!story_selection_step (self->selection, 1))
    {
      /* The last paragraph was shown: the tour is over. */
      story_tour_stop (self);
      return G_SOURCE_REMOVE;
    }

  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (StoryTour *self)
{
  guint paragraph = story_selection_get_paragraph (self->selection);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (story_tour_get_paragraph_delay (self, paragraph), advance_cb, self);
}

static void
story_tour_dispose (GObject *object)
{
  StoryTour *self = (StoryTour *)object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (story_tour_parent_class)->dispose (object);
}

static void
story_tour_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  StoryTour *self = STORY_TOUR (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;

    case PROP_STARTED:
      g_value_set_boolean (value, self->started);
      break;

    case PROP_DELAY:
      g_value_set_uint (value, self->delay_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_tour_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  StoryTour *self = STORY_TOUR (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      if (g_value_get_boolean (value))
        story_tour_play (self);
      else
        story_tour_pause (self);
      break;

    case PROP_DELAY:
      story_tour_set_delay (self, g_value_get_uint (value));
      break;

    case PROP_STARTED:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_tour_class_init (StoryTourClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = story_tour_dispose;
  object_class->get_property = story_tour_get_property;
  object_class->set_property = story_tour_set_property;

  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STARTED] =
    g_param_spec_boolean ("started", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELAY] =
    g_param_spec_uint ("delay", NULL, NULL, 0, 600000, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
story_tour_init (StoryTour *self)
{
}

StoryTour *
story_tour_new (StorySelection *selection)
{
  StoryTour *self;

  g_return_val_if_fail (STORY_IS_SELECTION (selection), NULL);

  self = g_object_new (STORY_TYPE_TOUR, NULL);
  self->selection = g_object_ref (selection);

  return self;
}

gboolean
story_tour_get_playing (StoryTour *self)
{
  g_return_val_if_fail (STORY_IS_TOUR (self), FALSE);

  return self->playing;
}

/* TRUE from the first play until the tour ends or is stopped, paused or not. */
gboolean
story_tour_get_started (StoryTour *self)
{
  g_return_val_if_fail (STORY_IS_TOUR (self), FALSE);

  return self->started;
}

/* Plays from the current paragraph, or from the first if none is shown or
 * the last one is. */
void
story_tour_play (StoryTour *self)
{
  StoryDocument *document;
  guint paragraph;

  g_return_if_fail (STORY_IS_TOUR (self));

  document = story_selection_get_document (self->selection);
  if (self->playing || document == NULL)
    return;

  paragraph = story_selection_get_paragraph (self->selection);
  if (paragraph == 0 || (!self->started && paragraph == story_document_get_n_paragraphs (document)))
    story_selection_select_paragraph (self->selection, 1);
  else if (!self->started)
    story_selection_select_paragraph (self->selection, paragraph);

  set_started (self, TRUE);
  set_playing (self, TRUE);
  schedule (self);
}

/* Holds the tour on the current paragraph; play resumes it. */
void
story_tour_pause (StoryTour *self)
{
  g_return_if_fail (STORY_IS_TOUR (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  set_playing (self, FALSE);
}

void
story_tour_stop (StoryTour *self)
{
  g_return_if_fail (STORY_IS_TOUR (self));

  story_tour_pause (self);
  set_started (self, FALSE);
}

void
story_tour_toggle (StoryTour *self)
{
  g_return_if_fail (STORY_IS_TOUR (self));

  if (self->playing)
    story_tour_pause (self);
  else
    story_tour_play (self);
}

guint
story_tour_get_delay (StoryTour *self)
{
  g_return_val_if_fail (STORY_IS_TOUR (self), 0);

  return self->delay_ms;
}

/* A fixed time on each paragraph, or 0 for each paragraph's reading time. */
void
story_tour_set_delay (StoryTour *self,
                      guint      delay_ms)
{
  g_return_if_fail (STORY_IS_TOUR (self));

  if (self->delay_ms == delay_ms)
    return;

  self->delay_ms = delay_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY]);
}

/* How long @paragraph stays: its words at reading speed, plus time for
 * the map to get there. */
guint
story_tour_get_paragraph_delay (StoryTour *self,
                                guint      paragraph)
{
  StoryDocument *document;
  const char *text;
  guint words = 0;
  gboolean in_word = FALSE;

  g_return_val_if_fail (STORY_IS_TOUR (self), 0);

  if (self->delay_ms > 0)
    return self->delay_ms;

  document = story_selection_get_document (self->selection);
  if (document == NULL || paragraph == 0 || paragraph > story_document_get_n_paragraphs (document))
    return MIN_DELAY_MS;

  text = story_document_get_paragraph (document, paragraph);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gboolean space = g_unichar_isspace (g_utf8_get_char (p));

      if (!space && !in_word)
        words++;
      in_word = !space;
    }

  return CLAMP (words * 60000 / WORDS_PER_MINUTE + MAP_TIME_MS, MIN_DELAY_MS, MAX_DELAY_MS);
}
