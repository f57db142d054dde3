/* tess-document-open.h: opening what `tessera FILE|URL` names. */
#pragma once

#include "tess-document-dashboard.h"
#include "tess-document-watcher.h"

G_BEGIN_DECLS

typedef enum
{
  TESS_DOCUMENT_TARGET_INVALID,
  TESS_DOCUMENT_TARGET_DOCUMENT,
  TESS_DOCUMENT_TARGET_DATA,
} TessDocumentTargetKind;

/* Whether @target (a path or URL) is a dashboard document or a data file;
 * reads its start when the name does not say. Blocks. */
TessDocumentTargetKind tess_document_classify_target (const char *target, GError **error);
gboolean tess_document_text_is_document (const char *text, gsize length);
/* Reads the text of a document at a path or URL (http, https, file,
 * resource); @base_uri receives where it came from. Blocks. */
char *tess_document_read_target (const char *target, char **base_uri, GError **error);

/* Reads, parses and validates the document at @target; an invalid document
 * fails with every problem in the message, one a line. Blocks. */
TessDocumentDashboard *tess_document_open (const char *target, GError **error);

/* Opens what `tessera FILE|URL` names: a document's dashboard, or the
 * automatic dashboard of a data file. Returns the dashboard function, and
 * sets @dashboard_data to what it runs on (its user_data; transfer full), or
 * returns NULL with @error set. Blocks. */
TessFragmentFunc tess_document_open_target (const char *target, GObject **dashboard_data, GError **error);

/* The built-in default dashboard: the document shipped as a resource, on
 * the bundled vega datasets. transfer none; kept for the process. */
TessDocumentDashboard *tess_document_get_default_dashboard (void);
/* A dashboard function running it (user_data is ignored). Runs on a worker thread. */
gboolean tess_document_default_dashboard_run (TessRun *run, gpointer user_data, GError **error);

/* Live reload: a watcher when @dashboard with @user_data runs a local
 * document, NULL otherwise (transfer full). Keep it as long as the session.
 * Main thread only. */
TessDocumentWatcher *
tess_document_watch_dashboard (TessFragmentFunc dashboard, gpointer user_data, TessSession *session);

/* What the document that @dashboard runs with @user_data may reach, or NULL
 * when it runs no document (a program, an automatic dashboard of a file the
 * user named). transfer none */
TessTrust *tess_document_get_dashboard_trust (TessFragmentFunc dashboard, gpointer user_data);

G_END_DECLS
