/* tess-trust-banner.h: the bar that asks before a dashboard from the network
 * loads from other hosts.
 *
 * Follows a TessTrust: whenever a load is refused because the user has not
 * allowed its host, the bar names every such host and offers to allow them.
 * Allowing emits "allowed" with the hosts, after adding them to the trust; the
 * window remembers them and runs the dashboard again. Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-trust.h"

G_BEGIN_DECLS

#define TESS_TYPE_TRUST_BANNER (tess_trust_banner_get_type ())
G_DECLARE_FINAL_TYPE (TessTrustBanner, tess_trust_banner, TESS, TRUST_BANNER, GtkWidget)

GtkWidget *tess_trust_banner_new (void);
/* Follows @trust (NULL: nothing; the bar hides). */
void tess_trust_banner_set_trust (TessTrustBanner *self, TessTrust *trust);
gboolean tess_trust_banner_get_revealed (TessTrustBanner *self);
const char *tess_trust_banner_get_text (TessTrustBanner *self);
/* As the Allow button. */
void tess_trust_banner_allow (TessTrustBanner *self);

G_END_DECLS
