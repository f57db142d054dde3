/* tess-auto-dashboard.c: the exploratory dashboard for data files.
 *
 * The top level loads the file once (through the shared cache) to learn its
 * columns, then declares one parallel fragment per column; each fragment gets
 * the same frame from the cache and summarises its column with one pass over
 * the raw storage, so the dashboard's cost is the load plus one pass per
 * column, spread over the workers.
 *
 * Each summary is made to be read: a few distinct values get a bar apiece
 * tall enough for its label, and a numeric column whose few extreme values
 * would squeeze the rest into one bin gets a histogram of the values between
 * its 1st and 99th percentiles, with a note saying what it leaves out. The
 * fragments are named after their columns, as the timeline shows them.
 *
 * A wide file stays as cheap: only the first MAX_SUMMARISED columns get a
 * fragment and appear in the data table; the overview lists every column and
 * says how many are not summarised. Whatever the file's shape, the dashboard
 * costs a few times its frame.
 */
#include "tess-auto-dashboard.h"
#include "tess-format-private.h"

#include "tess-charts.h"
#include "tess-load.h"
#include "tess-transform.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

struct _TessAutoDashboard
{
  GObject parent_instance;
  char *uri;
};

G_DEFINE_FINAL_TYPE (TessAutoDashboard, tess_auto_dashboard, G_TYPE_OBJECT)

typedef struct
{
  TessAutoDashboard *dashboard;
  guint index;
} ColumnRef;

#define TOP_VALUES 12
/* A horizontal bar chart: what its title and value axis take, and the height
 * of one bar and its gap, so that each value's label has its own line. */
#define BAR_CHART_FRAME 110
#define BAR_HEIGHT 30
/* Values sampled, evenly through a column, to find its percentiles. */
#define QUANTILE_SAMPLE 20000
/* Columns summarised by a fragment each, and shown in the data table. */
#define MAX_SUMMARISED 200

static void
tess_auto_dashboard_finalize (GObject *object)
{
  TessAutoDashboard *self = (TessAutoDashboard *) object;

  g_free (self->uri);
  G_OBJECT_CLASS (tess_auto_dashboard_parent_class)->finalize (object);
}

static void
tess_auto_dashboard_class_init (TessAutoDashboardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tess_auto_dashboard_finalize;
}

static void
tess_auto_dashboard_init (TessAutoDashboard *self)
{
}

TessAutoDashboard *
tess_auto_dashboard_new (const char *uri)
{
  TessAutoDashboard *self;

  g_return_val_if_fail (uri != NULL, NULL);
  self = g_object_new (TESS_TYPE_AUTO_DASHBOARD, NULL);
  self->uri = g_strdup (uri);
  return self;
}

const char *
tess_auto_dashboard_get_uri (TessAutoDashboard *self)
{
  g_return_val_if_fail (TESS_IS_AUTO_DASHBOARD (self), NULL);
  return self->uri;
}

char *
tess_auto_dashboard_column_key (const char *column_name, guint index)
{
  GString *key;

  g_return_val_if_fail (column_name != NULL, NULL);

  /* "/" separates fragments in a path: a look-alike stands in for it */
  key = g_string_new (NULL);
  for (const char *p = column_name; *p; p++)
    if (*p == '/')
      g_string_append (key, "\u2215");
    else
      g_string_append_c (key, *p);
  /* the dashboard's own fragments, and a column without a name */
  if (key->len == 0 || g_str_equal (key->str, "overview") || g_str_equal (key->str, "data"))
    g_string_append_printf (key, "%scolumn %u", key->len ? " " : "", index + 1);
  return g_string_free (key, FALSE);
}

/* Every scope asks the cache; concurrent requests make one load. Runs on a worker thread. */
static TessFrame *
load_frame (TessRun *run, TessAutoDashboard *self, GError **error)
{
  TessFrame *frame;

  tess_run_set_status (run, _ ("Loading…"));
  frame = tess_load (run, self->uri, NULL, error);
  return frame;
}

static void
metric_number (TessRun *run, const char *label, double v)
{
  g_autofree char *text = tess_format_double (v, -1);
  tess_metric (run, label, text, NULL);
}

