/* sources.c: loading from paths, file://, resource:// and a SoupServer the
 * test runs on 127.0.0.1: success, errors, redirect loops, timeouts, truncated
 * and slow bodies, content types, size limits, gzip, single flight, progress,
 * cancellation, and the disk cache of downloads (revalidation, no-store, large
 * bodies, cancelled downloads, its limit); local files under a TTL that do
 * not change, and files rewritten in place while they are read.
 */
#define _GNU_SOURCE 1 /* memmem */

#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-json-reader.h"
#include "tess-cache.h"
#include "tess-memory.h"
#include "tess-transform.h"
#include "tess-source.h"
#include "tess-test-dir.h"
#include "tess-test-server.h"
#include "tess-test-wait.h"
#include "frame-compare.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The server, on its own thread and main context, and what it counts */

typedef struct
{
  gint requests;      /* all requests */
  gint slow_requests; /* /slow.csv */
  gint aborted;       /* streamed answers the client closed before the end */
  gint finished;
  gint conditional;  /* requests with If-None-Match or If-Modified-Since */
  gint not_modified; /* 304 answers */
  gint body_bytes;   /* bytes of body written by the answers that can be revalidated */
} Counts;

static TessTestServer *server;
static Counts counts;
static gint tagged_version = 1; /* what /tagged.csv serves, and its ETag */
static GBytes *big_body;        /* what /big.csv serves; made by the test that loads it */
static GBytes *stream_body;     /* what /stream*.csv and .json drip; made by the test that loads them */
static GBytes *random_body;     /* what /random.bin serves; made by the test that fetches it */

#define NO_STORE_MARKER "never-on-disk-4711"

typedef struct
{
  SoupServerMessage *msg;
  guint remaining;
  guint chunk;
  guint interval_ms;
  gboolean truncate; /* close the connection instead of finishing */
  gboolean stall;    /* stop sending, connection open, instead of finishing */
  GSource *source;
  gboolean done;
  GBytes *text; /* what to send, or NULL: lines of x */
} Drip;

static void
drip_free (gpointer data)
{
  Drip *drip = data;
  if (drip->source)
    {
      g_source_destroy (drip->source);
      g_source_unref (drip->source);
    }
  if (drip->text)
    g_bytes_unref (drip->text);
  g_free (drip);
}

static void
on_drip_finished (SoupServerMessage *msg, gpointer data)
{
  Drip *drip = data;
  /* only the cancellation tests' downloads count */
  if (drip->remaining > 0 && !drip->truncate &&
      (g_str_equal (g_uri_get_path (soup_server_message_get_uri (msg)), "/endless.csv") ||
       g_str_equal (g_uri_get_path (soup_server_message_get_uri (msg)), "/endless-tagged.csv")))
    g_atomic_int_inc (&counts.aborted);
  g_atomic_int_inc (&counts.finished);
  drip->done = TRUE;
  if (drip->source)
    {
      g_source_destroy (drip->source);
      g_clear_pointer (&drip->source, g_source_unref);
    }
}

static gboolean
drip_tick (gpointer data)
{
  Drip *drip = data;
  SoupMessageBody *body = soup_server_message_get_response_body (drip->msg);
  guint n = MIN (drip->chunk, drip->remaining);
  char *chunk;

  if (drip->truncate && drip->remaining < drip->chunk * 2)
    {
      /* half of the announced body went out: now the connection closes */
      GSocket *socket = soup_server_message_get_socket (drip->msg);
      g_socket_shutdown (socket, FALSE, TRUE, NULL);
      drip->remaining = 0;
      g_clear_pointer (&drip->source, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  chunk = g_malloc (n);

  if (drip->text)
    memcpy (chunk, (const char *) g_bytes_get_data (drip->text, NULL) + g_bytes_get_size (drip->text) - drip->remaining,
            n);
  else
    {
      memset (chunk, 'x', n);
      for (guint i = 0; i + 1 < n; i += 8)
        chunk[i] = '\n';
    }
  soup_message_body_append_take (body, (guchar *) chunk, n);
  drip->remaining -= n;
  soup_server_message_unpause (drip->msg);
  if (drip->remaining == 0)
    {
      if (!drip->stall)
        soup_message_body_complete (body);
      g_clear_pointer (&drip->source, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static Drip *
start_drip (SoupServerMessage *msg, guint64 announced, guint total, guint chunk, guint interval_ms, gboolean truncate)
{
  Drip *drip = g_new0 (Drip, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  drip->msg = msg;
  drip->remaining = total;
  drip->chunk = chunk;
  drip->interval_ms = interval_ms;
  drip->truncate = truncate;
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/csv", NULL);
  if (announced)
    soup_message_headers_set_content_length (headers, announced);
  else
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), "drip", drip, drip_free);
  g_signal_connect (msg, "finished", G_CALLBACK (on_drip_finished), drip);
  soup_server_message_pause (msg);
  drip->source = g_timeout_source_new (interval_ms);
  g_source_set_callback (drip->source, drip_tick, drip, NULL);
  g_source_attach (drip->source, tess_test_server_get_context (server));
  return drip;
}

static void
on_wrote_body_data (SoupServerMessage *msg, guint chunk_size, gpointer data)
{
  g_atomic_int_add (&counts.body_bytes, (gint) chunk_size);
}

/* Answers with @body and its validators (@etag, @last_modified, either NULL),
 * or with 304 and no body when the request names the current ones, as a
 * server that supports revalidation does. */
static void
answer_validated (SoupServerMessage *msg,
                  const char *etag,
                  const char *last_modified,
                  const char *cache_control,
                  const char *body,
                  gsize length)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  const char *if_none_match = soup_message_headers_get_one (req, "If-None-Match");
  const char *if_modified_since = soup_message_headers_get_one (req, "If-Modified-Since");

  if (if_none_match || if_modified_since)
    g_atomic_int_inc (&counts.conditional);
  if (etag)
    soup_message_headers_replace (resp, "ETag", etag);
  if (last_modified)
    soup_message_headers_replace (resp, "Last-Modified", last_modified);
  if (cache_control)
    soup_message_headers_replace (resp, "Cache-Control", cache_control);
  /* If-None-Match, when sent, decides alone */
  if (if_none_match ? g_strcmp0 (if_none_match, etag) == 0
                    : if_modified_since && g_strcmp0 (if_modified_since, last_modified) == 0)
    {
      g_atomic_int_inc (&counts.not_modified);
      soup_server_message_set_status (msg, 304, NULL);
      return;
    }
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), NULL);
  soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_STATIC, body, length);
  soup_server_message_set_status (msg, 200, NULL);
}

