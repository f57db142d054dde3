/* document-download.c: a document's "download" view: a button whose bytes
 * are the fragment's data as CSV, with the label and file name it states
 * (inputs substituted), and what --check says about a file name with a
 * folder. */
#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "fragments/test-host.h"
#include "doc-test.h"
#include "tess-test-dir.h"

static char *tmp_dir;

static const char *cars_csv = "make,model,price\n"
                              "toyota,corolla,10\n"
                              "honda,\"civic, sport\",12\n"
                              "toyota,camry,15\n"
                              "ford,focus,\n";

static const char *doc_text =
    "{\n"
    "  \"tessera\": 1,\n"
    "  \"inputs\": {\"make\": {\"kind\": \"selectbox\", \"options\": [\"toyota\", \"honda\", \"ford\"]}},\n"
    "  \"sources\": {\"cars\": \"cars.csv\"},\n"
    "  \"fragments\": [\n"
    "    {\"id\": \"cars\", \"source\": \"cars\",\n"
    "     \"pipeline\": [{\"filter\": {\"column\": \"make\", \"value\": \"$make\"}}],\n"
    "     \"views\": [{\"type\": \"download\", \"label\": \"Cars by ${make}\", \"filename\": \"${make}.csv\",\n"
    "                \"columns\": [\"model\", \"price\"]}]},\n"
    "    {\"id\": \"all\", \"source\": \"cars\", \"views\": [{\"type\": \"download\"}]}\n"
    "  ]\n"
    "}\n";

static char *
saved_text (TessElement *download)
{
  g_autoptr (GVariant) bytes = tess_element_lookup (download, "bytes", G_VARIANT_TYPE_BYTESTRING);
  gsize length = 0;
  const char *data;

  g_assert_nonnull (bytes);
  data = g_variant_get_fixed_array (bytes, &length, 1);
  return g_strndup (data, length);
}

static void
test_download_view (void)
{
  g_autoptr (TessDocument) doc = doc_test_load (tmp_dir, "cars.tessera", doc_text, FALSE);
  g_autofree char *problems = tess_document_format_problems (doc, "cars.tessera");
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TestHost) host = NULL;
  g_autofree char *toyota = NULL, *honda = NULL, *all = NULL;
  TessElement *download;

  g_assert_cmpstr (problems, ==, "");
  dashboard = tess_document_dashboard_new (doc);
  host = test_host_new (tess_document_dashboard_run, dashboard);
  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);

  download = test_host_find_kind (host, "cars", TESS_ELEMENT_DOWNLOAD);
  g_assert_nonnull (download);
  g_assert_cmpstr (tess_element_get_string (download, "label"), ==, "Cars by toyota");
  g_assert_cmpstr (tess_element_get_string (download, "filename"), ==, "toyota.csv");
  g_assert_cmpstr (tess_element_get_string (download, "mime"), ==, "text/csv");
  toyota = saved_text (download);
  g_assert_cmpstr (toyota, ==, "model,price\r\ncorolla,10\r\ncamry,15\r\n");

  /* the data follows the input */
  test_host_set (host, "make", g_variant_new_string ("honda"));
  test_host_wait_idle (host, 10);
  download = test_host_find_kind (host, "cars", TESS_ELEMENT_DOWNLOAD);
  g_assert_cmpstr (tess_element_get_string (download, "filename"), ==, "honda.csv");
  honda = saved_text (download);
  g_assert_cmpstr (honda, ==, "model,price\r\n\"civic, sport\",12\r\n");

  /* without members: every column, a null empty, and the default names */
  download = test_host_find_kind (host, "all", TESS_ELEMENT_DOWNLOAD);
  g_assert_cmpstr (tess_element_get_string (download, "label"), ==, "Download CSV");
  g_assert_cmpstr (tess_element_get_string (download, "filename"), ==, "data.csv");
  all = saved_text (download);
  g_assert_cmpstr (all, ==,
                   "make,model,price\r\ntoyota,corolla,10\r\nhonda,\"civic, sport\",12\r\ntoyota,camry,15\r\n"
                   "ford,focus,\r\n");
}

static void
test_download_check (void)
{
  g_autoptr (TessDocument) doc =
      doc_test_load (tmp_dir, "cars.tessera",
                     "{\"tessera\": 1, \"sources\": {\"cars\": \"cars.csv\"},\n"
                     " \"fragments\": [{\"id\": \"a\", \"source\": \"cars\", \"views\": [\n"
                     "   {\"type\": \"download\", \"filename\": \"../cars.csv\", \"columns\": [\"modle\"]}]}]}\n",
                     FALSE);
  g_autofree char *problems = NULL;

  tess_document_check_columns (doc);
  problems = tess_document_format_problems (doc, "cars.tessera");
  g_assert_nonnull (
      strstr (problems, "cars.tessera:3:37: the filename is a name such as \"sales.csv\", without a folder"));
  g_assert_nonnull (strstr (problems, "cars.tessera:3:64: unknown column \"modle\" (did you mean \"model\"?)"));
}

int
main (int argc, char **argv)
{
  g_autofree char *csv = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = tess_test_dir_new ("tessera-download-XXXXXX");
  csv = tess_test_dir_write_file (tmp_dir, "cars.csv", cars_csv);

  g_test_add_func ("/Documents/download/view", test_download_view);
  g_test_add_func ("/Documents/download/check", test_download_check);
  status = g_test_run ();
  tess_test_dir_remove (tmp_dir);
  g_free (tmp_dir);
  return status;
}
