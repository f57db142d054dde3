/* tess-table-model.c: a GListModel of a frame's rows (see tess-table-model.h). */
#include "tess-table-model.h"
#include "tess-format-private.h"
#include "tess-table-filter.h"
#include "tess-thread-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tess-sort.h"

/* TessTableRow */

struct _TessTableRow
{
  GObject parent_instance;
  TessFrame *frame; /* the model's, so a row outlives a newer frame's model */
  gsize row;
};

G_DEFINE_FINAL_TYPE (TessTableRow, tess_table_row, G_TYPE_OBJECT)

static void
tess_table_row_finalize (GObject *object)
{
  g_clear_pointer (&TESS_TABLE_ROW (object)->frame, tess_frame_unref);
  G_OBJECT_CLASS (tess_table_row_parent_class)->finalize (object);
}

static void
tess_table_row_class_init (TessTableRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tess_table_row_finalize;
}

static void
tess_table_row_init (TessTableRow *self)
{
}

gsize
tess_table_row_get_row (TessTableRow *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_ROW (self), 0);
  return self->row;
}

TessFrame *
tess_table_row_get_frame (TessTableRow *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_ROW (self), NULL);
  return self->frame;
}

/* TessTableModel */

struct _TessTableModel
{
  GObject parent_instance;

  TessFrame *frame;
  guint n_items;
  GBytes *order; /* guint32 row numbers, or NULL for frame order */
  int sort_column;
  gboolean sort_descending;
  TessTableFilter *filter; /* applied; NULL: every row */
  GBytes *shown;           /* with a filter: the guint32 rows it keeps, in order */

  /* What the user asked for last, applied when its job is done. */
  int wanted_sort_column;
  gboolean wanted_descending;
  TessTableFilter *wanted_filter;
  guint serial;                  /* of the newest job */
  GCancellable *job_cancellable; /* the newest job's, cancelled when superseded */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TessTableModel,
                               tess_table_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return TESS_TYPE_TABLE_ROW;
}

static guint
get_n_items (GListModel *model)
{
  return TESS_TABLE_MODEL (model)->n_items;
}

static gpointer
get_item (GListModel *model, guint position)
{
  TessTableModel *self = TESS_TABLE_MODEL (model);
  TessTableRow *row;

  if (position >= self->n_items)
    return NULL;
  row = g_object_new (TESS_TYPE_TABLE_ROW, NULL);
  row->frame = tess_frame_ref (self->frame);
  row->row = tess_table_model_get_row (self, position);
  return row;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
tess_table_model_finalize (GObject *object)
{
  TessTableModel *self = TESS_TABLE_MODEL (object);

  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
  g_clear_pointer (&self->frame, tess_frame_unref);
  g_clear_pointer (&self->order, g_bytes_unref);
  g_clear_pointer (&self->shown, g_bytes_unref);
  g_clear_pointer (&self->filter, tess_table_filter_free);
  g_clear_pointer (&self->wanted_filter, tess_table_filter_free);
  G_OBJECT_CLASS (tess_table_model_parent_class)->finalize (object);
}

static void
tess_table_model_class_init (TessTableModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tess_table_model_finalize;
}

static void
tess_table_model_init (TessTableModel *self)
{
  self->sort_column = -1;
  self->wanted_sort_column = -1;
}

TessTableModel *
tess_table_model_new (TessFrame *frame)
{
  TessTableModel *self;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (tess_frame_get_n_rows (frame) <= G_MAXUINT32, NULL);

  self = g_object_new (TESS_TYPE_TABLE_MODEL, NULL);
  self->frame = tess_frame_ref (frame);
  self->n_items = tess_frame_get_n_rows (frame);
  return self;
}

TessFrame *
tess_table_model_get_frame (TessTableModel *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_MODEL (self), NULL);
  return self->frame;
}

static inline gsize
row_at (GBytes *order, guint position)
{
  return order ? ((const guint32 *) g_bytes_get_data (order, NULL))[position] : position;
}

/* The rows shown, in order: those the filter keeps, else the sort's order
 * (NULL: every row in frame order). */
