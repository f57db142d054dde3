/* tess-run.c: TessRun, one execution of a dashboard or fragment body.
 *
 * The run builds its scope's element tree while the body executes on a worker;
 * element, layout and wait functions are called from that thread only. The
 * main thread takes snapshots of the tree (under run->lock) to deliver partial
 * output while the body is still running.
 */
#include "tess-session-private.h"
#include "tess-scheduler.h"

#include <math.h>
#include <string.h>

TessBody *
tess_body_new (TessFragmentFunc func, gpointer user_data, GDestroyNotify user_data_free)
{
  TessBody *body = g_new0 (TessBody, 1);

  g_atomic_ref_count_init (&body->ref_count);
  body->func = func;
  body->user_data = user_data;
  body->user_data_free = user_data_free;
  return body;
}

TessBody *
tess_body_ref (TessBody *body)
{
  g_atomic_ref_count_inc (&body->ref_count);
  return body;
}

void
tess_body_unref (TessBody *body)
{
  if (!g_atomic_ref_count_dec (&body->ref_count))
    return;
  if (body->user_data_free != NULL)
    body->user_data_free (body->user_data);
  g_free (body);
}

static void
build_frame_clear (TessBuildFrame *frame)
{
  g_clear_pointer (&frame->element, tess_element_unref);
  g_clear_pointer (&frame->ids, g_hash_table_unref);
}

/* Runs in whichever thread cancels the run. */
static void
tess_run_wait_cancelled_cb (GCancellable *cancellable, gpointer data)
{
  TessRun *run = data;

  g_assert (G_IS_CANCELLABLE (cancellable));

  g_mutex_lock (&run->lock);
  g_cond_broadcast (&run->wait_cond);
  g_mutex_unlock (&run->lock);
}

static void
tess_run_parent_cancelled_cb (GCancellable *parent, gpointer data)
{
  g_assert (G_IS_CANCELLABLE (parent));
  g_assert (G_IS_CANCELLABLE (data));

  g_cancellable_cancel (G_CANCELLABLE (data));
}

TessRun *
tess_run_new (TessSession *session, TessScope *scope, guint serial, gboolean parallel, GCancellable *parent_cancellable)
{
  TessRun *run = g_new0 (TessRun, 1);
  TessBuildFrame root = { 0 };

  g_atomic_ref_count_init (&run->ref_count);
  run->session = g_object_ref (session);
  run->scope = scope;
  g_atomic_ref_count_inc (&scope->ref_count);
  run->body = tess_body_ref (scope->body);
  run->serial = serial;
  run->parallel = parallel;
  run->cancellable = g_cancellable_new ();
  g_mutex_init (&run->lock);
  g_cond_init (&run->wait_cond);
  run->progress = -1;
  run->status = TESS_RUN_RUNNING; /* until tess_run_execute() returns */
  run->root = tess_element_new_open (TESS_ELEMENT_ROOT, "", NULL);
  run->stack = g_array_new (FALSE, TRUE, sizeof (TessBuildFrame));
  g_array_set_clear_func (run->stack, (GDestroyNotify) build_frame_clear);
  root.element = tess_element_ref (run->root);
  root.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_array_append_val (run->stack, root);
  run->reads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->declared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->fragments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->buttons_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->strings = g_ptr_array_new_with_free_func (g_free);

  if (parent_cancellable != NULL)
    {
      run->parent_cancellable = g_object_ref (parent_cancellable);
      run->parent_handler = g_cancellable_connect (parent_cancellable, G_CALLBACK (tess_run_parent_cancelled_cb),
                                                   g_object_ref (run->cancellable), g_object_unref);
    }
  return run;
}

G_DEFINE_BOXED_TYPE (TessRun, tess_run, tess_run_ref, tess_run_unref)

TessRun *
tess_run_ref (TessRun *run)
{
  g_atomic_ref_count_inc (&run->ref_count);
  return run;
}

