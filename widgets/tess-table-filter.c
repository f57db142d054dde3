/* tess-table-filter.c: which rows a table shows (see tess-table-filter.h).
 *
 * Applying a filter marks rows in one byte per row: 0 out, 1 still in, 2
 * found by the search. Column filters run first, each only over the rows
 * still in; then the search, each column only over the rows no column has
 * found yet; last the kept rows are collected in the table's order. A cell
 * is matched as the table shows it, but written into a stack buffer without
 * grouping, never allocated (except for a search with non-ASCII letters,
 * which folds each string's case).
 */
#include "tess-table-filter.h"
#include "tess-format-private.h"
#include "tess-frame-private.h"
#include "tess-table-model.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Rows between two looks at the cancellable. */
#define CANCEL_CHECK_ROWS 0xffff

typedef enum
{
  OP_CONTAINS,
  OP_EQ,
  OP_NE,
  OP_LT,
  OP_LE,
  OP_GT,
  OP_GE,
} FilterOp;

/* Text to look for, case folded. */
typedef struct
{
  char *text;
  gsize len;
  gboolean ascii;   /* compared byte by byte, ASCII letters in either case */
  gboolean numeric; /* only digits, signs, points and separators: numbers may show it */
  char *number;     /* numeric: without the locale's thousands separators */
} Needle;

typedef struct
{
  guint column;
  char *text; /* as typed */
  FilterOp op;
  double value; /* comparisons on numbers, dates (days), timestamps (µs), bools */
  Needle needle;
} ColumnFilter;

struct _TessTableFilter
{
  char *search; /* as typed, NULL for none */
  Needle search_needle;
  GArray *search_columns; /* int; NULL: every column */
  GArray *columns;        /* ColumnFilter, by column */
};

static void
needle_init (Needle *needle, const char *text)
{
  TessNumberSymbols symbols;
  GString *number = g_string_new (NULL);

  needle->text = g_utf8_casefold (text, -1);
  needle->len = strlen (needle->text);
  needle->ascii = TRUE;
  needle->numeric = needle->len > 0;
  for (const char *p = needle->text; *p != '\0'; p++)
    {
      if ((guchar) *p >= 0x80)
        needle->ascii = FALSE;
      if (g_ascii_isalpha (*p) || (guchar) *p >= 0x80)
        needle->numeric = FALSE;
    }
  /* "1,234" finds 1234.5: numbers are matched without their grouping */
  tess_format_locale_symbols (&symbols);
  for (const char *p = needle->text; *p != '\0';)
    {
      if (g_str_has_prefix (p, symbols.thousands_sep))
        {
          p += strlen (symbols.thousands_sep);
          continue;
        }
      g_string_append_c (number, *p++);
    }
  needle->number = g_string_free (number, FALSE);
}

static void
needle_clear (Needle *needle)
{
  g_clear_pointer (&needle->text, g_free);
  g_clear_pointer (&needle->number, g_free);
}

static void
needle_copy (Needle *to, const Needle *from)
{
  *to = *from;
  to->text = g_strdup (from->text);
  to->number = g_strdup (from->number);
}

static void
column_filter_clear (gpointer p)
{
  ColumnFilter *filter = p;

  g_clear_pointer (&filter->text, g_free);
  needle_clear (&filter->needle);
}

TessTableFilter *
tess_table_filter_new (void)
{
  TessTableFilter *filter = g_new0 (TessTableFilter, 1);

  filter->columns = g_array_new (FALSE, TRUE, sizeof (ColumnFilter));
  g_array_set_clear_func (filter->columns, column_filter_clear);
  return filter;
}

void
tess_table_filter_free (TessTableFilter *filter)
{
  if (filter == NULL)
    return;
  g_free (filter->search);
  needle_clear (&filter->search_needle);
  g_clear_pointer (&filter->search_columns, g_array_unref);
  g_array_unref (filter->columns);
  g_free (filter);
}

