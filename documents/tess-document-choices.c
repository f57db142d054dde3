/* tess-document-choices.c: choices from data. A selectbox, radio or
 * multiselect whose "options" are {"source", "column", "pipeline"} offers the
 * distinct values of that column, in data order, after the pipeline.
 *
 * The source's URI and the pipeline may use other inputs, which chains
 * inputs: a model's options filtered by the chosen make. Such an input is
 * declared by a fragment of its own, "$name", sequential so that the input
 * exists before any fragment reads it. When an input its options use
 * changes, only that fragment reruns, and declares the input again with the
 * new options: the chosen value stays when it is still a choice and falls
 * back otherwise (to the default when it is a choice, else to the first).
 *
 * A fragment that reads such an input also reads the inputs its options use
 * (the parser adds them to its inputs, tess_document_resolve_choices()), and
 * fits the value to the options by the same rule (tess_document_fit_choice()):
 * it reruns with the declaring fragment and never works on a value that is no
 * longer a choice. The options worked out are kept, for the data they came
 * from and the values they read, so those fragments do not filter the data
 * again to learn them.
 */
#include "tess-document-choices.h"
#include "tess-document-pipeline.h"
#include "tess-document-sql.h"

#include <stdlib.h>

static const char *const choices_members[] = { "source", "column", "pipeline", NULL };

/* Parsing */

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The query behind @input's options; NULL when the object is too broken to
 * make one (the problems are added). */
static TessDocFragment *
parse_choices (TessDocument *self, TessDocInput *input, const char *path)
{
  const TessDocNode *node = input->choices_node;
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *spath = tess_document_path_member (path, "source");
  g_autofree char *cpath = tess_document_path_member (path, "column");
  g_autofree char *ppath = tess_document_path_member (path, "pipeline");
  TessDocNode *source_node = tess_doc_node_get (node, "source");
  TessDocNode *column = tess_doc_node_get (node, "column");
  TessDocNode *pipeline = tess_doc_node_get (node, "pipeline");
  TessDocSource *source = NULL;
  TessDocFragment *query;

  tess_document_check_members (self, node, path, choices_members, "the options from data");
  if (source_node == NULL)
    tess_document_error_missing (self, node, spath, "missing member \"source\": the source the options come from");
  else if (tess_document_expect_type (self, source_node, spath, TESS_DOC_STRING))
    {
      source = tess_document_lookup_source (self, source_node->string);
      if (source == NULL)
        tess_document_error_unknown_source (self, source_node, spath);
    }
  if (column == NULL)
    tess_document_error_missing (self, node, cpath,
                                 "missing member \"column\": the column whose values are the options");
  else if (tess_document_expect_type (self, column, cpath, TESS_DOC_STRING) && tess_document_is_reference_node (column))
    tess_document_error_at (self, column, cpath, "the column of the options is a column name, not an input");
  if (pipeline && tess_document_expect_type (self, pipeline, ppath, TESS_DOC_ARRAY))
    for (guint i = 0; i < tess_doc_node_get_length (pipeline); i++)
      {
        g_autofree char *ipath = tess_document_path_index (ppath, i);
        tess_document_check_step (self, tess_doc_node_get_index (pipeline, i), ipath);
      }
  else
    pipeline = NULL;
  if (source == NULL || column == NULL || column->type != TESS_DOC_STRING)
    return NULL;

  query = g_new0 (TessDocFragment, 1);
  query->id = g_strdup_printf ("$%s", input->name);
  query->path = g_strdup (path);
  query->node = tess_doc_node_ref ((TessDocNode *) node);
  query->source = g_strdup (source->name);
  query->pipeline = pipeline;
  query->choices_column = column;
  tess_document_collect_source_inputs (self, source, used);
  if (pipeline)
    {
      tess_document_check_refs (self, pipeline, ppath, used);
      tess_document_collect_join_inputs (self, pipeline, used);
    }
  if (g_hash_table_contains (used, input->name))
    tess_document_error_at (self, node, path,
                            "the options of \"%s\" depend on \"%s\" itself: take them from other inputs only",
                            input->name, input->name);
  query->inputs = (char **) g_hash_table_get_keys_as_array (used, NULL);
  g_hash_table_steal_all (used);
  qsort (query->inputs, g_strv_length (query->inputs), sizeof (char *), compare_strings);
  return query;
}

