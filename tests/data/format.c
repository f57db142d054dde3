/* format.c: the one rule numbers and times are written by, for people
 * (grouped digits in the locale's symbols, compact forms, dates at the data's
 * grain) and for machines (the shortest text that reads back the same). */
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tess-format-private.h"

static const TessNumberSymbols english = { ".", "," };
static const TessNumberSymbols german = { ",", "." };

static void
assert_text (char *text, const char *expected)
{
  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

static void
test_shortest (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);

  assert_text (tess_format_shortest (4.325), "4.325");
  assert_text (tess_format_shortest (0.1 + 0.2), "0.30000000000000004");
  assert_text (tess_format_shortest (1.0 / 3), "0.3333333333333333");
  assert_text (tess_format_shortest (3), "3");
  assert_text (tess_format_shortest (-1234567), "-1234567");
  assert_text (tess_format_shortest (1e21), "1e+21");
  assert_text (tess_format_shortest (NAN), "");
  /* whatever the value, the text reads back as it, "." whatever the locale */
  for (guint i = 0; i < 10000; i++)
    {
      double v = (g_rand_double (rand) - 0.5) * pow (10, g_rand_int_range (rand, -12, 20));
      g_autofree char *text = tess_format_shortest (v);

      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, v);
      g_assert_null (strchr (text, ','));
    }
}

static void
test_fixed_and_readable (void)
{
  assert_text (tess_format_fixed (1234567.5, 2, &english), "1,234,567.50");
  assert_text (tess_format_fixed (1234567.5, 2, &german), "1.234.567,50");
  assert_text (tess_format_fixed (-0.001, 2, &english), "0.00"); /* never "-0.00" */
  assert_text (tess_format_fixed (-12, 0, &english), "-12");
  assert_text (tess_format_fixed (NAN, 2, &english), "");
  assert_text (tess_format_readable (7601676, &english), "7,601,676");
  assert_text (tess_format_readable (7601676, &german), "7.601.676");
  assert_text (tess_format_readable (1234567.5, &english), "1,234,567.5");
  assert_text (tess_format_readable (-0.25, &german), "-0,25");
  assert_text (tess_format_readable (1e-7, &english), "1e-07");
  assert_text (tess_format_readable (1.5e-7, &german), "1,5e-07");
  assert_text (tess_format_readable (INFINITY, &english), "∞");
  assert_text (tess_format_readable (-INFINITY, &english), "−∞");
  assert_text (tess_format_readable (100, &english), "100");
}

static void
test_compact (void)
{
  assert_text (tess_format_compact (760167600, &english), "760.2M");
  assert_text (tess_format_compact (43987654.3, &english), "44M");
  assert_text (tess_format_compact (7601676, &english), "7.6M");
  assert_text (tess_format_compact (12345, &english), "12.3k");
  assert_text (tess_format_compact (-2500000, &english), "-2.5M");
  assert_text (tess_format_compact (999960, &english), "1M");
  assert_text (tess_format_compact (9999.7, &english), "10k");
  assert_text (tess_format_compact (2.5e12, &english), "2.5T");
  assert_text (tess_format_compact (1234.5678, &english), "1,235");
  assert_text (tess_format_compact (0.012345, &english), "0.01235");
  assert_text (tess_format_compact (0, &english), "0");
  assert_text (tess_format_compact (42, &english), "42");
  assert_text (tess_format_compact (760167600, &german), "760,2M");
  assert_text (tess_format_compact (1234.5678, &german), "1.235");
}

/* What documents substitute: no exponent for a large mean. */
static void
test_double (void)
{
  assert_text (tess_format_double (43987654.3, -1), "43987654");
  assert_text (tess_format_double (44000000, -1), "44000000");
  assert_text (tess_format_double (0.125, -1), "0.125");
  assert_text (tess_format_double (2.5, 2), "2.50");
  assert_text (tess_format_double (NAN, -1), "–");
}

/* The symbols follow LC_NUMERIC; a locale without grouping groups as
 * English does. */
static void
test_locales (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  TessNumberSymbols symbols;

  g_assert_nonnull (setlocale (LC_NUMERIC, "C"));
  tess_format_locale_symbols (&symbols);
  g_assert_cmpstr (symbols.decimal_point, ==, ".");
  g_assert_cmpstr (symbols.thousands_sep, ==, ",");
  assert_text (tess_format_readable (1234567.5, NULL), "1,234,567.5");
  assert_text (tess_format_compact (760167600, NULL), "760.2M");

  if (setlocale (LC_NUMERIC, "C.UTF-8") != NULL)
    {
      tess_format_locale_symbols (&symbols);
      g_assert_cmpstr (symbols.decimal_point, ==, ".");
      assert_text (tess_format_readable (1234567.5, NULL), "1,234,567.5");
    }
  if (setlocale (LC_NUMERIC, "en_US.UTF-8") != NULL)
    {
      assert_text (tess_format_readable (1234567.5, NULL), "1,234,567.5");
      assert_text (tess_format_shortest (4.325), "4.325");
    }
  else
    g_test_message ("en_US.UTF-8 is not installed: its symbols are checked as given");
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") != NULL)
    {
      tess_format_locale_symbols (&symbols);
      g_assert_cmpstr (symbols.decimal_point, ==, ",");
      g_assert_cmpstr (symbols.thousands_sep, ==, ".");
      assert_text (tess_format_readable (1234567.5, NULL), "1.234.567,5");
      assert_text (tess_format_compact (760167600, NULL), "760,2M");
      /* machines still read "." */
      assert_text (tess_format_shortest (4.325), "4.325");
      assert_text (tess_format_double (2.5, 2), "2.50");
    }
  else
    g_test_message ("de_DE.UTF-8 is not installed: its symbols are checked as given");
  setlocale (LC_NUMERIC, saved);
}

