/* tess-sql-private.h: what the files of the database client share.
 *
 * tess-sql-source.c reads sources (URIs and options); tess-sql-params.c
 * binds values; tess-sql-rows.c reads rows into column builders;
 * tess-sql-pool.c owns the connections: the pools, connecting, and the
 * thread that closes idle connections and cancels and drains abandoned
 * ones; tess-sql.c runs statements, caches their results and is the public
 * API. tess-trust.c asks which hosts a URI reaches.
 */
#pragma once

#include "tess-secret-private.h"

#include "tess-sql.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

/* A source: a database URI read with libpq's PQconninfoParse, and its
 * options. Immutable once made; owned by whoever made it. */
typedef struct
{
  char *uri;       /* as given; holds no password */
  char *table;     /* ?table=, or NULL */
  char *query;     /* ?query=, or NULL */
  char **keywords; /* libpq's keywords and values, the URI's and Tessera's */
  char **values;
  TessSqlOptions options; /* owned copies: the trust is referenced, the password duplicated */
  char *pool_key;         /* what makes connections interchangeable (no secret in clear) */
} TessSqlSource;

TessSqlSource *tess_sql_source_new (const char *uri, const TessSqlOptions *options, GError **error);
void tess_sql_source_free (TessSqlSource *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessSqlSource, tess_sql_source_free)

/* What @uri would reach, for the trust rules: *@hosts the host names (a
 * Unix socket, or no host at all, is "localhost"; hostaddr= values count as
 * hosts), and *@local_keyword the first keyword that names a file of this
 * computer (service, passfile, sslcert...) or NULL. FALSE with @error when
 * the URI is not one libpq reads or holds a password. */
gboolean tess_sql_uri_get_reach (const char *uri, char ***hosts, char **local_keyword, GError **error);

/* Type OIDs (pg_type.dat); the same in every PostgreSQL version and in the
 * engines that speak its protocol. */
#define TESS_SQL_OID_BOOL 16
#define TESS_SQL_OID_INT8 20
#define TESS_SQL_OID_INT2 21
#define TESS_SQL_OID_INT4 23
#define TESS_SQL_OID_OID 26
#define TESS_SQL_OID_FLOAT4 700
#define TESS_SQL_OID_FLOAT8 701
#define TESS_SQL_OID_BOOL_ARRAY 1000
#define TESS_SQL_OID_INT8_ARRAY 1016
#define TESS_SQL_OID_FLOAT8_ARRAY 1022
#define TESS_SQL_OID_DATE 1082
#define TESS_SQL_OID_TIMESTAMP 1114
#define TESS_SQL_OID_TIMESTAMPTZ 1184
#define TESS_SQL_OID_NUMERIC 1700

/* Parameters: a tuple as libpq's arrays (tess-sql-params.c) */

typedef struct
{
  guint n;
  Oid *types;    /* 0: no type, the server infers it */
  char **values; /* in each type's input syntax; NULL entries are SQL NULL */
} TessSqlParams;

/* Reads @tuple (NULL: no parameters) into @params, or fails with
 * G_IO_ERROR_INVALID_ARGUMENT naming the parameter. */
gboolean tess_sql_params_init (TessSqlParams *params, GVariant *tuple, GError **error);
void tess_sql_params_clear (TessSqlParams *params);

/* Rows: a result's rows into column builders (tess-sql-rows.c) */

typedef struct _TessSqlReaderColumn TessSqlReaderColumn;

typedef struct
{
  const char *uri;              /* of the source, for the memory budget's message */
  TessSqlReaderColumn *columns; /* NULL until the first result */
  int n_columns;
  guint64 n_rows;
  guint64 charged; /* bytes of the memory budget the rows hold */
  guint64 pending; /* bytes read but not charged yet */
} TessSqlReader;

/* Makes the columns of @result's shape (names made unique: count,
 * count_2), typed by their OIDs. */
void tess_sql_reader_init (TessSqlReader *reader, const PGresult *result);
/* Appends row @row of @result; fails when the rows cross the memory budget. */
gboolean tess_sql_reader_append_row (TessSqlReader *reader, const PGresult *result, int row, GError **error);
/* The frame of the rows read, charged to the memory budget for its life;
 * *@server_names (when not NULL) receives the columns' names as the server
 * wrote them. Empties the reader. */
TessFrame *tess_sql_reader_finish (TessSqlReader *reader, char ***server_names, GError **error);
/* Frees what the reader holds and gives its charge back. */
void tess_sql_reader_clear (TessSqlReader *reader);

/* Connections */

typedef struct _TessSqlConnection TessSqlConnection;

/* A connection to @source, idle from its pool or newly made, waiting while
 * the pool has max_connections open. Fails at once when @cancellable is
 * cancelled. Runs on a worker thread. */
TessSqlConnection *tess_sql_pool_acquire (TessSqlSource *source, GCancellable *cancellable, GError **error);
PGconn *tess_sql_connection_get_pg (TessSqlConnection *connection);
/* Whether the connection ran a statement before this one (a pooled
 * connection may have died while idle). */
gboolean tess_sql_connection_was_used (TessSqlConnection *connection);
/* A statement ended: the connection goes back to its pool when it is
 * healthy, idle, outside a transaction and still read-only, and is closed
 * otherwise. Any thread. */
void tess_sql_pool_release (TessSqlConnection *connection);
/* Closes the connection: it is broken or in a state no one may inherit.
 * Also closes the pool's idle connections when @pool_suspect (the server
 * went away; they are likely dead too). Any thread. */
void tess_sql_pool_discard (TessSqlConnection *connection, gboolean pool_suspect);
/* A statement is still running or sending rows that no one will read: it is
 * cancelled on the server, the rest of its answer is read and dropped on
 * the pool's thread, and then the connection is released. Returns at once.
 * Any thread. */
void tess_sql_pool_abandon (TessSqlConnection *connection);

/* Waits until @fd is ready for @events (POLLIN, POLLOUT) or @cancel_fd (-1:
 * none) is readable, or @deadline (monotonic µs, -1: none) passes. Returns
 * 1 when @fd is ready, 0 when cancelled, -1 at the deadline. */
int tess_sql_wait (int fd, short events, int cancel_fd, gint64 deadline);

G_END_DECLS
