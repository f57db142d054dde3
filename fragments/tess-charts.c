/* tess-charts.c: typed chart and table element functions, and the download
 * button (see tess-charts.h). */
#include "tess-charts.h"

GVariant *
tess_chart_spec_new (const char *kind, const char *x, const char *const *y, const TessChartOptions *options)
{
  GVariantDict dict;

  g_return_val_if_fail (kind != NULL, NULL);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "kind", "s", kind);
  if (x != NULL)
    g_variant_dict_insert (&dict, "x", "s", x);
  if (y != NULL)
    g_variant_dict_insert_value (&dict, "y", g_variant_new_strv (y, -1));
  if (options != NULL)
    {
      if (options->title != NULL)
        g_variant_dict_insert (&dict, "title", "s", options->title);
      if (options->x_label != NULL)
        g_variant_dict_insert (&dict, "x_label", "s", options->x_label);
      if (options->y_label != NULL)
        g_variant_dict_insert (&dict, "y_label", "s", options->y_label);
      if (options->color != NULL)
        g_variant_dict_insert (&dict, "color", "s", options->color);
      if (options->size != NULL)
        g_variant_dict_insert (&dict, "size", "s", options->size);
      if (options->stack)
        g_variant_dict_insert (&dict, "stack", "b", TRUE);
      if (options->horizontal)
        g_variant_dict_insert (&dict, "horizontal", "b", TRUE);
      if (options->bins > 0)
        g_variant_dict_insert (&dict, "bins", "i", options->bins);
      if (options->height > 0)
        g_variant_dict_insert (&dict, "height", "i", options->height);
      if (options->legend != 0)
        g_variant_dict_insert (&dict, "legend", "b", options->legend > 0);
    }
  return g_variant_dict_end (&dict);
}

static void
chart (TessRun *run,
       TessFrame *frame,
       const char *kind,
       const char *x,
       const char *const *y,
       const TessChartOptions *options)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (frame != NULL);

  tess_chart (run, frame, tess_chart_spec_new (kind, x, y, options));
}

void
tess_line_chart (TessRun *run, TessFrame *frame, const char *x, const char *const *y, const TessChartOptions *options)
{
  chart (run, frame, "line", x, y, options);
}

void
tess_area_chart (TessRun *run, TessFrame *frame, const char *x, const char *const *y, const TessChartOptions *options)
{
  chart (run, frame, "area", x, y, options);
}

void
tess_bar_chart (TessRun *run, TessFrame *frame, const char *x, const char *const *y, const TessChartOptions *options)
{
  chart (run, frame, "bar", x, y, options);
}

void
tess_scatter_chart (TessRun *run, TessFrame *frame, const char *x, const char *y, const TessChartOptions *options)
{
  const char *ys[] = { y, NULL };

  g_return_if_fail (x != NULL && y != NULL);
  chart (run, frame, "scatter", x, ys, options);
}

void
tess_histogram (TessRun *run, TessFrame *frame, const char *column, const TessChartOptions *options)
{
  g_return_if_fail (column != NULL);
  chart (run, frame, "histogram", column, NULL, options);
}

void
tess_dataframe (TessRun *run, TessFrame *frame, const char *const *columns, const TessDataframeOptions *options)
{
  GVariantDict dict;

  g_return_if_fail (run != NULL);
  g_return_if_fail (frame != NULL);

  g_variant_dict_init (&dict, NULL);
  if (columns != NULL)
    g_variant_dict_insert_value (&dict, "columns", g_variant_new_strv (columns, -1));
  if (options != NULL && options->height > 0)
    g_variant_dict_insert (&dict, "height", "i", options->height);
  if (options != NULL && options->title != NULL)
    g_variant_dict_insert (&dict, "title", "s", options->title);
  tess_table (run, frame, g_variant_dict_end (&dict));
}

void
tess_download_button (TessRun *run, const char *label, GBytes *data, const char *filename, const char *mime)
{
  GVariantDict dict;
  g_autofree char *guessed = NULL;

  g_return_if_fail (run != NULL);
  g_return_if_fail (label != NULL);
  g_return_if_fail (data != NULL);
  g_return_if_fail (filename != NULL && *filename != '\0');

  if (mime == NULL)
    {
      g_autofree char *type = g_content_type_guess (filename, NULL, 0, NULL);
      guessed = g_content_type_get_mime_type (type);
      mime = guessed ? guessed : "application/octet-stream";
    }
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "label", "s", label);
  g_variant_dict_insert (&dict, "filename", "s", filename);
  g_variant_dict_insert (&dict, "mime", "s", mime);
  g_variant_dict_insert_value (&dict, "bytes", g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, data, TRUE));
  tess_element (run, TESS_ELEMENT_DOWNLOAD, NULL, g_variant_dict_end (&dict), NULL);
}
