/* tess-document-steps-sql.c: the SQL form of the pipeline steps a database
 * can compute, for a fragment over a database table (tess-document-sql.h).
 *
 * Each function here is a step's to_sql member in the table of
 * tess-document-steps.c, which keeps the steps' other functions: what a step
 * means is decided there, and what is written here must give the same rows
 * the step gives on this computer (tests/documents/document-sql.c compares
 * them cell by cell).
 */
#include "tess-document-steps-private.h"
#include "tess-document-sql.h"

#include "tess-csv.h"
#include "tess-transform-private.h"
#include "tess-transform.h"

#include <string.h>

/* The operand of @column for comparisons: a timestamptz as the UTC time this
 * computer holds (frames keep times in UTC). transfer full */
static char *
sql_time_operand (const char *ref, const TessDocSqlColumn *column)
{
  if (column->server_type && g_str_equal (column->server_type, "timestamp with time zone"))
    return g_strdup_printf ("(%s AT TIME ZONE 'UTC')", ref);
  return g_strdup (ref);
}

static gboolean
condition_to_sql (TessDocSql *sql, const TessDocNode *node, const char *alias, char **clause, GError **error);

/* {"all": [...]} or {"any": [...]}: *@clause NULL when it holds for every row. */
static gboolean
combined_condition_to_sql (
    TessDocSql *sql, const TessDocNode *node, const TessDocNode *list, const char *alias, char **clause, GError **error)
{
  gboolean all = tess_doc_node_get (node, "all") == list;
  g_autoptr (GString) out = g_string_new ("(");
  guint n = 0;

  for (guint i = 0; i < tess_doc_node_get_length (list); i++)
    {
      g_autofree char *child = NULL;
      if (!condition_to_sql (sql, tess_doc_node_get_index (list, i), alias, &child, error))
        return FALSE;
      if (child == NULL)
        {
          if (all)
            continue;
          *clause = NULL; /* one alternative holds for every row */
          return TRUE;
        }
      g_string_append_printf (out, "%s%s", n++ ? (all ? " AND " : " OR ") : "", child);
    }
  /* An empty "all" holds for every row, an empty "any" for none. */
  if (n == 0)
    *clause = all ? NULL : g_strdup ("FALSE");
  else
    *clause = g_strconcat (out->str, ")", NULL);
  return TRUE;
}

/* "in" and "not_in": one array parameter; a null is in no set. */
static gboolean
set_condition_to_sql (TessDocSql *sql,
                      const TessDocSqlColumn *column,
                      const char *ref,
                      const char *op,
                      const TessDocNode *value,
                      char **clause)
{
  GHashTable *values = tess_doc_sql_get_values (sql);
  GVariant *input = tess_document_lookup_reference (value, values);
  g_autoptr (GPtrArray) set = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *placeholder = NULL;
  g_autofree char *operand = NULL;

  if (input && g_variant_is_of_type (input, G_VARIANT_TYPE_STRING_ARRAY))
    {
      g_autofree const char **strv = g_variant_get_strv (input, NULL);
      if (strv[0] == NULL)
        {
          /* nothing selected in a multiselect: every row is kept */
          *clause = NULL;
          return TRUE;
        }
      for (guint i = 0; strv[i]; i++)
        g_ptr_array_add (set, g_strdup (strv[i]));
    }
  else if (input)
    g_ptr_array_add (set, tess_document_format_value (input));
  else
    for (guint i = 0; i < tess_doc_node_get_length (value); i++)
      g_ptr_array_add (set, tess_document_node_to_text (tess_doc_node_get_index (value, i), values));
  g_ptr_array_add (set, NULL);
  placeholder = tess_doc_sql_bind (sql, g_variant_new_strv ((const char *const *) set->pdata, -1));
  /* numbers compare as numbers, whatever their SQL type */
  if (tess_column_type_is_numeric (column->type))
    operand = g_strdup_printf ("%s::float8 = ANY (CAST (%s AS float8[]))", ref, placeholder);
  else
    {
      g_autofree char *time_operand = sql_time_operand (ref, column);
      operand = g_strdup_printf ("%s = ANY (%s)", time_operand, placeholder);
    }
  if (g_str_equal (op, "in"))
    *clause = g_steal_pointer (&operand);
  else
    *clause = g_strdup_printf ("(%s IS NULL OR NOT (%s))", ref, operand);
  return TRUE;
}

