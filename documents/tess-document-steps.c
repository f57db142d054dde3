/* tess-document-steps.c: every pipeline step of a document fragment, and the
 * table that names them.
 *
 * Each step has its functions next to each other below: one that checks its
 * argument when the document is parsed, one that applies it to a frame when
 * the fragment runs, one that follows the columns it names and makes for
 * `tessera --check`. For steps a database can compute, the one that adds the
 * step to the SQL statement of a fragment over a database table
 * (tess-document-sql.h) is in tess-document-steps-sql.c. The table at the
 * end is the only list of steps:
 * parsing, the column check, running and compiling to SQL all look steps up
 * in it.
 *
 * Applying a step takes an immutable frame and returns a new one; unchanged
 * columns are shared. A step applies only arguments that passed validation, so
 * a malformed argument cannot reach it; the column check, though, follows
 * documents that have problems too, and must not trust their shapes.
 */
#include "tess-document-steps-private.h"
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
char **
tess_doc_step_node_to_names (const TessDocNode *node, GHashTable *values)
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
  g_auto (GStrv) names = tess_doc_step_node_to_names (arg, context->values);

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

/* Runs the group_by of @arg over @frame, or over the rows of @frame that
 * @where keeps when not NULL (tess_frame_filter_group_by()). */
static TessFrame *
group_by_where (const TessDocStepContext *context,
                TessFrame *frame,
                const TessPredicate *where,
                const TessDocNode *arg,
                GError **error)
{
  g_auto (GStrv) keys = tess_doc_step_node_to_names (tess_doc_node_get (arg, "keys"), context->values);
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
  if (where)
    return tess_frame_filter_group_by (frame, where, (const char *const *) keys, aggregations, n_aggs, error);
  return tess_frame_group_by (frame, (const char *const *) keys, aggregations, n_aggs, error);
}

static TessFrame *
apply_group_by (const TessDocStepContext *context,
                const TessDocStep *step,
                TessFrame *frame,
                const TessDocNode *arg,
                GError **error)
{
  return group_by_where (context, frame, NULL, arg, error);
}

TessFrame *
tess_doc_step_apply_filter_group_by (const TessDocStepContext *context,
                                     TessFrame *frame,
                                     const TessDocNode *filter_arg,
                                     const TessDocNode *group_by_arg,
                                     guint *failed_step,
                                     GError **error)
{
  g_autoptr (TessPredicate) predicate = NULL;
  gboolean always = FALSE;

  /* the filter's errors first, then the group_by's, as step by step: the
   * filtered frame has the same columns, so the group_by's checks of them
   * give the same answers on @frame */
  *failed_step = 0;
  predicate = build_predicate (filter_arg, frame, context->values, &always, error);
  if (predicate == NULL && !always)
    return NULL;
  if (predicate && !tess_predicate_eval_rows (frame, predicate, 0, 0, NULL, error))
    return NULL;
  *failed_step = 1;
  return group_by_where (context, frame, predicate, group_by_arg, error);
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

/* bucket: {"column", "unit", "as"} */

static const char *const bucket_members[] = { "column", "unit", "as", NULL };
const char *const tess_doc_step_bucket_units[] = { "minute", "hour", "day", "week", "month", "quarter", "year", NULL };

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
           !tess_document_strv_contains (tess_doc_step_bucket_units, unit->string) &&
           !tess_document_is_reference_node (unit))
    {
      g_autofree char *hint = tess_document_did_you_mean (unit->string, tess_doc_step_bucket_units);
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
  g_auto (GStrv) on = tess_doc_step_node_to_names (tess_doc_node_get (arg, "on"), context->values);
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

/* The table */

static const TessDocStep steps[] = {
  { "filter", condition_members, validate_filter, apply_filter, columns_after_filter, filter_to_sql,
    filter_columns_before },
  { "select", NULL, validate_select, apply_select, columns_after_select, select_to_sql, select_columns_before },
  { "rename", NULL, validate_rename, apply_rename, columns_after_rename, rename_to_sql, rename_columns_before },
  { "sort", sort_members, validate_sort, apply_sort, columns_after_sort, sort_to_sql, sort_columns_before },
  { "head", NULL, validate_row_count, apply_head, NULL, head_to_sql, rows_columns_before },
  { "tail", NULL, validate_row_count, apply_tail, NULL, NULL, rows_columns_before },
  { "group_by", group_by_members, validate_group_by, apply_group_by, columns_after_group_by, group_by_to_sql,
    group_by_columns_before },
  { "bucket", bucket_members, validate_bucket, apply_bucket, columns_after_bucket, bucket_to_sql,
    column_to_column_before },
  { "rolling", rolling_members, validate_rolling, apply_rolling, columns_after_rolling, NULL, column_to_column_before },
  { "derive", derive_members, validate_derive, apply_derive, columns_after_derive, derive_to_sql,
    derive_columns_before },
  /* the other side of a join may bring any name: it uses every column */
  { "join", join_members, validate_join, apply_join, columns_after_join, join_to_sql, NULL },
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
