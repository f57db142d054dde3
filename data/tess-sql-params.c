/* tess-sql-params.c: values bound to a statement's parameters
 * (tess-sql.h, "Values are always bound parameters").
 *
 * A GVariant tuple becomes libpq's arrays of type OIDs and texts: every value
 * travels apart from the SQL, in its type's input syntax. Text is sent with
 * no type (0), so that the server gives it the type of where $n stands, as
 * it would a literal; numbers and booleans carry theirs, so that $1 + 1 is
 * arithmetic; arrays of text are array literals with every element quoted.
 */
#include "tess-sql-private.h"

#include <math.h>
#include <string.h>

void
tess_sql_params_clear (TessSqlParams *set)
{
  for (guint i = 0; i < set->n; i++)
    g_free (set->values[i]);
  g_free (set->values);
  g_free (set->types);
  memset (set, 0, sizeof *set);
}

static const struct
{
  const char *name;
  Oid oid;
} sql_types[] = {
  { "bool", 16 },
  { "boolean", 16 },
  { "bytea", 17 },
  { "int8", 20 },
  { "bigint", 20 },
  { "int2", 21 },
  { "smallint", 21 },
  { "int4", 23 },
  { "int", 23 },
  { "integer", 23 },
  { "text", 25 },
  { "oid", 26 },
  { "json", 114 },
  { "float4", 700 },
  { "real", 700 },
  { "float8", 701 },
  { "double precision", 701 },
  { "inet", 869 },
  { "cidr", 650 },
  { "bpchar", 1042 },
  { "char", 1042 },
  { "varchar", 1043 },
  { "character varying", 1043 },
  { "date", 1082 },
  { "time", 1083 },
  { "timestamp", 1114 },
  { "timestamp without time zone", 1114 },
  { "timestamptz", 1184 },
  { "timestamp with time zone", 1184 },
  { "interval", 1186 },
  { "timetz", 1266 },
  { "numeric", 1700 },
  { "decimal", 1700 },
  { "uuid", 2950 },
  { "jsonb", 3802 },
  { "bool[]", 1000 },
  { "int2[]", 1005 },
  { "int4[]", 1007 },
  { "text[]", 1009 },
  { "varchar[]", 1015 },
  { "int8[]", 1016 },
  { "float4[]", 1021 },
  { "float8[]", 1022 },
  { "date[]", 1182 },
  { "timestamp[]", 1115 },
  { "timestamptz[]", 1185 },
  { "numeric[]", 1231 },
  { "uuid[]", 2951 },
};

static char *
format_double (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "Infinity" : "-Infinity");
  return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value));
}

/* An array literal, {"a","b"}: every element quoted, so that commas, braces,
 * quotes and the word NULL stay text. */
