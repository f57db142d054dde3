/* tess-session.c: one open dashboard: scopes, runs, inputs, state, delivery.
 *
 * Every fragment instance is a scope (the dashboard's top level is the scope
 * ""). A scope has at most one run in flight and at most one pending: asking for
 * a rerun while one runs cancels it and marks the scope pending; the pending run
 * starts when the cancelled one has returned and, when the request came from an
 * input change, once the inputs have been quiet for coalesce_ms. Workers report
 * output and completion through two queues that one GSource on the host's main
 * context drains, a bounded amount of work per dispatch, at a priority below
 * redraw; the host sees only signals emitted from that source.
 */
#include "tess-session-private.h"
#include "tess-thread-private.h"
#include "tess-scheduler.h"
#include "tess-cache.h"

#define DELIVERY_BUDGET_US 1000
/* Frames that take longer than the frame interval (software rendering, a
 * slow machine) keep GTK's redraw ready all the time, and a source below it
 * would never run. Output that waited this long is delivered at default
 * priority, with a larger budget. */
#define STARVATION_US 25000
#define WATCHDOG_BUDGET_US 4000
#define DEFAULT_COALESCE_MS 50
/* A session with run_every fragments runs forever: its timeline keeps the
 * newest runs, dropping the oldest in batches of a quarter. */
#define TIMELINE_MAX_RUNS 2048

struct _TessSession
{
  GObject parent_instance;

  GMutex lock;
  GMainContext *context;
  GSource *delivery_source;
  GSource *watchdog_source; /* delivers when redraw keeps the delivery source from running */
  gboolean watchdog_armed;
  gint64 start_us;

  GHashTable *scopes;    /* path -> TessScope */
  GHashTable *children;  /* parent path -> GHashTable of key -> TessScope (no refs) */
  GHashTable *inputs;    /* key -> TessInput */
  GHashTable *presets;   /* key or label -> text, for inputs not declared yet */
  GHashTable *state;     /* key -> GVariant */
  GQueue dirty;          /* TessScope refs */
  GQueue finished;       /* TessRun refs */
  GPtrArray *timeline;   /* TessRunRecord of the runs the host was told finished (the newest) */
  GHashTable *in_flight; /* TessRun refs: started and not yet reported finished */
  guint n_runs;          /* created and not yet finished-and-processed */
  guint n_pending;
  gboolean idle_announced;
  gboolean started;
  gboolean closed;
  gboolean run_every_enabled;
  guint coalesce_ms;
};

enum
{
  SCOPE_UPDATED,
  SCOPE_REMOVED,
  RUN_FINISHED,
  IDLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TessSession, tess_session, G_TYPE_OBJECT)

/* Scopes */

static TessScope *
scope_new (TessSession *session, const char *path, const char *key, const char *parent_path)
{
  TessScope *scope = g_new0 (TessScope, 1);

  g_atomic_ref_count_init (&scope->ref_count);
  scope->session = session;
  scope->path = g_strdup (path);
  scope->key = g_strdup (key);
  scope->parent_path = g_strdup (parent_path);
  scope->deps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scope->declared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scope->state = TESS_SCOPE_PENDING;
  return scope;
}

static TessScope *
scope_ref (TessScope *scope)
{
  g_atomic_ref_count_inc (&scope->ref_count);
  return scope;
}

static void
scope_unref (TessScope *scope)
{
  if (!g_atomic_ref_count_dec (&scope->ref_count))
    return;
  g_assert (scope->current == NULL);
  g_clear_pointer (&scope->body, tess_body_unref);
  g_clear_pointer (&scope->every_source, g_source_unref);
  g_clear_pointer (&scope->pending_source, g_source_unref);
  g_clear_object (&scope->pending_parent_cancellable);
  g_clear_pointer (&scope->deps, g_hash_table_unref);
  g_clear_pointer (&scope->declared, g_hash_table_unref);
  g_clear_pointer (&scope->last_root, tess_element_unref);
  g_clear_error (&scope->last_error);
  g_free (scope->path);
  g_free (scope->key);
  g_free (scope->parent_path);
  g_free (scope);
}

void
tess_scope_unref (TessScope *scope)
{
  scope_unref (scope);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static char *
child_path (const char *parent_path, const char *key)
{
  if (parent_path == NULL || *parent_path == '\0')
    return g_strdup (key);
  return g_strconcat (parent_path, "/", key, NULL);
}

gint64
tess_session_now_us (TessSession *self)
{
  return g_get_monotonic_time ();
}

GMutex *
tess_session_get_lock (TessSession *self)
{
  return &self->lock;
}

static void
arm_watchdog_locked (TessSession *self)
{
  if (self->watchdog_source != NULL)
    g_source_set_ready_time (self->watchdog_source, g_get_monotonic_time () + STARVATION_US);
  self->watchdog_armed = TRUE;
}

static void
wake_delivery_locked (TessSession *self)
{
  if (self->delivery_source == NULL)
    return;
  g_source_set_ready_time (self->delivery_source, 0);
  if (!self->watchdog_armed)
    arm_watchdog_locked (self);
}

static void
queue_dirty_locked (TessSession *self, TessScope *scope)
{
  /* A quiet run's output is delivered once, when it ends (see TessRun). */
  if (scope->queued || self->closed || scope->removed || (scope->current != NULL && scope->current->quiet))
    return;
  scope->queued = TRUE;
  g_queue_push_tail (&self->dirty, scope_ref (scope));
  wake_delivery_locked (self);
}

/* Any thread, no lock held. */
void
tess_session_mark_dirty (TessSession *self, TessScope *scope)
{
  g_mutex_lock (&self->lock);
  queue_dirty_locked (self, scope);
  g_mutex_unlock (&self->lock);
}

/* Runs */

/* @quiet: a run_every refresh of output on show (see TessRun). */
static TessRun *
start_run_locked (TessSession *self, TessScope *scope, GCancellable *parent_cancellable, gboolean quiet)
{
  TessRun *run;

  scope->run_count++;
  run = tess_run_new (self, scope, scope->run_count, scope->parallel || scope->parent_path == NULL, parent_cancellable);
  run->queued_us = tess_session_now_us (self);
  run->quiet = quiet;
  run->refresh = quiet || scope->retry_kept;
  scope->retry_kept = FALSE;
  g_clear_pointer (&scope->current, tess_run_unref);
  scope->current = tess_run_ref (run);
  g_hash_table_add (self->in_flight, tess_run_ref (run));
  self->n_runs++;
  self->idle_announced = FALSE;
  queue_dirty_locked (self, scope);
  return run;
}

/* Hands a finished run to the main context. Any thread; consumes @run. */
static void
finish_run (TessRun *run)
{
  TessSession *self = run->session;

  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      self->n_runs--;
      g_mutex_unlock (&self->lock);
      tess_run_unref (run);
      return;
    }
  g_queue_push_tail (&self->finished, run);
  wake_delivery_locked (self);
  g_mutex_unlock (&self->lock);
}

