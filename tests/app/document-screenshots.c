/* screenshots.c: the built tessera binary renders the default dashboard
 * document and the automatic dashboard of a data file to PNGs, end to end.
 *
 * The pictures are kept in the build directory (tests/documents/) for a
 * person to look at; the test checks their size and that they show content.
 */
#include <gtk/gtk.h>
#include <glib/gstdio.h>

static const char *tessera;

/* Distinct colours among the pixels: a blank window has very few. */
static guint
count_colours (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guint32 *data = g_new (guint32, (gsize) width * height);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);

  gdk_texture_download (texture, (guchar *) data, width * 4);
  for (gsize i = 0; i < (gsize) width * height && g_hash_table_size (seen) < 256; i += 7)
    g_hash_table_add (seen, GUINT_TO_POINTER (data[i]));
  return g_hash_table_size (seen);
}

static void
shoot (const char *target, const char *name)
{
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, "documents", name, NULL);
  g_autofree char *shot_arg = g_strconcat ("--screenshot=", png, NULL);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  g_unlink (png);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, tessera, shot_arg, "--size=1280x900", target, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1280);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 900);
  /* Charts in several colours, text, widgets: far from a blank window. */
  g_assert_cmpuint (count_colours (texture), >=, 32);
  g_test_message ("kept %s", png);
}

static void
test_default_dashboard (void)
{
  shoot ("resource:///io/github/tessera/Tessera/documents/default.tessera", "screenshot-default.png");
}

static void
test_automatic_dashboard (void)
{
  shoot ("resource:///io/github/tessera/Tessera/documents/data/seattle-weather.csv", "screenshot-automatic.png");
}

int
main (int argc, char **argv)
{
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  tessera = argv[1];

  g_test_add_func ("/Documents/screenshot/default-dashboard", test_default_dashboard);
  g_test_add_func ("/Documents/screenshot/automatic-dashboard", test_automatic_dashboard);
  return g_test_run ();
}
