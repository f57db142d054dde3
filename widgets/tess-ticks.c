/* tess-ticks.c: numeric and calendar ticks (see tess-ticks.h). */
#include "tess-ticks.h"
#include "tess-format-private.h"

#include <math.h>
#include <string.h>

#define USEC_PER_SEC 1000000.0
#define USEC_PER_DAY (86400.0 * USEC_PER_SEC)

void
tess_ticks_clear_tick (TessTick *tick)
{
  g_clear_pointer (&tick->label, g_free);
}

static GArray *
ticks_new (void)
{
  GArray *ticks = g_array_new (FALSE, TRUE, sizeof (TessTick));

  g_array_set_clear_func (ticks, (GDestroyNotify) tess_ticks_clear_tick);
  return ticks;
}

static void
ticks_add (GArray *ticks, double value, char *label)
{
  TessTick tick = { value, label };

  g_array_append_val (ticks, tick);
}

double
tess_ticks_nice_step (double span, guint max_ticks)
{
  double raw, mag, norm;

  if (!(span > 0) || !isfinite (span))
    return 1;
  max_ticks = MAX (max_ticks, 2);
  /* n ticks cover n - 1 steps */
  raw = span / (max_ticks - 1);
  mag = pow (10, floor (log10 (raw)));
  norm = raw / mag;
  if (norm <= 1.0000001)
    return mag;
  if (norm <= 2.0000001)
    return 2 * mag;
  if (norm <= 5.0000001)
    return 5 * mag;
  return 10 * mag;
}

/* @text (transfer full), written with "." by printf, with the locale's
 * decimal point, as tables and tooltips write numbers (tess-format.c). Axis
 * labels are not grouped: below 10,000 they read as years and codes do, and
 * above it they are compact ("12k"). transfer full */
static char *
with_decimal_point (char *text)
{
  TessNumberSymbols symbols;
  char *point = strchr (text, '.');
  char *localized;

  tess_format_locale_symbols (&symbols);
  if (point == NULL || g_str_equal (symbols.decimal_point, "."))
    return text;
  *point = '\0';
  localized = g_strconcat (text, symbols.decimal_point, point + 1, NULL);
  g_free (text);
  return localized;
}

char *
tess_format_number (double value, double step)
{
  static const char *const suffixes[] = { "", "k", "M", "G", "T" };
  double scaled_step;
  int decimals, group;

  if (isnan (value))
    return g_strdup ("");
  if (isinf (value))
    return g_strdup (value > 0 ? "∞" : "−∞");
  if (fabs (value) >= 1e15 || (value != 0 && fabs (value) < 1e-9))
    return with_decimal_point (g_strdup_printf ("%.3g", value));
  if (step <= 0)
    {
      /* free format: four significant digits, trailing zeros dropped */
      char *text, *end;

      group = fabs (value) >= 1e4 ? MIN ((int) floor (log10 (fabs (value)) / 3), 4) : 0;
      scaled_step = value != 0 ? pow (10, floor (log10 (fabs (value))) - 3) / pow (1000, group) : 1;
      decimals = scaled_step >= 1 ? 0 : CLAMP ((int) ceil (-log10 (scaled_step) - 1e-9), 0, 12);
      text = g_strdup_printf ("%.*f", decimals, value / pow (1000, group));
      if (decimals > 0)
        {
          end = text + strlen (text) - 1;
          while (*end == '0')
            *end-- = '\0';
          if (*end == '.')
            *end = '\0';
        }
      if (group > 0)
        {
          char *with_suffix = g_strconcat (text, suffixes[group], NULL);

          g_free (text);
          text = with_suffix;
        }
      return with_decimal_point (text);
    }
  if (fabs (value) < step * 1e-6)
    value = 0;

  /* one unit for the whole axis: the step decides it */
  group = step * 10 >= 1e4 ? MIN ((int) floor (log10 (step * 10) / 3), 4) : 0;
  scaled_step = step / pow (1000, group);
  decimals = scaled_step >= 1 ? 0 : (int) ceil (-log10 (scaled_step) - 1e-9);
  decimals = CLAMP (decimals, 0, 12);
  if (value == 0)
    return with_decimal_point (g_strdup_printf ("%.*f", decimals, 0.0));
  return with_decimal_point (g_strdup_printf ("%.*f%s", decimals, value / pow (1000, group), suffixes[group]));
}

static double
count_multiples (double lo, double hi, double step)
{
  return floor (hi / step + 1e-9) - ceil (lo / step - 1e-9) + 1;
}

/* The next nice step above or below @step (1, 2, 5 times a power of ten). */
static double
step_up (double step)
{
  double mag = pow (10, floor (log10 (step) + 1e-9));
  double norm = step / mag;

  return norm < 1.5 ? 2 * mag : norm < 3.5 ? 5 * mag : 10 * mag;
}

static double
step_down (double step)
{
  double mag = pow (10, floor (log10 (step) + 1e-9));
  double norm = step / mag;

  return norm < 1.5 ? 0.5 * mag : norm < 3.5 ? mag : 2 * mag;
}

