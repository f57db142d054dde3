/* tess-source.c: loading frames from paths, file://, resource://, http:// and
 * https:// URIs.
 *
 * HTTP: one SoupSession lives on a dedicated I/O thread with its own main
 * context, created on that thread and only ever touched there. A load is a
 * cache job (tess-cache-private.h): its start stage hands the request to the
 * I/O thread, which sends it asynchronously and collects the body; its finish
 * stage parses the body on one of the waiting worker threads. Waiting threads
 * block in the cache, never on GTask's shared pool. When no waiter remains,
 * the job's cancellable fires; the I/O thread then cancels the request.
 *
 * A large CSV or JSON body of known length, or a JSON body whose length is
 * known only at its end (compressed or chunked), is parsed as it arrives:
 * its start stage hands the bytes to a growing body
 * (tess-growing-body-private.h), which a thread of its own parses as they
 * come (CSV chunk by chunk, on every core; JSON record by record), and ends
 * once the parse does; the finish stage then only hands the frame over. A
 * waiter never runs that parse, so each stays free to leave.
 *
 * Downloads are kept on disk (tess-http-cache-private.h), under the user
 * cache directory, and asked for again with their validators: a 304 takes the
 * body from the disk and transfers nothing. A 200 is written to the disk
 * cache as it arrives and installed there only once complete. The disk cache
 * is used on the I/O thread only.
 *
 * Local files are read and parsed by one waiting thread in the finish stage,
 * once they are still, and again when they changed while read; the key of a
 * file's load names its version, so a TTL never makes an unchanged file be
 * parsed again (see SETTLE_US).
 * Database URIs (postgresql://) go to tess-sql.c.
 */
#include "tess-source.h"

#include "tess-cache-private.h"
#include "tess-source-private.h"
#include "tess-mapped-file-private.h"
#include "tess-csv.h"
#include "tess-frame-private.h"
#include "tess-file-identity-private.h"
#include "tess-growing-body-private.h"
#include "tess-http-cache-private.h"
#include "tess-json-reader.h"
#include "tess-memory.h"
#include "tess-secret-private.h"
#include "tess-sql.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/stat.h>

#define READ_CHUNK (256 * 1024)
/* A CSV or JSON body at least this large, of a known length, is parsed as
 * it arrives (tess-growing-body-private.h); a smaller one is parsed whole,
 * once it is there. */
#define STREAM_MIN_BODY (8 * 1024 * 1024)
#define MAX_BODY_BYTES ((guint64) G_MAXUINT - 1024 * 1024)

static GMainContext *io_context;
static SoupSession *io_session;
static gint http_requests;

/* The disk cache: made on the I/O thread when it starts, and used only there.
 * Its budget may be set from any thread, before or after. */
static TessHttpCache *io_disk_cache;
static GMutex disk_cache_lock;
static guint64 disk_cache_limit = TESS_HTTP_CACHE_DEFAULT_MAX_BYTES; /* guarded by disk_cache_lock */
static gboolean disk_cache_made;                                     /* guarded by disk_cache_lock */

/* I/O thread */

/* Removes the folder where libsoup's SoupCache kept bodies before Tessera had
 * its own disk cache: nothing reads it any more. It held only files. */
static void
remove_soup_cache_folder (void)
{
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "tessera", "http", NULL);
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_unlink (path);
    }
  if (g_rmdir (folder) != 0)
    g_debug ("Cannot remove the old HTTP cache folder %s: %s", folder, g_strerror (errno));
}

static gboolean
io_apply_disk_cache_limit (gpointer data)
{
  guint64 limit;

  g_mutex_lock (&disk_cache_lock);
  limit = disk_cache_limit;
  g_mutex_unlock (&disk_cache_lock);
  tess_http_cache_set_max_bytes (io_disk_cache, limit);
  return G_SOURCE_REMOVE;
}

static gpointer
io_thread_main (gpointer data)
{
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *cache_dir = NULL;

  g_main_context_push_thread_default (io_context);
  /* Limits are per host: a dashboard may load dozens of URLs from one server at once. */
  io_session = soup_session_new_with_options ("max-conns", 256, "max-conns-per-host", 64, "timeout", 0, "user-agent",
                                              "Tessera/" PACKAGE_VERSION " ", NULL);
  remove_soup_cache_folder ();
  cache_dir = g_build_filename (g_get_user_cache_dir (), "tessera", "http-cache", NULL);
  g_mutex_lock (&disk_cache_lock);
  io_disk_cache = tess_http_cache_new (cache_dir, disk_cache_limit);
  disk_cache_made = TRUE;
  g_mutex_unlock (&disk_cache_lock);
  loop = g_main_loop_new (io_context, FALSE);
  g_main_loop_run (loop);
  return NULL;
}

static GMainContext *
io_get_context (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      io_context = g_main_context_new ();
      /* Lives as long as the process; the session and its cache stay reachable. */
      g_thread_unref (g_thread_new ("tess-io", io_thread_main, NULL));
      g_once_init_leave (&once, 1);
    }
  return io_context;
}

guint64
tess_source_get_http_request_count (void)
{
  return (guint) g_atomic_int_get (&http_requests);
}

void
tess_source_set_disk_cache_limit (guint64 bytes)
{
  gboolean made;

  g_mutex_lock (&disk_cache_lock);
  disk_cache_limit = bytes ? bytes : TESS_HTTP_CACHE_DEFAULT_MAX_BYTES;
  made = disk_cache_made;
  g_mutex_unlock (&disk_cache_lock);
  /* eviction lists the cache folder: never on the caller's (main) thread */
  if (made)
    g_main_context_invoke (io_context, io_apply_disk_cache_limit, NULL);
}

guint64
tess_source_get_disk_cache_limit (void)
{
  guint64 bytes;

  g_mutex_lock (&disk_cache_lock);
  bytes = disk_cache_limit;
  g_mutex_unlock (&disk_cache_lock);
  return bytes;
}

/* Options */

typedef struct
{
  TessLoadOptions options;
  char **headers;
  char **columns; /* sorted, without repeats */
} OwnedOptions;

static void
owned_options_init (OwnedOptions *owned, const TessLoadOptions *options)
{
  static const TessLoadOptions defaults = { 0 };

  owned->options = options ? *options : defaults;
  owned->headers = g_strdupv ((char **) owned->options.headers);
  owned->options.headers = (const char *const *) owned->headers;
  owned->columns = tess_source_columns_normalize (owned->options.columns);
  owned->options.columns = (const char *const *) owned->columns;
  if (owned->options.trust)
    g_object_ref (owned->options.trust);
  if (owned->options.connect_timeout <= 0)
    owned->options.connect_timeout = TESS_LOAD_DEFAULT_TIMEOUT;
  if (owned->options.idle_timeout <= 0)
    owned->options.idle_timeout = TESS_LOAD_DEFAULT_TIMEOUT;
  /* a body is collected in one GByteArray */
  if (owned->options.max_bytes == 0 || owned->options.max_bytes > MAX_BODY_BYTES)
    owned->options.max_bytes = MAX_BODY_BYTES;
}

