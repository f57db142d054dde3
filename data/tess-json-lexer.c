/* tess-json-lexer.c: the rare paths of the JSON lexer.
 *
 * Escapes in strings, numbers that are not short integers, errors, and
 * nested values rendered as JSON text. The common paths are inline in
 * tess-json-lexer-private.h.
 *
 * Nested values (an array in a record, an object in a column) become the
 * compact JSON text json-glib wrote for them when it read records: strings
 * escaped as it escapes them, integers in full, doubles with 17 significant
 * digits, and a key repeated in one object kept once, where it first
 * appeared, with its last value. Unlike json-glib, a double written with an
 * exponent gets no ".0" after it ("1e+20", not "1e+20.0"), so the text stays
 * JSON.
 */
#include "tess-json-lexer-private.h"

#include <stdarg.h>
#include <stdio.h>

void
tess_json_lexer_init (TessJsonLexer *lexer, const char *text, const char *end)
{
  memset (lexer, 0, sizeof *lexer);
  lexer->p = text;
  lexer->end = end;
  lexer->scratch = g_string_sized_new (256);
}

void
tess_json_lexer_clear (TessJsonLexer *lexer)
{
  if (lexer->scratch)
    g_string_free (lexer->scratch, TRUE);
  lexer->scratch = NULL;
}

gboolean
tess_json_lexer_fail (TessJsonLexer *lexer, const char *at, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_vsnprintf (lexer->error, sizeof lexer->error, format, args);
  va_end (args);
  lexer->error_at = at;
  return FALSE;
}

