/* tess-credentials.c: passwords for databases, from the keyring or the user
 * (tess-credentials.h).
 *
 * The password function runs on the worker that connects. What it knows of
 * each login (server, port, database, user) is under one lock: the password
 * given in this process, whether it came from the keyring, and whether a
 * dialog is asking for it. A worker that needs a password reads the keyring
 * itself (libsecret's synchronous call: only that worker waits), and, when it
 * may ask, has the main thread show the dialog (unless one is already open
 * for the login) and waits for its answer or for its run to be cancelled.
 * Each worker remembers the password it was given last, so that when the
 * server refuses it, only that password is forgotten, never a newer one.
 */
#include "tess-credentials.h"

#include "tess-sql.h"
#include "tess-window.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

typedef struct
{
  char *password; /* the one to give, or NULL */
  gboolean from_keyring;
  gboolean keyring_refused; /* the keyring's password was refused: not read again */
  gboolean asking;          /* a dialog is open for it */
  guint answers;            /* bumped by every answer of a dialog */
} Login;

/* What the password function gave this thread last. */
typedef struct
{
  char *key;
  char *password;
} Given;

/* A dialog's question; main thread. */
typedef struct
{
  char *key;
  char *host, *port, *dbname, *user;
  gboolean refused;
  GtkWidget *entry;
  GtkWidget *remember;
  gboolean answered;
} Question;

static GMutex lock;
static GCond answered;
static GHashTable *logins; /* "user\x1fhost\x1fport\x1fdbname" -> Login; guarded by lock */
static gint may_ask;       /* atomic */

/* Secrets */

static void
wipe (char *secret)
{
  if (secret)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

static void
login_free (gpointer data)
{
  Login *login = data;

  wipe (login->password);
  g_free (login);
}

static void
given_free (gpointer data)
{
  Given *given = data;

  if (given == NULL)
    return;
  g_free (given->key);
  wipe (given->password);
  g_free (given);
}

static GPrivate last_given = G_PRIVATE_INIT (given_free);

static void
remember_given (const char *key, const char *password)
{
  Given *given = g_new0 (Given, 1);

  given->key = g_strdup (key);
  given->password = g_strdup (password);
  g_private_replace (&last_given, given);
}

static const SecretSchema *
database_schema (void)
{
  static const SecretSchema schema = {
    "io.github.tessera.Tessera.Database",
    SECRET_SCHEMA_NONE,
    {
        { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "port", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "dbname", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { NULL, 0 },
    },
  };
  return &schema;
}

static char *
login_key (const char *host, const char *port, const char *dbname, const char *user)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s", user ? user : "", host ? host : "", port ? port : "",
                          dbname ? dbname : "");
}

/* Where the server is, as a person names it. transfer full */
static char *
server_name (const char *host, const char *port)
{
  if (host == NULL || *host == '\0' || *host == '/' || *host == '@')
    return g_strdup (_ ("this computer"));
  if (port && *port && !g_str_equal (port, "5432"))
    return g_strdup_printf ("%s:%s", host, port);
  return g_strdup (host);
}

char *
tess_credentials_lookup (const char *host, const char *port, const char *dbname, const char *user, gboolean remove)
{
  g_autoptr (GError) error = NULL;
  char *found = secret_password_lookup_sync (database_schema (), NULL, &error, "host", host, "port", port, "dbname",
                                             dbname, "user", user, NULL);
  char *copy = g_strdup (found);

  secret_password_free (found);
  if (remove && copy)
    secret_password_clear_sync (database_schema (), NULL, NULL, "host", host, "port", port, "dbname", dbname, "user",
                                user, NULL);
  return copy;
}

gboolean
tess_credentials_keyring_available (void)
{
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GVariant) owner = NULL;
  g_autoptr (GVariant) activatable = NULL;
  g_autofree const char **names = NULL;

  if (bus == NULL)
    return FALSE;
  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (owner)
    {
      gboolean has_owner;
      g_variant_get (owner, "(b)", &has_owner);
      if (has_owner)
        return TRUE;
    }
  activatable = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "ListActivatableNames", NULL,
                                             G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (activatable == NULL)
    return FALSE;
  {
    g_autoptr (GVariant) list = g_variant_get_child_value (activatable, 0);
    names = g_variant_get_strv (list, NULL);
    return g_strv_contains (names, "org.freedesktop.secrets");
  }
}

