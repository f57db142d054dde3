/* trust.c: what a dashboard opened from the network may reach.
 *
 * The rules on URIs and addresses, then real loads through a server on
 * 127.0.0.1: the same origin loads, a redirect to another host is refused
 * until the host is allowed.
 */
#include "tess-source.h"
#include "tess-test-server.h"
#include "tess-trust.h"

#include <string.h>

static TessTestServer *server;

static void
handler (SoupServer *soup_server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  if (g_str_equal (path, "/data.csv"))
    {
      const char *body = "k,v\na,1\nb,2\n";
      soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_STATIC, body, strlen (body));
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (g_str_equal (path, "/away"))
    {
      /* the same server under another name: another host to the rules */
      g_autofree char *there =
          g_strdup_printf ("http://localhost:%u/data.csv", g_uri_get_port (soup_server_message_get_uri (msg)));
      soup_server_message_set_redirect (msg, 302, there);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static void
on_blocked (TessTrust *trust, const char *host, gpointer data)
{
  g_ptr_array_add (data, g_strdup (host));
}

static void
assert_refused (TessTrust *trust, const char *uri, int code, const char *expect)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (tess_trust_check_uri (trust, uri, &error));
  g_assert_error (error, TESS_TRUST_ERROR, code);
  g_test_message ("%s: %s", uri, error->message);
  g_assert_nonnull (strstr (error->message, expect));
}

static void
test_local_document (void)
{
  const char *documents[] = { NULL, "/home/me/d.tessera", "file:///home/me/d.tessera",
                              "resource:///io/github/tessera/Tessera/documents/default.tessera" };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr (TessTrust) trust = tess_trust_new (documents[i]);
      g_autofree char *key = tess_trust_dup_key (trust);

      g_assert_false (tess_trust_get_restricted (trust));
      g_assert_true (tess_trust_check_uri (trust, "/etc/hosts", NULL));
      g_assert_true (tess_trust_check_uri (trust, "http://10.0.0.1/x.csv", NULL));
      g_assert_cmpstr (key, ==, "");
    }
}

static void
test_remote_document (void)
{
  g_autoptr (TessTrust) trust = tess_trust_new ("https://dash.example.org/team/d.tessera");
  g_autoptr (GPtrArray) blocked = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) hosts = NULL;
  g_auto (GStrv) still_blocked = NULL;
  g_autofree char *key_before = tess_trust_dup_key (trust);
  g_autofree char *key_after = NULL;

  g_signal_connect (trust, "blocked", G_CALLBACK (on_blocked), blocked);
  g_assert_true (tess_trust_get_restricted (trust));
  g_assert_cmpstr (tess_trust_get_host (trust), ==, "dash.example.org");

  /* its own origin, in any case and with the default port written out */
  g_assert_true (tess_trust_check_uri (trust, "https://dash.example.org/team/data.csv", NULL));
  g_assert_true (tess_trust_check_uri (trust, "https://DASH.example.org:443/x.csv?y=1", NULL));

  /* never local files or other schemes, whatever the user allows */
  assert_refused (trust, "/etc/passwd", TESS_TRUST_ERROR_FORBIDDEN, "cannot read local files");
  assert_refused (trust, "file:///etc/passwd", TESS_TRUST_ERROR_FORBIDDEN, "cannot read local files");
  assert_refused (trust, "resource:///io/github/tessera/Tessera/documents/default.tessera", TESS_TRUST_ERROR_FORBIDDEN,
                  "only http:// and https://");
  assert_refused (trust, "ftp://dash.example.org/x.csv", TESS_TRUST_ERROR_FORBIDDEN, "only http:// and https://");
  g_assert_cmpuint (blocked->len, ==, 0);

  /* another port or host needs the user */
  assert_refused (trust, "https://dash.example.org:8443/x.csv", TESS_TRUST_ERROR_NEEDS_ALLOW,
                  "--allow-origin=dash.example.org");
  assert_refused (trust, "https://data.example.net/x.csv", TESS_TRUST_ERROR_NEEDS_ALLOW,
                  "wants data from data.example.net");
  assert_refused (trust, "http://data.example.net./y.csv", TESS_TRUST_ERROR_NEEDS_ALLOW, "data.example.net");
  g_assert_cmpuint (blocked->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (blocked, 1), ==, "data.example.net");
  hosts = tess_trust_dup_blocked_hosts (trust);
  g_assert_cmpuint (g_strv_length (hosts), ==, 2); /* each host once */
  g_assert_cmpstr (hosts[1], ==, "data.example.net");

  tess_trust_allow_host (trust, "Data.Example.Net");
  g_assert_true (tess_trust_check_uri (trust, "https://data.example.net/x.csv", NULL));
  g_assert_true (tess_trust_check_uri (trust, "http://data.example.net:8080/x.csv", NULL));
  still_blocked = tess_trust_dup_blocked_hosts (trust);
  g_assert_cmpuint (g_strv_length (still_blocked), ==, 1);
  g_assert_cmpstr (still_blocked[0], ==, "dash.example.org");
  /* a cached answer under the old rules is not one under the new */
  key_after = tess_trust_dup_key (trust);
  g_assert_cmpstr (key_before, !=, key_after);
}

