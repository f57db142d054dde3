/* tess-dashboard-view.h: TessDashboardView, one session shown as a dashboard.
 *
 * The view listens to a TessSession, queues its scope updates and applies
 * them through a TessReconciler in the frames it paints, as many per frame
 * as keep the frame within its interval: a dashboard whose runs are done is
 * on screen within a few frames, and frames keep coming while 64 fragments
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
/* The last batch of runs (from the first update after idle until idle): how
 * long its runs took, from the first queued to the last finished, and how
 * long from the first queued until the window showed the last update.
 * Negative before any. */
double tess_dashboard_view_get_last_run_ms (TessDashboardView *self);
double tess_dashboard_view_get_last_shown_ms (TessDashboardView *self);
/* How many slots show an error now. */
guint tess_dashboard_view_count_errors (TessDashboardView *self);

/* Adds the widgets' style sheet to @display once. Main thread only. */
void tess_widgets_load_style (GdkDisplay *display);

G_END_DECLS
