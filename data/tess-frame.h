/* tess-frame.h: TessFrame, the immutable columnar table every layer shares.
 *
 * A frame is a list of equally long, named, typed columns. Frames and columns are
 * reference counted and never change after they are made, so any thread may read
 * them without locks; transforms make new frames that share unchanged columns.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  TESS_COLUMN_BOOL,
  TESS_COLUMN_INT64,
  TESS_COLUMN_DOUBLE,
  TESS_COLUMN_STRING,
  TESS_COLUMN_DATE,      /* days since 1970-01-01, stored as gint32 */
  TESS_COLUMN_TIMESTAMP, /* microseconds since 1970-01-01T00:00:00Z, stored as gint64 */
} TessColumnType;

typedef struct _TessFrame TessFrame;
typedef struct _TessColumn TessColumn;
typedef struct _TessColumnBuilder TessColumnBuilder;

#define TESS_TYPE_FRAME (tess_frame_get_type ())
#define TESS_TYPE_COLUMN (tess_column_get_type ())

GType tess_frame_get_type (void) G_GNUC_CONST;
GType tess_column_get_type (void) G_GNUC_CONST;

/**
 * tess_column_type_to_string:
 *
 * The type's name: "bool", "int64", "double", "string", "date" or
 * "timestamp".
 */
const char *tess_column_type_to_string (TessColumnType type);
/**
 * tess_column_type_from_string:
 * @type: (out):
 *
 * Reads a type's name into *@type; FALSE when it names none.
 */
gboolean tess_column_type_from_string (const char *name, TessColumnType *type);
/**
 * tess_column_type_is_numeric:
 *
 * Whether values of @type are numbers (int64, double).
 */
gboolean tess_column_type_is_numeric (TessColumnType type);

/* Columns */
/**
 * tess_column_ref:
 *
 * A new reference to @column.
 *
 * Returns: (transfer full):
 */
TessColumn *tess_column_ref (TessColumn *column);
/**
 * tess_column_unref:
 *
 * Drops a reference to @column.
 */
void tess_column_unref (TessColumn *column);
/**
 * tess_column_get_name:
 *
 * The column's name.
 */
const char *tess_column_get_name (const TessColumn *column);
/**
 * tess_column_get_column_type:
 *
 * The column's type.
 */
TessColumnType tess_column_get_column_type (const TessColumn *column);
/**
 * tess_column_get_length:
 *
 * The number of rows.
 */
gsize tess_column_get_length (const TessColumn *column);
/**
 * tess_column_get_null_count:
 *
 * How many of its values are null.
 */
gsize tess_column_get_null_count (const TessColumn *column);
/**
 * tess_column_is_null:
 *
 * Whether the value at @row is null.
 */
gboolean tess_column_is_null (const TessColumn *column, gsize row);
/**
 * tess_column_get_bool:
 *
 * The value at @row of a bool column.
 */
gboolean tess_column_get_bool (const TessColumn *column, gsize row);
/**
 * tess_column_get_int64:
 *
 * int64, date (days) and timestamp (µs) columns
 */
gint64 tess_column_get_int64 (const TessColumn *column, gsize row);
/**
 * tess_column_get_double:
 *
 * Any non-string column as a double (bool 0/1, date in days, timestamp in µs);
 * NAN where the value is null.
 */
double tess_column_get_double (const TessColumn *column, gsize row);
/**
 * tess_column_get_string:
 *
 * String columns only; NULL where the value is null. Owned by the column.
 *
 * Returns: (nullable):
 */
const char *tess_column_get_string (const TessColumn *column, gsize row);
/**
 * tess_column_get_int64_data: (skip)
 *
 * Raw storage, for tight loops. NULL when the column is of another type.
 * Null rows hold 0 (or NAN for doubles); check the validity bitmap.
 */
const gint64 *tess_column_get_int64_data (const TessColumn *column); /* int64, timestamp */
/**
 * tess_column_get_date_data: (skip)
 */
const gint32 *tess_column_get_date_data (const TessColumn *column);
/**
 * tess_column_get_double_data: (skip)
 */
const double *tess_column_get_double_data (const TessColumn *column);
/**
 * tess_column_get_validity: (skip)
 *
 * One bit per row, LSB first; NULL when the column has no nulls.
 */
const guint8 *tess_column_get_validity (const TessColumn *column);
/**
 * tess_column_rename:
 *
 * A new column with the same values under another name (shares storage).
 *
 * Returns: (transfer full):
 */
