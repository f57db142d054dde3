/* tess-test-postgres.c: see tess-test-postgres.h.
 *
 * The rendezvous with the run's supervisor is a directory under the
 * temporary folder named after the build directory, so that the runs of
 * different build directories never share a server. A lock file beside it
 * makes "connect, or else start a supervisor and connect" one step among
 * programs that start at the same time; the supervisor takes the same lock
 * before it decides that no one is left.
 */
#include "tess-test-postgres.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct
{
  char *socket_dir;
  char *superuser;
  char *bindir;
  char *log_path;
  int control; /* held open for the life of the process */
} Server;

static Server server;

static int
connect_control (const char *path)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd;

  if (strlen (path) >= sizeof address.sun_path)
    g_error ("The supervisor's socket path %s is too long", path);
  strcpy (address.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* The supervisor's greeting: "READY SOCKETDIR SUPERUSER BINDIR\n". */
static gboolean
read_greeting (int fd, char **line)
{
  GString *text = g_string_new (NULL);
  char c;

  for (;;)
    {
      ssize_t n = read (fd, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0 || c == '\n')
        break;
      g_string_append_c (text, c);
    }
  *line = g_string_free (text, FALSE);
  return g_str_has_prefix (*line, "READY ");
}

/* Starts a supervisor for @rendezvous and waits until it listens (or says
 * why it cannot). */
static void
spawn_supervisor (const char *rendezvous)
{
  const char *argv[] = { TESS_TEST_POSTGRES_SUPERVISOR, rendezvous, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) said = g_string_new (NULL);
  int out = -1;
  char buffer[512];
  ssize_t n;

  /* Without G_SPAWN_DO_NOT_REAP_CHILD GLib forks twice: the supervisor is
   * nobody's child here, and outlives this program. */
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &out,
                                 NULL, &error))
    g_error ("Cannot start the test database's supervisor %s: %s", argv[0], error->message);
  /* it closes its output once the server is ready, or after saying why not */
  while ((n = read (out, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      g_string_append_len (said, buffer, n);
    }
  close (out);
  if (!g_str_has_prefix (said->str, "READY"))
    g_error ("The test database did not start: %s",
             said->len ? g_strstrip (said->str) : "its supervisor ended without a word");
}

const char *
tess_test_postgres_start (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, TESS_TEST_BUILD_ROOT, -1);
      g_autofree char *name = g_strdup_printf ("tessera-test-postgres-%.16s", digest);
      g_autofree char *rendezvous = g_build_filename (g_get_tmp_dir (), name, NULL);
      g_autofree char *lock_path = g_strconcat (rendezvous, ".lock", NULL);
      g_autofree char *control_path = g_build_filename (rendezvous, "control", NULL);
      g_autofree char *greeting = NULL;
      g_auto (GStrv) fields = NULL;
      int lock = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (lock < 0)
        g_error ("Cannot open %s: %s", lock_path, g_strerror (errno));
      while (flock (lock, LOCK_EX) != 0 && errno == EINTR)
        ;
      server.control = connect_control (control_path);
      if (server.control < 0)
        {
          spawn_supervisor (rendezvous);
          server.control = connect_control (control_path);
        }
      if (server.control < 0)
        g_error ("Cannot reach the test database's supervisor at %s: %s", control_path, g_strerror (errno));
      if (!read_greeting (server.control, &greeting))
        g_error ("The test database's supervisor answered “%s”", greeting);
      flock (lock, LOCK_UN);
      close (lock);
      fields = g_strsplit (greeting, " ", 4);
      g_assert_cmpuint (g_strv_length (fields), ==, 4);
      server.socket_dir = g_strdup (fields[1]);
      server.superuser = g_strdup (fields[2]);
      server.bindir = g_strdup (fields[3]);
      server.log_path = g_build_filename (server.socket_dir, "postgres.log", NULL);
      g_once_init_leave (&once, 1);
    }
  return server.socket_dir;
}

const char *
tess_test_postgres_get_superuser (void)
{
  tess_test_postgres_start ();
  return server.superuser;
}

const char *
tess_test_postgres_get_log_path (void)
{
  tess_test_postgres_start ();
  return server.log_path;
}

const char *
tess_test_postgres_get_bindir (void)
{
  tess_test_postgres_start ();
  return server.bindir;
}

char *
tess_test_postgres_uri (const char *dbname, const char *user)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (dbname != NULL, NULL);

  host = g_uri_escape_string (tess_test_postgres_start (), NULL, FALSE);
  return g_strdup_printf ("postgresql:///%s?host=%s&user=%s", dbname, host, user ? user : server.superuser);
}

char *
tess_test_postgres_psql (const char *dbname, const char *sql)
{
  g_autofree char *psql = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_return_val_if_fail (dbname != NULL && sql != NULL, NULL);

  tess_test_postgres_start ();
  psql = g_build_filename (server.bindir, "psql", NULL);
  {
    const char *argv[] = { psql,
                           "-X",
                           "-q",
                           "-A",
                           "-t",
                           "-F",
                           "|",
                           "-P",
                           "null=\\N",
                           "-v",
                           "ON_ERROR_STOP=1",
                           "-h",
                           server.socket_dir,
                           "-U",
                           server.superuser,
                           "-d",
                           dbname,
                           "-c",
                           sql,
                           NULL };
    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
      g_error ("Cannot run %s: %s", psql, error->message);
  }
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("psql failed on “%s”: %s", sql, err);
  return g_steal_pointer (&out);
}

char *
tess_test_postgres_create_database (const char *prefix)
{
  char *name = g_strdup_printf ("%s_%d", prefix, (int) getpid ());
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s", name);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);

  g_free (tess_test_postgres_psql ("postgres", drop));
  g_free (tess_test_postgres_psql ("postgres", create));
  return name;
}

void
tess_test_postgres_create_password_role (const char *role, const char *password)
{
  g_autofree char *drop = g_strdup_printf ("DROP ROLE IF EXISTS %s", role);
  g_autofree char *create =
      g_strdup_printf ("CREATE ROLE %s LOGIN PASSWORD '%s' IN ROLE tess_password_users", role, password);

  g_free (tess_test_postgres_psql ("postgres", drop));
  g_free (tess_test_postgres_psql ("postgres", create));
}
