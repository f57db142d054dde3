/* tess-mapped-file.c: data files mapped for one sequential read, released
 * as they are read (tess-mapped-file-private.h).
 *
 * The readers parse straight from the mapping: nothing is copied, and the
 * pages behind the parse go back to the page cache instead of piling up as
 * the process's memory.
 *
 * A file up to READ_WHOLE_MAX is read instead, with read(), into anonymous
 * memory mapped for it: a file mapped from disk and truncated while it is
 * parsed (a program rewriting it in place) raises SIGBUS on the lost pages,
 * where a read only comes back short, which is an error the loader retries.
 * The memory is outside the heap, and all of it goes when the read is done
 * (releasing a range only unmaps it, since the splitting reader may read
 * it again). Bigger files are mapped, as reading them whole first would
 * cost their size in memory at once; a SIGBUS from one of them is caught:
 * the handler maps zeros over the rest of the mapping, so the read goes on
 * to its end, and marks it cut, so the reader fails with the error a short
 * read gives (tess_mapped_file_was_cut()). A SIGBUS anywhere else goes to
 * the handler that was there before, by default the end of the process.
 */
#include "tess-mapped-file-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_WHOLE_MAX (64 * 1024 * 1024)

static gsize read_whole_max = READ_WHOLE_MAX; /* atomic */

void
tess_mapped_file_set_read_whole_max (gsize size)
{
  g_atomic_pointer_set (&read_whole_max, size);
}

/* Mappings of files, watched for SIGBUS: a slot is free while its start is
 * NULL. The handler reads them without a lock. */
#define MAX_WATCHED 64

typedef struct
{
  gpointer start; /* atomic */
  gsize length;
  gint cut; /* atomic */
} Watched;

static Watched watched[MAX_WATCHED];
static struct sigaction previous_sigbus;
static guintptr page_size;

static void
on_sigbus (int sig, siginfo_t *info, void *context)
{
  guintptr address = (guintptr) info->si_addr;

  for (guint i = 0; i < MAX_WATCHED; i++)
    {
      guintptr start = (guintptr) g_atomic_pointer_get (&watched[i].start);
      guintptr page, end;

      if (start == 0 || address < start || address - start >= watched[i].length)
        continue;
      /* the file lost this page and, being cut, those after it */
      page = address & ~(page_size - 1);
      end = (start + watched[i].length + page_size - 1) & ~(page_size - 1);
      if (mmap ((void *) page, end - page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        break;
      g_atomic_int_set (&watched[i].cut, 1);
      return;
    }
  /* not ours: the faulting access runs again, under the handler before */
  sigaction (SIGBUS, &previous_sigbus, NULL);
}

static void
watch_sigbus (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      struct sigaction action = { 0 };

      page_size = sysconf (_SC_PAGESIZE);
      action.sa_sigaction = on_sigbus;
      action.sa_flags = SA_SIGINFO;
      sigemptyset (&action.sa_mask);
      sigaction (SIGBUS, &action, &previous_sigbus);
      g_once_init_leave (&installed, 1);
    }
}

/* Watches the mapping at @start; unwatched (as mappings were before) when
 * 64 are watched already. */
static void
watch_mapping (gpointer start, gsize length)
{
  watch_sigbus ();
  for (guint i = 0; i < MAX_WATCHED; i++)
    {
      if (g_atomic_pointer_get (&watched[i].start) != NULL)
        continue;
      /* the length first: the handler reads it once it sees the start */
      watched[i].length = length;
      g_atomic_int_set (&watched[i].cut, 0);
      if (g_atomic_pointer_compare_and_exchange (&watched[i].start, NULL, start))
        return;
    }
}

static Watched *
find_watched (const char *data)
{
  for (guint i = 0; i < MAX_WATCHED; i++)
    if (g_atomic_pointer_get (&watched[i].start) == data)
      return &watched[i];
  return NULL;
}

gboolean
tess_mapped_file_close_checked (const char *data, gsize length, const char *path, GError **error)
{
  gboolean cut = tess_mapped_file_was_cut (data);

  tess_mapped_file_close (data, length);
  if (!cut)
    return TRUE;
  g_clear_error (error);
  tess_mapped_file_set_cut_error (error, path);
  return FALSE;
}

gboolean
tess_mapped_file_was_cut (const char *data)
{
  Watched *w = find_watched (data);
  return w != NULL && g_atomic_int_get (&w->cut);
}

void
tess_mapped_file_set_cut_error (GError **error, const char *path)
{
  g_autofree char *display = g_filename_display_name (path);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
               "Cannot read “%s”: it became shorter while it was read; read it again once it is written", display);
}