/* Runs on a worker thread. */
static void
run_job (gpointer data)
{
  TessRun *run = data;

  tess_run_execute (run);
  finish_run (run);
}

static void
submit_run (TessRun *run)
{
  tess_scheduler_submit (run_job, run);
}

static gboolean tess_scope_pending_timeout_cb (gpointer data);

static void
maybe_start_pending_locked (TessSession *self, TessScope *scope)
{
  gint64 now;

  if (!scope->pending || scope->current != NULL || scope->removed || self->closed)
    return;

  now = tess_session_now_us (self);
  if (now < scope->not_before_us)
    {
      if (scope->pending_source == NULL)
        {
          scope->pending_source = g_timeout_source_new ((guint) MAX (1, (scope->not_before_us - now + 999) / 1000));
          g_source_set_priority (scope->pending_source, TESS_PRIORITY_DELIVERY);
          g_source_set_callback (scope->pending_source, tess_scope_pending_timeout_cb, scope_ref (scope),
                                 (GDestroyNotify) scope_unref);
          g_source_attach (scope->pending_source, self->context);
        }
      return;
    }

  scope->pending = FALSE;
  self->n_pending--;
  submit_run (start_run_locked (self, scope, scope->pending_parent_cancellable, FALSE));
  g_clear_object (&scope->pending_parent_cancellable);
}

/* Main thread only. */
static gboolean
tess_scope_pending_timeout_cb (gpointer data)
{
  TessScope *scope = data;
  TessSession *self = scope->session;

  TESS_ASSERT_MAIN_THREAD ();
  g_mutex_lock (&self->lock);
  g_clear_pointer (&scope->pending_source, g_source_unref);
  maybe_start_pending_locked (self, scope);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

/* Asks for a new run of @scope. With @coalesce (an input changed), a pending
 * run waits for the inputs to be quiet. Cancellables to cancel once the lock is
 * released go to @to_cancel. */
static void
request_run_locked (TessSession *self, TessScope *scope, gboolean coalesce, GPtrArray *to_cancel)
{
  if (self->closed || scope->removed)
    return;
  /* New input values: the output kept over a failed refresh is not theirs. */
  if (coalesce)
    scope->retry_kept = FALSE;

  if (scope->current != NULL)
    {
      if (to_cancel != NULL && !g_cancellable_is_cancelled (scope->current->cancellable))
        g_ptr_array_add (to_cancel, g_object_ref (scope->current->cancellable));
      if (!scope->pending)
        {
          scope->pending = TRUE;
          self->n_pending++;
        }
      if (coalesce)
        scope->not_before_us = tess_session_now_us (self) + self->coalesce_ms * 1000;
    }
  else if (scope->pending)
    {
      if (coalesce)
        scope->not_before_us = tess_session_now_us (self) + self->coalesce_ms * 1000;
    }
  else
    submit_run (start_run_locked (self, scope, NULL, FALSE));
}

static void
cancel_all (GPtrArray *cancellables)
{
  for (guint i = 0; i < cancellables->len; i++)
    g_cancellable_cancel (g_ptr_array_index (cancellables, i));
}

static GHashTable *
children_of_locked (TessSession *self, const char *path, gboolean create)
{
  GHashTable *children = g_hash_table_lookup (self->children, path);

  if (children == NULL && create)
    {
      children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->children, g_strdup (path), children);
    }
  return children;
}

static void
remove_scope_locked (TessSession *self, TessScope *scope, GPtrArray *removed, GPtrArray *to_cancel)
{
  GHashTable *children = children_of_locked (self, scope->path, FALSE);
  GHashTable *siblings;

  if (children != NULL)
    {
      g_autoptr (GList) list = g_hash_table_get_values (children);
      for (GList *l = list; l != NULL; l = l->next)
        remove_scope_locked (self, l->data, removed, to_cancel);
      g_hash_table_remove (self->children, scope->path);
    }

  scope->removed = TRUE;
  if (scope->current != NULL)
    {
      g_ptr_array_add (to_cancel, g_object_ref (scope->current->cancellable));
      g_clear_pointer (&scope->current, tess_run_unref);
    }
  if (scope->pending)
    {
      scope->pending = FALSE;
      self->n_pending--;
    }
  destroy_source (&scope->every_source);
  destroy_source (&scope->pending_source);

  siblings = children_of_locked (self, scope->parent_path != NULL ? scope->parent_path : "", FALSE);
  if (siblings != NULL)
    g_hash_table_remove (siblings, scope->key);
  g_ptr_array_add (removed, g_strdup (scope->path));
  g_hash_table_remove (self->scopes, scope->path);
}

/* Lock held. @run's timeline entry: as it finished, or, until the host is
 * told it finished, "running" with the times known so far (no end). */
static TessRunRecord *
record_from_run_locked (TessSession *self, TessRun *run, gboolean finished)
{
  TessRunRecord *record = g_new0 (TessRunRecord, 1);

#define MS(us) ((us) > 0 ? ((us) -self->start_us) / 1000.0 : -1.0)
  record->fragment = g_strdup (run->scope->path);
  record->parallel = run->parallel && run->scope->parent_path != NULL;
  record->serial = run->serial;
  record->queued_ms = MS (run->queued_us);
  /* A run in flight writes its times on its worker, under its own lock. */
  g_mutex_lock (&run->lock);
  record->start_ms = MS (run->start_us);
  record->first_output_ms = MS (run->first_output_us);
  record->end_ms = finished ? MS (run->end_us) : -1.0;
  record->status = finished ? run->status : TESS_RUN_RUNNING;
  if (finished && run->error != NULL)
    record->error = g_strdup (run->error->message);
  g_mutex_unlock (&run->lock);
#undef MS
  return record;
}

