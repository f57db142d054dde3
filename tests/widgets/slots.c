/* slots.c: every state a fragment's slot shows, with a real session.
 *
 * First run pending (spinner, elapsed time, status and progress), done, a
 * rerun (previous content kept and dimmed until replaced), an error card
 * (message, details, Retry that reruns only that fragment), a cancelled
 * run (back to the last good content), and a live refresh that fails (the
 * last good content stays, the error a badge with a Retry).
 */
#include "widget-test-host.h"

#include <string.h>

#include "tess-spinner.h"

static gboolean
slow_body (TessRun *run, gpointer user_data, GError **error)
{
  tess_run_set_progress (run, 0.25, "Loading sales");
  if (!tess_run_wait (run, 0.6))
    return TRUE;
  tess_text (run, "sales loaded");
  return TRUE;
}

static gboolean
pending_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_title (run, "Slots");
  tess_fragment (run, "slow", slow_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

typedef struct
{
  TestHost *host;
  const char *path;
} SlotRef;

static gboolean
status_shown (gpointer data)
{
  SlotRef *ref = data;
  TessSlot *slot = tess_reconciler_lookup_slot (tess_dashboard_view_get_reconciler (ref->host->view), ref->path);
  GtkWidget *status;

  if (slot == NULL)
    return FALSE;
  status = tess_slot_get_part (slot, "status");
  return gtk_widget_get_visible (status) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (status)), "Loading sales") == 0;
}

static void
test_pending_then_done (void)
{
  TestHost *host = test_host_new (pending_dashboard, NULL);
  SlotRef ref = { host, "slow" };
  TessSlot *slot;

  tess_test_wait_until (NULL, status_shown, &ref, 5, "the fragment's status");
  slot = test_host_slot (host, "slow");
  g_assert_true (tess_slot_get_state (slot) == TESS_SCOPE_PENDING || tess_slot_get_state (slot) == TESS_SCOPE_RUNNING);
  g_assert_true (gtk_widget_get_visible (tess_slot_get_part (slot, "pending")));
  g_assert_true (gtk_widget_get_visible (tess_slot_get_part (slot, "spinner")));
  g_assert_true (tess_spinner_get_spinning (TESS_SPINNER (tess_slot_get_part (slot, "spinner"))));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (tess_slot_get_part (slot, "elapsed"))), "Running"));
  g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (tess_slot_get_part (slot, "elapsed"))), " s"));
  g_assert_true (gtk_widget_get_visible (tess_slot_get_part (slot, "progress")));
  g_assert_cmpfloat_with_epsilon (
      gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (tess_slot_get_part (slot, "progress"))), 0.25, 1e-9);
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (slot, "error")));
  /* The slot is in place under the dashboard's title while it runs. */
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (slot), GTK_WIDGET (test_host_slot (host, ""))));

  test_host_wait_idle (host);
  g_assert_cmpint (tess_slot_get_state (slot), ==, TESS_SCOPE_DONE);
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (slot, "pending")));
  g_assert_false (tess_spinner_get_spinning (TESS_SPINNER (tess_slot_get_part (slot, "spinner"))));
  g_assert_true (gtk_widget_get_visible (tess_slot_get_content (slot)));
  g_assert_cmpstr (test_host_label_text (test_host_child (host, "slow", 0)), ==, "sales loaded");
  test_host_free (host);
}

/* Rerun: the first element comes at once, the second after a wait. */
static gboolean
rerun_body (TessRun *run, gpointer user_data, GError **error)
{
  guint count = tess_run_get_count (run);

  tess_textf (run, "run %u", count);
  if (count > 1 && !tess_run_wait (run, 0.5))
    return TRUE;
  tess_text (run, "chart goes here");
  return TRUE;
}

static gboolean
rerun_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "numbers", rerun_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

typedef struct
{
  TestHost *host;
  const char *text;
} TextRef;

static gboolean
first_child_says (gpointer data)
{
  TextRef *ref = data;
  return g_strcmp0 (test_host_label_text (test_host_child (ref->host, "numbers", 0)), ref->text) == 0;
}

