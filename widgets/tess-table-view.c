/* tess-table-view.c: TessTableView, the table widget (see tess-table-view.h).
 *
 * Cells are GtkInscriptions bound on demand from the model's frame, so only the
 * visible rows ever make text. Sorting: every column has a sorter; the view
 * watches its GtkColumnView's sorter and, when the user clicks a header, asks
 * it which column leads and in which direction (GTK 4.8 has no getter for
 * that, so the view probes the sorter with a marked item), then sorts the
 * model itself, on a worker thread for large frames.
 *
 * Rows: GtkListView (GTK 4.8) makes the widgets of up to 200 rows whatever
 * its height, and a row of cells costs about half a millisecond to make,
 * style and lay out in software rendering: a table of a few hundred rows
 * would take a hundred milliseconds in the frame that shows it. So the
 * column view is first given the rows that can fill the table's height
 * (through a GtkSliceListModel), and the rest a few per frame once it is on
 * screen, or at once when the user scrolls towards them. The table is as
 * tall as its rows, up to its height, so growing never moves anything.
 *
 * Widths: the columns share the width the table is given, between their
 * cells' minimum and natural widths; a value too long for its cell is
 * ellipsized and whole in the cell's tooltip, and a table narrower than its
 * columns' minimums scrolls sideways, so no column is ever clipped away.
 *
 * A new frame with the same columns (a rerun) keeps the columns, their
 * widths, the user's sort, search and column filters; only the rows change.
 *
 * Finding rows (tess-table-view-find.c): above the table, the row count
 * ("312 of 10,000 rows") and a search button; Ctrl+F or the button opens a
 * search entry that filters the rows as the user types, and each column's
 * header menu has a filter. Both run on a worker thread through the model
 * (tess-table-filter.h): a newer keystroke cancels the older search, and
 * the rows shown change in one step when the newest is done. A missing
 * value shows as a dimmed "—"; a header too narrow for its column's name
 * has it whole in a tooltip.
 */
#include "tess-table-view-private.h"
#include "tess-thread-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* The smallest height a row can have (one line of a small font and the
 * data-table padding): the first rows are enough to fill the table at it. */
#define MIN_ROW_HEIGHT 16
/* Rows added per frame once the table is shown, until GtkListView's 200. */
#define GROW_ROWS_PER_FRAME 4
#define LIST_VIEW_MAX_ROWS 200
#define DEFAULT_HEIGHT 360

G_DEFINE_FINAL_TYPE (TessTableView, tess_table_view, GTK_TYPE_WIDGET)

/* The probe: a row that records which column's sorter compared it first. */
static int probe_column = -1;
static TessTableRow *probe_a, *probe_b;

static int
probe_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  if (a == probe_a || b == probe_a)
    {
      if (probe_column < 0)
        probe_column = GPOINTER_TO_INT (user_data);
      return GTK_ORDERING_SMALLER;
    }
  return GTK_ORDERING_EQUAL;
}

/* Which view column the column view's sorter leads with, and its direction.
 * Main thread only. */
static int
primary_sort_column (TessTableView *self, gboolean *descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  GtkOrdering order;

  TESS_ASSERT_MAIN_THREAD ();
  if (probe_a == NULL)
    {
      probe_a = g_object_new (TESS_TYPE_TABLE_ROW, NULL);
      probe_b = g_object_new (TESS_TYPE_TABLE_ROW, NULL);
    }
  probe_column = -1;
  order = gtk_sorter_compare (sorter, probe_a, probe_b);
  *descending = order == GTK_ORDERING_LARGER;
  return order == GTK_ORDERING_EQUAL ? -1 : probe_column;
}

