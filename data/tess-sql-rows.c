/* tess-sql-rows.c: rows as the server writes them, into column builders
 * (tess-sql.h, "Rows stream one at a time").
 *
 * Values arrive as text (libpq's result format for every column; a binary
 * format would need one decoder per type, and "everything else as its
 * text" could not be had with it). Sessions write dates as ISO 8601
 * (DateStyle ISO) and doubles exactly (extra_float_digits), so each
 * column's builder is chosen by its type OID and each value read with a
 * small parser of that one syntax. Rows are charged to the memory budget a
 * step at a time as they arrive.
 */
#include "tess-sql-private.h"

#include "tess-cache.h"
#include "tess-frame-private.h"
#include "tess-memory.h"

#include <math.h>
#include <string.h>

/* Rows are charged to the memory budget in steps of this many bytes. */
#define CHARGE_STEP (1024 * 1024)

/* Reading values as the server writes them (DateStyle ISO) */

static gboolean
parse_int64 (const char *s, gint64 *out)
{
  gboolean negative = *s == '-';
  const char *p = s + (*s == '-' || *s == '+');
  guint64 v = 0;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      guint digit = *p - '0';
      if (v > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      v = v * 10 + digit;
    }
  if (*p)
    return FALSE;
  if (negative)
    {
      if (v > (guint64) G_MAXINT64 + 1)
        return FALSE;
      *out = v == 0 ? 0 : -(gint64) (v - 1) - 1;
    }
  else
    {
      if (v > G_MAXINT64)
        return FALSE;
      *out = (gint64) v;
    }
  return TRUE;
}

static gboolean
read_digits (const char **p, guint count, guint *value)
{
  *value = 0;
  for (guint i = 0; i < count; i++, (*p)++)
    {
      if (!g_ascii_isdigit (**p))
        return FALSE;
      *value = *value * 10 + (**p - '0');
    }
  return TRUE;
}

/* "2024-01-31" (a year of four digits or more), at *@p; the era is read by
 * the caller. */
static gboolean
read_date (const char **p, gint64 *year, guint *month, guint *day)
{
  gint64 y = 0;
  guint digits = 0;

  while (g_ascii_isdigit (**p) && digits < 9)
    {
      y = y * 10 + (**p - '0');
      (*p)++;
      digits++;
    }
  if (digits < 4 || **p != '-')
    return FALSE;
  (*p)++;
  if (!read_digits (p, 2, month) || **p != '-')
    return FALSE;
  (*p)++;
  if (!read_digits (p, 2, day))
    return FALSE;
  *year = y;
  return *month >= 1 && *month <= 12 && *day >= 1 && *day <= 31;
}

/* " BC" at the end: year 1 BC is year 0 of the proleptic calendar. */
static gboolean
read_era (const char *p, gint64 *year)
{
  if (g_str_equal (p, " BC"))
    {
      *year = 1 - *year;
      return TRUE;
    }
  return *p == '\0';
}

static gboolean
parse_date (const char *s, gint32 *days)
{
  const char *p = s;
  gint64 year, value;
  guint month, day;

  /* "infinity" and "-infinity" have no day: they read as null */
  if (!read_date (&p, &year, &month, &day))
    return FALSE;
  if (!read_era (p, &year))
    return FALSE;
  value = tess_days_from_civil (year, month, day);
  if (value < G_MININT32 || value > G_MAXINT32)
    return FALSE;
  *days = (gint32) value;
  return TRUE;
}

