/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-document"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "story-document-private.h"
#include "story-json-scan.h"
#include "story-links.h"

/*
 * Reading a story file into a StoryDocument: raw checks before json-glib
 * sees the bytes (size, UTF-8, RFC 8259 syntax and nesting depth), then
 * the GeoJSON and the "story" member, member by member, with an error that
 * names the line and column or the JSON path of whatever is wrong.
 */

/* Errors ---------------------------------------------------------------- */

gboolean
_story_json_fail_at_path (GError     **error,
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

/* What stands at @offset, for "expected …, found %s". */
static char *
describe_found (const char *data,
                gsize       len,
                gsize       offset)
{
  char c;

  if (offset >= len)
    return g_strdup (_("the end of the file"));

  c = data[offset];
  if (c == '"')
    return g_strdup (_("a string"));
  if (c == '-' || g_ascii_isdigit (c))
    return g_strdup (_("a number"));

  if (g_ascii_isgraph (c))
    {
      gsize end = offset + 1;
      g_autofree char *word = NULL;

      if (g_ascii_isalpha (c) || c == '_')
        while (end < len && end - offset < 32 && (g_ascii_isalnum (data[end]) || data[end] == '_'))
          end++;
      word = g_strndup (data + offset, end - offset);
      /* Translators: a word or a punctuation mark found in the file */
      return g_strdup_printf (_("“%s”"), word);
    }

  /* A control character, or any character beyond ASCII. */
  return story_json_describe_character (g_utf8_get_char (data + offset));
}

/* The first @n_chars characters from @offset, as written. */
static char *
quote_at (const char *data,
          gsize       len,
          gsize       offset,
          gsize       n_chars)
{
  const char *end = data + offset;

  for (gsize n = 0; n < n_chars && end < data + len; n++)
    end = g_utf8_next_char (end);

  return g_strndup (data + offset, end - (data + offset));
}

/* The name of the member whose opening quote is at @offset, as written. */
static char *
member_name_at (const char *data,
                gsize       len,
                gsize       offset)
{
  gsize end = offset + 1;

  while (end < len && data[end] != '"')
    end += data[end] == '\\' ? 2 : 1;

  if (g_utf8_strlen (data + offset + 1, end - offset - 1) > 64)
    {
      g_autofree char *start = quote_at (data, len, offset + 1, 64);

      return g_strconcat (start, "…", NULL);
    }

  return g_strndup (data + offset + 1, end - offset - 1);
}

static char *
unexpected_message (const char           *data,
                    gsize                 len,
                    const StoryJsonFault *fault)
{
  g_autofree char *found = describe_found (data, len, fault->offset);

  switch (fault->expected)
    {
    case STORY_JSON_EXPECT_MEMBER_NAME:
      /* Translators: %s is what was found: “}”, a string, the end of the file, U+00A0 NO-BREAK SPACE… */
      return g_strdup_printf (_("Invalid JSON: expected a member name in double quotes, found %s"), found);
    case STORY_JSON_EXPECT_COLON:
      /* Translators: %s is what was found: “}”, a string, the end of the file, U+00A0 NO-BREAK SPACE… */
      return g_strdup_printf (_("Invalid JSON: expected “:” after the member name, found %s"), found);
    case STORY_JSON_EXPECT_ARRAY_NEXT:
      /* Translators: %s is what was found: “}”, a string, the end of the file, U+00A0 NO-BREAK SPACE… */
      return g_strdup_printf (_("Invalid JSON: expected “,” or “]”, found %s"), found);
    case STORY_JSON_EXPECT_OBJECT_NEXT:
      /* Translators: %s is what was found: “}”, a string, the end of the file, U+00A0 NO-BREAK SPACE… */
      return g_strdup_printf (_("Invalid JSON: expected “,” or “}”, found %s"), found);
    case STORY_JSON_EXPECT_END:
      /* Translators: %s is what was found: “}”, a string, the end of the file, U+00A0 NO-BREAK SPACE… */
      return g_strdup_printf (_("Invalid JSON: expected the end of the file after the first value, found %s"), found);
    case STORY_JSON_EXPECT_VALUE:
    default:
      /* Translators: %s is what was found: “}”, a string, the end of the file, U+00A0 NO-BREAK SPACE… */
      return g_strdup_printf (_("Invalid JSON: expected a value, found %s"), found);
    }
}

/* What story_json_scan() found wrong, in words. */
static char *
fault_message (const char           *data,
               gsize                 len,
               const StoryJsonFault *fault)
{
  gsize at = fault->offset;
  g_autofree char *what = NULL;

  switch (fault->kind)
    {
    case STORY_JSON_FAULT_TOO_DEEP:
      return g_strdup_printf (_("Nested deeper than %u levels"), STORY_DOCUMENT_MAX_DEPTH);
    case STORY_JSON_FAULT_SINGLE_QUOTE:
      return g_strdup (_("Invalid JSON: a string must be in double quotes"));
    case STORY_JSON_FAULT_COMMENT:
      return g_strdup (_("Invalid JSON: comments are not allowed"));
    case STORY_JSON_FAULT_TRAILING_COMMA:
      return g_strdup (_("Invalid JSON: a comma before a closing bracket (JSON has no trailing commas)"));
    case STORY_JSON_FAULT_PLUS_SIGN:
      return g_strdup (_("Invalid JSON: a number must not start with “+”"));
    case STORY_JSON_FAULT_LEADING_ZERO:
      return g_strdup (_("Invalid JSON: a number must not have a leading zero"));
    case STORY_JSON_FAULT_HEXADECIMAL:
      return g_strdup (_("Invalid JSON: a number must be decimal, not hexadecimal"));
    case STORY_JSON_FAULT_NOT_A_NUMBER:
      return g_strdup (_("Invalid JSON: NaN and Infinity are not numbers in JSON"));
    case STORY_JSON_FAULT_DIGIT_EXPECTED:
      what = describe_found (data, len, at);
      /* Translators: %s is what was found: “}”, a string, the end of the file, U+00A0 NO-BREAK SPACE… */
      return g_strdup_printf (_("Invalid JSON: expected a digit, found %s"), what);
    case STORY_JSON_FAULT_NUMBER_TOO_LARGE:
      return g_strdup (_("Invalid JSON: the number is too large"));
    case STORY_JSON_FAULT_UNCLOSED_STRING:
      return g_strdup (_("Invalid JSON: the string has no closing double quote"));
    case STORY_JSON_FAULT_CONTROL_CHARACTER:
      what = story_json_describe_character ((guchar)data[at]);
      /* Translators: %s is a character such as “U+0009 CHARACTER TABULATION” */
      return g_strdup_printf (_("Invalid JSON: the control character %s must be written as an escape in a string"), what);
    case STORY_JSON_FAULT_BAD_ESCAPE:
      what = quote_at (data, len, at, 2);
      /* Translators: %s is a backslash and the character after it, such as “\\x” */
      return g_strdup_printf (_("Invalid JSON: “%s” is not an escape"), what);
    case STORY_JSON_FAULT_BAD_UNICODE_ESCAPE:
      return g_strdup (_("Invalid JSON: “\\u” must be followed by four hexadecimal digits"));
    case STORY_JSON_FAULT_NUL_ESCAPE:
      return g_strdup (_("The text holds a NUL character (U+0000)"));
    case STORY_JSON_FAULT_LONE_SURROGATE:
      return g_strdup (_("The text holds an escape that is not a character (a lone UTF-16 surrogate)"));
    case STORY_JSON_FAULT_DUPLICATE_MEMBER:
      what = member_name_at (data, len, at);
      /* Translators: %s is the name of a JSON object member, as written in the file */
      return g_strdup_printf (_("The member “%s” appears twice in one object"), what);
    case STORY_JSON_FAULT_UNEXPECTED:
    case STORY_JSON_FAULT_NONE:
    default:
      return unexpected_message (data, len, fault);
    }
}

/* One pass over the text before json-glib sees it: RFC 8259 JSON only,
 * nested at most STORY_DOCUMENT_MAX_DEPTH deep (json-glib recurses once
 * per level and would overflow the stack on deep input). */
static gboolean
check_syntax (const char  *data,
              gsize        len,
              GError     **error)
{
  g_autofree char *message = NULL;
  StoryJsonFault fault;
  guint line, column;

  if (story_json_scan (data, len, STORY_DOCUMENT_MAX_DEPTH, &fault))
    return TRUE;

  message = fault_message (data, len, &fault);
  offset_to_position (data, fault.offset, &line, &column);
  return fail_at_position (error,
                           fault.kind == STORY_JSON_FAULT_TOO_DEEP ? STORY_DOCUMENT_ERROR_TOO_DEEP
                                                                   : STORY_DOCUMENT_ERROR_SYNTAX,
                           line, column, "%s", message);
}

static gboolean
check_text (const char  *data,
            gsize        len,
            GError     **error)
{
  const char *bad = NULL;
  gsize i;

  if (len > STORY_DOCUMENT_MAX_FILE_SIZE)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_TOO_LARGE, "/",
                                     _("The file is larger than the limit of %u MB"),
                                     STORY_DOCUMENT_MAX_FILE_SIZE / (1024 * 1024));

  for (i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      break;
  if (i == len)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_EMPTY, "/", _("The file is empty"));

  if (!g_utf8_validate (data, len, &bad))
    {
      guint line, column;

      offset_to_position (data, bad - data, &line, &column);
      return fail_at_position (error, STORY_DOCUMENT_ERROR_NOT_UTF8, line, column,
                               _("The file is not UTF-8 text"));
    }

  return check_syntax (data, len, error);
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

gboolean
_story_json_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

double
_story_json_number_value (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double)json_node_get_int (node);
  return json_node_get_double (node);
}

