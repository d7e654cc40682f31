/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "story-document-private.h"
#include "story-json-split.h"
#include "story-test-rings.h"

/*
 * A large story is read in parts on several threads: the "features" array
 * is cut into runs of whole features without parsing it. Whatever the
 * parts, the document must be the one reading the file whole gives, and
 * so must every error.
 */

/* Splitting --------------------------------------------------------------- */

/* Splits @json and checks the parts: whole elements, in order, each run
 * parsing on its own to its elements, together all of them. */
static GArray *
split (const char *json,
       guint       n_parts,
       guint       n_elements)
{
  gsize start, end;
  GArray *parts = NULL;
  guint next = 0;

  g_assert_true (story_json_split_member_array (json, strlen (json), "features", n_parts, &start, &end, &parts));
  g_assert_cmpint (json[start], ==, '[');
  g_assert_cmpint (json[end - 1], ==, ']');
  g_assert_cmpuint (parts->len, <=, n_parts);

  for (guint i = 0; i < parts->len; i++)
    {
      StoryJsonPart *part = &g_array_index (parts, StoryJsonPart, i);
      g_autofree char *text = g_strdup_printf ("[%.*s]", (int)(part->end - part->start), json + part->start);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (part->first_index, ==, next);
      g_assert_cmpuint (part->start, >, start);
      g_assert_cmpuint (part->end, <, end);
      json_parser_load_from_data (parser, text, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==,
                        part->n_elements);
      next += part->n_elements;
    }

  g_assert_cmpuint (next, ==, n_elements);
  return parts;
}

static void
test_split (void)
{
  g_autoptr(GArray) parts = NULL;

  /* Strings that hold brackets, quotes and escapes; nested values. */
  parts = split ("{\"a\": \"[{\", \"features\" : [ {\"x\": \"]\\\"}\"}, [1, [2]], \"s\\\\\", 3.5e2 , true ],\n"
                 " \"b\": {\"features\": [1]}}", 2, 5);
  g_assert_cmpuint (parts->len, ==, 2);
  g_clear_pointer (&parts, g_array_unref);

  /* First member, last member, no spaces. */
  parts = split ("{\"features\":[1,2,3],\"type\":\"FeatureCollection\"}", 3, 3);
  g_assert_cmpuint (parts->len, >=, 2);
  g_clear_pointer (&parts, g_array_unref);
  parts = split ("\n{\"type\":\"x\",\"features\":[{}]}\n", 4, 1);
  g_assert_cmpuint (parts->len, ==, 1);
  g_clear_pointer (&parts, g_array_unref);

  /* Runs of about equal length, not of equal counts. */
  parts = split ("{\"features\": [\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", 1, 2, 3, 4, 5, 6, 7]}", 2, 8);
  g_assert_cmpuint (parts->len, ==, 2);
  g_assert_cmpuint (g_array_index (parts, StoryJsonPart, 0).n_elements, ==, 1);
}

static void
test_split_refused (void)
{
  const char *texts[] = {
    "",
    "[1, 2]",
    "{\"type\": \"FeatureCollection\"}",
    "{\"features\": {}}",
    "{\"features\": []}",
    "{\"features\": [1], \"features\": [2]}",
    "{\"feat\\u0075res\": [1]}",
    "{\"features\": [1,]}",
    "{\"features\": [1 2]}",
    "{\"features\": [,1]}",
    "{\"features\": [\"open]}",
    "{\"features\": [[1]",
    "{\"features\" [1]}",
    "{\"a\": 1 \"features\": [1]}",
    /* Brackets that do not match: read whole, this is not JSON. */
    "{\"features\": [{\"a\": 1}}}",
    "{\"features\": [{\"a\": [1}]]}",
    "{\"a\": [1}, \"features\": [1]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      GArray *parts = NULL;
      gsize start, end;

      if (story_json_split_member_array (texts[i], strlen (texts[i]), "features", 2, &start, &end, &parts))
        g_error ("“%s” was split", texts[i]);
      g_assert_null (parts);
    }
}