gboolean
tess_json_lexer_unexpected (TessJsonLexer *lexer, const char *at, const char *expected)
{
  const char *bad = at;
  guchar c;

  if (at >= lexer->end)
    return tess_json_lexer_fail (lexer, at, "expected %s, but the text ends", expected);
  c = *at;
  if (c == '\0' || (c >= 0x80 && !g_utf8_validate_len (at, MIN (lexer->end - at, 4), &bad) && bad == at))
    return tess_json_lexer_fail (lexer, at, "the text is not valid UTF-8");
  if (c >= 0x80)
    return tess_json_lexer_fail (lexer, at, "expected %s, not “%.*s”", expected, (int) g_utf8_skip[c], at);
  if (c < 0x20 || c == 0x7f)
    return tess_json_lexer_fail (lexer, at, "expected %s, not the control character U+%04X", expected, c);
  if (g_ascii_isalpha (c))
    {
      /* a word: NaN, Infinity, undefined, True... */
      const char *end = at;
      while (end < lexer->end && tess_json_is_word_byte (*end) && end - at < 24)
        end++;
      return tess_json_lexer_fail (lexer, at, "expected %s, not “%.*s”", expected, (int) (end - at), at);
    }
  return tess_json_lexer_fail (lexer, at, "expected %s, not “%c”", expected, c);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* At "\u": the code unit of its four hex digits, or -1. */
static int
read_hex4 (const char *p, const char *end)
{
  int value = 0;

  if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
    return -1;
  for (int i = 2; i < 6; i++)
    {
      int digit = hex_value (p[i]);
      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* At a backslash in a string that opened at @quote: appends what the escape
 * stands for to lexer->scratch and returns where the text goes on, or NULL.
 * *@nul_at gets the length of the text before the first \u0000. */
static const char *
decode_escape (TessJsonLexer *lexer, const char *quote, const char *p, gsize *nul_at)
{
  GString *out = lexer->scratch;
  int unit, low;
  gunichar ch;

  if (lexer->end - p < 2)
    return tess_json_lexer_fail (lexer, quote, "a string is never closed (a \" is missing)"), NULL;
  switch (p[1])
    {
    case '"':
    case '\\':
    case '/':
      g_string_append_c (out, p[1]);
      return p + 2;
    case 'b':
      g_string_append_c (out, '\b');
      return p + 2;
    case 'f':
      g_string_append_c (out, '\f');
      return p + 2;
    case 'n':
      g_string_append_c (out, '\n');
      return p + 2;
    case 'r':
      g_string_append_c (out, '\r');
      return p + 2;
    case 't':
      g_string_append_c (out, '\t');
      return p + 2;
    case 'u':
      break;
    default:
      if ((guchar) p[1] < 0x20 || (guchar) p[1] >= 0x7f)
        return tess_json_lexer_fail (lexer, p, "a backslash in a string must start an escape such as \\n or \\u00e9"),
               NULL;
      return tess_json_lexer_fail (lexer, p, "“\\%c” is not a JSON escape; a backslash itself is written “\\\\”", p[1]),
             NULL;
    }
  unit = read_hex4 (p, lexer->end);
  if (unit < 0)
    return tess_json_lexer_fail (lexer, p, "a \\u escape needs four hexadecimal digits"), NULL;
  p += 6;
  ch = unit;
  if (unit >= 0xD800 && unit <= 0xDBFF)
    {
      low = read_hex4 (p, lexer->end);
      if (low < 0xDC00 || low > 0xDFFF)
        return tess_json_lexer_fail (lexer, p - 6,
                                     "\\u%04x is the first half of a surrogate pair, but no second half follows", unit),
               NULL;
      ch = 0x10000 + ((gunichar) (unit - 0xD800) << 10) + (gunichar) (low - 0xDC00);
      p += 6;
    }
  else if (unit >= 0xDC00 && unit <= 0xDFFF)
    return tess_json_lexer_fail (lexer, p - 6, "\\u%04x is the second half of a surrogate pair, without a first half",
                                 unit),
           NULL;
  if (ch == 0)
    {
      if (*nul_at == G_MAXSIZE)
        *nul_at = out->len;
    }
  else
    g_string_append_unichar (out, ch);
  return p;
}

gboolean
tess_json_lexer_string_slow (TessJsonLexer *lexer, const char *start, const char *at, const char **text, gsize *length)
{
  const char *e = lexer->end, *copied = start;
  gboolean decoding = FALSE;
  gsize nul_at = G_MAXSIZE;

  for (;;)
    {
      guchar c;

      if (at >= e)
        return tess_json_lexer_fail (lexer, start - 1, "a string is never closed (a \" is missing)");
      c = *at;
      if (c == '"')
        break;
      if (c >= 0x80)
        {
          /* a run of non-ASCII bytes: valid exactly when the whole text would be */
          const char *run = at, *bad;
          while (at < e && (guchar) *at >= 0x80)
            at++;
          if (!g_utf8_validate_len (run, at - run, &bad))
            return tess_json_lexer_fail (lexer, bad, "the text is not valid UTF-8");
        }
      else if (c == '\0')
        return tess_json_lexer_fail (lexer, at, "the text is not valid UTF-8");
      else
        {
          if (!decoding)
            {
              g_string_truncate (lexer->scratch, 0);
              decoding = TRUE;
            }
          g_string_append_len (lexer->scratch, copied, at - copied);
          at = decode_escape (lexer, start - 1, at, &nul_at);
          if (at == NULL)
            return FALSE;
          copied = at;
        }
      at = tess_json_find_string_special (at, e);
    }
  lexer->p = at + 1;
  if (!decoding)
    {
      *text = start;
      *length = at - start;
      return TRUE;
    }
  g_string_append_len (lexer->scratch, copied, at - copied);
  *text = lexer->scratch->str;
  *length = MIN (lexer->scratch->len, nul_at);
  return TRUE;
}

const double tess_json_exact_powers_of_ten[23] = {
  1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

TessJsonNumber
tess_json_lexer_number_slow (TessJsonLexer *lexer, gint64 *integer, double *real)
{
  const char *start = lexer->p, *p = start, *e = lexer->end;
  gboolean negative = FALSE, is_integer = TRUE;
  guint64 mantissa = 0;
  int significant = 0, exponent = 0;
  const char *int_digits;

  /* The value is exact from the mantissa when it has at most 19 significant
   * digits; leading zeros of a fraction only move the exponent. */
  if (*p == '-')
    negative = TRUE, p++;
  int_digits = p;
  if (p < e && *p == '0')
    p++;
  else if (p < e && *p >= '1' && *p <= '9')
    for (; p < e && g_ascii_isdigit (*p); p++, significant++)
      if (significant < 19)
        mantissa = mantissa * 10 + (guint64) (*p - '0');
      else
        exponent++;
  else
    return tess_json_lexer_fail (lexer, start, "a number needs a digit after its “-”"), TESS_JSON_NUMBER_ERROR;
  if (p < e && *p == '.')
    {
      const char *fraction = ++p;
      is_integer = FALSE;
      for (; p < e && g_ascii_isdigit (*p); p++)
        if (significant < 19)
          {
            mantissa = mantissa * 10 + (guint64) (*p - '0');
            exponent--;
            significant += mantissa != 0;
          }
        else
          significant++;
      if (p == fraction)
        goto invalid;
    }
  if (p < e && (*p == 'e' || *p == 'E'))
    {
      gboolean exponent_negative = FALSE;
      int value = 0;
      const char *exponent_digits;
      is_integer = FALSE;
      p++;
      if (p < e && (*p == '+' || *p == '-'))
        exponent_negative = *p++ == '-';
      exponent_digits = p;
      while (p < e && g_ascii_isdigit (*p))
        {
          if (value < 100000)
            value = value * 10 + (*p - '0');
          p++;
        }
      if (p == exponent_digits)
        goto invalid;
      exponent += exponent_negative ? -value : value;
    }
  if (p < e && tess_json_is_word_byte (*p))
    goto invalid;
  lexer->p = p;
  if (is_integer && (p - int_digits < 19 || (p - int_digits == 19 && mantissa <= (guint64) G_MAXINT64 + negative)))
    {
      *integer = negative ? (gint64) (0 - mantissa) : (gint64) mantissa;
      return TESS_JSON_NUMBER_INT;
    }
  if (significant <= 19 && mantissa <= (G_GUINT64_CONSTANT (1) << 53) && exponent >= -22 && exponent <= 22)
    {
      /* exact: both operands are exact doubles and one rounding follows */
      double d = (double) mantissa;
      d = exponent < 0 ? d / tess_json_exact_powers_of_ten[-exponent] : d * tess_json_exact_powers_of_ten[exponent];
      *real = negative ? -d : d;
      return TESS_JSON_NUMBER_DOUBLE;
    }
  {
    /* an integer beyond int64 is the double it is, as the CSV reader reads it */
    g_autofree char *copy = g_strndup (start, p - start);
    *real = g_ascii_strtod (copy, NULL);
  }
  return TESS_JSON_NUMBER_DOUBLE;

invalid:
  while (p < e && tess_json_is_word_byte (*p) && p - start < 40)
    p++;
  return tess_json_lexer_fail (lexer, start, "“%.*s” is not a valid JSON number", (int) (p - start), start),
         TESS_JSON_NUMBER_ERROR;
}

/* Rendering nested values */

/* A string as json-glib's generator escapes it: quotes and backslashes,
 * control characters below 0x1f and DEL; 0x1f and all else as it is. */
static void
append_escaped (GString *out, const char *text, gsize length)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < length; i++)
    {
      guchar c = text[i];
      if (c == '\\' || c == '"')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if ((c > 0 && c < 0x1f) || c == 0x7f)
        switch (c)
          {
          case '\b':
            g_string_append (out, "\\b");
            break;
          case '\f':
            g_string_append (out, "\\f");
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
            g_string_append_printf (out, "\\u00%02x", c);
          }
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

typedef struct
{
  gsize key_start, key_end; /* the escaped key in the output, quotes included */
  gsize value_start, value_end;
} Member;

/* Keeps each key of the object rendered at @start in @out once, where it
 * first appears, with its last value, as json-glib does. */
static void
collapse_repeated_keys (GString *out, gsize start, GArray *members)
{
  Member *m = (Member *) members->data;
  g_autoptr (GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) text = g_string_new ("{");
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  gboolean first = TRUE;

  for (guint i = 0; i < members->len; i++)
    {
      char *key = g_strndup (out->str + m[i].key_start, m[i].key_end - m[i].key_start);
      g_ptr_array_add (keys, key);
      g_hash_table_insert (last, key, GUINT_TO_POINTER (i));
    }
  for (guint i = 0; i < members->len; i++)
    {
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (last, keys->pdata[i]));
      if (j < i)
        continue; /* written already */
      if (!first)
        g_string_append_c (text, ',');
      first = FALSE;
      g_string_append_len (text, out->str + m[i].key_start, m[i].key_end - m[i].key_start);
      g_string_append_c (text, ':');
      g_string_append_len (text, out->str + m[j].value_start, m[j].value_end - m[j].value_start);
      /* later copies of this key are skipped: mark them as written */
      g_hash_table_insert (last, keys->pdata[i], GUINT_TO_POINTER (0));
    }
  g_string_append_c (text, '}');
  g_string_truncate (out, start);
  g_string_append_len (out, text->str, text->len);
}

static gboolean
render_container (TessJsonLexer *lexer, int depth, GString *out)
{
  gboolean object = *lexer->p == '{';
  const char close = object ? '}' : ']';
  gsize start = out->len;
  g_autoptr (GArray) members = NULL;
  gboolean repeated = FALSE;

  if (depth + 1 > TESS_JSON_MAX_DEPTH)
    return tess_json_lexer_fail (lexer, lexer->p, "values are nested more than %d levels deep", TESS_JSON_MAX_DEPTH);
  if (object)
    members = g_array_new (FALSE, FALSE, sizeof (Member));
  g_string_append_c (out, *lexer->p);
  lexer->p = tess_json_skip_space (lexer->p + 1, lexer->end);
  if (lexer->p < lexer->end && *lexer->p == close)
    {
      lexer->p++;
      g_string_append_c (out, close);
      return TRUE;
    }
  for (;;)
    {
      if (object)
        {
          Member member;
          const char *key;
          gsize length;

          if (lexer->p >= lexer->end || *lexer->p != '"')
            return tess_json_lexer_unexpected (lexer, lexer->p, "a key in quotes");
          if (!tess_json_lexer_string (lexer, &key, &length))
            return FALSE;
          member.key_start = out->len;
          append_escaped (out, key, length);
          member.key_end = out->len;
          for (guint i = 0; i < members->len && !repeated; i++)
            {
              Member *other = &g_array_index (members, Member, i);
              repeated = other->key_end - other->key_start == member.key_end - member.key_start &&
                         memcmp (out->str + other->key_start, out->str + member.key_start,
                                 member.key_end - member.key_start) == 0;
            }
          lexer->p = tess_json_skip_space (lexer->p, lexer->end);
          if (lexer->p >= lexer->end || *lexer->p != ':')
            return tess_json_lexer_unexpected (lexer, lexer->p, "“:” after the key");
          g_string_append_c (out, ':');
          lexer->p = tess_json_skip_space (lexer->p + 1, lexer->end);
          member.value_start = out->len;
          if (!tess_json_lexer_render (lexer, depth + 1, out))
            return FALSE;
          member.value_end = out->len;
          g_array_append_val (members, member);
        }
      else if (!tess_json_lexer_render (lexer, depth + 1, out))
        return FALSE;
      lexer->p = tess_json_skip_space (lexer->p, lexer->end);
      if (lexer->p < lexer->end && *lexer->p == ',')
        {
          g_string_append_c (out, ',');
          lexer->p = tess_json_skip_space (lexer->p + 1, lexer->end);
          if (lexer->p < lexer->end && *lexer->p == close)
            return tess_json_lexer_fail (lexer, lexer->p, "a comma before “%c” is not JSON; remove it", close);
          continue;
        }
      if (lexer->p < lexer->end && *lexer->p == close)
        break;
      /* as the reader says it of the objects and arrays it reads */
      if (lexer->p >= lexer->end)
        return tess_json_lexer_fail (lexer, lexer->p,
                                     object ? "the object is never closed (a } is missing)"
                                            : "the array is never closed (a ] is missing)");
      return tess_json_lexer_unexpected (lexer, lexer->p, object ? "“,” or “}”" : "“,” or “]”");
    }
  lexer->p++;
  g_string_append_c (out, close);
  if (repeated)
    collapse_repeated_keys (out, start, members);
  return TRUE;
}

gboolean
tess_json_lexer_render (TessJsonLexer *lexer, int depth, GString *out)
{
  const char *p = lexer->p;

  if (p >= lexer->end)
    return tess_json_lexer_unexpected (lexer, p, "a value");
  switch (*p)
    {
    case '{':
    case '[':
      return render_container (lexer, depth, out);
    case '"':
      {
        const char *text;
        gsize length;
        if (!tess_json_lexer_string (lexer, &text, &length))
          return FALSE;
        append_escaped (out, text, length);
        return TRUE;
      }
    case 't':
      g_string_append (out, "true");
      return tess_json_lexer_literal (lexer, "true", 4);
    case 'f':
      g_string_append (out, "false");
      return tess_json_lexer_literal (lexer, "false", 5);
    case 'n':
      g_string_append (out, "null");
      return tess_json_lexer_literal (lexer, "null", 4);
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      {
        gint64 integer;
        double real;
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        switch (tess_json_lexer_number (lexer, &integer, &real))
          {
          case TESS_JSON_NUMBER_INT:
            g_string_append_printf (out, "%" G_GINT64_FORMAT, integer);
            return TRUE;
          case TESS_JSON_NUMBER_DOUBLE:
            g_ascii_dtostr (buffer, sizeof buffer, real);
            g_string_append (out, buffer);
            /* a double stays a double when read back */
            if (strpbrk (buffer, ".en") == NULL)
              g_string_append (out, ".0");
            return TRUE;
          default:
            return FALSE;
          }
      }
    default:
      return tess_json_lexer_unexpected (lexer, p, "a value");
    }
}
