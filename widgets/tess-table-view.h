/* tess-table-view.h: TessTableView, the widget that shows a TABLE element.
 *
 * A GtkColumnView over a TessTableModel, a GListModel that reads rows from the
 * element's frame on demand: opening a table of ten million rows makes no
 * per-row object. Numbers are right-aligned and formatted, dates formatted;
 * clicking a header sorts (on a worker thread for large frames); columns are
 * resizable; the context menu copies a cell or a row and exports CSV.
 *
 * The element's "spec" property is an a{sv} dictionary with these keys (all
 * optional):
 *
 *   columns     as  the columns to show, in order (default: all)
 *   height      i   requested height in pixels (default 360)
 *   title       s   a caption above the table
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-element.h"

G_BEGIN_DECLS

#define TESS_TYPE_TABLE_VIEW (tess_table_view_get_type ())
G_DECLARE_FINAL_TYPE (TessTableView, tess_table_view, TESS, TABLE_VIEW, GtkWidget)

GtkWidget *tess_table_view_new (void);
/* Shows @element (a TABLE element; NULL clears). Setting an element equal to
 * the current one is cheap and changes nothing. Main thread only. */
void tess_table_view_set_element (TessTableView *self, TessElement *element);
TessElement *tess_table_view_get_element (TessTableView *self);

G_END_DECLS
