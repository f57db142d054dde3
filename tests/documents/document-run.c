/* document-run.c: documents compiled to fragments and run headless: what each
 * fragment shows, which fragments an input change reruns, the pipeline's
 * results, and live reload's diffing. */
#include "tess-document-dashboard.h"
#include "tess-document-pipeline.h"
#include "tess-document-private.h"
#include "fragments/test-host.h"
#include "doc-test.h"
#include "tess-test-dir.h"

static char *tmp_dir;

static const char *sales_csv = "region,month,amount,when\n"
                               "north,1,10,2024-01-05\n"
                               "south,1,20,2024-01-20\n"
                               "north,2,30,2024-02-11\n"
                               "south,2,5,2023-02-01\n"
                               "east,2,7,2023-03-15\n"
                               "north,3,,2024-03-02\n";

static const char *doc_text =
    "{\n"
    "  \"tessera\": 1,\n"
    "  \"title\": \"Sales\",\n"
    "  \"inputs\": {\n"
    "    \"region\": {\"kind\": \"selectbox\", \"options\": [\"north\", \"south\", \"east\"]},\n"
    "    \"min\": {\"kind\": \"slider\", \"min\": 0, \"max\": 100, \"default\": 6},\n"
    "    \"regions\": {\"kind\": \"multiselect\", \"options\": [\"north\", \"south\", \"east\"], \"default\": "
    "[\"south\", \"east\"]}\n"
    "  },\n"
    "  \"sources\": {\"sales\": \"sales.csv\"},\n"
    "  \"fragments\": [\n"
    "    {\"id\": \"by-region\", \"title\": \"Region ${region}\", \"source\": \"sales\",\n"
    "     \"pipeline\": [{\"filter\": {\"column\": \"region\", \"value\": \"$region\"}}],\n"
    "     \"views\": [{\"type\": \"bar\", \"x\": \"month\", \"y\": \"amount\"},\n"
    "               {\"type\": \"metric\", \"label\": \"Total\", \"value\": {\"column\": \"amount\", \"op\": "
    "\"sum\"}}]},\n"
    "    {\"id\": \"big\", \"source\": \"sales\",\n"
    "     \"pipeline\": [{\"filter\": {\"column\": \"amount\", \"op\": \">=\", \"value\": \"$min\"}},\n"
    "                  {\"sort\": {\"column\": \"amount\", \"descending\": true}}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"totals\", \"source\": \"sales\",\n"
    "     \"pipeline\": [{\"filter\": {\"column\": \"region\", \"op\": \"in\", \"value\": \"$regions\"}},\n"
    "                  {\"group_by\": {\"keys\": \"region\", \"aggregates\": [{\"op\": \"count\"}, {\"column\": "
    "\"amount\", \"op\": \"mean\", \"as\": \"avg\"}]}},\n"
    "                  {\"sort\": \"region\"}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"about\", \"views\": [{\"type\": \"markdown\", \"text\": \"Static text, $$0\"}]}\n"
    "  ],\n"
    "  \"layout\": {\"main\": [{\"columns\": [[\"by-region\"], [\"big\"]]}, \"totals\"]}\n"
    "}\n";

