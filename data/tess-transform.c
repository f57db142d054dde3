/* tess-transform.c: select, rename, filter, sort, head and tail, group-by,
 * time buckets, rolling windows, derived columns and joins.
 *
 * Row-selecting transforms compute an array of row indices and gather every
 * column through it (tess_column_take); column transforms share the columns
 * they keep. Group-by and joins hash rows by their key values.
 */
#include "tess-transform.h"

#include "tess-csv.h"
#include "tess-frame-private.h"

#include <math.h>
#include <string.h>

static TessColumn *
require_column (TessFrame *frame, const char *name, GError **error)
{
  TessColumn *column = tess_frame_get_column_by_name (frame, name);

  if (column == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "There is no column “%s”", name);
  return column;
}

static TessFrame *
frame_from_array (GPtrArray *columns, GError **error)
{
  return tess_frame_new ((TessColumn **) columns->pdata, columns->len, error);
}

static GPtrArray *
column_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) tess_column_unref);
}

static TessFrame *
take_rows (TessFrame *frame, const gsize *indices, gsize n)
{
  g_autoptr (GPtrArray) columns = column_array ();

  for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
    g_ptr_array_add (columns, tess_column_take (tess_frame_get_column (frame, c), indices, n, NULL));
  return frame_from_array (columns, NULL);
}

/* Columns */

TessFrame *
tess_frame_select (TessFrame *frame, const char *const *names, GError **error)
{
  g_autoptr (GPtrArray) columns = column_array ();

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (names != NULL, NULL);

  for (guint i = 0; names[i]; i++)
    {
      TessColumn *column = require_column (frame, names[i], error);
      if (column == NULL)
        return NULL;
      g_ptr_array_add (columns, tess_column_ref (column));
    }
  return frame_from_array (columns, error);
}

TessFrame *
tess_frame_rename (TessFrame *frame, const char *from, const char *to, GError **error)
{
  g_autoptr (GPtrArray) columns = column_array ();
  int index;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  if (require_column (frame, from, error) == NULL)
    return NULL;
  index = tess_frame_get_column_index (frame, from);
  for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
    {
      TessColumn *column = tess_frame_get_column (frame, c);
      g_ptr_array_add (columns, (int) c == index ? tess_column_rename (column, to) : tess_column_ref (column));
    }
  return frame_from_array (columns, error);
}

TessFrame *
tess_frame_with_column (TessFrame *frame, TessColumn *column, GError **error)
{
  g_autoptr (GPtrArray) columns = column_array ();
  int index;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (column != NULL, NULL);

  index = tess_frame_get_column_index (frame, tess_column_get_name (column));
  for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
    g_ptr_array_add (columns, tess_column_ref ((int) c == index ? column : tess_frame_get_column (frame, c)));
  if (index < 0)
    g_ptr_array_add (columns, tess_column_ref (column));
  return frame_from_array (columns, error);
}

/* Filters */

typedef enum
{
  PRED_COMPARE,
  PRED_COMPARE_TEXT,
  PRED_IN,
  PRED_CONTAINS,
  PRED_IS_NULL,
  PRED_NOT_NULL,
  PRED_AND,
  PRED_OR,
  PRED_NOT,
} PredKind;

struct _TessPredicate
{
  PredKind kind;
  char *column;
  TessCompareOp op;
  double value;
  char *text;
  char **values;
  TessPredicate *a, *b;
};

static TessPredicate *
pred_new (PredKind kind, const char *column)
{
  TessPredicate *p = g_new0 (TessPredicate, 1);
  p->kind = kind;
  p->column = g_strdup (column);
  return p;
}

TessPredicate *
tess_predicate_compare (const char *column, TessCompareOp op, double value)
{
  TessPredicate *p;

  g_return_val_if_fail (column != NULL, NULL);
  p = pred_new (PRED_COMPARE, column);
  p->op = op;
  p->value = value;
  return p;
}

TessPredicate *
tess_predicate_compare_text (const char *column, TessCompareOp op, const char *value)
{
  TessPredicate *p;

  g_return_val_if_fail (column != NULL && value != NULL, NULL);
  p = pred_new (PRED_COMPARE_TEXT, column);
  p->op = op;
  p->text = g_strdup (value);
  return p;
}

TessPredicate *
tess_predicate_in (const char *column, const char *const *values)
{
  TessPredicate *p;

  g_return_val_if_fail (column != NULL && values != NULL, NULL);
  p = pred_new (PRED_IN, column);
  p->values = g_strdupv ((char **) values);
  return p;
}

TessPredicate *
tess_predicate_contains (const char *column, const char *text)
{
  TessPredicate *p;

  g_return_val_if_fail (column != NULL && text != NULL, NULL);
  p = pred_new (PRED_CONTAINS, column);
  p->text = g_strdup (text);
  return p;
}

TessPredicate *
tess_predicate_is_null (const char *column)
{
  g_return_val_if_fail (column != NULL, NULL);
  return pred_new (PRED_IS_NULL, column);
}

