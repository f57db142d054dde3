/* keyboard.c: the shortcuts window (Ctrl+?) lists the keys of the window,
 * the charts and the tables, and only keys that work: every key it shows is
 * bound, on the application for an action, or on the chart or table widget
 * (or the table's search entry) for the group it is in. */
#include "../widgets/widget-test-host.h"

#include <string.h>

#include "tess-app-private.h"
#include "tess-application.h"
#include "tess-chart.h"
#include "tess-table-view-private.h"

/* Whether @widget or one of its descendants binds @keyval with @mods. */
static gboolean
binds_key (GtkWidget *widget, guint keyval, GdkModifierType mods)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == gdk_keyval_to_lower (keyval) &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            return TRUE;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (binds_key (child, keyval, mods))
      return TRUE;
  return FALSE;
}

static void
collect_shortcuts (GtkWidget *widget, GPtrArray *shortcuts)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    g_ptr_array_add (shortcuts, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, shortcuts);
}

static void
test_shortcuts_window (void)
{
  g_autoptr (GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/tessera/Tessera/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  GtkWidget *chart = g_object_ref_sink (tess_chart_new ());
  GtkWidget *table = g_object_ref_sink (tess_table_view_new ());
  g_autoptr (GPtrArray) shortcuts = g_ptr_array_new ();
  g_auto (TessAppOptions) options = { 0 };
  g_autoptr (TessApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  guint n_chart = 0, n_table = 0, n_actions = 0;

  options.app_id = g_strdup ("io.github.tessera.Tessera.KeyboardTest");
  app = tess_application_new (&options);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  collect_shortcuts (overlay, shortcuts);
  g_assert_cmpuint (shortcuts->len, >, 0);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      GtkWidget *shortcut = g_ptr_array_index (shortcuts, i);
      g_autofree char *title = NULL, *accelerator = NULL, *action = NULL;
      g_autofree char *group = NULL;

      GtkWidget *group_widget = gtk_widget_get_ancestor (shortcut, GTK_TYPE_SHORTCUTS_GROUP);

      /* the window's search page holds copies outside any group */
      if (group_widget == NULL)
        continue;
      g_object_get (shortcut, "title", &title, "accelerator", &accelerator, "action-name", &action, NULL);
      g_object_get (group_widget, "title", &group, NULL);
      if (action != NULL)
        {
          g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

          /* GTK binds Ctrl+? itself when a window gets this overlay */
          if (!g_str_equal (action, "win.show-help-overlay"))
            {
              g_test_message ("%s: %s", title, action);
              g_assert_nonnull (accels);
              g_assert_nonnull (accels[0]);
            }
          n_actions++;
          continue;
        }
      /* a key of its own: bound on the widget its group names */
      g_assert_nonnull (accelerator);
      {
        g_auto (GStrv) keys = g_strsplit (accelerator, " ", -1);
        gboolean charts = g_str_has_prefix (group, "Charts");
        gboolean tables = g_str_has_prefix (group, "Tables");

        g_assert_true (charts || tables);
        for (guint k = 0; keys[k] != NULL; k++)
          {
            guint keyval;
            GdkModifierType mods;

            g_assert_true (gtk_accelerator_parse (keys[k], &keyval, &mods));
            g_test_message ("%s: %s", title, keys[k]);
            g_assert_true (binds_key (charts ? chart : table, keyval, mods));
          }
        n_chart += charts;
        n_table += tables;
      }
    }
  g_assert_cmpuint (n_chart, >=, 4);
  g_assert_cmpuint (n_table, >=, 2);
  g_assert_cmpuint (n_actions, >=, 4);
  g_object_unref (chart);
  g_object_unref (table);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

int
main (int argc, char **argv)
{
  test_host_use_build_schema ();
  test_host_init (&argc, &argv);
  g_test_add_func ("/Keyboard/shortcuts-window", test_shortcuts_window);
  return g_test_run ();
}
