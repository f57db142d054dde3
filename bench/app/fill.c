/* fill.c: from the window's first frame to a whole dashboard on screen.
 *
 *   app.fill_default_ms   (goal <= 100)
 *   app.fill_auto_ms      (goal <= 150)
 *
 * A TessWindow is presented and paints its first frame; then it is given a
 * dashboard, whose session starts at once. The figure is the time from then
 * until the first frame after which every slot is done and drawn (mapped,
 * laid out, its charts holding their data), minus the runs' own time (the
 * latest end of a run, from the session's timeline): what the window adds
 * to the runs. The default dashboard, and the automatic dashboard of a JSON
 * file of 344 rows and 7 columns (the shape of the penguins dataset, made up
 * here). One warm-up, then five runs of each; the median is reported. Needs
 * a display (xvfb-run; the cairo renderer is used there). With FILL_TRACE
 * set, every frame's phases are printed.
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "tess-app-private.h"
#include "tess-chart-private.h"
#include "tess-document-open.h"
#include "tess-window.h"

#define N_RUNS 5

typedef struct
{
  TessWindow *window;
  gboolean trace;
  gboolean first_frame;
  gint64 start_us; /* the dashboard was given */
  gint64 end_us;   /* the frame that showed all of it */
  gint64 before_paint_us, update_us, layout_us, paint_us;
  guint frames;
} Fill;

/* Every chart below @widget draws its data. */
static gboolean
charts_drawn (GtkWidget *widget)
{
  if (TESS_IS_CHART (widget) && tess_chart_get_data (TESS_CHART (widget)) == NULL &&
      tess_chart_get_error (TESS_CHART (widget)) == NULL)
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!charts_drawn (child))
      return FALSE;
  return TRUE;
}

/* Every slot done, mapped and laid out, as the frame just painted showed it. */
static gboolean
all_shown (TessWindow *window)
{
  TessDashboardView *view = tess_window_get_view (window);
  TessReconciler *reconciler = tess_dashboard_view_get_reconciler (view);
  g_autoptr (GList) slots = NULL;

  if (reconciler == NULL || !tess_session_is_idle (tess_window_get_session (window)) ||
      tess_dashboard_view_get_busy (view))
    return FALSE;
  slots = tess_reconciler_get_slots (reconciler);
  for (GList *l = slots; l != NULL; l = l->next)
    {
      GtkWidget *slot = l->data;

      if (tess_slot_get_state (l->data) != TESS_SCOPE_DONE || !gtk_widget_get_mapped (slot) ||
          gtk_widget_get_height (slot) <= 0 || !charts_drawn (slot))
        return FALSE;
    }
  return TRUE;
}

static void
before_paint_cb (GdkFrameClock *clock, Fill *fill)
{
  fill->before_paint_us = g_get_monotonic_time ();
}

static void
update_cb (GdkFrameClock *clock, Fill *fill)
{
  fill->update_us = g_get_monotonic_time ();
}

static void
layout_cb (GdkFrameClock *clock, Fill *fill)
{
  fill->layout_us = g_get_monotonic_time ();
}

static void
paint_cb (GdkFrameClock *clock, Fill *fill)
{
  fill->paint_us = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock, Fill *fill)
{
  gint64 now = g_get_monotonic_time ();

  if (!fill->first_frame)
    {
      fill->first_frame = TRUE;
      return;
    }
  if (fill->start_us == 0 || fill->end_us != 0)
    return;
  fill->frames++;
  if (fill->trace)
    g_print ("# frame %2u at %6.1f ms: update %5.2f, layout %5.2f, paint %5.2f, after %5.2f ms\n", fill->frames,
             (fill->before_paint_us - fill->start_us) / 1000.0, (fill->update_us - fill->before_paint_us) / 1000.0,
             (fill->layout_us - fill->update_us) / 1000.0, (fill->paint_us - fill->layout_us) / 1000.0,
             (now - fill->paint_us) / 1000.0);
  if (all_shown (fill->window))
    fill->end_us = now;
}

