/* json-arriving.c: a JSON body read while it is still arriving.
 *
 * A download hands its bytes to the reader in pieces of any size, at any
 * pace, and the reader reads each record once the text a window past it has
 * arrived (tess_json_read_growing()). Whatever the pieces and the window,
 * the result must be the reader's on the whole text: the same frame, or the
 * same error. Here a thread writes texts that make that hard (records longer
 * than the window, strings with escapes, nested objects and arrays, columns
 * that turn to double or to text late, a date column that turns to text and
 * makes the read start over, blank lines and CR LF in NDJSON, a byte order
 * mark, errors far in and after the end), in every layout, in random pieces,
 * read through windows of a few bytes to a few KiB, into bodies whose length
 * is known from the start or only at their end (a compressed or chunked
 * answer).
 */
#include "body-feeder.h"
#include "tess-json-reader-private.h"

#include <string.h>

typedef enum
{
  SHAPE_ARRAY,
  SHAPE_NDJSON,
  SHAPE_VALUES,
  SHAPE_COLUMNS,
  N_SHAPES
} Shape;

typedef enum
{
  BREAK_NONE,
  BREAK_RECORD,   /* a record far in is not JSON */
  BREAK_TRAILING, /* text after the document */
  BREAK_CUT,      /* the text ends inside a record */
  N_BREAKS
} Break;

static void
append_record (GString *text, GRand *rand, gsize row, gsize bytes, gboolean ndjson, gboolean long_notes)
{
  const char *space = ndjson ? " " : g_rand_int_range (rand, 0, 6) == 0 ? "\n  " : " ";
  guint shape = g_rand_int_range (rand, 0, 16);

  g_string_append_printf (text, "{\"id\":%s%" G_GSIZE_FORMAT, space, row);
  /* amount: an int at first, a double past half way, text far in (it turns
   * in place: its ints write back as they were read) */
  if (text->len > bytes * 3 / 4 && shape == 2)
    g_string_append (text, ", \"amount\": \"n/a\"");
  else if (text->len > bytes / 2 && shape == 3)
    g_string_append_printf (text, ", \"amount\": %u.25", g_rand_int (rand) % 100);
  else if (shape != 4) /* a missing key is a null */
    g_string_append_printf (text, ", \"amount\": %d", g_rand_int_range (rand, -50000, 50000));
  /* day: dates, and far in a word: the read starts over with it as text */
  if (text->len > bytes * 2 / 3 && shape == 5)
    g_string_append (text, ", \"day\": \"someday\"");
  else
    g_string_append_printf (text, ",%s\"day\": \"2024-0%u-1%u\"", space, g_rand_int (rand) % 9 + 1,
                            g_rand_int (rand) % 9);
  if (shape == 6)
    {
      /* a note longer than most windows */
      guint n = long_notes ? g_rand_int_range (rand, 200, 6000) : g_rand_int_range (rand, 1, 40);
      g_string_append (text, ", \"note\": \"");
      for (guint i = 0; i < n; i++)
        g_string_append_c (text, 'a' + i % 26);
      g_string_append (text, "\"");
    }
  else if (shape == 7)
    g_string_append (text, ", \"note\": \"quotes \\\" and \\\\ and \\n and \\u00e9 and \\ud83d\\ude00\"");
  else
    g_string_append_printf (text, ", \"note\": \"note %u\"", g_rand_int (rand) % 1000);
  if (shape == 8)
    g_string_append (text, ", \"tags\": [1, \"two\", {\"three\": [3.5e0, null]}]");
  g_string_append_printf (text, ", \"address\":%s{\"city\": \"%s\", \"zip\": %u}", space,
                          shape == 9 ? "Lima, PE" : "Oslo", g_rand_int (rand) % 9000 + 1000);
  if (shape == 10)
    g_string_append_printf (text, ", \"flag\": %s", g_rand_boolean (rand) ? "true" : "false");
  if (shape == 11 && row % 5 == 0)
    g_string_append_printf (text, ", \"extra%" G_GSIZE_FORMAT "\": 1", row % 7);
  g_string_append (text, "}");
}

