/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-links"

#include "config.h"

#include <string.h>

#include "story-links.h"

/*
 * Finds where places are named in a text, by all their names at once.
 *
 * Names and text are compared after Unicode case folding; the text is
 * expected in NFC (the document normalises it on load) and names are
 * normalised here. Matching is an Aho–Corasick automaton over the bytes of
 * the folded text, so its cost grows with the length of the text and the
 * number of matches, not with the number of names. A match counts only
 * where it starts and ends on word boundaries of the original text, and
 * where two matches overlap the longer one wins.
 */

#define ROOT 0
#define NONE G_MAXUINT32

typedef struct
{
  guint32 fail;
  guint32 output;       /* first entry in outputs ending here, or NONE */
  guint32 dict;         /* nearest node down the fail chain with output */
  guint32 first_edge;
} Node;

typedef struct
{
  guint32 target;
  guint32 next;
  guint8  byte;
} Edge;

typedef struct
{
  guint32 length;       /* in folded bytes */
  guint32 place;
  guint32 next;
} Output;

struct _StoryLinker
{
  GArray   *nodes;
  GArray   *edges;
  GArray   *outputs;
  guint32   root_next[256];
  guint     n_patterns;
  gboolean  built;
};

StoryLinker *
story_linker_new (void)
{
  StoryLinker *self = g_new0 (StoryLinker, 1);
  Node root = { ROOT, NONE, NONE, NONE };

  self->nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  self->edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  self->outputs = g_array_new (FALSE, FALSE, sizeof (Output));
  g_array_append_val (self->nodes, root);

  return self;
}

void
story_linker_free (StoryLinker *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->nodes);
  g_array_unref (self->edges);
  g_array_unref (self->outputs);
  g_free (self);
}

guint
story_linker_get_n_patterns (StoryLinker *self)
{
  return self->n_patterns;
}

/* Appends the case folding of one character to @out. */
static inline void
fold_char (GString    *out,
           const char *p,
           gsize       len)
{
  if (len == 1)
    {
      g_string_append_c (out, g_ascii_tolower (*p));
    }
  else
    {
      g_autofree char *folded = g_utf8_casefold (p, len);
      g_string_append (out, folded);
    }
}

/* Folds @text; when @map is given, it gets, for every folded byte, the
 * offset in @text of the character it came from, plus one entry for the end. */
static GString *
fold_text (const char *text,
           GArray     *map)
{
  GString *out = g_string_sized_new (strlen (text) + 1);
  const char *p = text;

  while (*p)
    {
      const char *next = g_utf8_next_char (p);
      gsize before = out->len;
      guint32 offset = p - text;

      fold_char (out, p, next - p);

      if (map != NULL)
        for (gsize i = before; i < out->len; i++)
          g_array_append_val (map, offset);

      p = next;
    }

  if (map != NULL)
    {
      guint32 end = p - text;
      g_array_append_val (map, end);
    }

  return out;
}

static guint32
child (StoryLinker *self,
       guint32      node,
       guint8       byte)
{
  if (node == ROOT)
    return self->root_next[byte];

  for (guint32 e = g_array_index (self->nodes, Node, node).first_edge;
       e != NONE;
       e = g_array_index (self->edges, Edge, e).next)
    {
      const Edge *edge = &g_array_index (self->edges, Edge, e);

      if (edge->byte == byte)
        return edge->target;
    }

  return NONE;
}

static guint32
add_child (StoryLinker *self,
           guint32      node,
           guint8       byte)
{
  Node fresh = { ROOT, NONE, NONE, NONE };
  guint32 target = self->nodes->len;

  g_array_append_val (self->nodes, fresh);

  if (node == ROOT)
    {
      self->root_next[byte] = target;
    }
  else
    {
      Node *parent = &g_array_index (self->nodes, Node, node);
      Edge edge = { target, parent->first_edge, byte };

      parent->first_edge = self->edges->len;
      g_array_append_val (self->edges, edge);
    }

  return target;
}

/**
 * story_linker_add:
 * @name: a name to look for
 * @place: what a match of @name stands for
 *
 * Adds a name. Empty names are ignored.
 */
void
story_linker_add (StoryLinker *self,
                  const char  *name,
                  guint        place)
{
  g_autofree char *nfc = NULL;
  g_autoptr(GString) folded = NULL;
  guint32 node = ROOT;
  Output output;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  if (self->n_patterns == 0)
    memset (self->root_next, 0xff, sizeof self->root_next);

  nfc = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);
  if (nfc == NULL || nfc[0] == '\0')
    return;

  folded = fold_text (nfc, NULL);

  for (gsize i = 0; i < folded->len; i++)
    {
      guint8 byte = folded->str[i];
      guint32 next = child (self, node, byte);

      node = next != NONE ? next : add_child (self, node, byte);
    }

  output.length = folded->len;
  output.place = place;
  output.next = g_array_index (self->nodes, Node, node).output;
  g_array_index (self->nodes, Node, node).output = self->outputs->len;
  g_array_append_val (self->outputs, output);

  self->n_patterns++;
  self->built = FALSE;
}

