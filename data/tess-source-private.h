/* tess-source-private.h: what tess-source.c shares with the files that
 * carry parts of its work: choosing a reader and calling it
 * (tess-source-parse.c), and the column sets of partial loads
 * (tess-source-columns.c). Not public API.
 */
#pragma once

#include "tess-growing-body-private.h"
#include "tess-source.h"

G_BEGIN_DECLS

/* The format the extension of @uri's path names (query and fragment aside),
 * or TESS_FORMAT_AUTO; a tab-separated one sets *@delimiter. Any thread. */
TessFormat tess_source_format_from_extension (const char *uri, char *delimiter);

/* The format the options, @content_type or the extension of @uri give
 * without looking at the text (setting *@delimiter as choosing it would), or
 * TESS_FORMAT_AUTO when only the text can tell. Any thread. */
TessFormat
tess_source_format_known (const char *content_type, const char *uri, const TessLoadOptions *options, char *delimiter);

/* Parses a CSV or JSON body still arriving (tess-growing-body-private.h) as
 * it arrives, as tess_source_parse_data() parses it whole. Runs on a worker
 * thread. */
TessFrame *tess_source_parse_growing (TessGrowingBody *body,
                                      const char *content_type,
                                      const char *uri,
                                      const TessLoadOptions *options,
                                      GCancellable *cancellable,
                                      GError **error);

/* Parses @length bytes at @data, or the file at @path when @path is set,
 * with the reader that @options, @content_type, the extension of @uri or the
 * text itself choose. Errors are prefixed with @uri. Runs on a worker
 * thread. */
TessFrame *tess_source_parse_data (const char *data,
                                   gsize length,
                                   const char *path,
                                   const char *content_type,
                                   const char *uri,
                                   const TessLoadOptions *options,
                                   GCancellable *cancellable,
                                   GError **error);

/* Column sets (tess-source-columns.c). Every function is thread-safe. */

/* @columns sorted, without repeats; NULL for NULL. transfer full */
char **tess_source_columns_normalize (const char *const *columns);
/* The columns a load of @wanted (normalized) should read, for a source
 * whose full load has the cache key @full_key: a set the cache holds that
 * has them all, or else @wanted with the columns of every partial frame held.
 * NULL, with *@full set, when the full frame is held. transfer full */
char **tess_source_columns_choose (const char *full_key, const char *const *wanted, gboolean *full);
/* Notes that the cache holds (or makes) the frame of @columns (NULL: all)
 * of the source of @full_key under @key. */
void tess_source_columns_note (const char *full_key, const char *const *columns, const char *key);
/* @frame with only the columns named in @wanted, in its order; shares them.
 * Takes @frame. transfer full */
TessFrame *tess_source_columns_project (TessFrame *frame, const char *const *wanted);

G_END_DECLS
