/* sql.c: database sources against the run's PostgreSQL server
 * (tests/support/tess-test-postgres.h).
 *
 * sql.parallel_8_s: 8 parallel fragments of a session each running
 * `SELECT pg_sleep (1)` (goal <= 1.2). The eight ask for one query with the
 * same values, so the cache runs it once for all of them. Beside it,
 * sql.parallel_8_distinct_s: the same with a different bound value in each,
 * eight queries over the source's four connections (about 2 s).
 * sql.stream_mrows_s: 1,000,000 rows of int8, float8 and text read from a
 * table into a frame, in million rows per second (goal >= 1.0), beside the
 * time `psql -c "COPY (...) TO STDOUT" > /dev/null` takes for the same query.
 * sql.peak_ratio: the growth of resident memory, at its peak, while 5,000,000
 * such rows stream into a frame, over the frame's size (goal <= 1.5).
 * sql.cancel_ms: from an input change that supersedes a fragment running
 * `SELECT pg_sleep ($1)` to the server's log line saying it cancelled the
 * statement on request; the median of 7 (goal <= 50).
 */
#include "tess-cache.h"
#include "tess-frame.h"
#include "tess-load.h"
#include "tess-session.h"
#include "tess-sql.h"
#include "tess-test-dir.h"
#include "tess-test-postgres.h"
#include "tess-test-wait.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char *dbname;
static char *db_uri;

static gboolean
session_is_idle (gpointer session)
{
  return tess_session_is_idle (session);
}

/* sql.parallel_8_s */

static gboolean
sleep_one (TessRun *run, gpointer user_data, GError **error)
{
  gboolean distinct = GPOINTER_TO_INT (user_data) >= 0;
  g_autoptr (TessFrame) frame = distinct ? tess_query (run, db_uri, "SELECT pg_sleep (1), $1 AS n",
                                                       g_variant_new ("(i)", GPOINTER_TO_INT (user_data)), error)
                                         : tess_query (run, db_uri, "SELECT pg_sleep (1)", NULL, error);
  return frame != NULL;
}

static gboolean
eight_sleeps (TessRun *run, gpointer user_data, GError **error)
{
  gboolean distinct = GPOINTER_TO_INT (user_data);

  for (int i = 0; i < 8; i++)
    {
      g_autofree char *key = g_strdup_printf ("sleep%d", i);
      tess_fragment (run, key, sleep_one, GINT_TO_POINTER (distinct ? i : -1), TESS_FRAGMENT_PARALLEL);
    }
  return TRUE;
}

static double
time_eight (gboolean distinct)
{
  g_autoptr (TessSession) session = tess_session_new (eight_sleeps, GINT_TO_POINTER (distinct), NULL);
  g_autoptr (GPtrArray) timeline = NULL;
  guint ok = 0;
  gint64 start;
  double seconds;

  tess_cache_clear ();
  start = g_get_monotonic_time ();
  tess_session_start (session);
  tess_test_poll_until (NULL, session_is_idle, session, 60, "eight sleeping fragments");
  seconds = (g_get_monotonic_time () - start) / 1e6;
  timeline = tess_session_get_timeline (session);
  for (guint i = 0; i < timeline->len; i++)
    {
      TessRunRecord *record = timeline->pdata[i];
      if (record->fragment[0] && record->status == TESS_RUN_OK)
        ok++;
    }
  g_assert_cmpuint (ok, ==, 8);
  tess_session_close (session);
  return seconds;
}

/* sql.stream_mrows_s and sql.peak_ratio */

#define STREAM_SQL "SELECT id, value, label FROM stream"

static double
stream_seconds (guint64 rows)
{
  TessSqlOptions options = { .row_limit = rows };
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  g_autofree char *sql = g_strdup_printf (STREAM_SQL " WHERE id <= %" G_GUINT64_FORMAT, rows);
  gint64 start;

  tess_cache_clear ();
  start = g_get_monotonic_time ();
  frame = tess_sql_query (db_uri, sql, NULL, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, rows);
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
copy_seconds (guint64 rows)
{
  g_autofree char *psql = g_build_filename (tess_test_postgres_get_bindir (), "psql", NULL);
  g_autofree char *copy = g_strdup_printf ("COPY (" STREAM_SQL " WHERE id <= %" G_GUINT64_FORMAT ") TO STDOUT", rows);
  const char *argv[] = {
    psql,   "-X", "-q", "-h", tess_test_postgres_start (), "-U", tess_test_postgres_get_superuser (), "-d",
    dbname, "-c", copy, NULL
  };
  g_autoptr (GError) error = NULL;
  int status = 0;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return (g_get_monotonic_time () - start) / 1e6;
}

/* A line of /proc/self/status, in bytes. */
static guint64
status_bytes (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (field) + 1, NULL, 10) * 1024;
}

static double
peak_ratio (guint64 rows, guint64 *frame_bytes, guint64 *growth)
{
  TessSqlOptions options = { .row_limit = rows };
  g_autoptr (GError) error = NULL;
  TessFrame *frame;
  g_autofree char *sql = g_strdup_printf (STREAM_SQL " WHERE id <= %" G_GUINT64_FORMAT, rows);
  guint64 before;

  tess_cache_clear ();
  malloc_trim (0);
  /* the high-water mark starts again from here */
  {
    FILE *clear = fopen ("/proc/self/clear_refs", "w");
    g_assert_nonnull (clear);
    g_assert_cmpint (fputs ("5", clear), >=, 0);
    g_assert_cmpint (fclose (clear), ==, 0);
  }
  before = status_bytes ("VmRSS:");
  frame = tess_sql_query (db_uri, sql, NULL, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, rows);
  *growth = status_bytes ("VmHWM:") - before;
  *frame_bytes = tess_frame_get_bytes (frame);
  tess_frame_unref (frame);
  tess_cache_clear ();
  return (double) *growth / (double) *frame_bytes;
}

