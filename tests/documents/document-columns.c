/* document-columns.c: a document fragment loads only the columns its
 * pipeline and views use. The columns each fragment uses (every step and
 * view kind, inputs included), and the frames fragments get when they run:
 * only those columns, with the values a full load has, and the same errors
 * for a column the file lacks.
 */
#include "tess-cache.h"
#include "tess-document-dashboard.h"
#include "tess-document-pipeline.h"
#include "tess-document-private.h"
#include "fragments/test-host.h"
#include "doc-test.h"
#include "tess-test-dir.h"

static char *tmp_dir;

static const char *wide_csv = "region,month,amount,when,note,code\n"
                              "north,1,10,2024-01-05,\"a, b\",7\n"
                              "south,1,20,2024-01-20,\"say \"\"hi\"\"\",8\n"
                              "north,2,30,2024-02-11,,9\n"
                              "south,2,5,2023-02-01,\"two\nlines\",10\n"
                              "east,2,7,2023-03-15,x,11\n";

/* wide.csv with a column of long texts no fragment below uses: what reading
 * it would cost dwarfs what the fragments' own columns take, however their
 * loads overlap. */
#define LONG_TEXT                                                                                                      \
  "an unused comment, long enough to weigh more than every used column together; an unused comment, long enough "      \
  "to weigh more than every used column together; an unused comment, long enough to weigh more than every used"
static const char *wider_csv = "region,month,amount,when,note,code,comment\n"
                               "north,1,10,2024-01-05,\"a, b\",7,\"1 " LONG_TEXT "\"\n"
                               "south,1,20,2024-01-20,\"say \"\"hi\"\"\",8,\"2 " LONG_TEXT "\"\n"
                               "north,2,30,2024-02-11,,9,\"3 " LONG_TEXT "\"\n"
                               "south,2,5,2023-02-01,\"two\nlines\",10,\"4 " LONG_TEXT "\"\n"
                               "east,2,7,2023-03-15,x,11,\"5 " LONG_TEXT "\"\n";

/* The columns fragment @id uses, joined with ",", or "(all)". */
static char *
columns_of (TessDocument *doc, const char *id, GHashTable *values)
{
  g_auto (GStrv) columns = tess_document_fragment_columns (tess_document_lookup_fragment (doc, id), values);

  return columns ? g_strjoinv (",", columns) : g_strdup ("(all)");
}

static void
assert_columns (TessDocument *doc, const char *id, GHashTable *values, const char *expected)
{
  g_autofree char *columns = columns_of (doc, id, values);

  g_test_message ("fragment %s", id);
  g_assert_cmpstr (columns, ==, expected);
}