void
tess_run_unref (TessRun *run)
{
  if (!g_atomic_ref_count_dec (&run->ref_count))
    return;

  if (run->parent_cancellable != NULL)
    {
      g_cancellable_disconnect (run->parent_cancellable, run->parent_handler);
      g_clear_object (&run->parent_cancellable);
    }
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->stack, g_array_unref);
  g_clear_pointer (&run->root, tess_element_unref);
  g_clear_pointer (&run->reads, g_hash_table_unref);
  g_clear_pointer (&run->declared, g_hash_table_unref);
  g_clear_pointer (&run->fragments, g_hash_table_unref);
  g_clear_pointer (&run->buttons_seen, g_hash_table_unref);
  g_clear_pointer (&run->strings, g_ptr_array_unref);
  g_clear_pointer (&run->body, tess_body_unref);
  g_clear_error (&run->error);
  g_free (run->status_text);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->wait_cond);
  tess_scope_unref (run->scope);
  g_object_unref (run->session);
  g_free (run);
}

void
tess_run_take_error (TessRun *run, GError *error)
{
  g_mutex_lock (&run->lock);
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&run->lock);
}

const char *
tess_run_keep_string (TessRun *run, char *string)
{
  g_ptr_array_add (run->strings, string);
  return string;
}

/* Sharing what did not change. A rerun of unchanged data builds a new tree
 * equal to the one shown, often with new frames of the same values (a
 * pipeline makes a new frame every run). Its elements are swapped for the
 * shown ones wherever the content is the same, so a host comparing
 * pointers touches nothing for them, and a tree equal to the shown one is
 * the shown one. */

static gboolean
columns_equal (TessColumn *a, TessColumn *b)
{
  TessColumnType type = tess_column_get_column_type (a);
  gsize n = tess_column_get_length (a);
  const void *data_a = NULL, *data_b = NULL;
  gsize width = 0;

  if (a == b)
    return TRUE;
  if (type != tess_column_get_column_type (b) || n != tess_column_get_length (b) ||
      tess_column_get_null_count (a) != tess_column_get_null_count (b) ||
      g_strcmp0 (tess_column_get_name (a), tess_column_get_name (b)) != 0)
    return FALSE;
  switch (type)
    {
    case TESS_COLUMN_INT64:
    case TESS_COLUMN_TIMESTAMP:
      data_a = tess_column_get_int64_data (a), data_b = tess_column_get_int64_data (b), width = sizeof (gint64);
      break;
    case TESS_COLUMN_DOUBLE:
      data_a = tess_column_get_double_data (a), data_b = tess_column_get_double_data (b), width = sizeof (double);
      break;
    case TESS_COLUMN_DATE:
      data_a = tess_column_get_date_data (a), data_b = tess_column_get_date_data (b), width = sizeof (gint32);
      break;
    default:
      break;
    }
  /* Most columns have no nulls, or the same bytes under them: one compare. */
  if (data_a != NULL && data_b != NULL && memcmp (data_a, data_b, n * width) == 0)
    {
      if (tess_column_get_null_count (a) == 0)
        return TRUE;
      for (gsize row = 0; row < n; row++)
        if (tess_column_is_null (a, row) != tess_column_is_null (b, row))
          return FALSE;
      return TRUE;
    }
  for (gsize row = 0; row < n; row++)
    {
      gboolean null = tess_column_is_null (a, row);

      if (null != tess_column_is_null (b, row))
        return FALSE;
      if (null)
        continue;
      switch (type)
        {
        case TESS_COLUMN_BOOL:
          if (tess_column_get_bool (a, row) != tess_column_get_bool (b, row))
            return FALSE;
          break;
        case TESS_COLUMN_STRING:
          if (g_strcmp0 (tess_column_get_string (a, row), tess_column_get_string (b, row)) != 0)
            return FALSE;
          break;
        case TESS_COLUMN_DOUBLE:
          if (memcmp (&((const double *) data_a)[row], &((const double *) data_b)[row], sizeof (double)) != 0)
            return FALSE;
          break;
        case TESS_COLUMN_DATE:
          if (((const gint32 *) data_a)[row] != ((const gint32 *) data_b)[row])
            return FALSE;
          break;
        default:
          if (((const gint64 *) data_a)[row] != ((const gint64 *) data_b)[row])
            return FALSE;
          break;
        }
    }
  return TRUE;
}