static void
handler (SoupServer *soup_server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);

  g_atomic_int_inc (&counts.requests);
  if (g_str_equal (path, "/data.csv"))
    {
      const char *body = "name,value,when\nalpha,1,2020-01-01\nbeta,2.5,2020-01-02\n";
      soup_server_message_set_response (msg, "text/csv; charset=utf-8", SOUP_MEMORY_STATIC, body, strlen (body));
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (g_str_equal (path, "/records"))
    {
      const char *body = "[{\"a\": 1, \"b\": {\"c\": \"x\"}}, {\"a\": 2, \"b\": {\"c\": \"y\"}}]";
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (g_str_equal (path, "/blob.csv"))
    {
      const char *body = "x;y\n1;2\n";
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_STATIC, body, strlen (body));
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (g_str_equal (path, "/page.csv"))
    {
      const char *body = "<html><body>Sign in</body></html>";
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, body, strlen (body));
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (g_str_equal (path, "/gzip.csv"))
    {
      g_autoptr (GString) text = g_string_new ("n,square\n");
      g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
      g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
      g_autoptr (GOutputStream) zout = g_converter_output_stream_new (mem, G_CONVERTER (compressor));
      for (int i = 0; i < 10000; i++)
        g_string_append_printf (text, "%d,%d\n", i, i * i);
      g_output_stream_write_all (zout, text->str, text->len, NULL, NULL, NULL);
      g_output_stream_close (zout, NULL, NULL);
      soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_COPY,
                                        g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)),
                                        g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Encoding", "gzip");
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (g_str_equal (path, "/auth.csv"))
    {
      const char *auth = soup_message_headers_get_one (req, "Authorization");
      if (g_strcmp0 (auth, "Bearer s3cret-token") == 0)
        {
          const char *body = "ok\n1\n";
          soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_STATIC, body, strlen (body));
          soup_server_message_set_status (msg, 200, NULL);
        }
      else
        soup_server_message_set_status (msg, 401, NULL);
    }
  else if (g_str_equal (path, "/404.csv"))
    soup_server_message_set_status (msg, 404, NULL);
  else if (g_str_equal (path, "/500.csv"))
    soup_server_message_set_status (msg, 500, NULL);
  else if (g_str_equal (path, "/loop"))
    soup_server_message_set_redirect (msg, 302, "/loop");
  else if (g_str_equal (path, "/moved"))
    soup_server_message_set_redirect (msg, 301, "/data.csv");
  else if (g_str_equal (path, "/hang"))
    soup_server_message_pause (msg); /* never answers */
  else if (g_str_equal (path, "/slow.csv"))
    {
      g_atomic_int_inc (&counts.slow_requests);
      tess_test_server_answer_later (server, msg, 200, "text/csv", "k,v\na,1\nb,2\n");
    }
  else if (g_str_equal (path, "/drip.csv"))
    start_drip (msg, 64 * 1024, 64 * 1024, 4096, 15, FALSE); /* about 250 ms */
  else if (g_str_equal (path, "/endless.csv") || g_str_equal (path, "/dripping.csv"))
    start_drip (msg, 100 * 1024 * 1024, 100 * 1024 * 1024, 1024, 10, FALSE);
  else if (g_str_equal (path, "/steady.csv"))
    start_drip (msg, 64 * 1024, 64 * 1024, 4096, 60, FALSE); /* about 1 s, never 60 ms without a byte */
  else if (g_str_equal (path, "/stalling.csv"))
    start_drip (msg, 100000, 20000, 10000, 20, FALSE)->stall = TRUE;
  else if (g_str_equal (path, "/truncated.csv"))
    start_drip (msg, 20000, 20000, 10000, 20, TRUE);
  else if (g_str_equal (path, "/huge.csv"))
    start_drip (msg, G_GUINT64_CONSTANT (10000000000000), 1000000, 1000, 20, FALSE);
  else if (g_str_has_prefix (path, "/two-gigabytes/"))
    start_drip (msg, 0, G_MAXUINT / 2, 1024 * 1024, 1, FALSE); /* chunked, no length announced */
  else if (g_str_equal (path, "/chunked-big.csv"))
    start_drip (msg, 0, 2 * 1024 * 1024, 64 * 1024, 1, FALSE);
  else if (g_str_equal (path, "/tagged.csv"))
    {
      static const char *const bodies[] = { "id,name\n1,one\n2,two\n", "id,name\n1,one\n2,two\n3,three\n" };
      int version = g_atomic_int_get (&tagged_version);
      g_autofree char *etag = g_strdup_printf ("\"v%d\"", version);
      answer_validated (msg, etag, NULL, NULL, bodies[version - 1], strlen (bodies[version - 1]));
    }
  else if (g_str_equal (path, "/dated.csv"))
    {
      const char *body = "day,visits\n2015-10-21,88\n";
      answer_validated (msg, NULL, "Wed, 21 Oct 2015 07:28:00 GMT", NULL, body, strlen (body));
    }
  else if (g_str_equal (path, "/private.csv"))
    {
      const char *body = "token\n" NO_STORE_MARKER "\n";
      answer_validated (msg, "\"p1\"", NULL, "private, no-store", body, strlen (body));
    }
  else if (g_str_equal (path, "/big.csv"))
    answer_validated (msg, "\"big-1\"", NULL, NULL, g_bytes_get_data (big_body, NULL), g_bytes_get_size (big_body));
  else if (g_str_has_prefix (path, "/stream") && strchr (path, '.') &&
           (g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, "json")))
    {
      /* /stream[-chunked|-gzip][-cut].csv|json|ndjson: stream_body, with
       * its length announced, chunked, or compressed; cut: broken off */
      gsize size = g_bytes_get_size (stream_body);
      gboolean chunked = strstr (path, "-chunked") != NULL, cut = strstr (path, "-cut") != NULL;
      const char *type = g_str_has_suffix (path, ".ndjson") ? "application/x-ndjson"
                         : g_str_has_suffix (path, ".json") ? "application/json"
                                                            : "text/csv";
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      if (strstr (path, "-gzip"))
        {
          g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
          g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
          g_autoptr (GOutputStream) zout = g_converter_output_stream_new (mem, G_CONVERTER (compressor));
          g_output_stream_write_all (zout, g_bytes_get_data (stream_body, NULL), size, NULL, NULL, NULL);
          g_output_stream_close (zout, NULL, NULL);
          soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY,
                                            g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)),
                                            g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)));
          soup_message_headers_replace (headers, "Content-Encoding", "gzip");
          soup_server_message_set_status (msg, 200, NULL);
        }
      else
        {
          start_drip (msg, chunked ? 0 : size, size, 512 * 1024, 2, cut)->text = g_bytes_ref (stream_body);
          soup_message_headers_set_content_type (headers, type, NULL);
        }
    }
  else if (g_str_equal (path, "/random.bin"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), random_body);
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (g_str_equal (path, "/endless-tagged.csv"))
    {
      start_drip (msg, 100 * 1024 * 1024, 100 * 1024 * 1024, 1024, 10, FALSE);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", "\"endless\"");
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static char *
url (const char *path)
{
  return tess_test_server_get_url (server, path);
}

static TessFrame *
load (const char *path, const TessLoadOptions *options, GError **error)
{
  g_autofree char *u = url (path);
  return tess_source_load (u, options, NULL, NULL, NULL, error);
}

static void
assert_load_fails (const char *path, const TessLoadOptions *options, const char *expect)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = load (path, options, &error);

  g_assert_null (frame);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", path, error->message);
  g_assert_nonnull (strstr (error->message, expect));
}

/* Tests */

