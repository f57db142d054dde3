/* ticks.c: axis ticks for numbers and times over many ranges. Needs no display. */
#include <locale.h>
#include <math.h>

#include "tess-ticks.h"

static gboolean
is_nice (double step)
{
  double mag = pow (10, floor (log10 (step) + 1e-9));
  double norm = step / mag;

  return fabs (norm - 1) < 1e-6 || fabs (norm - 2) < 1e-6 || fabs (norm - 5) < 1e-6 || fabs (norm - 10) < 1e-6;
}

static void
check_common (GArray *ticks, double lo, double hi, guint max_ticks, gboolean all_unique)
{
  g_autoptr (GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (ticks->len, <=, max_ticks);
  for (guint i = 0; i < ticks->len; i++)
    {
      TessTick *t = &g_array_index (ticks, TessTick, i);
      double eps = (hi - lo) * 1e-9;

      g_assert_cmpfloat (t->value, >=, lo - eps);
      g_assert_cmpfloat (t->value, <=, hi + eps);
      if (i > 0)
        g_assert_cmpfloat (t->value, >, g_array_index (ticks, TessTick, i - 1).value);
      g_assert_nonnull (t->label);
      g_assert_cmpstr (t->label, !=, "");
      /* a reader can tell ticks apart: all of them for numbers; for times of
       * day, neighbours (12:00 repeats on each day, with the date between) */
      if (i > 0 && g_str_equal (t->label, g_array_index (ticks, TessTick, i - 1).label))
        g_error ("label %s repeats on [%.17g, %.17g] max %u", t->label, lo, hi, max_ticks);
      if (all_unique && g_hash_table_contains (labels, t->label))
        g_error ("label %s repeats on [%.17g, %.17g] max %u", t->label, lo, hi, max_ticks);
      g_hash_table_add (labels, t->label);
    }
}

static void
test_numeric_ranges (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);

  for (guint r = 0; r < 5000; r++)
    {
      double mag = pow (10, g_rand_double_range (rand, -6, 13));
      double lo = g_rand_double_range (rand, -1, 1) * mag * g_rand_double_range (rand, 0, 20);
      double hi = lo + mag * g_rand_double_range (rand, 0.01, 1);
      guint max_ticks = g_rand_int_range (rand, 2, 15);
      g_autoptr (GArray) ticks = tess_ticks_numeric (lo, hi, max_ticks);

      check_common (ticks, lo, hi, max_ticks, TRUE);
      /* enough ticks to read the axis by */
      g_assert_cmpuint (ticks->len, >=, max_ticks >= 5 ? 2 : 1);
      if (ticks->len >= 2)
        {
          double step = g_array_index (ticks, TessTick, 1).value - g_array_index (ticks, TessTick, 0).value;

          g_assert_true (is_nice (step));
          for (guint i = 0; i < ticks->len; i++)
            {
              double v = g_array_index (ticks, TessTick, i).value;
              /* on a multiple of the step */
              g_assert_cmpfloat (fabs (v / step - round (v / step)), <, 1e-6);
            }
        }
    }
}

static void
test_numeric_labels (void)
{
  struct
  {
    double lo, hi;
    guint max;
    const char *labels;
  } cases[] = {
    { 0, 10, 6, "0 2 4 6 8 10" },
    { 0, 1, 6, "0.0 0.2 0.4 0.6 0.8 1.0" },
    { -1, 1, 5, "-1.0 -0.5 0.0 0.5 1.0" },
    { 0, 100000, 6, "0 20k 40k 60k 80k 100k" },
    { 0, 2.5e6, 6, "0.0 0.5M 1.0M 1.5M 2.0M 2.5M" },
    { 0.001, 0.005, 5, "0.001 0.002 0.003 0.004 0.005" },
    { 1990, 2020, 4, "1990 2000 2010 2020" },
    { 7, 7, 5, "7" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GArray) ticks = tess_ticks_numeric (cases[i].lo, cases[i].hi, cases[i].max);
      g_autoptr (GString) s = g_string_new (NULL);

      for (guint k = 0; k < ticks->len; k++)
        g_string_append_printf (s, "%s%s", k ? " " : "", g_array_index (ticks, TessTick, k).label);
      g_assert_cmpstr (s->str, ==, cases[i].labels);
    }
}

static gint64
us_of (int y, int mo, int d, int h, int mi, double s)
{
  g_autoptr (GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, s);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static void
test_time_ranges (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  /* from a tenth of a second to two centuries */
  double start = us_of (1900, 1, 1, 0, 0, 0);
  double end = us_of (2090, 1, 1, 0, 0, 0);

  for (guint r = 0; r < 3000; r++)
    {
      double span = pow (10, g_rand_double_range (rand, 5, 15.8));
      double lo = g_rand_double_range (rand, start, end);
      double hi = lo + span;
      guint max_ticks = g_rand_int_range (rand, 3, 12);
      g_autoptr (GArray) ticks = tess_ticks_time (lo, hi, max_ticks);

      /* labels are unique for day steps within a year and for year steps;
       * times of day and months repeat, with the day or year between */
      check_common (ticks, lo, hi, max_ticks,
                    (span > max_ticks * 86400e6 && span < 300 * 86400e6) || span > (max_ticks + 1) * 366 * 86400e6);
      g_assert_cmpuint (ticks->len, >=, 1);
      for (guint i = 0; i < ticks->len; i++)
        {
          double v = g_array_index (ticks, TessTick, i).value;
          g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) floor (v / 1e6));

          /* ticks of a day or more fall on midnight, of a month or more on the 1st */
          if (span > 40 * 86400e6)
            {
              g_assert_cmpint (g_date_time_get_hour (dt), ==, 0);
              g_assert_cmpint (g_date_time_get_minute (dt), ==, 0);
            }
          if (span > 600 * 86400e6)
            g_assert_cmpint (g_date_time_get_day_of_month (dt), ==, 1);
          if (span > 30 * 365 * 86400e6)
            g_assert_cmpint (g_date_time_get_month (dt), ==, 1);
          /* within the hour: whole seconds or milliseconds */
          if (span > 60e6)
            g_assert_cmpfloat (fmod (v, 1e6), ==, 0);
        }
    }
}

