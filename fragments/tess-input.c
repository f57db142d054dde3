/* tess-input.c: inputs: their identity, values, validation and the input
 * functions a body calls.
 *
 * An input lives as long as its session (handles stay valid); its value is
 * guarded by the session lock. Reading a value records that the reading run's
 * scope depends on it, which is what decides exactly what reruns when it
 * changes.
 */
#include "tess-session-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct
{
  const char *name;
  const char *value_type;
  TessElementKind element;
} input_kinds[] = {
  [TESS_INPUT_SLIDER] = { "slider", "d", TESS_ELEMENT_SLIDER },
  [TESS_INPUT_RANGE_SLIDER] = { "range_slider", "(dd)", TESS_ELEMENT_SLIDER },
  [TESS_INPUT_SELECTBOX] = { "selectbox", "s", TESS_ELEMENT_SELECTBOX },
  [TESS_INPUT_MULTISELECT] = { "multiselect", "as", TESS_ELEMENT_MULTISELECT },
  [TESS_INPUT_CHECKBOX] = { "checkbox", "b", TESS_ELEMENT_CHECKBOX },
  [TESS_INPUT_TOGGLE] = { "toggle", "b", TESS_ELEMENT_TOGGLE },
  [TESS_INPUT_RADIO] = { "radio", "s", TESS_ELEMENT_RADIO },
  [TESS_INPUT_TEXT] = { "text_input", "s", TESS_ELEMENT_TEXT_INPUT },
  [TESS_INPUT_NUMBER] = { "number_input", "d", TESS_ELEMENT_NUMBER_INPUT },
  [TESS_INPUT_DATE] = { "date_input", "s", TESS_ELEMENT_DATE_INPUT },
  [TESS_INPUT_BUTTON] = { "button", "b", TESS_ELEMENT_BUTTON },
};

const GVariantType *
tess_input_kind_get_value_type (TessInputKind kind)
{
  return G_VARIANT_TYPE (input_kinds[kind].value_type);
}

const char *
tess_input_kind_to_string (TessInputKind kind)
{
  return input_kinds[kind].name;
}

TessElementKind
tess_input_kind_to_element (TessInputKind kind)
{
  return input_kinds[kind].element;
}

TessInput *
tess_input_new (const char *key, const char *label, TessInputKind kind, GVariant *value, GVariant *spec)
{
  TessInput *input = g_new0 (TessInput, 1);

  input->key = g_strdup (key);
  input->label = g_strdup (label);
  input->kind = kind;
  input->value = g_variant_ref_sink (value);
  input->spec = g_variant_ref_sink (spec);
  return input;
}

/* The session owns its inputs until it is finalized: a binding's copy of a
 * handle is the handle itself. */
static TessInput *
tess_input_copy_handle (TessInput *input)
{
  return input;
}

static void
tess_input_free_handle (TessInput *input)
{
}

G_DEFINE_BOXED_TYPE (TessInput, tess_input, tess_input_copy_handle, tess_input_free_handle)

void
tess_input_free (TessInput *input)
{
  g_free (input->key);
  g_free (input->label);
  g_free (input->owner_path);
  g_clear_pointer (&input->value, g_variant_unref);
  g_clear_pointer (&input->spec, g_variant_unref);
  g_free (input);
}

static gboolean
valid_date (const char *text)
{
  unsigned year, month, day;
  char tail;

  if (text == NULL || sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &tail) != 3 || strlen (text) != 10)
    return FALSE;
  return g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static gboolean
strv_contains (const char *const *strv, const char *text)
{
  return strv != NULL && g_strv_contains (strv, text);
}

