/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-document"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "story-document.h"

/*
 * A story file, loaded and checked: the article, its places and where the
 * text names them. A document never changes once loaded; opening another
 * file makes a new one.
 */
struct _StoryDocument
{
  GObject      parent_instance;

  GFile       *file;
  char        *title;
  char        *dateline;
  char        *date;
  char        *source;
  char        *url;
  char        *language;
  GPtrArray   *paragraphs;    /* char *, NFC */
  GPtrArray   *mentions;      /* GArray of StoryMention, [0] is the dateline */
  GListStore  *places;
  GHashTable  *places_by_id;
  StoryBounds  view;
};

G_DEFINE_FINAL_TYPE (StoryDocument, story_document, G_TYPE_OBJECT)
G_DEFINE_QUARK (story-document-error-quark, story_document_error)

/* What the parser carries along: the name for messages and running totals. */
typedef struct
{
  const char *name;
  guint       n_paragraphs;
  guint       n_vertices;
} ParseContext;

static void
story_document_finalize (GObject *object)
{
  StoryDocument *self = (StoryDocument *)object;

  g_clear_object (&self->file);
  g_free (self->title);
  g_free (self->dateline);
  g_free (self->date);
  g_free (self->source);
  g_free (self->url);
  g_free (self->language);
  g_ptr_array_unref (self->paragraphs);
  g_ptr_array_unref (self->mentions);
  g_object_unref (self->places);
  g_hash_table_unref (self->places_by_id);

  G_OBJECT_CLASS (story_document_parent_class)->finalize (object);
}

static void
story_document_class_init (StoryDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = story_document_finalize;
}

static void
story_document_init (StoryDocument *self)
{
  self->paragraphs = g_ptr_array_new_with_free_func (g_free);
  self->mentions = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  self->places = g_list_store_new (STORY_TYPE_PLACE);
  self->places_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  story_bounds_init_empty (&self->view);
}

/* Errors ---------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (4, 5)
fail_at_path (GError     **error,
              int          code,
              const char  *path,
              const char  *format,
              ...)
{
  /* Filled in by the caller that knows the file name: see prefix_error(). */
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: a JSON path such as /features/3/properties/name, then what is wrong */
  g_set_error (error, STORY_DOCUMENT_ERROR, code, _("%s: error: %s"), path[0] ? path : "/", detail);

  return FALSE;
}

static gboolean G_GNUC_PRINTF (5, 6)
fail_at_position (GError     **error,
                  int          code,
                  guint        line,
                  guint        column,
                  const char  *format,
                  ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: a line and a column number in the file, then what is wrong */
  g_set_error (error, STORY_DOCUMENT_ERROR, code, _("%u:%u: error: %s"), line, column, detail);

  return FALSE;
}

/* Errors read "FILE:LINE:COLUMN: error: …" or "FILE: /path: error: …". */
static void
prefix_error (GError     **error,
              const char  *name)
{
  GError *e;

  if (error == NULL || *error == NULL)
    return;

  e = *error;
  if (e->code == STORY_DOCUMENT_ERROR_SYNTAX ||
      e->code == STORY_DOCUMENT_ERROR_NOT_UTF8 ||
      e->code == STORY_DOCUMENT_ERROR_TOO_DEEP)
    g_prefix_error (error, "%s:", name);
  else
    g_prefix_error (error, "%s: ", name);
}

/* The 1-based line and column (in characters) of a byte offset. */
static void
offset_to_position (const char *data,
                    gsize       offset,
                    guint      *line,
                    guint      *column)
{
  const char *p = data;
  const char *end = data + offset;

  *line = 1;
  *column = 1;

  while (p < end)
    {
      if (*p == '\n')
        {
          (*line)++;
          *column = 1;
        }
      else if (((guchar)*p & 0xC0) != 0x80)
        {
          (*column)++;
        }
      p++;
    }
}

/* Raw checks before json-glib sees the data --------------------------------- */

/* json-glib recurses once per nesting level and overflows the stack on
 * deep input, so the depth is measured here first. */
static gboolean
check_depth (const char  *data,
             gsize        len,
             GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        {
          in_string = TRUE;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > STORY_DOCUMENT_MAX_DEPTH)
            {
              guint line, column;

              offset_to_position (data, i, &line, &column);
              return fail_at_position (error, STORY_DOCUMENT_ERROR_TOO_DEEP, line, column,
                                       _("Nested deeper than %u levels"),
                                       STORY_DOCUMENT_MAX_DEPTH);
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        {
          depth--;
        }
    }

  return TRUE;
}

