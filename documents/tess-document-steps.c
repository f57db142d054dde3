/* tess-document-steps.c: every pipeline step of a document fragment, and the
 * table that names them.
 *
 * Each step has its functions next to each other below: one that checks its
 * argument when the document is parsed, one that applies it to a frame when
 * the fragment runs, one that follows the columns it names and makes for
 * `tessera --check`, and, for steps a database can compute, one that adds it
 * to the SQL statement of a fragment over a database table
 * (tess-document-sql.h). The table at the end is the only list of steps:
 * parsing, the column check, running and compiling to SQL all look steps up
 * in it.
 *
 * Applying a step takes an immutable frame and returns a new one; unchanged
 * columns are shared. A step applies only arguments that passed validation, so
 * a malformed argument cannot reach it; the column check, though, follows
 * documents that have problems too, and must not trust their shapes.
 */
#include "tess-document-steps.h"
#include "tess-document-sql.h"

#include "tess-csv.h"
#include "tess-transform-private.h"
#include "tess-transform.h"

#include <string.h>

/* Helpers */

/* The step's argument is an object of the step's members. */
static gboolean
expect_object_argument (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  if (!tess_document_expect_type (self, arg, path, TESS_DOC_OBJECT))
    return FALSE;
  tess_document_check_members (self, arg, path, step->members, step->name);
  return TRUE;
}

static TessColumn *
find_column (TessFrame *frame, const char *name, const char *step, GError **error)
{
  TessColumn *column = tess_frame_get_column_by_name (frame, name);

  if (column == NULL)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      for (guint i = 0; i < tess_frame_get_n_columns (frame); i++)
        g_ptr_array_add (names, (gpointer) tess_column_get_name (tess_frame_get_column (frame, i)));
      g_ptr_array_add (names, NULL);
      const char *hint = tess_document_suggest (name, (const char *const *) names->pdata);
      g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID, "%s: unknown column \"%s\"%s%s%s", step, name,
                   hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
    }
  return column;
}

/* Checks that every name in @names is a column of @frame, for an error that
 * suggests the nearest name. */
static gboolean
check_frame_columns (TessFrame *frame, const char *const *names, const char *step, GError **error)
{
  for (guint i = 0; names && names[i]; i++)
    if (find_column (frame, names[i], step, error) == NULL)
      return FALSE;
  return TRUE;
}

/* The column names of a name, an array of names or a multiselect input. transfer full */
static char **
node_to_names (const TessDocNode *node, GHashTable *values)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **names;

  if (node->type == TESS_DOC_ARRAY)
    for (guint i = 0; i < tess_doc_node_get_length (node); i++)
      {
        g_autofree char *name = tess_document_node_to_text (tess_doc_node_get_index (node, i), values);
        g_strv_builder_add (builder, name);
      }
  else
    {
      GVariant *ref = tess_document_lookup_reference (node, values);
      if (ref && g_variant_is_of_type (ref, G_VARIANT_TYPE_STRING_ARRAY))
        {
          g_autofree const char **strv = g_variant_get_strv (ref, NULL);
          g_strv_builder_addv (builder, strv);
        }
      else
        {
          g_autofree char *name = tess_document_node_to_text (node, values);
          g_strv_builder_add (builder, name);
        }
    }
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/* A name the column check can follow: a string without input values in it. */
static gboolean
is_literal (const TessDocNode *node)
{
  return node && node->type == TESS_DOC_STRING && strchr (node->string, '$') == NULL;
}

/* Replaces the known columns with @names. */
static void
set_columns (TessDocColumns *columns, GPtrArray *names)
{
  g_ptr_array_set_size (columns->names, 0);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (columns->names, g_strdup (g_ptr_array_index (names, i)));
}

/* filter: {"column", "op", "value"}, {"all": [...]} or {"any": [...]} */

static const char *const condition_members[] = { "column", "op", "value", "all", "any", NULL };
static const char *const filter_ops[] = { "==",     "!=",      "<",        "<=",       ">",    ">=", "in",
                                          "not_in", "is_null", "not_null", "contains", "year", NULL };

static void
check_condition_value (TessDocument *self, const TessDocNode *cond, const char *op, const char *path)
{
  TessDocNode *value = tess_doc_node_get (cond, "value");
  g_autofree char *vpath = tess_document_path_member (path, "value");
  gboolean unary = g_str_equal (op, "is_null") || g_str_equal (op, "not_null");

  if (unary && value)
    tess_document_error_at (self, value, vpath, "\"%s\" takes no value", op);
  else if (!unary && value == NULL)
    tess_document_error_missing (self, cond, vpath, "missing member \"value\": what \"%s\" compares with", op);
  else if (value && (g_str_equal (op, "in") || g_str_equal (op, "not_in")) && value->type != TESS_DOC_ARRAY &&
           !tess_document_is_reference_node (value))
    tess_document_error_at (self, value, vpath, "\"%s\" compares with an array of values or a multiselect input", op);
  else if (value && (value->type == TESS_DOC_OBJECT ||
                     (value->type == TESS_DOC_ARRAY && !g_str_equal (op, "in") && !g_str_equal (op, "not_in"))))
    tess_document_error_at (self, value, vpath, "\"%s\" compares with a single value", op);
}

