/* csv-arriving.c: a CSV body read while it is still arriving.
 *
 * A download hands its bytes to the reader in pieces of any size, at any
 * pace, and the reader parses chunks of the body on every core as their text
 * arrives (tess_csv_read_growing()). Whatever the pieces, the result must be
 * the one-thread reader's on the whole text: the same frame, or the same
 * error. Here a thread writes texts that make the reader's life hard (quoted
 * line breaks and delimiters across chunk ends, a column that turns to text
 * late, short rows, blank lines, CR LF ends, an error far in), read in each
 * mode (strict, lenient, strings only), in random pieces, while the body is
 * read cut in small chunks that wait for little text past their end, so
 * that chunks meet the end of what has arrived.
 */
#include "body-feeder.h"
#include "tess-csv-private.h"

#include <string.h>

/* A text of about @bytes in which every hard case comes back many times. */
static GString *
hard_text (GRand *rand, gsize bytes, gboolean lenient, gboolean late_error)
{
  GString *text = g_string_new ("id,note,amount,code,when\r\n");
  gsize row = 0;

  while (text->len < bytes)
    {
      guint shape = g_rand_int_range (rand, 0, 12);

      g_string_append_printf (text, "%" G_GSIZE_FORMAT ",", row);
      if (shape == 0)
        g_string_append (text, "\"a quoted\nline break, and \"\"quotes\"\"\"");
      else if (shape == 1)
        g_string_append (text, "\"x,y\r\nz\"");
      else
        g_string_append_printf (text, "note %u", g_rand_int (rand) % 1000);
      /* amount: an int at first, a double later, text far in */
      if (text->len > bytes * 3 / 4 && shape == 2)
        g_string_append (text, ",n/a");
      else if (text->len > bytes / 2 && shape == 3)
        g_string_append_printf (text, ",%u.5", g_rand_int (rand) % 100);
      else
        g_string_append_printf (text, ",%u", g_rand_int (rand) % 100000);
      g_string_append_printf (text, ",%s%u,2024-0%u-1%u", shape == 4 ? "0" : "", g_rand_int (rand) % 90 + 10,
                              g_rand_int (rand) % 9 + 1, g_rand_int (rand) % 9);
      if (lenient && shape == 5)
        g_string_append (text, ",extra");
      g_string_append (text, shape == 6 ? "\r\n" : "\n");
      if (shape == 7 && g_rand_int_range (rand, 0, 4) == 0)
        g_string_append_c (text, '\n');
      if (lenient && shape == 8 && g_rand_int_range (rand, 0, 4) == 0)
        g_string_append (text, "short\n");
      row++;
    }
  if (late_error)
    g_string_append (text, "1,\"never closed,3,04,2024-01-01\n2,b,3,04,2024-01-01\n");
  return text;
}

/* What the reads cut in chunks did, all rounds together: each kind of
 * work the arriving chunks can take is taken. */
static TessCsvSplit totals;

/* Reads @text through a body written by a feeder thread, and as one piece
 * on one thread: the two agree. */
static void
check_arriving (const char *text,
                gsize length,
                const TessCsvOptions *options,
                const char *const *columns,
                gsize fail_at,
                guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  TessCsvSplit whole = { .max_threads = 1, .columns = columns };
  TessCsvSplit split = {
    .max_threads = 2,
    .chunk_bytes = g_rand_int_range (rand, 2 * 1024, 48 * 1024),
    .columns = columns,
    .arriving_prefix = 64 * 1024,
    .arrival_margin = g_rand_int_range (rand, 1, 16),
  };
  BodyFeeder feeder = { tess_growing_body_new (length), text, length, fail_at, g_rand_int (rand) };
  g_autoptr (GError) expected_error = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) expected = tess_csv_read_split (text, length, options, &whole, NULL, NULL, &expected_error);
  g_autoptr (TessFrame) frame = NULL;
  GThread *thread;

  /* a chunk waits for its text and a margin past it: a slow download stops
   * a while a few bytes past that, so that the chunk's last row often runs
   * on beyond what has arrived when the chunk is parsed */
  feeder.stall = strchr (text, '\n') + 1 - text + split.chunk_bytes + split.arrival_margin;
  feeder.stall_every = split.chunk_bytes;
  thread = g_thread_new ("feeder", body_feeder_thread, &feeder);

  frame = tess_csv_read_growing_split (feeder.body, options, &split, NULL, &error);
  g_thread_join (thread);
  g_test_message ("%u chunks of %" G_GSIZE_FORMAT " bytes, %u parsed again from their start, %u to merge",
                  split.n_chunks, split.chunk_bytes, split.n_reruns, split.n_reparsed);
  totals.n_chunks += split.n_chunks;
  totals.n_reruns += split.n_reruns;
  totals.n_reparsed += split.n_reparsed;
  tess_growing_body_unref (feeder.body);
  g_rand_free (rand);
  assert_arriving_read (expected, expected_error, frame, error, fail_at != 0);
  if (frame)
    g_assert_cmpstr (tess_frame_get_warning (frame), ==, tess_frame_get_warning (expected));
}

static void
test_arriving_hard_texts (void)
{
  const char *const some[] = { "note", "when", NULL };
  const char *const amount[] = { "amount", NULL };

  for (guint round = 0; round < 24; round++)
    {
      GRand *rand = g_rand_new_with_seed (round * 7919 + 1);
      gboolean lenient = round % 2 == 1, late_error = round % 6 == 4;
      TessCsvOptions options = { .lenient = lenient, .strings_only = round % 4 == 2 };
      g_autoptr (GString) text = hard_text (rand, g_rand_int_range (rand, 100 * 1024, 600 * 1024), lenient, late_error);
      const char *const *columns = round % 3 == 0 ? NULL : round % 3 == 1 ? some : amount;

      g_test_message ("round %u: %" G_GSIZE_FORMAT " bytes%s%s%s", round, text->len, lenient ? ", lenient" : "",
                      options.strings_only ? ", strings only" : "", late_error ? ", an error far in" : "");
      check_arriving (text->str, text->len, &options, columns, 0, g_rand_int (rand));
      g_rand_free (rand);
    }
  g_assert_cmpuint (totals.n_chunks, >, 24 * 4);
  g_assert_cmpuint (totals.n_reruns, >, 0);
  g_assert_cmpuint (totals.n_reparsed, >, 0);
}

/* A download that breaks off, before the header is read or in the rows,
 * fails the read with the download's error. */
static void
test_arriving_broken_off (void)
{
  GRand *rand = g_rand_new_with_seed (42);
  g_autoptr (GString) text = hard_text (rand, 400 * 1024, FALSE, FALSE);
  const gsize cuts[] = { 1, 1000, 70 * 1024, 200 * 1024, 400 * 1024 - 1 };

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    check_arriving (text->str, text->len, NULL, NULL, cuts[i], g_rand_int (rand));
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Csv/arriving/hard-texts", test_arriving_hard_texts);
  g_test_add_func ("/Csv/arriving/broken-off", test_arriving_broken_off);
  return g_test_run ();
}
