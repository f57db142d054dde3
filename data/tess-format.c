/* tess-format.c: JSON strings, numbers and times as text (see
 * tess-format-private.h). Every number is first written by g_ascii_formatd(),
 * whatever the locale, then given the locale's symbols in one place
 * (localize()), so no rule depends on what printf does with LC_NUMERIC. */
#include "tess-format-private.h"

#include <locale.h>
#include <math.h>
#include <string.h>

void
tess_format_append_json (GString *out, const char *text)
{
  g_return_if_fail (out != NULL && text != NULL);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

char *
tess_format_double (double v, int decimals)
{
  char buf[400]; /* the longest: -DBL_MAX with 17 decimals */
  char format[8];

  if (isnan (v))
    return g_strdup ("–");
  if (decimals >= 0)
    {
      g_snprintf (format, sizeof format, "%%.%df", MIN (decimals, 17));
      return g_strdup (g_ascii_formatd (buf, sizeof buf, format, v));
    }
  if (fabs (v) < 1e15 && v == floor (v))
    return g_strdup_printf ("%.0f", v);
  /* a mean of 43987654.3 is "43987654", not "4.39877e+07" */
  if (fabs (v) >= 1e5 && fabs (v) < 1e15)
    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.0f", v));
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

void
tess_format_locale_symbols (TessNumberSymbols *symbols)
{
  /* localeconv() is read, never changed, here; the app sets its locale once
   * at start-up, before any worker runs */
  const struct lconv *conv = localeconv ();
  const char *point = conv->decimal_point != NULL && conv->decimal_point[0] != '\0' ? conv->decimal_point : ".";
  const char *sep = conv->thousands_sep;

  g_return_if_fail (symbols != NULL);

  if (sep == NULL || sep[0] == '\0')
    sep = g_str_equal (point, ",") ? "." : ",";
  g_strlcpy (symbols->decimal_point, point, sizeof symbols->decimal_point);
  g_strlcpy (symbols->thousands_sep, sep, sizeof symbols->thousands_sep);
}

/* @ascii, as g_ascii_formatd() writes it ("-1234567.25", "1e-07"), with the
 * digits before the point grouped by three and @symbols' decimal point. A
 * negative zero ("-0.00") loses its sign. */
static char *
localize (const char *ascii, const TessNumberSymbols *symbols, gboolean group)
{
  TessNumberSymbols locale;
  GString *out = g_string_new (NULL);
  const char *p = ascii, *end;
  gsize digits;

  if (symbols == NULL)
    {
      tess_format_locale_symbols (&locale);
      symbols = &locale;
    }
  if (*p == '-')
    {
      /* "-0", "-0.000": nothing but zeros is no negative number */
      if (strspn (p + 1, "0.") != strlen (p + 1))
        g_string_append_c (out, '-');
      p++;
    }
  end = p;
  while (g_ascii_isdigit (*end))
    end++;
  digits = end - p;
  for (gsize i = 0; i < digits; i++)
    {
      if (group && i > 0 && (digits - i) % 3 == 0)
        g_string_append (out, symbols->thousands_sep);
      g_string_append_c (out, p[i]);
    }
  if (*end == '.')
    {
      g_string_append (out, symbols->decimal_point);
      end++;
    }
  g_string_append (out, end);
  return g_string_free (out, FALSE);
}

/* Drops the trailing zeros of a fraction, and the point when none is left. */
static void
trim_fraction (char *ascii)
{
  char *dot = strchr (ascii, '.');
  char *end;

  if (dot == NULL || strpbrk (ascii, "eE") != NULL)
    return;
  end = ascii + strlen (ascii) - 1;
  while (end > dot && *end == '0')
    *end-- = '\0';
  if (end == dot)
    *end = '\0';
}

/* NULL for a finite @v, else what it shows as. */
static char *
format_special (double v)
{
  if (isnan (v))
    return g_strdup ("");
  if (isinf (v))
    return g_strdup (v > 0 ? "∞" : "−∞");
  return NULL;
}

char *
tess_format_fixed (double v, int decimals, const TessNumberSymbols *symbols)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
  char format[8];
  char *special = format_special (v);

  if (special != NULL)
    return special;
  if (fabs (v) >= 1e15)
    return tess_format_readable (v, symbols);
  g_snprintf (format, sizeof format, "%%.%df", CLAMP (decimals, 0, 12));
  return localize (g_ascii_formatd (buf, sizeof buf, format, v), symbols, TRUE);
}

char *
tess_format_readable (double v, const TessNumberSymbols *symbols)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
  char *special = format_special (v);

  if (special != NULL)
    return special;
  if (fabs (v) >= 1e15 || (v != 0 && fabs (v) < 1e-4))
    return localize (g_ascii_formatd (buf, sizeof buf, "%.6g", v), symbols, FALSE);
  g_ascii_formatd (buf, sizeof buf, "%.6f", v);
  trim_fraction (buf);
  return localize (buf, symbols, TRUE);
}

