/* tess-session.h: TessSession, one open dashboard, as its host sees it.
 *
 * The session owns the inputs, the session state, the registry of fragments
 * (scopes) and the scheduling of their runs. A host (the window, the headless
 * runner, a test) drives it from the main context it was created on and learns
 * what to show from its signals, which are all emitted there:
 *
 *   scope-updated (const TessScopeUpdate *update)
 *       a scope's content or state changed. Updates are coalesced per scope and
 *       delivered at a priority below redraw, a bounded amount of work per
 *       main-loop iteration.
 *   scope-removed (const char *path)
 *       a fragment is no longer declared by its parent; drop its slot.
 *   run-finished (const TessRunRecord *record)
 *       a run ended; the record is its timeline entry.
 *   idle ()
 *       nothing is queued, running or pending any more.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tess-run.h"

G_BEGIN_DECLS

#define TESS_TYPE_SESSION (tess_session_get_type ())
G_DECLARE_FINAL_TYPE (TessSession, tess_session, TESS, SESSION, GObject)

typedef enum
{
  TESS_SCOPE_PENDING, /* first run queued or running, nothing delivered yet */
  TESS_SCOPE_RUNNING, /* running; output so far plus previous output marked stale */
  TESS_SCOPE_DONE,
  TESS_SCOPE_ERROR,
  TESS_SCOPE_CANCELLED, /* the run was cancelled; the last good content stands */
} TessScopeState;

typedef enum
{
  TESS_RUN_OK,
  TESS_RUN_ERROR,
  TESS_RUN_CANCELLED,
  TESS_RUN_RUNNING, /* queued or executing: not reported finished yet */
} TessRunStatus;

typedef struct
{
  const char *path; /* "" for the dashboard's top level */
  TessScopeState state;
  TessElement *root;   /* ROOT element holding the scope's content */
  guint n_fresh;       /* children of root from index n_fresh on are stale */
  const GError *error; /* state ERROR: what failed */
  const char *status;  /* tess_run_set_status / set_progress text, or NULL */
  double progress;     /* 0..1, or negative when unknown or not reported */
  guint run_count;     /* runs started for this scope */
  gint64 started_us;   /* monotonic time the current run started, 0 if none */
} TessScopeUpdate;

typedef struct
{
  char *fragment; /* scope path; "" for the dashboard */
  gboolean parallel;
  guint serial;           /* the scope's run count for this run */
  double queued_ms;       /* times from the session's start */
  double start_ms;        /* negative while the run waits to start */
  double first_output_ms; /* negative when the run emitted nothing (yet) */
  double end_ms;          /* negative while the run is RUNNING */
  TessRunStatus status;
  char *error; /* NULL unless status is ERROR */
} TessRunRecord;

/**
 * tess_run_status_to_string:
 *
 * The status as the timeline writes it: "ok", "error", "cancelled" or
 * "running".
 */
const char *tess_run_status_to_string (TessRunStatus status);

/**
 * tess_session_new:
 * @dashboard: (scope notified) (closure user_data) (destroy user_data_free):
 * @user_data_free: (nullable):
 *
 * A session of @dashboard, not started yet; the calling thread's main
 * context receives its signals. Main thread only.
 *
 * Returns: (transfer full):
 */
TessSession *tess_session_new (TessFragmentFunc dashboard, gpointer user_data, GDestroyNotify user_data_free);

/**
 * tess_session_start:
 *
 * Starts the first full run. Main thread only.
 */
void tess_session_start (TessSession *self);
/**
 * tess_session_rerun:
 *
 * A full rerun (Reload): cached loads are dropped and read again. Main thread only.
 */
void tess_session_rerun (TessSession *self);
/**
 * tess_session_rerun_fragment:
 *
 * Reruns one fragment (Retry). FALSE when no such fragment exists. Main thread only.
 */
gboolean tess_session_rerun_fragment (TessSession *self, const char *path);
/**
 * tess_session_set_input:
 *
 * Sets an input's value; the scopes that depend on it rerun. The value's type
 * must match the input's. Main thread only.
 */
gboolean tess_session_set_input (TessSession *self, const char *key, GVariant *value, GError **error);
/* Parses @text for the input named by key or by label (as --set does). An input
 * not declared yet takes the value when it is declared. Main thread only. */
