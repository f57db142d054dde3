/* tess-sql.c: queries on databases that speak the PostgreSQL protocol
 * (tess-sql.h).
 *
 * A source is read once per call (tess-sql-source.c). A query is a cache job
 * (tess-cache-private.h) keyed by the source, the SQL and the parameter
 * values; its finish stage runs on one waiting worker, which takes a
 * connection from the source's pool (tess-sql-pool.c), sends the statement
 * with PQsendQueryParams() and every value bound (tess-sql-params.c), and
 * streams the rows, one PGresult at a time (a chunk at a time with libpq
 * 17), into column builders chosen by each column's type OID
 * (tess-sql-rows.c). The worker polls the socket and the job's cancellable
 * together: a cancelled job hands the connection to the pool, which cancels
 * the statement on the server.
 */
#include "tess-sql-private.h"

#include "tess-cache-private.h"
#include "tess-frame-private.h"

#include <poll.h>
#include <string.h>

/* Progress and cancellation are looked at every this many rows. */
#define ROW_CHECK_INTERVAL 4096
/* Rows per result with libpq 17's chunked mode. */
#define CHUNK_ROWS 1024

/* Statements */

typedef struct
{
  const char *sql;
  const TessSqlParams *params;
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
  const TessSqlParams *params = statement->params;
  TessSqlReader reader = { statement->source->uri };
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
                tess_sql_reader_init (&reader, result);
              for (int row = 0; row < PQntuples (result); row++)
                {
                  if (reader.n_rows >= statement->row_limit)
                    {
                      truncated = TRUE;
                      break;
                    }
                  if (!tess_sql_reader_append_row (&reader, result, row, &result_error))
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

          frame = tess_sql_reader_finish (&reader, statement->server_names, &result_error);
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
  tess_sql_reader_clear (&reader);
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
  TessSqlParams params;
  guint64 row_limit;
} QueryJob;

static void
query_job_free (QueryJob *query)
{
  tess_sql_source_free (query->source);
  g_free (query->sql);
  tess_sql_params_clear (&query->params);
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
  if (!tess_sql_params_init (&query->params, params, error))
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
  TessSqlParams params = { 0 };
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

  if (!tess_sql_params_init (&params, name, error))
    return NULL;
  found = run_statement (connection, &statement, cancellable, after, may_retry, error);
  tess_sql_params_clear (&params);
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

/* The catalog's description of @table on the database of @source_uri,
 * through the cache (a new reference), or NULL with @error set. */
static TableInfo *
lookup_table_info (
    const char *source_uri, const char *table, const TessSqlOptions *options, GCancellable *cancellable, GError **error)
{
  TessSqlSource *source = tess_sql_source_new (source_uri, options, error);

  return source ? get_table_info (source, table, cancellable, error) : NULL;
}

TessFrame *
tess_sql_describe_table (
    const char *source_uri, const char *table, const TessSqlOptions *options, GCancellable *cancellable, GError **error)
{
  TableInfo *info;
  TessFrame *shape;

  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = lookup_table_info (source_uri, table, options, cancellable, error);
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
  TableInfo *info;
  char *quoted;

  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = lookup_table_info (source_uri, table, options, cancellable, error);
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
  TableInfo *info;
  char *quoted = NULL;

  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = lookup_table_info (source_uri, table, options, cancellable, error);
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
