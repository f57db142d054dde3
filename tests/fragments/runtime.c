/* runtime.c: the runtime's contracts beyond the scenarios: identities and
 * duplicates, inputs and --set, which fragment an input belongs to, layout,
 * sequential fragments, the timeline and the stream of updates.
 */
#include "test-host.h"
#include "tess-test-wait.h"

#include <json-glib/json-glib.h>

static gboolean
duplicate_inputs (TessRun *run, gpointer data, GError **error)
{
  tess_slider (run, "Level", 0, 10, 1, NULL);
  tess_slider (run, "Level", 0, 10, 2, NULL);
  tess_text (run, "still running");
  return TRUE;
}

static void
test_duplicate_input_is_a_clear_error (void)
{
  g_autoptr (TestHost) host = test_host_new (duplicate_inputs, NULL);
  const char *message;

  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpint (test_host_state (host, ""), ==, TESS_SCOPE_ERROR);
  message = g_hash_table_lookup (host->errors, "");
  g_assert_nonnull (strstr (message, "slider:Level"));
  g_assert_nonnull (strstr (message, "slider “Level” and slider “Level”"));
  /* The error is shown where the second declaration stood; the run went on. */
  g_assert_nonnull (test_host_find_text (host, "", TESS_ELEMENT_CALLOUT, "Two inputs"));
  g_assert_nonnull (test_host_find_text (host, "", TESS_ELEMENT_TEXT, "still running"));
}

static gboolean
noop_fragment (TessRun *run, gpointer data, GError **error)
{
  tess_text (run, "fragment");
  return TRUE;
}

static gboolean
duplicate_fragments (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "same", noop_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "same", noop_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_duplicate_fragment_key (void)
{
  g_autoptr (TestHost) host = test_host_new (duplicate_fragments, NULL);

  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpint (test_host_state (host, ""), ==, TESS_SCOPE_ERROR);
  g_assert_nonnull (strstr (g_hash_table_lookup (host->errors, ""), "“same” is declared twice"));
  g_assert_cmpuint (test_host_count_kind (host, "", TESS_ELEMENT_FRAGMENT), ==, 1);
  g_assert_cmpint (test_host_state (host, "same"), ==, TESS_SCOPE_DONE);
}

/* An input belongs to one fragment. "left" and "right" run in parallel and
 * declare the same key; "right" waits until "left" has, so the outcome does
 * not depend on which worker is faster. "reader" looks it up. */

static const char *const regions[] = { "EMEA", "APAC", "AMER", NULL };

typedef struct
{
  GMutex lock;
  GCond declared_cond;
  gboolean declared;
} Gate;

/* Blocks @run until "left" has declared its input; the CPU slot is free meanwhile. */
static void
gate_wait (TessRun *run, Gate *gate)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  tess_run_blocking_begin (run);
  g_mutex_lock (&gate->lock);
  while (!gate->declared && g_cond_wait_until (&gate->declared_cond, &gate->lock, deadline))
    ;
  g_mutex_unlock (&gate->lock);
  tess_run_blocking_end (run);
}

static gboolean
region_left (TessRun *run, gpointer data, GError **error)
{
  Gate *gate = data;
  const char *region = tess_selectbox (run, "Region", regions, 0, &(TessInputOptions){ .key = "region" });

  g_mutex_lock (&gate->lock);
  gate->declared = TRUE;
  g_cond_broadcast (&gate->declared_cond);
  g_mutex_unlock (&gate->lock);
  tess_textf (run, "left %s", region);
  tess_textf (run, "ran %u", tess_run_get_count (run));
  return TRUE;
}

static gboolean
region_right (TessRun *run, gpointer data, GError **error)
{
  gate_wait (run, data);
  tess_selectbox (run, "Area", regions, 1, &(TessInputOptions){ .key = "region" });
  tess_text (run, "right went on");
  return TRUE;
}

static gboolean
region_reader (TessRun *run, gpointer data, GError **error)
{
  TessInput *input;

  gate_wait (run, data);
  input = tess_input_lookup (run, "region");
  tess_textf (run, "reader %s", input != NULL ? tess_input_get_string (run, input) : "none");
  return TRUE;
}

