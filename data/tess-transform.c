/* tess-transform.c: select, rename, filter, sort, head and tail, time
 * buckets, rolling windows and joins.
 *
 * Row-selecting transforms compute an array of row indices and gather every
 * column through it (tess_column_take); column transforms share the columns
 * they keep. Joins hash rows by their key values. Group-by lives in
 * tess-groupby.c and derived columns in tess-expression.c; what they share
 * with this file is in tess-transform-private.h.
 */
#include "tess-transform.h"

#include "tess-csv.h"
#include "tess-transform-private.h"

#include <math.h>
#include <string.h>

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

G_DEFINE_BOXED_TYPE (TessPredicate, tess_predicate, tess_predicate_copy, tess_predicate_free)

TessPredicate *
tess_predicate_copy (const TessPredicate *p)
{
  TessPredicate *copy;

  g_return_val_if_fail (p != NULL, NULL);

  copy = pred_new (p->kind, p->column);
  copy->op = p->op;
  copy->value = p->value;
  copy->text = g_strdup (p->text);
  copy->values = g_strdupv (p->values);
  copy->a = p->a != NULL ? tess_predicate_copy (p->a) : NULL;
  copy->b = p->b != NULL ? tess_predicate_copy (p->b) : NULL;
  return copy;
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

gboolean
tess_predicate_eval_rows (TessFrame *frame, const TessPredicate *p, gsize start, gsize n, guint8 *mask, GError **error)
{
  TessColumn *column = NULL;

  if (p->column && (column = require_column (frame, p->column, error)) == NULL)
    return FALSE;
  switch (p->kind)
    {
    case PRED_IS_NULL:
    case PRED_NOT_NULL:
      for (gsize r = 0; r < n; r++)
        mask[r] = tess_column_valid (column, start + r) == (p->kind == PRED_NOT_NULL);
      return TRUE;
    case PRED_COMPARE:
      if (column->type == TESS_COLUMN_STRING)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Column “%s” holds text; compare it with text, not a number", column->name);
          return FALSE;
        }
      if (column->type == TESS_COLUMN_INT64 && column->bits == NULL)
        {
          /* the common case without a call a row: as tess_column_get_double
           * reads it, and never NaN */
          const gint64 *values = (const gint64 *) column->data + start;
          for (gsize r = 0; r < n; r++)
            {
              double v = (double) values[r];
              mask[r] = compare_result ((v > p->value) - (v < p->value), p->op);
            }
          return TRUE;
        }
      for (gsize r = 0; r < n; r++)
        {
          double v = tess_column_get_double (column, start + r);
          mask[r] = !isnan (v) && compare_result ((v > p->value) - (v < p->value), p->op);
        }
      return TRUE;
    case PRED_COMPARE_TEXT:
      if (column->type == TESS_COLUMN_STRING)
        {
          for (gsize r = 0; r < n; r++)
            {
              const char *s = tess_column_get_string (column, start + r);
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
              double v = tess_column_get_double (column, start + r);
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
              const char *s = tess_column_get_string (column, start + r);
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
              double v = tess_column_get_double (column, start + r);
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
          if (!tess_column_valid (column, start + r))
            mask[r] = FALSE;
          else if (column->type == TESS_COLUMN_STRING)
            mask[r] = strstr (tess_column_get_string (column, start + r), p->text) != NULL;
          else
            {
              g_autofree char *v = tess_column_format_value (column, start + r);
              mask[r] = strstr (v, p->text) != NULL;
            }
        }
      return TRUE;
    case PRED_AND:
    case PRED_OR:
      {
        g_autofree guint8 *other = g_malloc (MAX (n, 1));
        if (!tess_predicate_eval_rows (frame, p->a, start, n, mask, error) ||
            !tess_predicate_eval_rows (frame, p->b, start, n, other, error))
          return FALSE;
        for (gsize r = 0; r < n; r++)
          mask[r] = p->kind == PRED_AND ? (mask[r] && other[r]) : (mask[r] || other[r]);
        return TRUE;
      }
    case PRED_NOT:
      if (!tess_predicate_eval_rows (frame, p->a, start, n, mask, error))
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
  if (!tess_predicate_eval_rows (frame, predicate, 0, n, mask, error))
    return NULL;
  /* as many indices as rows kept: a filter of a large frame keeps few */
  for (gsize r = 0; r < n; r++)
    kept += mask[r] != 0;
  indices = g_new (gsize, MAX (kept, 1));
  kept = 0;
  for (gsize r = 0; r < n; r++)
    if (mask[r])
      indices[kept++] = r;
  g_clear_pointer (&mask, g_free);
  return take_rows (frame, indices, kept);
}

/* Order */

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

gint64
tess_time_unit_start_day (TessTimeUnit unit, gint64 days)
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
        tess_column_builder_append_date (b,
                                         (gint32) tess_time_unit_start_day (unit, ((const gint32 *) column->data)[r]));
      else
        {
          gint64 us = ((const gint64 *) column->data)[r];
          gint64 out;
          if (unit == TESS_TIME_MINUTE)
            out = floor_div (us, 60 * G_USEC_PER_SEC) * 60 * G_USEC_PER_SEC;
          else if (unit == TESS_TIME_HOUR)
            out = floor_div (us, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC) * 3600 * G_USEC_PER_SEC;
          else
            out = tess_time_unit_start_day (unit, floor_div (us, TESS_USEC_PER_DAY)) * TESS_USEC_PER_DAY;
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
