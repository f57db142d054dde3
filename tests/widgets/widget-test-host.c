/* widget-test-host.c: see widget-test-host.h. */
#include "widget-test-host.h"

#include <adwaita.h>

void
test_host_init (int *argc, char ***argv)
{
  /* GL under Xvfb is software-rendered and slow enough to starve the main
   * loop; the tests check widgets, not the renderer. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GTK_USE_PORTAL", "0", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("NO_AT_BRIDGE", "1", FALSE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

static void
on_idle (TessDashboardView *view, TestHost *host)
{
  host->n_idle++;
}

TestHost *
test_host_new (TessFragmentFunc dashboard, gpointer user_data)
{
  return test_host_new_sized (dashboard, user_data, 1000, 700);
}

TestHost *
test_host_new_sized (TessFragmentFunc dashboard, gpointer user_data, int width, int height)
{
  TestHost *host = g_new0 (TestHost, 1);

  host->session = tess_session_new (dashboard, user_data, NULL);
  tess_session_set_coalesce_ms (host->session, 0);
  host->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (host->window), width, height);
  host->view = TESS_DASHBOARD_VIEW (tess_dashboard_view_new ());
  gtk_window_set_child (GTK_WINDOW (host->window), GTK_WIDGET (host->view));
  tess_dashboard_view_set_session (host->view, host->session);
  g_signal_connect (host->view, "idle", G_CALLBACK (on_idle), host);
  gtk_window_present (GTK_WINDOW (host->window));
  tess_session_start (host->session);
  return host;
}

void
test_host_free (TestHost *host)
{
  tess_session_close (host->session);
  gtk_window_destroy (GTK_WINDOW (host->window));
  g_object_unref (host->session);
  /* Let the destroyed widgets finish leaving. */
  test_host_spin (10);
  g_free (host);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
idle_seen (gpointer data)
{
  TestHost *host = data;
  /* Idle may have been announced while waiting for something else. */
  return host->n_idle > 0 || (tess_session_is_idle (host->session) && !tess_dashboard_view_get_busy (host->view));
}

void
test_host_wait_idle (TestHost *host)
{
  host->n_idle = 0;
  if (g_getenv ("TEST_HOST_DEBUG"))
    g_printerr ("session idle %d, view busy %d, last %f\n", tess_session_is_idle (host->session),
                tess_dashboard_view_get_busy (host->view), tess_dashboard_view_get_last_run_ms (host->view));
  /* A guard against a hang, not a timing goal: a thousand new elements
   * under the sanitizers on a busy machine take seconds. */
  tess_test_wait_until (NULL, idle_seen, host, 60, "the dashboard to be idle");
}

void
test_host_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

TessSlot *
test_host_slot (TestHost *host, const char *path)
{
  TessSlot *slot = tess_reconciler_lookup_slot (tess_dashboard_view_get_reconciler (host->view), path);

  g_assert_nonnull (slot);
  return slot;
}

GtkWidget *
test_host_child (TestHost *host, const char *path, guint index)
{
  GtkWidget *child = gtk_widget_get_first_child (tess_slot_get_content (test_host_slot (host, path)));

  for (guint i = 0; i < index && child != NULL; i++)
    child = gtk_widget_get_next_sibling (child);
  g_assert_nonnull (child);
  return child;
}

guint
test_host_n_children (TestHost *host, const char *path)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (tess_slot_get_content (test_host_slot (host, path)));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

GtkWidget *
test_host_find (TestHost *host, const char *path, const char *id)
{
  GtkWidget *widget = tess_reconciler_find_widget (GTK_WIDGET (test_host_slot (host, path)), id);

  if (widget == NULL)
    g_error ("No widget for element “%s” in scope “%s”", id, path);
  return widget;
}

const char *
test_host_label_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = test_host_label_text (child);
      if (text != NULL)
        return text;
    }
  return NULL;
}

void
test_host_use_build_schema (void)
{
  g_autofree char *schemas = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "..", "app", "data", NULL);

  g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}
