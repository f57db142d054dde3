/* tess-chart-render.c: layout, drawing and hit testing of a chart (see tess-chart-render.h). */
#include "tess-chart-render.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "tess-decimate.h"
#include "tess-format-private.h"
#include "tess-ticks.h"

#define PAD 10.0
#define TICK 4.0
#define HOVER_RADIUS 48.0

TessColor
tess_chart_palette (guint index, gboolean dark)
{
  /* Okabe & Ito, "Color Universal Design" (2008) */
  static const guint32 light[] = { 0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7, 0x56B4E9, 0xF0E442, 0x7F7F7F };
  static const guint32 darkp[] = { 0x56B4E9, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7, 0x3D9BDB, 0xF0E442, 0xA0A0A0 };
  guint32 c = (dark ? darkp : light)[index % G_N_ELEMENTS (light)];

  return (TessColor){ ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0, 1 };
}

TessColor
tess_chart_series_color (const TessChartTheme *theme, guint series)
{
  return tess_chart_palette (theme->colors ? theme->colors[series] : series, theme->dark);
}

static gboolean
series_hidden (const TessChartTheme *theme, guint series)
{
  return theme->hidden != NULL && theme->hidden[series];
}

int
tess_chart_legend_hit_test (const TessChartLayout *layout, double px, double py)
{
  g_return_val_if_fail (layout != NULL, -1);

  for (guint k = 0; k < layout->n_legend; k++)
    if (px >= layout->legend[k].x && px < layout->legend[k].x + layout->legend[k].width && py >= layout->legend[k].y &&
        py < layout->legend[k].y + layout->legend[k].height)
      return k;
  return -1;
}

/* Viridis (van der Walt and Smith), readable in grey and by the colour blind. */
static TessColor
ramp_color (double t)
{
  static const double stops[][3] = {
    { 0x44, 0x01, 0x54 }, { 0x3b, 0x52, 0x8b }, { 0x21, 0x91, 0x8c }, { 0x5e, 0xc9, 0x62 }, { 0xfd, 0xe7, 0x25 },
  };
  double f;
  int i;

  if (isnan (t))
    return (TessColor){ 0.6, 0.6, 0.6, 1 };
  t = CLAMP (t, 0, 1) * 4;
  i = MIN ((int) t, 3);
  f = t - i;
  return (TessColor){ (stops[i][0] + (stops[i + 1][0] - stops[i][0]) * f) / 255,
                      (stops[i][1] + (stops[i + 1][1] - stops[i][1]) * f) / 255,
                      (stops[i][2] + (stops[i + 1][2] - stops[i][2]) * f) / 255, 1 };
}

static void
set_color (cairo_t *cr, TessColor c, double alpha)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, c.a * alpha);
}

/* Decimation */

static void
free_indices (gpointer p)
{
  if (p != NULL)
    g_array_unref (p);
}

TessChartDecimation *
tess_chart_decimate (TessChartData *data, double x0, double x1, guint width, guint height, GCancellable *cancellable)
{
  TessChartDecimation *dec = g_new0 (TessChartDecimation, 1);
  double y_lo = INFINITY, y_hi = -INFINITY;

  g_atomic_ref_count_init (&dec->ref_count);
  dec->x0 = x0;
  dec->x1 = x1;
  dec->width = MAX (width, 1);
  dec->indices = g_ptr_array_new_with_free_func (free_indices);

  for (guint s = 0; s < data->series->len; s++)
    {
      TessChartSeries *series = g_ptr_array_index (data->series, s);
      GArray *kept = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (data->kind == TESS_CHART_LINE || data->kind == TESS_CHART_AREA)
        {
          kept = g_array_sized_new (FALSE, FALSE, sizeof (gsize), TESS_DECIMATE_M4_CAPACITY (dec->width));
          g_array_set_size (kept, TESS_DECIMATE_M4_CAPACITY (dec->width));
          g_array_set_size (
              kept, tess_decimate_m4 (series->x, series->y, series->n, x0, x1, dec->width, (gsize *) kept->data));
          for (guint k = 0; k < kept->len; k++)
            {
              gsize i = g_array_index (kept, gsize, k);
              double xv = series->x ? series->x[i] : (double) i;

              if (xv < x0 || xv > x1)
                continue;
              y_lo = MIN (y_lo, series->y[i]);
              y_hi = MAX (y_hi, series->y[i]);
              if (series->base != NULL)
                {
                  y_lo = MIN (y_lo, series->base[i]);
                  y_hi = MAX (y_hi, series->base[i]);
                }
            }
        }
      else if (data->kind == TESS_CHART_SCATTER)
        {
          gsize lo = tess_lower_bound (series->x, series->n, x0);
          gsize hi = tess_lower_bound (series->x, series->n, nextafter (x1, INFINITY));
          /* one point per cell of 2 x 2 pixels: markers are wider than that */
          guint grid_w = MAX (dec->width / 2, 1), grid_h = MAX (height / 2, 1);
          gsize cells = (gsize) grid_w * grid_h;

          kept = g_array_sized_new (FALSE, FALSE, sizeof (gsize), MAX (MIN (hi - lo, cells), 1));
          g_array_set_size (kept, MAX (MIN (hi - lo, cells), 1));
          g_array_set_size (kept,
                            tess_decimate_scatter (series->x ? series->x + lo : NULL, series->y + lo, hi - lo,
                                                   series->x ? x0 : x0 - lo, series->x ? x1 : x1 - lo, data->y_min,
                                                   data->y_max, grid_w, grid_h, (gsize *) kept->data));
          for (guint k = 0; k < kept->len; k++)
            g_array_index (kept, gsize, k) += lo;
        }
      if (kept != NULL)
        dec->n_kept += kept->len;
      g_ptr_array_add (dec->indices, kept);
    }

  if (data->kind == TESS_CHART_LINE || data->kind == TESS_CHART_AREA)
    {
      if (data->kind == TESS_CHART_AREA)
        {
          y_lo = MIN (y_lo, 0);
          y_hi = MAX (y_hi, 0);
        }
      dec->y_min = y_lo;
      dec->y_max = y_hi;
    }
  else
    {
      dec->y_min = data->y_min;
      dec->y_max = data->y_max;
    }
  return dec;
}

