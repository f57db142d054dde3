/* http_over_local.c: what loading a CSV from a server costs over loading the
 * same file from the disk.
 *
 * data.http_over_local: the time to load a 1 M-row, 10-column CSV (about
 * 100 MB) from a server on 127.0.0.1, over the time to load it from a local
 * file; best of five each, the kinds of load taking turns so that each sees
 * the machine as busy as the others, nothing cached (the frame cache is
 * cleared before each load, and the server sends no validators, so every
 * remote load downloads the whole body). The server is a static file server
 * of the kind data comes from (nginx, a CDN): a process of its own that
 * answers a GET with the file's length, its type and sendfile(2). Why: what
 * the issue measures is the client's cost of a download. A server on a
 * thread of this process takes CPU from the load on a machine of two cores,
 * and a real server does not run on the client's cores at all.
 *
 * data.http_over_local_soup_server: the same against a SoupServer on a
 * thread of this process (as this benchmark first measured it), printed so
 * that nothing is hidden: it copies the body into the socket, about 0.03 s
 * of CPU per 100 MB here, where sendfile(2) takes about 0.01 s.
 *
 * data.json_http_over_local: the same for JSON, an array of 500 K records of
 * the same table (about 110 MB), from the static file server: the reader
 * reads each record once it has arrived. No goal.
 *
 * data.json_chunked_http_over_local: the same JSON sent chunked, its length
 * announced by no header, as a server that makes its answer as it goes does
 * (and as a compressed answer reads): known only at its end. No goal.
 *
 * With --only local, --only remote, --only soup or --only json, it runs the
 * local loads and those of one server (or the JSON ones), or the local loads
 * alone, for a profile.
 *
 * Each line also gives the time to download the body alone (fetched, not
 * parsed), and the CPU time each load takes: on a machine whose cores are
 * all busy, the wall time follows the CPU time, and the download's CPU (the
 * server's and the client's) adds to the parse's whatever overlaps.
 *
 * data.http_over_local_floor: the least data.http_over_local can be on this
 * machine, whatever the client does. A local load keeps every core busy, so
 * a remote one takes at least its wall time scaled by the CPU it adds: the
 * server's, and the client's to receive the bytes. The least a client can
 * spend to receive them is measured with a bare one, a blocking socket and
 * recv(2) into one 1 MiB buffer used over and over (no HTTP library, no
 * parse, memory already there); and a second bare one receives into fresh
 * memory mapped in ahead, as a client that holds the whole body must (this
 * one does: a chunk is parsed again from its text when a later chunk turns
 * one of its columns to text). A remote load does not map the file in, so
 * what that costs a local load (measured by mapping it in alone, as the
 * reader does) comes off. The floor also cannot be less than the bare
 * receive's own wall time over the local load's.
 */
#define _GNU_SOURCE /* accept4, pipe2 */

#include "tess-cache.h"
#include "tess-frame.h"
#include "tess-growing-body-private.h"
#include "tess-source.h"
#include "tess-test-dir.h"
#include "tess-test-server.h"

#include <libsoup/soup.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROWS 1000000
#define JSON_ROWS 500000
#define RUNS 5

static GBytes *body, *json_body;

/* The mixed table of bench/data/groupby_e2e.c, @rows rows. */
static GString *
generate (guint rows)
{
  static const char *const last[] = { "Smith", "Garcia", "Nakamura", "Okafor", "Larsen", "Dubois", "Rossi", "Kim" };
  static const char *const cities[] = { "Oslo, NO", "Lima, PE", "Pune, IN", "Cork, IE", "Kyoto, JP", "Porto, PT" };
  static const char *const categories[] = { "books", "games", "tools", "garden", "food", "music", "toys" };
  GString *text = g_string_new ("id,qty,code,price,ratio,created,shipped,customer,city,category\n");
  GRand *rand = g_rand_new_with_seed (13);

  for (guint64 i = 0; i < rows; i++)
    {
      gint64 created = (gint64) i * 3 + g_rand_int_range (rand, 0, 3);
      gint64 shipped = created + g_rand_int_range (rand, 3600, 7 * 86400);
      gint64 cd = created / 86400, sd = shipped / 86400;

      g_string_append_printf (
          text,
          "%" G_GUINT64_FORMAT ",%d,%d,%.2f,%.4f,%04d-%02d-%02dT%02d:%02d:%02dZ,%04d-%02d-%02d %02d:%02d:%02d,"
          "\"%s, %c.\",\"%s\",%s\n",
          i, g_rand_int_range (rand, 1, 1000), g_rand_int_range (rand, -50000, 50000),
          g_rand_double_range (rand, 1, 5000), g_rand_double (rand), (int) (2024 + cd / 336), (int) (cd / 28 % 12 + 1),
          (int) (cd % 28 + 1), (int) (created / 3600 % 24), (int) (created / 60 % 60), (int) (created % 60),
          (int) (2024 + sd / 336), (int) (sd / 28 % 12 + 1), (int) (sd % 28 + 1), (int) (shipped / 3600 % 24),
          (int) (shipped / 60 % 60), (int) (shipped % 60), last[g_rand_int_range (rand, 0, 8)],
          'A' + g_rand_int_range (rand, 0, 26), cities[g_rand_int_range (rand, 0, 6)],
          categories[g_rand_int_range (rand, 0, 7)]);
    }
  g_rand_free (rand);
  return text;
}

