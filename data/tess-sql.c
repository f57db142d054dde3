/* tess-sql.c: queries on databases that speak the PostgreSQL protocol
 * (tess-sql.h).
 *
 * A source is read once per call: its URI through libpq's own
 * PQconninfoParse() into keywords (Tessera's ?table= and ?query= taken out
 * first), to which Tessera adds its own (UTF-8, read-only sessions, ISO
 * dates, the statement timeout). A query is a cache job
 * (tess-cache-private.h) keyed by the source, the SQL and the parameter
 * values; its finish stage runs on one waiting worker, which takes a
 * connection from the source's pool (tess-sql-pool.c), sends the statement
 * with PQsendQueryParams() and every value bound, and streams the rows, one
 * PGresult at a time (a chunk at a time with libpq 17), into column
 * builders chosen by each column's type OID. The worker polls the socket and
 * the job's cancellable together: a cancelled job hands the connection to
 * the pool, which cancels the statement on the server.
 */
#include "tess-sql-private.h"

#include "tess-cache-private.h"
#include "tess-frame-private.h"
#include "tess-memory.h"

#include <math.h>
#include <poll.h>
#include <string.h>

/* Rows are charged to the memory budget in steps of this many bytes. */
#define CHARGE_STEP (1024 * 1024)
/* Progress and cancellation are looked at every this many rows. */
#define ROW_CHECK_INTERVAL 4096
/* Rows per result with libpq 17's chunked mode. */
#define CHUNK_ROWS 1024

/* Type OIDs (pg_type.dat); stable across PostgreSQL versions and engines. */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_DATE 1082
#define OID_TIMESTAMP 1114
#define OID_TIMESTAMPTZ 1184
#define OID_NUMERIC 1700
#define OID_BOOL_ARRAY 1000
#define OID_INT8_ARRAY 1016
#define OID_FLOAT8_ARRAY 1022

/* Secrets */

void
tess_sql_wipe_string (char *secret)
{
  if (secret)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

char *
tess_sql_expand_env (const char *value, const char *what, GError **error)
{
  GString *out = g_string_new (NULL);
  const char *p = value;

  while (*p)
    {
      const char *start = strstr (p, "${env:");
      const char *end;
      g_autofree char *name = NULL;
      const char *env;

      if (start == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, start - p);
      end = strchr (start, '}');
      if (end == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s has “${env:” without a closing “}”", what);
          tess_sql_wipe_string (g_string_free (out, FALSE));
          return NULL;
        }
      name = g_strndup (start + 6, end - start - 6);
      env = g_getenv (name);
      if (env == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "%s needs the environment variable %s, which is not set", what, name);
          tess_sql_wipe_string (g_string_free (out, FALSE));
          return NULL;
        }
      g_string_append (out, env);
      p = end + 1;
    }
  return g_string_free (out, FALSE);
}

/* Sources */

gboolean
tess_sql_uri_is_database (const char *uri)
{
  g_return_val_if_fail (uri != NULL, FALSE);
  return g_ascii_strncasecmp (uri, "postgresql://", 13) == 0 || g_ascii_strncasecmp (uri, "postgres://", 11) == 0;
}

/* Splits Tessera's ?table= and ?query= off @uri; what remains is a URI for
 * libpq. Values are percent-decoded, as libpq decodes its own. */
static gboolean
split_uri (const char *uri, char **libpq_uri, char **table, char **query, GError **error)
{
  const char *question = strchr (uri, '?');
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) rest = NULL;

  *table = NULL;
  *query = NULL;
  if (question == NULL)
    {
      *libpq_uri = g_strdup (uri);
      return TRUE;
    }
  rest = g_string_new_len (uri, question - uri);
  parts = g_strsplit (question + 1, "&", -1);
  for (guint i = 0, kept = 0; parts[i]; i++)
    {
      const char *equals = strchr (parts[i], '=');
      g_autofree char *key = g_uri_unescape_segment (parts[i], equals, NULL);
      char **slot = NULL;

      if (key && g_str_equal (key, "table"))
        slot = table;
      else if (key && g_str_equal (key, "query"))
        slot = query;
      if (slot == NULL)
        {
          g_string_append_c (rest, kept++ ? '&' : '?');
          g_string_append (rest, parts[i]);
          continue;
        }
      if (*slot != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” gives ?%s= twice; give it once", uri, key);
          g_clear_pointer (table, g_free);
          g_clear_pointer (query, g_free);
          return FALSE;
        }
      *slot = equals ? g_uri_unescape_string (equals + 1, NULL) : NULL;
      if (*slot == NULL || **slot == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s” has an empty or badly escaped ?%s=; write it URI-escaped, %%20 for a space", uri, key);
          g_clear_pointer (table, g_free);
          g_clear_pointer (query, g_free);
          return FALSE;
        }
    }
  if (*table && *query)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” gives both ?table= and ?query=; a source reads one or the other", uri);
      g_clear_pointer (table, g_free);
      g_clear_pointer (query, g_free);
      return FALSE;
    }
  *libpq_uri = g_string_free (g_steal_pointer (&rest), FALSE);
  return TRUE;
}

static const char *
conninfo_value (PQconninfoOption *options, const char *keyword)
{
  for (PQconninfoOption *o = options; o->keyword; o++)
    if (g_str_equal (o->keyword, keyword))
      return o->val;
  return NULL;
}

/* Reads @uri with libpq: the options (free with PQconninfoFree) and
 * Tessera's table and query. Refuses passwords. */
