/* tess-test-postgres-supervisor.c: the keeper of a test run's PostgreSQL
 * server (tess-test-postgres.h).
 *
 * Usage: tess-test-postgres-supervisor RENDEZVOUS
 *
 * Started by the first test program of a run, detached from it. It makes
 * the directory RENDEZVOUS, a cluster in RENDEZVOUS/data with initdb (through
 * `runuser -u postgres` when run as root, since PostgreSQL refuses to run as
 * root), and starts the server with the options
 * `-F -k RENDEZVOUS -c listen_addresses='' -c fsync=off -c log_statement=all`:
 * on a Unix socket only, logging to RENDEZVOUS/postgres.log. Then it listens
 * on RENDEZVOUS/control: each test program connects, reads one line
 * ("READY SOCKETDIR SUPERUSER BINDIR") and keeps the connection open while
 * it lives. Five seconds after the last one has gone (however it went), the
 * supervisor stops the server (fast shutdown), removes RENDEZVOUS and exits.
 *
 * The server runs as this process's own child rather than through
 * `pg_ctl start`, which detaches it: the child asks the kernel for SIGQUIT
 * (PostgreSQL's immediate shutdown) when its parent dies, so a supervisor
 * that is killed takes its server with it. The next supervisor removes what
 * a killed one left on disk. On its first line of output the supervisor
 * says READY, or ERROR and why (missing PostgreSQL programs name
 * build-aux/install-deps.sh); then it closes that output.
 */
#define _GNU_SOURCE 1 /* accept4 */

#include <glib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINGER_US (5 * G_USEC_PER_SEC)
#define MAX_CLIENTS 256

static int ready_fd = -1; /* the first program's pipe, until READY or ERROR */

static void fail (const char *format, ...) G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN;

static void
fail (const char *format, ...)
{
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  line = g_strdup_printf ("ERROR %s\n", message);
  if (ready_fd >= 0 && write (ready_fd, line, strlen (line)) < 0)
    g_printerr ("%s", line);
  exit (1);
}

/* PostgreSQL's programs: $TESS_TEST_POSTGRES_BINDIR when set, else
 * Debian's /usr/lib/postgresql/VERSION/bin (the newest), else pg_config's
 * bindir. Not /usr/local/bin or PATH, where anything may sit. */
static char *
find_bindir (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  g_autofree char *best = NULL;
  gint64 best_version = -1;
  const char *name;
  g_autofree char *out = NULL;
  const char *env = g_getenv ("TESS_TEST_POSTGRES_BINDIR");

  /* another installation, for whoever has one elsewhere */
  if (env && *env)
    {
      g_autofree char *initdb = g_build_filename (env, "initdb", NULL);
      return g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (env) : NULL;
    }
  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *bin = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
      g_autofree char *initdb = g_build_filename (bin, "initdb", NULL);
      g_autofree char *postgres = g_build_filename (bin, "postgres", NULL);
      gint64 version = g_ascii_strtoll (name, NULL, 10);

      if (version > best_version && g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE) &&
          g_file_test (postgres, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_free (best);
          best = g_steal_pointer (&bin);
          best_version = version;
        }
    }
  if (best)
    return g_steal_pointer (&best);
  if (g_spawn_command_line_sync ("pg_config --bindir", &out, NULL, NULL, NULL) && out)
    {
      g_autofree char *initdb = NULL;
      g_strstrip (out);
      initdb = g_build_filename (out, "initdb", NULL);
      if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&out);
    }
  return NULL;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A server a killed supervisor left behind is stopped (it should have
 * stopped by itself), then its files go. */
static void
remove_leftovers (const char *rendezvous)
{
  g_autofree char *pid_file = g_build_filename (rendezvous, "data", "postmaster.pid", NULL);
  g_autofree char *contents = NULL;

  if (g_file_get_contents (pid_file, &contents, NULL, NULL))
    {
      pid_t pid = (pid_t) g_ascii_strtoll (contents, NULL, 10);
      if (pid > 1 && kill (pid, SIGQUIT) == 0)
        for (int i = 0; i < 100 && kill (pid, 0) == 0; i++)
          g_usleep (50000);
    }
  remove_tree (rendezvous);
}

