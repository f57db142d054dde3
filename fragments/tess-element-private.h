/* tess-element-private.h: how the runtime builds elements.
 *
 * A run appends to "open" containers while its body executes; everything else
 * is closed and never changes again. tess_element_freeze() turns the open spine
 * of a tree into closed copies, sharing every closed subtree, so publishing a
 * snapshot mid-run costs the width of the open containers, not the tree.
 * The run's lock protects its open containers.
 */
#pragma once

#include "tess-element.h"

G_BEGIN_DECLS

/* Sinks a floating @props; NULL means no properties. Takes a ref on @frame. */
TessElement *tess_element_new (TessElementKind kind, const char *id, GVariant *props, TessFrame *frame);
/* An open container that children can be appended to until it is closed. */
TessElement *tess_element_new_open (TessElementKind kind, const char *id, GVariant *props);
/* Takes a reference on @child. @parent must be open. */
void tess_element_append (TessElement *parent, TessElement *child);
void tess_element_close (TessElement *element);
/* A closed element equal to @element as it is now (transfer full). */
TessElement *tess_element_freeze (TessElement *element);
/* A closed ROOT whose children are @children (transfer none of the array). */
TessElement *tess_element_new_root (GPtrArray *children);

G_END_DECLS