static PQconninfoOption *
parse_uri (const char *uri, char **table, char **query, GError **error)
{
  g_autofree char *libpq_uri = NULL;
  g_autofree char *table_value = NULL;
  g_autofree char *query_value = NULL;
  PQconninfoOption *options;
  char *reason = NULL;

  if (!tess_sql_uri_is_database (uri))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a database address; it starts with postgresql:// or postgres://", uri);
      return NULL;
    }
  if (!split_uri (uri, &libpq_uri, &table_value, &query_value, error))
    return NULL;
  options = PQconninfoParse (libpq_uri, &reason);
  if (options == NULL)
    {
      g_autofree char *clean = g_strstrip (g_strdup (reason ? reason : "out of memory"));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not a database address libpq reads: %s",
                   uri, clean);
      PQfreemem (reason);
      return NULL;
    }
  if (conninfo_value (options, "password") || conninfo_value (options, "sslpassword"))
    {
      const char *const names[] = { "dbname", "user", "host" };
      const char *const labels[] = { "database", "user", "host" };
      g_autoptr (GString) which = g_string_new (NULL);

      /* the message quotes neither the URI nor the password */
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (conninfo_value (options, names[i]))
          g_string_append_printf (which, "%s%s %s", which->len ? ", " : " (", labels[i],
                                  conninfo_value (options, names[i]));
      if (which->len)
        g_string_append_c (which, ')');
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "A database address%s holds a password, and passwords never go in an address: put it in a "
                   "password file (PGPASSFILE or ~/.pgpass) or a service file (service=NAME), or give it as "
                   "${env:NAME} in a local document",
                   which->str);
      PQconninfoFree (options);
      return NULL;
    }
  *table = g_steal_pointer (&table_value);
  *query = g_steal_pointer (&query_value);
  return options;
}

/* The host names a connection may reach: "localhost" for a Unix socket. */
static void
add_hosts (GPtrArray *hosts, const char *list)
{
  g_auto (GStrv) items = g_strsplit (list, ",", -1);

  for (guint i = 0; items[i]; i++)
    {
      const char *item = g_strstrip (items[i]);
      if (*item == '\0' || *item == '/' || *item == '@')
        g_ptr_array_add (hosts, g_strdup ("localhost"));
      else
        g_ptr_array_add (hosts, g_ascii_strdown (item, -1));
    }
}

gboolean
tess_sql_uri_get_reach (const char *uri, char ***hosts, char **local_keyword, GError **error)
{
  /* What a dashboard from the network may set: everything else names files
   * of this computer (service, passfile, the ssl files) or changes what the
   * session may do (options). */
  static const char *const remote_keywords[] = {
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "application_name",
    "fallback_application_name",
    "client_encoding",
    "connect_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "sslmode",
    "sslnegotiation",
    "sslcompression",
    "sslsni",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "channel_binding",
    "require_auth",
    "gssencmode",
    "gssdelegation",
    "krbsrvname",
    "gsslib",
    "target_session_attrs",
    "load_balance_hosts",
    "replication",
    NULL,
  };
  g_autofree char *table = NULL;
  g_autofree char *query = NULL;
  PQconninfoOption *options;
  GPtrArray *names;
  const char *host;
  const char *hostaddr;

  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (hosts != NULL && local_keyword != NULL, FALSE);

  options = parse_uri (uri, &table, &query, error);
  if (options == NULL)
    return FALSE;
  *local_keyword = NULL;
  for (PQconninfoOption *o = options; o->keyword && *local_keyword == NULL; o++)
    if (o->val && !g_strv_contains (remote_keywords, o->keyword))
      *local_keyword = g_strdup (o->keyword);
  names = g_ptr_array_new ();
  host = conninfo_value (options, "host");
  if (host == NULL || *host == '\0')
    host = g_getenv ("PGHOST");
  add_hosts (names, host && *host ? host : "");
  hostaddr = conninfo_value (options, "hostaddr");
  if (hostaddr == NULL || *hostaddr == '\0')
    hostaddr = g_getenv ("PGHOSTADDR");
  if (hostaddr && *hostaddr)
    add_hosts (names, hostaddr);
  g_ptr_array_add (names, NULL);
  *hosts = (char **) g_ptr_array_free (names, FALSE);
  PQconninfoFree (options);
  return TRUE;
}

static void
options_init (TessSqlOptions *owned, const TessSqlOptions *options)
{
  static const TessSqlOptions defaults = { 0 };

  *owned = options ? *options : defaults;
  if (owned->row_limit == 0)
    owned->row_limit = TESS_SQL_DEFAULT_ROW_LIMIT;
  if (owned->connect_timeout <= 0)
    owned->connect_timeout = TESS_SQL_DEFAULT_CONNECT_TIMEOUT;
  if (owned->idle_timeout <= 0)
    owned->idle_timeout = TESS_SQL_DEFAULT_IDLE_TIMEOUT;
  if (owned->max_connections == 0)
    owned->max_connections = TESS_SQL_DEFAULT_MAX_CONNECTIONS;
  if (owned->statement_timeout < 0)
    owned->statement_timeout = 0;
  if (owned->trust)
    g_object_ref (owned->trust);
  owned->password = g_strdup (owned->password);
}

void
tess_sql_source_free (TessSqlSource *source)
{
  if (source == NULL)
    return;
  g_free (source->uri);
  g_free (source->table);
  g_free (source->query);
  g_strfreev (source->keywords);
  g_strfreev (source->values);
  g_clear_object (&source->options.trust);
  tess_sql_wipe_string ((char *) source->options.password);
  g_free (source->pool_key);
  g_free (source);
}

