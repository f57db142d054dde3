/* tess-document.c: TessDocument, a dashboard document parsed and validated.
 *
 * Here are the document's lifecycle and accessors, the validation helpers
 * every part of the parser shares, and the rules of the document's top level,
 * inputs, sources and layout. Fragments are parsed in
 * tess-document-fragment.c, and their steps and views by the tables of
 * tess-document-steps.c and tess-document-views.c.
 *
 * The rules are the format's rules (docs/dashboard-format.md); the JSON Schema
 * in docs/dashboard.schema.json describes the same shapes for editors.
 * Validation keeps going after a problem so `tessera --check` reports all of
 * them at once.
 */
#include "tess-document-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (TessDocument, tess_document, G_TYPE_OBJECT)

static const char *const top_members[] = { "$schema", "tessera",   "title",  "description", "inputs",
                                           "sources", "fragments", "layout", NULL };
static const char *const input_members[] = { "kind", "label", "help",    "disabled",    "default", "min",
                                             "max",  "step",  "options", "placeholder", NULL };
static const char *const source_members[] = { "uri", "format", "ttl", "headers", "options", NULL };
static const char *const source_option_members[] = { "delimiter", "header", "lenient", NULL };
static const char *const source_formats[] = { "csv", "json", "ndjson", NULL };
static const char *const layout_members[] = { "sidebar", "columns", "main", NULL };

/* Problems */

static void
problem_free (gpointer data)
{
  TessDocumentProblem *problem = data;

  g_free (problem->path);
  g_free (problem->message);
  g_free (problem);
}

G_GNUC_PRINTF (8, 0)
static void
add_problem_valist (TessDocument *self,
                    guint line,
                    guint col,
                    guint sort_line,
                    guint sort_col,
                    const char *path,
                    gboolean warning,
                    const char *format,
                    va_list args)
{
  TessDocumentProblem *problem = g_new0 (TessDocumentProblem, 1);

  problem->path = g_strdup (path ? path : "$");
  problem->line = line;
  problem->col = col;
  problem->sort_line = sort_line;
  problem->sort_col = sort_col;
  problem->warning = warning;
  problem->message = g_strdup_vprintf (format, args);
  g_ptr_array_add (self->problems, problem);
}

void
tess_document_add_problem (
    TessDocument *self, const TessDocNode *node, const char *path, gboolean warning, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  add_problem_valist (self, node ? node->line : 0, node ? node->col : 0, node ? node->line : 0, node ? node->col : 0,
                      path, warning, format, args);
  va_end (args);
}

void
tess_document_error_at (TessDocument *self, const TessDocNode *node, const char *path, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  add_problem_valist (self, node ? node->line : 0, node ? node->col : 0, node ? node->line : 0, node ? node->col : 0,
                      path, FALSE, format, args);
  va_end (args);
}

void
tess_document_error_at_key (
    TessDocument *self, const TessDocMember *member, const char *path, gboolean warning, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  add_problem_valist (self, member->key_line, member->key_col, member->key_line, member->key_col, path, warning, format,
                      args);
  va_end (args);
}

/* A missing member has no position of its own: the problem names its path and
 * sorts at the object it is missing from. */
void
tess_document_error_missing (TessDocument *self, const TessDocNode *parent, const char *path, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  add_problem_valist (self, 0, 0, parent ? parent->line : 0, parent ? parent->col : 0, path, FALSE, format, args);
  va_end (args);
}

/* Suggestions */

static guint
edit_distance (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  if (la > 64 || lb > 64)
    return G_MAXUINT;
  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];
      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
          guint best = MIN (row[j] + 1, row[j - 1] + 1);
          row[j] = MIN (best, diag + cost);
          diag = up;
        }
    }
  return row[lb];
}

const char *
tess_document_suggest (const char *word, const char *const *candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  guint limit;

  g_return_val_if_fail (word != NULL, NULL);
  if (candidates == NULL)
    return NULL;
  limit = strlen (word) <= 3 ? 1 : MAX (2, (guint) strlen (word) / 3);
  for (guint i = 0; candidates[i]; i++)
    {
      guint d = edit_distance (word, candidates[i]);
      if (d < best_distance)
        {
          best_distance = d;
          best = candidates[i];
        }
    }
  if (best_distance > limit || (best_distance >= strlen (word) && !g_str_has_prefix (best, word)))
    return NULL;
  return best;
}

/* " (did you mean "x"?)" or "" ; transfer full */
char *
tess_document_did_you_mean (const char *word, const char *const *candidates)
{
  const char *s = tess_document_suggest (word, candidates);
  return s ? g_strdup_printf (" (did you mean \"%s\"?)", s) : g_strdup ("");
}

/* Paths */

gboolean
tess_document_is_identifier (const char *s)
{
  if (s == NULL || !(g_ascii_isalpha (*s) || *s == '_'))
    return FALSE;
  for (s++; *s; s++)
    if (!(g_ascii_isalnum (*s) || *s == '_'))
      return FALSE;
  return TRUE;
}

char *
tess_document_path_member (const char *parent, const char *key)
{
  if (tess_document_is_identifier (key))
    return g_strdup_printf ("%s.%s", parent, key);
  g_autofree char *escaped = g_strescape (key, NULL);
  return g_strdup_printf ("%s[\"%s\"]", parent, escaped);
}

char *
tess_document_path_index (const char *parent, guint index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

char *
tess_document_quoted_list (const char *const *strv)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; strv[i]; i++)
    g_string_append_printf (out, "%s\"%s\"", i == 0 ? "" : (strv[i + 1] ? ", " : " or "), strv[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Type checks */

gboolean
tess_document_expect_type (TessDocument *self, const TessDocNode *node, const char *path, TessDocNodeType type)
{
  if (node->type == type)
    return TRUE;
  tess_document_error_at (self, node, path, "expected %s, found %s", tess_doc_node_type_to_string (type),
                          tess_doc_node_type_to_string (node->type));
  return FALSE;
}

void
tess_document_check_members (
    TessDocument *self, const TessDocNode *node, const char *path, const char *const *allowed, const char *what)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < tess_doc_node_get_length (node); i++)
    {
      const TessDocMember *member = tess_doc_node_get_member_index (node, i);
      g_autofree char *mpath = tess_document_path_member (path, member->key);
      if (!g_hash_table_add (seen, member->key))
        tess_document_error_at_key (self, member, mpath, FALSE, "\"%s\" is given twice in %s", member->key, what);
      if (!tess_document_strv_contains (allowed, member->key))
        {
          g_autofree char *hint = tess_document_did_you_mean (member->key, allowed);
          tess_document_error_at_key (self, member, mpath, FALSE, "unknown member \"%s\" in %s%s", member->key, what,
                                      hint);
        }
    }
}

/* Optional members */

double
tess_document_optional_number (
    TessDocument *self, const TessDocNode *object, const char *key, const char *path, double fallback)
{
  TessDocNode *node = tess_doc_node_get (object, key);
  g_autofree char *mpath = tess_document_path_member (path, key);

  if (node == NULL || !tess_document_expect_type (self, node, mpath, TESS_DOC_NUMBER))
    return fallback;
  return node->number;
}

