/* table.c: the table model and view: rows read on demand from a frame, cell
 * formats, sort order (stable, missing values last, on a worker for large
 * frames), header clicks, copying and CSV export; searching and filtering
 * rows (on a worker, a newer search superseding an older), the row count,
 * missing values as a dimmed dash and headers' tooltips. */
#include <math.h>
#include <string.h>

#include "tess-table-view-private.h"
#include "tess-test-dir.h"

static TessFrame *
make_frame (gsize n, guint seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (TessColumnBuilder) price = tess_column_builder_new ("price", TESS_COLUMN_DOUBLE, n);
  g_autoptr (TessColumnBuilder) count = tess_column_builder_new ("count", TESS_COLUMN_INT64, n);
  g_autoptr (TessColumnBuilder) name = tess_column_builder_new ("name", TESS_COLUMN_STRING, n);
  g_autoptr (TessColumnBuilder) day = tess_column_builder_new ("day", TESS_COLUMN_DATE, n);
  g_autoptr (TessColumnBuilder) when = tess_column_builder_new ("when", TESS_COLUMN_TIMESTAMP, n);
  static const char *const names[] = { "pear", "apple", "fig", "kiwi", "lime" };
  TessColumn *columns[5];
  g_autoptr (GError) error = NULL;
  TessFrame *frame;

  for (gsize i = 0; i < n; i++)
    {
      if (i % 17 == 5)
        tess_column_builder_append_null (price);
      else
        tess_column_builder_append_double (price, g_rand_int_range (rand, 0, 1000) / 4.0);
      if (i % 13 == 3)
        tess_column_builder_append_null (count);
      else
        tess_column_builder_append_int64 (count, g_rand_int_range (rand, -50, 50));
      if (i % 11 == 7)
        tess_column_builder_append_null (name);
      else
        tess_column_builder_append_string (name, names[g_rand_int_range (rand, 0, 5)]);
      tess_column_builder_append_date (day, 19000 + g_rand_int_range (rand, 0, 400));
      tess_column_builder_append_timestamp (when, G_GINT64_CONSTANT (1700000000000000) + (gint64) i * 1000000);
    }
  columns[0] = tess_column_builder_finish (g_steal_pointer (&price));
  columns[1] = tess_column_builder_finish (g_steal_pointer (&count));
  columns[2] = tess_column_builder_finish (g_steal_pointer (&name));
  columns[3] = tess_column_builder_finish (g_steal_pointer (&day));
  columns[4] = tess_column_builder_finish (g_steal_pointer (&when));
  frame = tess_frame_new (columns, 5, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    tess_column_unref (columns[i]);
  return frame;
}

static void
test_model_rows (void)
{
  g_autoptr (TessFrame) frame = make_frame (1000, 1);
  g_autoptr (TessTableModel) model = tess_table_model_new (frame);
  g_autoptr (TessTableRow) last = NULL;
  double v;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == TESS_TYPE_TABLE_ROW);
  last = g_list_model_get_item (G_LIST_MODEL (model), 999);
  g_assert_cmpuint (tess_table_row_get_row (last), ==, 999);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 1000));

  /* cells: a missing value is blank; numbers grouped; times readable */
  {
    g_autofree char *missing = tess_table_model_format_cell (model, 5, 0);
    g_autofree char *when = tess_table_model_format_cell (model, 0, 4);
    g_autofree char *day = tess_table_model_format_cell (model, 0, 3);

    g_assert_cmpstr (missing, ==, "");
    g_assert_cmpstr (when, ==, "2023-11-14 22:13:20");
    g_assert_cmpuint (strlen (day), ==, 10);
    g_assert_cmpint (day[4], ==, '-');
  }
  {
    double values[] = { 1234567.5, -0.25, 3, 1e-7, 12 };
    const char *expected[] = { "1,234,567.5", "-0.25", "3", "1e-07", "12" };
    g_autoptr (TessColumn) column = tess_column_new_double ("v", values, G_N_ELEMENTS (values));

    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      {
        g_autofree char *text = tess_table_model_format_value (column, i);

        g_assert_cmpstr (text, ==, expected[i]);
      }
  }
  /* a column shows one number of decimals, so its decimal points line up */
  {
    double values[] = { 1.5, 2.25, 3, -0.001, 2331.504 };
    const char *expected[] = { "1.500", "2.250", "3.000", "-0.001", "2,331.504" };
    double third[] = { 1.0 / 3, 2 };
    g_autoptr (TessColumn) column = tess_column_new_double ("v", values, 4);
    g_autoptr (TessColumn) wide = tess_column_new_double ("w", values, 5);
    g_autoptr (TessColumn) thirds = tess_column_new_double ("t", third, 2);
    g_autoptr (TessColumn) ints = tess_column_new_double ("i", (double[]){ 1, 20, 300 }, 3);

    g_assert_cmpint (tess_table_model_column_decimals (column), ==, 3);
    g_assert_cmpint (tess_table_model_column_decimals (wide), ==, 3);
    g_assert_cmpint (tess_table_model_column_decimals (thirds), ==, 6);
    g_assert_cmpint (tess_table_model_column_decimals (ints), ==, 0);
    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *text = tess_table_model_format_number (wide, i, 3);

        g_assert_cmpstr (text, ==, expected[i]);
      }
    {
      g_autofree char *zero = tess_table_model_format_number (column, 3, 2);

      g_assert_cmpstr (zero, ==, "0.00"); /* never "-0.00" */
    }
  }
  v = tess_column_get_double (tess_frame_get_column (frame, 0), tess_table_model_get_row (model, 0));
  g_assert_false (isnan (v));
}

