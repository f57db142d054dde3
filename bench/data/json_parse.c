/* json_parse.c: JSON and NDJSON reading speed and peak memory.
 *
 * Generates 1M records of 10 mixed fields (two integers, two doubles, a
 * string with escapes, a boolean, a double or null, a nested object of two
 * doubles, a timestamp as a string and a category) as a JSON array and as
 * NDJSON into a temporary folder, reads each from its file on one thread,
 * and prints the best of three runs in MB/s, and the process's peak resident
 * memory (VmHWM, which counts the mapped file's pages too) over the file size
 * for the first read of the array in a fresh process. The files are deleted at
 * the end.
 */
#include "tess-frame.h"
#include "tess-json-reader.h"
#include "tess-test-dir.h"

#include <stdio.h>

#define N_RECORDS 1000000

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

/* One record, the same for both files. */
static int
format_record (char *out, gsize size, GRand *rand, guint64 i)
{
  static const char *const names[] = { "alpha",         "beta \\\"quoted\\\"", "gamma\\tdelta", "caf\\u00e9",
                                       "back\\\\slash", "plain name",          "line\\nbreak",  "omega" };
  static const char *const tags[] = { "north", "south", "east", "west", "centre" };
  char discount[32];
  gint64 seconds = G_GINT64_CONSTANT (1577836800) + (gint64) i * 37;
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (seconds);
  g_autofree char *stamp = g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");

  if (g_rand_int_range (rand, 0, 4) == 0)
    g_strlcpy (discount, "null", sizeof discount);
  else
    g_snprintf (discount, sizeof discount, "%.2f", g_rand_double_range (rand, 0, 0.5));
  return g_snprintf (out, size,
                     "{\"id\": %" G_GUINT64_FORMAT ", \"qty\": %d, \"price\": %.2f, \"ratio\": %.4f, "
                     "\"name\": \"%s %u\", \"active\": %s, \"discount\": %s, "
                     "\"geo\": {\"lat\": %.5f, \"lon\": %.5f}, \"ts\": \"%s\", \"tag\": \"%s\"}",
                     i, g_rand_int_range (rand, 1, 1000), g_rand_double_range (rand, 1, 5000), g_rand_double (rand),
                     names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))], g_rand_int_range (rand, 0, 1000),
                     g_rand_boolean (rand) ? "true" : "false", discount, g_rand_double_range (rand, -90, 90),
                     g_rand_double_range (rand, -180, 180), stamp,
                     tags[g_rand_int_range (rand, 0, G_N_ELEMENTS (tags))]);
}

/* Writes the records as an array (one per line) to @array_path and as
 * NDJSON to @ndjson_path; returns the sizes. */
static void
generate (const char *array_path, const char *ndjson_path, gsize *array_size, gsize *ndjson_size)
{
  FILE *array = fopen (array_path, "w");
  FILE *ndjson = fopen (ndjson_path, "w");
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  char record[512];

  g_assert (array != NULL && ndjson != NULL);
  *array_size = fprintf (array, "[\n");
  *ndjson_size = 0;
  for (guint64 i = 0; i < N_RECORDS; i++)
    {
      int n = format_record (record, sizeof record, rand, i);
      fwrite (record, 1, n, array);
      fwrite (record, 1, n, ndjson);
      *array_size += n + fprintf (array, "%s\n", i + 1 == N_RECORDS ? "" : ",");
      *ndjson_size += n + fprintf (ndjson, "\n");
    }
  *array_size += fprintf (array, "]\n");
  fclose (array);
  fclose (ndjson);
}

static void
check_frame (TessFrame *frame)
{
  static const struct
  {
    const char *name;
    TessColumnType type;
  } expected[] = {
    { "id", TESS_COLUMN_INT64 },        { "qty", TESS_COLUMN_INT64 },      { "price", TESS_COLUMN_DOUBLE },
    { "ratio", TESS_COLUMN_DOUBLE },    { "name", TESS_COLUMN_STRING },    { "active", TESS_COLUMN_BOOL },
    { "discount", TESS_COLUMN_DOUBLE }, { "geo.lat", TESS_COLUMN_DOUBLE }, { "geo.lon", TESS_COLUMN_DOUBLE },
    { "ts", TESS_COLUMN_TIMESTAMP },    { "tag", TESS_COLUMN_STRING },
  };

  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, N_RECORDS);
  g_assert_cmpuint (tess_frame_get_n_columns (frame), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      TessColumn *column = tess_frame_get_column (frame, i);
      g_assert_cmpstr (tess_column_get_name (column), ==, expected[i].name);
      g_assert_cmpint (tess_column_get_column_type (column), ==, expected[i].type);
    }
}

/* The best of three reads of @path, in MB/s; @peak gets the process's peak
 * memory after the first. */
static double
best_speed (const char *path, gsize size, TessJsonLayout layout, gsize *peak, gsize *frame_bytes)
{
  double best = 0;

  for (int run = 0; run < 3; run++)
    {
      g_autoptr (GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (TessFrame) frame = tess_json_read_file (path, layout, NULL, &error);
      double seconds = (g_get_monotonic_time () - t0) / 1e6;

      if (frame == NULL)
        g_error ("%s", error->message);
      if (run == 0)
        {
          if (peak)
            *peak = vm_hwm_bytes ();
          *frame_bytes = tess_frame_get_bytes (frame);
          check_frame (frame);
        }
      best = MAX (best, size / 1e6 / seconds);
    }
  return best;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = tess_test_dir_new ("tess-bench-json-XXXXXX");
  g_autofree char *array_path = g_build_filename (dir, "bench.json", NULL);
  g_autofree char *ndjson_path = g_build_filename (dir, "bench.ndjson", NULL);
  gsize array_size, ndjson_size;
  gsize peak = 0, frame_bytes = 0;
  double array_speed, ndjson_speed;

  generate (array_path, ndjson_path, &array_size, &ndjson_size);
  /* the array first: the peak is that of a fresh process's first read */
  array_speed = best_speed (array_path, array_size, TESS_JSON_AUTO, &peak, &frame_bytes);
  ndjson_speed = best_speed (ndjson_path, ndjson_size, TESS_JSON_AUTO, NULL, &frame_bytes);
  g_printerr ("%" G_GSIZE_FORMAT " bytes of JSON, %" G_GSIZE_FORMAT " of NDJSON, %d records, frame of %" G_GSIZE_FORMAT
              " bytes, peak %" G_GSIZE_FORMAT " bytes\n",
              array_size, ndjson_size, N_RECORDS, frame_bytes, peak);
  printf ("bench: data.json_mb_s %.0f MB/s (goal >= 400)\n", array_speed);
  printf ("bench: data.ndjson_mb_s %.0f MB/s (goal >= 400)\n", ndjson_speed);
  printf ("bench: data.json_peak_ratio %.2f x (goal <= 1.5)\n", (double) peak / array_size);
  tess_test_dir_remove (dir);
  return 0;
}
