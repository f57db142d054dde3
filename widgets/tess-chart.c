/* tess-chart.c: TessChart, the chart widget (see tess-chart.h).
 *
 * Preparing the data (columns to series) and decimating it for the visible x
 * range both run on worker threads; each job carries the cancellable it was
 * started with, and its result is dropped unless that is still the current one.
 * Meanwhile the widget keeps drawing what it has: the previous decimation,
 * mapped to the new view, until the new one arrives.
 *
 * The pointer: the wheel belongs to the page the chart is on, so a
 * dashboard scrolls over its charts; Ctrl+wheel and a pinch zoom, a drag
 * pans a zoomed chart, Shift+drag selects a range to zoom into. A drag that
 * is none of these is refused, so touch scrolling reaches the page too. A
 * zoomed chart shows a button that resets it.
 *
 * The legend: a click on an entry hides or shows its series, Ctrl+click
 * shows it alone (or everything again). Hidden series are kept by name, so
 * they stay hidden when a rerun brings new data. Series that are the values
 * of a colour column take their colours from the dashboard
 * (tess-chart-colors.h), the same in every chart.
 */
#include "tess-chart-colors.h"
#include "tess-chart-private.h"
#include "tess-chart-summary.h"
#include "tess-thread-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

struct _TessChart
{
  GtkWidget parent_instance;

  TessElement *element;
  TessFrame *frame;
  GVariant *spec;
  int requested_height;

  TessChartData *data;
  GError *error;
  TessChartDecimation *dec;
  char *summary; /* the chart in words: its accessible description */

  GCancellable *prepare_cancellable;
  GCancellable *decimate_cancellable;
  /* what the in-flight decimation was asked for */
  double pending_x0, pending_x1;
  guint pending_width, pending_height;

  gboolean zoomed;
  double view_x0, view_x1;
  double drag_x0, drag_x1;
  gboolean selecting;            /* a Shift+drag is under way */
  double select_from, select_to; /* its ends, in widget x */
  double pinch_x0, pinch_x1;     /* the view when the pinch began */

  TessChartLayout layout;
  gboolean have_layout;

  /* the chart without the hover, kept while only the pointer moves */
  GskRenderNode *body;
  TessChartData *body_data;
  TessChartDecimation *body_dec;
  double body_x0, body_x1;
  int body_width, body_height;
  TessColor body_fg;
  GError *body_error;
  TessChartHover hover;
  double pointer_x, pointer_y;

  GtkWidget *menu;  /* made when first opened */
  GtkWidget *reset; /* shown while zoomed */

  GHashTable *hidden; /* names of the series the legend hides */
  /* per series of data, for the theme: palette index and hidden */
  guint *series_colors;
  gboolean *series_hidden;
};

G_DEFINE_FINAL_TYPE (TessChart, tess_chart, GTK_TYPE_WIDGET)

/* The reset button's distance from the top right corner. */
#define RESET_MARGIN 6

/* Frames up to this many rows are prepared on the main thread. */
#define TESS_CHART_SYNC_ROWS 10000

typedef struct
{
  TessFrame *frame;
  GVariant *spec;
  TessChartData *data;
  double x0, x1;
  guint width, height;
} Job;

typedef struct
{
  TessChartData *data;
  TessChartDecimation *dec;
} JobResult;

static void
job_free (gpointer p)
{
  Job *job = p;

  g_clear_pointer (&job->frame, tess_frame_unref);
  g_clear_pointer (&job->spec, g_variant_unref);
  g_clear_pointer (&job->data, tess_chart_data_unref);
  g_free (job);
}

static void
job_result_free (gpointer p)
{
  JobResult *r = p;

  g_clear_pointer (&r->data, tess_chart_data_unref);
  g_clear_pointer (&r->dec, tess_chart_decimation_unref);
  g_free (r);
}

static gboolean
kind_zooms (TessChartData *data)
{
  return data != NULL && data->kind != TESS_CHART_BAR;
}

static void
current_view (TessChart *self, double *x0, double *x1)
{
  if (self->zoomed || self->data == NULL)
    {
      *x0 = self->view_x0;
      *x1 = self->view_x1;
      return;
    }
  *x0 = self->data->x_min;
  *x1 = self->data->x_max > self->data->x_min ? self->data->x_max : self->data->x_min + 1;
}

/* New data keeps the user's zoom (live data moves under it), unless the data
 * cannot zoom or no longer reaches into the zoomed range. */
static void
keep_view_sensible (TessChart *self)
{
  if (!self->zoomed)
    return;
  if (!kind_zooms (self->data) || self->view_x1 < self->data->x_min || self->view_x0 > self->data->x_max ||
      self->view_x1 - self->view_x0 >= self->data->x_max - self->data->x_min)
    {
      self->zoomed = FALSE;
      gtk_widget_set_visible (self->reset, FALSE);
    }
}

/* Pixel columns and rows to decimate for: the plot area in device pixels. */
static void
target_size (TessChart *self, guint *width, guint *height)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double w = self->have_layout ? self->layout.width : gtk_widget_get_width (GTK_WIDGET (self)) - 60;
  double h = self->have_layout ? self->layout.height : gtk_widget_get_height (GTK_WIDGET (self)) - 60;

  if (w < 1)
    w = 800;
  if (h < 1)
    h = 300;
  *width = (guint) ceil (w * scale);
  *height = (guint) ceil (h * scale);
}

