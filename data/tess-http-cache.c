/* tess-http-cache.c: the disk cache of HTTP answers (see
 * tess-http-cache-private.h for the rules it keeps).
 *
 * The directory holds two kinds of files:
 * - entries, named by the SHA-256 of their key in hex. An entry is
 *     "TessHTTP"  magic, 8 bytes
 *     version     u32, little endian
 *     meta_len    u32: bytes of metadata after this fixed header
 *     body_len    u64
 *     metadata    key, ETag, Last-Modified, content type; each a u32 length
 *                 (0xffffffff: none) then its bytes
 *     body        body_len bytes
 *   and its size is exactly 24 + meta_len + body_len, so a truncated file is
 *   seen at once. The key is stored to check that the name belongs to it.
 * - temporaries, ".tmp-PID-RANDOM": a download being written, or one linked
 *   under that name a moment before the rename that installs it. A writer
 *   holds an flock() on its temporary for as long as it lives; the kernel
 *   drops it when the process dies, however it dies, so a temporary nobody
 *   holds belongs to a dead process and is removed (a PID alone would lie
 *   across the PID namespaces of Flatpak sandboxes sharing one directory).
 *   Where the file system has O_TMPFILE, a download has no name at all until
 *   its commit, and a killed process leaves nothing.
 *
 * The eviction order is the entries' modification times: a commit or a hit
 * stamps its entry with the current time (kept strictly increasing within
 * the process, as file times are coarser than a quick succession of uses).
 * There is no index to keep in step: the budget is enforced by listing the
 * directory after each commit, so processes sharing it see each other's
 * entries.
 *
 * Threads: the cache's lock guards its budget and serialises its evictions;
 * writers_lock guards the list of live writers and each writer's temporary
 * name and abort flag, which tess_http_cache_abort_all() touches from another
 * thread. A writer's file descriptor is only ever used by its own thread.
 */
#define _GNU_SOURCE 1 /* O_TMPFILE, fallocate(), AT_EMPTY_PATH */

#include "tess-http-cache-private.h"

#include <gio/gio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ENTRY_MAGIC "TessHTTP"
#define ENTRY_VERSION 1
#define FIXED_HEADER_SIZE 24
#define BODY_LENGTH_OFFSET 16
#define NO_STRING G_MAXUINT32
#define ENTRY_NAME_LENGTH 64 /* SHA-256 in hex */
#define TEMP_PREFIX ".tmp-"
/* A writer starts the writeback of what it wrote every this many bytes */
#define WRITEBACK_STEP (8 * 1024 * 1024)

struct _TessHttpCache
{
  char *directory;
  GMutex lock;
  guint64 max_bytes; /* guarded by lock */
};

struct _TessHttpCacheEntry
{
  gatomicrefcount ref_count;
  char *etag;
  char *last_modified;
  char *content_type;
  GBytes *body;
};

struct _TessHttpCacheWriter
{
  TessHttpCache *cache;
  char *entry_name;
  int fd; /* -1 once the writer gave up */
  gboolean failed;
  guint64 header_size;
  guint64 expected_length;
  guint64 written;
  guint64 written_back; /* bytes of the file whose writeback has started */
  /* guarded by writers_lock */
  char *temp_path; /* NULL while the temporary has no name */
  gboolean aborted;
};

static GMutex writers_lock;
static GList *writers; /* every live writer of the process; guarded by writers_lock */
/* Set once an O_TMPFILE could not be made or linked here: named temporaries from then on. */
static gint tmpfile_unusable;

/* Small helpers */

static char *
entry_name_for_key (const char *key)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
}

static gboolean
is_entry_name (const char *name)
{
  gsize i;

  for (i = 0; name[i]; i++)
    if (!g_ascii_isxdigit (name[i]) || g_ascii_isupper (name[i]))
      return FALSE;
  return i == ENTRY_NAME_LENGTH;
}

static void
set_error_from_errno (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "HTTP cache: cannot %s %s: %s", what, path,
               g_strerror (saved_errno));
}

static gboolean
write_all (int fd, const void *data, gsize length, const char *path, GError **error)
{
  const guint8 *p = data;

  while (length > 0)
    {
      ssize_t n = write (fd, p, MIN (length, (gsize) G_MAXSSIZE));
      if (n < 0)
        {
          int saved = errno;
          if (saved == EINTR)
            continue;
          set_error_from_errno (error, saved, "write", path);
          return FALSE;
        }
      p += n;
      length -= n;
    }
  return TRUE;
}

