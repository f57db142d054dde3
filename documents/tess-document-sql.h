/* tess-document-sql.h: databases in documents.
 *
 * A source whose uri is postgresql:// (tess-sql.h) is a database: a "query"
 * with its "params", or a "table". Parsing and validating such a source,
 * binding its parameters and loading it live in tess-document-database.c.
 *
 * Over a table, a fragment's pipeline is compiled to one SQL statement
 * (tess-document-sql.c): each step with an SQL form (TessDocStep.to_sql,
 * beside the step in tess-document-steps.c) wraps the statement so far in a
 * level of its own, from the first step until one that has no SQL form, or
 * none for its argument; that step and those after it run on this computer,
 * on the statement's result. When every step is in the statement and every
 * view that shows data shows only aggregates (TessDocView.aggregates, beside
 * the view in tess-document-views.c), the statement computes only those, and
 * one row crosses the wire. Input values are always bound parameters ($1,
 * $2, ...); a column an input names is looked up among the columns of the
 * statement so far (which come from the table's catalog, through
 * tess_sql_quote_column(), or from the document's own steps) and quoted.
 *
 * Rows of a table have no order of their own: a statement keeps the order a
 * "sort" (or a "group_by", which sorts by its keys) gave, as the pipeline
 * would on this computer, by carrying the sort keys to the outermost level;
 * rows equal on every key come in the server's order.
 */
#pragma once

#include "tess-document-pipeline.h"
#include "tess-sql.h"

G_BEGIN_DECLS

/* Database sources (tess-document-database.c) */

/* Whether @source reads a database. */
gboolean tess_doc_source_is_database (const TessDocSource *source);

/* Checks the uri of a database source while the document is parsed: no
 * password, no ${input}, no ?table= or ?query= (they are members). */
void tess_document_check_database_uri (TessDocument *self, const TessDocNode *uri_node, const char *path);
/* Parses the members of a database source (query, params, table, password,
 * row_limit, statement_timeout) into @source, and reports those of other
 * sources (format, headers, options). @node is the source's object, or its
 * uri string (which is then missing a table or query). */
void tess_document_parse_database_source (TessDocument *self,
                                          TessDocSource *source,
                                          const TessDocNode *node,
                                          const char *path);
/* Reports the members only database sources have in @node, the object of a
 * source that is not one. */
void tess_document_check_not_database (TessDocument *self, const TessDocNode *node, const char *path);
/* Adds to @used the inputs the source's parameters read. */
void tess_document_collect_database_inputs (TessDocument *self, TessDocSource *source, GHashTable *used);

/* The source's uri, its ${env:NAME} read. transfer full */
char *tess_doc_source_dup_database_uri (TessDocument *document, TessDocSource *source);
/* The options every query of @source runs with; the strings in it belong
 * to @source and @document. */
void tess_doc_source_get_sql_options (TessDocument *document, TessDocSource *source, TessSqlOptions *options);
/* The values of a query source's "params" as a tuple of bound parameters:
 * an input's value bound as its kind says (a multiselect as one array, a
 * date as a date, a range slider as two parameters), a literal as written.
 * @values may lack inputs (they then have their default). transfer floating */
GVariant *tess_doc_source_bind_params (TessDocument *document, TessDocSource *source, GHashTable *values);

/* A number as a parameter: int8 when it is whole (a LIMIT or an int column
 * takes it), float8 otherwise. transfer floating */
GVariant *tess_doc_sql_number (double number);

/* Loads @source for @fragment (NULL: the source as it is). For a table,
 * the steps of @fragment's pipeline that the database can compute are in
 * the statement; *@n_steps_done (when not NULL) receives how many, and the
 * rest is the caller's to apply. @run (may be NULL, then @cancellable)
 * blocks only its fragment; its slot shows the rows arriving. Runs on a
 * worker thread. */
