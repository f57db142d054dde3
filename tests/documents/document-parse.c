/* document-parse.c: reading dashboard documents: syntax errors with their
 * positions, the format's rules, suggestions, and which fragments each input
 * reruns. */
#include "tess-document-private.h"
#include "tess-test-dir.h"

#include <glib/gstdio.h>
#include <string.h>

static char *
problems_of (const char *text)
{
  g_autoptr (TessDocument) doc = tess_document_new_from_text (text, -1, NULL);
  return tess_document_format_problems (doc, "doc.tessera");
}

static void
test_syntax_positions (void)
{
  struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "{\n  \"tessera\": 1,\n  \"title\": \"x\",\n}\n", "doc.tessera:4:1: trailing comma before '}'\n" },
    { "{\"tessera\": 1, \"title\": \"abc}", "doc.tessera:1:25: unterminated string: missing closing quote\n" },
    { "{\n\t\"a\": [1, 2,]\n}", "doc.tessera:2:13: trailing comma before ']'\n" },
    { "{\"a\" 1}", "doc.tessera:1:6: expected ':' after the member name\n" },
    { "{\"a\": 01}", "doc.tessera:1:8: invalid number: leading zeros are not allowed\n" },
    { "{\"a\": tru}", "doc.tessera:1:7: unexpected characters; expected a value (a string, number, object, array, "
                      "true, false or null)\n" },
    { "{\"é\": \"ü\", 'x': 1}", "doc.tessera:1:12: expected a member name in double quotes\n" },
    { "{} {}", "doc.tessera:1:4: unexpected text after the end of the document\n" },
    { "", "doc.tessera:1:1: unexpected end of document: expected a value\n" },
    { "{\"a\": \"\\q\"}",
      "doc.tessera:1:9: invalid escape in string; use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX\n" },
    { "{\"a\": [1, 2\n", "doc.tessera:2:1: unexpected end of document: an array is not closed with ']'\n" },
    { "// comment\n{}", "doc.tessera:1:1: comments are not allowed in JSON documents\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = problems_of (cases[i].text);
      if (g_strcmp0 (out, cases[i].expected) != 0)
        g_printerr ("case %u:\n%s", i, out);
      g_assert_cmpstr (out, ==, cases[i].expected);
    }
}

static void
test_scanner_values (void)
{
  guint line, col;
  g_autoptr (GError) error = NULL;
  g_autoptr (TessDocNode) root = tess_doc_node_parse (
      "{\"s\": \"a\\u00e9\\ud83d\\ude00\\n\", \"n\": -1.5e2, \"i\": 42, \"b\": [true, false, null], \"o\": {}}", -1,
      &line, &col, &error);
  g_autofree char *canonical = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_cmpstr (tess_doc_node_get (root, "s")->string, ==, "a\xc3\xa9\xf0\x9f\x98\x80\n");
  g_assert_cmpfloat (tess_doc_node_get (root, "n")->number, ==, -150);
  g_assert_false (tess_doc_node_get (root, "n")->is_integer);
  g_assert_true (tess_doc_node_get (root, "i")->is_integer);
  g_assert_true (tess_doc_node_get_index (tess_doc_node_get (root, "b"), 0)->boolean);
  g_assert_false (tess_doc_node_get_index (tess_doc_node_get (root, "b"), 1)->boolean);
  g_assert_cmpint (tess_doc_node_get (root, "o")->line, ==, 1);
  g_assert_cmpint (tess_doc_node_get (root, "o")->col, ==, 85);
  canonical = tess_doc_node_to_string (root);
  g_assert_cmpstr (canonical, ==,
                   "{\"s\":\"a\xc3\xa9\xf0\x9f\x98\x80\\n\",\"n\":-150,\"i\":42,\"b\":[true,false,null],\"o\":{}}");

  /* Deep nesting is refused, not a stack overflow. */
  g_autoptr (GString) deep = g_string_new (NULL);
  for (int i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  g_clear_error (&error);
  g_assert_null (tess_doc_node_parse (deep->str, -1, &line, &col, &error));
  g_assert_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_SYNTAX);
}

