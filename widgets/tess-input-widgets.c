/* tess-input-widgets.c: input elements as GTK controls.
 *
 * A TessInputWidget is a box of the input's label and controls, and its
 * instance is the input's whole state: its key, the commit function, its
 * controls, its options, and two guards. "syncing" is set while an update
 * from the runtime writes a control, so that write is not committed back as
 * if the user had made it. "pressed"/"focused" say the user is in the middle
 * of an interaction; an update then leaves the value alone, so a drag keeps
 * its grab and an entry its cursor.
 *
 * Each input kind is one row of input_kinds[]: how its controls are built and
 * how an element updates them. tess_input_widget_update() does what every
 * kind shares (key, label, help, sensitivity) and hands the rest to the row
 * of the widget's kind; a new kind is a build and an update function and
 * their row.
 *
 * The options of a radio or a multiselect are the children of its group, in
 * the order of self->options: the group is rebuilt whenever the options
 * change, so a child's position is its option.
 */
#include "tess-input-widgets.h"
#include "tess-thread-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>

typedef struct _InputKind InputKind;

struct _TessInputWidget
{
  GtkBox parent_instance;

  TessElementKind kind;
  const InputKind *input_kind; /* the row of input_kinds[] for kind */
  char *key;
  TessInputCommitFunc commit;
  gpointer commit_data;
  GtkWidget *label;    /* the separate label, when the kind has one */
  GtkWidget *control;  /* scale, drop-down, check, switch, entry, spin, menu button, button */
  GtkWidget *control2; /* range slider: the high scale; date: the calendar */
  GtkWidget *group;    /* radio and multiselect: the box of options */
  char **options;      /* radio, multiselect, selectbox */
  gboolean range;
  gboolean syncing;
  gboolean pressed;
  gboolean focused;
  char *shown_text; /* text input: the last value shown or committed */
};

G_DEFINE_FINAL_TYPE (TessInputWidget, tess_input_widget, GTK_TYPE_BOX)

/* One input kind. */
struct _InputKind
{
  /* Whether the kind shows its label beside its controls, rather than in
   * one (a checkbox's, a button's). */
  gboolean has_label;
  /* Whether that label names self->control for assistive technologies
   * (not for a group of options, which is named by its own label). */
  gboolean label_names_control;
  /* Makes the controls and appends them; self->label exists by then. */
  void (*build) (TessInputWidget *self);
  /* Shows @element and @value (NULL: none) in the controls, with
   * self->syncing set. @busy: the user is interacting with the input. */
  void (*update) (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy);
};

static void
tess_input_widget_finalize (GObject *object)
{
  TessInputWidget *self = TESS_INPUT_WIDGET (object);

  g_free (self->key);
  g_strfreev (self->options);
  g_free (self->shown_text);
  G_OBJECT_CLASS (tess_input_widget_parent_class)->finalize (object);
}

static void
tess_input_widget_class_init (TessInputWidgetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tess_input_widget_finalize;
}

static void
tess_input_widget_init (TessInputWidget *self)
{
}

static void
commit (TessInputWidget *self, GVariant *value)
{
  if (self->syncing || self->key == NULL)
    {
      if (value != NULL)
        g_variant_unref (g_variant_ref_sink (value));
      return;
    }
  self->commit (GTK_WIDGET (self), self->key, value, self->commit_data);
}

static void
set_accessible_label (GtkWidget *control, const char *text)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL, text ?: "", -1);
}

static int
digits_for_step (double step)
{
  if (step <= 0 || step >= 1)
    return 0;
  return CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 6);
}

static gboolean
strv_equal (char **a, char **b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal ((const char *const *) a, (const char *const *) b);
}

/* Returns TRUE when the options changed (the caller then rebuilds). */
static gboolean
update_options (TessInputWidget *self, TessElement *element)
{
  g_autoptr (GVariant) options_v = tess_element_lookup (element, "options", G_VARIANT_TYPE_STRING_ARRAY);
  g_auto (GStrv) options = options_v != NULL ? g_variant_dup_strv (options_v, NULL) : g_new0 (char *, 1);

  if (strv_equal (options, self->options))
    return FALSE;
  g_strfreev (self->options);
  self->options = g_steal_pointer (&options);
  return TRUE;
}

