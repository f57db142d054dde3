/* tess-dashboard-view.c: session signals in, updates on screen within a few frames.
 *
 * Updates are coalesced per scope path (only the newest matters) in arrival
 * order. While the view is mapped they are applied by a tick callback, in
 * the update phase of a frame, so they are laid out and painted in that same
 * frame. Each frame applies as much as keeps the whole frame (update, layout
 * and paint, before-paint to after-paint on the frame clock) within the
 * frame interval: a dashboard whose runs are done is on screen a few frames
 * later, and no frame runs long.
 *
 * What applying costs is only the start: the styling, layout and paint of
 * the new and changed widgets follow in the same frame, several times over
 * in software rendering. So the view keeps a model of its frames,
 *
 *   frame = base + applied × (1 + overhead)
 *
 * where base is what a frame costs with nothing applied (spinners, the rest
 * of the window) and overhead is what each microsecond of applying brings
 * after it; both are learned from the frames as they are painted, and the
 * share of the next frame spent applying is what keeps that frame within
 * FRAME_GOAL of its interval. Fast renderers get big shares, slow ones
 * smaller ones, never less than MIN_SHARE of the interval, so a renderer
 * slow at everything still makes progress every frame.
 *
 * Once the session is idle (its runs are done) nothing more is coming:
 * what is left is applied within CATCH_UP_FRAMES frames, the last of them
 * taking whatever remains, so a finished dashboard is whole on screen a few
 * frames after its runs, however slow the machine.
 *
 * A scope update applied in a frame is shown at that frame's after-paint
 * (::scope-shown); a batch of runs, from its first update to its last one
 * shown, gives the header its two figures: how long the runs took and how
 * long until the window showed them.
 *
 * Unmapped, an idle source below redraw applies updates a budget at a time,
 * and so does a timeout when a mapped window's frames stop coming.
 *
 * A batch leaves the main thread's heap holding what its updates freed
 * (old widgets, element trees, layouts); once the view has been idle for
 * TRIM_AFTER_IDLE_S, that memory goes back to the system, once per batch.
 * A live dashboard whose output does not change makes no batches, but its
 * runs still free what their workers made: when its session goes idle,
 * the heaps are trimmed too, at most once every TRIM_INTERVAL_S.
 */
#include "tess-dashboard-view.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tess-thread-private.h"

/* The part of the frame interval a frame that applies updates aims at,
 * everything included: the rest is the slack for a misjudged frame and for
 * the machine's other work, so that frames stay within the interval even
 * when their cost varies by half. And the least part of the interval spent
 * applying updates. */
#define FRAME_GOAL 0.5
#define MIN_SHARE 0.01
/* Frames after the session went idle by which everything is applied. */
#define CATCH_UP_FRAMES 3
/* The frame interval when the frame clock does not know it. */
#define DEFAULT_INTERVAL_US 16667
/* Without a frame clock (unmapped, or frames stopped): per turn. */
#define UNPAINTED_BUDGET_US 8000
/* Seconds after a batch before the heap's free memory is given back, and
 * the least time between two trims that no batch asked for. */
#define TRIM_AFTER_IDLE_S 2
#define TRIM_INTERVAL_S 60

struct _TessDashboardView
{
  GtkWidget parent_instance;

  TessSession *session;
  TessReconciler *reconciler;
  GtkWidget *flap;
  GtkWidget *sidebar_scroller;
  GtkWidget *sidebar;
  GtkWidget *main_box;
  TessSlot *root_slot;

  GHashTable *pending; /* path -> PendingUpdate */
  GQueue order;        /* paths, owned by pending's entries */
  guint drain_id;      /* idle source, while the view is not mapped */
  guint tick_id;       /* tick callback, while it is */
  guint fallback_id;   /* drains when frames stop coming (a hidden window) */
  guint trim_id;       /* gives the heap's free memory back, after a batch */
  gint64 trimmed_us;   /* when it last did */
  gint64 last_tick_us;

  /* The frame model (see the top of this file). */
  GdkFrameClock *frame_clock; /* watched while mapped */
  gint64 frame_start_us;      /* this frame's before-paint; 0 between frames */
  double frame_applied_us;    /* spent applying updates in this frame */
  double base_us;             /* a frame with nothing applied */
  double overhead;            /* layout and paint per µs of applying */
  GArray *painting;           /* ShownScope: applied in this frame, shown at its after-paint */
  guint idle_frames;          /* frames that applied updates since the session went idle */
  gboolean first_frame;       /* mapped, the first frame not painted yet */

