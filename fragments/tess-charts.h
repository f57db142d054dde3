/* tess-charts.h: typed chart and table element functions for dashboards.
 *
 * Each builds the spec dictionary a CHART or TABLE element carries (the keys
 * are documented in widgets/tess-chart.h and widgets/tess-table-view.h) and
 * emits it with tess_chart() or tess_table():
 *
 *   const char *y[] = { "revenue", "costs", NULL };
 *   TessChartOptions opts = { .title = "Money", .stack = TRUE };
 *   tess_area_chart (run, frame, "month", y, &opts);
 *
 * Like every element function, these may be called only from the thread
 * running the dashboard or fragment body, for its duration.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include "tess-run.h"

G_BEGIN_DECLS

typedef struct
{
  const char *title;
  const char *x_label; /* default: the x column's name */
  const char *y_label; /* default: the y column's name when there is one */
  const char *color;   /* a column whose values split the first y column into series */
  const char *size;    /* scatter: a numeric column mapped to marker area */
  gboolean stack;      /* areas and bars */
  gboolean horizontal; /* bars */
  int bins;            /* histograms: 0 chooses by Scott's rule */
  int height;          /* pixels; 0 for the default (300) */
  int legend;          /* 0: automatic, 1: always, -1: never */
} TessChartOptions;

typedef struct
{
  int height; /* pixels; 0 for the default (360) */
  const char *title;
} TessDataframeOptions;

/**
 * tess_chart_spec_new:
 * @x: (nullable):
 * @y: (array zero-terminated=1) (nullable):
 * @options: (nullable):
 *
 * The spec dictionary (a floating a{sv}) of a chart of @kind ("line", "area",
 * "bar", "scatter", "histogram"); @x and @y may be NULL, @options too.
 *
 * Returns: (transfer none):
 */
GVariant *tess_chart_spec_new (const char *kind, const char *x, const char *const *y, const TessChartOptions *options);

/**
 * tess_line_chart:
 * @x: (nullable):
 * @y: (array zero-terminated=1) (nullable):
 * @options: (nullable):
 *
 * A line per y column (or per value of options->color) over @x (NULL: the
 * row number); @y NULL plots every numeric column.
 */
void
tess_line_chart (TessRun *run, TessFrame *frame, const char *x, const char *const *y, const TessChartOptions *options);
/**
 * tess_area_chart:
 * @x: (nullable):
 * @y: (array zero-terminated=1) (nullable):
 * @options: (nullable):
 *
 * Like tess_line_chart(), filled to zero, or stacked with options->stack.
 */
void
tess_area_chart (TessRun *run, TessFrame *frame, const char *x, const char *const *y, const TessChartOptions *options);
/**
 * tess_bar_chart:
 * @x: (nullable):
 * @y: (array zero-terminated=1) (nullable):
 * @options: (nullable):
 *
 * A bar per category of @x (strings, or distinct numbers or dates), summing
 * the rows of each; grouped, or stacked with options->stack; horizontal with
 * options->horizontal.
 */
void
tess_bar_chart (TessRun *run, TessFrame *frame, const char *x, const char *const *y, const TessChartOptions *options);
/**
 * tess_scatter_chart:
 * @options: (nullable):
 *
 * A point per row; options->size and options->color add channels.
 */
void tess_scatter_chart (TessRun *run, TessFrame *frame, const char *x, const char *y, const TessChartOptions *options);
/**
 * tess_histogram:
 * @options: (nullable):
 *
 * Counts of @column's values in automatic (or options->bins) bins.
 */
void tess_histogram (TessRun *run, TessFrame *frame, const char *column, const TessChartOptions *options);
/**
 * tess_dataframe:
 * @columns: (array zero-terminated=1) (nullable):
 * @options: (nullable):
 *
 * A sortable, scrollable table of @columns (NULL: all) of @frame.
 */
void tess_dataframe (TessRun *run, TessFrame *frame, const char *const *columns, const TessDataframeOptions *options);

/**
 * tess_download_button:
 * @run: the run of the body that shows the button
 * @label: the button's text, "Download CSV"
 * @data: (transfer none): the bytes the button saves; the element keeps a
 *   reference, so keep them to what a person would download
 * @filename: the name the save dialog proposes, "sales.csv"
 * @mime: (nullable): the content type, "text/csv"; %NULL guesses it from
 *   @filename
 *
 * A button that saves @data to a file the user chooses, through the file
 * chooser (the desktop's portal inside a sandbox).
 */
void tess_download_button (TessRun *run, const char *label, GBytes *data, const char *filename, const char *mime);

G_END_DECLS
