/* tess-chart-data.c: preparing a frame and a spec for drawing (see tess-chart-data.h). */
#include "tess-chart-data.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "tess-format-private.h"
#include "tess-sort.h"
#include "tess-ticks.h"

#define MAX_GROUPS 16
#define USEC_PER_DAY 86400000000.0

static gpointer
data_buffer (TessChartData *data, gsize n, gsize elem)
{
  gpointer p = g_malloc0_n (MAX (n, 1), elem);

  g_ptr_array_add (data->buffers, p);
  return p;
}

static void
series_free (gpointer p)
{
  TessChartSeries *s = p;

  g_free (s->name);
  g_free (s);
}

static TessChartSeries *
add_series (TessChartData *data, const char *name, gsize n)
{
  TessChartSeries *s = g_new0 (TessChartSeries, 1);

  s->name = g_strdup (name);
  s->n = n;
  g_ptr_array_add (data->series, s);
  return s;
}

TessChartKind
tess_chart_kind_from_string (const char *kind)
{
  if (kind == NULL)
    return TESS_CHART_LINE;
  if (g_str_equal (kind, "area"))
    return TESS_CHART_AREA;
  if (g_str_equal (kind, "bar"))
    return TESS_CHART_BAR;
  if (g_str_equal (kind, "scatter"))
    return TESS_CHART_SCATTER;
  if (g_str_equal (kind, "histogram"))
    return TESS_CHART_HISTOGRAM;
  return TESS_CHART_LINE;
}

static const char *
spec_string (GVariant *spec, const char *key)
{
  const char *value = NULL;

  if (spec != NULL && g_variant_lookup (spec, key, "&s", &value) && value[0] != '\0')
    return value;
  return NULL;
}

static gboolean
spec_boolean (GVariant *spec, const char *key, gboolean fallback)
{
  gboolean value;

  if (spec != NULL && g_variant_lookup (spec, key, "b", &value))
    return value;
  return fallback;
}

static int
spec_int (GVariant *spec, const char *key, int fallback)
{
  gint32 value;

  if (spec != NULL && g_variant_lookup (spec, key, "i", &value))
    return value;
  return fallback;
}

static TessColumn *
find_column (TessFrame *frame, const char *name, GError **error)
{
  TessColumn *column = tess_frame_get_column_by_name (frame, name);

  if (column == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "The chart asks for the column “%s”, which the data does not have", name);
  return column;
}

/* A column's values as doubles: times become microseconds, nulls NaN, strings
 * NULL. Doubles are not copied. */
static const double *
column_doubles (TessChartData *data, TessColumn *column, TessAxisKind *axis)
{
  TessColumnType type = tess_column_get_column_type (column);
  gsize n = tess_column_get_length (column);
  const guint8 *validity = tess_column_get_validity (column);
  double *out;

  if (axis != NULL)
    *axis = (type == TESS_COLUMN_DATE || type == TESS_COLUMN_TIMESTAMP) ? TESS_AXIS_TIME : TESS_AXIS_NUMBER;
  switch (type)
    {
    case TESS_COLUMN_DOUBLE:
      {
        const double *raw = tess_column_get_double_data (column);

        /* an empty column may have no storage at all */
        return raw != NULL ? raw : data_buffer (data, n, sizeof (double));
      }
    case TESS_COLUMN_STRING:
      return NULL;
    case TESS_COLUMN_INT64:
    case TESS_COLUMN_TIMESTAMP:
      {
        const gint64 *raw = tess_column_get_int64_data (column);

        out = data_buffer (data, n, sizeof (double));
        for (gsize i = 0; i < n; i++)
          out[i] = (double) raw[i];
        break;
      }
    case TESS_COLUMN_DATE:
      {
        const gint32 *raw = tess_column_get_date_data (column);

        out = data_buffer (data, n, sizeof (double));
        for (gsize i = 0; i < n; i++)
          out[i] = raw[i] * USEC_PER_DAY;
        break;
      }
    case TESS_COLUMN_BOOL:
    default:
      out = data_buffer (data, n, sizeof (double));
      for (gsize i = 0; i < n; i++)
        out[i] = tess_column_get_double (column, i);
      return out;
    }
  if (validity != NULL)
    for (gsize i = 0; i < n; i++)
      if (!(validity[i / 8] & (1u << (i % 8))))
        out[i] = NAN;
  return out;
}