  /* The batch: from the first update after idle to its last one on screen.
   * Times are the session's (ms since it started), as its run records are. */
  gboolean session_idle;
  gboolean busy;
  double batch_first_queued_ms;
  double batch_last_end_ms;
  double last_shown_at_ms; /* the last applied update reached the screen */
  gboolean paint_pending;  /* updates applied in a frame not painted yet */
  double last_run_ms;
  double last_shown_ms;
  /* Runs that finished while no batch was under way. The updates they sent,
   * if any, start the next batch, which counts from them; a run whose output
   * changed nothing (a live refresh of the same data) sends none, and its
   * record is forgotten when the session goes idle: it is no batch, and the
   * header says nothing of it. */
  gboolean has_early;
  double early_first_queued_ms;
  double early_last_end_ms;
  guint n_running;
  gboolean has_sidebar;
};

G_DEFINE_FINAL_TYPE (TessDashboardView, tess_dashboard_view, GTK_TYPE_WIDGET)

/* The scrolled page: one child, which it passes every measure to but one.
 * A scrolled window asks its child's height for no particular width (that
 * is, at its minimum width) and, scrolling vertically, never uses the
 * answer; for a dashboard it means laying out every changed label at its
 * narrowest, on each relayout. The page answers with the height at its
 * current width, which the viewport has just measured. */
#define TESS_TYPE_DASHBOARD_PAGE (tess_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (TessDashboardPage, tess_dashboard_page, TESS, DASHBOARD_PAGE, GtkWidget)

struct _TessDashboardPage
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TessDashboardPage, tess_dashboard_page, GTK_TYPE_WIDGET)

static void
tess_dashboard_page_measure (GtkWidget *widget,
                             GtkOrientation orientation,
                             int for_size,
                             int *minimum,
                             int *natural,
                             int *minimum_baseline,
                             int *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  *minimum = *natural = 0;
  if (child == NULL || !gtk_widget_should_layout (child))
    return;
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size < 0)
    {
      for_size = gtk_widget_get_width (widget);
      if (for_size <= 0)
        return;
    }
  gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
}

static void
tess_dashboard_page_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static GtkSizeRequestMode
tess_dashboard_page_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tess_dashboard_page_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tess_dashboard_page_parent_class)->dispose (object);
}

static void
tess_dashboard_page_class_init (TessDashboardPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tess_dashboard_page_dispose;
  widget_class->measure = tess_dashboard_page_measure;
  widget_class->size_allocate = tess_dashboard_page_size_allocate;
  widget_class->get_request_mode = tess_dashboard_page_get_request_mode;
}

static void
tess_dashboard_page_init (TessDashboardPage *self)
{
}

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  PROP_N_RUNNING,
  PROP_LAST_RUN_MS,
  PROP_LAST_SHOWN_MS,
  PROP_HAS_SIDEBAR,
  PROP_REVEAL_SIDEBAR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_IDLE,
  SIGNAL_UPDATE_APPLIED,
  SIGNAL_SCOPE_SHOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *path;
  TessScopeState state;
  TessElement *root;
  guint n_fresh;
  GError *error;
  char *status;
  double progress;
  guint run_count;
  gint64 started_us;
} PendingUpdate;

/* A final update (done, failed, cancelled) applied in the current frame. */
typedef struct
{
  char *path;
  guint run_count;
} ShownScope;

static void
shown_scope_clear (ShownScope *shown)
{
  g_clear_pointer (&shown->path, g_free);
}

static void
pending_update_free (PendingUpdate *pending)
{
  g_free (pending->path);
  g_clear_pointer (&pending->root, tess_element_unref);
  g_clear_error (&pending->error);
  g_free (pending->status);
  g_free (pending);
}

static void
pending_update_set (PendingUpdate *pending, const TessScopeUpdate *update)
{
  g_clear_pointer (&pending->root, tess_element_unref);
  g_clear_error (&pending->error);
  g_clear_pointer (&pending->status, g_free);
  pending->state = update->state;
  pending->root = update->root != NULL ? tess_element_ref (update->root) : NULL;
  pending->n_fresh = update->n_fresh;
  pending->error = update->error != NULL ? g_error_copy (update->error) : NULL;
  pending->status = g_strdup (update->status);
  pending->progress = update->progress;
  pending->run_count = update->run_count;
  pending->started_us = update->started_us;
}

