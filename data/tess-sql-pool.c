/* tess-sql-pool.c: connections to databases, pooled per source.
 *
 * One pool per source (TessSqlSource.pool_key) for the life of the process,
 * all under one lock: its idle connections, most recently used first, and
 * how many it has open. A worker that needs a connection takes an idle one,
 * connects when fewer than max_connections are open, or waits for one to
 * come back. Connecting is libpq's non-blocking sequence
 * (PQconnectStartParams, then PQconnectPoll) polled together with the
 * caller's cancellable and a deadline: the only thread that waits for a
 * connection to be made is the one that needs it, and it returns at once
 * when its run is cancelled.
 *
 * One thread, "tess-sql", with a main context of its own, does what no
 * caller should wait for. It closes connections idle for longer than their
 * pool's idle timeout (one source per pool, ready when the oldest idle
 * connection expires). And it takes abandoned connections, whose statement
 * is still running or sending rows: it cancels the statement on the server,
 * reads and drops the rest of the answer, and only then releases the
 * connection, so that a late cancel request can never hit the next
 * statement. Before libpq 17, PQcancel() blocks while it reaches the
 * server, so it runs on a short-lived thread of its own; with libpq 17, the
 * non-blocking cancel API runs on the pool's thread.
 */
#include "tess-sql-private.h"

#include <errno.h>
#include <glib-unix.h>
#include <poll.h>
#include <string.h>

/* How long an abandoned connection may take to be cancelled and drained
 * before it is closed instead. */
#define ABANDON_TIMEOUT_US (10 * G_USEC_PER_SEC)

typedef struct
{
  char *key;
  char **keywords; /* without the password */
  char **values;
  char *password; /* the template (may hold ${env:NAME}), or NULL */
  guint max_connections;
  gint64 idle_timeout; /* µs */

  /* guarded by pools_lock */
  GQueue idle;      /* of TessSqlConnection (their link), most recently used first */
  guint n_open;     /* idle, in use, being made or being abandoned */
  GCond available;  /* broadcast when a connection comes back or a slot frees */
  GSource *sweeper; /* on the pool thread; ready when the oldest idle connection expires */
} Pool;

struct _TessSqlConnection
{
  PGconn *conn;
  Pool *pool;
  guint uses;        /* statements it ran before the current one */
  gint64 idle_since; /* monotonic µs, while idle */
  GList link;        /* in pool->idle, while idle */

  /* While abandoned: touched only on the pool thread. */
  GSource *watch;            /* the socket being waited for */
  GSource *timer;            /* ABANDON_TIMEOUT_US after it was abandoned */
  gboolean cancel_in_flight; /* a cancel thread is delivering the request */
  gboolean expired;          /* the timer fired meanwhile */
#ifdef LIBPQ_HAS_ASYNC_CANCEL
  PGcancelConn *cancel;
#endif
};

static GMutex pools_lock;
static GHashTable *pools;        /* key -> Pool; pools live as long as the process */
static guint64 connections_made; /* guarded by pools_lock */
static guint connections_open;   /* guarded by pools_lock */
static GMainContext *pool_context;
/* What tess_sql_set_password_func() set; guarded by pools_lock. */
static TessSqlPasswordFunc password_func;
static gpointer password_func_data;

/* The pool thread */

static gpointer
pool_thread_main (gpointer data)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (pool_context, FALSE);

  g_main_context_push_thread_default (pool_context);
  g_main_loop_run (loop);
  return NULL;
}

static GMainContext *
pool_get_context (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      pool_context = g_main_context_new ();
      /* Lives as long as the process, as the pools do. */
      g_thread_unref (g_thread_new ("tess-sql", pool_thread_main, NULL));
      g_once_init_leave (&once, 1);
    }
  return pool_context;
}