/* The window's time beyond the runs', in ms; @frames_out: frames it took. */
static double
fill_once (TessFragmentFunc dashboard, gpointer user_data, guint *frames_out)
{
  Fill fill = { .trace = g_getenv ("FILL_TRACE") != NULL };
  g_autoptr (GPtrArray) records = NULL;
  GdkFrameClock *clock;
  double ran_ms = 0;

  fill.window = tess_window_new (NULL);
  tess_window_set_remember_state (fill.window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (fill.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fill.window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (fill.window)))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (fill.window));
  g_signal_connect_after (clock, "before-paint", G_CALLBACK (before_paint_cb), &fill);
  g_signal_connect_after (clock, "update", G_CALLBACK (update_cb), &fill);
  g_signal_connect_after (clock, "layout", G_CALLBACK (layout_cb), &fill);
  g_signal_connect_after (clock, "paint", G_CALLBACK (paint_cb), &fill);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), &fill);
  gtk_widget_queue_draw (GTK_WIDGET (fill.window));
  while (!fill.first_frame)
    g_main_context_iteration (NULL, TRUE);

  fill.start_us = g_get_monotonic_time ();
  tess_window_show_dashboard (fill.window, dashboard, user_data, NULL, "Fill", NULL);
  while (fill.end_us == 0)
    g_main_context_iteration (NULL, TRUE);

  records = tess_session_get_timeline (tess_window_get_session (fill.window));
  for (guint i = 0; i < records->len; i++)
    {
      TessRunRecord *record = g_ptr_array_index (records, i);

      g_assert_cmpint (record->status, ==, TESS_RUN_OK);
      ran_ms = MAX (ran_ms, record->end_ms);
    }
  if (fill.trace)
    g_print ("# shown after %.1f ms, the runs ended at %.1f ms\n", (fill.end_us - fill.start_us) / 1000.0, ran_ms);
  g_signal_handlers_disconnect_by_data (clock, &fill);
  gtk_window_destroy (GTK_WINDOW (fill.window));
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  *frames_out = fill.frames;
  return MAX ((fill.end_us - fill.start_us) / 1000.0 - ran_ms, 0);
}

static int
compare (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
report (const char *name, const char *what, double goal, TessFragmentFunc dashboard, gpointer user_data)
{
  double runs[N_RUNS];
  guint frames, min_frames = G_MAXUINT, max_frames = 0;

  fill_once (dashboard, user_data, &frames);
  for (guint i = 0; i < N_RUNS; i++)
    {
      runs[i] = fill_once (dashboard, user_data, &frames);
      min_frames = MIN (min_frames, frames);
      max_frames = MAX (max_frames, frames);
    }
  qsort (runs, N_RUNS, sizeof runs[0], compare);
  g_print ("# %s, %u runs: best %.1f ms, worst %.1f ms, %u to %u frames\n", what, N_RUNS, runs[0], runs[N_RUNS - 1],
           min_frames, max_frames);
  g_print ("bench: %s %.1f ms (goal <= %.0f)\n", name, runs[N_RUNS / 2], goal);
}

/* A JSON file of 344 rows and 7 columns, like the penguins dataset: two
 * text columns of three values, four measurements and a text column with
 * missing values. */
static char *
write_penguins (const char *dir)
{
  static const char *species[] = { "Adelie", "Chinstrap", "Gentoo" };
  static const char *islands[] = { "Torgersen", "Biscoe", "Dream" };
  g_autoptr (GString) json = g_string_new ("[\n");
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (dir, "penguins.json", NULL);
  GRand *rand = g_rand_new_with_seed (344);

  for (guint i = 0; i < 344; i++)
    {
      guint kind = g_rand_int_range (rand, 0, 3);
      int sex = g_rand_int_range (rand, 0, 5);

      g_string_append_printf (
          json,
          "  {\"species\": \"%s\", \"island\": \"%s\", \"bill_length_mm\": %.1f, \"bill_depth_mm\": %.1f, "
          "\"flipper_length_mm\": %d, \"body_mass_g\": %d, \"sex\": %s}%s\n",
          species[kind], islands[g_rand_int_range (rand, 0, 3)], g_rand_double_range (rand, 32, 60),
          g_rand_double_range (rand, 13, 21.5), g_rand_int_range (rand, 172, 232), g_rand_int_range (rand, 2700, 6300),
          sex == 0  ? "null"
          : sex % 2 ? "\"MALE\""
                    : "\"FEMALE\"",
          i + 1 < 344 ? "," : "");
    }
  g_string_append (json, "]\n");
  g_rand_free (rand);
  if (!g_file_set_contents (path, json->str, json->len, &error))
    g_error ("%s", error->message);
  return path;
}

int
main (int argc, char **argv)
{
  g_auto (TessAppOptions) options = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;

  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();

  report ("app.fill_default_ms", "the default dashboard", 100, tess_document_default_dashboard_run, NULL);

  dir = g_dir_make_tmp ("tessera-fill-XXXXXX", &error);
  g_assert_no_error (error);
  options.target = write_penguins (dir);
  if (!tess_app_open_target (&options, &error))
    g_error ("%s", error->message);
  report ("app.fill_auto_ms", "the automatic dashboard of 344 rows and 7 columns", 150, options.dashboard,
          options.user_data);
  g_unlink (options.target);
  g_rmdir (dir);
  return 0;
}
