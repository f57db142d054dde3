/* tess-document-views.c: every kind of view a document fragment may show,
 * and the table that names them.
 *
 * Each kind has its functions next to each other below: one that checks a
 * view's members when the document is parsed, one that says whether it shows
 * data (and so needs a source), one that checks the columns it names for
 * `tessera --check`, one that shows it when the fragment runs and, for views
 * that show aggregates, one that has a database compute them
 * (tess-document-sql.h). The table at the end is the only list of view
 * types.
 */
#include "tess-document-views.h"
#include "tess-document-sql.h"
#include "tess-format-private.h"

#include "tess-charts.h"
#include "tess-transform.h"

#include <math.h>
#include <string.h>

/* Helpers */

static char *
view_string (const TessDocNode *view, const char *key, GHashTable *values)
{
  TessDocNode *n = tess_doc_node_get (view, key);

  return n ? tess_document_node_to_text (n, values) : NULL;
}

/* A column name or an array of them (or a multiselect input); NULL when absent. */
static char **
view_names (const TessDocNode *view, const char *key, GHashTable *values)
{
  TessDocNode *n = tess_doc_node_get (view, key);
  GStrvBuilder *builder;
  char **names;

  if (n == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  if (n->type == TESS_DOC_ARRAY)
    for (guint i = 0; i < tess_doc_node_get_length (n); i++)
      {
        g_autofree char *name = tess_document_node_to_text (tess_doc_node_get_index (n, i), values);
        g_strv_builder_add (builder, name);
      }
  else
    {
      g_autofree char *name = tess_document_node_to_text (n, values);
      g_strv_builder_add (builder, name);
    }
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/* The members of @view in @members that name columns. */
static void
check_column_members (TessDocColumns *columns, const TessDocNode *view, const char *path, const char *const *members)
{
  for (guint m = 0; members[m]; m++)
    {
      g_autofree char *mpath = g_strdup_printf ("%s.%s", path, members[m]);
      tess_doc_columns_check_list (columns, tess_doc_node_get (view, members[m]), mpath);
    }
}

static gboolean
always_needs_data (const TessDocNode *view)
{
  return TRUE;
}

/* Adds the columns the members of @view in @members name to @needed. */
static void
need_column_members (GHashTable *needed, const TessDocNode *view, GHashTable *values, const char *const *members)
{
  for (guint m = 0; members[m]; m++)
    {
      g_auto (GStrv) names = view_names (view, members[m], values);
      for (guint i = 0; names && names[i]; i++)
        g_hash_table_add (needed, g_strdup (names[i]));
    }
}

/* Charts: line, area, bar, scatter, histogram */

/* Every member some chart takes. Each chart's check accepts all of them and
 * reports only "size" and "bins" where they do not apply, so a histogram
 * tolerates "y", "stacked" and "horizontal", which are not among its members. */
static const char *const chart_members[] = { "type",    "title",   "x",          "y",    "color",  "size", "x_label",
                                             "y_label", "stacked", "horizontal", "bins", "height", NULL };
static const char *const xy_chart_members[] = { "type",    "title",   "x",          "y",      "color", "x_label",
                                                "y_label", "stacked", "horizontal", "height", NULL };
static const char *const scatter_members[] = { "type",    "title",   "x",       "y",          "color",  "size",
                                               "x_label", "y_label", "stacked", "horizontal", "height", NULL };
static const char *const histogram_members[] = { "type",    "title", "x",      "color", "x_label",
                                                 "y_label", "bins",  "height", NULL };

/* What every chart checks after its columns. */
static void
check_chart_options (TessDocument *self, const TessDocView *kind, const TessDocNode *view, const char *path)
{
  TessDocNode *n;

  for (const char *const *m = (const char *const[]){ "color", "size", "title", "x_label", "y_label", NULL }; *m; m++)
    if ((n = tess_doc_node_get (view, *m)) != NULL)
      {
        g_autofree char *mpath = tess_document_path_member (path, *m);
        tess_document_expect_type (self, n, mpath, TESS_DOC_STRING);
      }
  if (tess_doc_node_get (view, "size") && !tess_document_strv_contains (kind->members, "size"))
    tess_document_error_at (self, tess_doc_node_get (view, "size"), path, "\"size\" applies to scatter charts only");
  if (tess_doc_node_get (view, "bins") && !tess_document_strv_contains (kind->members, "bins"))
    tess_document_error_at (self, tess_doc_node_get (view, "bins"), path, "\"bins\" applies to histograms only");
  if ((n = tess_doc_node_get (view, "bins")) != NULL)
    {
      g_autofree char *bpath = tess_document_path_member (path, "bins");
      if (tess_document_expect_type (self, n, bpath, TESS_DOC_NUMBER) &&
          (!n->is_integer || n->number < 1 || n->number > 1000))
        tess_document_error_at (self, n, bpath, "bins is a whole number from 1 to 1000");
    }
  if ((n = tess_doc_node_get (view, "height")) != NULL)
    {
      g_autofree char *hpath = tess_document_path_member (path, "height");
      if (tess_document_expect_type (self, n, hpath, TESS_DOC_NUMBER) && (n->number < 50 || n->number > 4000))
        tess_document_error_at (self, n, hpath, "height is in pixels, from 50 to 4000");
    }
  tess_document_optional_bool (self, view, "stacked", path, FALSE);
  tess_document_optional_bool (self, view, "horizontal", path, FALSE);
}

/* line, area, bar, scatter: x against one or more y columns. */
static void
validate_xy_chart (TessDocument *self, const TessDocView *kind, const TessDocNode *view, const char *path)
{
  TessDocNode *y;
  g_autofree char *ypath = tess_document_path_member (path, "y");

  tess_document_check_members (self, view, path, chart_members, "a chart view");
  tess_document_require_column (self, view, "x", path);
  if ((y = tess_doc_node_get (view, "y")) == NULL)
    tess_document_error_missing (self, view, ypath, "missing member \"y\": the column (or columns) to plot");
  else
    tess_document_check_column_names (self, y, ypath, "y");
  check_chart_options (self, kind, view, path);
}

/* histogram: the column binned is x (or, without x, y). */
static void
validate_histogram (TessDocument *self, const TessDocView *kind, const TessDocNode *view, const char *path)
{
  tess_document_check_members (self, view, path, chart_members, "a chart view");
  if (tess_doc_node_get (view, "y") == NULL)
    tess_document_require_column (self, view, "x", path);
  check_chart_options (self, kind, view, path);
}

static void
check_chart_columns (TessDocColumns *columns, const TessDocView *kind, const TessDocNode *view, const char *path)
{
  check_column_members (columns, view, path, (const char *const[]){ "x", "y", "color", "size", NULL });
}

static void
chart_columns_used (const TessDocView *kind, const TessDocNode *view, GHashTable *values, TessDocColumnUse *use)
{
  need_column_members (use->names, view, values, (const char *const[]){ "x", "y", "color", "size", NULL });
}

/* The strings a chart reads, owned here, and the options that point at them. */
typedef struct
{
  char *x, *color, *size, *title, *x_label, *y_label;
  char **y;
  TessChartOptions options;
} ChartArgs;

static void
chart_args_init (ChartArgs *args, const TessDocNode *view, GHashTable *values)
{
  TessDocNode *n;

  args->y = view_names (view, "y", values);
  args->x = view_string (view, "x", values);
  args->color = view_string (view, "color", values);
  args->size = view_string (view, "size", values);
  args->title = view_string (view, "title", values);
  args->x_label = view_string (view, "x_label", values);
  args->y_label = view_string (view, "y_label", values);
  args->options = (TessChartOptions){
    .title = args->title,
    .x_label = args->x_label,
    .y_label = args->y_label,
    .color = args->color,
    .size = args->size,
  };
  if ((n = tess_doc_node_get (view, "stacked")) && n->boolean)
    args->options.stack = TRUE;
  if ((n = tess_doc_node_get (view, "horizontal")) && n->boolean)
    args->options.horizontal = TRUE;
  if ((n = tess_doc_node_get (view, "bins")))
    args->options.bins = (int) n->number;
  if ((n = tess_doc_node_get (view, "height")))
    args->options.height = (int) n->number;
}

static void
chart_args_clear (ChartArgs *args)
{
  g_free (args->x);
  g_free (args->color);
  g_free (args->size);
  g_free (args->title);
  g_free (args->x_label);
  g_free (args->y_label);
  g_strfreev (args->y);
}

static gboolean
show_xy_chart (TessRun *run,
               const TessDocView *kind,
               const TessDocNode *view,
               TessFrame *frame,
               GHashTable *values,
               GError **error)
{
  ChartArgs args;

  chart_args_init (&args, view, values);
  tess_chart (run, frame, tess_chart_spec_new (kind->name, args.x, (const char *const *) args.y, &args.options));
  chart_args_clear (&args);
  return TRUE;
}

static gboolean
show_histogram (TessRun *run,
                const TessDocView *kind,
                const TessDocNode *view,
                TessFrame *frame,
                GHashTable *values,
                GError **error)
{
  ChartArgs args;

  chart_args_init (&args, view, values);
  tess_histogram (run, frame, args.x, &args.options);
  chart_args_clear (&args);
  return TRUE;
}

/* table */

static const char *const table_members[] = { "type", "title", "columns", "limit", NULL };

static void
validate_table (TessDocument *self, const TessDocView *kind, const TessDocNode *view, const char *path)
{
  TessDocNode *n;

  tess_document_check_members (self, view, path, kind->members, "a table view");
  if ((n = tess_doc_node_get (view, "columns")) != NULL)
    {
      g_autofree char *cpath = tess_document_path_member (path, "columns");
      tess_document_check_column_names (self, n, cpath, "columns");
    }
  if ((n = tess_doc_node_get (view, "limit")) != NULL)
    {
      g_autofree char *lpath = tess_document_path_member (path, "limit");
      if (tess_document_expect_type (self, n, lpath, TESS_DOC_NUMBER) && (!n->is_integer || n->number < 1))
        tess_document_error_at (self, n, lpath, "the limit is a whole number of rows, at least 1");
    }
}

static void
check_table_columns (TessDocColumns *columns, const TessDocView *kind, const TessDocNode *view, const char *path)
{
  check_column_members (columns, view, path, (const char *const[]){ "columns", NULL });
}

/* Without "columns", a table shows every column. */
static void
table_columns_used (const TessDocView *kind, const TessDocNode *view, GHashTable *values, TessDocColumnUse *use)
{
  if (tess_doc_node_get (view, "columns") == NULL)
    use->all = TRUE;
  need_column_members (use->names, view, values, (const char *const[]){ "columns", NULL });
}

static gboolean
show_table (TessRun *run,
            const TessDocView *kind,
            const TessDocNode *view,
            TessFrame *frame,
            GHashTable *values,
            GError **error)
{
  g_auto (GStrv) columns = view_names (view, "columns", values);
  g_autofree char *title = view_string (view, "title", values);
  TessDocNode *limit = tess_doc_node_get (view, "limit");
  g_autoptr (TessFrame) shown = NULL;
  TessDataframeOptions options = { .title = title };

  if (limit && (gsize) limit->number < tess_frame_get_n_rows (frame))
    shown = tess_frame_head (frame, (gsize) limit->number);
  tess_dataframe (run, shown ? shown : frame, (const char *const *) columns, &options);
  return TRUE;
}

/* metric: a value and a delta, each a text, a number or {"column", "op"} */

static const char *const metric_members[] = { "type",   "label",  "value",         "delta", "decimals",
                                              "prefix", "suffix", "delta_inverse", NULL };
static const char *const metric_value_members[] = { "column", "op", NULL };
static const char *const metric_value_ops[] = { "count",  "sum",   "mean", "min",      "max",
                                                "median", "first", "last", "distinct", NULL };

static void
check_metric_value (TessDocument *self, const TessDocNode *node, const char *path)
{
  TessDocNode *op;

  if (node->type == TESS_DOC_STRING || node->type == TESS_DOC_NUMBER)
    return;
  if (node->type != TESS_DOC_OBJECT)
    {
      tess_document_error_at (self, node, path, "a metric value is a text, a number or {\"column\": ..., \"op\": ...}");
      return;
    }
  tess_document_check_members (self, node, path, metric_value_members, "a metric value");
  op = tess_doc_node_get (node, "op");
  g_autofree char *opath = tess_document_path_member (path, "op");
  if (op && tess_document_expect_type (self, op, opath, TESS_DOC_STRING) &&
      !tess_document_strv_contains (metric_value_ops, op->string))
    {
      g_autofree char *hint = tess_document_did_you_mean (op->string, metric_value_ops);
      tess_document_error_at (self, op, opath, "unknown aggregate \"%s\"%s", op->string, hint);
    }
  /* An op of the wrong type was reported above; the column is still needed. */
  if (op == NULL || op->type != TESS_DOC_STRING || !g_str_equal (op->string, "count"))
    tess_document_require_column (self, node, "column", path);
}

static void
validate_metric (TessDocument *self, const TessDocView *kind, const TessDocNode *view, const char *path)
{
  TessDocNode *n;
  g_autofree char *vpath = tess_document_path_member (path, "value");

  tess_document_check_members (self, view, path, kind->members, "a metric view");
  if ((n = tess_doc_node_get (view, "value")) == NULL)
    tess_document_error_missing (self, view, vpath, "missing member \"value\": what the metric shows");
  else
    check_metric_value (self, n, vpath);
  if ((n = tess_doc_node_get (view, "delta")) != NULL)
    {
      g_autofree char *dpath = tess_document_path_member (path, "delta");
      check_metric_value (self, n, dpath);
    }
  if ((n = tess_doc_node_get (view, "decimals")) != NULL)
    {
      g_autofree char *dpath = tess_document_path_member (path, "decimals");
      if (tess_document_expect_type (self, n, dpath, TESS_DOC_NUMBER) &&
          (!n->is_integer || n->number < 0 || n->number > 12))
        tess_document_error_at (self, n, dpath, "decimals is a whole number from 0 to 12");
    }
  g_free (tess_document_optional_string (self, view, "label", path));
  tess_document_optional_bool (self, view, "delta_inverse", path, FALSE);
}

/* A metric shows data unless its value is given as a text or a number. */
static gboolean
metric_needs_data (const TessDocNode *view)
{
  TessDocNode *value = tess_doc_node_get (view, "value");

  return value == NULL || value->type == TESS_DOC_OBJECT;
}

static void
check_metric_columns (TessDocColumns *columns, const TessDocView *kind, const TessDocNode *view, const char *path)
{
  for (const char *const *member = (const char *const[]){ "value", "delta", NULL }; *member; member++)
    {
      TessDocNode *value = tess_doc_node_get (view, *member);
      if (value && value->type == TESS_DOC_OBJECT)
        {
          g_autofree char *vpath = g_strdup_printf ("%s.%s.column", path, *member);
          tess_doc_columns_check (columns, tess_doc_node_get (value, "column"), vpath);
        }
    }
}

static void
metric_columns_used (const TessDocView *kind, const TessDocNode *view, GHashTable *values, TessDocColumnUse *use)
{
  for (const char *const *member = (const char *const[]){ "value", "delta", NULL }; *member; member++)
    {
      TessDocNode *value = tess_doc_node_get (view, *member);
      TessDocNode *column = value && value->type == TESS_DOC_OBJECT ? tess_doc_node_get (value, "column") : NULL;
      if (column)
        g_hash_table_add (use->names, tess_document_node_to_text (column, values));
    }
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/* The median of the column's values; NAN when it has none. */
static double
column_median (TessColumn *column, gsize n)
{
  g_autoptr (GArray) values = g_array_sized_new (FALSE, FALSE, sizeof (double), n);

  for (gsize i = 0; i < n; i++)
    if (!tess_column_is_null (column, i))
      {
        double v = tess_column_get_double (column, i);
        g_array_append_val (values, v);
      }
  if (values->len == 0)
    return NAN;
  g_array_sort (values, compare_doubles);
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) + g_array_index (values, double, values->len / 2)) / 2;
}

/* sum, mean, min and max of the column's values; NAN when there is nothing to compute. */
static double
column_summary (TessColumn *column, gsize n, const char *op)
{
  double sum = 0, min = INFINITY, max = -INFINITY;
  gsize count = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (tess_column_is_null (column, i))
        continue;
      double v = tess_column_get_double (column, i);
      sum += v;
      min = MIN (min, v);
      max = MAX (max, v);
      count++;
    }
  if (g_str_equal (op, "sum"))
    return sum;
  if (count == 0)
    return NAN;
  if (g_str_equal (op, "mean"))
    return sum / count;
  if (g_str_equal (op, "min"))
    return min;
  if (g_str_equal (op, "max"))
    return max;
  return NAN;
}

