/* columns.c: reading only some columns. The CSV and JSON readers asked for
 * some columns give exactly those, with the values and types a full read
 * gives them, on csv-spectrum and the vega files; and loads through the
 * cache (TessLoadOptions.columns) share the frames they can: a load of fewer
 * columns than a held frame has takes that frame's columns, and a load of
 * columns no held frame has reads a wider frame that serves both.
 */
#include "frame-compare.h"
#include "tess-cache.h"
#include "tess-csv-private.h"
#include "tess-frame.h"
#include "tess-json-reader-private.h"
#include "tess-source.h"
#include "tess-test-dir.h"
#include "tess-transform.h"

#include <math.h>
#include <string.h>

static char **
column_names (TessFrame *frame)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **names;

  for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
    g_strv_builder_add (builder, tess_column_get_name (tess_frame_get_column (frame, c)));
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

typedef TessFrame *(*ReadFunc) (const char *path, const char *const *columns, GError **error);

/* Reads @path in full, then each column alone, every other column, and the
 * columns with a name it lacks: each partial frame is the full one's
 * selection of those columns. */
static void
check_partial_reads (const char *path, ReadFunc read)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) full = read (path, NULL, &error);
  g_auto (GStrv) names = NULL;
  guint n;

  g_test_message ("%s", path);
  g_assert_no_error (error);
  names = column_names (full);
  n = g_strv_length (names);
  for (guint c = 0; c < n; c++)
    {
      const char *one[] = { names[c], NULL };
      g_autoptr (TessFrame) expected = tess_frame_select (full, one, &error);
      g_autoptr (TessFrame) partial = read (path, one, &error);

      g_assert_no_error (error);
      assert_same_frame (expected, partial);
    }
  if (n > 1)
    {
      g_autoptr (GPtrArray) some = g_ptr_array_new ();
      g_autoptr (GPtrArray) asked = g_ptr_array_new ();
      g_autoptr (TessFrame) expected = NULL;
      g_autoptr (TessFrame) partial = NULL;

      for (guint c = 0; c < n; c += 2)
        g_ptr_array_add (some, names[c]);
      /* asked in another order, with a name the data lacks: the frame keeps
       * the data's order, and what is not there is not there */
      for (guint i = some->len; i > 0; i--)
        g_ptr_array_add (asked, some->pdata[i - 1]);
      g_ptr_array_add (asked, (gpointer) "no such column");
      g_ptr_array_add (some, NULL);
      g_ptr_array_add (asked, NULL);
      expected = tess_frame_select (full, (const char *const *) some->pdata, &error);
      partial = read (path, (const char *const *) asked->pdata, &error);
      g_assert_no_error (error);
      assert_same_frame (expected, partial);
    }
}

static TessFrame *
read_csv_file (const char *path, const char *const *columns, GError **error)
{
  return tess_csv_read_file_columns (path, NULL, columns, NULL, NULL, error);
}

static TessFrame *
read_csv_text (const char *path, const char *const *columns, GError **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  return tess_csv_read_columns (text, length, NULL, columns, NULL, NULL, error);
}

static TessFrame *
read_json_file (const char *path, const char *const *columns, GError **error)
{
  return tess_json_read_file_columns (path, TESS_JSON_AUTO, columns, NULL, error);
}

static void
test_csv_spectrum (void)
{
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "data", "csv-spectrum", "csvs", NULL);
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      check_partial_reads (path, read_csv_file);
      check_partial_reads (path, read_csv_text);
      files++;
    }
  g_assert_cmpuint (files, >=, 12);
}

static void
test_vega (void)
{
  static const char *const csv[] = { "airports.csv", "iowa-electricity.csv", "seattle-weather.csv", "stocks.csv" };
  static const char *const json[] = { "cars.json", "gapminder.json" };

  for (guint i = 0; i < G_N_ELEMENTS (csv); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "vega", csv[i], NULL);
      check_partial_reads (path, read_csv_file);
    }
  for (guint i = 0; i < G_N_ELEMENTS (json); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "vega", json[i], NULL);
      check_partial_reads (path, read_json_file);
    }
}

/* One random field: empty, short or long, plain, quoted with delimiters,
 * doubled quotes and line breaks, or a number. */
