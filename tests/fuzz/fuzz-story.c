/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "story-document-private.h"
#include "story-json-scan.h"
#include "../story-test-rings.h"

/*
 * libFuzzer target: any bytes as a story file. A file that loads must hold
 * together: every mention lies inside its text on character boundaries and
 * names an existing place, every place can be found by its id, and every
 * extent is well formed. Read in parts on several threads (as a large
 * file is), with its polygon rings read apart, it gives the same story or
 * the same error; the rings read apart are json-glib's to the bit. What
 * the strict scanner lets through, json-glib reads, so that no refusal is
 * ever in json-glib's words.
 */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_bounds (const StoryBounds *bounds)
{
  if (story_bounds_is_empty (bounds))
    return;

  g_assert_cmpfloat (bounds->south, <=, bounds->north);
  g_assert_cmpfloat (bounds->south, >=, -90.0);
  g_assert_cmpfloat (bounds->north, <=, 90.0);
}

static void
check_paragraph (StoryDocument *document,
                 guint          paragraph)
{
  const char *text = story_document_get_paragraph (document, paragraph);
  guint n_places = story_document_get_n_places (document);
  const StoryMention *mentions;
  g_autoptr(GPtrArray) places = NULL;
  StoryBounds bounds;
  guint n_mentions, last_end = 0;
  gsize len = text ? strlen (text) : 0;

  mentions = story_document_get_mentions (document, paragraph, &n_mentions);
  g_assert_true (text != NULL || n_mentions == 0);

  for (guint m = 0; m < n_mentions; m++)
    {
      g_assert_cmpuint (mentions[m].start, <, mentions[m].end);
      g_assert_cmpuint (mentions[m].end, <=, len);
      g_assert_cmpuint (mentions[m].start, >=, last_end);
      g_assert_cmpuint (mentions[m].place, <, n_places);
      g_assert_true (g_utf8_validate (text + mentions[m].start,
                                      mentions[m].end - mentions[m].start, NULL));
      g_assert_true (story_place_is_mentioned_in (story_document_get_place (document, mentions[m].place),
                                                  paragraph));
      last_end = mentions[m].end;
    }

  places = story_document_get_paragraph_places (document, paragraph);
  g_assert_cmpuint (places->len, <=, n_places);

  story_document_get_paragraph_bounds (document, paragraph, &bounds);
  check_bounds (&bounds);
}

static void
check_place (StoryDocument *document,
             guint          index)
{
  StoryPlace *place = story_document_get_place (document, index);
  guint n_paragraphs = story_document_get_n_paragraphs (document);
  const guint *paragraphs;
  StoryBounds bounds;
  double lat, lon;
  guint n;

  g_assert_true (story_document_lookup_place (document, story_place_get_id (place)) == place);
  g_assert_true (g_utf8_validate (story_place_get_display_name (place), -1, NULL));

  paragraphs = story_place_get_paragraphs (place, &n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (paragraphs[i], <=, n_paragraphs);

  story_place_get_anchor (place, &lat, &lon);
  g_assert_true (lat >= -90.0 && lat <= 90.0);
  g_assert_true (lon >= -180.0 && lon <= 180.0);

  story_place_get_bounds (place, &bounds);
  check_bounds (&bounds);

  for (guint r = 0; r < story_place_get_n_rings (place); r++)
    {
      story_place_get_ring (place, r, &n);
      g_assert_cmpuint (n, >=, 4);
    }
}

static void
check_in_parts (GBytes        *bytes,
                StoryDocument *document,
                const GError  *error)
{
  g_autoptr(StoryDocument) parts = g_object_new (STORY_TYPE_DOCUMENT, NULL);
  g_autoptr(GError) parts_error = NULL;

  if (!_story_document_parse (parts, bytes, "fuzz.json", STORY_PARSE_IN_PARTS, &parts_error))
    {
      g_assert_null (document);
      g_assert_cmpstr (parts_error->message, ==, error->message);
      return;
    }

  g_assert_nonnull (document);
  g_assert_cmpuint (story_document_get_n_paragraphs (parts), ==, story_document_get_n_paragraphs (document));
  g_assert_cmpuint (story_document_get_n_places (parts), ==, story_document_get_n_places (document));
  for (guint i = 0; i < story_document_get_n_places (document); i++)
    {
      StoryPlace *a = story_document_get_place (document, i);
      StoryPlace *b = story_document_get_place (parts, i);
      double anchor_a[2], anchor_b[2];

      g_assert_cmpstr (story_place_get_id (a), ==, story_place_get_id (b));
      story_place_get_anchor (a, &anchor_a[0], &anchor_a[1]);
      story_place_get_anchor (b, &anchor_b[0], &anchor_b[1]);
      g_assert_cmpmem (anchor_a, sizeof anchor_a, anchor_b, sizeof anchor_b);

      g_assert_cmpuint (story_place_get_n_rings (a), ==, story_place_get_n_rings (b));
      for (guint r = 0; r < story_place_get_n_rings (a); r++)
        {
          guint na, nb;
          const StoryLatLon *ra = story_place_get_ring (a, r, &na);
          const StoryLatLon *rb = story_place_get_ring (b, r, &nb);

          g_assert_cmpmem (ra, na * sizeof *ra, rb, nb * sizeof *rb);
        }
    }
}

static void
check_scan (const char *data,
            gsize       len)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  StoryJsonFault fault;

  if (len > STORY_DOCUMENT_MAX_FILE_SIZE || !g_utf8_validate (data, len, NULL) ||
      !story_json_scan (data, len, STORY_DOCUMENT_MAX_DEPTH, &fault))
    return;

  parser = json_parser_new_immutable ();
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(StoryDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  StoryBounds view;

  story_test_check_rings ((const char *)data, size);
  check_scan ((const char *)data, size);
  document = story_document_new_from_bytes (bytes, "fuzz.json", &error);
  check_in_parts (bytes, document, error);

  if (document == NULL)
    {
      /* Every refusal names the file and says what is wrong. */
      g_assert_nonnull (error);
      g_assert_true (error->domain == STORY_DOCUMENT_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "fuzz.json:"));
      g_assert_nonnull (strstr (error->message, "error: "));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert_no_error (error);
  g_assert_nonnull (story_document_get_title (document));
  g_assert_cmpuint (story_document_get_n_paragraphs (document), >=, 1);
  g_assert_cmpuint (story_document_get_n_paragraphs (document), <=, STORY_DOCUMENT_MAX_PARAGRAPHS);
  g_assert_cmpuint (story_document_get_n_places (document), <=, STORY_DOCUMENT_MAX_PLACES);

  for (guint p = 0; p <= story_document_get_n_paragraphs (document); p++)
    check_paragraph (document, p);

  for (guint i = 0; i < story_document_get_n_places (document); i++)
    check_place (document, i);

  story_document_get_view (document, &view);
  check_bounds (&view);

  return 0;
}
