/* frame.c: frames, columns and builders. */
#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-json-reader.h"
#include "tess-cache.h"
#include "tess-source.h"
#include "tess-transform.h"
#include "tess-frame-private.h"

#include <math.h>

static void
test_builders (void)
{
  g_autoptr (TessColumnBuilder) b = tess_column_builder_new ("t", TESS_COLUMN_TIMESTAMP, 0);
  g_autoptr (TessColumn) ts = NULL;
  g_autoptr (TessColumnBuilder) db = tess_column_builder_new ("d", TESS_COLUMN_DATE, 2);
  g_autoptr (TessColumn) dates = NULL;
  g_autofree char *v0 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *d1 = NULL;

  tess_column_builder_append_timestamp (b, 0);
  tess_column_builder_append_null (b);
  tess_column_builder_append_timestamp (b, -1);
  ts = tess_column_builder_finish (g_steal_pointer (&b));
  g_assert_cmpuint (tess_column_get_length (ts), ==, 3);
  g_assert_cmpuint (tess_column_get_null_count (ts), ==, 1);
  g_assert_true (tess_column_is_null (ts, 1));
  g_assert_false (tess_column_is_null (ts, 2));
  g_assert_cmphex (tess_column_get_validity (ts)[0], ==, 0x5);
  v0 = tess_column_format_value (ts, 0);
  v2 = tess_column_format_value (ts, 2);
  g_assert_cmpstr (v0, ==, "1970-01-01T00:00:00Z");
  g_assert_cmpstr (v2, ==, "1969-12-31T23:59:59.999999Z");

  tess_column_builder_append_date (db, 0);
  tess_column_builder_append_date (db, -719162);
  dates = tess_column_builder_finish (g_steal_pointer (&db));
  d1 = tess_column_format_value (dates, 1);
  g_assert_cmpstr (d1, ==, "0001-01-01");
  g_assert_null (tess_column_get_validity (dates));
  g_assert_nonnull (tess_column_get_date_data (dates));
  g_assert_null (tess_column_get_int64_data (dates));
}

static void
test_frames (void)
{
  double values[] = { 1.5, NAN, 3 };
  gint64 ints[] = { 1, 2, 3 };
  const char *strings[] = { "a", NULL, "" };
  g_autoptr (TessColumn) d = tess_column_new_double ("d", values, 3);
  g_autoptr (TessColumn) i = tess_column_new_int64 ("i", ints, 3);
  g_autoptr (TessColumn) s = tess_column_new_strings ("s", strings, 3);
  g_autoptr (TessColumn) renamed = tess_column_rename (d, "e");
  g_autoptr (TessColumn) short_col = tess_column_new_int64 ("short", ints, 2);
  TessColumn *cols[] = { d, i, s, renamed };
  TessColumn *bad[] = { d, short_col };
  TessColumn *dup[] = { d, d };
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = tess_frame_new (cols, 4, &error);
  g_autoptr (TessFrame) f2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 3);
  g_assert_cmpuint (tess_frame_get_n_columns (frame), ==, 4);
  g_assert_true (tess_frame_get_column_by_name (frame, "s") == s);
  g_assert_cmpint (tess_frame_get_column_index (frame, "e"), ==, 3);
  g_assert_cmpint (tess_frame_get_column_index (frame, "nope"), ==, -1);
  g_assert_null (tess_frame_get_column_by_name (frame, "nope"));
  g_assert_true (tess_column_get_double_data (renamed) == tess_column_get_double_data (d));
  g_assert_cmpuint (tess_column_get_null_count (d), ==, 1);
  g_assert_true (isnan (tess_column_get_double (d, 1)));
  g_assert_cmpfloat (tess_column_get_double (i, 2), ==, 3);
  g_assert_null (tess_column_get_string (s, 1));
  g_assert_cmpstr (tess_column_get_string (s, 2), ==, "");
  g_assert_cmpuint (tess_frame_get_bytes (frame), >, 3 * 8 * 3);

  f2 = tess_frame_new (bad, 2, &error);
  g_assert_null (f2);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  f2 = tess_frame_new (dup, 2, &error);
  g_assert_null (f2);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_wide_offsets (void)
{
  /* string columns switch to 64-bit offsets past 4 GiB of text: the same
   * values read back either way */
  g_autoptr (TessColumnBuilder) b = tess_column_builder_new ("s", TESS_COLUMN_STRING, 0);
  g_autoptr (TessColumn) column = NULL;
  g_autoptr (TessColumn) taken = NULL;
  gsize rows[] = { 5, 0, 2 };

  tess_column_builder_append_string (b, "alpha");
  tess_column_builder_append_null (b);
  tess_column_builder_append_string (b, "");
  tess_column_builder_widen_offsets (b);
  tess_column_builder_append_string (b, "delta");
  tess_column_builder_append_null (b);
  tess_column_builder_append_string (b, "zeta");
  column = tess_column_builder_finish (g_steal_pointer (&b));
  g_assert_cmpstr (tess_column_get_string (column, 0), ==, "alpha");
  g_assert_null (tess_column_get_string (column, 1));
  g_assert_cmpstr (tess_column_get_string (column, 2), ==, "");
  g_assert_cmpstr (tess_column_get_string (column, 3), ==, "delta");
  g_assert_null (tess_column_get_string (column, 4));
  g_assert_cmpstr (tess_column_get_string (column, 5), ==, "zeta");
  taken = tess_column_take (column, rows, 3, NULL);
  g_assert_cmpstr (tess_column_get_string (taken, 0), ==, "zeta");
  g_assert_cmpstr (tess_column_get_string (taken, 1), ==, "alpha");
  g_assert_cmpstr (tess_column_get_string (taken, 2), ==, "");
}

