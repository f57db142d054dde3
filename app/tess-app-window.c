/* tess-app-window.c: tess_app_run_window(), the windowed host.
 *
 * Runs the TessApplication; with --screenshot it waits until the dashboard is
 * idle and every update is on screen, lets one more frame be painted, renders
 * the window to a PNG of --size and exits (0 when every fragment succeeded).
 * Two environment variables serve the benchmarks: TESSERA_REPORT_FIRST_FRAME
 * prints "tessera: first-frame" when the first frame has been painted, and
 * TESSERA_STALL_PROBE prints the longest main-loop stall at exit.
 */
#include "tess-app-private.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "tess-app-config.h"
#include "tess-application.h"
#include "tess-chart.h"
#include "tess-stall-probe.h"
#include "tess-window.h"

/* A screenshot run that is still not idle after this long is rendered as it is. */
#define TESS_SCREENSHOT_TIMEOUT_S 120

typedef struct
{
  TessAppOptions *options;
  TessApplication *app;
  TessWindow *window;
  gboolean idle_seen;
  gboolean shot_taken;
  gulong after_paint_id;
  GdkFrameClock *frame_clock;
  guint timeout_id;
} Host;

static void
take_screenshot (Host *host, gboolean timed_out)
{
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (host->shot_taken)
    return;
  host->shot_taken = TRUE;
  if (!tess_window_save_png (host->window, host->options->screenshot_path, host->options->width, host->options->height,
                             &error))
    {
      g_printerr ("%s\n", error->message);
      status = 1;
    }
  else if (timed_out)
    {
      g_printerr (_ ("The dashboard was still running after %d s; the screenshot shows it unfinished\n"),
                  TESS_SCREENSHOT_TIMEOUT_S);
      status = 1;
    }
  else if (tess_dashboard_view_count_errors (tess_window_get_view (host->window)) > 0)
    status = 1;
  tess_application_set_exit_status (host->app, status);
  gtk_window_close (GTK_WINDOW (host->window));
}

/* Charts prepare and decimate on workers after their element arrives; a
 * screenshot waits for every chart on screen to have drawn its data. */
static gboolean
charts_ready (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return TRUE;
  if (TESS_IS_CHART (widget) && !tess_chart_is_ready (TESS_CHART (widget)))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!charts_ready (child))
      return FALSE;
  return TRUE;
}

static void
host_screenshot_after_paint_cb (GdkFrameClock *clock, Host *host)
{
  g_assert (GDK_IS_FRAME_CLOCK (clock));

  if (!charts_ready (GTK_WIDGET (host->window)))
    {
      /* A chart that becomes ready redraws; this keeps frames coming meanwhile. */
      gtk_widget_queue_draw (GTK_WIDGET (host->window));
      return;
    }
  g_clear_signal_handler (&host->after_paint_id, clock);
  take_screenshot (host, FALSE);
}

/* Waits for one more painted frame, so what is rendered is what was laid out
 * after the last update. */
static void
wait_for_frame (Host *host)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (host->window)) || host->after_paint_id != 0)
    return;
  host->frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (host->window));
  host->after_paint_id =
      g_signal_connect (host->frame_clock, "after-paint", G_CALLBACK (host_screenshot_after_paint_cb), host);
  gtk_widget_queue_draw (GTK_WIDGET (host->window));
}

static void
host_view_idle_cb (TessDashboardView *view, Host *host)
{
  g_assert (TESS_IS_DASHBOARD_VIEW (view));

  host->idle_seen = TRUE;
  wait_for_frame (host);
}

static void
host_window_map_cb (GtkWidget *window, Host *host)
{
  g_assert (GTK_IS_WINDOW (window));

  if (host->idle_seen)
    wait_for_frame (host);
}

static gboolean
host_screenshot_timeout_cb (gpointer user_data)
{
  Host *host = user_data;

  host->timeout_id = 0;
  take_screenshot (host, TRUE);
  return G_SOURCE_REMOVE;
}

static void
first_frame_after_paint_cb (GdkFrameClock *clock, gpointer user_data)
{
  g_assert (GDK_IS_FRAME_CLOCK (clock));

  gulong *handler = user_data;

  g_clear_signal_handler (handler, clock);
  fputs ("tessera: first-frame\n", stdout);
  fflush (stdout);
}

static void
first_frame_window_map_cb (GtkWidget *window, gpointer user_data)
{
  static gulong handler;

  g_assert (GTK_IS_WINDOW (window));

  if (handler != 0)
    return;
  handler = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                              G_CALLBACK (first_frame_after_paint_cb), &handler);
}

static void
host_app_activate_cb (GApplication *application, Host *host)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  g_assert (G_IS_APPLICATION (application));

  if (host->window != NULL || !TESS_IS_WINDOW (window))
    return;
  host->window = TESS_WINDOW (window);
  if (g_getenv ("TESSERA_REPORT_FIRST_FRAME") != NULL)
    {
      if (gtk_widget_get_mapped (GTK_WIDGET (window)))
        first_frame_window_map_cb (GTK_WIDGET (window), NULL);
      else
        g_signal_connect (window, "map", G_CALLBACK (first_frame_window_map_cb), NULL);
    }
  if (host->options->screenshot_path != NULL)
    {
      g_signal_connect (tess_window_get_view (host->window), "idle", G_CALLBACK (host_view_idle_cb), host);
      g_signal_connect_after (window, "map", G_CALLBACK (host_window_map_cb), host);
      host->timeout_id = g_timeout_add_seconds (TESS_SCREENSHOT_TIMEOUT_S, host_screenshot_timeout_cb, host);
    }
}

int
tess_app_run_window (TessAppOptions *options)
{
  g_autoptr (TessApplication) app = NULL;
  g_autoptr (TessStallProbe) probe = NULL;
  g_autoptr (GError) error = NULL;
  char *argv[] = { (char *) g_get_prgname (), NULL };
  Host host = { options };
  TessSession *session;
  int status;

  g_return_val_if_fail (options != NULL, 1);
  g_return_val_if_fail (options->dashboard != NULL, 1);

  bindtextdomain (GETTEXT_PACKAGE, TESS_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A screenshot is one still frame rendered offscreen, often on a headless
   * server (Xvfb) where GL is emulated in software and slow enough to starve
   * the main loop; cairo renders it quickly everywhere. */
  if (options->screenshot_path != NULL)
    g_setenv ("GSK_RENDERER", "cairo", FALSE);

  app = tess_application_new (options);
  host.app = app;
  g_signal_connect_after (app, "activate", G_CALLBACK (host_app_activate_cb), &host);
  if (g_getenv ("TESSERA_STALL_PROBE") != NULL)
    probe = tess_stall_probe_new ();

  status = g_application_run (G_APPLICATION (app), 1, argv);
  if (status == 0)
    status = tess_application_get_exit_status (app);
  g_clear_handle_id (&host.timeout_id, g_source_remove);
  if (host.after_paint_id != 0 && host.frame_clock != NULL)
    g_clear_signal_handler (&host.after_paint_id, host.frame_clock);

  if (probe != NULL)
    g_print ("tessera: longest main-loop stall %.2f ms\n", tess_stall_probe_get_max_ms (probe));
  session = tess_application_get_session (app);
  if (session != NULL && !tess_app_write_timeline (options, session, &error))
    {
      g_printerr ("%s\n", error->message);
      status = status == 0 ? 1 : status;
    }
  return status;
}
