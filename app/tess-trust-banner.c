/* tess-trust-banner.c: see tess-trust-banner.h.
 *
 * The trust reports refusals on the thread that loaded, usually a worker; the
 * handler holds only a weak reference to the bar and hands the news to the
 * main thread, where the bar reads the refused hosts afresh.
 */
#include "tess-trust-banner.h"
#include "tess-banner-private.h"
#include "tess-thread-private.h"

#include <glib/gi18n.h>

struct _TessTrustBanner
{
  GtkWidget parent_instance;

  GtkWidget *revealer;
  GtkWidget *label;
  TessTrust *trust;
  gulong blocked_handler;
};

enum
{
  SIGNAL_ALLOWED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TessTrustBanner, tess_trust_banner, GTK_TYPE_WIDGET)

static const char *banner_css = "tess-trust-banner > revealer > box {"
                                "  background-color: alpha(@warning_color, 0.16);"
                                "  border-bottom: 1px solid alpha(@warning_color, 0.45);"
                                "  padding: 8px 12px;"
                                "}";

static void
refresh (TessTrustBanner *self)
{
  g_auto (GStrv) hosts = self->trust ? tess_trust_dup_blocked_hosts (self->trust) : NULL;
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;

  if (hosts == NULL || hosts[0] == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->label), "");
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), FALSE);
      return;
    }
  list = g_strjoinv (", ", hosts);
  /* Translators: the first %s is the host a dashboard was opened from, the second a list of other hosts */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "This dashboard from %s wants data from another site: %s. Allow it only if "
                                       "you trust the dashboard.",
                                       "This dashboard from %s wants data from other sites: %s. Allow them only if "
                                       "you trust the dashboard.",
                                       g_strv_length (hosts)),
                          tess_trust_get_host (self->trust), list);
  gtk_label_set_text (GTK_LABEL (self->label), text);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), TRUE);
}

static gboolean
refresh_on_main_thread (gpointer data)
{
  g_autoptr (TessTrustBanner) self = g_weak_ref_get (data);

  if (self)
    refresh (self);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_release (gpointer data)
{
  g_rc_box_release_full (data, (GDestroyNotify) g_weak_ref_clear);
}

static void
weak_ref_closure_notify (gpointer data, GClosure *closure)
{
  weak_ref_release (data);
}

/* Runs on the thread whose load was refused. */
static void
tess_trust_banner_blocked_cb (TessTrust *trust, const char *host, gpointer data)
{
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, refresh_on_main_thread, g_rc_box_acquire (data),
                              weak_ref_release);
}

void
tess_trust_banner_allow (TessTrustBanner *self)
{
  g_auto (GStrv) hosts = NULL;

  g_return_if_fail (TESS_IS_TRUST_BANNER (self));
  TESS_ASSERT_MAIN_THREAD ();

  if (self->trust == NULL)
    return;
  hosts = tess_trust_dup_blocked_hosts (self->trust);
  for (guint i = 0; hosts[i]; i++)
    tess_trust_allow_host (self->trust, hosts[i]);
  refresh (self);
  if (hosts[0])
    g_signal_emit (self, signals[SIGNAL_ALLOWED], 0, hosts);
}

static void
tess_trust_banner_allow_clicked_cb (GtkButton *button, TessTrustBanner *self)
{
  g_assert (GTK_IS_BUTTON (button));
  g_assert (TESS_IS_TRUST_BANNER (self));

  tess_trust_banner_allow (self);
}

static void
tess_trust_banner_dispose (GObject *object)
{
  TessTrustBanner *self = (TessTrustBanner *) object;

  tess_trust_banner_set_trust (self, NULL);
  g_clear_pointer (&self->revealer, gtk_widget_unparent);

  G_OBJECT_CLASS (tess_trust_banner_parent_class)->dispose (object);
}

static void
tess_trust_banner_class_init (TessTrustBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_trust_banner_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tess-trust-banner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);

  /* The user allowed these hosts (a NULL-terminated array). */
  signals[SIGNAL_ALLOWED] = g_signal_new ("allowed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
tess_trust_banner_init (TessTrustBanner *self)
{
  GtkWidget *allow;

  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  allow = gtk_button_new_with_mnemonic (_ ("_Allow"));
  gtk_widget_set_tooltip_text (allow, _ ("Let this dashboard load from these sites, now and next time"));
  g_signal_connect (allow, "clicked", G_CALLBACK (tess_trust_banner_allow_clicked_cb), self);
  self->revealer = tess_banner_build (GTK_WIDGET (self), banner_css, "security-medium-symbolic", GTK_ALIGN_CENTER,
                                      self->label, allow);
}

GtkWidget *
tess_trust_banner_new (void)
{
  return g_object_new (TESS_TYPE_TRUST_BANNER, NULL);
}

void
tess_trust_banner_set_trust (TessTrustBanner *self, TessTrust *trust)
{
  g_return_if_fail (TESS_IS_TRUST_BANNER (self));
  g_return_if_fail (trust == NULL || TESS_IS_TRUST (trust));
  TESS_ASSERT_MAIN_THREAD ();

  if (self->trust == trust)
    return;
  if (self->trust)
    g_clear_signal_handler (&self->blocked_handler, self->trust);
  g_set_object (&self->trust, trust);
  if (trust)
    {
      GWeakRef *weak = g_rc_box_new0 (GWeakRef);
      g_weak_ref_init (weak, self);
      self->blocked_handler = g_signal_connect_data (trust, "blocked", G_CALLBACK (tess_trust_banner_blocked_cb), weak,
                                                     weak_ref_closure_notify, 0);
    }
  refresh (self);
}

gboolean
tess_trust_banner_get_revealed (TessTrustBanner *self)
{
  g_return_val_if_fail (TESS_IS_TRUST_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer));
}

const char *
tess_trust_banner_get_text (TessTrustBanner *self)
{
  g_return_val_if_fail (TESS_IS_TRUST_BANNER (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->label));
}
