/* tess-input-widgets.c: input elements as GTK controls.
 *
 * Each input widget carries an InputState (object data "tess-input"): its key,
 * the commit function, its controls, and two guards. "syncing" is set while an
 * update from the runtime writes a control, so that write is not committed
 * back as if the user had made it. "pressed"/"focused" say the user is in the
 * middle of an interaction; an update then leaves the value alone, so a drag
 * keeps its grab and an entry its cursor.
 */
#include "tess-input-widgets.h"
#include "tess-thread-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>

typedef struct
{
  TessElementKind kind;
  char *key;
  TessInputCommitFunc commit;
  gpointer user_data;
  GtkWidget *widget;   /* the outer widget (not owned) */
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
} InputState;

static void
input_state_free (InputState *state)
{
  g_free (state->key);
  g_strfreev (state->options);
  g_free (state->shown_text);
  g_free (state);
}

static InputState *
get_state (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "tess-input");
}

static void
commit (InputState *state, GVariant *value)
{
  if (state->syncing || state->key == NULL)
    {
      if (value != NULL)
        g_variant_unref (g_variant_ref_sink (value));
      return;
    }
  state->commit (state->widget, state->key, value, state->user_data);
}

static void
set_accessible_label (GtkWidget *control, const char *text)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL, text ?: "", -1);
}

/* Sliders: a press anywhere on the scale starts an interaction that lasts
 * until the release, whoever claims the gesture. */
static gboolean
tess_input_widget_scale_press_event_cb (GtkEventControllerLegacy *controller, GdkEvent *event, InputState *state)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_LEGACY (controller));

  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
      state->pressed = TRUE;
      break;
    case GDK_BUTTON_RELEASE:
    case GDK_TOUCH_END:
    case GDK_TOUCH_CANCEL:
      state->pressed = FALSE;
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
track_press (InputState *state, GtkWidget *control)
{
  GtkEventController *legacy = gtk_event_controller_legacy_new ();

  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (tess_input_widget_scale_press_event_cb), state);
  gtk_widget_add_controller (control, legacy);
}

static void
tess_input_widget_focus_enter_cb (GtkEventControllerFocus *controller, InputState *state)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_FOCUS (controller));

  state->focused = TRUE;
}

static void text_commit (InputState *state);

static void
tess_input_widget_focus_leave_cb (GtkEventControllerFocus *controller, InputState *state)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_FOCUS (controller));

  state->focused = FALSE;
  if (state->kind == TESS_ELEMENT_TEXT_INPUT)
    text_commit (state);
  else if (state->kind == TESS_ELEMENT_NUMBER_INPUT)
    gtk_spin_button_update (GTK_SPIN_BUTTON (state->control));
}

static void
track_focus (InputState *state, GtkWidget *control)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "enter", G_CALLBACK (tess_input_widget_focus_enter_cb), state);
  g_signal_connect (focus, "leave", G_CALLBACK (tess_input_widget_focus_leave_cb), state);
  gtk_widget_add_controller (control, focus);
}

static void
tess_input_widget_scale_value_changed_cb (GtkRange *range, InputState *state)
{
  double low = gtk_range_get_value (GTK_RANGE (state->control));

  g_assert (GTK_IS_RANGE (range));

  if (state->syncing)
    return;
  if (state->range)
    {
      double high = gtk_range_get_value (GTK_RANGE (state->control2));
      if (low > high)
        {
          /* Keep low <= high by moving the other end along. */
          state->syncing = TRUE;
          if (GTK_WIDGET (range) == state->control)
            gtk_range_set_value (GTK_RANGE (state->control2), (high = low));
          else
            gtk_range_set_value (GTK_RANGE (state->control), (low = high));
          state->syncing = FALSE;
        }
      commit (state, g_variant_new ("(dd)", low, high));
    }
  else
    commit (state, g_variant_new_double (low));
}

