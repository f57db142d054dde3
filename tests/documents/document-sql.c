/* document-sql.c: databases in documents, against the run's PostgreSQL server
 * (tests/support/tess-test-postgres.h).
 *
 * The rules of database sources (no password in an address, no input in a
 * query, parameters that match the query); queries whose parameters come
 * from inputs, hostile strings among them, always bound; pipelines over a
 * table compiled to one statement, which the server's log shows it ran
 * (a group-by with a filter on an input aggregates on the server), and
 * whose results are the same, cell for cell, as the same pipelines on this
 * computer over the same rows read from a CSV file, the steps the database
 * does not compute included; metrics computed as aggregates; `--check`
 * against the live catalog and with the server down; and the password
 * function the application sets.
 */
#include "tess-cache.h"
#include "tess-csv.h"
#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "tess-document-sql.h"
#include "fragments/test-host.h"
#include "tess-test-dir.h"
#include "tess-test-postgres.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

static char *tmp_dir;
static char *dbname;
static char *db_uri;

/* The rows both the database and the CSV file hold. Text sorts byte by byte
 * ("Rug" before "chair"); some values are null. */
static const char *const columns_sql =
    "id int4, day date, region text, product text, units int4, price float8, paid bool, at timestamp, "
    "at_tz timestamptz";
static const char *const rows[][9] = {
  { "1", "2024-01-03", "north", "Lamp", "5", "19.5", "true", "2024-01-03 10:15:00", "2024-01-03 23:30:00+00" },
  { "2", "2024-01-17", "south", "desk", "2", "249", "false", "2024-01-17 08:00:00", "2024-01-17 00:10:00+00" },
  { "3", "2024-02-01", "east", "Chair", "", "119", "true", "2024-02-01 12:00:00", "2024-02-01 12:00:00+00" },
  { "4", "2024-02-14", "north", "desk", "4", "249", "true", "2024-02-14 18:30:00", "2024-02-14 23:59:59+00" },
  { "5", "2024-03-09", "", "Rug", "1", "159", "false", "2024-03-09 09:00:00", "2024-03-09 01:00:00+00" },
  { "6", "2023-12-30", "west", "chair", "3", "", "", "2023-12-30 23:00:00", "2023-12-31 23:00:00+00" },
  { "7", "2024-03-21", "south", "Lamp", "7", "21", "true", "2024-03-21 07:45:00", "2024-03-21 07:45:00+00" },
  { "8", "2024-04-02", "north", "Shelf", "2", "89.25", "false", "2024-04-02 16:20:00", "2024-04-02 16:20:00+00" },
  { "9", "2024-04-02", "east", "Lamp", "0", "19.5", "true", "2024-04-02 16:20:00", "2024-04-02 16:20:00+00" },
  { "10", "2024-05-11", "west", "desk", "6", "-3", "true", "2024-05-11 11:11:00", "2024-05-11 11:11:00+00" },
};
static const char *const regions_csv = "region,manager,target\n"
                                       "north,Ines,60000\n"
                                       "south,Tomás,45000\n"
                                       "east,Priya,50000\n";

/* The same fragments, over the database's tables and over the CSV files. */
static const char *const inputs_json =
    "  \"inputs\": {\n"
    "    \"region\": {\"kind\": \"selectbox\", \"options\": [\"north\", \"south\", \"east\"]},\n"
    "    \"products\": {\"kind\": \"multiselect\", \"options\": [\"Lamp\", \"desk\", \"Rug\"], \"default\": "
    "[\"Lamp\", \"desk\"]},\n"
    "    \"min_units\": {\"kind\": \"slider\", \"min\": 0, \"max\": 10, \"default\": 2},\n"
    "    \"since\": {\"kind\": \"date\", \"default\": \"2024-02-01\"},\n"
    "    \"measure\": {\"kind\": \"selectbox\", \"options\": [\"units\", \"price\"]}\n"
    "  },\n";
