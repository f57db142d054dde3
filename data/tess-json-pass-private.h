/* tess-json-pass-private.h: one pass of the JSON reader over the text
 * (tess-json-pass.c), for the reader's entry points (tess-json-reader.c),
 * which set the pass up, run it until it needs no other, and build the
 * frame. Not public API; not thread-safe: one reader per read.
 */
#pragma once

#include "tess-frame-private.h"
#include "tess-growing-body-private.h"
#include "tess-json-lexer-private.h"
#include "tess-json-reader.h"

G_BEGIN_DECLS

typedef enum
{
  COL_UNKNOWN, /* only nulls (and empty strings) so far */
  COL_BOOL,
  COL_INT,
  COL_DOUBLE,
  COL_DATE,
  COL_TIMESTAMP,
  COL_STRING,
  COL_TURNED, /* turned to string in this pass, which will start over: values are skipped */
} ColState;

/* What a value can be stored as, for the measure of a table too big to build. */

typedef struct
{
  char *name; /* safe to show (tess_column_name_make_safe()) */
  ColState state;
  TessValueKind kind;     /* while measuring */
  gboolean forced_string; /* a restart fixed this column to string */
  /* an int64 beyond 2^53 went in: as a double it no longer writes back as it was read */
  gboolean big_ints;
  gsize filled;    /* rows this column has a cell for; the rest are nulls to come */
  gsize object;    /* the object that gave the last cell, to tell a repeated key */
  GArray *empties; /* rows (gsize) of empty strings, held as nulls unless the column becomes string */
  TessColumnBuilder *builder;
} Col;

/* A flattened name: a key of a record, or of an object inside one. */
typedef struct _Node Node;
struct _Node
{
  char *key; /* as decoded, up to a \u0000 */
  gsize key_length;
  gboolean plain;       /* no quote or backslash: the key's bytes in the text are its decoded bytes */
  char *path;           /* "address.city", as written */
  Col *col;             /* the column of a value under this name, once there is one */
  GHashTable *children; /* key -> Node, for an object under this name */
  Node *first_child;    /* the key that came first in this object last time */
  Node *next;           /* the key that came after this one last time */
  gboolean skip;        /* no column asked for is this name or under it */
};

typedef enum
{
  WHERE_TOP,
  WHERE_RECORD, /* a record of an array or of NDJSON */
  WHERE_COLUMN, /* a value of an object of columns */
} Where;

typedef enum
{
  READ_OK,
  READ_RESTART,  /* some columns turned to string: start over */
  READ_MEASURED, /* the table grew past the budget and the rest was measured */
  READ_ERROR,
} ReadResult;

typedef struct
{
  TessJsonLexer lex;
  const char *data; /* the whole text */
  const char *data_end;
  GCancellable *cancellable;
  const char *const *wanted; /* the columns to read; NULL: all */

  GHashTable *by_name; /* safe name -> Col */
  GPtrArray *cols;     /* in order of first appearance */
  Node *root;
  GString *text; /* nested values rendered as JSON text */
  GString *key;  /* a key being looked up */
  gsize row;     /* the record (row) being read */
  gsize object;  /* a serial number per object read */

  /* where we are, for errors */
  Where where;
  gboolean ndjson;
  gsize line; /* NDJSON: the line being read, and where it starts */
  const char *line_start;
  const char *column_name; /* WHERE_COLUMN */

  /* the memory budget: room for the table, and its size per row so far */
  guint64 room;
  guint64 row_bytes;
  gboolean measuring;
  gboolean size_known_to_fit;

  /* some columns turned to string: this pass stops, to start over, once it
   * reaches this point */
  gboolean restart;
  const char *restart_at;

  /* a mapped file is released as it is read */
  gboolean release;
  const char *released;

  /* a body still arriving (or a text read as one): the text is read up to
   * avail, at least window / 4 bytes past each record */
  TessGrowingBody *growing;
  gboolean open_end; /* its length is not known yet: data_end is the most it holds */
  const char *body;  /* its first byte (data is past a BOM) */
  const char *avail;
  const char *await_at; /* a record from here on waits for more first */
  gsize window;
  gboolean windowed; /* avail has been short of data_end: an error may be the window's */
} Reader;

void tess_json_pass_col_free (Col *col);
void tess_json_pass_node_free (Node *node);
/* Back to no rows, for a new pass; the caller counts its size again. */
void tess_json_pass_col_clear (Col *col);
/* The column starts to hold values of @state, after col->filled nulls. */
void tess_json_pass_col_start (Reader *r, Col *col, ColState state);
/* The bytes a row of @col takes in the table. */
gsize tess_json_pass_col_row_bytes (Reader *r, Col *col);
/* The size the table would have, as its columns are now, with @rows rows. */
guint64 tess_json_pass_table_bytes (Reader *r, gsize rows);

/* A body still arriving: waits until the text up to @upto (at most its
 * end) has arrived, and reads up to there; FALSE when the download failed. */
gboolean tess_json_pass_await (Reader *r, const char *upto, GError **error);
/* A mapped file: gives back the pages up to @upto. */
void tess_json_pass_release (Reader *r, const char *upto);

/* One pass over NDJSON, or over a document (@layout: TESS_JSON_AUTO,
 * _DOCUMENT or _ARRAY_STREAM), from the start of the text. */
ReadResult tess_json_pass_ndjson (Reader *r, GError **error);
ReadResult tess_json_pass_document (Reader *r, TessJsonLayout layout, GError **error);

G_END_DECLS
