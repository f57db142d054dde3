/* tess-document-database.c: database sources of documents
 * (tess-document-sql.h): their rules, their parameters, loading them, and
 * what `tessera --check` learns from the live catalog.
 *
 * A database source's uri is a postgresql:// address without a password
 * and without inputs: values reach the server only as bound parameters,
 * never in SQL text or in the address. A query's "params" are input
 * references or literals; a table is read through the statement
 * tess-document-sql.c compiles from the fragment's pipeline.
 */
#include "tess-document-sql.h"
#include "tess-document-steps.h"

#include "tess-load.h"

#include <stdio.h>
#include <string.h>

/* The members only a database source has, and those it does not. */
static const char *const database_only_members[] = { "query",    "params",    "table",
                                                     "password", "row_limit", "statement_timeout",
                                                     NULL };
static const char *const file_only_members[] = { "format", "headers", "options", NULL };

#define PASSWORD_ADVICE                                                                                                \
  "give it as \"password\": \"${env:NAME}\" in a document on this computer, in a password file (PGPASSFILE or "        \
  "~/.pgpass) or a service file (service=NAME), or leave it out and let Tessera ask and keep it in the keyring"

gboolean
tess_doc_source_is_database (const TessDocSource *source)
{
  return source != NULL && source->is_database;
}

/* The uri */

/* A key of the address's query string ("password"), decoded. */
static gboolean
uri_has_keyword (const char *uri, const char *const *keywords, char **found)
{
  const char *question = strchr (uri, '?');
  g_auto (GStrv) parts = question ? g_strsplit (question + 1, "&", -1) : NULL;

  for (guint i = 0; parts && parts[i]; i++)
    {
      const char *equals = strchr (parts[i], '=');
      g_autofree char *key = g_uri_unescape_segment (parts[i], equals, NULL);
      if (key && g_strv_contains (keywords, key))
        {
          *found = g_steal_pointer (&key);
          return TRUE;
        }
    }
  return FALSE;
}

/* Whether the address's user information holds a password (ana:secret@). */
static gboolean
uri_has_user_password (const char *uri)
{
  const char *authority = strstr (uri, "://");
  g_autofree char *part = NULL;
  const char *at;

  if (authority == NULL)
    return FALSE;
  authority += 3;
  part = g_strndup (authority, strcspn (authority, "/?"));
  at = strrchr (part, '@');
  return at != NULL && memchr (part, ':', at - part) != NULL;
}

void
tess_document_check_database_uri (TessDocument *self, const TessDocNode *uri_node, const char *path)
{
  static const char *const password_keywords[] = { "password", "sslpassword", NULL };
  static const char *const member_keywords[] = { "table", "query", NULL };
  g_autoptr (GHashTable) inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *keyword = NULL;
  const char *uri = uri_node->string;

  if (uri_has_user_password (uri) || uri_has_keyword (uri, password_keywords, &keyword))
    tess_document_error_at (self, uri_node, path, "a database address never holds a password: " PASSWORD_ADVICE);
  g_clear_pointer (&keyword, g_free);
  if (uri_has_keyword (uri, member_keywords, &keyword))
    tess_document_error_at (self, uri_node, path,
                            "give the %s as the source's \"%s\" member, not in its address (?%s=)", keyword, keyword,
                            keyword);
  tess_document_collect_substitutions (uri, inputs);
  if (g_hash_table_size (inputs) > 0)
    tess_document_error_at (self, uri_node, path,
                            "a database address cannot depend on inputs: write $1, $2... in the query and list the "
                            "inputs in \"params\", so their values are bound, never pasted");
}

/* The query */

static gboolean
is_identifier_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '$' || (guchar) c >= 0x80;
}

/* Past the dollar-quoted string that starts at @p ($$...$$, $tag$...$tag$),
 * or NULL when @p starts none. */
static const char *
skip_dollar_quote (const char *p)
{
  const char *tag_end = p + 1;
  g_autofree char *tag = NULL;
  const char *close;

  if (g_ascii_isdigit (*tag_end))
    return NULL;
  while (g_ascii_isalnum (*tag_end) || *tag_end == '_' || (guchar) *tag_end >= 0x80)
    tag_end++;
  if (*tag_end != '$')
    return NULL;
  tag = g_strndup (p, tag_end - p + 1);
  close = strstr (tag_end + 1, tag);
  return close ? close + strlen (tag) : p + strlen (p);
}

