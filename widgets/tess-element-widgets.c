/* tess-element-widgets.c: constructors and updates for output and layout elements.
 *
 * Compound widgets keep their parts as object data ("label", "value", "delta",
 * ...) so an update changes a label's text in place instead of rebuilding the
 * widget: a widget that does not change is never replaced.
 */
#include "tess-element-widgets.h"
#include "tess-thread-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tess-chart.h"
#include "tess-columns.h"
#include "tess-format-private.h"
#include "tess-json-view.h"
#include "tess-markdown-view.h"
#include "tess-spinner.h"
#include "tess-table-view.h"

static void
set_part (GtkWidget *widget, const char *part, GtkWidget *child)
{
  g_object_set_data (G_OBJECT (widget), part, child);
}

GtkWidget *
tess_element_widget_get_part (GtkWidget *widget, const char *part)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (part != NULL, NULL);

  return g_object_get_data (G_OBJECT (widget), part);
}

static GtkWidget *
new_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_can_focus (label, FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
label_set_text (GtkWidget *label, const char *text)
{
  if (text == NULL)
    text = "";
  if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), text) != 0)
    gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_visible (label, *text != '\0');
}

static void
tess_element_widget_code_copy_clicked_cb (GtkButton *button, GtkWidget *label)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (button));

  g_assert (GTK_IS_BUTTON (button));
  g_assert (GTK_IS_LABEL (label));

  gdk_clipboard_set_text (clipboard, gtk_label_get_text (GTK_LABEL (label)));
  gtk_button_set_icon_name (button, "object-select-symbolic");
}

static GtkWidget *
code_new (void)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *label = new_label ("monospace");
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_widget_add_css_class (label, "tess-code-text");
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), scroller);
  gtk_widget_set_halign (copy, GTK_ALIGN_END);
  gtk_widget_set_valign (copy, GTK_ALIGN_START);
  gtk_widget_set_margin_top (copy, 6);
  gtk_widget_set_margin_end (copy, 6);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_set_tooltip_text (copy, _ ("Copy"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Copy code"), -1);
  g_signal_connect (copy, "clicked", G_CALLBACK (tess_element_widget_code_copy_clicked_cb), label);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), copy);
  gtk_widget_add_css_class (overlay, "card");
  gtk_widget_add_css_class (overlay, "tess-code");
  set_part (overlay, "label", label);
  set_part (overlay, "copy", copy);
  return overlay;
}

static GtkWidget *
metric_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = new_label ("caption-heading");
  GtkWidget *value = new_label ("title-1");
  GtkWidget *delta = new_label ("tess-metric-delta");

  gtk_widget_add_css_class (label, "tess-dim");
  gtk_widget_add_css_class (value, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), delta);
  gtk_widget_add_css_class (box, "tess-metric");
  set_part (box, "label", label);
  set_part (box, "value", value);
  set_part (box, "delta", delta);
  return box;
}

/* A metric's value as it reads best: a plain number ("7601676",
 * "4.4e+07", as a program or a document writes it) in the shared format,
 * grouped from 10,000 and compact from a million ("7.6M"), with the whole
 * value in *@full_out for the tooltip (NULL when shown in full); any other
 * text ("34 207", "3.1%", a year) as it is. transfer full */
char *
tess_metric_display_text (const char *value, char **full_out)
{
  const char *p = value;
  char *end;
  double v;

  *full_out = NULL;
  if (value == NULL)
    return NULL;
  while (g_ascii_isspace (*p))
    p++;
  if (*p == '\0' || strspn (p, "+-0123456789.eE") != strlen (p))
    return g_strdup (value);
  v = g_ascii_strtod (p, &end);
  if (end == p || *end != '\0' || !isfinite (v))
    return g_strdup (value);
  if (fabs (v) >= 1e6)
    {
      *full_out = tess_format_readable (v, NULL);
      return tess_format_compact (v, NULL);
    }
  if (fabs (v) >= 1e4 || strpbrk (p, "eE") != NULL)
    return tess_format_readable (v, NULL);
  return g_strdup (value);
}