char *
tess_format_compact (double v, const TessNumberSymbols *symbols)
{
  static const char *const suffixes[] = { "", "k", "M", "G", "T" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
  char *special = format_special (v);
  double a = fabs (v);
  int group;

  if (special != NULL)
    return special;
  if (a >= 1e15 || (a != 0 && a < 1e-4))
    return localize (g_ascii_formatd (buf, sizeof buf, "%.3g", v), symbols, FALSE);
  if (a < 1e4)
    {
      int decimals = a == 0 ? 0 : MAX (0, 3 - (int) floor (log10 (a)));

      char format[8];

      g_snprintf (format, sizeof format, "%%.%df", decimals);
      g_ascii_formatd (buf, sizeof buf, format, v);
      /* 9999.7 rounds to 10000: that is "10k" */
      if (fabs (g_ascii_strtod (buf, NULL)) < 1e4)
        {
          trim_fraction (buf);
          return localize (buf, symbols, TRUE);
        }
      a = 1e4;
    }
  group = MIN ((int) floor (log10 (a) / 3), 4);
  g_ascii_formatd (buf, sizeof buf, "%.1f", v / pow (1000, group));
  /* 999.96k rounds to "1000.0k": that is "1M" */
  if (fabs (g_ascii_strtod (buf, NULL)) >= 1000 && group < 4)
    {
      group++;
      g_ascii_formatd (buf, sizeof buf, "%.1f", v / pow (1000, group));
    }
  trim_fraction (buf);
  {
    g_autofree char *number = localize (buf, symbols, TRUE);

    return g_strconcat (number, suffixes[group], NULL);
  }
}

char *
tess_format_int64 (gint64 v, const TessNumberSymbols *symbols)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, v);
  return localize (buf, symbols, TRUE);
}

char *
tess_format_shortest (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return g_strdup ("");
  if (v == floor (v) && fabs (v) < 1e15)
    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.0f", v));
  for (int precision = 15; precision <= 17; precision++)
    {
      g_ascii_formatd (buf, sizeof buf, precision == 15 ? "%.15g" : precision == 16 ? "%.16g" : "%.17g", v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  return g_strdup (buf);
}

#define USEC_PER_SEC G_GINT64_CONSTANT (1000000)
#define USEC_PER_DAY (86400 * USEC_PER_SEC)
/* Beyond the years 0001..9999 GDateTime has no answer. */
#define MAX_USEC 2.5e17

static GDateTime *
date_time_from_usec (double usec)
{
  g_autoptr (GDateTime) seconds = NULL;
  gint64 whole;

  if (!isfinite (usec) || fabs (usec) > MAX_USEC)
    return NULL;
  whole = (gint64) floor (usec / USEC_PER_SEC);
  seconds = g_date_time_new_from_unix_utc (whole);
  if (seconds == NULL)
    return NULL;
  return g_date_time_add (seconds, (GTimeSpan) llround (usec - (double) whole * USEC_PER_SEC));
}

/* The coarsest grain one time falls on. */
static TessTimeGrain
grain_of (double usec)
{
  gint64 t = (gint64) llround (usec);
  gint64 days = t >= 0 ? t / USEC_PER_DAY : -((-t + USEC_PER_DAY - 1) / USEC_PER_DAY);
  gint64 rest = t - days * USEC_PER_DAY;
  g_autoptr (GDateTime) dt = NULL;

  if (rest % USEC_PER_SEC != 0)
    return TESS_TIME_GRAIN_MILLISECOND;
  if (rest % (60 * USEC_PER_SEC) != 0)
    return TESS_TIME_GRAIN_SECOND;
  if (rest != 0)
    return TESS_TIME_GRAIN_MINUTE;
  dt = g_date_time_new_from_unix_utc (days * 86400);
  if (dt == NULL || g_date_time_get_day_of_month (dt) != 1)
    return TESS_TIME_GRAIN_DAY;
  if (g_date_time_get_month (dt) != 1)
    return TESS_TIME_GRAIN_MONTH;
  return TESS_TIME_GRAIN_YEAR;
}

TessTimeGrain
tess_format_time_grain (const double *usec, gsize n)
{
  TessTimeGrain grain = TESS_TIME_GRAIN_YEAR;
  gboolean any = FALSE;
  gsize step;

  g_return_val_if_fail (usec != NULL || n == 0, TESS_TIME_GRAIN_DAY);

  step = MAX (n / 512, 1);
  for (gsize k = 0; k <= n / step && grain > TESS_TIME_GRAIN_MILLISECOND; k++)
    {
      /* the last value too, whatever the step */
      gsize i = MIN (k * step, n - 1);

      if (n == 0 || !isfinite (usec[i]) || fabs (usec[i]) > MAX_USEC)
        continue;
      grain = MIN (grain, grain_of (usec[i]));
      any = TRUE;
    }
  return any ? grain : TESS_TIME_GRAIN_DAY;
}

char *
tess_format_time_at_grain (double usec, TessTimeGrain grain)
{
  g_autoptr (GDateTime) dt = date_time_from_usec (usec);

  if (dt == NULL)
    return g_strdup ("");
  switch (grain)
    {
    case TESS_TIME_GRAIN_YEAR:
      return g_date_time_format (dt, "%Y");
    case TESS_TIME_GRAIN_MONTH:
      return g_date_time_format (dt, "%b %Y");
    case TESS_TIME_GRAIN_DAY:
      return g_date_time_format (dt, "%Y-%m-%d");
    case TESS_TIME_GRAIN_MINUTE:
      return g_date_time_format (dt, "%Y-%m-%d %H:%M");
    case TESS_TIME_GRAIN_SECOND:
      return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
    case TESS_TIME_GRAIN_MILLISECOND:
    default:
      {
        g_autofree char *base = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");

        return g_strdup_printf ("%s.%03d", base, g_date_time_get_microsecond (dt) / 1000);
      }
    }
}