static void
test_run_and_exact_reruns (void)
{
  g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "sales.tessera", doc_text, TRUE);
  g_autoptr (TessDocumentDashboard) dashboard = tess_document_dashboard_new (doc);
  g_autoptr (TestHost) host = test_host_new (tess_document_dashboard_run, dashboard);
  g_autofree char *amounts = NULL, *regions = NULL, *counts = NULL, *avgs = NULL;

  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);

  g_assert_cmpstr (test_host_find_text (host, "", TESS_ELEMENT_TITLE, NULL), ==, "Sales");
  g_assert_cmpstr (test_host_find_text (host, "by-region", TESS_ELEMENT_SUBHEADER, NULL), ==, "Region north");
  g_assert_cmpstr (test_host_find_text (host, "about", TESS_ELEMENT_MARKDOWN, NULL), ==, "Static text, $0");
  TessElement *metric = test_host_find_kind (host, "by-region", TESS_ELEMENT_METRIC);
  g_assert_cmpstr (tess_element_get_string (metric, "value"), ==, "40");
  g_assert_cmpint (tess_frame_get_n_rows (test_host_frame_of (host, "by-region", TESS_ELEMENT_CHART)), ==, 3);

  amounts = test_column_text (test_host_frame_of (host, "big", TESS_ELEMENT_TABLE), "amount", ",");
  g_assert_cmpstr (amounts, ==, "30,20,10,7");
  regions = test_column_text (test_host_frame_of (host, "totals", TESS_ELEMENT_TABLE), "region", ",");
  counts = test_column_text (test_host_frame_of (host, "totals", TESS_ELEMENT_TABLE), "count", ",");
  avgs = test_column_text (test_host_frame_of (host, "totals", TESS_ELEMENT_TABLE), "avg", ",");
  g_assert_cmpstr (regions, ==, "east,south");
  g_assert_cmpstr (counts, ==, "1,2");
  g_assert_cmpstr (avgs, ==, "7,12.5");

  /* Inputs are declared in the sidebar by the top level, which reads none. */
  g_assert_cmpuint (test_host_count_kind (host, "", TESS_ELEMENT_SIDEBAR), ==, 1);
  g_assert_cmpuint (test_host_count_kind (host, "", TESS_ELEMENT_COLUMNS), ==, 1);

  /* Each input reruns exactly the fragments that name it. */
  test_host_set (host, "region", g_variant_new_string ("south"));
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (test_session_runs_of (host->session, ""), ==, 1);
  g_assert_cmpuint (test_session_runs_of (host->session, "by-region"), ==, 2);
  g_assert_cmpuint (test_session_runs_of (host->session, "big"), ==, 1);
  g_assert_cmpuint (test_session_runs_of (host->session, "totals"), ==, 1);
  g_assert_cmpuint (test_session_runs_of (host->session, "about"), ==, 1);
  g_assert_cmpstr (test_host_find_text (host, "by-region", TESS_ELEMENT_SUBHEADER, NULL), ==, "Region south");

  test_host_set (host, "min", g_variant_new_double (15));
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (test_session_runs_of (host->session, "big"), ==, 2);
  g_assert_cmpuint (test_session_runs_of (host->session, "by-region"), ==, 2);
  g_assert_cmpuint (test_session_runs_of (host->session, "totals"), ==, 1);
  g_clear_pointer (&amounts, g_free);
  amounts = test_column_text (test_host_frame_of (host, "big", TESS_ELEMENT_TABLE), "amount", ",");
  g_assert_cmpstr (amounts, ==, "30,20");

  /* An empty multiselect keeps every row. */
  test_host_set (host, "regions", g_variant_new_strv (NULL, 0));
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (test_session_runs_of (host->session, "totals"), ==, 2);
  g_assert_cmpuint (test_session_runs_of (host->session, "big"), ==, 2);
  g_clear_pointer (&regions, g_free);
  regions = test_column_text (test_host_frame_of (host, "totals", TESS_ELEMENT_TABLE), "region", ",");
  g_assert_cmpstr (regions, ==, "east,north,south");
  g_assert_cmpuint (test_session_runs_of (host->session, ""), ==, 1);
}

static void
test_pipeline_steps (void)
{
  const char *text = "{\"tessera\": 1, \"sources\": {\"sales\": \"sales.csv\"}, \"fragments\": [\n"
                     " {\"id\": \"a\", \"source\": \"sales\", \"pipeline\": [\n"
                     "   {\"bucket\": {\"column\": \"when\", \"unit\": \"month\", \"as\": \"m\"}},\n"
                     "   {\"filter\": {\"column\": \"when\", \"op\": \"year\", \"value\": 2024}},\n"
                     "   {\"derive\": {\"as\": \"double\", \"expr\": \"amount * 2 + (month - 1)\"}},\n"
                     "   {\"rolling\": {\"column\": \"amount\", \"window\": 2, \"op\": \"sum\"}},\n"
                     "   {\"rename\": {\"amount\": \"amt\"}},\n"
                     "   {\"select\": [\"m\", \"amt\", \"double\", \"amount_rolling_sum\"]},\n"
                     "   {\"tail\": 3}],\n"
                     "  \"views\": [{\"type\": \"table\"}]},\n"
                     " {\"id\": \"b\", \"source\": \"sales\", \"pipeline\": [\n"
                     "   {\"filter\": {\"any\": [{\"column\": \"amount\", \"op\": \"is_null\"}, {\"all\": [\n"
                     "     {\"column\": \"region\", \"op\": \"contains\", \"value\": \"th\"}, {\"column\": \"when\", "
                     "\"op\": \"<\", \"value\": \"2024-01-10\"}]}]}},\n"
                     "   {\"group_by\": {\"keys\": [\"region\"], \"aggregates\": [{\"column\": \"month\", \"op\": "
                     "\"max\"}, {\"column\": \"amount\", \"op\": \"median\"}]}}],\n"
                     "  \"views\": [{\"type\": \"table\"}]}]}";
  g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "sales.tessera", text, TRUE);
  g_autoptr (TessDocumentDashboard) dashboard = tess_document_dashboard_new (doc);
  g_autoptr (TestHost) host = test_host_new (tess_document_dashboard_run, dashboard);

  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);

  TessFrame *a = test_host_frame_of (host, "a", TESS_ELEMENT_TABLE);
  g_assert_cmpuint (tess_frame_get_n_columns (a), ==, 4);
  g_autofree char *m = test_column_text (a, "m", ",");
  g_autofree char *amt = test_column_text (a, "amt", ",");
  g_autofree char *dbl = test_column_text (a, "double", ",");
  g_autofree char *roll = test_column_text (a, "amount_rolling_sum", ",");
  g_assert_cmpstr (m, ==, "2024-01-01,2024-02-01,2024-03-01");
  g_assert_cmpstr (amt, ==, "20,30,");
  g_assert_cmpstr (dbl, ==, "40,61,");
  /* Null until the window is full, and wherever it holds a null. */
  g_assert_cmpstr (roll, ==, "30,50,");

  TessFrame *b = test_host_frame_of (host, "b", TESS_ELEMENT_TABLE);
  g_autofree char *regions = test_column_text (b, "region", ",");
  g_autofree char *max_month = test_column_text (b, "month_max", ",");
  g_autofree char *median = test_column_text (b, "amount_median", ",");
  g_assert_cmpstr (regions, ==, "north,south");
  g_assert_cmpstr (max_month, ==, "3,2");
  g_assert_cmpstr (median, ==, "10,5");
}