/* "year": from January 1 of the year to January 1 of the next. */
static gboolean
year_condition_to_sql (
    TessDocSql *sql, const TessDocSqlColumn *column, const char *ref, const TessDocNode *value, char **clause)
{
  GHashTable *values = tess_doc_sql_get_values (sql);
  double year;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  g_autofree char *operand = NULL;

  if (!tess_document_node_to_number (value, values, &year))
    {
      g_autofree char *text = tess_document_node_to_text (value, values);
      if (!tess_parse_double (text, strlen (text), &year))
        return FALSE; /* the run here says it is not a year */
    }
  if (!(year >= 1 && year <= 9998) ||
      (column->type != TESS_COLUMN_DATE && column->type != TESS_COLUMN_TIMESTAMP && column->type != TESS_COLUMN_STRING))
    return FALSE;
  from = g_strdup_printf ("%04d-01-01", (int) year);
  to = g_strdup_printf ("%04d-01-01", (int) year + 1);
  low = tess_doc_sql_bind (sql, g_variant_new_string (from));
  high = tess_doc_sql_bind (sql, g_variant_new_string (to));
  operand = column->type == TESS_COLUMN_STRING ? tess_doc_sql_collated (ref, column) : sql_time_operand (ref, column);
  *clause = g_strdup_printf ("(%s >= %s AND %s < %s)", operand, low, operand, high);
  return TRUE;
}

/* ==, !=, <, <=, >, >= */
static gboolean
comparison_to_sql (TessDocSql *sql,
                   const TessDocSqlColumn *column,
                   const char *ref,
                   const char *op,
                   const TessDocNode *value,
                   char **clause)
{
  const char *sql_op = g_str_equal (op, "==") ? "=" : g_str_equal (op, "!=") ? "<>" : op;
  g_autofree char *placeholder = tess_doc_sql_bind_for_column (sql, column, value);
  g_autofree char *operand = NULL;

  if (column->type == TESS_COLUMN_STRING && (sql_op[0] == '<' || sql_op[0] == '>') && !g_str_equal (sql_op, "<>"))
    operand = tess_doc_sql_collated (ref, column);
  else
    operand = sql_time_operand (ref, column);
  *clause = g_strdup_printf ("%s %s %s", operand, sql_op, placeholder);
  return TRUE;
}

/* The WHERE condition of @node, its columns read from @alias: TRUE with
 * *@clause (NULL when it holds for every row); FALSE when the database
 * cannot compute it as this computer would; FALSE with @error for an
 * unknown column. */
static gboolean
condition_to_sql (TessDocSql *sql, const TessDocNode *node, const char *alias, char **clause, GError **error)
{
  GHashTable *values = tess_doc_sql_get_values (sql);
  const TessDocNode *list;
  const TessDocSqlColumn *column;
  g_autofree char *name = NULL;
  g_autofree char *ref = NULL;
  TessDocNode *op_node, *value;
  const char *op;

  *clause = NULL;
  if ((list = tess_doc_node_get (node, "all")) != NULL || (list = tess_doc_node_get (node, "any")) != NULL)
    return combined_condition_to_sql (sql, node, list, alias, clause, error);

  name = tess_document_node_to_text (tess_doc_node_get (node, "column"), values);
  op_node = tess_doc_node_get (node, "op");
  op = op_node ? op_node->string : "==";
  value = tess_doc_node_get (node, "value");
  if ((column = tess_doc_sql_lookup (sql, name, "filter", error)) == NULL)
    return FALSE;
  ref = tess_doc_sql_ref (alias, column);
  if (g_str_equal (op, "is_null") || g_str_equal (op, "not_null"))
    {
      *clause = g_strdup_printf ("%s IS %sNULL", ref, g_str_equal (op, "is_null") ? "" : "NOT ");
      return TRUE;
    }
  if (g_str_equal (op, "in") || g_str_equal (op, "not_in"))
    return set_condition_to_sql (sql, column, ref, op, value, clause);
  if (g_str_equal (op, "contains"))
    {
      g_autofree char *text = NULL;
      g_autofree char *placeholder = NULL;
      if (column->type != TESS_COLUMN_STRING)
        {
          tess_doc_sql_set_local_reason (sql, "\"contains\" looks into column \"%s\" (%s) as this computer writes it",
                                         column->name, tess_column_type_to_string (column->type));
          return FALSE;
        }
      text = tess_document_node_to_text (value, values);
      placeholder = tess_doc_sql_bind (sql, g_variant_new_string (text));
      *clause = g_strdup_printf ("strpos (%s::text, %s) > 0", ref, placeholder);
      return TRUE;
    }
  if (g_str_equal (op, "year"))
    {
      if (year_condition_to_sql (sql, column, ref, value, clause))
        return TRUE;
      tess_doc_sql_set_local_reason (sql, "its year is not one the database can compare column \"%s\" with",
                                     column->name);
      return FALSE;
    }
  return comparison_to_sql (sql, column, ref, op, value, clause);
}

gboolean
filter_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  const char *alias;
  g_autofree char *clause = NULL;
  g_autofree char *all = NULL;
  g_autofree char *where = NULL;

  tess_doc_sql_get_from (sql, &alias);
  if (!condition_to_sql (sql, arg, alias, &clause, error))
    return FALSE;
  if (clause == NULL)
    return TRUE; /* every row is kept */
  all = tess_doc_sql_select_all (sql, alias);
  where = g_strconcat ("WHERE ", clause, NULL);
  tess_doc_sql_add_level (sql, all, NULL, where, NULL);
  return TRUE;
}

