/* tess-growing-body-private.h: a body that is read while it is still
 * arriving. The I/O thread writes a download into it, front to back, and a
 * reader on another thread waits for the part it needs next, so parsing
 * overlaps the download. Its length is known from the start, or, for an
 * open body, once it has all arrived. Not public API.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TessGrowingBody TessGrowingBody;

/* A body of @length bytes, none received yet (what is not received reads as
 * zeros). Any thread. */
TessGrowingBody *tess_growing_body_new (gsize length);
/* A body whose length is known only once it has all arrived (a compressed
 * or chunked answer), of @most bytes at the most: their address space is
 * set aside, and memory is taken only as bytes arrive; NULL when that much
 * address space is not to be had. Any thread. */
TessGrowingBody *tess_growing_body_new_open (gsize most);
TessGrowingBody *tess_growing_body_ref (TessGrowingBody *body);
void tess_growing_body_unref (TessGrowingBody *body);

/* The whole buffer, @length bytes (an open body: the most it can hold, until
 * it has all arrived); only what tess_growing_body_wait() said has arrived
 * may be read. */
const char *tess_growing_body_get_data (TessGrowingBody *body, gsize *length);
/* TRUE when the body's length is known (always, but for an open body that
 * has not all arrived), and sets *@length to it. Any thread. */
gboolean tess_growing_body_get_length (TessGrowingBody *body, gsize *length);

/* The writer's side (one thread): where the next bytes go, room for
 * *@room of them; then how many were written there. */
guint8 *tess_growing_body_get_free (TessGrowingBody *body, gsize *room);
void tess_growing_body_commit (TessGrowingBody *body, gsize n);
/* Maps in, in one call, the pages of a download buffer of @length bytes at
 * @data that the next reads will fill, a few MiB past @received, rather than
 * a page fault per page as the socket copies into them; @populated: how far
 * that was done before (0 at first). Returns how far it is done now. The
 * writer's thread. */
gsize tess_download_populate_ahead (guint8 *data, gsize length, gsize received, gsize populated);
/* Ends the download: complete (NULL) or failed with @error (taken). Wakes
 * every waiter. */
void tess_growing_body_finish (TessGrowingBody *body, GError *error);

/* Blocks until at least @upto bytes (at most the length) have arrived, and
 * returns how many have; 0 with @error set when the download failed or
 * ended short. An open body that has all arrived returns its length, which
 * may be less than @upto. Any thread but the writer's. */
gsize tess_growing_body_wait (TessGrowingBody *body, gsize upto, GError **error);
/* As tess_growing_body_wait(), with how many bytes have arrived in
 * *@arrived: FALSE with @error set when the download failed or ended short
 * (a count of 0 is then no failure). */
gboolean tess_growing_body_wait_for (TessGrowingBody *body, gsize upto, gsize *arrived, GError **error);

/* Blocks until the download has ended, complete or not. */
void tess_growing_body_wait_done (TessGrowingBody *body);

/* Why the download failed, or NULL while it has not. transfer full */
GError *tess_growing_body_dup_error (TessGrowingBody *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessGrowingBody, tess_growing_body_unref)

G_END_DECLS
