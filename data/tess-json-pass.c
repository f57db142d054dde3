/* tess-json-pass.c: one pass of the JSON reader over the text
 * (tess-json-pass-private.h; tess-json-reader.c says what the reader does).
 *
 * Each value goes straight into its column's builder, parsed as the type
 * the column has shown so far. A record's keys are found through a tree of
 * the names seen so far, one node per flattened name ("address.city"), and
 * each node remembers which key followed it last time: records that repeat
 * their keys in the same order, as most do, find each column with one
 * comparison of bytes.
 *
 * A body still arriving is read through a window: before each record the
 * pass waits until the text a window ahead has arrived (await_at marks where
 * the next wait is due), and the lexer reads no further than that. An NDJSON
 * line is always read whole (the window widens until its line break).
 */
#include "tess-json-pass-private.h"

#include "tess-csv.h"
#include "tess-mapped-file-private.h"
#include "tess-memory.h"

#include <stdarg.h>

#define RELEASE_CHUNK TESS_MAPPED_RELEASE_CHUNK
/* Records between checks of the cancellable and of the table's size. */
#define CHECK_EVERY 4096

void
tess_json_pass_col_free (Col *col)
{
  g_free (col->name);
  tess_column_builder_free (col->builder);
  if (col->empties)
    g_array_unref (col->empties);
  g_free (col);
}

void
tess_json_pass_node_free (Node *node)
{
  g_free (node->key);
  g_free (node->path);
  if (node->children)
    g_hash_table_unref (node->children);
  g_free (node);
}

static TessColumnType
state_type (ColState state)
{
  switch (state)
    {
    case COL_BOOL:
      return TESS_COLUMN_BOOL;
    case COL_INT:
      return TESS_COLUMN_INT64;
    case COL_DOUBLE:
      return TESS_COLUMN_DOUBLE;
    case COL_DATE:
      return TESS_COLUMN_DATE;
    case COL_TIMESTAMP:
      return TESS_COLUMN_TIMESTAMP;
    default:
      return TESS_COLUMN_STRING;
    }
}

static TessColumnType
kind_type (TessValueKind kind)
{
  static const ColState states[] = { COL_UNKNOWN, COL_BOOL, COL_INT, COL_DOUBLE, COL_DATE, COL_TIMESTAMP, COL_STRING };
  return state_type (states[kind]);
}

/* What a string is, as a value: empty (a null), a date, a timestamp or text. */
static TessValueKind
kind_of_string (const char *text, gsize length)
{
  gint32 days;
  gint64 usec;

  if (length == 0)
    return TESS_KIND_NULL;
  if (tess_parse_date (text, length, &days))
    return TESS_KIND_DATE;
  if (tess_parse_timestamp (text, length, &usec))
    return TESS_KIND_TIMESTAMP;
  return TESS_KIND_STRING;
}

/* Errors */

/* The line and the column (in characters) of @at; counted from the start of
 * the text, or of the NDJSON line being read. */
static void
reader_position (Reader *r, const char *at, gsize *line, gsize *column)
{
  const char *line_start = r->data;

  if (r->ndjson)
    {
      *line = r->line;
      line_start = r->line_start;
    }
  else
    {
      *line = 1;
      for (const char *c = r->data; c < at; c++)
        if (*c == '\n')
          (*line)++, line_start = c + 1;
    }
  *column = 1;
  for (const char *c = line_start; c < at; c++)
    *column += ((guchar) *c & 0xC0) != 0x80;
}

static gboolean reader_fail (Reader *r, GError **error, const char *at, const char *format, ...) G_GNUC_PRINTF (4, 5);

/* Sets @error to what @format says, at the line and column of @at, in the
 * record or column being read; always FALSE. */
static gboolean
reader_fail (Reader *r, GError **error, const char *at, const char *format, ...)
{
  g_autofree char *what = NULL;
  g_autofree char *where = NULL;
  gsize line, column;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  reader_position (r, at, &line, &column);
  switch (r->where)
    {
    case WHERE_RECORD:
      where = g_strdup_printf (" (record %" G_GSIZE_FORMAT ")", r->row + 1);
      break;
    case WHERE_COLUMN:
      where = g_strdup_printf (" (column “%s”, value %" G_GSIZE_FORMAT ")", r->column_name, r->row + 1);
      break;
    default:
      break;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT "%s: %s",
               line, column, where ? where : "", what);
  return FALSE;
}

/* The lexer's last error, placed. */
static gboolean
reader_fail_lexer (Reader *r, GError **error)
{
  return reader_fail (r, error, r->lex.error_at, "%s", r->lex.error);
}

static gboolean
reader_unexpected (Reader *r, GError **error, const char *at, const char *expected)
{
  tess_json_lexer_unexpected (&r->lex, at, expected);
  return reader_fail_lexer (r, error);
}

/* Columns */

gsize
tess_json_pass_col_row_bytes (Reader *r, Col *col)
{
  return tess_column_type_elem_size (r->measuring ? kind_type (col->kind) : state_type (col->state));
}

/* The size the table would have, as its columns are now, with @rows rows:
 * values and validity, text not counted. */
guint64
tess_json_pass_table_bytes (Reader *r, gsize rows)
{
  return (guint64) rows * r->row_bytes + (guint64) r->cols->len * ((rows + 7) / 8);
}

/* Once the table as it would be now passes the budget, the rest of the text
 * is only measured. */
