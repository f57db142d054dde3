/* tess-document-node.c: the position-keeping JSON scanner behind dashboard documents.
 *
 * A recursive-descent parser over the UTF-8 text (RFC 8259, no extensions). Nesting
 * is bounded so hostile input cannot exhaust the stack.
 */
#include "tess-document-node.h"
#include "tess-format-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256

G_DEFINE_QUARK (tess-doc-error-quark, tess_doc_error);

typedef struct
{
  const char *p;
  const char *end;
  guint line, col;
  guint depth;
  GError *error;
  guint error_line, error_col;
} Scanner;

static TessDocNode *parse_value (Scanner *s);

static TessDocNode *
node_new (TessDocNodeType type, guint line, guint col)
{
  TessDocNode *node = g_new0 (TessDocNode, 1);

  g_atomic_ref_count_init (&node->ref_count);
  node->type = type;
  node->line = line;
  node->col = col;
  return node;
}

static void
member_free (gpointer data)
{
  TessDocMember *member = data;

  g_free (member->key);
  g_clear_pointer (&member->value, tess_doc_node_unref);
  g_free (member);
}

TessDocNode *
tess_doc_node_ref (TessDocNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_atomic_ref_count_inc (&node->ref_count);
  return node;
}

void
tess_doc_node_unref (TessDocNode *node)
{
  g_return_if_fail (node != NULL);
  if (!g_atomic_ref_count_dec (&node->ref_count))
    return;
  g_free (node->string);
  g_clear_pointer (&node->items, g_ptr_array_unref);
  g_free (node);
}

static gboolean
fail (Scanner *s, const char *message)
{
  if (s->error == NULL)
    {
      s->error_line = s->line;
      s->error_col = s->col;
      s->error = g_error_new (TESS_DOC_ERROR, TESS_DOC_ERROR_SYNTAX, "%s", message);
    }
  return FALSE;
}

/* Advances one byte, keeping line and column; columns count characters, so
 * UTF-8 continuation bytes do not advance them. */
static void
advance (Scanner *s)
{
  guchar c = (guchar) *s->p;

  s->p++;
  if (c == '\n')
    {
      s->line++;
      s->col = 1;
    }
  else if ((c & 0xC0) != 0x80)
    s->col++;
}

static void
skip_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    advance (s);
}