static void
check_condition (TessDocument *self, const TessDocNode *cond, const char *path)
{
  TessDocNode *n;

  if (!tess_document_expect_type (self, cond, path, TESS_DOC_OBJECT))
    return;
  tess_document_check_members (self, cond, path, condition_members, "a filter condition");
  if ((n = tess_doc_node_get (cond, "all")) != NULL || (n = tess_doc_node_get (cond, "any")) != NULL)
    {
      const char *which = tess_doc_node_get (cond, "all") == n ? "all" : "any";
      g_autofree char *lpath = tess_document_path_member (path, which);
      if (tess_doc_node_get (cond, "column") || (tess_doc_node_get (cond, "all") && tess_doc_node_get (cond, "any")))
        tess_document_error_at (
            self, cond, path,
            "a condition is either {\"column\", \"op\", \"value\"}, {\"all\": [...]} or {\"any\": [...]}");
      if (tess_document_expect_type (self, n, lpath, TESS_DOC_ARRAY))
        for (guint i = 0; i < tess_doc_node_get_length (n); i++)
          {
            g_autofree char *ipath = tess_document_path_index (lpath, i);
            check_condition (self, tess_doc_node_get_index (n, i), ipath);
          }
      return;
    }
  tess_document_require_column (self, cond, "column", path);
  n = tess_doc_node_get (cond, "op");
  g_autofree char *opath = tess_document_path_member (path, "op");
  const char *op = "==";
  if (n && tess_document_expect_type (self, n, opath, TESS_DOC_STRING))
    {
      op = n->string;
      if (!tess_document_strv_contains (filter_ops, op))
        {
          g_autofree char *hint = tess_document_did_you_mean (op, filter_ops);
          g_autofree char *list = tess_document_quoted_list (filter_ops);
          tess_document_error_at (self, n, opath, "unknown comparison \"%s\"%s; use one of %s", op, hint, list);
          return;
        }
    }
  check_condition_value (self, cond, op, path);
}

static void
validate_filter (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  check_condition (self, arg, path);
}

static TessPredicate *
build_predicate (const TessDocNode *node, TessFrame *frame, GHashTable *values, gboolean *always, GError **error);

/* {"all": [...]} or {"any": [...]}, with @list the array. */
static TessPredicate *
build_combined_predicate (const TessDocNode *node,
                          const TessDocNode *list,
                          TessFrame *frame,
                          GHashTable *values,
                          gboolean *always,
                          GError **error)
{
  gboolean all = tess_doc_node_get (node, "all") == list;
  TessPredicate *result = NULL;

  for (guint i = 0; i < tess_doc_node_get_length (list); i++)
    {
      gboolean child_always;
      TessPredicate *child = build_predicate (tess_doc_node_get_index (list, i), frame, values, &child_always, error);
      if (child == NULL && !child_always)
        {
          g_clear_pointer (&result, tess_predicate_free);
          return NULL;
        }
      if (child_always)
        {
          if (!all)
            {
              g_clear_pointer (&result, tess_predicate_free);
              *always = TRUE;
              return NULL;
            }
          continue;
        }
      result = result == NULL ? child : all ? tess_predicate_and (result, child) : tess_predicate_or (result, child);
    }
  /* An empty "all" holds for every row, an empty "any" for none. */
  if (result == NULL && all)
    *always = TRUE;
  else if (result == NULL)
    {
      /* No row is both null and not null in a column: an empty "any" holds for none. */
      const char *first = tess_column_get_name (tess_frame_get_column (frame, 0));
      result = tess_predicate_and (tess_predicate_is_null (first), tess_predicate_is_not_null (first));
    }
  return result;
}

/* "in" and "not_in": the value is an array, a multiselect input or one value. */
static TessPredicate *
build_set_predicate (const char *column, const char *op, const TessDocNode *value, GHashTable *values, gboolean *always)
{
  g_autoptr (GPtrArray) set = g_ptr_array_new_with_free_func (g_free);
  GVariant *ref = tess_document_lookup_reference (value, values);

  if (ref && g_variant_is_of_type (ref, G_VARIANT_TYPE_STRING_ARRAY))
    {
      g_autofree const char **strv = g_variant_get_strv (ref, NULL);
      if (strv[0] == NULL)
        {
          /* Nothing selected in a multiselect: keep every row. */
          *always = g_str_equal (op, "in");
          if (*always)
            return NULL;
        }
      for (guint i = 0; strv[i]; i++)
        g_ptr_array_add (set, g_strdup (strv[i]));
    }
  else if (ref)
    g_ptr_array_add (set, tess_document_format_value (ref));
  else
    for (guint i = 0; i < tess_doc_node_get_length (value); i++)
      g_ptr_array_add (set, tess_document_node_to_text (tess_doc_node_get_index (value, i), values));
  g_ptr_array_add (set, NULL);
  TessPredicate *in = tess_predicate_in (column, (const char *const *) set->pdata);
  return g_str_equal (op, "in") ? in : tess_predicate_not (in);
}

/* "year": a date or time column's year equals the value. */
static TessPredicate *
build_year_predicate (const char *column, const TessDocNode *value, GHashTable *values, GError **error)
{
  double year;

  if (!tess_document_node_to_number (value, values, &year))
    {
      g_autofree char *text = tess_document_node_to_text (value, values);
      if (!tess_parse_double (text, strlen (text), &year))
        {
          g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID, "filter: \"%s\" is not a year", text);
          return NULL;
        }
    }
  g_autofree char *from = g_strdup_printf ("%04d-01-01", (int) year);
  g_autofree char *to = g_strdup_printf ("%04d-01-01", (int) year + 1);
  return tess_predicate_and (tess_predicate_compare_text (column, TESS_COMPARE_GE, from),
                             tess_predicate_compare_text (column, TESS_COMPARE_LT, to));
}

