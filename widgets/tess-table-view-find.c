/* tess-table-view-find.c: how a TessTableView finds rows: the row count,
 * the search entry (Ctrl+F, the search button), the column filters (each
 * header's menu, the table's menu) and the headers' tooltips. The rows are
 * found by the model on a worker thread (tess-table-filter.h); here is what
 * the user sees and operates. Main thread only.
 */
#include "tess-table-view-private.h"
#include "tess-thread-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tess-format-private.h"

/* The most characters of a column's name its header asks room for; a
 * longer name is shortened, and whole in the header's tooltip. */
#define HEADER_MAX_CHARS 24

/* "10,000 rows", or "312 of 10,000 rows" with a filter. Main thread only. */
void
tess_table_view_update_count (TessTableView *self)
{
  g_autofree char *total = NULL, *shown = NULL, *text = NULL;
  guint n_rows, n_shown;

  if (self->model == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->count), "");
      return;
    }
  n_rows = tess_table_model_get_n_rows (self->model);
  n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  total = tess_format_int64 (n_rows, NULL);
  if (tess_table_model_get_filter (self->model) != NULL)
    {
      shown = tess_format_int64 (n_shown, NULL);
      /* TRANSLATORS: the rows a search or filter keeps, of all the table's */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s row", "%s of %s rows", n_rows), shown, total);
    }
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows", n_rows), total);
  gtk_label_set_text (GTK_LABEL (self->count), text);
  if (tess_table_model_is_idle (self->model))
    gtk_widget_remove_css_class (GTK_WIDGET (self), "searching");
}

static void
tess_table_view_items_changed_cb (GListModel *model, guint position, guint removed, guint added, TessTableView *self)
{
  g_assert (G_IS_LIST_MODEL (model));
  g_assert (TESS_IS_TABLE_VIEW (self));

  tess_table_view_update_count (self);
}

/* What the search entry and the column filters ask for, over the frame's
 * columns. */
TessTableFilter *
tess_table_view_build_filter (TessTableView *self)
{
  TessTableFilter *filter = tess_table_filter_new ();

  tess_table_filter_set_search (filter, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                (const int *) (gpointer) self->frame_columns->data, self->frame_columns->len);
  for (guint i = 0; i < self->column_filters->len && i < self->frame_columns->len; i++)
    {
      const char *text = g_ptr_array_index (self->column_filters, i);

      /* checked when the user wrote it, for a column of the same kind */
      if (text != NULL)
        tess_table_filter_set_column (filter, self->frame, g_array_index (self->frame_columns, int, i), text, NULL);
    }
  return filter;
}

static void
tess_table_view_filter_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TessTableView) self = user_data;

  g_assert (TESS_IS_TABLE_MODEL (source));
  g_assert (G_IS_TASK (result));
  g_assert (TESS_IS_TABLE_VIEW (self));

  tess_table_model_filter_finish (TESS_TABLE_MODEL (source), result, NULL);
  if (self->model == TESS_TABLE_MODEL (source))
    tess_table_view_update_count (self);
}

/* Asks the model for the rows the search and filters keep; the model stops
 * the search in flight. Main thread only. */
void
tess_table_view_apply_filter (TessTableView *self)
{
  g_autoptr (TessTableFilter) filter = NULL;
  const TessTableFilter *shown;

  TESS_ASSERT_MAIN_THREAD ();
  if (self->model == NULL)
    return;
  filter = tess_table_view_build_filter (self);
  shown = tess_table_model_get_filter (self->model);
  if (tess_table_filter_equal (filter, shown) && tess_table_model_is_idle (self->model))
    return;
  gtk_widget_add_css_class (GTK_WIDGET (self), "searching");
  tess_table_model_filter_async (self->model, filter, NULL, tess_table_view_filter_done_cb, g_object_ref (self));
}

static void
tess_table_view_search_changed_cb (GtkSearchEntry *entry, TessTableView *self)
{
  g_assert (GTK_IS_SEARCH_ENTRY (entry));
  g_assert (TESS_IS_TABLE_VIEW (self));

  tess_table_view_apply_filter (self);
}

