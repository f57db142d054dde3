/* frame-compare.c: whether two frames hold the same table (see
 * frame-compare.h). */
#include "frame-compare.h"

#include <math.h>
#include <string.h>

void
assert_same_frame (TessFrame *expected, TessFrame *actual)
{
  g_assert_nonnull (actual);
  g_assert_cmpuint (tess_frame_get_n_columns (actual), ==, tess_frame_get_n_columns (expected));
  g_assert_cmpuint (tess_frame_get_n_rows (actual), ==, tess_frame_get_n_rows (expected));
  for (guint c = 0; c < tess_frame_get_n_columns (expected); c++)
    {
      TessColumn *want = tess_frame_get_column (expected, c);
      TessColumn *got = tess_frame_get_column (actual, c);
      TessColumnType type = tess_column_get_column_type (want);

      g_assert_cmpstr (tess_column_get_name (got), ==, tess_column_get_name (want));
      g_assert_cmpint (tess_column_get_column_type (got), ==, type);
      g_assert_cmpuint (tess_column_get_null_count (got), ==, tess_column_get_null_count (want));
      for (gsize r = 0; r < tess_frame_get_n_rows (expected); r++)
        {
          g_assert_cmpint (tess_column_is_null (got, r), ==, tess_column_is_null (want, r));
          switch (type)
            {
            case TESS_COLUMN_STRING:
              g_assert_cmpstr (tess_column_get_string (got, r), ==, tess_column_get_string (want, r));
              break;
            case TESS_COLUMN_DOUBLE:
              {
                double a = tess_column_get_double_data (want)[r], b = tess_column_get_double_data (got)[r];
                g_assert_true (memcmp (&a, &b, sizeof a) == 0 || (isnan (a) && isnan (b)));
              }
              break;
            case TESS_COLUMN_BOOL:
              g_assert_cmpint (tess_column_get_bool (got, r), ==, tess_column_get_bool (want, r));
              break;
            case TESS_COLUMN_DATE:
              g_assert_cmpint (tess_column_get_date_data (got)[r], ==, tess_column_get_date_data (want)[r]);
              break;
            default:
              g_assert_cmpint (tess_column_get_int64_data (got)[r], ==, tess_column_get_int64_data (want)[r]);
              break;
            }
        }
    }
}
