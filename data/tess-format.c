/* tess-format.c: JSON strings and numbers as text (see tess-format-private.h). */
#include "tess-format-private.h"

#include <math.h>

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
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}