static gboolean
region_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "left", region_left, data, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "right", region_right, data, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static gboolean
region_reader_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "left", region_left, data, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "reader", region_reader, data, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_input_in_two_fragments_is_an_error (void)
{
  Gate gate = { 0 };
  g_autoptr (TestHost) host = NULL;
  const char *message;

  g_mutex_init (&gate.lock);
  g_cond_init (&gate.declared_cond);
  host = test_host_new (region_dashboard, &gate);
  test_host_start (host);
  test_host_wait_idle (host, 5);

  /* The second declaration fails, naming both; the first stands. */
  g_assert_cmpint (test_host_state (host, "left"), ==, TESS_SCOPE_DONE);
  g_assert_cmpint (test_host_state (host, "right"), ==, TESS_SCOPE_ERROR);
  message = g_hash_table_lookup (host->errors, "right");
  g_assert_nonnull (strstr (message, "The input key “region” is declared in two places"));
  g_assert_nonnull (strstr (message, "selectbox “Region” in the fragment “left”"));
  g_assert_nonnull (strstr (message, "selectbox “Area” in the fragment “right”"));
  g_assert_nonnull (strstr (message, "tess_input_lookup()"));
  /* Shown where the input would have been, and the fragment went on. */
  g_assert_nonnull (test_host_find_text (host, "right", TESS_ELEMENT_CALLOUT, "The input key “region”"));
  g_assert_nonnull (test_host_find_text (host, "right", TESS_ELEMENT_TEXT, "right went on"));
  g_assert_cmpuint (test_host_count_kind (host, "right", TESS_ELEMENT_SELECTBOX), ==, 0);
  /* The input is still the first declaration's. */
  g_assert_cmpuint (test_host_count_kind (host, "left", TESS_ELEMENT_SELECTBOX), ==, 1);
  g_assert_cmpstr (test_host_find_text (host, "left", TESS_ELEMENT_TEXT, "left"), ==, "left EMEA");

  /* However it reruns, the owner stays fine and the other keeps failing. */
  test_host_set (host, "region", g_variant_new_string ("AMER"));
  test_host_wait_idle (host, 5);
  g_assert_cmpstr (test_host_find_text (host, "left", TESS_ELEMENT_TEXT, "left"), ==, "left AMER");
  g_assert_cmpint (test_host_state (host, "left"), ==, TESS_SCOPE_DONE);
  tess_session_rerun (host->session);
  test_host_wait_idle (host, 5);
  g_assert_cmpint (test_host_state (host, "left"), ==, TESS_SCOPE_DONE);
  g_assert_cmpint (test_host_state (host, "right"), ==, TESS_SCOPE_ERROR);
  g_assert_nonnull (strstr (g_hash_table_lookup (host->errors, "right"), "in the fragment “left”"));
  g_assert_cmpstr (test_host_find_text (host, "left", TESS_ELEMENT_TEXT, "left"), ==, "left AMER");

  g_clear_pointer (&host, test_host_free);
  g_mutex_clear (&gate.lock);
  g_cond_clear (&gate.declared_cond);
}

static void
test_input_lookup_from_another_fragment (void)
{
  Gate gate = { 0 };
  g_autoptr (TestHost) host = NULL;

  g_mutex_init (&gate.lock);
  g_cond_init (&gate.declared_cond);
  host = test_host_new (region_reader_dashboard, &gate);
  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  g_assert_cmpint (test_host_state (host, "reader"), ==, TESS_SCOPE_DONE);
  g_assert_cmpstr (test_host_find_text (host, "reader", TESS_ELEMENT_TEXT, "reader"), ==, "reader EMEA");
  /* The reader depends on what it read: a change reruns it too. */
  test_host_set (host, "region", g_variant_new_string ("APAC"));
  test_host_wait_idle (host, 5);
  g_assert_cmpstr (test_host_find_text (host, "reader", TESS_ELEMENT_TEXT, "reader"), ==, "reader APAC");
  g_assert_cmpstr (test_host_find_text (host, "left", TESS_ELEMENT_TEXT, "left"), ==, "left APAC");

  /* The owner rerunning re-declares its own input, alone or with the dashboard. */
  tess_session_rerun_fragment (host->session, "left");
  test_host_wait_idle (host, 5);
  tess_session_rerun (host->session);
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "left"), ==, 4);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  g_assert_cmpstr (test_host_find_text (host, "reader", TESS_ELEMENT_TEXT, "reader"), ==, "reader APAC");

  g_clear_pointer (&host, test_host_free);
  g_mutex_clear (&gate.lock);
  g_cond_clear (&gate.declared_cond);
}

