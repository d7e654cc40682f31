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
 * the folded text, so its cost grows with the length of the text, not with
 * the number of names. A match counts only where it starts and ends on word
 * boundaries of the original text, and where two matches overlap the longer
 * one wins (then the earlier, then the lower place).
 *
 * A name added many times is one state of the automaton with the lowest
 * place it stands for: a place after it could never win a span from it.
 * Matches are not all listed before overlaps are resolved: a text of "a a
 * a …" with the names "a", "a a", "a a a", … has as many matches at every
 * word as there are names. Instead each end of a word keeps one match, the
 * longest that could still be kept, and the state it came from, whose
 * dictionary links lead to the shorter ones. Overlaps are then resolved
 * lazily, longest first from buckets by length; a match that overlaps one
 * kept before gives way to the next shorter match ending where it ends that
 * starts after the one kept, if there is one.
 *
 * Nor are matches that certainly start inside a word passed over one by
 * one: with the names "b ab", "b ab ab", … over "ab ab ab …", every end of
 * a word ends a match of each name, all starting after an "a". Whether a
 * match further down the failure links of a state starts after a letter or
 * digit is known from that state's string, so its dictionary links pass over
 * those matches; only what the string cannot tell is checked in the text.
 * Memory grows with the text and the names, and the work with the text.
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
  guint32 place;        /* the lowest place whose name ends here, or NONE */
  guint32 dict;         /* nearest node down the fail chain with a place */
  guint32 first_edge;
} Node;

typedef struct
{
  guint32 target;
  guint32 next;
  guint8  byte;
} Edge;

/* A state of the automaton; its children are the states first_child to
 * first_child + n_children - 1, and labels[c] is the byte leading to c. */
typedef struct
{
  guint32 fail;
  guint32 place;
  guint32 dict;         /* the next state down the failure links with a
                         * place whose match, read from here, could start
                         * on a word boundary; NONE if there is none */
  guint32 first_child;
  guint32 n_children;
  guint32 depth;        /* in folded bytes */
  guint32 level;        /* dictionary links down to the root */
  guint32 jump;         /* a state further down them, for skipping */
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
  Node *end;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (place < NONE);

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

  folded_clear (&folded);

  /* Where two places share a name, the lower wins every tie. */
  end = &g_array_index (self->nodes, Node, node);
  end->place = MIN (end->place, place);

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

      state->place = node->place;
      state->fail = ROOT;
      state->dict = NONE;
      state->first_child = next_id;
      state->n_children = edges->len;

      for (guint i = 0; i < edges->len; i++)
        {
          const Edge *edge = &g_array_index (edges, Edge, i);

          order[next_id] = edge->target;
          self->labels[next_id] = edge->byte;
          self->states[next_id].depth = state->depth + 1;
          next_id++;
        }
    }

  g_assert (next_id == n);

  memset (self->root_goto, 0xff, sizeof self->root_goto);
  for (guint i = 0; i < self->states[ROOT].n_children; i++)
    self->root_goto[self->labels[1 + i]] = 1 + i;
}

static inline guint32
dict_parent (const StoryLinker *self,
             guint32            s)
{
  return self->states[s].dict != NONE ? self->states[s].dict : ROOT;
}

/* The dictionary links make a tree, the root at its root. Jump pointers
 * (E. W. Myers, 1983) over it find the first state down the links from any
 * state that is at most so deep in O(log n) steps, where following the links
 * one by one could take as many steps as there are names ending there. */
static void
link_jumps (StoryLinker *self)
{
  State *states = self->states;

  states[ROOT].level = 0;
  states[ROOT].jump = ROOT;

  /* A state's dictionary link is shallower, so numbered before it. */
  for (guint32 s = 1; s < self->nodes->len; s++)
    {
      guint32 p = dict_parent (self, s);
      guint32 j = states[p].jump;

      states[s].level = states[p].level + 1;
      if (states[p].level - states[j].level == states[j].level - states[states[j].jump].level)
        states[s].jump = states[j].jump;
      else
        states[s].jump = p;
    }
}

/* The first of @s and the states down its dictionary links that is at most
 * @max_depth deep; NONE if only the root is. */
