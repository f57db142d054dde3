/* tess-preferences.c: see tess-preferences.h.
 *
 * The controls show the settings and write them back through tess-settings.h,
 * which applies the limits to the data layer at once. With the schema
 * installed the window also follows the settings, so a change made elsewhere
 * (a banner allowing a host, dconf) shows while it is open. Sizes are shown
 * in GiB with one decimal.
 */
#include "tess-preferences.h"
#include "tess-thread-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tess-memory.h"
#include "tess-settings.h"

#define GIB ((double) (G_GUINT64_CONSTANT (1) << 30))

struct _TessPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* template */
  AdwActionRow *memory_override_row;
  AdwActionRow *memory_automatic_row;
  GtkSwitch *memory_automatic_switch;
  AdwActionRow *memory_limit_row;
  GtkSpinButton *memory_limit_spin;
  GtkLabel *memory_used_label;
  GtkSpinButton *disk_cache_limit_spin;
  AdwPreferencesGroup *allowed_hosts_group;

  GPtrArray *allowed_hosts_rows; /* the rows made in allowed_hosts_group; the group owns them */
  guint allowed_hosts_idle;
  guint memory_used_timeout;
  /* TRUE while the controls are set from the settings: their signals then
   * report no change by the user. */
  gboolean updating;
};

G_DEFINE_FINAL_TYPE (TessPreferencesWindow, tess_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static guint64
gib_to_bytes (double gib)
{
  return (guint64) (gib * GIB + 0.5);
}

/* @bytes in GiB, to the one decimal the spin buttons show, so that what is
 * shown is what is stored. */
static double
bytes_to_shown_gib (guint64 bytes)
{
  return round (bytes / GIB * 10) / 10;
}

static void
update_memory_used (TessPreferencesWindow *self)
{
  g_autofree char *used = g_format_size_full (tess_memory_get_used (), G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *limit = g_format_size_full (tess_memory_get_limit (), G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: memory in use by loaded data, e.g. "1.2 GiB of 3.9 GiB" */
  g_autofree char *text = g_strdup_printf (_ ("%s of %s"), used, limit);

  gtk_label_set_text (self->memory_used_label, text);
}

static gboolean
tess_preferences_window_memory_used_timeout_cb (gpointer user_data)
{
  TessPreferencesWindow *self = user_data;

  g_assert (TESS_IS_PREFERENCES_WINDOW (self));

  update_memory_used (self);
  return G_SOURCE_CONTINUE;
}

static void
refresh_memory_limit (TessPreferencesWindow *self)
{
  guint64 setting = tess_settings_get_memory_limit ();
  guint64 override = tess_settings_get_memory_limit_override ();
  guint64 automatic = tess_memory_get_default_limit ();
  g_autofree char *automatic_text = g_format_size_full (automatic, G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: the automatic memory limit, e.g. "A quarter of memory: 3.9 GiB" */
  g_autofree char *automatic_subtitle = g_strdup_printf (_ ("A quarter of memory: %s"), automatic_text);

  self->updating = TRUE;
  adw_action_row_set_subtitle (self->memory_automatic_row, automatic_subtitle);
  gtk_switch_set_active (self->memory_automatic_switch, setting == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->memory_limit_row), setting != 0);
  gtk_spin_button_set_value (self->memory_limit_spin, bytes_to_shown_gib (setting != 0 ? setting : automatic));
  gtk_widget_set_visible (GTK_WIDGET (self->memory_override_row), override != 0);
  if (override != 0)
    {
      g_autofree char *size = g_format_size_full (override, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: %s is a size, e.g. "1.0 GiB" */
      g_autofree char *title = g_strdup_printf (_ ("This run keeps the limit given with --memory-limit: %s"), size);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->memory_override_row), title);
    }
  self->updating = FALSE;
  update_memory_used (self);
}

static void
refresh_disk_cache_limit (TessPreferencesWindow *self)
{
  self->updating = TRUE;
  gtk_spin_button_set_value (self->disk_cache_limit_spin, bytes_to_shown_gib (tess_settings_get_disk_cache_limit ()));
  self->updating = FALSE;
}

static GtkWidget *
new_host_row (const char *document_uri, const char *host)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  /* Translators: %s is a host name */
  g_autofree char *label = g_strdup_printf (_ ("Remove “%s”"), host);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), host);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "prefs.forget-host");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "(ss)", document_uri, host);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static GtkWidget *