TessFrame *tess_document_load_database (TessDocument *document,
                                        TessDocSource *source,
                                        TessDocFragment *fragment,
                                        TessRun *run,
                                        GCancellable *cancellable,
                                        GHashTable *values,
                                        guint *n_steps_done,
                                        GError **error);

/* For --check: the columns of a database source, from the live catalog (a
 * table) or the query's result shape, or NULL with a problem added to the
 * document: an error for a table or query the server rejects, a warning
 * saying the source was not checked when the server cannot be reached.
 * Blocks. */
char **tess_document_check_database_source (TessDocument *document, TessDocSource *source);
/* For --check: a warning at the first step of @fragment's pipeline that runs
 * on this computer rather than in the database, saying why. @reachable
 * says whether the server answered (otherwise only the steps that never
 * have an SQL form are known). Blocks. */
void tess_document_check_pushdown (TessDocument *document, TessDocFragment *fragment, gboolean reachable);

/* The statement builder (tess-document-sql.c) */

typedef struct _TessDocSql TessDocSql;

/* A column of the statement so far. */
typedef struct
{
  char *name;   /* as the result's frame names it */
  char *quoted; /* as the statement so far names it, quoted */
  TessColumnType type;
  char *server_type; /* the SQL type when known ("date", "timestamp with time zone"...), or NULL */
} TessDocSqlColumn;

/* A statement over the table of @source (a table source), its columns and
 * types read from the server's catalog. @values are the inputs' values (NULL:
 * their defaults). Runs on a worker thread. */
TessDocSql *tess_doc_sql_new (
    TessDocument *document, TessDocSource *source, GHashTable *values, GCancellable *cancellable, GError **error);
void tess_doc_sql_free (TessDocSql *sql);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessDocSql, tess_doc_sql_free)

/* Adds the steps of @fragment's pipeline to the statement, from the first
 * until one that cannot be added; returns how many were, or -1 with @error
 * for an error a run would report (an unknown column). */
int tess_doc_sql_add_pipeline (TessDocSql *sql, TessDocFragment *fragment, GError **error);
/* Why the step tess_doc_sql_add_pipeline() stopped at runs on this computer. */
const char *tess_doc_sql_get_local_reason (TessDocSql *sql);
/* Makes the statement compute what the views of @fragment show, when every
 * view that shows data shows aggregates; FALSE (and nothing changed) when one
 * needs the rows. */
gboolean tess_doc_sql_aggregate_views (TessDocSql *sql, TessDocFragment *fragment);
/* The statement and its parameters (a tuple). transfer full, floating */
char *tess_doc_sql_dup_statement (TessDocSql *sql);
GVariant *tess_doc_sql_get_params (TessDocSql *sql);
/* Gives the columns of the result of an aggregates statement the names
 * tess_doc_sql_aggregate_key() makes. transfer full */
TessFrame *tess_doc_sql_name_aggregates (TessDocSql *sql, TessFrame *frame, GError **error);

/* What the steps' and views' SQL forms use */

/* The input values the statement is built with. transfer none */
GHashTable *tess_doc_sql_get_values (TessDocSql *sql);
TessDocument *tess_doc_sql_get_document (TessDocSql *sql);
guint tess_doc_sql_get_n_columns (TessDocSql *sql);
const TessDocSqlColumn *tess_doc_sql_get_column (TessDocSql *sql, guint index);
/* The column @name of the statement so far, or NULL with the error a run on
 * this computer gives ("@step: unknown column ..."). */
const TessDocSqlColumn *tess_doc_sql_lookup (TessDocSql *sql, const char *name, const char *step, GError **error);
/* @name as an SQL identifier, quoted as PQescapeIdentifier() quotes it in
 * UTF-8: for names the document makes. transfer full */
char *tess_doc_sql_quote (const char *name);
/* Binds @value (floating references are sunk) and returns its placeholder,
 * "$3". transfer full */