char *
tess_document_optional_string (TessDocument *self, const TessDocNode *object, const char *key, const char *path)
{
  TessDocNode *node = tess_doc_node_get (object, key);
  g_autofree char *mpath = tess_document_path_member (path, key);

  if (node == NULL || !tess_document_expect_type (self, node, mpath, TESS_DOC_STRING))
    return NULL;
  return g_strdup (node->string);
}

gboolean
tess_document_optional_bool (
    TessDocument *self, const TessDocNode *object, const char *key, const char *path, gboolean fallback)
{
  TessDocNode *node = tess_doc_node_get (object, key);
  g_autofree char *mpath = tess_document_path_member (path, key);

  if (node == NULL || !tess_document_expect_type (self, node, mpath, TESS_DOC_BOOL))
    return fallback;
  return node->boolean;
}

/* A boolean member that may also be an input reference ("$name"). */
void
tess_document_optional_bool_or_ref (TessDocument *self, const TessDocNode *object, const char *key, const char *path)
{
  TessDocNode *node = tess_doc_node_get (object, key);
  g_autofree char *mpath = tess_document_path_member (path, key);

  if (node == NULL || tess_document_is_reference_node (node))
    return;
  tess_document_expect_type (self, node, mpath, TESS_DOC_BOOL);
}

/* Input references */

char *
tess_document_parse_reference (const char *value)
{
  if (value == NULL || value[0] != '$' || value[1] == '$' || value[1] == '{')
    return NULL;
  if (!tess_document_is_identifier (value + 1))
    return NULL;
  return g_strdup (value + 1);
}

void
tess_document_collect_substitutions (const char *text, GHashTable *names)
{
  for (const char *p = text; p && (p = strstr (p, "${")) != NULL;)
    {
      if (p > text && p[-1] == '$')
        {
          p += 2;
          continue;
        }
      const char *end = strchr (p, '}');
      if (end == NULL)
        break;
      g_autofree char *name = g_strndup (p + 2, end - p - 2);
      if (!g_str_has_prefix (name, "env:"))
        g_hash_table_add (names, g_steal_pointer (&name));
      p = end + 1;
    }
}

static char **
input_names (TessDocument *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();

  for (guint i = 0; i < self->inputs->len; i++)
    g_strv_builder_add (builder, ((TessDocInput *) g_ptr_array_index (self->inputs, i))->name);
  char **names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/* Checks every input reference in the string @node and adds the names to @used.
 * ${env:NAME} is allowed only where @env_allowed. */
void
tess_document_check_string_refs (
    TessDocument *self, const TessDocNode *node, const char *path, gboolean env_allowed, GHashTable *used)
{
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) known = input_names (self);
  g_autofree char *ref = tess_document_parse_reference (node->string);
  GHashTableIter iter;
  const char *name;

  if (ref)
    g_hash_table_add (names, g_steal_pointer (&ref));
  else if (node->string[0] == '$' && node->string[1] != '$' && node->string[1] != '{')
    tess_document_error_at (self, node, path,
                            "\"%s\" is not a valid input reference: write \"$name\" with letters, digits and _, "
                            "or \"$$\" for a literal \"$\"",
                            node->string);
  tess_document_collect_substitutions (node->string, names);

  if (strstr (node->string, "${env:") != NULL && !env_allowed)
    tess_document_error_at (self, node, path,
                            "environment variables (${env:NAME}) may only be used in a source's uri and headers");

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      if (tess_document_strv_contains ((const char *const *) known, name))
        {
          if (used)
            g_hash_table_add (used, g_strdup (name));
        }
      else
        {
          g_autofree char *hint = tess_document_did_you_mean (name, (const char *const *) known);
          tess_document_error_at (self, node, path, "unknown input \"%s\"%s", name, hint);
        }
    }
}

gboolean
tess_document_is_reference_node (const TessDocNode *node)
{
  g_autofree char *ref = NULL;

  if (node->type != TESS_DOC_STRING)
    return FALSE;
  ref = tess_document_parse_reference (node->string);
  return ref != NULL;
}

/* Durations: seconds as a number, or a string such as "500ms", "5s", "2m", "1h". */
gboolean
tess_document_read_duration (TessDocument *self, const TessDocNode *node, const char *path, double *out)
{
  if (node->type == TESS_DOC_NUMBER)
    {
      if (node->number < 0)
        {
          tess_document_error_at (self, node, path, "a duration cannot be negative");
          return FALSE;
        }
      *out = node->number;
      return TRUE;
    }
  if (node->type == TESS_DOC_STRING)
    {
      char *end = NULL;
      double v = g_ascii_strtod (node->string, &end);
      double scale = -1;
      if (end != node->string && v >= 0 && isfinite (v))
        {
          if (g_str_equal (end, "ms"))
            scale = 0.001;
          else if (g_str_equal (end, "s") || *end == '\0')
            scale = 1;
          else if (g_str_equal (end, "m") || g_str_equal (end, "min"))
            scale = 60;
          else if (g_str_equal (end, "h"))
            scale = 3600;
        }
      if (scale > 0)
        {
          *out = v * scale;
          return TRUE;
        }
    }
  tess_document_error_at (
      self, node, path,
      "expected a duration: seconds as a number, or a string such as \"500ms\", \"5s\", \"2m\" or \"1h\"");
  return FALSE;
}

/* Inputs */

static void
input_free (gpointer data)
{
  TessDocInput *input = data;

  g_free (input->name);
  g_clear_pointer (&input->node, tess_doc_node_unref);
  g_free (input->label);
  g_free (input->help);
  g_free (input->text);
  g_free (input->placeholder);
  g_strfreev (input->options);
  g_strfreev (input->selected);
  g_free (input);
}

