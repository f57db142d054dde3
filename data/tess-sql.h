/* tess-sql.h: databases that speak the PostgreSQL protocol, through libpq.
 *
 * PostgreSQL, and the engines that speak its protocol (Citus, TimescaleDB,
 * CockroachDB, YugabyteDB, Greenplum, Redshift), are sources: a query runs on
 * the server and only its result crosses the wire, streamed into a frame.
 *
 * A source is a postgresql:// (or postgres://) URI as libpq reads it, with
 * libpq's keywords in its query string (postgresql://ana@db.example.org/sales,
 * postgresql:///sales?host=/run/postgresql, ...?sslmode=require,
 * postgresql:///?service=sales), plus TessSqlOptions. Two more keywords make a
 * URI a source tess_source_load() reads: ?table=NAME (the whole table, as
 * SQL names it: sales, public.sales, "Sales 2024") and ?query=SQL (a query of
 * its own, URI-escaped). The rules:
 *
 * - Passwords never live in a URI: one there (ana:secret@, password=) is an
 *   error. They come from libpq's own files (PGPASSFILE, ~/.pgpass, a service
 *   file with service=NAME), from TessSqlOptions.password, which a local
 *   document fills from ${env:NAME}, or, when neither gives one, from the
 *   function tess_sql_set_password_func() sets (the window's keyring and
 *   dialog).
 * - Values are always bound parameters ($1, $2, ...) from a GVariant tuple,
 *   never pasted into SQL text: s is text (its SQL type inferred by the
 *   server from where $n stands), x, i, u, n, q, y and t are int8, d float8,
 *   b bool, as an array for `col = ANY ($1)` (its element type inferred as
 *   for s), ax and ad int8[] and float8[], a maybe with nothing SQL NULL,
 *   and tess_sql_param_typed() a value of a named SQL type (a date, say).
 *   Identifiers an input chooses (a column to group by) go through
 *   tess_sql_quote_column(), which checks them against the table's columns.
 * - Every session is read-only (default_transaction_read_only=on), speaks
 *   UTF-8, and has the source's statement_timeout. A connection whose query
 *   turned read-only off, or left a transaction open, is closed, not reused.
 * - One pool of connections per source (URI and options) per process: at most
 *   max_connections open at once (connections open only when a query needs
 *   one, so never more than the queries running), idle ones closed after
 *   idle_timeout, a broken one dropped. Connecting never blocks a thread
 *   beyond the caller's, and the caller's cancellable interrupts it.
 * - Rows stream one at a time (in chunks with libpq 17 or later) into column
 *   builders typed by the column's type: int2, int4, int8 and oid as int64;
 *   float4, float8 and numeric as double; bool; date; timestamp and
 *   timestamptz as timestamps (UTC); everything else as its text. A result
 *   of more than row_limit rows stops there: the frame holds the first
 *   row_limit rows and its warning (tess_frame_get_warning()) says so.
 * - Rows are charged to the memory budget (tess-memory.h) as they arrive; a
 *   result that crosses it fails with the budget's message.
 * - A cancelled caller's query is cancelled on the server at once, and its
 *   connection goes back to the pool once the server has confirmed.
 * - Results are cached (tess-cache.h) by source, SQL and parameter values:
 *   concurrent identical queries run once, and results are kept for ttl.
 * - A dashboard from the network reaches a database only on a host the user
 *   has allowed by name, a database on this computer (a Unix socket,
 *   localhost) only once "localhost" is allowed, and never through files of
 *   this computer (service=, passfile=, ssl files) (tess-trust.h).
 *
 * Errors are G_IO_ERROR: NOT_FOUND for a missing table or column,
 * PERMISSION_DENIED for a refused login, CONNECTION_REFUSED for a server that
 * cannot be reached, CONNECTION_CLOSED for a connection that broke during a
 * statement, TIMED_OUT for a statement or connection timeout,
 * INVALID_ARGUMENT for a bad URI or parameter, NO_SPACE for the memory budget,
 * FAILED for the rest; the message names the source and quotes the server's
 * words, with the position of a syntax error. Every function here blocks the
 * calling thread only, and is meant for a worker thread.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tess-cache.h"
#include "tess-frame.h"
#include "tess-trust.h"

G_BEGIN_DECLS

#define TESS_SQL_DEFAULT_ROW_LIMIT 1000000
#define TESS_SQL_DEFAULT_MAX_CONNECTIONS 4
#define TESS_SQL_DEFAULT_IDLE_TIMEOUT 60.0
#define TESS_SQL_DEFAULT_CONNECT_TIMEOUT 30.0

typedef struct
{
  guint64 row_limit;        /* rows read at most; 0: TESS_SQL_DEFAULT_ROW_LIMIT */
  double statement_timeout; /* seconds the server lets one statement run; 0: the server's setting */
  double connect_timeout;   /* seconds to connect and log in; 0: 30 */
  double idle_timeout;      /* seconds an unused connection stays open; 0: 60 */
  guint max_connections;    /* open connections to the source at once; 0: 4 */
  double ttl;               /* seconds a result is kept; 0: until tess_cache_clear(); < 0: not kept */
  /* What the query may reach; NULL: anything. */
  TessTrust *trust;
  /* The password, when libpq's files do not give it; NULL: none. It may hold
   * ${env:NAME}, replaced when a connection is made; the password itself is
   * never logged, shown or kept in a cache key. */
  const char *password;
} TessSqlOptions;

