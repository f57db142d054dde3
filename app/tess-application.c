/* tess-application.c: the AdwApplication behind a Tessera window.
 *
 * Non-unique on purpose: every `tessera FILE` (a double-click on a document,
 * a dashboard's own binary, a screenshot run) is its own process with its own
 * dashboard, and tests may run several side by side.
 */
#include "tess-application.h"
#include "tess-thread-private.h"

#include <glib/gi18n.h>

#include "tess-preferences.h"
#include "tess-window.h"

struct _TessApplication
{
  AdwApplication parent_instance;

  TessAppOptions *options;
  TessSession *session;
  int exit_status;
};

G_DEFINE_FINAL_TYPE (TessApplication, tess_application, ADW_TYPE_APPLICATION)

static void
tess_application_about_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TessApplication *self = TESS_APPLICATION (user_data);
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Tessera authors", NULL };
  GtkWidget *about;

  g_assert (G_IS_SIMPLE_ACTION (action));
  g_assert (TESS_IS_APPLICATION (app));

  about = adw_about_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (about), gtk_application_get_active_window (app));
  if (!tess_app_is_tessera (self->options))
    {
      /* A dashboard program built with the SDK is its own application: its
       * name, icon and version, and Tessera's only as what it is built with. */
      g_autofree char *built_with = g_strdup_printf (_ ("Built with Tessera %s"), PACKAGE_VERSION);
      GtkIconTheme *icons = gtk_icon_theme_get_for_display (gtk_widget_get_display (about));
      const char *app_id = self->options->app_id;

      adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), self->options->name);
      adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about),
                                             gtk_icon_theme_has_icon (icons, app_id) ? app_id : TESSERA_APP_ID);
      if (self->options->version != NULL)
        adw_about_window_set_version (ADW_ABOUT_WINDOW (about), self->options->version);
      adw_about_window_set_comments (ADW_ABOUT_WINDOW (about), built_with);
      gtk_window_present (GTK_WINDOW (about));
      return;
    }
  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), _ ("Tessera"));
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), "io.github.tessera.Tessera");
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_comments (ADW_ABOUT_WINDOW (about),
                                 _ ("Data dashboards whose sections run in parallel and rerun alone."));
  adw_about_window_set_website (ADW_ABOUT_WINDOW (about), "https://github.com/tessera/tessera");
  adw_about_window_set_issue_url (ADW_ABOUT_WINDOW (about), "https://github.com/tessera/tessera/issues");
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_3_0);
  /* Translators: replace with your names, one per line */
  adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), _ ("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

static void
tess_application_preferences_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWidget *preferences = NULL;

  g_assert (G_IS_SIMPLE_ACTION (action));
  g_assert (TESS_IS_APPLICATION (app));

  /* One Preferences window: asking again brings it forward. */
  for (GList *l = gtk_application_get_windows (app); l != NULL && preferences == NULL; l = l->next)
    if (TESS_IS_PREFERENCES_WINDOW (l->data))
      preferences = l->data;
  if (preferences == NULL)
    {
      GtkWindow *parent = gtk_application_get_active_window (app);

      preferences = tess_preferences_window_new ();
      gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
      gtk_window_set_modal (GTK_WINDOW (preferences), parent != NULL);
      gtk_window_set_application (GTK_WINDOW (preferences), app);
    }
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
tess_application_quit_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  g_assert (G_IS_SIMPLE_ACTION (action));
  g_assert (TESS_IS_APPLICATION (app));

  /* Closing the windows (rather than quitting) lets each save its state. */
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;
      windows = windows->next;
      gtk_window_close (window);
    }
}

static void
tess_application_startup (GApplication *application)
{
  static const GActionEntry entries[] = {
    { .name = "about", .activate = tess_application_about_action_cb },
    { .name = "preferences", .activate = tess_application_preferences_action_cb },
    { .name = "quit", .activate = tess_application_quit_action_cb },
  };
  static const char *reload_accels[] = { "<Control>r", "F5", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *sidebar_accels[] = { "F9", NULL };
  static const char *timeline_accels[] = { "<Control>t", NULL };
  static const char *print_accels[] = { "<Control>p", NULL };

  G_APPLICATION_CLASS (tess_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.reload", reload_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-sidebar", sidebar_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-timeline", timeline_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.print", print_accels);
  gtk_window_set_default_icon_name ("io.github.tessera.Tessera");
  /* Light and dark follow the system's preference. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
tess_application_activate (GApplication *application)
{
  TessApplication *self = TESS_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      TessAppOptions *options = self->options;
      g_autofree char *title = NULL;

      window = GTK_WINDOW (tess_window_new (self));
      if (options->target != NULL)
        {
          g_autoptr (GFile) file = g_file_new_for_commandline_arg (options->target);
          title = g_file_get_basename (file);
        }
      if (options->screenshot_path != NULL)
        {
          /* A screenshot is of exactly --size, whatever was remembered. */
          tess_window_set_remember_state (TESS_WINDOW (window), FALSE);
          gtk_window_unmaximize (window);
          gtk_window_set_default_size (window, options->width, options->height);
          gtk_window_set_resizable (window, FALSE);
        }
      if (options->open_error != NULL)
        {
          /* Started from a file manager, nobody reads stderr: the window says
           * what went wrong and offers another file. */
          g_autoptr (GFile) file = g_file_new_for_commandline_arg (options->target);

          tess_window_show_error (TESS_WINDOW (window), file, options->open_error);
        }
      else
        tess_window_show_dashboard (TESS_WINDOW (window), options->dashboard, options->user_data, NULL, title, options);
      if (options->screenshot_path != NULL)
        tess_session_set_run_every_enabled (tess_window_get_session (TESS_WINDOW (window)), FALSE);
    }
  gtk_window_present (window);
}

static void
tess_application_dispose (GObject *object)
{
  TessApplication *self = TESS_APPLICATION (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (tess_application_parent_class)->dispose (object);
}

static void
tess_application_class_init (TessApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tess_application_dispose;
  app_class->startup = tess_application_startup;
  app_class->activate = tess_application_activate;
}

static void
tess_application_init (TessApplication *self)
{
}

TessApplication *
tess_application_new (TessAppOptions *options)
{
  TessApplication *self;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->app_id != NULL, NULL);
  TESS_ASSERT_MAIN_THREAD ();

  self = g_object_new (TESS_TYPE_APPLICATION, "application-id", options->app_id, "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/tessera/Tessera", NULL);
  self->options = options;
  return self;
}

TessAppOptions *
tess_application_get_options (TessApplication *self)
{
  g_return_val_if_fail (TESS_IS_APPLICATION (self), NULL);

  return self->options;
}

void
tess_application_set_session (TessApplication *self, TessSession *session)
{
  g_return_if_fail (TESS_IS_APPLICATION (self));
  g_return_if_fail (session == NULL || TESS_IS_SESSION (session));

  g_set_object (&self->session, session);
}

TessSession *
tess_application_get_session (TessApplication *self)
{
  g_return_val_if_fail (TESS_IS_APPLICATION (self), NULL);

  return self->session;
}

void
tess_application_set_exit_status (TessApplication *self, int status)
{
  g_return_if_fail (TESS_IS_APPLICATION (self));

  self->exit_status = status;
}

int
tess_application_get_exit_status (TessApplication *self)
{
  g_return_val_if_fail (TESS_IS_APPLICATION (self), 1);

  return self->exit_status;
}
