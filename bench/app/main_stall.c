/* main_stall.c: the longest main-loop stall while fragments deliver.
 *
 *   app.main_stall_ms   (goal <= 17, one frame at 60 Hz)
 *
 * The window's dashboard view shows the seed example beside 64 more parallel
 * fragments, each reporting progress ten times and then delivering a title,
 * a metric and a few lines of text. A TessStallProbe (a 1 ms heartbeat at high
 * priority) records the longest gap from the first run to idle; applying
 * updates, layout and paint all count, so the goal is that no frame takes
 * longer than a frame interval while the dashboard fills as fast as frames
 * allow. Needs a display (xvfb-run; the cairo renderer is used there).
 */
#include <adwaita.h>

#include "tess-app-private.h"
#include "tess-dashboard-view.h"
#include "tess-stall-probe.h"
#include "tessera.h"

#define N_EXTRA 64

static gboolean
extra_body (TessRun *run, gpointer user_data, GError **error)
{
  guint index = GPOINTER_TO_UINT (user_data);

  for (guint step = 1; step <= 10; step++)
    {
      tess_run_set_progress (run, step / 10.0, "Loading");
      if (!tess_run_wait (run, 0.05 + 0.01 * (index % 7)))
        return TRUE;
    }
  tess_subheader (run, "Section");
  tess_metric (run, "Rows", "1 024", "+3%");
  for (guint i = 0; i < 4; i++)
    tess_textf (run, "fragment %u line %u", index, i);
  return TRUE;
}

static gboolean
dashboard (TessRun *run, gpointer user_data, GError **error)
{
  if (!tess_seed_dashboard (run, NULL, error))
    return FALSE;
  tess_columns_begin (run);
  for (guint column = 0; column < 4; column++)
    {
      tess_column_begin (run, 1);
      for (guint i = column; i < N_EXTRA; i += 4)
        {
          char key[32];
          g_snprintf (key, sizeof key, "extra-%u", i);
          tess_fragment (run, key, extra_body, GUINT_TO_POINTER (i), TESS_FRAGMENT_PARALLEL);
        }
      tess_end (run);
    }
  tess_end (run);
  return TRUE;
}

static void
on_idle (TessDashboardView *view, gboolean *done)
{
  *done = TRUE;
}

static gboolean
on_baseline_done (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The same probe on an idle main loop: what the machine itself adds (other
 * processes taking the CPU show up as stalls too). */
static double
baseline (void)
{
  g_autoptr (TessStallProbe) probe = tess_stall_probe_new ();
  gboolean done = FALSE;

  g_timeout_add (2000, on_baseline_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return tess_stall_probe_get_max_ms (probe);
}

static double
one_run (void)
{
  g_autoptr (TessSession) session = tess_session_new (dashboard, NULL, NULL);
  g_autoptr (TessStallProbe) probe = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = tess_dashboard_view_new ();
  gboolean done = FALSE;
  double stall;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), view);
  tess_dashboard_view_set_session (TESS_DASHBOARD_VIEW (view), session);
  g_signal_connect (view, "idle", G_CALLBACK (on_idle), &done);
  gtk_window_present (GTK_WINDOW (window));
  /* Let the window map and paint its first frame before measuring. */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  probe = tess_stall_probe_new ();
  tess_session_start (session);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  stall = tess_stall_probe_get_max_ms (probe);

  tess_session_close (session);
  gtk_window_destroy (GTK_WINDOW (window));
  return stall;
}

int
main (int argc, char **argv)
{
  double best = G_MAXDOUBLE, worst = 0;

  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_init ();
  adw_init ();
  for (guint i = 0; i < 3; i++)
    {
      double stall = one_run ();
      best = MIN (best, stall);
      worst = MAX (worst, stall);
    }
  g_print ("# seed example + %d fragments, 3 runs: best %.2f ms, worst %.2f ms\n", N_EXTRA, best, worst);
  g_print ("# the probe on an idle main loop meanwhile: %.2f ms\n", baseline ());
  g_print ("bench: app.main_stall_ms %.2f ms (goal <= 17)\n", best);
  return 0;
}