/**
 * tess_sql_uri_is_database:
 *
 * Whether @uri is a postgresql:// or postgres:// URI. Any thread.
 */
gboolean tess_sql_uri_is_database (const char *uri);

/**
 * tess_sql_query:
 * @params: (nullable):
 * @options: (nullable):
 * @cancellable: (nullable):
 * @progress: (scope call) (nullable):
 * @progress_data: (closure progress):
 *
 * Runs @sql on the database @source_uri with @params (a tuple, or NULL for
 * none; a floating reference is sunk) and returns its rows as a frame,
 * through the cache. @options may be NULL. @progress is called on this
 * thread with the rows received so far (total 0). Cancelling @cancellable
 * returns at once with G_IO_ERROR_CANCELLED and, when no other caller waits
 * for the same query, cancels it on the server. Runs on a worker thread.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_sql_query (const char *source_uri,
                           const char *sql,
                           GVariant *params,
                           const TessSqlOptions *options,
                           GCancellable *cancellable,
                           TessProgressFunc progress,
                           gpointer progress_data,
                           GError **error);

/**
 * tess_sql_load:
 * @options: (nullable):
 * @cancellable: (nullable):
 * @progress: (scope call) (nullable):
 * @progress_data: (closure progress):
 *
 * Reads a URI with ?table=NAME or ?query=SQL (see above): what
 * tess_source_load() does with a database URI. A table is read with LIMIT
 * row_limit + 1. Runs on a worker thread.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_sql_load (const char *uri,
                          const TessSqlOptions *options,
                          GCancellable *cancellable,
                          TessProgressFunc progress,
                          gpointer progress_data,
                          GError **error);

/**
 * tess_sql_describe_table:
 * @options: (nullable):
 * @cancellable: (nullable):
 *
 * The table @table (as SQL names it: sales, public.sales, "Sales 2024") as
 * the server knows it: a frame of no rows whose columns have the table's
 * names and types, cached like a query. Fails with G_IO_ERROR_NOT_FOUND,
 * naming the table, when there is none. Runs on a worker thread.
 *
 * Returns: (transfer full):
 */
TessFrame *tess_sql_describe_table (const char *source_uri,
                                    const char *table,
                                    const TessSqlOptions *options,
                                    GCancellable *cancellable,
                                    GError **error);

/**
 * tess_sql_quote_table:
 * @options: (nullable):
 * @cancellable: (nullable):
 *
 * The schema-qualified, quoted name of @table ("public"."sales"), for SQL
 * built around it; fails as tess_sql_describe_table() does. Runs on a
 * worker thread.
 *
 * Returns: (transfer full):
 */
