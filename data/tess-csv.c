/* tess-csv.c: the CSV reader.
 *
 * One pass over the bytes: a tokenizer cuts rows into fields, and each field
 * goes straight into its column's builder, parsed as the type the column has
 * shown so far. A column starts untyped; its first value picks int64, double,
 * date, timestamp, bool or string. An int64 column that meets a double becomes
 * a double column and a date column that meets a timestamp a timestamp column,
 * in place. A column that meets a value of no compatible type becomes a string
 * column, which needs the original text of the rows already read: the parse
 * then starts over with that column fixed to string. The pass does not stop at
 * once: it carries on without that column, to twice as far into the body, and
 * every column that turns meanwhile joins the same restart. Each pass thus
 * goes at least twice as far as the one before, and all of them together read
 * the body a few times at most, however many columns turn and wherever they
 * do (a wide file whose every column turns on its last row included).
 *
 * A large body is read on every core: tess-csv-split.c cuts it into chunks
 * and runs this pass on each, from a row start to the first row start at or
 * past the chunk's end, then joins the chunks' columns. Dialect, header and
 * names are settled here first, on the calling thread. A body still
 * arriving (tess_csv_read_growing()) is read the same way, each chunk once
 * its text has arrived, so the parse overlaps the download.
 *
 * Data that is clearly not text (a NUL byte near the start, a header that is
 * not UTF-8) is refused with an error that says so, unless read in lenient
 * mode; column names are always made safe to show.
 */
#include "tess-csv.h"

#include "tess-csv-private.h"
#include "tess-csv-values-private.h"
#include "tess-mapped-file-private.h"

#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define SAMPLE_ROWS 50
#define SNIFF_BYTES 65536
#define RELEASE_CHUNK TESS_MAPPED_RELEASE_CHUNK

/* Tokenizer */

void
tess_csv_tokenizer_init (CsvTokenizer *t, const char *data, gsize length, char delim)
{
  memset (t, 0, sizeof *t);
  t->data = data;
  t->p = data;
  t->end = data + length;
  t->delim = delim;
  t->line = 1;
  t->line_start = data;
  t->special[(guchar) delim] = 1;
  t->special['\n'] = 1;
  t->special['\r'] = 1;
  t->scratch = g_string_new (NULL);
}

void
tess_csv_tokenizer_clear (CsvTokenizer *t)
{
  g_free (t->fields);
  g_string_free (t->scratch, TRUE);
}

static gsize
column_of (const char *line_start, const char *at)
{
  gsize col = 1;

  /* characters, counted by the bytes that start one; safe on invalid text */
  for (const char *p = line_start; p < at; p++)
    col += ((guchar) *p & 0xC0) != 0x80;
  return col;
}

static void
push_field (CsvTokenizer *t, const char *ptr, gsize len)
{
  if G_UNLIKELY (t->n_fields == t->fields_alloc)
    {
      t->fields_alloc = MAX (16, t->fields_alloc * 2);
      t->fields = g_renew (CsvField, t->fields, t->fields_alloc);
    }
  t->fields[t->n_fields].ptr = ptr;
  t->fields[t->n_fields].len = len;
  t->fields[t->n_fields].scratch = -1;
  t->n_fields++;
}

/* Reads one row into t->fields. Returns 1 for a row, 0 at the end, -1 on error.
 * Blank lines are skipped. */
static int
tokenizer_next (CsvTokenizer *t, GError **error)
{
  const char *p, *e = t->end;
  gsize scratch_base;

again:
  p = t->p;
  t->n_fields = 0;
  t->row_line = t->line;
  t->unescaped = FALSE;
  g_string_truncate (t->scratch, 0);
  if (p >= e)
    return 0;
  if (*p == '\n' || *p == '\r')
    {
      p += (*p == '\r' && p + 1 < e && p[1] == '\n') ? 2 : 1;
      t->p = p;
      t->line++;
      t->line_start = p;
      goto again;
    }
  for (;;)
    {
      if (p < e && *p == '"')
        {
          const char *open = p;
          const char *open_line_start = t->line_start;
          gsize open_line = t->line;
          const char *start = ++p;
          gboolean doubled = FALSE;
          const char *q;

          for (;;)
            {
              q = memchr (p, '"', e - p);
              /* keep line numbers right across line breaks inside quotes */
              for (const char *nl = p; nl < (q ? q : e); nl++)
                if (*nl == '\n' || (*nl == '\r' && !(nl + 1 < e && nl[1] == '\n')))
                  {
                    t->line++;
                    t->line_start = nl + 1;
                  }
              if (q == NULL)
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                               ": a quoted field is never closed (a \" is missing)",
                               open_line, column_of (open_line_start, open));
                  return -1;
                }
              if (q + 1 < e && q[1] == '"')
                {
                  doubled = TRUE;
                  p = q + 2;
                  continue;
                }
              break;
            }
          if (doubled)
            {
              /* store the unescaped text in scratch; fix up pointers after the row */
              GString *sc = t->scratch;
              scratch_base = sc->len;
              for (const char *c = start; c < q; c++)
                {
                  g_string_append_c (sc, *c);
                  if (*c == '"')
                    c++;
                }
              push_field (t, NULL, sc->len - scratch_base);
              t->fields[t->n_fields - 1].scratch = scratch_base;
              t->unescaped = TRUE;
            }
          else
            push_field (t, start, q - start);
          p = q + 1;
          if (p < e && *p != t->delim && *p != '\n' && *p != '\r')
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                           ": unexpected text after a closing quote (quotes inside a quoted field must be doubled)",
                           t->line, column_of (t->line_start, p));
              return -1;
            }
        }
      else
        {
          const char *start = p;
          while (p < e && !t->special[(guchar) *p])
            p++;
          push_field (t, start, p - start);
        }
      if (p >= e)
        break;
      if (*p == t->delim)
        {
          p++;
          if (p >= e)
            {
              push_field (t, p, 0);
              break;
            }
          continue;
        }
      /* end of line */
      p += (*p == '\r' && p + 1 < e && p[1] == '\n') ? 2 : 1;
      t->line++;
      t->line_start = p;
      break;
    }
  t->p = p;
  if (t->unescaped)
    for (guint i = 0; i < t->n_fields; i++)
      if (t->fields[i].scratch >= 0)
        t->fields[i].ptr = t->scratch->str + t->fields[i].scratch;
  return 1;
}