/* A column selected twice, or renamed to a name taken, is the run's to
 * report. */
static gboolean
sql_columns_have (GPtrArray *columns, const char *name)
{
  for (guint i = 0; i < columns->len; i++)
    if (g_str_equal (((TessDocSqlColumn *) g_ptr_array_index (columns, i))->name, name))
      return TRUE;
  return FALSE;
}

gboolean
select_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  g_auto (GStrv) names = tess_doc_step_node_to_names (arg, tess_doc_sql_get_values (sql));
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func (tess_doc_sql_column_free);
  g_autoptr (GString) select = g_string_new (NULL);
  g_autofree char *order = NULL;
  gboolean drops_sort_key = FALSE;
  const char *alias;

  tess_doc_sql_get_from (sql, &alias);
  for (guint i = 0; names[i]; i++)
    {
      const TessDocSqlColumn *column = tess_doc_sql_lookup (sql, names[i], "select", error);
      g_autofree char *ref = NULL;
      if (column == NULL)
        return FALSE;
      if (sql_columns_have (columns, names[i]))
        return FALSE;
      ref = tess_doc_sql_ref (alias, column);
      g_string_append_printf (select, "%s%s", i ? ", " : "", ref);
      g_ptr_array_add (columns, tess_doc_sql_column_copy (column));
    }
  if (columns->len == 0)
    return FALSE;
  for (guint c = 0; c < tess_doc_sql_get_n_columns (sql); c++)
    {
      const char *name = tess_doc_sql_get_column (sql, c)->name;
      if (tess_doc_sql_order_uses (sql, name) && !sql_columns_have (columns, name))
        drops_sort_key = TRUE;
    }
  /* Rows sorted by a column it leaves out are put in order here, where that
   * column is still readable; nothing after it may wrap them. */
  if (drops_sort_key)
    {
      order = tess_doc_sql_order_clause (sql, alias);
      tess_doc_sql_seal (sql);
    }
  tess_doc_sql_add_level (sql, select->str, NULL, order ? order + 1 : NULL, g_steal_pointer (&columns));
  return TRUE;
}

gboolean
rename_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  g_autoptr (GPtrArray) columns = tess_doc_sql_copy_columns (sql);
  g_autoptr (GPtrArray) renames = g_ptr_array_new_with_free_func (g_free); /* from, to, ... */
  g_autoptr (GString) select = g_string_new (NULL);
  const char *alias;

  tess_doc_sql_get_from (sql, &alias);
  /* one rename after the other, as on this computer */
  for (guint i = 0; i < tess_doc_node_get_length (arg); i++)
    {
      const TessDocMember *m = tess_doc_node_get_member_index (arg, i);
      g_autofree char *to = tess_document_node_to_text (m->value, tess_doc_sql_get_values (sql));
      TessDocSqlColumn *found = NULL;
      for (guint c = 0; c < columns->len && found == NULL; c++)
        if (g_str_equal (((TessDocSqlColumn *) g_ptr_array_index (columns, c))->name, m->key))
          found = g_ptr_array_index (columns, c);
      if (found == NULL)
        {
          /* the run's message, with the columns as they are at this point */
          g_autoptr (GPtrArray) names = g_ptr_array_new ();
          const char *hint;
          for (guint c = 0; c < columns->len; c++)
            g_ptr_array_add (names, ((TessDocSqlColumn *) g_ptr_array_index (columns, c))->name);
          g_ptr_array_add (names, NULL);
          hint = tess_document_suggest (m->key, (const char *const *) names->pdata);
          g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID, "rename: unknown column \"%s\"%s%s%s", m->key,
                       hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
          return FALSE;
        }
      if (!g_str_equal (to, m->key) && sql_columns_have (columns, to))
        return FALSE;
      g_ptr_array_add (renames, g_strdup (found->name));
      g_ptr_array_add (renames, g_strdup (to));
      g_free (found->name);
      found->name = g_steal_pointer (&to);
    }
  /* each column read by its name so far, under its new one */
  for (guint c = 0; c < columns->len; c++)
    {
      g_autofree char *ref = tess_doc_sql_ref (alias, tess_doc_sql_get_column (sql, c));
      g_autofree char *name = tess_doc_sql_quote (((TessDocSqlColumn *) g_ptr_array_index (columns, c))->name);
      g_string_append_printf (select, "%s%s AS %s", c ? ", " : "", ref, name);
    }
  for (guint r = 0; r + 1 < renames->len; r += 2)
    tess_doc_sql_rename_order (sql, g_ptr_array_index (renames, r), g_ptr_array_index (renames, r + 1));
  tess_doc_sql_add_level (sql, select->str, NULL, NULL, g_steal_pointer (&columns));
  return TRUE;
}

