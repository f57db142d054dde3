/* live-reload.c: editing the open document on disk reloads it: unchanged
 * fragments keep their output, edited ones rerun, and a broken edit leaves the
 * last good dashboard in place with its problems reported. */
#include "tess-document-watcher.h"
#include "tess-document-private.h"
#include "fragments/test-host.h"
#include "tess-test-dir.h"
#include "tess-test-wait.h"

#include <string.h>

static const char *version1 = "{\"tessera\": 1, \"title\": \"Live\",\n"
                              " \"inputs\": {\"n\": {\"kind\": \"slider\", \"min\": 1, \"max\": 9, \"default\": 3}},\n"
                              " \"fragments\": [\n"
                              "  {\"id\": \"a\", \"views\": [{\"type\": \"text\", \"text\": \"A ${n}\"}]},\n"
                              "  {\"id\": \"b\", \"views\": [{\"type\": \"text\", \"text\": \"B one\"}]},\n"
                              "  {\"id\": \"c\", \"views\": [{\"type\": \"text\", \"text\": \"C\"}]}\n"
                              " ]}\n";

typedef struct
{
  guint reloaded;
  guint failed;
  char **last_changed;
} Events;

static void
on_reloaded (TessDocumentWatcher *watcher, char **changed, Events *events)
{
  events->reloaded++;
  g_strfreev (events->last_changed);
  events->last_changed = g_strdupv (changed);
}

static void
on_failed (TessDocumentWatcher *watcher, Events *events)
{
  events->failed++;
}

typedef struct
{
  guint *counter;
  guint value;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *wait = data;

  return *wait->counter >= wait->value;
}

static void
wait_for (guint *counter, guint value)
{
  CountWait wait = { counter, value };

  tess_test_wait_until (NULL, count_reached, &wait, 10, "the watcher to reload or fail");
  g_assert_cmpuint (*counter, ==, value);
}

/* Saves the way many editors do: write a temporary file, rename it over. */
static void
save (const char *path, const char *text)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_live_reload (void)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-live-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "live.tessera", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TessDocument) doc = NULL;
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  g_autoptr (TessDocumentWatcher) watcher = NULL;
  g_autofree char *version2 = NULL;
  Events events = { 0 };
  char *at;

  save (path, version1);
  doc = tess_document_new_from_file (file, NULL);
  g_assert_true (tess_document_is_valid (doc));
  dashboard = tess_document_dashboard_new (doc);
  host = test_host_new (tess_document_dashboard_run, dashboard);
  watcher = tess_document_watcher_new (file, dashboard, host->session);
  tess_document_watcher_set_delay_ms (watcher, 20);
  g_signal_connect (watcher, "reloaded", G_CALLBACK (on_reloaded), &events);
  g_signal_connect (watcher, "failed", G_CALLBACK (on_failed), &events);
  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpstr (test_host_find_text (host, "b", TESS_ELEMENT_TEXT, NULL), ==, "B one");

  /* Edit fragment b only: b reruns, a and c keep their output. */
  version2 = g_strdup (version1);
  at = strstr (version2, "B one");
  memcpy (at, "B two", 5);
  save (path, version2);
  wait_for (&events.reloaded, 1);
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (g_strv_length (events.last_changed), ==, 1);
  g_assert_cmpstr (events.last_changed[0], ==, "b");
  g_assert_cmpstr (test_host_find_text (host, "b", TESS_ELEMENT_TEXT, NULL), ==, "B two");
  g_assert_cmpuint (test_session_runs_of (host->session, "b"), ==, 2);
  g_assert_cmpuint (test_session_runs_of (host->session, "a"), ==, 1);
  g_assert_cmpuint (test_session_runs_of (host->session, "c"), ==, 1);
  g_assert_cmpuint (test_session_runs_of (host->session, ""), ==, 1);
  g_assert_null (tess_document_watcher_get_problems (watcher));

  /* A broken edit: the banner text names the place; the dashboard stays. */
  save (path, "{\"tessera\": 1,\n \"fragments\": [\n  {\"id\": \"a\", \"views\": [{\"type\": \"txt\"}]}\n ]}\n");
  wait_for (&events.failed, 1);
  g_assert_cmpstr (
      tess_document_watcher_get_problems (watcher), ==,
      "live.tessera:3:34: unknown view type \"txt\" (did you mean \"text\"?); use one of \"line\", "
      "\"area\", \"bar\", \"scatter\", \"histogram\", \"table\", \"metric\", \"text\", \"markdown\" or \"download\"");
  test_host_run_for (host, 0.1);
  g_assert_cmpstr (test_host_find_text (host, "b", TESS_ELEMENT_TEXT, NULL), ==, "B two");
  g_assert_cmpuint (test_session_runs_of (host->session, "b"), ==, 2);

  save (path, "{\"tessera\": 1, \"fragments\": [{\"id\": \"a\", ");
  wait_for (&events.failed, 2);
  g_assert_true (g_str_has_prefix (tess_document_watcher_get_problems (watcher), "live.tessera:1:"));

  /* Fixed again, with a new fragment: the dashboard reruns; only the new
   * fragment does its work, the others re-show what they had. */
  g_autofree char *version3 =
      g_strdup_printf ("%.*s,\n  {\"id\": \"d\", \"views\": [{\"type\": \"text\", \"text\": \"D\"}]}\n ]}\n",
                       (int) (strstr (version2, "\n ]}") - version2), version2);
  save (path, version3);
  wait_for (&events.reloaded, 2);
  test_host_wait_idle (host, 10);
  g_assert_null (tess_document_watcher_get_problems (watcher));
  g_assert_cmpstr (events.last_changed[0], ==, "d");
  g_assert_cmpstr (test_host_find_text (host, "d", TESS_ELEMENT_TEXT, NULL), ==, "D");
  g_assert_cmpuint (tess_document_dashboard_get_kept_runs (dashboard), ==, 3);

  g_strfreev (events.last_changed);
  g_clear_object (&watcher);
  tess_test_dir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Documents/reload/live", test_live_reload);
  return g_test_run ();
}
