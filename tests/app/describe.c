/* describe.c: `tessera --describe SOURCE` through tess_app_describe(): the JSON
 * shape of local and remote sources, and exit status 1 with the error on a bad
 * source. */
#include "tessera.h"
#include "tess-app-private.h"
#include "tess-test-dir.h"
#include "tess-test-server.h"

#include <libsoup/soup.h>

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  const char *body = "[{\"city\": \"Oslo\", \"temp\": 3.5}, {\"city\": null, \"temp\": 18}]";

  if (g_str_equal (path, "/cities"))
    {
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
      soup_server_message_set_status (msg, 200, NULL);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static int
describe (const char *source)
{
  TessAppOptions options = { 0 };

  options.describe = (char *) source;
  return tess_app_describe (&options);
}

static void
test_local (void)
{
  if (g_test_subprocess ())
    {
      char *path = g_test_build_filename (G_TEST_DIST, "data", "vega", "seattle-weather.csv", NULL);
      int status = describe (path);
      g_free (path);
      exit (status);
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("{\"rows\": 1461, \"columns\": [{\"name\": \"date\", \"type\": \"date\", \"nulls\": 0}, "
                             "{\"name\": \"precipitation\", \"type\": \"double\", \"nulls\": 0}, "
                             "{\"name\": \"temp_max\", \"type\": \"double\", \"nulls\": 0}, "
                             "{\"name\": \"temp_min\", \"type\": \"double\", \"nulls\": 0}, "
                             "{\"name\": \"wind\", \"type\": \"double\", \"nulls\": 0}, "
                             "{\"name\": \"weather\", \"type\": \"string\", \"nulls\": 0}]}\n");
}

static void
test_remote (void)
{
  if (g_test_subprocess ())
    {
      char *cache = tess_test_dir_new ("tess-describe-XXXXXX");
      TessTestServer *server;
      char *url;
      int status;

      g_setenv ("XDG_CACHE_HOME", cache, TRUE);
      server = tess_test_server_new_threaded (handler, NULL);
      url = tess_test_server_get_url (server, "/cities");
      status = describe (url);
      tess_test_server_free (server);
      tess_test_dir_remove (cache);
      g_free (cache);
      g_free (url);
      exit (status);
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("{\"rows\": 2, \"columns\": [{\"name\": \"city\", \"type\": \"string\", \"nulls\": 1}, "
                             "{\"name\": \"temp\", \"type\": \"double\", \"nulls\": 0}]}\n");
}

static void
test_bad_source (void)
{
  if (g_test_subprocess ())
    exit (describe ("/no/such/file.csv"));
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr ("*Cannot load /no/such/file.csv*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Data/describe/local", test_local);
  g_test_add_func ("/Data/describe/remote", test_remote);
  g_test_add_func ("/Data/describe/bad-source", test_bad_source);
  return g_test_run ();
}
