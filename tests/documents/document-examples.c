/* examples.c: every document in examples/ passes --check and runs headless to
 * the end with no error. Remote sources are served by a local SoupServer on
 * 127.0.0.1 standing in for their hosts; there is no other network here.
 * The database of sales-database.tessera is made by its own script,
 * examples/sales-database.sh, on the run's PostgreSQL server
 * (tests/support/tess-test-postgres.h), which stands in for the one on the
 * user's computer. */
#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "tess-document-open.h"
#include "tess-auto-dashboard.h"
#include "fragments/test-host.h"
#include "tess-test-postgres.h"
#include "tess-test-server.h"

#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

/* The remote hosts the examples load from, and where their files live here. */
static const struct
{
  const char *prefix;
  const char *path;
  const char *file;
} remote_files[] = {
  { "https://cdn.jsdelivr.net", "/npm/vega-datasets@2.8.0/data/iowa-electricity.csv", "iowa-electricity.csv" },
};

static guint n_requests;

static const char *safe_document =
    "{\"tessera\": 1, \"title\": \"Served\",\n"
    " \"sources\": {\"iowa\": \"iowa.csv\"},\n"
    " \"fragments\": [{\"id\": \"mix\", \"source\": \"iowa\", \"views\": [{\"type\": \"table\"}]}]}\n";

static const char *remote_document =
    "{\"tessera\": 1, \"title\": \"Served\",\n"
    " \"sources\": {\"iowa\": \"iowa.csv\", \"secret\": \"/private/${env:TESSERA_TEST_SECRET}.csv\"},\n"
    " \"fragments\": [{\"id\": \"mix\", \"source\": \"iowa\", \"views\": [{\"type\": \"table\"}]}]}\n";