/* Reads @sql as PostgreSQL does, past string constants ('...', E'...',
 * $tag$...$tag$), quoted identifiers and comments: *@max_param receives the
 * highest $n, *@substitution the first "${" outside them (or NULL). */
static void
scan_query (const char *sql, guint *max_param, const char **substitution)
{
  const char *p = sql;

  *max_param = 0;
  *substitution = NULL;
  while (*p)
    {
      if (p[0] == '-' && p[1] == '-')
        p += strcspn (p, "\n");
      else if (p[0] == '/' && p[1] == '*')
        {
          guint depth = 0;
          do
            {
              if (p[0] == '/' && p[1] == '*')
                depth++, p += 2;
              else if (p[0] == '*' && p[1] == '/')
                depth--, p += 2;
              else
                p++;
            }
          while (*p && depth > 0);
        }
      else if (*p == '\'')
        {
          gboolean escapes = p > sql && (p[-1] == 'E' || p[-1] == 'e') && (p - 1 == sql || !is_identifier_char (p[-2]));
          for (p++; *p; p++)
            {
              if (escapes && *p == '\\' && p[1])
                p++;
              else if (*p == '\'' && p[1] == '\'')
                p++;
              else if (*p == '\'')
                break;
            }
          if (*p)
            p++;
        }
      else if (*p == '"')
        {
          for (p++; *p; p++)
            if (*p == '"' && p[1] == '"')
              p++;
            else if (*p == '"')
              break;
          if (*p)
            p++;
        }
      else if (*p == '$' && (p == sql || !is_identifier_char (p[-1])))
        {
          const char *after;
          if (g_ascii_isdigit (p[1]))
            {
              guint64 n = g_ascii_strtoull (p + 1, (char **) &after, 10);
              *max_param = MAX (*max_param, (guint) MIN (n, G_MAXUINT));
              p = after;
            }
          else if (p[1] == '{')
            {
              if (*substitution == NULL)
                *substitution = p;
              p += 2;
            }
          else if ((after = skip_dollar_quote (p)) != NULL)
            p = after;
          else
            p++;
        }
      else
        p++;
    }
}

/* The number of values @item binds: two for a range slider, else one. */
static guint
param_width (TessDocument *self, const TessDocNode *item)
{
  g_autofree char *name = item->type == TESS_DOC_STRING ? tess_document_parse_reference (item->string) : NULL;
  TessDocInput *input = name ? tess_document_lookup_input (self, name) : NULL;

  return input && input->spec.kind == TESS_INPUT_RANGE_SLIDER ? 2 : 1;
}

/* "params": input references and literals, as many values as the query's
 * highest $n. */
static void
parse_params (TessDocument *self, TessDocSource *source, const TessDocNode *params, const char *path, guint max_param)
{
  guint n_values = 0;

  for (guint i = 0; i < tess_doc_node_get_length (params); i++)
    {
      TessDocNode *item = tess_doc_node_get_index (params, i);
      g_autofree char *ipath = tess_document_path_index (path, i);

      if (item->type == TESS_DOC_ARRAY || item->type == TESS_DOC_OBJECT)
        {
          tess_document_error_at (self, item, ipath,
                                  "a parameter is an input (\"$name\") or a value: a string, a number, true, false "
                                  "or null");
          continue;
        }
      if (item->type == TESS_DOC_STRING)
        tess_document_check_string_refs (self, item, ipath, FALSE, NULL);
      n_values += param_width (self, item);
    }
  if (source->query == NULL)
    return;
  if (n_values < max_param)
    tess_document_error_at (self, params, path,
                            "the query uses $%u but \"params\" gives %u value%s (a range_slider gives two, its low "
                            "and high ends)",
                            max_param, n_values, n_values == 1 ? "" : "s");
  else if (n_values > max_param)
    tess_document_error_at (self, params, path,
                            "\"params\" gives %u value%s but the query uses %s (a range_slider gives two, its low "
                            "and high ends)",
                            n_values, n_values == 1 ? "" : "s",
                            max_param == 0   ? "none"
                            : max_param == 1 ? "only $1"
                                             : "fewer");
}

