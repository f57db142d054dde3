/* fuzz-csv.c: libFuzzer target for the CSV reader. The last byte of the input
 * picks the options, so every dialect and mode is explored; each frame that
 * comes back is read in full. Then the input is read again cut in chunks
 * (their size also picked by the input), on one thread or two, and the two
 * reads must agree: the same table value for value, or the same error. */
#include "tess-csv.h"
#include "tess-csv-private.h"

#include <math.h>
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

static void
assert_same_frame (TessFrame *a, TessFrame *b)
{
  g_assert (tess_frame_get_n_columns (a) == tess_frame_get_n_columns (b));
  g_assert (tess_frame_get_n_rows (a) == tess_frame_get_n_rows (b));
  g_assert (g_strcmp0 (tess_frame_get_warning (a), tess_frame_get_warning (b)) == 0);
  for (guint c = 0; c < tess_frame_get_n_columns (a); c++)
    {
      TessColumn *x = tess_frame_get_column (a, c);
      TessColumn *y = tess_frame_get_column (b, c);
      TessColumnType type = tess_column_get_column_type (x);

      g_assert (strcmp (tess_column_get_name (x), tess_column_get_name (y)) == 0);
      g_assert (tess_column_get_column_type (y) == type);
      g_assert (tess_column_get_null_count (x) == tess_column_get_null_count (y));
      for (gsize r = 0; r < tess_frame_get_n_rows (a); r++)
        {
          g_autofree char *u = tess_column_format_value (x, r);
          g_autofree char *v = tess_column_format_value (y, r);

          g_assert (tess_column_is_null (x, r) == tess_column_is_null (y, r));
          g_assert (strcmp (u, v) == 0);
          if (type == TESS_COLUMN_DOUBLE && !tess_column_is_null (x, r))
            g_assert (!signbit (tess_column_get_double (x, r)) == !signbit (tess_column_get_double (y, r)));
        }
    }
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
    assert_same_frame (frame, split_frame);
  else
    {
      g_assert (split_frame == NULL);
      g_assert (strcmp (error->message, split_error->message) == 0);
    }
  return 0;
}
