/* tess-load.h: loading data, querying databases and caching computations
 * from a fragment.
 *
 * The author-facing side of data/: each call blocks only the fragment that
 * makes it, shows the download's progress in that fragment's slot, and returns
 * at once (with G_IO_ERROR_CANCELLED) when the run is cancelled.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include "tess-cache.h"
#include "tess-run.h"
#include "tess-source.h"
#include "tess-sql.h"

G_BEGIN_DECLS

/**
 * tess_load:
 * @opts: (nullable):
 *
 * Loads @uri (a path, file://, resource://, http:// or https://) through the
 * process-wide cache: concurrent loads of one source make one request, and the
 * frame is kept until @opts->ttl runs out or the dashboard reloads. @opts may
 * be NULL. Returns a new reference. Runs on a worker thread (the fragment's).
 *
 * Returns: (transfer full):
 */
TessFrame *tess_load (TessRun *run, const char *uri, const TessLoadOptions *opts, GError **error);

/**
 * tess_query:
 * @params: (nullable):
 *
 * Runs @sql on the database @source_uri (postgresql://..., see tess-sql.h)
 * with @params, a tuple of the values of $1, $2... or NULL (a floating
 * reference is sunk): values are always bound, never pasted into the SQL.
 * Goes through the process-wide cache like tess_load(): concurrent runs of
 * one query with the same values make one, and the result is kept until the
 * dashboard reloads. Blocks only this fragment, which shows the rows
 * arriving in its slot; a superseded or closed run returns at once with
 * G_IO_ERROR_CANCELLED and its query is cancelled on the server. A result
 * cut at the row limit carries a warning, which is shown in the slot too.
 * Returns a new reference. Runs on a worker thread (the fragment's).
 *
 * Returns: (transfer full):
 */
TessFrame *tess_query (TessRun *run, const char *source_uri, const char *sql, GVariant *params, GError **error);
/**
 * tess_query_full:
 * @params: (nullable):
 * @options: (nullable):
 *
 * tess_query() with the source's options (row limit, statement timeout,
 * ttl, what the dashboard may reach, the password); @options may be NULL.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_query_full (TessRun *run,
                            const char *source_uri,
                            const char *sql,
                            GVariant *params,
                            const TessSqlOptions *options,
                            GError **error);

/**
 * tess_cache_call:
 * @func: (scope call):
 * @user_data: (closure func):
 * @options: (nullable):
 *
 * Streamlit's cache_data: returns the cached result of @func for @key, or runs
 * @func once however many fragments ask at the same time. @options says how
 * results are shared and sized; NULL means @func returns a TessFrame. Returns a
 * new reference. Runs on a worker thread (the fragment's).
 *
 * Returns: (transfer full) (nullable):
 */
gpointer tess_cache_call (TessRun *run,
                          const char *key,
                          TessCacheFunc func,
                          gpointer user_data,
                          const TessCacheCallOptions *options,
                          GError **error);

G_END_DECLS
