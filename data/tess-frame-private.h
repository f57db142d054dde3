/* tess-frame-private.h: the layout of frames and columns, for the readers and
 * transforms of data/ that build columns in tight loops. Not public API.
 */
#pragma once

#include "tess-frame.h"

#include <string.h>

#define TESS_USEC_PER_DAY G_GINT64_CONSTANT (86400000000)

G_BEGIN_DECLS

struct _TessColumn
{
  gatomicrefcount ref_count;
  char *name;
  TessColumnType type;
  gsize length;
  gsize null_count;
  /* Values: guint8 for bool, gint64 for int64 and timestamp, gint32 for date,
   * double for double, offsets into @strings for string (guint32, or gsize
   * when @wide). Shared between renamed copies, never written once the
   * column exists. */
  GBytes *values;
  GBytes *validity; /* NULL when no row is null */
  GBytes *strings;  /* string columns: NUL-terminated values back to back */
  /* Cached pointers into the GBytes above. */
  const void *data;
  const guint8 *bits;
  const char *chars;
  gboolean wide; /* string offsets are gsize: the text passed 4 GiB */
};

struct _TessColumnBuilder
{
  char *name;
  TessColumnType type;
  gsize length;
  gsize null_count;
  gsize elem_size;
  /* values */
  guint8 *values;
  gsize values_alloc; /* in elements: the part known to be mapped in */
  gsize values_cap;   /* in elements: the allocation */
  /* validity, allocated when the first null arrives */
  guint8 *bits;
  gsize bits_alloc; /* in bytes */
  /* string data */
  char *chars;
  gsize chars_len;
  gsize chars_alloc; /* the part known to be mapped in */
  gsize chars_cap;
  gboolean wide; /* as in TessColumn */
};

gsize tess_column_type_elem_size (TessColumnType type);

/* Takes a reference unless the last one is already gone (the frame is being
 * freed), for tables that hold frames without a reference. */
gboolean tess_frame_try_ref (TessFrame *frame);
/* Calls @notify (@data) on the thread that drops the last reference, before
 * the frame is freed. Once, before the frame is shared. */
void tess_frame_set_free_notify (TessFrame *frame, GDestroyNotify notify, gpointer data);

/* What a text value reads as, for the readers' type inference. */
typedef enum
{
  TESS_KIND_NULL,
  TESS_KIND_BOOL,
  TESS_KIND_INT,
  TESS_KIND_DOUBLE,
  TESS_KIND_DATE,
  TESS_KIND_TIMESTAMP,
  TESS_KIND_STRING,
} TessValueKind;

/* The kind a column holding values of kinds @a and @b has: int and double
 * make double, date and timestamp make timestamp, nulls take the other's
 * kind, and anything else makes string. */
static inline TessValueKind
tess_value_kind_merge (TessValueKind a, TessValueKind b)
{
  if (a == TESS_KIND_NULL)
    return b;
  if (b == TESS_KIND_NULL || a == b)
    return a;
  if ((a == TESS_KIND_INT && b == TESS_KIND_DOUBLE) || (a == TESS_KIND_DOUBLE && b == TESS_KIND_INT))
    return TESS_KIND_DOUBLE;
  if ((a == TESS_KIND_DATE && b == TESS_KIND_TIMESTAMP) || (a == TESS_KIND_TIMESTAMP && b == TESS_KIND_DATE))
    return TESS_KIND_TIMESTAMP;
  return TESS_KIND_STRING;
}

/* Charges @frame's bytes to the memory budget (tess-memory.h) until it is
 * freed; for frames read from sources. Before the frame is shared. */
void tess_frame_charge_memory (TessFrame *frame);

/* Reserves room for @n more rows. */
void tess_column_builder_reserve (TessColumnBuilder *builder, gsize n);
/* Appends a string of @len bytes (need not be NUL-terminated; must not contain NUL). */
void tess_column_builder_append_string_len (TessColumnBuilder *builder, const char *value, gsize len);
/* Empties the builder, keeping its type unless @type differs. */
void tess_column_builder_reset (TessColumnBuilder *builder, TessColumnType type);
/* Switches a string builder to gsize offsets; done by itself once its text
 * passes 4 GiB. */
void tess_column_builder_widen_offsets (TessColumnBuilder *builder);
/* Changes the type of what is built so far: int64 to double, date to timestamp. */
void tess_column_builder_convert (TessColumnBuilder *builder, TessColumnType type);
/* Gives back the memory reserved beyond what is built so far, for a builder
 * that is done growing. */
