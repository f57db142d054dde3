/* auto_dashboard.c: the automatic dashboard of a generated 1 M-row,
 * 20-column CSV (integers, decimals, dates and short strings), from the
 * session's start until every fragment has finished. */
#include "tess-auto-dashboard.h"
#include "tess-cache.h"
#include "tess-session.h"
#include "tess-test-dir.h"

#include <stdio.h>

#define N_ROWS 1000000

static void
on_idle (TessSession *session, GMainLoop *loop)
{
  g_main_loop_quit (loop);
}

static void
write_csv (const char *path)
{
  static const char *const words[] = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel" };
  FILE *out = fopen (path, "w");
  guint32 state = 12345;

  g_assert (out != NULL);
  fputs ("i1,i2,i3,i4,i5,i6,d1,d2,d3,d4,d5,d6,t1,t2,t3,s1,s2,s3,s4,s5\n", out);
  for (int r = 0; r < N_ROWS; r++)
    {
      state = state * 1103515245 + 12345;
      guint32 x = state >> 8;
      fprintf (out, "%d,%u,%d,%u,%d,%u,%.3f,%.2f,%.1f,%.4f,%.2f,%.3f,", r, x % 1000, (int) (x % 97) - 40, x % 13,
               r % 365, x % 100000, (x % 10000) / 7.0, (x % 3333) / 3.0, (x % 999) / 10.0, (x % 50000) / 9999.0,
               (r % 1000) / 4.0, (x % 777) / 11.0);
      fprintf (out, "20%02d-%02d-%02d,2023-%02d-%02d,2024-01-%02d,", 10 + x % 14, 1 + x % 12, 1 + x % 28, 1 + r % 12,
               1 + r % 28, 1 + x % 28);
      fprintf (out, "%s,%s,%s%u,%c,%s\n", words[x % 8], words[(x >> 3) % 8], "id", x % 500, 'A' + (char) (x % 26),
               words[r % 8]);
    }
  fclose (out);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-bench-XXXXXX");
  g_autofree char *csv = g_build_filename (dir, "million.csv", NULL);
  double best = G_MAXDOUBLE;

  write_csv (csv);
  for (int round = 0; round < 3; round++)
    {
      g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      g_autoptr (TessAutoDashboard) dashboard = tess_auto_dashboard_new (csv);
      g_autoptr (TessSession) session = NULL;
      gint64 start;
      double seconds;

      tess_cache_clear (); /* the load is part of what is measured */
      session = tess_session_new (tess_auto_dashboard_run, dashboard, NULL);
      g_signal_connect (session, "idle", G_CALLBACK (on_idle), loop);
      start = g_get_monotonic_time ();
      tess_session_start (session);
      g_main_loop_run (loop);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      best = MIN (best, seconds);

      g_autoptr (GPtrArray) timeline = tess_session_get_timeline (session);
      for (guint i = 0; i < timeline->len; i++)
        if (((TessRunRecord *) g_ptr_array_index (timeline, i))->status != TESS_RUN_OK)
          {
            g_printerr ("fragment %s failed\n", ((TessRunRecord *) g_ptr_array_index (timeline, i))->fragment);
            return 1;
          }
      /* overview + 20 columns + table + the dashboard itself */
      if (timeline->len != 23)
        {
          g_printerr ("expected 23 runs, found %u\n", timeline->len);
          return 1;
        }
      tess_session_close (session);
    }
  printf ("bench: documents.auto_dashboard_s %.2f s (goal <= 1.5)\n", best);
  tess_cache_clear ();
  tess_test_dir_remove (dir);
  return 0;
}
