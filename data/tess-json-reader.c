/* tess-json-reader.c: the JSON reader, on json-glib.
 *
 * Two passes over the records: the first finds the columns (in order of first
 * appearance) and the type each can take, the second fills the builders. NDJSON
 * is parsed line by line in both passes, so only one record's tree exists at a
 * time. Input nested deeper than MAX_DEPTH is refused before json-glib sees it,
 * so no input can exhaust the stack.
 *
 * Records with different keys make a sparse table: n records that each bring
 * a new key are n columns of n rows, from a few bytes per record. After the
 * first pass the table's size is known, and one that would not fit in what
 * is left of the memory budget for data is refused before it is built.
 *
 * json-glib wraps an integer literal beyond int64 (99999999999999999999 reads
 * as -1). The same pass that measures the nesting finds such literals; only
 * when there is one, json-glib reads a copy in which each of them carries
 * ".0", so it reads as the double it is, as the CSV reader reads it.
 */
#include "tess-json-reader.h"

#include "tess-csv.h"
#include "tess-frame-private.h"
#include "tess-memory.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define MAX_DEPTH 256
#define STREAM_THRESHOLD (32 * 1024 * 1024)

typedef enum
{
  K_NULL,
  K_BOOL,
  K_INT,
  K_DOUBLE,
  K_DATE,
  K_TIMESTAMP,
  K_STRING,
} Kind;

typedef struct
{
  char *name;
  Kind kind;
  guint index;
  TessColumnBuilder *builder;
  gsize filled; /* rows appended so far */
} Col;

typedef struct
{
  GHashTable *by_name; /* name -> Col */
  GPtrArray *cols;
  gboolean fill;
  gsize row;
  GError **error;
} Acc;

static void
col_free (Col *col)
{
  g_free (col->name);
  tess_column_builder_free (col->builder);
  g_free (col);
}

static Kind
kind_merge (Kind a, Kind b)
{
  if (a == K_NULL)
    return b;
  if (b == K_NULL || a == b)
    return a;
  if ((a == K_INT && b == K_DOUBLE) || (a == K_DOUBLE && b == K_INT))
    return K_DOUBLE;
  if ((a == K_DATE && b == K_TIMESTAMP) || (a == K_TIMESTAMP && b == K_DATE))
    return K_TIMESTAMP;
  return K_STRING;
}

static Kind
kind_of_node (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return K_NULL;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return K_STRING; /* arrays become JSON text */
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return K_BOOL;
    case G_TYPE_INT64:
      return K_INT;
    case G_TYPE_DOUBLE:
      return K_DOUBLE;
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);
        gsize len = strlen (s);
        gint32 days;
        gint64 usec;
        if (len == 0)
          return K_NULL;
        if (tess_parse_date (s, len, &days))
          return K_DATE;
        if (tess_parse_timestamp (s, len, &usec))
          return K_TIMESTAMP;
        return K_STRING;
      }
    default:
      return K_STRING;
    }
}

/* A key as a column name that shows as what it is: escapes can put control
 * characters in a key ("\u001b[2J"); line breaks and tabs become spaces and
 * the others U+FFFD, as the CSV reader does with a header. NULL when @name
 * needs no change. */
static char *
safe_column_name (const char *name)
{
  GString *safe;

  for (const char *p = name;; p++)
    if (*p == '\0')
      return NULL;
    else if ((guchar) *p < 0x20 || *p == 0x7f || ((guchar) *p == 0xc2 && (guchar) p[1] < 0xa0))
      break;
  safe = g_string_new (NULL);
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      if (ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f')
        g_string_append_c (safe, ' ');
      else if (g_unichar_iscntrl (ch))
        g_string_append_unichar (safe, 0xFFFD);
      else
        g_string_append_unichar (safe, ch);
    }
  return g_string_free (safe, FALSE);
}

static Col *
acc_column (Acc *acc, const char *key)
{
  g_autofree char *safe = safe_column_name (key);
  const char *name = safe ? safe : key;
  Col *col = g_hash_table_lookup (acc->by_name, name);
  if (col == NULL)
    {
      col = g_new0 (Col, 1);
      col->name = g_strdup (name);
      col->index = acc->cols->len;
      g_ptr_array_add (acc->cols, col);
      g_hash_table_insert (acc->by_name, col->name, col);
    }
  return col;
}