/* "query": SQL with $1, $2... where values go, never ${input}. Returns its
 * highest $n. */
static guint
parse_query (TessDocument *self, TessDocSource *source, TessDocNode *query, const char *path)
{
  const char *substitution;
  guint max_param;
  g_autofree char *stripped = NULL;

  if (!tess_document_expect_type (self, query, path, TESS_DOC_STRING))
    return 0;
  stripped = g_strstrip (g_strdup (query->string));
  if (*stripped == '\0')
    {
      tess_document_error_at (self, query, path, "the query is empty: write the SELECT to run");
      return 0;
    }
  scan_query (query->string, &max_param, &substitution);
  if (substitution && !g_str_has_prefix (substitution, "${env:"))
    tess_document_error_at (self, query, path,
                            "a query never holds ${input}: write $1, $2... where the values go and list the inputs "
                            "in \"params\", so they are bound, never pasted into the SQL");
  source->query = g_strdup (query->string);
  source->query_node = query;
  return max_param;
}

/* "table": a name as SQL writes it, fixed. */
static void
parse_table (TessDocument *self, TessDocSource *source, TessDocNode *table, const char *path)
{
  g_autofree char *stripped = NULL;

  if (!tess_document_expect_type (self, table, path, TESS_DOC_STRING))
    return;
  stripped = g_strstrip (g_strdup (table->string));
  if (*stripped == '\0')
    {
      tess_document_error_at (self, table, path,
                              "the table's name is empty: write it as SQL does, sales or public.sales");
      return;
    }
  if (strstr (table->string, "${") != NULL)
    tess_document_error_at (self, table, path,
                            "a table's name cannot depend on inputs; filter its rows in the pipeline instead");
  source->table = g_strdup (table->string);
  source->table_node = table;
}

/* "password": "${env:NAME}", read when a connection is made. */
static void
parse_password (TessDocument *self, TessDocSource *source, TessDocNode *password, const char *path)
{
  const char *s;

  if (!tess_document_expect_type (self, password, path, TESS_DOC_STRING))
    return;
  s = password->string;
  if (!g_str_has_prefix (s, "${env:") || s[strlen (s) - 1] != '}' || strchr (s + 6, '}') != s + strlen (s) - 1)
    {
      tess_document_error_at (self, password, path,
                              "a password never goes in a document: write \"password\": \"${env:NAME}\" and set NAME "
                              "in the environment, or leave it out and use a password file (PGPASSFILE or "
                              "~/.pgpass), a service file (service=NAME) or the keyring");
      return;
    }
  if (tess_trust_get_restricted (tess_document_get_trust (self)))
    {
      tess_document_error_at (self, password, path,
                              "a document opened from the network cannot read environment variables");
      return;
    }
  source->password = g_strdup (s);
}

