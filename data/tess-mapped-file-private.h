/* tess-mapped-file-private.h: a data file mapped for one sequential read,
 * and the pages already read handed back as the read goes on, so that memory
 * stays close to the size of what is built from it. The CSV and JSON readers
 * share it. Not public API.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How much is read between releases, and mapped ahead at each. */
#define TESS_MAPPED_RELEASE_CHUNK (8 * 1024 * 1024)

/* Maps @path read-only for reading front to back (a small or medium file is
 * read into memory mapped for it, so a truncation is an error; a large
 * file cut short under its mapping reads as zeros, see
 * tess_mapped_file_was_cut()) and sets *@length. An empty
 * file gives "" and 0. NULL, with an error that names the file, when it
 * cannot be opened or mapped. Any thread. */
const char *tess_mapped_file_open (const char *path, gsize *length, GError **error);
/* The file as tess_mapped_file_open() maps it, in bytes that close it when
 * they go. */
GBytes *tess_mapped_file_open_bytes (const char *path, GError **error);
/* Unmaps what tess_mapped_file_open() returned. */
void tess_mapped_file_close (const char *data, gsize length);
/* Whether the file was cut short while mapped at @data, so that a read of it
 * met zeros where its lost pages were: what was read must go, with the
 * error tess_mapped_file_set_cut_error() sets. Before the close. */
gboolean tess_mapped_file_was_cut (const char *data);
void tess_mapped_file_set_cut_error (GError **error, const char *path);
/* Closes, and when the file was cut: FALSE, with that error in place of any
 * other (what was read over the zeros must go). */
gboolean tess_mapped_file_close_checked (const char *data, gsize length, const char *path, GError **error);
/* Files up to @size bytes are read into memory, larger ones mapped (for
 * tests of either; the default is 64 MiB). */
void tess_mapped_file_set_read_whole_max (gsize size);

/* Hands back the whole pages between @released and @upto, which have been
 * read, and maps the next stretch (up to @end) in one call rather than a
 * fault per page. Any thread; the range is the caller's own. */
void tess_mapped_file_release (const char *released, const char *upto, const char *end);

G_END_DECLS
