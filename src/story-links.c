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
 *
 * Names go into a trie with linked edges, which is cheap to extend. Before
 * the first search the trie is copied into the automaton proper: states in
 * breadth-first order, so that the children of a state are consecutive
 * states and the labels of their edges sit side by side in one byte array,
 * sorted. Finding a transition then reads a few adjacent bytes instead of
 * chasing a list through memory, and the shallow states that nearly every
 * byte of text visits share a handful of cache lines.
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

/* A state of the automaton; its children are the states first_child to
 * first_child + n_children - 1, and labels[c] is the byte leading to c. */
typedef struct
{
  guint32 fail;
  guint32 output;
  guint32 dict;
  guint32 first_child;
  guint32 n_children;
} State;

/* The case folding of one character outside ASCII, remembered. */
typedef struct
{
  gunichar c;
  guint8   len;
  char     folded[15];
} FoldEntry;

#define FOLD_CACHE_SIZE 256

/* The folded text, and for every folded byte the offset in the original of
 * the character it came from, plus one entry for the end. */
typedef struct
{
  char    *str;
  guint32 *map;
  gsize    len;
  gsize    size;
} Folded;

struct _StoryLinker
{
  GArray    *nodes;
  GArray    *edges;
  GArray    *outputs;
  guint32    root_next[256];
  guint      n_patterns;
  gboolean   built;

  State     *states;
  guint8    *labels;
  guint32    root_goto[256];
  FoldEntry  fold_cache[FOLD_CACHE_SIZE];
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
  g_free (self->states);
  g_free (self->labels);
  g_free (self);
}

guint
story_linker_get_n_patterns (StoryLinker *self)
{
  return self->n_patterns;
}

static void
folded_reserve (Folded *folded,
                gsize   extra)
{
  if (folded->len + extra <= folded->size)
    return;

  folded->size = MAX (folded->size * 2, folded->len + extra);
  folded->str = g_realloc (folded->str, folded->size);
  if (folded->map != NULL)
    folded->map = g_realloc_n (folded->map, folded->size + 1, sizeof (guint32));
}

static void
folded_clear (Folded *folded)
{
  g_free (folded->str);
  g_free (folded->map);
}

static void
folded_append (Folded     *out,
               const char *bytes,
               gsize       len,
               guint32     offset)
{
  folded_reserve (out, len);
  memcpy (out->str + out->len, bytes, len);
  if (out->map != NULL)
    for (gsize i = 0; i < len; i++)
      out->map[out->len + i] = offset;
  out->len += len;
}

/* Appends the case folding of the character at @p, @len bytes long,
 * outside ASCII. g_utf8_casefold() allocates, so the answers are kept. */
static void
fold_char (StoryLinker *self,
           const char  *p,
           gsize        len,
           guint32      offset,
           Folded      *out)
{
  gunichar c = g_utf8_get_char (p);
  FoldEntry *entry = &self->fold_cache[c % FOLD_CACHE_SIZE];
  g_autofree char *folded = NULL;
  gsize folded_len;

  if (entry->c == c && entry->len > 0)
    {
      folded_append (out, entry->folded, entry->len, offset);
      return;
    }

  folded = g_utf8_casefold (p, len);
  folded_len = strlen (folded);
  folded_append (out, folded, folded_len, offset);

  if (folded_len > 0 && folded_len <= sizeof entry->folded)
    {
      entry->c = c;
      entry->len = folded_len;
      memcpy (entry->folded, folded, folded_len);
    }
}