static void
metric_update (GtkWidget *box, TessElement *element)
{
  GtkWidget *delta = tess_element_widget_get_part (box, "delta");
  const char *delta_text = tess_element_get_string (element, "delta");
  gboolean inverse = tess_element_get_boolean (element, "delta-inverse", FALSE);
  gboolean down = FALSE, flat = TRUE;

  label_set_text (tess_element_widget_get_part (box, "label"), tess_element_get_string (element, "label"));
  {
    GtkWidget *value = tess_element_widget_get_part (box, "value");
    g_autofree char *full = NULL;
    g_autofree char *shown = tess_metric_display_text (tess_element_get_string (element, "value"), &full);

    label_set_text (value, shown);
    gtk_widget_set_tooltip_text (value, full);
  }

  gtk_widget_remove_css_class (delta, "success");
  gtk_widget_remove_css_class (delta, "error");
  if (delta_text != NULL && *delta_text != '\0')
    {
      const char *p = delta_text;
      g_autofree char *text = NULL;

      while (g_ascii_isspace (*p))
        p++;
      const char *number;
      char *end;
      double magnitude;

      down = *p == '-' || g_str_has_prefix (p, "−");
      number = down ? (*p == '-' ? p + 1 : p + strlen ("−")) : (*p == '+' ? p + 1 : p);
      magnitude = g_ascii_strtod (number, &end);
      flat = end != number && magnitude == 0;
      text = g_strdup_printf ("%s %s", flat ? "●" : down ? "▼" : "▲", delta_text);
      label_set_text (delta, text);
      if (!flat)
        gtk_widget_add_css_class (delta, (down != inverse) ? "error" : "success");
    }
  else
    label_set_text (delta, NULL);
}

static GtkWidget *
progress_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = new_label (NULL);
  GtkWidget *bar = gtk_progress_bar_new ();

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), bar);
  set_part (box, "label", label);
  set_part (box, "bar", bar);
  return box;
}

static GtkWidget *
status_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *spinner = tess_spinner_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = new_label (NULL);

  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "tess-status");
  set_part (box, "spinner", spinner);
  set_part (box, "icon", icon);
  set_part (box, "label", label);
  return box;
}

static void
status_update (GtkWidget *box, TessElement *element)
{
  const char *state = tess_element_get_string (element, "state");
  GtkWidget *spinner = tess_element_widget_get_part (box, "spinner");
  GtkWidget *icon = tess_element_widget_get_part (box, "icon");
  gboolean running = state == NULL || g_str_equal (state, "running");

  label_set_text (tess_element_widget_get_part (box, "label"), tess_element_get_string (element, "text"));
  tess_spinner_set_spinning (TESS_SPINNER (spinner), running);
  gtk_widget_set_visible (spinner, running);
  gtk_widget_set_visible (icon, !running);
  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");
  if (!running)
    {
      gboolean error = g_str_equal (state, "error");
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), error ? "dialog-error-symbolic" : "object-select-symbolic");
      gtk_widget_add_css_class (icon, error ? "error" : "success");
    }
}

static const char *
callout_icon (const char *kind)
{
  if (g_strcmp0 (kind, "error") == 0)
    return "dialog-error-symbolic";
  if (g_strcmp0 (kind, "warning") == 0)
    return "dialog-warning-symbolic";
  if (g_strcmp0 (kind, "success") == 0)
    return "object-select-symbolic";
  return "dialog-information-symbolic";
}

static GtkWidget *
callout_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = new_label (NULL);
  GtkWidget *details = gtk_expander_new (_ ("Details"));
  GtkWidget *details_label = new_label ("monospace");

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_hexpand (column, TRUE);
  gtk_expander_set_child (GTK_EXPANDER (details), details_label);
  gtk_box_append (GTK_BOX (column), label);
  gtk_box_append (GTK_BOX (column), details);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), column);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "tess-callout");
  set_part (box, "icon", icon);
  set_part (box, "label", label);
  set_part (box, "details", details);
  set_part (box, "details-label", details_label);
  return box;
}