static void
test_columns_used (void)
{
  const char *text =
      "{\"tessera\": 1,\n"
      " \"inputs\": {\"y\": {\"kind\": \"selectbox\", \"options\": [\"amount\", \"code\"]},\n"
      "            \"shown\": {\"kind\": \"multiselect\", \"options\": [\"region\", \"note\"], \"default\": "
      "[\"note\"]}},\n"
      " \"sources\": {\"s\": \"wide.csv\", \"other\": \"wide.csv\"},\n"
      " \"fragments\": [\n"
      "  {\"id\": \"chart\", \"source\": \"s\", \"pipeline\": [{\"filter\": {\"column\": \"region\", \"value\": "
      "\"north\"}}],\n"
      "   \"views\": [{\"type\": \"bar\", \"x\": \"month\", \"y\": \"$y\"}]},\n"
      "  {\"id\": \"whole\", \"source\": \"s\", \"pipeline\": [{\"sort\": \"amount\"}], \"views\": [{\"type\": "
      "\"table\"}]},\n"
      "  {\"id\": \"grouped\", \"source\": \"s\",\n"
      "   \"pipeline\": [{\"filter\": {\"any\": [{\"column\": \"when\", \"op\": \"year\", \"value\": 2024},\n"
      "                                      {\"column\": \"code\", \"op\": \">\", \"value\": 9}]}},\n"
      "                {\"group_by\": {\"keys\": \"region\", \"aggregates\": [{\"op\": \"count\"}, {\"column\": "
      "\"amount\", \"op\": \"sum\", \"as\": \"total\"}]}},\n"
      "                {\"sort\": {\"column\": \"total\", \"descending\": true}}, {\"head\": 2}],\n"
      "   \"views\": [{\"type\": \"table\"}]},\n"
      "  {\"id\": \"selected\", \"source\": \"s\", \"pipeline\": [{\"select\": \"$shown\"}], \"views\": [{\"type\": "
      "\"table\"}]},\n"
      "  {\"id\": \"made\", \"source\": \"s\",\n"
      "   \"pipeline\": [{\"bucket\": {\"column\": \"when\", \"unit\": \"month\", \"as\": \"m\"}},\n"
      "                {\"derive\": {\"as\": \"double\", \"expr\": \"amount * 2 + abs(`code`)\"}},\n"
      "                {\"rolling\": {\"column\": \"double\", \"window\": 2, \"op\": \"sum\", \"as\": \"r\"}},\n"
      "                {\"rename\": {\"month\": \"mo\"}}],\n"
      "   \"views\": [{\"type\": \"line\", \"x\": \"m\", \"y\": [\"r\", \"mo\"]},\n"
      "             {\"type\": \"metric\", \"value\": {\"column\": \"double\", \"op\": \"max\"}}]},\n"
      "  {\"id\": \"listed\", \"source\": \"s\", \"views\": [{\"type\": \"table\", \"columns\": [\"note\", "
      "\"region\"]},\n"
      "                                          {\"type\": \"markdown\", \"text\": \"rows\"}]},\n"
      "  {\"id\": \"count\", \"source\": \"s\", \"views\": [{\"type\": \"metric\", \"value\": {\"op\": "
      "\"count\"}}]},\n"
      "  {\"id\": \"joined\", \"source\": \"s\", \"pipeline\": [{\"join\": {\"source\": \"other\", \"on\": "
      "\"region\"}}],\n"
      "   \"views\": [{\"type\": \"bar\", \"x\": \"region\", \"y\": \"amount\"}]}\n"
      " ]}";
  g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "doc.tessera", text, TRUE);
  g_autoptr (GHashTable) values =
      g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_variant_unref);
  const char *shown[] = { "note", "code", NULL };

  g_hash_table_insert (values, (gpointer) "y", g_variant_ref_sink (g_variant_new_string ("code")));
  g_hash_table_insert (values, (gpointer) "shown", g_variant_ref_sink (g_variant_new_strv (shown, -1)));

  /* a filter's column, and the chart's, an input's value included */
  assert_columns (doc, "chart", values, "code,month,region");
  /* a table of the whole frame shows every column */
  assert_columns (doc, "whole", values, "(all)");
  /* a group_by makes every column after it: a table of its result uses
   * only the keys, the aggregated columns and what the steps before name */
  assert_columns (doc, "grouped", values, "amount,code,region,when");
  assert_columns (doc, "selected", values, "code,note");
  /* columns the pipeline makes are not read; those they are made of are */
  assert_columns (doc, "made", values, "amount,code,month,when");
  assert_columns (doc, "listed", values, "note,region");
  /* a count of rows still reads rows */
  assert_columns (doc, "count", values, "(all)");
  /* the other side of a join may bring any name */
  assert_columns (doc, "joined", values, "(all)");
}

static char *
names_of (TessFrame *frame)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
    g_string_append_printf (out, "%s%s", c ? "," : "", tess_column_get_name (tess_frame_get_column (frame, c)));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Running: each fragment gets a frame of its columns only, with the values
 * a full load gives them; the cache holds less than a full frame. */
