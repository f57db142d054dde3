/* tess-open.c: what `tessera FILE|URL` names becomes the dashboard to run.
 *
 * The documents layer tells documents from data files and opens them; this
 * puts the result into the command line's options, keeps it for the process,
 * and watches a local document for live reload.
 */
#include "tess-app-private.h"
#include "tess-document-open.h"

/* What was opened lives as long as the process: a window may still be
 * closing the session that uses it when the next file opens, and the command
 * line passes it on without a destroy notify. Held here, it stays reachable. */
static GPtrArray *opened;

static gpointer
keep_opened (gpointer object)
{
  static GMutex lock;

  g_mutex_lock (&lock);
  if (opened == NULL)
    opened = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (opened, object);
  g_mutex_unlock (&lock);
  return object;
}

gboolean
tess_app_open_target (TessAppOptions *options, GError **error)
{
  GObject *opened_data = NULL;
  TessFragmentFunc dashboard;

  g_return_val_if_fail (options != NULL && options->target != NULL, FALSE);

  dashboard = tess_document_open_target (options->target, &opened_data, error);
  if (dashboard == NULL)
    return FALSE;
  options->dashboard = dashboard;
  options->user_data = keep_opened (opened_data);
  return TRUE;
}