static const char *
value_get_string (GVariant *value)
{
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ? g_variant_get_string (value, NULL)
                                                                              : NULL;
}

static gboolean
value_get_boolean (GVariant *value)
{
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (value);
}

/* Interaction guards */

/* Sliders: a press anywhere on the scale starts an interaction that lasts
 * until the release, whoever claims the gesture. */
static gboolean
tess_input_widget_scale_press_event_cb (GtkEventControllerLegacy *controller, GdkEvent *event, TessInputWidget *self)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_LEGACY (controller));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
      self->pressed = TRUE;
      break;
    case GDK_BUTTON_RELEASE:
    case GDK_TOUCH_END:
    case GDK_TOUCH_CANCEL:
      self->pressed = FALSE;
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
track_press (TessInputWidget *self, GtkWidget *control)
{
  GtkEventController *legacy = gtk_event_controller_legacy_new ();

  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (tess_input_widget_scale_press_event_cb), self);
  gtk_widget_add_controller (control, legacy);
}

static void
tess_input_widget_focus_enter_cb (GtkEventControllerFocus *controller, TessInputWidget *self)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_FOCUS (controller));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  self->focused = TRUE;
}

static void text_commit (TessInputWidget *self);

static void
tess_input_widget_focus_leave_cb (GtkEventControllerFocus *controller, TessInputWidget *self)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_FOCUS (controller));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  self->focused = FALSE;
  if (self->kind == TESS_ELEMENT_TEXT_INPUT)
    text_commit (self);
  else if (self->kind == TESS_ELEMENT_NUMBER_INPUT)
    gtk_spin_button_update (GTK_SPIN_BUTTON (self->control));
}

static void
track_focus (TessInputWidget *self, GtkWidget *control)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "enter", G_CALLBACK (tess_input_widget_focus_enter_cb), self);
  g_signal_connect (focus, "leave", G_CALLBACK (tess_input_widget_focus_leave_cb), self);
  gtk_widget_add_controller (control, focus);
}

/* Slider (and range slider) */

static void
tess_input_widget_scale_value_changed_cb (GtkRange *range, TessInputWidget *self)
{
  double low = gtk_range_get_value (GTK_RANGE (self->control));

  g_assert (GTK_IS_RANGE (range));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  if (self->syncing)
    return;
  if (self->range)
    {
      double high = gtk_range_get_value (GTK_RANGE (self->control2));
      if (low > high)
        {
          /* Keep low <= high by moving the other end along. */
          self->syncing = TRUE;
          if (GTK_WIDGET (range) == self->control)
            gtk_range_set_value (GTK_RANGE (self->control2), (high = low));
          else
            gtk_range_set_value (GTK_RANGE (self->control), (low = high));
          self->syncing = FALSE;
        }
      commit (self, g_variant_new ("(dd)", low, high));
    }
  else
    commit (self, g_variant_new_double (low));
}

static GtkWidget *
new_scale (TessInputWidget *self)
{
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 100, 1);

  gtk_scale_set_draw_value (GTK_SCALE (scale), TRUE);
  gtk_scale_set_value_pos (GTK_SCALE (scale), GTK_POS_RIGHT);
  gtk_widget_set_hexpand (scale, TRUE);
  g_signal_connect (scale, "value-changed", G_CALLBACK (tess_input_widget_scale_value_changed_cb), self);
  track_press (self, scale);
  return scale;
}

static void
slider_build (TessInputWidget *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  self->control = new_scale (self);
  self->control2 = new_scale (self);
  gtk_widget_set_visible (self->control2, FALSE);
  gtk_box_append (GTK_BOX (row), self->control);
  gtk_box_append (GTK_BOX (row), self->control2);
  gtk_box_append (GTK_BOX (self), row);
}