static guint32
skip_to_depth (const StoryLinker *self,
               guint32            s,
               guint32            max_depth)
{
  const State *states = self->states;

  while (states[s].depth > max_depth)
    s = states[states[s].jump].depth > max_depth ? states[s].jump : dict_parent (self, s);

  return s != ROOT ? s : NONE;
}

/* Whether a character of the folded text certainly comes from a letter or
 * digit of the original. Folding maps letters and digits to letters and
 * digits, and a scan of every code point with GLib 2.74 (Unicode 15) finds
 * one character whose folding ends in a letter though it is none:
 * U+0345 COMBINING GREEK YPOGEGRAMMENI, a mark, folds to ι. A folded ι may
 * therefore follow a mark in the original. */
static gboolean
is_folded_word_char (gunichar c)
{
  return c != 0x3B9 && g_unichar_isalnum (c);
}

/* Whether the string of state @s ends with a whole character that is
 * certainly a letter or digit; @parents maps states to their parents. */
static gboolean
ends_in_word_char (const StoryLinker *self,
                   const guint32     *parents,
                   guint32            s)
{
  char bytes[4];
  guint n = 0;
  gunichar c;

  /* Back from the last byte to the first of its character. */
  for (; s != ROOT && n < sizeof bytes; s = parents[s])
    {
      bytes[sizeof bytes - ++n] = self->labels[s];
      if ((self->labels[s] & 0xc0) != 0x80)
        break;
    }

  c = g_utf8_get_char_validated (bytes + sizeof bytes - n, n);
  return c < 0x110000 && is_folded_word_char (c);
}

/* Links state @c, the child of @s along its label, to its failure state
 * and to the next state down the failure links whose match could count.
 *
 * For a state t and its failure state u, u's string is a suffix of t's
 * that starts on a character, and the character before it in t's string is
 * the folded character before any match of u's name reached from t. If it
 * is certainly a letter or digit (word_before[t]), such a match starts
 * inside a word of the original: either inside the folding of one
 * character, or after a letter or digit. Where t goes on to u, the
 * characters before the states further down are known from u in turn, so
 * t's dictionary link passes over u in that case and then follows u's. */
static void
link_child (StoryLinker   *self,
            guint32        s,
            guint32        c,
            const guint8  *ends_word,
            guint8        *word_before)
{
  State *states = self->states;
  State *t = &states[c];
  guint8 byte = self->labels[c];
  guint32 f = states[s].fail, before = s, target = NONE;

  if (s != ROOT)
    {
      /* before is the state whose failure link is f. */
      while (f != ROOT && goto_child (self, f, byte) == NONE)
        {
          before = f;
          f = states[f].fail;
        }
      target = goto_child (self, f, byte);
    }

  t->fail = (target != NONE && target != c) ? target : ROOT;
  t->dict = NONE;
  if (t->fail == ROOT)
    return;

  /* The failure state is f's child: the character before it in c's string
   * is the one before f in s's, or the last of s's if f is the root. */
  word_before[c] = f != ROOT ? word_before[before] : ends_word[s];
  if (states[t->fail].place != NONE && !word_before[c])
    t->dict = t->fail;
  else
    t->dict = states[t->fail].dict;
}