static const char style_sheet[] =
    ".tess-stale { opacity: 0.45; transition: opacity 150ms ease-out; }\n"
    /* Dimmed text by its colour: dim-label's opacity costs an offscreen
     * group per label in software rendering. */
    ".tess-dim { color: alpha(currentColor, 0.55); }\n"
    "tess-slot .tess-error-card, .tess-callout, .tess-code { padding: 12px; }\n"
    /* A rerun's status, floating over the stale content, and a failed
     * refresh's badge, over the output it kept. */
    "tess-slot > .tess-slot-pending.tess-floating, tess-slot > .tess-error-badge {"
    " background-color: @popover_bg_color; color: @popover_fg_color;"
    " border-radius: 8px; padding: 6px 10px; margin: 4px; box-shadow: 0 1px 4px alpha(black, 0.25); }\n"
    ".tess-callout-error { background-color: alpha(@error_color, 0.12); }\n"
    ".tess-callout-warning { background-color: alpha(@warning_color, 0.14); }\n"
    ".tess-callout-info { background-color: alpha(@accent_color, 0.10); }\n"
    ".tess-callout-success { background-color: alpha(@success_color, 0.12); }\n"
    ".tess-md-quote { border-left: 3px solid alpha(currentColor, 0.25); padding-left: 12px; }\n"
    "tess-markdown .tess-code { padding: 8px 12px; }\n"
    ".tess-metric-delta { font-weight: bold; }\n"
    ".tess-sidebar { padding: 18px; }\n"
    ".tess-dashboard-main { padding: 24px 32px; }\n"
    "tess-dashboard .tess-sidebar-scroller { background-color: @view_bg_color; }\n"
    ".tess-input-label { font-weight: bold; }\n"
    "button.tess-chip { border-radius: 999px; padding: 2px 12px; min-height: 24px; }\n"
    "button.tess-chip:checked { background-color: @accent_bg_color; color: @accent_fg_color; }\n"
    "flowboxchild { padding: 0; }\n"
    ".tess-tabs > stack { padding: 12px; }\n"
    /* The keyboard's focus on a chart: drawn custom widgets get no ring from
     * the theme. */
    "tesschart:focus-visible { outline: 2px solid alpha(@accent_color, 0.6); outline-offset: -2px;"
    " border-radius: 6px; }\n";

void
tess_widgets_load_style (GdkDisplay *display)
{
  static GHashTable *done;
  g_autoptr (GtkCssProvider) provider = NULL;

  g_return_if_fail (GDK_IS_DISPLAY (display));
  TESS_ASSERT_MAIN_THREAD ();

  if (done == NULL)
    done = g_hash_table_new (NULL, NULL);
  if (g_hash_table_contains (done, display))
    return;
  g_hash_table_add (done, display);
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, style_sheet, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static double
session_now_ms (TessDashboardView *self)
{
  return self->session != NULL ? tess_session_get_elapsed_ms (self->session) : 0;
}

/* Main thread only. */
static gboolean
tess_dashboard_view_trim_timeout_cb (gpointer user_data)
{
  TessDashboardView *self = user_data;

  g_assert (TESS_IS_DASHBOARD_VIEW (self));
  TESS_ASSERT_MAIN_THREAD ();

  self->trim_id = 0;
  self->trimmed_us = g_get_monotonic_time ();
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

static void
set_busy (TessDashboardView *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_clear_handle_id (&self->trim_id, g_source_remove);
  if (!busy)
    self->trim_id = g_timeout_add_seconds (TRIM_AFTER_IDLE_S, tess_dashboard_view_trim_timeout_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* A batch starts with the first update after idle. Its runs' records (and,
 * should none finish, the update itself) say when its work began. */
static void
start_batch (TessDashboardView *self)
{
  if (self->busy)
    return;
  self->batch_first_queued_ms = session_now_ms (self);
  self->batch_last_end_ms = -1;
  if (self->has_early)
    {
      self->batch_first_queued_ms = MIN (self->batch_first_queued_ms, self->early_first_queued_ms);
      self->batch_last_end_ms = self->early_last_end_ms;
      self->has_early = FALSE;
    }
  set_busy (self, TRUE);
}

static void
refresh_n_running (TessDashboardView *self)
{
  guint n = self->session != NULL ? tess_session_get_n_running (self->session) : 0;

  if (n != self->n_running)
    {
      self->n_running = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
    }
}

static void
refresh_sidebar (TessDashboardView *self)
{
  gboolean has = gtk_widget_get_first_child (self->sidebar) != NULL;

  if (has == self->has_sidebar)
    return;
  self->has_sidebar = has;
  gtk_widget_set_visible (self->sidebar_scroller, has);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SIDEBAR]);
}

/* The batch is over once the session is idle and everything it sent is on
 * screen: the header learns how long its runs took and how long until they
 * were shown, and ::idle is emitted. */
static void
maybe_finish_batch (TessDashboardView *self)
{
  if (!self->session_idle || self->order.length > 0 || self->paint_pending)
    return;
  self->session_idle = FALSE;
  refresh_n_running (self);
  if (self->busy)
    {
      double end = self->batch_last_end_ms >= 0 ? self->batch_last_end_ms : self->last_shown_at_ms;

      self->last_run_ms = MAX (end - self->batch_first_queued_ms, 0);
      self->last_shown_ms = MAX (self->last_shown_at_ms - self->batch_first_queued_ms, self->last_run_ms);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_RUN_MS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SHOWN_MS]);
      set_busy (self, FALSE);
    }
  g_signal_emit (self, signals[SIGNAL_IDLE], 0);
}