static void
test_rerun_keeps_stale_content (void)
{
  TestHost *host = test_host_new (rerun_dashboard, NULL);
  TextRef ref = { host, "run 2" };
  GtkWidget *first, *second;
  TessSlot *slot;

  test_host_wait_idle (host);
  slot = test_host_slot (host, "numbers");
  first = test_host_child (host, "numbers", 0);
  second = test_host_child (host, "numbers", 1);
  g_assert_false (gtk_widget_has_css_class (second, "tess-stale"));

  g_assert_true (tess_session_rerun_fragment (host->session, "numbers"));
  tess_test_wait_until (NULL, first_child_says, &ref, 5, "the rerun's first output");
  /* Mid-run: the new first element replaced the old one in place; the old
   * second element is still shown, dimmed. */
  g_assert_cmpint (tess_slot_get_state (slot), ==, TESS_SCOPE_RUNNING);
  g_assert_true (test_host_child (host, "numbers", 0) == first);
  g_assert_true (test_host_child (host, "numbers", 1) == second);
  g_assert_false (gtk_widget_has_css_class (first, "tess-stale"));
  g_assert_true (gtk_widget_has_css_class (second, "tess-stale"));
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (slot, "spinner")));

  test_host_wait_idle (host);
  g_assert_cmpint (tess_slot_get_state (slot), ==, TESS_SCOPE_DONE);
  g_assert_cmpuint (test_host_n_children (host, "numbers"), ==, 2);
  g_assert_true (test_host_child (host, "numbers", 1) == second);
  g_assert_false (gtk_widget_has_css_class (second, "tess-stale"));
  test_host_free (host);
}

/* Error: the first run fails, a retry succeeds. */
static gboolean
flaky_body (TessRun *run, gpointer user_data, GError **error)
{
  if (tess_run_get_count (run) == 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE,
                   "Could not reach the sales server\nconnection refused on port 443");
      return FALSE;
    }
  tess_text (run, "recovered");
  return TRUE;
}

static gboolean
steady_body (TessRun *run, gpointer user_data, GError **error)
{
  tess_textf (run, "steady %u", tess_run_get_count (run));
  return TRUE;
}

static gboolean
error_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "flaky", flaky_body, NULL, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "steady", steady_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_error_card_and_retry (void)
{
  TestHost *host = test_host_new (error_dashboard, NULL);
  TessSlot *flaky, *steady;
  GtkWidget *details;

  test_host_wait_idle (host);
  flaky = test_host_slot (host, "flaky");
  steady = test_host_slot (host, "steady");
  g_assert_cmpint (tess_slot_get_state (flaky), ==, TESS_SCOPE_ERROR);
  g_assert_true (gtk_widget_get_visible (tess_slot_get_part (flaky, "error")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_slot_get_part (flaky, "message"))), ==,
                   "Could not reach the sales server");
  details = tess_slot_get_part (flaky, "details");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (details)), "connection refused on port 443"));
  g_assert_true (gtk_widget_get_visible (tess_slot_get_part (flaky, "details-expander")));
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (tess_slot_get_part (flaky, "details-expander"))));
  /* The error stays in its slot. */
  g_assert_cmpint (tess_slot_get_state (steady), ==, TESS_SCOPE_DONE);
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (steady, "error")));
  g_assert_cmpuint (tess_dashboard_view_count_errors (host->view), ==, 1);

  g_signal_emit_by_name (tess_slot_get_part (flaky, "retry"), "clicked");
  test_host_wait_idle (host);
  g_assert_cmpint (tess_slot_get_state (flaky), ==, TESS_SCOPE_DONE);
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (flaky, "error")));
  g_assert_cmpstr (test_host_label_text (test_host_child (host, "flaky", 0)), ==, "recovered");
  /* Retry reran that fragment only. */
  g_assert_cmpuint (tess_slot_get_run_count (steady), ==, 1);
  g_assert_cmpstr (test_host_label_text (test_host_child (host, "steady", 0)), ==, "steady 1");
  g_assert_cmpuint (tess_dashboard_view_count_errors (host->view), ==, 0);
  test_host_free (host);
}

static gboolean
failing_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_title (run, "Before the failure");
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "sales.csv does not exist");
  return FALSE;
}

