/* live-header.c: the header of a window showing a live dashboard.
 *
 * A fragment reruns every 100 ms with new output each time. The header's
 * run line, which tells how long the runs took, changes at most once a
 * second however often they come, and a dashboard whose runs are quick
 * never flashes "running" in it; once the runs stop it tells how long the
 * last ones took.
 */
#include "../widgets/widget-test-host.h"

#include "tess-window.h"

static gint ticks;

static gboolean
tick_body (TessRun *run, gpointer user_data, GError **error)
{
  tess_textf (run, "tick %d", g_atomic_int_add (&ticks, 1));
  return TRUE;
}

static gboolean
live_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  TessFragmentOptions options = { .flags = TESS_FRAGMENT_PARALLEL, .run_every = 0.1 };

  tess_title (run, "Live");
  tess_fragment_full (run, "ticker", tick_body, NULL, NULL, &options);
  return TRUE;
}

typedef struct
{
  TessWindow *window;
  char *text;
  GArray *changed_us; /* gint64: when the run line changed */
  gboolean running_shown;
} Watch;

static gboolean
watch_cb (gpointer data)
{
  Watch *watch = data;
  const char *text = tess_window_get_run_text (watch->window);

  if (g_strcmp0 (text, watch->text) != 0)
    {
      gint64 now = g_get_monotonic_time ();

      g_free (watch->text);
      watch->text = g_strdup (text);
      g_array_append_val (watch->changed_us, now);
      watch->running_shown = watch->running_shown || g_str_has_suffix (text, "running");
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
ticks_at_least (gpointer data)
{
  return g_atomic_int_get (&ticks) >= GPOINTER_TO_INT (data);
}

static gboolean
spin_done (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static void
test_run_line_once_a_second (void)
{
  TessWindow *window = tess_window_new (NULL);
  Watch watch = { window, NULL, g_array_new (FALSE, FALSE, sizeof (gint64)), FALSE };
  gint64 until;
  guint watch_id;
  gint ticks_before;

  tess_window_set_remember_state (window, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  tess_window_show_dashboard (window, live_dashboard, NULL, NULL, "Live", NULL);
  tess_test_wait_until (NULL, ticks_at_least, GINT_TO_POINTER (3), 30, "the first reruns");

  /* Three seconds of reruns, each with new output. */
  ticks_before = g_atomic_int_get (&ticks);
  watch.text = g_strdup (tess_window_get_run_text (window));
  watch_id = g_timeout_add (5, watch_cb, &watch);
  until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  tess_test_wait_until (NULL, spin_done, &until, 30, "three seconds");
  g_source_remove (watch_id);
  g_test_message ("%d reruns, %u changes of the run line", g_atomic_int_get (&ticks) - ticks_before,
                  watch.changed_us->len);
  g_assert_cmpint (g_atomic_int_get (&ticks) - ticks_before, >=, 6);
  for (guint i = 1; i < watch.changed_us->len; i++)
    g_assert_cmpint (g_array_index (watch.changed_us, gint64, i) - g_array_index (watch.changed_us, gint64, i - 1), >=,
                     G_USEC_PER_SEC - 50 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (watch.running_shown);

  /* The runs stop: the line tells how long the last ones took. */
  tess_session_set_run_every_enabled (tess_window_get_session (window), FALSE);
  until = g_get_monotonic_time () + 1500 * G_TIME_SPAN_MILLISECOND;
  tess_test_wait_until (NULL, spin_done, &until, 30, "the runs to stop");
  g_assert_true (g_str_has_prefix (tess_window_get_run_text (window), "Ran in "));

  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (watch.changed_us);
  g_free (watch.text);
}

int
main (int argc, char **argv)
{
  test_host_init (&argc, &argv);

  g_test_add_func ("/Window/live-run-line", test_run_line_once_a_second);
  return g_test_run ();
}