/* Breadth-first pass computing failure and dictionary links. */
static void
build (StoryLinker *self)
{
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint b = 0; b < 256; b++)
    {
      guint32 c = self->root_next[b];

      if (c != NONE)
        {
          g_array_index (self->nodes, Node, c).fail = ROOT;
          g_array_index (self->nodes, Node, c).dict = NONE;
          g_array_append_val (queue, c);
        }
    }

  for (guint head = 0; head < queue->len; head++)
    {
      guint32 node = g_array_index (queue, guint32, head);

      for (guint32 e = g_array_index (self->nodes, Node, node).first_edge; e != NONE;)
        {
          Edge edge = g_array_index (self->edges, Edge, e);
          guint32 f = g_array_index (self->nodes, Node, node).fail;
          guint32 target;
          Node *t;

          while (f != ROOT && child (self, f, edge.byte) == NONE)
            f = g_array_index (self->nodes, Node, f).fail;

          target = child (self, f, edge.byte);
          t = &g_array_index (self->nodes, Node, edge.target);
          t->fail = (target != NONE && target != edge.target) ? target : ROOT;
          t->dict = g_array_index (self->nodes, Node, t->fail).output != NONE
                    ? t->fail
                    : g_array_index (self->nodes, Node, t->fail).dict;
          g_array_append_val (queue, edge.target);

          e = edge.next;
        }
    }

  self->built = TRUE;
}

static gboolean
is_word_char_before (const char *text,
                     guint       offset)
{
  const char *prev;

  if (offset == 0)
    return FALSE;

  prev = g_utf8_find_prev_char (text, text + offset);
  return prev != NULL && g_unichar_isalnum (g_utf8_get_char (prev));
}

static gboolean
is_word_char_at (const char *text,
                 guint       offset)
{
  if (text[offset] == '\0')
    return FALSE;

  return g_unichar_isalnum (g_utf8_get_char (text + offset));
}

static int
compare_longest_first (gconstpointer a,
                       gconstpointer b)
{
  const StoryMention *ma = a, *mb = b;
  guint la = ma->end - ma->start, lb = mb->end - mb->start;

  if (la != lb)
    return la > lb ? -1 : 1;
  if (ma->start != mb->start)
    return ma->start < mb->start ? -1 : 1;
  return ma->place < mb->place ? -1 : ma->place > mb->place;
}

/* Keeps the longest of overlapping matches; returns them in text order. */
static GArray *
resolve_overlaps (GArray *candidates)
{
  GArray *kept = g_array_new (FALSE, FALSE, sizeof (StoryMention));

  g_array_sort (candidates, compare_longest_first);

  for (guint i = 0; i < candidates->len; i++)
    {
      const StoryMention *m = &g_array_index (candidates, StoryMention, i);
      guint lo = 0, hi = kept->len;

      /* First kept mention that ends after m starts. */
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (g_array_index (kept, StoryMention, mid).end <= m->start)
            lo = mid + 1;
          else
            hi = mid;
        }

      if (lo < kept->len && g_array_index (kept, StoryMention, lo).start < m->end)
        continue;

      g_array_insert_val (kept, lo, *m);
    }

  return kept;
}

/**
 * story_linker_find:
 * @text: NFC-normalised UTF-8 text
 *
 * Returns: (transfer full): a #GArray of #StoryMention in text order
 */
GArray *
story_linker_find (StoryLinker *self,
                   const char  *text)
{
  g_autoptr(GArray) map = NULL;
  g_autoptr(GArray) candidates = NULL;
  g_autoptr(GString) folded = NULL;
  const guint32 *offsets;
  guint32 node = ROOT;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (self->n_patterns == 0)
    return g_array_new (FALSE, FALSE, sizeof (StoryMention));

  if (!self->built)
    build (self);

  map = g_array_sized_new (FALSE, FALSE, sizeof (guint32), strlen (text) + 1);
  folded = fold_text (text, map);
  offsets = (const guint32 *)(gpointer)map->data;
  candidates = g_array_new (FALSE, FALSE, sizeof (StoryMention));

  for (gsize i = 0; i < folded->len; i++)
    {
      guint8 byte = folded->str[i];
      guint32 next;

      while ((next = child (self, node, byte)) == NONE && node != ROOT)
        node = g_array_index (self->nodes, Node, node).fail;

      node = next != NONE ? next : ROOT;

      for (guint32 n = node; n != NONE; n = g_array_index (self->nodes, Node, n).dict)
        {
          for (guint32 o = g_array_index (self->nodes, Node, n).output; o != NONE;)
            {
              const Output *out = &g_array_index (self->outputs, Output, o);
              gsize fstart = i + 1 - out->length;
              gsize fend = i + 1;
              StoryMention m;

              o = out->next;

              /* Both ends must fall between characters of the original. */
              if (fstart > 0 && offsets[fstart] == offsets[fstart - 1])
                continue;
              if (offsets[fend] == offsets[fend - 1])
                continue;

              m.start = offsets[fstart];
              m.end = offsets[fend];
              m.place = out->place;

              if (is_word_char_before (text, m.start) || is_word_char_at (text, m.end))
                continue;

              g_array_append_val (candidates, m);
            }

          if (n == ROOT)
            break;
        }
    }

  return resolve_overlaps (candidates);
}
