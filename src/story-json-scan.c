/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-json-scan"

#include "config.h"

#include <math.h>
#include <string.h>

#include "story-json-scan.h"

/*
 * One pass over a JSON text, before json-glib parses it, that lets through
 * only what RFC 8259 allows. json-glib also reads hexadecimal numbers,
 * single quotes, comments, raw control characters and unknown escapes in
 * strings, and ignores what follows the first value; a story file must
 * open in every other tool as it does here, so all of that is refused,
 * with the place of the first fault. The same pass measures the nesting
 * depth (json-glib recurses once per level and overflows the stack on
 * deep input) and refuses what json-glib would read wrongly or slowly:
 * \u0000, which cuts a string short; a lone UTF-16 surrogate just before
 * a closing quote or another \u escape, which json-glib reads together
 * with it; integers past 64 bits and numbers past a double; and a member
 * name given twice in one object, which each tool reads its own way and
 * json-glib in time that grows with the square of the members.
 */

/* Past this many members, an object's names go in a hash table. */
#define FEW_MEMBERS 16

typedef struct
{
  const char *p;
  gsize       len;
} Name;

/* An array or an object open around the current place. */
typedef struct
{
  char        bracket;        /* '[' or '{' */
  guint       first_name;     /* an object's names in Scanner.names */
  GHashTable *names;          /* GBytes, for an object of many members */
} Level;

typedef struct
{
  const char     *data;
  gsize           len;
  gsize           i;
  StoryJsonFault *fault;
  Level          *levels;
  guint           depth;
  guint           max_depth;
  GArray         *names;      /* Name: the members of the objects open */
  GStringChunk   *decoded;    /* names written with escapes, decoded */
} Scanner;

/* The bytes that end a run of plain text in a string. */
static const guchar stops_string[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, ['\\'] = 1,
};

static gboolean
fail (Scanner            *s,
      StoryJsonFaultKind  kind,
      gsize               offset)
{
  s->fault->kind = kind;
  s->fault->offset = offset;
  return FALSE;
}

static void
skip_space (Scanner *s)
{
  while (s->i < s->len &&
         (s->data[s->i] == ' ' || s->data[s->i] == '\n' || s->data[s->i] == '\r' || s->data[s->i] == '\t'))
    s->i++;
}

/* Whether @word stands at @i, a word of its own. */
static gboolean
has_word (Scanner    *s,
          gsize       i,
          const char *word)
{
  gsize n = strlen (word);

  return s->len - i >= n && memcmp (s->data + i, word, n) == 0 &&
         (s->len - i == n || !(g_ascii_isalnum (s->data[i + n]) || s->data[i + n] == '_'));
}

/* Something other than @expected at the current place: what it is. */
static gboolean
unexpected (Scanner         *s,
            StoryJsonExpect  expected)
{
  gsize i = s->i;
  char c;

  s->fault->expected = expected;
  if (i >= s->len)
    return fail (s, STORY_JSON_FAULT_UNEXPECTED, i);

  c = s->data[i];
  if (c == '/' && i + 1 < s->len && (s->data[i + 1] == '*' || s->data[i + 1] == '/'))
    return fail (s, STORY_JSON_FAULT_COMMENT, i);
  if (c == '\'' && (expected == STORY_JSON_EXPECT_VALUE || expected == STORY_JSON_EXPECT_MEMBER_NAME))
    return fail (s, STORY_JSON_FAULT_SINGLE_QUOTE, i);

  if (expected == STORY_JSON_EXPECT_VALUE)
    {
      if (c == '+')
        return fail (s, STORY_JSON_FAULT_PLUS_SIGN, i);
      if (c == '.')
        return fail (s, STORY_JSON_FAULT_DIGIT_EXPECTED, i);
      if (has_word (s, i, "NaN") || has_word (s, i, "Infinity"))
        return fail (s, STORY_JSON_FAULT_NOT_A_NUMBER, i);
    }

  return fail (s, STORY_JSON_FAULT_UNEXPECTED, i);
}

/* Strings ------------------------------------------------------------------ */