TessTableFilter *
tess_table_filter_copy (const TessTableFilter *filter)
{
  TessTableFilter *copy;

  g_return_val_if_fail (filter != NULL, NULL);

  copy = tess_table_filter_new ();
  copy->search = g_strdup (filter->search);
  if (filter->search != NULL)
    needle_copy (&copy->search_needle, &filter->search_needle);
  if (filter->search_columns != NULL)
    {
      copy->search_columns = g_array_sized_new (FALSE, FALSE, sizeof (int), filter->search_columns->len);
      g_array_append_vals (copy->search_columns, filter->search_columns->data, filter->search_columns->len);
    }
  for (guint i = 0; i < filter->columns->len; i++)
    {
      const ColumnFilter *from = &g_array_index (filter->columns, ColumnFilter, i);
      ColumnFilter to = *from;

      to.text = g_strdup (from->text);
      needle_copy (&to.needle, &from->needle);
      g_array_append_val (copy->columns, to);
    }
  return copy;
}

gboolean
tess_table_filter_is_empty (const TessTableFilter *filter)
{
  g_return_val_if_fail (filter != NULL, TRUE);
  return filter->search == NULL && filter->columns->len == 0;
}

gboolean
tess_table_filter_equal (const TessTableFilter *a, const TessTableFilter *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || tess_table_filter_is_empty (a)) && (b == NULL || tess_table_filter_is_empty (b));
  if (g_strcmp0 (a->search, b->search) != 0 || a->columns->len != b->columns->len)
    return FALSE;
  if ((a->search_columns == NULL) != (b->search_columns == NULL) ||
      (a->search_columns != NULL &&
       (a->search_columns->len != b->search_columns->len ||
        memcmp (a->search_columns->data, b->search_columns->data, a->search_columns->len * sizeof (int)) != 0)))
    return FALSE;
  for (guint i = 0; i < a->columns->len; i++)
    {
      const ColumnFilter *fa = &g_array_index (a->columns, ColumnFilter, i);
      const ColumnFilter *fb = &g_array_index (b->columns, ColumnFilter, i);

      if (fa->column != fb->column || g_strcmp0 (fa->text, fb->text) != 0)
        return FALSE;
    }
  return TRUE;
}

void
tess_table_filter_set_search (TessTableFilter *filter, const char *text, const int *columns, guint n_columns)
{
  g_autofree char *trimmed = text != NULL ? g_strstrip (g_strdup (text)) : NULL;

  g_return_if_fail (filter != NULL);

  g_clear_pointer (&filter->search, g_free);
  needle_clear (&filter->search_needle);
  g_clear_pointer (&filter->search_columns, g_array_unref);
  if (trimmed == NULL || trimmed[0] == '\0')
    return;
  filter->search = g_steal_pointer (&trimmed);
  needle_init (&filter->search_needle, filter->search);
  if (columns != NULL)
    {
      filter->search_columns = g_array_sized_new (FALSE, FALSE, sizeof (int), n_columns);
      g_array_append_vals (filter->search_columns, columns, n_columns);
    }
}

const char *
tess_table_filter_get_search (const TessTableFilter *filter)
{
  g_return_val_if_fail (filter != NULL, NULL);
  return filter->search;
}

/* A number as a person types it: "1,234.5" (the locale's symbols) or
 * "1234.5". */
static gboolean
parse_number (const char *text, double *out)
{
  TessNumberSymbols symbols;
  g_autoptr (GString) plain = g_string_new (NULL);
  char *end;

  tess_format_locale_symbols (&symbols);
  for (const char *p = text; *p != '\0';)
    {
      if (g_str_has_prefix (p, symbols.thousands_sep) && !g_str_equal (symbols.thousands_sep, "."))
        p += strlen (symbols.thousands_sep);
      else if (g_str_has_prefix (p, symbols.decimal_point))
        {
          g_string_append_c (plain, '.');
          p += strlen (symbols.decimal_point);
        }
      else if (g_str_has_prefix (p, symbols.thousands_sep))
        p += strlen (symbols.thousands_sep);
      else
        g_string_append_c (plain, *p++);
    }
  *out = g_ascii_strtod (plain->str, &end);
  return end != plain->str && *end == '\0' && isfinite (*out);
}