static gboolean
check_text (const char  *data,
            gsize        len,
            GError     **error)
{
  const char *bad = NULL;
  gsize i;

  if (len > STORY_DOCUMENT_MAX_FILE_SIZE)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_TOO_LARGE, "/",
                         _("The file is larger than the limit of %u MB"),
                         STORY_DOCUMENT_MAX_FILE_SIZE / (1024 * 1024));

  for (i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      break;
  if (i == len)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_EMPTY, "/", _("The file is empty"));

  if (!g_utf8_validate (data, len, &bad))
    {
      guint line, column;

      offset_to_position (data, bad - data, &line, &column);
      return fail_at_position (error, STORY_DOCUMENT_ERROR_NOT_UTF8, line, column,
                               _("The file is not UTF-8 text"));
    }

  return check_depth (data, len, error);
}

/* Turns json-glib's "<data>:3:14: Parse error: …" into our own form. */
static void
syntax_error (GError      *json_error,
              GError     **error)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  regex = g_regex_new (":([0-9]+):([0-9]+): (?:Parse error: )?(.*)$", G_REGEX_DOTALL, 0, NULL);

  if (g_regex_match (regex, json_error->message, 0, &match))
    {
      g_autofree char *line = g_match_info_fetch (match, 1);
      g_autofree char *column = g_match_info_fetch (match, 2);
      g_autofree char *raw = g_match_info_fetch (match, 3);
      /* json-glib quotes the token it choked on, decoded escapes and all. */
      g_autofree char *detail = g_utf8_make_valid (raw, -1);

      fail_at_position (error, STORY_DOCUMENT_ERROR_SYNTAX,
                        (guint)g_ascii_strtoull (line, NULL, 10),
                        (guint)g_ascii_strtoull (column, NULL, 10),
                        _("Invalid JSON: %s"), detail);
    }
  else
    {
      g_autofree char *detail = g_utf8_make_valid (json_error->message, -1);

      fail_at_position (error, STORY_DOCUMENT_ERROR_SYNTAX, 1, 1,
                        _("Invalid JSON: %s"), detail);
    }
}

/* Member access with precise errors -------------------------------------- */

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static double
number_value (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double)json_node_get_int (node);
  return json_node_get_double (node);
}

static gboolean
is_blank (const char *str)
{
  for (const char *p = str; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/* Checks a string json-glib decoded and returns it in NFC. The file was
 * valid UTF-8, but a \u escape of a lone UTF-16 surrogate ("\ud800")
 * decodes to bytes that are not: such text must not reach Pango or GLib's
 * Unicode functions. */
static gboolean
read_text (const char  *value,
           const char  *path,
           char       **out,
           GError     **error)
{
  if (strlen (value) > STORY_DOCUMENT_MAX_STRING)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_LIMIT, path,
                         _("The text is longer than the limit of %u bytes"),
                         STORY_DOCUMENT_MAX_STRING);

  if (!g_utf8_validate (value, -1, NULL))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                         _("The text holds an escape that is not a character (a lone UTF-16 surrogate)"));

  *out = g_utf8_normalize (value, -1, G_NORMALIZE_NFC);
  return TRUE;
}

/* Reads a string member into @out (NFC). A missing optional member is fine;
 * a required one must be there and not blank. */
static gboolean
get_string (JsonObject  *object,
            const char  *member,
            const char  *path,
            gboolean     required,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *member_path = g_strdup_printf ("%s/%s", path, member);
  g_autofree char *nfc = NULL;
  const char *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                             _("The required member “%s” is missing"), member);
      return TRUE;
    }

  if (!is_string (node))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, member_path,
                         _("Expected a string"));

  value = json_node_get_string (node);
  if (!read_text (value, member_path, &nfc, error))
    return FALSE;

  if (required && is_blank (nfc))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, member_path,
                         _("Must not be empty"));

  g_free (*out);
  *out = g_steal_pointer (&nfc);
  return TRUE;
}

static JsonObject *
get_object (JsonNode    *node,
            const char  *path,
            GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path, _("Expected an object"));
      return NULL;
    }

  return json_node_get_object (node);
}

static JsonArray *
get_array (JsonNode    *node,
           const char  *path,
           GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path, _("Expected an array"));
      return NULL;
    }

  return json_node_get_array (node);
}