TessChartDecimation *
tess_chart_decimation_ref (TessChartDecimation *dec)
{
  g_atomic_ref_count_inc (&dec->ref_count);
  return dec;
}

void
tess_chart_decimation_unref (TessChartDecimation *dec)
{
  if (!g_atomic_ref_count_dec (&dec->ref_count))
    return;
  g_ptr_array_unref (dec->indices);
  g_free (dec);
}

/* Text */

typedef struct
{
  cairo_t *cr;
  PangoLayout *layout;
  const TessChartTheme *theme;
  double line_height;
} Text;

static void
text_init (Text *t, cairo_t *cr, const TessChartTheme *theme)
{
  g_autoptr (PangoFontDescription) fallback = pango_font_description_from_string ("Sans 9");
  int h;

  t->cr = cr;
  t->theme = theme;
  t->layout = pango_cairo_create_layout (cr);
  pango_layout_set_font_description (t->layout, theme->font ? theme->font : fallback);
  pango_layout_set_text (t->layout, "0", -1);
  pango_layout_get_pixel_size (t->layout, NULL, &h);
  t->line_height = h;
}

static void
text_measure (Text *t, const char *s, double *w, double *h)
{
  int pw, ph;

  pango_layout_set_text (t->layout, s, -1);
  pango_layout_get_pixel_size (t->layout, &pw, &ph);
  if (w)
    *w = pw;
  if (h)
    *h = ph;
}

/* Draws @s with its anchor (ax, ay in 0..1 of its box) at (x, y). */
static void
text_draw (Text *t, const char *s, double x, double y, double ax, double ay)
{
  double w, h;

  text_measure (t, s, &w, &h);
  cairo_move_to (t->cr, round (x - ax * w), round (y - ay * h));
  pango_cairo_show_layout (t->cr, t->layout);
}

static void
text_set_bold (Text *t, gboolean bold, double scale)
{
  g_autoptr (PangoFontDescription) font =
      pango_font_description_copy (t->theme->font ? t->theme->font : pango_layout_get_font_description (t->layout));

  if (font == NULL)
    font = pango_font_description_from_string ("Sans 9");
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  if (scale != 1)
    {
      int size = pango_font_description_get_size (font);

      if (size <= 0)
        size = 9 * PANGO_SCALE;
      if (pango_font_description_get_size_is_absolute (font))
        pango_font_description_set_absolute_size (font, size * scale);
      else
        pango_font_description_set_size (font, (int) (size * scale));
    }
  pango_layout_set_font_description (t->layout, font);
}

static char *
format_x (TessChartData *data, double x, double resolution)
{
  switch (data->x_axis)
    {
    case TESS_AXIS_TIME:
      return tess_format_time (x, resolution);
    case TESS_AXIS_CATEGORY:
      {
        gssize k = (gssize) llround (x);

        if (data->categories != NULL && k >= 0 && k < (gssize) g_strv_length (data->categories))
          return g_strdup (data->categories[k]);
        return tess_format_number (x, 1);
      }
    case TESS_AXIS_NUMBER:
    default:
      return tess_format_number (x, 0);
    }
}

/* Layout */

/* Widens [lo, hi] to multiples of the step its ticks will use; returns it. */
static double
nice_range (double *lo, double *hi, guint max_ticks)
{
  g_autoptr (GArray) ticks = NULL;
  double step;

  if (!(*hi > *lo))
    {
      double d = fabs (*lo) > 0 ? fabs (*lo) * 0.1 : 1;

      *lo -= d;
      *hi += d;
    }
  /* room for the tick each end may gain by widening */
  ticks = tess_ticks_numeric (*lo, *hi, MAX (max_ticks, 4) - 2);
  if (ticks->len >= 2)
    step = g_array_index (ticks, TessTick, 1).value - g_array_index (ticks, TessTick, 0).value;
  else
    step = tess_ticks_nice_step (*hi - *lo, max_ticks);
  *lo = floor (*lo / step + 1e-9) * step;
  *hi = ceil (*hi / step - 1e-9) * step;
  return step;
}

static GArray *
category_ticks (TessChartData *data, Text *t, double x0, double x1, double room, gboolean along_x)
{
  GArray *ticks = g_array_new (FALSE, TRUE, sizeof (TessTick));
  guint n = data->categories ? g_strv_length (data->categories) : 0;
  gssize first = MAX (0, (gssize) ceil (x0)), last = MIN ((gssize) n - 1, (gssize) floor (x1));
  double widest = t->line_height, per;
  gssize stride, k;

  g_array_set_clear_func (ticks, (GDestroyNotify) tess_ticks_clear_tick);
  if (last < first)
    return ticks;
  if (along_x)
    {
      /* measure a sample of labels; long category lists repeat their widths */
      for (k = first; k <= last && k < first + 200; k++)
        {
          double w;

          text_measure (t, data->categories[k], &w, NULL);
          widest = MAX (widest, w);
        }
      widest += 8;
    }
  per = room / (x1 - x0);
  stride = MAX (1, (gssize) ceil (widest / MAX (per, 1e-9)));
  for (k = first; k <= last; k += stride)
    {
      TessTick tick = { k, g_strdup (data->categories[k]) };

      g_array_append_val (ticks, tick);
    }
  return ticks;
}