/* Stamps @fd's file as used now, for the eviction order. Any thread. */
static void
stamp_use (int fd)
{
  static GMutex stamp_lock;
  static gint64 last_stamp; /* ns since the epoch; guarded by stamp_lock */
  struct timespec now;
  struct timespec times[2];
  gint64 stamp;

  clock_gettime (CLOCK_REALTIME, &now);
  stamp = (gint64) now.tv_sec * G_GINT64_CONSTANT (1000000000) + now.tv_nsec;
  g_mutex_lock (&stamp_lock);
  stamp = MAX (stamp, last_stamp + 1);
  last_stamp = stamp;
  g_mutex_unlock (&stamp_lock);
  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;
  times[1].tv_sec = stamp / G_GINT64_CONSTANT (1000000000);
  times[1].tv_nsec = stamp % G_GINT64_CONSTANT (1000000000);
  if (futimens (fd, times) != 0)
    g_debug ("HTTP cache: cannot stamp an entry as used: %s", g_strerror (errno));
}

/* Removes @path if it is still the file open as @fd: another process may
 * have installed a good entry under that name since. */
static void
remove_if_same_file (const char *path, int fd)
{
  struct stat open_st;
  struct stat path_st;

  if (fstat (fd, &open_st) == 0 && lstat (path, &path_st) == 0 && open_st.st_dev == path_st.st_dev &&
      open_st.st_ino == path_st.st_ino)
    unlink (path);
}

/* The directory */

typedef struct
{
  char *name;
  guint64 size;
  gint64 used; /* ns since the epoch */
} ListedEntry;

static void
listed_entry_clear (gpointer data)
{
  ListedEntry *listed = data;
  g_free (listed->name);
}

