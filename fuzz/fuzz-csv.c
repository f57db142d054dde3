/* fuzz-csv.c: libFuzzer target for the CSV reader. The last byte of the input
 * picks the options, so every dialect and mode is explored; each frame that
 * comes back is read in full. Then the input is read again cut in chunks
 * (their size also picked by the input), on one thread or two, and the two
 * reads must agree: the same table value for value, or the same error.
 * Last, some of its columns (which, the first byte picks) are read, cut in
 * chunks too: when the full read succeeded, they must be its columns. */
#include "frame-compare.h"
#include "fuzz-columns.h"
#include "tess-csv.h"
#include "tess-csv-private.h"
#include "tess-transform.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* a critical is a bug, as much as a crash */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

/* The same table, and the same warning. */
static void
assert_same_read (TessFrame *expected, TessFrame *actual)
{
  assert_same_frame (expected, actual);
  g_assert (g_strcmp0 (tess_frame_get_warning (expected), tess_frame_get_warning (actual)) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char delimiters[] = { 0, ',', ';', '\t' };
  TessCsvOptions options = { 0 };
  TessCsvSplit split = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) split_error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  g_autoptr (TessFrame) split_frame = NULL;
  guint8 flags = size ? data[size - 1] : 0;

  options.delimiter = delimiters[flags & 3];
  options.header = (flags >> 2) % 3;
  options.lenient = (flags >> 4) & 1;
  options.strings_only = (flags >> 5) & 1;
  frame = tess_csv_read ((const char *) data, size, &options, NULL, NULL, &error);
  g_assert ((frame == NULL) != (error == NULL));
  if (frame)
    for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
      {
        TessColumn *column = tess_frame_get_column (frame, c);
        g_assert (g_utf8_validate (tess_column_get_name (column), -1, NULL));
        for (gsize r = 0; r < tess_frame_get_n_rows (frame); r++)
          {
            g_autofree char *value = tess_column_format_value (column, r);
            if (tess_column_get_column_type (column) == TESS_COLUMN_STRING && options.lenient)
              g_assert (g_utf8_validate (value, -1, NULL));
          }
      }
  else
    g_assert (error->message && *error->message);

  /* the same input in chunks of 1 to 48 bytes, and at most about 40 of them */
  split.chunk_bytes = 1 + (flags * 31u + size) % (size < 64 ? 8 : 48) + size / 40;
  split.max_threads = 1 + (size & 1);
  split_frame = tess_csv_read_split ((const char *) data, size, &options, &split, NULL, NULL, &split_error);
  if (frame)
    assert_same_read (frame, split_frame);
  else
    {
      g_assert (split_frame == NULL);
      g_assert (strcmp (error->message, split_error->message) == 0);
    }

  /* some columns: those the bits of the first byte pick, or, with no frame
   * to name them, made-up names */
  {
    static const char *const made_up[] = { "column1", "column2", "column3", NULL };
    g_autoptr (GPtrArray) wanted = fuzz_pick_columns (size ? data[0] : 0, frame, made_up);
    g_autoptr (GError) partial_error = NULL;
    g_autoptr (TessFrame) partial = NULL;

    split.columns = (const char *const *) wanted->pdata;
    partial = tess_csv_read_split ((const char *) data, size, &options, &split, NULL, NULL, &partial_error);
    g_assert ((partial == NULL) != (partial_error == NULL));
    if (frame)
      {
        g_autoptr (TessFrame) expected = tess_frame_select (frame, split.columns, NULL);

        /* a selection keeps no warning; the partial read warns as the full */
        tess_frame_set_warning (expected, tess_frame_get_warning (frame));
        g_assert (partial != NULL);
        assert_same_read (expected, partial);
      }
  }
  return 0;
}