/* Reading ----------------------------------------------------------------- */

#define N_POINTS     300
#define N_AREAS      30
#define N_PARAGRAPHS 200

/* A fault put into one feature of large_story(): every @find in its text
 * becomes @replace, then every @find2 @replace2; no @find means the whole
 * feature becomes @replace. */
typedef struct
{
  int         index;
  const char *find, *replace;
  const char *find2, *replace2;
  const char *expected;   /* how the error starts, if it is ours */
} Fault;

/* A valid story of about 360 KB: points with aliases, names in other
 * languages and linked paragraphs, areas with holes and several polygons,
 * with @fault in it when given. */
static GString *
large_story (const Fault *fault)
{
  GString *json = g_string_new ("{\"type\": \"FeatureCollection\",\n"
                                " \"story\": {\"title\": \"A long story\", \"dateline\": \"YEREVAN\",\n"
                                "   \"date\": \"2024-02-13\", \"language\": \"en\", \"paragraphs\": [\n");

  for (guint p = 0; p < N_PARAGRAPHS; p++)
    g_string_append_printf (json, "%s  \"Paragraph %u names Place %u and Area %u, “quoted” \\\\ [brackets].\"",
                            p > 0 ? ",\n" : "", p + 1, p % N_POINTS, p % N_AREAS);
  g_string_append (json, "]},\n \"features\": [\n");

  for (guint f = 0; f < N_POINTS + N_AREAS; f++)
    {
      g_autoptr(GString) feature = g_string_new (NULL);

      if (f < N_POINTS)
        g_string_append_printf (feature,
                                "  {\"type\": \"Feature\", \"id\": \"p%u\",\n"
                                "   \"geometry\": {\"type\": \"Point\", \"coordinates\": [%.4f, %.4f]},\n"
                                "   \"properties\": {\"name\": \"Place %u\", \"name:hy\": \"Տեղ %u\", \"kind\": \"city\",\n"
                                "     \"aliases\": [\"Spot %u\"], \"paragraphs\": [%u], \"description\": \"{not [json]}\"}}",
                                f, 40 + f * 0.01, 39 + f * 0.005, f, f, f, 1 + f % N_PARAGRAPHS);
      else
        {
          guint a = f - N_POINTS;

          g_string_append_printf (feature,
                                  "  {\"type\": \"Feature\", \"id\": \"a%u\",\n"
                                  "   \"geometry\": {\"type\": \"%s\", \"coordinates\": %s[[",
                                  a, a % 5 == 0 ? "MultiPolygon" : "Polygon", a % 5 == 0 ? "[" : "");
          for (guint v = 0; v <= 400; v++)
            {
              double angle = 2 * G_PI * (v % 400) / 400;

              g_string_append_printf (feature, "%s[%.5f, %.5f]", v > 0 ? ", " : "",
                                      45 + a * 0.1 + 0.04 * cos (angle), 40 + 0.03 * sin (angle));
            }
          g_string_append (feature, "], [[45.0, 40.0], [45.001, 40.0], [45.0, 40.001], [45.0, 40.0]]]");
          if (a % 5 == 0)
            g_string_append (feature, ", [[[46.0, 41.0], [46.01, 41.0], [46.0, 41.01], [46.0, 41.0]]]]");
          g_string_append_printf (feature, "},\n   \"properties\": {\"name\": \"Area %u\", \"kind\": \"region\"}}", a);
        }

      if (fault != NULL && (int)f == fault->index)
        {
          if (fault->find == NULL)
            g_string_assign (feature, fault->replace);
          else
            g_string_replace (feature, fault->find, fault->replace, 0);
          if (fault->find2 != NULL)
            g_string_replace (feature, fault->find2, fault->replace2, 0);
        }

      g_string_append_printf (json, "%s%s", f > 0 ? ",\n" : "", feature->str);
    }

  g_string_append (json, "\n]}\n");
  return json;
}