/* "2013", "2013-07", "2013-07-04", with " 12:30" or " 12:30:15" for times:
 * microseconds since the epoch. */
static gboolean
parse_time (const char *text, gboolean with_time, double *out)
{
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, n;
  int fields = sscanf (text, "%d-%d-%d%n", &year, &month, &day, &n);

  if (fields < 1 || month < 1 || month > 12 || day < 1 || day > 31)
    return FALSE;
  if (fields < 3)
    {
      /* a year alone, or a year and a month: the text has nothing after them */
      const char *p = text;

      while (g_ascii_isdigit (*p) || *p == '-')
        p++;
      if (*p != '\0')
        return FALSE;
    }
  else if (text[n] != '\0')
    {
      if (!with_time || sscanf (text + n, " %d:%d:%d", &hour, &minute, &second) < 2 || hour > 23 || minute > 59 ||
          second > 60)
        return FALSE;
    }
  *out = (double) tess_days_from_civil (year, month, day) * TESS_USEC_PER_DAY +
         ((hour * 60.0 + minute) * 60 + second) * G_USEC_PER_SEC;
  return TRUE;
}

gboolean
tess_table_filter_set_column (TessTableFilter *filter, TessFrame *frame, guint column, const char *text, GError **error)
{
  static const struct
  {
    const char *text;
    FilterOp op;
  } ops[] = { { "<=", OP_LE }, { ">=", OP_GE }, { "!=", OP_NE }, { "<", OP_LT }, { ">", OP_GT }, { "=", OP_EQ } };
  g_autofree char *trimmed = text != NULL ? g_strstrip (g_strdup (text)) : NULL;
  ColumnFilter parsed = { column, NULL, OP_CONTAINS, 0, { 0 } };
  TessColumn *frame_column;
  TessColumnType type;
  const char *operand;
  guint at;

  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (column < tess_frame_get_n_columns (frame), FALSE);

  frame_column = tess_frame_get_column (frame, column);
  type = tess_column_get_column_type (frame_column);
  operand = trimmed;
  if (trimmed != NULL && trimmed[0] != '\0')
    {
      for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
        if (g_str_has_prefix (trimmed, ops[i].text))
          {
            parsed.op = ops[i].op;
            operand = trimmed + strlen (ops[i].text);
            while (g_ascii_isspace (*operand))
              operand++;
            break;
          }
      if (parsed.op != OP_CONTAINS)
        {
          gboolean ok = TRUE;
          const char *example = "> 100";

          switch (type)
            {
            case TESS_COLUMN_INT64:
            case TESS_COLUMN_DOUBLE:
              ok = parse_number (operand, &parsed.value);
              break;
            case TESS_COLUMN_DATE:
              ok = parse_time (operand, FALSE, &parsed.value);
              parsed.value = floor (parsed.value / TESS_USEC_PER_DAY);
              example = "> 2013-07-01";
              break;
            case TESS_COLUMN_TIMESTAMP:
              ok = parse_time (operand, TRUE, &parsed.value);
              example = "> 2013-07-01 12:00";
              break;
            case TESS_COLUMN_BOOL:
              ok = g_ascii_strcasecmp (operand, "true") == 0 || g_ascii_strcasecmp (operand, "false") == 0;
              parsed.value = g_ascii_strcasecmp (operand, "true") == 0;
              example = "= true";
              break;
            case TESS_COLUMN_STRING:
            default:
              break;
            }
          if (!ok || operand[0] == '\0')
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _ ("The filter on “%s” compares with “%s”, which is not a %s: write a comparison such "
                              "as “%s”, or text its values contain"),
                           tess_column_get_name (frame_column), operand,
                           type == TESS_COLUMN_DATE || type == TESS_COLUMN_TIMESTAMP ? _ ("date")
                           : type == TESS_COLUMN_BOOL                                ? _ ("true or false")
                                                                                     : _ ("number"),
                           example);
              return FALSE;
            }
        }
    }

  for (at = 0; at < filter->columns->len; at++)
    if (g_array_index (filter->columns, ColumnFilter, at).column >= column)
      break;
  if (at < filter->columns->len && g_array_index (filter->columns, ColumnFilter, at).column == column)
    g_array_remove_index (filter->columns, at);
  if (trimmed == NULL || trimmed[0] == '\0')
    return TRUE;
  parsed.text = g_steal_pointer (&trimmed);
  needle_init (&parsed.needle, operand);
  g_array_insert_val (filter->columns, at, parsed);
  return TRUE;
}