int
tess_sql_wait (int fd, short events, int cancel_fd, gint64 deadline)
{
  struct pollfd fds[2] = { { fd, events, 0 }, { cancel_fd, POLLIN, 0 } };

  for (;;)
    {
      int timeout = -1;
      int ready;

      if (deadline >= 0)
        {
          gint64 left = deadline - g_get_monotonic_time ();
          if (left <= 0)
            return -1;
          timeout = (int) MIN ((left + 999) / 1000, G_MAXINT);
        }
      ready = poll (fds, cancel_fd >= 0 ? 2 : 1, timeout);
      if (ready < 0 && errno == EINTR)
        continue;
      if (ready < 0)
        return 1; /* libpq finds and reports what is wrong with the socket */
      if (cancel_fd >= 0 && fds[1].revents)
        return 0;
      if (fds[0].revents)
        return 1;
    }
}

/* Connections */

static void
connection_close (TessSqlConnection *connection)
{
  if (connection->watch)
    g_source_destroy (connection->watch);
  g_clear_pointer (&connection->watch, g_source_unref);
  if (connection->timer)
    g_source_destroy (connection->timer);
  g_clear_pointer (&connection->timer, g_source_unref);
#ifdef LIBPQ_HAS_ASYNC_CANCEL
  g_clear_pointer (&connection->cancel, PQcancelFinish);
#endif
  PQfinish (connection->conn);
  g_free (connection);
}

/* libpq's message on one line: "connection to server ... failed: FATAL:
 * password authentication failed for user "ana"". */
static char *
clean_message (const char *message)
{
  GString *out = g_string_new (NULL);

  for (const char *p = message ? message : ""; *p; p++)
    {
      if (*p == '\n' || *p == '\t' || *p == '\r')
        {
          if (out->len && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else if (*p == ' ' && out->len && out->str[out->len - 1] == ' ')
        continue;
      else
        g_string_append_c (out, *p);
    }
  g_strstrip (out->str);
  out->len = strlen (out->str);
  if (out->len == 0)
    g_string_append (out, "libpq gave no reason");
  return g_string_free (out, FALSE);
}

static const char *
conn_user (PGconn *conn)
{
  const char *user = PQuser (conn);
  return user && *user ? user : "(the default user)";
}

static void
set_connect_error (GError **error, PGconn *conn, const char *uri)
{
  g_autofree char *reason = clean_message (conn ? PQerrorMessage (conn) : NULL);

  if (conn && PQconnectionNeedsPassword (conn))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                 "The database %s wants a password for user %s: put it in a password file (PGPASSFILE or ~/.pgpass) "
                 "or a service file (service=NAME), or give it as ${env:NAME} in a local document; never in the "
                 "address (%s)",
                 uri, conn_user (conn), reason);
  else if (conn && (strstr (reason, "password authentication failed") != NULL ||
                    (PQconnectionUsedPassword (conn) && strstr (reason, "authentication failed") != NULL)))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                 "The database %s refused the password of user %s: correct it where it comes from (the password "
                 "file, the service file, the environment variable or the keyring) (%s)",
                 uri, conn_user (conn), reason);
  else if (strstr (reason, "FATAL") != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "The database %s refused the connection: %s", uri,
                 reason);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                 "Cannot connect to the database %s: %s; check that the server runs and the address is right", uri,
                 reason);
}

/* Notices and warnings the server sends (and libpq's own, such as a
 * connection the server ended) go to the debug log, not to stderr. */
static void
log_notice (void *data, const char *message)
{
  g_autofree char *clean = clean_message (message);
  g_debug ("Database notice: %s", clean);
}

/* Starts connecting to @pool's server, with @password when not NULL (libpq
 * copies what it keeps). NULL when out of memory. */
static PGconn *
connection_start (Pool *pool, const char *password)
{
  guint n = g_strv_length (pool->keywords);
  g_autofree const char **keywords = g_new0 (const char *, n + 2);
  g_autofree const char **values = g_new0 (const char *, n + 2);

  for (guint i = 0; i < n; i++)
    {
      keywords[i] = pool->keywords[i];
      values[i] = pool->values[i];
    }
  if (password)
    {
      keywords[n] = "password";
      values[n] = password;
    }
  return PQconnectStartParams (keywords, values, 0);
}

/* Polls libpq's sequence for @conn with @cancellable and a deadline of
 * @connect_timeout from now: TRUE once connected. Runs on a worker thread. */