static const char *const fragments_json =
    "  \"fragments\": [\n"
    "    {\"id\": \"filtered\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"filter\": {\"column\": \"region\", \"value\": \"$region\"}}, {\"sort\": \"id\"}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"any\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"filter\": {\"any\": [{\"column\": \"units\", \"op\": \">\", \"value\": \"$min_units\"},\n"
    "                           {\"column\": \"product\", \"op\": \"contains\", \"value\": \"es\"}]}},\n"
    "      {\"sort\": [{\"column\": \"price\", \"descending\": true}, \"id\"]}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"sets\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"filter\": {\"all\": [{\"column\": \"product\", \"op\": \"in\", \"value\": \"$products\"},\n"
    "                           {\"column\": \"region\", \"op\": \"not_in\", \"value\": [\"south\"]},\n"
    "                           {\"column\": \"units\", \"op\": \"not_null\"}]}},\n"
    "      {\"sort\": \"id\"}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"dates\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"filter\": {\"all\": [{\"column\": \"day\", \"op\": \"year\", \"value\": 2024},\n"
    "                           {\"column\": \"day\", \"op\": \">=\", \"value\": \"$since\"},\n"
    "                           {\"column\": \"at_tz\", \"op\": \"<\", \"value\": \"2024-04-02 16:20:00\"}]}},\n"
    "      {\"sort\": \"id\"}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"text-order\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"filter\": {\"column\": \"product\", \"op\": \">\", \"value\": \"Lamp\"}},\n"
    "      {\"sort\": [\"product\", {\"column\": \"units\", \"descending\": true}]}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"dropped-key\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"sort\": {\"column\": \"day\", \"descending\": true}}, {\"sort\": \"region\"},\n"
    "      {\"select\": [\"product\", \"units\", \"id\"]}, {\"head\": 6}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"derived\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"rename\": {\"units\": \"qty\"}},\n"
    "      {\"derive\": {\"as\": \"total\", \"expr\": \"qty * price\"}},\n"
    "      {\"derive\": {\"as\": \"odd\", \"expr\": \"sqrt(price) + log(qty) + price / qty - qty % 4 + round(price / "
    "2) "
    "+ abs(-qty) + floor(price) - ceil(price) + exp(qty) + `id` * 0\"}},\n"
    "      {\"sort\": [{\"column\": \"total\", \"descending\": true}, \"id\"]}, {\"head\": 7}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"grouped\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"bucket\": {\"column\": \"day\", \"unit\": \"month\", \"as\": \"month\"}},\n"
    "      {\"group_by\": {\"keys\": [\"month\", \"region\"], \"aggregates\": [\n"
    "        {\"op\": \"count\"}, {\"column\": \"units\", \"op\": \"sum\"}, {\"column\": \"price\", \"op\": "
    "\"mean\"},\n"
    "        {\"column\": \"product\", \"op\": \"min\"}, {\"column\": \"day\", \"op\": \"max\"},\n"
    "        {\"column\": \"price\", \"op\": \"median\", \"as\": \"middle\"}, {\"column\": \"product\", \"op\": "
    "\"distinct\"},\n"
    "        {\"column\": \"paid\", \"op\": \"sum\"}, {\"column\": \"units\", \"op\": \"count\", \"as\": "
    "\"n_units\"}]}}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"buckets\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"bucket\": {\"column\": \"at_tz\", \"unit\": \"day\"}},\n"
    "      {\"bucket\": {\"column\": \"at\", \"unit\": \"week\", \"as\": \"week\"}},\n"
    "      {\"bucket\": {\"column\": \"day\", \"unit\": \"quarter\"}},\n"
    "      {\"select\": [\"id\", \"at_tz\", \"week\", \"day\"]}, {\"sort\": \"id\"}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"joined\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"group_by\": {\"keys\": \"region\", \"aggregates\": [{\"column\": \"units\", \"op\": \"sum\", \"as\": "
    "\"units\"}]}},\n"
    "      {\"join\": {\"source\": \"regions\", \"on\": \"region\"}},\n"
    "      {\"derive\": {\"as\": \"share\", \"expr\": \"units / target\"}}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"local\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"filter\": {\"column\": \"units\", \"op\": \">=\", \"value\": \"$min_units\"}},\n"
    "      {\"sort\": \"day\"},\n"
    "      {\"rolling\": {\"column\": \"units\", \"window\": 2, \"op\": \"sum\"}},\n"
    "      {\"filter\": {\"column\": \"units_rolling_sum\", \"op\": \">\", \"value\": 5}},\n"
    "      {\"tail\": 3}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"chosen\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"group_by\": {\"keys\": \"product\", \"aggregates\": [{\"column\": \"$measure\", \"op\": \"max\", "
    "\"as\": \"top\"}]}}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"metrics\", \"source\": \"sales\", \"pipeline\": [\n"
    "      {\"filter\": {\"column\": \"region\", \"op\": \"!=\", \"value\": \"west\"}}],\n"
    "     \"views\": [\n"
    "      {\"type\": \"metric\", \"label\": \"Units\", \"value\": {\"column\": \"units\", \"op\": \"sum\"}, "
    "\"delta\": {\"column\": \"units\", \"op\": \"max\"}},\n"
    "      {\"type\": \"metric\", \"label\": \"Price\", \"value\": {\"column\": \"price\", \"op\": \"mean\"}, "
    "\"decimals\": 3},\n"
    "      {\"type\": \"metric\", \"label\": \"Median\", \"value\": {\"column\": \"price\", \"op\": \"median\"}, "
    "\"delta\": {\"column\": \"price\", \"op\": \"min\"}},\n"
    "      {\"type\": \"metric\", \"label\": \"Rows\", \"value\": {\"op\": \"count\"}},\n"
    "      {\"type\": \"metric\", \"label\": \"Products\", \"value\": {\"column\": \"product\", \"op\": "
    "\"distinct\"}},\n"
    "      {\"type\": \"metric\", \"label\": \"Paid\", \"value\": {\"column\": \"paid\", \"op\": \"sum\"}},\n"
    "      {\"type\": \"metric\", \"label\": \"Text\", \"value\": {\"column\": \"region\", \"op\": \"mean\"}},\n"
    "      {\"type\": \"text\", \"text\": \"Over every region but the west\"}]},\n"
    "    {\"id\": \"last-metric\", \"source\": \"sales\", \"pipeline\": [{\"sort\": \"id\"}],\n"
    "     \"views\": [{\"type\": \"metric\", \"label\": \"Last\", \"value\": {\"column\": \"price\"}}]}\n"
    "  ]\n";

static char *
write_file (const char *name, const char *contents)
{
  return tess_test_dir_write_file (tmp_dir, name, contents);
}

/* "sales.tessera" over @sources, with the fragments above; no problems. */
static TessDocument *
load_doc (const char *sources_json)
{
  g_autofree char *text =
      g_strdup_printf ("{\n  \"tessera\": 1,\n%s  \"sources\": %s,\n%s}\n", inputs_json, sources_json, fragments_json);
  g_autofree char *path = write_file ("sales.tessera", text);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  TessDocument *doc = tess_document_new_from_text (text, -1, uri);
  g_autofree char *problems = tess_document_format_problems (doc, "sales.tessera");

  g_assert_cmpstr (problems, ==, "");
  return doc;
}

static TessElement *
find_kind (TessElement *element, TessElementKind kind, guint *skip)
{
  if (tess_element_get_kind (element) == kind && (*skip)-- == 0)
    return element;
  for (guint i = 0; i < tess_element_get_n_children (element); i++)
    {
      TessElement *found = find_kind (tess_element_get_child (element, i), kind, skip);
      if (found)
        return found;
    }
  return NULL;
}