/* Workers */

/* Runs on a worker thread. */
static void
prepare_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr (GError) error = NULL;
  JobResult *result;
  TessChartData *data = tess_chart_data_new (job->frame, job->spec, &error);
  double x1;

  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result = g_new0 (JobResult, 1);
  result->data = data;
  x1 = data->x_max > data->x_min ? data->x_max : data->x_min + 1;
  if (!g_cancellable_is_cancelled (cancellable))
    result->dec = tess_chart_decimate (data, data->x_min, x1, job->width, job->height, cancellable);
  g_task_return_pointer (task, result, job_result_free);
}

/* Runs on a worker thread. */
static void
decimate_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  JobResult *result = g_new0 (JobResult, 1);

  result->dec = tess_chart_decimate (job->data, job->x0, job->x1, job->width, job->height, cancellable);
  g_task_return_pointer (task, result, job_result_free);
}

static void request_decimation (TessChart *self);

/* Describes the chart in words for screen readers, once its data is ready.
 * Main thread only. */
static void
update_summary (TessChart *self)
{
  g_clear_pointer (&self->summary, g_free);
  if (self->data != NULL)
    self->summary = tess_chart_summary (self->data);
  else if (self->error != NULL)
    self->summary = g_strdup (self->error->message);
  if (self->summary != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
tess_chart_prepare_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  TessChart *self = TESS_CHART (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));
  g_autoptr (GError) error = NULL;
  JobResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  g_assert (TESS_IS_CHART (source));
  g_assert (G_IS_TASK (res));

  /* a newer element superseded this one */
  if (cancellable != self->prepare_cancellable || g_cancellable_is_cancelled (cancellable))
    {
      g_clear_pointer (&result, job_result_free);
      return;
    }
  g_clear_object (&self->prepare_cancellable);
  g_clear_pointer (&self->data, tess_chart_data_unref);
  g_clear_pointer (&self->dec, tess_chart_decimation_unref);
  g_clear_error (&self->error);
  if (result == NULL)
    self->error = g_steal_pointer (&error);
  else
    {
      self->data = g_steal_pointer (&result->data);
      self->dec = g_steal_pointer (&result->dec);
      job_result_free (result);
      keep_view_sensible (self);
      self->hover.series = -1;
    }
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tess_chart_decimate_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  TessChart *self = TESS_CHART (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));
  JobResult *result = g_task_propagate_pointer (G_TASK (res), NULL);

  g_assert (TESS_IS_CHART (source));
  g_assert (G_IS_TASK (res));

  if (cancellable != self->decimate_cancellable || g_cancellable_is_cancelled (cancellable) || result == NULL)
    {
      g_clear_pointer (&result, job_result_free);
      return;
    }
  g_clear_object (&self->decimate_cancellable);
  g_clear_pointer (&self->dec, tess_chart_decimation_unref);
  self->dec = g_steal_pointer (&result->dec);
  job_result_free (result);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
start_prepare (TessChart *self)
{
  g_autoptr (GTask) task = NULL;
  Job *job;

  if (self->prepare_cancellable != NULL)
    g_cancellable_cancel (self->prepare_cancellable);
  g_clear_object (&self->prepare_cancellable);
  if (self->decimate_cancellable != NULL)
    g_cancellable_cancel (self->decimate_cancellable);
  g_clear_object (&self->decimate_cancellable);
  if (self->frame == NULL)
    return;

  /* small frames: prepared here, in well under a millisecond, so the chart
   * never flashes a placeholder; large ones on a worker */
  if (tess_frame_get_n_rows (self->frame) <= TESS_CHART_SYNC_ROWS)
    {
      g_autoptr (GError) error = NULL;
      guint width, height;

      g_clear_pointer (&self->data, tess_chart_data_unref);
      g_clear_pointer (&self->dec, tess_chart_decimation_unref);
      g_clear_error (&self->error);
      self->data = tess_chart_data_new (self->frame, self->spec, &error);
      if (self->data == NULL)
        self->error = g_steal_pointer (&error);
      else
        {
          double x0, x1;

          keep_view_sensible (self);
          self->hover.series = -1;
          current_view (self, &x0, &x1);
          target_size (self, &width, &height);
          self->dec = tess_chart_decimate (self->data, x0, x1, width, height, NULL);
        }
      update_summary (self);
      return;
    }

  self->prepare_cancellable = g_cancellable_new ();
  job = g_new0 (Job, 1);
  job->frame = tess_frame_ref (self->frame);
  job->spec = self->spec ? g_variant_ref (self->spec) : NULL;
  target_size (self, &job->width, &job->height);
  task = g_task_new (self, self->prepare_cancellable, tess_chart_prepare_done_cb, NULL);
  g_task_set_source_tag (task, start_prepare);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, prepare_thread);
}

