/* tess-tasks.c: a batch of tasks on every core, for the work of one call
 * that splits into independent parts (a CSV body's chunks, a group-by's row
 * ranges). Not public API. */
#include "tess-tasks-private.h"

/* One batch of tasks. The caller and the helpers it asked for claim tasks
 * until none is left; a helper that starts late finds none and only drops
 * its reference, so the caller never waits for a busy pool. */
typedef struct
{
  gatomicrefcount ref_count;
  GMutex mutex;
  GCond cond;
  TessTaskFunc func;
  gpointer data; /* the caller's: touched only by claimed tasks */
  guint n_tasks;
  gint next_task; /* atomic */
  guint n_done;   /* under mutex */
} TaskJob;

static void
task_job_unref (TaskJob *job)
{
  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_free (job);
}

/* Claims and runs tasks until none is left. Any thread. */
static void
task_job_work (TaskJob *job)
{
  for (;;)
    {
      guint task = (guint) g_atomic_int_add (&job->next_task, 1);

      if (task >= job->n_tasks)
        return;
      job->func (job->data, task);
      g_mutex_lock (&job->mutex);
      if (++job->n_done == job->n_tasks)
        g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
    }
}

/* Runs on a pool thread. */
static void
pool_run_cb (gpointer item, gpointer user_data)
{
  TaskJob *job = item;

  task_job_work (job);
  task_job_unref (job);
}

/* At most one thread per core beside the threads that read (which work on
 * their own reads' tasks too), whatever the number of reads at once. */
static GThreadPool *
shared_pool (void)
{
  static GThreadPool *pool = NULL;

  if (g_once_init_enter (&pool))
    {
      guint n = MAX (g_get_num_processors (), 2) - 1;
      g_once_init_leave (&pool, g_thread_pool_new (pool_run_cb, NULL, n, FALSE, NULL));
    }
  return pool;
}

void
tess_run_tasks (TessTaskFunc func, gpointer data, guint n_tasks, guint n_threads)
{
  TaskJob *job;
  guint n_helpers = MIN (n_threads, n_tasks);

  if (n_tasks == 0)
    return;
  job = g_new0 (TaskJob, 1);
  g_atomic_ref_count_init (&job->ref_count);
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  job->func = func;
  job->data = data;
  job->n_tasks = n_tasks;
  for (guint i = 1; i < n_helpers; i++)
    {
      g_atomic_ref_count_inc (&job->ref_count);
      if (!g_thread_pool_push (shared_pool (), job, NULL))
        task_job_unref (job);
    }
  task_job_work (job);
  g_mutex_lock (&job->mutex);
  while (job->n_done < job->n_tasks)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);
  task_job_unref (job);
}