/* Escape: the search is over; the table shows every row again. */
static void
tess_table_view_stop_search_cb (GtkSearchEntry *entry, TessTableView *self)
{
  g_assert (GTK_IS_SEARCH_ENTRY (entry));
  g_assert (TESS_IS_TABLE_VIEW (self));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->search_button), FALSE);
}

static void
tess_table_view_search_toggled_cb (GtkToggleButton *button, TessTableView *self)
{
  gboolean active = gtk_toggle_button_get_active (button);

  g_assert (GTK_IS_TOGGLE_BUTTON (button));
  g_assert (TESS_IS_TABLE_VIEW (self));

  gtk_widget_set_visible (self->search_entry, active);
  if (active)
    gtk_widget_grab_focus (self->search_entry);
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      tess_table_view_apply_filter (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
    }
}

static void
tess_table_view_search_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);

  g_assert (TESS_IS_TABLE_VIEW (widget));

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->search_button)))
    gtk_widget_grab_focus (self->search_entry);
  else
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->search_button), TRUE);
}

/* One button per column filter: its column and text; a click removes it. */
void
tess_table_view_update_filter_bar (TessTableView *self)
{
  GtkWidget *child;
  gboolean any = FALSE;

  while ((child = gtk_widget_get_first_child (self->filter_bar)) != NULL)
    gtk_box_remove (GTK_BOX (self->filter_bar), child);
  for (guint i = 0; i < self->column_filters->len; i++)
    {
      const char *text = g_ptr_array_index (self->column_filters, i);
      g_autoptr (GtkColumnViewColumn) column = NULL;
      g_autofree char *label = NULL;
      GtkWidget *box, *button;

      if (text == NULL)
        continue;
      column = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), i);
      label = g_strdup_printf ("%s %s", gtk_column_view_column_get_title (column), text);
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      gtk_box_append (GTK_BOX (box), gtk_label_new (label));
      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("window-close-symbolic"));
      button = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "small");
      gtk_widget_set_tooltip_text (button, _ ("Remove this filter"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "table.remove-filter");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
      gtk_box_append (GTK_BOX (self->filter_bar), button);
      any = TRUE;
    }
  gtk_widget_set_visible (self->filter_bar, any);
}

static void
tess_table_view_remove_filter_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);

  g_assert (TESS_IS_TABLE_VIEW (widget));

  tess_table_view_set_column_filter (self, g_variant_get_uint32 (param), NULL, NULL);
}

static void
tess_table_view_filter_activate_cb (GtkEntry *entry, TessTableView *self)
{
  g_autoptr (GError) error = NULL;

  g_assert (GTK_IS_ENTRY (entry));
  g_assert (TESS_IS_TABLE_VIEW (self));

  if (!tess_table_view_set_column_filter (self, self->filter_column, gtk_editable_get_text (GTK_EDITABLE (entry)),
                                          &error))
    {
      gtk_label_set_text (GTK_LABEL (self->filter_error), error->message);
      gtk_widget_set_visible (self->filter_error, TRUE);
      return;
    }
  gtk_popover_popdown (GTK_POPOVER (self->filter_popover));
}

/* The column filter's editor, made the first time it opens. */
static void
ensure_filter_popover (TessTableView *self)
{
  GtkWidget *box;

  if (self->filter_popover != NULL)
    return;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->filter_heading = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->filter_heading), 0);
  gtk_widget_add_css_class (self->filter_heading, "heading");
  self->filter_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->filter_entry), _ ("> 100, = pear, or text to look for"));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->filter_entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  self->filter_heading, NULL, -1);
  g_signal_connect (self->filter_entry, "activate", G_CALLBACK (tess_table_view_filter_activate_cb), self);
  self->filter_error = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->filter_error), 0);
  gtk_label_set_wrap (GTK_LABEL (self->filter_error), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->filter_error), 40);
  gtk_widget_add_css_class (self->filter_error, "error");
  gtk_box_append (GTK_BOX (box), self->filter_heading);
  gtk_box_append (GTK_BOX (box), self->filter_entry);
  gtk_box_append (GTK_BOX (box), self->filter_error);
  self->filter_popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->filter_popover), box);
  gtk_widget_set_parent (self->filter_popover, GTK_WIDGET (self));
}