static void
reader_check_size (Reader *r, gsize rows)
{
  if G_LIKELY (r->measuring || r->size_known_to_fit || tess_json_pass_table_bytes (r, rows) <= r->room)
    return;
  r->measuring = TRUE;
  r->row_bytes = 0;
  for (guint i = 0; i < r->cols->len; i++)
    {
      Col *col = r->cols->pdata[i];
      static const TessValueKind kinds[] = { TESS_KIND_NULL, TESS_KIND_BOOL,      TESS_KIND_INT,    TESS_KIND_DOUBLE,
                                             TESS_KIND_DATE, TESS_KIND_TIMESTAMP, TESS_KIND_STRING, TESS_KIND_STRING };
      col->kind = col->forced_string ? TESS_KIND_STRING : kinds[col->state];
      r->row_bytes += tess_json_pass_col_row_bytes (r, col);
      /* what was built goes: the table is only measured from here */
      tess_column_builder_free (col->builder);
      col->builder = tess_column_builder_new (col->name, TESS_COLUMN_STRING, 0);
    }
}

/* The column named @name (as written), made on its first value. */
static Col *
reader_column (Reader *r, const char *name)
{
  g_autofree char *safe = tess_column_name_make_safe (name, -1);
  Col *col = g_hash_table_lookup (r->by_name, safe);

  if (col == NULL)
    {
      col = g_new0 (Col, 1);
      col->name = g_steal_pointer (&safe);
      col->state = COL_UNKNOWN;
      col->builder = tess_column_builder_new (col->name, TESS_COLUMN_STRING, 0);
      col->filled = r->row;
      g_ptr_array_add (r->cols, col);
      g_hash_table_insert (r->by_name, col->name, col);
      r->row_bytes += tess_json_pass_col_row_bytes (r, col);
      reader_check_size (r, r->row + 1);
    }
  return col;
}

static inline Col *
node_column (Reader *r, Node *node)
{
  if G_UNLIKELY (node->col == NULL)
    node->col = reader_column (r, node->path);
  return node->col;
}

static void
col_set_state (Reader *r, Col *col, ColState state)
{
  r->row_bytes -= tess_json_pass_col_row_bytes (r, col);
  col->state = state;
  r->row_bytes += tess_json_pass_col_row_bytes (r, col);
}

static void
col_set_kind (Reader *r, Col *col, TessValueKind kind)
{
  r->row_bytes -= tess_json_pass_col_row_bytes (r, col);
  col->kind = kind;
  r->row_bytes += tess_json_pass_col_row_bytes (r, col);
}

/* Back to no rows, for a new pass; the caller counts its size again. */
void
tess_json_pass_col_clear (Col *col)
{
  tess_column_builder_reset (col->builder, TESS_COLUMN_STRING);
  col->state = col->forced_string ? COL_STRING : COL_UNKNOWN;
  col->kind = col->forced_string ? TESS_KIND_STRING : TESS_KIND_NULL;
  col->filled = 0;
  col->object = 0;
  col->big_ints = FALSE;
  if (col->empties)
    g_array_set_size (col->empties, 0);
}

static void
col_reset (Reader *r, Col *col)
{
  r->row_bytes -= tess_json_pass_col_row_bytes (r, col);
  tess_json_pass_col_clear (col);
  r->row_bytes += tess_json_pass_col_row_bytes (r, col);
}

static gboolean
col_row_is_empty (Col *col, gsize row, guint *next_empty)
{
  if (col->empties == NULL || *next_empty >= col->empties->len ||
      g_array_index (col->empties, gsize, *next_empty) != row)
    return FALSE;
  (*next_empty)++;
  return TRUE;
}

