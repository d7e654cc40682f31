/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-place"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "story-place.h"

/* A place named by a story: a point, or an area made of one or more rings. */
struct _StoryPlace
{
  GObject         parent_instance;

  char           *id;
  char           *name;
  GHashTable     *names;         /* language → name */
  GPtrArray      *aliases;       /* NULL-terminated */
  char           *description;
  StoryPlaceKind  kind;
  double          lat;
  double          lon;
  GPtrArray      *rings;         /* GArray of StoryLatLon */
  StoryBounds     bounds;
  GArray         *paragraphs;    /* sorted, unique, 1-based */
  guint           in_dateline : 1;
};

G_DEFINE_FINAL_TYPE (StoryPlace, story_place, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  StoryPlaceKind  kind;
  const char     *id;
  const char     *label;
} kinds[] = {
  { STORY_PLACE_KIND_OTHER,    "other",    N_("Place") },
  { STORY_PLACE_KIND_COUNTRY,  "country",  N_("Country") },
  { STORY_PLACE_KIND_REGION,   "region",   N_("Region") },
  { STORY_PLACE_KIND_CITY,     "city",     N_("City") },
  { STORY_PLACE_KIND_TOWN,     "town",     N_("Town") },
  { STORY_PLACE_KIND_VILLAGE,  "village",  N_("Village") },
  { STORY_PLACE_KIND_LANDMARK, "landmark", N_("Landmark") },
};

void
story_bounds_init_empty (StoryBounds *bounds)
{
  bounds->west = bounds->south = INFINITY;
  bounds->east = bounds->north = -INFINITY;
}

gboolean
story_bounds_is_empty (const StoryBounds *bounds)
{
  return bounds->west > bounds->east || bounds->south > bounds->north;
}

void
story_bounds_extend (StoryBounds *bounds,
                     double       lat,
                     double       lon)
{
  bounds->west = MIN (bounds->west, lon);
  bounds->east = MAX (bounds->east, lon);
  bounds->south = MIN (bounds->south, lat);
  bounds->north = MAX (bounds->north, lat);
}

void
story_bounds_union (StoryBounds       *bounds,
                    const StoryBounds *other)
{
  if (story_bounds_is_empty (other))
    return;

  story_bounds_extend (bounds, other->south, other->west);
  story_bounds_extend (bounds, other->north, other->east);
}

gboolean
story_bounds_contains (const StoryBounds *bounds,
                       double             lat,
                       double             lon)
{
  return lat >= bounds->south && lat <= bounds->north &&
         lon >= bounds->west && lon <= bounds->east;
}

static void
story_place_finalize (GObject *object)
{
  StoryPlace *self = (StoryPlace *)object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_hash_table_unref (self->names);
  g_ptr_array_unref (self->aliases);
  g_ptr_array_unref (self->rings);
  g_array_unref (self->paragraphs);

  G_OBJECT_CLASS (story_place_parent_class)->finalize (object);
}