/* Whether @c shows nothing on its own: a space or a line break, a control
 * or format character (U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER,
 * U+FEFF), a combining mark with nothing before it to combine with, or a
 * letter that is drawn blank (the Hangul fillers, the blank Braille
 * pattern). */
static gboolean
is_invisible (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT || type == G_UNICODE_SURROGATE ||
         type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK ||
         type == G_UNICODE_SPACE_SEPARATOR || type == G_UNICODE_LINE_SEPARATOR ||
         type == G_UNICODE_PARAGRAPH_SEPARATOR || g_unichar_isspace (c) ||
         c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800;
}

/* Whether a text would show as nothing: a name or a title made only of
 * zero-width or combining characters counts as empty. */
static gboolean
is_blank (const char *str)
{
  for (const char *p = str; *p; p = g_utf8_next_char (p))
    if (!is_invisible (g_utf8_get_char (p)))
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
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_LIMIT, path,
                                     _("The text is longer than the limit of %u bytes"),
                                     STORY_DOCUMENT_MAX_STRING);

  if (!g_utf8_validate (value, -1, NULL))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                     _("The text holds an escape that is not a character (a lone UTF-16 surrogate)"));

  *out = story_text_to_nfc (value);
  return TRUE;
}

/* Reads a string member into @out (NFC). A missing optional member is fine;
 * a required one must be there and not blank. */