/* The label of a row's value, for groups and categories; owned by @scratch
 * when it had to be made. */
static const char *
row_label (TessColumn *column, gsize row, char **scratch)
{
  const char *s;

  g_clear_pointer (scratch, g_free);
  if (tess_column_get_column_type (column) == TESS_COLUMN_STRING)
    {
      s = tess_column_get_string (column, row);
      return s != NULL ? s : "null";
    }
  if (tess_column_is_null (column, row))
    return "null";
  *scratch = tess_column_format_value (column, row);
  return *scratch;
}

/* The group of @label: a new one while there are fewer than MAX_GROUPS,
 * "other" after that. */
static guint8
group_of (GHashTable *groups, GPtrArray *names, int *other, const char *label)
{
  gpointer found;

  if (g_hash_table_lookup_extended (groups, label, NULL, &found))
    return GPOINTER_TO_UINT (found);
  if (names->len < MAX_GROUPS)
    {
      g_hash_table_insert (groups, g_strdup (label), GUINT_TO_POINTER (names->len));
      g_ptr_array_add (names, g_strdup (label));
      return names->len - 1;
    }
  if (*other < 0)
    {
      *other = names->len;
      g_ptr_array_add (names, g_strdup ("other"));
    }
  return *other;
}

/* Splits rows (in the given order) into at most MAX_GROUPS groups by the value
 * of @column; the rest go to "other". The groups, and so the legend and the
 * colours, follow the order in which the data holds their values, whatever
 * @order is. Returns the group of each position and fills @names. */
static guint8 *
group_rows (TessColumn *column, const guint32 *order, gsize n, GPtrArray *names)
{
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *scratch = NULL;
  guint8 *group = g_new (guint8, MAX (n, 1));
  int other = -1;

  if (order != NULL)
    {
      /* name the groups in row order first: only the rows @order keeps */
      g_autofree guint8 *kept = g_new0 (guint8, MAX (tess_column_get_length (column), 1));

      for (gsize i = 0; i < n; i++)
        kept[order[i]] = 1;
      for (gsize row = 0; row < tess_column_get_length (column); row++)
        if (kept[row])
          group_of (groups, names, &other, row_label (column, row, &scratch));
    }
  for (gsize i = 0; i < n; i++)
    group[i] = group_of (groups, names, &other, row_label (column, order ? order[i] : i, &scratch));
  return group;
}

static void
stack_series (TessChartData *data, gsize n)
{
  double *below = NULL;

  for (guint s = 0; s < data->series->len; s++)
    {
      TessChartSeries *series = g_ptr_array_index (data->series, s);
      double *top = data_buffer (data, n, sizeof (double));

      for (gsize i = 0; i < n; i++)
        {
          double v = series->y[i];

          top[i] = (below ? below[i] : 0) + (isnan (v) ? 0 : v);
        }
      series->base = below;
      series->y = top;
      below = top;
    }
}