/* Reads @size bytes of @fd into @buffer; FALSE with errno set (0 when the
 * file ended early). */
static gboolean
read_whole (int fd, char *buffer, gsize size)
{
  gsize done = 0;

  while (done < size)
    {
      ssize_t n = read (fd, buffer + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = 0;
          return FALSE;
        }
      done += n;
    }
  return TRUE;
}

const char *
tess_mapped_file_open (const char *path, gsize *length, GError **error)
{
  struct stat st;
  void *map;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot open “%s”: %s", display,
                   g_strerror (saved));
      if (fd >= 0)
        close (fd);
      return NULL;
    }
  *length = st.st_size;
  if (st.st_size == 0)
    {
      close (fd);
      return "";
    }
  if ((gsize) st.st_size <= (gsize) g_atomic_pointer_get (&read_whole_max))
    {
      /* Shared, so that a range released (MADV_DONTNEED) and read again
       * reads the same bytes, as a file mapping's would, and not zeros. */
      map = mmap (NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
      if (map != MAP_FAILED && !read_whole (fd, map, st.st_size))
        {
          int saved = errno;
          g_autofree char *display = g_filename_display_name (path);

          munmap (map, st.st_size);
          close (fd);
          if (saved == 0)
            tess_mapped_file_set_cut_error (error, path);
          else
            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot read “%s”: %s", display,
                         g_strerror (saved));
          return NULL;
        }
    }
  else
    {
      map = mmap (NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (map != MAP_FAILED)
        watch_mapping (map, st.st_size);
    }
  close (fd);
  if (map == MAP_FAILED)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot read “%s”: %s", display,
                   g_strerror (saved));
      return NULL;
    }
  madvise (map, st.st_size, MADV_SEQUENTIAL);
  return map;
}

void
tess_mapped_file_close (const char *data, gsize length)
{
  Watched *w;

  if (length == 0)
    return;
  if ((w = find_watched (data)) != NULL)
    g_atomic_pointer_set (&w->start, NULL);
  munmap ((void *) data, length);
}

void
tess_mapped_file_release (const char *released, const char *upto, const char *end)
{
  gsize page = sysconf (_SC_PAGESIZE);
  guintptr from = ((guintptr) released + page - 1) & ~(guintptr) (page - 1);
  guintptr to = (guintptr) upto & ~(guintptr) (page - 1);
  guintptr ahead = MIN (to + TESS_MAPPED_RELEASE_CHUNK, (guintptr) end);

  if (to > from)
    madvise ((void *) from, to - from, MADV_DONTNEED);
#ifdef MADV_POPULATE_READ
  if (ahead > to)
    madvise ((void *) to, ahead - to, MADV_POPULATE_READ);
#else
  (void) ahead;
#endif
}

typedef struct
{
  const char *data;
  gsize length;
} MappedRange;

static void
mapped_range_free (gpointer data)
{
  MappedRange *range = data;

  tess_mapped_file_close (range->data, range->length);
  g_free (range);
}

GBytes *
tess_mapped_file_open_bytes (const char *path, GError **error)
{
  MappedRange *range;
  gsize length;
  const char *data = tess_mapped_file_open (path, &length, error);

  if (data == NULL)
    return NULL;
  range = g_new (MappedRange, 1);
  range->data = data;
  range->length = length;
  return g_bytes_new_with_free_func (data, length, mapped_range_free, range);
}