/* A string column holding what the column held, written as text. */
static void
col_convert_to_string (Reader *r, Col *col)
{
  TessColumnBuilder *from = col->builder;
  TessColumnBuilder *to = tess_column_builder_new (col->name, TESS_COLUMN_STRING, from->length);
  guint next_empty = 0;

  for (gsize i = 0; i < from->length; i++)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      if (from->bits && (from->bits[i >> 3] >> (i & 7)) & 1)
        {
          if (col_row_is_empty (col, i, &next_empty))
            tess_column_builder_append_string_len (to, "", 0);
          else
            tess_column_builder_append_null (to);
          continue;
        }
      switch (col->state)
        {
        case COL_BOOL:
          tess_column_builder_append_string (to, from->values[i] ? "true" : "false");
          break;
        case COL_INT:
          g_snprintf (buffer, sizeof buffer, "%" G_GINT64_FORMAT, ((gint64 *) from->values)[i]);
          tess_column_builder_append_string (to, buffer);
          break;
        case COL_DOUBLE:
          tess_column_builder_append_string (to, g_ascii_dtostr (buffer, sizeof buffer, ((double *) from->values)[i]));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  tess_column_builder_free (from);
  col->builder = to;
}

/* The column starts to hold values of @state, after col->filled nulls. */
void
tess_json_pass_col_start (Reader *r, Col *col, ColState state)
{
  TessColumnBuilder *b = col->builder;
  guint next_empty = 0;

  tess_column_builder_reset (b, state_type (state));
  for (gsize i = 0; i < col->filled; i++)
    if (state == COL_STRING && col_row_is_empty (col, i, &next_empty))
      tess_column_builder_append_string_len (b, "", 0);
    else
      tess_column_builder_append_null (b);
  col_set_state (r, col, state);
}

/* The column can hold values of @kind from now on. */
static void
col_accept (Reader *r, Col *col, TessValueKind kind)
{
  static const ColState states[] = { COL_UNKNOWN, COL_BOOL, COL_INT, COL_DOUBLE, COL_DATE, COL_TIMESTAMP, COL_STRING };
  ColState state = col->state;

  if (kind == TESS_KIND_NULL || state == COL_STRING || state == COL_TURNED)
    return;
  if (state == COL_UNKNOWN)
    {
      tess_json_pass_col_start (r, col, states[kind]);
      return;
    }
  if (state == states[kind])
    return;
  if (state == COL_INT && kind == TESS_KIND_DOUBLE)
    {
      tess_column_builder_convert (col->builder, TESS_COLUMN_DOUBLE);
      col_set_state (r, col, COL_DOUBLE);
      return;
    }
  if ((state == COL_DOUBLE && kind == TESS_KIND_INT) || (state == COL_TIMESTAMP && kind == TESS_KIND_DATE))
    return;
  if (state == COL_DATE && kind == TESS_KIND_TIMESTAMP)
    {
      tess_column_builder_convert (col->builder, TESS_COLUMN_TIMESTAMP);
      col_set_state (r, col, COL_TIMESTAMP);
      return;
    }
  /* to string */
  if (state == COL_DATE || state == COL_TIMESTAMP || (state == COL_DOUBLE && col->big_ints))
    {
      /* the text of these values is gone: start over with the column as
       * string, from twice as far into the text as this (see the top) */
      col->forced_string = TRUE;
      col_set_state (r, col, COL_TURNED);
      if (!r->restart)
        {
          r->restart = TRUE;
          r->restart_at = r->lex.p + MIN ((gsize) (r->lex.p - r->data), (gsize) (r->data_end - r->lex.p));
        }
      return;
    }
  col_convert_to_string (r, col);
  col_set_state (r, col, COL_STRING);
  if (col->empties)
    g_array_set_size (col->empties, 0);
}

/* Whether this value fills the column's cell of this row: pads the rows
 * before it with nulls. FALSE when the record gave the cell a value already
 * through another name (the first wins); a key repeated in one object
 * replaces its value (the last wins). */
static gboolean col_claim_slow (Reader *r, Col *col, gsize object);

static inline gboolean
col_claim (Reader *r, Col *col, gsize object)
{
  if G_LIKELY (col->filled == r->row)
    {
      col->object = object;
      return TRUE;
    }
  return col_claim_slow (r, col, object);
}

static void
builder_drop_last (TessColumnBuilder *b)
{
  gsize row = b->length - 1;

  if (b->bits && (b->bits[row >> 3] >> (row & 7)) & 1)
    {
      b->bits[row >> 3] &= ~(1 << (row & 7));
      b->null_count--;
    }
  else if (b->type == TESS_COLUMN_STRING)
    b->chars_len = b->wide ? ((gsize *) b->values)[row] : ((guint32 *) b->values)[row];
  b->length = row;
}

static gboolean
col_claim_slow (Reader *r, Col *col, gsize object)
{
  if (col->filled < r->row)
    {
      if (col->state != COL_UNKNOWN && col->state != COL_TURNED)
        for (gsize i = col->filled; i < r->row; i++)
          tess_column_builder_append_null (col->builder);
      col->filled = r->row;
      col->object = object;
      return TRUE;
    }
  if (col->object != object)
    return FALSE;
  /* a repeated key: its earlier value goes */
  col->filled--;
  if (col->empties && col->empties->len && g_array_index (col->empties, gsize, col->empties->len - 1) == col->filled)
    g_array_set_size (col->empties, col->empties->len - 1);
  if (col->state != COL_UNKNOWN && col->state != COL_TURNED)
    builder_drop_last (col->builder);
  return TRUE;
}

static void
cell_null (Col *col)
{
  if (col->state != COL_UNKNOWN && col->state != COL_TURNED)
    tess_column_builder_append_null (col->builder);
  col->filled++;
}

static void
cell_string (Reader *r, Col *col, const char *text, gsize length)
{
  gint32 days;
  gint64 usec;

  if (length == 0 && col->state != COL_STRING)
    {
      if (col->empties == NULL)
        col->empties = g_array_new (FALSE, FALSE, sizeof (gsize));
      g_array_append_val (col->empties, col->filled);
      cell_null (col);
      return;
    }
  switch (col->state)
    {
    case COL_STRING:
      tess_column_builder_append_string_fast (col->builder, text, length);
      break;
    case COL_DATE:
      if (tess_parse_date (text, length, &days))
        {
          tess_column_builder_append_date_fast (col->builder, days);
          break;
        }
      col_accept (r, col, kind_of_string (text, length));
      cell_string (r, col, text, length);
      return;
    case COL_TIMESTAMP:
      if (tess_parse_timestamp (text, length, &usec))
        tess_column_builder_append_int64_fast (col->builder, usec);
      else if (tess_parse_date (text, length, &days))
        tess_column_builder_append_int64_fast (col->builder, (gint64) days * TESS_USEC_PER_DAY);
      else
        {
          col_accept (r, col, TESS_KIND_STRING);
          cell_string (r, col, text, length);
          return;
        }
      break;
    case COL_TURNED:
      break;
    default:
      col_accept (r, col, kind_of_string (text, length));
      cell_string (r, col, text, length);
      return;
    }
  col->filled++;
}

static inline gboolean
int_is_big (gint64 value)
{
  return value > (G_GINT64_CONSTANT (1) << 53) || value < -(G_GINT64_CONSTANT (1) << 53);
}

static void
cell_int (Reader *r, Col *col, gint64 value)
{
  char buffer[24];

  switch (col->state)
    {
    case COL_INT:
      tess_column_builder_append_int64_fast (col->builder, value);
      col->big_ints |= int_is_big (value);
      break;
    case COL_DOUBLE:
      tess_column_builder_append_double_fast (col->builder, (double) value);
      col->big_ints |= int_is_big (value);
      break;
    case COL_STRING:
      g_snprintf (buffer, sizeof buffer, "%" G_GINT64_FORMAT, value);
      tess_column_builder_append_string (col->builder, buffer);
      break;
    case COL_TURNED:
      break;
    default:
      col_accept (r, col, TESS_KIND_INT);
      cell_int (r, col, value);
      return;
    }
  col->filled++;
}

static void
cell_double (Reader *r, Col *col, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  switch (col->state)
    {
    case COL_DOUBLE:
      tess_column_builder_append_double_fast (col->builder, value);
      break;
    case COL_STRING:
      tess_column_builder_append_string (col->builder, g_ascii_dtostr (buffer, sizeof buffer, value));
      break;
    case COL_TURNED:
      break;
    default:
      col_accept (r, col, TESS_KIND_DOUBLE);
      cell_double (r, col, value);
      return;
    }
  col->filled++;
}

static void
cell_bool (Reader *r, Col *col, gboolean value)
{
  switch (col->state)
    {
    case COL_BOOL:
      tess_column_builder_append_bool (col->builder, value);
      break;
    case COL_STRING:
      tess_column_builder_append_string (col->builder, value ? "true" : "false");
      break;
    case COL_TURNED:
      break;
    default:
      col_accept (r, col, TESS_KIND_BOOL);
      cell_bool (r, col, value);
      return;
    }
  col->filled++;
}

/* JSON text of an array or object */
static void
cell_text (Reader *r, Col *col, const char *text, gsize length)
{
  col_accept (r, col, TESS_KIND_STRING);
  if (col->state == COL_STRING)
    tess_column_builder_append_string_len (col->builder, text, length);
  col->filled++;
}

/* Values */

/* A value that goes into @col, read at the lexer's position. @container is
 * the depth of what holds it; @object the serial of the object it is in. */
static gboolean
read_cell (Reader *r, Col *col, int container, gsize object, GError **error)
{
  TessJsonLexer *lex = &r->lex;
  const char *text;
  gsize length;
  gint64 integer;
  double real;
  gboolean claimed;
  TessValueKind kind;

  if G_UNLIKELY (lex->p >= lex->end)
    return reader_unexpected (r, error, lex->p, "a value");
  claimed = !r->measuring && col_claim (r, col, object);
  switch (*lex->p)
    {
    case '"':
      if (!tess_json_lexer_string (lex, &text, &length))
        return reader_fail_lexer (r, error);
      if G_LIKELY (claimed)
        {
          ColState state = col->state;
          if G_LIKELY (state == COL_STRING)
            {
              tess_column_builder_append_string_fast (col->builder, text, length);
              col->filled++;
            }
          else
            cell_string (r, col, text, length);
          return TRUE;
        }
      kind = kind_of_string (text, length);
      break;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      switch (tess_json_lexer_number (lex, &integer, &real))
        {
        case TESS_JSON_NUMBER_INT:
          if G_LIKELY (claimed)
            {
              if G_LIKELY (col->state == COL_INT)
                {
                  tess_column_builder_append_int64_fast (col->builder, integer);
                  col->big_ints |= int_is_big (integer);
                  col->filled++;
                }
              else
                cell_int (r, col, integer);
              return TRUE;
            }
          kind = TESS_KIND_INT;
          break;
        case TESS_JSON_NUMBER_DOUBLE:
          if G_LIKELY (claimed)
            {
              if G_LIKELY (col->state == COL_DOUBLE)
                {
                  tess_column_builder_append_double_fast (col->builder, real);
                  col->filled++;
                }
              else
                cell_double (r, col, real);
              return TRUE;
            }
          kind = TESS_KIND_DOUBLE;
          break;
        default:
          return reader_fail_lexer (r, error);
        }
      break;
    case 't':
    case 'f':
      {
        gboolean value = *lex->p == 't';
        if (!(value ? tess_json_lexer_literal (lex, "true", 4) : tess_json_lexer_literal (lex, "false", 5)))
          return reader_fail_lexer (r, error);
        if (claimed)
          {
            cell_bool (r, col, value);
            return TRUE;
          }
        kind = TESS_KIND_BOOL;
      }
      break;
    case 'n':
      if (!tess_json_lexer_literal (lex, "null", 4))
        return reader_fail_lexer (r, error);
      if (claimed)
        {
          cell_null (col);
          return TRUE;
        }
      kind = TESS_KIND_NULL;
      break;
    case '[':
    case '{':
      g_string_truncate (r->text, 0);
      if (!tess_json_lexer_render (lex, container, r->text))
        return reader_fail_lexer (r, error);
      if (claimed)
        {
          cell_text (r, col, r->text->str, r->text->len);
          return TRUE;
        }
      kind = TESS_KIND_STRING;
      break;
    default:
      return reader_unexpected (r, error, lex->p, "a value");
    }
  /* a value that does not fill a cell still tells what the column holds */
  if (r->measuring)
    col_set_kind (r, col, tess_value_kind_merge (col->kind, kind));
  else
    col_accept (r, col, kind);
  return TRUE;
}

/* Records */

static Node *
node_new (Node *parent, const char *key, gsize length)
{
  Node *node = g_new0 (Node, 1);

  node->key = g_strndup (key, length);
  node->key_length = strlen (node->key);
  node->plain = node->key_length == length && memchr (key, '"', length) == NULL && memchr (key, '\\', length) == NULL;
  node->path = parent->path ? g_strconcat (parent->path, ".", node->key, NULL) : g_strdup (node->key);
  if (parent->children == NULL)
    parent->children = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) tess_json_pass_node_free);
  g_hash_table_insert (parent->children, node->key, node);
  return node;
}

