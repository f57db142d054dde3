/* tess-growing-body.c: a download read while it arrives
 * (tess-growing-body-private.h).
 *
 * One mutex and one condition: the writer commits each piece under the lock
 * and wakes the waiters, who check the count they wait for. Pieces are large
 * (hundreds of KiB), so the lock is taken a few hundred times per 100 MB. The
 * buffer comes zeroed from the allocator, so bytes past what has arrived are
 * zeros, never stale memory; readers still only trust what wait returned.
 */
#include "tess-growing-body-private.h"

struct _TessGrowingBody
{
  gatomicrefcount ref_count;
  guint8 *data;
  gsize length;
  GMutex lock;
  GCond cond;
  gsize received; /* under lock; the writer also reads it without */
  gboolean done;  /* under lock */
  GError *error;  /* under lock */
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
  g_free (body->data);
  g_clear_error (&body->error);
  g_mutex_clear (&body->lock);
  g_cond_clear (&body->cond);
  g_free (body);
}

const char *
tess_growing_body_get_data (TessGrowingBody *body, gsize *length)
{
  *length = body->length;
  return (const char *) body->data;
}

guint8 *
tess_growing_body_get_free (TessGrowingBody *body, gsize *room)
{
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
  if (error == NULL && body->received < body->length)
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                         "The answer broke off after %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes", body->received,
                         body->length);
  g_clear_error (&body->error);
  body->error = error;
  g_cond_broadcast (&body->cond);
  g_mutex_unlock (&body->lock);
}

gsize
tess_growing_body_wait (TessGrowingBody *body, gsize upto, GError **error)
{
  gsize received;

  upto = MIN (upto, body->length);
  g_mutex_lock (&body->lock);
  while (body->received < upto && !body->done)
    g_cond_wait (&body->cond, &body->lock);
  received = body->received;
  if (received < upto || (upto == 0 && body->error))
    {
      if (body->error)
        g_propagate_error (error, g_error_copy (body->error));
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "The answer broke off");
      received = 0;
    }
  g_mutex_unlock (&body->lock);
  return received;
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
