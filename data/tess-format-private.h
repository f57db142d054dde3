/* tess-format-private.h: how every layer writes values as text: JSON strings
 * and numbers for people. One copy of each rule, so the timeline, --describe,
 * documents, automatic dashboards, metrics, axes, tooltips, tables and copied
 * CSV all print the same way.
 *
 * Numbers for people follow the locale's decimal point and digit grouping
 * (LC_NUMERIC); a locale without grouping (C, POSIX) groups with "," as
 * English does. Numbers for machines (CSV, JSON) always use "." and no
 * grouping, in the shortest form that reads back as the same double.
 *
 * Not installed; any layer may include it. Any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @text to @out as a JSON string literal, quotes included: ", \ and
 * control characters escaped, UTF-8 kept as it is. */
void tess_format_append_json (GString *out, const char *text);

/* @v as people read it: NaN as "–"; with @decimals >= 0, exactly that many
 * decimals; otherwise integers in full (up to 1e15) and everything else to 6
 * significant digits (never an exponent below 1e15), always with "." as the
 * decimal point and no grouping: documents substitute it into text and SQL. */
char *tess_format_double (double v, int decimals);

/* The decimal point and thousands separator numbers are written with. */
typedef struct
{
  char decimal_point[8];
  char thousands_sep[8];
} TessNumberSymbols;

/* The current locale's symbols (LC_NUMERIC), "," for grouping where the
 * locale has none ("." where its decimal point is ","). */
void tess_format_locale_symbols (TessNumberSymbols *symbols);

/* The formats below take @symbols, NULL for the current locale's. NaN is ""
 * (each caller shows a missing value its own way), infinities "∞" and "−∞",
 * and a negative zero never shows as "-0". transfer full */

/* Grouped, with exactly @decimals (0..12) decimals: "1,234,567.50". */
char *tess_format_fixed (double v, int decimals, const TessNumberSymbols *symbols);
/* Grouped, with as few decimals as the value needs, at most six: the full
 * value a table cell or a tooltip shows ("7,601,676", "0.25"); beyond 1e15
 * or below 1e-4 six significant digits with an exponent ("1e-07"). */
char *tess_format_readable (double v, const TessNumberSymbols *symbols);
/* Short for a glance (a metric, a label): below 10,000 four significant
 * digits ("1,235", "0.1235"); above, one decimal of thousands, millions,
 * billions or trillions with the decimal dropped when zero ("12.3k",
 * "760.2M", "44M"). */
char *tess_format_compact (double v, const TessNumberSymbols *symbols);
/* An integer, grouped: "-1,234,567". */
char *tess_format_int64 (gint64 v, const TessNumberSymbols *symbols);
/* For machines: the shortest of %.15g, %.16g and %.17g that reads back as
 * @v ("4.325", never "4.325000000000001" unless that is the value), "."
 * always, no grouping; integers below 1e15 without a fraction; "" for NaN. */
char *tess_format_shortest (double v);

/* How finely a set of times is spaced, judged from their values. */
typedef enum
{
  TESS_TIME_GRAIN_MILLISECOND,
  TESS_TIME_GRAIN_SECOND,
  TESS_TIME_GRAIN_MINUTE,
  TESS_TIME_GRAIN_DAY,
  TESS_TIME_GRAIN_MONTH,
  TESS_TIME_GRAIN_YEAR,
} TessTimeGrain;

/* The coarsest grain all of @n times (microseconds since the epoch, UTC; NaN
 * skipped) fall on: all on the first of a month at midnight is
 * TESS_TIME_GRAIN_MONTH. A sample of at most 512 values spread over them
 * decides, so the cost is the same for any @n. */
TessTimeGrain tess_format_time_grain (const double *usec, gsize n);
/* A time at @grain: "2013" (year), "Jul 2013" (month, the locale's month
 * name), "2013-07-04" (day), "2013-07-04 12:30" (minute), with seconds, or
 * milliseconds. "" for NaN or a time out of range. */
char *tess_format_time_at_grain (double usec, TessTimeGrain grain);

G_END_DECLS
