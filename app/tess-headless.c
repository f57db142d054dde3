/* tess-headless.c: --headless: run the dashboard once, without a display.
 *
 * Runs the session until it is idle, prints what every scope shows (nested
 * fragments in place) and the run timeline, writes --timeline, and exits 0 only
 * when every fragment succeeded.
 */
#include "tess-app-private.h"
#include "tess-session.h"

#include <glib/gi18n.h>
#include <stdio.h>

typedef struct
{
  GMainLoop *loop;
  GHashTable *states; /* path -> TessScopeState */
  GHashTable *errors; /* path -> message */
} Headless;

static void
headless_scope_updated_cb (TessSession *session, const TessScopeUpdate *update, Headless *self)
{
  g_assert (TESS_IS_SESSION (session));

  g_hash_table_insert (self->states, g_strdup (update->path), GINT_TO_POINTER (update->state));
  if (update->error != NULL)
    g_hash_table_insert (self->errors, g_strdup (update->path), g_strdup (update->error->message));
  else
    g_hash_table_remove (self->errors, update->path);
}

static void
headless_scope_removed_cb (TessSession *session, const char *path, Headless *self)
{
  g_assert (TESS_IS_SESSION (session));

  g_hash_table_remove (self->states, path);
  g_hash_table_remove (self->errors, path);
}

static void
headless_session_idle_cb (TessSession *session, Headless *self)
{
  g_assert (TESS_IS_SESSION (session));

  g_main_loop_quit (self->loop);
}

static void
print_indented (const char *text, guint depth)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_print ("%*s%s\n", (int) depth * 2, "", lines[i]);
}

/* Prints @root, descending into the scopes its FRAGMENT elements hold. */
static void
print_tree (TessSession *session, Headless *self, TessElement *element, guint depth)
{
  for (guint i = 0; i < tess_element_get_n_children (element); i++)
    {
      TessElement *child = tess_element_get_child (element, i);
      TessElementKind kind = tess_element_get_kind (child);

      if (kind == TESS_ELEMENT_FRAGMENT)
        {
          const char *path = tess_element_get_string (child, "path");
          g_autoptr (TessElement) root = tess_session_get_scope_root (session, path);
          const char *error = g_hash_table_lookup (self->errors, path);

          g_print ("%*s[%s]\n", (int) depth * 2, "", tess_element_get_id (child));
          if (root != NULL)
            print_tree (session, self, root, depth + 1);
          if (error != NULL)
            g_print ("%*s%s %s\n", (int) (depth + 1) * 2, "", _ ("error:"), error);
        }
      else if (tess_element_kind_is_container (kind))
        {
          g_print ("%*s%s%s%s\n", (int) depth * 2, "", tess_element_kind_to_string (kind),
                   tess_element_get_string (child, "label") ? " " : "",
                   tess_element_get_string (child, "label") ? tess_element_get_string (child, "label") : "");
          print_tree (session, self, child, depth + 1);
        }
      else
        {
          g_autofree char *text = tess_element_to_text (child);
          print_indented (text, depth);
        }
    }
}

static void
print_timeline (TessSession *session)
{
  g_autoptr (GPtrArray) records = tess_session_get_timeline (session);
  double total = 0;

  for (guint i = 0; i < records->len; i++)
    total = MAX (total, ((TessRunRecord *) g_ptr_array_index (records, i))->end_ms);

  g_print ("\n%s %.2f s\n", _ ("Timeline: total"), total / 1000.0);
  g_print ("  %-28s %-10s %9s %9s %9s  %s\n", _ ("fragment"), _ ("mode"), _ ("queued"), _ ("start"), _ ("end"),
           _ ("status"));
  for (guint i = 0; i < records->len; i++)
    {
      TessRunRecord *record = g_ptr_array_index (records, i);
      g_print ("  %-28s %-10s %7.0fms %7.0fms %7.0fms  %s%s%s\n",
               *record->fragment ? record->fragment : _ ("(dashboard)"),
               *record->fragment == '\0' ? _ ("main")
               : record->parallel        ? _ ("parallel")
                                         : _ ("inline"),
               record->queued_ms, record->start_ms, record->end_ms, tess_run_status_to_string (record->status),
               record->error ? ": " : "", record->error ? record->error : "");
    }
}

int
tess_app_run_headless (TessAppOptions *options)
{
  g_autoptr (TessSession) session = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GHashTable) states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (TessElement) top = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) unused = NULL;
  Headless self = { loop, states, errors };
  GHashTableIter iter;
  gpointer path, state;
  gboolean ok = TRUE;

  session = tess_session_new (options->dashboard, options->user_data, NULL);
  tess_app_set_current_session (session);
  tess_session_set_run_every_enabled (session, FALSE);
  g_signal_connect (session, "scope-updated", G_CALLBACK (headless_scope_updated_cb), &self);
  g_signal_connect (session, "scope-removed", G_CALLBACK (headless_scope_removed_cb), &self);
  g_signal_connect (session, "idle", G_CALLBACK (headless_session_idle_cb), &self);
  if (!tess_app_apply_sets (options, session))
    ok = FALSE;
  tess_session_start (session);
  g_main_loop_run (loop);

  top = tess_session_get_scope_root (session, "");
  if (top != NULL)
    print_tree (session, &self, top, 0);
  if (g_hash_table_lookup (errors, "") != NULL)
    g_print ("%s %s\n", _ ("error:"), (char *) g_hash_table_lookup (errors, ""));
  print_timeline (session);

  unused = tess_session_get_unused_presets (session);
  for (guint i = 0; unused[i] != NULL; i++)
    {
      g_printerr (_ ("--set %s: the dashboard has no input with that key or label\n"), unused[i]);
      ok = FALSE;
    }

  g_hash_table_iter_init (&iter, states);
  while (g_hash_table_iter_next (&iter, &path, &state))
    if (GPOINTER_TO_INT (state) != TESS_SCOPE_DONE)
      ok = FALSE;

  if (!tess_app_write_timeline (options, session, &error))
    {
      g_printerr ("%s\n", error->message);
      ok = FALSE;
    }
  tess_app_set_current_session (NULL);
  tess_session_close (session);
  return ok ? 0 : 1;
}
