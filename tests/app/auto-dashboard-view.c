/* auto-dashboard-view.c: an automatic dashboard as the window shows it: a
 * column of a few values gets a bar chart whose bars each have room for
 * their label, measured on the laid-out chart. */
#include "../widgets/widget-test-host.h"

#include "tess-app-private.h"
#include "tess-chart-private.h"
#include "tess-test-dir.h"
#include "tess-window.h"

static gboolean
window_idle (gpointer data)
{
  TessWindow *window = data;
  TessSession *session = tess_window_get_session (window);

  return session != NULL && tess_session_is_idle (session) &&
         !tess_dashboard_view_get_busy (tess_window_get_view (window));
}

/* The first TessChart under @widget. */
static GtkWidget *
find_chart (GtkWidget *widget)
{
  if (TESS_IS_CHART (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_chart (child);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
chart_ready (gpointer data)
{
  return tess_chart_get_data (data) != NULL && tess_chart_is_ready (data);
}

static void
test_few_values_read_well (void)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-auto-view-XXXXXX");
  g_autoptr (GString) csv = g_string_new ("species,sex\n");
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  TessWindow *window = tess_window_new (NULL);
  TessSlot *slot;
  GtkWidget *chart;
  TessChartLayout layout;

  for (guint i = 0; i < 120; i++)
    g_string_append_printf (csv, "%s,%s\n", (const char *[]){ "Adelie", "Gentoo", "Chinstrap" }[i % 3],
                            (const char *[]){ "MALE", "FEMALE", "" }[(i / 3) % 3]);
  path = tess_test_dir_write_file (dir, "penguins.csv", csv->str);
  file = g_file_new_for_path (path);
  tess_window_set_remember_state (window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tess_window_open_file (window, file, &error));
  g_assert_no_error (error);
  tess_test_wait_until (NULL, window_idle, window, 10, "the dashboard to be idle");

  /* the fragment is the column's, by name */
  slot = tess_reconciler_lookup_slot (tess_dashboard_view_get_reconciler (tess_window_get_view (window)), "sex");
  g_assert_nonnull (slot);
  chart = find_chart (GTK_WIDGET (slot));
  g_assert_nonnull (chart);
  tess_test_wait_until (NULL, chart_ready, chart, 10, "the chart to draw");
  test_host_spin (20);
  g_assert_true (tess_chart_get_layout (TESS_CHART (chart), &layout));
  /* two bars, each as tall as a line of text at least, labelled both */
  g_assert_true (layout.horizontal);
  g_assert_cmpfloat (layout.height / 2, >=, 24);
  g_assert_cmpuint (layout.n_y_labels, ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  test_host_spin (10);
  tess_test_dir_remove (dir);
}

int
main (int argc, char **argv)
{
  test_host_use_build_schema ();
  test_host_init (&argc, &argv);

  g_test_add_func ("/AutoDashboard/few-values-read-well", test_few_values_read_well);
  return g_test_run ();
}