/* ==, !=, <, <=, >, >=: numbers compare as numbers unless the column holds strings. */
static TessPredicate *
build_comparison (TessFrame *frame, const char *column, const char *op, const TessDocNode *value, GHashTable *values)
{
  TessCompareOp compare = g_str_equal (op, "!=")   ? TESS_COMPARE_NE
                          : g_str_equal (op, "<")  ? TESS_COMPARE_LT
                          : g_str_equal (op, "<=") ? TESS_COMPARE_LE
                          : g_str_equal (op, ">")  ? TESS_COMPARE_GT
                          : g_str_equal (op, ">=") ? TESS_COMPARE_GE
                                                   : TESS_COMPARE_EQ;
  double number;

  if (tess_document_node_to_number (value, values, &number) &&
      tess_column_get_column_type (tess_frame_get_column_by_name (frame, column)) != TESS_COLUMN_STRING)
    return tess_predicate_compare (column, compare, number);
  g_autofree char *text = tess_document_node_to_text (value, values);
  return tess_predicate_compare_text (column, compare, text);
}

/* The predicate for @node, or NULL with *always set when it holds for every
 * row (an empty multiselect keeps everything), or NULL with @error set. */
static TessPredicate *
build_predicate (const TessDocNode *node, TessFrame *frame, GHashTable *values, gboolean *always, GError **error)
{
  TessDocNode *list;

  *always = FALSE;
  if ((list = tess_doc_node_get (node, "all")) != NULL || (list = tess_doc_node_get (node, "any")) != NULL)
    return build_combined_predicate (node, list, frame, values, always, error);

  g_autofree char *column = tess_document_node_to_text (tess_doc_node_get (node, "column"), values);
  TessDocNode *op_node = tess_doc_node_get (node, "op");
  const char *op = op_node ? op_node->string : "==";
  TessDocNode *value = tess_doc_node_get (node, "value");

  if (find_column (frame, column, "filter", error) == NULL)
    return NULL;
  if (g_str_equal (op, "is_null"))
    return tess_predicate_is_null (column);
  if (g_str_equal (op, "not_null"))
    return tess_predicate_is_not_null (column);
  if (g_str_equal (op, "in") || g_str_equal (op, "not_in"))
    return build_set_predicate (column, op, value, values, always);
  if (g_str_equal (op, "contains"))
    {
      g_autofree char *text = tess_document_node_to_text (value, values);
      return tess_predicate_contains (column, text);
    }
  if (g_str_equal (op, "year"))
    return build_year_predicate (column, value, values, error);
  return build_comparison (frame, column, op, value, values);
}

static TessFrame *
apply_filter (const TessDocStepContext *context,
              const TessDocStep *step,
              TessFrame *frame,
              const TessDocNode *arg,
              GError **error)
{
  g_autoptr (TessPredicate) predicate = NULL;
  gboolean always = FALSE;

  predicate = build_predicate (arg, frame, context->values, &always, error);
  if (predicate == NULL)
    return always ? tess_frame_ref (frame) : NULL;
  return tess_frame_filter (frame, predicate, error);
}

static void
check_condition_columns (TessDocColumns *columns, const TessDocNode *cond, const char *path)
{
  TessDocNode *list;

  if ((list = tess_doc_node_get (cond, "all")) != NULL || (list = tess_doc_node_get (cond, "any")) != NULL)
    {
      const char *which = tess_doc_node_get (cond, "all") == list ? "all" : "any";
      for (guint i = 0; i < tess_doc_node_get_length (list); i++)
        {
          g_autofree char *ipath = g_strdup_printf ("%s.%s[%u]", path, which, i);
          check_condition_columns (columns, tess_doc_node_get_index (list, i), ipath);
        }
      return;
    }
  g_autofree char *cpath = g_strdup_printf ("%s.column", path);
  tess_doc_columns_check (columns, tess_doc_node_get (cond, "column"), cpath);
}

static gboolean
columns_after_filter (TessDocColumns *columns, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  check_condition_columns (columns, arg, path);
  return TRUE;
}

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

static gboolean
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

/* select: a column, an array of columns or a multiselect input */

static void
validate_select (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  tess_document_check_column_names (self, arg, path, step->name);
}

static TessFrame *
apply_select (const TessDocStepContext *context,
              const TessDocStep *step,
              TessFrame *frame,
              const TessDocNode *arg,
              GError **error)
{
  g_auto (GStrv) names = node_to_names (arg, context->values);

  if (!check_frame_columns (frame, (const char *const *) names, "select", error))
    return NULL;
  return tess_frame_select (frame, (const char *const *) names, error);
}

