/* tess-scheduler.c: CPU slots over an unbounded thread pool.
 *
 * GTask's shared pool has 10 threads and grows slowly when they block (see
 * architecture.md), so fragment bodies, which may sleep or wait for data, run on
 * a pool of our own. The pool may grow without bound, but a job is handed to it
 * only while fewer than n_slots jobs are computing; a job that blocks leaves its
 * slot (tess_scheduler_blocking_begin) and takes one back when it wakes, even if
 * that briefly oversubscribes the cores.
 */
#include "tess-scheduler.h"

typedef struct
{
  TessJobFunc func;
  gpointer data;
} Job;

static GMutex lock;
static GQueue ready = G_QUEUE_INIT;
static guint active;
static guint n_slots;
static GThreadPool *pool;

static void
pump_locked (void)
{
  while (active < n_slots && !g_queue_is_empty (&ready))
    {
      Job *job = g_queue_pop_head (&ready);
      active++;
      g_thread_pool_push (pool, job, NULL);
    }
}

/* Runs on a worker thread. A worker that finishes a job takes the next ready
 * one itself, keeping its slot, rather than waking another thread for it. */
static void
run_job (gpointer job_ptr, gpointer unused)
{
  Job job = *(Job *) job_ptr;

  g_free (job_ptr);
  for (;;)
    {
      Job *next = NULL;

      job.func (job.data);

      g_mutex_lock (&lock);
      if (active <= n_slots)
        next = g_queue_pop_head (&ready);
      if (next == NULL)
        {
          active--;
          pump_locked ();
        }
      g_mutex_unlock (&lock);

      if (next == NULL)
        return;
      job = *next;
      g_free (next);
    }
}

static void
ensure_pool (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      n_slots = MAX (2, g_get_num_processors ());
      pool = g_thread_pool_new (run_job, NULL, -1, FALSE, NULL);
      /* Keep some threads warm: a dashboard dispatches bursts of fragments. */
      g_thread_pool_set_max_unused_threads (MAX (8, (int) n_slots * 2));
      g_once_init_leave (&initialized, 1);
    }
}

void
tess_scheduler_submit (TessJobFunc func, gpointer data)
{
  Job *job = g_new (Job, 1);

  ensure_pool ();
  job->func = func;
  job->data = data;
  g_mutex_lock (&lock);
  g_queue_push_tail (&ready, job);
  pump_locked ();
  g_mutex_unlock (&lock);
}

void
tess_scheduler_blocking_begin (void)
{
  ensure_pool ();
  g_mutex_lock (&lock);
  active--;
  pump_locked ();
  g_mutex_unlock (&lock);
}

void
tess_scheduler_blocking_end (void)
{
  g_mutex_lock (&lock);
  active++;
  g_mutex_unlock (&lock);
}
