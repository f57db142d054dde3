/* json-reader.c: the JSON reader on real datasets, the three layouts,
 * malformed input, types that follow the values whatever their order, and the
 * reading of files.
 */
#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-cache.h"
#include "tess-source.h"
#include "tess-transform.h"
#include "tess-json-reader.h"
#include "tess-memory.h"
#include "tess-test-dir.h"

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
    /* the line and the column, and the record */
    { "[{\"a\": 1}, {\"a\": }]", TESS_JSON_AUTO, "Line 1, column 18 (record 2)" },
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
    /* deep nesting is refused, however deep it goes */
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

/* A table whose size on the way passes the budget but whose final size does
 * not (an int64 column that ends as text, with half the bytes per row) is
 * read in full. */
static void
test_budget_measured_then_read (void)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;

  for (guint i = 0; i < 3000000; i++)
    g_string_append_printf (text, "{\"v\": %u}\n", i % 10);
  g_string_append (text, "{\"v\": \"ten\"}\n");
  tess_memory_set_limit (16 * 1024 * 1024);
  frame = tess_json_read (text->str, text->len, TESS_JSON_AUTO, NULL, &error);
  tess_memory_set_limit (0);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 3000001);
  g_assert_cmpint (column_type (frame, "v"), ==, TESS_COLUMN_STRING);
  assert_cell (frame, "v", 2999999, "9");
  assert_cell (frame, "v", 3000000, "ten");
}

static TessFrame *
read_ok (const char *text, TessJsonLayout layout)
{
  g_autoptr (GError) error = NULL;
  TessFrame *frame = read_text (text, layout, &error);

  g_assert_no_error (error);
  g_assert_nonnull (frame);
  return frame;
}

/* Every cell of @column, formatted, nulls as "(null)", joined by "|". */
static char *
column_cells (TessFrame *frame, const char *column)
{
  TessColumn *c = tess_frame_get_column_by_name (frame, column);
  g_autoptr (GString) cells = g_string_new (NULL);

  g_assert_nonnull (c);
  for (gsize r = 0; r < tess_frame_get_n_rows (frame); r++)
    {
      g_autofree char *value = tess_column_is_null (c, r) ? g_strdup ("(null)") : tess_column_format_value (c, r);
      g_string_append_printf (cells, "%s%s", r ? "|" : "", value);
    }
  return g_string_free (g_steal_pointer (&cells), FALSE);
}

static void
assert_column (TessFrame *frame, const char *column, TessColumnType type, const char *cells)
{
  g_autofree char *found = column_cells (frame, column);

  g_assert_cmpint (column_type (frame, column), ==, type);
  g_assert_cmpstr (found, ==, cells);
}

/* A column's type is that of all its values, whatever their order: a value
 * that does not fit what came before widens the column, and a string column
 * writes every value the same way wherever it comes. */
