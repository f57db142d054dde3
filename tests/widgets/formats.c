/* formats.c: what a person reads in a metric, a chart's tooltip and a chart's
 * copied CSV follows the one number and date rule (tess-format-private.h):
 * large metrics compact with the whole value in a tooltip, tooltips at the
 * data's grain with grouped values, axes compact, table cells grouped, CSV
 * and copied rows in the shortest exact form. */
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tess-chart-render.h"
#include "tess-table-model.h"
#include "tess-ticks.h"
#include "tess-element-private.h"
#include "tess-element-widgets.h"

static void
test_metric (void)
{
  GtkWidget *metric = tess_element_widget_new (TESS_ELEMENT_METRIC, NULL);
  GtkWidget *value = tess_element_widget_get_part (metric, "value");
  static const struct
  {
    const char *value, *shown, *tooltip;
  } cases[] = {
    { "7601676", "7.6M", "7,601,676" }, { "760167600", "760.2M", "760,167,600" },
    { "4.4e+07", "44M", "44,000,000" }, { "43987654", "44M", "43,987,654" },
    { "34207", "34,207", NULL },        { "2024", "2024", NULL }, /* a year is not "2,024" */
    { "34 207", "34 207", NULL },       { "3.1%", "3.1%", NULL },
    { "1.5e-07", "1.5e-07", NULL },
  };

  g_object_ref_sink (metric);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GVariantDict props;
      g_autoptr (TessElement) element = NULL;
      const char *tooltip;

      g_variant_dict_init (&props, NULL);
      g_variant_dict_insert (&props, "label", "s", "Trips");
      g_variant_dict_insert (&props, "value", "s", cases[i].value);
      element = tess_element_new (TESS_ELEMENT_METRIC, "m", g_variant_dict_end (&props), NULL);
      tess_element_widget_update (metric, element);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (value)), ==, cases[i].shown);
      tooltip = gtk_widget_get_tooltip_text (value);
      g_assert_cmpstr (tooltip, ==, cases[i].tooltip);
    }
  g_object_unref (metric);
}

static TessFrame *
monthly_frame (void)
{
  g_autoptr (TessColumnBuilder) month = tess_column_builder_new ("month", TESS_COLUMN_TIMESTAMP, 24);
  double trips[24];
  TessColumn *columns[2];
  g_autoptr (GError) error = NULL;
  TessFrame *frame;

  for (int i = 0; i < 24; i++)
    {
      g_autoptr (GDateTime) dt = g_date_time_new_utc (2013 + i / 12, i % 12 + 1, 1, 0, 0, 0);

      tess_column_builder_append_timestamp (month, g_date_time_to_unix (dt) * G_USEC_PER_SEC);
      trips[i] = 7601676 + i * 1000.25;
    }
  trips[3] = 4.325; /* as a sum of doubles may leave it */
  columns[0] = tess_column_builder_finish (g_steal_pointer (&month));
  columns[1] = tess_column_new_double ("trips", trips, 24);
  frame = tess_frame_new (columns, 2, &error);
  g_assert_no_error (error);
  tess_column_unref (columns[0]);
  tess_column_unref (columns[1]);
  return frame;
}

static void
test_chart_tooltip_and_csv (void)
{
  g_autoptr (TessFrame) frame = monthly_frame ();
  const char *y[] = { "trips", NULL };
  GVariantDict spec;
  g_autoptr (TessChartData) data = NULL;
  g_autoptr (GError) error = NULL;
  TessChartLayout layout = { 0 };
  TessChartHover hover = { TRUE, 0, 0, 0, 6 };
  g_autofree char *tip = NULL;
  g_autofree char *csv = NULL;

  g_variant_dict_init (&spec, NULL);
  g_variant_dict_insert (&spec, "kind", "s", "line");
  g_variant_dict_insert (&spec, "x", "s", "month");
  g_variant_dict_insert_value (&spec, "y", g_variant_new_strv (y, -1));
  data = tess_chart_data_new (frame, g_variant_dict_end (&spec), &error);
  g_assert_no_error (error);

  /* July 2013, at the grain of the data, however the axis is zoomed */
  layout.x0 = 0;
  layout.x1 = 1e9;
  layout.width = 1000;
  tip = tess_chart_render_tooltip_text (data, &layout, &hover);
  g_assert_cmpstr (tip, ==, "Jul 2013\ntrips: 7,607,677.5");
  hover.index = 3;
  g_clear_pointer (&tip, g_free);
  tip = tess_chart_render_tooltip_text (data, &layout, &hover);
  g_assert_cmpstr (tip, ==, "Apr 2013\ntrips: 4.325");
  hover.index = 99;
  g_clear_pointer (&tip, g_free);
  g_assert_null (tess_chart_render_tooltip_text (data, &layout, &hover));

  /* the copied data: exact and short, never 4.3250000000000002 */
  csv = tess_chart_data_to_csv (data);
  g_assert_nonnull (strstr (csv, ",4.325\r\n"));
  g_assert_null (strstr (csv, "4.32500000"));
  g_assert_nonnull (strstr (csv, ",7601676\r\n"));
  g_assert_nonnull (strstr (csv, ",7602676.25\r\n"));
}

/* Axes: compact forms, never an exponent for a mean's size of value. */
static void
test_axis_labels (void)
{
  g_autoptr (GArray) ticks = tess_ticks_numeric (0, 4.4e7, 6);
  g_autoptr (GArray) small = tess_ticks_numeric (0, 1, 6);

  g_assert_cmpuint (ticks->len, >=, 3);
  for (guint i = 1; i < ticks->len; i++)
    {
      const char *label = g_array_index (ticks, TessTick, i).label;

      g_assert_null (strchr (label, 'e'));
      g_assert_true (g_str_has_suffix (label, "M"));
    }
  g_assert_cmpstr (g_array_index (ticks, TessTick, 1).label, ==, "10M");
  g_assert_cmpstr (g_array_index (small, TessTick, 1).label, ==, "0.2");
}

/* What a table copies and exports is the exact value, shortest: the same
 * rule as a chart's CSV. */
static void
test_table_copy (void)
{
  double values[] = { 4.325, 0.1 + 0.2, 7601676 };
  g_autoptr (TessColumn) column = tess_column_new_double ("v", values, 3);
  g_autoptr (TessFrame) frame = tess_frame_new (&column, 1, NULL);
  g_autoptr (TessTableModel) model = tess_table_model_new (frame);
  static const char *const copied[] = { "4.325", "0.30000000000000004", "7601676" };
  static const char *const shown[] = { "4.325", "0.3", "7,601,676" };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = tess_table_model_row_to_text (model, i, ',');
      g_autofree char *cell = tess_table_model_format_cell (model, i, 0);

      g_assert_cmpstr (text, ==, copied[i]);
      g_assert_cmpstr (cell, ==, shown[i]);
    }
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* the C locale's symbols and month names, whatever the machine's */
  setlocale (LC_NUMERIC, "C");
  setlocale (LC_TIME, "C");
  g_test_add_func ("/Formats/metric", test_metric);
  g_test_add_func ("/Formats/chart-tooltip-and-csv", test_chart_tooltip_and_csv);
  g_test_add_func ("/Formats/axis-labels", test_axis_labels);
  g_test_add_func ("/Formats/table-copy", test_table_copy);
  return g_test_run ();
}