typedef struct
{
  TessChartLayout l;
  GArray *x_ticks; /* along the horizontal axis */
  GArray *y_ticks; /* along the vertical axis */
  double title_y, legend_y, ramp_y;
  GArray *legend_rows; /* first series index of each row */
} FullLayout;

/* Ticks on every multiple of @step in [lo, hi]. */
static GArray *
value_ticks (double lo, double hi, double step)
{
  GArray *ticks = g_array_new (FALSE, TRUE, sizeof (TessTick));
  gint64 first = (gint64) ceil (lo / step - 1e-9), last = (gint64) floor (hi / step + 1e-9);

  g_array_set_clear_func (ticks, (GDestroyNotify) tess_ticks_clear_tick);
  for (gint64 k = first; k <= last && k - first < 1000; k++)
    {
      TessTick tick = { k * step, tess_format_number (k * step, step) };

      g_array_append_val (ticks, tick);
    }
  return ticks;
}

static void
compute_layout (TessChartData *data,
                TessChartDecimation *dec,
                double x0,
                double x1,
                Text *t,
                int width,
                int height,
                FullLayout *out)
{
  TessChartLayout *l = &out->l;
  double top = PAD, bottom = height - PAD, left = PAD, right = width - PAD - 12;
  double v_lo, v_hi, widest = 0;
  gboolean horizontal = data->kind == TESS_CHART_BAR && data->horizontal;
  guint max_v;
  double step;

  memset (out, 0, sizeof *out);
  l->horizontal = horizontal;
  out->legend_rows = g_array_new (FALSE, FALSE, sizeof (guint));

  if (data->title != NULL)
    {
      double h;

      text_set_bold (t, TRUE, 1.25);
      text_measure (t, data->title, NULL, &h);
      text_set_bold (t, FALSE, 1);
      out->title_y = top;
      top += h + 6;
    }
  if (data->ramp_label != NULL)
    {
      out->ramp_y = top;
      top += t->line_height + 8;
    }
  if (data->legend && data->series->len > 0)
    {
      double x = left;
      guint rows = 1;

      g_array_append_val (out->legend_rows, (guint){ 0 });
      for (guint s = 0; s < data->series->len; s++)
        {
          double w;

          text_measure (t, ((TessChartSeries *) g_ptr_array_index (data->series, s))->name, &w, NULL);
          w += 14 + 16;
          if (x + w > width - PAD && x > left)
            {
              rows++;
              g_array_append_val (out->legend_rows, s);
              x = left;
            }
          x += w;
        }
      out->legend_y = top;
      top += rows * (t->line_height + 4) + 4;
    }
  /* horizontal bars swap the axes' titles */
  if ((horizontal ? data->y_label : data->x_label) != NULL)
    bottom -= t->line_height + 4;
  if ((horizontal ? data->x_label : data->y_label) != NULL)
    left += t->line_height + 6;
  bottom -= t->line_height + TICK + 4;
  top += t->line_height / 2; /* room for the top tick label */
  l->top = top;
  l->height = MAX (bottom - top, 10);

  /* the value range: of the decimated points in view, when they match */
  if (dec != NULL && (data->kind == TESS_CHART_LINE || data->kind == TESS_CHART_AREA) && dec->x0 == x0 &&
      dec->x1 == x1 && isfinite (dec->y_min) && isfinite (dec->y_max))
    {
      v_lo = dec->y_min;
      v_hi = dec->y_max;
    }
  else
    {
      v_lo = data->y_min;
      v_hi = data->y_max;
    }
  if (data->kind == TESS_CHART_SCATTER || data->kind == TESS_CHART_LINE)
    {
      /* a little air around points and lines, not below a zero they stay above */
      double pad = (v_hi - v_lo) * 0.04;
      gboolean non_negative = v_lo >= 0;

      v_lo -= pad;
      v_hi += pad;
      if (non_negative)
        v_lo = MAX (v_lo, 0);
    }

  l->x0 = x0;
  l->x1 = x1;
  if (!horizontal)
    {
      max_v = MAX (2, (guint) (l->height / 36));
      if (data->kind == TESS_CHART_LINE || data->kind == TESS_CHART_SCATTER)
        {
          /* lines and points use the whole height: ticks inside the range */
          g_autoptr (GArray) inside = NULL;

          if (!(v_hi > v_lo))
            {
              double d = fabs (v_lo) > 0 ? fabs (v_lo) * 0.1 : 1;

              v_lo -= d;
              v_hi += d;
            }
          inside = tess_ticks_numeric (v_lo, v_hi, max_v);
          if (inside->len >= 2)
            step = g_array_index (inside, TessTick, 1).value - g_array_index (inside, TessTick, 0).value;
          else
            /* A short plot may have room for two ticks where only one nice
             * value falls inside the range, and a coarser step none at all:
             * then the range widens to the step's multiples, which labels
             * both its ends, as bars do. */
            step = nice_range (&v_lo, &v_hi, max_v);
        }
      else
        step = nice_range (&v_lo, &v_hi, max_v);
      if (data->kind == TESS_CHART_BAR || data->kind == TESS_CHART_AREA || data->kind == TESS_CHART_HISTOGRAM)
        {
          /* bars and areas grow from zero; the range keeps some height */
          if (data->y_min >= 0 && v_hi > 0)
            v_lo = MAX (v_lo, 0);
          if (data->y_max <= 0 && v_lo < 0)
            v_hi = MIN (v_hi, 0);
        }
      l->y0 = v_lo;
      l->y1 = v_hi;
      out->y_ticks = value_ticks (v_lo, v_hi, step);
      if (out->y_ticks->len > 1 && l->height < 2 * t->line_height)
        {
          /* no room for two labels apart: the one nearest the middle */
          guint keep = out->y_ticks->len / 2;

          g_array_remove_range (out->y_ticks, keep + 1, out->y_ticks->len - keep - 1);
          g_array_remove_range (out->y_ticks, 0, keep);
        }
      for (guint i = 0; i < out->y_ticks->len; i++)
        {
          double w;

          text_measure (t, g_array_index (out->y_ticks, TessTick, i).label, &w, NULL);
          widest = MAX (widest, w);
        }
      left += widest + TICK + 4;
      l->left = left;
      l->width = MAX (right - left, 10);
      switch (data->x_axis)
        {
        case TESS_AXIS_TIME:
          out->x_ticks = tess_ticks_time (x0, x1, MAX (2, (guint) (l->width / 65)));
          break;
        case TESS_AXIS_CATEGORY:
          out->x_ticks = category_ticks (data, t, x0, x1, l->width, TRUE);
          break;
        default:
          out->x_ticks = tess_ticks_numeric (x0, x1, MAX (2, (guint) (l->width / 80)));
          break;
        }
    }
  else
    {
      /* categories down the left side, values along the bottom */
      out->y_ticks = category_ticks (data, t, x0, x1, l->height, FALSE);
      for (guint i = 0; i < out->y_ticks->len; i++)
        {
          double w;

          text_measure (t, g_array_index (out->y_ticks, TessTick, i).label, &w, NULL);
          widest = MAX (widest, MIN (w, width / 3.0));
        }
      left += widest + TICK + 4;
      l->left = left;
      l->width = MAX (right - left, 10);
      max_v = MAX (2, (guint) (l->width / 80));
      step = nice_range (&v_lo, &v_hi, max_v);
      if (data->y_min >= 0 && v_hi > 0)
        v_lo = MAX (v_lo, 0);
      l->y0 = v_lo;
      l->y1 = v_hi;
      out->x_ticks = value_ticks (v_lo, v_hi, step);
    }
}

