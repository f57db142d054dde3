/* cache-load.c: the single-flight cache (tess_cache_call_sync), TTLs, the
 * memory bound, cancellation of waiters, and tess_load() from parallel
 * fragments of a real session against a local SoupServer.
 */
#include "tess-load.h"
#include "tess-session.h"
#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-json-reader.h"
#include "tess-cache.h"
#include "tess-source.h"
#include "tess-transform.h"
#include "tess-test-dir.h"
#include "tess-test-server.h"
#include "tess-test-wait.h"

#include <libsoup/soup.h>

/* tess_cache_call_sync */

typedef struct
{
  gint calls;
  guint delay_ms;
  gboolean fail_first;
  gboolean saw_cancel;
  gint hold; /* while set, a computation waits (until cancelled) */
} Counter;

static gpointer
make_frame (GCancellable *cancellable, gpointer user_data, GError **error)
{
  Counter *counter = user_data;
  gint64 values[100];
  g_autoptr (TessColumn) column = NULL;
  gint call = g_atomic_int_add (&counter->calls, 1);
  gint64 end = g_get_monotonic_time () + counter->delay_ms * 1000;

  while (g_get_monotonic_time () < end || g_atomic_int_get (&counter->hold))
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          counter->saw_cancel = TRUE;
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
          return NULL;
        }
      g_usleep (1000);
    }
  if (counter->fail_first && call == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "first call fails");
      return NULL;
    }
  for (int i = 0; i < 100; i++)
    values[i] = i;
  column = tess_column_new_int64 ("x", values, 100);
  return tess_frame_new (&column, 1, error);
}

typedef struct
{
  const char *key;
  Counter *counter;
  const TessCacheCallOptions *options;
  GCancellable *cancellable;
  TessFrame *frame;
  GError *error;
} Caller;

static gpointer
caller_thread (gpointer data)
{
  Caller *caller = data;
  caller->frame = tess_cache_call_sync (caller->key, make_frame, caller->counter, caller->options, caller->cancellable,
                                        &caller->error);
  return NULL;
}

static void
caller_clear (Caller *caller)
{
  g_clear_pointer (&caller->frame, tess_frame_unref);
  g_clear_error (&caller->error);
  g_clear_object (&caller->cancellable);
}

