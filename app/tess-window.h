/* tess-window.h: TessWindow, the window that hosts one dashboard.
 *
 * A header bar (Open, Reload, the run indicator, the run timeline, the main
 * menu), a collapsible sidebar for inputs and the scrolling dashboard, or in
 * its place a page saying why a file did not open. Files dropped on the
 * window or picked with Open replace what is shown; a local document reloads
 * when it changes on disk.
 */
#pragma once

#include <adwaita.h>

#include "tess-application.h"
#include "tess-dashboard-view.h"
#include "tess-document-banner.h"
#include "tess-timeline.h"
#include "tess-trust-banner.h"

G_BEGIN_DECLS

#define TESS_TYPE_WINDOW (tess_window_get_type ())
G_DECLARE_FINAL_TYPE (TessWindow, tess_window, TESS, WINDOW, AdwApplicationWindow)

TessWindow *tess_window_new (TessApplication *application);
/* Shows a new session of @dashboard (replacing the current one), applies
 * @options' --set values when given, and starts it. Main thread only. */
void tess_window_show_dashboard (TessWindow *self,
                                 TessFragmentFunc dashboard,
                                 gpointer user_data,
                                 GDestroyNotify user_data_free,
                                 const char *title,
                                 TessAppOptions *options);
/* Opens a dashboard document or data file. Main thread only. */
gboolean tess_window_open_file (TessWindow *self, GFile *file, GError **error);
/* Shows why @file did not open where the dashboard would be, with an Open
 * button; the title names the file and Reload tries it again. Any dashboard
 * shown before is closed. Main thread only. */
void tess_window_show_error (TessWindow *self, GFile *file, const GError *error);
/* The items of Open Recent, newest first (or one disabled placeholder). */
GMenuModel *tess_window_get_recent_menu (TessWindow *self);
/* The page tess_window_show_error() shows (an AdwStatusPage), for tests. */
GtkWidget *tess_window_get_error_page (TessWindow *self);
TessDashboardView *tess_window_get_view (TessWindow *self);
/* The run timeline (win.show-timeline reveals it) and the banner that shows a
 * reloaded document's errors. */
TessTimeline *tess_window_get_timeline (TessWindow *self);
TessDocumentBanner *tess_window_get_banner (TessWindow *self);
TessTrustBanner *tess_window_get_trust_banner (TessWindow *self);
TessSession *tess_window_get_session (TessWindow *self);
/* Renders the window as it is now to a PNG of @width x @height. Main thread only. */
gboolean tess_window_save_png (TessWindow *self, const char *path, int width, int height, GError **error);
/* Window size and state are saved to GSettings unless this is off. */
void tess_window_set_remember_state (TessWindow *self, gboolean remember);
/* The text of the run indicator, for tests. */
const char *tess_window_get_run_text (TessWindow *self);

G_END_DECLS
