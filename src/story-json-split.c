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

      while (i < len && strchr (",]} \t\n\r", data[i]) == NULL)
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
