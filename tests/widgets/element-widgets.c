/* elements.c: each output element and layout container as a user sees it.
 *
 * One dashboard emits every element kind; the test checks what each widget
 * shows: text with its style, markdown rendered to Pango markup (and a
 * GitHub-flavoured table as a grid, saved as markdown-table.png in the build
 * directory for a person to look at), code with a
 * working copy button, metric deltas with arrow and colour, progress, status,
 * divider, a JSON tree, images from bytes and from a file, the four callouts,
 * charts and tables, a download button and the bytes it saves, and the
 * layout containers (columns by weight, tabs,
 * expander, container, sidebar).
 */
#include "widget-test-host.h"

#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

#include "tess-chart.h"
#include "tess-columns.h"
#include "tess-element-widgets.h"
#include "tess-json-view.h"
#include "tess-markdown-view.h"
#include "tess-spinner.h"
#include "tess-table-view.h"

static const char markdown[] =
    "# Quarterly *report*\n"
    "\n"
    "Sales grew **12%** with `EMEA` leading; see [the data](https://example.org/data?a=1&b=2).\n"
    "\n"
    "- first point\n"
    "- second point\n"
    "  1. nested one\n"
    "\n"
    "```\n"
    "select * from sales;\n"
    "```\n";

/* Left, right and centred columns; the short "87" shows right alignment. */
static const char markdown_table[] = "| Region | Units | Share |\n"
                                     "|:-------|------:|:-----:|\n"
                                     "| EMEA | 1,204 | 41% |\n"
                                     "| APAC | 87 | ~~3%~~ 4% |\n";

static GBytes *
png_bytes (int width, int height)
{
  g_autoptr (GBytes) pixels = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  guchar *data = g_malloc (width * height * 4);

  for (int i = 0; i < width * height; i++)
    {
      data[i * 4 + 0] = 0x35;
      data[i * 4 + 1] = 0x84;
      data[i * 4 + 2] = 0xe4;
      data[i * 4 + 3] = 0xff;
    }
  pixels = g_bytes_new_take (data, width * height * 4);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels, width * 4);
  return gdk_texture_save_to_png_bytes (texture);
}

static GVariant *
props_text (const char *key, const char *value)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, key, "s", value);
  return g_variant_dict_end (&dict);
}

static gboolean
elements_body (TessRun *run, gpointer user_data, GError **error)
{
  const char *image_path = user_data;
  g_autoptr (GBytes) png = png_bytes (8, 6);
  GVariantDict metric;

  tess_title (run, "Title");
  tess_header (run, "Header");
  tess_subheader (run, "Subheader");
  tess_caption (run, "Caption");
  tess_text (run, "Plain <text> & more");
  tess_markdown (run, markdown);
  tess_markdown (run, markdown_table);
  tess_code (run, "SELECT 1;", "sql");
  tess_metric (run, "Revenue", "34 207", "+5.0%");
  tess_metric (run, "Churn", "3.1%", "-0.4%");
  g_variant_dict_init (&metric, NULL);
  g_variant_dict_insert (&metric, "label", "s", "Costs");
  g_variant_dict_insert (&metric, "value", "s", "9 947");
  g_variant_dict_insert (&metric, "delta", "s", "-2.0%");
  g_variant_dict_insert (&metric, "delta-inverse", "b", TRUE);
  tess_element (run, TESS_ELEMENT_METRIC, "costs", g_variant_dict_end (&metric), NULL);
  tess_progress (run, 0.4, "Importing");
  tess_status (run, "Fetching", "running");
  tess_status (run, "Fetched", "complete");
  tess_divider (run);
  tess_json (run, "{\"region\": \"EMEA\", \"totals\": [1, 2.5, true, null]}", TRUE);
  tess_image_bytes (run, png, "Logo");
  tess_image (run, image_path, "From a file");
  tess_error (run, "Bad input", "line 3: expected a number");
  tess_warning (run, "Careful");
  tess_info (run, "Note");
  tess_success (run, "Saved");
  tess_element (run, TESS_ELEMENT_CALLOUT, "plain", props_text ("text", "No kind"), NULL);
  {
    g_autoptr (GBytes) csv = g_bytes_new_static ("region,sales\r\nEMEA,12\r\n", 24);
    tess_download_button (run, "Download CSV", csv, "sales.csv", NULL);
  }
  {
    TessColumnBuilder *x = tess_column_builder_new ("month", TESS_COLUMN_INT64, 3);
    TessColumnBuilder *y = tess_column_builder_new ("sales", TESS_COLUMN_DOUBLE, 3);
    TessColumn *columns[2];
    g_autoptr (TessFrame) frame = NULL;

    for (int i = 0; i < 3; i++)
      {
        tess_column_builder_append_int64 (x, i + 1);
        tess_column_builder_append_double (y, 10.0 * (i + 1));
      }
    columns[0] = tess_column_builder_finish (x);
    columns[1] = tess_column_builder_finish (y);
    frame = tess_frame_new (columns, 2, error);
    tess_column_unref (columns[0]);
    tess_column_unref (columns[1]);
    if (frame == NULL)
      return FALSE;
    tess_chart (run, frame, g_variant_new_parsed ("{'kind': <'line'>, 'x': <'month'>}"));
    tess_table (run, frame, g_variant_new_parsed ("@a{sv} {}"));
  }
  return TRUE;
}