static void
test_single_flight (void)
{
  Counter counter = { .delay_ms = 100 };
  Caller callers[16];
  GThread *threads[16];

  for (int i = 0; i < 16; i++)
    {
      callers[i] = (Caller){ .key = "single-flight", .counter = &counter };
      threads[i] = g_thread_new ("caller", caller_thread, &callers[i]);
    }
  for (int i = 0; i < 16; i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (counter.calls, ==, 1);
  for (int i = 0; i < 16; i++)
    {
      g_assert_no_error (callers[i].error);
      g_assert_true (callers[i].frame == callers[0].frame);
    }
  for (int i = 0; i < 16; i++)
    caller_clear (&callers[i]);
  tess_cache_clear ();
}

static void
test_ttl_and_errors (void)
{
  Counter counter = { .fail_first = TRUE };
  TessCacheCallOptions short_ttl = { .ttl = 0.3 };
  g_autoptr (GError) error = NULL;
  TessFrame *a, *b, *c;

  a = tess_cache_call_sync ("ttl", make_frame, &counter, &short_ttl, NULL, &error);
  g_assert_null (a);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  /* errors are not kept */
  a = tess_cache_call_sync ("ttl", make_frame, &counter, &short_ttl, NULL, &error);
  g_assert_no_error (error);
  b = tess_cache_call_sync ("ttl", make_frame, &counter, &short_ttl, NULL, &error);
  g_assert_true (a == b);
  g_assert_cmpint (counter.calls, ==, 2);
  g_usleep (350000);
  c = tess_cache_call_sync ("ttl", make_frame, &counter, &short_ttl, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (c != a);
  g_assert_cmpint (counter.calls, ==, 3);
  tess_frame_unref (a);
  tess_frame_unref (b);
  tess_frame_unref (c);
  tess_cache_clear ();
  g_assert_cmpuint (tess_cache_get_n_entries (), ==, 0);
}

static void
test_not_kept (void)
{
  /* a negative TTL: concurrent callers share one computation, later ones compute again */
  Counter counter = { .hold = 1 };
  TessCacheCallOptions not_kept = { .ttl = -1 };
  Caller callers[4];
  GThread *threads[4];

  /* the computation is held until every caller has had time to join it */
  for (int i = 0; i < 4; i++)
    {
      callers[i] = (Caller){ .key = "not-kept", .counter = &counter, .options = &not_kept };
      threads[i] = g_thread_new ("caller", caller_thread, &callers[i]);
    }
  g_usleep (200000);
  g_atomic_int_set (&counter.hold, 0);
  for (int i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (counter.calls, ==, 1);
  g_assert_cmpuint (tess_cache_get_n_entries (), ==, 0);
  for (int i = 0; i < 4; i++)
    {
      g_assert_true (callers[i].frame == callers[0].frame);
    }
  for (int i = 0; i < 4; i++)
    caller_clear (&callers[i]);
  callers[0] = (Caller){ .key = "not-kept", .counter = &counter, .options = &not_kept };
  caller_thread (&callers[0]);
  g_assert_cmpint (counter.calls, ==, 2);
  caller_clear (&callers[0]);
}

static void
test_memory_bound (void)
{
  Counter counter = { 0 };
  g_autoptr (GError) error = NULL;
  gsize one;

  {
    g_autoptr (TessFrame) first = tess_cache_call_sync ("lru-0", make_frame, &counter, NULL, NULL, &error);
    one = tess_frame_get_bytes (first);
  }
  tess_cache_set_max_bytes (one * 3);
  for (int i = 1; i < 10; i++)
    {
      g_autofree char *key = g_strdup_printf ("lru-%d", i);
      g_autoptr (TessFrame) frame = tess_cache_call_sync (key, make_frame, &counter, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (frame);
      g_assert_cmpuint (tess_cache_get_bytes (), <=, one * 3);
    }
  g_assert_cmpuint (tess_cache_get_n_entries (), ==, 3);
  /* the most recent are kept, the oldest recomputed */
  {
    g_autoptr (TessFrame) recent = tess_cache_call_sync ("lru-9", make_frame, &counter, NULL, NULL, &error);
    g_assert_nonnull (recent);
    g_assert_cmpint (counter.calls, ==, 10);
  }
  {
    g_autoptr (TessFrame) old = tess_cache_call_sync ("lru-0", make_frame, &counter, NULL, NULL, &error);
    g_assert_nonnull (old);
    g_assert_cmpint (counter.calls, ==, 11);
  }
  tess_cache_set_max_bytes (0);
  tess_cache_clear ();
}

static void
test_cancel_waiters (void)
{
  Counter counter = { .hold = 1 };
  Caller leader = { .key = "cancel", .counter = &counter };
  Caller waiter = { .key = "cancel", .counter = &counter, .cancellable = g_cancellable_new () };
  Caller alone = { .key = "cancel-alone", .counter = &counter, .cancellable = g_cancellable_new () };
  GThread *tl, *tw, *ta;

  /* A waiter that gives up returns while the computation is still held, so
   * without waiting for it; the computation goes on for the leader. */
  tl = g_thread_new ("leader", caller_thread, &leader);
  while (g_atomic_int_get (&counter.calls) == 0)
    g_usleep (1000);
  tw = g_thread_new ("waiter", caller_thread, &waiter);
  g_usleep (20000);
  g_cancellable_cancel (waiter.cancellable);
  g_thread_join (tw);
  g_assert_error (waiter.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (counter.saw_cancel);
  g_atomic_int_set (&counter.hold, 0);
  g_thread_join (tl);
  g_assert_no_error (leader.error);
  g_assert_nonnull (leader.frame);
  g_assert_false (counter.saw_cancel);

  /* when the only caller gives up, the held computation is cancelled */
  g_atomic_int_set (&counter.hold, 1);
  ta = g_thread_new ("alone", caller_thread, &alone);
  while (g_atomic_int_get (&counter.calls) < 2)
    g_usleep (1000);
  g_cancellable_cancel (alone.cancellable);
  g_thread_join (ta);
  g_assert_error (alone.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (counter.saw_cancel);

  caller_clear (&leader);
  caller_clear (&waiter);
  caller_clear (&alone);
  tess_cache_clear ();
}

/* tess_load from fragments */

static gint slow_requests;
static TessTestServer *server; /* for the life of the test process */

static void
handler (SoupServer *soup_server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  if (g_str_equal (path, "/slow.csv"))
    g_atomic_int_inc (&slow_requests);
  tess_test_server_answer_later (server, msg, g_str_equal (path, "/forever.csv") ? 60000 : 300, "text/csv",
                                 "city,temp\nOslo,3.5\nRome,18\nLima,22\n");
}

static const char *
base_url (void)
{
  static gsize once;
  if (g_once_init_enter (&once))
    {
      server = tess_test_server_new_threaded (handler, NULL);
      g_once_init_leave (&once, 1);
    }
  return tess_test_server_get_base_url (server);
}

static gboolean
load_fragment (TessRun *run, gpointer user_data, GError **error)
{
  g_autofree char *url = g_strconcat (base_url (), user_data, NULL);
  g_autoptr (TessFrame) frame = tess_load (run, url, NULL, error);

  if (frame == NULL)
    return FALSE;
  tess_textf (run, "rows %" G_GSIZE_FORMAT, tess_frame_get_n_rows (frame));
  return TRUE;
}

static gboolean
sixteen_loads (TessRun *run, gpointer user_data, GError **error)
{
  for (int i = 0; i < 16; i++)
    {
      g_autofree char *key = g_strdup_printf ("f%d", i);
      tess_fragment (run, key, load_fragment, user_data, TESS_FRAGMENT_PARALLEL);
    }
  return TRUE;
}

static gboolean
session_is_idle (gpointer session)
{
  return tess_session_is_idle (session);
}

static void
wait_idle (TessSession *session)
{
  /* Polled: the session's counts also change on workers (a closed session's runs end
   * there), which do not wake the main context. */
  tess_test_poll_until (NULL, session_is_idle, session, 10, "the session to be idle");
  g_assert_true (tess_session_is_idle (session));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint
count_ok (TessSession *session)
{
  g_autoptr (GPtrArray) timeline = tess_session_get_timeline (session);
  guint ok = 0;
  for (guint i = 0; i < timeline->len; i++)
    {
      TessRunRecord *record = timeline->pdata[i];
      if (record->fragment[0] && record->status == TESS_RUN_OK)
        ok++;
    }
  return ok;
}

static void
test_load_from_fragments (void)
{
  g_autoptr (TessSession) session = tess_session_new (sixteen_loads, (gpointer) "/slow.csv", NULL);

  base_url ();
  tess_session_start (session);
  wait_idle (session);
  g_assert_cmpint (g_atomic_int_get (&slow_requests), ==, 1);
  g_assert_cmpuint (count_ok (session), ==, 16);
  tess_session_close (session);
  tess_cache_clear ();
}

static void
test_load_cancelled_by_close (void)
{
  g_autoptr (TessSession) session = tess_session_new (sixteen_loads, (gpointer) "/forever.csv", NULL);

  base_url ();
  tess_session_start (session);
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  tess_session_close (session);
  /* every waiting fragment is released: the server would answer only after 60 s */
  wait_idle (session);
  g_assert_cmpuint (count_ok (session), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autofree char *cache_dir = tess_test_dir_new ("tess-cache-XXXXXX");
  int status;

  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Data/cache/single-flight", test_single_flight);
  g_test_add_func ("/Data/cache/ttl-and-errors", test_ttl_and_errors);
  g_test_add_func ("/Data/cache/not-kept", test_not_kept);
  g_test_add_func ("/Data/cache/memory-bound", test_memory_bound);
  g_test_add_func ("/Data/cache/cancel-waiters", test_cancel_waiters);
  g_test_add_func ("/Data/load/from-fragments", test_load_from_fragments);
  g_test_add_func ("/Data/load/cancelled-by-close", test_load_cancelled_by_close);
  status = g_test_run ();
  tess_test_dir_remove (cache_dir);
  return status;
}