/* Main thread, lock held: a run has returned. */
static TessRunRecord *
process_finished_locked (TessSession *self, TessRun *run, GPtrArray *removed, GPtrArray *to_cancel)
{
  TessScope *scope = run->scope;
  TessRunRecord *record = record_from_run_locked (self, run, TRUE);
  gboolean unchanged = FALSE;

  self->n_runs--;
  g_ptr_array_add (self->timeline, tess_run_record_copy (record));
  if (self->timeline->len > TIMELINE_MAX_RUNS + TIMELINE_MAX_RUNS / 4)
    g_ptr_array_remove_range (self->timeline, 0, self->timeline->len - TIMELINE_MAX_RUNS);
  g_hash_table_remove (self->in_flight, run); /* the caller still holds @run */

  if (scope->current != run || scope->removed)
    return record; /* superseded inline, or its scope is gone: nothing to show */

  g_clear_pointer (&scope->current, tess_run_unref);

  if (run->status != TESS_RUN_CANCELLED)
    {
      GHashTable *children = children_of_locked (self, scope->path, FALSE);
      GHashTableIter iter;
      gpointer key, value;
      g_autoptr (TessElement) root = tess_run_snapshot (run);
      gboolean shown_good = scope->last_root != NULL && tess_element_get_n_children (scope->last_root) > 0 &&
                            (scope->state == TESS_SCOPE_DONE || scope->kept);
      /* A failed refresh keeps the good output on show, with its error. */
      gboolean keep = run->status == TESS_RUN_ERROR && run->refresh && shown_good;

      /* The run shared every element that did not change (tess_run_execute()). */
      unchanged =
          run->quiet && run->status == TESS_RUN_OK && root == scope->last_root && scope->state == TESS_SCOPE_DONE;
      if (!keep)
        {
          g_clear_pointer (&scope->last_root, tess_element_unref);
          scope->last_root = g_steal_pointer (&root);
        }
      scope->kept = keep;
      scope->state = run->status == TESS_RUN_OK ? TESS_SCOPE_DONE : TESS_SCOPE_ERROR;
      g_clear_error (&scope->last_error);
      if (run->error != NULL)
        scope->last_error = g_error_copy (run->error);

      /* Kept output keeps the inputs and fragments it was made with. */
      if (!keep)
        {
          g_hash_table_remove_all (scope->deps);
          g_hash_table_iter_init (&iter, run->reads);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            g_hash_table_add (scope->deps, g_strdup (key));
          g_hash_table_remove_all (scope->declared);
          g_hash_table_iter_init (&iter, run->declared);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            g_hash_table_add (scope->declared, g_strdup (key));
        }

      g_hash_table_iter_init (&iter, run->buttons_seen);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          TessInput *input = g_hash_table_lookup (self->inputs, key);
          guint64 seen = *(guint64 *) value;
          if (input != NULL && seen > input->ack_serial)
            input->ack_serial = seen;
        }

      /* Fragments this run no longer declares are gone with their slots. */
      if (children != NULL && !keep)
        {
          g_autoptr (GPtrArray) stale = g_ptr_array_new ();
          g_hash_table_iter_init (&iter, children);
          while (g_hash_table_iter_next (&iter, &key, &value))
            if (!g_hash_table_contains (run->fragments, key))
              g_ptr_array_add (stale, value);
          for (guint i = 0; i < stale->len; i++)
            remove_scope_locked (self, g_ptr_array_index (stale, i), removed, to_cancel);
        }
    }
  else if (scope->last_root == NULL || !scope->pending)
    scope->state = TESS_SCOPE_CANCELLED;

  maybe_start_pending_locked (self, scope);
  /* Output equal to the one shown is not shown again: nothing to do. */
  if (!unchanged)
    queue_dirty_locked (self, scope);
  return record;
}

/* Main thread, lock held: what the host should show for @scope now. */
static void
build_update_locked (TessSession *self, TessScope *scope, TessScopeUpdate *update, char **status)
{
  TessRun *run = scope->current;
  TessElement *last = scope->last_root;

  memset (update, 0, sizeof *update);
  update->path = scope->path;
  update->run_count = scope->run_count;
  update->progress = -1;

  if (run != NULL)
    {
      g_autoptr (GPtrArray) children = g_ptr_array_new ();
      g_autoptr (TessElement) fresh = NULL;
      guint n_fresh = 0;

      /* A cancelled run's output was computed for stale inputs: never show it. */
      if (!g_cancellable_is_cancelled (run->cancellable))
        {
          fresh = tess_run_snapshot (run);
          g_mutex_lock (&run->lock);
          *status = g_strdup (run->status_text);
          update->progress = run->progress;
          update->started_us = run->start_us;
          g_mutex_unlock (&run->lock);
          n_fresh = tess_element_get_n_children (fresh);
          for (guint i = 0; i < n_fresh; i++)
            g_ptr_array_add (children, tess_element_get_child (fresh, i));
        }

      if (last != NULL && tess_element_get_n_children (last) > 0)
        {
          g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
          for (guint i = 0; i < n_fresh; i++)
            g_hash_table_add (ids, (gpointer) tess_element_get_id (g_ptr_array_index (children, i)));
          for (guint i = 0; i < tess_element_get_n_children (last); i++)
            {
              TessElement *child = tess_element_get_child (last, i);
              if (!g_hash_table_contains (ids, tess_element_get_id (child)))
                g_ptr_array_add (children, child);
            }
        }

      update->root = tess_element_new_root (children);
      update->n_fresh = n_fresh;
      update->state = children->len > 0 ? TESS_SCOPE_RUNNING : TESS_SCOPE_PENDING;
    }
  else
    {
      update->root = last != NULL ? tess_element_ref (last) : tess_element_new_root (NULL);
      /* Kept output is an earlier run's: none of it is fresh. */
      update->n_fresh = scope->kept ? 0 : tess_element_get_n_children (update->root);
      update->state = scope->state;
      update->error = scope->last_error;
    }
  update->status = *status;
}

