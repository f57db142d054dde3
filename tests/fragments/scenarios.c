/* scenarios.c: the acceptance scenarios of fragment-scenarios.md, headless.
 *
 * Each test is a small dashboard, an action through the test host, and what a
 * user would see afterwards: counters ("ran N"), errors, slots and their order.
 * Durations are scaled down from the scenarios' to keep the suite quick; the
 * timing goals themselves are measured by the benchmarks.
 */
#include "test-host.h"
#include "tess-test-wait.h"

#include <string.h>

static void
ran (TessRun *run)
{
  tess_textf (run, "ran %u", tess_run_get_count (run));
}

/* 1. Inside input reruns only its fragment. */

static const char *const options[] = { "a", "b", "c", NULL };

static gboolean
s1_inside (TessRun *run, gpointer data, GError **error)
{
  ran (run);
  tess_slider (run, "slider", 0, 10, 1, NULL);
  tess_selectbox (run, "selectbox", options, 0, NULL);
  tess_multiselect (run, "multiselect", options, NULL, NULL);
  tess_checkbox (run, "checkbox", FALSE, NULL);
  tess_toggle (run, "toggle", FALSE, NULL);
  tess_radio (run, "radio", options, 0, NULL);
  tess_text_input (run, "text", "", NULL);
  tess_number_input (run, "number", 1, 0, 100, NULL);
  tess_date_input (run, "date", "2024-01-01", NULL);
  tess_button (run, "button", NULL);
  return TRUE;
}

static gboolean
s1_dashboard (TessRun *run, gpointer data, GError **error)
{
  ran (run);
  tess_slider (run, "outside", 0, 10, 1, NULL);
  tess_fragment (run, "inside", s1_inside, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_inside_input_reruns_only_its_fragment (void)
{
  g_autoptr (TestHost) host = test_host_new (s1_dashboard, NULL);
  struct
  {
    const char *key;
    GVariant *value;
  } changes[] = {
    { "inside/slider:slider", g_variant_new_double (5) },
    { "inside/selectbox:selectbox", g_variant_new_string ("b") },
    { "inside/multiselect:multiselect", g_variant_new_strv (options, 2) },
    { "inside/checkbox:checkbox", g_variant_new_boolean (TRUE) },
    { "inside/toggle:toggle", g_variant_new_boolean (TRUE) },
    { "inside/radio:radio", g_variant_new_string ("c") },
    { "inside/text_input:text", g_variant_new_string ("hello") },
    { "inside/number_input:number", g_variant_new_double (42) },
    { "inside/date_input:date", g_variant_new_string ("2024-02-29") },
  };

  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, ""), ==, 1);
  g_assert_cmpuint (test_host_ran (host, "inside"), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      test_host_set (host, changes[i].key, changes[i].value);
      test_host_wait_idle (host, 5);
      g_assert_cmpuint (test_host_ran (host, "inside"), ==, i + 2);
      g_assert_cmpuint (test_host_ran (host, ""), ==, 1);
    }
  test_host_press (host, "inside/button:button");
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "inside"), ==, G_N_ELEMENTS (changes) + 2);
  g_assert_cmpuint (test_host_ran (host, ""), ==, 1);

  test_host_set (host, "slider:outside", g_variant_new_double (7));
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, ""), ==, 2);
  g_assert_cmpuint (test_host_ran (host, "inside"), ==, G_N_ELEMENTS (changes) + 3);
}

/* 2. Two fragments are independent. */

static gboolean
s2_fragment (TessRun *run, gpointer data, GError **error)
{
  tess_button (run, "press", NULL);
  ran (run);
  return TRUE;
}

static gboolean
s2_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "a", s2_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "b", s2_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_two_fragments_are_independent (void)
{
  g_autoptr (TestHost) host = test_host_new (s2_dashboard, NULL);

  test_host_start (host);
  test_host_wait_idle (host, 5);
  test_host_press (host, "a/button:press");
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "a"), ==, 2);
  g_assert_cmpuint (test_host_ran (host, "b"), ==, 1);
  test_host_press (host, "b/button:press");
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "a"), ==, 2);
  g_assert_cmpuint (test_host_ran (host, "b"), ==, 2);
}

/* 3. Errors stay in their slot. */