static gboolean
layout_body (TessRun *run, gpointer user_data, GError **error)
{
  TessInputOptions options = { .key = "region" };
  const char *const regions[] = { "EMEA", "APAC", NULL };

  tess_sidebar_begin (run);
  tess_selectbox (run, "Region", regions, 0, &options);
  tess_end (run);

  tess_columns_begin (run);
  tess_column_begin (run, 2);
  tess_text (run, "wide");
  tess_end (run);
  tess_column_begin (run, 1);
  tess_text (run, "narrow");
  tess_end (run);
  tess_end (run);

  tess_tabs_begin (run);
  tess_tab_begin (run, "Overview");
  tess_text (run, "overview");
  tess_end (run);
  tess_tab_begin (run, "Details");
  tess_text (run, "details");
  tess_end (run);
  tess_end (run);

  tess_expander_begin (run, "More", FALSE);
  tess_text (run, "hidden at first");
  tess_end (run);

  tess_container_begin (run, "box");
  tess_text (run, "inside");
  tess_text (run, "also inside");
  tess_end (run);
  return TRUE;
}

static gboolean
dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "elements", elements_body, user_data, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "layout", layout_body, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static TestHost *host;
static char *image_path;

static GtkWidget *
element (const char *id)
{
  return test_host_find (host, "elements", id);
}

static void
test_text_elements (void)
{
  struct
  {
    const char *id, *text, *css;
  } cases[] = {
    { "title:0", "Title", "title-1" },           { "header:0", "Header", "title-2" },
    { "subheader:0", "Subheader", "title-4" },   { "caption:0", "Caption", "caption" },
    { "text:0", "Plain <text> & more", "body" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWidget *label = element (cases[i].id);
      g_assert_true (GTK_IS_LABEL (label));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, cases[i].text);
      g_assert_true (gtk_widget_has_css_class (label, cases[i].css));
      g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
    }
}

static GtkWidget *
nth_child (GtkWidget *widget, guint n)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  for (guint i = 0; i < n && child != NULL; i++)
    child = gtk_widget_get_next_sibling (child);
  g_assert_nonnull (child);
  return child;
}

static void
test_markdown (void)
{
  GtkWidget *view = element ("markdown:0");
  GtkWidget *heading, *paragraph, *list, *code;
  g_autofree char *escaped = NULL;

  g_assert_true (TESS_IS_MARKDOWN_VIEW (view));
  heading = nth_child (view, 0);
  g_assert_true (gtk_widget_has_css_class (heading, "title-1"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (heading)), ==, "Quarterly <i>report</i>");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (heading)), ==, "Quarterly report");

  paragraph = nth_child (view, 1);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (paragraph)), ==,
                   "Sales grew <b>12%</b> with <tt>EMEA</tt> leading; see "
                   "<a href=\"https://example.org/data?a=1&amp;b=2\">the data</a>.");

  list = nth_child (view, 2);
  g_assert_true (gtk_widget_has_css_class (list, "tess-md-list"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (nth_child (nth_child (list, 0), 0))), ==, "•");
  g_assert_cmpstr (test_host_label_text (nth_child (nth_child (list, 0), 1)), ==, "first point");
  /* The nested ordered list sits inside the second item's body. */
  {
    GtkWidget *body = nth_child (nth_child (list, 1), 1);
    GtkWidget *nested = nth_child (body, 1);
    g_assert_true (gtk_widget_has_css_class (nested, "tess-md-list"));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (nth_child (nth_child (nested, 0), 0))), ==, "1.");
    g_assert_cmpstr (test_host_label_text (nth_child (nth_child (nested, 0), 1)), ==, "nested one");
  }

  code = nth_child (view, 3);
  g_assert_true (gtk_widget_has_css_class (code, "monospace"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (code)), ==, "select * from sales;");

  /* Nothing in the text can inject markup. */
  escaped = tess_markdown_inline_to_markup ("<b>x</b> & *y*");
  g_assert_cmpstr (escaped, ==, "&lt;b&gt;x&lt;/b&gt; &amp; <i>y</i>");
}

