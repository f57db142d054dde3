/* tess-document-inputs.c: a document's "inputs": each kind of input, its
 * members and its default, validated into a TessInputSpec.
 *
 * One row of input_kinds[] per kind names it and parses what is particular to
 * it; the members every kind has, and members a kind does not take, are
 * handled once for all.
 */
#include "tess-document-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const input_members[] = { "kind", "label", "help",    "disabled",    "default", "min",
                                             "max",  "step",  "options", "placeholder", NULL };

/* Inputs */

void
tess_doc_input_free (gpointer data)
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
  g_clear_pointer (&input->choices_node, tess_doc_node_unref);
  g_clear_pointer (&input->choices, tess_doc_fragment_free);
  g_clear_pointer (&input->choices_memo, g_ptr_array_unref);
  g_mutex_clear (&input->choices_lock);
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
      tess_document_error_missing (self, node, opath,
                                   "missing member \"options\": the choices, an array of strings or "
                                   "{\"source\", \"column\"} to take them from data");
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

  TessDocNode *options = tess_doc_node_get (node, "options");

  /* Options from data are known when the dashboard runs: the default is
   * checked against them then (tess-document-choices.c). */
  if (options && options->type == TESS_DOC_OBJECT)
    {
      input->choices_node = tess_doc_node_ref (options);
      input->options = g_new0 (char *, 1);
      input->spec.options = (const char *const *) input->options;
      if (input->spec.kind == TESS_INPUT_MULTISELECT)
        input->selected = def ? read_string_array (self, def, def_path) : NULL;
      else if (def && tess_document_expect_type (self, def, def_path, TESS_DOC_STRING))
        input->text = g_strdup (def->string);
      if (input->selected == NULL)
        input->selected = g_new0 (char *, 1);
      input->spec.selected = (const char *const *) input->selected;
      return;
    }
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

  g_mutex_init (&input->choices_lock);
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

void
tess_document_parse_input (TessDocument *self, const TessDocMember *member, const char *path)
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

/* Default values */

/* The value @input has before the user changes it, as the runtime makes it
 * (fragments/tess-input.c). transfer floating */
static GVariant *
default_value (TessDocInput *input)
{
  const TessInputSpec *spec = &input->spec;
  gboolean bounded = spec->min < spec->max;
  guint n_options = input->options ? g_strv_length (input->options) : 0;

  switch (spec->kind)
    {
    case TESS_INPUT_SLIDER:
    case TESS_INPUT_NUMBER:
      return g_variant_new_double (bounded ? CLAMP (spec->value, spec->min, spec->max) : spec->value);
    case TESS_INPUT_RANGE_SLIDER:
      return g_variant_new ("(dd)", MIN (spec->value, spec->value_high), MAX (spec->value, spec->value_high));
    case TESS_INPUT_SELECTBOX:
    case TESS_INPUT_RADIO:
      if (input->choices_node)
        return g_variant_new_string (input->text ? input->text : "");
      return g_variant_new_string (n_options > 0 ? input->options[MIN ((guint) spec->index, n_options - 1)] : "");
    case TESS_INPUT_MULTISELECT:
      return g_variant_new_strv ((const char *const *) input->selected, -1);
    case TESS_INPUT_CHECKBOX:
    case TESS_INPUT_TOGGLE:
      return g_variant_new_boolean (spec->active);
    case TESS_INPUT_TEXT:
    case TESS_INPUT_DATE:
      return g_variant_new_string (input->text ? input->text : "");
    case TESS_INPUT_BUTTON:
    default:
      return g_variant_new_boolean (FALSE);
    }
}

GHashTable *
tess_document_dup_default_values (TessDocument *self)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);

  for (guint i = 0; i < self->inputs->len; i++)
    {
      TessDocInput *input = g_ptr_array_index (self->inputs, i);
      g_hash_table_insert (values, g_strdup (input->name), g_variant_ref_sink (default_value (input)));
    }
  return values;
}