/* Main thread only. Drains the queues for about @budget_us. */
static void
drain (TessSession *self, gint64 budget_us)
{
  gint64 deadline = g_get_monotonic_time () + budget_us;
  gboolean announce_idle = FALSE;
  gboolean contended = FALSE;

  TESS_ASSERT_MAIN_THREAD ();
  g_object_ref (self);
  for (;;)
    {
      TessRun *run;
      TessScope *scope;

      /* Never wait here for a worker that holds the lock: on a busy machine it
       * may have been preempted and the frame would wait a whole timeslice. */
      if (!g_mutex_trylock (&self->lock))
        {
          contended = TRUE;
          break;
        }
      if (self->closed)
        {
          g_mutex_unlock (&self->lock);
          break;
        }

      if ((run = g_queue_pop_head (&self->finished)) != NULL)
        {
          g_autoptr (GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
          g_autoptr (GPtrArray) to_cancel = g_ptr_array_new_with_free_func (g_object_unref);
          g_autoptr (TessRunRecord) record = process_finished_locked (self, run, removed, to_cancel);

          g_mutex_unlock (&self->lock);
          cancel_all (to_cancel);
          for (guint i = 0; i < removed->len; i++)
            g_signal_emit (self, signals[SCOPE_REMOVED], 0, g_ptr_array_index (removed, i));
          g_signal_emit (self, signals[RUN_FINISHED], 0, record);
          tess_run_unref (run);
        }
      else if ((scope = g_queue_pop_head (&self->dirty)) != NULL)
        {
          TessScopeUpdate update;
          g_autofree char *status = NULL;

          scope->queued = FALSE;
          if (scope->removed)
            {
              g_mutex_unlock (&self->lock);
              scope_unref (scope);
              continue;
            }
          build_update_locked (self, scope, &update, &status);
          g_mutex_unlock (&self->lock);
          g_signal_emit (self, signals[SCOPE_UPDATED], 0, &update);
          tess_element_unref (update.root);
          scope_unref (scope);
        }
      else
        {
          g_mutex_unlock (&self->lock);
          break;
        }

      if (g_get_monotonic_time () >= deadline)
        break;
    }

  if (contended)
    {
      /* Try again shortly. Only the main thread replaces the sources, and
       * work is pending, so the watchdog is armed: push it back, unlocked. */
      if (self->delivery_source != NULL)
        {
          g_source_set_ready_time (self->delivery_source, g_get_monotonic_time () + 200);
          g_source_set_ready_time (self->watchdog_source, g_get_monotonic_time () + STARVATION_US);
        }
      g_object_unref (self);
      return;
    }

  g_mutex_lock (&self->lock);
  if (self->delivery_source == NULL)
    ; /* closed meanwhile */
  else if (g_queue_is_empty (&self->finished) && g_queue_is_empty (&self->dirty))
    {
      g_source_set_ready_time (self->delivery_source, -1);
      g_source_set_ready_time (self->watchdog_source, -1);
      self->watchdog_armed = FALSE;
      if (self->started && !self->closed && self->n_runs == 0 && self->n_pending == 0 && !self->idle_announced)
        announce_idle = self->idle_announced = TRUE;
    }
  else
    {
      g_source_set_ready_time (self->delivery_source, 0);
      arm_watchdog_locked (self);
    }
  g_mutex_unlock (&self->lock);

  if (announce_idle)
    g_signal_emit (self, signals[IDLE], 0);
  g_object_unref (self);
}

/* Main thread only. */
static gboolean
delivery_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  TESS_ASSERT_MAIN_THREAD ();
  drain (user_data, DELIVERY_BUDGET_US);
  return G_SOURCE_CONTINUE;
}

/* Main thread only: the delivery source has not run for STARVATION_US. */
static gboolean
watchdog_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  TESS_ASSERT_MAIN_THREAD ();
  drain (user_data, WATCHDOG_BUDGET_US);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs delivery_funcs = {
  .dispatch = delivery_dispatch,
};

static GSourceFuncs watchdog_funcs = {
  .dispatch = watchdog_dispatch,
};

/* Fragments */

static gboolean
tess_scope_run_every_timeout_cb (gpointer data)
{
  TessScope *scope = data;
  TessSession *self = scope->session;

  g_mutex_lock (&self->lock);
  if (self->run_every_enabled && scope->current == NULL && !scope->pending && !self->closed && !scope->removed)
    {
      /* Output on show is refreshed quietly; a scope that has none yet, or
       * shows an error, runs as any other. */
      gboolean quiet = scope->last_root != NULL && tess_element_get_n_children (scope->last_root) > 0 &&
                       (scope->state == TESS_SCOPE_DONE || scope->kept);

      submit_run (start_run_locked (self, scope, NULL, quiet));
    }
  g_mutex_unlock (&self->lock);
  return G_SOURCE_CONTINUE;
}

