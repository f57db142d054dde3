/* fuzz-columns.h: which columns a fuzz input reads when it reads some. */
#pragma once

#include "tess-frame.h"

/* The names of the columns that the bits of @pick choose (the first column
 * by bit 0, the second by bit 1, the ninth by bit 0 again...): of @frame's,
 * or, without a frame, of @made_up (NULL-terminated). A NULL-terminated
 * array of strings it owns. */
GPtrArray *fuzz_pick_columns (guint8 pick, TessFrame *frame, const char *const *made_up);
