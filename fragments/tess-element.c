/* tess-element.c: the immutable element tree runs build and hosts show.
 *
 * An element is closed (immutable, shareable between threads and snapshots)
 * except while its own run is still appending children to it; see
 * tess-element-private.h.
 */
#include "tess-element-private.h"

#include <math.h>

struct _TessElement
{
  gatomicrefcount ref_count;
  TessElementKind kind;
  gboolean open;
  char *id;
  GVariant *props;
  TessFrame *frame;
  GPtrArray *children;
};

G_DEFINE_BOXED_TYPE (TessElement, tess_element, tess_element_ref, tess_element_unref)

static const char *const kind_names[TESS_ELEMENT_N_KINDS] = {
  [TESS_ELEMENT_ROOT] = "root",
  [TESS_ELEMENT_FRAGMENT] = "fragment",
  [TESS_ELEMENT_CONTAINER] = "container",
  [TESS_ELEMENT_SIDEBAR] = "sidebar",
  [TESS_ELEMENT_COLUMNS] = "columns",
  [TESS_ELEMENT_COLUMN] = "column",
  [TESS_ELEMENT_TABS] = "tabs",
  [TESS_ELEMENT_TAB] = "tab",
  [TESS_ELEMENT_EXPANDER] = "expander",
  [TESS_ELEMENT_TITLE] = "title",
  [TESS_ELEMENT_HEADER] = "header",
  [TESS_ELEMENT_SUBHEADER] = "subheader",
  [TESS_ELEMENT_CAPTION] = "caption",
  [TESS_ELEMENT_TEXT] = "text",
  [TESS_ELEMENT_MARKDOWN] = "markdown",
  [TESS_ELEMENT_CODE] = "code",
  [TESS_ELEMENT_DIVIDER] = "divider",
  [TESS_ELEMENT_JSON] = "json",
  [TESS_ELEMENT_METRIC] = "metric",
  [TESS_ELEMENT_PROGRESS] = "progress",
  [TESS_ELEMENT_STATUS] = "status",
  [TESS_ELEMENT_CALLOUT] = "callout",
  [TESS_ELEMENT_IMAGE] = "image",
  [TESS_ELEMENT_CHART] = "chart",
  [TESS_ELEMENT_TABLE] = "table",
  [TESS_ELEMENT_SLIDER] = "slider",
  [TESS_ELEMENT_SELECTBOX] = "selectbox",
  [TESS_ELEMENT_MULTISELECT] = "multiselect",
  [TESS_ELEMENT_CHECKBOX] = "checkbox",
  [TESS_ELEMENT_TOGGLE] = "toggle",
  [TESS_ELEMENT_RADIO] = "radio",
  [TESS_ELEMENT_TEXT_INPUT] = "text_input",
  [TESS_ELEMENT_NUMBER_INPUT] = "number_input",
  [TESS_ELEMENT_DATE_INPUT] = "date_input",
  [TESS_ELEMENT_BUTTON] = "button",
  [TESS_ELEMENT_DOWNLOAD] = "download",
};