static void
test_local (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "vega", "seattle-weather.csv", NULL);
  g_autofree char *file_uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *json = g_test_build_filename (G_TEST_DIST, "data", "vega", "cars.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) a = tess_source_load (path, NULL, NULL, NULL, NULL, &error);
  g_autoptr (TessFrame) b = NULL;
  g_autoptr (TessFrame) c = NULL;
  g_autoptr (TessFrame) r = NULL;
  g_autoptr (TessFrame) missing = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (a), ==, 1461);
  b = tess_source_load (file_uri, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (b), ==, 1461);
  c = tess_source_load (json, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (c), ==, 406);
  r = tess_source_load ("resource:///io/github/tessera/tests/iowa.csv", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (r), ==, 51);
  missing = tess_source_load ("/nonexistent/file.csv", NULL, NULL, NULL, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  missing = tess_source_load ("ftp://example.com/x.csv", NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_http_success (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) csv = load ("/data.csv", NULL, &error);
  g_autoptr (TessFrame) json = NULL;
  g_autoptr (TessFrame) moved = NULL;
  g_autoptr (TessFrame) blob = NULL;
  g_autoptr (TessFrame) gz = NULL;
  g_autofree char *first = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (csv), ==, 2);
  g_assert_cmpint (tess_column_get_column_type (tess_frame_get_column_by_name (csv, "when")), ==, TESS_COLUMN_DATE);
  first = tess_column_format_value (tess_frame_get_column_by_name (csv, "name"), 0);
  g_assert_cmpstr (first, ==, "alpha");

  json = load ("/records", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (json), ==, 2);
  g_assert_nonnull (tess_frame_get_column_by_name (json, "b.c"));

  moved = load ("/moved", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (moved), ==, 2);

  /* an unhelpful content type: the extension decides */
  blob = load ("/blob.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_columns (blob), ==, 2);

  gz = load ("/gzip.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (gz), ==, 10000);
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (gz, "square"), 9999), ==, 9999 * 9999);
}

static void
test_http_errors (void)
{
  TessLoadOptions short_timeout = { .idle_timeout = 0.3 };
  TessLoadOptions small = { .max_bytes = 1024 * 1024 };

  assert_load_fails ("/404.csv", NULL, "404");
  assert_load_fails ("/500.csv", NULL, "500");
  assert_load_fails ("/loop", NULL, "redirects too many times");
  assert_load_fails ("/hang", &short_timeout, "did not answer for 0.3 s");
  /* a body that stops coming halfway */
  assert_load_fails ("/stalling.csv", &short_timeout, "stalled: no data for 0.3 s after 20");
  assert_load_fails ("/truncated.csv", NULL, "broke off");
  assert_load_fails ("/page.csv", NULL, "text/html");
  /* 10 TB announced: refused before a byte arrives */
  assert_load_fails ("/huge.csv", NULL, "memory limit for data");
  assert_load_fails ("/chunked-big.csv", &small, "larger than the limit of 1048576 bytes");
  /* slow but steady: three times the idle timeout in all, and it arrives */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TessFrame) frame = load ("/steady.csv", &short_timeout, &error);
    g_assert_no_error (error);
    g_assert_nonnull (frame);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TessFrame) frame = tess_source_load ("http://", NULL, NULL, NULL, NULL, &error);
    g_assert_null (frame);
    g_assert_nonnull (error);
  }
}

static void
test_http_connect_timeout (void)
{
  /* A listening socket whose accept queue is full drops new connections'
   * SYNs: connecting hangs until the connect timeout. */
  g_autoptr (GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  g_autofree char *uri = NULL;
  TessLoadOptions options = { .connect_timeout = 0.3, .idle_timeout = 5 };

  g_assert_true (g_socket_bind (listener, any, TRUE, &error));
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  for (int i = 0; i < 4; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, bound, NULL, NULL);
      g_ptr_array_add (fillers, filler);
    }
  g_usleep (50000);
  uri =
      g_strdup_printf ("http://127.0.0.1:%u/never.csv", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  frame = tess_source_load (uri, &options, NULL, NULL, NULL, &error);
  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Could not connect"));
}

static void
test_http_env_headers (void)
{
  const char *headers[] = { "Authorization: Bearer ${env:TESS_TEST_TOKEN}", NULL };
  const char *unset[] = { "Authorization: Bearer ${env:TESS_TEST_UNSET_TOKEN}", NULL };
  TessLoadOptions options = { .headers = headers };
  TessLoadOptions bad = { .headers = unset };
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;

  assert_load_fails ("/auth.csv", NULL, "401");
  g_setenv ("TESS_TEST_TOKEN", "s3cret-token", TRUE);
  frame = load ("/auth.csv", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 1);
  assert_load_fails ("/auth.csv", &bad, "TESS_TEST_UNSET_TOKEN");
  g_unsetenv ("TESS_TEST_TOKEN");
}

typedef struct
{
  char *uri;
  GCancellable *cancellable;
  TessFrame *frame;
  GError *error;
  guint64 last_received;
  guint64 last_total;
  guint progress_calls;
  gint *started;
} Loader;

static void
on_progress (guint64 received, guint64 total, gpointer data)
{
  Loader *loader = data;
  g_assert_cmpuint (received, >=, loader->last_received);
  loader->last_received = received;
  loader->last_total = total;
  loader->progress_calls++;
  if (loader->started && received > 0)
    g_atomic_int_set (loader->started, 1);
}

static gpointer
loader_thread (gpointer data)
{
  Loader *loader = data;
  loader->frame = tess_source_load (loader->uri, NULL, loader->cancellable, on_progress, loader, &loader->error);
  return NULL;
}

static void
loader_clear (Loader *loader)
{
  g_free (loader->uri);
  g_clear_object (&loader->cancellable);
  g_clear_pointer (&loader->frame, tess_frame_unref);
  g_clear_error (&loader->error);
}

static void
test_single_flight (void)
{
  Loader loaders[16] = { 0 };
  GThread *threads[16];

  for (int i = 0; i < 16; i++)
    {
      loaders[i].uri = url ("/slow.csv");
      threads[i] = g_thread_new ("loader", loader_thread, &loaders[i]);
    }
  for (int i = 0; i < 16; i++)
    g_thread_join (threads[i]);
  for (int i = 0; i < 16; i++)
    {
      g_assert_no_error (loaders[i].error);
      g_assert_true (loaders[i].frame == loaders[0].frame);
    }
  g_assert_cmpuint (tess_frame_get_n_rows (loaders[0].frame), ==, 2);
  g_assert_cmpint (g_atomic_int_get (&counts.slow_requests), ==, 1);
  for (int i = 0; i < 16; i++)
    loader_clear (&loaders[i]);

  /* cached now: no new request */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TessFrame) again = load ("/slow.csv", NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (again);
    g_assert_cmpint (g_atomic_int_get (&counts.slow_requests), ==, 1);
    tess_cache_clear ();
  }
}

static void
test_progress (void)
{
  Loader loader = { .uri = url ("/drip.csv") };

  loader_thread (&loader);
  g_assert_no_error (loader.error);
  g_assert_cmpuint (loader.last_received, ==, 64 * 1024);
  g_assert_cmpuint (loader.last_total, ==, 64 * 1024);
  g_assert_cmpuint (loader.progress_calls, >=, 2);
  loader_clear (&loader);
}