static char **
read_string_array (TessDocument *self, const TessDocNode *node, const char *path)
{
  GStrvBuilder *builder;
  char **result;

  if (!tess_document_expect_type (self, node, path, TESS_DOC_ARRAY))
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < tess_doc_node_get_length (node); i++)
    {
      TessDocNode *item = tess_doc_node_get_index (node, i);
      g_autofree char *ipath = tess_document_path_index (path, i);
      if (tess_document_expect_type (self, item, ipath, TESS_DOC_STRING))
        g_strv_builder_add (builder, item->string);
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

static gboolean
valid_date (const char *s)
{
  int y, m, d;
  char tail;

  if (s == NULL || strlen (s) != 10 || sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy (d, m, y);
}

/* The default of a range_slider: two numbers, [low, high]. */
static void
read_range_default (TessDocument *self, TessDocInput *input, const TessDocNode *def, const char *def_path)
{
  if (def->type != TESS_DOC_ARRAY || tess_doc_node_get_length (def) != 2 ||
      tess_doc_node_get_index (def, 0)->type != TESS_DOC_NUMBER ||
      tess_doc_node_get_index (def, 1)->type != TESS_DOC_NUMBER)
    tess_document_error_at (self, def, def_path, "the default of a range_slider is two numbers, [low, high]");
  else
    {
      input->spec.value = tess_doc_node_get_index (def, 0)->number;
      input->spec.value_high = tess_doc_node_get_index (def, 1)->number;
      if (input->spec.value > input->spec.value_high)
        tess_document_error_at (self, def, def_path, "the default range's low end is above its high end");
    }
}

/* slider, range_slider, number: bounds, a step and a default within them. */
static void
parse_number_input (TessDocument *self, TessDocInput *input, const TessDocNode *node, const char *path)
{
  TessDocNode *def = tess_doc_node_get (node, "default");
  g_autofree char *def_path = tess_document_path_member (path, "default");
  TessInputSpec *spec = &input->spec;
  gboolean number = spec->kind == TESS_INPUT_NUMBER;

  spec->min = tess_document_optional_number (self, node, "min", path, number ? -G_MAXDOUBLE : 0);
  spec->max = tess_document_optional_number (self, node, "max", path, number ? G_MAXDOUBLE : 100);
  spec->step = tess_document_optional_number (self, node, "step", path, 0);
  if (spec->min >= spec->max)
    tess_document_error_at (self, tess_doc_node_get (node, "max") ? tess_doc_node_get (node, "max") : node, path,
                            "\"max\" (%g) must be greater than \"min\" (%g)", spec->max, spec->min);
  if (spec->step < 0)
    tess_document_error_at (self, tess_doc_node_get (node, "step"), path, "\"step\" must be positive");
  spec->value = number ? MAX (spec->min, MIN (0, spec->max)) : spec->min;
  spec->value_high = spec->max;
  if (def && spec->kind == TESS_INPUT_RANGE_SLIDER)
    read_range_default (self, input, def, def_path);
  else if (def && tess_document_expect_type (self, def, def_path, TESS_DOC_NUMBER))
    spec->value = def->number;
  if (spec->value < spec->min || spec->value > spec->max || spec->value_high > spec->max ||
      spec->value_high < spec->min)
    tess_document_error_at (self, def ? def : node, def_path, "the default is outside [%g, %g]", spec->min, spec->max);
}

/* The options of a choice; never NULL. transfer full */
static char **
read_options (TessDocument *self, const TessDocNode *node, const char *path)
{
  g_autofree char *opath = tess_document_path_member (path, "options");
  TessDocNode *n = tess_doc_node_get (node, "options");
  char **options;

  if (n == NULL)
    {
      tess_document_error_missing (self, node, opath, "missing member \"options\": the choices, an array of strings");
      return g_new0 (char *, 1);
    }
  options = read_string_array (self, n, opath);
  if (options == NULL)
    return g_new0 (char *, 1);
  if (options[0] == NULL)
    tess_document_error_at (self, n, opath, "\"options\" is empty: give at least one choice");
  return options;
}

/* A multiselect's default: some of its options. */
static void
read_selected_default (TessDocument *self, TessDocInput *input, const TessDocNode *def, const char *def_path)
{
  input->selected = def ? read_string_array (self, def, def_path) : NULL;
  if (input->selected == NULL)
    input->selected = g_new0 (char *, 1);
  for (guint i = 0; input->selected[i]; i++)
    if (!tess_document_strv_contains ((const char *const *) input->options, input->selected[i]))
      {
        g_autofree char *hint = tess_document_did_you_mean (input->selected[i], (const char *const *) input->options);
        g_autofree char *ipath = tess_document_path_index (def_path, i);
        tess_document_error_at (self, tess_doc_node_get_index (def, i), ipath, "\"%s\" is not one of the options%s",
                                input->selected[i], hint);
      }
  input->spec.selected = (const char *const *) input->selected;
}

/* A selectbox's or radio's default: one of its options. */
static void
read_chosen_default (TessDocument *self, TessDocInput *input, const TessDocNode *def, const char *def_path)
{
  int found = -1;

  if (def == NULL || !tess_document_expect_type (self, def, def_path, TESS_DOC_STRING))
    return;
  for (guint i = 0; input->options[i]; i++)
    if (g_str_equal (input->options[i], def->string))
      found = i;
  if (found < 0)
    {
      g_autofree char *hint = tess_document_did_you_mean (def->string, (const char *const *) input->options);
      tess_document_error_at (self, def, def_path, "\"%s\" is not one of the options%s", def->string, hint);
    }
  else
    input->spec.index = found;
}

/* selectbox, radio, multiselect: options, and a default among them. */
static void
parse_choice_input (TessDocument *self, TessDocInput *input, const TessDocNode *node, const char *path)
{
  TessDocNode *def = tess_doc_node_get (node, "default");
  g_autofree char *def_path = tess_document_path_member (path, "default");

  input->options = read_options (self, node, path);
  input->spec.options = (const char *const *) input->options;
  if (input->spec.kind == TESS_INPUT_MULTISELECT)
    read_selected_default (self, input, def, def_path);
  else
    read_chosen_default (self, input, def, def_path);
}

/* checkbox, toggle */
static void
parse_switch_input (TessDocument *self, TessDocInput *input, const TessDocNode *node, const char *path)
{
  TessDocNode *def = tess_doc_node_get (node, "default");
  g_autofree char *def_path = tess_document_path_member (path, "default");

  if (def && tess_document_expect_type (self, def, def_path, TESS_DOC_BOOL))
    input->spec.active = def->boolean;
}

static void
parse_text_input (TessDocument *self, TessDocInput *input, const TessDocNode *node, const char *path)
{
  TessDocNode *def = tess_doc_node_get (node, "default");
  g_autofree char *def_path = tess_document_path_member (path, "default");

  if (def && tess_document_expect_type (self, def, def_path, TESS_DOC_STRING))
    input->text = g_strdup (def->string);
  if (input->text == NULL)
    input->text = g_strdup ("");
  input->spec.text = input->text;
}

/* A date: "YYYY-MM-DD", today by default. */
static void
parse_date_input (TessDocument *self, TessDocInput *input, const TessDocNode *node, const char *path)
{
  TessDocNode *def = tess_doc_node_get (node, "default");
  g_autofree char *def_path = tess_document_path_member (path, "default");

  if (def && tess_document_expect_type (self, def, def_path, TESS_DOC_STRING))
    {
      if (!valid_date (def->string))
        tess_document_error_at (self, def, def_path, "\"%s\" is not a date: write YYYY-MM-DD", def->string);
      else
        input->text = g_strdup (def->string);
    }
  if (input->text == NULL)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      input->text = g_date_time_format (now, "%Y-%m-%d");
    }
  input->spec.text = input->text;
}

static void
parse_button_input (TessDocument *self, TessDocInput *input, const TessDocNode *node, const char *path)
{
  TessDocNode *def = tess_doc_node_get (node, "default");
  g_autofree char *def_path = tess_document_path_member (path, "default");

  if (def)
    tess_document_error_at (self, def, def_path, "a button has no default");
}

/* The kinds of input a document may declare, in the order messages list them. */
typedef struct
{
  const char *name;
  TessInputKind kind;
  /* Reads the members particular to the kind, and the default, into @input. */
  void (*parse) (TessDocument *self, TessDocInput *input, const TessDocNode *node, const char *path);
} InputKind;

static const InputKind input_kinds[] = {
  { "slider", TESS_INPUT_SLIDER, parse_number_input },
  { "range_slider", TESS_INPUT_RANGE_SLIDER, parse_number_input },
  { "selectbox", TESS_INPUT_SELECTBOX, parse_choice_input },
  { "multiselect", TESS_INPUT_MULTISELECT, parse_choice_input },
  { "checkbox", TESS_INPUT_CHECKBOX, parse_switch_input },
  { "toggle", TESS_INPUT_TOGGLE, parse_switch_input },
  { "radio", TESS_INPUT_RADIO, parse_choice_input },
  { "text", TESS_INPUT_TEXT, parse_text_input },
  { "number", TESS_INPUT_NUMBER, parse_number_input },
  { "date", TESS_INPUT_DATE, parse_date_input },
  { "button", TESS_INPUT_BUTTON, parse_button_input },
};

/* The names of the input kinds, for messages. transfer container */
static const char **
input_kind_names (void)
{
  const char **names = g_new0 (const char *, G_N_ELEMENTS (input_kinds) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (input_kinds); i++)
    names[i] = input_kinds[i].name;
  return names;
}

/* The input's "kind", or NULL with a problem. */
static const InputKind *
read_input_kind (TessDocument *self, const TessDocNode *node, const char *path)
{
  TessDocNode *kind_node = tess_doc_node_get (node, "kind");
  g_autofree char *kind_path = tess_document_path_member (path, "kind");
  g_autofree const char **names = input_kind_names ();
  g_autofree char *list = tess_document_quoted_list (names);

  if (kind_node == NULL)
    {
      tess_document_error_missing (self, node, kind_path, "missing member \"kind\": one of %s", list);
      return NULL;
    }
  if (!tess_document_expect_type (self, kind_node, kind_path, TESS_DOC_STRING))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (input_kinds); i++)
    if (g_str_equal (input_kinds[i].name, kind_node->string))
      return &input_kinds[i];
  g_autofree char *hint = tess_document_did_you_mean (kind_node->string, names);
  tess_document_error_at (self, kind_node, kind_path, "unknown input kind \"%s\"%s; use one of %s", kind_node->string,
                          hint, list);
  return NULL;
}