/* A drag in progress keeps its value, its range and its grab. */
static void
slider_update (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy)
{
  double min = tess_element_get_double (element, "min", 0);
  double max = tess_element_get_double (element, "max", 100);
  double step = tess_element_get_double (element, "step", 0);
  gboolean range = tess_element_get_boolean (element, "range", FALSE);
  GtkWidget *scales[2] = { self->control, self->control2 };
  double values[2] = { min, max };

  if (busy)
    return;
  if (max <= min)
    max = min + 1;
  if (step <= 0)
    step = (max - min) / 100.0;
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE ("(dd)")))
    g_variant_get (value, "(dd)", &values[0], &values[1]);
  else if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    values[0] = g_variant_get_double (value);

  self->range = range;
  gtk_widget_set_visible (self->control2, range);
  for (guint i = 0; i < (range ? 2u : 1u); i++)
    {
      GtkRange *r = GTK_RANGE (scales[i]);
      GtkAdjustment *adj = gtk_range_get_adjustment (r);
      g_autofree char *a11y =
          range ? g_strdup_printf (i == 0 ? _ ("%s, from") : _ ("%s, to"), label) : g_strdup (label);

      set_accessible_label (scales[i], a11y);
      if (gtk_adjustment_get_lower (adj) != min || gtk_adjustment_get_upper (adj) != max ||
          gtk_adjustment_get_step_increment (adj) != step)
        {
          gtk_adjustment_configure (adj, gtk_adjustment_get_value (adj), min, max, step, step * 10, 0);
          gtk_scale_set_digits (GTK_SCALE (scales[i]), digits_for_step (step));
          gtk_range_set_round_digits (r, digits_for_step (step));
        }
      if (gtk_range_get_value (r) != values[i])
        gtk_range_set_value (r, values[i]);
    }
}

/* Select box */

static void
tess_input_widget_dropdown_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, TessInputWidget *self)
{
  guint index = gtk_drop_down_get_selected (dropdown);

  g_assert (GTK_IS_DROP_DOWN (dropdown));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  if (self->options == NULL || index >= g_strv_length (self->options))
    return;
  commit (self, g_variant_new_string (self->options[index]));
}

static void
selectbox_build (TessInputWidget *self)
{
  self->control = gtk_drop_down_new (G_LIST_MODEL (gtk_string_list_new (NULL)), NULL);
  g_signal_connect (self->control, "notify::selected", G_CALLBACK (tess_input_widget_dropdown_selected_cb), self);
  gtk_box_append (GTK_BOX (self), self->control);
}

static void
selectbox_update (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy)
{
  const char *selected = value_get_string (value);
  GtkStringList *model = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (self->control)));
  guint index = GTK_INVALID_LIST_POSITION;

  if (update_options (self, element))
    gtk_string_list_splice (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)),
                            (const char *const *) self->options);
  for (guint i = 0; self->options[i] != NULL; i++)
    if (g_strcmp0 (self->options[i], selected) == 0)
      index = i;
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->control)) != index)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->control), index);
}

/* Multiselect: a chip (a toggle button in a flow box child) per option */

static GtkToggleButton *
chip_of (GtkWidget *group_child)
{
  return GTK_TOGGLE_BUTTON (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (group_child)));
}

static const char *
chip_option (TessInputWidget *self, GtkWidget *group_child)
{
  return self->options[gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (group_child))];
}

static void
tess_input_widget_chip_toggled_cb (GtkToggleButton *button, TessInputWidget *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) selected = NULL;

  g_assert (GTK_IS_TOGGLE_BUTTON (button));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  for (GtkWidget *child = gtk_widget_get_first_child (self->group); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_toggle_button_get_active (chip_of (child)))
      g_strv_builder_add (builder, chip_option (self, child));
  selected = g_strv_builder_end (builder);
  commit (self, g_variant_new_strv ((const char *const *) selected, -1));
}

static void
multiselect_build (TessInputWidget *self)
{
  self->group = self->control = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->group), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->group), 12);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->group), 4);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->group), 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->group), GTK_ACCESSIBLE_PROPERTY_MULTI_SELECTABLE, TRUE, -1);
  gtk_box_append (GTK_BOX (self), self->group);
}

