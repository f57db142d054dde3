/* elements.c: the typed chart and table functions build the elements the
 * widgets show; the widgets take those elements, and an equal element again
 * costs nothing. */
#include "tess-charts.h"
#include "tess-load.h"
#include "tess-session.h"

#include "tess-chart-private.h"
#include "tess-table-view-private.h"
#include "tess-test-wait.h"

static TessFrame *shared_frame;

static gboolean
dashboard (TessRun *run, gpointer user_data, GError **error)
{
  const char *y[] = { "a", "b", NULL };
  const char *columns[] = { "b", "x", NULL };

  tess_line_chart (run, shared_frame, "x", y, &(TessChartOptions){ .title = "Lines", .height = 240 });
  tess_area_chart (run, shared_frame, "x", y, &(TessChartOptions){ .stack = TRUE });
  tess_bar_chart (run, shared_frame, "g", y, &(TessChartOptions){ .horizontal = TRUE, .legend = -1 });
  tess_scatter_chart (run, shared_frame, "a", "b", &(TessChartOptions){ .color = "g", .size = "x" });
  tess_histogram (run, shared_frame, "a", &(TessChartOptions){ .bins = 12 });
  tess_line_chart (run, shared_frame, NULL, NULL, NULL);
  tess_dataframe (run, shared_frame, columns, &(TessDataframeOptions){ .height = 200 });
  return TRUE;
}

static TessFrame *
make_frame (void)
{
  double x[50], a[50], b[50];
  const char *g[50];
  TessColumn *columns[4];
  TessFrame *frame;

  for (int i = 0; i < 50; i++)
    {
      x[i] = i;
      a[i] = i * 0.5;
      b[i] = 50 - i;
      g[i] = i % 2 ? "odd" : "even";
    }
  columns[0] = tess_column_new_double ("x", x, 50);
  columns[1] = tess_column_new_double ("a", a, 50);
  columns[2] = tess_column_new_double ("b", b, 50);
  columns[3] = tess_column_new_strings ("g", g, 50);
  frame = tess_frame_new (columns, 4, NULL);
  for (int i = 0; i < 4; i++)
    tess_column_unref (columns[i]);
  return frame;
}

static gboolean
session_has_root (gpointer session)
{
  g_autoptr (TessElement) root = tess_session_is_idle (session) ? tess_session_get_scope_root (session, "") : NULL;

  return root != NULL;
}

static TessElement *
run_dashboard (TessSession **session_out)
{
  TessSession *session = tess_session_new (dashboard, NULL, NULL);

  tess_session_set_run_every_enabled (session, FALSE);
  tess_session_start (session);
  tess_test_poll_until (NULL, session_has_root, session, 10, "the dashboard's first run");
  *session_out = session;
  return tess_session_get_scope_root (session, "");
}

static const char *
spec_string (TessElement *element, const char *key)
{
  g_autoptr (GVariant) spec = tess_element_lookup (element, "spec", G_VARIANT_TYPE_VARDICT);
  const char *value = NULL;

  if (spec != NULL)
    g_variant_lookup (spec, key, "&s", &value);
  /* the strings live as long as the element's props */
  return value;
}