/* Sorted by @column, stable, missing last. */
static void
check_order (TessTableModel *model, int column, gboolean descending)
{
  TessFrame *frame = tess_table_model_get_frame (model);
  TessColumn *col = tess_frame_get_column (frame, column);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  gboolean seen_missing = FALSE;
  g_autofree guint8 *seen = g_new0 (guint8, n);

  for (guint p = 0; p < n; p++)
    {
      gsize row = tess_table_model_get_row (model, p);

      g_assert_false (seen[row]); /* a permutation */
      seen[row] = 1;
      if (tess_column_is_null (col, row))
        {
          seen_missing = TRUE;
          if (p > 0 && tess_column_is_null (col, tess_table_model_get_row (model, p - 1)))
            g_assert_cmpuint (tess_table_model_get_row (model, p - 1), <, row);
          continue;
        }
      g_assert_false (seen_missing);
      if (p > 0)
        {
          gsize prev = tess_table_model_get_row (model, p - 1);
          int c;

          if (tess_column_get_column_type (col) == TESS_COLUMN_STRING)
            c = strcmp (tess_column_get_string (col, prev), tess_column_get_string (col, row));
          else
            {
              double a = tess_column_get_double (col, prev), b = tess_column_get_double (col, row);
              c = (a > b) - (a < b);
            }
          if (descending)
            c = -c;
          g_assert_cmpint (c, <=, 0);
          if (c == 0)
            g_assert_cmpuint (prev, <, row); /* stable */
        }
    }
}

static void
test_sort_order (void)
{
  g_autoptr (TessFrame) frame = make_frame (5000, 2);
  g_autoptr (TessTableModel) model = tess_table_model_new (frame);

  for (int column = 0; column < 5; column++)
    for (int descending = 0; descending < 2; descending++)
      {
        tess_table_model_sort (model, column, descending);
        g_assert_cmpint (tess_table_model_get_sort_column (model), ==, column);
        check_order (model, column, descending);
      }
  tess_table_model_sort (model, -1, FALSE);
  for (guint p = 0; p < 5000; p++)
    g_assert_cmpuint (tess_table_model_get_row (model, p), ==, p);
}

static void
sorted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  g_assert_true (tess_table_model_sort_finish (TESS_TABLE_MODEL (source), result, NULL));
  *done = TRUE;
}

static void
count_changes (GListModel *model, guint position, guint removed, guint added, guint *changes)
{
  (*changes)++;
}

static void
test_sort_async (void)
{
  g_autoptr (TessFrame) frame = make_frame (TESS_TABLE_MODEL_SYNC_SORT_ROWS * 3, 3);
  g_autoptr (TessTableModel) model = tess_table_model_new (frame);
  gboolean done = FALSE, done2 = FALSE;
  guint changes = 0;

  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &changes);
  tess_table_model_sort_async (model, 0, FALSE, NULL, sorted_cb, &done);
  /* on a worker: the order has not changed yet */
  g_assert_false (done);
  g_assert_cmpint (tess_table_model_get_sort_column (model), ==, -1);
  /* a second sort supersedes the first, which is never applied */
  tess_table_model_sort_async (model, 2, TRUE, NULL, sorted_cb, &done2);
  while (!done || !done2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpint (tess_table_model_get_sort_column (model), ==, 2);
  check_order (model, 2, TRUE);
}

