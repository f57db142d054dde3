/* reconciler.c: element trees applied to widgets, with a real session.
 *
 * Widgets are reused by element identity across reruns (the same pointer),
 * a changed input reruns its fragment and the update lands in the same
 * widgets, structure changes move and drop only what changed, and an entry
 * being typed into keeps its text, focus and cursor through an update. A
 * live rerun whose output equals the one shown touches nothing at all.
 */
#include "widget-test-host.h"

static gboolean
report_body (TessRun *run, gpointer user_data, GError **error)
{
  TessInputOptions options = { .key = "level" };
  double level = tess_slider (run, "Level", 0, 100, 10, &options);

  tess_title (run, "Report");
  tess_textf (run, "ran %u", tess_run_get_count (run));
  tess_textf (run, "level %.0f", level);
  tess_metric (run, "Level", "x", "+1%");
  return TRUE;
}

static gboolean
report_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "report", report_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

typedef struct
{
  TestHost *host;
  const char *path;
  const char *id;
  const char *text;
} LabelRef;

static gboolean
label_says (gpointer data)
{
  LabelRef *ref = data;
  TessSlot *slot = tess_reconciler_lookup_slot (tess_dashboard_view_get_reconciler (ref->host->view), ref->path);
  GtkWidget *widget = slot != NULL ? tess_reconciler_find_widget (GTK_WIDGET (slot), ref->id) : NULL;

  return widget != NULL && g_strcmp0 (test_host_label_text (widget), ref->text) == 0;
}

static void
test_identity_across_reruns (void)
{
  TestHost *host = test_host_new (report_dashboard, NULL);
  const char *ids[] = { "level", "title:0", "text:0", "text:1", "metric:0" };
  GtkWidget *before[G_N_ELEMENTS (ids)];
  TessSlot *slot;

  test_host_wait_idle (host);
  slot = test_host_slot (host, "report");
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    before[i] = test_host_find (host, "report", ids[i]);
  g_assert_cmpstr (test_host_label_text (before[2]), ==, "ran 1");

  for (guint run = 2; run <= 3; run++)
    {
      g_autofree char *text = g_strdup_printf ("ran %u", run);

      g_assert_true (tess_session_rerun_fragment (host->session, "report"));
      test_host_wait_idle (host);
      g_assert_cmpstr (test_host_label_text (test_host_find (host, "report", "text:0")), ==, text);
      for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
        g_assert_true (test_host_find (host, "report", ids[i]) == before[i]);
    }
  /* The slot itself is the same widget, in the same place. */
  g_assert_true (test_host_slot (host, "report") == slot);
  g_assert_true (gtk_widget_get_parent (GTK_WIDGET (slot)) == tess_slot_get_content (test_host_slot (host, "")));
  test_host_free (host);
}

static void
test_input_change_reruns (void)
{
  TestHost *host = test_host_new (report_dashboard, NULL);
  LabelRef ref = { host, "report", "text:1", "level 42" };
  g_autoptr (GVariant) value = NULL;
  GtkWidget *slider, *scale;

  test_host_wait_idle (host);
  slider = test_host_find (host, "report", "level");
  scale = tess_input_widget_get_control (slider);
  g_assert_true (GTK_IS_SCALE (scale));
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale)), ==, 10);

  /* What a user's drag does to the scale. */
  gtk_range_set_value (GTK_RANGE (scale), 42);
  value = tess_session_get_input_value (host->session, "level");
  g_assert_cmpfloat (g_variant_get_double (value), ==, 42);
  tess_test_wait_until (NULL, label_says, &ref, 5, "the fragment to show the new level");
  test_host_wait_idle (host);
  g_assert_true (test_host_find (host, "report", "level") == slider);
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale)), ==, 42);
  g_assert_cmpstr (test_host_label_text (test_host_find (host, "report", "text:0")), ==, "ran 2");
  test_host_free (host);
}

/* Structure: run 1 shows a, b, c; later runs c, a, d. */
static gboolean
shuffle_body (TessRun *run, gpointer user_data, GError **error)
{
  const char *first[] = { "a", "b", "c" };
  const char *later[] = { "c", "a", "d" };
  const char **keys = tess_run_get_count (run) == 1 ? first : later;

  for (guint i = 0; i < 3; i++)
    {
      GVariantDict props;
      g_variant_dict_init (&props, NULL);
      g_variant_dict_insert (&props, "text", "s", keys[i]);
      tess_element (run, TESS_ELEMENT_TEXT, keys[i], g_variant_dict_end (&props), NULL);
    }
  return TRUE;
}