static void
full_layout_clear (FullLayout *f)
{
  g_clear_pointer (&f->x_ticks, g_array_unref);
  g_clear_pointer (&f->y_ticks, g_array_unref);
  g_clear_pointer (&f->legend_rows, g_array_unref);
}

/* Mapping */

static inline double
map_x (const TessChartLayout *l, double x)
{
  return l->left + (x - l->x0) / (l->x1 - l->x0) * l->width;
}

static inline double
map_y (const TessChartLayout *l, double y)
{
  return l->top + l->height - (y - l->y0) / (l->y1 - l->y0) * l->height;
}

static inline double
unmap_x (const TessChartLayout *l, double px)
{
  return l->x0 + (px - l->left) / l->width * (l->x1 - l->x0);
}

static inline double
unmap_y (const TessChartLayout *l, double py)
{
  return l->y0 + (l->top + l->height - py) / l->height * (l->y1 - l->y0);
}

static inline double
series_x (const TessChartSeries *s, gsize i)
{
  return s->x ? s->x[i] : (double) i;
}

/* Bars: the rectangle of bar (series s, category k), in pixels. */
static gboolean
bar_rect (
    TessChartData *data, const TessChartLayout *l, guint s, gsize k, double *rx, double *ry, double *rw, double *rh)
{
  TessChartSeries *series = g_ptr_array_index (data->series, s);
  guint n_series = data->series->len;
  double band, inner, offset, v0, v1, a, b, c0;

  if (k >= series->n || isnan (series->y[k]))
    return FALSE;
  v1 = series->y[k];
  v0 = series->base ? series->base[k] : 0;
  band = (l->horizontal ? l->height : l->width) / (l->x1 - l->x0);
  inner = band * 0.8;
  if (data->stacked)
    offset = -inner / 2;
  else
    {
      inner /= n_series;
      offset = -band * 0.4 + s * inner;
    }
  if (!l->horizontal)
    {
      c0 = map_x (l, k) + offset;
      a = map_y (l, v0);
      b = map_y (l, v1);
      *rx = c0;
      *rw = MAX (inner - (inner > 4 ? 1 : 0), 1);
      *ry = MIN (a, b);
      *rh = fabs (a - b);
    }
  else
    {
      c0 = l->top + (k - l->x0) / (l->x1 - l->x0) * l->height + offset;
      a = l->left + (v0 - l->y0) / (l->y1 - l->y0) * l->width;
      b = l->left + (v1 - l->y0) / (l->y1 - l->y0) * l->width;
      *ry = c0;
      *rh = MAX (inner - (inner > 4 ? 1 : 0), 1);
      *rx = MIN (a, b);
      *rw = fabs (a - b);
    }
  return TRUE;
}

void
tess_chart_point_position (
    TessChartData *data, const TessChartLayout *layout, guint series, gsize index, double *px, double *py)
{
  TessChartSeries *s;

  g_return_if_fail (series < data->series->len);
  s = g_ptr_array_index (data->series, series);
  g_return_if_fail (index < s->n);

  if (data->kind == TESS_CHART_BAR)
    {
      double rx, ry, rw, rh;

      if (!bar_rect (data, layout, series, index, &rx, &ry, &rw, &rh))
        rx = ry = rw = rh = 0;
      *px = layout->horizontal ? rx + rw : rx + rw / 2;
      *py = layout->horizontal ? ry + rh / 2 : ry;
      return;
    }
  if (data->kind == TESS_CHART_HISTOGRAM)
    {
      *px = map_x (layout, s->x[index] + data->bin_width / 2);
      *py = map_y (layout, s->y[index]);
      return;
    }
  *px = map_x (layout, series_x (s, index));
  *py = map_y (layout, s->y[index]);
}

