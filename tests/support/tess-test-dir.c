/* tess-test-dir.c: see tess-test-dir.h. */
#include "tess-test-dir.h"

#include <glib/gstdio.h>

char *
tess_test_dir_new (const char *tmpl)
{
  g_autoptr (GError) error = NULL;
  char *path;

  g_return_val_if_fail (tmpl != NULL, NULL);

  path = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  return path;
}

char *
tess_test_dir_write_file (const char *dir, const char *name, const char *contents)
{
  g_autoptr (GError) error = NULL;
  char *path;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (contents != NULL, NULL);

  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

void
tess_test_dir_remove (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_return_if_fail (path != NULL);

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        tess_test_dir_remove (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
