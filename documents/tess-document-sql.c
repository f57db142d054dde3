/* tess-document-sql.c: a fragment's pipeline over a database table as one
 * SQL statement (tess-document-sql.h).
 *
 * The builder holds the statement so far (NULL while it is the bare table),
 * its columns, its bound values and the sort keys its rows follow. Each
 * step's SQL form (tess-document-steps.c) adds a level that reads the
 * statement so far as a subquery; PostgreSQL flattens such levels when it
 * plans, so they cost nothing. The statement sent is the last level with
 * the order appended, or the views' aggregates over it.
 *
 * Everything here runs on the fragment's worker thread (or --check's).
 */
#include "tess-document-sql.h"
#include "tess-document-steps.h"
#include "tess-document-views.h"

#include "tess-transform.h"

#include <stdarg.h>
#include <string.h>

struct _TessDocSql
{
  TessDocument *document;
  TessDocSource *source; /* owned by the document */
  GHashTable *values;    /* input name -> GVariant* */
  GCancellable *cancellable;
  char *uri;
  TessSqlOptions options; /* its strings belong to the document */

  char *table;     /* "schema"."name" */
  char *statement; /* the last level, or NULL for the bare table */
  char *from;      /* what the next level reads, with its alias */
  char alias[16];
  guint n_levels;
  GPtrArray *columns; /* TessDocSqlColumn* */
  GPtrArray *params;  /* GVariant* */
  GArray *order;      /* TessDocSqlSortKey */
  gboolean sealed;
  char *local_reason;

  gboolean aggregating;
  GPtrArray *aggregate_keys;        /* char* */
  GPtrArray *aggregate_expressions; /* char* */
};

/* Columns */

TessDocSqlColumn *
tess_doc_sql_column_new (const char *name, TessColumnType type, const char *server_type)
{
  TessDocSqlColumn *column = g_new0 (TessDocSqlColumn, 1);

  column->name = g_strdup (name);
  column->quoted = tess_doc_sql_quote (name);
  column->type = type;
  column->server_type = g_strdup (server_type);
  return column;
}

TessDocSqlColumn *
tess_doc_sql_column_copy (const TessDocSqlColumn *column)
{
  TessDocSqlColumn *copy = g_new0 (TessDocSqlColumn, 1);

  copy->name = g_strdup (column->name);
  copy->quoted = g_strdup (column->quoted);
  copy->type = column->type;
  copy->server_type = g_strdup (column->server_type);
  return copy;
}

void
tess_doc_sql_column_free (gpointer data)
{
  TessDocSqlColumn *column = data;

  g_free (column->name);
  g_free (column->quoted);
  g_free (column->server_type);
  g_free (column);
}

GPtrArray *
tess_doc_sql_copy_columns (TessDocSql *sql)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func (tess_doc_sql_column_free);

  for (guint i = 0; i < sql->columns->len; i++)
    g_ptr_array_add (copy, tess_doc_sql_column_copy (g_ptr_array_index (sql->columns, i)));
  return copy;
}