static gboolean
is_final (TessScopeState state)
{
  return state == TESS_SCOPE_DONE || state == TESS_SCOPE_ERROR || state == TESS_SCOPE_CANCELLED;
}

/* Updates applied in this frame are on screen: tell who waits for them. */
static void
announce_shown (TessDashboardView *self)
{
  g_autoptr (GArray) shown = g_steal_pointer (&self->painting);

  self->painting = g_array_new (FALSE, TRUE, sizeof (ShownScope));
  g_array_set_clear_func (self->painting, (GDestroyNotify) shown_scope_clear);
  self->last_shown_at_ms = session_now_ms (self);
  self->paint_pending = FALSE;
  for (guint i = 0; i < shown->len; i++)
    {
      ShownScope *scope = &g_array_index (shown, ShownScope, i);
      g_signal_emit (self, signals[SIGNAL_SCOPE_SHOWN], 0, scope->path, scope->run_count, self->last_shown_at_ms);
    }
}

/* Applies queued updates for about @budget_us (at least one; negative: all
 * of them); TRUE when some are left. In a frame, what it applied is shown at
 * the frame's after-paint; outside one (unmapped, or frames stopped), at once. */
static gboolean
drain_some (TessDashboardView *self, double budget_us)
{
  gint64 deadline = budget_us < 0 ? 0 : g_get_monotonic_time () + (gint64) budget_us;
  gboolean in_frame = self->frame_start_us != 0;

  do
    {
      char *path = g_queue_peek_head (&self->order);
      PendingUpdate *pending;
      TessScopeUpdate update;

      if (path == NULL)
        break;
      pending = g_hash_table_lookup (self->pending, path);
      update = (TessScopeUpdate){
        .path = pending->path,
        .state = pending->state,
        .root = pending->root,
        .n_fresh = pending->n_fresh,
        .error = pending->error,
        .status = pending->status,
        .progress = pending->progress,
        .run_count = pending->run_count,
        .started_us = pending->started_us,
      };
      if (!tess_reconciler_apply_update_within (self->reconciler, &update, deadline))
        break; /* the rest of this scope's new widgets come next frame */
      g_queue_pop_head (&self->order);
      g_hash_table_steal (self->pending, path);
      if (is_final (pending->state))
        {
          ShownScope shown = { g_strdup (pending->path), pending->run_count };
          g_array_append_val (self->painting, shown);
        }
      self->paint_pending = TRUE;
      g_signal_emit (self, signals[SIGNAL_UPDATE_APPLIED], 0, pending->path);
      pending_update_free (pending);
    }
  while (deadline == 0 || g_get_monotonic_time () < deadline);

  /* Any scope may hold the sidebar. */
  refresh_sidebar (self);
  refresh_n_running (self);
  if (!in_frame && self->paint_pending)
    announce_shown (self);
  if (self->order.length > 0)
    return TRUE;
  maybe_finish_batch (self);
  return FALSE;
}

static void schedule_drain (TessDashboardView *self);

static double
frame_interval_us (GdkFrameClock *clock)
{
  gint64 interval = 0;

  gdk_frame_clock_get_refresh_info (clock, gdk_frame_clock_get_frame_time (clock), &interval, NULL);
  return interval > 0 ? (double) interval : DEFAULT_INTERVAL_US;
}

static void
tess_dashboard_view_frame_before_paint_cb (GdkFrameClock *clock, TessDashboardView *self)
{
  g_assert (GDK_IS_FRAME_CLOCK (clock));
  g_assert (TESS_IS_DASHBOARD_VIEW (self));

  self->frame_start_us = g_get_monotonic_time ();
  self->frame_applied_us = 0;
}

/* Learns the frame model from the frame just painted: a frame with nothing
 * applied tells the base cost, one that applied updates the overhead. The
 * overhead rises at once and falls slowly, so one cheap frame after an
 * expensive one does not invite a long one. */
static void
tess_dashboard_view_frame_after_paint_cb (GdkFrameClock *clock, TessDashboardView *self)
{
  double frame_us, interval_us;

  g_assert (GDK_IS_FRAME_CLOCK (clock));
  g_assert (TESS_IS_DASHBOARD_VIEW (self));

  if (self->frame_start_us == 0)
    return;
  frame_us = g_get_monotonic_time () - self->frame_start_us;
  interval_us = frame_interval_us (clock);
  if (self->frame_applied_us <= 0)
    self->base_us = 0.8 * self->base_us + 0.2 * MIN (frame_us, interval_us);
  else if (self->frame_applied_us >= 200)
    {
      double sample = CLAMP ((frame_us - self->base_us - self->frame_applied_us) / self->frame_applied_us, 0.0, 50.0);

      self->overhead = sample > self->overhead ? sample : 0.8 * self->overhead + 0.2 * sample;
    }
  self->frame_start_us = 0;
  self->first_frame = FALSE;
  if (self->paint_pending)
    {
      announce_shown (self);
      if (self->order.length == 0)
        maybe_finish_batch (self);
    }
}