/* The value of a metric's {"column", "op"}; NAN when there is nothing to compute. */
static double
column_statistic (TessFrame *frame, const char *column_name, const char *op)
{
  TessColumn *column = column_name ? tess_frame_get_column_by_name (frame, column_name) : NULL;
  gsize n = tess_frame_get_n_rows (frame);

  if (g_str_equal (op, "count"))
    return column ? (double) (n - tess_column_get_null_count (column)) : (double) n;
  if (column == NULL)
    return NAN;
  if (g_str_equal (op, "distinct"))
    {
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (gsize i = 0; i < n; i++)
        if (!tess_column_is_null (column, i))
          g_hash_table_add (seen, tess_column_format_value (column, i));
      return g_hash_table_size (seen);
    }
  if (!tess_column_type_is_numeric (tess_column_get_column_type (column)) &&
      tess_column_get_column_type (column) != TESS_COLUMN_BOOL)
    return NAN;
  if (g_str_equal (op, "first") || g_str_equal (op, "last"))
    {
      gboolean first = g_str_equal (op, "first");
      for (gsize k = 0; k < n; k++)
        {
          gsize i = first ? k : n - 1 - k;
          if (!tess_column_is_null (column, i))
            return tess_column_get_double (column, i);
        }
      return NAN;
    }
  if (g_str_equal (op, "median"))
    return column_median (column, n);
  return column_summary (column, n, op);
}