static TessFrame *
two_columns (TessColumn *a, TessColumn *b)
{
  TessColumn *columns[2] = { a, b };
  TessFrame *frame = tess_frame_new (columns, 2, NULL);

  tess_column_unref (a);
  tess_column_unref (b);
  return frame;
}

typedef struct
{
  const char *value;
  gint64 count;
} ValueCount;

/* Before: more frequent, then by value. */
static gboolean
ranks_before (const ValueCount *x, const ValueCount *y)
{
  if (x->count != y->count)
    return x->count > y->count;
  return strcmp (x->value, y->value) < 0;
}

/* Adds @vc to @top, the @n_top most frequent so far in order, keeping at
 * most TOP_VALUES: the summary never sorts every distinct value. */
static void
top_values_add (ValueCount *top, guint *n_top, ValueCount vc)
{
  guint at = *n_top;

  if (at == TOP_VALUES && !ranks_before (&vc, &top[TOP_VALUES - 1]))
    return;
  if (at == TOP_VALUES)
    at--;
  else
    (*n_top)++;
  while (at > 0 && ranks_before (&vc, &top[at - 1]))
    {
      top[at] = top[at - 1];
      at--;
    }
  top[at] = vc;
}

/* A small open-addressing table of string counts: the values are owned by the
 * column, so nothing is copied, and one probe usually finds a value's slot.
 * 16 bytes a slot, at most 4/3 slots a value once grown: for a column of
 * distinct values, about its own size. */
typedef struct
{
  const char *value;
  guint32 hash;
  guint32 count; /* saturates; no frame has 2^32 rows */
} CountSlot;

typedef struct
{
  CountSlot *slots;
  gsize mask;
  gsize used;
} CountTable;

static guint32
hash_string (const char *s)
{
  guint32 h = 2166136261u;

  for (; *s; s++)
    h = (h ^ (guchar) *s) * 16777619u;
  return h;
}

static void
count_table_grow (CountTable *table)
{
  gsize size = (table->mask + 1) * 2;
  CountSlot *slots = g_new0 (CountSlot, size);

  for (gsize i = 0; i <= table->mask; i++)
    if (table->slots[i].value)
      {
        gsize j = table->slots[i].hash & (size - 1);
        while (slots[j].value)
          j = (j + 1) & (size - 1);
        slots[j] = table->slots[i];
      }
  g_free (table->slots);
  table->slots = slots;
  table->mask = size - 1;
}

static void
count_table_add (CountTable *table, const char *value)
{
  guint32 hash = hash_string (value);
  gsize j = hash & table->mask;

  while (table->slots[j].value)
    {
      if (table->slots[j].hash == hash && strcmp (table->slots[j].value, value) == 0)
        {
          if (table->slots[j].count < G_MAXUINT32)
            table->slots[j].count++;
          return;
        }
      j = (j + 1) & table->mask;
    }
  table->slots[j].value = value;
  table->slots[j].hash = hash;
  table->slots[j].count = 1;
  /* grow past three quarters full */
  if (++table->used * 4 > table->mask * 3)
    count_table_grow (table);
}

/* Text and booleans: how many distinct values, and the most frequent ones. */
static void
summarise_values (TessRun *run, TessColumn *column)
{
  gsize n = tess_column_get_length (column);
  CountTable counts = { g_new0 (CountSlot, 1024), 1023, 0 };
  ValueCount top[TOP_VALUES];
  guint shown = 0;
  gboolean is_bool = tess_column_get_column_type (column) == TESS_COLUMN_BOOL;
  gsize n_distinct;
  TessColumnBuilder *values, *freq;

  for (gsize i = 0; i < n; i++)
    {
      if (tess_column_is_null (column, i))
        continue;
      count_table_add (&counts, is_bool ? (tess_column_get_bool (column, i) ? "true" : "false")
                                        : tess_column_get_string (column, i));
      if ((i & 0xffff) == 0 && tess_run_is_cancelled (run))
        break;
    }
  for (gsize i = 0; i <= counts.mask; i++)
    if (counts.slots[i].value)
      top_values_add (top, &shown, (ValueCount){ counts.slots[i].value, counts.slots[i].count });
  n_distinct = counts.used;
  g_free (counts.slots);

  tess_columns_begin (run);
  tess_column_begin (run, 1);
  metric_number (run, _ ("Distinct"), n_distinct);
  tess_end (run);
  tess_column_begin (run, 1);
  metric_number (run, _ ("Nulls"), tess_column_get_null_count (column));
  tess_end (run);
  tess_end (run);

  if (shown == 0)
    {
      tess_caption (run, _ ("No values."));
      return;
    }
  values = tess_column_builder_new ("value", TESS_COLUMN_STRING, shown);
  freq = tess_column_builder_new ("count", TESS_COLUMN_INT64, shown);
  for (guint i = 0; i < shown; i++)
    {
      tess_column_builder_append_string (values, top[i].value);
      tess_column_builder_append_int64 (freq, top[i].count);
    }
  g_autoptr (TessFrame) frame = two_columns (tess_column_builder_finish (values), tess_column_builder_finish (freq));
  const char *y[] = { "count", NULL };
  TessChartOptions options = {
    .title = n_distinct > shown ? _ ("Most frequent values") : _ ("Values"),
    .horizontal = TRUE,
    .height = tess_auto_dashboard_bar_chart_height (shown),
  };
  tess_bar_chart (run, frame, "value", y, &options);
}

