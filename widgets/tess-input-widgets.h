/* tess-input-widgets.h: the widgets of input elements.
 *
 * An input widget shows an input element (slider, select box, multiselect,
 * checkbox, toggle, radio, text, number, date, button) and reports what the
 * user does through a commit function; it never changes what the session
 * holds by itself. Updates from the runtime never fight the user: a slider
 * being dragged or an entry being typed into keeps its value, grab, focus and
 * cursor.
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-element.h"

G_BEGIN_DECLS

/* @value is the new value (floating; the callee sinks it), or NULL for a button
 * press. Main thread only. */
typedef void (*TessInputCommitFunc) (GtkWidget *input, const char *key, GVariant *value, gpointer user_data);

/* Main thread only. */
GtkWidget *tess_input_widget_new (TessElementKind kind, TessInputCommitFunc commit, gpointer user_data);
/* Shows @element; @value, when not NULL, is the value to show instead of the
 * element's (the session's current value, newer than the element's). The value
 * is left alone while the user is interacting. Main thread only. */
void tess_input_widget_update (GtkWidget *widget, TessElement *element, GVariant *value);
/* The control the user operates (the scale, entry, drop-down, ...). For a
 * range slider this is the low scale; "high" gives the other one. */
GtkWidget *tess_input_widget_get_control (GtkWidget *widget);
GtkWidget *tess_input_widget_get_part (GtkWidget *widget, const char *part);
/* TRUE while the user drags or types into this input. */
gboolean tess_input_widget_is_busy (GtkWidget *widget);
const char *tess_input_widget_get_key (GtkWidget *widget);

G_END_DECLS
