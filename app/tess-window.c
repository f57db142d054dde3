/* tess-window.c: the dashboard window.
 *
 * The window owns the session it shows: opening a file closes the old session
 * (every run is cancelled and nothing more is delivered) before the new one
 * starts. Its size, maximized state and recent files live in GSettings when
 * the schema is installed; an uninstalled build simply does not remember.
 * Recent files also go to the desktop's list (GtkRecentManager), whose
 * Tessera entries Open Recent shows as well.
 */
#include "tess-window.h"
#include "tess-thread-private.h"

#include <glib/gi18n.h>

#include "tess-document-banner.h"
#include "tess-document-open.h"
#include "tess-export.h"
#include "tess-settings.h"
#include "tess-spinner.h"
#include "tess-timeline.h"
#include "tess-trust-banner.h"

#define TESS_SETTINGS_SCHEMA "io.github.tessera.Tessera"
#define TESS_RECENT_MAX 10
/* The group of the desktop's recent files that Tessera opened. */
#define TESS_RECENT_GROUP "Tessera"

struct _TessWindow
{
  AdwApplicationWindow parent_instance;

  /* template */
  AdwWindowTitle *window_title;
  GtkWidget *sidebar_button;
  GtkWidget *run_spinner;
  GtkWidget *run_label;
  AdwToastOverlay *toast_overlay;
  GtkStack *content_stack;
  AdwStatusPage *error_page;
  TessDashboardView *view;
  GMenu *recent_section;
  TessDocumentBanner *banner;
  TessTrustBanner *trust_banner;
  GtkRevealer *timeline_revealer;
  TessTimeline *timeline;

  TessSession *session;
  TessDocumentWatcher *watcher; /* live reload, for a local document */
  TessTrust *trust;             /* what the dashboard may reach, for a document */
  GSettings *settings;
  gboolean remember_state;
  GtkFileChooserNative *chooser;
  GFile *failed_file; /* what the error page is about; Reload tries it again */
  /* The header's run line changes at most once a second (see
   * update_run_indicator()): when it last did, and what it showed then. */
  gint64 run_indicator_us;
  gboolean run_indicator_busy;
  guint run_indicator_id;
  gint64 busy_since_us; /* the view's batch began; 0 while it is idle */
};

G_DEFINE_FINAL_TYPE (TessWindow, tess_window, ADW_TYPE_APPLICATION_WINDOW)

/* The program's settings (tess-settings.h): its own, not Tessera's, for a
 * dashboard program. */
static GSettings *
lookup_settings (void)
{
  return tess_settings_new ();
}

static char *
format_duration (double ms)
{
  if (ms < 1000)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_ ("%.0f ms"), ms);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_ ("%.2f s"), ms / 1000.0);
}

/* While runs are under way, how many; afterwards how long the runs took and
 * how long until the window showed what they made, apart, so a slow window
 * is never mistaken for a slow dashboard. Only the header's own label and
 * spinner change. */
static void
apply_run_indicator (TessWindow *self)
{
  guint n = tess_dashboard_view_get_n_running (self->view);
  gboolean busy = tess_dashboard_view_get_busy (self->view);
  double ran = tess_dashboard_view_get_last_run_ms (self->view);
  double shown = tess_dashboard_view_get_last_shown_ms (self->view);
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  if (busy && n > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u running", "%u running", n), n);
  else if (busy)
    text = g_strdup (_ ("Updating…"));
  else if (ran >= 0 && shown >= 0)
    {
      g_autofree char *ran_text = format_duration (ran);
      g_autofree char *shown_text = format_duration (shown);

      /* Translators: how long the last runs took, and how long from their
       * start until the window showed their output, e.g.
       * "Ran in 12 ms · shown in 40 ms" */
      text = g_strdup_printf (_ ("Ran in %s · shown in %s"), ran_text, shown_text);
      tooltip = g_strdup_printf (_ ("The runs took %s; everything they made was on screen %s after they started"),
                                 ran_text, shown_text);
    }
  else
    text = g_strdup ("");
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->run_label)), text) != 0)
    gtk_label_set_text (GTK_LABEL (self->run_label), text);
  if (g_strcmp0 (gtk_widget_get_tooltip_text (self->run_label), tooltip) != 0)
    gtk_widget_set_tooltip_text (self->run_label, tooltip);
  tess_spinner_set_spinning (TESS_SPINNER (self->run_spinner), busy);
  gtk_widget_set_visible (self->run_spinner, busy);
  self->run_indicator_us = g_get_monotonic_time ();
  self->run_indicator_busy = busy;
}