static gboolean
read_hex4 (Scanner *s,
           gsize    i,
           guint   *out)
{
  guint value = 0;

  if (s->len - i < 4)
    return FALSE;

  for (gsize k = i; k < i + 4; k++)
    {
      int digit = g_ascii_xdigit_value (s->data[k]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + digit;
    }

  *out = value;
  return TRUE;
}

static gboolean
is_surrogate (guint c)
{
  return c >= 0xD800 && c <= 0xDFFF;
}

/* Past a \u escape at @i (on its backslash). */
static gboolean
scan_unicode_escape (Scanner *s,
                     gsize   *i)
{
  gsize at = *i, next = *i + 6;
  guint c, low;

  if (!read_hex4 (s, at + 2, &c))
    return fail (s, STORY_JSON_FAULT_BAD_UNICODE_ESCAPE, at);
  if (c == 0)
    return fail (s, STORY_JSON_FAULT_NUL_ESCAPE, at);

  if (c >= 0xD800 && c <= 0xDBFF && next + 1 < s->len && s->data[next] == '\\' && s->data[next + 1] == 'u' &&
      read_hex4 (s, next + 2, &low) && low >= 0xDC00 && low <= 0xDFFF)
    {
      *i = next + 6;
      return TRUE;
    }

  /* json-glib reads what follows half a pair as the other half: a lone
   * half is let through (its text is refused where it is read) unless what
   * follows is the closing quote or another \u escape. */
  if (is_surrogate (c) &&
      (next >= s->len || s->data[next] == '"' ||
       (s->data[next] == '\\' && next + 1 < s->len && s->data[next + 1] == 'u')))
    return fail (s, STORY_JSON_FAULT_LONE_SURROGATE, at);

  *i = next;
  return TRUE;
}

/* Past the string at the current place (on its opening quote). */
static gboolean
scan_string (Scanner  *s,
             gboolean *escaped)
{
  const guchar *d = (const guchar *)s->data;
  gsize open = s->i, i = s->i + 1;

  *escaped = FALSE;

  for (;;)
    {
      while (i < s->len && !stops_string[d[i]])
        i++;

      if (i >= s->len)
        return fail (s, STORY_JSON_FAULT_UNCLOSED_STRING, open);
      if (d[i] == '"')
        break;
      if (d[i] < 0x20)
        return fail (s, STORY_JSON_FAULT_CONTROL_CHARACTER, i);

      *escaped = TRUE;
      if (i + 1 >= s->len)
        return fail (s, STORY_JSON_FAULT_UNCLOSED_STRING, open);

      switch (d[i + 1])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          i += 2;
          break;

        case 'u':
          if (!scan_unicode_escape (s, &i))
            return FALSE;
          break;

        default:
          return fail (s, STORY_JSON_FAULT_BAD_ESCAPE, i);
        }
    }

  s->i = i + 1;
  return TRUE;
}

/* Member names --------------------------------------------------------------- */

static void
append_surrogate (GString *out,
                  guint    c)
{
  /* As json-glib writes half a pair: three bytes that are not UTF-8. */
  g_string_append_c (out, (char)(0xE0 | (c >> 12)));
  g_string_append_c (out, (char)(0x80 | ((c >> 6) & 0x3F)));
  g_string_append_c (out, (char)(0x80 | (c & 0x3F)));
}

/* A name written with escapes (@p, @len: between its quotes, already
 * scanned), decoded as json-glib reads it, or as something that compares
 * equal wherever json-glib's does: after half a UTF-16 pair, json-glib
 * drops what follows; here the whole character or escape goes. */