static int
compare_by_use (gconstpointer a, gconstpointer b)
{
  const ListedEntry *x = a;
  const ListedEntry *y = b;

  if (x->used != y->used)
    return x->used < y->used ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* Lists the entries in @directory with their sizes and last uses; @total gets
 * the sum of their sizes. */
static GArray *
list_entries (const char *directory, guint64 *total)
{
  GArray *listed = g_array_new (FALSE, FALSE, sizeof (ListedEntry));
  DIR *dir = opendir (directory);
  struct dirent *dent;

  g_array_set_clear_func (listed, listed_entry_clear);
  *total = 0;
  if (dir == NULL)
    return listed;
  while ((dent = readdir (dir)) != NULL)
    {
      struct stat st;
      ListedEntry item;

      if (!is_entry_name (dent->d_name) || fstatat (dirfd (dir), dent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
          !S_ISREG (st.st_mode))
        continue;
      item.name = g_strdup (dent->d_name);
      item.size = st.st_size;
      item.used = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
      g_array_append_val (listed, item);
      *total += item.size;
    }
  closedir (dir);
  return listed;
}

/* Removes the least recently used entries until those left fit in
 * @max_bytes. @keep (an entry name, or NULL) is the entry just committed,
 * removed last. Called with cache->lock held. */
static void
evict_locked (TessHttpCache *cache, guint64 max_bytes, const char *keep)
{
  guint64 total;
  g_autoptr (GArray) listed = list_entries (cache->directory, &total);

  if (total <= max_bytes)
    return;
  g_array_sort (listed, compare_by_use);
  for (guint pass = 0; pass < 2 && total > max_bytes; pass++)
    for (guint i = 0; i < listed->len && total > max_bytes; i++)
      {
        ListedEntry *item = &g_array_index (listed, ListedEntry, i);
        g_autofree char *path = NULL;

        if (item->name == NULL || (pass == 0 && keep && g_str_equal (item->name, keep)))
          continue;
        path = g_build_filename (cache->directory, item->name, NULL);
        if (unlink (path) != 0 && errno != ENOENT)
          g_debug ("HTTP cache: cannot remove %s: %s", path, g_strerror (errno));
        total -= item->size;
        g_clear_pointer (&item->name, g_free);
      }
}

/* Removes the temporaries in @directory that no live writer holds. */
static void
sweep_temporaries (const char *directory)
{
  DIR *dir = opendir (directory);
  struct dirent *dent;

  if (dir == NULL)
    return;
  while ((dent = readdir (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      int fd;

      if (!g_str_has_prefix (dent->d_name, TEMP_PREFIX))
        continue;
      path = g_build_filename (directory, dent->d_name, NULL);
      fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
      if (fd < 0)
        continue;
      /* a writer holds its lock until it ends, and a dead process holds none */
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          g_debug ("HTTP cache: removing %s, left by a process that ended", path);
          remove_if_same_file (path, fd);
        }
      close (fd);
    }
  closedir (dir);
}

/* The cache */

TessHttpCache *
tess_http_cache_new (const char *directory, guint64 max_bytes)
{
  TessHttpCache *cache;

  g_return_val_if_fail (directory != NULL, NULL);

  cache = g_new0 (TessHttpCache, 1);
  cache->directory = g_strdup (directory);
  cache->max_bytes = max_bytes;
  g_mutex_init (&cache->lock);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    g_debug ("HTTP cache: cannot make %s: %s", directory, g_strerror (errno));
  sweep_temporaries (directory);
  return cache;
}

void
tess_http_cache_free (TessHttpCache *cache)
{
  if (cache == NULL)
    return;
  g_mutex_clear (&cache->lock);
  g_free (cache->directory);
  g_free (cache);
}

const char *
tess_http_cache_get_directory (TessHttpCache *cache)
{
  g_return_val_if_fail (cache != NULL, NULL);
  return cache->directory;
}

void
tess_http_cache_set_max_bytes (TessHttpCache *cache, guint64 max_bytes)
{
  g_return_if_fail (cache != NULL);

  g_mutex_lock (&cache->lock);
  cache->max_bytes = max_bytes;
  evict_locked (cache, max_bytes, NULL);
  g_mutex_unlock (&cache->lock);
}

guint64
tess_http_cache_get_max_bytes (TessHttpCache *cache)
{
  guint64 max_bytes;

  g_return_val_if_fail (cache != NULL, 0);

  g_mutex_lock (&cache->lock);
  max_bytes = cache->max_bytes;
  g_mutex_unlock (&cache->lock);
  return max_bytes;
}

guint64
tess_http_cache_get_bytes (TessHttpCache *cache)
{
  guint64 total;
  g_autoptr (GArray) listed = NULL;

  g_return_val_if_fail (cache != NULL, 0);

  listed = list_entries (cache->directory, &total);
  return total;
}

void
tess_http_cache_clear (TessHttpCache *cache)
{
  g_return_if_fail (cache != NULL);

  g_mutex_lock (&cache->lock);
  evict_locked (cache, 0, NULL);
  g_mutex_unlock (&cache->lock);
  sweep_temporaries (cache->directory);
}

/* Entries */

static gboolean
read_u32 (const guint8 **p, const guint8 *end, guint32 *value)
{
  if (end - *p < 4)
    return FALSE;
  memcpy (value, *p, 4);
  *value = GUINT32_FROM_LE (*value);
  *p += 4;
  return TRUE;
}

/* Reads one metadata string; *@out is NULL for "none". */
static gboolean
read_string (const guint8 **p, const guint8 *end, char **out)
{
  guint32 length;

  *out = NULL;
  if (!read_u32 (p, end, &length))
    return FALSE;
  if (length == NO_STRING)
    return TRUE;
  if (length > (gsize) (end - *p) || memchr (*p, '\0', length) != NULL)
    return FALSE;
  *out = g_strndup ((const char *) *p, length);
  *p += length;
  return TRUE;
}

static void
append_string (GByteArray *out, const char *s)
{
  guint32 length = s ? (guint32) MIN (strlen (s), (gsize) NO_STRING - 1) : NO_STRING;
  guint32 le = GUINT32_TO_LE (length);

  g_byte_array_append (out, (const guint8 *) &le, 4);
  if (s)
    g_byte_array_append (out, (const guint8 *) s, length);
}

static void
entry_free (TessHttpCacheEntry *entry)
{
  g_free (entry->etag);
  g_free (entry->last_modified);
  g_free (entry->content_type);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry);
}

/* Reads the entry in @contents (a whole file). Returns NULL, with @problem
 * saying why, when it is not a complete entry of this version; *@other_key is
 * set when it is a good entry of another key. */
static TessHttpCacheEntry *
parse_entry (GBytes *contents, const char *key, const char **problem, gboolean *other_key)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (contents, &size);
  const guint8 *p;
  const guint8 *meta_end;
  guint32 version = 0;
  guint32 meta_len = 0;
  guint64 body_len;
  g_autofree char *stored_key = NULL;
  TessHttpCacheEntry *entry;

  *other_key = FALSE;
  if (size < FIXED_HEADER_SIZE || memcmp (data, ENTRY_MAGIC, 8) != 0)
    {
      *problem = "not an entry";
      return NULL;
    }
  p = data + 8;
  read_u32 (&p, data + size, &version);
  read_u32 (&p, data + size, &meta_len);
  memcpy (&body_len, data + BODY_LENGTH_OFFSET, 8);
  body_len = GUINT64_FROM_LE (body_len);
  if (version != ENTRY_VERSION)
    {
      *problem = "of another version";
      return NULL;
    }
  if (meta_len > size - FIXED_HEADER_SIZE || body_len != size - FIXED_HEADER_SIZE - meta_len)
    {
      *problem = "truncated";
      return NULL;
    }
  entry = g_new0 (TessHttpCacheEntry, 1);
  g_atomic_ref_count_init (&entry->ref_count);
  p = data + FIXED_HEADER_SIZE;
  meta_end = p + meta_len;
  if (!read_string (&p, meta_end, &stored_key) || stored_key == NULL || !read_string (&p, meta_end, &entry->etag) ||
      !read_string (&p, meta_end, &entry->last_modified) || !read_string (&p, meta_end, &entry->content_type) ||
      p != meta_end)
    {
      *problem = "corrupt";
      entry_free (entry);
      return NULL;
    }
  if (!g_str_equal (stored_key, key))
    {
      *other_key = TRUE;
      entry_free (entry);
      return NULL;
    }
  entry->body = g_bytes_new_from_bytes (contents, FIXED_HEADER_SIZE + meta_len, body_len);
  return entry;
}

TessHttpCacheEntry *
tess_http_cache_lookup (TessHttpCache *cache, const char *key)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GBytes) contents = NULL;
  g_autoptr (GError) error = NULL;
  TessHttpCacheEntry *entry;
  const char *problem = NULL;
  gboolean other_key;
  int fd;

  g_return_val_if_fail (cache != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  name = entry_name_for_key (key);
  path = g_build_filename (cache->directory, name, NULL);
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    {
      if (errno != ENOENT)
        g_debug ("HTTP cache: cannot open %s: %s", path, g_strerror (errno));
      return NULL;
    }
  /* Entries are replaced by rename and never written in place, so the mapping
   * cannot change under its readers. */
  mapped = g_mapped_file_new_from_fd (fd, FALSE, &error);
  if (mapped == NULL)
    {
      g_debug ("HTTP cache: cannot map %s: %s", path, error->message);
      close (fd);
      return NULL;
    }
  contents = g_mapped_file_get_bytes (mapped);
  entry = parse_entry (contents, key, &problem, &other_key);
  if (entry)
    stamp_use (fd);
  else if (!other_key)
    {
      g_debug ("HTTP cache: removing %s, which is %s", path, problem);
      remove_if_same_file (path, fd);
    }
  close (fd);
  return entry;
}