static void
test_csv (void)
{
  g_autoptr (TessFrame) frame = make_frame (50, 4);
  g_autoptr (TessTableModel) model = tess_table_model_new (frame);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *row0 = NULL;

  tess_table_model_sort (model, 0, TRUE);
  g_assert_true (tess_table_model_write_csv (model, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  lines = g_strsplit (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "price,count,name,day,when");
  g_assert_cmpuint (g_strv_length (lines), ==, 52);
  /* rows in the table's order */
  row0 = tess_table_model_row_to_text (model, 0, ',');
  g_assert_cmpstr (lines[1], ==, row0);
}

/* Whether row @row shows @text in any column, as the table shows it: the
 * rule a person checks a search by. */
static gboolean
row_shows (TessFrame *frame, gsize row, const char *text)
{
  g_autofree char *needle = g_utf8_casefold (text, -1);
  g_autofree char *digits = g_strdup (needle);

  {
    char *out = digits;

    for (const char *p = needle; *p != '\0'; p++)
      if (*p != ',')
        *out++ = *p;
    *out = '\0';
  }
  for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
    {
      TessColumn *column = tess_frame_get_column (frame, c);
      TessColumnType type = tess_column_get_column_type (column);
      gboolean numeric = type == TESS_COLUMN_INT64 || type == TESS_COLUMN_DOUBLE;
      g_autofree char *shown = NULL;
      g_autofree char *folded = NULL;

      if (tess_column_is_null (column, row))
        continue;
      shown = tess_table_model_format_number (column, row, tess_table_model_column_decimals (column));
      /* "1234" finds 1,234.5: digits are matched without their grouping
       * (the C locale's) */
      if (numeric)
        {
          char *out = shown;

          for (const char *p = shown; *p != '\0'; p++)
            if (*p != ',')
              *out++ = *p;
          *out = '\0';
        }
      folded = g_utf8_casefold (shown, -1);
      if (strstr (folded, numeric ? digits : needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
filtered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *done = user_data;

  g_assert_true (tess_table_model_filter_finish (TESS_TABLE_MODEL (source), result, NULL));
  (*done)++;
}

static void
filter_and_wait (TessTableModel *model, const TessTableFilter *filter)
{
  guint done = 0;

  tess_table_model_filter_async (model, filter, NULL, filtered_cb, &done);
  while (done == 0)
    g_main_context_iteration (NULL, TRUE);
}

/* Searches and column filters keep exactly the rows a person would pick. */
static void
test_filter (void)
{
  g_autoptr (TessFrame) frame = make_frame (3000, 11);
  g_autoptr (TessTableModel) model = tess_table_model_new (frame);
  static const char *const searches[] = { "APP", "12", "2022-0", "i", "nothing like it", "0.25", "-4" };
  gsize n = tess_frame_get_n_rows (frame);

  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    {
      g_autoptr (TessTableFilter) filter = tess_table_filter_new ();
      g_autofree guint8 *kept = g_new0 (guint8, n);
      guint n_shown, expected = 0;

      tess_table_filter_set_search (filter, searches[s], NULL, 0);
      filter_and_wait (model, filter);
      n_shown = g_list_model_get_n_items (G_LIST_MODEL (model));
      for (guint p = 0; p < n_shown; p++)
        {
          gsize row = tess_table_model_get_row (model, p);

          g_assert_true (row_shows (frame, row, searches[s]));
          g_assert_false (kept[row]);
          kept[row] = 1;
          /* in the table's order */
          if (p > 0)
            g_assert_cmpuint (tess_table_model_get_row (model, p - 1), <, row);
        }
      for (gsize row = 0; row < n; row++)
        expected += row_shows (frame, row, searches[s]);
      g_assert_cmpuint (n_shown, ==, expected);
      g_assert_cmpuint (tess_table_model_get_n_rows (model), ==, n);
    }
  /* "nothing like it" found nothing; an empty search shows every row again */
  filter_and_wait (model, NULL);
  g_assert_null (tess_table_model_get_filter (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);

  /* column filters: price above 100, name apple, day in 2022 and later */
  {
    g_autoptr (TessTableFilter) filter = tess_table_filter_new ();
    g_autoptr (GError) error = NULL;
    TessColumn *price = tess_frame_get_column (frame, 0);
    TessColumn *name = tess_frame_get_column (frame, 2);
    TessColumn *day = tess_frame_get_column (frame, 3);
    guint expected = 0, n_shown;
    gint32 first_2022 = 18993; /* 2022-01-01 */

    g_assert_true (tess_table_filter_set_column (filter, frame, 0, "> 100", &error));
    g_assert_true (tess_table_filter_set_column (filter, frame, 2, "= Apple", &error));
    g_assert_true (tess_table_filter_set_column (filter, frame, 3, ">= 2022-01-01", &error));
    g_assert_no_error (error);
    g_assert_cmpuint (tess_table_filter_get_n_column_filters (filter), ==, 3);
    g_assert_cmpstr (tess_table_filter_get_column (filter, 0), ==, "> 100");
    /* sorted by price, descending, while filtered */
    tess_table_model_sort (model, 0, TRUE);
    filter_and_wait (model, filter);
    n_shown = g_list_model_get_n_items (G_LIST_MODEL (model));
    for (gsize row = 0; row < n; row++)
      expected += !tess_column_is_null (price, row) && tess_column_get_double (price, row) > 100 &&
                  !tess_column_is_null (name, row) && g_str_equal (tess_column_get_string (name, row), "apple") &&
                  tess_column_get_int64 (day, row) >= first_2022;
    g_assert_cmpuint (n_shown, ==, expected);
    g_assert_cmpuint (n_shown, >, 0);
    for (guint p = 0; p < n_shown; p++)
      {
        gsize row = tess_table_model_get_row (model, p);

        g_assert_cmpfloat (tess_column_get_double (price, row), >, 100);
        g_assert_cmpstr (tess_column_get_string (name, row), ==, "apple");
        if (p > 0)
          g_assert_cmpfloat (tess_column_get_double (price, tess_table_model_get_row (model, p - 1)), >=,
                             tess_column_get_double (price, row));
      }
    /* the sort changes while filtered: still only those rows, now ascending */
    tess_table_model_sort (model, 0, FALSE);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected);
    for (guint p = 1; p < expected; p++)
      g_assert_cmpfloat (tess_column_get_double (price, tess_table_model_get_row (model, p - 1)), <=,
                         tess_column_get_double (price, tess_table_model_get_row (model, p)));
    /* exported CSV: the rows shown */
    {
      g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_auto (GStrv) lines = NULL;

      g_assert_true (tess_table_model_write_csv (model, out, NULL, &error));
      g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
      lines = g_strsplit (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), "\r\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, expected + 2);
    }
  }

  /* a comparison the column cannot make says what to write */
  {
    g_autoptr (TessTableFilter) filter = tess_table_filter_new ();
    g_autoptr (GError) error = NULL;

    g_assert_false (tess_table_filter_set_column (filter, frame, 0, "> abc", &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "“price”"));
    g_assert_nonnull (strstr (error->message, "“> 100”"));
    g_clear_error (&error);
    g_assert_false (tess_table_filter_set_column (filter, frame, 3, "< July", &error));
    g_assert_nonnull (strstr (error->message, "2013-07-01"));
    g_assert_true (tess_table_filter_is_empty (filter));
  }

  /* numbers are found as the table shows them, whatever their sign, size or
   * decimals */
  {
    g_autoptr (GRand) rand = g_rand_new_with_seed (17);
    double thousandths[4000], sevenths[4000];
    g_autoptr (TessColumn) a = NULL;
    g_autoptr (TessColumn) b = NULL;
    g_autoptr (TessFrame) numbers = NULL;
    g_autoptr (TessTableModel) numbers_model = NULL;
    static const char *const digits[] = { "0.0", "-0.", "5.12", "00", "857", "285714", "-1", ".5", "3", "1,428" };

    for (guint i = 0; i < 4000; i++)
      {
        thousandths[i] = g_rand_int_range (rand, -200000, 200000) / (i % 3 == 0 ? 1000.0 : 100.0);
        sevenths[i] = (g_rand_int_range (rand, -3000, 3000) + (i % 5 == 0 ? 1e9 : 0)) / 7.0;
      }
    a = tess_column_new_double ("a", thousandths, 4000);
    b = tess_column_new_double ("b", sevenths, 4000);
    numbers = tess_frame_new ((TessColumn *[]){ a, b }, 2, NULL);
    numbers_model = tess_table_model_new (numbers);
    for (guint s = 0; s < G_N_ELEMENTS (digits); s++)
      {
        g_autoptr (TessTableFilter) filter = tess_table_filter_new ();
        guint expected = 0;

        tess_table_filter_set_search (filter, digits[s], NULL, 0);
        filter_and_wait (numbers_model, filter);
        for (gsize row = 0; row < 4000; row++)
          expected += row_shows (numbers, row, digits[s]);
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (numbers_model)), ==, expected);
      }
  }

  /* a cancelled search stops and keeps nothing */
  {
    g_autoptr (TessTableFilter) filter = tess_table_filter_new ();
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    gsize n_out = 7;

    tess_table_filter_set_search (filter, "apple", NULL, 0);
    g_cancellable_cancel (cancellable);
    g_assert_null (tess_table_filter_apply (filter, frame, NULL, cancellable, &n_out));
    g_assert_cmpuint (n_out, ==, 0);
  }
}

/* Keystrokes in quick succession: each newer search supersedes the older,
 * whose rows are never shown. */
static void
test_filter_superseded (void)
{
  g_autoptr (TessFrame) frame = make_frame (TESS_TABLE_MODEL_SYNC_SORT_ROWS * 4, 12);
  g_autoptr (TessTableModel) model = tess_table_model_new (frame);
  static const char *const typed[] = { "k", "ki", "kiw", "kiwi" };
  guint done = 0, changes = 0, expected = 0;

  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &changes);
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      g_autoptr (TessTableFilter) filter = tess_table_filter_new ();

      tess_table_filter_set_search (filter, typed[i], (int[]){ 2 }, 1);
      tess_table_model_filter_async (model, filter, NULL, filtered_cb, &done);
      /* on a worker: nothing changes until the newest is done */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, tess_frame_get_n_rows (frame));
    }
  g_assert_false (tess_table_model_is_idle (model));
  while (done < G_N_ELEMENTS (typed))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (tess_table_model_is_idle (model));
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpstr (tess_table_filter_get_search (tess_table_model_get_filter (model)), ==, "kiwi");
  for (gsize row = 0; row < tess_frame_get_n_rows (frame); row++)
    {
      const char *name = tess_column_get_string (tess_frame_get_column (frame, 2), row);

      expected += name != NULL && g_str_equal (name, "kiwi");
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected);
}

