/* tess-sort.h: stable sorts of row numbers by a column's values, for tables
 * and charts of millions of rows.
 *
 * Numbers sort by an LSD radix sort on 16-bit digits of an order-preserving
 * 64-bit key: four linear passes, whatever the data, where a comparison sort
 * of ten million doubles takes seconds. Strings sort by a merge sort.
 *
 * Pure computation, no display needed: any thread may call these functions.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes to @order (n entries) the row numbers 0..@n-1 sorted by @keys, stably;
 * rows whose key is NaN (or, for the int64 form, whose bit in @validity, LSB
 * first, is clear; @validity may be NULL) come last in either direction. Runs
 * on any thread. */
void tess_sort_doubles (const double *keys, gsize n, gboolean descending, guint32 *order);
void tess_sort_int64 (const gint64 *keys, const guint8 *validity, gsize n, gboolean descending, guint32 *order);

/* The same for strings (NULL is missing and comes last); byte order of UTF-8,
 * which is code point order. Runs on any thread. */
void tess_sort_strings (const char *const *keys, gsize n, gboolean descending, guint32 *order);

/* Whether @x (n values, no NaN) is ascending. */
gboolean tess_is_sorted_doubles (const double *x, gsize n);

G_END_DECLS