void
tess_http_cache_remove (TessHttpCache *cache, const char *key)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (cache != NULL);
  g_return_if_fail (key != NULL);

  name = entry_name_for_key (key);
  path = g_build_filename (cache->directory, name, NULL);
  if (unlink (path) != 0 && errno != ENOENT)
    g_debug ("HTTP cache: cannot remove %s: %s", path, g_strerror (errno));
}

TessHttpCacheEntry *
tess_http_cache_entry_ref (TessHttpCacheEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

void
tess_http_cache_entry_unref (TessHttpCacheEntry *entry)
{
  g_return_if_fail (entry != NULL);
  if (g_atomic_ref_count_dec (&entry->ref_count))
    entry_free (entry);
}

const char *
tess_http_cache_entry_get_etag (TessHttpCacheEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return entry->etag;
}

const char *
tess_http_cache_entry_get_last_modified (TessHttpCacheEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return entry->last_modified;
}

const char *
tess_http_cache_entry_get_content_type (TessHttpCacheEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return entry->content_type;
}

GBytes *
tess_http_cache_entry_get_body (TessHttpCacheEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return entry->body;
}

/* Writers */

static char *
new_temp_path (const char *directory)
{
  return g_strdup_printf ("%s/" TEMP_PREFIX "%d-%08x%08x", directory, (int) getpid (), g_random_int (),
                          g_random_int ());
}

/* Opens a temporary in @directory, locked for as long as it stays open; sets
 * *@temp_path to its name, or NULL when it has none (O_TMPFILE). */
static int
open_temporary (const char *directory, char **temp_path, GError **error)
{
  *temp_path = NULL;
  if (!g_atomic_int_get (&tmpfile_unusable))
    {
      int fd = open (directory, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
      if (fd >= 0)
        {
          flock (fd, LOCK_EX);
          return fd;
        }
      if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
        {
          set_error_from_errno (error, errno, "write in", directory);
          return -1;
        }
      g_atomic_int_set (&tmpfile_unusable, TRUE);
    }
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *path = new_temp_path (directory);
      struct stat st;
      int fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

      if (fd < 0)
        {
          if (errno == EEXIST)
            continue;
          set_error_from_errno (error, errno, "create", path);
          return -1;
        }
      /* A sweeper may have taken the lock between the open and here, and then
       * removed the name: start again with another. */
      flock (fd, LOCK_EX);
      if (fstat (fd, &st) == 0 && st.st_nlink > 0)
        {
          *temp_path = g_steal_pointer (&path);
          return fd;
        }
      close (fd);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "HTTP cache: cannot create a temporary file in %s", directory);
  return -1;
}

/* Gives @fd (an O_TMPFILE) a temporary name in @directory. */
static char *
link_temporary (int fd, const char *directory, GError **error)
{
  g_autofree char *proc_path = g_strdup_printf ("/proc/self/fd/%d", fd);

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      char *path = new_temp_path (directory);

      if (linkat (AT_FDCWD, proc_path, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 ||
          linkat (fd, "", AT_FDCWD, path, AT_EMPTY_PATH) == 0)
        return path;
      if (errno != EEXIST)
        {
          set_error_from_errno (error, errno, "name the temporary file of", directory);
          g_free (path);
          /* no /proc, say: later downloads use named temporaries */
          g_atomic_int_set (&tmpfile_unusable, TRUE);
          return NULL;
        }
      g_free (path);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "HTTP cache: cannot name a temporary file in %s", directory);
  return NULL;
}

/* Closes the writer's file and removes its temporary; later calls fail.
 * Writer's thread. */
static void
writer_give_up (TessHttpCacheWriter *writer)
{
  g_autofree char *temp_path = NULL;

  g_mutex_lock (&writers_lock);
  temp_path = g_steal_pointer (&writer->temp_path);
  g_mutex_unlock (&writers_lock);
  /* removed before the lock is dropped with the descriptor */
  if (temp_path)
    unlink (temp_path);
  if (writer->fd >= 0)
    close (writer->fd);
  writer->fd = -1;
  writer->failed = TRUE;
}

static void
writer_free (TessHttpCacheWriter *writer)
{
  writer_give_up (writer);
  g_mutex_lock (&writers_lock);
  writers = g_list_remove (writers, writer);
  g_mutex_unlock (&writers_lock);
  g_free (writer->entry_name);
  g_free (writer);
}

static gboolean
writer_check_aborted (TessHttpCacheWriter *writer, GError **error)
{
  gboolean aborted;

  g_mutex_lock (&writers_lock);
  aborted = writer->aborted;
  g_mutex_unlock (&writers_lock);
  if (aborted)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "HTTP cache: the process is shutting down");
  return aborted;
}

