/* tess-settings.h: the app's settings, and the limits they set in the data layer.
 *
 * The settings live in GSettings when a schema is installed: the program's
 * own (a schema whose id is its app id, with the keys of
 * io.github.tessera.Tessera), or else Tessera's, which a program other than
 * Tessera keeps in a key file of its own, so two dashboard programs never
 * share a window size or the hosts a user allowed. Without either schema (an
 * uninstalled build, an SDK installed without Tessera's schema) the same
 * functions keep the values for this process only, so Preferences still
 * works for the session and nothing is remembered. Main thread only, all of it.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TESS_SETTINGS_SCHEMA_ID "io.github.tessera.Tessera"

/* Whose settings these are: tess_app_run() sets the program's app id before
 * anything reads them. Default: Tessera's. */
void tess_settings_set_app_id (const char *app_id);

/* The app's settings, one instance for the process, or NULL when no schema
 * is installed. transfer none */
GSettings *tess_settings_get_default (void);
/* A new instance of the same settings (a window's own), or NULL when no
 * schema is installed. transfer full */
GSettings *tess_settings_new (void);

/* Applies memory-limit and disk-cache-limit to the data layer now, and again
 * whenever they change. A non-zero @memory_limit_override (--memory-limit)
 * wins over the setting for the rest of the process; 0 lets the setting rule.
 * May be called again to change the override. */
void tess_settings_apply_limits (guint64 memory_limit_override);
/* The override given to tess_settings_apply_limits(), 0 when none. */
guint64 tess_settings_get_memory_limit_override (void);

/* The memory-limit setting in bytes; 0 means automatic (a quarter of
 * physical memory). Setting it applies it unless an override rules. */
guint64 tess_settings_get_memory_limit (void);
void tess_settings_set_memory_limit (guint64 bytes);

/* The disk-cache-limit setting in bytes; 0 keeps nothing. Setting it applies
 * it at once. */
guint64 tess_settings_get_disk_cache_limit (void);
void tess_settings_set_disk_cache_limit (guint64 bytes);

/* The allowed-hosts setting: for each dashboard opened from the network (by
 * its URL), the other hosts the user allowed it to load from. */
/* The document URLs that have allowed hosts, sorted. transfer full */
char **tess_settings_dup_allowed_documents (void);
/* The hosts allowed for @document_uri, sorted; empty when none. transfer full */
char **tess_settings_dup_allowed_hosts (const char *document_uri);
void tess_settings_allow_host (const char *document_uri, const char *host);
/* Forgets @host for @document_uri; forgetting its last host forgets the URL. */
void tess_settings_forget_host (const char *document_uri, const char *host);

G_END_DECLS