static TessElement *
nth_element (TestHost *host, const char *path, TessElementKind kind, guint n)
{
  TessElement *root = test_host_root (host, path);
  guint skip = n;

  g_assert_nonnull (root);
  return find_kind (root, kind, &skip);
}

static TessFrame *
table_of (TestHost *host, const char *path)
{
  TessElement *table = nth_element (host, path, TESS_ELEMENT_TABLE, 0);

  g_assert_nonnull (table);
  return tess_element_get_frame (table);
}

/* The frames are equal: names, types, rows; doubles to 1e-9 relative. */
static void
assert_frames_equal (const char *what, TessFrame *expected, TessFrame *actual)
{
  g_test_message ("%s: %" G_GSIZE_FORMAT " rows", what, tess_frame_get_n_rows (expected));
  g_assert_cmpuint (tess_frame_get_n_columns (actual), ==, tess_frame_get_n_columns (expected));
  g_assert_cmpuint (tess_frame_get_n_rows (actual), ==, tess_frame_get_n_rows (expected));
  for (guint c = 0; c < tess_frame_get_n_columns (expected); c++)
    {
      TessColumn *e = tess_frame_get_column (expected, c);
      TessColumn *a = tess_frame_get_column (actual, c);

      g_assert_cmpstr (tess_column_get_name (a), ==, tess_column_get_name (e));
      g_assert_cmpint (tess_column_get_column_type (a), ==, tess_column_get_column_type (e));
      for (gsize r = 0; r < tess_frame_get_n_rows (expected); r++)
        {
          g_autofree char *ev = tess_column_format_value (e, r);
          g_autofree char *av = tess_column_format_value (a, r);
          g_assert_cmpint (tess_column_is_null (a, r), ==, tess_column_is_null (e, r));
          if (tess_column_get_column_type (e) == TESS_COLUMN_DOUBLE && !tess_column_is_null (e, r))
            {
              double x = tess_column_get_double (e, r), y = tess_column_get_double (a, r);
              if (fabs (x - y) > 1e-9 * MAX (1, fabs (x)))
                g_error ("%s: column %s, row %" G_GSIZE_FORMAT ": %s here, %s from the database", what,
                         tess_column_get_name (e), r, ev, av);
            }
          else if (g_strcmp0 (ev, av) != 0)
            g_error ("%s: column %s, row %" G_GSIZE_FORMAT ": %s here, %s from the database", what,
                     tess_column_get_name (e), r, ev, av);
        }
    }
}

static TestHost *
run_doc (TessDocument *doc, TessDocumentDashboard **dashboard)
{
  TestHost *host;

  *dashboard = tess_document_dashboard_new (doc);
  host = test_host_new (tess_document_dashboard_run, *dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 60);
  if (test_host_count_errors (host) > 0)
    {
      GHashTableIter iter;
      gpointer path, message;
      g_hash_table_iter_init (&iter, host->errors);
      while (g_hash_table_iter_next (&iter, &path, &message))
        g_printerr ("[%s] %s\n", (char *) path, (char *) message);
    }
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  return host;
}

/* The server's log from @offset: what statements it ran. */
static char *
server_log (gsize offset)
{
  g_autofree char *log = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (tess_test_postgres_get_log_path (), &log, &length, NULL));
  return g_strdup (length > offset ? log + offset : "");
}

static gsize
server_log_length (void)
{
  g_autofree char *log = server_log (0);
  return strlen (log);
}

/* The statements the application @app had executed, one a line. */
static GPtrArray *
executed_statements (const char *log, const char *app)
{
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  GPtrArray *statements = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *needle = g_strdup_printf ("] %s LOG:  execute <unnamed>: ", app);

  for (guint i = 0; lines[i]; i++)
    {
      const char *at = strstr (lines[i], needle);
      if (at)
        g_ptr_array_add (statements, g_strdup (at + strlen (needle)));
    }
  return statements;
}

/* The same pipelines over the database and over the CSV files */

static void
test_same_results_as_here (void)
{
  g_autofree char *csv_sources = g_strdup ("{\"sales\": \"sales.csv\", \"regions\": \"regions.csv\"}");
  g_autofree char *db_sources =
      g_strdup_printf ("{\"sales\": {\"uri\": \"%s&application_name=tess_same\", \"table\": \"sales\"},\n"
                       "   \"regions\": {\"uri\": \"%s&application_name=tess_same\", \"table\": \"public.regions\"}}",
                       db_uri, db_uri);
  g_autoptr (TessDocument) here_doc = load_doc (csv_sources);
  g_autoptr (TessDocument) db_doc = load_doc (db_sources);
  g_autoptr (TessDocumentDashboard) here_dashboard = NULL;
  g_autoptr (TessDocumentDashboard) db_dashboard = NULL;
  g_autoptr (TestHost) here = NULL;
  g_autoptr (TestHost) db = NULL;
  gsize log_start = server_log_length ();
  g_autofree char *log = NULL;
  g_autoptr (GPtrArray) statements = NULL;
  const char *tables[] = { "filtered", "any",     "sets",    "dates",  "text-order", "dropped-key",
                           "derived",  "grouped", "buckets", "joined", "local",      "chosen" };

  tess_cache_clear ();
  here = run_doc (here_doc, &here_dashboard);
  db = run_doc (db_doc, &db_dashboard);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      TessFrame *expected = table_of (here, tables[i]);
      g_assert_cmpuint (tess_frame_get_n_rows (expected), >, 0);
      assert_frames_equal (tables[i], expected, table_of (db, tables[i]));
    }
  for (guint m = 0; m < 8; m++)
    {
      TessElement *e = nth_element (here, "metrics", TESS_ELEMENT_METRIC, m);
      TessElement *a = nth_element (db, "metrics", TESS_ELEMENT_METRIC, m);
      if (e == NULL)
        {
          g_assert_null (a);
          break;
        }
      g_assert_nonnull (a);
      g_test_message ("metric %s: %s (%s)", tess_element_get_string (e, "label"), tess_element_get_string (e, "value"),
                      tess_element_get_string (e, "delta"));
      g_assert_cmpstr (tess_element_get_string (a, "label"), ==, tess_element_get_string (e, "label"));
      g_assert_cmpstr (tess_element_get_string (a, "value"), ==, tess_element_get_string (e, "value"));
      g_assert_cmpstr (tess_element_get_string (a, "delta"), ==, tess_element_get_string (e, "delta"));
    }
  g_assert_cmpstr (tess_element_get_string (nth_element (db, "last-metric", TESS_ELEMENT_METRIC, 0), "value"), ==,
                   "-3");

  /* What the server ran: every input a bound parameter, the pushed-down
   * steps in the statement, only the metrics' aggregates for "metrics". */
  log = server_log (log_start);
  statements = executed_statements (log, "tess_same");
  {
    gboolean aggregated = FALSE, grouped = FALSE, joined = FALSE;
    for (guint i = 0; i < statements->len; i++)
      {
        const char *statement = g_ptr_array_index (statements, i);
        g_assert_null (strstr (statement, "'north'"));
        g_assert_null (strstr (statement, "'Lamp'"));
        if (strstr (statement, "percentile_cont") && strstr (statement, "count (DISTINCT") &&
            strstr (statement, "<> $1") && !strstr (statement, "GROUP BY"))
          aggregated = TRUE;
        if (strstr (statement, "GROUP BY") && strstr (statement, "date_trunc"))
          grouped = TRUE;
        if (strstr (statement, "LEFT JOIN \"public\".\"regions\" AS r"))
          joined = TRUE;
      }
    g_assert_true (aggregated);
    g_assert_true (grouped);
    g_assert_true (joined);
  }
}