/* @size: the bytes the entry would take at least */
static void
set_over_budget_error (GError **error, guint64 size, guint64 max_bytes)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
               "HTTP cache: an entry of %" G_GUINT64_FORMAT " bytes does not fit in the budget of %" G_GUINT64_FORMAT
               " bytes",
               size, max_bytes);
}

TessHttpCacheWriter *
tess_http_cache_begin (TessHttpCache *cache,
                       const char *key,
                       const char *etag,
                       const char *last_modified,
                       const char *content_type,
                       guint64 expected_length,
                       GError **error)
{
  g_autoptr (GByteArray) header = g_byte_array_new ();
  TessHttpCacheWriter *writer;
  guint64 max_bytes;
  guint32 u32;
  guint64 u64;

  g_return_val_if_fail (cache != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_byte_array_append (header, (const guint8 *) ENTRY_MAGIC, 8);
  u32 = GUINT32_TO_LE (ENTRY_VERSION);
  g_byte_array_append (header, (const guint8 *) &u32, 4);
  g_byte_array_append (header, (const guint8 *) &u32, 4); /* meta_len, below */
  u64 = GUINT64_TO_LE (expected_length);                  /* body_len, set again at the commit */
  g_byte_array_append (header, (const guint8 *) &u64, 8);
  append_string (header, key);
  append_string (header, etag);
  append_string (header, last_modified);
  append_string (header, content_type);
  u32 = GUINT32_TO_LE (header->len - FIXED_HEADER_SIZE);
  memcpy (header->data + 12, &u32, 4);

  max_bytes = tess_http_cache_get_max_bytes (cache);
  if (header->len + expected_length > max_bytes || expected_length > max_bytes)
    {
      set_over_budget_error (error, expected_length > max_bytes ? expected_length : header->len + expected_length,
                             max_bytes);
      return NULL;
    }

  writer = g_new0 (TessHttpCacheWriter, 1);
  writer->fd = -1;
  writer->cache = cache;
  writer->entry_name = entry_name_for_key (key);
  writer->header_size = header->len;
  writer->expected_length = expected_length;
  g_mutex_lock (&writers_lock);
  writers = g_list_prepend (writers, writer);
  g_mutex_unlock (&writers_lock);

  /* the directory may have been removed since the cache opened it */
  g_mkdir_with_parents (cache->directory, 0700);
  writer->fd = open_temporary (cache->directory, &writer->temp_path, error);
  if (writer->fd < 0)
    {
      writer_free (writer);
      return NULL;
    }
  /* Claims the space now, so that a full disk stops the writer before it
   * writes anything; file systems without fallocate() just write. */
  if (expected_length > 0 && fallocate (writer->fd, 0, 0, header->len + expected_length) != 0 && errno != EOPNOTSUPP &&
      errno != ENOSYS)
    {
      set_error_from_errno (error, errno, "make room in", cache->directory);
      writer_free (writer);
      return NULL;
    }
  if (!write_all (writer->fd, header->data, header->len, cache->directory, error))
    {
      writer_free (writer);
      return NULL;
    }
  return writer;
}

/* Starts writing out to the disk what was written so far, every
 * WRITEBACK_STEP bytes, without waiting for it: the disk writes a large
 * download while it arrives, and the fdatasync() of the commit finds little
 * left to wait for. Errors show at that fdatasync(). */
static void
start_writeback (TessHttpCacheWriter *writer)
{
#ifdef SYNC_FILE_RANGE_WRITE
  guint64 end = writer->header_size + writer->written;

  if (end - writer->written_back < WRITEBACK_STEP)
    return;
  sync_file_range (writer->fd, writer->written_back, end - writer->written_back, SYNC_FILE_RANGE_WRITE);
  writer->written_back = end;
#endif
}

gboolean
tess_http_cache_writer_write (TessHttpCacheWriter *writer, const void *data, gsize length, GError **error)
{
  guint64 max_bytes;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (writer->failed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP cache: this writer gave up already");
      return FALSE;
    }
  if (writer_check_aborted (writer, error))
    {
      writer_give_up (writer);
      return FALSE;
    }
  if (writer->expected_length > 0 && writer->written + length > writer->expected_length)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "HTTP cache: the body is longer than the %" G_GUINT64_FORMAT " bytes announced",
                   writer->expected_length);
      writer_give_up (writer);
      return FALSE;
    }
  max_bytes = tess_http_cache_get_max_bytes (writer->cache);
  if (writer->header_size + writer->written + length > max_bytes)
    {
      set_over_budget_error (error, writer->header_size + writer->written + length, max_bytes);
      writer_give_up (writer);
      return FALSE;
    }
  if (!write_all (writer->fd, data, length, writer->cache->directory, error))
    {
      writer_give_up (writer);
      return FALSE;
    }
  writer->written += length;
  start_writeback (writer);
  return TRUE;
}