static void
tess_input_widget_dropdown_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, InputState *state)
{
  guint index = gtk_drop_down_get_selected (dropdown);

  g_assert (GTK_IS_DROP_DOWN (dropdown));

  if (state->options == NULL || index >= g_strv_length (state->options))
    return;
  commit (state, g_variant_new_string (state->options[index]));
}

static void
tess_input_widget_checkbox_toggled_cb (GtkCheckButton *check, InputState *state)
{
  g_assert (GTK_IS_CHECK_BUTTON (check));

  commit (state, g_variant_new_boolean (gtk_check_button_get_active (check)));
}

static void
tess_input_widget_switch_active_cb (GtkSwitch *sw, GParamSpec *pspec, InputState *state)
{
  g_assert (GTK_IS_SWITCH (sw));

  commit (state, g_variant_new_boolean (gtk_switch_get_active (sw)));
}

static void
tess_input_widget_radio_toggled_cb (GtkCheckButton *check, InputState *state)
{
  const char *option = g_object_get_data (G_OBJECT (check), "tess-option");

  g_assert (GTK_IS_CHECK_BUTTON (check));

  if (gtk_check_button_get_active (check) && option != NULL)
    commit (state, g_variant_new_string (option));
}

static void
tess_input_widget_chip_toggled_cb (GtkToggleButton *button, InputState *state)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) selected = NULL;

  g_assert (GTK_IS_TOGGLE_BUTTON (button));

  for (GtkWidget *child = gtk_widget_get_first_child (state->group); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *chip = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (chip)))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (chip), "tess-option"));
    }
  selected = g_strv_builder_end (builder);
  commit (state, g_variant_new_strv ((const char *const *) selected, -1));
}

static void
text_commit (InputState *state)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (state->control));

  if (state->syncing || g_strcmp0 (text, state->shown_text) == 0)
    return;
  g_free (state->shown_text);
  state->shown_text = g_strdup (text);
  commit (state, g_variant_new_string (text));
}

static void
tess_input_widget_entry_activate_cb (GtkEntry *entry, InputState *state)
{
  g_assert (GTK_IS_ENTRY (entry));

  text_commit (state);
}

static void
tess_input_widget_spin_value_changed_cb (GtkSpinButton *spin, InputState *state)
{
  g_assert (GTK_IS_SPIN_BUTTON (spin));

  commit (state, g_variant_new_double (gtk_spin_button_get_value (spin)));
}

static void
tess_input_widget_calendar_day_selected_cb (GtkCalendar *calendar, InputState *state)
{
  g_autoptr (GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");

  g_assert (GTK_IS_CALENDAR (calendar));

  if (state->syncing)
    return;
  gtk_menu_button_set_label (GTK_MENU_BUTTON (state->control), text);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (state->control));
  commit (state, g_variant_new_string (text));
}

static void
tess_input_widget_button_clicked_cb (GtkButton *button, InputState *state)
{
  g_assert (GTK_IS_BUTTON (button));

  commit (state, NULL);
}

static GtkWidget *
new_scale (InputState *state)
{
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 100, 1);

  gtk_scale_set_draw_value (GTK_SCALE (scale), TRUE);
  gtk_scale_set_value_pos (GTK_SCALE (scale), GTK_POS_RIGHT);
  gtk_widget_set_hexpand (scale, TRUE);
  g_signal_connect (scale, "value-changed", G_CALLBACK (tess_input_widget_scale_value_changed_cb), state);
  track_press (state, scale);
  return scale;
}