static void
request_decimation (TessChart *self)
{
  g_autoptr (GTask) task = NULL;
  double x0, x1;
  guint width, height;
  Job *job;

  if (self->data == NULL || self->prepare_cancellable != NULL)
    return;
  if (self->data->kind == TESS_CHART_BAR || self->data->kind == TESS_CHART_HISTOGRAM)
    return;
  current_view (self, &x0, &x1);
  target_size (self, &width, &height);
  /* a few pixels of difference do not matter, and chasing them could loop:
   * the plot's width depends on the axis labels, which depend on the points */
  if (self->dec != NULL && self->decimate_cancellable == NULL && self->dec->x0 == x0 && self->dec->x1 == x1 &&
      ABS ((int) self->dec->width - (int) width) <= (int) MAX (8, width / 50))
    return;
  if (self->decimate_cancellable != NULL)
    {
      if (self->pending_x0 == x0 && self->pending_x1 == x1 && self->pending_width == width &&
          self->pending_height == height)
        return;
      g_cancellable_cancel (self->decimate_cancellable);
      g_clear_object (&self->decimate_cancellable);
    }

  self->decimate_cancellable = g_cancellable_new ();
  self->pending_x0 = x0;
  self->pending_x1 = x1;
  self->pending_width = width;
  self->pending_height = height;
  job = g_new0 (Job, 1);
  job->data = tess_chart_data_ref (self->data);
  job->x0 = x0;
  job->x1 = x1;
  job->width = width;
  job->height = height;
  task = g_task_new (self, self->decimate_cancellable, tess_chart_decimate_done_cb, NULL);
  g_task_set_source_tag (task, request_decimation);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, decimate_thread);
}

/* Drawing */

/* Each series' colour and whether it is hidden, into the theme. The colours
 * of categories come from the dashboard, which gives a category its colour
 * the first time a chart draws it. */
static void
fill_series_style (TessChart *self, TessChartTheme *theme)
{
  TessChartColors *colors = NULL;
  guint n = self->data ? self->data->series->len : 0;

  g_clear_pointer (&self->series_colors, g_free);
  g_clear_pointer (&self->series_hidden, g_free);
  theme->colors = NULL;
  theme->hidden = NULL;
  if (n == 0)
    return;
  if (self->data->categories_colored)
    colors = tess_chart_colors_for_widget (GTK_WIDGET (self));
  self->series_colors = g_new (guint, n);
  self->series_hidden = g_new0 (gboolean, n);
  for (guint s = 0; s < n; s++)
    {
      const char *name = ((TessChartSeries *) g_ptr_array_index (self->data->series, s))->name;
      self->series_colors[s] = colors ? tess_chart_colors_lookup (colors, name) : s;
      self->series_hidden[s] = g_hash_table_contains (self->hidden, name);
    }
  theme->colors = self->series_colors;
  theme->hidden = self->series_hidden;
}

static void
get_theme (TessChart *self, TessChartTheme *theme)
{
  GdkRGBA fg;
  double luminance;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  luminance = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue;
  theme->fg = (TessColor){ fg.red, fg.green, fg.blue, fg.alpha };
  /* light text means a dark theme */
  theme->dark = luminance > 0.5;
  theme->bg = theme->dark ? (TessColor){ 0.14, 0.14, 0.14, 1 } : (TessColor){ 1, 1, 1, 1 };
  theme->fill_background = FALSE;
  theme->font =
      (PangoFontDescription *) pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self)));
  fill_series_style (self, theme);
}

static void
render (TessChart *self, cairo_t *cr, const TessChartTheme *theme, int width, int height, TessChartLayout *layout)
{
  double x0, x1;

  if (self->data != NULL)
    {
      current_view (self, &x0, &x1);
      tess_chart_render (cr, self->data, self->dec, x0, x1, theme, &self->hover, width, height, layout);
    }
  else if (self->error != NULL)
    tess_chart_render_message (cr, self->error->message, theme, width, height);
  else if (self->frame != NULL)
    tess_chart_render_message (cr, _ ("Preparing the chart…"), theme, width, height);
}

static void
drop_body (TessChart *self)
{
  g_clear_pointer (&self->body, gsk_render_node_unref);
  /* held, so a new chart allocated at a freed one's address is never taken for it */
  g_clear_pointer (&self->body_data, tess_chart_data_unref);
  g_clear_pointer (&self->body_dec, tess_chart_decimation_unref);
}

/* Whether the kept chart node still shows the current state. */
static gboolean
body_is_current (TessChart *self, const TessChartTheme *theme, int width, int height)
{
  double x0, x1;

  if (self->body == NULL || self->data == NULL)
    return FALSE;
  current_view (self, &x0, &x1);
  return self->body_data == self->data && self->body_dec == self->dec && self->body_x0 == x0 && self->body_x1 == x1 &&
         self->body_width == width && self->body_height == height &&
         memcmp (&self->body_fg, &theme->fg, sizeof (TessColor)) == 0;
}

