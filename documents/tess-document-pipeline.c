/* tess-document-pipeline.c: loading, substitution and the pipeline steps of
 * document fragments.
 *
 * Each step takes an immutable frame and returns a new one; unchanged columns
 * are shared. The steps read their arguments from the validated document, so a
 * malformed argument cannot reach here.
 */
#include "tess-document-pipeline.h"
#include "tess-format-private.h"

#include "tess-csv.h"
#include "tess-load.h"
#include "tess-source.h"
#include "tess-transform.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Substitution */

char *
tess_document_format_value (GVariant *value)
{
  if (value == NULL)
    return g_strdup ("");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return tess_format_double (g_variant_get_double (value), -1);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (value, NULL);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "true" : "false");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
    {
      g_autofree const char **strv = g_variant_get_strv (value, NULL);
      return g_strjoinv (", ", (char **) strv);
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE ("(dd)")))
    {
      double lo, hi;
      g_variant_get (value, "(dd)", &lo, &hi);
      g_autoptr (GVariant) a = g_variant_ref_sink (g_variant_new_double (lo));
      g_autoptr (GVariant) b = g_variant_ref_sink (g_variant_new_double (hi));
      g_autofree char *sa = tess_document_format_value (a);
      g_autofree char *sb = tess_document_format_value (b);
      return g_strdup_printf ("%s – %s", sa, sb);
    }
  return g_variant_print (value, FALSE);
}