static void
append_random_field (GString *text, char delim)
{
  static const char *const pieces[] = { "ab", "x", "12", "-3.5", "Oslo", "2024-01-02", "word word", "7" };

  switch (g_test_rand_int_range (0, 8))
    {
    case 0:
      break; /* empty */
    case 1:
      g_string_append_printf (text, "\"%s%c %s\"", pieces[g_test_rand_int_range (0, 8)], delim,
                              pieces[g_test_rand_int_range (0, 8)]);
      break;
    case 2:
      g_string_append (text, "\"a \"\"quoted\"\"\nline\r\nbreak\"");
      break;
    case 3:
      for (int n = g_test_rand_int_range (5, 45); n > 0; n--)
        g_string_append_c (text, 'a' + n % 26);
      break;
    case 4:
      g_string_append_printf (text, "%d", g_test_rand_int_range (-1000, 1000));
      break;
    default:
      g_string_append (text, pieces[g_test_rand_int_range (0, 8)]);
      break;
    }
}

/* Random text of many columns, most of them dropped by a partial read: long
 * and empty fields, quoted ones with delimiters and line breaks, CR LF line
 * ends, blank lines and, in lenient mode, short and long rows; the partial
 * reads give the columns the full read gives. */
static void
test_csv_skips_random_fields (void)
{
  for (int round = 0; round < 24; round++)
    {
      const char delim = round % 3 == 2 ? ';' : ',';
      const gboolean lenient = round % 2 == 1;
      const guint n_cols = 14, rows = 400;
      TessCsvOptions options = { .delimiter = delim, .lenient = lenient };
      g_autoptr (GString) text = g_string_new (NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) full = NULL;
      g_auto (GStrv) names = NULL;

      for (guint c = 0; c < n_cols; c++)
        g_string_append_printf (text, "%scol%u", c ? (delim == ';' ? ";" : ",") : "", c);
      g_string_append_c (text, '\n');
      for (guint r = 0; r < rows; r++)
        {
          guint fields = n_cols;
          if (lenient && g_test_rand_int_range (0, 10) == 0)
            fields = g_test_rand_int_range (1, n_cols + 4);
          for (guint c = 0; c < fields; c++)
            {
              if (c)
                g_string_append_c (text, delim);
              append_random_field (text, delim);
            }
          g_string_append (text, g_test_rand_int_range (0, 4) == 0 ? "\r\n" : "\n");
          if (g_test_rand_int_range (0, 50) == 0)
            g_string_append_c (text, '\n');
        }
      /* the last row may end without a line break, or with a delimiter */
      if (round % 4 == 1)
        g_string_truncate (text, text->len - 1);

      full = tess_csv_read_columns (text->str, text->len, &options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      names = column_names (full);
      for (guint pick = 0; pick < 6; pick++)
        {
          g_autoptr (GPtrArray) some = g_ptr_array_new ();
          g_autoptr (TessFrame) expected = NULL;
          g_autoptr (TessFrame) partial = NULL;

          for (guint c = 0; names[c]; c++)
            if (pick == 0 ? c == 0 || names[c + 1] == NULL : pick == 1 ? c == 7 : (c + round) % (pick + 1) == 0)
              g_ptr_array_add (some, names[c]);
          g_ptr_array_add (some, NULL);
          expected = tess_frame_select (full, (const char *const *) some->pdata, &error);
          g_assert_no_error (error);
          partial = tess_csv_read_columns (text->str, text->len, &options, (const char *const *) some->pdata, NULL,
                                           NULL, &error);
          g_assert_no_error (error);
          assert_same_frame (expected, partial);
        }
    }
}

/* Quoted fields with delimiters, doubled quotes and line breaks in the
 * columns that are skipped leave the rows where they are. */
static void
test_csv_skips_quoted_fields (void)
{
  const char *text = "a,b,c\n"
                     "1,\"x, \"\"y\"\"\nz\",2.5\n"
                     "2,\"\",\n"
                     "3,plain,1e3\n";
  const char *const wanted[] = { "c", "a", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = tess_csv_read_columns (text, strlen (text), NULL, wanted, NULL, NULL, &error);
  TessColumn *a, *c;

  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_columns (frame), ==, 2);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 3);
  a = tess_frame_get_column (frame, 0);
  c = tess_frame_get_column (frame, 1);
  g_assert_cmpstr (tess_column_get_name (a), ==, "a");
  g_assert_cmpstr (tess_column_get_name (c), ==, "c");
  g_assert_cmpint (tess_column_get_column_type (a), ==, TESS_COLUMN_INT64);
  g_assert_cmpint (tess_column_get_int64_data (a)[2], ==, 3);
  g_assert_cmpint (tess_column_get_column_type (c), ==, TESS_COLUMN_DOUBLE);
  g_assert_true (tess_column_is_null (c, 1));
  g_assert_cmpfloat (tess_column_get_double_data (c)[2], ==, 1000);
}