int
tess_auto_dashboard_bar_chart_height (guint n_values)
{
  return BAR_CHART_FRAME + BAR_HEIGHT * MAX (n_values, 1);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/* The 1st and 99th percentiles of @column's values, from a sample of at
 * most QUANTILE_SAMPLE of them spread evenly through it: a sort of a few
 * thousand values, whatever the column's length. */
static void
percentiles (TessColumn *column, gsize count, double *p01, double *p99)
{
  gsize n = tess_column_get_length (column);
  gsize step = MAX (count / QUANTILE_SAMPLE, 1);
  g_autoptr (GArray) sample = g_array_sized_new (FALSE, FALSE, sizeof (double), MIN (count, QUANTILE_SAMPLE) + 1);

  for (gsize i = 0; i < n; i += step)
    {
      double v;
      if (tess_column_is_null (column, i))
        continue;
      v = tess_column_get_double (column, i);
      if (!isnan (v))
        g_array_append_val (sample, v);
    }
  g_array_sort (sample, compare_doubles);
  *p01 = g_array_index (sample, double, (gsize) floor (0.01 * (sample->len - 1)));
  *p99 = g_array_index (sample, double, (gsize) ceil (0.99 * (sample->len - 1)));
}

/* A histogram of the values of @column between @lo and @hi, for a skewed
 * column, and a note saying how many it leaves out on each side. */
static void
clipped_histogram (TessRun *run, TessColumn *column, double lo, double hi, double min, double max)
{
  gsize n = tess_column_get_length (column), below = 0, above = 0;
  TessColumnBuilder *kept = tess_column_builder_new (tess_column_get_name (column), TESS_COLUMN_DOUBLE, n);
  g_autoptr (GString) note = g_string_new (NULL);
  g_autofree char *lo_text = tess_format_double (lo, -1), *hi_text = tess_format_double (hi, -1);
  g_autofree char *min_text = tess_format_double (min, -1), *max_text = tess_format_double (max, -1);

  for (gsize i = 0; i < n; i++)
    {
      double v = tess_column_is_null (column, i) ? NAN : tess_column_get_double (column, i);
      if (isnan (v))
        continue;
      if (v < lo)
        below++;
      else if (v > hi)
        above++;
      else
        tess_column_builder_append_double (kept, v);
    }
  /* Whole sentences, so that each can be translated in its own words. */
  g_string_printf (note, _ ("Skewed: the histogram shows the values from %s to %s."), lo_text, hi_text);
  if (above > 0)
    {
      g_string_append_c (note, ' ');
      g_string_append_printf (note,
                              g_dngettext (GETTEXT_PACKAGE, "%" G_GSIZE_FORMAT " larger value, up to %s, is left out.",
                                           "%" G_GSIZE_FORMAT " larger values, up to %s, are left out.", above),
                              above, max_text);
    }
  if (below > 0)
    {
      g_string_append_c (note, ' ');
      g_string_append_printf (note,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%" G_GSIZE_FORMAT " smaller value, down to %s, is left out.",
                                           "%" G_GSIZE_FORMAT " smaller values, down to %s, are left out.", below),
                              below, min_text);
    }
  tess_caption (run, note->str);
  {
    g_autoptr (TessColumn) only = tess_column_builder_finish (kept);
    g_autoptr (TessFrame) single = tess_frame_new (&only, 1, NULL);
    tess_histogram (run, single, tess_column_get_name (column), NULL);
  }
}

