/* tess-chart.c: TessChart, the chart widget (see tess-chart.h). */
#include "tess-chart.h"

struct _TessChart
{
  GtkWidget parent_instance;
  TessElement *element;
};

G_DEFINE_FINAL_TYPE (TessChart, tess_chart, GTK_TYPE_WIDGET)

static void
tess_chart_dispose (GObject *object)
{
  TessChart *self = TESS_CHART (object);

  g_clear_pointer (&self->element, tess_element_unref);
  G_OBJECT_CLASS (tess_chart_parent_class)->dispose (object);
}

static void
tess_chart_measure (GtkWidget *widget,
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
tess_chart_class_init (TessChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_chart_dispose;
  widget_class->measure = tess_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "tesschart");
}

static void
tess_chart_init (TessChart *self)
{
}

GtkWidget *
tess_chart_new (void)
{
  return g_object_new (TESS_TYPE_CHART, NULL);
}

void
tess_chart_set_element (TessChart *self, TessElement *element)
{
  g_return_if_fail (TESS_IS_CHART (self));

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
tess_chart_get_element (TessChart *self)
{
  g_return_val_if_fail (TESS_IS_CHART (self), NULL);
  return self->element;
}