static gboolean
columns_after_select (TessDocColumns *columns, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  tess_doc_columns_check_list (columns, arg, path);
  if (arg->type != TESS_DOC_ARRAY && !is_literal (arg))
    return FALSE;
  g_ptr_array_set_size (columns->names, 0);
  if (arg->type != TESS_DOC_ARRAY)
    {
      tess_doc_columns_add (columns, arg->string);
      return TRUE;
    }
  for (guint i = 0; i < tess_doc_node_get_length (arg); i++)
    if (is_literal (tess_doc_node_get_index (arg, i)))
      tess_doc_columns_add (columns, tess_doc_node_get_index (arg, i)->string);
    else
      return FALSE; /* not knowable before running */
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

static gboolean
select_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  g_auto (GStrv) names = node_to_names (arg, tess_doc_sql_get_values (sql));
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

/* rename: {"old": "new", ...} */

static void
validate_rename (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  if (!tess_document_expect_type (self, arg, path, TESS_DOC_OBJECT))
    return;
  for (guint i = 0; i < tess_doc_node_get_length (arg); i++)
    {
      const TessDocMember *m = tess_doc_node_get_member_index (arg, i);
      g_autofree char *mpath = tess_document_path_member (path, m->key);
      tess_document_expect_type (self, m->value, mpath, TESS_DOC_STRING);
    }
}

static TessFrame *
apply_rename (const TessDocStepContext *context,
              const TessDocStep *step,
              TessFrame *frame,
              const TessDocNode *arg,
              GError **error)
{
  g_autoptr (TessFrame) current = tess_frame_ref (frame);

  for (guint i = 0; i < tess_doc_node_get_length (arg); i++)
    {
      const TessDocMember *m = tess_doc_node_get_member_index (arg, i);
      g_autofree char *to = tess_document_node_to_text (m->value, context->values);
      TessFrame *next;
      if (find_column (current, m->key, "rename", error) == NULL)
        return NULL;
      next = tess_frame_rename (current, m->key, to, error);
      if (next == NULL)
        return NULL;
      tess_frame_unref (current);
      current = next;
    }
  return g_steal_pointer (&current);
}

static gboolean
columns_after_rename (TessDocColumns *columns, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  if (arg->type != TESS_DOC_OBJECT)
    return FALSE; /* reported when the document was parsed */
  for (guint i = 0; i < tess_doc_node_get_length (arg); i++)
    {
      const TessDocMember *m = tess_doc_node_get_member_index (arg, i);
      g_autofree char *mpath = g_strdup_printf ("%s.%s", path, m->key);
      if (!tess_doc_columns_has (columns, m->key))
        tess_doc_columns_report_unknown (columns, m->value, mpath, m->key);
      else if (m->value->type == TESS_DOC_STRING)
        for (guint c = 0; c < columns->names->len; c++)
          if (g_str_equal (g_ptr_array_index (columns->names, c), m->key))
            {
              g_free (columns->names->pdata[c]);
              columns->names->pdata[c] = g_strdup (m->value->string);
            }
    }
  return TRUE;
}

static gboolean
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

/* sort: a column, {"column", "descending"}, or an array of either */

static const char *const sort_members[] = { "column", "descending", NULL };

static void
check_sort_key (TessDocument *self, const TessDocNode *key, const char *path)
{
  tess_document_check_members (self, key, path, sort_members, "a sort key");
  tess_document_require_column (self, key, "column", path);
  tess_document_optional_bool_or_ref (self, key, "descending", path);
}

static void
validate_sort (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  if (arg->type == TESS_DOC_STRING)
    return;
  if (arg->type == TESS_DOC_OBJECT)
    {
      check_sort_key (self, arg, path);
      return;
    }
  if (!tess_document_expect_type (self, arg, path, TESS_DOC_ARRAY))
    return;
  for (guint i = 0; i < tess_doc_node_get_length (arg); i++)
    {
      TessDocNode *key = tess_doc_node_get_index (arg, i);
      g_autofree char *kpath = tess_document_path_index (path, i);
      if (key->type == TESS_DOC_STRING)
        continue;
      if (!tess_document_expect_type (self, key, kpath, TESS_DOC_OBJECT))
        continue;
      check_sort_key (self, key, kpath);
    }
}

static TessFrame *
apply_sort (const TessDocStepContext *context,
            const TessDocStep *step,
            TessFrame *frame,
            const TessDocNode *arg,
            GError **error)
{
  g_autoptr (GArray) keys = g_array_new (FALSE, TRUE, sizeof (TessSortKey));
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n = arg->type == TESS_DOC_ARRAY ? tess_doc_node_get_length (arg) : 1;

  for (guint i = 0; i < n; i++)
    {
      const TessDocNode *key_node = arg->type == TESS_DOC_ARRAY ? tess_doc_node_get_index (arg, i) : arg;
      const TessDocNode *column_node = key_node;
      TessSortKey key = { 0 };
      if (key_node->type == TESS_DOC_OBJECT)
        {
          TessDocNode *desc = tess_doc_node_get (key_node, "descending");
          column_node = tess_doc_node_get (key_node, "column");
          key.descending = desc && tess_document_node_to_boolean (desc, context->values);
        }
      char *name = tess_document_node_to_text (column_node, context->values);
      g_ptr_array_add (names, name);
      if (find_column (frame, name, "sort", error) == NULL)
        return NULL;
      key.column = name;
      g_array_append_val (keys, key);
    }
  return tess_frame_sort (frame, (TessSortKey *) keys->data, keys->len, error);
}

static gboolean
columns_after_sort (TessDocColumns *columns, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  for (guint i = 0; i < (arg->type == TESS_DOC_ARRAY ? tess_doc_node_get_length (arg) : 1); i++)
    {
      const TessDocNode *key = arg->type == TESS_DOC_ARRAY ? tess_doc_node_get_index (arg, i) : arg;
      g_autofree char *kpath = arg->type == TESS_DOC_ARRAY ? g_strdup_printf ("%s[%u]", path, i) : g_strdup (path);
      if (key->type == TESS_DOC_OBJECT)
        {
          g_autofree char *cpath = g_strdup_printf ("%s.column", kpath);
          tess_doc_columns_check (columns, tess_doc_node_get (key, "column"), cpath);
        }
      else
        tess_doc_columns_check (columns, key, kpath);
    }
  return TRUE;
}

/* A sort adds no level: its keys become the order the statement's rows
 * follow (tess-document-sql.h). */
static gboolean
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

/* head, tail: a row count */

static void
validate_row_count (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  if (arg->type == TESS_DOC_STRING && tess_document_is_reference_node (arg))
    return;
  if (tess_document_expect_type (self, arg, path, TESS_DOC_NUMBER) && (!arg->is_integer || arg->number < 0))
    tess_document_error_at (self, arg, path, "\"%s\" takes a row count, a whole number >= 0", step->name);
}

static TessFrame *
apply_row_count (TessFrame *frame, const TessDocNode *arg, GHashTable *values, gboolean head, GError **error)
{
  double count = 0;

  if (!tess_document_node_to_number (arg, values, &count) || count < 0)
    {
      g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID, "%s: the row count is not a number >= 0",
                   head ? "head" : "tail");
      return NULL;
    }
  return head ? tess_frame_head (frame, (gsize) count) : tess_frame_tail (frame, (gsize) count);
}