/* An unquoted field may hold a quote; in a column that is skipped it is
 * still part of that field, wherever it falls (the skipping reads sixteen
 * bytes at a time, and a quote at the start of such a block once read as one
 * that opens a field), in the middle of the text and at its end. */
static void
test_csv_skips_quote_inside_field (void)
{
  const char *const wanted[] = { "a", "e", NULL };

  for (guint len = 2; len <= 48; len++)
    for (guint at = 1; at < len; at++)
      for (guint last = 0; last < 2; last++)
        {
          g_autoptr (GString) field = g_string_new (NULL);
          g_autoptr (GString) text = g_string_new ("a,b,c,d,e\n");
          g_autoptr (GError) error = NULL;
          g_autoptr (TessFrame) full = NULL;
          g_autoptr (TessFrame) expected = NULL;
          g_autoptr (TessFrame) partial = NULL;

          for (guint k = 0; k < len; k++)
            g_string_append_c (field, k == at ? '"' : 'a' + k % 26);
          g_string_append_printf (text, "1,x,%s,y,2\n", field->str);
          g_string_append_printf (text, "3,%s,z,%s,4%s", field->str, field->str, last ? "" : "\n");
          full = tess_csv_read_columns (text->str, text->len, NULL, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          expected = tess_frame_select (full, wanted, &error);
          g_assert_no_error (error);
          partial = tess_csv_read_columns (text->str, text->len, NULL, wanted, NULL, NULL, &error);
          g_assert_no_error (error);
          assert_same_frame (expected, partial);
        }
}

/* Records: values of names not asked for are skipped, objects included,
 * unless a column asked for is under them; in every layout. */
static void
test_json_layouts (void)
{
  const char *records = "[{\"id\": 1, \"skip\": {\"deep\": [1, {\"x\": 2}]}, \"address\": {\"city\": \"Oslo\", "
                        "\"zip\": \"0150\"}, \"note\": \"a\\\"b\"},"
                        " {\"id\": 2.5, \"skip\": null, \"address\": {\"city\": null}, \"note\": true}]";
  const char *ndjson = "{\"id\": 1, \"skip\": [1, 2], \"address\": {\"city\": \"Oslo\"}}\n"
                       "{\"id\": 2.5, \"address\": {\"city\": null, \"zip\": \"x\"}}\n";
  const char *columns = "{\"id\": [1, 2.5], \"skip\": [\"a\", \"b\"], \"address.city\": [\"Oslo\", null]}";
  const char *const wanted[] = { "id", "address.city", NULL };
  const struct
  {
    const char *text;
    TessJsonLayout layout;
  } cases[] = {
    { records, TESS_JSON_DOCUMENT },
    { records, TESS_JSON_ARRAY_STREAM },
    { ndjson, TESS_JSON_NDJSON },
    { columns, TESS_JSON_DOCUMENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) full =
          tess_json_read (cases[i].text, strlen (cases[i].text), cases[i].layout, NULL, &error);
      g_autoptr (TessFrame) expected = NULL;
      g_autoptr (TessFrame) partial = NULL;

      g_assert_no_error (error);
      expected = tess_frame_select (full, wanted, &error);
      g_assert_no_error (error);
      partial = tess_json_read_columns (cases[i].text, strlen (cases[i].text), cases[i].layout, wanted, NULL, &error);
      g_assert_no_error (error);
      assert_same_frame (expected, partial);
      g_assert_cmpint (tess_column_get_column_type (tess_frame_get_column_by_name (partial, "id")), ==,
                       TESS_COLUMN_DOUBLE);
    }

  /* a skipped value is still checked: broken JSON is the same error either
   * way, a text cut short inside a skipped object or array too */
  {
    const char *const broken[] = {
      "[{\"id\": 1, \"skip\": tru}]",
      "[{\"id\": 1, \"skip\": {\"deep\": {\"x\": 1",
      "[{\"id\": 1, \"skip\": {\"deep\": [1, 2",
      "{\"id\": 1, \"skip\": {\"deep\": 1\n",
    };

    for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (GError) full_error = NULL;
        g_autoptr (TessFrame) frame =
            tess_json_read_columns (broken[i], strlen (broken[i]), TESS_JSON_AUTO, wanted, NULL, &error);
        g_autoptr (TessFrame) full = tess_json_read (broken[i], strlen (broken[i]), TESS_JSON_AUTO, NULL, &full_error);

        g_test_message ("%s", broken[i]);
        g_assert_null (frame);
        g_assert_null (full);
        g_assert_nonnull (error);
        g_assert_cmpstr (error->message, ==, full_error->message);
      }
  }
}