/* TRUE when @path, a flattened name, is a column of @wanted or an object
 * that holds one ("address" for "address.city"), by the name its column
 * shows. */
static gboolean
name_is_wanted (const char *const *wanted, const char *path)
{
  g_autofree char *name = tess_column_name_make_safe (path, -1);
  gsize length = strlen (name);

  for (guint i = 0; wanted[i]; i++)
    if (strncmp (wanted[i], name, length) == 0 && (wanted[i][length] == '\0' || wanted[i][length] == '.'))
      return TRUE;
  return FALSE;
}

/* Moves past the value at the lexer's position, checking it as reading it
 * would, without keeping it: the value of a column no one asked for. */
static gboolean
skip_value (Reader *r, int depth, GError **error)
{
  TessJsonLexer *lex = &r->lex;
  const char *text;
  gsize length;
  gint64 integer;
  double real;
  gboolean ok;

  if G_UNLIKELY (lex->p >= lex->end)
    return reader_unexpected (r, error, lex->p, "a value");
  if (*lex->p == '"')
    ok = tess_json_lexer_string (lex, &text, &length);
  else if (*lex->p == '-' || g_ascii_isdigit (*lex->p))
    ok = tess_json_lexer_number (lex, &integer, &real) != TESS_JSON_NUMBER_ERROR;
  else if (*lex->p == '{' || *lex->p == '[' || *lex->p == 't' || *lex->p == 'f' || *lex->p == 'n')
    {
      g_string_truncate (r->text, 0);
      ok = tess_json_lexer_render (lex, depth, r->text);
    }
  else
    return reader_unexpected (r, error, lex->p, "a value");
  return ok || reader_fail_lexer (r, error);
}

