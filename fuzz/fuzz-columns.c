/* fuzz-columns.c: which columns a fuzz input reads (see fuzz-columns.h). */
#include "fuzz-columns.h"

GPtrArray *
fuzz_pick_columns (guint8 pick, TessFrame *frame, const char *const *made_up)
{
  GPtrArray *wanted = g_ptr_array_new_with_free_func (g_free);
  guint n = frame ? tess_frame_get_n_columns (frame) : g_strv_length ((char **) made_up);

  for (guint c = 0; c < n; c++)
    if (pick >> (c % 8) & 1)
      g_ptr_array_add (wanted, g_strdup (frame ? tess_column_get_name (tess_frame_get_column (frame, c)) : made_up[c]));
  g_ptr_array_add (wanted, NULL);
  return wanted;
}