/* A name with a control character in it shows with U+FFFD in its place; asked
 * for by that name, the column is read, in each layout and from CSV. */
static void
test_names_shown (void)
{
  const char *const wanted[] = { "a\xef\xbf\xbd"
                                 "b",
                                 "n"
                                 "\xef\xbf\xbd"
                                 ".x",
                                 NULL };
  const struct
  {
    const char *text;
    TessJsonLayout layout;
  } cases[] = {
    { "[{\"a\\u0001b\": 1, \"c\": 2, \"n\\u0002\": {\"x\": 3}}]", TESS_JSON_DOCUMENT },
    { "{\"a\\u0001b\": 1, \"c\": 2, \"n\\u0002\": {\"x\": 3}}\n", TESS_JSON_NDJSON },
    { "{\"a\\u0001b\": [1], \"c\": [2], \"n\\u0002.x\": [3]}", TESS_JSON_DOCUMENT },
  };
  const char *csv = "a\x01"
                    "b,c,n\x02.x\n1,2,3\n";

  for (guint i = 0; i <= G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) frame =
          i < G_N_ELEMENTS (cases)
              ? tess_json_read_columns (cases[i].text, strlen (cases[i].text), cases[i].layout, wanted, NULL, &error)
              : tess_csv_read_columns (csv, strlen (csv), NULL, wanted, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (tess_frame_get_n_columns (frame), ==, 2);
      g_assert_cmpstr (tess_column_get_name (tess_frame_get_column (frame, 0)), ==, wanted[0]);
      g_assert_cmpstr (tess_column_get_name (tess_frame_get_column (frame, 1)), ==, wanted[1]);
      g_assert_cmpint (tess_column_get_int64_data (tess_frame_get_column (frame, 0))[0], ==, 1);
      g_assert_cmpint (tess_column_get_int64_data (tess_frame_get_column (frame, 1))[0], ==, 3);
    }
}

