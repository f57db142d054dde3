/* tess-ticks.h: axis ticks a person can read, for numbers and for time.
 *
 * Numbers step by 1, 2 or 5 times a power of ten and are labelled with as few
 * decimals as the step needs ("0.25" never appears on a 0.1 step; large values
 * use k, M, G, T). Times step by calendar units from milliseconds to centuries
 * (1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 3, 6, 12 h; 1, 2, 7 days;
 * 1, 3, 6 months; 1, 2, 5, 10... years), the unit chosen by the range, ticks
 * fall on unit boundaries (midnight, the first of a month, a year), and labels
 * show what changes at that unit. Times are in UTC.
 *
 * Pure computation, no display needed: any thread may call these functions.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double value;
  char *label;
} TessTick;

/* Frees a tick's label (an array clear func). */
void tess_ticks_clear_tick (TessTick *tick);

/* At most @max_ticks (>= 2) ticks inside [@lo, @hi]; a GArray of TessTick
 * that frees the labels with itself. An empty range gets one tick, and so
 * does any finite range: never none. */
GArray *tess_ticks_numeric (double lo, double hi, guint max_ticks);

/* The same for a time axis: @lo and @hi in microseconds since the Unix epoch. */
GArray *tess_ticks_time (double lo_us, double hi_us, guint max_ticks);

/* The nice step (1, 2 or 5 times a power of ten) for at most @max_ticks ticks
 * over @span. */
double tess_ticks_nice_step (double span, guint max_ticks);

/* Formats @value for an axis or a tooltip whose resolution is @step (0 for a
 * free format). */
char *tess_format_number (double value, double step);

/* Formats a time for a tooltip, with the precision @step_us asks for. */
char *tess_format_time (double usec, double step_us);

G_END_DECLS
