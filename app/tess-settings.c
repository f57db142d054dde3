/* tess-settings.c: see tess-settings.h.
 *
 * The data layer knows nothing of GSettings: this file reads the limits here
 * and hands them to tess-memory.h and tess-source.h, once at startup and on
 * every change (from Preferences, or from outside while the app runs).
 */
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "tess-settings.h"
#include "tess-thread-private.h"

#include "tess-memory.h"
#include "tess-source.h"

#define TESS_SETTINGS_DEFAULT_DISK_CACHE_LIMIT ((guint64) 2 << 30)

static char *settings_app_id;
static GSettingsSchema *app_schema;   /* NULL: no schema is installed */
static GSettingsBackend *app_backend; /* a dashboard program's key file; NULL: the default */
static gboolean app_schema_looked_up;
static GSettings *default_settings;
static gboolean default_settings_looked_up;
static guint64 memory_limit_override;
static gboolean limits_followed;

/* Without the schema: the values for this process only. */
static guint64 session_memory_limit;
static guint64 session_disk_cache_limit = TESS_SETTINGS_DEFAULT_DISK_CACHE_LIMIT;
static GVariant *session_allowed_hosts; /* a{sas}, NULL: empty */

void
tess_settings_set_app_id (const char *app_id)
{
  TESS_ASSERT_MAIN_THREAD ();
  g_return_if_fail (!app_schema_looked_up);

  g_free (settings_app_id);
  settings_app_id = g_strdup (app_id);
}

/* Finds the program's own schema, else Tessera's kept in a key file of the
 * program's own (under the user's configuration folder, named by its app
 * id), else none; once, for the life of the process. */
static void
look_up_app_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  const char *app_id = settings_app_id != NULL ? settings_app_id : TESS_SETTINGS_SCHEMA_ID;
  g_autofree char *path = NULL;

  if (app_schema_looked_up)
    return;
  app_schema_looked_up = TRUE;
  if (source == NULL)
    return;
  app_schema = g_settings_schema_source_lookup (source, app_id, TRUE);
  if (app_schema != NULL)
    return;
  app_schema = g_settings_schema_source_lookup (source, TESS_SETTINGS_SCHEMA_ID, TRUE);
  if (app_schema == NULL)
    return;
  /* Every key sits directly under the schema's path, which a key file keeps
   * only in a group named for it: [settings]. */
  path = g_build_filename (g_get_user_config_dir (), app_id, "settings.ini", NULL);
  app_backend = g_keyfile_settings_backend_new (path, g_settings_schema_get_path (app_schema), "settings");
}

GSettings *
tess_settings_new (void)
{
  TESS_ASSERT_MAIN_THREAD ();

  look_up_app_schema ();
  return app_schema != NULL ? g_settings_new_full (app_schema, app_backend, NULL) : NULL;
}

GSettings *
tess_settings_get_default (void)
{
  TESS_ASSERT_MAIN_THREAD ();

  if (!default_settings_looked_up)
    {
      default_settings_looked_up = TRUE;
      /* Kept for the life of the process; its signals come to the main context. */
      default_settings = tess_settings_new ();
    }
  return default_settings;
}

static void
apply_memory_limit (void)
{
  /* 0 restores the data layer's default, a quarter of physical memory. */
  tess_memory_set_limit (memory_limit_override != 0 ? memory_limit_override : tess_settings_get_memory_limit ());
}

static void
apply_disk_cache_limit (void)
{
  guint64 bytes = tess_settings_get_disk_cache_limit ();

  /* The setting's 0 keeps nothing, where the data layer reads 0 as its
   * default: a budget of one byte holds no entry at all. */
  tess_source_set_disk_cache_limit (bytes != 0 ? bytes : 1);
}

static void
tess_settings_memory_limit_changed_cb (GSettings *settings, const char *key, gpointer user_data)
{
  g_assert (G_IS_SETTINGS (settings));
  TESS_ASSERT_MAIN_THREAD ();

  apply_memory_limit ();
}

static void
tess_settings_disk_cache_limit_changed_cb (GSettings *settings, const char *key, gpointer user_data)
{
  g_assert (G_IS_SETTINGS (settings));
  TESS_ASSERT_MAIN_THREAD ();

  apply_disk_cache_limit ();
}

void
tess_settings_apply_limits (guint64 memory_limit_override_bytes)
{
  GSettings *settings = tess_settings_get_default ();

  TESS_ASSERT_MAIN_THREAD ();

  memory_limit_override = memory_limit_override_bytes;
  if (settings != NULL && !limits_followed)
    {
      limits_followed = TRUE;
      g_signal_connect (settings, "changed::memory-limit", G_CALLBACK (tess_settings_memory_limit_changed_cb), NULL);
      g_signal_connect (settings, "changed::disk-cache-limit", G_CALLBACK (tess_settings_disk_cache_limit_changed_cb),
                        NULL);
      /* GSettings only emits "changed" for keys that were read once. */
      g_settings_get_uint64 (settings, "memory-limit");
      g_settings_get_uint64 (settings, "disk-cache-limit");
    }
  apply_memory_limit ();
  apply_disk_cache_limit ();
}

guint64
tess_settings_get_memory_limit_override (void)
{
  TESS_ASSERT_MAIN_THREAD ();

  return memory_limit_override;
}

guint64
tess_settings_get_memory_limit (void)
{
  GSettings *settings = tess_settings_get_default ();

  return settings != NULL ? g_settings_get_uint64 (settings, "memory-limit") : session_memory_limit;
}

void
tess_settings_set_memory_limit (guint64 bytes)
{
  GSettings *settings = tess_settings_get_default ();

  if (settings != NULL)
    g_settings_set_uint64 (settings, "memory-limit", bytes);
  else
    session_memory_limit = bytes;
  /* At once, whether or not "changed" is followed yet. */
  apply_memory_limit ();
}

