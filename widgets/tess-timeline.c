/* tess-timeline.c: the run timeline panel.
 *
 * Finished runs come from the session's timeline and its run-finished signal;
 * runs in progress from the timeline (those running when the panel joins the
 * session) and from scope-updated (a scope pending or running, with the time
 * its run started), so a bar appears when a fragment is queued and grows
 * while it runs. Drawing walks the bars once per frame
 * only while something runs; otherwise the panel is static.
 *
 * A host that shows the runs' output tells the panel when each run's final
 * output reached the screen (tess_timeline_mark_shown()): a thin segment
 * after the bar is the delivery, from the run's end to its output shown.
 */
#include "tess-timeline.h"
#include "tess-thread-private.h"

#include <glib/gi18n.h>
#include <math.h>

#define PAD 8
#define ROW_HEIGHT 20
#define BAR_HEIGHT 12
#define HEADER_HEIGHT 24
#define AXIS_HEIGHT 22
#define LABEL_MAX 180
/* A session with run_every fragments runs forever; the panel keeps the
 * newest runs. */
#define MAX_BARS 2000

typedef struct
{
  char *fragment;
  double queued_ms;
  double start_ms; /* < 0: not started */
  double end_ms;   /* < 0: not finished */
  double shown_ms; /* < 0: its output not shown (yet) */
  guint serial;    /* the scope's run count for this run; 0: not known */
  TessTimelineState state;
  char *error;
} Bar;

struct _TessTimeline
{
  GtkWidget parent_instance;

  TessSession *session;
  GPtrArray *bars; /* Bar*, in order of queueing */
  GPtrArray *rows; /* char* fragment paths, in order of first appearance */
  guint tick_id;
  double label_width;
};

G_DEFINE_FINAL_TYPE (TessTimeline, tess_timeline, GTK_TYPE_WIDGET)

static void
bar_free (gpointer data)
{
  Bar *bar = data;

  g_free (bar->fragment);
  g_free (bar->error);
  g_free (bar);
}

static double
now_ms (TessTimeline *self)
{
  return self->session ? tess_session_get_elapsed_ms (self->session) : 0;
}

static gboolean
bar_is_live (const Bar *bar)
{
  return bar->state == TESS_TIMELINE_QUEUED || bar->state == TESS_TIMELINE_RUNNING;
}