static void
test_type_names (void)
{
  TessColumnType type;

  g_assert_cmpstr (tess_column_type_to_string (TESS_COLUMN_TIMESTAMP), ==, "timestamp");
  g_assert_true (tess_column_type_from_string ("date", &type));
  g_assert_cmpint (type, ==, TESS_COLUMN_DATE);
  g_assert_false (tess_column_type_from_string ("float", &type));
  g_assert_true (tess_column_type_is_numeric (TESS_COLUMN_INT64));
  g_assert_false (tess_column_type_is_numeric (TESS_COLUMN_STRING));
}

static gpointer
reader_thread (gpointer data)
{
  TessFrame *frame = data;
  double sum = 0;
  for (int k = 0; k < 100; k++)
    for (gsize r = 0; r < tess_frame_get_n_rows (frame); r++)
      sum += tess_column_get_double (tess_frame_get_column (frame, 0), r);
  tess_frame_unref (frame);
  return GINT_TO_POINTER (sum > 0);
}

static void
test_threads (void)
{
  gint64 values[1000];
  g_autoptr (TessColumn) c = NULL;
  g_autoptr (TessFrame) frame = NULL;
  GThread *threads[8];

  for (int k = 0; k < 1000; k++)
    values[k] = k + 1;
  c = tess_column_new_int64 ("x", values, 1000);
  frame = tess_frame_new (&c, 1, NULL);
  for (int k = 0; k < 8; k++)
    threads[k] = g_thread_new ("reader", reader_thread, tess_frame_ref (frame));
  for (int k = 0; k < 8; k++)
    g_assert_true (g_thread_join (threads[k]));
}

/* Taking most rows of a string column shares its text, and reads the same
 * as copying: values, nulls (its own and those of missing rows), the last
 * row; taking a few rows copies them, so they do not keep all the text. */
static void
test_take_strings (void)
{
  const char *values[] = { "north", NULL, "south", "east", "north", "", "west", "south", "north" };
  g_autoptr (TessColumn) column = tess_column_new_strings ("region", values, G_N_ELEMENTS (values));
  const gsize most[] = { 8, 1, 0, G_MAXSIZE, 3, 5, 2, 6, 4 };
  const gsize few[] = { 6 };
  g_autoptr (TessColumn) taken = tess_column_take (column, most, G_N_ELEMENTS (most), NULL);
  g_autoptr (TessColumn) small = tess_column_take (column, few, G_N_ELEMENTS (few), "two");

  g_assert_cmpuint (tess_column_get_length (taken), ==, G_N_ELEMENTS (most));
  g_assert_cmpuint (tess_column_get_null_count (taken), ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (most); i++)
    {
      const char *want = most[i] == G_MAXSIZE ? NULL : values[most[i]];
      g_assert_cmpstr (tess_column_get_string (taken, i), ==, want);
      g_assert_cmpint (tess_column_is_null (taken, i), ==, want == NULL);
    }
  /* the text is the column's own, not a copy */
  g_assert_true (tess_column_get_string (taken, 0) == tess_column_get_string (column, 8));
  g_assert_cmpstr (tess_column_get_name (small), ==, "two");
  g_assert_cmpuint (tess_column_get_length (small), ==, 1);
  g_assert_cmpstr (tess_column_get_string (small, 0), ==, "west");
  g_assert_true (tess_column_get_string (small, 0) != tess_column_get_string (column, 6));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Data/frame/builders", test_builders);
  g_test_add_func ("/Data/frame/frames", test_frames);
  g_test_add_func ("/Data/frame/wide-offsets", test_wide_offsets);
  g_test_add_func ("/Data/frame/type-names", test_type_names);
  g_test_add_func ("/Data/frame/threads", test_threads);
  g_test_add_func ("/Data/frame/take-strings", test_take_strings);
  return g_test_run ();
}