static inline GBytes *
shown_rows (TessTableModel *self)
{
  return self->shown != NULL ? self->shown : self->order;
}

gsize
tess_table_model_get_row (TessTableModel *self, guint position)
{
  g_return_val_if_fail (TESS_IS_TABLE_MODEL (self), 0);
  g_return_val_if_fail (position < self->n_items, 0);
  return row_at (shown_rows (self), position);
}

int
tess_table_model_column_decimals (TessColumn *column)
{
  gsize n = tess_column_get_length (column), step;
  int decimals = 0;

  g_return_val_if_fail (column != NULL, 0);

  if (tess_column_get_column_type (column) != TESS_COLUMN_DOUBLE || n == 0)
    return 0;
  /* a sample spread over the column: enough to see its precision, the same
   * cost for ten rows or ten million */
  step = MAX (n / 2048, 1);
  for (gsize row = 0; row < n && decimals < 6; row += step)
    {
      double v = tess_column_get_double (column, row);

      if (!isfinite (v) || fabs (v) >= 1e9)
        continue;
      while (decimals < 6)
        {
          double scaled = v * pow (10, decimals);

          if (fabs (scaled - nearbyint (scaled)) < 1e-9 * MAX (1, fabs (scaled)))
            break;
          decimals++;
        }
    }
  return decimals;
}

char *
tess_table_model_format_number (TessColumn *column, gsize row, int decimals)
{
  double v;

  g_return_val_if_fail (column != NULL, NULL);

  if (tess_column_is_null (column, row))
    return g_strdup ("");
  if (tess_column_get_column_type (column) != TESS_COLUMN_DOUBLE)
    return tess_table_model_format_value (column, row);
  v = tess_column_get_double (column, row);
  /* the rule every number people read follows (tess-format-private.h) */
  if (decimals >= 0)
    return tess_format_fixed (v, MIN (decimals, 12), NULL);
  return tess_format_readable (v, NULL);
}

char *
tess_table_model_format_value (TessColumn *column, gsize row)
{
  if (tess_column_is_null (column, row))
    return g_strdup ("");
  switch (tess_column_get_column_type (column))
    {
    case TESS_COLUMN_INT64:
      return tess_format_int64 (tess_column_get_int64 (column, row), NULL);
    case TESS_COLUMN_DOUBLE:
      return tess_table_model_format_number (column, row, -1);
    case TESS_COLUMN_TIMESTAMP:
      {
        char *text = tess_column_format_value (column, row);
        char *t = strchr (text, 'T');
        gsize len = strlen (text);

        if (t != NULL)
          *t = ' ';
        if (len > 0 && text[len - 1] == 'Z')
          text[len - 1] = '\0';
        return text;
      }
    default:
      return tess_column_format_value (column, row);
    }
}

char *
tess_table_model_format_cell (TessTableModel *self, guint position, guint column)
{
  g_return_val_if_fail (TESS_IS_TABLE_MODEL (self), NULL);
  g_return_val_if_fail (position < self->n_items, NULL);
  g_return_val_if_fail (column < tess_frame_get_n_columns (self->frame), NULL);

  return tess_table_model_format_value (tess_frame_get_column (self->frame, column),
                                        row_at (shown_rows (self), position));
}

int
tess_table_model_get_sort_column (TessTableModel *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_MODEL (self), -1);
  return self->sort_column;
}

gboolean
tess_table_model_get_sort_descending (TessTableModel *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_MODEL (self), FALSE);
  return self->sort_descending;
}