static gboolean
shuffle_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "shuffle", shuffle_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_structure_changes (void)
{
  TestHost *host = test_host_new (shuffle_dashboard, NULL);
  GtkWidget *a, *b, *c;
  g_autoptr (GtkWidget) b_ref = NULL;

  test_host_wait_idle (host);
  a = test_host_find (host, "shuffle", "a");
  b = test_host_find (host, "shuffle", "b");
  c = test_host_find (host, "shuffle", "c");
  b_ref = g_object_ref (b);

  tess_session_rerun_fragment (host->session, "shuffle");
  test_host_wait_idle (host);
  g_assert_cmpuint (test_host_n_children (host, "shuffle"), ==, 3);
  g_assert_true (test_host_child (host, "shuffle", 0) == c);
  g_assert_true (test_host_child (host, "shuffle", 1) == a);
  g_assert_cmpstr (test_host_label_text (test_host_child (host, "shuffle", 2)), ==, "d");
  g_assert_null (gtk_widget_get_parent (b));
  g_assert_null (tess_reconciler_find_widget (GTK_WIDGET (test_host_slot (host, "shuffle")), "b"));
  test_host_free (host);
}

static gboolean
form_body (TessRun *run, gpointer user_data, GError **error)
{
  TessInputOptions options = { .key = "name", .placeholder = "Who?" };
  const char *name = tess_text_input (run, "Name", "", &options);

  tess_textf (run, "ran %u for %s", tess_run_get_count (run), name);
  return TRUE;
}

static gboolean
form_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "form", form_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_typing_survives_update (void)
{
  TestHost *host = test_host_new (form_dashboard, NULL);
  LabelRef ref = { host, "form", "text:0", "ran 2 for " };
  LabelRef committed = { host, "form", "text:0", "ran 3 for Ada" };
  g_autoptr (GVariant) value = NULL;
  GtkWidget *input, *entry, *focus;

  test_host_wait_idle (host);
  input = test_host_find (host, "form", "name");
  entry = tess_input_widget_get_control (input);
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (entry)), ==, "Who?");

  /* The user is typing "Ada" (nothing committed yet) when output arrives. */
  g_assert_true (gtk_widget_grab_focus (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Ada");
  gtk_editable_set_position (GTK_EDITABLE (entry), 2);
  g_assert_true (tess_input_widget_is_busy (input));
  tess_session_rerun_fragment (host->session, "form");
  tess_test_wait_until (NULL, label_says, &ref, 5, "the rerun's output");
  test_host_wait_idle (host);

  g_assert_true (test_host_find (host, "form", "name") == input);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Ada");
  g_assert_cmpint (gtk_editable_get_position (GTK_EDITABLE (entry)), ==, 2);
  focus = gtk_root_get_focus (GTK_ROOT (host->window));
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  /* Enter commits. */
  g_signal_emit_by_name (entry, "activate");
  value = tess_session_get_input_value (host->session, "name");
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "Ada");
  tess_test_wait_until (NULL, label_says, &committed, 5, "the committed text");
  test_host_free (host);
}

static gboolean
many_body (TessRun *run, gpointer user_data, GError **error)
{
  guint count = tess_run_get_count (run);

  for (guint i = 0; i < 1000; i++)
    tess_textf (run, "row %u of run %u", i, count);
  return TRUE;
}

static gboolean
many_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "many", many_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

/* Frames painted from the session's runs being done to the view showing
 * everything they made. */
typedef struct
{
  gboolean runs_done;
  gboolean shown;
  guint frames;
} FrameCount;

static void
count_runs_done_cb (TessSession *session, FrameCount *count)
{
  count->runs_done = TRUE;
}

static void
count_shown_cb (TessDashboardView *view, FrameCount *count)
{
  count->shown = TRUE;
}

static void
count_after_paint_cb (GdkFrameClock *clock, FrameCount *count)
{
  if (count->runs_done && !count->shown)
    count->frames++;
}

static void
watch_frames (TestHost *host, FrameCount *count)
{
  *count = (FrameCount){ 0 };
  g_signal_connect (host->session, "idle", G_CALLBACK (count_runs_done_cb), count);
  g_signal_connect (host->view, "idle", G_CALLBACK (count_shown_cb), count);
  g_signal_connect (gtk_widget_get_frame_clock (host->window), "after-paint", G_CALLBACK (count_after_paint_cb), count);
}

/* Once the runs are done, the thousand texts are whole on screen within
 * five frames. */
static void
assert_shown_within_five_frames (TestHost *host, FrameCount *count)
{
  g_assert_true (count->runs_done && count->shown);
  g_assert_cmpuint (count->frames, <=, 5);
  g_signal_handlers_disconnect_by_data (host->session, count);
  g_signal_handlers_disconnect_by_data (host->view, count);
  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (host->window), count);
}

