/* tess-spinner.h: TessSpinner, the busy indicator of slots and status lines.
 *
 * A ring with a turning arc, like GtkSpinner, but it turns in whole steps
 * (sixteen a second, the same phase for every spinner) instead of a CSS
 * animation that restyles and redraws each spinner on every frame. A dashboard
 * shows dozens of them at once, and every redraw of the window costs a paint
 * of the whole tree in software rendering; stepping keeps most frames free of
 * spinner damage, and the frames that have it share it.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TESS_TYPE_SPINNER (tess_spinner_get_type ())
G_DECLARE_FINAL_TYPE (TessSpinner, tess_spinner, TESS, SPINNER, GtkWidget)

GtkWidget *tess_spinner_new (void);
void tess_spinner_set_spinning (TessSpinner *self, gboolean spinning);
gboolean tess_spinner_get_spinning (TessSpinner *self);

G_END_DECLS