/* A group-by with a filter on an input aggregates on the server */

static void
test_group_by_on_server (void)
{
  g_autofree char *text = g_strdup_printf (
      "{\"tessera\": 1,\n"
      " \"inputs\": {\"kind\": {\"kind\": \"radio\", \"options\": [\"a\", \"b\", \"c\"], \"default\": \"b\"}},\n"
      " \"sources\": {\"events\": {\"uri\": \"%s&application_name=tess_pushdown\", \"table\": \"events\"}},\n"
      " \"fragments\": [{\"id\": \"per-day\", \"source\": \"events\", \"pipeline\": [\n"
      "   {\"filter\": {\"column\": \"kind\", \"value\": \"$kind\"}},\n"
      "   {\"group_by\": {\"keys\": \"day\", \"aggregates\": [{\"op\": \"count\", \"as\": \"n\"}, {\"column\": "
      "\"value\", \"op\": \"sum\", \"as\": \"total\"}]}}],\n"
      "  \"views\": [{\"type\": \"table\"}]}]}\n",
      db_uri);
  g_autoptr (TessDocument) doc = tess_document_new_from_text (text, -1, NULL);
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  gsize log_start = server_log_length ();
  g_autofree char *log = NULL;
  g_autoptr (GPtrArray) statements = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (GString) got = g_string_new (NULL);
  const char *statement;
  TessFrame *frame;

  g_assert_true (tess_document_is_valid (doc));
  tess_cache_clear ();
  host = run_doc (doc, &dashboard);
  frame = table_of (host, "per-day");
  /* only the groups crossed the wire: 10 days, not 30,000 rows */
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 10);
  for (gsize r = 0; r < tess_frame_get_n_rows (frame); r++)
    {
      g_autofree char *day = tess_column_format_value (tess_frame_get_column (frame, 0), r);
      g_string_append_printf (got, "%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "\n", day,
                              tess_column_get_int64 (tess_frame_get_column (frame, 1), r),
                              tess_column_get_int64 (tess_frame_get_column (frame, 2), r));
    }
  expected = tess_test_postgres_psql (dbname, "SELECT day, count(*), sum(value) FROM events WHERE kind = 'b' "
                                              "GROUP BY day ORDER BY day");
  g_assert_cmpstr (got->str, ==, expected);

  /* the statement the server ran: the input a parameter, the filter and the
   * grouping in it */
  log = server_log (log_start);
  statements = executed_statements (log, "tess_pushdown");
  statement = NULL;
  for (guint i = 0; i < statements->len; i++)
    if (strstr (g_ptr_array_index (statements, i), "GROUP BY"))
      statement = g_ptr_array_index (statements, i);
  g_test_message ("%s", statement);
  g_assert_nonnull (statement);
  g_assert_nonnull (strstr (statement, "FROM \"public\".\"events\""));
  g_assert_nonnull (strstr (statement, "WHERE s0.\"kind\" = $1"));
  g_assert_nonnull (strstr (statement, "count (*) AS \"n\""));
  g_assert_nonnull (strstr (statement, "sum (s1.\"value\")"));
  g_assert_nonnull (strstr (statement, "GROUP BY s1.\"day\""));
  g_assert_nonnull (strstr (statement, "ORDER BY s2.\"day\" NULLS LAST"));
  g_assert_nonnull (strstr (log, "parameters: $1 = 'b'"));

  /* a new value is a new statement's parameter */
  g_clear_pointer (&log, g_free);
  log_start = server_log_length ();
  test_host_set (host, "kind", g_variant_new_string ("c"));
  test_host_wait_idle (host, 60);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  log = server_log (log_start);
  g_assert_nonnull (strstr (log, "parameters: $1 = 'c'"));
  g_assert_cmpuint (tess_frame_get_n_rows (table_of (host, "per-day")), ==, 10);
}

/* Queries: inputs bound as their kind says, hostile strings as values */