/* The dashboard's input, declared again two levels down. */

static gboolean
nested_inner (TessRun *run, gpointer data, GError **error)
{
  tess_slider (run, "Depth", 0, 10, 5, &(TessInputOptions){ .key = "level" });
  return TRUE;
}

static gboolean
nested_outer (TessRun *run, gpointer data, GError **error)
{
  tess_slider (run, "Zoom", 0, 10, 1, &(TessInputOptions){ .key = "zoom" });
  tess_fragment (run, "inner", nested_inner, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static gboolean
nested_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_declare (run, &(TessInputSpec){ .kind = TESS_INPUT_SLIDER, .key = "level", .label = "Level", .max = 10 });
  tess_fragment (run, "outer", nested_outer, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_input_in_dashboard_and_nested_fragment (void)
{
  g_autoptr (TestHost) host = test_host_new (nested_dashboard, NULL);
  const char *message;

  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpint (test_host_state (host, ""), ==, TESS_SCOPE_DONE);
  g_assert_cmpint (test_host_state (host, "outer"), ==, TESS_SCOPE_DONE);
  g_assert_cmpint (test_host_state (host, "outer/inner"), ==, TESS_SCOPE_ERROR);
  message = g_hash_table_lookup (host->errors, "outer/inner");
  g_assert_nonnull (strstr (message, "slider “Level” in the dashboard"));
  g_assert_nonnull (strstr (message, "slider “Depth” in the fragment “outer/inner”"));

  /* A parent rerunning re-declares its own input and its child. */
  test_host_set (host, "zoom", g_variant_new_double (3));
  test_host_wait_idle (host, 5);
  g_assert_cmpint (test_host_state (host, "outer"), ==, TESS_SCOPE_DONE);
  g_assert_cmpint (test_host_state (host, "outer/inner"), ==, TESS_SCOPE_ERROR);
}

/* A second declaration long after the first, and a key that moves from one
 * fragment to another when the first leaves the page. */

static gboolean
keyed_filter (TessRun *run, gpointer data, GError **error)
{
  tess_textf (run, "filter %.0f", tess_slider (run, data, 0, 10, 1, &(TessInputOptions){ .key = "filter" }));
  return TRUE;
}

static const char *const views[] = { "a", "b", "both", NULL };

static gboolean
views_dashboard (TessRun *run, gpointer data, GError **error)
{
  const char *view = tess_radio (run, "View", views, 0, &(TessInputOptions){ .key = "view" });

  if (!g_str_equal (view, "b"))
    tess_fragment (run, "a", keyed_filter, (gpointer) "Filter A", TESS_FRAGMENT_PARALLEL);
  if (!g_str_equal (view, "a"))
    tess_fragment (run, "b", keyed_filter, (gpointer) "Filter B", TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_input_key_moves_and_late_duplicates (void)
{
  g_autoptr (TestHost) host = test_host_new (views_dashboard, NULL);
  const char *loser, *message;

  test_host_start (host);
  test_host_wait_idle (host, 5);
  test_host_set (host, "filter", g_variant_new_double (7));
  test_host_wait_idle (host, 5);
  g_assert_cmpstr (test_host_find_text (host, "a", TESS_ELEMENT_TEXT, NULL), ==, "filter 7");

  /* "a" leaves the page as "b" arrives: the key is b's now, value and all. */
  test_host_set (host, "view", g_variant_new_string ("b"));
  test_host_wait_idle (host, 5);
  g_assert_null (test_host_root (host, "a"));
  g_assert_cmpint (test_host_state (host, "b"), ==, TESS_SCOPE_DONE);
  g_assert_cmpstr (test_host_find_text (host, "b", TESS_ELEMENT_TEXT, NULL), ==, "filter 7");
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);

  /* Both on the page: the one that declares it second fails, naming both.
   * They run in parallel, so which one that is may vary. */
  test_host_set (host, "view", g_variant_new_string ("both"));
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_count_errors (host), ==, 2); /* the slot and its callout */
  loser = test_host_state (host, "a") == TESS_SCOPE_ERROR ? "a" : "b";
  g_assert_cmpint (test_host_state (host, loser), ==, TESS_SCOPE_ERROR);
  g_assert_cmpint (test_host_state (host, g_str_equal (loser, "a") ? "b" : "a"), ==, TESS_SCOPE_DONE);
  message = g_hash_table_lookup (host->errors, loser);
  g_assert_nonnull (strstr (message, "slider “Filter A” in the fragment “a”"));
  g_assert_nonnull (strstr (message, "slider “Filter B” in the fragment “b”"));

  /* With "b" gone, "a" holds it, whichever failed. */
  test_host_set (host, "view", g_variant_new_string ("a"));
  test_host_wait_idle (host, 5);
  g_assert_cmpint (test_host_state (host, "a"), ==, TESS_SCOPE_DONE);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
}

static const char *const symbols[] = { "AAPL", "MSFT", "IBM", NULL };

static gboolean
inputs_dashboard (TessRun *run, gpointer data, GError **error)
{
  double low = 2, high = 8;

  tess_textf (run, "months %.0f", tess_slider (run, "Months", 1, 36, 12, NULL));
  tess_textf (run, "symbol %s", tess_selectbox (run, "Symbol", symbols, 1, NULL));
  tess_range_slider (run, "Window", 0, 10, &low, &high, &(TessInputOptions){ .key = "window" });
  tess_textf (run, "window %.0f-%.0f", low, high);
  tess_textf (run, "picked %u", g_strv_length ((char **) tess_multiselect (run, "Picked", symbols, symbols, NULL)));
  tess_textf (run, "dark %d", tess_toggle (run, "Dark", FALSE, NULL));
  tess_textf (run, "day %s", tess_date_input (run, "Day", "2020-05-01", NULL));
  return TRUE;
}

static void
test_set_inputs_from_strings (void)
{
  g_autoptr (TestHost) host = test_host_new (inputs_dashboard, NULL);
  g_autoptr (GError) error = NULL;

  /* Before the first run, by label or key: taken when the input is declared. */
  g_assert_true (tess_session_set_input_from_string (host->session, "Months", "24", &error));
  g_assert_true (tess_session_set_input_from_string (host->session, "window", "1,3", &error));
  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_nonnull (test_host_find_text (host, "", TESS_ELEMENT_TEXT, "months 24"));
  g_assert_nonnull (test_host_find_text (host, "", TESS_ELEMENT_TEXT, "symbol MSFT"));
  g_assert_nonnull (test_host_find_text (host, "", TESS_ELEMENT_TEXT, "window 1-3"));
  g_assert_nonnull (test_host_find_text (host, "", TESS_ELEMENT_TEXT, "picked 3"));

  /* After: parsed for the input's kind, validated, and it reruns what reads it. */
  g_assert_true (tess_session_set_input_from_string (host->session, "Symbol", "IBM", &error));
  g_assert_true (tess_session_set_input_from_string (host->session, "Picked", "AAPL, IBM", &error));
  g_assert_true (tess_session_set_input_from_string (host->session, "Dark", "yes", &error));
  g_assert_true (tess_session_set_input_from_string (host->session, "Months", "99", &error));
  g_assert_no_error (error);
  test_host_wait_idle (host, 5);
  g_assert_nonnull (test_host_find_text (host, "", TESS_ELEMENT_TEXT, "symbol IBM"));
  g_assert_nonnull (test_host_find_text (host, "", TESS_ELEMENT_TEXT, "picked 2"));
  g_assert_nonnull (test_host_find_text (host, "", TESS_ELEMENT_TEXT, "dark 1"));
  /* Clamped to the slider's range. */
  g_assert_nonnull (test_host_find_text (host, "", TESS_ELEMENT_TEXT, "months 36"));

  g_assert_false (tess_session_set_input_from_string (host->session, "Symbol", "GOOG", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“GOOG” is not one of the options of “Symbol” (AAPL, MSFT, IBM)"));
  g_clear_error (&error);
  g_assert_false (tess_session_set_input_from_string (host->session, "Months", "many", &error));
  g_assert_nonnull (strstr (error->message, "“many” is not a number"));
  g_clear_error (&error);
  g_assert_false (tess_session_set_input_from_string (host->session, "Day", "2021-02-30", &error));
  g_assert_nonnull (strstr (error->message, "YYYY-MM-DD"));
  g_clear_error (&error);
  g_assert_false (tess_session_set_input (host->session, "slider:Months", g_variant_new_string ("x"), &error));
  g_assert_nonnull (strstr (error->message, "takes a value of type d"));
  g_clear_error (&error);
  g_assert_false (tess_session_set_input (host->session, "nothing", g_variant_new_double (1), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static gboolean
layout_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_title (run, "Layout");
  tess_columns_begin (run);
  tess_column_begin (run, 2);
  tess_metric (run, "Left", "1", "+1");
  tess_end (run);
  tess_column_begin (run, 1);
  tess_expander_begin (run, "More", FALSE);
  tess_text (run, "inside");
  tess_end (run);
  tess_end (run);
  tess_end (run);
  tess_sidebar_begin (run);
  tess_checkbox (run, "Flag", FALSE, NULL);
  tess_end (run);
  if (GPOINTER_TO_INT (data))
    tess_container_begin (run, "left-open");
  return TRUE;
}

static void
test_layout_tree_and_ids (void)
{
  g_autoptr (TestHost) host = test_host_new (layout_dashboard, GINT_TO_POINTER (FALSE));
  g_autoptr (TestHost) broken = test_host_new (layout_dashboard, GINT_TO_POINTER (TRUE));
  g_autofree char *text = NULL;
  g_autoptr (TessElement) root = NULL;
  TessElement *columns, *column;

  test_host_start (host);
  test_host_wait_idle (host, 5);
  root = tess_element_ref (test_host_root (host, ""));
  text = tess_element_to_text (root);
  g_assert_cmpstr (text, ==,
                   "title: Layout\n"
                   "columns\n"
                   "  column\n"
                   "    metric Left: 1 (+1)\n"
                   "  column\n"
                   "    expander More\n"
                   "      text: inside\n"
                   "sidebar\n"
                   "  checkbox Flag = false\n");
  columns = tess_element_get_child (root, 1);
  column = tess_element_get_child (columns, 0);
  g_assert_cmpstr (tess_element_get_id (columns), ==, "columns:0");
  g_assert_cmpstr (tess_element_get_id (tess_element_get_child (columns, 1)), ==, "column:1");
  g_assert_cmpfloat (tess_element_get_double (column, "weight", 0), ==, 2);
  g_assert_cmpstr (tess_element_get_id (tess_element_get_child (tess_element_get_child (root, 2), 0)), ==,
                   "checkbox:Flag");

  /* A rerun that emits the same content keeps identities. */
  tess_session_rerun (host->session);
  test_host_wait_idle (host, 5);
  g_assert_true (tess_element_equal (root, test_host_root (host, "")));

  test_host_start (broken);
  test_host_wait_idle (broken, 5);
  g_assert_cmpint (test_host_state (broken, ""), ==, TESS_SCOPE_ERROR);
  g_assert_nonnull (strstr (g_hash_table_lookup (broken->errors, ""), "never closed with tess_end()"));
}

typedef struct
{
  GPtrArray *order;
  GMutex lock;
} Order;

static gboolean
sequential_step (TessRun *run, gpointer data, GError **error)
{
  Order *order = data;

  tess_run_wait (run, 0.02);
  g_mutex_lock (&order->lock);
  g_ptr_array_add (order->order, g_strdup (tess_run_get_path (run)));
  g_mutex_unlock (&order->lock);
  tess_text (run, tess_run_get_path (run));
  return TRUE;
}

static gboolean
sequential_dashboard (TessRun *run, gpointer data, GError **error)
{
  Order *order = data;

  tess_fragment (run, "one", sequential_step, order, TESS_FRAGMENT_SEQUENTIAL);
  tess_fragment (run, "two", sequential_step, order, TESS_FRAGMENT_SEQUENTIAL);
  g_mutex_lock (&order->lock);
  g_ptr_array_add (order->order, g_strdup ("top"));
  g_mutex_unlock (&order->lock);
  return TRUE;
}

static void
test_sequential_fragments_run_inline (void)
{
  Order order = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr (TestHost) host = test_host_new (sequential_dashboard, &order);
  g_autoptr (GPtrArray) records = NULL;
  g_autofree char *json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *object;
  JsonArray *runs;

  g_mutex_init (&order.lock);
  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (order.order->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (order.order, 0), ==, "one");
  g_assert_cmpstr (g_ptr_array_index (order.order, 1), ==, "two");
  g_assert_cmpstr (g_ptr_array_index (order.order, 2), ==, "top");
  g_assert_cmpstr (test_host_find_text (host, "two", TESS_ELEMENT_TEXT, NULL), ==, "two");

  /* The timeline as --timeline writes it. */
  json = tess_session_timeline_to_json (host->session);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (object, "total_ms"));
  runs = json_object_get_array_member (object, "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *run = json_array_get_object_element (runs, i);
      g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "ok");
      g_assert_false (json_object_get_boolean_member (run, "parallel"));
      g_assert_cmpfloat (json_object_get_double_member (run, "end_ms"), >=,
                         json_object_get_double_member (run, "start_ms"));
      g_assert_cmpfloat (json_object_get_double_member (run, "start_ms"), >=,
                         json_object_get_double_member (run, "queued_ms"));
    }
  records = tess_session_get_timeline (host->session);
  g_assert_cmpstr (((TessRunRecord *) g_ptr_array_index (records, 0))->fragment, ==, "");

  g_mutex_clear (&order.lock);
  g_ptr_array_unref (order.order);
}

/* The timeline while a fragment is still running, and once the session closed. */

static gboolean
quick_fragment (TessRun *run, gpointer data, GError **error)
{
  tess_text (run, "quick");
  return TRUE;
}

static gboolean
endless_fragment (TessRun *run, gpointer data, GError **error)
{
  tess_text (run, "started");
  tess_run_wait (run, 3600); /* until the session closes */
  return TRUE;
}

static gboolean
endless_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "quick", quick_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "endless", endless_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static gboolean
endless_is_running (gpointer data)
{
  TestHost *host = data;

  return g_hash_table_contains (host->states, "") &&
         GPOINTER_TO_INT (g_hash_table_lookup (host->states, "")) == TESS_SCOPE_DONE &&
         g_hash_table_contains (host->states, "quick") &&
         GPOINTER_TO_INT (g_hash_table_lookup (host->states, "quick")) == TESS_SCOPE_DONE &&
         g_hash_table_contains (host->states, "endless") &&
         GPOINTER_TO_INT (g_hash_table_lookup (host->states, "endless")) == TESS_SCOPE_RUNNING;
}

/* Waits far too long to count in microseconds: until the session closes. */
static gboolean
forever_fragment (TessRun *run, gpointer data, GError **error)
{
  tess_text (run, "started");
  if (tess_run_wait (run, 1e308))
    tess_text (run, "woke up");
  return TRUE;
}

static gboolean
forever_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "quick", quick_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "endless", forever_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

/* A huge wait never wraps into no wait at all. */
static void
test_huge_wait_waits (void)
{
  g_autoptr (TestHost) host = test_host_new (forever_dashboard, NULL);

  test_host_start (host);
  tess_test_wait_until (NULL, endless_is_running, host, 10, "the endless fragment to start");
  test_host_run_for (host, 0.3);
  g_assert_cmpint (test_host_state (host, "endless"), ==, TESS_SCOPE_RUNNING);
  g_assert_null (test_host_find_text (host, "endless", TESS_ELEMENT_TEXT, "woke up"));
  tess_session_close (host->session);
}

static TessRunRecord *
only_record_of (GPtrArray *records, const char *fragment)
{
  TessRunRecord *found = NULL;

  for (guint i = 0; i < records->len; i++)
    {
      TessRunRecord *record = g_ptr_array_index (records, i);
      if (g_str_equal (record->fragment, fragment))
        {
          g_assert_null (found);
          found = record;
        }
    }
  g_assert_nonnull (found);
  return found;
}

static void
test_timeline_lists_running_runs (void)
{
  g_autoptr (TestHost) host = test_host_new (endless_dashboard, NULL);
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GPtrArray) closed = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  TessRunRecord *endless;
  JsonArray *runs;
  gboolean seen = FALSE;

  test_host_start (host);
  tess_test_poll_until (NULL, endless_is_running, host, 5, "the endless fragment to run alone");

  records = tess_session_get_timeline (host->session);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpint (only_record_of (records, "")->status, ==, TESS_RUN_OK);
  g_assert_cmpint (only_record_of (records, "quick")->status, ==, TESS_RUN_OK);
  endless = only_record_of (records, "endless");
  g_assert_cmpint (endless->status, ==, TESS_RUN_RUNNING);
  g_assert_true (endless->parallel);
  g_assert_cmpuint (endless->serial, ==, 1);
  g_assert_cmpfloat (endless->start_ms, >=, endless->queued_ms);
  g_assert_cmpfloat (endless->first_output_ms, >=, endless->start_ms);
  g_assert_cmpfloat (endless->end_ms, <, 0);
  g_assert_null (endless->error);

  /* As --timeline writes it: running, with no end yet. */
  json = tess_session_timeline_to_json (host->session);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  runs = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 3);
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonObject *run = json_array_get_object_element (runs, i);
      if (!g_str_equal (json_object_get_string_member (run, "fragment"), "endless"))
        continue;
      seen = TRUE;
      g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "running");
      g_assert_true (json_object_get_null_member (run, "end_ms"));
      g_assert_cmpfloat (json_object_get_double_member (run, "start_ms"), >=, 0);
    }
  g_assert_true (seen);

  /* Closing the session cuts it short: it ends there, cancelled. */
  tess_session_close (host->session);
  closed = tess_session_get_timeline (host->session);
  g_assert_cmpuint (closed->len, ==, 3);
  endless = only_record_of (closed, "endless");
  g_assert_cmpint (endless->status, ==, TESS_RUN_CANCELLED);
  g_assert_cmpfloat (endless->end_ms, >=, endless->start_ms);
  g_assert_cmpint (only_record_of (closed, "quick")->status, ==, TESS_RUN_OK);
}

static gboolean
many_readers_fragment (TessRun *run, gpointer data, GError **error)
{
  TessInput *input = tess_input_lookup (run, "level");
  double value = tess_input_get_double (run, input);

  if (!tess_run_wait (run, 0.05))
    return TRUE;
  tess_textf (run, "level %.0f", value);
  return TRUE;
}

static gboolean
many_readers (TessRun *run, gpointer data, GError **error)
{
  tess_declare (run, &(TessInputSpec){ .kind = TESS_INPUT_SLIDER, .key = "level", .label = "Level", .max = 1000 });
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *key = g_strdup_printf ("reader%u", i);
      tess_fragment (run, key, many_readers_fragment, NULL, TESS_FRAGMENT_PARALLEL);
    }
  return TRUE;
}