new_document_row (const char *document_uri, gboolean expanded)
{
  GtkWidget *row = adw_expander_row_new ();
  g_auto (GStrv) hosts = tess_settings_dup_allowed_hosts (document_uri);
  guint n = g_strv_length (hosts);
  g_autofree char *subtitle =
      /* Translators: how many other hosts a dashboard may load from */
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u host allowed", "%u hosts allowed", n), n);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), document_uri);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  for (guint i = 0; hosts[i] != NULL; i++)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), new_host_row (document_uri, hosts[i]));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), expanded);
  return row;
}

/* Remakes the rows of the allowed hosts; a document's row stays expanded
 * across the rebuild when it was. */
static void
refresh_allowed_hosts (TessPreferencesWindow *self)
{
  g_autoptr (GHashTable) expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) documents = tess_settings_dup_allowed_documents ();

  for (guint i = 0; i < self->allowed_hosts_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->allowed_hosts_rows, i);

      if (ADW_IS_EXPANDER_ROW (row) && adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
        g_hash_table_add (expanded, g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))));
      adw_preferences_group_remove (self->allowed_hosts_group, row);
    }
  g_ptr_array_set_size (self->allowed_hosts_rows, 0);

  if (documents[0] == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("No dashboard has other hosts allowed"));
      gtk_widget_add_css_class (row, "dim-label");
      g_ptr_array_add (self->allowed_hosts_rows, row);
    }
  for (guint i = 0; documents[i] != NULL; i++)
    g_ptr_array_add (self->allowed_hosts_rows,
                     new_document_row (documents[i], g_hash_table_contains (expanded, documents[i])));
  for (guint i = 0; i < self->allowed_hosts_rows->len; i++)
    adw_preferences_group_add (self->allowed_hosts_group, g_ptr_array_index (self->allowed_hosts_rows, i));
}

static gboolean
tess_preferences_window_allowed_hosts_idle_cb (gpointer user_data)
{
  TessPreferencesWindow *self = user_data;

  g_assert (TESS_IS_PREFERENCES_WINDOW (self));

  self->allowed_hosts_idle = 0;
  refresh_allowed_hosts (self);
  return G_SOURCE_REMOVE;
}

/* Rebuilds the rows soon, once however many changes come: never while the
 * button that asked is still handling its click. */
static void
queue_refresh_allowed_hosts (TessPreferencesWindow *self)
{
  if (self->allowed_hosts_idle == 0)
    self->allowed_hosts_idle = g_idle_add (tess_preferences_window_allowed_hosts_idle_cb, self);
}

static void
tess_preferences_window_settings_changed_cb (GSettings *settings, const char *key, TessPreferencesWindow *self)
{
  g_assert (G_IS_SETTINGS (settings));
  g_assert (TESS_IS_PREFERENCES_WINDOW (self));

  if (g_str_equal (key, "memory-limit"))
    refresh_memory_limit (self);
  else if (g_str_equal (key, "disk-cache-limit"))
    refresh_disk_cache_limit (self);
  else if (g_str_equal (key, "allowed-hosts"))
    queue_refresh_allowed_hosts (self);
}

static void
tess_preferences_window_memory_automatic_notify_cb (GtkSwitch *automatic,
                                                    GParamSpec *pspec,
                                                    TessPreferencesWindow *self)
{
  g_assert (GTK_IS_SWITCH (automatic));
  g_assert (TESS_IS_PREFERENCES_WINDOW (self));

  if (self->updating)
    return;
  /* Off: the limit starts at what the spin button shows, the automatic one. */
  tess_settings_set_memory_limit (
      gtk_switch_get_active (automatic) ? 0 : gib_to_bytes (gtk_spin_button_get_value (self->memory_limit_spin)));
  refresh_memory_limit (self);
}

static void
tess_preferences_window_memory_limit_changed_cb (GtkSpinButton *spin, TessPreferencesWindow *self)
{
  g_assert (GTK_IS_SPIN_BUTTON (spin));
  g_assert (TESS_IS_PREFERENCES_WINDOW (self));

  if (self->updating || gtk_switch_get_active (self->memory_automatic_switch))
    return;
  tess_settings_set_memory_limit (gib_to_bytes (gtk_spin_button_get_value (spin)));
  update_memory_used (self);
}

static void
tess_preferences_window_disk_cache_limit_changed_cb (GtkSpinButton *spin, TessPreferencesWindow *self)
{
  g_assert (GTK_IS_SPIN_BUTTON (spin));
  g_assert (TESS_IS_PREFERENCES_WINDOW (self));

  if (self->updating)
    return;
  tess_settings_set_disk_cache_limit (gib_to_bytes (gtk_spin_button_get_value (spin)));
}