static void
wait_for (gint *flag)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!g_atomic_int_get (flag) && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_true (g_atomic_int_get (flag));
}

static void
test_cancel (void)
{
  gint started = 0;
  Loader a = { .uri = url ("/endless.csv"), .cancellable = g_cancellable_new (), .started = &started };
  Loader b = { .uri = url ("/endless.csv"), .cancellable = g_cancellable_new () };
  GThread *ta, *tb;
  gint aborted_before = g_atomic_int_get (&counts.aborted);

  ta = g_thread_new ("a", loader_thread, &a);
  wait_for (&started);
  tb = g_thread_new ("b", loader_thread, &b);
  g_usleep (50000);

  /* one of two waiters cancels: it returns at once, the download goes on */
  g_cancellable_cancel (a.cancellable);
  g_thread_join (ta); /* returns although the download would take minutes */
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_usleep (100000);
  g_assert_cmpint (g_atomic_int_get (&counts.aborted), ==, aborted_before);

  /* the last waiter cancels: the request is aborted */
  g_cancellable_cancel (b.cancellable);
  g_thread_join (tb);
  g_assert_error (b.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    while (g_atomic_int_get (&counts.aborted) == aborted_before && g_get_monotonic_time () < deadline)
      g_usleep (1000);
  }
  g_assert_cmpint (g_atomic_int_get (&counts.aborted), ==, aborted_before + 1);
  loader_clear (&a);
  loader_clear (&b);
}

static gboolean
budget_is_whole (gpointer data)
{
  return tess_memory_get_used () == 0;
}

static gpointer
load_in_thread (gpointer data)
{
  g_autofree char *path = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = load (path, NULL, &error);

  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  return g_strdup (error->message);
}

/* Four parallel downloads of 2 GiB under one budget of 64 MiB: each fails
 * with the budget's message once the bytes of all four cross it, and gives
 * its bytes back; the budget is whole again afterwards. */
static void
test_memory_budget (void)
{
  GThread *threads[4];
  g_autoptr (TessFrame) frame = NULL;
  g_autoptr (GError) error = NULL;
  guint64 frame_bytes;

  tess_cache_clear ();
  g_assert_cmpuint (tess_memory_get_used (), ==, 0);
  tess_memory_set_limit (64 * 1024 * 1024);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("load", load_in_thread, g_strdup_printf ("/two-gigabytes/%u.csv", i));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autofree char *message = g_thread_join (threads[i]);
      g_test_message ("%s", message);
      g_assert_nonnull (strstr (message, "would exceed the 64 MiB memory limit for data"));
    }
  /* the I/O thread lets go of a failed download a moment after its waiters */
  tess_test_poll_until (NULL, budget_is_whole, NULL, 10, "the failed downloads to give their bytes back");

  /* a loaded frame holds its size while it lives */
  frame = load ("/data.csv", NULL, &error);
  g_assert_no_error (error);
  frame_bytes = tess_frame_get_bytes (frame);
  g_assert_cmpuint (tess_memory_get_used (), ==, frame_bytes);
  tess_cache_clear ();
  g_assert_cmpuint (tess_memory_get_used (), ==, frame_bytes);
  g_clear_pointer (&frame, tess_frame_unref);
  tess_test_poll_until (NULL, budget_is_whole, NULL, 10, "the frame to give its bytes back");
  tess_memory_set_limit (0);
}

