/* tess-chart-summary.c: a chart in words (see tess-chart-summary.h). */
#include "tess-chart-summary.h"
#include "tess-format-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>

/* "a", "a and b", "a, b and c"; NULL beyond @max names. */
static char *
join_names (TessChartData *data, guint max)
{
  GString *out;
  guint n = data->series->len;

  if (n == 0 || n > max)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      const TessChartSeries *series = g_ptr_array_index (data->series, i);

      if (i > 0)
        /* TRANSLATORS: between the names of a chart's series */
        g_string_append (out, i == n - 1 ? _ (" and ") : _ (", "));
      g_string_append (out, series->name);
    }
  return g_string_free (out, FALSE);
}

static const char *
kind_text (TessChartData *data)
{
  switch (data->kind)
    {
    case TESS_CHART_AREA:
      return data->stacked ? _ ("Stacked area chart") : _ ("Area chart");
    case TESS_CHART_BAR:
      return data->horizontal ? _ ("Horizontal bar chart") : _ ("Bar chart");
    case TESS_CHART_SCATTER:
      return _ ("Scatter plot");
    case TESS_CHART_HISTOGRAM:
      return _ ("Histogram");
    case TESS_CHART_LINE:
    default:
      return _ ("Line chart");
    }
}

/* The span of the points' x (the axis's may be padded): each series' x
 * ascends. Histograms: the bins'. */
static void
data_x_range (TessChartData *data, double *lo, double *hi)
{
  *lo = data->x_min;
  *hi = data->x_max;
  if (data->kind == TESS_CHART_HISTOGRAM)
    return;
  for (guint i = 0; i < data->series->len; i++)
    {
      const TessChartSeries *series = g_ptr_array_index (data->series, i);

      if (series->x == NULL || series->n == 0)
        continue;
      if (i == 0 || series->x[0] < *lo)
        *lo = series->x[0];
      if (i == 0 || series->x[series->n - 1] > *hi)
        *hi = series->x[series->n - 1];
    }
}

/* The span of x: times at the grain of the data, numbers compact. */
static char *
x_span (TessChartData *data)
{
  double lo, hi;

  data_x_range (data, &lo, &hi);
  if (!isfinite (lo) || !isfinite (hi))
    return NULL;
  if (data->x_axis == TESS_AXIS_TIME)
    {
      TessTimeGrain grain = TESS_TIME_GRAIN_YEAR;
      g_autofree char *from = NULL, *to = NULL;

      for (guint i = 0; i < data->series->len; i++)
        {
          const TessChartSeries *series = g_ptr_array_index (data->series, i);

          if (series->x != NULL)
            grain = MIN (grain, tess_format_time_grain (series->x, series->n));
        }
      /* a span of years reads as years, whatever the points' grain */
      if (hi - lo > 2 * 365.25 * 86400e6 && grain >= TESS_TIME_GRAIN_DAY)
        grain = TESS_TIME_GRAIN_YEAR;
      from = tess_format_time_at_grain (lo, grain);
      to = tess_format_time_at_grain (hi, grain);
      if (g_str_equal (from, to))
        return g_steal_pointer (&from);
      return g_strdup_printf ("%s–%s", from, to);
    }
  if (data->x_axis == TESS_AXIS_CATEGORY || data->kind == TESS_CHART_BAR)
    {
      guint n = data->categories != NULL ? g_strv_length (data->categories) : 0;

      return n > 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u category", "%u categories", n), n) : NULL;
    }
  {
    g_autofree char *from = tess_format_compact (lo, NULL);
    g_autofree char *to = tess_format_compact (hi, NULL);

    /* TRANSLATORS: the span of a chart's x axis: "date from 1 to 12" */
    return g_strdup_printf (_ ("%s from %s to %s"), data->x_label ? data->x_label : "x", from, to);
  }
}

char *
tess_chart_summary (TessChartData *data)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *names = NULL;
  g_autofree char *span = NULL;
  const char *y = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  g_string_append (out, kind_text (data));
  if (data->kind == TESS_CHART_HISTOGRAM)
    {
      if (data->x_label != NULL)
        g_string_append_printf (out, _ (" of %s"), data->x_label);
    }
  else
    {
      names = join_names (data, 3);
      y = data->y_label != NULL ? data->y_label : names;
      if (y != NULL && data->x_label != NULL)
        /* TRANSLATORS: what a chart plots against what: " of price by date" */
        g_string_append_printf (out, _ (" of %s by %s"), y, data->x_label);
      else if (y != NULL)
        g_string_append_printf (out, _ (" of %s"), y);
      else if (data->x_label != NULL)
        g_string_append_printf (out, _ (" by %s"), data->x_label);
    }
  if (data->series->len > 1)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, ", %u series", ", %u series", data->series->len),
                            data->series->len);
  span = x_span (data);
  if (span != NULL)
    g_string_append_printf (out, ", %s", span);
  if (data->n_points > 0 && isfinite (data->y_min) && isfinite (data->y_max))
    {
      g_autofree char *from = tess_format_compact (data->y_min, NULL);
      g_autofree char *to = tess_format_compact (data->y_max, NULL);

      /* TRANSLATORS: the span of a chart's values */
      g_string_append_printf (out, _ (", values from %s to %s"), from, to);
    }
  else if (data->n_points == 0)
    g_string_append (out, _ (", no data"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}