/* Worker thread (the parent's), or the main thread for the dashboard. */
void
tess_session_declare_fragment (TessSession *self,
                               TessRun *parent,
                               const char *key,
                               TessFragmentFunc func,
                               gpointer user_data,
                               GDestroyNotify user_data_free,
                               const TessFragmentOptions *options)
{
  TessScope *parent_scope = parent->scope;
  g_autofree char *path = child_path (parent_scope->path, key);
  g_autoptr (GPtrArray) to_cancel = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean parallel = (options->flags & TESS_FRAGMENT_PARALLEL) != 0;
  TessScope *scope;
  TessRun *inline_run = NULL;
  GVariantBuilder props;

  g_mutex_lock (&self->lock);
  if (g_hash_table_contains (parent->fragments, key))
    {
      g_mutex_unlock (&self->lock);
      if (user_data_free != NULL)
        user_data_free (user_data);
      tess_run_take_error (parent, g_error_new (G_IO_ERROR, G_IO_ERROR_EXISTS,
                                                "The fragment “%s” is declared twice in %s; give each "
                                                "fragment its own key",
                                                key, *parent_scope->path ? parent_scope->path : "the dashboard"));
      return;
    }
  g_hash_table_add (parent->fragments, g_strdup (key));

  if (self->closed || parent_scope->removed || g_cancellable_is_cancelled (parent->cancellable))
    {
      g_mutex_unlock (&self->lock);
      if (user_data_free != NULL)
        user_data_free (user_data);
      return;
    }

  scope = g_hash_table_lookup (self->scopes, path);
  if (scope == NULL)
    {
      scope = scope_new (self, path, key, parent_scope->path);
      g_hash_table_insert (self->scopes, scope->path, scope);
      g_hash_table_insert (children_of_locked (self, parent_scope->path, TRUE), g_strdup (key), scope);
    }
  if (scope->body == NULL || scope->body->func != func || scope->body->user_data != user_data)
    {
      g_clear_pointer (&scope->body, tess_body_unref);
      scope->body = tess_body_new (func, user_data, user_data_free);
    }
  scope->parallel = parallel;

  if (options->run_every != scope->run_every)
    {
      destroy_source (&scope->every_source);
      scope->run_every = options->run_every;
      if (scope->run_every > 0)
        {
          /* at most a GSource's interval (49 days), never wrapped to a short one */
          scope->every_source = g_timeout_source_new ((guint) MIN (scope->run_every * 1000, (double) G_MAXUINT));
          g_source_set_priority (scope->every_source, TESS_PRIORITY_DELIVERY);
          g_source_set_callback (scope->every_source, tess_scope_run_every_timeout_cb, scope_ref (scope),
                                 (GDestroyNotify) scope_unref);
          g_source_attach (scope->every_source, self->context);
        }
    }

  if (parallel)
    {
      if (scope->current != NULL || scope->pending)
        {
          /* The parent's new run supersedes whatever this fragment was doing. */
          request_run_locked (self, scope, FALSE, to_cancel);
          g_set_object (&scope->pending_parent_cancellable, parent->cancellable);
          scope->not_before_us = 0;
          destroy_source (&scope->pending_source);
          if (scope->current == NULL)
            maybe_start_pending_locked (self, scope);
        }
      else
        submit_run (start_run_locked (self, scope, parent->cancellable, FALSE));
    }
  else
    {
      if (scope->current != NULL)
        g_ptr_array_add (to_cancel, g_object_ref (scope->current->cancellable));
      if (scope->pending)
        {
          scope->pending = FALSE;
          self->n_pending--;
          destroy_source (&scope->pending_source);
        }
      inline_run = start_run_locked (self, scope, parent->cancellable, FALSE);
    }
  g_mutex_unlock (&self->lock);

  cancel_all (to_cancel);

  g_variant_builder_init (&props, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&props, "{sv}", "path", g_variant_new_string (path));
  g_variant_builder_add (&props, "{sv}", "key", g_variant_new_string (key));
  g_variant_builder_add (&props, "{sv}", "parallel", g_variant_new_boolean (parallel));
  tess_element (parent, TESS_ELEMENT_FRAGMENT, key, g_variant_builder_end (&props), NULL);

  if (inline_run != NULL)
    {
      tess_run_execute (inline_run);
      finish_run (inline_run);
    }
}

/* Inputs */

TessInput *
tess_session_lookup_input_locked (TessSession *self, const char *key)
{
  return g_hash_table_lookup (self->inputs, key);
}

/* Lock held. FALSE when @scope is gone or may be about to go: it, or one of
 * its ancestors, is not yet declared by the run of its parent now in flight,
 * which would remove it when it finishes without declaring it. */
static gboolean
scope_is_settled_locked (TessSession *self, TessScope *scope)
{
  while (!scope->removed && scope->parent_path != NULL)
    {
      TessScope *parent = g_hash_table_lookup (self->scopes, scope->parent_path);

      if (parent == NULL)
        return FALSE;
      if (parent->current != NULL && !g_cancellable_is_cancelled (parent->current->cancellable) &&
          !g_hash_table_contains (parent->current->fragments, scope->key))
        return FALSE;
      scope = parent;
    }
  return !scope->removed;
}

/* Lock held. The scope, other than @run's, that @input belongs to, or NULL
 * when it belongs to none but @run's. An input belongs to the scope that
 * declared it last for as long as that scope stays on the page and goes on
 * declaring it (its latest finished run or its run in flight did); then it is
 * free for another scope to declare. */
TessScope *
tess_session_get_input_holder_locked (TessSession *self, TessRun *run, TessInput *input)
{
  TessScope *holder;

  if (input->owner_path == NULL || g_str_equal (input->owner_path, run->scope->path))
    return NULL;
  holder = g_hash_table_lookup (self->scopes, input->owner_path);
  if (holder == NULL || !scope_is_settled_locked (self, holder))
    return NULL;
  if (g_hash_table_contains (holder->declared, input->key) ||
      (holder->current != NULL && g_hash_table_contains (holder->current->declared, input->key)))
    return holder;
  return NULL;
}

static GVariant *
take_preset_locked (TessSession *self, TessInput *input, GError **error)
{
  const char *names[] = { input->key, input->label };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *name = NULL;

      if (names[i] == NULL ||
          !g_hash_table_steal_extended (self->presets, names[i], (gpointer *) &name, (gpointer *) &text))
        continue;
      return tess_input_parse (input, text, error);
    }
  return NULL;
}

/* Worker thread, lock held. */
TessInput *
tess_session_declare_input_locked (TessSession *self,
                                   TessRun *run,
                                   const char *key,
                                   const TessInputSpec *spec,
                                   GVariant *default_value,
                                   GVariant *spec_props,
                                   GError **error)
{
  TessInput *input = g_hash_table_lookup (self->inputs, key);
  g_autoptr (GVariant) preset = NULL;
  g_autoptr (GError) preset_error = NULL;
  g_autoptr (GVariant) fitted = NULL;

  g_variant_ref_sink (default_value);
  g_variant_ref_sink (spec_props);

  if (input == NULL)
    {
      input = tess_input_new (key, spec->label, spec->kind, default_value, spec_props);
      g_hash_table_insert (self->inputs, input->key, input);
    }
  else
    {
      g_clear_pointer (&input->spec, g_variant_unref);
      input->spec = g_variant_ref (spec_props);
      g_free (input->label);
      input->label = g_strdup (spec->label);
      /* A new kind of input under the same key starts from its default; it
       * changes in place, so that handles to it stay valid. The same kind
       * keeps its value, fitted to options or bounds that may have changed. */
      if (input->kind != spec->kind)
        {
          input->kind = spec->kind;
          input->ack_serial = input->press_serial;
        }
      else
        fitted = tess_input_validate (input, input->value, NULL);
      g_clear_pointer (&input->value, g_variant_unref);
      input->value = fitted != NULL ? g_steal_pointer (&fitted) : g_variant_ref (default_value);
    }
  g_free (input->owner_path);
  input->owner_path = g_strdup (run->scope->path);

  preset = take_preset_locked (self, input, &preset_error);
  if (preset != NULL)
    {
      g_clear_pointer (&input->value, g_variant_unref);
      input->value = g_steal_pointer (&preset);
    }
  else if (preset_error != NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&preset_error), "--set %s: ", input->label);

  g_variant_unref (default_value);
  g_variant_unref (spec_props);
  return input;
}

