/* tess-app.c: tess_app_run(), the command line every Tessera program shares.
 *
 * Parses the options, then hands over to the right host: the window, the
 * headless runner, --describe or --check. SIGINT and SIGTERM end any of them
 * the same way: every run of the current session is cancelled, the temporary
 * files of downloads in flight are removed, and the process exits at once
 * with 130 or 143, as a shell expects.
 */
#include "tess-app-private.h"
#include "tess-credentials.h"
#include "tess-document-open.h"
#include "tess-http-cache-private.h"
#include "tess-memory.h"
#include "tess-settings.h"
#include "tess-thread-private.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static TessSession *current_session;

void
tess_app_set_current_session (TessSession *session)
{
  TESS_ASSERT_MAIN_THREAD ();

  current_session = session;
}

/* Runs on the main thread, in whatever main loop the host runs. */
static gboolean
quit_on_signal (gpointer data)
{
  int signum = GPOINTER_TO_INT (data);

  if (current_session != NULL)
    tess_session_close (current_session);
  tess_http_cache_abort_all ();
  fflush (stdout);
  fflush (stderr);
  _exit (128 + signum);
  return G_SOURCE_REMOVE;
}

/* --allow-origin takes a host, or a URL whose host it means. */
static gboolean
allow_origins (TessAppOptions *options)
{
  TessTrust *trust = tess_document_get_dashboard_trust (options->dashboard, options->user_data);

  for (guint i = 0; options->allow_origins != NULL && options->allow_origins[i] != NULL; i++)
    {
      const char *origin = options->allow_origins[i];
      g_autoptr (GUri) uri = strstr (origin, "://") ? g_uri_parse (origin, G_URI_FLAGS_NONE, NULL) : NULL;
      const char *host = uri ? g_uri_get_host (uri) : origin;

      if (host == NULL || *host == '\0' || strpbrk (host, "/ ") != NULL)
        {
          g_printerr (_ ("--allow-origin=%s: write a host name, such as data.example.org\n"), origin);
          return FALSE;
        }
      if (trust != NULL)
        tess_trust_allow_host (trust, host);
    }
  return TRUE;
}

static gboolean
parse_size (const char *text, int *width, int *height)
{
  char tail;

  return sscanf (text, "%dx%d%c", width, height, &tail) == 2 && *width > 0 && *height > 0 && *width <= 16384 &&
         *height <= 16384;
}

void
tess_app_options_clear (TessAppOptions *options)
{
  g_free (options->app_id);
  g_free (options->name);
  g_free (options->version);
  g_free (options->target);
  g_clear_error (&options->open_error);
  g_free (options->timeline_path);
  g_strfreev (options->sets);
  g_free (options->screenshot_path);
  g_free (options->describe);
  g_strfreev (options->allow_origins);
}