static void
append_node (Col *col, JsonNode *node)
{
  TessColumnBuilder *b = col->builder;
  Kind k = kind_of_node (node);

  if (k == K_NULL && !(col->kind == K_STRING && node && JSON_NODE_HOLDS_VALUE (node)))
    {
      tess_column_builder_append_null (b);
      return;
    }
  switch (col->kind)
    {
    case K_BOOL:
      tess_column_builder_append_bool (b, json_node_get_boolean (node));
      break;
    case K_INT:
      tess_column_builder_append_int64 (b, json_node_get_int (node));
      break;
    case K_DOUBLE:
      tess_column_builder_append_double (b, json_node_get_double (node));
      break;
    case K_DATE:
      {
        const char *s = json_node_get_string (node);
        gint32 days = 0;
        tess_parse_date (s, strlen (s), &days);
        tess_column_builder_append_date (b, days);
      }
      break;
    case K_TIMESTAMP:
      {
        const char *s = json_node_get_string (node);
        gint32 days;
        gint64 usec = 0;
        if (tess_parse_date (s, strlen (s), &days))
          usec = (gint64) days * 86400 * G_USEC_PER_SEC;
        else
          tess_parse_timestamp (s, strlen (s), &usec);
        tess_column_builder_append_timestamp (b, usec);
      }
      break;
    case K_STRING:
      if (JSON_NODE_HOLDS_VALUE (node))
        {
          switch (json_node_get_value_type (node))
            {
            case G_TYPE_STRING:
              tess_column_builder_append_string (b, json_node_get_string (node));
              break;
            case G_TYPE_INT64:
              {
                g_autofree char *s = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
                tess_column_builder_append_string (b, s);
              }
              break;
            case G_TYPE_DOUBLE:
              {
                char buf[G_ASCII_DTOSTR_BUF_SIZE];
                tess_column_builder_append_string (b, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
              }
              break;
            case G_TYPE_BOOLEAN:
              tess_column_builder_append_string (b, json_node_get_boolean (node) ? "true" : "false");
              break;
            default:
              tess_column_builder_append_null (b);
            }
        }
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);
          tess_column_builder_append_string (b, text);
        }
      break;
    default:
      tess_column_builder_append_null (b);
    }
}

static void
acc_value (Acc *acc, const char *name, JsonNode *node)
{
  Col *col = acc_column (acc, name);

  if (!acc->fill)
    {
      col->kind = kind_merge (col->kind, kind_of_node (node));
      return;
    }
  /* rows where the record lacked this column */
  while (col->filled < acc->row)
    {
      tess_column_builder_append_null (col->builder);
      col->filled++;
    }
  if (col->filled > acc->row)
    return; /* a repeated key after flattening: the first one wins */
  append_node (col, node);
  col->filled++;
}

static void
acc_object (Acc *acc, const char *prefix, JsonObject *object)
{
  g_autoptr (GList) keys = json_object_get_members (object); /* in document order */

  for (GList *l = keys; l; l = l->next)
    {
      const char *key = l->data;
      JsonNode *member = json_object_get_member (object, key);
      g_autofree char *name = prefix ? g_strconcat (prefix, ".", key, NULL) : g_strdup (key);
      if (JSON_NODE_HOLDS_OBJECT (member))
        acc_object (acc, name, json_node_get_object (member));
      else
        acc_value (acc, name, member);
    }
}

static void
acc_record (Acc *acc, JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    acc_object (acc, NULL, json_node_get_object (node));
  else
    acc_value (acc, "value", node);
  acc->row++;
}