static char *
metric_value (const TessDocNode *node, TessFrame *frame, GHashTable *values, int decimals)
{
  if (node == NULL)
    return NULL;
  if (node->type == TESS_DOC_NUMBER)
    return tess_format_double (node->number, decimals);
  if (node->type == TESS_DOC_STRING)
    return tess_document_substitute (node->string, values);
  if (node->type == TESS_DOC_OBJECT && frame != NULL)
    {
      TessDocNode *column = tess_doc_node_get (node, "column");
      TessDocNode *op = tess_doc_node_get (node, "op");
      g_autofree char *column_name = column ? tess_document_node_to_text (column, values) : NULL;
      g_autofree char *key = tess_doc_sql_aggregate_key (op ? op->string : "last", column_name);
      TessColumn *computed = tess_frame_get_column_by_name (frame, key);

      /* computed by the database (metric_aggregates) */
      if (computed && tess_frame_get_n_rows (frame) == 1)
        return tess_format_double (tess_column_is_null (computed, 0) ? NAN : tess_column_get_double (computed, 0),
                                   decimals);
      return tess_format_double (column_statistic (frame, column_name, op ? op->string : "last"), decimals);
    }
  return g_strdup ("–");
}

/* The SQL of @op over @column (NULL: the rows), as column_statistic()
 * computes it; NULL for first and last, which need the rows' order. */