static void
tess_table_view_sort_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TessTableView) self = user_data;
  g_autoptr (GError) error = NULL;

  g_assert (TESS_IS_TABLE_MODEL (source));
  g_assert (G_IS_TASK (result));
  g_assert (TESS_IS_TABLE_VIEW (self));

  if (!tess_table_model_sort_finish (TESS_TABLE_MODEL (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Sorting the table failed: %s", error->message);
  if (self->sort_cancellable != NULL && g_task_get_cancellable (G_TASK (result)) == self->sort_cancellable)
    {
      g_clear_object (&self->sort_cancellable);
      gtk_widget_remove_css_class (GTK_WIDGET (self), "sorting");
    }
}

static void
start_sort (TessTableView *self, int view_column, gboolean descending)
{
  int frame_column = view_column >= 0 && (guint) view_column < self->frame_columns->len
                         ? g_array_index (self->frame_columns, int, view_column)
                         : -1;

  if (self->model == NULL)
    return;
  if (self->sort_cancellable != NULL)
    g_cancellable_cancel (self->sort_cancellable);
  g_clear_object (&self->sort_cancellable);
  self->sort_cancellable = g_cancellable_new ();
  gtk_widget_add_css_class (GTK_WIDGET (self), "sorting");
  tess_table_model_sort_async (self->model, frame_column, descending, self->sort_cancellable,
                               tess_table_view_sort_done_cb, g_object_ref (self));
}

static void
tess_table_view_sorter_changed_cb (GtkSorter *sorter, GtkSorterChange change, TessTableView *self)
{
  gboolean descending;
  int column = primary_sort_column (self, &descending);

  g_assert (GTK_IS_SORTER (sorter));
  g_assert (TESS_IS_TABLE_VIEW (self));

  start_sort (self, column, descending);
}

/* The context menu's model: copying and export, then sorting and filtering
 * by each shown column, which the keyboard cannot reach in the headers
 * (GTK 4.8's are not focusable). Made afresh when opened: the columns change
 * with the frame. */
static GMenuModel *
build_menu (TessTableView *self)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) copy = g_menu_new ();
  g_autoptr (GMenu) columns = g_menu_new ();
  g_autoptr (GMenu) sort = g_menu_new ();
  g_autoptr (GMenu) filter = g_menu_new ();
  GListModel *view_columns = gtk_column_view_get_columns (self->column_view);

  g_menu_append (copy, _ ("Copy _Cell"), "table.copy-cell");
  g_menu_append (copy, _ ("Copy _Row"), "table.copy-row(false)");
  g_menu_append (copy, _ ("_Export as CSV…"), "table.export-csv");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));
  for (guint i = 0; i < g_list_model_get_n_items (view_columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (view_columns, i);
      const char *title = gtk_column_view_column_get_title (column);
      g_autofree char *ascending = g_strdup_printf (_ ("%s, Ascending"), title);
      g_autofree char *descending = g_strdup_printf (_ ("%s, Descending"), title);
      g_autofree char *filter_label = g_strdup_printf (_ ("%s…"), title);
      g_autoptr (GMenuItem) up = g_menu_item_new (ascending, NULL);
      g_autoptr (GMenuItem) down = g_menu_item_new (descending, NULL);
      g_autoptr (GMenuItem) by = g_menu_item_new (filter_label, NULL);

      g_menu_item_set_action_and_target_value (up, "table.sort-column", g_variant_new ("(ib)", (gint32) i, FALSE));
      g_menu_item_set_action_and_target_value (down, "table.sort-column", g_variant_new ("(ib)", (gint32) i, TRUE));
      g_menu_item_set_action_and_target (by, "table.filter-column", "u", i);
      g_menu_append_item (sort, up);
      g_menu_append_item (sort, down);
      g_menu_append_item (filter, by);
    }
  g_menu_append (sort, _ ("In the Data’s Order"), "table.sort-column((-1,false))");
  g_menu_append_submenu (columns, _ ("_Sort by"), G_MENU_MODEL (sort));
  g_menu_append_submenu (columns, _ ("_Filter"), G_MENU_MODEL (filter));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (columns));
  return G_MENU_MODEL (menu);
}

/* The context menu, made the first time it opens: most tables never need it. */
static GtkWidget *
ensure_menu (TessTableView *self)
{
  g_autoptr (GMenuModel) model = build_menu (self);

  if (self->menu != NULL)
    {
      gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), model);
      return self->menu;
    }
  self->menu = gtk_popover_menu_new_from_model (model);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
  return self->menu;
}

static void
tess_table_view_sort_column_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  gint32 index;
  gboolean descending;

  g_assert (TESS_IS_TABLE_VIEW (widget));

  g_variant_get (param, "(ib)", &index, &descending);
  tess_table_view_sort_by (TESS_TABLE_VIEW (widget), index, descending);
}

/* Shift+F10 or the Menu key: the context menu of the selected row (the
 * first when none is), at the top of the rows. */
