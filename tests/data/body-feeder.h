/* body-feeder.h: a download written into a body still arriving, and what
 * reading it must give, for the tests of the readers that parse a body as
 * it arrives. */
#pragma once

#include "tess-frame.h"
#include "tess-growing-body-private.h"

typedef struct
{
  TessGrowingBody *body;
  const char *text;
  gsize length;
  gsize fail_at; /* the download breaks off here (0: it does not) */
  guint32 seed;
  /* a slow download stops a while a few bytes past stall, then past each
   * stall_every bytes after it (0: it does not stop there) */
  gsize stall, stall_every;
} BodyFeeder;

/* Runs on its own thread (g_thread_new() with the feeder): writes the text
 * into the body in random pieces, pausing now and then, as a download does,
 * and ends the body, complete or broken off. */
gpointer body_feeder_thread (gpointer feeder);

/* What a read of the body a feeder wrote must give: when the download broke
 * off (@broke_off), the download's error; otherwise what the read of the
 * whole text gave, the same frame as @expected or an error of the same
 * words as @expected_error. */
void assert_arriving_read (
    TessFrame *expected, const GError *expected_error, TessFrame *frame, const GError *error, gboolean broke_off);