static void
test_private_addresses (void)
{
  const char *private[] = { "127.0.0.1",   "127.8.9.10",   "10.1.2.3",       "172.16.0.1", "172.31.255.255",
                            "192.168.1.1", "169.254.1.1",  "100.64.0.1",     "0.0.0.0",    "::1",
                            "fe80::1",     "fd12:3456::1", "::ffff:10.0.0.1" };
  const char *public[] = { "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8" };
  g_autoptr (TessTrust) trust = tess_trust_new ("https://dash.example.org/d.tessera");
  g_autoptr (TessTrust) lan = tess_trust_new ("http://192.168.1.20:8000/d.tessera");

  for (guint i = 0; i < G_N_ELEMENTS (private); i++)
    {
      g_autoptr (GInetAddress) address = g_inet_address_new_from_string (private[i]);
      g_autoptr (GError) error = NULL;

      g_assert_true (tess_trust_address_is_private (address));
      /* a name of the document's own host that now resolves inside: refused */
      g_assert_false (tess_trust_check_address (trust, "https://dash.example.org/x.csv", address, &error));
      g_assert_error (error, TESS_TRUST_ERROR, TESS_TRUST_ERROR_NEEDS_ALLOW);
      /* a document on the local network may reach the local network */
      g_assert_true (tess_trust_check_address (lan, "http://192.168.1.20:8000/x.csv", address, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (public); i++)
    {
      g_autoptr (GInetAddress) address = g_inet_address_new_from_string (public[i]);

      g_assert_false (tess_trust_address_is_private (address));
      g_assert_true (tess_trust_check_address (trust, "https://dash.example.org/x.csv", address, NULL));
    }
  /* allowed by name, its private address is allowed too */
  tess_trust_allow_host (trust, "nas.example.org");
  {
    g_autoptr (GInetAddress) address = g_inet_address_new_from_string ("192.168.1.5");
    g_assert_true (tess_trust_check_address (trust, "https://nas.example.org/x.csv", address, NULL));
  }
}

static void
test_loads_and_redirects (void)
{
  g_autofree char *document = tess_test_server_get_url (server, "/d.tessera");
  g_autofree char *data = tess_test_server_get_url (server, "/data.csv");
  g_autofree char *away = tess_test_server_get_url (server, "/away");
  g_autoptr (TessTrust) trust = tess_trust_new (document);
  TessLoadOptions options = { .trust = trust, .ttl = -1 };
  g_autoptr (TessFrame) frame = NULL;
  g_autoptr (TessFrame) redirected = NULL;
  g_autoptr (TessFrame) allowed = NULL;
  g_autoptr (GError) error = NULL;

  frame = tess_source_load (data, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 2);

  /* the final address counts, after the redirect */
  redirected = tess_source_load (away, &options, NULL, NULL, NULL, &error);
  g_assert_null (redirected);
  g_assert_error (error, TESS_TRUST_ERROR, TESS_TRUST_ERROR_NEEDS_ALLOW);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "redirects to http://localhost:"));
  g_clear_error (&error);

  tess_trust_allow_host (trust, "localhost");
  allowed = tess_source_load (away, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (allowed), ==, 2);

  /* local files, whatever the way of writing them */
  {
    g_autoptr (TessFrame) local = tess_source_load ("/etc/hostname", &options, NULL, NULL, NULL, &error);
    g_assert_null (local);
    g_assert_error (error, TESS_TRUST_ERROR, TESS_TRUST_ERROR_FORBIDDEN);
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = tess_test_server_new_threaded (handler, NULL);
  g_test_add_func ("/Data/trust/local-document", test_local_document);
  g_test_add_func ("/Data/trust/remote-document", test_remote_document);
  g_test_add_func ("/Data/trust/private-addresses", test_private_addresses);
  g_test_add_func ("/Data/trust/loads-and-redirects", test_loads_and_redirects);
  status = g_test_run ();
  tess_test_server_free (server);
  return status;
}