guint32 *
tess_table_model_compute_order (TessFrame *frame, int column_index, gboolean descending)
{
  gsize n = tess_frame_get_n_rows (frame);
  guint32 *order = g_new (guint32, MAX (n, 1));
  TessColumn *column;

  if (column_index < 0 || (guint) column_index >= tess_frame_get_n_columns (frame))
    {
      for (gsize i = 0; i < n; i++)
        order[i] = i;
      return order;
    }
  column = tess_frame_get_column (frame, column_index);
  switch (tess_column_get_column_type (column))
    {
    case TESS_COLUMN_DOUBLE:
      tess_sort_doubles (tess_column_get_double_data (column), n, descending, order);
      break;
    case TESS_COLUMN_INT64:
    case TESS_COLUMN_TIMESTAMP:
      tess_sort_int64 (tess_column_get_int64_data (column), tess_column_get_validity (column), n, descending, order);
      break;
    case TESS_COLUMN_STRING:
      {
        g_autofree const char **keys = g_new (const char *, MAX (n, 1));

        for (gsize i = 0; i < n; i++)
          keys[i] = tess_column_get_string (column, i);
        tess_sort_strings (keys, n, descending, order);
        break;
      }
    case TESS_COLUMN_DATE:
    case TESS_COLUMN_BOOL:
    default:
      {
        g_autofree double *keys = g_new (double, MAX (n, 1));

        for (gsize i = 0; i < n; i++)
          keys[i] = tess_column_get_double (column, i);
        tess_sort_doubles (keys, n, descending, order);
        break;
      }
    }
  return order;
}

/* Shows @order (full: every row; NULL: frame order) and @shown (the rows
 * @filter keeps, NULL without one) in one step. Takes all three. */
static void
apply_view (TessTableModel *self,
            GBytes *order,
            int column,
            gboolean descending,
            TessTableFilter *filter,
            GBytes *shown,
            gsize n_shown)
{
  guint old_n = self->n_items;

  g_clear_pointer (&self->order, g_bytes_unref);
  g_clear_pointer (&self->shown, g_bytes_unref);
  g_clear_pointer (&self->filter, tess_table_filter_free);
  self->order = column >= 0 ? order : NULL;
  if (column < 0 && order != NULL)
    g_bytes_unref (order);
  self->sort_column = column;
  self->sort_descending = descending;
  self->filter = filter;
  self->shown = filter != NULL ? shown : NULL;
  if (filter == NULL && shown != NULL)
    g_bytes_unref (shown);
  self->n_items = filter != NULL ? n_shown : tess_frame_get_n_rows (self->frame);
  if (old_n > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
}

static GBytes *
rows_bytes (guint32 *rows, gsize n)
{
  return g_bytes_new_take (rows, n * sizeof (guint32));
}

/* Stops the job in flight, if any: its result will not be applied. */
static void
supersede_job (TessTableModel *self)
{
  self->serial++;
  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
}

void
tess_table_model_sort (TessTableModel *self, int column, gboolean descending)
{
  GBytes *order;
  GBytes *shown = NULL;
  gsize n_shown = 0;

  g_return_if_fail (TESS_IS_TABLE_MODEL (self));
  TESS_ASSERT_MAIN_THREAD ();

  /* the filter asked for last stands, applied here too (the views ask for
   * this only without one: a filter runs on a worker) */
  supersede_job (self);
  self->wanted_sort_column = column;
  self->wanted_descending = descending;
  order = rows_bytes (tess_table_model_compute_order (self->frame, column, descending),
                      MAX (tess_frame_get_n_rows (self->frame), 1));
  if (self->wanted_filter != NULL)
    {
      guint32 *rows = tess_table_filter_apply (self->wanted_filter, self->frame,
                                               column >= 0 ? g_bytes_get_data (order, NULL) : NULL, NULL, &n_shown);

      shown = rows_bytes (rows, MAX (n_shown, 1));
    }
  apply_view (self, order, column, descending,
              self->wanted_filter ? tess_table_filter_copy (self->wanted_filter) : NULL, shown, n_shown);
}

/* One job makes what the user asked for last: the order (unless the sort
 * is the one shown), then the rows the filter keeps in it. */
typedef struct
{
  TessFrame *frame;
  int column;
  gboolean descending;
  GBytes *order; /* the order shown, when the sort is unchanged */
  TessTableFilter *filter;
  guint serial;
  /* the result */
  GBytes *new_order;
  GBytes *shown;
  gsize n_shown;
} ViewJob;

static void
view_job_free (gpointer p)
{
  ViewJob *job = p;

  tess_frame_unref (job->frame);
  g_clear_pointer (&job->order, g_bytes_unref);
  g_clear_pointer (&job->filter, tess_table_filter_free);
  g_clear_pointer (&job->new_order, g_bytes_unref);
  g_clear_pointer (&job->shown, g_bytes_unref);
  g_free (job);
}

/* Runs on a worker thread. */
static void
view_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ViewJob *job = task_data;
  gsize n = tess_frame_get_n_rows (job->frame);

  if (job->order != NULL)
    job->new_order = g_bytes_ref (job->order);
  else if (job->column >= 0)
    job->new_order = rows_bytes (tess_table_model_compute_order (job->frame, job->column, job->descending), MAX (n, 1));
  if (job->filter != NULL)
    {
      guint32 *rows = tess_table_filter_apply (job->filter, job->frame,
                                               job->new_order ? g_bytes_get_data (job->new_order, NULL) : NULL,
                                               cancellable, &job->n_shown);

      /* superseded by a newer keystroke: stop here */
      if (rows == NULL)
        {
          g_task_return_boolean (task, FALSE);
          return;
        }
      job->shown = rows_bytes (rows, MAX (job->n_shown, 1));
    }
  g_task_return_boolean (task, TRUE);
}

