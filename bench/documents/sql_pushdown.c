/* sql_pushdown.c: sql.pushdown_10m_s, a document's group-by with a filter on
 * an input over a table of 10,000,000 rows in the run's PostgreSQL server
 * (tests/support/tess-test-postgres.h).
 *
 * The document's pipeline runs in the database as one statement; the time is
 * from the input's change to the fragment's new output (the session idle,
 * the 366 groups delivered), the median of 7 changes (goal <= 1.5 s). Beside
 * it, the process's peak resident memory (goal under 100 MB: only the groups
 * cross the wire), and psql running the same grouping for comparison.
 */
#include "tess-cache.h"
#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "tess-session.h"
#include "tess-test-postgres.h"
#include "tess-test-wait.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ROWS 10000000
#define N_CHANGES 7

static gboolean
session_is_idle (gpointer session)
{
  return tess_session_is_idle (session);
}

/* A line of /proc/self/status ("VmHWM"), in MB. */
static double
memory_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (line = strstr (status, field)) == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (field) + 1, NULL) / 1024.0;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* The rows of the fragment's table. */
static gsize
groups_shown (TessSession *session)
{
  g_autoptr (TessElement) root = tess_session_get_scope_root (session, "per-day");

  for (guint i = 0; root && i < tess_element_get_n_children (root); i++)
    if (tess_element_get_kind (tess_element_get_child (root, i)) == TESS_ELEMENT_TABLE)
      return tess_frame_get_n_rows (tess_element_get_frame (tess_element_get_child (root, i)));
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree char *dbname = tess_test_postgres_create_database ("tess_bench_pushdown");
  g_autofree char *uri = tess_test_postgres_uri (dbname, NULL);
  g_autofree char *setup = NULL;
  g_autofree char *text = NULL;
  g_autoptr (TessDocument) doc = NULL;
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TessSession) session = NULL;
  double seconds[N_CHANGES];
  double psql_seconds;
  gint64 start;
  gboolean right = TRUE;

  setup = g_strdup_printf ("CREATE UNLOGGED TABLE events AS SELECT DATE '2024-01-01' + (i / 10 %% 366) AS day, "
                           "(i %% 10)::int2 AS kind, (i %% 1000) / 10.0::float8 AS amount "
                           "FROM generate_series (1, %d) i; ANALYZE events;",
                           N_ROWS);
  start = g_get_monotonic_time ();
  g_free (tess_test_postgres_psql (dbname, setup));
  fprintf (stderr, "made the %d-row table in %.1f s\n", N_ROWS, (g_get_monotonic_time () - start) / 1e6);

  text = g_strdup_printf (
      "{\"tessera\": 1,\n"
      " \"inputs\": {\"kind\": {\"kind\": \"slider\", \"min\": 0, \"max\": 9, \"step\": 1, \"default\": 0}},\n"
      " \"sources\": {\"events\": {\"uri\": \"%s\", \"table\": \"events\"}},\n"
      " \"fragments\": [{\"id\": \"per-day\", \"source\": \"events\", \"pipeline\": [\n"
      "   {\"filter\": {\"column\": \"kind\", \"value\": \"$kind\"}},\n"
      "   {\"group_by\": {\"keys\": \"day\", \"aggregates\": [{\"op\": \"count\", \"as\": \"n\"},\n"
      "     {\"column\": \"amount\", \"op\": \"sum\", \"as\": \"total\"}, {\"column\": \"amount\", \"op\": "
      "\"mean\"}]}}],\n"
      "  \"views\": [{\"type\": \"table\"}]}]}\n",
      uri);
  doc = tess_document_new_from_text (text, -1, NULL);
  g_assert_true (tess_document_is_valid (doc));
  dashboard = tess_document_dashboard_new (doc);
  session = tess_session_new (tess_document_dashboard_run, dashboard, NULL);
  tess_session_set_run_every_enabled (session, FALSE);

  /* the first run reads the catalog and connects */
  tess_session_start (session);
  tess_test_poll_until (NULL, session_is_idle, session, 120, "the first run");
  right &= groups_shown (session) == 366;

  for (int i = 0; i < N_CHANGES; i++)
    {
      g_autoptr (GError) error = NULL;

      start = g_get_monotonic_time ();
      g_assert_true (tess_session_set_input (session, "kind", g_variant_new_double (i + 1), &error));
      tess_test_poll_until (NULL, session_is_idle, session, 120, "the fragment to show the new groups");
      seconds[i] = (g_get_monotonic_time () - start) / 1e6;
      right &= groups_shown (session) == 366;
    }
  qsort (seconds, N_CHANGES, sizeof (double), compare_doubles);

  start = g_get_monotonic_time ();
  g_free (tess_test_postgres_psql (dbname, "SELECT day, count(*), sum(amount), avg(amount) FROM events "
                                           "WHERE kind = 5 GROUP BY day ORDER BY day"));
  psql_seconds = (g_get_monotonic_time () - start) / 1e6;

  printf ("bench: sql.pushdown_10m_s %.2f s (goal <= 1.5; median of %d input changes, from %.2f to %.2f; psql "
          "runs the same grouping in %.2f s)\n",
          seconds[N_CHANGES / 2], N_CHANGES, seconds[0], seconds[N_CHANGES - 1], psql_seconds);
  printf ("bench: sql.pushdown_10m_peak_rss_mb %.0f MB (goal < 100; resident memory of the whole process at its "
          "peak)\n",
          memory_mb ("VmHWM:"));
  tess_session_close (session);
  if (!right)
    fprintf (stderr, "the fragment did not show the 366 days\n");
  return right ? 0 : 1;
}
