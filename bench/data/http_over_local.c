/* http_over_local.c: what loading a CSV from a server costs over loading the
 * same file from the disk.
 *
 * data.http_over_local: the time to load a 1 M-row, 10-column CSV (about
 * 100 MB) from a SoupServer on 127.0.0.1, over the time to load it from a
 * local file; best of five each, nothing cached (the frame cache is cleared
 * before each load, and the server sends no validators, so every remote load
 * downloads the whole body). The server runs on a thread of this process:
 * on a machine of two cores it takes CPU from the load, as a real server
 * would not. Also prints the time to download the body alone (fetched, not
 * parsed), and the CPU time each load takes: on a machine whose cores are
 * all busy, the wall time follows the CPU time, and the download's CPU
 * (the server's and the client's) adds to the parse's whatever overlaps.
 */
#include "tess-cache.h"
#include "tess-frame.h"
#include "tess-source.h"
#include "tess-test-dir.h"
#include "tess-test-server.h"

#include <libsoup/soup.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>

#define ROWS 1000000
#define RUNS 5

static GBytes *body;

/* The mixed table of bench/data/groupby_e2e.c, @rows rows. */
static GString *
generate (guint rows)
{
  static const char *const last[] = { "Smith", "Garcia", "Nakamura", "Okafor", "Larsen", "Dubois", "Rossi", "Kim" };
  static const char *const cities[] = { "Oslo, NO", "Lima, PE", "Pune, IN", "Cork, IE", "Kyoto, JP", "Porto, PT" };
  static const char *const categories[] = { "books", "games", "tools", "garden", "food", "music", "toys" };
  GString *text = g_string_new ("id,qty,code,price,ratio,created,shipped,customer,city,category\n");
  GRand *rand = g_rand_new_with_seed (13);

  for (guint64 i = 0; i < rows; i++)
    {
      gint64 created = (gint64) i * 3 + g_rand_int_range (rand, 0, 3);
      gint64 shipped = created + g_rand_int_range (rand, 3600, 7 * 86400);
      gint64 cd = created / 86400, sd = shipped / 86400;

      g_string_append_printf (
          text,
          "%" G_GUINT64_FORMAT ",%d,%d,%.2f,%.4f,%04d-%02d-%02dT%02d:%02d:%02dZ,%04d-%02d-%02d %02d:%02d:%02d,"
          "\"%s, %c.\",\"%s\",%s\n",
          i, g_rand_int_range (rand, 1, 1000), g_rand_int_range (rand, -50000, 50000),
          g_rand_double_range (rand, 1, 5000), g_rand_double (rand), (int) (2024 + cd / 336), (int) (cd / 28 % 12 + 1),
          (int) (cd % 28 + 1), (int) (created / 3600 % 24), (int) (created / 60 % 60), (int) (created % 60),
          (int) (2024 + sd / 336), (int) (sd / 28 % 12 + 1), (int) (sd % 28 + 1), (int) (shipped / 3600 % 24),
          (int) (shipped / 60 % 60), (int) (shipped % 60), last[g_rand_int_range (rand, 0, 8)],
          'A' + g_rand_int_range (rand, 0, 26), cities[g_rand_int_range (rand, 0, 6)],
          categories[g_rand_int_range (rand, 0, 7)]);
    }
  g_rand_free (rand);
  return text;
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_set_content_type (headers, "text/csv", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

/* CPU seconds this process has used, every thread (the server's too). */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* Best of RUNS: seconds to load @uri (or, with @fetch_only, to fetch it). */
static double
best_seconds (const char *uri, gboolean fetch_only, gsize *n_rows)
{
  double best = G_MAXDOUBLE;

  for (int run = 0; run < RUNS; run++)
    {
      g_autoptr (GError) error = NULL;
      gint64 t0;
      double seconds;

      tess_cache_clear ();
      t0 = g_get_monotonic_time ();
      if (fetch_only)
        {
          g_autoptr (GBytes) bytes = tess_source_fetch (uri, NULL, NULL, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (g_bytes_get_size (bytes), ==, g_bytes_get_size (body));
        }
      else
        {
          g_autoptr (TessFrame) frame = tess_source_load (uri, NULL, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          *n_rows = tess_frame_get_n_rows (frame);
        }
      seconds = (g_get_monotonic_time () - t0) / 1e6;
      best = MIN (best, seconds);
    }
  return best;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = tess_test_dir_new ("tess-bench-http-local-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "mixed.csv", NULL);
  g_autofree char *url = NULL;
  g_autoptr (TessTestServer) server = NULL;
  GString *text = generate (ROWS);
  gsize local_rows = 0, remote_rows = 0;
  double local, remote, fetch, local_cpu, remote_cpu;

  g_setenv ("XDG_CACHE_HOME", dir, TRUE);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  body = g_string_free_to_bytes (text);
  server = tess_test_server_new_threaded (handler, NULL);
  url = tess_test_server_get_url (server, "/mixed.csv");

  local_cpu = cpu_seconds ();
  local = best_seconds (path, FALSE, &local_rows);
  local_cpu = (cpu_seconds () - local_cpu) / RUNS;
  remote_cpu = cpu_seconds ();
  remote = best_seconds (url, FALSE, &remote_rows);
  remote_cpu = (cpu_seconds () - remote_cpu) / RUNS;
  fetch = best_seconds (url, TRUE, NULL);
  g_assert_cmpuint (local_rows, ==, ROWS);
  g_assert_cmpuint (remote_rows, ==, ROWS);
  printf ("bench: data.http_over_local %.2f x (goal <= 1.1) [%.0f MB; local %.3f s, remote %.3f s, download alone "
          "%.3f s; CPU per load: local %.3f s, remote %.3f s, server included]\n",
          remote / local, g_bytes_get_size (body) / 1e6, local, remote, fetch, local_cpu, remote_cpu);
  g_clear_pointer (&server, tess_test_server_free);
  g_bytes_unref (body);
  tess_test_dir_remove (dir);
  return 0;
}
