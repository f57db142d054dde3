/* tess-groupby.c: tess_frame_group_by and the names of aggregations.
 *
 * The group-by engine on its own: open-addressing tables that give each row a
 * group id (a generic one over any keys, and a faster one for a single int64
 * or timestamp key without nulls), accumulators fed a chunk of rows at a time,
 * and the finishing step that orders groups by their keys. Its loops are the
 * hot path of the group-by benchmark.
 *
 * A filter right before a group-by need not copy the rows it keeps:
 * tess_frame_filter_group_by() evaluates it a chunk at a time and groups the
 * rows it keeps where they are, in the same order, so the result is the same.
 */
#include "tess-transform.h"

#include "tess-transform-private.h"
#include "tess-tasks-private.h"

#include <string.h>

/* Grouping by row keys */

typedef struct
{
  TessColumn **keys;
  guint n_keys;
  /* open addressing: slot -> group + 1 */
  guint32 *slots;
  gsize mask;
  guint64 *hashes; /* per group */
  gsize *firsts;   /* per group: the first row */
  gsize n_groups;
  gsize alloc;
} RowTable;

static void
row_table_init (RowTable *t, TessColumn **keys, guint n_keys)
{
  memset (t, 0, sizeof *t);
  t->keys = keys;
  t->n_keys = n_keys;
  t->mask = 1023;
  t->slots = g_new0 (guint32, t->mask + 1);
}

static void
row_table_clear (RowTable *t)
{
  g_free (t->slots);
  g_free (t->hashes);
  g_free (t->firsts);
}

static void
row_table_grow (RowTable *t)
{
  gsize size = (t->mask + 1) * 2;
  g_free (t->slots);
  t->slots = g_new0 (guint32, size);
  t->mask = size - 1;
  for (gsize g = 0; g < t->n_groups; g++)
    {
      gsize s = t->hashes[g] & t->mask;
      while (t->slots[s])
        s = (s + 1) & t->mask;
      t->slots[s] = (guint32) (g + 1);
    }
}

static gsize
row_table_add (RowTable *t, gsize row, guint64 h, gsize s)
{
  if (t->n_groups == t->alloc)
    {
      t->alloc = MAX (t->alloc * 2, 64);
      t->hashes = g_renew (guint64, t->hashes, t->alloc);
      t->firsts = g_renew (gsize, t->firsts, t->alloc);
    }
  t->hashes[t->n_groups] = h;
  t->firsts[t->n_groups] = row;
  t->slots[s] = (guint32) (t->n_groups + 1);
  t->n_groups++;
  if (t->n_groups * 2 > t->mask)
    row_table_grow (t);
  return t->n_groups - 1;
}

/* The group of @row, made when new. */
static gsize
row_table_group (RowTable *t, gsize row)
{
  guint64 h = row_hash (t->keys, t->n_keys, row);
  gsize s = h & t->mask;

  for (;;)
    {
      guint32 g = t->slots[s];
      if (g == 0)
        break;
      if (t->hashes[g - 1] == h && rows_equal (t->keys, t->firsts[g - 1], t->keys, row, t->n_keys))
        return g - 1;
      s = (s + 1) & t->mask;
    }
  return row_table_add (t, row, h, s);
}

/* The same for a single string key, with the hashing and comparing inline. */
static gsize
row_table_group_string (RowTable *t, gsize row)
{
  const TessColumn *c = t->keys[0];
  const char *str = tess_column_valid (c, row) ? tess_column_string_at (c, row) : NULL;
  guint64 h = 0xcbf29ce484222325ULL;
  gsize s;

  if (str)
    for (const guchar *p = (const guchar *) str; *p; p++)
      h = (h ^ *p) * 0x100000001b3ULL;
  else
    h = 0x9e3779b97f4a7c15ULL;
  h ^= h >> 29;
  s = h & t->mask;
  for (;;)
    {
      guint32 g = t->slots[s];
      if (g == 0)
        break;
      if (t->hashes[g - 1] == h)
        {
          gsize other = t->firsts[g - 1];
          gboolean other_valid = tess_column_valid (c, other);
          if (str ? other_valid && strcmp (str, tess_column_string_at (c, other)) == 0 : !other_valid)
            return g - 1;
        }
      s = (s + 1) & t->mask;
    }
  return row_table_add (t, row, h, s);
}

/* Group ids for a single int64-like key without nulls: the hot path of the
 * benchmark (10 M rows) avoids the generic row hashing. */
typedef struct
{
  gint64 *keys;
  gsize *firsts;
  guint32 *slots;
  gsize mask;
  gsize n_groups;
  gsize alloc;
  /* keys within a small range index this directly: no hashing, no probing */
  guint32 *direct;
  gint64 min;
} IntTable;

/* A table for keys from @lo to @hi (any, when @n is 0) in @n rows. */
static void
int_table_init (IntTable *t, gint64 lo, gint64 hi, gsize n)
{
  t->direct = NULL;
  if (n > 0 && (guint64) hi - (guint64) lo < MIN ((guint64) 4 * 1024 * 1024, 2 * (guint64) n + 65536))
    {
      t->min = lo;
      t->direct = g_new0 (guint32, (guint64) hi - (guint64) lo + 1);
    }
  t->mask = 1023;
  t->alloc = 64;
  t->n_groups = 0;
  t->keys = g_new (gint64, t->alloc);
  t->firsts = g_new (gsize, t->alloc);
  t->slots = g_new0 (guint32, t->mask + 1);
}

