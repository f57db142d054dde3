/* tess-input-widgets.h: TessInputWidget, the widget of an input element.
 *
 * An input widget shows an input element (slider, select box, multiselect,
 * checkbox, toggle, radio, text, number, date, button) and reports what the
 * user does through a commit function; it never changes what the session
 * holds by itself. Updates from the runtime never fight the user: a slider
 * being dragged or an entry being typed into keeps its value, grab, focus and
 * cursor.
 *
 * The functions take any GtkWidget, as the reconciler holds them; the getters
 * answer NULL (or FALSE) for a widget that is not an input widget.
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-element.h"

G_BEGIN_DECLS

#define TESS_TYPE_INPUT_WIDGET (tess_input_widget_get_type ())
G_DECLARE_FINAL_TYPE (TessInputWidget, tess_input_widget, TESS, INPUT_WIDGET, GtkBox)

/* @value is the new value (floating; the callee sinks it), or NULL for a button
 * press. Main thread only. */
typedef void (*TessInputCommitFunc) (GtkWidget *input, const char *key, GVariant *value, gpointer user_data);

/* A TessInputWidget for an input element of @kind. Main thread only. */
GtkWidget *tess_input_widget_new (TessElementKind kind, TessInputCommitFunc commit, gpointer user_data);
/* Shows @element; @value, when not NULL, is the value to show instead of the
 * element's (the session's current value, newer than the element's). The value
 * is left alone while the user is interacting. Main thread only. */
void tess_input_widget_update (GtkWidget *widget, TessElement *element, GVariant *value);
/* The control the user operates (the scale, entry, drop-down, ...). For a
 * range slider this is the low scale; "high" gives the other one. */
GtkWidget *tess_input_widget_get_control (GtkWidget *widget);
/* "label", "high" (a range slider's high scale), "calendar" (a date input's)
 * or "group" (the box of a radio's or a multiselect's options). */
GtkWidget *tess_input_widget_get_part (GtkWidget *widget, const char *part);
/* TRUE while the user drags or types into this input. */
gboolean tess_input_widget_is_busy (GtkWidget *widget);
const char *tess_input_widget_get_key (GtkWidget *widget);

G_END_DECLS