static void
wait_idle (TessTableView *view)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!tess_table_view_is_idle (view) || !gtk_widget_get_mapped (GTK_WIDGET (view)))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_view (void)
{
  g_autoptr (TessFrame) frame = make_frame (TESS_TABLE_MODEL_SYNC_SORT_ROWS + 1000, 5);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = tess_table_view_new ();
  GVariantDict dict;
  TessTableModel *model;
  GListModel *columns;
  g_autofree char *cell = NULL, *row = NULL;
  const char *wanted[] = { "name", "price", "when", NULL };

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert_value (&dict, "columns", g_variant_new_strv (wanted, -1));
  tess_table_view_set_frame (TESS_TABLE_VIEW (view), frame, g_variant_dict_end (&dict));
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 400);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  wait_idle (TESS_TABLE_VIEW (view));

  model = tess_table_view_get_model (TESS_TABLE_VIEW (view));
  columns = gtk_column_view_get_columns (tess_table_view_get_column_view (TESS_TABLE_VIEW (view)));
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 3);
  g_assert_cmpint (tess_table_view_get_frame_column (TESS_TABLE_VIEW (view), 1), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, tess_frame_get_n_rows (frame));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_assert_true (gtk_column_view_column_get_resizable (column));
      g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, wanted[i]);
    }

  /* a header click on "price": sorted by price (a large frame: on a worker) */
  tess_table_view_sort_by (TESS_TABLE_VIEW (view), 1, FALSE);
  wait_idle (TESS_TABLE_VIEW (view));
  g_assert_cmpint (tess_table_model_get_sort_column (model), ==, 0);
  g_assert_false (tess_table_model_get_sort_descending (model));
  check_order (model, 0, FALSE);
  /* clicking again: descending */
  tess_table_view_sort_by (TESS_TABLE_VIEW (view), 1, TRUE);
  wait_idle (TESS_TABLE_VIEW (view));
  g_assert_true (tess_table_model_get_sort_descending (model));
  check_order (model, 0, TRUE);
  /* by name */
  tess_table_view_sort_by (TESS_TABLE_VIEW (view), 0, FALSE);
  wait_idle (TESS_TABLE_VIEW (view));
  g_assert_cmpint (tess_table_model_get_sort_column (model), ==, 2);
  check_order (model, 2, FALSE);

  /* copying: raw values, the row's shown columns tab-separated */
  cell = tess_table_view_cell_text (TESS_TABLE_VIEW (view), 0, 0);
  g_assert_cmpstr (cell, ==, "apple");
  row = tess_table_view_row_text (TESS_TABLE_VIEW (view), 0);
  g_assert_true (g_str_has_prefix (row, "apple\t"));
  {
    g_auto (GStrv) parts = g_strsplit (row, "\t", -1);

    g_assert_cmpuint (g_strv_length (parts), ==, 3);
  }

  /* setting an equal frame and spec again changes nothing */
  {
    GVariantDict again;

    g_variant_dict_init (&again, NULL);
    g_variant_dict_insert_value (&again, "columns", g_variant_new_strv (wanted, -1));
    tess_table_view_set_frame (TESS_TABLE_VIEW (view), frame, g_variant_dict_end (&again));
    g_assert_true (tess_table_view_get_model (TESS_TABLE_VIEW (view)) == model);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_empty (void)
{
  g_autoptr (TessFrame) frame = make_frame (0, 7);
  g_autoptr (TessTableModel) model = tess_table_model_new (frame);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = tess_table_view_new ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  for (int column = -1; column < 5; column++)
    tess_table_model_sort (model, column, TRUE);
  tess_table_view_set_frame (TESS_TABLE_VIEW (view), frame, NULL);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  wait_idle (TESS_TABLE_VIEW (view));
  tess_table_view_sort_by (TESS_TABLE_VIEW (view), 2, FALSE);
  wait_idle (TESS_TABLE_VIEW (view));
  g_assert_null (tess_table_view_row_text (TESS_TABLE_VIEW (view), 0));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
exported_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  g_assert_true (tess_table_model_export_csv_finish (TESS_TABLE_MODEL (source), result, NULL));
  *done = TRUE;
}

static void
test_export_file (void)
{
  g_autoptr (TessFrame) frame = make_frame (300, 6);
  g_autoptr (TessTableModel) model = tess_table_model_new (frame);
  g_autofree char *dir = tess_test_dir_new ("tessera-table-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "table.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;
  gboolean done = FALSE;

  tess_table_model_export_csv_async (model, file, NULL, exported_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "price,count,name,day,when\r\n"));
  tess_test_dir_remove (dir);
}

/* The cells of view column @index in the rows made so far. */
static void
collect_cells (GtkWidget *widget, guint index, GPtrArray *cells)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_INSCRIPTION (child) &&
          g_object_get_data (G_OBJECT (child), "table-column") == GUINT_TO_POINTER (index) &&
          gtk_inscription_get_text (GTK_INSCRIPTION (child)) != NULL)
        g_ptr_array_add (cells, child);
      collect_cells (child, index, cells);
    }
}