void
tess_document_parse_database_source (TessDocument *self,
                                     TessDocSource *source,
                                     const TessDocNode *node,
                                     const char *path)
{
  TessDocNode *query, *table, *params, *n;
  guint max_param = 0;

  source->is_database = TRUE;
  if (node->type != TESS_DOC_OBJECT)
    {
      tess_document_error_at (self, node, path,
                              "a database source names what it reads: write {\"uri\": \"%s\", \"table\": \"NAME\"} or "
                              "{\"uri\": \"%s\", \"query\": \"SELECT ...\"}",
                              node->string, node->string);
      return;
    }
  for (guint i = 0; file_only_members[i]; i++)
    {
      const TessDocMember *member = tess_doc_node_get_member (node, file_only_members[i]);
      if (member)
        {
          g_autofree char *mpath = tess_document_path_member (path, member->key);
          tess_document_error_at_key (self, member, mpath, FALSE,
                                      "\"%s\" does not apply to a database source: the server's types decide how "
                                      "values read",
                                      member->key);
        }
    }
  query = tess_doc_node_get (node, "query");
  table = tess_doc_node_get (node, "table");
  params = tess_doc_node_get (node, "params");
  if (query && table)
    {
      g_autofree char *tpath = tess_document_path_member (path, "table");
      tess_document_error_at (self, table, tpath,
                              "a database source reads either a \"table\" or a \"query\", not both");
    }
  else if (query == NULL && table == NULL)
    {
      g_autofree char *tpath = tess_document_path_member (path, "table");
      tess_document_error_missing (self, node, tpath,
                                   "missing member \"table\" or \"query\": what the source reads from the database");
    }
  if (query)
    {
      g_autofree char *qpath = tess_document_path_member (path, "query");
      max_param = parse_query (self, source, query, qpath);
    }
  else if (table)
    {
      g_autofree char *tpath = tess_document_path_member (path, "table");
      parse_table (self, source, table, tpath);
    }
  if (params)
    {
      g_autofree char *ppath = tess_document_path_member (path, "params");
      if (query == NULL)
        tess_document_error_at (self, params, ppath,
                                "\"params\" are the values of a query's $1, $2...: give the source a \"query\"");
      else if (tess_document_expect_type (self, params, ppath, TESS_DOC_ARRAY))
        {
          source->params = tess_doc_node_ref (params);
          parse_params (self, source, params, ppath, max_param);
        }
    }
  else if (source->query && max_param > 0)
    {
      g_autofree char *ppath = tess_document_path_member (path, "params");
      tess_document_error_missing (self, node, ppath,
                                   "missing member \"params\": the query uses $%u; list its values, inputs (\"$name\") "
                                   "or literals, in order",
                                   max_param);
    }
  if ((n = tess_doc_node_get (node, "password")) != NULL)
    {
      g_autofree char *ppath = tess_document_path_member (path, "password");
      parse_password (self, source, n, ppath);
    }
  if ((n = tess_doc_node_get (node, "row_limit")) != NULL)
    {
      g_autofree char *rpath = tess_document_path_member (path, "row_limit");
      if (tess_document_expect_type (self, n, rpath, TESS_DOC_NUMBER))
        {
          if (!n->is_integer || n->number < 1 || n->number > 9e15)
            tess_document_error_at (self, n, rpath, "row_limit is a whole number of rows, at least 1");
          else
            source->row_limit = (guint64) n->number;
        }
    }
  if ((n = tess_doc_node_get (node, "statement_timeout")) != NULL)
    {
      g_autofree char *spath = tess_document_path_member (path, "statement_timeout");
      tess_document_read_duration (self, n, spath, &source->statement_timeout);
    }
}

void
tess_document_check_not_database (TessDocument *self, const TessDocNode *node, const char *path)
{
  for (guint i = 0; database_only_members[i]; i++)
    {
      const TessDocMember *member = tess_doc_node_get_member (node, database_only_members[i]);
      if (member)
        {
          g_autofree char *mpath = tess_document_path_member (path, member->key);
          tess_document_error_at_key (self, member, mpath, FALSE,
                                      "\"%s\" applies to database sources only (a postgresql:// uri)", member->key);
        }
    }
}

void
tess_document_collect_database_inputs (TessDocument *self, TessDocSource *source, GHashTable *used)
{
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  char *name;

  for (guint i = 0; source->params && i < tess_doc_node_get_length (source->params); i++)
    {
      TessDocNode *item = tess_doc_node_get_index (source->params, i);
      char *ref;
      if (item->type != TESS_DOC_STRING)
        continue;
      if ((ref = tess_document_parse_reference (item->string)) != NULL)
        g_hash_table_add (names, ref);
      else
        tess_document_collect_substitutions (item->string, names);
    }
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    if (tess_document_lookup_input (self, name))
      g_hash_table_add (used, g_strdup (name));
}

/* Binding */

char *
tess_doc_source_dup_database_uri (TessDocument *document, TessDocSource *source)
{
  /* no inputs in a database address: only ${env:NAME} is replaced */
  return tess_document_substitute (source->uri, NULL);
}

void
tess_doc_source_get_sql_options (TessDocument *document, TessDocSource *source, TessSqlOptions *options)
{
  memset (options, 0, sizeof *options);
  options->row_limit = source->row_limit;
  options->statement_timeout = source->statement_timeout;
  options->ttl = source->ttl;
  /* checked again for every connection, after every substitution */
  options->trust = tess_document_get_trust (document);
  options->password = source->password;
}

