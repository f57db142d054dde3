/* tess-json-reader.h: the JSON reader.
 *
 * Reads an array of records ([{"a": 1}, ...]), an object of columns
 * ({"a": [1, 2], ...}) or NDJSON (one record per line), in one pass straight
 * into columns, with type inference. Nested objects are flattened into dotted
 * column names ("address.city"); arrays inside records are kept as JSON text.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tess-frame.h"

G_BEGIN_DECLS

typedef enum
{
  TESS_JSON_AUTO = 0, /* NDJSON when the text is one object per line, else a document */
  TESS_JSON_DOCUMENT, /* an array of records or values, or an object of columns */
  TESS_JSON_NDJSON,
  /* A top-level array and nothing else. Every layout is read one value at a
   * time, so memory stays near the size of the frame. */
  TESS_JSON_ARRAY_STREAM,
} TessJsonLayout;

/**
 * tess_json_read:
 * @data: (array length=length) (element-type guint8):
 * @cancellable: (nullable):
 *
 * Errors give the line and column of a problem and the record it is in. Runs
 * on a worker thread (any thread).
 *
 * Returns: (transfer full):
 */
TessFrame *
tess_json_read (const char *data, gsize length, TessJsonLayout layout, GCancellable *cancellable, GError **error);

/**
 * tess_json_read_file:
 * @path: (type filename):
 * @cancellable: (nullable):
 *
 * Maps the file and reads it, releasing the read part of the mapping as it
 * goes, so that memory stays close to the size of the frame. Runs on a
 * worker thread (any thread).
 *
 * Returns: (transfer full):
 */
TessFrame *tess_json_read_file (const char *path, TessJsonLayout layout, GCancellable *cancellable, GError **error);

G_END_DECLS