/* A GeoJSON position, [longitude, latitude], checked for range. */
static gboolean
read_position (JsonNode     *node,
               const char   *path,
               StoryLatLon  *out,
               GError      **error)
{
  JsonArray *array;
  double lon, lat;

  if (!(array = get_array (node, path, error)))
    return FALSE;

  if (json_array_get_length (array) < 2)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                         _("A position needs a longitude and a latitude"));

  if (!is_number (json_array_get_element (array, 0)) ||
      !is_number (json_array_get_element (array, 1)))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                         _("Coordinates must be numbers"));

  lon = number_value (json_array_get_element (array, 0));
  lat = number_value (json_array_get_element (array, 1));

  if (!isfinite (lon) || lon < -180.0 || lon > 180.0)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                         _("Longitude %g is out of range (−180 to 180)"), lon);
  if (!isfinite (lat) || lat < -90.0 || lat > 90.0)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                         _("Latitude %g is out of range (−90 to 90)"), lat);

  out->lon = lon;
  out->lat = lat;
  return TRUE;
}

static gboolean
read_ring (ParseContext  *ctx,
           JsonNode      *node,
           const char    *path,
           StoryPlace    *place,
           GError       **error)
{
  g_autoptr(GArray) ring = NULL;
  JsonArray *array;
  guint n;

  if (!(array = get_array (node, path, error)))
    return FALSE;

  n = json_array_get_length (array);
  if (n < 4)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                         _("A polygon ring needs at least four positions"));

  ctx->n_vertices += n;
  if (ctx->n_vertices > STORY_DOCUMENT_MAX_VERTICES)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_LIMIT, path,
                         _("The story has more than %u polygon vertices"),
                         STORY_DOCUMENT_MAX_VERTICES);

  ring = g_array_sized_new (FALSE, FALSE, sizeof (StoryLatLon), n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *position = json_array_get_element (array, i);
      StoryLatLon p;

      /* The path is spelled out only for an error: rings are long. */
      if (!read_position (position, path, &p, NULL))
        {
          g_autofree char *pos_path = g_strdup_printf ("%s/%u", path, i);

          return read_position (position, pos_path, &p, error);
        }
      g_array_append_val (ring, p);
    }

  story_place_add_ring (place, g_steal_pointer (&ring));
  return TRUE;
}

/* Only outer rings make the outline; holes are checked but not drawn. */
static gboolean
read_polygon (ParseContext  *ctx,
              JsonNode      *node,
              const char    *path,
              StoryPlace    *place,
              GError       **error)
{
  g_autoptr(StoryPlace) scratch = story_place_new ("", "", STORY_PLACE_KIND_OTHER);
  JsonArray *rings;

  if (!(rings = get_array (node, path, error)))
    return FALSE;

  if (json_array_get_length (rings) == 0)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                         _("A polygon needs at least one ring"));

  for (guint i = 0; i < json_array_get_length (rings); i++)
    {
      g_autofree char *ring_path = g_strdup_printf ("%s/%u", path, i);

      if (!read_ring (ctx, json_array_get_element (rings, i), ring_path,
                      i == 0 ? place : scratch, error))
        return FALSE;
    }

  return TRUE;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *)a, db = *(const double *)b;

  return da < db ? -1 : da > db;
}

/* A point inside the largest ring: the middle of the widest span where a
 * line through the ring's middle latitude crosses it. */
static void
interior_point (StoryPlace  *place,
                StoryLatLon *out)
{
  const StoryLatLon *best = NULL;
  guint best_n = 0;
  double best_area = -1, lat, widest = -1;
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  StoryBounds b;

  for (guint r = 0; r < story_place_get_n_rings (place); r++)
    {
      guint n;
      const StoryLatLon *pts = story_place_get_ring (place, r, &n);
      double area = 0;

      for (guint i = 0, j = n - 1; i < n; j = i++)
        area += (pts[j].lon - pts[i].lon) * (pts[j].lat + pts[i].lat);
      if (fabs (area) > best_area)
        {
          best_area = fabs (area);
          best = pts;
          best_n = n;
        }
    }

  story_bounds_init_empty (&b);
  for (guint i = 0; i < best_n; i++)
    story_bounds_extend (&b, best[i].lat, best[i].lon);

  lat = (b.south + b.north) / 2;
  out->lat = lat;
  out->lon = (b.west + b.east) / 2;

  for (guint i = 0, j = best_n - 1; i < best_n; j = i++)
    {
      const StoryLatLon *a = &best[i], *c = &best[j];

      if ((a->lat > lat) != (c->lat > lat))
        {
          double x = a->lon + (lat - a->lat) * (c->lon - a->lon) / (c->lat - a->lat);
          g_array_append_val (xs, x);
        }
    }

  g_array_sort (xs, compare_double);

  for (guint i = 0; i + 1 < xs->len; i += 2)
    {
      double x0 = g_array_index (xs, double, i);
      double x1 = g_array_index (xs, double, i + 1);

      if (x1 - x0 > widest)
        {
          widest = x1 - x0;
          out->lon = (x0 + x1) / 2;
        }
    }
}