/* A sort adds no level: its keys become the order the statement's rows
 * follow (tess-document-sql.h). */
gboolean
sort_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  GHashTable *values = tess_doc_sql_get_values (sql);
  guint n = arg->type == TESS_DOC_ARRAY ? tess_doc_node_get_length (arg) : 1;
  g_autofree TessDocSqlSortKey *keys = g_new0 (TessDocSqlSortKey, MAX (n, 1));
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      const TessDocNode *key = arg->type == TESS_DOC_ARRAY ? tess_doc_node_get_index (arg, i) : arg;
      const TessDocNode *column = key;
      char *name;
      if (key->type == TESS_DOC_OBJECT)
        {
          TessDocNode *descending = tess_doc_node_get (key, "descending");
          column = tess_doc_node_get (key, "column");
          keys[i].descending = descending && tess_document_node_to_boolean (descending, values);
        }
      name = tess_document_node_to_text (column, values);
      g_ptr_array_add (names, name);
      if (tess_doc_sql_lookup (sql, name, "sort", error) == NULL)
        return FALSE;
      keys[i].column = name;
    }
  tess_doc_sql_sort (sql, keys, n);
  return TRUE;
}

/* head: LIMIT, after the order the rows follow. */
gboolean
head_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  double count = 0;
  const char *alias;
  g_autofree char *all = NULL;
  g_autofree char *order = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *rest = NULL;

  if (!tess_document_node_to_number (arg, tess_doc_sql_get_values (sql), &count) || !(count >= 0) || count > 9e18)
    return FALSE; /* the run here says what is wrong */
  tess_doc_sql_get_from (sql, &alias);
  all = tess_doc_sql_select_all (sql, alias);
  order = tess_doc_sql_order_clause (sql, alias);
  limit = tess_doc_sql_bind (sql, g_variant_new_int64 ((gint64) count));
  rest = g_strdup_printf ("%s%sLIMIT %s", *order ? order + 1 : "", *order ? " " : "", limit);
  tess_doc_sql_add_level (sql, all, NULL, rest, NULL);
  return TRUE;
}

/* The SQL of one aggregate of a group_by over @column (NULL: a count of
 * rows), as tess_frame_group_by() computes it: *@type its frame type.
 * FALSE with @error for what the run here refuses too; FALSE alone for what
 * only this computer computes. */
static gboolean
aggregate_to_sql (TessDocSql *sql,
                  TessAggregateOp op,
                  const TessDocSqlColumn *column,
                  const char *ref,
                  char **expression,
                  TessColumnType *type,
                  GError **error)
{
  TessColumnType in = column ? column->type : TESS_COLUMN_INT64;
  gboolean numeric = tess_column_type_is_numeric (in);
  gboolean boolean = in == TESS_COLUMN_BOOL;
  g_autofree char *value = boolean ? g_strdup_printf ("%s::int", ref) : g_strdup (ref);

  if (column && ((op == TESS_AGGREGATE_SUM && !numeric && !boolean) ||
                 ((op == TESS_AGGREGATE_MEAN || op == TESS_AGGREGATE_MEDIAN) && in == TESS_COLUMN_STRING)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Cannot compute the %s of column “%s” (%s)",
                   tess_aggregate_op_to_string (op), column->name, tess_column_type_to_string (in));
      return FALSE;
    }
  switch (op)
    {
    case TESS_AGGREGATE_COUNT:
      *expression = column ? g_strdup_printf ("count (%s)", ref) : g_strdup ("count (*)");
      *type = TESS_COLUMN_INT64;
      return TRUE;
    case TESS_AGGREGATE_DISTINCT:
      *expression = g_strdup_printf ("count (DISTINCT %s)", ref);
      *type = TESS_COLUMN_INT64;
      return TRUE;
    case TESS_AGGREGATE_SUM:
      /* a group with no value sums to 0; integers stay integers */
      *type = in == TESS_COLUMN_DOUBLE ? TESS_COLUMN_DOUBLE : TESS_COLUMN_INT64;
      *expression =
          g_strdup_printf ("COALESCE (sum (%s), 0)::%s", value, *type == TESS_COLUMN_DOUBLE ? "float8" : "int8");
      return TRUE;
    case TESS_AGGREGATE_MEAN:
    case TESS_AGGREGATE_MEDIAN:
      if (!numeric && !boolean)
        {
          tess_doc_sql_set_local_reason (sql, "the %s of dates and times is computed on this computer",
                                         tess_aggregate_op_to_string (op));
          return FALSE;
        }
      *type = TESS_COLUMN_DOUBLE;
      *expression = op == TESS_AGGREGATE_MEAN
                        ? g_strdup_printf ("avg (%s)::float8", value)
                        : g_strdup_printf ("percentile_cont (0.5) WITHIN GROUP (ORDER BY %s::float8)", value);
      return TRUE;
    case TESS_AGGREGATE_MIN:
    case TESS_AGGREGATE_MAX:
      *type = in;
      if (boolean)
        *expression = g_strdup_printf ("%s (%s)", op == TESS_AGGREGATE_MIN ? "bool_and" : "bool_or", ref);
      else
        {
          g_autofree char *collated = tess_doc_sql_collated (ref, column);
          *expression = g_strdup_printf ("%s (%s)", op == TESS_AGGREGATE_MIN ? "min" : "max", collated);
        }
      return TRUE;
    default:
      return FALSE;
    }
}

