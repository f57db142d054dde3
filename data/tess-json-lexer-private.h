/* tess-json-lexer-private.h: the tokens of JSON text, for the JSON reader.
 *
 * The reader walks the bytes itself and asks the lexer for one token at a
 * time: a string (every escape, surrogate pairs, UTF-8 checked as it is read),
 * a number (int64 when an integer literal fits, otherwise the correctly
 * rounded double), true, false or null. The common cases are inline here, so
 * that they compile into the reader's loop; escapes, rare numbers and the
 * rendering of nested values as JSON text live in tess-json-lexer.c.
 *
 * The grammar is RFC 8259's, with one tolerance kept from json-glib, which
 * read records before: raw control characters other than NUL inside strings.
 * A string's text ends at its first \u0000, as json-glib's did.
 *
 * A failing call leaves the place and a description of the problem in the
 * lexer; the reader adds the line, the column and the record. Not thread-safe;
 * one lexer per read.
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Arrays and objects deeper than this are refused, so that no input can
 * exhaust the stack of the recursive parts. */
#define TESS_JSON_MAX_DEPTH 256

typedef struct
{
  const char *p;    /* the next byte to read */
  const char *end;  /* the end of the text, or of the NDJSON line being read */
  GString *scratch; /* the text of the last string that had escapes */
  /* the last error: where it is and what it is */
  const char *error_at;
  char error[160];
} TessJsonLexer;

typedef enum
{
  TESS_JSON_NUMBER_ERROR,
  TESS_JSON_NUMBER_INT,
  TESS_JSON_NUMBER_DOUBLE,
} TessJsonNumber;

void tess_json_lexer_init (TessJsonLexer *lexer, const char *text, const char *end);
void tess_json_lexer_clear (TessJsonLexer *lexer);

/* Sets the lexer's error; always returns FALSE. */
gboolean tess_json_lexer_fail (TessJsonLexer *lexer, const char *at, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* The error for a byte where @expected was due: a UTF-8 error when the text
 * is not valid there, otherwise "expected @expected, not “x”"; always FALSE. */
gboolean tess_json_lexer_unexpected (TessJsonLexer *lexer, const char *at, const char *expected);

gboolean
tess_json_lexer_string_slow (TessJsonLexer *lexer, const char *start, const char *at, const char **text, gsize *length);
TessJsonNumber tess_json_lexer_number_slow (TessJsonLexer *lexer, gint64 *integer, double *real);

/* At the first byte of a value, any value: appends it to @out as compact JSON
 * text, written as json-glib writes it (the text arrays in records have
 * always had), and moves past it. @depth is the nesting of the value's
 * container. */
gboolean tess_json_lexer_render (TessJsonLexer *lexer, int depth, GString *out);

/* Bytes that end a number or a literal; letters, digits, '.', '+' and '-'
 * after one make it invalid ("01", "1x", "truex"). */
static inline gboolean
tess_json_is_word_byte (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-' || c == '_';
}

static inline const char *
tess_json_skip_space (const char *p, const char *end)
{
  /* ' ', \t, \n and \r: bits 32, 9, 10 and 13 */
  while (p < end && (guchar) *p <= ' ' && (G_GUINT64_CONSTANT (0x100002600) >> (guchar) *p) & 1)
    p++;
  return p;
}

/* The first '"', '\\', NUL or non-ASCII byte in [@p, @end), or @end. */
static inline const char *
tess_json_find_string_special (const char *p, const char *end)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);

  /* Eight bytes at a time: a byte of x is zero where (x - 1) & ~x has its
   * high bit. The lowest such bit is always right, which is the one used. */
  while (end - p >= 8)
    {
      guint64 v, quote, slash, mask;
      memcpy (&v, p, 8);
      quote = v ^ (ones * '"');
      slash = v ^ (ones * '\\');
      mask = (((quote - ones) & ~quote) | ((slash - ones) & ~slash) | ((v - ones) & ~v) | v) & highs;
      if (mask)
        return p + (__builtin_ctzll (mask) >> 3);
      p += 8;
    }
