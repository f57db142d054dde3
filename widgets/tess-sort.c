/* tess-sort.c: radix and merge sorts of row numbers (see tess-sort.h). */
#include "tess-sort.h"

#include <math.h>
#include <string.h>

typedef struct
{
  guint64 key;
  guint32 row;
} Item;

static inline guint64
key_of_double (double v)
{
  guint64 u;

  if (v == 0)
    v = 0; /* -0 sorts with 0 */
  memcpy (&u, &v, sizeof u);
  return (u & G_GUINT64_CONSTANT (0x8000000000000000)) ? ~u : u | G_GUINT64_CONSTANT (0x8000000000000000);
}

static inline guint64
key_of_int64 (gint64 v)
{
  return (guint64) v ^ G_GUINT64_CONSTANT (0x8000000000000000);
}

/* Sorts items[0..n) stably by key, in four passes of 16 bits; skips passes
 * where every key has the same digit. */
static void
radix_sort (Item *items, gsize n)
{
  g_autofree Item *tmp = NULL;
  g_autofree gsize *counts = NULL;
  Item *src = items, *dst;

  if (n < 2)
    return;
  tmp = g_new (Item, n);
  counts = g_new (gsize, 4 * 65536);
  memset (counts, 0, 4 * 65536 * sizeof (gsize));
  /* one pass to count every digit */
  for (gsize i = 0; i < n; i++)
    {
      guint64 k = items[i].key;

      counts[0 * 65536 + (k & 0xffff)]++;
      counts[1 * 65536 + ((k >> 16) & 0xffff)]++;
      counts[2 * 65536 + ((k >> 32) & 0xffff)]++;
      counts[3 * 65536 + (k >> 48)]++;
    }
  dst = tmp;
  for (guint pass = 0; pass < 4; pass++)
    {
      gsize *c = counts + pass * 65536, sum = 0;
      guint shift = pass * 16;

      if (c[(src[0].key >> shift) & 0xffff] == n)
        continue; /* every key has this digit */
      for (guint d = 0; d < 65536; d++)
        {
          gsize t = c[d];

          c[d] = sum;
          sum += t;
        }
      for (gsize i = 0; i < n; i++)
        dst[c[(src[i].key >> shift) & 0xffff]++] = src[i];
      {
        Item *t = src;
        src = dst;
        dst = t;
      }
    }
  if (src != items)
    memcpy (items, src, n * sizeof (Item));
}

static void
finish (Item *items, gsize n_valid, gsize n, const guint32 *missing, guint32 *order)
{
  for (gsize i = 0; i < n_valid; i++)
    order[i] = items[i].row;
  memcpy (order + n_valid, missing, (n - n_valid) * sizeof (guint32));
}

void
tess_sort_doubles (const double *keys, gsize n, gboolean descending, guint32 *order)
{
  g_autofree Item *items = g_new (Item, MAX (n, 1));
  g_autofree guint32 *missing = g_new (guint32, MAX (n, 1));
  gsize n_valid = 0, n_missing = 0;
  guint64 flip = descending ? G_MAXUINT64 : 0;

  g_return_if_fail (keys != NULL || n == 0);
  g_return_if_fail (n <= G_MAXUINT32);

  for (gsize i = 0; i < n; i++)
    {
      if (isnan (keys[i]))
        missing[n_missing++] = i;
      else
        items[n_valid++] = (Item){ key_of_double (keys[i]) ^ flip, i };
    }
  radix_sort (items, n_valid);
  finish (items, n_valid, n, missing, order);
}

void
tess_sort_int64 (const gint64 *keys, const guint8 *validity, gsize n, gboolean descending, guint32 *order)
{
  g_autofree Item *items = g_new (Item, MAX (n, 1));
  g_autofree guint32 *missing = g_new (guint32, MAX (n, 1));
  gsize n_valid = 0, n_missing = 0;
  guint64 flip = descending ? G_MAXUINT64 : 0;

  g_return_if_fail (keys != NULL || n == 0);
  g_return_if_fail (n <= G_MAXUINT32);

  for (gsize i = 0; i < n; i++)
    {
      if (validity != NULL && !(validity[i / 8] & (1u << (i % 8))))
        missing[n_missing++] = i;
      else
        items[n_valid++] = (Item){ key_of_int64 (keys[i]) ^ flip, i };
    }
  radix_sort (items, n_valid);
  finish (items, n_valid, n, missing, order);
}

typedef struct
{
  const char *const *keys;
  gboolean descending;
} StringOrder;

static int
compare_rows (const StringOrder *o, guint32 a, guint32 b)
{
  int c = strcmp (o->keys[a], o->keys[b]);

  return o->descending ? -c : c;
}

/* A stable merge sort of rows[0..n) using tmp as scratch. */
static void
merge_sort (const StringOrder *o, guint32 *rows, guint32 *tmp, gsize n)
{
  gsize half, i, j, k;

  if (n < 16)
    {
      for (i = 1; i < n; i++)
        {
          guint32 r = rows[i];

          for (j = i; j > 0 && compare_rows (o, rows[j - 1], r) > 0; j--)
            rows[j] = rows[j - 1];
          rows[j] = r;
        }
      return;
    }
  half = n / 2;
  merge_sort (o, rows, tmp, half);
  merge_sort (o, rows + half, tmp, n - half);
  if (compare_rows (o, rows[half - 1], rows[half]) <= 0)
    return;
  memcpy (tmp, rows, half * sizeof (guint32));
  for (i = 0, j = half, k = 0; i < half && j < n;)
    rows[k++] = compare_rows (o, rows[j], tmp[i]) < 0 ? rows[j++] : tmp[i++];
  while (i < half)
    rows[k++] = tmp[i++];
}

void
tess_sort_strings (const char *const *keys, gsize n, gboolean descending, guint32 *order)
{
  g_autofree guint32 *tmp = g_new (guint32, MAX (n, 1));
  StringOrder o = { keys, descending };
  gsize n_valid = 0, n_missing = 0;

  g_return_if_fail (keys != NULL || n == 0);
  g_return_if_fail (n <= G_MAXUINT32);

  /* valid rows first, missing ones (in order) after them */
  for (gsize i = 0; i < n; i++)
    if (keys[i] != NULL)
      order[n_valid++] = i;
  for (gsize i = 0; i < n; i++)
    if (keys[i] == NULL)
      tmp[n_missing++] = i;
  memcpy (order + n_valid, tmp, n_missing * sizeof (guint32));
  merge_sort (&o, order, tmp, n_valid);
}

gboolean
tess_is_sorted_doubles (const double *x, gsize n)
{
  for (gsize i = 1; i < n; i++)
    if (x[i] < x[i - 1])
      return FALSE;
  return TRUE;
}