static TessFrame *
load_columns (const char *path, const char *const *columns)
{
  TessLoadOptions options = { .columns = columns };
  g_autoptr (GError) error = NULL;
  TessFrame *frame = tess_source_load (path, &options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return frame;
}

static TessColumn *
column (TessFrame *frame, const char *name)
{
  TessColumn *found = tess_frame_get_column_by_name (frame, name);
  g_assert_nonnull (found);
  return found;
}

/* From C through TessLoadOptions.columns: partial frames are cached by their
 * column set, a subset reuses a held frame and a new column widens it. */
static void
test_load_columns (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-columns-XXXXXX");
  g_autofree char *path = tess_test_dir_write_file (dir, "t.csv", "a,b,c,d\n1,x,2.5,true\n2,y,3.5,false\n");
  const char *const a[] = { "a", NULL };
  const char *const b[] = { "b", NULL };
  const char *const ab[] = { "b", "a", "a", NULL };
  const char *const c[] = { "c", NULL };
  const char *const d_and_missing[] = { "d", "zz", NULL };
  g_autoptr (TessFrame) only_a = NULL;
  g_autoptr (TessFrame) only_a_again = NULL;
  g_autoptr (TessFrame) only_b = NULL;
  g_autoptr (TessFrame) both = NULL;
  g_autoptr (TessFrame) a_after_widening = NULL;
  g_autoptr (TessFrame) full = NULL;
  g_autoptr (TessFrame) only_c = NULL;
  g_autoptr (TessFrame) only_d = NULL;
  guint entries;

  tess_cache_clear ();
  entries = tess_cache_get_n_entries ();

  only_a = load_columns (path, a);
  g_assert_cmpuint (tess_frame_get_n_columns (only_a), ==, 1);
  g_assert_cmpuint (tess_frame_get_n_rows (only_a), ==, 2);
  g_assert_cmpint (tess_column_get_int64_data (column (only_a, "a"))[1], ==, 2);
  g_assert_cmpuint (tess_cache_get_n_entries (), ==, entries + 1);

  /* the same set: the same frame's column */
  only_a_again = load_columns (path, a);
  g_assert_true (column (only_a_again, "a") == column (only_a, "a"));
  g_assert_cmpuint (tess_cache_get_n_entries (), ==, entries + 1);

  /* a column no held frame has: a wider frame, of a and b, which replaces
   * the frame of a */
  only_b = load_columns (path, b);
  g_assert_cmpuint (tess_frame_get_n_columns (only_b), ==, 1);
  g_assert_cmpstr (tess_column_get_string (column (only_b, "b"), 0), ==, "x");
  g_assert_cmpuint (tess_cache_get_n_entries (), ==, entries + 1);

  /* which serves a and b together, and a alone, without another read */
  both = load_columns (path, ab);
  g_assert_cmpuint (tess_frame_get_n_columns (both), ==, 2);
  g_assert_cmpstr (tess_column_get_name (tess_frame_get_column (both, 0)), ==, "a");
  g_assert_true (column (both, "b") == column (only_b, "b"));
  a_after_widening = load_columns (path, a);
  g_assert_true (column (a_after_widening, "a") == column (both, "a"));
  g_assert_cmpuint (tess_cache_get_n_entries (), ==, entries + 1);

  /* a full load serves any column from then on, and replaces the partial
   * frames */
  full = load_columns (path, NULL);
  g_assert_cmpuint (tess_frame_get_n_columns (full), ==, 4);
  g_assert_cmpuint (tess_cache_get_n_entries (), ==, entries + 1);
  only_c = load_columns (path, c);
  g_assert_true (column (only_c, "c") == column (full, "c"));
  g_assert_cmpuint (tess_frame_get_n_columns (only_c), ==, 1);
  g_assert_cmpuint (tess_cache_get_n_entries (), ==, entries + 1);

  /* a name the file lacks is not there: the step that names it says so */
  only_d = load_columns (path, d_and_missing);
  g_assert_cmpuint (tess_frame_get_n_columns (only_d), ==, 1);
  g_assert_cmpint (tess_column_get_column_type (column (only_d, "d")), ==, TESS_COLUMN_BOOL);

  tess_cache_clear ();
  tess_test_dir_remove (dir);
}

/* A frame the cache gave back is no reason to read more: after a clear, a
 * load of one column reads that column only. */
static void
test_load_columns_after_clear (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-columns-XXXXXX");
  g_autofree char *path =
      tess_test_dir_write_file (dir, "t.json", "[{\"a\": 1, \"b\": \"x\"}, {\"a\": 2, \"b\": \"y\"}]");
  const char *const a[] = { "a", NULL };
  const char *const b[] = { "b", NULL };
  g_autoptr (TessFrame) first = NULL;
  g_autoptr (TessFrame) second = NULL;
  g_autoptr (TessFrame) full = NULL;

  tess_cache_clear ();
  first = load_columns (path, a);
  g_assert_cmpuint (tess_frame_get_n_columns (first), ==, 1);
  g_clear_pointer (&first, tess_frame_unref);
  tess_cache_clear ();
  second = load_columns (path, b);
  g_assert_cmpuint (tess_frame_get_n_columns (second), ==, 1);
  g_assert_cmpstr (tess_column_get_string (column (second, "b"), 1), ==, "y");
  /* and the full frame is not a partial one */
  full = load_columns (path, NULL);
  g_assert_cmpuint (tess_frame_get_n_columns (full), ==, 2);
  tess_cache_clear ();
  tess_test_dir_remove (dir);
}

/* Loads from threads at once, as a dashboard's fragments load one source:
 * each asks for its own columns, some all of them, and now and then the
 * cache is cleared (a reload) under them; every frame is what it asked for,
 * with the file's values, however the cache shared, widened or replaced its
 * frames meanwhile. */
typedef struct
{
  const char *path;
  TessFrame *full; /* the file read whole, once */
  guint seed;
} Loader;

static gpointer
load_thread (gpointer data)
{
  Loader *loader = data;
  GRand *rand = g_rand_new_with_seed (loader->seed);
  guint n = tess_frame_get_n_columns (loader->full);

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr (GPtrArray) wanted = g_ptr_array_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) expected = NULL;
      g_autoptr (TessFrame) frame = NULL;
      TessLoadOptions options = { 0 };
      gboolean all = g_rand_int_range (rand, 0, 10) == 0;

      for (guint c = 0; c < n && !all; c++)
        if (g_rand_int_range (rand, 0, 3) == 0)
          g_ptr_array_add (wanted, (gpointer) tess_column_get_name (tess_frame_get_column (loader->full, c)));
      if (!all && wanted->len == 0)
        g_ptr_array_add (wanted, (gpointer) tess_column_get_name (tess_frame_get_column (loader->full, 0)));
      g_ptr_array_add (wanted, NULL);
      options.columns = all ? NULL : (const char *const *) wanted->pdata;
      if (g_rand_int_range (rand, 0, 12) == 0)
        tess_cache_clear ();
      frame = tess_source_load (loader->path, &options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      expected = all ? tess_frame_ref (loader->full) : tess_frame_select (loader->full, options.columns, &error);
      g_assert_no_error (error);
      assert_same_frame (expected, frame);
    }
  g_rand_free (rand);
  return NULL;
}

