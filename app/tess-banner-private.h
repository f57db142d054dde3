/* tess-banner-private.h: what the window's bars share.
 *
 * A bar is a widget holding a revealer that slides down with one row: an
 * icon, the bar's own text, its action button and a close button that hides
 * it. The bars differ in what they say and do, not in how they look. Main
 * thread only.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Builds the row inside a new revealer parented to @bar (which uses a bin
 * layout and unparents the revealer in dispose); @icon_name valigns like
 * @action. Loads @css for the display once. Returns the revealer. */
GtkWidget *tess_banner_build (
    GtkWidget *bar, const char *css, const char *icon_name, GtkAlign valign, GtkWidget *body, GtkWidget *action);

G_END_DECLS