/* Breadth-first pass computing failure and dictionary links. */
static void
build (StoryLinker *self)
{
  guint n;
  g_autofree guint32 *parents = NULL;
  g_autofree guint8 *ends_word = NULL;
  g_autofree guint8 *word_before = NULL;

  lay_out_states (self);
  n = self->nodes->len;
  parents = g_new0 (guint32, n);
  ends_word = g_new0 (guint8, n);
  word_before = g_new0 (guint8, n);

  /* States are numbered breadth first, so a state's failure link (always
   * shallower) is final before its children need it. */
  for (guint32 s = 0; s < n; s++)
    {
      const State *state = &self->states[s];

      for (guint32 c = state->first_child; c < state->first_child + state->n_children; c++)
        {
          parents[c] = s;
          ends_word[c] = ends_in_word_char (self, parents, c);
          link_child (self, s, c, ends_word, word_before);
        }
    }

  link_jumps (self);
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

/* One end of a match in the text, with the longest match ending there that
 * could still be kept. Shorter matches ending at the same place are further
 * down the dictionary links of its state. */
typedef struct
{
  guint32 state;        /* a state with a place */
  guint32 fend;         /* the end in the folded text */
  guint32 start;        /* offsets in the original text */
  guint32 end;
  guint32 next;         /* the next slot in its bucket, or NONE */
} Slot;

typedef struct
{
  const StoryLinker *linker;
  const char        *text;
  const guint32     *offsets;   /* folded byte → original offset */
  GArray            *slots;     /* Slot */
  guint32            max_len;   /* of the matches of the slots */
  guint32           *buckets;   /* length → its first slot waiting, or NONE */
  guint32           *owner;     /* original byte → the slot kept there */
} Finder;

/* Whether a match may start at @fstart of the folded text: between two
 * characters of the original, and not after a letter or digit. */
static gboolean
is_start (const Finder *finder,
          gsize         fstart)
{
  if (fstart > 0 && finder->offsets[fstart] == finder->offsets[fstart - 1])
    return FALSE;

  return !is_word_char_before (finder->text, finder->offsets[fstart]);
}

/* From state @s (if it has a place) on down its dictionary links, the
 * first state at most @max_depth deep whose match ending at @fend may start
 * where it starts; NONE if there is none. The links have passed over the
 * matches that certainly start inside a word; the others are checked here. */
static guint32
next_match (const Finder *finder,
            guint32       s,
            guint32       fend,
            guint32       max_depth)
{
  const State *states = finder->linker->states;

  if (s == NONE)
    return NONE;

  s = skip_to_depth (finder->linker, s, max_depth);
  if (s != NONE && states[s].place == NONE)
    s = states[s].dict;

  for (; s != NONE; s = states[s].dict)
    if (is_start (finder, fend - states[s].depth))
      return s;

  return NONE;
}

static void
slot_set (const Finder *finder,
          Slot         *slot,
          guint32       s)
{
  slot->state = s;
  slot->start = finder->offsets[slot->fend - finder->linker->states[s].depth];
}

/* Puts slot @i in the bucket of the length of its match. */
static void
bucket_push (Finder  *finder,
             guint32  i)
{
  Slot *slot = &g_array_index (finder->slots, Slot, i);
  guint32 len = slot->end - slot->start;

  slot->next = finder->buckets[len];
  finder->buckets[len] = i;
}

static int
compare_slot_starts (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  const Slot *slots = user_data;
  guint32 start_a = slots[*(const guint32 *)a].start;
  guint32 start_b = slots[*(const guint32 *)b].start;

  return start_a < start_b ? -1 : start_a > start_b;
}

/* Empties the bucket of matches @len bytes long into @out, earliest first.
 * Slots come into it in text order, which is that order, unless they were
 * moved there from a longer match; only then is the bucket sorted. */
static void
bucket_take (Finder  *finder,
             guint32  len,
             GArray  *out)
{
  const Slot *slots = (const Slot *)(gpointer)finder->slots->data;
  gboolean sorted = TRUE;

  g_array_set_size (out, 0);
  for (guint32 i = finder->buckets[len]; i != NONE; i = slots[i].next)
    {
      if (out->len > 0 && slots[g_array_index (out, guint32, out->len - 1)].start > slots[i].start)
        sorted = FALSE;
      g_array_append_val (out, i);
    }
  finder->buckets[len] = NONE;

  if (!sorted)
    g_array_sort_with_data (out, compare_slot_starts, finder->slots->data);
}

/* Keeps the match of slot @i if it overlaps none kept; if one kept covers
 * only its start, moves the slot to the next shorter match ending where it
 * ends that starts after the one kept, if there is one. */
static void
try_slot (Finder  *finder,
          guint32  i)
{
  Slot *slot = &g_array_index (finder->slots, Slot, i);
  const Slot *before;
  guint32 next;

  /* Every match ending here overlaps it. */
  if (finder->owner[slot->end - 1] != NONE)
    return;

  if (finder->owner[slot->start] == NONE)
    {
      for (guint32 b = slot->start; b < slot->end; b++)
        finder->owner[b] = i;
      return;
    }

  before = &g_array_index (finder->slots, Slot, finder->owner[slot->start]);
  next = next_match (finder, finder->linker->states[slot->state].dict, slot->fend,
                     slot->fend - before->fend);
  if (next != NONE)
    {
      slot_set (finder, slot, next);
      bucket_push (finder, i);
    }
}

/* Keeps the longest of overlapping matches, trying the longest first, and
 * of those as long, the earliest. Lengths are at most the longest match
 * found, so buckets by length order them without a heap.
 *
 * Every match kept before is at least as long as the one tried, so one
 * that overlaps it either covers its last byte or covers its first: two
 * look-ups tell whether it is free, and which kept match is in the way.
 * A slot moved to a shorter match goes into a bucket not yet emptied. */
static void
resolve_overlaps (Finder *finder)
{
  g_autoptr(GArray) bucket = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint32 i = finder->slots->len; i-- > 0;)
    bucket_push (finder, i);

  for (guint32 len = finder->max_len; len > 0; len--)
    {
      bucket_take (finder, len, bucket);
      for (guint k = 0; k < bucket->len; k++)
        try_slot (finder, g_array_index (bucket, guint32, k));
    }
}