/* Numbers: range, mean and a histogram (the chart bins the column itself). */
static void
summarise_numbers (TessRun *run, TessFrame *frame, TessColumn *column)
{
  gsize n = tess_column_get_length (column), count = 0;
  double sum = 0, min = INFINITY, max = -INFINITY;
  const double *doubles = tess_column_get_double_data (column);
  const gint64 *ints = tess_column_get_int64_data (column);
  const guint8 *validity = tess_column_get_validity (column);
  const char *name = tess_column_get_name (column);

  for (gsize i = 0; i < n; i++)
    {
      double v;
      if (validity && !(validity[i / 8] & (1u << (i % 8))))
        continue;
      v = doubles ? doubles[i] : ints ? (double) ints[i] : tess_column_get_double (column, i);
      if (isnan (v))
        continue;
      sum += v;
      min = MIN (min, v);
      max = MAX (max, v);
      count++;
    }

  tess_columns_begin (run);
  tess_column_begin (run, 1);
  metric_number (run, _ ("Min"), count ? min : NAN);
  tess_end (run);
  tess_column_begin (run, 1);
  metric_number (run, _ ("Mean"), count ? sum / count : NAN);
  tess_end (run);
  tess_column_begin (run, 1);
  metric_number (run, _ ("Max"), count ? max : NAN);
  tess_end (run);
  tess_column_begin (run, 1);
  metric_number (run, _ ("Nulls"), tess_column_get_null_count (column));
  tess_end (run);
  tess_end (run);

  if (count == 0)
    {
      tess_caption (run, _ ("No values."));
      return;
    }
  /* A few values far from the rest would squeeze the others into one bin:
   * the histogram then shows the 98 % between the percentiles. */
  if (count >= 100)
    {
      double p01, p99, body;
      percentiles (column, count, &p01, &p99);
      body = p99 - p01;
      if (body > 0 && (max - p99 > 4 * body || p01 - min > 4 * body))
        {
          clipped_histogram (run, column, p01 - min > 4 * body ? p01 : min, max - p99 > 4 * body ? p99 : max, min, max);
          return;
        }
    }
  /* The chart gets a frame of this column alone: nothing else to copy or hold. */
  g_autoptr (TessColumn) only = tess_column_ref (column);
  g_autoptr (TessFrame) single = tess_frame_new (&only, 1, NULL);
  tess_histogram (run, single, name, NULL);
}

typedef struct
{
  gint64 bucket;
  gint64 count;
} BucketCount;

static int
compare_buckets (gconstpointer a, gconstpointer b)
{
  const BucketCount *x = a, *y = b;
  return x->bucket < y->bucket ? -1 : x->bucket > y->bucket ? 1 : 0;
}

