/* dashboard.c: a dashboard as a user sees it fill, rerun, scroll and narrow.
 *
 * A dashboard whose runs are done is whole on screen a few frames later; a
 * rerun moves no other section, nor its own when its content keeps its
 * size; the wheel over a chart scrolls the page while Ctrl+wheel and
 * Shift+drag zoom the chart, whose reset button then unzooms it; columns
 * stack in a narrow window; a table is as tall as its rows and a tab panel
 * as its visible tab.
 *
 * The pointer is the X server's own, moved and clicked through the XTEST
 * extension, so the events reach GTK as a user's would (the tests run
 * under xvfb-run, whose server has it).
 */
#include "widget-test-host.h"

#include <gdk/x11/gdkx.h>
#include <gmodule.h>
#include <X11/keysym.h>

#include "tess-chart-private.h"
#include "tess-columns.h"
#include "tess-table-view-private.h"

/* A frame of @n rows: x, and y = a wave. */
static TessFrame *
wave_frame (guint n)
{
  g_autofree gint64 *x = g_new (gint64, n);
  g_autofree double *y = g_new (double, n);
  g_autoptr (TessColumn) cx = NULL;
  g_autoptr (TessColumn) cy = NULL;

  for (guint i = 0; i < n; i++)
    {
      x[i] = i;
      y[i] = (i * 37 % 101) / 10.0;
    }
  cx = tess_column_new_int64 ("x", x, n);
  cy = tess_column_new_double ("y", y, n);
  return tess_frame_new ((TessColumn *[]){ cx, cy }, 2, NULL);
}

static void
line_chart (TessRun *run, guint n)
{
  g_autoptr (TessFrame) frame = wave_frame (n);

  tess_line_chart (run, frame, "x", (const char *[]){ "y", NULL }, NULL);
}

/* Sections like a real dashboard's: a heading, a figure and a chart. */
static gboolean
section_body (TessRun *run, gpointer user_data, GError **error)
{
  tess_subheader (run, user_data);
  tess_metric (run, "Rows", "1 024", "+3%");
  line_chart (run, 200);
  return TRUE;
}

static gboolean
table_body (TessRun *run, gpointer user_data, GError **error)
{
  g_autoptr (TessFrame) frame = wave_frame (300);

  tess_subheader (run, "Data");
  tess_dataframe (run, frame, NULL, NULL);
  return TRUE;
}

static gboolean
whole_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  static const char *names[] = { "north", "south", "east", "west" };
  TessInputOptions options = { .key = "year" };

  tess_title (run, "Sales");
  tess_sidebar_begin (run);
  tess_slider (run, "Year", 2012, 2015, 2015, &options);
  tess_end (run);
  /* Two rows of two columns, then a table. */
  for (guint row = 0; row < 2; row++)
    {
      tess_columns_begin (run);
      for (guint i = 2 * row; i < 2 * row + 2; i++)
        {
          tess_column_begin (run, 1);
          tess_fragment (run, names[i], section_body, (gpointer) names[i], TESS_FRAGMENT_PARALLEL);
          tess_end (run);
        }
      tess_end (run);
    }
  tess_fragment (run, "data", table_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

/* Every chart below @widget draws its data. */
static gboolean
charts_drawn (GtkWidget *widget)
{
  if (TESS_IS_CHART (widget) && tess_chart_get_data (TESS_CHART (widget)) == NULL)
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!charts_drawn (child))
      return FALSE;
  return TRUE;
}

/* What a painted frame shows: every slot done, mapped, laid out with its
 * content, its charts drawing their data. */