/* Sniffing */

static char
sniff_delimiter (const char *data, gsize length)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  gsize limit = MIN (length, SNIFF_BYTES);
  guint counts[4][32];
  guint n_lines = 0;
  gboolean in_quotes = FALSE;
  char best = ',';
  guint best_consistent = 0, best_count = 0;

  memset (counts, 0, sizeof counts);
  for (gsize i = 0; i < limit && n_lines < 32; i++)
    {
      char c = data[i];
      if (c == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes && c == '\n')
        n_lines++;
      else if (!in_quotes)
        for (int k = 0; k < 4; k++)
          if (c == candidates[k])
            counts[k][n_lines]++;
    }
  if (limit == length && n_lines < 32 && length > 0 && data[length - 1] != '\n')
    n_lines++; /* the last line, unterminated */
  if (n_lines == 0)
    n_lines = 1;
  for (int k = 0; k < 4; k++)
    {
      guint first = counts[k][0];
      guint consistent = 0;
      if (first == 0)
        continue;
      for (guint l = 0; l < n_lines; l++)
        consistent += counts[k][l] == first;
      if (consistent > best_consistent || (consistent == best_consistent && first > best_count))
        {
          best = candidates[k];
          best_consistent = consistent;
          best_count = first;
        }
    }
  return best;
}

static TessValueKind
kind_of (const char *s, gsize len)
{
  gint64 i;
  double d;
  gint32 days;
  gboolean b;

  if (tess_is_null_token (s, len))
    return TESS_KIND_NULL;
  if (tess_parse_int64 (s, len, &i))
    return TESS_KIND_INT;
  if (tess_parse_double (s, len, &d))
    return TESS_KIND_DOUBLE;
  if (tess_parse_date (s, len, &days))
    return TESS_KIND_DATE;
  if (tess_parse_timestamp (s, len, &i))
    return TESS_KIND_TIMESTAMP;
  if (tess_parse_bool (s, len, &b))
    return TESS_KIND_BOOL;
  return TESS_KIND_STRING;
}

/* The first row is a header unless, in the columns whose sampled values have a
 * type, it holds values of that type more often than not. */
static gboolean
detect_header (CsvTokenizer *t, CsvField *first, guint n_first, GError **error)
{
  g_autofree TessValueKind *kinds = g_new0 (TessValueKind, n_first);
  int votes = 0;
  int rows = 0;

  for (; rows < SAMPLE_ROWS; rows++)
    {
      int r = tokenizer_next (t, error);
      if (r < 0)
        return FALSE;
      if (r == 0)
        break;
      for (guint c = 0; c < MIN (n_first, t->n_fields); c++)
        kinds[c] = tess_value_kind_merge (kinds[c], kind_of (t->fields[c].ptr, t->fields[c].len));
    }
  if (rows == 0)
    return TRUE;
  for (guint c = 0; c < n_first; c++)
    {
      TessValueKind k;
      if (kinds[c] == TESS_KIND_NULL || kinds[c] == TESS_KIND_STRING)
        continue;
      k = tess_value_kind_merge (kinds[c], kind_of (first[c].ptr, first[c].len));
      votes += k == kinds[c] ? -1 : 1;
    }
  return votes >= 0;
}

/* Columns */

/* The first of the two slots of CsvCol.recent where a value of @len bytes
 * (1 to 64) is looked for: a hash of its first, middle and last eight bytes,
 * so that a handful of names seldom share a pair of slots. Sets the bytes hashed, as
 * CsvCol.recent keeps them. */
static inline guint
recent_slot (const char *s, gsize len, guint64 *head, guint64 *tail)
{
  guint64 h = 0, t = 0, m = 0;

  if (len >= 8)
    {
      memcpy (&h, s, 8);
      memcpy (&t, s + len - 8, 8);
    }
  else
    for (gsize k = 0; k < len; k++)
      h = h << 8 | (guchar) s[k];
  if (len > 16)
    memcpy (&m, s + len / 2 - 4, 8);
  *head = h;
  *tail = t;
  return (guint) ((((h ^ len) * 0x9e3779b97f4a7c15ULL) ^ (t * 0xff51afd7ed558ccdULL) ^ (m * 0xc4ceb9fe1a85ec53ULL)) >>
                  59) *
         2;
}

/* Forgets the recent values of a column whose builder starts again. */
static void
col_forget_recent (CsvCol *col)
{
  memset (col->recent, 0, sizeof col->recent);
  col->recent_tries = 0;
  col->recent_hits = 0;
  col->recent_off = FALSE;
}

void
tess_csv_col_start (CsvCol *col, CsvColState state, TessColumnType type)
{
  col->state = state;
  col_forget_recent (col);
  tess_column_builder_reset (col->builder, type);
  for (gsize i = 0; i < col->pending_nulls; i++)
    tess_column_builder_append_null (col->builder);
  col->pending_nulls = 0;
}

static int
col_append_string (CsvReader *r, CsvCol *col, guint index, const char *s, gsize len, GError **error)
{
  if G_UNLIKELY (!g_utf8_validate_len (s, len, NULL))
    {
      if (r->options->lenient)
        {
          g_autofree char *valid = g_utf8_make_valid (s, len);
          char *nul = valid;
          tess_column_builder_append_string_len (col->builder, valid, strlen (nul));
          return CSV_APPEND_OK;
        }
      else
        {
          const char *bad;
          const char *line_start = r->tok.field_line_start;
          gsize line = r->tok.field_line;

          g_utf8_validate_len (s, len, &bad);
          if (s < r->tok.data || s >= r->tok.end)
            bad = r->tok.field_start; /* unescaped in scratch: point at the field's opening quote */
          else
            {
              /* count lines from the start: this happens once, on failure */
              line = 1;
              line_start = r->tok.data;
              for (const char *c = r->tok.data; c < bad; c++)
                if (*c == '\n' || (*c == '\r' && c + 1 < bad && c[1] != '\n'))
                  line++, line_start = c + 1;
            }
          g_set_error (
              error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
              "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
              ": the text is not valid UTF-8 (column “%s”); convert the file to UTF-8 or read it in lenient mode",
              line, column_of (line_start, bad), r->names[index]);
          return CSV_APPEND_ERROR;
        }
    }
  tess_column_builder_append_string_len (col->builder, s, len);
  return CSV_APPEND_OK;
}