static void
test_memory_sizes (void)
{
  const struct
  {
    const char *text;
    guint64 bytes;
  } good[] = {
    { "1GiB", G_GUINT64_CONSTANT (1) << 30 },   { "512 MiB", 512 << 20 }, { "4G", G_GUINT64_CONSTANT (4) << 30 },
    { "1.5GiB", G_GUINT64_CONSTANT (3) << 29 }, { "2000000", 2000000 },   { "3 GB", 3000000000 },
  };
  const char *bad[] = { "", "GiB", "-1GiB", "0", "1 parsec", "nan", "1e30 TiB" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      guint64 bytes = 0;
      g_autoptr (GError) error = NULL;
      g_assert_true (tess_memory_parse_size (good[i].text, &bytes, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (bytes, ==, good[i].bytes);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint64 bytes = 0;
      g_autoptr (GError) error = NULL;
      g_assert_false (tess_memory_parse_size (bad[i], &bytes, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  g_assert_cmpuint (tess_memory_get_default_limit (), >, 0);
}

static void
test_fetch_and_parse (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *u = url ("/data.csv");
  g_autofree char *content_type = NULL;
  g_autoptr (GBytes) bytes = tess_source_fetch (u, NULL, NULL, NULL, NULL, &content_type, &error);
  g_autoptr (TessFrame) frame = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (strstr (content_type, "text/csv"));
  frame = tess_source_parse (bytes, content_type, u, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 2);
}

/* A body fetched whole, of a known length many times the stretch its pages
 * are mapped in by, ending inside a page, arrives byte for byte. */
static void
test_http_fetch_large (void)
{
  g_autofree char *u = url ("/random.bin");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) fetched = NULL;
  GByteArray *made = g_byte_array_sized_new (10 * 1024 * 1024 + 123);
  GRand *rand = g_rand_new_with_seed (4711);

  for (guint i = 0; i < 10 * 1024 * 1024 + 123; i++)
    {
      guint8 byte = g_rand_int_range (rand, 0, 256);
      g_byte_array_append (made, &byte, 1);
    }
  g_rand_free (rand);
  random_body = g_byte_array_free_to_bytes (made);
  fetched = tess_source_fetch (u, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (fetched), ==, g_bytes_get_size (random_body));
  g_assert_true (g_bytes_equal (fetched, random_body));
  g_clear_pointer (&random_body, g_bytes_unref);
}

/* The disk cache of downloads */

static char *
disk_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "tessera", "http-cache", NULL);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The names in the disk cache's folder, temporaries included, one string. */
static char *
list_disk_cache (void)
{
  g_autofree char *dir = disk_cache_dir ();
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  const char *name;

  while (handle && (name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, (char *) name);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Whether any file in the disk cache's folder holds @text. */
static gboolean
disk_cache_holds (const char *text)
{
  g_autofree char *dir = disk_cache_dir ();
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_get_contents (path, &contents, &length, NULL) && memmem (contents, length, text, strlen (text)))
        return TRUE;
    }
  return FALSE;
}

/* The size of the largest file in the disk cache's folder. */
static guint64
largest_in_disk_cache (void)
{
  g_autofree char *dir = disk_cache_dir ();
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint64 largest = 0;

  while (handle && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0)
        largest = MAX (largest, (guint64) st.st_size);
    }
  return largest;
}

static void
assert_column_equal (TessFrame *a, TessFrame *b, const char *column)
{
  TessColumn *x = tess_frame_get_column_by_name (a, column);
  TessColumn *y = tess_frame_get_column_by_name (b, column);

  g_assert_cmpuint (tess_frame_get_n_rows (a), ==, tess_frame_get_n_rows (b));
  for (gsize row = 0; row < tess_frame_get_n_rows (a); row++)
    {
      g_autofree char *u = tess_column_format_value (x, row);
      g_autofree char *v = tess_column_format_value (y, row);
      g_assert_cmpstr (u, ==, v);
    }
}

/* After a reload (the frame cache cleared), a kept download is asked for
 * with its validators, and a 304 transfers no body; a changed one (a new
 * ETag) is downloaded again. */
static void
test_http_cache_revalidate (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) first = NULL;
  g_autoptr (TessFrame) again = NULL;
  g_autoptr (TessFrame) changed = NULL;
  g_autoptr (TessFrame) changed_again = NULL;
  g_autoptr (TessFrame) dated = NULL;
  g_autoptr (TessFrame) dated_again = NULL;
  gint body_bytes;
  gint conditional = g_atomic_int_get (&counts.conditional);
  gint not_modified = g_atomic_int_get (&counts.not_modified);

  g_atomic_int_set (&tagged_version, 1);
  first = load ("/tagged.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (first), ==, 2);
  g_assert_cmpint (g_atomic_int_get (&counts.conditional), ==, conditional);
  body_bytes = g_atomic_int_get (&counts.body_bytes);
  g_assert_cmpint (body_bytes, >, 0);

  /* the dashboard reloads while it still shows the first frame: the 304
   * hands that frame back, nothing is parsed again */
  tess_cache_clear ();
  again = load ("/tagged.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (again == first);
  g_assert_cmpint (g_atomic_int_get (&counts.conditional), ==, conditional + 1);
  g_assert_cmpint (g_atomic_int_get (&counts.not_modified), ==, not_modified + 1);
  g_assert_cmpint (g_atomic_int_get (&counts.body_bytes), ==, body_bytes);

  /* once no one holds it, a 304 reads the body kept on disk */
  {
    g_autoptr (TessFrame) kept = tess_frame_ref (first);
    g_autofree char *name = tess_column_format_value (tess_frame_get_column_by_name (kept, "name"), 0);
    g_clear_pointer (&first, tess_frame_unref);
    g_clear_pointer (&again, tess_frame_unref);
    g_assert_true (tess_frame_get_n_rows (kept) == 2);
    g_clear_pointer (&kept, tess_frame_unref);
    tess_cache_clear ();
    again = load ("/tagged.csv", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tess_frame_get_n_rows (again), ==, 2);
    g_autofree char *name_again = tess_column_format_value (tess_frame_get_column_by_name (again, "name"), 0);
    g_assert_cmpstr (name_again, ==, name);
    g_assert_cmpint (g_atomic_int_get (&counts.not_modified), ==, not_modified + 2);
    g_assert_cmpint (g_atomic_int_get (&counts.body_bytes), ==, body_bytes);
    first = tess_frame_ref (again);
    conditional++;
    not_modified++;
  }

  /* changed on the server: asked for with the old ETag, downloaded again */
  g_atomic_int_set (&tagged_version, 2);
  tess_cache_clear ();
  changed = load ("/tagged.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (changed), ==, 3);
  g_assert_cmpint (g_atomic_int_get (&counts.conditional), ==, conditional + 2);
  g_assert_cmpint (g_atomic_int_get (&counts.not_modified), ==, not_modified + 1);
  g_assert_cmpint (g_atomic_int_get (&counts.body_bytes), >, body_bytes);
  body_bytes = g_atomic_int_get (&counts.body_bytes);

  /* and the new version is what the disk keeps now */
  tess_cache_clear ();
  changed_again = load ("/tagged.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (changed_again), ==, 3);
  g_assert_cmpint (g_atomic_int_get (&counts.not_modified), ==, not_modified + 2);
  g_assert_cmpint (g_atomic_int_get (&counts.body_bytes), ==, body_bytes);

  /* Last-Modified alone is enough to ask with */
  dated = load ("/dated.csv", NULL, &error);
  g_assert_no_error (error);
  tess_cache_clear ();
  body_bytes = g_atomic_int_get (&counts.body_bytes);
  dated_again = load ("/dated.csv", NULL, &error);
  g_assert_no_error (error);
  assert_column_equal (dated, dated_again, "visits");
  g_assert_cmpint (g_atomic_int_get (&counts.not_modified), ==, not_modified + 3);
  g_assert_cmpint (g_atomic_int_get (&counts.body_bytes), ==, body_bytes);
  tess_cache_clear ();
}

/* Cache-Control: no-store is never written to disk, nor asked for again
 * with a validator. */
static void
test_http_cache_no_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) first = NULL;
  g_autoptr (TessFrame) again = NULL;
  g_autofree char *before = list_disk_cache ();
  g_autofree char *after = NULL;
  gint conditional = g_atomic_int_get (&counts.conditional);

  first = load ("/private.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (first), ==, 1);
  tess_cache_clear ();
  again = load ("/private.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (again), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&counts.conditional), ==, conditional);
  after = list_disk_cache ();
  g_assert_cmpstr (after, ==, before);
  g_assert_false (disk_cache_holds (NO_STORE_MARKER));
  tess_cache_clear ();
}

/* A body of 40 MB, larger than anything the old cache kept (a tenth of its
 * 256 MiB), is kept and revalidated. */
static void
test_http_cache_large (void)
{
  g_autoptr (GString) text = g_string_new ("id,amount,label\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) first = NULL;
  g_autoptr (TessFrame) again = NULL;
  gsize rows = 0;
  gint body_bytes;
  gint not_modified = g_atomic_int_get (&counts.not_modified);

  while (text->len < 40 * 1000 * 1000)
    {
      g_string_append_printf (text, "%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT ".%02u,item-%" G_GSIZE_FORMAT "\n", rows,
                              rows * 7 % 10000, (guint) (rows % 100), rows % 977);
      rows++;
    }
  big_body = g_string_free_to_bytes (g_steal_pointer (&text));

  body_bytes = g_atomic_int_get (&counts.body_bytes);
  first = load ("/big.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (first), ==, rows);
  g_assert_cmpint (g_atomic_int_get (&counts.body_bytes) - body_bytes, ==, g_bytes_get_size (big_body));
  g_assert_cmpuint (largest_in_disk_cache (), >, g_bytes_get_size (big_body));

  tess_cache_clear ();
  body_bytes = g_atomic_int_get (&counts.body_bytes);
  again = load ("/big.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (again), ==, rows);
  assert_column_equal (first, again, "label");
  g_assert_cmpint (g_atomic_int_get (&counts.not_modified), ==, not_modified + 1);
  g_assert_cmpint (g_atomic_int_get (&counts.body_bytes), ==, body_bytes);
  g_clear_pointer (&first, tess_frame_unref);
  g_clear_pointer (&again, tess_frame_unref);
  tess_cache_clear ();
}

typedef struct
{
  gint aborted_before;
  const char *before;
} CancelledDownload;

static gboolean
cancelled_download_is_gone (gpointer data)
{
  CancelledDownload *cancelled = data;
  g_autofree char *now = list_disk_cache ();

  return g_atomic_int_get (&counts.aborted) > cancelled->aborted_before && g_str_equal (now, cancelled->before);
}

/* A download cancelled midway leaves nothing in the disk cache's folder: no
 * entry, no temporary file. */
static void
test_http_cache_cancel (void)
{
  gint started = 0;
  Loader loader = { .uri = url ("/endless-tagged.csv"), .cancellable = g_cancellable_new (), .started = &started };
  g_autofree char *before = list_disk_cache ();
  CancelledDownload cancelled = { g_atomic_int_get (&counts.aborted), before };
  GThread *thread = g_thread_new ("loader", loader_thread, &loader);

  wait_for (&started);
  g_usleep (100000);
  g_cancellable_cancel (loader.cancellable);
  g_thread_join (thread);
  g_assert_error (loader.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  tess_test_poll_until (NULL, cancelled_download_is_gone, &cancelled, 10,
                        "the cancelled download to leave the disk cache as it was");
  loader_clear (&loader);
}

static gboolean
disk_cache_is_empty (gpointer data)
{
  g_autofree char *names = list_disk_cache ();
  return *names == '\0';
}

/* A lower limit removes what no longer fits, and keeps out what does not. */
static void
test_http_cache_limit (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) first = NULL;
  g_autoptr (TessFrame) again = NULL;
  g_autoptr (TessFrame) kept = NULL;
  gint conditional;

  /* something is kept from the tests before, or from this load */
  first = load ("/dated.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_source_get_disk_cache_limit (), ==, G_GUINT64_CONSTANT (2) << 30);

  tess_source_set_disk_cache_limit (16);
  g_assert_cmpuint (tess_source_get_disk_cache_limit (), ==, 16);
  tess_test_poll_until (NULL, disk_cache_is_empty, NULL, 10, "the disk cache to give up what is above its limit");
  tess_cache_clear ();
  conditional = g_atomic_int_get (&counts.conditional);
  again = load ("/dated.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_atomic_int_get (&counts.conditional), ==, conditional);
  g_assert_true (disk_cache_is_empty (NULL));

  /* the default again: kept, and asked for with its validator */
  tess_source_set_disk_cache_limit (0);
  g_assert_cmpuint (tess_source_get_disk_cache_limit (), ==, G_GUINT64_CONSTANT (2) << 30);
  tess_cache_clear ();
  g_clear_pointer (&again, tess_frame_unref);
  again = load ("/dated.csv", NULL, &error);
  g_assert_no_error (error);
  tess_cache_clear ();
  kept = load ("/dated.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_atomic_int_get (&counts.conditional), ==, conditional + 1);
  tess_cache_clear ();
}

/* The folder where libsoup's cache kept bodies is gone once a download ran. */
static void
test_http_cache_old_folder (void)
{
  g_autofree char *old = g_build_filename (g_get_user_cache_dir (), "tessera", "http", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = load ("/data.csv", NULL, &error);

  g_assert_no_error (error);
  g_assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
  tess_cache_clear ();
}

/* Local files that live dashboards read again and again */

/* Rewrites @path in place, as many programs do (same inode, no rename). */
static void
rewrite_in_place (const char *path, const char *contents)
{
  gsize length = strlen (contents);
  int fd = open (path, O_WRONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, contents, length, 0), ==, (gssize) length);
  g_assert_cmpint (ftruncate (fd, length), ==, 0);
  close (fd);
}

/* Opens of the watched file since the last call. */
static guint
count_opens (int watch_fd)
{
  char buffer[4096] __attribute__ ((aligned (__alignof__(struct inotify_event))));
  guint opens = 0;
  gssize length;

  while ((length = read (watch_fd, buffer, sizeof buffer)) > 0)
    for (char *p = buffer; p < buffer + length;)
      {
        const struct inotify_event *event = (const struct inotify_event *) p;
        if (event->mask & IN_OPEN)
          opens++;
        p += sizeof *event + event->len;
      }
  return opens;
}

static TessFrame *
load_live (const char *path, const TessLoadOptions *options, guint expect_rows)
{
  g_autoptr (GError) error = NULL;
  TessFrame *frame = tess_source_load (path, options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, expect_rows);
  return frame;
}

static void
test_local_ttl_unchanged (void)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-live-XXXXXX");
  g_autofree char *path = tess_test_dir_write_file (dir, "live.csv", "date,value\n2024-01-01,1\n2024-01-02,2\n");
  TessLoadOptions options = { 0 };
  g_autoptr (TessFrame) shown = NULL;
  g_autoptr (TessFrame) changed = NULL;
  struct timespec times[2] = { { 0, UTIME_OMIT }, { 0, 0 } };
  TessColumn *value;
  int watch_fd;

  tess_cache_clear ();
  watch_fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  g_assert_cmpint (watch_fd, >=, 0);
  g_assert_cmpint (inotify_add_watch (watch_fd, path, IN_OPEN), >=, 0);
  options.ttl = 0.05; /* as a source with ttl "50ms" under a run_every */

  shown = load_live (path, &options, 2);
  g_assert_cmpuint (count_opens (watch_fd), ==, 1);
  /* the TTL runs out between runs: while the frame is shown, it comes back */
  for (guint run = 0; run < 3; run++)
    {
      g_autoptr (TessFrame) again = NULL;
      g_usleep (60 * G_TIME_SPAN_MILLISECOND);
      again = load_live (path, &options, 2);
      g_assert_true (again == shown);
    }
  /* and when nothing but the cache holds it, the file is still not read */
  g_clear_pointer (&shown, tess_frame_unref);
  for (guint run = 0; run < 3; run++)
    {
      g_autoptr (TessFrame) again = NULL;
      g_usleep (60 * G_TIME_SPAN_MILLISECOND);
      again = load_live (path, &options, 2);
    }
  g_assert_cmpuint (count_opens (watch_fd), ==, 0);
  /* the dashboard reloads (the cache forgets) while the frame is shown */
  shown = load_live (path, &options, 2);
  tess_cache_clear ();
  {
    g_autoptr (TessFrame) again = load_live (path, &options, 2);
    g_assert_true (again == shown);
  }
  g_assert_cmpuint (count_opens (watch_fd), ==, 0);

  /* a new size is a new version, read once */
  rewrite_in_place (path, "date,value\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n");
  count_opens (watch_fd);
  changed = load_live (path, &options, 3);
  g_assert_cmpuint (count_opens (watch_fd), ==, 1);
  g_clear_pointer (&changed, tess_frame_unref);
  /* so is a new modification time over the same size */
  rewrite_in_place (path, "date,value\n2024-01-01,7\n2024-01-02,8\n2024-01-03,9\n");
  times[1].tv_sec = time (NULL) - 3600;
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
  count_opens (watch_fd);
  changed = load_live (path, &options, 3);
  g_assert_cmpuint (count_opens (watch_fd), ==, 1);
  value = tess_frame_get_column_by_name (changed, "value");
  g_assert_cmpint (tess_column_get_int64 (value, 2), ==, 9);
  /* the previous versions, which no load can ask for again, are not kept */
  g_assert_cmpuint (tess_cache_get_n_entries (), ==, 1);

  close (watch_fd);
  tess_test_dir_remove (dir);
}

/* Every version of the rewritten file: its rows (and so its size, always
 * between one and two pages, so that no reader's mapping ever reaches past
 * the end of the file) and the value in every row, 100000 + the version. */
#define REWRITE_ROWS(version) (240 + ((version) % 4) * 60)

static char *
rewrite_version_text (guint version)
{
  GString *text = g_string_new ("date,value\n");

  for (guint i = 0; i < REWRITE_ROWS (version); i++)
    g_string_append_printf (text, "2024-01-01,%u\n", 100000 + version);
  g_assert_cmpuint (text->len, >, 4096);
  g_assert_cmpuint (text->len, <, 8192);
  return g_string_free (text, FALSE);
}

typedef struct
{
  const char *path;
  gint stop;
  gint last_version;
} Rewriter;

/* Rewrites the file in place, slowly (256 bytes at a time), until told to
 * stop: bursts of versions one after the other (a file that keeps changing
 * for longer than the load waits), then versions with pauses between them
 * (each written while loads may be reading). */
static gpointer
rewriter_main (gpointer data)
{
  Rewriter *rewriter = data;

  for (guint version = 1; !g_atomic_int_get (&rewriter->stop); version++)
    {
      g_autofree char *text = rewrite_version_text (version);
      gsize length = strlen (text);
      int fd = open (rewriter->path, O_WRONLY | O_CLOEXEC);

      g_assert_cmpint (fd, >=, 0);
      for (gsize offset = 0; offset < length; offset += 256)
        {
          g_assert_cmpint (pwrite (fd, text + offset, MIN (256, length - offset), offset), >, 0);
          g_usleep (300);
        }
      g_assert_cmpint (ftruncate (fd, length), ==, 0);
      close (fd);
      g_atomic_int_set (&rewriter->last_version, version);
      if (version % 32 >= 24)
        g_usleep (120 * G_TIME_SPAN_MILLISECOND);
    }
  return NULL;
}

/* The whole of one version: both columns, and every row of it. */
static guint
assert_one_version (TessFrame *frame)
{
  TessColumn *date = tess_frame_get_column_by_name (frame, "date");
  TessColumn *value = tess_frame_get_column_by_name (frame, "value");
  guint version;

  g_assert_nonnull (date);
  g_assert_nonnull (value);
  g_assert_cmpuint (tess_frame_get_n_columns (frame), ==, 2);
  g_assert_cmpint (tess_column_get_column_type (value), ==, TESS_COLUMN_INT64);
  version = tess_column_get_int64 (value, 0) - 100000;
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, REWRITE_ROWS (version));
  for (gsize row = 0; row < tess_frame_get_n_rows (frame); row++)
    g_assert_cmpint (tess_column_get_int64 (value, row), ==, 100000 + version);
  return version;
}

static void
test_local_rewritten_while_read (void)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-rewritten-XXXXXX");
  g_autofree char *first = rewrite_version_text (0);
  g_autofree char *path = tess_test_dir_write_file (dir, "live.csv", first);
  Rewriter rewriter = { path, FALSE, 0 };
  TessLoadOptions options = { 0 };
  g_autoptr (TessFrame) settled = NULL;
  g_autoptr (GError) error = NULL;
  GThread *thread;
  guint read = 0, busy = 0;

  options.ttl = 0.05;
  thread = g_thread_new ("rewriter", rewriter_main, &rewriter);
  for (guint run = 0; run < 80; run++)
    {
      g_autoptr (TessFrame) frame = tess_source_load (path, &options, NULL, NULL, NULL, &error);

      if (frame)
        {
          assert_one_version (frame);
          read++;
        }
      else
        {
          /* never a half-written file's columns or rows, never a parse error */
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
          g_assert_nonnull (strstr (error->message, "keeps changing while it is read"));
          g_assert_nonnull (strstr (error->message, "live.csv"));
          g_clear_error (&error);
          busy++;
        }
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
  g_atomic_int_set (&rewriter.stop, TRUE);
  g_thread_join (thread);
  g_test_message ("%u loads read one version, %u found the file changing", read, busy);

  /* once it is written, the file reads whole, at its last version */
  settled = tess_source_load (path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_one_version (settled), ==, g_atomic_int_get (&rewriter.last_version));
  tess_test_dir_remove (dir);
}

/* A large CSV body of known length is parsed as it arrives, on every core:
 * the same table as the whole text gives, some columns only as well, and a
 * download that breaks off fails with the download's own error. */
static void
test_http_streamed (void)
{
  g_autoptr (GString) text = g_string_new ("id,note,amount,city\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) expected = NULL;
  g_autoptr (TessFrame) streamed = NULL;
  g_autoptr (TessFrame) partial = NULL;
  const char *const some[] = { "city", "amount", NULL };
  TessLoadOptions options = { .columns = some };
  gsize rows = 0;

  /* quoted line breaks and delimiters everywhere, so that chunks are cut
   * inside quotes too */
  while (text->len < 12 * 1000 * 1000)
    {
      g_string_append_printf (text,
                              "%" G_GSIZE_FORMAT ",\"line %" G_GSIZE_FORMAT "\nnext, \"\"quoted\"\"\",%" G_GSIZE_FORMAT
                              ".%02u,\"%s\"\n",
                              rows, rows, rows * 7 % 10000, (guint) (rows % 100), rows % 3 ? "Oslo, NO" : "Lima, PE");
      rows++;
    }
  expected = tess_csv_read (text->str, text->len, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  stream_body = g_string_free_to_bytes (g_steal_pointer (&text));

  tess_cache_clear ();
  streamed = load ("/stream.csv", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (streamed), ==, rows);
  g_assert_cmpuint (tess_frame_get_n_columns (streamed), ==, 4);
  for (const char *const *c = (const char *const[]){ "id", "note", "amount", "city", NULL }; *c; c++)
    {
      assert_column_equal (expected, streamed, *c);
      g_assert_cmpint (tess_column_get_column_type (tess_frame_get_column_by_name (streamed, *c)), ==,
                       tess_column_get_column_type (tess_frame_get_column_by_name (expected, *c)));
    }

  tess_cache_clear ();
  partial = load ("/stream.csv", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_columns (partial), ==, 2);
  assert_column_equal (expected, partial, "city");
  assert_column_equal (expected, partial, "amount");

  tess_cache_clear ();
  assert_load_fails ("/stream-cut.csv", NULL, "broke off");
  g_clear_pointer (&streamed, tess_frame_unref);
  g_clear_pointer (&partial, tess_frame_unref);
  tess_cache_clear ();
}

/* A JSON text of about @bytes: records with nested objects, escapes, a
 * column that turns from date to text far in (the reader starts over), and
 * now and then a long string. */
static GString *
streamed_json_text (gsize bytes, gboolean ndjson)
{
  GString *text = g_string_new (ndjson ? "" : "[\n");

  for (gsize row = 0; text->len < bytes; row++)
    {
      g_string_append_printf (text,
                              "%s{\"id\": %" G_GSIZE_FORMAT ", \"amount\": %" G_GSIZE_FORMAT
                              ".%02u, \"day\": \"%s\", \"note\": \"line \\\"%" G_GSIZE_FORMAT
                              "\\\" \\u00e9\", \"address\": {\"city\": \"%s\"}",
                              row == 0 || ndjson ? "" : ",\n", row, row * 7 % 10000, (guint) (row % 100),
                              text->len > bytes * 9 / 10 && row % 1000 == 7 ? "soon" : "2024-05-17", row,
                              row % 3 ? "Oslo" : "Lima");
      if (row % 5000 == 0)
        {
          g_string_append (text, ", \"long\": \"");
          for (guint i = 0; i < 100000; i++)
            g_string_append_c (text, 'a' + i % 26);
          g_string_append_c (text, '"');
        }
      g_string_append (text, ndjson ? "}\n" : "}");
    }
  g_string_append (text, ndjson ? "" : "\n]\n");
  return text;
}

/* A JSON body is read as it arrives, one of a known length (12 MB) or one
 * whose length is known only at its end (chunked, or compressed): the same
 * table as the whole text gives, in an array or NDJSON, some columns only
 * as well; an error far in is the whole text's; a download that breaks off
 * fails with the download's own error; and a body of unknown length larger
 * than the memory budget fails with the budget's words. */
static void
test_http_streamed_json (void)
{
  /* in the order of the text: a partial frame keeps it */
  const char *const some[] = { "day", "address.city", NULL };
  TessLoadOptions options = { .columns = some };
  static const char *const kinds[] = { "", "-chunked", "-gzip" };

  for (int ndjson = 0; ndjson <= 1; ndjson++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        g_autofree char *path = g_strdup_printf ("/stream%s.%s", kinds[k], ndjson ? "ndjson" : "json");
        g_autoptr (GString) text = streamed_json_text (12 * 1000 * 1000, ndjson);
        g_autoptr (GError) error = NULL;
        g_autoptr (TessFrame) expected = tess_json_read (text->str, text->len, TESS_JSON_AUTO, NULL, &error);
        g_autoptr (TessFrame) expected_some = NULL;
        g_autoptr (TessFrame) streamed = NULL;
        g_autoptr (TessFrame) partial = NULL;
        g_autofree char *expected_error = NULL;
        g_autofree char *u = url (path);

        g_test_message ("%s", path);
        g_assert_no_error (error);
        g_assert_cmpint (tess_column_get_column_type (tess_frame_get_column_by_name (expected, "day")), ==,
                         TESS_COLUMN_STRING);
        stream_body = g_string_free_to_bytes (g_string_new_len (text->str, text->len));
        tess_cache_clear ();
        streamed = load (path, NULL, &error);
        g_assert_no_error (error);
        assert_same_frame (expected, streamed);

        tess_cache_clear ();
        partial = load (path, &options, &error);
        g_assert_no_error (error);
        expected_some = tess_frame_select (expected, some, NULL);
        assert_same_frame (expected_some, partial);
        g_clear_pointer (&partial, tess_frame_unref);
        g_bytes_unref (stream_body);

        /* a record far in that is not JSON */
        g_string_insert (text, text->len * 4 / 5, ndjson ? "\n{\"id\": }\n" : "\n{\"id\": },");
        g_clear_pointer (&expected, tess_frame_unref);
        expected = tess_json_read (text->str, text->len, TESS_JSON_AUTO, NULL, &error);
        g_assert_null (expected);
        expected_error = g_strdup_printf ("%s: %s", u, error->message);
        g_clear_error (&error);
        stream_body = g_string_free_to_bytes (g_string_new_len (text->str, text->len));
        tess_cache_clear ();
        partial = load (path, NULL, &error);
        g_assert_null (partial);
        g_assert_nonnull (error);
        g_assert_cmpstr (error->message, ==, expected_error);
        g_clear_pointer (&stream_body, g_bytes_unref);
      }

  {
    g_autoptr (GString) text = streamed_json_text (12 * 1000 * 1000, FALSE);
    stream_body = g_string_free_to_bytes (g_steal_pointer (&text));
    tess_cache_clear ();
    assert_load_fails ("/stream-cut.json", NULL, "broke off");
    /* a chunked answer cut off reads as one that ended there: the text is
     * then cut short, and says so where */
    tess_cache_clear ();
    assert_load_fails ("/stream-chunked-cut.json", NULL, "stream-chunked-cut.json: Line");
    /* 12 MB of unknown length against a budget of 4 MiB */
    tess_cache_clear ();
    tess_memory_set_limit (4 * 1024 * 1024);
    assert_load_fails ("/stream-chunked.json", NULL, "memory limit for data");
    assert_load_fails ("/stream-gzip.json", NULL, "memory limit for data");
    tess_memory_set_limit (0);
    g_assert_cmpuint (tess_memory_get_used (), ==, 0);
    g_clear_pointer (&stream_body, g_bytes_unref);
  }
  tess_cache_clear ();
}

int
main (int argc, char **argv)
{
  g_autofree char *cache_dir = tess_test_dir_new ("tess-sources-XXXXXX");
  int status;

  /* the HTTP cache goes to a fresh folder, removed at the end */
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  /* where libsoup's cache kept its files before */
  {
    g_autofree char *old = g_build_filename (cache_dir, "tessera", "http", NULL);
    g_autofree char *index = NULL;
    g_assert_cmpint (g_mkdir_with_parents (old, 0700), ==, 0);
    index = tess_test_dir_write_file (old, "soup.cache2", "an index");
    g_free (tess_test_dir_write_file (old, "10537206486476434915", "a body"));
  }
  g_test_init (&argc, &argv, NULL);
  server = tess_test_server_new_threaded (handler, NULL);
  g_test_add_func ("/Data/source/local", test_local);
  g_test_add_func ("/Data/source/local-ttl-unchanged", test_local_ttl_unchanged);
  g_test_add_func ("/Data/source/local-rewritten-while-read", test_local_rewritten_while_read);
  g_test_add_func ("/Data/source/http-success", test_http_success);
  g_test_add_func ("/Data/source/http-errors", test_http_errors);
  g_test_add_func ("/Data/source/http-connect-timeout", test_http_connect_timeout);
  g_test_add_func ("/Data/source/http-env-headers", test_http_env_headers);
  g_test_add_func ("/Data/source/single-flight", test_single_flight);
  g_test_add_func ("/Data/source/progress", test_progress);
  g_test_add_func ("/Data/source/cancel", test_cancel);
  g_test_add_func ("/Data/source/fetch-and-parse", test_fetch_and_parse);
  g_test_add_func ("/Data/source/http-fetch-large", test_http_fetch_large);
  g_test_add_func ("/Data/source/memory-budget", test_memory_budget);
  g_test_add_func ("/Data/source/memory-sizes", test_memory_sizes);
  g_test_add_func ("/Data/source/http-cache-revalidate", test_http_cache_revalidate);
  g_test_add_func ("/Data/source/http-cache-no-store", test_http_cache_no_store);
  g_test_add_func ("/Data/source/http-cache-large", test_http_cache_large);
  g_test_add_func ("/Data/source/http-streamed", test_http_streamed);
  g_test_add_func ("/Data/source/http-streamed-json", test_http_streamed_json);
  g_test_add_func ("/Data/source/http-cache-cancel", test_http_cache_cancel);
  g_test_add_func ("/Data/source/http-cache-limit", test_http_cache_limit);
  g_test_add_func ("/Data/source/http-cache-old-folder", test_http_cache_old_folder);
  status = g_test_run ();
  g_clear_pointer (&server, tess_test_server_free);
  tess_test_dir_remove (cache_dir);
  return status;
}
