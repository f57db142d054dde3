/* tess-growing-body.c: a download read while it arrives
 * (tess-growing-body-private.h).
 *
 * One mutex and one condition: the writer commits each piece under the lock
 * and wakes the waiters, who check the count they wait for. Pieces are large
 * (hundreds of KiB), so the lock is taken a few hundred times per 100 MB. The
 * buffer comes zeroed from the allocator, so bytes past what has arrived are
 * zeros, never stale memory; readers still only trust what wait returned.
 *
 * The writer maps the buffer in a few MiB ahead of what it receives, in one
 * call each time, rather than by a page fault per page as the socket copies
 * into it: on a download of 100 MB the faults were a third of the I/O
 * thread's CPU time. A body read whole (tess-source.c) is mapped in the
 * same way.
 *
 * An open body (its length unknown until it ends) sets aside the address
 * space of the most it may hold, without memory (MAP_NORESERVE): pages are
 * taken as the writer maps them in, and the buffer never moves under its
 * readers as a growing allocation would.
 */
#include "tess-growing-body-private.h"

#include <sys/mman.h>
#include <unistd.h>

#define POPULATE_BYTES ((gsize) 4 * 1024 * 1024)

struct _TessGrowingBody
{
  gatomicrefcount ref_count;
  guint8 *data;
  gsize length;   /* an open body: the most it holds until it is done (under lock) */
  gsize capacity; /* an open body: the address space set aside; otherwise 0 */
  gboolean open;  /* the length is known only once it is done */
  GMutex lock;
  GCond cond;
  gsize received;  /* under lock; the writer also reads it without */
  gsize populated; /* the writer's: bytes mapped in ahead of it */
  gboolean done;   /* under lock */
  GError *error;   /* under lock */
};

TessGrowingBody *
tess_growing_body_new (gsize length)
{
  TessGrowingBody *body = g_new0 (TessGrowingBody, 1);

  g_atomic_ref_count_init (&body->ref_count);
  body->data = g_malloc0 (MAX (length, 1));
  body->length = length;
  g_mutex_init (&body->lock);
  g_cond_init (&body->cond);
  return body;
}

TessGrowingBody *
tess_growing_body_new_open (gsize most)
{
  TessGrowingBody *body = g_new0 (TessGrowingBody, 1);

  g_atomic_ref_count_init (&body->ref_count);
  most = MAX (most, 1);
  body->data = mmap (NULL, most, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (body->data == MAP_FAILED)
    {
      g_free (body);
      return NULL;
    }
  body->length = body->capacity = most;
  body->open = TRUE;
  g_mutex_init (&body->lock);
  g_cond_init (&body->cond);
  return body;
}

TessGrowingBody *
tess_growing_body_ref (TessGrowingBody *body)
{
  g_atomic_ref_count_inc (&body->ref_count);
  return body;
}

void
tess_growing_body_unref (TessGrowingBody *body)
{
  if (!g_atomic_ref_count_dec (&body->ref_count))
    return;
  if (body->capacity)
    munmap (body->data, body->capacity);
  else
    g_free (body->data);
  g_clear_error (&body->error);
  g_mutex_clear (&body->lock);
  g_cond_clear (&body->cond);
  g_free (body);
}

const char *
tess_growing_body_get_data (TessGrowingBody *body, gsize *length)
{
  g_mutex_lock (&body->lock);
  *length = body->length;
  g_mutex_unlock (&body->lock);
  return (const char *) body->data;
}

gboolean
tess_growing_body_get_length (TessGrowingBody *body, gsize *length)
{
  gboolean known;

  g_mutex_lock (&body->lock);
  *length = body->length;
  known = !body->open || (body->done && body->error == NULL);
  g_mutex_unlock (&body->lock);
  return known;
}

gsize
tess_download_populate_ahead (guint8 *data, gsize length, gsize received, gsize populated)
{
#ifdef MADV_POPULATE_WRITE
  static gsize page = 0;
  guintptr start, end;
  gsize to;

  /* the next reads land in pages already there (a read takes at most a
   * quarter of POPULATE_BYTES) */
  if (received + POPULATE_BYTES / 2 <= populated || populated >= length)
    return populated;
  to = MIN (MAX (populated, received) + POPULATE_BYTES, length);
  if (page == 0)
    page = sysconf (_SC_PAGESIZE);
  /* a page shared with what came before too (mapping a page in keeps what
   * it holds); one shared at the end is left for the next call */
  start = ((guintptr) data + populated) & ~(guintptr) (page - 1);
  end = ((guintptr) data + to) & ~(guintptr) (page - 1);
  if (end > start)
    madvise ((void *) start, end - start, MADV_POPULATE_WRITE);
  return to;
#else
  return length;
#endif
}

guint8 *
tess_growing_body_get_free (TessGrowingBody *body, gsize *room)
{
  /* the length changes only when the writer ends the body; an open one is
   * mapped in no further than twice what has arrived (and 256 KiB), so that
   * a small answer takes little memory */
  gsize bound = body->open ? MIN (body->length, body->received * 2 + 256 * 1024) : body->length;

  body->populated = tess_download_populate_ahead (body->data, bound, body->received, body->populated);
  *room = body->length - body->received;
  return body->data + body->received;
}

void
tess_growing_body_commit (TessGrowingBody *body, gsize n)
{
  g_mutex_lock (&body->lock);
  body->received = MIN (body->received + n, body->length);
  g_cond_broadcast (&body->cond);
  g_mutex_unlock (&body->lock);
}

void
tess_growing_body_finish (TessGrowingBody *body, GError *error)
{
  g_mutex_lock (&body->lock);
  body->done = TRUE;
  if (error == NULL && body->open)
    body->length = body->received; /* known at last */
  if (error == NULL && body->received < body->length)
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                         "The answer broke off after %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes", body->received,
                         body->length);
  g_clear_error (&body->error);
  body->error = error;
  g_cond_broadcast (&body->cond);
  g_mutex_unlock (&body->lock);
}

gboolean
tess_growing_body_wait_for (TessGrowingBody *body, gsize upto, gsize *arrived, GError **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&body->lock);
  upto = MIN (upto, body->length);
  while (body->received < upto && !body->done)
    g_cond_wait (&body->cond, &body->lock);
  *arrived = body->received;
  /* an open body ends where it ends */
  if (body->done && body->error == NULL)
    upto = MIN (upto, body->length);
  if (*arrived < upto || (upto == 0 && body->error))
    {
      if (body->error)
        g_propagate_error (error, g_error_copy (body->error));
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "The answer broke off");
      *arrived = 0;
      ok = FALSE;
    }
  g_mutex_unlock (&body->lock);
  return ok;
}

gsize
tess_growing_body_wait (TessGrowingBody *body, gsize upto, GError **error)
{
  gsize arrived;

  tess_growing_body_wait_for (body, upto, &arrived, error);
  return arrived;
}

GError *
tess_growing_body_dup_error (TessGrowingBody *body)
{
  GError *error;

  g_mutex_lock (&body->lock);
  error = body->error ? g_error_copy (body->error) : NULL;
  g_mutex_unlock (&body->lock);
  return error;
}

void
tess_growing_body_wait_done (TessGrowingBody *body)
{
  g_mutex_lock (&body->lock);
  while (!body->done)
    g_cond_wait (&body->cond, &body->lock);
  g_mutex_unlock (&body->lock);
}