static gboolean
expect_word (Scanner *s, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return fail (s, "unexpected characters; expected a value (a string, number, object, array, true, false or null)");
  for (gsize i = 0; i < n; i++)
    advance (s);
  return TRUE;
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

static gboolean
read_hex4 (Scanner *s, gunichar *out)
{
  gunichar v = 0;

  for (int i = 0; i < 4; i++)
    {
      int h = s->p < s->end ? hex_value (*s->p) : -1;
      if (h < 0)
        return fail (s, "invalid \\u escape: expected four hexadecimal digits");
      v = v * 16 + (gunichar) h;
      advance (s);
    }
  *out = v;
  return TRUE;
}

/* Reads a string at s->p (which is on the opening quote). */
static char *
read_string (Scanner *s)
{
  g_autoptr (GString) out = g_string_new (NULL);
  guint start_line = s->line, start_col = s->col;

  advance (s); /* " */
  for (;;)
    {
      if (s->p >= s->end)
        {
          s->line = start_line;
          s->col = start_col;
          fail (s, "unterminated string: missing closing quote");
          return NULL;
        }
      guchar c = (guchar) *s->p;
      if (c == '"')
        {
          advance (s);
          break;
        }
      if (c < 0x20)
        {
          fail (s, c == '\n' ? "unterminated string: a line break inside a string must be written \\n"
                             : "control character inside a string; escape it");
          return NULL;
        }
      if (c == '\\')
        {
          advance (s);
          if (s->p >= s->end)
            {
              fail (s, "unterminated string: missing closing quote");
              return NULL;
            }
          char e = *s->p;
          switch (e)
            {
            case '"':
              g_string_append_c (out, '"');
              break;
            case '\\':
              g_string_append_c (out, '\\');
              break;
            case '/':
              g_string_append_c (out, '/');
              break;
            case 'b':
              g_string_append_c (out, '\b');
              break;
            case 'f':
              g_string_append_c (out, '\f');
              break;
            case 'n':
              g_string_append_c (out, '\n');
              break;
            case 'r':
              g_string_append_c (out, '\r');
              break;
            case 't':
              g_string_append_c (out, '\t');
              break;
            case 'u':
              {
                gunichar u, low;
                advance (s);
                if (!read_hex4 (s, &u))
                  return NULL;
                if (u >= 0xD800 && u < 0xDC00)
                  {
                    if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
                      {
                        fail (s, "invalid \\u escape: a high surrogate must be followed by a low one");
                        return NULL;
                      }
                    advance (s);
                    advance (s);
                    if (!read_hex4 (s, &low))
                      return NULL;
                    if (low < 0xDC00 || low > 0xDFFF)
                      {
                        fail (s, "invalid \\u escape: a high surrogate must be followed by a low one");
                        return NULL;
                      }
                    u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                  }
                else if (u >= 0xDC00 && u <= 0xDFFF)
                  {
                    fail (s, "invalid \\u escape: a lone low surrogate");
                    return NULL;
                  }
                if (u == 0)
                  {
                    fail (s, "\\u0000 is not allowed in a document string");
                    return NULL;
                  }
                g_string_append_unichar (out, u);
                continue;
              }
            default:
              fail (s, "invalid escape in string; use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX");
              return NULL;
            }
          advance (s);
          continue;
        }
      g_string_append_c (out, (char) c);
      advance (s);
    }
  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      fail (s, "the string is not valid UTF-8");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static TessDocNode *
parse_number (Scanner *s)
{
  const char *start = s->p;
  guint line = s->line, col = s->col;
  gboolean integer = TRUE;

  if (s->p < s->end && *s->p == '-')
    advance (s);
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    {
      fail (s, "invalid number: expected a digit");
      return NULL;
    }
  if (*s->p == '0')
    {
      advance (s);
      if (s->p < s->end && g_ascii_isdigit (*s->p))
        {
          fail (s, "invalid number: leading zeros are not allowed");
          return NULL;
        }
    }
  else
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      advance (s);
  if (s->p < s->end && *s->p == '.')
    {
      integer = FALSE;
      advance (s);
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        {
          fail (s, "invalid number: expected a digit after the decimal point");
          return NULL;
        }
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        advance (s);
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      integer = FALSE;
      advance (s);
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        advance (s);
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        {
          fail (s, "invalid number: expected a digit in the exponent");
          return NULL;
        }
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        advance (s);
    }

  g_autofree char *text = g_strndup (start, s->p - start);
  TessDocNode *node = node_new (TESS_DOC_NUMBER, line, col);
  node->number = g_ascii_strtod (text, NULL);
  node->is_integer = integer && fabs (node->number) < 9007199254740992.0;
  if (!isfinite (node->number))
    {
      tess_doc_node_unref (node);
      s->line = line;
      s->col = col;
      fail (s, "invalid number: out of range");
      return NULL;
    }
  return node;
}

static TessDocNode *
parse_container (Scanner *s, gboolean object)
{
  g_autoptr (TessDocNode) node = node_new (object ? TESS_DOC_OBJECT : TESS_DOC_ARRAY, s->line, s->col);
  char close = object ? '}' : ']';

  node->items = g_ptr_array_new_with_free_func (object ? member_free : (GDestroyNotify) tess_doc_node_unref);
  if (++s->depth > MAX_DEPTH)
    {
      fail (s, "the document is nested too deeply");
      return NULL;
    }
  advance (s);
  skip_ws (s);
  if (s->p < s->end && *s->p == close)
    {
      advance (s);
      s->depth--;
      return g_steal_pointer (&node);
    }
  for (;;)
    {
      skip_ws (s);
      if (object)
        {
          if (s->p >= s->end || *s->p != '"')
            {
              fail (s, s->p >= s->end
                           ? "unexpected end of document: an object is not closed with '}'"
                           : (*s->p == '}' ? "trailing comma before '}'" : "expected a member name in double quotes"));
              return NULL;
            }
          TessDocMember *member = g_new0 (TessDocMember, 1);
          member->key_line = s->line;
          member->key_col = s->col;
          member->key = read_string (s);
          g_ptr_array_add (node->items, member);
          if (member->key == NULL)
            return NULL;
          skip_ws (s);
          if (s->p >= s->end || *s->p != ':')
            {
              fail (s, "expected ':' after the member name");
              return NULL;
            }
          advance (s);
          skip_ws (s);
          member->value = parse_value (s);
          if (member->value == NULL)
            return NULL;
        }
      else
        {
          if (s->p < s->end && *s->p == ']')
            {
              fail (s, "trailing comma before ']'");
              return NULL;
            }
          TessDocNode *item = parse_value (s);
          if (item == NULL)
            return NULL;
          g_ptr_array_add (node->items, item);
        }
      skip_ws (s);
      if (s->p >= s->end)
        {
          fail (s, object ? "unexpected end of document: an object is not closed with '}'"
                          : "unexpected end of document: an array is not closed with ']'");
          return NULL;
        }
      if (*s->p == ',')
        {
          advance (s);
          continue;
        }
      if (*s->p == close)
        {
          advance (s);
          break;
        }
      fail (s, object ? "expected ',' or '}' after a member" : "expected ',' or ']' after an item");
      return NULL;
    }
  s->depth--;
  return g_steal_pointer (&node);
}

static TessDocNode *
parse_value (Scanner *s)
{
  TessDocNode *node;
  guint line, col;

  skip_ws (s);
  if (s->p >= s->end)
    {
      fail (s, "unexpected end of document: expected a value");
      return NULL;
    }
  line = s->line;
  col = s->col;
  switch (*s->p)
    {
    case '{':
      return parse_container (s, TRUE);
    case '[':
      return parse_container (s, FALSE);
    case '"':
      {
        char *str = read_string (s);
        if (str == NULL)
          return NULL;
        node = node_new (TESS_DOC_STRING, line, col);
        node->string = str;
        return node;
      }
    case 't':
    case 'f':
      {
        gboolean is_true = *s->p == 't';
        if (!expect_word (s, is_true ? "true" : "false"))
          return NULL;
        node = node_new (TESS_DOC_BOOL, line, col);
        node->boolean = is_true;
        return node;
      }
    case 'n':
      if (!expect_word (s, "null"))
        return NULL;
      return node_new (TESS_DOC_NULL, line, col);
    case '\'':
      fail (s, "strings must be in double quotes");
      return NULL;
    case '/':
      fail (s, "comments are not allowed in JSON documents");
      return NULL;
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return parse_number (s);
      fail (s, "unexpected character; expected a value (a string, number, object, array, true, false or null)");
      return NULL;
    }
}

TessDocNode *
tess_doc_node_parse (const char *text, gssize length, guint *line, guint *col, GError **error)
{
  Scanner s = { 0 };
  TessDocNode *root;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (text);
  s.p = text;
  s.end = text + length;
  s.line = 1;
  s.col = 1;

  if (line)
    *line = 0;
  if (col)
    *col = 0;

  if (!g_utf8_validate (text, length, NULL))
    {
      const char *bad = NULL;
      g_utf8_validate (text, length, &bad);
      while (s.p < bad)
        advance (&s);
      fail (&s, "the document is not valid UTF-8");
      goto failed;
    }
  /* A UTF-8 byte order mark is tolerated. */
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    s.p += 3;

  root = parse_value (&s);
  if (root == NULL)
    goto failed;
  skip_ws (&s);
  if (s.p < s.end)
    {
      tess_doc_node_unref (root);
      fail (&s, "unexpected text after the end of the document");
      goto failed;
    }
  return root;

failed:
  if (line)
    *line = s.error_line;
  if (col)
    *col = s.error_col;
  g_propagate_error (error, s.error);
  return NULL;
}

const char *
tess_doc_node_type_to_string (TessDocNodeType type)
{
  switch (type)
    {
    case TESS_DOC_NULL:
      return "null";
    case TESS_DOC_BOOL:
      return "a boolean";
    case TESS_DOC_NUMBER:
      return "a number";
    case TESS_DOC_STRING:
      return "a string";
    case TESS_DOC_ARRAY:
      return "an array";
    case TESS_DOC_OBJECT:
      return "an object";
    default:
      return "?";
    }
}

const TessDocMember *
tess_doc_node_get_member (const TessDocNode *node, const char *key)
{
  if (node == NULL || node->type != TESS_DOC_OBJECT)
    return NULL;
  /* The last of repeated members wins, as in most JSON readers. */
  for (guint i = node->items->len; i > 0; i--)
    {
      TessDocMember *member = g_ptr_array_index (node->items, i - 1);
      if (g_str_equal (member->key, key))
        return member;
    }
  return NULL;
}

TessDocNode *
tess_doc_node_get (const TessDocNode *node, const char *key)
{
  const TessDocMember *member = tess_doc_node_get_member (node, key);
  return member ? member->value : NULL;
}

guint
tess_doc_node_get_length (const TessDocNode *node)
{
  if (node == NULL || node->items == NULL)
    return 0;
  return node->items->len;
}

TessDocNode *
tess_doc_node_get_index (const TessDocNode *node, guint index)
{
  g_return_val_if_fail (node != NULL && node->items != NULL && index < node->items->len, NULL);
  if (node->type == TESS_DOC_OBJECT)
    return ((TessDocMember *) g_ptr_array_index (node->items, index))->value;
  return g_ptr_array_index (node->items, index);
}

const TessDocMember *
tess_doc_node_get_member_index (const TessDocNode *node, guint index)
{
  g_return_val_if_fail (node != NULL && node->type == TESS_DOC_OBJECT && index < node->items->len, NULL);
  return g_ptr_array_index (node->items, index);
}

void
tess_doc_node_append_string (const TessDocNode *node, GString *out)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (node->type)
    {
    case TESS_DOC_NULL:
      g_string_append (out, "null");
      break;
    case TESS_DOC_BOOL:
      g_string_append (out, node->boolean ? "true" : "false");
      break;
    case TESS_DOC_NUMBER:
      if (node->is_integer)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) node->number);
      else
        g_string_append (out, g_ascii_dtostr (buf, sizeof buf, node->number));
      break;
    case TESS_DOC_STRING:
      tess_format_append_json (out, node->string);
      break;
    case TESS_DOC_ARRAY:
      g_string_append_c (out, '[');
      for (guint i = 0; i < node->items->len; i++)
        {
          if (i)
            g_string_append_c (out, ',');
          tess_doc_node_append_string (g_ptr_array_index (node->items, i), out);
        }
      g_string_append_c (out, ']');
      break;
    case TESS_DOC_OBJECT:
      g_string_append_c (out, '{');
      for (guint i = 0; i < node->items->len; i++)
        {
          TessDocMember *member = g_ptr_array_index (node->items, i);
          if (i)
            g_string_append_c (out, ',');
          tess_format_append_json (out, member->key);
          g_string_append_c (out, ':');
          tess_doc_node_append_string (member->value, out);
        }
      g_string_append_c (out, '}');
      break;
    default:
      break;
    }
}

char *
tess_doc_node_to_string (const TessDocNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);
  tess_doc_node_append_string (node, out);
  return g_string_free (out, FALSE);
}
