/* document-choices.c: inputs whose options come from data: the options a
 * user is offered, chained inputs, the value falling back when it stops being
 * a choice, exactly the fragments that depend on them rerunning, and what
 * --check says about a wrong source or column. */
#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "fragments/test-host.h"
#include "doc-test.h"
#include "tess-test-dir.h"

static char *tmp_dir;

static const char *cars_csv = "make,model,price\n"
                              "toyota,corolla,10\n"
                              "honda,civic,12\n"
                              "toyota,camry,15\n"
                              "ford,focus,9\n"
                              "honda,accord,14\n"
                              "ford,fiesta,8\n"
                              ",nameless,1\n"
                              "honda,civic,13\n";

static const char *doc_text =
    "{\n"
    "  \"tessera\": 1,\n"
    "  \"inputs\": {\n"
    "    \"make\": {\"kind\": \"selectbox\", \"options\": {\"source\": \"cars\", \"column\": \"make\"}, \"default\": "
    "\"honda\"},\n"
    "    \"model\": {\"kind\": \"radio\", \"options\": {\"source\": \"cars\", \"column\": \"model\",\n"
    "               \"pipeline\": [{\"filter\": {\"column\": \"make\", \"value\": \"$make\"}}]}},\n"
    "    \"models\": {\"kind\": \"multiselect\", \"default\": [\"civic\", \"accord\"],\n"
    "                \"options\": {\"source\": \"cars\", \"column\": \"model\",\n"
    "               \"pipeline\": [{\"filter\": {\"column\": \"make\", \"value\": \"$make\"}}]}}\n"
    "  },\n"
    "  \"sources\": {\"cars\": \"cars.csv\"},\n"
    "  \"fragments\": [\n"
    "    {\"id\": \"price\", \"source\": \"cars\", \"title\": \"${model}\",\n"
    "     \"pipeline\": [{\"filter\": {\"column\": \"model\", \"value\": \"$model\"}}],\n"
    "     \"views\": [{\"type\": \"metric\", \"label\": \"Price\", \"value\": {\"column\": \"price\", \"op\": "
    "\"sum\"}}]},\n"
    "    {\"id\": \"picked\", \"source\": \"cars\",\n"
    "     \"pipeline\": [{\"filter\": {\"column\": \"model\", \"op\": \"in\", \"value\": \"$models\"}}],\n"
    "     \"views\": [{\"type\": \"metric\", \"label\": \"Cars\", \"value\": {\"column\": \"price\", \"op\": "
    "\"count\"}}]},\n"
    "    {\"id\": \"by-make\", \"source\": \"cars\",\n"
    "     \"pipeline\": [{\"filter\": {\"column\": \"make\", \"value\": \"$make\"}}],\n"
    "     \"views\": [{\"type\": \"metric\", \"label\": \"Cars\", \"value\": {\"column\": \"price\", \"op\": "
    "\"count\"}}]},\n"
    "    {\"id\": \"all\", \"source\": \"cars\", \"views\": [{\"type\": \"table\"}]}\n"
    "  ]\n"
    "}\n";

/* The texts the helpers below hand out, freed when the tests are over, so
 * they can be compared in place. */
static GPtrArray *kept_texts;

static const char *
keep (char *text)
{
  g_ptr_array_add (kept_texts, text);
  return text;
}

/* The options the widget of an input offers, joined with ",". */
static const char *
offered (TestHost *host, const char *path, TessElementKind kind)
{
  TessElement *element = test_host_find_kind (host, path, kind);
  g_autofree const char **options = NULL;

  g_assert_nonnull (element);
  g_assert_true (g_variant_lookup (tess_element_get_props (element), "options", "^a&s", &options));
  return keep (g_strjoinv (",", (char **) options));
}