/* A new input with the members every kind has, added to the document. */
static TessDocInput *
add_input (TessDocument *self, const TessDocMember *member, const InputKind *kind, const char *path)
{
  const TessDocNode *node = member->value;
  TessDocInput *input = g_new0 (TessDocInput, 1);

  input->name = g_strdup (member->key);
  input->node = tess_doc_node_ref ((TessDocNode *) node);
  input->label = tess_document_optional_string (self, node, "label", path);
  if (input->label == NULL)
    input->label = g_strdup (member->key);
  input->help = tess_document_optional_string (self, node, "help", path);
  input->placeholder = tess_document_optional_string (self, node, "placeholder", path);
  input->spec.kind = kind->kind;
  input->spec.key = input->name;
  input->spec.label = input->label;
  input->spec.help = input->help;
  input->spec.placeholder = input->placeholder;
  input->spec.disabled = tess_document_optional_bool (self, node, "disabled", path, FALSE);
  g_ptr_array_add (self->inputs, input);
  return input;
}

/* Members that mean nothing for this kind are reported rather than ignored. */
static void
check_members_apply (TessDocument *self, const TessDocNode *node, const char *path, const InputKind *kind)
{
  static const struct
  {
    const char *member;
    guint kinds; /* bit per TessInputKind */
  } applies[] = {
    { "min", 1 << TESS_INPUT_SLIDER | 1 << TESS_INPUT_RANGE_SLIDER | 1 << TESS_INPUT_NUMBER },
    { "max", 1 << TESS_INPUT_SLIDER | 1 << TESS_INPUT_RANGE_SLIDER | 1 << TESS_INPUT_NUMBER },
    { "step", 1 << TESS_INPUT_SLIDER | 1 << TESS_INPUT_RANGE_SLIDER | 1 << TESS_INPUT_NUMBER },
    { "options", 1 << TESS_INPUT_SELECTBOX | 1 << TESS_INPUT_RADIO | 1 << TESS_INPUT_MULTISELECT },
    { "placeholder", 1 << TESS_INPUT_TEXT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (applies); i++)
    {
      const TessDocMember *m = tess_doc_node_get_member (node, applies[i].member);
      if (m && !(applies[i].kinds & (1u << kind->kind)))
        {
          g_autofree char *mpath = tess_document_path_member (path, m->key);
          tess_document_error_at_key (self, m, mpath, FALSE, "\"%s\" does not apply to a %s input", m->key, kind->name);
        }
    }
}

static void
parse_input (TessDocument *self, const TessDocMember *member, const char *path)
{
  const TessDocNode *node = member->value;
  const InputKind *kind;
  TessDocInput *input;

  if (!tess_document_is_identifier (member->key))
    tess_document_error_at_key (self, member, path, FALSE,
                                "input name \"%s\" must start with a letter or _ and hold only letters, digits and _ "
                                "(it is referenced as \"$name\")",
                                member->key);
  if (!tess_document_expect_type (self, node, path, TESS_DOC_OBJECT))
    return;
  tess_document_check_members (self, node, path, input_members, "an input");
  kind = read_input_kind (self, node, path);
  if (kind == NULL)
    return;
  input = add_input (self, member, kind, path);
  kind->parse (self, input, node, path);
  check_members_apply (self, node, path, kind);
}

/* Sources */

static void
source_free (gpointer data)
{
  TessDocSource *source = data;

  g_free (source->name);
  g_clear_pointer (&source->node, tess_doc_node_unref);
  g_free (source->uri);
  g_free (source->format);
  g_strfreev (source->header_names);
  g_strfreev (source->header_values);
  g_clear_pointer (&source->options, tess_doc_node_unref);
  g_free (source);
}

gboolean
tess_document_uri_is_local (const char *uri)
{
  g_autofree char *scheme = g_uri_parse_scheme (uri);

  return scheme == NULL || g_ascii_strcasecmp (scheme, "file") == 0 || g_ascii_strcasecmp (scheme, "resource") == 0;
}

/* A document read over the network is somebody else's: it may load only from
 * the network (or the data bundled with Tessera), never local files, and it
 * may not read environment variables, which could send a secret to its host. */
static gboolean
document_is_remote (TessDocument *self)
{
  g_autofree char *scheme = self->base_uri ? g_uri_parse_scheme (self->base_uri) : NULL;

  return scheme && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"));
}

void
tess_document_error_unknown_source (TessDocument *self, const TessDocNode *node, const char *path)
{
  GStrvBuilder *builder = g_strv_builder_new ();

  for (guint i = 0; i < self->sources->len; i++)
    g_strv_builder_add (builder, ((TessDocSource *) g_ptr_array_index (self->sources, i))->name);
  g_auto (GStrv) names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  g_autofree char *hint = tess_document_did_you_mean (node->string, (const char *const *) names);
  tess_document_error_at (self, node, path, "unknown source \"%s\"%s", node->string, hint);
}

static void
check_uri (TessDocument *self, const TessDocNode *node, const char *path)
{
  g_autofree char *scheme = g_uri_parse_scheme (node->string);

  if (node->string[0] == '\0')
    tess_document_error_at (self, node, path, "the source's uri is empty");
  else if (scheme && !g_str_equal (scheme, "file") && !g_str_equal (scheme, "resource") &&
           !g_str_equal (scheme, "http") && !g_str_equal (scheme, "https"))
    tess_document_error_at (self, node, path,
                            "sources cannot use \"%s:\" URIs; use a path, file://, resource://, http:// or https://",
                            scheme);
  else if (document_is_remote (self) &&
           (g_strcmp0 (scheme, "file") == 0 || (scheme == NULL && g_path_is_absolute (node->string))))
    tess_document_error_at (self, node, path, "a document opened from the network cannot read local files");
  if (document_is_remote (self) && strstr (node->string, "${env:") != NULL)
    tess_document_error_at (self, node, path, "a document opened from the network cannot read environment variables");
}

/* The string or the "uri" member that says where a source's data is, or
 * NULL with a problem. */
static TessDocNode *
find_source_uri (TessDocument *self, const TessDocNode *node, const char *path)
{
  TessDocNode *uri_node;

  if (node->type == TESS_DOC_STRING)
    return (TessDocNode *) node;
  if (node->type != TESS_DOC_OBJECT)
    {
      tess_document_error_at (self, node, path, "a source is a URI string or an object with \"uri\"");
      return NULL;
    }
  tess_document_check_members (self, node, path, source_members, "a source");
  uri_node = tess_doc_node_get (node, "uri");
  if (uri_node == NULL)
    {
      g_autofree char *upath = tess_document_path_member (path, "uri");
      tess_document_error_missing (self, node, upath, "missing member \"uri\": where the data comes from");
    }
  return uri_node;
}

/* Request headers: strings, which may read the environment but not inputs. */
static void
parse_source_headers (TessDocument *self, TessDocSource *source, const TessDocNode *headers, const char *path)
{
  GStrvBuilder *names = g_strv_builder_new ();
  GStrvBuilder *values = g_strv_builder_new ();

  for (guint i = 0; i < tess_doc_node_get_length (headers); i++)
    {
      const TessDocMember *h = tess_doc_node_get_member_index (headers, i);
      g_autofree char *ipath = tess_document_path_member (path, h->key);
      g_autoptr (GHashTable) header_used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (!tess_document_expect_type (self, h->value, ipath, TESS_DOC_STRING))
        continue;
      if (document_is_remote (self) && strstr (h->value->string, "${env:") != NULL)
        tess_document_error_at (self, h->value, ipath,
                                "a document opened from the network cannot read environment variables");
      tess_document_check_string_refs (self, h->value, ipath, TRUE, header_used);
      if (g_hash_table_size (header_used) > 0)
        tess_document_error_at (self, h->value, ipath, "headers cannot depend on inputs");
      g_strv_builder_add (names, h->key);
      g_strv_builder_add (values, h->value->string);
    }
  source->header_names = g_strv_builder_end (names);
  source->header_values = g_strv_builder_end (values);
  g_strv_builder_unref (names);
  g_strv_builder_unref (values);
}

/* The reader's options: delimiter, header, lenient. */
static void
parse_source_options (TessDocument *self, TessDocSource *source, TessDocNode *options, const char *path)
{
  TessDocNode *d;

  tess_document_check_members (self, options, path, source_option_members, "a source's options");
  source->options = tess_doc_node_ref (options);
  tess_document_optional_bool (self, options, "header", path, TRUE);
  tess_document_optional_bool (self, options, "lenient", path, FALSE);
  if ((d = tess_doc_node_get (options, "delimiter")) != NULL)
    {
      g_autofree char *dpath = tess_document_path_member (path, "delimiter");
      if (tess_document_expect_type (self, d, dpath, TESS_DOC_STRING) && strlen (d->string) != 1)
        tess_document_error_at (self, d, dpath, "the delimiter is one character, such as \",\" or \";\"");
    }
}

/* The members of a source written as an object, besides its uri. */
static void
parse_source_members (TessDocument *self, TessDocSource *source, const TessDocNode *node, const char *path)
{
  TessDocNode *n;

  source->format = tess_document_optional_string (self, node, "format", path);
  if (source->format && !tess_document_strv_contains (source_formats, source->format))
    {
      g_autofree char *hint = tess_document_did_you_mean (source->format, source_formats);
      g_autofree char *fpath = tess_document_path_member (path, "format");
      tess_document_error_at (self, tess_doc_node_get (node, "format"), fpath,
                              "unknown format \"%s\"%s; use \"csv\", \"json\" or \"ndjson\"", source->format, hint);
    }
  if ((n = tess_doc_node_get (node, "ttl")) != NULL)
    {
      g_autofree char *tpath = tess_document_path_member (path, "ttl");
      tess_document_read_duration (self, n, tpath, &source->ttl);
    }
  if ((n = tess_doc_node_get (node, "headers")) != NULL)
    {
      g_autofree char *hpath = tess_document_path_member (path, "headers");
      if (tess_document_expect_type (self, n, hpath, TESS_DOC_OBJECT))
        parse_source_headers (self, source, n, hpath);
    }
  if ((n = tess_doc_node_get (node, "options")) != NULL)
    {
      g_autofree char *opath = tess_document_path_member (path, "options");
      if (tess_document_expect_type (self, n, opath, TESS_DOC_OBJECT))
        parse_source_options (self, source, n, opath);
    }
}

static void
parse_source (TessDocument *self, const TessDocMember *member, const char *path)
{
  const TessDocNode *node = member->value;
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TessDocSource *source;
  TessDocNode *uri_node;

  if (!tess_document_is_identifier (member->key))
    tess_document_error_at_key (self, member, path, FALSE,
                                "source name \"%s\" must start with a letter or _ and hold only letters, digits and _",
                                member->key);
  uri_node = find_source_uri (self, node, path);
  if (uri_node == NULL)
    return;
  g_autofree char *uri_path = node == uri_node ? g_strdup (path) : tess_document_path_member (path, "uri");
  if (!tess_document_expect_type (self, uri_node, uri_path, TESS_DOC_STRING))
    return;
  check_uri (self, uri_node, uri_path);
  tess_document_check_string_refs (self, uri_node, uri_path, TRUE, used);

  source = g_new0 (TessDocSource, 1);
  source->name = g_strdup (member->key);
  source->node = tess_doc_node_ref ((TessDocNode *) node);
  source->uri = g_strdup (uri_node->string);
  g_ptr_array_add (self->sources, source);
  if (node->type == TESS_DOC_OBJECT)
    parse_source_members (self, source, node, path);
}

/* Layout */

static void
check_layout_items (TessDocument *self, const TessDocNode *items, const char *path, GHashTable *placed, guint depth);

/* A fragment id in the layout: a known fragment, placed once. */
static void
check_layout_fragment (TessDocument *self, const TessDocNode *item, const char *path, GHashTable *placed)
{
  if (tess_document_lookup_fragment (self, item->string) == NULL)
    {
      GStrvBuilder *b = g_strv_builder_new ();
      for (guint k = 0; k < self->fragments->len; k++)
        g_strv_builder_add (b, ((TessDocFragment *) g_ptr_array_index (self->fragments, k))->id);
      g_auto (GStrv) ids = g_strv_builder_end (b);
      g_strv_builder_unref (b);
      g_autofree char *hint = tess_document_did_you_mean (item->string, (const char *const *) ids);
      tess_document_error_at (self, item, path, "unknown fragment \"%s\"%s", item->string, hint);
    }
  else if (!g_hash_table_add (placed, item->string))
    tess_document_error_at (self, item, path, "fragment \"%s\" is placed twice in the layout", item->string);
}

/* The "weights" of a columns item: a positive number per column. */
static void
check_layout_weights (TessDocument *self, const TessDocNode *weights, const char *path, guint n_columns)
{
  if (!tess_document_expect_type (self, weights, path, TESS_DOC_ARRAY))
    return;
  if (tess_doc_node_get_length (weights) != n_columns)
    tess_document_error_at (self, weights, path, "give one weight per column (%u)", n_columns);
  for (guint w = 0; w < tess_doc_node_get_length (weights); w++)
    {
      TessDocNode *wn = tess_doc_node_get_index (weights, w);
      g_autofree char *wpath = tess_document_path_index (path, w);
      if (tess_document_expect_type (self, wn, wpath, TESS_DOC_NUMBER) && wn->number <= 0)
        tess_document_error_at (self, wn, wpath, "a weight is a positive number");
    }
}

/* {"columns": [[items], ...], "weights": [...]} */
static void
check_columns_item (TessDocument *self, const TessDocNode *item, const char *path, GHashTable *placed, guint depth)
{
  static const char *const column_members[] = { "columns", "weights", NULL };
  TessDocNode *cols = tess_doc_node_get (item, "columns");
  TessDocNode *weights = tess_doc_node_get (item, "weights");
  g_autofree char *cpath = tess_document_path_member (path, "columns");

  tess_document_check_members (self, item, path, column_members, "a columns layout");
  if (!tess_document_expect_type (self, cols, cpath, TESS_DOC_ARRAY))
    return;
  for (guint c = 0; c < tess_doc_node_get_length (cols); c++)
    {
      g_autofree char *ccpath = tess_document_path_index (cpath, c);
      check_layout_items (self, tess_doc_node_get_index (cols, c), ccpath, placed, depth + 1);
    }
  if (weights)
    {
      g_autofree char *wpath = tess_document_path_member (path, "weights");
      check_layout_weights (self, weights, wpath, tess_doc_node_get_length (cols));
    }
}

/* {"tabs": [{"label", "items"}, ...]} */
static void
check_tabs_item (TessDocument *self, const TessDocNode *item, const char *path, GHashTable *placed, guint depth)
{
  static const char *const tabs_members[] = { "tabs", NULL };
  static const char *const tab_members[] = { "label", "items", NULL };
  TessDocNode *tabs = tess_doc_node_get (item, "tabs");
  g_autofree char *tpath = tess_document_path_member (path, "tabs");

  tess_document_check_members (self, item, path, tabs_members, "a tabs layout");
  if (!tess_document_expect_type (self, tabs, tpath, TESS_DOC_ARRAY))
    return;
  for (guint t = 0; t < tess_doc_node_get_length (tabs); t++)
    {
      TessDocNode *tab = tess_doc_node_get_index (tabs, t);
      g_autofree char *ttpath = tess_document_path_index (tpath, t);
      g_autofree char *lpath = tess_document_path_member (ttpath, "label");
      g_autofree char *ipath = tess_document_path_member (ttpath, "items");
      if (!tess_document_expect_type (self, tab, ttpath, TESS_DOC_OBJECT))
        continue;
      tess_document_check_members (self, tab, ttpath, tab_members, "a tab");
      if (tess_doc_node_get (tab, "label") == NULL)
        tess_document_error_missing (self, tab, lpath, "missing member \"label\": the tab's title");
      else
        tess_document_expect_type (self, tess_doc_node_get (tab, "label"), lpath, TESS_DOC_STRING);
      if (tess_doc_node_get (tab, "items") == NULL)
        tess_document_error_missing (self, tab, ipath, "missing member \"items\": the fragments in the tab");
      else
        check_layout_items (self, tess_doc_node_get (tab, "items"), ipath, placed, depth + 1);
    }
}

static void
check_layout_items (TessDocument *self, const TessDocNode *items, const char *path, GHashTable *placed, guint depth)
{
  if (!tess_document_expect_type (self, items, path, TESS_DOC_ARRAY))
    return;
  if (depth > 8)
    {
      tess_document_error_at (self, items, path, "the layout is nested too deeply");
      return;
    }
  for (guint i = 0; i < tess_doc_node_get_length (items); i++)
    {
      TessDocNode *item = tess_doc_node_get_index (items, i);
      g_autofree char *ipath = tess_document_path_index (path, i);
      if (item->type == TESS_DOC_STRING)
        check_layout_fragment (self, item, ipath, placed);
      else if (item->type != TESS_DOC_OBJECT || tess_doc_node_get_length (item) == 0)
        tess_document_error_at (self, item, ipath,
                                "a layout item is a fragment id, {\"columns\": [...]} or {\"tabs\": [...]}");
      else if (tess_doc_node_get (item, "columns"))
        check_columns_item (self, item, ipath, placed, depth);
      else if (tess_doc_node_get (item, "tabs"))
        check_tabs_item (self, item, ipath, placed, depth);
      else
        {
          const TessDocMember *m = tess_doc_node_get_member_index (item, 0);
          static const char *const kinds[] = { "columns", "tabs", NULL };
          g_autofree char *hint = tess_document_did_you_mean (m->key, kinds);
          tess_document_error_at_key (self, m, ipath, FALSE,
                                      "unknown layout item \"%s\"%s; use \"columns\" or \"tabs\"", m->key, hint);
        }
    }
}

static void
parse_layout (TessDocument *self, const TessDocNode *layout)
{
  g_autoptr (GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);
  TessDocNode *n;

  if (!tess_document_expect_type (self, layout, "$.layout", TESS_DOC_OBJECT))
    return;
  tess_document_check_members (self, layout, "$.layout", layout_members, "the layout");
  self->layout = (TessDocNode *) layout;
  if ((n = tess_doc_node_get (layout, "sidebar")) != NULL && n->type != TESS_DOC_BOOL)
    {
      g_autofree char **names = NULL;
      if (tess_document_expect_type (self, n, "$.layout.sidebar", TESS_DOC_ARRAY))
        for (guint i = 0; i < tess_doc_node_get_length (n); i++)
          {
            TessDocNode *item = tess_doc_node_get_index (n, i);
            g_autofree char *ipath = tess_document_path_index ("$.layout.sidebar", i);
            if (tess_document_expect_type (self, item, ipath, TESS_DOC_STRING) &&
                !tess_document_lookup_input (self, item->string))
              {
                g_auto (GStrv) known = input_names (self);
                g_autofree char *hint = tess_document_did_you_mean (item->string, (const char *const *) known);
                tess_document_error_at (self, item, ipath, "unknown input \"%s\"%s", item->string, hint);
              }
          }
    }
  if ((n = tess_doc_node_get (layout, "columns")) != NULL)
    {
      if (tess_document_expect_type (self, n, "$.layout.columns", TESS_DOC_NUMBER) &&
          (!n->is_integer || n->number < 1 || n->number > 6))
        tess_document_error_at (self, n, "$.layout.columns", "columns is a whole number from 1 to 6");
      if (tess_doc_node_get (layout, "main"))
        tess_document_error_at (self, n, "$.layout.columns",
                                "give either \"columns\" (a grid of every fragment) or \"main\", not both");
    }
  if ((n = tess_doc_node_get (layout, "main")) != NULL)
    check_layout_items (self, n, "$.layout.main", placed, 0);
}

/* Signatures */

static char *
checksum_string (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static void
compute_signatures (TessDocument *self)
{
  g_autoptr (GString) structure = g_string_new (NULL);
  TessDocNode *n;

  g_string_append_printf (structure, "base=%s;", self->base_uri ? self->base_uri : "");
  for (const char *const *key = (const char *const[]){ "title", "description", "inputs", "layout", NULL }; *key; key++)
    {
      g_string_append_printf (structure, "%s=", *key);
      if ((n = tess_doc_node_get (self->root, *key)) != NULL)
        tess_doc_node_append_string (n, structure);
      g_string_append_c (structure, ';');
    }
  for (guint i = 0; i < self->fragments->len; i++)
    {
      TessDocFragment *fragment = g_ptr_array_index (self->fragments, i);
      g_autoptr (GString) text = g_string_new (NULL);

      g_string_append_printf (structure, "fragment=%s,%d,%g;", fragment->id, fragment->parallel, fragment->run_every);

      g_string_append_printf (text, "base=%s;", self->base_uri ? self->base_uri : "");
      tess_doc_node_append_string (fragment->node, text);
      /* The sources it loads are part of what it is. */
      for (guint s = 0; s < self->sources->len; s++)
        {
          TessDocSource *source = g_ptr_array_index (self->sources, s);
          g_autofree char *needle = g_strdup_printf ("\"%s\"", source->name);
          g_autofree char *definition = tess_doc_node_to_string (fragment->node);
          if (g_strcmp0 (fragment->source, source->name) == 0 || strstr (definition, needle))
            {
              g_string_append_printf (text, ";source %s=", source->name);
              tess_doc_node_append_string (source->node, text);
            }
        }
      fragment->signature = checksum_string (text->str);
    }
  self->structure_signature = checksum_string (structure->str);
}

/* The document */

static void
tess_document_finalize (GObject *object)
{
  TessDocument *self = (TessDocument *) object;

  g_free (self->base_uri);
  g_clear_pointer (&self->root, tess_doc_node_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_free (self->title);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->fragments, g_ptr_array_unref);
  g_free (self->structure_signature);

  G_OBJECT_CLASS (tess_document_parent_class)->finalize (object);
}

static void
tess_document_class_init (TessDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tess_document_finalize;
}

static void
tess_document_init (TessDocument *self)
{
  self->problems = g_ptr_array_new_with_free_func (problem_free);
  self->inputs = g_ptr_array_new_with_free_func (input_free);
  self->sources = g_ptr_array_new_with_free_func (source_free);
  self->fragments = g_ptr_array_new_with_free_func (tess_doc_fragment_free);
}

static int
compare_problems (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const TessDocumentProblem *pa = *(TessDocumentProblem *const *) a;
  const TessDocumentProblem *pb = *(TessDocumentProblem *const *) b;

  if (pa->sort_line != pb->sort_line)
    return pa->sort_line < pb->sort_line ? -1 : 1;
  if (pa->sort_col != pb->sort_col)
    return pa->sort_col < pb->sort_col ? -1 : 1;
  return 0;
}

void
tess_document_sort_problems (TessDocument *self)
{
  /* g_qsort_with_data is a stable sort: equal positions keep the order found. */
  g_qsort_with_data (self->problems->pdata, self->problems->len, sizeof (gpointer), compare_problems, NULL);
}

/* "tessera", "title" and "description". */
static void
parse_heading (TessDocument *self, const TessDocNode *root)
{
  TessDocNode *n = tess_doc_node_get (root, "tessera");

  if (n == NULL)
    tess_document_error_missing (self, root, "$.tessera", "missing member \"tessera\": the format version, 1");
  else if (n->type != TESS_DOC_NUMBER || n->number != 1)
    tess_document_error_at (self, n, "$.tessera", "unsupported format version; this Tessera reads \"tessera\": 1");

  self->title = tess_document_optional_string (self, root, "title", "$");
  if ((n = tess_doc_node_get (root, "description")) != NULL &&
      tess_document_expect_type (self, n, "$.description", TESS_DOC_STRING))
    {
      self->description = n;
      if (strstr (n->string, "${") || tess_document_is_reference_node (n))
        tess_document_error_at (
            self, n, "$.description",
            "the description cannot show inputs (it is drawn once); use a text or markdown view in a fragment");
    }
}

/* Calls @parse for each member of the object @node at @path ("$.inputs"). */
static void
parse_each_member (TessDocument *self,
                   const TessDocNode *node,
                   const char *path,
                   void (*parse) (TessDocument *self, const TessDocMember *member, const char *path))
{
  if (!tess_document_expect_type (self, node, path, TESS_DOC_OBJECT))
    return;
  for (guint i = 0; i < tess_doc_node_get_length (node); i++)
    {
      const TessDocMember *member = tess_doc_node_get_member_index (node, i);
      g_autofree char *mpath = tess_document_path_member (path, member->key);
      parse (self, member, mpath);
    }
}

static void
parse_fragments (TessDocument *self, const TessDocNode *root)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  TessDocNode *n = tess_doc_node_get (root, "fragments");

  if (n == NULL)
    {
      tess_document_error_missing (self, root, "$.fragments",
                                   "missing member \"fragments\": the sections of the dashboard");
      return;
    }
  if (!tess_document_expect_type (self, n, "$.fragments", TESS_DOC_ARRAY))
    return;
  if (tess_doc_node_get_length (n) == 0)
    tess_document_error_at (self, n, "$.fragments", "\"fragments\" is empty: a dashboard has at least one fragment");
  for (guint i = 0; i < tess_doc_node_get_length (n); i++)
    {
      g_autofree char *path = tess_document_path_index ("$.fragments", i);
      tess_document_parse_fragment (self, tess_doc_node_get_index (n, i), i, path, ids);
    }
}

/* An input nothing reads is harmless but probably a mistake. */
static void
warn_unused_inputs (TessDocument *self)
{
  for (guint i = 0; i < self->inputs->len; i++)
    {
      TessDocInput *input = g_ptr_array_index (self->inputs, i);
      g_auto (GStrv) dependents = tess_document_get_dependents (self, input->name);
      if (dependents[0] == NULL)
        {
          g_autofree char *path = tess_document_path_member ("$.inputs", input->name);
          tess_document_add_problem (self, input->node, path, TRUE, "input \"%s\" is not used by any fragment",
                                     input->name);
        }
    }
}

static void
validate (TessDocument *self)
{
  const TessDocNode *root = self->root;
  TessDocNode *n;

  if (!tess_document_expect_type (self, root, "$", TESS_DOC_OBJECT))
    return;
  tess_document_check_members (self, root, "$", top_members, "a dashboard document");
  parse_heading (self, root);
  if ((n = tess_doc_node_get (root, "inputs")) != NULL)
    parse_each_member (self, n, "$.inputs", parse_input);
  if ((n = tess_doc_node_get (root, "sources")) != NULL)
    parse_each_member (self, n, "$.sources", parse_source);
  parse_fragments (self, root);
  if ((n = tess_doc_node_get (root, "layout")) != NULL)
    parse_layout (self, n);
  warn_unused_inputs (self);
}

TessDocument *
tess_document_new_from_text (const char *text, gssize length, const char *base_uri)
{
  TessDocument *self = g_object_new (TESS_TYPE_DOCUMENT, NULL);
  g_autoptr (GError) error = NULL;
  guint line = 0, col = 0;

  g_return_val_if_fail (text != NULL || length == 0, self);

  self->base_uri = g_strdup (base_uri);
  self->root = tess_doc_node_parse (text ? text : "", length, &line, &col, &error);
  if (self->root == NULL)
    {
      TessDocumentProblem *problem = g_new0 (TessDocumentProblem, 1);
      problem->path = g_strdup ("$");
      problem->line = problem->sort_line = line;
      problem->col = problem->sort_col = col;
      problem->message = g_strdup (error->message);
      g_ptr_array_add (self->problems, problem);
      return self;
    }
  validate (self);
  compute_signatures (self);
  tess_document_sort_problems (self);
  return self;
}

TessDocument *
tess_document_new_from_file (GFile *file, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *uri = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;
  uri = g_file_get_uri (file);
  return tess_document_new_from_text (contents, length, uri);
}

gboolean
tess_document_is_valid (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), FALSE);
  return tess_document_get_n_errors (self) == 0;
}