/* Whether the integer literal of @n digits at @digits fits int64. */
static gboolean
integer_fits_int64 (const char *digits, gsize n, gboolean negative)
{
  while (n > 1 && *digits == '0')
    digits++, n--;
  if (n != 19)
    return n < 19;
  return memcmp (digits, negative ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
}

/* At @p, a '-' or a digit outside a string: the length of the number there
 * (at least 1), and whether it is an integer literal beyond int64. */
static gsize
number_length (const char *p, const char *e, gboolean *too_big)
{
  const char *start = p, *digits;
  gboolean negative = *p == '-';

  *too_big = FALSE;
  if (negative)
    p++;
  digits = p;
  while (p < e && g_ascii_isdigit (*p))
    p++;
  if (p < e && (*p == '.' || *p == 'e' || *p == 'E'))
    {
      while (p < e && (g_ascii_isdigit (*p) || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' || *p == '-'))
        p++;
      return p - start;
    }
  *too_big = p > digits && !integer_fits_int64 (digits, p - digits, negative);
  return MAX (p - start, 1);
}

/* One pass over the text outside strings: refuses nesting deeper than
 * MAX_DEPTH and counts, in @n_too_big, the integer literals beyond int64.
 * With @widened, also appends the text to it with ".0" after each of them. */
static gboolean
scan_text (const char *data, gsize length, gsize *n_too_big, GString *widened, GError **error)
{
  int depth = 0;
  gsize line = 1, col = 1;
  gboolean in_string = FALSE;
  const char *copied = data;

  *n_too_big = 0;
  for (gsize i = 0; i < length; i++, col++)
    {
      char c = data[i];
      if (c == '\n')
        {
          line++;
          col = 0;
        }
      else if (in_string)
        {
          if (c == '\\')
            i++, col++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_DEPTH)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                           ": values are nested more than %d levels deep",
                           line, col, MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == ']' || c == '}')
        depth = MAX (depth - 1, 0);
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gboolean too_big;
          gsize n = number_length (data + i, data + length, &too_big);
          if (too_big)
            {
              (*n_too_big)++;
              if (widened)
                {
                  g_string_append_len (widened, copied, data + i + n - copied);
                  g_string_append (widened, ".0");
                  copied = data + i + n;
                }
            }
          i += n - 1;
          col += n - 1;
        }
    }
  if (widened)
    g_string_append_len (widened, copied, data + length - copied);
  return TRUE;
}

static gboolean
looks_like_ndjson (const char *data, gsize length)
{
  const char *p = data, *e = data + length;
  const char *nl;
  int depth = 0;
  gboolean in_string = FALSE;

  while (p < e && g_ascii_isspace (*p))
    p++;
  if (p == e || *p != '{')
    return FALSE;
  /* find where the first value ends; NDJSON has another value after it */
  for (; p < e; p++)
    {
      char c = *p;
      if (in_string)
        {
          if (c == '\\')
            p++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        break;
    }
  if (p >= e)
    return FALSE;
  nl = p + 1;
  while (nl < e && g_ascii_isspace (*nl))
    nl++;
  return nl < e;
}

static gboolean
parse_ndjson (Acc *acc, const char *data, gsize length, GCancellable *cancellable, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  const char *p = data, *e = data + length;
  gsize line = 0;
  gsize record = 0;

  while (p < e)
    {
      const char *nl = memchr (p, '\n', e - p);
      const char *end = nl ? nl : e;
      const char *s = p;
      g_autoptr (GError) local = NULL;

      line++;
      p = nl ? nl + 1 : e;
      while (s < end && g_ascii_isspace (*s))
        s++;
      if (s == end)
        continue;
      if (!json_parser_load_from_data (parser, s, end - s, &local))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Line %" G_GSIZE_FORMAT " (record %" G_GSIZE_FORMAT "): %s", line, record + 1, local->message);
          return FALSE;
        }
      if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Line %" G_GSIZE_FORMAT " (record %" G_GSIZE_FORMAT "): each line of NDJSON must be an object",
                       line, record + 1);
          return FALSE;
        }
      acc_record (acc, json_parser_get_root (parser));
      record++;
      if ((record & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* Where the value starting at @p ends (strings and nesting respected), or
 * NULL when the data ends first. */
static const char *
value_end (const char *p, const char *e)
{
  int depth = 0;
  gboolean in_string = FALSE;

  if (*p != '{' && *p != '[' && *p != '"')
    {
      while (p < e && *p != ',' && *p != ']' && !g_ascii_isspace (*p))
        p++;
      return p;
    }
  for (; p < e; p++)
    {
      char c = *p;
      if (in_string)
        {
          if (c == '\\')
            p++;
          else if (c == '"')
            {
              in_string = FALSE;
              if (depth == 0)
                return p + 1;
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        return p + 1;
    }
  return NULL;
}

/* A top-level array, one element at a time: the tree of one record exists at
 * any moment, whatever the size of the whole. */
static gboolean
parse_stream (Acc *acc, const char *data, gsize length, GCancellable *cancellable, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  const char *p = data, *e = data + length;
  const char *line_start = data;
  gsize line = 1, record = 0;
  int objects = -1;

#define SKIP_SPACE()                                                                                                   \
  while (p < e && g_ascii_isspace (*p))                                                                                \
    {                                                                                                                  \
      if (*p == '\n')                                                                                                  \
        line++, line_start = p + 1;                                                                                    \
      p++;                                                                                                             \
    }
#define FAIL(...)                                                                                                      \
  G_STMT_START                                                                                                         \
  {                                                                                                                    \
    g_autofree char *what = g_strdup_printf (__VA_ARGS__);                                                             \
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,                                                           \
                 "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ": %s", line,                                     \
                 (gsize) g_utf8_strlen (line_start, p - line_start) + 1, what);                                        \
    return FALSE;                                                                                                      \
  }                                                                                                                    \
  G_STMT_END

  SKIP_SPACE ();
  if (p == e || *p != '[')
    FAIL ("expected an array of records");
  p++;
  SKIP_SPACE ();
  if (p < e && *p == ']')
    p++;
  else
    for (;;)
      {
        g_autoptr (GError) local = NULL;
        const char *end;
        JsonNode *node;

        SKIP_SPACE ();
        if (p == e)
          FAIL ("the array is never closed (a ] is missing)");
        end = value_end (p, e);
        if (end == NULL || end == p)
          FAIL ("record %" G_GSIZE_FORMAT " is incomplete", record + 1);
        if (!json_parser_load_from_data (parser, p, end - p, &local))
          FAIL ("record %" G_GSIZE_FORMAT ": %s", record + 1, local->message);
        node = json_parser_get_root (parser);
        if (node == NULL)
          FAIL ("record %" G_GSIZE_FORMAT " is empty", record + 1);
        if (objects < 0)
          objects = JSON_NODE_HOLDS_OBJECT (node);
        if (objects != JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_NULL (node))
          FAIL ("record %" G_GSIZE_FORMAT " is %s, but record 1 is %s; an array must hold only records or only values",
                record + 1, objects ? "not an object" : "an object", objects ? "an object" : "a value");
        for (const char *c = p; c < end; c++)
          if (*c == '\n')
            line++, line_start = c + 1;
        acc_record (acc, node);
        record++;
        if ((record & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
          return FALSE;
        p = end;
        SKIP_SPACE ();
        if (p < e && *p == ',')
          {
            p++;
            continue;
          }
        if (p < e && *p == ']')
          {
            p++;
            break;
          }
        FAIL ("expected “,” or “]” after record %" G_GSIZE_FORMAT, record);
      }
  SKIP_SPACE ();
  if (p != e)
    FAIL ("unexpected text after the array");
  return TRUE;
#undef SKIP_SPACE
#undef FAIL
}

static gboolean
parse_document (Acc *acc, JsonNode *root, GError **error)
{
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      guint n = json_array_get_length (array);
      gboolean objects = n > 0 && JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0));

      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          if (objects != JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_NULL (node))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Record %u is %s, but record 1 is %s; an array must hold only records or only values", i + 1,
                           objects ? "not an object" : "an object", objects ? "an object" : "a value");
              return FALSE;
            }
          acc_record (acc, node);
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr (GList) keys = json_object_get_members (object);
      gint64 length = -1;

      for (GList *l = keys; l; l = l->next)
        {
          const char *key = l->data;
          JsonNode *member = json_object_get_member (object, key);
          JsonArray *array;
          if (!JSON_NODE_HOLDS_ARRAY (member))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Member “%s” is not an array; a JSON object must map each column name to an array of values",
                           key);
              return FALSE;
            }
          array = json_node_get_array (member);
          if (length >= 0 && json_array_get_length (array) != length)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Column “%s” has %u values but the columns before it have %" G_GINT64_FORMAT, key,
                           json_array_get_length (array), length);
              return FALSE;
            }
          length = json_array_get_length (array);
          acc->row = 0;
          for (guint i = 0; i < length; i++)
            {
              acc_value (acc, key, json_array_get_element (array, i));
              acc->row++;
            }
        }
      acc->row = MAX (length, 0);
      return TRUE;
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Expected an array of records, an object of columns or NDJSON, but the JSON is a single value");
  return FALSE;
}

