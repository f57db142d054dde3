/* json-reader.c: the JSON reader on real datasets, the three layouts and
 * malformed input.
 */
#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-cache.h"
#include "tess-source.h"
#include "tess-transform.h"
#include "tess-json-reader.h"
#include "tess-memory.h"

static TessFrame *
read_text (const char *text, TessJsonLayout layout, GError **error)
{
  return tess_json_read (text, strlen (text), layout, NULL, error);
}

static void
assert_cell (TessFrame *frame, const char *column, gsize row, const char *expected)
{
  TessColumn *c = tess_frame_get_column_by_name (frame, column);
  g_autofree char *value = NULL;
  g_assert_nonnull (c);
  value = tess_column_format_value (c, row);
  g_assert_cmpstr (value, ==, expected);
}

static TessColumnType
column_type (TessFrame *frame, const char *name)
{
  TessColumn *c = tess_frame_get_column_by_name (frame, name);
  g_assert_nonnull (c);
  return tess_column_get_column_type (c);
}

static TessFrame *
read_vega (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "vega", name, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length;
  TessFrame *frame;

  g_assert_true (g_file_get_contents (path, &text, &length, &error));
  frame = tess_json_read (text, length, TESS_JSON_AUTO, NULL, &error);
  g_assert_no_error (error);
  return frame;
}

static void
test_cars (void)
{
  g_autoptr (TessFrame) cars = read_vega ("cars.json");

  g_assert_cmpuint (tess_frame_get_n_rows (cars), ==, 406);
  g_assert_cmpuint (tess_frame_get_n_columns (cars), ==, 9);
  g_assert_cmpint (column_type (cars, "Name"), ==, TESS_COLUMN_STRING);
  g_assert_cmpint (column_type (cars, "Miles_per_Gallon"), ==, TESS_COLUMN_DOUBLE);
  g_assert_cmpint (column_type (cars, "Cylinders"), ==, TESS_COLUMN_INT64);
  g_assert_cmpint (column_type (cars, "Year"), ==, TESS_COLUMN_DATE);
  assert_cell (cars, "Name", 0, "chevrolet chevelle malibu");
  assert_cell (cars, "Year", 0, "1970-01-01");
  assert_cell (cars, "Origin", 0, "USA");
  g_assert_cmpuint (tess_column_get_null_count (tess_frame_get_column_by_name (cars, "Miles_per_Gallon")), ==, 8);
  g_assert_cmpuint (tess_column_get_null_count (tess_frame_get_column_by_name (cars, "Horsepower")), ==, 6);
}

static void
test_gapminder (void)
{
  g_autoptr (TessFrame) gap = read_vega ("gapminder.json");

  g_assert_cmpuint (tess_frame_get_n_rows (gap), ==, 682);
  g_assert_cmpint (column_type (gap, "year"), ==, TESS_COLUMN_INT64);
  g_assert_cmpint (column_type (gap, "pop"), ==, TESS_COLUMN_INT64);
  g_assert_cmpint (column_type (gap, "life_expect"), ==, TESS_COLUMN_DOUBLE);
  assert_cell (gap, "country", 0, "Afghanistan");
  assert_cell (gap, "pop", 0, "7971931");
  assert_cell (gap, "fertility", 0, "7.42");
}