static gboolean
all_slots_shown (TestHost *host)
{
  g_autoptr (GList) slots = tess_reconciler_get_slots (tess_dashboard_view_get_reconciler (host->view));

  if (g_list_length (slots) != 6)
    return FALSE;
  for (GList *l = slots; l != NULL; l = l->next)
    {
      TessSlot *slot = l->data;
      GtkWidget *content = tess_slot_get_content (slot);

      if (tess_slot_get_state (slot) != TESS_SCOPE_DONE || !gtk_widget_get_mapped (content) ||
          gtk_widget_get_height (content) <= 0 || gtk_widget_get_first_child (content) == NULL ||
          !charts_drawn (content))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  TestHost *host;
  gboolean runs_done;
  guint frames_since;      /* frames painted since the runs were done */
  guint frames_when_shown; /* 0: not shown yet */
} FillWatch;

static void
fill_runs_done_cb (TessSession *session, FillWatch *watch)
{
  watch->runs_done = TRUE;
}

static void
fill_after_paint_cb (GdkFrameClock *clock, FillWatch *watch)
{
  if (!watch->runs_done || watch->frames_when_shown > 0)
    return;
  watch->frames_since++;
  if (all_slots_shown (watch->host))
    watch->frames_when_shown = watch->frames_since;
}

static gboolean
fill_shown (gpointer data)
{
  FillWatch *watch = data;
  return watch->frames_when_shown > 0;
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Issue 15: a dashboard whose runs are done is whole on screen (every slot
 * done and drawn) within five frames. */
static void
test_shown_within_five_frames (void)
{
  FillWatch watch = { 0 };
  GdkFrameClock *clock;

  watch.host = test_host_new (whole_dashboard, NULL);
  g_signal_connect (watch.host->session, "idle", G_CALLBACK (fill_runs_done_cb), &watch);
  tess_test_wait_until (NULL, window_mapped, watch.host->window, 10, "the window to be shown");
  clock = gtk_widget_get_frame_clock (watch.host->window);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (fill_after_paint_cb), &watch);
  tess_test_wait_until (NULL, fill_shown, &watch, 30, "every slot done and drawn");
  g_test_message ("shown %u frames after the runs were done", watch.frames_when_shown);
  g_assert_cmpuint (watch.frames_when_shown, <=, 5);
  g_signal_handlers_disconnect_by_data (clock, &watch);
  test_host_free (watch.host);
}

/* Rerun: "middle" says it waits for a slow source, then shows content of
 * the same size as before. */
static gboolean
slow_body (TessRun *run, gpointer user_data, GError **error)
{
  guint count = tess_run_get_count (run);

  tess_subheader (run, "Middle");
  if (count > 1)
    {
      tess_run_set_progress (run, 0.3, "Waiting for the slow source…");
      if (!tess_run_wait (run, 0.8))
        return TRUE;
    }
  tess_textf (run, "run %u", count);
  line_chart (run, 50);
  return TRUE;
}

static gboolean
rerun_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_title (run, "Reruns");
  tess_columns_begin (run);
  tess_column_begin (run, 1);
  tess_fragment (run, "left", section_body, (gpointer) "Left", TESS_FRAGMENT_PARALLEL);
  tess_end (run);
  tess_column_begin (run, 1);
  tess_fragment (run, "middle", slow_body, NULL, TESS_FRAGMENT_PARALLEL);
  tess_end (run);
  tess_end (run);
  tess_fragment (run, "below", table_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static const char *rerun_paths[] = { "left", "middle", "below" };

typedef struct
{
  graphene_rect_t slots[G_N_ELEMENTS (rerun_paths)];
} Allocations;

static void
get_allocations (TestHost *host, Allocations *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (rerun_paths); i++)
    g_assert_true (
        gtk_widget_compute_bounds (GTK_WIDGET (test_host_slot (host, rerun_paths[i])), host->window, &out->slots[i]));
}

static void
assert_same_allocations (const Allocations *before, const Allocations *now, const char *when)
{
  for (guint i = 0; i < G_N_ELEMENTS (rerun_paths); i++)
    if (!graphene_rect_equal (&before->slots[i], &now->slots[i]))
      g_error ("%s, section “%s” moved from %g,%g %gx%g to %g,%g %gx%g", when, rerun_paths[i],
               before->slots[i].origin.x, before->slots[i].origin.y, before->slots[i].size.width,
               before->slots[i].size.height, now->slots[i].origin.x, now->slots[i].origin.y, now->slots[i].size.width,
               now->slots[i].size.height);
}

typedef struct
{
  TestHost *host;
  const char *status;
} StatusRef;

static gboolean
status_floats (gpointer data)
{
  StatusRef *ref = data;
  TessSlot *slot = test_host_slot (ref->host, "middle");
  GtkWidget *status = tess_slot_get_part (slot, "status");

  return gtk_widget_get_mapped (status) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (status)), ref->status) == 0;
}

/* Issue 15: a rerun keeps every section where it was; its status floats over
 * its stale content, and nothing moves when it ends. */
