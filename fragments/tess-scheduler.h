/* tess-scheduler.h: the worker threads fragment bodies run on.
 *
 * Process-wide. At most "slots" bodies compute at once (one per core); a body
 * that blocks (tess_run_wait, a load) gives its slot back for the duration, so
 * any number of fragments can wait on I/O at once while CPU work stays at the
 * core count. None of this uses GTask's shared pool.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef void (*TessJobFunc) (gpointer data);

/* Queues @func(@data) to run on a worker. Any thread. */
void tess_scheduler_submit (TessJobFunc func, gpointer data);
/* Called by a job's thread around a blocking wait. */
void tess_scheduler_blocking_begin (void);
void tess_scheduler_blocking_end (void);

G_END_DECLS