static void
test_thousand_elements (void)
{
  TestHost *host = test_host_new (many_dashboard, NULL);
  FrameCount count;
  GtkWidget *first, *last;

  /* The window is realized: its frames can be counted from the start. */
  g_assert_nonnull (gtk_widget_get_frame_clock (host->window));
  watch_frames (host, &count);
  test_host_wait_idle (host);
  assert_shown_within_five_frames (host, &count);
  g_assert_cmpuint (test_host_n_children (host, "many"), ==, 1000);
  first = test_host_child (host, "many", 0);
  last = test_host_child (host, "many", 999);
  watch_frames (host, &count);
  tess_session_rerun_fragment (host->session, "many");
  test_host_wait_idle (host);
  assert_shown_within_five_frames (host, &count);
  g_assert_cmpuint (test_host_n_children (host, "many"), ==, 1000);
  g_assert_true (test_host_child (host, "many", 0) == first);
  g_assert_true (test_host_child (host, "many", 999) == last);
  g_assert_cmpstr (test_host_label_text (last), ==, "row 999 of run 2");
  test_host_free (host);
}

/* @content holds exactly rows 0 to @n - 1 of run @run, in order. */
static void
assert_rows (GtkWidget *content, guint n, guint run)
{
  GtkWidget *child = gtk_widget_get_first_child (content);

  for (guint i = 0; i < n; i++, child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *expected = g_strdup_printf ("row %u of run %u", i, run);
      g_assert_nonnull (child);
      g_assert_cmpstr (test_host_label_text (child), ==, expected);
    }
  g_assert_null (child);
}

/* A large update applied within a deadline is shown over several calls, in
 * order, and a newer update landing midway reuses what was already made. */
static void
test_budgeted_application (void)
{
  TestHost *host = test_host_new (many_dashboard, NULL);
  g_autoptr (TessReconciler) reconciler = tess_reconciler_new (NULL);
  g_autoptr (TessElement) first = NULL;
  g_autoptr (TessElement) second = NULL;
  TessScopeUpdate update = { .path = "many", .state = TESS_SCOPE_DONE, .progress = -1, .run_count = 1 };
  TessSlot *slot;
  GtkWidget *content, *early;
  guint calls = 0;

  test_host_wait_idle (host);
  first = tess_session_get_scope_root (host->session, "many");
  tess_session_rerun_fragment (host->session, "many");
  test_host_wait_idle (host);
  second = tess_session_get_scope_root (host->session, "many");

  slot = tess_reconciler_ensure_slot (reconciler, "many");
  content = tess_slot_get_content (slot);
  update.root = first;
  /* A deadline already past: one new widget per call. */
  g_assert_false (tess_reconciler_apply_update_within (reconciler, &update, 1));
  early = gtk_widget_get_first_child (content);
  g_assert_nonnull (early);
  g_assert_null (gtk_widget_get_next_sibling (early));
  for (calls = 1; calls < 10; calls++)
    g_assert_false (tess_reconciler_apply_update_within (reconciler, &update, 1));
  /* Each call resumed where the last stopped: ten rows, in order. */
  assert_rows (content, 10, 1);

  /* A newer tree arrives: what was made is kept and updated, the rest made. */
  update.root = second;
  update.run_count = 2;
  g_assert_true (tess_reconciler_apply_update_within (reconciler, &update, 0));
  g_assert_true (gtk_widget_get_first_child (content) == early);
  g_assert_cmpstr (test_host_label_text (early), ==, "row 0 of run 2");
  assert_rows (content, 1000, 2);
  test_host_free (host);
}

/* A live fragment: reruns every 100 ms, making a new frame each time with
 * the same values, unless told to change its title. */
typedef struct
{
  gint runs;
  gint changed;
  GdkFrameClock *clock;
  guint paints;
  guint updates;
} Live;

static gboolean
live_body (TessRun *run, gpointer user_data, GError **error)
{
  Live *live = user_data;
  const double x[] = { 1, 2, 3, 4 }, price[] = { 10.5, 11, 9.75, 12 };
  TessColumn *columns[2] = { tess_column_new_double ("day", x, 4), tess_column_new_double ("price", price, 4) };
  const char *const y[] = { "price", NULL };
  g_autoptr (TessFrame) frame = tess_frame_new (columns, 2, error);

  tess_column_unref (columns[0]);
  tess_column_unref (columns[1]);
  if (frame == NULL)
    return FALSE;
  tess_title (run, g_atomic_int_get (&live->changed) ? "Prices, changed" : "Prices");
  tess_text (run, "Four days of prices");
  tess_line_chart (run, frame, "day", y, NULL);
  tess_dataframe (run, frame, NULL, NULL);
  g_atomic_int_inc (&live->runs);
  return TRUE;
}