GArray *
tess_ticks_numeric (double lo, double hi, guint max_ticks)
{
  GArray *ticks = ticks_new ();
  double step;
  gint64 i, n_first, n_last;

  if (!isfinite (lo) || !isfinite (hi))
    return ticks;
  if (hi < lo)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  if (hi == lo)
    {
      ticks_add (ticks, lo, tess_format_number (lo, 0));
      return ticks;
    }

  max_ticks = MAX (max_ticks, 2);
  /* the smallest nice step that gives at most max_ticks ticks */
  step = tess_ticks_nice_step (hi - lo, max_ticks);
  while (count_multiples (lo, hi, step) > max_ticks)
    step = step_up (step);
  while (count_multiples (lo, hi, step_down (step)) <= max_ticks)
    step = step_down (step);
  n_first = (gint64) ceil (lo / step - 1e-9);
  n_last = (gint64) floor (hi / step + 1e-9);
  for (i = n_first; i <= n_last; i++)
    {
      double v = i * step;

      if (i == 0)
        v = 0;
      ticks_add (ticks, v, tess_format_number (v, step));
    }
  return ticks;
}

/* Time units */

typedef enum
{
  UNIT_MS,
  UNIT_SECOND,
  UNIT_MINUTE,
  UNIT_HOUR,
  UNIT_DAY,
  UNIT_WEEK,
  UNIT_MONTH,
  UNIT_YEAR,
} Unit;

typedef struct
{
  Unit unit;
  int count;
  double approx_us; /* the length of one step, approximately for months and years */
} Step;

static const Step steps[] = {
  { UNIT_MS, 1, 1e3 },
  { UNIT_MS, 2, 2e3 },
  { UNIT_MS, 5, 5e3 },
  { UNIT_MS, 10, 1e4 },
  { UNIT_MS, 20, 2e4 },
  { UNIT_MS, 50, 5e4 },
  { UNIT_MS, 100, 1e5 },
  { UNIT_MS, 200, 2e5 },
  { UNIT_MS, 500, 5e5 },
  { UNIT_SECOND, 1, 1e6 },
  { UNIT_SECOND, 2, 2e6 },
  { UNIT_SECOND, 5, 5e6 },
  { UNIT_SECOND, 10, 10e6 },
  { UNIT_SECOND, 15, 15e6 },
  { UNIT_SECOND, 30, 30e6 },
  { UNIT_MINUTE, 1, 60e6 },
  { UNIT_MINUTE, 2, 120e6 },
  { UNIT_MINUTE, 5, 300e6 },
  { UNIT_MINUTE, 10, 600e6 },
  { UNIT_MINUTE, 15, 900e6 },
  { UNIT_MINUTE, 30, 1800e6 },
  { UNIT_HOUR, 1, 3600e6 },
  { UNIT_HOUR, 3, 3 * 3600e6 },
  { UNIT_HOUR, 6, 6 * 3600e6 },
  { UNIT_HOUR, 12, 12 * 3600e6 },
  { UNIT_DAY, 1, USEC_PER_DAY },
  { UNIT_DAY, 2, 2 * USEC_PER_DAY },
  { UNIT_WEEK, 1, 7 * USEC_PER_DAY },
  { UNIT_MONTH, 1, 30.44 * USEC_PER_DAY },
  { UNIT_MONTH, 3, 91.3 * USEC_PER_DAY },
  { UNIT_MONTH, 6, 182.6 * USEC_PER_DAY },
  { UNIT_YEAR, 1, 365.25 * USEC_PER_DAY },
};

static double
fixed_length_us (Unit unit)
{
  switch (unit)
    {
    case UNIT_MS:
      return 1e3;
    case UNIT_SECOND:
      return 1e6;
    case UNIT_MINUTE:
      return 60e6;
    case UNIT_HOUR:
      return 3600e6;
    case UNIT_DAY:
      return USEC_PER_DAY;
    case UNIT_WEEK:
      return 7 * USEC_PER_DAY;
    default:
      return 0;
    }
}

static GDateTime *
date_time_from_us (double usec)
{
  gint64 us = (gint64) floor (usec);
  GDateTime *utc = g_date_time_new_from_unix_utc (0);
  GDateTime *dt = g_date_time_add (utc, us);

  g_date_time_unref (utc);
  return dt;
}