static gboolean
read_geometry (ParseContext  *ctx,
               JsonObject    *feature,
               const char    *path,
               StoryPlace    *place,
               GError       **error)
{
  g_autofree char *geometry_path = g_strdup_printf ("%s/geometry", path);
  g_autofree char *coords_path = g_strdup_printf ("%s/coordinates", geometry_path);
  g_autofree char *type = NULL;
  JsonObject *geometry;
  JsonNode *coords;

  if (!json_object_has_member (feature, "geometry"))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                         _("The required member “%s” is missing"), "geometry");

  if (!(geometry = get_object (json_object_get_member (feature, "geometry"), geometry_path, error)))
    return FALSE;

  if (!get_string (geometry, "type", geometry_path, TRUE, &type, error))
    return FALSE;

  coords = json_object_get_member (geometry, "coordinates");
  if (coords == NULL)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, geometry_path,
                         _("The required member “%s” is missing"), "coordinates");

  if (g_str_equal (type, "Point"))
    {
      StoryLatLon p;

      if (!read_position (coords, coords_path, &p, error))
        return FALSE;
      story_place_set_anchor (place, p.lat, p.lon);
    }
  else if (g_str_equal (type, "Polygon"))
    {
      if (!read_polygon (ctx, coords, coords_path, place, error))
        return FALSE;
    }
  else if (g_str_equal (type, "MultiPolygon"))
    {
      JsonArray *polygons;

      if (!(polygons = get_array (coords, coords_path, error)))
        return FALSE;
      if (json_array_get_length (polygons) == 0)
        return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, coords_path,
                             _("A multipolygon needs at least one polygon"));

      for (guint i = 0; i < json_array_get_length (polygons); i++)
        {
          g_autofree char *poly_path = g_strdup_printf ("%s/%u", coords_path, i);

          if (!read_polygon (ctx, json_array_get_element (polygons, i), poly_path, place, error))
            return FALSE;
        }
    }
  else
    {
      g_autofree char *type_path = g_strdup_printf ("%s/type", geometry_path);

      return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, type_path,
                           _("Unsupported geometry “%s” (use Point, Polygon or MultiPolygon)"),
                           type);
    }

  if (story_place_is_area (place))
    {
      StoryLatLon inside;

      interior_point (place, &inside);
      story_place_set_anchor (place, inside.lat, inside.lon);
    }

  return TRUE;
}

static gboolean
read_string_list (JsonObject  *properties,
                  const char  *member,
                  const char  *path,
                  StoryPlace  *place,
                  GError     **error)
{
  g_autofree char *list_path = g_strdup_printf ("%s/%s", path, member);
  JsonArray *array;

  if (!json_object_has_member (properties, member))
    return TRUE;

  if (!(array = get_array (json_object_get_member (properties, member), list_path, error)))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_path = g_strdup_printf ("%s/%u", list_path, i);
      g_autofree char *nfc = NULL;

      if (is_string (node) && !read_text (json_node_get_string (node), item_path, &nfc, error))
        return FALSE;
      if (nfc == NULL || is_blank (nfc))
        return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, item_path,
                             _("Expected a non-empty string"));

      story_place_add_alias (place, nfc);
    }

  return TRUE;
}

static gboolean
read_linked_paragraphs (ParseContext  *ctx,
                        JsonObject    *properties,
                        const char    *path,
                        StoryPlace    *place,
                        GError       **error)
{
  g_autofree char *list_path = g_strdup_printf ("%s/paragraphs", path);
  JsonArray *array;

  if (!json_object_has_member (properties, "paragraphs"))
    return TRUE;

  if (!(array = get_array (json_object_get_member (properties, "paragraphs"), list_path, error)))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_path = g_strdup_printf ("%s/%u", list_path, i);
      double n;

      if (!is_number (node))
        return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, item_path,
                             _("Expected a paragraph number"));

      n = number_value (node);
      if (n != floor (n) || n < 1 || n > ctx->n_paragraphs)
        return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, item_path,
                             _("Paragraph %g does not exist (the story has %u)"),
                             n, ctx->n_paragraphs);

      story_place_add_paragraph (place, (guint)n);
    }

  return TRUE;
}

