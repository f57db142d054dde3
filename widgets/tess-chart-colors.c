/* tess-chart-colors.c: the dashboard-wide assignment of colours to
 * categories (see tess-chart-colors.h). */
#include "tess-chart-colors.h"
#include "tess-dashboard-view.h"

struct _TessChartColors
{
  GHashTable *indices; /* category -> palette index + 1 */
  guint next;
};

TessChartColors *
tess_chart_colors_new (void)
{
  TessChartColors *self = g_new0 (TessChartColors, 1);

  self->indices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
tess_chart_colors_free (TessChartColors *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->indices);
  g_free (self);
}

guint
tess_chart_colors_lookup (TessChartColors *self, const char *category)
{
  guint index;

  g_return_val_if_fail (self != NULL && category != NULL, 0);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (self->indices, category));
  if (index == 0)
    {
      index = ++self->next;
      g_hash_table_insert (self->indices, g_strdup (category), GUINT_TO_POINTER (index));
    }
  return index - 1;
}

TessChartColors *
tess_chart_colors_for_widget (GtkWidget *widget)
{
  GtkWidget *holder;
  TessChartColors *colors;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  holder = gtk_widget_get_ancestor (widget, TESS_TYPE_DASHBOARD_VIEW);
  if (holder == NULL)
    holder = GTK_WIDGET (gtk_widget_get_root (widget));
  if (holder == NULL)
    return NULL;
  colors = g_object_get_data (G_OBJECT (holder), "tess-chart-colors");
  if (colors == NULL)
    {
      colors = tess_chart_colors_new ();
      g_object_set_data_full (G_OBJECT (holder), "tess-chart-colors", colors, (GDestroyNotify) tess_chart_colors_free);
    }
  return colors;
}