GPtrArray *
tess_document_get_problems (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  return self->problems;
}

guint
tess_document_get_n_errors (TessDocument *self)
{
  guint n = 0;

  g_return_val_if_fail (TESS_IS_DOCUMENT (self), 0);
  for (guint i = 0; i < self->problems->len; i++)
    if (!((TessDocumentProblem *) g_ptr_array_index (self->problems, i))->warning)
      n++;
  return n;
}

char *
tess_document_format_problems (TessDocument *self, const char *display_name)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  for (guint i = 0; i < self->problems->len; i++)
    {
      TessDocumentProblem *problem = g_ptr_array_index (self->problems, i);
      const char *prefix = problem->warning ? "warning: " : "";
      if (problem->line > 0)
        g_string_append_printf (out, "%s:%u:%u: %s%s\n", display_name, problem->line, problem->col, prefix,
                                problem->message);
      else
        g_string_append_printf (out, "%s: %s: %s%s\n", display_name, problem->path, prefix, problem->message);
    }
  return g_string_free (out, FALSE);
}

const char *
tess_document_get_title (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  return self->title;
}

const char *
tess_document_get_base_uri (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  return self->base_uri;
}

guint
tess_document_get_n_fragments (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), 0);
  return self->fragments->len;
}

const char *
tess_document_get_fragment_id (TessDocument *self, guint index)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->fragments->len, NULL);
  return ((TessDocFragment *) g_ptr_array_index (self->fragments, index))->id;
}

