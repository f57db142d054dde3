/* tess-element-widgets.h: the widgets that show output elements and layout.
 *
 * One constructor and one update function cover every element kind that is
 * not an input (see tess-input-widgets.h) and not a FRAGMENT (a TessSlot). The
 * reconciler calls them; tests may too.
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-element.h"

G_BEGIN_DECLS

/* Creates the widget for an element of @kind. For containers, *@content_out
 * receives the widget their children go into: a GtkBox, a TessColumns (for
 * COLUMNS) or a GtkNotebook (for TABS); otherwise NULL. Main thread only. */
GtkWidget *tess_element_widget_new (TessElementKind kind, GtkWidget **content_out);
/* Shows @element in @widget, made by tess_element_widget_new() for its kind.
 * Only what changed is touched. Main thread only. */
void tess_element_widget_update (GtkWidget *widget, TessElement *element);

/* Parts, for tests and the reconciler: the label showing a metric's delta,
 * the label of text-like elements, a code block's copy button. NULL when the
 * widget has no such part. */
GtkWidget *tess_element_widget_get_part (GtkWidget *widget, const char *part);

/* What a DOWNLOAD element's button does once the user has picked @file:
 * writes the element's bytes there. FALSE with @error (naming the file) when
 * it cannot. Main thread only. */
gboolean tess_element_widget_save_download (TessElement *element, GFile *file, GError **error);

/* What a metric shows for @value: a plain number in the shared format
 * (grouped from 10,000, compact from a million), with the whole number in
 * *@full_out when shortened; other text as it is. Any thread. transfer full */
char *tess_metric_display_text (const char *value, char **full_out);

G_END_DECLS
