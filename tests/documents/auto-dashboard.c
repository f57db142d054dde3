/* auto-dashboard.c: data files open as exploratory dashboards, and opening
 * tells documents from data files. */
#include "tess-auto-dashboard.h"
#include "tess-document-open.h"
#include "tess-document-node.h"
#include "fragments/test-host.h"
#include "tess-test-dir.h"

#include <string.h>

#define WEATHER "resource:///io/github/tessera/Tessera/documents/data/seattle-weather.csv"

static TessElement *
find_kind (TessElement *element, TessElementKind kind, guint *skip)
{
  if (tess_element_get_kind (element) == kind)
    {
      if (*skip == 0)
        return element;
      (*skip)--;
    }
  for (guint i = 0; i < tess_element_get_n_children (element); i++)
    {
      TessElement *found = find_kind (tess_element_get_child (element, i), kind, skip);
      if (found)
        return found;
    }
  return NULL;
}

static TessElement *
nth (TestHost *host, const char *path, TessElementKind kind, guint index)
{
  TessElement *root = test_host_root (host, path);
  TessElement *found;

  g_assert_nonnull (root);
  found = find_kind (root, kind, &index);
  g_assert_nonnull (found);
  return found;
}

static const char *
metric (TestHost *host, const char *path, guint index, const char *label)
{
  TessElement *element = nth (host, path, TESS_ELEMENT_METRIC, index);

  g_assert_cmpstr (tess_element_get_string (element, "label"), ==, label);
  return tess_element_get_string (element, "value");
}

static void
test_weather_csv (void)
{
  g_autoptr (TessAutoDashboard) dashboard = tess_auto_dashboard_new (WEATHER);
  g_autoptr (TestHost) host = test_host_new (tess_auto_dashboard_run, dashboard);
  TessElement *chart;
  g_autoptr (GVariant) y = NULL;

  test_host_start (host);
  test_host_wait_idle (host, 20);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);

  /* The overview: rows, columns, and one summary row per column. */
  g_assert_cmpstr (metric (host, "overview", 0, "Rows"), ==, "1461");
  g_assert_cmpstr (metric (host, "overview", 1, "Columns"), ==, "6");
  g_assert_cmpstr (metric (host, "overview", 2, "Nulls"), ==, "0");
  g_assert_cmpuint (tess_frame_get_n_rows (tess_element_get_frame (nth (host, "overview", TESS_ELEMENT_TABLE, 0))), ==,
                    6);

  /* One fragment per column, each the summary its type calls for. */
  g_assert_cmpstr (metric (host, "date", 0, "First"), ==, "2012-01-01");
  g_assert_cmpstr (metric (host, "date", 1, "Last"), ==, "2015-12-31");
  chart = nth (host, "date", TESS_ELEMENT_CHART, 0);
  g_assert_cmpuint (tess_frame_get_n_rows (tess_element_get_frame (chart)), ==, 48); /* months */

  g_assert_cmpstr (metric (host, "precipitation", 0, "Min"), ==, "0");
  g_assert_cmpstr (metric (host, "precipitation", 2, "Max"), ==, "55.9");
  chart = nth (host, "precipitation", TESS_ELEMENT_CHART, 0);
  y = tess_element_lookup (chart, "spec", G_VARIANT_TYPE_VARDICT);
  g_assert_nonnull (y);

  g_assert_cmpstr (metric (host, "weather", 0, "Distinct"), ==, "5");
  chart = nth (host, "weather", TESS_ELEMENT_CHART, 0);
  TessFrame *top = tess_element_get_frame (chart);
  g_assert_cmpuint (tess_frame_get_n_rows (top), ==, 5);
  g_assert_cmpstr (tess_column_get_string (tess_frame_get_column_by_name (top, "value"), 0), ==, "rain");
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (top, "count"), 0), ==, 641);

  g_assert_cmpuint (tess_frame_get_n_rows (tess_element_get_frame (nth (host, "data", TESS_ELEMENT_TABLE, 0))), ==,
                    1461);
  /* overview, six columns, the table, and the dashboard itself */
  g_assert_cmpuint (g_hash_table_size (host->states), ==, 9);
}

