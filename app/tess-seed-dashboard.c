/* tess-seed-dashboard.c: the design proposal's example, made visible.
 *
 * Two inputs in the sidebar and three parallel sections that each take a 1 s
 * load and a 1 s transform, so the whole dashboard appears after about 2 s
 * instead of 6 s. Each section reads only the input it needs, so moving one
 * slider reruns only its dependants. The window's tests and the app.main_stall_ms
 * benchmark run it; `tessera` itself opens the default document.
 */
#include "tess-app-private.h"

#include <glib/gi18n.h>
#include <math.h>

typedef struct
{
  const char *key;
  const char *title;
  const char *input; /* the one input this section reads */
  double base;       /* value in month 1, per unit of the input */
  double growth;     /* monthly growth */
} Section;

static const Section sections[] = {
  { "user-growth", N_ ("User growth"), "months", 1000, 0.08 },
  { "revenue", N_ ("Revenue"), "price", 1000, 0.05 },
  { "expenses", N_ ("Expenses"), "price", 400, 0.02 },
};

/* Runs on a worker thread. */
static gboolean
section_run (TessRun *run, gpointer user_data, GError **error)
{
  const Section *section = user_data;
  TessInput *input = tess_input_lookup (run, section->input);
  double value = input != NULL ? tess_input_get_double (run, input) : 12;
  gboolean by_month = g_str_equal (section->input, "months");
  guint n = by_month ? (guint) value : 12;
  double scale = by_month ? 1 : value;
  TessColumnBuilder *month = tess_column_builder_new ("month", TESS_COLUMN_INT64, n);
  TessColumnBuilder *series = tess_column_builder_new (section->key, TESS_COLUMN_DOUBLE, n);
  TessColumn *columns[2];
  g_autoptr (TessFrame) frame = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *delta = NULL;
  GVariantDict spec;
  double last = 0, before = 0;

  tess_subheader (run, _ (section->title));
  tess_run_set_status (run, _ ("Loading…"));
  if (!tess_run_wait (run, 1.0))
    return TRUE;
  tess_run_set_status (run, _ ("Transforming…"));
  if (!tess_run_wait (run, 1.0))
    return TRUE;

  for (guint i = 0; i < n; i++)
    {
      before = last;
      last = round (section->base * scale * pow (1 + section->growth, i));
      tess_column_builder_append_int64 (month, i + 1);
      tess_column_builder_append_double (series, last);
    }
  columns[0] = tess_column_builder_finish (month);
  columns[1] = tess_column_builder_finish (series);
  frame = tess_frame_new (columns, 2, error);
  tess_column_unref (columns[0]);
  tess_column_unref (columns[1]);
  if (frame == NULL)
    return FALSE;

  shown = g_strdup_printf ("%.0f", last);
  delta = g_strdup_printf ("%+.1f%%", before > 0 ? 100 * (last - before) / before : 0.0);
  tess_metric (run, _ (section->title), shown, delta);
  g_variant_dict_init (&spec, NULL);
  g_variant_dict_insert (&spec, "kind", "s", "line");
  g_variant_dict_insert (&spec, "x", "s", "month");
  g_variant_dict_insert_value (&spec, "y", g_variant_new_strv (&section->key, 1));
  tess_chart (run, frame, g_variant_dict_end (&spec));
  return TRUE;
}

gboolean
tess_seed_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_title (run, _ ("Welcome to Tessera"));
  tess_caption (run, _ ("Three sections of two seconds each, running in parallel: the dashboard is "
                        "complete in about two seconds, not six. Move a slider and only the sections "
                        "that read it run again."));
  tess_sidebar_begin (run);
  tess_declare (run, &(TessInputSpec){ .kind = TESS_INPUT_SLIDER,
                                       .key = "months",
                                       .label = _ ("Months"),
                                       .min = 3,
                                       .max = 36,
                                       .step = 1,
                                       .value = 12 });
  tess_declare (run, &(TessInputSpec){ .kind = TESS_INPUT_SLIDER,
                                       .key = "price",
                                       .label = _ ("Price"),
                                       .min = 1,
                                       .max = 100,
                                       .step = 1,
                                       .value = 20 });
  tess_end (run);
  tess_columns_begin (run);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      tess_column_begin (run, 1);
      tess_fragment (run, sections[i].key, section_run, (gpointer) &sections[i], TESS_FRAGMENT_PARALLEL);
      tess_end (run);
    }
  tess_end (run);
  return TRUE;
}