char *
tess_doc_sql_quote (const char *name)
{
  GString *out = g_string_new ("\"");

  for (const char *p = name; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* The table */

static void
sort_key_clear (gpointer data)
{
  g_free (((TessDocSqlSortKey *) data)->column);
}

/* The columns of @table: from a query of no rows (names and frame types),
 * the catalog (SQL types) and tess_sql_quote_column() (quoted names). */
static GPtrArray *
describe_table (const char *uri,
                const char *table,
                const TessSqlOptions *options,
                GCancellable *cancellable,
                char **quoted_table,
                GError **error)
{
  static const char *const catalog_sql =
      "SELECT a.attname, pg_catalog.format_type (a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a "
      "WHERE a.attrelid = pg_catalog.to_regclass ($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func (tess_doc_sql_column_free);
  g_autoptr (TessFrame) shape = NULL;
  g_autoptr (TessFrame) catalog = NULL;
  g_autofree char *quoted = NULL;
  gboolean matches;

  quoted = tess_sql_quote_table (uri, table, options, cancellable, error);
  if (quoted == NULL)
    return NULL;
  shape = tess_sql_describe_table (uri, table, options, cancellable, error);
  if (shape == NULL)
    return NULL;
  catalog = tess_sql_query (uri, catalog_sql, g_variant_new ("(s)", table), options, cancellable, NULL, NULL, error);
  if (catalog == NULL)
    return NULL;
  matches = tess_frame_get_n_rows (catalog) == tess_frame_get_n_columns (shape);
  for (guint c = 0; c < tess_frame_get_n_columns (shape); c++)
    {
      TessColumn *shape_column = tess_frame_get_column (shape, c);
      const char *server_name = matches ? tess_column_get_string (tess_frame_get_column (catalog, 0), c)
                                        : tess_column_get_name (shape_column);
      const char *server_type = matches ? tess_column_get_string (tess_frame_get_column (catalog, 1), c) : NULL;
      TessDocSqlColumn *column = tess_doc_sql_column_new (tess_column_get_name (shape_column),
                                                          tess_column_get_column_type (shape_column), server_type);

      g_ptr_array_add (columns, column);
      g_free (column->quoted);
      column->quoted = tess_sql_quote_column (uri, table, server_name, options, cancellable, error);
      if (column->quoted == NULL)
        return NULL;
    }
  *quoted_table = g_steal_pointer (&quoted);
  return g_steal_pointer (&columns);
}

static void
update_from (TessDocSql *sql)
{
  g_free (sql->from);
  g_snprintf (sql->alias, sizeof sql->alias, "s%u", sql->n_levels);
  if (sql->statement)
    sql->from = g_strdup_printf ("(%s) AS %s", sql->statement, sql->alias);
  else
    sql->from = g_strdup_printf ("%s AS %s", sql->table, sql->alias);
}

TessDocSql *
tess_doc_sql_new (
    TessDocument *document, TessDocSource *source, GHashTable *values, GCancellable *cancellable, GError **error)
{
  g_autoptr (TessDocSql) sql = g_new0 (TessDocSql, 1);

  g_return_val_if_fail (TESS_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (source != NULL && source->table != NULL, NULL);

  sql->document = g_object_ref (document);
  sql->source = source;
  sql->values = values ? g_hash_table_ref (values) : tess_document_dup_default_values (document);
  sql->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  sql->uri = tess_doc_source_dup_database_uri (document, source);
  tess_doc_source_get_sql_options (document, source, &sql->options);
  sql->params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  sql->order = g_array_new (FALSE, TRUE, sizeof (TessDocSqlSortKey));
  g_array_set_clear_func (sql->order, sort_key_clear);
  sql->aggregate_keys = g_ptr_array_new_with_free_func (g_free);
  sql->aggregate_expressions = g_ptr_array_new_with_free_func (g_free);
  sql->columns = describe_table (sql->uri, source->table, &sql->options, cancellable, &sql->table, error);
  if (sql->columns == NULL)
    return NULL;
  update_from (sql);
  return g_steal_pointer (&sql);
}

void
tess_doc_sql_free (TessDocSql *sql)
{
  if (sql == NULL)
    return;
  g_clear_object (&sql->document);
  g_clear_pointer (&sql->values, g_hash_table_unref);
  g_clear_object (&sql->cancellable);
  g_free (sql->uri);
  g_free (sql->table);
  g_free (sql->statement);
  g_free (sql->from);
  g_clear_pointer (&sql->columns, g_ptr_array_unref);
  g_clear_pointer (&sql->params, g_ptr_array_unref);
  g_clear_pointer (&sql->order, g_array_unref);
  g_free (sql->local_reason);
  g_clear_pointer (&sql->aggregate_keys, g_ptr_array_unref);
  g_clear_pointer (&sql->aggregate_expressions, g_ptr_array_unref);
  g_free (sql);
}

GPtrArray *
tess_doc_sql_describe_other (TessDocSql *sql, TessDocSource *source, char **quoted_table, GError **error)
{
  g_autofree char *uri = NULL;

  if (!tess_doc_source_is_database (source) || source->table == NULL ||
      g_strcmp0 (source->password, sql->source->password) != 0)
    return NULL;
  uri = tess_doc_source_dup_database_uri (sql->document, source);
  if (!g_str_equal (uri, sql->uri))
    return NULL;
  return describe_table (sql->uri, source->table, &sql->options, sql->cancellable, quoted_table, error);
}

/* Accessors */

GHashTable *
tess_doc_sql_get_values (TessDocSql *sql)
{
  return sql->values;
}

TessDocument *
tess_doc_sql_get_document (TessDocSql *sql)
{
  return sql->document;
}

guint
tess_doc_sql_get_n_columns (TessDocSql *sql)
{
  return sql->columns->len;
}

const TessDocSqlColumn *
tess_doc_sql_get_column (TessDocSql *sql, guint index)
{
  g_return_val_if_fail (index < sql->columns->len, NULL);
  return g_ptr_array_index (sql->columns, index);
}

const TessDocSqlColumn *
tess_doc_sql_lookup (TessDocSql *sql, const char *name, const char *step, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  const char *hint;

  for (guint i = 0; i < sql->columns->len; i++)
    {
      TessDocSqlColumn *column = g_ptr_array_index (sql->columns, i);
      if (g_str_equal (column->name, name))
        return column;
      g_ptr_array_add (names, column->name);
    }
  g_ptr_array_add (names, NULL);
  hint = tess_document_suggest (name, (const char *const *) names->pdata);
  g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID, "%s: unknown column \"%s\"%s%s%s", step, name,
               hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
  return NULL;
}

/* Values */

char *
tess_doc_sql_bind (TessDocSql *sql, GVariant *value)
{
  g_ptr_array_add (sql->params, g_variant_ref_sink (value));
  return g_strdup_printf ("$%u", sql->params->len);
}

char *
tess_doc_sql_bind_for_column (TessDocSql *sql, const TessDocSqlColumn *column, const TessDocNode *node)
{
  GVariant *ref = tess_document_lookup_reference (node, sql->values);
  gboolean numeric = tess_column_type_is_numeric (column->type);
  gboolean boolean = column->type == TESS_COLUMN_BOOL;
  double number;

  if (((ref && g_variant_is_of_type (ref, G_VARIANT_TYPE_DOUBLE)) || (!ref && node->type == TESS_DOC_NUMBER)) &&
      tess_document_node_to_number (node, sql->values, &number) && (numeric || boolean))
    return tess_doc_sql_bind (sql, boolean ? g_variant_new_boolean (number != 0) : tess_doc_sql_number (number));
  if (((ref && g_variant_is_of_type (ref, G_VARIANT_TYPE_BOOLEAN)) || (!ref && node->type == TESS_DOC_BOOL)) &&
      (numeric || boolean))
    {
      gboolean value = tess_document_node_to_boolean (node, sql->values);
      return tess_doc_sql_bind (sql, boolean ? g_variant_new_boolean (value) : g_variant_new_int64 (value));
    }
  /* text, whose type the server takes from the column it meets */
  {
    g_autofree char *text = tess_document_node_to_text (node, sql->values);
    return tess_doc_sql_bind (sql, g_variant_new_string (text));
  }
}

GVariant *
tess_doc_sql_get_params (TessDocSql *sql)
{
  return g_variant_new_tuple ((GVariant *const *) sql->params->pdata, sql->params->len);
}

/* Levels */

char *
tess_doc_sql_collated (const char *expression, const TessDocSqlColumn *column)
{
  static const char *const text_types[] = { "text", "name", NULL };

  if (column->type != TESS_COLUMN_STRING)
    return g_strdup (expression);
  if (column->server_type &&
      (g_strv_contains (text_types, column->server_type) || g_str_has_prefix (column->server_type, "character")))
    return g_strdup_printf ("%s COLLATE \"C\"", expression);
  /* uuid, json, arrays...: compared as the text this computer holds */
  return g_strdup_printf ("(%s)::text COLLATE \"C\"", expression);
}

const char *
tess_doc_sql_get_from (TessDocSql *sql, const char **alias)
{
  if (alias)
    *alias = sql->alias;
  return sql->from;
}

char *
tess_doc_sql_ref (const char *alias, const TessDocSqlColumn *column)
{
  return g_strdup_printf ("%s.%s", alias, column->quoted);
}

char *
tess_doc_sql_select_all (TessDocSql *sql, const char *alias)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < sql->columns->len; i++)
    {
      TessDocSqlColumn *column = g_ptr_array_index (sql->columns, i);
      g_autofree char *name = tess_doc_sql_quote (column->name);
      g_string_append_printf (out, "%s%s.%s", i ? ", " : "", alias, column->quoted);
      if (!g_str_equal (name, column->quoted))
        g_string_append_printf (out, " AS %s", name);
    }
  return g_string_free (out, FALSE);
}

void
tess_doc_sql_add_level (TessDocSql *sql, const char *select, const char *from, const char *rest, GPtrArray *columns)
{
  char *statement = g_strdup_printf ("SELECT %s FROM %s%s%s", select, from ? from : sql->from, rest && *rest ? " " : "",
                                     rest ? rest : "");

  g_free (sql->statement);
  sql->statement = statement;
  if (columns)
    {
      g_ptr_array_unref (sql->columns);
      sql->columns = columns;
    }
  /* the next level reads each column by the name this one gives it */
  for (guint i = 0; i < sql->columns->len; i++)
    {
      TessDocSqlColumn *column = g_ptr_array_index (sql->columns, i);
      g_free (column->quoted);
      column->quoted = tess_doc_sql_quote (column->name);
    }
  for (guint k = 0; k < sql->order->len; k++)
    {
      const char *key = g_array_index (sql->order, TessDocSqlSortKey, k).column;
      gboolean found = FALSE;
      for (guint i = 0; i < sql->columns->len && !found; i++)
        found = g_str_equal (((TessDocSqlColumn *) g_ptr_array_index (sql->columns, i))->name, key);
      /* a step that drops a sort key orders its own level and seals */
      g_warn_if_fail (found);
    }
  sql->n_levels++;
  update_from (sql);
}

void
tess_doc_sql_seal (TessDocSql *sql)
{
  g_array_set_size (sql->order, 0);
  sql->sealed = TRUE;
}

void
tess_doc_sql_set_local_reason (TessDocSql *sql, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_free (sql->local_reason);
  sql->local_reason = g_strdup_vprintf (format, args);
  va_end (args);
}

const char *
tess_doc_sql_get_local_reason (TessDocSql *sql)
{
  return sql->local_reason;
}

/* Order */

void
tess_doc_sql_set_order (TessDocSql *sql, const TessDocSqlSortKey *keys, guint n_keys)
{
  g_array_set_size (sql->order, 0);
  for (guint k = 0; k < n_keys; k++)
    {
      TessDocSqlSortKey key = { g_strdup (keys[k].column), keys[k].descending };
      g_array_append_val (sql->order, key);
    }
}

void
tess_doc_sql_sort (TessDocSql *sql, const TessDocSqlSortKey *keys, guint n_keys)
{
  g_autoptr (GArray) before = sql->order;

  /* A stable sort: rows equal on the new keys keep the order they had. */
  sql->order = g_array_new (FALSE, TRUE, sizeof (TessDocSqlSortKey));
  g_array_set_clear_func (sql->order, sort_key_clear);
  tess_doc_sql_set_order (sql, keys, n_keys);
  for (guint b = 0; b < before->len; b++)
    {
      TessDocSqlSortKey *old = &g_array_index (before, TessDocSqlSortKey, b);
      if (!tess_doc_sql_order_uses (sql, old->column))
        {
          TessDocSqlSortKey key = { g_strdup (old->column), old->descending };
          g_array_append_val (sql->order, key);
        }
    }
}

gboolean
tess_doc_sql_order_uses (TessDocSql *sql, const char *name)
{
  for (guint k = 0; k < sql->order->len; k++)
    if (g_str_equal (g_array_index (sql->order, TessDocSqlSortKey, k).column, name))
      return TRUE;
  return FALSE;
}

void
tess_doc_sql_rename_order (TessDocSql *sql, const char *from, const char *to)
{
  for (guint k = 0; k < sql->order->len; k++)
    {
      TessDocSqlSortKey *key = &g_array_index (sql->order, TessDocSqlSortKey, k);
      if (g_str_equal (key->column, from))
        {
          g_free (key->column);
          key->column = g_strdup (to);
        }
    }
}

char *
tess_doc_sql_order_clause (TessDocSql *sql, const char *alias)
{
  GString *out = g_string_new (NULL);

  for (guint k = 0; k < sql->order->len; k++)
    {
      TessDocSqlSortKey *key = &g_array_index (sql->order, TessDocSqlSortKey, k);
      const TessDocSqlColumn *column = tess_doc_sql_lookup (sql, key->column, "sort", NULL);
      g_autofree char *ref = NULL;
      g_autofree char *collated = NULL;

      if (column == NULL)
        continue; /* the steps keep every sort key a column (tess_doc_sql_add_level()) */
      ref = tess_doc_sql_ref (alias, column);
      collated = tess_doc_sql_collated (ref, column);
      /* nulls last either way, as on this computer */
      g_string_append_printf (out, "%s%s%s NULLS LAST", out->len ? ", " : " ORDER BY ", collated,
                              key->descending ? " DESC" : "");
    }
  return g_string_free (out, FALSE);
}

/* The pipeline */

int
tess_doc_sql_add_pipeline (TessDocSql *sql, TessDocFragment *fragment, GError **error)
{
  guint n = fragment->pipeline ? tess_doc_node_get_length (fragment->pipeline) : 0;

  for (guint i = 0; i < n; i++)
    {
      const TessDocMember *member = tess_doc_node_get_member_index (tess_doc_node_get_index (fragment->pipeline, i), 0);
      const TessDocStep *step = tess_doc_step_lookup (member->key);
      g_autoptr (GError) local = NULL;
      guint n_params = sql->params->len;

      g_clear_pointer (&sql->local_reason, g_free);
      if (step == NULL)
        return (int) i;
      if (sql->sealed)
        {
          tess_doc_sql_set_local_reason (sql, "a select before it left out a column the rows are sorted by");
          return (int) i;
        }
      if (step->to_sql == NULL)
        {
          tess_doc_sql_set_local_reason (sql, "the database has no \"%s\" of this kind", step->name);
          return (int) i;
        }
      if (!step->to_sql (sql, step, member->value, &local))
        {
          g_ptr_array_set_size (sql->params, n_params);
          if (local)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local), "Step %u: ", i + 1);
              return -1;
            }
          if (sql->local_reason == NULL)
            tess_doc_sql_set_local_reason (sql, "the database cannot compute it with this argument");
          return (int) i;
        }
    }
  g_clear_pointer (&sql->local_reason, g_free);
  return (int) n;
}