static double
us_from_date_time (GDateTime *dt)
{
  return (double) g_date_time_to_unix (dt) * USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static char *
label_time (double usec, const Step *step)
{
  g_autoptr (GDateTime) dt = date_time_from_us (usec);
  gboolean midnight;

  if (dt == NULL)
    return g_strdup ("");
  midnight = g_date_time_get_hour (dt) == 0 && g_date_time_get_minute (dt) == 0 && g_date_time_get_second (dt) == 0 &&
             g_date_time_get_microsecond (dt) == 0;

  switch (step->unit)
    {
    case UNIT_MS:
      {
        g_autofree char *hms = g_date_time_format (dt, "%H:%M:%S");

        return g_strdup_printf ("%s.%03d", hms, g_date_time_get_microsecond (dt) / 1000);
      }
    case UNIT_SECOND:
      return g_date_time_format (dt, midnight ? "%b %-d" : "%H:%M:%S");
    case UNIT_MINUTE:
    case UNIT_HOUR:
      return g_date_time_format (dt, midnight ? "%b %-d" : "%H:%M");
    case UNIT_DAY:
    case UNIT_WEEK:
      if (g_date_time_get_day_of_year (dt) == 1)
        return g_date_time_format (dt, "%Y");
      return g_date_time_format (dt, "%b %-d");
    case UNIT_MONTH:
      if (g_date_time_get_month (dt) == 1)
        return g_date_time_format (dt, "%Y");
      return g_date_time_format (dt, "%b");
    case UNIT_YEAR:
    default:
      return g_date_time_format (dt, "%Y");
    }
}

char *
tess_format_time (double usec, double step_us)
{
  g_autoptr (GDateTime) dt = date_time_from_us (usec);

  if (dt == NULL || isnan (usec))
    return g_strdup ("");
  if (step_us < 1e6)
    {
      g_autofree char *base = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");

      return g_strdup_printf ("%s.%03d", base, g_date_time_get_microsecond (dt) / 1000);
    }
  if (step_us < 60e6)
    return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
  if (step_us < USEC_PER_DAY)
    return g_date_time_format (dt, "%Y-%m-%d %H:%M");
  return g_date_time_format (dt, "%Y-%m-%d");
}

/* The ticks of one step over [lo_us, hi_us]. */
static GArray *
ticks_for_step (double lo_us, double hi_us, const Step *step)
{
  GArray *ticks = ticks_new ();

  if (step->unit <= UNIT_WEEK)
    {
      double len = fixed_length_us (step->unit) * step->count;
      /* weeks start on Monday; 1970-01-01 was a Thursday */
      double offset = step->unit == UNIT_WEEK ? 4 * USEC_PER_DAY : 0;
      double k = ceil ((lo_us - offset) / len);

      for (;; k++)
        {
          double v = k * len + offset;

          if (v > hi_us)
            break;
          ticks_add (ticks, v, label_time (v, step));
        }
      return ticks;
    }

  /* months and years: walk the calendar */
  {
    g_autoptr (GDateTime) lo = date_time_from_us (lo_us);
    int year, month;

    if (lo == NULL)
      return ticks;
    year = g_date_time_get_year (lo);
    month = step->unit == UNIT_YEAR ? 1 : g_date_time_get_month (lo);
    /* align to multiples of the step: months within the year, years in the era */
    if (step->unit == UNIT_MONTH)
      month = ((month - 1) / step->count) * step->count + 1;
    else
      year = year / step->count * step->count;
    for (;;)
      {
        g_autoptr (GDateTime) dt = g_date_time_new_utc (year, month, 1, 0, 0, 0);
        double v;

        if (dt == NULL)
          break;
        v = us_from_date_time (dt);
        if (v > hi_us)
          break;
        if (v >= lo_us)
          ticks_add (ticks, v, label_time (v, step));
        if (step->unit == UNIT_YEAR)
          year += step->count;
        else
          {
            month += step->count;
            while (month > 12)
              {
                month -= 12;
                year++;
              }
          }
      }
  }
  return ticks;
}

GArray *
tess_ticks_time (double lo_us, double hi_us, guint max_ticks)
{
  g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Step));
  GArray *ticks;
  double span;
  guint i, chosen;

  if (!isfinite (lo_us) || !isfinite (hi_us))
    return ticks_new ();
  if (hi_us < lo_us)
    {
      double t = lo_us;
      lo_us = hi_us;
      hi_us = t;
    }
  span = hi_us - lo_us;
  max_ticks = MAX (max_ticks, 2);
  if (span == 0)
    {
      ticks = ticks_new ();
      ticks_add (ticks, lo_us, tess_format_time (lo_us, 1e6));
      return ticks;
    }

  /* every step, finest first: the table, then nice numbers of years */
  g_array_append_vals (candidates, steps, G_N_ELEMENTS (steps));
  for (double years = 2; years <= 1e5; years = step_up (years))
    {
      Step step = { UNIT_YEAR, (int) years, years * 365.25 * USEC_PER_DAY };

      g_array_append_val (candidates, step);
    }

  /* the finest step that cannot give too many ticks... */
  for (chosen = 0; chosen + 1 < candidates->len; chosen++)
    if (span / g_array_index (candidates, Step, chosen).approx_us <= max_ticks - 1)
      break;
  ticks = ticks_for_step (lo_us, hi_us, &g_array_index (candidates, Step, chosen));
  /* ...unless calendar alignment left fewer than two, and a finer one fits */
  for (i = chosen; ticks->len < 2 && i > 0; i--)
    {
      GArray *finer = ticks_for_step (lo_us, hi_us, &g_array_index (candidates, Step, i - 1));

      if (finer->len > max_ticks)
        {
          g_array_unref (finer);
          break;
        }
      g_array_unref (ticks);
      ticks = finer;
    }
  return ticks;
}