static void
story_place_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  StoryPlace *self = STORY_PLACE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, story_place_get_display_name (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
story_place_class_init (StoryPlaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = story_place_finalize;
  object_class->get_property = story_place_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
story_place_init (StoryPlace *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->aliases = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->rings = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  self->paragraphs = g_array_new (FALSE, FALSE, sizeof (guint));
  story_bounds_init_empty (&self->bounds);
}

StoryPlace *
story_place_new (const char     *id,
                 const char     *name,
                 StoryPlaceKind  kind)
{
  StoryPlace *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (STORY_TYPE_PLACE, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->kind = kind;

  return self;
}

const char *
story_place_get_id (StoryPlace *self)
{
  g_return_val_if_fail (STORY_IS_PLACE (self), NULL);

  return self->id;
}

const char *
story_place_get_name (StoryPlace *self)
{
  g_return_val_if_fail (STORY_IS_PLACE (self), NULL);

  return self->name;
}

/**
 * story_place_get_localized_name:
 * @language: (nullable): a language tag such as "hy" or "pt_BR", or %NULL
 *
 * Returns: the place's name in @language, falling back to the language
 *   without its territory ("pt" for "pt_BR") and then to the plain name.
 */
const char *
story_place_get_localized_name (StoryPlace *self,
                                const char *language)
{
  const char *found;
  g_autofree char *base = NULL;
  gsize len;

  g_return_val_if_fail (STORY_IS_PLACE (self), NULL);

  if (language == NULL || g_hash_table_size (self->names) == 0)
    return self->name;

  if ((found = g_hash_table_lookup (self->names, language)))
    return found;

  len = strcspn (language, "_-.@");
  base = g_strndup (language, len);
  if ((found = g_hash_table_lookup (self->names, base)))
    return found;

  return self->name;
}

/* The name to show in the language the interface runs in. */
const char *
story_place_get_display_name (StoryPlace *self)
{
  const char * const *langs;

  g_return_val_if_fail (STORY_IS_PLACE (self), NULL);

  if (g_hash_table_size (self->names) == 0)
    return self->name;

  langs = g_get_language_names ();
  for (guint i = 0; langs[i] != NULL; i++)
    {
      const char *name;
      g_autofree char *base = NULL;

      if (g_str_equal (langs[i], "C") || g_str_equal (langs[i], "POSIX"))
        break;

      base = g_strndup (langs[i], strcspn (langs[i], "_-.@"));
      if ((name = g_hash_table_lookup (self->names, langs[i])) ||
          (name = g_hash_table_lookup (self->names, base)))
        return name;
    }

  return self->name;
}

GHashTable *
story_place_get_names (StoryPlace *self)
{
  g_return_val_if_fail (STORY_IS_PLACE (self), NULL);

  return self->names;
}

void
story_place_set_localized_name (StoryPlace *self,
                                const char *language,
                                const char *name)
{
  g_return_if_fail (STORY_IS_PLACE (self));
  g_return_if_fail (language != NULL);
  g_return_if_fail (name != NULL);

  g_hash_table_replace (self->names, g_strdup (language), g_strdup (name));
}

const char * const *
story_place_get_aliases (StoryPlace *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (STORY_IS_PLACE (self), NULL);

  if (self->aliases->len == 0)
    return none;

  return (const char * const *)self->aliases->pdata;
}

void
story_place_add_alias (StoryPlace *self,
                       const char *alias)
{
  g_return_if_fail (STORY_IS_PLACE (self));
  g_return_if_fail (alias != NULL);

  g_ptr_array_add (self->aliases, g_strdup (alias));
}

StoryPlaceKind
story_place_get_kind (StoryPlace *self)
{
  g_return_val_if_fail (STORY_IS_PLACE (self), STORY_PLACE_KIND_OTHER);

  return self->kind;
}

const char *
story_place_kind_to_string (StoryPlaceKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].id;

  return "other";
}

gboolean
story_place_kind_from_string (const char     *str,
                              StoryPlaceKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_strcmp0 (kinds[i].id, str) == 0)
        {
          *kind = kinds[i].kind;
          return TRUE;
        }
    }

  return FALSE;
}

/* The kind as shown to the user, translated. */
const char *
story_place_kind_get_label (StoryPlaceKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return _(kinds[i].label);

  return _("Place");
}

const char *
story_place_get_description (StoryPlace *self)
{
  g_return_val_if_fail (STORY_IS_PLACE (self), NULL);

  return self->description;
}

void
story_place_set_description (StoryPlace *self,
                             const char *description)
{
  g_return_if_fail (STORY_IS_PLACE (self));

  if (g_strcmp0 (self->description, description) == 0)
    return;

  g_free (self->description);
  self->description = g_strdup (description);
}

void
story_place_get_anchor (StoryPlace *self,
                        double     *lat,
                        double     *lon)
{
  g_return_if_fail (STORY_IS_PLACE (self));

  if (lat)
    *lat = self->lat;
  if (lon)
    *lon = self->lon;
}

void
story_place_set_anchor (StoryPlace *self,
                        double      lat,
                        double      lon)
{
  g_return_if_fail (STORY_IS_PLACE (self));

  self->lat = lat;
  self->lon = lon;
}