gboolean
_story_json_get_string (JsonObject  *object,
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
        return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                         _("The required member “%s” is missing"), member);
      return TRUE;
    }

  if (!is_string (node))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, member_path,
                                     _("Expected a string"));

  value = json_node_get_string (node);
  if (!read_text (value, member_path, &nfc, error))
    return FALSE;

  if (required && is_blank (nfc))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, member_path,
                                     _("Must not be empty"));

  g_free (*out);
  *out = g_steal_pointer (&nfc);
  return TRUE;
}

JsonObject *
_story_json_get_object (JsonNode    *node,
                        const char  *path,
                        GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path, _("Expected an object"));
      return NULL;
    }

  return json_node_get_object (node);
}

JsonArray *
_story_json_get_array (JsonNode    *node,
                       const char  *path,
                       GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path, _("Expected an array"));
      return NULL;
    }

  return json_node_get_array (node);
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

  if (!(array = _story_json_get_array (json_object_get_member (properties, member), list_path, error)))
    return FALSE;

  if (json_array_get_length (array) > STORY_DOCUMENT_MAX_ALIASES)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_LIMIT, list_path,
                                     _("The place has more than %u aliases"), STORY_DOCUMENT_MAX_ALIASES);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_path = g_strdup_printf ("%s/%u", list_path, i);
      g_autofree char *nfc = NULL;

      if (is_string (node) && !read_text (json_node_get_string (node), item_path, &nfc, error))
        return FALSE;
      if (nfc == NULL || is_blank (nfc))
        return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, item_path,
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

  if (!(array = _story_json_get_array (json_object_get_member (properties, "paragraphs"), list_path, error)))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_path = g_strdup_printf ("%s/%u", list_path, i);
      double n;

      if (!_story_json_is_number (node))
        return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, item_path,
                                         _("Expected a paragraph number"));

      n = _story_json_number_value (node);
      if (n != floor (n) || n < 1 || n > ctx->n_paragraphs)
        return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, item_path,
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
  guint n_names = 0;

  if (!json_object_has_member (feature, "properties"))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                     _("The required member “%s” is missing"), "properties");

  if (!(properties = _story_json_get_object (json_object_get_member (feature, "properties"), props_path, error)))
    return FALSE;

  if (!_story_json_get_string (properties, "name", props_path, TRUE, &name, error) ||
      !_story_json_get_string (properties, "kind", props_path, FALSE, &kind_str, error) ||
      !_story_json_get_string (properties, "description", props_path, FALSE, &description, error))
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

          if (++n_names > STORY_DOCUMENT_MAX_NAMES)
            return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_LIMIT, props_path,
                                             _("The place has more than %u names in other languages"),
                                             STORY_DOCUMENT_MAX_NAMES);

          if (!g_utf8_validate (member, -1, NULL))
            return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, props_path,
                                             _("The text holds an escape that is not a character (a lone UTF-16 surrogate)"));

          if (!_story_json_get_string (properties, member, props_path, TRUE, &localized, error))
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

  if (!_story_document_read_position (json_object_get_member (properties, "anchor"), anchor_path, &p, error))
    return FALSE;

  story_place_set_anchor (place, p.lat, p.lon);
  return TRUE;
}

