/* tess-expression.c: tess_frame_derive, a double column computed from an
 * expression.
 *
 * The expression language on its own: a recursive descent parser from text
 * to a tree of nodes, and an evaluator that computes the tree a column at a
 * time with NAN standing for null. The parser also runs without a frame, for
 * tess_expression_check: a document's expressions are checked when it is
 * parsed, with the messages a run would give.
 */
#include "tess-transform.h"

#include "tess-frame-private.h"
#include "tess-transform-private.h"

#include <math.h>
#include <string.h>

typedef enum
{
  NODE_NUMBER,
  NODE_COLUMN,
  NODE_NEG,
  NODE_BINARY,
  NODE_CALL,
} NodeKind;

typedef struct _Node Node;
struct _Node
{
  NodeKind kind;
  double number;
  TessColumn *column;
  char op;
  double (*func) (double);
  Node *a, *b;
};

#define MAX_NESTING 32
#define MAX_EXPRESSION 4096

typedef struct
{
  const char *text;
  const char *p;
  TessFrame *frame; /* NULL: column names are not looked up */
  TessExpressionSuggestFunc suggest;
  GError **error;
  int depth;
} Parser;

static const struct
{
  const char *name;
  double (*func) (double);
} functions[] = {
  { "abs", fabs },    { "sqrt", sqrt }, { "log", log },     { "exp", exp },
  { "floor", floor }, { "ceil", ceil }, { "round", round },
};

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  node_free (node->a);
  node_free (node->b);
  g_free (node);
}

static void
skip_space (Parser *ps)
{
  while (g_ascii_isspace (*ps->p))
    ps->p++;
}

static Node *
parse_fail (Parser *ps, const char *what)
{
  if (ps->error && *ps->error == NULL)
    g_set_error (ps->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Expression “%s”, at character %d: %s", ps->text,
                 (int) g_utf8_pointer_to_offset (ps->text, ps->p) + 1, what);
  return NULL;
}

static Node *parse_sum (Parser *ps);

/* "unknown function “sqr” (did you mean “sqrt”?); use abs, sqrt, ..." */
static Node *
fail_unknown_function (Parser *ps, const char *name)
{
  const char *names[G_N_ELEMENTS (functions) + 1] = { NULL };
  const char *close = NULL;
  g_autoptr (GString) msg = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    names[i] = functions[i].name;
  if (ps->suggest)
    close = ps->suggest (name, names);
  g_string_append_printf (msg, "unknown function “%s”", name);
  if (close)
    g_string_append_printf (msg, " (did you mean “%s”?)", close);
  g_string_append (msg, "; use ");
  for (guint i = 0; names[i]; i++)
    g_string_append_printf (msg, "%s%s", i == 0 ? "" : names[i + 1] ? ", " : " or ", names[i]);
  return parse_fail (ps, msg->str);
}

static Node *
parse_primary (Parser *ps)
{
  Node *node;

  skip_space (ps);
  if (++ps->depth > MAX_NESTING)
    return parse_fail (ps, "nested too deeply");
  if (*ps->p == '(')
    {
      ps->p++;
      node = parse_sum (ps);
      if (node == NULL)
        return NULL;
      skip_space (ps);
      if (*ps->p != ')')
        {
          node_free (node);
          return parse_fail (ps, "a “)” is missing");
        }
      ps->p++;
      ps->depth--;
      return node;
    }
  if (*ps->p == '-' || *ps->p == '+')
    {
      gboolean neg = *ps->p++ == '-';
      Node *inner = parse_primary (ps);
      if (inner == NULL)
        return NULL;
      ps->depth--;
      if (!neg)
        return inner;
      node = g_new0 (Node, 1);
      node->kind = NODE_NEG;
      node->a = inner;
      return node;
    }
  if (g_ascii_isdigit (*ps->p) || *ps->p == '.')
    {
      char *end;
      double v = g_ascii_strtod (ps->p, &end);
      if (end == ps->p)
        return parse_fail (ps, "a number is malformed");
      ps->p = end;
      node = g_new0 (Node, 1);
      node->kind = NODE_NUMBER;
      node->number = v;
      ps->depth--;
      return node;
    }
  if (*ps->p == '`' || g_ascii_isalpha (*ps->p) || *ps->p == '_')
    {
      g_autofree char *name = NULL;
      const char *start = ps->p;
      TessColumn *column;

      if (*ps->p == '`')
        {
          const char *close = strchr (ps->p + 1, '`');
          if (close == NULL)
            return parse_fail (ps, "a closing ` is missing");
          name = g_strndup (ps->p + 1, close - ps->p - 1);
          ps->p = close + 1;
        }
      else
        {
          while (g_ascii_isalnum (*ps->p) || *ps->p == '_' || *ps->p == '.')
            ps->p++;
          name = g_strndup (start, ps->p - start);
          skip_space (ps);
          if (*ps->p == '(' && *start != '`')
            {
              Node *arg;
              double (*func) (double) = NULL;
              for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
                if (g_str_equal (name, functions[i].name))
                  func = functions[i].func;
              if (func == NULL)
                {
                  ps->p = start;
                  return fail_unknown_function (ps, name);
                }
              ps->p++;
              arg = parse_sum (ps);
              if (arg == NULL)
                return NULL;
              skip_space (ps);
              if (*ps->p != ')')
                {
                  node_free (arg);
                  return parse_fail (ps, "a “)” is missing");
                }
              ps->p++;
              node = g_new0 (Node, 1);
              node->kind = NODE_CALL;
              node->func = func;
              node->a = arg;
              ps->depth--;
              return node;
            }
        }
      if (ps->frame == NULL)
        {
          node = g_new0 (Node, 1);
          node->kind = NODE_COLUMN;
          ps->depth--;
          return node;
        }
      column = tess_frame_get_column_by_name (ps->frame, name);
      if (column == NULL)
        {
          g_autofree char *msg = g_strdup_printf ("there is no column “%s”", name);
          ps->p = start;
          return parse_fail (ps, msg);
        }
      if (column->type == TESS_COLUMN_STRING)
        {
          g_autofree char *msg = g_strdup_printf ("column “%s” holds text, not numbers", name);
          ps->p = start;
          return parse_fail (ps, msg);
        }
      node = g_new0 (Node, 1);
      node->kind = NODE_COLUMN;
      node->column = column;
      ps->depth--;
      return node;
    }
  return parse_fail (ps, *ps->p ? "a number, a column or “(” was expected" : "the expression ends too soon");
}