static void
test_time_labels (void)
{
  struct
  {
    double lo, hi;
    guint max;
    const char *labels;
  } cases[] = {
    { us_of (2024, 3, 5, 10, 0, 0), us_of (2024, 3, 5, 10, 0, 50), 6,
      "10:00:00 10:00:10 10:00:20 10:00:30 10:00:40 10:00:50" },
    { us_of (2024, 3, 5, 22, 0, 0), us_of (2024, 3, 6, 4, 0, 0), 8, "22:00 23:00 Mar 6 01:00 02:00 03:00 04:00" },
    { us_of (2024, 3, 1, 0, 0, 0), us_of (2024, 3, 4, 12, 0, 0), 5, "Mar 1 Mar 2 Mar 3 Mar 4" },
    { us_of (2023, 11, 1, 0, 0, 0), us_of (2024, 4, 1, 0, 0, 0), 7, "Nov Dec 2024 Feb Mar Apr" },
    { us_of (2001, 6, 1, 0, 0, 0), us_of (2004, 6, 1, 0, 0, 0), 6, "2002 2003 2004" },
    { us_of (1950, 1, 1, 0, 0, 0), us_of (2020, 1, 1, 0, 0, 0), 8, "1950 1960 1970 1980 1990 2000 2010 2020" },
    { us_of (2024, 3, 5, 10, 0, 0), us_of (2024, 3, 5, 10, 0, 0.5), 6,
      "10:00:00.000 10:00:00.100 10:00:00.200 10:00:00.300 10:00:00.400 10:00:00.500" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GArray) ticks = tess_ticks_time (cases[i].lo, cases[i].hi, cases[i].max);
      g_autoptr (GString) s = g_string_new (NULL);

      for (guint k = 0; k < ticks->len; k++)
        g_string_append_printf (s, "%s%s", k ? " " : "", g_array_index (ticks, TessTick, k).label);
      g_assert_cmpstr (s->str, ==, cases[i].labels);
    }
}

static void
test_format (void)
{
  g_autofree char *a = tess_format_number (1234.5678, 0.01);
  g_autofree char *b = tess_format_number (NAN, 1);
  g_autofree char *c = tess_format_time (us_of (2024, 2, 29, 13, 45, 0), 86400e6);
  g_autofree char *d = tess_format_time (us_of (2024, 2, 29, 13, 45, 7), 1e6);

  g_assert_cmpstr (a, ==, "1234.57");
  g_assert_cmpstr (b, ==, "");
  g_assert_cmpstr (c, ==, "2024-02-29");
  g_assert_cmpstr (d, ==, "2024-02-29 13:45:07");
}

/* Axis labels write the decimal point as the locale does, as the table and
 * the tooltip beside them do; no grouping (a year stays "2013"). */
static void
test_format_decimal_comma (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));

  /* the dependency install generates de_DE.UTF-8 */
  g_assert_nonnull (setlocale (LC_NUMERIC, "de_DE.UTF-8"));
  {
    g_autofree char *a = tess_format_number (1234.5678, 0.01);
    g_autofree char *b = tess_format_number (2013, 1);
    g_autofree char *c = tess_format_number (2500000, 500000);
    g_autofree char *d = tess_format_number (0.125, 0);

    g_assert_cmpstr (a, ==, "1234,57");
    g_assert_cmpstr (b, ==, "2013");
    g_assert_cmpstr (c, ==, "2,5M");
    g_assert_cmpstr (d, ==, "0,125");
  }
  setlocale (LC_NUMERIC, saved);
}

static void
test_never_none (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (17);

  /* however the range falls between nice values, a short axis keeps a tick */
  for (int i = 0; i < 20000; i++)
    {
      double lo = g_rand_double_range (rand, -1000, 1000) * pow (10, g_rand_int_range (rand, -6, 7));
      double hi = lo + g_rand_double_range (rand, 1e-3, 1) * pow (10, g_rand_int_range (rand, -6, 7));
      guint max_ticks = g_rand_int_range (rand, 2, 6);
      g_autoptr (GArray) ticks = tess_ticks_numeric (lo, hi, max_ticks);

      if (ticks->len < 1 || ticks->len > max_ticks)
        g_error ("[%g, %g], at most %u: %u ticks", lo, hi, max_ticks, ticks->len);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Charts/ticks/numeric-ranges", test_numeric_ranges);
  g_test_add_func ("/Charts/ticks/numeric-labels", test_numeric_labels);
  g_test_add_func ("/Charts/ticks/time-ranges", test_time_ranges);
  g_test_add_func ("/Charts/ticks/time-labels", test_time_labels);
  g_test_add_func ("/Charts/ticks/format", test_format);
  g_test_add_func ("/Charts/ticks/format-decimal-comma", test_format_decimal_comma);
  g_test_add_func ("/Charts/ticks/never-none", test_never_none);
  return g_test_run ();
}
