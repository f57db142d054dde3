/* live.c: a live dashboard left open, whose data never changes.
 *
 *   live.rss_slope_mib_min   (goal <= 0.1)
 *   live.cpu_percent         (goal <= 5)
 *
 * A TessWindow opens a document of eight fragments over the shared vega
 * files (tests/data/vega, given as the first argument), each rerunning on
 * its own interval from 200 ms to 1 s, each source with a TTL of 250 ms, in
 * a grid of two columns: the dashboard a wall display shows for days. The
 * files never change, so no rerun has anything new to show. Once a second
 * the process's resident size (/proc/self/statm) and CPU time (getrusage)
 * are sampled. The RSS slope is the least-squares slope over the second half
 * of the run, in MiB per minute; the CPU is the process's user and system
 * time over the run after its first full run, in % of one core. The run
 * lasts TESS_BENCH_LIVE_SECONDS seconds (default 360, six minutes). Needs a
 * display: meson runs it under xvfb-run (the cairo renderer is used there).
 */
#include <adwaita.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tess-app-private.h"
#include "tess-test-dir.h"
#include "tess-window.h"

typedef struct
{
  GArray *minutes; /* double: time of each sample since the start */
  GArray *rss_mib; /* double: resident size at that time */
  gint64 start_us;
  guint frames;        /* frames painted since the first full run */
  guint updates;       /* scope updates the window was sent since then */
  GHashTable *updated; /* path -> count, with TESS_BENCH_LIVE_TRACE */
} Samples;

static char *
make_document (const char *vega)
{
  return g_strdup_printf (
      "{\"tessera\": 1, \"title\": \"Live\",\n"
      " \"sources\": {\n"
      "  \"weather\": {\"uri\": \"%1$s/seattle-weather.csv\", \"ttl\": \"250ms\"},\n"
      "  \"stocks\": {\"uri\": \"%1$s/stocks.csv\", \"ttl\": \"250ms\"},\n"
      "  \"cars\": {\"uri\": \"%1$s/cars.json\", \"ttl\": \"250ms\"},\n"
      "  \"gapminder\": {\"uri\": \"%1$s/gapminder.json\", \"ttl\": \"250ms\"},\n"
      "  \"iowa\": {\"uri\": \"%1$s/iowa-electricity.csv\", \"ttl\": \"250ms\"},\n"
      "  \"airports\": {\"uri\": \"%1$s/airports.csv\", \"ttl\": \"250ms\"}},\n"
      " \"fragments\": [\n"
      "  {\"id\": \"highs\", \"title\": \"Daily highs\", \"run_every\": \"200ms\", \"source\": \"weather\",\n"
      "   \"pipeline\": [{\"filter\": {\"column\": \"date\", \"op\": \"year\", \"value\": 2014}}],\n"
      "   \"views\": [{\"type\": \"line\", \"x\": \"date\", \"y\": [\"temp_max\", \"temp_min\"]}]},\n"
      "  {\"id\": \"days\", \"title\": \"Days per kind\", \"run_every\": \"300ms\", \"source\": \"weather\",\n"
      "   \"pipeline\": [{\"group_by\": {\"keys\": \"weather\", \"aggregates\": [{\"op\": \"count\", \"as\": "
      "\"days\"}]}}],\n"
      "   \"views\": [{\"type\": \"bar\", \"x\": \"weather\", \"y\": \"days\"}]},\n"
      "  {\"id\": \"extremes\", \"title\": \"Extremes\", \"run_every\": \"400ms\", \"source\": \"weather\",\n"
      "   \"views\": [{\"type\": \"metric\", \"label\": \"Warmest\", \"value\": {\"column\": \"temp_max\", \"op\": "
      "\"max\"}},\n"
      "             {\"type\": \"metric\", \"label\": \"Rain\", \"value\": {\"column\": \"precipitation\", \"op\": "
      "\"sum\"}}]},\n"
      "  {\"id\": \"stocks\", \"title\": \"Mean price\", \"run_every\": \"500ms\", \"source\": \"stocks\",\n"
      "   \"pipeline\": [{\"group_by\": {\"keys\": \"symbol\", \"aggregates\": [{\"column\": \"price\", \"op\": "
      "\"mean\", \"as\": \"price\"}]}}],\n"
      "   \"views\": [{\"type\": \"bar\", \"x\": \"symbol\", \"y\": \"price\"}]},\n"
      "  {\"id\": \"cars\", \"title\": \"Horsepower and mileage\", \"run_every\": \"600ms\", \"source\": \"cars\",\n"
      "   \"views\": [{\"type\": \"scatter\", \"x\": \"Horsepower\", \"y\": \"Miles_per_Gallon\", \"color\": "
      "\"Origin\"}]},\n"
      "  {\"id\": \"countries\", \"title\": \"Countries in 2005\", \"run_every\": \"700ms\", \"source\": "
      "\"gapminder\",\n"
      "   \"pipeline\": [{\"filter\": {\"column\": \"year\", \"value\": 2005}},\n"
      "                {\"sort\": {\"column\": \"pop\", \"descending\": true}}],\n"
      "   \"views\": [{\"type\": \"table\", \"columns\": [\"country\", \"pop\", \"life_expect\"], \"limit\": 20}]},\n"
      "  {\"id\": \"iowa\", \"title\": \"Iowa electricity\", \"run_every\": \"800ms\", \"source\": \"iowa\",\n"
      "   \"views\": [{\"type\": \"area\", \"x\": \"year\", \"y\": \"net_generation\", \"color\": \"source\", "
      "\"stacked\": true}]},\n"
      "  {\"id\": \"airports\", \"title\": \"Airports by latitude\", \"run_every\": \"1s\", \"source\": \"airports\",\n"
      "   \"views\": [{\"type\": \"histogram\", \"x\": \"latitude\", \"bins\": 40}]}\n"
      " ],\n"
      " \"layout\": {\"columns\": 2}}\n",
      vega);
}