static void
int_table_clear (IntTable *t)
{
  g_free (t->direct);
  g_free (t->keys);
  g_free (t->firsts);
  g_free (t->slots);
}

static inline gsize
int_slot (gint64 v, gsize mask)
{
  guint64 h = (guint64) v * 0x9e3779b97f4a7c15ULL;
  return (h ^ (h >> 32)) & mask;
}

static void
int_table_grow (IntTable *t)
{
  gsize size = (t->mask + 1) * 2;
  g_free (t->slots);
  t->slots = g_new0 (guint32, size);
  t->mask = size - 1;
  for (gsize k = 0; k < t->n_groups; k++)
    {
      gsize sk = int_slot (t->keys[k], t->mask);
      while (t->slots[sk])
        sk = (sk + 1) & t->mask;
      t->slots[sk] = (guint32) (k + 1);
    }
}

/* The group of key @v, first seen at row @r; made when new. Hashed (not
 * direct) tables only. */
static inline guint32
int_table_group (IntTable *t, gint64 v, gsize r)
{
  gsize s = int_slot (v, t->mask);
  guint32 g;

  while ((g = t->slots[s]) && t->keys[g - 1] != v)
    s = (s + 1) & t->mask;
  if G_UNLIKELY (g == 0)
    {
      if (t->n_groups == t->alloc)
        {
          t->alloc *= 2;
          t->keys = g_renew (gint64, t->keys, t->alloc);
          t->firsts = g_renew (gsize, t->firsts, t->alloc);
        }
      t->keys[t->n_groups] = v;
      t->firsts[t->n_groups] = r;
      g = t->slots[s] = (guint32) ++t->n_groups;
      if (t->n_groups * 2 > t->mask)
        int_table_grow (t);
    }
  return g - 1;
}

#define GROUP_CHUNK 4096

/* The rows of a chunk: @rows[i], or @start + i when @rows is NULL (every row
 * of the chunk, in order). */
#define CHUNK_ROW(rows, start, i) ((rows) ? (rows)[i] : (start) + (i))

static void
int_table_chunk (IntTable *t, const gint64 *values, gsize start, const gsize *rows, gsize len, guint32 *gids)
{
  if (t->direct)
    {
      for (gsize i = 0; i < len; i++)
        {
          gsize r = CHUNK_ROW (rows, start, i);
          guint32 *slot = &t->direct[(guint64) values[r] - (guint64) t->min];
          if G_UNLIKELY (*slot == 0)
            {
              if (t->n_groups == t->alloc)
                {
                  t->alloc *= 2;
                  t->keys = g_renew (gint64, t->keys, t->alloc);
                  t->firsts = g_renew (gsize, t->firsts, t->alloc);
                }
              t->keys[t->n_groups] = values[r];
              t->firsts[t->n_groups] = r;
              *slot = (guint32) ++t->n_groups;
            }
          gids[i] = *slot - 1;
        }
      return;
    }
  for (gsize i = 0; i < len; i++)
    {
      gsize r = CHUNK_ROW (rows, start, i);
      gids[i] = int_table_group (t, values[r], r);
    }
}

/* Codes for the values of a text key whose text is short, as in a column of
 * a few names that the readers keep once each: equal texts get equal codes
 * (1, 2, ... in order of appearance) and nulls 0. A row's code is found by
 * the offset of its text, so most rows cost one probe of a small table and
 * no string hashing or comparing; a text seen at a new offset is looked up
 * by its bytes, once. Rows keyed by up to three such columns make one
 * integer key for an IntTable. */
#define CODE_BITS 20
#define MAX_CODED_KEYS 3

typedef struct
{
  const TessColumn *column;
  guint32 *offsets; /* open addressing: offset + 1, 0 for an empty slot */
  guint32 *codes;   /* the code of the text at each slot's offset */
  gsize mask;
  gsize n_offsets;
  GHashTable *by_text; /* text (the column's own) -> code */
  /* a column of little text: the code at each offset (0: not seen yet),
   * instead of the table above */
  guint32 *by_offset;
  gsize bound; /* with by_offset: codes are below this */
} StringCodes;

/* Text up to this many bytes is coded by offset directly. */
#define DIRECT_CODE_BYTES (64 * 1024)

/* Whether @column's values can be coded in CODE_BITS bits: it has fewer
 * bytes of text than that, so fewer distinct texts and offsets. */
static gboolean
string_codes_fit (const TessColumn *column)
{
  return column->type == TESS_COLUMN_STRING && !column->wide && column->strings != NULL &&
         g_bytes_get_size (column->strings) < (1u << CODE_BITS) - 1;
}

static void
string_codes_init (StringCodes *sc, const TessColumn *column)
{
  gsize bytes = g_bytes_get_size (column->strings);

  sc->by_offset = NULL;
  sc->bound = 0;
  if (bytes <= DIRECT_CODE_BYTES)
    {
      /* every text kept ends in a NUL: no more distinct texts than NULs,
       * and codes from 1 (0 is null) */
      sc->by_offset = g_new0 (guint32, bytes + 1);
      for (gsize i = 0; i < bytes; i++)
        sc->bound += column->chars[i] == '\0';
      sc->bound += 1;
    }
  sc->column = column;
  sc->mask = 255;
  sc->n_offsets = 0;
  sc->offsets = g_new0 (guint32, sc->mask + 1);
  sc->codes = g_new (guint32, sc->mask + 1);
  sc->by_text = g_hash_table_new (g_str_hash, g_str_equal);
}