static void
test_narrow (void)
{
  /* a min/max table: a name and two long numbers */
  const char *names[] = { "alpha station", "beta", "gamma ridge" };
  double low[] = { -1234567.125, 2.5, 17 }, high[] = { 98765432.75, 3.25, 1234567890.5 };
  g_autoptr (TessColumn) name = tess_column_new_strings ("name", names, 3);
  g_autoptr (TessColumn) lo = tess_column_new_double ("low", low, 3);
  g_autoptr (TessColumn) hi = tess_column_new_double ("high", high, 3);
  g_autoptr (TessFrame) frame = tess_frame_new ((TessColumn *[]){ name, lo, hi }, 3, NULL);
  static const int widths[] = { 290, 200, 90 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      GtkWidget *window = gtk_window_new ();
      GtkWidget *view = tess_table_view_new ();
      GtkWidget *column_view;
      GtkWidget *scroller;
      GtkAdjustment *hadjustment;
      gboolean scrolls;

      tess_table_view_set_frame (TESS_TABLE_VIEW (view), frame, NULL);
      gtk_window_set_default_size (GTK_WINDOW (window), widths[w], 300);
      gtk_window_set_child (GTK_WINDOW (window), view);
      gtk_window_present (GTK_WINDOW (window));
      wait_idle (TESS_TABLE_VIEW (view));
      for (int i = 0; i < 20; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (2000);
        }
      column_view = GTK_WIDGET (tess_table_view_get_column_view (TESS_TABLE_VIEW (view)));
      scroller = gtk_widget_get_parent (column_view);
      g_assert_true (GTK_IS_SCROLLED_WINDOW (scroller));
      hadjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
      scrolls = gtk_adjustment_get_upper (hadjustment) > gtk_adjustment_get_page_size (hadjustment) + 0.5;
      /* the table fits its columns in what it is given while their minimums fit */
      if (widths[w] >= 200)
        g_assert_false (scrolls);

      for (guint c = 0; c < 3; c++)
        {
          g_autoptr (GPtrArray) cells = g_ptr_array_new ();
          graphene_rect_t bounds;
          GtkWidget *cell;

          collect_cells (column_view, c, cells);
          g_assert_cmpuint (cells->len, ==, 3);
          for (guint k = 0; k < cells->len; k++)
            {
              GtkWidget *candidate = g_ptr_array_index (cells, k);
              const char *tooltip = tess_table_view_cell_get_tooltip (candidate);

              /* every column has room, and every cell's tooltip has its value whole */
              g_assert_cmpint (gtk_widget_get_width (candidate), >, 10);
              g_assert_true (gtk_widget_get_has_tooltip (candidate));
              g_assert_cmpstr (tooltip, ==, gtk_inscription_get_text (GTK_INSCRIPTION (candidate)));
            }
          /* the column lies inside what the scroller shows, or can be
           * scrolled to */
          cell = g_ptr_array_index (cells, 0);
          g_assert_true (gtk_widget_compute_bounds (cell, scroller, &bounds));
          if (!scrolls)
            {
              g_assert_cmpfloat (bounds.origin.x, >=, 0);
              g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (scroller) + 1);
            }
          else
            g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_adjustment_get_upper (hadjustment) + 1);
        }

      /* at 200 px the long "high" values do not fit: ellipsized, and the
       * tooltip has them whole */
      if (widths[w] == 200)
        {
          g_autoptr (GPtrArray) cells = g_ptr_array_new ();
          gboolean ellipsized = FALSE;

          collect_cells (column_view, 2, cells);
          for (guint k = 0; k < cells->len; k++)
            {
              GtkWidget *cell = g_ptr_array_index (cells, k);
              const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (cell));
              g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (cell, text);
              int text_width;

              pango_layout_get_pixel_size (layout, &text_width, NULL);
              if (text_width > gtk_widget_get_width (cell))
                {
                  ellipsized = TRUE;
                  g_assert_true (gtk_widget_get_has_tooltip (cell));
                  g_assert_cmpstr (tess_table_view_cell_get_tooltip (cell), ==, text);
                }
            }
          g_assert_true (ellipsized);
        }
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* A few frames' worth of the main loop. */
static void
spin_frames (void)
{
  for (int i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
wait_for_count (TessTableView *view, const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!tess_table_view_is_idle (view) || g_strcmp0 (tess_table_view_get_count_text (view), expected) != 0)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
      if (g_get_monotonic_time () > deadline)
        g_assert_cmpstr (tess_table_view_get_count_text (view), ==, expected);
    }
  for (int i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* The shortcut bound to @action on @widget's class, as text ("<Control>f"). */
static char *
shortcut_for (GtkWidget *widget, const char *action)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          GtkShortcutAction *named = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_NAMED_ACTION (named) &&
              g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (named)), action))
            return gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
        }
    }
  return NULL;
}