static const char *valid_doc =
    "{\n"
    "  \"tessera\": 1,\n"
    "  \"title\": \"Sales\",\n"
    "  \"inputs\": {\n"
    "    \"region\": {\"kind\": \"selectbox\", \"options\": [\"north\", \"south\"], \"default\": \"south\"},\n"
    "    \"year\": {\"kind\": \"slider\", \"min\": 2000, \"max\": 2020, \"default\": 2010},\n"
    "    \"limit\": {\"kind\": \"number\", \"default\": 10},\n"
    "    \"note\": {\"kind\": \"text\", \"default\": \"hi\"}\n"
    "  },\n"
    "  \"sources\": {\n"
    "    \"sales\": \"data/sales.csv\",\n"
    "    \"remote\": {\"uri\": \"https://example.com/${region}.csv\", \"ttl\": \"5m\",\n"
    "               \"headers\": {\"Authorization\": \"Bearer ${env:TOKEN}\"}}\n"
    "  },\n"
    "  \"fragments\": [\n"
    "    {\"id\": \"by-region\", \"source\": \"sales\",\n"
    "     \"pipeline\": [{\"filter\": {\"column\": \"region\", \"op\": \"==\", \"value\": \"$region\"}}],\n"
    "     \"views\": [{\"type\": \"bar\", \"x\": \"month\", \"y\": \"amount\"}]},\n"
    "    {\"id\": \"by-year\", \"source\": \"sales\",\n"
    "     \"pipeline\": [{\"filter\": {\"column\": \"year\", \"op\": \"==\", \"value\": \"$year\"}}, {\"head\": "
    "\"$limit\"}],\n"
    "     \"views\": [{\"type\": \"table\"}]},\n"
    "    {\"id\": \"remote\", \"source\": \"remote\", \"run_every\": 30,\n"
    "     \"views\": [{\"type\": \"line\", \"x\": \"t\", \"y\": [\"a\", \"b\"]}]},\n"
    "    {\"id\": \"note\", \"views\": [{\"type\": \"markdown\", \"text\": \"**${note}**, $$5 for ${year}\"}]},\n"
    "    {\"id\": \"static\", \"parallel\": false, \"views\": [{\"type\": \"text\", \"text\": \"no inputs\"}]}\n"
    "  ],\n"
    "  \"layout\": {\"sidebar\": [\"region\", \"year\"],\n"
    "             \"main\": [{\"columns\": [[\"by-region\"], [\"by-year\", \"remote\"]], \"weights\": [2, 1]},\n"
    "                      {\"tabs\": [{\"label\": \"Notes\", \"items\": [\"note\"]}]}]}\n"
    "}\n";

static void
test_valid_document (void)
{
  g_autoptr (TessDocument) doc = tess_document_new_from_text (valid_doc, -1, "file:///home/u/sales.tessera");
  g_autofree char *out = tess_document_format_problems (doc, "sales.tessera");

  g_assert_cmpstr (out, ==, "");
  g_assert_true (tess_document_is_valid (doc));
  g_assert_cmpstr (tess_document_get_title (doc), ==, "Sales");
  g_assert_cmpuint (tess_document_get_n_fragments (doc), ==, 5);
  g_assert_cmpstr (tess_document_get_fragment_id (doc, 1), ==, "by-year");

  TessDocInput *region = tess_document_lookup_input (doc, "region");
  g_assert_cmpint (region->spec.kind, ==, TESS_INPUT_SELECTBOX);
  g_assert_cmpuint (region->spec.index, ==, 1);
  TessDocInput *year = tess_document_lookup_input (doc, "year");
  g_assert_cmpfloat (year->spec.value, ==, 2010);
  g_assert_cmpstr (year->spec.label, ==, "year");

  TessDocSource *remote = tess_document_lookup_source (doc, "remote");
  g_assert_cmpfloat (remote->ttl, ==, 300);
  g_assert_cmpstr (remote->header_values[0], ==, "Bearer ${env:TOKEN}");

  g_autofree char *resolved = tess_document_resolve_uri (doc, "data/sales.csv");
  g_assert_cmpstr (resolved, ==, "file:///home/u/data/sales.csv");
  TessDocFragment *remote_fragment = tess_document_lookup_fragment (doc, "remote");
  g_assert_cmpfloat (remote_fragment->run_every, ==, 30);
  g_assert_false (tess_document_lookup_fragment (doc, "static")->parallel);
  g_assert_true (tess_document_lookup_fragment (doc, "note")->parallel);
}