/* A text of about @bytes of @shape, broken as @brk says; @long_notes: some
 * records longer than most windows. */
static GString *
hard_text (GRand *rand, Shape shape, gsize bytes, Break brk, gboolean bom, gboolean long_notes)
{
  GString *text = g_string_new (bom ? "\xEF\xBB\xBF" : "");
  gsize row = 0;

  if (shape == SHAPE_COLUMNS)
    {
      /* an object of columns: read once it has all arrived */
      g_string_append (text, "{\"id\": [");
      for (row = 0; text->len < bytes / 2; row++)
        g_string_append_printf (text, "%s%" G_GSIZE_FORMAT, row ? ", " : "", row);
      g_string_append (text, "],\n \"name\": [");
      for (gsize i = 0; i < row; i++)
        g_string_append_printf (text, "%s\"n%u\"", i ? ", " : "", g_rand_int (rand) % 100);
      g_string_append (text, "]}");
    }
  else if (shape == SHAPE_VALUES)
    {
      g_string_append (text, "[");
      for (row = 0; text->len < bytes; row++)
        {
          guint kind = g_rand_int_range (rand, 0, 5);
          g_string_append (text, row ? ", " : "");
          if (kind == 0)
            g_string_append (text, "null");
          else if (kind == 1 && text->len > bytes / 2)
            g_string_append_printf (text, "%u.5", g_rand_int (rand) % 1000);
          else if (kind == 2 && text->len > bytes * 3 / 4)
            g_string_append (text, "\"text\"");
          else
            g_string_append_printf (text, "%d", g_rand_int_range (rand, -1000000, 1000000));
        }
      g_string_append (text, "]");
    }
  else
    {
      gboolean ndjson = shape == SHAPE_NDJSON;
      g_string_append (text, ndjson ? "" : "[\n");
      for (row = 0; text->len < bytes; row++)
        {
          if (brk == BREAK_RECORD && text->len > bytes * 5 / 6)
            {
              g_string_append (text, ndjson ? "{\"id\": 1, \"amount\": }\n" : "{\"id\": 1, \"amount\": },\n");
              brk = BREAK_NONE;
            }
          append_record (text, rand, row, bytes, ndjson, long_notes);
          if (ndjson)
            g_string_append (text, g_rand_int_range (rand, 0, 8) == 0   ? "\r\n"
                                   : g_rand_int_range (rand, 0, 8) == 0 ? "\n\n"
                                                                        : "\n");
          else if (text->len < bytes)
            g_string_append (text, g_rand_int_range (rand, 0, 4) == 0 ? ",\n" : ",");
        }
      g_string_append (text, ndjson ? "" : "\n]\n");
    }
  if (brk == BREAK_TRAILING)
    g_string_append (text, shape == SHAPE_NDJSON ? "[1]\n" : " x");
  else if (brk == BREAK_CUT && shape != SHAPE_NDJSON)
    g_string_truncate (text, text->len - g_rand_int_range (rand, 2, 40));
  else if (brk == BREAK_CUT)
    g_string_append (text, "{\"id\": 1, \"note\": \"never closed}\n");
  return text;
}

/* Reads @text through a body written by a feeder thread, through a window of
 * @window bytes, and whole: the two agree. @open: the body's length is not
 * known until it has all arrived. */
static void
check_arriving (const char *text,
                gsize length,
                TessJsonLayout layout,
                const char *const *columns,
                gsize window,
                gboolean open,
                gsize fail_at,
                guint32 seed)
{
  BodyFeeder feeder = {
    open ? tess_growing_body_new_open (length + seed % 100000) : tess_growing_body_new (length),
    text,
    length,
    fail_at,
    seed,
  };
  g_autoptr (GError) expected_error = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) expected = tess_json_read_columns (text, length, layout, columns, NULL, &expected_error);
  g_autoptr (TessFrame) frame = NULL;
  GThread *thread;

  /* a slow download stops a while just past a window from the start */
  feeder.stall = window + 1;
  feeder.stall_every = window;
  thread = g_thread_new ("feeder", body_feeder_thread, &feeder);
  frame = tess_json_read_growing (feeder.body, layout, columns, window, NULL, &error);
  g_thread_join (thread);
  tess_growing_body_unref (feeder.body);
  assert_arriving_read (expected, expected_error, frame, error, fail_at != 0);
}