static void
test_ndjson_with_nulls (void)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-auto-XXXXXX");
  g_autofree char *path =
      tess_test_dir_write_file (dir, "events.ndjson",
                                "{\"when\": \"2024-05-01T10:00:00Z\", \"kind\": \"open\", \"ms\": 12}\n"
                                "{\"when\": \"2024-05-01T11:30:00Z\", \"kind\": \"close\", \"ms\": null}\n"
                                "{\"when\": \"2024-05-03T09:00:00Z\", \"kind\": \"open\", \"ms\": 30}\n");
  g_autoptr (TessAutoDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;

  dashboard = tess_auto_dashboard_new (path);
  host = test_host_new (tess_auto_dashboard_run, dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 20);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  g_assert_cmpstr (metric (host, "overview", 0, "Rows"), ==, "3");
  g_assert_cmpstr (metric (host, "overview", 2, "Nulls"), ==, "1");
  g_assert_cmpstr (metric (host, "kind", 0, "Distinct"), ==, "2");
  g_assert_cmpstr (metric (host, "ms", 1, "Mean"), ==, "21");
  g_assert_cmpstr (metric (host, "ms", 3, "Nulls"), ==, "1");
  /* Three days of events: counted per day. */
  g_assert_cmpuint (tess_frame_get_n_rows (tess_element_get_frame (nth (host, "when", TESS_ELEMENT_CHART, 0))), ==, 2);

  tess_test_dir_remove (dir);
}

static void
test_classify (void)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-open-XXXXXX");
  g_autofree char *doc =
      tess_test_dir_write_file (dir, "dash.json", "\xEF\xBB\xBF  {\"tessera\": 1, \"fragments\": []}");
  g_autofree char *data = tess_test_dir_write_file (dir, "rows.json", "[{\"a\": 1}]");
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (tess_document_classify_target (doc, NULL), ==, TESS_DOCUMENT_TARGET_DOCUMENT);
  g_assert_cmpint (tess_document_classify_target (data, NULL), ==, TESS_DOCUMENT_TARGET_DATA);
  g_assert_cmpint (tess_document_classify_target ("x/y/sales.tessera", NULL), ==, TESS_DOCUMENT_TARGET_DOCUMENT);
  g_assert_cmpint (tess_document_classify_target ("https://example.com/a.csv?x=1", NULL), ==,
                   TESS_DOCUMENT_TARGET_DATA);
  g_assert_cmpint (tess_document_classify_target ("/no/such/file.json", &error), ==, TESS_DOCUMENT_TARGET_INVALID);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An invalid document does not open, and says why. */
  g_assert_null (tess_document_open (doc, &error));
  g_assert_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID);
  g_assert_true (strstr (error->message, "\"fragments\" is empty") != NULL);

  tess_test_dir_remove (dir);
}

/* A 3-row file of 100,000 columns: the first 200 get a summary and the data
 * table, the overview lists all of them and says how many are not summarised. */