/* The commit of tess_http_cache_writer_commit(), which frees @writer after it. */
static gboolean
writer_install (TessHttpCacheWriter *writer, GError **error)
{
  TessHttpCache *cache = writer->cache;
  g_autofree char *entry_path = NULL;
  guint64 body_len;
  gboolean installed = FALSE;

  if (writer->failed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP cache: this writer gave up already");
      return FALSE;
    }
  if (writer->expected_length > 0 && writer->written != writer->expected_length)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   "HTTP cache: the body has %" G_GUINT64_FORMAT " of the %" G_GUINT64_FORMAT " bytes announced",
                   writer->written, writer->expected_length);
      return FALSE;
    }
  if (writer->header_size + writer->written > tess_http_cache_get_max_bytes (cache))
    {
      set_over_budget_error (error, writer->header_size + writer->written, tess_http_cache_get_max_bytes (cache));
      return FALSE;
    }
  body_len = GUINT64_TO_LE (writer->written);
  if (pwrite (writer->fd, &body_len, 8, BODY_LENGTH_OFFSET) != 8)
    {
      set_error_from_errno (error, errno, "write", cache->directory);
      return FALSE;
    }
  /* The data reaches the disk before the name does: after a power cut an
   * entry is whole or absent, as it is after a crash. */
  if (fdatasync (writer->fd) != 0)
    {
      set_error_from_errno (error, errno, "write", cache->directory);
      return FALSE;
    }
  stamp_use (writer->fd);

  entry_path = g_build_filename (cache->directory, writer->entry_name, NULL);
  g_mutex_lock (&writers_lock);
  if (writer->aborted)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "HTTP cache: the process is shutting down");
  else if (writer->temp_path == NULL &&
           (writer->temp_path = link_temporary (writer->fd, cache->directory, error)) == NULL)
    ;
  /* rename() replaces an entry of the same key in one step */
  else if (rename (writer->temp_path, entry_path) != 0)
    set_error_from_errno (error, errno, "install", entry_path);
  else
    {
      g_clear_pointer (&writer->temp_path, g_free);
      installed = TRUE;
    }
  g_mutex_unlock (&writers_lock);
  if (!installed)
    return FALSE;

  g_mutex_lock (&cache->lock);
  evict_locked (cache, cache->max_bytes, writer->entry_name);
  g_mutex_unlock (&cache->lock);
  return TRUE;
}