void
tess_credentials_forget (void)
{
  g_mutex_lock (&lock);
  if (logins)
    g_hash_table_remove_all (logins);
  g_mutex_unlock (&lock);
}

/* The dialog. Main thread only. */

static void
question_free (Question *question)
{
  g_free (question->key);
  g_free (question->host);
  g_free (question->port);
  g_free (question->dbname);
  g_free (question->user);
  g_free (question);
}

static void
credentials_store_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_message ("The database password could not be kept in the keyring: %s", error->message);
}

/* Gives the login its answer (@password NULL: none) and wakes its waiters. */
static void
answer (Question *question, const char *password)
{
  Login *login;

  g_assert (!question->answered);
  question->answered = TRUE;
  g_mutex_lock (&lock);
  login = g_hash_table_lookup (logins, question->key);
  if (login)
    {
      wipe (login->password);
      login->password = g_strdup (password);
      login->from_keyring = FALSE;
      login->asking = FALSE;
      login->answers++;
    }
  g_cond_broadcast (&answered);
  g_mutex_unlock (&lock);
}

static void
credentials_dialog_response_cb (AdwMessageDialog *dialog, const char *response, Question *question)
{
  g_assert (ADW_IS_MESSAGE_DIALOG (dialog));

  if (question->answered)
    return;
  if (g_str_equal (response, "connect"))
    {
      const char *password = gtk_editable_get_text (GTK_EDITABLE (question->entry));
      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (question->remember)))
        {
          g_autofree char *server = server_name (question->host, question->port);
          g_autofree char *label =
              g_strdup_printf (_ ("Tessera: database “%s” on %s, user “%s”"), question->dbname, server, question->user);
          secret_password_store (database_schema (), SECRET_COLLECTION_DEFAULT, label, password, NULL,
                                 credentials_store_done_cb, NULL, "host", question->host, "port", question->port,
                                 "dbname", question->dbname, "user", question->user, NULL);
        }
      answer (question, password);
    }
  else
    answer (question, NULL);
}

/* A dialog closed some other way (its window went) answers nothing. */
static void
credentials_dialog_destroy_cb (GtkWidget *dialog, Question *question)
{
  if (!question->answered)
    answer (question, NULL);
}

