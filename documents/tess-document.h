/* tess-document.h: TessDocument, a dashboard written as a JSON document.
 *
 * A document declares inputs, sources and fragments (see docs/dashboard-format.md).
 * Parsing never fails outright: a document that does not parse, or that breaks a
 * rule of the format, carries a list of problems, each with the line and column
 * it was found at (or, where nothing in the text can be pointed at, the JSON path
 * of what is missing). A document with no errors compiles to a dashboard
 * function whose fragments run in parallel and read only the inputs they name.
 *
 * A document is immutable once parsed and may be shared between threads.
 */
#pragma once

#include <gio/gio.h>

#include "tess-trust.h"

#include "tess-run.h"

G_BEGIN_DECLS

#define TESS_TYPE_DOCUMENT (tess_document_get_type ())
G_DECLARE_FINAL_TYPE (TessDocument, tess_document, TESS, DOCUMENT, GObject)

typedef struct
{
  char *path; /* JSON path, "$.fragments[2].views[0].y" */
  guint line; /* 1-based; 0 when only the path is known */
  guint col;
  char *message;
  gboolean warning;
  guint sort_line; /* where the problem sorts: its position, or its parent's */
  guint sort_col;
} TessDocumentProblem;

/* Parses and validates @text. @base_uri (a URI or NULL) is where the document
 * came from: relative source paths resolve against it. Never returns NULL. */
TessDocument *tess_document_new_from_text (const char *text, gssize length, const char *base_uri);
/* Reads a local document; a read failure sets @error (problems inside the
 * text do not). Blocks. */
TessDocument *tess_document_new_from_file (GFile *file, GError **error);

/* TRUE when no problem is an error (warnings allowed). */
gboolean tess_document_is_valid (TessDocument *self);
/* transfer none; array of TessDocumentProblem*, in order of position */
GPtrArray *tess_document_get_problems (TessDocument *self);
guint tess_document_get_n_errors (TessDocument *self);
/* Loads every local source (file paths, file://, resource://) and asks every
 * database for its catalog (a table's columns, a query's shape), and checks
 * the columns that pipelines and views name, adding a problem for each
 * unknown one, and a warning for each step over a database table that runs
 * on this computer, or database that cannot be reached. Remote files are not
 * fetched. Blocks; call it off the main thread for large files. */
void tess_document_check_columns (TessDocument *self);
/* Every problem, one a line, as "NAME:LINE:COL: message" or, where only a
 * path is known, "NAME: $.path: message". */
char *tess_document_format_problems (TessDocument *self, const char *display_name);

const char *tess_document_get_title (TessDocument *self);
const char *tess_document_get_base_uri (TessDocument *self);
/* What the document's sources may reach: anything for a document read from
 * this computer; for one from the network, its own origin and the hosts the
 * user allows (tess_trust_allow_host()). transfer none */
TessTrust *tess_document_get_trust (TessDocument *self);
guint tess_document_get_n_fragments (TessDocument *self);
const char *tess_document_get_fragment_id (TessDocument *self, guint index);
/* The inputs a fragment reads (directly or through its sources), sorted. transfer none */
const char *const *tess_document_get_fragment_inputs (TessDocument *self, const char *fragment_id);
/* The ids of the fragments that rerun when @input changes, in document order. transfer full */
char **tess_document_get_dependents (TessDocument *self, const char *input);
/* A digest of everything that decides a fragment's output except input
 * values: its definition and the definitions of the sources it loads. Equal
 * signatures and equal input values mean equal output. */
const char *tess_document_get_fragment_signature (TessDocument *self, const char *fragment_id);
/* A digest of what the dashboard function itself lays out: title, inputs,
 * layout and the order, ids and options of fragments. */
const char *tess_document_get_structure_signature (TessDocument *self);

/* The nearest of @candidates to @word by edit distance, or NULL when none is
 * near enough to be a likely typo. */
const char *tess_document_suggest (const char *word, const char *const *candidates);

G_END_DECLS