static gboolean
prepare_xy (TessChartData *data,
            TessFrame *frame,
            TessColumn *x_column,
            GPtrArray *y_columns,
            TessColumn *color,
            TessColumn *size,
            TessColumn *ramp,
            GError **error)
{
  gsize n = tess_frame_get_n_rows (frame), n_valid = n;
  const double *x = NULL;
  g_autofree guint32 *order = NULL;

  if (x_column != NULL)
    {
      x = column_doubles (data, x_column, &data->x_axis);
      if (x == NULL)
        {
          /* strings along x: one category per row, in row order */
          data->x_axis = TESS_AXIS_CATEGORY;
          data->categories = g_new0 (char *, n + 1);
          for (gsize i = 0; i < n; i++)
            {
              const char *s = tess_column_get_string (x_column, i);
              data->categories[i] = g_strdup (s ? s : "");
            }
        }
    }

  if (x != NULL)
    {
      gboolean sorted = TRUE;

      for (gsize i = 0; i < n && sorted; i++)
        if (isnan (x[i]) || (i > 0 && x[i] < x[i - 1]))
          sorted = FALSE;
      if (!sorted)
        {
          order = g_new (guint32, MAX (n, 1));
          tess_sort_doubles (x, n, FALSE, order);
          while (n_valid > 0 && isnan (x[order[n_valid - 1]]))
            n_valid--;
        }
    }

  /* one series per y column, or one per colour group of the first y column */
  if (color != NULL)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autofree guint8 *group = group_rows (color, order, n_valid, names);
      const double *y = column_doubles (data, g_ptr_array_index (y_columns, 0), NULL);
      const double *sz = size ? column_doubles (data, size, NULL) : NULL;
      g_autofree gsize *counts = g_new0 (gsize, names->len);
      g_autofree gsize *fill = g_new0 (gsize, names->len);

      for (gsize i = 0; i < n_valid; i++)
        counts[group[i]]++;
      for (guint g = 0; g < names->len; g++)
        {
          TessChartSeries *s = add_series (data, g_ptr_array_index (names, g), counts[g]);

          s->x = data_buffer (data, counts[g], sizeof (double));
          s->y = data_buffer (data, counts[g], sizeof (double));
          if (sz != NULL)
            s->size = data_buffer (data, counts[g], sizeof (double));
        }
      for (gsize i = 0; i < n_valid; i++)
        {
          TessChartSeries *s = g_ptr_array_index (data->series, group[i]);
          gsize row = order ? order[i] : i, k = fill[group[i]]++;

          ((double *) s->x)[k] = x ? x[row] : (double) row;
          ((double *) s->y)[k] = y ? y[row] : NAN;
          if (sz != NULL)
            ((double *) s->size)[k] = sz[row];
        }
    }
  else
    {
      const double *sx = x;
      const double *sz = size ? column_doubles (data, size, NULL) : NULL;
      const double *sr = ramp ? column_doubles (data, ramp, NULL) : NULL;

      if (order != NULL)
        {
          double *gx = data_buffer (data, n_valid, sizeof (double));

          for (gsize i = 0; i < n_valid; i++)
            gx[i] = x[order[i]];
          sx = gx;
          if (sz != NULL)
            {
              double *gs = data_buffer (data, n_valid, sizeof (double));

              for (gsize i = 0; i < n_valid; i++)
                gs[i] = sz[order[i]];
              sz = gs;
            }
          if (sr != NULL)
            {
              double *gr = data_buffer (data, n_valid, sizeof (double));

              for (gsize i = 0; i < n_valid; i++)
                gr[i] = sr[order[i]];
              sr = gr;
            }
        }
      if (sr != NULL)
        {
          /* colour by a number: positions along the ramp */
          double lo = INFINITY, hi = -INFINITY, *pos = data_buffer (data, n_valid, sizeof (double));

          for (gsize i = 0; i < n_valid; i++)
            if (isfinite (sr[i]))
              {
                lo = MIN (lo, sr[i]);
                hi = MAX (hi, sr[i]);
              }
          for (gsize i = 0; i < n_valid; i++)
            pos[i] = isfinite (sr[i]) ? (hi > lo ? (sr[i] - lo) / (hi - lo) : 0.5) : NAN;
          sr = pos;
          data->ramp_label = g_strdup (tess_column_get_name (ramp));
          data->ramp_min = isfinite (lo) ? lo : 0;
          data->ramp_max = isfinite (hi) ? hi : 0;
        }
      for (guint c = 0; c < y_columns->len; c++)
        {
          TessColumn *column = g_ptr_array_index (y_columns, c);
          const double *y = column_doubles (data, column, NULL);
          TessChartSeries *s = add_series (data, tess_column_get_name (column), n_valid);

          if (y == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The column “%s” holds text; a chart’s y values must be numbers",
                           tess_column_get_name (column));
              return FALSE;
            }
          if (order != NULL)
            {
              double *gy = data_buffer (data, n_valid, sizeof (double));

              for (gsize i = 0; i < n_valid; i++)
                gy[i] = y[order[i]];
              y = gy;
            }
          s->x = sx;
          s->y = y;
          s->size = sz;
          s->ramp = sr;
        }
      if (data->stacked && data->kind == TESS_CHART_AREA)
        stack_series (data, n_valid);
    }

  /* marker radius from the size channel: area proportional to the value */
  if (size != NULL)
    {
      double lo = INFINITY, hi = -INFINITY;

      for (guint s = 0; s < data->series->len; s++)
        {
          TessChartSeries *series = g_ptr_array_index (data->series, s);

          for (gsize i = 0; i < series->n; i++)
            if (isfinite (series->size[i]))
              {
                lo = MIN (lo, series->size[i]);
                hi = MAX (hi, series->size[i]);
              }
        }
      for (guint s = 0; s < data->series->len; s++)
        {
          TessChartSeries *series = g_ptr_array_index (data->series, s);
          double *radius = data_buffer (data, series->n, sizeof (double));

          for (gsize i = 0; i < series->n; i++)
            {
              double v = series->size[i];
              double f = hi > lo && isfinite (v) ? (v - lo) / (hi - lo) : 0.3;

              radius[i] = 2 + 10 * sqrt (f);
            }
          series->size = radius;
        }
    }
  return TRUE;
}