/* Adds to @set the inputs the options of @name read, and theirs, and so on.
 * @depth stops a cycle, which is reported once by find_cycle(). */
static void
add_choice_inputs (TessDocument *self, const char *name, GHashTable *set, guint depth)
{
  TessDocInput *input = tess_document_lookup_input (self, name);

  if (input == NULL || input->choices == NULL || depth > self->inputs->len)
    return;
  for (guint i = 0; input->choices->inputs[i]; i++)
    {
      g_hash_table_add (set, g_strdup (input->choices->inputs[i]));
      add_choice_inputs (self, input->choices->inputs[i], set, depth + 1);
    }
}

/* The inputs of @fragment, with those their options read. */
static void
extend_inputs (TessDocument *self, TessDocFragment *fragment)
{
  g_autoptr (GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char **names = NULL;
  guint n;

  for (guint i = 0; fragment->inputs[i]; i++)
    {
      g_hash_table_add (set, g_strdup (fragment->inputs[i]));
      add_choice_inputs (self, fragment->inputs[i], set, 0);
    }
  if (g_hash_table_size (set) == g_strv_length (fragment->inputs))
    return;
  g_strfreev (fragment->inputs);
  names = (char **) g_hash_table_get_keys_as_array (set, &n);
  g_hash_table_steal_all (set);
  qsort (names, n, sizeof (char *), compare_strings);
  fragment->inputs = g_steal_pointer (&names);
}

void
tess_document_resolve_choices (TessDocument *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->inputs->len; i++)
    {
      TessDocInput *input = g_ptr_array_index (self->inputs, i);
      g_autofree char *ipath = NULL, *path = NULL;

      if (input->choices_node == NULL)
        continue;
      ipath = tess_document_path_member ("$.inputs", input->name);
      path = tess_document_path_member (ipath, "options");
      input->choices = parse_choices (self, input, path);
      any = TRUE;
    }
  if (!any)
    return;

  /* Options that depend, through others, on their own input never settle. */
  for (guint i = 0; i < self->inputs->len; i++)
    {
      TessDocInput *input = g_ptr_array_index (self->inputs, i);
      g_autoptr (GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      if (input->choices == NULL)
        continue;
      for (guint k = 0; input->choices->inputs[k]; k++)
        add_choice_inputs (self, input->choices->inputs[k], set, 0);
      if (g_hash_table_contains (set, input->name))
        {
          g_autofree char *ipath = tess_document_path_member ("$.inputs", input->name);
          g_autofree char *path = tess_document_path_member (ipath, "options");
          tess_document_error_at (self, input->choices_node, path,
                                  "the options of \"%s\" depend on \"%s\" itself through other inputs' options: "
                                  "break the circle",
                                  input->name, input->name);
        }
    }
  for (guint i = 0; i < self->inputs->len; i++)
    {
      TessDocInput *input = g_ptr_array_index (self->inputs, i);
      if (input->choices)
        extend_inputs (self, input->choices);
    }
  for (guint i = 0; i < self->fragments->len; i++)
    extend_inputs (self, g_ptr_array_index (self->fragments, i));
}

/* Running */

/* The distinct values of @frame's column @name, in data order, written as
 * text; nulls are not choices. transfer full */
static char **
distinct_values (TessFrame *frame, const char *name, const char *source, GError **error)
{
  TessColumn *column = tess_frame_get_column_by_name (frame, name);
  g_autoptr (GHashTable) seen = NULL;
  GStrvBuilder *builder;
  char **result;

  if (column == NULL)
    {
      g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID,
                   "The options come from the column \"%s\", which the data of source \"%s\" does not have", name,
                   source);
      return NULL;
    }
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  builder = g_strv_builder_new ();
  for (gsize row = 0; row < tess_column_get_length (column); row++)
    {
      char *text;
      if (tess_column_is_null (column, row))
        continue;
      text = tess_column_format_value (column, row);
      if (g_hash_table_add (seen, text))
        g_strv_builder_add (builder, text);
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

void
tess_document_check_choice_default (TessDocument *self, TessDocInput *input)
{
  TessDocSource *source;
  TessDocNode *def;
  g_autoptr (GHashTable) values = NULL;
  g_autoptr (TessFrame) frame = NULL;
  g_autoptr (TessFrame) result = NULL;
  g_auto (GStrv) choices = NULL;
  g_autofree char *ipath = NULL, *dpath = NULL;

  g_return_if_fail (TESS_IS_DOCUMENT (self));
  g_return_if_fail (input != NULL && input->choices != NULL);

  def = tess_doc_node_get (input->node, "default");
  source = tess_document_lookup_source (self, input->choices->source);
  /* options that follow other inputs are only known when the dashboard runs */
  if (def == NULL || source == NULL || input->choices->inputs[0] != NULL)
    return;
  /* a source that cannot be read, or a pipeline that fails, is said by the column check */
  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  frame = tess_document_load_source_sync (self, source, NULL, NULL);
  result = frame ? tess_document_apply_pipeline (self, input->choices, frame, NULL, values, NULL) : NULL;
  choices = result ? distinct_values (result, input->choices->choices_column->string, source->name, NULL) : NULL;
  if (choices == NULL)
    return;
  ipath = tess_document_path_member ("$.inputs", input->name);
  dpath = tess_document_path_member (ipath, "default");
  for (guint i = 0; i < (def->type == TESS_DOC_ARRAY ? tess_doc_node_get_length (def) : 1); i++)
    {
      const TessDocNode *item = def->type == TESS_DOC_ARRAY ? tess_doc_node_get_index (def, i) : def;
      if (item->type == TESS_DOC_STRING && !g_strv_contains ((const char *const *) choices, item->string))
        {
          g_autofree char *hint = tess_document_did_you_mean (item->string, (const char *const *) choices);
          tess_document_add_problem (self, item, dpath, TRUE,
                                     "the default \"%s\" is not among the values of the column \"%s\" of source "
                                     "\"%s\"%s; the first is chosen",
                                     item->string, input->choices->choices_column->string, source->name, hint);
        }
    }
}

static gboolean read_query_values (TessRun *run, TessDocument *document, TessDocFragment *query, GHashTable *values);

/* Options worked out once: for the column they come from as loaded (held,
 * so that its address is not another's; a file read again makes new
 * columns, a projection of the same data shares them) and the values of the
 * inputs the options read. */
typedef struct
{
  TessColumn *column;
  char *key;
  char **choices;
} ChoicesMemo;

#define CHOICES_MEMO_SIZE 8

static void
choices_memo_free (gpointer data)
{
  ChoicesMemo *memo = data;

  tess_column_unref (memo->column);
  g_free (memo->key);
  g_strfreev (memo->choices);
  g_free (memo);
}

/* The values @query's options read, as text. transfer full */
static char *
values_key (TessDocFragment *query, GHashTable *values)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; query->inputs[i]; i++)
    {
      GVariant *value = g_hash_table_lookup (values, query->inputs[i]);
      g_autofree char *printed = value ? g_variant_print (value, TRUE) : g_strdup ("-");
      g_string_append_printf (key, "%s=%s;", query->inputs[i], printed);
    }
  return g_string_free (key, FALSE);
}