static void update_run_indicator (TessWindow *self);

static gboolean
tess_window_run_indicator_timeout_cb (gpointer user_data)
{
  TessWindow *self = user_data;

  g_assert (TESS_IS_WINDOW (self));

  self->run_indicator_id = 0;
  update_run_indicator (self);
  return G_SOURCE_REMOVE;
}

/* A live dashboard's runs come and go many times a second: the header shows
 * their state at most once a second, the latest state when it does, and a
 * batch of runs shows as running only once it has run for a second (a
 * quicker one goes straight to its figures). The end of a batch that the
 * header showed running is shown at once. */
static void
update_run_indicator (TessWindow *self)
{
  gboolean busy = tess_dashboard_view_get_busy (self->view);
  gint64 now = g_get_monotonic_time ();
  gint64 due;

  if (!busy)
    self->busy_since_us = 0;
  else if (self->busy_since_us == 0)
    self->busy_since_us = now;

  if (!busy && self->run_indicator_busy)
    due = now;
  else
    {
      due = self->run_indicator_us + G_USEC_PER_SEC;
      if (busy && !self->run_indicator_busy)
        due = MAX (due, self->busy_since_us + G_USEC_PER_SEC);
    }
  g_clear_handle_id (&self->run_indicator_id, g_source_remove);
  if (due <= now)
    apply_run_indicator (self);
  else
    self->run_indicator_id =
        g_timeout_add ((guint) ((due - now) / 1000) + 1, tess_window_run_indicator_timeout_cb, self);
}

static void
tess_window_view_run_state_notify_cb (GObject *view, GParamSpec *pspec, TessWindow *self)
{
  g_assert (TESS_IS_DASHBOARD_VIEW (view));
  g_assert (TESS_IS_WINDOW (self));

  update_run_indicator (self);
}

/* A fragment's output reached the screen: the timeline shows how long after
 * its run that was. */
static void
tess_window_view_scope_shown_cb (
    TessDashboardView *view, const char *path, guint run_count, double shown_ms, TessWindow *self)
{
  g_assert (TESS_IS_DASHBOARD_VIEW (view));
  g_assert (TESS_IS_WINDOW (self));

  tess_timeline_mark_shown (self->timeline, path, run_count, shown_ms);
}

static void
tess_window_view_has_sidebar_notify_cb (GObject *view, GParamSpec *pspec, TessWindow *self)
{
  g_assert (TESS_IS_DASHBOARD_VIEW (view));
  g_assert (TESS_IS_WINDOW (self));

  gtk_widget_set_visible (self->sidebar_button, tess_dashboard_view_get_has_sidebar (self->view));
}

static void
tess_window_view_reveal_sidebar_notify_cb (GObject *view, GParamSpec *pspec, TessWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-sidebar");

  g_assert (TESS_IS_DASHBOARD_VIEW (view));
  g_assert (TESS_IS_WINDOW (self));

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_boolean (tess_dashboard_view_get_reveal_sidebar (self->view)));
}

