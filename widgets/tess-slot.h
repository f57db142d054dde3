/* tess-slot.h: TessSlot, the placeholder a fragment (or the dashboard) owns.
 *
 * A slot shows its scope's state: a spinner with the elapsed time (and the
 * status and progress the fragment reports) before the first output; the
 * content, with leftovers of the previous run dimmed as stale, while a rerun
 * is under way; an error card with the message, expandable details and Retry
 * when the run failed, or the last good content with the error as a badge
 * (and a Retry) when a refresh of it failed; the last good content when a
 * run was cancelled. The content itself is filled by the reconciler
 * (tess-reconciler.h).
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-session.h"

G_BEGIN_DECLS

#define TESS_TYPE_SLOT (tess_slot_get_type ())
G_DECLARE_FINAL_TYPE (TessSlot, tess_slot, TESS, SLOT, GtkWidget)

GtkWidget *tess_slot_new (const char *path);
const char *tess_slot_get_path (TessSlot *self);
/* Shows the state part of @update (everything but the content). Main thread only. */
void tess_slot_set_state (TessSlot *self, const TessScopeUpdate *update);
TessScopeState tess_slot_get_state (TessSlot *self);
guint tess_slot_get_run_count (TessSlot *self);
/* The box the reconciler fills with the scope's content. */
GtkWidget *tess_slot_get_content (TessSlot *self);
/* What assistive technologies call a slot (its accessible label): the text
 * of the first title, header or subheader among @root's children (NULL: no
 * content yet), else the fragment's name, the last part of @path. Main
 * thread or any. transfer full */
char *tess_slot_accessible_name (const char *path, TessElement *root);
/* The accessible label the slot has now. */
const char *tess_slot_get_accessible_name (TessSlot *self);
/* Parts, for tests: "pending" (box), "spinner", "elapsed", "status",
 * "progress", "error" (card), "message", "details", "details-expander",
 * "retry", and the badge of a failed refresh that kept the last good
 * output: "badge" (box), "badge-message", "badge-retry". */
GtkWidget *tess_slot_get_part (TessSlot *self, const char *part);

G_END_DECLS