TessSqlSource *
tess_sql_source_new (const char *uri, const TessSqlOptions *options, GError **error)
{
  g_autoptr (TessSqlSource) source = NULL;
  g_autoptr (GPtrArray) keywords = g_ptr_array_new ();
  g_autoptr (GPtrArray) values = g_ptr_array_new ();
  g_autoptr (GString) key = g_string_new ("pg");
  g_autoptr (GString) session = g_string_new (NULL);
  PQconninfoOption *conninfo;

  if (options && options->trust && !tess_trust_check_uri (options->trust, uri, error))
    return NULL;
  source = g_new0 (TessSqlSource, 1);
  conninfo = parse_uri (uri, &source->table, &source->query, error);
  if (conninfo == NULL)
    return NULL;
  source->uri = g_strdup (uri);
  options_init (&source->options, options);

  /* Every session reads UTF-8 (frames hold UTF-8), writes dates as ISO
   * 8601 and doubles exactly, is read-only and has the statement timeout.
   * Tessera's settings follow the URI's own options, so they win. */
  for (PQconninfoOption *o = conninfo; o->keyword; o++)
    {
      if (o->val == NULL || g_str_equal (o->keyword, "client_encoding"))
        continue;
      if (g_str_equal (o->keyword, "options"))
        {
          g_string_append (session, o->val);
          continue;
        }
      g_ptr_array_add (keywords, g_strdup (o->keyword));
      g_ptr_array_add (values, g_strdup (o->val));
    }
  g_string_append (session, " -c default_transaction_read_only=on -c DateStyle=ISO -c extra_float_digits=3");
  if (source->options.statement_timeout > 0)
    g_string_append_printf (session, " -c statement_timeout=%" G_GINT64_FORMAT,
                            (gint64) MAX (1, source->options.statement_timeout * 1000));
  g_ptr_array_add (keywords, g_strdup ("options"));
  g_ptr_array_add (values, g_strdup (g_strstrip (session->str)));
  g_ptr_array_add (keywords, g_strdup ("client_encoding"));
  g_ptr_array_add (values, g_strdup ("UTF8"));
  if (conninfo_value (conninfo, "fallback_application_name") == NULL)
    {
      g_ptr_array_add (keywords, g_strdup ("fallback_application_name"));
      g_ptr_array_add (values, g_strdup ("Tessera"));
    }
  PQconninfoFree (conninfo);
  for (guint i = 0; i < keywords->len; i++)
    g_string_append_printf (key, "\x1f%s=%s", (char *) keywords->pdata[i], (char *) values->pdata[i]);
  g_string_append_printf (key, "\x1fmax=%u\x1fidle=%g", source->options.max_connections, source->options.idle_timeout);
  if (source->options.password)
    {
      /* connections made with another password are not interchangeable;
       * the key holds only a digest of the template */
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, source->options.password, -1);
      g_string_append_printf (key, "\x1fpassword=%s", digest);
    }
  g_ptr_array_add (keywords, NULL);
  g_ptr_array_add (values, NULL);
  source->keywords = (char **) g_ptr_array_free (g_steal_pointer (&keywords), FALSE);
  source->values = (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  source->pool_key = g_string_free (g_steal_pointer (&key), FALSE);
  return g_steal_pointer (&source);
}

/* Parameters */

typedef struct
{
  guint n;
  Oid *types;
  char **values; /* NULL entries are SQL NULL */
} ParamSet;

static void
param_set_clear (ParamSet *set)
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
      *type = OID_INT8;
      *text = g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      return TRUE;
    case 'i':
      *type = OID_INT8;
      *text = g_strdup_printf ("%" G_GINT32_FORMAT, g_variant_get_int32 (value));
      return TRUE;
    case 'u':
      *type = OID_INT8;
      *text = g_strdup_printf ("%" G_GUINT32_FORMAT, g_variant_get_uint32 (value));
      return TRUE;
    case 'n':
      *type = OID_INT8;
      *text = g_strdup_printf ("%d", g_variant_get_int16 (value));
      return TRUE;
    case 'q':
      *type = OID_INT8;
      *text = g_strdup_printf ("%u", g_variant_get_uint16 (value));
      return TRUE;
    case 'y':
      *type = OID_INT8;
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
      *type = OID_INT8;
      *text = g_strdup_printf ("%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      return TRUE;
    case 'd':
      *type = OID_FLOAT8;
      *text = format_double (g_variant_get_double (value));
      return TRUE;
    case 'b':
      *type = OID_BOOL;
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
          *type = OID_INT8_ARRAY;
          *text = format_array (value);
          return TRUE;
        }
      if (g_str_equal (signature, "ad") || g_str_equal (signature, "ab"))
        {
          *type = signature[1] == 'd' ? OID_FLOAT8_ARRAY : OID_BOOL_ARRAY;
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

static gboolean
param_set_init (ParamSet *set, GVariant *params, GError **error)
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
          param_set_clear (set);
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

/* Reading values as the server writes them (DateStyle ISO) */

static gboolean
parse_int64 (const char *s, gint64 *out)
{
  gboolean negative = *s == '-';
  const char *p = s + (*s == '-' || *s == '+');
  guint64 v = 0;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      guint digit = *p - '0';
      if (v > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      v = v * 10 + digit;
    }
  if (*p)
    return FALSE;
  if (negative)
    {
      if (v > (guint64) G_MAXINT64 + 1)
        return FALSE;
      *out = v == 0 ? 0 : -(gint64) (v - 1) - 1;
    }
  else
    {
      if (v > G_MAXINT64)
        return FALSE;
      *out = (gint64) v;
    }
  return TRUE;
}

static gboolean
read_digits (const char **p, guint count, guint *value)
{
  *value = 0;
  for (guint i = 0; i < count; i++, (*p)++)
    {
      if (!g_ascii_isdigit (**p))
        return FALSE;
      *value = *value * 10 + (**p - '0');
    }
  return TRUE;
}

/* "2024-01-31" (a year of four digits or more), at *@p; the era is read by
 * the caller. */
static gboolean
read_date (const char **p, gint64 *year, guint *month, guint *day)
{
  gint64 y = 0;
  guint digits = 0;

  while (g_ascii_isdigit (**p) && digits < 9)
    {
      y = y * 10 + (**p - '0');
      (*p)++;
      digits++;
    }
  if (digits < 4 || **p != '-')
    return FALSE;
  (*p)++;
  if (!read_digits (p, 2, month) || **p != '-')
    return FALSE;
  (*p)++;
  if (!read_digits (p, 2, day))
    return FALSE;
  *year = y;
  return *month >= 1 && *month <= 12 && *day >= 1 && *day <= 31;
}

/* " BC" at the end: year 1 BC is year 0 of the proleptic calendar. */
static gboolean
read_era (const char *p, gint64 *year)
{
  if (g_str_equal (p, " BC"))
    {
      *year = 1 - *year;
      return TRUE;
    }
  return *p == '\0';
}

static gboolean
parse_date (const char *s, gint32 *days)
{
  const char *p = s;
  gint64 year, value;
  guint month, day;

  /* "infinity" and "-infinity" have no day: they read as null */
  if (!read_date (&p, &year, &month, &day))
    return FALSE;
  if (!read_era (p, &year))
    return FALSE;
  value = tess_days_from_civil (year, month, day);
  if (value < G_MININT32 || value > G_MAXINT32)
    return FALSE;
  *days = (gint32) value;
  return TRUE;
}

/* "2024-01-31 13:45:00", "…:00.25", "…:00+01", "…:00+05:30", "… BC". */
static gboolean
parse_timestamp (const char *s, gint64 *usec)
{
  const char *p = s;
  gint64 year, days;
  guint month, day, hour, minute, second;
  gint64 fraction = 0;
  gint64 offset = 0;

  if (!read_date (&p, &year, &month, &day) || *p++ != ' ')
    return FALSE;
  if (!read_digits (&p, 2, &hour) || *p++ != ':' || !read_digits (&p, 2, &minute) || *p++ != ':' ||
      !read_digits (&p, 2, &second))
    return FALSE;
  if (*p == '.')
    {
      gint64 scale = 100000;
      for (p++; g_ascii_isdigit (*p); p++)
        {
          fraction += (*p - '0') * scale;
          scale /= 10;
        }
    }
  if (*p == '+' || *p == '-')
    {
      int sign = *p++ == '-' ? -1 : 1;
      guint oh = 0, om = 0, os = 0;
      if (!read_digits (&p, 2, &oh))
        return FALSE;
      if (*p == ':' && (p++, !read_digits (&p, 2, &om)))
        return FALSE;
      if (*p == ':' && (p++, !read_digits (&p, 2, &os)))
        return FALSE;
      offset = sign * (gint64) (oh * 3600 + om * 60 + os);
    }
  if (!read_era (p, &year))
    return FALSE;
  days = tess_days_from_civil (year, month, day);
  /* the range of gint64 microseconds: about 292,000 years either way */
  if (days > 106000000 || days < -106000000)
    return FALSE;
  *usec = ((days * 86400 + hour * 3600 + minute * 60 + second) - offset) * G_USEC_PER_SEC + fraction;
  return TRUE;
}

/* Streaming rows into frames */

typedef enum
{
  KIND_BOOL,
  KIND_INT,
  KIND_FLOAT,
  KIND_TEXT,
  KIND_DATE,
  KIND_TIMESTAMP,
} Kind;

typedef struct
{
  TessColumnBuilder *builder;
  Kind kind;
  char *server_name; /* as the server wrote it */
} ReaderColumn;

typedef struct
{
  const char *uri;
  ReaderColumn *columns;
  int n_columns;
  guint64 n_rows;
  guint64 charged; /* bytes of the memory budget the rows hold */
  guint64 pending; /* bytes read but not charged yet */
} Reader;

static Kind
kind_for_oid (Oid oid, TessColumnType *type)
{
  switch (oid)
    {
    case OID_BOOL:
      *type = TESS_COLUMN_BOOL;
      return KIND_BOOL;
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
      *type = TESS_COLUMN_INT64;
      return KIND_INT;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
      *type = TESS_COLUMN_DOUBLE;
      return KIND_FLOAT;
    case OID_DATE:
      *type = TESS_COLUMN_DATE;
      return KIND_DATE;
    case OID_TIMESTAMP:
    case OID_TIMESTAMPTZ:
      *type = TESS_COLUMN_TIMESTAMP;
      return KIND_TIMESTAMP;
    default:
      *type = TESS_COLUMN_STRING;
      return KIND_TEXT;
    }
}

/* A name as a frame may show it: no line breaks or control characters. */
static char *
display_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p; p++)
    {
      if (*p == '\n' || *p == '\r' || *p == '\t')
        g_string_append_c (out, ' ');
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append (out, "\xef\xbf\xbd");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* The columns of @result, named uniquely (count, count_2...): a query may
 * name two columns alike, a frame may not. */
static void
reader_init (Reader *reader, const PGresult *result)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  reader->n_columns = PQnfields (result);
  reader->columns = g_new0 (ReaderColumn, MAX (reader->n_columns, 1));
  for (int c = 0; c < reader->n_columns; c++)
    {
      g_autofree char *base = display_name (PQfname (result, c));
      char *name = g_strdup (base);
      TessColumnType type;

      for (guint k = 2; g_hash_table_contains (seen, name); k++)
        {
          g_free (name);
          name = g_strdup_printf ("%s_%u", base, k);
        }
      g_hash_table_add (seen, name);
      reader->columns[c].kind = kind_for_oid (PQftype (result, c), &type);
      reader->columns[c].builder = tess_column_builder_new (name, type, 0);
      reader->columns[c].server_name = g_strdup (PQfname (result, c));
    }
}