/* The statement so far, its rows in their order when @ordered. */
static char *
base_statement (TessDocSql *sql, gboolean ordered)
{
  g_autofree char *order = ordered ? tess_doc_sql_order_clause (sql, sql->alias) : g_strdup ("");

  if (sql->statement == NULL)
    {
      g_autofree char *all = tess_doc_sql_select_all (sql, sql->alias);
      return g_strdup_printf ("SELECT %s FROM %s%s", all, sql->from, order);
    }
  if (*order == '\0')
    return g_strdup (sql->statement);
  return g_strdup_printf ("SELECT * FROM %s%s", sql->from, order);
}

char *
tess_doc_sql_dup_statement (TessDocSql *sql)
{
  GString *out;
  g_autofree char *base = NULL;

  if (!sql->aggregating)
    return base_statement (sql, TRUE);
  base = base_statement (sql, FALSE);
  out = g_string_new ("SELECT ");
  for (guint i = 0; i < sql->aggregate_expressions->len; i++)
    g_string_append_printf (out, "%s%s AS \"m%u\"", i ? ", " : "",
                            (char *) g_ptr_array_index (sql->aggregate_expressions, i), i);
  g_string_append_printf (out, " FROM (%s) AS %s", base, sql->alias);
  return g_string_free (out, FALSE);
}

