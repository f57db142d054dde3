/* groupby_e2e.c: a document's fragment that filters and groups a 10 M-row,
 * 10-column CSV by two columns, end to end: a fresh process opens the
 * document, runs it headless and waits until it is idle, so the load is
 * cold (nothing cached; the file itself in the page cache, as on a second
 * look at it). The fragment uses four of the ten columns and reads only
 * those. The same workload as bench/compare.sh's groupby line.
 *
 * Prints the wall time (median of three processes) and the peak memory:
 * VmHWM, the most the process had resident, file pages mapped from the CSV
 * included; and the most anonymous memory (RssAnon, sampled every 2 ms),
 * which is what the process itself holds. The file is mapped and released
 * as it is read, so its pages belong to the page cache.
 */
#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "tess-test-dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 10000000
#define RUNS 3

static const char *document_text =
    "{\n"
    "  \"tessera\": 1,\n"
    "  \"title\": \"Orders by category and city\",\n"
    "  \"sources\": {\"orders\": {\"uri\": \"mixed.csv\", \"format\": \"csv\"}},\n"
    "  \"fragments\": [\n"
    "    {\"id\": \"groups\", \"title\": \"Orders over 500 units\", \"source\": \"orders\",\n"
    "     \"pipeline\": [\n"
    "       {\"filter\": {\"column\": \"qty\", \"op\": \">\", \"value\": 500}},\n"
    "       {\"group_by\": {\"keys\": [\"category\", \"city\"], \"aggregates\": [\n"
    "         {\"op\": \"count\", \"as\": \"orders\"},\n"
    "         {\"column\": \"price\", \"op\": \"sum\", \"as\": \"revenue\"}]}}],\n"
    "     \"views\": [\n"
    "       {\"type\": \"metric\", \"label\": \"Groups\", \"value\": {\"column\": \"category\", \"op\": \"count\"}},\n"
    "       {\"type\": \"table\", \"columns\": [\"category\", \"city\", \"orders\", \"revenue\"]}]}\n"
    "  ]\n"
    "}\n";

/* The mixed table of bench/data/csv_parse.c, ROWS rows: an id, two ints, two
 * doubles, a timestamp with and one without a zone, a quoted "Last, F."
 * name, a quoted "City, CC" and a category. The dates are counted, not
 * formatted by GDateTime, to write a gigabyte in seconds. */
static void
generate (const char *path)
{
  static const char *const last[] = { "Smith", "Garcia", "Nakamura", "Okafor", "Larsen", "Dubois", "Rossi", "Kim" };
  static const char *const cities[] = { "Oslo, NO", "Lima, PE", "Pune, IN", "Cork, IE", "Kyoto, JP", "Porto, PT" };
  static const char *const categories[] = { "books", "games", "tools", "garden", "food", "music", "toys" };
  FILE *file = fopen (path, "w");
  GRand *rand = g_rand_new_with_seed (13);
  static char buffer[1 << 20];

  g_assert (file != NULL);
  setvbuf (file, buffer, _IOFBF, sizeof buffer);
  fputs ("id,qty,code,price,ratio,created,shipped,customer,city,category\n", file);
  for (guint64 i = 0; i < ROWS; i++)
    {
      gint64 created = (gint64) i * 3 + g_rand_int_range (rand, 0, 3);
      gint64 shipped = created + g_rand_int_range (rand, 3600, 7 * 86400);
      /* days from 2024-01-01 within a 28-day month of a 12-month year: the
       * text of a date, not a calendar */
      gint64 cd = created / 86400, sd = shipped / 86400;

      fprintf (file,
               "%" G_GUINT64_FORMAT ",%d,%d,%.2f,%.4f,%04d-%02d-%02dT%02d:%02d:%02dZ,%04d-%02d-%02d %02d:%02d:%02d,"
               "\"%s, %c.\",\"%s\",%s\n",
               i, g_rand_int_range (rand, 1, 1000), g_rand_int_range (rand, -50000, 50000),
               g_rand_double_range (rand, 1, 5000), g_rand_double (rand), (int) (2024 + cd / 336),
               (int) (cd / 28 % 12 + 1), (int) (cd % 28 + 1), (int) (created / 3600 % 24), (int) (created / 60 % 60),
               (int) (created % 60), (int) (2024 + sd / 336), (int) (sd / 28 % 12 + 1), (int) (sd % 28 + 1),
               (int) (shipped / 3600 % 24), (int) (shipped / 60 % 60), (int) (shipped % 60),
               last[g_rand_int_range (rand, 0, 8)], 'A' + g_rand_int_range (rand, 0, 26),
               cities[g_rand_int_range (rand, 0, 6)], categories[g_rand_int_range (rand, 0, 7)]);
    }
  fclose (file);
  g_rand_free (rand);
}