static void
test_rerun_keeps_allocations (void)
{
  TestHost *host = test_host_new (rerun_dashboard, NULL);
  StatusRef ref = { host, "Waiting for the slow source…" };
  Allocations before, during, after;
  TessSlot *middle;
  graphene_rect_t status, content;

  test_host_wait_idle (host);
  test_host_spin (50);
  get_allocations (host, &before);
  middle = test_host_slot (host, "middle");

  g_assert_true (tess_session_rerun_fragment (host->session, "middle"));
  tess_test_wait_until (NULL, status_floats, &ref, 10, "the rerun's status");
  test_host_spin (50);
  g_assert_cmpint (tess_slot_get_state (middle), ==, TESS_SCOPE_RUNNING);
  get_allocations (host, &during);
  assert_same_allocations (&before, &during, "While “middle” reran");
  /* The status is over the stale content, inside the slot. */
  g_assert_true (gtk_widget_compute_bounds (tess_slot_get_part (middle, "pending"), host->window, &status));
  g_assert_true (gtk_widget_compute_bounds (tess_slot_get_content (middle), host->window, &content));
  g_assert_true (graphene_rect_intersection (&status, &content, NULL));
  g_assert_true (gtk_widget_get_visible (tess_slot_get_part (middle, "progress")));

  test_host_wait_idle (host);
  test_host_spin (50);
  g_assert_cmpstr (test_host_label_text (test_host_find (host, "middle", "text:0")), ==, "run 2");
  g_assert_false (gtk_widget_get_visible (tess_slot_get_part (middle, "pending")));
  get_allocations (host, &after);
  assert_same_allocations (&before, &after, "After “middle” reran");
  test_host_free (host);
}

/* The pointer, through XTEST (libXtst is loaded at run time: its functions
 * are all this needs of it). */
typedef int (*FakeMotion) (Display *display, int screen, int x, int y, unsigned long delay);
typedef int (*FakeButton) (Display *display, unsigned int button, Bool press, unsigned long delay);
typedef int (*FakeKey) (Display *display, unsigned int keycode, Bool press, unsigned long delay);

static struct
{
  GModule *module; /* kept for the process */
  FakeMotion motion;
  FakeButton button;
  FakeKey key;
} xtest;

static Display *
x_display (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  return gdk_x11_display_get_xdisplay (display);
}

static void
load_xtest (void)
{
  if (xtest.module != NULL)
    return;
  xtest.module = g_module_open ("libXtst.so.6", G_MODULE_BIND_LAZY);
  if (xtest.module == NULL)
    g_error ("These tests move the pointer through XTEST and need libXtst.so.6 (libxtst6): %s", g_module_error ());
  if (!g_module_symbol (xtest.module, "XTestFakeMotionEvent", (gpointer *) &xtest.motion) ||
      !g_module_symbol (xtest.module, "XTestFakeButtonEvent", (gpointer *) &xtest.button) ||
      !g_module_symbol (xtest.module, "XTestFakeKeyEvent", (gpointer *) &xtest.key))
    g_error ("libXtst.so.6 lacks the XTEST functions: %s", g_module_error ());
}

/* Moves the pointer to (@x, @y) of @widget. */
static void
pointer_to (GtkWidget *widget, double x, double y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  Display *display = x_display ();
  graphene_point_t point;
  double surface_x, surface_y;
  int root_x, root_y;
  Window child;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (display, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (display), (int) (point.x + surface_x), (int) (point.y + surface_y), &root_x,
                         &root_y, &child);
  xtest.motion (display, -1, root_x, root_y, 0);
  XFlush (display);
  test_host_spin (30);
}

static void
button (unsigned int number, gboolean press)
{
  xtest.button (x_display (), number, press, 0);
  XFlush (x_display ());
  test_host_spin (30);
}

static void
key (KeySym keysym, gboolean press)
{
  xtest.key (x_display (), XKeysymToKeycode (x_display (), keysym), press, 0);
  XFlush (x_display ());
  test_host_spin (30);
}

/* Enough charts to scroll a 700 px window. */
static gboolean
charts_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  static const char *keys[] = { "first", "second", "third", "fourth" };

  tess_title (run, "Charts");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    tess_fragment (run, keys[i], section_body, (gpointer) "Chart", TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static GtkAdjustment *
page_adjustment (TestHost *host)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (test_host_slot (host, "")), GTK_TYPE_SCROLLED_WINDOW);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static gboolean
page_scrolled (gpointer data)
{
  return gtk_adjustment_get_value (page_adjustment (data)) > 0;
}

typedef struct
{
  TessChart *chart;
  double span;
} ChartRef;

static gboolean
chart_zoomed_in (gpointer data)
{
  ChartRef *ref = data;
  double x0, x1;

  tess_chart_get_view (ref->chart, &x0, &x1);
  return x1 - x0 < ref->span;
}

static gboolean
chart_unzoomed (gpointer data)
{
  ChartRef *ref = data;
  double x0, x1;

  tess_chart_get_view (ref->chart, &x0, &x1);
  return x1 - x0 == ref->span;
}