static TessColumnType kind_to_type (Kind k);

/* FALSE, with an error, when the table the first pass found (its columns'
 * values and validity; text not counted) would not fit in what is left of
 * the memory budget for data. */
static gboolean
check_table_size (Acc *acc, GError **error)
{
  guint64 limit = tess_memory_get_limit (), used = tess_memory_get_used ();
  guint64 room = limit > used ? limit - used : 0;
  guint64 bytes = 0;

  for (guint i = 0; i < acc->cols->len && bytes <= room; i++)
    {
      Col *col = acc->cols->pdata[i];
      bytes += (guint64) acc->row * tess_column_type_elem_size (kind_to_type (col->kind)) + (acc->row + 7) / 8;
    }
  if (bytes <= room)
    return TRUE;
  /* the limit as the budget's own messages write it: "4 GiB", "1.5 GiB" */
  static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
  double value = limit;
  guint unit = 0;
  while (value >= 1024 && unit + 1 < G_N_ELEMENTS (units))
    value /= 1024, unit++;
  g_autofree char *limit_text = value == (double) (guint64) value
                                    ? g_strdup_printf ("%" G_GUINT64_FORMAT " %s", (guint64) value, units[unit])
                                    : g_strdup_printf ("%.1f %s", value, units[unit]);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
               "As a table, this JSON has %u columns and %" G_GSIZE_FORMAT
               " rows, more than the %s memory limit for data holds (records with different keys leave most cells "
               "empty); raise the limit in Preferences or with --memory-limit, or load less",
               acc->cols->len, acc->row, limit_text);
  return FALSE;
}

