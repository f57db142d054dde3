/* http-cache.c: the disk cache of HTTP answers, on real files in a temporary
 * directory: round trips, removal, eviction of the least recently used, budgets,
 * aborted and failing downloads, temporaries left by dead processes, corrupt
 * entries, two writers of one key, and Cache-Control.
 */
#include "tess-http-cache-private.h"
#include "tess-test-dir.h"

#include <gio/gio.h>

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

/* Helpers */

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The names of every file in @dir, temporaries included, sorted. */
static GPtrArray *
list_files (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (handle && (name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static guint
count_files (const char *dir)
{
  g_autoptr (GPtrArray) names = list_files (dir);
  return names->len;
}

/* A body of @length bytes, different for each @seed. */
static GBytes *
make_body (gsize length, guint seed)
{
  guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i++)
    data[i] = (guint8) ((i * 31 + seed * 7) % 251);
  return g_bytes_new_take (data, length);
}

/* Stores @body under @key in chunks of 4 KiB; asserts that it was stored. */
static void
store (TessHttpCache *cache, const char *key, const char *etag, GBytes *body)
{
  g_autoptr (GError) error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (body, &length);
  TessHttpCacheWriter *writer = tess_http_cache_begin (cache, key, etag, NULL, "text/csv", length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (writer);
  for (gsize done = 0; done < length; done += 4096)
    {
      tess_http_cache_writer_write (writer, data + done, MIN (4096, length - done), &error);
      g_assert_no_error (error);
    }
  g_assert_true (tess_http_cache_writer_commit (writer, &error));
  g_assert_no_error (error);
}

static void
assert_hit (TessHttpCache *cache, const char *key, GBytes *body)
{
  g_autoptr (TessHttpCacheEntry) entry = tess_http_cache_lookup (cache, key);

  g_assert_nonnull (entry);
  g_assert_true (g_bytes_equal (tess_http_cache_entry_get_body (entry), body));
}

static void
assert_miss (TessHttpCache *cache, const char *key)
{
  g_autoptr (TessHttpCacheEntry) entry = tess_http_cache_lookup (cache, key);
  g_assert_null (entry);
}

/* The path of the only file in @dir. */
static char *
only_file (const char *dir)
{
  g_autoptr (GPtrArray) names = list_files (dir);

  g_assert_cmpuint (names->len, ==, 1);
  return g_build_filename (dir, names->pdata[0], NULL);
}

/* Tests */

static void
test_round_trip (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-http-cache-XXXXXX");
  g_autoptr (TessHttpCache) cache = tess_http_cache_new (dir, TESS_HTTP_CACHE_DEFAULT_MAX_BYTES);
  g_autoptr (TessHttpCache) reopened = NULL;
  g_autoptr (GBytes) body = make_body (100 * 1000 + 17, 1);
  g_autoptr (GBytes) newer = make_body (5000, 2);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (TessHttpCacheEntry) entry = NULL;
  g_autoptr (TessHttpCacheEntry) replaced = NULL;
  g_autoptr (GError) error = NULL;
  TessHttpCacheWriter *writer;

  assert_miss (cache, "https://example.org/a.csv");
  g_assert_cmpuint (tess_http_cache_get_bytes (cache), ==, 0);

  /* every field comes back, from this cache and from another opened later */
  writer = tess_http_cache_begin (cache, "https://example.org/a.csv", "\"v1\"", "Tue, 01 Apr 2025 10:00:00 GMT",
                                  "text/csv; charset=utf-8", g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  g_assert_true (tess_http_cache_writer_write (writer, g_bytes_get_data (body, NULL), 1000, &error));
  g_assert_true (tess_http_cache_writer_write (writer, (const char *) g_bytes_get_data (body, NULL) + 1000,
                                               g_bytes_get_size (body) - 1000, &error));
  g_assert_true (tess_http_cache_writer_commit (writer, &error));
  g_assert_no_error (error);

  reopened = tess_http_cache_new (dir, TESS_HTTP_CACHE_DEFAULT_MAX_BYTES);
  entry = tess_http_cache_lookup (reopened, "https://example.org/a.csv");
  g_assert_nonnull (entry);
  g_assert_cmpstr (tess_http_cache_entry_get_etag (entry), ==, "\"v1\"");
  g_assert_cmpstr (tess_http_cache_entry_get_last_modified (entry), ==, "Tue, 01 Apr 2025 10:00:00 GMT");
  g_assert_cmpstr (tess_http_cache_entry_get_content_type (entry), ==, "text/csv; charset=utf-8");
  g_assert_true (g_bytes_equal (tess_http_cache_entry_get_body (entry), body));
  g_assert_cmpuint (tess_http_cache_get_bytes (cache), >, g_bytes_get_size (body));
  g_assert_cmpuint (tess_http_cache_get_bytes (cache), <, g_bytes_get_size (body) + 1024);
  g_assert_cmpuint (count_files (dir), ==, 1);

  /* another key is another entry; absent metadata stays absent; a length
   * not announced is fine */
  writer = tess_http_cache_begin (cache,
                                  "https://example.org/a.csv\x1f"
                                  "Accept: text/csv",
                                  NULL, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (
      tess_http_cache_writer_write (writer, g_bytes_get_data (newer, NULL), g_bytes_get_size (newer), &error));
  g_assert_true (tess_http_cache_writer_commit (writer, &error));
  g_assert_no_error (error);
  replaced = tess_http_cache_lookup (cache, "https://example.org/a.csv\x1f"
                                            "Accept: text/csv");
  g_assert_nonnull (replaced);
  g_assert_null (tess_http_cache_entry_get_etag (replaced));
  g_assert_null (tess_http_cache_entry_get_last_modified (replaced));
  g_assert_null (tess_http_cache_entry_get_content_type (replaced));
  g_assert_true (g_bytes_equal (tess_http_cache_entry_get_body (replaced), newer));
  g_assert_cmpuint (count_files (dir), ==, 2);
  g_clear_pointer (&replaced, tess_http_cache_entry_unref);

  /* a new answer replaces the entry; the body a reader holds stays as it was */
  store (cache, "https://example.org/a.csv", "\"v2\"", newer);
  replaced = tess_http_cache_lookup (cache, "https://example.org/a.csv");
  g_assert_cmpstr (tess_http_cache_entry_get_etag (replaced), ==, "\"v2\"");
  g_assert_true (g_bytes_equal (tess_http_cache_entry_get_body (replaced), newer));
  g_assert_true (g_bytes_equal (tess_http_cache_entry_get_body (entry), body));
  g_assert_cmpuint (count_files (dir), ==, 2);

  /* an empty body is a body */
  store (cache, "empty", "\"e\"", empty);
  assert_hit (cache, "empty", empty);
  g_assert_cmpuint (count_files (dir), ==, 3);

  /* removed: that key misses, the others stay */
  tess_http_cache_remove (cache, "empty");
  tess_http_cache_remove (cache, "never stored");
  assert_miss (cache, "empty");
  assert_hit (cache, "https://example.org/a.csv", newer);
  g_assert_cmpuint (count_files (dir), ==, 2);

  tess_http_cache_clear (cache);
  assert_miss (cache, "https://example.org/a.csv");
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_assert_cmpuint (tess_http_cache_get_bytes (cache), ==, 0);
  tess_test_dir_remove (dir);
}

static void
test_lru (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-http-cache-XXXXXX");
  g_autoptr (GBytes) a = make_body (10000, 1);
  g_autoptr (GBytes) b = make_body (10000, 2);
  g_autoptr (GBytes) c = make_body (10000, 3);
  g_autoptr (GBytes) d = make_body (10000, 4);
  /* room for three entries of 10,000 bytes and their headers, not four */
  g_autoptr (TessHttpCache) cache = tess_http_cache_new (dir, 3 * 10200);

  store (cache, "a", "\"a\"", a);
  store (cache, "b", "\"b\"", b);
  store (cache, "c", "\"c\"", c);
  g_assert_cmpuint (count_files (dir), ==, 3);

  /* a lookup is a use: b is now the least recently used */
  assert_hit (cache, "a", a);
  store (cache, "d", "\"d\"", d);
  assert_miss (cache, "b");
  g_assert_cmpuint (count_files (dir), ==, 3);
  g_assert_cmpuint (tess_http_cache_get_bytes (cache), <=, 3 * 10200);

  /* a smaller budget evicts at once, oldest use first: c, then a */
  tess_http_cache_set_max_bytes (cache, 2 * 10200);
  g_assert_cmpuint (tess_http_cache_get_max_bytes (cache), ==, 2 * 10200);
  assert_miss (cache, "c");
  assert_hit (cache, "d", d);
  tess_http_cache_set_max_bytes (cache, 10200);
  assert_miss (cache, "a");
  assert_hit (cache, "d", d);
  g_assert_cmpuint (count_files (dir), ==, 1);

  tess_http_cache_set_max_bytes (cache, 0);
  assert_miss (cache, "d");
  g_assert_cmpuint (count_files (dir), ==, 0);
  tess_test_dir_remove (dir);
}

static void
test_over_budget (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-http-cache-XXXXXX");
  g_autoptr (TessHttpCache) cache = tess_http_cache_new (dir, 64 * 1024);
  g_autoptr (GBytes) small = make_body (1000, 1);
  g_autoptr (GBytes) large = make_body (100 * 1024, 2);
  g_autoptr (GError) error = NULL;
  TessHttpCacheWriter *writer;
  gboolean written = TRUE;

  store (cache, "k", "\"small\"", small);

  /* announced: refused before a byte is written */
  writer = tess_http_cache_begin (cache, "k", "\"large\"", NULL, "text/csv", g_bytes_get_size (large), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_null (writer);
  g_clear_error (&error);

  /* not announced: the writer gives up when the body outgrows the budget */
  writer = tess_http_cache_begin (cache, "k", "\"large\"", NULL, "text/csv", 0, &error);
  g_assert_no_error (error);
  for (gsize done = 0; written && done < g_bytes_get_size (large); done += 8192)
    written = tess_http_cache_writer_write (writer, (const char *) g_bytes_get_data (large, NULL) + done, 8192, &error);
  g_assert_false (written);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  /* and stays given up */
  g_assert_false (tess_http_cache_writer_write (writer, "x", 1, &error));
  g_clear_error (&error);
  g_assert_false (tess_http_cache_writer_commit (writer, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* the entry that was there is untouched, and nothing else is left */
  assert_hit (cache, "k", small);
  g_assert_cmpuint (count_files (dir), ==, 1);
  tess_test_dir_remove (dir);
}

static void
test_abort (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-http-cache-XXXXXX");
  g_autoptr (TessHttpCache) cache = tess_http_cache_new (dir, TESS_HTTP_CACHE_DEFAULT_MAX_BYTES);
  g_autoptr (GBytes) body = make_body (300 * 1000, 1);
  g_autoptr (GError) error = NULL;
  TessHttpCacheWriter *writer;

  /* aborted midway */
  writer = tess_http_cache_begin (cache, "k", "\"1\"", NULL, NULL, g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  g_assert_true (tess_http_cache_writer_write (writer, g_bytes_get_data (body, NULL), 100 * 1000, &error));
  tess_http_cache_writer_abort (writer);
  g_assert_cmpuint (count_files (dir), ==, 0);
  assert_miss (cache, "k");

  /* committed with less than was announced: a broken-off download */
  writer = tess_http_cache_begin (cache, "k", "\"1\"", NULL, NULL, g_bytes_get_size (body), &error);
  g_assert_true (tess_http_cache_writer_write (writer, g_bytes_get_data (body, NULL), 100 * 1000, &error));
  g_assert_false (tess_http_cache_writer_commit (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 0);
  assert_miss (cache, "k");

  /* more than was announced */
  writer = tess_http_cache_begin (cache, "k", "\"1\"", NULL, NULL, 1000, &error);
  g_assert_false (tess_http_cache_writer_write (writer, g_bytes_get_data (body, NULL), 1001, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  tess_http_cache_writer_abort (writer);
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* shutdown: writers in flight give up and leave nothing; later ones work */
  writer = tess_http_cache_begin (cache, "k", "\"1\"", NULL, NULL, 0, &error);
  g_assert_true (tess_http_cache_writer_write (writer, g_bytes_get_data (body, NULL), 1000, &error));
  tess_http_cache_abort_all ();
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_assert_false (tess_http_cache_writer_write (writer, g_bytes_get_data (body, NULL), 1000, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (tess_http_cache_writer_commit (writer, &error));
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 0);
  writer = tess_http_cache_begin (cache, "k", "\"1\"", NULL, NULL, 0, &error);
  g_assert_true (tess_http_cache_writer_write (writer, g_bytes_get_data (body, NULL), 1000, &error));
  tess_http_cache_abort_all ();
  g_assert_false (tess_http_cache_writer_commit (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 0);
  store (cache, "k", "\"2\"", body);
  assert_hit (cache, "k", body);
  tess_test_dir_remove (dir);
}

static void
test_write_error (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-http-cache-XXXXXX");
  g_autofree char *not_a_dir = tess_test_dir_write_file (dir, "file", "not a folder");
  g_autofree char *cache_dir = g_build_filename (dir, "cache", NULL);
  g_autoptr (TessHttpCache) cache = tess_http_cache_new (cache_dir, TESS_HTTP_CACHE_DEFAULT_MAX_BYTES);
  g_autoptr (TessHttpCache) broken = NULL;
  g_autoptr (GBytes) body = make_body (256 * 1024, 1);
  g_autoptr (GError) error = NULL;
  struct rlimit saved;
  struct rlimit limited;
  TessHttpCacheWriter *writer;
  gboolean written = TRUE;

  /* Files of this process may not grow past 64 KiB: a disk that fills up
   * midway, as far as the writer can tell. */
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = 64 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);

  writer = tess_http_cache_begin (cache, "k", "\"1\"", NULL, NULL, 0, &error);
  g_assert_no_error (error);
  for (gsize done = 0; written && done < g_bytes_get_size (body); done += 16 * 1024)
    written =
        tess_http_cache_writer_write (writer, (const char *) g_bytes_get_data (body, NULL) + done, 16 * 1024, &error);
  g_assert_false (written);
  g_assert_nonnull (error);
  g_clear_error (&error);
  tess_http_cache_writer_abort (writer);
  g_assert_cmpuint (count_files (cache_dir), ==, 0);

  /* announced, the room is claimed first: the writer fails before writing */
  writer = tess_http_cache_begin (cache, "k", "\"1\"", NULL, NULL, g_bytes_get_size (body), &error);
  g_assert_null (writer);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (cache_dir), ==, 0);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  store (cache, "k", "\"1\"", body);
  assert_hit (cache, "k", body);

  /* a folder that cannot be made: every lookup misses, nothing is stored */
  broken = tess_http_cache_new (not_a_dir, TESS_HTTP_CACHE_DEFAULT_MAX_BYTES);
  assert_miss (broken, "k");
  writer = tess_http_cache_begin (broken, "k", "\"1\"", NULL, NULL, 0, &error);
  g_assert_null (writer);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (tess_http_cache_get_bytes (broken), ==, 0);
  tess_http_cache_clear (broken);
  g_assert_true (g_file_test (not_a_dir, G_FILE_TEST_IS_REGULAR));
  tess_test_dir_remove (dir);
}

static void
test_stale_temporary (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-http-cache-XXXXXX");
  /* left by a process that ended: nobody holds it */
  g_autofree char *stale = tess_test_dir_write_file (dir, ".tmp-999999-0123456789abcdef", "TessHTTP half an entry");
  /* being written by a live process, which holds its lock */
  g_autofree char *live = tess_test_dir_write_file (dir, ".tmp-1-fedcba9876543210", "TessHTTP being written");
  g_autofree char *other = tess_test_dir_write_file (dir, "notes.txt", "not the cache's");
  g_autoptr (TessHttpCache) cache = NULL;
  int live_fd = open (live, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (live_fd, >=, 0);
  g_assert_cmpint (flock (live_fd, LOCK_EX), ==, 0);

  cache = tess_http_cache_new (dir, TESS_HTTP_CACHE_DEFAULT_MAX_BYTES);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (tess_http_cache_get_bytes (cache), ==, 0);

  /* once its process is gone, it goes too */
  close (live_fd);
  tess_http_cache_clear (cache);
  g_assert_false (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  tess_test_dir_remove (dir);
}

/* A process killed midway through a download leaves no entry, and nothing the
 * next cache on that folder keeps. */
static void
test_killed (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (TessHttpCache) cache = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr (GBytes) body = make_body (1024 * 1024, 1);
      TessHttpCacheWriter *writer;

      cache = tess_http_cache_new (g_getenv ("TESS_TEST_CACHE_DIR"), TESS_HTTP_CACHE_DEFAULT_MAX_BYTES);
      writer = tess_http_cache_begin (cache, "k", "\"1\"", NULL, NULL, 2 * g_bytes_get_size (body), NULL);
      g_assert_nonnull (writer);
      g_assert_true (
          tess_http_cache_writer_write (writer, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL));
      kill (getpid (), SIGKILL);
      return;
    }

  dir = tess_test_dir_new ("tess-http-cache-XXXXXX");
  g_setenv ("TESS_TEST_CACHE_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();

  cache = tess_http_cache_new (dir, TESS_HTTP_CACHE_DEFAULT_MAX_BYTES);
  assert_miss (cache, "k");
  g_assert_cmpuint (count_files (dir), ==, 0);
  tess_test_dir_remove (dir);
}

static void
write_bytes (const char *path, const void *data, gsize length)
{
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

static void
test_corrupt (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-http-cache-XXXXXX");
  g_autoptr (TessHttpCache) cache = tess_http_cache_new (dir, TESS_HTTP_CACHE_DEFAULT_MAX_BYTES);
  g_autoptr (GBytes) body = make_body (20000, 1);
  g_autofree char *path = NULL;
  g_autofree char *good = NULL;
  gsize length;
  char *copy;

  store (cache, "k", "\"1\"", body);
  path = only_file (dir);
  g_assert_true (g_file_get_contents (path, &good, &length, NULL));

  /* truncated by one byte */
  write_bytes (path, good, length - 1);
  assert_miss (cache, "k");
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* a byte too many */
  copy = g_malloc (length + 1);
  memcpy (copy, good, length);
  copy[length] = 'x';
  write_bytes (path, copy, length + 1);
  assert_miss (cache, "k");
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* another magic */
  memcpy (copy, good, length);
  copy[0] = 'X';
  write_bytes (path, copy, length);
  assert_miss (cache, "k");
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* another version */
  memcpy (copy, good, length);
  copy[8] = 99;
  write_bytes (path, copy, length);
  assert_miss (cache, "k");
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* metadata lengths that run past their block */
  memcpy (copy, good, length);
  memset (copy + 24, 0x7f, 4);
  write_bytes (path, copy, length);
  assert_miss (cache, "k");
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* empty */
  write_bytes (path, "", 0);
  assert_miss (cache, "k");
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* and the good one still reads */
  write_bytes (path, good, length);
  assert_hit (cache, "k", body);
  g_free (copy);
  tess_test_dir_remove (dir);
}

typedef struct
{
  GMutex lock;
  GCond cond;
  guint begun;
} Rendezvous;

typedef struct
{
  TessHttpCache *cache;
  GBytes *body;
  Rendezvous *rendezvous;
  gboolean committed;
} Racer;

/* Runs on a thread of its own: both racers begin before either writes, and
 * write in small chunks, so their writes interleave. */
static gpointer
race_store (gpointer data)
{
  Racer *racer = data;
  Rendezvous *rendezvous = racer->rendezvous;
  g_autoptr (GError) error = NULL;
  gsize length;
  const guint8 *bytes = g_bytes_get_data (racer->body, &length);
  TessHttpCacheWriter *writer = tess_http_cache_begin (racer->cache, "same key", NULL, NULL, NULL, length, &error);

  g_assert_no_error (error);
  g_mutex_lock (&rendezvous->lock);
  rendezvous->begun++;
  g_cond_broadcast (&rendezvous->cond);
  while (rendezvous->begun < 2)
    g_cond_wait (&rendezvous->cond, &rendezvous->lock);
  g_mutex_unlock (&rendezvous->lock);
  for (gsize done = 0; done < length; done += 1024)
    {
      g_assert_true (tess_http_cache_writer_write (writer, bytes + done, MIN (1024, length - done), &error));
      g_thread_yield ();
    }
  racer->committed = tess_http_cache_writer_commit (writer, &error);
  g_assert_no_error (error);
  return NULL;
}

static void
test_two_writers (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-http-cache-XXXXXX");
  g_autoptr (TessHttpCache) cache = tess_http_cache_new (dir, TESS_HTTP_CACHE_DEFAULT_MAX_BYTES);
  g_autoptr (GBytes) first = make_body (64 * 1024, 1);
  g_autoptr (GBytes) second = make_body (64 * 1024, 2);

  for (guint round = 0; round < 20; round++)
    {
      Rendezvous rendezvous = { 0 };
      Racer racers[2] = { { cache, first, &rendezvous }, { cache, second, &rendezvous } };
      g_autoptr (TessHttpCacheEntry) entry = NULL;
      GThread *threads[2];
      GBytes *stored;

      g_mutex_init (&rendezvous.lock);
      g_cond_init (&rendezvous.cond);
      threads[0] = g_thread_new ("racer", race_store, &racers[0]);
      threads[1] = g_thread_new ("racer", race_store, &racers[1]);
      g_thread_join (threads[0]);
      g_thread_join (threads[1]);
      g_mutex_clear (&rendezvous.lock);
      g_cond_clear (&rendezvous.cond);

      /* both stored; one of them, whole, is what the key reads */
      g_assert_true (racers[0].committed);
      g_assert_true (racers[1].committed);
      entry = tess_http_cache_lookup (cache, "same key");
      g_assert_nonnull (entry);
      stored = tess_http_cache_entry_get_body (entry);
      g_assert_true (g_bytes_equal (stored, first) || g_bytes_equal (stored, second));
      g_assert_cmpuint (count_files (dir), ==, 1);
    }
  tess_test_dir_remove (dir);
}

static void
test_may_store (void)
{
  g_assert_true (tess_http_cache_may_store (NULL));
  g_assert_true (tess_http_cache_may_store (""));
  g_assert_true (tess_http_cache_may_store ("max-age=0"));
  g_assert_true (tess_http_cache_may_store ("private, max-age=60"));
  g_assert_true (tess_http_cache_may_store ("no-cache"));
  g_assert_true (tess_http_cache_may_store ("no-storex"));
  g_assert_true (tess_http_cache_may_store ("no-cache=\"Set-Cookie, no-store\""));
  g_assert_true (tess_http_cache_may_store ("private=\"no-store\\\", no-store\", max-age=5"));
  g_assert_false (tess_http_cache_may_store ("no-store"));
  g_assert_false (tess_http_cache_may_store ("No-Store"));
  g_assert_false (tess_http_cache_may_store ("public, max-age=60, no-store"));
  g_assert_false (tess_http_cache_may_store ("no-cache=\"a, b\",no-store"));
  g_assert_false (tess_http_cache_may_store ("  no-store  ,max-age=0"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Data/http-cache/round-trip", test_round_trip);
  g_test_add_func ("/Data/http-cache/lru", test_lru);
  g_test_add_func ("/Data/http-cache/over-budget", test_over_budget);
  g_test_add_func ("/Data/http-cache/abort", test_abort);
  g_test_add_func ("/Data/http-cache/write-error", test_write_error);
  g_test_add_func ("/Data/http-cache/stale-temporary", test_stale_temporary);
  g_test_add_func ("/Data/http-cache/killed", test_killed);
  g_test_add_func ("/Data/http-cache/corrupt", test_corrupt);
  g_test_add_func ("/Data/http-cache/two-writers", test_two_writers);
  g_test_add_func ("/Data/http-cache/may-store", test_may_store);
  return g_test_run ();
}