gboolean
tess_chart_hit_test (
    TessChartData *data, const TessChartLayout *l, double px, double py, int *series_out, gsize *index_out)
{
  int best_series = -1;
  gsize best_index = 0;
  double best = INFINITY;

  g_return_val_if_fail (data != NULL && l != NULL, FALSE);

  if (px < l->left - 4 || px > l->left + l->width + 4 || py < l->top - 4 || py > l->top + l->height + 4)
    return FALSE;

  switch (data->kind)
    {
    case TESS_CHART_LINE:
    case TESS_CHART_AREA:
      {
        double x = unmap_x (l, px);

        for (guint s = 0; s < data->series->len; s++)
          {
            TessChartSeries *series = g_ptr_array_index (data->series, s);
            gsize i;
            double dx, dy, d;

            if (series->n == 0)
              continue;
            i = tess_nearest_index (series->x, series->n, x);
            if (isnan (series->y[i]))
              continue;
            dx = map_x (l, series_x (series, i)) - px;
            dy = map_y (l, series->y[i]) - py;
            if (fabs (dx) > HOVER_RADIUS)
              continue;
            /* the nearest x first; among series at that x, the nearest y */
            d = fabs (dx) * 1000 + fabs (dy);
            if (d < best)
              {
                best = d;
                best_series = s;
                best_index = i;
              }
          }
        break;
      }
    case TESS_CHART_SCATTER:
      {
        double r = 16;
        double xa = unmap_x (l, px - r), xb = unmap_x (l, px + r);

        for (guint s = 0; s < data->series->len; s++)
          {
            TessChartSeries *series = g_ptr_array_index (data->series, s);
            /* binary search to the pointer's x window, then the few points in it */
            gsize i = tess_lower_bound (series->x, series->n, xa), checked = 0;

            for (; i < series->n && series_x (series, i) <= xb && checked < 4096; i++, checked++)
              {
                double dx = map_x (l, series_x (series, i)) - px;
                double dy = map_y (l, series->y[i]) - py;
                double d = dx * dx + dy * dy;

                if (d < best && d <= r * r)
                  {
                    best = d;
                    best_series = s;
                    best_index = i;
                  }
              }
          }
        break;
      }
    case TESS_CHART_BAR:
      {
        double c = l->horizontal ? l->x0 + (py - l->top) / l->height * (l->x1 - l->x0) : unmap_x (l, px);
        gssize k = (gssize) llround (c);

        if (k < 0 || data->series->len == 0)
          break;
        for (guint s = 0; s < data->series->len; s++)
          {
            double rx, ry, rw, rh;

            if (!bar_rect (data, l, s, k, &rx, &ry, &rw, &rh))
              continue;
            /* inside the bar's band (its column, or its segment of the stack) */
            if (l->horizontal ? (py >= ry && py <= ry + rh && (!data->stacked || (px >= rx && px <= rx + rw)))
                              : (px >= rx && px <= rx + rw && (!data->stacked || (py >= ry && py <= ry + rh))))
              {
                best_series = s;
                best_index = k;
                break;
              }
          }
        break;
      }
    case TESS_CHART_HISTOGRAM:
      {
        double x = unmap_x (l, px), v = unmap_y (l, py), top = -INFINITY;

        for (guint s = 0; s < data->series->len; s++)
          {
            TessChartSeries *series = g_ptr_array_index (data->series, s);
            gssize b;

            if (series->n == 0)
              continue;
            b = (gssize) floor ((x - series->x[0]) / data->bin_width);
            if (b < 0 || b >= (gssize) series->n)
              continue;
            if (series->y[b] > top && v <= series->y[b] + (l->y1 - l->y0) * 0.05)
              {
                top = series->y[b];
                best_series = s;
                best_index = b;
              }
          }
        break;
      }
    }

  if (best_series < 0)
    return FALSE;
  if (series_out)
    *series_out = best_series;
  if (index_out)
    *index_out = best_index;
  return TRUE;
}

/* Drawing */