/* Issue 15: the wheel over a chart scrolls the page; Ctrl+wheel zooms the
 * chart and leaves the page where it is; Shift+drag zooms to the range
 * dragged over; a zoomed chart's reset button unzooms it. */
static void
test_wheel_scrolls_page (void)
{
  TestHost *host = test_host_new (charts_dashboard, NULL);
  GtkAdjustment *page;
  ChartRef ref;
  GtkWidget *chart, *reset;
  TessChartLayout layout;
  double value, x0, x1;

  load_xtest ();
  test_host_wait_idle (host);
  test_host_spin (100);
  page = page_adjustment (host);
  g_assert_cmpfloat (gtk_adjustment_get_upper (page), >, gtk_adjustment_get_page_size (page));
  g_assert_cmpfloat (gtk_adjustment_get_value (page), ==, 0);
  chart = test_host_find (host, "first", "chart:0");
  ref.chart = TESS_CHART (chart);
  tess_chart_get_view (ref.chart, &x0, &x1);
  ref.span = x1 - x0;

  /* The wheel, down, over the chart: the page scrolls, the chart keeps its view. */
  pointer_to (chart, gtk_widget_get_width (chart) / 2.0, gtk_widget_get_height (chart) / 2.0);
  button (5, TRUE);
  button (5, FALSE);
  tess_test_wait_until (NULL, page_scrolled, host, 5, "the page to scroll");
  g_assert_true (chart_unzoomed (&ref));

  /* Ctrl+wheel, up, over the chart: it zooms in; the page stays. */
  pointer_to (chart, gtk_widget_get_width (chart) / 2.0, gtk_widget_get_height (chart) / 2.0);
  value = gtk_adjustment_get_value (page);
  key (XK_Control_L, TRUE);
  button (4, TRUE);
  button (4, FALSE);
  key (XK_Control_L, FALSE);
  tess_test_wait_until (NULL, chart_zoomed_in, &ref, 5, "Ctrl+wheel to zoom the chart");
  g_assert_cmpfloat (gtk_adjustment_get_value (page), ==, value);

  /* Zoomed: the reset button shows, and unzooms. */
  reset = gtk_widget_get_last_child (chart);
  while (reset != NULL && !GTK_IS_BUTTON (reset))
    reset = gtk_widget_get_prev_sibling (reset);
  g_assert_nonnull (reset);
  test_host_spin (50);
  g_assert_true (gtk_widget_get_mapped (reset));
  pointer_to (reset, gtk_widget_get_width (reset) / 2.0, gtk_widget_get_height (reset) / 2.0);
  button (1, TRUE);
  button (1, FALSE);
  tess_test_wait_until (NULL, chart_unzoomed, &ref, 5, "the reset button to unzoom the chart");
  test_host_spin (50);
  g_assert_false (gtk_widget_get_visible (reset));

  /* Shift+drag across the middle half of the plot: zoomed to about that. */
  g_assert_true (tess_chart_get_layout (ref.chart, &layout));
  key (XK_Shift_L, TRUE);
  pointer_to (chart, layout.left + layout.width * 0.25, layout.top + layout.height / 2);
  button (1, TRUE);
  pointer_to (chart, layout.left + layout.width * 0.5, layout.top + layout.height / 2);
  pointer_to (chart, layout.left + layout.width * 0.75, layout.top + layout.height / 2);
  button (1, FALSE);
  key (XK_Shift_L, FALSE);
  tess_test_wait_until (NULL, chart_zoomed_in, &ref, 5, "Shift+drag to zoom the chart");
  tess_chart_get_view (ref.chart, &x0, &x1);
  g_assert_cmpfloat_with_epsilon (x1 - x0, ref.span / 2, ref.span * 0.05);
  g_assert_cmpfloat_with_epsilon ((x0 + x1) / 2, ref.span / 2, ref.span * 0.05);
  test_host_free (host);
}

/* Two columns of charts. */
static gboolean
two_columns_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_columns_begin (run);
  tess_column_begin (run, 1);
  line_chart (run, 30);
  tess_end (run);
  tess_column_begin (run, 1);
  line_chart (run, 30);
  tess_end (run);
  tess_end (run);
  return TRUE;
}

static void
get_column_bounds (TestHost *host, graphene_rect_t *first, graphene_rect_t *second)
{
  GtkWidget *columns = test_host_find (host, "", "columns:0");
  GtkWidget *a = gtk_widget_get_first_child (columns);
  GtkWidget *b = gtk_widget_get_next_sibling (a);

  g_assert_true (TESS_IS_COLUMNS (columns));
  g_assert_true (gtk_widget_compute_bounds (a, host->window, first));
  g_assert_true (gtk_widget_compute_bounds (b, host->window, second));
}