static void
owned_options_clear (OwnedOptions *owned)
{
  g_strfreev (owned->headers);
  g_strfreev (owned->columns);
  g_clear_object (&owned->options.trust);
}

/* Loads */

typedef enum
{
  SOURCE_FILE,
  SOURCE_RESOURCE,
  SOURCE_HTTP,
} SourceKind;

typedef struct
{
  char *uri;
  SourceKind kind;
  char *path; /* file path or resource path */
  OwnedOptions owned;
  char **header_names;
  char **header_values; /* expanded; wiped when freed */
  char *disk_key;       /* the key of the answer in the disk cache */
  /* set by the I/O thread before the start stage ends */
  char *validators; /* the ETag and Last-Modified the body is known by, or NULL */
  GBytes *body;
  guint64 body_charge; /* bytes of the memory budget the body holds */
  char *content_type;
  /* a frame load, not a raw fetch: a CSV or JSON body may be parsed as it arrives */
  gboolean may_stream;
  /* the frame a body parsed as it arrived made (then body is NULL); set,
   * with the fields above, before the start stage ends */
  TessFrame *streamed;
} LoadData;

/* Gives the body and its share of the memory budget back. */
static void
load_data_drop_body (LoadData *load)
{
  g_clear_pointer (&load->body, g_bytes_unref);
  tess_memory_release (load->body_charge);
  load->body_charge = 0;
}

static void
load_data_free (LoadData *load)
{
  g_free (load->uri);
  g_free (load->path);
  owned_options_clear (&load->owned);
  g_strfreev (load->header_names);
  if (load->header_values)
    for (char **v = load->header_values; *v; v++)
      tess_secret_wipe (g_steal_pointer (v));
  g_free (load->header_values);
  g_free (load->disk_key);
  g_free (load->validators);
  load_data_drop_body (load);
  g_free (load->content_type);
  g_clear_pointer (&load->streamed, tess_frame_unref);
  g_free (load);
}

/* The key of an answer in the disk cache: the URL and the request headers
 * as the options write them. The headers are hashed: a literal token in a
 * header must not be written to disk, and ${env:} values never enter it. */
static char *
make_disk_key (const char *uri, char **header_templates)
{
  g_autoptr (GChecksum) headers = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; header_templates && header_templates[i]; i++)
    g_checksum_update (headers, (const guchar *) header_templates[i], strlen (header_templates[i]) + 1);
  return g_strdup_printf ("GET %s\x1f%s", uri, g_checksum_get_string (headers));
}

static LoadData *
load_data_new (const char *uri, const TessLoadOptions *options, GError **error)
{
  LoadData *load;
  const char *scheme = g_uri_peek_scheme (uri);

  if (options && options->trust && !tess_trust_check_uri (options->trust, uri, error))
    return NULL;
  load = g_new0 (LoadData, 1);
  load->uri = g_strdup (uri);
  owned_options_init (&load->owned, options);
  if (scheme && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https")))
    {
      guint n = load->owned.headers ? g_strv_length (load->owned.headers) : 0;
      g_autoptr (GUri) parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);

      if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not a valid URL", uri);
          load_data_free (load);
          return NULL;
        }
      load->kind = SOURCE_HTTP;
      load->header_names = g_new0 (char *, n + 1);
      load->header_values = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        {
          const char *colon = strchr (load->owned.headers[i], ':');
          if (colon == NULL || colon == load->owned.headers[i])
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Request header %u is not of the form “Name: value”", i + 1);
              load_data_free (load);
              return NULL;
            }
          load->header_names[i] = g_strstrip (g_strndup (load->owned.headers[i], colon - load->owned.headers[i]));
          load->header_values[i] =
              tess_secret_expand_env (colon + 1 + strspn (colon + 1, " \t"), "A request header", error);
          if (load->header_values[i] == NULL)
            {
              load_data_free (load);
              return NULL;
            }
        }
      load->disk_key = make_disk_key (uri, load->owned.headers);
    }
  else if (scheme && g_str_equal (scheme, "file"))
    {
      load->kind = SOURCE_FILE;
      load->path = g_filename_from_uri (uri, NULL, error);
      if (load->path == NULL)
        {
          load_data_free (load);
          return NULL;
        }
    }
  else if (scheme && g_str_equal (scheme, "resource"))
    {
      g_autofree char *unescaped = g_uri_unescape_string (uri + strlen ("resource://"), NULL);
      load->kind = SOURCE_RESOURCE;
      load->path = g_strdup (unescaped ? unescaped : uri + strlen ("resource://"));
    }
  else if (scheme && strlen (scheme) > 1)
    {
      g_set_error (
          error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
          "Cannot load “%s”: the %s: scheme is not supported (use a path, file://, resource://, http:// or https://)",
          uri, scheme);
      load_data_free (load);
      return NULL;
    }
  else
    {
      load->kind = SOURCE_FILE;
      load->path = g_strdup (uri);
    }
  return load;
}

/* HTTP, on the I/O thread */

/* The parse of a body as it arrives (stream_parse_thread). */
typedef struct
{
  TessCacheJob *job;
  LoadData *load; /* the job's */
  TessGrowingBody *body;
  /* the body's share of the memory budget, handed over by the I/O thread
   * when the download is complete (before the body is marked done) */
  guint64 body_charge;
} StreamParse;

typedef struct
{
  TessCacheJob *job;
  LoadData *load;
  GCancellable *op_cancellable; /* cancelled only on the I/O thread */
  gulong job_handler;
  SoupMessage *msg;
  GInputStream *stream;
  /* Read straight into its free end; its length runs ahead of what was
   * received while a read is in flight. */
  GByteArray *body;
  gsize received;
  gsize populated; /* bytes of body mapped in (tess_download_populate_ahead()) */
  guint64 charged; /* bytes of the memory budget the body holds */
  guint64 total;
  TessHttpCacheEntry *stored;  /* the answer on disk the request revalidates, or NULL */
  gboolean not_modified;       /* the server answered 304: the body is the stored one */
  TessHttpCacheWriter *writer; /* where a 200 is kept on disk as it arrives, or NULL */
  GSource *connect_timer;
  GSource *idle_timer;
  gboolean connected;
  /* a body parsed as it arrives: written here instead of body; the thread
   * that parses it ends the start stage (stage_reported) */
  TessGrowingBody *growing;
  guint64 open_most;  /* growing is open (its length unknown): the most it holds; otherwise 0 */
  StreamParse *parse; /* alive until growing is marked done */
  gboolean stage_reported;
  guint8 overflow[1];
  GError *abort_error; /* why the I/O thread cancelled the request itself */
} HttpFetch;