/* Typing in the search entry filters the rows; the count says how many. */
static void
test_view_search (void)
{
  g_autoptr (TessFrame) frame = make_frame (2000, 13);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = tess_table_view_new ();
  GtkWidget *entry, *button, *column_view;
  TessTableModel *model;
  g_autofree char *ctrl_f = NULL;
  guint expected = 0;
  static const char *const typed[] = { "l", "li", "lim", "lime" };

  tess_table_view_set_frame (TESS_TABLE_VIEW (view), frame, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 400);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  wait_idle (TESS_TABLE_VIEW (view));
  model = tess_table_view_get_model (TESS_TABLE_VIEW (view));
  column_view = GTK_WIDGET (tess_table_view_get_column_view (TESS_TABLE_VIEW (view)));

  /* the row count is always in sight */
  g_assert_cmpstr (tess_table_view_get_count_text (TESS_TABLE_VIEW (view)), ==, "2,000 rows");
  /* every column's header menu has its filter */
  for (guint c = 0; c < 5; c++)
    {
      g_autoptr (GtkColumnViewColumn) column =
          g_list_model_get_item (gtk_column_view_get_columns (GTK_COLUMN_VIEW (column_view)), c);
      GMenuModel *menu = gtk_column_view_column_get_header_menu (column);
      g_autofree char *action = NULL;
      g_autoptr (GVariant) target = NULL;

      g_assert_nonnull (menu);
      g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_cmpstr (action, ==, "table.filter-column");
      target = g_menu_model_get_item_attribute_value (menu, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_UINT32);
      g_assert_cmpuint (g_variant_get_uint32 (target), ==, c);
    }
  entry = tess_table_view_get_search_entry (TESS_TABLE_VIEW (view));
  button = tess_table_view_get_search_button (TESS_TABLE_VIEW (view));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_false (gtk_widget_get_visible (entry));

  /* Ctrl+F, with the table focused, opens the search and puts the cursor in it */
  ctrl_f = shortcut_for (view, "table.search");
  g_assert_cmpstr (ctrl_f, ==, "<Control>f");
  gtk_widget_grab_focus (column_view);
  g_assert_true (gtk_widget_activate_action (view, "table.search", NULL));
  g_assert_true (gtk_widget_get_visible (entry));
  g_assert_true (gtk_widget_is_focus (gtk_widget_get_first_child (entry)) || gtk_widget_has_focus (entry) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));

  /* typed a key at a time */
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (entry), typed[i]);
      g_main_context_iteration (NULL, FALSE);
    }
  for (gsize row = 0; row < 2000; row++)
    expected += row_shows (frame, row, "lime");
  g_assert_cmpuint (expected, >, 0);
  {
    g_autofree char *count = g_strdup_printf ("%u of 2,000 rows", expected);

    wait_for_count (TESS_TABLE_VIEW (view), count);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected);
  /* the rows on screen: every name shown is lime */
  {
    g_autoptr (GPtrArray) cells = g_ptr_array_new ();

    collect_cells (column_view, 2, cells);
    g_assert_cmpuint (cells->len, >, 0);
    for (guint k = 0; k < cells->len; k++)
      g_assert_cmpstr (gtk_inscription_get_text (g_ptr_array_index (cells, k)), ==, "lime");
  }

  /* a column filter from the header menu narrows it further */
  {
    g_autoptr (GError) error = NULL;
    guint narrowed = 0;
    g_autofree char *count = NULL;

    g_assert_false (tess_table_view_set_column_filter (TESS_TABLE_VIEW (view), 0, "> lots", &error));
    g_assert_nonnull (strstr (error->message, "“> 100”"));
    g_assert_true (tess_table_view_set_column_filter (TESS_TABLE_VIEW (view), 0, "< 50", NULL));
    for (gsize row = 0; row < 2000; row++)
      {
        TessColumn *price = tess_frame_get_column (frame, 0);

        narrowed += row_shows (frame, row, "lime") && !tess_column_is_null (price, row) &&
                    tess_column_get_double (price, row) < 50;
      }
    count = g_strdup_printf ("%u of 2,000 rows", narrowed);
    wait_for_count (TESS_TABLE_VIEW (view), count);
    g_assert_cmpstr (tess_table_view_get_column_filter (TESS_TABLE_VIEW (view), 0), ==, "< 50");
    /* removed again */
    g_assert_true (gtk_widget_activate_action (view, "table.remove-filter", "u", 0));
    g_assert_null (tess_table_view_get_column_filter (TESS_TABLE_VIEW (view), 0));
    g_free (count);
    count = g_strdup_printf ("%u of 2,000 rows", expected);
    wait_for_count (TESS_TABLE_VIEW (view), count);
  }

  /* Escape: every row again, and the focus back in the table */
  g_signal_emit_by_name (entry, "stop-search");
  wait_for_count (TESS_TABLE_VIEW (view), "2,000 rows");
  g_assert_false (gtk_widget_get_visible (entry));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2000);

  /* the keyboard's way to sort and filter: Shift+F10 opens the table's menu */
  {
    g_autofree char *menu_key = shortcut_for (view, "table.menu");
    gboolean shown = FALSE;

    g_assert_cmpstr (menu_key, ==, "<Shift>F10");
    g_assert_true (gtk_widget_activate_action (view, "table.menu", NULL));
    spin_frames ();
    for (GtkWidget *child = gtk_widget_get_first_child (view); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_POPOVER_MENU (child) && gtk_widget_get_visible (child))
        {
          shown = TRUE;
          gtk_popover_popdown (GTK_POPOVER (child));
        }
    g_assert_true (shown);
    /* its "Sort by" item for name, descending */
    g_assert_true (gtk_widget_activate_action (view, "table.sort-column", "(ib)", 2, TRUE));
    wait_idle (TESS_TABLE_VIEW (view));
    g_assert_cmpint (tess_table_model_get_sort_column (model), ==, 2);
    g_assert_true (tess_table_model_get_sort_descending (model));
    check_order (model, 2, TRUE);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A missing value shows as a dimmed "—"; a header too narrow for its name
 * has it whole in a tooltip. */
static void
test_view_nulls_and_headers (void)
{
  const char *names[] = { "pear", NULL, "fig" };
  double values[] = { 1.5, NAN, 2.25 };
  g_autoptr (TessColumn) name = tess_column_new_strings ("name", names, 3);
  g_autoptr (TessColumnBuilder) builder =
      tess_column_builder_new ("the number of passengers carried on the route in the month", TESS_COLUMN_INT64, 3);
  g_autoptr (TessColumn) passengers = NULL;
  g_autoptr (TessColumn) value = tess_column_new_double ("v", values, 3);
  g_autoptr (TessFrame) frame = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = tess_table_view_new ();
  GtkWidget *column_view;

  tess_column_builder_append_int64 (builder, 7601676);
  tess_column_builder_append_int64 (builder, 12);
  tess_column_builder_append_null (builder);
  passengers = tess_column_builder_finish (g_steal_pointer (&builder));
  frame = tess_frame_new ((TessColumn *[]){ name, passengers, value }, 3, NULL);
  tess_table_view_set_frame (TESS_TABLE_VIEW (view), frame, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 300);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  wait_idle (TESS_TABLE_VIEW (view));
  for (int i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  column_view = GTK_WIDGET (tess_table_view_get_column_view (TESS_TABLE_VIEW (view)));
  g_assert_cmpstr (tess_table_view_get_count_text (TESS_TABLE_VIEW (view)), ==, "3 rows");

  for (guint c = 0; c < 3; c++)
    {
      g_autoptr (GPtrArray) cells = g_ptr_array_new ();
      guint dashes = 0;

      collect_cells (column_view, c, cells);
      g_assert_cmpuint (cells->len, ==, 3);
      for (guint k = 0; k < cells->len; k++)
        {
          GtkWidget *cell = g_ptr_array_index (cells, k);

          if (g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (cell)), "—") != 0)
            {
              g_assert_false (gtk_widget_has_css_class (cell, "dim-label"));
              continue;
            }
          dashes++;
          g_assert_true (gtk_widget_has_css_class (cell, "dim-label"));
          g_assert_null (tess_table_view_cell_get_tooltip (cell));
        }
      /* one missing value in each column */
      g_assert_cmpuint (dashes, ==, 1);
    }
  /* numbers grouped as everywhere else */
  {
    g_autoptr (GPtrArray) cells = g_ptr_array_new ();
    gboolean grouped = FALSE;

    collect_cells (column_view, 1, cells);
    for (guint k = 0; k < cells->len; k++)
      grouped |= g_strcmp0 (gtk_inscription_get_text (g_ptr_array_index (cells, k)), "7,601,676") == 0;
    g_assert_true (grouped);
  }
  /* the long name does not fit its header: the tooltip has it whole */
  g_assert_cmpstr (tess_table_view_get_header_tooltip (TESS_TABLE_VIEW (view), 1), ==,
                   "the number of passengers carried on the route in the month");
  g_assert_null (tess_table_view_get_header_tooltip (TESS_TABLE_VIEW (view), 2));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A rerun (a new frame, the same columns) keeps the search: the filtered
 * rows stay on screen until the new ones are filtered, never every row. */
static void
test_view_rerun_keeps_search (void)
{
  g_autoptr (TessFrame) before = make_frame (2000, 21);
  g_autoptr (TessFrame) after = make_frame (3000, 22);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = tess_table_view_new ();
  GtkWidget *entry, *column_view;
  guint n_before = 0, n_after = 0;
  g_autofree char *count_before = NULL, *count_after = NULL;

  tess_table_view_set_frame (TESS_TABLE_VIEW (view), before, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 400);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  wait_idle (TESS_TABLE_VIEW (view));
  column_view = GTK_WIDGET (tess_table_view_get_column_view (TESS_TABLE_VIEW (view)));
  entry = tess_table_view_get_search_entry (TESS_TABLE_VIEW (view));
  g_assert_true (gtk_widget_activate_action (view, "table.search", NULL));
  gtk_editable_set_text (GTK_EDITABLE (entry), "fig");
  for (gsize row = 0; row < 2000; row++)
    n_before += row_shows (before, row, "fig");
  for (gsize row = 0; row < 3000; row++)
    n_after += row_shows (after, row, "fig");
  count_before = g_strdup_printf ("%u of 2,000 rows", n_before);
  count_after = g_strdup_printf ("%u of 3,000 rows", n_after);
  wait_for_count (TESS_TABLE_VIEW (view), count_before);

  tess_table_view_set_frame (TESS_TABLE_VIEW (view), after, NULL);
  /* at once: still the filtered rows of the frame before, not all the new ones */
  {
    GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (column_view)));
    g_autoptr (TessTableRow) first = g_list_model_get_item (shown, 0);

    g_assert_true (tess_table_row_get_frame (first) == before);
    g_assert_true (row_shows (before, tess_table_row_get_row (first), "fig"));
  }
  wait_for_count (TESS_TABLE_VIEW (view), count_after);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "fig");
  {
    g_autoptr (GPtrArray) cells = g_ptr_array_new ();

    collect_cells (column_view, 2, cells);
    g_assert_cmpuint (cells->len, >, 0);
    for (guint k = 0; k < cells->len; k++)
      g_assert_cmpstr (gtk_inscription_get_text (g_ptr_array_index (cells, k)), ==, "fig");
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tess_table_view_get_model (TESS_TABLE_VIEW (view)))), ==,
                    n_after);
  {
    GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (column_view)));
    g_autoptr (TessTableRow) first = g_list_model_get_item (shown, 0);

    g_assert_true (tess_table_row_get_frame (first) == after);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  /* Without a session bus (a bare xvfb-run) GTK warns that it cannot reach the
   * settings portal; that is the environment, not the table. Criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/Charts/table/model-rows", test_model_rows);
  g_test_add_func ("/Charts/table/sort-order", test_sort_order);
  g_test_add_func ("/Charts/table/sort-async", test_sort_async);
  g_test_add_func ("/Charts/table/csv", test_csv);
  g_test_add_func ("/Charts/table/filter", test_filter);
  g_test_add_func ("/Charts/table/filter-superseded", test_filter_superseded);
  g_test_add_func ("/Charts/table/export-file", test_export_file);
  g_test_add_func ("/Charts/table/view", test_view);
  g_test_add_func ("/Charts/table/empty", test_empty);
  g_test_add_func ("/Charts/table/narrow", test_narrow);
  g_test_add_func ("/Charts/table/view-search", test_view_search);
  g_test_add_func ("/Charts/table/view-nulls-and-headers", test_view_nulls_and_headers);
  g_test_add_func ("/Charts/table/view-rerun-keeps-search", test_view_rerun_keeps_search);
  return g_test_run ();
}
