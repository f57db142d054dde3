/* tess-document-pipeline.h: what a document fragment does with its data:
 * substituting input values, loading its source, and applying its pipeline.
 *
 * @values maps input names to their current values (GVariant*), as the
 * fragment read them. Everything here runs on the fragment's worker thread,
 * except the column check, which runs wherever --check does.
 */
#pragma once

#include "tess-document-private.h"
#include "tess-frame.h"
#include "tess-run.h"

G_BEGIN_DECLS

/* Replaces ${name} with the input's value ("$$" with "$"). transfer full */
char *tess_document_substitute (const char *text, GHashTable *values);
/* The text of a node: "$name" is the input's value, strings are substituted,
 * numbers and booleans are written out. transfer full */
char *tess_document_node_to_text (const TessDocNode *node, GHashTable *values);
gboolean tess_document_node_to_number (const TessDocNode *node, GHashTable *values, double *out);
gboolean tess_document_node_to_boolean (const TessDocNode *node, GHashTable *values);
gboolean tess_document_parse_duration (const char *text, double *seconds);
/* The value of the input @node refers to ("$name"), or NULL. transfer none */
GVariant *tess_document_lookup_reference (const TessDocNode *node, GHashTable *values);
/* How an input value reads in text: numbers as written, lists joined with ", ". */
char *tess_document_format_value (GVariant *value);

/* Loads @source (URI substituted and resolved against the document) for @run:
 * cancellable with the run, progress shown in its slot. A database source
 * is its query's result, or its whole table (tess-document-sql.h). Runs on a
 * worker thread. */
TessFrame *tess_document_load_source (
    TessDocument *document, TessDocSource *source, TessRun *run, GHashTable *values, GError **error);
/* The columns a fragment uses at one point of its pipeline, followed from its
 * views back to its source (see TessDocStep, TessDocView). */
typedef struct
{
  GHashTable *names; /* owned strings */
  gboolean all;      /* any column may be used, whatever @names holds */
} TessDocColumnUse;

/* The columns @fragment uses, as its views show them and its pipeline
 * needs them, with the inputs @values; NULL when it may use any column (a
 * table of the whole frame, a join). Sorted. transfer full */
char **tess_document_fragment_columns (TessDocFragment *fragment, GHashTable *values);
/* Loads the source of @fragment, a file or a URL, as tess_document_load_source()
 * does, reading only the columns the fragment uses. Runs on a worker thread. */
TessFrame *tess_document_load_fragment_source (
    TessDocument *document, TessDocFragment *fragment, TessRun *run, GHashTable *values, GError **error);
/* The same without a run (for --check and tools). Blocks. */
TessFrame *tess_document_load_source_sync (TessDocument *document,
                                           TessDocSource *source,
                                           GCancellable *cancellable,
                                           GError **error);

/* Applies the fragment's pipeline to @frame. @run may be NULL (joins then load
 * without one). Runs on a worker thread. */
TessFrame *tess_document_apply_pipeline (TessDocument *document,
                                         TessDocFragment *fragment,
                                         TessFrame *frame,
                                         TessRun *run,
                                         GHashTable *values,
                                         GError **error);

/* The same from step @first_step on: the steps before it are done (by a
 * database, say). Runs on a worker thread. */
TessFrame *tess_document_apply_pipeline_from (TessDocument *document,
                                              TessDocFragment *fragment,
                                              guint first_step,
                                              TessFrame *frame,
                                              TessRun *run,
                                              GHashTable *values,
                                              GError **error);

/* Follows the fragment's pipeline over column names only, starting from
 * @columns (the source's), adding a problem to @document for every column a
 * step or view names that does not exist at that point. @join_columns looks up
 * the columns of another source (NULL when unknown). */
typedef char **(*TessDocumentColumnsFunc) (TessDocSource *source, gpointer user_data);
void tess_document_check_fragment_columns (TessDocument *document,
                                           TessDocFragment *fragment,
                                           const char *const *columns,
                                           TessDocumentColumnsFunc join_columns,
                                           gpointer user_data);

/* The columns the column check knows at one point of a fragment's pipeline,
 * which each step changes and each view reads (see TessDocStep, TessDocView). */
typedef struct
{
  TessDocument *document; /* where problems go */
  GPtrArray *names;       /* char*, owned: the columns, in order */
  TessDocumentColumnsFunc join_columns;
  gpointer user_data;
} TessDocColumns;

gboolean tess_doc_columns_has (TessDocColumns *columns, const char *name);
/* Appends @name unless it is there already. */
void tess_doc_columns_add (TessDocColumns *columns, const char *name);
/* Adds an "unknown column" problem for @name at @node, with the nearest known
 * column as a suggestion. */
void
tess_doc_columns_report_unknown (TessDocColumns *columns, const TessDocNode *node, const char *path, const char *name);
/* Checks the column a string @node names. A column chosen by an input with
 * fixed options must exist for every option; other references (and nodes that
 * are not strings) are only known when the fragment runs, and pass. */
void tess_doc_columns_check (TessDocColumns *columns, const TessDocNode *node, const char *path);
/* The same for a column name or an array of them; @node may be NULL. */
void tess_doc_columns_check_list (TessDocColumns *columns, const TessDocNode *node, const char *path);

G_END_DECLS
