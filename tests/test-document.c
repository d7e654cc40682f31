/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "story-document.h"

#define VALID_STORY \
  "{\"type\": \"FeatureCollection\",\n" \
  " \"story\": {\"title\": \"T\", \"dateline\": \"BAKU\", \"paragraphs\": [\"One in Baku.\", \"Two.\"]},\n" \
  " \"features\": [\n" \
  "  {\"type\": \"Feature\", \"id\": \"baku\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [49.89, 40.38]},\n" \
  "   \"properties\": {\"name\": \"Baku\"}}\n" \
  " ]}\n"

static char *
bundled_story_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "story", "nerkin-hand.storymap.geojson", NULL);
}

static StoryDocument *
load_string (const char  *contents,
             gssize       len,
             GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (contents, len < 0 ? strlen (contents) : (gsize)len);

  return story_document_new_from_bytes (bytes, "story.json", error);
}

/* Loads @contents and asserts the error message is exactly @expected. */
static void
assert_error (const char *contents,
              int         code,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = load_string (contents, -1, &error);

  g_assert_null (document);
  g_assert_error (error, STORY_DOCUMENT_ERROR, code);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_bundled (void)
{
  g_autofree char *path = bundled_story_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = story_document_load (file, NULL, NULL, &error);
  StoryPlace *place;
  const guint *paragraphs;
  StoryBounds view;
  guint n;

  g_assert_no_error (error);
  g_assert_cmpstr (story_document_get_title (document), ==,
                   "Azerbaijan’s retaliatory fire kills 4 Armenian soldiers");
  g_assert_cmpstr (story_document_get_dateline (document), ==, "BAKU");
  g_assert_cmpuint (story_document_get_n_paragraphs (document), ==, 13);
  g_assert_cmpuint (story_document_get_n_places (document), ==, 6);

  place = story_document_lookup_place (document, "nerkin-hand");
  paragraphs = story_place_get_paragraphs (place, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (paragraphs[0], ==, 6);
  g_assert_nonnull (strstr (story_place_get_description (place), "approximate"));

  /* "Siunik" in the text is Syunik's alias. */
  place = story_document_lookup_place (document, "syunik");
  paragraphs = story_place_get_paragraphs (place, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (paragraphs[0], ==, 6);
  g_assert_true (story_place_is_area (place));

  place = story_document_lookup_place (document, "baku");
  g_assert_true (story_place_in_dateline (place));
  paragraphs = story_place_get_paragraphs (place, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (paragraphs[0], ==, 11);

  /* "Nagorno-Karabakh" and "Karabakh" both count. */
  place = story_document_lookup_place (document, "karabakh");
  paragraphs = story_place_get_paragraphs (place, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (paragraphs[0], ==, 9);

  /* The Kremlin stands for Moscow. */
  place = story_document_lookup_place (document, "moscow");
  g_assert_true (story_place_is_mentioned_in (place, 8));

  /* The view keeps Moscow from shrinking the South Caucasus. */
  story_document_get_view (document, &view);
  g_assert_true (story_bounds_contains (&view, 40.18, 44.51));
  g_assert_false (story_bounds_contains (&view, 55.75, 37.62));
}

static void
test_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = load_string (VALID_STORY, -1, &error);
  StoryBounds view;

  g_assert_no_error (error);
  g_assert_cmpuint (story_document_get_n_paragraphs (document), ==, 2);
  g_assert_true (story_place_is_mentioned_in (story_document_get_place (document, 0), 1));
  g_assert_false (story_place_is_mentioned_in (story_document_get_place (document, 0), 2));

  /* Without a view, the story opens on its places. */
  story_document_get_view (document, &view);
  g_assert_true (story_bounds_contains (&view, 40.38, 49.89));
}

static void
test_area_anchor (void)
{
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"A ring.\"]},\n"
    " \"features\": [{\"type\": \"Feature\", \"id\": \"c\", \"properties\": {\"name\": \"C\"},\n"
    "  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[0,0],[10,0],[10,10],[9,10],[9,1],[1,1],[1,10],[0,10],[0,0]]]}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = load_string (json, -1, &error);
  double lat, lon;

  g_assert_no_error (error);

  /* A U shape: its centre (5, 5) is outside; the anchor must be inside. */
  story_place_get_anchor (story_document_get_place (document, 0), &lat, &lon);
  g_assert_true ((lon > 0 && lon < 1) || (lon > 9 && lon < 10));
  g_assert_true (lat > 0 && lat < 10);
}

static void
test_unknown_members (void)
{
  const char *json =
    "{\"type\": \"FeatureCollection\", \"future\": 1, \"story\": {\"title\": \"T\", \"x\": [], \"paragraphs\": [\"P\"]},\n"
    " \"features\": [{\"type\": \"Feature\", \"id\": \"a\", \"bbox\": [0,0,1,1], \"properties\": {\"name\": \"A\", \"kind\": \"spaceport\"},\n"
    "  \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2, 300]}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = load_string (json, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpint (story_place_get_kind (story_document_get_place (document, 0)), ==, STORY_PLACE_KIND_OTHER);
}

static void
test_markup_is_text (void)
{
  const char *json =
    "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"<b>T</b>\", \"paragraphs\": [\"a <i>b</i> &amp; c\"]}, \"features\": []}";
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = load_string (json, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (story_document_get_title (document), ==, "<b>T</b>");
  g_assert_cmpstr (story_document_get_paragraph (document, 1), ==, "a <i>b</i> &amp; c");
}

#define FEATURE_DOC(feature) \
  "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"P\", \"Q\"]},\n" \
  " \"features\": [" feature "]}"

#define POINT "\"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}"

static void
test_bad_syntax (void)
{
  assert_error ("{\"type\": \"FeatureCollection\",\n  \"story\": }", STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:2:12: error: Invalid JSON: expected a value, found “}”");
  assert_error ("{\"type\": \"FeatureCollection\" \"story\": 1}", STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:1:30: error: Invalid JSON: expected “,” or “}”, found a string");
}

/* A story whose "story" member ends with "x": @value on a line of its
 * own, the third. */
#define WITH_VALUE(value) \
  "{\"type\": \"FeatureCollection\", \"features\": [],\n" \
  " \"story\": {\"title\": \"T\", \"paragraphs\": [\"P\"], \"x\":\n" \
  value "}}\n"

/* What json-glib reads but RFC 8259 does not allow, even where the story
 * ignores it: refused where it stands, in words of our own. */
static void
test_strict_json (void)
{
  const struct {
    const char *json;
    const char *expected;
  } cases[] = {
    { WITH_VALUE ("0x10"), "3:1: error: Invalid JSON: a number must be decimal, not hexadecimal" },
    { WITH_VALUE ("-0X1f"), "3:1: error: Invalid JSON: a number must be decimal, not hexadecimal" },
    { WITH_VALUE ("'text'"), "3:1: error: Invalid JSON: a string must be in double quotes" },
    { WITH_VALUE ("{'a': 1}"), "3:2: error: Invalid JSON: a string must be in double quotes" },
    { WITH_VALUE ("\"a\tb\""),
      "3:3: error: Invalid JSON: the control character U+0009 CHARACTER TABULATION must be written as an escape in a string" },
    { WITH_VALUE ("\"a\nb\""),
      "3:3: error: Invalid JSON: the control character U+000A LINE FEED must be written as an escape in a string" },
    { WITH_VALUE ("\"\x01\""),
      "3:2: error: Invalid JSON: the control character U+0001 must be written as an escape in a string" },
    { WITH_VALUE ("\"\\x41\""), "3:2: error: Invalid JSON: “\\x” is not an escape" },
    { WITH_VALUE ("\"\\a\""), "3:2: error: Invalid JSON: “\\a” is not an escape" },
    { WITH_VALUE ("\"\\u12\""), "3:2: error: Invalid JSON: “\\u” must be followed by four hexadecimal digits" },
    { WITH_VALUE ("NaN"), "3:1: error: Invalid JSON: NaN and Infinity are not numbers in JSON" },
    { WITH_VALUE ("-Infinity"), "3:1: error: Invalid JSON: NaN and Infinity are not numbers in JSON" },
    { WITH_VALUE ("Infinity"), "3:1: error: Invalid JSON: NaN and Infinity are not numbers in JSON" },
    { WITH_VALUE ("01"), "3:1: error: Invalid JSON: a number must not have a leading zero" },
    { WITH_VALUE ("-007"), "3:1: error: Invalid JSON: a number must not have a leading zero" },
    { WITH_VALUE ("+1"), "3:1: error: Invalid JSON: a number must not start with “+”" },
    { WITH_VALUE ("1."), "3:3: error: Invalid JSON: expected a digit, found “}”" },
    { WITH_VALUE (".5"), "3:1: error: Invalid JSON: expected a digit, found “.”" },
    { WITH_VALUE ("1e"), "3:3: error: Invalid JSON: expected a digit, found “}”" },
    { WITH_VALUE ("-"), "3:2: error: Invalid JSON: expected a digit, found “}”" },
    { WITH_VALUE ("[1, 2,]"), "3:6: error: Invalid JSON: a comma before a closing bracket (JSON has no trailing commas)" },
    { WITH_VALUE ("{\"a\": 1, }"), "3:8: error: Invalid JSON: a comma before a closing bracket (JSON has no trailing commas)" },
    { WITH_VALUE ("/* note */ 1"), "3:1: error: Invalid JSON: comments are not allowed" },
    { WITH_VALUE ("1 // note\n"), "3:3: error: Invalid JSON: comments are not allowed" },
    { WITH_VALUE ("True"), "3:1: error: Invalid JSON: expected a value, found “True”" },
    { WITH_VALUE ("nul"), "3:1: error: Invalid JSON: expected a value, found “nul”" },
    { WITH_VALUE ("[1 2]"), "3:4: error: Invalid JSON: expected “,” or “]”, found a number" },
    { WITH_VALUE ("{\"a\" 1}"), "3:6: error: Invalid JSON: expected “:” after the member name, found a number" },
    { WITH_VALUE ("{a: 1}"), "3:2: error: Invalid JSON: expected a member name in double quotes, found “a”" },
    { WITH_VALUE ("123456789012345678901234567890"), "3:1: error: Invalid JSON: the number is too large" },
    { WITH_VALUE ("-9223372036854775809"), "3:1: error: Invalid JSON: the number is too large" },
    { WITH_VALUE ("1e999"), "3:1: error: Invalid JSON: the number is too large" },
    { "{\"type\": \"FeatureCollection\", \"x\": \"open", "1:36: error: Invalid JSON: the string has no closing double quote" },
    { "{\"type\": \"FeatureCollection\", \"features\": [", "1:44: error: Invalid JSON: expected a value, found the end of the file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expected = g_strconcat ("story.json:", cases[i].expected, NULL);

      assert_error (cases[i].json, STORY_DOCUMENT_ERROR_SYNTAX, expected);
    }
}

/* What RFC 8259 allows, however unusual, still loads. */
static void
test_strict_json_valid (void)
{
  const char *values[] = {
    "-0", "0", "1E+2", "-1.5e-3", "0.5", "9223372036854775807", "-9223372036854775807", "1.5e308",
    "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"", "\"\\ud83d\\ude00\"", "\"\\u00e9\\u007F\"", "\"\x7f\"",
    "\"\"", "[]", "{}", "[[], {}]", " \r\n\t[ true , false , null ] ", "{\"a\": 1, \"A\": 2, \"a \": 3}", "{\"x\": {\"x\": {\"x\": 1}}, \"y\": {\"x\": 2}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *json = g_strdup_printf (WITH_VALUE ("%s"), values[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(StoryDocument) document = load_string (json, -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (document);
    }
}

/* A file holds one JSON value: json-glib would read the first alone. */
static void
test_second_document (void)
{
  assert_error (VALID_STORY VALID_STORY, STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:7:1: error: Invalid JSON: expected the end of the file after the first value, found “{”");
  assert_error ("[1] [2]", STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:1:5: error: Invalid JSON: expected the end of the file after the first value, found “[”");
  assert_error (VALID_STORY "x", STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:7:1: error: Invalid JSON: expected the end of the file after the first value, found “x”");
}

/* A character where JSON has punctuation or a value is named, not shown
 * as a byte: it looks like a space, or like nothing, or like a quote. */
static void
test_unexpected_character (void)
{
  const struct {
    const char *value;
    const char *expected;
  } cases[] = {
    { "\u00a01", "found U+00A0 NO-BREAK SPACE" },
    { "\u200b1", "found U+200B ZERO WIDTH SPACE" },
    { "\ufeff1", "found U+FEFF BYTE ORDER MARK" },
    { "\u201cT\u201d", "found U+201C LEFT DOUBLE QUOTATION MARK" },
    { "\u2018T\u2019", "found U+2018 LEFT SINGLE QUOTATION MARK" },
    { "\u20131", "found U+2013 EN DASH" },
    { "\u3000", "found U+3000 IDEOGRAPHIC SPACE" },
    { "\u2028", "found U+2028 LINE SEPARATOR" },
    { "\u00e9", "found U+00E9" },
    { "\U0001F600", "found U+1F600" },
    { "\x0c", "found U+000C FORM FEED" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (WITH_VALUE ("%s"), cases[i].value);
      g_autofree char *expected = g_strconcat ("story.json:3:1: error: Invalid JSON: expected a value, ",
                                               cases[i].expected, NULL);

      assert_error (json, STORY_DOCUMENT_ERROR_SYNTAX, expected);
    }

  /* Between values, as after them. */
  assert_error ("[1\uff0c 2]", STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:1:3: error: Invalid JSON: expected “,” or “]”, found U+FF0C FULLWIDTH COMMA");
  assert_error ("{\"a\"\u00a0: 1}", STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:1:5: error: Invalid JSON: expected “:” after the member name, found U+00A0 NO-BREAK SPACE");
}

/* \u0000 would cut a name or a title short where json-glib reads it. */
static void
test_nul_escape (void)
{
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\\u0000B\"}}"),
                STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:2:125: error: The text holds a NUL character (U+0000)");
  assert_error ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"\\u0000\", \"paragraphs\": [\"P\"]}, \"features\": []}",
                STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:1:51: error: The text holds a NUL character (U+0000)");
}

/* Half a UTF-16 pair before the closing quote or another \u escape:
 * json-glib reads the two together and loses its way in the file. */
static void
test_lone_surrogate_before_quote (void)
{
  const char *expected = "error: The text holds an escape that is not a character (a lone UTF-16 surrogate)";
  const struct {
    const char *json;
    const char *position;
  } cases[] = {
    { "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\\ud800\", \"paragraphs\": [\"P\"]}, \"features\": []}",
      "story.json:1:52: " },
    { "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\\udfff\", \"paragraphs\": [\"P\"]}, \"features\": []}",
      "story.json:1:52: " },
    { "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"\\ud83d\\u0041\"]}, \"features\": []}",
      "story.json:1:71: " },
    { "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"P\"]}, \"features\": [],\n"
      " \"\\udbff\": 1}",
      "story.json:2:3: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = g_strconcat (cases[i].position, expected, NULL);

      assert_error (cases[i].json, STORY_DOCUMENT_ERROR_SYNTAX, message);
    }
}

/* A member given twice is read one way by one tool and another way by the
 * next (and by json-glib in time that grows with the square of the
 * members): refused, however it is written. */
static void
test_duplicate_member (void)
{
  g_autoptr(GString) many = g_string_new ("{\"type\": \"FeatureCollection\", \"x\": {");
  g_autofree char *expected = NULL;

  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\", \"name\": \"B\"}}"),
                STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:2:128: error: The member “name” appears twice in one object");
  assert_error (WITH_VALUE ("{\"name:hy\": \"A\", \"name:\\u0068y\": \"B\"}"), STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:3:18: error: The member “name:\\u0068y” appears twice in one object");
  assert_error (WITH_VALUE ("{\"\\ud800a\": 1, \"\\ud800b\": 2}"), STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:3:16: error: The member “\\ud800b” appears twice in one object");
  /* The same name in other objects, open or not, is no duplicate. */
  assert_error (WITH_VALUE ("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}, \"b\": 3}"), STORY_DOCUMENT_ERROR_SYNTAX,
                "story.json:3:32: error: The member “b” appears twice in one object");

  /* Many members, the last given again and again. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (many, "\"k%u\": 1, ", i);
  for (guint i = 0; i < 100000; i++)
    g_string_append (many, "\"k99999\": 1, ");
  g_string_append (many, "\"end\": 1}}");
  expected = g_strdup_printf ("story.json:1:%u: error: The member “k99999” appears twice in one object",
                              (guint)(strlen ("{\"type\": \"FeatureCollection\", \"x\": {") +
                                      100000 * strlen ("\"k\": 1, ") + 10 * 1 + 90 * 2 + 900 * 3 +
                                      9000 * 4 + 90000 * 5 + 1));
  assert_error (many->str, STORY_DOCUMENT_ERROR_SYNTAX, expected);
}

/* A name, a title, a paragraph or an alias that would show as nothing:
 * spaces, zero-width and format characters, combining marks alone. */
static void
test_invisible_text (void)
{
  const struct {
    const char *json;
    const char *expected;
  } cases[] = {
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"\\u200b\"}}"),
      "story.json: /features/0/properties/name: error: Must not be empty" },
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"\u200c\u200d\u2060\ufeff\"}}"),
      "story.json: /features/0/properties/name: error: Must not be empty" },
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"\u0301\u0308\"}}"),
      "story.json: /features/0/properties/name: error: Must not be empty" },
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"\u20dd \u3164\u2800\"}}"),
      "story.json: /features/0/properties/name: error: Must not be empty" },
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\", \"name:hy\": \"\u00a0\u034f\"}}"),
      "story.json: /features/0/properties/name:hy: error: Must not be empty" },
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"\u200e\", " POINT ", \"properties\": {\"name\": \"A\"}}"),
      "story.json: /features/0/id: error: Must not be empty" },
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\", \"aliases\": [\"B\", \"\u200b\u200b\"]}}"),
      "story.json: /features/0/properties/aliases/1: error: Expected a non-empty string" },
    { "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"\u2003\u200b\\u2029\", \"paragraphs\": [\"P\"]}, \"features\": []}",
      "story.json: /story/title: error: Must not be empty" },
    { "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"P\", \"\\u0007\\u200b\"]}, \"features\": []}",
      "story.json: /story/paragraphs/1: error: A paragraph must be a non-empty string" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_error (cases[i].json, STORY_DOCUMENT_ERROR_INVALID, cases[i].expected);
}

/* A name with a zero-width character or a combining mark among others is
 * still a name. */
static void
test_invisible_among_visible (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document =
    load_string (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"e\u0301\u200d\", \"name:fa\": \"\u0645\u200c\u06cc\"}}"),
                 -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (story_place_get_name (story_document_get_place (document, 0)), ==, "\u00e9\u200d");
}

static void
test_empty (void)
{
  assert_error ("", STORY_DOCUMENT_ERROR_EMPTY, "story.json: /: error: The file is empty");
  assert_error ("  \n\t\n", STORY_DOCUMENT_ERROR_EMPTY, "story.json: /: error: The file is empty");
}

static void
test_not_utf8 (void)
{
  assert_error ("{\"type\": \"FeatureCollection\",\n \"story\": \"caf\xe9\"}", STORY_DOCUMENT_ERROR_NOT_UTF8,
                "story.json:2:15: error: The file is not UTF-8 text");
}

static void
test_too_deep (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = NULL;

  /* json-glib itself would overflow the stack on this. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');

  document = load_string (deep->str, deep->len, &error);
  g_assert_null (document);
  g_assert_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==, "story.json:1:65: error: Nested deeper than 64 levels");
}

static void
test_not_feature_collection (void)
{
  assert_error ("[1, 2]", STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /: error: Not a GeoJSON FeatureCollection");
  assert_error ("{\"type\": \"Feature\"}", STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /type: error: Not a GeoJSON FeatureCollection");
  assert_error ("\"text\"", STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /: error: Not a GeoJSON FeatureCollection");
}

static void
test_story_member (void)
{
  assert_error ("{\"type\": \"FeatureCollection\", \"features\": []}", STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /: error: The required member “story” is missing");
  assert_error ("{\"type\": \"FeatureCollection\", \"story\": {\"paragraphs\": [\"P\"]}, \"features\": []}",
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /story: error: The required member “title” is missing");
  assert_error ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"  \", \"paragraphs\": [\"P\"]}, \"features\": []}",
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /story/title: error: Must not be empty");
  assert_error ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": 5, \"paragraphs\": [\"P\"]}, \"features\": []}",
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /story/title: error: Expected a string");
  assert_error ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\"}, \"features\": []}",
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /story: error: The required member “paragraphs” is missing");
  assert_error ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": []}, \"features\": []}",
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /story/paragraphs: error: A story needs at least one paragraph");
  assert_error ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"P\", \"\"]}, \"features\": []}",
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /story/paragraphs/1: error: A paragraph must be a non-empty string");
  assert_error ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"date\": \"13/02/2024\", \"paragraphs\": [\"P\"]}, \"features\": []}",
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /story/date: error: “13/02/2024” is not an ISO 8601 date");
  assert_error ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"view\": [50, 38, 43, 41], \"paragraphs\": [\"P\"]}, \"features\": []}",
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /story/view: error: Expected [west, south, east, north] within −180 to 180 and −90 to 90");
}

static void
test_features (void)
{
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", " POINT ", \"properties\": {\"name\": \"A\"}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0: error: The required member “id” is missing");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0/properties: error: The required member “name” is missing");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\"}},"
                             "{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"B\"}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/1/id: error: The id “a” is used by another place");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", \"properties\": {\"name\": \"A\"},"
                             " \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[1, 2], [3, 4]]}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0/geometry/type: error: Unsupported geometry “LineString” (use Point, Polygon or MultiPolygon)");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", \"properties\": {\"name\": \"A\"},"
                             " \"geometry\": {\"type\": \"Point\", \"coordinates\": [200, 2]}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0/geometry/coordinates: error: Longitude 200 is out of range (−180 to 180)");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", \"properties\": {\"name\": \"A\"},"
                             " \"geometry\": {\"type\": \"Point\", \"coordinates\": [20, -91.5]}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0/geometry/coordinates: error: Latitude -91.5 is out of range (−90 to 90)");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", \"properties\": {\"name\": \"A\"},"
                             " \"geometry\": {\"type\": \"Point\", \"coordinates\": [\"20\", 40]}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0/geometry/coordinates: error: Coordinates must be numbers");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", \"properties\": {\"name\": \"A\"},"
                             " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 1], [0, 0]]]}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0/geometry/coordinates/0: error: A polygon ring needs at least four positions");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\", \"paragraphs\": [1, 3]}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0/properties/paragraphs/1: error: Paragraph 3 does not exist (the story has 2)");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\", \"paragraphs\": [0]}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0/properties/paragraphs/0: error: Paragraph 0 does not exist (the story has 2)");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", \"properties\": {\"name\": \"A\"}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0: error: The required member “geometry” is missing");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\", \"aliases\": [\"\"]}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0/properties/aliases/0: error: Expected a non-empty string");
  assert_error (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\", \"anchor\": [1]}}"),
                STORY_DOCUMENT_ERROR_INVALID,
                "story.json: /features/0/properties/anchor: error: A position needs a longitude and a latitude");
}

static void
test_explicit_paragraphs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document =
    load_string (FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\", \"paragraphs\": [2]}}"),
                 -1, &error);

  g_assert_no_error (error);
  g_assert_true (story_place_is_mentioned_in (story_document_get_place (document, 0), 2));
}

static void
test_limits (void)
{
  g_autoptr(GString) big = g_string_new ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"");
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = NULL;

  for (guint i = 0; i < STORY_DOCUMENT_MAX_STRING + 1; i++)
    g_string_append_c (big, 'a');
  g_string_append (big, "\", \"paragraphs\": [\"P\"]}, \"features\": []}");

  document = load_string (big->str, big->len, &error);
  g_assert_null (document);
  g_assert_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_LIMIT);
  g_assert_cmpstr (error->message, ==,
                   "story.json: /story/title: error: The text is longer than the limit of 262144 bytes");
}

/* A story whose members are @story_extra and whose features are @features. */
static char *
story_with (const char *story_extra,
            const char *features)
{
  return g_strdup_printf ("{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", %s},"
                          " \"features\": [%s]}", story_extra, features);
}

static void
test_depth_limit (void)
{
  g_autoptr(GString) json = g_string_new ("{\"type\": \"FeatureCollection\", \"features\": [],"
                                          " \"story\": {\"title\": \"T\", \"paragraphs\": [\"P\"], \"x\": ");
  g_autoptr(GString) deeper = NULL;
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  /* The root object and "story" are two levels: 62 arrays make 64. */
  for (guint i = 0; i < STORY_DOCUMENT_MAX_DEPTH - 2; i++)
    g_string_append_c (json, '[');
  deeper = g_string_new (json->str);
  for (guint i = 0; i < STORY_DOCUMENT_MAX_DEPTH - 2; i++)
    g_string_append_c (json, ']');
  g_string_append (json, "}}");

  document = load_string (json->str, json->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);

  g_string_append_c (deeper, '[');
  for (guint i = 0; i < STORY_DOCUMENT_MAX_DEPTH - 1; i++)
    g_string_append_c (deeper, ']');
  g_string_append (deeper, "}}");
  assert_error (deeper->str, STORY_DOCUMENT_ERROR_TOO_DEEP,
                "story.json:1:159: error: Nested deeper than 64 levels");
}

static void
test_paragraph_limit (void)
{
  g_autoptr(GString) paragraphs = g_string_new ("\"P\"");
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *members = NULL;
  g_autofree char *json = NULL;

  for (guint i = 1; i < STORY_DOCUMENT_MAX_PARAGRAPHS; i++)
    g_string_append (paragraphs, ", \"P\"");

  members = g_strdup_printf ("\"paragraphs\": [%s]", paragraphs->str);
  json = story_with (members, "");
  document = load_string (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (story_document_get_n_paragraphs (document), ==, STORY_DOCUMENT_MAX_PARAGRAPHS);

  g_free (members);
  g_free (json);
  members = g_strdup_printf ("\"paragraphs\": [%s, \"P\"]", paragraphs->str);
  json = story_with (members, "");
  assert_error (json, STORY_DOCUMENT_ERROR_LIMIT,
                "story.json: /story/paragraphs: error: The story has more than 20000 paragraphs");
}

static GString *
point_features (guint n)
{
  GString *features = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (features,
                            "%s{\"type\": \"Feature\", \"id\": \"p%u\", \"properties\": {\"name\": \"N%u\"},"
                            " \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}",
                            i ? "," : "", i, i);

  return features;
}

static void
test_place_limit (void)
{
  g_autoptr(GString) features = point_features (STORY_DOCUMENT_MAX_PLACES);
  g_autoptr(GString) more = NULL;
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = story_with ("\"paragraphs\": [\"P\"]", features->str);
  g_autofree char *too_many = NULL;

  document = load_string (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (story_document_get_n_places (document), ==, STORY_DOCUMENT_MAX_PLACES);

  more = point_features (STORY_DOCUMENT_MAX_PLACES + 1);
  too_many = story_with ("\"paragraphs\": [\"P\"]", more->str);
  assert_error (too_many, STORY_DOCUMENT_ERROR_LIMIT,
                "story.json: /features: error: The story has more than 20000 places");
}

/* Two places whose outlines have @n_first and @n_second vertices. */
static char *
polygon_story (guint n_first,
               guint n_second)
{
  g_autoptr(GString) features = g_string_new (NULL);
  guint counts[2] = { n_first, n_second };

  for (guint f = 0; f < 2; f++)
    {
      g_string_append_printf (features,
                              "%s{\"type\": \"Feature\", \"id\": \"a%u\", \"properties\": {\"name\": \"A%u\"},"
                              " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[",
                              f ? "," : "", f, f);
      /* A closed ring walking around a square. */
      for (guint i = 0; i < counts[f]; i++)
        {
          static const char *corners[] = { "[0,0]", "[1,0]", "[1,1]", "[0,1]" };

          g_string_append (features, i ? "," : "");
          g_string_append (features, i + 1 == counts[f] ? "[0,0]" : corners[i % 4]);
        }
      g_string_append (features, "]]}}");
    }

  return story_with ("\"paragraphs\": [\"P\"]", features->str);
}

static void
test_vertex_limit (void)
{
  g_autofree char *at_limit = polygon_story (STORY_DOCUMENT_MAX_VERTICES / 2, STORY_DOCUMENT_MAX_VERTICES / 2);
  g_autofree char *over = polygon_story (STORY_DOCUMENT_MAX_VERTICES / 2, STORY_DOCUMENT_MAX_VERTICES / 2 + 1);
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = load_string (at_limit, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (story_document_get_n_places (document), ==, 2);

  /* The limit is on the whole story, so the second place crosses it. */
  assert_error (over, STORY_DOCUMENT_ERROR_LIMIT,
                "story.json: /features/1/geometry/coordinates/0: error: The story has more than 1000000 polygon vertices");
}

static void
test_string_limit (void)
{
  g_autofree char *longest = g_strnfill (STORY_DOCUMENT_MAX_STRING, 'a');
  g_autofree char *too_long = g_strnfill (STORY_DOCUMENT_MAX_STRING + 1, 'a');
  g_autofree char *paragraph_ok = g_strdup_printf ("\"paragraphs\": [\"%s\"]", longest);
  g_autofree char *paragraph_over = g_strdup_printf ("\"paragraphs\": [\"P\", \"%s\"]", too_long);
  g_autofree char *alias_over = g_strdup_printf ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ","
                                                 " \"properties\": {\"name\": \"A\", \"aliases\": [\"%s\"]}}",
                                                 too_long);
  g_autofree char *json = NULL;
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  json = story_with (paragraph_ok, "");
  document = load_string (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (story_document_get_paragraph (document, 1)), ==, STORY_DOCUMENT_MAX_STRING);

  g_free (json);
  json = story_with (paragraph_over, "");
  assert_error (json, STORY_DOCUMENT_ERROR_LIMIT,
                "story.json: /story/paragraphs/1: error: The text is longer than the limit of 262144 bytes");

  g_free (json);
  json = story_with ("\"paragraphs\": [\"P\"]", alias_over);
  assert_error (json, STORY_DOCUMENT_ERROR_LIMIT,
                "story.json: /features/0/properties/aliases/0: error: The text is longer than the limit of 262144 bytes");
}

static void
test_file_size_limit (void)
{
  const char *story = "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"P\"]}, \"features\": []}";
  g_autoptr(GString) json = g_string_new (story);
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  /* Trailing blanks are valid JSON: exactly at the limit still loads. */
  while (json->len < STORY_DOCUMENT_MAX_FILE_SIZE)
    g_string_append_c (json, ' ');

  document = load_string (json->str, json->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);
  g_clear_object (&document);

  g_string_append_c (json, ' ');
  document = load_string (json->str, json->len, &error);
  g_assert_null (document);
  g_assert_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "story.json: /: error: The file is larger than the limit of 16 MB");
}

/* A place with @n_names "name:<lang>" members and @n_aliases aliases. */
static char *
place_with_names (guint n_names,
                  guint n_aliases)
{
  g_autoptr(GString) feature = g_string_new ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\"");

  for (guint i = 0; i < n_names; i++)
    g_string_append_printf (feature, ", \"name:x%u\": \"A%u\"", i, i);
  g_string_append (feature, ", \"aliases\": [");
  for (guint i = 0; i < n_aliases; i++)
    g_string_append_printf (feature, "%s\"B%u\"", i ? ", " : "", i);
  g_string_append (feature, "]}}");

  return story_with ("\"paragraphs\": [\"P\"]", feature->str);
}

static void
test_names_limit (void)
{
  g_autofree char *at_limit = place_with_names (STORY_DOCUMENT_MAX_NAMES, 0);
  g_autofree char *over = place_with_names (STORY_DOCUMENT_MAX_NAMES + 1, 0);
  g_autofree char *far_over = place_with_names (200000, 0);
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  StoryPlace *place;

  document = load_string (at_limit, -1, &error);
  g_assert_no_error (error);
  place = story_document_get_place (document, 0);
  g_assert_cmpuint (g_hash_table_size (story_place_get_names (place)), ==, STORY_DOCUMENT_MAX_NAMES);
  g_assert_cmpstr (story_place_get_localized_name (place, "x255"), ==, "A255");
  g_assert_cmpstr (story_place_get_localized_name (place, "x0_AM"), ==, "A0");

  assert_error (over, STORY_DOCUMENT_ERROR_LIMIT,
                "story.json: /features/0/properties: error: The place has more than 256 names in other languages");
  assert_error (far_over, STORY_DOCUMENT_ERROR_LIMIT,
                "story.json: /features/0/properties: error: The place has more than 256 names in other languages");
}

static void
test_aliases_limit (void)
{
  g_autofree char *at_limit = place_with_names (0, STORY_DOCUMENT_MAX_ALIASES);
  g_autofree char *over = place_with_names (0, STORY_DOCUMENT_MAX_ALIASES + 1);
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = load_string (at_limit, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **)story_place_get_aliases (story_document_get_place (document, 0))), ==,
                    STORY_DOCUMENT_MAX_ALIASES);

  assert_error (over, STORY_DOCUMENT_ERROR_LIMIT,
                "story.json: /features/0/properties/aliases: error: The place has more than 256 aliases");
}

/* A place linked to every paragraph, each many times over and out of
 * order, takes time in proportion to the list. */
static void
test_many_linked_paragraphs (void)
{
  g_autoptr(GString) paragraphs = g_string_new ("\"P\"");
  g_autoptr(GString) links = g_string_new ("1");
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *members = NULL;
  g_autofree char *feature = NULL;
  g_autofree char *json = NULL;
  const guint *linked;
  guint n;

  for (guint i = 1; i < STORY_DOCUMENT_MAX_PARAGRAPHS; i++)
    g_string_append (paragraphs, ", \"P\"");
  for (guint round = 0; round < 50; round++)
    for (int p = STORY_DOCUMENT_MAX_PARAGRAPHS; p > 0; p -= 1 + round % 3)
      g_string_append_printf (links, ",%d", p);

  members = g_strdup_printf ("\"paragraphs\": [%s]", paragraphs->str);
  feature = g_strdup_printf ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ","
                             " \"properties\": {\"name\": \"A\", \"paragraphs\": [%s]}}", links->str);
  json = story_with (members, feature);
  document = load_string (json, -1, &error);
  g_assert_no_error (error);

  linked = story_place_get_paragraphs (story_document_get_place (document, 0), &n);
  g_assert_cmpuint (n, ==, STORY_DOCUMENT_MAX_PARAGRAPHS);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (linked[i], ==, i + 1);
  g_assert_true (story_place_is_mentioned_in (story_document_get_place (document, 0), 777));
}