static void
multiselect_update (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy)
{
  g_autofree const char **selected = value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY)
                                         ? g_variant_get_strv (value, NULL)
                                         : NULL;

  if (update_options (self, element))
    {
      GtkWidget *child;
      while ((child = gtk_widget_get_first_child (self->group)) != NULL)
        gtk_flow_box_remove (GTK_FLOW_BOX (self->group), child);
      for (guint o = 0; self->options[o] != NULL; o++)
        {
          GtkWidget *chip = gtk_toggle_button_new_with_label (self->options[o]);
          gtk_widget_add_css_class (chip, "tess-chip");
          gtk_widget_set_halign (chip, GTK_ALIGN_START);
          g_signal_connect (chip, "toggled", G_CALLBACK (tess_input_widget_chip_toggled_cb), self);
          gtk_flow_box_append (GTK_FLOW_BOX (self->group), chip);
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (self->group); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkToggleButton *chip = chip_of (child);
      gboolean active = selected != NULL && g_strv_contains (selected, chip_option (self, child));
      if (gtk_toggle_button_get_active (chip) != active)
        gtk_toggle_button_set_active (chip, active);
    }
}

/* Checkbox */

static void
tess_input_widget_checkbox_toggled_cb (GtkCheckButton *check, TessInputWidget *self)
{
  g_assert (GTK_IS_CHECK_BUTTON (check));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  commit (self, g_variant_new_boolean (gtk_check_button_get_active (check)));
}

static void
checkbox_build (TessInputWidget *self)
{
  self->control = gtk_check_button_new ();
  g_signal_connect (self->control, "toggled", G_CALLBACK (tess_input_widget_checkbox_toggled_cb), self);
  gtk_box_append (GTK_BOX (self), self->control);
}

static void
checkbox_update (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy)
{
  GtkCheckButton *check = GTK_CHECK_BUTTON (self->control);
  gboolean active = value_get_boolean (value);

  if (g_strcmp0 (gtk_check_button_get_label (check), label) != 0)
    gtk_check_button_set_label (check, label);
  if (gtk_check_button_get_active (check) != active)
    gtk_check_button_set_active (check, active);
}

/* Toggle: a switch after its label, on one line */

static void
tess_input_widget_switch_active_cb (GtkSwitch *sw, GParamSpec *pspec, TessInputWidget *self)
{
  g_assert (GTK_IS_SWITCH (sw));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  commit (self, g_variant_new_boolean (gtk_switch_get_active (sw)));
}

static void
toggle_build (TessInputWidget *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_hexpand (self->label, TRUE);
  self->control = gtk_switch_new ();
  gtk_widget_set_valign (self->control, GTK_ALIGN_CENTER);
  g_signal_connect (self->control, "notify::active", G_CALLBACK (tess_input_widget_switch_active_cb), self);
  gtk_box_append (GTK_BOX (self), self->control);
}

static void
toggle_update (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy)
{
  gboolean active = value_get_boolean (value);

  if (gtk_switch_get_active (GTK_SWITCH (self->control)) != active)
    gtk_switch_set_active (GTK_SWITCH (self->control), active);
}

/* Radio: a check button per option, in one group */

static void
tess_input_widget_radio_toggled_cb (GtkCheckButton *check, TessInputWidget *self)
{
  guint i = 0;

  g_assert (GTK_IS_CHECK_BUTTON (check));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  if (!gtk_check_button_get_active (check))
    return;
  for (GtkWidget *radio = gtk_widget_get_first_child (self->group); radio != NULL;
       radio = gtk_widget_get_next_sibling (radio), i++)
    if (radio == GTK_WIDGET (check))
      {
        commit (self, g_variant_new_string (self->options[i]));
        return;
      }
}

static void
radio_build (TessInputWidget *self)
{
  self->group = self->control = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->group), GTK_ACCESSIBLE_PROPERTY_ORIENTATION,
                                  GTK_ORIENTATION_VERTICAL, -1);
  gtk_box_append (GTK_BOX (self), self->group);
}