static void
test_dashboard_error (void)
{
  TestHost *host = test_host_new (failing_dashboard, NULL);
  TessSlot *root;

  test_host_wait_idle (host);
  root = test_host_slot (host, "");
  g_assert_cmpint (tess_slot_get_state (root), ==, TESS_SCOPE_ERROR);
  g_assert_true (gtk_widget_get_visible (tess_slot_get_part (root, "error")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_slot_get_part (root, "message"))), ==,
                   "sales.csv does not exist");
  /* The error is shown at its position: after what was emitted before it. */
  g_assert_cmpstr (test_host_label_text (test_host_child (host, "", 0)), ==, "Before the failure");
  test_host_free (host);
}

static void
test_cancelled_shows_last_good (void)
{
  TestHost *host = test_host_new (rerun_dashboard, NULL);
  g_autoptr (TessElement) root = NULL;
  TessScopeUpdate update = { 0 };
  TessSlot *slot;
  GtkWidget *first;

  test_host_wait_idle (host);
  slot = test_host_slot (host, "numbers");
  first = test_host_child (host, "numbers", 0);
  root = tess_session_get_scope_root (host->session, "numbers");
  g_assert_nonnull (root);

  /* A rerun in progress, nothing fresh yet: everything is stale. */
  update.path = "numbers";
  update.state = TESS_SCOPE_RUNNING;
  update.root = root;
  update.n_fresh = 0;
  update.progress = -1;
  update.run_count = 2;
  update.started_us = g_get_monotonic_time ();
  tess_reconciler_apply_update (tess_dashboard_view_get_reconciler (host->view), &update);
  g_assert_true (gtk_widget_has_css_class (first, "tess-stale"));

  /* The run is cancelled: the last good content stands, not dimmed. */
  update.state = TESS_SCOPE_CANCELLED;
  update.started_us = 0;
  tess_reconciler_apply_update (tess_dashboard_view_get_reconciler (host->view), &update);
  g_assert_cmpint (tess_slot_get_state (slot), ==, TESS_SCOPE_CANCELLED);
  g_assert_true (test_host_child (host, "numbers", 0) == first);
  g_assert_false (gtk_widget_has_css_class (first, "tess-stale"));
  g_assert_cmpstr (test_host_label_text (first), ==, "run 1");
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (slot, "pending")));
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (slot, "error")));
  g_assert_true (gtk_widget_get_visible (tess_slot_get_content (slot)));
  test_host_free (host);
}

/* A live fragment over a file that is sometimes being rewritten: rerun
 * every 100 ms, it fails while told to, and shows the same output otherwise. */
typedef struct
{
  gint failing;
  gint runs;
} Feed;

static gboolean
feed_body (TessRun *run, gpointer user_data, GError **error)
{
  Feed *feed = user_data;

  g_atomic_int_inc (&feed->runs);
  if (g_atomic_int_get (&feed->failing))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           "sales.csv keeps changing while it is read\nthe size differed before and after");
      return FALSE;
    }
  tess_title (run, "Sales");
  tess_text (run, "sales 42");
  return TRUE;
}

static gboolean
feed_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  TessFragmentOptions options = { .flags = TESS_FRAGMENT_PARALLEL, .run_every = 0.1 };

  tess_fragment_full (run, "feed", feed_body, user_data, NULL, &options);
  return TRUE;
}

typedef struct
{
  TestHost *host;
  TessScopeState state;
  Feed *feed;
  gint runs;
} SlotWait;

static gboolean
slot_in_state (gpointer data)
{
  SlotWait *wait = data;
  TessSlot *slot = tess_reconciler_lookup_slot (tess_dashboard_view_get_reconciler (wait->host->view), "feed");

  return slot != NULL && tess_slot_get_state (slot) == wait->state &&
         g_atomic_int_get (&wait->feed->runs) >= wait->runs && tess_session_is_idle (wait->host->session) &&
         !tess_dashboard_view_get_busy (wait->host->view);
}

/* The good output, as the user sees it: the same widgets, shown, undimmed. */
static void
assert_output_kept (TestHost *host, GtkWidget *title, GtkWidget *text)
{
  g_assert_cmpuint (test_host_n_children (host, "feed"), ==, 2);
  g_assert_true (test_host_child (host, "feed", 0) == title);
  g_assert_true (test_host_child (host, "feed", 1) == text);
  g_assert_cmpstr (test_host_label_text (text), ==, "sales 42");
  g_assert_true (gtk_widget_get_mapped (text));
  g_assert_false (gtk_widget_has_css_class (text, "tess-stale"));
}