static gboolean
s3_failing (TessRun *run, gpointer data, GError **error)
{
  tess_text (run, "before the failure");
  if (tess_checkbox (run, "fail", FALSE, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The source is unreachable");
      return FALSE;
    }
  tess_text (run, "all good");
  return TRUE;
}

static gboolean
s3_other (TessRun *run, gpointer data, GError **error)
{
  tess_text (run, "steady");
  return TRUE;
}

static gboolean
s3_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "failing", s3_failing, NULL, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "other", s3_other, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_errors_stay_in_their_slot (void)
{
  g_autoptr (TestHost) host = test_host_new (s3_dashboard, NULL);
  TessElement *other_before, *top_before;

  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  other_before = test_host_root (host, "other");
  top_before = test_host_root (host, "");

  test_host_set (host, "failing/checkbox:fail", g_variant_new_boolean (TRUE));
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_count_errors (host), ==, 1);
  g_assert_cmpint (test_host_state (host, "failing"), ==, TESS_SCOPE_ERROR);
  g_assert_cmpstr (g_hash_table_lookup (host->errors, "failing"), ==, "The source is unreachable");
  /* Nothing else was touched: the same content, by identity. */
  g_assert_true (test_host_root (host, "other") == other_before);
  g_assert_true (test_host_root (host, "") == top_before);
  g_assert_cmpint (test_host_state (host, "other"), ==, TESS_SCOPE_DONE);

  test_host_set (host, "failing/checkbox:fail", g_variant_new_boolean (FALSE));
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_count_errors (host), ==, 0);
  g_assert_nonnull (test_host_find_text (host, "failing", TESS_ELEMENT_TEXT, "all good"));
}

/* 4. A dashboard-level error stops the full run. */

static gboolean
s4_section (TessRun *run, gpointer data, GError **error)
{
  tess_text (run, data);
  return TRUE;
}

static gboolean
s4_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "a", s4_section, (gpointer) "A", TESS_FRAGMENT_PARALLEL);
  if (tess_checkbox (run, "break", FALSE, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The dashboard failed here");
      return FALSE;
    }
  tess_fragment (run, "c", s4_section, (gpointer) "C", TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static guint
count_slots (TessElement *root, const char *key)
{
  guint n = 0;

  for (guint i = 0; i < tess_element_get_n_children (root); i++)
    {
      TessElement *child = tess_element_get_child (root, i);
      if (tess_element_get_kind (child) == TESS_ELEMENT_FRAGMENT &&
          (key == NULL || g_str_equal (tess_element_get_id (child), key)))
        n++;
      n += count_slots (child, key);
    }
  return n;
}

static void
test_dashboard_error_stops_the_full_run (void)
{
  g_autoptr (TestHost) host = test_host_new (s4_dashboard, NULL);

  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (count_slots (test_host_root (host, ""), "c"), ==, 1);

  test_host_set (host, "checkbox:break", g_variant_new_boolean (TRUE));
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_count_errors (host), ==, 1);
  g_assert_cmpint (test_host_state (host, ""), ==, TESS_SCOPE_ERROR);
  g_assert_cmpstr (g_hash_table_lookup (host->errors, ""), ==, "The dashboard failed here");
  /* The error stands where the run stopped: after A, and C is not shown. */
  g_assert_cmpuint (count_slots (test_host_root (host, ""), "a"), ==, 1);
  g_assert_cmpuint (count_slots (test_host_root (host, ""), "c"), ==, 0);
  g_assert_null (test_host_root (host, "c"));
  g_assert_cmpstr (test_host_find_text (host, "a", TESS_ELEMENT_TEXT, NULL), ==, "A");
}

/* 5. run_every. */

static gboolean
s5_live (TessRun *run, gpointer data, GError **error)
{
  ran (run);
  return TRUE;
}

static gboolean
s5_dashboard (TessRun *run, gpointer data, GError **error)
{
  TessFragmentOptions every = { .flags = TESS_FRAGMENT_PARALLEL, .run_every = 0.2 };

  ran (run);
  tess_fragment_full (run, "live", s5_live, NULL, NULL, &every);
  return TRUE;
}

static void
test_run_every (void)
{
  g_autoptr (TestHost) host = test_host_new (s5_dashboard, NULL);

  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "live"), ==, 1);
  test_host_run_for (host, 1.0);
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "live"), >=, 4);
  g_assert_cmpuint (test_host_ran (host, ""), ==, 1);
}

/* 6. No input is lost. */

static gboolean
s6_fragment (TessRun *run, gpointer data, GError **error)
{
  gboolean pressed = tess_button (run, "press", NULL);
  double seconds = GPOINTER_TO_INT (data) / 1000.0;

  if (!tess_run_wait (run, seconds))
    return TRUE;
  if (pressed)
    tess_text (run, "pressed");
  return TRUE;
}