/* Where the text of @label ends, in @grid's coordinates. */
static double
label_text_right_edge (GtkWidget *label, GtkWidget *grid)
{
  PangoRectangle logical;
  graphene_point_t origin;
  int offset_x;

  gtk_label_get_layout_offsets (GTK_LABEL (label), &offset_x, NULL);
  pango_layout_get_pixel_extents (gtk_label_get_layout (GTK_LABEL (label)), NULL, &logical);
  g_assert_true (gtk_widget_compute_point (label, grid, &GRAPHENE_POINT_INIT (0, 0), &origin));
  return origin.x + offset_x + logical.x + logical.width;
}

/* Renders @widget alone on white into a PNG in the build directory and
 * returns its pixels (4 bytes each, stride in @stride). */
static GBytes *
save_widget_png (GtkWidget *widget, const char *name, gsize *stride)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guchar *pixels;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA){ 1, 1, 1, 1 }, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("markdown table: %s", path);

  *stride = gdk_texture_get_width (texture) * 4;
  pixels = g_malloc (*stride * gdk_texture_get_height (texture));
  gdk_texture_download (texture, pixels, *stride);
  return g_bytes_new_take (pixels, *stride * gdk_texture_get_height (texture));
}

static gboolean
area_has_ink (GBytes *pixels, gsize stride, const graphene_rect_t *area)
{
  const guchar *data = g_bytes_get_data (pixels, NULL);

  for (int y = area->origin.y; y < area->origin.y + area->size.height; y++)
    for (int x = area->origin.x; x < area->origin.x + area->size.width; x++)
      {
        const guchar *pixel = data + y * stride + x * 4; /* B G R A, premultiplied, on white */
        if (pixel[0] < 128 && pixel[1] < 128 && pixel[2] < 128)
          return TRUE;
      }
  return FALSE;
}

static void
test_markdown_table (void)
{
  GtkWidget *view = element ("markdown:1");
  GtkWidget *grid;
  const char *cells[3][3] = {
    { "Region", "Units", "Share" },
    { "EMEA", "1,204", "41%" },
    { "APAC", "87", "3% 4%" },
  };
  const float xaligns[3] = { 0, 1, 0.5 };
  graphene_rect_t bounds[3][3];
  g_autoptr (GBytes) pixels = NULL;
  g_autofree char *inline_markup = NULL;
  gsize stride;

  g_assert_true (TESS_IS_MARKDOWN_VIEW (view));
  grid = nth_child (view, 0);
  g_assert_true (GTK_IS_GRID (grid));
  g_assert_null (gtk_widget_get_next_sibling (grid));

  for (int row = 0; row < 3; row++)
    for (int column = 0; column < 3; column++)
      {
        GtkWidget *cell = gtk_grid_get_child_at (GTK_GRID (grid), column, row);

        g_assert_true (GTK_IS_LABEL (cell));
        g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cell)), ==, cells[row][column]);
        g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (cell)), ==, xaligns[column]);
        g_assert_true (gtk_widget_compute_bounds (cell, grid, &bounds[row][column]));
      }
  g_assert_null (gtk_grid_get_child_at (GTK_GRID (grid), 0, 3));
  g_assert_null (gtk_grid_get_child_at (GTK_GRID (grid), 3, 0));

  /* The header row is bold; the body is not, and keeps its inline markup. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 0, 0))), ==,
                   "<b>Region</b>");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 0, 1))), ==, "EMEA");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 2, 2))), ==, "<s>3%</s> 4%");

  /* Laid out as a grid: a row's cells side by side at one height, a column's
   * cells one below the other at one left edge. */
  for (int i = 0; i < 3; i++)
    for (int j = 1; j < 3; j++)
      {
        g_assert_cmpfloat (bounds[i][j].origin.y, ==, bounds[i][0].origin.y);
        g_assert_cmpfloat (bounds[i][j].origin.x, >=, bounds[i][j - 1].origin.x + bounds[i][j - 1].size.width);
        g_assert_cmpfloat (bounds[j][i].origin.x, ==, bounds[0][i].origin.x);
        g_assert_cmpfloat (bounds[j][i].origin.y, >=, bounds[j - 1][i].origin.y + bounds[j - 1][i].size.height);
      }
  /* The right-aligned column's numbers end at one edge: "87" under "1,204". */
  g_assert_cmpfloat (fabs (label_text_right_edge (gtk_grid_get_child_at (GTK_GRID (grid), 1, 2), grid) -
                           label_text_right_edge (gtk_grid_get_child_at (GTK_GRID (grid), 1, 1), grid)),
                     <=, 1);
  g_assert_cmpfloat (label_text_right_edge (gtk_grid_get_child_at (GTK_GRID (grid), 1, 2), grid), >,
                     bounds[2][1].origin.x + bounds[2][1].size.width / 2);

  /* What a person sees: every cell has text drawn in it. */
  pixels = save_widget_png (view, "markdown-table.png", &stride);
  for (int row = 0; row < 3; row++)
    for (int column = 0; column < 3; column++)
      {
        graphene_rect_t in_view;

        g_assert_true (
            gtk_widget_compute_bounds (gtk_grid_get_child_at (GTK_GRID (grid), column, row), view, &in_view));
        g_assert_true (area_has_ink (pixels, stride, &in_view));
      }

  /* Autolinks and strikethrough inline, as on GitHub. */
  inline_markup = tess_markdown_inline_to_markup ("see www.example.org and ~~old~~ news");
  g_assert_cmpstr (inline_markup, ==, "see <a href=\"http://www.example.org\">www.example.org</a> and <s>old</s> news");
}