static char *
metric_aggregate_sql (const char *op, const TessDocSqlColumn *column, const char *ref)
{
  gboolean computable = column && (tess_column_type_is_numeric (column->type) || column->type == TESS_COLUMN_BOOL);
  g_autofree char *value =
      computable ? g_strdup_printf (column->type == TESS_COLUMN_BOOL ? "%s::int::float8" : "%s::float8", ref) : NULL;

  if (g_str_equal (op, "count"))
    return column ? g_strdup_printf ("count (%s)", ref) : g_strdup ("count (*)");
  if (g_str_equal (op, "distinct"))
    return column ? g_strdup_printf ("count (DISTINCT %s)", ref) : g_strdup ("NULL::float8");
  if (g_str_equal (op, "first") || g_str_equal (op, "last"))
    return NULL;
  if (!computable)
    return g_strdup ("NULL::float8");
  if (g_str_equal (op, "sum"))
    return g_strdup_printf ("COALESCE (sum (%s), 0)", value);
  if (g_str_equal (op, "mean"))
    return g_strdup_printf ("avg (%s)", value);
  if (g_str_equal (op, "min") || g_str_equal (op, "max"))
    return g_strdup_printf ("%s (%s)", op, value);
  if (g_str_equal (op, "median"))
    return g_strdup_printf ("percentile_cont (0.5) WITHIN GROUP (ORDER BY %s)", value);
  return NULL;
}

