/* tess-csv-values.c: reading one value of a CSV field: the public
 * tess_parse_*() functions and the slow paths behind the inlined parsers of
 * tess-csv-values-private.h.
 */
#include "tess-csv-values-private.h"

#include <errno.h>
#include <stdlib.h>

gboolean
tess_is_null_token (const char *s, gsize len)
{
  g_return_val_if_fail (s != NULL || len == 0, FALSE);

  return null_token_inline (s, len);
}

gboolean
tess_parse_int64 (const char *s, gsize len, gint64 *value)
{
  g_return_val_if_fail (s != NULL || len == 0, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  return parse_int64_inline (s, len, value);
}

gboolean
tess_csv_parse_double_slow (const char *s, gsize len, double *value)
{
  char buf[128];
  char *end;
  const char *p = s, *e = s + len;

  if (p < e && (*p == '-' || *p == '+'))
    p++;
  if ((e - p == 3 && g_ascii_strncasecmp (p, "inf", 3) == 0) ||
      (e - p == 8 && g_ascii_strncasecmp (p, "infinity", 8) == 0))
    {
      *value = *s == '-' ? -INFINITY : INFINITY;
      return TRUE;
    }
  /* only plain decimal notation: no hex, no nan, no leading zeros */
  if (len == 0 || len >= sizeof buf)
    return FALSE;
  if (p < e && *p == '0' && p + 1 < e && g_ascii_isdigit (p[1]))
    return FALSE;
  for (const char *c = p; c < e; c++)
    if (!g_ascii_isdigit (*c) && *c != '.' && *c != 'e' && *c != 'E' && *c != '-' && *c != '+')
      return FALSE;
  memcpy (buf, s, len);
  buf[len] = '\0';
  *value = g_ascii_strtod (buf, &end);
  return end == buf + len && end != buf && (g_ascii_isdigit (end[-1]) || end[-1] == '.');
}

gboolean
tess_parse_double (const char *s, gsize len, double *value)
{
  g_return_val_if_fail (s != NULL || len == 0, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  return parse_double_inline (s, len, value);
}

static int
month_from_name (const char *s, gsize len)
{
  static const char *const names[] = { "january", "february", "march",     "april",   "may",      "june",
                                       "july",    "august",   "september", "october", "november", "december" };
  if (len < 3)
    return 0;
  for (int i = 0; i < 12; i++)
    if (g_ascii_strncasecmp (s, names[i], 3) == 0 &&
        (len == 3 || (len == strlen (names[i]) && g_ascii_strncasecmp (s, names[i], len) == 0) ||
         (len == 4 && i == 8 && g_ascii_strncasecmp (s, "sept", 4) == 0)))
      return i + 1;
  return 0;
}

/* "Jan 1 2000", "January 1, 2000", "1 Jan 2000", "01-Jan-2000" */
static gboolean
parse_date_words (const char *s, gsize len, gint32 *days)
{
  const char *tok[3];
  gsize tlen[3];
  int n = 0;
  const char *p = s, *e = s + len;
  int y = -1, m = 0, d = -1;

  while (p < e && n < 3)
    {
      while (p < e && (*p == ' ' || *p == ',' || *p == '-'))
        p++;
      if (p == e)
        break;
      tok[n] = p;
      while (p < e && *p != ' ' && *p != ',' && *p != '-')
        p++;
      tlen[n] = p - tok[n];
      n++;
    }
  while (p < e && *p == ' ')
    p++;
  if (n != 3 || p != e)
    return FALSE;
  for (int i = 0; i < 3; i++)
    {
      gint64 v;
      if (g_ascii_isalpha (tok[i][0]))
        {
          if (m || !(m = month_from_name (tok[i], tlen[i])))
            return FALSE;
        }
      else if (tlen[i] <= 2 && (tok[i][0] != '0' || tlen[i] == 2) &&
               tess_parse_int64 (tok[i] + (tok[i][0] == '0'), tlen[i] - (tok[i][0] == '0'), &v))
        {
          if (d >= 0)
            return FALSE;
          d = (int) v;
        }
      else if (tlen[i] == 4 && digits4 (tok[i]) >= 0)
        {
          if (y >= 0 || i == 1)
            return FALSE;
          y = digits4 (tok[i]);
        }
      else
        return FALSE;
    }
  if (y < 0 || d < 0 || !m || !valid_ymd (y, m, d))
    return FALSE;
  *days = tess_days_from_civil (y, m, d);
  return TRUE;
}

gboolean
tess_parse_date (const char *s, gsize len, gint32 *days)
{
  g_return_val_if_fail (s != NULL || len == 0, FALSE);
  g_return_val_if_fail (days != NULL, FALSE);

  if (len == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4])
    {
      int y = digits4 (s), m = digits2 (s + 5), d = digits2 (s + 8);
      if (y < 0 || !valid_ymd (y, m, d))
        return FALSE;
      *days = tess_days_from_civil (y, m, d);
      return TRUE;
    }
  if (len >= 8 && len <= 32 && g_ascii_isalnum (s[0]) &&
      (g_ascii_isalpha (s[0]) || g_ascii_isalpha (s[2]) || g_ascii_isalpha (s[3])))
    return parse_date_words (s, len, days);
  return FALSE;
}

gboolean
tess_parse_timestamp (const char *s, gsize len, gint64 *usec)
{
  gint32 days;

  g_return_val_if_fail (s != NULL || len == 0, FALSE);
  g_return_val_if_fail (usec != NULL, FALSE);

  if (len < 16 || !tess_parse_date (s, 10, &days))
    return FALSE;
  return timestamp_after_date (s, len, days, usec);
}

gboolean
tess_parse_bool (const char *s, gsize len, gboolean *value)
{
  g_return_val_if_fail (s != NULL || len == 0, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (len == 4 && g_ascii_strncasecmp (s, "true", 4) == 0)
    *value = TRUE;
  else if (len == 5 && g_ascii_strncasecmp (s, "false", 5) == 0)
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}