char *
tess_document_substitute (const char *text, GHashTable *values)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p;)
    {
      if (p[0] == '$' && p[1] == '$')
        {
          g_string_append_c (out, '$');
          p += 2;
        }
      else if (p[0] == '$' && p[1] == '{' && strchr (p, '}') != NULL)
        {
          const char *end = strchr (p, '}');
          g_autofree char *name = g_strndup (p + 2, end - p - 2);
          if (g_str_has_prefix (name, "env:"))
            {
              /* Only source URIs reach here with ${env:NAME} (validation forbids it elsewhere). */
              const char *v = g_getenv (name + 4);
              g_string_append (out, v ? v : "");
            }
          else
            {
              g_autofree char *v = tess_document_format_value (values ? g_hash_table_lookup (values, name) : NULL);
              g_string_append (out, v);
            }
          p = end + 1;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static GVariant *
lookup_reference (const TessDocNode *node, GHashTable *values)
{
  g_autofree char *name = NULL;

  if (node == NULL || node->type != TESS_DOC_STRING || values == NULL)
    return NULL;
  name = tess_document_parse_reference (node->string);
  return name ? g_hash_table_lookup (values, name) : NULL;
}

char *
tess_document_node_to_text (const TessDocNode *node, GHashTable *values)
{
  GVariant *ref = lookup_reference (node, values);

  if (ref)
    return tess_document_format_value (ref);
  switch (node->type)
    {
    case TESS_DOC_STRING:
      return tess_document_substitute (node->string, values);
    case TESS_DOC_NUMBER:
      {
        g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_new_double (node->number));
        return tess_document_format_value (v);
      }
    case TESS_DOC_BOOL:
      return g_strdup (node->boolean ? "true" : "false");
    default:
      return tess_doc_node_to_string (node);
    }
}

gboolean
tess_document_node_to_number (const TessDocNode *node, GHashTable *values, double *out)
{
  GVariant *ref = lookup_reference (node, values);

  if (ref && g_variant_is_of_type (ref, G_VARIANT_TYPE_DOUBLE))
    {
      *out = g_variant_get_double (ref);
      return TRUE;
    }
  if (ref && g_variant_is_of_type (ref, G_VARIANT_TYPE_BOOLEAN))
    {
      *out = g_variant_get_boolean (ref);
      return TRUE;
    }
  if (node && node->type == TESS_DOC_NUMBER)
    {
      *out = node->number;
      return TRUE;
    }
  return FALSE;
}

gboolean
tess_document_node_to_boolean (const TessDocNode *node, GHashTable *values)
{
  GVariant *ref = lookup_reference (node, values);

  if (ref && g_variant_is_of_type (ref, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (ref);
  if (ref && g_variant_is_of_type (ref, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (ref) != 0;
  if (node && node->type == TESS_DOC_BOOL)
    return node->boolean;
  return FALSE;
}

gboolean
tess_document_parse_duration (const char *text, double *seconds)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);

  if (end == text || !isfinite (v) || v < 0)
    return FALSE;
  if (*end == '\0' || g_str_equal (end, "s"))
    *seconds = v;
  else if (g_str_equal (end, "ms"))
    *seconds = v / 1000;
  else if (g_str_equal (end, "m") || g_str_equal (end, "min"))
    *seconds = v * 60;
  else if (g_str_equal (end, "h"))
    *seconds = v * 3600;
  else
    return FALSE;
  return TRUE;
}

/* Loading */

typedef struct
{
  char *uri;
  TessLoadOptions options;
  char **headers;
} LoadRequest;

static void
load_request_clear (LoadRequest *request)
{
  g_free (request->uri);
  g_strfreev (request->headers);
}

static void
load_request_init (LoadRequest *request, TessDocument *document, TessDocSource *source, GHashTable *values)
{
  g_autofree char *substituted = tess_document_substitute (source->uri, values);
  TessDocNode *n;

  memset (request, 0, sizeof *request);
  request->uri = tess_document_resolve_uri (document, substituted);
  if (source->format == NULL)
    request->options.format = TESS_FORMAT_AUTO;
  else if (g_str_equal (source->format, "csv"))
    request->options.format = TESS_FORMAT_CSV;
  else if (g_str_equal (source->format, "json"))
    request->options.format = TESS_FORMAT_JSON;
  else
    request->options.format = TESS_FORMAT_NDJSON;
  request->options.ttl = source->ttl;
  if (source->options)
    {
      if ((n = tess_doc_node_get (source->options, "delimiter")) != NULL)
        request->options.csv.delimiter = n->string[0];
      if ((n = tess_doc_node_get (source->options, "header")) != NULL)
        request->options.csv.header = n->boolean ? TESS_CSV_HEADER_PRESENT : TESS_CSV_HEADER_ABSENT;
      if ((n = tess_doc_node_get (source->options, "lenient")) != NULL)
        request->options.csv.lenient = n->boolean;
    }
  if (source->header_names && source->header_names[0])
    {
      guint n_headers = g_strv_length (source->header_names);
      request->headers = g_new0 (char *, n_headers + 1);
      /* ${env:NAME} stays as written: the source layer reads the variable when it
       * sends the request, so the secret never passes through here. */
      for (guint i = 0; i < n_headers; i++)
        request->headers[i] = g_strdup_printf ("%s: %s", source->header_names[i], source->header_values[i]);
      request->options.headers = (const char *const *) request->headers;
    }
}

/* An error about a URI built with ${env:NAME} may quote the URI: put the
 * variable's name back in place of its value, so the secret is never shown. */
static void
hide_secrets (const char *uri_as_written, GError *error)
{
  for (const char *p = uri_as_written; (p = strstr (p, "${env:")) != NULL;)
    {
      const char *end = strchr (p, '}');
      if (end == NULL)
        break;
      g_autofree char *name = g_strndup (p + 6, end - p - 6);
      const char *value = g_getenv (name);
      if (value && *value)
        {
          g_autofree char *placeholder = g_strdup_printf ("${env:%s}", name);
          g_auto (GStrv) parts = g_strsplit (error->message, value, -1);
          g_free (error->message);
          error->message = g_strjoinv (placeholder, parts);
        }
      p = end + 1;
    }
}

TessFrame *
tess_document_load_source (
    TessDocument *document, TessDocSource *source, TessRun *run, GHashTable *values, GError **error)
{
  LoadRequest request;
  TessFrame *frame;

  load_request_init (&request, document, source, values);
  tess_run_set_status (run, "Loading…");
  frame = tess_load (run, request.uri, &request.options, error);
  if (frame == NULL && error && *error)
    {
      hide_secrets (source->uri, *error);
      g_prefix_error (error, "Source \"%s\": ", source->name);
    }
  load_request_clear (&request);
  return frame;
}

TessFrame *
tess_document_load_source_sync (TessDocument *document,
                                TessDocSource *source,
                                GCancellable *cancellable,
                                GError **error)
{
  LoadRequest request;
  TessFrame *frame;

  load_request_init (&request, document, source, NULL);
  frame = tess_source_load (request.uri, &request.options, cancellable, NULL, NULL, error);
  load_request_clear (&request);
  return frame;
}

/* Frame helpers */

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
check_columns (TessFrame *frame, const char *const *names, const char *step, GError **error)
{
  for (guint i = 0; names && names[i]; i++)
    if (find_column (frame, names[i], step, error) == NULL)
      return FALSE;
  return TRUE;
}

/* Filter */

/* The predicate for @node, or NULL with *always set when it holds for every
 * row (an empty multiselect keeps everything), or NULL with @error set. */
static TessPredicate *
build_predicate (const TessDocNode *node, TessFrame *frame, GHashTable *values, gboolean *always, GError **error)
{
  TessDocNode *list;

  *always = FALSE;
  if ((list = tess_doc_node_get (node, "all")) != NULL || (list = tess_doc_node_get (node, "any")) != NULL)
    {
      gboolean all = tess_doc_node_get (node, "all") == list;
      TessPredicate *result = NULL;
      for (guint i = 0; i < tess_doc_node_get_length (list); i++)
        {
          gboolean child_always;
          TessPredicate *child =
              build_predicate (tess_doc_node_get_index (list, i), frame, values, &child_always, error);
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
          result = result == NULL ? child
                   : all          ? tess_predicate_and (result, child)
                                  : tess_predicate_or (result, child);
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

  g_autofree char *column = tess_document_node_to_text (tess_doc_node_get (node, "column"), values);
  TessDocNode *op_node = tess_doc_node_get (node, "op");
  const char *op = op_node ? op_node->string : "==";
  TessDocNode *value = tess_doc_node_get (node, "value");
  GVariant *ref = lookup_reference (value, values);

  if (find_column (frame, column, "filter", error) == NULL)
    return NULL;
  if (g_str_equal (op, "is_null"))
    return tess_predicate_is_null (column);
  if (g_str_equal (op, "not_null"))
    return tess_predicate_is_not_null (column);
  if (g_str_equal (op, "in") || g_str_equal (op, "not_in"))
    {
      g_autoptr (GPtrArray) set = g_ptr_array_new_with_free_func (g_free);
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
  if (g_str_equal (op, "contains"))
    {
      g_autofree char *text = tess_document_node_to_text (value, values);
      return tess_predicate_contains (column, text);
    }
  if (g_str_equal (op, "year"))
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

static TessFrame *
step_filter (TessFrame *frame, const TessDocNode *arg, GHashTable *values, GError **error)
{
  g_autoptr (TessPredicate) predicate = NULL;
  gboolean always = FALSE;

  predicate = build_predicate (arg, frame, values, &always, error);
  if (predicate == NULL)
    return always ? tess_frame_ref (frame) : NULL;
  return tess_frame_filter (frame, predicate, error);
}

/* select, rename */

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
      GVariant *ref = lookup_reference (node, values);
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

static TessFrame *
step_select (TessFrame *frame, const TessDocNode *arg, GHashTable *values, GError **error)
{
  g_auto (GStrv) names = node_to_names (arg, values);

  if (!check_columns (frame, (const char *const *) names, "select", error))
    return NULL;
  return tess_frame_select (frame, (const char *const *) names, error);
}

static TessFrame *
step_rename (TessFrame *frame, const TessDocNode *arg, GHashTable *values, GError **error)
{
  g_autoptr (TessFrame) current = tess_frame_ref (frame);

  for (guint i = 0; i < tess_doc_node_get_length (arg); i++)
    {
      const TessDocMember *m = tess_doc_node_get_member_index (arg, i);
      g_autofree char *to = tess_document_node_to_text (m->value, values);
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

static TessFrame *
step_sort (TessFrame *frame, const TessDocNode *arg, GHashTable *values, GError **error)
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
          key.descending = desc && tess_document_node_to_boolean (desc, values);
        }
      char *name = tess_document_node_to_text (column_node, values);
      g_ptr_array_add (names, name);
      if (find_column (frame, name, "sort", error) == NULL)
        return NULL;
      key.column = name;
      g_array_append_val (keys, key);
    }
  return tess_frame_sort (frame, (TessSortKey *) keys->data, keys->len, error);
}

static TessFrame *
step_head_tail (TessFrame *frame, const TessDocNode *arg, GHashTable *values, gboolean head, GError **error)
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
step_group_by (TessFrame *frame, const TessDocNode *arg, GHashTable *values, GError **error)
{
  g_auto (GStrv) keys = node_to_names (tess_doc_node_get (arg, "keys"), values);
  TessDocNode *aggs = tess_doc_node_get (arg, "aggregates");
  guint n_aggs = tess_doc_node_get_length (aggs);
  g_autofree TessAggregation *aggregations = g_new0 (TessAggregation, MAX (n_aggs, 1));
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

  if (!check_columns (frame, (const char *const *) keys, "group_by", error))
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
          char *name = tess_document_node_to_text (column, values);
          g_ptr_array_add (strings, name);
          if (find_column (frame, name, "group_by", error) == NULL)
            return NULL;
          aggregations[a].column = name;
        }
      if (as)
        {
          char *name = tess_document_node_to_text (as, values);
          g_ptr_array_add (strings, name);
          aggregations[a].name = name;
        }
    }
  return tess_frame_group_by (frame, (const char *const *) keys, aggregations, n_aggs, error);
}

static TessFrame *
step_bucket (TessFrame *frame, const TessDocNode *arg, GHashTable *values, GError **error)
{
  g_autofree char *name = tess_document_node_to_text (tess_doc_node_get (arg, "column"), values);
  g_autofree char *unit_name = tess_document_node_to_text (tess_doc_node_get (arg, "unit"), values);
  TessDocNode *as = tess_doc_node_get (arg, "as");
  g_autofree char *as_name = as ? tess_document_node_to_text (as, values) : NULL;
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

static TessFrame *
step_rolling (TessFrame *frame, const TessDocNode *arg, GHashTable *values, GError **error)
{
  g_autofree char *name = tess_document_node_to_text (tess_doc_node_get (arg, "column"), values);
  TessDocNode *as = tess_doc_node_get (arg, "as"), *op = tess_doc_node_get (arg, "op");
  g_autofree char *as_name = as ? tess_document_node_to_text (as, values) : NULL;
  double window = 1;

  if (find_column (frame, name, "rolling", error) == NULL)
    return NULL;
  if (!tess_document_node_to_number (tess_doc_node_get (arg, "window"), values, &window) || window < 1)
    window = 1;
  if (op && g_str_equal (op->string, "sum"))
    return tess_frame_rolling_sum (frame, name, (guint) MIN (window, G_MAXUINT), as_name, error);
  return tess_frame_rolling_mean (frame, name, (guint) MIN (window, G_MAXUINT), as_name, error);
}

static TessFrame *
step_derive (TessFrame *frame, const TessDocNode *arg, GHashTable *values, GError **error)
{
  g_autofree char *as = tess_document_node_to_text (tess_doc_node_get (arg, "as"), values);
  g_autofree char *text = tess_document_node_to_text (tess_doc_node_get (arg, "expr"), values);

  return tess_frame_derive (frame, as, text, error);
}

static TessFrame *
step_join (
    TessDocument *document, TessFrame *frame, const TessDocNode *arg, TessRun *run, GHashTable *values, GError **error)
{
  TessDocSource *source = tess_document_lookup_source (document, tess_doc_node_get (arg, "source")->string);
  g_auto (GStrv) on = node_to_names (tess_doc_node_get (arg, "on"), values);
  TessDocNode *how = tess_doc_node_get (arg, "how");
  g_autoptr (TessFrame) right = NULL;

  if (!check_columns (frame, (const char *const *) on, "join", error))
    return NULL;
  right = run ? tess_document_load_source (document, source, run, values, error)
              : tess_document_load_source_sync (document, source, NULL, error);
  if (right == NULL)
    return NULL;
  if (!check_columns (right, (const char *const *) on, "join", error))
    return NULL;
  return tess_frame_join (frame, right, (const char *const *) on, NULL,
                          how && g_str_equal (how->string, "inner") ? TESS_JOIN_INNER : TESS_JOIN_LEFT, error);
}

TessFrame *
tess_document_apply_pipeline (TessDocument *document,
                              TessDocFragment *fragment,
                              TessFrame *frame,
                              TessRun *run,
                              GHashTable *values,
                              GError **error)
{
  g_autoptr (TessFrame) current = tess_frame_ref (frame);

  for (guint i = 0; i < tess_doc_node_get_length (fragment->pipeline); i++)
    {
      const TessDocMember *step = tess_doc_node_get_member_index (tess_doc_node_get_index (fragment->pipeline, i), 0);
      const char *op = step->key;
      TessFrame *next;

      if (run && tess_run_is_cancelled (run))
        return g_steal_pointer (&current);
      if (g_str_equal (op, "filter"))
        next = step_filter (current, step->value, values, error);
      else if (g_str_equal (op, "select"))
        next = step_select (current, step->value, values, error);
      else if (g_str_equal (op, "rename"))
        next = step_rename (current, step->value, values, error);
      else if (g_str_equal (op, "sort"))
        next = step_sort (current, step->value, values, error);
      else if (g_str_equal (op, "head") || g_str_equal (op, "tail"))
        next = step_head_tail (current, step->value, values, g_str_equal (op, "head"), error);
      else if (g_str_equal (op, "group_by"))
        next = step_group_by (current, step->value, values, error);
      else if (g_str_equal (op, "bucket"))
        next = step_bucket (current, step->value, values, error);
      else if (g_str_equal (op, "rolling"))
        next = step_rolling (current, step->value, values, error);
      else if (g_str_equal (op, "derive"))
        next = step_derive (current, step->value, values, error);
      else if (g_str_equal (op, "join"))
        next = step_join (document, current, step->value, run, values, error);
      else
        {
          g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID, "unknown pipeline operation \"%s\"", op);
          return NULL;
        }
      if (next == NULL)
        {
          if (error && *error)
            g_prefix_error (error, "Step %u: ", i + 1);
          return NULL;
        }
      g_clear_pointer (&current, tess_frame_unref);
      current = next;
    }
  return g_steal_pointer (&current);
}

/* Column checks */

static void
column_problem (
    TessDocument *document, GPtrArray *columns, const TessDocNode *node, const char *path, GHashTable *values)
{
  g_autofree char *name = NULL;

  if (node == NULL || node->type != TESS_DOC_STRING)
    return;
  /* A column chosen by an input with fixed options: every option must be a
   * column here. Other references are only known when the fragment runs. */
  g_autofree char *ref = tess_document_parse_reference (node->string);
  TessDocInput *input = ref ? tess_document_lookup_input (document, ref) : NULL;
  if (input != NULL && input->options != NULL)
    {
      for (guint o = 0; input->options[o]; o++)
        {
          const char *option = input->options[o];
          gboolean found = FALSE;
          for (guint i = 0; i < columns->len && !found; i++)
            found = g_str_equal (g_ptr_array_index (columns, i), option);
          if (found)
            continue;
          g_ptr_array_add (columns, NULL);
          const char *hint = tess_document_suggest (option, (const char *const *) columns->pdata);
          g_ptr_array_remove_index (columns, columns->len - 1);
          tess_document_add_problem (document, node, path, FALSE,
                                     "input \"%s\" offers \"%s\", which is not a column here%s%s%s", ref, option,
                                     hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
        }
      return;
    }
  if (strchr (node->string, '$') != NULL)
    return;
  name = g_strdup (node->string);
  for (guint i = 0; i < columns->len; i++)
    if (g_str_equal (g_ptr_array_index (columns, i), name))
      return;
  g_ptr_array_add (columns, NULL);
  const char *hint = tess_document_suggest (name, (const char *const *) columns->pdata);
  g_ptr_array_remove_index (columns, columns->len - 1);
  tess_document_add_problem (document, node, path, FALSE, "unknown column \"%s\"%s%s%s", name,
                             hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
}

static void
column_problems (TessDocument *document, GPtrArray *columns, const TessDocNode *node, const char *path)
{
  if (node == NULL)
    return;
  if (node->type == TESS_DOC_ARRAY)
    for (guint i = 0; i < tess_doc_node_get_length (node); i++)
      {
        g_autofree char *ipath = g_strdup_printf ("%s[%u]", path, i);
        column_problem (document, columns, tess_doc_node_get_index (node, i), ipath, NULL);
      }
  else
    column_problem (document, columns, node, path, NULL);
}

static gboolean
has_column (GPtrArray *columns, const char *name)
{
  for (guint i = 0; i < columns->len; i++)
    if (g_str_equal (g_ptr_array_index (columns, i), name))
      return TRUE;
  return FALSE;
}

static void
add_column (GPtrArray *columns, const char *name)
{
  if (!has_column (columns, name))
    g_ptr_array_add (columns, g_strdup (name));
}

static void
check_condition_columns (TessDocument *document, GPtrArray *columns, const TessDocNode *cond, const char *path)
{
  TessDocNode *list;

  if ((list = tess_doc_node_get (cond, "all")) != NULL || (list = tess_doc_node_get (cond, "any")) != NULL)
    {
      const char *which = tess_doc_node_get (cond, "all") == list ? "all" : "any";
      for (guint i = 0; i < tess_doc_node_get_length (list); i++)
        {
          g_autofree char *ipath = g_strdup_printf ("%s.%s[%u]", path, which, i);
          check_condition_columns (document, columns, tess_doc_node_get_index (list, i), ipath);
        }
      return;
    }
  g_autofree char *cpath = g_strdup_printf ("%s.column", path);
  column_problem (document, columns, tess_doc_node_get (cond, "column"), cpath, NULL);
}

static gboolean
is_literal (const TessDocNode *node)
{
  return node && node->type == TESS_DOC_STRING && strchr (node->string, '$') == NULL;
}

void
tess_document_check_fragment_columns (TessDocument *document,
                                      TessDocFragment *fragment,
                                      const char *const *start,
                                      TessDocumentColumnsFunc join_columns,
                                      gpointer user_data)
{
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base = g_strdup_printf ("$.fragments[%u]", fragment->index);

  for (guint i = 0; start[i]; i++)
    g_ptr_array_add (columns, g_strdup (start[i]));

  for (guint s = 0; s < tess_doc_node_get_length (fragment->pipeline); s++)
    {
      const TessDocNode *step_node = tess_doc_node_get_index (fragment->pipeline, s);
      if (step_node->type != TESS_DOC_OBJECT || tess_doc_node_get_length (step_node) != 1)
        return;
      const TessDocMember *step = tess_doc_node_get_member_index (step_node, 0);
      const TessDocNode *arg = step->value;
      const char *op = step->key;
      g_autofree char *path = g_strdup_printf ("%s.pipeline[%u].%s", base, s, op);

      if (g_str_equal (op, "filter"))
        check_condition_columns (document, columns, arg, path);
      else if (g_str_equal (op, "select"))
        {
          column_problems (document, columns, arg, path);
          if (arg->type == TESS_DOC_ARRAY || is_literal (arg))
            {
              g_ptr_array_set_size (columns, 0);
              if (arg->type == TESS_DOC_ARRAY)
                {
                  for (guint i = 0; i < tess_doc_node_get_length (arg); i++)
                    if (is_literal (tess_doc_node_get_index (arg, i)))
                      add_column (columns, tess_doc_node_get_index (arg, i)->string);
                    else
                      return; /* not knowable before running */
                }
              else
                add_column (columns, arg->string);
            }
          else
            return;
        }
      else if (g_str_equal (op, "rename"))
        {
          for (guint i = 0; i < tess_doc_node_get_length (arg); i++)
            {
              const TessDocMember *m = tess_doc_node_get_member_index (arg, i);
              g_autofree char *mpath = g_strdup_printf ("%s.%s", path, m->key);
              if (!has_column (columns, m->key))
                {
                  g_ptr_array_add (columns, NULL);
                  const char *hint = tess_document_suggest (m->key, (const char *const *) columns->pdata);
                  g_ptr_array_remove_index (columns, columns->len - 1);
                  tess_document_add_problem (document, m->value, mpath, FALSE, "unknown column \"%s\"%s%s%s", m->key,
                                             hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
                }
              else if (m->value->type == TESS_DOC_STRING)
                for (guint c = 0; c < columns->len; c++)
                  if (g_str_equal (g_ptr_array_index (columns, c), m->key))
                    {
                      g_free (columns->pdata[c]);
                      columns->pdata[c] = g_strdup (m->value->string);
                    }
            }
        }
      else if (g_str_equal (op, "sort"))
        {
          const TessDocNode *list = arg;
          for (guint i = 0; i < (arg->type == TESS_DOC_ARRAY ? tess_doc_node_get_length (arg) : 1); i++)
            {
              const TessDocNode *key = arg->type == TESS_DOC_ARRAY ? tess_doc_node_get_index (list, i) : arg;
              g_autofree char *kpath =
                  arg->type == TESS_DOC_ARRAY ? g_strdup_printf ("%s[%u]", path, i) : g_strdup (path);
              if (key->type == TESS_DOC_OBJECT)
                {
                  g_autofree char *cpath = g_strdup_printf ("%s.column", kpath);
                  column_problem (document, columns, tess_doc_node_get (key, "column"), cpath, NULL);
                }
              else
                column_problem (document, columns, key, kpath, NULL);
            }
        }
      else if (g_str_equal (op, "group_by"))
        {
          TessDocNode *keys = tess_doc_node_get (arg, "keys");
          TessDocNode *aggs = tess_doc_node_get (arg, "aggregates");
          g_autoptr (GPtrArray) next = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *kpath = g_strdup_printf ("%s.keys", path);
          column_problems (document, columns, keys, kpath);
          if (keys && keys->type == TESS_DOC_ARRAY)
            {
              for (guint i = 0; i < tess_doc_node_get_length (keys); i++)
                if (is_literal (tess_doc_node_get_index (keys, i)))
                  add_column (next, tess_doc_node_get_index (keys, i)->string);
            }
          else if (is_literal (keys))
            add_column (next, keys->string);
          for (guint i = 0; i < tess_doc_node_get_length (aggs); i++)
            {
              TessDocNode *agg = tess_doc_node_get_index (aggs, i);
              TessDocNode *column = tess_doc_node_get (agg, "column");
              TessDocNode *agg_op = tess_doc_node_get (agg, "op");
              TessDocNode *as = tess_doc_node_get (agg, "as");
              g_autofree char *cpath = g_strdup_printf ("%s.aggregates[%u].column", path, i);
              column_problem (document, columns, column, cpath, NULL);
              if (is_literal (as))
                add_column (next, as->string);
              else if (agg_op && agg_op->type == TESS_DOC_STRING && is_literal (column))
                {
                  g_autofree char *made = g_strdup_printf ("%s_%s", column->string, agg_op->string);
                  add_column (next, made);
                }
              else if (agg_op && agg_op->type == TESS_DOC_STRING && column == NULL)
                add_column (next, agg_op->string);
            }
          g_ptr_array_set_size (columns, 0);
          for (guint i = 0; i < next->len; i++)
            g_ptr_array_add (columns, g_strdup (g_ptr_array_index (next, i)));
        }
      else if (g_str_equal (op, "bucket") || g_str_equal (op, "rolling"))
        {
          TessDocNode *column = tess_doc_node_get (arg, "column");
          TessDocNode *as = tess_doc_node_get (arg, "as");
          g_autofree char *cpath = g_strdup_printf ("%s.column", path);
          column_problem (document, columns, column, cpath, NULL);
          if (is_literal (as))
            add_column (columns, as->string);
          else if (g_str_equal (op, "rolling") && is_literal (column))
            {
              TessDocNode *rop = tess_doc_node_get (arg, "op");
              g_autofree char *made = g_strdup_printf ("%s_rolling_%s", column->string,
                                                       rop && rop->type == TESS_DOC_STRING ? rop->string : "mean");
              add_column (columns, made);
            }
        }
      else if (g_str_equal (op, "derive"))
        {
          TessDocNode *expr = tess_doc_node_get (arg, "expr");
          TessDocNode *as = tess_doc_node_get (arg, "as");
          g_autofree char *epath = g_strdup_printf ("%s.expr", path);
          /* Every bare name in the expression is a column. */
          if (is_literal (expr))
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
                    if (!has_column (columns, name))
                      {
                        g_ptr_array_add (columns, NULL);
                        const char *hint = tess_document_suggest (name, (const char *const *) columns->pdata);
                        g_ptr_array_remove_index (columns, columns->len - 1);
                        tess_document_add_problem (document, expr, epath, FALSE, "unknown column \"%s\"%s%s%s", name,
                                                   hint ? " (did you mean \"" : "", hint ? hint : "",
                                                   hint ? "\"?)" : "");
                      }
                  }
                else if (g_ascii_isdigit (*p) || *p == '.')
                  {
                    while (g_ascii_isalnum (*p) || *p == '.')
                      p++;
                  }
                else
                  p++;
              }
          if (is_literal (as))
            add_column (columns, as->string);
        }
      else if (g_str_equal (op, "join"))
        {
          TessDocNode *src = tess_doc_node_get (arg, "source");
          TessDocSource *source = src ? tess_document_lookup_source (document, src->string) : NULL;
          g_auto (GStrv) other = source && join_columns ? join_columns (source, user_data) : NULL;
          g_autofree char *onpath = g_strdup_printf ("%s.on", path);
          column_problems (document, columns, tess_doc_node_get (arg, "on"), onpath);
          if (other == NULL || tess_doc_node_get (arg, "on") == NULL)
            return; /* the other side's columns are unknown */
          for (guint i = 0; other[i]; i++)
            if (!has_column (columns, other[i]))
              add_column (columns, other[i]);
            else
              {
                TessDocNode *on = tess_doc_node_get (arg, "on");
                gboolean is_key = on->type == TESS_DOC_STRING ? g_str_equal (on->string, other[i]) : FALSE;
                for (guint k = 0; on->type == TESS_DOC_ARRAY && k < tess_doc_node_get_length (on); k++)
                  if (tess_doc_node_get_index (on, k)->type == TESS_DOC_STRING &&
                      g_str_equal (tess_doc_node_get_index (on, k)->string, other[i]))
                    is_key = TRUE;
                if (!is_key)
                  {
                    g_autofree char *renamed = g_strdup_printf ("%s_right", other[i]);
                    add_column (columns, renamed);
                  }
              }
        }
    }

  for (guint v = 0; v < tess_doc_node_get_length (fragment->views); v++)
    {
      const TessDocNode *view = tess_doc_node_get_index (fragment->views, v);
      static const char *const members[] = { "x", "y", "color", "size", "columns", NULL };
      for (guint m = 0; members[m]; m++)
        {
          g_autofree char *vpath = g_strdup_printf ("%s.views[%u].%s", base, v, members[m]);
          column_problems (document, columns, tess_doc_node_get (view, members[m]), vpath);
        }
      for (const char *const *metric = (const char *const[]){ "value", "delta", NULL }; *metric; metric++)
        {
          TessDocNode *value = tess_doc_node_get (view, *metric);
          if (value && value->type == TESS_DOC_OBJECT)
            {
              g_autofree char *vpath = g_strdup_printf ("%s.views[%u].%s.column", base, v, *metric);
              column_problem (document, columns, tess_doc_node_get (value, "column"), vpath, NULL);
            }
        }
    }
}