static void
test_query_parameters (void)
{
  g_autofree char *text = g_strdup_printf (
      "{\"tessera\": 1,\n"
      " \"inputs\": {\n"
      "   \"who\": {\"kind\": \"text\", \"default\": \"x' OR '1'='1\"},\n"
      "   \"regions\": {\"kind\": \"multiselect\", \"options\": [\"north\", \"south\", \"east\"], \"default\": "
      "[\"north\", \"east\"]},\n"
      "   \"since\": {\"kind\": \"date\", \"default\": \"2024-02-01\"},\n"
      "   \"units\": {\"kind\": \"range_slider\", \"min\": 0, \"max\": 10, \"default\": [2, 5]},\n"
      "   \"paid\": {\"kind\": \"checkbox\", \"default\": true}\n"
      " },\n"
      " \"sources\": {\n"
      "   \"hostile\": {\"uri\": \"%s&application_name=tess_query\", \"query\": \"SELECT id, product FROM sales "
      "WHERE product = $1 OR region = $2 ORDER BY id\", \"params\": [\"$who\", \"x'); DROP TABLE sales; --\"]},\n"
      "   \"kinds\": {\"uri\": \"%s&application_name=tess_query\",\n"
      "     \"query\": \"SELECT id FROM sales WHERE region = ANY ($1) AND day >= $2 AND units BETWEEN $3 AND $4 AND "
      "paid = $5 AND product LIKE $6 ORDER BY id\",\n"
      "     \"params\": [\"$regions\", \"$since\", \"$units\", \"$paid\", \"%%${who}%%\"]},\n"
      "   \"literals\": {\"uri\": \"%s&application_name=tess_query\",\n"
      "     \"query\": \"SELECT $1::int + 1 AS n, $2::text AS s, $3::float8 * 2 AS d, $4::bool AS b, $5::text IS NULL "
      "AS nothing, '$9 and a '' quote' AS literal -- $8\\n\", \"params\": [41, \"$$5\", 1.25, false, null]}\n"
      " },\n"
      " \"fragments\": [\n"
      "   {\"id\": \"hostile\", \"source\": \"hostile\", \"views\": [{\"type\": \"table\"}]},\n"
      "   {\"id\": \"kinds\", \"source\": \"kinds\", \"pipeline\": [{\"head\": 10}], \"views\": [{\"type\": "
      "\"table\"}]},\n"
      "   {\"id\": \"literals\", \"source\": \"literals\", \"views\": [{\"type\": \"table\"}]}\n"
      " ]}\n",
      db_uri, db_uri, db_uri);
  g_autoptr (TessDocument) doc = tess_document_new_from_text (text, -1, NULL);
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  g_autofree char *problems = tess_document_format_problems (doc, "query.tessera");
  g_autofree char *count = NULL;
  TessFrame *frame;

  g_assert_cmpstr (problems, ==, "");
  g_assert_cmpstrv (tess_document_get_fragment_inputs (doc, "kinds"),
                    ((const char *const[]){ "paid", "regions", "since", "units", "who", NULL }));
  tess_cache_clear ();
  host = run_doc (doc, &dashboard);

  /* the hostile strings matched nothing, and dropped nothing */
  g_assert_cmpuint (tess_frame_get_n_rows (table_of (host, "hostile")), ==, 0);
  count = tess_test_postgres_psql (dbname, "SELECT count(*) FROM sales");
  g_assert_cmpstr (count, ==, "10\n");

  /* a multiselect is one array, a date a date, a range two values */
  g_assert_cmpuint (tess_frame_get_n_rows (table_of (host, "kinds")), ==, 0);
  test_host_set (host, "who", g_variant_new_string ("es"));
  test_host_wait_idle (host, 60);
  frame = table_of (host, "kinds");
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 1);
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column (frame, 0), 0), ==, 4);
  test_host_set (host, "units", g_variant_new ("(dd)", 0.0, 10.0));
  test_host_set (host, "who", g_variant_new_string (""));
  test_host_wait_idle (host, 60);
  frame = table_of (host, "kinds");
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 2);
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column (frame, 0), 0), ==, 4);
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column (frame, 0), 1), ==, 9);

  frame = table_of (host, "literals");
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (frame, "n"), 0), ==, 42);
  g_assert_cmpstr (tess_column_get_string (tess_frame_get_column_by_name (frame, "s"), 0), ==, "$5");
  g_assert_cmpfloat (tess_column_get_double (tess_frame_get_column_by_name (frame, "d"), 0), ==, 2.5);
  g_assert_false (tess_column_get_bool (tess_frame_get_column_by_name (frame, "b"), 0));
  g_assert_true (tess_column_get_bool (tess_frame_get_column_by_name (frame, "nothing"), 0));
  g_assert_cmpstr (tess_column_get_string (tess_frame_get_column_by_name (frame, "literal"), 0), ==,
                   "$9 and a ' quote");
}

/* The rules of database sources */

