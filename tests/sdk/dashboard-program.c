/* dashboard-program.c: a dashboard program built with the SDK is its own
 * application. Its About window shows its name and version, and Tessera only
 * as what it is built with; Tessera's own About stays Tessera's. */
#include "tess-application.h"

#include <adwaita.h>
#include <string.h>

/* Main thread only. */
static AdwAboutWindow *
about_window_open (TessApplication *app)
{
  GListModel *toplevels;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        return ADW_ABOUT_WINDOW (window);
    }
  return NULL;
}

static TessApplication *
application_new (TessAppOptions *options, const char *app_id, const char *name, const char *version)
{
  g_autoptr (GError) error = NULL;
  TessApplication *app;

  options->app_id = g_strdup (app_id);
  options->name = g_strdup (name);
  options->version = g_strdup (version);
  app = tess_application_new (options);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  return app;
}

static void
test_about_is_the_program_s (void)
{
  g_auto (TessAppOptions) options = { 0 };
  g_autoptr (TessApplication) app = application_new (&options, "org.example.Sales", "Sales", "2.1");
  AdwAboutWindow *about = about_window_open (app);
  g_autofree char *built_with = g_strdup_printf ("Built with Tessera %s", PACKAGE_VERSION);

  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Sales");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, "2.1");
  g_assert_cmpstr (adw_about_window_get_comments (about), ==, built_with);
  /* Tessera's site and issues are not the program's */
  g_assert_cmpstr (adw_about_window_get_website (about), ==, "");
  g_assert_cmpstr (adw_about_window_get_issue_url (about), ==, "");
  gtk_window_destroy (GTK_WINDOW (about));
}

static void
test_about_of_tessera (void)
{
  g_auto (TessAppOptions) options = { 0 };
  g_autoptr (TessApplication) app = application_new (&options, "io.github.tessera.Tessera", "Tessera", PACKAGE_VERSION);
  AdwAboutWindow *about = about_window_open (app);

  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Tessera");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_website (about), ==, "https://github.com/tessera/tessera");
  gtk_window_destroy (GTK_WINDOW (about));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/Sdk/dashboard-program/about", test_about_is_the_program_s);
  g_test_add_func ("/Sdk/dashboard-program/about-tessera", test_about_of_tessera);
  return g_test_run ();
}