static void
assert_strv (char **actual, const char *const *expected)
{
  g_autofree char *a = g_strjoinv (",", actual);
  g_autofree char *e = g_strjoinv (",", (char **) expected);
  g_assert_cmpstr (a, ==, e);
}

static void
test_dependencies (void)
{
  g_autoptr (TessDocument) doc = tess_document_new_from_text (valid_doc, -1, NULL);
  g_auto (GStrv) region = tess_document_get_dependents (doc, "region");
  g_auto (GStrv) year = tess_document_get_dependents (doc, "year");
  g_auto (GStrv) limit = tess_document_get_dependents (doc, "limit");
  g_auto (GStrv) note = tess_document_get_dependents (doc, "note");
  g_auto (GStrv) none = tess_document_get_dependents (doc, "nothing");

  /* "remote" reads region through its source's URI. */
  assert_strv (region, (const char *const[]){ "by-region", "remote", NULL });
  assert_strv (year, (const char *const[]){ "by-year", "note", NULL });
  assert_strv (limit, (const char *const[]){ "by-year", NULL });
  assert_strv (note, (const char *const[]){ "note", NULL });
  g_assert_null (none[0]);
  assert_strv ((char **) tess_document_get_fragment_inputs (doc, "by-year"),
               (const char *const[]){ "limit", "year", NULL });
  assert_strv ((char **) tess_document_get_fragment_inputs (doc, "static"), (const char *const[]){ NULL });
}