typedef struct
{
  double value;
  guint index;
} CategoryKey;

static int
compare_category (gconstpointer a, gconstpointer b)
{
  const CategoryKey *ka = a, *kb = b;

  return (ka->value > kb->value) - (ka->value < kb->value);
}

/* Dates and times as bar categories: as short as what varies allows, "2014"
 * for years, "Mar 2014" for months, the full date or time otherwise. */
static void
relabel_times (TessColumn *column, const CategoryKey *keys, GPtrArray *labels)
{
  TessColumnType type = tess_column_get_column_type (column);
  gboolean midnight = TRUE, first_of_month = TRUE, new_year = TRUE;
  const char *format;

  if (type != TESS_COLUMN_DATE && type != TESS_COLUMN_TIMESTAMP)
    return;
  for (guint k = 0; k < labels->len; k++)
    {
      double usec = type == TESS_COLUMN_DATE ? keys[k].value * USEC_PER_DAY : keys[k].value;
      g_autoptr (GDateTime) dt = NULL;

      if (!isfinite (usec))
        continue;
      dt = g_date_time_new_from_unix_utc ((gint64) floor (usec / G_USEC_PER_SEC));
      if (dt == NULL)
        return;
      midnight = midnight && fmod (usec, USEC_PER_DAY) == 0;
      first_of_month = first_of_month && g_date_time_get_day_of_month (dt) == 1;
      new_year = new_year && g_date_time_get_day_of_year (dt) == 1;
    }
  if (!midnight)
    return;
  format = new_year ? "%Y" : first_of_month ? "%b %Y" : NULL;
  if (format == NULL)
    return;
  for (guint k = 0; k < labels->len; k++)
    {
      double usec = type == TESS_COLUMN_DATE ? keys[k].value * USEC_PER_DAY : keys[k].value;
      g_autoptr (GDateTime) dt = NULL;

      if (!isfinite (usec))
        continue;
      dt = g_date_time_new_from_unix_utc ((gint64) floor (usec / G_USEC_PER_SEC));
      g_free (labels->pdata[k]);
      labels->pdata[k] = g_date_time_format (dt, format);
    }
}