GVariant *
tess_doc_sql_number (double number)
{
  if (number == (double) (gint64) number && number > -9.2e18 && number < 9.2e18)
    return g_variant_new_int64 ((gint64) number);
  return g_variant_new_double (number);
}

/* The values of the input @input, as its kind binds them, into @builder. */
static void
bind_input (GVariantBuilder *builder, TessDocInput *input, GVariant *value)
{
  switch (input->spec.kind)
    {
    case TESS_INPUT_SLIDER:
    case TESS_INPUT_NUMBER:
      g_variant_builder_add_value (builder, tess_doc_sql_number (g_variant_get_double (value)));
      return;
    case TESS_INPUT_RANGE_SLIDER:
      {
        double low, high;
        g_variant_get (value, "(dd)", &low, &high);
        g_variant_builder_add_value (builder, tess_doc_sql_number (low));
        g_variant_builder_add_value (builder, tess_doc_sql_number (high));
        return;
      }
    case TESS_INPUT_DATE:
      g_variant_builder_add_value (builder, tess_sql_param_date (g_variant_get_string (value, NULL)));
      return;
    default:
      /* a multiselect is one array (col = ANY ($1)); a switch a bool; a text as text */
      g_variant_builder_add_value (builder, value);
      return;
    }
}

GVariant *
tess_doc_source_bind_params (TessDocument *document, TessDocSource *source, GHashTable *values)
{
  g_autoptr (GHashTable) defaults = NULL;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_TUPLE);
  for (guint i = 0; source->params && i < tess_doc_node_get_length (source->params); i++)
    {
      TessDocNode *item = tess_doc_node_get_index (source->params, i);
      g_autofree char *name = item->type == TESS_DOC_STRING ? tess_document_parse_reference (item->string) : NULL;
      TessDocInput *input = name ? tess_document_lookup_input (document, name) : NULL;

      if (input)
        {
          GVariant *value = values ? g_hash_table_lookup (values, name) : NULL;
          if (value == NULL)
            {
              if (defaults == NULL)
                defaults = tess_document_dup_default_values (document);
              value = g_hash_table_lookup (defaults, name);
            }
          bind_input (&builder, input, value);
          continue;
        }
      switch (item->type)
        {
        case TESS_DOC_NUMBER:
          g_variant_builder_add_value (&builder, tess_doc_sql_number (item->number));
          break;
        case TESS_DOC_BOOL:
          g_variant_builder_add_value (&builder, g_variant_new_boolean (item->boolean));
          break;
        case TESS_DOC_NULL:
          g_variant_builder_add_value (&builder, g_variant_new_maybe (G_VARIANT_TYPE_STRING, NULL));
          break;
        default:
          {
            g_autofree char *text = tess_document_substitute (item->string, values);
            g_variant_builder_add_value (&builder, g_variant_new_string (text));
          }
          break;
        }
    }
  return g_variant_builder_end (&builder);
}

/* Loading */

TessFrame *
tess_document_load_database (TessDocument *document,
                             TessDocSource *source,
                             TessDocFragment *fragment,
                             TessRun *run,
                             GCancellable *cancellable,
                             GHashTable *values,
                             guint *n_steps_done,
                             GError **error)
{
  g_autofree char *uri = tess_doc_source_dup_database_uri (document, source);
  g_autoptr (TessDocSql) sql = NULL;
  g_autofree char *statement = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (TessFrame) frame = NULL;
  GVariant *params;
  TessSqlOptions options;
  gboolean aggregates = FALSE;
  int n_done = 0;

  if (n_steps_done)
    *n_steps_done = 0;
  if (run)
    {
      tess_run_set_status (run, "Querying the database…");
      cancellable = tess_run_get_cancellable (run);
    }
  tess_doc_source_get_sql_options (document, source, &options);
  if (source->query)
    {
      statement = g_strdup (source->query);
      params = tess_doc_source_bind_params (document, source, values);
    }
  else
    {
      guint n_steps = fragment && fragment->pipeline ? tess_doc_node_get_length (fragment->pipeline) : 0;

      sql = tess_doc_sql_new (document, source, values, cancellable, &local);
      if (sql == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local), "Source \"%s\": ", source->name);
          return NULL;
        }
      if (fragment && (n_done = tess_doc_sql_add_pipeline (sql, fragment, error)) < 0)
        return NULL;
      aggregates = fragment && (guint) n_done == n_steps && tess_doc_sql_aggregate_views (sql, fragment);
      statement = tess_doc_sql_dup_statement (sql);
      params = tess_doc_sql_get_params (sql);
    }
  g_debug ("Source \"%s\": %s", source->name, statement);
  if (run)
    frame = tess_query_full (run, uri, statement, params, &options, &local);
  else
    frame = tess_sql_query (uri, statement, params, &options, cancellable, NULL, NULL, &local);
  if (frame == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "Source \"%s\": ", source->name);
      return NULL;
    }
  if (aggregates)
    {
      TessFrame *named = tess_doc_sql_name_aggregates (sql, frame, error);
      if (named == NULL)
        return NULL;
      tess_frame_unref (frame);
      frame = named;
    }
  if (n_steps_done)
    *n_steps_done = (guint) n_done;
  return g_steal_pointer (&frame);
}