static TessColumnType
kind_to_type (Kind k)
{
  switch (k)
    {
    case K_BOOL:
      return TESS_COLUMN_BOOL;
    case K_INT:
      return TESS_COLUMN_INT64;
    case K_DOUBLE:
      return TESS_COLUMN_DOUBLE;
    case K_DATE:
      return TESS_COLUMN_DATE;
    case K_TIMESTAMP:
      return TESS_COLUMN_TIMESTAMP;
    default:
      return TESS_COLUMN_STRING;
    }
}

TessFrame *
tess_json_read (const char *data, gsize length, TessJsonLayout layout, GCancellable *cancellable, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GPtrArray) columns = NULL;
  g_autoptr (GString) widened = NULL;
  gsize n_too_big = 0;
  Acc acc = { 0 };
  JsonNode *root = NULL;
  gboolean ndjson, stream = FALSE;
  TessFrame *frame = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    data += 3, length -= 3;
  if (!scan_text (data, length, &n_too_big, NULL, error))
    return NULL;
  if (!g_utf8_validate_len (data, length, NULL))
    {
      const char *bad;
      gsize line = 1;
      const char *line_start = data;
      g_utf8_validate_len (data, length, &bad);
      for (const char *c = data; c < bad; c++)
        if (*c == '\n')
          line++, line_start = c + 1;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ": the text is not valid UTF-8", line,
                   (gsize) g_utf8_strlen (line_start, bad - line_start) + 1);
      return NULL;
    }
  if (n_too_big > 0)
    {
      /* Error positions after a widened literal on its line are off by two
       * columns each: a small price for a rare case. */
      widened = g_string_sized_new (length + 2 * n_too_big + 1);
      scan_text (data, length, &n_too_big, widened, NULL);
      data = widened->str;
      length = widened->len;
    }
  ndjson = layout == TESS_JSON_NDJSON || (layout == TESS_JSON_AUTO && looks_like_ndjson (data, length));
  if (!ndjson && (layout == TESS_JSON_ARRAY_STREAM || (layout == TESS_JSON_AUTO && length > STREAM_THRESHOLD)))
    {
      /* a large array is streamed; a large object of columns still needs the tree */
      const char *p = data;
      while (p < data + length && g_ascii_isspace (*p))
        p++;
      stream = layout == TESS_JSON_ARRAY_STREAM || (p < data + length && *p == '[');
    }

  if (!ndjson && !stream)
    {
      g_autoptr (GError) local = NULL;
      parser = json_parser_new_immutable ();
      if (!json_parser_load_from_data (parser, data, length, &local))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Invalid JSON: %s", local->message);
          return NULL;
        }
      root = json_parser_get_root (parser);
      if (root == NULL)
        return tess_frame_new (NULL, 0, error);
    }

  acc.by_name = g_hash_table_new (g_str_hash, g_str_equal);
  acc.cols = g_ptr_array_new_with_free_func ((GDestroyNotify) col_free);
  for (int pass = 0; pass < 2; pass++)
    {
      acc.fill = pass == 1;
      if (acc.fill && !check_table_size (&acc, error))
        goto out;
      acc.row = 0;
      if (acc.fill)
        for (guint i = 0; i < acc.cols->len; i++)
          {
            Col *col = acc.cols->pdata[i];
            col->builder = tess_column_builder_new (col->name, kind_to_type (col->kind), 0);
          }
      if (ndjson   ? !parse_ndjson (&acc, data, length, cancellable, error)
          : stream ? !parse_stream (&acc, data, length, cancellable, error)
                   : !parse_document (&acc, root, error))
        goto out;
    }

  columns = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_column_unref);
  for (guint i = 0; i < acc.cols->len; i++)
    {
      Col *col = acc.cols->pdata[i];
      while (col->filled < acc.row)
        {
          tess_column_builder_append_null (col->builder);
          col->filled++;
        }
      g_ptr_array_add (columns, tess_column_builder_finish (g_steal_pointer (&col->builder)));
    }
  frame = tess_frame_new ((TessColumn **) columns->pdata, columns->len, error);

out:
  g_hash_table_unref (acc.by_name);
  g_ptr_array_unref (acc.cols);
  return frame;
}