TessPredicate *
tess_predicate_is_not_null (const char *column)
{
  g_return_val_if_fail (column != NULL, NULL);
  return pred_new (PRED_NOT_NULL, column);
}

static TessPredicate *
pred_pair (PredKind kind, TessPredicate *a, TessPredicate *b)
{
  TessPredicate *p = pred_new (kind, NULL);
  p->a = a;
  p->b = b;
  return p;
}

TessPredicate *
tess_predicate_and (TessPredicate *a, TessPredicate *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, NULL);
  return pred_pair (PRED_AND, a, b);
}

TessPredicate *
tess_predicate_or (TessPredicate *a, TessPredicate *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, NULL);
  return pred_pair (PRED_OR, a, b);
}

TessPredicate *
tess_predicate_not (TessPredicate *a)
{
  g_return_val_if_fail (a != NULL, NULL);
  return pred_pair (PRED_NOT, a, NULL);
}

void
tess_predicate_free (TessPredicate *p)
{
  if (p == NULL)
    return;
  g_free (p->column);
  g_free (p->text);
  g_strfreev (p->values);
  tess_predicate_free (p->a);
  tess_predicate_free (p->b);
  g_free (p);
}

static inline gboolean
compare_result (int c, TessCompareOp op)
{
  switch (op)
    {
    case TESS_COMPARE_EQ:
      return c == 0;
    case TESS_COMPARE_NE:
      return c != 0;
    case TESS_COMPARE_LT:
      return c < 0;
    case TESS_COMPARE_LE:
      return c <= 0;
    case TESS_COMPARE_GT:
      return c > 0;
    case TESS_COMPARE_GE:
      return c >= 0;
    default:
      return FALSE;
    }
}

/* Reads @text as a value of @column's type, as a double (or keeps it as text
 * for string columns). */
static gboolean
text_to_number (const TessColumn *column, const char *text, double *out, GError **error)
{
  gsize len = strlen (text);
  gint64 i;
  gint32 days;
  gboolean b;

  switch (column->type)
    {
    case TESS_COLUMN_DATE:
      if (tess_parse_date (text, len, &days))
        {
          *out = days;
          return TRUE;
        }
      if (tess_parse_timestamp (text, len, &i))
        {
          *out = floor ((double) i / (double) TESS_USEC_PER_DAY);
          return TRUE;
        }
      break;
    case TESS_COLUMN_TIMESTAMP:
      if (tess_parse_timestamp (text, len, &i))
        {
          *out = (double) i;
          return TRUE;
        }
      if (tess_parse_date (text, len, &days))
        {
          *out = (double) days * TESS_USEC_PER_DAY;
          return TRUE;
        }
      break;
    case TESS_COLUMN_BOOL:
      if (tess_parse_bool (text, len, &b))
        {
          *out = b;
          return TRUE;
        }
      break;
    default:
      if (tess_parse_double (text, len, out) || (tess_parse_int64 (text, len, &i) && ((*out = (double) i), TRUE)))
        return TRUE;
      /* leading zeros and the like */
      {
        char *end;
        *out = g_ascii_strtod (text, &end);
        if (end != text && *end == '\0')
          return TRUE;
      }
      break;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not a %s value to compare column “%s” with",
               text, tess_column_type_to_string (column->type), column->name);
  return FALSE;
}