static void
tess_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  TessChart *self = TESS_CHART (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  TessChartTheme theme;
  TessChartLayout layout;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  get_theme (self, &theme);
  if (self->data == NULL)
    {
      drop_body (self);
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      render (self, cr, &theme, width, height, NULL);
      cairo_destroy (cr);
      gtk_widget_snapshot_child (widget, self->reset, snapshot);
      return;
    }

  /* the chart itself: drawn again only when what it shows changed, so moving
   * the pointer redraws just the crosshair and tooltip */
  if (!body_is_current (self, &theme, width, height))
    {
      g_autoptr (GtkSnapshot) body = gtk_snapshot_new ();
      double x0, x1;

      drop_body (self);
      cr = gtk_snapshot_append_cairo (body, &GRAPHENE_RECT_INIT (0, 0, width, height));
      current_view (self, &x0, &x1);
      tess_chart_render (cr, self->data, self->dec, x0, x1, &theme, NULL, width, height, &layout);
      cairo_destroy (cr);
      self->body = gtk_snapshot_free_to_node (g_steal_pointer (&body));
      self->body_data = tess_chart_data_ref (self->data);
      self->body_dec = self->dec ? tess_chart_decimation_ref (self->dec) : NULL;
      self->body_x0 = x0;
      self->body_x1 = x1;
      self->body_width = width;
      self->body_height = height;
      self->body_fg = theme.fg;
      self->layout = layout;
      self->have_layout = TRUE;
    }
  if (self->body != NULL)
    gtk_snapshot_append_node (snapshot, self->body);
  if (self->hover.active && self->hover.series >= 0)
    {
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      tess_chart_render_hover (cr, self->data, &self->layout, &theme, &self->hover, width, height);
      cairo_destroy (cr);
    }
  if (self->selecting)
    {
      /* the range a Shift+drag selects, across the plot */
      double a =
          CLAMP (MIN (self->select_from, self->select_to), self->layout.left, self->layout.left + self->layout.width);
      double b =
          CLAMP (MAX (self->select_from, self->select_to), self->layout.left, self->layout.left + self->layout.width);
      GdkRGBA band = { theme.fg.r, theme.fg.g, theme.fg.b, 0.12 };
      GdkRGBA edge = { theme.fg.r, theme.fg.g, theme.fg.b, 0.5 };

      gtk_snapshot_append_color (snapshot, &band,
                                 &GRAPHENE_RECT_INIT (a, self->layout.top, b - a, self->layout.height));
      gtk_snapshot_append_color (snapshot, &edge, &GRAPHENE_RECT_INIT (a, self->layout.top, 1, self->layout.height));
      gtk_snapshot_append_color (snapshot, &edge,
                                 &GRAPHENE_RECT_INIT (b - 1, self->layout.top, 1, self->layout.height));
    }
  gtk_widget_snapshot_child (widget, self->reset, snapshot);
  /* the plot's size or the view changed since the last decimation */
  request_decimation (self);
}

static void
tess_chart_measure (GtkWidget *widget,
                    GtkOrientation orientation,
                    int for_size,
                    int *minimum,
                    int *natural,
                    int *minimum_baseline,
                    int *natural_baseline)
{
  TessChart *self = TESS_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = TESS_CHART_MIN_WIDTH;
      *natural = 560;
    }
  else
    {
      *minimum = MIN (120, self->requested_height);
      *natural = self->requested_height;
    }
}

/* Interaction */

/* The context menu, made the first time it opens: a dashboard of charts
 * would otherwise build a popover of menu items for each. */
static GtkWidget *
ensure_menu (TessChart *self)
{
  g_autoptr (GMenu) menu = NULL;

  if (self->menu != NULL)
    return self->menu;
  menu = g_menu_new ();
  g_menu_append (menu, _ ("Save as _PNG…"), "chart.save-png");
  g_menu_append (menu, _ ("Save as _SVG…"), "chart.save-svg");
  g_menu_append (menu, _ ("Save _Data as CSV…"), "chart.save-csv");
  g_menu_append (menu, _ ("_Copy Data as CSV"), "chart.copy-csv");
  g_menu_append (menu, _ ("_Reset Zoom"), "chart.reset-zoom");
  self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
  return self->menu;
}

static const char *series_name (TessChart *self, guint series);

static void
update_hover (TessChart *self)
{
  int series = -1;
  gsize index = 0;

  if (self->hover.active && self->data != NULL && self->have_layout)
    tess_chart_hit_test (self->data, &self->layout, self->pointer_x, self->pointer_y, &series, &index);
  if (series >= 0 && g_hash_table_contains (self->hidden, series_name (self, series)))
    series = -1; /* not drawn */
  self->hover.px = self->pointer_x;
  self->hover.py = self->pointer_y;
  if (series != self->hover.series || index != self->hover.index || series >= 0)
    {
      self->hover.series = series;
      self->hover.index = index;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
tess_chart_pointer_motion_cb (GtkEventControllerMotion *controller, double x, double y, TessChart *self)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_MOTION (controller));
  g_assert (TESS_IS_CHART (self));

  tess_chart_hover (self, x, y);
}

static void
tess_chart_pointer_leave_cb (GtkEventControllerMotion *controller, TessChart *self)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_MOTION (controller));
  g_assert (TESS_IS_CHART (self));

  tess_chart_hover (self, -1, -1);
}

static void
set_view (TessChart *self, double x0, double x1)
{
  double full0, full1, span;

  if (self->data == NULL || !kind_zooms (self->data) || !(x1 > x0))
    return;
  full0 = self->data->x_min;
  full1 = self->data->x_max > full0 ? self->data->x_max : full0 + 1;
  span = x1 - x0;
  /* no further out than the whole data; no further in than a few units of
   * double precision */
  if (span >= full1 - full0)
    {
      tess_chart_reset_view (self);
      return;
    }
  if (span < (full1 - full0) * 1e-9)
    return;
  if (x0 < full0)
    {
      x1 += full0 - x0;
      x0 = full0;
    }
  if (x1 > full1)
    {
      x0 -= x1 - full1;
      x1 = full1;
    }
  self->zoomed = TRUE;
  self->view_x0 = x0;
  self->view_x1 = x1;
  gtk_widget_set_visible (self->reset, TRUE);
  update_hover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  request_decimation (self);
}