TessColumn *tess_column_rename (TessColumn *column, const char *name);
/**
 * tess_column_format_value:
 *
 * Formats one value for display ("" for null); dates as YYYY-MM-DD, timestamps ISO 8601.
 *
 * Returns: (transfer full):
 */
char *tess_column_format_value (const TessColumn *column, gsize row);
/**
 * tess_column_get_bytes:
 *
 * The memory the column takes, in bytes.
 */
gsize tess_column_get_bytes (const TessColumn *column);

/**
 * tess_column_new_double:
 * @values: (array length=n):
 *
 * A column of doubles from @n @values; NAN values are nulls.
 *
 * Returns: (transfer full):
 */
TessColumn *tess_column_new_double (const char *name, const double *values, gsize n);
/**
 * tess_column_new_int64:
 * @values: (array length=n):
 *
 * A column of 64-bit integers from @n @values.
 *
 * Returns: (transfer full):
 */
TessColumn *tess_column_new_int64 (const char *name, const gint64 *values, gsize n);
/**
 * tess_column_new_strings:
 * @values: (array length=n):
 *
 * NULL entries become nulls.
 *
 * Returns: (transfer full):
 */
TessColumn *tess_column_new_strings (const char *name, const char *const *values, gsize n);

/**
 * tess_column_builder_new: (skip)
 */
TessColumnBuilder *tess_column_builder_new (const char *name, TessColumnType type, gsize reserve);
/**
 * tess_column_builder_append_null: (skip)
 */
void tess_column_builder_append_null (TessColumnBuilder *builder);
/**
 * tess_column_builder_append_bool: (skip)
 */
void tess_column_builder_append_bool (TessColumnBuilder *builder, gboolean value);
/**
 * tess_column_builder_append_int64: (skip)
 */
void tess_column_builder_append_int64 (TessColumnBuilder *builder, gint64 value);
/**
 * tess_column_builder_append_double: (skip)
 */
void tess_column_builder_append_double (TessColumnBuilder *builder, double value);
/**
 * tess_column_builder_append_string: (skip)
 */
void tess_column_builder_append_string (TessColumnBuilder *builder, const char *value);
/**
 * tess_column_builder_append_date: (skip)
 */
void tess_column_builder_append_date (TessColumnBuilder *builder, gint32 days);
/**
 * tess_column_builder_append_timestamp: (skip)
 */
void tess_column_builder_append_timestamp (TessColumnBuilder *builder, gint64 usec);
/**
 * tess_column_builder_finish: (skip)
 *
 * Consumes the builder.
 */
TessColumn *tess_column_builder_finish (TessColumnBuilder *builder);
/**
 * tess_column_builder_free: (skip)
 */
void tess_column_builder_free (TessColumnBuilder *builder);

/* Frames */
/**
 * tess_frame_new:
 * @columns: (array length=n_columns):
 *
 * Takes a reference on each column. Fails when lengths differ or names repeat.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_new (TessColumn *const *columns, guint n_columns, GError **error);
/**
 * tess_frame_ref:
 *
 * A new reference to @frame.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_ref (TessFrame *frame);
/**
 * tess_frame_unref:
 *
 * Drops a reference to @frame.
 */
void tess_frame_unref (TessFrame *frame);
/**
 * tess_frame_get_n_rows:
 *
 * The number of rows.
 */
gsize tess_frame_get_n_rows (const TessFrame *frame);
/**
 * tess_frame_get_n_columns:
 *
 * The number of columns.
 */
guint tess_frame_get_n_columns (const TessFrame *frame);
/**
 * tess_frame_get_column:
 *
 * The column at @index, or NULL past the last.
 *
 * Returns: (transfer none) (nullable):
 */
TessColumn *tess_frame_get_column (const TessFrame *frame, guint index);
/**
 * tess_frame_get_column_by_name:
 *
 * The column named @name, or NULL.
 *
 * Returns: (transfer none) (nullable):
 */
TessColumn *tess_frame_get_column_by_name (const TessFrame *frame, const char *name);
/**
 * tess_frame_get_column_index:
 *
 * The index of the column named @name, or -1.
 */
int tess_frame_get_column_index (const TessFrame *frame, const char *name);
/**
 * tess_frame_get_bytes:
 *
 * The memory the frame's columns take, in bytes.
 */
gsize tess_frame_get_bytes (const TessFrame *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessFrame, tess_frame_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessColumn, tess_column_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessColumnBuilder, tess_column_builder_free)

G_END_DECLS