static void
test_coalescing_under_rapid_changes (void)
{
  g_autoptr (TestHost) host = test_host_new (many_readers, NULL);
  g_autoptr (GPtrArray) records = NULL;
  guint runs = 0, top_runs = 0;

  test_host_start (host);
  test_host_wait_idle (host, 5);
  for (guint i = 1; i <= 100; i++)
    {
      test_host_set (host, "level", g_variant_new_double (i));
      g_main_context_iteration (NULL, FALSE);
    }
  test_host_wait_idle (host, 10);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *key = g_strdup_printf ("reader%u", i);
      g_assert_cmpstr (test_host_find_text (host, key, TESS_ELEMENT_TEXT, NULL), ==, "level 100");
    }
  records = tess_session_get_timeline (host->session);
  for (guint i = 0; i < records->len; i++)
    {
      TessRunRecord *record = g_ptr_array_index (records, i);
      runs += g_str_has_prefix (record->fragment, "reader");
      top_runs += *record->fragment == '\0';
    }
  /* 8 first runs, then per reader at most the one in flight and the one pending. */
  g_assert_cmpuint (runs, <=, 8 * 3);
  g_assert_cmpuint (top_runs, ==, 1);
}

static gint computations;

static gpointer
expensive_frame (GCancellable *cancellable, gpointer user_data, GError **error)
{
  double values[] = { 1, 2, 3 };
  TessColumn *column = tess_column_new_double ("x", values, G_N_ELEMENTS (values));
  TessFrame *frame = tess_frame_new (&column, 1, error);

  g_atomic_int_inc (&computations);
  tess_column_unref (column);
  return frame;
}