static void
test_load_columns_concurrent (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-columns-XXXXXX");
  g_autoptr (GString) text = g_string_new ("id,name,price,day,flag,city,qty,note\n");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  Loader loaders[4];
  GThread *threads[G_N_ELEMENTS (loaders)];

  for (guint r = 0; r < 60000; r++)
    g_string_append_printf (text, "%u,name %u,%u.%02u,2024-%02u-%02u,%s,\"City, %c\",%u,\"a \"\"note\"\"\nhere\"\n", r,
                            r % 97, r % 1000, r % 100, r % 12 + 1, r % 28 + 1, r % 3 ? "true" : "false", 'A' + r % 26,
                            r * 7 % 1000);
  path = tess_test_dir_write_file (dir, "orders.csv", text->str);
  tess_cache_clear ();
  for (guint i = 0; i < G_N_ELEMENTS (loaders); i++)
    {
      loaders[i] = (Loader){ path, tess_csv_read (text->str, text->len, NULL, NULL, NULL, &error), 17 + i };
      g_assert_no_error (error);
      threads[i] = g_thread_new ("loader", load_thread, &loaders[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (loaders); i++)
    {
      g_thread_join (threads[i]);
      tess_frame_unref (loaders[i].full);
    }
  tess_cache_clear ();
  tess_test_dir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Data/columns/csv-spectrum", test_csv_spectrum);
  g_test_add_func ("/Data/columns/vega", test_vega);
  g_test_add_func ("/Data/columns/csv-skips-random-fields", test_csv_skips_random_fields);
  g_test_add_func ("/Data/columns/csv-quoted-skipped", test_csv_skips_quoted_fields);
  g_test_add_func ("/Data/columns/csv-quote-inside-skipped", test_csv_skips_quote_inside_field);
  g_test_add_func ("/Data/columns/json-layouts", test_json_layouts);
  g_test_add_func ("/Data/columns/names-shown", test_names_shown);
  g_test_add_func ("/Data/columns/load", test_load_columns);
  g_test_add_func ("/Data/columns/load-after-clear", test_load_columns_after_clear);
  g_test_add_func ("/Data/columns/load-concurrent", test_load_columns_concurrent);
  return g_test_run ();
}
