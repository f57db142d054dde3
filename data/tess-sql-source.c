/* tess-sql-source.c: database sources: URIs read with libpq's own
 * PQconninfoParse(), and the keywords Tessera adds (tess-sql-private.h).
 *
 * Tessera's ?table= and ?query= are taken out of a URI before libpq reads
 * it; passwords in it are refused before anything else. What a session may
 * do is set in its startup options (read-only, ISO dates, exact doubles, the
 * statement timeout), after the URI's own, so they win; a source's pool key
 * holds every keyword but the password, of which it holds a digest.
 */
#include "tess-sql-private.h"

#include <string.h>

/* Secrets */

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

  /* no host at all: libpq's default, the Unix socket */
  if (items[0] == NULL)
    g_ptr_array_add (hosts, g_strdup ("localhost"));
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
  tess_secret_wipe ((char *) source->options.password);
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