static void
callout_update (GtkWidget *box, TessElement *element)
{
  static const char *kinds[] = { "error", "warning", "info", "success" };
  const char *kind = tess_element_get_string (element, "kind");
  const char *details = tess_element_get_string (element, "details");

  if (kind == NULL)
    kind = "info";
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *css = g_strconcat ("tess-callout-", kinds[i], NULL);
      if (g_str_equal (kinds[i], kind))
        gtk_widget_add_css_class (box, css);
      else
        gtk_widget_remove_css_class (box, css);
    }
  gtk_image_set_from_icon_name (GTK_IMAGE (tess_element_widget_get_part (box, "icon")), callout_icon (kind));
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, kind, -1);
  label_set_text (tess_element_widget_get_part (box, "label"), tess_element_get_string (element, "text"));
  label_set_text (tess_element_widget_get_part (box, "details-label"), details);
  gtk_widget_set_visible (tess_element_widget_get_part (box, "details"), details != NULL && *details != '\0');
}

/* Images are read and decoded on a worker; a result is dropped unless the
 * image still asks for the same source when it arrives. */
typedef struct
{
  GtkWidget *picture; /* weak */
  guint generation;
} ImageLoad;

static void
image_load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *uri = task_data;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  GdkTexture *texture;

  if (g_str_has_prefix (uri, "resource://"))
    bytes = g_resources_lookup_data (uri + strlen ("resource://"), 0, &error);
  else
    {
      file = strstr (uri, "://") != NULL ? g_file_new_for_uri (uri) : g_file_new_for_path (uri);
      bytes = g_file_load_bytes (file, cancellable, NULL, &error);
    }
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
tess_element_widget_image_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ImageLoad *load = user_data;
  g_autoptr (GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), NULL);

  g_assert (G_IS_TASK (result));

  if (load->picture != NULL &&
      GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (load->picture), "tess-generation")) == load->generation)
    {
      gtk_picture_set_paintable (GTK_PICTURE (load->picture), GDK_PAINTABLE (texture));
      gtk_widget_set_visible (load->picture, texture != NULL);
    }
  if (load->picture != NULL)
    g_object_remove_weak_pointer (G_OBJECT (load->picture), (gpointer *) &load->picture);
  g_free (load);
}

static GtkWidget *
image_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *caption = new_label ("caption");

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_halign (picture, GTK_ALIGN_START);
  gtk_widget_add_css_class (caption, "tess-dim");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), caption);
  set_part (box, "picture", picture);
  set_part (box, "caption", caption);
  return box;
}

static void
image_update (GtkWidget *box, TessElement *element)
{
  GtkWidget *picture = tess_element_widget_get_part (box, "picture");
  const char *uri = tess_element_get_string (element, "uri");
  g_autoptr (GVariant) bytes_v = tess_element_lookup (element, "bytes", G_VARIANT_TYPE_BYTESTRING);
  int width = (int) tess_element_get_double (element, "width", 0);
  guint generation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (picture), "tess-generation")) + 1;
  const char *caption = tess_element_get_string (element, "caption");
  g_autoptr (GVariant) width_v = tess_element_lookup (element, "width", G_VARIANT_TYPE_INT32);

  if (width_v != NULL)
    width = g_variant_get_int32 (width_v);
  label_set_text (tess_element_widget_get_part (box, "caption"), caption);
  gtk_widget_set_size_request (picture, width > 0 ? width : -1, -1);
  if (caption != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, caption, -1);
  g_object_set_data (G_OBJECT (picture), "tess-generation", GUINT_TO_POINTER (generation));

  if (bytes_v != NULL)
    {
      g_autoptr (GBytes) bytes = g_variant_get_data_as_bytes (bytes_v);
      g_autoptr (GdkTexture) texture = gdk_texture_new_from_bytes (bytes, NULL);
      gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
      gtk_widget_set_visible (picture, texture != NULL);
    }
  else if (uri != NULL && *uri != '\0')
    {
      ImageLoad *load = g_new0 (ImageLoad, 1);
      g_autoptr (GTask) task = NULL;

      load->picture = picture;
      load->generation = generation;
      g_object_add_weak_pointer (G_OBJECT (picture), (gpointer *) &load->picture);
      task = g_task_new (NULL, NULL, tess_element_widget_image_loaded_cb, load);
      g_task_set_task_data (task, g_strdup (uri), g_free);
      g_task_run_in_thread (task, image_load_thread);
    }
  else
    gtk_picture_set_paintable (GTK_PICTURE (picture), NULL);
}

