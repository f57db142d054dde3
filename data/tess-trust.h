/* tess-trust.h: what a dashboard may reach.
 *
 * A dashboard from the user's own machine (a path, file:// or resource://, or
 * a program) reaches anything. A dashboard opened from the network is
 * somebody else's: it reaches http:// and https:// only, by default only its
 * own origin (its host and port), and never local files. Other hosts, and
 * hosts on loopback or in a private network range when the dashboard's own
 * host is not, only once the user allows them by name. Every load checks the
 * final URI (after every substitution and every redirect) and the address it
 * connects to.
 *
 * Databases (postgresql://, tess-sql.h) are other services than the site: a
 * dashboard from the network reaches one only when the user has allowed each
 * of its hosts by name, its own host included; a database on this computer
 * (a Unix socket, or no host at all) counts as the host "localhost", as a
 * loopback address does. Keywords that read files or settings of this
 * computer (service=, passfile=, the ssl files, options=) are refused.
 * Every function here is thread-safe.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

#define TESS_TRUST_ERROR (tess_trust_error_quark ())

typedef enum
{
  TESS_TRUST_ERROR_FORBIDDEN,   /* never allowed: a local file, another scheme */
  TESS_TRUST_ERROR_NEEDS_ALLOW, /* allowed once the user allows the host */
} TessTrustError;

GQuark tess_trust_error_quark (void);

#define TESS_TYPE_TRUST (tess_trust_get_type ())
G_DECLARE_FINAL_TYPE (TessTrust, tess_trust, TESS, TRUST, GObject)

/* The trust of a dashboard read from @document_uri: restricted when it is an
 * http:// or https:// URI, unrestricted otherwise (NULL included). */
TessTrust *tess_trust_new (const char *document_uri);
gboolean tess_trust_get_restricted (TessTrust *self);
/* The dashboard's own host (NULL when unrestricted). */
const char *tess_trust_get_host (TessTrust *self);
/* Where the dashboard was read from, as given to tess_trust_new(). */
const char *tess_trust_get_document_uri (TessTrust *self);

/* Allows loads from @host (any port, http or https), and the loopback and
 * private addresses it resolves to. Emits "changed". */
void tess_trust_allow_host (TessTrust *self, const char *host);
/* The hosts allowed so far, sorted. */
char **tess_trust_dup_allowed_hosts (TessTrust *self);
/* The hosts refused so far that are still not allowed, in the order first
 * refused. */
char **tess_trust_dup_blocked_hosts (TessTrust *self);

/* Whether @uri may be loaded. A refusal fails with TESS_TRUST_ERROR, says why
 * and what to do, and emits "blocked" when the user could allow it. */
gboolean tess_trust_check_uri (TessTrust *self, const char *uri, GError **error);
/* Whether a connection for @uri may go to @address (after name resolution). */
gboolean tess_trust_check_address (TessTrust *self, const char *uri, GInetAddress *address, GError **error);
/* TRUE when @address is loopback, link-local or in a private range. */
gboolean tess_trust_address_is_private (GInetAddress *address);

/* A string that differs between trusts that could decide differently; ""
 * when unrestricted. For cache keys. */
char *tess_trust_dup_key (TessTrust *self);

G_END_DECLS