static void
draw_series (
    cairo_t *cr, TessChartData *data, TessChartDecimation *dec, const TessChartLayout *l, const TessChartTheme *theme)
{
  guint n_series = data->series->len;

  cairo_save (cr);
  cairo_rectangle (cr, l->left, l->top, l->width, l->height);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* stacked areas paint top-down so each lower layer covers the one above */
  for (guint o = 0; o < n_series; o++)
    {
      guint s = (data->kind == TESS_CHART_AREA && data->stacked) ? n_series - 1 - o : o;
      TessChartSeries *series = g_ptr_array_index (data->series, s);
      GArray *kept = dec && s < dec->indices->len ? g_ptr_array_index (dec->indices, s) : NULL;
      TessColor color = tess_chart_series_color (theme, s);

      if (series_hidden (theme, s))
        continue;
      switch (data->kind)
        {
        case TESS_CHART_LINE:
        case TESS_CHART_AREA:
          {
            const gsize *idx;
            guint n;

            if (kept == NULL || kept->len == 0)
              break;
            idx = (const gsize *) kept->data;
            n = kept->len;
            if (data->kind == TESS_CHART_AREA)
              {
                double zero = map_y (l, CLAMP (0, l->y0, l->y1));

                cairo_new_path (cr);
                for (guint k = 0; k < n; k++)
                  cairo_line_to (cr, map_x (l, series_x (series, idx[k])), map_y (l, series->y[idx[k]]));
                for (guint k = n; k > 0; k--)
                  {
                    gsize i = idx[k - 1];

                    cairo_line_to (cr, map_x (l, series_x (series, i)),
                                   series->base ? map_y (l, series->base[i]) : zero);
                  }
                cairo_close_path (cr);
                if (data->stacked)
                  {
                    /* opaque: a blend with the background, so layers do not mix */
                    cairo_set_source_rgb (cr, theme->bg.r + (color.r - theme->bg.r) * 0.55,
                                          theme->bg.g + (color.g - theme->bg.g) * 0.55,
                                          theme->bg.b + (color.b - theme->bg.b) * 0.55);
                  }
                else
                  set_color (cr, color, 0.25);
                cairo_fill (cr);
              }
            cairo_new_path (cr);
            cairo_move_to (cr, map_x (l, series_x (series, idx[0])), map_y (l, series->y[idx[0]]));
            for (guint k = 1; k < n; k++)
              {
                double px = map_x (l, series_x (series, idx[k])), py = map_y (l, series->y[idx[k]]);

                /* a missing value between two kept points breaks the line */
                if (series->gaps != NULL && series->gaps[idx[k]] != series->gaps[idx[k - 1] + 1])
                  cairo_move_to (cr, px, py);
                else
                  cairo_line_to (cr, px, py);
              }
            set_color (cr, color, 1);
            cairo_set_line_width (cr, 1.5);
            cairo_stroke (cr);
            break;
          }
        case TESS_CHART_SCATTER:
          {
            if (kept == NULL)
              break;
            if (series->ramp != NULL)
              {
                /* one fill per point: each has its own colour */
                for (guint k = 0; k < kept->len; k++)
                  {
                    gsize i = g_array_index (kept, gsize, k);
                    double r = series->size ? series->size[i] : 3;

                    cairo_arc (cr, map_x (l, series_x (series, i)), map_y (l, series->y[i]), r, 0, 2 * G_PI);
                    set_color (cr, ramp_color (series->ramp[i]), 0.75);
                    cairo_fill (cr);
                  }
                break;
              }
            cairo_new_path (cr);
            for (guint k = 0; k < kept->len; k++)
              {
                gsize i = g_array_index (kept, gsize, k);
                double r = series->size ? series->size[i] : 3;

                cairo_new_sub_path (cr);
                cairo_arc (cr, map_x (l, series_x (series, i)), map_y (l, series->y[i]), r, 0, 2 * G_PI);
              }
            set_color (cr, color, series->size ? 0.45 : 0.75);
            cairo_fill (cr);
            break;
          }
        case TESS_CHART_BAR:
          {
            gssize first = MAX (0, (gssize) floor (l->x0)), last = MIN ((gssize) series->n - 1, (gssize) ceil (l->x1));

            cairo_new_path (cr);
            for (gssize k = first; k <= last; k++)
              {
                double rx, ry, rw, rh;

                if (bar_rect (data, l, s, k, &rx, &ry, &rw, &rh))
                  cairo_rectangle (cr, rx, ry, rw, rh);
              }
            set_color (cr, color, 0.9);
            cairo_fill (cr);
            break;
          }
        case TESS_CHART_HISTOGRAM:
          {
            double zero = map_y (l, 0);

            cairo_new_path (cr);
            for (gsize b = 0; b < series->n; b++)
              {
                double a = map_x (l, series->x[b]), e = map_x (l, series->x[b] + data->bin_width);

                if (e < l->left || a > l->left + l->width || series->y[b] <= 0)
                  continue;
                cairo_rectangle (cr, a, map_y (l, series->y[b]), MAX (e - a - (e - a > 3 ? 1 : 0), 1),
                                 zero - map_y (l, series->y[b]));
              }
            set_color (cr, color, n_series > 1 ? 0.55 : 0.85);
            cairo_fill (cr);
            break;
          }
        }
    }
  cairo_restore (cr);
}

char *
tess_chart_render_tooltip_text (TessChartData *data, const TessChartLayout *l, const TessChartHover *hover)
{
  TessChartSeries *series;
  g_autoptr (GString) tip = g_string_new (NULL);
  g_autofree char *x_text = NULL, *y_text = NULL;
  double value;

  g_return_val_if_fail (data != NULL && l != NULL, NULL);

  if (hover == NULL || !hover->active || hover->series < 0 || (guint) hover->series >= data->series->len)
    return NULL;
  series = g_ptr_array_index (data->series, hover->series);
  if (hover->index >= series->n)
    return NULL;
  value = series->y[hover->index] - (series->base ? series->base[hover->index] : 0);
  if (data->kind == TESS_CHART_HISTOGRAM)
    {
      g_autofree char *a = format_x (data, series->x[hover->index], data->bin_width);
      g_autofree char *b = format_x (data, series->x[hover->index] + data->bin_width, data->bin_width);

      x_text = g_strdup_printf ("%s – %s", a, b);
    }
  else if (data->kind == TESS_CHART_BAR)
    x_text = g_strdup (data->categories[hover->index]);
  else if (data->x_axis == TESS_AXIS_TIME && series->x != NULL)
    /* at the data's grain: a monthly point is "Jul 2013", however zoomed */
    x_text = tess_format_time_at_grain (series->x[hover->index], tess_format_time_grain (series->x, series->n));
  else
    x_text = format_x (data, series_x (series, hover->index), (l->x1 - l->x0) / MAX (l->width, 1));
  /* the whole value, grouped, as the table shows it */
  y_text = tess_format_readable (value, NULL);
  g_string_append_printf (tip, "%s\n%s: %s", x_text, series->name, y_text);
  if ((data->kind == TESS_CHART_LINE || data->kind == TESS_CHART_AREA) && data->series->len > 1)
    {
      /* the other series at the same x, each found by binary search */
      double x = series_x (series, hover->index);

      for (guint s = 0; s < data->series->len && s < 12; s++)
        {
          TessChartSeries *other = g_ptr_array_index (data->series, s);
          g_autofree char *v = NULL;
          gsize i;

          if ((int) s == hover->series || other->n == 0)
            continue;
          i = tess_nearest_index (other->x, other->n, x);
          if (series_x (other, i) != x || isnan (other->y[i]))
            continue;
          v = tess_format_readable (other->y[i] - (other->base ? other->base[i] : 0), NULL);
          g_string_append_printf (tip, "\n%s: %s", other->name, v);
        }
    }
  return g_string_free (g_steal_pointer (&tip), FALSE);
}