static void
watch_frames (TessDashboardView *self, GdkFrameClock *clock)
{
  if (self->frame_clock == clock)
    return;
  if (self->frame_clock != NULL)
    {
      /* By function: GTK's own tick handler for this widget has it as data too. */
      g_signal_handlers_disconnect_by_func (self->frame_clock, tess_dashboard_view_frame_before_paint_cb, self);
      g_signal_handlers_disconnect_by_func (self->frame_clock, tess_dashboard_view_frame_after_paint_cb, self);
      g_clear_object (&self->frame_clock);
    }
  self->frame_start_us = 0;
  if (clock != NULL)
    {
      self->frame_clock = g_object_ref (clock);
      g_signal_connect (clock, "before-paint", G_CALLBACK (tess_dashboard_view_frame_before_paint_cb), self);
      g_signal_connect_after (clock, "after-paint", G_CALLBACK (tess_dashboard_view_frame_after_paint_cb), self);
    }
  else if (self->paint_pending)
    announce_shown (self); /* no paint is coming to show them */
}

/* Mapped: in the frame's update phase, as much as the frame model says fits
 * in this frame. */
static gboolean
tess_dashboard_view_apply_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  TessDashboardView *self = TESS_DASHBOARD_VIEW (widget);
  double interval_us = frame_interval_us (clock);
  double goal_us = interval_us * FRAME_GOAL;
  double share_us = CLAMP ((goal_us - self->base_us) / (1 + self->overhead), interval_us * MIN_SHARE, goal_us);
  gboolean more;

  g_assert (TESS_IS_DASHBOARD_VIEW (widget));
  g_assert (GDK_IS_FRAME_CLOCK (clock));

  self->last_tick_us = g_get_monotonic_time ();
  /* A window's first frame shows the window: it comes soonest bare. */
  if (self->first_frame)
    return G_SOURCE_CONTINUE;
  /* The runs are done: what is left is on screen within a few frames. */
  if (self->session_idle && ++self->idle_frames >= CATCH_UP_FRAMES)
    share_us = -1;
  more = drain_some (self, share_us);
  self->frame_applied_us += g_get_monotonic_time () - self->last_tick_us;
  if (more)
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

/* Not mapped (no frames): an idle below redraw does the same. */
static gboolean
tess_dashboard_view_apply_idle_cb (gpointer user_data)
{
  TessDashboardView *self = user_data;

  g_assert (TESS_IS_DASHBOARD_VIEW (self));

  self->drain_id = 0;
  if (drain_some (self, UNPAINTED_BUDGET_US))
    schedule_drain (self);
  return G_SOURCE_REMOVE;
}

/* A mapped window whose frames stop (hidden by the compositor, minimized)
 * still gets its updates, a budget at a time, four times a second. */
static gboolean
tess_dashboard_view_apply_fallback_timeout_cb (gpointer user_data)
{
  TessDashboardView *self = user_data;

  g_assert (TESS_IS_DASHBOARD_VIEW (self));

  if (self->order.length == 0)
    {
      self->fallback_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (g_get_monotonic_time () - self->last_tick_us > 200000)
    {
      /* No frame is under way: what this applies is shown when applied. */
      self->frame_start_us = 0;
      drain_some (self, UNPAINTED_BUDGET_US);
    }
  return G_SOURCE_CONTINUE;
}

static void
schedule_drain (TessDashboardView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (self->tick_id == 0)
        {
          self->tick_id =
              gtk_widget_add_tick_callback (GTK_WIDGET (self), tess_dashboard_view_apply_tick_cb, NULL, NULL);
          self->last_tick_us = g_get_monotonic_time ();
        }
      if (self->fallback_id == 0)
        self->fallback_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, 250,
                                                tess_dashboard_view_apply_fallback_timeout_cb, self, NULL);
    }
  else if (self->drain_id == 0)
    {
      self->drain_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, tess_dashboard_view_apply_idle_cb, self, NULL);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->drain_id), "[tessera] apply updates");
    }
}

