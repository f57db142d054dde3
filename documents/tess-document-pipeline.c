/* tess-document-pipeline.c: what document fragments do with their data:
 * substitution of input values, loading, running the pipeline and, for
 * --check, following the columns through it.
 *
 * The steps themselves, and the views, live in tables of their own
 * (tess-document-steps.c, tess-document-views.c); this file walks a fragment's
 * pipeline and looks each step up there.
 */
#include "tess-document-pipeline.h"
#include "tess-document-sql.h"
#include "tess-document-steps.h"
#include "tess-document-views.h"
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

GVariant *
tess_document_lookup_reference (const TessDocNode *node, GHashTable *values)
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
  GVariant *ref = tess_document_lookup_reference (node, values);

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
  GVariant *ref = tess_document_lookup_reference (node, values);

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
  GVariant *ref = tess_document_lookup_reference (node, values);

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
  /* checked again on the final URI, after substitution and every redirect */
  request->options.trust = tess_document_get_trust (document);
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

/* Loads @source's @columns (NULL: all) for @run: the one load a fragment
 * makes, whatever it asks for. */
static TessFrame *
load_source_columns (TessDocument *document,
                     TessDocSource *source,
                     const char *const *columns,
                     TessRun *run,
                     GHashTable *values,
                     GError **error)
{
  LoadRequest request;
  TessFrame *frame;

  if (tess_doc_source_is_database (source))
    return tess_document_load_database (document, source, NULL, run, NULL, values, NULL, error);
  load_request_init (&request, document, source, values);
  request.options.columns = columns;
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
tess_document_load_source (
    TessDocument *document, TessDocSource *source, TessRun *run, GHashTable *values, GError **error)
{
  return load_source_columns (document, source, NULL, run, values, error);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char **
tess_document_fragment_columns (TessDocFragment *fragment, GHashTable *values)
{
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TessDocColumnUse use = { names, FALSE };
  char **columns;

  /* an input's options from data: the column they come from */
  if (fragment->choices_column != NULL)
    g_hash_table_add (names, g_strdup (fragment->choices_column->string));
  for (guint v = 0; v < tess_doc_node_get_length (fragment->views); v++)
    {
      const TessDocNode *view = tess_doc_node_get_index (fragment->views, v);
      TessDocNode *type = tess_doc_node_get (view, "type");
      const TessDocView *kind = type && type->type == TESS_DOC_STRING ? tess_doc_view_lookup (type->string) : NULL;

      if (kind == NULL)
        return NULL;
      if (kind->columns_used)
        kind->columns_used (kind, view, values, &use);
    }
  /* from the last step to the first: what each uses of what it is given */
  for (guint i = tess_doc_node_get_length (fragment->pipeline); i > 0; i--)
    {
      const TessDocNode *node = tess_doc_node_get_index (fragment->pipeline, i - 1);
      const TessDocMember *member = tess_doc_node_get_length (node) ? tess_doc_node_get_member_index (node, 0) : NULL;
      const TessDocStep *step = member ? tess_doc_step_lookup (member->key) : NULL;

      if (step == NULL || step->columns_before == NULL)
        return NULL;
      step->columns_before (step, member->value, values, &use);
    }
  /* no column at all (a count of rows): the rows still have to be read */
  if (use.all || g_hash_table_size (names) == 0)
    return NULL;
  columns = (char **) g_hash_table_get_keys_as_array (names, NULL);
  g_hash_table_steal_all (names);
  qsort (columns, g_strv_length (columns), sizeof (char *), compare_names);
  return columns;
}

TessFrame *
tess_document_load_fragment_source (
    TessDocument *document, TessDocFragment *fragment, TessRun *run, GHashTable *values, GError **error)
{
  TessDocSource *source = tess_document_lookup_source (document, fragment->source);
  g_auto (GStrv) columns = NULL;

  if (!tess_doc_source_is_database (source))
    columns = tess_document_fragment_columns (fragment, values);
  return load_source_columns (document, source, (const char *const *) columns, run, values, error);
}

TessFrame *
tess_document_load_source_sync (TessDocument *document,
                                TessDocSource *source,
                                GCancellable *cancellable,
                                GError **error)
{
  LoadRequest request;
  TessFrame *frame;

  if (tess_doc_source_is_database (source))
    return tess_document_load_database (document, source, NULL, NULL, cancellable, NULL, NULL, error);
  load_request_init (&request, document, source, NULL);
  frame = tess_source_load (request.uri, &request.options, cancellable, NULL, NULL, error);
  load_request_clear (&request);
  return frame;
}

TessFrame *
tess_document_apply_pipeline (TessDocument *document,
                              TessDocFragment *fragment,
                              TessFrame *frame,
                              TessRun *run,
                              GHashTable *values,
                              GError **error)
{
  return tess_document_apply_pipeline_from (document, fragment, 0, frame, run, values, error);
}

TessFrame *
tess_document_apply_pipeline_from (TessDocument *document,
                                   TessDocFragment *fragment,
                                   guint first_step,
                                   TessFrame *frame,
                                   TessRun *run,
                                   GHashTable *values,
                                   GError **error)
{
  const TessDocStepContext context = { document, run, values };
  g_autoptr (TessFrame) current = tess_frame_ref (frame);

  for (guint i = first_step; i < tess_doc_node_get_length (fragment->pipeline); i++)
    {
      const TessDocMember *member = tess_doc_node_get_member_index (tess_doc_node_get_index (fragment->pipeline, i), 0);
      const TessDocStep *step = tess_doc_step_lookup (member->key);
      TessFrame *next;

      if (run && tess_run_is_cancelled (run))
        return g_steal_pointer (&current);
      if (step == NULL)
        {
          g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID, "unknown pipeline operation \"%s\"", member->key);
          return NULL;
        }
      /* a filter then a group_by: grouped without a copy of the rows kept */
      if (g_str_equal (step->name, "filter") && i + 1 < tess_doc_node_get_length (fragment->pipeline))
        {
          const TessDocMember *after =
              tess_doc_node_get_member_index (tess_doc_node_get_index (fragment->pipeline, i + 1), 0);
          guint failed = 0;

          if (g_str_equal (after->key, "group_by"))
            {
              next =
                  tess_doc_step_apply_filter_group_by (&context, current, member->value, after->value, &failed, error);
              if (next == NULL)
                {
                  if (error && *error)
                    g_prefix_error (error, "Step %u: ", i + 1 + failed);
                  return NULL;
                }
              g_clear_pointer (&current, tess_frame_unref);
              current = next;
              i++;
              continue;
            }
        }
      next = step->apply (&context, step, current, member->value, error);
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

gboolean
tess_doc_columns_has (TessDocColumns *columns, const char *name)
{
  for (guint i = 0; i < columns->names->len; i++)
    if (g_str_equal (g_ptr_array_index (columns->names, i), name))
      return TRUE;
  return FALSE;
}

void
tess_doc_columns_add (TessDocColumns *columns, const char *name)
{
  if (!tess_doc_columns_has (columns, name))
    g_ptr_array_add (columns->names, g_strdup (name));
}

/* The known column nearest to @name, or NULL. transfer none */
static const char *
suggest_column (TessDocColumns *columns, const char *name)
{
  const char *hint;

  g_ptr_array_add (columns->names, NULL);
  hint = tess_document_suggest (name, (const char *const *) columns->names->pdata);
  g_ptr_array_remove_index (columns->names, columns->names->len - 1);
  return hint;
}

void
tess_doc_columns_report_unknown (TessDocColumns *columns, const TessDocNode *node, const char *path, const char *name)
{
  const char *hint = suggest_column (columns, name);

  tess_document_add_problem (columns->document, node, path, FALSE, "unknown column \"%s\"%s%s%s", name,
                             hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
}

void
tess_doc_columns_check (TessDocColumns *columns, const TessDocNode *node, const char *path)
{
  if (node == NULL || node->type != TESS_DOC_STRING)
    return;
  /* A column chosen by an input with fixed options: every option must be a
   * column here. Other references are only known when the fragment runs. */
  g_autofree char *ref = tess_document_parse_reference (node->string);
  TessDocInput *input = ref ? tess_document_lookup_input (columns->document, ref) : NULL;
  if (input != NULL && input->options != NULL)
    {
      for (guint o = 0; input->options[o]; o++)
        {
          const char *option = input->options[o];
          if (tess_doc_columns_has (columns, option))
            continue;
          const char *hint = suggest_column (columns, option);
          tess_document_add_problem (columns->document, node, path, FALSE,
                                     "input \"%s\" offers \"%s\", which is not a column here%s%s%s", ref, option,
                                     hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
        }
      return;
    }
  if (strchr (node->string, '$') != NULL)
    return;
  if (!tess_doc_columns_has (columns, node->string))
    tess_doc_columns_report_unknown (columns, node, path, node->string);
}

void
tess_doc_columns_check_list (TessDocColumns *columns, const TessDocNode *node, const char *path)
{
  if (node == NULL)
    return;
  if (node->type == TESS_DOC_ARRAY)
    for (guint i = 0; i < tess_doc_node_get_length (node); i++)
      {
        g_autofree char *ipath = g_strdup_printf ("%s[%u]", path, i);
        tess_doc_columns_check (columns, tess_doc_node_get_index (node, i), ipath);
      }
  else
    tess_doc_columns_check (columns, node, path);
}

/* Follows the pipeline; FALSE when the columns stop being knowable. */
static gboolean
check_pipeline_columns (TessDocColumns *columns, TessDocFragment *fragment, const char *base)
{
  for (guint s = 0; s < tess_doc_node_get_length (fragment->pipeline); s++)
    {
      const TessDocNode *step_node = tess_doc_node_get_index (fragment->pipeline, s);
      if (step_node->type != TESS_DOC_OBJECT || tess_doc_node_get_length (step_node) != 1)
        return FALSE;
      const TessDocMember *member = tess_doc_node_get_member_index (step_node, 0);
      const TessDocStep *step = tess_doc_step_lookup (member->key);
      g_autofree char *path = g_strdup_printf ("%s.pipeline[%u].%s", base, s, member->key);

      if (step && step->columns_after && !step->columns_after (columns, step, member->value, path))
        return FALSE;
    }
  return TRUE;
}

void
tess_document_check_fragment_columns (TessDocument *document,
                                      TessDocFragment *fragment,
                                      const char *const *start,
                                      TessDocumentColumnsFunc join_columns,
                                      gpointer user_data)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  TessDocColumns columns = { document, names, join_columns, user_data };
  g_autofree char *base =
      fragment->path ? g_strdup (fragment->path) : g_strdup_printf ("$.fragments[%u]", fragment->index);

  for (guint i = 0; start[i]; i++)
    g_ptr_array_add (names, g_strdup (start[i]));
  if (!check_pipeline_columns (&columns, fragment, base))
    return;
  if (fragment->choices_column)
    {
      g_autofree char *path = g_strdup_printf ("%s.column", base);
      tess_doc_columns_check (&columns, fragment->choices_column, path);
    }
  for (guint v = 0; v < tess_doc_node_get_length (fragment->views); v++)
    {
      g_autofree char *path = g_strdup_printf ("%s.views[%u]", base, v);
      tess_doc_view_check_columns (&columns, tess_doc_node_get_index (fragment->views, v), path);
    }
}
