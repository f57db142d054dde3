/* tess-document-watcher.h: live reload of an open document.
 *
 * Watches the local file a TessDocumentDashboard was read from. When it
 * changes on disk the watcher reads it again: a document that is valid
 * replaces the running one (only changed and new fragments run; see
 * tess_document_dashboard_set_document), one that is not leaves the last good
 * dashboard in place and sets "problems" to the text a banner shows.
 *
 * Signals (main thread):
 *   reloaded (GStrv fragments)  the new document is running; the ids of the
 *                               fragments that run again
 *   failed ()                   the new text has errors; see "problems"
 */
#pragma once

#include "tess-document-dashboard.h"
#include "tess-session.h"

G_BEGIN_DECLS

#define TESS_TYPE_DOCUMENT_WATCHER (tess_document_watcher_get_type ())
G_DECLARE_FINAL_TYPE (TessDocumentWatcher, tess_document_watcher, TESS, DOCUMENT_WATCHER, GObject)

/* Starts watching @file for @dashboard running in @session. Main thread only. */
TessDocumentWatcher *tess_document_watcher_new (GFile *file, TessDocumentDashboard *dashboard, TessSession *session);

/* Reads the file now instead of waiting for a change. Main thread only. */
void tess_document_watcher_reload (TessDocumentWatcher *self);

/* The problems of the last text read, one a line, or NULL when it was good. */
const char *tess_document_watcher_get_problems (TessDocumentWatcher *self);
GFile *tess_document_watcher_get_file (TessDocumentWatcher *self);

/* Delay between the last change seen and the reload, so an editor's several
 * writes make one reload (default 150 ms). */
void tess_document_watcher_set_delay_ms (TessDocumentWatcher *self, guint ms);

G_END_DECLS