GVariant *
tess_input_validate (TessInput *input, GVariant *value, GError **error)
{
  g_autofree const char **options = NULL;
  double min = 0, max = 0;
  gboolean bounded;

  if (!g_variant_is_of_type (value, tess_input_kind_get_value_type (input->kind)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The input “%s” takes a value of type %s, not %s",
                   input->label, input_kinds[input->kind].value_type, g_variant_get_type_string (value));
      return NULL;
    }

  g_variant_lookup (input->spec, "options", "^a&s", &options);
  bounded =
      g_variant_lookup (input->spec, "min", "d", &min) && g_variant_lookup (input->spec, "max", "d", &max) && min < max;

  switch (input->kind)
    {
    case TESS_INPUT_SLIDER:
    case TESS_INPUT_NUMBER:
      {
        double v = g_variant_get_double (value);
        if (isnan (v))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The input “%s” needs a number", input->label);
            return NULL;
          }
        return g_variant_ref_sink (g_variant_new_double (bounded ? CLAMP (v, min, max) : v));
      }
    case TESS_INPUT_RANGE_SLIDER:
      {
        double lo, hi;
        g_variant_get (value, "(dd)", &lo, &hi);
        if (isnan (lo) || isnan (hi))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The input “%s” needs two numbers",
                         input->label);
            return NULL;
          }
        if (lo > hi)
          {
            double t = lo;
            lo = hi;
            hi = t;
          }
        if (bounded)
          {
            lo = CLAMP (lo, min, max);
            hi = CLAMP (hi, min, max);
          }
        return g_variant_ref_sink (g_variant_new ("(dd)", lo, hi));
      }
    case TESS_INPUT_SELECTBOX:
    case TESS_INPUT_RADIO:
      if (!strv_contains (options, g_variant_get_string (value, NULL)))
        {
          g_autofree char *list = options != NULL ? g_strjoinv (", ", (char **) options) : g_strdup ("");
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not one of the options of “%s” (%s)",
                       g_variant_get_string (value, NULL), input->label, list);
          return NULL;
        }
      return g_variant_ref (value);
    case TESS_INPUT_MULTISELECT:
      {
        g_autofree const char **selected = g_variant_get_strv (value, NULL);
        for (guint i = 0; selected[i] != NULL; i++)
          if (!strv_contains (options, selected[i]))
            {
              g_autofree char *list = options != NULL ? g_strjoinv (", ", (char **) options) : g_strdup ("");
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "“%s” is not one of the options of “%s” (%s)", selected[i], input->label, list);
              return NULL;
            }
        return g_variant_ref (value);
      }
    case TESS_INPUT_DATE:
      if (!valid_date (g_variant_get_string (value, NULL)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "The input “%s” needs a date written YYYY-MM-DD, not “%s”", input->label,
                       g_variant_get_string (value, NULL));
          return NULL;
        }
      return g_variant_ref (value);
    case TESS_INPUT_CHECKBOX:
    case TESS_INPUT_TOGGLE:
    case TESS_INPUT_TEXT:
    case TESS_INPUT_BUTTON:
    default:
      return g_variant_ref (value);
    }
}

static gboolean
parse_double (const char *text, double *out)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  return end != text && end != NULL && *end == '\0' && !isnan (*out);
}

static gboolean
parse_boolean (const char *text, gboolean *out)
{
  static const char *const yes[] = { "true", "1", "yes", "on", NULL };
  static const char *const no[] = { "false", "0", "no", "off", NULL };
  g_autofree char *lower = g_ascii_strdown (text, -1);

  if (g_strv_contains (yes, lower))
    return (*out = TRUE), TRUE;
  if (g_strv_contains (no, lower))
    return (*out = FALSE), TRUE;
  return FALSE;
}

