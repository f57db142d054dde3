/* export.c: the whole dashboard exported from the main menu: a PNG of the
 * page at its full height (taller than the window shows), a PDF, and
 * printing (to a PDF file, as a print dialog's "Print to File" does), each a
 * file of the right kind and size with something drawn in it.
 */
#include "../widgets/widget-test-host.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tess-app-private.h"
#include "tess-export.h"
#include "tess-test-dir.h"
#include "tess-window.h"

typedef struct
{
  TessWindow *window;
} WindowHost;

static gboolean
window_idle (gpointer data)
{
  WindowHost *host = data;
  TessDashboardView *view = tess_window_get_view (host->window);
  TessSession *session = tess_window_get_session (host->window);

  return session != NULL && tess_session_is_idle (session) && !tess_dashboard_view_get_busy (view);
}

static gboolean
long_body (TessRun *run, gpointer user_data, GError **error)
{
  for (int i = 0; i < 40; i++)
    tess_textf (run, "Line %d of a dashboard longer than its window", i);
  return TRUE;
}

static gboolean
long_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_title (run, "Exported");
  tess_metric (run, "Revenue", "1,204", "+5%");
  tess_fragment (run, "long", long_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static WindowHost *
window_host_new (void)
{
  WindowHost *host = g_new0 (WindowHost, 1);

  host->window = tess_window_new (NULL);
  tess_window_set_remember_state (host->window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (host->window), 800, 500);
  gtk_window_present (GTK_WINDOW (host->window));
  tess_window_show_dashboard (host->window, long_dashboard, NULL, NULL, "Exported", NULL);
  tess_test_wait_until (NULL, window_idle, host, 10, "the window's dashboard to be idle");
  test_host_spin (50);
  return host;
}

static void
window_host_free (WindowHost *host)
{
  gtk_window_destroy (GTK_WINDOW (host->window));
  test_host_spin (10);
  g_free (host);
}

/* Pixels of @texture that are not the background's: something is drawn. */
static guint
drawn_pixels (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 4);
  guint n = 0;

  gdk_texture_download (texture, pixels, width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    if ((*(guint32 *) (pixels + 4 * i) & 0xffffff) != (*(guint32 *) pixels & 0xffffff))
      n++;
  return n;
}

/* The first @needle in @length bytes from @text, which may hold NUL bytes
 * (a PDF's streams do), or NULL. */
static const char *
find_bytes (const char *text, gsize length, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (text[i] == needle[0] && memcmp (text + i, needle, n) == 0)
      return text + i;
  return NULL;
}

/* How many pages a PDF of cairo's has. */
static guint
pdf_pages (const char *text, gsize length)
{
  static const char needle[] = "/Type /Page";
  const char *end = text + length;
  guint n = 0;

  for (const char *p = text; (p = find_bytes (p, end - p, needle)) != NULL; p++)
    if (p + strlen (needle) < end && p[strlen (needle)] != 's')
      n++;
  return n;
}

static gboolean
pdf_has (const char *text, gsize length, const char *what)
{
  return find_bytes (text, length, what) != NULL;
}

static void
test_export_png (void)
{
  WindowHost *host = window_host_new ();
  GtkWidget *page = GTK_WIDGET (tess_dashboard_view_get_root_slot (tess_window_get_view (host->window)));
  g_autofree char *dir = tess_test_dir_new ("tessera-export-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "dashboard.png", NULL);
  g_autofree char *head = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;
  int scale = gtk_widget_get_scale_factor (page);

  /* the page is longer than the window: the export has all of it */
  g_assert_cmpint (gtk_widget_get_height (page), >, gtk_widget_get_height (GTK_WIDGET (host->window)));
  g_assert_true (tess_export_dashboard (tess_window_get_view (host->window), TESS_EXPORT_PNG, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &head, NULL, NULL));
  g_assert_true (memcmp (head, "\x89PNG\r\n\x1a\n", 8) == 0);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (page) * scale);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, gtk_widget_get_height (page) * scale);
  g_assert_cmpuint (drawn_pixels (texture), >, 2000);

  /* a place that cannot be written is an error naming it */
  g_assert_false (tess_export_dashboard (tess_window_get_view (host->window), TESS_EXPORT_PNG,
                                         "/nonexistent/dir/dashboard.png", &error));
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/dashboard.png"));

  tess_test_dir_remove (dir);
  window_host_free (host);
}

static void
test_export_pdf (void)
{
  WindowHost *host = window_host_new ();
  g_autofree char *dir = tess_test_dir_new ("tessera-export-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "dashboard.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  gsize length = 0;

  g_assert_true (tess_export_dashboard (tess_window_get_view (host->window), TESS_EXPORT_PDF, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  g_assert_true (g_str_has_prefix (text, "%PDF-"));
  g_assert_cmpuint (pdf_pages (text, length), ==, 1);
  /* the text is drawn in it: a font is embedded, and it is no empty page */
  g_assert_true (pdf_has (text, length, "/FontFile"));
  g_assert_cmpuint (length, >, 5000);

  g_assert_false (tess_export_dashboard (tess_window_get_view (host->window), TESS_EXPORT_PDF,
                                         "/nonexistent/dir/dashboard.pdf", &error));
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/dashboard.pdf"));

  tess_test_dir_remove (dir);
  window_host_free (host);
}

static void
test_print (void)
{
  WindowHost *host = window_host_new ();
  g_autofree char *dir = tess_test_dir_new ("tessera-print-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "printed.pdf", NULL);
  g_autoptr (GtkPrintOperation) operation = tess_export_print_operation_new (tess_window_get_view (host->window));
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) a5 = gtk_paper_size_new (GTK_PAPER_NAME_A5);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  /* small paper: the dashboard's width fills it, its height takes pages */
  gtk_page_setup_set_paper_size_and_default_margins (setup, a5);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_export_filename (operation, path);
  g_assert_cmpint (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error), ==,
                   GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  g_assert_true (g_str_has_prefix (text, "%PDF-"));
  g_assert_cmpuint (pdf_pages (text, length), >=, 2);
  g_assert_true (pdf_has (text, length, "/FontFile"));

  tess_test_dir_remove (dir);
  window_host_free (host);
}

/* The window has the three actions the main menu offers, Print on Ctrl+P. */
static void
test_actions (void)
{
  const char *wanted[] = { "win.export-png", "win.export-pdf", "win.print" };
  GtkWidgetClass *klass = g_type_class_ref (TESS_TYPE_WINDOW);

  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    {
      gboolean found = FALSE;
      const char *name, *property;
      const GVariantType *parameter;
      GType owner;

      for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &name, &parameter, &property); i++)
        found = found || g_str_equal (name, wanted[w]);
      g_assert_true (found);
    }
  g_type_class_unref (klass);
}

int
main (int argc, char **argv)
{
  test_host_use_build_schema ();
  test_host_init (&argc, &argv);

  g_test_add_func ("/Export/png", test_export_png);
  g_test_add_func ("/Export/pdf", test_export_pdf);
  g_test_add_func ("/Export/print", test_print);
  g_test_add_func ("/Export/actions", test_actions);
  return g_test_run ();
}
