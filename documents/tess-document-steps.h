/* tess-document-steps.h: the pipeline steps a document fragment may use, as
 * one table.
 *
 * A step is written {"name": argument}. Parsing a document, the column check
 * behind --check, running a pipeline and compiling it to SQL for a database
 * table all look steps up here, so a new step is one
 * entry in the table of tess-document-steps.c, its functions beside it, and
 * its description in docs/dashboard-format.md and docs/dashboard.schema.json
 * (tests/documents/document-tables.c checks that the schema and the table
 * agree).
 */
#pragma once

#include "tess-document-pipeline.h"

G_BEGIN_DECLS

typedef struct _TessDocStep TessDocStep;
typedef struct _TessDocSql TessDocSql;

/* What a step runs with. */
typedef struct
{
  TessDocument *document;
  TessRun *run;       /* NULL outside a dashboard: joins then load without one */
  GHashTable *values; /* input name -> GVariant*, as the fragment read them */
} TessDocStepContext;

/* Checks @arg, the step's argument at @path, while the document is parsed,
 * adding a problem for each rule it breaks. */
typedef void (*TessDocStepValidateFunc) (TessDocument *document,
                                         const TessDocStep *step,
                                         const TessDocNode *arg,
                                         const char *path);
/* Applies the step to @frame: a new frame, or NULL with @error set. @arg has
 * passed validation. Runs on a worker thread. */
typedef TessFrame *(*TessDocStepApplyFunc) (const TessDocStepContext *context,
                                            const TessDocStep *step,
                                            TessFrame *frame,
                                            const TessDocNode *arg,
                                            GError **error);
/* For --check: reports each column @arg names that is not in @columns, then
 * makes @columns the columns after the step. Returns FALSE when they cannot be
 * known before running (the check of the fragment stops there). @arg may
 * break the format: the document's problems do not stop the check. */
typedef gboolean (*TessDocStepColumnsFunc) (TessDocColumns *columns,
                                            const TessDocStep *step,
                                            const TessDocNode *arg,
                                            const char *path);

/* For a fragment over a database table (tess-document-sql.h): adds the step
 * to @sql's statement and returns TRUE. Returns FALSE, having changed nothing
 * but bound values (which the caller drops), when the database cannot
 * compute the step as this computer would with this argument, saying why
 * with tess_doc_sql_set_local_reason(): the step and those after it then run
 * on the statement's result. FALSE with @error is an error the run on this
 * computer would report too (an unknown column), found without reading the
 * rows. @arg has passed validation. Runs on a worker thread. */
typedef gboolean (*TessDocStepSqlFunc) (TessDocSql *sql,
                                        const TessDocStep *step,
                                        const TessDocNode *arg,
                                        GError **error);

/* For a fragment that loads only the columns it uses: turns @use from the
 * columns used after the step into those used before it: every column the
 * step names, whether or not a later step uses it (a name the data lacks
 * then fails as it always has), and the used ones it passes through. A step
 * that makes all the columns after it (select, group_by) uses its own only,
 * whatever came after. @arg has passed validation; @values are the inputs
 * as the fragment read them. Runs on a worker thread. */
typedef void (*TessDocStepColumnsBeforeFunc) (const TessDocStep *step,
                                              const TessDocNode *arg,
                                              GHashTable *values,
                                              TessDocColumnUse *use);

struct _TessDocStep
{
  const char *name;
  /* The members an object argument accepts; NULL when the argument is not an
   * object with fixed members (a column list, a row count, renames). */
  const char *const *members;
  TessDocStepValidateFunc validate;
  TessDocStepApplyFunc apply;
  TessDocStepColumnsFunc columns_after;        /* NULL: names no column, keeps them all */
  TessDocStepSqlFunc to_sql;                   /* NULL: always runs on this computer */
  TessDocStepColumnsBeforeFunc columns_before; /* NULL: may use any column */
};

/* The table, in the order messages list the steps. */
const TessDocStep *tess_doc_steps_get (guint *n_steps);
/* The step called @name, or NULL. */
const TessDocStep *tess_doc_step_lookup (const char *name);
/* The names of every step, in table order. transfer full */
char **tess_doc_step_names (void);
/* A filter step (@filter_arg) and the group_by step after it (@group_by_arg)
 * in one go: the group-by reads the rows the filter keeps without a filtered
 * copy of the frame. The same frame as applying the two in turn; on failure
 * *@failed_step is 0 when the filter's error, 1 when the group_by's. Runs on
 * a worker thread. */
TessFrame *tess_doc_step_apply_filter_group_by (const TessDocStepContext *context,
                                                TessFrame *frame,
                                                const TessDocNode *filter_arg,
                                                const TessDocNode *group_by_arg,
                                                guint *failed_step,
                                                GError **error);

G_END_DECLS