static gboolean
frames_equal (TessFrame *a, TessFrame *b)
{
  guint n;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  n = tess_frame_get_n_columns (a);
  if (n != tess_frame_get_n_columns (b) || tess_frame_get_n_rows (a) != tess_frame_get_n_rows (b))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!columns_equal (tess_frame_get_column (a, i), tess_frame_get_column (b, i)))
      return FALSE;
  return TRUE;
}

/* @fresh with every subtree equal in content to @shown's at the same place
 * replaced by @shown's (transfer full). Both are closed. Runs on a worker
 * thread. */
static TessElement *
share_unchanged (TessElement *shown, TessElement *fresh)
{
  guint n = tess_element_get_n_children (fresh);
  g_autoptr (GPtrArray) children = NULL;
  gboolean all_shared;
  TessElement *copy;

  if (shown == NULL || shown == fresh)
    return tess_element_ref (fresh);
  if (tess_element_get_kind (shown) != tess_element_get_kind (fresh) ||
      g_strcmp0 (tess_element_get_id (shown), tess_element_get_id (fresh)) != 0 ||
      !g_variant_equal (tess_element_get_props (shown), tess_element_get_props (fresh)) ||
      !frames_equal (tess_element_get_frame (shown), tess_element_get_frame (fresh)))
    return tess_element_ref (fresh);

  /* Children are matched by id: a rerun may add or drop some. */
  children = g_ptr_array_new_full (n, (GDestroyNotify) tess_element_unref);
  all_shared = n == tess_element_get_n_children (shown);
  for (guint i = 0; i < n; i++)
    {
      TessElement *child = tess_element_get_child (fresh, i);
      TessElement *twin = NULL;
      TessElement *shared;

      if (i < tess_element_get_n_children (shown) &&
          g_strcmp0 (tess_element_get_id (tess_element_get_child (shown, i)), tess_element_get_id (child)) == 0)
        twin = tess_element_get_child (shown, i);
      else
        for (guint j = 0; j < tess_element_get_n_children (shown) && twin == NULL; j++)
          if (g_strcmp0 (tess_element_get_id (tess_element_get_child (shown, j)), tess_element_get_id (child)) == 0)
            twin = tess_element_get_child (shown, j);
      shared = share_unchanged (twin, child);
      all_shared = all_shared && shared == twin && twin == tess_element_get_child (shown, i);
      g_ptr_array_add (children, shared);
    }
  if (all_shared)
    return tess_element_ref (shown);

  if (tess_element_get_kind (fresh) == TESS_ELEMENT_ROOT)
    return tess_element_new_root (children);
  copy = tess_element_new_open (tess_element_get_kind (fresh), tess_element_get_id (fresh),
                                tess_element_get_props (fresh));
  for (guint i = 0; i < children->len; i++)
    tess_element_append (copy, g_ptr_array_index (children, i));
  tess_element_close (copy);
  return copy;
}

