/* tess-chart.c: TessTableView, the table widget (see tess-table-view.h). */
#include "tess-table-view.h"

struct _TessTableView
{
  GtkWidget parent_instance;
  TessElement *element;
};

G_DEFINE_FINAL_TYPE (TessTableView, tess_table_view, GTK_TYPE_WIDGET)

static void
tess_table_view_dispose (GObject *object)
{
  TessTableView *self = TESS_TABLE_VIEW (object);

  g_clear_pointer (&self->element, tess_element_unref);
  G_OBJECT_CLASS (tess_table_view_parent_class)->dispose (object);
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
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 480;
    }
  else
    {
      *minimum = 120;
      *natural = 300;
    }
}

static void
tess_table_view_class_init (TessTableViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_table_view_dispose;
  widget_class->measure = tess_table_view_measure;
  gtk_widget_class_set_css_name (widget_class, "tesstableview");
}

static void
tess_table_view_init (TessTableView *self)
{
}

GtkWidget *
tess_table_view_new (void)
{
  return g_object_new (TESS_TYPE_TABLE_VIEW, NULL);
}

void
tess_table_view_set_element (TessTableView *self, TessElement *element)
{
  g_return_if_fail (TESS_IS_TABLE_VIEW (self));

  if (self->element == element)
    return;
  if (self->element != NULL && element != NULL && tess_element_equal (self->element, element))
    return;
  g_clear_pointer (&self->element, tess_element_unref);
  if (element != NULL)
    self->element = tess_element_ref (element);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

TessElement *
tess_table_view_get_element (TessTableView *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_VIEW (self), NULL);
  return self->element;
}
