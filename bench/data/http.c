/* http.c: HTTP loads against a SoupServer on 127.0.0.1.
 *
 * data.http_single_flight_requests: requests the server sees for 16
 * concurrent loads of one URL (must be 1).
 * data.http_parallel_s: wall time for 32 parallel fragments of a session to
 * load 32 different URLs from a server that answers each after 1 s.
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
#include <stdio.h>

static TessTestServer *server;
static const char *base; /* owned by the server */
static gint requests;

static void
handler (SoupServer *soup_server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  g_atomic_int_inc (&requests);
  tess_test_server_answer_later (server, msg, g_str_has_prefix (path, "/slow") ? 1000 : 200, "text/csv",
                                 "x,y\n1,2\n3,4\n");
}

static gpointer
load_thread (gpointer data)
{
  g_autofree char *url = g_strconcat (base, "/single.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = tess_source_load (url, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (frame);
  return NULL;
}

static gboolean
load_one (TessRun *run, gpointer user_data, GError **error)
{
  g_autofree char *url = g_strdup_printf ("%s/slow-%d.csv", base, GPOINTER_TO_INT (user_data));
  g_autoptr (TessFrame) frame = tess_load (run, url, NULL, error);
  if (frame == NULL)
    return FALSE;
  tess_textf (run, "%" G_GSIZE_FORMAT " rows", tess_frame_get_n_rows (frame));
  return TRUE;
}

static gboolean
dashboard (TessRun *run, gpointer user_data, GError **error)
{
  for (int i = 0; i < 32; i++)
    {
      g_autofree char *key = g_strdup_printf ("load%d", i);
      tess_fragment (run, key, load_one, GINT_TO_POINTER (i), TESS_FRAGMENT_PARALLEL);
    }
  return TRUE;
}

static gboolean
session_is_idle (gpointer session)
{
  return tess_session_is_idle (session);
}

int
main (int argc, char **argv)
{
  g_autofree char *cache_dir = tess_test_dir_new ("tess-bench-http-XXXXXX");
  GThread *threads[16];
  gint64 t0;
  double seconds;

  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  server = tess_test_server_new_threaded (handler, NULL);
  base = tess_test_server_get_base_url (server);

  for (int i = 0; i < 16; i++)
    threads[i] = g_thread_new ("load", load_thread, NULL);
  for (int i = 0; i < 16; i++)
    g_thread_join (threads[i]);
  printf ("bench: data.http_single_flight_requests %d requests (goal == 1)\n", g_atomic_int_get (&requests));

  {
    g_autoptr (TessSession) session = tess_session_new (dashboard, NULL, NULL);
    g_autoptr (GPtrArray) timeline = NULL;
    guint ok = 0;

    t0 = g_get_monotonic_time ();
    tess_session_start (session);
    tess_test_poll_until (NULL, session_is_idle, session, 60, "the 32 loads");
    seconds = (g_get_monotonic_time () - t0) / 1e6;
    timeline = tess_session_get_timeline (session);
    {
      double last_start = 0, first_end = G_MAXDOUBLE, last_end = 0;
      for (guint i = 0; i < timeline->len; i++)
        {
          TessRunRecord *record = timeline->pdata[i];
          if (record->fragment[0] && record->status == TESS_RUN_OK)
            {
              ok++;
              last_start = MAX (last_start, record->start_ms);
              first_end = MIN (first_end, record->end_ms);
              last_end = MAX (last_end, record->end_ms);
            }
        }
      g_printerr ("fragments: last started at %.0f ms, first ended at %.0f ms, last at %.0f ms\n", last_start,
                  first_end, last_end);
    }
    g_assert_cmpuint (ok, ==, 32);
    tess_session_close (session);
  }
  printf ("bench: data.http_parallel_s %.2f s (goal <= 1.2)\n", seconds);
  g_clear_pointer (&server, tess_test_server_free);
  tess_test_dir_remove (cache_dir);
  return 0;
}
