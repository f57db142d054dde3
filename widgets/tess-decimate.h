/* tess-decimate.h: reducing long series to what a plot can show.
 *
 * M4 aggregation (Jugel et al., "M4: a visualization-oriented time series data
 * aggregation", VLDB 2014): for each pixel column of the visible x range, keep
 * the first, the minimum, the maximum and the last point. A line drawn through
 * the kept points is pixel-identical to one drawn through every point, and there
 * are at most 4 per column however many points fall into it.
 *
 * Pure computation, no display needed: any thread may call these functions.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The pixel column (0..width-1) of @x in the view [x0, x1] split into @width
 * columns; values outside the view clamp to the first or last column. */
static inline guint
tess_decimate_column_of (double x, double x0, double scale, guint width)
{
  double c = (x - x0) * scale;

  if (!(c > 0))
    return 0;
  if (c >= (double) width)
    return width - 1;
  return (guint) c;
}

/* The most points tess_decimate_m4() can write for @width columns. */
#define TESS_DECIMATE_M4_CAPACITY(width) (4 * (gsize) (width) + 2)

/* Reduces the series (@x[i], @y[i]), @x sorted ascending (or NULL: x is the
 * index i), to at most 4 points per pixel column of [@x0, @x1] split into
 * @width columns: the first, min, max and last point of each column, in index
 * order, without repeats. NaN y values are skipped. The last point before the
 * view and the first after it are kept too, so a line leaves the plot edge at
 * the right slope. Writes up to TESS_DECIMATE_M4_CAPACITY(@width) source
 * indices to @out_index and returns how many. Runs on any thread. */
gsize tess_decimate_m4 (const double *x, const double *y, gsize n, double x0, double x1, guint width, gsize *out_index);

/* Reduces a scatter series to at most one point per pixel of a @width x
 * @height grid over [@x0, @x1] x [@y0, @y1] (the first point to land in each
 * pixel wins); points outside or with a NaN coordinate are dropped. Order is
 * kept. @out_index needs room for min(@n, @width * @height) entries; returns
 * how many were written. Runs on any thread. */
gsize tess_decimate_scatter (const double *x,
                             const double *y,
                             gsize n,
                             double x0,
                             double x1,
                             double y0,
                             double y1,
                             guint width,
                             guint height,
                             gsize *out_index);

/* The first index i with x[i] >= @value in ascending @x (@n when none). */
gsize tess_lower_bound (const double *x, gsize n, double value);

/* The index of the point of ascending @x whose x is nearest to @value (ties
 * go to the lower index), by binary search. @n must be > 0; NULL @x means
 * x[i] = i. */
gsize tess_nearest_index (const double *x, gsize n, double value);

G_END_DECLS
