/* document-check.c: the column checks behind `tessera --check`, which follow
 * the pipeline (tests/app/check.c runs the command itself). */
#include "tess-document-private.h"
#include "tess-test-dir.h"

#include <string.h>

static char *tmp_dir;

static char *
write_file (const char *name, const char *contents)
{
  return tess_test_dir_write_file (tmp_dir, name, contents);
}

static const char *orders_csv = "order_id,customer,amount,placed\n"
                                "1,ada,10.5,2024-01-02\n"
                                "2,bob,3,2024-01-03\n";

static const char *customers_csv = "customer,country\n"
                                   "ada,UK\n"
                                   "bob,FR\n";

static const char *check_doc =
    "{\n"
    "  \"tessera\": 1,\n"
    "  \"inputs\": {\"who\": {\"kind\": \"text\"}},\n"
    "  \"sources\": {\"orders\": \"orders.csv\", \"customers\": \"customers.csv\",\n"
    "              \"remote\": \"https://example.com/x.csv\", \"gone\": \"missing.csv\"},\n"
    "  \"fragments\": [\n"
    "    {\"id\": \"a\", \"source\": \"orders\",\n"
    "     \"pipeline\": [{\"filter\": {\"column\": \"customer\", \"value\": \"$who\"}},\n"
    "                  {\"derive\": {\"as\": \"double\", \"expr\": \"amount * 2 + tax\"}},\n"
    "                  {\"rename\": {\"amount\": \"total\"}},\n"
    "                  {\"join\": {\"source\": \"customers\", \"on\": \"customer\"}}],\n"
    "     \"views\": [{\"type\": \"bar\", \"x\": \"country\", \"y\": [\"total\", \"amount\", \"double\"]}]},\n"
    "    {\"id\": \"b\", \"source\": \"orders\",\n"
    "     \"pipeline\": [{\"group_by\": {\"keys\": \"customer\", \"aggregates\": [{\"column\": \"amout\", \"op\": "
    "\"sum\"}, {\"op\": \"count\"}]}}],\n"
    "     \"views\": [{\"type\": \"table\", \"columns\": [\"customer\", \"count\", \"amount_sum\", \"placed\"]},\n"
    "               {\"type\": \"metric\", \"value\": {\"column\": \"count\", \"op\": \"sum\"}}]},\n"
    "    {\"id\": \"c\", \"source\": \"remote\", \"views\": [{\"type\": \"line\", \"x\": \"anything\", \"y\": "
    "\"goes\"}]},\n"
    "    {\"id\": \"d\", \"source\": \"gone\", \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"views\": [{\"type\": \"line\", \"x\": \"t\", \"y\": \"v\"}]}\n"
    "  ]\n"
    "}\n";

static void
test_check_output (void)
{
  g_autofree char *orders = write_file ("orders.csv", orders_csv);
  g_autofree char *customers = write_file ("customers.csv", customers_csv);
  g_autofree char *path = write_file ("check.tessera", check_doc);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TessDocument) doc = tess_document_new_from_file (file, NULL);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_auto (GStrv) split = NULL;

  tess_document_check_columns (doc);
  out = tess_document_format_problems (doc, "check.tessera");
  split = g_strsplit (out, "\n", -1);
  for (guint i = 0; split[i] && *split[i]; i++)
    {
      /* The read error's text comes from the platform; keep its start only. */
      if (strstr (split[i], "cannot read source"))
        split[i][strstr (split[i], "\": ") - split[i] + 1] = '\0';
      g_ptr_array_add (lines, g_strdup (split[i]));
    }
  g_ptr_array_add (lines, NULL);
  g_autofree char *joined = g_strjoinv ("\n", (char **) lines->pdata);
  g_assert_cmpstr (joined, ==,
                   "check.tessera:5:62: cannot read source \"gone\"\n"
                   "check.tessera:9:55: unknown column \"tax\"\n"
                   "check.tessera:12:63: unknown column \"amount\"\n"
                   "check.tessera:14:79: unknown column \"amout\" (did you mean \"amount\"?)\n"
                   "check.tessera:15:67: unknown column \"amount_sum\" (did you mean \"amout_sum\"?)\n"
                   "check.tessera:15:81: unknown column \"placed\"\n"
                   "check.tessera: $.fragments[4].id: missing member \"id\": a name unique among the fragments\n"
                   "check.tessera:19:16: a line view needs data: give the fragment a \"source\"");
}

static void
test_column_inputs (void)
{
  g_autofree char *orders = write_file ("orders.csv", orders_csv);
  g_autofree char *path =
      write_file ("measure.tessera",
                  "{\"tessera\": 1,\n"
                  " \"inputs\": {\"measure\": {\"kind\": \"selectbox\", \"options\": [\"amount\", \"amout\"]}},\n"
                  " \"sources\": {\"o\": \"orders.csv\"},\n"
                  " \"fragments\": [{\"id\": \"x\", \"source\": \"o\",\n"
                  "  \"views\": [{\"type\": \"bar\", \"x\": \"customer\", \"y\": \"$measure\"}]}]}\n");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TessDocument) doc = tess_document_new_from_file (file, NULL);
  g_autofree char *out = NULL;

  tess_document_check_columns (doc);
  out = tess_document_format_problems (doc, "measure.tessera");
  g_assert_cmpstr (out, ==,
                   "measure.tessera:5:51: input \"measure\" offers \"amout\", which is not a column here "
                   "(did you mean \"amount\"?)\n");
}

/* Values of the wrong type are reported where they stand; following the
 * pipeline's columns past them must not trip over them. */
static void
test_wrong_types (void)
{
  struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "{\"tessera\": 1, \"sources\": {\"o\": \"orders.csv\"},\n"
      " \"fragments\": [{\"id\": \"x\", \"source\": \"o\",\n"
      "  \"views\": [{\"type\": \"metric\", \"value\": {\"column\": \"amount\", \"op\": 3}}]}]}\n",
      "types.tessera:3:68: expected a string, found a number\n" },
    { "{\"tessera\": 1, \"sources\": {\"o\": \"orders.csv\"},\n"
      " \"fragments\": [{\"id\": \"x\", \"source\": \"o\", \"pipeline\": [{\"rename\": [\"amount\"]}],\n"
      "  \"views\": [{\"type\": \"table\"}]}]}\n",
      "types.tessera:2:67: expected an object, found an array\n" },
    { "{\"tessera\": 1, \"sources\": {\"o\": \"orders.csv\"},\n"
      " \"fragments\": [{\"id\": \"x\", \"source\": \"o\",\n"
      "  \"pipeline\": [{\"join\": {\"source\": 3, \"on\": \"customer\"}}],\n"
      "  \"views\": [{\"type\": \"table\"}]}]}\n",
      "types.tessera:3:36: expected a string, found a number\n" },
  };
  g_autofree char *orders = write_file ("orders.csv", orders_csv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file ("types.tessera", cases[i].text);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autoptr (TessDocument) doc = tess_document_new_from_file (file, NULL);
      g_autofree char *out = NULL;

      tess_document_check_columns (doc);
      out = tess_document_format_problems (doc, "types.tessera");
      g_assert_cmpstr (out, ==, cases[i].expected);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = tess_test_dir_new ("tessera-check-XXXXXX");
  g_test_add_func ("/Documents/check/columns-follow-the-pipeline", test_check_output);
  g_test_add_func ("/Documents/check/column-chosen-by-an-input", test_column_inputs);
  g_test_add_func ("/Documents/check/wrong-types", test_wrong_types);
  status = g_test_run ();
  tess_test_dir_remove (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  return status;
}