/* --check */

/* An error that says the server could not be reached or would not let the
 * check in, rather than what the document asks of it. */
static gboolean
is_unreachable (const GError *error)
{
  return error->domain == TESS_TRUST_ERROR ||
         (error->domain == G_IO_ERROR &&
          (error->code == G_IO_ERROR_CONNECTION_REFUSED || error->code == G_IO_ERROR_TIMED_OUT ||
           error->code == G_IO_ERROR_PERMISSION_DENIED || error->code == G_IO_ERROR_CONNECTION_CLOSED ||
           error->code == G_IO_ERROR_CANCELLED));
}

/* The tables and views the user may read, as SQL would name them from the
 * search path (sales) or with their schema (sales_2024.orders). */
static char **
list_tables (const char *uri, const TessSqlOptions *options)
{
  static const char *const sql = "SELECT CASE WHEN n.nspname = ANY (pg_catalog.current_schemas (false)) THEN c.relname "
                                 "ELSE n.nspname || '.' || c.relname END FROM pg_catalog.pg_class c "
                                 "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname <> 'information_schema' "
                                 "AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1";
  g_autoptr (TessFrame) frame = tess_sql_query (uri, sql, NULL, options, NULL, NULL, NULL, NULL);
  char **names;

  if (frame == NULL)
    return NULL;
  names = g_new0 (char *, tess_frame_get_n_rows (frame) + 1);
  for (gsize r = 0; r < tess_frame_get_n_rows (frame); r++)
    names[r] = g_strdup (tess_column_get_string (tess_frame_get_column (frame, 0), r));
  return names;
}

static char **
frame_column_names (TessFrame *frame)
{
  char **names = g_new0 (char *, tess_frame_get_n_columns (frame) + 1);

  for (guint i = 0; i < tess_frame_get_n_columns (frame); i++)
    names[i] = g_strdup (tess_column_get_name (tess_frame_get_column (frame, i)));
  return names;
}

/* The query's result shape, without running it to the end: the planner
 * stops at LIMIT 0. */
static TessFrame *
describe_query (
    TessDocument *document, TessDocSource *source, const char *uri, const TessSqlOptions *options, GError **error)
{
  g_autofree char *query = g_strstrip (g_strdup (source->query));
  g_autofree char *wrapped = NULL;
  gsize length = strlen (query);

  TessFrame *frame;

  while (length > 0 && (query[length - 1] == ';' || g_ascii_isspace (query[length - 1])))
    query[--length] = '\0';
  /* the query starts a line of its own, so the server's columns are its */
  wrapped = g_strdup_printf ("SELECT * FROM (\n%s\n) AS q LIMIT 0", query);
  frame = tess_sql_query (uri, wrapped, tess_doc_source_bind_params (document, source, NULL), options, NULL, NULL, NULL,
                          error);
  if (frame == NULL && error && *error)
    {
      /* and its lines one less: ", at line 3, column 5" is line 2 as written */
      const char *at = strstr ((*error)->message, ", at line ");
      int line = 0;
      if (at && sscanf (at, ", at line %d,", &line) == 1 && line > 1)
        {
          g_autofree char *head = g_strndup ((*error)->message, at - (*error)->message);
          const char *tail = strchr (at + strlen (", at line "), ',');
          g_autofree char *message = g_strdup_printf ("%s, at line %d%s", head, line - 1, tail);
          g_free ((*error)->message);
          (*error)->message = g_steal_pointer (&message);
        }
    }
  return frame;
}