static int
col_append (CsvReader *r, guint index, const char *s, gsize len, GError **error)
{
  CsvCol *col = &r->cols[index];
  gint64 i64 = 0;
  double d;
  gint32 days;
  gboolean b;

  if G_UNLIKELY (col->state == CSV_COL_TURNED)
    return CSV_APPEND_OK;
  if (col->state == CSV_COL_STRING)
    {
      if (len == 0 || (!r->options->strings_only && tess_is_null_token (s, len)))
        {
          tess_column_builder_append_null (col->builder);
          return CSV_APPEND_OK;
        }
      return col_append_string (r, col, index, s, len, error);
    }
  if (tess_is_null_token (s, len))
    {
      if (col->state == CSV_COL_UNKNOWN)
        col->pending_nulls++;
      else
        tess_column_builder_append_null (col->builder);
      return CSV_APPEND_OK;
    }
  switch (col->state)
    {
    case CSV_COL_INT:
      if G_LIKELY (tess_parse_int64 (s, len, &i64))
        {
          col->negative_zero |= i64 == 0 && *s == '-';
          tess_column_builder_append_int64_fast (col->builder, i64);
          return CSV_APPEND_OK;
        }
      if (tess_parse_double (s, len, &d))
        {
          tess_column_builder_convert (col->builder, TESS_COLUMN_DOUBLE);
          col->state = CSV_COL_DOUBLE;
          tess_column_builder_append_double_fast (col->builder, d);
          return CSV_APPEND_OK;
        }
      break;
    case CSV_COL_DOUBLE:
      if G_LIKELY (tess_parse_double (s, len, &d))
        {
          tess_column_builder_append_double_fast (col->builder, d);
          return CSV_APPEND_OK;
        }
      break;
    case CSV_COL_DATE:
      if G_LIKELY (tess_parse_date (s, len, &days))
        {
          tess_column_builder_append_date_fast (col->builder, days);
          return CSV_APPEND_OK;
        }
      if (tess_parse_timestamp (s, len, &i64))
        {
          tess_column_builder_convert (col->builder, TESS_COLUMN_TIMESTAMP);
          col->state = CSV_COL_TIMESTAMP;
          tess_column_builder_append_int64_fast (col->builder, i64);
          return CSV_APPEND_OK;
        }
      break;
    case CSV_COL_TIMESTAMP:
      if G_LIKELY (tess_parse_timestamp (s, len, &i64))
        {
          tess_column_builder_append_int64_fast (col->builder, i64);
          return CSV_APPEND_OK;
        }
      if (tess_parse_date (s, len, &days))
        {
          tess_column_builder_append_int64_fast (col->builder, (gint64) days * 86400 * G_USEC_PER_SEC);
          return CSV_APPEND_OK;
        }
      break;
    case CSV_COL_BOOL:
      if (tess_parse_bool (s, len, &b))
        {
          tess_column_builder_append_bool (col->builder, b);
          return CSV_APPEND_OK;
        }
      break;
    case CSV_COL_UNKNOWN:
      switch (kind_of (s, len))
        {
        case TESS_KIND_INT:
          tess_csv_col_start (col, CSV_COL_INT, TESS_COLUMN_INT64);
          tess_parse_int64 (s, len, &i64);
          col->negative_zero |= i64 == 0 && *s == '-';
          tess_column_builder_append_int64_fast (col->builder, i64);
          return CSV_APPEND_OK;
        case TESS_KIND_DOUBLE:
          tess_csv_col_start (col, CSV_COL_DOUBLE, TESS_COLUMN_DOUBLE);
          tess_parse_double (s, len, &d);
          tess_column_builder_append_double_fast (col->builder, d);
          return CSV_APPEND_OK;
        case TESS_KIND_DATE:
          tess_csv_col_start (col, CSV_COL_DATE, TESS_COLUMN_DATE);
          tess_parse_date (s, len, &days);
          tess_column_builder_append_date_fast (col->builder, days);
          return CSV_APPEND_OK;
        case TESS_KIND_TIMESTAMP:
          tess_csv_col_start (col, CSV_COL_TIMESTAMP, TESS_COLUMN_TIMESTAMP);
          tess_parse_timestamp (s, len, &i64);
          tess_column_builder_append_int64_fast (col->builder, i64);
          return CSV_APPEND_OK;
        case TESS_KIND_BOOL:
          tess_csv_col_start (col, CSV_COL_BOOL, TESS_COLUMN_BOOL);
          tess_parse_bool (s, len, &b);
          tess_column_builder_append_bool (col->builder, b);
          return CSV_APPEND_OK;
        default:
          tess_csv_col_start (col, CSV_COL_STRING, TESS_COLUMN_STRING);
          return col_append_string (r, col, index, s, len, error);
        }
    default:
      g_assert_not_reached ();
    }
  col->forced_string = TRUE;
  col->state = CSV_COL_TURNED;
  return CSV_APPEND_RESTART;
}

void
tess_csv_reader_reset_columns (CsvReader *r)
{
  for (guint c = 0; c < r->n_cols; c++)
    {
      CsvCol *col = &r->cols[c];
      col->pending_nulls = 0;
      col->negative_zero = FALSE;
      col_forget_recent (col);
      if (r->shared_string && g_atomic_int_get (&r->shared_string[c]))
        col->forced_string = TRUE;
      if (col->forced_string || r->options->strings_only)
        {
          col->state = CSV_COL_STRING;
          tess_column_builder_reset (col->builder, TESS_COLUMN_STRING);
        }
      else
        {
          col->state = CSV_COL_UNKNOWN;
          tess_column_builder_reset (col->builder, TESS_COLUMN_STRING);
        }
    }
  r->n_rows = 0;
  r->n_ragged = 0;
  r->restart = FALSE;
}

void
tess_csv_reader_release (CsvReader *r, const char *upto)
{
  /* ahead only to r->stop: a chunk's own part; the rest is another's */
  tess_mapped_file_release (r->released, upto, r->stop);
  r->released = upto;
}