/* Runs the automaton over the folded text, keeping for every end of a word
 * the longest match that ends there. */
static void
collect_slots (Finder       *finder,
               const Folded *folded)
{
  const StoryLinker *self = finder->linker;
  const State *states = self->states;
  guint32 node = ROOT;

  for (gsize i = 0; i < folded->len; i++)
    {
      guint8 byte = folded->str[i];
      guint32 next, fend = i + 1;
      Slot slot;

      while ((next = goto_child (self, node, byte)) == NONE && node != ROOT)
        node = states[node].fail;

      node = next != NONE ? next : ROOT;

      if (states[node].place == NONE && states[node].dict == NONE)
        continue;

      /* The end must fall between characters, and not before a letter. */
      if (finder->offsets[fend] == finder->offsets[fend - 1] ||
          is_word_char_at (finder->text, finder->offsets[fend]))
        continue;

      next = next_match (finder, node, fend, G_MAXUINT32);
      if (next == NONE)
        continue;

      slot.fend = fend;
      slot.end = finder->offsets[fend];
      slot.next = NONE;
      slot_set (finder, &slot, next);
      finder->max_len = MAX (finder->max_len, slot.end - slot.start);
      g_array_append_val (finder->slots, slot);
    }
}

/* The kept matches; slots are in the order of their ends, so in text order. */
static GArray *
kept_mentions (const Finder *finder)
{
  GArray *mentions = g_array_new (FALSE, FALSE, sizeof (StoryMention));

  for (guint i = 0; i < finder->slots->len; i++)
    {
      const Slot *slot = &g_array_index (finder->slots, Slot, i);
      StoryMention m = { slot->start, slot->end, finder->linker->states[slot->state].place };

      if (finder->owner[slot->start] == i)
        g_array_append_val (mentions, m);
    }

  return mentions;
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
  g_autoptr(GArray) slots = NULL;
  g_autofree guint32 *buckets = NULL;
  g_autofree guint32 *owner = NULL;
  Folded folded;
  Finder finder;
  gsize len;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (self->n_patterns == 0)
    return g_array_new (FALSE, FALSE, sizeof (StoryMention));

  if (!self->built)
    build (self);

  fold_text (self, text, TRUE, &folded);
  slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  finder = (Finder) { self, text, folded.map, slots, 0, NULL, NULL };

  collect_slots (&finder, &folded);
  if (slots->len > 0)
    {
      len = folded.map[folded.len];
      owner = g_new (guint32, len);
      memset (owner, 0xff, len * sizeof (guint32));
      buckets = g_new (guint32, finder.max_len + 1);
      memset (buckets, 0xff, (finder.max_len + 1) * sizeof (guint32));
      finder.owner = owner;
      finder.buckets = buckets;
      resolve_overlaps (&finder);
    }
  folded_clear (&folded);

  return kept_mentions (&finder);
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