GtkWidget *
tess_input_widget_new (TessElementKind kind, TessInputCommitFunc commit_func, gpointer user_data)
{
  InputState *state;
  GtkWidget *box;

  g_return_val_if_fail (tess_element_kind_is_input (kind), NULL);
  g_return_val_if_fail (commit_func != NULL, NULL);
  TESS_ASSERT_MAIN_THREAD ();

  state = g_new0 (InputState, 1);
  state->kind = kind;
  state->commit = commit_func;
  state->user_data = user_data;

  box = gtk_box_new (kind == TESS_ELEMENT_TOGGLE ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL, 6);
  state->widget = box;
  g_object_set_data_full (G_OBJECT (box), "tess-input", state, (GDestroyNotify) input_state_free);
  gtk_widget_add_css_class (box, "tess-input");
  gtk_widget_add_css_class (box, "tess-element");

  if (kind != TESS_ELEMENT_CHECKBOX && kind != TESS_ELEMENT_BUTTON)
    {
      state->label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (state->label), 0);
      gtk_label_set_wrap (GTK_LABEL (state->label), TRUE);
      gtk_widget_add_css_class (state->label, "tess-input-label");
      gtk_widget_set_hexpand (state->label, kind == TESS_ELEMENT_TOGGLE);
      gtk_box_append (GTK_BOX (box), state->label);
    }

  switch (kind)
    {
    case TESS_ELEMENT_SLIDER:
      {
        GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
        state->control = new_scale (state);
        state->control2 = new_scale (state);
        gtk_widget_set_visible (state->control2, FALSE);
        gtk_box_append (GTK_BOX (row), state->control);
        gtk_box_append (GTK_BOX (row), state->control2);
        gtk_box_append (GTK_BOX (box), row);
      }
      break;
    case TESS_ELEMENT_SELECTBOX:
      state->control = gtk_drop_down_new (G_LIST_MODEL (gtk_string_list_new (NULL)), NULL);
      g_signal_connect (state->control, "notify::selected", G_CALLBACK (tess_input_widget_dropdown_selected_cb), state);
      gtk_box_append (GTK_BOX (box), state->control);
      break;
    case TESS_ELEMENT_MULTISELECT:
      state->group = state->control = gtk_flow_box_new ();
      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (state->group), GTK_SELECTION_NONE);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (state->group), 12);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (state->group), 4);
      gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (state->group), 4);
      gtk_accessible_update_property (GTK_ACCESSIBLE (state->group), GTK_ACCESSIBLE_PROPERTY_MULTI_SELECTABLE, TRUE,
                                      -1);
      gtk_box_append (GTK_BOX (box), state->group);
      break;
    case TESS_ELEMENT_CHECKBOX:
      state->control = gtk_check_button_new ();
      g_signal_connect (state->control, "toggled", G_CALLBACK (tess_input_widget_checkbox_toggled_cb), state);
      gtk_box_append (GTK_BOX (box), state->control);
      break;
    case TESS_ELEMENT_TOGGLE:
      state->control = gtk_switch_new ();
      gtk_widget_set_valign (state->control, GTK_ALIGN_CENTER);
      g_signal_connect (state->control, "notify::active", G_CALLBACK (tess_input_widget_switch_active_cb), state);
      gtk_box_append (GTK_BOX (box), state->control);
      break;
    case TESS_ELEMENT_RADIO:
      state->group = state->control = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      gtk_accessible_update_property (GTK_ACCESSIBLE (state->group), GTK_ACCESSIBLE_PROPERTY_ORIENTATION,
                                      GTK_ORIENTATION_VERTICAL, -1);
      gtk_box_append (GTK_BOX (box), state->group);
      break;
    case TESS_ELEMENT_TEXT_INPUT:
      state->control = gtk_entry_new ();
      g_signal_connect (state->control, "activate", G_CALLBACK (tess_input_widget_entry_activate_cb), state);
      track_focus (state, state->control);
      gtk_box_append (GTK_BOX (box), state->control);
      break;
    case TESS_ELEMENT_NUMBER_INPUT:
      state->control = gtk_spin_button_new_with_range (-G_MAXDOUBLE, G_MAXDOUBLE, 1);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (state->control), TRUE);
      g_signal_connect (state->control, "value-changed", G_CALLBACK (tess_input_widget_spin_value_changed_cb), state);
      track_focus (state, state->control);
      gtk_box_append (GTK_BOX (box), state->control);
      break;
    case TESS_ELEMENT_DATE_INPUT:
      {
        GtkWidget *popover = gtk_popover_new ();
        state->control = gtk_menu_button_new ();
        state->control2 = gtk_calendar_new ();
        gtk_menu_button_set_always_show_arrow (GTK_MENU_BUTTON (state->control), TRUE);
        gtk_popover_set_child (GTK_POPOVER (popover), state->control2);
        gtk_menu_button_set_popover (GTK_MENU_BUTTON (state->control), popover);
        g_signal_connect (state->control2, "day-selected", G_CALLBACK (tess_input_widget_calendar_day_selected_cb),
                          state);
        gtk_widget_set_halign (state->control, GTK_ALIGN_START);
        gtk_box_append (GTK_BOX (box), state->control);
      }
      break;
    case TESS_ELEMENT_BUTTON:
      state->control = gtk_button_new ();
      gtk_widget_set_halign (state->control, GTK_ALIGN_START);
      g_signal_connect (state->control, "clicked", G_CALLBACK (tess_input_widget_button_clicked_cb), state);
      gtk_box_append (GTK_BOX (box), state->control);
      break;
    default:
      g_assert_not_reached ();
    }

  if (state->label != NULL && state->kind != TESS_ELEMENT_RADIO && state->kind != TESS_ELEMENT_MULTISELECT)
    gtk_label_set_mnemonic_widget (GTK_LABEL (state->label), state->control);
  return box;
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
update_options (InputState *state, TessElement *element)
{
  g_autoptr (GVariant) options_v = tess_element_lookup (element, "options", G_VARIANT_TYPE_STRING_ARRAY);
  g_auto (GStrv) options = options_v != NULL ? g_variant_dup_strv (options_v, NULL) : g_new0 (char *, 1);

  if (strv_equal (options, state->options))
    return FALSE;
  g_strfreev (state->options);
  state->options = g_steal_pointer (&options);
  return TRUE;
}

