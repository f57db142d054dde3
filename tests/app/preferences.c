/* preferences.c: the Preferences window as a user meets it.
 *
 * app.preferences (Ctrl+,) opens one window; turning the automatic memory
 * limit off and setting a size stores the setting and limits loaded data at
 * once, unless --memory-limit gave this run its own; the download cache's
 * size is stored and applied; each host a dashboard from the network was
 * allowed is listed under its URL and removed with its button (and comes back
 * with Undo). Without the schema installed the window still works for the
 * session (in a subprocess, whose settings start without it).
 */
#include "../widgets/widget-test-host.h"

#include <adwaita.h>
#include <math.h>

#include "tess-application.h"
#include "tess-memory.h"
#include "tess-preferences.h"
#include "tess-settings.h"
#include "tess-source.h"
#include "tess-test-dir.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)

static const char *doc_a = "https://dashboards.example/sales.tessera";
static const char *doc_b = "https://other.example/ops.tessera?v=2&x=1";

typedef struct
{
  TessAppOptions options;
  TessApplication *app;
  GtkWidget *preferences;
} Fixture;

/* Every setting back to its default and no --memory-limit, as at a first start. */
static void
reset_settings (void)
{
  GSettings *settings = tess_settings_get_default ();
  g_auto (GStrv) documents = tess_settings_dup_allowed_documents ();

  if (settings != NULL)
    {
      g_settings_reset (settings, "memory-limit");
      g_settings_reset (settings, "disk-cache-limit");
      g_settings_reset (settings, "allowed-hosts");
    }
  for (guint i = 0; documents[i] != NULL; i++)
    {
      g_auto (GStrv) hosts = tess_settings_dup_allowed_hosts (documents[i]);

      for (guint j = 0; hosts[j] != NULL; j++)
        tess_settings_forget_host (documents[i], hosts[j]);
    }
  tess_settings_set_memory_limit (0);
  tess_settings_set_disk_cache_limit (2 * GIB);
  tess_settings_apply_limits (0);
}

static GtkWidget *
find_preferences (TessApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (TESS_IS_PREFERENCES_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* As the primary menu's "Preferences" does. */
static void
fixture_open (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;

  fixture->options.app_id = g_strdup ("io.github.tessera.Tessera");
  fixture->app = tess_application_new (&fixture->options);
  g_assert_true (g_application_register (G_APPLICATION (fixture->app), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "preferences"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  fixture->preferences = find_preferences (fixture->app);
  g_assert_nonnull (fixture->preferences);
  test_host_spin (50);
}

static void
fixture_close (Fixture *fixture)
{
  if (fixture->preferences != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->preferences));
  test_host_spin (10);
  g_clear_object (&fixture->app);
  tess_app_options_clear (&fixture->options);
}

static void
find_named (GtkWidget *widget, const char *name, GtkWidget **found)
{
  if (*found != NULL)
    return;
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    {
      *found = widget;
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_named (child, name, found);
}

static GtkWidget *
named (Fixture *fixture, const char *name)
{
  GtkWidget *found = NULL;

  find_named (fixture->preferences, name, &found);
  g_assert_nonnull (found);
  return found;
}

static void
find_remove_button (GtkWidget *widget, GVariant *target, GtkWidget **found)
{
  if (*found != NULL)
    return;
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "prefs.forget-host") == 0 &&
      g_variant_equal (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget)), target))
    {
      *found = widget;
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_remove_button (child, target, found);
}

/* The button that removes @host from @document_uri's allowed hosts, or NULL
 * when the window lists no such host. */
static GtkWidget *
remove_button (Fixture *fixture, const char *document_uri, const char *host)
{
  g_autoptr (GVariant) target = g_variant_ref_sink (g_variant_new ("(ss)", document_uri, host));
  GtkWidget *found = NULL;

  find_remove_button (fixture->preferences, target, &found);
  return found;
}

/* Expands the document's row and clicks the host's remove button. */
static void
click_remove (Fixture *fixture, const char *document_uri, const char *host)
{
  GtkWidget *button = remove_button (fixture, document_uri, host);
  GtkWidget *row;

  g_assert_nonnull (button);
  row = gtk_widget_get_ancestor (button, ADW_TYPE_EXPANDER_ROW);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, document_uri);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  test_host_spin (20);
  g_signal_emit_by_name (button, "clicked");
}