/* The x value under widget x @px in the current view, within the plot. */
static double
x_at (TessChart *self, double px)
{
  double x0, x1;

  current_view (self, &x0, &x1);
  return x0 + (CLAMP (px, self->layout.left, self->layout.left + self->layout.width) - self->layout.left) /
                  self->layout.width * (x1 - x0);
}

/* Scales the view by @factor (below 1 zooms in) around the x value @pivot. */
static void
zoom_from (TessChart *self, double x0, double x1, double pivot, double factor)
{
  set_view (self, pivot - (pivot - x0) * factor, pivot + (x1 - pivot) * factor);
}

/* The wheel is the page's: without Ctrl it is left unhandled, and the
 * scrolled dashboard around the chart scrolls. Ctrl+wheel zooms, as in
 * other GNOME applications. */
static gboolean
tess_chart_scroll_cb (GtkEventControllerScroll *controller, double dx, double dy, TessChart *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double x0, x1;

  g_assert (GTK_IS_EVENT_CONTROLLER_SCROLL (controller));
  g_assert (TESS_IS_CHART (self));

  if (!(state & GDK_CONTROL_MASK) || !kind_zooms (self->data) || !self->have_layout || dy == 0)
    return FALSE;
  current_view (self, &x0, &x1);
  zoom_from (self, x0, x1, x_at (self, self->pointer_x), pow (1.2, dy));
  return TRUE;
}

static void
tess_chart_pinch_begin_cb (GtkGesture *gesture, GdkEventSequence *sequence, TessChart *self)
{
  g_assert (GTK_IS_GESTURE_ZOOM (gesture));
  g_assert (TESS_IS_CHART (self));

  if (!kind_zooms (self->data) || !self->have_layout)
    {
      gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  current_view (self, &self->pinch_x0, &self->pinch_x1);
}

static void
tess_chart_pinch_scale_changed_cb (GtkGestureZoom *gesture, double scale, TessChart *self)
{
  double cx, cy, pivot;

  g_assert (GTK_IS_GESTURE_ZOOM (gesture));
  g_assert (TESS_IS_CHART (self));

  if (scale <= 0 || !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  /* The x value under the fingers in the view the pinch began with: the
   * pinch scales that view, not the one its last step left. */
  pivot = self->pinch_x0 + (CLAMP (cx, self->layout.left, self->layout.left + self->layout.width) - self->layout.left) /
                               self->layout.width * (self->pinch_x1 - self->pinch_x0);
  zoom_from (self, self->pinch_x0, self->pinch_x1, pivot, 1 / scale);
}

/* A drag pans a zoomed chart; with Shift it selects the range to zoom
 * into. Any other drag is refused and goes to the page. */
static void
tess_chart_drag_begin_cb (GtkGestureDrag *gesture, double x, double y, TessChart *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (TESS_IS_CHART (self));

  self->selecting = FALSE;
  if (!kind_zooms (self->data) || !self->have_layout || (!(state & GDK_SHIFT_MASK) && !self->zoomed))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  if (state & GDK_SHIFT_MASK)
    {
      self->selecting = TRUE;
      self->select_from = self->select_to = x;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }
  current_view (self, &self->drag_x0, &self->drag_x1);
}

static void
tess_chart_drag_update_cb (GtkGestureDrag *gesture, double offset_x, double offset_y, TessChart *self)
{
  double start_x, shift;

  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (TESS_IS_CHART (self));

  if (self->selecting)
    {
      gtk_gesture_drag_get_start_point (gesture, &start_x, NULL);
      self->select_to = start_x + offset_x;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (!kind_zooms (self->data) || !self->have_layout || !self->zoomed)
    return;
  shift = -offset_x / self->layout.width * (self->drag_x1 - self->drag_x0);
  set_view (self, self->drag_x0 + shift, self->drag_x1 + shift);
}

static void
tess_chart_drag_end_cb (GtkGestureDrag *gesture, double offset_x, double offset_y, TessChart *self)
{
  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (TESS_IS_CHART (self));

  if (!self->selecting)
    return;
  self->selecting = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* A few pixels is a click, not a range. */
  if (ABS (self->select_to - self->select_from) >= 4)
    tess_chart_select_range (self, MIN (self->select_from, self->select_to), MAX (self->select_from, self->select_to));
}

static void
tess_chart_click_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, TessChart *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  g_assert (GTK_IS_GESTURE_CLICK (gesture));
  g_assert (TESS_IS_CHART (self));

  if (button == GDK_BUTTON_SECONDARY)
    {
      if (self->data == NULL)
        return;
      gtk_popover_set_pointing_to (GTK_POPOVER (ensure_menu (self)), &(GdkRectangle){ x, y, 1, 1 });
      gtk_popover_popup (GTK_POPOVER (self->menu));
      return;
    }
  if (button == GDK_BUTTON_PRIMARY && n_press == 1 && self->have_layout)
    {
      GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
      if (tess_chart_click_legend (self, x, y, (state & GDK_CONTROL_MASK) != 0))
        {
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
          return;
        }
    }
  if (button == GDK_BUTTON_PRIMARY && n_press == 2)
    tess_chart_reset_view (self);
}

/* Exports (the files are written by tess-chart-export.c) */

void
tess_chart_get_theme (TessChart *self, TessChartTheme *theme)
{
  g_return_if_fail (TESS_IS_CHART (self));
  get_theme (self, theme);
}

void
tess_chart_draw_export (TessChart *self, cairo_t *cr, int width, int height)
{
  TessChartTheme theme;
  TessChartHover hover = self->hover;

  g_return_if_fail (TESS_IS_CHART (self));

  get_theme (self, &theme);
  theme.fill_background = TRUE;
  self->hover.active = FALSE;
  render (self, cr, &theme, width, height, NULL);
  self->hover = hover;
}

static void
tess_chart_save_png_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  g_assert (TESS_IS_CHART (widget));

  tess_chart_save_as (TESS_CHART (widget), TESS_CHART_EXPORT_PNG);
}

static void
tess_chart_save_svg_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  g_assert (TESS_IS_CHART (widget));

  tess_chart_save_as (TESS_CHART (widget), TESS_CHART_EXPORT_SVG);
}

