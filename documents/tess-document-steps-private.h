/* tess-document-steps-private.h: what the steps' files share: the SQL
 * forms of tess-document-steps-sql.c and the columns each step uses
 * (tess-document-steps-columns.c), which the table in tess-document-steps.c
 * names, and the helpers they use.
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

/* The columns_before members of the steps table (see
 * TessDocStepColumnsBeforeFunc), in tess-document-steps-columns.c. */
void filter_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use);
void select_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use);
void rename_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use);
void sort_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use);
void rows_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use);
void
group_by_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use);
void
column_to_column_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use);
void derive_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use);

G_END_DECLS
