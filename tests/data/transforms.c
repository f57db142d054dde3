/* transforms.c: every transform against a brute-force reference on random
 * frames (ints, doubles with ties, strings, dates, timestamps, bools, all with
 * nulls), and the errors a user can cause.
 */
#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-csv-private.h"
#include "tess-json-reader.h"
#include "tess-cache.h"
#include "tess-source.h"
#include "tess-transform.h"
#include "tess-transform-private.h"
#include "tess-frame-private.h"

#include <math.h>

#define N_FRAMES 40

/* Random frames */

static const char *const words[] = { "a", "b", "c", "d" };

static TessFrame *
random_frame (gsize n)
{
  TessColumnBuilder *k = tess_column_builder_new ("k", TESS_COLUMN_INT64, n);
  TessColumnBuilder *v = tess_column_builder_new ("v", TESS_COLUMN_DOUBLE, n);
  TessColumnBuilder *s = tess_column_builder_new ("s", TESS_COLUMN_STRING, n);
  TessColumnBuilder *d = tess_column_builder_new ("d", TESS_COLUMN_DATE, n);
  TessColumnBuilder *t = tess_column_builder_new ("t", TESS_COLUMN_TIMESTAMP, n);
  TessColumnBuilder *b = tess_column_builder_new ("b", TESS_COLUMN_BOOL, n);
  TessColumn *cols[6];
  TessFrame *frame;

  for (gsize r = 0; r < n; r++)
    {
#define MAYBE_NULL(builder, stmt)                                                                                      \
  if (g_test_rand_int_range (0, 10) == 0)                                                                              \
    tess_column_builder_append_null (builder);                                                                         \
  else                                                                                                                 \
    stmt;
      MAYBE_NULL (k, tess_column_builder_append_int64 (k, g_test_rand_int_range (-2, 4)));
      MAYBE_NULL (v, tess_column_builder_append_double (v, g_test_rand_int_range (-40, 40) / 2.0));
      MAYBE_NULL (s, tess_column_builder_append_string (s, words[g_test_rand_int_range (0, 4)]));
      MAYBE_NULL (d, tess_column_builder_append_date (d, g_test_rand_int_range (-800, 800)));
      MAYBE_NULL (t, tess_column_builder_append_timestamp (t, (gint64) g_test_rand_int_range (-100000, 100000) * 3600 *
                                                                      7 * G_USEC_PER_SEC +
                                                                  g_test_rand_int_range (0, 1000000)));
      MAYBE_NULL (b, tess_column_builder_append_bool (b, g_test_rand_bit ()));
    }
  cols[0] = tess_column_builder_finish (k);
  cols[1] = tess_column_builder_finish (v);
  cols[2] = tess_column_builder_finish (s);
  cols[3] = tess_column_builder_finish (d);
  cols[4] = tess_column_builder_finish (t);
  cols[5] = tess_column_builder_finish (b);
  frame = tess_frame_new (cols, 6, NULL);
  for (int i = 0; i < 6; i++)
    tess_column_unref (cols[i]);
  return frame;
}

/* Reference helpers, written only against the public frame API */

static TessColumn *
col (TessFrame *frame, const char *name)
{
  TessColumn *c = tess_frame_get_column_by_name (frame, name);
  g_assert_nonnull (c);
  return c;
}

static int
ref_compare (TessColumn *c, gsize a, gsize b)
{
  if (tess_column_get_column_type (c) == TESS_COLUMN_STRING)
    {
      int x = strcmp (tess_column_get_string (c, a), tess_column_get_string (c, b));
      return (x > 0) - (x < 0);
    }
  else
    {
      double x = tess_column_get_double (c, a), y = tess_column_get_double (c, b);
      return (x > y) - (x < y);
    }
}

static void
assert_same_row (TessFrame *result, gsize row, TessFrame *source, gsize source_row)
{
  for (guint c = 0; c < tess_frame_get_n_columns (source); c++)
    {
      TessColumn *sc = tess_frame_get_column (source, c);
      TessColumn *rc = col (result, tess_column_get_name (sc));
      g_autofree char *a = tess_column_format_value (rc, row);
      g_autofree char *b = tess_column_format_value (sc, source_row);
      g_assert_cmpstr (a, ==, b);
      g_assert_cmpint (tess_column_is_null (rc, row), ==, tess_column_is_null (sc, source_row));
    }
}

static void
assert_rows (TessFrame *result, TessFrame *source, const gsize *rows, gsize n)
{
  g_assert_cmpuint (tess_frame_get_n_rows (result), ==, n);
  for (gsize i = 0; i < n; i++)
    assert_same_row (result, i, source, rows[i]);
}

static void
assert_double (TessColumn *c, gsize row, double expected)
{
  if (isnan (expected))
    {
      g_assert_true (tess_column_is_null (c, row));
      return;
    }
  g_assert_false (tess_column_is_null (c, row));
  g_assert_cmpfloat_with_epsilon (tess_column_get_double (c, row), expected, 1e-9 * MAX (1, fabs (expected)));
}

/* Select and rename */

static void
test_select_rename (void)
{
  g_autoptr (TessFrame) frame = random_frame (50);
  const char *names[] = { "s", "k", NULL };
  const char *missing[] = { "k", "nope", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) selected = tess_frame_select (frame, names, &error);
  g_autoptr (TessFrame) renamed = NULL;
  g_autoptr (TessFrame) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_columns (selected), ==, 2);
  g_assert_true (tess_frame_get_column (selected, 0) == col (frame, "s"));
  g_assert_true (tess_frame_get_column (selected, 1) == col (frame, "k"));

  renamed = tess_frame_rename (frame, "v", "value", &error);
  g_assert_no_error (error);
  g_assert_null (tess_frame_get_column_by_name (renamed, "v"));
  g_assert_cmpint (tess_frame_get_column_index (renamed, "value"), ==, 1);
  g_assert_true (tess_column_get_double_data (col (renamed, "value")) ==
                 tess_column_get_double_data (col (frame, "v")));
  g_assert_true (col (renamed, "k") == col (frame, "k"));

  bad = tess_frame_select (frame, missing, &error);
  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nope"));
  g_clear_error (&error);
  bad = tess_frame_rename (frame, "v", "k", &error);
  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* Filter */

typedef struct _Ref Ref;
struct _Ref
{
  int kind; /* 0 cmp number, 1 cmp text string, 2 cmp date text, 3 in, 4 is null, 5 not null, 6 and, 7 or, 8 not, 9
               contains */
  const char *column;
  TessCompareOp op;
  double value;
  const char *text;
  Ref *a, *b;
};

static gboolean
cmp_ok (int c, TessCompareOp op)
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
    default:
      return c >= 0;
    }
}

