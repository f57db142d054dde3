/* examples.c: every document in examples/ passes --check and runs headless to
 * the end with no error. Remote sources are served by a local SoupServer on
 * 127.0.0.1 standing in for their hosts; there is no other network here. */
#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "fragments/test-host.h"

#include <libsoup/soup.h>
#include <string.h>

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

static void
test_examples (void)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "examples", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GSList *uris;
  g_autofree char *base = NULL;
  guint n_remote = 0;
  const char *name;

  g_assert_no_error (error);
  soup_server_add_handler (server, NULL, serve, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

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
      g_assert_cmpuint (g_hash_table_size (host->states), ==, tess_document_get_n_fragments (doc) + 1);
      g_hash_table_iter_init (&iter, host->states);
      while (g_hash_table_iter_next (&iter, &scope, &state))
        g_assert_cmpint (GPOINTER_TO_INT (state), ==, TESS_SCOPE_DONE);
    }
  /* At least one example loads remote data, and it was fetched over HTTP. */
  g_assert_cmpuint (n_remote, >=, 1);
  g_assert_cmpuint (n_requests, >=, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Documents/examples/run-headless", test_examples);
  return g_test_run ();
}