/* A field of /proc/self/status, in bytes. */
static gsize
status_bytes (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, field);
  return line ? g_ascii_strtoull (line + strlen (field), NULL, 10) * 1024 : 0;
}

static gint peak_anon_kib; /* atomic */
static gint sampling = 1;  /* atomic */

static gpointer
sample_anon (gpointer data)
{
  while (g_atomic_int_get (&sampling))
    {
      gint kib = (gint) (status_bytes ("RssAnon:") / 1024);
      if (kib > g_atomic_int_get (&peak_anon_kib))
        g_atomic_int_set (&peak_anon_kib, kib);
      g_usleep (2000);
    }
  return NULL;
}

static void
on_idle (TessSession *session, GMainLoop *loop)
{
  g_main_loop_quit (loop);
}

/* One cold run, in this fresh process: prints "seconds hwm_bytes anon_bytes". */
static int
run_once (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "groupby.tessera", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (TessDocument) doc = NULL;
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TessSession) session = NULL;
  g_autoptr (GPtrArray) timeline = NULL;
  GThread *sampler;
  gint64 t0;
  double seconds;

  sampler = g_thread_new ("sampler", sample_anon, NULL);
  t0 = g_get_monotonic_time ();
  doc = tess_document_new_from_text (document_text, -1, uri);
  g_assert (tess_document_is_valid (doc));
  dashboard = tess_document_dashboard_new (doc);
  session = tess_session_new (tess_document_dashboard_run, dashboard, NULL);
  tess_session_set_run_every_enabled (session, FALSE);
  g_signal_connect (session, "idle", G_CALLBACK (on_idle), loop);
  tess_session_start (session);
  g_main_loop_run (loop);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_atomic_int_set (&sampling, 0);
  g_thread_join (sampler);

  timeline = tess_session_get_timeline (session);
  for (guint i = 0; i < timeline->len; i++)
    {
      TessRunRecord *record = g_ptr_array_index (timeline, i);
      if (record->error)
        g_error ("fragment %s failed: %s", record->fragment, record->error);
    }
  printf ("%f %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT "\n", seconds, status_bytes ("VmHWM:"),
          (gsize) g_atomic_int_get (&peak_anon_kib) * 1024);
  tess_session_close (session);
  return 0;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *csv = NULL;
  double seconds[RUNS], hwm_mb = 0, anon_mb = 0;

  if (argc == 3 && g_str_equal (argv[1], "--run"))
    return run_once (argv[2]);
  /* the data and the document only, into an existing folder: for profiling
   * one run (--run) on its own */
  if (argc == 3 && g_str_equal (argv[1], "--generate"))
    {
      g_autofree char *path = g_build_filename (argv[2], "mixed.csv", NULL);
      g_autofree char *doc = g_build_filename (argv[2], "groupby.tessera", NULL);
      generate (path);
      return g_file_set_contents (doc, document_text, -1, NULL) ? 0 : 1;
    }

  dir = tess_test_dir_new ("tessera-bench-groupby-XXXXXX");
  csv = g_build_filename (dir, "mixed.csv", NULL);
  generate (csv);
  {
    g_autofree char *doc = g_build_filename (dir, "groupby.tessera", NULL);
    g_file_set_contents (doc, document_text, -1, NULL);
  }
  for (int r = 0; r < RUNS; r++)
    {
      const char *child_argv[] = { argv[0], "--run", dir, NULL };
      g_autofree char *out = NULL;
      g_autoptr (GError) error = NULL;
      gsize hwm = 0, anon = 0;
      int status = 0;

      if (!g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error) ||
          !g_spawn_check_wait_status (status, &error))
        g_error ("the run failed: %s", error->message);
      if (sscanf (out, "%lf %zu %zu", &seconds[r], &hwm, &anon) != 3)
        g_error ("the run printed “%s”", out);
      hwm_mb = MAX (hwm_mb, hwm / 1e6);
      anon_mb = MAX (anon_mb, anon / 1e6);
      fprintf (stderr, "run %d: %.3f s, VmHWM %.0f MB, RssAnon peak %.0f MB\n", r + 1, seconds[r], hwm / 1e6,
               anon / 1e6);
    }
  qsort (seconds, RUNS, sizeof seconds[0], compare_doubles);
  printf ("bench: data.groupby_e2e_10m_s %.2f s (goal <= 0.6) [median of %d processes, %.2f-%.2f]\n", seconds[RUNS / 2],
          RUNS, seconds[0], seconds[RUNS - 1]);
  printf ("bench: data.groupby_e2e_10m_peak_mb %.0f MB (goal < 300) [VmHWM, file pages mapped included]\n", hwm_mb);
  printf ("bench: data.groupby_e2e_10m_anon_mb %.0f MB [peak RssAnon]\n", anon_mb);
  tess_test_dir_remove (dir);
  return 0;
}
