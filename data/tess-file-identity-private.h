/* tess-file-identity-private.h: what says a local file is still the one
 * that was read: its device, inode, size, modification time and change
 * time (both to the nanosecond). Not public API; any thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 device;
  guint64 inode;
  gint64 size;
  gint64 mtime_sec;
  gint64 mtime_nsec;
  gint64 ctime_sec;
  gint64 ctime_nsec;
  gboolean is_folder;
} TessFileIdentity;

/* Returns 0, or the errno of the failed stat. */
int tess_file_identity_get (const char *path, TessFileIdentity *identity);
gboolean tess_file_identity_equal (const TessFileIdentity *a, const TessFileIdentity *b);
/* Appends the identity to a cache key. */
void tess_file_identity_append (GString *key, const TessFileIdentity *identity);
/* How long ago, in µs of the wall clock, the file last changed; negative
 * when its times are ahead of this machine's clock. */
gint64 tess_file_identity_get_age (const TessFileIdentity *identity);

/* Waits @usec, or less when @cancellable is cancelled (then FALSE with
 * @error set): for a file to settle. */
gboolean tess_file_settle_wait (gint64 usec, GCancellable *cancellable, GError **error);

G_END_DECLS
