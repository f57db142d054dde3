/* decimate.c: M4 and scatter decimation against a brute force on random data,
 * and the binary searches behind hover. Needs no display. */
#include <math.h>

#include "tess-decimate.h"

typedef struct
{
  gsize first, last;
  double min, max;
  gboolean any;
} Column;

static double *
random_sorted_x (GRand *rand, gsize n)
{
  double *x = g_new (double, n);
  double v = g_rand_double_range (rand, -1000, 1000);

  for (gsize i = 0; i < n; i++)
    {
      x[i] = v;
      /* sometimes repeat an x, sometimes jump far */
      if (g_rand_int_range (rand, 0, 10) != 0)
        v +=
            g_rand_int_range (rand, 0, 20) == 0 ? g_rand_double_range (rand, 0, 500) : g_rand_double_range (rand, 0, 2);
    }
  return x;
}

static void
check_m4 (const double *x, const double *y, gsize n, double x0, double x1, guint width)
{
  g_autofree gsize *out = g_new (gsize, TESS_DECIMATE_M4_CAPACITY (width));
  g_autofree Column *cols = g_new0 (Column, width);
  g_autofree guint *kept_per_col = g_new0 (guint, width);
  g_autofree double *kmin = g_new (double, width);
  g_autofree double *kmax = g_new (double, width);
  g_autofree gboolean *has_first = g_new0 (gboolean, width);
  g_autofree gboolean *has_last = g_new0 (gboolean, width);
  double scale = x1 > x0 ? width / (x1 - x0) : 0;
  gssize before = -1, after = -1;
  gsize count, k;

  /* brute force */
  for (gsize i = 0; i < n; i++)
    {
      double xv = x ? x[i] : (double) i;

      if (isnan (y[i]))
        continue;
      if (xv < x0)
        {
          before = i;
          continue;
        }
      if (xv > x1)
        {
          if (after < 0)
            after = i;
          continue;
        }
      guint c = tess_decimate_column_of (xv, x0, scale, width);
      if (!cols[c].any)
        {
          cols[c].any = TRUE;
          cols[c].first = i;
          cols[c].min = cols[c].max = y[i];
        }
      cols[c].last = i;
      cols[c].min = MIN (cols[c].min, y[i]);
      cols[c].max = MAX (cols[c].max, y[i]);
    }

  count = tess_decimate_m4 (x, y, n, x0, x1, width, out);
  g_assert_cmpuint (count, <=, TESS_DECIMATE_M4_CAPACITY (width));

  for (guint c = 0; c < width; c++)
    {
      kmin[c] = INFINITY;
      kmax[c] = -INFINITY;
    }
  for (k = 0; k < count; k++)
    {
      gsize i = out[k];
      double xv = x ? x[i] : (double) i;

      g_assert_cmpuint (i, <, n);
      if (k > 0)
        g_assert_cmpuint (out[k - 1], <, i); /* index order, no repeats */
      g_assert_false (isnan (y[i]));
      if (xv < x0)
        {
          g_assert_cmpint ((gssize) i, ==, before);
          continue;
        }
      if (xv > x1)
        {
          g_assert_cmpint ((gssize) i, ==, after);
          continue;
        }
      guint c = tess_decimate_column_of (xv, x0, scale, width);
      g_assert_true (cols[c].any);
      kept_per_col[c]++;
      kmin[c] = MIN (kmin[c], y[i]);
      kmax[c] = MAX (kmax[c], y[i]);
      if (i == cols[c].first)
        has_first[c] = TRUE;
      if (i == cols[c].last)
        has_last[c] = TRUE;
    }

  /* every pixel column keeps its first, min, max and last, and at most 4 */
  for (guint c = 0; c < width; c++)
    {
      if (!cols[c].any)
        {
          g_assert_cmpuint (kept_per_col[c], ==, 0);
          continue;
        }
      g_assert_cmpuint (kept_per_col[c], >=, 1);
      g_assert_cmpuint (kept_per_col[c], <=, 4);
      g_assert_true (has_first[c]);
      g_assert_true (has_last[c]);
      g_assert_cmpfloat (kmin[c], ==, cols[c].min);
      g_assert_cmpfloat (kmax[c], ==, cols[c].max);
    }

  /* the neighbours outside the view are kept */
  if (before >= 0)
    g_assert_true (count > 0 && out[0] == (gsize) before);
  if (after >= 0)
    g_assert_true (count > 0 && out[count - 1] == (gsize) after);
}

static void
test_m4_random (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20140901);

  for (guint round = 0; round < 300; round++)
    {
      gsize n = g_rand_int_range (rand, 1, 20000);
      g_autofree double *x = random_sorted_x (rand, n);
      g_autofree double *y = g_new (double, n);
      double span = x[n - 1] - x[0];
      double x0, x1;
      guint width = g_rand_int_range (rand, 1, 700);

      for (gsize i = 0; i < n; i++)
        y[i] = g_rand_int_range (rand, 0, 30) == 0 ? NAN : g_rand_double_range (rand, -1e3, 1e3);

      switch (round % 4)
        {
        case 0: /* everything */
          x0 = x[0];
          x1 = x[n - 1];
          break;
        case 1: /* zoomed in: columns of zero or one point */
          x0 = x[0] + g_rand_double (rand) * span;
          x1 = x0 + g_rand_double (rand) * span / 50;
          break;
        case 2: /* a window that may reach past either end */
          x0 = x[0] + g_rand_double_range (rand, -0.3, 1.0) * span;
          x1 = x0 + g_rand_double_range (rand, 0, 0.8) * span;
          break;
        default: /* views on exact sample values */
          x0 = x[g_rand_int_range (rand, 0, n)];
          x1 = x[g_rand_int_range (rand, 0, n)];
          if (x1 < x0)
            {
              double t = x0;
              x0 = x1;
              x1 = t;
            }
          break;
        }
      check_m4 (x, y, n, x0, x1, width);
      check_m4 (NULL, y, n, x0 - x[0], x1 - x[0], width);
    }
}