static TessFrame *
apply_head (const TessDocStepContext *context,
            const TessDocStep *step,
            TessFrame *frame,
            const TessDocNode *arg,
            GError **error)
{
  return apply_row_count (frame, arg, context->values, TRUE, error);
}

static TessFrame *
apply_tail (const TessDocStepContext *context,
            const TessDocStep *step,
            TessFrame *frame,
            const TessDocNode *arg,
            GError **error)
{
  return apply_row_count (frame, arg, context->values, FALSE, error);
}

/* head: LIMIT, after the order the rows follow. */
static gboolean
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

/* group_by: {"keys", "aggregates": [{"column", "op", "as"}]} */

static const char *const group_by_members[] = { "keys", "aggregates", NULL };
static const char *const aggregate_members[] = { "column", "op", "as", NULL };
static const char *const aggregate_ops[] = { "count", "sum", "mean", "min", "max", "median", "distinct", NULL };

static void
check_aggregate (TessDocument *self, const TessDocNode *agg, const char *path)
{
  TessDocNode *op;

  if (!tess_document_expect_type (self, agg, path, TESS_DOC_OBJECT))
    return;
  tess_document_check_members (self, agg, path, aggregate_members, "an aggregate");
  op = tess_doc_node_get (agg, "op");
  g_autofree char *opath = tess_document_path_member (path, "op");
  if (op == NULL)
    {
      tess_document_error_missing (
          self, agg, opath,
          "missing member \"op\": one of \"count\", \"sum\", \"mean\", \"min\", \"max\", \"median\" or \"distinct\"");
      return;
    }
  if (!tess_document_expect_type (self, op, opath, TESS_DOC_STRING))
    return;
  if (!tess_document_strv_contains (aggregate_ops, op->string))
    {
      g_autofree char *hint = tess_document_did_you_mean (op->string, aggregate_ops);
      tess_document_error_at (self, op, opath, "unknown aggregate \"%s\"%s", op->string, hint);
    }
  else if (!g_str_equal (op->string, "count"))
    tess_document_require_column (self, agg, "column", path);
}

static void
validate_group_by (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  TessDocNode *keys, *aggs;

  if (!expect_object_argument (self, step, arg, path))
    return;
  keys = tess_doc_node_get (arg, "keys");
  aggs = tess_doc_node_get (arg, "aggregates");
  g_autofree char *kpath = tess_document_path_member (path, "keys");
  g_autofree char *gpath = tess_document_path_member (path, "aggregates");
  if (keys == NULL)
    tess_document_error_missing (self, arg, kpath, "missing member \"keys\": the columns to group by");
  else
    tess_document_check_column_names (self, keys, kpath, "keys");
  if (aggs == NULL)
    tess_document_error_missing (self, arg, gpath, "missing member \"aggregates\": what to compute per group");
  else if (tess_document_expect_type (self, aggs, gpath, TESS_DOC_ARRAY))
    for (guint i = 0; i < tess_doc_node_get_length (aggs); i++)
      {
        g_autofree char *ipath = tess_document_path_index (gpath, i);
        check_aggregate (self, tess_doc_node_get_index (aggs, i), ipath);
      }
}

static TessFrame *
apply_group_by (const TessDocStepContext *context,
                const TessDocStep *step,
                TessFrame *frame,
                const TessDocNode *arg,
                GError **error)
{
  g_auto (GStrv) keys = node_to_names (tess_doc_node_get (arg, "keys"), context->values);
  TessDocNode *aggs = tess_doc_node_get (arg, "aggregates");
  guint n_aggs = tess_doc_node_get_length (aggs);
  g_autofree TessAggregation *aggregations = g_new0 (TessAggregation, MAX (n_aggs, 1));
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

  if (!check_frame_columns (frame, (const char *const *) keys, "group_by", error))
    return NULL;
  for (guint a = 0; a < n_aggs; a++)
    {
      TessDocNode *agg = tess_doc_node_get_index (aggs, a);
      TessDocNode *column = tess_doc_node_get (agg, "column");
      TessDocNode *as = tess_doc_node_get (agg, "as");
      if (!tess_aggregate_op_from_string (tess_doc_node_get (agg, "op")->string, &aggregations[a].op))
        {
          g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID, "group_by: unknown aggregate \"%s\"",
                       tess_doc_node_get (agg, "op")->string);
          return NULL;
        }
      if (column)
        {
          char *name = tess_document_node_to_text (column, context->values);
          g_ptr_array_add (strings, name);
          if (find_column (frame, name, "group_by", error) == NULL)
            return NULL;
          aggregations[a].column = name;
        }
      if (as)
        {
          char *name = tess_document_node_to_text (as, context->values);
          g_ptr_array_add (strings, name);
          aggregations[a].name = name;
        }
    }
  return tess_frame_group_by (frame, (const char *const *) keys, aggregations, n_aggs, error);
}

/* Checks an aggregate's column and adds the column it makes to @next. */
static void
aggregate_columns (TessDocColumns *columns, const TessDocNode *agg, const char *path, TessDocColumns *next)
{
  TessDocNode *column = tess_doc_node_get (agg, "column");
  TessDocNode *agg_op = tess_doc_node_get (agg, "op");
  TessDocNode *as = tess_doc_node_get (agg, "as");
  g_autofree char *cpath = g_strdup_printf ("%s.column", path);

  tess_doc_columns_check (columns, column, cpath);
  if (is_literal (as))
    tess_doc_columns_add (next, as->string);
  else if (agg_op && agg_op->type == TESS_DOC_STRING && is_literal (column))
    {
      g_autofree char *made = g_strdup_printf ("%s_%s", column->string, agg_op->string);
      tess_doc_columns_add (next, made);
    }
  else if (agg_op && agg_op->type == TESS_DOC_STRING && column == NULL)
    tess_doc_columns_add (next, agg_op->string);
}

