/* tess-chart-export.c: a chart's files: PNG (twice the screen's pixels at
 * least), SVG and its data as CSV, and the dialogs that ask where.
 *
 * A file shows what the screen shows, drawn again by the same renderer on an
 * image or SVG surface; a chart without a title of its own carries the
 * heading it is shown under in its fragment.
 */
#include "tess-chart-private.h"
#include "tess-slot.h"

#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

static void
export_size (TessChart *self, int *width, int *height)
{
  *width = gtk_widget_get_width (GTK_WIDGET (self));
  *height = gtk_widget_get_height (GTK_WIDGET (self));
  if (*width <= 0 || *height <= 0)
    {
      *width = 800;
      *height = 500;
    }
}

static gboolean
check_cairo (cairo_status_t status, const char *path, GError **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not write the chart to “%s”: %s"), path,
               cairo_status_to_string (status));
  return FALSE;
}

/* The title an export carries when the chart has none of its own: the
 * heading it is shown under in its fragment (a document fragment's title is
 * a heading before its views), or NULL. */
static char *
export_title (TessChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  if (tess_chart_get_data (self) != NULL && tess_chart_get_data (self)->title != NULL)
    return NULL;
  for (guint depth = 0; widget != NULL && !TESS_IS_SLOT (widget) && depth < 4;
       widget = gtk_widget_get_parent (widget), depth++)
    for (GtkWidget *before = gtk_widget_get_prev_sibling (widget); before != NULL;
         before = gtk_widget_get_prev_sibling (before))
      if (GTK_IS_LABEL (before) && gtk_widget_get_visible (before) &&
          (gtk_widget_has_css_class (before, "title-1") || gtk_widget_has_css_class (before, "title-2") ||
           gtk_widget_has_css_class (before, "title-4")))
        return g_strdup (gtk_label_get_text (GTK_LABEL (before)));
  return NULL;
}

/* The height of @title drawn above an export. */
static int
export_title_height (TessChart *self, const char *title, int width)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  TessChartTheme theme;
  double height;

  tess_chart_get_theme (self, &theme);
  height = tess_chart_render_title (cr, title, &theme, width);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return (int) ceil (height);
}

/* Draws the chart for a file: on its background, without the hover, under
 * @title when there is one (taking @title_height of @height). */
static void
export_draw (TessChart *self, cairo_t *cr, const char *title, int title_height, int width, int height)
{
  if (title != NULL)
    {
      TessChartTheme theme;

      tess_chart_get_theme (self, &theme);
      cairo_set_source_rgba (cr, theme.bg.r, theme.bg.g, theme.bg.b, theme.bg.a);
      cairo_paint (cr);
      tess_chart_render_title (cr, title, &theme, width);
      cairo_translate (cr, 0, title_height);
      /* the chart paints its background: below the title only */
      cairo_rectangle (cr, 0, 0, width, height - title_height);
      cairo_clip (cr);
    }
  tess_chart_draw_export (self, cr, width, height - title_height);
}

/* The exported chart's size with its heading (transfer full, or NULL
 * without one) above it, and the heading's height. */
static char *
export_layout (TessChart *self, int *width, int *height, int *title_height)
{
  char *title = export_title (self);

  export_size (self, width, height);
  *title_height = title ? export_title_height (self, title, *width) : 0;
  *height += *title_height;
  return title;
}

gboolean
tess_chart_save_png (TessChart *self, const char *path, GError **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  g_autofree char *title = NULL;
  int width, height, scale, title_height;

  g_return_val_if_fail (TESS_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  title = export_layout (self, &width, &height, &title_height);
  /* sharp on a slide or a high-density screen: twice the pixels at least */
  scale = MAX (gtk_widget_get_scale_factor (GTK_WIDGET (self)), 2);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  export_draw (self, cr, title, title_height, width, height);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  return check_cairo (status, path, error);
}

gboolean
tess_chart_save_svg (TessChart *self, const char *path, GError **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  g_autofree char *title = NULL;
  int width, height, title_height;

  g_return_val_if_fail (TESS_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  title = export_layout (self, &width, &height, &title_height);
  surface = cairo_svg_surface_create (path, width, height);
  cr = cairo_create (surface);
  export_draw (self, cr, title, title_height, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return check_cairo (status, path, error);
}

char *
tess_chart_to_csv (TessChart *self)
{
  g_return_val_if_fail (TESS_IS_CHART (self), NULL);

  if (tess_chart_get_data (self) == NULL)
    return NULL;
  return tess_chart_data_to_csv (tess_chart_get_data (self));
}

gboolean
tess_chart_save_csv (TessChart *self, const char *path, GError **error)
{
  g_autofree char *csv = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (TESS_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  csv = tess_chart_to_csv (self);
  if (csv == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("The chart has no data to save yet"));
      return FALSE;
    }
  file = g_file_new_for_path (path);
  if (!g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL,
                                &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not write the chart's data to “%s”: %s"), path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
tess_chart_save_dialog_response_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  TessChart *self = TESS_CHART (g_object_get_data (G_OBJECT (dialog), "chart"));
  TessChartExportFormat format = GPOINTER_TO_INT (user_data);

  g_assert (GTK_IS_NATIVE_DIALOG (dialog));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      gboolean saved = TRUE;

      if (path != NULL && format == TESS_CHART_EXPORT_SVG)
        saved = tess_chart_save_svg (self, path, &error);
      else if (path != NULL && format == TESS_CHART_EXPORT_CSV)
        saved = tess_chart_save_csv (self, path, &error);
      else if (path != NULL)
        saved = tess_chart_save_png (self, path, &error);
      if (!saved)
        g_warning ("%s", error->message);
    }
  g_object_unref (dialog);
}

void
tess_chart_save_as (TessChart *self, TessChartExportFormat format)
{
  static const char *const extensions[] = {
    [TESS_CHART_EXPORT_PNG] = "png", [TESS_CHART_EXPORT_SVG] = "svg", [TESS_CHART_EXPORT_CSV] = "csv"
  };
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;
  g_autofree char *heading = export_title (self);
  TessChartData *data = tess_chart_get_data (self);
  const char *title = data && data->title ? data->title : heading ? heading : "chart";
  const char *dialog_title = format == TESS_CHART_EXPORT_SVG   ? _ ("Save Chart as SVG")
                             : format == TESS_CHART_EXPORT_CSV ? _ ("Save Chart Data as CSV")
                                                               : _ ("Save Chart as PNG");

  dialog = gtk_file_chooser_native_new (dialog_title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  name = g_strdup_printf ("%s.%s", title, extensions[format]);
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "chart", g_object_ref (self), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (tess_chart_save_dialog_response_cb), GINT_TO_POINTER (format));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
