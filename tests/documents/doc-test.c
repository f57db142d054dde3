/* doc-test.c: see doc-test.h. */
#include "doc-test.h"

TessDocument *
doc_test_load (const char *dir, const char *name, const char *text, gboolean check)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  TessDocument *doc = tess_document_new_from_text (text, -1, uri);

  if (check)
    {
      g_autofree char *problems = tess_document_format_problems (doc, name);
      g_assert_cmpstr (problems, ==, "");
    }
  return doc;
}