static char *
decode_name (const char *p,
             gsize       len,
             gsize      *out_len)
{
  static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
  GString *out = g_string_sized_new (len);
  const char *end = p + len;

  while (p < end)
    {
      guint c, low;

      if (*p != '\\')
        {
          g_string_append_c (out, *p++);
          continue;
        }

      if (p[1] != 'u')
        {
          g_string_append_c (out, strchr (simple, p[1])[1]);
          p += 2;
          continue;
        }

      c = g_ascii_xdigit_value (p[2]) << 12 | g_ascii_xdigit_value (p[3]) << 8 |
          g_ascii_xdigit_value (p[4]) << 4 | g_ascii_xdigit_value (p[5]);
      p += 6;

      if (c >= 0xD800 && c <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
          (low = g_ascii_xdigit_value (p[2]) << 12 | g_ascii_xdigit_value (p[3]) << 8 |
                 g_ascii_xdigit_value (p[4]) << 4 | g_ascii_xdigit_value (p[5])) >= 0xDC00 && low <= 0xDFFF)
        {
          g_string_append_unichar (out, 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00));
          p += 6;
        }
      else if (is_surrogate (c))
        {
          append_surrogate (out, c);
          if (p < end)
            p = *p == '\\' ? p + 2 : g_utf8_next_char (p);
        }
      else
        {
          g_string_append_unichar (out, c);
        }
    }

  *out_len = out->len;
  return g_string_free (out, FALSE);
}

static gboolean
name_equal (const Name *a,
            const Name *b)
{
  return a->len == b->len && memcmp (a->p, b->p, a->len) == 0;
}

/* Records the name of a member of the innermost object (the string from
 * @start to the current place); FALSE where the object already has it. */
static gboolean
add_name (Scanner  *s,
          gsize     start,
          gboolean  escaped)
{
  Level *level = &s->levels[s->depth - 1];
  Name name = { s->data + start + 1, s->i - start - 2 };

  if (escaped)
    {
      g_autofree char *decoded = decode_name (name.p, name.len, &name.len);

      name.p = g_string_chunk_insert_len (s->decoded, decoded, name.len);
    }

  if (level->names == NULL)
    {
      for (guint k = level->first_name; k < s->names->len; k++)
        if (name_equal (&g_array_index (s->names, Name, k), &name))
          return fail (s, STORY_JSON_FAULT_DUPLICATE_MEMBER, start);

      g_array_append_val (s->names, name);
      if (s->names->len - level->first_name < FEW_MEMBERS)
        return TRUE;

      /* Many members: from now on, a hash table. */
      level->names = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
      for (guint k = level->first_name; k < s->names->len; k++)
        {
          Name *n = &g_array_index (s->names, Name, k);

          g_hash_table_add (level->names, g_bytes_new_static (n->p, n->len));
        }
      g_array_set_size (s->names, level->first_name);
      return TRUE;
    }

  if (!g_hash_table_add (level->names, g_bytes_new_static (name.p, name.len)))
    return fail (s, STORY_JSON_FAULT_DUPLICATE_MEMBER, start);

  return TRUE;
}

/* Numbers and words ------------------------------------------------------- */

/* Whether the number from @start to the current place is one json-glib
 * reads as it is written: an integer within 64 bits, or a finite double. */
static gboolean
check_magnitude (Scanner  *s,
                 gsize     start,
                 gsize     n_digits,
                 gboolean  integer,
                 gboolean  exponent)
{
  static const char max_int64[] = "9223372036854775807";
  const char *digits = s->data + s->i - n_digits;
  g_autofree char *token = NULL;

  if (integer)
    {
      if (n_digits < sizeof max_int64 - 1 ||
          (n_digits == sizeof max_int64 - 1 && memcmp (digits, max_int64, n_digits) <= 0))
        return TRUE;
      return fail (s, STORY_JSON_FAULT_NUMBER_TOO_LARGE, start);
    }

  /* Fewer than 300 digits before the point and no exponent is finite. */
  if (n_digits < 300 && !exponent)
    return TRUE;

  token = g_strndup (s->data + start, s->i - start);
  if (!isfinite (g_ascii_strtod (token, NULL)))
    return fail (s, STORY_JSON_FAULT_NUMBER_TOO_LARGE, start);

  return TRUE;
}

static gsize
skip_digits (Scanner *s,
             gsize    i)
{
  while (i < s->len && g_ascii_isdigit (s->data[i]))
    i++;

  return i;
}

