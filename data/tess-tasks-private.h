/* tess-tasks-private.h: tasks on a pool every caller shares, of at most one
 * thread per core beside the callers. Not public API.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef void (*TessTaskFunc) (gpointer data, guint task);

/* Runs @func for tasks 0 to @n_tasks - 1 on this thread and up to
 * @n_threads - 1 helpers from the pool, and returns when all are done. The
 * calling thread works on the tasks too, so a busy pool only makes them
 * take longer. Any thread. */
void tess_run_tasks (TessTaskFunc func, gpointer data, guint n_tasks, guint n_threads);

G_END_DECLS