static void
test_fragments_load_their_columns (void)
{
  const char *text =
      "{\"tessera\": 1, \"sources\": {\"s\": \"wider.csv\"}, \"fragments\": [\n"
      "  {\"id\": \"listed\", \"source\": \"s\", \"views\": [{\"type\": \"table\", \"columns\": [\"note\", "
      "\"amount\"]}]},\n"
      "  {\"id\": \"chart\", \"source\": \"s\", \"pipeline\": [{\"filter\": {\"column\": \"when\", \"op\": \"year\", "
      "\"value\": 2024}}],\n"
      "   \"views\": [{\"type\": \"bar\", \"x\": \"month\", \"y\": \"amount\"}]},\n"
      "  {\"id\": \"grouped\", \"source\": \"s\", \"pipeline\": [{\"group_by\": {\"keys\": \"region\", "
      "\"aggregates\": [{\"column\": \"amount\", \"op\": \"sum\", \"as\": \"total\"}]}}, {\"sort\": \"region\"}],\n"
      "   \"views\": [{\"type\": \"table\"}]}\n"
      " ]}";
  g_autofree char *path = g_build_filename (tmp_dir, "wider.csv", NULL);
  g_autoptr (TessDocument) doc = NULL;
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  g_autoptr (TessFrame) full = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *listed = NULL, *notes = NULL, *amounts = NULL, *chart = NULL, *months = NULL;
  g_autofree char *regions = NULL, *totals = NULL;
  gsize partial_bytes;

  g_free (tess_test_dir_write_file (tmp_dir, "wider.csv", wider_csv));
  tess_cache_clear ();
  doc = doc_test_load (tmp_dir, "doc.tessera", text, TRUE);
  dashboard = tess_document_dashboard_new (doc);
  host = test_host_new (tess_document_dashboard_run, dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);

  /* the table's frame is what the fragment loaded: its two columns */
  listed = names_of (test_host_frame_of (host, "listed", TESS_ELEMENT_TABLE));
  g_assert_cmpstr (listed, ==, "amount,note");
  notes = test_column_text (test_host_frame_of (host, "listed", TESS_ELEMENT_TABLE), "note", "|");
  g_assert_cmpstr (notes, ==, "a, b|say \"hi\"||two\nlines|x");
  amounts = test_column_text (test_host_frame_of (host, "listed", TESS_ELEMENT_TABLE), "amount", "|");
  g_assert_cmpstr (amounts, ==, "10|20|30|5|7");
  chart = names_of (test_host_frame_of (host, "chart", TESS_ELEMENT_CHART));
  g_assert_cmpstr (chart, ==, "month,amount,when");
  months = test_column_text (test_host_frame_of (host, "chart", TESS_ELEMENT_CHART), "month", "|");
  g_assert_cmpstr (months, ==, "1|1|2");
  regions = test_column_text (test_host_frame_of (host, "grouped", TESS_ELEMENT_TABLE), "region", "|");
  totals = test_column_text (test_host_frame_of (host, "grouped", TESS_ELEMENT_TABLE), "total", "|");
  g_assert_cmpstr (regions, ==, "east|north|south");
  g_assert_cmpstr (totals, ==, "7|40|25");

  /* the cache holds the fragments' columns, not the file's seven: the
   * fragments load at once, so each may read its own set, and the unused
   * comments outweigh any overlap of theirs */
  partial_bytes = tess_cache_get_bytes ();
  g_assert_cmpuint (partial_bytes, >, 0);
  tess_cache_clear ();
  full = tess_source_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_columns (full), ==, 7);
  g_assert_cmpuint (partial_bytes, <, tess_cache_get_bytes ());
  tess_cache_clear ();
}

/* A column the file lacks fails in the step that names it, as it always has. */
static void
test_unknown_column (void)
{
  const char *text = "{\"tessera\": 1, \"sources\": {\"s\": \"wide.csv\"}, \"fragments\": [\n"
                     "  {\"id\": \"bad\", \"source\": \"s\", \"pipeline\": [{\"filter\": {\"column\": \"regoin\", "
                     "\"value\": \"north\"}}],\n"
                     "   \"views\": [{\"type\": \"bar\", \"x\": \"month\", \"y\": \"amount\"}]}]}";
  g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "doc.tessera", text, TRUE);
  g_autoptr (TessDocumentDashboard) dashboard = tess_document_dashboard_new (doc);
  g_autoptr (TestHost) host = test_host_new (tess_document_dashboard_run, dashboard);
  const char *message;

  tess_cache_clear ();
  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpint (test_host_state (host, "bad"), ==, TESS_SCOPE_ERROR);
  message = g_hash_table_lookup (host->errors, "bad");
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "Step 1: filter: unknown column \"regoin\""));
  tess_cache_clear ();
}

int
main (int argc, char **argv)
{
  g_autofree char *csv = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = tess_test_dir_new ("tessera-document-columns-XXXXXX");
  csv = tess_test_dir_write_file (tmp_dir, "wide.csv", wide_csv);

  g_test_add_func ("/Documents/columns/used", test_columns_used);
  g_test_add_func ("/Documents/columns/loaded", test_fragments_load_their_columns);
  g_test_add_func ("/Documents/columns/unknown-column", test_unknown_column);
  status = g_test_run ();

  tess_test_dir_remove (tmp_dir);
  g_free (tmp_dir);
  return status;
}
