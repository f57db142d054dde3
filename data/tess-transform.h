/* tess-transform.h: transforms, each returning a new frame.
 *
 * Frames never change: every transform makes a new frame, sharing the columns
 * it does not alter. Column names that do not exist, or types a transform
 * cannot handle, give a GError that names them. Every function here runs on
 * any thread (a worker's) and takes no locks.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tess-frame.h"

G_BEGIN_DECLS

/* Columns */
/**
 * tess_frame_select:
 * @columns: (array zero-terminated=1):
 *
 * The columns named in @columns (NULL-terminated), in that order.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_select (TessFrame *frame, const char *const *columns, GError **error);
/**
 * tess_frame_rename:
 *
 * The frame with the column @from named @to.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_rename (TessFrame *frame, const char *from, const char *to, GError **error);
/**
 * tess_frame_with_column:
 *
 * Adds @column (of the frame's length), replacing a column of the same name in place.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_with_column (TessFrame *frame, TessColumn *column, GError **error);

/* Filters */
typedef enum
{
  TESS_COMPARE_EQ,
  TESS_COMPARE_NE,
  TESS_COMPARE_LT,
  TESS_COMPARE_LE,
  TESS_COMPARE_GT,
  TESS_COMPARE_GE,
} TessCompareOp;

typedef struct _TessPredicate TessPredicate;

#define TESS_TYPE_PREDICATE (tess_predicate_get_type ())
GType tess_predicate_get_type (void) G_GNUC_CONST;

/**
 * tess_predicate_compare:
 *
 * Compares a column with a number (dates in days since 1970-01-01, timestamps
 * in µs since the epoch, bools as 0 and 1). Null values never match.
 *
 * Returns: (transfer full):
 */
TessPredicate *tess_predicate_compare (const char *column, TessCompareOp op, double value);
/**
 * tess_predicate_compare_text:
 *
 * Compares with a value written as text, read as the column's type: strings
 * byte-wise, "2020-01-31" for dates, ISO 8601 for timestamps, numbers, true/false.
 *
 * Returns: (transfer full):
 */
TessPredicate *tess_predicate_compare_text (const char *column, TessCompareOp op, const char *value);
/**
 * tess_predicate_in:
 * @values: (array zero-terminated=1):
 *
 * The column's value is one of @values (text, read as for compare_text).
 *
 * Returns: (transfer full):
 */
TessPredicate *tess_predicate_in (const char *column, const char *const *values);
/**
 * tess_predicate_contains:
 *
 * The value, as text (tess_column_format_value() for other types), contains @text.
 *
 * Returns: (transfer full):
 */
TessPredicate *tess_predicate_contains (const char *column, const char *text);
/**
 * tess_predicate_is_null:
 *
 * Holds where @column is null.
 *
 * Returns: (transfer full):
 */
TessPredicate *tess_predicate_is_null (const char *column);
/**
 * tess_predicate_is_not_null:
 *
 * Holds where @column is not null.
 *
 * Returns: (transfer full):
 */
TessPredicate *tess_predicate_is_not_null (const char *column);
/**
 * tess_predicate_and:
 * @a: (transfer full):
 * @b: (transfer full):
 *
 * These take ownership of their operands.
 *
 * Returns: (transfer full):
 */
TessPredicate *tess_predicate_and (TessPredicate *a, TessPredicate *b);
/**
 * tess_predicate_or:
 * @a: (transfer full):
 * @b: (transfer full):
 *
 * Holds where @a or @b holds; takes ownership of both.
 *
 * Returns: (transfer full):
 */
TessPredicate *tess_predicate_or (TessPredicate *a, TessPredicate *b);
/**
 * tess_predicate_not:
 * @a: (transfer full):
 *
 * Holds where @a does not; takes ownership of @a.
 *
 * Returns: (transfer full):
 */
TessPredicate *tess_predicate_not (TessPredicate *a);
/**
 * tess_predicate_copy:
 *
 * A deep copy, which the caller owns.
 *
 * Returns: (transfer full):
 */
TessPredicate *tess_predicate_copy (const TessPredicate *predicate);
/**
 * tess_predicate_free:
 *
 * Frees @predicate and its operands.
 */
void tess_predicate_free (TessPredicate *predicate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessPredicate, tess_predicate_free)

/**
 * tess_frame_filter:
 *
 * The rows for which @predicate holds, in their order.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_filter (TessFrame *frame, const TessPredicate *predicate, GError **error);

/* Order */
typedef struct
{
  const char *column;
  gboolean descending;
} TessSortKey;