static void
tess_chart_save_csv_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  g_assert (TESS_IS_CHART (widget));

  tess_chart_save_as (TESS_CHART (widget), TESS_CHART_EXPORT_CSV);
}

/* Runs on a worker thread. */
static void
csv_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_task_return_pointer (task, tess_chart_data_to_csv (task_data), g_free);
}

static void
tess_chart_copy_csv_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autofree char *csv = g_task_propagate_pointer (G_TASK (res), NULL);

  g_assert (TESS_IS_CHART (source));
  g_assert (G_IS_TASK (res));

  if (csv != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (source)), csv);
}

static void
tess_chart_copy_csv_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessChart *self = TESS_CHART (widget);
  g_autoptr (GTask) task = NULL;

  g_assert (TESS_IS_CHART (widget));

  if (self->data == NULL)
    return;
  task = g_task_new (self, NULL, tess_chart_copy_csv_done_cb, NULL);
  g_task_set_task_data (task, tess_chart_data_ref (self->data), (GDestroyNotify) tess_chart_data_unref);
  g_task_run_in_thread (task, csv_thread);
}

static void
tess_chart_reset_zoom_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  g_assert (TESS_IS_CHART (widget));

  tess_chart_reset_view (TESS_CHART (widget));
}

/* Keyboard: the same zoom and pan as the pointer, and the menu. */

static void
tess_chart_zoom_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessChart *self = TESS_CHART (widget);
  double x0, x1, mid, factor = g_variant_get_double (param);

  g_assert (TESS_IS_CHART (widget));

  if (!kind_zooms (self->data))
    return;
  current_view (self, &x0, &x1);
  mid = (x0 + x1) / 2;
  set_view (self, mid - (mid - x0) * factor, mid + (x1 - mid) * factor);
}

static void
tess_chart_pan_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessChart *self = TESS_CHART (widget);
  double x0, x1, shift;

  g_assert (TESS_IS_CHART (widget));

  if (!kind_zooms (self->data) || !self->zoomed)
    return;
  current_view (self, &x0, &x1);
  shift = (x1 - x0) * g_variant_get_double (param);
  set_view (self, x0 + shift, x1 + shift);
}