static void
slider_update (InputState *state, TessElement *element, GVariant *value, const char *label)
{
  double min = tess_element_get_double (element, "min", 0);
  double max = tess_element_get_double (element, "max", 100);
  double step = tess_element_get_double (element, "step", 0);
  gboolean range = tess_element_get_boolean (element, "range", FALSE);
  GtkWidget *scales[2] = { state->control, state->control2 };
  double values[2] = { min, max };

  if (max <= min)
    max = min + 1;
  if (step <= 0)
    step = (max - min) / 100.0;
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE ("(dd)")))
    g_variant_get (value, "(dd)", &values[0], &values[1]);
  else if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    values[0] = g_variant_get_double (value);

  state->range = range;
  gtk_widget_set_visible (state->control2, range);
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

void
tess_input_widget_update (GtkWidget *widget, TessElement *element, GVariant *value)
{
  InputState *state;
  const char *label;
  const char *help;
  g_autoptr (GVariant) element_value = NULL;
  gboolean busy;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (element != NULL);
  TESS_ASSERT_MAIN_THREAD ();
  state = get_state (widget);
  g_return_if_fail (state != NULL);
  g_return_if_fail (tess_element_get_kind (element) == state->kind);

  label = tess_element_get_string (element, "label") ?: "";
  help = tess_element_get_string (element, "help");
  if (value == NULL)
    value = element_value = tess_element_lookup (element, "value", NULL);
  busy = tess_input_widget_is_busy (widget);

  if (g_strcmp0 (state->key, tess_element_get_string (element, "key")) != 0)
    {
      g_free (state->key);
      state->key = g_strdup (tess_element_get_string (element, "key"));
    }
  gtk_widget_set_sensitive (widget, !tess_element_get_boolean (element, "disabled", FALSE));
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), help) != 0)
    gtk_widget_set_tooltip_text (widget, help);
  if (state->label != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (state->label)), label) != 0)
    gtk_label_set_text (GTK_LABEL (state->label), label);
  if (state->kind != TESS_ELEMENT_SLIDER)
    set_accessible_label (state->control, label);

  state->syncing = TRUE;
  switch (state->kind)
    {
    case TESS_ELEMENT_SLIDER:
      if (!busy)
        slider_update (state, element, value, label);
      break;
    case TESS_ELEMENT_SELECTBOX:
      {
        const char *selected = value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
                                   ? g_variant_get_string (value, NULL)
                                   : NULL;
        GtkStringList *model = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (state->control)));
        guint index = GTK_INVALID_LIST_POSITION;

        if (update_options (state, element))
          gtk_string_list_splice (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)),
                                  (const char *const *) state->options);
        for (guint i = 0; state->options[i] != NULL; i++)
          if (g_strcmp0 (state->options[i], selected) == 0)
            index = i;
        if (gtk_drop_down_get_selected (GTK_DROP_DOWN (state->control)) != index)
          gtk_drop_down_set_selected (GTK_DROP_DOWN (state->control), index);
      }
      break;
    case TESS_ELEMENT_MULTISELECT:
      {
        g_autofree const char **selected = value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY)
                                               ? g_variant_get_strv (value, NULL)
                                               : NULL;
        if (update_options (state, element))
          {
            GtkWidget *child;
            while ((child = gtk_widget_get_first_child (state->group)) != NULL)
              gtk_flow_box_remove (GTK_FLOW_BOX (state->group), child);
            for (guint i = 0; state->options[i] != NULL; i++)
              {
                GtkWidget *chip = gtk_toggle_button_new_with_label (state->options[i]);
                g_object_set_data_full (G_OBJECT (chip), "tess-option", g_strdup (state->options[i]), g_free);
                gtk_widget_add_css_class (chip, "tess-chip");
                gtk_widget_set_halign (chip, GTK_ALIGN_START);
                g_signal_connect (chip, "toggled", G_CALLBACK (tess_input_widget_chip_toggled_cb), state);
                gtk_flow_box_append (GTK_FLOW_BOX (state->group), chip);
              }
          }
        for (GtkWidget *child = gtk_widget_get_first_child (state->group); child != NULL;
             child = gtk_widget_get_next_sibling (child))
          {
            GtkWidget *chip = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
            const char *option = g_object_get_data (G_OBJECT (chip), "tess-option");
            gboolean active = selected != NULL && g_strv_contains (selected, option);
            if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (chip)) != active)
              gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (chip), active);
          }
      }
      break;
    case TESS_ELEMENT_CHECKBOX:
    case TESS_ELEMENT_TOGGLE:
      {
        gboolean active =
            value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (value);
        if (state->kind == TESS_ELEMENT_CHECKBOX)
          {
            if (g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (state->control)), label) != 0)
              gtk_check_button_set_label (GTK_CHECK_BUTTON (state->control), label);
            if (gtk_check_button_get_active (GTK_CHECK_BUTTON (state->control)) != active)
              gtk_check_button_set_active (GTK_CHECK_BUTTON (state->control), active);
          }
        else if (gtk_switch_get_active (GTK_SWITCH (state->control)) != active)
          gtk_switch_set_active (GTK_SWITCH (state->control), active);
      }
      break;
    case TESS_ELEMENT_RADIO:
      {
        const char *selected = value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
                                   ? g_variant_get_string (value, NULL)
                                   : NULL;
        if (update_options (state, element))
          {
            GtkWidget *child;
            GtkCheckButton *first = NULL;
            while ((child = gtk_widget_get_first_child (state->group)) != NULL)
              gtk_box_remove (GTK_BOX (state->group), child);
            for (guint i = 0; state->options[i] != NULL; i++)
              {
                GtkWidget *radio = gtk_check_button_new_with_label (state->options[i]);
                g_object_set_data_full (G_OBJECT (radio), "tess-option", g_strdup (state->options[i]), g_free);
                if (first != NULL)
                  gtk_check_button_set_group (GTK_CHECK_BUTTON (radio), first);
                else
                  first = GTK_CHECK_BUTTON (radio);
                g_signal_connect (radio, "toggled", G_CALLBACK (tess_input_widget_radio_toggled_cb), state);
                gtk_box_append (GTK_BOX (state->group), radio);
              }
          }
        for (GtkWidget *radio = gtk_widget_get_first_child (state->group); radio != NULL;
             radio = gtk_widget_get_next_sibling (radio))
          {
            const char *option = g_object_get_data (G_OBJECT (radio), "tess-option");
            if (g_strcmp0 (option, selected) == 0 && !gtk_check_button_get_active (GTK_CHECK_BUTTON (radio)))
              gtk_check_button_set_active (GTK_CHECK_BUTTON (radio), TRUE);
          }
      }
      break;
    case TESS_ELEMENT_TEXT_INPUT:
      {
        const char *text = value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
                               ? g_variant_get_string (value, NULL)
                               : "";
        const char *placeholder = tess_element_get_string (element, "placeholder");
        if (g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (state->control)), placeholder) != 0)
          gtk_entry_set_placeholder_text (GTK_ENTRY (state->control), placeholder);
        if (!busy && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (state->control)), text) != 0)
          gtk_editable_set_text (GTK_EDITABLE (state->control), text);
        if (!busy)
          {
            g_free (state->shown_text);
            state->shown_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (state->control)));
          }
      }
      break;
    case TESS_ELEMENT_NUMBER_INPUT:
      {
        double number =
            value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE) ? g_variant_get_double (value) : 0;
        double min = tess_element_get_double (element, "min", -G_MAXDOUBLE);
        double max = tess_element_get_double (element, "max", G_MAXDOUBLE);
        double step = tess_element_get_double (element, "step", 1);
        GtkSpinButton *spin = GTK_SPIN_BUTTON (state->control);
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
      break;
    case TESS_ELEMENT_DATE_INPUT:
      {
        const char *text = value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
                               ? g_variant_get_string (value, NULL)
                               : NULL;
        int y = 0, m = 0, d = 0;

        if (text != NULL && sscanf (text, "%d-%d-%d", &y, &m, &d) == 3 && g_date_valid_dmy (d, m, y))
          {
            g_autoptr (GDateTime) date = g_date_time_new_local (y, m, d, 0, 0, 0);
            gtk_calendar_select_day (GTK_CALENDAR (state->control2), date);
            gtk_menu_button_set_label (GTK_MENU_BUTTON (state->control), text);
          }
        else
          gtk_menu_button_set_label (GTK_MENU_BUTTON (state->control), _ ("Pick a date"));
      }
      break;
    case TESS_ELEMENT_BUTTON:
      if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (state->control)), label) != 0)
        gtk_button_set_label (GTK_BUTTON (state->control), label);
      break;
    default:
      break;
    }
  state->syncing = FALSE;
}