/* A metric's {"column", "op"} values are aggregates the database computes,
 * but first and last (the default), which depend on the rows' order. */
static gboolean
metric_aggregates (TessDocSql *sql, const TessDocView *kind, const TessDocNode *view, GHashTable *values)
{
  const char *alias;

  tess_doc_sql_get_from (sql, &alias);
  for (const char *const *member = (const char *const[]){ "value", "delta", NULL }; *member; member++)
    {
      TessDocNode *node = tess_doc_node_get (view, *member);
      TessDocNode *column_node, *op;
      g_autofree char *column_name = NULL;
      g_autofree char *key = NULL;
      g_autofree char *ref = NULL;
      g_autofree char *expression = NULL;
      const TessDocSqlColumn *column;

      if (node == NULL || node->type != TESS_DOC_OBJECT)
        continue;
      column_node = tess_doc_node_get (node, "column");
      op = tess_doc_node_get (node, "op");
      column_name = column_node ? tess_document_node_to_text (column_node, values) : NULL;
      column = column_name ? tess_doc_sql_lookup (sql, column_name, "metric", NULL) : NULL;
      ref = column ? tess_doc_sql_ref (alias, column) : NULL;
      expression = metric_aggregate_sql (op ? op->string : "last", column, ref);
      if (expression == NULL)
        return FALSE;
      key = tess_doc_sql_aggregate_key (op ? op->string : "last", column_name);
      tess_doc_sql_add_aggregate (sql, key, expression);
    }
  return TRUE;
}

