/* tess-export.h: the whole dashboard as a PNG, a PDF or on paper, for the
 * main menu's Export and Print.
 *
 * What is exported is the dashboard's page: its title, the inputs at the top
 * and every fragment, at the height it is laid out at, not only the part the
 * window scrolls to. The sidebar's inputs are not part of it.
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-dashboard-view.h"

G_BEGIN_DECLS

typedef enum
{
  TESS_EXPORT_PNG,
  TESS_EXPORT_PDF,
} TessExportFormat;

/* Writes the dashboard @view shows to @path: a PNG at the screen's scale, or
 * a PDF of one page per 200 inches of dashboard (PDF's largest page). FALSE
 * with @error naming the file when it cannot. Main thread only. */
gboolean tess_export_dashboard (TessDashboardView *view, TessExportFormat format, const char *path, GError **error);

/* A print operation that prints the dashboard scaled to the paper's width,
 * on as many pages as its height needs. transfer full. Main thread only. */
GtkPrintOperation *tess_export_print_operation_new (TessDashboardView *view);

/* Export…: asks where with the file chooser (the portal in a sandbox), then
 * exports; a failure is shown in a dialog. Main thread only. */
void tess_export_dashboard_ask (TessDashboardView *view, GtkWindow *parent, TessExportFormat format);
/* Print…: the print dialog, then printing. Main thread only. */
void tess_export_print (TessDashboardView *view, GtkWindow *parent);

G_END_DECLS
