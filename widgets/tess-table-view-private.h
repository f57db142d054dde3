/* tess-table-view-private.h: what tests, benchmarks and the window may ask a
 * TessTableView beyond its public header. */
#pragma once

#include "tess-table-view.h"
#include "tess-table-model.h"

G_BEGIN_DECLS

/* Shows @frame with @spec (a{sv}, may be NULL) directly. Main thread only. */
void tess_table_view_set_frame (TessTableView *self, TessFrame *frame, GVariant *spec);
TessTableModel *tess_table_view_get_model (TessTableView *self);
GtkColumnView *tess_table_view_get_column_view (TessTableView *self);
/* The frame column shown by view column @index. */
int tess_table_view_get_frame_column (TessTableView *self, guint index);
/* Sorts as a click on the header of view column @index does (-1: unsorted). */
void tess_table_view_sort_by (TessTableView *self, int index, gboolean descending);
/* TRUE when no sort, search or filter is in flight. */
gboolean tess_table_view_is_idle (TessTableView *self);
/* What Copy Cell and Copy Row put on the clipboard. */
char *tess_table_view_cell_text (TessTableView *self, guint position, guint index);
char *tess_table_view_row_text (TessTableView *self, guint position);
/* What a cell's tooltip shows when hovered: its whole value (NULL when empty
 * or missing). */
const char *tess_table_view_cell_get_tooltip (GtkWidget *cell);

/* Filters view column @index by @text (NULL or blank: no filter) as its
 * header menu's Filter… does; fails, with a message saying what to write,
 * on a comparison the column cannot make. Main thread only. */
gboolean tess_table_view_set_column_filter (TessTableView *self, guint index, const char *text, GError **error);
const char *tess_table_view_get_column_filter (TessTableView *self, guint index);
/* The search entry (Ctrl+F), the button that shows it, and the row count's
 * text ("312 of 10,000 rows"). */
GtkWidget *tess_table_view_get_search_entry (TessTableView *self);
GtkWidget *tess_table_view_get_search_button (TessTableView *self);
const char *tess_table_view_get_count_text (TessTableView *self);
/* What the header of view column @index shows in its tooltip: the column's
 * whole name when the header shortens it, else NULL. */
const char *tess_table_view_get_header_tooltip (TessTableView *self, guint index);

G_END_DECLS
