/* tess-test-wait.c: see tess-test-wait.h. */
#include "tess-test-wait.h"

static gboolean
tess_test_wait_timed_out_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
tess_test_wait_until (
    GMainContext *context, TessTestCondition condition, gpointer user_data, double timeout_s, const char *what)
{
  g_autoptr (GSource) timeout = NULL;
  gboolean timed_out = FALSE;

  g_return_if_fail (condition != NULL);
  g_return_if_fail (what != NULL);

  /* The timeout wakes the blocking iteration when nothing else would. */
  timeout = g_timeout_source_new ((guint) (timeout_s * 1000));
  g_source_set_callback (timeout, tess_test_wait_timed_out_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  if (!condition (user_data))
    g_error ("Timed out after %.1f s waiting for %s", timeout_s, what);
}

void
tess_test_poll_until (
    GMainContext *context, TessTestCondition condition, gpointer user_data, double timeout_s, const char *what)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  g_return_if_fail (condition != NULL);
  g_return_if_fail (what != NULL);

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out after %.1f s waiting for %s", timeout_s, what);
      g_main_context_iteration (context, FALSE);
      g_usleep (200);
    }
}
