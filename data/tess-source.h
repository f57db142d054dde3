/* tess-source.h: loading frames from a URI.
 *
 * Plain paths, file://, resource://, http:// and https://. HTTP runs
 * asynchronously on one SoupSession owned by a dedicated I/O thread, with an
 * on-disk HTTP cache under the user cache directory; the caller's thread only
 * waits, and is released at once when its cancellable is cancelled. Loads go
 * through the process-wide cache (tess-cache.h): concurrent loads of one URI
 * with the same options make one request.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tess-cache.h"
#include "tess-csv.h"
#include "tess-frame.h"
#include "tess-trust.h"

G_BEGIN_DECLS

typedef enum
{
  TESS_FORMAT_AUTO = 0, /* from the content type, then the extension, then the content */
  TESS_FORMAT_CSV,
  TESS_FORMAT_JSON,
  TESS_FORMAT_NDJSON,
} TessFormat;

typedef struct
{
  TessFormat format;
  TessCsvOptions csv;
  /* Extra request headers, "Name: value". A value may contain ${env:NAME},
   * replaced by that environment variable when the request is made; such
   * values are never logged or stored. */
  const char *const *headers;
  double connect_timeout; /* seconds to reach the server; 0: 30 */
  double idle_timeout;    /* seconds without a byte before a request fails; 0: 30 */
  guint64 max_bytes;      /* largest body accepted; 0: no limit but the memory budget (tess-memory.h) */
  double ttl;             /* seconds kept in the cache; 0: until tess_cache_clear(); < 0: not kept */
  /* What the load may reach (the final URI, after redirects, and the address
   * it connects to); NULL: anything. */
  TessTrust *trust;
  /* The columns to read, by name; NULL: all of them. The frame holds only
   * these (those the data has, in its order); the others are cut and skipped,
   * never stored. A frame the cache holds with more columns serves a load of
   * fewer; a load of columns no cached frame has reads a frame with the
   * columns of both, for the next loads. CSV and JSON; a database is read
   * whole. */
  const char *const *columns;
} TessLoadOptions;

#define TESS_LOAD_DEFAULT_TIMEOUT 30.0

/**
 * tess_source_load:
 * @options: (nullable):
 * @cancellable: (nullable):
 * @progress: (scope call) (nullable):
 * @progress_data: (closure progress):
 *
 * Loads @uri into a frame through the cache. @options may be NULL; @progress
 * is called on this thread with the bytes received. The body as it arrives,
 * and the frame while it lives, are charged to the memory budget
 * (tess-memory.h). Blocks the calling thread only; never call it on the main
 * thread. Runs on a worker thread.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_source_load (const char *uri,
                             const TessLoadOptions *options,
                             GCancellable *cancellable,
                             TessProgressFunc progress,
                             gpointer progress_data,
                             GError **error);

/**
 * tess_source_fetch:
 * @options: (nullable):
 * @cancellable: (nullable):
 * @progress: (scope call) (nullable):
 * @progress_data: (closure progress):
 * @content_type: (out) (optional) (transfer full) (nullable):
 *
 * Fetches the bytes of @uri without the frame cache. @content_type receives the
 * server's content type (or one guessed for local files). Runs on a worker thread.
 *
 * Returns: (transfer full):
 */
GBytes *tess_source_fetch (const char *uri,
                           const TessLoadOptions *options,
                           GCancellable *cancellable,
                           TessProgressFunc progress,
                           gpointer progress_data,
                           char **content_type,
                           GError **error);

/**
 * tess_source_parse:
 * @content_type: (nullable):
 * @uri: (nullable):
 * @options: (nullable):
 * @cancellable: (nullable):
 *
 * Parses @bytes with the reader that @options->format, @content_type or the
 * extension of @uri chooses. Runs on a worker thread.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_source_parse (GBytes *bytes,
                              const char *content_type,
                              const char *uri,
                              const TessLoadOptions *options,
                              GCancellable *cancellable,
                              GError **error);

/**
 * tess_source_get_http_request_count:
 *
 * HTTP requests sent since the process started (for tests and benchmarks).
 */
guint64 tess_source_get_http_request_count (void);

/**
 * tess_source_set_disk_cache_limit:
 *
 * The disk cache of downloads, under the user cache directory, keeps bodies
 * of any size up to @bytes in all, the least recently used removed first, and
 * asks the server on every load whether a kept body changed (a 304 transfers
 * none). Answers marked Cache-Control: no-store are never written. 0 restores
 * the default, 2 GiB. Any thread; entries above a lower limit are removed on
 * the I/O thread.
 */
void tess_source_set_disk_cache_limit (guint64 bytes);
/**
 * tess_source_get_disk_cache_limit:
 *
 * The disk cache's limit in bytes.
 */
guint64 tess_source_get_disk_cache_limit (void);

G_END_DECLS
