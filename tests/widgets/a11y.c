/* a11y.c: what the keyboard and screen readers get: slots named by their
 * titles, charts described in words, and the Tab key reaching every input
 * and the content, with a visible focus ring. GTK 4.8 cannot read accessible properties back, so the
 * names and descriptions are checked through the functions that make them
 * and the widgets that keep them. */
#include <math.h>
#include <string.h>

#include "widget-test-host.h"

#include "tess-chart-private.h"
#include "tess-chart-summary.h"
#include "tess-element-private.h"
#include "tess-slot.h"
#include "tess-table-view-private.h"

static TessElement *
text_element (TessElementKind kind, const char *text)
{
  GVariantDict props;

  g_variant_dict_init (&props, NULL);
  g_variant_dict_insert (&props, "text", "s", text);
  return tess_element_new (kind, "t", g_variant_dict_end (&props), NULL);
}

/* A slot is called by the title its fragment shows, else by its name. */
static void
test_slot_names (void)
{
  g_autoptr (GPtrArray) children = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_element_unref);
  g_autoptr (TessElement) root = NULL;
  g_autoptr (TessElement) untitled = NULL;
  GtkWidget *slot = g_object_ref_sink (tess_slot_new ("sales/revenue"));
  TessScopeUpdate update = { "sales/revenue", TESS_SCOPE_DONE, NULL, 0, NULL, NULL, -1, 1, 0 };
  g_autofree char *from_title = NULL, *from_path = NULL, *dashboard = NULL;

  g_ptr_array_add (children, text_element (TESS_ELEMENT_TEXT, "Figures are in euros."));
  g_ptr_array_add (children, text_element (TESS_ELEMENT_SUBHEADER, "Revenue by month"));
  root = tess_element_new_root (children);
  g_ptr_array_set_size (children, 1);
  untitled = tess_element_new_root (children);

  from_title = tess_slot_accessible_name ("sales/revenue", root);
  g_assert_cmpstr (from_title, ==, "Revenue by month");
  from_path = tess_slot_accessible_name ("sales/revenue", untitled);
  g_assert_cmpstr (from_path, ==, "revenue");
  dashboard = tess_slot_accessible_name ("", NULL);
  g_assert_cmpstr (dashboard, ==, "Dashboard");

  /* the slot keeps its name up to date: loading, then titled */
  g_assert_cmpstr (tess_slot_get_accessible_name (TESS_SLOT (slot)), ==, "revenue");
  update.root = root;
  tess_slot_set_state (TESS_SLOT (slot), &update);
  g_assert_cmpstr (tess_slot_get_accessible_name (TESS_SLOT (slot)), ==, "Revenue by month");
  update.root = untitled;
  tess_slot_set_state (TESS_SLOT (slot), &update);
  g_assert_cmpstr (tess_slot_get_accessible_name (TESS_SLOT (slot)), ==, "revenue");
  g_object_unref (slot);
}

/* Four companies' monthly prices, 2000 to 2010. */
static TessFrame *
stocks_frame (void)
{
  static const char *const companies[] = { "AAPL", "AMZN", "IBM", "MSFT" };
  const gsize n = 4 * 121;
  g_autoptr (TessColumnBuilder) date = tess_column_builder_new ("date", TESS_COLUMN_DATE, n);
  g_autofree double *price = g_new (double, n);
  g_autofree const char **company = g_new (const char *, n);
  TessColumn *columns[3];
  g_autoptr (GError) error = NULL;
  TessFrame *frame;
  gsize row = 0;

  for (guint c = 0; c < 4; c++)
    for (int m = 0; m < 121; m++)
      {
        g_autoptr (GDateTime) dt = g_date_time_new_utc (2000 + m / 12, m % 12 + 1, 1, 0, 0, 0);

        tess_column_builder_append_date (date, (gint32) (g_date_time_to_unix (dt) / 86400));
        price[row] = 3.25 + c * 100 + m * 5.125;
        company[row] = companies[c];
        row++;
      }
  columns[0] = tess_column_builder_finish (g_steal_pointer (&date));
  columns[1] = tess_column_new_double ("price", price, n);
  columns[2] = tess_column_new_strings ("company", company, n);
  frame = tess_frame_new (columns, 3, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    tess_column_unref (columns[i]);
  return frame;
}

static GVariant *
chart_spec (const char *kind, const char *x, const char *y, const char *color)
{
  GVariantDict spec;
  const char *ys[] = { y, NULL };

  g_variant_dict_init (&spec, NULL);
  g_variant_dict_insert (&spec, "kind", "s", kind);
  if (x != NULL)
    g_variant_dict_insert (&spec, "x", "s", x);
  if (y != NULL)
    g_variant_dict_insert_value (&spec, "y", g_variant_new_strv (ys, -1));
  if (color != NULL)
    g_variant_dict_insert (&spec, "color", "s", color);
  return g_variant_ref_sink (g_variant_dict_end (&spec));
}

static char *
summary_of (TessFrame *frame, GVariant *spec)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessChartData) data = tess_chart_data_new (frame, spec, &error);

  g_assert_no_error (error);
  return tess_chart_summary (data);
}

