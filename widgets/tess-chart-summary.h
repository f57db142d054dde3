/* tess-chart-summary.h: a chart in words, for screen readers.
 *
 * What a sighted user takes in at a glance: the kind of chart, what it plots
 * against what, how many series, the span of x (at the data's grain for
 * times: "2000–2010") and of the values, in the one number format
 * (tess-format-private.h). The chart widget sets it as its accessible
 * description.
 *
 * Pure computation, no display needed.
 */
#pragma once

#include "tess-chart-data.h"

G_BEGIN_DECLS

/* "Line chart of price by date, 4 series, 2000–2010, values from 3.2 to
 * 710.5". Any thread. transfer full */
char *tess_chart_summary (TessChartData *data);

G_END_DECLS