static gint64
floor_div (gint64 a, gint64 b)
{
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Dates and times: the span and a count per day, week, month or year. */
static void
summarise_times (TessRun *run, TessColumn *column)
{
  gboolean is_date = tess_column_get_column_type (column) == TESS_COLUMN_DATE;
  gsize n = tess_column_get_length (column);
  const gint32 *dates = tess_column_get_date_data (column);
  const gint64 *stamps = tess_column_get_int64_data (column);
  const guint8 *validity = tess_column_get_validity (column);
  gint64 lo = G_MAXINT64, hi = G_MININT64;
  gint64 usec_per_day = is_date ? 1 : G_GINT64_CONSTANT (86400000000);
  g_autoptr (GHashTable) counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GArray) sorted = g_array_new (FALSE, FALSE, sizeof (BucketCount));
  const char *unit;
  TessTimeUnit time_unit = TESS_TIME_DAY;
  gint64 span_days;
  GHashTableIter iter;
  gpointer key, value;

  for (gsize i = 0; i < n; i++)
    {
      gint64 v;
      if (validity && !(validity[i / 8] & (1u << (i % 8))))
        continue;
      v = dates ? dates[i] : stamps ? stamps[i] : tess_column_get_int64 (column, i);
      lo = MIN (lo, v);
      hi = MAX (hi, v);
    }
  if (lo > hi)
    {
      tess_caption (run, _ ("No values."));
      return;
    }
  span_days = floor_div (hi - lo, usec_per_day);
  unit = span_days <= 92 ? "day" : span_days <= 3 * 366 ? "week" : span_days <= 40 * 366 ? "month" : "year";
  tess_time_unit_from_string (unit, &time_unit);

  /* Count per day first (an array over the span, when the span is not much
   * longer than the column), then per bucket. */
  gint64 lo_day = floor_div (lo, usec_per_day);
  gboolean per_day_array = span_days < MIN (1000000, 4 * (gint64) n + 4096);
  if (per_day_array)
    {
      g_autofree gint64 *per_day = g_new0 (gint64, span_days + 2);
      for (gsize i = 0; i < n; i++)
        {
          if (validity && !(validity[i / 8] & (1u << (i % 8))))
            continue;
          gint64 v = dates ? dates[i] : stamps ? stamps[i] : tess_column_get_int64 (column, i);
          per_day[floor_div (v, usec_per_day) - lo_day]++;
        }
      for (gint64 d = 0; d <= span_days + 1; d++)
        {
          gint64 bucket;
          if (per_day[d] == 0)
            continue;
          bucket = tess_time_unit_start_day (time_unit, lo_day + d);
          if (sorted->len > 0 && g_array_index (sorted, BucketCount, sorted->len - 1).bucket == bucket)
            g_array_index (sorted, BucketCount, sorted->len - 1).count += per_day[d];
          else
            {
              BucketCount bc = { bucket, per_day[d] };
              g_array_append_val (sorted, bc);
            }
        }
    }
  /* A span too long for an array: hash the days. */
  g_autoptr (GHashTable) day_bucket = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (gsize i = 0; !per_day_array && i < n; i++)
    {
      gint64 v, day, bucket;
      gint64 *found;
      if (validity && !(validity[i / 8] & (1u << (i % 8))))
        continue;
      v = dates ? dates[i] : stamps ? stamps[i] : tess_column_get_int64 (column, i);
      day = floor_div (v, usec_per_day);
      found = g_hash_table_lookup (day_bucket, &day);
      if (found)
        bucket = *found;
      else
        {
          bucket = tess_time_unit_start_day (time_unit, day);
          g_hash_table_insert (day_bucket, g_memdup2 (&day, sizeof day), g_memdup2 (&bucket, sizeof bucket));
        }
      gpointer old = NULL;
      gint64 *k = &bucket;
      if (g_hash_table_lookup_extended (counts, k, NULL, &old))
        g_hash_table_insert (counts, g_memdup2 (k, sizeof *k), GSIZE_TO_POINTER (GPOINTER_TO_SIZE (old) + 1));
      else
        g_hash_table_insert (counts, g_memdup2 (k, sizeof *k), GSIZE_TO_POINTER (1));
    }
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BucketCount bc = { *(gint64 *) key, (gint64) GPOINTER_TO_SIZE (value) };
      g_array_append_val (sorted, bc);
    }
  g_array_sort (sorted, compare_buckets);

  {
    g_autoptr (TessColumn) lo_col = NULL;
    TessColumnBuilder *b = tess_column_builder_new ("t", is_date ? TESS_COLUMN_DATE : TESS_COLUMN_TIMESTAMP, 2);
    if (is_date)
      {
        tess_column_builder_append_date (b, (gint32) lo);
        tess_column_builder_append_date (b, (gint32) hi);
      }
    else
      {
        tess_column_builder_append_timestamp (b, lo);
        tess_column_builder_append_timestamp (b, hi);
      }
    lo_col = tess_column_builder_finish (b);
    g_autofree char *first = tess_column_format_value (lo_col, 0);
    g_autofree char *last = tess_column_format_value (lo_col, 1);
    tess_columns_begin (run);
    tess_column_begin (run, 1);
    tess_metric (run, _ ("First"), first, NULL);
    tess_end (run);
    tess_column_begin (run, 1);
    tess_metric (run, _ ("Last"), last, NULL);
    tess_end (run);
    tess_column_begin (run, 1);
    metric_number (run, _ ("Nulls"), tess_column_get_null_count (column));
    tess_end (run);
    tess_end (run);
  }

  TessColumnBuilder *t =
      tess_column_builder_new (unit, is_date ? TESS_COLUMN_DATE : TESS_COLUMN_TIMESTAMP, sorted->len);
  TessColumnBuilder *c = tess_column_builder_new ("count", TESS_COLUMN_INT64, sorted->len);
  for (guint i = 0; i < sorted->len; i++)
    {
      BucketCount *bc = &g_array_index (sorted, BucketCount, i);
      if (is_date)
        tess_column_builder_append_date (t, (gint32) bc->bucket);
      else
        tess_column_builder_append_timestamp (t, bc->bucket * usec_per_day);
      tess_column_builder_append_int64 (c, bc->count);
    }
  g_autoptr (TessFrame) frame = two_columns (tess_column_builder_finish (t), tess_column_builder_finish (c));
  /* Whole sentences, so that each can be translated in its own words. */
  const char *title = g_str_equal (unit, "day")     ? _ ("Rows per day")
                      : g_str_equal (unit, "week")  ? _ ("Rows per week")
                      : g_str_equal (unit, "month") ? _ ("Rows per month")
                                                    : _ ("Rows per year");
  const char *y[] = { "count", NULL };
  TessChartOptions options = { .title = title, .height = 200 };
  tess_line_chart (run, frame, unit, y, &options);
}