static gboolean
io_cancel_op (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* Runs in whichever thread cancels the job: forwards to the I/O thread. */
static void
job_cancelled (GCancellable *job_cancellable, gpointer data)
{
  g_main_context_invoke_full (io_context, G_PRIORITY_DEFAULT, io_cancel_op, g_object_ref (data), g_object_unref);
}

/* Cancels the request from the I/O thread with @error as the reason. */
static void
fetch_abort (HttpFetch *fetch, GError *error)
{
  if (fetch->abort_error == NULL)
    {
      fetch->abort_error = error;
      g_cancellable_cancel (fetch->op_cancellable);
    }
  else
    g_error_free (error);
}

/* The answer is not kept on disk after all (@error says why, or NULL): what
 * was written goes, and so does the entry it was to replace, which the server
 * says has changed. */
static void
fetch_stop_storing (HttpFetch *fetch, const GError *error)
{
  if (error)
    g_debug ("%s is not kept on disk: %s", fetch->load->uri, error->message);
  g_clear_pointer (&fetch->writer, tess_http_cache_writer_abort);
  if (fetch->stored)
    tess_http_cache_remove (io_disk_cache, fetch->load->disk_key);
}

static void
fetch_finish (HttpFetch *fetch, GError *error)
{
  if (fetch->connect_timer)
    g_source_destroy (fetch->connect_timer);
  if (fetch->idle_timer)
    g_source_destroy (fetch->idle_timer);
  g_clear_pointer (&fetch->connect_timer, g_source_unref);
  g_clear_pointer (&fetch->idle_timer, g_source_unref);
  if (fetch->msg)
    g_signal_handlers_disconnect_by_data (fetch->msg, fetch);
  if (error && fetch->abort_error && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      error = g_steal_pointer (&fetch->abort_error);
    }
  if (error == NULL && fetch->not_modified)
    {
      fetch->load->body = g_bytes_ref (tess_http_cache_entry_get_body (fetch->stored));
      fetch->load->content_type = g_strdup (tess_http_cache_entry_get_content_type (fetch->stored));
      fetch->load->validators = g_strdup_printf ("%s\x1f%s", tess_http_cache_entry_get_etag (fetch->stored) ?: "",
                                                 tess_http_cache_entry_get_last_modified (fetch->stored) ?: "");
    }
  else if (error == NULL && fetch->growing)
    {
      /* the parse has the body and its validators already */
      g_autoptr (GError) store_error = NULL;
      if (fetch->writer && !tess_http_cache_writer_commit (g_steal_pointer (&fetch->writer), &store_error))
        fetch_stop_storing (fetch, store_error);
    }
  else if (error == NULL)
    {
      const char *ct =
          fetch->msg ? soup_message_headers_get_content_type (soup_message_get_response_headers (fetch->msg), NULL)
                     : NULL;
      fetch->load->body = g_byte_array_free_to_bytes (g_steal_pointer (&fetch->body));
      fetch->load->content_type = g_strdup (ct);
      if (fetch->writer)
        {
          g_autoptr (GError) store_error = NULL;
          SoupMessageHeaders *headers = soup_message_get_response_headers (fetch->msg);
          if (!tess_http_cache_writer_commit (g_steal_pointer (&fetch->writer), &store_error))
            fetch_stop_storing (fetch, store_error);
          else
            fetch->load->validators = g_strdup_printf ("%s\x1f%s", soup_message_headers_get_one (headers, "ETag") ?: "",
                                                       soup_message_headers_get_one (headers, "Last-Modified") ?: "");
        }
    }
  if (error == NULL && !fetch->stage_reported)
    {
      fetch->load->body_charge = fetch->charged;
      fetch->charged = 0;
    }
  if (fetch->growing)
    {
      /* complete: the parse gives the body's share back when it is done
       * with it; failed: it goes back below, at once */
      if (error == NULL)
        {
          fetch->parse->body_charge = fetch->charged;
          fetch->charged = 0;
        }
      fetch->parse = NULL;
      tess_growing_body_finish (fetch->growing, error ? g_error_copy (error) : NULL);
      g_clear_pointer (&fetch->growing, tess_growing_body_unref);
    }
  /* an error or a cancel: nothing of this answer is left on disk, nor the
   * entry it was to replace */
  if (fetch->writer)
    fetch_stop_storing (fetch, NULL);
  g_clear_pointer (&fetch->stored, tess_http_cache_entry_unref);
  if (fetch->stream)
    g_input_stream_close (fetch->stream, NULL, NULL);
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->msg);
  if (fetch->body)
    g_byte_array_unref (fetch->body);
  tess_memory_release (fetch->charged);
  g_cancellable_disconnect (tess_cache_job_get_cancellable (fetch->job), fetch->job_handler);
  g_clear_object (&fetch->op_cancellable);
  g_clear_error (&fetch->abort_error);
  if (fetch->stage_reported)
    g_clear_error (&error); /* the parse waiting for the body has it */
  else
    tess_cache_job_stage_done (fetch->job, error);
  tess_cache_job_unref (fetch->job);
  g_free (fetch);
}

static gboolean
on_connect_timeout (gpointer data)
{
  HttpFetch *fetch = data;

  if (!fetch->connected)
    fetch_abort (fetch,
                 g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Could not connect to the server of %s within %g s",
                              fetch->load->uri, fetch->load->owned.options.connect_timeout));
  g_clear_pointer (&fetch->connect_timer, g_source_unref);
  return G_SOURCE_REMOVE;
}

static gboolean
on_idle_timeout (gpointer data)
{
  HttpFetch *fetch = data;
  GError *error;

  if (fetch->body == NULL)
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The server of %s did not answer for %g s", fetch->load->uri,
                         fetch->load->owned.options.idle_timeout);
  else
    {
      g_autofree char *got = g_format_size (fetch->received);
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The download of %s stalled: no data for %g s after %s",
                           fetch->load->uri, fetch->load->owned.options.idle_timeout, got);
    }
  fetch_abort (fetch, error);
  g_clear_pointer (&fetch->idle_timer, g_source_unref);
  return G_SOURCE_REMOVE;
}

static GSource *
add_timer (double seconds, GSourceFunc func, gpointer data)
{
  GSource *source = g_timeout_source_new ((guint) MIN (seconds * 1000, G_MAXUINT));
  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, io_context);
  return source;
}

/* Something arrived: the idle timeout starts again. */
static void
fetch_touch (HttpFetch *fetch)
{
  if (fetch->idle_timer)
    {
      g_source_destroy (fetch->idle_timer);
      g_source_unref (fetch->idle_timer);
    }
  fetch->idle_timer = add_timer (fetch->load->owned.options.idle_timeout, on_idle_timeout, fetch);
}