static void
test_types_follow_values (void)
{
  static const TessJsonLayout layouts[] = { TESS_JSON_AUTO, TESS_JSON_NDJSON };
  static const struct
  {
    const char *values[4];
    TessColumnType type;
    const char *cells;
  } cases[] = {
    { { "1", "2.5" }, TESS_COLUMN_DOUBLE, "1|2.5" },
    { { "2.5", "1" }, TESS_COLUMN_DOUBLE, "2.5|1" },
    { { "1", "\"x\"" }, TESS_COLUMN_STRING, "1|x" },
    { { "\"x\"", "1" }, TESS_COLUMN_STRING, "x|1" },
    { { "true", "7", "null" }, TESS_COLUMN_STRING, "true|7|(null)" },
    { { "0.1", "\"x\"" }, TESS_COLUMN_STRING, "0.10000000000000001|x" },
    { { "[1, 2]", "3" }, TESS_COLUMN_STRING, "[1,2]|3" },
    /* an empty string is a null, but in a string column, where it stays empty */
    { { "\"\"", "5" }, TESS_COLUMN_INT64, "(null)|5" },
    { { "\"\"", "\"x\"" }, TESS_COLUMN_STRING, "|x" },
    { { "\"\"", "null" }, TESS_COLUMN_STRING, "(null)|(null)" },
    { { "1", "\"\"", "\"x\"" }, TESS_COLUMN_STRING, "1||x" },
    /* dates and timestamps, whose text is needed again once they turn to string */
    { { "\"2020-01-01\"", "\"2020-01-02 10:00\"" },
      TESS_COLUMN_TIMESTAMP,
      "2020-01-01T00:00:00Z|2020-01-02T10:00:00Z" },
    { { "\"2020/01/02\"", "\"Jan 3 2020\"", "\"soon\"" }, TESS_COLUMN_STRING, "2020/01/02|Jan 3 2020|soon" },
    { { "\"2020-01-02T03:04:05+01:00\"", "\"\"", "4" }, TESS_COLUMN_STRING, "2020-01-02T03:04:05+01:00||4" },
    /* integers beyond 2^53 keep their digits when the column turns to string */
    { { "9007199254740993", "0.5", "\"x\"" }, TESS_COLUMN_STRING, "9007199254740993|0.5|x" },
  };

  for (guint l = 0; l < G_N_ELEMENTS (layouts); l++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr (GString) text = g_string_new (layouts[l] == TESS_JSON_NDJSON ? "" : "[");
        g_autoptr (TessFrame) frame = NULL;
        for (guint v = 0; v < G_N_ELEMENTS (cases[i].values) && cases[i].values[v]; v++)
          g_string_append_printf (text, "%s{\"v\": %s}%s", layouts[l] != TESS_JSON_NDJSON && v > 0 ? ", " : "",
                                  cases[i].values[v], layouts[l] == TESS_JSON_NDJSON ? "\n" : "");
        if (layouts[l] != TESS_JSON_NDJSON)
          g_string_append (text, "]");
        g_test_message ("%s", text->str);
        frame = read_ok (text->str, layouts[l]);
        assert_column (frame, "v", cases[i].type, cases[i].cells);
      }
}

/* A column that turns to string far into a large input is read again from
 * the start with its text, and every other column keeps its values. */
static void
test_late_turn (void)
{
  g_autoptr (GString) text = g_string_new ("[");
  g_autoptr (TessFrame) frame = NULL;
  TessColumn *day, *n;

  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (text, "%s{\"n\": %u, \"day\": \"2020-%02u-%02u\"}", i ? ",\n" : "", i, i % 12 + 1,
                            i % 28 + 1);
  g_string_append (text, ", {\"n\": 1.5, \"day\": \"someday\"}]");
  frame = read_ok (text->str, TESS_JSON_AUTO);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 50001);
  day = tess_frame_get_column_by_name (frame, "day");
  n = tess_frame_get_column_by_name (frame, "n");
  g_assert_cmpint (tess_column_get_column_type (day), ==, TESS_COLUMN_STRING);
  g_assert_cmpint (tess_column_get_column_type (n), ==, TESS_COLUMN_DOUBLE);
  assert_cell (frame, "day", 0, "2020-01-01");
  assert_cell (frame, "day", 1, "2020-02-02");
  assert_cell (frame, "day", 49999, "2020-08-20");
  assert_cell (frame, "day", 50000, "someday");
  g_assert_cmpfloat (tess_column_get_double (n, 49999), ==, 49999);
  g_assert_cmpfloat (tess_column_get_double (n, 50000), ==, 1.5);
}

/* Strings with every escape; arrays and objects inside a record as compact
 * JSON text. */
static void
test_strings_and_nested_values (void)
{
  g_autoptr (TessFrame) frame =
      read_ok ("[{\"s\": \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 \\u20AC\", \"nul\": \"a\\u0000b\","
               " \"raw\": \"caf\xc3\xa9\ttab\","
               " \"list\": [1, \"x\\\"y\", {\"k\": 1, \"j\": [], \"k\": 2}, 1.5, 1e20, -0.0, true, null, {}]}]",
               TESS_JSON_AUTO);

  assert_cell (frame, "s", 0, "q\" b\\ s/ \b\f\n\r\t \xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac");
  /* a string's text ends at \u0000 */
  assert_cell (frame, "nul", 0, "a");
  assert_cell (frame, "raw", 0, "caf\xc3\xa9\ttab");
  /* a key repeated in a nested object keeps its place and its last value */
  assert_cell (frame, "list", 0, "[1,\"x\\\"y\",{\"k\":2,\"j\":[]},1.5,1e+20,-0.0,true,null,{}]");
}