const char *
tess_table_filter_get_column (const TessTableFilter *filter, guint column)
{
  g_return_val_if_fail (filter != NULL, NULL);

  for (guint i = 0; i < filter->columns->len; i++)
    if (g_array_index (filter->columns, ColumnFilter, i).column == column)
      return g_array_index (filter->columns, ColumnFilter, i).text;
  return NULL;
}

guint
tess_table_filter_get_n_column_filters (const TessTableFilter *filter)
{
  g_return_val_if_fail (filter != NULL, 0);
  return filter->columns->len;
}

/* Matching */

/* Whether @hay contains @needle (lower case, @len bytes), ASCII letters in
 * either case. */
static gboolean
ascii_contains (const char *hay, const char *needle, gsize len)
{
  char first = needle[0], first_upper = g_ascii_toupper (needle[0]);

  for (const char *p = hay; *p != '\0'; p++)
    {
      gsize k = 1;

      if (*p != first && *p != first_upper)
        continue;
      while (k < len && p[k] != '\0' && g_ascii_tolower (p[k]) == needle[k])
        k++;
      if (k == len)
        return TRUE;
    }
  return FALSE;
}

static gboolean
text_contains (const char *hay, const Needle *needle)
{
  g_autofree char *folded = NULL;

  if (needle->len == 0)
    return TRUE;
  if (needle->ascii)
    return ascii_contains (hay, needle->text, needle->len);
  folded = g_utf8_casefold (hay, -1);
  return strstr (folded, needle->text) != NULL;
}

/* Writes the digits of @v into the end of @buf; returns where they start. */
static char *
format_int64 (gint64 v, char *buf, gsize size)
{
  char *p = buf + size - 1;
  guint64 u = v < 0 ? -(guint64) v : (guint64) v;

  *p = '\0';
  do
    {
      *--p = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u != 0);
  if (v < 0)
    *--p = '-';
  return p;
}

/* @v with @decimals decimals and the locale's @point, as printf writes it
 * but a dozen times faster: the digits of the value scaled to an integer.
 * A value whose scaled form lies within a hair of a tie, or too large for
 * 64 bits, goes to printf, which rounds the exact binary value. A zero
 * never has a sign, as the table shows it. */
