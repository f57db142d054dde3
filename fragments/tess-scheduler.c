/* tess-scheduler.c: CPU slots over an unbounded thread pool.
 *
 * GTask's shared pool has 10 threads and grows slowly when they block (see
 * architecture.md), so fragment bodies, which may sleep or wait for data, run on
 * a pool of our own. The pool may grow without bound, but a job is handed to it
 * only while fewer than n_slots jobs are computing; a job that blocks leaves its
 * slot (tess_scheduler_blocking_begin) and takes one back when it wakes, even if
 * that briefly oversubscribes the cores. A worker that runs out of ready jobs
 * keeps its slot for LINGER_US, in case the fragment declaring them is about
 * to queue another: a wake-up and a sleep per fragment cost more than the
 * fragment itself when fragments are small and many.
 */
#include "tess-scheduler.h"

typedef struct
{
  TessJobFunc func;
  gpointer data;
} Job;

/* How long a worker that ran out of ready jobs waits for another. */
#define LINGER_US 20

static GMutex lock;
static GQueue ready = G_QUEUE_INIT;
static int n_ready; /* ready.length, readable without the lock */
static guint active;
static guint lingering; /* workers waiting, slot kept, for the next job */
static guint n_slots;
static GThreadPool *pool;

static Job *
pop_ready_locked (void)
{
  Job *job = g_queue_pop_head (&ready);

  g_atomic_int_set (&n_ready, (int) ready.length);
  return job;
}

static void
pump_locked (void)
{
  /* A lingering worker takes the next job itself: waking a thread for it
   * would only compete with it for the cores. */
  while (active < n_slots && ready.length > lingering)
    {
      Job *job = pop_ready_locked ();
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
      gboolean may_linger;

      job.func (job.data);

      g_mutex_lock (&lock);
      may_linger = active <= n_slots;
      if (may_linger)
        next = pop_ready_locked ();
      if (next == NULL && may_linger)
        lingering++;
      g_mutex_unlock (&lock);

      /* Nothing ready: a fragment that declares many fragments is usually
       * about to queue the next one. Waiting a few microseconds for it, slot
       * kept, is cheaper than putting this thread to sleep and waking
       * another for each. */
      if (next == NULL && may_linger)
        {
          gint64 until = g_get_monotonic_time () + LINGER_US;

          while (next == NULL && g_get_monotonic_time () < until)
            if (g_atomic_int_get (&n_ready) > 0)
              {
                g_mutex_lock (&lock);
                if (active <= n_slots)
                  next = pop_ready_locked ();
                if (next != NULL)
                  lingering--;
                g_mutex_unlock (&lock);
              }
        }

      if (next == NULL)
        {
          g_mutex_lock (&lock);
          if (may_linger)
            lingering--;
          active--;
          pump_locked ();
          g_mutex_unlock (&lock);
          return;
        }
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
  g_atomic_int_set (&n_ready, (int) ready.length);
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
