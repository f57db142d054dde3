/* tess-decimate.c: M4 and scatter decimation, binary searches (see tess-decimate.h). */
#include "tess-decimate.h"

#include <math.h>

static inline double
x_at (const double *x, gsize i)
{
  return x != NULL ? x[i] : (double) i;
}

gsize
tess_lower_bound (const double *x, gsize n, double value)
{
  gsize lo = 0, hi = n;

  if (x == NULL)
    {
      if (!(value > 0))
        return 0;
      return value >= (double) n ? n : (gsize) ceil (value);
    }
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (x[mid] < value)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The first index i with x[i] > @value (@n when none). */
static gsize
upper_bound (const double *x, gsize n, double value)
{
  gsize lo = 0, hi = n;

  if (x == NULL)
    {
      if (!(value >= 0))
        return 0;
      return value >= (double) n ? n : (gsize) floor (value) + 1;
    }
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (x[mid] <= value)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

gsize
tess_nearest_index (const double *x, gsize n, double value)
{
  gsize i;

  g_return_val_if_fail (n > 0, 0);

  i = tess_lower_bound (x, n, value);
  if (i == 0)
    return 0;
  if (i == n)
    return n - 1;
  if (value - x_at (x, i - 1) <= x_at (x, i) - value)
    return i - 1;
  return i;
}

/* The first index in [from, end) whose column is above @column, found by
 * galloping then bisecting: columns hold few points when zoomed in and many
 * when zoomed out, and both cost a logarithm of the column's size. */
static gsize
column_end (const double *x, gsize from, gsize end, guint column, double x0, double scale, guint width)
{
  gsize lo = from, step = 1, hi;

  /* invariant: column_of (x[lo]) <= column */
  for (;;)
    {
      hi = lo + step;
      if (hi >= end)
        {
          hi = end;
          break;
        }
      if (tess_decimate_column_of (x_at (x, hi), x0, scale, width) > column)
        break;
      lo = hi;
      step *= 2;
    }
  /* column_of (x[lo]) <= column < column_of (x[hi]) or hi == end */
  while (hi - lo > 1)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (tess_decimate_column_of (x_at (x, mid), x0, scale, width) > column)
        hi = mid;
      else
        lo = mid;
    }
  return hi;
}

gsize
tess_decimate_m4 (const double *x, const double *y, gsize n, double x0, double x1, guint width, gsize *out_index)
{
  gsize lo, hi, i, count = 0;
  double scale;

  g_return_val_if_fail (y != NULL || n == 0, 0);
  g_return_val_if_fail (out_index != NULL, 0);

  if (n == 0 || width == 0 || !(x1 >= x0))
    return 0;

  scale = x1 > x0 ? width / (x1 - x0) : 0;
  lo = tess_lower_bound (x, n, x0);
  hi = upper_bound (x, n, x1);

  /* the last valid point before the view */
  for (i = lo; i > 0; i--)
    if (!isnan (y[i - 1]))
      {
        out_index[count++] = i - 1;
        break;
      }

  i = lo;
  while (i < hi)
    {
      guint column = tess_decimate_column_of (x_at (x, i), x0, scale, width);
      gsize end = column_end (x, i, hi, column, x0, scale, width);
      gsize first = i, last = end, j, imin, imax;
      double vmin, vmax;

      while (first < end && isnan (y[first]))
        first++;
      if (first == end)
        {
          i = end;
          continue;
        }
      while (isnan (y[last - 1]))
        last--;
      last--;

      imin = imax = first;
      vmin = vmax = y[first];
      j = first + 1;
      /* blocks of 16: a branch-free min and max per block, and a look for the
       * index only in the rare block that improves on them (NaN compares false
       * and is passed over) */
      for (; j + 16 <= last + 1; j += 16)
        {
          double bmin = INFINITY, bmax = -INFINITY;

          for (gsize k = 0; k < 16; k++)
            {
              double v = y[j + k];

              bmin = v < bmin ? v : bmin;
              bmax = v > bmax ? v : bmax;
            }
          if (bmin < vmin)
            {
              vmin = bmin;
              for (gsize k = 0; k < 16; k++)
                if (y[j + k] == bmin)
                  {
                    imin = j + k;
                    break;
                  }
            }
          if (bmax > vmax)
            {
              vmax = bmax;
              for (gsize k = 0; k < 16; k++)
                if (y[j + k] == bmax)
                  {
                    imax = j + k;
                    break;
                  }
            }
        }
      for (; j <= last; j++)
        {
          double v = y[j];

          if (v < vmin)
            {
              vmin = v;
              imin = j;
            }
          if (v > vmax)
            {
              vmax = v;
              imax = j;
            }
        }

      /* first, then min and max in index order, then last; no repeats */
      out_index[count++] = first;
      {
        gsize a = MIN (imin, imax), b = MAX (imin, imax);

        if (a != first)
          out_index[count++] = a;
        if (b != a && b != first)
          out_index[count++] = b;
        if (last != b && last != first)
          out_index[count++] = last;
      }
      i = end;
    }

  /* the first valid point after the view */
  for (i = hi; i < n; i++)
    if (!isnan (y[i]))
      {
        out_index[count++] = i;
        break;
      }

  return count;
}

gsize
tess_decimate_scatter (const double *x,
                       const double *y,
                       gsize n,
                       double x0,
                       double x1,
                       double y0,
                       double y1,
                       guint width,
                       guint height,
                       gsize *out_index)
{
  g_autofree guint8 *seen = NULL;
  double sx, sy;
  gsize i, count = 0;

  g_return_val_if_fail (y != NULL || n == 0, 0);
  g_return_val_if_fail (out_index != NULL, 0);

  if (n == 0 || width == 0 || height == 0 || !(x1 > x0) || !(y1 > y0))
    return 0;

  seen = g_malloc0 (((gsize) width * height + 7) / 8);
  sx = width / (x1 - x0);
  sy = height / (y1 - y0);
  for (i = 0; i < n; i++)
    {
      double xv = x_at (x, i), yv = y[i];
      gsize cell;
      guint cx, cy;

      if (!(xv >= x0 && xv <= x1 && yv >= y0 && yv <= y1))
        continue;
      cx = tess_decimate_column_of (xv, x0, sx, width);
      cy = tess_decimate_column_of (yv, y0, sy, height);
      cell = (gsize) cy * width + cx;
      if (seen[cell / 8] & (1u << (cell % 8)))
        continue;
      seen[cell / 8] |= 1u << (cell % 8);
      out_index[count++] = i;
    }
  return count;
}