static gboolean
scope_depends_on_locked (TessScope *scope, const char *key)
{
  if (g_hash_table_contains (scope->deps, key))
    return TRUE;
  return scope->current != NULL && g_hash_table_contains (scope->current->reads, key);
}

static gboolean
has_ancestor_in (TessSession *self, TessScope *scope, GHashTable *set)
{
  const char *parent_path = scope->parent_path;

  while (parent_path != NULL)
    {
      TessScope *parent = g_hash_table_lookup (self->scopes, parent_path);
      if (parent == NULL)
        return FALSE;
      if (g_hash_table_contains (set, parent))
        return TRUE;
      parent_path = parent->parent_path;
    }
  return FALSE;
}

/* Lock held: reruns exactly the scopes that read @key, outermost first. */
static void
rerun_dependents_locked (TessSession *self, const char *key, GPtrArray *to_cancel)
{
  g_autoptr (GHashTable) targets = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->scopes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (scope_depends_on_locked (value, key))
      g_hash_table_add (targets, value);

  g_hash_table_iter_init (&iter, targets);
  while (g_hash_table_iter_next (&iter, &value, NULL))
    if (!has_ancestor_in (self, value, targets))
      request_run_locked (self, value, TRUE, to_cancel);
}

gboolean
tess_session_set_input (TessSession *self, const char *key, GVariant *value, GError **error)
{
  g_autoptr (GPtrArray) to_cancel = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GVariant) sunk = NULL;
  g_autoptr (GVariant) fitted = NULL;
  TessInput *input;

  g_return_val_if_fail (TESS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  TESS_ASSERT_MAIN_THREAD ();

  sunk = g_variant_ref_sink (value);
  g_mutex_lock (&self->lock);
  input = g_hash_table_lookup (self->inputs, key);
  if (input == NULL)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No input has the key “%s”", key);
      return FALSE;
    }
  if (input->kind == TESS_INPUT_BUTTON)
    {
      g_mutex_unlock (&self->lock);
      return tess_session_press_button (self, key, error);
    }
  fitted = tess_input_validate (input, sunk, error);
  if (fitted == NULL)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  if (!g_variant_equal (fitted, input->value))
    {
      g_clear_pointer (&input->value, g_variant_unref);
      input->value = g_steal_pointer (&fitted);
      rerun_dependents_locked (self, key, to_cancel);
    }
  g_mutex_unlock (&self->lock);
  cancel_all (to_cancel);
  return TRUE;
}

gboolean
tess_session_press_button (TessSession *self, const char *key, GError **error)
{
  g_autoptr (GPtrArray) to_cancel = g_ptr_array_new_with_free_func (g_object_unref);
  TessInput *input;

  g_return_val_if_fail (TESS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  TESS_ASSERT_MAIN_THREAD ();

  g_mutex_lock (&self->lock);
  input = g_hash_table_lookup (self->inputs, key);
  if (input == NULL || input->kind != TESS_INPUT_BUTTON)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No button has the key “%s”", key);
      return FALSE;
    }
  input->press_serial++;
  rerun_dependents_locked (self, key, to_cancel);
  g_mutex_unlock (&self->lock);
  cancel_all (to_cancel);
  return TRUE;
}

gboolean
tess_session_set_input_from_string (TessSession *self, const char *key_or_label, const char *text, GError **error)
{
  TessInput *found = NULL;
  GHashTableIter iter;
  gpointer value;
  g_autoptr (GVariant) parsed = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (TESS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (key_or_label != NULL && text != NULL, FALSE);
  TESS_ASSERT_MAIN_THREAD ();

  g_mutex_lock (&self->lock);
  found = g_hash_table_lookup (self->inputs, key_or_label);
  if (found == NULL)
    {
      g_hash_table_iter_init (&iter, self->inputs);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          TessInput *input = value;
          if (g_strcmp0 (input->label, key_or_label) != 0)
            continue;
          if (found != NULL)
            {
              g_mutex_unlock (&self->lock);
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Several inputs are labelled “%s” (“%s” and “%s”); name one by its key", key_or_label,
                           found->key, input->key);
              return FALSE;
            }
          found = input;
        }
    }
  if (found == NULL)
    {
      g_hash_table_insert (self->presets, g_strdup (key_or_label), g_strdup (text));
      g_mutex_unlock (&self->lock);
      return TRUE;
    }
  if (found->kind == TESS_INPUT_BUTTON)
    {
      key = g_strdup (found->key);
      g_mutex_unlock (&self->lock);
      return tess_session_press_button (self, key, error);
    }
  parsed = tess_input_parse (found, text, error);
  key = g_strdup (found->key);
  g_mutex_unlock (&self->lock);
  if (parsed == NULL)
    {
      g_prefix_error (error, "%s: ", key_or_label);
      return FALSE;
    }
  return tess_session_set_input (self, key, g_steal_pointer (&parsed), error);
}

GVariant *
tess_session_get_input_value (TessSession *self, const char *key)
{
  TessInput *input;
  GVariant *value = NULL;

  g_return_val_if_fail (TESS_IS_SESSION (self), NULL);
  g_mutex_lock (&self->lock);
  input = g_hash_table_lookup (self->inputs, key);
  if (input != NULL)
    value = g_variant_ref (input->value);
  g_mutex_unlock (&self->lock);
  return value;
}

/* The names given to --set that no input took (transfer full). */
GStrv
tess_session_get_unused_presets (TessSession *self)
{
  GStrv names;

  g_return_val_if_fail (TESS_IS_SESSION (self), NULL);

  g_mutex_lock (&self->lock);
  names = (GStrv) g_hash_table_get_keys_as_array (self->presets, NULL);
  for (guint i = 0; names[i] != NULL; i++)
    names[i] = g_strdup (names[i]);
  g_mutex_unlock (&self->lock);
  return names;
}

/* Session state */

GVariant *
tess_session_state_get (TessSession *self, const char *key)
{
  GVariant *value;

  g_mutex_lock (&self->lock);
  value = g_hash_table_lookup (self->state, key);
  if (value != NULL)
    g_variant_ref (value);
  g_mutex_unlock (&self->lock);
  return value;
}

void
tess_session_state_set (TessSession *self, const char *key, GVariant *value)
{
  g_variant_ref_sink (value);
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->state, g_strdup (key), value);
  g_mutex_unlock (&self->lock);
}