static void
tess_chart_menu_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  TessChart *self = TESS_CHART (widget);

  g_assert (TESS_IS_CHART (widget));

  if (self->data == NULL)
    return;
  gtk_popover_set_pointing_to (
      GTK_POPOVER (ensure_menu (self)),
      &(GdkRectangle){ gtk_widget_get_width (widget) / 2, gtk_widget_get_height (widget) / 2, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

/* GObject */

static void
tess_chart_dispose (GObject *object)
{
  TessChart *self = TESS_CHART (object);

  if (self->prepare_cancellable)
    g_cancellable_cancel (self->prepare_cancellable);
  if (self->decimate_cancellable)
    g_cancellable_cancel (self->decimate_cancellable);
  g_clear_object (&self->prepare_cancellable);
  g_clear_object (&self->decimate_cancellable);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_pointer (&self->reset, gtk_widget_unparent);
  g_clear_pointer (&self->element, tess_element_unref);
  g_clear_pointer (&self->frame, tess_frame_unref);
  g_clear_pointer (&self->spec, g_variant_unref);
  g_clear_pointer (&self->data, tess_chart_data_unref);
  g_clear_pointer (&self->dec, tess_chart_decimation_unref);
  g_clear_pointer (&self->summary, g_free);
  g_clear_error (&self->error);
  drop_body (self);
  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_clear_pointer (&self->series_colors, g_free);
  g_clear_pointer (&self->series_hidden, g_free);
  G_OBJECT_CLASS (tess_chart_parent_class)->dispose (object);
}

static void
tess_chart_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TessChart *self = TESS_CHART (widget);
  int button_width, button_height;

  /* The reset button in the top right corner. */
  gtk_widget_measure (self->reset, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &button_width, NULL, NULL);
  gtk_widget_measure (self->reset, GTK_ORIENTATION_VERTICAL, button_width, NULL, &button_height, NULL, NULL);
  gtk_widget_size_allocate (
      self->reset,
      &(GtkAllocation){ MAX (width - button_width - RESET_MARGIN, 0), RESET_MARGIN, button_width, button_height }, -1);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
tess_chart_class_init (TessChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_chart_dispose;
  widget_class->measure = tess_chart_measure;
  widget_class->snapshot = tess_chart_snapshot;
  widget_class->size_allocate = tess_chart_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "tesschart");
  gtk_widget_class_install_action (widget_class, "chart.save-png", NULL, tess_chart_save_png_action_cb);
  gtk_widget_class_install_action (widget_class, "chart.save-svg", NULL, tess_chart_save_svg_action_cb);
  gtk_widget_class_install_action (widget_class, "chart.save-csv", NULL, tess_chart_save_csv_action_cb);
  gtk_widget_class_install_action (widget_class, "chart.copy-csv", NULL, tess_chart_copy_csv_action_cb);
  gtk_widget_class_install_action (widget_class, "chart.reset-zoom", NULL, tess_chart_reset_zoom_action_cb);
  gtk_widget_class_install_action (widget_class, "chart.zoom", "d", tess_chart_zoom_action_cb);
  gtk_widget_class_install_action (widget_class, "chart.pan", "d", tess_chart_pan_action_cb);
  gtk_widget_class_install_action (widget_class, "chart.menu", NULL, tess_chart_menu_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "chart.zoom", "d", 1 / 1.5);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "chart.zoom", "d", 1 / 1.5);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "chart.zoom", "d", 1 / 1.5);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "chart.zoom", "d", 1.5);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "chart.zoom", "d", 1.5);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.pan", "d", -0.1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.pan", "d", 0.1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "chart.reset-zoom", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "chart.reset-zoom", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "chart.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "chart.menu", NULL);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tess_chart_init (TessChart *self)
{
  GtkEventController *motion, *scroll;
  GtkGesture *drag, *click, *pinch;

  self->requested_height = 300;
  self->hover.series = -1;
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (tess_chart_pointer_motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (tess_chart_pointer_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (tess_chart_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  pinch = gtk_gesture_zoom_new ();
  g_signal_connect (pinch, "begin", G_CALLBACK (tess_chart_pinch_begin_cb), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (tess_chart_pinch_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (tess_chart_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (tess_chart_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (tess_chart_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (tess_chart_click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  /* Says that the chart is zoomed, and undoes it. */
  self->reset = gtk_button_new_with_label (_ ("Reset Zoom"));
  gtk_widget_add_css_class (self->reset, "osd");
  gtk_widget_set_tooltip_text (self->reset, _ ("Show all the data again (Home)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->reset), "chart.reset-zoom");
  gtk_widget_set_visible (self->reset, FALSE);
  gtk_widget_set_parent (self->reset, GTK_WIDGET (self));
}

/* Public */

GtkWidget *
tess_chart_new (void)
{
  return g_object_new (TESS_TYPE_CHART, NULL);
}

static void
set_frame_and_spec (TessChart *self, TessFrame *frame, GVariant *spec)
{
  gint32 height;

  if (frame == self->frame &&
      (spec == self->spec || (spec != NULL && self->spec != NULL && g_variant_equal (spec, self->spec))))
    return;
  if (frame != NULL)
    tess_frame_ref (frame);
  g_clear_pointer (&self->frame, tess_frame_unref);
  self->frame = frame;
  if (spec != NULL)
    g_variant_ref_sink (spec);
  g_clear_pointer (&self->spec, g_variant_unref);
  self->spec = spec;

  {
    const char *title = NULL, *kind = NULL;
    g_autofree char *label = NULL;

    if (spec != NULL)
      {
        g_variant_lookup (spec, "title", "&s", &title);
        g_variant_lookup (spec, "kind", "&s", &kind);
      }
    label = g_strdup_printf ("%s chart%s%s", kind ? kind : "line", title ? ": " : "", title ? title : "");
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
  if (!(spec != NULL && g_variant_lookup (spec, "height", "i", &height) && height > 0))
    height = 300;
  if (height != self->requested_height)
    {
      self->requested_height = height;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  if (frame == NULL)
    {
      g_clear_pointer (&self->data, tess_chart_data_unref);
      g_clear_pointer (&self->dec, tess_chart_decimation_unref);
      g_clear_error (&self->error);
    }
  start_prepare (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tess_chart_set_element (TessChart *self, TessElement *element)
{
  g_autoptr (GVariant) spec = NULL;

  g_return_if_fail (TESS_IS_CHART (self));
  TESS_ASSERT_MAIN_THREAD ();

  if (!tess_element_set (&self->element, element))
    return;
  if (element != NULL)
    spec = tess_element_lookup (element, "spec", G_VARIANT_TYPE_VARDICT);
  set_frame_and_spec (self, element ? tess_element_get_frame (element) : NULL, spec);
}

TessElement *
tess_chart_get_element (TessChart *self)
{
  g_return_val_if_fail (TESS_IS_CHART (self), NULL);
  return self->element;
}

void
tess_chart_set_frame (TessChart *self, TessFrame *frame, GVariant *spec)
{
  g_return_if_fail (TESS_IS_CHART (self));
  TESS_ASSERT_MAIN_THREAD ();
  set_frame_and_spec (self, frame, spec);
}

const char *
tess_chart_get_summary (TessChart *self)
{
  g_return_val_if_fail (TESS_IS_CHART (self), NULL);
  return self->summary;
}

TessChartData *
tess_chart_get_data (TessChart *self)
{
  g_return_val_if_fail (TESS_IS_CHART (self), NULL);
  return self->data;
}

const GError *
tess_chart_get_error (TessChart *self)
{
  g_return_val_if_fail (TESS_IS_CHART (self), NULL);
  return self->error;
}

gboolean
tess_chart_is_ready (TessChart *self)
{
  g_return_val_if_fail (TESS_IS_CHART (self), FALSE);
  return self->prepare_cancellable == NULL && self->decimate_cancellable == NULL;
}

TessChartDecimation *
tess_chart_get_decimation (TessChart *self)
{
  g_return_val_if_fail (TESS_IS_CHART (self), NULL);
  return self->dec;
}

void
tess_chart_set_view (TessChart *self, double x0, double x1)
{
  g_return_if_fail (TESS_IS_CHART (self));
  set_view (self, x0, x1);
}

void
tess_chart_get_view (TessChart *self, double *x0, double *x1)
{
  g_return_if_fail (TESS_IS_CHART (self));
  current_view (self, x0, x1);
}

void
tess_chart_select_range (TessChart *self, double from_x, double to_x)
{
  g_return_if_fail (TESS_IS_CHART (self));

  if (self->data == NULL || !self->have_layout || !(to_x > from_x))
    return;
  set_view (self, x_at (self, from_x), x_at (self, to_x));
}

void
tess_chart_reset_view (TessChart *self)
{
  g_return_if_fail (TESS_IS_CHART (self));

  if (!self->zoomed)
    return;
  self->zoomed = FALSE;
  gtk_widget_set_visible (self->reset, FALSE);
  update_hover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  request_decimation (self);
}

void
tess_chart_drop_cache (TessChart *self)
{
  g_return_if_fail (TESS_IS_CHART (self));

  drop_body (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
tess_chart_get_layout (TessChart *self, TessChartLayout *layout)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  TessChartTheme theme;
  double x0, x1;

  g_return_val_if_fail (TESS_IS_CHART (self), FALSE);

  if (self->data == NULL)
    return FALSE;
  get_theme (self, &theme);
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (surface);
  current_view (self, &x0, &x1);
  tess_chart_render (cr, self->data, self->dec, x0, x1, &theme, NULL, MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1),
                     MAX (gtk_widget_get_height (GTK_WIDGET (self)), 1), layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  self->layout = *layout;
  self->have_layout = TRUE;
  return TRUE;
}

gboolean
tess_chart_find_nearest (TessChart *self, double x, double y, int *series, gsize *index)
{
  TessChartLayout layout;

  g_return_val_if_fail (TESS_IS_CHART (self), FALSE);

  if (!tess_chart_get_layout (self, &layout))
    return FALSE;
  return tess_chart_hit_test (self->data, &layout, x, y, series, index);
}

void
tess_chart_hover (TessChart *self, double x, double y)
{
  g_return_if_fail (TESS_IS_CHART (self));

  self->pointer_x = x;
  self->pointer_y = y;
  if (x < 0)
    {
      self->hover.active = FALSE;
      self->hover.series = -1;
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  self->hover.active = TRUE;
  update_hover (self);
  /* a legend entry is a button: the pointer says so */
  {
    gboolean on_legend = self->have_layout && self->data != NULL && self->data->legend &&
                         tess_chart_legend_hit_test (&self->layout, x, y) >= 0;
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), on_legend ? "pointer" : NULL);
  }
}

/* The legend */

static const char *
series_name (TessChart *self, guint series)
{
  return ((TessChartSeries *) g_ptr_array_index (self->data->series, series))->name;
}

void
tess_chart_set_series_hidden (TessChart *self, const char *name, gboolean hidden)
{
  g_return_if_fail (TESS_IS_CHART (self));
  g_return_if_fail (name != NULL);

  if (hidden)
    g_hash_table_add (self->hidden, g_strdup (name));
  else
    g_hash_table_remove (self->hidden, name);
  /* the hover may be on a series that is no longer drawn */
  self->hover.series = -1;
  drop_body (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
tess_chart_is_series_hidden (TessChart *self, const char *name)
{
  g_return_val_if_fail (TESS_IS_CHART (self), FALSE);
  return name != NULL && g_hash_table_contains (self->hidden, name);
}

gboolean
tess_chart_click_legend (TessChart *self, double x, double y, gboolean isolate)
{
  int entry;
  guint n, shown = 0;

  g_return_val_if_fail (TESS_IS_CHART (self), FALSE);

  if (self->data == NULL || !self->data->legend || !self->have_layout)
    return FALSE;
  entry = tess_chart_legend_hit_test (&self->layout, x, y);
  n = self->data->series->len;
  if (entry < 0 || (guint) entry >= n)
    return FALSE;
  if (!isolate)
    {
      tess_chart_set_series_hidden (self, series_name (self, entry),
                                    !g_hash_table_contains (self->hidden, series_name (self, entry)));
      return TRUE;
    }
  /* alone; when it already is, everything again */
  for (guint s = 0; s < n; s++)
    if (!g_hash_table_contains (self->hidden, series_name (self, s)))
      shown++;
  if (shown == 1 && !g_hash_table_contains (self->hidden, series_name (self, entry)))
    g_hash_table_remove_all (self->hidden);
  else
    for (guint s = 0; s < n; s++)
      {
        if (s == (guint) entry)
          g_hash_table_remove (self->hidden, series_name (self, s));
        else
          g_hash_table_add (self->hidden, g_strdup (series_name (self, s)));
      }
  self->hover.series = -1;
  drop_body (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

guint
tess_chart_get_series_color (TessChart *self, guint series)
{
  TessChartTheme theme = { 0 };

  g_return_val_if_fail (TESS_IS_CHART (self), 0);
  g_return_val_if_fail (self->data != NULL && series < self->data->series->len, 0);

  fill_series_style (self, &theme);
  return theme.colors[series];
}