static void
test_arriving_hard_texts (void)
{
  const char *const some[] = { "amount", "address.city", "day", NULL };
  static const TessJsonLayout layouts[] = { TESS_JSON_AUTO, TESS_JSON_DOCUMENT, TESS_JSON_ARRAY_STREAM };

  for (guint round = 0; round < 64; round++)
    {
      GRand *rand = g_rand_new_with_seed (round * 7919 + 3);
      Shape shape = round % N_SHAPES;
      Break brk = round / N_SHAPES % N_BREAKS;
      gboolean bom = round % 7 == 3, long_notes = round / 16 % 2 == 1;
      gsize window =
          g_rand_int_range (rand, 0, 3) == 0 ? g_rand_int_range (rand, 16, 64) : g_rand_int_range (rand, 64, 16 * 1024);
      g_autoptr (GString) text =
          hard_text (rand, shape, g_rand_int_range (rand, 20 * 1024, 300 * 1024), brk, bom, long_notes);
      TessJsonLayout layout = shape == SHAPE_NDJSON && round % 3 == 1 ? TESS_JSON_NDJSON
                              : shape == SHAPE_NDJSON                 ? TESS_JSON_AUTO
                                                                      : layouts[round % 3];

      gboolean open = round / 32 % 2 == 1;

      g_test_message ("round %u: shape %d, break %d%s%s, %" G_GSIZE_FORMAT " bytes, window %" G_GSIZE_FORMAT, round,
                      shape, brk, long_notes ? ", long notes" : "", open ? ", length unknown" : "", text->len, window);
      check_arriving (text->str, text->len, layout, round % 2 ? some : NULL, window, open, 0, g_rand_int (rand));
      g_rand_free (rand);
    }
}

/* The first record is longer than the window: what the text is (NDJSON or
 * an array) is known only once more of it has arrived. */
static void
test_arriving_long_first_record (void)
{
  for (Shape shape = SHAPE_ARRAY; shape <= SHAPE_NDJSON; shape++)
    {
      GRand *rand = g_rand_new_with_seed (shape + 17);
      g_autoptr (GString) text = g_string_new (shape == SHAPE_NDJSON ? "" : "[");

      g_string_append (text, "{\"first\": \"");
      for (guint i = 0; i < 50000; i++)
        g_string_append_c (text, 'a' + i % 26);
      g_string_append (text, "\"}");
      for (gsize row = 0; row < 2000; row++)
        {
          g_string_append (text, shape == SHAPE_NDJSON ? "\n" : ",");
          append_record (text, rand, row, 200000, shape == SHAPE_NDJSON, FALSE);
        }
      g_string_append (text, shape == SHAPE_NDJSON ? "\n" : "]");
      for (gsize window = 16; window <= 64 * 1024; window *= 8)
        for (int open = 0; open <= 1; open++)
          check_arriving (text->str, text->len, TESS_JSON_AUTO, NULL, window, open, 0, g_rand_int (rand));
      g_rand_free (rand);
    }
}

/* A download that breaks off, at the start or in the records, fails the
 * read with the download's error. */
static void
test_arriving_broken_off (void)
{
  GRand *rand = g_rand_new_with_seed (42);

  for (Shape shape = SHAPE_ARRAY; shape < N_SHAPES; shape++)
    {
      g_autoptr (GString) text = hard_text (rand, shape, 200 * 1024, BREAK_NONE, FALSE, FALSE);
      const gsize cuts[] = { 1, 1000, text->len / 2, text->len - 1 };

      for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
        check_arriving (text->str, text->len, TESS_JSON_AUTO, NULL, 4096, i % 2, cuts[i], g_rand_int (rand));
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Json/arriving/hard-texts", test_arriving_hard_texts);
  g_test_add_func ("/Json/arriving/long-first-record", test_arriving_long_first_record);
  g_test_add_func ("/Json/arriving/broken-off", test_arriving_broken_off);
  return g_test_run ();
}