static void
string_codes_clear (StringCodes *sc)
{
  g_free (sc->by_offset);
  g_free (sc->offsets);
  g_free (sc->codes);
  g_clear_pointer (&sc->by_text, g_hash_table_unref);
}

static inline gsize
offset_slot (guint32 offset, gsize mask)
{
  return ((offset + 1) * 0x9e3779b1u >> 7) & mask;
}

static void
string_codes_grow (StringCodes *sc)
{
  gsize size = (sc->mask + 1) * 2;
  g_autofree guint32 *offsets = sc->offsets;
  g_autofree guint32 *codes = sc->codes;
  gsize old_size = sc->mask + 1;

  sc->offsets = g_new0 (guint32, size);
  sc->codes = g_new (guint32, size);
  sc->mask = size - 1;
  for (gsize i = 0; i < old_size; i++)
    if (offsets[i])
      {
        gsize s = offset_slot (offsets[i] - 1, sc->mask);
        while (sc->offsets[s])
          s = (s + 1) & sc->mask;
        sc->offsets[s] = offsets[i];
        sc->codes[s] = codes[i];
      }
}

/* The code of the text at @offset, by its bytes: a new one when new. */
static guint32
text_code (StringCodes *sc, guint32 offset)
{
  const char *text = sc->column->chars + offset;
  gpointer found;
  guint32 code;

  if (g_hash_table_lookup_extended (sc->by_text, text, NULL, &found))
    return GPOINTER_TO_UINT (found);
  code = g_hash_table_size (sc->by_text) + 1;
  g_hash_table_insert (sc->by_text, (gpointer) text, GUINT_TO_POINTER (code));
  return code;
}

/* The code of the text at @offset, first seen at that offset; @s is the
 * empty slot its probe ended on. */
static guint32
string_codes_add (StringCodes *sc, guint32 offset, gsize s)
{
  guint32 code = text_code (sc, offset);

  sc->offsets[s] = offset + 1;
  sc->codes[s] = code;
  if (++sc->n_offsets * 2 > sc->mask)
    string_codes_grow (sc);
  return code;
}

static inline guint32
string_code (StringCodes *sc, gsize row)
{
  const TessColumn *c = sc->column;
  guint32 offset;
  gsize s;

  if (!tess_column_valid (c, row))
    return 0;
  offset = ((const guint32 *) c->data)[row];
  if (sc->by_offset)
    return G_LIKELY (sc->by_offset[offset]) ? sc->by_offset[offset] : (sc->by_offset[offset] = text_code (sc, offset));
  s = offset_slot (offset, sc->mask);
  for (;;)
    {
      guint32 stored = sc->offsets[s];
      if (stored == offset + 1)
        return sc->codes[s];
      if (stored == 0)
        return string_codes_add (sc, offset, s);
      s = (s + 1) & sc->mask;
    }
}

/* The group ids of rows: the table that suits the keys. */
typedef struct
{
  TessColumn **keys;
  guint n_keys;
  gboolean int_key;    /* a single int64-like key without nulls: itable */
  gboolean coded;      /* one to MAX_CODED_KEYS short text keys, coded into itable */
  gboolean string_key; /* else a single text key: rtable */
  StringCodes codes[MAX_CODED_KEYS];
  /* coded keys whose codes make fewer than DIRECT_GROUPS combinations: the
   * group + 1 of each (0: none yet), the combination its itable key */
  guint32 *code_groups;
  IntTable itable;
  RowTable rtable;
} GroupTable;

#define DIRECT_GROUPS (256 * 1024)

/* The range of an int64 key's values, for its table. */
static void
int_key_range (const TessColumn *key, gint64 *lo, gint64 *hi)
{
  const gint64 *values = key->data;
  gsize n = key->length;

  *lo = G_MAXINT64;
  *hi = G_MININT64;
  for (gsize r = 0; r < n; r++)
    {
      *lo = MIN (*lo, values[r]);
      *hi = MAX (*hi, values[r]);
    }
}

static gboolean
is_int_key (TessColumn **keys, guint n_keys)
{
  return n_keys == 1 && keys[0]->bits == NULL &&
         (keys[0]->type == TESS_COLUMN_INT64 || keys[0]->type == TESS_COLUMN_TIMESTAMP);
}

/* @lo and @hi: int_key_range() of an int64 key (else unused). */
static void
group_table_init (GroupTable *gt, TessColumn **keys, guint n_keys, gint64 lo, gint64 hi)
{
  memset (gt, 0, sizeof *gt);
  gt->keys = keys;
  gt->n_keys = n_keys;
  gt->int_key = is_int_key (keys, n_keys);
  gt->string_key = n_keys == 1 && keys[0]->type == TESS_COLUMN_STRING;
  gt->coded = !gt->int_key && n_keys >= 1 && n_keys <= MAX_CODED_KEYS;
  for (guint k = 0; k < n_keys && gt->coded; k++)
    gt->coded = string_codes_fit (keys[k]);
  if (gt->int_key)
    int_table_init (&gt->itable, lo, hi, keys[0]->length);
  else if (gt->coded)
    {
      /* hashed: the codes' range is not known before they are all seen */
      gsize combinations = 1;

      int_table_init (&gt->itable, 0, 0, 0);
      for (guint k = 0; k < n_keys; k++)
        {
          string_codes_init (&gt->codes[k], keys[k]);
          combinations = gt->codes[k].by_offset && combinations <= DIRECT_GROUPS ? combinations * gt->codes[k].bound
                                                                                 : DIRECT_GROUPS + 1;
        }
      if (combinations <= DIRECT_GROUPS)
        gt->code_groups = g_new0 (guint32, combinations);
    }
  else
    row_table_init (&gt->rtable, keys, n_keys);
}