static void
test_code_copy (void)
{
  GtkWidget *code = element ("code:0");
  GtkWidget *copy = tess_element_widget_get_part (code, "copy");
  GdkClipboard *clipboard = gtk_widget_get_clipboard (code);
  GdkContentProvider *content;
  GValue value = G_VALUE_INIT;

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_element_widget_get_part (code, "label"))), ==, "SELECT 1;");
  g_assert_true (gtk_widget_has_css_class (tess_element_widget_get_part (code, "label"), "monospace"));
  g_signal_emit_by_name (copy, "clicked");
  content = gdk_clipboard_get_content (clipboard);
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  g_assert_cmpstr (g_value_get_string (&value), ==, "SELECT 1;");
  g_value_unset (&value);
}

static void
test_metrics (void)
{
  GtkWidget *up = tess_element_widget_get_part (element ("metric:0"), "delta");
  GtkWidget *down = tess_element_widget_get_part (element ("metric:1"), "delta");
  GtkWidget *inverse = tess_element_widget_get_part (element ("costs"), "delta");

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_element_widget_get_part (element ("metric:0"), "value"))), ==,
                   "34 207");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_element_widget_get_part (element ("metric:0"), "label"))), ==,
                   "Revenue");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (up)), ==, "▲ +5.0%");
  g_assert_true (gtk_widget_has_css_class (up, "success"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (down)), ==, "▼ -0.4%");
  g_assert_true (gtk_widget_has_css_class (down, "error"));
  /* Costs going down is good news. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (inverse)), ==, "▼ -2.0%");
  g_assert_true (gtk_widget_has_css_class (inverse, "success"));
}

static void
test_progress_status_divider (void)
{
  GtkWidget *progress = element ("progress:0");
  GtkWidget *running = element ("status:0");
  GtkWidget *complete = element ("status:1");

  g_assert_cmpfloat_with_epsilon (
      gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (tess_element_widget_get_part (progress, "bar"))), 0.4, 1e-9);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_element_widget_get_part (progress, "label"))), ==, "Importing");
  g_assert_true (tess_spinner_get_spinning (TESS_SPINNER (tess_element_widget_get_part (running, "spinner"))));
  g_assert_false (gtk_widget_get_visible (tess_element_widget_get_part (running, "icon")));
  g_assert_false (gtk_widget_get_visible (tess_element_widget_get_part (complete, "spinner")));
  g_assert_true (gtk_widget_get_visible (tess_element_widget_get_part (complete, "icon")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_element_widget_get_part (complete, "label"))), ==, "Fetched");
  g_assert_true (GTK_IS_SEPARATOR (element ("divider:0")));
}

static void
test_json (void)
{
  GtkWidget *json = element ("json:0");
  GtkExpander *root = tess_json_view_get_root_expander (TESS_JSON_VIEW (json));
  GtkWidget *members, *totals;

  g_assert_nonnull (root);
  g_assert_true (gtk_expander_get_expanded (root));
  members = gtk_expander_get_child (root);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (nth_child (members, 0))), ==, "region: \"EMEA\"");
  totals = nth_child (members, 1);
  g_assert_true (GTK_IS_EXPANDER (totals));
  g_assert_null (gtk_expander_get_child (GTK_EXPANDER (totals)));
  gtk_expander_set_expanded (GTK_EXPANDER (totals), TRUE);
  members = gtk_expander_get_child (GTK_EXPANDER (totals));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (nth_child (members, 0))), ==, "0: 1");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (nth_child (members, 2))), ==, "2: true");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (nth_child (members, 3))), ==, "3: null");
}

static gboolean
file_image_loaded (gpointer data)
{
  GtkWidget *picture = tess_element_widget_get_part (element ("image:1"), "picture");
  return gtk_picture_get_paintable (GTK_PICTURE (picture)) != NULL;
}

static void
test_images (void)
{
  GtkWidget *from_bytes = element ("image:0");
  GdkPaintable *paintable =
      gtk_picture_get_paintable (GTK_PICTURE (tess_element_widget_get_part (from_bytes, "picture")));

  g_assert_nonnull (paintable);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 8);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 6);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_element_widget_get_part (from_bytes, "caption"))), ==, "Logo");

  tess_test_wait_until (NULL, file_image_loaded, NULL, 5, "the image file to load");
  paintable = gtk_picture_get_paintable (GTK_PICTURE (tess_element_widget_get_part (element ("image:1"), "picture")));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 8);
}

static void
test_callouts (void)
{
  struct
  {
    const char *id, *kind, *text;
  } cases[] = {
    { "callout:0", "error", "Bad input" }, { "callout:1", "warning", "Careful" }, { "callout:2", "info", "Note" },
    { "callout:3", "success", "Saved" },   { "plain", "info", "No kind" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWidget *callout = element (cases[i].id);
      g_autofree char *css = g_strconcat ("tess-callout-", cases[i].kind, NULL);

      g_assert_true (gtk_widget_has_css_class (callout, css));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_element_widget_get_part (callout, "label"))), ==,
                       cases[i].text);
      g_assert_cmpint (gtk_widget_get_visible (tess_element_widget_get_part (callout, "details")), ==, i == 0);
    }
  g_assert_cmpstr (
      gtk_label_get_text (GTK_LABEL (tess_element_widget_get_part (element ("callout:0"), "details-label"))), ==,
      "line 3: expected a number");
}

static void
test_chart_and_table (void)
{
  GtkWidget *chart = element ("chart:0");
  GtkWidget *table = element ("table:0");

  g_assert_true (TESS_IS_CHART (chart));
  g_assert_true (tess_chart_get_element (TESS_CHART (chart)) == tess_reconciler_get_widget_element (chart));
  g_assert_true (TESS_IS_TABLE_VIEW (table));
  g_assert_true (tess_table_view_get_element (TESS_TABLE_VIEW (table)) == tess_reconciler_get_widget_element (table));
}

static GtkWidget *
layout (const char *id)
{
  return test_host_find (host, "layout", id);
}

static void
test_columns (void)
{
  GtkWidget *columns = layout ("columns:0");
  GtkWidget *wide = nth_child (columns, 0);
  GtkWidget *narrow = nth_child (columns, 1);
  int wide_width, narrow_width;

  g_assert_true (TESS_IS_COLUMNS (columns));
  g_assert_cmpfloat (tess_columns_get_weight (TESS_COLUMNS (columns), wide), ==, 2);
  g_assert_cmpfloat (tess_columns_get_weight (TESS_COLUMNS (columns), narrow), ==, 1);
  g_assert_cmpstr (test_host_label_text (wide), ==, "wide");
  test_host_spin (50);
  wide_width = gtk_widget_get_width (wide);
  narrow_width = gtk_widget_get_width (narrow);
  g_assert_cmpint (narrow_width, >, 0);
  g_assert_cmpfloat (fabs ((double) wide_width / narrow_width - 2.0), <, 0.1);
}

static void
test_tabs_expander_container (void)
{
  GtkWidget *tabs = layout ("tabs:0");
  GtkWidget *expander = layout ("expander:0");
  GtkWidget *box = layout ("box");
  GtkWidget *page;

  g_assert_true (GTK_IS_NOTEBOOK (tabs));
  g_assert_cmpint (gtk_notebook_get_n_pages (GTK_NOTEBOOK (tabs)), ==, 2);
  page = gtk_notebook_get_nth_page (GTK_NOTEBOOK (tabs), 1);
  g_assert_cmpstr (gtk_notebook_get_tab_label_text (GTK_NOTEBOOK (tabs), page), ==, "Details");
  g_assert_cmpstr (test_host_label_text (page), ==, "details");

  g_assert_true (GTK_IS_EXPANDER (expander));
  g_assert_cmpstr (gtk_expander_get_label (GTK_EXPANDER (expander)), ==, "More");
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (expander)));

  g_assert_true (GTK_IS_BOX (box));
  g_assert_cmpstr (test_host_label_text (nth_child (box, 1)), ==, "also inside");
}

static void
test_sidebar (void)
{
  GtkWidget *sidebar = tess_dashboard_view_get_sidebar (host->view);
  GtkWidget *region = layout ("region");

  g_assert_true (tess_dashboard_view_get_has_sidebar (host->view));
  g_assert_true (gtk_widget_get_parent (region) == sidebar);
  g_assert_true (GTK_IS_DROP_DOWN (tess_input_widget_get_control (region)));
  tess_dashboard_view_set_reveal_sidebar (host->view, FALSE);
  g_assert_false (tess_dashboard_view_get_reveal_sidebar (host->view));
  tess_dashboard_view_set_reveal_sidebar (host->view, TRUE);
}

static void
test_download (void)
{
  GtkWidget *button = element ("download:0");
  TessElement *download = g_object_get_data (G_OBJECT (button), "tess-download");
  g_autofree char *dir = g_dir_make_tmp ("tessera-download-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sales.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFile) nowhere = g_file_new_for_path ("/nonexistent/dir/sales.csv");
  g_autoptr (GError) error = NULL;
  g_autofree char *saved = NULL;
  gsize length = 0;

  /* a button with its label, which proposes the file's name */
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tess_element_widget_get_part (button, "label"))), ==, "Download CSV");
  g_assert_nonnull (download);
  g_assert_cmpstr (tess_element_get_string (download, "filename"), ==, "sales.csv");
  g_assert_cmpstr (tess_element_get_string (download, "mime"), ==, "text/csv");

  /* what the file chooser's answer leads to: the bytes, as given */
  g_assert_true (tess_element_widget_save_download (download, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &saved, &length, NULL));
  g_assert_cmpuint (length, ==, 24);
  g_assert_cmpstr (saved, ==, "region,sales\r\nEMEA,12\r\n");

  /* a place that cannot be written is an error naming it */
  g_assert_false (tess_element_widget_save_download (download, nowhere, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/sales.csv"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
write_image_file (void)
{
  g_autoptr (GBytes) png = png_bytes (8, 6);
  g_autoptr (GError) error = NULL;
  int fd = g_file_open_tmp ("tessera-image-XXXXXX.png", &image_path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (image_path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  int status;

  test_host_init (&argc, &argv);
  write_image_file ();
  host = test_host_new (dashboard, image_path);
  test_host_wait_idle (host);

  g_test_add_func ("/Element/text", test_text_elements);
  g_test_add_func ("/Element/markdown", test_markdown);
  g_test_add_func ("/Element/markdown-table", test_markdown_table);
  g_test_add_func ("/Element/code-copy", test_code_copy);
  g_test_add_func ("/Element/metric", test_metrics);
  g_test_add_func ("/Element/progress-status-divider", test_progress_status_divider);
  g_test_add_func ("/Element/json", test_json);
  g_test_add_func ("/Element/image", test_images);
  g_test_add_func ("/Element/callout", test_callouts);
  g_test_add_func ("/Element/chart-and-table", test_chart_and_table);
  g_test_add_func ("/Element/download", test_download);
  g_test_add_func ("/Layout/columns", test_columns);
  g_test_add_func ("/Layout/tabs-expander-container", test_tabs_expander_container);
  g_test_add_func ("/Layout/sidebar", test_sidebar);
  status = g_test_run ();

  test_host_free (host);
  g_unlink (image_path);
  g_free (image_path);
  return status;
}