static void
tess_table_view_menu_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);
  GtkSelectionModel *selection;
  guint selected = GTK_INVALID_LIST_POSITION;
  graphene_rect_t bounds;

  g_assert (TESS_IS_TABLE_VIEW (widget));

  if (self->model == NULL)
    return;
  selection = gtk_column_view_get_model (self->column_view);
  if (GTK_IS_SINGLE_SELECTION (selection))
    selected = gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (selection));
  self->menu_position = selected != GTK_INVALID_LIST_POSITION ? selected : 0;
  self->menu_column = 0;
  ensure_menu (self);
  if (gtk_widget_compute_bounds (GTK_WIDGET (self->column_view), widget, &bounds))
    gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                                 &(GdkRectangle){ bounds.origin.x + 12, bounds.origin.y + 12, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

/* Cells */

/* The fewest characters a cell of @type shows before the table scrolls
 * sideways: enough for the start of a value and an ellipsis. */
static int
column_min_chars (TessColumnType type)
{
  return type == TESS_COLUMN_BOOL ? 4 : 6;
}

/* The characters a typical value of @type needs: the column's natural width. */
static int
column_nat_chars (TessColumnType type)
{
  switch (type)
    {
    case TESS_COLUMN_BOOL:
      return 5;
    case TESS_COLUMN_DATE:
      return 10;
    case TESS_COLUMN_TIMESTAMP:
      return 19;
    case TESS_COLUMN_STRING:
      return 20;
    default:
      return 12;
    }
}

const char *
tess_table_view_cell_get_tooltip (GtkWidget *cell)
{
  const char *text;

  g_return_val_if_fail (GTK_IS_INSCRIPTION (cell), NULL);
  /* a missing value's "—" has nothing more to say */
  if (gtk_widget_has_css_class (cell, "null"))
    return NULL;
  text = gtk_inscription_get_text (GTK_INSCRIPTION (cell));
  return text != NULL && text[0] != '\0' ? text : NULL;
}

static gboolean
tess_table_view_cell_query_tooltip_cb (
    GtkWidget *cell, int x, int y, gboolean keyboard, GtkTooltip *tooltip, gpointer user_data)
{
  const char *text = tess_table_view_cell_get_tooltip (cell);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

typedef struct
{
  TessTableView *view; /* unowned: the factory lives no longer than the view */
  guint index;         /* view column */
  int decimals;        /* double columns: the same for every cell */
} CellData;

static void
tess_table_view_cell_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, GtkListItem *item)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  TessTableView *self = g_object_get_data (G_OBJECT (cell), "table-view");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "table-column"));
  graphene_point_t p;

  g_assert (GTK_IS_GESTURE_CLICK (gesture));
  g_assert (GTK_IS_LIST_ITEM (item));

  if (self == NULL || gtk_list_item_get_item (item) == NULL)
    return;
  self->menu_position = gtk_list_item_get_position (item);
  self->menu_column = index;
  if (!gtk_widget_compute_point (cell, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &p))
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (ensure_menu (self)), &(GdkRectangle){ p.x, p.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
tess_table_view_cell_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, CellData *data)
{
  GtkWidget *label = gtk_inscription_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();
  TessColumn *column =
      tess_frame_get_column (data->view->frame, g_array_index (data->view->frame_columns, int, data->index));
  TessColumnType type = tess_column_get_column_type (column);

  g_assert (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory));
  g_assert (GTK_IS_LIST_ITEM (item));

  gtk_inscription_set_xalign (GTK_INSCRIPTION (label),
                              type == TESS_COLUMN_INT64 || type == TESS_COLUMN_DOUBLE ? 1.0 : 0.0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  /* The column's widths come from its cells: a few characters at least, so
   * a narrow table ellipsizes rather than hiding a column, and room for a
   * typical value when there is space. */
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), column_min_chars (type));
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), column_nat_chars (type));
  if (type == TESS_COLUMN_INT64 || type == TESS_COLUMN_DOUBLE)
    gtk_widget_add_css_class (label, "numeric");
  /* an ellipsized value can still be read in full, asked for only on hover:
   * setting a tooltip on every bind costs a third of a table's first fill */
  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (tess_table_view_cell_query_tooltip_cb), NULL);
  g_object_set_data (G_OBJECT (label), "table-view", data->view);
  g_object_set_data (G_OBJECT (label), "table-column", GUINT_TO_POINTER (data->index));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (tess_table_view_cell_pressed_cb), item);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, label);
}

static void
tess_table_view_cell_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, CellData *data)
{
  TessTableRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  TessColumn *column;
  gsize frame_row;

  g_assert (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory));
  g_assert (GTK_IS_LIST_ITEM (item));

  if (row == NULL || data->view->frame == NULL)
    return;
  column = tess_frame_get_column (data->view->frame, g_array_index (data->view->frame_columns, int, data->index));
  /* a row of the previous frame, shown until a rerun's rows are filtered:
   * the same columns, found by name */
  if (tess_table_row_get_frame (row) != NULL && tess_table_row_get_frame (row) != data->view->frame)
    column = tess_frame_get_column_by_name (tess_table_row_get_frame (row), tess_column_get_name (column));
  frame_row = tess_table_row_get_row (row);
  if (column == NULL || frame_row >= tess_column_get_length (column))
    return;
  /* a missing value is a dimmed dash, not a blank that looks like "" */
  if (tess_column_is_null (column, frame_row))
    {
      gtk_widget_add_css_class (label, "null");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_inscription_set_text (GTK_INSCRIPTION (label), "—");
      return;
    }
  gtk_widget_remove_css_class (label, "null");
  gtk_widget_remove_css_class (label, "dim-label");
  text = tess_table_model_format_number (column, frame_row, data->decimals);
  gtk_inscription_set_text (GTK_INSCRIPTION (label), text);
}