/* At the opening quote of a key of an object under @parent: the node of
 * that key. */
static inline Node *
read_key (Reader *r, Node *parent, Node *guess, GError **error)
{
  TessJsonLexer *lex = &r->lex;
  const char *key;
  gsize length;
  Node *node;

  if G_LIKELY (guess && guess->plain && (gsize) (lex->end - lex->p) > guess->key_length + 1 &&
               lex->p[guess->key_length + 1] == '"' && tess_json_same_bytes (lex->p + 1, guess->key, guess->key_length))
    {
      lex->p += guess->key_length + 2;
      return guess;
    }
  if (!tess_json_lexer_string (lex, &key, &length))
    return reader_fail_lexer (r, error), NULL;
  /* up to a \u0000, as json-glib read keys */
  g_string_truncate (r->key, 0);
  g_string_append_len (r->key, key, strnlen (key, length));
  node = parent->children ? g_hash_table_lookup (parent->children, r->key->str) : NULL;
  if (node == NULL)
    {
      node = node_new (parent, key, length);
      node->skip = r->wanted && !name_is_wanted (r->wanted, node->path);
    }
  return node;
}

/* At the '{' of an object under @parent (the root for a record): each of its
 * values into the column of its flattened name. */
static gboolean
read_object (Reader *r, Node *parent, int depth, GError **error)
{
  TessJsonLexer *lex = &r->lex;
  gsize object = ++r->object;
  Node *guess = parent->first_child, *previous = NULL;

  if G_UNLIKELY (depth > TESS_JSON_MAX_DEPTH)
    return reader_fail (r, error, lex->p, "values are nested more than %d levels deep", TESS_JSON_MAX_DEPTH);
  lex->p = tess_json_skip_space (lex->p + 1, lex->end);
  if (lex->p < lex->end && *lex->p == '}')
    {
      lex->p++;
      return TRUE;
    }
  for (;;)
    {
      Node *node;

      if G_UNLIKELY (lex->p >= lex->end || *lex->p != '"')
        return reader_unexpected (r, error, lex->p, "a key in quotes");
      node = read_key (r, parent, guess, error);
      if (node == NULL)
        return FALSE;
      if (previous == NULL)
        {
          if (parent->first_child != node)
            parent->first_child = node;
        }
      else if (previous->next != node)
        previous->next = node;
      lex->p = tess_json_skip_space (lex->p, lex->end);
      if G_UNLIKELY (lex->p >= lex->end || *lex->p != ':')
        return reader_unexpected (r, error, lex->p, "“:” after the key");
      lex->p = tess_json_skip_space (lex->p + 1, lex->end);
      if G_UNLIKELY (node->skip)
        {
          if (!skip_value (r, depth, error))
            return FALSE;
        }
      else if (lex->p < lex->end && *lex->p == '{')
        {
          if (!read_object (r, node, depth + 1, error))
            return FALSE;
        }
      else if (!read_cell (r, node_column (r, node), depth, object, error))
        return FALSE;
      previous = node;
      guess = node->next;
      lex->p = tess_json_skip_space (lex->p, lex->end);
      if G_LIKELY (lex->p < lex->end && *lex->p == ',')
        {
          lex->p = tess_json_skip_space (lex->p + 1, lex->end);
          if G_UNLIKELY (lex->p < lex->end && *lex->p == '}')
            return reader_fail (r, error, lex->p, "a comma before “}” is not JSON; remove it");
          continue;
        }
      if G_LIKELY (lex->p < lex->end && *lex->p == '}')
        {
          lex->p++;
          return TRUE;
        }
      if (lex->p >= lex->end)
        return reader_fail (r, error, lex->p, "the object is never closed (a } is missing)");
      return reader_unexpected (r, error, lex->p, "“,” or “}”");
    }
}

