/* test-host.c: see test-host.h. */
#include "test-host.h"
#include "tess-test-wait.h"

#include <stdlib.h>
#include <string.h>

static void
on_scope_updated (TessSession *session, const TessScopeUpdate *update, TestHost *host)
{
  host->n_updates++;
  g_hash_table_insert (host->roots, g_strdup (update->path), tess_element_ref (update->root));
  g_hash_table_insert (host->states, g_strdup (update->path), GINT_TO_POINTER (update->state));
  g_hash_table_insert (host->n_fresh, g_strdup (update->path), GUINT_TO_POINTER (update->n_fresh));
  if (update->error != NULL)
    g_hash_table_insert (host->errors, g_strdup (update->path), g_strdup (update->error->message));
  else
    g_hash_table_remove (host->errors, update->path);
  if (update->status != NULL)
    g_hash_table_insert (host->statuses, g_strdup (update->path), g_strdup (update->status));
}

static void
on_scope_removed (TessSession *session, const char *path, TestHost *host)
{
  host->n_removed++;
  g_hash_table_remove (host->roots, path);
  g_hash_table_remove (host->states, path);
  g_hash_table_remove (host->errors, path);
  g_hash_table_remove (host->n_fresh, path);
}

static void
on_idle (TessSession *session, TestHost *host)
{
  host->n_idle++;
}

TestHost *
test_host_new (TessFragmentFunc dashboard, gpointer user_data)
{
  TestHost *host = g_new0 (TestHost, 1);

  host->session = tess_session_new (dashboard, user_data, NULL);
  host->roots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) tess_element_unref);
  host->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  host->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  host->n_fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  host->statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect (host->session, "scope-updated", G_CALLBACK (on_scope_updated), host);
  g_signal_connect (host->session, "scope-removed", G_CALLBACK (on_scope_removed), host);
  g_signal_connect (host->session, "idle", G_CALLBACK (on_idle), host);
  return host;
}

void
test_host_free (TestHost *host)
{
  tess_session_close (host->session);
  g_signal_handlers_disconnect_by_data (host->session, host);
  /* Let the runs that were cancelled return before the session goes. */
  for (gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       tess_session_get_n_running (host->session) > 0 && g_get_monotonic_time () < end;)
    g_usleep (1000);
  g_clear_object (&host->session);
  g_hash_table_unref (host->roots);
  g_hash_table_unref (host->states);
  g_hash_table_unref (host->errors);
  g_hash_table_unref (host->n_fresh);
  g_hash_table_unref (host->statuses);
  g_free (host);
}

void
test_host_start (TestHost *host)
{
  tess_session_start (host->session);
}

static gboolean
session_is_idle (gpointer session)
{
  return tess_session_is_idle (session);
}

void
test_host_wait_idle (TestHost *host, double timeout_s)
{
  /* Polled: the session's counts also change on workers (a closed session's runs end
   * there), which do not wake the main context. */
  tess_test_poll_until (NULL, session_is_idle, host->session, timeout_s, "the session to settle");
  /* Dispatch what is already due, but no more: a source may always be ready. */
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

void
test_host_run_for (TestHost *host, double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
    }
}

void
test_host_set (TestHost *host, const char *key, GVariant *value)
{
  g_autoptr (GError) error = NULL;

  tess_session_set_input (host->session, key, value, &error);
  g_assert_no_error (error);
}

void
test_host_press (TestHost *host, const char *key)
{
  g_autoptr (GError) error = NULL;

  tess_session_press_button (host->session, key, &error);
  g_assert_no_error (error);
}

TessElement *
test_host_root (TestHost *host, const char *path)
{
  return g_hash_table_lookup (host->roots, path);
}

TessScopeState
test_host_state (TestHost *host, const char *path)
{
  g_assert_true (g_hash_table_contains (host->states, path));
  return GPOINTER_TO_INT (g_hash_table_lookup (host->states, path));
}

