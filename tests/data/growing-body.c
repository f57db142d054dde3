/* growing-body.c: a body read while it arrives, whose length is known from
 * the start or, for an open body (a compressed or chunked answer), only at
 * its end.
 */
#include "tess-growing-body-private.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Writes @text into @body as a download does, in one piece. */
static void
write_text (TessGrowingBody *body, const char *text)
{
  gsize room, length = strlen (text);
  guint8 *free_end = tess_growing_body_get_free (body, &room);

  g_assert_cmpuint (room, >=, length);
  memcpy (free_end, text, length);
  tess_growing_body_commit (body, length);
}

/* An open body's length is the most it holds until it ends, then what
 * arrived; a wait past its end returns what there is. */
static void
test_open_length (void)
{
  g_autoptr (TessGrowingBody) body = tess_growing_body_new_open (1 << 20);
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  const char *data;

  g_assert_false (tess_growing_body_get_length (body, &length));
  g_assert_cmpuint (length, ==, 1 << 20);
  write_text (body, "[{\"a\": 1},");
  g_assert_cmpuint (tess_growing_body_wait (body, 5, &error), ==, 10);
  g_assert_no_error (error);
  write_text (body, " {\"a\": 2}]");
  tess_growing_body_finish (body, NULL);

  g_assert_true (tess_growing_body_get_length (body, &length));
  g_assert_cmpuint (length, ==, 20);
  data = tess_growing_body_get_data (body, &length);
  g_assert_cmpuint (length, ==, 20);
  g_assert_cmpmem (data, length, "[{\"a\": 1}, {\"a\": 2}]", 20);
  /* past its end: what there is, not an error */
  g_assert_cmpuint (tess_growing_body_wait (body, 1 << 20, &error), ==, 20);
  g_assert_no_error (error);
}

/* A download that fails fails every wait, of an open body too, and its
 * length stays unknown. */
static void
test_open_failed (void)
{
  g_autoptr (TessGrowingBody) body = tess_growing_body_new_open (1 << 20);
  g_autoptr (GError) error = NULL;
  gsize length;

  write_text (body, "{\"a\": 1}\n");
  tess_growing_body_finish (body, g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "it broke off"));
  g_assert_cmpuint (tess_growing_body_wait (body, 100, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_false (tess_growing_body_get_length (body, &length));
}

/* A known length that is not reached is an error. */
static void
test_known_short (void)
{
  g_autoptr (TessGrowingBody) body = tess_growing_body_new (100);
  g_autoptr (GError) error = NULL;

  write_text (body, "id\n1\n");
  tess_growing_body_finish (body, NULL);
  g_assert_cmpuint (tess_growing_body_wait (body, 100, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

/* Pages of [data, data + length) in memory. */
static gsize
resident_pages (const char *data, gsize length)
{
  gsize page = sysconf (_SC_PAGESIZE), n = (length + page - 1) / page, resident = 0;
  g_autofree unsigned char *in_core = g_new0 (unsigned char, n);

  g_assert_cmpint (mincore ((void *) data, length, in_core), ==, 0);
  for (gsize i = 0; i < n; i++)
    resident += in_core[i] & 1;
  return resident;
}

/* An open body sets aside the address space of the most it may hold, but
 * a small answer takes little memory: it is mapped in ahead of what
 * arrives by no more than twice that and 256 KiB. */
static void
test_open_small_answer (void)
{
  gsize most = 64 * 1024 * 1024, length, page = sysconf (_SC_PAGESIZE);
  g_autoptr (TessGrowingBody) body = tess_growing_body_new_open (most);
  const char *data = tess_growing_body_get_data (body, &length);

  g_assert_cmpuint (length, ==, most);
  write_text (body, "{\"answer\": 42}\n");
  write_text (body, "{\"answer\": 43}\n");
  tess_growing_body_finish (body, NULL);
  g_assert_cmpuint (resident_pages (data, most) * page, <=, 256 * 1024 + 2 * page);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Data/growing-body/open-length", test_open_length);
  g_test_add_func ("/Data/growing-body/open-failed", test_open_failed);
  g_test_add_func ("/Data/growing-body/known-short", test_known_short);
  g_test_add_func ("/Data/growing-body/open-small-answer", test_open_small_answer);
  return g_test_run ();
}