void
tess_json_pass_release (Reader *r, const char *upto)
{
  tess_mapped_file_release (r->released, upto, r->data_end);
  r->released = upto;
}

/* After each record: the cancellable, the size of the table, the mapping,
 * and whether this pass should stop to start over. */
static inline ReadResult
reader_next_row (Reader *r, GError **error)
{
  r->row++;
  if G_UNLIKELY ((r->row % CHECK_EVERY) == 0)
    {
      if (g_cancellable_set_error_if_cancelled (r->cancellable, error))
        return READ_ERROR;
      reader_check_size (r, r->row);
      if (r->release && r->lex.p - r->released > RELEASE_CHUNK)
        tess_json_pass_release (r, r->lex.p);
    }
  if G_UNLIKELY (r->restart && !r->measuring && r->lex.p >= r->restart_at)
    return READ_RESTART;
  return READ_OK;
}

/* Reads the text up to @upto (at most its end): waits until it has arrived. */
gboolean
tess_json_pass_await (Reader *r, const char *upto, GError **error)
{
  if (r->growing)
    {
      gsize got;

      if (!tess_growing_body_wait_for (r->growing, upto - r->body, &got, error))
        return FALSE;
      if (r->open_end && r->body + got < upto)
        {
          /* it has all arrived: the text ends where it does */
          r->data_end = r->body + got;
          r->open_end = FALSE;
          upto = r->data_end;
        }
    }
  r->avail = MAX (r->avail, upto);
  r->windowed = r->windowed || r->avail < r->data_end;
  /* the next wait: when a record starts less than a quarter of a window
   * before the end of what is read */
  r->await_at = r->avail < r->data_end ? r->avail - MIN (r->window / 4, (gsize) (r->avail - r->body)) : r->data_end;
  return TRUE;
}

/* At a record at @p, once p has reached await_at: the text a window ahead
 * of it is there (or the text's end). The lexer reads up to there. */
static G_GNUC_NO_INLINE gboolean
reader_await (Reader *r, const char *p, GError **error)
{
  if (r->avail == r->data_end)
    return TRUE;
  return tess_json_pass_await (r, p + MIN (r->window, (gsize) (r->data_end - p)), error);
}

ReadResult
tess_json_pass_ndjson (Reader *r, GError **error)
{
  const char *p = r->data;

  r->ndjson = TRUE;
  r->where = WHERE_RECORD;
  r->line = 0;
  /* data_end moves in when an open body ends */
  while (p < r->data_end)
    {
      const char *newline, *line_end, *s = p;
      ReadResult res;

      if G_UNLIKELY (p >= r->await_at && !reader_await (r, p, error))
        return READ_ERROR;
      if (p == r->data_end)
        break;
      newline = memchr (p, '\n', r->avail - p);
      /* a line is read whole */
      while (newline == NULL && r->avail < r->data_end)
        {
          const char *searched = r->avail;
          if (!tess_json_pass_await (r, r->avail + MIN (r->window, (gsize) (r->data_end - r->avail)), error))
            return READ_ERROR;
          newline = memchr (searched, '\n', r->avail - searched);
        }
      line_end = newline ? newline : r->data_end;

      r->line++;
      r->line_start = p;
      p = newline ? newline + 1 : r->data_end;
      while (s < line_end && g_ascii_isspace (*s))
        s++;
      if (s == line_end)
        continue;
      if (*s != '{')
        return reader_fail (r, error, s, "each line of NDJSON must be an object"), READ_ERROR;
      r->lex.p = s;
      r->lex.end = line_end;
      if (!read_object (r, r->root, 1, error))
        return READ_ERROR;
      r->lex.p = tess_json_skip_space (r->lex.p, line_end);
      if (r->lex.p < line_end)
        return reader_fail (r, error, r->lex.p, "unexpected text after the record; NDJSON has one record per line"),
               READ_ERROR;
      r->lex.p = p;
      res = reader_next_row (r, error);
      if (res != READ_OK)
        return res;
    }
  r->lex.end = r->data_end;
  return r->measuring ? READ_MEASURED : r->restart ? READ_RESTART : READ_OK;
}