static void
test_wide_csv (void)
{
  const guint n = 100000;
  g_autofree char *dir = tess_test_dir_new ("tessera-auto-XXXXXX");
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr (TessAutoDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  TessFrame *overview, *data;

  for (guint row = 0; row < 4; row++)
    for (guint c = 0; c < n; c++)
      {
        if (row == 0)
          g_string_append_printf (text, "c%u", c + 1);
        else
          g_string_append_printf (text, "%u", c * row);
        g_string_append_c (text, c + 1 < n ? ',' : '\n');
      }
  path = tess_test_dir_write_file (dir, "wide.csv", text->str);
  dashboard = tess_auto_dashboard_new (path);
  host = test_host_new (tess_auto_dashboard_run, dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 60);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);

  g_assert_cmpstr (metric (host, "overview", 0, "Rows"), ==, "3");
  g_assert_cmpstr (metric (host, "overview", 1, "Columns"), ==, "100000");
  g_assert_cmpstr (test_host_find_text (host, "overview", TESS_ELEMENT_CAPTION, "The first"), ==,
                   "The first 200 columns are summarised below; the other 99800 are listed only in this table.");
  overview = tess_element_get_frame (nth (host, "overview", TESS_ELEMENT_TABLE, 0));
  g_assert_cmpuint (tess_frame_get_n_rows (overview), ==, n);
  g_assert_cmpstr (tess_column_get_string (tess_frame_get_column_by_name (overview, "column"), n - 1), ==, "c100000");

  /* the overview, 200 summaries, the data table and the dashboard itself */
  g_assert_cmpuint (g_hash_table_size (host->states), ==, 203);
  g_assert_cmpstr (metric (host, "c200", 2, "Max"), ==, "597");
  g_assert_null (test_host_root (host, "c201"));

  data = tess_element_get_frame (nth (host, "data", TESS_ELEMENT_TABLE, 0));
  g_assert_cmpuint (tess_frame_get_n_columns (data), ==, 200);
  g_assert_cmpuint (tess_frame_get_n_rows (data), ==, 3);
  g_assert_cmpstr (test_host_find_text (host, "data", TESS_ELEMENT_CAPTION, NULL), ==,
                   "The first 200 of 100000 columns.");

  tess_test_dir_remove (dir);
}

/* A compressed file named .csv: a clear error, never its bytes as names. */
static void
test_binary_file (void)
{
  const char *csv = "city,visits\nOslo,3\nLima,5\n";
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr (GInputStream) plain = g_memory_input_stream_new_from_data (csv, strlen (csv), NULL);
  g_autoptr (GInputStream) packed = g_converter_input_stream_new (plain, G_CONVERTER (compressor));
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autofree char *dir = tess_test_dir_new ("tessera-auto-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "visits.csv", NULL);
  g_autoptr (GBytes) gzip = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TessAutoDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  GHashTableIter iter;
  const char *message = NULL;
  gpointer value;

  g_output_stream_splice (out, packed, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  gzip = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (gzip, NULL), g_bytes_get_size (gzip), &error));

  dashboard = tess_auto_dashboard_new (path);
  host = test_host_new (tess_auto_dashboard_run, dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 20);
  g_assert_cmpuint (test_host_count_errors (host), ==, 1);
  g_hash_table_iter_init (&iter, host->errors);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    message = value;
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "a NUL byte; this does not look like text data"));
  /* no fragment was declared from its bytes */
  g_assert_null (test_host_root (host, "overview"));

  tess_test_dir_remove (dir);
}

/* A file like the penguins': a few sexes, a skewed income, a well-behaved
 * mass, and columns named like the dashboard's own fragments or with a "/". */
static char *
penguins_csv (void)
{
  GString *text = g_string_new ("species,sex,income,body_mass_g,data,a/b\n");
  static const char *const species[] = { "Adelie", "Gentoo", "Chinstrap" };
  static const char *const sexes[] = { "MALE", "FEMALE", "" };

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (text, "%s,%s,%u,%u,%u,%u\n", species[i % 3], sexes[(i / 3) % 3],
                            i == 17 || i == 250 ? 1000000 + i : 1000 + (i * 37) % 2000, 3000 + (i * 53) % 2500, i, i);
  return g_string_free (text, FALSE);
}

