/* csv_parse.c: CSV parsing speed and peak memory.
 *
 * Generates a 200 MB CSV (10 columns: 3 of ints, 3 of doubles, 2 of ISO dates,
 * 2 of short strings) into a temporary folder, parses it with type inference on
 * one thread, and prints the best of three runs in MB/s and the process's peak
 * resident memory (VmHWM, which counts the mapped file pages too) over the
 * file size. The file is deleted at the end.
 */
#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-json-reader.h"
#include "tess-cache.h"
#include "tess-source.h"
#include "tess-transform.h"
#include "tess-test-dir.h"

#include <stdio.h>

#define TARGET_BYTES (200 * 1000 * 1000)

static gsize
vm_hwm_bytes (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line ? g_ascii_strtoull (line + 6, NULL, 10) * 1024 : 0;
}

static gsize
generate (const char *path)
{
  static const char *const words[] = { "alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta" };
  FILE *file = fopen (path, "w");
  char line[256];
  gsize total = 0;
  GRand *rand = g_rand_new_with_seed (42);
  static char dates[3030][11];

  for (int k = 0; k < 3030; k++)
    {
      g_autoptr (GDate) date = g_date_new_dmy (1, G_DATE_JANUARY, 2016);
      g_date_add_days (date, k);
      g_date_strftime (dates[k], sizeof dates[k], "%Y-%m-%d", date);
    }

  g_assert (file != NULL);
  total += fprintf (file, "id,qty,code,price,ratio,score,day,ship,name,tag\n");
  for (guint64 i = 0; total < TARGET_BYTES; i++)
    {
      guint d1 = i % 3000, d2 = d1 + g_rand_int_range (rand, 0, 30);
      int n;

      n = g_snprintf (line, sizeof line, "%" G_GUINT64_FORMAT ",%d,%d,%.2f,%.4f,%.3f,%s,%s,%s,%c%c%d\n", i,
                      g_rand_int_range (rand, 1, 1000), g_rand_int_range (rand, -50000, 50000),
                      g_rand_double_range (rand, 1, 5000), g_rand_double (rand), g_rand_double_range (rand, -100, 100),
                      dates[d1], dates[d2], words[g_rand_int_range (rand, 0, 8)], 'A' + g_rand_int_range (rand, 0, 26),
                      'A' + g_rand_int_range (rand, 0, 26), g_rand_int_range (rand, 0, 100));
      fwrite (line, 1, n, file);
      total += n;
    }
  fclose (file);
  g_rand_free (rand);
  return total;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = tess_test_dir_new ("tess-bench-csv-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "bench.csv", NULL);
  gsize size = generate (path);
  double best = 0;
  gsize rows = 0;
  gsize peak = 0, frame_bytes = 0;

  for (int run = 0; run < 3; run++)
    {
      g_autoptr (GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (TessFrame) frame = tess_csv_read_file (path, NULL, NULL, NULL, &error);
      double seconds = (g_get_monotonic_time () - t0) / 1e6;

      if (frame == NULL)
        g_error ("%s", error->message);
      rows = tess_frame_get_n_rows (frame);
      /* peak of a fresh process's first parse; later runs only time */
      if (run == 0)
        {
          peak = vm_hwm_bytes ();
          frame_bytes = tess_frame_get_bytes (frame);
        }
      best = MAX (best, size / 1e6 / seconds);
      g_assert_cmpint (tess_column_get_column_type (tess_frame_get_column_by_name (frame, "day")), ==,
                       TESS_COLUMN_DATE);
      g_assert_cmpint (tess_column_get_column_type (tess_frame_get_column_by_name (frame, "price")), ==,
                       TESS_COLUMN_DOUBLE);
    }
  g_printerr ("%" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT " rows, frame of %" G_GSIZE_FORMAT " bytes\n", size, rows,
              frame_bytes);
  printf ("bench: data.csv_mb_s %.0f MB/s (goal >= 400)\n", best);
  printf ("bench: data.csv_peak_ratio %.2f x (goal <= 1.5)\n", (double) peak / size);
  tess_test_dir_remove (dir);
  return 0;
}
