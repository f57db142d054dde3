/* body-feeder.h: a download written into a body still arriving, for the
 * tests of the readers that parse a body as it arrives. */
#pragma once

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
