/* chart.c: the chart widget under a display: every kind prepares and draws,
 * hover finds the nearest point, zoom re-decimates, PNG and SVG exports are
 * valid files, CSV copies the data, and a gallery of every kind is rendered to
 * a PNG (chart-gallery.png in the build directory) to look at. */
#include <math.h>
#include <string.h>

#include "tess-chart-private.h"
#include "tess-test-dir.h"

static TessFrame *
make_frame (gsize n)
{
  g_autofree double *x = g_new (double, n);
  g_autofree double *a = g_new (double, n);
  g_autofree double *b = g_new (double, n);
  g_autofree double *size = g_new (double, n);
  g_autofree double *c = g_new (double, n);
  g_autofree const char **group = g_new (const char *, n);
  g_autoptr (TessColumnBuilder) when = tess_column_builder_new ("when", TESS_COLUMN_TIMESTAMP, n);
  static const char *const groups[] = { "north", "south", "east" };
  TessColumn *columns[8];
  TessFrame *frame;
  g_autoptr (GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    {
      x[i] = i;
      a[i] = 10 + 5 * sin (i / 7.0) + i * 0.05;
      b[i] = 6 + 3 * cos (i / 5.0);
      size[i] = (i * 37) % 11;
      c[i] = a[i] + 8 * (i % 3);
      group[i] = groups[i % 3];
      /* hourly from 2024-03-01 */
      tess_column_builder_append_timestamp (when, (G_GINT64_CONSTANT (1709251200) + i * 3600) * G_USEC_PER_SEC);
    }
  columns[0] = tess_column_new_double ("x", x, n);
  columns[1] = tess_column_new_double ("a", a, n);
  columns[2] = tess_column_new_double ("b", b, n);
  columns[3] = tess_column_new_double ("size", size, n);
  columns[4] = tess_column_new_strings ("group", group, n);
  columns[5] = tess_column_builder_finish (g_steal_pointer (&when));
  columns[6] = tess_column_new_strings ("region", group, n);
  columns[7] = tess_column_new_double ("c", c, n);
  frame = tess_frame_new (columns, G_N_ELEMENTS (columns), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    tess_column_unref (columns[i]);
  return frame;
}

static GVariant *
spec_new (const char *kind, const char *x, const char *const *y, const char *first_key, ...)
{
  GVariantDict dict;
  va_list args;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "kind", "s", kind);
  if (x != NULL)
    g_variant_dict_insert (&dict, "x", "s", x);
  if (y != NULL)
    g_variant_dict_insert_value (&dict, "y", g_variant_new_strv (y, -1));
  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    g_variant_dict_insert_value (&dict, key, va_arg (args, GVariant *));
  va_end (args);
  return g_variant_dict_end (&dict);
}

static gboolean
settled (TessChart *chart)
{
  TessChartData *data = tess_chart_get_data (chart);

  if (!tess_chart_is_ready (chart))
    return FALSE;
  if (tess_chart_get_error (chart) != NULL)
    return TRUE;
  if (data == NULL)
    return FALSE;
  if (data->kind == TESS_CHART_BAR || data->kind == TESS_CHART_HISTOGRAM)
    return TRUE;
  return tess_chart_get_decimation (chart) != NULL;
}

static void
wait_for (GtkWidget *widget, gboolean (*done) (TessChart *))
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done (TESS_CHART (widget)) || !gtk_widget_get_mapped (widget))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  /* let a frame draw, then any decimation it asked for finish */
  for (int i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  while (!done (TESS_CHART (widget)))
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static GtkWidget *
show_chart (TessFrame *frame, GVariant *spec, int width, int height, GtkWidget **window_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = tess_chart_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  tess_chart_set_frame (TESS_CHART (chart), frame, spec);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (chart, settled);
  *window_out = window;
  return chart;
}

static void
test_kinds (void)
{
  g_autoptr (TessFrame) frame = make_frame (300);
  const char *ab[] = { "a", "b", NULL };
  const char *a[] = { "a", NULL };
  struct
  {
    GVariant *spec;
    TessChartKind kind;
    guint n_series;
    TessAxisKind axis;
  } cases[] = {
    { spec_new ("line", "x", ab, NULL), TESS_CHART_LINE, 2, TESS_AXIS_NUMBER },
    { spec_new ("line", "when", a, "color", g_variant_new_string ("group"), NULL), TESS_CHART_LINE, 3, TESS_AXIS_TIME },
    { spec_new ("area", "x", ab, "stack", g_variant_new_boolean (TRUE), NULL), TESS_CHART_AREA, 2, TESS_AXIS_NUMBER },
    { spec_new ("bar", "group", ab, NULL), TESS_CHART_BAR, 2, TESS_AXIS_CATEGORY },
    { spec_new ("bar", "group", ab, "stack", g_variant_new_boolean (TRUE), "horizontal", g_variant_new_boolean (TRUE),
                NULL),
      TESS_CHART_BAR, 2, TESS_AXIS_CATEGORY },
    { spec_new ("scatter", "a", (const char *[]){ "b", NULL }, "size", g_variant_new_string ("size"), "color",
                g_variant_new_string ("region"), NULL),
      TESS_CHART_SCATTER, 3, TESS_AXIS_NUMBER },
    { spec_new ("histogram", "a", NULL, NULL), TESS_CHART_HISTOGRAM, 1, TESS_AXIS_NUMBER },
    { spec_new ("scatter", "a", (const char *[]){ "b", NULL }, "color", g_variant_new_string ("x"), NULL),
      TESS_CHART_SCATTER, 1, TESS_AXIS_NUMBER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWidget *window;
      GtkWidget *chart = show_chart (frame, cases[i].spec, 640, 400, &window);
      TessChartData *data = tess_chart_get_data (TESS_CHART (chart));

      g_assert_null (tess_chart_get_error (TESS_CHART (chart)));
      g_assert_nonnull (data);
      g_assert_cmpint (data->kind, ==, cases[i].kind);
      g_assert_cmpuint (data->series->len, ==, cases[i].n_series);
      g_assert_cmpint (data->x_axis, ==, cases[i].axis);
      if (i == G_N_ELEMENTS (cases) - 1)
        {
          /* coloured by a number: along a ramp, from its minimum to its maximum */
          TessChartSeries *s = g_ptr_array_index (data->series, 0);

          g_assert_cmpstr (data->ramp_label, ==, "x");
          g_assert_cmpfloat (data->ramp_min, ==, 0);
          g_assert_cmpfloat (data->ramp_max, ==, 299);
          for (gsize k = 0; k < s->n; k++)
            g_assert_true (s->ramp[k] >= 0 && s->ramp[k] <= 1);
        }
      gtk_window_destroy (GTK_WINDOW (window));
    }

  /* bars: one per category, summing the rows of each */
  {
    GtkWidget *window;
    GtkWidget *chart = show_chart (frame, spec_new ("bar", "group", a, NULL), 640, 400, &window);
    TessChartData *data = tess_chart_get_data (TESS_CHART (chart));
    TessChartSeries *s = g_ptr_array_index (data->series, 0);
    double total = 0, expected = 0;

    g_assert_cmpuint (g_strv_length (data->categories), ==, 3);
    g_assert_cmpstr (data->categories[0], ==, "north");
    for (gsize k = 0; k < s->n; k++)
      total += s->y[k];
    for (gsize i = 0; i < 300; i++)
      expected += 10 + 5 * sin (i / 7.0) + i * 0.05;
    g_assert_cmpfloat_with_epsilon (total, expected, 1e-6);
    gtk_window_destroy (GTK_WINDOW (window));
  }

  /* histogram: every value counted once, nice bin edges */
  {
    GtkWidget *window;
    GtkWidget *chart = show_chart (frame, spec_new ("histogram", "a", NULL, "bins", g_variant_new_int32 (10), NULL),
                                   640, 400, &window);
    TessChartData *data = tess_chart_get_data (TESS_CHART (chart));
    TessChartSeries *s = g_ptr_array_index (data->series, 0);
    double count = 0;

    for (gsize k = 0; k < s->n; k++)
      count += s->y[k];
    g_assert_cmpfloat (count, ==, 300);
    g_assert_cmpuint (s->n, >=, 5);
    g_assert_cmpuint (s->n, <=, 13);
    g_assert_cmpfloat (fmod (s->x[0], data->bin_width), ==, 0);
    gtk_window_destroy (GTK_WINDOW (window));
  }
}

static void
test_time_categories (void)
{
  g_autoptr (TessColumnBuilder) months = tess_column_builder_new ("month", TESS_COLUMN_DATE, 3);
  g_autoptr (TessColumnBuilder) days = tess_column_builder_new ("day", TESS_COLUMN_DATE, 3);
  double v[] = { 1, 2, 3 };
  g_autoptr (TessColumn) value = tess_column_new_double ("v", v, 3);
  g_autoptr (TessColumn) month = NULL;
  g_autoptr (TessColumn) day = NULL;
  g_autoptr (TessFrame) frame = NULL;
  GtkWidget *window;
  GtkWidget *chart;
  TessChartData *data;

  /* 2024-03-01, 2024-01-01, 2024-02-01 (unsorted) and three plain days */
  tess_column_builder_append_date (months, 19783);
  tess_column_builder_append_date (months, 19723);
  tess_column_builder_append_date (months, 19754);
  tess_column_builder_append_date (days, 19784);
  tess_column_builder_append_date (days, 19785);
  tess_column_builder_append_date (days, 19786);
  month = tess_column_builder_finish (g_steal_pointer (&months));
  day = tess_column_builder_finish (g_steal_pointer (&days));
  frame = tess_frame_new ((TessColumn *[]){ month, day, value }, 3, NULL);

  chart = show_chart (frame, spec_new ("bar", "month", (const char *[]){ "v", NULL }, NULL), 400, 300, &window);
  data = tess_chart_get_data (TESS_CHART (chart));
  /* months read as months, in time order */
  g_assert_cmpstr (data->categories[0], ==, "Jan 2024");
  g_assert_cmpstr (data->categories[1], ==, "Feb 2024");
  g_assert_cmpstr (data->categories[2], ==, "Mar 2024");
  g_assert_cmpfloat (((TessChartSeries *) g_ptr_array_index (data->series, 0))->y[0], ==, 2);
  tess_chart_set_frame (TESS_CHART (chart), frame, spec_new ("bar", "day", (const char *[]){ "v", NULL }, NULL));
  data = tess_chart_get_data (TESS_CHART (chart));
  g_assert_cmpstr (data->categories[0], ==, "2024-03-02");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_errors (void)
{
  g_autoptr (TessFrame) frame = make_frame (10);
  GtkWidget *window;
  GtkWidget *chart = show_chart (frame, spec_new ("line", "nope", NULL, NULL), 400, 300, &window);
  const GError *error = tess_chart_get_error (TESS_CHART (chart));

  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "nope"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_hit_test (void)
{
  g_autoptr (TessFrame) frame = make_frame (60);
  const char *ab[] = { "a", "b", NULL };
  GtkWidget *window;
  GtkWidget *chart = show_chart (frame, spec_new ("line", "x", ab, NULL), 800, 400, &window);
  TessChartData *data = tess_chart_get_data (TESS_CHART (chart));
  TessChartLayout layout;

  g_assert_true (tess_chart_get_layout (TESS_CHART (chart), &layout));
  for (guint s = 0; s < 2; s++)
    for (gsize i = 0; i < 60; i += 3)
      {
        double px, py;
        int series;
        gsize index;

        tess_chart_point_position (data, &layout, s, i, &px, &py);
        /* a pixel beside the point still finds it */
        g_assert_true (tess_chart_find_nearest (TESS_CHART (chart), px + 2, py - 1, &series, &index));
        g_assert_cmpuint (index, ==, i);
        g_assert_cmpint (series, ==, (int) s);
      }
  /* far outside the plot: nothing */
  g_assert_false (tess_chart_find_nearest (TESS_CHART (chart), 1, 1, NULL, NULL));

  /* bars: the bar under the pointer */
  gtk_window_destroy (GTK_WINDOW (window));
  chart = show_chart (frame, spec_new ("bar", "group", ab, NULL), 800, 400, &window);
  data = tess_chart_get_data (TESS_CHART (chart));
  g_assert_true (tess_chart_get_layout (TESS_CHART (chart), &layout));
  for (guint s = 0; s < 2; s++)
    for (gsize k = 0; k < 3; k++)
      {
        double px, py;
        int series;
        gsize index;

        tess_chart_point_position (data, &layout, s, k, &px, &py);
        g_assert_true (tess_chart_find_nearest (TESS_CHART (chart), px, py + 5, &series, &index));
        g_assert_cmpint (series, ==, (int) s);
        g_assert_cmpuint (index, ==, k);
      }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
decimated_for_view (TessChart *chart)
{
  TessChartDecimation *dec = tess_chart_get_decimation (chart);
  double x0, x1;

  tess_chart_get_view (chart, &x0, &x1);
  return tess_chart_is_ready (chart) && dec != NULL && dec->x0 == x0 && dec->x1 == x1;
}

static void
test_zoom (void)
{
  g_autoptr (TessFrame) frame = make_frame (100000);
  GtkWidget *window;
  GtkWidget *chart = show_chart (frame, spec_new ("line", "x", (const char *[]){ "a", NULL }, NULL), 600, 300, &window);
  TessChartDecimation *dec = tess_chart_get_decimation (TESS_CHART (chart));
  double x0, x1;

  /* 100 000 points on a plot narrower than 600 px: at most 4 per column */
  g_assert_cmpuint (dec->n_kept, <=, 4 * dec->width + 2);
  g_assert_cmpuint (dec->width, <, 600);

  tess_chart_set_view (TESS_CHART (chart), 1000, 1100);
  wait_for (chart, decimated_for_view);
  tess_chart_get_view (TESS_CHART (chart), &x0, &x1);
  g_assert_cmpfloat (x0, ==, 1000);
  g_assert_cmpfloat (x1, ==, 1100);
  dec = tess_chart_get_decimation (TESS_CHART (chart));
  /* zoomed to 101 points: every one of them is kept, plus a neighbour each side */
  g_assert_cmpuint (dec->n_kept, ==, 103);

  /* panning past the end stops at the data */
  tess_chart_set_view (TESS_CHART (chart), 99990, 100090);
  tess_chart_get_view (TESS_CHART (chart), &x0, &x1);
  g_assert_cmpfloat (x1, ==, 99999);
  g_assert_cmpfloat (x1 - x0, ==, 100);

  tess_chart_reset_view (TESS_CHART (chart));
  wait_for (chart, decimated_for_view);
  tess_chart_get_view (TESS_CHART (chart), &x0, &x1);
  g_assert_cmpfloat (x0, ==, 0);
  g_assert_cmpfloat (x1, ==, 99999);

  /* the keyboard: "+" zooms in on the middle, Right pans, Home resets */
  g_assert_true (gtk_widget_activate_action (chart, "chart.zoom", "d", 0.5));
  tess_chart_get_view (TESS_CHART (chart), &x0, &x1);
  g_assert_cmpfloat_with_epsilon (x0, 99999 * 0.25, 1e-6);
  g_assert_cmpfloat_with_epsilon (x1, 99999 * 0.75, 1e-6);
  g_assert_true (gtk_widget_activate_action (chart, "chart.pan", "d", 0.1));
  tess_chart_get_view (TESS_CHART (chart), &x0, &x1);
  g_assert_cmpfloat_with_epsilon (x0, 99999 * 0.30, 1e-6);
  g_assert_true (gtk_widget_activate_action (chart, "chart.reset-zoom", NULL));
  wait_for (chart, decimated_for_view);
  tess_chart_get_view (TESS_CHART (chart), &x0, &x1);
  g_assert_cmpfloat (x1 - x0, ==, 99999);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_exports (void)
{
  g_autoptr (TessFrame) frame = make_frame (500);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = tess_test_dir_new ("tessera-chart-XXXXXX");
  g_autofree char *png = g_build_filename (dir, "chart.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "chart.svg", NULL);
  g_autofree char *svg_text = NULL;
  g_autofree char *csv = NULL;
  cairo_surface_t *image;
  GtkWidget *window;
  GtkWidget *chart = show_chart (
      frame,
      spec_new ("line", "x", (const char *[]){ "a", "b", NULL }, "title", g_variant_new_string ("Exported"), NULL), 640,
      360, &window);
  int w = gtk_widget_get_width (chart), h = gtk_widget_get_height (chart);

  g_assert_no_error (error);
  g_assert_true (tess_chart_save_png (TESS_CHART (chart), png, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  /* twice the pixels at least, sharp on slides and dense screens */
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, w * MAX (gtk_widget_get_scale_factor (chart), 2));
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, h * MAX (gtk_widget_get_scale_factor (chart), 2));
  cairo_surface_destroy (image);

  g_assert_true (tess_chart_save_svg (TESS_CHART (chart), svg, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &svg_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (svg_text, "<?xml"));
  g_assert_nonnull (strstr (svg_text, "<svg"));
  g_assert_nonnull (strstr (svg_text, "</svg>"));

  /* an unwritable path is an error a person can read */
  g_assert_false (tess_chart_save_png (TESS_CHART (chart), "/nonexistent/dir/chart.png", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  csv = tess_chart_to_csv (TESS_CHART (chart));
  g_assert_true (g_str_has_prefix (csv, "x,a,b\r\n0,10,9\r\n"));
  {
    g_auto (GStrv) lines = g_strsplit (csv, "\r\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 502); /* header, 500 rows, "" */
  }

  tess_test_dir_remove (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
all_settled (GtkWidget *grid)
{
  for (GtkWidget *c = gtk_widget_get_first_child (grid); c; c = gtk_widget_get_next_sibling (c))
    if (!settled (TESS_CHART (c)) || !gtk_widget_get_mapped (c))
      return FALSE;
  return TRUE;
}

static void
test_gallery (void)
{
  g_autoptr (TessFrame) frame = make_frame (400);
  const char *ab[] = { "a", "b", NULL };
  const char *a[] = { "a", NULL };
  GVariant *specs[] = {
    spec_new ("line", "x", ab, "title", g_variant_new_string ("Line, two series"), NULL),
    spec_new ("line", "when", (const char *[]){ "c", NULL }, "color", g_variant_new_string ("group"), "title",
              g_variant_new_string ("Line over time, by group"), NULL),
    spec_new ("area", "x", ab, "stack", g_variant_new_boolean (TRUE), "title", g_variant_new_string ("Stacked area"),
              NULL),
    spec_new ("bar", "group", ab, "title", g_variant_new_string ("Grouped bars"), NULL),
    spec_new ("bar", "group", ab, "stack", g_variant_new_boolean (TRUE), "title", g_variant_new_string ("Stacked bars"),
              NULL),
    spec_new ("bar", "group", ab, "horizontal", g_variant_new_boolean (TRUE), "title",
              g_variant_new_string ("Horizontal bars"), NULL),
    spec_new ("scatter", "a", (const char *[]){ "b", NULL }, "size", g_variant_new_string ("size"), "color",
              g_variant_new_string ("x"), "title", g_variant_new_string ("Scatter, size and colour by number"), NULL),
    spec_new ("histogram", "a", NULL, "title", g_variant_new_string ("Histogram"), NULL),
    spec_new ("area", "when", a, "title", g_variant_new_string ("Area over time"), NULL),
  };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *grid = gtk_grid_new ();
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "chart-gallery.png", NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GskRenderNode *node;
  GdkTexture *texture;
  GtkSnapshot *snapshot;
  int w, h;

  gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      GtkWidget *chart = tess_chart_new ();

      tess_chart_set_frame (TESS_CHART (chart), frame, specs[i]);
      gtk_widget_set_hexpand (chart, TRUE);
      gtk_widget_set_vexpand (chart, TRUE);
      gtk_grid_attach (GTK_GRID (grid), chart, i % 3, i / 3, 1, 1);
    }
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_set_child (GTK_WINDOW (window), grid);
  gtk_window_present (GTK_WINDOW (window));
  for (int round = 0; round < 3; round++)
    {
      while (!all_settled (grid))
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        }
      for (int i = 0; i < 20; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (2000);
        }
    }
  /* hover one of them, to show the crosshair and tooltip */
  {
    GtkWidget *first = gtk_widget_get_first_child (grid);
    TessChartLayout layout;
    double px, py;

    tess_chart_get_layout (TESS_CHART (first), &layout);
    tess_chart_point_position (tess_chart_get_data (TESS_CHART (first)), &layout, 0, 150, &px, &py);
    tess_chart_hover (TESS_CHART (first), px, py);
  }

  w = gtk_widget_get_width (grid);
  h = gtk_widget_get_height (grid);
  g_assert_cmpint (w, >=, 1000);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &(GdkRGBA){ 1, 1, 1, 1 }, &GRAPHENE_RECT_INIT (0, 0, w, h));
  {
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (grid, window, &bounds));
    gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-bounds.origin.x, -bounds.origin.y));
    gtk_widget_snapshot_child (window, grid, snapshot);
  }
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("gallery: %s", path);

  /* a valid PNG of the window's size */
  {
    cairo_surface_t *image = cairo_image_surface_create_from_png (path);

    g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (image), ==, w);
    g_assert_cmpint (cairo_image_surface_get_height (image), ==, h);
    cairo_surface_destroy (image);
  }

  g_object_unref (texture);
  gsk_render_node_unref (node);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_degenerate (void)
{
  /* no rows, one row, a constant, nothing but missing values: every kind
   * still draws (axes and all) and exports */
  double one[] = { 3 }, same[] = { 2, 2, 2, 2 }, missing[] = { NAN, NAN, NAN, NAN };
  const char *groups[] = { "p", "q", "p", "q" };
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = tess_test_dir_new ("tessera-chart-XXXXXX");
  g_autofree char *png = g_build_filename (dir, "chart.png", NULL);
  const char *kinds[] = { "line", "area", "bar", "scatter", "histogram" };
  TessFrame *frames[4];

  {
    g_autoptr (TessColumn) x = tess_column_new_double ("x", one, 0);
    g_autoptr (TessColumn) y = tess_column_new_double ("y", one, 0);
    g_autoptr (TessColumn) g = tess_column_new_strings ("g", groups, 0);
    frames[0] = tess_frame_new ((TessColumn *[]){ x, y, g }, 3, NULL);
  }
  {
    g_autoptr (TessColumn) x = tess_column_new_double ("x", one, 1);
    g_autoptr (TessColumn) y = tess_column_new_double ("y", one, 1);
    g_autoptr (TessColumn) g = tess_column_new_strings ("g", groups, 1);
    frames[1] = tess_frame_new ((TessColumn *[]){ x, y, g }, 3, NULL);
  }
  {
    g_autoptr (TessColumn) x = tess_column_new_double ("x", same, 4);
    g_autoptr (TessColumn) y = tess_column_new_double ("y", same, 4);
    g_autoptr (TessColumn) g = tess_column_new_strings ("g", groups, 4);
    frames[2] = tess_frame_new ((TessColumn *[]){ x, y, g }, 3, NULL);
  }
  {
    g_autoptr (TessColumn) x = tess_column_new_double ("x", missing, 4);
    g_autoptr (TessColumn) y = tess_column_new_double ("y", missing, 4);
    g_autoptr (TessColumn) g = tess_column_new_strings ("g", groups, 4);
    frames[3] = tess_frame_new ((TessColumn *[]){ x, y, g }, 3, NULL);
  }

  /* one window; small frames are prepared at once, so each case is ready
   * as soon as it is set */
  {
    GtkWidget *window;
    GtkWidget *chart = show_chart (frames[1], spec_new ("line", "x", NULL, NULL), 300, 200, &window);

    for (guint f = 0; f < G_N_ELEMENTS (frames); f++)
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        for (int split = 0; split < 2; split++)
          {
            TessChartLayout layout;

            tess_chart_set_frame (TESS_CHART (chart), frames[f],
                                  spec_new (kinds[k], "x", (const char *[]){ "y", NULL }, "color",
                                            g_variant_new_string (split ? "g" : ""), NULL));
            g_assert_true (tess_chart_is_ready (TESS_CHART (chart)));
            if (tess_chart_get_error (TESS_CHART (chart)))
              g_error ("frame %u kind %s split %d: %s", f, kinds[k], split,
                       tess_chart_get_error (TESS_CHART (chart))->message);
            g_assert_true (tess_chart_get_layout (TESS_CHART (chart), &layout));
            g_assert_true (isfinite (layout.y0) && isfinite (layout.y1) && layout.y1 > layout.y0);
            g_assert_true (isfinite (layout.x0) && isfinite (layout.x1) && layout.x1 > layout.x0);
            tess_chart_hover (TESS_CHART (chart), layout.left + layout.width / 2, layout.top + layout.height / 2);
            g_assert_true (tess_chart_save_png (TESS_CHART (chart), png, &error));
            g_assert_no_error (error);
            g_main_context_iteration (NULL, FALSE);
          }
    gtk_window_destroy (GTK_WINDOW (window));
  }
  for (guint f = 0; f < G_N_ELEMENTS (frames); f++)
    tess_frame_unref (frames[f]);
  tess_test_dir_remove (dir);
}

static TessFrame *
constant_frame (gsize n, double value)
{
  g_autofree double *y = g_new (double, n);
  g_autoptr (TessColumn) column = NULL;

  for (gsize i = 0; i < n; i++)
    y[i] = value + (i % 2) * 0.5;
  column = tess_column_new_double ("y", y, n);
  return tess_frame_new (&column, 1, NULL);
}

static void
test_stale_results (void)
{
  g_autoptr (TessFrame) first = constant_frame (200000, 1);
  g_autoptr (TessFrame) second = constant_frame (200000, 7);
  GtkWidget *window;
  GtkWidget *chart = show_chart (first, spec_new ("line", NULL, NULL, NULL), 500, 300, &window);
  double x0, x1;

  /* large frames prepare on a worker: nothing is ready the moment they are set */
  tess_chart_set_frame (TESS_CHART (chart), first, spec_new ("area", NULL, NULL, NULL));
  g_assert_false (tess_chart_is_ready (TESS_CHART (chart)));
  /* superseded before it finished: its result is dropped, the newest wins */
  tess_chart_set_frame (TESS_CHART (chart), second, spec_new ("line", NULL, NULL, NULL));
  wait_for (chart, settled);
  g_assert_cmpint (tess_chart_get_data (TESS_CHART (chart))->kind, ==, TESS_CHART_LINE);
  g_assert_cmpfloat (tess_chart_get_data (TESS_CHART (chart))->y_min, ==, 7);

  /* a burst of zooms: only the last view's decimation is kept */
  for (int i = 1; i <= 30; i++)
    {
      tess_chart_set_view (TESS_CHART (chart), 1000 * i, 1000 * i + 5000);
      g_main_context_iteration (NULL, FALSE);
    }
  wait_for (chart, decimated_for_view);
  tess_chart_get_view (TESS_CHART (chart), &x0, &x1);
  g_assert_cmpfloat (x0, ==, 30000);
  g_assert_cmpfloat (tess_chart_get_decimation (TESS_CHART (chart))->x0, ==, 30000);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_gaps (void)
{
  double x[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  double y[10] = { 1, 2, NAN, NAN, 5, 6, 7, NAN, 9, 10 };
  g_autoptr (TessColumn) cx = tess_column_new_double ("x", x, 10);
  g_autoptr (TessColumn) cy = tess_column_new_double ("y", y, 10);
  g_autoptr (TessFrame) frame = tess_frame_new ((TessColumn *[]){ cx, cy }, 2, NULL);
  GtkWidget *window;
  GtkWidget *chart = show_chart (frame, spec_new ("line", "x", NULL, NULL), 400, 300, &window);
  TessChartSeries *s = g_ptr_array_index (tess_chart_get_data (TESS_CHART (chart))->series, 0);

  /* the line breaks where values are missing: 1 -> 4 and 6 -> 8 cross gaps */
  g_assert_nonnull (s->gaps);
  g_assert_cmpuint (s->gaps[4] - s->gaps[1 + 1], ==, 2);
  g_assert_cmpuint (s->gaps[8] - s->gaps[6 + 1], ==, 1);
  g_assert_cmpuint (s->gaps[6] - s->gaps[4 + 1], ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_dark_theme (void)
{
  g_autoptr (TessFrame) frame = make_frame (200);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = tess_test_dir_new ("tessera-chart-XXXXXX");
  g_autofree char *light_png = g_build_filename (dir, "light.png", NULL);
  g_autofree char *dark_png = g_build_filename (dir, "dark.png", NULL);
  GtkSettings *settings = gtk_settings_get_default ();
  GtkWidget *window;
  GtkWidget *chart = show_chart (frame, spec_new ("line", "x", (const char *[]){ "a", NULL }, NULL), 400, 300, &window);
  guint8 light_corner, dark_corner;
  cairo_surface_t *image;

  g_object_set (settings, "gtk-application-prefer-dark-theme", FALSE, NULL);
  g_assert_true (tess_chart_save_png (TESS_CHART (chart), light_png, &error));
  /* the system switches to dark: the chart follows */
  g_object_set (settings, "gtk-application-prefer-dark-theme", TRUE, NULL);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (tess_chart_save_png (TESS_CHART (chart), dark_png, &error));
  g_object_set (settings, "gtk-application-prefer-dark-theme", FALSE, NULL);

  image = cairo_image_surface_create_from_png (light_png);
  cairo_surface_flush (image);
  light_corner = cairo_image_surface_get_data (image)[0];
  cairo_surface_destroy (image);
  image = cairo_image_surface_create_from_png (dark_png);
  cairo_surface_flush (image);
  dark_corner = cairo_image_surface_get_data (image)[0];
  cairo_surface_destroy (image);
  g_assert_cmpuint (light_corner, >, 200);
  g_assert_cmpuint (dark_corner, <, 80);

  tess_test_dir_remove (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Whether any pixel of the ARGB @image in the rectangle differs from white:
 * something was drawn there. */
static gboolean
drawn_in (cairo_surface_t *image, int x0, int y0, int x1, int y1)
{
  int stride = cairo_image_surface_get_stride (image);
  const guint8 *pixels = cairo_image_surface_get_data (image);

  cairo_surface_flush (image);
  for (int y = MAX (y0, 0); y < MIN (y1, cairo_image_surface_get_height (image)); y++)
    for (int x = MAX (x0, 0); x < MIN (x1, cairo_image_surface_get_width (image)); x++)
      if ((*(const guint32 *) (pixels + y * stride + 4 * x) & 0xffffff) != 0xffffff)
        return TRUE;
  return FALSE;
}

static void
test_small_heights (void)
{
  /* value ranges of every shape: small, large, negative, offset, narrow */
  static const double ranges[][2] = {
    { 0, 1 },       { 3.2, 97.1 },    { 21, 39 },   { 41, 59 },   { -7.5, 12.25 },
    { 1000, 1003 }, { 0.011, 0.019 }, { 1e6, 9e6 }, { -80, -20 }, { 5.5, 9.9 },
  };
  static const char *const kinds[] = { "line", "scatter", "area", "bar" };
  /* down to the chart's minimum height, and below it when a chart asks for less */
  static const int heights[] = { 240, 160, 140, 120, 60 };
  TessChartTheme theme = { { 0, 0, 0, 1 }, { 1, 1, 1, 1 }, FALSE, TRUE, NULL };

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    {
      double x[40], y[40];
      g_autoptr (TessColumn) cx = NULL;
      g_autoptr (TessColumn) cy = NULL;
      g_autoptr (TessFrame) frame = NULL;

      for (int i = 0; i < 40; i++)
        {
          x[i] = i;
          y[i] = ranges[r][0] + (ranges[r][1] - ranges[r][0]) * (0.5 + 0.5 * sin (i / 3.0));
        }
      y[0] = ranges[r][0];
      y[1] = ranges[r][1];
      cx = tess_column_new_double ("x", x, 40);
      cy = tess_column_new_double ("y", y, 40);
      frame = tess_frame_new ((TessColumn *[]){ cx, cy }, 2, NULL);
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        for (guint h = 0; h < G_N_ELEMENTS (heights); h++)
          {
            g_autoptr (GError) error = NULL;
            g_autoptr (GVariant) spec =
                g_variant_ref_sink (spec_new (kinds[k], "x", (const char *[]){ "y", NULL }, NULL));
            g_autoptr (TessChartData) data = tess_chart_data_new (frame, spec, &error);
            g_autoptr (TessChartDecimation) dec = NULL;
            cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 360, heights[h]);
            cairo_t *cr = cairo_create (image);
            TessChartLayout layout;

            g_assert_no_error (error);
            dec = tess_chart_decimate (data, 0, 39, 300, heights[h], NULL);
            tess_chart_render (cr, data, dec, 0, 39, &theme, NULL, 360, heights[h], &layout);
            /* the value axis keeps labels: both ends of the range at least,
             * one where two would not fit */
            if (layout.n_y_labels < (heights[h] >= 120 ? 2u : 1u))
              g_error ("%s over [%g, %g] at %d px: %u value labels", kinds[k], ranges[r][0], ranges[r][1], heights[h],
                       layout.n_y_labels);
            g_assert_cmpuint (layout.n_x_labels, >=, 2);
            /* and they are drawn, left of the axis */
            g_assert_true (
                drawn_in (image, 0, (int) layout.top, (int) layout.left - 6, (int) (layout.top + layout.height)));
            cairo_destroy (cr);
            cairo_surface_destroy (image);
          }
    }
}

/* Pixels of the ARGB @image within a small distance of @color: where a series
 * of that colour is drawn. */
static guint
pixels_of (cairo_surface_t *image, TessColor color)
{
  int stride = cairo_image_surface_get_stride (image);
  const guint8 *pixels = cairo_image_surface_get_data (image);
  guint n = 0;

  cairo_surface_flush (image);
  for (int y = 0; y < cairo_image_surface_get_height (image); y++)
    for (int x = 0; x < cairo_image_surface_get_width (image); x++)
      {
        guint32 p = *(const guint32 *) (pixels + y * stride + 4 * x);
        int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
        if (ABS (r - color.r * 255) < 12 && ABS (g - color.g * 255) < 12 && ABS (b - color.b * 255) < 12)
          n++;
      }
  return n;
}

/* The chart as its PNG export shows it. */
static cairo_surface_t *
exported (GtkWidget *chart, const char *dir)
{
  g_autofree char *png = g_build_filename (dir, "legend.png", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (tess_chart_save_png (TESS_CHART (chart), png, &error));
  g_assert_no_error (error);
  return cairo_image_surface_create_from_png (png);
}

/* Clicks the middle of legend entry @k, Ctrl+click when @isolate. */
static void
click_legend (GtkWidget *chart, guint k, gboolean isolate)
{
  TessChartLayout layout;

  g_assert_true (tess_chart_get_layout (TESS_CHART (chart), &layout));
  g_assert_cmpuint (layout.n_legend, >, k);
  g_assert_true (tess_chart_click_legend (TESS_CHART (chart), layout.legend[k].x + layout.legend[k].width / 2,
                                          layout.legend[k].y + layout.legend[k].height / 2, isolate));
}

static void
test_legend_hides_series (void)
{
  g_autoptr (TessFrame) frame = make_frame (300);
  g_autofree char *dir = tess_test_dir_new ("tessera-legend-XXXXXX");
  GtkWidget *window;
  GtkWidget *chart =
      show_chart (frame, spec_new ("line", "x", (const char *[]){ "a", "b", "c", NULL }, NULL), 640, 360, &window);
  TessColor colors[3];
  guint shown[3];
  TessChartLayout layout;
  cairo_surface_t *image;

  for (guint s = 0; s < 3; s++)
    colors[s] = tess_chart_palette (tess_chart_get_series_color (TESS_CHART (chart), s), FALSE);
  image = exported (chart, dir);
  for (guint s = 0; s < 3; s++)
    {
      shown[s] = pixels_of (image, colors[s]);
      g_assert_cmpuint (shown[s], >, 200);
    }
  cairo_surface_destroy (image);

  /* away from the legend, a click is no legend click */
  g_assert_true (tess_chart_get_layout (TESS_CHART (chart), &layout));
  g_assert_false (tess_chart_click_legend (TESS_CHART (chart), layout.left + layout.width / 2,
                                           layout.top + layout.height / 2, FALSE));

  /* over a legend entry the pointer is a hand, over the plot it is not */
  tess_chart_hover (TESS_CHART (chart), layout.legend[1].x + 2, layout.legend[1].y + 2);
  g_assert_nonnull (gtk_widget_get_cursor (chart));
  g_assert_cmpstr (gdk_cursor_get_name (gtk_widget_get_cursor (chart)), ==, "pointer");
  tess_chart_hover (TESS_CHART (chart), layout.left + layout.width / 2, layout.top + layout.height / 2);
  g_assert_null (gtk_widget_get_cursor (chart));
  tess_chart_hover (TESS_CHART (chart), -1, -1);

  /* a click hides "b": its line is gone, its legend entry stays (a small outline) */
  click_legend (chart, 1, FALSE);
  g_assert_true (tess_chart_is_series_hidden (TESS_CHART (chart), "b"));
  image = exported (chart, dir);
  g_assert_cmpuint (pixels_of (image, colors[0]), >, shown[0] / 2);
  g_assert_cmpuint (pixels_of (image, colors[1]), <, shown[1] / 8);
  g_assert_cmpuint (pixels_of (image, colors[2]), >, shown[2] / 2);
  cairo_surface_destroy (image);

  /* new data keeps it hidden */
  tess_chart_set_frame (
      TESS_CHART (chart), frame,
      spec_new ("line", "x", (const char *[]){ "a", "b", "c", NULL }, "title", g_variant_new_string ("Again"), NULL));
  wait_for (chart, settled);
  g_assert_true (tess_chart_is_series_hidden (TESS_CHART (chart), "b"));

  /* Ctrl+click shows "c" alone, and again shows everything */
  click_legend (chart, 2, TRUE);
  g_assert_true (tess_chart_is_series_hidden (TESS_CHART (chart), "a"));
  g_assert_true (tess_chart_is_series_hidden (TESS_CHART (chart), "b"));
  g_assert_false (tess_chart_is_series_hidden (TESS_CHART (chart), "c"));
  image = exported (chart, dir);
  g_assert_cmpuint (pixels_of (image, colors[0]), <, shown[0] / 8);
  g_assert_cmpuint (pixels_of (image, colors[2]), >, shown[2] / 2);
  cairo_surface_destroy (image);
  click_legend (chart, 2, TRUE);
  for (guint s = 0; s < 3; s++)
    g_assert_false (tess_chart_is_series_hidden (TESS_CHART (chart), (const char *[]){ "a", "b", "c" }[s]));

  /* a click shows a hidden series again */
  click_legend (chart, 0, FALSE);
  g_assert_true (tess_chart_is_series_hidden (TESS_CHART (chart), "a"));
  click_legend (chart, 0, FALSE);
  g_assert_false (tess_chart_is_series_hidden (TESS_CHART (chart), "a"));

  tess_test_dir_remove (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A frame of x, y and a category per row, in the order given. */
static TessFrame *
category_frame (const char *const *categories, gsize n)
{
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autoptr (TessColumn) cx = NULL, cy = NULL, cc = NULL;

  for (gsize i = 0; i < n; i++)
    {
      x[i] = n - i; /* descending: sorting by x reverses the rows */
      y[i] = 1 + i % 5;
    }
  cx = tess_column_new_double ("x", x, n);
  cy = tess_column_new_double ("y", y, n);
  cc = tess_column_new_strings ("origin", categories, n);
  return tess_frame_new ((TessColumn *[]){ cx, cy, cc }, 3, NULL);
}

static guint
color_of (GtkWidget *chart, const char *name)
{
  TessChartData *data = tess_chart_get_data (TESS_CHART (chart));

  for (guint s = 0; s < data->series->len; s++)
    if (g_str_equal (((TessChartSeries *) g_ptr_array_index (data->series, s))->name, name))
      return tess_chart_get_series_color (TESS_CHART (chart), s);
  g_error ("no series %s", name);
}

static char *
legend_of (GtkWidget *chart)
{
  TessChartData *data = tess_chart_get_data (TESS_CHART (chart));
  g_autoptr (GString) names = g_string_new (NULL);

  for (guint s = 0; s < data->series->len; s++)
    g_string_append_printf (names, "%s%s", s ? "," : "",
                            ((TessChartSeries *) g_ptr_array_index (data->series, s))->name);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
test_category_colors (void)
{
  static const char *const scatter_rows[] = { "USA", "USA", "Europe", "Japan", "USA", "Japan", "Europe", "USA" };
  static const char *const bar_rows[] = { "Japan", "Europe", "USA", "Japan", "USA", "Europe" };
  static const char *const rerun_rows[] = { "Europe", "Japan", "Japan", "USA", "Europe", "USA" };
  g_autoptr (TessFrame) scatter_frame = category_frame (scatter_rows, G_N_ELEMENTS (scatter_rows));
  g_autoptr (TessFrame) bar_frame = category_frame (bar_rows, G_N_ELEMENTS (bar_rows));
  g_autoptr (TessFrame) rerun_frame = category_frame (rerun_rows, G_N_ELEMENTS (rerun_rows));
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scatter = tess_chart_new ();
  GtkWidget *bars = tess_chart_new ();
  g_autofree char *scatter_legend = NULL, *bar_legend = NULL, *line_legend = NULL;
  guint usa, europe, japan;

  gtk_window_set_default_size (GTK_WINDOW (window), 640, 700);
  gtk_box_append (GTK_BOX (box), scatter);
  gtk_box_append (GTK_BOX (box), bars);
  gtk_window_set_child (GTK_WINDOW (window), box);
  tess_chart_set_frame (
      TESS_CHART (scatter), scatter_frame,
      spec_new ("scatter", "x", (const char *[]){ "y", NULL }, "color", g_variant_new_string ("origin"), NULL));
  gtk_window_present (GTK_WINDOW (window));
  wait_for (scatter, settled);

  /* the legend in the order the data holds the values, not along x */
  scatter_legend = legend_of (scatter);
  g_assert_cmpstr (scatter_legend, ==, "USA,Europe,Japan");
  /* first come, first served */
  usa = color_of (scatter, "USA");
  europe = color_of (scatter, "Europe");
  japan = color_of (scatter, "Japan");
  g_assert_cmpuint (usa, ==, 0);
  g_assert_cmpuint (europe, ==, 1);
  g_assert_cmpuint (japan, ==, 2);

  /* another chart of the dashboard: the same colour for the same value */
  tess_chart_set_frame (
      TESS_CHART (bars), bar_frame,
      spec_new ("bar", "x", (const char *[]){ "y", NULL }, "color", g_variant_new_string ("origin"), NULL));
  wait_for (bars, settled);
  bar_legend = legend_of (bars);
  g_assert_cmpstr (bar_legend, ==, "Japan,Europe,USA");
  g_assert_cmpuint (color_of (bars, "Japan"), ==, japan);
  g_assert_cmpuint (color_of (bars, "Europe"), ==, europe);
  g_assert_cmpuint (color_of (bars, "USA"), ==, usa);

  /* new data in another order (a rerun): nobody's colour moves */
  tess_chart_set_frame (
      TESS_CHART (scatter), rerun_frame,
      spec_new ("line", "x", (const char *[]){ "y", NULL }, "color", g_variant_new_string ("origin"), NULL));
  wait_for (scatter, settled);
  line_legend = legend_of (scatter);
  g_assert_cmpstr (line_legend, ==, "Europe,Japan,USA");
  g_assert_cmpuint (color_of (scatter, "Japan"), ==, japan);
  g_assert_cmpuint (color_of (scatter, "Europe"), ==, europe);
  g_assert_cmpuint (color_of (scatter, "USA"), ==, usa);

  /* one value fewer (a chip switched off): the others keep theirs */
  {
    static const char *const fewer_rows[] = { "USA", "Japan", "USA", "Japan" };
    g_autoptr (TessFrame) fewer = category_frame (fewer_rows, G_N_ELEMENTS (fewer_rows));
    g_autofree char *fewer_legend = NULL;

    tess_chart_set_frame (
        TESS_CHART (bars), fewer,
        spec_new ("bar", "x", (const char *[]){ "y", NULL }, "color", g_variant_new_string ("origin"), NULL));
    wait_for (bars, settled);
    fewer_legend = legend_of (bars);
    g_assert_cmpstr (fewer_legend, ==, "USA,Japan");
    g_assert_cmpuint (color_of (bars, "USA"), ==, usa);
    g_assert_cmpuint (color_of (bars, "Japan"), ==, japan);
    tess_chart_set_frame (
        TESS_CHART (bars), bar_frame,
        spec_new ("bar", "x", (const char *[]){ "y", NULL }, "color", g_variant_new_string ("origin"), NULL));
    wait_for (bars, settled);
  }

  /* and the pixels say so: Japan's colour is drawn in both charts */
  {
    g_autofree char *dir = tess_test_dir_new ("tessera-colors-XXXXXX");
    TessColor color = tess_chart_palette (japan, FALSE);
    cairo_surface_t *image = exported (bars, dir);

    g_assert_cmpuint (pixels_of (image, color), >, 50);
    cairo_surface_destroy (image);
    image = exported (scatter, dir);
    g_assert_cmpuint (pixels_of (image, color), >, 50);
    cairo_surface_destroy (image);
    tess_test_dir_remove (dir);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_export_title_and_csv (void)
{
  g_autoptr (TessFrame) frame = make_frame (200);
  g_autofree char *dir = tess_test_dir_new ("tessera-chart-title-XXXXXX");
  g_autofree char *png = g_build_filename (dir, "chart.png", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "chart.csv", NULL);
  g_autofree char *saved = NULL, *expected = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new ("Sales by month");
  GtkWidget *chart = tess_chart_new ();
  cairo_surface_t *image;
  int w, h, scale;

  /* a chart without a title of its own, under its fragment's heading */
  gtk_widget_add_css_class (heading, "title-4");
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), chart);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 400);
  tess_chart_set_frame (TESS_CHART (chart), frame, spec_new ("line", "x", (const char *[]){ "a", NULL }, NULL));
  gtk_window_present (GTK_WINDOW (window));
  wait_for (chart, settled);
  w = gtk_widget_get_width (chart);
  h = gtk_widget_get_height (chart);
  scale = MAX (gtk_widget_get_scale_factor (chart), 2);

  g_assert_true (tess_chart_save_png (TESS_CHART (chart), png, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, w * scale);
  /* the heading above the chart: a band of its own, with text in it */
  g_assert_cmpint (cairo_image_surface_get_height (image), >, h * scale + 10 * scale);
  g_assert_cmpint (cairo_image_surface_get_height (image), <, h * scale + 60 * scale);
  g_assert_true (drawn_in (image, 0, 0, w * scale, cairo_image_surface_get_height (image) - h * scale));
  /* and the chart below it */
  g_assert_true (drawn_in (image, 0, cairo_image_surface_get_height (image) - h * scale, w * scale,
                           cairo_image_surface_get_height (image)));
  cairo_surface_destroy (image);

  /* Save Data as CSV */
  g_assert_true (tess_chart_save_csv (TESS_CHART (chart), csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &saved, NULL, NULL));
  expected = tess_chart_to_csv (TESS_CHART (chart));
  g_assert_cmpstr (saved, ==, expected);
  g_assert_true (g_str_has_prefix (saved, "x,a\r\n0,10\r\n"));
  g_assert_false (tess_chart_save_csv (TESS_CHART (chart), "/nonexistent/dir/chart.csv", &error));
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/chart.csv"));

  tess_test_dir_remove (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  /* Without a session bus (a bare xvfb-run) GTK warns that it cannot reach the
   * settings portal; that is the environment, not the chart. Criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/Charts/chart/kinds", test_kinds);
  g_test_add_func ("/Charts/chart/errors", test_errors);
  g_test_add_func ("/Charts/chart/time-categories", test_time_categories);
  g_test_add_func ("/Charts/chart/hit-test", test_hit_test);
  g_test_add_func ("/Charts/chart/zoom", test_zoom);
  g_test_add_func ("/Charts/chart/exports", test_exports);
  g_test_add_func ("/Charts/chart/export-title-and-csv", test_export_title_and_csv);
  g_test_add_func ("/Charts/chart/degenerate", test_degenerate);
  g_test_add_func ("/Charts/chart/gaps", test_gaps);
  g_test_add_func ("/Charts/chart/stale-results", test_stale_results);
  g_test_add_func ("/Charts/chart/dark-theme", test_dark_theme);
  g_test_add_func ("/Charts/chart/small-heights", test_small_heights);
  g_test_add_func ("/Charts/chart/gallery", test_gallery);
  g_test_add_func ("/Charts/chart/legend-hides-series", test_legend_hides_series);
  g_test_add_func ("/Charts/chart/category-colors", test_category_colors);
  return g_test_run ();
}