guint64
tess_settings_get_disk_cache_limit (void)
{
  GSettings *settings = tess_settings_get_default ();

  return settings != NULL ? g_settings_get_uint64 (settings, "disk-cache-limit") : session_disk_cache_limit;
}

void
tess_settings_set_disk_cache_limit (guint64 bytes)
{
  GSettings *settings = tess_settings_get_default ();

  if (settings != NULL)
    g_settings_set_uint64 (settings, "disk-cache-limit", bytes);
  else
    session_disk_cache_limit = bytes;
  apply_disk_cache_limit ();
}

/* The allowed-hosts value, a{sas}. transfer full */
static GVariant *
get_allowed_hosts (void)
{
  GSettings *settings = tess_settings_get_default ();

  if (settings != NULL)
    return g_settings_get_value (settings, "allowed-hosts");
  if (session_allowed_hosts != NULL)
    return g_variant_ref (session_allowed_hosts);
  return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sas}"), NULL, 0));
}

/* Takes @value (a{sas}, floating or not). */
static void
set_allowed_hosts (GVariant *value)
{
  GSettings *settings = tess_settings_get_default ();

  g_variant_ref_sink (value);
  if (settings != NULL)
    g_settings_set_value (settings, "allowed-hosts", value);
  else
    {
      g_clear_pointer (&session_allowed_hosts, g_variant_unref);
      session_allowed_hosts = g_variant_ref (value);
    }
  g_variant_unref (value);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Ends @array (of owned strings, freed with g_free) as a sorted strv. */
static char **
end_sorted_strv (GPtrArray *array)
{
  g_ptr_array_sort (array, compare_strings);
  g_ptr_array_add (array, NULL);
  return (char **) g_ptr_array_free (array, FALSE);
}

char **
tess_settings_dup_allowed_documents (void)
{
  g_autoptr (GVariant) value = get_allowed_hosts ();
  GPtrArray *documents = g_ptr_array_new ();
  GVariantIter iter;
  const char *document_uri;
  g_autoptr (GVariant) hosts = NULL;

  TESS_ASSERT_MAIN_THREAD ();

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s@as}", &document_uri, &hosts))
    {
      if (g_variant_n_children (hosts) > 0)
        g_ptr_array_add (documents, g_strdup (document_uri));
      g_clear_pointer (&hosts, g_variant_unref);
    }
  return end_sorted_strv (documents);
}

char **
tess_settings_dup_allowed_hosts (const char *document_uri)
{
  g_autoptr (GVariant) value = get_allowed_hosts ();
  g_autoptr (GVariant) hosts = NULL;
  GPtrArray *sorted = g_ptr_array_new ();

  g_return_val_if_fail (document_uri != NULL, NULL);
  TESS_ASSERT_MAIN_THREAD ();

  hosts = g_variant_lookup_value (value, document_uri, G_VARIANT_TYPE_STRING_ARRAY);
  if (hosts != NULL)
    {
      gsize n;
      const char **strv = g_variant_get_strv (hosts, &n);

      for (gsize i = 0; i < n; i++)
        g_ptr_array_add (sorted, g_strdup (strv[i]));
      g_free (strv);
    }
  return end_sorted_strv (sorted);
}

/* Rewrites the hosts of @document_uri: @host added (@allow) or removed. A URL
 * left without hosts is dropped, and nothing is written when nothing changes. */
static void
update_allowed_host (const char *document_uri, const char *host, gboolean allow)
{
  g_autoptr (GVariant) value = get_allowed_hosts ();
  g_autoptr (GVariant) hosts = NULL;
  g_autoptr (GVariant) other_hosts = NULL;
  g_autoptr (GStrvBuilder) new_hosts = g_strv_builder_new ();
  g_auto (GStrv) new_hosts_strv = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *uri;
  gboolean found = FALSE;

  hosts = g_variant_lookup_value (value, document_uri, G_VARIANT_TYPE_STRING_ARRAY);
  if (hosts != NULL)
    {
      gsize n;
      g_autofree const char **strv = g_variant_get_strv (hosts, &n);

      for (gsize i = 0; i < n; i++)
        {
          if (g_str_equal (strv[i], host))
            {
              found = TRUE;
              if (!allow)
                continue;
            }
          g_strv_builder_add (new_hosts, strv[i]);
        }
    }
  if (found == allow)
    return;
  if (allow)
    g_strv_builder_add (new_hosts, host);
  new_hosts_strv = g_strv_builder_end (new_hosts);

  /* Every other document as it was, in its place; this one replaced. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sas}"));
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s@as}", &uri, &other_hosts))
    {
      if (!g_str_equal (uri, document_uri))
        g_variant_builder_add (&builder, "{s@as}", uri, other_hosts);
      g_clear_pointer (&other_hosts, g_variant_unref);
    }
  if (new_hosts_strv[0] != NULL)
    g_variant_builder_add (&builder, "{s^as}", document_uri, new_hosts_strv);
  set_allowed_hosts (g_variant_builder_end (&builder));
}

void
tess_settings_allow_host (const char *document_uri, const char *host)
{
  g_return_if_fail (document_uri != NULL);
  g_return_if_fail (host != NULL && *host != '\0');
  TESS_ASSERT_MAIN_THREAD ();

  update_allowed_host (document_uri, host, TRUE);
}

void
tess_settings_forget_host (const char *document_uri, const char *host)
{
  g_return_if_fail (document_uri != NULL);
  g_return_if_fail (host != NULL);
  TESS_ASSERT_MAIN_THREAD ();

  update_allowed_host (document_uri, host, FALSE);
}