static void
group_table_clear (GroupTable *gt)
{
  if (gt->int_key || gt->coded)
    int_table_clear (&gt->itable);
  else
    row_table_clear (&gt->rtable);
  if (gt->coded)
    for (guint k = 0; k < gt->n_keys; k++)
      string_codes_clear (&gt->codes[k]);
  g_free (gt->code_groups);
}

static gsize
group_table_n_groups (const GroupTable *gt)
{
  return gt->int_key || gt->coded ? gt->itable.n_groups : gt->rtable.n_groups;
}

/* Per group, in order of first appearance: the first row. */
static const gsize *
group_table_firsts (const GroupTable *gt)
{
  return gt->int_key || gt->coded ? gt->itable.firsts : gt->rtable.firsts;
}

/* The group ids of a chunk's rows (CHUNK_ROW), into @gids. */
static void
group_table_chunk (GroupTable *gt, gsize start, const gsize *rows, gsize len, guint32 *gids)
{
  if (gt->code_groups)
    for (gsize i = 0; i < len; i++)
      {
        gsize r = CHUNK_ROW (rows, start, i);
        gsize v = 0;
        guint32 *slot;
        for (guint k = 0; k < gt->n_keys; k++)
          v = v * gt->codes[k].bound + string_code (&gt->codes[k], r);
        slot = &gt->code_groups[v];
        if G_UNLIKELY (*slot == 0)
          *slot = int_table_group (&gt->itable, (gint64) v, r) + 1;
        gids[i] = *slot - 1;
      }
  else if (gt->coded)
    for (gsize i = 0; i < len; i++)
      {
        gsize r = CHUNK_ROW (rows, start, i);
        gint64 v = 0;
        for (guint k = 0; k < gt->n_keys; k++)
          v = (v << CODE_BITS) | string_code (&gt->codes[k], r);
        gids[i] = int_table_group (&gt->itable, v, r);
      }
  else if (gt->int_key)
    int_table_chunk (&gt->itable, gt->keys[0]->data, start, rows, len, gids);
  else if (gt->string_key)
    for (gsize i = 0; i < len; i++)
      gids[i] = (guint32) row_table_group_string (&gt->rtable, CHUNK_ROW (rows, start, i));
  else
    for (gsize i = 0; i < len; i++)
      gids[i] = (guint32) row_table_group (&gt->rtable, CHUNK_ROW (rows, start, i));
}

const char *
tess_aggregate_op_to_string (TessAggregateOp op)
{
  static const char *const names[] = { "count", "sum", "mean", "min", "max", "median", "distinct" };
  g_return_val_if_fail (op <= TESS_AGGREGATE_DISTINCT, NULL);
  return names[op];
}