static void
test_rules (void)
{
  struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "{\"title\": \"x\", \"fragments\": [{\"id\": \"a\", \"views\": [{\"type\": \"text\", \"text\": \"t\"}]}]}",
      "doc.tessera: $.tessera: missing member \"tessera\": the format version, 1\n" },
    { "{\"tessera\": 2, \"fragments\": [{\"id\": \"a\", \"views\": [{\"type\": \"text\", \"text\": \"t\"}]}]}",
      "doc.tessera:1:13: unsupported format version; this Tessera reads \"tessera\": 1\n" },
    { "{\"tessera\": 1, \"titel\": \"x\", \"fragments\": [{\"id\": \"a\", \"views\": [{\"type\": \"text\", \"text\": "
      "\"t\"}]}]}",
      "doc.tessera:1:16: unknown member \"titel\" in a dashboard document (did you mean \"title\"?)\n" },
    { "{\"tessera\": 1, \"fragments\": [{\"id\": \"a\", \"views\": [{\"type\": \"pie\", \"x\": \"a\"}]}]}",
      "doc.tessera:1:61: unknown view type \"pie\"; use one of \"line\", \"area\", \"bar\", "
      "\"scatter\", \"histogram\", \"table\", \"metric\", \"text\", \"markdown\" or \"download\"\n" },
    { "{\"tessera\": 1, \"inputs\": {\"year\": {\"kind\": \"slider\"}},\n"
      " \"fragments\": [{\"id\": \"a\", \"views\": [{\"type\": \"text\", \"text\": \"${yaer}\"}]}]}",
      "doc.tessera:1:35: warning: input \"year\" is not used by any fragment\n"
      "doc.tessera:2:63: unknown input \"yaer\" (did you mean \"year\"?)\n" },
    { "{\"tessera\": 1, \"sources\": {\"s\": \"ftp://x/y.csv\", \"t\": \"command:ls\"},\n"
      " \"fragments\": [{\"id\": \"a\", \"source\": \"S\", \"views\": [{\"type\": \"table\"}]}]}",
      "doc.tessera:1:33: sources cannot use \"ftp:\" URIs; use a path, file://, resource://, http://, https:// or "
      "postgresql://\n"
      "doc.tessera:1:55: sources cannot use \"command:\" URIs; use a path, file://, resource://, http://, https:// or "
      "postgresql://\n"
      "doc.tessera:2:38: unknown source \"S\" (did you mean \"s\"?)\n" },
    { "{\"tessera\": 1, \"fragments\": [{\"id\": \"a\", \"views\": [{\"type\": \"text\", \"text\": "
      "\"${env:HOME}\"}]},\n"
      " {\"id\": \"a\", \"views\": []}, {\"views\": [{\"type\": \"text\"}]}]}",
      "doc.tessera:1:77: environment variables (${env:NAME}) may only be used in a source's uri, headers and password\n"
      "doc.tessera:2:9: fragment id \"a\" is used twice\n"
      "doc.tessera:2:23: \"views\" is empty: give the fragment at least one view\n"
      "doc.tessera: $.fragments[2].id: missing member \"id\": a name unique among the fragments\n"
      "doc.tessera: $.fragments[2].views[0].text: missing member \"text\"\n" },
    { "{\"tessera\": 1, \"inputs\": {\"c\": {\"kind\": \"selectbox\", \"options\": [\"red\", \"green\"], \"default\": "
      "\"gren\"},\n"
      " \"m\": {\"kind\": \"slidr\"}, \"n\": {\"kind\": \"number\", \"options\": []}},\n"
      " \"fragments\": [{\"id\": \"a\", \"views\": [{\"type\": \"text\", \"text\": \"${c}${n}\"}]}]}",
      "doc.tessera:1:94: \"gren\" is not one of the options (did you mean \"green\"?)\n"
      "doc.tessera:2:16: unknown input kind \"slidr\" (did you mean \"slider\"?); use one of \"slider\", "
      "\"range_slider\", \"selectbox\", \"multiselect\", \"checkbox\", \"toggle\", \"radio\", \"text\", \"number\", "
      "\"date\" or \"button\"\n"
      "doc.tessera:2:50: \"options\" does not apply to a number input\n" },
    { "{\"tessera\": 1, \"sources\": {\"s\": \"x.csv\"}, \"fragments\": [{\"id\": \"a\", \"source\": \"s\",\n"
      " \"pipeline\": [{\"filtr\": {}}, {\"filter\": {\"column\": \"x\", \"op\": \"=\", \"value\": 1}},\n"
      "   {\"sort\": \"x\", \"head\": 3}, {\"group_by\": {\"keys\": \"k\", \"aggregates\": [{\"op\": \"avg\"}]}}],\n"
      " \"views\": [{\"type\": \"table\"}]}]}",
      "doc.tessera:2:16: unknown pipeline operation \"filtr\" (did you mean \"filter\"?); use one of \"filter\", "
      "\"select\", \"rename\", \"sort\", \"head\", \"tail\", \"group_by\", \"bucket\", \"rolling\", \"derive\" or "
      "\"join\"\n"
      "doc.tessera:2:63: unknown comparison \"=\" (did you mean \"==\"?); use one of \"==\", \"!=\", \"<\", \"<=\", "
      "\">\", \">=\", \"in\", \"not_in\", \"is_null\", \"not_null\", \"contains\" or \"year\"\n"
      "doc.tessera:3:4: a pipeline step is an object with exactly one member, the operation: \"filter\", "
      "\"select\", \"rename\", \"sort\", \"head\", \"tail\", \"group_by\", \"bucket\", \"rolling\", \"derive\" or "
      "\"join\"\n"
      "doc.tessera:3:79: unknown aggregate \"avg\"\n" },
    { "{\"tessera\": 1, \"fragments\": [{\"id\": \"a\", \"views\": [{\"type\": \"text\", \"text\": \"t\"}]}],\n"
      " \"layout\": {\"main\": [\"b\", \"a\", \"a\", {\"rows\": []}]}}",
      "doc.tessera:2:22: unknown fragment \"b\"\n"
      "doc.tessera:2:32: fragment \"a\" is placed twice in the layout\n"
      "doc.tessera:2:38: unknown layout item \"rows\"; use \"columns\" or \"tabs\"\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = problems_of (cases[i].text);
      if (g_strcmp0 (out, cases[i].expected) != 0)
        g_printerr ("case %u:\n%s", i, out);
      g_assert_cmpstr (out, ==, cases[i].expected);
    }
}