/* A chart tells a screen reader what it shows. */
static void
test_chart_summary (void)
{
  g_autoptr (TessFrame) frame = stocks_frame ();
  g_autoptr (GVariant) line = chart_spec ("line", "date", "price", "company");
  g_autoptr (GVariant) bar = chart_spec ("bar", "company", "price", NULL);
  g_autoptr (GVariant) histogram = chart_spec ("histogram", "price", NULL, NULL);
  g_autoptr (GVariant) scatter = chart_spec ("scatter", "price", "price", NULL);
  g_autofree char *line_text = summary_of (frame, line);
  g_autofree char *bar_text = summary_of (frame, bar);
  g_autofree char *histogram_text = summary_of (frame, histogram);
  g_autofree char *scatter_text = summary_of (frame, scatter);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = tess_chart_new ();
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_cmpstr (line_text, ==, "Line chart of price by date, 4 series, 2000–2010, values from 3.25 to 918.2");
  g_assert_true (g_str_has_prefix (bar_text, "Bar chart of price by company, 4 categories, values from 0 to "));
  g_assert_true (g_str_has_prefix (histogram_text, "Histogram of price, price from "));
  g_assert_true (g_str_has_prefix (scatter_text, "Scatter plot of price by price, price from 3.25 to 918.2"));

  /* the widget sets it as its accessible description once the data is ready */
  gtk_window_set_child (GTK_WINDOW (window), chart);
  tess_chart_set_frame (TESS_CHART (chart), frame, line);
  gtk_window_present (GTK_WINDOW (window));
  while (tess_chart_get_summary (TESS_CHART (chart)) == NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_assert_cmpstr (tess_chart_get_summary (TESS_CHART (chart)), ==, line_text);
  gtk_window_destroy (GTK_WINDOW (window));
}

static const char *const fruit[] = { "Apples", "Pears", "Plums", NULL };

static gboolean
content_body (TessRun *run, gpointer user_data, GError **error)
{
  g_autoptr (TessFrame) frame = stocks_frame ();
  g_autoptr (GVariant) line = chart_spec ("line", "date", "price", "company");
  TessInputOptions o = { .key = "within" };

  tess_subheader (run, "Prices");
  tess_text_input (run, "Note", "", &o);
  tess_table (run, frame, NULL);
  tess_chart (run, frame, line);
  return TRUE;
}

static gboolean
focus_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  TessInputOptions o = { 0 };

  tess_sidebar_begin (run);
  o.key = "slider";
  tess_slider (run, "Months", 1, 24, 12, &o);
  o = (TessInputOptions){ .key = "select" };
  tess_selectbox (run, "Fruit", fruit, 0, &o);
  o = (TessInputOptions){ .key = "check" };
  tess_checkbox (run, "Smooth", FALSE, &o);
  o = (TessInputOptions){ .key = "text" };
  tess_text_input (run, "Search", "", &o);
  o = (TessInputOptions){ .key = "number" };
  tess_number_input (run, "Limit", 5, 0, 10, &o);
  o = (TessInputOptions){ .key = "date" };
  tess_date_input (run, "From", "2026-01-15", &o);
  o = (TessInputOptions){ .key = "button" };
  tess_button (run, "Refresh", &o);
  tess_end (run);
  tess_fragment (run, "content", content_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

/* Whether the focus was ever on @widget or inside it. */
static gboolean
reached (GPtrArray *focused, GtkWidget *widget)
{
  for (guint i = 0; i < focused->len; i++)
    {
      GtkWidget *focus = g_ptr_array_index (focused, i);

      if (focus == widget || gtk_widget_is_ancestor (focus, widget))
        return TRUE;
    }
  return FALSE;
}

/* The chart's pixels as drawn now. */
static GBytes *
chart_pixels (GtkWidget *chart, int *width, int *height)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (chart);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  guchar *data;
  gsize stride;

  *width = gtk_widget_get_width (chart);
  *height = gtk_widget_get_height (chart);
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (chart)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  stride = (gsize) *width * 4;
  data = g_malloc (stride * *height);
  gdk_texture_download (texture, data, stride);
  return g_bytes_new_take (data, stride * *height);
}

/* Tab reaches every input, in the sidebar and in the content, the table's
 * search and rows, and the chart, which then shows a focus ring. */
static void
test_focus_chain (void)
{
  TestHost *host = test_host_new (focus_dashboard, NULL);
  g_autoptr (GPtrArray) focused = g_ptr_array_new ();
  static const char *const inputs[] = { "slider", "select", "check", "text", "number", "date", "button" };
  GtkWidget *table, *chart, *first = NULL;

  test_host_wait_idle (host);
  test_host_spin (100);
  table = test_host_find (host, "content", "table:0");
  chart = test_host_find (host, "content", "chart:0");
  g_assert_true (TESS_IS_TABLE_VIEW (table));
  g_assert_true (TESS_IS_CHART (chart));

  gtk_window_set_focus (GTK_WINDOW (host->window), NULL);
  for (guint i = 0; i < 400; i++)
    {
      GtkWidget *focus;

      /* a frame between two presses of Tab, as a person's typing leaves */
      if (!gtk_widget_child_focus (host->window, GTK_DIR_TAB_FORWARD))
        continue;
      test_host_spin (5);
      focus = gtk_root_get_focus (GTK_ROOT (host->window));
      if (focus == NULL)
        continue;
      if (focus == first)
        break; /* round the whole window once */
      if (first == NULL)
        first = focus;
      g_ptr_array_add (focused, focus);
    }
  g_assert_cmpuint (focused->len, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_test_message ("input %s", inputs[i]);
      g_assert_true (reached (focused, test_host_find (host, "", inputs[i])));
    }
  g_assert_true (reached (focused, test_host_find (host, "content", "within")));
  g_assert_true (reached (focused, tess_table_view_get_search_button (TESS_TABLE_VIEW (table))));
  g_assert_true (reached (focused, GTK_WIDGET (tess_table_view_get_column_view (TESS_TABLE_VIEW (table)))));
  g_assert_true (reached (focused, chart));

  /* the keyboard's focus on the chart is drawn */
  {
    g_autoptr (GBytes) plain = NULL;
    g_autoptr (GBytes) ringed = NULL;
    int width, height, w2, h2;

    gtk_window_set_focus (GTK_WINDOW (host->window), NULL);
    test_host_spin (50);
    plain = chart_pixels (chart, &width, &height);
    gtk_widget_grab_focus (chart);
    gtk_window_set_focus_visible (GTK_WINDOW (host->window), TRUE);
    test_host_spin (50);
    g_assert_true (gtk_widget_has_focus (chart));
    g_assert_true (gtk_widget_get_state_flags (chart) & GTK_STATE_FLAG_FOCUS_VISIBLE);
    ringed = chart_pixels (chart, &w2, &h2);
    g_assert_cmpint (width, ==, w2);
    g_assert_cmpint (height, ==, h2);
    g_assert_false (g_bytes_equal (plain, ringed));
  }
  test_host_free (host);
}

int
main (int argc, char *argv[])
{
  test_host_init (&argc, &argv);
  g_test_add_func ("/A11y/slot-names", test_slot_names);
  g_test_add_func ("/A11y/chart-summary", test_chart_summary);
  g_test_add_func ("/A11y/focus-chain", test_focus_chain);
  return g_test_run ();
}