/* Runs on a worker thread (or inline in a parent's). */
void
tess_run_execute (TessRun *run)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;
  gboolean unbalanced;

  g_mutex_lock (&run->lock);
  run->start_us = g_get_monotonic_time ();
  g_mutex_unlock (&run->lock);

  if (!g_cancellable_is_cancelled (run->cancellable))
    {
      ok = run->body->func (run, run->body->user_data, &error);
      if (!ok && error == NULL)
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed without saying why",
                             *run->scope->path ? run->scope->path : "The dashboard");
    }

  g_mutex_lock (&run->lock);
  unbalanced = run->stack->len > 1;
  while (run->stack->len > 0)
    {
      tess_element_close (g_array_index (run->stack, TessBuildFrame, run->stack->len - 1).element);
      g_array_set_size (run->stack, run->stack->len - 1);
    }
  run->end_us = g_get_monotonic_time ();
  if (error != NULL && run->error == NULL)
    run->error = g_steal_pointer (&error);
  if (unbalanced && run->error == NULL && ok)
    run->error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                              "A layout block was opened with a *_begin() call and never closed with tess_end()");
  if (g_cancellable_is_cancelled (run->cancellable))
    run->status = TESS_RUN_CANCELLED;
  else if (run->error != NULL)
    run->status = TESS_RUN_ERROR;
  else
    run->status = TESS_RUN_OK;
  g_mutex_unlock (&run->lock);

  if (run->status == TESS_RUN_OK)
    {
      g_autoptr (TessElement) shown = NULL;
      TessElement *shared;

      g_mutex_lock (tess_session_get_lock (run->session));
      if (run->scope->last_root != NULL)
        shown = tess_element_ref (run->scope->last_root);
      g_mutex_unlock (tess_session_get_lock (run->session));
      /* The tree is closed and the body done: only this thread reads it. */
      shared = share_unchanged (shown, run->root);
      g_mutex_lock (&run->lock);
      g_clear_pointer (&run->root, tess_element_unref);
      run->root = shared;
      g_mutex_unlock (&run->lock);
    }
}

TessElement *
tess_run_snapshot (TessRun *run)
{
  TessElement *snapshot;

  g_mutex_lock (&run->lock);
  snapshot = tess_element_freeze (run->root);
  g_mutex_unlock (&run->lock);
  return snapshot;
}

/* Worker thread; run->lock held. A stable id for a child of the open container. */
static char *
next_id_locked (TessRun *run, TessElementKind kind, const char *key)
{
  TessBuildFrame *frame = &g_array_index (run->stack, TessBuildFrame, run->stack->len - 1);
  char *id;

  g_autofree char *base = NULL;

  if (key != NULL)
    base = g_strdup (key);
  else
    base = g_strdup_printf ("%s:%u", tess_element_kind_to_string (kind), frame->counts[kind]);
  frame->counts[kind]++;

  /* Explicit keys may repeat; identity must not. */
  id = g_strdup (base);
  for (guint n = 2; g_hash_table_contains (frame->ids, id); n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s#%u", base, n);
    }
  g_hash_table_add (frame->ids, g_strdup (id));
  return id;
}

static void
emit_locked (TessRun *run, TessElement *element, gboolean open)
{
  TessBuildFrame *frame = &g_array_index (run->stack, TessBuildFrame, run->stack->len - 1);

  tess_element_append (frame->element, element);
  if (run->first_output_us == 0)
    run->first_output_us = g_get_monotonic_time ();
  if (open)
    {
      TessBuildFrame child = { 0 };
      child.element = tess_element_ref (element);
      child.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_array_append_val (run->stack, child);
    }
}

static void
emit_element (TessRun *run, TessElementKind kind, const char *key, GVariant *props, TessFrame *frame)
{
  gboolean open = tess_element_kind_is_container (kind);
  g_autofree char *id = NULL;
  g_autoptr (TessElement) element = NULL;

  g_mutex_lock (&run->lock);
  id = next_id_locked (run, kind, key);
  if (open)
    element = tess_element_new_open (kind, id, props);
  else
    element = tess_element_new (kind, id, props, frame);
  emit_locked (run, element, open);
  g_mutex_unlock (&run->lock);
  tess_session_mark_dirty (run->session, run->scope);
}

void
tess_element (TessRun *run, TessElementKind kind, const char *key, GVariant *props, TessFrame *frame)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (kind > TESS_ELEMENT_ROOT && kind < TESS_ELEMENT_N_KINDS);
  g_return_if_fail (props == NULL || g_variant_is_of_type (props, G_VARIANT_TYPE_VARDICT));

  emit_element (run, kind, key, props, frame);
}

