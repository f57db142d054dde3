/* http_revalidate.c: loading again a downloaded 80 MB CSV that has not
 * changed, from a SoupServer on 127.0.0.1 that answers 304 to a request
 * naming the ETag it last sent.
 *
 * http.revalidate_ms: wall time of a second tess_source_load() after
 * tess_cache_clear() once no one holds the first frame (a new process, or the
 * frame was let go): the request with the validator, the 304, the body mapped
 * from the disk cache, and the parse. Best of three.
 * http.revalidate_shown_ms: the same while the first frame is still held, as
 * when a dashboard showing it reloads or its TTL runs out: the request, the
 * 304, and the frame of the same answer taken again. Best of three.
 * http.revalidate_body_bytes: bytes of body the server sent for those loads
 * (must be 0).
 * On stderr: the first load, every second load, and where a second load's
 * time goes: the request with the body mapped (tess_source_fetch() of the same
 * URL, which takes the same path) and the parse of that body.
 */
#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-json-reader.h"
#include "tess-cache.h"
#include "tess-source.h"
#include "tess-transform.h"
#include "tess-test-dir.h"
#include "tess-test-server.h"

#include <libsoup/soup.h>
#include <stdio.h>

#define TARGET_BYTES (80 * 1000 * 1000)
#define ETAG "\"csv-80mb-1\""

static TessTestServer *server;
static GBytes *body;
static gint body_bytes;   /* of every 200 answer, as written */
static gint not_modified; /* 304 answers */

static void
on_wrote_body_data (SoupServerMessage *msg, guint chunk_size, gpointer data)
{
  g_atomic_int_add (&body_bytes, (gint) chunk_size);
}

/* Runs on the server's thread. */
static void
handler (SoupServer *soup_server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  const char *if_none_match =
      soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", ETAG);
  if (g_strcmp0 (if_none_match, ETAG) == 0)
    {
      g_atomic_int_inc (&not_modified);
      soup_server_message_set_status (msg, 304, NULL);
      return;
    }
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), NULL);
  soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_STATIC, g_bytes_get_data (body, NULL),
                                    g_bytes_get_size (body));
  soup_server_message_set_status (msg, 200, NULL);
}

/* About 80 MB of CSV: ints, doubles, ISO dates and short strings. */
static GBytes *
make_csv (gsize *n_rows)
{
  static const char *const names[] = { "north", "south", "east", "west", "centre" };
  GString *text = g_string_sized_new (TARGET_BYTES + 256);
  gsize rows = 0;

  g_string_append (text, "id,qty,price,ratio,day,region,tag\n");
  while (text->len < TARGET_BYTES)
    {
      g_string_append_printf (text, "%" G_GSIZE_FORMAT ",%u,%u.%02u,0.%04u,2024-%02u-%02u,%s,t%u\n", rows,
                              (guint) (rows * 7 % 1000), (guint) (rows * 13 % 100000), (guint) (rows % 100),
                              (guint) (rows * 31 % 10000), (guint) (rows % 12 + 1), (guint) (rows % 28 + 1),
                              names[rows % G_N_ELEMENTS (names)], (guint) (rows % 977));
      rows++;
    }
  *n_rows = rows;
  return g_string_free_to_bytes (text);
}

static double
ms_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static TessFrame *
load (const char *url)
{
  g_autoptr (GError) error = NULL;
  TessFrame *frame = tess_source_load (url, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return frame;
}

int
main (int argc, char **argv)
{
  g_autofree char *cache_dir = tess_test_dir_new ("tess-bench-revalidate-XXXXXX");
  g_autofree char *url = NULL;
  gsize n_rows;
  double best = G_MAXDOUBLE;
  double best_cold = G_MAXDOUBLE;
  TessFrame *shown;
  gint body_bytes_before;
  gint64 t0;

  /* the disk cache goes to a fresh folder, removed at the end */
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  body = make_csv (&n_rows);
  server = tess_test_server_new_threaded (handler, NULL);
  url = tess_test_server_get_url (server, "/data.csv");

  t0 = g_get_monotonic_time ();
  shown = load (url);
  g_printerr ("first load (200, %.1f MB): %.0f ms\n", g_bytes_get_size (body) / 1e6, ms_since (t0));
  g_assert_cmpuint (tess_frame_get_n_rows (shown), ==, n_rows);
  g_assert_cmpint (g_atomic_int_get (&body_bytes), ==, g_bytes_get_size (body));

  body_bytes_before = g_atomic_int_get (&body_bytes);
  for (int round = 0; round < 3; round++)
    {
      g_autoptr (TessFrame) frame = NULL;
      double ms;

      tess_cache_clear ();
      t0 = g_get_monotonic_time ();
      frame = load (url);
      ms = ms_since (t0);
      g_assert_true (frame == shown);
      g_printerr ("second load (304) while the first frame is shown: %.1f ms\n", ms);
      best = MIN (best, ms);
    }
  tess_frame_unref (shown);
  for (int round = 0; round < 3; round++)
    {
      g_autoptr (TessFrame) frame = NULL;
      double ms;

      tess_cache_clear ();
      t0 = g_get_monotonic_time ();
      frame = load (url);
      ms = ms_since (t0);
      g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, n_rows);
      g_printerr ("second load (304) with nothing in memory: %.0f ms\n", ms);
      best_cold = MIN (best_cold, ms);
    }
  g_assert_cmpint (g_atomic_int_get (&not_modified), ==, 6);

  {
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GBytes) copy = NULL;
    g_autoptr (TessFrame) frame = NULL;
    g_autoptr (TessFrame) from_copy = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *content_type = NULL;
    double request_ms;
    double parse_ms;

    tess_cache_clear ();
    t0 = g_get_monotonic_time ();
    bytes = tess_source_fetch (url, NULL, NULL, NULL, NULL, &content_type, &error);
    g_assert_no_error (error);
    request_ms = ms_since (t0);
    t0 = g_get_monotonic_time ();
    frame = tess_source_parse (bytes, content_type, url, NULL, NULL, &error);
    g_assert_no_error (error);
    parse_ms = ms_since (t0);
    /* the same parse from ordinary memory: what reading through the mapping costs */
    copy = g_bytes_new (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    t0 = g_get_monotonic_time ();
    from_copy = tess_source_parse (copy, content_type, url, NULL, NULL, &error);
    g_assert_no_error (error);
    g_printerr ("where a second load's time goes: request, 304 and mapping %.1f ms; parse of the mapped body %.0f ms "
                "(of a copy in memory %.0f ms)\n",
                request_ms, parse_ms, ms_since (t0));
  }

  printf ("bench: http.revalidate_ms %.0f ms (goal <= 150; nothing in memory: the 304 and the parse of 80 MB)\n",
          best_cold);
  printf ("bench: http.revalidate_shown_ms %.1f ms (the first frame still shown: the 304 and that frame again)\n",
          best);
  printf ("bench: http.revalidate_body_bytes %d bytes (goal == 0)\n",
          g_atomic_int_get (&body_bytes) - body_bytes_before);
  g_clear_pointer (&server, tess_test_server_free);
  g_bytes_unref (body);
  tess_test_dir_remove (cache_dir);
  return 0;
}