static gboolean
pred_eval (TessFrame *frame, const TessPredicate *p, guint8 *mask, GError **error)
{
  gsize n = tess_frame_get_n_rows (frame);
  TessColumn *column = NULL;

  if (p->column && (column = require_column (frame, p->column, error)) == NULL)
    return FALSE;
  switch (p->kind)
    {
    case PRED_IS_NULL:
    case PRED_NOT_NULL:
      for (gsize r = 0; r < n; r++)
        mask[r] = tess_column_valid (column, r) == (p->kind == PRED_NOT_NULL);
      return TRUE;
    case PRED_COMPARE:
      if (column->type == TESS_COLUMN_STRING)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Column “%s” holds text; compare it with text, not a number", column->name);
          return FALSE;
        }
      for (gsize r = 0; r < n; r++)
        {
          double v = tess_column_get_double (column, r);
          mask[r] = !isnan (v) && compare_result ((v > p->value) - (v < p->value), p->op);
        }
      return TRUE;
    case PRED_COMPARE_TEXT:
      if (column->type == TESS_COLUMN_STRING)
        {
          for (gsize r = 0; r < n; r++)
            {
              const char *s = tess_column_get_string (column, r);
              mask[r] = s != NULL && compare_result (strcmp (s, p->text), p->op);
            }
          return TRUE;
        }
      else
        {
          double value;
          if (!text_to_number (column, p->text, &value, error))
            return FALSE;
          for (gsize r = 0; r < n; r++)
            {
              double v = tess_column_get_double (column, r);
              mask[r] = !isnan (v) && compare_result ((v > value) - (v < value), p->op);
            }
          return TRUE;
        }
    case PRED_IN:
      if (column->type == TESS_COLUMN_STRING)
        {
          g_autoptr (GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
          for (guint i = 0; p->values[i]; i++)
            g_hash_table_add (set, p->values[i]);
          for (gsize r = 0; r < n; r++)
            {
              const char *s = tess_column_get_string (column, r);
              mask[r] = s != NULL && g_hash_table_contains (set, s);
            }
        }
      else
        {
          guint count = g_strv_length (p->values);
          g_autofree double *values = g_new (double, MAX (count, 1));
          for (guint i = 0; i < count; i++)
            if (!text_to_number (column, p->values[i], &values[i], error))
              return FALSE;
          for (gsize r = 0; r < n; r++)
            {
              double v = tess_column_get_double (column, r);
              mask[r] = FALSE;
              if (!isnan (v))
                for (guint i = 0; i < count && !mask[r]; i++)
                  mask[r] = v == values[i];
            }
        }
      return TRUE;
    case PRED_CONTAINS:
      for (gsize r = 0; r < n; r++)
        {
          if (!tess_column_valid (column, r))
            mask[r] = FALSE;
          else if (column->type == TESS_COLUMN_STRING)
            mask[r] = strstr (tess_column_get_string (column, r), p->text) != NULL;
          else
            {
              g_autofree char *v = tess_column_format_value (column, r);
              mask[r] = strstr (v, p->text) != NULL;
            }
        }
      return TRUE;
    case PRED_AND:
    case PRED_OR:
      {
        g_autofree guint8 *other = g_malloc (MAX (n, 1));
        if (!pred_eval (frame, p->a, mask, error) || !pred_eval (frame, p->b, other, error))
          return FALSE;
        for (gsize r = 0; r < n; r++)
          mask[r] = p->kind == PRED_AND ? (mask[r] && other[r]) : (mask[r] || other[r]);
        return TRUE;
      }
    case PRED_NOT:
      if (!pred_eval (frame, p->a, mask, error))
        return FALSE;
      for (gsize r = 0; r < n; r++)
        mask[r] = !mask[r];
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

TessFrame *
tess_frame_filter (TessFrame *frame, const TessPredicate *predicate, GError **error)
{
  gsize n, kept = 0;
  g_autofree guint8 *mask = NULL;
  g_autofree gsize *indices = NULL;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (predicate != NULL, NULL);

  n = tess_frame_get_n_rows (frame);
  mask = g_malloc (MAX (n, 1));
  if (!pred_eval (frame, predicate, mask, error))
    return NULL;
  indices = g_new (gsize, MAX (n, 1));
  for (gsize r = 0; r < n; r++)
    if (mask[r])
      indices[kept++] = r;
  return take_rows (frame, indices, kept);
}

/* Order */

typedef struct
{
  TessColumn **columns;
  const TessSortKey *keys;
  guint n_keys;
} SortData;

static int
row_compare (gconstpointer pa, gconstpointer pb, gpointer user_data)
{
  const SortData *sd = user_data;
  gsize a = *(const gsize *) pa, b = *(const gsize *) pb;

  for (guint k = 0; k < sd->n_keys; k++)
    {
      TessColumn *c = sd->columns[k];
      gboolean va = tess_column_valid (c, a), vb = tess_column_valid (c, b);
      int cmp;
      if (!va || !vb)
        {
          if (va == vb)
            continue;
          return va ? -1 : 1; /* nulls last */
        }
      cmp = tess_column_compare_rows (c, a, c, b);
      if (cmp)
        return sd->keys[k].descending ? -cmp : cmp;
    }
  return 0;
}

static gsize *
sorted_indices (TessColumn **columns, const TessSortKey *keys, guint n_keys, gsize n)
{
  gsize *indices = g_new (gsize, MAX (n, 1));
  SortData sd = { columns, keys, n_keys };

  for (gsize r = 0; r < n; r++)
    indices[r] = r;
  /* g_qsort_with_data is a stable merge sort */
  g_qsort_with_data (indices, (gint) n, sizeof (gsize), row_compare, &sd);
  return indices;
}

TessFrame *
tess_frame_sort (TessFrame *frame, const TessSortKey *keys, guint n_keys, GError **error)
{
  g_autofree TessColumn **columns = NULL;
  g_autofree gsize *indices = NULL;
  gsize n;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (keys != NULL || n_keys == 0, NULL);

  n = tess_frame_get_n_rows (frame);
  if (n > G_MAXINT)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "Frames of more than 2³¹ rows cannot be sorted");
      return NULL;
    }
  columns = g_new (TessColumn *, MAX (n_keys, 1));
  for (guint k = 0; k < n_keys; k++)
    if ((columns[k] = require_column (frame, keys[k].column, error)) == NULL)
      return NULL;
  indices = sorted_indices (columns, keys, n_keys, n);
  return take_rows (frame, indices, n);
}

static TessFrame *
slice_rows (TessFrame *frame, gsize start, gsize n)
{
  g_autoptr (GPtrArray) columns = column_array ();

  for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
    g_ptr_array_add (columns, tess_column_slice (tess_frame_get_column (frame, c), start, n));
  return frame_from_array (columns, NULL);
}

TessFrame *
tess_frame_head (TessFrame *frame, gsize n)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return slice_rows (frame, 0, MIN (n, tess_frame_get_n_rows (frame)));
}

