/* tess-auto-dashboard.h: an exploratory dashboard for any data file.
 *
 * `tessera data.csv` (or a JSON, NDJSON file, local or a URL) opens this: an
 * overview (rows, columns, their types and nulls), one parallel fragment per
 * column (a histogram for numbers, the most frequent values for text and
 * booleans, counts over time for dates and times), and a table of the data.
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

/* The fragment key used for a column (columns may hold any character). */
char *tess_auto_dashboard_column_key (const char *column_name, guint index);

G_END_DECLS