/* Builds an a{sv} from NULL-terminated name, GVariant pairs (floating). */
static GVariant *
props_new (const char *first, ...)
{
  GVariantBuilder builder;
  va_list args;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      GVariant *value = va_arg (args, GVariant *);
      if (value != NULL)
        g_variant_builder_add (&builder, "{sv}", name, value);
    }
  va_end (args);
  return g_variant_builder_end (&builder);
}

static GVariant *
maybe_string (const char *text)
{
  return text != NULL ? g_variant_new_string (text) : NULL;
}

static void
emit_text (TessRun *run, TessElementKind kind, const char *text)
{
  g_return_if_fail (run != NULL);
  emit_element (run, kind, NULL, props_new ("text", g_variant_new_string (text != NULL ? text : ""), NULL), NULL);
}

void
tess_title (TessRun *run, const char *text)
{
  emit_text (run, TESS_ELEMENT_TITLE, text);
}

void
tess_header (TessRun *run, const char *text)
{
  emit_text (run, TESS_ELEMENT_HEADER, text);
}

void
tess_subheader (TessRun *run, const char *text)
{
  emit_text (run, TESS_ELEMENT_SUBHEADER, text);
}

void
tess_caption (TessRun *run, const char *text)
{
  emit_text (run, TESS_ELEMENT_CAPTION, text);
}

void
tess_text (TessRun *run, const char *text)
{
  emit_text (run, TESS_ELEMENT_TEXT, text);
}

void
tess_textf (TessRun *run, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  emit_text (run, TESS_ELEMENT_TEXT, text);
}

void
tess_markdown (TessRun *run, const char *markdown)
{
  emit_text (run, TESS_ELEMENT_MARKDOWN, markdown);
}

void
tess_code (TessRun *run, const char *code, const char *language)
{
  g_return_if_fail (run != NULL);
  emit_element (
      run, TESS_ELEMENT_CODE, NULL,
      props_new ("text", g_variant_new_string (code != NULL ? code : ""), "language", maybe_string (language), NULL),
      NULL);
}

void
tess_divider (TessRun *run)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_DIVIDER, NULL, NULL, NULL);
}

void
tess_json (TessRun *run, const char *json_text, gboolean expanded)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_JSON, NULL,
                props_new ("text", g_variant_new_string (json_text != NULL ? json_text : "null"), "expanded",
                           g_variant_new_boolean (expanded), NULL),
                NULL);
}

void
tess_metric (TessRun *run, const char *label, const char *value, const char *delta)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_METRIC, NULL,
                props_new ("label", g_variant_new_string (label != NULL ? label : ""), "value",
                           g_variant_new_string (value != NULL ? value : ""), "delta", maybe_string (delta), NULL),
                NULL);
}

void
tess_progress (TessRun *run, double fraction, const char *text)
{
  g_return_if_fail (run != NULL);
  emit_element (
      run, TESS_ELEMENT_PROGRESS, NULL,
      props_new ("value", g_variant_new_double (CLAMP (fraction, 0.0, 1.0)), "text", maybe_string (text), NULL), NULL);
}

void
tess_status (TessRun *run, const char *text, const char *state)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_STATUS, NULL,
                props_new ("text", g_variant_new_string (text != NULL ? text : ""), "state",
                           g_variant_new_string (state != NULL ? state : "running"), NULL),
                NULL);
}

static void
emit_callout (TessRun *run, const char *kind, const char *text, const char *details)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_CALLOUT, NULL,
                props_new ("kind", g_variant_new_string (kind), "text", g_variant_new_string (text != NULL ? text : ""),
                           "details", maybe_string (details), NULL),
                NULL);
}

void
tess_error (TessRun *run, const char *message, const char *details)
{
  emit_callout (run, "error", message, details);
}

void
tess_warning (TessRun *run, const char *message)
{
  emit_callout (run, "warning", message, NULL);
}

void
tess_info (TessRun *run, const char *message)
{
  emit_callout (run, "info", message, NULL);
}

void
tess_success (TessRun *run, const char *message)
{
  emit_callout (run, "success", message, NULL);
}

