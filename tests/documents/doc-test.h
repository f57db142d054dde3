/* doc-test.h: what the document tests share. */
#pragma once

#include "tess-document-private.h"

/* A document of @text, as if read from @name in @dir (its relative sources
 * resolve there). With @check, its format problems must be none. */
TessDocument *doc_test_load (const char *dir, const char *name, const char *text, gboolean check);
