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

const char *tess_column_type_to_string (TessColumnType type);
gboolean tess_column_type_from_string (const char *name, TessColumnType *type);
gboolean tess_column_type_is_numeric (TessColumnType type);

/* Columns */
TessColumn *tess_column_ref (TessColumn *column);
void tess_column_unref (TessColumn *column);
const char *tess_column_get_name (const TessColumn *column);
TessColumnType tess_column_get_column_type (const TessColumn *column);
gsize tess_column_get_length (const TessColumn *column);
gsize tess_column_get_null_count (const TessColumn *column);
gboolean tess_column_is_null (const TessColumn *column, gsize row);
gboolean tess_column_get_bool (const TessColumn *column, gsize row);
/* int64, date (days) and timestamp (µs) columns */
gint64 tess_column_get_int64 (const TessColumn *column, gsize row);
/* Any non-string column as a double (bool 0/1, date in days, timestamp in µs);
 * NAN where the value is null. */
double tess_column_get_double (const TessColumn *column, gsize row);
/* String columns only; NULL where the value is null. Owned by the column. */
const char *tess_column_get_string (const TessColumn *column, gsize row);
/* Raw storage, for tight loops. NULL when the column is of another type.
 * Null rows hold 0 (or NAN for doubles); check the validity bitmap. */
const gint64 *tess_column_get_int64_data (const TessColumn *column); /* int64, timestamp */
const gint32 *tess_column_get_date_data (const TessColumn *column);
const double *tess_column_get_double_data (const TessColumn *column);
/* One bit per row, LSB first; NULL when the column has no nulls. */
const guint8 *tess_column_get_validity (const TessColumn *column);
/* A new column with the same values under another name (shares storage). */
TessColumn *tess_column_rename (TessColumn *column, const char *name);
/* Formats one value for display ("" for null); dates as YYYY-MM-DD, timestamps ISO 8601. */
char *tess_column_format_value (const TessColumn *column, gsize row);
gsize tess_column_get_bytes (const TessColumn *column);

TessColumn *tess_column_new_double (const char *name, const double *values, gsize n);
TessColumn *tess_column_new_int64 (const char *name, const gint64 *values, gsize n);
/* NULL entries become nulls. */
TessColumn *tess_column_new_strings (const char *name, const char *const *values, gsize n);

TessColumnBuilder *tess_column_builder_new (const char *name, TessColumnType type, gsize reserve);
void tess_column_builder_append_null (TessColumnBuilder *builder);
void tess_column_builder_append_bool (TessColumnBuilder *builder, gboolean value);
void tess_column_builder_append_int64 (TessColumnBuilder *builder, gint64 value);
void tess_column_builder_append_double (TessColumnBuilder *builder, double value);
void tess_column_builder_append_string (TessColumnBuilder *builder, const char *value);
void tess_column_builder_append_date (TessColumnBuilder *builder, gint32 days);
void tess_column_builder_append_timestamp (TessColumnBuilder *builder, gint64 usec);
/* Consumes the builder. */
TessColumn *tess_column_builder_finish (TessColumnBuilder *builder);
void tess_column_builder_free (TessColumnBuilder *builder);

/* Frames */
/* Takes a reference on each column. Fails when lengths differ or names repeat. */
TessFrame *tess_frame_new (TessColumn *const *columns, guint n_columns, GError **error);
TessFrame *tess_frame_ref (TessFrame *frame);
void tess_frame_unref (TessFrame *frame);
gsize tess_frame_get_n_rows (const TessFrame *frame);
guint tess_frame_get_n_columns (const TessFrame *frame);
TessColumn *tess_frame_get_column (const TessFrame *frame, guint index);
TessColumn *tess_frame_get_column_by_name (const TessFrame *frame, const char *name);
int tess_frame_get_column_index (const TessFrame *frame, const char *name);
gsize tess_frame_get_bytes (const TessFrame *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessFrame, tess_frame_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessColumn, tess_column_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessColumnBuilder, tess_column_builder_free)

G_END_DECLS