static void
on_network_event (SoupMessage *msg, GSocketClientEvent event, GIOStream *connection, gpointer data)
{
  HttpFetch *fetch = data;
  TessTrust *trust = fetch->load->owned.options.trust;

  if (event == G_SOCKET_CLIENT_CONNECTED && trust && G_IS_SOCKET_CONNECTION (connection))
    {
      g_autoptr (GSocketAddress) remote =
          g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
      g_autoptr (GUri) uri = g_uri_ref (soup_message_get_uri (msg));
      g_autofree char *text = g_uri_to_string (uri);
      GError *error = NULL;

      if (G_IS_INET_SOCKET_ADDRESS (remote) &&
          !tess_trust_check_address (trust, text, g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)),
                                     &error))
        fetch_abort (fetch, error);
    }
  if (event == G_SOCKET_CLIENT_CONNECTED || event == G_SOCKET_CLIENT_COMPLETE)
    fetch->connected = TRUE;
  fetch_touch (fetch);
}

static void
on_wrote_headers (SoupMessage *msg, gpointer data)
{
  HttpFetch *fetch = data;
  fetch->connected = TRUE;
  fetch_touch (fetch);
}

/* A redirect: the new address must be one the load may reach. */
static void
on_restarted (SoupMessage *msg, gpointer data)
{
  HttpFetch *fetch = data;
  TessTrust *trust = fetch->load->owned.options.trust;
  g_autofree char *text = g_uri_to_string (soup_message_get_uri (msg));
  GError *error = NULL;

  if (trust && !tess_trust_check_uri (trust, text, &error))
    {
      g_prefix_error (&error, "%s redirects to %s: ", fetch->load->uri, text);
      fetch_abort (fetch, error);
    }
}

static void on_read (GObject *object, GAsyncResult *result, gpointer data);

/* Charges @bytes of @uri to the memory budget. When they do not fit, frames
 * kept only for later runs are given back first. */
static gboolean
charge_memory (guint64 bytes, const char *uri, GError **error)
{
  if (tess_memory_charge (bytes, uri, NULL))
    return TRUE;
  tess_cache_clear ();
  return tess_memory_charge (bytes, uri, error);
}

/* Reads the next piece straight into the body: no buffer per read, and,
 * when the length is known, no copy as the body grows. */
static void
read_next (HttpFetch *fetch)
{
  gsize want = READ_CHUNK;

  if (fetch->growing)
    {
      gsize room;
      guint8 *free_end = tess_growing_body_get_free (fetch->growing, &room);

      /* past the announced length, only the end of the answer is due */
      g_input_stream_read_async (fetch->stream, room ? free_end : fetch->overflow,
                                 room ? MIN (room, 4 * READ_CHUNK) : sizeof fetch->overflow, G_PRIORITY_DEFAULT,
                                 fetch->op_cancellable, on_read, fetch);
      return;
    }

  if (fetch->total > fetch->received)
    want = MIN (fetch->total - fetch->received, 4 * READ_CHUNK);
  g_byte_array_set_size (fetch->body, fetch->received + want);
  if (fetch->total > fetch->received) /* the announced length is allocated: map it in ahead */
    fetch->populated =
        tess_download_populate_ahead (fetch->body->data, fetch->total, fetch->received, fetch->populated);
  g_input_stream_read_async (fetch->stream, fetch->body->data + fetch->received, want, G_PRIORITY_DEFAULT,
                             fetch->op_cancellable, on_read, fetch);
}

static void
on_read (GObject *object, GAsyncResult *result, gpointer data)
{
  HttpFetch *fetch = data;
  GError *error = NULL;
  gssize size = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  guint64 max = fetch->load->owned.options.max_bytes;
  gboolean charged_as_it_arrives = fetch->growing == NULL || fetch->open_most;
  const guint8 *bytes;

  if (size < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, "The answer from %s broke off: ", fetch->load->uri);
      fetch_finish (fetch, error);
      return;
    }
  bytes =
      fetch->growing ? tess_growing_body_get_free (fetch->growing, &(gsize){ 0 }) : fetch->body->data + fetch->received;
  if (size == 0)
    {
      if (fetch->body)
        g_byte_array_set_size (fetch->body, fetch->received);
      if (fetch->total && fetch->received < fetch->total &&
          soup_message_headers_get_one (soup_message_get_response_headers (fetch->msg), "Content-Encoding") == NULL)
        {
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                       "The answer from %s broke off after %u of %" G_GUINT64_FORMAT " bytes", fetch->load->uri,
                       (guint) fetch->received, fetch->total);
          fetch_finish (fetch, error);
          return;
        }
      fetch_finish (fetch, NULL);
      return;
    }
  if (fetch->received + size > max)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "The answer from %s is larger than the limit of %" G_GUINT64_FORMAT
                   " bytes; raise max_bytes to load it",
                   fetch->load->uri, max);
      fetch_finish (fetch, error);
      return;
    }
  if (fetch->growing && !fetch->open_most && fetch->received + size > fetch->total)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The answer from %s is longer than the %" G_GUINT64_FORMAT " bytes it announced", fetch->load->uri,
                   fetch->total);
      fetch_finish (fetch, error);
      return;
    }
  if (fetch->open_most && fetch->received + size > fetch->open_most)
    {
      /* the memory budget was smaller than max_bytes: its words (unless it
       * has grown since) */
      if (tess_memory_charge (fetch->received + size, fetch->load->uri, &error))
        {
          tess_memory_release (fetch->received + size);
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       "The answer from %s is larger than the memory limit for data when it began; load it again",
                       fetch->load->uri);
        }
      fetch_finish (fetch, error);
      return;
    }
  /* a body parsed as it arrives was charged whole when its length came,
   * unless that was not known */
  if (charged_as_it_arrives && !charge_memory (size, fetch->load->uri, &error))
    {
      fetch_finish (fetch, error);
      return;
    }
  fetch->charged += charged_as_it_arrives ? size : 0;
  fetch->received += size;
  fetch_touch (fetch);
  if (fetch->writer && !tess_http_cache_writer_write (fetch->writer, bytes, size, &error))
    {
      fetch_stop_storing (fetch, error);
      g_clear_error (&error);
    }
  if (fetch->growing)
    tess_growing_body_commit (fetch->growing, size);
  tess_cache_job_progress (fetch->job, fetch->received, fetch->total);
  read_next (fetch);
}

/* The server answered 304: the body is the one on disk, charged to the
 * memory budget as a downloaded one would be. */
static void
fetch_take_stored_body (HttpFetch *fetch)
{
  GBytes *body = tess_http_cache_entry_get_body (fetch->stored);
  guint64 size = g_bytes_get_size (body);
  GError *error = NULL;

  if (size > fetch->load->owned.options.max_bytes)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "The answer from %s is %" G_GUINT64_FORMAT " bytes, more than the limit of %" G_GUINT64_FORMAT
                   " bytes; raise max_bytes to load it",
                   fetch->load->uri, size, fetch->load->owned.options.max_bytes);
      fetch_finish (fetch, error);
      return;
    }
  if (!charge_memory (size, fetch->load->uri, &error))
    {
      fetch_finish (fetch, error);
      return;
    }
  fetch->charged = size;
  fetch->not_modified = TRUE;
  tess_cache_job_progress (fetch->job, size, size);
  fetch_finish (fetch, NULL);
}

