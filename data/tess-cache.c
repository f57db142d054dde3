/* tess-cache.c: the process-wide single-flight cache.
 *
 * One mutex guards the table, the LRU list and every job's state; each job has
 * its own condition variable, broadcast when its state changes or one of its
 * waiters is cancelled. A waiter's cancellation handler runs in the thread that
 * cancels: it counts the waiter out, wakes it, and when no waiter remains
 * cancels the job's own cancellable (outside the lock), which aborts the work.
 */
#include "tess-cache-private.h"

#define DEFAULT_MAX_BYTES ((gsize) 1 << 30)

struct _TessCacheJob
{
  gatomicrefcount ref_count;
  char *key;
  const TessCacheJobClass *klass;
  gpointer data;
  GDestroyNotify data_free;
  GCancellable *cancellable;
  GCond cond;

  /* guarded by cache_lock */
  guint interested;
  gboolean stage_done;
  GError *stage_error;
  gboolean claimed;
  gboolean done;
  gboolean aborted;
  gboolean in_table;
  gboolean keep; /* stays in the table once done (a TTL of 0 or more) */
  gpointer value;
  GError *error;
  guint64 received;
  guint64 total;
  gsize bytes;
  gint64 expires; /* monotonic µs */
  GList lru_link;

  GBoxedCopyFunc copy;
  GDestroyNotify free;
};

typedef struct
{
  TessCacheJob *job;
  gboolean cancelled;
} Waiter;

static GMutex cache_lock;
static GHashTable *cache_table;         /* key -> job (a reference) */
static GQueue cache_lru = G_QUEUE_INIT; /* finished jobs, most recent first */
static gsize cache_bytes;
static gsize cache_max_bytes = DEFAULT_MAX_BYTES;