/* download: a button that saves the element's bytes to a file the user
 * picks. GtkFileChooserNative goes through the desktop's portal inside a
 * sandbox, so the dashboard never needs write access to the user's files. */

gboolean
tess_element_widget_save_download (TessElement *element, GFile *file, GError **error)
{
  g_autoptr (GVariant) bytes_v = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (element != NULL && tess_element_get_kind (element) == TESS_ELEMENT_DOWNLOAD, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  bytes_v = tess_element_lookup (element, "bytes", G_VARIANT_TYPE_BYTESTRING);
  bytes = bytes_v ? g_variant_get_data_as_bytes (bytes_v) : g_bytes_new_static ("", 0);
  if (!g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_set_error (error, local_error->domain, local_error->code, _ ("Could not save “%s”: %s"), name,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
tess_element_widget_download_response_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  GtkWidget *button = user_data;
  TessElement *element = g_object_get_data (G_OBJECT (button), "tess-download");

  g_assert (GTK_IS_NATIVE_DIALOG (dialog));

  if (response == GTK_RESPONSE_ACCEPT && element != NULL)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr (GError) error = NULL;

      /* the failure is said where the user looks: on the button */
      if (file != NULL && !tess_element_widget_save_download (element, file, &error))
        {
          gtk_widget_set_tooltip_text (button, error->message);
          gtk_widget_add_css_class (button, "error");
        }
      else
        {
          gtk_widget_set_tooltip_text (button, NULL);
          gtk_widget_remove_css_class (button, "error");
        }
    }
  g_object_unref (button);
  g_object_unref (dialog);
}

static void
tess_element_widget_download_clicked_cb (GtkButton *button, gpointer user_data)
{
  TessElement *element = g_object_get_data (G_OBJECT (button), "tess-download");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));
  GtkFileChooserNative *dialog;

  g_assert (GTK_IS_BUTTON (button));

  if (element == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_ ("Save File"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), tess_element_get_string (element, "filename"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (tess_element_widget_download_response_cb), g_object_ref (button));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static GtkWidget *
download_new (void)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("document-save-symbolic");
  GtkWidget *label = gtk_label_new (NULL);

  gtk_box_append (GTK_BOX (content), icon);
  gtk_box_append (GTK_BOX (content), label);
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  set_part (button, "label", label);
  g_signal_connect (button, "clicked", G_CALLBACK (tess_element_widget_download_clicked_cb), NULL);
  return button;
}

static void
download_update (GtkWidget *button, TessElement *element)
{
  const char *label = tess_element_get_string (element, "label");
  g_autofree char *description = g_strdup_printf (_ ("Save %s"), tess_element_get_string (element, "filename"));

  gtk_label_set_text (GTK_LABEL (tess_element_widget_get_part (button, "label")), label ? label : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  g_object_set_data_full (G_OBJECT (button), "tess-download", tess_element_ref (element),
                          (GDestroyNotify) tess_element_unref);
}

/* A notebook as tall as its visible tab: GtkNotebook keeps its pages in a
 * GtkStack that is as tall as the tallest page, which leaves a short tab
 * with empty space below it. */
static GtkWidget *
tabs_new (void)
{
  GtkWidget *notebook = gtk_notebook_new ();

  gtk_notebook_set_scrollable (GTK_NOTEBOOK (notebook), TRUE);
  gtk_widget_add_css_class (notebook, "tess-tabs");
  for (GtkWidget *child = gtk_widget_get_first_child (notebook); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_STACK (child))
      gtk_stack_set_vhomogeneous (GTK_STACK (child), FALSE);
  return notebook;
}

static GtkWidget *
vbox (const char *css_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  if (css_class != NULL)
    gtk_widget_add_css_class (box, css_class);
  return box;
}

static char *
spec_caption (TessElement *element)
{
  g_autoptr (GVariant) spec = tess_element_lookup (element, "spec", G_VARIANT_TYPE_VARDICT);
  return spec != NULL ? g_variant_print (spec, FALSE)
                      : g_strdup (tess_element_kind_to_string (tess_element_get_kind (element)));
}

GtkWidget *
tess_element_widget_new (TessElementKind kind, GtkWidget **content_out)
{
  GtkWidget *widget = NULL;
  GtkWidget *content = NULL;

  g_return_val_if_fail (kind < TESS_ELEMENT_N_KINDS, NULL);
  g_return_val_if_fail (!tess_element_kind_is_input (kind), NULL);
  TESS_ASSERT_MAIN_THREAD ();

  switch (kind)
    {
    case TESS_ELEMENT_ROOT:
    case TESS_ELEMENT_CONTAINER:
    case TESS_ELEMENT_COLUMN:
    case TESS_ELEMENT_TAB:
      widget = content = vbox (kind == TESS_ELEMENT_COLUMN ? "tess-column" : "tess-container");
      break;
    case TESS_ELEMENT_SIDEBAR:
      /* Its children go to the window's sidebar; this marks the position. */
      widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_set_visible (widget, FALSE);
      break;
    case TESS_ELEMENT_FRAGMENT:
      widget = vbox (NULL); /* the reconciler puts the fragment's TessSlot here instead */
      break;
    case TESS_ELEMENT_COLUMNS:
      widget = content = tess_columns_new ();
      break;
    case TESS_ELEMENT_TABS:
      widget = content = tabs_new ();
      break;
    case TESS_ELEMENT_EXPANDER:
      widget = gtk_expander_new (NULL);
      content = vbox (NULL);
      gtk_widget_set_margin_top (content, 6);
      gtk_widget_set_margin_start (content, 18);
      gtk_expander_set_child (GTK_EXPANDER (widget), content);
      break;
    case TESS_ELEMENT_TITLE:
      widget = new_label ("title-1");
      break;
    case TESS_ELEMENT_HEADER:
      widget = new_label ("title-2");
      break;
    case TESS_ELEMENT_SUBHEADER:
      widget = new_label ("title-4");
      break;
    case TESS_ELEMENT_CAPTION:
      widget = new_label ("caption");
      gtk_widget_add_css_class (widget, "tess-dim");
      break;
    case TESS_ELEMENT_TEXT:
      widget = new_label ("body");
      break;
    case TESS_ELEMENT_MARKDOWN:
      widget = tess_markdown_view_new ();
      break;
    case TESS_ELEMENT_CODE:
      widget = code_new ();
      break;
    case TESS_ELEMENT_DIVIDER:
      widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      break;
    case TESS_ELEMENT_JSON:
      widget = tess_json_view_new ();
      break;
    case TESS_ELEMENT_METRIC:
      widget = metric_new ();
      break;
    case TESS_ELEMENT_PROGRESS:
      widget = progress_new ();
      break;
    case TESS_ELEMENT_STATUS:
      widget = status_new ();
      break;
    case TESS_ELEMENT_CALLOUT:
      widget = callout_new ();
      break;
    case TESS_ELEMENT_IMAGE:
      widget = image_new ();
      break;
    case TESS_ELEMENT_CHART:
      widget = tess_chart_new ();
      break;
    case TESS_ELEMENT_TABLE:
      widget = tess_table_view_new ();
      break;
    case TESS_ELEMENT_DOWNLOAD:
      widget = download_new ();
      break;
    default:
      widget = new_label (NULL);
      break;
    }

  gtk_widget_add_css_class (widget, "tess-element");
  if (content_out != NULL)
    *content_out = content;
  return widget;
}

void
tess_element_widget_update (GtkWidget *widget, TessElement *element)
{
  TessElementKind kind;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (element != NULL);
  TESS_ASSERT_MAIN_THREAD ();

  kind = tess_element_get_kind (element);
  switch (kind)
    {
    case TESS_ELEMENT_EXPANDER:
      {
        const char *label = tess_element_get_string (element, "label");
        TessElement *previous = g_object_get_data (G_OBJECT (widget), "tess-expander-declared");

        if (g_strcmp0 (gtk_expander_get_label (GTK_EXPANDER (widget)), label) != 0)
          gtk_expander_set_label (GTK_EXPANDER (widget), label);
        /* The declared state applies once; afterwards the user's choice stands. */
        if (previous == NULL)
          {
            gtk_expander_set_expanded (GTK_EXPANDER (widget), tess_element_get_boolean (element, "expanded", FALSE));
            g_object_set_data (G_OBJECT (widget), "tess-expander-declared", GINT_TO_POINTER (1));
          }
      }
      break;
    case TESS_ELEMENT_TITLE:
    case TESS_ELEMENT_HEADER:
    case TESS_ELEMENT_SUBHEADER:
    case TESS_ELEMENT_CAPTION:
    case TESS_ELEMENT_TEXT:
      label_set_text (widget, tess_element_get_string (element, "text"));
      gtk_widget_set_visible (widget, TRUE);
      break;
    case TESS_ELEMENT_MARKDOWN:
      tess_markdown_view_set_text (TESS_MARKDOWN_VIEW (widget), tess_element_get_string (element, "text"));
      break;
    case TESS_ELEMENT_CODE:
      {
        GtkWidget *label = tess_element_widget_get_part (widget, "label");
        const char *text = tess_element_get_string (element, "text");
        if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), text ?: "") != 0)
          {
            gtk_label_set_text (GTK_LABEL (label), text ?: "");
            gtk_button_set_icon_name (GTK_BUTTON (tess_element_widget_get_part (widget, "copy")), "edit-copy-symbolic");
          }
      }
      break;
    case TESS_ELEMENT_JSON:
      tess_json_view_set_text (TESS_JSON_VIEW (widget), tess_element_get_string (element, "text"),
                               tess_element_get_boolean (element, "expanded", FALSE));
      break;
    case TESS_ELEMENT_METRIC:
      metric_update (widget, element);
      break;
    case TESS_ELEMENT_PROGRESS:
      {
        double value = CLAMP (tess_element_get_double (element, "value", 0), 0, 1);
        label_set_text (tess_element_widget_get_part (widget, "label"), tess_element_get_string (element, "text"));
        gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (tess_element_widget_get_part (widget, "bar")), value);
      }
      break;
    case TESS_ELEMENT_STATUS:
      status_update (widget, element);
      break;
    case TESS_ELEMENT_CALLOUT:
      callout_update (widget, element);
      break;
    case TESS_ELEMENT_IMAGE:
      image_update (widget, element);
      break;
    case TESS_ELEMENT_CHART:
      tess_chart_set_element (TESS_CHART (widget), element);
      break;
    case TESS_ELEMENT_TABLE:
      tess_table_view_set_element (TESS_TABLE_VIEW (widget), element);
      break;
    case TESS_ELEMENT_DOWNLOAD:
      download_update (widget, element);
      break;
    case TESS_ELEMENT_ROOT:
    case TESS_ELEMENT_CONTAINER:
    case TESS_ELEMENT_COLUMN:
    case TESS_ELEMENT_TAB:
    case TESS_ELEMENT_COLUMNS:
    case TESS_ELEMENT_TABS:
    case TESS_ELEMENT_SIDEBAR:
    case TESS_ELEMENT_FRAGMENT:
    case TESS_ELEMENT_DIVIDER:
      break; /* children and placement are the reconciler's */
    default:
      {
        g_autofree char *text = spec_caption (element);
        label_set_text (widget, text);
      }
      break;
    }
}
