/* tess-cache.h: the process-wide cache of loaded frames and computed values.
 *
 * Keyed by a string; single-flight: any number of concurrent requests for one
 * key make one computation and all receive its result. Results are kept until
 * their TTL runs out or tess_cache_clear() (the dashboard reloads), within a
 * memory bound (default 1 GiB) enforced by evicting the least recently used.
 * Errors are never cached. Every function here is thread-safe.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tess-frame.h"

G_BEGIN_DECLS

/**
 * TessProgressFunc:
 * @user_data: (closure):
 *
 * Reports bytes received of @total (0 when unknown). Called on the waiting thread.
 */
typedef void (*TessProgressFunc) (guint64 received, guint64 total, gpointer user_data);

/**
 * TessCacheFunc:
 * @cancellable: (nullable):
 * @user_data: (closure):
 *
 * Computes a value; @cancellable is cancelled when no caller waits any more.
 * Runs on the worker thread of one of the waiting callers.
 *
 * Returns: (transfer full) (nullable):
 */
typedef gpointer (*TessCacheFunc) (GCancellable *cancellable, gpointer user_data, GError **error);

typedef struct
{
  double ttl; /* seconds; 0: until tess_cache_clear(); < 0: shared only with concurrent callers */
  /* How a value is shared and sized; all NULL for a TessFrame. */
  GBoxedCopyFunc copy; /* returns the reference each caller gets */
  GDestroyNotify free;
  gsize (*size) (gconstpointer value);
} TessCacheCallOptions;

/**
 * tess_cache_call_sync:
 * @func: (scope call):
 * @user_data: (closure func):
 * @options: (nullable):
 * @cancellable: (nullable):
 *
 * Returns the cached value of @key, or computes it with @func. Concurrent calls
 * with the same key wait for one computation (only the first caller's @func
 * and @user_data are used). Cancelling @cancellable releases this caller at
 * once; the computation is cancelled when no caller waits any more. Returns a
 * new reference (via options->copy), NULL with @error set on failure.
 * Runs on a worker thread; blocks only the calling thread.
 *
 * Returns: (transfer full) (nullable):
 */
gpointer tess_cache_call_sync (const char *key,
                               TessCacheFunc func,
                               gpointer user_data,
                               const TessCacheCallOptions *options,
                               GCancellable *cancellable,
                               GError **error);

/**
 * tess_cache_clear:
 *
 * Forgets every finished entry (loads in flight finish for their waiters).
 */
void tess_cache_clear (void);
/**
 * tess_cache_set_max_bytes:
 *
 * Sets the memory bound in bytes (0 restores the default, 1 GiB).
 */
void tess_cache_set_max_bytes (gsize max_bytes);
/**
 * tess_cache_get_bytes:
 *
 * The bytes the cache holds now.
 */
gsize tess_cache_get_bytes (void);
/**
 * tess_cache_get_n_entries:
 *
 * How many entries the cache holds now.
 */
guint tess_cache_get_n_entries (void);

G_END_DECLS