/* A \u escape of half a UTF-16 pair passes for valid UTF-8 in the file but
 * decodes to bytes that are not: such text is refused where it stands. */
static void
test_lone_surrogate (void)
{
  const char *expected = "error: The text holds an escape that is not a character (a lone UTF-16 surrogate)";
  struct {
    const char *json;
    const char *path;
  } cases[] = {
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"\\\\A \\ud800A\"}}"),
      "story.json: /features/0/properties/name: " },
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\", \"aliases\": [\"\\ud800x\"]}}"),
      "story.json: /features/0/properties/aliases/0: " },
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"a\", " POINT ", \"properties\": {\"name\": \"A\", \"name:\\ud800x\": \"B\"}}"),
      "story.json: /features/0/properties: " },
    { FEATURE_DOC ("{\"type\": \"Feature\", \"id\": \"\\ud800x\", " POINT ", \"properties\": {\"name\": \"A\"}}"),
      "story.json: /features/0/id: " },
    { "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\\ud83dx\", \"paragraphs\": [\"P\"]}, \"features\": []}",
      "story.json: /story/title: " },
    { "{\"type\": \"FeatureCollection\", \"story\": {\"title\": \"T\", \"paragraphs\": [\"P\", \"\\ud800x\"]}, \"features\": []}",
      "story.json: /story/paragraphs/1: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = g_strconcat (cases[i].path, expected, NULL);

      assert_error (cases[i].json, STORY_DOCUMENT_ERROR_INVALID, message);
    }
}