char *tess_sql_quote_table (const char *source_uri,
                            const char *table,
                            const TessSqlOptions *options,
                            GCancellable *cancellable,
                            GError **error);

/**
 * tess_sql_quote_column:
 * @options: (nullable):
 * @cancellable: (nullable):
 *
 * @column quoted as an identifier ("Region") once it is known to be a column
 * of @table: for a column an input chooses (the one to group by), which
 * cannot be a parameter. An unknown name fails with G_IO_ERROR_NOT_FOUND and
 * lists the table's columns. Runs on a worker thread.
 *
 * Returns: (transfer full):
 */
char *tess_sql_quote_column (const char *source_uri,
                             const char *table,
                             const char *column,
                             const TessSqlOptions *options,
                             GCancellable *cancellable,
                             GError **error);

/**
 * tess_sql_param_typed:
 *
 * A parameter of the SQL type @type_name (date, timestamp, timestamptz,
 * numeric, int4, text, uuid, json, jsonb, interval, time) written as @text
 * in that type's input syntax: ("date", "2024-01-31"). Returns a floating
 * {sv}; an unknown type name fails the query that binds it. Any thread.
 *
 * Returns: (transfer none):
 */
GVariant *tess_sql_param_typed (const char *type_name, const char *text);
/**
 * tess_sql_param_date:
 *
 * A date parameter from "YYYY-MM-DD" (what tess_date_input() returns).
 *
 * Returns: (transfer none):
 */
GVariant *tess_sql_param_date (const char *iso_date);

/* Passwords asked for */

/* The login a connection needs a password for. */
typedef struct
{
  const char *uri;    /* the source, as given (it holds no password) */
  const char *host;   /* the server as the connection reached it: a name, an address or a socket folder */
  const char *port;   /* the port, or "" */
  const char *dbname; /* the database */
  const char *user;   /* the user who logs in */
  /* The last password this function gave for this login was refused by the
   * server: it should not give that one again. */
  gboolean refused;
} TessSqlPasswordRequest;

/**
 * TessSqlPasswordFunc:
 * @cancellable: (nullable):
 * @user_data: (closure):
 *
 * Gives the password for @request, as a new string (wiped and freed by the
 * caller), or NULL with @error when there is none; its message is the
 * query's error. It runs on the worker thread that connects, which it may
 * block (while a window asks the user, say) but must return at once with
 * G_IO_ERROR_CANCELLED when @cancellable is cancelled.
 *
 * Returns: (transfer full) (nullable):
 */
typedef char *(*TessSqlPasswordFunc) (const TessSqlPasswordRequest *request,
                                      GCancellable *cancellable,
                                      gpointer user_data,
                                      GError **error);

/**
 * tess_sql_set_password_func:
 * @func: (scope forever) (nullable):
 * @user_data: (closure func):
 *
 * Sets the function asked for a password when a server wants one that
 * neither libpq's files (PGPASSFILE, ~/.pgpass, a service file) nor the
 * source's TessSqlOptions.password give; NULL: none, the login fails. A
 * password it gives serves that one connection: the function remembers
 * what it gave, if it wants to. The application sets it once, before the
 * first query. Any thread.
 */
void tess_sql_set_password_func (TessSqlPasswordFunc func, gpointer user_data);

/**
 * tess_sql_get_connection_count:
 *
 * Connections to databases opened since the process started, open now (in
 * use, idle, or finishing a cancelled statement), and idle in their pools,
 * for tests and benchmarks. Any thread.
 */
guint64 tess_sql_get_connection_count (void);
/**
 * tess_sql_get_open_connection_count:
 *
 * Database connections open now.
 */
guint tess_sql_get_open_connection_count (void);
/**
 * tess_sql_get_idle_connection_count:
 *
 * Database connections idle in their pools now.
 */
guint tess_sql_get_idle_connection_count (void);
/**
 * tess_sql_close_idle_connections:
 *
 * Closes every idle connection of every source (they would close by
 * themselves after their idle timeout). Any thread.
 */
void tess_sql_close_idle_connections (void);

G_END_DECLS