static void
serve (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer user_data)
{
  n_requests++;
  for (guint i = 0; i < G_N_ELEMENTS (remote_files); i++)
    if (g_str_equal (path, remote_files[i].path))
      {
        g_autofree char *file = g_test_build_filename (G_TEST_DIST, "documents", "data", remote_files[i].file, NULL);
        g_autofree char *contents = NULL;
        gsize length = 0;
        g_assert_true (g_file_get_contents (file, &contents, &length, NULL));
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_COPY, contents, length);
        return;
      }
  if (g_str_equal (path, "/docs/served.tessera"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, remote_document,
                                        strlen (remote_document));
      return;
    }
  if (g_str_equal (path, "/docs/safe.tessera"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, safe_document,
                                        strlen (safe_document));
      return;
    }
  if (g_str_equal (path, "/docs/iowa.csv"))
    {
      g_autofree char *file = g_test_build_filename (G_TEST_DIST, "documents", "data", "iowa-electricity.csv", NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      g_assert_true (g_file_get_contents (file, &contents, &length, NULL));
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_COPY, contents, length);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static char *
replace_all (const char *text, const char *from, const char *to)
{
  g_auto (GStrv) parts = g_strsplit (text, from, -1);
  return g_strjoinv (to, parts);
}

/* The address the examples' database has on this computer, and where
 * examples/sales-database.sh made it on the run's server instead. */
#define EXAMPLE_DATABASE "postgresql:///tessera_sales"

static char *
make_example_database (const char *examples_dir)
{
  g_autofree char *dbname = g_strdup_printf ("tess_example_%d", (int) getpid ());
  g_autofree char *script = g_build_filename (examples_dir, "sales-database.sh", NULL);
  g_autofree char *path = g_strconcat (tess_test_postgres_get_bindir (), ":", g_getenv ("PATH"), NULL);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *orders = NULL;

  /* psql's usual variables say which server; a second run makes the tables afresh */
  g_subprocess_launcher_setenv (launcher, "PGHOST", tess_test_postgres_start (), TRUE);
  g_subprocess_launcher_setenv (launcher, "PGUSER", tess_test_postgres_get_superuser (), TRUE);
  g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  g_free (tess_test_postgres_psql ("postgres", "SELECT 1"));
  for (int run = 0; run < 2; run++)
    {
      g_clear_object (&process);
      g_clear_pointer (&out, g_free);
      process = g_subprocess_launcher_spawn (launcher, &error, "sh", script, dbname, NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("%s", out);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    }
  g_assert_true (g_str_has_prefix (out, "The database "));
  orders = tess_test_postgres_psql (dbname, "SELECT count(*), count(DISTINCT region) FROM sales");
  g_assert_cmpstr (orders, ==, "240|4\n");
  return tess_test_postgres_uri (dbname, NULL);
}

static void
test_examples (void)
{
  /* On this thread's context: the host's waits iterate it, so it answers. */
  g_autoptr (TessTestServer) server = tess_test_server_new (serve, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "examples", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *base = tess_test_server_get_base_url (server);
  g_autofree char *database = NULL;
  guint n_remote = 0, n_database = 0, n_choices = 0;
  const char *name;

  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".tessera"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >=, 5);

  for (guint i = 0; i < names->len; i++)
    {
      const char *example = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir_path, example, NULL);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *text = NULL;
      g_autoptr (TessDocument) doc = NULL;
      g_autoptr (TessDocumentDashboard) dashboard = NULL;
      g_autoptr (TestHost) host = NULL;
      g_autofree char *problems = NULL;
      GHashTableIter iter;
      gpointer scope, state;

      g_test_message ("example %s", example);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      for (guint r = 0; r < G_N_ELEMENTS (remote_files); r++)
        if (strstr (text, remote_files[r].prefix))
          {
            char *local = replace_all (text, remote_files[r].prefix, base);
            g_free (text);
            text = local;
            n_remote++;
          }
      if (strstr (text, EXAMPLE_DATABASE "\""))
        {
          char *local;
          if (database == NULL)
            database = make_example_database (dir_path);
          g_autofree char *quoted = g_strconcat (database, "\"", NULL);
          local = replace_all (text, EXAMPLE_DATABASE "\"", quoted);
          g_free (text);
          text = local;
          n_database++;
        }

      doc = tess_document_new_from_text (text, -1, uri);
      tess_document_check_columns (doc);
      problems = tess_document_format_problems (doc, example);
      g_assert_cmpstr (problems, ==, "");

      dashboard = tess_document_dashboard_new (doc);
      host = test_host_new (tess_document_dashboard_run, dashboard);
      tess_session_set_run_every_enabled (host->session, FALSE);
      test_host_start (host);
      test_host_wait_idle (host, 20);
      if (test_host_count_errors (host) > 0)
        {
          GHashTableIter e;
          gpointer p, m;
          g_hash_table_iter_init (&e, host->errors);
          while (g_hash_table_iter_next (&e, &p, &m))
            g_printerr ("%s: [%s] %s\n", example, (char *) p, (char *) m);
        }
      g_assert_cmpuint (test_host_count_errors (host), ==, 0);
      /* every fragment, every input whose options come from data (its own
       * fragment), and the dashboard */
      n_choices = 0;
      for (guint k = 0; k < doc->inputs->len; k++)
        if (((TessDocInput *) g_ptr_array_index (doc->inputs, k))->choices != NULL)
          n_choices++;
      g_assert_cmpuint (g_hash_table_size (host->states), ==, tess_document_get_n_fragments (doc) + n_choices + 1);
      g_hash_table_iter_init (&iter, host->states);
      while (g_hash_table_iter_next (&iter, &scope, &state))
        g_assert_cmpint (GPOINTER_TO_INT (state), ==, TESS_SCOPE_DONE);
    }
  /* At least one example loads remote data, and it was fetched over HTTP. */
  g_assert_cmpuint (n_remote, >=, 1);
  g_assert_cmpuint (n_requests, >=, 1);
  /* And one reads a database, which its script made. */
  g_assert_cmpuint (n_database, >=, 1);
}

/* A document opened by URL that reads the environment is refused, so no
 * secret leaves the machine. */
static void
test_remote_document (void)
{
  /* On its own thread: opening a document by URL blocks this one while it fetches. */
  TessTestServer *server = tess_test_server_new_threaded (serve, NULL);
  g_autofree char *url = tess_test_server_get_url (server, "/docs/served.tessera");
  g_autoptr (GError) error = NULL;

  g_setenv ("TESSERA_TEST_SECRET", "hunter2", TRUE);
  g_assert_null (tess_document_open (url, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "cannot read environment variables"));
  g_assert_null (strstr (error->message, "hunter2"));
  g_unsetenv ("TESSERA_TEST_SECRET");
  tess_test_server_free (server);
}

/* A document opened by URL loads its relative sources from beside it. */
static void
test_remote_document_runs (void)
{
  TessTestServer *server = tess_test_server_new_threaded (serve, NULL);
  g_autofree char *url = tess_test_server_get_url (server, "/docs/safe.tessera");
  g_autoptr (GError) error = NULL;
  g_autoptr (TessDocumentDashboard) dashboard = tess_document_open (url, &error);
  g_autoptr (TestHost) host = NULL;
  TessElement *root, *table = NULL;

  g_assert_no_error (error);
  host = test_host_new (tess_document_dashboard_run, dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 20);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  g_assert_cmpint (test_host_state (host, "mix"), ==, TESS_SCOPE_DONE);
  root = test_host_root (host, "mix");
  for (guint i = 0; i < tess_element_get_n_children (root); i++)
    if (tess_element_get_kind (tess_element_get_child (root, i)) == TESS_ELEMENT_TABLE)
      table = tess_element_get_child (root, i);
  g_assert_nonnull (table);
  g_assert_cmpuint (tess_frame_get_n_rows (tess_element_get_frame (table)), ==, 51);
  g_clear_pointer (&host, test_host_free);
  tess_test_server_free (server);
}

/* `tessera URL` of a data file opens its automatic dashboard. */
static void
test_remote_data_file (void)
{
  TessTestServer *server = tess_test_server_new_threaded (serve, NULL);
  g_autofree char *target = tess_test_server_get_url (server, "/docs/iowa.csv");
  g_autoptr (GObject) dashboard_data = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TestHost) host = NULL;
  TessFragmentFunc dashboard;

  dashboard = tess_document_open_target (target, &dashboard_data, &error);
  g_assert_no_error (error);
  g_assert_true (dashboard == tess_auto_dashboard_run);
  host = test_host_new (dashboard, dashboard_data);
  test_host_start (host);
  test_host_wait_idle (host, 20);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  g_assert_cmpint (test_host_state (host, "overview"), ==, TESS_SCOPE_DONE);
  g_assert_cmpint (test_host_state (host, "source"), ==, TESS_SCOPE_DONE);
  g_clear_pointer (&host, test_host_free);
  tess_test_server_free (server);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Documents/examples/run-headless", test_examples);
  g_test_add_func ("/Documents/open/remote-document-refuses-secrets", test_remote_document);
  g_test_add_func ("/Documents/open/remote-document-runs", test_remote_document_runs);
  g_test_add_func ("/Documents/open/remote-data-file", test_remote_data_file);
  return g_test_run ();
}
