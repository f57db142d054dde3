/* tess-columns.h: TessColumns, side-by-side columns whose widths follow weights.
 *
 * GtkBox shares extra space equally; a COLUMNS element asks for widths in
 * proportion to each COLUMN's weight, so this small container allocates them
 * itself. No column is ever given less than its minimum width: when the
 * width is too narrow for them all side by side, the columns stack, one
 * under the other, each the full width.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TESS_TYPE_COLUMNS (tess_columns_get_type ())
G_DECLARE_FINAL_TYPE (TessColumns, tess_columns, TESS, COLUMNS, GtkWidget)

GtkWidget *tess_columns_new (void);
/* Inserts @child after @sibling (NULL: first), or moves it there when it is
 * already a child. Main thread only. */
void tess_columns_insert_after (TessColumns *self, GtkWidget *child, GtkWidget *sibling);
void tess_columns_remove (TessColumns *self, GtkWidget *child);
/* The relative width of @child (default 1). Main thread only. */
void tess_columns_set_weight (TessColumns *self, GtkWidget *child, double weight);
double tess_columns_get_weight (TessColumns *self, GtkWidget *child);

G_END_DECLS