static void
test_layouts (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) records = read_text ("[{\"a\": 1, \"b\": {\"c\": \"x\", \"d\": {\"e\": true}}},"
                                             " {\"a\": 2.5, \"f\": [1, 2]}, {\"a\": null}]",
                                             TESS_JSON_AUTO, &error);
  g_autoptr (TessFrame) columns = NULL;
  g_autoptr (TessFrame) ndjson = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (records), ==, 3);
  g_assert_cmpint (column_type (records, "a"), ==, TESS_COLUMN_DOUBLE);
  g_assert_cmpint (column_type (records, "b.c"), ==, TESS_COLUMN_STRING);
  g_assert_cmpint (column_type (records, "b.d.e"), ==, TESS_COLUMN_BOOL);
  assert_cell (records, "a", 0, "1");
  assert_cell (records, "a", 1, "2.5");
  g_assert_true (tess_column_is_null (tess_frame_get_column_by_name (records, "a"), 2));
  g_assert_true (tess_column_is_null (tess_frame_get_column_by_name (records, "b.c"), 1));
  assert_cell (records, "f", 1, "[1,2]");

  columns = read_text ("{\"x\": [1, 2, 3], \"when\": [\"2020-01-01T00:00:00Z\", null, \"2020-01-02\"]}", TESS_JSON_AUTO,
                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (columns), ==, 3);
  g_assert_cmpint (column_type (columns, "x"), ==, TESS_COLUMN_INT64);
  g_assert_cmpint (column_type (columns, "when"), ==, TESS_COLUMN_TIMESTAMP);
  assert_cell (columns, "when", 2, "2020-01-02T00:00:00Z");

  ndjson = read_text ("{\"k\": \"a\", \"v\": 1}\n\n{\"k\": \"b\", \"v\": 2, \"w\": 3}\n", TESS_JSON_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (ndjson), ==, 2);
  assert_cell (ndjson, "k", 1, "b");
  g_assert_true (tess_column_is_null (tess_frame_get_column_by_name (ndjson, "w"), 0));
  assert_cell (ndjson, "w", 1, "3");
}

static void
test_stream (void)
{
  /* the streaming path must read what the document path reads */
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "vega", "cars.json", NULL);
  g_autofree char *text = NULL;
  gsize length;
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) whole = NULL;
  g_autoptr (TessFrame) streamed = NULL;

  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  whole = tess_json_read (text, length, TESS_JSON_DOCUMENT, NULL, &error);
  g_assert_no_error (error);
  streamed = tess_json_read (text, length, TESS_JSON_ARRAY_STREAM, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (streamed), ==, tess_frame_get_n_rows (whole));
  g_assert_cmpuint (tess_frame_get_n_columns (streamed), ==, tess_frame_get_n_columns (whole));
  for (guint c = 0; c < tess_frame_get_n_columns (whole); c++)
    {
      TessColumn *a = tess_frame_get_column (whole, c), *b = tess_frame_get_column (streamed, c);
      g_assert_cmpstr (tess_column_get_name (a), ==, tess_column_get_name (b));
      g_assert_cmpint (tess_column_get_column_type (a), ==, tess_column_get_column_type (b));
      for (gsize r = 0; r < tess_frame_get_n_rows (whole); r++)
        {
          g_autofree char *x = tess_column_format_value (a, r);
          g_autofree char *y = tess_column_format_value (b, r);
          g_assert_cmpstr (x, ==, y);
        }
    }
  {
    const char *bad[] = { "[{\"a\": 1},\n {\"a\": }]",
                          "[{\"a\": 1} {\"a\": 2}]",
                          "[{\"a\": 1}",
                          "[1, {\"a\": 2}]",
                          "[{\"a\": \"x]",
                          "{\"a\": [1]}",
                          "[1] 2" };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (TessFrame) frame = tess_json_read (bad[i], strlen (bad[i]), TESS_JSON_ARRAY_STREAM, NULL, &error);
        g_assert_null (frame);
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
        g_assert_nonnull (strstr (error->message, "Line "));
        g_test_message ("%s", error->message);
        g_clear_error (&error);
      }
  }
}

