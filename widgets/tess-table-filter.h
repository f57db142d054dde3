/* tess-table-filter.h: TessTableFilter, which rows of a frame a table shows.
 *
 * Two parts, both optional: a search, which keeps the rows where any of the
 * searched columns shows the text (case-insensitively, as the table shows the
 * value: "1234" finds 1,234.5), and a filter per column, either a comparison
 * ("> 100", "<= 2013-07-01", "= pear", "!= 0") or text the column's value
 * must contain. Missing values never match.
 *
 * Applying a filter reads the frame column by column (one tight loop per
 * column and kind of value, not one call per cell), so ten million rows take
 * well under a second; it checks its cancellable as it goes, so a newer
 * keystroke stops an older search at once.
 *
 * A filter is a plain value: copy it to hand it to a worker thread. GIO
 * only, no GTK.
 */
#pragma once

#include <gio/gio.h>

#include "tess-frame.h"

G_BEGIN_DECLS

typedef struct _TessTableFilter TessTableFilter;

TessTableFilter *tess_table_filter_new (void);
TessTableFilter *tess_table_filter_copy (const TessTableFilter *filter);
void tess_table_filter_free (TessTableFilter *filter);
/* TRUE when it keeps every row. */
gboolean tess_table_filter_is_empty (const TessTableFilter *filter);
gboolean tess_table_filter_equal (const TessTableFilter *a, const TessTableFilter *b);

/* Searches @columns (frame column indices; NULL: every column) for @text
 * (NULL or blank: no search). */
void tess_table_filter_set_search (TessTableFilter *filter, const char *text, const int *columns, guint n_columns);
const char *tess_table_filter_get_search (const TessTableFilter *filter);

/* Filters frame column @column of @frame by @text (NULL or blank removes the
 * filter). Fails, with a message saying what to write, when @text is a
 * comparison whose value is not one of the column's kind ("> abc" on
 * numbers); the filter is then unchanged. */
gboolean tess_table_filter_set_column (
    TessTableFilter *filter, TessFrame *frame, guint column, const char *text, GError **error);
/* The text of @column's filter, NULL when none. */
const char *tess_table_filter_get_column (const TessTableFilter *filter, guint column);
/* How many columns have a filter. */
guint tess_table_filter_get_n_column_filters (const TessTableFilter *filter);

/* The rows of @frame that @filter keeps, in @order (n_rows row numbers;
 * NULL: frame order): a new array of *@n_out row numbers, g_free() it. NULL
 * when @cancellable was cancelled meanwhile. Runs on any thread; a worker
 * thread for large frames. */
guint32 *tess_table_filter_apply (
    const TessTableFilter *filter, TessFrame *frame, const guint32 *order, GCancellable *cancellable, gsize *n_out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessTableFilter, tess_table_filter_free)

G_END_DECLS
