/* tess-stall-probe.c: a 1 ms heartbeat whose late beats are main-loop stalls. */
#include "tess-stall-probe.h"
#include "tess-thread-private.h"

#define TESS_STALL_PROBE_INTERVAL_MS 1

struct _TessStallProbe
{
  GSource *source;
  gint64 last_us;
  gint64 max_us;
};

static gboolean
tess_stall_probe_beat_cb (gpointer user_data)
{
  TessStallProbe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 gap = now - probe->last_us - TESS_STALL_PROBE_INTERVAL_MS * 1000;

  if (gap > probe->max_us)
    probe->max_us = gap;
  probe->last_us = now;
  return G_SOURCE_CONTINUE;
}

TessStallProbe *
tess_stall_probe_new (void)
{
  TessStallProbe *probe = g_new0 (TessStallProbe, 1);

  TESS_ASSERT_MAIN_THREAD ();
  probe->source = g_timeout_source_new (TESS_STALL_PROBE_INTERVAL_MS);
  g_source_set_priority (probe->source, G_PRIORITY_HIGH);
  g_source_set_callback (probe->source, tess_stall_probe_beat_cb, probe, NULL);
  g_source_set_static_name (probe->source, "[tessera] stall probe");
  probe->last_us = g_get_monotonic_time ();
  g_source_attach (probe->source, g_main_context_get_thread_default ());
  return probe;
}

void
tess_stall_probe_free (TessStallProbe *probe)
{
  if (probe == NULL)
    return;
  g_source_destroy (probe->source);
  g_source_unref (probe->source);
  g_free (probe);
}

double
tess_stall_probe_get_max_ms (TessStallProbe *probe)
{
  g_return_val_if_fail (probe != NULL, 0);

  return MAX (probe->max_us, 0) / 1000.0;
}

void
tess_stall_probe_reset (TessStallProbe *probe)
{
  g_return_if_fail (probe != NULL);

  probe->max_us = 0;
  probe->last_us = g_get_monotonic_time ();
}