/**
 * _story_document_read_feature:
 * @index: the feature's place in "features"
 * @ids: the ids of the places read so far
 * @out_place: (out) (transfer full): the place the feature describes
 *
 * Reads one feature.
 */
gboolean
_story_document_read_feature (ParseContext  *ctx,
                              JsonNode      *node,
                              guint          index,
                              GHashTable    *ids,
                              StoryPlace   **out_place,
                              GError       **error)
{
  g_autofree char *path = g_strdup_printf ("/features/%u", index);
  g_autofree char *id_path = g_strdup_printf ("%s/id", path);
  g_autoptr(StoryPlace) place = NULL;
  g_autofree char *type = NULL;
  g_autofree char *id = NULL;
  JsonObject *feature;

  if (!(feature = _story_json_get_object (node, path, error)))
    return FALSE;

  if (!_story_json_get_string (feature, "type", path, TRUE, &type, error))
    return FALSE;
  if (!g_str_equal (type, "Feature"))
    {
      g_autofree char *type_path = g_strdup_printf ("%s/type", path);

      return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, type_path,
                                       _("Expected “Feature”, found “%s”"), type);
    }

  if (!json_object_has_member (feature, "id"))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                     _("The required member “%s” is missing"), "id");
  if (!_story_json_get_string (feature, "id", path, TRUE, &id, error))
    return FALSE;

  if (g_hash_table_contains (ids, id))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, id_path,
                                     _("The id “%s” is used by another place"), id);

  if (!read_properties (ctx, feature, path, &place, id, error) ||
      !_story_document_read_geometry (ctx, feature, path, place, error) ||
      !read_anchor (json_object_get_object_member (feature, "properties"), path, place, error))
    return FALSE;

  *out_place = g_steal_pointer (&place);
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

  if (!(array = _story_json_get_array (json_object_get_member (story, "view"), "/story/view", error)))
    return FALSE;

  if (json_array_get_length (array) != 4)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story/view",
                                     _("Expected [west, south, east, north]"));

  for (guint i = 0; i < 4; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!_story_json_is_number (node))
        return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story/view",
                                         _("Coordinates must be numbers"));
      v[i] = _story_json_number_value (node);
    }

  if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90 || v[0] >= v[2] || v[1] >= v[3])
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story/view",
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
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/",
                                     _("The required member “%s” is missing"), "story");

  if (!(story = _story_json_get_object (json_object_get_member (root, "story"), "/story", error)))
    return FALSE;

  if (!_story_json_get_string (story, "title", "/story", TRUE, &self->title, error) ||
      !_story_json_get_string (story, "dateline", "/story", FALSE, &self->dateline, error) ||
      !_story_json_get_string (story, "date", "/story", FALSE, &self->date, error) ||
      !_story_json_get_string (story, "source", "/story", FALSE, &self->source, error) ||
      !_story_json_get_string (story, "url", "/story", FALSE, &self->url, error) ||
      !_story_json_get_string (story, "language", "/story", FALSE, &self->language, error))
    return FALSE;

  if (self->date != NULL && !is_iso_date (self->date))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story/date",
                                     _("“%s” is not an ISO 8601 date"), self->date);

  if (!json_object_has_member (story, "paragraphs"))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story",
                                     _("The required member “%s” is missing"), "paragraphs");

  if (!(paragraphs = _story_json_get_array (json_object_get_member (story, "paragraphs"), "/story/paragraphs", error)))
    return FALSE;

  if (json_array_get_length (paragraphs) == 0)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/story/paragraphs",
                                     _("A story needs at least one paragraph"));

  if (json_array_get_length (paragraphs) > STORY_DOCUMENT_MAX_PARAGRAPHS)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_LIMIT, "/story/paragraphs",
                                     _("The story has more than %u paragraphs"), STORY_DOCUMENT_MAX_PARAGRAPHS);

  for (guint i = 0; i < json_array_get_length (paragraphs); i++)
    {
      JsonNode *node = json_array_get_element (paragraphs, i);
      g_autofree char *path = g_strdup_printf ("/story/paragraphs/%u", i);
      g_autofree char *nfc = NULL;

      if (is_string (node) && !read_text (json_node_get_string (node), path, &nfc, error))
        return FALSE;
      if (nfc == NULL || is_blank (nfc))
        return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, path,
                                         _("A paragraph must be a non-empty string"));

      g_ptr_array_add (self->paragraphs, g_steal_pointer (&nfc));
    }

  ctx->n_paragraphs = self->paragraphs->len;

  return read_view (self, story, error);
}

