/* credentials.c: passwords for databases, as a user meets them.
 *
 * A document whose database wants a password that nothing on this computer
 * gives opens in the real window: the window asks once for every fragment
 * that needs it (a dialog naming the server, the database and the user),
 * asks again when the server refuses the password, and every fragment then
 * shows its data. When a Secret Service answers on the session bus, the
 * password the dialog was told to remember is in the keyring; without one,
 * the password is asked for and used, and the test says so. The built
 * tessera binary (its path is the first argument), headless or checking,
 * never asks: it fails, or warns, saying how to give a password.
 */
#include "../widgets/widget-test-host.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tess-app-private.h"
#include "tess-cache.h"
#include "tess-credentials.h"
#include "tess-sql.h"
#include "tess-window.h"
#include "tess-test-dir.h"
#include "tess-test-postgres.h"

static const char *tessera;
static char *tmp_dir;
static char *dbname;
static char *role;
static char *document_path;

/* The open dialog whose text holds @text (NULL: any), or NULL. */
static AdwMessageDialog *
find_dialog_with (const char *text)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          (text == NULL || strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (window)), text) != NULL))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static AdwMessageDialog *
find_dialog (void)
{
  return find_dialog_with (NULL);
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog_with (data) != NULL;
}

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  if (g_str_equal (gtk_widget_get_name (widget), name))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);
      if (found)
        return found;
    }
  return NULL;
}

/* Types @password into the dialog and presses Enter, as a user would. */
static void
answer_dialog (AdwMessageDialog *dialog, const char *password, gboolean remember)
{
  GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *entry = find_named (extra, "password");
  GtkWidget *check = find_named (extra, "remember");
  GtkWidget *text;

  g_assert_true (GTK_IS_ENTRY (entry));
  g_assert_false (gtk_entry_get_visibility (GTK_ENTRY (entry)));
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  gtk_editable_set_text (GTK_EDITABLE (entry), password);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), remember);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "connect");
  /* Enter in the entry's text activates the dialog's default response */
  for (text = gtk_widget_get_first_child (entry); text && !GTK_IS_TEXT (text);
       text = gtk_widget_get_next_sibling (text))
    ;
  g_assert_nonnull (text);
  /* held while the dialog closes under it, as GTK holds an event's target */
  g_object_ref (dialog);
  g_object_ref (entry);
  g_object_ref (text);
  g_signal_emit_by_name (text, "activate");
  g_object_unref (text);
  g_object_unref (entry);
  g_object_unref (dialog);
}

typedef struct
{
  TessWindow *window;
  guint n_idle;
} WindowHost;

static void
on_idle (TessDashboardView *view, WindowHost *host)
{
  host->n_idle++;
}

/* The dialog answered last, until it is gone. */
static AdwMessageDialog *answered_last;

static gboolean
dialog_gone (gpointer data)
{
  return *(AdwMessageDialog **) data == NULL;
}

/* Idle, or a dialog other than the one answered asks again. */
static gboolean
window_idle_or_dialog (gpointer data)
{
  WindowHost *host = data;
  TessSession *session = tess_window_get_session (host->window);
  AdwMessageDialog *dialog = find_dialog ();

  if (dialog != NULL && dialog != answered_last)
    return TRUE;
  return host->n_idle > 0 || (session != NULL && tess_session_is_idle (session) &&
                              !tess_dashboard_view_get_busy (tess_window_get_view (host->window)));
}

/* Runs the tessera binary with @args, with this session's keyring or
 * without any; returns what it printed and its exit status. */
static char *
run_tessera (const char *const *args, gboolean keyring, int *status)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  if (!keyring)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
  g_ptr_array_add (argv, (gpointer) tessera);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (process);
  return out;
}

