/* tess-credentials.h: passwords for databases, from the keyring or the user.
 *
 * A database whose server wants a password that neither libpq's files
 * (PGPASSFILE, ~/.pgpass, a service file) nor the document (${env:NAME})
 * give asks the function this installs (tess_sql_set_password_func()). It
 * gives a password already given in this process for the same server,
 * database and user, else the desktop keyring's (the Secret Service, through
 * libsecret), else, in the window, asks the user once: a dialog names the
 * server, the database and the user, and offers to remember the password in
 * the keyring. Runs that must not ask (headless, --check, --describe) fail
 * instead, saying how to give one. Only the worker that connects waits;
 * however many connect at once, one dialog asks.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Installs the password function; with @may_ask the window asks the user
 * when the keyring has no password. Main thread only. */
void tess_credentials_install (gboolean may_ask);

/* Forgets the passwords given in this process. Any thread. */
void tess_credentials_forget (void);

/* Whether a Secret Service is on the session bus (or can be started
 * there): whether a password can be remembered. Blocks briefly. Any thread. */
gboolean tess_credentials_keyring_available (void);

/* The keyring's password for a login, or NULL; removes it with @remove. For
 * tests. Blocks. Any thread. */
char *
tess_credentials_lookup (const char *host, const char *port, const char *dbname, const char *user, gboolean remove);

G_END_DECLS
