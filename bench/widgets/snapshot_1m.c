/* snapshot_1m.c: one frame (the widget's snapshot) of a line chart of 1 M
 * points once decimated. Needs a display (xvfb-run). */
#include <math.h>

#include "tess-chart-private.h"

static gboolean
settled (TessChart *chart)
{
  TessChartDecimation *dec = tess_chart_get_decimation (chart);
  double x0, x1;

  tess_chart_get_view (chart, &x0, &x1);
  return tess_chart_is_ready (chart) && dec != NULL && dec->x0 == x0 && dec->x1 == x1 &&
         gtk_widget_get_mapped (GTK_WIDGET (chart));
}

int
main (int argc, char **argv)
{
  const gsize n = 1000000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autoptr (TessColumn) cx = NULL;
  g_autoptr (TessColumn) cy = NULL;
  g_autoptr (TessFrame) frame = NULL;
  GtkWidget *window, *chart;
  GVariantDict spec;
  double best = G_MAXDOUBLE, v = 0;

  gtk_init ();
  for (gsize i = 0; i < n; i++)
    {
      v += sin (i * 0.37) + ((i * 7919) % 101 - 50) * 0.01;
      x[i] = i;
      y[i] = v;
    }
  cx = tess_column_new_double ("x", x, n);
  cy = tess_column_new_double ("y", y, n);
  frame = tess_frame_new ((TessColumn *[]){ cx, cy }, 2, NULL);

  g_variant_dict_init (&spec, NULL);
  g_variant_dict_insert (&spec, "kind", "s", "line");
  g_variant_dict_insert (&spec, "x", "s", "x");
  g_variant_dict_insert (&spec, "title", "s", "1 M points");
  window = gtk_window_new ();
  chart = tess_chart_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 500);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  tess_chart_set_frame (TESS_CHART (chart), frame, g_variant_dict_end (&spec));
  gtk_window_present (GTK_WINDOW (window));
  for (int round = 0; round < 2; round++)
    {
      while (!settled (TESS_CHART (chart)))
        g_main_context_iteration (NULL, TRUE);
      for (int i = 0; i < 30; i++)
        g_main_context_iteration (NULL, FALSE);
    }

  for (int run = 0; run < 50; run++)
    {
      GtkSnapshot *snapshot;
      GskRenderNode *node;
      gint64 start;

      /* drop the kept drawing so the widget draws the whole chart afresh */
      tess_chart_drop_cache (TESS_CHART (chart));
      start = g_get_monotonic_time ();
      snapshot = gtk_snapshot_new ();
      gtk_widget_snapshot_child (window, chart, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      best = MIN (best, (g_get_monotonic_time () - start) / 1000.0);
      g_assert_nonnull (node);
      gsk_render_node_unref (node);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpuint (tess_chart_get_decimation (TESS_CHART (chart))->n_kept, <=, 4 * 1000 + 2);
  g_print ("bench: charts.snapshot_1m_ms %.2f ms (goal <= 2)\n", best);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
