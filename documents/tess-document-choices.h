/* tess-document-choices.h: running the inputs whose options come from data
 * (tess-document-choices.c), for the document's dashboard. */
#pragma once

#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "tess-run.h"

G_BEGIN_DECLS

/* Declares the fragment "$name" that loads @input's options and declares the
 * input with them; sequential, so the input exists once this returns. Runs on
 * the dashboard's run. */
void tess_document_declare_choices (TessRun *run, TessDocumentDashboard *dashboard, TessDocInput *input);

/* @value (transfer full) of the input @name fitted to its options from data,
 * read for @run; @value itself for an input with fixed options. transfer
 * full. Runs on a worker thread. */
GVariant *tess_document_fit_choice (TessRun *run, TessDocument *document, const char *name, GVariant *value);

G_END_DECLS