static void
test_window_asks_once (void)
{
  WindowHost host = { 0 };
  g_autoptr (GFile) file = g_file_new_for_path (document_path);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessElement) count = NULL;
  gboolean keyring = tess_credentials_keyring_available ();
  const char *socket_dir = tess_test_postgres_start ();
  AdwMessageDialog *first, *second;
  g_autofree char *expected_body = NULL;
  TessSession *session;

  tess_credentials_forget ();
  tess_credentials_install (TRUE);
  tess_cache_clear ();
  tess_sql_close_idle_connections ();

  host.window = tess_window_new (NULL);
  tess_window_set_remember_state (host.window, FALSE);
  g_signal_connect (tess_window_get_view (host.window), "idle", G_CALLBACK (on_idle), &host);
  gtk_window_present (GTK_WINDOW (host.window));
  g_assert_true (tess_window_open_file (host.window, file, &error));
  g_assert_no_error (error);

  /* Three fragments read the database at once; one dialog asks. */
  tess_test_wait_until (NULL, dialog_shown, NULL, 30, "the window to ask for the password");
  first = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (first), ==, "Database Password");
  expected_body = g_strdup_printf ("The database “%s” on this computer wants the password of user “%s”.", dbname, role);
  g_assert_cmpstr (adw_message_dialog_get_body (first), ==, expected_body);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (first)) == GTK_WINDOW (host.window));
  answer_dialog (first, "wrong horse", FALSE);

  /* The server refuses it: the window asks again, saying so. */
  tess_test_wait_until (NULL, dialog_shown, (gpointer) "refused the password of user", 30, "the window to ask again");
  second = find_dialog_with ("refused the password of user");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (second), "refused the password of user"));
  answer_dialog (second, "right horse", keyring);
  g_set_weak_pointer (&answered_last, second);

  /* ... and never again: every fragment shows its data. */
  host.n_idle = 0;
  tess_test_wait_until (NULL, window_idle_or_dialog, &host, 30, "the dashboard to finish");
  tess_test_wait_until (NULL, dialog_gone, &answered_last, 10, "the answered dialog to close");
  g_assert_null (find_dialog ());
  session = tess_window_get_session (host.window);
  g_assert_cmpuint (tess_dashboard_view_count_errors (tess_window_get_view (host.window)), ==, 0);
  count = tess_session_get_scope_root (session, "count");
  g_assert_nonnull (count);
  for (guint i = 0; i < tess_element_get_n_children (count); i++)
    if (tess_element_get_kind (tess_element_get_child (count, i)) == TESS_ELEMENT_METRIC)
      g_assert_cmpstr (tess_element_get_string (tess_element_get_child (count, i), "value"), ==, "3");

  if (keyring)
    {
      /* remembered: a headless run now finds it there */
      g_autofree char *kept = tess_credentials_lookup (socket_dir, "5432", dbname, role, FALSE);
      g_autofree char *out = NULL;
      int status;
      g_assert_cmpstr (kept, ==, "right horse");
      out = run_tessera ((const char *const[]){ "--headless", document_path, NULL }, TRUE, &status);
      g_assert_cmpint (status, ==, 0);
      g_free (tess_credentials_lookup (socket_dir, "5432", dbname, role, TRUE));
    }
  else
    g_test_message ("No Secret Service on the session bus: the password was asked for and used, not remembered in "
                    "a keyring");

  gtk_window_destroy (GTK_WINDOW (host.window));
  test_host_spin (10);
}

static void
test_headless_never_asks (void)
{
  int status;
  g_autofree char *headless = run_tessera ((const char *const[]){ "--headless", document_path, NULL }, FALSE, &status);
  g_autofree char *check = NULL;

  g_test_message ("%s", headless);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (headless, "wants the password of user"));
  g_assert_nonnull (strstr (headless, "this run cannot ask for it: open the dashboard in the window once and let "
                                      "Tessera remember the password in the keyring"));

  check = run_tessera ((const char *const[]){ "--check", document_path, NULL }, FALSE, &status);
  g_test_message ("%s", check);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (check, "warning: the database of source \"s\" was not checked: The database"));
  g_assert_nonnull (strstr (check, "this run cannot ask for it"));
}

int
main (int argc, char **argv)
{
  g_autofree char *uri = NULL;
  g_autofree char *passfile = NULL;
  g_autofree char *document = NULL;
  g_autofree char *setup = NULL;
  int status;

  test_host_use_build_schema ();
  /* The desktop's recent files (the window adds what it opens) stay here too. */
  tmp_dir = tess_test_dir_new ("tess-credentials-XXXXXX");
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);
  test_host_init (&argc, &argv);
  g_assert_cmpint (argc, >=, 2);
  tessera = argv[1];

  g_setenv ("XDG_CACHE_HOME", tmp_dir, TRUE);
  dbname = tess_test_postgres_create_database ("tess_credentials");
  role = g_strdup_printf ("tess_cred_%d", (int) getpid ());
  tess_test_postgres_create_password_role (role, "right horse");
  setup = g_strdup_printf ("CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2), (3); GRANT SELECT ON t TO %s", role);
  g_free (tess_test_postgres_psql (dbname, setup));

  /* no password in a file libpq reads: only the window can give one */
  passfile = tess_test_dir_write_file (tmp_dir, "empty-pgpass", "");
  g_assert_cmpint (g_chmod (passfile, 0600), ==, 0);
  uri = tess_test_postgres_uri (dbname, role);
  document = g_strdup_printf (
      "{\"tessera\": 1, \"sources\": {\"s\": {\"uri\": \"%s&passfile=%s\", \"table\": \"t\"}},\n"
      " \"fragments\": [\n"
      "  {\"id\": \"count\", \"source\": \"s\", \"views\": [{\"type\": \"metric\", \"label\": \"Rows\", "
      "\"value\": {\"op\": \"count\"}}]},\n"
      "  {\"id\": \"rows\", \"source\": \"s\", \"views\": [{\"type\": \"table\"}]},\n"
      "  {\"id\": \"sum\", \"source\": \"s\", \"pipeline\": [{\"filter\": {\"column\": \"x\", \"op\": \">\", "
      "\"value\": "
      "1}}],\n"
      "   \"views\": [{\"type\": \"metric\", \"label\": \"Sum\", \"value\": {\"column\": \"x\", \"op\": "
      "\"sum\"}}]}]}\n",
      uri, passfile);
  document_path = tess_test_dir_write_file (tmp_dir, "password.tessera", document);

  g_test_add_func ("/Credentials/window-asks-once", test_window_asks_once);
  g_test_add_func ("/Credentials/headless-never-asks", test_headless_never_asks);
  status = g_test_run ();
  tess_test_dir_remove (tmp_dir);
  return status;
}
