/* tess-load.c: tess_load(), tess_query() and tess_cache_call(), the
 * fragment-facing wrappers of the data layer's blocking loads: they pass the
 * run's cancellable, bracket the wait so the scheduler can run other
 * fragments meanwhile, and forward download progress (or rows received) to
 * the run's slot.
 */
#include "tess-load.h"

#define PROGRESS_INTERVAL_US (30 * 1000)

typedef struct
{
  TessRun *run;
  gint64 started; /* when the first progress arrived */
  gint64 last;
} Progress;

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_DEFAULT);
}

/* Called on the fragment's thread while it waits. */
static void
forward_progress (guint64 received, guint64 total, gpointer data)
{
  Progress *progress = data;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *got = NULL;
  g_autofree char *text = NULL;

  g_autofree char *rate = NULL;

  if (progress->started == 0)
    progress->started = now;
  if (now - progress->last < PROGRESS_INTERVAL_US && !(total && received >= total))
    return;
  progress->last = now;
  got = format_size (received);
  /* the rate once there is enough of the download to tell */
  if (now - progress->started >= G_USEC_PER_SEC / 2)
    {
      g_autofree char *per_second =
          format_size ((guint64) ((double) received * G_USEC_PER_SEC / (double) (now - progress->started)));
      rate = g_strdup_printf (" at %s/s", per_second);
    }
  if (total > 0)
    {
      g_autofree char *all = format_size (total);
      text = g_strdup_printf ("Downloading: %s of %s%s", got, all, rate ? rate : "");
      tess_run_set_progress (progress->run, MIN ((double) received / (double) total, 1.0), text);
    }
  else
    {
      text = g_strdup_printf ("Downloading: %s%s", got, rate ? rate : "");
      tess_run_set_progress (progress->run, -1, text);
    }
}

TessFrame *
tess_load (TessRun *run, const char *uri, const TessLoadOptions *opts, GError **error)
{
  Progress progress = { run, 0, 0 };
  TessFrame *frame;

  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tess_run_blocking_begin (run);
  frame = tess_source_load (uri, opts, tess_run_get_cancellable (run), forward_progress, &progress, error);
  tess_run_blocking_end (run);
  return frame;
}

/* Called on the fragment's thread while it waits: @received is rows. */
static void
forward_rows (guint64 received, guint64 total, gpointer data)
{
  Progress *progress = data;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;

  if (now - progress->last < PROGRESS_INTERVAL_US)
    return;
  progress->last = now;
  text = g_strdup_printf ("Reading rows: %" G_GUINT64_FORMAT, received);
  tess_run_set_progress (progress->run, -1, text);
}

TessFrame *
tess_query_full (TessRun *run,
                 const char *source_uri,
                 const char *sql,
                 GVariant *params,
                 const TessSqlOptions *options,
                 GError **error)
{
  Progress progress = { run, 0, 0 };
  TessFrame *frame;

  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tess_run_set_status (run, "Querying the database…");
  tess_run_blocking_begin (run);
  frame =
      tess_sql_query (source_uri, sql, params, options, tess_run_get_cancellable (run), forward_rows, &progress, error);
  tess_run_blocking_end (run);
  if (frame && tess_frame_get_warning (frame))
    tess_warning (run, tess_frame_get_warning (frame));
  return frame;
}

TessFrame *
tess_query (TessRun *run, const char *source_uri, const char *sql, GVariant *params, GError **error)
{
  return tess_query_full (run, source_uri, sql, params, NULL, error);
}

gpointer
tess_cache_call (TessRun *run,
                 const char *key,
                 TessCacheFunc func,
                 gpointer user_data,
                 const TessCacheCallOptions *options,
                 GError **error)
{
  gpointer value;

  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tess_run_blocking_begin (run);
  value = tess_cache_call_sync (key, func, user_data, options, tess_run_get_cancellable (run), error);
  tess_run_blocking_end (run);
  return value;
}