/* Runs on a worker thread. */
static gboolean
column_run (TessRun *run, gpointer user_data, GError **error)
{
  ColumnRef *ref = user_data;
  g_autoptr (TessFrame) frame = load_frame (run, ref->dashboard, error);
  TessColumn *column;

  if (frame == NULL)
    return FALSE;
  if (ref->index >= tess_frame_get_n_columns (frame))
    return TRUE; /* the file changed under us; the next full run redraws */
  column = tess_frame_get_column (frame, ref->index);
  tess_subheader (run, tess_column_get_name (column));
  tess_caption (run, tess_column_type_to_string (tess_column_get_column_type (column)));
  switch (tess_column_get_column_type (column))
    {
    case TESS_COLUMN_INT64:
    case TESS_COLUMN_DOUBLE:
      summarise_numbers (run, frame, column);
      break;
    case TESS_COLUMN_DATE:
    case TESS_COLUMN_TIMESTAMP:
      summarise_times (run, column);
      break;
    default:
      summarise_values (run, column);
      break;
    }
  return TRUE;
}

/* Runs on a worker thread. */
static gboolean
overview_run (TessRun *run, gpointer user_data, GError **error)
{
  TessAutoDashboard *self = user_data;
  g_autoptr (TessFrame) frame = load_frame (run, self, error);
  guint n_columns;
  gsize nulls = 0;

  if (frame == NULL)
    return FALSE;
  n_columns = tess_frame_get_n_columns (frame);

  TessColumnBuilder *names = tess_column_builder_new ("column", TESS_COLUMN_STRING, n_columns);
  TessColumnBuilder *types = tess_column_builder_new ("type", TESS_COLUMN_STRING, n_columns);
  TessColumnBuilder *null_counts = tess_column_builder_new ("nulls", TESS_COLUMN_INT64, n_columns);
  TessColumnBuilder *examples = tess_column_builder_new ("example", TESS_COLUMN_STRING, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      TessColumn *column = tess_frame_get_column (frame, i);
      g_autofree char *example = NULL;
      for (gsize r = 0; r < tess_column_get_length (column) && example == NULL; r++)
        if (!tess_column_is_null (column, r))
          example = tess_column_format_value (column, r);
      tess_column_builder_append_string (names, tess_column_get_name (column));
      tess_column_builder_append_string (types, tess_column_type_to_string (tess_column_get_column_type (column)));
      tess_column_builder_append_int64 (null_counts, tess_column_get_null_count (column));
      tess_column_builder_append_string (examples, example);
      nulls += tess_column_get_null_count (column);
    }
  TessColumn *columns[4] = {
    tess_column_builder_finish (names),
    tess_column_builder_finish (types),
    tess_column_builder_finish (null_counts),
    tess_column_builder_finish (examples),
  };
  g_autoptr (TessFrame) summary = tess_frame_new (columns, 4, error);
  for (guint i = 0; i < 4; i++)
    tess_column_unref (columns[i]);
  if (summary == NULL)
    return FALSE;

  tess_header (run, _ ("Overview"));
  tess_columns_begin (run);
  tess_column_begin (run, 1);
  metric_number (run, _ ("Rows"), tess_frame_get_n_rows (frame));
  tess_end (run);
  tess_column_begin (run, 1);
  metric_number (run, _ ("Columns"), n_columns);
  tess_end (run);
  tess_column_begin (run, 1);
  metric_number (run, _ ("Nulls"), nulls);
  tess_end (run);
  tess_column_begin (run, 1);
  {
    g_autofree char *size = g_format_size (tess_frame_get_bytes (frame));
    tess_metric (run, _ ("In memory"), size, NULL);
  }
  tess_end (run);
  tess_end (run);
  if (n_columns > MAX_SUMMARISED)
    {
      g_autofree char *note = g_strdup_printf (_ ("The first %u columns are summarised below; the other %u are listed "
                                                  "only in this table."),
                                               MAX_SUMMARISED, n_columns - MAX_SUMMARISED);
      tess_caption (run, note);
    }
  tess_dataframe (run, summary, NULL, NULL);
  return TRUE;
}