static const char *
find_text (TessElement *element, TessElementKind kind, const char *prefix)
{
  for (guint i = 0; i < tess_element_get_n_children (element); i++)
    {
      TessElement *child = tess_element_get_child (element, i);
      const char *text = tess_element_get_string (child, "text");
      const char *found;

      if (tess_element_get_kind (child) == kind && text != NULL && (prefix == NULL || g_str_has_prefix (text, prefix)))
        return text;
      if ((found = find_text (child, kind, prefix)) != NULL)
        return found;
    }
  return NULL;
}

const char *
test_host_find_text (TestHost *host, const char *path, TessElementKind kind, const char *prefix)
{
  TessElement *root = test_host_root (host, path);

  return root != NULL ? find_text (root, kind, prefix) : NULL;
}

guint
test_host_ran (TestHost *host, const char *path)
{
  const char *text = test_host_find_text (host, path, TESS_ELEMENT_TEXT, "ran ");

  g_assert_nonnull (text);
  return (guint) atoi (text + 4);
}

static guint
count_kind (TessElement *element, TessElementKind kind)
{
  guint n = 0;

  for (guint i = 0; i < tess_element_get_n_children (element); i++)
    {
      TessElement *child = tess_element_get_child (element, i);
      n += tess_element_get_kind (child) == kind;
      n += count_kind (child, kind);
    }
  return n;
}

guint
test_host_count_kind (TestHost *host, const char *path, TessElementKind kind)
{
  TessElement *root = test_host_root (host, path);

  return root != NULL ? count_kind (root, kind) : 0;
}

static TessElement *
find_kind (TessElement *element, TessElementKind kind)
{
  if (tess_element_get_kind (element) == kind)
    return element;
  for (guint i = 0; i < tess_element_get_n_children (element); i++)
    {
      TessElement *found = find_kind (tess_element_get_child (element, i), kind);
      if (found)
        return found;
    }
  return NULL;
}

TessElement *
test_host_find_kind (TestHost *host, const char *path, TessElementKind kind)
{
  TessElement *root = test_host_root (host, path);

  return root != NULL ? find_kind (root, kind) : NULL;
}

TessFrame *
test_host_frame_of (TestHost *host, const char *path, TessElementKind kind)
{
  TessElement *element = test_host_find_kind (host, path, kind);

  g_assert_nonnull (element);
  return tess_element_get_frame (element);
}

guint
test_host_count_errors (TestHost *host)
{
  GHashTableIter iter;
  gpointer path, state;
  guint n = 0;

  g_hash_table_iter_init (&iter, host->states);
  while (g_hash_table_iter_next (&iter, &path, &state))
    {
      TessElement *root = g_hash_table_lookup (host->roots, path);
      n += GPOINTER_TO_INT (state) == TESS_SCOPE_ERROR;
      for (guint i = 0; root != NULL && i < tess_element_get_n_children (root); i++)
        {
          TessElement *child = tess_element_get_child (root, i);
          n += tess_element_get_kind (child) == TESS_ELEMENT_CALLOUT &&
               g_strcmp0 (tess_element_get_string (child, "kind"), "error") == 0;
        }
    }
  return n;
}

guint
test_session_runs_of (TessSession *session, const char *fragment)
{
  g_autoptr (GPtrArray) records = tess_session_get_timeline (session);
  guint n = 0;

  for (guint i = 0; i < records->len; i++)
    if (g_str_equal (((TessRunRecord *) g_ptr_array_index (records, i))->fragment, fragment))
      n++;
  return n;
}

char *
test_column_text (TessFrame *frame, const char *name, const char *separator)
{
  TessColumn *column = tess_frame_get_column_by_name (frame, name);
  g_autoptr (GString) out = g_string_new (NULL);

  g_assert_nonnull (column);
  for (gsize i = 0; i < tess_column_get_length (column); i++)
    {
      g_autofree char *v = tess_column_format_value (column, i);
      g_string_append_printf (out, "%s%s", i ? separator : "", v);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