static gboolean
prepare_bars (TessChartData *data,
              TessFrame *frame,
              TessColumn *x_column,
              GPtrArray *y_columns,
              TessColumn *color,
              GError **error)
{
  gsize n = tess_frame_get_n_rows (frame);
  g_autofree guint32 *category = g_new (guint32, MAX (n, 1));
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint n_categories;

  data->x_axis = TESS_AXIS_CATEGORY;
  if (x_column == NULL)
    {
      for (gsize i = 0; i < n; i++)
        {
          category[i] = i;
          g_ptr_array_add (labels, g_strdup_printf ("%" G_GSIZE_FORMAT, i + 1));
        }
    }
  else
    {
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *scratch = NULL;
      gboolean numeric = tess_column_get_column_type (x_column) != TESS_COLUMN_STRING;

      for (gsize i = 0; i < n; i++)
        {
          const char *label = row_label (x_column, i, &scratch);
          gpointer found;

          if (g_hash_table_lookup_extended (seen, label, NULL, &found))
            category[i] = GPOINTER_TO_UINT (found);
          else
            {
              char *copy = g_strdup (label);

              category[i] = labels->len;
              g_hash_table_insert (seen, copy, GUINT_TO_POINTER (labels->len));
              g_ptr_array_add (labels, copy);
            }
        }
      /* numbers and times: categories in ascending order */
      if (numeric)
        {
          g_autofree CategoryKey *keys = g_new (CategoryKey, MAX (labels->len, 1));
          g_autofree guint32 *rank = g_new (guint32, MAX (labels->len, 1));
          g_autofree gboolean *done = g_new0 (gboolean, MAX (labels->len, 1));
          g_autoptr (GPtrArray) sorted = g_ptr_array_new_with_free_func (g_free);

          for (gsize i = 0; i < n; i++)
            if (!done[category[i]])
              {
                done[category[i]] = TRUE;
                keys[category[i]] = (CategoryKey){ tess_column_get_double (x_column, i), category[i] };
              }
          for (guint k = 0; k < labels->len; k++)
            if (isnan (keys[k].value))
              keys[k].value = INFINITY;
          qsort (keys, labels->len, sizeof (CategoryKey), compare_category);
          for (guint k = 0; k < labels->len; k++)
            {
              rank[keys[k].index] = k;
              g_ptr_array_add (sorted, g_strdup (g_ptr_array_index (labels, keys[k].index)));
            }
          for (gsize i = 0; i < n; i++)
            category[i] = rank[category[i]];
          g_ptr_array_set_size (labels, 0);
          g_ptr_array_extend_and_steal (labels, g_steal_pointer (&sorted));
          relabel_times (x_column, keys, labels);
        }
    }
  n_categories = labels->len;
  g_ptr_array_add (labels, NULL);
  data->categories = (GStrv) g_ptr_array_free (g_steal_pointer (&labels), FALSE);

  if (color != NULL)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autofree guint8 *group = group_rows (color, NULL, n, names);
      const double *y = column_doubles (data, g_ptr_array_index (y_columns, 0), NULL);

      if (y == NULL)
        goto text;
      for (guint g = 0; g < names->len; g++)
        {
          TessChartSeries *s = add_series (data, g_ptr_array_index (names, g), n_categories);
          double *sum = data_buffer (data, n_categories, sizeof (double));

          for (guint k = 0; k < n_categories; k++)
            sum[k] = NAN;
          s->y = sum;
        }
      for (gsize i = 0; i < n; i++)
        {
          TessChartSeries *s = g_ptr_array_index (data->series, group[i]);
          double *sum = (double *) s->y;

          if (!isnan (y[i]))
            sum[category[i]] = (isnan (sum[category[i]]) ? 0 : sum[category[i]]) + y[i];
        }
    }
  else
    for (guint c = 0; c < y_columns->len; c++)
      {
        TessColumn *column = g_ptr_array_index (y_columns, c);
        const double *y = column_doubles (data, column, NULL);
        TessChartSeries *s = add_series (data, tess_column_get_name (column), n_categories);
        double *sum = data_buffer (data, n_categories, sizeof (double));

        if (y == NULL)
          goto text;
        for (guint k = 0; k < n_categories; k++)
          sum[k] = NAN;
        for (gsize i = 0; i < n; i++)
          if (!isnan (y[i]))
            sum[category[i]] = (isnan (sum[category[i]]) ? 0 : sum[category[i]]) + y[i];
        s->y = sum;
      }
  if (data->stacked)
    stack_series (data, n_categories);
  return TRUE;

text:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "A bar chart’s values must be numbers; the y column “%s” holds text",
               tess_column_get_name (g_ptr_array_index (y_columns, 0)));
  return FALSE;
}

static gboolean
prepare_histogram (
    TessChartData *data, TessFrame *frame, GPtrArray *columns, TessColumn *color, int bins, GError **error)
{
  gsize n = tess_frame_get_n_rows (frame);
  g_autoptr (GPtrArray) values = g_ptr_array_new ();
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint8 *group = NULL;
  double lo = INFINITY, hi = -INFINITY, sum = 0, sum2 = 0, width, start;
  gsize count = 0, n_bins;
  double *starts;

  for (guint c = 0; c < columns->len; c++)
    {
      TessColumn *column = g_ptr_array_index (columns, c);
      const double *v = column_doubles (data, column, c == 0 ? &data->x_axis : NULL);

      if (v == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "A histogram counts numbers; the column “%s” holds text", tess_column_get_name (column));
          return FALSE;
        }
      g_ptr_array_add (values, (gpointer) v);
      for (gsize i = 0; i < n; i++)
        if (isfinite (v[i]))
          {
            lo = MIN (lo, v[i]);
            hi = MAX (hi, v[i]);
            sum += v[i];
            sum2 += v[i] * v[i];
            count++;
          }
    }
  if (count == 0)
    {
      lo = 0;
      hi = 1;
    }

  if (bins <= 0)
    {
      /* Scott's rule, 3.49 sigma n^(-1/3), then a nice width */
      double mean = count ? sum / count : 0;
      double sigma = count > 1 ? sqrt (MAX (0, sum2 / count - mean * mean)) : 0;
      double h = 3.49 * sigma * pow (MAX (count, 1), -1.0 / 3);

      bins = h > 0 ? (int) ceil ((hi - lo) / h) : 10;
      bins = CLAMP (bins, 5, 200);
    }
  bins = CLAMP (bins, 1, 10000);
  if (hi == lo)
    hi = lo + 1;
  width = tess_ticks_nice_step (hi - lo, bins + 1);
  start = floor (lo / width) * width;
  n_bins = (gsize) floor ((hi - start) / width) + 1;
  data->bin_width = width;

  starts = data_buffer (data, n_bins, sizeof (double));
  for (gsize b = 0; b < n_bins; b++)
    starts[b] = start + b * width;

  if (color != NULL)
    group = group_rows (color, NULL, n, names);
  else
    for (guint c = 0; c < columns->len; c++)
      g_ptr_array_add (names, g_strdup (tess_column_get_name (g_ptr_array_index (columns, c))));

  for (guint g = 0; g < names->len; g++)
    {
      TessChartSeries *s = add_series (data, g_ptr_array_index (names, g), n_bins);

      s->x = starts;
      s->y = data_buffer (data, n_bins, sizeof (double));
    }
  for (guint c = 0; c < (color ? 1 : columns->len); c++)
    {
      const double *v = g_ptr_array_index (values, c);

      for (gsize i = 0; i < n; i++)
        if (isfinite (v[i]))
          {
            TessChartSeries *s = g_ptr_array_index (data->series, color ? group[i] : c);
            gsize b = (gsize) floor ((v[i] - start) / width);

            ((double *) s->y)[MIN (b, n_bins - 1)] += 1;
          }
    }
  return TRUE;
}