GVariant *
tess_input_parse (TessInput *input, const char *text, GError **error)
{
  g_autoptr (GVariant) value = NULL;

  switch (input->kind)
    {
    case TESS_INPUT_SLIDER:
    case TESS_INPUT_NUMBER:
      {
        double v;
        if (!parse_double (text, &v))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not a number", text);
            return NULL;
          }
        value = g_variant_ref_sink (g_variant_new_double (v));
        break;
      }
    case TESS_INPUT_RANGE_SLIDER:
      {
        g_auto (GStrv) parts = g_strsplit_set (text, ",:", 2);
        double lo, hi;
        if (g_strv_length (parts) != 2 || !parse_double (parts[0], &lo) || !parse_double (parts[1], &hi))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not a range; write LOW,HIGH", text);
            return NULL;
          }
        value = g_variant_ref_sink (g_variant_new ("(dd)", lo, hi));
        break;
      }
    case TESS_INPUT_CHECKBOX:
    case TESS_INPUT_TOGGLE:
    case TESS_INPUT_BUTTON:
      {
        gboolean b;
        if (!parse_boolean (text, &b))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not true or false", text);
            return NULL;
          }
        value = g_variant_ref_sink (g_variant_new_boolean (b));
        break;
      }
    case TESS_INPUT_MULTISELECT:
      {
        g_auto (GStrv) parts = *text != '\0' ? g_strsplit (text, ",", -1) : g_new0 (char *, 1);
        for (guint i = 0; parts[i] != NULL; i++)
          g_strstrip (parts[i]);
        value = g_variant_ref_sink (g_variant_new_strv ((const char *const *) parts, -1));
        break;
      }
    case TESS_INPUT_SELECTBOX:
    case TESS_INPUT_RADIO:
    case TESS_INPUT_TEXT:
    case TESS_INPUT_DATE:
    default:
      value = g_variant_ref_sink (g_variant_new_string (text));
      break;
    }
  return tess_input_validate (input, value, error);
}

/* Declaring */

static GVariant *
default_value_for (const TessInputSpec *spec)
{
  gboolean bounded = spec->min < spec->max;
  guint n_options = spec->options != NULL ? g_strv_length ((char **) spec->options) : 0;

  switch (spec->kind)
    {
    case TESS_INPUT_SLIDER:
    case TESS_INPUT_NUMBER:
      return g_variant_new_double (bounded ? CLAMP (spec->value, spec->min, spec->max) : spec->value);
    case TESS_INPUT_RANGE_SLIDER:
      {
        double lo = MIN (spec->value, spec->value_high), hi = MAX (spec->value, spec->value_high);
        if (bounded)
          {
            lo = CLAMP (lo, spec->min, spec->max);
            hi = CLAMP (hi, spec->min, spec->max);
          }
        return g_variant_new ("(dd)", lo, hi);
      }
    case TESS_INPUT_SELECTBOX:
    case TESS_INPUT_RADIO:
      return g_variant_new_string (n_options > 0 ? spec->options[MIN (spec->index, n_options - 1)] : "");
    case TESS_INPUT_MULTISELECT:
      {
        GVariantBuilder builder;
        g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
        for (guint i = 0; spec->selected != NULL && spec->selected[i] != NULL; i++)
          if (strv_contains (spec->options, spec->selected[i]))
            g_variant_builder_add (&builder, "s", spec->selected[i]);
        return g_variant_builder_end (&builder);
      }
    case TESS_INPUT_CHECKBOX:
    case TESS_INPUT_TOGGLE:
      return g_variant_new_boolean (spec->active);
    case TESS_INPUT_TEXT:
      return g_variant_new_string (spec->text != NULL ? spec->text : "");
    case TESS_INPUT_DATE:
      {
        g_autoptr (GDateTime) now = NULL;
        g_autofree char *today = NULL;
        if (valid_date (spec->text))
          return g_variant_new_string (spec->text);
        now = g_date_time_new_now_local ();
        today = g_date_time_format (now, "%Y-%m-%d");
        return g_variant_new_string (today);
      }
    case TESS_INPUT_BUTTON:
    default:
      return g_variant_new_boolean (FALSE);
    }
}

static GVariant *
spec_props_for (const TessInputSpec *spec)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  switch (spec->kind)
    {
    case TESS_INPUT_SLIDER:
    case TESS_INPUT_RANGE_SLIDER:
    case TESS_INPUT_NUMBER:
      g_variant_builder_add (&builder, "{sv}", "min", g_variant_new_double (spec->min));
      g_variant_builder_add (&builder, "{sv}", "max", g_variant_new_double (spec->max));
      g_variant_builder_add (&builder, "{sv}", "step", g_variant_new_double (spec->step));
      if (spec->kind == TESS_INPUT_RANGE_SLIDER)
        g_variant_builder_add (&builder, "{sv}", "range", g_variant_new_boolean (TRUE));
      break;
    case TESS_INPUT_SELECTBOX:
    case TESS_INPUT_RADIO:
    case TESS_INPUT_MULTISELECT:
      g_variant_builder_add (&builder, "{sv}", "options",
                             g_variant_new_strv (spec->options, spec->options != NULL ? -1 : 0));
      break;
    case TESS_INPUT_TEXT:
      if (spec->placeholder != NULL)
        g_variant_builder_add (&builder, "{sv}", "placeholder", g_variant_new_string (spec->placeholder));
      break;
    default:
      break;
    }
  return g_variant_builder_end (&builder);
}

