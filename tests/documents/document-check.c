/* document-check.c: the column checks behind `tessera --check`, which follow
 * the pipeline (tests/app/check.c runs the command itself). */
#include "tess-csv.h"
#include "tess-document-private.h"
#include "tess-test-dir.h"
#include "tess-transform.h"

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

/* Problems of @text (a document beside orders.csv), as --check prints them. */
static char *
check_text (const char *text)
{
  g_autofree char *orders = write_file ("orders.csv", orders_csv);
  g_autofree char *path = write_file ("doc.tessera", text);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TessDocument) doc = tess_document_new_from_file (file, NULL);

  tess_document_check_columns (doc);
  return tess_document_format_problems (doc, "doc.tessera");
}

/* An expression fails --check as it would fail the run: an unknown function
 * (with a suggestion), bad syntax, too long. One that inputs complete is
 * only known when the fragment runs. */
static void
test_expressions (void)
{
  g_autoptr (GString) long_expr = g_string_new ("amount");
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  g_autoptr (TessFrame) derived = NULL;
  g_autofree char *out = NULL;

  while (long_expr->len <= 4096)
    g_string_append (long_expr, " + amount");
  g_string_append_printf (text,
                          "{\"tessera\": 1,\n"
                          " \"inputs\": {\"k\": {\"kind\": \"text\", \"default\": \"1\"}},\n"
                          " \"sources\": {\"o\": \"orders.csv\"},\n"
                          " \"fragments\": [{\"id\": \"x\", \"source\": \"o\", \"pipeline\": [\n"
                          "   {\"derive\": {\"as\": \"a\", \"expr\": \"sqr(amount)\"}},\n"
                          "   {\"derive\": {\"as\": \"b\", \"expr\": \"amount * (2 +\"}},\n"
                          "   {\"derive\": {\"as\": \"c\", \"expr\": \"%s\"}},\n"
                          "   {\"derive\": {\"as\": \"d\", \"expr\": \"flor(amount) + ${k}\"}},\n"
                          "   {\"derive\": {\"as\": \"e\", \"expr\": \"ceil(amount / 2) %% 3\"}}],\n"
                          "  \"views\": [{\"type\": \"table\"}]}]}\n",
                          long_expr->str);
  out = check_text (text->str);
  g_autofree char *expected = g_strdup_printf (
      "doc.tessera:5:35: Expression “sqr(amount)”, at character 1: unknown function “sqr” (did you mean “sqrt”?); "
      "use abs, sqrt, log, exp, floor, ceil or round\n"
      "doc.tessera:6:35: Expression “amount * (2 +”, at character 14: the expression ends too soon\n"
      "doc.tessera:7:35: The expression has %u characters; expressions are limited to 4096\n",
      (guint) long_expr->len);
  g_assert_cmpstr (out, ==, expected);

  /* the run's own messages, less the suggestion */
  frame = tess_csv_read (orders_csv, strlen (orders_csv), NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  derived = tess_frame_derive (frame, "a", "sqr(amount)", &error);
  g_assert_null (derived);
  g_assert_cmpstr (error->message, ==,
                   "Expression “sqr(amount)”, at character 1: unknown function “sqr”; use abs, sqrt, log, exp, floor, "
                   "ceil or round");
  g_clear_error (&error);
  derived = tess_frame_derive (frame, "b", "amount * (2 +", &error);
  g_assert_null (derived);
  g_assert_cmpstr (error->message, ==, "Expression “amount * (2 +”, at character 14: the expression ends too soon");
  g_clear_error (&error);
  derived = tess_frame_derive (frame, "c", long_expr->str, &error);
  g_assert_null (derived);
  g_assert_true (g_str_has_suffix (error->message, "; expressions are limited to 4096"));
}

/* Every duration is from 0 to 24 hours, whichever member holds it and
 * however it is written. */
static void
test_durations (void)
{
  g_autofree char *out = check_text (
      "{\"tessera\": 1,\n"
      " \"sources\": {\"o\": {\"uri\": \"orders.csv\", \"ttl\": \"25h\"}, \"p\": {\"uri\": \"orders.csv\", \"ttl\": "
      "\"24h\"}},\n"
      " \"fragments\": [\n"
      "  {\"id\": \"a\", \"delay\": 1e308, \"views\": [{\"type\": \"text\", \"text\": \"a\"}]},\n"
      "  {\"id\": \"b\", \"run_every\": \"1e308h\", \"views\": [{\"type\": \"text\", \"text\": \"b\"}]},\n"
      "  {\"id\": \"c\", \"delay\": {\"seconds\": 86401}, \"views\": [{\"type\": \"text\", \"text\": \"c\"}]},\n"
      "  {\"id\": \"d\", \"delay\": -1, \"run_every\": \"1441m\", \"views\": [{\"type\": \"text\", \"text\": "
      "\"d\"}]},\n"
      "  {\"id\": \"e\", \"delay\": \"86400000ms\", \"run_every\": 86400, \"source\": \"p\", \"views\": [{\"type\": "
      "\"table\"}]},\n"
      "  {\"id\": \"f\", \"delay\": 0, \"source\": \"o\", \"views\": [{\"type\": \"table\"}]}]}\n");

  g_assert_cmpstr (
      out, ==,
      "doc.tessera:2:48: \"25h\" is too long: a duration is at most 24 hours (\"24h\", 86400 seconds)\n"
      "doc.tessera:4:24: 1e+308 seconds is too long: a duration is at most 24 hours (\"24h\", 86400 "
      "seconds)\n"
      "doc.tessera:5:28: \"1e308h\" is too long: a duration is at most 24 hours (\"24h\", 86400 seconds)\n"
      "doc.tessera:6:36: 86401 seconds is too long: a duration is at most 24 hours (\"24h\", 86400 "
      "seconds)\n"
      "doc.tessera:7:24: a duration cannot be negative\n"
      "doc.tessera:7:41: \"1441m\" is too long: a duration is at most 24 hours (\"24h\", 86400 seconds)\n");
}

/* ${env:NAME} is read only in a source's uri and headers; anywhere else it is
 * an error, reported once where it stands. */
static void
test_env_outside_sources (void)
{
  g_autofree char *out = check_text (
      "{\"tessera\": 1, \"title\": \"Costs for ${env:USER}\",\n"
      " \"inputs\": {\"who\": {\"kind\": \"text\", \"label\": \"${env:USER}\", \"default\": \"${env:HOME}\"},\n"
      "            \"pick\": {\"kind\": \"radio\", \"options\": [\"a\", \"${env:SHELL}\"], \"help\": \"${env:X}\"}},\n"
      " \"sources\": {\"o\": {\"uri\": \"orders.csv?k=${env:KEY}\", \"headers\": {\"Authorization\": \"Bearer "
      "${env:TOKEN}\"},\n"
      "                   \"format\": \"csv\", \"options\": {\"header\": true}},\n"
      "             \"p\": \"orders.csv#${env:KEY}\"},\n"
      " \"fragments\": [{\"id\": \"x\", \"title\": \"${who} ${pick} ${env:USER}\", \"source\": \"o\",\n"
      "   \"views\": [{\"type\": \"markdown\", \"text\": \"${env:HOME}\"}]}],\n"
      " \"layout\": {\"main\": [{\"tabs\": [{\"label\": \"${env:USER}\", \"items\": [\"x\"]}]}]}}\n");
  const char *env = ": environment variables (${env:NAME}) may only be used in a source's uri, headers and password\n";
  g_autofree char *expected = g_strconcat ("doc.tessera:1:25", env, "doc.tessera:2:46", env, "doc.tessera:2:72", env,
                                           "doc.tessera:3:56", env, "doc.tessera:3:81", env, "doc.tessera:7:37", env,
                                           "doc.tessera:8:43", env, "doc.tessera:9:42", env, NULL);

  g_assert_cmpstr (out, ==, expected);
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
  g_test_add_func ("/Documents/check/expressions", test_expressions);
  g_test_add_func ("/Documents/check/durations", test_durations);
  g_test_add_func ("/Documents/check/env-outside-sources", test_env_outside_sources);
  status = g_test_run ();
  tess_test_dir_remove (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  return status;
}