/* After a group_by, the columns are its keys and then its aggregates. */
static gboolean
columns_after_group_by (TessDocColumns *columns, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  TessDocNode *keys = tess_doc_node_get (arg, "keys");
  TessDocNode *aggs = tess_doc_node_get (arg, "aggregates");
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  TessDocColumns next = { columns->document, names, NULL, NULL };
  g_autofree char *kpath = g_strdup_printf ("%s.keys", path);

  tess_doc_columns_check_list (columns, keys, kpath);
  if (keys && keys->type == TESS_DOC_ARRAY)
    {
      for (guint i = 0; i < tess_doc_node_get_length (keys); i++)
        if (is_literal (tess_doc_node_get_index (keys, i)))
          tess_doc_columns_add (&next, tess_doc_node_get_index (keys, i)->string);
    }
  else if (is_literal (keys))
    tess_doc_columns_add (&next, keys->string);
  for (guint i = 0; i < tess_doc_node_get_length (aggs); i++)
    {
      g_autofree char *apath = g_strdup_printf ("%s.aggregates[%u]", path, i);
      aggregate_columns (columns, tess_doc_node_get_index (aggs, i), apath, &next);
    }
  set_columns (columns, names);
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
static gboolean
group_by_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  GHashTable *values = tess_doc_sql_get_values (sql);
  g_auto (GStrv) keys = node_to_names (tess_doc_node_get (arg, "keys"), values);
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

/* bucket: {"column", "unit", "as"} */

static const char *const bucket_members[] = { "column", "unit", "as", NULL };
static const char *const bucket_units[] = { "minute", "hour", "day", "week", "month", "quarter", "year", NULL };

static void
validate_bucket (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  TessDocNode *unit;

  if (!expect_object_argument (self, step, arg, path))
    return;
  tess_document_require_column (self, arg, "column", path);
  unit = tess_doc_node_get (arg, "unit");
  g_autofree char *upath = tess_document_path_member (path, "unit");
  if (unit == NULL)
    tess_document_error_missing (self, arg, upath,
                                 "missing member \"unit\": minute, hour, day, week, month, quarter or year");
  else if (tess_document_expect_type (self, unit, upath, TESS_DOC_STRING) &&
           !tess_document_strv_contains (bucket_units, unit->string) && !tess_document_is_reference_node (unit))
    {
      g_autofree char *hint = tess_document_did_you_mean (unit->string, bucket_units);
      tess_document_error_at (self, unit, upath, "unknown time unit \"%s\"%s", unit->string, hint);
    }
  g_free (tess_document_optional_string (self, arg, "as", path));
}

static TessFrame *
apply_bucket (const TessDocStepContext *context,
              const TessDocStep *step,
              TessFrame *frame,
              const TessDocNode *arg,
              GError **error)
{
  g_autofree char *name = tess_document_node_to_text (tess_doc_node_get (arg, "column"), context->values);
  g_autofree char *unit_name = tess_document_node_to_text (tess_doc_node_get (arg, "unit"), context->values);
  TessDocNode *as = tess_doc_node_get (arg, "as");
  g_autofree char *as_name = as ? tess_document_node_to_text (as, context->values) : NULL;
  TessTimeUnit unit;

  if (find_column (frame, name, "bucket", error) == NULL)
    return NULL;
  if (!tess_time_unit_from_string (unit_name, &unit))
    {
      g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID,
                   "bucket: \"%s\" is not a time unit; use minute, hour, day, week, month, quarter or year", unit_name);
      return NULL;
    }
  return tess_frame_time_bucket (frame, name, unit, as_name, error);
}

static gboolean
columns_after_bucket (TessDocColumns *columns, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  TessDocNode *as = tess_doc_node_get (arg, "as");
  g_autofree char *cpath = g_strdup_printf ("%s.column", path);

  tess_doc_columns_check (columns, tess_doc_node_get (arg, "column"), cpath);
  if (is_literal (as))
    tess_doc_columns_add (columns, as->string);
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
static gboolean
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
      !tess_document_strv_contains (bucket_units, unit))
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

/* rolling: {"column", "window", "op", "as"} */

static const char *const rolling_members[] = { "column", "window", "op", "as", NULL };

static void
validate_rolling (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  TessDocNode *window, *rop;

  if (!expect_object_argument (self, step, arg, path))
    return;
  tess_document_require_column (self, arg, "column", path);
  window = tess_doc_node_get (arg, "window");
  g_autofree char *wpath = tess_document_path_member (path, "window");
  if (window == NULL)
    tess_document_error_missing (self, arg, wpath, "missing member \"window\": how many rows the window spans");
  else if (!tess_document_is_reference_node (window) &&
           tess_document_expect_type (self, window, wpath, TESS_DOC_NUMBER) &&
           (!window->is_integer || window->number < 1))
    tess_document_error_at (self, window, wpath, "the window is a whole number of rows, at least 1");
  rop = tess_doc_node_get (arg, "op");
  g_autofree char *rpath = tess_document_path_member (path, "op");
  if (rop && tess_document_expect_type (self, rop, rpath, TESS_DOC_STRING) && !g_str_equal (rop->string, "mean") &&
      !g_str_equal (rop->string, "sum"))
    tess_document_error_at (self, rop, rpath, "a rolling window computes \"mean\" or \"sum\"");
  g_free (tess_document_optional_string (self, arg, "as", path));
}