char *tess_doc_sql_bind (TessDocSql *sql, GVariant *value);
/* Binds @node (an input reference or a literal) as a value compared with
 * @column: a number as int8 or float8 against numbers, anything as text
 * against text, and otherwise as text whose type the server infers from the
 * column. transfer full */
char *tess_doc_sql_bind_for_column (TessDocSql *sql, const TessDocSqlColumn *column, const TessDocNode *node);
/* @expression, an operand of @column's type, compared or ordered as on this
 * computer: text byte by byte (COLLATE "C"). transfer full */
char *tess_doc_sql_collated (const char *expression, const TessDocSqlColumn *column);

/* The FROM item the next level reads (the table, or the statement so far as
 * a subquery), named *@alias. transfer none */
const char *tess_doc_sql_get_from (TessDocSql *sql, const char **alias);
/* @column as the next level reads it from @alias: s2."name". transfer full */
char *tess_doc_sql_ref (const char *alias, const TessDocSqlColumn *column);
/* Every column so far, as the next level reads them from @alias. transfer full */
char *tess_doc_sql_select_all (TessDocSql *sql, const char *alias);
/* Wraps the statement so far in a level: "SELECT @select FROM @from @rest",
 * @from NULL reading the statement so far. @columns (taken; NULL: the same)
 * are the level's, in the order of @select, each named "AS" its quoted name
 * there. */
void
tess_doc_sql_add_level (TessDocSql *sql, const char *select, const char *from, const char *rest, GPtrArray *columns);
TessDocSqlColumn *tess_doc_sql_column_new (const char *name, TessColumnType type, const char *server_type);
TessDocSqlColumn *tess_doc_sql_column_copy (const TessDocSqlColumn *column);
void tess_doc_sql_column_free (gpointer column);
/* A copy of the columns so far, to change for the next level. transfer full */
GPtrArray *tess_doc_sql_copy_columns (TessDocSql *sql);

/* Order: the sort keys the rows follow, by the names of the columns so far. */
typedef struct
{
  char *column;
  gboolean descending;
} TessDocSqlSortKey;

/* Makes @keys (column names) the first sort keys, ahead of those the rows
 * followed before: a stable sort. */
void tess_doc_sql_sort (TessDocSql *sql, const TessDocSqlSortKey *keys, guint n_keys);
/* Forgets the order; the next level sorts by @keys (may be 0). */
void tess_doc_sql_set_order (TessDocSql *sql, const TessDocSqlSortKey *keys, guint n_keys);
/* Whether the rows follow an order that uses column @name. */
gboolean tess_doc_sql_order_uses (TessDocSql *sql, const char *name);
/* Renames a sort key. */
void tess_doc_sql_rename_order (TessDocSql *sql, const char *from, const char *to);
/* " ORDER BY ..." for the order, its columns qualified by @alias, or "".
 * transfer full */
char *tess_doc_sql_order_clause (TessDocSql *sql, const char *alias);
/* The level just added puts its rows in an order no later level can name
 * (a select that drops a sort key): no step may be added after it. */
void tess_doc_sql_seal (TessDocSql *sql);
/* Says why the step being added runs on this computer instead (printf). */
void tess_doc_sql_set_local_reason (TessDocSql *sql, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Another table source of the same database as the statement's, for a
 * join: its quoted name and columns, or NULL (with @error for a server
 * error; without one when @source is not such a table). */
GPtrArray *tess_doc_sql_describe_other (TessDocSql *sql, TessDocSource *source, char **quoted_table, GError **error);

/* Aggregates for views */

/* The name of the column of an aggregates result holding @op of @column
 * (NULL: the rows), as tess_doc_sql_name_aggregates() names it. transfer full */
char *tess_doc_sql_aggregate_key (const char *op, const char *column);
/* Adds the aggregate @expression (over the columns so far) under @key;
 * the same key twice is computed once. */
void tess_doc_sql_add_aggregate (TessDocSql *sql, const char *key, const char *expression);

G_END_DECLS