/* A 200 is kept on disk as it arrives when the server allows it and sent a
 * validator to ask with next time (without one, a stored body could never be
 * used). Any other answer leaves nothing, and removes the entry it supersedes. */
static void
fetch_begin_storing (HttpFetch *fetch, guint status, goffset length)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (fetch->msg);
  const char *etag = soup_message_headers_get_one (headers, "ETag");
  const char *last_modified = soup_message_headers_get_one (headers, "Last-Modified");
  const char *cache_control = soup_message_headers_get_list (headers, "Cache-Control");
  g_autoptr (GError) error = NULL;

  if (status == SOUP_STATUS_OK && (etag || last_modified) && tess_http_cache_may_store (cache_control))
    {
      /* a compressed answer announces the length of what is decoded here */
      guint64 expected = soup_message_headers_get_one (headers, "Content-Encoding") ? 0 : length;

      fetch->writer = tess_http_cache_begin (io_disk_cache, fetch->load->disk_key, etag, last_modified,
                                             soup_message_headers_get_content_type (headers, NULL), expected, &error);
    }
  if (fetch->writer == NULL)
    fetch_stop_storing (fetch, error);
}

/* TRUE when the body is parsed as it arrives: a CSV or JSON body of a known
 * length large enough for it to pay, or a JSON body whose length is known
 * only at its end (*@open: compressed, chunked, or up to the end of the
 * connection), so long as the options, the content type or the name say
 * which without looking at the text. CSV is split by its length, so it
 * needs one. */
static gboolean
fetch_may_stream (HttpFetch *fetch, goffset length, gboolean *open)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (fetch->msg);
  char delimiter;
  TessFormat format;

  *open = soup_message_headers_get_one (headers, "Content-Encoding") != NULL ||
          soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH;
  if (!fetch->load->may_stream)
    return FALSE;
  format = tess_source_format_known (soup_message_headers_get_content_type (headers, NULL), fetch->load->uri,
                                     &fetch->load->owned.options, &delimiter);
  if (format == TESS_FORMAT_CSV)
    return !*open && length >= STREAM_MIN_BODY;
  if (format == TESS_FORMAT_JSON || format == TESS_FORMAT_NDJSON)
    return *open || length >= STREAM_MIN_BODY;
  return FALSE;
}

/* Parses a body as it arrives, then ends the start stage with the frame (in
 * load->streamed) or the error. A thread of its own, not a waiter's: every
 * waiter stays free to leave, and when the last one does the download is
 * cancelled and this parse ends with it. Runs on a worker thread. */
static gpointer
stream_parse_thread (gpointer data)
{
  StreamParse *parse = data;
  LoadData *load = parse->load;
  GError *error = NULL;
  TessFrame *frame = NULL;
  gsize length;

  /* room for the frame, as parse_charged() reserves (a body of a length
   * not known yet: the reader watches the table's size as it grows) */
  if (!tess_growing_body_get_length (parse->body, &length))
    length = 0;
  if (charge_memory (length, load->uri, &error))
    {
      frame = tess_source_parse_growing (parse->body, load->content_type, load->uri, &load->owned.options,
                                         tess_cache_job_get_cancellable (parse->job), &error);
      tess_memory_release (length);
    }
  if (frame)
    tess_frame_charge_memory (frame);
  if (frame == NULL && error == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot read %s", load->uri);
  /* the I/O thread is done with this parse only once the download ended */
  tess_growing_body_wait_done (parse->body);
  tess_memory_release (parse->body_charge);
  load->streamed = frame;
  tess_cache_job_stage_done (parse->job, error);
  tess_growing_body_unref (parse->body);
  tess_cache_job_unref (parse->job);
  g_free (parse);
  return NULL;
}

/* Parses the body as it arrives, on a thread of its own, while the reads go
 * on here; that thread ends the start stage. A body of a known length is
 * charged to the memory budget whole, at once; an @open one as it arrives,
 * as much as the budget or max_bytes allow. FALSE when the address space
 * for an open one is not to be had: it is then read whole. */
static gboolean
fetch_start_streaming (HttpFetch *fetch, guint status, goffset length, gboolean open)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (fetch->msg);
  LoadData *load = fetch->load;
  GError *error = NULL;
  StreamParse *parse;

  if (open)
    {
      fetch->open_most = MAX (MIN (load->owned.options.max_bytes, tess_memory_get_limit ()), 1);
      fetch->growing = tess_growing_body_new_open (fetch->open_most);
      if (fetch->growing == NULL)
        {
          fetch->open_most = 0;
          return FALSE;
        }
    }
  else if (!charge_memory (length, load->uri, &error))
    {
      fetch_finish (fetch, error);
      return TRUE;
    }
  else
    {
      fetch->growing = tess_growing_body_new (length);
      fetch->charged = length;
    }
  load->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  fetch_begin_storing (fetch, status, length);
  if (fetch->writer)
    load->validators = g_strdup_printf ("%s\x1f%s", soup_message_headers_get_one (headers, "ETag") ?: "",
                                        soup_message_headers_get_one (headers, "Last-Modified") ?: "");
  fetch->stage_reported = TRUE;
  parse = g_new0 (StreamParse, 1);
  parse->job = tess_cache_job_ref (fetch->job);
  parse->load = load;
  parse->body = tess_growing_body_ref (fetch->growing);
  fetch->parse = parse;
  g_thread_unref (g_thread_new ("tess-stream", stream_parse_thread, parse));
  fetch_touch (fetch);
  tess_cache_job_progress (fetch->job, 0, fetch->total);
  read_next (fetch);
  return TRUE;
}

