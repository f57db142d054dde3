/* tess-csv-values-private.h: the value parsers of the CSV reader that its
 * parse loop inlines: null tokens, integers, doubles, ISO dates and the rest
 * of ISO timestamps. tess-csv-values.c has the public tess_parse_*()
 * functions over them and the slower paths (numbers in unusual forms, dates
 * written in words). Not public API.
 */
#pragma once

#include "tess-csv.h"
#include "tess-frame-private.h"

#include <math.h>
#include <string.h>

G_BEGIN_DECLS

/* A double the fast path does not read (exponents, long mantissas, inf and
 * nan): strtod in the C locale. */
gboolean tess_csv_parse_double_slow (const char *s, gsize len, double *value);

static inline __attribute__ ((always_inline)) gboolean
null_token_inline (const char *s, gsize len)
{
  switch (len)
    {
    case 0:
      return TRUE;
    case 2:
      return s[0] == 'N' && s[1] == 'A';
    case 3:
      return (s[0] == 'N' && ((s[1] == 'a' && s[2] == 'N') || (s[1] == '/' && s[2] == 'A'))) ||
             (s[0] == 'n' && s[1] == 'a' && s[2] == 'n');
    case 4:
      return memcmp (s, "null", 4) == 0 || memcmp (s, "NULL", 4) == 0;
    default:
      return FALSE;
    }
}

static inline __attribute__ ((always_inline)) gboolean
parse_int64_inline (const char *s, gsize len, gint64 *value)
{
  const char *p = s, *e = s + len;
  gboolean neg = FALSE;
  guint64 v = 0;

  if (p < e && (*p == '-' || *p == '+'))
    neg = *p++ == '-';
  if (p == e || e - p > 19)
    return FALSE;
  /* "007" is an identifier (a zip code, an account), not the number 7 */
  if (*p == '0' && e - p > 1)
    return FALSE;
  for (; p < e; p++)
    {
      unsigned d = (unsigned char) *p - '0';
      if (d > 9)
        return FALSE;
      v = v * 10 + d;
    }
  if (v > (guint64) G_MAXINT64 + neg)
    return FALSE;
  *value = neg ? (gint64) (0 - v) : (gint64) v;
  return TRUE;
}

static const double pow10_table[] = {
  1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static inline __attribute__ ((always_inline)) gboolean
parse_double_inline (const char *s, gsize len, double *value)
{
  const char *p = s, *e = s + len;
  const char *start, *frac;
  gboolean neg = FALSE;
  guint64 mant = 0;
  int digits, exp10 = 0;

  if (p < e && (*p == '-' || *p == '+'))
    neg = *p++ == '-';
  start = p;
  while (p < e && (unsigned) (*p - '0') <= 9)
    mant = mant * 10 + (unsigned) (*p++ - '0');
  if (p - start > 1 && *start == '0')
    return FALSE;
  digits = p - start;
  if (p < e && *p == '.')
    {
      frac = ++p;
      while (p < e && (unsigned) (*p - '0') <= 9)
        mant = mant * 10 + (unsigned) (*p++ - '0');
      exp10 = -(int) (p - frac);
      digits += p - frac;
    }
  if (digits == 0)
    return tess_csv_parse_double_slow (s, len, value);
  if (p < e && (*p == 'e' || *p == 'E'))
    {
      gboolean eneg = FALSE;
      int ev = 0;
      const char *estart;
      p++;
      if (p < e && (*p == '-' || *p == '+'))
        eneg = *p++ == '-';
      estart = p;
      while (p < e && (unsigned) (*p - '0') <= 9)
        {
          if (ev < 100000)
            ev = ev * 10 + (*p - '0');
          p++;
        }
      if (p == estart)
        return FALSE;
      exp10 += eneg ? -ev : ev;
    }
  if (p != e)
    return FALSE;
  if G_LIKELY (digits <= 15 && exp10 >= -22 && exp10 <= 22)
    {
      /* Exact: both operands are exact doubles and one rounding follows. */
      double d = (double) mant;
      d = exp10 < 0 ? d / pow10_table[-exp10] : d * pow10_table[exp10];
      *value = neg ? -d : d;
      return TRUE;
    }
  return tess_csv_parse_double_slow (s, len, value);
}

static inline int
digits2 (const char *p)
{
  unsigned a = (unsigned char) p[0] - '0', b = (unsigned char) p[1] - '0';
  return a <= 9 && b <= 9 ? (int) (a * 10 + b) : -1;
}

static inline int
digits4 (const char *p)
{
  int a = digits2 (p), b = digits2 (p + 2);
  return a >= 0 && b >= 0 ? a * 100 + b : -1;
}

static inline gboolean
valid_ymd (int y, int m, int d)
{
  static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
    return FALSE;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return FALSE;
  return TRUE;
}

/* The rest of an ISO 8601 timestamp of at least 16 bytes whose first ten
 * are the date @days. */
static inline __attribute__ ((always_inline)) gboolean
timestamp_after_date (const char *s, gsize len, gint32 days, gint64 *usec)
{
  int hh, mi, ss = 0;
  gint64 frac = 0;
  gint64 offset = 0;
  const char *p, *e = s + len;

  if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':')
    return FALSE;
  hh = digits2 (s + 11);
  mi = digits2 (s + 14);
  if (hh < 0 || hh > 23 || mi < 0 || mi > 59)
    return FALSE;
  p = s + 16;
  if (p < e && *p == ':')
    {
      if (e - p < 3 || (ss = digits2 (p + 1)) < 0 || ss > 60)
        return FALSE;
      p += 3;
      if (p < e && (*p == '.' || *p == ','))
        {
          gint64 scale = 100000;
          p++;
          if (p == e || (unsigned) (*p - '0') > 9)
            return FALSE;
          for (; p < e && (unsigned) (*p - '0') <= 9; p++)
            {
              frac += (*p - '0') * scale;
              scale /= 10;
            }
        }
    }
  if (p < e && *p == ' ')
    p++;
  if (p < e && (*p == 'Z' || *p == 'z'))
    p++;
  else if (p < e && (*p == '+' || *p == '-'))
    {
      int sign = *p == '-' ? -1 : 1, oh, om = 0;
      p++;
      if (e - p < 2 || (oh = digits2 (p)) < 0 || oh > 23)
        return FALSE;
      p += 2;
      if (p < e && *p == ':')
        p++;
      if (e - p >= 2)
        {
          if ((om = digits2 (p)) < 0 || om > 59)
            return FALSE;
          p += 2;
        }
      offset = sign * (oh * 3600 + om * 60);
    }
  if (p != e)
    return FALSE;
  *usec = (((gint64) days * 86400 + hh * 3600 + mi * 60 + ss - offset) * G_USEC_PER_SEC) + frac;
  return TRUE;
}

G_END_DECLS
