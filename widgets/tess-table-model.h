/* tess-table-model.h: TessTableModel, a GListModel of a frame's rows.
 *
 * The model holds the frame and, once sorted, one 32-bit row number per row;
 * items (TessTableRow) are made only when a list asks for them, so a table of
 * ten million rows costs nothing to open. Sorting is stable, puts missing
 * values last, and for large frames runs on a worker thread: the model keeps
 * its order until the new one is ready and swaps it in one step.
 *
 * A filter (TessTableFilter: a search and a filter per column) always runs
 * on a worker thread, over the order wanted; its items are the rows it
 * keeps. Sort and filter requests share one job: a newer request cancels the
 * job in flight and starts one for both the newest sort and the newest
 * filter, so a stale result is never shown.
 *
 * GIO only, no GTK: tests use it without a display.
 */
#pragma once

#include <gio/gio.h>

#include "tess-frame.h"
#include "tess-table-filter.h"

G_BEGIN_DECLS

#define TESS_TYPE_TABLE_ROW (tess_table_row_get_type ())
G_DECLARE_FINAL_TYPE (TessTableRow, tess_table_row, TESS, TABLE_ROW, GObject)

/* The frame row this item shows. */
gsize tess_table_row_get_row (TessTableRow *self);
/* The frame it is a row of (NULL for a row made by hand). */
TessFrame *tess_table_row_get_frame (TessTableRow *self);

#define TESS_TYPE_TABLE_MODEL (tess_table_model_get_type ())
G_DECLARE_FINAL_TYPE (TessTableModel, tess_table_model, TESS, TABLE_MODEL, GObject)

/* Frames of more rows than this sort on a worker thread. */
#define TESS_TABLE_MODEL_SYNC_SORT_ROWS 50000

TessTableModel *tess_table_model_new (TessFrame *frame);
TessFrame *tess_table_model_get_frame (TessTableModel *self);
/* The frame row shown at @position. */
gsize tess_table_model_get_row (TessTableModel *self, guint position);
/* The text a cell shows: numbers with digit grouping and at most six
 * decimals, dates as YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MM:SS, "" for
 * missing values. */
char *tess_table_model_format_cell (TessTableModel *self, guint position, guint column);
/* The same for one value of a column. Runs on any thread. */
char *tess_table_model_format_value (TessColumn *column, gsize row);
/* How many decimals a double column's values need (0..6), judged from a
 * sample of them, so a whole column can show the same number of them and its
 * decimal points line up. 0 for other columns. Runs on any thread. */
int tess_table_model_column_decimals (TessColumn *column);
/* A double with exactly @decimals decimals (negative: as few as it needs);
 * other columns as tess_table_model_format_value(). Runs on any thread. */
char *tess_table_model_format_number (TessColumn *column, gsize row, int decimals);

/* The column the rows are sorted by (-1: frame order) and its direction. */
int tess_table_model_get_sort_column (TessTableModel *self);
gboolean tess_table_model_get_sort_descending (TessTableModel *self);

/* Computes the order of the rows sorted by @column (-1: frame order): the
 * row numbers, n_rows entries, g_free() them. Runs on any thread. */
guint32 *tess_table_model_compute_order (TessFrame *frame, int column, gboolean descending);

/* Sorts now, on this thread. Main thread only. */
void tess_table_model_sort (TessTableModel *self, int column, gboolean descending);
/* Sorts on a worker thread (or at once for small frames) and applies the
 * order when done, unless another sort started since. Main thread only. */
void tess_table_model_sort_async (TessTableModel *self,
                                  int column,
                                  gboolean descending,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
gboolean tess_table_model_sort_finish (TessTableModel *self, GAsyncResult *result, GError **error);

/* Shows only the rows @filter keeps (NULL or empty: every row), in the
 * current order, once a worker thread has found them. Finishes TRUE when
 * the rows are shown or a newer sort or filter took over. Main thread only. */
void tess_table_model_filter_async (TessTableModel *self,
                                    const TessTableFilter *filter,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean tess_table_model_filter_finish (TessTableModel *self, GAsyncResult *result, GError **error);
/* The filter shown (NULL: every row). */
const TessTableFilter *tess_table_model_get_filter (TessTableModel *self);
/* All the frame's rows, shown or not; the items are the rows shown. */
guint tess_table_model_get_n_rows (TessTableModel *self);
/* TRUE when no sort or filter is in flight. */
gboolean tess_table_model_is_idle (TessTableModel *self);

/* One row, cells separated by @separator (tab or comma; CSV quoting when a
 * comma). Raw values, not the display format. */
char *tess_table_model_row_to_text (TessTableModel *self, guint position, char separator);
/* Writes the rows shown, in the current order, as CSV, header first. Runs on any
 * thread (the model's order is copied when called from the main thread by
 * tess_table_model_export_csv_async). */
gboolean
tess_table_model_write_csv (TessTableModel *self, GOutputStream *stream, GCancellable *cancellable, GError **error);
void tess_table_model_export_csv_async (
    TessTableModel *self, GFile *file, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
gboolean tess_table_model_export_csv_finish (TessTableModel *self, GAsyncResult *result, GError **error);

G_END_DECLS