static void
show_toast (TessWindow *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static int
compare_recent_newest_first (gconstpointer a, gconstpointer b)
{
  GtkRecentInfo *info_a = *(GtkRecentInfo **) a;
  GtkRecentInfo *info_b = *(GtkRecentInfo **) b;
  g_autoptr (GDateTime) time_a = g_date_time_ref (gtk_recent_info_get_modified (info_a));
  g_autoptr (GDateTime) time_b = g_date_time_ref (gtk_recent_info_get_modified (info_b));

  return g_date_time_compare (time_b, time_a);
}

/* The recent files: the settings' list first (this application's own order),
 * then what the desktop's recent files hold from Tessera, newest first, so a
 * file opened by another Tessera process or an uninstalled build shows too. */
static void
refresh_recent_menu (TessWindow *self)
{
  g_autoptr (GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_recent_info_unref);
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());

  if (self->settings != NULL)
    {
      g_auto (GStrv) recent = g_settings_get_strv (self->settings, "recent-files");

      for (guint i = 0; recent[i] != NULL; i++)
        g_ptr_array_add (uris, g_strdup (recent[i]));
    }
  for (GList *l = items; l != NULL; l = l->next)
    if (gtk_recent_info_has_group (l->data, TESS_RECENT_GROUP))
      g_ptr_array_add (infos, l->data);
    else
      gtk_recent_info_unref (l->data);
  g_list_free (items);
  g_ptr_array_sort (infos, compare_recent_newest_first);
  for (guint i = 0; i < infos->len; i++)
    {
      const char *uri = gtk_recent_info_get_uri (g_ptr_array_index (infos, i));

      if (!g_ptr_array_find_with_equal_func (uris, uri, g_str_equal, NULL))
        g_ptr_array_add (uris, g_strdup (uri));
    }

  g_menu_remove_all (self->recent_section);
  for (guint i = 0; i < uris->len && i < TESS_RECENT_MAX; i++)
    {
      const char *uri = g_ptr_array_index (uris, i);
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (uri);
      g_autofree char *name = g_file_get_basename (file);
      g_autoptr (GMenuItem) item = g_menu_item_new (name, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent", g_variant_new_string (uri));
      g_menu_append_item (self->recent_section, item);
    }
  if (uris->len == 0)
    /* An empty submenu looks broken; win.no-recent is always disabled. */
    g_menu_append (self->recent_section, _ ("No Recent Files"), "win.no-recent");
}

static void
tess_window_recent_changed_cb (GtkRecentManager *manager, TessWindow *self)
{
  g_assert (GTK_IS_RECENT_MANAGER (manager));
  g_assert (TESS_IS_WINDOW (self));

  refresh_recent_menu (self);
}

/* Tells the desktop's recent files, where file managers and other
 * applications see it too. */
static void
add_to_recent_manager (GFile *file, const char *uri)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *content_type = g_content_type_guess (name, NULL, 0, NULL);
  g_autofree char *mime_type = g_content_type_get_mime_type (content_type);
  g_autofree char *exec = g_strdup_printf ("%s %%u", g_get_prgname () ?: "tessera");
  const char *groups[] = { TESS_RECENT_GROUP, NULL };
  GtkRecentData data = {
    .mime_type = g_str_has_suffix (name, ".tessera") ? (char *) "application/x-tessera"
                 : mime_type != NULL                 ? mime_type
                                                     : (char *) "application/octet-stream",
    .app_name = (char *) (g_get_application_name () ?: "Tessera"),
    .app_exec = exec,
    .groups = (char **) groups,
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

static void
remember_recent (TessWindow *self, GFile *file)
{
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) recent = NULL;
  g_auto (GStrv) updated = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  guint n = 1;

  add_to_recent_manager (file, uri);
  if (self->settings == NULL)
    {
      refresh_recent_menu (self);
      return;
    }
  recent = g_settings_get_strv (self->settings, "recent-files");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, uri);
  for (guint i = 0; recent[i] != NULL && n < TESS_RECENT_MAX; i++)
    if (!g_str_equal (recent[i], uri))
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-files", (const char *const *) updated);
  refresh_recent_menu (self);
}