/**
 * tess_frame_sort:
 * @keys: (array length=n_keys):
 *
 * Stable, by each key in turn; nulls last in either direction.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_sort (TessFrame *frame, const TessSortKey *keys, guint n_keys, GError **error);
/**
 * tess_frame_head:
 *
 * The first @n rows.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_head (TessFrame *frame, gsize n);
/**
 * tess_frame_tail:
 *
 * The last @n rows.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_tail (TessFrame *frame, gsize n);

/* Group-by */
typedef enum
{
  TESS_AGGREGATE_COUNT,    /* non-null values (rows when the column is NULL); int64 */
  TESS_AGGREGATE_SUM,      /* int64 for int64 and bool columns, double for doubles; 0 when all null */
  TESS_AGGREGATE_MEAN,     /* double */
  TESS_AGGREGATE_MIN,      /* the column's type; any type */
  TESS_AGGREGATE_MAX,      /* the column's type; any type */
  TESS_AGGREGATE_MEDIAN,   /* double; the mean of the two middle values for even counts */
  TESS_AGGREGATE_DISTINCT, /* distinct non-null values; int64 */
} TessAggregateOp;

typedef struct
{
  const char *column; /* NULL only for COUNT */
  TessAggregateOp op;
  const char *name; /* NULL: "column_op", or "count" */
} TessAggregation;

/**
 * tess_aggregate_op_to_string:
 *
 * The operation's name, as documents write it ("sum", "mean", ...).
 */
const char *tess_aggregate_op_to_string (TessAggregateOp op);
/**
 * tess_aggregate_op_from_string:
 * @op: (out):
 *
 * Reads an operation's name into *@op; FALSE when it names none.
 */
gboolean tess_aggregate_op_from_string (const char *name, TessAggregateOp *op);

/**
 * tess_frame_group_by:
 * @keys: (array zero-terminated=1):
 * @aggregations: (array length=n_aggregations):
 *
 * One row per distinct combination of @keys (NULL-terminated), sorted by the
 * keys (nulls form their own group, last), with the key columns then one
 * column per aggregation.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_group_by (TessFrame *frame,
                                const char *const *keys,
                                const TessAggregation *aggregations,
                                guint n_aggregations,
                                GError **error);

/* Time */
typedef enum
{
  TESS_TIME_MINUTE,
  TESS_TIME_HOUR,
  TESS_TIME_DAY,
  TESS_TIME_WEEK, /* weeks start on Monday */
  TESS_TIME_MONTH,
  TESS_TIME_QUARTER,
  TESS_TIME_YEAR,
} TessTimeUnit;

/**
 * tess_time_unit_from_string:
 * @unit: (out):
 *
 * Reads a unit's name ("day", "month", ...) into *@unit; FALSE when it names
 * none.
 */
gboolean tess_time_unit_from_string (const char *name, TessTimeUnit *unit);

/**
 * tess_time_unit_start_day:
 *
 * The first day of the @unit that holds @days (days since 1970-01-01): the
 * Monday of its week, the 1st of its month, quarter or year; @days itself for
 * a day or a shorter unit. Any thread.
 */
gint64 tess_time_unit_start_day (TessTimeUnit unit, gint64 days);

/**
 * tess_frame_time_bucket:
 * @name: (nullable):
 *
 * Truncates a date or timestamp column to the start of its @unit. The result
 * replaces the column, or is added as @name when @name is not NULL.
 *
 * Returns: (transfer full):
 */
TessFrame *
tess_frame_time_bucket (TessFrame *frame, const char *column, TessTimeUnit unit, const char *name, GError **error);

/**
 * tess_frame_rolling_mean:
 * @name: (nullable):
 *
 * Rolling mean over @window rows ending at each row, as a double column
 * @name (NULL: "column_rolling_mean"); null until @window rows are seen and
 * wherever the window holds a null.
 *
 * Returns: (transfer full):
 */
TessFrame *
tess_frame_rolling_mean (TessFrame *frame, const char *column, guint window, const char *name, GError **error);
/**
 * tess_frame_rolling_sum:
 * @name: (nullable):
 *
 * Rolling sum over @window rows ending at each row, as
 * tess_frame_rolling_mean() does (NULL @name: "column_rolling_sum").
 *
 * Returns: (transfer full):
 */
TessFrame *
tess_frame_rolling_sum (TessFrame *frame, const char *column, guint window, const char *name, GError **error);

/**
 * tess_frame_derive:
 *
 * A double column @name computed from @expression: numbers, column names
 * (`quoted like this` when they are not identifiers), + - * / %, parentheses,
 * unary minus and abs() sqrt() log() exp() floor() ceil() round(). Null where an
 * operand is null or the result is not a finite number.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_derive (TessFrame *frame, const char *name, const char *expression, GError **error);

/* Joins */
typedef enum
{
  TESS_JOIN_INNER,
  TESS_JOIN_LEFT,
} TessJoinKind;

/**
 * tess_frame_join:
 * @left_on: (array zero-terminated=1):
 * @right_on: (array zero-terminated=1) (nullable):
 *
 * Rows of @left with each matching row of @right (in their orders); a left
 * join keeps unmatched left rows with nulls. @left_on and @right_on are
 * NULL-terminated and equally long (@right_on NULL: the same names). The
 * result holds the left columns, then the right ones but its keys; a name
 * already taken gets the suffix "_right". Null keys match nothing.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_frame_join (TessFrame *left,
                            TessFrame *right,
                            const char *const *left_on,
                            const char *const *right_on,
                            TessJoinKind kind,
                            GError **error);

G_END_DECLS
