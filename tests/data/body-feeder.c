/* body-feeder.c: a download written into a body still arriving, and what
 * reading it must give (body-feeder.h). */
#include "body-feeder.h"
#include "frame-compare.h"

#include <string.h>

gpointer
body_feeder_thread (gpointer data)
{
  BodyFeeder *feeder = data;
  GRand *rand = g_rand_new_with_seed (feeder->seed);
  gsize sent = 0, end = feeder->fail_at ? feeder->fail_at : feeder->length;
  /* pieces of a few bytes, as a slow download brings them, with pauses
   * between, or large ones */
  gboolean slow = g_rand_int_range (rand, 0, 2);
  guint most = slow ? 256 : 24 * 1024;
  gsize stall = feeder->stall;

  while (sent < end)
    {
      gsize room, piece = g_rand_int_range (rand, 1, most);
      guint8 *free_end = tess_growing_body_get_free (feeder->body, &room);
      gboolean stalls = slow && stall && sent < stall && sent + piece >= stall;
      gsize n;

      if (stalls)
        {
          piece = stall - sent + g_rand_int_range (rand, 0, 4);
          stall += feeder->stall_every;
        }
      n = MIN (MIN (piece, end - sent), room);
      memcpy (free_end, feeder->text + sent, n);
      tess_growing_body_commit (feeder->body, n);
      sent += n;
      if (stalls)
        g_usleep (1000);
      else if (g_rand_int_range (rand, 0, 8) == 0)
        g_usleep (g_rand_int_range (rand, 0, slow ? 40 : 300));
    }
  tess_growing_body_finish (
      feeder->body, feeder->fail_at ? g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "it broke off") : NULL);
  g_rand_free (rand);
  return NULL;
}

void
assert_arriving_read (
    TessFrame *expected, const GError *expected_error, TessFrame *frame, const GError *error, gboolean broke_off)
{
  if (broke_off)
    {
      /* a download that breaks off fails the read, with its own words */
      g_assert_null (frame);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
      return;
    }
  if (expected_error)
    {
      g_assert_null (frame);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, expected_error->message);
      return;
    }
  g_assert_no_error (error);
  assert_same_frame (expected, frame);
}