static void
on_sent (GObject *object, GAsyncResult *result, gpointer data)
{
  HttpFetch *fetch = data;
  GError *error = NULL;
  SoupMessageHeaders *headers;
  guint status;
  goffset length = 0;
  gboolean open;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  fetch->connected = TRUE;
  if (fetch->stream == NULL)
    {
      if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
        {
          g_clear_error (&error);
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "Cannot load %s: it redirects too many times (a redirect loop?)", fetch->load->uri);
        }
      else if (soup_message_get_status (fetch->msg) != SOUP_STATUS_NONE &&
               !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, "The answer from %s broke off (status %u): ", fetch->load->uri,
                        soup_message_get_status (fetch->msg));
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, "Cannot load %s: ", fetch->load->uri);
      fetch_finish (fetch, error);
      return;
    }
  status = soup_message_get_status (fetch->msg);
  if (status == SOUP_STATUS_NOT_MODIFIED && fetch->stored)
    {
      fetch_take_stored_body (fetch);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *reason = soup_message_get_reason_phrase (fetch->msg);
      g_set_error (&error, G_IO_ERROR, status == SOUP_STATUS_NOT_FOUND ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_FAILED,
                   "Cannot load %s: the server answered %u %s", fetch->load->uri, status,
                   reason && *reason ? reason : soup_status_get_phrase (status));
      fetch_finish (fetch, error);
      return;
    }
  headers = soup_message_get_response_headers (fetch->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);
  if ((guint64) length > tess_memory_get_limit ())
    {
      /* the same words as when the bytes cross the budget, but before any arrive */
      tess_memory_charge (length, fetch->load->uri, &error);
      fetch_finish (fetch, error);
      return;
    }
  if ((guint64) length > fetch->load->owned.options.max_bytes)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "The answer from %s is %" G_GOFFSET_FORMAT " bytes, more than the limit of %" G_GUINT64_FORMAT
                   " bytes; raise max_bytes to load it",
                   fetch->load->uri, length, fetch->load->owned.options.max_bytes);
      fetch_finish (fetch, error);
      return;
    }
  fetch->total = length;
  if (fetch_may_stream (fetch, length, &open) && fetch_start_streaming (fetch, status, length, open))
    return;
  /* a length the server announced and the budget allows: the whole body at
   * once, so it is never copied as it grows */
  fetch->body = g_byte_array_sized_new (length > 0 ? (guint) length : READ_CHUNK);
  fetch_begin_storing (fetch, status, length);
  fetch_touch (fetch);
  tess_cache_job_progress (fetch->job, 0, fetch->total);
  read_next (fetch);
}

static gboolean
io_start_fetch (gpointer data)
{
  HttpFetch *fetch = data;
  LoadData *load = fetch->load;
  SoupMessageHeaders *headers;
  GError *error = NULL;

  if (g_cancellable_is_cancelled (tess_cache_job_get_cancellable (fetch->job)))
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The load was cancelled");
      fetch_finish (fetch, error);
      return G_SOURCE_REMOVE;
    }
  fetch->msg = soup_message_new (SOUP_METHOD_GET, load->uri);
  if (fetch->msg == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not a valid URL", load->uri);
      fetch_finish (fetch, error);
      return G_SOURCE_REMOVE;
    }
  headers = soup_message_get_request_headers (fetch->msg);
  soup_message_headers_replace (headers, "Accept",
                                "text/csv, application/json, application/x-ndjson, text/plain;q=0.5, */*;q=0.1");
  for (guint i = 0; load->header_names[i]; i++)
    soup_message_headers_replace (headers, load->header_names[i], load->header_values[i]);
  /* an answer on disk is asked for again only if it changed */
  fetch->stored = tess_http_cache_lookup (io_disk_cache, load->disk_key);
  if (fetch->stored)
    {
      const char *etag = tess_http_cache_entry_get_etag (fetch->stored);
      const char *last_modified = tess_http_cache_entry_get_last_modified (fetch->stored);

      if (etag)
        soup_message_headers_replace (headers, "If-None-Match", etag);
      if (last_modified)
        soup_message_headers_replace (headers, "If-Modified-Since", last_modified);
    }
  g_signal_connect (fetch->msg, "network-event", G_CALLBACK (on_network_event), fetch);
  g_signal_connect (fetch->msg, "wrote-headers", G_CALLBACK (on_wrote_headers), fetch);
  g_signal_connect (fetch->msg, "restarted", G_CALLBACK (on_restarted), fetch);
  fetch->connect_timer = add_timer (load->owned.options.connect_timeout, on_connect_timeout, fetch);
  fetch_touch (fetch);
  g_atomic_int_inc (&http_requests);
  soup_session_send_async (io_session, fetch->msg, G_PRIORITY_DEFAULT, fetch->op_cancellable, on_sent, fetch);
  return G_SOURCE_REMOVE;
}

static void
http_start (TessCacheJob *job, gpointer data)
{
  LoadData *load = data;
  HttpFetch *fetch = g_new0 (HttpFetch, 1);
  GMainContext *context = io_get_context ();

  fetch->job = tess_cache_job_ref (job);
  fetch->load = load;
  fetch->op_cancellable = g_cancellable_new ();
  fetch->job_handler = g_cancellable_connect (tess_cache_job_get_cancellable (job), G_CALLBACK (job_cancelled),
                                              g_object_ref (fetch->op_cancellable), g_object_unref);
  g_main_context_invoke (context, io_start_fetch, fetch);
}

static GBytes *
read_local (LoadData *load, GError **error)
{
  if (load->kind == SOURCE_RESOURCE)
    {
      GBytes *bytes = g_resources_lookup_data (load->path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        g_prefix_error (error, "Cannot load %s: ", load->uri);
      return bytes;
    }
  else
    {
      /* a large file cut short while it is read reads as zeros, not
       * SIGBUS, and its changed identity makes the load read it again */
      return tess_mapped_file_open_bytes (load->path, error);
    }
}

/* Frames by what they were read from, without a reference: for an answer the
 * disk cache holds, the load's key and the answer's validators; for a local
 * file, the load's key and the file's identity (tess_file_identity_append()). A
 * load whose server answers 304, or whose file has not changed, while the
 * frame read from the same bytes is still in use (the dashboard reloads and
 * the frame cache is cleared, or it gave the frame back to stay within its
 * memory bound) takes that frame instead of parsing the same bytes again. A
 * frame leaves the table as it is freed. */
static GMutex reused_lock;
static GHashTable *reused_frames; /* key -> TessFrame */

typedef struct
{
  char *key;
  TessFrame *frame;
} ReusedFrame;

/* Runs on the thread that drops the frame's last reference. */
static void
reused_frame_forget (gpointer data)
{
  ReusedFrame *reused = data;

  g_mutex_lock (&reused_lock);
  if (g_hash_table_lookup (reused_frames, reused->key) == reused->frame)
    g_hash_table_remove (reused_frames, reused->key);
  g_mutex_unlock (&reused_lock);
  g_free (reused->key);
  g_free (reused);
}

static char *make_key (const LoadData *load);

static char *
reused_key (const LoadData *load)
{
  g_autofree char *key = load->validators ? make_key (load) : NULL;

  return key ? g_strconcat (key, "\x1f", load->validators, NULL) : NULL;
}

static TessFrame *
reused_lookup (const char *key)
{
  TessFrame *frame;

  g_mutex_lock (&reused_lock);
  frame = reused_frames ? g_hash_table_lookup (reused_frames, key) : NULL;
  if (frame && !tess_frame_try_ref (frame))
    frame = NULL;
  g_mutex_unlock (&reused_lock);
  return frame;
}

/* Before @frame is shared. */
static void
reused_remember (const char *key, TessFrame *frame)
{
  ReusedFrame *reused = g_new (ReusedFrame, 1);

  reused->key = g_strdup (key);
  reused->frame = frame;
  tess_frame_set_free_notify (frame, reused_frame_forget, reused);
  g_mutex_lock (&reused_lock);
  if (reused_frames == NULL)
    reused_frames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_replace (reused_frames, g_strdup (key), frame);
  g_mutex_unlock (&reused_lock);
}

/* Local files: what says a file is still the one that was read.
 *
 * A file is known by its device, inode, size, modification time and change
 * time (both to the nanosecond): the key of its load names them, so a file
 * that changed is a new cache entry, and an entry whose key is made again is
 * the same bytes. That is why a file's TTL does not expire its entry: the
 * check a TTL stands for (has the source changed?) is the stat that makes the
 * key, done on every load, and an unchanged file is never parsed again. The
 * change time catches what the others miss, such as a copy that keeps the
 * modification time of what it copies.
 *
 * A file can be caught while a program writes it in place: emptied and not yet
 * filled again, or half written. The readers map it, so a reader can see any
 * mix of the two versions, and a half-written file often parses, with other
 * columns or fewer rows. The load therefore reads a file only once it has
 * been still for SETTLE_US (a file changed a moment ago may be mid-write), and
 * compares the file before and after the read: when it changed, the read is
 * thrown away and made again once the file has settled, at most
 * MAX_FILE_READS times, before a clear error. A program that writes the file
 * under another name and renames it over this one never needs either. */
#define SETTLE_US (50 * G_TIME_SPAN_MILLISECOND)
#define MAX_FILE_READS 3

static gboolean
file_error (const LoadData *load, int saved, const TessFileIdentity *identity, GError **error)
{
  if (saved != 0)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot load %s: %s", load->uri, g_strerror (saved));
  else if (identity->is_folder)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, "Cannot load %s: it is a folder, not a file", load->uri);
  else
    return FALSE;
  return TRUE;
}