/* The header widget of view column @index (GTK 4.8 does not hand it out:
 * the column view's header holds one title per column, in order). */
static GtkWidget *
header_title (TessTableView *self, guint index)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
  GtkWidget *title;
  guint i = 0;

  while (header != NULL && g_strcmp0 (gtk_widget_get_css_name (header), "header") != 0)
    header = gtk_widget_get_next_sibling (header);
  if (header == NULL)
    return NULL;
  for (title = gtk_widget_get_first_child (header); title != NULL && i < index;
       title = gtk_widget_get_next_sibling (title))
    i++;
  return title;
}

static GtkWidget *
find_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *label = find_label (child);

      if (label != NULL)
        return label;
    }
  return NULL;
}

static void
tess_table_view_filter_column_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessTableView *self = TESS_TABLE_VIEW (widget);
  guint index = g_variant_get_uint32 (param);
  g_autoptr (GtkColumnViewColumn) column = NULL;
  g_autofree char *heading = NULL;
  const char *text;
  GtkWidget *title;
  graphene_rect_t bounds;

  g_assert (TESS_IS_TABLE_VIEW (widget));

  if (index >= self->column_filters->len)
    return;
  ensure_filter_popover (self);
  self->filter_column = index;
  column = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), index);
  /* TRANSLATORS: the heading of a table column's filter */
  heading = g_strdup_printf (_ ("Rows where “%s”…"), gtk_column_view_column_get_title (column));
  gtk_label_set_text (GTK_LABEL (self->filter_heading), heading);
  text = g_ptr_array_index (self->column_filters, index);
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text ? text : "");
  gtk_widget_set_visible (self->filter_error, FALSE);
  title = header_title (self, index);
  if (title != NULL && gtk_widget_compute_bounds (title, GTK_WIDGET (self), &bounds))
    gtk_popover_set_pointing_to (
        GTK_POPOVER (self->filter_popover),
        &(GdkRectangle){ bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height });
  gtk_popover_popup (GTK_POPOVER (self->filter_popover));
  gtk_widget_grab_focus (self->filter_entry);
}

/* A header shows its column's whole name in a tooltip when it had to
 * shorten it. */
static gboolean
tess_table_view_header_query_tooltip_cb (
    GtkWidget *title, int x, int y, gboolean keyboard, GtkTooltip *tooltip, TessTableView *self)
{
  GtkWidget *label = find_label (title);

  g_assert (GTK_IS_WIDGET (title));

  if (label == NULL || !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
    return FALSE;
  gtk_tooltip_set_text (tooltip, gtk_label_get_text (GTK_LABEL (label)));
  return TRUE;
}

/* Every column's header menu (a right click on it) and tooltip. */
void
tess_table_view_setup_headers (TessTableView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      g_autoptr (GMenu) menu = g_menu_new ();
      g_autoptr (GMenuItem) item = g_menu_item_new (_ ("_Filter…"), NULL);
      GtkWidget *title = header_title (self, i);

      g_menu_item_set_action_and_target (item, "table.filter-column", "u", i);
      g_menu_append_item (menu, item);
      gtk_column_view_column_set_header_menu (column, G_MENU_MODEL (menu));
      if (title != NULL)
        {
          GtkWidget *label = find_label (title);

          /* GTK's header is as wide as the whole name: a long one would
           * push the other columns away */
          if (label != NULL)
            {
              gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
              gtk_label_set_max_width_chars (GTK_LABEL (label), HEADER_MAX_CHARS);
            }
          gtk_widget_set_has_tooltip (title, TRUE);
          g_signal_connect_object (title, "query-tooltip", G_CALLBACK (tess_table_view_header_query_tooltip_cb), self,
                                   0);
        }
    }
}

/* Whether the user searches or filters the rows. */
gboolean
tess_table_view_has_filter (TessTableView *self)
{
  g_autofree char *search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  if (search[0] != '\0')
    return TRUE;
  for (guint i = 0; i < self->column_filters->len; i++)
    if (g_ptr_array_index (self->column_filters, i) != NULL)
      return TRUE;
  return FALSE;
}