static gboolean
connection_poll (PGconn *conn, const char *uri, double connect_timeout, GCancellable *cancellable, GError **error)
{
  PostgresPollingStatusType status = PGRES_POLLING_WRITING;
  gint64 deadline = g_get_monotonic_time () + (gint64) (connect_timeout * G_USEC_PER_SEC);
  int cancel_fd = g_cancellable_get_fd (cancellable);

  while (status != PGRES_POLLING_OK)
    {
      int ready;

      if (status == PGRES_POLLING_FAILED || PQsocket (conn) < 0)
        {
          set_connect_error (error, conn, uri);
          break;
        }
      ready = tess_sql_wait (PQsocket (conn), status == PGRES_POLLING_READING ? POLLIN : POLLOUT, cancel_fd, deadline);
      if (ready == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The query was cancelled");
          break;
        }
      if (ready < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "Cannot connect to the database %s: no answer within %g s; check that the server runs and "
                       "the address is right",
                       uri, connect_timeout);
          break;
        }
      status = PQconnectPoll (conn);
    }
  if (cancel_fd >= 0)
    g_cancellable_release_fd (cancellable);
  return status == PGRES_POLLING_OK;
}

/* Whether the server refused the password @conn gave. */
static gboolean
password_refused (PGconn *conn)
{
  const char *reason = PQerrorMessage (conn);

  return PQconnectionUsedPassword (conn) && reason && strstr (reason, "authentication failed") != NULL;
}

/* Makes a connection, polling libpq's sequence with @cancellable and the
 * deadline. When the server wants a password that neither libpq's files nor
 * the source give, asks the password function (a few times, while the
 * server refuses what it gives). Runs on a worker thread. */
static TessSqlConnection *
connection_new (Pool *pool, const char *uri, double connect_timeout, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  TessSqlPasswordFunc ask;
  gpointer ask_data;
  TessSqlConnection *connection;
  char *password = NULL;
  gboolean connected;
  PGconn *conn;

  if (pool->password)
    {
      password = tess_secret_expand_env (pool->password, "The database password", error);
      if (password == NULL)
        return NULL;
    }
  conn = connection_start (pool, password);
  /* the expanded secret goes at once */
  tess_secret_wipe (password);
  if (conn == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot connect to the database %s: out of memory", uri);
      return NULL;
    }
  connected = connection_poll (conn, uri, connect_timeout, cancellable, &local_error);

  g_mutex_lock (&pools_lock);
  ask = password_func;
  ask_data = password_func_data;
  g_mutex_unlock (&pools_lock);
  for (guint attempt = 0; !connected && ask && pool->password == NULL && attempt < 3 &&
                          (PQconnectionNeedsPassword (conn) || (attempt > 0 && password_refused (conn)));
       attempt++)
    {
      const TessSqlPasswordRequest request = {
        uri, PQhost (conn), PQport (conn), PQdb (conn), PQuser (conn), attempt > 0,
      };
      g_autoptr (GError) ask_error = NULL;
      char *given = ask (&request, cancellable, ask_data, &ask_error);

      if (given == NULL)
        {
          /* its reason, when it gives one, replaces libpq's */
          if (ask_error)
            {
              g_clear_error (&local_error);
              local_error = g_steal_pointer (&ask_error);
            }
          break;
        }
      PQfinish (conn);
      conn = connection_start (pool, given);
      tess_secret_wipe (given);
      if (conn == NULL)
        break;
      g_clear_error (&local_error);
      connected = connection_poll (conn, uri, connect_timeout, cancellable, &local_error);
    }
  if (!connected)
    {
      if (local_error == NULL)
        g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot connect to the database %s: out of memory",
                     uri);
      g_propagate_error (error, g_steal_pointer (&local_error));
      if (conn)
        PQfinish (conn);
      return NULL;
    }
  /* statements are sent and flushed without blocking (tess-sql.c) */
  PQsetnonblocking (conn, 1);
  PQsetNoticeProcessor (conn, log_notice, NULL);
  connection = g_new0 (TessSqlConnection, 1);
  connection->conn = conn;
  connection->pool = pool;
  connection->link.data = connection;
  g_mutex_lock (&pools_lock);
  connections_made++;
  g_mutex_unlock (&pools_lock);
  return connection;
}