/* Renders @widget to @name in the build directory, for a person to look at. */
static void
save_picture (GtkWidget *widget, const char *name)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "app", name, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("kept %s", path);
}

typedef struct
{
  Fixture *fixture;
  const char *document_uri;
  const char *host;
  gboolean listed;
} HostListed;

static gboolean
host_listed_is (gpointer data)
{
  HostListed *wait = data;

  return (remove_button (wait->fixture, wait->document_uri, wait->host) != NULL) == wait->listed;
}

static void
wait_host_listed (Fixture *fixture, const char *document_uri, const char *host, gboolean listed)
{
  HostListed wait = { fixture, document_uri, host, listed };

  tess_test_wait_until (NULL, host_listed_is, &wait, 10, listed ? "the host's row" : "the host's row to go");
}

static guint64
shown_gib_bytes (guint64 bytes)
{
  return (guint64) (round ((double) bytes / GIB * 10) / 10 * GIB + 0.5);
}

static guint64
memory_limit_setting (void)
{
  GSettings *settings = tess_settings_get_default ();

  return settings != NULL ? g_settings_get_uint64 (settings, "memory-limit") : tess_settings_get_memory_limit ();
}

static void
test_open (void)
{
  Fixture fixture = { 0 };
  g_auto (GStrv) accels = NULL;
  g_autofree char *quarter = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *automatic;

  reset_settings ();
  fixture_open (&fixture);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture.app), "app.preferences");
  g_assert_true (g_strv_contains ((const char *const *) accels, "<Control>comma"));
  g_assert_true (gtk_widget_get_visible (fixture.preferences));

  /* Asking again brings the same window forward. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "preferences", NULL);
  g_assert_true (find_preferences (fixture.app) == fixture.preferences);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (fixture.app))), ==, 1);

  /* The limit is automatic at first, and says what that is here. */
  automatic = named (&fixture, "memory-automatic");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (automatic)));
  g_assert_false (
      gtk_widget_get_sensitive (gtk_widget_get_ancestor (named (&fixture, "memory-limit"), ADW_TYPE_ACTION_ROW)));
  quarter = g_format_size_full (tess_memory_get_default_limit (), G_FORMAT_SIZE_IEC_UNITS);
  subtitle = g_strdup_printf ("A quarter of memory: %s", quarter);
  g_assert_cmpstr (
      adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (automatic, ADW_TYPE_ACTION_ROW))), ==,
      subtitle);
  g_assert_false (gtk_widget_get_visible (named (&fixture, "memory-override")));
  g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (named (&fixture, "memory-used"))), quarter));
  g_assert_true (tess_memory_get_limit () == tess_memory_get_default_limit ());
  fixture_close (&fixture);
}