static void
test_readable_summaries (void)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-auto-XXXXXX");
  g_autofree char *csv = penguins_csv ();
  g_autofree char *path = tess_test_dir_write_file (dir, "penguins.csv", csv);
  g_autoptr (TessAutoDashboard) dashboard = tess_auto_dashboard_new (path);
  g_autoptr (TestHost) host = test_host_new (tess_auto_dashboard_run, dashboard);
  g_autoptr (GPtrArray) timeline = NULL;
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GVariant) spec = NULL;
  TessElement *chart;
  TessFrame *kept;
  TessColumn *values;
  gint32 height = 0;
  double top = 0;

  test_host_start (host);
  test_host_wait_idle (host, 20);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);

  /* the timeline names each fragment after its column, in full */
  timeline = tess_session_get_timeline (host->session);
  for (guint i = 0; i < timeline->len; i++)
    g_hash_table_add (names, g_strdup (((TessRunRecord *) g_ptr_array_index (timeline, i))->fragment));
  for (const char *const *name = (const char *const[]){ "species", "sex", "income", "body_mass_g", "data column 5",
                                                        "a\u2215b", "overview", "data", NULL };
       *name; name++)
    if (!g_hash_table_contains (names, *name))
      g_error ("no fragment \"%s\" in the timeline", *name);
  g_assert_cmpstr (test_host_find_text (host, "sex", TESS_ELEMENT_SUBHEADER, NULL), ==, "sex");
  g_assert_cmpstr (test_host_find_text (host, "a\u2215b", TESS_ELEMENT_SUBHEADER, NULL), ==, "a/b");

  /* two sexes: a bar each, with room for its label (the chart's title and
   * axis take about 100 px; a line of text about 20) */
  chart = nth (host, "sex", TESS_ELEMENT_CHART, 0);
  g_assert_cmpuint (tess_frame_get_n_rows (tess_element_get_frame (chart)), ==, 2);
  spec = tess_element_lookup (chart, "spec", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (spec, "height", "i", &height));
  g_assert_cmpint ((height - 100) / 2, >=, 28);
  g_clear_pointer (&spec, g_variant_unref);
  chart = nth (host, "species", TESS_ELEMENT_CHART, 0);
  spec = tess_element_lookup (chart, "spec", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (spec, "height", "i", &height));
  g_assert_cmpint ((height - 100) / 3, >=, 28);

  /* a skewed column: the histogram of its bulk, and a note on what it leaves out */
  g_assert_cmpstr (metric (host, "income", 2, "Max"), ==, "1000250");
  g_assert_nonnull (test_host_find_text (host, "income", TESS_ELEMENT_CAPTION, "Skewed: "));
  g_assert_nonnull (strstr (test_host_find_text (host, "income", TESS_ELEMENT_CAPTION, "Skewed: "),
                            "2 larger values, up to 1000250, are left out."));
  kept = tess_element_get_frame (nth (host, "income", TESS_ELEMENT_CHART, 0));
  values = tess_frame_get_column (kept, 0);
  g_assert_cmpuint (tess_frame_get_n_rows (kept), ==, 298);
  for (gsize i = 0; i < tess_column_get_length (values); i++)
    top = MAX (top, tess_column_get_double (values, i));
  g_assert_cmpfloat (top, <, 3000);
  /* a column without far values keeps all of them, and no note */
  g_assert_null (test_host_find_text (host, "body_mass_g", TESS_ELEMENT_CAPTION, "Skewed: "));
  g_assert_cmpuint (tess_frame_get_n_rows (tess_element_get_frame (nth (host, "body_mass_g", TESS_ELEMENT_CHART, 0))),
                    ==, 300);

  tess_test_dir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Documents/auto/weather-csv", test_weather_csv);
  g_test_add_func ("/Documents/auto/ndjson-with-nulls", test_ndjson_with_nulls);
  g_test_add_func ("/Documents/auto/wide-csv", test_wide_csv);
  g_test_add_func ("/Documents/auto/readable-summaries", test_readable_summaries);
  g_test_add_func ("/Documents/auto/binary-file", test_binary_file);
  g_test_add_func ("/Documents/open/classify", test_classify);
  return g_test_run ();
}