gboolean
tess_aggregate_op_from_string (const char *name, TessAggregateOp *op)
{
  g_return_val_if_fail (name != NULL, FALSE);
  for (int i = 0; i <= TESS_AGGREGATE_DISTINCT; i++)
    if (g_str_equal (name, tess_aggregate_op_to_string (i)))
      {
        *op = i;
        return TRUE;
      }
  return FALSE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static int
compare_value_rows (gconstpointer a, gconstpointer b, gpointer data)
{
  const TessColumn *c = data;
  return tess_column_compare_rows (c, *(const gsize *) a, c, *(const gsize *) b);
}

/* Running state of one aggregation, per group in order of first appearance;
 * fed a chunk of rows at a time. */
typedef struct
{
  const TessAggregation *agg;
  TessColumn *column;
  gint64 *counts;
  double *dsums;
  gint64 *isums;
  gsize *best;
  gsize cap;
} Acc;

static void
acc_reserve (Acc *a, gsize n_groups)
{
  gsize old = a->cap;

  if (n_groups <= old)
    return;
  a->cap = MAX (n_groups, old * 2);
  a->counts = g_renew (gint64, a->counts, a->cap);
  a->dsums = g_renew (double, a->dsums, a->cap);
  a->isums = g_renew (gint64, a->isums, a->cap);
  a->best = g_renew (gsize, a->best, a->cap);
  for (gsize g = old; g < a->cap; g++)
    {
      a->counts[g] = 0;
      a->dsums[g] = 0;
      a->isums[g] = 0;
      a->best[g] = G_MAXSIZE;
    }
}

static void
acc_clear (Acc *a)
{
  g_free (a->counts);
  g_free (a->dsums);
  g_free (a->isums);
  g_free (a->best);
}

static void
acc_chunk (Acc *a, const guint32 *gids, gsize start, const gsize *rows, gsize len)
{
  TessColumn *c = a->column;

  switch (a->agg->op)
    {
    case TESS_AGGREGATE_COUNT:
      for (gsize i = 0; i < len; i++)
        if (c == NULL || tess_column_valid (c, CHUNK_ROW (rows, start, i)))
          a->counts[gids[i]]++;
      break;
    case TESS_AGGREGATE_SUM:
    case TESS_AGGREGATE_MEAN:
      if (c->type == TESS_COLUMN_DOUBLE && c->bits == NULL)
        {
          const double *v = c->data;
          for (gsize i = 0; i < len; i++)
            {
              a->dsums[gids[i]] += v[CHUNK_ROW (rows, start, i)];
              a->counts[gids[i]]++;
            }
        }
      else if (c->type == TESS_COLUMN_DOUBLE || a->agg->op == TESS_AGGREGATE_MEAN)
        {
          for (gsize i = 0; i < len; i++)
            {
              gsize r = CHUNK_ROW (rows, start, i);
              if (tess_column_valid (c, r))
                {
                  a->dsums[gids[i]] += tess_column_get_double (c, r);
                  a->counts[gids[i]]++;
                }
            }
        }
      else
        for (gsize i = 0; i < len; i++)
          {
            gsize r = CHUNK_ROW (rows, start, i);
            if (tess_column_valid (c, r))
              {
                a->isums[gids[i]] += tess_column_get_int64 (c, r);
                a->counts[gids[i]]++;
              }
          }
      break;
    case TESS_AGGREGATE_MIN:
    case TESS_AGGREGATE_MAX:
      {
        int sign = a->agg->op == TESS_AGGREGATE_MIN ? 1 : -1;
        for (gsize i = 0; i < len; i++)
          {
            gsize r = CHUNK_ROW (rows, start, i), *best = &a->best[gids[i]];
            if (tess_column_valid (c, r) &&
                (*best == G_MAXSIZE || sign * tess_column_compare_rows (c, r, c, *best) < 0))
              *best = r;
          }
      }
      break;
    default:
      break; /* median and distinct work on whole groups */
    }
}

/* The result column of @a, groups in sorted order (@group_order[i] is the
 * group at position i). */
static TessColumn *
acc_finish (Acc *a,
            const char *name,
            const gsize *group_order,
            gsize n_groups,
            const guint32 *gids,
            gsize n,
            const gsize *order,
            const gsize *starts)
{
  TessColumn *c = a->column;
  TessColumnBuilder *b;

  switch (a->agg->op)
    {
    case TESS_AGGREGATE_COUNT:
      b = tess_column_builder_new (name, TESS_COLUMN_INT64, n_groups);
      for (gsize i = 0; i < n_groups; i++)
        tess_column_builder_append_int64 (b, a->counts[group_order[i]]);
      return tess_column_builder_finish (b);
    case TESS_AGGREGATE_SUM:
      if (c->type == TESS_COLUMN_DOUBLE)
        {
          b = tess_column_builder_new (name, TESS_COLUMN_DOUBLE, n_groups);
          for (gsize i = 0; i < n_groups; i++)
            tess_column_builder_append_double (b, a->dsums[group_order[i]]);
        }
      else
        {
          b = tess_column_builder_new (name, TESS_COLUMN_INT64, n_groups);
          for (gsize i = 0; i < n_groups; i++)
            tess_column_builder_append_int64 (b, a->isums[group_order[i]]);
        }
      return tess_column_builder_finish (b);
    case TESS_AGGREGATE_MEAN:
      b = tess_column_builder_new (name, TESS_COLUMN_DOUBLE, n_groups);
      for (gsize i = 0; i < n_groups; i++)
        {
          gsize g = group_order[i];
          if (a->counts[g])
            tess_column_builder_append_double (b, a->dsums[g] / a->counts[g]);
          else
            tess_column_builder_append_null (b);
        }
      return tess_column_builder_finish (b);
    case TESS_AGGREGATE_MIN:
    case TESS_AGGREGATE_MAX:
      {
        g_autofree gsize *rows = g_new (gsize, MAX (n_groups, 1));
        for (gsize i = 0; i < n_groups; i++)
          rows[i] = a->best[group_order[i]];
        return tess_column_take (c, rows, n_groups, name);
      }
    case TESS_AGGREGATE_MEDIAN:
      {
        g_autofree double *values = g_new (double, MAX (n, 1));
        b = tess_column_builder_new (name, TESS_COLUMN_DOUBLE, n_groups);
        for (gsize i = 0; i < n_groups; i++)
          {
            gsize g = group_order[i], count = 0;
            for (gsize k = starts[g]; k < starts[g + 1]; k++)
              if (tess_column_valid (c, order[k]))
                values[count++] = tess_column_get_double (c, order[k]);
            if (count == 0)
              {
                tess_column_builder_append_null (b);
                continue;
              }
            qsort (values, count, sizeof (double), compare_doubles);
            tess_column_builder_append_double (b, count % 2 ? values[count / 2]
                                                            : (values[count / 2 - 1] + values[count / 2]) / 2);
          }
        return tess_column_builder_finish (b);
      }
    case TESS_AGGREGATE_DISTINCT:
      {
        g_autofree gsize *rows = g_new (gsize, MAX (n, 1));
        b = tess_column_builder_new (name, TESS_COLUMN_INT64, n_groups);
        for (gsize i = 0; i < n_groups; i++)
          {
            gsize g = group_order[i], count = 0, distinct = 0;
            for (gsize k = starts[g]; k < starts[g + 1]; k++)
              if (tess_column_valid (c, order[k]))
                rows[count++] = order[k];
            g_qsort_with_data (rows, (gint) count, sizeof (gsize), compare_value_rows, c);
            for (gsize k = 0; k < count; k++)
              if (k == 0 || tess_column_compare_rows (c, rows[k - 1], c, rows[k]) != 0)
                distinct++;
            tess_column_builder_append_int64 (b, distinct);
          }
        return tess_column_builder_finish (b);
      }
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  SortData sort;
  const gsize *firsts;
} GroupSortData;

/* Orders groups by the key values of their first rows. */
static int
compare_groups (gconstpointer pa, gconstpointer pb, gpointer data)
{
  const GroupSortData *gs = data;
  return row_compare (&gs->firsts[*(const gsize *) pa], &gs->firsts[*(const gsize *) pb], (gpointer) &gs->sort);
}

/* The rows of [@start, @start + @len) that @where keeps, into @rows; how
 * many. The predicate was checked before, so this cannot fail. */
static gsize
kept_rows (TessFrame *frame, const TessPredicate *where, gsize start, gsize len, gsize *rows)
{
  guint8 mask[GROUP_CHUNK];
  gsize kept = 0;

  if (!tess_predicate_eval_rows (frame, where, start, len, mask, NULL))
    g_assert_not_reached ();
  for (gsize i = 0; i < len; i++)
    {
      rows[kept] = start + i;
      kept += mask[i] != 0;
    }
  return kept;
}

/* Grouping on every core. The rows go in waves, a range of WAVE_ROWS to each
 * thread: each filters its range and gives its rows group ids from a table of
 * its own, which it keeps from wave to wave (the costly part: hashing keys,
 * probing). Between waves this thread gives each group new to a range its
 * place in the one table of the result (by its first row, so groups are
 * numbered in order of first appearance, as on one core). One task then
 * feeds a wave's rows to the aggregations, range after range in row order,
 * while the others group the next wave: every sum adds the same numbers in
 * the same order as on one core, so the result is the same to the last bit. */
#define PARALLEL_MIN_ROWS (1024 * 1024)
#define WAVE_ROWS (128 * 1024)

/* A range's rows in one wave. */
typedef struct
{
  gsize start, len;
  gsize *rows;   /* the rows it keeps (none without a filter: all, in order) */
  guint32 *gids; /* their groups in the range's table, then in the result */
  gsize kept;
} RangeRows;

typedef struct
{
  GroupTable table;
  guint32 *to_result; /* per group of the table: its group in the result */
  gsize n_placed;
  RangeRows waves[2]; /* by the parity of the wave */
} GroupRange;

typedef struct
{
  TessFrame *frame;
  const TessPredicate *where;
  GroupRange *ranges;
  guint n_ranges;
  RowTable placed; /* the result's groups by key values, found by first rows */
  Acc *accs;
  guint n_aggregations;
  guint grouping;   /* the parity of the wave the range tasks group */
  gboolean feeding; /* task 0 feeds the aggregations the other wave */
} GroupWaves;

static void
group_range (GroupWaves *w, GroupRange *range, RangeRows *rr)
{
  gsize end = rr->start + rr->len;

  rr->kept = 0;
  for (gsize start = rr->start; start < end; start += GROUP_CHUNK)
    {
      gsize len = MIN (GROUP_CHUNK, end - start);
      gsize *rows = NULL;

      if (w->where)
        {
          rows = rr->rows + rr->kept;
          len = kept_rows (w->frame, w->where, start, len, rows);
        }
      group_table_chunk (&range->table, start, rows, len, rr->gids + rr->kept);
      rr->kept += len;
    }
}

/* The groups new to the ranges in the wave just grouped get their places. */
static void
place_groups (GroupWaves *w)
{
  for (guint t = 0; t < w->n_ranges; t++)
    {
      GroupRange *range = &w->ranges[t];
      gsize n_local = group_table_n_groups (&range->table);
      const gsize *firsts = group_table_firsts (&range->table);

      range->to_result = g_renew (guint32, range->to_result, MAX (n_local, 1));
      for (gsize g = range->n_placed; g < n_local; g++)
        range->to_result[g] = (guint32) row_table_group (&w->placed, firsts[g]);
      range->n_placed = n_local;
    }
}

static void
feed_wave (GroupWaves *w, guint parity)
{
  for (guint t = 0; t < w->n_ranges; t++)
    {
      GroupRange *range = &w->ranges[t];
      RangeRows *rr = &range->waves[parity];

      for (gsize i = 0; i < rr->kept; i++)
        rr->gids[i] = range->to_result[rr->gids[i]];
      for (guint a = 0; a < w->n_aggregations; a++)
        {
          acc_reserve (&w->accs[a], w->placed.n_groups);
          acc_chunk (&w->accs[a], rr->gids, rr->start, w->where ? rr->rows : NULL, rr->kept);
        }
    }
}

static void
group_waves_task (gpointer data, guint task)
{
  GroupWaves *w = data;

  if (w->feeding && task-- == 0)
    {
      feed_wave (w, w->grouping ^ 1);
      return;
    }
  group_range (w, &w->ranges[task], &w->ranges[task].waves[w->grouping]);
}

/* Sets the rows of each range in wave @index. */
static void
set_wave (GroupWaves *w, gsize n, gsize index)
{
  for (guint t = 0; t < w->n_ranges; t++)
    {
      RangeRows *rr = &w->ranges[t].waves[index & 1];
      rr->start = MIN (n, (index * w->n_ranges + t) * WAVE_ROWS);
      rr->len = MIN (WAVE_ROWS, n - rr->start);
    }
}

/* Groups @frame's rows into @result (empty, made by group_table_init()) and
 * @accs on every core; FALSE, with both untouched, when one core would do as
 * well: a small frame, a single core, or keys with about as many groups as
 * rows (merging the ranges' tables would cost what it saves), or a single
 * int key without a filter. */
static gboolean
group_rows_parallel (TessFrame *frame,
                     const TessPredicate *where,
                     GroupTable *result,
                     TessColumn **keys,
                     guint n_keys,
                     gint64 int_lo,
                     gint64 int_hi,
                     Acc *accs,
                     guint n_aggregations)
{
  gsize n = tess_frame_get_n_rows (frame);
  guint n_threads = MIN (g_get_num_processors (), 16);
  GroupWaves w = { frame, where, NULL, n_threads };
  gsize n_waves;
  gboolean done = TRUE;

  /* an int key's table without a filter groups a row as fast as the
   * aggregations take it: nothing to gain */
  if (n < PARALLEL_MIN_ROWS || n_threads < 2 || n_keys == 0 || (where == NULL && result->int_key))
    return FALSE;
  n_waves = (n + (gsize) WAVE_ROWS * n_threads - 1) / ((gsize) WAVE_ROWS * n_threads);
  w.ranges = g_new0 (GroupRange, n_threads);
  w.accs = accs;
  w.n_aggregations = n_aggregations;
  for (guint t = 0; t < n_threads; t++)
    {
      group_table_init (&w.ranges[t].table, keys, n_keys, int_lo, int_hi);
      for (guint p = 0; p < 2; p++)
        {
          w.ranges[t].waves[p].rows = where ? g_new (gsize, WAVE_ROWS) : NULL;
          w.ranges[t].waves[p].gids = g_new (guint32, WAVE_ROWS);
        }
    }
  row_table_init (&w.placed, keys, n_keys);

  set_wave (&w, n, 0);
  tess_run_tasks (group_waves_task, &w, n_threads, n_threads);
  place_groups (&w);
  /* many groups: one core, from the start */
  done = w.placed.n_groups <= WAVE_ROWS / 4;
  for (gsize index = 0; done && index < n_waves; index++)
    {
      if (index + 1 == n_waves)
        {
          feed_wave (&w, index & 1);
          break;
        }
      /* feed this wave while the next is grouped */
      set_wave (&w, n, index + 1);
      w.grouping = (index + 1) & 1;
      w.feeding = TRUE;
      tess_run_tasks (group_waves_task, &w, n_threads + 1, n_threads);
      place_groups (&w);
    }

  for (guint t = 0; t < n_threads; t++)
    {
      group_table_clear (&w.ranges[t].table);
      g_free (w.ranges[t].to_result);
      for (guint p = 0; p < 2; p++)
        {
          g_free (w.ranges[t].waves[p].rows);
          g_free (w.ranges[t].waves[p].gids);
        }
    }
  g_free (w.ranges);
  if (!done)
    {
      row_table_clear (&w.placed);
      return FALSE;
    }
  /* the result's table: the groups placed, by first row */
  group_table_clear (result);
  memset (result, 0, sizeof *result);
  result->keys = keys;
  result->n_keys = n_keys;
  result->rtable = w.placed;
  return TRUE;
}

/* Groups the rows of @frame that @where keeps (all when NULL). */
static TessFrame *
group_by_where (TessFrame *frame,
                const TessPredicate *where,
                const char *const *key_names,
                const TessAggregation *aggregations,
                guint n_aggregations,
                GError **error)
{
  g_autoptr (GPtrArray) columns = column_array ();
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree TessColumn **keys = NULL;
  g_autofree TessSortKey *sort_keys = NULL;
  g_autofree Acc *accs = NULL;
  g_autofree guint32 *all_gids = NULL;
  g_autofree gsize *group_order = NULL;
  g_autofree gsize *sorted_firsts = NULL;
  g_autofree gsize *order = NULL;
  g_autofree gsize *starts = NULL;
  guint32 chunk_gids[GROUP_CHUNK];
  gsize chunk_rows[GROUP_CHUNK];
  const gsize *firsts;
  gboolean need_segments = FALSE;
  GroupTable table;
  gint64 int_lo = 0, int_hi = 0;
  guint n_keys;
  gsize n, n_groups;

  n = tess_frame_get_n_rows (frame);
  n_keys = g_strv_length ((char **) key_names);
  keys = g_new (TessColumn *, MAX (n_keys, 1));
  sort_keys = g_new0 (TessSortKey, MAX (n_keys, 1));
  for (guint k = 0; k < n_keys; k++)
    {
      if ((keys[k] = require_column (frame, key_names[k], error)) == NULL)
        return NULL;
      sort_keys[k].column = key_names[k];
    }
  accs = g_new0 (Acc, MAX (n_aggregations, 1));
  for (guint a = 0; a < n_aggregations; a++)
    {
      const TessAggregation *agg = &aggregations[a];
      TessColumn *column = NULL;
      accs[a].agg = agg;
      if (agg->column == NULL)
        {
          if (agg->op != TESS_AGGREGATE_COUNT)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The %s aggregation needs a column",
                           tess_aggregate_op_to_string (agg->op));
              goto fail;
            }
          continue;
        }
      if ((column = require_column (frame, agg->column, error)) == NULL)
        goto fail;
      if ((agg->op == TESS_AGGREGATE_SUM && !tess_column_type_is_numeric (column->type) &&
           column->type != TESS_COLUMN_BOOL) ||
          ((agg->op == TESS_AGGREGATE_MEAN || agg->op == TESS_AGGREGATE_MEDIAN) && column->type == TESS_COLUMN_STRING))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Cannot compute the %s of column “%s” (%s)",
                       tess_aggregate_op_to_string (agg->op), column->name, tess_column_type_to_string (column->type));
          goto fail;
        }
      accs[a].column = column;
      if (agg->op == TESS_AGGREGATE_MEDIAN || agg->op == TESS_AGGREGATE_DISTINCT)
        need_segments = TRUE;
    }
  if (n >= G_MAXUINT32)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "Frames of more than 2³² rows cannot be grouped");
      goto fail;
    }

  if (n_keys == 0)
    int_lo = int_hi = 0;
  else if (is_int_key (keys, n_keys))
    int_key_range (keys[0], &int_lo, &int_hi);
  group_table_init (&table, keys, n_keys, int_lo, int_hi);
  if (need_segments)
    all_gids = g_new (guint32, MAX (n, 1));
  /* on every core when it pays, with the same result */
  if (all_gids || !group_rows_parallel (frame, where, &table, keys, n_keys, int_lo, int_hi, accs, n_aggregations))
    for (gsize start = 0; start < n; start += GROUP_CHUNK)
      {
        gsize len = MIN (GROUP_CHUNK, n - start);
        guint32 *gids = all_gids ? all_gids + start : chunk_gids;
        const gsize *rows = NULL;

        if (where)
          {
            len = kept_rows (frame, where, start, len, chunk_rows);
            rows = chunk_rows;
          }
        group_table_chunk (&table, start, rows, len, gids);
        n_groups = group_table_n_groups (&table);
        for (guint a = 0; a < n_aggregations; a++)
          {
            acc_reserve (&accs[a], n_groups);
            acc_chunk (&accs[a], gids, start, rows, len);
          }
      }
  n_groups = group_table_n_groups (&table);
  firsts = group_table_firsts (&table);

  /* groups in key order */
  group_order = g_new (gsize, MAX (n_groups, 1));
  for (gsize g = 0; g < n_groups; g++)
    group_order[g] = g;
  {
    GroupSortData gs = { { keys, sort_keys, n_keys }, firsts };
    g_qsort_with_data (group_order, (gint) n_groups, sizeof (gsize), compare_groups, &gs);
  }
  sorted_firsts = g_new (gsize, MAX (n_groups, 1));
  for (gsize i = 0; i < n_groups; i++)
    sorted_firsts[i] = firsts[group_order[i]];

  if (need_segments)
    {
      /* rows by group, by counting */
      starts = g_new0 (gsize, n_groups + 1);
      order = g_new (gsize, MAX (n, 1));
      for (gsize r = 0; r < n; r++)
        starts[all_gids[r] + 1]++;
      for (gsize g = 0; g < n_groups; g++)
        starts[g + 1] += starts[g];
      {
        g_autofree gsize *fill = g_memdup2 (starts, (n_groups + 1) * sizeof (gsize));
        for (gsize r = 0; r < n; r++)
          order[fill[all_gids[r]]++] = r;
      }
    }

  for (guint k = 0; k < n_keys; k++)
    {
      g_ptr_array_add (columns, tess_column_take (keys[k], sorted_firsts, n_groups, NULL));
      g_hash_table_add (names, g_strdup (keys[k]->name));
    }
  for (guint a = 0; a < n_aggregations; a++)
    {
      const TessAggregation *agg = &aggregations[a];
      g_autofree char *name = NULL;

      if (agg->name)
        name = g_strdup (agg->name);
      else if (agg->column == NULL)
        name = g_strdup ("count");
      else
        name = g_strdup_printf ("%s_%s", agg->column, tess_aggregate_op_to_string (agg->op));
      if (g_hash_table_contains (names, name))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Two columns of the result would be named “%s”; give the aggregation a name", name);
          break;
        }
      g_hash_table_add (names, g_strdup (name));
      acc_reserve (&accs[a], n_groups);
      g_ptr_array_add (columns, acc_finish (&accs[a], name, group_order, n_groups, all_gids, n, order, starts));
    }
  group_table_clear (&table);
  for (guint a = 0; a < n_aggregations; a++)
    acc_clear (&accs[a]);
  if (error && *error)
    return NULL;
  return frame_from_array (columns, error);

