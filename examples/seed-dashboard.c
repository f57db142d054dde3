/* seed-dashboard.c: the proposal's toy example, written against tessera.h.
 *
 * Two sliders at the top; three sections that each load (1 s) and transform
 * (1 s) before showing a chart and a metric. Run one after another they take
 * 6 s; as parallel fragments the dashboard is complete in about 2 s. Moving
 * "Months" reruns only user growth; moving "Price" reruns revenue and expenses,
 * together.
 *
 *   seed-dashboard --headless --timeline=t.json
 */
#include <tessera.h>

#include <math.h>

typedef struct
{
  TessInput *months;
  TessInput *price;
  TessFragmentFlags flags;
} Seed;

/* A pretend load followed by a pretend transform, as in the proposal. */
static gboolean
load_and_transform (TessRun *run)
{
  tess_run_set_status (run, "Loading…");
  if (!tess_run_wait (run, 1.0))
    return FALSE;
  tess_run_set_status (run, "Transforming…");
  return tess_run_wait (run, 1.0);
}

static TessFrame *
monthly_frame (const char *name, guint n_months, double start, double growth)
{
  g_autofree double *months = g_new (double, n_months);
  g_autofree double *values = g_new (double, n_months);
  TessColumn *columns[2];
  TessFrame *frame;

  for (guint i = 0; i < n_months; i++)
    {
      months[i] = i + 1;
      values[i] = round (start * pow (1 + growth, i));
    }
  columns[0] = tess_column_new_double ("month", months, n_months);
  columns[1] = tess_column_new_double (name, values, n_months);
  frame = tess_frame_new (columns, 2, NULL);
  tess_column_unref (columns[0]);
  tess_column_unref (columns[1]);
  return frame;
}

static void
show_series (TessRun *run, const char *name, TessFrame *frame, const char *label, const char *unit)
{
  TessColumn *values = tess_frame_get_column_by_name (frame, name);
  gsize n = tess_frame_get_n_rows (frame);
  double last = tess_column_get_double (values, n - 1);
  double before = n > 1 ? tess_column_get_double (values, n - 2) : last;
  g_autofree char *value = g_strdup_printf ("%.0f%s", last, unit);
  g_autofree char *delta = g_strdup_printf ("%+.1f%%", before != 0 ? 100 * (last - before) / before : 0);
  GVariantDict spec;

  g_variant_dict_init (&spec, NULL);
  g_variant_dict_insert (&spec, "kind", "s", "line");
  g_variant_dict_insert (&spec, "x", "s", "month");
  g_variant_dict_insert_value (&spec, "y", g_variant_new_strv (&name, 1));
  g_variant_dict_insert (&spec, "title", "s", label);
  tess_metric (run, label, value, delta);
  tess_chart (run, frame, g_variant_dict_end (&spec));
}

static gboolean
user_growth (TessRun *run, gpointer user_data, GError **error)
{
  Seed *seed = user_data;
  guint months = (guint) tess_input_get_double (run, seed->months);
  g_autoptr (TessFrame) frame = NULL;

  tess_subheader (run, "User growth");
  if (!load_and_transform (run))
    return TRUE;
  frame = monthly_frame ("users", months, 1000, 0.08);
  show_series (run, "users", frame, "Users", "");
  return TRUE;
}

static gboolean
revenue (TessRun *run, gpointer user_data, GError **error)
{
  Seed *seed = user_data;
  double price = tess_input_get_double (run, seed->price);
  g_autoptr (TessFrame) frame = NULL;

  tess_subheader (run, "Revenue");
  if (!load_and_transform (run))
    return TRUE;
  frame = monthly_frame ("revenue", 12, 1000 * price, 0.05);
  show_series (run, "revenue", frame, "Revenue", " €");
  return TRUE;
}

static gboolean
expenses (TessRun *run, gpointer user_data, GError **error)
{
  Seed *seed = user_data;
  double price = tess_input_get_double (run, seed->price);
  g_autoptr (TessFrame) frame = NULL;

  tess_subheader (run, "Expenses");
  if (!load_and_transform (run))
    return TRUE;
  frame = monthly_frame ("expenses", 12, 400 * price + 5000, 0.02);
  show_series (run, "expenses", frame, "Expenses", " €");
  return TRUE;
}

static gboolean
seed_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  Seed *seed = user_data;

  tess_title (run, "Seed dashboard");
  /* Declared here, read only by the fragments: moving one reruns only its readers. */
  seed->months = tess_declare (
      run,
      &(TessInputSpec){ .kind = TESS_INPUT_SLIDER, .label = "Months", .min = 3, .max = 36, .step = 1, .value = 12 });
  seed->price = tess_declare (
      run,
      &(TessInputSpec){ .kind = TESS_INPUT_SLIDER, .label = "Price", .min = 1, .max = 100, .step = 1, .value = 20 });
  tess_fragment (run, "user-growth", user_growth, seed, seed->flags);
  tess_fragment (run, "revenue", revenue, seed, seed->flags);
  tess_fragment (run, "expenses", expenses, seed, seed->flags);
  return TRUE;
}

int
main (int argc, char **argv)
{
  static Seed seed = { .flags = TESS_FRAGMENT_PARALLEL };

  /* SEED_SEQUENTIAL=1 runs the same sections one after another, for comparison. */
  if (g_strcmp0 (g_getenv ("SEED_SEQUENTIAL"), "1") == 0)
    seed.flags = TESS_FRAGMENT_SEQUENTIAL;
  return tess_app_run ("io.github.tessera.SeedDashboard", seed_dashboard, &seed, argc, argv);
}
