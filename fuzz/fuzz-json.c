/* fuzz-json.c: libFuzzer target for the JSON reader, in each layout (picked by
 * the last byte of the input); each frame that comes back is read in full. */
#include "tess-json-reader.h"

#include <stdint.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  TessJsonLayout layout = size ? data[size - 1] % 4 : TESS_JSON_AUTO;

  frame = tess_json_read ((const char *) data, size, layout, NULL, &error);
  g_assert ((frame == NULL) != (error == NULL));
  if (frame)
    for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
      for (gsize r = 0; r < tess_frame_get_n_rows (frame); r++)
        {
          g_autofree char *value = tess_column_format_value (tess_frame_get_column (frame, c), r);
          (void) value;
        }
  return 0;
}