static void
test_rules (void)
{
  static const char *const text =
      "{\"tessera\": 1,\n"
      " \"inputs\": {\"y\": {\"kind\": \"slider\"}, \"r\": {\"kind\": \"range_slider\"}},\n"
      " \"sources\": {\n"
      "  \"a\": {\"uri\": \"postgresql://ana:secret@db.example.org/sales\", \"table\": \"t\"},\n"
      "  \"b\": {\"uri\": \"postgresql://db.example.org/sales?sslmode=require&password=hunter2\", \"table\": \"t\"},\n"
      "  \"c\": {\"uri\": \"postgresql://db.example.org/${y}\", \"table\": \"t\"},\n"
      "  \"d\": {\"uri\": \"postgresql:///sales\", \"query\": \"SELECT * FROM t WHERE y = ${y}\"},\n"
      "  \"e\": {\"uri\": \"postgresql:///sales\", \"query\": \"SELECT $1, $2, $3\", \"params\": [\"$y\", \"$r\", "
      "\"$z\"]},\n"
      "  \"f\": {\"uri\": \"postgresql:///sales\", \"query\": \"SELECT $2 -- '$9'\", \"params\": [\"$y\"]},\n"
      "  \"g\": {\"uri\": \"postgresql:///sales\", \"query\": \"SELECT 1\", \"table\": \"t\"},\n"
      "  \"h\": {\"uri\": \"postgresql:///sales\", \"format\": \"csv\"},\n"
      "  \"i\": {\"uri\": \"postgresql:///sales\", \"table\": \"t\", \"password\": \"hunter2\"},\n"
      "  \"j\": {\"uri\": \"postgresql:///sales\", \"table\": \"t\", \"password\": \"${env:SALES_PASSWORD}\", "
      "\"row_limit\": 0, \"statement_timeout\": \"30s\"},\n"
      "  \"k\": {\"uri\": \"data.csv\", \"table\": \"t\"},\n"
      "  \"l\": \"postgresql:///sales?table=t\",\n"
      "  \"m\": {\"uri\": \"postgresql:///sales\", \"query\": \"SELECT $1\"},\n"
      "  \"n\": {\"uri\": \"postgresql:///sales\", \"query\": \"SELECT 1\", \"params\": [[1]]}\n"
      " },\n"
      " \"fragments\": [{\"id\": \"x\", \"views\": [{\"type\": \"text\", \"text\": \"${y} ${r}\"}]}]}\n";
  g_autoptr (TessDocument) doc = tess_document_new_from_text (text, -1, NULL);
  g_autofree char *problems = tess_document_format_problems (doc, "rules.tessera");

  g_test_message ("%s", problems);
  g_assert_cmpstr (
      problems, ==,
      "rules.tessera:4:16: a database address never holds a password: give it as \"password\": \"${env:NAME}\" in a "
      "document on this computer, in a password file (PGPASSFILE or ~/.pgpass) or a service file (service=NAME), or "
      "leave it out and let Tessera ask and keep it in the keyring\n"
      "rules.tessera:5:16: a database address never holds a password: give it as \"password\": \"${env:NAME}\" in a "
      "document on this computer, in a password file (PGPASSFILE or ~/.pgpass) or a service file (service=NAME), or "
      "leave it out and let Tessera ask and keep it in the keyring\n"
      "rules.tessera:6:16: a database address cannot depend on inputs: write $1, $2... in the query and list the "
      "inputs in \"params\", so their values are bound, never pasted\n"
      "rules.tessera:7:48: a query never holds ${input}: write $1, $2... where the values go and list the inputs in "
      "\"params\", so they are bound, never pasted into the SQL\n"
      "rules.tessera:8:79: \"params\" gives 4 values but the query uses fewer (a range_slider gives two, its low and "
      "high ends)\n"
      "rules.tessera:8:92: unknown input \"z\"\n"
      "rules.tessera:9:79: the query uses $2 but \"params\" gives 1 value (a range_slider gives two, its low and high "
      "ends)\n"
      "rules.tessera:10:69: a database source reads either a \"table\" or a \"query\", not both\n"
      "rules.tessera: $.sources.h.table: missing member \"table\" or \"query\": what the source reads from the "
      "database\n"
      "rules.tessera:11:39: \"format\" does not apply to a database source: the server's types decide how values read\n"
      "rules.tessera:12:65: a password never goes in a document: write \"password\": \"${env:NAME}\" and set NAME in "
      "the environment, or leave it out and use a password file (PGPASSFILE or ~/.pgpass), a service file "
      "(service=NAME) or the keyring\n"
      "rules.tessera:13:103: row_limit is a whole number of rows, at least 1\n"
      "rules.tessera:14:28: \"table\" applies to database sources only (a postgresql:// uri)\n"
      "rules.tessera:15:8: give the table as the source's \"table\" member, not in its address (?table=)\n"
      "rules.tessera:15:8: a database source names what it reads: write {\"uri\": \"postgresql:///sales?table=t\", "
      "\"table\": \"NAME\"} or {\"uri\": \"postgresql:///sales?table=t\", \"query\": \"SELECT ...\"}\n"
      "rules.tessera: $.sources.m.params: missing member \"params\": the query uses $1; list its values, inputs "
      "(\"$name\") or literals, in order\n"
      "rules.tessera:17:71: a parameter is an input (\"$name\") or a value: a string, a number, true, false or null\n");
}

/* --check against the live catalog, and with the server down */