char **
tess_document_check_database_source (TessDocument *document, TessDocSource *source)
{
  g_autofree char *uri = tess_doc_source_dup_database_uri (document, source);
  g_autofree char *path = tess_document_path_member ("$.sources", source->name);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  TessSqlOptions options;

  if (source->table == NULL && source->query == NULL)
    return NULL;
  tess_doc_source_get_sql_options (document, source, &options);
  /* a check does not wait long for a server that does not answer */
  options.connect_timeout = 10;
  frame = source->table ? tess_sql_describe_table (uri, source->table, &options, NULL, &error)
                        : describe_query (document, source, uri, &options, &error);
  if (frame)
    return frame_column_names (frame);

  if (is_unreachable (error))
    {
      const TessDocMember *member =
          source->node->type == TESS_DOC_OBJECT ? tess_doc_node_get_member (source->node, "uri") : NULL;
      g_autofree char *upath = tess_document_path_member (path, "uri");
      TessDocNode *at = member ? member->value : source->node;
      tess_document_add_problem (document, at, upath, TRUE, "the database of source \"%s\" was not checked: %s",
                                 source->name, error->message);
    }
  else if (source->table)
    {
      g_auto (GStrv) tables = list_tables (uri, &options);
      g_autofree char *hint = tess_document_did_you_mean (source->table, (const char *const *) tables);
      g_autofree char *tpath = tess_document_path_member (path, "table");
      tess_document_add_problem (document, source->table_node, tpath, FALSE, "unknown table \"%s\"%s", source->table,
                                 hint);
    }
  else
    {
      g_autofree char *qpath = tess_document_path_member (path, "query");
      tess_document_add_problem (document, source->query_node, qpath, FALSE, "the query of source \"%s\" fails: %s",
                                 source->name, error->message);
    }
  return NULL;
}

void
tess_document_check_pushdown (TessDocument *document, TessDocFragment *fragment, gboolean reachable)
{
  TessDocSource *source = fragment->source ? tess_document_lookup_source (document, fragment->source) : NULL;
  guint n_steps = fragment->pipeline ? tess_doc_node_get_length (fragment->pipeline) : 0;
  g_autofree char *reason = NULL;
  const TessDocMember *member;
  const TessDocNode *step_node;
  guint local = n_steps;

  if (!tess_doc_source_is_database (source) || source->table == NULL || n_steps == 0)
    return;
  if (reachable)
    {
      g_autoptr (TessDocSql) sql = tess_doc_sql_new (document, source, NULL, NULL, NULL);
      int n_done = sql ? tess_doc_sql_add_pipeline (sql, fragment, NULL) : -1;
      if (n_done < 0)
        return; /* the column check reports what is wrong */
      local = (guint) n_done;
      reason = g_strdup (tess_doc_sql_get_local_reason (sql));
    }
  else
    for (guint i = 0; i < n_steps && local == n_steps; i++)
      {
        step_node = tess_doc_node_get_index (fragment->pipeline, i);
        member = tess_doc_node_get_member_index (step_node, 0);
        const TessDocStep *step = member ? tess_doc_step_lookup (member->key) : NULL;
        if (step && step->to_sql == NULL)
          {
            local = i;
            reason = g_strdup_printf ("the database has no \"%s\" of this kind", step->name);
          }
      }
  if (local >= n_steps)
    return;
  step_node = tess_doc_node_get_index (fragment->pipeline, local);
  member = tess_doc_node_get_member_index (step_node, 0);
  {
    g_autofree char *path = g_strdup_printf ("$.fragments[%u].pipeline[%u].%s", fragment->index, local, member->key);
    tess_document_error_at_key (document, member, path, TRUE,
                                "\"%s\" runs on this computer, on the rows the database returns for the steps before "
                                "it%s: %s",
                                member->key, local + 1 < n_steps ? " (so do the steps after it)" : "",
                                reason ? reason : "the database cannot compute it");
  }
}