static void
test_malformed (void)
{
  struct
  {
    const char *text;
    TessJsonLayout layout;
    const char *expect;
  } cases[] = {
    { "[{\"a\": 1}, {\"a\": }]", TESS_JSON_AUTO, "1:" },
    { "{\"a\": 1}\n{\"a\": 2\n", TESS_JSON_NDJSON, "Line 2" },
    { "{\"a\": 1}\n[1]\n", TESS_JSON_NDJSON, "Line 2" },
    { "[{\"a\": 1}, 2]", TESS_JSON_AUTO, "Record 2" },
    { "{\"a\": [1, 2], \"b\": [1]}", TESS_JSON_AUTO, "“b” has 1 values" },
    { "{\"a\": 1}", TESS_JSON_DOCUMENT, "not an array" },
    { "42", TESS_JSON_AUTO, "single value" },
    { "[\"\xff\"]", TESS_JSON_AUTO, "Line 1, column 3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) frame = read_text (cases[i].text, cases[i].layout, &error);
      g_assert_null (frame);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }
  {
    /* deep nesting is refused before it reaches the parser */
    g_autoptr (GString) deep = g_string_new (NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (TessFrame) frame = NULL;
    for (int i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    frame = read_text (deep->str, TESS_JSON_AUTO, &error);
    g_assert_null (frame);
    g_assert_nonnull (strstr (error->message, "nested"));
  }
}

/* An integer literal beyond int64 reads as the double it is, never wrapped;
 * the CSV reader reads the same numbers the same way. */
static void
test_big_integers (void)
{
  static const TessJsonLayout layouts[] = { TESS_JSON_AUTO, TESS_JSON_ARRAY_STREAM };
  g_autoptr (GError) error = NULL;

  for (guint l = 0; l < G_N_ELEMENTS (layouts); l++)
    {
      g_autoptr (TessFrame) frame =
          read_text ("[{\"n\": 99999999999999999999, \"m\": 1, \"s\": \"99999999999999999999\"},\n"
                     " {\"n\": -99999999999999999999, \"m\": 18446744073709551616},\n"
                     " {\"n\": 1, \"m\": 9223372036854775808}]",
                     layouts[l], &error);
      TessColumn *n, *m;

      g_assert_no_error (error);
      n = tess_frame_get_column_by_name (frame, "n");
      m = tess_frame_get_column_by_name (frame, "m");
      g_assert_cmpint (column_type (frame, "n"), ==, TESS_COLUMN_DOUBLE);
      g_assert_cmpfloat (tess_column_get_double (n, 0), ==, 1e20);
      g_assert_cmpfloat (tess_column_get_double (n, 1), ==, -1e20);
      g_assert_cmpfloat (tess_column_get_double (n, 2), ==, 1);
      /* an int64 column that meets a bigger integer becomes a double column */
      g_assert_cmpint (column_type (frame, "m"), ==, TESS_COLUMN_DOUBLE);
      g_assert_cmpfloat (tess_column_get_double (m, 0), ==, 1);
      g_assert_cmpfloat (tess_column_get_double (m, 1), ==, 18446744073709551616.0);
      g_assert_cmpfloat (tess_column_get_double (m, 2), ==, 9223372036854775808.0);
      /* text is never touched */
      g_assert_cmpint (column_type (frame, "s"), ==, TESS_COLUMN_STRING);
      assert_cell (frame, "s", 0, "99999999999999999999");
    }

  {
    /* exactly INT64_MAX and INT64_MIN stay int64 */
    g_autoptr (TessFrame) frame = read_text (
        "[{\"max\": 9223372036854775807, \"min\": -9223372036854775808, \"zero\": -0}]", TESS_JSON_AUTO, &error);
    g_assert_no_error (error);
    g_assert_cmpint (column_type (frame, "max"), ==, TESS_COLUMN_INT64);
    g_assert_cmpint (column_type (frame, "min"), ==, TESS_COLUMN_INT64);
    g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (frame, "max"), 0), ==, G_MAXINT64);
    g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (frame, "min"), 0), ==, G_MININT64);
    g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (frame, "zero"), 0), ==, 0);
  }
  {
    /* one past them does not */
    g_autoptr (TessFrame) frame =
        read_text ("{\"over\": [9223372036854775808], \"under\": [-9223372036854775809]}", TESS_JSON_AUTO, &error);
    g_assert_no_error (error);
    g_assert_cmpint (column_type (frame, "over"), ==, TESS_COLUMN_DOUBLE);
    g_assert_cmpint (column_type (frame, "under"), ==, TESS_COLUMN_DOUBLE);
    g_assert_cmpfloat (tess_column_get_double (tess_frame_get_column_by_name (frame, "over"), 0), ==,
                       9223372036854775808.0);
    g_assert_cmpfloat (tess_column_get_double (tess_frame_get_column_by_name (frame, "under"), 0), ==,
                       -9223372036854775809.0);
  }
  {
    /* digits in keys and in strings with escaped quotes stay as written */
    g_autoptr (TessFrame) frame = read_text (
        "[{\"k\\\"99999999999999999999\": \"x\\\" -99999999999999999999\", \"v\": 5}]", TESS_JSON_AUTO, &error);
    g_assert_no_error (error);
    assert_cell (frame, "k\"99999999999999999999", 0, "x\" -99999999999999999999");
    g_assert_cmpint (column_type (frame, "v"), ==, TESS_COLUMN_INT64);
  }
  {
    /* NDJSON, and a parse error after a big number keeps its line */
    g_autoptr (TessFrame) frame = read_text ("{\"v\": 12345678901234567890}\n{\"v\": 2}\n", TESS_JSON_AUTO, &error);
    g_autoptr (TessFrame) bad = NULL;
    g_assert_no_error (error);
    g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 2);
    g_assert_cmpint (column_type (frame, "v"), ==, TESS_COLUMN_DOUBLE);
    g_assert_cmpfloat (tess_column_get_double (tess_frame_get_column_by_name (frame, "v"), 0), ==,
                       12345678901234567890.0);
    bad = read_text ("{\"v\": 12345678901234567890}\n{\"v\": 2\n", TESS_JSON_NDJSON, &error);
    g_assert_null (bad);
    g_assert_nonnull (strstr (error->message, "Line 2"));
    g_clear_error (&error);
  }
  {
    /* the CSV reader reads the same column the same way */
    const char *csv = "n\n99999999999999999999\n-99999999999999999999\n1\n";
    g_autoptr (TessFrame) from_csv = tess_csv_read (csv, strlen (csv), NULL, NULL, NULL, &error);
    g_autoptr (TessFrame) from_json =
        read_text ("{\"n\": [99999999999999999999, -99999999999999999999, 1]}", TESS_JSON_AUTO, &error);
    g_assert_no_error (error);
    g_assert_cmpint (column_type (from_csv, "n"), ==, column_type (from_json, "n"));
    for (gsize r = 0; r < 3; r++)
      g_assert_cmpfloat (tess_column_get_double (tess_frame_get_column_by_name (from_csv, "n"), r), ==,
                         tess_column_get_double (tess_frame_get_column_by_name (from_json, "n"), r));
  }
}

