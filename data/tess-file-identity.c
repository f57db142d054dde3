/* tess-file-identity.c: what says a local file is still the one that was
 * read (tess-file-identity-private.h); tess-source.c says how a load uses it.
 */
#include "tess-file-identity-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

int
tess_file_identity_get (const char *path, TessFileIdentity *identity)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return errno;
  identity->device = st.st_dev;
  identity->inode = st.st_ino;
  identity->size = st.st_size;
  identity->mtime_sec = st.st_mtim.tv_sec;
  identity->mtime_nsec = st.st_mtim.tv_nsec;
  identity->ctime_sec = st.st_ctim.tv_sec;
  identity->ctime_nsec = st.st_ctim.tv_nsec;
  identity->is_folder = S_ISDIR (st.st_mode);
  return 0;
}

gboolean
tess_file_identity_equal (const TessFileIdentity *a, const TessFileIdentity *b)
{
  return a->device == b->device && a->inode == b->inode && a->size == b->size && a->mtime_sec == b->mtime_sec &&
         a->mtime_nsec == b->mtime_nsec && a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec &&
         a->is_folder == b->is_folder;
}

void
tess_file_identity_append (GString *key, const TessFileIdentity *identity)
{
  g_string_append_printf (key,
                          "\x1f%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT "\x1f%" G_GINT64_FORMAT "\x1f%" G_GINT64_FORMAT
                          ".%09" G_GINT64_FORMAT "\x1f%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT,
                          identity->device, identity->inode, identity->size, identity->mtime_sec, identity->mtime_nsec,
                          identity->ctime_sec, identity->ctime_nsec);
}

gint64
tess_file_identity_get_age (const TessFileIdentity *identity)
{
  gint64 mtime = identity->mtime_sec * G_USEC_PER_SEC + identity->mtime_nsec / 1000;
  gint64 ctime = identity->ctime_sec * G_USEC_PER_SEC + identity->ctime_nsec / 1000;

  return g_get_real_time () - MAX (mtime, ctime);
}

gboolean
tess_file_settle_wait (gint64 usec, GCancellable *cancellable, GError **error)
{
  gint64 end = g_get_monotonic_time () + usec;
  GPollFD pollfd;
  gboolean pollable = cancellable && g_cancellable_make_pollfd (cancellable, &pollfd);

  for (;;)
    {
      gint64 left = end - g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable) || left <= 0)
        break;
      if (pollable)
        g_poll (&pollfd, 1, (left + 999) / 1000);
      else
        g_usleep (left);
    }
  if (pollable)
    g_cancellable_release_fd (cancellable);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}