gboolean
tess_session_state_compare_and_set (TessSession *self, const char *key, GVariant *expected, GVariant *value)
{
  GVariant *current;
  gboolean swapped = FALSE;

  g_variant_ref_sink (value);
  if (expected != NULL)
    g_variant_ref_sink (expected);
  g_mutex_lock (&self->lock);
  current = g_hash_table_lookup (self->state, key);
  if ((current == NULL && expected == NULL) ||
      (current != NULL && expected != NULL && g_variant_equal (current, expected)))
    {
      g_hash_table_insert (self->state, g_strdup (key), g_variant_ref (value));
      swapped = TRUE;
    }
  g_mutex_unlock (&self->lock);
  g_variant_unref (value);
  if (expected != NULL)
    g_variant_unref (expected);
  return swapped;
}

GVariant *
tess_session_state_update (TessSession *self, const char *key, TessStateUpdateFunc func, gpointer user_data)
{
  GVariant *next;

  g_mutex_lock (&self->lock);
  next = func (g_hash_table_lookup (self->state, key), user_data);
  if (next != NULL)
    {
      g_variant_ref_sink (next);
      g_hash_table_insert (self->state, g_strdup (key), g_variant_ref (next));
    }
  else
    g_hash_table_remove (self->state, key);
  g_mutex_unlock (&self->lock);
  return next;
}

GVariant *
tess_session_get_state (TessSession *self, const char *key)
{
  g_return_val_if_fail (TESS_IS_SESSION (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  return tess_session_state_get (self, key);
}

/* GObject */

static void
tess_session_dispose (GObject *object)
{
  TessSession *self = TESS_SESSION (object);

  tess_session_close (self);
  G_OBJECT_CLASS (tess_session_parent_class)->dispose (object);
}

static void
tess_session_finalize (GObject *object)
{
  TessSession *self = TESS_SESSION (object);

  g_queue_clear_full (&self->dirty, (GDestroyNotify) scope_unref);
  g_queue_clear_full (&self->finished, (GDestroyNotify) tess_run_unref);
  g_hash_table_unref (self->children);
  g_hash_table_unref (self->scopes);
  g_hash_table_unref (self->inputs);
  g_hash_table_unref (self->presets);
  g_hash_table_unref (self->state);
  g_ptr_array_unref (self->timeline);
  g_hash_table_unref (self->in_flight);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tess_session_parent_class)->finalize (object);
}

static void
tess_session_class_init (TessSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tess_session_dispose;
  object_class->finalize = tess_session_finalize;

  signals[SCOPE_UPDATED] = g_signal_new ("scope-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SCOPE_REMOVED] = g_signal_new ("scope-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[RUN_FINISHED] = g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                        NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[IDLE] =
      g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tess_session_init (TessSession *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->start_us = g_get_monotonic_time ();
  self->scopes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) scope_unref);
  self->children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  self->inputs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) tess_input_free);
  self->presets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  self->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_run_record_free);
  self->in_flight = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) tess_run_unref, NULL);
  self->run_every_enabled = TRUE;
  self->coalesce_ms = DEFAULT_COALESCE_MS;

  self->delivery_source = g_source_new (&delivery_funcs, sizeof (GSource));
  g_source_set_priority (self->delivery_source, TESS_PRIORITY_DELIVERY);
  g_source_set_callback (self->delivery_source, NULL, self, NULL);
  g_source_set_name (self->delivery_source, "TessSession delivery");
  g_source_attach (self->delivery_source, self->context);

  self->watchdog_source = g_source_new (&watchdog_funcs, sizeof (GSource));
  g_source_set_priority (self->watchdog_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->watchdog_source, NULL, self, NULL);
  g_source_set_name (self->watchdog_source, "TessSession delivery watchdog");
  g_source_attach (self->watchdog_source, self->context);
}

TessSession *
tess_session_new (TessFragmentFunc dashboard, gpointer user_data, GDestroyNotify user_data_free)
{
  TessSession *self;
  TessScope *top;

  g_return_val_if_fail (dashboard != NULL, NULL);

  self = g_object_new (TESS_TYPE_SESSION, NULL);
  top = scope_new (self, "", "", NULL);
  top->body = tess_body_new (dashboard, user_data, user_data_free);
  g_hash_table_insert (self->scopes, top->path, top);
  return self;
}

void
tess_session_start (TessSession *self)
{
  g_return_if_fail (TESS_IS_SESSION (self));
  g_return_if_fail (!self->started);
  TESS_ASSERT_MAIN_THREAD ();

  g_mutex_lock (&self->lock);
  self->started = TRUE;
  self->start_us = g_get_monotonic_time ();
  request_run_locked (self, g_hash_table_lookup (self->scopes, ""), FALSE, NULL);
  g_mutex_unlock (&self->lock);
}

void
tess_session_rerun (TessSession *self)
{
  g_autoptr (GPtrArray) to_cancel = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (TESS_IS_SESSION (self));
  TESS_ASSERT_MAIN_THREAD ();

  /* A reload reads every source afresh: loads kept "until the dashboard
   * reloads" (the default TTL) are dropped. */
  tess_cache_clear ();
  g_mutex_lock (&self->lock);
  self->started = TRUE;
  request_run_locked (self, g_hash_table_lookup (self->scopes, ""), FALSE, to_cancel);
  g_mutex_unlock (&self->lock);
  cancel_all (to_cancel);
}

gboolean
tess_session_rerun_fragment (TessSession *self, const char *path)
{
  g_autoptr (GPtrArray) to_cancel = g_ptr_array_new_with_free_func (g_object_unref);
  TessScope *scope;

  g_return_val_if_fail (TESS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  TESS_ASSERT_MAIN_THREAD ();

  g_mutex_lock (&self->lock);
  scope = g_hash_table_lookup (self->scopes, path);
  if (scope != NULL)
    {
      /* A Retry of output kept over a failed refresh is a refresh too. */
      scope->retry_kept = scope->kept;
      request_run_locked (self, scope, FALSE, to_cancel);
    }
  g_mutex_unlock (&self->lock);
  cancel_all (to_cancel);
  return scope != NULL;
}

/* Lock held, closing: the runs the host will never be told about end in the
 * timeline here. One that has returned keeps its status; one still executing
 * is cancelled by the close, and ends with it. Returns the runs' references,
 * to be dropped once the lock is released. */
static GHashTable *
record_unreported_runs_locked (TessSession *self)
{
  GHashTable *runs = g_steal_pointer (&self->in_flight);
  double now_ms = (tess_session_now_us (self) - self->start_us) / 1000.0;
  GHashTableIter iter;
  gpointer key;

  self->in_flight = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) tess_run_unref, NULL);
  g_hash_table_iter_init (&iter, runs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      TessRun *run = key;
      gboolean returned;
      TessRunRecord *record;

      g_mutex_lock (&run->lock);
      returned = run->end_us != 0;
      g_mutex_unlock (&run->lock);
      record = record_from_run_locked (self, run, returned);
      if (!returned)
        {
          record->status = TESS_RUN_CANCELLED;
          record->end_ms = now_ms;
        }
      g_ptr_array_add (self->timeline, record);
    }
  return runs;
}