static void
ensure_row (TessTimeline *self, const char *fragment)
{
  for (guint i = 0; i < self->rows->len; i++)
    if (g_str_equal (g_ptr_array_index (self->rows, i), fragment))
      return;
  g_ptr_array_add (self->rows, g_strdup (fragment));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static Bar *
find_live_bar (TessTimeline *self, const char *fragment)
{
  for (guint i = self->bars->len; i > 0; i--)
    {
      Bar *bar = g_ptr_array_index (self->bars, i - 1);
      if (bar_is_live (bar) && g_str_equal (bar->fragment, fragment))
        return bar;
    }
  return NULL;
}

static void
add_bar (TessTimeline *self, Bar *bar)
{
  if (self->bars->len >= MAX_BARS)
    g_ptr_array_remove_range (self->bars, 0, self->bars->len - MAX_BARS + 1);
  g_ptr_array_add (self->bars, bar);
}

static gboolean
tess_timeline_live_bars_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  TessTimeline *self = TESS_TIMELINE (widget);

  g_assert (TESS_IS_TIMELINE (widget));
  g_assert (GDK_IS_FRAME_CLOCK (clock));

  for (guint i = 0; i < self->bars->len; i++)
    if (bar_is_live (g_ptr_array_index (self->bars, i)))
      {
        gtk_widget_queue_draw (widget);
        return G_SOURCE_CONTINUE;
      }
  self->tick_id = 0;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

static void
ensure_ticking (TessTimeline *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tess_timeline_live_bars_tick_cb, NULL, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
apply_record (TessTimeline *self, const TessRunRecord *record)
{
  Bar *bar = find_live_bar (self, record->fragment);

  if (bar == NULL)
    {
      bar = g_new0 (Bar, 1);
      bar->fragment = g_strdup (record->fragment);
      bar->shown_ms = -1;
      add_bar (self, bar);
    }
  ensure_row (self, record->fragment);
  bar->serial = record->serial;
  bar->queued_ms = record->queued_ms;
  bar->start_ms = record->start_ms;
  bar->end_ms = record->end_ms;
  g_clear_pointer (&bar->error, g_free);
  bar->error = g_strdup (record->error);
  switch (record->status)
    {
    case TESS_RUN_OK:
      bar->state = TESS_TIMELINE_DONE;
      break;
    case TESS_RUN_ERROR:
      bar->state = TESS_TIMELINE_ERROR;
      break;
    case TESS_RUN_RUNNING:
      /* In the session's timeline when the panel joins it: live until run-finished. */
      bar->state = record->start_ms >= 0 ? TESS_TIMELINE_RUNNING : TESS_TIMELINE_QUEUED;
      ensure_ticking (self);
      break;
    case TESS_RUN_CANCELLED:
    default:
      bar->state = TESS_TIMELINE_CANCELLED;
      break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tess_timeline_run_finished_cb (TessSession *session, const TessRunRecord *record, TessTimeline *self)
{
  g_assert (TESS_IS_SESSION (session));
  g_assert (TESS_IS_TIMELINE (self));

  apply_record (self, record);
}

static void
tess_timeline_scope_updated_cb (TessSession *session, const TessScopeUpdate *update, TessTimeline *self)
{
  Bar *bar;
  double now;

  g_assert (TESS_IS_SESSION (session));
  g_assert (TESS_IS_TIMELINE (self));

  if (update->state != TESS_SCOPE_PENDING && update->state != TESS_SCOPE_RUNNING)
    return;
  now = now_ms (self);
  bar = find_live_bar (self, update->path);
  if (bar == NULL)
    {
      bar = g_new0 (Bar, 1);
      bar->fragment = g_strdup (update->path);
      bar->queued_ms = now;
      bar->start_ms = -1;
      bar->end_ms = -1;
      bar->shown_ms = -1;
      bar->serial = update->run_count;
      bar->state = TESS_TIMELINE_QUEUED;
      add_bar (self, bar);
      ensure_row (self, update->path);
    }
  if (update->started_us > 0 && bar->start_ms < 0)
    {
      bar->start_ms = MAX (bar->queued_ms, now - (g_get_monotonic_time () - update->started_us) / 1000.0);
      bar->state = TESS_TIMELINE_RUNNING;
    }
  ensure_ticking (self);
}

static void
tess_timeline_scope_removed_cb (TessSession *session, const char *path, TessTimeline *self)
{
  g_assert (TESS_IS_SESSION (session));
  g_assert (TESS_IS_TIMELINE (self));

  /* A removed fragment's live bar will never finish. */
  Bar *bar = find_live_bar (self, path);

  if (bar)
    {
      bar->state = TESS_TIMELINE_CANCELLED;
      bar->end_ms = now_ms (self);
      if (bar->start_ms < 0)
        bar->start_ms = bar->end_ms;
    }
}

/* Layout and drawing */

static const char *
row_label (const char *fragment)
{
  return *fragment ? fragment : _ ("dashboard");
}

static void
state_color (TessTimelineState state, GdkRGBA *color)
{
  switch (state)
    {
    case TESS_TIMELINE_QUEUED:
      gdk_rgba_parse (color, "rgba(154, 153, 150, 0.45)");
      break;
    case TESS_TIMELINE_RUNNING:
      gdk_rgba_parse (color, "#3584e4");
      break;
    case TESS_TIMELINE_DONE:
      gdk_rgba_parse (color, "#2ec27e");
      break;
    case TESS_TIMELINE_ERROR:
      gdk_rgba_parse (color, "#e01b24");
      break;
    default:
      gdk_rgba_parse (color, "#9a9996");
      break;
    }
}

/* The delivery: from a run's end until its output was on screen. */
static void
shown_color (GdkRGBA *color)
{
  gdk_rgba_parse (color, "#9141ac");
}

static double
nice_step (double span_ms, int max_ticks)
{
  double raw = span_ms / MAX (max_ticks, 1);
  double magnitude = pow (10, floor (log10 (MAX (raw, 1e-3))));
  const double factors[] = { 1, 2, 2.5, 5, 10 };

  for (guint i = 0; i < G_N_ELEMENTS (factors); i++)
    if (factors[i] * magnitude >= raw)
      return factors[i] * magnitude;
  return 10 * magnitude;
}

static char *
format_ms (double ms)
{
  if (ms == 0)
    return g_strdup ("0");
  if (ms < 1000)
    return g_strdup_printf ("%.0f ms", ms);
  return g_strdup_printf ("%.*f s", ms < 10000 && fmod (ms, 1000) != 0 ? 2 : 0, ms / 1000);
}

static double
span_ms (TessTimeline *self)
{
  double span = 1;
  double now = now_ms (self);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = g_ptr_array_index (self->bars, i);
      span = MAX (span, bar_is_live (bar) ? now : MAX (bar->end_ms, bar->shown_ms));
    }
  return span;
}

char *
tess_timeline_get_summary (TessTimeline *self)
{
  double work = 0, first = G_MAXDOUBLE, last = 0, now;
  guint runs = 0, errors = 0, live = 0;

  g_return_val_if_fail (TESS_IS_TIMELINE (self), NULL);

  now = now_ms (self);
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = g_ptr_array_index (self->bars, i);
      double end = bar_is_live (bar) ? now : bar->end_ms;
      runs++;
      if (bar->state == TESS_TIMELINE_ERROR)
        errors++;
      if (bar_is_live (bar))
        live++;
      first = MIN (first, bar->queued_ms);
      last = MAX (last, end);
      /* The dashboard's own run mostly waits for its fragments: count fragments' work. */
      if (*bar->fragment && bar->start_ms >= 0)
        work += MAX (0, end - bar->start_ms);
    }
  if (runs == 0)
    return g_strdup (_ ("No runs yet"));

  double wall = MAX (last - first, 0.001);
  g_autofree char *wall_text = format_ms (wall);
  g_autofree char *work_text = format_ms (work);
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u run", "%u runs", runs), runs);
  g_string_append_printf (out, " · %s · %s %s", wall_text, work_text, _ ("of work"));
  if (work > wall * 1.05)
    g_string_append_printf (out, " · %.1f× %s", work / wall, _ ("parallel"));
  if (errors)
    g_string_append_printf (out, " · %s%u", _ ("errors: "), errors);
  if (live)
    g_string_append_printf (out, " · %s%u", _ ("in progress: "), live);
  return g_string_free (out, FALSE);
}

static PangoLayout *
make_layout (TessTimeline *self, const char *text)
{
  return gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
}

static void
draw_text (GtkSnapshot *snapshot, PangoLayout *layout, double x, double y, const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
tess_timeline_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  TessTimeline *self = TESS_TIMELINE (widget);
  int width = gtk_widget_get_width (widget);
  GdkRGBA fg, dim, grid;
  double span = span_ms (self), now = now_ms (self);
  double x0, x1, step;
  double label_width = 0;
  g_autofree char *summary = tess_timeline_get_summary (self);
  g_autoptr (PangoLayout) summary_layout = make_layout (self, summary);

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  dim = fg;
  dim.alpha *= 0.6;
  grid = fg;
  grid.alpha *= 0.12;

  draw_text (snapshot, summary_layout, PAD, PAD, &fg);

  /* Legend, right-aligned on the header line. */
  {
    /* The last entry (-1) is the delivery. */
    static const int states[] = { TESS_TIMELINE_QUEUED, TESS_TIMELINE_RUNNING, TESS_TIMELINE_DONE, TESS_TIMELINE_ERROR,
                                  -1 };
    const char *names[] = { _ ("queued"), _ ("running"), _ ("done"), _ ("error"), _ ("until shown") };
    double x = width - PAD;
    for (int i = G_N_ELEMENTS (states) - 1; i >= 0; i--)
      {
        g_autoptr (PangoLayout) layout = make_layout (self, names[i]);
        int w, h;
        GdkRGBA color;
        pango_layout_get_pixel_size (layout, &w, &h);
        x -= w;
        draw_text (snapshot, layout, x, PAD, &dim);
        x -= 14;
        if (states[i] < 0)
          shown_color (&color);
        else
          state_color (states[i], &color);
        gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x, PAD + (h - 10) / 2.0, 10, 10));
        x -= 10;
      }
  }

  for (guint r = 0; r < self->rows->len; r++)
    {
      g_autoptr (PangoLayout) layout = make_layout (self, row_label (g_ptr_array_index (self->rows, r)));
      int w, h;
      pango_layout_get_pixel_size (layout, &w, &h);
      label_width = MAX (label_width, w);
    }
  label_width = MIN (label_width, LABEL_MAX) + 2 * PAD;
  x0 = label_width;
  x1 = MAX (x0 + 10, width - PAD);

  /* Grid and axis */
  step = nice_step (span, MAX (2, (int) ((x1 - x0) / 90)));
  double top = PAD + HEADER_HEIGHT;
  double bottom = top + self->rows->len * ROW_HEIGHT;
  for (double t = 0; t <= span + step * 0.001; t += step)
    {
      double x = x0 + (x1 - x0) * t / span;
      g_autofree char *text = format_ms (t);
      g_autoptr (PangoLayout) layout = make_layout (self, text);
      int w, h;
      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (x, top, 1, bottom - top));
      pango_layout_get_pixel_size (layout, &w, &h);
      draw_text (snapshot, layout, MIN (x - w / 2.0, x1 - w), bottom + 4, &dim);
      if (x1 - x0 < 40)
        break;
    }

  /* Rows */
  for (guint r = 0; r < self->rows->len; r++)
    {
      const char *fragment = g_ptr_array_index (self->rows, r);
      g_autoptr (PangoLayout) layout = make_layout (self, row_label (fragment));
      double y = top + r * ROW_HEIGHT;
      int w, h;

      pango_layout_set_width (layout, (int) ((label_width - 2 * PAD) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_START);
      pango_layout_get_pixel_size (layout, &w, &h);
      draw_text (snapshot, layout, PAD, y + (ROW_HEIGHT - h) / 2.0, *fragment ? &fg : &dim);

      for (guint i = 0; i < self->bars->len; i++)
        {
          Bar *bar = g_ptr_array_index (self->bars, i);
          double by = y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
          double start, end;
          GdkRGBA color;

          if (!g_str_equal (bar->fragment, fragment))
            continue;
          end = bar_is_live (bar) ? now : bar->end_ms;
          start = bar->start_ms >= 0 ? bar->start_ms : end;
          /* Queued: the wait for a worker, drawn thin. */
          if (start > bar->queued_ms)
            {
              state_color (TESS_TIMELINE_QUEUED, &color);
              double qx = x0 + (x1 - x0) * bar->queued_ms / span;
              double sx = x0 + (x1 - x0) * start / span;
              gtk_snapshot_append_color (snapshot, &color,
                                         &GRAPHENE_RECT_INIT (qx, by + 3, MAX (sx - qx, 1), BAR_HEIGHT - 6));
            }
          if (bar->start_ms >= 0)
            {
              double sx = x0 + (x1 - x0) * start / span;
              double ex = x0 + (x1 - x0) * end / span;
              state_color (bar->state, &color);
              gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (sx, by, MAX (ex - sx, 2), BAR_HEIGHT));
            }
          /* Delivered: a thin segment from the end to the output shown. */
          if (!bar_is_live (bar) && bar->shown_ms >= bar->end_ms && bar->end_ms >= 0)
            {
              double ex = x0 + (x1 - x0) * bar->end_ms / span;
              double wx = x0 + (x1 - x0) * bar->shown_ms / span;
              shown_color (&color);
              gtk_snapshot_append_color (snapshot, &color,
                                         &GRAPHENE_RECT_INIT (ex, by + 4, MAX (wx - ex, 1), BAR_HEIGHT - 8));
            }
        }
    }
}

