/* tess-check.c: `tessera --check FILE`: a document's problems, one a line.
 *
 * The documents layer finds the problems (the document's own rules when it
 * parses, the columns its pipelines name when the data can be read); this
 * prints them in the FILE:LINE:COL form editors understand.
 */
#include "tess-app-private.h"
#include "tess-document.h"
#include "tess-document-open.h"

#include <stdio.h>

int
tess_app_check (TessAppOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessDocument) document = NULL;
  g_autofree char *base_uri = NULL;
  g_autofree char *text = NULL;
  g_autofree char *report = NULL;

  g_return_val_if_fail (options != NULL, 2);

  if (options->target == NULL)
    {
      g_printerr ("--check needs a document: tessera --check FILE\n");
      return 2;
    }
  text = tess_document_read_target (options->target, &base_uri, &error);
  if (text == NULL)
    {
      g_print ("%s: %s\n", options->target, error->message);
      return 1;
    }
  document = tess_document_new_from_text (text, -1, base_uri);
  tess_document_check_columns (document);
  report = tess_document_format_problems (document, options->target);
  fputs (report, stdout);
  fflush (stdout);
  return tess_document_is_valid (document) ? 0 : 1;
}