/* TRUE when @query's pipeline joins another source, whose data may change
 * while the column the options come from stays the same. */
static gboolean
joins_other_data (TessDocFragment *query)
{
  for (guint i = 0; i < tess_doc_node_get_length (query->pipeline); i++)
    {
      TessDocNode *step = tess_doc_node_get_index (query->pipeline, i);
      if (step->type == TESS_DOC_OBJECT && tess_doc_node_get (step, "join") != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The options kept for @column and @key (transfer full), or NULL. Thread-safe. */
static char **
choices_memo_lookup (TessDocInput *input, TessColumn *column, const char *key)
{
  char **choices = NULL;

  g_mutex_lock (&input->choices_lock);
  for (guint i = 0; input->choices_memo && i < input->choices_memo->len && choices == NULL; i++)
    {
      ChoicesMemo *memo = g_ptr_array_index (input->choices_memo, i);
      if (memo->column == column && g_str_equal (memo->key, key))
        choices = g_strdupv (memo->choices);
    }
  g_mutex_unlock (&input->choices_lock);
  return choices;
}

/* Keeps @choices for @column and @key, forgetting the oldest beyond a few. Thread-safe. */
static void
choices_memo_insert (TessDocInput *input, TessColumn *column, const char *key, char **choices)
{
  ChoicesMemo *memo = g_new0 (ChoicesMemo, 1);

  memo->column = tess_column_ref (column);
  memo->key = g_strdup (key);
  memo->choices = g_strdupv (choices);
  g_mutex_lock (&input->choices_lock);
  if (input->choices_memo == NULL)
    input->choices_memo = g_ptr_array_new_with_free_func (choices_memo_free);
  if (input->choices_memo->len >= CHOICES_MEMO_SIZE)
    g_ptr_array_remove_index (input->choices_memo, 0);
  g_ptr_array_add (input->choices_memo, memo);
  g_mutex_unlock (&input->choices_lock);
}

/* The choices of @input, its options' inputs read into @values. transfer
 * full; NULL with @error when they cannot be loaded, or the run is
 * cancelled. Runs on a worker thread. */
static char **
load_choices (TessRun *run, TessDocument *document, TessDocInput *input, GHashTable *values, GError **error)
{
  TessDocFragment *query = input->choices;
  TessDocSource *source = tess_document_lookup_source (document, query->source);
  g_autoptr (TessFrame) loaded = NULL;
  g_autoptr (TessFrame) result = NULL;
  g_autofree char *key = NULL;
  TessColumn *column;
  char **choices;
  guint done = 0;

  /* a file: only the column the options come from, and those the pipeline names */
  if (tess_doc_source_is_database (source))
    loaded = tess_document_load_database (document, source, query, run, NULL, values, &done, error);
  else
    loaded = tess_document_load_fragment_source (document, query, run, values, error);
  if (loaded == NULL)
    return NULL;
  /* the same data and the same inputs: the same options */
  key = values_key (query, values);
  column = joins_other_data (query) ? NULL : tess_frame_get_column_by_name (loaded, query->choices_column->string);
  if (column != NULL && (choices = choices_memo_lookup (input, column, key)) != NULL)
    return choices;
  result = tess_document_apply_pipeline_from (document, query, done, loaded, run, values, error);
  if (result == NULL)
    return NULL;
  if (tess_run_is_cancelled (run))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return NULL;
    }
  choices = distinct_values (result, query->choices_column->string, source->name, error);
  if (choices != NULL && column != NULL)
    choices_memo_insert (input, column, key, choices);
  return choices;
}

/* @value fitted to @choices: kept when it is a choice; otherwise a
 * selectbox's or radio's default when it is one, else the first; a
 * multiselect's values that are still choices. transfer full */
static GVariant *
fit_value (TessDocInput *input, const char *const *choices, GVariant *value)
{
  if (input->spec.kind == TESS_INPUT_MULTISELECT)
    {
      g_autofree const char **selected = g_variant_get_strv (value, NULL);
      GVariantBuilder builder;

      g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
      for (guint i = 0; selected[i]; i++)
        if (g_strv_contains (choices, selected[i]))
          g_variant_builder_add (&builder, "s", selected[i]);
      return g_variant_ref_sink (g_variant_builder_end (&builder));
    }
  if (g_strv_contains (choices, g_variant_get_string (value, NULL)))
    return g_variant_ref (value);
  if (input->text && g_strv_contains (choices, input->text))
    return g_variant_ref_sink (g_variant_new_string (input->text));
  return g_variant_ref_sink (g_variant_new_string (choices[0] ? choices[0] : ""));
}

GVariant *
tess_document_fit_choice (TessRun *run, TessDocument *document, const char *name, GVariant *value)
{
  TessDocInput *input = tess_document_lookup_input (document, name);
  g_autoptr (GHashTable) values = NULL;
  g_auto (GStrv) choices = NULL;

  if (input == NULL || input->choices == NULL)
    return value;
  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  read_query_values (run, document, input->choices, values);
  choices = load_choices (run, document, input, values, NULL);
  if (choices == NULL)
    return value; /* the declaring fragment shows why */
  {
    g_autoptr (GVariant) owned = value;
    return fit_value (input, (const char *const *) choices, owned);
  }
}

/* Reads the inputs @query uses into @values, each fitted to its own options.
 * FALSE when one of them is not declared. Runs on a worker thread. */
static gboolean
read_query_values (TessRun *run, TessDocument *document, TessDocFragment *query, GHashTable *values)
{
  gboolean all = TRUE;

  for (guint i = 0; query->inputs[i]; i++)
    {
      TessInput *input = tess_input_lookup (run, query->inputs[i]);
      if (input == NULL)
        {
          all = FALSE;
          continue;
        }
      g_hash_table_insert (
          values, g_strdup (query->inputs[i]),
          tess_document_fit_choice (run, document, query->inputs[i], tess_input_get_value (run, input)));
    }
  return all;
}

/* A default the data does not offer is the document's mistake when the
 * options depend on nothing else; it is said where the input is. (Options
 * that follow another input may offer it only for some of its values.) */
static void
warn_about_default (TessRun *run, TessDocInput *input, const char *const *choices)
{
  const char *column = input->choices->choices_column->string;
  g_autoptr (GPtrArray) missing = g_ptr_array_new ();

  if (input->choices->inputs[0] != NULL)
    return;
  if (choices[0] == NULL)
    {
      g_autofree char *text = g_strdup_printf ("“%s” has no options: the column “%s” of source “%s” holds no values",
                                               input->label, column, input->choices->source);
      tess_warning (run, text);
      return;
    }
  if (input->spec.kind == TESS_INPUT_MULTISELECT)
    {
      for (guint i = 0; input->selected && input->selected[i]; i++)
        if (!g_strv_contains (choices, input->selected[i]))
          g_ptr_array_add (missing, input->selected[i]);
    }
  else if (input->text && !g_strv_contains (choices, input->text))
    g_ptr_array_add (missing, input->text);
  if (missing->len > 0)
    {
      g_autofree char *list = NULL;
      g_autofree char *text = NULL;

      g_ptr_array_add (missing, NULL);
      list = g_strjoinv ("”, “", (char **) missing->pdata);
      text = g_strdup_printf ("The default “%s” of “%s” is not among the values of the column “%s”; %s", list,
                              input->label, column,
                              input->spec.kind == TESS_INPUT_MULTISELECT ? "it is left out" : "the first is chosen");
      tess_warning (run, text);
    }
}

/* The body of "$name": loads the options and declares the input with them.
 * Runs on a worker thread. */
static gboolean
choices_fragment_run (TessRun *run, gpointer user_data, GError **error)
{
  TessDashboardRef *ref = user_data;
  g_autoptr (TessDocument) document = tess_document_dashboard_get_document (ref->dashboard);
  TessDocInput *input = tess_document_lookup_input (document, ref->name);
  g_autoptr (GHashTable) values =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GVariant) current = NULL;
  g_auto (GStrv) choices = NULL;
  g_autofree const char **selected = NULL;
  TessInputSpec spec;

  if (input == NULL || input->choices == NULL)
    return TRUE; /* changed by a reload; the next full run declares it anew */
  read_query_values (run, document, input->choices, values);
  choices = load_choices (run, document, input, values, &local_error);
  if (choices == NULL)
    {
      if (tess_run_is_cancelled (run))
        return TRUE;
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "The options of “%s”: ", input->label);
      return FALSE;
    }

  warn_about_default (run, input, (const char *const *) choices);

  /* The runtime keeps a value that is still a choice and otherwise falls
   * back to the spec's default: the same rule as fit_value(). */
  spec = input->spec;
  spec.options = (const char *const *) choices;
  spec.index = 0;
  for (guint i = 0; input->text && choices[i]; i++)
    if (g_str_equal (choices[i], input->text))
      spec.index = i;
  current = tess_session_get_input_value (tess_run_get_session (run), input->name);
  if (spec.kind == TESS_INPUT_MULTISELECT)
    {
      g_autoptr (GVariant) fitted = NULL;
      if (current == NULL || !g_variant_is_of_type (current, G_VARIANT_TYPE_STRING_ARRAY))
        current = g_variant_ref_sink (g_variant_new_strv ((const char *const *) input->selected, -1));
      fitted = fit_value (input, (const char *const *) choices, current);
      selected = g_variant_get_strv (fitted, NULL);
      spec.selected = selected;
      tess_declare (run, &spec);
      return TRUE;
    }
  tess_declare (run, &spec);
  return TRUE;
}

void
tess_document_declare_choices (TessRun *run, TessDocumentDashboard *dashboard, TessDocInput *input)
{
  g_autofree char *key = g_strdup_printf ("$%s", input->name);
  TessFragmentOptions options = { .flags = TESS_FRAGMENT_SEQUENTIAL };

  tess_fragment_full (run, key, choices_fragment_run, tess_dashboard_ref_new (dashboard, input->name),
                      tess_dashboard_ref_free, &options);
}