static void
cancel_drain (TessDashboardView *self)
{
  g_clear_handle_id (&self->drain_id, g_source_remove);
  g_clear_handle_id (&self->fallback_id, g_source_remove);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
tess_dashboard_view_map (GtkWidget *widget)
{
  TessDashboardView *self = TESS_DASHBOARD_VIEW (widget);

  GTK_WIDGET_CLASS (tess_dashboard_view_parent_class)->map (widget);
  self->first_frame = TRUE;
  watch_frames (self, gtk_widget_get_frame_clock (widget));
  if (self->order.length > 0)
    {
      cancel_drain (self);
      schedule_drain (self);
    }
}

static void
tess_dashboard_view_unmap (GtkWidget *widget)
{
  TessDashboardView *self = TESS_DASHBOARD_VIEW (widget);

  GTK_WIDGET_CLASS (tess_dashboard_view_parent_class)->unmap (widget);
  watch_frames (self, NULL);
  if (self->order.length > 0)
    {
      cancel_drain (self);
      schedule_drain (self);
    }
  else
    maybe_finish_batch (self);
}

static void
tess_dashboard_view_scope_updated_cb (TessSession *session, const TessScopeUpdate *update, TessDashboardView *self)
{
  PendingUpdate *pending = g_hash_table_lookup (self->pending, update->path);

  g_assert (TESS_IS_SESSION (session));
  g_assert (TESS_IS_DASHBOARD_VIEW (self));

  if (pending == NULL)
    {
      pending = g_new0 (PendingUpdate, 1);
      pending->path = g_strdup (update->path);
      g_hash_table_insert (self->pending, pending->path, pending);
      g_queue_push_tail (&self->order, pending->path);
    }
  pending_update_set (pending, update);
  start_batch (self);
  self->session_idle = FALSE;
  self->idle_frames = 0;
  schedule_drain (self);
}

static void
tess_dashboard_view_scope_removed_cb (TessSession *session, const char *path, TessDashboardView *self)
{
  PendingUpdate *pending = g_hash_table_lookup (self->pending, path);

  g_assert (TESS_IS_SESSION (session));
  g_assert (TESS_IS_DASHBOARD_VIEW (self));

  if (pending != NULL)
    {
      g_queue_remove (&self->order, pending->path);
      g_hash_table_remove (self->pending, path);
    }
  tess_reconciler_remove_slot (self->reconciler, path);
}

static void
tess_dashboard_view_run_finished_cb (TessSession *session, const TessRunRecord *record, TessDashboardView *self)
{
  g_assert (TESS_IS_SESSION (session));
  g_assert (TESS_IS_DASHBOARD_VIEW (self));

  /* The batch's runs: when the first was queued and the last ended. */
  if (!self->busy)
    {
      self->early_first_queued_ms =
          self->has_early ? MIN (self->early_first_queued_ms, record->queued_ms) : record->queued_ms;
      self->early_last_end_ms = self->has_early ? MAX (self->early_last_end_ms, record->end_ms) : record->end_ms;
      self->has_early = TRUE;
      return;
    }
  self->batch_first_queued_ms = MIN (self->batch_first_queued_ms, record->queued_ms);
  self->batch_last_end_ms = MAX (self->batch_last_end_ms, record->end_ms);
  refresh_n_running (self);
}

static void
tess_dashboard_view_session_idle_cb (TessSession *session, TessDashboardView *self)
{
  g_assert (TESS_IS_SESSION (session));
  g_assert (TESS_IS_DASHBOARD_VIEW (self));

  self->session_idle = TRUE;
  self->idle_frames = 0;
  if (self->trim_id == 0 && !self->busy &&
      g_get_monotonic_time () - self->trimmed_us >= TRIM_INTERVAL_S * G_USEC_PER_SEC)
    self->trim_id = g_timeout_add_seconds (TRIM_AFTER_IDLE_S, tess_dashboard_view_trim_timeout_cb, self);
  /* Everything the session sent came before: these runs showed nothing new. */
  self->has_early = FALSE;
  maybe_finish_batch (self);
}

static void
disconnect_session (TessDashboardView *self)
{
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  cancel_drain (self);
  g_queue_clear (&self->order);
  g_hash_table_remove_all (self->pending);
  if (self->root_slot != NULL)
    {
      gtk_box_remove (GTK_BOX (self->main_box), GTK_WIDGET (self->root_slot));
      self->root_slot = NULL;
    }
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (self->sidebar)) != NULL)
      gtk_box_remove (GTK_BOX (self->sidebar), child);
  }
  g_clear_object (&self->reconciler);
  g_clear_object (&self->session);
  g_array_set_size (self->painting, 0);
  self->paint_pending = FALSE;
  self->session_idle = FALSE;
  self->n_running = 0;
  set_busy (self, FALSE);
}

static void
tess_dashboard_view_dispose (GObject *object)
{
  TessDashboardView *self = TESS_DASHBOARD_VIEW (object);

  disconnect_session (self);
  watch_frames (self, NULL);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  g_clear_pointer (&self->flap, gtk_widget_unparent);
  G_OBJECT_CLASS (tess_dashboard_view_parent_class)->dispose (object);
}

