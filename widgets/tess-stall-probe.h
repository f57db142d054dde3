/* tess-stall-probe.h: TessStallProbe, how long the main loop was blocked.
 *
 * A high-priority 1 ms timeout on the main context notes the gap between its
 * dispatches; as nothing preempts a dispatch, a gap longer than the interval
 * is a stall: some callback, layout or paint held the loop that long. Used by
 * the window when TESSERA_STALL_PROBE is set, and by the benchmarks.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TessStallProbe TessStallProbe;

/* Starts measuring on the thread-default main context. Main thread only. */
TessStallProbe *tess_stall_probe_new (void);
void tess_stall_probe_free (TessStallProbe *probe);
/* The longest stall since creation or the last reset, in milliseconds. */
double tess_stall_probe_get_max_ms (TessStallProbe *probe);
void tess_stall_probe_reset (TessStallProbe *probe);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessStallProbe, tess_stall_probe_free)

G_END_DECLS