TessDocInput *
tess_document_lookup_input (TessDocument *self, const char *name)
{
  for (guint i = 0; i < self->inputs->len; i++)
    {
      TessDocInput *input = g_ptr_array_index (self->inputs, i);
      if (g_str_equal (input->name, name))
        return input;
    }
  return NULL;
}

TessDocSource *
tess_document_lookup_source (TessDocument *self, const char *name)
{
  for (guint i = 0; i < self->sources->len; i++)
    {
      TessDocSource *source = g_ptr_array_index (self->sources, i);
      if (g_str_equal (source->name, name))
        return source;
    }
  return NULL;
}

TessDocFragment *
tess_document_lookup_fragment (TessDocument *self, const char *id)
{
  for (guint i = 0; i < self->fragments->len; i++)
    {
      TessDocFragment *fragment = g_ptr_array_index (self->fragments, i);
      if (g_str_equal (fragment->id, id))
        return fragment;
    }
  return NULL;
}

const char *const *
tess_document_get_fragment_inputs (TessDocument *self, const char *fragment_id)
{
  TessDocFragment *fragment;

  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (fragment_id != NULL, NULL);
  fragment = tess_document_lookup_fragment (self, fragment_id);
  return fragment ? (const char *const *) fragment->inputs : NULL;
}