static void
test_memory_limit (void)
{
  Fixture fixture = { 0 };
  GtkWidget *automatic;
  GtkWidget *limit;
  guint64 automatic_shown = shown_gib_bytes (tess_memory_get_default_limit ());
  g_autofree char *limit_text = g_format_size_full (3 * GIB / 2, G_FORMAT_SIZE_IEC_UNITS); /* "1.5 GiB" */

  reset_settings ();
  fixture_open (&fixture);
  automatic = named (&fixture, "memory-automatic");
  limit = named (&fixture, "memory-limit");

  /* Off: the limit starts at the automatic one, as shown. */
  gtk_switch_set_active (GTK_SWITCH (automatic), FALSE);
  g_assert_true (gtk_widget_get_sensitive (gtk_widget_get_ancestor (limit, ADW_TYPE_ACTION_ROW)));
  g_assert_cmpuint (memory_limit_setting (), ==, automatic_shown);
  g_assert_cmpuint (tess_memory_get_limit (), ==, automatic_shown);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (limit), 1.5);
  g_assert_cmpuint (memory_limit_setting (), ==, 3 * GIB / 2);
  g_assert_cmpuint (tess_memory_get_limit (), ==, 3 * GIB / 2);
  g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (named (&fixture, "memory-used"))), limit_text));

  /* Back on: the setting says automatic, and the default limit holds again. */
  gtk_switch_set_active (GTK_SWITCH (automatic), TRUE);
  g_assert_cmpuint (memory_limit_setting (), ==, 0);
  g_assert_cmpuint (tess_memory_get_limit (), ==, tess_memory_get_default_limit ());
  fixture_close (&fixture);

  /* Opened again, the window shows what was stored. */
  tess_settings_set_memory_limit (2 * GIB);
  fixture_open (&fixture);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (named (&fixture, "memory-automatic"))));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (named (&fixture, "memory-limit"))), ==, 2.0);
  fixture_close (&fixture);
  reset_settings ();
}

static gboolean
memory_limit_is_3_gib (gpointer data)
{
  return tess_memory_get_limit () == 3 * GIB;
}

static gboolean
spin_shows_3 (gpointer data)
{
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (data)) == 3.0;
}

/* A change made outside the window (dconf, another window) applies at once
 * and shows in the open window. */
static void
test_memory_limit_changed_elsewhere (void)
{
  Fixture fixture = { 0 };
  GSettings *settings = tess_settings_get_default ();

  g_assert_nonnull (settings);
  reset_settings ();
  fixture_open (&fixture);
  g_settings_set_uint64 (settings, "memory-limit", 3 * GIB);
  tess_test_wait_until (NULL, memory_limit_is_3_gib, NULL, 10, "the memory limit to follow the setting");
  tess_test_wait_until (NULL, spin_shows_3, named (&fixture, "memory-limit"), 10, "the window to show the setting");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (named (&fixture, "memory-automatic"))));
  fixture_close (&fixture);
  reset_settings ();
}

/* --memory-limit wins for the run; the setting is stored for the next. */
static void
test_memory_limit_override (void)
{
  Fixture fixture = { 0 };
  GtkWidget *override;
  g_autofree char *size = g_format_size_full (GIB, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *title = g_strdup_printf ("This run keeps the limit given with --memory-limit: %s", size);

  reset_settings ();
  tess_settings_apply_limits (GIB);
  g_assert_cmpuint (tess_memory_get_limit (), ==, GIB);
  fixture_open (&fixture);
  override = named (&fixture, "memory-override");
  g_assert_true (gtk_widget_get_visible (override));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (override)), ==, title);

  gtk_switch_set_active (GTK_SWITCH (named (&fixture, "memory-automatic")), FALSE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (&fixture, "memory-limit")), 3.0);
  g_assert_cmpuint (memory_limit_setting (), ==, 3 * GIB);
  g_assert_cmpuint (tess_memory_get_limit (), ==, GIB);
  if (tess_settings_get_default () != NULL)
    {
      g_settings_set_uint64 (tess_settings_get_default (), "memory-limit", 2 * GIB);
      test_host_spin (50);
      g_assert_cmpuint (tess_memory_get_limit (), ==, GIB);
    }
  fixture_close (&fixture);

  /* Without the override the setting rules again. */
  tess_settings_apply_limits (0);
  g_assert_cmpuint (tess_memory_get_limit (), ==, memory_limit_setting ());
  g_assert_cmpuint (tess_memory_get_limit (), !=, GIB);
  reset_settings ();
}

