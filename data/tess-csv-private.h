/* tess-csv-private.h: the CSV reader's insides, shared by its body parse
 * (tess-csv.c) and the parallel driver that runs that parse on pieces of a
 * large body at once (tess-csv-split.c); and the knob tests, fuzzing and
 * benchmarks use to choose how a body is split. Not public API.
 */
#pragma once

#include "tess-csv.h"
#include "tess-frame-private.h"
#include "tess-growing-body-private.h"

G_BEGIN_DECLS

/* How a read splits its body among threads. Tests, fuzzing and benchmarks
 * only; readers of the public API get the automatic choice. */
typedef struct
{
  /* In: the most threads to use; 0 means one per core. 1 with chunk_bytes 0
   * is the one-thread reader. */
  guint max_threads;
  /* In: 0 chooses from the size (small bodies stay whole); otherwise the
   * body is cut about every chunk_bytes bytes, however small, and the chunks
   * are parsed apart even on one thread. */
  gsize chunk_bytes;
  /* In: the columns to read, as tess_csv_read_columns() takes them; NULL
   * reads every column. */
  const char *const *columns;
  /* In, for a body still arriving (tess_csv_read_growing_split()): how much
   * of it the header and the dialect are read from (0: 8 MiB; never less
   * than the 64 KiB sniffed), and how far past its end a chunk waits for
   * text before it is parsed (0: 1 MiB). */
  gsize arriving_prefix;
  gsize arrival_margin;
  /* Out: how the read went, for tests to check they tried what they meant. */
  guint n_chunks;     /* 0 when the body was parsed whole */
  guint n_reruns;     /* chunks parsed again from their true start */
  guint n_reparsed;   /* chunks whose columns were parsed again to merge */
  gboolean fell_back; /* an error: the one-thread reader read it again */
} TessCsvSplit;

TessFrame *tess_csv_read_split (const char *data,
                                gsize length,
                                const TessCsvOptions *options,
                                TessCsvSplit *split,
                                TessCsvInfo *info,
                                GCancellable *cancellable,
                                GError **error);
TessFrame *tess_csv_read_file_split (const char *path,
                                     const TessCsvOptions *options,
                                     TessCsvSplit *split,
                                     TessCsvInfo *info,
                                     GCancellable *cancellable,
                                     GError **error);

/* As tess_csv_read() and tess_csv_read_file(), parsing only the columns
 * named in @columns (NULL: all). The others are cut, quote-aware, and
 * dropped; names the text lacks are ignored. The columns that are read come
 * out as a full read makes them, in the text's order. Runs on a worker
 * thread (any thread). */
TessFrame *tess_csv_read_columns (const char *data,
                                  gsize length,
                                  const TessCsvOptions *options,
                                  const char *const *columns,
                                  TessCsvInfo *info,
                                  GCancellable *cancellable,
                                  GError **error);
TessFrame *tess_csv_read_file_columns (const char *path,
                                       const TessCsvOptions *options,
                                       const char *const *columns,
                                       TessCsvInfo *info,
                                       GCancellable *cancellable,
                                       GError **error);

/* As tess_csv_read_columns(), from a body that is still arriving: the rows
 * are parsed while it does, chunk by chunk on every core, each chunk once
 * its text (and a margin past it) is there. The result is the same as
 * reading the whole body once it is complete. Fails with the download's
 * error when it fails. The body's length must be known (not an open body,
 * unless it has all arrived): the chunks are cut by it. Runs on a worker
 * thread. */
TessFrame *tess_csv_read_growing (TessGrowingBody *body,
                                  const TessCsvOptions *options,
                                  const char *const *columns,
                                  GCancellable *cancellable,
                                  GError **error);
/* As tess_csv_read_growing(), cut as @split says (its columns too). */
TessFrame *tess_csv_read_growing_split (TessGrowingBody *body,
                                        const TessCsvOptions *options,
                                        TessCsvSplit *split,
                                        GCancellable *cancellable,
                                        GError **error);

/* Below: the reader's state, for tess-csv.c and tess-csv-split.c only. */

typedef struct
{
  const char *ptr;
  gsize len;
  gssize scratch; /* offset in the scratch buffer, or -1 */
} CsvField;

typedef struct
{
  const char *data; /* the whole text: errors count lines from here */
  const char *p;
  const char *end; /* of the whole text: a chunk's last row may cross its end */
  char delim;
  gsize line;             /* line of p: 1-based, or relative in a chunk */
  const char *line_start; /* where that line begins */
  gsize row_line;         /* line the current row began on */
  guint8 special[256];
  CsvField *fields;
  guint n_fields;
  guint fields_alloc;
  GString *scratch; /* unescaped quoted fields of the current row */
  /* where the last quoted field began, for errors about its unescaped text */
  const char *field_start;
  const char *field_line_start;
  gsize field_line;
  gboolean unescaped;
} CsvTokenizer;

