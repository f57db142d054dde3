/* tess-mapped-file.c: data files mapped for one sequential read, released
 * as they are read (tess-mapped-file-private.h).
 *
 * The readers parse straight from the mapping: nothing is copied, and the
 * pages behind the parse go back to the page cache instead of piling up as
 * the process's memory.
 */
#include "tess-mapped-file-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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