static gboolean
s6_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "slow", s6_fragment, GINT_TO_POINTER (600), TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "quick1", s6_fragment, GINT_TO_POINTER (10), TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "quick2", s6_fragment, GINT_TO_POINTER (10), TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_no_input_is_lost (void)
{
  g_autoptr (TestHost) host = test_host_new (s6_dashboard, NULL);

  test_host_start (host);
  test_host_wait_idle (host, 5);
  test_host_press (host, "slow/button:press");
  test_host_run_for (host, 0.03);
  test_host_press (host, "quick1/button:press");
  test_host_run_for (host, 0.03);
  test_host_press (host, "quick2/button:press");
  test_host_wait_idle (host, 5);
  g_assert_nonnull (test_host_find_text (host, "slow", TESS_ELEMENT_TEXT, "pressed"));
  g_assert_nonnull (test_host_find_text (host, "quick1", TESS_ELEMENT_TEXT, "pressed"));
  g_assert_nonnull (test_host_find_text (host, "quick2", TESS_ELEMENT_TEXT, "pressed"));
}

/* 7. A fragment rerun does not cancel a full run. */

static gboolean
s7_fragment (TessRun *run, gpointer data, GError **error)
{
  gboolean pressed = tess_button (run, "press", NULL);

  if (!tess_run_wait (run, 0.4))
    return TRUE;
  tess_text (run, pressed ? "pressed" : "rendered");
  return TRUE;
}

static gboolean
s7_dashboard (TessRun *run, gpointer data, GError **error)
{
  ran (run);
  tess_fragment (run, "f1", s7_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "f2", s7_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "f3", s7_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_fragment_rerun_does_not_cancel_full_run (void)
{
  g_autoptr (TestHost) host = test_host_new (s7_dashboard, NULL);

  test_host_start (host);
  /* Mid-run: the fragments are waiting, their buttons declared. */
  test_host_run_for (host, 0.15);
  g_assert_false (tess_session_is_idle (host->session));
  test_host_press (host, "f2/button:press");
  test_host_wait_idle (host, 5);
  g_assert_cmpstr (test_host_find_text (host, "f1", TESS_ELEMENT_TEXT, NULL), ==, "rendered");
  g_assert_cmpstr (test_host_find_text (host, "f2", TESS_ELEMENT_TEXT, NULL), ==, "pressed");
  g_assert_cmpstr (test_host_find_text (host, "f3", TESS_ELEMENT_TEXT, NULL), ==, "rendered");
  g_assert_cmpuint (test_host_ran (host, ""), ==, 1);
}

/* 8. Nesting. */

static gboolean s8_inner (TessRun *run, gpointer data, GError **error);

static gboolean
s8_inner2 (TessRun *run, gpointer data, GError **error)
{
  tess_button (run, "go", NULL);
  ran (run);
  return TRUE;
}

static gboolean
s8_inner (TessRun *run, gpointer data, GError **error)
{
  tess_button (run, "go", NULL);
  ran (run);
  if (tess_run_get_count (run) == 1)
    tess_caption (run, "first run only");
  tess_fragment (run, "inner2", s8_inner2, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static gboolean
s8_outer (TessRun *run, gpointer data, GError **error)
{
  tess_button (run, "go", NULL);
  ran (run);
  tess_fragment (run, "inner", s8_inner, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static gboolean
s8_dashboard (TessRun *run, gpointer data, GError **error)
{
  ran (run);
  tess_fragment (run, "outer", s8_outer, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_nesting (void)
{
  g_autoptr (TestHost) host = test_host_new (s8_dashboard, NULL);

  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "outer/inner/inner2"), ==, 1);
  g_assert_nonnull (test_host_find_text (host, "outer/inner", TESS_ELEMENT_CAPTION, "first run only"));

  test_host_press (host, "outer/inner/inner2/button:go");
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "outer/inner/inner2"), ==, 2);
  g_assert_cmpuint (test_host_ran (host, "outer/inner"), ==, 1);
  g_assert_cmpuint (test_host_ran (host, "outer"), ==, 1);

  test_host_press (host, "outer/inner/button:go");
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "outer/inner/inner2"), ==, 3);
  g_assert_cmpuint (test_host_ran (host, "outer/inner"), ==, 2);
  g_assert_cmpuint (test_host_ran (host, "outer"), ==, 1);
  g_assert_null (test_host_find_text (host, "outer/inner", TESS_ELEMENT_CAPTION, NULL));

  test_host_press (host, "outer/button:go");
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "outer/inner/inner2"), ==, 4);
  g_assert_cmpuint (test_host_ran (host, "outer/inner"), ==, 3);
  g_assert_cmpuint (test_host_ran (host, "outer"), ==, 2);
  g_assert_cmpuint (test_host_ran (host, ""), ==, 1);
  g_assert_null (test_host_find_text (host, "outer/inner", TESS_ELEMENT_CAPTION, NULL));
}