static void
test_errors_stay_in_their_slot (void)
{
  const char *text =
      "{\"tessera\": 1, \"sources\": {\"sales\": \"sales.csv\", \"missing\": \"nowhere.csv\"}, \"fragments\": [\n"
      " {\"id\": \"ok\", \"source\": \"sales\", \"views\": [{\"type\": \"table\"}]},\n"
      " {\"id\": \"no-file\", \"source\": \"missing\", \"views\": [{\"type\": \"table\"}]},\n"
      " {\"id\": \"bad-column\", \"source\": \"sales\", \"pipeline\": [{\"sort\": \"amout\"}], \"views\": [{\"type\": "
      "\"table\"}]}]}";
  g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "sales.tessera", text, TRUE);
  g_autoptr (TessDocumentDashboard) dashboard = tess_document_dashboard_new (doc);
  g_autoptr (TestHost) host = test_host_new (tess_document_dashboard_run, dashboard);
  const char *message;

  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpint (test_host_state (host, "ok"), ==, TESS_SCOPE_DONE);
  g_assert_cmpint (test_host_state (host, "no-file"), ==, TESS_SCOPE_ERROR);
  g_assert_cmpint (test_host_state (host, "bad-column"), ==, TESS_SCOPE_ERROR);
  message = g_hash_table_lookup (host->errors, "bad-column");
  g_assert_cmpstr (message, ==, "Step 1: sort: unknown column \"amout\" (did you mean \"amount\"?)");
  message = g_hash_table_lookup (host->errors, "no-file");
  g_assert_true (g_str_has_prefix (message, "Source \"missing\": "));
}

/* A delay an input gives is held to the rules a written one is: a duration
 * from 0 to 24 hours. Out of range or not a duration, it is an error in the
 * fragment's slot, never a wait of another length. */
static void
test_delay_from_an_input (void)
{
  const char *text =
      "{\"tessera\": 1,\n"
      " \"inputs\": {\"huge\": {\"kind\": \"number\", \"default\": 1e308},\n"
      "            \"word\": {\"kind\": \"text\", \"default\": \"soon\"},\n"
      "            \"short\": {\"kind\": \"text\", \"default\": \"20ms\"}},\n"
      " \"fragments\": [\n"
      "  {\"id\": \"huge\", \"delay\": \"$huge\", \"views\": [{\"type\": \"text\", \"text\": \"waited\"}]},\n"
      "  {\"id\": \"word\", \"delay\": {\"seconds\": \"$word\", \"when\": true}, \"views\": [{\"type\": \"text\", "
      "\"text\": \"waited\"}]},\n"
      "  {\"id\": \"short\", \"delay\": \"$short\", \"views\": [{\"type\": \"text\", \"text\": \"waited\"}]}]}\n";
  g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "sales.tessera", text, TRUE);
  g_autoptr (TessDocumentDashboard) dashboard = tess_document_dashboard_new (doc);
  g_autoptr (TestHost) host = test_host_new (tess_document_dashboard_run, dashboard);

  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpint (test_host_state (host, "huge"), ==, TESS_SCOPE_ERROR);
  g_assert_cmpstr (g_hash_table_lookup (host->errors, "huge"), ==,
                   "The delay from input \"huge\" is 1e+308 seconds; a delay is from 0 to 24 hours (86400 seconds)");
  g_assert_cmpint (test_host_state (host, "word"), ==, TESS_SCOPE_ERROR);
  g_assert_cmpstr (
      g_hash_table_lookup (host->errors, "word"), ==,
      "The delay from input \"word\" is \"soon\", which is not a duration: give seconds, or a text such as "
      "\"500ms\", \"5s\", \"2m\" or \"1h\"");
  g_assert_cmpint (test_host_state (host, "short"), ==, TESS_SCOPE_DONE);
  g_assert_cmpstr (test_host_find_text (host, "short", TESS_ELEMENT_TEXT, NULL), ==, "waited");

  /* a value back in range waits and shows */
  test_host_set (host, "huge", g_variant_new_double (0.01));
  test_host_wait_idle (host, 10);
  g_assert_cmpint (test_host_state (host, "huge"), ==, TESS_SCOPE_DONE);
  g_assert_cmpstr (test_host_find_text (host, "huge", TESS_ELEMENT_TEXT, NULL), ==, "waited");
}