static TessFrame *
apply_rolling (const TessDocStepContext *context,
               const TessDocStep *step,
               TessFrame *frame,
               const TessDocNode *arg,
               GError **error)
{
  g_autofree char *name = tess_document_node_to_text (tess_doc_node_get (arg, "column"), context->values);
  TessDocNode *as = tess_doc_node_get (arg, "as"), *op = tess_doc_node_get (arg, "op");
  g_autofree char *as_name = as ? tess_document_node_to_text (as, context->values) : NULL;
  double window = 1;

  if (find_column (frame, name, "rolling", error) == NULL)
    return NULL;
  if (!tess_document_node_to_number (tess_doc_node_get (arg, "window"), context->values, &window) || window < 1)
    window = 1;
  if (op && g_str_equal (op->string, "sum"))
    return tess_frame_rolling_sum (frame, name, (guint) MIN (window, G_MAXUINT), as_name, error);
  return tess_frame_rolling_mean (frame, name, (guint) MIN (window, G_MAXUINT), as_name, error);
}

static gboolean
columns_after_rolling (TessDocColumns *columns, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  TessDocNode *column = tess_doc_node_get (arg, "column");
  TessDocNode *as = tess_doc_node_get (arg, "as");
  g_autofree char *cpath = g_strdup_printf ("%s.column", path);

  tess_doc_columns_check (columns, column, cpath);
  if (is_literal (as))
    tess_doc_columns_add (columns, as->string);
  else if (is_literal (column))
    {
      TessDocNode *rop = tess_doc_node_get (arg, "op");
      g_autofree char *made =
          g_strdup_printf ("%s_rolling_%s", column->string, rop && rop->type == TESS_DOC_STRING ? rop->string : "mean");
      tess_doc_columns_add (columns, made);
    }
  return TRUE;
}

/* derive: {"as", "expr"} */

static const char *const derive_members[] = { "as", "expr", NULL };

static void
validate_derive (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  TessDocNode *as, *expr;

  if (!expect_object_argument (self, step, arg, path))
    return;
  as = tess_doc_node_get (arg, "as");
  expr = tess_doc_node_get (arg, "expr");
  g_autofree char *aspath = tess_document_path_member (path, "as");
  g_autofree char *epath = tess_document_path_member (path, "expr");
  if (as == NULL)
    tess_document_error_missing (self, arg, aspath, "missing member \"as\": the new column's name");
  else
    tess_document_expect_type (self, as, aspath, TESS_DOC_STRING);
  if (expr == NULL)
    tess_document_error_missing (self, arg, epath, "missing member \"expr\": an arithmetic expression over columns");
  else if (tess_document_expect_type (self, expr, epath, TESS_DOC_STRING) && strchr (expr->string, '$') == NULL)
    {
      /* As written, the expression is what the run parses: its syntax, its
       * functions and its length fail here with the run's own message. One
       * that inputs complete is only known when the fragment runs. */
      g_autoptr (GError) error = NULL;
      if (!tess_expression_check (expr->string, tess_document_suggest, &error))
        tess_document_error_at (self, expr, epath, "%s", error->message);
    }
}

static TessFrame *
apply_derive (const TessDocStepContext *context,
              const TessDocStep *step,
              TessFrame *frame,
              const TessDocNode *arg,
              GError **error)
{
  g_autofree char *as = tess_document_node_to_text (tess_doc_node_get (arg, "as"), context->values);
  g_autofree char *text = tess_document_node_to_text (tess_doc_node_get (arg, "expr"), context->values);

  return tess_frame_derive (frame, as, text, error);
}

/* Every bare name in the expression @expr is a column; a name followed by
 * "(" is a function, a name in backticks is always a column. */
static void
check_expression_columns (TessDocColumns *columns, const TessDocNode *expr, const char *path)
{
  for (const char *p = expr->string; *p;)
    {
      if (g_ascii_isalpha (*p) || *p == '_' || *p == '`')
        {
          const char *word = p;
          g_autofree char *name = NULL;
          const char *after;
          if (*p == '`')
            {
              const char *close = strchr (p + 1, '`');
              if (close == NULL)
                break;
              name = g_strndup (p + 1, close - p - 1);
              p = close + 1;
            }
          else
            {
              while (g_ascii_isalnum (*p) || *p == '_' || *p == '.')
                p++;
              name = g_strndup (word, p - word);
            }
          after = p;
          while (*after == ' ')
            after++;
          if (*after == '(' && *word != '`')
            continue; /* a function: abs(), sqrt(), ... */
          if (!tess_doc_columns_has (columns, name))
            tess_doc_columns_report_unknown (columns, expr, path, name);
        }
      else if (g_ascii_isdigit (*p) || *p == '.')
        {
          while (g_ascii_isalnum (*p) || *p == '.')
            p++;
        }
      else
        p++;
    }
}