gboolean
tess_session_set_input_from_string (TessSession *self, const char *key_or_label, const char *text, GError **error);
/**
 * tess_session_get_unused_presets:
 *
 * The names given to tess_session_set_input_from_string() that no input has
 * taken yet (transfer full), so a host can say which --set went unused.
 *
 * Returns: (transfer full) (array zero-terminated=1):
 */
GStrv tess_session_get_unused_presets (TessSession *self);
/**
 * tess_session_press_button:
 *
 * Presses a button input. Main thread only.
 */
gboolean tess_session_press_button (TessSession *self, const char *key, GError **error);
/**
 * tess_session_get_input_value:
 *
 * The current value of the input @key; NULL when there is no such input.
 *
 * Returns: (transfer full) (nullable):
 */
GVariant *tess_session_get_input_value (TessSession *self, const char *key);
/**
 * tess_session_get_state:
 *
 * A session-state value (transfer full), or NULL. Any thread.
 *
 * Returns: (transfer full) (nullable):
 */
GVariant *tess_session_get_state (TessSession *self, const char *key);
/**
 * tess_session_close:
 *
 * Cancels every run; nothing is delivered after this. Main thread only.
 */
void tess_session_close (TessSession *self);

/**
 * tess_session_is_idle:
 *
 * Whether nothing is queued, running or pending.
 */
gboolean tess_session_is_idle (TessSession *self);
/**
 * tess_session_get_n_running:
 *
 * How many runs are executing now.
 */
guint tess_session_get_n_running (TessSession *self);
/**
 * tess_session_set_run_every_enabled:
 *
 * When FALSE (headless), run_every timers do not fire.
 */
void tess_session_set_run_every_enabled (TessSession *self, gboolean enabled);
/**
 * tess_session_set_coalesce_ms:
 *
 * The quiet time a superseded fragment waits for its inputs to settle before
 * its pending run starts (default 50 ms).
 */
void tess_session_set_coalesce_ms (TessSession *self, guint ms);

/**
 * tess_session_get_timeline:
 *
 * The timeline: every run so far (a session that runs forever, with
 * run_every fragments, keeps its newest 2048 or so), in order of queueing,
 * as a new array of TessRunRecord* that frees its records with it. A run
 * that run-finished has not reported yet is there too, with status RUNNING,
 * the times it has so far and no end; once the session is closed, the runs
 * it cut short are CANCELLED, ending when it closed. Any thread.
 *
 * Returns: (transfer container) (element-type TessRunRecord): the array,
 *   whose free function frees the records: a binding copies those it keeps
 */
GPtrArray *tess_session_get_timeline (TessSession *self);
/**
 * tess_session_get_elapsed_ms:
 *
 * Milliseconds since the session started.
 */
double tess_session_get_elapsed_ms (TessSession *self);
/**
 * tess_session_timeline_to_json:
 *
 * {"total_ms": N, "runs": [{"fragment", "parallel", "run", "queued_ms", "start_ms",
 *  "first_output_ms", "end_ms", "status", "error"}]}: the timeline, times in
 * ms, null for a time a run does not have (yet); status "ok", "error",
 * "cancelled" or "running"; total_ms is the latest end of a run.
 *
 * Returns: (transfer full):
 */
char *tess_session_timeline_to_json (TessSession *self);
/**
 * tess_session_get_scope_root:
 *
 * The latest content of a scope (transfer full), or NULL. Main thread only.
 *
 * Returns: (transfer full) (nullable):
 */
TessElement *tess_session_get_scope_root (TessSession *self, const char *path);

#define TESS_TYPE_RUN_RECORD (tess_run_record_get_type ())
GType tess_run_record_get_type (void) G_GNUC_CONST;
/**
 * tess_run_record_copy:
 *
 * A copy of @record.
 *
 * Returns: (transfer full):
 */
TessRunRecord *tess_run_record_copy (const TessRunRecord *record);
/**
 * tess_run_record_free:
 *
 * Frees @record.
 */
void tess_run_record_free (TessRunRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessRunRecord, tess_run_record_free)

G_END_DECLS
