/* tess-cache-private.h: cache jobs, for sources whose work is partly
 * asynchronous (an HTTP request) and partly a blocking computation (parsing).
 */
#pragma once

#include "tess-cache.h"

G_BEGIN_DECLS

typedef struct _TessCacheJob TessCacheJob;

typedef struct
{
  /* Starts work that needs no thread (an HTTP request on the I/O thread); it
   * ends with tess_cache_job_stage_done(). NULL when there is none. Called once,
   * on the thread that created the job, without locks held. */
  void (*start) (TessCacheJob *job, gpointer data);
  /* The blocking part, run by one waiting thread after the start stage.
   * Returns the value or NULL with @error set. */
  gpointer (*finish) (TessCacheJob *job, gpointer data, GCancellable *cancellable, GError **error);
} TessCacheJobClass;

/* As tess_cache_call_sync(), for a job: @data is owned by the job and freed
 * with @data_free. A NULL @key makes a job no one else shares. */
gpointer tess_cache_run (const char *key,
                         const TessCacheJobClass *klass,
                         gpointer data,
                         GDestroyNotify data_free,
                         const TessCacheCallOptions *options,
                         GCancellable *cancellable,
                         TessProgressFunc progress,
                         gpointer progress_data,
                         GError **error);

/* Forgets the entry of @key, finished or not (a load in flight still
 * finishes for its waiters, and is not kept): for a source that knows its
 * older results can never be asked for again, such as the previous version
 * of a file whose key names its size and modification time. Any thread. */
void tess_cache_forget (const char *key);

/* TRUE when the cache holds the value of @key, or computes it now: a call
 * with @key would not start another computation (unless this one fails).
 * Any thread. */
gboolean tess_cache_contains (const char *key);

TessCacheJob *tess_cache_job_ref (TessCacheJob *job);
void tess_cache_job_unref (TessCacheJob *job);
/* Cancelled when no caller waits for the job any more. */
GCancellable *tess_cache_job_get_cancellable (TessCacheJob *job);
/* Ends the start stage; @error (taken) fails the job. Any thread. */
void tess_cache_job_stage_done (TessCacheJob *job, GError *error);
/* Publishes progress to every waiter. Any thread. */
void tess_cache_job_progress (TessCacheJob *job, guint64 received, guint64 total);

G_END_DECLS