/* "the dashboard" or "the fragment “outer/inner”", for messages. */
static char *
describe_scope (const char *path)
{
  if (*path == '\0')
    return g_strdup ("the dashboard");
  return g_strdup_printf ("the fragment “%s”", path);
}

/* Reports a declaration that may not stand: the run fails with @message,
 * shown where the input would have been. The body carries on. */
static void
refuse_declaration (TessRun *run, const char *message)
{
  tess_run_take_error (run, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, message));
  tess_error (run, message, NULL);
}

static char *
derive_key (TessRun *run, const TessInputSpec *spec)
{
  const char *path = tess_run_get_path (run);
  const char *kind = tess_input_kind_to_string (spec->kind);

  if (spec->key != NULL)
    return g_strdup (spec->key);
  if (*path == '\0')
    return g_strdup_printf ("%s:%s", kind, spec->label);
  return g_strdup_printf ("%s/%s:%s", path, kind, spec->label);
}

TessInput *
tess_declare (TessRun *run, const TessInputSpec *spec)
{
  TessSession *session;
  g_autofree char *key = NULL;
  g_autofree char *description = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) value = NULL;
  g_autoptr (GVariant) spec_props = NULL;
  const char *first;
  TessInput *input;
  TessScope *holder;
  GVariantBuilder props;
  GVariantIter iter;
  const char *name;
  GVariant *prop;

  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (spec != NULL && spec->label != NULL, NULL);
  g_return_val_if_fail (spec->kind <= TESS_INPUT_BUTTON, NULL);

  session = tess_run_get_session (run);
  key = derive_key (run, spec);
  description = g_strdup_printf ("%s “%s”", tess_input_kind_to_string (spec->kind), spec->label);
  spec_props = g_variant_ref_sink (spec_props_for (spec));

  g_mutex_lock (tess_session_get_lock (session));
  first = g_hash_table_lookup (run->declared, key);
  if (first != NULL)
    {
      g_autofree char *message = g_strdup_printf (
          "Two inputs in %s have the key “%s”: %s and %s. Give one of them its own key "
          "(TessInputOptions.key)",
          *tess_run_get_path (run) ? tess_run_get_path (run) : "the dashboard", key, first, description);
      input = tess_session_lookup_input_locked (session, key);
      g_mutex_unlock (tess_session_get_lock (session));
      refuse_declaration (run, message);
      return input;
    }
  /* Another scope's input: two widgets would silently share one value. */
  input = tess_session_lookup_input_locked (session, key);
  holder = input != NULL ? tess_session_get_input_holder_locked (session, run, input) : NULL;
  if (holder != NULL)
    {
      g_autofree char *holder_scope = describe_scope (holder->path);
      g_autofree char *this_scope = describe_scope (tess_run_get_path (run));
      g_autofree char *message = g_strdup_printf (
          "The input key “%s” is declared in two places: %s “%s” in %s and %s in %s. An input belongs to "
          "one fragment: give this one its own key (TessInputOptions.key), or read the other with "
          "tess_input_lookup() instead of declaring it again",
          key, tess_input_kind_to_string (input->kind), input->label, holder_scope, description, this_scope);
      g_mutex_unlock (tess_session_get_lock (session));
      refuse_declaration (run, message);
      return input;
    }
  g_hash_table_insert (run->declared, g_strdup (key), g_strdup (description));
  input = tess_session_declare_input_locked (session, run, key, spec, default_value_for (spec),
                                             g_variant_ref (spec_props), &error);
  value = g_variant_ref (input->value);
  g_mutex_unlock (tess_session_get_lock (session));

  g_variant_builder_init (&props, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&props, "{sv}", "key", g_variant_new_string (key));
  g_variant_builder_add (&props, "{sv}", "label", g_variant_new_string (spec->label));
  if (spec->help != NULL)
    g_variant_builder_add (&props, "{sv}", "help", g_variant_new_string (spec->help));
  g_variant_builder_add (&props, "{sv}", "disabled", g_variant_new_boolean (spec->disabled));
  g_variant_builder_add (&props, "{sv}", "value", value);
  g_variant_iter_init (&iter, spec_props);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &prop))
    {
      g_variant_builder_add (&props, "{sv}", name, prop);
      g_variant_unref (prop);
    }
  tess_element (run, tess_input_kind_to_element (spec->kind), key, g_variant_builder_end (&props), NULL);

  if (error != NULL)
    tess_warning (run, error->message);
  return input;
}