static gboolean
read_properties (ParseContext  *ctx,
                 JsonObject    *feature,
                 const char    *path,
                 StoryPlace   **out_place,
                 const char    *id,
                 GError       **error)
{
  g_autofree char *props_path = g_strdup_printf ("%s/properties", path);
  g_autofree char *name = NULL;
  g_autofree char *kind_str = NULL;
  g_autofree char *description = NULL;
  g_autoptr(StoryPlace) place = NULL;
  StoryPlaceKind kind = STORY_PLACE_KIND_OTHER;
  JsonObject *properties;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if (!json_object_has_member (feature, "properties"))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                         _("The required member “%s” is missing"), "properties");

  if (!(properties = get_object (json_object_get_member (feature, "properties"), props_path, error)))
    return FALSE;

  if (!get_string (properties, "name", props_path, TRUE, &name, error) ||
      !get_string (properties, "kind", props_path, FALSE, &kind_str, error) ||
      !get_string (properties, "description", props_path, FALSE, &description, error))
    return FALSE;

  /* An unknown kind is a newer story's: treat it as a plain place. */
  if (kind_str != NULL)
    story_place_kind_from_string (kind_str, &kind);

  place = story_place_new (id, name, kind);
  story_place_set_description (place, description);

  json_object_iter_init (&iter, properties);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (g_str_has_prefix (member, "name:") && member[5] != '\0')
        {
          g_autofree char *localized = NULL;

          if (!g_utf8_validate (member, -1, NULL))
            return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, props_path,
                                 _("The text holds an escape that is not a character (a lone UTF-16 surrogate)"));

          if (!get_string (properties, member, props_path, TRUE, &localized, error))
            return FALSE;
          story_place_set_localized_name (place, member + 5, localized);
        }
    }

  if (!read_string_list (properties, "aliases", props_path, place, error) ||
      !read_linked_paragraphs (ctx, properties, props_path, place, error))
    return FALSE;

  *out_place = g_steal_pointer (&place);
  return TRUE;
}

static gboolean
read_anchor (JsonObject  *properties,
             const char  *path,
             StoryPlace  *place,
             GError     **error)
{
  g_autofree char *anchor_path = g_strdup_printf ("%s/properties/anchor", path);
  StoryLatLon p;

  if (properties == NULL || !json_object_has_member (properties, "anchor"))
    return TRUE;

  if (!read_position (json_object_get_member (properties, "anchor"), anchor_path, &p, error))
    return FALSE;

  story_place_set_anchor (place, p.lat, p.lon);
  return TRUE;
}

static gboolean
read_feature (StoryDocument  *self,
              ParseContext   *ctx,
              JsonNode       *node,
              guint           index,
              GError        **error)
{
  g_autofree char *path = g_strdup_printf ("/features/%u", index);
  g_autofree char *id_path = g_strdup_printf ("%s/id", path);
  g_autoptr(StoryPlace) place = NULL;
  g_autofree char *type = NULL;
  g_autofree char *id = NULL;
  JsonObject *feature;

  if (!(feature = get_object (node, path, error)))
    return FALSE;

  if (!get_string (feature, "type", path, TRUE, &type, error))
    return FALSE;
  if (!g_str_equal (type, "Feature"))
    {
      g_autofree char *type_path = g_strdup_printf ("%s/type", path);

      return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, type_path,
                           _("Expected “Feature”, found “%s”"), type);
    }

  if (!json_object_has_member (feature, "id"))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                         _("The required member “%s” is missing"), "id");
  if (!get_string (feature, "id", path, TRUE, &id, error))
    return FALSE;

  if (g_hash_table_contains (self->places_by_id, id))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, id_path,
                         _("The id “%s” is used by another place"), id);

  if (!read_properties (ctx, feature, path, &place, id, error) ||
      !read_geometry (ctx, feature, path, place, error) ||
      !read_anchor (json_object_get_object_member (feature, "properties"), path, place, error))
    return FALSE;

  g_list_store_append (self->places, place);
  g_hash_table_insert (self->places_by_id, (gpointer)story_place_get_id (place), place);

  return TRUE;
}

