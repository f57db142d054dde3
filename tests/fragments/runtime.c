/* runtime.c: the runtime's contracts beyond the scenarios: identities and
 * duplicates, inputs and --set, layout, sequential fragments, the timeline and
 * the stream of updates.
 */
#include "test-host.h"

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
  g_test_add_func ("/Runtime/set-inputs-from-strings", test_set_inputs_from_strings);
  g_test_add_func ("/Runtime/layout-tree-and-ids", test_layout_tree_and_ids);
  g_test_add_func ("/Runtime/sequential-fragments", test_sequential_fragments_run_inline);
  g_test_add_func ("/Runtime/coalescing", test_coalescing_under_rapid_changes);
  g_test_add_func ("/Runtime/reload-reads-again", test_reload_reads_again);
  g_test_add_func ("/Runtime/delivery-not-starved-by-redraw", test_delivery_is_not_starved_by_redraw);

  return g_test_run ();
}