void
tess_session_close (TessSession *self)
{
  g_autoptr (GPtrArray) to_cancel = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) unreported = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (TESS_IS_SESSION (self));

  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  /* Checked past the early return: dispose closes too, and a closed
   * session's last reference may be dropped on a worker, by a run that
   * returned after the close (finish_run). Closing it again is nothing. */
  TESS_ASSERT_MAIN_THREAD ();
  self->closed = TRUE;
  g_hash_table_iter_init (&iter, self->scopes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TessScope *scope = value;
      if (scope->current != NULL)
        {
          g_ptr_array_add (to_cancel, g_object_ref (scope->current->cancellable));
          g_clear_pointer (&scope->current, tess_run_unref);
        }
      scope->pending = FALSE;
      destroy_source (&scope->every_source);
      destroy_source (&scope->pending_source);
    }
  self->n_pending = 0;
  /* The timeline keeps the runs in flight, as the close leaves them. */
  unreported = record_unreported_runs_locked (self);
  /* Runs already handed over will never be processed now. */
  self->n_runs -= g_queue_get_length (&self->finished);
  g_queue_clear_full (&self->finished, (GDestroyNotify) tess_run_unref);
  g_queue_clear_full (&self->dirty, (GDestroyNotify) scope_unref);
  destroy_source (&self->delivery_source);
  destroy_source (&self->watchdog_source);
  g_mutex_unlock (&self->lock);
  cancel_all (to_cancel);
}

gboolean
tess_session_is_idle (TessSession *self)
{
  gboolean idle;

  g_return_val_if_fail (TESS_IS_SESSION (self), FALSE);
  g_mutex_lock (&self->lock);
  idle = self->n_runs == 0 && self->n_pending == 0 && g_queue_is_empty (&self->dirty);
  g_mutex_unlock (&self->lock);
  return idle;
}

guint
tess_session_get_n_running (TessSession *self)
{
  guint n;

  g_return_val_if_fail (TESS_IS_SESSION (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_runs;
  g_mutex_unlock (&self->lock);
  return n;
}

void
tess_session_set_run_every_enabled (TessSession *self, gboolean enabled)
{
  g_return_if_fail (TESS_IS_SESSION (self));
  g_mutex_lock (&self->lock);
  self->run_every_enabled = enabled;
  g_mutex_unlock (&self->lock);
}

void
tess_session_set_coalesce_ms (TessSession *self, guint ms)
{
  g_return_if_fail (TESS_IS_SESSION (self));
  g_mutex_lock (&self->lock);
  self->coalesce_ms = ms;
  g_mutex_unlock (&self->lock);
}

/* Timeline */

const char *
tess_run_status_to_string (TessRunStatus status)
{
  switch (status)
    {
    case TESS_RUN_OK:
      return "ok";
    case TESS_RUN_ERROR:
      return "error";
    case TESS_RUN_CANCELLED:
      return "cancelled";
    case TESS_RUN_RUNNING:
      return "running";
    default:
      g_return_val_if_reached (NULL);
    }
}

G_DEFINE_BOXED_TYPE (TessRunRecord, tess_run_record, tess_run_record_copy, tess_run_record_free)

TessRunRecord *
tess_run_record_copy (const TessRunRecord *record)
{
  TessRunRecord *copy = g_memdup2 (record, sizeof *record);

  copy->fragment = g_strdup (record->fragment);
  copy->error = g_strdup (record->error);
  return copy;
}

void
tess_run_record_free (TessRunRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->fragment);
  g_free (record->error);
  g_free (record);
}

static int
compare_records (gconstpointer a, gconstpointer b)
{
  const TessRunRecord *ra = *(TessRunRecord **) a;
  const TessRunRecord *rb = *(TessRunRecord **) b;

  return (ra->queued_ms > rb->queued_ms) - (ra->queued_ms < rb->queued_ms);
}

GPtrArray *
tess_session_get_timeline (TessSession *self)
{
  GPtrArray *copy;
  GHashTableIter iter;
  gpointer run;

  g_return_val_if_fail (TESS_IS_SESSION (self), NULL);
  g_mutex_lock (&self->lock);
  copy = g_ptr_array_new_full (self->timeline->len + g_hash_table_size (self->in_flight),
                               (GDestroyNotify) tess_run_record_free);
  for (guint i = 0; i < self->timeline->len; i++)
    g_ptr_array_add (copy, tess_run_record_copy (g_ptr_array_index (self->timeline, i)));
  /* Until run-finished reports it, a run is running, as the host sees it. */
  g_hash_table_iter_init (&iter, self->in_flight);
  while (g_hash_table_iter_next (&iter, &run, NULL))
    g_ptr_array_add (copy, record_from_run_locked (self, run, FALSE));
  g_mutex_unlock (&self->lock);
  g_ptr_array_sort (copy, compare_records);
  return copy;
}

double
tess_session_get_elapsed_ms (TessSession *self)
{
  g_return_val_if_fail (TESS_IS_SESSION (self), 0);
  return (g_get_monotonic_time () - self->start_us) / 1000.0;
}

TessElement *
tess_session_get_scope_root (TessSession *self, const char *path)
{
  TessScope *scope;
  TessElement *root = NULL;

  g_return_val_if_fail (TESS_IS_SESSION (self), NULL);
  TESS_ASSERT_MAIN_THREAD ();
  g_mutex_lock (&self->lock);
  scope = g_hash_table_lookup (self->scopes, path);
  if (scope != NULL && scope->last_root != NULL)
    root = tess_element_ref (scope->last_root);
  g_mutex_unlock (&self->lock);
  return root;
}