/* group_by: GROUP BY its keys; the groups come sorted by them. */
gboolean
group_by_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  GHashTable *values = tess_doc_sql_get_values (sql);
  g_auto (GStrv) keys = tess_doc_step_node_to_names (tess_doc_node_get (arg, "keys"), values);
  TessDocNode *aggs = tess_doc_node_get (arg, "aggregates");
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func (tess_doc_sql_column_free);
  g_autoptr (GString) select = g_string_new (NULL);
  g_autoptr (GString) group = g_string_new ("GROUP BY ");
  g_autofree TessDocSqlSortKey *order = g_new0 (TessDocSqlSortKey, g_strv_length (keys) + 1);
  const char *alias;

  if (keys[0] == NULL)
    {
      tess_doc_sql_set_local_reason (sql, "a group_by without keys is computed on this computer");
      return FALSE;
    }
  tess_doc_sql_get_from (sql, &alias);
  for (guint k = 0; keys[k]; k++)
    {
      const TessDocSqlColumn *column = tess_doc_sql_lookup (sql, keys[k], "group_by", error);
      g_autofree char *ref = NULL;
      if (column == NULL)
        return FALSE;
      if (sql_columns_have (columns, keys[k]))
        return FALSE;
      ref = tess_doc_sql_ref (alias, column);
      g_string_append_printf (select, "%s%s", k ? ", " : "", ref);
      g_string_append_printf (group, "%s%s", k ? ", " : "", ref);
      g_ptr_array_add (columns, tess_doc_sql_column_copy (column));
      order[k].column = keys[k];
    }
  for (guint a = 0; a < tess_doc_node_get_length (aggs); a++)
    {
      TessDocNode *agg = tess_doc_node_get_index (aggs, a);
      TessDocNode *column_node = tess_doc_node_get (agg, "column");
      TessDocNode *as = tess_doc_node_get (agg, "as");
      const char *op_name = tess_doc_node_get (agg, "op")->string;
      g_autofree char *column_name = column_node ? tess_document_node_to_text (column_node, values) : NULL;
      g_autofree char *name = NULL;
      g_autofree char *ref = NULL;
      g_autofree char *expression = NULL;
      g_autofree char *quoted = NULL;
      const TessDocSqlColumn *column = NULL;
      TessAggregateOp op;
      TessColumnType type;

      if (!tess_aggregate_op_from_string (op_name, &op))
        return FALSE;
      if (column_name && (column = tess_doc_sql_lookup (sql, column_name, "group_by", error)) == NULL)
        return FALSE;
      name = as            ? tess_document_node_to_text (as, values)
             : column_name ? g_strdup_printf ("%s_%s", column_name, op_name)
                           : g_strdup (op_name);
      if (column == NULL && op != TESS_AGGREGATE_COUNT)
        return FALSE; /* the run here says it needs a column */
      if (sql_columns_have (columns, name))
        return FALSE;
      ref = column ? tess_doc_sql_ref (alias, column) : NULL;
      if (!aggregate_to_sql (sql, op, column, ref, &expression, &type, error))
        return FALSE;
      quoted = tess_doc_sql_quote (name);
      g_string_append_printf (select, ", %s AS %s", expression, quoted);
      g_ptr_array_add (
          columns, tess_doc_sql_column_new (
                       name, type,
                       (op == TESS_AGGREGATE_MIN || op == TESS_AGGREGATE_MAX) && column ? column->server_type : NULL));
    }
  tess_doc_sql_set_order (sql, order, g_strv_length (keys));
  tess_doc_sql_add_level (sql, select->str, NULL, group->str, g_steal_pointer (&columns));
  return TRUE;
}

/* The columns so far with @column (taken) in place of the one of its name,
 * or after them; *@index receives its position. */
static GPtrArray *
sql_columns_with (TessDocSql *sql, TessDocSqlColumn *column, guint *index)
{
  GPtrArray *columns = tess_doc_sql_copy_columns (sql);

  for (guint c = 0; c < columns->len; c++)
    if (g_str_equal (((TessDocSqlColumn *) g_ptr_array_index (columns, c))->name, column->name))
      {
        tess_doc_sql_column_free (g_ptr_array_index (columns, c));
        columns->pdata[c] = column;
        *index = c;
        return columns;
      }
  *index = columns->len;
  g_ptr_array_add (columns, column);
  return columns;
}