/* At the '[' of the top-level array: records or values. */
static ReadResult
read_array (Reader *r, GError **error)
{
  TessJsonLexer *lex = &r->lex;
  int records = -1;
  Col *values = NULL;
  char expected[64];

  lex->p = tess_json_skip_space (lex->p + 1, lex->end);
  if (lex->p < lex->end && *lex->p == ']')
    {
      lex->p++;
      return READ_OK;
    }
  r->where = WHERE_RECORD;
  for (;;)
    {
      ReadResult res;
      gboolean object;

      if G_UNLIKELY (lex->p >= r->await_at)
        {
          if (!reader_await (r, lex->p, error))
            return READ_ERROR;
          lex->end = r->avail;
        }
      if (lex->p >= lex->end)
        return reader_fail (r, error, lex->p, "the array is never closed (a ] is missing)"), READ_ERROR;
      if (*lex->p == ']')
        return reader_fail (r, error, lex->p, "a comma before “]” is not JSON; remove it"), READ_ERROR;
      if (*lex->p != '{' && (*lex->p == '\0' || strchr ("[\"-0123456789tfn", *lex->p) == NULL))
        return reader_unexpected (r, error, lex->p, records == 0 ? "a value" : "a record"), READ_ERROR;
      object = *lex->p == '{';
      if (records < 0)
        records = object;
      if (object != records && !(*lex->p == 'n' && lex->end - lex->p >= 4 && memcmp (lex->p, "null", 4) == 0))
        {
          reader_fail (r, error, lex->p,
                       "this array mixes records and values. Record %" G_GSIZE_FORMAT
                       " is %s, but record 1 is %s; an array must hold only records or only values",
                       r->row + 1, records ? "not an object" : "an object", records ? "an object" : "a value");
          return READ_ERROR;
        }
      if (object)
        {
          if (!read_object (r, r->root, 2, error))
            return READ_ERROR;
        }
      else
        {
          /* values, or a null among records: a column named "value" */
          if (values == NULL)
            values = reader_column (r, "value");
          if (!read_cell (r, values, 1, 0, error))
            return READ_ERROR;
        }
      res = reader_next_row (r, error);
      if (res != READ_OK)
        return res;
      if G_UNLIKELY (lex->p >= r->await_at)
        {
          if (!reader_await (r, lex->p, error))
            return READ_ERROR;
          lex->end = r->avail;
        }
      lex->p = tess_json_skip_space (lex->p, lex->end);
      if (lex->p < lex->end && *lex->p == ',')
        {
          lex->p = tess_json_skip_space (lex->p + 1, lex->end);
          continue;
        }
      if (lex->p < lex->end && *lex->p == ']')
        {
          lex->p++;
          break;
        }
      r->where = WHERE_TOP;
      if (lex->p >= lex->end)
        return reader_fail (r, error, lex->p, "the array is never closed (a ] is missing)"), READ_ERROR;
      g_snprintf (expected, sizeof expected, "“,” or “]” after record %" G_GSIZE_FORMAT, r->row);
      return reader_unexpected (r, error, lex->p, expected), READ_ERROR;
    }
  r->where = WHERE_TOP;
  return r->measuring ? READ_MEASURED : r->restart ? READ_RESTART : READ_OK;
}

/* At the '[' of the values of the column named @name (as written): reads
 * them from row 0. The column is made on its first value; one named before
 * in this object is emptied first (the last of the same name wins). */
static gboolean
read_column_values (Reader *r, const char *name, GError **error)
{
  TessJsonLexer *lex = &r->lex;
  g_autofree char *safe = tess_column_name_make_safe (name, -1);
  Col *col;

  r->row = 0;
  lex->p = tess_json_skip_space (lex->p + 1, lex->end);
  if (lex->p < lex->end && *lex->p == ']')
    {
      lex->p++;
      return TRUE;
    }
  col = g_hash_table_lookup (r->by_name, safe);
  if (col)
    col_reset (r, col);
  else
    col = reader_column (r, name);
  for (;;)
    {
      if (!read_cell (r, col, 2, 0, error))
        return FALSE;
      r->row++;
      if G_UNLIKELY ((r->row % CHECK_EVERY) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (r->cancellable, error))
            return FALSE;
          reader_check_size (r, r->row);
          if (r->release && lex->p - r->released > RELEASE_CHUNK)
            tess_json_pass_release (r, lex->p);
        }
      lex->p = tess_json_skip_space (lex->p, lex->end);
      if (lex->p < lex->end && *lex->p == ',')
        {
          lex->p = tess_json_skip_space (lex->p + 1, lex->end);
          if (lex->p < lex->end && *lex->p == ']')
            return reader_fail (r, error, lex->p, "a comma before “]” is not JSON; remove it");
          continue;
        }
      if (lex->p < lex->end && *lex->p == ']')
        {
          lex->p++;
          return TRUE;
        }
      if (lex->p >= lex->end)
        return reader_fail (r, error, lex->p, "the array is never closed (a ] is missing)");
      return reader_unexpected (r, error, lex->p, "“,” or “]”");
    }
}

/* A member of an object of columns: its name, where its values start and how
 * many there are. */
typedef struct
{
  char *name; /* safe to show */
  const char *values;
  gsize length;
} Member;

static void
member_clear (Member *member)
{
  g_free (member->name);
}

/* At the '{' of an object of columns: {"a": [1, 2], "b": ["x", "y"]}. The
 * columns must have as many values each; a name given twice keeps its last
 * values. */