/* Whether an idle connection can still run a statement: nothing arrived
 * while it was idle but, perhaps, the server's goodbye. Runs on a worker
 * thread. */
static gboolean
connection_alive (TessSqlConnection *connection)
{
  struct pollfd fd = { PQsocket (connection->conn), POLLIN, 0 };

  if (PQstatus (connection->conn) != CONNECTION_OK || fd.fd < 0)
    return FALSE;
  if (poll (&fd, 1, 0) > 0 && !PQconsumeInput (connection->conn))
    return FALSE;
  return PQstatus (connection->conn) == CONNECTION_OK && !PQisBusy (connection->conn);
}

PGconn *
tess_sql_connection_get_pg (TessSqlConnection *connection)
{
  return connection->conn;
}

gboolean
tess_sql_connection_was_used (TessSqlConnection *connection)
{
  return connection->uses > 0;
}

/* Pools */

static gboolean
sweeper_dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  return callback (data);
}

static GSourceFuncs sweeper_funcs = { NULL, NULL, sweeper_dispatch, NULL, NULL, NULL };

/* The sweeper wakes when the oldest idle connection expires. Lock held. */
static void
update_sweeper_locked (Pool *pool)
{
  TessSqlConnection *oldest = g_queue_peek_tail (&pool->idle);

  g_source_set_ready_time (pool->sweeper, oldest ? oldest->idle_since + pool->idle_timeout : -1);
}

/* Closes the connections idle for longer than the idle timeout. Runs on the
 * pool thread. */
static gboolean
pool_sweep (gpointer data)
{
  Pool *pool = data;
  g_autoptr (GPtrArray) expired = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_close);
  gint64 now = g_get_monotonic_time ();
  TessSqlConnection *oldest;

  g_mutex_lock (&pools_lock);
  while ((oldest = g_queue_peek_tail (&pool->idle)) != NULL && oldest->idle_since + pool->idle_timeout <= now)
    {
      g_queue_unlink (&pool->idle, &oldest->link);
      g_ptr_array_add (expired, oldest);
      pool->n_open--;
      connections_open--;
    }
  update_sweeper_locked (pool);
  if (expired->len)
    g_cond_broadcast (&pool->available);
  g_mutex_unlock (&pools_lock);
  return G_SOURCE_CONTINUE;
}

static void
pool_free (gpointer data)
{
  /* Pools live as long as the process: this runs only at its very end, if ever. */
  Pool *pool = data;
  g_free (pool->key);
  g_strfreev (pool->keywords);
  g_strfreev (pool->values);
  tess_secret_wipe (pool->password);
  g_free (pool);
}

/* The pool of @source, made on first use. Lock held. */
static Pool *
pool_for_locked (TessSqlSource *source)
{
  Pool *pool;
  guint n = g_strv_length (source->keywords);

  if (pools == NULL)
    pools = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, pool_free);
  pool = g_hash_table_lookup (pools, source->pool_key);
  if (pool)
    return pool;
  pool = g_new0 (Pool, 1);
  pool->key = g_strdup (source->pool_key);
  pool->keywords = g_new0 (char *, n + 1);
  pool->values = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      pool->keywords[i] = g_strdup (source->keywords[i]);
      pool->values[i] = g_strdup (source->values[i]);
    }
  pool->password = g_strdup (source->options.password);
  pool->max_connections = source->options.max_connections;
  pool->idle_timeout = (gint64) (source->options.idle_timeout * G_USEC_PER_SEC);
  g_queue_init (&pool->idle);
  g_cond_init (&pool->available);
  pool->sweeper = g_source_new (&sweeper_funcs, sizeof (GSource));
  g_source_set_name (pool->sweeper, "[tessera] database pool sweeper");
  g_source_set_callback (pool->sweeper, pool_sweep, pool, NULL);
  g_source_set_ready_time (pool->sweeper, -1);
  g_source_attach (pool->sweeper, pool_get_context ());
  g_hash_table_insert (pools, pool->key, pool);
  return pool;
}