/* A level that computes @expression as the column @made (taken), in place of
 * the column of its name or after the others. */
static void
sql_add_computed_column (TessDocSql *sql, TessDocSqlColumn *made, const char *expression)
{
  g_autoptr (GString) select = g_string_new (NULL);
  g_autofree char *quoted = tess_doc_sql_quote (made->name);
  const char *alias;
  guint index;
  GPtrArray *columns;

  tess_doc_sql_get_from (sql, &alias);
  columns = sql_columns_with (sql, made, &index);
  for (guint c = 0; c < columns->len; c++)
    {
      if (c > 0)
        g_string_append (select, ", ");
      if (c == index)
        g_string_append_printf (select, "%s AS %s", expression, quoted);
      else
        {
          g_autofree char *ref = tess_doc_sql_ref (alias, tess_doc_sql_get_column (sql, c));
          g_string_append (select, ref);
        }
    }
  tess_doc_sql_add_level (sql, select->str, NULL, NULL, columns);
}

/* bucket: date_trunc, in UTC for times with a time zone. */
gboolean
bucket_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  GHashTable *values = tess_doc_sql_get_values (sql);
  g_autofree char *name = tess_document_node_to_text (tess_doc_node_get (arg, "column"), values);
  g_autofree char *unit = tess_document_node_to_text (tess_doc_node_get (arg, "unit"), values);
  TessDocNode *as = tess_doc_node_get (arg, "as");
  g_autofree char *made = as ? tess_document_node_to_text (as, values) : g_strdup (name);
  g_autofree char *ref = NULL;
  g_autofree char *placeholder = NULL;
  g_autofree char *expression = NULL;
  const TessDocSqlColumn *column;
  const char *alias;

  if ((column = tess_doc_sql_lookup (sql, name, "bucket", error)) == NULL)
    return FALSE;
  if ((column->type != TESS_COLUMN_DATE && column->type != TESS_COLUMN_TIMESTAMP) ||
      !tess_document_strv_contains (tess_doc_step_bucket_units, unit))
    return FALSE; /* the run here says what is wrong */
  if (tess_doc_sql_order_uses (sql, made))
    {
      tess_doc_sql_set_local_reason (sql, "it replaces column \"%s\", which the rows are sorted by", made);
      return FALSE;
    }
  tess_doc_sql_get_from (sql, &alias);
  ref = tess_doc_sql_ref (alias, column);
  placeholder = tess_doc_sql_bind (sql, g_variant_new_string (unit));
  if (column->type == TESS_COLUMN_DATE)
    expression = g_strdup_printf ("date_trunc (%s, %s)::date", placeholder, ref);
  else if (column->server_type && g_str_equal (column->server_type, "timestamp with time zone"))
    expression = g_strdup_printf ("date_trunc (%s, %s, 'UTC')", placeholder, ref);
  else
    expression = g_strdup_printf ("date_trunc (%s, %s)", placeholder, ref);
  sql_add_computed_column (sql, tess_doc_sql_column_new (made, column->type, column->server_type), expression);
  return TRUE;
}

/* An expression in SQL: the grammar of tess-expression.c, over float8, with
 * a null wherever this computer's arithmetic gives no finite number
 * (division by zero, the square root or logarithm of a negative). */
typedef struct
{
  TessDocSql *sql;
  const char *alias;
  const char *p;
  GError **error;
  gboolean failed;
  guint depth;
} SqlExpression;

static char *sql_expression_sum (SqlExpression *e);

static void
sql_expression_skip_space (SqlExpression *e)
{
  while (g_ascii_isspace (*e->p))
    e->p++;
}

static char *
sql_expression_column (SqlExpression *e, const char *name)
{
  g_autofree char *ref = NULL;
  const TessDocSqlColumn *column = tess_doc_sql_lookup (e->sql, name, "derive", e->error);

  if (column == NULL)
    return NULL;
  if (column->type == TESS_COLUMN_STRING)
    {
      g_set_error (e->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "derive: column “%s” holds text, not numbers",
                   name);
      return NULL;
    }
  if (column->type != TESS_COLUMN_INT64 && column->type != TESS_COLUMN_DOUBLE && column->type != TESS_COLUMN_BOOL)
    {
      tess_doc_sql_set_local_reason (e->sql,
                                     "it computes with column \"%s\" (%s), which this computer reads as a number", name,
                                     tess_column_type_to_string (column->type));
      return NULL;
    }
  ref = tess_doc_sql_ref (e->alias, column);
  return g_strdup_printf (column->type == TESS_COLUMN_BOOL ? "%s::int::float8" : "%s::float8", ref);
}