typedef enum
{
  CSV_COL_UNKNOWN, /* only nulls so far */
  CSV_COL_BOOL,
  CSV_COL_INT,
  CSV_COL_DOUBLE,
  CSV_COL_DATE,
  CSV_COL_TIMESTAMP,
  CSV_COL_STRING,
  CSV_COL_TURNED, /* turned to string in this pass: ignores the rest of it */
} CsvColState;

typedef struct
{
  CsvColState state;
  gboolean forced_string;
  /* an int column read "-0" as 0: a double column would have kept the sign */
  gboolean negative_zero;
  /* the "YYYY-MM-" of the last ISO date, its month's first day and length */
  guint64 cached_prefix;
  gint32 cached_base;
  int cached_mdays;
  gsize pending_nulls;
  TessColumnBuilder *builder;
  /* A string column's recent values, two a hash of their bytes: a value read
   * again takes the offset of the text already kept, so a column of a few
   * names keeps each once. Emptied with the builder; given up on for a
   * column whose values rarely repeat. */
  struct
  {
    guint32 offset;
    guint32 length; /* the value's bytes + 1; 0: an empty slot */
    /* its first and last eight bytes (all of them, from the left, when
     * fewer): a value of up to 16 bytes is compared by these alone */
    guint64 head, tail;
  } recent[64];
  guint recent_tries;
  guint recent_hits;
  gboolean recent_off;
} CsvCol;

typedef struct
{
  const TessCsvOptions *options;
  CsvTokenizer tok;
  CsvCol *cols;
  guint n_cols;
  char **names;       /* owned by the reader of the whole text */
  const guint8 *skip; /* per column: cut but not read; owned by the reader of the whole text */
  const char *body;   /* where the pass starts: a row start */
  /* the pass ends at the first row start at or past stop (the end of the
   * text, or of a chunk), and says where in end_pos */
  const char *stop;
  const char *end_pos;
  gsize body_line;
  gsize n_rows;
  gsize n_ragged;
  gsize first_ragged_line;
  gboolean release;
  const char *released; /* mapping released up to here */
  /* a column turned: this pass stops to start over once it is this far into
   * the body */
  gboolean restart;
  gsize restart_after;
  GCancellable *cancellable;
  /* Parallel reads only (else NULL): columns known to be text in the whole
   * body, which a pass reads as text from its start (gint each, atomic), and
   * a flag that stops every pass early. */
  gint *shared_string;
  gint *abort;
  /* A body still arriving (tess_csv_read_growing()), or NULL: a pass reads
   * only what has arrived (tok.end is set to its end while it does). */
  TessGrowingBody *growing;
} CsvReader;

enum
{
  CSV_APPEND_OK,
  CSV_APPEND_RESTART,
  CSV_APPEND_ERROR,
  CSV_APPEND_ABORT, /* reader->abort was raised: no error set */
};

/* The body parse of tess-csv.c. Any thread, one reader per thread. */
void tess_csv_tokenizer_init (CsvTokenizer *t, const char *data, gsize length, char delim);
void tess_csv_tokenizer_clear (CsvTokenizer *t);
/* Empties every column for a new pass: typed inference again, text for the
 * columns that turned, strings_only or are shared as text. */
void tess_csv_reader_reset_columns (CsvReader *r);
/* One pass from r->body to the first row start at or past r->stop. Returns
 * a CSV_APPEND_ code: OK at the stop, RESTART when columns turned to text. */
int tess_csv_reader_parse_body (CsvReader *r, GError **error);
/* Hands back the mapped pages before @upto (whole pages after r->released). */
void tess_csv_reader_release (CsvReader *r, const char *upto);
/* Gives an untyped column its type, with the nulls it has seen. */
void tess_csv_col_start (CsvCol *col, CsvColState state, TessColumnType type);

typedef enum
{
  CSV_SPLIT_DONE,
  CSV_SPLIT_WHOLE,     /* the caller parses the body whole, on one thread */
  CSV_SPLIT_CANCELLED, /* with the error set */
} CsvSplitResult;

/* tess-csv-split.c: when the body is large enough (or @split asks), parses
 * r's body in chunks on several threads into r's columns (one builder per
 * column, as the one-thread pass leaves them), row count and ragged rows,
 * and says DONE. Says WHOLE for a small body or one thread, and also when
 * the text has an error: the one-thread pass then reads it and reports the
 * error as it always has. Runs on the calling thread and on helpers from a
 * pool shared by every read, of at most one thread per core. */
CsvSplitResult tess_csv_read_body_split (CsvReader *r, TessCsvSplit *split, GError **error);

G_END_DECLS