static gboolean
scan_number (Scanner *s)
{
  gsize start = s->i, i = s->i, int_start, int_end;
  gboolean integer = TRUE, exponent = FALSE;

  if (s->data[i] == '-')
    i++;

  if (i >= s->len || !g_ascii_isdigit (s->data[i]))
    {
      if (has_word (s, i, "Infinity"))
        return fail (s, STORY_JSON_FAULT_NOT_A_NUMBER, start);
      return fail (s, STORY_JSON_FAULT_DIGIT_EXPECTED, i);
    }

  int_start = i;
  if (s->data[i] == '0')
    {
      i++;
      if (i < s->len && (s->data[i] == 'x' || s->data[i] == 'X'))
        return fail (s, STORY_JSON_FAULT_HEXADECIMAL, start);
      if (i < s->len && g_ascii_isdigit (s->data[i]))
        return fail (s, STORY_JSON_FAULT_LEADING_ZERO, start);
    }
  else
    {
      i = skip_digits (s, i);
    }
  int_end = i;

  if (i < s->len && s->data[i] == '.')
    {
      integer = FALSE;
      if (++i >= s->len || !g_ascii_isdigit (s->data[i]))
        return fail (s, STORY_JSON_FAULT_DIGIT_EXPECTED, i);
      i = skip_digits (s, i);
    }

  if (i < s->len && (s->data[i] == 'e' || s->data[i] == 'E'))
    {
      integer = FALSE;
      exponent = TRUE;
      if (++i < s->len && (s->data[i] == '+' || s->data[i] == '-'))
        i++;
      if (i >= s->len || !g_ascii_isdigit (s->data[i]))
        return fail (s, STORY_JSON_FAULT_DIGIT_EXPECTED, i);
      i = skip_digits (s, i);
    }

  s->i = i;
  return check_magnitude (s, start, int_end - int_start, integer, exponent);
}

static gboolean
scan_word (Scanner *s)
{
  static const char * const words[] = { "true", "false", "null" };

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    {
      if (has_word (s, s->i, words[w]))
        {
          s->i += strlen (words[w]);
          return TRUE;
        }
    }

  return unexpected (s, STORY_JSON_EXPECT_VALUE);
}

/* The structure ------------------------------------------------------------ */

static gboolean
open_level (Scanner *s,
            char     bracket)
{
  Level *level;

  if (s->depth == s->max_depth)
    return fail (s, STORY_JSON_FAULT_TOO_DEEP, s->i);

  level = &s->levels[s->depth++];
  level->bracket = bracket;
  level->first_name = s->names->len;
  level->names = NULL;
  s->i++;
  skip_space (s);
  return TRUE;
}

static void
close_level (Scanner *s)
{
  Level *level = &s->levels[--s->depth];

  g_clear_pointer (&level->names, g_hash_table_unref);
  g_array_set_size (s->names, level->first_name);
  s->i++;
}

typedef enum
{
  AT_VALUE,
  AT_MEMBER,
  AFTER_VALUE,
} State;

/* A value, or the start of an array or an object. */
static gboolean
scan_value (Scanner *s,
            State   *state)
{
  gboolean escaped;

  skip_space (s);
  if (s->i >= s->len)
    return unexpected (s, STORY_JSON_EXPECT_VALUE);

  *state = AFTER_VALUE;
  switch (s->data[s->i])
    {
    case '{':
      if (!open_level (s, '{'))
        return FALSE;
      if (s->i < s->len && s->data[s->i] == '}')
        close_level (s);
      else
        *state = AT_MEMBER;
      return TRUE;

    case '[':
      if (!open_level (s, '['))
        return FALSE;
      if (s->i < s->len && s->data[s->i] == ']')
        close_level (s);
      else
        *state = AT_VALUE;
      return TRUE;

    case '"':
      return scan_string (s, &escaped);

    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number (s);

    default:
      return scan_word (s);
    }
}

/* A member's name and its colon. */
static gboolean
scan_member (Scanner *s)
{
  gsize start = s->i;
  gboolean escaped;

  if (s->i >= s->len || s->data[s->i] != '"')
    return unexpected (s, STORY_JSON_EXPECT_MEMBER_NAME);
  if (!scan_string (s, &escaped) || !add_name (s, start, escaped))
    return FALSE;

  skip_space (s);
  if (s->i >= s->len || s->data[s->i] != ':')
    return unexpected (s, STORY_JSON_EXPECT_COLON);
  s->i++;
  return TRUE;
}

