/* fuzz-csv.c: libFuzzer target for the CSV reader. The last byte of the input
 * picks the options, so every dialect and mode is explored; each frame that
 * comes back is read in full. */
#include "tess-csv.h"

#include <stdint.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* a critical is a bug, as much as a crash */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char delimiters[] = { 0, ',', ';', '\t' };
  TessCsvOptions options = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
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
  return 0;
}
