/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-selection"

#include "config.h"

#include "story-selection.h"

/*
 * The one source of truth for what is selected: the current paragraph and
 * the current place. The article and the map never call each other; they
 * write intents here and follow the "changed" signal.
 */
struct _StorySelection
{
  GObject        parent_instance;

  StoryDocument *document;
  StoryPlace    *place;
  StoryPlace    *previous_place;
  guint          paragraph;
  StoryFocus     focus;
};

G_DEFINE_FINAL_TYPE (StorySelection, story_selection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_PARAGRAPH,
  PROP_PLACE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
story_selection_dispose (GObject *object)
{
  StorySelection *self = (StorySelection *)object;

  g_clear_object (&self->document);
  g_clear_object (&self->place);
  g_clear_object (&self->previous_place);

  G_OBJECT_CLASS (story_selection_parent_class)->dispose (object);
}

static void
story_selection_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  StorySelection *self = STORY_SELECTION (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    case PROP_PARAGRAPH:
      g_value_set_uint (value, self->paragraph);
      break;

    case PROP_PLACE:
      g_value_set_object (value, self->place);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_selection_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  StorySelection *self = STORY_SELECTION (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      story_selection_set_document (self, g_value_get_object (value));
      break;

    case PROP_PARAGRAPH:
    case PROP_PLACE:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_selection_class_init (StorySelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = story_selection_dispose;
  object_class->get_property = story_selection_get_property;
  object_class->set_property = story_selection_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, STORY_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PARAGRAPH] =
    g_param_spec_uint ("paragraph", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLACE] =
    g_param_spec_object ("place", NULL, NULL, STORY_TYPE_PLACE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StorySelection::changed:
   *
   * Emitted once after the paragraph, the place or both changed, when
   * the views should follow. story_selection_get_focus() tells whether
   * the change was about a paragraph or a place.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
story_selection_init (StorySelection *self)
{
}

StorySelection *
story_selection_new (void)
{
  return g_object_new (STORY_TYPE_SELECTION, NULL);
}

/* Applies a new state, notifying what changed and emitting ::changed once. */
static void
update (StorySelection *self,
        guint           paragraph,
        StoryPlace     *place,
        StoryFocus      focus)
{
  gboolean paragraph_changed = self->paragraph != paragraph;
  gboolean place_changed = self->place != place;

  g_object_freeze_notify (G_OBJECT (self));

  if (place_changed)
    {
      if (self->place != NULL)
        g_set_object (&self->previous_place, self->place);
      g_set_object (&self->place, place);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACE]);
    }

  if (paragraph_changed)
    {
      self->paragraph = paragraph;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAGRAPH]);
    }

  self->focus = focus;

  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[CHANGED], 0);
}

StoryDocument *
story_selection_get_document (StorySelection *self)
{
  g_return_val_if_fail (STORY_IS_SELECTION (self), NULL);

  return self->document;
}

/* A new document starts with nothing selected. */
void
story_selection_set_document (StorySelection *self,
                              StoryDocument  *document)
{
  g_return_if_fail (STORY_IS_SELECTION (self));
  g_return_if_fail (!document || STORY_IS_DOCUMENT (document));

  if (!g_set_object (&self->document, document))
    return;

  g_clear_object (&self->previous_place);
  g_clear_object (&self->place);
  self->paragraph = 0;
  self->focus = STORY_FOCUS_NONE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAGRAPH]);
}

/* Returns: the selected paragraph, from 1, or 0 for none */
guint
story_selection_get_paragraph (StorySelection *self)
{
  g_return_val_if_fail (STORY_IS_SELECTION (self), 0);

  return self->paragraph;
}

StoryPlace *
story_selection_get_place (StorySelection *self)
{
  g_return_val_if_fail (STORY_IS_SELECTION (self), NULL);

  return self->place;
}

/* The place selected before the current one, for distances. */
StoryPlace *
story_selection_get_previous_place (StorySelection *self)
{
  g_return_val_if_fail (STORY_IS_SELECTION (self), NULL);

  return self->previous_place;
}

StoryFocus
story_selection_get_focus (StorySelection *self)
{
  g_return_val_if_fail (STORY_IS_SELECTION (self), STORY_FOCUS_NONE);

  return self->focus;
}

/* Selects a paragraph: the map shows all the places it names. */
void
story_selection_select_paragraph (StorySelection *self,
                                  guint           paragraph)
{
  g_return_if_fail (STORY_IS_SELECTION (self));
  g_return_if_fail (self->document != NULL);
  g_return_if_fail (paragraph >= 1);
  g_return_if_fail (paragraph <= story_document_get_n_paragraphs (self->document));

  update (self, paragraph, NULL, STORY_FOCUS_PARAGRAPH);
}

/**
 * story_selection_activate_place:
 *
 * Selects @place and the first paragraph that names it; activating the
 * place again steps to the next such paragraph, wrapping around. A place
 * the text never names is selected with no paragraph.
 */
void
story_selection_activate_place (StorySelection *self,
                                StoryPlace     *place)
{
  const guint *paragraphs;
  guint n, next;

  g_return_if_fail (STORY_IS_SELECTION (self));
  g_return_if_fail (STORY_IS_PLACE (place));

  paragraphs = story_place_get_paragraphs (place, &n);

  if (n == 0)
    {
      update (self, 0, place, STORY_FOCUS_PLACE);
      return;
    }

  next = paragraphs[0];
  if (self->place == place)
    {
      for (guint i = 0; i < n; i++)
        {
          if (paragraphs[i] > self->paragraph)
            {
              next = paragraphs[i];
              break;
            }
        }
    }

  update (self, next, place, STORY_FOCUS_PLACE);
}

/* A mention in the text was activated: that paragraph, that place. */
void
story_selection_select_mention (StorySelection *self,
                                guint           paragraph,
                                StoryPlace     *place)
{
  g_return_if_fail (STORY_IS_SELECTION (self));
  g_return_if_fail (STORY_IS_PLACE (place));

  update (self, paragraph, place, STORY_FOCUS_PLACE);
}

/**
 * story_selection_step:
 * @delta: how many paragraphs to move, negative for backwards
 *
 * Moves to a paragraph relative to the current one, stopping at the first
 * and last. With nothing selected, a step forward selects the first.
 *
 * Returns: %TRUE if the paragraph changed
 */
gboolean
story_selection_step (StorySelection *self,
                      int             delta)
{
  int n, target;

  g_return_val_if_fail (STORY_IS_SELECTION (self), FALSE);

  if (self->document == NULL)
    return FALSE;

  n = story_document_get_n_paragraphs (self->document);
  if (self->paragraph == 0)
    target = delta > 0 ? 1 : delta < 0 ? n : 0;
  else
    target = CLAMP ((int)self->paragraph + delta, 1, n);

  if (target == 0 || (guint)target == self->paragraph)
    return FALSE;

  story_selection_select_paragraph (self, target);
  return TRUE;
}