/* After a value in an array or an object: a comma, or its end. */
static gboolean
scan_after_value (Scanner *s,
                  State   *state)
{
  char bracket, closing;

  skip_space (s);
  bracket = s->levels[s->depth - 1].bracket;
  closing = bracket == '[' ? ']' : '}';

  if (s->i < s->len && s->data[s->i] == ',')
    {
      gsize comma = s->i++;

      skip_space (s);
      if (s->i < s->len && s->data[s->i] == closing)
        return fail (s, STORY_JSON_FAULT_TRAILING_COMMA, comma);
      *state = bracket == '[' ? AT_VALUE : AT_MEMBER;
      return TRUE;
    }

  if (s->i < s->len && s->data[s->i] == closing)
    {
      close_level (s);
      return TRUE;
    }

  return unexpected (s, bracket == '[' ? STORY_JSON_EXPECT_ARRAY_NEXT : STORY_JSON_EXPECT_OBJECT_NEXT);
}

/**
 * story_json_scan:
 * @data: valid UTF-8
 * @max_depth: how deep arrays and objects may nest
 * @fault: (out caller-allocates): what is wrong and where, if anything
 *
 * Checks that @data is one JSON text as RFC 8259 defines it, nested at
 * most @max_depth deep, in one pass; see the top of this file for what
 * else it refuses.
 *
 * Returns: whether it is
 */
gboolean
story_json_scan (const char     *data,
                 gsize           len,
                 guint           max_depth,
                 StoryJsonFault *fault)
{
  g_autofree Level *levels = g_new0 (Level, max_depth + 1);
  g_autoptr(GArray) names = g_array_new (FALSE, FALSE, sizeof (Name));
  GStringChunk *decoded = g_string_chunk_new (64);
  Scanner s = { data, len, 0, fault, levels, 0, max_depth, names, decoded };
  State state = AT_VALUE;
  gboolean ok = TRUE;

  *fault = (StoryJsonFault) { STORY_JSON_FAULT_NONE, STORY_JSON_EXPECT_VALUE, 0 };

  while (ok)
    {
      if (state == AT_VALUE)
        {
          ok = scan_value (&s, &state);
        }
      else if (state == AT_MEMBER)
        {
          ok = scan_member (&s);
          state = AT_VALUE;
        }
      else if (s.depth > 0)
        {
          ok = scan_after_value (&s, &state);
        }
      else
        {
          skip_space (&s);
          ok = s.i == len || unexpected (&s, STORY_JSON_EXPECT_END);
          break;
        }
    }

  while (s.depth > 0)
    g_clear_pointer (&s.levels[--s.depth].names, g_hash_table_unref);
  g_string_chunk_free (decoded);

  return ok;
}

/* Characters ---------------------------------------------------------------- */

/* Characters that are easily typed or pasted where JSON has punctuation or
 * a value, and look like nothing or like something else. */
