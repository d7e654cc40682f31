/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "story-json-split.h"
#include "story-test-rings.h"

/*
 * Rings read apart (story_json_take_rings()) against json-glib reading the
 * same text: the marked text must parse to the tree of the original with
 * each ring's array in place of its mark, the ring's numbers bit for bit
 * the values json-glib gives. (Not every ring need be in the tree: of a
 * member given twice, json-glib keeps one.)
 */

static gint64
mark_of (JsonNode *node)
{
  JsonArray *array, *inner;
  JsonNode *index;

  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) != 1 ||
      !JSON_NODE_HOLDS_ARRAY (json_array_get_element (array, 0)) ||
      json_array_get_length (inner = json_array_get_array_element (array, 0)) != 1 ||
      !JSON_NODE_HOLDS_VALUE (index = json_array_get_element (inner, 0)) ||
      json_node_get_value_type (index) != G_TYPE_INT64)
    return -1;

  return json_node_get_int (index);
}

static double
number (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double)json_node_get_int (node);
  g_assert_true (json_node_get_value_type (node) == G_TYPE_DOUBLE);
  return json_node_get_double (node);
}

static void
assert_same_ring (JsonNode *original,
                  GArray   *ring)
{
  JsonArray *positions = json_node_get_array (original);
  const double *pairs = (const double *)ring->data;

  g_assert_cmpuint (json_array_get_length (positions), ==, ring->len);
  for (guint i = 0; i < ring->len; i++)
    {
      JsonArray *position = json_array_get_array_element (positions, i);
      double lon, lat;

      g_assert_cmpuint (json_array_get_length (position), ==, 2);
      lon = number (json_array_get_element (position, 0));
      lat = number (json_array_get_element (position, 1));
      g_assert_cmpmem (&lon, sizeof lon, &pairs[2 * i], sizeof (double));
      g_assert_cmpmem (&lat, sizeof lat, &pairs[2 * i + 1], sizeof (double));
    }
}

static void
assert_same_tree (JsonNode  *original,
                  JsonNode  *marked,
                  GPtrArray *rings,
                  gboolean  *met)
{
  gint64 mark = mark_of (marked);

  if (mark >= 0 && JSON_NODE_HOLDS_ARRAY (original) && mark_of (original) < 0)
    {
      g_assert_cmpint (mark, <, rings->len);
      g_assert_false (met[mark]);
      met[mark] = TRUE;
      assert_same_ring (original, g_ptr_array_index (rings, mark));
      return;
    }

  g_assert_cmpint (json_node_get_node_type (original), ==, json_node_get_node_type (marked));
  switch (json_node_get_node_type (original))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *a = json_node_get_object (original), *b = json_node_get_object (marked);
        g_autoptr(GList) members = json_object_get_members (a);

        g_assert_cmpuint (json_object_get_size (a), ==, json_object_get_size (b));
        for (GList *l = members; l != NULL; l = l->next)
          {
            g_assert_true (json_object_has_member (b, l->data));
            assert_same_tree (json_object_get_member (a, l->data), json_object_get_member (b, l->data), rings, met);
          }
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (original), *b = json_node_get_array (marked);

        g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
        for (guint i = 0; i < json_array_get_length (a); i++)
          assert_same_tree (json_array_get_element (a, i), json_array_get_element (b, i), rings, met);
      }
      break;

    case JSON_NODE_VALUE:
      g_assert_true (json_node_get_value_type (original) == json_node_get_value_type (marked));
      if (json_node_get_value_type (original) == G_TYPE_STRING)
        g_assert_cmpstr (json_node_get_string (original), ==, json_node_get_string (marked));
      else if (json_node_get_value_type (original) == G_TYPE_DOUBLE)
        {
          double a = json_node_get_double (original), b = json_node_get_double (marked);

          g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
        }
      else if (json_node_get_value_type (original) == G_TYPE_INT64)
        g_assert_cmpint (json_node_get_int (original), ==, json_node_get_int (marked));
      else
        g_assert_cmpint (json_node_get_boolean (original), ==, json_node_get_boolean (marked));
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

/* Nesting json-glib can take (it recurses; a story may nest 64 levels). */
static gboolean
shallow (const char *data,
         gsize       len)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (in_string)
        {
          if (data[i] == '\\')
            i++;
          else if (data[i] == '"')
            in_string = FALSE;
        }
      else if (data[i] == '"')
        in_string = TRUE;
      else if ((data[i] == '[' || data[i] == '{') && ++depth > 200)
        return FALSE;
      else if ((data[i] == ']' || data[i] == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/**
 * story_test_check_rings:
 *
 * Returns: whether any ring was read apart (and checked)
 */
gboolean
story_test_check_rings (const char *data,
                        gsize       len)
{
  g_autoptr(GString) marked = g_string_new (NULL);
  g_autoptr(GPtrArray) rings = NULL;
  g_autoptr(JsonParser) original = json_parser_new_immutable ();
  g_autoptr(JsonParser) rewritten = json_parser_new_immutable ();
  g_autofree gboolean *met = NULL;
  gboolean parsed;

  /* json-glib also reads single-quoted strings and comments, where a ring
   * may be read apart by mistake; such a ring is never taken where rings
   * are read, so the story is read whole. The trees then differ. */
  if (!g_utf8_validate (data, len, NULL) ||
      memchr (data, '\'', len) != NULL || g_strstr_len (data, len, "/*") != NULL)
    return FALSE;

  if (!shallow (data, len) || !story_json_take_rings (data, len, marked, &rings))
    return FALSE;

  g_assert_cmpuint (rings->len, >, 0);
  parsed = json_parser_load_from_data (original, data, len, NULL);
  g_assert_cmpint (json_parser_load_from_data (rewritten, marked->str, marked->len, NULL), ==, parsed);
  if (!parsed || json_parser_get_root (original) == NULL)
    return TRUE;

  met = g_new0 (gboolean, rings->len);
  assert_same_tree (json_parser_get_root (original), json_parser_get_root (rewritten), rings, met);
  return TRUE;
}
