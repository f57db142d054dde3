/* tess-document-views.h: the views a document fragment may show, as one
 * table.
 *
 * A view is an object whose "type" names its kind. Parsing a document, the
 * column check behind --check, the dashboard that shows a fragment and the
 * SQL statement of a fragment over a database table all look view kinds up
 * here, so a new view is one entry in the table of
 * tess-document-views.c, its functions beside it, and its description in
 * docs/dashboard-format.md and docs/dashboard.schema.json
 * (tests/documents/document-tables.c checks that the schema and the table
 * agree).
 */
#pragma once

#include "tess-document-pipeline.h"

G_BEGIN_DECLS

typedef struct _TessDocView TessDocView;
typedef struct _TessDocSql TessDocSql;

/* Checks the members of @view, whose type is @kind, while the document is
 * parsed, adding a problem for each rule they break. */
typedef void (*TessDocViewValidateFunc) (TessDocument *document,
                                         const TessDocView *kind,
                                         const TessDocNode *view,
                                         const char *path);
/* TRUE when @view shows data, so its fragment needs a source. */
typedef gboolean (*TessDocViewNeedsDataFunc) (const TessDocNode *view);
/* For --check: reports each column @view names that is not in @columns. */
typedef void (*TessDocViewColumnsFunc) (TessDocColumns *columns,
                                        const TessDocView *kind,
                                        const TessDocNode *view,
                                        const char *path);
/* Emits @view for @frame (NULL for a fragment without a source) into @run.
 * @view has passed validation. Runs on a worker thread. */
typedef gboolean (*TessDocViewShowFunc) (TessRun *run,
                                         const TessDocView *kind,
                                         const TessDocNode *view,
                                         TessFrame *frame,
                                         GHashTable *values,
                                         GError **error);

/* For a fragment over a database table whose pipeline the database computes
 * whole (tess-document-sql.h): adds the aggregates @view shows to @sql
 * (tess_doc_sql_add_aggregate(), under tess_doc_sql_aggregate_key()), so
 * that only they cross the wire, and returns TRUE; FALSE when it needs the
 * rows. Its show function then receives a frame of one row, whose columns
 * are named by those keys. Runs on a worker thread. */
typedef gboolean (*TessDocViewAggregatesFunc) (TessDocSql *sql,
                                               const TessDocView *kind,
                                               const TessDocNode *view,
                                               GHashTable *values);

/* For a fragment that loads only the columns it uses: adds to @use the
 * columns @view shows, or sets use->all when it may show any (a table of the
 * whole frame). @view has passed validation. Runs on a worker thread. */
typedef void (*TessDocViewColumnsUsedFunc) (const TessDocView *kind,
                                            const TessDocNode *view,
                                            GHashTable *values,
                                            TessDocColumnUse *use);

struct _TessDocView
{
  const char *name;
  const char *const *members;           /* every member this type accepts, "type" included */
  TessDocViewValidateFunc validate;     /* the members other than "type" */
  TessDocViewNeedsDataFunc needs_data;  /* NULL: never */
  TessDocViewColumnsFunc check_columns; /* NULL: names no column */
  TessDocViewShowFunc show;
  TessDocViewAggregatesFunc aggregates;    /* NULL: a view that shows data needs the rows */
  TessDocViewColumnsUsedFunc columns_used; /* NULL: shows no column */
};

/* The table, in the order messages list the types. */
const TessDocView *tess_doc_views_get (guint *n_views);
/* The kind of view called @name, or NULL. */
const TessDocView *tess_doc_view_lookup (const char *name);
/* The names of every kind, in table order. transfer full */
char **tess_doc_view_names (void);

/* For --check: reports the columns @view (at @path) names that are not in
 * @columns, by its kind's column check. */
void tess_doc_view_check_columns (TessDocColumns *columns, const TessDocNode *view, const char *path);

G_END_DECLS
