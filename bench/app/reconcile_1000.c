/* reconcile_1000.c: one update that changes 1000 elements.
 *
 *   app.reconcile_1000_ms   (goal <= 8)
 *
 * A fragment emits 1000 text elements whose text includes the run count;
 * two successive runs give two element trees in which every element changed.
 * The reconciler applies them alternately to a mapped box (the widgets exist
 * from the first application); each application is timed. Median of 21.
 */
#include <adwaita.h>
#include <stdlib.h>

#include "tess-reconciler.h"
#include "tess-charts.h"
#include "tess-load.h"
#include "tess-session.h"

static gboolean
many_body (TessRun *run, gpointer user_data, GError **error)
{
  guint count = tess_run_get_count (run);

  for (guint i = 0; i < 1000; i++)
    tess_textf (run, "row %u, run %u", i, count);
  return TRUE;
}

static gboolean
dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "many", many_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
on_idle (TessSession *session, gboolean *done)
{
  *done = TRUE;
}

static TessElement *
run_once (TessSession *session, gboolean rerun)
{
  gboolean done = FALSE;
  gulong handler = g_signal_connect (session, "idle", G_CALLBACK (on_idle), &done);

  if (rerun)
    tess_session_rerun_fragment (session, "many");
  else
    tess_session_start (session);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (session, handler);
  return tess_session_get_scope_root (session, "many");
}

static int
compare (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  g_autoptr (TessSession) session = NULL;
  g_autoptr (TessReconciler) reconciler = NULL;
  g_autoptr (TessElement) first = NULL;
  g_autoptr (TessElement) second = NULL;
  GtkWidget *window, *scroller, *box;
  double times[21];

  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_init ();
  adw_init ();
  session = tess_session_new (dashboard, NULL, NULL);
  first = run_once (session, FALSE);
  second = run_once (session, TRUE);
  g_assert_cmpuint (tess_element_get_n_children (first), ==, 1000);
  g_assert_cmpuint (tess_element_get_n_children (second), ==, 1000);

  window = gtk_window_new ();
  scroller = gtk_scrolled_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  reconciler = tess_reconciler_new (NULL);
  tess_reconciler_apply (reconciler, box, first, G_MAXUINT);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 start = g_get_monotonic_time ();
      tess_reconciler_apply (reconciler, box, i % 2 == 0 ? second : first, G_MAXUINT);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      /* Lay out and paint between updates, as the window would. */
      for (guint j = 0; j < 5; j++)
        g_main_context_iteration (NULL, FALSE);
    }
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], compare);
  g_print ("# 1000 changed text elements, %u updates: best %.2f ms, worst %.2f ms\n", (guint) G_N_ELEMENTS (times),
           times[0], times[G_N_ELEMENTS (times) - 1]);
  g_print ("bench: app.reconcile_1000_ms %.2f ms (goal <= 8)\n", times[G_N_ELEMENTS (times) / 2]);

  tess_session_close (session);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