static void
radio_update (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy)
{
  const char *selected = value_get_string (value);
  guint i = 0;

  if (update_options (self, element))
    {
      GtkWidget *child;
      GtkCheckButton *first = NULL;
      while ((child = gtk_widget_get_first_child (self->group)) != NULL)
        gtk_box_remove (GTK_BOX (self->group), child);
      for (guint o = 0; self->options[o] != NULL; o++)
        {
          GtkWidget *radio = gtk_check_button_new_with_label (self->options[o]);
          if (first != NULL)
            gtk_check_button_set_group (GTK_CHECK_BUTTON (radio), first);
          else
            first = GTK_CHECK_BUTTON (radio);
          g_signal_connect (radio, "toggled", G_CALLBACK (tess_input_widget_radio_toggled_cb), self);
          gtk_box_append (GTK_BOX (self->group), radio);
        }
    }
  for (GtkWidget *radio = gtk_widget_get_first_child (self->group); radio != NULL;
       radio = gtk_widget_get_next_sibling (radio), i++)
    if (g_strcmp0 (self->options[i], selected) == 0 && !gtk_check_button_get_active (GTK_CHECK_BUTTON (radio)))
      gtk_check_button_set_active (GTK_CHECK_BUTTON (radio), TRUE);
}

/* Text: committed on Enter and when the entry loses the focus */

static void
text_commit (TessInputWidget *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->control));

  if (self->syncing || g_strcmp0 (text, self->shown_text) == 0)
    return;
  g_free (self->shown_text);
  self->shown_text = g_strdup (text);
  commit (self, g_variant_new_string (text));
}

static void
tess_input_widget_entry_activate_cb (GtkEntry *entry, TessInputWidget *self)
{
  g_assert (GTK_IS_ENTRY (entry));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  text_commit (self);
}

static void
text_build (TessInputWidget *self)
{
  self->control = gtk_entry_new ();
  g_signal_connect (self->control, "activate", G_CALLBACK (tess_input_widget_entry_activate_cb), self);
  track_focus (self, self->control);
  gtk_box_append (GTK_BOX (self), self->control);
}

/* Typing in progress keeps the entry's text and cursor. */
static void
text_update (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy)
{
  const char *text = value_get_string (value) ?: "";
  const char *placeholder = tess_element_get_string (element, "placeholder");

  if (g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (self->control)), placeholder) != 0)
    gtk_entry_set_placeholder_text (GTK_ENTRY (self->control), placeholder);
  if (busy)
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->control)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->control), text);
  g_free (self->shown_text);
  self->shown_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->control)));
}

/* Number */

static void
tess_input_widget_spin_value_changed_cb (GtkSpinButton *spin, TessInputWidget *self)
{
  g_assert (GTK_IS_SPIN_BUTTON (spin));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  commit (self, g_variant_new_double (gtk_spin_button_get_value (spin)));
}

static void
number_build (TessInputWidget *self)
{
  self->control = gtk_spin_button_new_with_range (-G_MAXDOUBLE, G_MAXDOUBLE, 1);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->control), TRUE);
  g_signal_connect (self->control, "value-changed", G_CALLBACK (tess_input_widget_spin_value_changed_cb), self);
  track_focus (self, self->control);
  gtk_box_append (GTK_BOX (self), self->control);
}

static void
number_update (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy)
{
  double number =
      value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE) ? g_variant_get_double (value) : 0;
  double min = tess_element_get_double (element, "min", -G_MAXDOUBLE);
  double max = tess_element_get_double (element, "max", G_MAXDOUBLE);
  double step = tess_element_get_double (element, "step", 1);
  GtkSpinButton *spin = GTK_SPIN_BUTTON (self->control);
  double old_min, old_max;

  if (step <= 0)
    step = 1;
  if (max < min)
    max = min;
  gtk_spin_button_get_range (spin, &old_min, &old_max);
  if (old_min != min || old_max != max)
    gtk_spin_button_set_range (spin, min, max);
  gtk_spin_button_set_increments (spin, step, step * 10);
  gtk_spin_button_set_digits (spin, digits_for_step (step));
  if (!busy && gtk_spin_button_get_value (spin) != number)
    gtk_spin_button_set_value (spin, number);
}

/* Date: a menu button showing the date, and a calendar in its popover */

static void
tess_input_widget_calendar_day_selected_cb (GtkCalendar *calendar, TessInputWidget *self)
{
  g_autoptr (GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");

  g_assert (GTK_IS_CALENDAR (calendar));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  if (self->syncing)
    return;
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->control), text);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->control));
  commit (self, g_variant_new_string (text));
}