static gboolean
show_metric (TessRun *run,
             const TessDocView *kind,
             const TessDocNode *view,
             TessFrame *frame,
             GHashTable *values,
             GError **error)
{
  TessDocNode *d = tess_doc_node_get (view, "decimals");
  int decimals = d ? (int) d->number : -1;
  g_autofree char *label = view_string (view, "label", values);
  g_autofree char *value = metric_value (tess_doc_node_get (view, "value"), frame, values, decimals);
  g_autofree char *delta = metric_value (tess_doc_node_get (view, "delta"), frame, values, decimals);
  g_autofree char *prefix = view_string (view, "prefix", values);
  g_autofree char *suffix = view_string (view, "suffix", values);
  g_autofree char *shown = g_strconcat (prefix ? prefix : "", value, suffix ? suffix : "", NULL);
  TessDocNode *inverse = tess_doc_node_get (view, "delta_inverse");

  if (inverse && inverse->boolean)
    {
      GVariantDict props;
      g_variant_dict_init (&props, NULL);
      g_variant_dict_insert (&props, "label", "s", label ? label : "");
      g_variant_dict_insert (&props, "value", "s", shown);
      g_variant_dict_insert (&props, "delta", "s", delta ? delta : "");
      g_variant_dict_insert (&props, "delta-inverse", "b", TRUE);
      tess_element (run, TESS_ELEMENT_METRIC, NULL, g_variant_dict_end (&props), NULL);
    }
  else
    tess_metric (run, label ? label : "", shown, delta);
  return TRUE;
}