/* 9. No ghosts. */

static gboolean
s9_tabs (TessRun *run, gpointer data, GError **error)
{
  guint n = tess_checkbox (run, "three", FALSE, NULL) ? 3 : 2;

  tess_tabs_begin (run);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = g_strdup_printf ("Tab %u", i + 1);
      tess_tab_begin (run, label);
      tess_text (run, label);
      tess_end (run);
    }
  tess_end (run);
  return TRUE;
}

static gboolean
s9_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "tabs", s9_tabs, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_no_ghosts (void)
{
  g_autoptr (TestHost) host = test_host_new (s9_dashboard, NULL);

  test_host_start (host);
  test_host_wait_idle (host, 5);
  for (guint i = 1; i <= 10; i++)
    {
      gboolean three = i % 2 == 1;
      TessElement *tabs;

      test_host_set (host, "tabs/checkbox:three", g_variant_new_boolean (three));
      test_host_wait_idle (host, 5);
      g_assert_cmpuint (test_host_count_kind (host, "tabs", TESS_ELEMENT_TABS), ==, 1);
      g_assert_cmpuint (test_host_count_kind (host, "tabs", TESS_ELEMENT_TAB), ==, three ? 3 : 2);
      tabs = tess_element_get_child (test_host_root (host, "tabs"), 1);
      g_assert_cmpint (tess_element_get_kind (tabs), ==, TESS_ELEMENT_TABS);
      for (guint t = 0; t < tess_element_get_n_children (tabs); t++)
        {
          g_autofree char *label = g_strdup_printf ("Tab %u", t + 1);
          g_assert_cmpstr (tess_element_get_string (tess_element_get_child (tabs, t), "label"), ==, label);
        }
    }
}

/* 10. Order is call order. */

static gboolean
s10_sleeper (TessRun *run, gpointer data, GError **error)
{
  tess_run_wait (run, GPOINTER_TO_INT (data) / 1000.0);
  tess_textf (run, "slept %d ms", GPOINTER_TO_INT (data));
  return TRUE;
}

static gboolean
s10_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "first", s10_sleeper, GINT_TO_POINTER (300), TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "second", s10_sleeper, GINT_TO_POINTER (200), TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "third", s10_sleeper, GINT_TO_POINTER (100), TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_order_is_call_order (void)
{
  g_autoptr (TestHost) host = test_host_new (s10_dashboard, NULL);
  const char *expected[] = { "first", "second", "third" };
  TessElement *top;

  test_host_start (host);
  test_host_wait_idle (host, 5);
  top = test_host_root (host, "");
  g_assert_cmpuint (tess_element_get_n_children (top), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      TessElement *slot = tess_element_get_child (top, i);
      g_assert_cmpint (tess_element_get_kind (slot), ==, TESS_ELEMENT_FRAGMENT);
      g_assert_cmpstr (tess_element_get_id (slot), ==, expected[i]);
      g_assert_cmpuint (count_slots (top, expected[i]), ==, 1);
      /* No empty slot remains. */
      g_assert_cmpint (test_host_state (host, expected[i]), ==, TESS_SCOPE_DONE);
      g_assert_nonnull (test_host_find_text (host, expected[i], TESS_ELEMENT_TEXT, "slept"));
    }
}

/* 11 and 13. Parallel is parallel, on every kind of run. */

static gboolean
overlap (TessRunRecord *a, TessRunRecord *b)
{
  return a->start_ms < b->end_ms && b->start_ms < a->end_ms;
}

static TessRunRecord *
last_record (GPtrArray *records, const char *fragment)
{
  for (guint i = records->len; i > 0; i--)
    {
      TessRunRecord *record = g_ptr_array_index (records, i - 1);
      if (g_str_equal (record->fragment, fragment))
        return record;
    }
  g_error ("no run of %s", fragment);
  return NULL;
}

