/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-json-split"

#include "config.h"

#include <string.h>

#include "story-json-split.h"

/*
 * Finds where the elements of one array in a JSON text begin and end,
 * without parsing them, so that parts of a large story can be parsed on
 * several processors at once. It reads only as much of the syntax as it
 * needs to step over values: whatever it lets through is still parsed by
 * json-glib, and a text it does not understand is simply not split.
 */

/* Whether a number or a literal ends before @c. */
static gboolean
ends_token (char c)
{
  return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static gsize
skip_space (const char *data,
            gsize       len,
            gsize       i)
{
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
    i++;

  return i;
}

/* Past the string that starts at @i (on its opening quote), or 0. */
static gsize
skip_string (const char *data,
             gsize       len,
             gsize       i)
{
  for (i++; i < len; i++)
    {
      if (data[i] == '\\')
        i++;
      else if (data[i] == '"')
        return i + 1;
    }

  return 0;
}

/* Deeper than this, a text is not split (a story may nest 64 levels). */
#define MAX_DEPTH 128

/* Past the value that starts at @i, or 0 where the text ends first or its
 * brackets do not match. A number or a literal ends where a delimiter or a
 * space starts. */
static gsize
skip_value (const char *data,
            gsize       len,
            gsize       i)
{
  char open[MAX_DEPTH];
  guint depth = 0;

  if (i >= len)
    return 0;

  if (data[i] != '"' && data[i] != '[' && data[i] != '{')
    {
      gsize start = i;

      while (i < len && !ends_token (data[i]))
        i++;
      return i > start ? i : 0;
    }

  while (i < len)
    {
      char c = data[i];

      if (c == '"')
        {
          if ((i = skip_string (data, len, i)) == 0)
            return 0;
          if (depth == 0)
            return i;
          continue;
        }

      if (c == '[' || c == '{')
        {
          if (depth == MAX_DEPTH)
            return 0;
          open[depth++] = c;
        }
      else if (c == ']' || c == '}')
        {
          if (depth == 0 || open[depth - 1] != (c == ']' ? '[' : '{'))
            return 0;
          if (--depth == 0)
            return i + 1;
        }
      i++;
    }

  return 0;
}

/* Cuts the elements into runs of about equal length. */
static GArray *
make_parts (GArray *elements,
            guint   n_parts)
{
  GArray *parts = g_array_new (FALSE, FALSE, sizeof (StoryJsonPart));
  gsize *first = &g_array_index (elements, gsize, 0);
  gsize total = first[2 * (elements->len / 2 - 1) + 1] - first[0];
  guint n = elements->len / 2;
  StoryJsonPart part = { first[0], 0, 0, 0 };

  for (guint e = 0; e < n; e++)
    {
      gsize end = first[2 * e + 1];

      part.n_elements++;
      if (e == n - 1 || (end - first[0]) * n_parts >= total * (parts->len + 1))
        {
          part.end = end;
          g_array_append_val (parts, part);
          if (e < n - 1)
            part = (StoryJsonPart) { first[2 * (e + 1)], 0, e + 1, 0 };
        }
    }

  return parts;
}

/**
 * story_json_split_member_array:
 * @data: valid UTF-8
 * @member: the name of a member of the outermost object, plain ASCII
 * @n_parts: how many runs to cut the array into, at most
 * @value_start: (out): where the array starts (its "[")
 * @value_end: (out): just past its "]"
 * @parts: (out) (transfer full): the runs, in order, each of whole elements
 *
 * Finds the array that is the value of @member in the object @data holds
 * and cuts its elements into runs of about equal length.
 *
 * Returns: %FALSE where @data is not such an object with @member once,
 *   holding an array of at least one element, as far as can be seen
 *   without parsing it; also where any member's name holds an escape
 */
gboolean
story_json_split_member_array (const char  *data,
                               gsize        len,
                               const char  *member,
                               guint        n_parts,
                               gsize       *value_start,
                               gsize       *value_end,
                               GArray     **parts)
{
  g_autoptr(GArray) elements = NULL;
  gsize member_len = strlen (member);
  gsize start = 0, end = 0;
  gsize i;

  g_return_val_if_fail (n_parts > 0, FALSE);

  i = skip_space (data, len, 0);
  if (i >= len || data[i] != '{')
    return FALSE;
  i = skip_space (data, len, i + 1);

  /* The outermost object, member by member. */
  while (i < len && data[i] != '}')
    {
      gsize key = i, key_end, value;

      if (data[i] != '"' || (key_end = skip_string (data, len, i)) == 0)
        return FALSE;
      if (memchr (data + key, '\\', key_end - key) != NULL)
        return FALSE;

      i = skip_space (data, len, key_end);
      if (i >= len || data[i] != ':')
        return FALSE;
      value = skip_space (data, len, i + 1);
      if ((i = skip_value (data, len, value)) == 0)
        return FALSE;

      if (key_end - key == member_len + 2 && memcmp (data + key + 1, member, member_len) == 0)
        {
          if (end != 0 || data[value] != '[')
            return FALSE;
          start = value;
          end = i;
        }

      i = skip_space (data, len, i);
      if (i < len && data[i] == ',')
        i = skip_space (data, len, i + 1);
      else if (i >= len || data[i] != '}')
        return FALSE;
    }

  if (end == 0)
    return FALSE;

  /* The array, element by element: pairs of start and end offsets. */
  elements = g_array_new (FALSE, FALSE, sizeof (gsize));
  i = skip_space (data, len, start + 1);
  while (i < end - 1)
    {
      gsize element = i;

      if ((i = skip_value (data, len, element)) == 0 || i > end - 1)
        return FALSE;
      g_array_append_val (elements, element);
      g_array_append_val (elements, i);

      i = skip_space (data, len, i);
      if (data[i] == ',')
        {
          i = skip_space (data, len, i + 1);
          if (i >= end - 1)
            return FALSE;
        }
      else if (i != end - 1)
        return FALSE;
    }

  if (elements->len == 0)
    return FALSE;

  *value_start = start;
  *value_end = end;
  *parts = make_parts (elements, n_parts);
  return TRUE;
}

/* Rings ------------------------------------------------------------------- */

/* Powers of ten a double holds exactly. */
static const double exact_powers[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * Reads the number at @i as json-glib does, or returns 0 where it is not
 * strictly a JSON number or might read differently. An integer json-glib
 * keeps as a 64-bit integer (so "-0" is 0); a number with a fraction as
 * g_ascii_strtod() does, done here by one correctly rounded division where
 * that is exact (at most 15 digits), since most of a large story is such
 * numbers.
 */
static gsize
read_number (const char *data,
             gsize       len,
             gsize       i,
             double     *out)
{
  gsize start = i;
  gboolean negative = FALSE, fraction = FALSE, exponent = FALSE;
  guint64 mantissa = 0;
  guint n_digits = 0, n_decimals = 0;

  if (i < len && data[i] == '-')
    {
      negative = TRUE;
      i++;
    }

  if (i >= len || !g_ascii_isdigit (data[i]))
    return 0;
  if (data[i] == '0' && i + 1 < len && g_ascii_isdigit (data[i + 1]))
    return 0;
  for (; i < len && g_ascii_isdigit (data[i]); i++, n_digits++)
    mantissa = mantissa * 10 + (data[i] - '0');

  if (i < len && data[i] == '.')
    {
      fraction = TRUE;
      if (++i >= len || !g_ascii_isdigit (data[i]))
        return 0;
      for (; i < len && g_ascii_isdigit (data[i]); i++, n_digits++, n_decimals++)
        mantissa = mantissa * 10 + (data[i] - '0');
    }

  if (i < len && (data[i] == 'e' || data[i] == 'E'))
    {
      exponent = TRUE;
      if (++i < len && (data[i] == '+' || data[i] == '-'))
        i++;
      if (i >= len || !g_ascii_isdigit (data[i]))
        return 0;
      while (i < len && g_ascii_isdigit (data[i]))
        i++;
    }

  if (i < len && !ends_token (data[i]))
    return 0;

  if (!fraction && !exponent)
    {
      if (n_digits > 15)
        return 0;
      *out = (double)(negative ? -(gint64)mantissa : (gint64)mantissa);
    }
  else if (!exponent && n_digits <= 15)
    {
      *out = (double)mantissa / exact_powers[n_decimals];
      if (negative)
        *out = -*out;
    }
  else
    {
      char token[64];

      if (i - start >= sizeof token)
        return 0;
      memcpy (token, data + start, i - start);
      token[i - start] = '\0';
      *out = g_ascii_strtod (token, NULL);
    }

  return i;
}

/* What the array at @i is. */
typedef enum
{
  NOT_A_RING,
  A_RING,
  LIKE_A_MARK,   /* starts as a mark does: "[[" and one value */
} RingShape;

/* Reads the array at @i if it is a ring, an array of at least four
 * positions of two numbers each; @end is set past it. */
static RingShape
read_ring (const char *data,
           gsize       len,
           gsize       i,
           GArray     *ring,
           gsize      *end)
{
  g_array_set_size (ring, 0);

  i = skip_space (data, len, i + 1);
  if (i < len && data[i] == '[')
    {
      /* Whatever json-glib would read as a mark, however it is written. */
      gsize first = i + 1;

      while (first < len && data[first] != ',' && data[first] != ']')
        first++;
      if (first < len && data[first] == ']')
        return LIKE_A_MARK;
    }

  for (;;)
    {
      double pair[2];

      if (i >= len || data[i] != '[')
        return NOT_A_RING;

      for (guint n = 0; n < 2; n++)
        {
          i = skip_space (data, len, i + 1);
          if ((i = read_number (data, len, i, &pair[n])) == 0)
            return NOT_A_RING;
          i = skip_space (data, len, i);
          if (i >= len || data[i] != (n == 0 ? ',' : ']'))
            return NOT_A_RING;
        }

      g_array_append_val (ring, pair);
      i = skip_space (data, len, i + 1);
      if (i < len && data[i] == ']')
        break;
      if (i >= len || data[i] != ',')
        return NOT_A_RING;
      i = skip_space (data, len, i + 1);
    }

  if (ring->len < 4)
    return NOT_A_RING;

  *end = i + 1;
  return A_RING;
}

/**
 * story_json_take_rings:
 * @data: valid UTF-8
 * @text: where @data goes, each ring replaced by its mark; left as it was
 *   where %FALSE is returned
 * @rings: (out) (transfer full): a #GArray of pairs of doubles for each
 *   ring, in order
 *
 * Reads the polygon rings of a GeoJSON text, arrays of at least four
 * positions of two numbers each, without json-glib, and leaves in their
 * place a mark json-glib reads quickly: "[[N]]" for the Nth ring. Most of a
 * large story is such numbers, and a tree of JSON nodes for them costs
 * several times reading them.
 *
 * Whatever is not strictly such a ring is left as it is. Numbers read as
 * json-glib reads them. Whoever reads the marks must take every ring once
 * and in order, or read @data itself: where a mark is met elsewhere, the
 * ring was not where a ring is read.
 *
 * Returns: %FALSE where @data has no ring, or an array that could be
 *   mistaken for a mark
 */
gboolean
story_json_take_rings (const char  *data,
                       gsize        len,
                       GString     *text,
                       GPtrArray  **rings)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, 2 * sizeof (double));
  gsize text_len = text->len;
  gsize copied = 0;
  gboolean refused = FALSE;

  for (gsize i = 0; i < len && !refused;)
    {
      gsize end;

      if (data[i] == '"')
        {
          refused = (i = skip_string (data, len, i)) == 0;
          continue;
        }

      if (data[i] != '[')
        {
          i++;
          continue;
        }

      switch (read_ring (data, len, i, ring, &end))
        {
        case A_RING:
          g_string_append_len (text, data + copied, i - copied);
          g_string_append_printf (text, "[[%u]]", found->len);
          g_ptr_array_add (found, g_array_copy (ring));
          i = copied = end;
          break;

        case LIKE_A_MARK:
          refused = TRUE;
          break;

        case NOT_A_RING:
        default:
          i++;
          break;
        }
    }

  if (refused || found->len == 0)
    {
      g_string_truncate (text, text_len);
      return FALSE;
    }

  g_string_append_len (text, data + copied, len - copied);
  *rings = g_steal_pointer (&found);
  return TRUE;
}
