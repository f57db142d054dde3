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

/**
 * tess_trust_new:
 * @document_uri: (nullable):
 *
 * The trust of a dashboard read from @document_uri: restricted when it is an
 * http:// or https:// URI, unrestricted otherwise (NULL included).
 *
 * Returns: (transfer full):
 */
TessTrust *tess_trust_new (const char *document_uri);
/**
 * tess_trust_get_restricted:
 *
 * Whether the dashboard is somebody else's (read from the network), and so
 * restricted.
 */
gboolean tess_trust_get_restricted (TessTrust *self);
/**
 * tess_trust_get_host:
 *
 * The dashboard's own host (NULL when unrestricted).
 *
 * Returns: (nullable):
 */
const char *tess_trust_get_host (TessTrust *self);
/**
 * tess_trust_get_document_uri:
 *
 * Where the dashboard was read from, as given to tess_trust_new().
 */
const char *tess_trust_get_document_uri (TessTrust *self);

/**
 * tess_trust_allow_host:
 *
 * Allows loads from @host (any port, http or https), and the loopback and
 * private addresses it resolves to. Emits "changed".
 */
void tess_trust_allow_host (TessTrust *self, const char *host);
/**
 * tess_trust_dup_allowed_hosts:
 *
 * The hosts allowed so far, sorted.
 *
 * Returns: (transfer full) (array zero-terminated=1):
 */
char **tess_trust_dup_allowed_hosts (TessTrust *self);
/**
 * tess_trust_dup_blocked_hosts:
 *
 * The hosts refused so far that are still not allowed, in the order first
 * refused.
 *
 * Returns: (transfer full) (array zero-terminated=1):
 */
char **tess_trust_dup_blocked_hosts (TessTrust *self);

/**
 * tess_trust_check_uri:
 *
 * Whether @uri may be loaded. A refusal fails with TESS_TRUST_ERROR, says why
 * and what to do, and emits "blocked" when the user could allow it.
 */
gboolean tess_trust_check_uri (TessTrust *self, const char *uri, GError **error);
/**
 * tess_trust_check_address:
 *
 * Whether a connection for @uri may go to @address (after name resolution).
 */
gboolean tess_trust_check_address (TessTrust *self, const char *uri, GInetAddress *address, GError **error);
/**
 * tess_trust_address_is_private:
 *
 * TRUE when @address is loopback, link-local or in a private range.
 */
gboolean tess_trust_address_is_private (GInetAddress *address);

/**
 * tess_trust_dup_key:
 *
 * A string that differs between trusts that could decide differently; ""
 * when unrestricted. For cache keys.
 *
 * Returns: (transfer full):
 */
char *tess_trust_dup_key (TessTrust *self);

G_END_DECLS