static gboolean
cached_fragment (TessRun *run, gpointer data, GError **error)
{
  g_autoptr (TessFrame) frame = tess_cache_call (run, "runtime-test-frame", expensive_frame, NULL, NULL, error);

  if (frame == NULL)
    return FALSE;
  tess_textf (run, "%" G_GSIZE_FORMAT " rows", tess_frame_get_n_rows (frame));
  return TRUE;
}

static gboolean
cached_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "cached", cached_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_reload_reads_again (void)
{
  g_autoptr (TestHost) host = test_host_new (cached_dashboard, NULL);

  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpint (g_atomic_int_get (&computations), ==, 1);

  /* A fragment rerun uses what is cached until the dashboard reloads... */
  tess_session_rerun_fragment (host->session, "cached");
  test_host_wait_idle (host, 5);
  g_assert_cmpint (g_atomic_int_get (&computations), ==, 1);

  /* ...and a reload computes it again. */
  tess_session_rerun (host->session);
  test_host_wait_idle (host, 5);
  g_assert_cmpint (g_atomic_int_get (&computations), ==, 2);
  g_assert_cmpstr (test_host_find_text (host, "cached", TESS_ELEMENT_TEXT, NULL), ==, "3 rows");
}

/* Stands in for GTK's redraw when every frame takes longer than the frame
 * interval: always ready, just above the delivery's priority. */