char **
tess_document_get_dependents (TessDocument *self, const char *input)
{
  GStrvBuilder *builder;
  char **result;

  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->fragments->len; i++)
    {
      TessDocFragment *fragment = g_ptr_array_index (self->fragments, i);
      if (fragment->inputs && g_strv_contains ((const char *const *) fragment->inputs, input))
        g_strv_builder_add (builder, fragment->id);
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

const char *
tess_document_get_fragment_signature (TessDocument *self, const char *fragment_id)
{
  TessDocFragment *fragment;

  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  fragment = tess_document_lookup_fragment (self, fragment_id);
  return fragment ? fragment->signature : NULL;
}

const char *
tess_document_get_structure_signature (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  return self->structure_signature;
}

char *
tess_document_resolve_uri (TessDocument *self, const char *uri)
{
  g_autofree char *scheme = g_uri_parse_scheme (uri);
  g_autoptr (GFile) file = NULL;

  if (scheme != NULL)
    return g_strdup (uri);
  if (g_path_is_absolute (uri))
    {
      file = g_file_new_for_path (uri);
      return g_file_get_uri (file);
    }
  if (self->base_uri)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *resolved = g_uri_resolve_relative (self->base_uri, uri, G_URI_FLAGS_NONE, &error);
      if (resolved)
        return g_steal_pointer (&resolved);
    }
  file = g_file_new_for_path (uri);
  return g_file_get_uri (file);
}