static void
date_build (TessInputWidget *self)
{
  GtkWidget *popover = gtk_popover_new ();

  self->control = gtk_menu_button_new ();
  self->control2 = gtk_calendar_new ();
  gtk_menu_button_set_always_show_arrow (GTK_MENU_BUTTON (self->control), TRUE);
  gtk_popover_set_child (GTK_POPOVER (popover), self->control2);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->control), popover);
  g_signal_connect (self->control2, "day-selected", G_CALLBACK (tess_input_widget_calendar_day_selected_cb), self);
  gtk_widget_set_halign (self->control, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self), self->control);
}

static void
date_update (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy)
{
  const char *text = value_get_string (value);
  int y = 0, m = 0, d = 0;

  if (text != NULL && sscanf (text, "%d-%d-%d", &y, &m, &d) == 3 && g_date_valid_dmy (d, m, y))
    {
      g_autoptr (GDateTime) date = g_date_time_new_local (y, m, d, 0, 0, 0);
      gtk_calendar_select_day (GTK_CALENDAR (self->control2), date);
      gtk_menu_button_set_label (GTK_MENU_BUTTON (self->control), text);
    }
  else
    gtk_menu_button_set_label (GTK_MENU_BUTTON (self->control), _ ("Pick a date"));
}

/* Button: commits a press (no value) */

static void
tess_input_widget_button_clicked_cb (GtkButton *button, TessInputWidget *self)
{
  g_assert (GTK_IS_BUTTON (button));
  g_assert (TESS_IS_INPUT_WIDGET (self));

  commit (self, NULL);
}

static void
button_build (TessInputWidget *self)
{
  self->control = gtk_button_new ();
  gtk_widget_set_halign (self->control, GTK_ALIGN_START);
  g_signal_connect (self->control, "clicked", G_CALLBACK (tess_input_widget_button_clicked_cb), self);
  gtk_box_append (GTK_BOX (self), self->control);
}

static void
button_update (TessInputWidget *self, TessElement *element, GVariant *value, const char *label, gboolean busy)
{
  if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (self->control)), label) != 0)
    gtk_button_set_label (GTK_BUTTON (self->control), label);
}

/* The input kinds, in the order of TessElementKind from SLIDER to BUTTON. */
static const InputKind input_kinds[] = {
  [TESS_ELEMENT_SLIDER - TESS_ELEMENT_SLIDER] = { TRUE, TRUE, slider_build, slider_update },
  [TESS_ELEMENT_SELECTBOX - TESS_ELEMENT_SLIDER] = { TRUE, TRUE, selectbox_build, selectbox_update },
  [TESS_ELEMENT_MULTISELECT - TESS_ELEMENT_SLIDER] = { TRUE, FALSE, multiselect_build, multiselect_update },
  [TESS_ELEMENT_CHECKBOX - TESS_ELEMENT_SLIDER] = { FALSE, FALSE, checkbox_build, checkbox_update },
  [TESS_ELEMENT_TOGGLE - TESS_ELEMENT_SLIDER] = { TRUE, TRUE, toggle_build, toggle_update },
  [TESS_ELEMENT_RADIO - TESS_ELEMENT_SLIDER] = { TRUE, FALSE, radio_build, radio_update },
  [TESS_ELEMENT_TEXT_INPUT - TESS_ELEMENT_SLIDER] = { TRUE, TRUE, text_build, text_update },
  [TESS_ELEMENT_NUMBER_INPUT - TESS_ELEMENT_SLIDER] = { TRUE, TRUE, number_build, number_update },
  [TESS_ELEMENT_DATE_INPUT - TESS_ELEMENT_SLIDER] = { TRUE, TRUE, date_build, date_update },
  [TESS_ELEMENT_BUTTON - TESS_ELEMENT_SLIDER] = { FALSE, FALSE, button_build, button_update },
};

G_STATIC_ASSERT (G_N_ELEMENTS (input_kinds) == TESS_ELEMENT_BUTTON - TESS_ELEMENT_SLIDER + 1);