/* Folds @text; with @with_map, also records where each folded byte came from. */
static void
fold_text (StoryLinker *self,
           const char  *text,
           gboolean     with_map,
           Folded      *out)
{
  const guchar *p = (const guchar *)text;
  gsize n = strlen (text);

  out->len = 0;
  out->size = n + 16;
  out->str = g_malloc (out->size);
  out->map = with_map ? g_new (guint32, out->size + 1) : NULL;

  while (*p)
    {
      guint32 offset = (const char *)p - text;

      if (*p < 0x80)
        {
          folded_reserve (out, 1);
          out->str[out->len] = g_ascii_tolower (*p);
          if (with_map)
            out->map[out->len] = offset;
          out->len++;
          p++;
        }
      else
        {
          const char *next = g_utf8_next_char (p);

          fold_char (self, (const char *)p, next - (const char *)p, offset, out);
          p = (const guchar *)next;
        }
    }

  if (with_map)
    out->map[out->len] = (const char *)p - text;
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
  Folded folded;
  guint32 node = ROOT;
  Output output;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  if (self->n_patterns == 0)
    memset (self->root_next, 0xff, sizeof self->root_next);

  nfc = story_text_to_nfc (name);
  if (nfc == NULL || nfc[0] == '\0')
    return;

  fold_text (self, nfc, FALSE, &folded);

  for (gsize i = 0; i < folded.len; i++)
    {
      guint8 byte = folded.str[i];
      guint32 next = child (self, node, byte);

      node = next != NONE ? next : add_child (self, node, byte);
    }

  output.length = folded.len;
  folded_clear (&folded);
  output.place = place;
  output.next = g_array_index (self->nodes, Node, node).output;
  g_array_index (self->nodes, Node, node).output = self->outputs->len;
  g_array_append_val (self->outputs, output);

  self->n_patterns++;
  self->built = FALSE;
}

static int
compare_edge_bytes (gconstpointer a,
                    gconstpointer b)
{
  const Edge *ea = a, *eb = b;

  return (int)ea->byte - (int)eb->byte;
}

/* The child of state @s along @byte, or NONE. */
static inline guint32
goto_child (const StoryLinker *self,
            guint32            s,
            guint8             byte)
{
  const State *state = &self->states[s];
  const guint8 *labels = self->labels + state->first_child;
  guint lo = 0, hi = state->n_children;

  if (s == ROOT)
    return self->root_goto[byte];

  /* Labels are sorted: a short scan, or a binary search for many. */
  while (hi - lo > 8)
    {
      guint mid = (lo + hi) / 2;

      if (labels[mid] <= byte)
        lo = mid;
      else
        hi = mid;
    }
  for (guint i = lo; i < hi; i++)
    if (labels[i] == byte)
      return state->first_child + i;

  return NONE;
}

/* Copies the trie into breadth-first order: renumbers the states so that
 * each state's children are consecutive, in the order of their bytes. */
static void
lay_out_states (StoryLinker *self)
{
  guint n = self->nodes->len;
  g_autofree guint32 *order = g_new (guint32, n);   /* new number → trie node */
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  guint32 next_id = 1;

  g_free (self->states);
  g_free (self->labels);
  self->states = g_new0 (State, n);
  self->labels = g_new0 (guint8, n);
  order[ROOT] = ROOT;

  for (guint32 s = 0; s < n; s++)
    {
      const Node *node = &g_array_index (self->nodes, Node, order[s]);
      State *state = &self->states[s];

      g_array_set_size (edges, 0);
      if (s == ROOT)
        {
          for (guint b = 0; b < 256; b++)
            if (self->root_next[b] != NONE)
              {
                Edge edge = { self->root_next[b], NONE, b };

                g_array_append_val (edges, edge);
              }
        }
      else
        {
          for (guint32 e = node->first_edge; e != NONE; e = g_array_index (self->edges, Edge, e).next)
            g_array_append_val (edges, g_array_index (self->edges, Edge, e));
          g_array_sort (edges, compare_edge_bytes);
        }

      state->output = node->output;
      state->fail = ROOT;
      state->dict = NONE;
      state->first_child = next_id;
      state->n_children = edges->len;

      for (guint i = 0; i < edges->len; i++)
        {
          const Edge *edge = &g_array_index (edges, Edge, i);

          order[next_id] = edge->target;
          self->labels[next_id] = edge->byte;
          next_id++;
        }
    }

  g_assert (next_id == n);

  memset (self->root_goto, 0xff, sizeof self->root_goto);
  for (guint i = 0; i < self->states[ROOT].n_children; i++)
    self->root_goto[self->labels[1 + i]] = 1 + i;
}

