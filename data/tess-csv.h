/* tess-csv.h: the CSV reader.
 *
 * RFC 4180 (quoted fields, doubled quotes, line breaks inside quotes, CRLF or
 * LF), UTF-8 with or without a byte order mark, delimiter sniffing among
 * , ; tab and |, header detection and type inference per column.
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
  TESS_CSV_HEADER_AUTO = 0, /* the first row is a header unless it looks like data */
  TESS_CSV_HEADER_PRESENT,
  TESS_CSV_HEADER_ABSENT, /* columns are named column1, column2, ... */
} TessCsvHeader;

typedef struct
{
  char delimiter; /* 0: sniff among , ; \t | */
  TessCsvHeader header;
  /* Rows with too few fields are padded with nulls and extra fields dropped,
   * instead of failing; invalid UTF-8 is replaced instead of failing. */
  gboolean lenient;
  /* Every column is a string column (only empty fields are null). */
  gboolean strings_only;
} TessCsvOptions;

/* What the reader found, for a caller that wants to report it. */
typedef struct
{
  char delimiter;
  gboolean has_header;
  gsize n_rows;
  gsize n_ragged_rows; /* rows padded or cut in lenient mode */
} TessCsvInfo;

/**
 * tess_csv_read:
 * @data: (array length=length) (element-type guint8):
 * @options: (nullable):
 * @info: (out caller-allocates) (optional):
 * @cancellable: (nullable):
 *
 * Parses @length bytes of CSV. @options and @info may be NULL. Errors name the
 * line and column of the problem. A large body is parsed on every core, by
 * the calling thread and helpers from a pool every read shares, with the
 * same result as on one. Runs on a worker thread (any thread).
 *
 * Returns: (transfer full):
 */
TessFrame *tess_csv_read (const char *data,
                          gsize length,
                          const TessCsvOptions *options,
                          TessCsvInfo *info,
                          GCancellable *cancellable,
                          GError **error);

/**
 * tess_csv_read_file:
 * @path: (type filename):
 * @options: (nullable):
 * @info: (out caller-allocates) (optional):
 * @cancellable: (nullable):
 *
 * Maps the file and parses it as tess_csv_read() does, releasing the parsed
 * part of the mapping as it goes so memory stays close to the size of the
 * frame. Runs on a worker thread.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_csv_read_file (
    const char *path, const TessCsvOptions *options, TessCsvInfo *info, GCancellable *cancellable, GError **error);

/**
 * tess_frame_get_warning:
 *
 * What a reader had to repair to make @frame, for the user to see (for
 * example "Lines 4 and 9 had the wrong number of fields; 2 rows were padded
 * or cut"), or NULL. Any thread.
 *
 * Returns: (nullable):
 */
const char *tess_frame_get_warning (const TessFrame *frame);

/**
 * tess_parse_int64:
 * @value: (out):
 *
 * Value parsers shared with the JSON reader and transforms. Each returns FALSE
 * when the whole of [@text, @text + @len) is not such a value.
 */
gboolean tess_parse_int64 (const char *text, gsize len, gint64 *value);
/**
 * tess_parse_double:
 * @value: (out):
 *
 * Reads a number, as data files write them.
 */
gboolean tess_parse_double (const char *text, gsize len, double *value);
/**
 * tess_parse_date:
 * @days: (out):
 *
 * YYYY-MM-DD, YYYY/MM/DD, "Jan 1 2000", "1 Jan 2000", "January 1, 2000"
 */
gboolean tess_parse_date (const char *text, gsize len, gint32 *days);
/**
 * tess_parse_timestamp:
 * @usec: (out):
 *
 * ISO 8601 date and time, T or space separated, optional fraction and offset;
 * without an offset the time is taken as UTC.
 */
gboolean tess_parse_timestamp (const char *text, gsize len, gint64 *usec);
/**
 * tess_parse_bool:
 * @value: (out):
 *
 * Reads true/false, yes/no and the like.
 */
gboolean tess_parse_bool (const char *text, gsize len, gboolean *value);
/**
 * tess_is_null_token:
 *
 * Whether the text is one of the ways data files write a missing value ("",
 * NA, NULL, null, NaN, ...).
 */
gboolean tess_is_null_token (const char *text, gsize len);

G_END_DECLS