/* text, markdown: {"text"} */

static const char *const text_members[] = { "type", "text", NULL };

static void
validate_text (TessDocument *self, const TessDocView *kind, const TessDocNode *view, const char *path)
{
  TessDocNode *n;
  g_autofree char *xpath = tess_document_path_member (path, "text");

  tess_document_check_members (self, view, path, kind->members, "a text view");
  if ((n = tess_doc_node_get (view, "text")) == NULL)
    tess_document_error_missing (self, view, xpath, "missing member \"text\"");
  else
    tess_document_expect_type (self, n, xpath, TESS_DOC_STRING);
}

static gboolean
show_text (TessRun *run,
           const TessDocView *kind,
           const TessDocNode *view,
           TessFrame *frame,
           GHashTable *values,
           GError **error)
{
  g_autofree char *text = view_string (view, "text", values);

  tess_text (run, text);
  return TRUE;
}

static gboolean
show_markdown (TessRun *run,
               const TessDocView *kind,
               const TessDocNode *view,
               TessFrame *frame,
               GHashTable *values,
               GError **error)
{
  g_autofree char *text = view_string (view, "text", values);

  tess_markdown (run, text);
  return TRUE;
}

/* download: the fragment's data as a CSV file the user saves */

static const char *const download_members[] = { "type", "label", "filename", "columns", NULL };

static void
validate_download (TessDocument *self, const TessDocView *kind, const TessDocNode *view, const char *path)
{
  TessDocNode *n;

  tess_document_check_members (self, view, path, kind->members, "a download view");
  g_free (tess_document_optional_string (self, view, "label", path));
  g_free (tess_document_optional_string (self, view, "filename", path));
  if ((n = tess_doc_node_get (view, "filename")) != NULL && n->type == TESS_DOC_STRING &&
      (*n->string == '\0' || strpbrk (n->string, "/\\") != NULL))
    {
      g_autofree char *fpath = tess_document_path_member (path, "filename");
      tess_document_error_at (self, n, fpath, "the filename is a name such as \"sales.csv\", without a folder");
    }
  if ((n = tess_doc_node_get (view, "columns")) != NULL)
    {
      g_autofree char *cpath = tess_document_path_member (path, "columns");
      tess_document_check_column_names (self, n, cpath, "columns");
    }
}

/* @frame as CSV (RFC 4180): a header of column names, then a line per row,
 * nulls empty. transfer full */
static GBytes *
frame_to_csv (TessFrame *frame)
{
  GString *out = g_string_new (NULL);
  guint n_columns = tess_frame_get_n_columns (frame);

  for (gsize row = 0; row <= tess_frame_get_n_rows (frame); row++)
    {
      for (guint c = 0; c < n_columns; c++)
        {
          TessColumn *column = tess_frame_get_column (frame, c);
          g_autofree char *value =
              row == 0 ? g_strdup (tess_column_get_name (column)) : tess_column_format_value (column, row - 1);

          if (c > 0)
            g_string_append_c (out, ',');
          if (strpbrk (value, ",\"\r\n") == NULL)
            g_string_append (out, value);
          else
            {
              g_string_append_c (out, '"');
              for (const char *p = value; *p; p++)
                {
                  if (*p == '"')
                    g_string_append_c (out, '"');
                  g_string_append_c (out, *p);
                }
              g_string_append_c (out, '"');
            }
        }
      g_string_append (out, "\r\n");
    }
  return g_string_free_to_bytes (out);
}