static void
test_check_live_catalog (void)
{
  g_autofree char *text = g_strdup_printf (
      "{\"tessera\": 1,\n"
      " \"inputs\": {\"region\": {\"kind\": \"selectbox\", \"options\": [\"north\", \"south\"]}},\n"
      " \"sources\": {\n"
      "  \"sales\": {\"uri\": \"%s\", \"table\": \"sales\"},\n"
      "  \"typo\": {\"table\": \"salse\", \"uri\": \"%s\"},\n"
      "  \"bad_query\": {\"query\": \"SELECT id,\\n  reigon FROM sales\", \"uri\": \"%s\"},\n"
      "  \"good_query\": {\"uri\": \"%s\", \"query\": \"SELECT region, units FROM sales WHERE region = $1;\", "
      "\"params\": [\"$region\"]},\n"
      "  \"down\": {\"uri\": \"postgresql:///sales?host=%s/no-server-here\", \"table\": \"sales\"}\n"
      " },\n"
      " \"fragments\": [\n"
      "  {\"id\": \"a\", \"source\": \"sales\", \"pipeline\": [\n"
      "    {\"filter\": {\"column\": \"region\", \"value\": \"$region\"}},\n"
      "    {\"rolling\": {\"column\": \"units\", \"window\": 3}},\n"
      "    {\"sort\": \"day\"}],\n"
      "   \"views\": [{\"type\": \"line\", \"x\": \"day\", \"y\": \"units_rolling_maen\"}]},\n"
      "  {\"id\": \"b\", \"source\": \"typo\", \"views\": [{\"type\": \"table\"}]},\n"
      "  {\"id\": \"c\", \"source\": \"bad_query\", \"views\": [{\"type\": \"table\"}]},\n"
      "  {\"id\": \"d\", \"source\": \"good_query\", \"views\": [{\"type\": \"bar\", \"x\": \"region\", \"y\": "
      "\"unit\"}]},\n"
      "  {\"id\": \"e\", \"source\": \"down\", \"pipeline\": [{\"rolling\": {\"column\": \"units\", \"window\": 2}}],\n"
      "   \"views\": [{\"type\": \"table\", \"columns\": \"whatever\"}]},\n"
      "  {\"id\": \"f\", \"source\": \"sales\", \"pipeline\": [{\"filter\": {\"column\": \"reigon\", \"value\": "
      "\"$region\"}}],\n"
      "   \"views\": [{\"type\": \"table\"}]}\n"
      " ]}\n",
      db_uri, db_uri, db_uri, db_uri, tmp_dir);
  g_autoptr (TessDocument) doc = tess_document_new_from_text (text, -1, NULL);
  g_autofree char *problems = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_true (tess_document_is_valid (doc));
  tess_cache_clear ();
  tess_document_check_columns (doc);
  problems = tess_document_format_problems (doc, "check.tessera");
  g_test_message ("%s", problems);
  lines = g_strsplit (problems, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 9);
  g_assert_cmpstr (lines[0], ==, "check.tessera:5:21: unknown table \"salse\" (did you mean \"sales\"?)");
  /* the server's words, at the line and column of the query as written */
  g_assert_true (g_str_has_prefix (lines[1], "check.tessera:6:26: the query of source \"bad_query\" fails: "));
  g_assert_nonnull (strstr (lines[1], "column \"reigon\" does not exist, at line 2, column 3 (“reigon FROM sales”)"));
  g_assert_true (g_str_has_prefix (lines[2], "check.tessera:8:19: warning: the database of source \"down\" was not "
                                             "checked: Cannot connect to the database"));
  g_assert_cmpstr (lines[3], ==,
                   "check.tessera:13:6: warning: \"rolling\" runs on this computer, on the rows the database returns "
                   "for the steps before it (so do the steps after it): the database has no \"rolling\" of this kind");
  g_assert_cmpstr (lines[4], ==,
                   "check.tessera:15:48: unknown column \"units_rolling_maen\" (did you mean \"units_rolling_mean\"?)");
  g_assert_cmpstr (lines[5], ==, "check.tessera:18:85: unknown column \"unit\" (did you mean \"units\"?)");
  g_assert_cmpstr (lines[6], ==,
                   "check.tessera:19:47: warning: \"rolling\" runs on this computer, on the rows the database returns "
                   "for the steps before it: the database has no \"rolling\" of this kind");
  g_assert_cmpstr (lines[7], ==, "check.tessera:21:69: unknown column \"reigon\" (did you mean \"region\"?)");
  g_assert_cmpstr (lines[8], ==, "");
  g_assert_false (tess_document_is_valid (doc));
}

/* Passwords: from the environment, a service file, or the application's
 * function */

typedef struct
{
  GMutex lock;
  guint calls;
  guint refused;
  char *host;
  char *user;
  char *dbname;
} Asked;

static char *
give_password (const TessSqlPasswordRequest *request, GCancellable *cancellable, gpointer user_data, GError **error)
{
  Asked *asked = user_data;

  g_mutex_lock (&asked->lock);
  asked->calls++;
  asked->refused += request->refused;
  g_free (asked->host);
  g_free (asked->user);
  g_free (asked->dbname);
  asked->host = g_strdup (request->host);
  asked->user = g_strdup (request->user);
  asked->dbname = g_strdup (request->dbname);
  g_mutex_unlock (&asked->lock);
  /* wrong the first time, then right */
  return g_strdup (request->refused ? "right horse" : "wrong horse");
}