static void
tess_timeline_measure (GtkWidget *widget,
                       GtkOrientation orientation,
                       int for_size,
                       int *minimum,
                       int *natural,
                       int *minimum_baseline,
                       int *natural_baseline)
{
  TessTimeline *self = TESS_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 720;
    }
  else
    {
      *minimum = *natural = 2 * PAD + HEADER_HEIGHT + MAX (self->rows->len, 1) * ROW_HEIGHT + AXIS_HEIGHT;
    }
}

static gboolean
tess_timeline_query_tooltip_cb (
    GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, gpointer user_data)
{
  TessTimeline *self = TESS_TIMELINE (widget);
  double top = PAD + HEADER_HEIGHT;
  int row = (int) floor ((y - top) / ROW_HEIGHT);
  g_autoptr (GString) text = NULL;

  g_assert (TESS_IS_TIMELINE (widget));
  g_assert (GTK_IS_TOOLTIP (tooltip));

  if (keyboard || y < top || row < 0 || (guint) row >= self->rows->len)
    return FALSE;
  const char *fragment = g_ptr_array_index (self->rows, row);
  text = g_string_new (NULL);
  g_string_append_printf (text, "<b>%s</b>", row_label (fragment));
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = g_ptr_array_index (self->bars, i);
      if (!g_str_equal (bar->fragment, fragment))
        continue;
      double end = bar_is_live (bar) ? now_ms (self) : bar->end_ms;
      double wait = (bar->start_ms >= 0 ? bar->start_ms : end) - bar->queued_ms;
      double ran = bar->start_ms >= 0 ? end - bar->start_ms : 0;
      g_autofree char *escaped = bar->error ? g_markup_escape_text (bar->error, -1) : NULL;
      g_autofree char *shown = NULL;

      if (!bar_is_live (bar) && bar->shown_ms >= 0)
        /* Translators: how long after a run ended its output was on screen */
        shown = g_strdup_printf (_ (", shown %.0f ms later"), MAX (bar->shown_ms - bar->end_ms, 0));
      g_string_append_printf (text, "\n%s %.0f ms, %s %.0f ms%s%s%s", _ ("waited"), MAX (wait, 0), _ ("ran"), ran,
                              shown ? shown : "", escaped ? ": " : "", escaped ? escaped : "");
    }
  gtk_tooltip_set_markup (tooltip, text->str);
  return TRUE;
}