void
tess_image (TessRun *run, const char *uri, const char *caption)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (uri != NULL);
  emit_element (run, TESS_ELEMENT_IMAGE, NULL,
                props_new ("uri", g_variant_new_string (uri), "caption", maybe_string (caption), NULL), NULL);
}

void
tess_image_bytes (TessRun *run, GBytes *bytes, const char *caption)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (bytes != NULL);
  emit_element (run, TESS_ELEMENT_IMAGE, NULL,
                props_new ("bytes", g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, bytes, TRUE), "caption",
                           maybe_string (caption), NULL),
                NULL);
}

static GVariant *
spec_or_empty (GVariant *spec)
{
  if (spec == NULL)
    return g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0);
  return spec;
}

void
tess_chart (TessRun *run, TessFrame *frame, GVariant *spec)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (spec == NULL || g_variant_is_of_type (spec, G_VARIANT_TYPE_VARDICT));
  emit_element (run, TESS_ELEMENT_CHART, NULL, props_new ("spec", spec_or_empty (spec), NULL), frame);
}

void
tess_table (TessRun *run, TessFrame *frame, GVariant *spec)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (spec == NULL || g_variant_is_of_type (spec, G_VARIANT_TYPE_VARDICT));
  emit_element (run, TESS_ELEMENT_TABLE, NULL, props_new ("spec", spec_or_empty (spec), NULL), frame);
}

/* Layout */

void
tess_container_begin (TessRun *run, const char *key)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_CONTAINER, key, NULL, NULL);
}

void
tess_sidebar_begin (TessRun *run)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_SIDEBAR, NULL, NULL, NULL);
}

void
tess_columns_begin (TessRun *run)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_COLUMNS, NULL, NULL, NULL);
}

void
tess_column_begin (TessRun *run, double weight)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_COLUMN, NULL,
                props_new ("weight", g_variant_new_double (weight > 0 ? weight : 1.0), NULL), NULL);
}

void
tess_tabs_begin (TessRun *run)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_TABS, NULL, NULL, NULL);
}

void
tess_tab_begin (TessRun *run, const char *label)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_TAB, NULL,
                props_new ("label", g_variant_new_string (label != NULL ? label : ""), NULL), NULL);
}

void
tess_expander_begin (TessRun *run, const char *label, gboolean expanded)
{
  g_return_if_fail (run != NULL);
  emit_element (run, TESS_ELEMENT_EXPANDER, NULL,
                props_new ("label", g_variant_new_string (label != NULL ? label : ""), "expanded",
                           g_variant_new_boolean (expanded), NULL),
                NULL);
}

void
tess_end (TessRun *run)
{
  gboolean unmatched;

  g_return_if_fail (run != NULL);
  g_mutex_lock (&run->lock);
  unmatched = run->stack->len <= 1;
  if (!unmatched)
    {
      tess_element_close (g_array_index (run->stack, TessBuildFrame, run->stack->len - 1).element);
      g_array_set_size (run->stack, run->stack->len - 1);
    }
  g_mutex_unlock (&run->lock);
  if (unmatched)
    tess_run_take_error (
        run, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "tess_end() was called with no layout block open"));
  else
    tess_session_mark_dirty (run->session, run->scope);
}

/* Fragments */

void
tess_fragment (TessRun *run, const char *key, TessFragmentFunc func, gpointer user_data, TessFragmentFlags flags)
{
  TessFragmentOptions options = { .flags = flags };

  tess_fragment_full (run, key, func, user_data, NULL, &options);
}

void
tess_fragment_full (TessRun *run,
                    const char *key,
                    TessFragmentFunc func,
                    gpointer user_data,
                    GDestroyNotify user_data_free,
                    const TessFragmentOptions *options)
{
  TessFragmentOptions defaults = { 0 };

  g_return_if_fail (run != NULL);
  g_return_if_fail (key != NULL && *key != '\0' && strchr (key, '/') == NULL);
  g_return_if_fail (func != NULL);

  tess_session_declare_fragment (run->session, run, key, func, user_data, user_data_free,
                                 options != NULL ? options : &defaults);
}