static GtkWindow *
find_parent (void)
{
  GApplication *app = g_application_get_default ();
  GtkWindow *parent = GTK_IS_APPLICATION (app) ? gtk_application_get_active_window (GTK_APPLICATION (app)) : NULL;
  g_autoptr (GListModel) toplevels = NULL;

  if (parent)
    return parent;
  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (TESS_IS_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
ask_on_main_thread (gpointer data)
{
  Question *question = data;
  g_autofree char *server = server_name (question->host, question->port);
  g_autofree char *body = NULL;
  GtkWidget *box;
  AdwMessageDialog *dialog;

  if (question->refused)
    body = g_strdup_printf (_ ("The database “%s” on %s refused the password of user “%s”. Type it again:"),
                            question->dbname, server, question->user);
  else
    body = g_strdup_printf (_ ("The database “%s” on %s wants the password of user “%s”."), question->dbname, server,
                            question->user);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (find_parent (), _ ("Database Password"), body));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  /* a GtkEntry, not a GtkPasswordEntry: GTK 4.8's leaves a handler behind
   * that crashes when its dialog closes with the focus in it */
  question->entry = gtk_entry_new ();
  gtk_widget_set_name (question->entry, "password");
  gtk_entry_set_visibility (GTK_ENTRY (question->entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (question->entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_activates_default (GTK_ENTRY (question->entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (question->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Password"), -1);
  question->remember = gtk_check_button_new_with_mnemonic (_ ("_Remember it in the keyring"));
  gtk_widget_set_name (question->remember, "remember");
  gtk_box_append (GTK_BOX (box), question->entry);
  gtk_box_append (GTK_BOX (box), question->remember);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "connect", _ ("C_onnect"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "connect");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (credentials_dialog_response_cb), question);
  g_signal_connect_data (dialog, "destroy", G_CALLBACK (credentials_dialog_destroy_cb), question,
                         (GClosureNotify) question_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (question->entry);
  return G_SOURCE_REMOVE;
}

/* The password function. Runs on a worker thread. */

static void
wake_waiters (GCancellable *cancellable, gpointer data)
{
  g_mutex_lock (&lock);
  g_cond_broadcast (&answered);
  g_mutex_unlock (&lock);
}

/* The login's password given in this process, or NULL. Lock held. */
static char *
known_password_locked (Login *login, const char *key, gboolean refused)
{
  Given *given = g_private_get (&last_given);

  /* the server refused what this thread was given: forget it, if it is
   * still the one to give (another thread may have a newer one) */
  if (refused && given && g_str_equal (given->key, key) && g_strcmp0 (given->password, login->password) == 0 &&
      login->password)
    {
      if (login->from_keyring)
        login->keyring_refused = TRUE;
      g_clear_pointer (&login->password, wipe);
    }
  return g_strdup (login->password);
}

static char *
credentials_password_cb (const TessSqlPasswordRequest *request,
                         GCancellable *cancellable,
                         gpointer user_data,
                         GError **error)
{
  g_autofree char *key = login_key (request->host, request->port, request->dbname, request->user);
  g_autofree char *server = server_name (request->host, request->port);
  g_autoptr (GError) keyring_error = NULL;
  Login *login;
  char *password;
  gboolean keyring_refused;
  gulong handler = 0;
  guint answers;

  g_assert (!g_main_context_is_owner (g_main_context_default ()));

  g_mutex_lock (&lock);
  if (logins == NULL)
    logins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, login_free);
  if ((login = g_hash_table_lookup (logins, key)) == NULL)
    {
      login = g_new0 (Login, 1);
      g_hash_table_insert (logins, g_strdup (key), login);
    }
  password = known_password_locked (login, key, request->refused);
  keyring_refused = login->keyring_refused;
  g_mutex_unlock (&lock);
  if (password)
    {
      remember_given (key, password);
      return password;
    }

  /* the keyring (only this worker waits for it) */
  if (!keyring_refused)
    {
      char *found =
          secret_password_lookup_sync (database_schema (), cancellable, &keyring_error, "host", request->host, "port",
                                       request->port, "dbname", request->dbname, "user", request->user, NULL);
      if (found)
        {
          password = g_strdup (found);
          secret_password_free (found);
          g_mutex_lock (&lock);
          if (login->password == NULL)
            {
              login->password = g_strdup (password);
              login->from_keyring = TRUE;
            }
          g_mutex_unlock (&lock);
          remember_given (key, password);
          return password;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The query was cancelled");
          return NULL;
        }
      if (keyring_error)
        g_debug ("No keyring for database passwords: %s", keyring_error->message);
    }

  if (!g_atomic_int_get (&may_ask))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "The database “%s” on %s wants the password of user “%s”, and %s: open the dashboard in "
                   "the window once and let Tessera remember the password in the keyring, put it in a password file "
                   "(PGPASSFILE or ~/.pgpass) or a service file (service=NAME), or give it as \"password\": "
                   "\"${env:NAME}\" in a local document",
                   request->dbname, server, request->user,
                   keyring_refused ? "the keyring's was refused" : "this run cannot ask for it");
      return NULL;
    }

  /* the window asks, once for every worker that waits */
  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_waiters), NULL, NULL);
  g_mutex_lock (&lock);
  answers = login->answers;
  if (!login->asking && login->password == NULL)
    {
      Question *question = g_new0 (Question, 1);
      question->key = g_strdup (key);
      question->host = g_strdup (request->host ? request->host : "");
      question->port = g_strdup (request->port ? request->port : "");
      question->dbname = g_strdup (request->dbname ? request->dbname : "");
      question->user = g_strdup (request->user ? request->user : "");
      question->refused = request->refused;
      login->asking = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT, ask_on_main_thread, question, NULL);
    }
  while (login->answers == answers && login->password == NULL && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&answered, &lock);
  password = g_strdup (login->password);
  g_mutex_unlock (&lock);
  if (handler)
    g_cancellable_disconnect (cancellable, handler);

  if (password)
    {
      remember_given (key, password);
      return password;
    }
  if (g_cancellable_is_cancelled (cancellable))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The query was cancelled");
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                 "No password was given for user “%s” of the database “%s” on %s: reload to be asked again",
                 request->user, request->dbname, server);
  return NULL;
}

void
tess_credentials_install (gboolean ask)
{
  g_atomic_int_set (&may_ask, ask);
  tess_sql_set_password_func (credentials_password_cb, NULL);
}