/* Parses @bytes, or the file at @path when @bytes is NULL, with room for the
 * frame reserved in the memory budget: as much as the input, which a frame
 * rarely passes. The frame then holds its real size until it is freed. */
static TessFrame *
parse_charged (
    LoadData *load, GBytes *bytes, const char *path, gsize path_length, GCancellable *cancellable, GError **error)
{
  gsize length = path_length;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;
  TessFrame *frame;

  if (!charge_memory (length, load->uri, error))
    return NULL;
  frame = tess_source_parse_data (data, bytes ? length : 0, bytes ? NULL : path, bytes ? load->content_type : NULL,
                                  load->uri, &load->owned.options, cancellable, error);
  tess_memory_release (length);
  if (frame)
    tess_frame_charge_memory (frame);
  return frame;
}

/* Reads a local file once it is still, and again when it changed while it
 * was read (see SETTLE_US). Runs on a worker thread. */
static TessFrame *
load_file (LoadData *load, GCancellable *cancellable, GError **error)
{
  const TessLoadOptions *options = &load->owned.options;
  g_autofree char *base_key = make_key (load);
  TessFileIdentity before;
  TessFileIdentity after;
  gboolean changed_while_read = FALSE;
  gboolean by_path;
  char delimiter;
  int saved;

  /* a file whose format its name (or the options) tells is read straight
   * from a mapping released as it is read, not whole first */
  by_path = options->format != TESS_FORMAT_AUTO ||
            tess_source_format_from_extension (load->path, &delimiter) != TESS_FORMAT_AUTO;
  saved = tess_file_identity_get (load->path, &before);
  if (file_error (load, saved, &before, error))
    return NULL;
  for (guint reads = 0;;)
    {
      gint64 age = tess_file_identity_get_age (&before);
      g_autoptr (GString) reuse = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GError) local = NULL;
      TessFrame *frame = NULL;

      if (changed_while_read || age < SETTLE_US)
        {
          /* a change that a coarse clock dates earlier still waits */
          if (!tess_file_settle_wait (changed_while_read || age < 0 ? SETTLE_US : SETTLE_US - age, cancellable, error))
            return NULL;
          saved = tess_file_identity_get (load->path, &after);
          if (file_error (load, saved, &after, error))
            return NULL;
          changed_while_read = FALSE;
          if (!tess_file_identity_equal (&before, &after))
            {
              before = after;
              if (++reads >= MAX_FILE_READS)
                break;
              continue;
            }
        }

      reuse = g_string_new (base_key);
      tess_file_identity_append (reuse, &before);
      if ((frame = reused_lookup (reuse->str)) != NULL)
        return frame;
      if (!by_path)
        bytes = read_local (load, &local);
      if (by_path || bytes)
        frame = parse_charged (load, bytes, load->path, before.size, cancellable, &local);
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      saved = tess_file_identity_get (load->path, &after);
      if (file_error (load, saved, &after, error))
        {
          g_clear_pointer (&frame, tess_frame_unref);
          return NULL;
        }
      if (tess_file_identity_equal (&before, &after))
        {
          if (local)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          reused_remember (reuse->str, frame);
          return frame;
        }
      /* what was read may be any mix of two versions: it goes, error or frame */
      g_clear_pointer (&frame, tess_frame_unref);
      before = after;
      changed_while_read = TRUE;
      if (++reads >= MAX_FILE_READS)
        break;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
               "Cannot load %s: the file keeps changing while it is read (it changed %u times in a row); load it "
               "again once it is written, or have the program that writes it write another file and rename it over "
               "this one",
               load->uri, MAX_FILE_READS);
  return NULL;
}

/* Parses the body or the file; the body is given back after. Runs on a
 * worker thread. */
static gpointer
load_finish (TessCacheJob *job, gpointer data, GCancellable *cancellable, GError **error)
{
  LoadData *load = data;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *reuse = reused_key (load);
  TessFrame *frame;

  if (reuse && (frame = reused_lookup (reuse)) != NULL)
    {
      load_data_drop_body (load);
      return frame;
    }
  if (load->kind == SOURCE_FILE)
    return load_file (load, cancellable, error);
  if (load->streamed)
    {
      /* parsed as it arrived (stream_parse_thread) */
      frame = g_steal_pointer (&load->streamed);
      load_data_drop_body (load);
      if (reuse)
        reused_remember (reuse, frame);
      return frame;
    }
  if (load->kind == SOURCE_HTTP)
    bytes = g_bytes_ref (load->body);
  else if ((bytes = read_local (load, error)) == NULL)
    return NULL;
  frame = parse_charged (load, bytes, NULL, 0, cancellable, error);
  g_clear_pointer (&bytes, g_bytes_unref);
  load_data_drop_body (load);
  if (frame && reuse)
    reused_remember (reuse, frame);
  return frame;
}