static gboolean
ref_eval (Ref *ref, TessFrame *frame, gsize r)
{
  TessColumn *c = ref->column ? col (frame, ref->column) : NULL;

  switch (ref->kind)
    {
    case 0:
      if (tess_column_is_null (c, r))
        return FALSE;
      {
        double x = tess_column_get_double (c, r);
        return cmp_ok ((x > ref->value) - (x < ref->value), ref->op);
      }
    case 1:
      return !tess_column_is_null (c, r) && cmp_ok (strcmp (tess_column_get_string (c, r), ref->text), ref->op);
    case 2:
      {
        g_autofree char *v = NULL;
        if (tess_column_is_null (c, r))
          return FALSE;
        v = tess_column_format_value (c, r); /* YYYY-MM-DD compares like the date for these years */
        return cmp_ok (strcmp (v, ref->text) > 0 ? 1 : strcmp (v, ref->text) < 0 ? -1 : 0, ref->op);
      }
    case 3:
      return !tess_column_is_null (c, r) &&
             (g_str_equal (tess_column_get_string (c, r), "a") || g_str_equal (tess_column_get_string (c, r), "c"));
    case 9:
      {
        g_autofree char *v = NULL;
        if (tess_column_is_null (c, r))
          return FALSE;
        v = tess_column_format_value (c, r);
        return strstr (v, ref->text) != NULL;
      }
    case 4:
      return tess_column_is_null (c, r);
    case 5:
      return !tess_column_is_null (c, r);
    case 6:
      return ref_eval (ref->a, frame, r) && ref_eval (ref->b, frame, r);
    case 7:
      return ref_eval (ref->a, frame, r) || ref_eval (ref->b, frame, r);
    default:
      return !ref_eval (ref->a, frame, r);
    }
}

static void
ref_free (Ref *ref)
{
  if (ref == NULL)
    return;
  ref_free (ref->a);
  ref_free (ref->b);
  g_free (ref);
}

static const char *const dates[] = { "1968-06-01", "1970-01-01", "1971-03-15" };
static const char *const columns_any[] = { "k", "v", "s", "d", "t", "b" };

static Ref *
random_predicate (TessPredicate **out, int depth)
{
  Ref *ref = g_new0 (Ref, 1);
  int kind = depth > 2 ? g_test_rand_int_range (0, 6) : g_test_rand_int_range (0, 10);

  ref->kind = kind;
  ref->op = g_test_rand_int_range (0, 6);
  switch (kind)
    {
    case 0:
      ref->column = g_test_rand_bit () ? "k" : "v";
      ref->value = g_test_rand_int_range (-6, 6) / 2.0;
      *out = tess_predicate_compare (ref->column, ref->op, ref->value);
      break;
    case 1:
      ref->column = "s";
      ref->text = words[g_test_rand_int_range (0, 4)];
      *out = tess_predicate_compare_text ("s", ref->op, ref->text);
      break;
    case 2:
      ref->column = "d";
      ref->text = dates[g_test_rand_int_range (0, 3)];
      *out = tess_predicate_compare_text ("d", ref->op, ref->text);
      break;
    case 3:
      {
        const char *set[] = { "a", "c", NULL };
        ref->column = "s";
        *out = tess_predicate_in ("s", set);
      }
      break;
    case 4:
    case 5:
      ref->column = columns_any[g_test_rand_int_range (0, 6)];
      *out = kind == 4 ? tess_predicate_is_null (ref->column) : tess_predicate_is_not_null (ref->column);
      break;
    case 6:
    case 7:
      {
        TessPredicate *a, *b;
        ref->a = random_predicate (&a, depth + 1);
        ref->b = random_predicate (&b, depth + 1);
        *out = kind == 6 ? tess_predicate_and (a, b) : tess_predicate_or (a, b);
      }
      break;
    case 9:
      {
        static const char *const needles[] = { "a", "-0", "1", "T0", "" };
        ref->column = columns_any[g_test_rand_int_range (0, 6)];
        ref->text = needles[g_test_rand_int_range (0, 5)];
        *out = tess_predicate_contains (ref->column, ref->text);
      }
      break;
    default:
      {
        TessPredicate *a;
        ref->a = random_predicate (&a, depth + 1);
        *out = tess_predicate_not (a);
      }
      break;
    }
  return ref;
}