static void
test_disk_cache_limit (void)
{
  Fixture fixture = { 0 };
  GSettings *settings = tess_settings_get_default ();
  GtkWidget *limit;

  reset_settings ();
  fixture_open (&fixture);
  limit = named (&fixture, "disk-cache-limit");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (limit)), ==, 2.0);
  g_assert_cmpuint (tess_source_get_disk_cache_limit (), ==, 2 * GIB);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (limit), 0.5);
  g_assert_cmpuint (tess_settings_get_disk_cache_limit (), ==, GIB / 2);
  if (settings != NULL)
    g_assert_cmpuint (g_settings_get_uint64 (settings, "disk-cache-limit"), ==, GIB / 2);
  g_assert_cmpuint (tess_source_get_disk_cache_limit (), ==, GIB / 2);

  /* 0 keeps nothing: no entry fits in the cache. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (limit), 0);
  g_assert_cmpuint (tess_settings_get_disk_cache_limit (), ==, 0);
  g_assert_cmpuint (tess_source_get_disk_cache_limit (), <=, 1);
  fixture_close (&fixture);
  reset_settings ();
}

static void
assert_hosts (const char *document_uri, const char *const *expected)
{
  g_auto (GStrv) hosts = tess_settings_dup_allowed_hosts (document_uri);
  GSettings *settings = tess_settings_get_default ();

  g_assert_true (g_strv_equal ((const char *const *) hosts, expected));
  if (settings != NULL)
    {
      g_autoptr (GVariant) value = g_settings_get_value (settings, "allowed-hosts");
      g_autoptr (GVariant) stored = g_variant_lookup_value (value, document_uri, G_VARIANT_TYPE_STRING_ARRAY);

      /* A URL whose last host went is gone from the setting. */
      if (expected[0] == NULL)
        g_assert_null (stored);
      else
        g_assert_cmpuint (g_variant_n_children (stored), ==, g_strv_length ((char **) expected));
    }
}

static void
test_allowed_hosts (void)
{
  Fixture fixture = { 0 };
  const char *none[] = { NULL };
  const char *a_both[] = { "cdn.example", "data.example", NULL };
  const char *a_data[] = { "data.example", NULL };
  const char *b_only[] = { "127.0.0.1", NULL };

  reset_settings ();
  tess_settings_allow_host (doc_a, "data.example");
  tess_settings_allow_host (doc_a, "cdn.example");
  tess_settings_allow_host (doc_a, "cdn.example"); /* once is enough */
  tess_settings_allow_host (doc_b, "127.0.0.1");
  assert_hosts (doc_a, a_both);
  assert_hosts (doc_b, b_only);

  fixture_open (&fixture);
  g_assert_nonnull (remove_button (&fixture, doc_a, "data.example"));
  g_assert_nonnull (remove_button (&fixture, doc_a, "cdn.example"));
  g_assert_nonnull (remove_button (&fixture, doc_b, "127.0.0.1"));
  g_assert_null (remove_button (&fixture, doc_b, "data.example"));
  if (tess_settings_get_default () != NULL)
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_ancestor (
                                         remove_button (&fixture, doc_a, "data.example"), ADW_TYPE_EXPANDER_ROW)),
                                     TRUE);
      test_host_spin (300);
      save_picture (fixture.preferences, "preferences.png");
    }

  click_remove (&fixture, doc_a, "cdn.example");
  assert_hosts (doc_a, a_data);
  assert_hosts (doc_b, b_only);
  wait_host_listed (&fixture, doc_a, "cdn.example", FALSE);
  g_assert_nonnull (remove_button (&fixture, doc_a, "data.example"));

  /* The last host of a URL takes the URL with it. */
  click_remove (&fixture, doc_b, "127.0.0.1");
  assert_hosts (doc_b, none);
  wait_host_listed (&fixture, doc_b, "127.0.0.1", FALSE);
  {
    g_auto (GStrv) documents = tess_settings_dup_allowed_documents ();
    const char *only_a[] = { doc_a, NULL };

    g_assert_true (g_strv_equal ((const char *const *) documents, only_a));
  }

  /* Undo, as the toast's button does, brings it back. */
  g_assert_true (gtk_widget_activate_action (fixture.preferences, "prefs.allow-host", "(ss)", doc_b, "127.0.0.1"));
  assert_hosts (doc_b, b_only);
  wait_host_listed (&fixture, doc_b, "127.0.0.1", TRUE);

  /* A host allowed while the window is open (from a dashboard's banner)
   * shows up in it, when the settings can tell. */
  if (tess_settings_get_default () != NULL)
    {
      tess_settings_allow_host (doc_a, "api.example");
      wait_host_listed (&fixture, doc_a, "api.example", TRUE);
    }
  fixture_close (&fixture);
  reset_settings ();
}