/* "2024-01-31 13:45:00", "…:00.25", "…:00+01", "…:00+05:30", "… BC". */
static gboolean
parse_timestamp (const char *s, gint64 *usec)
{
  const char *p = s;
  gint64 year, days;
  guint month, day, hour, minute, second;
  gint64 fraction = 0;
  gint64 offset = 0;

  if (!read_date (&p, &year, &month, &day) || *p++ != ' ')
    return FALSE;
  if (!read_digits (&p, 2, &hour) || *p++ != ':' || !read_digits (&p, 2, &minute) || *p++ != ':' ||
      !read_digits (&p, 2, &second))
    return FALSE;
  if (*p == '.')
    {
      gint64 scale = 100000;
      for (p++; g_ascii_isdigit (*p); p++)
        {
          fraction += (*p - '0') * scale;
          scale /= 10;
        }
    }
  if (*p == '+' || *p == '-')
    {
      int sign = *p++ == '-' ? -1 : 1;
      guint oh = 0, om = 0, os = 0;
      if (!read_digits (&p, 2, &oh))
        return FALSE;
      if (*p == ':' && (p++, !read_digits (&p, 2, &om)))
        return FALSE;
      if (*p == ':' && (p++, !read_digits (&p, 2, &os)))
        return FALSE;
      offset = sign * (gint64) (oh * 3600 + om * 60 + os);
    }
  if (!read_era (p, &year))
    return FALSE;
  days = tess_days_from_civil (year, month, day);
  /* the range of gint64 microseconds: about 292,000 years either way */
  if (days > 106000000 || days < -106000000)
    return FALSE;
  *usec = ((days * 86400 + hour * 3600 + minute * 60 + second) - offset) * G_USEC_PER_SEC + fraction;
  return TRUE;
}

/* Streaming rows into frames */

typedef enum
{
  KIND_BOOL,
  KIND_INT,
  KIND_FLOAT,
  KIND_TEXT,
  KIND_DATE,
  KIND_TIMESTAMP,
} Kind;

struct _TessSqlReaderColumn
{
  TessColumnBuilder *builder;
  Kind kind;
  char *server_name; /* as the server wrote it */
};

static Kind
kind_for_oid (Oid oid, TessColumnType *type)
{
  switch (oid)
    {
    case TESS_SQL_OID_BOOL:
      *type = TESS_COLUMN_BOOL;
      return KIND_BOOL;
    case TESS_SQL_OID_INT2:
    case TESS_SQL_OID_INT4:
    case TESS_SQL_OID_INT8:
    case TESS_SQL_OID_OID:
      *type = TESS_COLUMN_INT64;
      return KIND_INT;
    case TESS_SQL_OID_FLOAT4:
    case TESS_SQL_OID_FLOAT8:
    case TESS_SQL_OID_NUMERIC:
      *type = TESS_COLUMN_DOUBLE;
      return KIND_FLOAT;
    case TESS_SQL_OID_DATE:
      *type = TESS_COLUMN_DATE;
      return KIND_DATE;
    case TESS_SQL_OID_TIMESTAMP:
    case TESS_SQL_OID_TIMESTAMPTZ:
      *type = TESS_COLUMN_TIMESTAMP;
      return KIND_TIMESTAMP;
    default:
      *type = TESS_COLUMN_STRING;
      return KIND_TEXT;
    }
}

/* A name as a frame may show it: no line breaks or control characters. */
static char *
display_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p; p++)
    {
      if (*p == '\n' || *p == '\r' || *p == '\t')
        g_string_append_c (out, ' ');
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append (out, "\xef\xbf\xbd");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* The columns of @result, named uniquely (count, count_2...): a query may
 * name two columns alike, a frame may not. */
void
tess_sql_reader_init (TessSqlReader *reader, const PGresult *result)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  reader->n_columns = PQnfields (result);
  reader->columns = g_new0 (TessSqlReaderColumn, MAX (reader->n_columns, 1));
  for (int c = 0; c < reader->n_columns; c++)
    {
      g_autofree char *base = display_name (PQfname (result, c));
      char *name = g_strdup (base);
      TessColumnType type;

      for (guint k = 2; g_hash_table_contains (seen, name); k++)
        {
          g_free (name);
          name = g_strdup_printf ("%s_%u", base, k);
        }
      g_hash_table_add (seen, name);
      reader->columns[c].kind = kind_for_oid (PQftype (result, c), &type);
      reader->columns[c].builder = tess_column_builder_new (name, type, 0);
      reader->columns[c].server_name = g_strdup (PQfname (result, c));
    }
}