/* Lines break where values are missing: count them, for a constant-time
 * "is there a gap between these two points" while drawing. */
static void
find_gaps (TessChartData *data)
{
  for (guint s = 0; s < data->series->len; s++)
    {
      TessChartSeries *series = g_ptr_array_index (data->series, s);
      guint32 *gaps, missing = 0;
      gsize i;

      for (i = 0; i < series->n && !isnan (series->y[i]); i++)
        ;
      if (i == series->n || series->n > G_MAXUINT32)
        continue;
      gaps = data_buffer (data, series->n + 1, sizeof (guint32));
      for (i = 0; i < series->n; i++)
        {
          gaps[i] = missing;
          missing += isnan (series->y[i]);
        }
      gaps[series->n] = missing;
      series->gaps = gaps;
    }
}

static void
compute_bounds (TessChartData *data)
{
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;

  for (guint s = 0; s < data->series->len; s++)
    {
      TessChartSeries *series = g_ptr_array_index (data->series, s);

      data->n_points += series->n;
      if (series->n == 0)
        continue;
      if (data->kind != TESS_CHART_BAR)
        {
          x_lo = MIN (x_lo, series->x ? series->x[0] : 0);
          x_hi = MAX (x_hi, series->x ? series->x[series->n - 1] : series->n - 1);
        }
      for (gsize i = 0; i < series->n; i++)
        {
          double v = series->y[i];

          if (isfinite (v))
            {
              y_lo = MIN (y_lo, v);
              y_hi = MAX (y_hi, v);
            }
          if (series->base != NULL && isfinite (series->base[i]))
            {
              y_lo = MIN (y_lo, series->base[i]);
              y_hi = MAX (y_hi, series->base[i]);
            }
        }
    }
  if (data->kind == TESS_CHART_BAR)
    {
      x_lo = -0.5;
      x_hi = g_strv_length (data->categories) - 0.5;
    }
  else if (data->kind == TESS_CHART_HISTOGRAM)
    x_hi += data->bin_width;
  else if (data->kind == TESS_CHART_SCATTER && isfinite (x_lo) && x_hi > x_lo)
    {
      /* room for the markers at either end */
      double pad = (x_hi - x_lo) * 0.03;

      x_lo -= pad;
      x_hi += pad;
    }
  if (data->kind == TESS_CHART_BAR || data->kind == TESS_CHART_AREA || data->kind == TESS_CHART_HISTOGRAM)
    {
      y_lo = MIN (y_lo, 0);
      y_hi = MAX (y_hi, 0);
    }
  if (!isfinite (x_lo) || !isfinite (x_hi))
    {
      x_lo = 0;
      x_hi = 1;
    }
  if (!isfinite (y_lo) || !isfinite (y_hi))
    {
      y_lo = 0;
      y_hi = 1;
    }
  data->x_min = x_lo;
  data->x_max = x_hi;
  data->y_min = y_lo;
  data->y_max = y_hi;
}