/* Aggregates */

char *
tess_doc_sql_aggregate_key (const char *op, const char *column)
{
  /* control characters never reach a column name read from data */
  return g_strdup_printf ("\x1e%s\x1e%s", op, column ? column : "");
}

void
tess_doc_sql_add_aggregate (TessDocSql *sql, const char *key, const char *expression)
{
  for (guint i = 0; i < sql->aggregate_keys->len; i++)
    if (g_str_equal (g_ptr_array_index (sql->aggregate_keys, i), key))
      return;
  g_ptr_array_add (sql->aggregate_keys, g_strdup (key));
  g_ptr_array_add (sql->aggregate_expressions, g_strdup (expression));
}

gboolean
tess_doc_sql_aggregate_views (TessDocSql *sql, TessDocFragment *fragment)
{
  guint n_params = sql->params->len;

  g_ptr_array_set_size (sql->aggregate_keys, 0);
  g_ptr_array_set_size (sql->aggregate_expressions, 0);
  for (guint v = 0; v < tess_doc_node_get_length (fragment->views); v++)
    {
      const TessDocNode *view = tess_doc_node_get_index (fragment->views, v);
      TessDocNode *type = tess_doc_node_get (view, "type");
      const TessDocView *kind = type ? tess_doc_view_lookup (type->string) : NULL;

      gboolean needs_rows;

      if (kind == NULL)
        continue;
      /* a metric whose value is a text may still show a computed delta */
      needs_rows = kind->needs_data && kind->needs_data (view);
      if (!needs_rows && kind->aggregates == NULL)
        continue;
      if (kind->aggregates == NULL || !kind->aggregates (sql, kind, view, sql->values))
        {
          g_ptr_array_set_size (sql->params, n_params);
          g_ptr_array_set_size (sql->aggregate_keys, 0);
          g_ptr_array_set_size (sql->aggregate_expressions, 0);
          return FALSE;
        }
    }
  sql->aggregating = sql->aggregate_keys->len > 0;
  return sql->aggregating;
}

TessFrame *
tess_doc_sql_name_aggregates (TessDocSql *sql, TessFrame *frame, GError **error)
{
  g_autoptr (TessFrame) named = tess_frame_ref (frame);

  for (guint i = 0; i < sql->aggregate_keys->len && i < tess_frame_get_n_columns (frame); i++)
    {
      g_autofree char *from = g_strdup_printf ("m%u", i);
      TessFrame *next = tess_frame_rename (named, from, g_ptr_array_index (sql->aggregate_keys, i), error);
      if (next == NULL)
        return NULL;
      tess_frame_unref (named);
      named = next;
    }
  return g_steal_pointer (&named);
}