static gboolean
s11_section (TessRun *run, gpointer data, GError **error)
{
  TessInput *input = tess_input_lookup (run, data);

  if (input != NULL)
    tess_input_get_double (run, input);
  ran (run);
  tess_run_wait (run, 0.3);
  return TRUE;
}

static gboolean
s11_dashboard (TessRun *run, gpointer data, GError **error)
{
  TessFragmentOptions every = { .flags = TESS_FRAGMENT_PARALLEL, .run_every = 0.5 };

  ran (run);
  tess_declare (run, &(TessInputSpec){ .kind = TESS_INPUT_SLIDER, .key = "slider1", .label = "Users", .max = 10 });
  tess_declare (run, &(TessInputSpec){ .kind = TESS_INPUT_SLIDER, .key = "slider2", .label = "Money", .max = 10 });
  tess_fragment (run, "user-growth", s11_section, (gpointer) "slider1", TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "revenue", s11_section, (gpointer) "slider2", TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "expenses", s11_section, (gpointer) "slider2", TESS_FRAGMENT_PARALLEL);
  tess_fragment_full (run, "live1", s11_section, (gpointer) "none", NULL, &every);
  tess_fragment_full (run, "live2", s11_section, (gpointer) "none", NULL, &every);
  return TRUE;
}

static void
test_parallel_on_every_kind_of_run (void)
{
  g_autoptr (TestHost) host = test_host_new (s11_dashboard, NULL);
  g_autoptr (GPtrArray) records = NULL;
  const char *sections[] = { "user-growth", "revenue", "expenses", "live1", "live2" };

  tess_session_set_run_every_enabled (host->session, FALSE);
  test_host_start (host);
  test_host_wait_idle (host, 5);
  records = tess_session_get_timeline (host->session);
  /* The full run: every section ran at the same time as every other. */
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (sections); j++)
      g_assert_true (overlap (last_record (records, sections[i]), last_record (records, sections[j])));
  g_clear_pointer (&records, g_ptr_array_unref);

  /* 12. Exact reruns: slider1 reruns user growth only... */
  test_host_set (host, "slider1", g_variant_new_double (3));
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "user-growth"), ==, 2);
  g_assert_cmpuint (test_host_ran (host, "revenue"), ==, 1);
  g_assert_cmpuint (test_host_ran (host, "expenses"), ==, 1);
  g_assert_cmpuint (test_host_ran (host, ""), ==, 1);

  /* ...slider2 reruns revenue and expenses, in parallel. */
  test_host_set (host, "slider2", g_variant_new_double (4));
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "user-growth"), ==, 2);
  g_assert_cmpuint (test_host_ran (host, "revenue"), ==, 2);
  g_assert_cmpuint (test_host_ran (host, "expenses"), ==, 2);
  g_assert_cmpuint (test_host_ran (host, ""), ==, 1);
  records = tess_session_get_timeline (host->session);
  g_assert_true (overlap (last_record (records, "revenue"), last_record (records, "expenses")));
  g_clear_pointer (&records, g_ptr_array_unref);

  /* run_every reruns overlap too. */
  tess_session_set_run_every_enabled (host->session, TRUE);
  test_host_run_for (host, 0.7);
  tess_session_set_run_every_enabled (host->session, FALSE);
  test_host_wait_idle (host, 5);
  g_assert_cmpuint (test_host_ran (host, "live1"), >=, 2);
  g_assert_cmpuint (test_host_ran (host, "live2"), >=, 2);
  records = tess_session_get_timeline (host->session);
  g_assert_true (overlap (last_record (records, "live1"), last_record (records, "live2")));
  g_assert_cmpuint (test_host_ran (host, ""), ==, 1);
}

/* 14. The newest wins. */

static gboolean
s14_slow (TessRun *run, gpointer data, GError **error)
{
  double value = tess_slider (run, "value", 1, 100, 1, NULL);

  if (!tess_run_wait (run, 0.5))
    return TRUE;
  tess_textf (run, "value %.0f", value);
  return TRUE;
}

static gboolean
s14_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "slow", s14_slow, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

typedef struct
{
  double last_shown;
  gboolean went_back;
} Shown;