static char *
replace_once (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

static void
test_reload_diff (void)
{
  g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "sales.tessera", doc_text, TRUE);
  g_autoptr (TessDocumentDashboard) dashboard = tess_document_dashboard_new (doc);
  g_autoptr (TestHost) host = test_host_new (tess_document_dashboard_run, dashboard);
  g_autofree char *edited = replace_once (doc_text, "\"descending\": true", "\"descending\": false");
  g_autoptr (TessDocument) doc2 = doc_test_load (tmp_dir, "sales.tessera", edited, TRUE);
  g_autofree char *added = NULL;
  g_autoptr (TessDocument) doc3 = NULL;
  g_auto (GStrv) changed = NULL;
  g_auto (GStrv) changed3 = NULL;
  g_autofree char *amounts = NULL;
  guint pipeline_runs;

  test_host_start (host);
  test_host_wait_idle (host, 10);
  pipeline_runs = tess_document_dashboard_get_pipeline_runs (dashboard);
  g_assert_cmpuint (pipeline_runs, ==, 4);

  /* One fragment edited: only it reruns; the others keep their output. */
  changed = tess_document_dashboard_set_document (dashboard, doc2, host->session);
  g_assert_cmpuint (g_strv_length (changed), ==, 1);
  g_assert_cmpstr (changed[0], ==, "big");
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (tess_document_dashboard_get_pipeline_runs (dashboard), ==, pipeline_runs + 1);
  g_assert_cmpuint (test_session_runs_of (host->session, "big"), ==, 2);
  g_assert_cmpuint (test_session_runs_of (host->session, "by-region"), ==, 1);
  g_assert_cmpuint (test_session_runs_of (host->session, ""), ==, 1);
  amounts = test_column_text (test_host_frame_of (host, "big", TESS_ELEMENT_TABLE), "amount", ",");
  g_assert_cmpstr (amounts, ==, "7,10,20,30");

  /* A new fragment changes the structure: the dashboard reruns, the new
   * fragment runs its pipeline, unchanged ones re-show what they had. */
  added = replace_once (
      edited, "    {\"id\": \"about\"",
      "    {\"id\": \"new\", \"views\": [{\"type\": \"text\", \"text\": \"new\"}]},\n    {\"id\": \"about\"");
  doc3 = doc_test_load (tmp_dir, "sales.tessera", added, TRUE);
  pipeline_runs = tess_document_dashboard_get_pipeline_runs (dashboard);
  changed3 = tess_document_dashboard_set_document (dashboard, doc3, host->session);
  g_assert_cmpuint (g_strv_length (changed3), ==, 1);
  g_assert_cmpstr (changed3[0], ==, "new");
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (tess_document_dashboard_get_pipeline_runs (dashboard), ==, pipeline_runs + 1);
  g_assert_cmpuint (tess_document_dashboard_get_kept_runs (dashboard), ==, 4);
  g_assert_cmpstr (test_host_find_text (host, "new", TESS_ELEMENT_TEXT, NULL), ==, "new");
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);

  /* Reload (a full rerun by the user) loads everything afresh. */
  pipeline_runs = tess_document_dashboard_get_pipeline_runs (dashboard);
  tess_session_rerun (host->session);
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (tess_document_dashboard_get_pipeline_runs (dashboard), ==, pipeline_runs + 5);
  g_assert_cmpuint (tess_document_dashboard_get_kept_runs (dashboard), ==, 4);
}

int
main (int argc, char **argv)
{
  g_autofree char *csv = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = tess_test_dir_new ("tessera-documents-XXXXXX");
  csv = tess_test_dir_write_file (tmp_dir, "sales.csv", sales_csv);

  g_test_add_func ("/Documents/run/exact-reruns", test_run_and_exact_reruns);
  g_test_add_func ("/Documents/run/pipeline-steps", test_pipeline_steps);
  g_test_add_func ("/Documents/run/errors-stay-in-their-slot", test_errors_stay_in_their_slot);
  g_test_add_func ("/Documents/run/delay-from-an-input", test_delay_from_an_input);
  g_test_add_func ("/Documents/reload/diff", test_reload_diff);
  status = g_test_run ();

  tess_test_dir_remove (tmp_dir);
  g_free (tmp_dir);
  return status;
}