TessInput *
tess_input_lookup (TessRun *run, const char *key)
{
  TessSession *session;
  TessInput *input;

  g_return_val_if_fail (run != NULL && key != NULL, NULL);
  session = tess_run_get_session (run);
  g_mutex_lock (tess_session_get_lock (session));
  input = tess_session_lookup_input_locked (session, key);
  g_mutex_unlock (tess_session_get_lock (session));
  return input;
}

const char *
tess_input_get_key (TessInput *input)
{
  g_return_val_if_fail (input != NULL, NULL);
  return input->key;
}

/* Reading */

GVariant *
tess_input_get_value (TessRun *run, TessInput *input)
{
  TessSession *session;
  GVariant *value;

  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (input != NULL, NULL);

  session = tess_run_get_session (run);
  g_mutex_lock (tess_session_get_lock (session));
  if (!g_hash_table_contains (run->reads, input->key))
    g_hash_table_add (run->reads, g_strdup (input->key));
  if (input->kind == TESS_INPUT_BUTTON)
    {
      gboolean pressed = input->press_serial > input->ack_serial;
      if (pressed)
        {
          guint64 *seen = g_new (guint64, 1);
          *seen = input->press_serial;
          g_hash_table_insert (run->buttons_seen, g_strdup (input->key), seen);
        }
      value = g_variant_ref_sink (g_variant_new_boolean (pressed));
    }
  else
    value = g_variant_ref (input->value);
  g_mutex_unlock (tess_session_get_lock (session));
  return value;
}

double
tess_input_get_double (TessRun *run, TessInput *input)
{
  g_autoptr (GVariant) value = NULL;

  g_return_val_if_fail (run != NULL && input != NULL, NAN);
  value = tess_input_get_value (run, input);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE ("(dd)")))
    {
      double lo, hi;
      g_variant_get (value, "(dd)", &lo, &hi);
      return lo;
    }
  return NAN;
}

gboolean
tess_input_get_boolean (TessRun *run, TessInput *input)
{
  g_autoptr (GVariant) value = NULL;

  g_return_val_if_fail (run != NULL && input != NULL, FALSE);
  value = tess_input_get_value (run, input);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (value) != 0;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return *g_variant_get_string (value, NULL) != '\0';
  return FALSE;
}

const char *
tess_input_get_string (TessRun *run, TessInput *input)
{
  g_autoptr (GVariant) value = NULL;

  g_return_val_if_fail (run != NULL && input != NULL, NULL);
  value = tess_input_get_value (run, input);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return tess_run_keep_string (run, g_variant_dup_string (value, NULL));
  return tess_run_keep_string (run, g_variant_print (value, FALSE));
}

const char *const *
tess_input_get_strv (TessRun *run, TessInput *input)
{
  g_autoptr (GVariant) value = NULL;
  char **strv;

  g_return_val_if_fail (run != NULL && input != NULL, NULL);
  value = tess_input_get_value (run, input);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
    strv = g_variant_dup_strv (value, NULL);
  else
    strv = g_new0 (char *, 1);
  /* Owned by the run, freed with it. */
  tess_run_keep_string (run, (char *) strv);
  for (guint i = 0; strv[i] != NULL; i++)
    tess_run_keep_string (run, strv[i]);
  return (const char *const *) strv;
}

/* Declare and read */