/* The first @rows rows of @csv (a header, then rows of generate()) as a
 * JSON array of records: numbers as numbers, the rest as strings. */
static GString *
generate_json (const char *csv, guint rows)
{
  GString *text = g_string_new ("[\n");
  const char *p = strchr (csv, '\n') + 1;
  g_autofree char *header = g_strndup (csv, p - 1 - csv);
  g_auto (GStrv) names = g_strsplit (header, ",", -1);
  for (guint row = 0; row < rows; row++)
    {
      g_string_append_c (text, '{');
      for (guint c = 0; names[c]; c++)
        {
          const char *end;
          gboolean quoted = *p == '"';

          if (quoted)
            end = strchr (p + 1, '"') + 1;
          else
            end = p + strcspn (p, ",\n");
          g_string_append_printf (text, "%s\"%s\": ", c ? ", " : "", names[c]);
          if (quoted)
            g_string_append_len (text, p, end - p);
          else if (c < 5)
            g_string_append_len (text, p, end - p);
          else
            g_string_append_printf (text, "\"%.*s\"", (int) (end - p), p);
          p = end + 1;
        }
      g_string_append (text, row + 1 < rows ? "},\n" : "}\n]\n");
    }
  return text;
}

/* The static file server: a child process that serves FILE_PATH as
 * /mixed.csv, one request at a time (a load makes one), on connections kept
 * alive as a client keeps them. It exits when the pipe from its parent
 * closes, which the kernel does when the parent exits by any path (a failed
 * assertion, a signal), and is killed when the parent dies in any case.
 * The child uses plain system calls only: it is forked from a process that
 * may have threads. */

#define MAX_CONNECTIONS 16
#define FILE_PATH_NAME "/mixed.csv"
#define JSON_PATH_NAME "/mixed.json"
/* the JSON file, sent chunked: no length announced */
#define CHUNKED_PATH_NAME "/chunked/mixed.json"
#define CHUNK_BYTES (1024 * 1024)

typedef struct
{
  int fd;
  gsize filled;
  char request[4096];
} Connection;

typedef struct
{
  pid_t pid;
  int lifeline; /* the write end of the pipe the child watches */
  struct sockaddr_in address;
  char *url;
  char *json_url;
  char *chunked_url;
} FileServer;