void
tess_table_view_watch_count (TessTableView *self)
{
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (tess_table_view_items_changed_cb), self, 0);
}

void
tess_table_view_init_find (TessTableView *self)
{
  self->header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->title, TRUE);
  gtk_widget_add_css_class (self->title, "heading");
  gtk_box_append (GTK_BOX (self->header), self->title);
  /* the row count, always in sight: a table never hides how much it holds */
  self->count = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->count), 1);
  gtk_label_set_ellipsize (GTK_LABEL (self->count), PANGO_ELLIPSIZE_START);
  gtk_widget_set_hexpand (self->count, TRUE);
  gtk_widget_add_css_class (self->count, "dim-label");
  gtk_widget_add_css_class (self->count, "caption");
  gtk_widget_add_css_class (self->count, "numeric");
  gtk_box_append (GTK_BOX (self->header), self->count);
  self->search_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->search_button), "system-search-symbolic");
  gtk_widget_add_css_class (self->search_button, "flat");
  gtk_widget_set_tooltip_text (self->search_button, _ ("Search the Table (Ctrl+F)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Search the table"), -1);
  g_signal_connect (self->search_button, "toggled", G_CALLBACK (tess_table_view_search_toggled_cb), self);
  gtk_box_append (GTK_BOX (self->header), self->search_button);
  gtk_box_append (GTK_BOX (self->box), self->header);
  self->search_entry = gtk_search_entry_new ();
  g_object_set (self->search_entry, "placeholder-text", _ ("Search all columns"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Search the table"), -1);
  gtk_widget_set_visible (self->search_entry, FALSE);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (tess_table_view_search_changed_cb), self);
  g_signal_connect (self->search_entry, "stop-search", G_CALLBACK (tess_table_view_stop_search_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->search_entry);
  self->filter_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_visible (self->filter_bar, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->filter_bar);
}

void
tess_table_view_class_init_find (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "table.search", NULL, tess_table_view_search_action_cb);
  gtk_widget_class_install_action (widget_class, "table.filter-column", "u", tess_table_view_filter_column_action_cb);
  gtk_widget_class_install_action (widget_class, "table.remove-filter", "u", tess_table_view_remove_filter_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "table.search", NULL);
}

gboolean
tess_table_view_set_column_filter (TessTableView *self, guint index, const char *text, GError **error)
{
  g_autoptr (TessTableFilter) check = NULL;
  g_autofree char *trimmed = text != NULL ? g_strstrip (g_strdup (text)) : NULL;

  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), FALSE);
  g_return_val_if_fail (index < self->column_filters->len, FALSE);

  check = tess_table_filter_new ();
  if (!tess_table_filter_set_column (check, self->frame, g_array_index (self->frame_columns, int, index), trimmed,
                                     error))
    return FALSE;
  g_free (g_ptr_array_index (self->column_filters, index));
  g_ptr_array_index (self->column_filters, index) =
      trimmed != NULL && trimmed[0] != '\0' ? g_steal_pointer (&trimmed) : NULL;
  tess_table_view_update_filter_bar (self);
  tess_table_view_apply_filter (self);
  return TRUE;
}

const char *
tess_table_view_get_column_filter (TessTableView *self, guint index)
{
  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);
  g_return_val_if_fail (index < self->column_filters->len, NULL);
  return g_ptr_array_index (self->column_filters, index);
}

GtkWidget *
tess_table_view_get_search_entry (TessTableView *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);
  return self->search_entry;
}

GtkWidget *
tess_table_view_get_search_button (TessTableView *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);
  return self->search_button;
}

const char *
tess_table_view_get_count_text (TessTableView *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->count));
}

const char *
tess_table_view_get_header_tooltip (TessTableView *self, guint index)
{
  GtkWidget *title, *label;

  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);

  title = header_title (self, index);
  label = title != NULL ? find_label (title) : NULL;
  if (label == NULL || !gtk_widget_get_has_tooltip (title) ||
      !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}
