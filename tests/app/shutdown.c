/* shutdown.c: SIGINT and SIGTERM end a Tessera process cleanly, headless or
 * windowed, mid-download: at once, with the status a shell expects, and with
 * nothing half-written left in the download cache.
 *
 * Runs the built tessera binary (its path is the first argument) on a local
 * document whose source is an endless, slow download from a server on
 * 127.0.0.1, with its cache directory in a temporary directory.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>

#include "tess-test-dir.h"
#include "tess-test-server.h"
#include "tess-test-wait.h"

static const char *tessera;
static TessTestServer *server;
static gint bytes_sent;

static gboolean
send_more (gpointer data)
{
  SoupServerMessage *msg = data;
  static const char rows[] = "1,2,3\n4,5,6\n7,8,9\n";
  GString *chunk = g_string_sized_new (64 * 1024);

  while (chunk->len < 64 * 1024)
    g_string_append (chunk, rows);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_TAKE, chunk->str, chunk->len);
  g_atomic_int_add (&bytes_sent, (gint) chunk->len);
  g_string_free (chunk, FALSE);
  soup_server_message_unpause (msg);
  return G_SOURCE_CONTINUE;
}

static void
on_finished (SoupServerMessage *msg, gpointer data)
{
  g_source_destroy (data);
}

static void
unref_source (gpointer data, GClosure *closure)
{
  g_source_unref (data);
}

/* An endless CSV, 64 KiB every 50 ms, until the client goes. Runs on the
 * server's thread. */
static void
handler (SoupServer *soup_server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  GSource *source;

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/csv", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_replace (headers, "ETag", "\"endless\"");
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC, "a,b,c\n", 6);
  source = g_timeout_source_new (50);
  g_source_set_callback (source, send_more, msg, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_signal_connect_data (msg, "finished", G_CALLBACK (on_finished), source, unref_source, 0);
}

static gboolean
download_under_way (gpointer data)
{
  return g_atomic_int_get (&bytes_sent) >= 256 * 1024;
}

/* Every regular file under @path, recursively. */
static void
list_files (const char *path, GPtrArray *files)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        list_files (child, files);
      else
        g_ptr_array_add (files, g_steal_pointer (&child));
    }
}

static void
interrupt_mid_download (gboolean headless, int signum, int expected_status)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-shutdown-XXXXXX");
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);
  g_autofree char *tessera_cache = NULL;
  g_autofree char *url = tess_test_server_get_url (server, "/endless.csv");
  g_autofree char *text = g_strdup_printf ("{\"tessera\": 1, \"sources\": {\"s\": \"%s\"},\n"
                                           " \"fragments\": [{\"id\": \"f\", \"source\": \"s\", \"views\": "
                                           "[{\"type\": \"table\"}]}]}",
                                           url);
  g_autofree char *document = tess_test_dir_write_file (dir, "endless.tessera", text);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  gint64 signalled;

  g_atomic_int_set (&bytes_sent, 0);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  process = headless ? g_subprocess_launcher_spawn (launcher, &error, tessera, "--headless", document, NULL)
                     : g_subprocess_launcher_spawn (launcher, &error, tessera, document, NULL);
  g_assert_no_error (error);
  tess_test_poll_until (NULL, download_under_way, NULL, 30, "the download to be under way");

  signalled = g_get_monotonic_time ();
  g_subprocess_send_signal (process, signum);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("exited %.0f ms after the signal", (g_get_monotonic_time () - signalled) / 1000.0);
  /* an exit, not a death by the signal: the handler ran */
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, expected_status);
  /* promptly: well within the download's idle timeout */
  g_assert_cmpint (g_get_monotonic_time () - signalled, <, 10 * G_USEC_PER_SEC);

  /* Tessera's own part of the cache directory (Mesa keeps shaders beside it) */
  tessera_cache = g_build_filename (cache, "tessera", NULL);
  list_files (tessera_cache, files);
  for (guint i = 0; i < files->len; i++)
    g_test_message ("left behind: %s", (char *) g_ptr_array_index (files, i));
  g_assert_cmpuint (files->len, ==, 0);
  tess_test_dir_remove (dir);
}

static void
test_sigterm_headless (void)
{
  interrupt_mid_download (TRUE, SIGTERM, 143);
}

static void
test_sigint_headless (void)
{
  interrupt_mid_download (TRUE, SIGINT, 130);
}

static void
test_sigterm_window (void)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_fail_printf ("the windowed case needs a display (run the tests under xvfb-run)");
      return;
    }
  interrupt_mid_download (FALSE, SIGTERM, 143);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  tessera = argv[1];
  server = tess_test_server_new_threaded (handler, NULL);
  g_test_add_func ("/Shutdown/sigterm-headless", test_sigterm_headless);
  g_test_add_func ("/Shutdown/sigint-headless", test_sigint_headless);
  g_test_add_func ("/Shutdown/sigterm-window", test_sigterm_window);
  status = g_test_run ();
  tess_test_server_free (server);
  return status;
}
