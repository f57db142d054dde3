/* screenshot.c: `tessera --screenshot=FILE.png --size=WxH`, end to end.
 *
 * Runs the built tessera binary (its path is the first argument) on the
 * default dashboard and checks that it exits 0 once every fragment finished,
 * leaving a PNG of exactly the size asked for, not blank.
 */
#include <gtk/gtk.h>

#include "tess-test-dir.h"

static const char *tessera;

static void
test_screenshot (void)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-shot-XXXXXX");
  g_autofree char *png = g_build_filename (dir, "dashboard.png", NULL);
  g_autofree char *shot_arg = g_strconcat ("--screenshot=", png, NULL);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GBytes) pixels = NULL;
  const guchar *data;
  gsize size;
  guint distinct = 0;
  guint32 first;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, tessera, shot_arg, "--size=640x400", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 640);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 400);

  /* Not an empty picture. */
  size = 640 * 400 * 4;
  data = g_malloc (size);
  gdk_texture_download (texture, (guchar *) data, 640 * 4);
  pixels = g_bytes_new_take ((gpointer) data, size);
  first = *(const guint32 *) data;
  for (gsize i = 0; i < size / 4 && distinct < 2; i++)
    if (((const guint32 *) data)[i] != first)
      distinct++;
  g_assert_cmpuint (distinct, >=, 1);

  tess_test_dir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  tessera = argv[1];

  g_test_add_func ("/App/screenshot", test_screenshot);
  return g_test_run ();
}
