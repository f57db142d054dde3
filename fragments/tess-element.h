/* tess-element.h: TessElement, one node of the element tree a run builds.
 *
 * Elements are immutable once their run has closed them and are shared by
 * reference between successive snapshots of a scope, so a host can skip a
 * subtree whose pointer did not change. Any thread may read an element; only the
 * runtime makes them.
 *
 * Identity: tess_element_get_id() is stable across runs of the same scope for
 * "the same" element (an explicit key, an input's key, or kind plus ordinal
 * within its parent), so a host reuses one widget per id.
 *
 * Properties are a GVariant dictionary (a{sv}); the keys each kind uses:
 *
 *   ROOT        (the content of one scope; children)
 *   FRAGMENT    path s, key s, parallel b           (the placeholder slot of a fragment)
 *   CONTAINER, SIDEBAR                              (children)
 *   COLUMNS     (children are COLUMN)   COLUMN  weight d
 *   TABS        (children are TAB)      TAB     label s
 *   EXPANDER    label s, expanded b
 *   TITLE, HEADER, SUBHEADER, CAPTION, TEXT, MARKDOWN   text s
 *   CODE        text s, language s
 *   DIVIDER     -
 *   JSON        text s (a JSON document), expanded b
 *   METRIC      label s, value s, delta s, delta-inverse b (down is good)
 *   PROGRESS    value d (0..1), text s
 *   STATUS      text s, state s ("running", "complete", "error")
 *   CALLOUT     kind s ("error", "warning", "info", "success"), text s, details s
 *   IMAGE       uri s | bytes ay, caption s, width i
 *   CHART       spec a{sv} (kind s, x s, y as, color s, title s, ...), frame (tess_element_get_frame)
 *   TABLE       spec a{sv}, frame
 *   inputs: key s, label s, help s, disabled b, value v (the current value) and
 *     SLIDER        min d, max d, step d, value d; range b with value (dd)
 *     SELECTBOX     options as, value s
 *     MULTISELECT   options as, value as
 *     CHECKBOX, TOGGLE  value b
 *     RADIO         options as, value s
 *     TEXT_INPUT    value s, placeholder s
 *     NUMBER_INPUT  value d, min d, max d, step d
 *     DATE_INPUT    value s (YYYY-MM-DD)
 *     BUTTON        (value is b, TRUE only for the run that a press triggered)
 *   DOWNLOAD    label s, filename s, mime s, bytes ay   (a button that saves bytes to a file)
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <glib-object.h>

#include "tess-frame.h"

G_BEGIN_DECLS

typedef enum
{
  TESS_ELEMENT_ROOT,
  TESS_ELEMENT_FRAGMENT,
  TESS_ELEMENT_CONTAINER,
  TESS_ELEMENT_SIDEBAR,
  TESS_ELEMENT_COLUMNS,
  TESS_ELEMENT_COLUMN,
  TESS_ELEMENT_TABS,
  TESS_ELEMENT_TAB,
  TESS_ELEMENT_EXPANDER,
  TESS_ELEMENT_TITLE,
  TESS_ELEMENT_HEADER,
  TESS_ELEMENT_SUBHEADER,
  TESS_ELEMENT_CAPTION,
  TESS_ELEMENT_TEXT,
  TESS_ELEMENT_MARKDOWN,
  TESS_ELEMENT_CODE,
  TESS_ELEMENT_DIVIDER,
  TESS_ELEMENT_JSON,
  TESS_ELEMENT_METRIC,
  TESS_ELEMENT_PROGRESS,
  TESS_ELEMENT_STATUS,
  TESS_ELEMENT_CALLOUT,
  TESS_ELEMENT_IMAGE,
  TESS_ELEMENT_CHART,
  TESS_ELEMENT_TABLE,
  TESS_ELEMENT_SLIDER,
  TESS_ELEMENT_SELECTBOX,
  TESS_ELEMENT_MULTISELECT,
  TESS_ELEMENT_CHECKBOX,
  TESS_ELEMENT_TOGGLE,
  TESS_ELEMENT_RADIO,
  TESS_ELEMENT_TEXT_INPUT,
  TESS_ELEMENT_NUMBER_INPUT,
  TESS_ELEMENT_DATE_INPUT,
  TESS_ELEMENT_BUTTON,
  TESS_ELEMENT_DOWNLOAD,
  TESS_ELEMENT_N_KINDS
} TessElementKind;

typedef struct _TessElement TessElement;

#define TESS_TYPE_ELEMENT (tess_element_get_type ())
GType tess_element_get_type (void) G_GNUC_CONST;

/**
 * tess_element_ref:
 *
 * A new reference to @element.
 *
 * Returns: (transfer full):
 */