TessChartData *
tess_chart_data_new (TessFrame *frame, GVariant *spec, GError **error)
{
  g_autoptr (TessChartData) data = g_new0 (TessChartData, 1);
  g_autoptr (GPtrArray) y_columns = g_ptr_array_new ();
  g_autoptr (GPtrArray) used = g_ptr_array_new ();
  g_autofree const char **y_names = NULL;
  TessColumn *x_column = NULL, *color = NULL, *size = NULL;
  const char *x_name, *color_name, *size_name;
  gboolean ok;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (spec == NULL || g_variant_is_of_type (spec, G_VARIANT_TYPE_VARDICT), NULL);

  g_atomic_ref_count_init (&data->ref_count);
  data->buffers = g_ptr_array_new_with_free_func (g_free);
  data->series = g_ptr_array_new_with_free_func (series_free);
  data->frame = tess_frame_ref (frame);
  data->kind = tess_chart_kind_from_string (spec_string (spec, "kind"));
  data->stacked = spec_boolean (spec, "stack", FALSE);
  data->horizontal = spec_boolean (spec, "horizontal", FALSE);
  data->height = spec_int (spec, "height", 300);
  data->title = g_strdup (spec_string (spec, "title"));

  x_name = spec_string (spec, "x");
  color_name = spec_string (spec, "color");
  size_name = spec_string (spec, "size");
  if (x_name != NULL && (x_column = find_column (frame, x_name, error)) == NULL)
    return NULL;
  if (color_name != NULL && (color = find_column (frame, color_name, error)) == NULL)
    return NULL;
  if (size_name != NULL && (size = find_column (frame, size_name, error)) == NULL)
    return NULL;
  if (x_column)
    g_ptr_array_add (used, (gpointer) x_name);

  if (spec != NULL && g_variant_lookup (spec, "y", "^a&s", &y_names) && y_names[0] != NULL)
    {
      for (guint i = 0; y_names[i] != NULL; i++)
        {
          TessColumn *column = find_column (frame, y_names[i], error);

          if (column == NULL)
            return NULL;
          g_ptr_array_add (y_columns, column);
        }
    }
  else if (data->kind == TESS_CHART_HISTOGRAM && x_column != NULL)
    {
      g_ptr_array_add (y_columns, x_column);
      x_column = NULL;
    }
  else
    {
      /* every numeric column that is not otherwise used */
      for (guint i = 0; i < tess_frame_get_n_columns (frame); i++)
        {
          TessColumn *column = tess_frame_get_column (frame, i);

          if (column != x_column && column != color && column != size &&
              tess_column_type_is_numeric (tess_column_get_column_type (column)))
            g_ptr_array_add (y_columns, column);
        }
    }
  if (y_columns->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The chart has no values to show: name its y columns, or give it a frame "
                   "with a numeric column");
      return NULL;
    }
  for (guint i = 0; i < y_columns->len; i++)
    g_ptr_array_add (used, (gpointer) tess_column_get_name (g_ptr_array_index (y_columns, i)));
  if (color)
    g_ptr_array_add (used, (gpointer) color_name);
  if (size)
    g_ptr_array_add (used, (gpointer) size_name);
  g_ptr_array_add (used, NULL);
  data->columns = g_strdupv ((GStrv) used->pdata);

  data->x_label = g_strdup (spec_string (spec, "x_label"));
  if (data->x_label == NULL && x_column != NULL)
    data->x_label = g_strdup (x_name);
  if (data->x_label == NULL && data->kind == TESS_CHART_HISTOGRAM && y_columns->len == 1)
    data->x_label = g_strdup (tess_column_get_name (g_ptr_array_index (y_columns, 0)));
  data->y_label = g_strdup (spec_string (spec, "y_label"));
  if (data->y_label == NULL && data->kind == TESS_CHART_HISTOGRAM)
    data->y_label = g_strdup ("count");
  else if (data->y_label == NULL && y_columns->len == 1)
    data->y_label = g_strdup (tess_column_get_name (g_ptr_array_index (y_columns, 0)));

  switch (data->kind)
    {
    case TESS_CHART_BAR:
      ok = prepare_bars (data, frame, x_column, y_columns, color, error);
      break;
    case TESS_CHART_HISTOGRAM:
      ok = prepare_histogram (data, frame, y_columns, color, spec_int (spec, "bins", 0), error);
      break;
    default:
      {
        /* scatter plots colour by a number along a ramp, by anything else in groups */
        gboolean ramp = data->kind == TESS_CHART_SCATTER && color != NULL &&
                        tess_column_type_is_numeric (tess_column_get_column_type (color));

        ok = prepare_xy (data, frame, x_column, y_columns, ramp ? NULL : color,
                         data->kind == TESS_CHART_SCATTER ? size : NULL, ramp ? color : NULL, error);
        break;
      }
    }
  if (!ok)
    return NULL;
  data->legend = spec_boolean (spec, "legend", data->series->len > 1);
  /* series of a colour column are categories, coloured alike across charts */
  data->categories_colored = color != NULL && data->ramp_label == NULL;
  if ((data->kind == TESS_CHART_LINE || data->kind == TESS_CHART_AREA) && !data->stacked)
    find_gaps (data);
  compute_bounds (data);
  return g_steal_pointer (&data);
}