static gboolean
write_all (int fd, const char *data, gsize length, int flags)
{
  while (length > 0)
    {
      ssize_t n = send (fd, data, length, flags | MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

/* Sends @size bytes of @file from *@offset, in chunks of the chunked
 * transfer coding when @chunked. */
static gboolean
file_server_send (int fd, int file, off_t *offset, off_t size, gboolean chunked)
{
  while (*offset < size)
    {
      off_t end = chunked ? MIN (*offset + CHUNK_BYTES, size) : size;
      char chunk_head[32];
      int head_length = snprintf (chunk_head, sizeof chunk_head, "%llx\r\n", (unsigned long long) (end - *offset));

      if (chunked && !write_all (fd, chunk_head, head_length, MSG_MORE))
        return FALSE;
      while (*offset < end)
        {
          ssize_t n = sendfile (fd, file, offset, end - *offset);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            return FALSE;
        }
      if (chunked && !write_all (fd, "\r\n", 2, MSG_MORE))
        return FALSE;
    }
  return !chunked || write_all (fd, "0\r\n\r\n", 5, 0);
}

/* Answers one request (the text before its blank line) for FILE_PATH_NAME,
 * JSON_PATH_NAME or CHUNKED_PATH_NAME in @dir; FALSE when the connection is
 * to be closed. */
static gboolean
file_server_answer (int fd, const char *request, const char *dir)
{
  gboolean head = strncmp (request, "HEAD ", 5) == 0;
  const char *target = head ? request + 5 : request + 4;
  gboolean chunked = strncmp (target, CHUNKED_PATH_NAME " ", strlen (CHUNKED_PATH_NAME) + 1) == 0;
  gboolean json = chunked || strncmp (target, JSON_PATH_NAME " ", strlen (JSON_PATH_NAME) + 1) == 0;
  char header[256], path[4096], length_header[64];
  struct stat st;
  off_t offset = 0;
  int file = -1;
  int length;
  gboolean sent;

  if (!head && strncmp (request, "GET ", 4) != 0)
    return FALSE;
  snprintf (path, sizeof path, "%s%s", dir, json ? JSON_PATH_NAME : FILE_PATH_NAME);
  if ((!json && strncmp (target, FILE_PATH_NAME " ", strlen (FILE_PATH_NAME) + 1) != 0) ||
      (file = open (path, O_RDONLY | O_CLOEXEC)) < 0 || fstat (file, &st) < 0)
    {
      static const char not_found[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
      if (file >= 0)
        close (file);
      return write_all (fd, not_found, sizeof not_found - 1, 0);
    }
  if (chunked)
    snprintf (length_header, sizeof length_header, "Transfer-Encoding: chunked");
  else
    snprintf (length_header, sizeof length_header, "Content-Length: %lld", (long long) st.st_size);
  length =
      snprintf (header, sizeof header, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n%s\r\nCache-Control: no-store\r\n\r\n",
                json ? "application/json" : "text/csv", length_header);
  if (!write_all (fd, header, length, head ? 0 : MSG_MORE))
    {
      close (file);
      return FALSE;
    }
  sent = head || file_server_send (fd, file, &offset, st.st_size, chunked);
  close (file);
  return sent;
}

/* Reads what @connection has to say and answers each request it completes;
 * FALSE when it is to be closed. */
static gboolean
file_server_read (Connection *connection, const char *dir)
{
  ssize_t n = read (connection->fd, connection->request + connection->filled,
                    sizeof connection->request - 1 - connection->filled);
  char *end;

  if (n < 0 && errno == EINTR)
    return TRUE;
  if (n <= 0)
    return FALSE;
  connection->filled += n;
  connection->request[connection->filled] = '\0';
  while ((end = strstr (connection->request, "\r\n\r\n")) != NULL)
    {
      gsize used = end + 4 - connection->request;

      if (!file_server_answer (connection->fd, connection->request, dir))
        return FALSE;
      memmove (connection->request, connection->request + used, connection->filled - used + 1);
      connection->filled -= used;
    }
  /* a request larger than the buffer is none this server answers */
  return connection->filled < sizeof connection->request - 1;
}

static G_GNUC_NORETURN void
file_server_main (int listener, int lifeline, pid_t parent, const char *dir)
{
  Connection connections[MAX_CONNECTIONS];
  guint n_connections = 0;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (0);
  for (;;)
    {
      struct pollfd fds[2 + MAX_CONNECTIONS];

      fds[0] = (struct pollfd){ .fd = lifeline, .events = POLLIN };
      fds[1] = (struct pollfd){ .fd = listener, .events = n_connections < MAX_CONNECTIONS ? POLLIN : 0 };
      for (guint i = 0; i < n_connections; i++)
        fds[2 + i] = (struct pollfd){ .fd = connections[i].fd, .events = POLLIN };
      if (poll (fds, 2 + n_connections, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          _exit (1);
        }
      if (fds[0].revents)
        _exit (0); /* the parent closed the pipe or is gone */
      for (guint i = n_connections; i-- > 0;)
        if (fds[2 + i].revents && !file_server_read (&connections[i], dir))
          {
            close (connections[i].fd);
            connections[i] = connections[--n_connections];
          }
      if (fds[1].revents & POLLIN)
        {
          int fd = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);

          if (fd >= 0)
            connections[n_connections++] = (Connection){ .fd = fd };
        }
    }
}

/* Starts the file server for the files in @dir (which need not exist yet). */
static void
file_server_start (FileServer *server, const char *dir)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t address_length = sizeof address;
  int listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  pid_t parent = getpid ();
  int lifeline[2];

  g_assert_cmpint (listener, >=, 0);
  g_assert_cmpint (bind (listener, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (listener, 16), ==, 0);
  g_assert_cmpint (getsockname (listener, (struct sockaddr *) &address, &address_length), ==, 0);
  g_assert_cmpint (pipe2 (lifeline, O_CLOEXEC), ==, 0);
  server->pid = fork ();
  g_assert_cmpint (server->pid, >=, 0);
  if (server->pid == 0)
    {
      close (lifeline[1]);
      file_server_main (listener, lifeline[0], parent, dir);
    }
  close (lifeline[0]);
  close (listener);
  server->lifeline = lifeline[1];
  server->address = address;
  server->url = g_strdup_printf ("http://127.0.0.1:%d" FILE_PATH_NAME, ntohs (address.sin_port));
  server->json_url = g_strdup_printf ("http://127.0.0.1:%d" JSON_PATH_NAME, ntohs (address.sin_port));
  server->chunked_url = g_strdup_printf ("http://127.0.0.1:%d" CHUNKED_PATH_NAME, ntohs (address.sin_port));
}

static void
file_server_stop (FileServer *server)
{
  close (server->lifeline);
  g_assert_cmpint (waitpid (server->pid, NULL, 0), ==, server->pid);
  g_free (server->url);
  g_free (server->json_url);
  g_free (server->chunked_url);
}

/* CPU seconds the file server has used so far (its scheduler's count, in
 * nanoseconds: the clock ticks of /proc/PID/stat are 10 ms here). */
static double
file_server_cpu_seconds (FileServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/schedstat", (int) server->pid);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return g_ascii_strtoull (text, NULL, 10) / 1e9;
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_set_content_type (headers, "text/csv", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

/* CPU seconds this process has used, every thread (a SoupServer's too). */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* How a measure gets the body. */
typedef enum
{
  GET_LOAD,       /* tess_source_load(): downloaded and parsed */
  GET_FETCH,      /* tess_source_fetch(): downloaded alone */
  GET_BARE_REUSE, /* recv(2) into one buffer, over and over */
  GET_BARE_FRESH, /* recv(2) into fresh memory for the whole body */
  GET_BARE_MAP,   /* the local file mapped in, and nothing else */
} Get;

/* One kind of load (or fetch) of one URI, run RUNS times. */
typedef struct
{
  const char *uri;
  FileServer *file_server; /* the server when it is a process of its own, or NULL */
  Get get;
  gboolean json;     /* the JSON text, not the CSV */
  double best;       /* seconds, the best run */
  double cpu;        /* CPU seconds of this process, all runs */
  double server_cpu; /* CPU seconds of file_server, all runs */
} Measure;

/* Receives the file from @server with a blocking socket and recv(2), into
 * one 1 MiB buffer or (@fresh) into fresh memory for the whole body, mapped
 * in ahead as the download does it. */
static void
bare_receive (FileServer *server, gboolean fresh)
{
  static const char request[] = "GET " FILE_PATH_NAME " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  static char buffer[1 << 20];
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gsize length = g_bytes_get_size (body), filled = 0, received = 0, populated = 0;
  guint8 *whole = NULL;
  char *end;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &server->address, sizeof server->address), ==, 0);
  g_assert_true (write_all (fd, request, sizeof request - 1, 0));
  /* the header (the server sends it in a segment of its own, ahead of the
   * body, but a read may take some of the body too) */
  do
    {
      ssize_t n = recv (fd, buffer + filled, 4096 - filled - 1, 0);
      g_assert_cmpint (n, >, 0);
      filled += n;
      buffer[filled] = '\0';
    }
  while ((end = strstr (buffer, "\r\n\r\n")) == NULL);
  g_assert_nonnull (strstr (buffer, "Content-Length: "));
  received = filled - (end + 4 - buffer);
  if (fresh)
    {
      whole = mmap (NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      g_assert_true (whole != MAP_FAILED);
      memcpy (whole, end + 4, received);
    }
  while (received < length)
    {
      ssize_t n;

      if (fresh)
        populated = tess_download_populate_ahead (whole, length, received, populated);
      n = recv (fd, fresh ? (char *) whole + received : buffer, MIN (length - received, sizeof buffer), 0);
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      received += n;
    }
  if (fresh)
    {
      g_assert_cmpint (memcmp (whole + length - 64, (const char *) g_bytes_get_data (body, NULL) + length - 64, 64), ==,
                       0);
      munmap (whole, length);
    }
  close (fd);
}

/* Maps the file at @path in and out, as a local load reads it: the part of
 * a local load a remote one does not have. */
static void
bare_map (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  gsize length = g_bytes_get_size (body);
  volatile const char *map;
  guint64 sum = 0;

  g_assert_cmpint (fd, >=, 0);
  map = mmap (NULL, length, PROT_READ, MAP_PRIVATE, fd, 0);
  g_assert_true (map != MAP_FAILED);
  madvise ((void *) map, length, MADV_POPULATE_READ);
  for (gsize i = 0; i < length; i += 4096)
    sum += map[i];
  g_assert_cmpuint (sum, >, 0);
  munmap ((void *) map, length);
  close (fd);
}

/* Loads @measure's URI once (or fetches it), from nothing cached. */
static void
measure_once (Measure *measure)
{
  g_autoptr (GError) error = NULL;
  double cpu, server_cpu = measure->file_server ? file_server_cpu_seconds (measure->file_server) : 0;
  gint64 t0;

  tess_cache_clear ();
  cpu = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  if (measure->get == GET_BARE_MAP)
    bare_map (measure->uri);
  else if (measure->get == GET_BARE_REUSE || measure->get == GET_BARE_FRESH)
    bare_receive (measure->file_server, measure->get == GET_BARE_FRESH);
  else if (measure->get == GET_FETCH)
    {
      g_autoptr (GBytes) bytes = tess_source_fetch (measure->uri, NULL, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, g_bytes_get_size (measure->json ? json_body : body));
    }
  else
    {
      g_autoptr (TessFrame) frame = tess_source_load (measure->uri, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, measure->json ? JSON_ROWS : ROWS);
    }
  measure->best = MIN (measure->best, (g_get_monotonic_time () - t0) / 1e6);
  measure->cpu += cpu_seconds () - cpu;
  if (measure->file_server)
    measure->server_cpu += file_server_cpu_seconds (measure->file_server) - server_cpu;
}

/* Prints the line @name for @remote (and @fetch, the same URI fetched)
 * against @local. */
static void
print_remote (const char *name, const Measure *local, const Measure *remote, const Measure *fetch)
{
  gboolean own = remote->file_server != NULL;

  printf ("bench: %s %.2f x (%s) [%.0f MB; local %.3f s, remote %.3f s, download alone %.3f s; CPU per load: "
          "local %.3f s, remote %.3f s, %s %.3f s]\n",
          name, remote->best / local->best,
          remote->json ? "no goal"
          : own        ? "goal <= 1.1"
                       : "no goal: the server takes this process's CPU",
          g_bytes_get_size (remote->json ? json_body : body) / 1e6, local->best, remote->best, fetch->best,
          local->cpu / RUNS, (remote->cpu + remote->server_cpu) / RUNS,
          own ? "server process" : "server thread included in", (own ? remote->server_cpu : remote->cpu) / RUNS);
}

/* The least @local's load time can grow to with a client that receives as
 * @bare does: its CPU, the server's, less that of mapping the file in. */
static double
floor_ratio (const Measure *local, const Measure *map, const Measure *bare)
{
  double added = (bare->cpu + bare->server_cpu - map->cpu) / RUNS;

  return MAX ((local->cpu / RUNS + added) / (local->cpu / RUNS), bare->best / local->best);
}

static void
print_floor (const Measure *local, const Measure *map, const Measure *reuse, const Measure *fresh)
{
  printf ("bench: data.http_over_local_floor %.2f x (the least data.http_over_local can be here; goal <= 1.1) "
          "[%u cores busy in a local load: CPU %.3f s in %.3f s, %.3f s of it to map the file in; a bare receive "
          "takes %.3f s of CPU (client %.3f s, server %.3f s) in %.3f s; into fresh memory for the whole body "
          "%.3f s (client %.3f s, server %.3f s) in %.3f s: %.2f x]\n",
          floor_ratio (local, map, reuse), g_get_num_processors (), local->cpu / RUNS, local->best, map->cpu / RUNS,
          (reuse->cpu + reuse->server_cpu) / RUNS, reuse->cpu / RUNS, reuse->server_cpu / RUNS, reuse->best,
          (fresh->cpu + fresh->server_cpu) / RUNS, fresh->cpu / RUNS, fresh->server_cpu / RUNS, fresh->best,
          floor_ratio (local, map, fresh));
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = tess_test_dir_new ("tess-bench-http-local-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "mixed.csv", NULL);
  g_autofree char *soup_url = NULL;
  g_autoptr (TessTestServer) soup_server = NULL;
  FileServer file_server;
  GString *text;
  /* --only local|remote|soup: the local loads and one kind of remote ones,
   * or the local loads alone, for profiling */
  const char *only = argc == 3 && g_str_equal (argv[1], "--only") ? argv[2] : NULL;
  gboolean with_remote = only == NULL || g_str_equal (only, "remote");
  gboolean with_soup = only == NULL || g_str_equal (only, "soup");
  gboolean with_json = only == NULL || g_str_equal (only, "json");
  g_autofree char *json_path = g_build_filename (dir, "mixed.json", NULL);
  Measure local = { .uri = path, .best = G_MAXDOUBLE };
  Measure remote = { .file_server = &file_server, .best = G_MAXDOUBLE };
  Measure remote_fetch = { .file_server = &file_server, .get = GET_FETCH, .best = G_MAXDOUBLE };
  Measure bare_map = { .uri = path, .get = GET_BARE_MAP, .best = G_MAXDOUBLE };
  Measure bare_reuse = { .file_server = &file_server, .get = GET_BARE_REUSE, .best = G_MAXDOUBLE };
  Measure bare_fresh = { .file_server = &file_server, .get = GET_BARE_FRESH, .best = G_MAXDOUBLE };
  Measure soup = { .best = G_MAXDOUBLE };
  Measure soup_fetch = { .get = GET_FETCH, .best = G_MAXDOUBLE };
  Measure json_local = { .uri = json_path, .json = TRUE, .best = G_MAXDOUBLE };
  Measure json_remote = { .file_server = &file_server, .json = TRUE, .best = G_MAXDOUBLE };
  Measure json_fetch = { .file_server = &file_server, .json = TRUE, .get = GET_FETCH, .best = G_MAXDOUBLE };
  Measure chunked_remote = { .file_server = &file_server, .json = TRUE, .best = G_MAXDOUBLE };
  Measure chunked_fetch = { .file_server = &file_server, .json = TRUE, .get = GET_FETCH, .best = G_MAXDOUBLE };

  /* before anything here starts a thread */
  file_server_start (&file_server, dir);
  text = generate (ROWS);
  g_setenv ("XDG_CACHE_HOME", dir, TRUE);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  body = g_string_free_to_bytes (text);
  text = generate_json (g_bytes_get_data (body, NULL), JSON_ROWS);
  g_assert_true (g_file_set_contents (json_path, text->str, text->len, NULL));
  json_body = g_string_free_to_bytes (text);
  soup_server = tess_test_server_new_threaded (handler, NULL);
  soup_url = tess_test_server_get_url (soup_server, "/mixed.csv");
  remote.uri = remote_fetch.uri = file_server.url;
  json_remote.uri = json_fetch.uri = file_server.json_url;
  chunked_remote.uri = chunked_fetch.uri = file_server.chunked_url;
  soup.uri = soup_fetch.uri = soup_url;

  /* alternated, so that each kind sees the machine as busy as the others */
  for (int run = 0; run < RUNS; run++)
    {
      measure_once (&local);
      if (with_remote)
        {
          measure_once (&remote);
          measure_once (&remote_fetch);
          measure_once (&bare_map);
          measure_once (&bare_reuse);
          measure_once (&bare_fresh);
        }
      if (with_soup)
        {
          measure_once (&soup);
          measure_once (&soup_fetch);
        }
      if (with_json)
        {
          measure_once (&json_local);
          measure_once (&json_remote);
          measure_once (&json_fetch);
          measure_once (&chunked_remote);
          measure_once (&chunked_fetch);
        }
    }
  if (with_remote)
    {
      print_remote ("data.http_over_local", &local, &remote, &remote_fetch);
      print_floor (&local, &bare_map, &bare_reuse, &bare_fresh);
    }
  if (with_soup)
    print_remote ("data.http_over_local_soup_server", &local, &soup, &soup_fetch);
  if (with_json)
    {
      print_remote ("data.json_http_over_local", &json_local, &json_remote, &json_fetch);
      print_remote ("data.json_chunked_http_over_local", &json_local, &chunked_remote, &chunked_fetch);
    }
  if (!with_remote && !with_soup && !with_json)
    printf ("local %.3f s, CPU per load %.3f s\n", local.best, local.cpu / RUNS);
  file_server_stop (&file_server);
  g_clear_pointer (&soup_server, tess_test_server_free);
  g_bytes_unref (body);
  g_bytes_unref (json_body);
  tess_test_dir_remove (dir);
  return 0;
}