TessElement *tess_element_ref (TessElement *element);
/**
 * tess_element_unref:
 *
 * Drops a reference to @element.
 */
void tess_element_unref (TessElement *element);

/**
 * tess_element_get_kind:
 *
 * What kind of element this is.
 */
TessElementKind tess_element_get_kind (const TessElement *element);
/**
 * tess_element_kind_to_string:
 *
 * The kind's name, such as "metric".
 */
const char *tess_element_kind_to_string (TessElementKind kind);
/**
 * tess_element_kind_is_input:
 *
 * Whether elements of @kind are inputs.
 */
gboolean tess_element_kind_is_input (TessElementKind kind);
/**
 * tess_element_kind_is_container:
 *
 * Whether elements of @kind hold children.
 */
gboolean tess_element_kind_is_container (TessElementKind kind);
/**
 * tess_element_get_id:
 *
 * The element's identity, stable across runs of its scope.
 */
const char *tess_element_get_id (const TessElement *element);
/**
 * tess_element_get_props:
 *
 * The element's properties, an a{sv} dictionary (the keys of each kind are
 * listed at the top of this header); owned by the element.
 *
 * Returns: (transfer none):
 */
GVariant *tess_element_get_props (const TessElement *element);
/**
 * tess_element_get_string:
 *
 * The string @prop, or NULL when the element has none (or one of another
 * type).
 *
 * Returns: (nullable):
 */
const char *tess_element_get_string (const TessElement *element, const char *prop);
/**
 * tess_element_get_double:
 *
 * The number @prop, or @fallback.
 */
double tess_element_get_double (const TessElement *element, const char *prop, double fallback);
/**
 * tess_element_get_boolean:
 *
 * The boolean @prop, or @fallback.
 */
gboolean tess_element_get_boolean (const TessElement *element, const char *prop, gboolean fallback);
/**
 * tess_element_lookup:
 * @type: (nullable):
 *
 * The property @prop when it has @type (NULL: any), or NULL.
 *
 * Returns: (transfer full) (nullable):
 */
GVariant *tess_element_lookup (const TessElement *element, const char *prop, const GVariantType *type);
/**
 * tess_element_get_frame:
 *
 * The frame a chart or table shows, or NULL.
 *
 * Returns: (transfer none) (nullable):
 */
TessFrame *tess_element_get_frame (const TessElement *element);
/**
 * tess_element_get_n_children:
 *
 * How many children the element has.
 */
guint tess_element_get_n_children (const TessElement *element);
/**
 * tess_element_get_child:
 *
 * The child at @index.
 *
 * Returns: (transfer none):
 */
TessElement *tess_element_get_child (const TessElement *element, guint index);
/**
 * tess_element_equal:
 *
 * Deep comparison of kind, id, props, frame identity and children.
 */
gboolean tess_element_equal (const TessElement *a, const TessElement *b);
/**
 * tess_element_set: (skip)
 *
 * Like g_set_object(): makes *@element_ptr a new reference to @element
 * unless the two are equal. TRUE when it changed.
 */
gboolean tess_element_set (TessElement **element_ptr, TessElement *element);
/**
 * tess_element_to_text:
 *
 * A readable one-line-per-element dump, for headless output and tests.
 *
 * Returns: (transfer full):
 */
char *tess_element_to_text (const TessElement *element);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessElement, tess_element_unref)

G_END_DECLS
