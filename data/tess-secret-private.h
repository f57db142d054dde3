/* tess-secret-private.h: values that hold secrets (tess-secret.c). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Replaces each ${env:NAME} in @value; the result holds secrets (wipe it).
 * @what names the value in errors ("The database password", "A request
 * header"). */
char *tess_secret_expand_env (const char *value, const char *what, GError **error);
/* Overwrites @secret, then frees it; NULL is fine. */
void tess_secret_wipe (char *secret);

G_END_DECLS