const char *
tess_element_kind_to_string (TessElementKind kind)
{
  g_return_val_if_fail (kind < TESS_ELEMENT_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
tess_element_kind_is_input (TessElementKind kind)
{
  return kind >= TESS_ELEMENT_SLIDER && kind <= TESS_ELEMENT_BUTTON;
}

gboolean
tess_element_kind_is_container (TessElementKind kind)
{
  switch (kind)
    {
    case TESS_ELEMENT_ROOT:
    case TESS_ELEMENT_CONTAINER:
    case TESS_ELEMENT_SIDEBAR:
    case TESS_ELEMENT_COLUMNS:
    case TESS_ELEMENT_COLUMN:
    case TESS_ELEMENT_TABS:
    case TESS_ELEMENT_TAB:
    case TESS_ELEMENT_EXPANDER:
      return TRUE;
    default:
      return FALSE;
    }
}

static TessElement *
element_alloc (TessElementKind kind, const char *id, GVariant *props, TessFrame *frame)
{
  TessElement *self = g_new0 (TessElement, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->id = g_strdup (id != NULL ? id : "");
  if (props == NULL)
    props = g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
  self->props = g_variant_ref_sink (props);
  self->frame = frame != NULL ? tess_frame_ref (frame) : NULL;
  return self;
}

TessElement *
tess_element_new (TessElementKind kind, const char *id, GVariant *props, TessFrame *frame)
{
  g_return_val_if_fail (kind < TESS_ELEMENT_N_KINDS, NULL);
  g_return_val_if_fail (props == NULL || g_variant_is_of_type (props, G_VARIANT_TYPE_VARDICT), NULL);

  return element_alloc (kind, id, props, frame);
}

TessElement *
tess_element_new_open (TessElementKind kind, const char *id, GVariant *props)
{
  TessElement *self = tess_element_new (kind, id, props, NULL);

  self->open = TRUE;
  self->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_element_unref);
  return self;
}

TessElement *
tess_element_new_root (GPtrArray *children)
{
  TessElement *self = element_alloc (TESS_ELEMENT_ROOT, "", NULL, NULL);

  self->children = g_ptr_array_new_full (children != NULL ? children->len : 0, (GDestroyNotify) tess_element_unref);
  for (guint i = 0; children != NULL && i < children->len; i++)
    g_ptr_array_add (self->children, tess_element_ref (g_ptr_array_index (children, i)));
  return self;
}

TessElement *
tess_element_ref (TessElement *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tess_element_unref (TessElement *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->id);
  g_variant_unref (self->props);
  g_clear_pointer (&self->frame, tess_frame_unref);
  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_free (self);
}

void
tess_element_append (TessElement *parent, TessElement *child)
{
  g_return_if_fail (parent != NULL && parent->open);
  g_ptr_array_add (parent->children, tess_element_ref (child));
}

void
tess_element_close (TessElement *self)
{
  self->open = FALSE;
}

TessElement *
tess_element_freeze (TessElement *self)
{
  TessElement *copy;

  if (!self->open)
    return tess_element_ref (self);

  copy = element_alloc (self->kind, self->id, g_variant_ref (self->props), self->frame);
  copy->children = g_ptr_array_new_full (self->children->len, (GDestroyNotify) tess_element_unref);
  for (guint i = 0; i < self->children->len; i++)
    g_ptr_array_add (copy->children, tess_element_freeze (g_ptr_array_index (self->children, i)));
  return copy;
}

TessElementKind
tess_element_get_kind (const TessElement *self)
{
  g_return_val_if_fail (self != NULL, TESS_ELEMENT_ROOT);
  return self->kind;
}

const char *
tess_element_get_id (const TessElement *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->id;
}

GVariant *
tess_element_get_props (const TessElement *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->props;
}

GVariant *
tess_element_lookup (const TessElement *self, const char *prop, const GVariantType *type)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (prop != NULL, NULL);
  return g_variant_lookup_value (self->props, prop, type);
}

const char *
tess_element_get_string (const TessElement *self, const char *prop)
{
  const char *value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  /* The string lives as long as the element's props. */
  if (!g_variant_lookup (self->props, prop, "&s", &value))
    return NULL;
  return value;
}

double
tess_element_get_double (const TessElement *self, const char *prop, double fallback)
{
  g_autoptr (GVariant) value = NULL;

  g_return_val_if_fail (self != NULL, fallback);
  value = g_variant_lookup_value (self->props, prop, NULL);
  if (value == NULL)
    return fallback;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return (double) g_variant_get_int64 (value);
  return fallback;
}

gboolean
tess_element_get_boolean (const TessElement *self, const char *prop, gboolean fallback)
{
  gboolean value;

  g_return_val_if_fail (self != NULL, fallback);
  if (!g_variant_lookup (self->props, prop, "b", &value))
    return fallback;
  return value;
}

TessFrame *
tess_element_get_frame (const TessElement *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->frame;
}

guint
tess_element_get_n_children (const TessElement *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->children != NULL ? self->children->len : 0;
}

TessElement *
tess_element_get_child (const TessElement *self, guint index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->children != NULL && index < self->children->len, NULL);
  return g_ptr_array_index (self->children, index);
}