/* Word-at-a-time byte tests: HAS_ZERO (v) is nonzero when a byte of v is
 * zero, and its lowest flagged byte is always the first such byte. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
#define HAS_ZERO(v) (((v) -ONES) & ~(v) &HIGHS)

/* The date of "YYYY-MM-DD..." at @s (the caller has checked both '-'), as
 * tess_parse_date reads its first ten bytes. Consecutive rows mostly share a
 * month: the column remembers the last one. */
static inline __attribute__ ((always_inline)) gboolean
iso_date_cached (CsvCol *col, const char *s, gint32 *days)
{
  guint64 prefix;
  int dd = digits2 (s + 8);
  int y, m, mdays;

  memcpy (&prefix, s, 8);
  if G_LIKELY (prefix == col->cached_prefix && dd >= 1 && dd <= col->cached_mdays)
    {
      *days = col->cached_base + dd - 1;
      return TRUE;
    }
  y = digits4 (s);
  m = digits2 (s + 5);
  if (y < 0 || !valid_ymd (y, m, 1) || dd < 1 || !valid_ymd (y, m, dd))
    return FALSE;
  mdays = 28;
  while (mdays < 31 && valid_ymd (y, m, mdays + 1))
    mdays++;
  col->cached_prefix = prefix;
  col->cached_base = tess_days_from_civil (y, m, 1);
  col->cached_mdays = mdays;
  *days = col->cached_base + dd - 1;
  return TRUE;
}

/* The common cases of col_append, inlined into the parse loop: a value of the
 * column's current type, or ASCII text for a string column. Everything else
 * (nulls, promotions, the first value, validation) takes col_append. */
static inline __attribute__ ((always_inline)) int
append_field (CsvReader *r, guint c, const char *s, gsize len, GError **error)
{
  CsvCol *col = &r->cols[c];
  CsvColState state = col->state;
  gint64 i64;
  double d;
  gint32 days;

  /* tests in a row rather than a switch: a jump table's indirect branch
   * costs more than these, which the pattern of columns makes predictable */
  if (state == CSV_COL_INT)
    {
      if G_LIKELY (parse_int64_inline (s, len, &i64))
        {
          if G_UNLIKELY (i64 == 0 && *s == '-')
            col->negative_zero = TRUE;
          tess_column_builder_append_int64_fast (col->builder, i64);
          return CSV_APPEND_OK;
        }
    }
  else if (state == CSV_COL_DOUBLE)
    {
      if G_LIKELY (parse_double_inline (s, len, &d))
        {
          tess_column_builder_append_double_fast (col->builder, d);
          return CSV_APPEND_OK;
        }
    }
  else if (state == CSV_COL_STRING)
    {
      if G_LIKELY (len > 4 || (len > 0 && (r->options->strings_only || !null_token_inline (s, len))))
        {
          /* plain ASCII without NUL needs no validation: copy and check in
           * one go, and keep the copy only when it passes */
          TessColumnBuilder *b = col->builder;
          guint slot = 0;
          guint64 head = 0, tail = 0;
          gboolean recent = !col->recent_off && !b->wide && len <= 64;

          if (recent)
            {
              slot = recent_slot (s, len, &head, &tail);
              for (guint way = slot; way < slot + 2; way++)
                if (col->recent[way].length == len + 1 && col->recent[way].head == head &&
                    col->recent[way].tail == tail && b->length < b->values_alloc &&
                    (len <= 16 || memcmp (b->chars + col->recent[way].offset + 8, s + 8, len - 16) == 0))
                  {
                    ((guint32 *) b->values)[b->length++] = col->recent[way].offset;
                    col->recent_hits++;
                    return CSV_APPEND_OK;
                  }
              /* values that rarely repeat: stop looking */
              if G_UNLIKELY (++col->recent_tries == 4096)
                col->recent_off = col->recent_hits < col->recent_tries / 4;
            }
          if G_LIKELY (b->length < b->values_alloc && b->chars_len + len + 1 <= b->chars_alloc &&
                       (b->wide || b->chars_len + len + 1 <= G_MAXUINT32))
            {
              char *dst = b->chars + b->chars_len;
              guint64 odd = 0;
              gsize k = 0;
              /* eight bytes at a time, then one: any NUL or byte >= 0x80 */
              for (; k + 8 <= len; k += 8)
                {
                  guint64 v;
                  memcpy (&v, s + k, 8);
                  memcpy (dst + k, &v, 8);
                  odd |= HAS_ZERO (v) | (v & HIGHS);
                }
              for (; k < len; k++)
                {
                  dst[k] = s[k];
                  odd |= (guint8) ((guint8) s[k] - 1) >= 0x7f;
                }
              if G_LIKELY (!odd)
                {
                  dst[len] = '\0';
                  if (recent)
                    {
                      /* the newest first, the one before it second */
                      col->recent[slot + 1] = col->recent[slot];
                      col->recent[slot].offset = (guint32) b->chars_len;
                      col->recent[slot].length = (guint32) len + 1;
                      col->recent[slot].head = head;
                      col->recent[slot].tail = tail;
                    }
                  tess_column_builder_push_offset (b);
                  b->chars_len += len + 1;
                  return CSV_APPEND_OK;
                }
            }
        }
    }
  else if (state == CSV_COL_DATE)
    {
      if G_LIKELY (len == 10 && s[4] == '-' && s[7] == '-' && iso_date_cached (col, s, &days))
        {
          tess_column_builder_append_date_fast (col->builder, days);
          return CSV_APPEND_OK;
        }
    }
  else if (state == CSV_COL_TIMESTAMP)
    {
      if G_LIKELY (len >= 16 && s[4] == '-' && s[7] == '-' && iso_date_cached (col, s, &days) &&
                   timestamp_after_date (s, len, days, &i64))
        {
          tess_column_builder_append_int64_fast (col->builder, i64);
          return CSV_APPEND_OK;
        }
    }
  return col_append (r, c, s, len, error);
}

/* Finds the end of an unquoted field: the next delimiter, CR or LF. Sixteen
 * bytes at a time with SSE2, then eight while they last; the lowest flagged
 * byte of HAS_ZERO is always a true match. */
static inline const char *
scan_field (const char *p, const char *e, const guint8 *special, guint64 delim_mask)
{
#ifdef __SSE2__
  const __m128i delims = _mm_set1_epi8 ((char) delim_mask), lfs = _mm_set1_epi8 ('\n'), crs = _mm_set1_epi8 ('\r');

  while (e - p >= 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) p);
      guint hits = (guint) _mm_movemask_epi8 (
          _mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (v, delims), _mm_cmpeq_epi8 (v, lfs)), _mm_cmpeq_epi8 (v, crs)));
      if (hits)
        return p + __builtin_ctz (hits);
      p += 16;
    }