/* Rings read apart ---------------------------------------------------------- */

static void
test_rings (void)
{
  /* Numbers in every form JSON allows, each read as json-glib reads it
   * (story_test_check_rings() compares them bit for bit). */
  const char *numbers[] = {
    "0", "-0", "0.0", "-0.0", "7", "-180", "123456789012345",
    "44.123456", "-12.3456789012345678", "0.1", "0.30000000000000004441",
    "1e2", "1E2", "1.5e+2", "-2.5E-3", "2.2250738585072011e-308", "1e-400", "1e400",
    "89.99999999999999", "0.000000000000000000001",
  };
  const char *left[] = {
    /* Not rings: too short, a third number, numbers json-glib reads but
     * JSON does not have, no end, a ring in a string. */
    "{\"c\": [[1, 2], [3, 4], [1, 2]]}",
    "{\"c\": [[1, 2, 3], [3, 4, 5], [5, 6, 7], [1, 2, 3]]}",
    "{\"c\": [[01, 2], [3, 4], [5, 6], [1, 2]]}",
    "{\"c\": [[1., 2], [3, 4], [5, 6], [1, 2]]}",
    "{\"c\": [[.5, 2], [3, 4], [5, 6], [.5, 2]]}",
    "{\"c\": [[0x10, 2], [3, 4], [5, 6], [0x10, 2]]}",
    /* An integer too long for a double to hold exactly: json-glib's own. */
    "{\"c\": [[1234567890123456, 2], [3, 4], [5, 6], [1, 2]]}",
    "{\"c\": [[1, 2], [3, 4], [5, 6], [1, 2] }",
    "{\"c\": \"[[1, 2], [3, 4], [5, 6], [1, 2]]\"}",
    "{\"c\": \"\\\"[[1, 2], [3, 4], [5, 6], [1, 2]]\"}",
    /* Anything json-glib could read as a ring's mark: nothing is read
     * apart, though there is a ring. */
    "{\"c\": [[1, 2], [3, 4], [5, 6], [1, 2]], \"m\": [[0]]}",
    "{\"c\": [[1, 2], [3, 4], [5, 6], [1, 2]], \"m\": [ [ 0 ] ]}",
    "{\"c\": [[1, 2], [3, 4], [5, 6], [1, 2]], \"m\": [[01]]}",
    "{\"c\": [[1, 2], [3, 4], [5, 6], [1, 2]], \"m\": [[\"x\"]]}",
    "{\"c\": [[1, 2], [3, 4], [5, 6], [1, 2]], \"m\": [[]]}",
    "{\"c\": [[1, 2], [3, 4], [5, 6], [1, 2]], \"m\": [[[0]], 1]}",
  };
  g_autoptr(GString) story = large_story (NULL);
  g_autoptr(GString) marked = g_string_new ("[");
  g_autoptr(GPtrArray) rings = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"c\": [[%s, 1], [2, %s], [ %s ,%s ],[3,4], [%s, 1]], \"n\": [%s]}",
                                               numbers[i], numbers[i], numbers[i], numbers[i], numbers[i], numbers[i]);

      if (!story_test_check_rings (json, strlen (json)))
        g_error ("%s: no ring read", numbers[i]);
    }

  /* What the text is added to stays as it was. */
  for (guint i = 0; i < G_N_ELEMENTS (left); i++)
    {
      if (story_json_take_rings (left[i], strlen (left[i]), marked, &rings))
        g_error ("%s: %u rings read apart", left[i], rings->len);
      g_assert_cmpstr (marked->str, ==, "[");
    }

  /* A whole story: Polygon and MultiPolygon rings, holes, and numbers in
   * strings, in the order they come. */
  g_assert_true (story_test_check_rings (story->str, story->len));
  g_assert_true (story_json_take_rings (story->str, story->len, marked, &rings));
  g_assert_cmpint (marked->str[0], ==, '[');
  g_assert_cmpuint (rings->len, ==, 2 * N_AREAS + (N_AREAS + 4) / 5);
  g_assert_cmpuint (marked->len, <, story->len / 3);
}