fail:
  for (guint a = 0; a < n_aggregations; a++)
    acc_clear (&accs[a]);
  return NULL;
}

TessFrame *
tess_frame_group_by (TessFrame *frame,
                     const char *const *key_names,
                     const TessAggregation *aggregations,
                     guint n_aggregations,
                     GError **error)
{
  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (key_names != NULL, NULL);
  g_return_val_if_fail (aggregations != NULL || n_aggregations == 0, NULL);

  return group_by_where (frame, NULL, key_names, aggregations, n_aggregations, error);
}

TessFrame *
tess_frame_filter_group_by (TessFrame *frame,
                            const TessPredicate *where,
                            const char *const *key_names,
                            const TessAggregation *aggregations,
                            guint n_aggregations,
                            GError **error)
{
  gboolean whole_groups = FALSE;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (where != NULL, NULL);
  g_return_val_if_fail (key_names != NULL, NULL);
  g_return_val_if_fail (aggregations != NULL || n_aggregations == 0, NULL);

  /* the filter's errors come first, as when it runs on its own */
  if (!tess_predicate_eval_rows (frame, where, 0, 0, NULL, error))
    return NULL;
  for (guint a = 0; a < n_aggregations; a++)
    whole_groups |= aggregations[a].op == TESS_AGGREGATE_MEDIAN || aggregations[a].op == TESS_AGGREGATE_DISTINCT;
  /* medians and distinct counts read each group's rows by their position
   * among the rows grouped, and a frame past the row limit may fit it once
   * filtered: these group the filtered frame */
  if (whole_groups || tess_frame_get_n_rows (frame) >= G_MAXUINT32)
    {
      g_autoptr (TessFrame) filtered = tess_frame_filter (frame, where, error);
      return filtered ? group_by_where (filtered, NULL, key_names, aggregations, n_aggregations, error) : NULL;
    }
  return group_by_where (frame, where, key_names, aggregations, n_aggregations, error);
}
