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
 * cost their size in memory at once.
 */
#include "tess-mapped-file-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_WHOLE_MAX (64 * 1024 * 1024)

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
  if (st.st_size <= READ_WHOLE_MAX)
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
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                         "Cannot read “%s”: it became shorter while it was read; read it again once it is written",
                         display);
          else
            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot read “%s”: %s", display,
                         g_strerror (saved));
          return NULL;
        }
    }
  else
    map = mmap (NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
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
  if (length > 0)
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
