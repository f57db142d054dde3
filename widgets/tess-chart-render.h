/* tess-chart-render.h: drawing a chart with cairo, for the screen and for
 * PNG and SVG files alike.
 *
 * The widget records these drawing calls into its GtkSnapshot (a cairo node),
 * and the exports replay them on image and SVG surfaces, so a saved chart is
 * what the screen shows. Drawing walks only decimated points: at most four per
 * pixel column for lines and areas, one per 2 x 2 pixel cell for scatter
 * plots.
 *
 * Needs cairo and pango but no display: tests render without one.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <pango/pango.h>

#include "tess-chart-data.h"

G_BEGIN_DECLS

typedef struct
{
  double r, g, b, a;
} TessColor;

typedef struct
{
  TessColor fg; /* text and axes */
  TessColor bg; /* behind the plot, for exports and tooltips */
  gboolean dark;
  gboolean fill_background;   /* exports: paint bg first */
  PangoFontDescription *font; /* NULL: Sans 9 */
  /* Per series, or NULL: its palette index (NULL: series k takes colour k),
   * and whether the legend hides it (NULL: every series shows). */
  const guint *colors;
  const gboolean *hidden;
} TessChartTheme;

/* The points a frame draws, for one view and plot width. Immutable. */
typedef struct
{
  double x0, x1;       /* the view it was made for */
  guint width;         /* pixel columns */
  GPtrArray *indices;  /* per series: GArray of gsize, or NULL to draw all points */
  double y_min, y_max; /* of the kept points inside the view */
  gsize n_kept;
  gatomicrefcount ref_count;
} TessChartDecimation;

/* The legend entries a layout keeps the place of. */
#define TESS_CHART_LEGEND_MAX 32

/* Where things went on the last layout. */
typedef struct
{
  double left, top, width, height; /* the plot area */
  double x0, x1;                   /* x view (categories for bars) */
  double y0, y1;                   /* value range */
  gboolean horizontal;             /* bars: categories run down the plot */
  guint n_x_labels, n_y_labels;    /* tick labels drawn along each axis */
  /* the legend's entries, for clicks: the first TESS_CHART_LEGEND_MAX series */
  guint n_legend;
  struct
  {
    double x, y, width, height;
  } legend[TESS_CHART_LEGEND_MAX];
} TessChartLayout;

typedef struct
{
  gboolean active;
  double px, py; /* the pointer */
  int series;    /* -1: no point found */
  gsize index;
} TessChartHover;

/* The Okabe-Ito palette, safe for the common forms of colour blindness. */
TessColor tess_chart_palette (guint index, gboolean dark);

/* The colour @theme gives series @series. */
TessColor tess_chart_series_color (const TessChartTheme *theme, guint series);

/* The legend entry at (@px, @py) under @layout, or -1. */
int tess_chart_legend_hit_test (const TessChartLayout *layout, double px, double py);

/* Reduces @data's series for the x view [@x0, @x1] and @width pixel columns
 * (@height pixel rows for scatter plots). Runs on a worker thread. */
TessChartDecimation *
tess_chart_decimate (TessChartData *data, double x0, double x1, guint width, guint height, GCancellable *cancellable);
TessChartDecimation *tess_chart_decimation_ref (TessChartDecimation *dec);
void tess_chart_decimation_unref (TessChartDecimation *dec);

/* Lays out and draws @data (with @dec, which may be NULL or made for another
 * view) in a @width x @height area, for the x view [@x0, @x1]; fills @layout
 * when not NULL. Any thread, one cairo context at a time. */
void tess_chart_render (cairo_t *cr,
                        TessChartData *data,
                        TessChartDecimation *dec,
                        double x0,
                        double x1,
                        const TessChartTheme *theme,
                        const TessChartHover *hover,
                        int width,
                        int height,
                        TessChartLayout *layout);

/* What the hover's tooltip says: the point's x (a time at the grain of the
 * series' data), then each series' value at it in full, grouped. NULL when
 * the hover is on no point. Any thread. */
char *tess_chart_render_tooltip_text (TessChartData *data, const TessChartLayout *layout, const TessChartHover *hover);

/* Draws only the hover's crosshair and tooltip, over a chart drawn without
 * them under @layout: the widget keeps the chart's node while the pointer
 * moves and redraws just this. */
void tess_chart_render_hover (cairo_t *cr,
                              TessChartData *data,
                              const TessChartLayout *layout,
                              const TessChartTheme *theme,
                              const TessChartHover *hover,
                              int width,
                              int height);

/* Draws @title as a chart's title is drawn, at the top of a @width wide
 * area, for an export whose chart has none of its own; returns the height
 * it takes. */
double tess_chart_render_title (cairo_t *cr, const char *title, const TessChartTheme *theme, int width);

/* Draws a message (an error, "Loading…") in place of a chart. */
void tess_chart_render_message (cairo_t *cr, const char *message, const TessChartTheme *theme, int width, int height);

/* The nearest point to the pointer at (@px, @py) under @layout: for lines,
 * areas and scatter plots by binary search on x, for bars and histograms the
 * bar under the pointer. FALSE when nothing is near. */
gboolean tess_chart_hit_test (
    TessChartData *data, const TessChartLayout *layout, double px, double py, int *series, gsize *index);

/* Where a point is drawn under @layout. */
void tess_chart_point_position (
    TessChartData *data, const TessChartLayout *layout, guint series, gsize index, double *px, double *py);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessChartDecimation, tess_chart_decimation_unref)

G_END_DECLS