static char *
format_array (GVariant *array)
{
  GString *out = g_string_new ("{");
  gsize n = g_variant_n_children (array);
  char element_type = g_variant_get_type_string (array)[1];

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (array, i);
      if (i)
        g_string_append_c (out, ',');
      switch (element_type)
        {
        case 's':
          g_string_append_c (out, '"');
          for (const char *p = g_variant_get_string (child, NULL); *p; p++)
            {
              if (*p == '"' || *p == '\\')
                g_string_append_c (out, '\\');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
          break;
        case 'd':
          {
            g_autofree char *text = format_double (g_variant_get_double (child));
            g_string_append (out, text);
          }
          break;
        case 'b':
          g_string_append (out, g_variant_get_boolean (child) ? "t" : "f");
          break;
        case 'x':
          g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (child));
          break;
        case 'i':
          g_string_append_printf (out, "%" G_GINT32_FORMAT, g_variant_get_int32 (child));
          break;
        case 'u':
          g_string_append_printf (out, "%" G_GUINT32_FORMAT, g_variant_get_uint32 (child));
          break;
        case 'n':
          g_string_append_printf (out, "%d", g_variant_get_int16 (child));
          break;
        case 'q':
          g_string_append_printf (out, "%u", g_variant_get_uint16 (child));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static gboolean
bind_value (GVariant *value, guint index, Oid *type, char **text, GError **error)
{
  const char *signature = g_variant_get_type_string (value);

  switch (signature[0])
    {
    case 's':
    case 'o':
    case 'g':
      {
        const char *s = g_variant_get_string (value, NULL);
        if (!g_utf8_validate (s, -1, NULL))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "Parameter $%u is not valid UTF-8 text; databases read UTF-8 from Tessera", index);
            return FALSE;
          }
        /* unknown: the server gives it the type where it stands */
        *type = 0;
        *text = g_strdup (s);
        return TRUE;
      }
    case 'x':
      *type = TESS_SQL_OID_INT8;
      *text = g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      return TRUE;
    case 'i':
      *type = TESS_SQL_OID_INT8;
      *text = g_strdup_printf ("%" G_GINT32_FORMAT, g_variant_get_int32 (value));
      return TRUE;
    case 'u':
      *type = TESS_SQL_OID_INT8;
      *text = g_strdup_printf ("%" G_GUINT32_FORMAT, g_variant_get_uint32 (value));
      return TRUE;
    case 'n':
      *type = TESS_SQL_OID_INT8;
      *text = g_strdup_printf ("%d", g_variant_get_int16 (value));
      return TRUE;
    case 'q':
      *type = TESS_SQL_OID_INT8;
      *text = g_strdup_printf ("%u", g_variant_get_uint16 (value));
      return TRUE;
    case 'y':
      *type = TESS_SQL_OID_INT8;
      *text = g_strdup_printf ("%u", g_variant_get_byte (value));
      return TRUE;
    case 't':
      if (g_variant_get_uint64 (value) > G_MAXINT64)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Parameter $%u, %" G_GUINT64_FORMAT ", is larger than a database integer (int8) holds", index,
                       g_variant_get_uint64 (value));
          return FALSE;
        }
      *type = TESS_SQL_OID_INT8;
      *text = g_strdup_printf ("%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      return TRUE;
    case 'd':
      *type = TESS_SQL_OID_FLOAT8;
      *text = format_double (g_variant_get_double (value));
      return TRUE;
    case 'b':
      *type = TESS_SQL_OID_BOOL;
      *text = g_strdup (g_variant_get_boolean (value) ? "t" : "f");
      return TRUE;
    case 'v':
      {
        g_autoptr (GVariant) inner = g_variant_get_variant (value);
        return bind_value (inner, index, type, text, error);
      }
    case 'm':
      {
        g_autoptr (GVariant) inner = g_variant_get_maybe (value);
        if (inner)
          return bind_value (inner, index, type, text, error);
        *type = 0;
        *text = NULL;
        return TRUE;
      }
    case 'a':
      if (g_str_equal (signature, "as"))
        {
          for (gsize i = 0; i < g_variant_n_children (value); i++)
            {
              g_autoptr (GVariant) child = g_variant_get_child_value (value, i);
              if (!g_utf8_validate (g_variant_get_string (child, NULL), -1, NULL))
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Parameter $%u holds text that is not valid UTF-8; databases read UTF-8 from Tessera",
                               index);
                  return FALSE;
                }
            }
          /* unknown: `col = ANY ($1)` makes it an array of the column's type */
          *type = 0;
          *text = format_array (value);
          return TRUE;
        }
      if (strchr ("xiunq", signature[1]) && signature[2] == '\0')
        {
          *type = TESS_SQL_OID_INT8_ARRAY;
          *text = format_array (value);
          return TRUE;
        }
      if (g_str_equal (signature, "ad") || g_str_equal (signature, "ab"))
        {
          *type = signature[1] == 'd' ? TESS_SQL_OID_FLOAT8_ARRAY : TESS_SQL_OID_BOOL_ARRAY;
          *text = format_array (value);
          return TRUE;
        }
      break;
    case '{':
      if (g_str_equal (signature, "{sv}"))
        {
          g_autofree char *type_name = NULL;
          g_autoptr (GVariant) inner = NULL;
          char *lower;

          g_variant_get (value, "{sv}", &type_name, &inner);
          lower = g_ascii_strdown (type_name, -1);
          for (guint i = 0; i < G_N_ELEMENTS (sql_types); i++)
            if (g_str_equal (lower, sql_types[i].name))
              {
                g_free (lower);
                if (!g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING))
                  {
                    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 "Parameter $%u, of type %s, is written as text (a string), not %s", index, type_name,
                                 g_variant_get_type_string (inner));
                    return FALSE;
                  }
                if (!g_utf8_validate (g_variant_get_string (inner, NULL), -1, NULL))
                  {
                    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 "Parameter $%u is not valid UTF-8 text; databases read UTF-8 from Tessera", index);
                    return FALSE;
                  }
                *type = sql_types[i].oid;
                *text = g_variant_dup_string (inner, NULL);
                return TRUE;
              }
          g_free (lower);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Parameter $%u has the type “%s”, which Tessera does not bind; use date, timestamp, "
                       "timestamptz, time, interval, numeric, int4, int8, float8, text, uuid, json, jsonb or an array "
                       "of one of them (date[])",
                       index, type_name);
          return FALSE;
        }
      break;
    default:
      break;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "Parameter $%u is a GVariant of type %s; a parameter is a string, a number, a boolean, an array of "
               "strings or numbers, nothing (NULL) or tess_sql_param_typed()",
               index, signature);
  return FALSE;
}

gboolean
tess_sql_params_init (TessSqlParams *set, GVariant *params, GError **error)
{
  memset (set, 0, sizeof *set);
  if (params == NULL)
    return TRUE;
  if (!g_variant_is_of_type (params, G_VARIANT_TYPE_TUPLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The parameters of a query are a tuple, such as (\"north\", 2024) for $1 and $2, not a GVariant of "
                   "type %s",
                   g_variant_get_type_string (params));
      return FALSE;
    }
  set->n = g_variant_n_children (params);
  set->types = g_new0 (Oid, MAX (set->n, 1));
  set->values = g_new0 (char *, MAX (set->n, 1));
  for (guint i = 0; i < set->n; i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (params, i);
      if (!bind_value (child, i + 1, &set->types[i], &set->values[i], error))
        {
          tess_sql_params_clear (set);
          return FALSE;
        }
    }
  return TRUE;
}

GVariant *
tess_sql_param_typed (const char *type_name, const char *text)
{
  g_return_val_if_fail (type_name != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  return g_variant_new ("{sv}", type_name, g_variant_new_string (text));
}

GVariant *
tess_sql_param_date (const char *iso_date)
{
  g_return_val_if_fail (iso_date != NULL, NULL);
  return tess_sql_param_typed ("date", iso_date);
}