static void
tess_timeline_dispose (GObject *object)
{
  TessTimeline *self = TESS_TIMELINE (object);

  tess_timeline_set_session (self, NULL);
  if (self->tick_id)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  G_OBJECT_CLASS (tess_timeline_parent_class)->dispose (object);
}

static void
tess_timeline_finalize (GObject *object)
{
  TessTimeline *self = TESS_TIMELINE (object);

  g_ptr_array_unref (self->bars);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (tess_timeline_parent_class)->finalize (object);
}

static void
tess_timeline_class_init (TessTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_timeline_dispose;
  object_class->finalize = tess_timeline_finalize;
  widget_class->snapshot = tess_timeline_snapshot;
  widget_class->measure = tess_timeline_measure;
  gtk_widget_class_set_css_name (widget_class, "tess-timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tess_timeline_init (TessTimeline *self)
{
  self->bars = g_ptr_array_new_with_free_func (bar_free);
  self->rows = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (tess_timeline_query_tooltip_cb), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Run timeline"), -1);
}

GtkWidget *
tess_timeline_new (void)
{
  return g_object_new (TESS_TYPE_TIMELINE, NULL);
}

void
tess_timeline_clear (TessTimeline *self)
{
  g_return_if_fail (TESS_IS_TIMELINE (self));
  TESS_ASSERT_MAIN_THREAD ();

  g_ptr_array_set_size (self->bars, 0);
  g_ptr_array_set_size (self->rows, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tess_timeline_set_session (TessTimeline *self, TessSession *session)
{
  g_return_if_fail (TESS_IS_TIMELINE (self));
  g_return_if_fail (session == NULL || TESS_IS_SESSION (session));
  TESS_ASSERT_MAIN_THREAD ();

  if (self->session == session)
    return;
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  tess_timeline_clear (self);
  if (session == NULL)
    return;

  g_autoptr (GPtrArray) records = tess_session_get_timeline (session);
  for (guint i = 0; i < records->len; i++)
    apply_record (self, g_ptr_array_index (records, i));
  g_signal_connect (session, "run-finished", G_CALLBACK (tess_timeline_run_finished_cb), self);
  g_signal_connect (session, "scope-updated", G_CALLBACK (tess_timeline_scope_updated_cb), self);
  g_signal_connect (session, "scope-removed", G_CALLBACK (tess_timeline_scope_removed_cb), self);
}

TessSession *
tess_timeline_get_session (TessTimeline *self)
{
  g_return_val_if_fail (TESS_IS_TIMELINE (self), NULL);
  return self->session;
}

guint
tess_timeline_get_n_rows (TessTimeline *self)
{
  g_return_val_if_fail (TESS_IS_TIMELINE (self), 0);
  return self->rows->len;
}

guint
tess_timeline_get_n_bars (TessTimeline *self)
{
  g_return_val_if_fail (TESS_IS_TIMELINE (self), 0);
  return self->bars->len;
}

guint
tess_timeline_count_state (TessTimeline *self, TessTimelineState state)
{
  guint n = 0;

  g_return_val_if_fail (TESS_IS_TIMELINE (self), 0);
  for (guint i = 0; i < self->bars->len; i++)
    if (((Bar *) g_ptr_array_index (self->bars, i))->state == state)
      n++;
  return n;
}

/* The bar of @fragment's run @serial, or its latest finished one. */
static Bar *
find_finished_bar (TessTimeline *self, const char *fragment, guint serial)
{
  Bar *latest = NULL;

  for (guint i = self->bars->len; i > 0; i--)
    {
      Bar *bar = g_ptr_array_index (self->bars, i - 1);

      if (bar_is_live (bar) || !g_str_equal (bar->fragment, fragment))
        continue;
      if (bar->serial == serial)
        return bar;
      if (latest == NULL)
        latest = bar;
    }
  return latest;
}

void
tess_timeline_mark_shown (TessTimeline *self, const char *fragment, guint serial, double shown_ms)
{
  Bar *bar;

  g_return_if_fail (TESS_IS_TIMELINE (self));
  g_return_if_fail (fragment != NULL);
  TESS_ASSERT_MAIN_THREAD ();

  bar = find_finished_bar (self, fragment, serial);
  if (bar == NULL || bar->shown_ms >= 0)
    return;
  bar->shown_ms = MAX (shown_ms, bar->end_ms);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
tess_timeline_get_delivery_ms (TessTimeline *self, const char *fragment)
{
  Bar *bar;

  g_return_val_if_fail (TESS_IS_TIMELINE (self), -1);
  g_return_val_if_fail (fragment != NULL, -1);

  bar = find_finished_bar (self, fragment, 0);
  if (bar == NULL || bar->shown_ms < 0 || bar->end_ms < 0)
    return -1;
  return bar->shown_ms - bar->end_ms;
}