gboolean
tess_element_equal (const TessElement *a, const TessElement *b)
{
  guint n;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (a->kind != b->kind || a->frame != b->frame || g_strcmp0 (a->id, b->id) != 0)
    return FALSE;
  if (!g_variant_equal (a->props, b->props))
    return FALSE;
  n = tess_element_get_n_children (a);
  if (n != tess_element_get_n_children (b))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!tess_element_equal (g_ptr_array_index (a->children, i), g_ptr_array_index (b->children, i)))
      return FALSE;
  return TRUE;
}

gboolean
tess_element_set (TessElement **element_ptr, TessElement *element)
{
  g_return_val_if_fail (element_ptr != NULL, FALSE);

  if (tess_element_equal (*element_ptr, element))
    return FALSE;
  if (element != NULL)
    tess_element_ref (element);
  g_clear_pointer (element_ptr, tess_element_unref);
  *element_ptr = element;
  return TRUE;
}

static void
element_to_text (const TessElement *self, GString *out, guint depth)
{
  const char *text = tess_element_get_string (self, "text");
  const char *label = tess_element_get_string (self, "label");

  if (self->kind != TESS_ELEMENT_ROOT)
    {
      for (guint i = 0; i < depth; i++)
        g_string_append (out, "  ");
      g_string_append (out, kind_names[self->kind]);
      if (label != NULL)
        g_string_append_printf (out, " %s", label);
      if (self->kind == TESS_ELEMENT_METRIC)
        {
          const char *value = tess_element_get_string (self, "value");
          const char *delta = tess_element_get_string (self, "delta");
          g_string_append_printf (out, ": %s", value != NULL ? value : "");
          if (delta != NULL && *delta != '\0')
            g_string_append_printf (out, " (%s)", delta);
        }
      else if (tess_element_kind_is_input (self->kind))
        {
          g_autoptr (GVariant) value = g_variant_lookup_value (self->props, "value", NULL);
          if (value != NULL)
            {
              g_autofree char *printed = g_variant_print (value, FALSE);
              g_string_append_printf (out, " = %s", printed);
            }
        }
      else if (self->kind == TESS_ELEMENT_FRAGMENT)
        g_string_append_printf (out, " %s", self->id);
      else if (self->kind == TESS_ELEMENT_DOWNLOAD)
        {
          g_autoptr (GVariant) bytes = g_variant_lookup_value (self->props, "bytes", G_VARIANT_TYPE_BYTESTRING);
          g_string_append_printf (out, " (%s, %" G_GSIZE_FORMAT " bytes)", tess_element_get_string (self, "filename"),
                                  bytes ? g_variant_get_size (bytes) : 0);
        }
      else if (self->kind == TESS_ELEMENT_PROGRESS)
        g_string_append_printf (out, " %.0f%%", 100 * tess_element_get_double (self, "value", 0));
      else if (self->frame != NULL)
        g_string_append_printf (out, " [%" G_GSIZE_FORMAT " rows]", tess_frame_get_n_rows (self->frame));
      if (text != NULL && self->kind != TESS_ELEMENT_JSON)
        g_string_append_printf (out, ": %s", text);
      g_string_append_c (out, '\n');
      depth++;
    }
  for (guint i = 0; i < tess_element_get_n_children (self); i++)
    element_to_text (g_ptr_array_index (self->children, i), out, depth);
}

char *
tess_element_to_text (const TessElement *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);
  element_to_text (self, out, 0);
  return g_string_free (out, FALSE);
}