/* Runs in the thread that cancels a waiting caller. */
static void
wake_waiters (GCancellable *cancellable, gpointer data)
{
  Pool *pool = data;

  g_mutex_lock (&pools_lock);
  g_cond_broadcast (&pool->available);
  g_mutex_unlock (&pools_lock);
}

TessSqlConnection *
tess_sql_pool_acquire (TessSqlSource *source, GCancellable *cancellable, GError **error)
{
  TessSqlConnection *connection = NULL;
  Pool *pool;
  gulong handler = 0;

  g_return_val_if_fail (source != NULL, NULL);

  g_mutex_lock (&pools_lock);
  pool = pool_for_locked (source);
  g_mutex_unlock (&pools_lock);
  /* never while holding the lock: the handler takes it */
  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_waiters), pool, NULL);
  g_mutex_lock (&pools_lock);
  for (;;)
    {
      GList *link;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The query was cancelled");
          break;
        }
      if ((link = g_queue_pop_head_link (&pool->idle)) != NULL)
        {
          TessSqlConnection *idle = link->data;

          update_sweeper_locked (pool);
          g_mutex_unlock (&pools_lock);
          if (connection_alive (idle))
            {
              connection = idle;
              g_mutex_lock (&pools_lock);
              break;
            }
          connection_close (idle);
          g_mutex_lock (&pools_lock);
          pool->n_open--;
          connections_open--;
          continue;
        }
      if (pool->n_open < pool->max_connections)
        {
          pool->n_open++;
          connections_open++;
          g_mutex_unlock (&pools_lock);
          connection = connection_new (pool, source->uri, source->options.connect_timeout, cancellable, error);
          g_mutex_lock (&pools_lock);
          if (connection == NULL)
            {
              pool->n_open--;
              connections_open--;
              g_cond_broadcast (&pool->available);
            }
          break;
        }
      g_cond_wait (&pool->available, &pools_lock);
    }
  g_mutex_unlock (&pools_lock);
  if (handler)
    g_cancellable_disconnect (cancellable, handler);
  return connection;
}

void
tess_sql_pool_discard (TessSqlConnection *connection, gboolean pool_suspect)
{
  Pool *pool = connection->pool;
  GQueue doomed = G_QUEUE_INIT;

  g_mutex_lock (&pools_lock);
  pool->n_open--;
  connections_open--;
  if (pool_suspect)
    {
      doomed = pool->idle;
      g_queue_init (&pool->idle);
      pool->n_open -= doomed.length;
      connections_open -= doomed.length;
      update_sweeper_locked (pool);
    }
  g_cond_broadcast (&pool->available);
  g_mutex_unlock (&pools_lock);
  connection_close (connection);
  while (doomed.length)
    {
      GList *link = g_queue_pop_head_link (&doomed);
      connection_close (link->data);
    }
}

void
tess_sql_pool_release (TessSqlConnection *connection)
{
  Pool *pool = connection->pool;
  PGconn *conn = connection->conn;
  const char *read_only = PQparameterStatus (conn, "default_transaction_read_only");

  /* A statement may have opened a transaction (BEGIN), turned read-only off
   * (SET, set_config) or left the session in a state no later statement
   * should inherit: such a connection is not reused. Servers before
   * PostgreSQL 14 do not report the setting. */
  if (PQstatus (conn) != CONNECTION_OK || PQtransactionStatus (conn) != PQTRANS_IDLE || PQisBusy (conn) ||
      (read_only && !g_str_equal (read_only, "on")))
    {
      tess_sql_pool_discard (connection, PQstatus (conn) != CONNECTION_OK);
      return;
    }
  connection->uses++;
  g_mutex_lock (&pools_lock);
  connection->idle_since = g_get_monotonic_time ();
  g_queue_push_head_link (&pool->idle, &connection->link);
  update_sweeper_locked (pool);
  g_cond_broadcast (&pool->available);
  g_mutex_unlock (&pools_lock);
}

/* Abandoned connections, on the pool thread */