static gboolean
columns_after_derive (TessDocColumns *columns, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  TessDocNode *expr = tess_doc_node_get (arg, "expr");
  TessDocNode *as = tess_doc_node_get (arg, "as");
  g_autofree char *epath = g_strdup_printf ("%s.expr", path);

  if (is_literal (expr))
    check_expression_columns (columns, expr, epath);
  if (is_literal (as))
    tess_doc_columns_add (columns, as->string);
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
static gboolean
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

/* join: {"source", "on", "how"} */

static const char *const join_members[] = { "source", "on", "how", NULL };

static void
validate_join (TessDocument *self, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  TessDocNode *src, *on, *how;

  if (!expect_object_argument (self, step, arg, path))
    return;
  src = tess_doc_node_get (arg, "source");
  on = tess_doc_node_get (arg, "on");
  how = tess_doc_node_get (arg, "how");
  g_autofree char *spath = tess_document_path_member (path, "source");
  g_autofree char *onpath = tess_document_path_member (path, "on");
  g_autofree char *hpath = tess_document_path_member (path, "how");
  if (src == NULL)
    tess_document_error_missing (self, arg, spath, "missing member \"source\": the source to join with");
  else if (tess_document_expect_type (self, src, spath, TESS_DOC_STRING) &&
           !tess_document_lookup_source (self, src->string))
    tess_document_error_unknown_source (self, src, spath);
  if (on == NULL)
    tess_document_error_missing (self, arg, onpath, "missing member \"on\": the key columns both sides share");
  else
    tess_document_check_column_names (self, on, onpath, "on");
  if (how && tess_document_expect_type (self, how, hpath, TESS_DOC_STRING) && !g_str_equal (how->string, "left") &&
      !g_str_equal (how->string, "inner"))
    tess_document_error_at (self, how, hpath, "a join is \"left\" or \"inner\"");
}

static TessFrame *
apply_join (const TessDocStepContext *context,
            const TessDocStep *step,
            TessFrame *frame,
            const TessDocNode *arg,
            GError **error)
{
  TessDocument *document = context->document;
  TessDocSource *source = tess_document_lookup_source (document, tess_doc_node_get (arg, "source")->string);
  g_auto (GStrv) on = node_to_names (tess_doc_node_get (arg, "on"), context->values);
  TessDocNode *how = tess_doc_node_get (arg, "how");
  g_autoptr (TessFrame) right = NULL;

  if (!check_frame_columns (frame, (const char *const *) on, "join", error))
    return NULL;
  right = context->run ? tess_document_load_source (document, source, context->run, context->values, error)
                       : tess_document_load_source_sync (document, source, NULL, error);
  if (right == NULL)
    return NULL;
  if (!check_frame_columns (right, (const char *const *) on, "join", error))
    return NULL;
  return tess_frame_join (frame, right, (const char *const *) on, NULL,
                          how && g_str_equal (how->string, "inner") ? TESS_JOIN_INNER : TESS_JOIN_LEFT, error);
}

/* TRUE when @name is one of the key columns @on names. */
static gboolean
is_join_key (const TessDocNode *on, const char *name)
{
  gboolean is_key = on->type == TESS_DOC_STRING ? g_str_equal (on->string, name) : FALSE;

  for (guint k = 0; on->type == TESS_DOC_ARRAY && k < tess_doc_node_get_length (on); k++)
    if (tess_doc_node_get_index (on, k)->type == TESS_DOC_STRING &&
        g_str_equal (tess_doc_node_get_index (on, k)->string, name))
      is_key = TRUE;
  return is_key;
}

static gboolean
columns_after_join (TessDocColumns *columns, const TessDocStep *step, const TessDocNode *arg, const char *path)
{
  TessDocNode *src = tess_doc_node_get (arg, "source");
  TessDocNode *on = tess_doc_node_get (arg, "on");
  TessDocSource *source =
      src && src->type == TESS_DOC_STRING ? tess_document_lookup_source (columns->document, src->string) : NULL;
  g_auto (GStrv) other = source && columns->join_columns ? columns->join_columns (source, columns->user_data) : NULL;
  g_autofree char *onpath = g_strdup_printf ("%s.on", path);

  tess_doc_columns_check_list (columns, on, onpath);
  if (other == NULL || on == NULL)
    return FALSE; /* the other side's columns are unknown */
  for (guint i = 0; other[i]; i++)
    if (!tess_doc_columns_has (columns, other[i]))
      tess_doc_columns_add (columns, other[i]);
    else if (!is_join_key (on, other[i]))
      {
        g_autofree char *renamed = g_strdup_printf ("%s_right", other[i]);
        tess_doc_columns_add (columns, renamed);
      }
  return TRUE;
}

/* join: with another table of the same database, in the statement. */
static gboolean
join_to_sql (TessDocSql *sql, const TessDocStep *step, const TessDocNode *arg, GError **error)
{
  TessDocument *document = tess_doc_sql_get_document (sql);
  TessDocSource *source = tess_document_lookup_source (document, tess_doc_node_get (arg, "source")->string);
  g_auto (GStrv) on = node_to_names (tess_doc_node_get (arg, "on"), tess_doc_sql_get_values (sql));
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

/* The table */

static const TessDocStep steps[] = {
  { "filter", condition_members, validate_filter, apply_filter, columns_after_filter, filter_to_sql },
  { "select", NULL, validate_select, apply_select, columns_after_select, select_to_sql },
  { "rename", NULL, validate_rename, apply_rename, columns_after_rename, rename_to_sql },
  { "sort", sort_members, validate_sort, apply_sort, columns_after_sort, sort_to_sql },
  { "head", NULL, validate_row_count, apply_head, NULL, head_to_sql },
  { "tail", NULL, validate_row_count, apply_tail, NULL, NULL },
  { "group_by", group_by_members, validate_group_by, apply_group_by, columns_after_group_by, group_by_to_sql },
  { "bucket", bucket_members, validate_bucket, apply_bucket, columns_after_bucket, bucket_to_sql },
  { "rolling", rolling_members, validate_rolling, apply_rolling, columns_after_rolling, NULL },
  { "derive", derive_members, validate_derive, apply_derive, columns_after_derive, derive_to_sql },
  { "join", join_members, validate_join, apply_join, columns_after_join, join_to_sql },
};

const TessDocStep *
tess_doc_steps_get (guint *n_steps)
{
  g_return_val_if_fail (n_steps != NULL, NULL);
  *n_steps = G_N_ELEMENTS (steps);
  return steps;
}

const TessDocStep *
tess_doc_step_lookup (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (steps); i++)
    if (g_str_equal (steps[i].name, name))
      return &steps[i];
  return NULL;
}

char **
tess_doc_step_names (void)
{
  char **names = g_new0 (char *, G_N_ELEMENTS (steps) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    names[i] = g_strdup (steps[i].name);
  return names;
}