static char *
sql_expression_call (SqlExpression *e, const char *name, char *arg)
{
  g_autofree char *a = arg;

  if (g_str_equal (name, "abs") || g_str_equal (name, "floor") || g_str_equal (name, "ceil"))
    return g_strdup_printf ("%s (%s)", name, a);
  if (g_str_equal (name, "round"))
    return g_strdup_printf ("round ((%s)::numeric)::float8", a); /* halves away from zero */
  if (g_str_equal (name, "sqrt"))
    return g_strdup_printf ("CASE WHEN %s >= 0 THEN sqrt (%s) END", a, a);
  if (g_str_equal (name, "log"))
    return g_strdup_printf ("CASE WHEN %s > 0 THEN ln (%s) END", a, a);
  if (g_str_equal (name, "exp"))
    return g_strdup_printf ("CASE WHEN %s < -708 THEN 0 WHEN %s < 709.78 THEN exp (%s) END", a, a, a);
  return NULL;
}

static char *
sql_expression_primary (SqlExpression *e)
{
  sql_expression_skip_space (e);
  if (++e->depth > 32)
    return NULL;
  if (*e->p == '(')
    {
      char *inner;
      e->p++;
      inner = sql_expression_sum (e);
      sql_expression_skip_space (e);
      if (inner == NULL || *e->p != ')')
        {
          g_free (inner);
          return NULL;
        }
      e->p++;
      e->depth--;
      return inner;
    }
  if (*e->p == '-' || *e->p == '+')
    {
      gboolean negative = *e->p++ == '-';
      g_autofree char *inner = sql_expression_primary (e);
      if (inner == NULL)
        return NULL;
      e->depth--;
      return negative ? g_strdup_printf ("(-%s)", inner) : g_steal_pointer (&inner);
    }
  if (g_ascii_isdigit (*e->p) || *e->p == '.')
    {
      char *end;
      char text[G_ASCII_DTOSTR_BUF_SIZE];
      double v = g_ascii_strtod (e->p, &end);
      if (end == e->p)
        return NULL;
      e->p = end;
      e->depth--;
      return g_strdup_printf ("'%s'::float8", g_ascii_dtostr (text, sizeof text, v));
    }
  if (*e->p == '`' || g_ascii_isalpha (*e->p) || *e->p == '_')
    {
      g_autofree char *name = NULL;
      const char *start = e->p;
      if (*e->p == '`')
        {
          const char *close = strchr (e->p + 1, '`');
          if (close == NULL)
            return NULL;
          name = g_strndup (e->p + 1, close - e->p - 1);
          e->p = close + 1;
        }
      else
        {
          while (g_ascii_isalnum (*e->p) || *e->p == '_' || *e->p == '.')
            e->p++;
          name = g_strndup (start, e->p - start);
          sql_expression_skip_space (e);
          if (*e->p == '(')
            {
              char *arg;
              e->p++;
              arg = sql_expression_sum (e);
              sql_expression_skip_space (e);
              if (arg == NULL || *e->p != ')')
                {
                  g_free (arg);
                  return NULL;
                }
              e->p++;
              e->depth--;
              return sql_expression_call (e, name, arg);
            }
        }
      e->depth--;
      return sql_expression_column (e, name);
    }
  return NULL;
}

static char *
sql_expression_binary (SqlExpression *e, const char *ops, char *(*operand) (SqlExpression *e))
{
  char *left = operand (e);

  while (left)
    {
      g_autofree char *a = left;
      g_autofree char *b = NULL;
      char op;

      sql_expression_skip_space (e);
      op = *e->p;
      if (op == '\0' || strchr (ops, op) == NULL)
        return g_steal_pointer (&a);
      e->p++;
      b = operand (e);
      if (b == NULL)
        return NULL;
      if (op == '/')
        left = g_strdup_printf ("(%s / NULLIF (%s, 0))", a, b);
      else if (op == '%')
        left = g_strdup_printf ("(%s - %s * trunc (%s / NULLIF (%s, 0)))", a, b, a, b);
      else
        left = g_strdup_printf ("(%s %c %s)", a, op, b);
    }
  return NULL;
}

static char *
sql_expression_product (SqlExpression *e)
{
  return sql_expression_binary (e, "*/%", sql_expression_primary);
}

static char *
sql_expression_sum (SqlExpression *e)
{
  return sql_expression_binary (e, "+-", sql_expression_product);
}

