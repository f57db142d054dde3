/* tess-session-private.h: the runtime's internals, shared by the session,
 * runs and inputs.
 *
 * Locking: session->lock guards the scope registry, every scope's scheduling
 * fields, the inputs, the session state and the delivery queues. run->lock
 * guards a run's element tree under construction and its status text. Lock
 * order: session->lock, then run->lock; never the other way round.
 */
#pragma once

#include "tess-session.h"
#include "tess-element-private.h"

G_BEGIN_DECLS

/* Below GDK's redraw (G_PRIORITY_HIGH_IDLE + 20): layout and paint go first. */
#define TESS_PRIORITY_DELIVERY (G_PRIORITY_HIGH_IDLE + 30)

typedef struct _TessScope TessScope;

/* A fragment's function and data as one declaration made them. Runs hold a
 * reference, so a parent's new run can redeclare the fragment with new data
 * while an older run still uses the old. */
typedef struct
{
  gatomicrefcount ref_count;
  TessFragmentFunc func;
  gpointer user_data;
  GDestroyNotify user_data_free;
} TessBody;

TessBody *tess_body_new (TessFragmentFunc func, gpointer user_data, GDestroyNotify user_data_free);
TessBody *tess_body_ref (TessBody *body);
void tess_body_unref (TessBody *body);

struct _TessScope
{
  gatomicrefcount ref_count;
  TessSession *session; /* not a reference: the session outlives its scopes' sources */
  char *path;           /* "" for the dashboard */
  char *key;
  char *parent_path; /* NULL for the dashboard */
  TessBody *body;
  gboolean parallel;
  double run_every;
  GSource *every_source;
  GSource *pending_source; /* waits out the coalescing quiet time */

  TessRun *current;     /* queued or running; at most one */
  gboolean pending;     /* another run is wanted once current returns */
  gint64 not_before_us; /* the pending run waits until then */
  GCancellable *pending_parent_cancellable;
  guint run_count;
  GHashTable *deps;     /* input keys read by the latest finished run */
  GHashTable *declared; /* input keys declared by the latest finished run */

  TessElement *last_root; /* the latest finished run's output */
  TessScopeState state;
  GError *last_error;
  /* last_root is an earlier run's good output, kept over a failed refresh
   * (a run_every rerun, or a Retry of it); a Retry of it is a refresh too. */
  gboolean kept;
  gboolean retry_kept;
  gboolean queued; /* in the delivery queue */
  gboolean removed;
};

typedef struct
{
  TessElement *element;
  guint counts[TESS_ELEMENT_N_KINDS];
  GHashTable *ids; /* ids used among this container's children */
} TessBuildFrame;

struct _TessRun
{
  gatomicrefcount ref_count;
  TessSession *session;
  TessScope *scope;
  TessBody *body;
  guint serial;
  gboolean parallel;
  GCancellable *cancellable;
  GCancellable *parent_cancellable;
  gulong parent_handler;

  GMutex lock; /* guards the fields below up to 'reads' */
  GCond wait_cond;
  TessElement *root;
  GArray *stack; /* TessBuildFrame, root first */
  char *status_text;
  double progress;
  gint64 queued_us, start_us, first_output_us, end_us;

  /* Only the run's own thread touches these while it runs; the main thread
   * reads them after it finished. Those marked session->lock are written
   * under it, and other runs read them under it while this one runs. */
  GHashTable *reads;        /* input keys read (session->lock) */
  GHashTable *declared;     /* input key -> description (session->lock) */
  GHashTable *fragments;    /* fragment keys declared (session->lock) */
  GHashTable *buttons_seen; /* button key -> press serial seen */
  GPtrArray *strings;       /* strings handed back to the body */
  GError *error;
  TessRunStatus status;
  /* Set when the run starts (session->lock). A refresh reruns output that is
   * shown with the inputs it was made with (run_every, or a Retry of output
   * kept over a failed refresh): should it fail, that output stays. A quiet
   * run is a run_every refresh: the host hears of it only when it ends, and
   * not at all when its output is the one shown. */
  gboolean refresh;
  gboolean quiet;
};

struct _TessInput
{
  char *key;
  char *label;
  TessInputKind kind;
  char *owner_path; /* the scope that declared it last, which it belongs to */
  GVariant *value;
  GVariant *spec; /* a{sv}: min, max, options ... for validation */
  guint64 press_serial;
  guint64 ack_serial;
};

/* tess-session.c */
gint64 tess_session_now_us (TessSession *self);
GMutex *tess_session_get_lock (TessSession *self);
/* A parallel or sequential fragment declared by @parent. Worker thread. */
void tess_session_declare_fragment (TessSession *self,
                                    TessRun *parent,
                                    const char *key,
                                    TessFragmentFunc func,
                                    gpointer user_data,
                                    GDestroyNotify user_data_free,
                                    const TessFragmentOptions *options);
/* The run emitted something; schedule a delivery. Any thread, no lock held. */
void tess_session_mark_dirty (TessSession *self, TessScope *scope);
/* session->lock held */
TessInput *tess_session_lookup_input_locked (TessSession *self, const char *key);
/* The other scope @input belongs to, which @run may not declare it in; NULL
 * when @run may (see tess_declare()). */
TessScope *tess_session_get_input_holder_locked (TessSession *self, TessRun *run, TessInput *input);
TessInput *tess_session_declare_input_locked (TessSession *self,
                                              TessRun *run,
                                              const char *key,
                                              const TessInputSpec *spec,
                                              GVariant *default_value,
                                              GVariant *spec_props,
                                              GError **error);
GVariant *tess_session_state_get (TessSession *self, const char *key);
void tess_session_state_set (TessSession *self, const char *key, GVariant *value);
gboolean tess_session_state_compare_and_set (TessSession *self, const char *key, GVariant *expected, GVariant *value);
GVariant *tess_session_state_update (TessSession *self, const char *key, TessStateUpdateFunc func, gpointer user_data);

void tess_scope_unref (TessScope *scope);

/* tess-run.c */
TessRun *tess_run_new (
    TessSession *session, TessScope *scope, guint serial, gboolean parallel, GCancellable *parent_cancellable);
TessRun *tess_run_ref (TessRun *run);
void tess_run_unref (TessRun *run);
/* Executes the body on the calling thread; the run is finished afterwards. */
void tess_run_execute (TessRun *run);
/* A closed copy of what the run has emitted so far (transfer full). */
TessElement *tess_run_snapshot (TessRun *run);
/* Records the first error of the run (takes @error). */
void tess_run_take_error (TessRun *run, GError *error);
const char *tess_run_keep_string (TessRun *run, char *string);

/* tess-input.c */
TessInput *tess_input_new (const char *key, const char *label, TessInputKind kind, GVariant *value, GVariant *spec);
void tess_input_free (TessInput *input);
const GVariantType *tess_input_kind_get_value_type (TessInputKind kind);
const char *tess_input_kind_to_string (TessInputKind kind);
TessElementKind tess_input_kind_to_element (TessInputKind kind);
/* Parses @text as a value for @input; NULL and @error when it does not fit. */
GVariant *tess_input_parse (TessInput *input, const char *text, GError **error);
/* Checks @value against the input's kind and spec; a fitted value (transfer full) or NULL. */
GVariant *tess_input_validate (TessInput *input, GVariant *value, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessRun, tess_run_unref)

G_END_DECLS