/* A key repeated in one object keeps its last value; a name that flattening
 * reaches twice keeps its first. */
static void
test_repeated_keys (void)
{
  g_autoptr (TessFrame) repeated = read_ok ("[{\"a\": 1, \"b\": 2, \"a\": 3}, {\"a\": 4}]", TESS_JSON_AUTO);
  g_autoptr (TessFrame) flattened = read_ok ("[{\"a.b\": 1, \"a\": {\"b\": 2}}]", TESS_JSON_AUTO);
  g_autoptr (TessFrame) columns = read_ok ("{\"a\": [1], \"b\": [5, 6], \"a\": [2, 3]}", TESS_JSON_AUTO);

  g_assert_cmpstr (tess_column_get_name (tess_frame_get_column (repeated, 0)), ==, "a");
  assert_column (repeated, "a", TESS_COLUMN_INT64, "3|4");
  assert_column (repeated, "b", TESS_COLUMN_INT64, "2|(null)");
  assert_column (flattened, "a.b", TESS_COLUMN_INT64, "1");
  assert_column (columns, "a", TESS_COLUMN_INT64, "2|3");
  assert_column (columns, "b", TESS_COLUMN_INT64, "5|6");
}

/* Text that is not JSON is refused with the place and what is wrong, even
 * where json-glib, which read records before, let it through. */
static void
test_not_json (void)
{
  static const struct
  {
    const char *text;
    TessJsonLayout layout;
    const char *message;
  } cases[] = {
    { "[\n  {\"a\": 1},\n  {\"a\": 2,}\n]", TESS_JSON_AUTO,
      "Line 3, column 11 (record 2): a comma before “}” is not JSON; remove it" },
    { "[{\"a\": 1},]", TESS_JSON_AUTO, "Line 1, column 11 (record 2): a comma before “]” is not JSON; remove it" },
    { "[{\"a\": 01}]", TESS_JSON_AUTO, "Line 1, column 8 (record 1): “01” is not a valid JSON number" },
    { "[{\"a\": 0x1F}]", TESS_JSON_AUTO, "Line 1, column 8 (record 1): “0x1F” is not a valid JSON number" },
    { "[{\"a\": .5}]", TESS_JSON_AUTO, "Line 1, column 8 (record 1): expected a value, not “.”" },
    { "[{\"a\": NaN}]", TESS_JSON_AUTO, "Line 1, column 8 (record 1): expected a value, not “NaN”" },
    { "[{\"a\": tru}]", TESS_JSON_AUTO,
      "Line 1, column 8 (record 1): “tru” is not a JSON value (true, false, null, a number or a string)" },
    { "[{'a': 1}]", TESS_JSON_AUTO, "Line 1, column 3 (record 1): expected a key in quotes, not “'”" },
    { "[{\"a\": 1 /* one */}]", TESS_JSON_AUTO, "Line 1, column 10 (record 1): expected “,” or “}”, not “/”" },
    { "[{\"a\": \"\\q\"}]", TESS_JSON_AUTO,
      "Line 1, column 9 (record 1): “\\q” is not a JSON escape; a backslash itself is written “\\\\”" },
    { "[{\"a\": \"\\ud83d!\"}]", TESS_JSON_AUTO,
      "Line 1, column 9 (record 1): \\ud83d is the first half of a surrogate pair, but no second half follows" },
    { "[{\"a\": \"\\u12\"}]", TESS_JSON_AUTO,
      "Line 1, column 9 (record 1): a \\u escape needs four hexadecimal digits" },
    { "[{\"a\" 1}]", TESS_JSON_AUTO, "Line 1, column 7 (record 1): expected “:” after the key, not “1”" },
    { "{\"a\": 1}\n{\"a\": 2} {\"a\": 3}\n", TESS_JSON_NDJSON,
      "Line 2, column 10 (record 2): unexpected text after the record; NDJSON has one record per line" },
    { "{\"a\": \"x\n\"}\n", TESS_JSON_NDJSON,
      "Line 1, column 7 (record 1): a string is never closed (a \" is missing)" },
    { "{\"a\": [1, 2], \"b\": [true, \"x\", ]}", TESS_JSON_AUTO,
      "Line 1, column 32 (column “b”, value 3): a comma before “]” is not JSON; remove it" },
    { "[{\"a\": 1}] [", TESS_JSON_AUTO, "Line 1, column 12: unexpected text after the array" },
    { "[{\"a\": \"caf\xc3\xa9\"}, {\"a\": \"\xc3\"}]", TESS_JSON_AUTO,
      "Line 1, column 24 (record 2): the text is not valid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) frame = read_text (cases[i].text, cases[i].layout, &error);
      g_assert_null (frame);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* Values nested exactly as deep as allowed are read; one level more is not. */
static void
test_depth_limit (void)
{
  for (int depth = 255; depth <= 257; depth++)
    {
      /* the array is level 1 and the record level 2; the value adds the rest */
      g_autoptr (GString) text = g_string_new ("[{\"v\": ");
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) frame = NULL;
      for (int i = 2; i < depth; i++)
        g_string_append_c (text, '[');
      for (int i = 2; i < depth; i++)
        g_string_append_c (text, ']');
      g_string_append (text, "}]");
      frame = read_text (text->str, TESS_JSON_AUTO, &error);
      if (depth <= 256)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 1);
        }
      else
        {
          g_assert_null (frame);
          g_assert_cmpstr (error->message, ==,
                           "Line 1, column 262 (record 1): values are nested more than 256 levels deep");
        }
    }
}

