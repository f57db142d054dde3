/* test-host.h: a headless host for runtime tests.
 *
 * Keeps the latest content and state of every scope, as a window would, and
 * lets a test change inputs, press buttons and wait for the session to settle.
 * Main thread only.
 */
#pragma once

#include "tess-charts.h"
#include "tess-load.h"
#include "tess-session.h"

typedef struct
{
  TessSession *session;
  GHashTable *roots;    /* path -> TessElement (latest delivered) */
  GHashTable *states;   /* path -> TessScopeState */
  GHashTable *errors;   /* path -> message */
  GHashTable *n_fresh;  /* path -> n_fresh */
  GHashTable *statuses; /* path -> status text seen while running */
  guint n_updates;
  guint n_removed;
  guint n_idle;
} TestHost;

TestHost *test_host_new (TessFragmentFunc dashboard, gpointer user_data);
void test_host_free (TestHost *host);
void test_host_start (TestHost *host);
/* Iterates the main context until the session is idle; fails the test after @timeout_s. */
void test_host_wait_idle (TestHost *host, double timeout_s);
/* Iterates the main context for @seconds. */
void test_host_run_for (TestHost *host, double seconds);
void test_host_set (TestHost *host, const char *key, GVariant *value);
void test_host_press (TestHost *host, const char *key);
/* The latest content of @path, or NULL. */
TessElement *test_host_root (TestHost *host, const char *path);
TessScopeState test_host_state (TestHost *host, const char *path);
/* The first element of @kind in @path's content (depth first) whose text starts
 * with @prefix (NULL: any); its "text" prop, or NULL. */
const char *test_host_find_text (TestHost *host, const char *path, TessElementKind kind, const char *prefix);
/* "ran N" counters: N of the first TEXT element starting with "ran " in @path. */
guint test_host_ran (TestHost *host, const char *path);
guint test_host_count_kind (TestHost *host, const char *path, TessElementKind kind);
/* The first element of @kind in @path's content (depth first, the root
 * included), or NULL. */
TessElement *test_host_find_kind (TestHost *host, const char *path, TessElementKind kind);
/* The frame of that element, which must be there. */
TessFrame *test_host_frame_of (TestHost *host, const char *path, TessElementKind kind);
/* Scopes in ERROR state plus error callouts, over every scope. */
guint test_host_count_errors (TestHost *host);

/* How many runs of @fragment @session's timeline holds. */
guint test_session_runs_of (TessSession *session, const char *fragment);
/* The values of column @name of @frame (which must have it), as text,
 * joined with @separator. */
char *test_column_text (TessFrame *frame, const char *name, const char *separator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestHost, test_host_free)