/* Breadth-first pass computing failure and dictionary links. */
static void
build (StoryLinker *self)
{
  guint n;

  lay_out_states (self);
  n = self->nodes->len;

  /* States are numbered breadth first, so a state's failure link (always
   * shallower) is final before its children need it. */
  for (guint32 s = 0; s < n; s++)
    {
      const State *state = &self->states[s];

      for (guint32 c = state->first_child; c < state->first_child + state->n_children; c++)
        {
          State *t = &self->states[c];
          guint8 byte = self->labels[c];
          guint32 f = state->fail, target = NONE;

          if (s != ROOT)
            {
              while (f != ROOT && goto_child (self, f, byte) == NONE)
                f = self->states[f].fail;
              target = goto_child (self, f, byte);
            }

          t->fail = (target != NONE && target != c) ? target : ROOT;
          t->dict = self->states[t->fail].output != NONE ? t->fail : self->states[t->fail].dict;
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
  g_autoptr(GArray) candidates = NULL;
  const State *states;
  const guint32 *offsets;
  Folded folded;
  guint32 node = ROOT;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (self->n_patterns == 0)
    return g_array_new (FALSE, FALSE, sizeof (StoryMention));

  if (!self->built)
    build (self);

  fold_text (self, text, TRUE, &folded);
  offsets = folded.map;
  states = self->states;
  candidates = g_array_new (FALSE, FALSE, sizeof (StoryMention));

  for (gsize i = 0; i < folded.len; i++)
    {
      guint8 byte = folded.str[i];
      guint32 next;

      while ((next = goto_child (self, node, byte)) == NONE && node != ROOT)
        node = states[node].fail;

      node = next != NONE ? next : ROOT;

      if (states[node].output == NONE && states[node].dict == NONE)
        continue;

      for (guint32 n = node; n != NONE && n != ROOT; n = states[n].dict)
        {
          for (guint32 o = states[n].output; o != NONE;)
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
        }
    }

  folded_clear (&folded);

  return resolve_overlaps (candidates);
}

/* Characters outside the ranges below U+0300 that never change under NFC
 * and never combine with a character before them: Cyrillic and Armenian
 * letters, Arabic letters (not its combining marks), general punctuation.
 * A text made only of these, and of anything below U+0300, is in NFC. */
static gboolean
is_nfc_stable (gunichar c)
{
  if (c < 0x300)
    return TRUE;

  if (!((c >= 0x400 && c <= 0x482) || (c >= 0x48A && c <= 0x52F) ||
        (c >= 0x531 && c <= 0x58F) ||
        (c >= 0x600 && c <= 0x652) || (c >= 0x656 && c <= 0x6FF) ||
        (c >= 0x2010 && c <= 0x205F)))
    return FALSE;

  return g_unichar_combining_class (c) == 0;
}

/**
 * story_text_to_nfc:
 * @text: valid UTF-8
 *
 * Like g_utf8_normalize() with %G_NORMALIZE_NFC, but a text that is
 * already in NFC by a quick check (almost every news text in Latin,
 * Cyrillic, Armenian or Arabic script) is only copied.
 *
 * Returns: (transfer full): @text in NFC
 */
char *
story_text_to_nfc (const char *text)
{
  const guchar *p = (const guchar *)text;

  g_return_val_if_fail (text != NULL, NULL);

  while (*p != '\0')
    {
      if (*p < 0x80)
        {
          p++;
          continue;
        }

      if (!is_nfc_stable (g_utf8_get_char ((const char *)p)))
        return g_utf8_normalize (text, -1, G_NORMALIZE_NFC);

      p = (const guchar *)g_utf8_next_char (p);
    }

  return g_strdup (text);
}
