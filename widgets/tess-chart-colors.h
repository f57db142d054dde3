/* tess-chart-colors.h: one colour per category across a dashboard.
 *
 * A chart whose series are the values of a colour column (Japan, Europe, USA)
 * asks the dashboard's TessChartColors for each value's place in the palette.
 * The first chart to show a value gives it the next free colour, in the
 * order its data holds the values, and the value keeps it for as long as the
 * dashboard is open, through reruns and in every other chart: Japan is the
 * same colour in the scatter plot and in the bar chart.
 *
 * Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _TessChartColors TessChartColors;

TessChartColors *tess_chart_colors_new (void);
void tess_chart_colors_free (TessChartColors *self);

/* The palette index of @category, given the next free one on first sight. */
guint tess_chart_colors_lookup (TessChartColors *self, const char *category);

/* The colours of the dashboard @widget is in: kept on its TessDashboardView,
 * or on its window when it is in none; NULL when @widget is not in a window. */
TessChartColors *tess_chart_colors_for_widget (GtkWidget *widget);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessChartColors, tess_chart_colors_free)

G_END_DECLS