#endif
  while (e - p >= 8)
    {
      guint64 v, hit;
      memcpy (&v, p, 8);
      hit = HAS_ZERO (v ^ delim_mask) | HAS_ZERO (v ^ (ONES * '\n')) | HAS_ZERO (v ^ (ONES * '\r'));
      if (hit)
        return p + (__builtin_ctzll (hit) >> 3);
      p += 8;
    }
  while (p < e && !special[(guchar) *p])
    p++;
  return p;
}

/* Where the field that @p is inside begins, when skip_fields() ended after
 * blocks without a delimiter: the text it skipped from @start holds no quote,
 * so the delimiter before @p ends the field before. */
static G_GNUC_NO_INLINE const char *
field_start (const char *p, const char *start, char delim)
{
  while (p > start && p[-1] != delim)
    p--;
  return p;
}

/* Skips up to @want whole fields from @p, the start of a field, each with
 * the delimiter after it, for the columns a partial read drops: sixteen
 * bytes at a time, counting delimiters, up to the first quote or line break
 * (the loop of tess_csv_reader_parse_body() takes over there), and never
 * past a delimiter that ends the data. Returns where the field after the last
 * one skipped begins, never a place inside it (a quote there would read as
 * one that opens a field), and sets *@skipped. Without SSE2 it skips none:
 * the loop cuts every field itself. */
static inline const char *
skip_fields (const char *p, const char *e, char delim, guint want, guint *skipped)
{
  const char *start = p;
  guint done = 0;

#ifdef __SSE2__
  const __m128i delims = _mm_set1_epi8 (delim), quotes = _mm_set1_epi8 ('"');
  const __m128i lfs = _mm_set1_epi8 ('\n'), crs = _mm_set1_epi8 ('\r');

  while (e - p > 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) p);
      guint hits = (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (v, delims));
      guint stops = (guint) _mm_movemask_epi8 (
          _mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (v, quotes), _mm_cmpeq_epi8 (v, lfs)), _mm_cmpeq_epi8 (v, crs)));
      guint last = 0;

      if (stops)
        hits &= (stops & -stops) - 1; /* the delimiters before the first stop */
      /* a few delimiters a block: one step each (no popcount: not every
       * x86-64 has the instruction) */
      for (; hits; hits &= hits - 1)
        {
          last = (guint) __builtin_ctz (hits) + 1;
          if (++done == want)
            {
              *skipped = done;
              return p + last;
            }
        }
      if (stops)
        {
          p += last;
          break;
        }
      p += 16;
    }
#endif
  if G_UNLIKELY (p > start && p[-1] != delim)
    p = field_start (p, start, delim);
  *skipped = done;
  return p;
}

/* Notes a line break at @p inside quotes: CR LF counts once, at its LF. */
static inline void
note_quoted_break (CsvTokenizer *t, const char *p)
{
  if (*p == '\n' || !(p + 1 < t->end && p[1] == '\n'))
    {
      t->line++;
      t->line_start = p + 1;
    }
}

/* Finds the next quote from @p inside a quoted field, or NULL, counting the
 * line breaks before it. Sixteen or eight bytes at a time while they last,
 * as scan_field: quoted fields are mostly short and hold no break. */
static inline const char *
find_quote (CsvTokenizer *t, const char *p)
{
  const char *e = t->end;

#ifdef __SSE2__
  const __m128i quotes = _mm_set1_epi8 ('"'), lfs = _mm_set1_epi8 ('\n'), crs = _mm_set1_epi8 ('\r');

  while (e - p >= 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) p);
      guint hits = (guint) _mm_movemask_epi8 (
          _mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (v, quotes), _mm_cmpeq_epi8 (v, lfs)), _mm_cmpeq_epi8 (v, crs)));
      if (hits == 0)
        {
          p += 16;
          continue;
        }
      p += __builtin_ctz (hits);
      if (*p == '"')
        return p;
      note_quoted_break (t, p++);
    }
#endif
  while (e - p >= 8)
    {
      guint64 v, hit;
      memcpy (&v, p, 8);
      hit = HAS_ZERO (v ^ (ONES * '"')) | HAS_ZERO (v ^ (ONES * '\n')) | HAS_ZERO (v ^ (ONES * '\r'));
      if (hit == 0)
        {
          p += 8;
          continue;
        }
      p += __builtin_ctzll (hit) >> 3;
      if (*p == '"')
        return p;
      note_quoted_break (t, p++);
    }
  for (; p < e; p++)
    {
      if (*p == '"')
        return p;
      if (*p == '\n' || *p == '\r')
        note_quoted_break (t, p);
    }
  return NULL;
}

/* Reads the quoted field at *pp (on the opening quote). On return *pp is past
 * the closing quote and the value is at *ptr (in the scratch buffer when it
 * held doubled quotes). */
static gboolean
read_quoted (CsvTokenizer *t, const char **pp, const char **ptr, gsize *len, GError **error)
{
  const char *e = t->end;
  const char *open = *pp;
  const char *open_line_start = t->line_start;
  gsize open_line = t->line;
  const char *start = open + 1;
  const char *p = start;
  gboolean doubled = FALSE;
  const char *q;

  t->field_start = open;
  t->field_line_start = open_line_start;
  t->field_line = open_line;

  for (;;)
    {
      q = find_quote (t, p);
      if (q == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                       ": a quoted field is never closed (a \" is missing)",
                       open_line, column_of (open_line_start, open));
          return FALSE;
        }
      if (q + 1 < e && q[1] == '"')
        {
          doubled = TRUE;
          p = q + 2;
          continue;
        }
      break;
    }
  if (doubled)
    {
      GString *sc = t->scratch;
      g_string_truncate (sc, 0);
      for (const char *c = start; c < q; c++)
        {
          g_string_append_c (sc, *c);
          if (*c == '"')
            c++;
        }
      *ptr = sc->str;
      *len = sc->len;
    }
  else
    {
      *ptr = start;
      *len = q - start;
    }
  p = q + 1;
  if (p < e && *p != t->delim && *p != '\n' && *p != '\r')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                   ": unexpected text after a closing quote (quotes inside a quoted field must be doubled)",
                   t->line, column_of (t->line_start, p));
      return FALSE;
    }
  *pp = p;
  return TRUE;
}