static StoryDocument *
parse (GString          *json,
       StoryParseFlags   flags,
       GError          **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json->str, json->len);
  g_autoptr(StoryDocument) document = g_object_new (STORY_TYPE_DOCUMENT, NULL);

  if (!_story_document_parse (document, bytes, "large.json", flags, error))
    return NULL;

  return g_steal_pointer (&document);
}

static void
assert_same_place (StoryPlace *a,
                   StoryPlace *b)
{
  const guint *pa, *pb;
  guint na, nb;
  double lat_a, lon_a, lat_b, lon_b;
  GHashTable *names_a = story_place_get_names (a), *names_b = story_place_get_names (b);
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpstr (story_place_get_id (a), ==, story_place_get_id (b));
  g_assert_cmpstr (story_place_get_name (a), ==, story_place_get_name (b));
  g_assert_cmpstr (story_place_get_description (a), ==, story_place_get_description (b));
  g_assert_cmpint (story_place_get_kind (a), ==, story_place_get_kind (b));
  g_assert_true (g_strv_equal (story_place_get_aliases (a), story_place_get_aliases (b)));

  g_assert_cmpuint (g_hash_table_size (names_a), ==, g_hash_table_size (names_b));
  g_hash_table_iter_init (&iter, names_a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (value, ==, g_hash_table_lookup (names_b, key));

  story_place_get_anchor (a, &lat_a, &lon_a);
  story_place_get_anchor (b, &lat_b, &lon_b);
  g_assert_cmpfloat (lat_a, ==, lat_b);
  g_assert_cmpfloat (lon_a, ==, lon_b);

  g_assert_cmpuint (story_place_get_n_rings (a), ==, story_place_get_n_rings (b));
  for (guint r = 0; r < story_place_get_n_rings (a); r++)
    {
      const StoryLatLon *ra = story_place_get_ring (a, r, &na);
      const StoryLatLon *rb = story_place_get_ring (b, r, &nb);

      g_assert_cmpuint (na, ==, nb);
      g_assert_cmpmem (ra, na * sizeof *ra, rb, nb * sizeof *rb);
    }

  pa = story_place_get_paragraphs (a, &na);
  pb = story_place_get_paragraphs (b, &nb);
  g_assert_cmpmem (pa, na * sizeof *pa, pb, nb * sizeof *pb);
}

static void
assert_same_document (StoryDocument *a,
                      StoryDocument *b)
{
  g_assert_cmpstr (story_document_get_title (a), ==, story_document_get_title (b));
  g_assert_cmpstr (story_document_get_dateline (a), ==, story_document_get_dateline (b));
  g_assert_cmpstr (story_document_get_date (a), ==, story_document_get_date (b));
  g_assert_cmpstr (story_document_get_language (a), ==, story_document_get_language (b));
  g_assert_cmpuint (story_document_get_n_paragraphs (a), ==, story_document_get_n_paragraphs (b));
  for (guint p = 1; p <= story_document_get_n_paragraphs (a); p++)
    g_assert_cmpstr (story_document_get_paragraph (a, p), ==, story_document_get_paragraph (b, p));

  g_assert_cmpuint (story_document_get_n_places (a), ==, story_document_get_n_places (b));
  for (guint i = 0; i < story_document_get_n_places (a); i++)
    assert_same_place (story_document_get_place (a, i), story_document_get_place (b, i));
}

static void
test_same_document (void)
{
  g_autoptr(GString) json = large_story (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(StoryDocument) whole = parse (json, STORY_PARSE_WHOLE, &error);
  g_autoptr(StoryDocument) parts = NULL;
  g_autoptr(StoryDocument) by_default = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (story_document_get_n_places (whole), ==, N_POINTS + N_AREAS);

  /* Read in parts indeed, not whole after all. */
  parts = g_object_new (STORY_TYPE_DOCUMENT, NULL);
  g_assert_true (_story_document_read_in_parts (parts, &(ParseContext) { "large.json", 0, 0 },
                                                json->str, json->len, TRUE));
  assert_same_document (whole, parts);

  by_default = parse (json, STORY_PARSE_DEFAULT, &error);
  g_assert_no_error (error);
  assert_same_document (whole, by_default);
}

/* Ring-shaped arrays where no ring is read, and arrays shaped like the
 * marks left in the place of rings read apart: the same story. */
static void
test_rings_elsewhere (void)
{
  const struct {
    const char *find, *replace;
    gboolean    in_parts;
  } cases[] = {
    /* Read apart, but never taken: the whole file is read. */
    { "\"kind\": \"region\"", "\"kind\": \"region\", \"box\": [[1, 2], [3, 4], [5, 6], [1, 2]]", FALSE },
    /* Like a mark: nothing is read apart; the parts are read as they are. */
    { "\"kind\": \"region\"", "\"kind\": \"region\", \"box\": [[0]]", TRUE },
    { "\"kind\": \"region\"", "\"kind\": \"region\", \"box\": [ [1 ] ]", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Fault change = { 310, cases[i].find, cases[i].replace, NULL, NULL, NULL };
      g_autoptr(GString) json = large_story (&change);
      g_autoptr(GError) error = NULL;
      g_autoptr(StoryDocument) whole = parse (json, STORY_PARSE_WHOLE, &error);
      g_autoptr(StoryDocument) parts = g_object_new (STORY_TYPE_DOCUMENT, NULL);
      g_autoptr(StoryDocument) by_default = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (_story_document_read_in_parts (parts, &(ParseContext) { "large.json", 0, 0 },
                                                      json->str, json->len, TRUE), ==, cases[i].in_parts);
      if (cases[i].in_parts)
        assert_same_document (whole, parts);

      by_default = parse (json, STORY_PARSE_DEFAULT, &error);
      g_assert_no_error (error);
      assert_same_document (whole, by_default);
    }
}

/* Whatever goes wrong, reading in parts gives the error reading whole
 * gives, and no document. */
static void
test_same_errors (void)
{
  const Fault cases[] = {
    { 280, "}", ")", NULL, NULL, NULL },
    { 10, "\"Point\"", "\"Pointy\"", NULL, NULL, "large.json: /features/10/geometry/type: error: " },
    { 250, "\"p250\"", "\"p3\"", NULL, NULL, "large.json: /features/250/id: error: The id “p3” is used by another place" },
    { 290, "\"paragraphs\": [", "\"paragraphs\": [900, ", NULL, NULL,
      "large.json: /features/290/properties/paragraphs/0: error: Paragraph 900 does not exist (the story has 200)" },
    /* The earlier fault is the one named, though it can only be seen once
     * the paragraphs are counted. */
    { 20, "\"paragraphs\": [", "\"paragraphs\": [900, ", NULL, NULL,
      "large.json: /features/20/properties/paragraphs/0: error: " },
    { 299, "\"paragraphs\": [", "\"paragraphs\": [900, ", "\"Point\"", "\"Pointy\"",
      "large.json: /features/299/properties/paragraphs/0: error: " },
    { 310, NULL, "  [\"Feature\"]", NULL, NULL, "large.json: /features/310: error: " },
    /* An area that takes a point's id: the two are in different parts. */
    { 325, "\"a25\"", "\"p3\"", NULL, NULL, "large.json: /features/325/id: error: The id “p3” is used by another place" },
    { 322, "[[[", "[[[\"x\", ", NULL, NULL, "large.json: /features/322/geometry/coordinates/0/0: error: " },
    { 327, "}", ")", NULL, NULL, NULL },
    /* In a ring read apart, and in its hole. */
    { 321, "[[[", "[[[45.0, 140.0], [", NULL, NULL,
      "large.json: /features/321/geometry/coordinates/0/0: error: Latitude 140 is out of range" },
    { 326, "[45.0, 40.0], [45.001", "[45.0, 40.0], [245.001", NULL, NULL,
      "large.json: /features/326/geometry/coordinates/1/1: error: Longitude 245.001 is out of range" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) json = large_story (&cases[i]);
      g_autoptr(GError) whole_error = NULL;
      g_autoptr(GError) parts_error = NULL;
      g_autoptr(StoryDocument) whole = parse (json, STORY_PARSE_WHOLE, &whole_error);
      g_autoptr(StoryDocument) parts = parse (json, STORY_PARSE_IN_PARTS, &parts_error);
      g_autoptr(StoryDocument) partial = g_object_new (STORY_TYPE_DOCUMENT, NULL);

      /* The parts give up, and leave nothing behind. */
      g_assert_false (_story_document_read_in_parts (partial, &(ParseContext) { "large.json", 0, 0 },
                                                     json->str, json->len, TRUE));
      g_assert_null (story_document_get_title (partial));
      g_assert_cmpuint (story_document_get_n_paragraphs (partial), ==, 0);
      g_assert_cmpuint (story_document_get_n_places (partial), ==, 0);

      g_assert_null (whole);
      g_assert_null (parts);
      g_assert_nonnull (whole_error);
      g_assert_nonnull (parts_error);
      g_assert_cmpstr (parts_error->message, ==, whole_error->message);
      g_assert_cmpint (parts_error->code, ==, whole_error->code);
      if (cases[i].expected != NULL && !g_str_has_prefix (whole_error->message, cases[i].expected))
        g_error ("Case %u: “%s”", i, whole_error->message);
    }
}

/* Not RFC 8259 JSON, though json-glib would read it, in a part or in a
 * ring read apart: refused before any part is read, the same way whole or
 * in parts. */
static void
test_strict_json (void)
{
  const Fault cases[] = {
    { 10, "\"Point\"", "'Point'", NULL, NULL,
      "large.json:246:25: error: Invalid JSON: a string must be in double quotes" },
    { 12, "\"kind\": \"city\"", "\"kind\": \"city\", \"kind\": \"town\"", NULL, NULL,
      "large.json:255:76: error: The member “kind” appears twice in one object" },
    { 326, "[45.0, 40.0], [45.001", "[45.0, 40.0], [0x2D, 40.0], [45.001", NULL, NULL,
      "large.json:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) json = large_story (&cases[i]);
      g_autoptr(GError) whole_error = NULL;
      g_autoptr(GError) parts_error = NULL;
      g_autoptr(StoryDocument) whole = parse (json, STORY_PARSE_WHOLE, &whole_error);
      g_autoptr(StoryDocument) parts = parse (json, STORY_PARSE_IN_PARTS, &parts_error);

      g_assert_null (whole);
      g_assert_null (parts);
      g_assert_error (whole_error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_SYNTAX);
      g_assert_error (parts_error, STORY_DOCUMENT_ERROR, STORY_DOCUMENT_ERROR_SYNTAX);
      g_assert_cmpstr (parts_error->message, ==, whole_error->message);
      if (!g_str_has_prefix (whole_error->message, cases[i].expected))
        g_error ("Case %u: “%s”", i, whole_error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/story/document-parts/split", test_split);
  g_test_add_func ("/story/document-parts/split-refused", test_split_refused);
  g_test_add_func ("/story/document-parts/rings", test_rings);
  g_test_add_func ("/story/document-parts/same-document", test_same_document);
  g_test_add_func ("/story/document-parts/rings-elsewhere", test_rings_elsewhere);
  g_test_add_func ("/story/document-parts/same-errors", test_same_errors);
  g_test_add_func ("/story/document-parts/strict-json", test_strict_json);

  return g_test_run ();
}