TessFrame *
tess_frame_tail (TessFrame *frame, gsize n)
{
  gsize rows;

  g_return_val_if_fail (frame != NULL, NULL);
  rows = tess_frame_get_n_rows (frame);
  n = MIN (n, rows);
  return slice_rows (frame, rows - n, n);
}

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

static guint64
row_hash (TessColumn **keys, guint n_keys, gsize row)
{
  guint64 h = 0x243f6a8885a308d3ULL;
  for (guint k = 0; k < n_keys; k++)
    h = (h ^ tess_column_hash_row (keys[k], row)) * 0x100000001b3ULL + k;
  return h ^ (h >> 29);
}

static gboolean
rows_equal (TessColumn **a, gsize ra, TessColumn **b, gsize rb, guint n_keys)
{
  for (guint k = 0; k < n_keys; k++)
    {
      gboolean va = tess_column_valid (a[k], ra), vb = tess_column_valid (b[k], rb);
      if (va != vb)
        return FALSE;
      if (va && tess_column_compare_rows (a[k], ra, b[k], rb) != 0)
        return FALSE;
    }
  return TRUE;
}

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

static void
int_table_init (IntTable *t, const gint64 *values, gsize n)
{
  gint64 lo = G_MAXINT64, hi = G_MININT64;

  for (gsize r = 0; r < n; r++)
    {
      lo = MIN (lo, values[r]);
      hi = MAX (hi, values[r]);
    }
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

static void
int_table_chunk (IntTable *t, const gint64 *values, gsize start, gsize len, guint32 *gids)
{
  if (t->direct)
    {
      for (gsize i = 0; i < len; i++)
        {
          guint32 *slot = &t->direct[(guint64) values[start + i] - (guint64) t->min];
          if G_UNLIKELY (*slot == 0)
            {
              if (t->n_groups == t->alloc)
                {
                  t->alloc *= 2;
                  t->keys = g_renew (gint64, t->keys, t->alloc);
                  t->firsts = g_renew (gsize, t->firsts, t->alloc);
                }
              t->keys[t->n_groups] = values[start + i];
              t->firsts[t->n_groups] = start + i;
              *slot = (guint32) ++t->n_groups;
            }
          gids[i] = *slot - 1;
        }
      return;
    }
  for (gsize i = 0; i < len; i++)
    {
      gint64 v = values[start + i];
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
          t->firsts[t->n_groups] = start + i;
          g = t->slots[s] = (guint32) ++t->n_groups;
          if (t->n_groups * 2 > t->mask)
            int_table_grow (t);
        }
      gids[i] = g - 1;
    }
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
acc_chunk (Acc *a, const guint32 *gids, gsize start, gsize len)
{
  TessColumn *c = a->column;

  switch (a->agg->op)
    {
    case TESS_AGGREGATE_COUNT:
      for (gsize i = 0; i < len; i++)
        if (c == NULL || tess_column_valid (c, start + i))
          a->counts[gids[i]]++;
      break;
    case TESS_AGGREGATE_SUM:
    case TESS_AGGREGATE_MEAN:
      if (c->type == TESS_COLUMN_DOUBLE && c->bits == NULL)
        {
          const double *v = (const double *) c->data + start;
          for (gsize i = 0; i < len; i++)
            {
              a->dsums[gids[i]] += v[i];
              a->counts[gids[i]]++;
            }
        }
      else if (c->type == TESS_COLUMN_DOUBLE || a->agg->op == TESS_AGGREGATE_MEAN)
        {
          for (gsize i = 0; i < len; i++)
            if (tess_column_valid (c, start + i))
              {
                a->dsums[gids[i]] += tess_column_get_double (c, start + i);
                a->counts[gids[i]]++;
              }
        }
      else
        for (gsize i = 0; i < len; i++)
          if (tess_column_valid (c, start + i))
            {
              a->isums[gids[i]] += tess_column_get_int64 (c, start + i);
              a->counts[gids[i]]++;
            }
      break;
    case TESS_AGGREGATE_MIN:
    case TESS_AGGREGATE_MAX:
      {
        int sign = a->agg->op == TESS_AGGREGATE_MIN ? 1 : -1;
        for (gsize i = 0; i < len; i++)
          {
            gsize r = start + i, *best = &a->best[gids[i]];
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

#define GROUP_CHUNK 4096

TessFrame *
tess_frame_group_by (TessFrame *frame,
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
  const gsize *firsts;
  gboolean int_key, string_key, need_segments = FALSE;
  IntTable itable = { 0 };
  RowTable rtable = { 0 };
  guint n_keys;
  gsize n, n_groups;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (key_names != NULL, NULL);
  g_return_val_if_fail (aggregations != NULL || n_aggregations == 0, NULL);

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

  /* One pass in chunks: group ids for a chunk, then each aggregation over it. */
  int_key = n_keys == 1 && keys[0]->bits == NULL &&
            (keys[0]->type == TESS_COLUMN_INT64 || keys[0]->type == TESS_COLUMN_TIMESTAMP);
  string_key = n_keys == 1 && keys[0]->type == TESS_COLUMN_STRING;
  if (int_key)
    int_table_init (&itable, keys[0]->data, n);
  else
    row_table_init (&rtable, keys, n_keys);
  if (need_segments)
    all_gids = g_new (guint32, MAX (n, 1));
  for (gsize start = 0; start < n; start += GROUP_CHUNK)
    {
      gsize len = MIN (GROUP_CHUNK, n - start);
      guint32 *gids = all_gids ? all_gids + start : chunk_gids;

      if (int_key)
        int_table_chunk (&itable, keys[0]->data, start, len, gids);
      else if (string_key)
        for (gsize i = 0; i < len; i++)
          gids[i] = (guint32) row_table_group_string (&rtable, start + i);
      else
        for (gsize i = 0; i < len; i++)
          gids[i] = (guint32) row_table_group (&rtable, start + i);
      n_groups = int_key ? itable.n_groups : rtable.n_groups;
      for (guint a = 0; a < n_aggregations; a++)
        {
          acc_reserve (&accs[a], n_groups);
          acc_chunk (&accs[a], gids, start, len);
        }
    }
  n_groups = int_key ? itable.n_groups : rtable.n_groups;
  firsts = int_key ? itable.firsts : rtable.firsts;

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
  if (int_key)
    int_table_clear (&itable);
  else
    row_table_clear (&rtable);
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

/* Time */

gboolean
tess_time_unit_from_string (const char *name, TessTimeUnit *unit)
{
  static const char *const names[] = { "minute", "hour", "day", "week", "month", "quarter", "year" };

  g_return_val_if_fail (name != NULL, FALSE);
  for (int i = 0; i < (int) G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      {
        *unit = i;
        return TRUE;
      }
  return FALSE;
}

static gint64
floor_div (gint64 a, gint64 b)
{
  gint64 q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static gint64
bucket_days (gint64 days, TessTimeUnit unit)
{
  gint64 y;
  unsigned m, d;

  switch (unit)
    {
    case TESS_TIME_MINUTE:
    case TESS_TIME_HOUR:
    case TESS_TIME_DAY:
      return days;
    case TESS_TIME_WEEK:
      /* 1970-01-01 was a Thursday: Monday is 3 days earlier */
      return days - (((days + 3) % 7) + 7) % 7;
    default:
      tess_civil_from_days (days, &y, &m, &d);
      if (unit == TESS_TIME_YEAR)
        m = 1;
      else if (unit == TESS_TIME_QUARTER)
        m = (m - 1) / 3 * 3 + 1;
      return tess_days_from_civil (y, m, 1);
    }
}

TessFrame *
tess_frame_time_bucket (TessFrame *frame, const char *column_name, TessTimeUnit unit, const char *name, GError **error)
{
  TessColumn *column;
  TessColumnBuilder *b;
  g_autoptr (TessColumn) result = NULL;
  gsize n;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (column_name != NULL, NULL);

  if ((column = require_column (frame, column_name, error)) == NULL)
    return NULL;
  if (column->type != TESS_COLUMN_DATE && column->type != TESS_COLUMN_TIMESTAMP)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Column “%s” is %s, not a date or timestamp, so it has no time buckets", column->name,
                   tess_column_type_to_string (column->type));
      return NULL;
    }
  n = column->length;
  b = tess_column_builder_new (name ? name : column->name, column->type, n);
  for (gsize r = 0; r < n; r++)
    {
      if (!tess_column_valid (column, r))
        {
          tess_column_builder_append_null (b);
          continue;
        }
      if (column->type == TESS_COLUMN_DATE)
        tess_column_builder_append_date (b, (gint32) bucket_days (((const gint32 *) column->data)[r], unit));
      else
        {
          gint64 us = ((const gint64 *) column->data)[r];
          gint64 out;
          if (unit == TESS_TIME_MINUTE)
            out = floor_div (us, 60 * G_USEC_PER_SEC) * 60 * G_USEC_PER_SEC;
          else if (unit == TESS_TIME_HOUR)
            out = floor_div (us, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC) * 3600 * G_USEC_PER_SEC;
          else
            out = bucket_days (floor_div (us, TESS_USEC_PER_DAY), unit) * TESS_USEC_PER_DAY;
          tess_column_builder_append_timestamp (b, out);
        }
    }
  result = tess_column_builder_finish (b);
  return tess_frame_with_column (frame, result, error);
}

/* Rolling windows */

static TessFrame *
rolling (TessFrame *frame, const char *column_name, guint window, gboolean mean, const char *name, GError **error)
{
  TessColumn *column;
  TessColumnBuilder *b;
  g_autoptr (TessColumn) result = NULL;
  g_autofree char *default_name = NULL;
  double sum = 0;
  gsize nulls = 0, n;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (column_name != NULL, NULL);

  if ((column = require_column (frame, column_name, error)) == NULL)
    return NULL;
  if (!tess_column_type_is_numeric (column->type) && column->type != TESS_COLUMN_BOOL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Column “%s” is %s; a rolling %s needs numbers",
                   column->name, tess_column_type_to_string (column->type), mean ? "mean" : "sum");
      return NULL;
    }
  if (window == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "A rolling window needs at least one row");
      return NULL;
    }
  if (name == NULL)
    name = default_name = g_strdup_printf ("%s_rolling_%s", column->name, mean ? "mean" : "sum");
  n = column->length;
  b = tess_column_builder_new (name, TESS_COLUMN_DOUBLE, n);
  for (gsize r = 0; r < n; r++)
    {
      if (tess_column_valid (column, r))
        sum += tess_column_get_double (column, r);
      else
        nulls++;
      if (r >= window)
        {
          gsize old = r - window;
          if (tess_column_valid (column, old))
            sum -= tess_column_get_double (column, old);
          else
            nulls--;
        }
      if (r + 1 < window || nulls > 0)
        tess_column_builder_append_null (b);
      else
        {
          /* resum now and then so rounding does not drift over long columns */
          if ((r & 1023) == 0)
            {
              sum = 0;
              for (gsize k = r + 1 - window; k <= r; k++)
                sum += tess_column_get_double (column, k);
            }
          tess_column_builder_append_double (b, mean ? sum / window : sum);
        }
    }
  result = tess_column_builder_finish (b);
  return tess_frame_with_column (frame, result, error);
}

TessFrame *
tess_frame_rolling_mean (TessFrame *frame, const char *column, guint window, const char *name, GError **error)
{
  return rolling (frame, column, window, TRUE, name, error);
}

TessFrame *
tess_frame_rolling_sum (TessFrame *frame, const char *column, guint window, const char *name, GError **error)
{
  return rolling (frame, column, window, FALSE, name, error);
}

/* Derived columns: a recursive descent parser to a tree, evaluated a column at
 * a time with NAN standing for null. */

typedef enum
{
  NODE_NUMBER,
  NODE_COLUMN,
  NODE_NEG,
  NODE_BINARY,
  NODE_CALL,
} NodeKind;

typedef struct _Node Node;
struct _Node
{
  NodeKind kind;
  double number;
  TessColumn *column;
  char op;
  double (*func) (double);
  Node *a, *b;
};

#define MAX_NESTING 32
#define MAX_EXPRESSION 4096

typedef struct
{
  const char *text;
  const char *p;
  TessFrame *frame;
  GError **error;
  int depth;
} Parser;

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  node_free (node->a);
  node_free (node->b);
  g_free (node);
}

static void
skip_space (Parser *ps)
{
  while (g_ascii_isspace (*ps->p))
    ps->p++;
}

static Node *
parse_fail (Parser *ps, const char *what)
{
  if (ps->error && *ps->error == NULL)
    g_set_error (ps->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Expression “%s”, at character %d: %s", ps->text,
                 (int) g_utf8_pointer_to_offset (ps->text, ps->p) + 1, what);
  return NULL;
}

static Node *parse_sum (Parser *ps);

static double
round_half_away (double x)
{
  return round (x);
}

static Node *
parse_primary (Parser *ps)
{
  Node *node;

  skip_space (ps);
  if (++ps->depth > MAX_NESTING)
    return parse_fail (ps, "nested too deeply");
  if (*ps->p == '(')
    {
      ps->p++;
      node = parse_sum (ps);
      if (node == NULL)
        return NULL;
      skip_space (ps);
      if (*ps->p != ')')
        {
          node_free (node);
          return parse_fail (ps, "a “)” is missing");
        }
      ps->p++;
      ps->depth--;
      return node;
    }
  if (*ps->p == '-' || *ps->p == '+')
    {
      gboolean neg = *ps->p++ == '-';
      Node *inner = parse_primary (ps);
      if (inner == NULL)
        return NULL;
      ps->depth--;
      if (!neg)
        return inner;
      node = g_new0 (Node, 1);
      node->kind = NODE_NEG;
      node->a = inner;
      return node;
    }
  if (g_ascii_isdigit (*ps->p) || *ps->p == '.')
    {
      char *end;
      double v = g_ascii_strtod (ps->p, &end);
      if (end == ps->p)
        return parse_fail (ps, "a number is malformed");
      ps->p = end;
      node = g_new0 (Node, 1);
      node->kind = NODE_NUMBER;
      node->number = v;
      ps->depth--;
      return node;
    }
  if (*ps->p == '`' || g_ascii_isalpha (*ps->p) || *ps->p == '_')
    {
      g_autofree char *name = NULL;
      const char *start = ps->p;
      TessColumn *column;

      if (*ps->p == '`')
        {
          const char *close = strchr (ps->p + 1, '`');
          if (close == NULL)
            return parse_fail (ps, "a closing ` is missing");
          name = g_strndup (ps->p + 1, close - ps->p - 1);
          ps->p = close + 1;
        }
      else
        {
          while (g_ascii_isalnum (*ps->p) || *ps->p == '_' || *ps->p == '.')
            ps->p++;
          name = g_strndup (start, ps->p - start);
          skip_space (ps);
          if (*ps->p == '(' && *start != '`')
            {
              static const struct
              {
                const char *name;
                double (*func) (double);
              } funcs[] = { { "abs", fabs },
                            { "sqrt", sqrt },
                            { "log", log },
                            { "exp", exp },
                            { "floor", floor },
                            { "ceil", ceil },
                            { "round", round_half_away } };
              Node *arg;
              double (*func) (double) = NULL;
              for (guint i = 0; i < G_N_ELEMENTS (funcs); i++)
                if (g_str_equal (name, funcs[i].name))
                  func = funcs[i].func;
              if (func == NULL)
                {
                  ps->p = start;
                  return parse_fail (ps, "unknown function (use abs, sqrt, log, exp, floor, ceil or round)");
                }
              ps->p++;
              arg = parse_sum (ps);
              if (arg == NULL)
                return NULL;
              skip_space (ps);
              if (*ps->p != ')')
                {
                  node_free (arg);
                  return parse_fail (ps, "a “)” is missing");
                }
              ps->p++;
              node = g_new0 (Node, 1);
              node->kind = NODE_CALL;
              node->func = func;
              node->a = arg;
              ps->depth--;
              return node;
            }
        }
      column = tess_frame_get_column_by_name (ps->frame, name);
      if (column == NULL)
        {
          g_autofree char *msg = g_strdup_printf ("there is no column “%s”", name);
          ps->p = start;
          return parse_fail (ps, msg);
        }
      if (column->type == TESS_COLUMN_STRING)
        {
          g_autofree char *msg = g_strdup_printf ("column “%s” holds text, not numbers", name);
          ps->p = start;
          return parse_fail (ps, msg);
        }
      node = g_new0 (Node, 1);
      node->kind = NODE_COLUMN;
      node->column = column;
      ps->depth--;
      return node;
    }
  return parse_fail (ps, *ps->p ? "a number, a column or “(” was expected" : "the expression ends too soon");
}

/* One level of left-associative binary operators: @operand (ops operand)*. */
static Node *
parse_binary (Parser *ps, const char *ops, Node *(*operand) (Parser *ps))
{
  Node *left = operand (ps);

  while (left)
    {
      Node *node;
      char op;
      skip_space (ps);
      op = *ps->p;
      if (op == '\0' || strchr (ops, op) == NULL)
        break;
      ps->p++;
      node = g_new0 (Node, 1);
      node->kind = NODE_BINARY;
      node->op = op;
      node->a = left;
      node->b = operand (ps);
      if (node->b == NULL)
        {
          node_free (node);
          return NULL;
        }
      left = node;
    }
  return left;
}

static Node *
parse_product (Parser *ps)
{
  return parse_binary (ps, "*/%", parse_primary);
}

static Node *
parse_sum (Parser *ps)
{
  return parse_binary (ps, "+-", parse_product);
}

/* Evaluates in place where it can: at any moment one array per pending left
 * operand is alive, so memory grows with the nesting (at most MAX_NESTING),
 * not with the length of the expression. */
static double *
node_eval (Node *node, gsize n)
{
  double *out;

  switch (node->kind)
    {
    case NODE_NUMBER:
      out = g_new (double, MAX (n, 1));
      for (gsize r = 0; r < n; r++)
        out[r] = node->number;
      return out;
    case NODE_COLUMN:
      out = g_new (double, MAX (n, 1));
      for (gsize r = 0; r < n; r++)
        out[r] = tess_column_get_double (node->column, r);
      return out;
    case NODE_NEG:
      out = node_eval (node->a, n);
      for (gsize r = 0; r < n; r++)
        out[r] = -out[r];
      return out;
    case NODE_CALL:
      out = node_eval (node->a, n);
      for (gsize r = 0; r < n; r++)
        out[r] = node->func (out[r]);
      return out;
    case NODE_BINARY:
      {
        g_autofree double *b = NULL;
        out = node_eval (node->a, n);
        b = node_eval (node->b, n);
        for (gsize r = 0; r < n; r++)
          switch (node->op)
            {
            case '+':
              out[r] += b[r];
              break;
            case '-':
              out[r] -= b[r];
              break;
            case '*':
              out[r] *= b[r];
              break;
            case '/':
              out[r] /= b[r];
              break;
            default:
              out[r] = fmod (out[r], b[r]);
              break;
            }
        return out;
      }
    default:
      g_assert_not_reached ();
    }
}

TessFrame *
tess_frame_derive (TessFrame *frame, const char *name, const char *expression, GError **error)
{
  Parser ps = { expression, expression, frame, error, 0 };
  g_autofree double *values = NULL;
  g_autoptr (TessColumn) column = NULL;
  TessColumnBuilder *b;
  Node *root;
  gsize n;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (name != NULL && expression != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strlen (expression) > MAX_EXPRESSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Expressions are limited to %d characters",
                   MAX_EXPRESSION);
      return NULL;
    }
  root = parse_sum (&ps);
  if (root == NULL)
    {
      if (error && *error == NULL)
        parse_fail (&ps, "invalid expression");
      return NULL;
    }
  skip_space (&ps);
  if (*ps.p)
    {
      node_free (root);
      parse_fail (&ps, "an operator was expected");
      return NULL;
    }
  n = tess_frame_get_n_rows (frame);
  values = node_eval (root, n);
  node_free (root);
  b = tess_column_builder_new (name, TESS_COLUMN_DOUBLE, n);
  for (gsize r = 0; r < n; r++)
    if (isfinite (values[r]))
      tess_column_builder_append_double_fast (b, values[r]);
    else
      tess_column_builder_append_null (b);
  column = tess_column_builder_finish (b);
  return tess_frame_with_column (frame, column, error);
}

/* Joins */

TessFrame *
tess_frame_join (TessFrame *left,
                 TessFrame *right,
                 const char *const *left_on,
                 const char *const *right_on,
                 TessJoinKind kind,
                 GError **error)
{
  g_autofree TessColumn **lkeys = NULL;
  g_autofree TessColumn **rkeys = NULL;
  g_autofree gsize *heads = NULL;
  g_autofree gsize *next = NULL;
  g_autofree guint64 *rhash = NULL;
  g_autoptr (GArray) li = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (GArray) ri = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (GPtrArray) columns = column_array ();
  g_autoptr (GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_keys;
  gsize nl, nr, mask;

  g_return_val_if_fail (left != NULL && right != NULL, NULL);
  g_return_val_if_fail (left_on != NULL, NULL);

  if (right_on == NULL)
    right_on = left_on;
  n_keys = g_strv_length ((char **) left_on);
  if (n_keys == 0 || n_keys != g_strv_length ((char **) right_on))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "A join needs the same number (at least one) of key columns on both sides");
      return NULL;
    }
  lkeys = g_new (TessColumn *, n_keys);
  rkeys = g_new (TessColumn *, n_keys);
  for (guint k = 0; k < n_keys; k++)
    {
      if ((lkeys[k] = require_column (left, left_on[k], error)) == NULL ||
          (rkeys[k] = require_column (right, right_on[k], error)) == NULL)
        return NULL;
      if (lkeys[k]->type != rkeys[k]->type)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Cannot join column “%s” (%s) with column “%s” (%s): the types differ", left_on[k],
                       tess_column_type_to_string (lkeys[k]->type), right_on[k],
                       tess_column_type_to_string (rkeys[k]->type));
          return NULL;
        }
    }
  nl = tess_frame_get_n_rows (left);
  nr = tess_frame_get_n_rows (right);

  /* chains of right rows per bucket, in right order */
  mask = 1;
  while (mask < nr * 2)
    mask <<= 1;
  mask--;
  heads = g_new (gsize, mask + 1);
  next = g_new (gsize, MAX (nr, 1));
  rhash = g_new (guint64, MAX (nr, 1));
  for (gsize s = 0; s <= mask; s++)
    heads[s] = G_MAXSIZE;
  for (gsize r = nr; r-- > 0;)
    {
      gboolean has_null = FALSE;
      for (guint k = 0; k < n_keys; k++)
        has_null |= !tess_column_valid (rkeys[k], r);
      next[r] = G_MAXSIZE;
      if (has_null)
        continue;
      rhash[r] = row_hash (rkeys, n_keys, r);
      next[r] = heads[rhash[r] & mask];
      heads[rhash[r] & mask] = r;
    }
  for (gsize l = 0; l < nl; l++)
    {
      gboolean has_null = FALSE, matched = FALSE;
      guint64 h;
      for (guint k = 0; k < n_keys; k++)
        has_null |= !tess_column_valid (lkeys[k], l);
      if (!has_null)
        {
          h = row_hash (lkeys, n_keys, l);
          for (gsize r = heads[h & mask]; r != G_MAXSIZE; r = next[r])
            if (rhash[r] == h && rows_equal (lkeys, l, rkeys, r, n_keys))
              {
                g_array_append_val (li, l);
                g_array_append_val (ri, r);
                matched = TRUE;
              }
        }
      if (!matched && kind == TESS_JOIN_LEFT)
        {
          gsize none = G_MAXSIZE;
          g_array_append_val (li, l);
          g_array_append_val (ri, none);
        }
    }

  for (guint c = 0; c < tess_frame_get_n_columns (left); c++)
    {
      TessColumn *column = tess_frame_get_column (left, c);
      g_ptr_array_add (columns, tess_column_take (column, (gsize *) li->data, li->len, NULL));
      g_hash_table_add (taken, g_strdup (column->name));
    }
  for (guint c = 0; c < tess_frame_get_n_columns (right); c++)
    {
      TessColumn *column = tess_frame_get_column (right, c);
      g_autofree char *name = NULL;
      gboolean is_key = FALSE;
      for (guint k = 0; k < n_keys; k++)
        is_key |= column == rkeys[k];
      if (is_key)
        continue;
      name = g_strdup (column->name);
      while (g_hash_table_contains (taken, name))
        {
          char *longer = g_strconcat (name, "_right", NULL);
          g_free (name);
          name = longer;
        }
      g_hash_table_add (taken, g_strdup (name));
      g_ptr_array_add (columns, tess_column_take (column, (gsize *) ri->data, ri->len, name));
    }
  return frame_from_array (columns, error);
}