TessCacheJob *
tess_cache_job_ref (TessCacheJob *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

void
tess_cache_job_unref (TessCacheJob *job)
{
  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;
  if (job->value && job->free)
    job->free (job->value);
  g_clear_error (&job->error);
  g_clear_error (&job->stage_error);
  if (job->data_free)
    job->data_free (job->data);
  g_clear_object (&job->cancellable);
  g_cond_clear (&job->cond);
  g_free (job->key);
  g_free (job);
}

GCancellable *
tess_cache_job_get_cancellable (TessCacheJob *job)
{
  return job->cancellable;
}

static GHashTable *
table (void)
{
  if (cache_table == NULL)
    cache_table = g_hash_table_new (g_str_hash, g_str_equal);
  return cache_table;
}

/* Takes @job out of the table and the LRU list; the caller drops the returned
 * table reference outside the lock. Lock held. */
static TessCacheJob *
detach_locked (TessCacheJob *job)
{
  if (!job->in_table)
    return NULL;
  g_hash_table_remove (table (), job->key);
  job->in_table = FALSE;
  if (job->lru_link.data)
    {
      g_queue_unlink (&cache_lru, &job->lru_link);
      job->lru_link.data = NULL;
      cache_bytes -= job->bytes;
    }
  return job;
}

static void
evict_locked (GPtrArray *dropped)
{
  while (cache_bytes > cache_max_bytes && cache_lru.length > 1)
    g_ptr_array_add (dropped, detach_locked (g_queue_peek_tail_link (&cache_lru)->data));
}

void
tess_cache_job_stage_done (TessCacheJob *job, GError *error)
{
  g_mutex_lock (&cache_lock);
  job->stage_done = TRUE;
  job->stage_error = error;
  g_cond_broadcast (&job->cond);
  g_mutex_unlock (&cache_lock);
}

void
tess_cache_job_progress (TessCacheJob *job, guint64 received, guint64 total)
{
  g_mutex_lock (&cache_lock);
  job->received = received;
  job->total = total;
  g_cond_broadcast (&job->cond);
  g_mutex_unlock (&cache_lock);
}

/* Runs in the thread that cancels the waiter's cancellable. */
static void
waiter_cancelled (GCancellable *cancellable, gpointer user_data)
{
  Waiter *waiter = user_data;
  TessCacheJob *job = waiter->job;
  TessCacheJob *detached = NULL;
  gboolean abort = FALSE;

  g_mutex_lock (&cache_lock);
  if (!waiter->cancelled)
    {
      waiter->cancelled = TRUE;
      if (--job->interested == 0 && !job->done)
        {
          abort = TRUE;
          job->aborted = TRUE;
          detached = detach_locked (job);
        }
      g_cond_broadcast (&job->cond);
    }
  g_mutex_unlock (&cache_lock);
  if (abort)
    g_cancellable_cancel (job->cancellable);
  if (detached)
    tess_cache_job_unref (detached);
}

static gpointer
frame_copy (gpointer value)
{
  return tess_frame_ref (value);
}

static gsize
frame_size (gconstpointer value)
{
  return tess_frame_get_bytes (value);
}

gpointer
tess_cache_run (const char *key,
                const TessCacheJobClass *klass,
                gpointer data,
                GDestroyNotify data_free,
                const TessCacheCallOptions *options,
                GCancellable *cancellable,
                TessProgressFunc progress,
                gpointer progress_data,
                GError **error)
{
  static const TessCacheCallOptions defaults = { 0 };
  GBoxedCopyFunc copy;
  GDestroyNotify free_func;
  gsize (*size) (gconstpointer);
  TessCacheJob *job = NULL;
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_cache_job_unref);
  Waiter waiter = { 0 };
  gboolean creator = FALSE;
  gulong handler = 0;
  gpointer result = NULL;
  GError *result_error = NULL;
  guint64 reported = G_MAXUINT64;

  g_return_val_if_fail (klass != NULL && klass->finish != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    options = &defaults;
  copy = options->copy ? options->copy : frame_copy;
  free_func = options->free ? options->free : (GDestroyNotify) tess_frame_unref;
  size = options->size ? options->size : (options->copy ? NULL : frame_size);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      if (data_free)
        data_free (data);
      return NULL;
    }

  g_mutex_lock (&cache_lock);
  if (key)
    {
      job = g_hash_table_lookup (table (), key);
      if (job && job->done && job->expires <= g_get_monotonic_time ())
        {
          g_ptr_array_add (dropped, detach_locked (job));
          job = NULL;
        }
      if (job && job->done)
        {
          result = copy (job->value);
          g_queue_unlink (&cache_lru, &job->lru_link);
          g_queue_push_head_link (&cache_lru, &job->lru_link);
          g_mutex_unlock (&cache_lock);
          if (data_free)
            data_free (data);
          return result;
        }
    }
  if (job == NULL)
    {
      job = g_new0 (TessCacheJob, 1);
      g_atomic_ref_count_init (&job->ref_count);
      g_cond_init (&job->cond);
      job->key = g_strdup (key);
      job->klass = klass;
      job->data = data;
      job->data_free = data_free;
      job->cancellable = g_cancellable_new ();
      job->copy = copy;
      job->free = free_func;
      job->stage_done = klass->start == NULL;
      if (options->ttl > 0)
        job->expires = g_get_monotonic_time () + (gint64) (options->ttl * G_USEC_PER_SEC);
      else
        job->expires = G_MAXINT64;
      job->keep = options->ttl >= 0;
      if (key)
        {
          g_hash_table_insert (table (), job->key, tess_cache_job_ref (job));
          job->in_table = TRUE;
        }
      creator = TRUE;
    }
  else
    {
      if (data_free)
        data_free (data);
      tess_cache_job_ref (job); /* the creator's reference is its waiter's */
    }
  job->interested++;
  waiter.job = job;
  g_mutex_unlock (&cache_lock);

  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (waiter_cancelled), &waiter, NULL);
  if (creator && klass->start)
    klass->start (job, job->data);

  g_mutex_lock (&cache_lock);
  for (;;)
    {
      if (waiter.cancelled)
        {
          g_set_error_literal (&result_error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The load was cancelled");
          break;
        }
      /* before the end, so that the last bytes are reported even when the
       * work ends before this thread wakes; a waiter that finds the value
       * ready reports nothing */
      if (progress && job->received != reported && !(job->done && reported == G_MAXUINT64))
        {
          guint64 received = reported = job->received;
          guint64 total = job->total;
          g_mutex_unlock (&cache_lock);
          progress (received, total, progress_data);
          g_mutex_lock (&cache_lock);
          continue;
        }
      if (job->done)
        {
          if (job->value)
            result = job->copy (job->value);
          else
            result_error = g_error_copy (job->error);
          break;
        }
      if (job->stage_done && !job->claimed)
        {
          gpointer value = NULL;
          GError *local = NULL;

          job->claimed = TRUE;
          if (job->stage_error)
            local = g_error_copy (job->stage_error);
          g_mutex_unlock (&cache_lock);
          if (local == NULL)
            value = klass->finish (job, job->data, job->cancellable, &local);
          g_assert (value != NULL || local != NULL);
          g_mutex_lock (&cache_lock);
          job->done = TRUE;
          job->value = value;
          job->error = local;
          if (job->in_table)
            {
              if (value == NULL || !job->keep)
                g_ptr_array_add (dropped, detach_locked (job));
              else
                {
                  job->bytes = size ? size (value) : 0;
                  job->lru_link.data = job;
                  g_queue_push_head_link (&cache_lru, &job->lru_link);
                  cache_bytes += job->bytes;
                  evict_locked (dropped);
                }
            }
          g_cond_broadcast (&job->cond);
          continue;
        }
      g_cond_wait (&job->cond, &cache_lock);
    }
  if (!waiter.cancelled)
    {
      waiter.cancelled = TRUE; /* the handler must not count us out again */
      job->interested--;
    }
  g_mutex_unlock (&cache_lock);

  if (handler)
    g_cancellable_disconnect (cancellable, handler);
  tess_cache_job_unref (job);
  if (result_error)
    g_propagate_error (error, result_error);
  return result;
}