static void
test_passwords (void)
{
  g_autofree char *role = g_strdup_printf ("tess_docpw_%d", (int) getpid ());
  g_autofree char *uri = tess_test_postgres_uri (dbname, role);
  g_autofree char *passfile = write_file ("empty-pgpass", "");
  /* libpq reads only a password file that only its owner may read */
  int chmod_status = g_chmod (passfile, 0600);
  g_autofree char *env_text = NULL;
  g_autofree char *hook_text = NULL;
  g_autoptr (TessDocument) env_doc = NULL;
  g_autoptr (TessDocument) hook_doc = NULL;
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TessDocumentDashboard) hook_dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  g_autoptr (TestHost) hook_host = NULL;
  Asked asked = { 0 };

  g_autofree char *grant = g_strdup_printf ("GRANT SELECT ON sales TO %s", role);

  g_assert_cmpint (chmod_status, ==, 0);
  tess_test_postgres_create_password_role (role, "right horse");
  g_free (tess_test_postgres_psql (dbname, grant));
  g_setenv ("TESS_DOC_DB_PASSWORD", "right horse", TRUE);
  env_text = g_strdup_printf ("{\"tessera\": 1, \"sources\": {\"s\": {\"uri\": \"%s&passfile=%s\", \"table\": "
                              "\"sales\", \"password\": \"${env:TESS_DOC_DB_PASSWORD}\"}},\n"
                              " \"fragments\": [{\"id\": \"n\", \"source\": \"s\", \"views\": [{\"type\": \"metric\", "
                              "\"label\": \"Rows\", \"value\": {\"op\": \"count\"}}]}]}",
                              uri, passfile);
  env_doc = tess_document_new_from_text (env_text, -1, NULL);
  g_assert_true (tess_document_is_valid (env_doc));
  tess_cache_clear ();
  host = run_doc (env_doc, &dashboard);
  g_assert_cmpstr (tess_element_get_string (nth_element (host, "n", TESS_ELEMENT_METRIC, 0), "value"), ==, "10");

  /* from a service file that service= names (libpq reads PGSERVICEFILE) */
  {
    g_autofree char *service = g_strdup_printf ("[tess_doc_service]\nhost=%s\ndbname=%s\nuser=%s\npassword=right "
                                                "horse\n",
                                                tess_test_postgres_start (), dbname, role);
    g_autofree char *service_path = write_file ("pg_service.conf", service);
    g_autofree char *service_text =
        g_strdup_printf ("{\"tessera\": 1, \"sources\": {\"s\": {\"uri\": "
                         "\"postgresql:///?service=tess_doc_service&passfile=%s\", \"table\": \"sales\"}},\n"
                         " \"fragments\": [{\"id\": \"n\", \"source\": \"s\", \"views\": [{\"type\": "
                         "\"metric\", \"label\": \"Rows\", \"value\": {\"op\": \"count\"}}]}]}",
                         passfile);
    g_autoptr (TessDocument) service_doc = tess_document_new_from_text (service_text, -1, NULL);
    g_autoptr (TessDocumentDashboard) service_dashboard = NULL;
    g_autoptr (TestHost) service_host = NULL;

    g_assert_cmpint (g_chmod (service_path, 0600), ==, 0);
    g_setenv ("PGSERVICEFILE", service_path, TRUE);
    g_assert_true (tess_document_is_valid (service_doc));
    tess_cache_clear ();
    service_host = run_doc (service_doc, &service_dashboard);
    g_assert_cmpstr (tess_element_get_string (nth_element (service_host, "n", TESS_ELEMENT_METRIC, 0), "value"), ==,
                     "10");
    g_unsetenv ("PGSERVICEFILE");
  }

  /* no password anywhere: the application's function is asked, told when
   * what it gave was refused, and asked again */
  tess_sql_set_password_func (give_password, &asked);
  hook_text = g_strdup_printf ("{\"tessera\": 1, \"sources\": {\"s\": {\"uri\": \"%s&passfile=%s\", \"table\": "
                               "\"sales\"}},\n"
                               " \"fragments\": [{\"id\": \"n\", \"source\": \"s\", \"views\": [{\"type\": \"metric\", "
                               "\"label\": \"Rows\", \"value\": {\"op\": \"count\"}}]}]}",
                               uri, passfile);
  hook_doc = tess_document_new_from_text (hook_text, -1, NULL);
  tess_cache_clear ();
  tess_sql_close_idle_connections ();
  hook_host = run_doc (hook_doc, &hook_dashboard);
  g_assert_cmpstr (tess_element_get_string (nth_element (hook_host, "n", TESS_ELEMENT_METRIC, 0), "value"), ==, "10");
  tess_sql_set_password_func (NULL, NULL);
  g_assert_cmpuint (asked.calls, ==, 2);
  g_assert_cmpuint (asked.refused, ==, 1);
  g_assert_cmpstr (asked.user, ==, role);
  g_assert_cmpstr (asked.dbname, ==, dbname);
  g_assert_cmpstr (asked.host, ==, tess_test_postgres_start ());
  g_free (asked.host);
  g_free (asked.user);
  g_free (asked.dbname);
  g_unsetenv ("TESS_DOC_DB_PASSWORD");
}

int
main (int argc, char **argv)
{
  g_autoptr (GString) csv = g_string_new ("id,day,region,product,units,price,paid,at,at_tz\n");
  g_autoptr (GString) insert = g_string_new ("INSERT INTO sales VALUES ");
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = tess_test_dir_new ("tess-docsql-XXXXXX");
  g_setenv ("XDG_CACHE_HOME", tmp_dir, TRUE);

  dbname = tess_test_postgres_create_database ("tess_docsql");
  db_uri = tess_test_postgres_uri (dbname, NULL);
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      g_string_append (insert, r ? ", (" : "(");
      for (guint c = 0; c < 9; c++)
        {
          g_string_append_printf (csv, "%s%s", c ? "," : "", rows[r][c]);
          if (*rows[r][c])
            g_string_append_printf (insert, "%s'%s'", c ? ", " : "", rows[r][c]);
          else
            g_string_append_printf (insert, "%sNULL", c ? ", " : "");
        }
      g_string_append_c (csv, '\n');
      g_string_append_c (insert, ')');
    }
  g_free (write_file ("sales.csv", csv->str));
  g_free (write_file ("regions.csv", regions_csv));
  {
    g_autofree char *setup = g_strdup_printf (
        "ALTER DATABASE %s SET timezone = 'America/New_York';"
        "CREATE TABLE sales (%s); %s;"
        "CREATE TABLE regions (region text, manager text, target int8);"
        "INSERT INTO regions VALUES ('north', 'Ines', 60000), ('south', 'Tomás', 45000), ('east', 'Priya', 50000);"
        "CREATE TABLE events AS SELECT i AS id, DATE '2024-01-01' + (i %% 10) AS day, "
        "(ARRAY['a', 'b', 'c'])[1 + i %% 3] AS kind, i %% 7 AS value FROM generate_series (1, 30000) i;",
        dbname, columns_sql, insert->str);
    g_free (tess_test_postgres_psql (dbname, setup));
  }

  g_test_add_func ("/Documents/sql/rules", test_rules);
  g_test_add_func ("/Documents/sql/same-results-as-here", test_same_results_as_here);
  g_test_add_func ("/Documents/sql/group-by-on-server", test_group_by_on_server);
  g_test_add_func ("/Documents/sql/query-parameters", test_query_parameters);
  g_test_add_func ("/Documents/sql/check-live-catalog", test_check_live_catalog);
  g_test_add_func ("/Documents/sql/passwords", test_passwords);
  status = g_test_run ();
  tess_test_dir_remove (tmp_dir);
  return status;
}
