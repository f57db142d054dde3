/* tess-reconciler.h: TessReconciler, element trees applied to widgets.
 *
 * The reconciler turns each scope update into the smallest change of the
 * widget tree: an element whose pointer did not change is skipped with its
 * whole subtree, an element whose id survives keeps its widget (updated in
 * place), new ids get new widgets, vanished ids lose theirs. A FRAGMENT element
 * is the place of its scope's TessSlot; a SIDEBAR's children go to the
 * sidebar box. Input widgets report the user's changes to the session.
 * A large new subtree can be shown over several frames: see
 * tess_reconciler_apply_update_within().
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-session.h"
#include "tess-slot.h"

G_BEGIN_DECLS

#define TESS_TYPE_RECONCILER (tess_reconciler_get_type ())
G_DECLARE_FINAL_TYPE (TessReconciler, tess_reconciler, TESS, RECONCILER, GObject)

/* @session receives the inputs' values, Retry and button presses; may be NULL
 * (then inputs only emit ::input-committed). Main thread only. */
TessReconciler *tess_reconciler_new (TessSession *session);
TessSession *tess_reconciler_get_session (TessReconciler *self);
/* The box that SIDEBAR children go to (a GtkBox), or NULL to keep them in place. */
void tess_reconciler_set_sidebar (TessReconciler *self, GtkWidget *sidebar);

/* The slot of the scope at @path, made when first asked for. transfer none. */
TessSlot *tess_reconciler_ensure_slot (TessReconciler *self, const char *path);
TessSlot *tess_reconciler_lookup_slot (TessReconciler *self, const char *path);
/* Forgets the slot of a scope that is gone; its widget leaves the tree when
 * its parent's content no longer names it. */
void tess_reconciler_remove_slot (TessReconciler *self, const char *path);
/* Every slot, for counting states. transfer container */
GList *tess_reconciler_get_slots (TessReconciler *self);

/* Applies one scope update: the slot's state and its content. Main thread only. */
void tess_reconciler_apply_update (TessReconciler *self, const TessScopeUpdate *update);
/* The same, but makes no more new widgets once @deadline_us (monotonic time)
 * has passed (it always makes at least one). FALSE when some elements are not
 * shown yet: apply the same update again, later, to continue. Main thread only. */
gboolean tess_reconciler_apply_update_within (TessReconciler *self, const TessScopeUpdate *update, gint64 deadline_us);
/* Makes the children of @box (a GtkBox) show the children of @root; children
 * from @n_fresh on are marked stale (G_MAXUINT: none). Main thread only. */
void tess_reconciler_apply (TessReconciler *self, GtkWidget *box, TessElement *root, guint n_fresh);

/* The widget showing the element @id below @widget (depth first), or NULL. */
GtkWidget *tess_reconciler_find_widget (GtkWidget *widget, const char *id);
/* The element a widget made by the reconciler shows, or NULL. */
TessElement *tess_reconciler_get_widget_element (GtkWidget *widget);

G_END_DECLS