static TessInputSpec
spec_from_options (TessInputKind kind, const char *label, const TessInputOptions *options)
{
  TessInputSpec spec = { .kind = kind, .label = label };

  if (options != NULL)
    {
      spec.key = options->key;
      spec.help = options->help;
      spec.step = options->step;
      spec.disabled = options->disabled;
      spec.placeholder = options->placeholder;
    }
  return spec;
}

double
tess_slider (TessRun *run, const char *label, double min, double max, double value, const TessInputOptions *options)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_SLIDER, label, options);
  TessInput *input;

  spec.min = min;
  spec.max = max;
  spec.value = value;
  input = tess_declare (run, &spec);
  return input != NULL ? tess_input_get_double (run, input) : value;
}

void
tess_range_slider (
    TessRun *run, const char *label, double min, double max, double *low, double *high, const TessInputOptions *options)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_RANGE_SLIDER, label, options);
  g_autoptr (GVariant) value = NULL;
  TessInput *input;

  g_return_if_fail (low != NULL && high != NULL);
  spec.min = min;
  spec.max = max;
  spec.value = *low;
  spec.value_high = *high;
  input = tess_declare (run, &spec);
  if (input == NULL)
    return;
  value = tess_input_get_value (run, input);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE ("(dd)")))
    g_variant_get (value, "(dd)", low, high);
}

const char *
tess_selectbox (TessRun *run, const char *label, const char *const *options, guint index, const TessInputOptions *opts)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_SELECTBOX, label, opts);
  TessInput *input;

  spec.options = options;
  spec.index = index;
  input = tess_declare (run, &spec);
  return input != NULL ? tess_input_get_string (run, input) : NULL;
}

const char *const *
tess_multiselect (TessRun *run,
                  const char *label,
                  const char *const *options,
                  const char *const *selected,
                  const TessInputOptions *opts)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_MULTISELECT, label, opts);
  TessInput *input;

  spec.options = options;
  spec.selected = selected;
  input = tess_declare (run, &spec);
  return input != NULL ? tess_input_get_strv (run, input) : NULL;
}

gboolean
tess_checkbox (TessRun *run, const char *label, gboolean value, const TessInputOptions *options)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_CHECKBOX, label, options);
  TessInput *input;

  spec.active = value;
  input = tess_declare (run, &spec);
  return input != NULL ? tess_input_get_boolean (run, input) : value;
}

gboolean
tess_toggle (TessRun *run, const char *label, gboolean value, const TessInputOptions *options)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_TOGGLE, label, options);
  TessInput *input;

  spec.active = value;
  input = tess_declare (run, &spec);
  return input != NULL ? tess_input_get_boolean (run, input) : value;
}

const char *
tess_radio (TessRun *run, const char *label, const char *const *options, guint index, const TessInputOptions *opts)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_RADIO, label, opts);
  TessInput *input;

  spec.options = options;
  spec.index = index;
  input = tess_declare (run, &spec);
  return input != NULL ? tess_input_get_string (run, input) : NULL;
}

const char *
tess_text_input (TessRun *run, const char *label, const char *value, const TessInputOptions *options)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_TEXT, label, options);
  TessInput *input;

  spec.text = value;
  input = tess_declare (run, &spec);
  return input != NULL ? tess_input_get_string (run, input) : value;
}

double
tess_number_input (
    TessRun *run, const char *label, double value, double min, double max, const TessInputOptions *options)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_NUMBER, label, options);
  TessInput *input;

  spec.value = value;
  spec.min = min;
  spec.max = max;
  input = tess_declare (run, &spec);
  return input != NULL ? tess_input_get_double (run, input) : value;
}

const char *
tess_date_input (TessRun *run, const char *label, const char *value, const TessInputOptions *options)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_DATE, label, options);
  TessInput *input;

  spec.text = value;
  input = tess_declare (run, &spec);
  return input != NULL ? tess_input_get_string (run, input) : value;
}

gboolean
tess_button (TessRun *run, const char *label, const TessInputOptions *options)
{
  TessInputSpec spec = spec_from_options (TESS_INPUT_BUTTON, label, options);
  TessInput *input;

  input = tess_declare (run, &spec);
  return input != NULL && tess_input_get_boolean (run, input);
}