/* What appending a field that ends at @p means for the pass: a column that
 * turned to string sets where the pass stops, twice as far into the body as
 * here (see the top of the file). FALSE on an error. */
static inline gboolean
reader_note_append (CsvReader *r, int res, const char *p)
{
  if (res == CSV_APPEND_ERROR)
    return FALSE;
  if (res == CSV_APPEND_RESTART && !r->restart)
    {
      r->restart = TRUE;
      r->restart_after = 2 * (gsize) (p - r->body);
    }
  return TRUE;
}

/* Parses every row after the header, feeding each field to its column as it
 * is cut. Returns CSV_APPEND_OK at the end of the data, CSV_APPEND_RESTART to start
 * over (some columns turned to string), CSV_APPEND_ERROR with @error set. */
int
tess_csv_reader_parse_body (CsvReader *r, GError **error)
{
  CsvTokenizer *t = &r->tok;
  const char *p = r->body, *e = t->end, *stop = r->stop;
  const guint8 *special = t->special;
  const char delim = t->delim;
  const guint n_cols = r->n_cols;
  const guint64 delim_mask = 0x0101010101010101ULL * (guint8) delim;
  const guint8 *skip = r->skip;
  /* per column: how many columns from it on are dropped in a row */
  g_autofree guint8 *dropped_run = g_malloc0 (n_cols + 1);
  gboolean bulk_skip = FALSE;

  for (guint c = n_cols; c-- > 0;)
    if (skip[c])
      {
        dropped_run[c] = (guint8) MIN (dropped_run[c + 1] + 1, 255);
        bulk_skip = delim != '"' && delim != '\n' && delim != '\r';
      }
  t->line = r->body_line;
  t->line_start = r->body;
  r->released = r->body;
  if (r->release)
    tess_csv_reader_release (r, r->body);
  while (p < stop)
    {
      guint c = 0;
      gsize row_line;

      if (*p == '\n' || *p == '\r')
        {
          /* blank line */
          p += (*p == '\r' && p + 1 < e && p[1] == '\n') ? 2 : 1;
          t->line++;
          t->line_start = p;
          continue;
        }
      row_line = t->line;
      for (;;)
        {
          const char *ptr;
          gsize len;

          if (bulk_skip && c < n_cols && dropped_run[c] && *p != '"')
            {
              guint skipped;
              p = skip_fields (p, e, delim, dropped_run[c], &skipped);
              if (skipped)
                {
                  c += skipped;
                  continue;
                }
            }
          if G_UNLIKELY (*p == '"')
            {
              if (!read_quoted (t, &p, &ptr, &len, error))
                return CSV_APPEND_ERROR;
            }
          else
            {
              ptr = p;
              p = scan_field (p, e, special, delim_mask);
              len = p - ptr;
            }
          if G_LIKELY (c < n_cols && !skip[c])
            {
              int res = append_field (r, c, ptr, len, error);
              if G_UNLIKELY (res != CSV_APPEND_OK && !reader_note_append (r, res, p))
                return CSV_APPEND_ERROR;
            }
          c++;
          if (p >= e)
            break;
          if (*p == delim)
            {
              p++;
              if G_UNLIKELY (p >= e)
                {
                  /* a delimiter ends the data: one more, empty field */
                  if (c < n_cols && !skip[c])
                    {
                      int res = append_field (r, c, p, 0, error);
                      if (res != CSV_APPEND_OK && !reader_note_append (r, res, p))
                        return CSV_APPEND_ERROR;
                    }
                  c++;
                  break;
                }
              continue;
            }
          p += (*p == '\r' && p + 1 < e && p[1] == '\n') ? 2 : 1;
          t->line++;
          t->line_start = p;
          break;
        }
      if G_UNLIKELY (c != n_cols)
        {
          if (!r->options->lenient)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Line %" G_GSIZE_FORMAT ": expected %u fields but found %u; fix the row "
                           "or read the file in lenient mode to pad short rows",
                           row_line, n_cols, c);
              return CSV_APPEND_ERROR;
            }
          if (r->n_ragged++ == 0)
            r->first_ragged_line = row_line;
          for (; c < n_cols; c++)
            {
              int res = skip[c] ? CSV_APPEND_OK : col_append (r, c, "", 0, error);
              if (res != CSV_APPEND_OK && !reader_note_append (r, res, p))
                return CSV_APPEND_ERROR;
            }
        }
      r->n_rows++;
      if G_UNLIKELY ((r->n_rows & 0xfff) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (r->cancellable, error))
            return CSV_APPEND_ERROR;
          if (r->abort && g_atomic_int_get (r->abort))
            return CSV_APPEND_ABORT;
          if (r->release && p - r->released > RELEASE_CHUNK)
            tess_csv_reader_release (r, p);
        }
      if G_UNLIKELY (r->restart && (gsize) (p - r->body) >= r->restart_after)
        return CSV_APPEND_RESTART;
    }
  r->end_pos = p;
  return r->restart ? CSV_APPEND_RESTART : CSV_APPEND_OK;
}

/* @base, or @base_2, @base_3... when taken. @next_suffix remembers, per
 * base, where to go on looking, so a header that repeats one name n times
 * costs n lookups, not n²/2. */
static char *
unique_name (GHashTable *seen, GHashTable *next_suffix, const char *base)
{
  char *name = g_strdup (base);
  guint k;

  if (!g_hash_table_contains (seen, name))
    {
      g_hash_table_add (seen, name);
      return name;
    }
  for (k = MAX (2, GPOINTER_TO_UINT (g_hash_table_lookup (next_suffix, base))); g_hash_table_contains (seen, name); k++)
    {
      g_free (name);
      name = g_strdup_printf ("%s_%u", base, k);
    }
  g_hash_table_insert (next_suffix, g_strdup (base), GUINT_TO_POINTER (k));
  g_hash_table_add (seen, name);
  return name;
}

/* Where @at is, as "Line L, column C" numbers. Counts from the start: only
 * for errors. */