static void
tess_table_model_view_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TessTableModel *self = TESS_TABLE_MODEL (source);
  GTask *outer = user_data;
  ViewJob *job = g_task_get_task_data (G_TASK (result));
  gboolean complete = g_task_propagate_boolean (G_TASK (result), NULL);

  g_assert (TESS_IS_TABLE_MODEL (source));
  g_assert (G_IS_TASK (result));

  /* a newer request started meanwhile: this result is stale, and the newer
   * job carries this request's wish too */
  if (complete && job->serial == self->serial && !g_cancellable_is_cancelled (g_task_get_cancellable (outer)))
    {
      g_clear_object (&self->job_cancellable);
      apply_view (self, g_steal_pointer (&job->new_order), job->column, job->descending, g_steal_pointer (&job->filter),
                  g_steal_pointer (&job->shown), job->n_shown);
    }
  if (!g_task_return_error_if_cancelled (outer))
    g_task_return_boolean (outer, TRUE);
  g_object_unref (outer);
}

/* Starts the job for what is wanted now, completing @outer when done. */
static void
start_view_job (TessTableModel *self, GTask *outer)
{
  g_autoptr (GTask) inner = NULL;
  ViewJob *job;

  supersede_job (self);
  self->job_cancellable = g_cancellable_new ();
  job = g_new0 (ViewJob, 1);
  job->frame = tess_frame_ref (self->frame);
  job->column = self->wanted_sort_column;
  job->descending = self->wanted_descending;
  if (self->order != NULL && job->column == self->sort_column && job->descending == self->sort_descending)
    job->order = g_bytes_ref (self->order);
  job->filter = self->wanted_filter ? tess_table_filter_copy (self->wanted_filter) : NULL;
  job->serial = self->serial;
  inner = g_task_new (self, self->job_cancellable, tess_table_model_view_done_cb, outer);
  g_task_set_task_data (inner, job, view_job_free);
  g_task_run_in_thread (inner, view_thread);
}

void
tess_table_model_sort_async (TessTableModel *self,
                             int column,
                             gboolean descending,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  GTask *outer;

  g_return_if_fail (TESS_IS_TABLE_MODEL (self));
  TESS_ASSERT_MAIN_THREAD ();

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, tess_table_model_sort_async);
  if (self->n_items <= TESS_TABLE_MODEL_SYNC_SORT_ROWS && self->wanted_filter == NULL)
    {
      tess_table_model_sort (self, column, descending);
      g_task_return_boolean (outer, TRUE);
      g_object_unref (outer);
      return;
    }
  self->wanted_sort_column = column;
  self->wanted_descending = descending;
  start_view_job (self, outer);
}

gboolean
tess_table_model_sort_finish (TessTableModel *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tess_table_model_filter_async (TessTableModel *self,
                               const TessTableFilter *filter,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  GTask *outer;

  g_return_if_fail (TESS_IS_TABLE_MODEL (self));
  TESS_ASSERT_MAIN_THREAD ();

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, tess_table_model_filter_async);
  g_clear_pointer (&self->wanted_filter, tess_table_filter_free);
  if (filter != NULL && !tess_table_filter_is_empty (filter))
    self->wanted_filter = tess_table_filter_copy (filter);
  start_view_job (self, outer);
}