static double
rss_mib (void)
{
  long pages_total = 0, pages_resident = 0;
  FILE *statm = fopen ("/proc/self/statm", "r");

  if (statm == NULL)
    g_error ("cannot read /proc/self/statm");
  if (fscanf (statm, "%ld %ld", &pages_total, &pages_resident) != 2)
    g_error ("cannot parse /proc/self/statm");
  fclose (statm);
  return pages_resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* Least-squares slope of y over x for the samples from @first on. */
static double
slope (GArray *x, GArray *y, guint first)
{
  double n = x->len - first, sx = 0, sy = 0, sxx = 0, sxy = 0;

  for (guint i = first; i < x->len; i++)
    {
      double xi = g_array_index (x, double, i), yi = g_array_index (y, double, i);

      sx += xi;
      sy += yi;
      sxx += xi * xi;
      sxy += xi * yi;
    }
  return n < 2 ? 0 : (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

static gboolean
sample_cb (gpointer user_data)
{
  Samples *samples = user_data;
  double minutes = (g_get_monotonic_time () - samples->start_us) / 60e6;
  double rss = rss_mib ();

  g_array_append_val (samples->minutes, minutes);
  g_array_append_val (samples->rss_mib, rss);
  return G_SOURCE_CONTINUE;
}

static void
after_paint_cb (GdkFrameClock *clock, Samples *samples)
{
  samples->frames++;
}

static void
scope_updated_cb (TessSession *session, const TessScopeUpdate *update, Samples *samples)
{
  samples->updates++;
  if (samples->updated != NULL)
    g_hash_table_insert (
        samples->updated, g_strdup (update->path),
        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (samples->updated, update->path)) + 1));
}

/* Every fragment's slot shows its output (not pending, not an error). */
static gboolean
all_done (TessWindow *window)
{
  TessReconciler *reconciler = tess_dashboard_view_get_reconciler (tess_window_get_view (window));
  const char *const ids[] = { "highs", "days", "extremes", "stocks", "cars", "countries", "iowa", "airports" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      TessSlot *slot = tess_reconciler_lookup_slot (reconciler, ids[i]);

      if (slot == NULL || tess_slot_get_state (slot) != TESS_SCOPE_DONE)
        return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *doc_path = NULL;
  g_autofree char *doc_text = NULL;
  g_autoptr (GFile) doc_file = NULL;
  g_autoptr (GError) error = NULL;
  const char *seconds_text = g_getenv ("TESS_BENCH_LIVE_SECONDS");
  double seconds = seconds_text != NULL ? g_ascii_strtod (seconds_text, NULL) : 360;
  Samples samples = { 0 };
  TessWindow *window;
  GdkFrameClock *clock;
  gint64 end_us, steady_us;
  double cpu_start, cpu_end, rss_start, rss_end, steady_minutes;
  guint source_id, first_half, errors;
  struct mallinfo2 arena, arena_start;

  if (argc != 2)
    g_error ("usage: %s VEGA-DATA-DIRECTORY", argv[0]);
  if (seconds < 10)
    g_error ("TESS_BENCH_LIVE_SECONDS must be at least 10");

  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();

  dir = tess_test_dir_new ("tessera-bench-live-XXXXXX");
  doc_path = g_build_filename (dir, "live.tessera", NULL);
  doc_text = make_document (argv[1]);
  if (!g_file_set_contents (doc_path, doc_text, -1, &error))
    g_error ("%s", error->message);
  doc_file = g_file_new_for_path (doc_path);

  window = tess_window_new (NULL);
  tess_window_set_remember_state (window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  samples.minutes = g_array_new (FALSE, FALSE, sizeof (double));
  samples.rss_mib = g_array_new (FALSE, FALSE, sizeof (double));
  samples.start_us = g_get_monotonic_time ();
  end_us = samples.start_us + (gint64) (seconds * G_USEC_PER_SEC);
  if (!tess_window_open_file (window, doc_file, &error))
    g_error ("%s", error->message);
  while (!all_done (window))
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > samples.start_us + 30 * G_USEC_PER_SEC)
        g_error ("the dashboard did not show all its fragments within 30 s");
    }

  /* From here on the dashboard only reruns. */
  steady_us = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  rss_start = rss_mib ();
  arena_start = mallinfo2 ();
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), &samples);
  g_signal_connect (tess_window_get_session (window), "scope-updated", G_CALLBACK (scope_updated_cb), &samples);
  if (g_getenv ("TESS_BENCH_LIVE_TRACE") != NULL)
    samples.updated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  source_id = g_timeout_add_seconds (1, sample_cb, &samples);
  while (g_get_monotonic_time () < end_us)
    g_main_context_iteration (NULL, TRUE);
  cpu_end = cpu_seconds ();
  rss_end = rss_mib ();
  g_source_remove (source_id);
  g_signal_handlers_disconnect_by_data (clock, &samples);
  g_signal_handlers_disconnect_by_data (tess_window_get_session (window), &samples);
  if (samples.updated != NULL)
    {
      GHashTableIter iter;
      gpointer path, count;

      g_hash_table_iter_init (&iter, samples.updated);
      while (g_hash_table_iter_next (&iter, &path, &count))
        g_print ("# %s: %u updates\n", (char *) path, GPOINTER_TO_UINT (count));
      g_hash_table_unref (samples.updated);
      for (guint i = 0; i < samples.minutes->len; i += 15)
        g_print ("# %.2f min: RSS %.1f MiB\n", g_array_index (samples.minutes, double, i),
                 g_array_index (samples.rss_mib, double, i));
    }
  errors = tess_dashboard_view_count_errors (tess_window_get_view (window));
  if (errors > 0)
    g_error ("%u fragments show an error at the end of the run", errors);

  steady_minutes = (end_us - steady_us) / 60e6;
  first_half = samples.minutes->len / 2;
  arena = mallinfo2 ();
  g_print ("# %.1f min, 8 fragments rerunning every 200 ms to 1 s, unchanged data; "
           "RSS %.1f MiB after the first run, %.1f MiB at the end; %.1f frames/s, %.1f updates/s; "
           "main heap %.1f MiB from the system, %.2f MiB in use (%.2f after the first run)\n",
           seconds / 60, rss_start, rss_end, samples.frames / (steady_minutes * 60),
           samples.updates / (steady_minutes * 60), arena.arena / 1048576.0, arena.uordblks / 1048576.0,
           arena_start.uordblks / 1048576.0);
  g_print ("bench: live.rss_slope_mib_min %.3f MiB/min (goal <= 0.1)\n",
           slope (samples.minutes, samples.rss_mib, first_half));
  g_print ("bench: live.cpu_percent %.1f %% (goal <= 5)\n", 100 * (cpu_end - cpu_start) / (steady_minutes * 60));

  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (samples.minutes);
  g_array_unref (samples.rss_mib);
  tess_test_dir_remove (dir);
  return 0;
}
