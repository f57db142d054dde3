/* tess-format-private.h: how every layer writes values as text: JSON strings
 * and numbers for people. One copy of each rule, so the timeline, --describe,
 * documents and automatic dashboards all print the same way.
 *
 * Not installed; any layer may include it. Any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @text to @out as a JSON string literal, quotes included: ", \ and
 * control characters escaped, UTF-8 kept as it is. */
void tess_format_append_json (GString *out, const char *text);

/* @v as people read it: NaN as "–"; with @decimals >= 0, exactly that many
 * decimals; otherwise integers in full (up to 1e15) and everything else to 6
 * significant digits, always with "." as the decimal point. transfer full */
char *tess_format_double (double v, int decimals);

G_END_DECLS