static void
test_m4_reduces (void)
{
  gsize n = 1000000;
  g_autofree double *y = g_new (double, n);
  g_autofree gsize *out = g_new (gsize, TESS_DECIMATE_M4_CAPACITY (800));
  gsize count;

  for (gsize i = 0; i < n; i++)
    y[i] = sin (i / 1000.0) + (i % 7) * 0.01;
  count = tess_decimate_m4 (NULL, y, n, 0, n - 1, 800, out);
  /* a dense series keeps about 4 points per column */
  g_assert_cmpuint (count, <=, 4 * 800);
  g_assert_cmpuint (count, >=, 3 * 800);
  g_assert_cmpuint (out[0], ==, 0);
  g_assert_cmpuint (out[count - 1], ==, n - 1);
}

static void
test_m4_edges (void)
{
  double x[] = { 0, 1, 2, 3, 4 };
  double y[] = { NAN, NAN, NAN, NAN, NAN };
  gsize out[TESS_DECIMATE_M4_CAPACITY (10)];

  g_assert_cmpuint (tess_decimate_m4 (x, y, 5, 0, 4, 10, out), ==, 0);
  g_assert_cmpuint (tess_decimate_m4 (x, y, 0, 0, 4, 10, out), ==, 0);
  y[2] = 1;
  g_assert_cmpuint (tess_decimate_m4 (x, y, 5, 0, 4, 10, out), ==, 1);
  g_assert_cmpuint (out[0], ==, 2);
  /* a view of one x value */
  g_assert_cmpuint (tess_decimate_m4 (x, y, 5, 2, 2, 10, out), ==, 1);
}

static void
test_scatter_random (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 50; round++)
    {
      gsize n = g_rand_int_range (rand, 1, 20000);
      guint w = g_rand_int_range (rand, 1, 200), h = g_rand_int_range (rand, 1, 200);
      g_autofree double *x = g_new (double, n);
      g_autofree double *y = g_new (double, n);
      g_autofree gsize *out = g_new (gsize, n);
      g_autofree guint8 *occupied = g_new0 (guint8, (gsize) w * h);
      g_autofree guint8 *kept = g_new0 (guint8, (gsize) w * h);
      gsize count, k;

      for (gsize i = 0; i < n; i++)
        {
          x[i] = g_rand_double_range (rand, -10, 10);
          y[i] = g_rand_int_range (rand, 0, 50) == 0 ? NAN : g_rand_double_range (rand, -5, 5);
        }
      for (gsize i = 0; i < n; i++)
        if (x[i] >= -5 && x[i] <= 5 && y[i] >= -2 && y[i] <= 2)
          occupied[tess_decimate_column_of (y[i], -2, h / 4.0, h) * w +
                   tess_decimate_column_of (x[i], -5, w / 10.0, w)] = 1;

      count = tess_decimate_scatter (x, y, n, -5, 5, -2, 2, w, h, out);
      for (k = 0; k < count; k++)
        {
          gsize i = out[k];
          gsize cell =
              tess_decimate_column_of (y[i], -2, h / 4.0, h) * w + tess_decimate_column_of (x[i], -5, w / 10.0, w);

          if (k > 0)
            g_assert_cmpuint (out[k - 1], <, i);
          g_assert_true (occupied[cell]);
          g_assert_false (kept[cell]); /* one point per pixel */
          kept[cell] = 1;
        }
      g_assert_cmpmem (occupied, (gsize) w * h, kept, (gsize) w * h); /* every occupied pixel */
    }
}

static void
test_nearest (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 200; round++)
    {
      gsize n = g_rand_int_range (rand, 1, 3000);
      g_autofree double *x = random_sorted_x (rand, n);

      for (guint q = 0; q < 50; q++)
        {
          double v = g_rand_double_range (rand, x[0] - 10, x[n - 1] + 10);
          gsize got = tess_nearest_index (x, n, v), best = 0;

          for (gsize i = 1; i < n; i++)
            if (fabs (x[i] - v) < fabs (x[best] - v))
              best = i;
          /* same distance (ties may pick another index with the same x distance) */
          g_assert_cmpfloat (fabs (x[got] - v), ==, fabs (x[best] - v));
          g_assert_cmpuint (tess_lower_bound (x, n, v), ==, tess_lower_bound (x, n, v));
        }
      g_assert_cmpuint (tess_nearest_index (NULL, n, -5), ==, 0);
      g_assert_cmpuint (tess_nearest_index (NULL, n, n + 5.0), ==, n - 1);
      if (n > 3)
        g_assert_cmpuint (tess_nearest_index (NULL, n, 2.4), ==, 2);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Charts/decimate/m4-random", test_m4_random);
  g_test_add_func ("/Charts/decimate/m4-reduces", test_m4_reduces);
  g_test_add_func ("/Charts/decimate/m4-edges", test_m4_edges);
  g_test_add_func ("/Charts/decimate/scatter-random", test_scatter_random);
  g_test_add_func ("/Charts/decimate/nearest", test_nearest);
  return g_test_run ();
}