static double
usec_of (int year, int month, int day, int hour, int minute, double seconds)
{
  g_autoptr (GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, seconds);

  return (double) g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static void
test_time_grain (void)
{
  double monthly[24], daily[10], yearly[5], hourly[5], seconds[3], millis[3];

  for (int i = 0; i < 24; i++)
    monthly[i] = usec_of (2012 + (i + 6) / 12, (i + 6) % 12 + 1, 1, 0, 0, 0);
  for (int i = 0; i < 10; i++)
    daily[i] = usec_of (2013, 7, 1 + i, 0, 0, 0);
  for (int i = 0; i < 5; i++)
    yearly[i] = usec_of (2000 + i, 1, 1, 0, 0, 0);
  for (int i = 0; i < 5; i++)
    hourly[i] = usec_of (2013, 7, 4, i, 0, 0);
  for (int i = 0; i < 3; i++)
    seconds[i] = usec_of (2013, 7, 4, 12, 30, i);
  for (int i = 0; i < 3; i++)
    millis[i] = usec_of (2013, 7, 4, 12, 30, i + 0.25);

  g_assert_cmpint (tess_format_time_grain (monthly, 24), ==, TESS_TIME_GRAIN_MONTH);
  g_assert_cmpint (tess_format_time_grain (daily, 10), ==, TESS_TIME_GRAIN_DAY);
  g_assert_cmpint (tess_format_time_grain (yearly, 5), ==, TESS_TIME_GRAIN_YEAR);
  g_assert_cmpint (tess_format_time_grain (hourly, 5), ==, TESS_TIME_GRAIN_MINUTE);
  g_assert_cmpint (tess_format_time_grain (seconds, 3), ==, TESS_TIME_GRAIN_SECOND);
  g_assert_cmpint (tess_format_time_grain (millis, 3), ==, TESS_TIME_GRAIN_MILLISECOND);
  /* one daily value among months makes the whole series daily */
  monthly[23] = usec_of (2014, 5, 17, 0, 0, 0);
  g_assert_cmpint (tess_format_time_grain (monthly, 24), ==, TESS_TIME_GRAIN_DAY);
  /* before 1970 too */
  yearly[0] = usec_of (1931, 1, 1, 0, 0, 0);
  g_assert_cmpint (tess_format_time_grain (yearly, 5), ==, TESS_TIME_GRAIN_YEAR);

  {
    g_autofree char *saved = g_strdup (setlocale (LC_TIME, NULL));

    setlocale (LC_TIME, "C");
    assert_text (tess_format_time_at_grain (monthly[0], TESS_TIME_GRAIN_MONTH), "Jul 2012");
    assert_text (tess_format_time_at_grain (usec_of (2013, 7, 1, 0, 0, 0), TESS_TIME_GRAIN_MONTH), "Jul 2013");
    assert_text (tess_format_time_at_grain (yearly[1], TESS_TIME_GRAIN_YEAR), "2001");
    assert_text (tess_format_time_at_grain (daily[3], TESS_TIME_GRAIN_DAY), "2013-07-04");
    assert_text (tess_format_time_at_grain (hourly[2], TESS_TIME_GRAIN_MINUTE), "2013-07-04 02:00");
    assert_text (tess_format_time_at_grain (seconds[2], TESS_TIME_GRAIN_SECOND), "2013-07-04 12:30:02");
    assert_text (tess_format_time_at_grain (millis[0], TESS_TIME_GRAIN_MILLISECOND), "2013-07-04 12:30:00.250");
    assert_text (tess_format_time_at_grain (NAN, TESS_TIME_GRAIN_DAY), "");
    setlocale (LC_TIME, saved);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Data/format/shortest", test_shortest);
  g_test_add_func ("/Data/format/fixed-and-readable", test_fixed_and_readable);
  g_test_add_func ("/Data/format/compact", test_compact);
  g_test_add_func ("/Data/format/double", test_double);
  g_test_add_func ("/Data/format/locales", test_locales);
  g_test_add_func ("/Data/format/time-grain", test_time_grain);
  return g_test_run ();
}