/* The key of a load, without what says which version of a file it read. */
static char *
make_key (const LoadData *load)
{
  const TessLoadOptions *o = &load->owned.options;
  GString *key = g_string_new ("load\x1f");

  g_string_append (key, load->uri);
  g_string_append_printf (key, "\x1f%d\x1f%d\x1f%d\x1f%d\x1f%d\x1f%" G_GUINT64_FORMAT, o->format, o->csv.delimiter,
                          o->csv.header, o->csv.lenient, o->csv.strings_only, o->max_bytes);
  /* what a load may reach decides whether it succeeds */
  if (o->trust)
    {
      g_autofree char *trust = tess_trust_dup_key (o->trust);
      g_string_append_printf (key, "\x1f%s", trust);
    }
  /* header templates, never their expanded values */
  for (guint i = 0; load->owned.headers && load->owned.headers[i]; i++)
    g_string_append_printf (key, "\x1f%s", load->owned.headers[i]);
  if (load->owned.columns)
    {
      g_string_append_printf (key, "\x1f%u columns", g_strv_length (load->owned.columns));
      for (guint i = 0; load->owned.columns[i]; i++)
        g_string_append_printf (key, "\x1f%s", load->owned.columns[i]);
    }
  return g_string_free (key, FALSE);
}

/* The cache key each local file's load last used, by the key of the load
 * without the file's identity: when a file changes, the entry of its previous
 * version, which no load can ask for again, is given back at once rather than
 * when the cache runs out of room. */
static GMutex file_versions_lock;
static GHashTable *file_versions; /* base key -> cache key */

static void
file_versions_replace (const char *base_key, const char *key)
{
  g_autofree char *previous = NULL;
  const char *current;

  g_mutex_lock (&file_versions_lock);
  if (file_versions == NULL)
    file_versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  current = g_hash_table_lookup (file_versions, base_key);
  if (current == NULL || !g_str_equal (current, key))
    {
      previous = g_strdup (current);
      g_hash_table_replace (file_versions, g_strdup (base_key), g_strdup (key));
    }
  g_mutex_unlock (&file_versions_lock);
  if (previous)
    tess_cache_forget (previous);
}

TessFrame *
tess_source_load (const char *uri,
                  const TessLoadOptions *options,
                  GCancellable *cancellable,
                  TessProgressFunc progress,
                  gpointer progress_data,
                  GError **error)
{
  static const TessCacheJobClass http_class = { http_start, load_finish };
  static const TessCacheJobClass local_class = { NULL, load_finish };
  TessCacheCallOptions cache_options = { 0 };
  g_autofree char *base_key = NULL;
  g_autofree char *full_key = NULL;
  g_auto (GStrv) wanted = NULL;
  g_autoptr (GString) key = NULL;
  g_autoptr (GString) version = g_string_new (NULL);
  TessFileIdentity identity;
  LoadData *load;
  TessFrame *frame;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* a database table or query (?table=, ?query=) runs on the server */
  if (tess_sql_uri_is_database (uri))
    {
      TessSqlOptions sql_options = { 0 };
      if (options)
        {
          sql_options.ttl = options->ttl;
          sql_options.trust = options->trust;
          sql_options.connect_timeout = options->connect_timeout;
        }
      return tess_sql_load (uri, &sql_options, cancellable, progress, progress_data, error);
    }
  load = load_data_new (uri, options, error);
  if (load == NULL)
    return NULL;
  load->may_stream = TRUE;
  cache_options.ttl = load->owned.options.ttl;
  if (load->kind == SOURCE_FILE && tess_file_identity_get (load->path, &identity) == 0 && !identity.is_folder)
    {
      /* the key names the file's version: a TTL has nothing left to expire
       * (see SETTLE_US) */
      tess_file_identity_append (version, &identity);
      if (cache_options.ttl > 0)
        cache_options.ttl = 0;
    }
  /* some columns: those of a frame held with them all, or a wider set
   * (tess-source-columns.c) */
  wanted = g_steal_pointer (&load->owned.columns);
  load->owned.options.columns = NULL;
  base_key = make_key (load);
  full_key = g_strconcat (base_key, version->str, NULL);
  if (wanted)
    {
      gboolean full;

      load->owned.columns = tess_source_columns_choose (full_key, (const char *const *) wanted, &full);
      load->owned.options.columns = (const char *const *) load->owned.columns;
      g_clear_pointer (&base_key, g_free);
      base_key = make_key (load);
    }
  key = g_string_new (base_key);
  g_string_append (key, version->str);
  if (version->len > 0)
    file_versions_replace (base_key, key->str);
  tess_source_columns_note (full_key, load->owned.options.columns, key->str);
  frame = tess_cache_run (key->str, load->kind == SOURCE_HTTP ? &http_class : &local_class, load,
                          (GDestroyNotify) load_data_free, &cache_options, cancellable, progress, progress_data, error);
  if (frame && wanted)
    frame = tess_source_columns_project (frame, (const char *const *) wanted);
  return frame;
}

/* Raw fetches */

typedef struct
{
  GBytes *bytes;
  char *content_type;
} Fetched;

static void
fetched_clear (gpointer data)
{
  Fetched *fetched = data;
  g_clear_pointer (&fetched->bytes, g_bytes_unref);
  g_free (fetched->content_type);
}

static void
fetched_release (gpointer data)
{
  g_rc_box_release_full (data, fetched_clear);
}

static gpointer
fetch_finish_stage (TessCacheJob *job, gpointer data, GCancellable *cancellable, GError **error)
{
  LoadData *load = data;
  Fetched *fetched = g_rc_box_new0 (Fetched);

  if (load->kind == SOURCE_HTTP)
    {
      /* The caller takes the body out of the budget's sight: raw fetches
       * are documents and the start of files. */
      fetched->bytes = g_bytes_ref (load->body);
      fetched->content_type = g_strdup (load->content_type);
      load_data_drop_body (load);
    }
  else
    {
      fetched->bytes = read_local (load, error);
      if (fetched->bytes == NULL)
        {
          fetched_release (fetched);
          return NULL;
        }
      fetched->content_type = g_content_type_guess (load->path, NULL, 0, NULL);
    }
  return fetched;
}

GBytes *
tess_source_fetch (const char *uri,
                   const TessLoadOptions *options,
                   GCancellable *cancellable,
                   TessProgressFunc progress,
                   gpointer progress_data,
                   char **content_type,
                   GError **error)
{
  static const TessCacheJobClass http_class = { http_start, fetch_finish_stage };
  static const TessCacheJobClass local_class = { NULL, fetch_finish_stage };
  TessCacheCallOptions cache_options = { -1, (GBoxedCopyFunc) g_rc_box_acquire, fetched_release, NULL };
  LoadData *load;
  Fetched *fetched;
  GBytes *bytes;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  load = load_data_new (uri, options, error);
  if (load == NULL)
    return NULL;
  fetched =
      tess_cache_run (NULL, load->kind == SOURCE_HTTP ? &http_class : &local_class, load,
                      (GDestroyNotify) load_data_free, &cache_options, cancellable, progress, progress_data, error);
  if (fetched == NULL)
    return NULL;
  bytes = g_bytes_ref (fetched->bytes);
  if (content_type)
    *content_type = g_strdup (fetched->content_type);
  fetched_release (fetched);
  return bytes;
}
