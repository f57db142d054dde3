/* describe.c: `tessera --describe SOURCE` through tess_app_describe(): the JSON
 * shape of local and remote sources, and exit status 1 with the error on a bad
 * source. */
#include "tessera.h"
#include "tess-app-private.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

static char *base_url;

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

static gpointer
server_thread (gpointer data)
{
  GMainContext *context = g_main_context_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (context, FALSE);
  g_autoptr (SoupServer) server = NULL;
  GSList *uris;
  char *url;

  g_main_context_push_thread_default (context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_atomic_pointer_set (&base_url, url);
  g_main_loop_run (loop); /* for the life of the subprocess */
  return NULL;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
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
      char *cache = g_dir_make_tmp ("tess-describe-XXXXXX", NULL);
      char *url;
      int status;

      g_setenv ("XDG_CACHE_HOME", cache, TRUE);
      g_thread_unref (g_thread_new ("server", server_thread, NULL));
      while (g_atomic_pointer_get (&base_url) == NULL)
        g_usleep (1000);
      url = g_strconcat (base_url, "cities", NULL);
      status = describe (url);
      remove_tree (cache);
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