static gboolean
live_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  TessFragmentOptions options = { .flags = TESS_FRAGMENT_PARALLEL, .run_every = 0.1 };

  tess_fragment_full (run, "live", live_body, user_data, NULL, &options);
  return TRUE;
}

static void
live_after_paint_cb (GdkFrameClock *clock, Live *live)
{
  live->paints++;
}

static void
live_scope_updated_cb (TessSession *session, const TessScopeUpdate *update, Live *live)
{
  if (g_str_equal (update->path, "live"))
    live->updates++;
}

typedef struct
{
  Live *live;
  gint runs;
} RunsAtLeast;

static gboolean
runs_at_least (gpointer data)
{
  RunsAtLeast *wait = data;

  return g_atomic_int_get (&wait->live->runs) >= wait->runs;
}

static void
test_equal_output_untouched (void)
{
  Live live = { 0 };
  TestHost *host = test_host_new (live_dashboard, &live);
  GtkWidget *widgets[4];
  TessElement *elements[4];
  RunsAtLeast wait = { &live, 0 };
  guint paints;

  test_host_wait_idle (host);
  g_assert_cmpuint (test_host_n_children (host, "live"), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      widgets[i] = test_host_child (host, "live", i);
      elements[i] = tess_reconciler_get_widget_element (widgets[i]);
    }
  /* Whatever the first frames still had to paint is painted. */
  live.clock = gtk_widget_get_frame_clock (host->window);
  g_signal_connect (live.clock, "after-paint", G_CALLBACK (live_after_paint_cb), &live);
  g_signal_connect (host->session, "scope-updated", G_CALLBACK (live_scope_updated_cb), &live);
  do
    {
      paints = live.paints;
      test_host_spin (300);
    }
  while (live.paints != paints);

  /* Five reruns with the same output: no update reaches the window, no
   * widget is touched, nothing is painted, and the page reads the same. */
  live.paints = live.updates = 0;
  wait.runs = g_atomic_int_get (&live.runs) + 5;
  tess_test_wait_until (NULL, runs_at_least, &wait, 30, "five reruns");
  test_host_wait_idle (host);
  g_assert_cmpuint (live.updates, ==, 0);
  g_assert_cmpuint (live.paints, ==, 0);
  g_assert_cmpuint (test_host_n_children (host, "live"), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (test_host_child (host, "live", i) == widgets[i]);
      g_assert_true (tess_reconciler_get_widget_element (widgets[i]) == elements[i]);
      g_assert_false (gtk_widget_has_css_class (widgets[i], "tess-stale"));
    }
  g_assert_cmpstr (test_host_label_text (widgets[0]), ==, "Prices");
  g_assert_cmpint (tess_slot_get_state (test_host_slot (host, "live")), ==, TESS_SCOPE_DONE);

  /* A rerun whose output differs is shown, in the same widgets, and only
   * the changed one is updated. */
  g_atomic_int_set (&live.changed, TRUE);
  wait.runs = g_atomic_int_get (&live.runs) + 2;
  tess_test_wait_until (NULL, runs_at_least, &wait, 30, "a changed rerun");
  test_host_wait_idle (host);
  g_assert_cmpuint (live.updates, >, 0);
  g_assert_cmpstr (test_host_label_text (test_host_child (host, "live", 0)), ==, "Prices, changed");
  for (guint i = 0; i < 4; i++)
    g_assert_true (test_host_child (host, "live", i) == widgets[i]);
  g_assert_true (tess_reconciler_get_widget_element (widgets[0]) != elements[0]);
  for (guint i = 1; i < 4; i++)
    g_assert_true (tess_reconciler_get_widget_element (widgets[i]) == elements[i]);
  test_host_spin (100);
  g_assert_cmpuint (live.paints, >, 0);

  g_signal_handlers_disconnect_by_data (live.clock, &live);
  g_signal_handlers_disconnect_by_data (host->session, &live);
  test_host_free (host);
}

int
main (int argc, char **argv)
{
  test_host_init (&argc, &argv);

  g_test_add_func ("/Reconciler/identity-across-reruns", test_identity_across_reruns);
  g_test_add_func ("/Reconciler/input-change-reruns", test_input_change_reruns);
  g_test_add_func ("/Reconciler/structure-changes", test_structure_changes);
  g_test_add_func ("/Reconciler/typing-survives-update", test_typing_survives_update);
  g_test_add_func ("/Reconciler/thousand-elements", test_thousand_elements);
  g_test_add_func ("/Reconciler/budgeted-application", test_budgeted_application);
  g_test_add_func ("/Reconciler/equal-output-untouched", test_equal_output_untouched);
  return g_test_run ();
}