void
tess_sql_reader_clear (TessSqlReader *reader)
{
  for (int c = 0; c < reader->n_columns; c++)
    {
      tess_column_builder_free (reader->columns[c].builder);
      g_free (reader->columns[c].server_name);
    }
  g_clear_pointer (&reader->columns, g_free);
  reader->n_columns = 0;
  tess_memory_release (reader->charged);
  reader->charged = 0;
}

/* Charges the rows read so far; when they do not fit, frames kept only for
 * later runs are given back first. */
static gboolean
reader_charge (TessSqlReader *reader, GError **error)
{
  if (!tess_memory_charge (reader->pending, reader->uri, NULL))
    {
      tess_cache_clear ();
      if (!tess_memory_charge (reader->pending, reader->uri, error))
        return FALSE;
    }
  reader->charged += reader->pending;
  reader->pending = 0;
  return TRUE;
}

gboolean
tess_sql_reader_append_row (TessSqlReader *reader, const PGresult *result, int row, GError **error)
{
  gsize bytes = 0;

  for (int c = 0; c < reader->n_columns; c++)
    {
      TessSqlReaderColumn *column = &reader->columns[c];
      TessColumnBuilder *builder = column->builder;
      const char *value;
      gint64 integer;
      gint32 days;
      double number;

      bytes += builder->elem_size;
      if (PQgetisnull (result, row, c))
        {
          tess_column_builder_append_null (builder);
          continue;
        }
      value = PQgetvalue (result, row, c);
      switch (column->kind)
        {
        case KIND_BOOL:
          tess_column_builder_append_bool (builder, value[0] == 't');
          break;
        case KIND_INT:
          if (parse_int64 (value, &integer))
            tess_column_builder_append_int64_fast (builder, integer);
          else
            tess_column_builder_append_null (builder);
          break;
        case KIND_FLOAT:
          /* NaN, of float8 or numeric, reads as null */
          number = g_ascii_strtod (value, NULL);
          if (isnan (number))
            tess_column_builder_append_null (builder);
          else
            tess_column_builder_append_double_fast (builder, number);
          break;
        case KIND_DATE:
          if (parse_date (value, &days))
            tess_column_builder_append_date_fast (builder, days);
          else
            tess_column_builder_append_null (builder);
          break;
        case KIND_TIMESTAMP:
          if (parse_timestamp (value, &integer))
            tess_column_builder_append_int64_fast (builder, integer);
          else
            tess_column_builder_append_null (builder);
          break;
        case KIND_TEXT:
        default:
          {
            int length = PQgetlength (result, row, c);
            tess_column_builder_append_string_fast (builder, value, length);
            bytes += length + 1;
          }
          break;
        }
    }
  reader->n_rows++;
  reader->pending += bytes;
  return reader->pending < CHARGE_STEP || reader_charge (reader, error);
}

TessFrame *
tess_sql_reader_finish (TessSqlReader *reader, char ***server_names, GError **error)
{
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_column_unref);
  TessFrame *frame;

  if (server_names)
    {
      *server_names = g_new0 (char *, reader->n_columns + 1);
      for (int c = 0; c < reader->n_columns; c++)
        (*server_names)[c] = g_strdup (reader->columns[c].server_name);
    }
  for (int c = 0; c < reader->n_columns; c++)
    {
      g_ptr_array_add (columns, tess_column_builder_finish (reader->columns[c].builder));
      reader->columns[c].builder = NULL;
    }
  frame = tess_frame_new ((TessColumn *const *) columns->pdata, columns->len, error);
  tess_sql_reader_clear (reader);
  if (frame)
    tess_frame_charge_memory (frame);
  return frame;
}