static void
test_lone_surrogate_in_syntax_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = load_string ("{\"type\": \"FeatureCollection\" \"\\ud800x\"}", -1, &error);

  /* json-glib quotes the decoded token; the message must stay valid text. */
  g_assert_null (document);
  g_assert_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "story.json:1:"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_too_large_file (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "story-map-large.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = NULL;
  FILE *f = fopen (path, "w");

  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, STORY_DOCUMENT_MAX_FILE_SIZE + 1, SEEK_SET), ==, 0);
  fputc (' ', f);
  fclose (f);

  document = story_document_load (file, "large.json", NULL, &error);
  g_assert_null (document);
  g_assert_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "large.json: error: The file is larger than the limit of 16 MB");
  g_unlink (path);
}

static void
test_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/story.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = story_document_load (file, "missing.json", NULL, &error);

  g_assert_null (document);
  g_assert_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "missing.json: error: "));
}

static void
test_unreadable_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("story-map-XXXXXX", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = NULL;

  /* A folder stands for anything that cannot be read as a file (root
   * can read any file whatever its mode). */
  document = story_document_load (file, "folder", NULL, &error);
  g_assert_null (document);
  g_assert_error (error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "folder: error: This is a folder, not a story file");
  g_rmdir (dir);
}

static void
load_async_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_load_async (void)
{
  g_autofree char *path = bundled_story_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) document = NULL;

  story_document_load_async (file, NULL, load_async_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  document = story_document_load_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (story_document_get_file (document), file));
  g_assert_finalize_object (g_steal_pointer (&document));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/document/bundled", test_bundled);
  g_test_add_func ("/story/document/minimal", test_minimal);
  g_test_add_func ("/story/document/area-anchor", test_area_anchor);
  g_test_add_func ("/story/document/unknown-members", test_unknown_members);
  g_test_add_func ("/story/document/markup-is-text", test_markup_is_text);
  g_test_add_func ("/story/document/explicit-paragraphs", test_explicit_paragraphs);
  g_test_add_func ("/story/document/load-async", test_load_async);
  g_test_add_func ("/story/document/bad/syntax", test_bad_syntax);
  g_test_add_func ("/story/document/bad/empty", test_empty);
  g_test_add_func ("/story/document/bad/not-utf8", test_not_utf8);
  g_test_add_func ("/story/document/bad/too-deep", test_too_deep);
  g_test_add_func ("/story/document/bad/not-feature-collection", test_not_feature_collection);
  g_test_add_func ("/story/document/bad/story", test_story_member);
  g_test_add_func ("/story/document/bad/features", test_features);
  g_test_add_func ("/story/document/bad/limits", test_limits);
  g_test_add_func ("/story/document/limit/depth", test_depth_limit);
  g_test_add_func ("/story/document/limit/paragraphs", test_paragraph_limit);
  g_test_add_func ("/story/document/limit/places", test_place_limit);
  g_test_add_func ("/story/document/limit/vertices", test_vertex_limit);
  g_test_add_func ("/story/document/limit/string", test_string_limit);
  g_test_add_func ("/story/document/limit/file-size", test_file_size_limit);
  g_test_add_func ("/story/document/bad/lone-surrogate", test_lone_surrogate);
  g_test_add_func ("/story/document/bad/lone-surrogate-syntax", test_lone_surrogate_in_syntax_error);
  g_test_add_func ("/story/document/bad/lone-surrogate-quote", test_lone_surrogate_before_quote);
  g_test_add_func ("/story/document/bad/strict-json", test_strict_json);
  g_test_add_func ("/story/document/bad/second-document", test_second_document);
  g_test_add_func ("/story/document/bad/unexpected-character", test_unexpected_character);
  g_test_add_func ("/story/document/bad/nul-escape", test_nul_escape);
  g_test_add_func ("/story/document/bad/duplicate-member", test_duplicate_member);
  g_test_add_func ("/story/document/bad/invisible-text", test_invisible_text);
  g_test_add_func ("/story/document/strict-json-valid", test_strict_json_valid);
  g_test_add_func ("/story/document/invisible-among-visible", test_invisible_among_visible);
  g_test_add_func ("/story/document/many-linked-paragraphs", test_many_linked_paragraphs);
  g_test_add_func ("/story/document/limit/names", test_names_limit);
  g_test_add_func ("/story/document/limit/aliases", test_aliases_limit);
  g_test_add_func ("/story/document/bad/too-large", test_too_large_file);
  g_test_add_func ("/story/document/bad/missing", test_missing_file);
  g_test_add_func ("/story/document/bad/unreadable", test_unreadable_file);

  return g_test_run ();
}