static void
tess_dashboard_view_finalize (GObject *object)
{
  TessDashboardView *self = TESS_DASHBOARD_VIEW (object);

  g_hash_table_unref (self->pending);
  g_array_unref (self->painting);
  G_OBJECT_CLASS (tess_dashboard_view_parent_class)->finalize (object);
}

static void
tess_dashboard_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TessDashboardView *self = TESS_DASHBOARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;
    case PROP_LAST_RUN_MS:
      g_value_set_double (value, self->last_run_ms);
      break;
    case PROP_LAST_SHOWN_MS:
      g_value_set_double (value, self->last_shown_ms);
      break;
    case PROP_HAS_SIDEBAR:
      g_value_set_boolean (value, self->has_sidebar);
      break;
    case PROP_REVEAL_SIDEBAR:
      g_value_set_boolean (value, tess_dashboard_view_get_reveal_sidebar (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tess_dashboard_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TessDashboardView *self = TESS_DASHBOARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tess_dashboard_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_REVEAL_SIDEBAR:
      tess_dashboard_view_set_reveal_sidebar (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tess_dashboard_view_flap_reveal_notify_cb (GObject *flap, GParamSpec *pspec, TessDashboardView *self)
{
  g_assert (ADW_IS_FLAP (flap));
  g_assert (TESS_IS_DASHBOARD_VIEW (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEAL_SIDEBAR]);
}

static void
tess_dashboard_view_class_init (TessDashboardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_dashboard_view_dispose;
  object_class->finalize = tess_dashboard_view_finalize;
  object_class->get_property = tess_dashboard_view_get_property;
  object_class->set_property = tess_dashboard_view_set_property;
  widget_class->map = tess_dashboard_view_map;
  widget_class->unmap = tess_dashboard_view_unmap;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, TESS_TYPE_SESSION,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_RUNNING] =
      g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_RUN_MS] =
      g_param_spec_double ("last-run-ms", NULL, NULL, -1, G_MAXDOUBLE, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SHOWN_MS] =
      g_param_spec_double ("last-shown-ms", NULL, NULL, -1, G_MAXDOUBLE, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_SIDEBAR] =
      g_param_spec_boolean ("has-sidebar", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEAL_SIDEBAR] = g_param_spec_boolean (
      "reveal-sidebar", NULL, NULL, TRUE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TessDashboardView::idle:
   *
   * The session is idle and every update it sent is on screen (painted,
   * while the view is mapped).
   */
  signals[SIGNAL_IDLE] =
      g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TessDashboardView::update-applied:
   * @path: the scope's path
   *
   * A scope update has just been applied to the widgets.
   */
  signals[SIGNAL_UPDATE_APPLIED] = g_signal_new ("update-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TessDashboardView::scope-shown:
   * @path: the scope's path
   * @run_count: the run whose final update it was
   * @shown_ms: when it reached the screen, in the session's time (ms since
   *   it started, as its run records)
   *
   * A scope's final update (done, failed or cancelled) has been painted, or
   * applied while the view is not mapped.
   */
  signals[SIGNAL_SCOPE_SHOWN] = g_signal_new ("scope-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                              NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "tess-dashboard");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tess_dashboard_view_init (TessDashboardView *self)
{
  GtkWidget *main_scroller;
  GtkWidget *page;

  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) pending_update_free);
  g_queue_init (&self->order);
  self->painting = g_array_new (FALSE, TRUE, sizeof (ShownScope));
  g_array_set_clear_func (self->painting, (GDestroyNotify) shown_scope_clear);
  /* Until frames say otherwise: a frame costs a millisecond, and the widgets
   * an update makes cost eight times their making again in styling, layout
   * and paint (software rendering, measured: from 3 to 20 times). */
  self->base_us = 1000;
  self->overhead = 8;
  self->last_run_ms = -1;
  self->last_shown_ms = -1;

  self->flap = adw_flap_new ();
  adw_flap_set_separator (ADW_FLAP (self->flap), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  g_signal_connect (self->flap, "notify::reveal-flap", G_CALLBACK (tess_dashboard_view_flap_reveal_notify_cb), self);

  self->sidebar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_add_css_class (self->sidebar, "tess-sidebar");
  self->sidebar_scroller = gtk_scrolled_window_new ();
  gtk_widget_add_css_class (self->sidebar_scroller, "tess-sidebar-scroller");
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->sidebar_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (self->sidebar_scroller, 300, -1);
  /* The sliders expand; that must not make the sidebar take half the window. */
  gtk_widget_set_hexpand (self->sidebar_scroller, FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->sidebar_scroller), self->sidebar);
  gtk_widget_set_visible (self->sidebar_scroller, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sidebar), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Inputs"), -1);
  adw_flap_set_flap (ADW_FLAP (self->flap), self->sidebar_scroller);

  self->main_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (self->main_box, "tess-dashboard-main");
  main_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (main_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_hexpand (main_scroller, TRUE);
  gtk_widget_set_vexpand (main_scroller, TRUE);
  page = g_object_new (TESS_TYPE_DASHBOARD_PAGE, NULL);
  gtk_widget_set_parent (self->main_box, page);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (main_scroller), page);
  /* A dashboard taller than the window scrolls at its natural height; the
   * default (minimum) policy would shrink every chart to its minimum. */
  gtk_scrollable_set_vscroll_policy (
      GTK_SCROLLABLE (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (main_scroller))), GTK_SCROLL_NATURAL);
  adw_flap_set_content (ADW_FLAP (self->flap), main_scroller);
  gtk_widget_set_parent (self->flap, GTK_WIDGET (self));

  tess_widgets_load_style (gtk_widget_get_display (GTK_WIDGET (self)));
}

GtkWidget *
tess_dashboard_view_new (void)
{
  return g_object_new (TESS_TYPE_DASHBOARD_VIEW, NULL);
}

void
tess_dashboard_view_set_session (TessDashboardView *self, TessSession *session)
{
  g_return_if_fail (TESS_IS_DASHBOARD_VIEW (self));
  g_return_if_fail (session == NULL || TESS_IS_SESSION (session));
  TESS_ASSERT_MAIN_THREAD ();

  if (self->session == session)
    return;
  disconnect_session (self);
  if (session != NULL)
    {
      self->session = g_object_ref (session);
      self->reconciler = tess_reconciler_new (session);
      tess_reconciler_set_sidebar (self->reconciler, self->sidebar);
      self->root_slot = tess_reconciler_ensure_slot (self->reconciler, "");
      gtk_box_append (GTK_BOX (self->main_box), GTK_WIDGET (self->root_slot));
      g_signal_connect (session, "scope-updated", G_CALLBACK (tess_dashboard_view_scope_updated_cb), self);
      g_signal_connect (session, "scope-removed", G_CALLBACK (tess_dashboard_view_scope_removed_cb), self);
      g_signal_connect (session, "run-finished", G_CALLBACK (tess_dashboard_view_run_finished_cb), self);
      g_signal_connect (session, "idle", G_CALLBACK (tess_dashboard_view_session_idle_cb), self);
    }
  refresh_sidebar (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

TessSession *
tess_dashboard_view_get_session (TessDashboardView *self)
{
  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), NULL);

  return self->session;
}

TessReconciler *
tess_dashboard_view_get_reconciler (TessDashboardView *self)
{
  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), NULL);

  return self->reconciler;
}