static void
run_or_fail (const char *const *argv, const char *what)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
    fail ("cannot run %s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    fail ("%s failed: %s%s", what, g_strstrip (out), g_strstrip (err));
}

/* The lock the test programs take to join or start a server. */
static int
take_lock (const char *lock_path)
{
  int lock = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  while (lock >= 0 && flock (lock, LOCK_EX) != 0 && errno == EINTR)
    ;
  return lock;
}

typedef struct
{
  const char *rendezvous;
  const char *bindir;
  const char *superuser;
  struct passwd *postgres_user; /* when run as root */
} Setup;

/* Runs in the forked child: becomes the server. Only async-signal-safe
 * calls from here to exec. */
static void
exec_server (const Setup *setup, const char *postgres, const char *data_dir, int log_fd, pid_t supervisor)
{
  const char *argv[] = { postgres, "-D",
                         data_dir, "-F",
                         "-k",     setup->rendezvous,
                         "-c",     "listen_addresses=",
                         "-c",     "fsync=off",
                         "-c",     "log_statement=all",
                         "-c",     "log_line_prefix=%m [%p] %a ",
                         "-c",     "log_timezone=UTC",
                         "-c",     "logging_collector=off",
                         NULL };
  int null_fd = open ("/dev/null", O_RDONLY);

  dup2 (null_fd, 0);
  dup2 (log_fd, 1);
  dup2 (log_fd, 2);
  if (setup->postgres_user)
    {
      if (setgid (setup->postgres_user->pw_gid) != 0 ||
          initgroups (setup->postgres_user->pw_name, setup->postgres_user->pw_gid) != 0 ||
          setuid (setup->postgres_user->pw_uid) != 0)
        _exit (126);
    }
  /* after the change of user, which would clear it */
  prctl (PR_SET_PDEATHSIG, SIGQUIT);
  if (getppid () != supervisor)
    _exit (0);
  execv (postgres, (char **) argv);
  _exit (127);
}

static gboolean
server_ready (const Setup *setup)
{
  g_autofree char *pg_isready = g_build_filename (setup->bindir, "pg_isready", NULL);
  const char *argv[] = { pg_isready, "-q", "-h", setup->rendezvous, "-U", setup->superuser, "-d", "postgres", NULL };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static char *
log_tail (const char *log_path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (log_path, &contents, &length, NULL))
    return g_strdup ("(no log)");
  return g_strdup (contents + (length > 2000 ? length - 2000 : 0));
}

/* Stops the server: fast shutdown, then immediate, then kill. */
static void
stop_server (pid_t pid)
{
  int signals[] = { SIGINT, SIGQUIT, SIGKILL };

  for (guint s = 0; s < G_N_ELEMENTS (signals); s++)
    {
      kill (pid, signals[s]);
      for (int i = 0; i < 200; i++)
        {
          if (waitpid (pid, NULL, WNOHANG) == pid)
            return;
          g_usleep (50000);
        }
    }
}