/* Escapes can put control characters in a key: as a column name they are
 * made safe to show, as the CSV reader makes a header's. */
static void
test_control_characters_in_keys (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = read_text (
      "[{\"a\\u001b[2Jb\": 1, \"tab\\there\": 2, \"c1\\u0085\": 3, \"caf\\u00e9\": 4}]", TESS_JSON_AUTO, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (tess_column_get_name (tess_frame_get_column (frame, 0)), ==, "a\xEF\xBF\xBD[2Jb");
  g_assert_cmpstr (tess_column_get_name (tess_frame_get_column (frame, 1)), ==, "tab here");
  g_assert_cmpstr (tess_column_get_name (tess_frame_get_column (frame, 2)), ==, "c1\xEF\xBF\xBD");
  g_assert_cmpstr (tess_column_get_name (tess_frame_get_column (frame, 3)), ==, "caf\xC3\xA9");
  assert_cell (frame, "tab here", 0, "2");
}

/* Records that each bring a new key make a table of n columns and n rows: one
 * that would not fit in the memory budget for data is refused before it is
 * built, with an error that says why. */
static void
test_sparse_records (void)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) refused = NULL;
  g_autoptr (TessFrame) frame = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (text, "{\"k%u\": %u}\n", i, i);
  tess_memory_set_limit (16 * 1024 * 1024);
  refused = read_text (text->str, TESS_JSON_AUTO, &error);
  g_assert_null (refused);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpstr (error->message, ==,
                   "As a table, this JSON has 2000 columns and 2000 rows, more than the 16 MiB memory limit for data "
                   "holds (records with different keys leave most cells empty); raise the limit in Preferences or with "
                   "--memory-limit, or load less");
  g_clear_error (&error);

  /* under the default budget it is read */
  tess_memory_set_limit (0);
  frame = read_text (text->str, TESS_JSON_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_columns (frame), ==, 2000);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 2000);
  assert_cell (frame, "k1999", 1999, "1999");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Data/json/cars", test_cars);
  g_test_add_func ("/Data/json/gapminder", test_gapminder);
  g_test_add_func ("/Data/json/layouts", test_layouts);
  g_test_add_func ("/Data/json/stream", test_stream);
  g_test_add_func ("/Data/json/malformed", test_malformed);
  g_test_add_func ("/Data/json/big-integers", test_big_integers);
  g_test_add_func ("/Data/json/control-characters-in-keys", test_control_characters_in_keys);
  g_test_add_func ("/Data/json/sparse-records", test_sparse_records);
  return g_test_run ();
}