static void
draw_hover (cairo_t *cr,
            Text *t,
            TessChartData *data,
            const TessChartLayout *l,
            const TessChartTheme *theme,
            const TessChartHover *hover,
            int width,
            int height)
{
  TessChartSeries *series;
  g_autofree char *tip = NULL;
  double px, py, w, h, bx, by;

  if (hover == NULL || !hover->active || hover->series < 0 || (guint) hover->series >= data->series->len)
    return;
  series = g_ptr_array_index (data->series, hover->series);
  if (hover->index >= series->n)
    return;
  tess_chart_point_position (data, l, hover->series, hover->index, &px, &py);

  /* crosshair */
  cairo_save (cr);
  set_color (cr, theme->fg, 0.35);
  cairo_set_line_width (cr, 1);
  if (data->kind != TESS_CHART_BAR || !l->horizontal)
    {
      cairo_move_to (cr, round (px) + 0.5, l->top);
      cairo_line_to (cr, round (px) + 0.5, l->top + l->height);
    }
  if (data->kind != TESS_CHART_BAR || l->horizontal)
    {
      cairo_move_to (cr, l->left, round (py) + 0.5);
      cairo_line_to (cr, l->left + l->width, round (py) + 0.5);
    }
  cairo_stroke (cr);
  cairo_arc (cr, px, py, 4.5, 0, 2 * G_PI);
  set_color (cr, tess_chart_series_color (theme, hover->series), 1);
  cairo_fill_preserve (cr);
  set_color (cr, theme->bg, 1);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);

  /* tooltip */
  tip = tess_chart_render_tooltip_text (data, l, hover);
  text_measure (t, tip, &w, &h);
  bx = px + 12;
  by = py - h - 12;
  if (bx + w + 12 > width)
    bx = px - w - 20;
  if (by < 2)
    by = py + 12;
  bx = MAX (bx, 2);
  by = MIN (by, height - h - 10);
  cairo_rectangle (cr, bx, by, w + 12, h + 8);
  set_color (cr, theme->bg, 0.95);
  cairo_fill_preserve (cr);
  set_color (cr, theme->fg, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  set_color (cr, theme->fg, 1);
  text_draw (t, tip, bx + 6, by + 4, 0, 0);
  cairo_restore (cr);
}