static void
close_session (TessWindow *self)
{
  if (self->session == NULL)
    return;
  tess_document_banner_set_watcher (self->banner, NULL);
  tess_trust_banner_set_trust (self->trust_banner, NULL);
  g_clear_object (&self->trust);
  g_clear_object (&self->watcher);
  tess_timeline_set_session (self->timeline, NULL);
  tess_dashboard_view_set_session (self->view, NULL);
  tess_app_set_current_session (NULL);
  tess_session_close (self->session);
  g_clear_object (&self->session);
}

/* The hosts the user allowed a dashboard from the network to load from, kept
 * per document URL in the settings. */
static void
restore_allowed_hosts (TessTrust *trust)
{
  g_auto (GStrv) hosts = NULL;

  if (!tess_trust_get_restricted (trust))
    return;
  hosts = tess_settings_dup_allowed_hosts (tess_trust_get_document_uri (trust));
  for (guint i = 0; hosts[i] != NULL; i++)
    tess_trust_allow_host (trust, hosts[i]);
}

static void
tess_window_trust_allowed_cb (TessTrustBanner *banner, const char *const *hosts, TessWindow *self)
{
  g_assert (TESS_IS_TRUST_BANNER (banner));
  g_assert (TESS_IS_WINDOW (self));

  for (guint i = 0; self->trust != NULL && hosts[i] != NULL; i++)
    tess_settings_allow_host (tess_trust_get_document_uri (self->trust), hosts[i]);
  if (self->session != NULL)
    tess_session_rerun (self->session);
}

void
tess_window_show_dashboard (TessWindow *self,
                            TessFragmentFunc dashboard,
                            gpointer user_data,
                            GDestroyNotify user_data_free,
                            const char *title,
                            TessAppOptions *options)
{
  GtkApplication *app;
  TessTrust *trust;

  g_return_if_fail (TESS_IS_WINDOW (self));
  g_return_if_fail (dashboard != NULL);
  TESS_ASSERT_MAIN_THREAD ();

  close_session (self);
  g_clear_object (&self->failed_file);
  gtk_stack_set_visible_child_name (self->content_stack, "dashboard");
  self->session = tess_session_new (dashboard, user_data, user_data_free);
  tess_app_set_current_session (self->session);
  tess_dashboard_view_set_session (self->view, self->session);
  tess_timeline_clear (self->timeline);
  tess_timeline_set_session (self->timeline, self->session);
  /* A local document reloads when it changes on disk; its errors show above. */
  self->watcher = tess_document_watch_dashboard (dashboard, user_data, self->session);
  tess_document_banner_set_watcher (self->banner, self->watcher);
  /* A dashboard from the network asks before it loads from other hosts. */
  trust = tess_document_get_dashboard_trust (dashboard, user_data);
  if (trust != NULL)
    {
      self->trust = g_object_ref (trust);
      restore_allowed_hosts (trust);
    }
  tess_trust_banner_set_trust (self->trust_banner, trust);
  /* Without a document, the program's name: "Tessera", or a dashboard program's own. */
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (title == NULL && TESS_IS_APPLICATION (app) && tess_application_get_options (TESS_APPLICATION (app)) != NULL)
    title = tess_application_get_options (TESS_APPLICATION (app))->name;
  if (title == NULL)
    title = _ ("Tessera");
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  if (options != NULL)
    tess_app_apply_sets (options, self->session);
  if (TESS_IS_APPLICATION (app))
    tess_application_set_session (TESS_APPLICATION (app), self->session);
  tess_session_start (self->session);
}