static void
s14_watch (TessSession *session, const TessScopeUpdate *update, Shown *shown)
{
  if (!g_str_equal (update->path, "slow"))
    return;
  for (guint i = 0; i < tess_element_get_n_children (update->root); i++)
    {
      const char *text = tess_element_get_string (tess_element_get_child (update->root, i), "text");
      if (text != NULL && g_str_has_prefix (text, "value "))
        {
          double value = g_ascii_strtod (text + 6, NULL);
          if (value < shown->last_shown)
            shown->went_back = TRUE;
          shown->last_shown = value;
        }
    }
}

static void
test_newest_wins (void)
{
  g_autoptr (TestHost) host = test_host_new (s14_dashboard, NULL);
  Shown shown = { 0 };
  g_autoptr (GPtrArray) records = NULL;
  double step1_ms = 0;
  guint later_runs = 0;

  g_signal_connect (host->session, "scope-updated", G_CALLBACK (s14_watch), &shown);
  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_cmpfloat (shown.last_shown, ==, 1);

  /* Step 1 starts a run; steps 2..100 arrive over about 0.3 s while it runs. */
  for (guint step = 1; step <= 100; step++)
    {
      if (step == 1)
        step1_ms = tess_session_get_elapsed_ms (host->session);
      test_host_set (host, "slow/slider:value", g_variant_new_double (step));
      test_host_run_for (host, 0.003);
    }
  test_host_wait_idle (host, 10);
  g_assert_cmpfloat (shown.last_shown, ==, 100);
  g_assert_false (shown.went_back);
  g_assert_cmpstr (test_host_find_text (host, "slow", TESS_ELEMENT_TEXT, "value"), ==, "value 100");
  /* After the first step's own run, at most one in flight and one pending. */
  records = tess_session_get_timeline (host->session);
  for (guint i = 0; i < records->len; i++)
    {
      TessRunRecord *record = g_ptr_array_index (records, i);
      later_runs += g_str_equal (record->fragment, "slow") && record->queued_ms > step1_ms;
    }
  g_assert_cmpuint (later_runs, >=, 2);
  g_assert_cmpuint (later_runs - 1, <=, 2);
}

/* 15. Cancellation reaches the work. */

typedef struct
{
  gint64 returned_us;
  gboolean wait_result;
} Waiter;

static gboolean
s15_waiting (TessRun *run, gpointer data, GError **error)
{
  Waiter *waiter = data;
  double value = tess_slider (run, "value", 0, 10, 0, NULL);

  if (value == 0)
    {
      waiter->wait_result = tess_run_wait (run, 30);
      waiter->returned_us = g_get_monotonic_time ();
    }
  tess_textf (run, "value %.0f", value);
  return TRUE;
}

static gboolean
s15_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "waiting", s15_waiting, data, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_cancellation_reaches_the_work (void)
{
  Waiter waiter = { 0 };
  g_autoptr (TestHost) host = test_host_new (s15_dashboard, &waiter);
  gint64 superseded_us;

  tess_session_set_coalesce_ms (host->session, 0);
  test_host_start (host);
  test_host_run_for (host, 0.1);
  superseded_us = g_get_monotonic_time ();
  test_host_set (host, "waiting/slider:value", g_variant_new_double (5));
  test_host_wait_idle (host, 5);
  g_assert_false (waiter.wait_result);
  /* "At once": far sooner than the 30 s the body asked to wait. */
  g_assert_cmpint (waiter.returned_us - superseded_us, <, G_USEC_PER_SEC);
  g_assert_cmpstr (test_host_find_text (host, "waiting", TESS_ELEMENT_TEXT, NULL), ==, "value 5");
}

/* 16. Stale, then fresh. */

static gboolean
s16_fragment (TessRun *run, gpointer data, GError **error)
{
  gboolean second = tess_checkbox (run, "second", FALSE, NULL);

  tess_text (run, "A");
  if (!second)
    {
      tess_text (run, "B");
      tess_text (run, "C");
      return TRUE;
    }
  tess_run_wait (run, 0.3);
  tess_caption (run, "D");
  return TRUE;
}

