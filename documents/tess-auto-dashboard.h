/* tess-auto-dashboard.h: an exploratory dashboard for any data file.
 *
 * `tessera data.csv` (or a JSON, NDJSON file, local or a URL) opens this: an
 * overview (rows, columns, their types and nulls), one parallel fragment per
 * column, named after it (a histogram for numbers, clipped to the bulk of
 * the values when a few are far out; the most frequent values for text and
 * booleans; counts over time for dates and times), and a table of the data.
 */
#pragma once

#include "tess-run.h"

G_BEGIN_DECLS

#define TESS_TYPE_AUTO_DASHBOARD (tess_auto_dashboard_get_type ())
G_DECLARE_FINAL_TYPE (TessAutoDashboard, tess_auto_dashboard, TESS, AUTO_DASHBOARD, GObject)

/* @uri: a path or a file:, resource:, http: or https: URI. */
TessAutoDashboard *tess_auto_dashboard_new (const char *uri);
const char *tess_auto_dashboard_get_uri (TessAutoDashboard *self);

/* The dashboard function; user_data is the TessAutoDashboard. Runs on a worker thread. */
gboolean tess_auto_dashboard_run (TessRun *run, gpointer user_data, GError **error);

/* The fragment key used for a column: its name, as the timeline shows it
 * ("/", which separates fragments in a path, becomes "∕"; a column named
 * like the dashboard's own "overview" and "data", or without a name, gets
 * its position added). */
char *tess_auto_dashboard_column_key (const char *column_name, guint index);

/* The height of the bar chart of @n_values values: a bar apiece tall
 * enough for its label. */
int tess_auto_dashboard_bar_chart_height (guint n_values);

G_END_DECLS