static const char *
format_fixed (double v, int decimals, const char *point, char *buf, gsize size)
{
  static const double powers[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
  double scaled, rounded;
  char digits[32];
  const char *start;
  char *out = buf;
  gsize n_digits, n_point = strlen (point);

  if (decimals < 0 || decimals >= (int) G_N_ELEMENTS (powers) || !(fabs (v) < 1e15 / powers[decimals]))
    goto slow;
  scaled = v * powers[decimals];
  rounded = nearbyint (scaled);
  if (fabs (fabs (scaled - rounded) - 0.5) < 1e-6)
    goto slow;
  start = format_int64 ((gint64) fabs (rounded), digits, sizeof digits);
  n_digits = strlen (start);
  if (rounded < 0)
    *out++ = '-';
  if (n_digits <= (gsize) decimals)
    {
      /* only decimals: "0.05" */
      *out++ = '0';
      memcpy (out, point, n_point);
      out += n_point;
      memset (out, '0', decimals - n_digits);
      out += decimals - n_digits;
      memcpy (out, start, n_digits);
      out += n_digits;
    }
  else
    {
      memcpy (out, start, n_digits - decimals);
      out += n_digits - decimals;
      if (decimals > 0)
        {
          memcpy (out, point, n_point);
          out += n_point;
          memcpy (out, start + n_digits - decimals, decimals);
          out += decimals;
        }
    }
  *out = '\0';
  return buf;

slow:
  snprintf (buf, size, "%.*f", decimals, v);
  return buf;
}

/* A non-null cell's text as the table shows it, without grouping. */
static const char *
cell_text (TessColumn *column, TessColumnType type, gsize row, int decimals, const char *point, char *buf, gsize size)
{
  switch (type)
    {
    case TESS_COLUMN_STRING:
      return tess_column_get_string (column, row);
    case TESS_COLUMN_INT64:
      return format_int64 (tess_column_get_int64 (column, row), buf, size);
    case TESS_COLUMN_DOUBLE:
      /* the locale's decimal point, as the needle has it */
      return format_fixed (tess_column_get_double (column, row), decimals, point, buf, size);
    case TESS_COLUMN_BOOL:
      return tess_column_get_bool (column, row) ? "true" : "false";
    case TESS_COLUMN_DATE:
    case TESS_COLUMN_TIMESTAMP:
    default:
      {
        gint64 usec = type == TESS_COLUMN_DATE ? tess_column_get_int64 (column, row) * TESS_USEC_PER_DAY
                                               : tess_column_get_int64 (column, row);
        gint64 days = usec >= 0 ? usec / TESS_USEC_PER_DAY : -((-usec + TESS_USEC_PER_DAY - 1) / TESS_USEC_PER_DAY);
        gint64 rest = (usec - days * TESS_USEC_PER_DAY) / G_USEC_PER_SEC;
        gint64 y;
        unsigned m, d;

        tess_civil_from_days (days, &y, &m, &d);
        if (type == TESS_COLUMN_DATE)
          g_snprintf (buf, size, "%04" G_GINT64_FORMAT "-%02u-%02u", y, m, d);
        else
          g_snprintf (buf, size, "%04" G_GINT64_FORMAT "-%02u-%02u %02d:%02d:%02d", y, m, d, (int) (rest / 3600),
                      (int) (rest / 60 % 60), (int) (rest % 60));
        return buf;
      }
    }
}

/* Whether a cell of @type shows @needle. */
static gboolean
cell_contains (
    TessColumn *column, TessColumnType type, gsize row, int decimals, const char *point, const Needle *needle)
{
  char buf[128];
  const char *text = cell_text (column, type, row, decimals, point, buf, sizeof buf);

  if (type == TESS_COLUMN_INT64 || type == TESS_COLUMN_DOUBLE)
    return needle->numeric && strstr (text, needle->number) != NULL;
  return text != NULL && text_contains (text, needle);
}

static gboolean
compare (FilterOp op, int order)
{
  switch (op)
    {
    case OP_EQ:
      return order == 0;
    case OP_NE:
      return order != 0;
    case OP_LT:
      return order < 0;
    case OP_LE:
      return order <= 0;
    case OP_GT:
      return order > 0;
    case OP_GE:
      return order >= 0;
    case OP_CONTAINS:
    default:
      return FALSE;
    }
}

static gboolean
cell_passes (
    TessColumn *column, TessColumnType type, gsize row, int decimals, const char *point, const ColumnFilter *filter)
{
  double v;

  if (filter->op == OP_CONTAINS)
    return cell_contains (column, type, row, decimals, point, &filter->needle);
  if (type == TESS_COLUMN_STRING)
    {
      const char *text = tess_column_get_string (column, row);
      g_autofree char *folded = g_utf8_casefold (text, -1);

      return compare (filter->op, strcmp (folded, filter->needle.text));
    }
  v = type == TESS_COLUMN_BOOL ? tess_column_get_bool (column, row) : tess_column_get_double (column, row);
  return compare (filter->op, v < filter->value ? -1 : v > filter->value ? 1 : 0);
}

/* Whether a search for @needle looks in a column of @type at all: a word
 * with letters is never part of a number or a date. */
static gboolean
searches (TessColumnType type, const Needle *needle)
{
  if (type == TESS_COLUMN_STRING)
    return TRUE;
  if (type == TESS_COLUMN_BOOL)
    return !needle->numeric;
  if (type == TESS_COLUMN_INT64 || type == TESS_COLUMN_DOUBLE)
    return needle->numeric;
  /* dates and times: "2013-07", "12:30" */
  return strspn (needle->text, "0123456789-: ") == needle->len;
}

guint32 *
tess_table_filter_apply (
    const TessTableFilter *filter, TessFrame *frame, const guint32 *order, GCancellable *cancellable, gsize *n_out)
{
  gsize n = tess_frame_get_n_rows (frame), kept = 0;
  guint n_columns = tess_frame_get_n_columns (frame);
  g_autofree guint8 *state = NULL;
  TessNumberSymbols symbols;
  guint8 in;
  guint32 *rows;

  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (n_out != NULL, NULL);

  *n_out = 0;
  tess_format_locale_symbols (&symbols);
  state = g_malloc (MAX (n, 1));
  memset (state, 1, n);

  for (guint f = 0; f < filter->columns->len; f++)
    {
      const ColumnFilter *column_filter = &g_array_index (filter->columns, ColumnFilter, f);
      TessColumn *column;
      TessColumnType type;
      int decimals;

      if (column_filter->column >= n_columns)
        continue;
      column = tess_frame_get_column (frame, column_filter->column);
      type = tess_column_get_column_type (column);
      decimals = tess_table_model_column_decimals (column);
      for (gsize row = 0; row < n; row++)
        {
          if ((row & CANCEL_CHECK_ROWS) == 0 && g_cancellable_is_cancelled (cancellable))
            return NULL;
          if (state[row] != 0 && (tess_column_is_null (column, row) ||
                                  !cell_passes (column, type, row, decimals, symbols.decimal_point, column_filter)))
            state[row] = 0;
        }
    }

  in = 1;
  if (filter->search != NULL)
    {
      guint n_search = filter->search_columns ? filter->search_columns->len : n_columns;

      for (guint c = 0; c < n_search; c++)
        {
          int index = filter->search_columns ? g_array_index (filter->search_columns, int, c) : (int) c;
          TessColumn *column;
          TessColumnType type;
          int decimals;

          if (index < 0 || (guint) index >= n_columns)
            continue;
          column = tess_frame_get_column (frame, index);
          type = tess_column_get_column_type (column);
          if (!searches (type, &filter->search_needle))
            continue;
          decimals = tess_table_model_column_decimals (column);
          for (gsize row = 0; row < n; row++)
            {
              if ((row & CANCEL_CHECK_ROWS) == 0 && g_cancellable_is_cancelled (cancellable))
                return NULL;
              if (state[row] != 1)
                continue;
              /* the hot loop of a text search: a string is NULL when missing */
              if (type == TESS_COLUMN_STRING)
                {
                  const char *text = tess_column_get_string (column, row);

                  if (text != NULL && text_contains (text, &filter->search_needle))
                    state[row] = 2;
                }
              else if (!tess_column_is_null (column, row) &&
                       cell_contains (column, type, row, decimals, symbols.decimal_point, &filter->search_needle))
                state[row] = 2;
            }
        }
      in = 2;
    }

  for (gsize i = 0; i < n; i++)
    kept += state[i] == in;
  rows = g_new (guint32, MAX (kept, 1));
  kept = 0;
  for (gsize i = 0; i < n; i++)
    {
      gsize row = order ? order[i] : i;

      if (state[row] == in)
        rows[kept++] = row;
    }
  *n_out = kept;
  return rows;
}