TessSlot *
tess_dashboard_view_get_root_slot (TessDashboardView *self)
{
  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), NULL);

  return self->root_slot;
}

GtkWidget *
tess_dashboard_view_get_sidebar (TessDashboardView *self)
{
  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), NULL);

  return self->sidebar;
}

gboolean
tess_dashboard_view_get_has_sidebar (TessDashboardView *self)
{
  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), FALSE);

  return self->has_sidebar;
}

void
tess_dashboard_view_set_reveal_sidebar (TessDashboardView *self, gboolean reveal)
{
  g_return_if_fail (TESS_IS_DASHBOARD_VIEW (self));

  adw_flap_set_reveal_flap (ADW_FLAP (self->flap), reveal);
}

gboolean
tess_dashboard_view_get_reveal_sidebar (TessDashboardView *self)
{
  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), FALSE);

  return adw_flap_get_reveal_flap (ADW_FLAP (self->flap));
}

gboolean
tess_dashboard_view_get_busy (TessDashboardView *self)
{
  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), FALSE);

  return self->busy || self->order.length > 0;
}

guint
tess_dashboard_view_get_n_running (TessDashboardView *self)
{
  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), 0);

  return self->n_running;
}

double
tess_dashboard_view_get_last_run_ms (TessDashboardView *self)
{
  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), -1);

  return self->last_run_ms;
}

double
tess_dashboard_view_get_last_shown_ms (TessDashboardView *self)
{
  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), -1);

  return self->last_shown_ms;
}

guint
tess_dashboard_view_count_errors (TessDashboardView *self)
{
  g_autoptr (GList) slots = NULL;
  guint n = 0;

  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (self), 0);

  if (self->reconciler == NULL)
    return 0;
  slots = tess_reconciler_get_slots (self->reconciler);
  for (GList *l = slots; l != NULL; l = l->next)
    if (tess_slot_get_state (l->data) == TESS_SCOPE_ERROR)
      n++;
  return n;
}
