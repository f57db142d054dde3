/* tess-source-private.h: what tess-source.c shares with the files that
 * carry parts of its work: choosing a reader and calling it
 * (tess-source-parse.c). Not public API.
 */
#pragma once

#include "tess-source.h"

G_BEGIN_DECLS

/* The format the extension of @uri's path names (query and fragment aside),
 * or TESS_FORMAT_AUTO; a tab-separated one sets *@delimiter. Any thread. */
TessFormat tess_source_format_from_extension (const char *uri, char *delimiter);

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

G_END_DECLS
