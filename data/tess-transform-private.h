/* tess-transform-private.h: what tess-transform.c (columns, filters, order,
 * time, rolling windows, joins) and tess-groupby.c (group-by) share, and the
 * expression check that documents/ runs when it parses a "derive" step.
 *
 * The column and frame helpers, the row order that sort and group-by both
 * use, and the row hashing that group-by and joins both use. They are static
 * inline so that the loops calling them can still inline them, as when the
 * transforms were one file. Not public API; any thread.
 */
#pragma once

#include "tess-frame-private.h"
#include "tess-transform.h"

G_BEGIN_DECLS

/* Expressions (tess-expression.c) */

/* Returns a name among @candidates close to @word, or NULL. */
typedef const char *(*TessExpressionSuggestFunc) (const char *word, const char *const *candidates);

/* Checks @expression as tess_frame_derive() does before it reads a column:
 * its length, its syntax and its function names; column names are not looked
 * up. On failure @error holds the message tess_frame_derive() would give,
 * where an unknown function also gets the name @suggest (when not NULL)
 * offers. Any thread. */
gboolean tess_expression_check (const char *expression, TessExpressionSuggestFunc suggest, GError **error);

static inline TessColumn *
require_column (TessFrame *frame, const char *name, GError **error)
{
  TessColumn *column = tess_frame_get_column_by_name (frame, name);

  if (column == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "There is no column “%s”", name);
  return column;
}

static inline TessFrame *
frame_from_array (GPtrArray *columns, GError **error)
{
  return tess_frame_new ((TessColumn **) columns->pdata, columns->len, error);
}

static inline GPtrArray *
column_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) tess_column_unref);
}

/* Filters and group-by (tess-transform.c, tess-groupby.c) */

/* Whether @p holds for rows [@start, @start + @n) of @frame, one byte a row
 * into @mask. Every check that can fail runs before any row is read, so @n = 0
 * checks the predicate against the frame alone. Any thread. */
gboolean
tess_predicate_eval_rows (TessFrame *frame, const TessPredicate *p, gsize start, gsize n, guint8 *mask, GError **error);

/* tess_frame_group_by() of tess_frame_filter (@frame, @where), without the
 * filtered frame: the group-by reads the rows @where keeps straight from
 * @frame, a chunk at a time, so a filter that keeps much of a large frame
 * copies nothing. The same result, and the same errors (the filter's first).
 * Any thread. */
TessFrame *tess_frame_filter_group_by (TessFrame *frame,
                                       const TessPredicate *where,
                                       const char *const *keys,
                                       const TessAggregation *aggregations,
                                       guint n_aggregations,
                                       GError **error);

/* Row order by sort keys, for g_qsort_with_data. */
typedef struct
{
  TessColumn **columns;
  const TessSortKey *keys;
  guint n_keys;
} SortData;

static inline int
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

/* Row keys: the hash of a row's key values, and whether two rows' keys are
 * equal (nulls equal to nulls). */
static inline guint64
row_hash (TessColumn **keys, guint n_keys, gsize row)
{
  guint64 h = 0x243f6a8885a308d3ULL;
  for (guint k = 0; k < n_keys; k++)
    h = (h ^ tess_column_hash_row (keys[k], row)) * 0x100000001b3ULL + k;
  return h ^ (h >> 29);
}

static inline gboolean
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

G_END_DECLS
