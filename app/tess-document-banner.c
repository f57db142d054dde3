/* tess-document-banner.c: see tess-document-banner.h. */
#include "tess-document-banner.h"
#include "tess-banner-private.h"
#include "tess-thread-private.h"

#include <glib/gi18n.h>

struct _TessDocumentBanner
{
  GtkWidget parent_instance;

  GtkWidget *revealer;
  GtkWidget *problems_label;
  TessDocumentWatcher *watcher;
};

G_DEFINE_FINAL_TYPE (TessDocumentBanner, tess_document_banner, GTK_TYPE_WIDGET)

static const char *banner_css = "tess-document-banner > revealer > box {"
                                "  background-color: alpha(@error_color, 0.14);"
                                "  border-bottom: 1px solid alpha(@error_color, 0.4);"
                                "  padding: 8px 12px;"
                                "}"
                                "tess-document-banner label.problems { font-family: monospace; }";

static void
tess_document_banner_problems_notify_cb (TessDocumentWatcher *watcher, GParamSpec *pspec, TessDocumentBanner *self)
{
  g_assert (TESS_IS_DOCUMENT_WATCHER (watcher));
  g_assert (TESS_IS_DOCUMENT_BANNER (self));

  tess_document_banner_set_problems (self, tess_document_watcher_get_problems (watcher));
}

static void
tess_document_banner_reload_clicked_cb (GtkButton *button, TessDocumentBanner *self)
{
  g_assert (GTK_IS_BUTTON (button));
  g_assert (TESS_IS_DOCUMENT_BANNER (self));

  if (self->watcher)
    tess_document_watcher_reload (self->watcher);
}

static void
tess_document_banner_dispose (GObject *object)
{
  TessDocumentBanner *self = (TessDocumentBanner *) object;

  tess_document_banner_set_watcher (self, NULL);
  g_clear_pointer (&self->revealer, gtk_widget_unparent);

  G_OBJECT_CLASS (tess_document_banner_parent_class)->dispose (object);
}

static void
tess_document_banner_class_init (TessDocumentBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_document_banner_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tess-document-banner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
}

static void
tess_document_banner_init (TessDocumentBanner *self)
{
  GtkWidget *texts, *title, *reload;

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  title = gtk_label_new (_ ("The document has errors. The last version that worked is still shown."));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  self->problems_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->problems_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->problems_label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->problems_label), TRUE);
  gtk_widget_add_css_class (self->problems_label, "problems");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), self->problems_label);

  reload = gtk_button_new_with_mnemonic (_ ("_Try Again"));
  gtk_widget_set_tooltip_text (reload, _ ("Read the document again"));
  g_signal_connect (reload, "clicked", G_CALLBACK (tess_document_banner_reload_clicked_cb), self);
  self->revealer =
      tess_banner_build (GTK_WIDGET (self), banner_css, "dialog-warning-symbolic", GTK_ALIGN_START, texts, reload);
}

GtkWidget *
tess_document_banner_new (void)
{
  return g_object_new (TESS_TYPE_DOCUMENT_BANNER, NULL);
}

void
tess_document_banner_set_problems (TessDocumentBanner *self, const char *problems)
{
  g_return_if_fail (TESS_IS_DOCUMENT_BANNER (self));
  TESS_ASSERT_MAIN_THREAD ();

  gtk_label_set_text (GTK_LABEL (self->problems_label), problems ? problems : "");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), problems != NULL);
}

void
tess_document_banner_set_watcher (TessDocumentBanner *self, TessDocumentWatcher *watcher)
{
  g_return_if_fail (TESS_IS_DOCUMENT_BANNER (self));
  g_return_if_fail (watcher == NULL || TESS_IS_DOCUMENT_WATCHER (watcher));
  TESS_ASSERT_MAIN_THREAD ();

  if (self->watcher == watcher)
    return;
  if (self->watcher)
    g_signal_handlers_disconnect_by_data (self->watcher, self);
  g_set_object (&self->watcher, watcher);
  if (watcher)
    {
      g_signal_connect (watcher, "notify::problems", G_CALLBACK (tess_document_banner_problems_notify_cb), self);
      tess_document_banner_set_problems (self, tess_document_watcher_get_problems (watcher));
    }
}

gboolean
tess_document_banner_get_revealed (TessDocumentBanner *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer));
}

const char *
tess_document_banner_get_text (TessDocumentBanner *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT_BANNER (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->problems_label));
}