gboolean
tess_app_apply_sets (TessAppOptions *options, TessSession *session)
{
  gboolean ok = TRUE;

  for (guint i = 0; options->sets != NULL && options->sets[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *name = g_strdup (options->sets[i]);
      char *value = strchr (name, '=');

      if (value == NULL)
        {
          g_printerr (_ ("--set %s: write it as KEY=VALUE\n"), options->sets[i]);
          ok = FALSE;
          continue;
        }
      *value++ = '\0';
      if (!tess_session_set_input_from_string (session, name, value, &error))
        {
          g_printerr ("--set %s\n", error->message);
          ok = FALSE;
        }
    }
  return ok;
}

gboolean
tess_app_write_timeline (TessAppOptions *options, TessSession *session, GError **error)
{
  g_autofree char *json = NULL;

  if (options->timeline_path == NULL)
    return TRUE;
  json = tess_session_timeline_to_json (session);
  if (!g_file_set_contents (options->timeline_path, json, -1, error))
    {
      g_prefix_error (error, _ ("Could not write the timeline: "));
      return FALSE;
    }
  return TRUE;
}

gboolean
tess_app_is_tessera (TessAppOptions *options)
{
  return g_strcmp0 (options->app_id, TESSERA_APP_ID) == 0;
}

/* A program that gives no name is called by the last part of its app id:
 * "Sales" for org.example.Sales. */
static char *
name_from_app_id (const char *app_id)
{
  const char *dot = strrchr (app_id, '.');

  return g_strdup (dot != NULL && dot[1] != '\0' ? dot + 1 : app_id);
}

/* --help's text below the options: what to type, and what the exit status says. */
static char *
help_description (TessAppOptions *options)
{
  const char *program = g_get_prgname () != NULL ? g_get_prgname () : "tessera";
  GString *text = g_string_new (_ ("Examples:\n"));

  if (tess_app_is_tessera (options))
    {
      g_string_append_printf (text, "  %s sales.tessera                  %s\n", program,
                              _ ("open a dashboard document"));
      g_string_append_printf (text, "  %s data.csv                       %s\n", program,
                              _ ("an automatic dashboard for a data file"));
      g_string_append_printf (text, "  %s --check sales.tessera          %s\n", program, _ ("validate a document"));
      g_string_append_printf (text, "  %s --describe data.csv            %s\n", program,
                              _ ("print a data source's shape as JSON"));
    }
  g_string_append_printf (text, "  %s --headless --timeline=t.json   %s\n", program,
                          _ ("run once without a window, write the timeline"));
  g_string_append_printf (text, "  %s --headless --set Months=24     %s\n", program, _ ("run once with an input set"));
  g_string_append_printf (text, "  %s --screenshot=shot.png --size=1280x800\n", program);
  g_string_append (text, _ ("\nExit status:\n"
                            "  0    the dashboard ran (or the document is valid)\n"
                            "  1    a fragment or the dashboard failed, or the document or source is invalid\n"
                            "  2    the command line is wrong\n"
                            "  130  interrupted (SIGINT); 143: terminated (SIGTERM)\n"));
  return g_string_free (text, FALSE);
}

int
tess_app_run (const char *app_id, TessFragmentFunc dashboard, gpointer user_data, int argc, char **argv)
{
  g_return_val_if_fail (app_id != NULL, 1);

  return tess_app_run_full (app_id, NULL, NULL, dashboard, user_data, NULL, argc, argv);
}

static int
app_main (const char *app_id,
          const char *name,
          const char *version,
          TessFragmentFunc dashboard,
          gpointer user_data,
          int argc,
          char **argv)
{
  g_auto (TessAppOptions) options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) remaining = NULL;
  g_autofree char *size = NULL;
  g_autofree char *memory_limit = NULL;
  g_autofree char *description = NULL;
  gboolean print_version = FALSE;
  gboolean has_display;
  /* clang-format off */
  GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &options.headless, N_("Run once without a display and exit"), NULL },
    { "timeline", 0, 0, G_OPTION_ARG_FILENAME, &options.timeline_path, N_("Write the run timeline as JSON"), N_("FILE") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.sets, N_("Set an input (by key or label)"), N_("KEY=VALUE") },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &options.screenshot_path, N_("Render the finished window to a PNG and exit"), N_("FILE.png") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, N_("Window size for --screenshot (default 1280x800)"), N_("WxH") },
    { "check", 0, 0, G_OPTION_ARG_NONE, &options.check, N_("Validate a dashboard document and exit"), NULL },
    { "describe", 0, 0, G_OPTION_ARG_STRING, &options.describe, N_("Print a data source's shape as JSON and exit"), N_("SOURCE") },
    { "allow-origin", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.allow_origins, N_("Let a dashboard from the network also load from HOST"), N_("HOST") },
    { "memory-limit", 0, 0, G_OPTION_ARG_STRING, &memory_limit, N_("The most memory loaded data may take (default: the setting, a quarter of memory)"), N_("SIZE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &print_version, N_("Print the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &remaining, NULL, N_("[DASHBOARD|DATA FILE|URL]") },
    { NULL }
  };
  /* clang-format on */

  setlocale (LC_ALL, "");
  /* --help's examples name the program as it was started. */
  if (g_get_prgname () == NULL && argc > 0 && argv[0] != NULL)
    {
      g_autofree char *program = g_path_get_basename (argv[0]);
      g_set_prgname (program);
    }
  options.app_id = g_strdup (app_id);
  options.name = name != NULL                     ? g_strdup (name)
                 : tess_app_is_tessera (&options) ? g_strdup (_ ("Tessera"))
                                                  : name_from_app_id (app_id);
  options.version = g_strdup (version != NULL ? version : tess_app_is_tessera (&options) ? PACKAGE_VERSION : NULL);
  /* About, the window's title and the desktop see the program's own name;
   * its settings are its own (tess-settings.h). */
  if (g_get_application_name () == NULL || g_strcmp0 (g_get_application_name (), g_get_prgname ()) == 0)
    g_set_application_name (options.name);
  tess_settings_set_app_id (app_id);
  options.dashboard = dashboard;
  options.user_data = user_data;
  options.width = 1280;
  options.height = 800;

  context = g_option_context_new (NULL);
  if (tess_app_is_tessera (&options))
    g_option_context_set_summary (context, _ ("Tessera: data dashboards whose sections run in parallel."));
  else
    {
      /* Translators: %s is a dashboard program's name */
      g_autofree char *summary = g_strdup_printf (_ ("%s: a dashboard built with Tessera."), options.name);
      g_option_context_set_summary (context, summary);
    }
  description = help_description (&options);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (print_version)
    {
      if (tess_app_is_tessera (&options))
        g_print ("tessera %s\n", PACKAGE_VERSION);
      else if (options.version != NULL)
        g_print ("%s %s (Tessera %s)\n", options.name, options.version, PACKAGE_VERSION);
      else
        g_print ("%s (Tessera %s)\n", options.name, PACKAGE_VERSION);
      return 0;
    }
  if (size != NULL && !parse_size (size, &options.width, &options.height))
    {
      g_printerr (_ ("--size=%s: write it as WIDTHxHEIGHT, for example 1280x800\n"), size);
      return 2;
    }
  if (memory_limit != NULL)
    {
      if (!tess_memory_parse_size (memory_limit, &options.memory_limit, &error))
        {
          g_printerr ("--memory-limit: %s\n", error->message);
          return 2;
        }
    }
  /* the settings' limits, or --memory-limit for this run */
  tess_settings_apply_limits (options.memory_limit);
  if (remaining != NULL && remaining[0] != NULL)
    {
      if (remaining[1] != NULL)
        {
          g_printerr (_ ("Give one dashboard, data file or URL, not several\n"));
          return 2;
        }
      options.target = g_strdup (remaining[0]);
    }

  g_unix_signal_add (SIGINT, quit_on_signal, GINT_TO_POINTER (SIGINT));
  g_unix_signal_add (SIGTERM, quit_on_signal, GINT_TO_POINTER (SIGTERM));
  /* a database that wants a password gets the keyring's; only the window
   * asks the user (tess-credentials.h) */
  tess_credentials_install (FALSE);

  if (options.describe != NULL)
    return tess_app_describe (&options);
  if (options.check)
    return tess_app_check (&options);
  has_display = g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;
  if (options.target != NULL && !tess_app_open_target (&options, &error))
    {
      g_printerr ("%s\n", error->message);
      /* Opened from a file manager, stderr is seen by no one: the window
       * shows why as well. A run that only prints (headless, a screenshot,
       * no display) fails. */
      if (options.headless || options.screenshot_path != NULL || !has_display)
        return 1;
      options.open_error = g_steal_pointer (&error);
    }
  if (options.dashboard == NULL)
    options.dashboard = tess_document_default_dashboard_run;
  if (!allow_origins (&options))
    return 2;
  if (!options.headless && !has_display)
    {
      if (options.screenshot_path != NULL)
        {
          g_printerr (_ ("--screenshot needs a display; on a machine without one, run it under xvfb-run\n"));
          return 1;
        }
      g_printerr (_ ("No display: running the dashboard once, headless.\n"));
      options.headless = TRUE;
    }
  if (options.headless)
    return tess_app_run_headless (&options);
  tess_credentials_install (TRUE);
  return tess_app_run_window (&options);
}

int
tess_app_run_full (const char *app_id,
                   const char *name,
                   const char *version,
                   TessFragmentFunc dashboard,
                   gpointer user_data,
                   GDestroyNotify user_data_free,
                   int argc,
                   char **argv)
{
  int status;

  g_return_val_if_fail (app_id != NULL, 2);
  TESS_ASSERT_MAIN_THREAD ();

  if (!g_application_id_is_valid (app_id))
    {
      g_printerr (_ ("“%s” is not an application id: write it as a reverse domain name, such as org.example.Sales\n"),
                  app_id);
      status = 2;
    }
  else
    status = app_main (app_id, name, version, dashboard, user_data, argc, argv);
  if (user_data_free != NULL)
    user_data_free (user_data);
  return status;
}