static void
reader_clear (Reader *reader)
{
  for (int c = 0; c < reader->n_columns; c++)
    {
      tess_column_builder_free (reader->columns[c].builder);
      g_free (reader->columns[c].server_name);
    }
  g_clear_pointer (&reader->columns, g_free);
  reader->n_columns = 0;
  tess_memory_release (reader->charged);
  reader->charged = 0;
}

/* Charges the rows read so far; when they do not fit, frames kept only for
 * later runs are given back first. */
static gboolean
reader_charge (Reader *reader, GError **error)
{
  if (!tess_memory_charge (reader->pending, reader->uri, NULL))
    {
      tess_cache_clear ();
      if (!tess_memory_charge (reader->pending, reader->uri, error))
        return FALSE;
    }
  reader->charged += reader->pending;
  reader->pending = 0;
  return TRUE;
}

static gboolean
reader_append_row (Reader *reader, const PGresult *result, int row, GError **error)
{
  gsize bytes = 0;

  for (int c = 0; c < reader->n_columns; c++)
    {
      ReaderColumn *column = &reader->columns[c];
      TessColumnBuilder *builder = column->builder;
      const char *value;
      gint64 integer;
      gint32 days;
      double number;

      bytes += builder->elem_size;
      if (PQgetisnull (result, row, c))
        {
          tess_column_builder_append_null (builder);
          continue;
        }
      value = PQgetvalue (result, row, c);
      switch (column->kind)
        {
        case KIND_BOOL:
          tess_column_builder_append_bool (builder, value[0] == 't');
          break;
        case KIND_INT:
          if (parse_int64 (value, &integer))
            tess_column_builder_append_int64_fast (builder, integer);
          else
            tess_column_builder_append_null (builder);
          break;
        case KIND_FLOAT:
          /* NaN, of float8 or numeric, reads as null */
          number = g_ascii_strtod (value, NULL);
          if (isnan (number))
            tess_column_builder_append_null (builder);
          else
            tess_column_builder_append_double_fast (builder, number);
          break;
        case KIND_DATE:
          if (parse_date (value, &days))
            tess_column_builder_append_date_fast (builder, days);
          else
            tess_column_builder_append_null (builder);
          break;
        case KIND_TIMESTAMP:
          if (parse_timestamp (value, &integer))
            tess_column_builder_append_int64_fast (builder, integer);
          else
            tess_column_builder_append_null (builder);
          break;
        case KIND_TEXT:
        default:
          {
            int length = PQgetlength (result, row, c);
            tess_column_builder_append_string_fast (builder, value, length);
            bytes += length + 1;
          }
          break;
        }
    }
  reader->n_rows++;
  reader->pending += bytes;
  return reader->pending < CHARGE_STEP || reader_charge (reader, error);
}