static gboolean
slow_frame (gpointer data)
{
  g_usleep (20000);
  return G_SOURCE_CONTINUE;
}

static gboolean
starved_fragment (TessRun *run, gpointer data, GError **error)
{
  tess_text (run, "delivered");
  return TRUE;
}

static gboolean
starved_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "f", starved_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_delivery_is_not_starved_by_redraw (void)
{
  g_autoptr (TestHost) host = test_host_new (starved_dashboard, NULL);
  guint frames = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, slow_frame, NULL, NULL);

  test_host_start (host);
  test_host_wait_idle (host, 10);
  g_source_remove (frames);
  g_assert_cmpstr (test_host_find_text (host, "f", TESS_ELEMENT_TEXT, NULL), ==, "delivered");
  g_assert_cmpint (test_host_state (host, "f"), ==, TESS_SCOPE_DONE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Runtime/duplicate-input", test_duplicate_input_is_a_clear_error);
  g_test_add_func ("/Runtime/duplicate-fragment", test_duplicate_fragment_key);
  g_test_add_func ("/Runtime/input-in-two-fragments", test_input_in_two_fragments_is_an_error);
  g_test_add_func ("/Runtime/input-lookup-from-another-fragment", test_input_lookup_from_another_fragment);
  g_test_add_func ("/Runtime/input-in-dashboard-and-nested-fragment", test_input_in_dashboard_and_nested_fragment);
  g_test_add_func ("/Runtime/input-key-moves-and-late-duplicates", test_input_key_moves_and_late_duplicates);
  g_test_add_func ("/Runtime/set-inputs-from-strings", test_set_inputs_from_strings);
  g_test_add_func ("/Runtime/layout-tree-and-ids", test_layout_tree_and_ids);
  g_test_add_func ("/Runtime/sequential-fragments", test_sequential_fragments_run_inline);
  g_test_add_func ("/Runtime/timeline-lists-running-runs", test_timeline_lists_running_runs);
  g_test_add_func ("/Runtime/coalescing", test_coalescing_under_rapid_changes);
  g_test_add_func ("/Runtime/reload-reads-again", test_reload_reads_again);
  g_test_add_func ("/Runtime/huge-wait-waits", test_huge_wait_waits);
  g_test_add_func ("/Runtime/delivery-not-starved-by-redraw", test_delivery_is_not_starved_by_redraw);

  return g_test_run ();
}