void
tess_chart_render (cairo_t *cr,
                   TessChartData *data,
                   TessChartDecimation *dec,
                   double x0,
                   double x1,
                   const TessChartTheme *theme,
                   const TessChartHover *hover,
                   int width,
                   int height,
                   TessChartLayout *layout_out)
{
  FullLayout f;
  TessChartLayout *l = &f.l;
  Text t;

  g_return_if_fail (cr != NULL && data != NULL && theme != NULL);

  if (!(x1 > x0))
    {
      x0 = data->x_min;
      x1 = data->x_max > data->x_min ? data->x_max : data->x_min + 1;
    }
  if (theme->fill_background)
    {
      set_color (cr, theme->bg, 1);
      cairo_paint (cr);
    }
  text_init (&t, cr, theme);
  compute_layout (data, dec, x0, x1, &t, width, height, &f);

  /* title and legend */
  if (data->title != NULL)
    {
      text_set_bold (&t, TRUE, 1.25);
      set_color (cr, theme->fg, 1);
      text_draw (&t, data->title, width / 2.0, f.title_y, 0.5, 0);
      text_set_bold (&t, FALSE, 1);
    }
  if (data->legend)
    {
      double x = PAD, y = f.legend_y;
      guint row = 0;

      for (guint s = 0; s < data->series->len; s++)
        {
          const char *name = ((TessChartSeries *) g_ptr_array_index (data->series, s))->name;
          double w;

          if (row + 1 < f.legend_rows->len && g_array_index (f.legend_rows, guint, row + 1) == s)
            {
              row++;
              x = PAD;
              y += t.line_height + 4;
            }
          text_measure (&t, name, &w, NULL);
          if (s < TESS_CHART_LEGEND_MAX)
            {
              l->legend[s].x = x - 2;
              l->legend[s].y = y - 2;
              l->legend[s].width = w + 14 + 4;
              l->legend[s].height = t.line_height + 4;
              l->n_legend = s + 1;
            }
          /* a hidden series: an empty box and dimmed name, to click again */
          if (series_hidden (theme, s))
            {
              cairo_rectangle (cr, x + 0.5, y + t.line_height / 2 - 4.5, 9, 9);
              set_color (cr, tess_chart_series_color (theme, s), 1);
              cairo_set_line_width (cr, 1);
              cairo_stroke (cr);
              set_color (cr, theme->fg, 0.4);
            }
          else
            {
              cairo_rectangle (cr, x, y + t.line_height / 2 - 5, 10, 10);
              set_color (cr, tess_chart_series_color (theme, s), 1);
              cairo_fill (cr);
              set_color (cr, theme->fg, 0.85);
            }
          text_draw (&t, name, x + 14, y, 0, 0);
          x += w + 14 + 16;
        }
    }

  if (data->ramp_label != NULL)
    {
      g_autofree char *lo = tess_format_number (data->ramp_min, 0);
      g_autofree char *hi = tess_format_number (data->ramp_max, 0);
      cairo_pattern_t *gradient;
      double x = PAD, w;

      set_color (cr, theme->fg, 0.85);
      text_measure (&t, data->ramp_label, &w, NULL);
      text_draw (&t, data->ramp_label, x, f.ramp_y, 0, 0);
      x += w + 8;
      text_measure (&t, lo, &w, NULL);
      text_draw (&t, lo, x, f.ramp_y, 0, 0);
      x += w + 4;
      gradient = cairo_pattern_create_linear (x, 0, x + 100, 0);
      for (int k = 0; k <= 8; k++)
        {
          TessColor c = ramp_color (k / 8.0);

          cairo_pattern_add_color_stop_rgb (gradient, k / 8.0, c.r, c.g, c.b);
        }
      cairo_rectangle (cr, x, f.ramp_y + t.line_height / 2 - 5, 100, 10);
      cairo_set_source (cr, gradient);
      cairo_fill (cr);
      cairo_pattern_destroy (gradient);
      set_color (cr, theme->fg, 0.85);
      text_draw (&t, hi, x + 104, f.ramp_y, 0, 0);
    }

  /* grid and axes */
  cairo_set_line_width (cr, 1);
  set_color (cr, theme->fg, 0.1);
  if (!l->horizontal)
    for (guint i = 0; i < f.y_ticks->len; i++)
      {
        double y = round (map_y (l, g_array_index (f.y_ticks, TessTick, i).value)) + 0.5;

        cairo_move_to (cr, l->left, y);
        cairo_line_to (cr, l->left + l->width, y);
      }
  else
    for (guint i = 0; i < f.x_ticks->len; i++)
      {
        double v = g_array_index (f.x_ticks, TessTick, i).value;
        double x = round (l->left + (v - l->y0) / (l->y1 - l->y0) * l->width) + 0.5;

        cairo_move_to (cr, x, l->top);
        cairo_line_to (cr, x, l->top + l->height);
      }
  cairo_stroke (cr);

  draw_series (cr, data, dec, l, theme);

  set_color (cr, theme->fg, 0.45);
  cairo_move_to (cr, l->left + 0.5, l->top);
  cairo_line_to (cr, l->left + 0.5, l->top + l->height + 0.5);
  cairo_line_to (cr, l->left + l->width, l->top + l->height + 0.5);
  cairo_stroke (cr);

  /* tick marks and labels */
  for (guint i = 0; i < f.x_ticks->len; i++)
    {
      TessTick *tick = &g_array_index (f.x_ticks, TessTick, i);
      double x = l->horizontal ? l->left + (tick->value - l->y0) / (l->y1 - l->y0) * l->width : map_x (l, tick->value);

      x = round (x) + 0.5;
      set_color (cr, theme->fg, 0.45);
      cairo_move_to (cr, x, l->top + l->height);
      cairo_line_to (cr, x, l->top + l->height + TICK);
      cairo_stroke (cr);
      set_color (cr, theme->fg, 0.75);
      text_draw (&t, tick->label, x, l->top + l->height + TICK + 2, 0.5, 0);
      if (tick->label != NULL && tick->label[0] != '\0')
        l->n_x_labels++;
    }
  for (guint i = 0; i < f.y_ticks->len; i++)
    {
      TessTick *tick = &g_array_index (f.y_ticks, TessTick, i);
      double y = l->horizontal ? l->top + (tick->value - l->x0) / (l->x1 - l->x0) * l->height : map_y (l, tick->value);

      y = round (y) + 0.5;
      set_color (cr, theme->fg, 0.45);
      cairo_move_to (cr, l->left - TICK, y);
      cairo_line_to (cr, l->left, y);
      cairo_stroke (cr);
      set_color (cr, theme->fg, 0.75);
      text_draw (&t, tick->label, l->left - TICK - 3, y, 1, 0.5);
      if (tick->label != NULL && tick->label[0] != '\0')
        l->n_y_labels++;
    }

  /* axis titles */
  set_color (cr, theme->fg, 0.85);
  {
    const char *along_x = l->horizontal ? data->y_label : data->x_label;
    const char *along_y = l->horizontal ? data->x_label : data->y_label;

    if (along_x != NULL)
      text_draw (&t, along_x, l->left + l->width / 2, height - PAD, 0.5, 1);
    if (along_y != NULL)
      {
        cairo_save (cr);
        cairo_translate (cr, PAD, l->top + l->height / 2);
        cairo_rotate (cr, -G_PI / 2);
        text_draw (&t, along_y, 0, 0, 0.5, 0);
        cairo_restore (cr);
      }
  }

  draw_hover (cr, &t, data, l, theme, hover, width, height);

  if (layout_out != NULL)
    *layout_out = *l;
  full_layout_clear (&f);
  g_object_unref (t.layout);
}

double
tess_chart_render_title (cairo_t *cr, const char *title, const TessChartTheme *theme, int width)
{
  Text t;
  double h;

  g_return_val_if_fail (cr != NULL && title != NULL && theme != NULL, 0);

  text_init (&t, cr, theme);
  text_set_bold (&t, TRUE, 1.25);
  text_measure (&t, title, NULL, &h);
  set_color (cr, theme->fg, 1);
  text_draw (&t, title, width / 2.0, PAD, 0.5, 0);
  g_object_unref (t.layout);
  return PAD + h;
}

void
tess_chart_render_hover (cairo_t *cr,
                         TessChartData *data,
                         const TessChartLayout *layout,
                         const TessChartTheme *theme,
                         const TessChartHover *hover,
                         int width,
                         int height)
{
  Text t;

  g_return_if_fail (cr != NULL && data != NULL && layout != NULL && theme != NULL);

  if (hover == NULL || !hover->active || hover->series < 0)
    return;
  text_init (&t, cr, theme);
  draw_hover (cr, &t, data, layout, theme, hover, width, height);
  g_object_unref (t.layout);
}

void
tess_chart_render_message (cairo_t *cr, const char *message, const TessChartTheme *theme, int width, int height)
{
  Text t;

  if (theme->fill_background)
    {
      set_color (cr, theme->bg, 1);
      cairo_paint (cr);
    }
  text_init (&t, cr, theme);
  pango_layout_set_width (t.layout, MAX (width - 2 * PAD, 10) * PANGO_SCALE);
  pango_layout_set_alignment (t.layout, PANGO_ALIGN_CENTER);
  set_color (cr, theme->fg, 0.6);
  text_draw (&t, message, width / 2.0, height / 2.0, 0.5, 0.5);
  g_object_unref (t.layout);
}