static gboolean
show_download (TessRun *run,
               const TessDocView *kind,
               const TessDocNode *view,
               TessFrame *frame,
               GHashTable *values,
               GError **error)
{
  g_autofree char *label = view_string (view, "label", values);
  g_autofree char *filename = view_string (view, "filename", values);
  g_auto (GStrv) columns = view_names (view, "columns", values);
  g_autoptr (TessFrame) selected = NULL;
  g_autoptr (GBytes) csv = NULL;

  if (columns != NULL && (selected = tess_frame_select (frame, (const char *const *) columns, error)) == NULL)
    return FALSE;
  csv = frame_to_csv (selected ? selected : frame);
  /* a name from an input may be anything: only a plain name is proposed */
  if (filename == NULL || *filename == '\0' || strpbrk (filename, "/\\") != NULL)
    {
      g_free (filename);
      filename = g_strdup ("data.csv");
    }
  tess_download_button (run, label ? label : "Download CSV", csv, filename, "text/csv");
  return TRUE;
}

/* The table */

static const TessDocView views[] = {
  { "line", xy_chart_members, validate_xy_chart, always_needs_data, check_chart_columns, show_xy_chart, NULL,
    chart_columns_used },
  { "area", xy_chart_members, validate_xy_chart, always_needs_data, check_chart_columns, show_xy_chart, NULL,
    chart_columns_used },
  { "bar", xy_chart_members, validate_xy_chart, always_needs_data, check_chart_columns, show_xy_chart, NULL,
    chart_columns_used },
  { "scatter", scatter_members, validate_xy_chart, always_needs_data, check_chart_columns, show_xy_chart, NULL,
    chart_columns_used },
  { "histogram", histogram_members, validate_histogram, always_needs_data, check_chart_columns, show_histogram, NULL,
    chart_columns_used },
  { "table", table_members, validate_table, always_needs_data, check_table_columns, show_table, NULL,
    table_columns_used },
  { "metric", metric_members, validate_metric, metric_needs_data, check_metric_columns, show_metric, metric_aggregates,
    metric_columns_used },
  { "text", text_members, validate_text, NULL, NULL, show_text, NULL, NULL },
  { "markdown", text_members, validate_text, NULL, NULL, show_markdown, NULL, NULL },
  { "download", download_members, validate_download, always_needs_data, check_table_columns, show_download, NULL,
    table_columns_used },
};

const TessDocView *
tess_doc_views_get (guint *n_views)
{
  g_return_val_if_fail (n_views != NULL, NULL);
  *n_views = G_N_ELEMENTS (views);
  return views;
}

const TessDocView *
tess_doc_view_lookup (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (views); i++)
    if (g_str_equal (views[i].name, name))
      return &views[i];
  return NULL;
}

char **
tess_doc_view_names (void)
{
  char **names = g_new0 (char *, G_N_ELEMENTS (views) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    names[i] = g_strdup (views[i].name);
  return names;
}

/* TRUE when every member of @view is one its kind accepts. */
static gboolean
has_only_members_of (const TessDocView *kind, const TessDocNode *view)
{
  for (guint i = 0; i < tess_doc_node_get_length (view); i++)
    if (!tess_document_strv_contains (kind->members, tess_doc_node_get_member_index (view, i)->key))
      return FALSE;
  return TRUE;
}

void
tess_doc_view_check_columns (TessDocColumns *columns, const TessDocNode *view, const char *path)
{
  TessDocNode *type = tess_doc_node_get (view, "type");
  const TessDocView *kind = type && type->type == TESS_DOC_STRING ? tess_doc_view_lookup (type->string) : NULL;

  if (kind != NULL && has_only_members_of (kind, view))
    {
      if (kind->check_columns)
        kind->check_columns (columns, kind, view, path);
      return;
    }
  /* A view of an unknown type, or with members its kind does not take, has a
   * problem already; every column it names is still checked, whichever kind
   * the member belongs to. */
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      gboolean seen = FALSE;
      for (guint k = 0; k < i && !seen; k++)
        seen = views[k].check_columns == views[i].check_columns;
      if (views[i].check_columns && !seen)
        views[i].check_columns (columns, &views[i], view, path);
    }
}