static const char *
value_of (TestHost *host, const char *key)
{
  g_autoptr (GVariant) value = tess_session_get_input_value (host->session, key);

  g_assert_nonnull (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
    {
      g_autofree const char **strv = g_variant_get_strv (value, NULL);
      return keep (g_strjoinv (",", (char **) strv));
    }
  return keep (g_variant_dup_string (value, NULL));
}

static const char *
metric (TestHost *host, const char *path)
{
  TessElement *element = test_host_find_kind (host, path, TESS_ELEMENT_METRIC);

  g_assert_nonnull (element);
  return tess_element_get_string (element, "value");
}

typedef struct
{
  guint top, make, model, models, price, picked, by_make, all;
} Runs;

static void
count_runs (TestHost *host, Runs *runs)
{
  runs->top = test_session_runs_of (host->session, "");
  runs->make = test_session_runs_of (host->session, "$make");
  runs->model = test_session_runs_of (host->session, "$model");
  runs->models = test_session_runs_of (host->session, "$models");
  runs->price = test_session_runs_of (host->session, "price");
  runs->picked = test_session_runs_of (host->session, "picked");
  runs->by_make = test_session_runs_of (host->session, "by-make");
  runs->all = test_session_runs_of (host->session, "all");
}

static void
test_options_from_data (void)
{
  g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "cars.tessera", doc_text, FALSE);
  g_autofree char *problems = tess_document_format_problems (doc, "cars.tessera");
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  Runs before, after;

  g_assert_cmpstr (problems, ==, "");
  dashboard = tess_document_dashboard_new (doc);
  host = test_host_new (tess_document_dashboard_run, dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);

  /* distinct values in data order, without the null; the default chosen */
  g_assert_cmpstr (offered (host, "$make", TESS_ELEMENT_SELECTBOX), ==, "toyota,honda,ford");
  g_assert_cmpstr (value_of (host, "make"), ==, "honda");
  /* chained: the models of the chosen make */
  g_assert_cmpstr (offered (host, "$model", TESS_ELEMENT_RADIO), ==, "civic,accord");
  g_assert_cmpstr (value_of (host, "model"), ==, "civic");
  g_assert_cmpstr (offered (host, "$models", TESS_ELEMENT_MULTISELECT), ==, "civic,accord");
  g_assert_cmpstr (value_of (host, "models"), ==, "civic,accord");
  g_assert_cmpstr (metric (host, "price"), ==, "25");
  g_assert_cmpstr (test_host_find_text (host, "price", TESS_ELEMENT_SUBHEADER, NULL), ==, "civic");
  g_assert_cmpstr (metric (host, "picked"), ==, "3");
  g_assert_cmpstr (metric (host, "by-make"), ==, "3");

  /* a chosen model reruns what reads it, nothing else */
  count_runs (host, &before);
  test_host_set (host, "model", g_variant_new_string ("accord"));
  test_host_wait_idle (host, 10);
  count_runs (host, &after);
  g_assert_cmpstr (metric (host, "price"), ==, "14");
  g_assert_cmpuint (after.price, ==, before.price + 1);
  g_assert_cmpuint (after.top, ==, before.top);
  g_assert_cmpuint (after.make, ==, before.make);
  g_assert_cmpuint (after.model, ==, before.model);
  g_assert_cmpuint (after.models, ==, before.models);
  g_assert_cmpuint (after.picked, ==, before.picked);
  g_assert_cmpuint (after.by_make, ==, before.by_make);
  g_assert_cmpuint (after.all, ==, before.all);

  /* another make: the models' options follow, the chosen model is gone and
   * falls back to the first; only what depends on the make reruns */
  count_runs (host, &before);
  test_host_set (host, "make", g_variant_new_string ("ford"));
  test_host_wait_idle (host, 10);
  count_runs (host, &after);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  g_assert_cmpstr (offered (host, "$model", TESS_ELEMENT_RADIO), ==, "focus,fiesta");
  g_assert_cmpstr (value_of (host, "model"), ==, "focus");
  g_assert_cmpstr (value_of (host, "models"), ==, "");
  g_assert_cmpstr (metric (host, "price"), ==, "9");
  g_assert_cmpstr (test_host_find_text (host, "price", TESS_ELEMENT_SUBHEADER, NULL), ==, "focus");
  g_assert_cmpstr (metric (host, "picked"), ==, "8"); /* nothing picked: every car */
  g_assert_cmpstr (metric (host, "by-make"), ==, "2");
  g_assert_cmpuint (after.top, ==, before.top);
  g_assert_cmpuint (after.make, ==, before.make);
  g_assert_cmpuint (after.model, ==, before.model + 1);
  g_assert_cmpuint (after.models, ==, before.models + 1);
  g_assert_cmpuint (after.price, ==, before.price + 1);
  g_assert_cmpuint (after.picked, ==, before.picked + 1);
  g_assert_cmpuint (after.by_make, ==, before.by_make + 1);
  g_assert_cmpuint (after.all, ==, before.all);
  g_assert_cmpstr (offered (host, "$make", TESS_ELEMENT_SELECTBOX), ==, "toyota,honda,ford");

  /* a value that is still a choice stays */
  test_host_set (host, "model", g_variant_new_string ("fiesta"));
  test_host_set (host, "models", g_variant_new_strv ((const char *const[]){ "fiesta", NULL }, -1));
  test_host_wait_idle (host, 10);
  g_assert_cmpstr (metric (host, "price"), ==, "8");
  test_host_set (host, "make", g_variant_new_string ("toyota"));
  test_host_wait_idle (host, 10);
  g_assert_cmpstr (value_of (host, "model"), ==, "corolla");
  g_assert_cmpstr (metric (host, "price"), ==, "10");
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
}