static gboolean
s16_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "f", s16_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_stale_then_fresh (void)
{
  g_autoptr (TestHost) host = test_host_new (s16_dashboard, NULL);
  TessElement *root;

  test_host_start (host);
  test_host_wait_idle (host, 5);
  tess_session_set_coalesce_ms (host->session, 0);
  test_host_set (host, "f/checkbox:second", g_variant_new_boolean (TRUE));
  test_host_run_for (host, 0.15);

  /* Mid-run: the new A, and the previous B and C still there, marked stale. */
  root = test_host_root (host, "f");
  g_assert_cmpint (test_host_state (host, "f"), ==, TESS_SCOPE_RUNNING);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (host->n_fresh, "f")), ==, 2);
  g_assert_cmpuint (tess_element_get_n_children (root), ==, 4);
  g_assert_cmpstr (tess_element_get_string (tess_element_get_child (root, 1), "text"), ==, "A");
  g_assert_cmpstr (tess_element_get_string (tess_element_get_child (root, 2), "text"), ==, "B");
  g_assert_cmpstr (tess_element_get_string (tess_element_get_child (root, 3), "text"), ==, "C");

  test_host_wait_idle (host, 5);
  root = test_host_root (host, "f");
  g_assert_cmpint (test_host_state (host, "f"), ==, TESS_SCOPE_DONE);
  g_assert_cmpuint (tess_element_get_n_children (root), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (host->n_fresh, "f")), ==, 3);
  g_assert_null (test_host_find_text (host, "f", TESS_ELEMENT_TEXT, "B"));
  g_assert_nonnull (test_host_find_text (host, "f", TESS_ELEMENT_CAPTION, "D"));
}

/* 17. Progress while running. */

static gboolean
s17_fragment (TessRun *run, gpointer data, GError **error)
{
  tess_run_set_progress (run, 0.25, "Fetching quarter 1 of 4");
  tess_run_wait (run, 0.5);
  tess_text (run, "done");
  return TRUE;
}