/* Runs on a worker thread. */
static gboolean
table_run (TessRun *run, gpointer user_data, GError **error)
{
  TessAutoDashboard *self = user_data;
  g_autoptr (TessFrame) frame = load_frame (run, self, error);
  guint n_columns;

  if (frame == NULL)
    return FALSE;
  tess_header (run, _ ("Data"));
  n_columns = tess_frame_get_n_columns (frame);
  if (n_columns > MAX_SUMMARISED)
    {
      g_autofree TessColumn **first = g_new (TessColumn *, MAX_SUMMARISED);
      g_autoptr (TessFrame) shown = NULL;
      g_autofree char *note = NULL;

      for (guint i = 0; i < MAX_SUMMARISED; i++)
        first[i] = tess_frame_get_column (frame, i);
      shown = tess_frame_new (first, MAX_SUMMARISED, error);
      if (shown == NULL)
        return FALSE;
      note = g_strdup_printf (_ ("The first %u of %u columns."), MAX_SUMMARISED, n_columns);
      tess_caption (run, note);
      tess_dataframe (run, shown, NULL, NULL);
      return TRUE;
    }
  tess_dataframe (run, frame, NULL, NULL);
  return TRUE;
}

static void
column_ref_free (gpointer data)
{
  ColumnRef *ref = data;

  g_object_unref (ref->dashboard);
  g_free (ref);
}

gboolean
tess_auto_dashboard_run (TessRun *run, gpointer user_data, GError **error)
{
  TessAutoDashboard *self = user_data;
  g_autoptr (TessFrame) frame = NULL;
  g_autofree char *basename = NULL;
  const TessFragmentOptions parallel = { .flags = TESS_FRAGMENT_PARALLEL };
  guint n_columns;

  g_return_val_if_fail (TESS_IS_AUTO_DASHBOARD (self), FALSE);

  basename = g_path_get_basename (self->uri);
  tess_title (run, basename);
  tess_caption (run, self->uri);

  /* The columns decide the fragments; the load is shared with every fragment. */
  frame = load_frame (run, self, error);
  if (frame == NULL)
    return FALSE;
  n_columns = MIN (tess_frame_get_n_columns (frame), MAX_SUMMARISED);

  tess_fragment_full (run, "overview", overview_run, g_object_ref (self), g_object_unref, &parallel);
  tess_header (run, _ ("Columns"));
  for (guint i = 0; i < n_columns; i += 2)
    {
      tess_columns_begin (run);
      for (guint c = i; c < i + 2; c++)
        {
          tess_column_begin (run, 1);
          if (c < n_columns)
            {
              ColumnRef *ref = g_new0 (ColumnRef, 1);
              g_autofree char *key =
                  tess_auto_dashboard_column_key (tess_column_get_name (tess_frame_get_column (frame, c)), c);
              ref->dashboard = g_object_ref (self);
              ref->index = c;
              tess_fragment_full (run, key, column_run, ref, column_ref_free, &parallel);
            }
          tess_end (run);
        }
      tess_end (run);
    }
  tess_fragment_full (run, "data", table_run, g_object_ref (self), g_object_unref, &parallel);
  return TRUE;
}
