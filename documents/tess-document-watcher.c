/* tess-document-watcher.c: reloading a document when its file changes.
 *
 * Editors save in several ways (write in place, write a copy and rename it
 * over, delete and create), so every event on the file schedules a reload
 * after a short quiet time. The file is read and parsed on a worker; only
 * swapping the document in happens on the main thread. A reload that finishes
 * after a newer one started is dropped.
 */
#include "tess-document-watcher.h"
#include "tess-thread-private.h"
#include "tess-document-private.h"

struct _TessDocumentWatcher
{
  GObject parent_instance;

  GFile *file;
  GFileMonitor *monitor;
  TessDocumentDashboard *dashboard;
  TessSession *session;      /* weak: the host owns it */
  GCancellable *cancellable; /* of the reload in progress */
  guint delay_ms;
  guint timeout_id;
  char *problems;
};

enum
{
  PROP_0,
  PROP_PROBLEMS,
  N_PROPS
};

enum
{
  RELOADED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TessDocumentWatcher, tess_document_watcher, G_TYPE_OBJECT)

static void
tess_document_watcher_dispose (GObject *object)
{
  TessDocumentWatcher *self = (TessDocumentWatcher *) object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->monitor)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
    }
  g_clear_object (&self->monitor);
  if (self->session)
    g_object_remove_weak_pointer (G_OBJECT (self->session), (gpointer *) &self->session);
  self->session = NULL;
  g_clear_object (&self->dashboard);

  G_OBJECT_CLASS (tess_document_watcher_parent_class)->dispose (object);
}

static void
tess_document_watcher_finalize (GObject *object)
{
  TessDocumentWatcher *self = (TessDocumentWatcher *) object;

  g_clear_object (&self->file);
  g_free (self->problems);

  G_OBJECT_CLASS (tess_document_watcher_parent_class)->finalize (object);
}

static void
tess_document_watcher_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TessDocumentWatcher *self = (TessDocumentWatcher *) object;

  switch (prop_id)
    {
    case PROP_PROBLEMS:
      g_value_set_string (value, self->problems);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tess_document_watcher_class_init (TessDocumentWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tess_document_watcher_dispose;
  object_class->finalize = tess_document_watcher_finalize;
  object_class->get_property = tess_document_watcher_get_property;

  properties[PROP_PROBLEMS] = g_param_spec_string ("problems", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RELOADED] = g_signal_new ("reloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, G_TYPE_STRV);
  signals[FAILED] =
      g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tess_document_watcher_init (TessDocumentWatcher *self)
{
  self->delay_ms = 150;
}

static void
set_problems (TessDocumentWatcher *self, const char *problems)
{
  if (g_strcmp0 (self->problems, problems) == 0)
    return;
  g_free (self->problems);
  self->problems = g_strdup (problems);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEMS]);
}

/* Runs on a worker thread. */
static void
read_document (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr (GError) error = NULL;
  TessDocument *document = tess_document_new_from_file (file, &error);

  if (document == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, document, g_object_unref);
}

static void
tess_document_watcher_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TessDocumentWatcher *self = TESS_DOCUMENT_WATCHER (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (TessDocument) document = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *name = NULL;

  /* A newer reload (or dispose) replaced this one: drop its result. */
  if (cancellable != self->cancellable || g_cancellable_is_cancelled (cancellable))
    return;
  g_clear_object (&self->cancellable);

  name = g_file_get_basename (self->file);
  if (document == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", name, error->message);
      set_problems (self, message);
      g_signal_emit (self, signals[FAILED], 0);
      return;
    }
  if (!tess_document_is_valid (document))
    {
      g_autofree char *problems = tess_document_format_problems (document, name);
      g_strchomp (problems);
      set_problems (self, problems);
      g_signal_emit (self, signals[FAILED], 0);
      return;
    }

  g_auto (GStrv) changed = tess_document_dashboard_set_document (self->dashboard, document, self->session);
  set_problems (self, NULL);
  g_signal_emit (self, signals[RELOADED], 0, changed);
}

void
tess_document_watcher_reload (TessDocumentWatcher *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (TESS_IS_DOCUMENT_WATCHER (self));
  TESS_ASSERT_MAIN_THREAD ();

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  task = g_task_new (self, self->cancellable, tess_document_watcher_read_cb, NULL);
  g_task_set_source_tag (task, tess_document_watcher_reload);
  g_task_set_task_data (task, g_object_ref (self->file), g_object_unref);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, read_document);
}

static gboolean
tess_document_watcher_quiet_cb (gpointer user_data)
{
  TessDocumentWatcher *self = user_data;

  g_assert (TESS_IS_DOCUMENT_WATCHER (self));

  self->timeout_id = 0;
  tess_document_watcher_reload (self);
  return G_SOURCE_REMOVE;
}

static void
tess_document_watcher_file_changed_cb (
    GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event, gpointer user_data)
{
  TessDocumentWatcher *self = user_data;

  g_assert (TESS_IS_DOCUMENT_WATCHER (self));

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_RENAMED:
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      self->timeout_id = g_timeout_add (self->delay_ms, tess_document_watcher_quiet_cb, self);
      break;
    default:
      /* Deleted: wait for the editor to write it again. */
      break;
    }
}

TessDocumentWatcher *
tess_document_watcher_new (GFile *file, TessDocumentDashboard *dashboard, TessSession *session)
{
  TessDocumentWatcher *self;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (TESS_IS_DOCUMENT_DASHBOARD (dashboard), NULL);
  g_return_val_if_fail (TESS_IS_SESSION (session), NULL);
  TESS_ASSERT_MAIN_THREAD ();

  self = g_object_new (TESS_TYPE_DOCUMENT_WATCHER, NULL);
  self->file = g_object_ref (file);
  self->dashboard = g_object_ref (dashboard);
  self->session = session;
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &self->session);

  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    g_warning ("Cannot watch %s for changes: %s", g_file_peek_path (file), error->message);
  else
    {
      g_file_monitor_set_rate_limit (self->monitor, 50);
      g_signal_connect (self->monitor, "changed", G_CALLBACK (tess_document_watcher_file_changed_cb), self);
    }
  return self;
}

const char *
tess_document_watcher_get_problems (TessDocumentWatcher *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT_WATCHER (self), NULL);
  return self->problems;
}

GFile *
tess_document_watcher_get_file (TessDocumentWatcher *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT_WATCHER (self), NULL);
  return self->file;
}

void
tess_document_watcher_set_delay_ms (TessDocumentWatcher *self, guint ms)
{
  g_return_if_fail (TESS_IS_DOCUMENT_WATCHER (self));
  self->delay_ms = ms;
}