static void
test_specs (void)
{
  g_autoptr (TessSession) session = NULL;
  g_autoptr (TessElement) root = NULL;
  const char *kinds[] = { "line", "area", "bar", "scatter", "histogram", "line" };

  shared_frame = make_frame ();
  root = run_dashboard (&session);
  g_assert_cmpuint (tess_element_get_n_children (root), ==, 7);
  for (guint i = 0; i < 6; i++)
    {
      TessElement *chart = tess_element_get_child (root, i);

      g_assert_cmpint (tess_element_get_kind (chart), ==, TESS_ELEMENT_CHART);
      g_assert_true (tess_element_get_frame (chart) == shared_frame);
      g_assert_cmpstr (spec_string (chart, "kind"), ==, kinds[i]);
    }
  {
    TessElement *line = tess_element_get_child (root, 0);
    g_autoptr (GVariant) spec = tess_element_lookup (line, "spec", G_VARIANT_TYPE_VARDICT);
    g_autofree const char **y = NULL;
    gint32 height = 0;

    g_assert_cmpstr (spec_string (line, "x"), ==, "x");
    g_assert_cmpstr (spec_string (line, "title"), ==, "Lines");
    g_assert_true (g_variant_lookup (spec, "y", "^a&s", &y));
    g_assert_cmpstr (y[1], ==, "b");
    g_assert_true (g_variant_lookup (spec, "height", "i", &height));
    g_assert_cmpint (height, ==, 240);
  }
  {
    g_autoptr (GVariant) spec = tess_element_lookup (tess_element_get_child (root, 2), "spec", G_VARIANT_TYPE_VARDICT);
    gboolean horizontal = FALSE, legend = TRUE;

    g_assert_true (g_variant_lookup (spec, "horizontal", "b", &horizontal) && horizontal);
    g_assert_true (g_variant_lookup (spec, "legend", "b", &legend) && !legend);
  }
  g_assert_cmpstr (spec_string (tess_element_get_child (root, 3), "color"), ==, "g");
  g_assert_cmpstr (spec_string (tess_element_get_child (root, 4), "x"), ==, "a");
  g_assert_null (spec_string (tess_element_get_child (root, 5), "x"));
  {
    TessElement *table = tess_element_get_child (root, 6);

    g_assert_cmpint (tess_element_get_kind (table), ==, TESS_ELEMENT_TABLE);
    g_assert_true (tess_element_get_frame (table) == shared_frame);
  }
  tess_session_close (session);
  g_clear_pointer (&shared_frame, tess_frame_unref);
}

static void
test_widgets_take_elements (void)
{
  g_autoptr (TessSession) session = NULL;
  g_autoptr (TessElement) root = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *charts[6], *table;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gboolean ready;

  shared_frame = make_frame ();
  root = run_dashboard (&session);
  for (guint i = 0; i < 6; i++)
    {
      charts[i] = tess_chart_new ();
      tess_chart_set_element (TESS_CHART (charts[i]), tess_element_get_child (root, i));
      gtk_box_append (GTK_BOX (box), charts[i]);
    }
  table = tess_table_view_new ();
  tess_table_view_set_element (TESS_TABLE_VIEW (table), tess_element_get_child (root, 6));
  gtk_box_append (GTK_BOX (box), table);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  do
    {
      ready = TRUE;
      for (guint i = 0; i < 6; i++)
        ready = ready && tess_chart_is_ready (TESS_CHART (charts[i])) && tess_chart_get_data (TESS_CHART (charts[i]));
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  while (!ready);

  for (guint i = 0; i < 6; i++)
    g_assert_null (tess_chart_get_error (TESS_CHART (charts[i])));
  g_assert_cmpint (tess_chart_get_data (TESS_CHART (charts[2]))->kind, ==, TESS_CHART_BAR);
  g_assert_true (tess_chart_get_data (TESS_CHART (charts[2]))->horizontal);
  g_assert_false (tess_chart_get_data (TESS_CHART (charts[2]))->legend);
  /* no y: every numeric column */
  g_assert_cmpuint (tess_chart_get_data (TESS_CHART (charts[5]))->series->len, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (
                        gtk_column_view_get_columns (tess_table_view_get_column_view (TESS_TABLE_VIEW (table)))),
                    ==, 2);

  /* the reconciler sets the same element again on every update: nothing happens */
  {
    TessChartData *before = tess_chart_get_data (TESS_CHART (charts[0]));
    TessTableModel *model = tess_table_view_get_model (TESS_TABLE_VIEW (table));

    tess_chart_set_element (TESS_CHART (charts[0]), tess_element_get_child (root, 0));
    tess_table_view_set_element (TESS_TABLE_VIEW (table), tess_element_get_child (root, 6));
    g_assert_true (tess_chart_is_ready (TESS_CHART (charts[0])));
    g_assert_true (tess_chart_get_data (TESS_CHART (charts[0])) == before);
    g_assert_true (tess_table_view_get_model (TESS_TABLE_VIEW (table)) == model);
  }
  /* clearing */
  tess_chart_set_element (TESS_CHART (charts[0]), NULL);
  g_assert_null (tess_chart_get_data (TESS_CHART (charts[0])));

  gtk_window_destroy (GTK_WINDOW (window));
  tess_session_close (session);
  g_clear_pointer (&shared_frame, tess_frame_unref);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  /* Without a session bus (a bare xvfb-run) GTK warns that it cannot reach the
   * settings portal; that is the environment. Criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/Charts/elements/specs", test_specs);
  g_test_add_func ("/Charts/elements/widgets", test_widgets_take_elements);
  return g_test_run ();
}
