/* inputs.c: every input kind, operated as a user would, with a real session.
 *
 * Each input shows its label (and names its control for assistive
 * technology), shows the declared value, and a change made on the control
 * reaches the session, which reruns the fragment that reads it.
 */
#include "widget-test-host.h"

static const char *const options[] = { "Apples", "Pears", "Plums", NULL };
static const char *const defaults[] = { "Pears", NULL };

static gboolean
inputs_body (TessRun *run, gpointer user_data, GError **error)
{
  TessInputOptions o = { 0 };
  double low = 20, high = 80;
  g_autofree char *picked = NULL;
  const char *const *many;

  o.key = "slider";
  o.help = "How many";
  double slider = tess_slider (run, "Slider", 0, 10, 3, &o);
  o = (TessInputOptions){ .key = "range", .step = 5 };
  tess_range_slider (run, "Range", 0, 100, &low, &high, &o);
  o = (TessInputOptions){ .key = "select" };
  const char *select = tess_selectbox (run, "Select", options, 1, &o);
  o = (TessInputOptions){ .key = "multi" };
  many = tess_multiselect (run, "Multi", options, defaults, &o);
  picked = g_strjoinv ("+", (char **) many);
  o = (TessInputOptions){ .key = "check" };
  gboolean check = tess_checkbox (run, "Check", FALSE, &o);
  o = (TessInputOptions){ .key = "toggle" };
  gboolean toggle = tess_toggle (run, "Toggle", TRUE, &o);
  o = (TessInputOptions){ .key = "radio" };
  const char *radio = tess_radio (run, "Radio", options, 0, &o);
  o = (TessInputOptions){ .key = "text" };
  const char *text = tess_text_input (run, "Text", "hello", &o);
  o = (TessInputOptions){ .key = "number", .step = 0.5 };
  double number = tess_number_input (run, "Number", 2.5, 0, 10, &o);
  o = (TessInputOptions){ .key = "date" };
  const char *date = tess_date_input (run, "Date", "2026-01-15", &o);
  o = (TessInputOptions){ .key = "button" };
  gboolean pressed = tess_button (run, "Press me", &o);

  tess_textf (run, "%g|%g-%g|%s|%s|%d|%d|%s|%s|%g|%s|%d", slider, low, high, select, picked, check, toggle, radio, text,
              number, date, pressed);
  return TRUE;
}

static gboolean
dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "inputs", inputs_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static TestHost *host;

static GtkWidget *
input (const char *key)
{
  return test_host_find (host, "inputs", key);
}

static const char *
summary (void)
{
  return test_host_label_text (test_host_find (host, "inputs", "text:0"));
}

static gboolean
summary_is (gpointer data)
{
  return g_strcmp0 (summary (), data) == 0;
}

static void
wait_summary (const char *expected)
{
  tess_test_wait_until (NULL, summary_is, (gpointer) expected, 5, expected);
}

static gboolean
labelled_by (GtkWidget *control, const char *text)
{
  GList *labels = gtk_widget_list_mnemonic_labels (control);
  gboolean found = FALSE;

  for (GList *l = labels; l != NULL; l = l->next)
    found |= g_strcmp0 (gtk_label_get_text (l->data), text) == 0;
  g_list_free (labels);
  return found;
}

static GtkWidget *
nth_child (GtkWidget *widget, guint n)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  for (guint i = 0; i < n && child != NULL; i++)
    child = gtk_widget_get_next_sibling (child);
  g_assert_nonnull (child);
  return child;
}

static void
assert_value (const char *key, const char *expected)
{
  g_autoptr (GVariant) value = tess_session_get_input_value (host->session, key);
  g_autofree char *printed = NULL;

  g_assert_nonnull (value);
  printed = g_variant_print (value, FALSE);
  g_assert_cmpstr (printed, ==, expected);
}