static void
test_remote_documents_are_confined (void)
{
  const char *text = "{\"tessera\": 1, \"sources\": {\n"
                     "  \"passwords\": \"file:///etc/passwd\",\n"
                     "  \"home\": \"/home/user/data.csv\",\n"
                     "  \"token\": {\"uri\": \"https://api.example.com/x?key=${env:API_KEY}\",\n"
                     "            \"headers\": {\"Authorization\": \"Bearer ${env:TOKEN}\"}},\n"
                     "  \"fine\": \"data/sales.csv\", \"bundled\": "
                     "\"resource:///io/github/tessera/Tessera/documents/data/cars.json\"},\n"
                     " \"fragments\": [{\"id\": \"a\", \"views\": [{\"type\": \"text\", \"text\": \"t\"}]}]}";
  g_autoptr (TessDocument) remote = tess_document_new_from_text (text, -1, "https://example.com/dash.tessera");
  g_autoptr (TessDocument) local = tess_document_new_from_text (text, -1, "file:///home/user/dash.tessera");
  g_autofree char *remote_problems = tess_document_format_problems (remote, "dash.tessera");
  g_autofree char *local_problems = tess_document_format_problems (local, "dash.tessera");

  g_assert_cmpstr (remote_problems, ==,
                   "dash.tessera:2:16: a document opened from the network cannot read local files\n"
                   "dash.tessera:3:11: a document opened from the network cannot read local files\n"
                   "dash.tessera:4:20: a document opened from the network cannot read environment variables\n"
                   "dash.tessera:5:42: a document opened from the network cannot read environment variables\n"
                   "dash.tessera:6:40: a document opened from the network loads only http:// and https://\n");
  g_assert_cmpstr (local_problems, ==, "");

  /* Relative sources of a remote document resolve against its URL. */
  g_autofree char *resolved = tess_document_resolve_uri (remote, "data/sales.csv");
  g_assert_cmpstr (resolved, ==, "https://example.com/data/sales.csv");
}

/* Mangled documents (bytes flipped, cut, duplicated) never crash the parser
 * or the checks, and every problem has a position or a path. */
