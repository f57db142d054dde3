/* frame-compare.h: whether two frames hold the same table, for the tests of
 * the readers that compare one way of reading with another. */
#pragma once

#include "tess-frame.h"

/* The same table, bit for bit: names, types, nulls and values (a double's
 * sign included). Fails the test where they differ. */
void assert_same_frame (TessFrame *expected, TessFrame *actual);