gboolean
tess_http_cache_writer_commit (TessHttpCacheWriter *writer, GError **error)
{
  gboolean installed;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  installed = writer_install (writer, error);
  writer_free (writer);
  return installed;
}

void
tess_http_cache_writer_abort (TessHttpCacheWriter *writer)
{
  if (writer != NULL)
    writer_free (writer);
}

void
tess_http_cache_abort_all (void)
{
  g_mutex_lock (&writers_lock);
  for (GList *l = writers; l; l = l->next)
    {
      TessHttpCacheWriter *writer = l->data;
      g_autofree char *temp_path = g_steal_pointer (&writer->temp_path);

      writer->aborted = TRUE;
      /* The descriptor belongs to the writer's thread; an unnamed temporary
       * vanishes with it, or with the process. */
      if (temp_path)
        unlink (temp_path);
    }
  g_mutex_unlock (&writers_lock);
}

/* Cache-Control */

gboolean
tess_http_cache_may_store (const char *cache_control)
{
  const char *p = cache_control;

  if (p == NULL)
    return TRUE;
  /* directives separated by commas; a value may be a quoted string holding commas */
  while (*p)
    {
      const char *name;
      gsize name_len;

      p += strspn (p, " \t,");
      name = p;
      p += strcspn (p, "=, \t");
      name_len = p - name;
      if (name_len == 8 && g_ascii_strncasecmp (name, "no-store", 8) == 0)
        return FALSE;
      p += strspn (p, " \t");
      if (*p != '=')
        continue;
      p += 1 + strspn (p + 1, " \t");
      if (*p == '"')
        {
          for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && p[1])
              p++;
          if (*p == '"')
            p++;
        }
      p += strcspn (p, ",");
    }
  return TRUE;
}