int
main (int argc, char **argv)
{
  Setup setup = { 0 };
  g_autofree char *bindir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *control_path = NULL;
  g_autofree char *lock_path = NULL;
  g_autofree char *initdb = NULL;
  g_autofree char *postgres = NULL;
  g_autofree char *psql = NULL;
  g_autofree char *hba_path = NULL;
  g_autofree char *greeting = NULL;
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  struct pollfd fds[MAX_CLIENTS + 2];
  guint n_clients = 0;
  gint64 empty_since;
  sigset_t mask;
  int listener, signals, log_fd, null_fd;
  int lock = -1;
  pid_t server;

  if (argc != 2 || !g_path_is_absolute (argv[1]))
    {
      g_printerr ("Usage: %s RENDEZVOUS (an absolute path)\n", argv[0]);
      return 2;
    }
  setup.rendezvous = argv[1];
  /* the first program reads our first line; nothing else may hold its pipe */
  ready_fd = fcntl (1, F_DUPFD_CLOEXEC, 3);
  null_fd = open ("/dev/null", O_RDWR);
  dup2 (null_fd, 0);
  dup2 (null_fd, 1);
  dup2 (null_fd, 2);
  close (null_fd);
  setsid ();
  signal (SIGPIPE, SIG_IGN);

  bindir = find_bindir ();
  if (bindir == NULL)
    fail ("PostgreSQL's server programs (initdb, postgres) are not installed, and the database tests need them: "
          "run build-aux/install-deps.sh");
  setup.bindir = bindir;
  initdb = g_build_filename (bindir, "initdb", NULL);
  postgres = g_build_filename (bindir, "postgres", NULL);
  psql = g_build_filename (bindir, "psql", NULL);
  if (!g_file_test (psql, G_FILE_TEST_IS_EXECUTABLE))
    fail ("%s is missing: run build-aux/install-deps.sh", psql);
  if (geteuid () == 0)
    {
      if (!g_file_test ("/usr/sbin/runuser", G_FILE_TEST_IS_EXECUTABLE))
        fail ("/usr/sbin/runuser (util-linux) is missing: run build-aux/install-deps.sh");
      setup.postgres_user = getpwnam ("postgres");
      if (setup.postgres_user == NULL)
        fail ("there is no user postgres to run the server as (PostgreSQL refuses root): run "
              "build-aux/install-deps.sh");
      setup.superuser = "postgres";
    }
  else
    setup.superuser = g_get_user_name ();

  remove_leftovers (setup.rendezvous);
  if (g_mkdir (setup.rendezvous, 0755) != 0)
    fail ("cannot make %s: %s", setup.rendezvous, g_strerror (errno));
  if (setup.postgres_user && chown (setup.rendezvous, setup.postgres_user->pw_uid, setup.postgres_user->pw_gid) != 0)
    fail ("cannot give %s to the postgres user: %s", setup.rendezvous, g_strerror (errno));
  data_dir = g_build_filename (setup.rendezvous, "data", NULL);
  log_path = g_build_filename (setup.rendezvous, "postgres.log", NULL);
  control_path = g_build_filename (setup.rendezvous, "control", NULL);
  lock_path = g_strconcat (setup.rendezvous, ".lock", NULL);

  /* the cluster: UTF-8, C collation, local connections trusted but for the
   * password roles' group */
  {
    const char *as_self[] = { initdb, "-D", data_dir, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync", NULL };
    const char *as_postgres[] = {
      "/usr/sbin/runuser", "-u",        "postgres", "--", initdb, "-D", data_dir, "-A", "trust", "-E", "UTF8",
      "--no-locale",       "--no-sync", NULL
    };
    run_or_fail (setup.postgres_user ? as_postgres : as_self, "initdb");
  }
  hba_path = g_build_filename (data_dir, "pg_hba.conf", NULL);
  if (!g_file_set_contents (hba_path,
                            "# Written by the test supervisor: password roles need their password.\n"
                            "local all +tess_password_users scram-sha-256\n"
                            "local all all trust\n",
                            -1, NULL))
    fail ("cannot write %s", hba_path);
  if (setup.postgres_user && chown (hba_path, setup.postgres_user->pw_uid, setup.postgres_user->pw_gid) != 0)
    fail ("cannot give %s to the postgres user: %s", hba_path, g_strerror (errno));

  log_fd = open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0)
    fail ("cannot write %s: %s", log_path, g_strerror (errno));
  {
    pid_t self = getpid ();
    server = fork ();
    if (server < 0)
      fail ("cannot fork: %s", g_strerror (errno));
    if (server == 0)
      {
        fcntl (log_fd, F_SETFD, 0);
        exec_server (&setup, postgres, data_dir, log_fd, self);
      }
  }
  close (log_fd);
  for (int i = 0;; i++)
    {
      if (waitpid (server, NULL, WNOHANG) == server)
        {
          g_autofree char *tail = log_tail (log_path);
          fail ("the server stopped as it started: %s", tail);
        }
      if (server_ready (&setup))
        break;
      if (i > 1200)
        {
          g_autofree char *tail = log_tail (log_path);
          stop_server (server);
          fail ("the server did not start within a minute: %s", tail);
        }
      g_usleep (50000);
    }
  {
    const char *argv_role[] = { psql,
                                "-X",
                                "-q",
                                "-h",
                                setup.rendezvous,
                                "-U",
                                setup.superuser,
                                "-d",
                                "postgres",
                                "-c",
                                "CREATE ROLE tess_password_users NOLOGIN",
                                NULL };
    run_or_fail (argv_role, "making the group of password roles");
  }

  /* the control socket, and signals as file descriptors */
  if (strlen (control_path) >= sizeof address.sun_path)
    fail ("%s is too long for a socket", control_path);
  strcpy (address.sun_path, control_path);
  listener = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (listener < 0 || bind (listener, (struct sockaddr *) &address, sizeof address) != 0 || listen (listener, 64) != 0)
    fail ("cannot listen on %s: %s", control_path, g_strerror (errno));
  sigemptyset (&mask);
  sigaddset (&mask, SIGTERM);
  sigaddset (&mask, SIGINT);
  sigaddset (&mask, SIGHUP);
  sigprocmask (SIG_BLOCK, &mask, NULL);
  signals = signalfd (-1, &mask, SFD_CLOEXEC);

  greeting = g_strdup_printf ("READY %s %s %s\n", setup.rendezvous, setup.superuser, bindir);
  if (write (ready_fd, greeting, strlen (greeting)) < 0)
    g_debug ("the first program went away before the server was ready");
  close (ready_fd);
  ready_fd = -1;

  empty_since = g_get_monotonic_time ();
  for (;;)
    {
      int ready;

      fds[0] = (struct pollfd){ listener, POLLIN, 0 };
      fds[1] = (struct pollfd){ signals, POLLIN, 0 };
      ready = poll (fds, n_clients + 2, 200);
      if (ready < 0 && errno != EINTR)
        break;
      if (waitpid (server, NULL, WNOHANG) == server)
        {
          server = 0;
          break; /* the server died: the next program starts another */
        }
      if (ready > 0 && fds[1].revents)
        break;
      /* a client that went away, for whatever reason, is counted out */
      for (guint i = 0; ready > 0 && i < n_clients; i++)
        if (fds[i + 2].revents)
          {
            char c;
            if (read (fds[i + 2].fd, &c, 1) <= 0)
              {
                close (fds[i + 2].fd);
                fds[i + 2] = fds[n_clients + 1];
                n_clients--;
                i--;
                if (n_clients == 0)
                  empty_since = g_get_monotonic_time ();
              }
          }
      if (ready > 0 && fds[0].revents)
        {
          int client;
          while ((client = accept4 (listener, NULL, NULL, SOCK_CLOEXEC)) >= 0)
            {
              if (n_clients == MAX_CLIENTS || write (client, greeting, strlen (greeting)) < 0)
                {
                  close (client);
                  continue;
                }
              fds[n_clients + 2] = (struct pollfd){ client, POLLIN, 0 };
              n_clients++;
            }
        }
      if (n_clients == 0 && g_get_monotonic_time () - empty_since >= LINGER_US)
        {
          /* one that is joining now either got in already (and is
           * accepted next time round) or waits for the lock, finds no
           * socket and starts anew once this one has cleaned up */
          struct pollfd pending = { listener, POLLIN, 0 };

          lock = take_lock (lock_path);
          if (poll (&pending, 1, 0) == 0)
            break;
          close (lock);
          lock = -1;
        }
    }

  /* the lock is held from here (taken above, or now): a program starting
   * a new server waits until this one is gone */
  if (lock < 0)
    lock = take_lock (lock_path);
  g_unlink (control_path);
  close (listener);
  for (guint i = 0; i < n_clients; i++)
    close (fds[i + 2].fd);
  if (server > 0)
    stop_server (server);
  remove_tree (setup.rendezvous);
  if (lock >= 0)
    close (lock);
  return 0;
}