/**
 * _story_document_read_root:
 *
 * Reads the whole story from its JSON tree.
 */
gboolean
_story_document_read_root (StoryDocument  *self,
                           ParseContext   *ctx,
                           JsonNode       *root_node,
                           GError        **error)
{
  JsonObject *root;
  JsonArray *features;

  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/",
                                     _("Not a GeoJSON FeatureCollection"));

  root = json_node_get_object (root_node);
  if (!is_string (json_object_get_member (root, "type")) ||
      !g_str_equal (json_object_get_string_member (root, "type"), "FeatureCollection"))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/type",
                                     _("Not a GeoJSON FeatureCollection"));

  if (!read_story (self, ctx, root, error))
    return FALSE;

  if (!json_object_has_member (root, "features"))
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_INVALID, "/",
                                     _("The required member “%s” is missing"), "features");

  if (!(features = _story_json_get_array (json_object_get_member (root, "features"), "/features", error)))
    return FALSE;

  if (json_array_get_length (features) > STORY_DOCUMENT_MAX_PLACES)
    return _story_json_fail_at_path (error, STORY_DOCUMENT_ERROR_LIMIT, "/features",
                                     _("The story has more than %u places"), STORY_DOCUMENT_MAX_PLACES);

  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      g_autoptr(StoryPlace) place = NULL;

      if (!_story_document_read_feature (ctx, json_array_get_element (features, i), i,
                                         self->places_by_id, &place, error))
        return FALSE;

      g_list_store_append (self->places, place);
      g_hash_table_insert (self->places_by_id, (gpointer)story_place_get_id (place), place);
    }

  return TRUE;
}

static void
drop_parser (gpointer data,
             gpointer user_data)
{
  g_object_unref (data);
}

/* Freeing the tree of a large file takes about a third as long as parsing
 * it. Nothing of it is kept, so that is done on a thread of its own and
 * the story is ready sooner. */
/* Frees a parser's tree on a thread of its own: nothing of it is kept, and
 * a large story's takes tens of milliseconds to free. */
void
_story_document_drop_parser_later (JsonParser *parser)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (drop_parser, NULL, 1, FALSE, NULL));

  g_thread_pool_push (pool, parser, NULL);
}

/**
 * _story_document_parse:
 *
 * Fills @self from the bytes of a story file. Errors read
 * "NAME:LINE:COLUMN: error: …" or "NAME: /json/path: error: …". A large
 * file is read in parts on several threads unless @flags say otherwise;
 * the result is the same.
 */
gboolean
_story_document_parse (StoryDocument   *self,
                       GBytes          *bytes,
                       const char      *display_name,
                       StoryParseFlags  flags,
                       GError         **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  ParseContext ctx = { display_name, 0, 0 };
  const char *data;
  gsize len;

  data = g_bytes_get_data (bytes, &len);
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  if (!check_text (data, len, error))
    {
      prefix_error (error, display_name);
      return FALSE;
    }

  if (!(flags & STORY_PARSE_WHOLE) &&
      _story_document_read_in_parts (self, &ctx, data, len, flags & STORY_PARSE_IN_PARTS))
    return TRUE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &json_error))
    {
      syntax_error (json_error, error);
      prefix_error (error, display_name);
      return FALSE;
    }

  if (!_story_document_read_root (self, &ctx, json_parser_get_root (parser), error))
    {
      prefix_error (error, display_name);
      return FALSE;
    }

  _story_document_drop_parser_later (g_steal_pointer (&parser));

  return TRUE;
}
