/* trust_peak.c: peak memory of a run whose sources would not fit.
 *
 *   trust.peak_over_budget   (goal <= 1.1)
 *
 * Runs the built tessera binary (the first argument) headless under
 * --memory-limit=1GiB on a document with four parallel sources, each an
 * endless-looking 2 GiB chunked CSV from a server in this process on
 * 127.0.0.1. Every source must fail with the memory limit's message; the
 * figure is the child's peak resident memory divided by the budget.
 */
#include <gio/gio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "tess-test-dir.h"
#include "tess-test-server.h"

#define CHUNK (1024 * 1024)
#define SOURCE_BYTES (G_GUINT64_CONSTANT (2) << 30)
#define BUDGET (G_GUINT64_CONSTANT (1) << 30)

static char chunk[CHUNK];

typedef struct
{
  guint64 sent;
} Stream;

/* Keeps the pipe full: one more chunk each time one is written. */
static void
on_wrote_chunk (SoupServerMessage *msg, gpointer data)
{
  Stream *stream = data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (stream->sent >= SOURCE_BYTES)
    {
      soup_message_body_complete (body);
      return;
    }
  soup_message_body_append (body, SOUP_MEMORY_STATIC, chunk, CHUNK);
  stream->sent += CHUNK;
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  Stream *stream = g_new0 (Stream, 1);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/csv", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (body, FALSE);
  g_object_set_data_full (G_OBJECT (msg), "stream", stream, g_free);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), stream);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "a,b,c,d\n", 8);
}

int
main (int argc, char **argv)
{
  TessTestServer *server;
  g_autofree char *dir = NULL;
  g_autofree char *document = NULL;
  GString *text = g_string_new ("{\"tessera\": 1, \"sources\": {");
  g_autofree char *out = NULL;
  char *child_argv[5];
  GPid pid;
  int out_fd, status;
  struct rusage usage;
  gint64 start;
  double seconds, peak;
  g_autoptr (GError) error = NULL;
  guint refused = 0;

  if (argc < 2)
    {
      g_printerr ("usage: %s TESSERA\n", argv[0]);
      return 2;
    }
  for (guint i = 0; i < CHUNK; i += 8)
    memcpy (chunk + i, "1,22,3,\n", 8);

  server = tess_test_server_new_threaded (handler, NULL);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s/big-%u.csv", tess_test_server_get_base_url (server), i);
      g_string_append_printf (text, "%s\"s%u\": \"%s\"", i ? ", " : "", i, url);
    }
  g_string_append (text, "}, \"fragments\": [");
  for (guint i = 0; i < 4; i++)
    g_string_append_printf (text, "%s{\"id\": \"f%u\", \"source\": \"s%u\", \"views\": [{\"type\": \"table\"}]}",
                            i ? ", " : "", i, i);
  g_string_append (text, "]}");
  dir = tess_test_dir_new ("tessera-bench-peak-XXXXXX");
  document = tess_test_dir_write_file (dir, "four-big.tessera", text->str);
  g_string_free (text, TRUE);

  child_argv[0] = argv[1];
  child_argv[1] = (char *) "--headless";
  child_argv[2] = (char *) "--memory-limit=1GiB";
  child_argv[3] = document;
  child_argv[4] = NULL;
  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, child_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL, &out_fd,
                                 NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  {
    g_autoptr (GIOChannel) channel = g_io_channel_unix_new (out_fd);
    g_io_channel_set_close_on_unref (channel, TRUE);
    g_io_channel_read_to_end (channel, &out, NULL, NULL);
  }
  if (wait4 (pid, &status, 0, &usage) < 0)
    {
      g_printerr ("wait4 failed\n");
      return 1;
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  for (const char *p = out; p && (p = strstr (p, "memory limit for data")) != NULL; p++)
    refused++;
  /* each refusal shows twice: in its slot and in the timeline */
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 1 || refused < 4)
    {
      g_printerr ("unexpected run (status %d, %u refusals):\n%s\n", status, refused, out ? out : "");
      return 1;
    }
  peak = (double) usage.ru_maxrss * 1024 / (double) BUDGET;
  g_print ("bench: trust.peak_rss_mb %.0f MB\n", usage.ru_maxrss / 1024.0);
  g_print ("bench: trust.refused_run_s %.2f s\n", seconds);
  g_print ("bench: trust.peak_over_budget %.3f ratio (goal <= 1.1)\n", peak);
  tess_test_dir_remove (dir);
  return 0;
}
