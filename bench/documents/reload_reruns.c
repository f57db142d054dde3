/* reload_reruns.c: how many fragments run again when one fragment of a
 * 20-fragment document is edited and the document reloads (must be 1). */
#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "tess-test-dir.h"

#include <stdio.h>
#include <string.h>

static void
on_idle (TessSession *session, GMainLoop *loop)
{
  g_main_loop_quit (loop);
}

static char *
make_document (const char *edited_title)
{
  GString *doc =
      g_string_new ("{\"tessera\": 1, \"title\": \"Twenty\",\n"
                    " \"inputs\": {\"n\": {\"kind\": \"slider\", \"min\": 1, \"max\": 50, \"default\": 5}},\n"
                    " \"sources\": {\"s\": \"data.csv\"},\n \"fragments\": [\n");

  for (int i = 0; i < 20; i++)
    g_string_append_printf (
        doc,
        "  {\"id\": \"f%d\", \"title\": \"%s\", \"source\": \"s\",\n"
        "   \"pipeline\": [{\"sort\": {\"column\": \"v\", \"descending\": true}}, {\"head\": \"$n\"}],\n"
        "   \"views\": [{\"type\": \"bar\", \"x\": \"k\", \"y\": \"v\"}]}%s\n",
        i, i == 7 && edited_title ? edited_title : "Fragment", i < 19 ? "," : "");
  g_string_append (doc, " ]}\n");
  return g_string_free (doc, FALSE);
}

static TessDocument *
parse (const char *text, const char *uri)
{
  TessDocument *doc = tess_document_new_from_text (text, -1, uri);

  if (!tess_document_is_valid (doc))
    {
      g_autofree char *problems = tess_document_format_problems (doc, "bench.tessera");
      g_error ("%s", problems);
    }
  return doc;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-bench-XXXXXX");
  g_autofree char *csv = g_build_filename (dir, "data.csv", NULL);
  g_autofree char *doc_path = g_build_filename (dir, "twenty.tessera", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (doc_path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *before_text = make_document (NULL);
  g_autofree char *after_text = make_document ("Fragment seven, edited");
  g_autoptr (GString) rows = g_string_new ("k,v\n");
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (TessDocument) before = NULL;
  g_autoptr (TessDocument) after = NULL;
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TessSession) session = NULL;
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) second = NULL;
  g_auto (GStrv) changed = NULL;
  guint reruns;

  for (int i = 0; i < 1000; i++)
    g_string_append_printf (rows, "k%d,%d\n", i, (i * 7919) % 1000);
  g_file_set_contents (csv, rows->str, rows->len, NULL);

  before = parse (before_text, uri);
  after = parse (after_text, uri);
  dashboard = tess_document_dashboard_new (before);
  session = tess_session_new (tess_document_dashboard_run, dashboard, NULL);
  tess_session_set_run_every_enabled (session, FALSE);
  g_signal_connect (session, "idle", G_CALLBACK (on_idle), loop);
  tess_session_start (session);
  g_main_loop_run (loop);
  first = tess_session_get_timeline (session);

  /* The edit: one fragment's title. */
  changed = tess_document_dashboard_set_document (dashboard, after, session);
  g_main_loop_run (loop);
  second = tess_session_get_timeline (session);
  reruns = second->len - first->len;

  printf ("bench: documents.reload_reruns %u fragments (must be 1)\n", reruns);
  tess_session_close (session);
  tess_test_dir_remove (dir);
  return reruns == 1 && g_strv_length (changed) == 1 ? 0 : 1;
}
