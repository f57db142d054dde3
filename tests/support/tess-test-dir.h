/* tess-test-dir.h: temporary directories for tests and benchmarks.
 *
 * Tests that read files from disk (documents beside their data, a cache
 * folder, exported pictures) write them into a fresh directory under the
 * system's temporary folder and remove it, with all it holds, at the end.
 * Each function fails the test on an error it cannot recover from.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Makes a new directory from @tmpl, a name ending in "XXXXXX" (see
 * g_dir_make_tmp()); returns its path, to free. */
char *tess_test_dir_new (const char *tmpl);

/* Writes @contents (nul-terminated) to the file @name in @dir, replacing what
 * was there; returns the file's path, to free. */
char *tess_test_dir_write_file (const char *dir, const char *name, const char *contents);

/* Removes @path and everything below it; symbolic links are removed, not
 * followed. What cannot be removed stays, silently. */
void tess_test_dir_remove (const char *path);

G_END_DECLS
