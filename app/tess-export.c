/* tess-export.c: the whole dashboard as a PNG, a PDF or on paper (see
 * tess-export.h).
 *
 * The page is snapshotted once into a render node: GtkSnapshot records every
 * child, scrolled into view or not. A PNG renders that node with the
 * window's renderer into a texture; a PDF and a printed page draw it on a
 * cairo context, which keeps text and charts as vectors.
 */
#include "tess-export.h"

#include <adwaita.h>
#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <math.h>

#include "tess-thread-private.h"

/* The tallest page a PDF may have: 200 inches, in points. */
#define PDF_MAX_PAGE_HEIGHT 14400.0

/* The widget that holds the whole page: the dashboard's top-level slot. */
static GtkWidget *
page_widget (TessDashboardView *view)
{
  return GTK_WIDGET (tess_dashboard_view_get_root_slot (view));
}

/* Light text on the page means a dark style: the export keeps its colours. */
static GdkRGBA
page_background (GtkWidget *page)
{
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (page), &fg);
  if (0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5)
    return (GdkRGBA){ 0.14, 0.14, 0.14, 1 };
  return (GdkRGBA){ 1, 1, 1, 1 };
}

/* The page on its background, as laid out now; NULL with @error when it has
 * no size (nothing shown yet). transfer full */
static GskRenderNode *
page_node (TessDashboardView *view, int *width, int *height, GError **error)
{
  GtkWidget *page = page_widget (view);
  g_autoptr (GdkPaintable) paintable = NULL;
  GdkRGBA background;
  GtkSnapshot *snapshot;

  *width = page ? gtk_widget_get_width (page) : 0;
  *height = page ? gtk_widget_get_height (page) : 0;
  if (*width <= 0 || *height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("There is no dashboard shown to export"));
      return NULL;
    }
  background = page_background (page);
  paintable = gtk_widget_paintable_new (page);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  return gtk_snapshot_free_to_node (snapshot);
}

static gboolean
export_png (TessDashboardView *view, GskRenderNode *node, int width, int height, const char *path, GError **error)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (view));
  GskRenderer *renderer = native ? gtk_native_get_renderer (native) : NULL;
  int scale = MAX (gtk_widget_get_scale_factor (GTK_WIDGET (view)), 1);
  g_autoptr (GskRenderNode) scaled = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GskTransform) transform = NULL;

  if (renderer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("The window is not shown, so it cannot be rendered"));
      return FALSE;
    }
  /* the identity is no transform at all */
  transform = gsk_transform_scale (NULL, scale, scale);
  scaled = transform ? gsk_transform_node_new (node, transform) : gsk_render_node_ref (node);
  texture = gsk_renderer_render_texture (renderer, scaled, &GRAPHENE_RECT_INIT (0, 0, width * scale, height * scale));
  if (texture == NULL || !gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not write the dashboard to “%s”"), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
export_pdf (GskRenderNode *node, int width, int height, const char *path, GError **error)
{
  guint n_pages = MAX (1, (guint) ceil (height / PDF_MAX_PAGE_HEIGHT));
  double page_height = (double) height / n_pages;
  cairo_surface_t *surface = cairo_pdf_surface_create (path, width, page_height);
  cairo_status_t status;
  cairo_t *cr = cairo_create (surface);

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Tessera");
  /* a file that cannot be written leaves the surface in error: draw nothing */
  for (guint p = 0; p < n_pages && cairo_status (cr) == CAIRO_STATUS_SUCCESS; p++)
    {
      cairo_save (cr);
      cairo_rectangle (cr, 0, 0, width, page_height);
      cairo_clip (cr);
      cairo_translate (cr, 0, -page_height * p);
      gsk_render_node_draw (node, cr);
      cairo_restore (cr);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not write the dashboard to “%s”: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
tess_export_dashboard (TessDashboardView *view, TessExportFormat format, const char *path, GError **error)
{
  g_autoptr (GskRenderNode) node = NULL;
  int width, height;

  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (view), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  TESS_ASSERT_MAIN_THREAD ();

  node = page_node (view, &width, &height, error);
  if (node == NULL)
    return FALSE;
  if (format == TESS_EXPORT_PDF)
    return export_pdf (node, width, height, path, error);
  return export_png (view, node, width, height, path, error);
}

/* Printing */

typedef struct
{
  GskRenderNode *node;
  int width, height;
  double scale;       /* page points per dashboard pixel */
  double page_height; /* in dashboard pixels */
} PrintJob;

static void
print_job_free (gpointer data)
{
  PrintJob *job = data;

  g_clear_pointer (&job->node, gsk_render_node_unref);
  g_free (job);
}

static void
tess_export_begin_print_cb (GtkPrintOperation *operation, GtkPrintContext *context, gpointer user_data)
{
  PrintJob *job = user_data;

  g_assert (GTK_IS_PRINT_OPERATION (operation));

  /* the dashboard's width fills the paper's; its height runs over pages */
  job->scale = gtk_print_context_get_width (context) / MAX (job->width, 1);
  job->page_height = gtk_print_context_get_height (context) / job->scale;
  gtk_print_operation_set_n_pages (operation, MAX (1, (int) ceil (job->height / job->page_height)));
}

static void
tess_export_draw_page_cb (GtkPrintOperation *operation, GtkPrintContext *context, int page, gpointer user_data)
{
  PrintJob *job = user_data;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);

  g_assert (GTK_IS_PRINT_OPERATION (operation));

  cairo_scale (cr, job->scale, job->scale);
  cairo_rectangle (cr, 0, 0, job->width, job->page_height);
  cairo_clip (cr);
  cairo_translate (cr, 0, -job->page_height * page);
  gsk_render_node_draw (job->node, cr);
}

GtkPrintOperation *
tess_export_print_operation_new (TessDashboardView *view)
{
  GtkPrintOperation *operation;
  PrintJob *job;

  g_return_val_if_fail (TESS_IS_DASHBOARD_VIEW (view), NULL);
  TESS_ASSERT_MAIN_THREAD ();

  job = g_new0 (PrintJob, 1);
  job->node = page_node (view, &job->width, &job->height, NULL);
  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, _ ("Dashboard"));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  if (job->node == NULL)
    {
      /* nothing shown: one blank page rather than a failure */
      job->node = gsk_color_node_new (&(GdkRGBA){ 1, 1, 1, 1 }, &GRAPHENE_RECT_INIT (0, 0, 1, 1));
      job->width = job->height = 1;
    }
  g_signal_connect (operation, "begin-print", G_CALLBACK (tess_export_begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (tess_export_draw_page_cb), job);
  g_object_set_data_full (G_OBJECT (operation), "tess-print-job", job, print_job_free);
  return operation;
}

/* The menu's actions */

static void
show_failure (GtkWindow *parent, const char *heading, const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tess_export_dialog_response_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  TessDashboardView *view = user_data;
  TessExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "tess-export-format"));

  g_assert (GTK_IS_NATIVE_DIALOG (dialog));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path != NULL && !tess_export_dashboard (view, format, path, &error))
        show_failure (gtk_native_dialog_get_transient_for (dialog), _ ("The dashboard was not exported"), error);
    }
  g_object_unref (view);
  g_object_unref (dialog);
}