/* The frame of the rows read; the reader is emptied. */
static TessFrame *
reader_finish (Reader *reader, GError **error)
{
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_column_unref);
  TessFrame *frame;

  for (int c = 0; c < reader->n_columns; c++)
    {
      g_ptr_array_add (columns, tess_column_builder_finish (reader->columns[c].builder));
      reader->columns[c].builder = NULL;
    }
  frame = tess_frame_new ((TessColumn *const *) columns->pdata, columns->len, error);
  reader_clear (reader);
  if (frame)
    tess_frame_charge_memory (frame);
  return frame;
}

/* Statements */

typedef struct
{
  const char *sql;
  const ParamSet *params;
  guint64 row_limit;
  const TessSqlSource *source;
  TessCacheJob *job;    /* progress goes to its waiters; may be NULL */
  char ***server_names; /* receives the columns' names as the server wrote them; may be NULL */
} Statement;

/* What becomes of the connection once a statement has run. */
typedef enum
{
  AFTER_RELEASE, /* back to the pool, if it is fit */
  AFTER_DISCARD, /* closed */
  AFTER_ABANDON, /* the statement still runs: cancelled and drained first */
} After;

/* Line and column (counted in characters from 1) of the character at
 * @position (from 1) of @sql, and that line's text. */
static void
locate_position (const char *sql, long position, int *line, int *column, char **line_text)
{
  const char *line_start = sql;
  const char *p = sql;
  const char *end;

  *line = 1;
  *column = 1;
  for (long i = 1; i < position && *p; i++)
    {
      if (*p == '\n')
        {
          (*line)++;
          *column = 1;
          line_start = p + 1;
        }
      else
        (*column)++;
      p = g_utf8_next_char (p);
    }
  end = line_start + strcspn (line_start, "\n");
  *line_text = g_strstrip (g_strndup (line_start, end - line_start));
}

static gboolean
is_one_of (const char *sqlstate, const char *const *codes)
{
  return sqlstate && g_strv_contains (codes, sqlstate);
}

/* The server's error, with its position in the SQL, its detail and hint. */
static void
set_result_error (GError **error, const PGresult *result, const Statement *statement)
{
  static const char *const not_found[] = { "42P01", "42703", "3F000", "42883", "42704", "3D000", NULL };
  static const char *const denied[] = { "42501", "28000", "28P01", "25006", NULL };
  const char *sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  const char *primary = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  const char *detail = PQresultErrorField (result, PG_DIAG_MESSAGE_DETAIL);
  const char *hint = PQresultErrorField (result, PG_DIAG_MESSAGE_HINT);
  const char *position = PQresultErrorField (result, PG_DIAG_STATEMENT_POSITION);
  g_autoptr (GString) message = g_string_new (NULL);
  g_autofree char *fallback = NULL;
  GIOErrorEnum code = G_IO_ERROR_FAILED;

  if (primary == NULL)
    primary = fallback = g_strstrip (g_strdup (PQresultErrorMessage (result)));
  g_string_append_printf (message, "The query on %s failed: %s", statement->source->uri, primary);
  if (position && statement->sql)
    {
      g_autofree char *line_text = NULL;
      int line, column;
      locate_position (statement->sql, strtol (position, NULL, 10), &line, &column, &line_text);
      g_string_append_printf (message, ", at line %d, column %d (“%s”)", line, column, line_text);
    }
  if (detail)
    g_string_append_printf (message, ". %s", detail);
  if (hint)
    g_string_append_printf (message, ". Hint: %s", hint);
  if (sqlstate && g_str_equal (sqlstate, "57014"))
    {
      /* not cancelled by Tessera (that ends as G_IO_ERROR_CANCELLED before
       * any result is read): the statement timeout, or an administrator */
      code = G_IO_ERROR_TIMED_OUT;
      if (statement->source->options.statement_timeout > 0)
        g_string_append_printf (message, " (the source's statement timeout is %g s)",
                                statement->source->options.statement_timeout);
    }
  else if (is_one_of (sqlstate, not_found))
    code = G_IO_ERROR_NOT_FOUND;
  else if (is_one_of (sqlstate, denied))
    {
      code = G_IO_ERROR_PERMISSION_DENIED;
      if (g_str_equal (sqlstate, "25006"))
        g_string_append (message, " (Tessera's sessions are read-only: dashboards read, never write)");
    }
  g_set_error_literal (error, G_IO_ERROR, code, message->str);
}

static void
set_connection_error (GError **error, PGconn *conn, const Statement *statement)
{
  g_autofree char *reason = g_strstrip (g_strdup (PQerrorMessage (conn)));

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "The connection to the database %s broke: %s",
               statement->source->uri, *reason ? reason : "no reason given");
}

/* Runs @statement on @connection and reads its rows. *@after says what to
 * do with the connection; *@may_retry is TRUE when the connection broke
 * before the server answered (a pooled one may have died while idle).
 * Runs on a worker thread. */