static void
abandon_finish (TessSqlConnection *connection, gboolean reusable)
{
  if (connection->watch)
    g_source_destroy (connection->watch);
  g_clear_pointer (&connection->watch, g_source_unref);
  if (connection->timer)
    g_source_destroy (connection->timer);
  g_clear_pointer (&connection->timer, g_source_unref);
#ifdef LIBPQ_HAS_ASYNC_CANCEL
  g_clear_pointer (&connection->cancel, PQcancelFinish);
#endif
  if (reusable)
    tess_sql_pool_release (connection);
  else
    tess_sql_pool_discard (connection, FALSE);
}

static void
watch_socket (TessSqlConnection *connection, int fd, GIOCondition condition, GUnixFDSourceFunc func)
{
  if (connection->watch)
    g_source_destroy (connection->watch);
  g_clear_pointer (&connection->watch, g_source_unref);
  connection->watch = g_unix_fd_source_new (fd, condition);
  g_source_set_callback (connection->watch, G_SOURCE_FUNC (func), connection, NULL);
  g_source_attach (connection->watch, pool_context);
}

/* Reads what the server still sends for the abandoned statement; once the
 * statement has ended, the connection is released. */
static gboolean
drain_ready (int fd, GIOCondition condition, gpointer data)
{
  TessSqlConnection *connection = data;
  PGconn *conn = connection->conn;

  if (!PQconsumeInput (conn))
    {
      abandon_finish (connection, FALSE);
      return G_SOURCE_REMOVE;
    }
  while (!PQisBusy (conn))
    {
      PGresult *result = PQgetResult (conn);
      ExecStatusType status;

      if (result == NULL)
        {
          abandon_finish (connection, TRUE);
          return G_SOURCE_REMOVE;
        }
      status = PQresultStatus (result);
      PQclear (result);
      if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH)
        {
          abandon_finish (connection, FALSE);
          return G_SOURCE_REMOVE;
        }
    }
  return G_SOURCE_CONTINUE;
}

static void
begin_drain (TessSqlConnection *connection)
{
  watch_socket (connection, PQsocket (connection->conn), G_IO_IN | G_IO_HUP | G_IO_ERR, drain_ready);
  /* what has arrived already needs no wake-up (this may finish the
   * connection: it is not touched after) */
  drain_ready (PQsocket (connection->conn), G_IO_IN, connection);
}

static gboolean
abandon_timed_out (gpointer data)
{
  TessSqlConnection *connection = data;

  g_debug ("An abandoned statement did not end within %d s: its connection is closed",
           (int) (ABANDON_TIMEOUT_US / G_USEC_PER_SEC));
  g_clear_pointer (&connection->timer, g_source_unref);
  /* the cancel thread still holds it: cancel_sent() closes it */
  if (connection->cancel_in_flight)
    connection->expired = TRUE;
  else
    abandon_finish (connection, FALSE);
  return G_SOURCE_REMOVE;
}

#ifdef LIBPQ_HAS_ASYNC_CANCEL

static gboolean
cancel_ready (int fd, GIOCondition condition, gpointer data)
{
  TessSqlConnection *connection = data;
  PostgresPollingStatusType status = PQcancelPoll (connection->cancel);

  if (status == PGRES_POLLING_READING || status == PGRES_POLLING_WRITING)
    {
      watch_socket (connection, PQcancelSocket (connection->cancel),
                    status == PGRES_POLLING_READING ? G_IO_IN : G_IO_OUT, cancel_ready);
      return G_SOURCE_REMOVE;
    }
  if (status == PGRES_POLLING_FAILED)
    g_debug ("Cannot cancel a statement: %s", PQcancelErrorMessage (connection->cancel));
  g_clear_pointer (&connection->cancel, PQcancelFinish);
  begin_drain (connection);
  return G_SOURCE_REMOVE;
}

#else

typedef struct
{
  PGcancel *cancel;
  TessSqlConnection *connection;
} CancelRequest;

/* The cancel request has been delivered (or failed): the rest of the answer
 * can be read. Runs on the pool thread. */
static gboolean
cancel_sent (gpointer data)
{
  TessSqlConnection *connection = data;

  connection->cancel_in_flight = FALSE;
  if (connection->expired)
    abandon_finish (connection, FALSE);
  else
    begin_drain (connection);
  return G_SOURCE_REMOVE;
}