static gboolean
read_view (StoryDocument  *self,
           JsonObject     *story,
           GError        **error)
{
  JsonArray *array;
  double v[4];

  if (!json_object_has_member (story, "view"))
    return TRUE;

  if (!(array = get_array (json_object_get_member (story, "view"), "/story/view", error)))
    return FALSE;

  if (json_array_get_length (array) != 4)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story/view",
                         _("Expected [west, south, east, north]"));

  for (guint i = 0; i < 4; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!is_number (node))
        return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story/view",
                             _("Coordinates must be numbers"));
      v[i] = number_value (node);
    }

  if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90 || v[0] >= v[2] || v[1] >= v[3])
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story/view",
                         _("Expected [west, south, east, north] within −180 to 180 and −90 to 90"));

  self->view.west = v[0];
  self->view.south = v[1];
  self->view.east = v[2];
  self->view.north = v[3];

  return TRUE;
}

static gboolean
is_iso_date (const char *date)
{
  g_autoptr(GRegex) regex = g_regex_new ("^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", 0, 0, NULL);
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *full = NULL;

  if (!g_regex_match (regex, date, 0, NULL))
    {
      parsed = g_date_time_new_from_iso8601 (date, NULL);
      return parsed != NULL;
    }

  full = g_strdup_printf ("%s%sT00:00:00Z", date,
                          strlen (date) == 4 ? "-01-01" : strlen (date) == 7 ? "-01" : "");
  parsed = g_date_time_new_from_iso8601 (full, NULL);
  return parsed != NULL;
}

static gboolean
read_story (StoryDocument  *self,
            ParseContext   *ctx,
            JsonObject     *root,
            GError        **error)
{
  JsonObject *story;
  JsonArray *paragraphs;

  if (!json_object_has_member (root, "story"))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/",
                         _("The required member “%s” is missing"), "story");

  if (!(story = get_object (json_object_get_member (root, "story"), "/story", error)))
    return FALSE;

  if (!get_string (story, "title", "/story", TRUE, &self->title, error) ||
      !get_string (story, "dateline", "/story", FALSE, &self->dateline, error) ||
      !get_string (story, "date", "/story", FALSE, &self->date, error) ||
      !get_string (story, "source", "/story", FALSE, &self->source, error) ||
      !get_string (story, "url", "/story", FALSE, &self->url, error) ||
      !get_string (story, "language", "/story", FALSE, &self->language, error))
    return FALSE;

  if (self->date != NULL && !is_iso_date (self->date))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story/date",
                         _("“%s” is not an ISO 8601 date"), self->date);

  if (!json_object_has_member (story, "paragraphs"))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story",
                         _("The required member “%s” is missing"), "paragraphs");

  if (!(paragraphs = get_array (json_object_get_member (story, "paragraphs"), "/story/paragraphs", error)))
    return FALSE;

  if (json_array_get_length (paragraphs) == 0)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story/paragraphs",
                         _("A story needs at least one paragraph"));

  if (json_array_get_length (paragraphs) > STORY_DOCUMENT_MAX_PARAGRAPHS)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_LIMIT, "/story/paragraphs",
                         _("The story has more than %u paragraphs"), STORY_DOCUMENT_MAX_PARAGRAPHS);

  for (guint i = 0; i < json_array_get_length (paragraphs); i++)
    {
      JsonNode *node = json_array_get_element (paragraphs, i);
      g_autofree char *path = g_strdup_printf ("/story/paragraphs/%u", i);
      g_autofree char *nfc = NULL;

      if (is_string (node) && !read_text (json_node_get_string (node), path, &nfc, error))
        return FALSE;
      if (nfc == NULL || is_blank (nfc))
        return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                             _("A paragraph must be a non-empty string"));

      g_ptr_array_add (self->paragraphs, g_steal_pointer (&nfc));
    }

  ctx->n_paragraphs = self->paragraphs->len;

  return read_view (self, story, error);
}