static void
test_mangled_documents (void)
{
  GRand *rand = g_rand_new_with_seed (20261126);
  gsize length = strlen (valid_doc);
  g_autofree char *dir = tess_test_dir_new ("tessera-mangled-XXXXXX");
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *csv = g_build_filename (data_dir, "sales.csv", NULL);
  g_autofree char *doc_path = g_build_filename (dir, "m.tessera", NULL);
  g_autofree char *base = g_filename_to_uri (doc_path, NULL, NULL);

  /* The source exists, so the column checks follow every mangled pipeline too. */
  g_mkdir (data_dir, 0700);
  g_file_set_contents (csv, "region,year,month,amount,t,a,b\nnorth,2010,1,5,2024-01-01,1,2\n", -1, NULL);

  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *text = g_strdup (valid_doc);
      gsize n = length;
      guint edits = g_rand_int_range (rand, 1, 6);

      for (guint e = 0; e < edits; e++)
        {
          gsize at = g_rand_int_range (rand, 0, n);
          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0: /* a random printable byte */
              text[at] = (char) g_rand_int_range (rand, 32, 127);
              break;
            case 1: /* a structural character */
              text[at] = "{}[]:,\"$"[g_rand_int_range (rand, 0, 8)];
              break;
            case 2: /* cut the rest */
              text[at] = '\0';
              n = at;
              break;
            default: /* drop one byte */
              memmove (text + at, text + at + 1, n - at);
              n--;
              break;
            }
          if (n == 0)
            break;
        }
      g_autoptr (TessDocument) doc = tess_document_new_from_text (text, -1, base);
      GPtrArray *problems;

      tess_document_check_columns (doc);
      problems = tess_document_get_problems (doc);
      for (guint i = 0; i < problems->len; i++)
        {
          TessDocumentProblem *problem = g_ptr_array_index (problems, i);
          g_assert_true (problem->line > 0 || g_str_has_prefix (problem->path, "$"));
          g_assert_nonnull (problem->message);
        }
      g_autofree char *out = tess_document_format_problems (doc, "m.tessera");
      if (tess_document_is_valid (doc))
        for (guint f = 0; f < tess_document_get_n_fragments (doc); f++)
          g_assert_nonnull (tess_document_get_fragment_signature (doc, tess_document_get_fragment_id (doc, f)));
    }
  g_rand_free (rand);
  tess_test_dir_remove (dir);
}

static void
test_suggest (void)
{
  const char *const columns[] = { "amount", "date", "region", "customer_id", NULL };

  g_assert_cmpstr (tess_document_suggest ("amout", columns), ==, "amount");
  g_assert_cmpstr (tess_document_suggest ("Region", columns), ==, "region");
  g_assert_cmpstr (tess_document_suggest ("customerid", columns), ==, "customer_id");
  g_assert_null (tess_document_suggest ("price", columns));
  g_assert_null (tess_document_suggest ("x", columns));
}

static void
test_signatures (void)
{
  g_autoptr (TessDocument) a = tess_document_new_from_text (valid_doc, -1, NULL);
  g_autofree char *edited_text = g_strdup (valid_doc);
  char *amount = strstr (edited_text, "\"amount\"");
  g_autoptr (TessDocument) b = NULL;

  /* Edit one fragment's view: only that fragment's signature changes. */
  memcpy (amount, "\"amoun2\"", 8);
  b = tess_document_new_from_text (edited_text, -1, NULL);
  g_assert_true (tess_document_is_valid (b));
  g_assert_cmpstr (tess_document_get_structure_signature (a), ==, tess_document_get_structure_signature (b));
  for (guint i = 0; i < tess_document_get_n_fragments (a); i++)
    {
      const char *id = tess_document_get_fragment_id (a, i);
      if (g_str_equal (id, "by-region"))
        g_assert_cmpstr (tess_document_get_fragment_signature (a, id), !=,
                         tess_document_get_fragment_signature (b, id));
      else
        g_assert_cmpstr (tess_document_get_fragment_signature (a, id), ==,
                         tess_document_get_fragment_signature (b, id));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Documents/parse/syntax-positions", test_syntax_positions);
  g_test_add_func ("/Documents/parse/scanner-values", test_scanner_values);
  g_test_add_func ("/Documents/parse/valid", test_valid_document);
  g_test_add_func ("/Documents/parse/rules", test_rules);
  g_test_add_func ("/Documents/parse/suggest", test_suggest);
  g_test_add_func ("/Documents/parse/mangled-documents", test_mangled_documents);
  g_test_add_func ("/Documents/parse/remote-documents-are-confined", test_remote_documents_are_confined);
  g_test_add_func ("/Documents/dependencies/extraction", test_dependencies);
  g_test_add_func ("/Documents/dependencies/signatures", test_signatures);
  return g_test_run ();
}