TessChartData *
tess_chart_data_ref (TessChartData *data)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_atomic_ref_count_inc (&data->ref_count);
  return data;
}

void
tess_chart_data_unref (TessChartData *data)
{
  g_return_if_fail (data != NULL);
  if (!g_atomic_ref_count_dec (&data->ref_count))
    return;
  g_clear_pointer (&data->series, g_ptr_array_unref);
  g_clear_pointer (&data->buffers, g_ptr_array_unref);
  g_clear_pointer (&data->frame, tess_frame_unref);
  g_strfreev (data->categories);
  g_strfreev (data->columns);
  g_free (data->title);
  g_free (data->x_label);
  g_free (data->y_label);
  g_free (data->ramp_label);
  g_free (data);
}

static void
csv_field (GString *out, const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as @v: "4.325", not "4.3250000000000002". */
static void
csv_number (GString *out, double v)
{
  g_autofree char *text = tess_format_shortest (v);

  g_string_append (out, text);
}

char *
tess_chart_data_to_csv (TessChartData *data)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (data != NULL, NULL);

  if (data->kind == TESS_CHART_BAR || data->kind == TESS_CHART_HISTOGRAM)
    {
      gsize n = data->series->len ? ((TessChartSeries *) g_ptr_array_index (data->series, 0))->n : 0;

      g_string_append (out, data->kind == TESS_CHART_BAR ? "category" : "bin_start,bin_end");
      for (guint s = 0; s < data->series->len; s++)
        {
          g_string_append_c (out, ',');
          csv_field (out, ((TessChartSeries *) g_ptr_array_index (data->series, s))->name);
        }
      g_string_append (out, "\r\n");
      for (gsize i = 0; i < n; i++)
        {
          if (data->kind == TESS_CHART_BAR)
            csv_field (out, data->categories[i]);
          else
            {
              double start = ((TessChartSeries *) g_ptr_array_index (data->series, 0))->x[i];

              csv_number (out, start);
              g_string_append_c (out, ',');
              csv_number (out, start + data->bin_width);
            }
          for (guint s = 0; s < data->series->len; s++)
            {
              TessChartSeries *series = g_ptr_array_index (data->series, s);
              double v = series->y[i] - (series->base ? series->base[i] : 0);

              g_string_append_c (out, ',');
              csv_number (out, v);
            }
          g_string_append (out, "\r\n");
        }
      return g_string_free (out, FALSE);
    }

  /* lines, areas, scatter: the frame's rows, in the columns the chart uses */
  {
    guint n_cols = g_strv_length (data->columns);
    g_autofree TessColumn **cols = g_new (TessColumn *, MAX (n_cols, 1));
    gsize n = tess_frame_get_n_rows (data->frame);

    for (guint c = 0; c < n_cols; c++)
      {
        cols[c] = tess_frame_get_column_by_name (data->frame, data->columns[c]);
        if (c > 0)
          g_string_append_c (out, ',');
        csv_field (out, data->columns[c]);
      }
    g_string_append (out, "\r\n");
    for (gsize i = 0; i < n; i++)
      {
        for (guint c = 0; c < n_cols; c++)
          {
            g_autofree char *value = tess_column_format_value (cols[c], i);

            if (c > 0)
              g_string_append_c (out, ',');
            csv_field (out, value);
          }
        g_string_append (out, "\r\n");
      }
  }
  return g_string_free (out, FALSE);
}