static void
test_cancelled (void)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (text, "{\"i\": %u}\n", i);
  g_cancellable_cancel (cancellable);
  frame = tess_json_read (text->str, text->len, TESS_JSON_AUTO, cancellable, &error);
  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A file reads as its text does; a missing or empty file says so. */
static void
test_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "vega", "cars.json", NULL);
  g_autofree char *dir = tess_test_dir_new ("tess-json-file-XXXXXX");
  g_autofree char *empty = tess_test_dir_write_file (dir, "empty.json", "");
  g_autofree char *ndjson = tess_test_dir_write_file (dir, "r.ndjson", "{\"a\": 1}\r\n{\"a\": 2}\r\n");
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) from_file = tess_json_read_file (path, TESS_JSON_AUTO, NULL, &error);
  g_autoptr (TessFrame) from_text = read_vega ("cars.json");
  g_autoptr (TessFrame) nothing = NULL;
  g_autoptr (TessFrame) lines = NULL;
  g_autoptr (TessFrame) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (from_file), ==, tess_frame_get_n_rows (from_text));
  g_assert_cmpuint (tess_frame_get_n_columns (from_file), ==, tess_frame_get_n_columns (from_text));
  for (guint c = 0; c < tess_frame_get_n_columns (from_text); c++)
    {
      TessColumn *a = tess_frame_get_column (from_text, c), *b = tess_frame_get_column (from_file, c);
      g_assert_cmpstr (tess_column_get_name (a), ==, tess_column_get_name (b));
      g_assert_cmpint (tess_column_get_column_type (a), ==, tess_column_get_column_type (b));
      for (gsize r = 0; r < tess_frame_get_n_rows (from_text); r++)
        {
          g_autofree char *x = tess_column_format_value (a, r);
          g_autofree char *y = tess_column_format_value (b, r);
          g_assert_cmpstr (x, ==, y);
        }
    }

  nothing = tess_json_read_file (empty, TESS_JSON_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_columns (nothing), ==, 0);

  lines = tess_json_read_file (ndjson, TESS_JSON_AUTO, NULL, &error);
  g_assert_no_error (error);
  assert_column (lines, "a", TESS_COLUMN_INT64, "1|2");

  none = tess_json_read_file (missing, TESS_JSON_AUTO, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing.json"));
  tess_test_dir_remove (dir);
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
  g_test_add_func ("/Data/json/budget-measured-then-read", test_budget_measured_then_read);
  g_test_add_func ("/Data/json/types-follow-values", test_types_follow_values);
  g_test_add_func ("/Data/json/late-turn", test_late_turn);
  g_test_add_func ("/Data/json/strings-and-nested-values", test_strings_and_nested_values);
  g_test_add_func ("/Data/json/repeated-keys", test_repeated_keys);
  g_test_add_func ("/Data/json/not-json", test_not_json);
  g_test_add_func ("/Data/json/depth-limit", test_depth_limit);
  g_test_add_func ("/Data/json/cancelled", test_cancelled);
  g_test_add_func ("/Data/json/file", test_file);
  return g_test_run ();
}