static void
tess_table_view_cell_unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, CellData *data)
{
  GtkWidget *label = gtk_list_item_get_child (item);

  g_assert (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory));
  g_assert (GTK_IS_LIST_ITEM (item));

  if (label != NULL)
    gtk_inscription_set_text (GTK_INSCRIPTION (label), NULL);
}

/* Building the view */

static void
clear_columns (TessTableView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
  g_array_set_size (self->frame_columns, 0);
  g_array_set_size (self->column_types, 0);
  g_ptr_array_set_size (self->column_filters, 0);
  if (self->filter_bar != NULL)
    tess_table_view_update_filter_bar (self);
}

static int
requested_height (TessTableView *self)
{
  gint32 height;

  if (self->spec != NULL && g_variant_lookup (self->spec, "height", "i", &height) && height > 0)
    return height;
  return DEFAULT_HEIGHT;
}

/* The rows that can fill the table's height: the column view's first rows. */
static guint
first_rows (TessTableView *self)
{
  return (guint) (requested_height (self) / MIN_ROW_HEIGHT) + 1;
}

static gboolean
tess_table_view_grow_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);
  guint size, n;

  g_assert (TESS_IS_TABLE_VIEW (widget));
  g_assert (GDK_IS_FRAME_CLOCK (clock));

  /* Not in the frame that shows the table: that one has enough to do. */
  if (gdk_frame_clock_get_frame_counter (clock) <= self->grow_from_frame)
    return G_SOURCE_CONTINUE;
  if (self->rows == NULL)
    {
      self->grow_id = 0;
      return G_SOURCE_REMOVE;
    }
  size = gtk_slice_list_model_get_size (self->rows);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  /* Past GtkListView's 200 rows more items make no more widgets. */
  if (size >= first_rows (self) + LIST_VIEW_MAX_ROWS || size + GROW_ROWS_PER_FRAME >= n)
    {
      gtk_slice_list_model_set_size (self->rows, G_MAXUINT);
      self->grow_id = 0;
      return G_SOURCE_REMOVE;
    }
  gtk_slice_list_model_set_size (self->rows, size + GROW_ROWS_PER_FRAME);
  return G_SOURCE_CONTINUE;
}

static void
stop_growing (TessTableView *self)
{
  if (self->grow_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->grow_id);
      self->grow_id = 0;
    }
}

/* Scrolling towards the rows not made yet makes them now. */
static void
tess_table_view_scrolled_cb (GtkAdjustment *adjustment, TessTableView *self)
{
  double page = gtk_adjustment_get_page_size (adjustment);

  g_assert (GTK_IS_ADJUSTMENT (adjustment));
  g_assert (TESS_IS_TABLE_VIEW (self));

  if (self->rows == NULL || self->grow_id == 0)
    return;
  if (gtk_adjustment_get_value (adjustment) + 3 * page >= gtk_adjustment_get_upper (adjustment))
    gtk_slice_list_model_set_size (self->rows, gtk_slice_list_model_get_size (self->rows) + first_rows (self));
}

/* Whether the columns shown for @frame are the ones the view has: same
 * names, same types, in the same order. */
