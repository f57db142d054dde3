/* tess-json-reader-private.h: reading only some columns of JSON, for loads
 * that know what they will use (tess-source.c). Not public API.
 */
#pragma once

#include "tess-growing-body-private.h"
#include "tess-json-reader.h"

G_BEGIN_DECLS

/* As tess_json_read() and tess_json_read_file(), keeping only the columns
 * named in @columns (NULL: all). In records, the values of other names are
 * checked and skipped, never stored; an object of columns reads them all and
 * keeps the asked ones. Names the data lacks are ignored. Runs on a worker
 * thread (any thread). */
TessFrame *tess_json_read_columns (const char *data,
                                   gsize length,
                                   TessJsonLayout layout,
                                   const char *const *columns,
                                   GCancellable *cancellable,
                                   GError **error);
TessFrame *tess_json_read_file_columns (
    const char *path, TessJsonLayout layout, const char *const *columns, GCancellable *cancellable, GError **error);

/* As tess_json_read_columns(), of a body still arriving (of a known length
 * or an open one): reads each record once its text and @window bytes past
 * it have arrived (0: the default, 4 MiB; tests make it small), and what an
 * object of columns holds once it has all arrived. The frame, or the error, is the whole text's; a download
 * that fails fails the read with its error. Runs on a worker thread, not
 * the one that writes the body. */
TessFrame *tess_json_read_growing (TessGrowingBody *body,
                                   TessJsonLayout layout,
                                   const char *const *columns,
                                   gsize window,
                                   GCancellable *cancellable,
                                   GError **error);

G_END_DECLS