/* The window of an uninstalled build: no schema, nothing remembered, and
 * everything still works for the session. Runs again in a subprocess, which
 * main() starts without the schema. */
static void
test_no_schema (void)
{
  if (g_test_subprocess ())
    {
      g_assert_null (tess_settings_get_default ());
      test_open ();
      test_memory_limit ();
      test_memory_limit_override ();
      test_disk_cache_limit ();
      test_allowed_hosts ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Leaves GSettings no way to find the schema: not beside the build, nor
 * where an installed Tessera put it. The other data directories stay, for
 * the MIME types and icons GTK needs. */
static void
hide_schema (const char *empty_dir)
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");
  g_auto (GStrv) dirs = g_strsplit (data_dirs != NULL ? data_dirs : "/usr/local/share:/usr/share", ":", -1);
  g_autoptr (GStrvBuilder) kept = g_strv_builder_new ();
  g_auto (GStrv) kept_dirs = NULL;
  g_autofree char *joined = NULL;

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *schema =
          g_build_filename (dirs[i], "glib-2.0", "schemas", TESS_SETTINGS_SCHEMA_ID ".gschema.xml", NULL);

      if (*dirs[i] != '\0' && !g_file_test (schema, G_FILE_TEST_EXISTS))
        g_strv_builder_add (kept, dirs[i]);
    }
  kept_dirs = g_strv_builder_end (kept);
  joined = g_strjoinv (":", kept_dirs);
  g_unsetenv ("GSETTINGS_SCHEMA_DIR");
  g_setenv ("XDG_DATA_DIRS", joined, TRUE);
  g_setenv ("XDG_DATA_HOME", empty_dir, TRUE);
}

int
main (int argc, char **argv)
{
  g_autofree char *schemas = NULL;
  g_autofree char *empty = NULL;
  gboolean subprocess = FALSE;
  int status;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--GTestSubprocess"))
      subprocess = TRUE;
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (subprocess)
    {
      /* The only subprocess is /Preferences/no-schema's. */
      empty = tess_test_dir_new ("tessera-no-schema-XXXXXX");
      hide_schema (empty);
    }
  else
    {
      /* The schema compiled in the build tree, with the memory backend. */
      schemas = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "..", "app", "data", NULL);
      g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);
    }
  test_host_init (&argc, &argv);

  g_test_add_func ("/Preferences/open", test_open);
  g_test_add_func ("/Preferences/memory-limit", test_memory_limit);
  g_test_add_func ("/Preferences/memory-limit-changed-elsewhere", test_memory_limit_changed_elsewhere);
  g_test_add_func ("/Preferences/memory-limit-override", test_memory_limit_override);
  g_test_add_func ("/Preferences/disk-cache-limit", test_disk_cache_limit);
  g_test_add_func ("/Preferences/allowed-hosts", test_allowed_hosts);
  g_test_add_func ("/Preferences/no-schema", test_no_schema);
  status = g_test_run ();
  if (empty != NULL)
    tess_test_dir_remove (empty);
  return status;
}