static TessFrame *
run_statement (TessSqlConnection *connection,
               const Statement *statement,
               GCancellable *cancellable,
               After *after,
               gboolean *may_retry,
               GError **error)
{
  PGconn *conn = tess_sql_connection_get_pg (connection);
  const ParamSet *params = statement->params;
  Reader reader = { statement->source->uri };
  GError *result_error = NULL;
  gboolean truncated = FALSE;
  gboolean answered = FALSE;
  gboolean stop = FALSE;
  TessFrame *frame = NULL;
  int cancel_fd = -1;

  *after = AFTER_RELEASE;
  *may_retry = FALSE;
  if (!PQsendQueryParams (conn, statement->sql, params ? (int) params->n : 0, params ? params->types : NULL,
                          params ? (const char *const *) params->values : NULL, NULL, NULL, 0))
    {
      set_connection_error (error, conn, statement);
      *after = AFTER_DISCARD;
      *may_retry = PQstatus (conn) != CONNECTION_OK;
      return NULL;
    }
#ifdef LIBPQ_HAS_CHUNK_MODE
  PQsetChunkedRowsMode (conn, CHUNK_ROWS);
#else
  PQsetSingleRowMode (conn);
#endif
  cancel_fd = g_cancellable_get_fd (cancellable);

  /* the statement and its values may not fit the socket's buffer at once */
  for (;;)
    {
      int flushed = PQflush (conn);
      int ready;

      if (flushed == 0)
        break;
      if (flushed < 0)
        {
          set_connection_error (&result_error, conn, statement);
          *after = AFTER_DISCARD;
          *may_retry = TRUE;
          goto out;
        }
      ready = tess_sql_wait (PQsocket (conn), POLLOUT | POLLIN, cancel_fd, -1);
      if (ready == 0)
        {
          g_set_error_literal (&result_error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The query was cancelled");
          *after = AFTER_ABANDON;
          goto out;
        }
      if (!PQconsumeInput (conn))
        {
          set_connection_error (&result_error, conn, statement);
          *after = AFTER_DISCARD;
          *may_retry = TRUE;
          goto out;
        }
    }

  while (!stop)
    {
      int ready;

      while (!stop && !PQisBusy (conn))
        {
          PGresult *result = PQgetResult (conn);
          ExecStatusType status;

          if (result == NULL)
            goto done;
          answered = TRUE;
          status = PQresultStatus (result);
          switch (status)
            {
            case PGRES_SINGLE_TUPLE:
#ifdef LIBPQ_HAS_CHUNK_MODE
            case PGRES_TUPLES_CHUNK:
#endif
            case PGRES_TUPLES_OK:
              if (result_error)
                break; /* the rest of a failed statement's answer */
              if (reader.columns == NULL && reader.n_columns == 0)
                reader_init (&reader, result);
              for (int row = 0; row < PQntuples (result); row++)
                {
                  if (reader.n_rows >= statement->row_limit)
                    {
                      truncated = TRUE;
                      break;
                    }
                  if (!reader_append_row (&reader, result, row, &result_error))
                    break;
                  if (reader.n_rows % ROW_CHECK_INTERVAL == 0)
                    {
                      if (statement->job)
                        tess_cache_job_progress (statement->job, reader.n_rows, 0);
                      if (g_cancellable_is_cancelled (cancellable))
                        {
                          g_set_error_literal (&result_error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               "The query was cancelled");
                          break;
                        }
                    }
                }
              if (truncated || result_error)
                {
                  /* the server may go on sending: let the pool stop it */
                  if (status != PGRES_TUPLES_OK)
                    {
                      *after = AFTER_ABANDON;
                      stop = TRUE;
                    }
                }
              break;
            case PGRES_COMMAND_OK:
              if (result_error == NULL)
                g_set_error (&result_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             "The statement on %s returned no rows: a source is a query that returns rows (SELECT, "
                             "VALUES, TABLE, SHOW...)",
                             statement->source->uri);
              /* it may have changed the session (SET): no one inherits it */
              *after = AFTER_DISCARD;
              break;
            case PGRES_EMPTY_QUERY:
              if (result_error == NULL)
                g_set_error (&result_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             "The query on %s is empty: write the SELECT to run", statement->source->uri);
              break;
            case PGRES_FATAL_ERROR:
              if (result_error == NULL)
                {
                  if (PQresultErrorField (result, PG_DIAG_SQLSTATE) == NULL && PQstatus (conn) != CONNECTION_OK)
                    {
                      /* libpq's own: the connection broke */
                      set_connection_error (&result_error, conn, statement);
                      *may_retry = reader.n_rows == 0 && reader.n_columns == 0;
                    }
                  else
                    set_result_error (&result_error, result, statement);
                }
              break;
            case PGRES_COPY_IN:
            case PGRES_COPY_OUT:
            case PGRES_COPY_BOTH:
              if (result_error == NULL)
                g_set_error (&result_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             "The statement on %s is a COPY: a source is a query that returns rows (SELECT ...)",
                             statement->source->uri);
              *after = AFTER_DISCARD;
              stop = TRUE;
              break;
            default:
              if (result_error == NULL)
                g_set_error (&result_error, G_IO_ERROR, G_IO_ERROR_FAILED,
                             "The query on %s gave an answer Tessera cannot read (%s)", statement->source->uri,
                             PQresStatus (status));
              break;
            }
          PQclear (result);
        }
      if (stop)
        break;
      ready = tess_sql_wait (PQsocket (conn), POLLIN, cancel_fd, -1);
      if (ready == 0)
        {
          g_clear_error (&result_error);
          g_set_error_literal (&result_error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The query was cancelled");
          *after = AFTER_ABANDON;
          break;
        }
      if (!PQconsumeInput (conn))
        {
          if (result_error == NULL)
            set_connection_error (&result_error, conn, statement);
          *after = AFTER_DISCARD;
          *may_retry = !answered;
          break;
        }
    }

done:
  if (PQstatus (conn) != CONNECTION_OK)
    *after = AFTER_DISCARD;
  if (result_error == NULL && (truncated || *after != AFTER_ABANDON))
    {
      if (reader.columns == NULL)
        g_set_error (&result_error, G_IO_ERROR, G_IO_ERROR_FAILED, "The query on %s gave no result",
                     statement->source->uri);
      else
        {
          guint64 n_rows = reader.n_rows;

          if (statement->server_names)
            {
              *statement->server_names = g_new0 (char *, reader.n_columns + 1);
              for (int c = 0; c < reader.n_columns; c++)
                (*statement->server_names)[c] = g_strdup (reader.columns[c].server_name);
            }
          frame = reader_finish (&reader, &result_error);
          if (frame && truncated)
            {
              g_autofree char *warning = g_strdup_printf (
                  "Only the first %" G_GUINT64_FORMAT " rows of the result of %s are here: it has more than the "
                  "source's row limit of %" G_GUINT64_FORMAT ". Filter or aggregate in the query, or raise the "
                  "source's row limit",
                  n_rows, statement->source->uri, statement->row_limit);
              tess_frame_set_warning (frame, warning);
            }
        }
    }
out:
  if (cancel_fd >= 0)
    g_cancellable_release_fd (cancellable);
  reader_clear (&reader);
  if (result_error)
    {
      g_clear_pointer (&frame, tess_frame_unref);
      g_propagate_error (error, result_error);
    }
  return frame;
}

/* Runs @body with a connection to @source; when a connection from the pool
 * turns out to have died while idle, once more with a new one. */
typedef gpointer (*ConnectionBody) (TessSqlConnection *connection,
                                    gpointer data,
                                    GCancellable *cancellable,
                                    After *after,
                                    gboolean *may_retry,
                                    GError **error);

static gpointer
with_connection (TessSqlSource *source, ConnectionBody body, gpointer data, GCancellable *cancellable, GError **error)
{
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr (GError) local = NULL;
      TessSqlConnection *connection = tess_sql_pool_acquire (source, cancellable, error);
      gboolean reused;
      gboolean may_retry = FALSE;
      After after = AFTER_RELEASE;
      gpointer value;

      if (connection == NULL)
        return NULL;
      reused = tess_sql_connection_was_used (connection);
      value = body (connection, data, cancellable, &after, &may_retry, &local);
      switch (after)
        {
        case AFTER_RELEASE:
          tess_sql_pool_release (connection);
          break;
        case AFTER_DISCARD:
          tess_sql_pool_discard (connection, may_retry);
          break;
        case AFTER_ABANDON:
          tess_sql_pool_abandon (connection);
          break;
        }
      if (value)
        return value;
      if (may_retry && reused && attempt == 0)
        continue;
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
}

static gpointer
statement_body (TessSqlConnection *connection,
                gpointer data,
                GCancellable *cancellable,
                After *after,
                gboolean *may_retry,
                GError **error)
{
  return run_statement (connection, data, cancellable, after, may_retry, error);
}

/* Query jobs */

typedef struct
{
  TessSqlSource *source;
  char *sql;
  ParamSet params;
  guint64 row_limit;
} QueryJob;

static void
query_job_free (QueryJob *query)
{
  tess_sql_source_free (query->source);
  g_free (query->sql);
  param_set_clear (&query->params);
  g_free (query);
}

static gpointer
query_finish (TessCacheJob *job, gpointer data, GCancellable *cancellable, GError **error)
{
  QueryJob *query = data;
  Statement statement = { query->sql, &query->params, query->row_limit, query->source, job, NULL };

  return with_connection (query->source, statement_body, &statement, cancellable, error);
}

static char *
query_key (const TessSqlSource *source, const char *sql, GVariant *params)
{
  g_autofree char *printed = params ? g_variant_print (params, TRUE) : g_strdup ("()");

  return g_strdup_printf ("sql\x1f%s\x1f%" G_GUINT64_FORMAT "\x1f%s\x1f%s", source->pool_key, source->options.row_limit,
                          sql, printed);
}

/* Runs @sql on @source (taken) through the cache. */
static TessFrame *
run_query (TessSqlSource *source,
           const char *sql,
           GVariant *params,
           GCancellable *cancellable,
           TessProgressFunc progress,
           gpointer progress_data,
           GError **error)
{
  static const TessCacheJobClass query_class = { NULL, query_finish };
  TessCacheCallOptions cache_options = { 0 };
  g_autofree char *key = NULL;
  QueryJob *query = g_new0 (QueryJob, 1);

  query->source = source;
  query->sql = g_strdup (sql);
  query->row_limit = source->options.row_limit;
  if (!param_set_init (&query->params, params, error))
    {
      query_job_free (query);
      return NULL;
    }
  key = query_key (source, sql, params);
  cache_options.ttl = source->options.ttl;
  return tess_cache_run (key, &query_class, query, (GDestroyNotify) query_job_free, &cache_options, cancellable,
                         progress, progress_data, error);
}

TessFrame *
tess_sql_query (const char *source_uri,
                const char *sql,
                GVariant *params,
                const TessSqlOptions *options,
                GCancellable *cancellable,
                TessProgressFunc progress,
                gpointer progress_data,
                GError **error)
{
  g_autoptr (GVariant) owned_params = NULL;
  TessSqlSource *source;

  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (params)
    owned_params = g_variant_ref_sink (params);
  source = tess_sql_source_new (source_uri, options, error);
  if (source == NULL)
    return NULL;
  return run_query (source, sql, owned_params, cancellable, progress, progress_data, error);
}

/* Tables */

typedef struct
{
  char *quoted;          /* "schema"."name" */
  TessFrame *shape;      /* no rows */
  char **column_names;   /* as the server names them */
  char **quoted_columns; /* the same, quoted */
} TableInfo;

static void
table_info_clear (gpointer data)
{
  TableInfo *info = data;
  g_free (info->quoted);
  g_clear_pointer (&info->shape, tess_frame_unref);
  g_strfreev (info->column_names);
  g_strfreev (info->quoted_columns);
}

static void
table_info_release (gpointer data)
{
  g_rc_box_release_full (data, table_info_clear);
}

static gsize
table_info_size (gconstpointer data)
{
  const TableInfo *info = data;
  return sizeof *info + tess_frame_get_bytes (info->shape) + 64 * g_strv_length (info->column_names);
}

typedef struct
{
  TessSqlSource *source;
  char *table;
} TableJob;

static void
table_job_free (TableJob *table)
{
  tess_sql_source_free (table->source);
  g_free (table->table);
  g_free (table);
}

static char *
escape_identifier (PGconn *conn, const char *name)
{
  char *escaped = PQescapeIdentifier (conn, name, strlen (name));
  char *copy = g_strdup (escaped);

  PQfreemem (escaped);
  return copy;
}

/* Finds the table in the catalog (to_regclass reads the name as SQL does),
 * quotes it, and reads its columns from a query of no rows. */
static gpointer
table_body (TessSqlConnection *connection,
            gpointer data,
            GCancellable *cancellable,
            After *after,
            gboolean *may_retry,
            GError **error)
{
  TableJob *table = data;
  PGconn *conn = tess_sql_connection_get_pg (connection);
  g_autoptr (GVariant) name = g_variant_ref_sink (g_variant_new ("(s)", table->table));
  ParamSet params = { 0 };
  g_autoptr (TessFrame) found = NULL;
  g_autofree char *select = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *relation = NULL;
  g_auto (GStrv) names = NULL;
  Statement statement = { "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
                          "n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass ($1)",
                          &params,
                          2,
                          table->source,
                          NULL,
                          NULL };
  TableInfo *info;
  guint n;

  if (!param_set_init (&params, name, error))
    return NULL;
  found = run_statement (connection, &statement, cancellable, after, may_retry, error);
  param_set_clear (&params);
  if (found == NULL || *after != AFTER_RELEASE)
    return NULL;
  if (tess_frame_get_n_rows (found) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "The database %s has no table “%s” (that this user may see); check its name and schema",
                   table->source->uri, table->table);
      return NULL;
    }
  schema = escape_identifier (conn, tess_column_get_string (tess_frame_get_column (found, 0), 0));
  relation = escape_identifier (conn, tess_column_get_string (tess_frame_get_column (found, 1), 0));
  info = g_rc_box_new0 (TableInfo);
  info->quoted = g_strdup_printf ("%s.%s", schema, relation);

  /* the columns, typed as a query sees them */
  select = g_strdup_printf ("SELECT * FROM %s LIMIT 0", info->quoted);
  statement.sql = select;
  statement.params = NULL;
  statement.server_names = &names;
  info->shape = run_statement (connection, &statement, cancellable, after, may_retry, error);
  if (info->shape == NULL)
    {
      table_info_release (info);
      return NULL;
    }
  n = g_strv_length (names);
  info->column_names = g_steal_pointer (&names);
  info->quoted_columns = g_new0 (char *, n + 1);
  for (guint c = 0; c < n; c++)
    info->quoted_columns[c] = escape_identifier (conn, info->column_names[c]);
  return info;
}

static gpointer
table_finish (TessCacheJob *job, gpointer data, GCancellable *cancellable, GError **error)
{
  TableJob *table = data;
  return with_connection (table->source, table_body, table, cancellable, error);
}

/* The table's info through the cache; @source is taken. */
static TableInfo *
get_table_info (TessSqlSource *source, const char *table, GCancellable *cancellable, GError **error)
{
  static const TessCacheJobClass table_class = { NULL, table_finish };
  TessCacheCallOptions cache_options = { 0, (GBoxedCopyFunc) g_rc_box_acquire, table_info_release, table_info_size };
  g_autofree char *key = g_strdup_printf ("sqltable\x1f%s\x1f%s", source->pool_key, table);
  TableJob *job = g_new0 (TableJob, 1);

  job->source = source;
  job->table = g_strdup (table);
  cache_options.ttl = source->options.ttl;
  return tess_cache_run (key, &table_class, job, (GDestroyNotify) table_job_free, &cache_options, cancellable, NULL,
                         NULL, error);
}

TessFrame *
tess_sql_describe_table (
    const char *source_uri, const char *table, const TessSqlOptions *options, GCancellable *cancellable, GError **error)
{
  TessSqlSource *source;
  TableInfo *info;
  TessFrame *shape;

  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = tess_sql_source_new (source_uri, options, error);
  if (source == NULL)
    return NULL;
  info = get_table_info (source, table, cancellable, error);
  if (info == NULL)
    return NULL;
  shape = tess_frame_ref (info->shape);
  table_info_release (info);
  return shape;
}

char *
tess_sql_quote_table (
    const char *source_uri, const char *table, const TessSqlOptions *options, GCancellable *cancellable, GError **error)
{
  TessSqlSource *source;
  TableInfo *info;
  char *quoted;

  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = tess_sql_source_new (source_uri, options, error);
  if (source == NULL)
    return NULL;
  info = get_table_info (source, table, cancellable, error);
  if (info == NULL)
    return NULL;
  quoted = g_strdup (info->quoted);
  table_info_release (info);
  return quoted;
}

char *
tess_sql_quote_column (const char *source_uri,
                       const char *table,
                       const char *column,
                       const TessSqlOptions *options,
                       GCancellable *cancellable,
                       GError **error)
{
  TessSqlSource *source;
  TableInfo *info;
  char *quoted = NULL;

  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = tess_sql_source_new (source_uri, options, error);
  if (source == NULL)
    return NULL;
  info = get_table_info (source, table, cancellable, error);
  if (info == NULL)
    return NULL;
  for (guint i = 0; info->column_names[i] && quoted == NULL; i++)
    if (g_str_equal (info->column_names[i], column))
      quoted = g_strdup (info->quoted_columns[i]);
  if (quoted == NULL)
    {
      g_autofree char *known = g_strjoinv (", ", info->column_names);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The table %s of %s has no column “%s”; it has %s", table,
                   source_uri, column, *known ? known : "none");
    }
  table_info_release (info);
  return quoted;
}