static void
position_of (const char *data, const char *at, gsize *line, gsize *col)
{
  const char *line_start = data;

  *line = 1;
  for (const char *c = data; c < at; c++)
    if (*c == '\n' || (*c == '\r' && c + 1 < at && c[1] != '\n'))
      (*line)++, line_start = c + 1;
  *col = column_of (line_start, at);
}

/* FALSE, with an error that says so, when the data is clearly not text: a NUL
 * byte in its first SNIFF_BYTES. Images, archives and compressed files all
 * have one there; text files do not. */
static gboolean
check_looks_like_text (const char *data, gsize length, GError **error)
{
  const char *nul = memchr (data, '\0', MIN (length, SNIFF_BYTES));
  gsize line, col;

  if (nul == NULL)
    return TRUE;
  position_of (data, nul, &line, &col);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
               ": a NUL byte; this does not look like text data. A binary file (an image, an archive, a "
               "compressed file) cannot be read as CSV; a text file with stray NUL bytes can be read in lenient mode",
               line, col);
  return FALSE;
}

/* FALSE, with an error, when the header row, which ends at @end, is not
 * UTF-8: its names could not be shown as written. */
static gboolean
check_header_text (const char *data, const char *end, GError **error)
{
  const char *bad;
  gsize line, col;

  if (g_utf8_validate_len (data, end - data, &bad))
    return TRUE;
  position_of (data, bad, &line, &col);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
               ": the header row is not valid UTF-8, so this does not look like text data; convert the file to "
               "UTF-8 or read it in lenient mode",
               line, col);
  return FALSE;
}

/* Where a body still arriving is read from before its rows: the dialect,
 * the header and the rows sampled to detect it are read from this much. */
#define ARRIVING_PREFIX (8 * 1024 * 1024)

/* How much of a body still arriving is read before its rows. */
static gsize
arriving_prefix (const TessCsvSplit *split)
{
  return split && split->arriving_prefix ? MAX (split->arriving_prefix, SNIFF_BYTES) : ARRIVING_PREFIX;
}

/* Reads @length bytes at @data. @growing: a body still arriving, whose first
 * arriving_prefix() bytes have arrived; *@cut is then set when the header or
 * its sample ran into the end of them, and the caller reads again once the
 * whole body is there. */
static TessFrame *
csv_read (const char *data,
          gsize length,
          const TessCsvOptions *options,
          const char *const *wanted,
          TessCsvSplit *split,
          gboolean release,
          TessGrowingBody *growing,
          gboolean *cut,
          TessCsvInfo *info,
          GCancellable *cancellable,
          GError **error)
{
  static const TessCsvOptions defaults = { 0 };
  CsvReader r = { 0 };
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) next_suffix = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_column_unref);
  g_autofree CsvField *first = NULL;
  g_autofree guint8 *skip = NULL;
  guint n_first;
  gboolean has_header;
  char delim;
  TessFrame *frame = NULL;
  int res;

  if (options == NULL)
    options = &defaults;
  r.options = options;
  r.release = release;
  r.cancellable = cancellable;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    data += 3, length -= 3;
  delim = options->delimiter ? options->delimiter : sniff_delimiter (data, length);
  /* a body still arriving: the header is read from what is there */
  tess_csv_tokenizer_init (&r.tok, data, growing ? MIN (length, arriving_prefix (split)) : length, delim);
  r.growing = growing;
  r.stop = r.tok.end;
  if (!options->lenient && !check_looks_like_text (data, length, error))
    goto out;

  res = tokenizer_next (&r.tok, error);
  if (res < 0)
    goto cut_short;
  if (res == 0)
    {
      frame = tess_frame_new (NULL, 0, error);
      has_header = FALSE;
      goto done;
    }
  n_first = r.tok.n_fields;
  first = g_new (CsvField, n_first);
  /* keep the first row's text: the scratch buffer is reused by later rows */
  {
    g_autoptr (GString) copy = g_string_new (NULL);
    g_autofree gsize *offsets = g_new (gsize, n_first);
    for (guint c = 0; c < n_first; c++)
      {
        offsets[c] = copy->len;
        g_string_append_len (copy, r.tok.fields[c].ptr, r.tok.fields[c].len);
        first[c].len = r.tok.fields[c].len;
      }
    r.body = r.tok.p;
    r.body_line = r.tok.line;
    if (options->header == TESS_CSV_HEADER_PRESENT)
      has_header = TRUE;
    else if (options->header == TESS_CSV_HEADER_ABSENT)
      has_header = FALSE;
    else
      {
        for (guint c = 0; c < n_first; c++)
          first[c].ptr = copy->str + offsets[c];
        has_header = detect_header (&r.tok, first, n_first, error);
        if (error && *error)
          goto cut_short;
      }
    if (growing && r.tok.end < data + length && r.tok.p >= r.tok.end)
      goto cut_short;
    if (has_header && !options->lenient && !check_header_text (data, r.body, error))
      goto out;
    r.n_cols = n_first;
    r.cols = g_new0 (CsvCol, n_first);
    r.names = g_new0 (char *, n_first + 1);
    skip = g_new0 (guint8, n_first);
    r.skip = skip;
    for (guint c = 0; c < n_first; c++)
      {
        g_autofree char *base = NULL;
        const char *text = copy->str + offsets[c];
        if (has_header && first[c].len > 0)
          base = tess_column_name_make_safe (text, first[c].len);
        else
          base = g_strdup_printf ("column%u", c + 1);
        r.names[c] = unique_name (seen, next_suffix, base);
        r.cols[c].builder = tess_column_builder_new (r.names[c], TESS_COLUMN_STRING, 0);
        skip[c] = wanted && !g_strv_contains (wanted, r.names[c]);
      }
    if (!has_header)
      {
        r.body = data;
        r.body_line = 1;
      }
  }

  r.released = r.body;
  r.tok.end = data + length;
  r.stop = r.tok.end;
  switch (tess_csv_read_body_split (&r, split, error))
    {
    case CSV_SPLIT_DONE:
      goto parsed;
    case CSV_SPLIT_CANCELLED:
      goto out;
    case CSV_SPLIT_WHOLE:
    default:
      /* one pass over the whole body: once it is all there */
      if (growing && tess_growing_body_wait (growing, length, error) == 0)
        goto out;
      break;
    }
  for (guint attempt = 0;; attempt++)
    {
      tess_csv_reader_reset_columns (&r);
      res = tess_csv_reader_parse_body (&r, error);
      if (res == CSV_APPEND_ERROR)
        goto out;
      if (res == CSV_APPEND_OK)
        break;
      g_assert (attempt <= r.n_cols);
    }