typedef struct
{
  TessCacheFunc func;
  gpointer user_data;
} CallData;

static gpointer
call_finish (TessCacheJob *job, gpointer data, GCancellable *cancellable, GError **error)
{
  CallData *call = data;
  gpointer value = call->func (cancellable, call->user_data, error);

  if (value == NULL && error && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The cached function returned no value");
  return value;
}

gpointer
tess_cache_call_sync (const char *key,
                      TessCacheFunc func,
                      gpointer user_data,
                      const TessCacheCallOptions *options,
                      GCancellable *cancellable,
                      GError **error)
{
  static const TessCacheJobClass call_class = { NULL, call_finish };
  g_autofree char *full_key = NULL;
  g_autoptr (GError) local = NULL;
  CallData *call;
  gpointer value;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  call = g_new (CallData, 1);
  call->func = func;
  call->user_data = user_data;
  full_key = g_strconcat ("call\x1f", key, NULL);
  value = tess_cache_run (full_key, &call_class, call, g_free, options, cancellable, NULL, NULL, &local);
  if (local)
    g_propagate_error (error, g_steal_pointer (&local));
  return value;
}

void
tess_cache_clear (void)
{
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_cache_job_unref);

  g_mutex_lock (&cache_lock);
  while (cache_lru.length > 0)
    g_ptr_array_add (dropped, detach_locked (g_queue_peek_head_link (&cache_lru)->data));
  g_mutex_unlock (&cache_lock);
}

void
tess_cache_forget (const char *key)
{
  TessCacheJob *detached = NULL;
  TessCacheJob *job;

  g_return_if_fail (key != NULL);

  g_mutex_lock (&cache_lock);
  job = cache_table ? g_hash_table_lookup (cache_table, key) : NULL;
  if (job)
    detached = detach_locked (job);
  g_mutex_unlock (&cache_lock);
  if (detached)
    tess_cache_job_unref (detached);
}

gboolean
tess_cache_contains (const char *key)
{
  TessCacheJob *job;
  gboolean held;

  g_return_val_if_fail (key != NULL, FALSE);

  g_mutex_lock (&cache_lock);
  job = cache_table ? g_hash_table_lookup (cache_table, key) : NULL;
  held = job != NULL && !(job->done && job->expires <= g_get_monotonic_time ());
  g_mutex_unlock (&cache_lock);
  return held;
}

void
tess_cache_set_max_bytes (gsize max_bytes)
{
  g_autoptr (GPtrArray) dropped = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_cache_job_unref);

  g_mutex_lock (&cache_lock);
  cache_max_bytes = max_bytes ? max_bytes : DEFAULT_MAX_BYTES;
  evict_locked (dropped);
  g_mutex_unlock (&cache_lock);
}

gsize
tess_cache_get_bytes (void)
{
  gsize bytes;

  g_mutex_lock (&cache_lock);
  bytes = cache_bytes;
  g_mutex_unlock (&cache_lock);
  return bytes;
}

guint
tess_cache_get_n_entries (void)
{
  guint n;

  g_mutex_lock (&cache_lock);
  n = cache_lru.length;
  g_mutex_unlock (&cache_lock);
  return n;
}