static gboolean
same_columns (TessTableView *self, TessFrame *frame, GArray *wanted)
{
  if (self->model == NULL || wanted->len != self->frame_columns->len)
    return FALSE;
  for (guint i = 0; i < wanted->len; i++)
    {
      TessColumn *column = tess_frame_get_column (frame, g_array_index (wanted, int, i));
      g_autoptr (GtkColumnViewColumn) view_column =
          g_list_model_get_item (gtk_column_view_get_columns (self->column_view), i);

      if (g_array_index (self->column_types, TessColumnType, i) != tess_column_get_column_type (column) ||
          g_strcmp0 (gtk_column_view_column_get_title (view_column), tess_column_get_name (column)) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
add_columns (TessTableView *self)
{
  for (guint i = 0; i < self->frame_columns->len; i++)
    {
      TessColumn *column = tess_frame_get_column (self->frame, g_array_index (self->frame_columns, int, i));
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      CellData *data = g_new0 (CellData, 1);
      TessColumnType type = tess_column_get_column_type (column);
      g_autoptr (GtkColumnViewColumn) view_column = NULL;
      GtkSorter *sorter;

      data->view = self;
      data->index = i;
      data->decimals = tess_table_model_column_decimals (column);
      g_signal_connect (factory, "setup", G_CALLBACK (tess_table_view_cell_setup_cb), data);
      g_signal_connect (factory, "bind", G_CALLBACK (tess_table_view_cell_bind_cb), data);
      g_signal_connect (factory, "unbind", G_CALLBACK (tess_table_view_cell_unbind_cb), data);
      g_object_set_data_full (G_OBJECT (factory), "cell-data", data, g_free);
      view_column = gtk_column_view_column_new (tess_column_get_name (column), factory);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      /* No fixed width: the columns share what the table is given, each
       * between its cells' minimum and natural widths, and the width left
       * over equally; below their minimums together the table scrolls
       * sideways. A fixed width would push the last columns out of a
       * narrow table altogether. */
      gtk_column_view_column_set_expand (view_column, TRUE);
      sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, GINT_TO_POINTER (i), NULL));
      gtk_column_view_column_set_sorter (view_column, sorter);
      g_object_unref (sorter);
      gtk_column_view_append_column (self->column_view, view_column);
      g_array_append_val (self->column_types, type);
    }
  tess_table_view_setup_headers (self);
}

static void attach_model (TessTableView *self);

/* A rerun's rows are filtered: they replace the previous frame's. */
static void
tess_table_view_rerun_filtered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TessTableView) self = user_data;

  g_assert (TESS_IS_TABLE_MODEL (source));
  g_assert (G_IS_TASK (result));
  g_assert (TESS_IS_TABLE_VIEW (self));

  tess_table_model_filter_finish (TESS_TABLE_MODEL (source), result, NULL);
  /* a newer frame came meanwhile: it has its own */
  if (self->model != TESS_TABLE_MODEL (source))
    return;
  attach_model (self);
  tess_table_view_update_count (self);
}

static void
rebuild (TessTableView *self)
{
  g_autofree const char **wanted_names = NULL;
  g_autoptr (GArray) wanted = g_array_new (FALSE, FALSE, sizeof (int));
  gboolean keep_columns, keep_rows;
  int sort_column = -1;
  gboolean descending = FALSE;

  {
    const char *title = NULL;

    if (self->spec != NULL)
      g_variant_lookup (self->spec, "title", "&s", &title);
    gtk_label_set_text (GTK_LABEL (self->title), title ? title : "");
  }
  if (self->frame != NULL)
    {
      if (self->spec != NULL)
        g_variant_lookup (self->spec, "columns", "^a&s", &wanted_names);
      if (wanted_names != NULL && wanted_names[0] != NULL)
        {
          for (guint i = 0; wanted_names[i] != NULL; i++)
            {
              int index = tess_frame_get_column_index (self->frame, wanted_names[i]);

              if (index >= 0)
                g_array_append_val (wanted, index);
            }
        }
      else
        for (guint i = 0; i < tess_frame_get_n_columns (self->frame); i++)
          g_array_append_val (wanted, (int){ i });
    }

  if (self->sort_cancellable != NULL)
    g_cancellable_cancel (self->sort_cancellable);
  g_clear_object (&self->sort_cancellable);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "sorting");
  stop_growing (self);
  keep_columns = self->frame != NULL && same_columns (self, self->frame, wanted);
  if (keep_columns)
    sort_column = primary_sort_column (self, &descending);
  else
    {
      g_signal_handler_block (gtk_column_view_get_sorter (self->column_view), self->sorter_changed_id);
      gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
      g_signal_handler_unblock (gtk_column_view_get_sorter (self->column_view), self->sorter_changed_id);
    }
  /* A rerun's rows under a search or a filter: the rows shown stay until the
   * new ones are filtered, rather than every row flashing by meanwhile. */
  keep_rows = keep_columns && self->rows != NULL && tess_table_view_has_filter (self);
  if (!keep_rows)
    {
      gtk_column_view_set_model (self->column_view, NULL);
      g_clear_object (&self->rows);
    }
  g_clear_object (&self->model);
  if (!keep_columns)
    clear_columns (self);
  if (self->frame == NULL)
    {
      tess_table_view_update_count (self);
      return;
    }

  g_array_set_size (self->frame_columns, 0);
  g_array_append_vals (self->frame_columns, wanted->data, wanted->len);
  if (keep_columns)
    {
      /* The same columns over new rows: their decimals may differ. */
      GListModel *columns = gtk_column_view_get_columns (self->column_view);

      for (guint i = 0; i < self->frame_columns->len; i++)
        {
          g_autoptr (GtkColumnViewColumn) view_column = g_list_model_get_item (columns, i);
          CellData *data = g_object_get_data (G_OBJECT (gtk_column_view_column_get_factory (view_column)), "cell-data");

          data->decimals = tess_table_model_column_decimals (
              tess_frame_get_column (self->frame, g_array_index (self->frame_columns, int, i)));
        }
    }
  else
    add_columns (self);
  /* column filters stay with their columns */
  g_ptr_array_set_size (self->column_filters, self->frame_columns->len);

  self->model = tess_table_model_new (self->frame);
  tess_table_view_watch_count (self);
  /* The user's sort stands over a rerun's rows, as a chart's zoom does. */
  if (sort_column >= 0)
    start_sort (self, sort_column, descending);
  if (keep_rows)
    {
      g_autoptr (TessTableFilter) filter = tess_table_view_build_filter (self);

      gtk_widget_add_css_class (GTK_WIDGET (self), "searching");
      tess_table_model_filter_async (self->model, filter, NULL, tess_table_view_rerun_filtered_cb, g_object_ref (self));
      return;
    }
  attach_model (self);
  /* the user's search and filters stand over a rerun's rows too */
  tess_table_view_apply_filter (self);
  tess_table_view_update_count (self);
}