/* derive: a float8 column; NaN and infinities are nulls, as here. */
gboolean
derive_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  GHashTable *values = tess_doc_sql_get_values (sql);
  g_autofree char *as = tess_document_node_to_text (tess_doc_node_get (arg, "as"), values);
  g_autofree char *text = tess_document_node_to_text (tess_doc_node_get (arg, "expr"), values);
  g_autoptr (GError) local = NULL;
  SqlExpression e = { sql, NULL, text, &local, FALSE, 0 };
  g_autofree char *body = NULL;
  g_autofree char *expression = NULL;

  tess_doc_sql_get_from (sql, &e.alias);
  body = sql_expression_sum (&e);
  sql_expression_skip_space (&e);
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (body == NULL || *e.p != '\0')
    return FALSE; /* the run here gives the expression's error */
  if (strlen (body) > 65536)
    {
      tess_doc_sql_set_local_reason (sql, "the expression is too long once written in SQL");
      return FALSE;
    }
  if (tess_doc_sql_order_uses (sql, as))
    {
      tess_doc_sql_set_local_reason (sql, "it replaces column \"%s\", which the rows are sorted by", as);
      return FALSE;
    }
  expression = g_strdup_printf ("NULLIF (NULLIF (NULLIF (%s, 'Infinity'), '-Infinity'), 'NaN')", body);
  sql_add_computed_column (sql, tess_doc_sql_column_new (as, TESS_COLUMN_DOUBLE, "double precision"), expression);
  return TRUE;
}

/* join: with another table of the same database, in the statement. */
gboolean
join_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  TessDocument *document = tess_doc_sql_get_document (sql);
  TessDocSource *source = tess_document_lookup_source (document, tess_doc_node_get (arg, "source")->string);
  g_auto (GStrv) on = tess_doc_step_node_to_names (tess_doc_node_get (arg, "on"), tess_doc_sql_get_values (sql));
  TessDocNode *how = tess_doc_node_get (arg, "how");
  g_autoptr (GPtrArray) right = NULL;
  g_autoptr (GPtrArray) columns = tess_doc_sql_copy_columns (sql);
  g_autoptr (GString) select = NULL;
  g_autoptr (GString) from = NULL;
  g_autofree char *right_table = NULL;
  g_autoptr (GError) local = NULL;
  const char *alias;
  const char *left_from = tess_doc_sql_get_from (sql, &alias);

  right = tess_doc_sql_describe_other (sql, source, &right_table, &local);
  if (right == NULL)
    {
      if (local)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local), "join: ");
          return FALSE;
        }
      tess_doc_sql_set_local_reason (sql, "source \"%s\" is not a table of the same database", source->name);
      return FALSE;
    }
  if (on[0] == NULL)
    return FALSE;
  from = g_string_new (NULL);
  g_string_append_printf (from, "%s %s %s AS r ON ", left_from,
                          how && g_str_equal (how->string, "inner") ? "JOIN" : "LEFT JOIN", right_table);
  for (guint k = 0; on[k]; k++)
    {
      const TessDocSqlColumn *left_key = tess_doc_sql_lookup (sql, on[k], "join", error);
      const TessDocSqlColumn *right_key = NULL;
      g_autofree char *left_ref = NULL;
      g_autofree char *right_ref = NULL;
      if (left_key == NULL)
        return FALSE;
      for (guint c = 0; c < right->len && right_key == NULL; c++)
        if (g_str_equal (((TessDocSqlColumn *) g_ptr_array_index (right, c))->name, on[k]))
          right_key = g_ptr_array_index (right, c);
      if (right_key == NULL)
        {
          g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID, "join: unknown column \"%s\" in source \"%s\"",
                       on[k], source->name);
          return FALSE;
        }
      if (left_key->type != right_key->type)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Cannot join column “%s” (%s) with column “%s” (%s): the types differ", on[k],
                       tess_column_type_to_string (left_key->type), on[k],
                       tess_column_type_to_string (right_key->type));
          return FALSE;
        }
      left_ref = tess_doc_sql_ref (alias, left_key);
      right_ref = tess_doc_sql_ref ("r", right_key);
      /* null keys match nothing, here as on this computer */
      g_string_append_printf (from, "%s%s = %s", k ? " AND " : "", left_ref, right_ref);
    }
  {
    g_autofree char *all = tess_doc_sql_select_all (sql, alias);
    select = g_string_new (all);
  }
  /* the right side's other columns, "_right" added while a name is taken */
  for (guint c = 0; c < right->len; c++)
    {
      TessDocSqlColumn *column = g_ptr_array_index (right, c);
      g_autofree char *name = NULL;
      g_autofree char *ref = NULL;
      g_autofree char *quoted = NULL;
      if (tess_document_strv_contains ((const char *const *) on, column->name))
        continue;
      name = g_strdup (column->name);
      while (sql_columns_have (columns, name))
        {
          char *longer = g_strconcat (name, "_right", NULL);
          g_free (name);
          name = longer;
        }
      ref = tess_doc_sql_ref ("r", column);
      quoted = tess_doc_sql_quote (name);
      g_string_append_printf (select, ", %s AS %s", ref, quoted);
      g_ptr_array_add (columns, tess_doc_sql_column_new (name, column->type, column->server_type));
    }
  tess_doc_sql_add_level (sql, select->str, from->str, NULL, g_steal_pointer (&columns));
  return TRUE;
}