void tess_column_builder_trim (TessColumnBuilder *builder);
/* Appends the rows of @more, builders of the same type, to @dest in that
 * order, and frees them: a body read in chunks becomes one column. Large
 * buffers move into place rather than being copied. */
void tess_column_builder_join (TessColumnBuilder *dest, TessColumnBuilder **more, guint n_more);

static inline gboolean
tess_column_valid (const TessColumn *column, gsize row)
{
  return column->bits == NULL || (column->bits[row >> 3] >> (row & 7)) & 1;
}

static inline void
tess_column_builder_append_int64_fast (TessColumnBuilder *builder, gint64 value)
{
  if G_UNLIKELY (builder->length == builder->values_alloc)
    tess_column_builder_reserve (builder, 1);
  ((gint64 *) builder->values)[builder->length++] = value;
}

static inline void
tess_column_builder_append_double_fast (TessColumnBuilder *builder, double value)
{
  if G_UNLIKELY (builder->length == builder->values_alloc)
    tess_column_builder_reserve (builder, 1);
  ((double *) builder->values)[builder->length++] = value;
}

/* The text of row @row of a string column (whatever its validity). */
static inline const char *
tess_column_string_at (const TessColumn *column, gsize row)
{
  gsize offset = column->wide ? ((const gsize *) column->data)[row] : ((const guint32 *) column->data)[row];
  return column->chars + offset;
}

/* Records that the next row's text starts at chars_len; the caller has
 * checked that it fits the offset width. */
static inline void
tess_column_builder_push_offset (TessColumnBuilder *builder)
{
  if (builder->wide)
    ((gsize *) builder->values)[builder->length++] = builder->chars_len;
  else
    ((guint32 *) builder->values)[builder->length++] = (guint32) builder->chars_len;
}

/* For short ASCII values in tight loops; @value must not hold NUL. */
static inline void
tess_column_builder_append_string_fast (TessColumnBuilder *builder, const char *value, gsize len)
{
  char *dst;

  if G_UNLIKELY (builder->length == builder->values_alloc || builder->chars_len + len + 1 > builder->chars_alloc ||
                 (!builder->wide && builder->chars_len + len + 1 > G_MAXUINT32))
    {
      tess_column_builder_append_string_len (builder, value, len);
      return;
    }
  dst = builder->chars + builder->chars_len;
  if (len <= 16)
    for (gsize i = 0; i < len; i++)
      dst[i] = value[i];
  else
    memcpy (dst, value, len);
  dst[len] = '\0';
  tess_column_builder_push_offset (builder);
  builder->chars_len += len + 1;
}

static inline void
tess_column_builder_append_date_fast (TessColumnBuilder *builder, gint32 value)
{
  if G_UNLIKELY (builder->length == builder->values_alloc)
    tess_column_builder_reserve (builder, 1);
  ((gint32 *) builder->values)[builder->length++] = value;
}

/* A new column holding rows @indices of @column in that order; an index of
 * G_MAXSIZE gives a null row. */
TessColumn *tess_column_take (const TessColumn *column, const gsize *indices, gsize n, const char *name);
/* Rows [@start, @start + @n). */
TessColumn *tess_column_slice (const TessColumn *column, gsize start, gsize n);
/* Compares two non-null values of columns of the same type (-1, 0, 1). */
int tess_column_compare_rows (const TessColumn *a, gsize ra, const TessColumn *b, gsize rb);
guint64 tess_column_hash_row (const TessColumn *column, gsize row);

/* Only for the code that makes @frame, before anyone else sees it. */
void tess_frame_set_warning (TessFrame *frame, const char *warning);

/* @length bytes of @text (-1: up to a NUL) as a column name that may be
 * shown anywhere: valid UTF-8 (invalid bytes become U+FFFD), line breaks and
 * tabs become spaces and other control characters U+FFFD, so a name never
 * carries raw bytes or moves a cursor. What the readers name columns with
 * and find asked-for columns by. */
char *tess_column_name_make_safe (const char *text, gssize length);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
gint32 tess_days_from_civil (gint64 y, unsigned m, unsigned d);
void tess_civil_from_days (gint64 z, gint64 *y, unsigned *m, unsigned *d);

G_END_DECLS
