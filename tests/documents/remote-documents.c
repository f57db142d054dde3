/* remote-documents.c: a document opened from the network reaches only what
 * its origin and the user allow, once its inputs are substituted as well as
 * as written. The document and its data come from a server on 127.0.0.1; the
 * same server under the name "localhost" is another host.
 */
#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "fragments/test-host.h"
#include "tess-test-server.h"

#include <string.h>

static TessTestServer *server;

static void
handler (SoupServer *soup_server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  if (g_str_equal (path, "/data/sales.csv") || g_str_equal (path, "/private.csv"))
    {
      const char *body = g_str_equal (path, "/private.csv") ? "k,v\nsame-origin,1\n" : "k,v\na,1\nb,2\n";
      soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_STATIC, body, strlen (body));
      soup_server_message_set_status (msg, 200, NULL);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static char *
document_url (void)
{
  return tess_test_server_get_url (server, "/dashboards/d.tessera");
}

static char *
problems_of (const char *text)
{
  g_autofree char *url = document_url ();
  g_autoptr (TessDocument) doc = tess_document_new_from_text (text, -1, url);
  return tess_document_format_problems (doc, "d.tessera");
}

/* The issue's own example: a text input that holds a local path. */
static void
test_inputs_cannot_name_the_host (void)
{
  const char *texts[] = {
    "{\"tessera\": 1, \"inputs\": {\"p\": {\"kind\": \"text\", \"default\": \"/tmp/x.csv\"}},\n"
    " \"sources\": {\"s\": \"${p}\"},\n"
    " \"fragments\": [{\"id\": \"f\", \"source\": \"s\", \"views\": [{\"type\": \"table\"}]}]}",
    "{\"tessera\": 1, \"inputs\": {\"p\": {\"kind\": \"text\", \"default\": \"example.org\"}},\n"
    " \"sources\": {\"s\": \"https://${p}/x.csv\"},\n"
    " \"fragments\": [{\"id\": \"f\", \"source\": \"s\", \"views\": [{\"type\": \"table\"}]}]}",
    "{\"tessera\": 1, \"inputs\": {\"p\": {\"kind\": \"text\", \"default\": \"example.org\"}},\n"
    " \"sources\": {\"s\": \"//${p}/x.csv\"},\n"
    " \"fragments\": [{\"id\": \"f\", \"source\": \"s\", \"views\": [{\"type\": \"table\"}]}]}",
  };

  const char *expect[] = {
    "names its host before any ${input}", "names its host before any ${input}",
    "cannot read local files", /* a path that starts with "/" is a local path */
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *problems = problems_of (texts[i]);
      g_test_message ("%s", problems);
      g_assert_true (g_str_has_prefix (problems, "d.tessera:2:19: "));
      g_assert_nonnull (strstr (problems, expect[i]));
    }
  /* and the same documents are fine on this computer */
  {
    g_autoptr (TessDocument) local = tess_document_new_from_text (texts[0], -1, "file:///home/me/d.tessera");
    g_assert_true (tess_document_is_valid (local));
  }
}

/* A path after the host is the document's to fill in: it stays on its origin. */
static void
test_same_origin_with_inputs (void)
{
  const char *text = "{\"tessera\": 1, \"inputs\": {\"name\": {\"kind\": \"text\", \"default\": \"sales\"}},\n"
                     " \"sources\": {\"s\": \"../data/${name}.csv\"},\n"
                     " \"fragments\": [{\"id\": \"f\", \"source\": \"s\", \"views\": [{\"type\": \"table\"}]}]}";
  g_autofree char *url = document_url ();
  g_autoptr (TessDocument) doc = tess_document_new_from_text (text, -1, url);
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;

  g_assert_true (tess_document_is_valid (doc));
  dashboard = tess_document_dashboard_new (doc);
  host = test_host_new (tess_document_dashboard_run, dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpint (test_host_state (host, "f"), ==, TESS_SCOPE_DONE);

  /* an input that climbs out of the path still lands on the same server */
  test_host_set (host, "name", g_variant_new_string ("../private"));
  test_host_wait_idle (host, 10);
  g_assert_cmpint (test_host_state (host, "f"), ==, TESS_SCOPE_DONE);
  /* one that tries to become a file path is only a strange path there */
  test_host_set (host, "name", g_variant_new_string ("/../../../../etc/passwd#"));
  test_host_wait_idle (host, 10);
  g_assert_cmpint (test_host_state (host, "f"), ==, TESS_SCOPE_ERROR);
  g_assert_nonnull (strstr (g_hash_table_lookup (host->errors, "f"), "404"));
}

/* Another host loads only once the user allows it, and the error says how. */
static void
test_other_hosts_need_the_user (void)
{
  g_autofree char *url = document_url ();
  g_autoptr (GUri) parsed = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *text = g_strdup_printf (
      "{\"tessera\": 1, \"sources\": {\"there\": \"http://localhost:%u/data/sales.csv\", \"here\": "
      "\"../data/sales.csv\"},\n"
      " \"fragments\": [{\"id\": \"there\", \"source\": \"there\", \"views\": [{\"type\": \"table\"}]},\n"
      "                {\"id\": \"here\", \"source\": \"here\", \"views\": [{\"type\": \"table\"}]}]}",
      g_uri_get_port (parsed));
  g_autoptr (TessDocument) doc = tess_document_new_from_text (text, -1, url);
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  g_auto (GStrv) blocked = NULL;
  const char *message;

  g_assert_true (tess_document_is_valid (doc));
  dashboard = tess_document_dashboard_new (doc);
  host = test_host_new (tess_document_dashboard_run, dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpint (test_host_state (host, "here"), ==, TESS_SCOPE_DONE);
  g_assert_cmpint (test_host_state (host, "there"), ==, TESS_SCOPE_ERROR);
  message = g_hash_table_lookup (host->errors, "there");
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "Source \"there\": This dashboard comes from 127.0.0.1 and wants data from "
                                     "localhost, another site; allow localhost in the bar above the dashboard, or "
                                     "start Tessera with --allow-origin=localhost"));
  blocked = tess_trust_dup_blocked_hosts (tess_document_get_trust (doc));
  g_assert_cmpuint (g_strv_length (blocked), ==, 1);
  g_assert_cmpstr (blocked[0], ==, "localhost");

  tess_trust_allow_host (tess_document_get_trust (doc), "localhost");
  tess_session_rerun (host->session);
  test_host_wait_idle (host, 10);
  g_assert_cmpint (test_host_state (host, "there"), ==, TESS_SCOPE_DONE);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = tess_test_server_new_threaded (handler, NULL);
  g_test_add_func ("/Documents/remote/inputs-cannot-name-the-host", test_inputs_cannot_name_the_host);
  g_test_add_func ("/Documents/remote/same-origin-with-inputs", test_same_origin_with_inputs);
  g_test_add_func ("/Documents/remote/other-hosts-need-the-user", test_other_hosts_need_the_user);
  status = g_test_run ();
  tess_test_server_free (server);
  return status;
}