static void
tess_preferences_window_forget_host_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TessPreferencesWindow *self = TESS_PREFERENCES_WINDOW (widget);
  const char *document_uri;
  const char *host;
  g_autofree char *message = NULL;
  AdwToast *toast;

  g_assert (g_variant_is_of_type (parameter, G_VARIANT_TYPE ("(ss)")));
  TESS_ASSERT_MAIN_THREAD ();

  g_variant_get (parameter, "(&s&s)", &document_uri, &host);
  tess_settings_forget_host (document_uri, host);
  queue_refresh_allowed_hosts (self);

  /* Translators: %s is a host name */
  message = g_strdup_printf (_ ("“%s” removed"), host);
  toast = adw_toast_new (message);
  adw_toast_set_button_label (toast, _ ("_Undo"));
  adw_toast_set_action_name (toast, "prefs.allow-host");
  adw_toast_set_action_target_value (toast, parameter);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static void
tess_preferences_window_allow_host_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TessPreferencesWindow *self = TESS_PREFERENCES_WINDOW (widget);
  const char *document_uri;
  const char *host;

  g_assert (g_variant_is_of_type (parameter, G_VARIANT_TYPE ("(ss)")));
  TESS_ASSERT_MAIN_THREAD ();

  g_variant_get (parameter, "(&s&s)", &document_uri, &host);
  tess_settings_allow_host (document_uri, host);
  queue_refresh_allowed_hosts (self);
}

static void
tess_preferences_window_dispose (GObject *object)
{
  TessPreferencesWindow *self = TESS_PREFERENCES_WINDOW (object);
  GSettings *settings = tess_settings_get_default ();

  if (settings != NULL)
    g_signal_handlers_disconnect_by_data (settings, self);
  g_clear_handle_id (&self->memory_used_timeout, g_source_remove);
  g_clear_handle_id (&self->allowed_hosts_idle, g_source_remove);
  g_clear_pointer (&self->allowed_hosts_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESS_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (tess_preferences_window_parent_class)->dispose (object);
}

static void
tess_preferences_window_class_init (TessPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tess-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, TessPreferencesWindow, memory_override_row);
  gtk_widget_class_bind_template_child (widget_class, TessPreferencesWindow, memory_automatic_row);
  gtk_widget_class_bind_template_child (widget_class, TessPreferencesWindow, memory_automatic_switch);
  gtk_widget_class_bind_template_child (widget_class, TessPreferencesWindow, memory_limit_row);
  gtk_widget_class_bind_template_child (widget_class, TessPreferencesWindow, memory_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, TessPreferencesWindow, memory_used_label);
  gtk_widget_class_bind_template_child (widget_class, TessPreferencesWindow, disk_cache_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, TessPreferencesWindow, allowed_hosts_group);
  gtk_widget_class_bind_template_callback (widget_class, tess_preferences_window_memory_automatic_notify_cb);
  gtk_widget_class_bind_template_callback (widget_class, tess_preferences_window_memory_limit_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tess_preferences_window_disk_cache_limit_changed_cb);

  gtk_widget_class_install_action (widget_class, "prefs.forget-host", "(ss)",
                                   tess_preferences_window_forget_host_action_cb);
  gtk_widget_class_install_action (widget_class, "prefs.allow-host", "(ss)",
                                   tess_preferences_window_allow_host_action_cb);
}

static void
tess_preferences_window_init (TessPreferencesWindow *self)
{
  GSettings *settings = tess_settings_get_default ();

  TESS_ASSERT_MAIN_THREAD ();

  self->allowed_hosts_rows = g_ptr_array_new ();
  /* The template's signals are connected with updating set: the controls'
   * first values are not a user's change. */
  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->updating = FALSE;

  refresh_memory_limit (self);
  refresh_disk_cache_limit (self);
  refresh_allowed_hosts (self);
  if (settings != NULL)
    g_signal_connect (settings, "changed", G_CALLBACK (tess_preferences_window_settings_changed_cb), self);
  self->memory_used_timeout = g_timeout_add_seconds (1, tess_preferences_window_memory_used_timeout_cb, self);
}

GtkWidget *
tess_preferences_window_new (void)
{
  TESS_ASSERT_MAIN_THREAD ();

  return g_object_new (TESS_TYPE_PREFERENCES_WINDOW, NULL);
}