static gboolean
read_root (StoryDocument  *self,
           ParseContext   *ctx,
           JsonNode       *root_node,
           GError        **error)
{
  g_autofree char *type = NULL;
  JsonObject *root;
  JsonArray *features;

  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/",
                         _("Not a GeoJSON FeatureCollection"));

  root = json_node_get_object (root_node);
  if (!is_string (json_object_get_member (root, "type")) ||
      !g_str_equal (json_object_get_string_member (root, "type"), "FeatureCollection"))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/type",
                         _("Not a GeoJSON FeatureCollection"));

  if (!read_story (self, ctx, root, error))
    return FALSE;

  if (!json_object_has_member (root, "features"))
    return fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/",
                         _("The required member “%s” is missing"), "features");

  if (!(features = get_array (json_object_get_member (root, "features"), "/features", error)))
    return FALSE;

  if (json_array_get_length (features) > STORY_DOCUMENT_MAX_PLACES)
    return fail_at_path (error, STORY_DOCUMENT_ERROR_LIMIT, "/features",
                         _("The story has more than %u places"), STORY_DOCUMENT_MAX_PLACES);

  for (guint i = 0; i < json_array_get_length (features); i++)
    if (!read_feature (self, ctx, json_array_get_element (features, i), i, error))
      return FALSE;

  return TRUE;
}

/* Finds every place's mentions in the dateline and the paragraphs. */
static void
link_places (StoryDocument *self)
{
  g_autoptr(StoryLinker) linker = story_linker_new ();
  guint n_places = g_list_model_get_n_items (G_LIST_MODEL (self->places));

  for (guint i = 0; i < n_places; i++)
    {
      g_autoptr(StoryPlace) place = g_list_model_get_item (G_LIST_MODEL (self->places), i);
      const char * const *aliases = story_place_get_aliases (place);

      story_linker_add (linker, story_place_get_name (place), i);
      for (guint j = 0; aliases[j] != NULL; j++)
        story_linker_add (linker, aliases[j], i);
    }

  for (guint p = 0; p <= self->paragraphs->len; p++)
    {
      const char *text = p == 0 ? self->dateline : g_ptr_array_index (self->paragraphs, p - 1);
      GArray *mentions = text ? story_linker_find (linker, text)
                              : g_array_new (FALSE, FALSE, sizeof (StoryMention));

      for (guint m = 0; m < mentions->len; m++)
        {
          guint place = g_array_index (mentions, StoryMention, m).place;
          StoryPlace *item = g_list_model_get_item (G_LIST_MODEL (self->places), place);

          story_place_add_paragraph (item, p);
          g_object_unref (item);
        }

      g_ptr_array_add (self->mentions, mentions);
    }
}

/* With no view in the file, the story opens on all its places. */
static void
compute_view (StoryDocument *self)
{
  if (!story_bounds_is_empty (&self->view))
    return;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->places)); i++)
    {
      g_autoptr(StoryPlace) place = g_list_model_get_item (G_LIST_MODEL (self->places), i);
      StoryBounds b;

      story_place_get_bounds (place, &b);
      story_bounds_union (&self->view, &b);
    }
}

/**
 * story_document_new_from_bytes:
 * @bytes: the contents of a story file
 * @display_name: how to name the file in errors
 *
 * Parses and checks a story. Errors read "NAME:LINE:COLUMN: error: …" where
 * the JSON itself is broken and "NAME: /json/path: error: …" where its
 * content is wrong.
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
StoryDocument *
story_document_new_from_bytes (GBytes      *bytes,
                               const char  *display_name,
                               GError     **error)
{
  g_autoptr(StoryDocument) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  ParseContext ctx = { display_name, 0, 0 };
  const char *data;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  if (!check_text (data, len, error))
    {
      prefix_error (error, display_name);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &json_error))
    {
      syntax_error (json_error, error);
      prefix_error (error, display_name);
      return NULL;
    }

  self = g_object_new (STORY_TYPE_DOCUMENT, NULL);
  if (!read_root (self, &ctx, json_parser_get_root (parser), error))
    {
      prefix_error (error, display_name);
      return NULL;
    }

  link_places (self);
  compute_view (self);

  return g_steal_pointer (&self);
}

/**
 * story_document_load:
 * @display_name: (nullable): how to name the file in errors, or %NULL for
 *   its path
 *
 * Reads and parses a story file. Blocks: use story_document_load_async()
 * from the main thread.
 */