/* Shows the model's rows. Main thread only. */
static void
attach_model (TessTableView *self)
{
  g_autoptr (GtkSingleSelection) selection = NULL;

  stop_growing (self);
  g_clear_object (&self->rows);
  self->rows = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->model)), 0, first_rows (self));
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  /* nothing is selected until the user picks a row */
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > gtk_slice_list_model_get_size (self->rows))
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

      self->grow_from_frame = clock != NULL ? gdk_frame_clock_get_frame_counter (clock) : 0;
      self->grow_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tess_table_view_grow_tick_cb, NULL, NULL);
    }
}

/* Clipboard and export */

static void
copy_text (TessTableView *self, char *text)
{
  if (text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  g_free (text);
}

static guint
selected_position (TessTableView *self)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (self->column_view);

  if (GTK_IS_SINGLE_SELECTION (selection))
    return gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (selection));
  return GTK_INVALID_LIST_POSITION;
}

static void
tess_table_view_copy_cell_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);

  g_assert (TESS_IS_TABLE_VIEW (widget));

  copy_text (self, tess_table_view_cell_text (self, self->menu_position, self->menu_column));
}

static void
tess_table_view_copy_row_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);
  guint position = self->menu_position;

  g_assert (TESS_IS_TABLE_VIEW (widget));

  /* the shortcut copies the selected row; the menu the row it was opened on */
  if (param != NULL && g_variant_get_boolean (param))
    position = selected_position (self);
  if (position != GTK_INVALID_LIST_POSITION)
    copy_text (self, tess_table_view_row_text (self, position));
}

static void
tess_table_view_export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert (TESS_IS_TABLE_MODEL (source));
  g_assert (G_IS_TASK (result));

  if (!tess_table_model_export_csv_finish (TESS_TABLE_MODEL (source), result, &error))
    g_warning ("%s", error->message);
}

static void
tess_table_view_export_dialog_response_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  TessTableView *self = TESS_TABLE_VIEW (g_object_get_data (G_OBJECT (dialog), "table-view"));

  g_assert (GTK_IS_NATIVE_DIALOG (dialog));

  if (response == GTK_RESPONSE_ACCEPT && self->model != NULL)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        tess_table_model_export_csv_async (self->model, file, NULL, tess_table_view_export_done_cb, NULL);
    }
  g_object_unref (dialog);
}

