/* tess-json-view.h: TessJsonView, a JSON document as an expandable tree.
 *
 * Objects and arrays are expanders labelled with their key and size; their
 * members are built when first expanded, so a large document costs nothing
 * until it is opened.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TESS_TYPE_JSON_VIEW (tess_json_view_get_type ())
G_DECLARE_FINAL_TYPE (TessJsonView, tess_json_view, TESS, JSON_VIEW, GtkWidget)

GtkWidget *tess_json_view_new (void);
/* Shows @json_text; with @expanded the top level starts open. Text that is not
 * JSON is shown as an error line. Main thread only. */
void tess_json_view_set_text (TessJsonView *self, const char *json_text, gboolean expanded);
/* The top-level expander, or NULL for a scalar document or a parse error. */
GtkExpander *tess_json_view_get_root_expander (TessJsonView *self);

G_END_DECLS