static void
test_filter (void)
{
  for (int f = 0; f < N_FRAMES; f++)
    {
      g_autoptr (TessFrame) frame = random_frame (g_test_rand_int_range (0, 200));
      gsize n = tess_frame_get_n_rows (frame);

      for (int p = 0; p < 10; p++)
        {
          TessPredicate *pred = NULL;
          Ref *ref = random_predicate (&pred, 0);
          g_autoptr (GError) error = NULL;
          g_autoptr (TessFrame) result = tess_frame_filter (frame, pred, &error);
          g_autofree gsize *rows = g_new (gsize, n + 1);
          gsize count = 0;

          g_assert_no_error (error);
          for (gsize r = 0; r < n; r++)
            if (ref_eval (ref, frame, r))
              rows[count++] = r;
          assert_rows (result, frame, rows, count);
          tess_predicate_free (pred);
          ref_free (ref);
        }
    }
  {
    g_autoptr (TessFrame) frame = random_frame (10);
    g_autoptr (TessPredicate) bad = tess_predicate_compare_text ("d", TESS_COMPARE_LT, "yesterday");
    g_autoptr (TessPredicate) text = tess_predicate_compare ("s", TESS_COMPARE_LT, 1);
    g_autoptr (GError) error = NULL;
    g_autoptr (TessFrame) result = tess_frame_filter (frame, bad, &error);
    g_assert_null (result);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    result = tess_frame_filter (frame, text, &error);
    g_assert_null (result);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

/* Sort, head, tail */

static int
ref_sort_compare (TessFrame *frame, const TessSortKey *keys, guint n_keys, gsize a, gsize b)
{
  for (guint k = 0; k < n_keys; k++)
    {
      TessColumn *c = col (frame, keys[k].column);
      gboolean na = tess_column_is_null (c, a), nb = tess_column_is_null (c, b);
      int cmp;
      if (na || nb)
        {
          if (na && nb)
            continue;
          return na ? 1 : -1;
        }
      cmp = ref_compare (c, a, b);
      if (cmp)
        return keys[k].descending ? -cmp : cmp;
    }
  return 0;
}

static void
test_sort (void)
{
  for (int f = 0; f < N_FRAMES; f++)
    {
      g_autoptr (TessFrame) frame = random_frame (g_test_rand_int_range (0, 200));
      gsize n = tess_frame_get_n_rows (frame);
      TessSortKey keys[3];
      guint n_keys = g_test_rand_int_range (1, 4);
      g_autofree gsize *rows = g_new (gsize, n + 1);
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) sorted = NULL;

      for (guint k = 0; k < n_keys; k++)
        {
          keys[k].column = columns_any[g_test_rand_int_range (0, 6)];
          keys[k].descending = g_test_rand_bit ();
        }
      /* insertion sort: stable by construction */
      for (gsize i = 0; i < n; i++)
        {
          gsize j = i;
          while (j > 0 && ref_sort_compare (frame, keys, n_keys, rows[j - 1], i) > 0)
            {
              rows[j] = rows[j - 1];
              j--;
            }
          rows[j] = i;
        }
      sorted = tess_frame_sort (frame, keys, n_keys, &error);
      g_assert_no_error (error);
      assert_rows (sorted, frame, rows, n);

      {
        gsize h = g_test_rand_int_range (0, 250);
        g_autoptr (TessFrame) head = tess_frame_head (frame, h);
        g_autoptr (TessFrame) tail = tess_frame_tail (frame, h);
        g_autofree gsize *idx = g_new (gsize, n + 1);
        gsize m = MIN (h, n);
        for (gsize i = 0; i < m; i++)
          idx[i] = i;
        assert_rows (head, frame, idx, m);
        for (gsize i = 0; i < m; i++)
          idx[i] = n - m + i;
        assert_rows (tail, frame, idx, m);
      }
    }
}

/* Group-by */

static int
cmp_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
test_group_by (void)
{
  for (int f = 0; f < N_FRAMES; f++)
    {
      g_autoptr (TessFrame) frame = random_frame (g_test_rand_int_range (0, 200));
      gsize n = tess_frame_get_n_rows (frame);
      const char *key_sets[][3] = { { "k", NULL }, { "s", NULL }, { "s", "k", NULL }, { "d", "b", NULL } };
      const char *const *keys = key_sets[f % 4];
      guint n_keys = g_strv_length ((char **) keys);
      TessSortKey sort_keys[2] = { { keys[0], FALSE }, { keys[1], FALSE } };
      TessAggregation aggs[] = {
        { NULL, TESS_AGGREGATE_COUNT, NULL },      { "v", TESS_AGGREGATE_COUNT, NULL },
        { "v", TESS_AGGREGATE_SUM, NULL },         { "v", TESS_AGGREGATE_MEAN, NULL },
        { "v", TESS_AGGREGATE_MIN, NULL },         { "v", TESS_AGGREGATE_MAX, NULL },
        { "v", TESS_AGGREGATE_MEDIAN, NULL },      { "v", TESS_AGGREGATE_DISTINCT, NULL },
        { "t", TESS_AGGREGATE_MAX, "latest" },     { "b", TESS_AGGREGATE_SUM, "trues" },
        { "s", TESS_AGGREGATE_MIN, "first_word" },
      };
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) result = tess_frame_group_by (frame, keys, aggs, G_N_ELEMENTS (aggs), &error);
      g_autofree gsize *reps = g_new (gsize, n + 1);
      gsize n_groups = 0;

      g_assert_no_error (error);
      /* groups: first rows of each distinct key, sorted like the result */
      for (gsize r = 0; r < n; r++)
        {
          gboolean seen = FALSE;
          for (gsize g = 0; g < n_groups && !seen; g++)
            {
              gboolean same = TRUE;
              for (guint k = 0; k < n_keys; k++)
                {
                  g_autofree char *a = tess_column_format_value (col (frame, keys[k]), r);
                  g_autofree char *b = tess_column_format_value (col (frame, keys[k]), reps[g]);
                  same &= tess_column_is_null (col (frame, keys[k]), r) ==
                              tess_column_is_null (col (frame, keys[k]), reps[g]) &&
                          g_str_equal (a, b);
                }
              seen = same;
            }
          if (!seen)
            {
              gsize j = n_groups++;
              while (j > 0 && ref_sort_compare (frame, sort_keys, n_keys, reps[j - 1], r) > 0)
                {
                  reps[j] = reps[j - 1];
                  j--;
                }
              reps[j] = r;
            }
        }
      g_assert_cmpuint (tess_frame_get_n_rows (result), ==, n_groups);
      g_assert_cmpuint (tess_frame_get_n_columns (result), ==, n_keys + G_N_ELEMENTS (aggs));
      for (gsize g = 0; g < n_groups; g++)
        {
          g_autofree double *values = g_new (double, n + 1);
          gsize rows = 0, count = 0, trues = 0, distinct = 0;
          double sum = 0;
          gint64 latest = G_MININT64;
          const char *first_word = NULL;

          for (guint k = 0; k < n_keys; k++)
            {
              g_autofree char *a = tess_column_format_value (col (result, keys[k]), g);
              g_autofree char *b = tess_column_format_value (col (frame, keys[k]), reps[g]);
              g_assert_cmpstr (a, ==, b);
            }
          for (gsize r = 0; r < n; r++)
            {
              gboolean member = TRUE;
              for (guint k = 0; k < n_keys; k++)
                {
                  TessColumn *kc = col (frame, keys[k]);
                  gboolean nr = tess_column_is_null (kc, r), ng = tess_column_is_null (kc, reps[g]);
                  member &= nr == ng && (nr || ref_compare (kc, r, reps[g]) == 0);
                }
              if (!member)
                continue;
              rows++;
              if (!tess_column_is_null (col (frame, "v"), r))
                {
                  values[count++] = tess_column_get_double (col (frame, "v"), r);
                  sum += values[count - 1];
                }
              if (!tess_column_is_null (col (frame, "t"), r))
                latest = MAX (latest, tess_column_get_int64 (col (frame, "t"), r));
              if (!tess_column_is_null (col (frame, "b"), r))
                trues += tess_column_get_bool (col (frame, "b"), r);
              if (!tess_column_is_null (col (frame, "s"), r) &&
                  (first_word == NULL || strcmp (tess_column_get_string (col (frame, "s"), r), first_word) < 0))
                first_word = tess_column_get_string (col (frame, "s"), r);
            }
          qsort (values, count, sizeof (double), cmp_doubles);
          for (gsize i = 0; i < count; i++)
            distinct += i == 0 || values[i] != values[i - 1];

          g_assert_cmpint (tess_column_get_int64 (col (result, "count"), g), ==, rows);
          g_assert_cmpint (tess_column_get_int64 (col (result, "v_count"), g), ==, count);
          assert_double (col (result, "v_sum"), g, sum);
          assert_double (col (result, "v_mean"), g, count ? sum / count : NAN);
          assert_double (col (result, "v_min"), g, count ? values[0] : NAN);
          assert_double (col (result, "v_max"), g, count ? values[count - 1] : NAN);
          assert_double (col (result, "v_median"), g,
                         count == 0  ? NAN
                         : count % 2 ? values[count / 2]
                                     : (values[count / 2 - 1] + values[count / 2]) / 2);
          g_assert_cmpint (tess_column_get_int64 (col (result, "v_distinct"), g), ==, distinct);
          if (latest == G_MININT64)
            g_assert_true (tess_column_is_null (col (result, "latest"), g));
          else
            g_assert_cmpint (tess_column_get_int64 (col (result, "latest"), g), ==, latest);
          g_assert_cmpint (tess_column_get_column_type (col (result, "latest")), ==, TESS_COLUMN_TIMESTAMP);
          g_assert_cmpint (tess_column_get_int64 (col (result, "trues"), g), ==, trues);
          g_assert_cmpstr (tess_column_get_string (col (result, "first_word"), g), ==, first_word);
        }
    }
  {
    g_autoptr (TessFrame) frame = random_frame (10);
    const char *keys[] = { "k", NULL };
    TessAggregation mean_of_text = { "s", TESS_AGGREGATE_MEAN, NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (TessFrame) result = tess_frame_group_by (frame, keys, &mean_of_text, 1, &error);
    g_assert_null (result);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

static void
test_group_by_wide_keys (void)
{
  /* int64 keys without nulls spread far apart take the hashing path; close
   * together, the direct one: both must agree with the reference */
  for (int spread = 0; spread < 2; spread++)
    {
      gsize n = 5000;
      g_autofree gint64 *keys = g_new (gint64, n);
      g_autofree double *values = g_new (double, n);
      gint64 choices[50];
      g_autoptr (TessColumn) kc = NULL;
      g_autoptr (TessColumn) vc = NULL;
      g_autoptr (TessFrame) frame = NULL;
      g_autoptr (TessFrame) result = NULL;
      g_autoptr (GError) error = NULL;
      const char *by[] = { "key", NULL };
      TessAggregation aggs[] = { { "value", TESS_AGGREGATE_SUM, NULL }, { NULL, TESS_AGGREGATE_COUNT, NULL } };

      for (int i = 0; i < 50; i++)
        choices[i] = spread ? (gint64) g_test_rand_int () * (G_GINT64_CONSTANT (1) << 31) + i : i * 3 - 70;
      for (gsize r = 0; r < n; r++)
        {
          keys[r] = choices[g_test_rand_int_range (0, 50)];
          values[r] = g_test_rand_int_range (0, 100);
        }
      kc = tess_column_new_int64 ("key", keys, n);
      vc = tess_column_new_double ("value", values, n);
      {
        TessColumn *cols[] = { kc, vc };
        frame = tess_frame_new (cols, 2, NULL);
      }
      result = tess_frame_group_by (frame, by, aggs, 2, &error);
      g_assert_no_error (error);
      for (gsize g = 0; g < tess_frame_get_n_rows (result); g++)
        {
          gint64 key = tess_column_get_int64 (col (result, "key"), g);
          double sum = 0;
          gint64 count = 0;
          if (g > 0)
            g_assert_cmpint (tess_column_get_int64 (col (result, "key"), g - 1), <, key);
          for (gsize r = 0; r < n; r++)
            if (keys[r] == key)
              sum += values[r], count++;
          g_assert_cmpint (count, >, 0);
          assert_double (col (result, "value_sum"), g, sum);
          g_assert_cmpint (tess_column_get_int64 (col (result, "count"), g), ==, count);
        }
    }
}

/* Time buckets, against GLib's calendar */

static gint64
ref_bucket_usec (gint64 usec, TessTimeUnit unit)
{
  gint64 secs = usec >= 0 ? usec / G_USEC_PER_SEC : -((-usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (secs);
  g_autoptr (GDateTime) out = NULL;
  int y = g_date_time_get_year (dt), m = g_date_time_get_month (dt), d = g_date_time_get_day_of_month (dt);

  switch (unit)
    {
    case TESS_TIME_MINUTE:
      out = g_date_time_new_utc (y, m, d, g_date_time_get_hour (dt), g_date_time_get_minute (dt), 0);
      break;
    case TESS_TIME_HOUR:
      out = g_date_time_new_utc (y, m, d, g_date_time_get_hour (dt), 0, 0);
      break;
    case TESS_TIME_DAY:
      out = g_date_time_new_utc (y, m, d, 0, 0, 0);
      break;
    case TESS_TIME_WEEK:
      {
        g_autoptr (GDateTime) day = g_date_time_new_utc (y, m, d, 0, 0, 0);
        out = g_date_time_add_days (day, 1 - g_date_time_get_day_of_week (day));
      }
      break;
    case TESS_TIME_MONTH:
      out = g_date_time_new_utc (y, m, 1, 0, 0, 0);
      break;
    case TESS_TIME_QUARTER:
      out = g_date_time_new_utc (y, (m - 1) / 3 * 3 + 1, 1, 0, 0, 0);
      break;
    default:
      out = g_date_time_new_utc (y, 1, 1, 0, 0, 0);
      break;
    }
  return g_date_time_to_unix (out) * G_USEC_PER_SEC;
}

static void
test_time_bucket (void)
{
  for (int f = 0; f < N_FRAMES / 4; f++)
    {
      g_autoptr (TessFrame) frame = random_frame (g_test_rand_int_range (0, 200));
      gsize n = tess_frame_get_n_rows (frame);

      for (TessTimeUnit unit = TESS_TIME_MINUTE; unit <= TESS_TIME_YEAR; unit++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (TessFrame) by_t = tess_frame_time_bucket (frame, "t", unit, "tb", &error);
          g_autoptr (TessFrame) by_d = tess_frame_time_bucket (frame, "d", unit, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpint (tess_frame_get_column_index (by_d, "d"), ==, 3);
          g_assert_cmpint (tess_column_get_column_type (col (by_d, "d")), ==, TESS_COLUMN_DATE);
          for (gsize r = 0; r < n; r++)
            {
              TessColumn *t = col (frame, "t"), *d = col (frame, "d");
              if (tess_column_is_null (t, r))
                g_assert_true (tess_column_is_null (col (by_t, "tb"), r));
              else
                g_assert_cmpint (tess_column_get_int64 (col (by_t, "tb"), r), ==,
                                 ref_bucket_usec (tess_column_get_int64 (t, r), unit));
              if (tess_column_is_null (d, r))
                g_assert_true (tess_column_is_null (col (by_d, "d"), r));
              else
                g_assert_cmpint (
                    tess_column_get_int64 (col (by_d, "d"), r), ==,
                    ref_bucket_usec (tess_column_get_int64 (d, r) * 86400 * (gint64) G_USEC_PER_SEC, unit) /
                        (86400 * (gint64) G_USEC_PER_SEC));
            }
        }
    }
  {
    g_autoptr (TessFrame) frame = random_frame (5);
    g_autoptr (GError) error = NULL;
    g_autoptr (TessFrame) result = tess_frame_time_bucket (frame, "s", TESS_TIME_DAY, NULL, &error);
    g_assert_null (result);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

/* Rolling windows */

static void
test_rolling (void)
{
  for (int f = 0; f < N_FRAMES; f++)
    {
      g_autoptr (TessFrame) frame = random_frame (g_test_rand_int_range (0, 3000));
      gsize n = tess_frame_get_n_rows (frame);
      guint window = g_test_rand_int_range (1, 6);
      const char *name = g_test_rand_bit () ? "v" : "k";
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) means = tess_frame_rolling_mean (frame, name, window, NULL, &error);
      g_autoptr (TessFrame) sums = tess_frame_rolling_sum (frame, name, window, "rs", &error);
      g_autofree char *mean_name = g_strdup_printf ("%s_rolling_mean", name);

      g_assert_no_error (error);
      for (gsize r = 0; r < n; r++)
        {
          double sum = 0;
          gboolean null = r + 1 < window;
          for (gsize k = r + 1 >= window ? r + 1 - window : 0; k <= r && !null; k++)
            {
              if (tess_column_is_null (col (frame, name), k))
                null = TRUE;
              sum += tess_column_get_double (col (frame, name), k);
            }
          assert_double (col (means, mean_name), r, null ? NAN : sum / window);
          assert_double (col (sums, "rs"), r, null ? NAN : sum);
        }
    }
}

/* Derived columns */

static double
ref_derive (int which, double k, double v)
{
  double r;
  switch (which)
    {
    case 0:
      r = k * 2 + v;
      break;
    case 1:
      r = (v - k) / 3;
      break;
    case 2:
      r = fmod (fabs (v), 7);
      break;
    case 3:
      r = -v + sqrt (fabs (k));
      break;
    case 4:
      r = v / k;
      break;
    default:
      r = -(-k) * (v + 1.5e1) - fmod (round (v), 4);
      break;
    }
  return isfinite (r) ? r : NAN;
}

static void
test_derive (void)
{
  const char *expressions[] = { "k * 2 + v",         "(v - k) / 3", "abs(v) % 7",
                                "-v + sqrt(abs(k))", "`v` / k",     "-(-k) * (v + 1.5e1) - round(v) % 4" };

  for (int f = 0; f < N_FRAMES / 2; f++)
    {
      g_autoptr (TessFrame) frame = random_frame (g_test_rand_int_range (0, 200));
      gsize n = tess_frame_get_n_rows (frame);

      for (int e = 0; e < (int) G_N_ELEMENTS (expressions); e++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (TessFrame) result = tess_frame_derive (frame, "x", expressions[e], &error);
          g_assert_no_error (error);
          g_assert_cmpuint (tess_frame_get_n_columns (result), ==, 7);
          for (gsize r = 0; r < n; r++)
            assert_double (col (result, "x"), r,
                           ref_derive (e, tess_column_get_double (col (frame, "k"), r),
                                       tess_column_get_double (col (frame, "v"), r)));
        }
    }
  {
    g_autoptr (GString) deep = g_string_new (NULL);
    g_autoptr (GString) long_sum = g_string_new ("k");
    const char *bad[] = { "k +", "s * 2", "nope + 1", "(k", "k k", "foo(k)", "`k", NULL, NULL };
    for (int i = 0; i < 40; i++)
      g_string_append (deep, "(k + ");
    for (int i = 0; i < 3000; i++)
      g_string_append (long_sum, " + k");
    bad[7] = deep->str;
    bad[8] = long_sum->str;
    g_autoptr (TessFrame) frame = random_frame (5);
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (TessFrame) result = tess_frame_derive (frame, "x", bad[i], &error);
        g_assert_null (result);
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
        g_test_message ("%s", error->message);
      }
  }
}

/* Joins */

static void
test_join (void)
{
  for (int f = 0; f < N_FRAMES; f++)
    {
      g_autoptr (TessFrame) left = random_frame (g_test_rand_int_range (0, 60));
      g_autoptr (TessFrame) right_full = random_frame (g_test_rand_int_range (0, 60));
      const char *right_cols[] = { "k", "s", "v", NULL };
      g_autoptr (TessFrame) right = tess_frame_select (right_full, right_cols, NULL);
      const char *keys_one[] = { "k", NULL };
      const char *keys_two[] = { "k", "s", NULL };
      const char *const *keys = f % 2 ? keys_one : keys_two;
      guint n_keys = g_strv_length ((char **) keys);
      TessJoinKind kind = f % 4 < 2 ? TESS_JOIN_INNER : TESS_JOIN_LEFT;
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) joined = tess_frame_join (left, right, keys, NULL, kind, &error);
      gsize nl = tess_frame_get_n_rows (left), nr = tess_frame_get_n_rows (right);
      gsize out = 0;
      const char *v_right = "v_right";
      const char *s_right = n_keys == 1 ? "s_right" : NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (tess_frame_get_n_columns (joined), ==, 6 + 3 - n_keys);
      for (gsize l = 0; l < nl; l++)
        {
          gboolean matched = FALSE;
          for (gsize r = 0; r < nr; r++)
            {
              gboolean eq = TRUE;
              for (guint k = 0; k < n_keys; k++)
                {
                  TessColumn *lc = col (left, keys[k]), *rc = col (right, keys[k]);
                  g_autofree char *a = tess_column_format_value (lc, l);
                  g_autofree char *b = tess_column_format_value (rc, r);
                  eq &= !tess_column_is_null (lc, l) && !tess_column_is_null (rc, r) && g_str_equal (a, b);
                }
              if (!eq)
                continue;
              matched = TRUE;
              g_assert_cmpuint (out, <, tess_frame_get_n_rows (joined));
              assert_same_row (joined, out, left, l);
              {
                g_autofree char *a = tess_column_format_value (col (joined, v_right), out);
                g_autofree char *b = tess_column_format_value (col (right, "v"), r);
                g_assert_cmpstr (a, ==, b);
              }
              if (s_right)
                {
                  g_autofree char *a = tess_column_format_value (col (joined, s_right), out);
                  g_autofree char *b = tess_column_format_value (col (right, "s"), r);
                  g_assert_cmpstr (a, ==, b);
                }
              out++;
            }
          if (!matched && kind == TESS_JOIN_LEFT)
            {
              assert_same_row (joined, out, left, l);
              g_assert_true (tess_column_is_null (col (joined, v_right), out));
              out++;
            }
        }
      g_assert_cmpuint (tess_frame_get_n_rows (joined), ==, out);
    }
  {
    g_autoptr (TessFrame) a = random_frame (5);
    const char *l[] = { "k", NULL };
    const char *r[] = { "s", NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (TessFrame) bad = tess_frame_join (a, a, l, r, TESS_JOIN_INNER, &error);
    g_assert_null (bad);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

/* Text keys as the CSV reader keeps them: a few names, each kept once per
 * chunk of a parallel read, so one name sits at several places; and a key of
 * over a megabyte of distinct text. Counts and sums per group are known. */
static void
test_group_by_text_keys (void)
{
  static const char *const categories[] = { "books", "games", "music", "garden-tools-and-machines", "food" };
  static const char *const cities[] = { "Oslo, NO", "Lima, PE", "Kyoto, JP" };
  const guint rows = 120000;
  g_autoptr (GString) text = g_string_new ("category,city,value,label\n");
  gint64 counts[5][3] = { { 0 } }, sums[5][3] = { { 0 } };
  TessCsvSplit split = { .max_threads = 2, .chunk_bytes = 64 * 1024 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  g_autoptr (TessFrame) grouped = NULL;
  g_autoptr (TessFrame) by_label = NULL;
  const char *keys[] = { "category", "city", NULL };
  const char *label_keys[] = { "label", "category", NULL };
  TessAggregation aggs[] = { { NULL, TESS_AGGREGATE_COUNT, "rows" }, { "value", TESS_AGGREGATE_SUM, "total" } };

  for (guint i = 0; i < rows; i++)
    {
      guint c = (i * 7 + i / 3) % 5, t = (i * 5 + i / 7) % 3;
      /* every 97th category is empty: a null key */
      if (i % 97 == 0)
        g_string_append_printf (text, ",\"%s\",%u,label-%08u-%s\n", cities[t], i % 11, i, categories[c]);
      else
        {
          g_string_append_printf (text, "%s,\"%s\",%u,label-%08u-%s\n", categories[c], cities[t], i % 11, i,
                                  categories[c]);
          counts[c][t]++;
          sums[c][t] += i % 11;
        }
    }
  frame = tess_csv_read_split (text->str, text->len, NULL, &split, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (split.n_chunks, >, 4);
  grouped = tess_frame_group_by (frame, keys, aggs, G_N_ELEMENTS (aggs), &error);
  g_assert_no_error (error);
  /* 15 groups of names, then the 3 of a null category, last */
  g_assert_cmpuint (tess_frame_get_n_rows (grouped), ==, 18);
  for (gsize r = 0; r < 15; r++)
    {
      const char *category = tess_column_get_string (col (grouped, "category"), r);
      const char *city = tess_column_get_string (col (grouped, "city"), r);
      guint c = 0, t = 0;
      while (!g_str_equal (categories[c], category))
        c++;
      while (!g_str_equal (cities[t], city))
        t++;
      g_assert_cmpint (tess_column_get_int64 (col (grouped, "rows"), r), ==, counts[c][t]);
      g_assert_cmpint (tess_column_get_int64 (col (grouped, "total"), r), ==, sums[c][t]);
      if (r > 0)
        {
          int order = strcmp (tess_column_get_string (col (grouped, "category"), r - 1), category);
          g_assert_true (order < 0 ||
                         (order == 0 && strcmp (tess_column_get_string (col (grouped, "city"), r - 1), city) < 0));
        }
    }
  for (gsize r = 15; r < 18; r++)
    g_assert_true (tess_column_is_null (col (grouped, "category"), r));

  /* a label per row: over a megabyte of text, one group a row */
  g_assert_cmpuint (tess_column_get_bytes (col (frame, "label")), >, 2 * 1024 * 1024);
  by_label = tess_frame_group_by (frame, label_keys, aggs, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (by_label), ==, rows);
  g_assert_cmpint (tess_column_get_int64 (col (by_label, "rows"), rows - 1), ==, 1);
}

/* Filter then group-by in one go */

/* The two frames hold the same columns, types, nulls and values (doubles to
 * the bit: the sums add the same rows in the same order). */
static void
assert_identical_frames (TessFrame *a, TessFrame *b)
{
  g_assert_cmpuint (tess_frame_get_n_columns (a), ==, tess_frame_get_n_columns (b));
  g_assert_cmpuint (tess_frame_get_n_rows (a), ==, tess_frame_get_n_rows (b));
  for (guint c = 0; c < tess_frame_get_n_columns (a); c++)
    {
      TessColumn *ca = tess_frame_get_column (a, c), *cb = tess_frame_get_column (b, c);
      g_assert_cmpstr (tess_column_get_name (ca), ==, tess_column_get_name (cb));
      g_assert_cmpint (tess_column_get_column_type (ca), ==, tess_column_get_column_type (cb));
      for (gsize r = 0; r < tess_frame_get_n_rows (a); r++)
        {
          g_autofree char *va = tess_column_format_value (ca, r);
          g_autofree char *vb = tess_column_format_value (cb, r);
          g_assert_cmpint (tess_column_is_null (ca, r), ==, tess_column_is_null (cb, r));
          g_assert_cmpstr (va, ==, vb);
          if (tess_column_get_column_type (ca) == TESS_COLUMN_DOUBLE && !tess_column_is_null (ca, r))
            {
              double x = tess_column_get_double (ca, r), y = tess_column_get_double (cb, r);
              g_assert_true (memcmp (&x, &y, sizeof x) == 0);
            }
        }
    }
}

/* tess_frame_filter_group_by() gives what a filter then a group-by give, or
 * the same error. */
static void
assert_fused_group_by (
    TessFrame *frame, const TessPredicate *where, const char *const *keys, const TessAggregation *aggs, guint n_aggs)
{
  g_autoptr (GError) step_error = NULL;
  g_autoptr (GError) fused_error = NULL;
  g_autoptr (TessFrame) filtered = tess_frame_filter (frame, where, &step_error);
  g_autoptr (TessFrame) stepwise = filtered ? tess_frame_group_by (filtered, keys, aggs, n_aggs, &step_error) : NULL;
  g_autoptr (TessFrame) fused = tess_frame_filter_group_by (frame, where, keys, aggs, n_aggs, &fused_error);

  if (stepwise == NULL)
    {
      g_assert_nonnull (step_error);
      g_assert_null (fused);
      g_assert_error (fused_error, step_error->domain, step_error->code);
      g_assert_cmpstr (fused_error->message, ==, step_error->message);
      return;
    }
  g_assert_no_error (fused_error);
  assert_identical_frames (fused, stepwise);
}

/* Random frames with nulls, of more rows than the group-by reads at once:
 * string, int, date and bool keys, every aggregation, and filters that keep
 * none, some and all rows. */
static void
test_filter_group_by_random (void)
{
  const char *key_sets[][3] = { { "k", NULL }, { "s", NULL }, { "s", "k", NULL }, { "d", "b", NULL }, { "t", NULL } };
  TessAggregation aggs[] = {
    { NULL, TESS_AGGREGATE_COUNT, NULL },   { "v", TESS_AGGREGATE_SUM, NULL },
    { "v", TESS_AGGREGATE_MEAN, NULL },     { "v", TESS_AGGREGATE_MIN, NULL },
    { "v", TESS_AGGREGATE_MAX, NULL },      { "t", TESS_AGGREGATE_MAX, "latest" },
    { "b", TESS_AGGREGATE_SUM, "trues" },   { "s", TESS_AGGREGATE_MIN, "first_word" },
    { "k", TESS_AGGREGATE_SUM, "k_total" },
  };
  TessAggregation whole_groups[] = { { "v", TESS_AGGREGATE_MEDIAN, NULL }, { "v", TESS_AGGREGATE_DISTINCT, NULL } };

  for (int f = 0; f < 12; f++)
    {
      g_autoptr (TessFrame) frame = random_frame (f < 4 ? g_test_rand_int_range (0, 50) : 9000);
      const char *in_words[] = { "a", "c", NULL };
      TessPredicate *preds[] = {
        tess_predicate_compare ("v", TESS_COMPARE_GT, 0),
        tess_predicate_is_not_null ("s"),
        tess_predicate_is_null ("k"),
        tess_predicate_in ("s", in_words),
        tess_predicate_or (tess_predicate_compare ("k", TESS_COMPARE_LE, 1), tess_predicate_is_not_null ("d")),
        tess_predicate_compare ("v", TESS_COMPARE_GT, 1000),
        tess_predicate_not (tess_predicate_compare ("v", TESS_COMPARE_GT, 1000)),
      };
      for (guint p = 0; p < G_N_ELEMENTS (preds); p++)
        {
          for (guint k = 0; k < G_N_ELEMENTS (key_sets); k++)
            assert_fused_group_by (frame, preds[p], key_sets[k], aggs, G_N_ELEMENTS (aggs));
          assert_fused_group_by (frame, preds[p], key_sets[f % 5], whole_groups, G_N_ELEMENTS (whole_groups));
          tess_predicate_free (preds[p]);
        }
    }
}

/* Appends @text to a string builder keeping each text once, as the readers
 * do for a column of a few names: its first row keeps the text, the others
 * its offset (@offsets, per text index @which; G_MAXUINT32 when not kept yet). */
static void
append_shared_text (TessColumnBuilder *b, guint32 *offsets, guint which, const char *text)
{
  if (offsets[which] == G_MAXUINT32)
    {
      offsets[which] = (guint32) b->chars_len;
      tess_column_builder_append_string (b, text);
      return;
    }
  tess_column_builder_reserve (b, 1);
  ((guint32 *) b->values)[b->length++] = offsets[which];
}

/* A frame past the size the group-by splits among cores: an int key (k);
 * two text keys of a few names (c1, c2: each text kept once, as the CSV
 * reader keeps them, so the group-by codes them by offset), one of 8000
 * names (c3: coded through a table) and one of 5000 names written out in
 * every row (label: hashed as text); a double key with nulls (g); a key of
 * one group a row (id); doubles (v) whose sums depend on the order they are
 * added in, to the last bit. */
static TessFrame *
large_group_frame (gsize n)
{
  static const char *const c1_words[] = { "books", "games", "tools", "garden", "food", "music", "toys" };
  static const char *const c2_words[] = { "Oslo, NO", "Lima, PE", "Pune, IN", "Cork, IE", "Kyoto, JP", "Porto, PT" };
  const char *names[] = { "k", "c1", "c2", "c3", "label", "g", "id", "v", "w" };
  TessColumnType types[] = { TESS_COLUMN_INT64,  TESS_COLUMN_STRING, TESS_COLUMN_STRING,
                             TESS_COLUMN_STRING, TESS_COLUMN_STRING, TESS_COLUMN_DOUBLE,
                             TESS_COLUMN_INT64,  TESS_COLUMN_DOUBLE, TESS_COLUMN_INT64 };
  guint32 c1_offsets[7], c2_offsets[6], *c3_offsets = g_new (guint32, 8000);
  TessColumnBuilder *b[9];
  TessColumn *cols[9];
  TessFrame *frame;

  memset (c1_offsets, 0xff, sizeof c1_offsets);
  memset (c2_offsets, 0xff, sizeof c2_offsets);
  memset (c3_offsets, 0xff, 8000 * sizeof (guint32));
  for (guint c = 0; c < 9; c++)
    b[c] = tess_column_builder_new (names[c], types[c], n);
  for (gsize r = 0; r < n; r++)
    {
      guint i1 = g_test_rand_int_range (0, 7), i2 = g_test_rand_int_range (0, 6), i3 = g_test_rand_int_range (0, 8000);
      char item[32], label[32];

      g_snprintf (item, sizeof item, "item-%06u", i3);
      g_snprintf (label, sizeof label, "label-%" G_GSIZE_FORMAT, r % 5000);
      tess_column_builder_append_int64 (b[0], g_test_rand_int_range (0, 100));
      append_shared_text (b[1], c1_offsets, i1, c1_words[i1]);
      append_shared_text (b[2], c2_offsets, i2, c2_words[i2]);
      append_shared_text (b[3], c3_offsets, i3, item);
      tess_column_builder_append_string (b[4], label);
      MAYBE_NULL (b[5], tess_column_builder_append_double (b[5], g_test_rand_int_range (0, 40) / 4.0));
      tess_column_builder_append_int64 (b[6], (gint64) (r * 7919 % n));
      MAYBE_NULL (b[7], tess_column_builder_append_double (b[7], g_test_rand_double_range (-1, 1) *
                                                                     pow (10, g_test_rand_int_range (-3, 7))));
      tess_column_builder_append_int64 (b[8], g_test_rand_int_range (0, 100));
    }
  for (guint c = 0; c < 9; c++)
    cols[c] = tess_column_builder_finish (b[c]);
  frame = tess_frame_new (cols, 9, NULL);
  for (guint c = 0; c < 9; c++)
    tess_column_unref (cols[c]);
  g_free (c3_offsets);
  return frame;
}

/* Grouping on every core gives what one core gives, to the bit: the fused
 * filter and group-by of the large frame runs on every core, the group-by of
 * the filtered frame (under the size) on one. Without a filter, against
 * sums added up here row by row. */
static void
test_group_by_cores (void)
{
  const gsize n = 1500000;
  g_autoptr (TessFrame) frame = large_group_frame (n);
  const char *key_sets[][3] = { { "k", NULL },  { "c1", "c2", NULL }, { "g", NULL },
                                { "c2", NULL }, { "c3", NULL },       { "label", NULL } };
  const char *by_id[] = { "id", NULL };
  const char *by_words[] = { "c1", "c2", NULL };
  TessAggregation aggs[] = {
    { NULL, TESS_AGGREGATE_COUNT, NULL }, { "v", TESS_AGGREGATE_SUM, NULL }, { "v", TESS_AGGREGATE_MEAN, NULL },
    { "v", TESS_AGGREGATE_MIN, NULL },    { "v", TESS_AGGREGATE_MAX, NULL }, { "w", TESS_AGGREGATE_SUM, NULL },
  };
  TessAggregation totals[] = { { NULL, TESS_AGGREGATE_COUNT, "rows" }, { "v", TESS_AGGREGATE_SUM, "total" } };
  TessPredicate *preds[] = {
    tess_predicate_compare ("v", TESS_COMPARE_GT, 0),
    tess_predicate_compare ("w", TESS_COMPARE_LT, 30),
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) grouped = NULL;
  TessColumn *c1, *c2, *v;
  gint64 counts[7][6] = { { 0 } };
  double sums[7][6] = { { 0 } };

  for (guint p = 0; p < G_N_ELEMENTS (preds); p++)
    {
      g_autoptr (TessFrame) filtered = tess_frame_filter (frame, preds[p], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (tess_frame_get_n_rows (filtered), <, 1000000);
      for (guint k = 0; k < G_N_ELEMENTS (key_sets); k++)
        assert_fused_group_by (frame, preds[p], key_sets[k], aggs, G_N_ELEMENTS (aggs));
      /* a group a row: one core all along */
      if (p == 0)
        assert_fused_group_by (frame, preds[p], by_id, totals, G_N_ELEMENTS (totals));
      tess_predicate_free (preds[p]);
    }

  grouped = tess_frame_group_by (frame, by_words, totals, G_N_ELEMENTS (totals), &error);
  g_assert_no_error (error);
  c1 = col (frame, "c1");
  c2 = col (frame, "c2");
  v = col (frame, "v");
  for (gsize r = 0; r < n; r++)
    {
      static const char *const c1_sorted[] = { "books", "food", "games", "garden", "music", "tools", "toys" };
      static const char *const c2_sorted[] = {
        "Cork, IE", "Kyoto, JP", "Lima, PE", "Oslo, NO", "Porto, PT", "Pune, IN"
      };
      guint a = 0, b = 0;

      while (!g_str_equal (c1_sorted[a], tess_column_get_string (c1, r)))
        a++;
      while (!g_str_equal (c2_sorted[b], tess_column_get_string (c2, r)))
        b++;
      counts[a][b]++;
      if (!tess_column_is_null (v, r))
        sums[a][b] += tess_column_get_double (v, r);
    }
  g_assert_cmpuint (tess_frame_get_n_rows (grouped), ==, 42);
  for (gsize r = 0; r < 42; r++)
    {
      double total = tess_column_get_double (col (grouped, "total"), r);
      g_assert_cmpint (tess_column_get_int64 (col (grouped, "rows"), r), ==, counts[r / 6][r % 6]);
      g_assert_true (memcmp (&total, &sums[r / 6][r % 6], sizeof total) == 0);
    }
}

/* The errors are the filter's first, then the group-by's. */
static void
test_filter_group_by_errors (void)
{
  g_autoptr (TessFrame) frame = random_frame (100);
  const char *keys[] = { "s", NULL };
  const char *no_keys[] = { "nope", NULL };
  TessAggregation sum = { "v", TESS_AGGREGATE_SUM, NULL };
  TessAggregation sum_text = { "s", TESS_AGGREGATE_MEAN, NULL };
  g_autoptr (TessPredicate) missing = tess_predicate_compare ("absent", TESS_COMPARE_GT, 1);
  g_autoptr (TessPredicate) text = tess_predicate_compare ("s", TESS_COMPARE_GT, 1);
  g_autoptr (TessPredicate) fine = tess_predicate_compare ("v", TESS_COMPARE_GT, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) none = tess_frame_filter_group_by (frame, missing, no_keys, &sum, 1, &error);

  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "absent"));
  assert_fused_group_by (frame, missing, no_keys, &sum, 1);
  assert_fused_group_by (frame, text, keys, &sum, 1);
  assert_fused_group_by (frame, fine, no_keys, &sum, 1);
  assert_fused_group_by (frame, fine, keys, &sum_text, 1);
}

/* Real files: csv-spectrum's every column as a key, and the vega tables'
 * text keys with filters on their numbers. */
static void
test_filter_group_by_files (void)
{
  static const struct
  {
    const char *file, *filter, *key1, *key2, *value;
    double above;
  } vega[] = {
    { "airports.csv", "latitude", "state", "country", "longitude", 35 },
    { "seattle-weather.csv", "precipitation", "weather", NULL, "temp_max", 0 },
    { "stocks.csv", "price", "symbol", NULL, "price", 100 },
    { "iowa-electricity.csv", "net_generation", "source", "year", "net_generation", 1000 },
  };
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "data", "csv-spectrum", "csvs", NULL);
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) frame = tess_csv_read_file (path, NULL, NULL, NULL, &error);

      g_assert_no_error (error);
      for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
        {
          TessColumn *column = tess_frame_get_column (frame, c);
          const char *keys[] = { tess_column_get_name (column), NULL };
          TessAggregation aggs[] = { { NULL, TESS_AGGREGATE_COUNT, "rows" },
                                     { keys[0], TESS_AGGREGATE_MAX, "largest" } };
          g_autoptr (TessPredicate) kept = tess_predicate_is_not_null (
              tess_column_get_name (tess_frame_get_column (frame, tess_frame_get_n_columns (frame) - 1)));
          g_autoptr (TessPredicate) all = tess_predicate_not (tess_predicate_is_null (keys[0]));
          assert_fused_group_by (frame, kept, keys, aggs, G_N_ELEMENTS (aggs));
          assert_fused_group_by (frame, all, keys, aggs, G_N_ELEMENTS (aggs));
        }
      files++;
    }
  g_assert_cmpuint (files, >=, 12);

  for (guint i = 0; i < G_N_ELEMENTS (vega); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "vega", vega[i].file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) frame = tess_csv_read_file (path, NULL, NULL, NULL, &error);
      const char *keys[] = { vega[i].key1, vega[i].key2, NULL };
      TessAggregation aggs[] = { { NULL, TESS_AGGREGATE_COUNT, "rows" },
                                 { vega[i].value, TESS_AGGREGATE_SUM, "total" },
                                 { vega[i].value, TESS_AGGREGATE_MEAN, "average" },
                                 { vega[i].value, TESS_AGGREGATE_MIN, "least" } };
      g_autoptr (TessPredicate) above = tess_predicate_compare (vega[i].filter, TESS_COMPARE_GT, vega[i].above);
      g_autoptr (TessPredicate) below = tess_predicate_compare (vega[i].filter, TESS_COMPARE_LE, vega[i].above);
      g_autoptr (TessFrame) grouped = NULL;

      g_assert_no_error (error);
      assert_fused_group_by (frame, above, keys, aggs, G_N_ELEMENTS (aggs));
      assert_fused_group_by (frame, below, keys, aggs, G_N_ELEMENTS (aggs));
      /* a filter that keeps some rows and groups them into several groups */
      grouped = tess_frame_filter_group_by (frame, above, keys, aggs, G_N_ELEMENTS (aggs), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (tess_frame_get_n_rows (grouped), >, 1);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Data/transform/select-rename", test_select_rename);
  g_test_add_func ("/Data/transform/filter", test_filter);
  g_test_add_func ("/Data/transform/sort-head-tail", test_sort);
  g_test_add_func ("/Data/transform/group-by", test_group_by);
  g_test_add_func ("/Data/transform/group-by-wide-keys", test_group_by_wide_keys);
  g_test_add_func ("/Data/transform/group-by-text-keys", test_group_by_text_keys);
  g_test_add_func ("/Data/transform/time-bucket", test_time_bucket);
  g_test_add_func ("/Data/transform/rolling", test_rolling);
  g_test_add_func ("/Data/transform/derive", test_derive);
  g_test_add_func ("/Data/transform/join", test_join);
  g_test_add_func ("/Data/transform/filter-group-by/random", test_filter_group_by_random);
  g_test_add_func ("/Data/transform/filter-group-by/errors", test_filter_group_by_errors);
  g_test_add_func ("/Data/transform/filter-group-by/files", test_filter_group_by_files);
  g_test_add_func ("/Data/transform/group-by-cores", test_group_by_cores);
  return g_test_run ();
}
