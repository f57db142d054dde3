/* tess-document-steps-private.h: what the steps' two files share: the SQL
 * forms of tess-document-steps-sql.c, which the table in
 * tess-document-steps.c names, and the helpers both use.
 */
#pragma once

#include "tess-document-steps.h"

G_BEGIN_DECLS

/* The column names of a name, an array of names or a multiselect input.
 * transfer full */
char **tess_doc_step_node_to_names (const TessDocNode *node, GHashTable *values);
/* The units of "bucket", NULL-terminated. */
extern const char *const tess_doc_step_bucket_units[];

/* The to_sql members of the steps table (see TessDocStepSqlFunc). */
gboolean filter_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error);
gboolean select_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error);
gboolean rename_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error);
gboolean sort_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error);
gboolean head_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error);
gboolean group_by_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error);
gboolean bucket_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error);
gboolean derive_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error);
gboolean join_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error);

G_END_DECLS