parsed:
  if (release)
    tess_csv_reader_release (&r, r.tok.end);

  for (guint c = 0; c < r.n_cols; c++)
    {
      CsvCol *col = &r.cols[c];
      if (skip[c])
        continue;
      if (col->state == CSV_COL_UNKNOWN)
        tess_csv_col_start (col, CSV_COL_STRING, TESS_COLUMN_STRING);
      g_ptr_array_add (columns, tess_column_builder_finish (g_steal_pointer (&col->builder)));
    }
  frame = tess_frame_new ((TessColumn **) columns->pdata, columns->len, error);
  if (frame && r.n_ragged > 0)
    {
      g_autofree char *warning = g_strdup_printf (
          "%" G_GSIZE_FORMAT " row%s had the wrong number of fields (the first on line %" G_GSIZE_FORMAT
          "); short rows were padded with nulls and extra fields dropped",
          r.n_ragged, r.n_ragged == 1 ? "" : "s", r.first_ragged_line);
      tess_frame_set_warning (frame, warning);
    }

done:
  if (info && frame)
    {
      info->delimiter = delim;
      info->has_header = has_header;
      info->n_rows = tess_frame_get_n_rows (frame);
      info->n_ragged_rows = r.n_ragged;
    }
  goto out;

cut_short:
  /* rows longer than the prefix of a body still arriving: an error or the
   * end of the prefix is no answer; the caller reads again once all is there */
  if (growing && r.tok.end < data + length)
    {
      g_clear_error (error);
      *cut = TRUE;
    }
out:
  for (guint c = 0; c < r.n_cols; c++)
    tess_column_builder_free (r.cols[c].builder);
  g_free (r.cols);
  g_strfreev (r.names);
  g_hash_table_steal_all (seen);
  tess_csv_tokenizer_clear (&r.tok);
  return frame;
}

TessFrame *
tess_csv_read (const char *data,
               gsize length,
               const TessCsvOptions *options,
               TessCsvInfo *info,
               GCancellable *cancellable,
               GError **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return csv_read (data ? data : "", length, options, NULL, NULL, FALSE, NULL, NULL, info, cancellable, error);
}

TessFrame *
tess_csv_read_split (const char *data,
                     gsize length,
                     const TessCsvOptions *options,
                     TessCsvSplit *split,
                     TessCsvInfo *info,
                     GCancellable *cancellable,
                     GError **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (split != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return csv_read (data ? data : "", length, options, split->columns, split, FALSE, NULL, NULL, info, cancellable,
                   error);
}

static TessFrame *
csv_read_file (const char *path,
               const TessCsvOptions *options,
               const char *const *wanted,
               TessCsvSplit *split,
               TessCsvInfo *info,
               GCancellable *cancellable,
               GError **error)
{
  const char *data;
  gsize length;
  TessFrame *frame;

  if ((data = tess_mapped_file_open (path, &length, error)) == NULL)
    return NULL;
  frame = csv_read (data, length, options, wanted, split, length > 0, NULL, NULL, info, cancellable, error);
  if (!tess_mapped_file_close_checked (data, length, path, error))
    g_clear_pointer (&frame, tess_frame_unref);
  return frame;
}

TessFrame *
tess_csv_read_file (
    const char *path, const TessCsvOptions *options, TessCsvInfo *info, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return csv_read_file (path, options, NULL, NULL, info, cancellable, error);
}

TessFrame *
tess_csv_read_file_split (const char *path,
                          const TessCsvOptions *options,
                          TessCsvSplit *split,
                          TessCsvInfo *info,
                          GCancellable *cancellable,
                          GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (split != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return csv_read_file (path, options, split->columns, split, info, cancellable, error);
}

TessFrame *
tess_csv_read_columns (const char *data,
                       gsize length,
                       const TessCsvOptions *options,
                       const char *const *columns,
                       TessCsvInfo *info,
                       GCancellable *cancellable,
                       GError **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return csv_read (data ? data : "", length, options, columns, NULL, FALSE, NULL, NULL, info, cancellable, error);
}

TessFrame *
tess_csv_read_file_columns (const char *path,
                            const TessCsvOptions *options,
                            const char *const *columns,
                            TessCsvInfo *info,
                            GCancellable *cancellable,
                            GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return csv_read_file (path, options, columns, NULL, info, cancellable, error);
}

static TessFrame *
csv_read_growing (TessGrowingBody *body,
                  const TessCsvOptions *options,
                  const char *const *columns,
                  TessCsvSplit *split,
                  GCancellable *cancellable,
                  GError **error)
{
  gsize length;
  const char *data = tess_growing_body_get_data (body, &length);
  gboolean cut = FALSE;
  TessFrame *frame;
  gsize arrived;

  arrived = tess_growing_body_wait (body, arriving_prefix (split), error);
  if (arrived == 0 && length > 0)
    return NULL;
  if (arrived == length)
    return csv_read (data, length, options, columns, split, FALSE, NULL, NULL, NULL, cancellable, error);
  frame = csv_read (data, length, options, columns, split, FALSE, body, &cut, NULL, cancellable, error);
  if (cut)
    {
      if (tess_growing_body_wait (body, length, error) == 0)
        return NULL;
      frame = csv_read (data, length, options, columns, split, FALSE, NULL, NULL, NULL, cancellable, error);
    }
  return frame;
}

TessFrame *
tess_csv_read_growing (TessGrowingBody *body,
                       const TessCsvOptions *options,
                       const char *const *columns,
                       GCancellable *cancellable,
                       GError **error)
{
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (tess_growing_body_get_length (body, &(gsize){ 0 }), NULL); /* not an open one */
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return csv_read_growing (body, options, columns, NULL, cancellable, error);
}

TessFrame *
tess_csv_read_growing_split (TessGrowingBody *body,
                             const TessCsvOptions *options,
                             TessCsvSplit *split,
                             GCancellable *cancellable,
                             GError **error)
{
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (tess_growing_body_get_length (body, &(gsize){ 0 }), NULL); /* not an open one */
  g_return_val_if_fail (split != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return csv_read_growing (body, options, split->columns, split, cancellable, error);
}