static ReadResult
read_columns (Reader *r, GError **error)
{
  TessJsonLexer *lex = &r->lex;
  g_autoptr (GArray) members = g_array_new (FALSE, TRUE, sizeof (Member));
  g_autoptr (GHashTable) member_index = g_hash_table_new (g_str_hash, g_str_equal);

  g_array_set_clear_func (members, (GDestroyNotify) member_clear);
  lex->p = tess_json_skip_space (lex->p + 1, lex->end);
  if (lex->p < lex->end && *lex->p == '}')
    {
      lex->p++;
      r->row = 0;
      return READ_OK;
    }
  for (;;)
    {
      g_autofree char *name = NULL;
      g_autofree char *safe = NULL;
      const char *key, *values_start;
      gsize key_length;
      gpointer index;
      Member *member;

      r->where = WHERE_TOP;
      if (lex->p >= lex->end || *lex->p != '"')
        return reader_unexpected (r, error, lex->p, "a column name in quotes"), READ_ERROR;
      if (!tess_json_lexer_string (lex, &key, &key_length))
        return reader_fail_lexer (r, error), READ_ERROR;
      name = g_strndup (key, key_length);
      safe = tess_column_name_make_safe (name, -1);
      lex->p = tess_json_skip_space (lex->p, lex->end);
      if (lex->p >= lex->end || *lex->p != ':')
        return reader_unexpected (r, error, lex->p, "“:” after the column name"), READ_ERROR;
      lex->p = tess_json_skip_space (lex->p + 1, lex->end);
      if (lex->p >= lex->end || *lex->p != '[')
        {
          reader_fail (r, error, lex->p,
                       "member “%s” is not an array; a JSON object must map each column name to an array of values",
                       safe);
          return READ_ERROR;
        }
      values_start = lex->p;
      r->where = WHERE_COLUMN;
      r->column_name = safe;
      for (;;)
        {
          if (!read_column_values (r, name, error))
            return READ_ERROR;
          if (!r->restart || r->measuring)
            break;
          /* the column turned to string in a way that needs its text: again */
          r->restart = FALSE;
          lex->p = values_start;
        }
      r->where = WHERE_TOP;
      if (g_hash_table_lookup_extended (member_index, safe, NULL, &index))
        member = &g_array_index (members, Member, GPOINTER_TO_UINT (index));
      else
        {
          Member added = { g_strdup (safe), NULL, 0 };
          g_array_append_val (members, added);
          member = &g_array_index (members, Member, members->len - 1);
          g_hash_table_insert (member_index, member->name, GUINT_TO_POINTER (members->len - 1));
        }
      member->values = values_start;
      member->length = r->row;
      lex->p = tess_json_skip_space (lex->p, lex->end);
      if (lex->p < lex->end && *lex->p == ',')
        {
          lex->p = tess_json_skip_space (lex->p + 1, lex->end);
          continue;
        }
      if (lex->p < lex->end && *lex->p == '}')
        {
          lex->p++;
          break;
        }
      if (lex->p >= lex->end)
        return reader_fail (r, error, lex->p, "the object is never closed (a } is missing)"), READ_ERROR;
      return reader_unexpected (r, error, lex->p, "“,” or “}”"), READ_ERROR;
    }
  for (guint i = 1; i < members->len; i++)
    {
      Member *member = &g_array_index (members, Member, i), *before = member - 1;
      if (member->length != before->length)
        {
          reader_fail (r, error, member->values,
                       "column “%s” has %" G_GSIZE_FORMAT " values but the columns before it have %" G_GSIZE_FORMAT,
                       member->name, member->length, before->length);
          return READ_ERROR;
        }
    }
  r->row = g_array_index (members, Member, 0).length;
  return r->measuring ? READ_MEASURED : READ_OK;
}

/* A JSON document: an array of records or values, or an object of columns. */
ReadResult
tess_json_pass_document (Reader *r, TessJsonLayout layout, GError **error)
{
  TessJsonLexer *lex = &r->lex;
  ReadResult res;
  gboolean array;

  r->where = WHERE_TOP;
  /* the first value's start has arrived */
  for (lex->p = r->data;; lex->p = lex->end)
    {
      if (!reader_await (r, lex->p, error))
        return READ_ERROR;
      lex->end = r->avail;
      lex->p = tess_json_skip_space (lex->p, lex->end);
      if (lex->p < lex->end || lex->end == r->data_end)
        break;
    }
  if (lex->p == lex->end)
    {
      if (layout == TESS_JSON_ARRAY_STREAM)
        return reader_fail (r, error, lex->p, "expected an array of records, but the text is empty"), READ_ERROR;
      return READ_OK;
    }
  array = *lex->p == '[';
  if (layout == TESS_JSON_ARRAY_STREAM && !array)
    return reader_unexpected (r, error, lex->p, "an array of records"), READ_ERROR;
  if (!array && *lex->p != '{')
    {
      if (*lex->p == '\0' || strchr ("\"-0123456789tfn", *lex->p) == NULL)
        return reader_unexpected (r, error, lex->p, "an array of records or an object of columns"), READ_ERROR;
      g_set_error_literal (
          error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "Expected an array of records, an object of columns or NDJSON, but the JSON is a single value");
      return READ_ERROR;
    }
  /* an object of columns is read whole */
  if (!array && !tess_json_pass_await (r, r->data_end, error))
    return READ_ERROR;
  lex->end = r->avail;
  res = array ? read_array (r, error) : read_columns (r, error);
  if (res != READ_OK)
    return res;
  /* what follows the document, to its end */
  if (!tess_json_pass_await (r, r->data_end, error))
    return READ_ERROR;
  lex->end = r->avail;
  lex->p = tess_json_skip_space (lex->p, lex->end);
  if (lex->p < lex->end)
    return reader_fail (r, error, lex->p, "unexpected text after the %s", array ? "array" : "object"), READ_ERROR;
  return READ_OK;
}