/* Options whose source's URI is built from another input follow it too. */
static void
test_source_from_an_input (void)
{
  g_autoptr (TessDocument) doc = doc_test_load (
      tmp_dir, "cars.tessera",
      "{\"tessera\": 1,\n"
      " \"inputs\": {\"fleet\": {\"kind\": \"radio\", \"options\": [\"cars\", \"trucks\"]},\n"
      "   \"model\": {\"kind\": \"selectbox\", \"options\": {\"source\": \"fleet\", \"column\": \"model\"}}},\n"
      " \"sources\": {\"fleet\": \"${fleet}.csv\"},\n"
      " \"fragments\": [{\"id\": \"price\", \"source\": \"fleet\", \"pipeline\": [{\"filter\": {\"column\": "
      "\"model\", \"value\": \"$model\"}}],\n"
      "   \"views\": [{\"type\": \"metric\", \"label\": \"Price\", \"value\": {\"column\": \"price\", \"op\": "
      "\"sum\"}}]}]}\n",
      FALSE);
  g_autofree char *problems = tess_document_format_problems (doc, "cars.tessera");
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  guint model_runs;

  g_assert_cmpstr (problems, ==, "");
  dashboard = tess_document_dashboard_new (doc);
  host = test_host_new (tess_document_dashboard_run, dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  g_assert_cmpstr (offered (host, "$model", TESS_ELEMENT_SELECTBOX), ==,
                   "corolla,civic,camry,focus,accord,fiesta,nameless");
  g_assert_cmpstr (metric (host, "price"), ==, "10");

  model_runs = test_session_runs_of (host->session, "$model");
  test_host_set (host, "fleet", g_variant_new_string ("trucks"));
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  g_assert_cmpuint (test_session_runs_of (host->session, "$model"), ==, model_runs + 1);
  g_assert_cmpuint (test_session_runs_of (host->session, ""), ==, 1);
  g_assert_cmpstr (offered (host, "$model", TESS_ELEMENT_SELECTBOX), ==, "hilux,actros");
  g_assert_cmpstr (value_of (host, "model"), ==, "hilux");
  g_assert_cmpstr (metric (host, "price"), ==, "30");
}

/* A default the data does not hold is said where the input is, and the
 * first value is chosen. */
static void
test_default_not_in_data (void)
{
  g_autoptr (TessDocument) doc =
      doc_test_load (tmp_dir, "cars.tessera",
                     "{\"tessera\": 1,\n"
                     " \"inputs\": {\"make\": {\"kind\": \"selectbox\", \"label\": \"Make\", \"default\": \"tesla\",\n"
                     "   \"options\": {\"source\": \"cars\", \"column\": \"make\"}}},\n"
                     " \"sources\": {\"cars\": \"cars.csv\"},\n"
                     " \"fragments\": [{\"id\": \"a\", \"source\": \"cars\", \"pipeline\": [{\"filter\": {\"column\": "
                     "\"make\", \"value\": \"$make\"}}], \"views\": [{\"type\": \"table\"}]}]}\n",
                     FALSE);
  g_autoptr (TessDocumentDashboard) dashboard = tess_document_dashboard_new (doc);
  g_autoptr (TestHost) host = test_host_new (tess_document_dashboard_run, dashboard);

  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpstr (test_host_find_text (host, "$make", TESS_ELEMENT_CALLOUT, NULL), ==,
                   "The default “tesla” of “Make” is not among the values of the column “make”; the first is chosen");
  g_assert_cmpstr (value_of (host, "make"), ==, "toyota");
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
}

static void
assert_problem (const char *text, const char *expected)
{
  g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "cars.tessera", text, FALSE);
  g_autofree char *problems = NULL;

  tess_document_check_columns (doc);
  problems = tess_document_format_problems (doc, "cars.tessera");
  if (strstr (problems, expected) == NULL)
    g_error ("expected «%s» in:\n%s", expected, problems);
}