/* PQcancel() blocks while it reaches the server: a thread of its own.
 * Nothing touches the connection until cancel_sent() runs. */
static gpointer
cancel_thread_main (gpointer data)
{
  CancelRequest *request = data;
  char reason[256] = "";

  if (!PQcancel (request->cancel, reason, sizeof reason))
    g_debug ("Cannot cancel a statement: %s", reason);
  PQfreeCancel (request->cancel);
  g_main_context_invoke (pool_context, cancel_sent, request->connection);
  g_free (request);
  return NULL;
}

#endif

static gboolean
abandon_on_pool_thread (gpointer data)
{
  TessSqlConnection *connection = data;

  connection->timer = g_timeout_source_new (ABANDON_TIMEOUT_US / 1000);
  g_source_set_callback (connection->timer, abandon_timed_out, connection, NULL);
  g_source_attach (connection->timer, pool_context);
  /* a statement not even sent whole cannot be drained */
  if (PQstatus (connection->conn) != CONNECTION_OK || PQflush (connection->conn) != 0)
    {
      abandon_finish (connection, FALSE);
      return G_SOURCE_REMOVE;
    }
#ifdef LIBPQ_HAS_ASYNC_CANCEL
  connection->cancel = PQcancelCreate (connection->conn);
  if (connection->cancel && PQcancelStart (connection->cancel))
    watch_socket (connection, PQcancelSocket (connection->cancel), G_IO_OUT, cancel_ready);
  else
    {
      g_clear_pointer (&connection->cancel, PQcancelFinish);
      begin_drain (connection);
    }
#else
  {
    CancelRequest *request = g_new0 (CancelRequest, 1);

    /* the drain waits for the cancel request to be delivered: a late one
     * must not reach the connection's next statement */
    request->cancel = PQgetCancel (connection->conn);
    request->connection = connection;
    if (request->cancel == NULL)
      {
        g_free (request);
        begin_drain (connection);
        return G_SOURCE_REMOVE;
      }
    connection->cancel_in_flight = TRUE;
    g_thread_unref (g_thread_new ("tess-sql-cancel", cancel_thread_main, request));
  }
#endif
  return G_SOURCE_REMOVE;
}

void
tess_sql_pool_abandon (TessSqlConnection *connection)
{
  g_main_context_invoke (pool_get_context (), abandon_on_pool_thread, connection);
}

/* Passwords asked for */

void
tess_sql_set_password_func (TessSqlPasswordFunc func, gpointer user_data)
{
  g_mutex_lock (&pools_lock);
  password_func = func;
  password_func_data = user_data;
  g_mutex_unlock (&pools_lock);
}

/* Counts */

guint64
tess_sql_get_connection_count (void)
{
  guint64 count;

  g_mutex_lock (&pools_lock);
  count = connections_made;
  g_mutex_unlock (&pools_lock);
  return count;
}

guint
tess_sql_get_open_connection_count (void)
{
  guint count;

  g_mutex_lock (&pools_lock);
  count = connections_open;
  g_mutex_unlock (&pools_lock);
  return count;
}

guint
tess_sql_get_idle_connection_count (void)
{
  GHashTableIter iter;
  gpointer value;
  guint count = 0;

  g_mutex_lock (&pools_lock);
  if (pools)
    {
      g_hash_table_iter_init (&iter, pools);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        count += ((Pool *) value)->idle.length;
    }
  g_mutex_unlock (&pools_lock);
  return count;
}

void
tess_sql_close_idle_connections (void)
{
  GQueue doomed = G_QUEUE_INIT;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&pools_lock);
  if (pools)
    {
      g_hash_table_iter_init (&iter, pools);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Pool *pool = value;
          GList *link;

          while ((link = g_queue_pop_head_link (&pool->idle)) != NULL)
            {
              g_queue_push_tail_link (&doomed, link);
              pool->n_open--;
              connections_open--;
            }
          update_sweeper_locked (pool);
          g_cond_broadcast (&pool->available);
        }
    }
  g_mutex_unlock (&pools_lock);
  while (doomed.length)
    connection_close (g_queue_pop_head_link (&doomed)->data);
}