static void
tess_table_view_export_csv_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;

  g_assert (TESS_IS_TABLE_VIEW (widget));

  if (self->model == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_ ("Export Table as CSV"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "table.csv");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "table-view", g_object_ref (self), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (tess_table_view_export_dialog_response_cb), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* GObject */

static void
tess_table_view_dispose (GObject *object)
{
  TessTableView *self = TESS_TABLE_VIEW (object);

  if (self->sort_cancellable != NULL)
    g_cancellable_cancel (self->sort_cancellable);
  g_clear_object (&self->sort_cancellable);
  if (self->column_view != NULL && self->sorter_changed_id != 0)
    g_clear_signal_handler (&self->sorter_changed_id, gtk_column_view_get_sorter (self->column_view));
  stop_growing (self);
  if (self->scroller != NULL)
    g_signal_handlers_disconnect_by_data (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)),
                                          self);
  if (self->column_view != NULL)
    {
      gtk_column_view_set_model (self->column_view, NULL);
      clear_columns (self);
    }
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_pointer (&self->filter_popover, gtk_widget_unparent);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  self->scroller = NULL;
  self->title = NULL;
  self->header = NULL;
  self->count = NULL;
  self->search_button = NULL;
  self->search_entry = NULL;
  self->filter_bar = NULL;
  self->column_view = NULL;
  g_clear_object (&self->rows);
  g_clear_object (&self->model);
  g_clear_pointer (&self->element, tess_element_unref);
  g_clear_pointer (&self->frame, tess_frame_unref);
  g_clear_pointer (&self->spec, g_variant_unref);
  G_OBJECT_CLASS (tess_table_view_parent_class)->dispose (object);
}

static void
tess_table_view_finalize (GObject *object)
{
  TessTableView *self = TESS_TABLE_VIEW (object);

  g_array_unref (self->frame_columns);
  g_array_unref (self->column_types);
  g_ptr_array_unref (self->column_filters);
  G_OBJECT_CLASS (tess_table_view_parent_class)->finalize (object);
}

static void
tess_table_view_measure (GtkWidget *widget,
                         GtkOrientation orientation,
                         int for_size,
                         int *minimum,
                         int *natural,
                         int *minimum_baseline,
                         int *natural_baseline)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, NULL, NULL);
  /* As tall as the rows (the scroller passes the column view's height on),
   * up to the height asked for; never less than a few rows when scrolled. */
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      int height = requested_height (self);

      *natural = MIN (*natural, height);
      *minimum = MIN (*natural, MAX (*minimum, MIN (120, height)));
    }
}

static void
tess_table_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
  if (self->filter_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->filter_popover));
}

/* Tab leaves the rows for the next widget on the page: GTK 4.8's list view
 * would take it from row to row, through every row it has made, first.
 * Shift+Tab from the rows goes to the search; Shift+Tab from below comes
 * back to the row the user was on. Main thread only. */
static gboolean
tess_table_view_focus (GtkWidget *widget, GtkDirectionType direction)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *rows = self->column_view != NULL ? GTK_WIDGET (self->column_view) : NULL;
  gboolean in_rows = rows != NULL && focus != NULL && (focus == rows || gtk_widget_is_ancestor (focus, rows));

  if (direction == GTK_DIR_TAB_FORWARD && in_rows)
    return FALSE;
  if (direction == GTK_DIR_TAB_BACKWARD && in_rows)
    {
      GtkWidget *before[] = { self->filter_bar, self->search_entry, self->header };

      for (guint i = 0; i < G_N_ELEMENTS (before); i++)
        if (gtk_widget_get_visible (before[i]) && gtk_widget_child_focus (before[i], direction))
          return TRUE;
      return FALSE;
    }
  if (direction == GTK_DIR_TAB_BACKWARD && rows != NULL && (focus == NULL || !gtk_widget_is_ancestor (focus, widget)) &&
      self->model != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0 && gtk_widget_grab_focus (rows))
    return TRUE;
  return GTK_WIDGET_CLASS (tess_table_view_parent_class)->focus (widget, direction);
}

static void
tess_table_view_class_init (TessTableViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_table_view_dispose;
  object_class->finalize = tess_table_view_finalize;
  widget_class->measure = tess_table_view_measure;
  widget_class->size_allocate = tess_table_view_size_allocate;
  widget_class->focus = tess_table_view_focus;
  gtk_widget_class_set_css_name (widget_class, "tesstableview");
  gtk_widget_class_install_action (widget_class, "table.copy-cell", NULL, tess_table_view_copy_cell_action_cb);
  gtk_widget_class_install_action (widget_class, "table.copy-row", "b", tess_table_view_copy_row_action_cb);
  gtk_widget_class_install_action (widget_class, "table.export-csv", NULL, tess_table_view_export_csv_action_cb);
  tess_table_view_class_init_find (widget_class);
  gtk_widget_class_install_action (widget_class, "table.sort-column", "(ib)", tess_table_view_sort_column_action_cb);
  gtk_widget_class_install_action (widget_class, "table.menu", NULL, tess_table_view_menu_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "table.copy-row", "b", TRUE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "table.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "table.menu", NULL);
}

static void
tess_table_view_init (TessTableView *self)
{
  GtkWidget *column_view;

  self->frame_columns = g_array_new (FALSE, FALSE, sizeof (int));
  self->column_types = g_array_new (FALSE, FALSE, sizeof (TessColumnType));
  self->column_filters = g_ptr_array_new_with_free_func (g_free);

  column_view = gtk_column_view_new (NULL);
  self->column_view = GTK_COLUMN_VIEW (column_view);
  gtk_column_view_set_show_column_separators (self->column_view, TRUE);
  gtk_column_view_set_reorderable (self->column_view, FALSE);
  gtk_widget_add_css_class (column_view, "data-table");
  self->sorter_changed_id = g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                                              G_CALLBACK (tess_table_view_sorter_changed_cb), self);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  tess_table_view_init_find (self);
  self->scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), column_view);
  g_signal_connect (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), "value-changed",
                    G_CALLBACK (tess_table_view_scrolled_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
  gtk_box_append (GTK_BOX (self->box), self->scroller);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  /* The scroller fills what the table is given; the table itself asks for
   * its rows' height and takes no more from a taller page. */
  gtk_widget_set_vexpand (GTK_WIDGET (self), FALSE);
}