/* sql.cancel_ms */

static char *sleep_marker;

static gboolean
sleeper (TessRun *run, gpointer user_data, GError **error)
{
  TessInputOptions options = { .key = "seconds" };
  double seconds = tess_slider (run, "Seconds", 0, 60, 10, &options);
  g_autofree char *sql = g_strdup_printf ("SELECT pg_sleep ($1) /* %s */", sleep_marker);
  g_autoptr (TessFrame) frame = tess_query (run, db_uri, sql, g_variant_new ("(d)", seconds), error);
  return frame != NULL;
}

static gboolean
sleeper_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "sleeper", sleeper, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static gboolean
sleep_is_running (gpointer data)
{
  char **pid = data;
  g_autofree char *sql = g_strdup_printf ("SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE "
                                          "'%%%s%%' AND query NOT LIKE '%%pg_stat_activity%%'",
                                          sleep_marker);
  g_autofree char *out = g_strstrip (tess_test_postgres_psql ("postgres", sql));

  if (*out == '\0')
    return FALSE;
  *pid = g_strdup (out);
  return TRUE;
}

/* When the server logged the cancel of @pid's statement (µs since the
 * epoch), or 0. */
static gint64
logged_cancel (const char *pid, gsize from)
{
  g_autofree char *log = NULL;
  g_autofree char *tag = g_strdup_printf (" [%s] ", pid);
  gsize length = 0;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (tess_test_postgres_get_log_path (), &log, &length, NULL) || length < from)
    return 0;
  lines = g_strsplit (log + from, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (strstr (lines[i], tag) && strstr (lines[i], "canceling statement due to user request") &&
        strlen (lines[i]) > 23)
      {
        g_autofree char *iso = g_strdup_printf ("%.10sT%.12sZ", lines[i], lines[i] + 11);
        g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);
        if (time)
          return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
      }
  return 0;
}

typedef struct
{
  const char *pid;
  gsize from;
} LogWait;

static gboolean
cancel_is_logged (gpointer data)
{
  LogWait *wait = data;
  return logged_cancel (wait->pid, wait->from) != 0;
}

static gsize
log_length (void)
{
  g_autofree char *log = NULL;
  gsize length = 0;

  g_file_get_contents (tess_test_postgres_get_log_path (), &log, &length, NULL);
  return length;
}

static double
cancel_ms (int round)
{
  g_autoptr (TessSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *pid = NULL;
  LogWait wait;
  gint64 superseded;

  tess_cache_clear ();
  sleep_marker = g_strdup_printf ("bench-cancel-%d-%d", (int) getpid (), round);
  session = tess_session_new (sleeper_dashboard, NULL, NULL);
  tess_session_start (session);
  tess_test_poll_until (NULL, sleep_is_running, &pid, 20, "the server to run pg_sleep (10)");
  wait.pid = pid;
  wait.from = log_length ();
  superseded = g_get_real_time ();
  g_assert_true (tess_session_set_input (session, "seconds", g_variant_new_double (0), &error));
  tess_test_poll_until (NULL, cancel_is_logged, &wait, 20, "the server to log the cancel");
  tess_test_poll_until (NULL, session_is_idle, session, 20, "the fragment's second run");
  tess_session_close (session);
  g_clear_pointer (&sleep_marker, g_free);
  return (logged_cancel (pid, wait.from) - superseded) / 1000.0;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autofree char *cache_dir = tess_test_dir_new ("tess-bench-sql-XXXXXX");
  double seconds, copy, ratio, cancels[7];
  guint64 frame_bytes, growth;

  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  dbname = tess_test_postgres_create_database ("tess_bench_sql");
  db_uri = tess_test_postgres_uri (dbname, NULL);
  g_free (tess_test_postgres_psql (dbname, "CREATE TABLE stream AS SELECT i::int8 AS id, i * 0.5::float8 AS value, "
                                           "'row ' || i AS label FROM generate_series (1, 5000000) i;"
                                           "CREATE INDEX ON stream (id)"));
  g_free (tess_test_postgres_psql (dbname, "VACUUM ANALYZE stream"));

  printf ("bench: sql.parallel_8_s %.2f s (goal <= 1.2; one query: the eight ask for the same)\n", time_eight (FALSE));
  printf ("bench: sql.parallel_8_distinct_s %.2f s (eight queries over 4 connections: about 2.0)\n", time_eight (TRUE));

  copy_seconds (1000000); /* the table's pages in the server's cache, for both */
  seconds = stream_seconds (1000000);
  copy = copy_seconds (1000000);
  printf ("bench: sql.stream_mrows_s %.2f Mrows/s (goal >= 1.0; %.2f s; psql COPY of the same query: %.2f s, "
          "%.2f Mrows/s)\n",
          1.0 / seconds, seconds, copy, 1.0 / copy);

  ratio = peak_ratio (5000000, &frame_bytes, &growth);
  printf ("bench: sql.peak_ratio %.2f (goal <= 1.5; resident memory grew %.0f MB at its peak for a frame of %.0f MB)\n",
          ratio, growth / 1e6, frame_bytes / 1e6);

  for (int i = 0; i < 7; i++)
    cancels[i] = cancel_ms (i);
  qsort (cancels, 7, sizeof (double), compare_doubles);
  printf ("bench: sql.cancel_ms %.0f ms (goal <= 50; median of 7, from %.0f to %.0f)\n", cancels[3], cancels[0],
          cancels[6]);

  tess_test_dir_remove (cache_dir);
  return 0;
}