static gboolean
s17_dashboard (TessRun *run, gpointer data, GError **error)
{
  tess_fragment (run, "f", s17_fragment, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

typedef struct
{
  gboolean seen_while_running;
  double progress;
} Progress;

static void
s17_watch (TessSession *session, const TessScopeUpdate *update, Progress *progress)
{
  if (g_str_equal (update->path, "f") && update->status != NULL &&
      (update->state == TESS_SCOPE_PENDING || update->state == TESS_SCOPE_RUNNING))
    {
      progress->seen_while_running = g_str_equal (update->status, "Fetching quarter 1 of 4");
      progress->progress = update->progress;
    }
}

static void
test_progress_while_running (void)
{
  g_autoptr (TestHost) host = test_host_new (s17_dashboard, NULL);
  Progress progress = { 0 };

  g_signal_connect (host->session, "scope-updated", G_CALLBACK (s17_watch), &progress);
  test_host_start (host);
  test_host_run_for (host, 0.2);
  g_assert_false (tess_session_is_idle (host->session));
  g_assert_true (progress.seen_while_running);
  g_assert_cmpfloat_with_epsilon (progress.progress, 0.25, 1e-9);
  test_host_wait_idle (host, 5);
  g_assert_cmpint (test_host_state (host, "f"), ==, TESS_SCOPE_DONE);
}

/* 18. Thread safety of state. */

static GVariant *
increment (GVariant *current, gpointer data)
{
  return g_variant_new_int64 ((current != NULL ? g_variant_get_int64 (current) : 0) + 1);
}

static gboolean
s18_counter (TessRun *run, gpointer data, GError **error)
{
  for (guint i = 0; i < 1000; i++)
    g_variant_unref (tess_state_update (run, "counter", increment, NULL));
  return TRUE;
}

static gboolean
s18_dashboard (TessRun *run, gpointer data, GError **error)
{
  for (guint i = 0; i < 32; i++)
    {
      g_autofree char *key = g_strdup_printf ("counter%u", i);
      tess_fragment (run, key, s18_counter, NULL, TESS_FRAGMENT_PARALLEL);
    }
  return TRUE;
}

static void
test_thread_safety_of_state (void)
{
  g_autoptr (TestHost) host = test_host_new (s18_dashboard, NULL);
  g_autoptr (GVariant) counter = NULL;

  test_host_start (host);
  test_host_wait_idle (host, 20);
  counter = tess_session_get_state (host->session, "counter");
  g_assert_nonnull (counter);
  g_assert_cmpint (g_variant_get_int64 (counter), ==, 32000);
}

static gboolean
s18_cas (TessRun *run, gpointer data, GError **error)
{
  g_autoptr (GVariant) expected = g_variant_ref_sink (g_variant_new_string ("old"));

  tess_state_set (run, "cas", g_variant_new_string ("old"));
  /* Only the first of two writers expecting "old" wins. */
  *(gboolean *) data = tess_state_compare_and_set (run, "cas", expected, g_variant_new_string ("first")) &&
                       !tess_state_compare_and_set (run, "cas", expected, g_variant_new_string ("second")) &&
                       tess_state_compare_and_set (run, "absent", NULL, g_variant_new_string ("made"));
  return TRUE;
}

static void
test_state_compare_and_set (void)
{
  gboolean ok = FALSE;
  g_autoptr (TestHost) host = test_host_new (s18_cas, &ok);
  g_autoptr (GVariant) cas = NULL;

  test_host_start (host);
  test_host_wait_idle (host, 5);
  g_assert_true (ok);
  cas = tess_session_get_state (host->session, "cas");
  g_assert_cmpstr (g_variant_get_string (cas, NULL), ==, "first");
}

/* 19. Closing mid-run. */

static gint delivered_after_close;

static gboolean
s19_waiting (TessRun *run, gpointer data, GError **error)
{
  tess_text (run, "started");
  tess_run_wait (run, 10);
  tess_text (run, "never shown");
  return TRUE;
}

static gboolean
s19_dashboard (TessRun *run, gpointer data, GError **error)
{
  for (guint i = 0; i < 64; i++)
    {
      g_autofree char *key = g_strdup_printf ("f%u", i);
      tess_fragment (run, key, s19_waiting, NULL, TESS_FRAGMENT_PARALLEL);
    }
  return TRUE;
}

static void
s19_count (TessSession *session, gpointer update, gpointer data)
{
  g_atomic_int_inc (&delivered_after_close);
}

static gboolean
weak_ref_is_cleared (gpointer weak)
{
  g_autoptr (TessSession) alive = g_weak_ref_get (weak);

  return alive == NULL;
}

static void
test_closing_mid_run (void)
{
  TessSession *session = tess_session_new (s19_dashboard, NULL, NULL);
  GWeakRef weak;
  gint64 closed_us, end;

  g_weak_ref_init (&weak, session);
  tess_session_start (session);
  for (end = g_get_monotonic_time () + 200000; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (tess_session_get_n_running (session), >=, 64);

  tess_session_close (session);
  closed_us = g_get_monotonic_time ();
  g_signal_connect (session, "scope-updated", G_CALLBACK (s19_count), NULL);
  g_signal_connect (session, "run-finished", G_CALLBACK (s19_count), NULL);
  g_object_unref (session);

  /* Every run is cancelled and returns; the session goes with the last one. */
  tess_test_poll_until (NULL, weak_ref_is_cleared, &weak, 5, "the closed session to be finalized");
  g_assert_null (g_weak_ref_get (&weak));
  g_assert_cmpint (g_get_monotonic_time () - closed_us, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (g_atomic_int_get (&delivered_after_close), ==, 0);
  g_weak_ref_clear (&weak);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Scenarios/inside-input-reruns-only-its-fragment", test_inside_input_reruns_only_its_fragment);
  g_test_add_func ("/Scenarios/two-fragments-are-independent", test_two_fragments_are_independent);
  g_test_add_func ("/Scenarios/errors-stay-in-their-slot", test_errors_stay_in_their_slot);
  g_test_add_func ("/Scenarios/dashboard-error-stops-the-full-run", test_dashboard_error_stops_the_full_run);
  g_test_add_func ("/Scenarios/run-every", test_run_every);
  g_test_add_func ("/Scenarios/no-input-is-lost", test_no_input_is_lost);
  g_test_add_func ("/Scenarios/fragment-rerun-does-not-cancel-full-run", test_fragment_rerun_does_not_cancel_full_run);
  g_test_add_func ("/Scenarios/nesting", test_nesting);
  g_test_add_func ("/Scenarios/no-ghosts", test_no_ghosts);
  g_test_add_func ("/Scenarios/order-is-call-order", test_order_is_call_order);
  g_test_add_func ("/Scenarios/parallel-and-exact-reruns", test_parallel_on_every_kind_of_run);
  g_test_add_func ("/Scenarios/newest-wins", test_newest_wins);
  g_test_add_func ("/Scenarios/cancellation-reaches-the-work", test_cancellation_reaches_the_work);
  g_test_add_func ("/Scenarios/stale-then-fresh", test_stale_then_fresh);
  g_test_add_func ("/Scenarios/progress-while-running", test_progress_while_running);
  g_test_add_func ("/Scenarios/thread-safety-of-state", test_thread_safety_of_state);
  g_test_add_func ("/Scenarios/state-compare-and-set", test_state_compare_and_set);
  g_test_add_func ("/Scenarios/closing-mid-run", test_closing_mid_run);

  return g_test_run ();
}