/* One level of left-associative binary operators: @operand (ops operand)*. */
static Node *
parse_binary (Parser *ps, const char *ops, Node *(*operand) (Parser *ps))
{
  Node *left = operand (ps);

  while (left)
    {
      Node *node;
      char op;
      skip_space (ps);
      op = *ps->p;
      if (op == '\0' || strchr (ops, op) == NULL)
        break;
      ps->p++;
      node = g_new0 (Node, 1);
      node->kind = NODE_BINARY;
      node->op = op;
      node->a = left;
      node->b = operand (ps);
      if (node->b == NULL)
        {
          node_free (node);
          return NULL;
        }
      left = node;
    }
  return left;
}

static Node *
parse_product (Parser *ps)
{
  return parse_binary (ps, "*/%", parse_primary);
}

static Node *
parse_sum (Parser *ps)
{
  return parse_binary (ps, "+-", parse_product);
}

/* Evaluates in place where it can: at any moment one array per pending left
 * operand is alive, so memory grows with the nesting (at most MAX_NESTING),
 * not with the length of the expression. */
static double *
node_eval (Node *node, gsize n)
{
  double *out;

  switch (node->kind)
    {
    case NODE_NUMBER:
      out = g_new (double, MAX (n, 1));
      for (gsize r = 0; r < n; r++)
        out[r] = node->number;
      return out;
    case NODE_COLUMN:
      out = g_new (double, MAX (n, 1));
      for (gsize r = 0; r < n; r++)
        out[r] = tess_column_get_double (node->column, r);
      return out;
    case NODE_NEG:
      out = node_eval (node->a, n);
      for (gsize r = 0; r < n; r++)
        out[r] = -out[r];
      return out;
    case NODE_CALL:
      out = node_eval (node->a, n);
      for (gsize r = 0; r < n; r++)
        out[r] = node->func (out[r]);
      return out;
    case NODE_BINARY:
      {
        g_autofree double *b = NULL;
        out = node_eval (node->a, n);
        b = node_eval (node->b, n);
        for (gsize r = 0; r < n; r++)
          switch (node->op)
            {
            case '+':
              out[r] += b[r];
              break;
            case '-':
              out[r] -= b[r];
              break;
            case '*':
              out[r] *= b[r];
              break;
            case '/':
              out[r] /= b[r];
              break;
            default:
              out[r] = fmod (out[r], b[r]);
              break;
            }
        return out;
      }
    default:
      g_assert_not_reached ();
    }
}

/* The tree of @expression, or NULL with @error set: too long, malformed, an
 * unknown function, or (with a frame) an unknown or text column. */
static Node *
parse_expression (const char *expression, TessFrame *frame, TessExpressionSuggestFunc suggest, GError **error)
{
  Parser ps = { expression, expression, frame, suggest, error, 0 };
  glong length = g_utf8_validate (expression, -1, NULL) ? g_utf8_strlen (expression, -1) : (glong) strlen (expression);
  Node *root;

  if (length > MAX_EXPRESSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The expression has %ld characters; expressions are limited to %d", length, MAX_EXPRESSION);
      return NULL;
    }
  root = parse_sum (&ps);
  if (root == NULL)
    {
      if (error && *error == NULL)
        parse_fail (&ps, "invalid expression");
      return NULL;
    }
  skip_space (&ps);
  if (*ps.p)
    {
      node_free (root);
      parse_fail (&ps, "an operator was expected");
      return NULL;
    }
  return root;
}

gboolean
tess_expression_check (const char *expression, TessExpressionSuggestFunc suggest, GError **error)
{
  Node *root;

  g_return_val_if_fail (expression != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  root = parse_expression (expression, NULL, suggest, error);
  node_free (root);
  return root != NULL;
}

TessFrame *
tess_frame_derive (TessFrame *frame, const char *name, const char *expression, GError **error)
{
  g_autofree double *values = NULL;
  g_autoptr (TessColumn) column = NULL;
  TessColumnBuilder *b;
  Node *root;
  gsize n;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (name != NULL && expression != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_expression (expression, frame, NULL, error);
  if (root == NULL)
    return NULL;
  n = tess_frame_get_n_rows (frame);
  values = node_eval (root, n);
  node_free (root);
  b = tess_column_builder_new (name, TESS_COLUMN_DOUBLE, n);
  for (gsize r = 0; r < n; r++)
    if (isfinite (values[r]))
      tess_column_builder_append_double_fast (b, values[r]);
    else
      tess_column_builder_append_null (b);
  column = tess_column_builder_finish (b);
  return tess_frame_with_column (frame, column, error);
}