static void
test_failed_refresh_keeps_output (void)
{
  Feed feed = { 0 };
  TestHost *host = test_host_new (feed_dashboard, &feed);
  SlotWait wait = { host, TESS_SCOPE_ERROR, &feed, 0 };
  TessSlot *slot;
  GtkWidget *title, *text, *badge;
  const char *tooltip;

  test_host_wait_idle (host);
  slot = test_host_slot (host, "feed");
  g_assert_cmpint (tess_slot_get_state (slot), ==, TESS_SCOPE_DONE);
  title = test_host_child (host, "feed", 0);
  text = test_host_child (host, "feed", 1);
  g_assert_cmpstr (test_host_label_text (text), ==, "sales 42");

  /* A rerun fails: the output stays, the error is a badge over it. */
  g_atomic_int_set (&feed.failing, TRUE);
  tess_test_wait_until (NULL, slot_in_state, &wait, 30, "the failed refresh");
  assert_output_kept (host, title, text);
  badge = tess_slot_get_part (slot, "badge");
  g_assert_true (gtk_widget_get_mapped (badge));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_slot_get_part (slot, "badge-message"))), ==,
                   "sales.csv keeps changing while it is read");
  tooltip = gtk_widget_get_tooltip_text (badge);
  g_assert_nonnull (strstr (tooltip, "the size differed before and after"));
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (slot, "error")));
  g_assert_cmpuint (tess_dashboard_view_count_errors (host->view), ==, 1);

  /* Retry, still failing: the output still stays. */
  tess_session_set_run_every_enabled (host->session, FALSE);
  test_host_wait_idle (host);
  wait.runs = g_atomic_int_get (&feed.runs) + 1;
  g_signal_emit_by_name (tess_slot_get_part (slot, "badge-retry"), "clicked");
  tess_test_wait_until (NULL, slot_in_state, &wait, 30, "the retry that fails");
  assert_output_kept (host, title, text);
  g_assert_true (gtk_widget_get_mapped (badge));

  /* Retry once the file is whole: the badge goes, the output is fresh. */
  g_atomic_int_set (&feed.failing, FALSE);
  wait.state = TESS_SCOPE_DONE;
  wait.runs = g_atomic_int_get (&feed.runs) + 1;
  g_signal_emit_by_name (tess_slot_get_part (slot, "badge-retry"), "clicked");
  tess_test_wait_until (NULL, slot_in_state, &wait, 30, "the retry that works");
  assert_output_kept (host, title, text);
  g_assert_false (gtk_widget_get_visible (badge));
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (slot, "error")));
  g_assert_cmpuint (tess_dashboard_view_count_errors (host->view), ==, 0);
  test_host_free (host);
}

/* A first run that fails has no output to keep: the error card, as ever,
 * and a run_every rerun that fails again shows it again. */
static void
test_failed_first_run_shows_card (void)
{
  Feed feed = { .failing = TRUE };
  TestHost *host = test_host_new (feed_dashboard, &feed);
  SlotWait wait = { host, TESS_SCOPE_ERROR, &feed, 3 };
  TessSlot *slot;

  tess_test_wait_until (NULL, slot_in_state, &wait, 30, "three failed runs");
  slot = test_host_slot (host, "feed");
  g_assert_true (gtk_widget_get_visible (tess_slot_get_part (slot, "error")));
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (slot, "badge")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_slot_get_part (slot, "message"))), ==,
                   "sales.csv keeps changing while it is read");
  g_assert_cmpuint (test_host_n_children (host, "feed"), ==, 0);
  test_host_free (host);
}

int
main (int argc, char **argv)
{
  test_host_init (&argc, &argv);

  g_test_add_func ("/Slot/pending-then-done", test_pending_then_done);
  g_test_add_func ("/Slot/rerun-keeps-stale-content", test_rerun_keeps_stale_content);
  g_test_add_func ("/Slot/error-card-and-retry", test_error_card_and_retry);
  g_test_add_func ("/Slot/dashboard-error", test_dashboard_error);
  g_test_add_func ("/Slot/cancelled-shows-last-good", test_cancelled_shows_last_good);
  g_test_add_func ("/Slot/failed-refresh-keeps-output", test_failed_refresh_keeps_output);
  g_test_add_func ("/Slot/failed-first-run-shows-card", test_failed_first_run_shows_card);
  return g_test_run ();
}