static const struct {
  gunichar    c;
  const char *name;
} character_names[] = {
  { 0x0000, "NULL" },
  { 0x0009, "CHARACTER TABULATION" },
  { 0x000A, "LINE FEED" },
  { 0x000B, "LINE TABULATION" },
  { 0x000C, "FORM FEED" },
  { 0x000D, "CARRIAGE RETURN" },
  { 0x001B, "ESCAPE" },
  { 0x007F, "DELETE" },
  { 0x0085, "NEXT LINE" },
  { 0x00A0, "NO-BREAK SPACE" },
  { 0x00AB, "LEFT-POINTING DOUBLE ANGLE QUOTATION MARK" },
  { 0x00AD, "SOFT HYPHEN" },
  { 0x00BB, "RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK" },
  { 0x1680, "OGHAM SPACE MARK" },
  { 0x180E, "MONGOLIAN VOWEL SEPARATOR" },
  { 0x2000, "EN QUAD" },
  { 0x2001, "EM QUAD" },
  { 0x2002, "EN SPACE" },
  { 0x2003, "EM SPACE" },
  { 0x2004, "THREE-PER-EM SPACE" },
  { 0x2005, "FOUR-PER-EM SPACE" },
  { 0x2006, "SIX-PER-EM SPACE" },
  { 0x2007, "FIGURE SPACE" },
  { 0x2008, "PUNCTUATION SPACE" },
  { 0x2009, "THIN SPACE" },
  { 0x200A, "HAIR SPACE" },
  { 0x200B, "ZERO WIDTH SPACE" },
  { 0x200C, "ZERO WIDTH NON-JOINER" },
  { 0x200D, "ZERO WIDTH JOINER" },
  { 0x200E, "LEFT-TO-RIGHT MARK" },
  { 0x200F, "RIGHT-TO-LEFT MARK" },
  { 0x2010, "HYPHEN" },
  { 0x2011, "NON-BREAKING HYPHEN" },
  { 0x2012, "FIGURE DASH" },
  { 0x2013, "EN DASH" },
  { 0x2014, "EM DASH" },
  { 0x2015, "HORIZONTAL BAR" },
  { 0x2018, "LEFT SINGLE QUOTATION MARK" },
  { 0x2019, "RIGHT SINGLE QUOTATION MARK" },
  { 0x201A, "SINGLE LOW-9 QUOTATION MARK" },
  { 0x201B, "SINGLE HIGH-REVERSED-9 QUOTATION MARK" },
  { 0x201C, "LEFT DOUBLE QUOTATION MARK" },
  { 0x201D, "RIGHT DOUBLE QUOTATION MARK" },
  { 0x201E, "DOUBLE LOW-9 QUOTATION MARK" },
  { 0x201F, "DOUBLE HIGH-REVERSED-9 QUOTATION MARK" },
  { 0x2026, "HORIZONTAL ELLIPSIS" },
  { 0x2028, "LINE SEPARATOR" },
  { 0x2029, "PARAGRAPH SEPARATOR" },
  { 0x202A, "LEFT-TO-RIGHT EMBEDDING" },
  { 0x202B, "RIGHT-TO-LEFT EMBEDDING" },
  { 0x202C, "POP DIRECTIONAL FORMATTING" },
  { 0x202D, "LEFT-TO-RIGHT OVERRIDE" },
  { 0x202E, "RIGHT-TO-LEFT OVERRIDE" },
  { 0x202F, "NARROW NO-BREAK SPACE" },
  { 0x205F, "MEDIUM MATHEMATICAL SPACE" },
  { 0x2060, "WORD JOINER" },
  { 0x2066, "LEFT-TO-RIGHT ISOLATE" },
  { 0x2067, "RIGHT-TO-LEFT ISOLATE" },
  { 0x2068, "FIRST STRONG ISOLATE" },
  { 0x2069, "POP DIRECTIONAL ISOLATE" },
  { 0x2212, "MINUS SIGN" },
  { 0x3000, "IDEOGRAPHIC SPACE" },
  { 0x3001, "IDEOGRAPHIC COMMA" },
  { 0xFEFF, "BYTE ORDER MARK" },
  { 0xFF02, "FULLWIDTH QUOTATION MARK" },
  { 0xFF0C, "FULLWIDTH COMMA" },
  { 0xFF1A, "FULLWIDTH COLON" },
  { 0xFF3B, "FULLWIDTH LEFT SQUARE BRACKET" },
  { 0xFF3D, "FULLWIDTH RIGHT SQUARE BRACKET" },
  { 0xFF5B, "FULLWIDTH LEFT CURLY BRACKET" },
  { 0xFF5D, "FULLWIDTH RIGHT CURLY BRACKET" },
  { 0xFFFD, "REPLACEMENT CHARACTER" },
};

/**
 * story_json_describe_character:
 *
 * Returns: (transfer full): @c as "U+00A0 NO-BREAK SPACE", with its
 *   Unicode name where it is one of the characters easily put in a JSON
 *   text by mistake, or as "U+1234" alone
 */
char *
story_json_describe_character (gunichar c)
{
  guint lo = 0, hi = G_N_ELEMENTS (character_names);

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (character_names[mid].c == c)
        return g_strdup_printf ("U+%04X %s", c, character_names[mid].name);
      if (character_names[mid].c < c)
        lo = mid + 1;
      else
        hi = mid;
    }

  return g_strdup_printf ("U+%04X", c);
}