void
tess_export_dashboard_ask (TessDashboardView *view, GtkWindow *parent, TessExportFormat format)
{
  GtkFileChooserNative *dialog;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  gboolean pdf = format == TESS_EXPORT_PDF;

  g_return_if_fail (TESS_IS_DASHBOARD_VIEW (view));
  TESS_ASSERT_MAIN_THREAD ();

  dialog = gtk_file_chooser_native_new (pdf ? _ ("Export Dashboard as PDF") : _ ("Export Dashboard as PNG"), parent,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));
  gtk_file_filter_set_name (filter, pdf ? _ ("PDF documents") : _ ("PNG images"));
  gtk_file_filter_add_mime_type (filter, pdf ? "application/pdf" : "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), pdf ? _ ("dashboard.pdf") : _ ("dashboard.png"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "tess-export-format", GINT_TO_POINTER (format));
  g_signal_connect (dialog, "response", G_CALLBACK (tess_export_dialog_response_cb), g_object_ref (view));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
tess_export_print_done_cb (GtkPrintOperation *operation, GtkPrintOperationResult result, gpointer user_data)
{
  GtkWindow *parent = user_data;
  g_autoptr (GError) error = NULL;

  g_assert (GTK_IS_PRINT_OPERATION (operation));

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      if (error != NULL)
        show_failure (parent, _ ("The dashboard was not printed"), error);
    }
  g_clear_object (&parent);
  g_object_unref (operation);
}

void
tess_export_print (TessDashboardView *view, GtkWindow *parent)
{
  GtkPrintOperation *operation;

  g_return_if_fail (TESS_IS_DASHBOARD_VIEW (view));
  TESS_ASSERT_MAIN_THREAD ();

  operation = tess_export_print_operation_new (view);
  gtk_print_operation_set_allow_async (operation, TRUE);
  /* "done" says how it went, and releases the operation */
  g_signal_connect (operation, "done", G_CALLBACK (tess_export_print_done_cb), parent ? g_object_ref (parent) : NULL);
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, NULL);
}