/* Loads by URI */

TessFrame *
tess_sql_load (const char *uri,
               const TessSqlOptions *options,
               GCancellable *cancellable,
               TessProgressFunc progress,
               gpointer progress_data,
               GError **error)
{
  TessSqlSource *source;
  TableInfo *info;
  g_autofree char *sql = NULL;
  g_autoptr (GVariant) params = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = tess_sql_source_new (uri, options, error);
  if (source == NULL)
    return NULL;
  if (source->query)
    {
      sql = g_strdup (source->query);
      return run_query (source, sql, NULL, cancellable, progress, progress_data, error);
    }
  if (source->table == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” names neither a table nor a query: add ?table=NAME or ?query=SQL (URI-escaped) to read it",
                   uri);
      tess_sql_source_free (source);
      return NULL;
    }
  {
    /* a second source for the catalog: get_table_info() takes its own */
    TessSqlSource *catalog = tess_sql_source_new (uri, options, error);
    if (catalog == NULL)
      {
        tess_sql_source_free (source);
        return NULL;
      }
    info = get_table_info (catalog, source->table, cancellable, error);
  }
  if (info == NULL)
    {
      tess_sql_source_free (source);
      return NULL;
    }
  /* one row past the limit tells a truncated table from one that fits */
  sql = g_strdup_printf ("SELECT * FROM %s LIMIT $1", info->quoted);
  table_info_release (info);
  params = g_variant_ref_sink (g_variant_new ("(x)", (gint64) MIN (source->options.row_limit, G_MAXINT64 - 1) + 1));
  return run_query (source, sql, params, cancellable, progress, progress_data, error);
}