/* Issue 15: below the width where two columns would each be narrower than a
 * chart's minimum, the columns stack; wider, they stand side by side. */
static void
test_narrow_layout_stacks (void)
{
  TestHost *host = test_host_new_sized (two_columns_dashboard, NULL, 420, 700);
  graphene_rect_t a, b;

  test_host_wait_idle (host);
  test_host_spin (50);
  get_column_bounds (host, &a, &b);
  g_assert_cmpfloat (a.origin.x, ==, b.origin.x);
  g_assert_cmpfloat (b.origin.y, >=, a.origin.y + a.size.height);
  g_assert_cmpfloat (a.size.width, >=, TESS_CHART_MIN_WIDTH);
  g_assert_cmpfloat (b.size.width, ==, a.size.width);
  test_host_free (host);

  host = test_host_new_sized (two_columns_dashboard, NULL, 1000, 700);
  test_host_wait_idle (host);
  test_host_spin (50);
  get_column_bounds (host, &a, &b);
  g_assert_cmpfloat (a.origin.y, ==, b.origin.y);
  g_assert_cmpfloat (b.origin.x, >=, a.origin.x + a.size.width);
  g_assert_cmpfloat (a.size.width, >=, TESS_CHART_MIN_WIDTH);
  test_host_free (host);
}

/* A short table, a long one, and tabs of different heights. */
static gboolean
sizes_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  g_autoptr (TessFrame) few = wave_frame (3);
  g_autoptr (TessFrame) many = wave_frame (500);

  tess_dataframe (run, few, NULL, NULL);
  tess_dataframe (run, many, NULL, NULL);
  tess_tabs_begin (run);
  tess_tab_begin (run, "Short");
  tess_text (run, "one line");
  tess_end (run);
  tess_tab_begin (run, "Tall");
  line_chart (run, 30);
  tess_end (run);
  tess_end (run);
  tess_text (run, "below the tabs");
  return TRUE;
}

/* Issue 15: a table is as tall as its rows, up to its height, with no empty
 * space below them; a tab panel is as tall as the tab it shows. */
static void
test_content_sized_to_what_shows (void)
{
  TestHost *host = test_host_new (sizes_dashboard, NULL);
  GtkWidget *few, *many, *tabs, *below;
  GtkColumnView *column_view;
  int short_height, tall_height;
  graphene_rect_t rows;

  test_host_wait_idle (host);
  test_host_spin (50);
  few = test_host_find (host, "", "table:0");
  many = test_host_find (host, "", "table:1");
  /* The short table ends where its last row does. */
  column_view = tess_table_view_get_column_view (TESS_TABLE_VIEW (few));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (column_view), few, &rows));
  g_assert_cmpint (gtk_widget_get_height (few), <=, (int) (rows.origin.y + rows.size.height) + 1);
  g_assert_cmpint (gtk_widget_get_height (few), <, gtk_widget_get_height (many));
  /* The long one takes the default height, and scrolls. */
  g_assert_cmpint (gtk_widget_get_height (many), ==, 360);

  tabs = test_host_find (host, "", "tabs:0");
  below = test_host_child (host, "", 3);
  g_assert_cmpstr (test_host_label_text (below), ==, "below the tabs");
  g_assert_cmpint (gtk_notebook_get_current_page (GTK_NOTEBOOK (tabs)), ==, 0);
  short_height = gtk_widget_get_height (tabs);
  gtk_notebook_set_current_page (GTK_NOTEBOOK (tabs), 1);
  test_host_spin (100);
  tall_height = gtk_widget_get_height (tabs);
  g_assert_cmpint (short_height + 200, <, tall_height);
  g_assert_true (gtk_widget_get_mapped (below));
  test_host_free (host);
}

int
main (int argc, char **argv)
{
  /* The pointer tests speak X11. */
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  test_host_init (&argc, &argv);

  g_test_add_func ("/Dashboard/shown-within-five-frames", test_shown_within_five_frames);
  g_test_add_func ("/Dashboard/rerun-keeps-allocations", test_rerun_keeps_allocations);
  g_test_add_func ("/Dashboard/wheel-scrolls-page", test_wheel_scrolls_page);
  g_test_add_func ("/Dashboard/narrow-layout-stacks", test_narrow_layout_stacks);
  g_test_add_func ("/Dashboard/content-sized-to-what-shows", test_content_sized_to_what_shows);
  return g_test_run ();
}
