/* tess-chart.h: TessChart, the widget that shows a CHART element.
 *
 * A chart draws one frame as line, area, bar, scatter or histogram series with
 * GtkSnapshot. Large series are reduced on a worker thread to at most four
 * points per pixel column (M4) for the visible x range, so a frame never walks
 * raw points. Hover shows a crosshair and the nearest point. The wheel
 * scrolls the page the chart is on; Ctrl+wheel or a pinch zooms on x,
 * Shift+drag zooms to the range dragged over, drag pans a zoomed chart, and
 * a zoomed chart shows a button that resets it, as double-click does (from
 * the keyboard: + and - zoom, the arrows pan, Home resets); the context menu
 * (right click, Menu, Shift+F10) saves PNG or SVG, saves or copies the data
 * as CSV.
 * A click on a legend entry hides or shows its series, Ctrl+click shows it
 * alone; series split by a colour column keep one colour per value across
 * every chart of the dashboard (tess-chart-colors.h).
 *
 * The element's "spec" property is an a{sv} dictionary with these keys (all
 * optional except y for most kinds):
 *
 *   kind        s   "line" (default), "area", "bar", "scatter", "histogram"
 *   x           s   x column; numbers, dates and timestamps (a time axis), or
 *                   strings (categories, for bars). Default: the row number.
 *   y           as  y columns, one series each. Default: every numeric column
 *                   other than x.
 *   color       s   a column whose distinct values split the (first) y column
 *                   into one series each (at most 16, the rest are "other");
 *                   for scatter plots a numeric column instead colours each
 *                   point along a colour-blind-safe ramp (viridis)
 *   size        s   scatter: a numeric column mapped to the marker area
 *   title       s   drawn above the plot
 *   x_label     s   x axis title (default: the x column name)
 *   y_label     s   y axis title (default: the y column when there is one)
 *   stack       b   bars and areas: stack the series instead of grouping them
 *   horizontal  b   bars: categories on the vertical axis
 *   bins        i   histogram: number of bins (default: Scott's rule,
 *                   clamped to 5..200; bin edges fall on round numbers)
 *   legend      b   show the legend (default: when there are two or more series)
 *   height      i   requested height in pixels (default 300)
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-element.h"

G_BEGIN_DECLS

/* The narrowest a chart is drawn: its axes' labels and a plot beside them.
 * Columns narrower than their charts stack (tess-columns.h). */
#define TESS_CHART_MIN_WIDTH 240

#define TESS_TYPE_CHART (tess_chart_get_type ())
G_DECLARE_FINAL_TYPE (TessChart, tess_chart, TESS, CHART, GtkWidget)

GtkWidget *tess_chart_new (void);
/* Shows @element (a CHART element; NULL clears). Setting an element equal to
 * the current one is cheap and changes nothing. Main thread only. */
void tess_chart_set_element (TessChart *self, TessElement *element);
TessElement *tess_chart_get_element (TessChart *self);
/* TRUE when the chart draws its data as it is: no preparation or decimation
 * is in flight (a window waits for this before a screenshot). */
gboolean tess_chart_is_ready (TessChart *self);

G_END_DECLS
