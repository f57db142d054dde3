/* check_100.c: load and check a 100-fragment document, as `tessera --check`
 * does: parse, validate, read the local source and follow every pipeline's
 * columns. Prints the best of several rounds. */
#include "tess-document-private.h"
#include "tess-cache.h"
#include "tess-test-dir.h"

#include <stdio.h>

static char *
make_document (const char *csv_name)
{
  GString *doc = g_string_new (NULL);

  g_string_append_printf (
      doc,
      "{\n  \"tessera\": 1,\n  \"title\": \"One hundred fragments\",\n"
      "  \"inputs\": {\n"
      "    \"region\": {\"kind\": \"selectbox\", \"options\": [\"north\", \"south\", \"east\", \"west\"]},\n"
      "    \"min\": {\"kind\": \"slider\", \"min\": 0, \"max\": 100, \"default\": 10},\n"
      "    \"products\": {\"kind\": \"multiselect\", \"options\": [\"a\", \"b\", \"c\"], \"default\": [\"a\"]}\n"
      "  },\n  \"sources\": {\"sales\": \"%s\"},\n  \"fragments\": [\n",
      csv_name);
  for (int i = 0; i < 100; i++)
    g_string_append_printf (
        doc,
        "    {\"id\": \"f%d\", \"title\": \"Fragment %d in ${region}\", \"source\": \"sales\",\n"
        "     \"pipeline\": [\n"
        "       {\"filter\": {\"all\": [{\"column\": \"region\", \"value\": \"$region\"},\n"
        "                              {\"column\": \"units\", \"op\": \">=\", \"value\": \"$min\"},\n"
        "                              {\"column\": \"product\", \"op\": \"in\", \"value\": \"$products\"}]}},\n"
        "       {\"derive\": {\"as\": \"revenue\", \"expr\": \"units * price\"}},\n"
        "       {\"bucket\": {\"column\": \"day\", \"unit\": \"month\"}},\n"
        "       {\"group_by\": {\"keys\": [\"day\", \"product\"], \"aggregates\": [{\"column\": \"revenue\", \"op\": "
        "\"sum\", \"as\": \"revenue\"}]}},\n"
        "       {\"sort\": [\"day\", {\"column\": \"revenue\", \"descending\": true}]}],\n"
        "     \"views\": [{\"type\": \"line\", \"x\": \"day\", \"y\": \"revenue\", \"color\": \"product\"},\n"
        "               {\"type\": \"metric\", \"label\": \"Total\", \"value\": {\"column\": \"revenue\", \"op\": "
        "\"sum\"}},\n"
        "               {\"type\": \"table\", \"columns\": [\"day\", \"product\", \"revenue\"]}]}%s\n",
        i, i, i < 99 ? "," : "");
  g_string_append (doc, "  ],\n  \"layout\": {\"columns\": 3}\n}\n");
  return g_string_free (doc, FALSE);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-bench-XXXXXX");
  g_autofree char *csv = g_build_filename (dir, "sales.csv", NULL);
  g_autofree char *doc_path = g_build_filename (dir, "big.tessera", NULL);
  g_autoptr (GString) rows = g_string_new ("day,region,product,units,price\n");
  g_autofree char *text = make_document ("sales.csv");
  g_autoptr (GFile) file = g_file_new_for_path (doc_path);
  g_autofree char *uri = g_file_get_uri (file);
  double best = G_MAXDOUBLE;

  for (int i = 0; i < 2000; i++)
    g_string_append_printf (rows, "2024-%02d-%02d,%s,%c,%d,%d.5\n", i % 12 + 1, i % 28 + 1,
                            (const char *[]){ "north", "south", "east", "west" }[i % 4], 'a' + i % 3, i % 50, i % 90);
  g_file_set_contents (csv, rows->str, rows->len, NULL);
  g_file_set_contents (doc_path, text, -1, NULL);

  for (int round = 0; round < 20; round++)
    {
      gint64 start;
      double ms;
      g_autofree char *contents = NULL;
      gsize length;

      tess_cache_clear (); /* every round reads the source afresh */
      start = g_get_monotonic_time ();
      g_file_get_contents (doc_path, &contents, &length, NULL);
      g_autoptr (TessDocument) doc = tess_document_new_from_text (contents, length, uri);
      tess_document_check_columns (doc);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (!tess_document_is_valid (doc))
        {
          g_autofree char *problems = tess_document_format_problems (doc, "big.tessera");
          g_printerr ("%s", problems);
          return 1;
        }
      best = MIN (best, ms);
    }
  printf ("bench: documents.check_100_ms %.2f ms (goal <= 20)\n", best);

  tess_test_dir_remove (dir);
  return 0;
}
