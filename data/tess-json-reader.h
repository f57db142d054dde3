/* tess-json-reader.h: the JSON reader.
 *
 * Reads an array of records ([{"a": 1}, ...]), an object of columns
 * ({"a": [1, 2], ...}) or NDJSON (one record per line). Nested objects are
 * flattened into dotted column names ("address.city"); arrays inside records
 * are kept as JSON text.
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
  TESS_JSON_AUTO = 0, /* NDJSON when the text is one object per line; large arrays are streamed */
  TESS_JSON_DOCUMENT,
  TESS_JSON_NDJSON,
  /* A top-level array read one element at a time, so memory stays near the
   * size of the frame; AUTO does this for arrays above 32 MB. */
  TESS_JSON_ARRAY_STREAM,
} TessJsonLayout;

/* Errors give the line and column of a syntax error, or the index of the
 * record that does not fit. Runs on a worker thread (any thread). */
TessFrame *
tess_json_read (const char *data, gsize length, TessJsonLayout layout, GCancellable *cancellable, GError **error);

G_END_DECLS