StoryDocument *
story_document_load (GFile         *file,
                     const char    *display_name,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  StoryDocument *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = display_name ? g_strdup (display_name) : g_file_get_parse_name (file);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      /* Translators: the first %s is a file name */
      g_set_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_IO,
                   _("%s: error: %s"), name, _("This is a folder, not a story file"));
      return NULL;
    }
  if (info != NULL && g_file_info_get_size (info) > STORY_DOCUMENT_MAX_FILE_SIZE)
    {
      g_autofree char *detail = g_strdup_printf (_("The file is larger than the limit of %u MB"),
                                                 STORY_DOCUMENT_MAX_FILE_SIZE / (1024 * 1024));

      g_set_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_TOO_LARGE,
                   _("%s: error: %s"), name, detail);
      return NULL;
    }

  g_clear_error (&local_error);
  bytes = g_file_load_bytes (file, cancellable, NULL, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_IO,
                   _("%s: error: %s"), name, local_error->message);
      return NULL;
    }

  self = story_document_new_from_bytes (bytes, name, error);
  if (self != NULL)
    self->file = g_object_ref (file);

  return self;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  StoryDocument *self;

  self = story_document_load (G_FILE (task_data), NULL, cancellable, &error);
  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

/* Loads a story off the main thread. */
void
story_document_load_async (GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, story_document_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

StoryDocument *
story_document_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GFile *
story_document_get_file (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->file;
}

const char *
story_document_get_title (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->title;
}

const char *
story_document_get_dateline (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->dateline;
}

const char *
story_document_get_date (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->date;
}

const char *
story_document_get_source (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->source;
}

const char *
story_document_get_url (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->url;
}

const char *
story_document_get_language (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return self->language;
}

guint
story_document_get_n_paragraphs (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), 0);

  return self->paragraphs->len;
}

/* Paragraphs are numbered from 1; 0 is the dateline. */
const char *
story_document_get_paragraph (StoryDocument *self,
                              guint          paragraph)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (paragraph <= self->paragraphs->len, NULL);

  if (paragraph == 0)
    return self->dateline;

  return g_ptr_array_index (self->paragraphs, paragraph - 1);
}

const StoryMention *
story_document_get_mentions (StoryDocument *self,
                             guint          paragraph,
                             guint         *n_mentions)
{
  GArray *mentions;

  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (paragraph <= self->paragraphs->len, NULL);

  mentions = g_ptr_array_index (self->mentions, paragraph);
  *n_mentions = mentions->len;

  return (const StoryMention *)(gpointer)mentions->data;
}

GListModel *
story_document_get_places (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return G_LIST_MODEL (self->places);
}

guint
story_document_get_n_places (StoryDocument *self)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->places));
}

/* Returns: (transfer none): the place at @index */
StoryPlace *
story_document_get_place (StoryDocument *self,
                          guint          index)
{
  g_autoptr(StoryPlace) place = NULL;

  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  /* The store holds a reference for the document's lifetime. */
  place = g_list_model_get_item (G_LIST_MODEL (self->places), index);
  return place;
}

StoryPlace *
story_document_lookup_place (StoryDocument *self,
                             const char    *id)
{
  g_return_val_if_fail (STORY_IS_DOCUMENT (self), NULL);

  return g_hash_table_lookup (self->places_by_id, id);
}

void
story_document_get_view (StoryDocument *self,
                         StoryBounds   *view)
{
  g_return_if_fail (STORY_IS_DOCUMENT (self));

  *view = self->view;
}

/**
 * story_document_get_paragraph_places:
 *
 * Returns: (transfer container): the places @paragraph names or links,
 *   each once, in the order of the file
 */
GPtrArray *
story_document_get_paragraph_places (StoryDocument *self,
                                     guint          paragraph)
{
  GPtrArray *places = g_ptr_array_new ();

  g_return_val_if_fail (STORY_IS_DOCUMENT (self), places);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->places)); i++)
    {
      StoryPlace *place = story_document_get_place (self, i);

      if (story_place_is_mentioned_in (place, paragraph))
        g_ptr_array_add (places, place);
    }

  return places;
}

/* The extent of every place @paragraph names; empty when it names none. */
void
story_document_get_paragraph_bounds (StoryDocument *self,
                                     guint          paragraph,
                                     StoryBounds   *bounds)
{
  g_autoptr(GPtrArray) places = NULL;

  g_return_if_fail (STORY_IS_DOCUMENT (self));

  story_bounds_init_empty (bounds);
  places = story_document_get_paragraph_places (self, paragraph);

  for (guint i = 0; i < places->len; i++)
    {
      StoryBounds b;

      story_place_get_bounds (g_ptr_array_index (places, i), &b);
      story_bounds_union (bounds, &b);
    }
}