/* Public */

GtkWidget *
tess_table_view_new (void)
{
  return g_object_new (TESS_TYPE_TABLE_VIEW, NULL);
}

void
tess_table_view_set_frame (TessTableView *self, TessFrame *frame, GVariant *spec)
{
  g_return_if_fail (TESS_IS_TABLE_VIEW (self));
  TESS_ASSERT_MAIN_THREAD ();

  if (frame == self->frame &&
      (spec == self->spec || (spec != NULL && self->spec != NULL && g_variant_equal (spec, self->spec))))
    return;
  if (frame != NULL)
    tess_frame_ref (frame);
  g_clear_pointer (&self->frame, tess_frame_unref);
  self->frame = frame;
  if (spec != NULL)
    g_variant_ref_sink (spec);
  g_clear_pointer (&self->spec, g_variant_unref);
  self->spec = spec;
  rebuild (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tess_table_view_set_element (TessTableView *self, TessElement *element)
{
  g_autoptr (GVariant) spec = NULL;

  g_return_if_fail (TESS_IS_TABLE_VIEW (self));
  TESS_ASSERT_MAIN_THREAD ();

  if (!tess_element_set (&self->element, element))
    return;
  if (element != NULL)
    spec = tess_element_lookup (element, "spec", G_VARIANT_TYPE_VARDICT);
  tess_table_view_set_frame (self, element ? tess_element_get_frame (element) : NULL, spec);
}

TessElement *
tess_table_view_get_element (TessTableView *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);
  return self->element;
}

TessTableModel *
tess_table_view_get_model (TessTableView *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);
  return self->model;
}

GtkColumnView *
tess_table_view_get_column_view (TessTableView *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);
  return self->column_view;
}

int
tess_table_view_get_frame_column (TessTableView *self, guint index)
{
  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), -1);
  g_return_val_if_fail (index < self->frame_columns->len, -1);
  return g_array_index (self->frame_columns, int, index);
}

void
tess_table_view_sort_by (TessTableView *self, int index, gboolean descending)
{
  GListModel *columns;
  g_autoptr (GtkColumnViewColumn) column = NULL;

  g_return_if_fail (TESS_IS_TABLE_VIEW (self));

  columns = gtk_column_view_get_columns (self->column_view);
  if (index >= 0)
    column = g_list_model_get_item (columns, index);
  /* as a header click: the column view's sorter changes, the view follows */
  gtk_column_view_sort_by_column (self->column_view, column, descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

gboolean
tess_table_view_is_idle (TessTableView *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), TRUE);
  return self->sort_cancellable == NULL && (self->model == NULL || tess_table_model_is_idle (self->model));
}

char *
tess_table_view_cell_text (TessTableView *self, guint position, guint index)
{
  TessColumn *column;

  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);

  if (self->model == NULL || index >= self->frame_columns->len ||
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    return NULL;
  column = tess_frame_get_column (self->frame, g_array_index (self->frame_columns, int, index));
  return tess_column_format_value (column, tess_table_model_get_row (self->model, position));
}

char *
tess_table_view_row_text (TessTableView *self, guint position)
{
  GString *out;
  gsize row;

  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);

  if (self->model == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    return NULL;
  row = tess_table_model_get_row (self->model, position);
  out = g_string_new (NULL);
  for (guint i = 0; i < self->frame_columns->len; i++)
    {
      g_autofree char *value = tess_column_format_value (
          tess_frame_get_column (self->frame, g_array_index (self->frame_columns, int, i)), row);

      if (i > 0)
        g_string_append_c (out, '\t');
      g_string_append (out, value);
    }
  return g_string_free (out, FALSE);
}