gboolean
story_place_is_area (StoryPlace *self)
{
  g_return_val_if_fail (STORY_IS_PLACE (self), FALSE);

  return self->rings->len > 0;
}

/* A region or a country: a kind of place that has an outline, even where
 * the story gives only a point for it. */
gboolean
story_place_has_outline_kind (StoryPlace *self)
{
  g_return_val_if_fail (STORY_IS_PLACE (self), FALSE);

  return self->kind == STORY_PLACE_KIND_REGION || self->kind == STORY_PLACE_KIND_COUNTRY;
}

/**
 * story_place_add_ring:
 * @ring: (transfer full): a #GArray of #StoryLatLon
 *
 * Adds an outline ring to the place, making it an area.
 */
void
story_place_add_ring (StoryPlace *self,
                      GArray     *ring)
{
  g_return_if_fail (STORY_IS_PLACE (self));
  g_return_if_fail (ring != NULL);

  for (guint i = 0; i < ring->len; i++)
    {
      const StoryLatLon *p = &g_array_index (ring, StoryLatLon, i);
      story_bounds_extend (&self->bounds, p->lat, p->lon);
    }

  g_ptr_array_add (self->rings, ring);
}

guint
story_place_get_n_rings (StoryPlace *self)
{
  g_return_val_if_fail (STORY_IS_PLACE (self), 0);

  return self->rings->len;
}

const StoryLatLon *
story_place_get_ring (StoryPlace *self,
                      guint       index,
                      guint      *n_points)
{
  GArray *ring;

  g_return_val_if_fail (STORY_IS_PLACE (self), NULL);
  g_return_val_if_fail (index < self->rings->len, NULL);

  ring = g_ptr_array_index (self->rings, index);
  *n_points = ring->len;

  return (const StoryLatLon *)(gpointer)ring->data;
}

/* The extent of the place: its outline for an area, its anchor otherwise. */
void
story_place_get_bounds (StoryPlace  *self,
                        StoryBounds *bounds)
{
  g_return_if_fail (STORY_IS_PLACE (self));

  *bounds = self->bounds;
  story_bounds_extend (bounds, self->lat, self->lon);
}

const guint *
story_place_get_paragraphs (StoryPlace *self,
                            guint      *n_paragraphs)
{
  g_return_val_if_fail (STORY_IS_PLACE (self), NULL);

  *n_paragraphs = self->paragraphs->len;

  return (const guint *)(gpointer)self->paragraphs->data;
}

gboolean
story_place_in_dateline (StoryPlace *self)
{
  g_return_val_if_fail (STORY_IS_PLACE (self), FALSE);

  return self->in_dateline;
}

/* Where @paragraph is in the sorted list, or would go; TRUE if it is. */
static gboolean
find_paragraph (StoryPlace *self,
                guint       paragraph,
                guint      *index)
{
  const guint *paragraphs = (const guint *)(gpointer)self->paragraphs->data;
  guint lo = 0, hi = self->paragraphs->len;

  /* Paragraphs mostly come in order: the last is checked first. */
  if (hi > 0 && paragraphs[hi - 1] < paragraph)
    lo = hi;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (paragraphs[mid] < paragraph)
        lo = mid + 1;
      else
        hi = mid;
    }

  *index = lo;
  return lo < self->paragraphs->len && paragraphs[lo] == paragraph;
}

/* Paragraph 0 is the dateline; the rest are numbered from 1. */
void
story_place_add_paragraph (StoryPlace *self,
                           guint       paragraph)
{
  guint i;

  g_return_if_fail (STORY_IS_PLACE (self));

  if (paragraph == 0)
    {
      self->in_dateline = TRUE;
      return;
    }

  if (!find_paragraph (self, paragraph, &i))
    g_array_insert_val (self->paragraphs, i, paragraph);
}

gboolean
story_place_is_mentioned_in (StoryPlace *self,
                             guint       paragraph)
{
  guint i;

  g_return_val_if_fail (STORY_IS_PLACE (self), FALSE);

  if (paragraph == 0)
    return self->in_dateline;

  return find_paragraph (self, paragraph, &i);
}