static void
test_check (void)
{
  /* an unknown source, with its position and a suggestion */
  assert_problem ("{\"tessera\": 1,\n"
                  " \"inputs\": {\"make\": {\"kind\": \"selectbox\",\n"
                  "   \"options\": {\"source\": \"car\", \"column\": \"make\"}}},\n"
                  " \"sources\": {\"cars\": \"cars.csv\"},\n"
                  " \"fragments\": [{\"id\": \"a\", \"source\": \"cars\", \"pipeline\": [{\"filter\": {\"column\": "
                  "\"make\", \"value\": \"$make\"}}], \"views\": [{\"type\": \"table\"}]}]}\n",
                  "cars.tessera:3:26: unknown source \"car\" (did you mean \"cars\"?)");
  /* a column the source does not have */
  assert_problem ("{\"tessera\": 1,\n"
                  " \"inputs\": {\"make\": {\"kind\": \"selectbox\",\n"
                  "   \"options\": {\"source\": \"cars\", \"column\": \"maker\"}}},\n"
                  " \"sources\": {\"cars\": \"cars.csv\"},\n"
                  " \"fragments\": [{\"id\": \"a\", \"source\": \"cars\", \"pipeline\": [{\"filter\": {\"column\": "
                  "\"make\", \"value\": \"$make\"}}], \"views\": [{\"type\": \"table\"}]}]}\n",
                  "cars.tessera:3:44: unknown column \"maker\" (did you mean \"make\"?)");
  /* ... nor after its pipeline */
  assert_problem ("{\"tessera\": 1,\n"
                  " \"inputs\": {\"make\": {\"kind\": \"selectbox\",\n"
                  "   \"options\": {\"source\": \"cars\", \"column\": \"price\", \"pipeline\": [{\"select\": "
                  "\"make\"}]}}},\n"
                  " \"sources\": {\"cars\": \"cars.csv\"},\n"
                  " \"fragments\": [{\"id\": \"a\", \"source\": \"cars\", \"pipeline\": [{\"filter\": {\"column\": "
                  "\"make\", \"value\": \"$make\"}}], \"views\": [{\"type\": \"table\"}]}]}\n",
                  "cars.tessera:3:44: unknown column \"price\"");
  /* a missing column member, a misspelt member */
  assert_problem ("{\"tessera\": 1,\n"
                  " \"inputs\": {\"make\": {\"kind\": \"radio\",\n"
                  "   \"options\": {\"source\": \"cars\", \"colum\": \"make\"}}},\n"
                  " \"sources\": {\"cars\": \"cars.csv\"},\n"
                  " \"fragments\": [{\"id\": \"a\", \"source\": \"cars\", \"pipeline\": [{\"filter\": {\"column\": "
                  "\"make\", \"value\": \"$make\"}}], \"views\": [{\"type\": \"table\"}]}]}\n",
                  "missing member \"column\"");
  /* a default the data does not hold: a warning, with a suggestion */
  assert_problem ("{\"tessera\": 1,\n"
                  " \"inputs\": {\"make\": {\"kind\": \"selectbox\", \"default\": \"hondo\",\n"
                  "   \"options\": {\"source\": \"cars\", \"column\": \"make\"}}},\n"
                  " \"sources\": {\"cars\": \"cars.csv\"},\n"
                  " \"fragments\": [{\"id\": \"a\", \"source\": \"cars\", \"pipeline\": [{\"filter\": {\"column\": "
                  "\"make\", \"value\": \"$make\"}}], \"views\": [{\"type\": \"table\"}]}]}\n",
                  "cars.tessera:2:54: warning: the default \"hondo\" is not among the values of the column \"make\" of "
                  "source \"cars\" (did you mean \"honda\"?); the first is chosen");
  /* options that depend on each other */
  assert_problem (
      "{\"tessera\": 1,\n"
      " \"inputs\": {\"a\": {\"kind\": \"radio\",\n"
      "   \"options\": {\"source\": \"cars\", \"column\": \"make\", \"pipeline\": [{\"filter\": {\"column\": "
      "\"model\", \"value\": \"$b\"}}]}},\n"
      "  \"b\": {\"kind\": \"radio\",\n"
      "   \"options\": {\"source\": \"cars\", \"column\": \"model\", \"pipeline\": [{\"filter\": "
      "{\"column\": \"make\", \"value\": \"$a\"}}]}}},\n"
      " \"sources\": {\"cars\": \"cars.csv\"},\n"
      " \"fragments\": [{\"id\": \"x\", \"source\": \"cars\", \"title\": \"${a}\", \"views\": [{\"type\": "
      "\"table\"}]}]}\n",
      "the options of \"a\" depend on \"a\" itself");

  /* a correct document has no problem, and the fragments reading the
   * chained input depend on what its options read */
  {
    g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "cars.tessera", doc_text, FALSE);
    g_autofree char *problems = NULL;
    g_auto (GStrv) dependents = tess_document_get_dependents (doc, "make");
    g_autofree char *joined = NULL;

    tess_document_check_columns (doc);
    problems = tess_document_format_problems (doc, "cars.tessera");
    g_assert_cmpstr (problems, ==, "");
    joined = g_strjoinv (",", dependents);
    g_assert_cmpstr (joined, ==, "price,picked,by-make");
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *csv = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  kept_texts = g_ptr_array_new_with_free_func (g_free);
  tmp_dir = tess_test_dir_new ("tessera-choices-XXXXXX");
  csv = g_build_filename (tmp_dir, "cars.csv", NULL);
  g_assert_true (g_file_set_contents (csv, cars_csv, -1, NULL));
  g_free (csv);
  csv = g_build_filename (tmp_dir, "trucks.csv", NULL);
  g_assert_true (g_file_set_contents (csv, "make,model,price\ntoyota,hilux,30\nmercedes,actros,90\n", -1, NULL));

  g_test_add_func ("/Documents/choices/from-data", test_options_from_data);
  g_test_add_func ("/Documents/choices/check", test_check);
  g_test_add_func ("/Documents/choices/source-from-an-input", test_source_from_an_input);
  g_test_add_func ("/Documents/choices/default-not-in-data", test_default_not_in_data);
  status = g_test_run ();
  tess_test_dir_remove (tmp_dir);
  g_free (tmp_dir);
  g_ptr_array_unref (kept_texts);
  return status;
}
