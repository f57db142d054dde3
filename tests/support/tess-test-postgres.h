/* tess-test-postgres.h: one throwaway PostgreSQL server for a test run.
 *
 * Tests and benchmarks of database sources talk to a real server. The first
 * program of a run that asks for it starts a small supervisor process
 * (tess-test-postgres-supervisor), which makes a cluster in a temporary
 * directory with initdb (as the postgres user when the run is root), starts
 * the server listening only on a Unix socket in that directory (fsync off,
 * every statement logged), and stays until the last program that uses it
 * has gone. Every program of the run (of this build directory) that asks
 * while it runs shares that server; each holds a connection to the
 * supervisor for as long as it lives, so a program that fails, crashes or is
 * killed is counted out all the same. A few seconds after the last one,
 * the supervisor stops the server and removes the directory. The server is
 * the supervisor's child and is told to stop when its parent dies, so not
 * even a killed supervisor leaves a server behind; the next run removes what
 * such a supervisor left on disk.
 *
 * When PostgreSQL's server programs are missing, the program fails, saying
 * to run build-aux/install-deps.sh: database tests never pass by skipping.
 *
 * Each program makes its own databases and roles (named after its process
 * id), so programs running at once do not meet. Every function fails the
 * test on an error it cannot recover from. Any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Starts the run's server, or joins it; returns the directory of its Unix
 * socket (owned by the library). */
const char *tess_test_postgres_start (void);

/* The name of the server's superuser. */
const char *tess_test_postgres_get_superuser (void);

/* The server's log: every statement, each line "TIME [PID] APPLICATION ...",
 * TIME in UTC with milliseconds. */
const char *tess_test_postgres_get_log_path (void);

/* The folder of PostgreSQL's programs (psql among them). */
const char *tess_test_postgres_get_bindir (void);

/* "postgresql:///DBNAME?host=SOCKETDIR&user=USER" (the superuser when @user
 * is NULL); free it. */
char *tess_test_postgres_uri (const char *dbname, const char *user);

/* Makes a new, empty database "PREFIX_PID", dropping one of that name
 * first; returns its name, to free. */
char *tess_test_postgres_create_database (const char *prefix);

/* Runs @sql with psql as the superuser on @dbname and returns what it
 * prints: unaligned, without headers, fields separated by "|", rows by
 * newlines, null as \N. Fails the test when psql fails. Free it. */
char *tess_test_postgres_psql (const char *dbname, const char *sql);

/* A role that logs in with a password only: it belongs to the group
 * "tess_password_users", which the server's pg_hba.conf makes use
 * scram-sha-256 on the socket (everyone else is trusted). Made afresh. */
void tess_test_postgres_create_password_role (const char *role, const char *password);

G_END_DECLS
