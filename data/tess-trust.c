/* tess-trust.c: what a dashboard may reach (tess-trust.h).
 *
 * The rules need only the URI and, for the private-range rule, the address a
 * connection reached; the loaders call in at both points. The allowed and
 * refused hosts sit under one lock, since loads check from many threads.
 */
#include "tess-trust.h"

#include "tess-sql-private.h"

#include <string.h>

struct _TessTrust
{
  GObject parent_instance;

  char *document_uri;
  gboolean restricted;
  char *host; /* lower case, no trailing dot */
  int port;
  gboolean host_is_private;

  GMutex lock;
  GHashTable *allowed; /* host -> host */
  GPtrArray *blocked;  /* hosts, first refused first */
};

enum
{
  SIGNAL_BLOCKED,
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (tess-trust-error-quark, tess_trust_error);

G_DEFINE_FINAL_TYPE (TessTrust, tess_trust, G_TYPE_OBJECT)

static void
tess_trust_finalize (GObject *object)
{
  TessTrust *self = TESS_TRUST (object);

  g_free (self->document_uri);
  g_free (self->host);
  g_hash_table_unref (self->allowed);
  g_ptr_array_unref (self->blocked);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tess_trust_parent_class)->finalize (object);
}

static void
tess_trust_class_init (TessTrustClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tess_trust_finalize;

  /* A load was refused because the user has not allowed @host. Emitted on the
   * thread that checked, often a worker: handlers marshal to their own. */
  signals[SIGNAL_BLOCKED] = g_signal_new ("blocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The allowed hosts changed. Emitted on the thread that changed them. */
  signals[SIGNAL_CHANGED] =
      g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tess_trust_init (TessTrust *self)
{
  g_mutex_init (&self->lock);
  self->allowed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->blocked = g_ptr_array_new_with_free_func (g_free);
}

/* Hosts */

static char *
normalize_host (const char *host)
{
  char *lower = g_ascii_strdown (host, -1);
  gsize length = strlen (lower);

  if (length > 1 && lower[length - 1] == '.')
    lower[length - 1] = '\0';
  return lower;
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

gboolean
tess_trust_address_is_private (GInetAddress *address)
{
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);

  if (g_inet_address_get_is_loopback (address) || g_inet_address_get_is_link_local (address) ||
      g_inet_address_get_is_site_local (address) || g_inet_address_get_is_any (address))
    return TRUE;
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    {
      const guint8 *b = g_inet_address_to_bytes (address);
      /* 100.64.0.0/10, shared address space behind carrier NAT */
      return b[0] == 100 && (b[1] & 0xc0) == 64;
    }
  else
    {
      const guint8 *b = g_inet_address_to_bytes (address);
      /* fc00::/7, unique local addresses */
      if ((b[0] & 0xfe) == 0xfc)
        return TRUE;
      /* ::ffff:a.b.c.d, an IPv4 address written as IPv6 */
      static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
      if (memcmp (b, mapped, 12) == 0)
        {
          g_autoptr (GInetAddress) v4 = g_inet_address_new_from_bytes (b + 12, G_SOCKET_FAMILY_IPV4);
          return tess_trust_address_is_private (v4);
        }
    }
  return FALSE;
}

/* Whether @host names this computer or the local network by itself: a
 * private address literal, localhost, or an mDNS name. */
static gboolean
host_is_private (const char *host)
{
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (host);

  if (address)
    return tess_trust_address_is_private (address);
  return g_str_equal (host, "localhost") || g_str_has_suffix (host, ".localhost") || g_str_has_suffix (host, ".local");
}

TessTrust *
tess_trust_new (const char *document_uri)
{
  TessTrust *self = g_object_new (TESS_TYPE_TRUST, NULL);
  g_autoptr (GUri) uri = NULL;
  const char *scheme = document_uri ? g_uri_peek_scheme (document_uri) : NULL;

  self->document_uri = g_strdup (document_uri);
  if (scheme == NULL || (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https")))
    return self;
  self->restricted = TRUE;
  uri = g_uri_parse (document_uri, G_URI_FLAGS_ENCODED, NULL);
  /* A document whose address does not parse reaches nothing but itself. */
  self->host = normalize_host (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : "");
  self->port = uri ? effective_port (uri) : 0;
  self->host_is_private = host_is_private (self->host);
  return self;
}

gboolean
tess_trust_get_restricted (TessTrust *self)
{
  g_return_val_if_fail (TESS_IS_TRUST (self), FALSE);
  return self->restricted;
}

const char *
tess_trust_get_host (TessTrust *self)
{
  g_return_val_if_fail (TESS_IS_TRUST (self), NULL);
  return self->host;
}

const char *
tess_trust_get_document_uri (TessTrust *self)
{
  g_return_val_if_fail (TESS_IS_TRUST (self), NULL);
  return self->document_uri;
}

void
tess_trust_allow_host (TessTrust *self, const char *host)
{
  g_autofree char *normal = NULL;
  gboolean added;

  g_return_if_fail (TESS_IS_TRUST (self));
  g_return_if_fail (host != NULL);

  normal = normalize_host (host);
  if (*normal == '\0')
    return;
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->blocked->len; i++)
    if (g_str_equal (g_ptr_array_index (self->blocked, i), normal))
      g_ptr_array_remove_index (self->blocked, i--);
  added = g_hash_table_add (self->allowed, g_steal_pointer (&normal));
  g_mutex_unlock (&self->lock);
  if (added)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char **
tess_trust_dup_allowed_hosts (TessTrust *self)
{
  char **hosts;

  g_return_val_if_fail (TESS_IS_TRUST (self), NULL);

  g_mutex_lock (&self->lock);
  hosts = (char **) g_hash_table_get_keys_as_array (self->allowed, NULL);
  for (guint i = 0; hosts[i]; i++)
    hosts[i] = g_strdup (hosts[i]);
  g_mutex_unlock (&self->lock);
  qsort (hosts, g_strv_length (hosts), sizeof (char *), compare_strings);
  return hosts;
}

char **
tess_trust_dup_blocked_hosts (TessTrust *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **hosts;

  g_return_val_if_fail (TESS_IS_TRUST (self), NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->blocked->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->blocked, i));
  g_mutex_unlock (&self->lock);
  hosts = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return hosts;
}

static gboolean
is_allowed (TessTrust *self, const char *host)
{
  gboolean allowed;

  g_mutex_lock (&self->lock);
  allowed = g_hash_table_contains (self->allowed, host);
  g_mutex_unlock (&self->lock);
  return allowed;
}

/* Records @host as refused and fails; the user may allow it. */
static gboolean refuse_host (TessTrust *self, const char *host, GError **error, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

static gboolean
refuse_host (TessTrust *self, const char *host, GError **error, const char *format, ...)
{
  g_autofree char *why = NULL;
  gboolean first = TRUE;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TESS_TRUST_ERROR, TESS_TRUST_ERROR_NEEDS_ALLOW,
               "%s; allow %s in the bar above the dashboard, or start Tessera with --allow-origin=%s", why, host, host);
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->blocked->len && first; i++)
    first = !g_str_equal (g_ptr_array_index (self->blocked, i), host);
  if (first)
    g_ptr_array_add (self->blocked, g_strdup (host));
  g_mutex_unlock (&self->lock);
  g_signal_emit (self, signals[SIGNAL_BLOCKED], 0, host);
  return FALSE;
}

/* A database reaches its hosts: each must be allowed by name, the
 * dashboard's own host included (a database is another service than the
 * site), and "localhost" for a Unix socket. Nothing that reads files or
 * settings of this computer. */
static gboolean
check_database_uri (TessTrust *self, const char *uri, GError **error)
{
  g_auto (GStrv) hosts = NULL;
  g_autofree char *local_keyword = NULL;

  if (!tess_sql_uri_get_reach (uri, &hosts, &local_keyword, error))
    return FALSE;
  if (local_keyword)
    {
      g_set_error (error, TESS_TRUST_ERROR, TESS_TRUST_ERROR_FORBIDDEN,
                   "A database address with %s= cannot be used by a dashboard opened from the network (%s): it "
                   "names files or settings of this computer",
                   local_keyword, self->host);
      return FALSE;
    }
  for (guint i = 0; hosts[i]; i++)
    {
      g_autofree char *host = normalize_host (hosts[i]);

      if (is_allowed (self, host))
        continue;
      if (g_str_equal (host, "localhost"))
        return refuse_host (self, host, error,
                            "This dashboard comes from %s and wants a database on this computer (localhost)",
                            self->host);
      return refuse_host (self, host, error, "This dashboard comes from %s and wants the database on %s", self->host,
                          host);
    }
  return TRUE;
}

gboolean
tess_trust_check_uri (TessTrust *self, const char *uri, GError **error)
{
  g_autoptr (GUri) parsed = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (TESS_IS_TRUST (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  if (!self->restricted)
    return TRUE;
  scheme = g_uri_parse_scheme (uri);
  if (scheme == NULL || g_ascii_strcasecmp (scheme, "file") == 0)
    {
      g_set_error (error, TESS_TRUST_ERROR, TESS_TRUST_ERROR_FORBIDDEN,
                   "“%s” is a file on this computer: a dashboard opened from the network (%s) cannot read local files",
                   uri, self->host);
      return FALSE;
    }
  if (tess_sql_uri_is_database (uri))
    return check_database_uri (self, uri, error);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, TESS_TRUST_ERROR, TESS_TRUST_ERROR_FORBIDDEN,
                   "“%s” cannot be loaded: a dashboard opened from the network (%s) loads only http:// and https:// "
                   "addresses",
                   uri, self->host);
      return FALSE;
    }
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    {
      g_set_error (error, TESS_TRUST_ERROR, TESS_TRUST_ERROR_FORBIDDEN, "“%s” is not a valid URL", uri);
      return FALSE;
    }
  host = normalize_host (g_uri_get_host (parsed));
  if (g_str_equal (host, self->host) && effective_port (parsed) == self->port)
    return TRUE;
  if (is_allowed (self, host))
    return TRUE;
  return refuse_host (self, host, error, "This dashboard comes from %s and wants data from %s, another site",
                      self->host, host);
}

gboolean
tess_trust_check_address (TessTrust *self, const char *uri, GInetAddress *address, GError **error)
{
  g_autoptr (GUri) parsed = NULL;
  g_autofree char *host = NULL;
  g_autofree char *where = NULL;

  g_return_val_if_fail (TESS_IS_TRUST (self), FALSE);
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);

  if (!self->restricted || self->host_is_private || !tess_trust_address_is_private (address))
    return TRUE;
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  host = normalize_host (parsed && g_uri_get_host (parsed) ? g_uri_get_host (parsed) : uri);
  if (is_allowed (self, host))
    return TRUE;
  where = g_inet_address_to_string (address);
  return refuse_host (self, host, error,
                      "%s is at %s, on this computer or its local network, and this dashboard comes from %s on the "
                      "internet",
                      host, where, self->host);
}

char *
tess_trust_dup_key (TessTrust *self)
{
  g_auto (GStrv) allowed = NULL;
  g_autofree char *joined = NULL;

  g_return_val_if_fail (TESS_IS_TRUST (self), NULL);

  if (!self->restricted)
    return g_strdup ("");
  allowed = tess_trust_dup_allowed_hosts (self);
  joined = g_strjoinv (",", allowed);
  return g_strdup_printf ("%s:%d|%s", self->host, self->port, joined);
}
