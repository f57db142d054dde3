/* tess-document-banner.h: the banner that shows a reloaded document's errors.
 *
 * Revealed while the document on disk has problems (the last good dashboard
 * stays below it); hidden again once a good version loads. Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-document-watcher.h"

G_BEGIN_DECLS

#define TESS_TYPE_DOCUMENT_BANNER (tess_document_banner_get_type ())
G_DECLARE_FINAL_TYPE (TessDocumentBanner, tess_document_banner, TESS, DOCUMENT_BANNER, GtkWidget)

GtkWidget *tess_document_banner_new (void);
/* Follows @watcher's "problems"; NULL stops following. */
void tess_document_banner_set_watcher (TessDocumentBanner *self, TessDocumentWatcher *watcher);
/* Shows @problems (one a line), or hides the banner for NULL. */
void tess_document_banner_set_problems (TessDocumentBanner *self, const char *problems);
gboolean tess_document_banner_get_revealed (TessDocumentBanner *self);
const char *tess_document_banner_get_text (TessDocumentBanner *self);

G_END_DECLS
