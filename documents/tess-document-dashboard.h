/* tess-document-dashboard.h: a document compiled to a dashboard function.
 *
 * TessDocumentDashboard holds the current document of an open dashboard and
 * is the user_data of its dashboard function. The dashboard function declares
 * the document's inputs (in the sidebar, without reading them), lays out the
 * fragments and declares each one; each fragment body reads only the inputs its
 * definition names, loads its source, applies its pipeline and shows its views.
 *
 * Live reload swaps the document: fragments whose signature and inputs are
 * unchanged keep their output, changed and new ones run.
 */
#pragma once

#include "tess-document.h"
#include "tess-session.h"

G_BEGIN_DECLS

#define TESS_TYPE_DOCUMENT_DASHBOARD (tess_document_dashboard_get_type ())
G_DECLARE_FINAL_TYPE (TessDocumentDashboard, tess_document_dashboard, TESS, DOCUMENT_DASHBOARD, GObject)

/* @document must be valid (tess_document_is_valid). */
TessDocumentDashboard *tess_document_dashboard_new (TessDocument *document);

/* The dashboard function; pass the TessDocumentDashboard as user_data (the
 * session may own a reference: use g_object_unref as its destroy notify).
 * Runs on a worker thread. */
gboolean tess_document_dashboard_run (TessRun *run, gpointer user_data, GError **error);

/* transfer full */
TessDocument *tess_document_dashboard_get_document (TessDocumentDashboard *self);

/* What a fragment the dashboard declares holds: the dashboard and the name
 * of the fragment or input it runs for. Any thread. */
typedef struct
{
  TessDocumentDashboard *dashboard;
  char *name;
} TessDashboardRef;

TessDashboardRef *tess_dashboard_ref_new (TessDocumentDashboard *dashboard, const char *name);
void tess_dashboard_ref_free (gpointer ref);

/* Replaces the document of a running session. When only fragment definitions
 * changed, exactly the changed fragments rerun; when the layout, inputs or the
 * list of fragments changed, the dashboard reruns and every unchanged fragment
 * re-shows its kept result without loading or transforming again (only in
 * that run: a later Reload loads afresh). Returns the
 * ids of the fragments that will run their pipeline (transfer full).
 * @session may be NULL (nothing is started). Main thread only. */
char **tess_document_dashboard_set_document (TessDocumentDashboard *self, TessDocument *document, TessSession *session);

/* How many times fragment bodies ran their load and pipeline, and how many
 * re-showed a kept result instead; for tests and benchmarks. Thread-safe. */
guint tess_document_dashboard_get_pipeline_runs (TessDocumentDashboard *self);
guint tess_document_dashboard_get_kept_runs (TessDocumentDashboard *self);

G_END_DECLS