GtkWidget *
tess_input_widget_new (TessElementKind kind, TessInputCommitFunc commit_func, gpointer user_data)
{
  TessInputWidget *self;

  g_return_val_if_fail (tess_element_kind_is_input (kind), NULL);
  g_return_val_if_fail (commit_func != NULL, NULL);
  TESS_ASSERT_MAIN_THREAD ();

  self = g_object_new (TESS_TYPE_INPUT_WIDGET, "orientation", GTK_ORIENTATION_VERTICAL, "spacing", 6, NULL);
  self->kind = kind;
  self->input_kind = &input_kinds[kind - TESS_ELEMENT_SLIDER];
  self->commit = commit_func;
  self->commit_data = user_data;
  gtk_widget_add_css_class (GTK_WIDGET (self), "tess-input");
  gtk_widget_add_css_class (GTK_WIDGET (self), "tess-element");

  if (self->input_kind->has_label)
    {
      self->label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->label), 0);
      gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
      gtk_widget_add_css_class (self->label, "tess-input-label");
      gtk_box_append (GTK_BOX (self), self->label);
    }
  self->input_kind->build (self);
  if (self->input_kind->label_names_control)
    gtk_label_set_mnemonic_widget (GTK_LABEL (self->label), self->control);
  return GTK_WIDGET (self);
}

void
tess_input_widget_update (GtkWidget *widget, TessElement *element, GVariant *value)
{
  TessInputWidget *self;
  const char *label;
  const char *help;
  g_autoptr (GVariant) element_value = NULL;
  gboolean busy;

  g_return_if_fail (TESS_IS_INPUT_WIDGET (widget));
  g_return_if_fail (element != NULL);
  TESS_ASSERT_MAIN_THREAD ();
  self = TESS_INPUT_WIDGET (widget);
  g_return_if_fail (tess_element_get_kind (element) == self->kind);

  label = tess_element_get_string (element, "label") ?: "";
  help = tess_element_get_string (element, "help");
  if (value == NULL)
    value = element_value = tess_element_lookup (element, "value", NULL);
  busy = tess_input_widget_is_busy (widget);

  if (g_strcmp0 (self->key, tess_element_get_string (element, "key")) != 0)
    {
      g_free (self->key);
      self->key = g_strdup (tess_element_get_string (element, "key"));
    }
  gtk_widget_set_sensitive (widget, !tess_element_get_boolean (element, "disabled", FALSE));
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), help) != 0)
    gtk_widget_set_tooltip_text (widget, help);
  if (self->label != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (self->label)), label) != 0)
    gtk_label_set_text (GTK_LABEL (self->label), label);
  /* A slider names each of its scales itself. */
  if (self->kind != TESS_ELEMENT_SLIDER)
    set_accessible_label (self->control, label);

  self->syncing = TRUE;
  self->input_kind->update (self, element, value, label, busy);
  self->syncing = FALSE;
}

GtkWidget *
tess_input_widget_get_control (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  if (!TESS_IS_INPUT_WIDGET (widget))
    return NULL;
  return TESS_INPUT_WIDGET (widget)->control;
}

GtkWidget *
tess_input_widget_get_part (GtkWidget *widget, const char *part)
{
  TessInputWidget *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (part != NULL, NULL);

  if (!TESS_IS_INPUT_WIDGET (widget))
    return NULL;
  self = TESS_INPUT_WIDGET (widget);
  if (g_str_equal (part, "label"))
    return self->label;
  if (g_str_equal (part, "high") || g_str_equal (part, "calendar"))
    return self->control2;
  if (g_str_equal (part, "group"))
    return self->group;
  return NULL;
}

gboolean
tess_input_widget_is_busy (GtkWidget *widget)
{
  TessInputWidget *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  if (!TESS_IS_INPUT_WIDGET (widget))
    return FALSE;
  self = TESS_INPUT_WIDGET (widget);
  if (self->pressed || self->focused)
    return TRUE;
  /* Typing into an entry of a window that is not active still counts. */
  if (self->kind == TESS_ELEMENT_TEXT_INPUT || self->kind == TESS_ELEMENT_NUMBER_INPUT)
    {
      GtkRoot *root = gtk_widget_get_root (self->control);
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
      return focus != NULL && (focus == self->control || gtk_widget_is_ancestor (focus, self->control));
    }
  return FALSE;
}

const char *
tess_input_widget_get_key (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  if (!TESS_IS_INPUT_WIDGET (widget))
    return NULL;
  return TESS_INPUT_WIDGET (widget)->key;
}
