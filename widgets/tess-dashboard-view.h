/* tess-dashboard-view.h: TessDashboardView, one session shown as a dashboard.
 *
 * The view listens to a TessSession, queues its scope updates and applies
 * them through a TessReconciler within a small time budget per main-loop
 * turn, at a priority below redraw, so frames keep coming while 64 fragments
 * deliver. It holds the scrolling dashboard area and a collapsible sidebar
 * for the inputs a dashboard puts there.
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-reconciler.h"
#include "tess-session.h"

G_BEGIN_DECLS

#define TESS_TYPE_DASHBOARD_VIEW (tess_dashboard_view_get_type ())
G_DECLARE_FINAL_TYPE (TessDashboardView, tess_dashboard_view, TESS, DASHBOARD_VIEW, GtkWidget)

GtkWidget *tess_dashboard_view_new (void);
/* Shows @session (NULL: nothing). The caller starts the session. Main thread only. */
void tess_dashboard_view_set_session (TessDashboardView *self, TessSession *session);
TessSession *tess_dashboard_view_get_session (TessDashboardView *self);
TessReconciler *tess_dashboard_view_get_reconciler (TessDashboardView *self);
/* The dashboard's top-level slot. */
TessSlot *tess_dashboard_view_get_root_slot (TessDashboardView *self);
GtkWidget *tess_dashboard_view_get_sidebar (TessDashboardView *self);
gboolean tess_dashboard_view_get_has_sidebar (TessDashboardView *self);
void tess_dashboard_view_set_reveal_sidebar (TessDashboardView *self, gboolean reveal);
gboolean tess_dashboard_view_get_reveal_sidebar (TessDashboardView *self);
/* TRUE while runs are queued or updates wait to be shown. */
gboolean tess_dashboard_view_get_busy (TessDashboardView *self);
guint tess_dashboard_view_get_n_running (TessDashboardView *self);
/* Duration of the last run, from its first update to idle; negative before any. */
double tess_dashboard_view_get_last_run_ms (TessDashboardView *self);
/* How many slots show an error now. */
guint tess_dashboard_view_count_errors (TessDashboardView *self);
/* The most time per frame spent applying updates (default 0.5 ms); less when
 * frames run long. */
void tess_dashboard_view_set_budget_ms (TessDashboardView *self, double budget_ms);

/* Adds the widgets' style sheet to @display once. Main thread only. */
void tess_widgets_load_style (GdkDisplay *display);

G_END_DECLS
