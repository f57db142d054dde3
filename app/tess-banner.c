/* tess-banner.c: see tess-banner-private.h. */
#include "tess-banner-private.h"

#include <glib/gi18n.h>

static void
load_css_once (const char *css)
{
  static GHashTable *loaded; /* the CSS strings already loaded, by address */
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr (GtkCssProvider) provider = NULL;

  if (display == NULL)
    return;
  if (loaded == NULL)
    loaded = g_hash_table_new (NULL, NULL);
  if (!g_hash_table_add (loaded, (gpointer) css))
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
close_clicked_cb (GtkButton *button, GtkRevealer *revealer)
{
  g_assert (GTK_IS_BUTTON (button));
  g_assert (GTK_IS_REVEALER (revealer));

  gtk_revealer_set_reveal_child (revealer, FALSE);
}

GtkWidget *
tess_banner_build (
    GtkWidget *bar, const char *css, const char *icon_name, GtkAlign valign, GtkWidget *body, GtkWidget *action)
{
  GtkWidget *revealer, *box, *icon, *close;

  load_css_once (css);
  revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (revealer), GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (revealer, bar);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_set_valign (icon, valign);
  gtk_widget_set_hexpand (body, TRUE);
  gtk_widget_set_valign (action, valign);
  close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (close, valign);
  gtk_widget_add_css_class (close, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Hide"), -1);
  g_signal_connect (close, "clicked", G_CALLBACK (close_clicked_cb), revealer);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), body);
  gtk_box_append (GTK_BOX (box), action);
  gtk_box_append (GTK_BOX (box), close);
  gtk_revealer_set_child (GTK_REVEALER (revealer), box);
  return revealer;
}