gboolean
tess_window_open_file (TessWindow *self, GFile *file, GError **error)
{
  g_auto (TessAppOptions) options = { 0 };
  g_autofree char *name = NULL;
  GtkApplication *app;

  g_return_val_if_fail (TESS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  TESS_ASSERT_MAIN_THREAD ();

  app = gtk_window_get_application (GTK_WINDOW (self));
  options.app_id = g_strdup (TESS_IS_APPLICATION (app) ? g_application_get_application_id (G_APPLICATION (app))
                                                       : TESS_SETTINGS_SCHEMA);
  options.target = g_file_is_native (file) ? g_file_get_path (file) : g_file_get_uri (file);
  options.width = 1280;
  options.height = 800;
  if (!tess_app_open_target (&options, error))
    return FALSE;
  if (options.dashboard == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _ ("“%s” holds no dashboard Tessera can show"),
                   options.target);
      return FALSE;
    }
  name = g_file_get_basename (file);
  tess_window_show_dashboard (self, options.dashboard, options.user_data, NULL, name, NULL);
  remember_recent (self, file);
  return TRUE;
}

void
tess_window_show_error (TessWindow *self, GFile *file, const GError *error)
{
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *description = NULL;
  GtkApplication *app;

  g_return_if_fail (TESS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (error != NULL);
  TESS_ASSERT_MAIN_THREAD ();

  /* Nothing of an earlier dashboard stays behind the page to run on. */
  close_session (self);
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (TESS_IS_APPLICATION (app))
    tess_application_set_session (TESS_APPLICATION (app), NULL);
  tess_timeline_clear (self->timeline);
  g_set_object (&self->failed_file, file);

  name = g_file_get_basename (file);
  /* Translators: the heading of the page shown when a file does not open */
  heading = g_strdup_printf (_ ("Could Not Open “%s”"), name);
  description = g_markup_escape_text (error->message, -1);
  adw_status_page_set_title (self->error_page, heading);
  adw_status_page_set_description (self->error_page, description);
  adw_window_title_set_title (self->window_title, name);
  gtk_window_set_title (GTK_WINDOW (self), name);
  gtk_stack_set_visible_child_name (self->content_stack, "error");
}

static void
open_and_report (TessWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;

  if (!tess_window_open_file (self, file, &error))
    show_toast (self, error->message);
}

static void
tess_window_open_dialog_response_cb (GtkNativeDialog *dialog, int response, TessWindow *self)
{
  g_assert (GTK_IS_NATIVE_DIALOG (dialog));
  g_assert (TESS_IS_WINDOW (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL)
        open_and_report (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
add_filter (GtkFileChooser *chooser, const char *name, const char *const *patterns, const char *const *mime_types)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
tess_window_open_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TessWindow *self = TESS_WINDOW (widget);
  static const char *const all_patterns[] = { "*.tessera", "*.csv", "*.tsv", "*.json", "*.ndjson", "*.jsonl", NULL };
  static const char *const dashboard_patterns[] = { "*.tessera", NULL };
  static const char *const dashboard_types[] = { "application/x-tessera", NULL };
  static const char *const data_patterns[] = { "*.csv", "*.tsv", "*.json", "*.ndjson", "*.jsonl", NULL };
  static const char *const data_types[] = { "text/csv", "text/tab-separated-values", "application/json", NULL };

  g_assert (TESS_IS_WINDOW (widget));

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }
  self->chooser = gtk_file_chooser_native_new (_ ("Open a Dashboard or Data File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  add_filter (GTK_FILE_CHOOSER (self->chooser), _ ("Dashboards and data files"), all_patterns, NULL);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _ ("Dashboards"), dashboard_patterns, dashboard_types);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _ ("Data files (CSV, JSON)"), data_patterns, data_types);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (tess_window_open_dialog_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
tess_window_open_recent_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (g_variant_get_string (parameter, NULL));

  g_assert (TESS_IS_WINDOW (widget));

  open_and_report (TESS_WINDOW (widget), file);
}

static void
tess_window_no_recent_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  /* Disabled in every window: there is nothing to open. */
}

/* Export and Print: the whole dashboard (tess-export.h). */
static void
tess_window_export_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TessWindow *self = TESS_WINDOW (widget);

  g_assert (TESS_IS_WINDOW (self));

  if (g_str_equal (action_name, "win.print"))
    tess_export_print (self->view, GTK_WINDOW (self));
  else
    tess_export_dashboard_ask (self->view, GTK_WINDOW (self),
                               g_str_equal (action_name, "win.export-pdf") ? TESS_EXPORT_PDF : TESS_EXPORT_PNG);
}

static void
tess_window_reload_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TessWindow *self = TESS_WINDOW (widget);

  g_assert (TESS_IS_WINDOW (widget));

  if (self->session != NULL)
    tess_session_rerun (self->session);
  else if (self->failed_file != NULL)
    {
      /* The file may have been put right meanwhile: try it again. */
      g_autoptr (GFile) file = g_object_ref (self->failed_file);
      g_autoptr (GError) error = NULL;

      if (!tess_window_open_file (self, file, &error))
        tess_window_show_error (self, file, error);
    }
}

static void
tess_window_show_sidebar_change_state_cb (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  TessWindow *self = user_data;

  g_assert (G_IS_SIMPLE_ACTION (action));
  g_assert (TESS_IS_WINDOW (self));

  g_simple_action_set_state (action, state);
  tess_dashboard_view_set_reveal_sidebar (self->view, g_variant_get_boolean (state));
}

static void
tess_window_show_timeline_change_state_cb (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  TessWindow *self = user_data;

  g_assert (G_IS_SIMPLE_ACTION (action));
  g_assert (TESS_IS_WINDOW (self));

  g_simple_action_set_state (action, state);
  gtk_revealer_set_reveal_child (self->timeline_revealer, g_variant_get_boolean (state));
}

static gboolean
tess_window_file_drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, TessWindow *self)
{
  GSList *files;

  g_assert (GTK_IS_DROP_TARGET (target));
  g_assert (TESS_IS_WINDOW (self));

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  open_and_report (self, files->data);
  g_slist_free (files);
  return TRUE;
}

