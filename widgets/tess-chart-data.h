/* tess-chart-data.h: what a chart shows, prepared from a frame and a spec.
 *
 * TessChartData turns a frame and a chart spec (the keys are listed in
 * tess-chart.h) into series ready to decimate and draw: x values as doubles in
 * ascending order (times in microseconds since the epoch), y values with NaN
 * for missing, stacked bases, bar categories, histogram bins, marker sizes.
 * Where a frame column already holds sorted doubles, a series points straight
 * into it. Immutable once made, reference counted, shared between threads.
 *
 * Pure computation, no display needed.
 */
#pragma once

#include "tess-frame.h"

G_BEGIN_DECLS

typedef enum
{
  TESS_CHART_LINE,
  TESS_CHART_AREA,
  TESS_CHART_BAR,
  TESS_CHART_SCATTER,
  TESS_CHART_HISTOGRAM,
} TessChartKind;

typedef enum
{
  TESS_AXIS_NUMBER,
  TESS_AXIS_TIME,     /* microseconds since the Unix epoch */
  TESS_AXIS_CATEGORY, /* category k at x = k */
} TessAxisKind;

typedef struct
{
  char *name;
  gsize n;
  const double *x;     /* ascending; NULL means x[i] = i */
  const double *y;     /* NaN where missing; stacked: the top of the stack */
  const double *base;  /* stacked: the bottom; NULL means 0 */
  const double *size;  /* scatter: marker radius in pixels; NULL for the default */
  const double *ramp;  /* scatter coloured by a number: 0..1 along the colour ramp, NaN if missing */
  const guint32 *gaps; /* lines and areas with missing y: missing values before index i; NULL if none */
} TessChartSeries;

typedef struct
{
  TessChartKind kind;
  TessAxisKind x_axis;
  gboolean stacked;
  gboolean horizontal;
  gboolean legend;
  gboolean categories_colored; /* the series are the values of a colour column */
  int height;
  char *title;
  char *x_label;
  char *y_label;
  GPtrArray *series;   /* TessChartSeries */
  GStrv categories;    /* bars: the label of category k */
  double bin_width;    /* histograms: x is each bin's start */
  double x_min, x_max; /* over every series; bars and histograms include their width */
  double y_min, y_max; /* over every series; bars, areas and histograms include 0 */
  gsize n_points;      /* over every series */
  char *ramp_label;    /* scatter coloured by a number: its column, and its range */
  double ramp_min, ramp_max;

  /*< private >*/
  gatomicrefcount ref_count;
  GPtrArray *buffers;
  TessFrame *frame;
  GStrv columns; /* the frame columns the chart uses, for CSV */
} TessChartData;

/* Reads the spec keys into a chart; fails (with a message naming the column)
 * when a column is missing or cannot be plotted. Runs on a worker thread. */
TessChartData *tess_chart_data_new (TessFrame *frame, GVariant *spec, GError **error);
TessChartData *tess_chart_data_ref (TessChartData *data);
void tess_chart_data_unref (TessChartData *data);

TessChartKind tess_chart_kind_from_string (const char *kind);

/* The chart's data as CSV (RFC 4180): the columns used for line, area and
 * scatter charts; one row per category for bars; one per bin for histograms.
 * Runs on a worker thread. */
char *tess_chart_data_to_csv (TessChartData *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessChartData, tess_chart_data_unref)

G_END_DECLS