GtkWidget *
tess_input_widget_get_control (GtkWidget *widget)
{
  InputState *state;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  state = get_state (widget);
  return state != NULL ? state->control : NULL;
}

GtkWidget *
tess_input_widget_get_part (GtkWidget *widget, const char *part)
{
  InputState *state;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (part != NULL, NULL);
  state = get_state (widget);
  if (state == NULL)
    return NULL;
  if (g_str_equal (part, "label"))
    return state->label;
  if (g_str_equal (part, "high") || g_str_equal (part, "calendar"))
    return state->control2;
  if (g_str_equal (part, "group"))
    return state->group;
  return NULL;
}

gboolean
tess_input_widget_is_busy (GtkWidget *widget)
{
  InputState *state;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  state = get_state (widget);
  if (state == NULL)
    return FALSE;
  if (state->pressed || state->focused)
    return TRUE;
  /* Typing into an entry of a window that is not active still counts. */
  if (state->kind == TESS_ELEMENT_TEXT_INPUT || state->kind == TESS_ELEMENT_NUMBER_INPUT)
    {
      GtkRoot *root = gtk_widget_get_root (state->control);
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
      return focus != NULL && (focus == state->control || gtk_widget_is_ancestor (focus, state->control));
    }
  return FALSE;
}

const char *
tess_input_widget_get_key (GtkWidget *widget)
{
  InputState *state;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  state = get_state (widget);
  return state != NULL ? state->key : NULL;
}