/* The run itself */

TessSession *
tess_run_get_session (TessRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return run->session;
}

const char *
tess_run_get_path (TessRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return run->scope->path;
}

guint
tess_run_get_count (TessRun *run)
{
  g_return_val_if_fail (run != NULL, 0);
  return run->serial;
}

GCancellable *
tess_run_get_cancellable (TessRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return run->cancellable;
}

gboolean
tess_run_is_cancelled (TessRun *run)
{
  g_return_val_if_fail (run != NULL, TRUE);
  return g_cancellable_is_cancelled (run->cancellable);
}

void
tess_run_blocking_begin (TessRun *run)
{
  g_return_if_fail (run != NULL);
  tess_scheduler_blocking_begin ();
}

void
tess_run_blocking_end (TessRun *run)
{
  g_return_if_fail (run != NULL);
  tess_scheduler_blocking_end ();
}

gboolean
tess_run_wait (TessRun *run, double seconds)
{
  gint64 deadline;
  gboolean cancelled;
  gulong handler;

  g_return_val_if_fail (run != NULL, FALSE);

  /* NaN waits not at all; a wait too long to count in microseconds (1e308 s)
   * waits until the run is cancelled, never wraps into no wait. */
  if (!(seconds > 0))
    deadline = g_get_monotonic_time ();
  else if (seconds >= (double) (G_MAXINT64 / 4) / G_USEC_PER_SEC)
    deadline = G_MAXINT64;
  else
    deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  /* Connected only while waiting: most runs never wait. */
  handler = g_cancellable_connect (run->cancellable, G_CALLBACK (tess_run_wait_cancelled_cb), run, NULL);
  tess_run_blocking_begin (run);
  g_mutex_lock (&run->lock);
  while (!(cancelled = g_cancellable_is_cancelled (run->cancellable)) && g_get_monotonic_time () < deadline)
    g_cond_wait_until (&run->wait_cond, &run->lock, deadline);
  g_mutex_unlock (&run->lock);
  tess_run_blocking_end (run);
  g_cancellable_disconnect (run->cancellable, handler);
  return !cancelled;
}

void
tess_run_set_status (TessRun *run, const char *text)
{
  g_return_if_fail (run != NULL);
  g_mutex_lock (&run->lock);
  g_free (run->status_text);
  run->status_text = g_strdup (text);
  g_mutex_unlock (&run->lock);
  tess_session_mark_dirty (run->session, run->scope);
}

void
tess_run_set_progress (TessRun *run, double fraction, const char *text)
{
  g_return_if_fail (run != NULL);
  g_mutex_lock (&run->lock);
  run->progress = fraction < 0 ? -1 : MIN (fraction, 1.0);
  if (text != NULL)
    {
      g_free (run->status_text);
      run->status_text = g_strdup (text);
    }
  g_mutex_unlock (&run->lock);
  tess_session_mark_dirty (run->session, run->scope);
}

/* Session state */

GVariant *
tess_state_get (TessRun *run, const char *key)
{
  g_return_val_if_fail (run != NULL && key != NULL, NULL);
  return tess_session_state_get (run->session, key);
}

void
tess_state_set (TessRun *run, const char *key, GVariant *value)
{
  g_return_if_fail (run != NULL && key != NULL && value != NULL);
  tess_session_state_set (run->session, key, value);
}

gboolean
tess_state_compare_and_set (TessRun *run, const char *key, GVariant *expected, GVariant *value)
{
  g_return_val_if_fail (run != NULL && key != NULL && value != NULL, FALSE);
  return tess_session_state_compare_and_set (run->session, key, expected, value);
}

GVariant *
tess_state_update (TessRun *run, const char *key, TessStateUpdateFunc func, gpointer user_data)
{
  g_return_val_if_fail (run != NULL && key != NULL && func != NULL, NULL);
  return tess_session_state_update (run->session, key, func, user_data);
}