gboolean
tess_table_model_filter_finish (TessTableModel *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const TessTableFilter *
tess_table_model_get_filter (TessTableModel *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_MODEL (self), NULL);
  return self->filter;
}

guint
tess_table_model_get_n_rows (TessTableModel *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_MODEL (self), 0);
  return tess_frame_get_n_rows (self->frame);
}

gboolean
tess_table_model_is_idle (TessTableModel *self)
{
  g_return_val_if_fail (TESS_IS_TABLE_MODEL (self), TRUE);
  return self->job_cancellable == NULL;
}

static void
append_field (GString *out, const char *text, char separator)
{
  if (separator != ',' || strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_row (GString *out, TessFrame *frame, gsize row, char separator)
{
  guint n_columns = tess_frame_get_n_columns (frame);

  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *value = tess_column_format_value (tess_frame_get_column (frame, c), row);

      if (c > 0)
        g_string_append_c (out, separator);
      append_field (out, value, separator);
    }
}

char *
tess_table_model_row_to_text (TessTableModel *self, guint position, char separator)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TESS_IS_TABLE_MODEL (self), NULL);
  g_return_val_if_fail (position < self->n_items, NULL);

  append_row (out, self->frame, row_at (shown_rows (self), position), separator);
  return g_string_free (out, FALSE);
}

/* Writes @n rows: those of @rows (NULL: frame order). */
static gboolean
write_csv (TessFrame *frame, GBytes *rows, gsize n, GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  guint n_columns = tess_frame_get_n_columns (frame);

  for (guint c = 0; c < n_columns; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      append_field (out, tess_column_get_name (tess_frame_get_column (frame, c)), ',');
    }
  g_string_append (out, "\r\n");
  for (gsize i = 0; i < n; i++)
    {
      append_row (out, frame, row_at (rows, i), ',');
      g_string_append (out, "\r\n");
      if (out->len > 1 << 20 || i + 1 == n)
        {
          if (!g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error))
            return FALSE;
          g_string_truncate (out, 0);
        }
    }
  if (out->len > 0 && !g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error))
    return FALSE;
  return TRUE;
}

gboolean
tess_table_model_write_csv (TessTableModel *self, GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (TESS_IS_TABLE_MODEL (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  return write_csv (self->frame, shown_rows (self), self->n_items, stream, cancellable, error);
}

typedef struct
{
  TessFrame *frame;
  GBytes *rows; /* NULL: frame order */
  gsize n_rows;
  GFile *file;
} ExportJob;

static void
export_job_free (gpointer p)
{
  ExportJob *job = p;

  tess_frame_unref (job->frame);
  g_clear_pointer (&job->rows, g_bytes_unref);
  g_object_unref (job->file);
  g_free (job);
}

/* Runs on a worker thread. */
static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileOutputStream) stream =
      g_file_replace (job->file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, &error);

  if (stream == NULL ||
      !write_csv (job->frame, job->rows, job->n_rows, G_OUTPUT_STREAM (stream), cancellable, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_autofree char *name = g_file_get_parse_name (job->file);

      g_task_return_new_error (task, error->domain, error->code, _ ("Could not export the table to “%s”: %s"), name,
                               error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
tess_table_model_export_csv_async (
    TessTableModel *self, GFile *file, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (TESS_IS_TABLE_MODEL (self));
  g_return_if_fail (G_IS_FILE (file));

  job = g_new0 (ExportJob, 1);
  job->frame = tess_frame_ref (self->frame);
  job->rows = shown_rows (self) ? g_bytes_ref (shown_rows (self)) : NULL;
  job->n_rows = self->n_items;
  job->file = g_object_ref (file);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tess_table_model_export_csv_async);
  g_task_set_task_data (task, job, export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
tess_table_model_export_csv_finish (TessTableModel *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
