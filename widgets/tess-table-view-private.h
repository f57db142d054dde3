/* tess-table-view-private.h: what tests, benchmarks and the window may ask a
 * TessTableView beyond its public header; and the instance itself, shared by
 * tess-table-view.c (columns, rows, sorting, copying) and
 * tess-table-view-find.c (the row count, search and column filters). */
#pragma once

#include "tess-table-view.h"
#include "tess-table-model.h"

G_BEGIN_DECLS

struct _TessTableView
{
  GtkWidget parent_instance;

  TessElement *element;
  TessFrame *frame;
  GVariant *spec;

  GtkWidget *box;
  GtkWidget *header; /* the title, the row count and the search button */
  GtkWidget *title;
  GtkWidget *count;
  GtkWidget *search_button;
  GtkWidget *search_entry; /* shown while searching */
  GtkWidget *filter_bar;   /* a button per column filter, to remove it */
  GtkWidget *scroller;
  GtkColumnView *column_view;
  TessTableModel *model;
  GtkSliceListModel *rows; /* the model's first rows, as many as are made so far */
  GArray *frame_columns;   /* int: the frame column of each view column */
  GArray *column_types;    /* TessColumnType of each view column */
  GCancellable *sort_cancellable;
  gulong sorter_changed_id;
  guint grow_id;          /* tick callback adding rows */
  gint64 grow_from_frame; /* the frame counter the rows were set in */

  /* the cell the context menu was opened on; the menu is made when first opened */
  guint menu_position;
  guint menu_column;
  GtkWidget *menu;

  /* column filters, by view column (char *, NULL: none), and their editor,
   * made when first opened */
  GPtrArray *column_filters;
  GtkWidget *filter_popover;
  GtkWidget *filter_heading;
  GtkWidget *filter_entry;
  GtkWidget *filter_error;
  guint filter_column;
};

/* Between the two files of the view. Main thread only. */
void tess_table_view_init_find (TessTableView *self);
void tess_table_view_class_init_find (GtkWidgetClass *widget_class);
/* Keeps the row count up to date with self->model. */
void tess_table_view_watch_count (TessTableView *self);
void tess_table_view_update_count (TessTableView *self);
/* What the search entry and the column filters ask for, over the frame's
 * columns; whether they ask for anything. */
TessTableFilter *tess_table_view_build_filter (TessTableView *self);
gboolean tess_table_view_has_filter (TessTableView *self);
/* Asks the model for the rows the search and filters keep. */
void tess_table_view_apply_filter (TessTableView *self);
void tess_table_view_update_filter_bar (TessTableView *self);
/* Every column's header menu and tooltip, once its columns are made. */
void tess_table_view_setup_headers (TessTableView *self);

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