#endif
  while (p < end && *p != '"' && *p != '\\' && *p != '\0' && (guchar) *p < 0x80)
    p++;
  return p;
}

/* At an opening quote: the string's text, pointing into the input when it
 * has no escapes and into lexer->scratch otherwise (valid until the next
 * string), without a NUL at the end. */
static inline gboolean
tess_json_lexer_string (TessJsonLexer *lexer, const char **text, gsize *length)
{
  const char *start = lexer->p + 1;
  const char *q = tess_json_find_string_special (start, lexer->end);

  if G_LIKELY (q < lexer->end && *q == '"')
    {
      *text = start;
      *length = q - start;
      lexer->p = q + 1;
      return TRUE;
    }
  return tess_json_lexer_string_slow (lexer, start, q, text, length);
}

extern const double tess_json_exact_powers_of_ten[23];

/* At a '-' or a digit: an integer literal that fits int64 in @integer, any
 * other number in @real. */
static inline TessJsonNumber
tess_json_lexer_number (TessJsonLexer *lexer, gint64 *integer, double *real)
{
  const char *p = lexer->p, *e = lexer->end;
  gboolean negative = *p == '-';
  guint64 value = 0;
  const char *digits, *fraction;

  /* The common cases: an integer or a decimal of at most 18 digits, no
   * exponent. Everything else starts over slowly. */
  p += negative;
  digits = p;
  if (p < e && *p >= '1' && *p <= '9')
    do
      value = value * 10 + (guint64) (*p++ - '0');
    while (p < e && (unsigned) (*p - '0') <= 9 && p - digits < 18);
  else if (p < e && *p == '0')
    p++;
  else
    return tess_json_lexer_number_slow (lexer, integer, real);
  if G_LIKELY (p == e || !tess_json_is_word_byte (*p))
    {
      *integer = negative ? -(gint64) value : (gint64) value;
      lexer->p = p;
      return TESS_JSON_NUMBER_INT;
    }
  if (*p != '.')
    return tess_json_lexer_number_slow (lexer, integer, real);
  fraction = ++p;
  while (p < e && (unsigned) (*p - '0') <= 9 && p - digits < 19)
    value = value * 10 + (guint64) (*p++ - '0');
  if G_UNLIKELY (p == fraction || (p < e && tess_json_is_word_byte (*p)) || value > (G_GUINT64_CONSTANT (1) << 53))
    return tess_json_lexer_number_slow (lexer, integer, real);
  /* exact: both operands are exact doubles and one rounding follows */
  *real = (double) value / tess_json_exact_powers_of_ten[p - fraction];
  if (negative)
    *real = -*real;
  lexer->p = p;
  return TESS_JSON_NUMBER_DOUBLE;
}

/* Whether the @length bytes at @a and @b are the same; for short keys, where
 * a call to memcmp costs more than the comparison. */
static inline gboolean
tess_json_same_bytes (const char *a, const char *b, gsize length)
{
  guint64 x, y;

  while (length >= 8)
    {
      memcpy (&x, a, 8);
      memcpy (&y, b, 8);
      if (x != y)
        return FALSE;
      a += 8, b += 8, length -= 8;
    }
  while (length > 0)
    {
      if (*a++ != *b++)
        return FALSE;
      length--;
    }
  return TRUE;
}

/* At a 't', 'f' or 'n': whether the text there is exactly @word. */
static inline gboolean
tess_json_lexer_literal (TessJsonLexer *lexer, const char *word, gsize length)
{
  const char *p = lexer->p;

  if G_UNLIKELY ((gsize) (lexer->end - p) < length || memcmp (p, word, length) != 0 ||
                 (p + length < lexer->end && tess_json_is_word_byte (p[length])))
    {
      const char *q = p;
      while (q < lexer->end && tess_json_is_word_byte (*q) && q - p < 24)
        q++;
      return tess_json_lexer_fail (lexer, p, "“%.*s” is not a JSON value (true, false, null, a number or a string)",
                                   (int) (q > p ? q - p : 1), p);
    }
  lexer->p = p + length;
  return TRUE;
}

G_END_DECLS
