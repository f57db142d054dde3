/* groupby.c: group-by with a mean over 10 M rows in 1000 groups (an int64 key
 * and a double value), best of three, in million rows per second.
 *
 * data.filter_groupby_mrows_s: the same rows filtered (sales > 300, 70% kept)
 * and grouped in one step, a mean and a count, the way a document's filter
 * and group_by run: on every core (rows filtered per second). No goal of
 * its own; it shows what the threads give.
 */
#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-json-reader.h"
#include "tess-cache.h"
#include "tess-source.h"
#include "tess-transform.h"
#include "tess-transform-private.h"

#include <stdio.h>

#define ROWS 10000000
#define GROUPS 1000

int
main (int argc, char **argv)
{
  g_autofree gint64 *keys = g_new (gint64, ROWS);
  g_autofree double *values = g_new (double, ROWS);
  g_autoptr (TessColumn) key_column = NULL;
  g_autoptr (TessColumn) value_column = NULL;
  g_autoptr (TessFrame) frame = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  const char *by[] = { "store", NULL };
  TessAggregation mean = { "sales", TESS_AGGREGATE_MEAN, NULL };
  double best = 0;

  for (gsize i = 0; i < ROWS; i++)
    {
      keys[i] = g_rand_int_range (rand, 0, GROUPS) * 37 + 11;
      values[i] = g_rand_double_range (rand, 0, 1000);
    }
  g_rand_free (rand);
  key_column = tess_column_new_int64 ("store", keys, ROWS);
  value_column = tess_column_new_double ("sales", values, ROWS);
  {
    TessColumn *columns[] = { key_column, value_column };
    frame = tess_frame_new (columns, 2, NULL);
  }
  for (int run = 0; run < 3; run++)
    {
      g_autoptr (GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (TessFrame) result = tess_frame_group_by (frame, by, &mean, 1, &error);
      double seconds = (g_get_monotonic_time () - t0) / 1e6;

      g_assert_no_error (error);
      g_assert_cmpuint (tess_frame_get_n_rows (result), ==, GROUPS);
      best = MAX (best, ROWS / 1e6 / seconds);
    }
  printf ("bench: data.groupby_mrows_s %.0f Mrows/s (goal >= 100)\n", best);

  {
    TessAggregation aggs[] = { { "sales", TESS_AGGREGATE_MEAN, NULL }, { NULL, TESS_AGGREGATE_COUNT, NULL } };
    g_autoptr (TessPredicate) above = tess_predicate_compare ("sales", TESS_COMPARE_GT, 300);

    best = 0;
    for (int run = 0; run < 3; run++)
      {
        g_autoptr (GError) error = NULL;
        gint64 t0 = g_get_monotonic_time ();
        g_autoptr (TessFrame) result = tess_frame_filter_group_by (frame, above, by, aggs, G_N_ELEMENTS (aggs), &error);
        double seconds = (g_get_monotonic_time () - t0) / 1e6;

        g_assert_no_error (error);
        g_assert_cmpuint (tess_frame_get_n_rows (result), ==, GROUPS);
        best = MAX (best, ROWS / 1e6 / seconds);
      }
    printf ("bench: data.filter_groupby_mrows_s %.0f Mrows/s [%u cores]\n", best, g_get_num_processors ());
  }
  return 0;
}
