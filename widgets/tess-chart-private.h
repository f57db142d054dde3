/* tess-chart-private.h: what tests, benchmarks and the window may ask a
 * TessChart beyond its public header. */
#pragma once

#include "tess-chart.h"
#include "tess-chart-data.h"
#include "tess-chart-render.h"

G_BEGIN_DECLS

/* Shows @frame with @spec (a{sv}) directly, without an element. Main thread only. */
void tess_chart_set_frame (TessChart *self, TessFrame *frame, GVariant *spec);
/* The prepared data, or NULL while preparing or after an error. */
TessChartData *tess_chart_get_data (TessChart *self);
/* The chart in words, its accessible description (tess-chart-summary.h);
 * the error's message after an error; NULL while preparing. */
const char *tess_chart_get_summary (TessChart *self);
/* The error preparing the data failed with, or NULL. */
const GError *tess_chart_get_error (TessChart *self);
/* The current decimation, or NULL. */
TessChartDecimation *tess_chart_get_decimation (TessChart *self);
/* The x view; equal ends mean "all the data". */
void tess_chart_set_view (TessChart *self, double x0, double x1);
void tess_chart_get_view (TessChart *self, double *x0, double *x1);
void tess_chart_reset_view (TessChart *self);
/* Zooms to the x range under widget x @from_x to @to_x, as Shift+drag does. */
void tess_chart_select_range (TessChart *self, double from_x, double to_x);
/* Forgets the kept drawing of the chart, so the next frame draws it afresh. */
void tess_chart_drop_cache (TessChart *self);
/* Lays the chart out for its current size (as a frame would) into @layout. */
gboolean tess_chart_get_layout (TessChart *self, TessChartLayout *layout);
/* The point nearest to (@x, @y) in widget coordinates, as hover finds it. */
gboolean tess_chart_find_nearest (TessChart *self, double x, double y, int *series, gsize *index);
/* Moves the hover to (@x, @y) as the pointer would; a negative @x leaves. */
void tess_chart_hover (TessChart *self, double x, double y);

/* The legend: what a click on it at (@x, @y) does, Ctrl+click when
 * @isolate. FALSE when no legend entry is there. */
gboolean tess_chart_click_legend (TessChart *self, double x, double y, gboolean isolate);
/* Hides or shows the series @name (kept by name across new data). */
void tess_chart_set_series_hidden (TessChart *self, const char *name, gboolean hidden);
gboolean tess_chart_is_series_hidden (TessChart *self, const char *name);
/* The palette index series @series is drawn in (tess_chart_palette()). */
guint tess_chart_get_series_color (TessChart *self, guint series);

/* What a chart's files are drawn with (tess-chart-export.c): the colours
 * and font the widget draws with, and the chart drawn on its background
 * without the hover, @width x @height. Main thread only. */
void tess_chart_get_theme (TessChart *self, TessChartTheme *theme);
void tess_chart_draw_export (TessChart *self, cairo_t *cr, int width, int height);

typedef enum
{
  TESS_CHART_EXPORT_PNG,
  TESS_CHART_EXPORT_SVG,
  TESS_CHART_EXPORT_CSV,
} TessChartExportFormat;

/* The menu's Save as PNG…, Save as SVG… and Save Data as CSV…: asks where
 * with the file chooser, then saves. Main thread only. */
void tess_chart_save_as (TessChart *self, TessChartExportFormat format);

/* Exports at the widget's size (or 800x500 when it has none), the PNG at
 * twice the pixels at least. A chart without a title of its own carries the
 * heading it is shown under in its fragment, above it. */
gboolean tess_chart_save_png (TessChart *self, const char *path, GError **error);
gboolean tess_chart_save_svg (TessChart *self, const char *path, GError **error);
/* "Save Data as CSV…": tess_chart_to_csv() into the file @path. */
gboolean tess_chart_save_csv (TessChart *self, const char *path, GError **error);
/* The chart's data as CSV (see tess_chart_data_to_csv()), or NULL. */
char *tess_chart_to_csv (TessChart *self);

G_END_DECLS