static gboolean
tess_window_close_request (GtkWindow *window)
{
  TessWindow *self = TESS_WINDOW (window);

  if (self->settings != NULL && self->remember_state)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (tess_window_parent_class)->close_request (window);
}

static void
tess_window_dispose (GObject *object)
{
  TessWindow *self = TESS_WINDOW (object);

  close_session (self);
  g_clear_handle_id (&self->run_indicator_id, g_source_remove);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_object (&self->settings);
  g_clear_object (&self->failed_file);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESS_TYPE_WINDOW);
  G_OBJECT_CLASS (tess_window_parent_class)->dispose (object);
}

static void
tess_window_class_init (TessWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tess_window_dispose;
  window_class->close_request = tess_window_close_request;

  g_type_ensure (TESS_TYPE_DASHBOARD_VIEW);
  g_type_ensure (TESS_TYPE_DOCUMENT_BANNER);
  g_type_ensure (TESS_TYPE_TRUST_BANNER);
  g_type_ensure (TESS_TYPE_SPINNER);
  g_type_ensure (TESS_TYPE_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tess-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TessWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, run_spinner);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, run_label);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, view);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, recent_section);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, trust_banner);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, timeline_revealer);
  gtk_widget_class_bind_template_child (widget_class, TessWindow, timeline);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, tess_window_open_action_cb);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", tess_window_open_recent_action_cb);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, tess_window_reload_action_cb);
  gtk_widget_class_install_action (widget_class, "win.export-png", NULL, tess_window_export_action_cb);
  gtk_widget_class_install_action (widget_class, "win.export-pdf", NULL, tess_window_export_action_cb);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, tess_window_export_action_cb);
  /* The placeholder of an empty Open Recent; never enabled. */
  gtk_widget_class_install_action (widget_class, "win.no-recent", NULL, tess_window_no_recent_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
tess_window_init (TessWindow *self)
{
  const GActionEntry entries[] = {
    { .name = "show-sidebar", .state = "true", .change_state = tess_window_show_sidebar_change_state_cb },
    { .name = "show-timeline", .state = "false", .change_state = tess_window_show_timeline_change_state_cb },
  };
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  self->remember_state = TRUE;

  g_signal_connect (self->trust_banner, "allowed", G_CALLBACK (tess_window_trust_allowed_cb), self);
  g_signal_connect (self->view, "notify::busy", G_CALLBACK (tess_window_view_run_state_notify_cb), self);
  g_signal_connect (self->view, "notify::n-running", G_CALLBACK (tess_window_view_run_state_notify_cb), self);
  g_signal_connect (self->view, "notify::last-run-ms", G_CALLBACK (tess_window_view_run_state_notify_cb), self);
  g_signal_connect (self->view, "notify::last-shown-ms", G_CALLBACK (tess_window_view_run_state_notify_cb), self);
  g_signal_connect (self->view, "scope-shown", G_CALLBACK (tess_window_view_scope_shown_cb), self);
  g_signal_connect (self->view, "notify::has-sidebar", G_CALLBACK (tess_window_view_has_sidebar_notify_cb), self);
  g_signal_connect (self->view, "notify::reveal-sidebar", G_CALLBACK (tess_window_view_reveal_sidebar_notify_cb), self);
  gtk_widget_set_visible (self->sidebar_button, FALSE);
  update_run_indicator (self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (tess_window_file_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  self->settings = lookup_settings ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed", G_CALLBACK (tess_window_recent_changed_cb),
                           self, 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.no-recent", FALSE);
  refresh_recent_menu (self);
}

TessWindow *
tess_window_new (TessApplication *application)
{
  g_return_val_if_fail (application == NULL || TESS_IS_APPLICATION (application), NULL);

  return g_object_new (TESS_TYPE_WINDOW, "application", application, NULL);
}

TessDashboardView *
tess_window_get_view (TessWindow *self)
{
  g_return_val_if_fail (TESS_IS_WINDOW (self), NULL);

  return self->view;
}

GMenuModel *
tess_window_get_recent_menu (TessWindow *self)
{
  g_return_val_if_fail (TESS_IS_WINDOW (self), NULL);

  return G_MENU_MODEL (self->recent_section);
}

GtkWidget *
tess_window_get_error_page (TessWindow *self)
{
  g_return_val_if_fail (TESS_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->error_page);
}

TessTimeline *
tess_window_get_timeline (TessWindow *self)
{
  g_return_val_if_fail (TESS_IS_WINDOW (self), NULL);

  return self->timeline;
}

TessDocumentBanner *
tess_window_get_banner (TessWindow *self)
{
  g_return_val_if_fail (TESS_IS_WINDOW (self), NULL);

  return self->banner;
}

TessTrustBanner *
tess_window_get_trust_banner (TessWindow *self)
{
  g_return_val_if_fail (TESS_IS_WINDOW (self), NULL);

  return self->trust_banner;
}

TessSession *
tess_window_get_session (TessWindow *self)
{
  g_return_val_if_fail (TESS_IS_WINDOW (self), NULL);

  return self->session;
}

void
tess_window_set_remember_state (TessWindow *self, gboolean remember)
{
  g_return_if_fail (TESS_IS_WINDOW (self));

  self->remember_state = remember;
}

const char *
tess_window_get_run_text (TessWindow *self)
{
  g_return_val_if_fail (TESS_IS_WINDOW (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->run_label));
}

gboolean
tess_window_save_png (TessWindow *self, const char *path, int width, int height, GError **error)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  graphene_rect_t viewport;

  g_return_val_if_fail (TESS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  TESS_ASSERT_MAIN_THREAD ();

  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (renderer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("The window is not shown, so it cannot be rendered"));
      return FALSE;
    }
  graphene_rect_init (&viewport, 0, 0, width, height);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (self));
  snapshot = gtk_snapshot_new ();
  /* An opaque background, so rounded corners do not leave holes. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA){ 1, 1, 1, 1 }, &viewport);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (renderer, node, &viewport);
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not write the screenshot to “%s”"), path);
      return FALSE;
    }
  return TRUE;
}