static void
test_initial_values_and_labels (void)
{
  const char *labelled[][2] = {
    { "slider", "Slider" }, { "range", "Range" },   { "select", "Select" }, { "toggle", "Toggle" },
    { "text", "Text" },     { "number", "Number" }, { "date", "Date" },
  };

  g_assert_cmpstr (summary (), ==, "3|20-80|Pears|Pears|0|1|Apples|hello|2.5|2026-01-15|0");
  for (guint i = 0; i < G_N_ELEMENTS (labelled); i++)
    {
      GtkWidget *widget = input (labelled[i][0]);
      g_assert_true (labelled_by (tess_input_widget_get_control (widget), labelled[i][1]));
      g_assert_cmpstr (tess_input_widget_get_key (widget), ==, labelled[i][0]);
    }
  g_assert_cmpstr (gtk_widget_get_tooltip_text (input ("slider")), ==, "How many");
  g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (tess_input_widget_get_control (input ("check")))), ==,
                   "Check");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (tess_input_widget_get_control (input ("button")))), ==,
                   "Press me");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_input_widget_get_part (input ("radio"), "label"))), ==, "Radio");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_input_widget_get_part (input ("multi"), "label"))), ==, "Multi");

  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (tess_input_widget_get_control (input ("slider")))), ==, 3);
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (tess_input_widget_get_part (input ("range"), "high"))), ==, 80);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (tess_input_widget_get_control (input ("select")))), ==,
                    1);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (tess_input_widget_get_control (input ("toggle")))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tess_input_widget_get_control (input ("text")))), ==, "hello");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (tess_input_widget_get_control (input ("number")))), ==,
                     2.5);
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (tess_input_widget_get_control (input ("date")))), ==,
                   "2026-01-15");
}

static void
test_user_changes (void)
{
  GtkWidget *group;
  GtkWidget *calendar;
  g_autoptr (GDateTime) day = NULL;

  gtk_range_set_value (GTK_RANGE (tess_input_widget_get_control (input ("slider"))), 7);
  assert_value ("slider", "7.0");
  wait_summary ("7|20-80|Pears|Pears|0|1|Apples|hello|2.5|2026-01-15|0");

  gtk_range_set_value (GTK_RANGE (tess_input_widget_get_part (input ("range"), "high")), 65);
  assert_value ("range", "(20.0, 65.0)");
  wait_summary ("7|20-65|Pears|Pears|0|1|Apples|hello|2.5|2026-01-15|0");

  gtk_drop_down_set_selected (GTK_DROP_DOWN (tess_input_widget_get_control (input ("select"))), 2);
  assert_value ("select", "'Plums'");

  group = tess_input_widget_get_part (input ("multi"), "group");
  gtk_toggle_button_set_active (
      GTK_TOGGLE_BUTTON (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (nth_child (group, 0)))), TRUE);
  assert_value ("multi", "['Apples', 'Pears']");

  gtk_check_button_set_active (GTK_CHECK_BUTTON (tess_input_widget_get_control (input ("check"))), TRUE);
  assert_value ("check", "true");
  gtk_switch_set_active (GTK_SWITCH (tess_input_widget_get_control (input ("toggle"))), FALSE);
  assert_value ("toggle", "false");

  group = tess_input_widget_get_part (input ("radio"), "group");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (nth_child (group, 2)), TRUE);
  assert_value ("radio", "'Plums'");

  gtk_editable_set_text (GTK_EDITABLE (tess_input_widget_get_control (input ("text"))), "world");
  g_signal_emit_by_name (tess_input_widget_get_control (input ("text")), "activate");
  assert_value ("text", "'world'");

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tess_input_widget_get_control (input ("number"))), 4.5);
  assert_value ("number", "4.5");

  calendar = tess_input_widget_get_part (input ("date"), "calendar");
  day = g_date_time_new_local (2026, 3, 9, 0, 0, 0);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
  g_signal_emit_by_name (calendar, "day-selected");
  assert_value ("date", "'2026-03-09'");

  wait_summary ("7|20-65|Plums|Apples+Pears|1|0|Plums|world|4.5|2026-03-09|0");
  test_host_wait_idle (host);

  /* A press reaches the run it triggers. */
  g_signal_emit_by_name (tess_input_widget_get_control (input ("button")), "clicked");
  wait_summary ("7|20-65|Plums|Apples+Pears|1|0|Plums|world|4.5|2026-03-09|1");

  /* The widgets show what the session holds. */
  test_host_wait_idle (host);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (tess_input_widget_get_control (input ("select")))), ==,
                    2);
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (tess_input_widget_get_control (input ("date")))), ==,
                   "2026-03-09");
}

int
main (int argc, char **argv)
{
  int status;

  test_host_init (&argc, &argv);
  host = test_host_new (dashboard, NULL);
  test_host_wait_idle (host);

  g_test_add_func ("/Input/initial-values-and-labels", test_initial_values_and_labels);
  g_test_add_func ("/Input/user-changes", test_user_changes);
  status = g_test_run ();
  test_host_free (host);
  return status;
}
