/* tess-document-dashboard.c: running a document as a dashboard.
 *
 * The dashboard function only declares: title, inputs (declared, never read,
 * so a change reruns no more than the fragments that read it), layout and one
 * fragment per document fragment. A fragment body reads the inputs its
 * definition names, which records exactly the dependencies the document
 * states, then loads, transforms and shows.
 *
 * Each fragment remembers the result of its last successful run, keyed by its
 * signature and the values of the inputs it read. When a full rerun (a reload
 * that changed the layout, say) runs a fragment whose key is unchanged, the
 * body re-shows that result without loading or transforming again.
 */
#include "tess-document-dashboard.h"
#include "tess-document-choices.h"
#include "tess-document-private.h"
#include "tess-document-pipeline.h"
#include "tess-document-sql.h"
#include "tess-document-views.h"

typedef struct
{
  char *key;        /* signature + input values */
  TessFrame *frame; /* the pipeline's result; NULL for fragments without a source */
} Memo;

struct _TessDocumentDashboard
{
  GObject parent_instance;

  GMutex lock;
  TessDocument *document; /* guarded by lock */
  GHashTable *memos;      /* fragment id -> Memo*; guarded by lock */
  GHashTable *reusable;   /* ids whose next run may re-show their memo; guarded by lock */
  guint pipeline_runs;    /* atomic */
  guint kept_runs;        /* atomic */
};

G_DEFINE_FINAL_TYPE (TessDocumentDashboard, tess_document_dashboard, G_TYPE_OBJECT)

static void
memo_free (gpointer data)
{
  Memo *memo = data;

  g_free (memo->key);
  g_clear_pointer (&memo->frame, tess_frame_unref);
  g_free (memo);
}

TessDashboardRef *
tess_dashboard_ref_new (TessDocumentDashboard *dashboard, const char *name)
{
  TessDashboardRef *ref = g_new (TessDashboardRef, 1);

  ref->dashboard = g_object_ref (dashboard);
  ref->name = g_strdup (name);
  return ref;
}

void
tess_dashboard_ref_free (gpointer data)
{
  TessDashboardRef *ref = data;

  g_object_unref (ref->dashboard);
  g_free (ref->name);
  g_free (ref);
}

static void
tess_document_dashboard_finalize (GObject *object)
{
  TessDocumentDashboard *self = (TessDocumentDashboard *) object;

  g_clear_object (&self->document);
  g_clear_pointer (&self->memos, g_hash_table_unref);
  g_clear_pointer (&self->reusable, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tess_document_dashboard_parent_class)->finalize (object);
}

static void
tess_document_dashboard_class_init (TessDocumentDashboardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tess_document_dashboard_finalize;
}

static void
tess_document_dashboard_init (TessDocumentDashboard *self)
{
  g_mutex_init (&self->lock);
  self->memos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, memo_free);
  self->reusable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

TessDocumentDashboard *
tess_document_dashboard_new (TessDocument *document)
{
  TessDocumentDashboard *self;

  g_return_val_if_fail (TESS_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (tess_document_is_valid (document), NULL);

  self = g_object_new (TESS_TYPE_DOCUMENT_DASHBOARD, NULL);
  self->document = g_object_ref (document);
  return self;
}

TessDocument *
tess_document_dashboard_get_document (TessDocumentDashboard *self)
{
  TessDocument *document;

  g_return_val_if_fail (TESS_IS_DOCUMENT_DASHBOARD (self), NULL);
  g_mutex_lock (&self->lock);
  document = g_object_ref (self->document);
  g_mutex_unlock (&self->lock);
  return document;
}

guint
tess_document_dashboard_get_pipeline_runs (TessDocumentDashboard *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT_DASHBOARD (self), 0);
  return g_atomic_int_get (&self->pipeline_runs);
}

guint
tess_document_dashboard_get_kept_runs (TessDocumentDashboard *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT_DASHBOARD (self), 0);
  return g_atomic_int_get (&self->kept_runs);
}

/* Fragments */

/* How long a fragment's "delay" waits, given the inputs' values, in
 * @seconds. A value an input gives must be a duration from 0 to
 * TESS_DOC_MAX_DURATION, as one written in the document must: otherwise
 * FALSE with @error, which the fragment's slot shows. */
static gboolean
delay_seconds (const TessDocNode *delay, GHashTable *values, double *seconds, GError **error)
{
  const TessDocNode *node = delay;
  g_autofree char *input = NULL;
  g_autofree char *what = NULL;
  double out = 0;

  *seconds = 0;
  if (delay == NULL)
    return TRUE;
  if (delay->type == TESS_DOC_OBJECT)
    {
      TessDocNode *when = tess_doc_node_get (delay, "when");
      if (when && !tess_document_node_to_boolean (when, values))
        return TRUE;
      node = tess_doc_node_get (delay, "seconds");
    }
  if (node == NULL || (tess_document_is_reference_node (node) && !tess_document_lookup_reference (node, values)))
    return TRUE; /* nothing to wait for */
  input = node->type == TESS_DOC_STRING ? tess_document_parse_reference (node->string) : NULL;
  what = input ? g_strdup_printf ("The delay from input \"%s\"", input) : g_strdup ("The delay");
  if (!tess_document_node_to_number (node, values, &out))
    {
      g_autofree char *text = tess_document_node_to_text (node, values);
      if (!tess_document_parse_duration (text, &out))
        {
          g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID,
                       "%s is \"%s\", which is not a duration: give seconds, or a text such as \"500ms\", \"5s\", "
                       "\"2m\" or \"1h\"",
                       what, text);
          return FALSE;
        }
    }
  if (!(out >= 0 && out <= TESS_DOC_MAX_DURATION))
    {
      g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID,
                   "%s is %g seconds; a delay is from 0 to 24 hours (%g seconds)", what, out, TESS_DOC_MAX_DURATION);
      return FALSE;
    }
  *seconds = out;
  return TRUE;
}

/* Reads the inputs the fragment's definition names into @values, which is
 * what records its dependencies, and returns the key of its result: its
 * signature and those values. Runs on a worker thread. */
static GString *
read_fragment_inputs (TessRun *run, TessDocument *document, TessDocFragment *fragment, GHashTable *values)
{
  GString *key = g_string_new (fragment->signature);

  for (guint i = 0; fragment->inputs[i]; i++)
    {
      TessInput *input = tess_input_lookup (run, fragment->inputs[i]);
      GVariant *value;
      g_autofree char *printed = NULL;

      if (input == NULL)
        continue;
      value = tess_input_get_value (run, input);
      if (value == NULL)
        continue;
      /* options from data: the value as the options it is read with allow */
      value = tess_document_fit_choice (run, document, fragment->inputs[i], value);
      printed = g_variant_print (value, TRUE);
      g_string_append_printf (key, ";%s=%s", fragment->inputs[i], printed);
      g_hash_table_insert (values, g_strdup (fragment->inputs[i]), value);
    }
  return key;
}

/* TRUE, with @frame set to the kept result (NULL for a fragment without a
 * source), when this run may re-show it. Only the run a reload caused may:
 * any other run (Reload, Retry, run_every) loads afresh. Thread-safe. */
static gboolean
take_kept_result (TessDocumentDashboard *self, TessDocFragment *fragment, const char *key, TessFrame **frame)
{
  Memo *memo;

  g_mutex_lock (&self->lock);
  memo = g_hash_table_remove (self->reusable, fragment->id) ? g_hash_table_lookup (self->memos, fragment->id) : NULL;
  if (memo && g_str_equal (memo->key, key))
    *frame = memo->frame ? tess_frame_ref (memo->frame) : NULL;
  else
    memo = NULL;
  g_mutex_unlock (&self->lock);
  return memo != NULL;
}

typedef enum
{
  PIPELINE_DONE,
  PIPELINE_CANCELLED, /* nothing is shown */
  PIPELINE_FAILED,    /* the error is shown in the fragment's slot */
} PipelineOutcome;

/* Waits for the fragment's delay, loads its source, applies its pipeline and
 * keeps the result under @key; when done, @frame is the result (NULL for a
 * fragment without a source). Runs on a worker thread. */
static PipelineOutcome
run_fragment_pipeline (TessRun *run,
                       TessDocumentDashboard *self,
                       TessDocument *document,
                       TessDocFragment *fragment,
                       GHashTable *values,
                       const char *key,
                       TessFrame **frame,
                       GError **error)
{
  g_autoptr (TessFrame) result = NULL;
  double delay;
  Memo *fresh;

  g_atomic_int_inc (&self->pipeline_runs);
  if (!delay_seconds (fragment->delay, values, &delay, error))
    return PIPELINE_FAILED;
  if (delay > 0)
    {
      tess_run_set_status (run, "Waiting for the slow source…");
      if (!tess_run_wait (run, delay))
        return PIPELINE_CANCELLED;
    }
  if (fragment->source)
    {
      TessDocSource *source = tess_document_lookup_source (document, fragment->source);
      g_autoptr (TessFrame) loaded = NULL;
      guint done = 0;

      /* a database computes the steps it can (tess-document-sql.h) */
      if (tess_doc_source_is_database (source))
        loaded = tess_document_load_database (document, source, fragment, run, NULL, values, &done, error);
      else
        loaded = tess_document_load_fragment_source (document, fragment, run, values, error);
      if (loaded == NULL)
        return PIPELINE_FAILED;
      if (tess_run_is_cancelled (run))
        return PIPELINE_CANCELLED;
      result = tess_document_apply_pipeline_from (document, fragment, done, loaded, run, values, error);
      if (result == NULL)
        return PIPELINE_FAILED;
    }
  if (tess_run_is_cancelled (run))
    return PIPELINE_CANCELLED;

  fresh = g_new0 (Memo, 1);
  fresh->key = g_strdup (key);
  fresh->frame = result ? tess_frame_ref (result) : NULL;
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->memos, g_strdup (fragment->id), fresh);
  g_mutex_unlock (&self->lock);
  *frame = g_steal_pointer (&result);
  return PIPELINE_DONE;
}

/* Shows each view by its kind. Runs on a worker thread. */
static gboolean
show_views (TessRun *run, TessDocFragment *fragment, TessFrame *frame, GHashTable *values, GError **error)
{
  for (guint i = 0; i < tess_doc_node_get_length (fragment->views); i++)
    {
      const TessDocNode *view = tess_doc_node_get_index (fragment->views, i);
      const TessDocView *kind = tess_doc_view_lookup (tess_doc_node_get (view, "type")->string);
      if (!kind->show (run, kind, view, frame, values, error))
        return FALSE;
    }
  return TRUE;
}

/* The body of every document fragment. Runs on a worker thread. */
static gboolean
fragment_run (TessRun *run, gpointer user_data, GError **error)
{
  TessDashboardRef *ref = user_data;
  TessDocumentDashboard *self = ref->dashboard;
  g_autoptr (TessDocument) document = tess_document_dashboard_get_document (self);
  TessDocFragment *fragment = tess_document_lookup_fragment (document, ref->name);
  g_autoptr (GHashTable) values =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  g_autoptr (GString) key = NULL;
  g_autoptr (TessFrame) frame = NULL;

  if (fragment == NULL)
    return TRUE; /* removed by a reload; its slot goes with the next full run */

  key = read_fragment_inputs (run, document, fragment, values);
  if (fragment->title)
    {
      g_autofree char *title = tess_document_node_to_text (fragment->title, values);
      tess_subheader (run, title);
    }
  if (take_kept_result (self, fragment, key->str, &frame))
    g_atomic_int_inc (&self->kept_runs);
  else
    switch (run_fragment_pipeline (run, self, document, fragment, values, key->str, &frame, error))
      {
      case PIPELINE_CANCELLED:
        return TRUE;
      case PIPELINE_FAILED:
        return FALSE;
      case PIPELINE_DONE:
        break;
      }
  return show_views (run, fragment, frame, values, error);
}

/* Layout */

static void
declare_fragment (TessRun *run, TessDocumentDashboard *self, TessDocFragment *fragment, GHashTable *placed)
{
  TessDashboardRef *ref = tess_dashboard_ref_new (self, fragment->id);
  TessFragmentOptions options = {
    .flags = fragment->parallel ? TESS_FRAGMENT_PARALLEL : TESS_FRAGMENT_SEQUENTIAL,
    .run_every = fragment->run_every,
  };

  g_hash_table_add (placed, fragment->id);
  tess_fragment_full (run, fragment->id, fragment_run, ref, tess_dashboard_ref_free, &options);
}

static void
lay_out_items (
    TessRun *run, TessDocumentDashboard *self, TessDocument *document, const TessDocNode *items, GHashTable *placed)
{
  for (guint i = 0; i < tess_doc_node_get_length (items); i++)
    {
      TessDocNode *item = tess_doc_node_get_index (items, i);
      TessDocNode *n;

      if (item->type == TESS_DOC_STRING)
        {
          TessDocFragment *fragment = tess_document_lookup_fragment (document, item->string);
          if (fragment)
            declare_fragment (run, self, fragment, placed);
        }
      else if ((n = tess_doc_node_get (item, "columns")) != NULL)
        {
          TessDocNode *weights = tess_doc_node_get (item, "weights");
          tess_columns_begin (run);
          for (guint c = 0; c < tess_doc_node_get_length (n); c++)
            {
              double weight =
                  weights && c < tess_doc_node_get_length (weights) ? tess_doc_node_get_index (weights, c)->number : 1;
              tess_column_begin (run, weight);
              lay_out_items (run, self, document, tess_doc_node_get_index (n, c), placed);
              tess_end (run);
            }
          tess_end (run);
        }
      else if ((n = tess_doc_node_get (item, "tabs")) != NULL)
        {
          tess_tabs_begin (run);
          for (guint t = 0; t < tess_doc_node_get_length (n); t++)
            {
              TessDocNode *tab = tess_doc_node_get_index (n, t);
              tess_tab_begin (run, tess_doc_node_get (tab, "label")->string);
              lay_out_items (run, self, document, tess_doc_node_get (tab, "items"), placed);
              tess_end (run);
            }
          tess_end (run);
        }
    }
}

/* An input whose options come from data is declared by a fragment of its
 * own, which reruns alone when the inputs its options use change. */
static void
declare_input (TessRun *run, TessDocumentDashboard *self, TessDocInput *input)
{
  if (input->choices)
    tess_document_declare_choices (run, self, input);
  else
    tess_declare (run, &input->spec);
}

/* Declares every input: those the layout's "sidebar" names (all, without
 * one) in the sidebar, in its order, the others at the top of the page.
 * Inputs are declared, never read, here: only fragments read them. */
static void
declare_inputs (TessRun *run, TessDocumentDashboard *self, TessDocument *document, const TessDocNode *sidebar)
{
  g_autoptr (GHashTable) in_sidebar = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean listed = sidebar && sidebar->type == TESS_DOC_ARRAY;

  if (sidebar == NULL || listed || (sidebar->type == TESS_DOC_BOOL && sidebar->boolean))
    {
      if (listed)
        for (guint i = 0; i < tess_doc_node_get_length (sidebar); i++)
          g_hash_table_add (in_sidebar, tess_doc_node_get_index (sidebar, i)->string);
      else
        for (guint i = 0; i < document->inputs->len; i++)
          g_hash_table_add (in_sidebar, ((TessDocInput *) g_ptr_array_index (document->inputs, i))->name);
      if (g_hash_table_size (in_sidebar) > 0)
        {
          tess_sidebar_begin (run);
          if (listed)
            for (guint i = 0; i < tess_doc_node_get_length (sidebar); i++)
              declare_input (run, self,
                             tess_document_lookup_input (document, tess_doc_node_get_index (sidebar, i)->string));
          else
            for (guint i = 0; i < document->inputs->len; i++)
              declare_input (run, self, g_ptr_array_index (document->inputs, i));
          tess_end (run);
        }
    }
  for (guint i = 0; i < document->inputs->len; i++)
    {
      TessDocInput *input = g_ptr_array_index (document->inputs, i);
      if (!g_hash_table_contains (in_sidebar, input->name))
        declare_input (run, self, input);
    }
}

/* "columns": every fragment, in rows of @n columns. */
static void
lay_out_grid (TessRun *run, TessDocumentDashboard *self, TessDocument *document, guint n, GHashTable *placed)
{
  for (guint i = 0; i < document->fragments->len; i += n)
    {
      tess_columns_begin (run);
      for (guint c = 0; c < n; c++)
        {
          tess_column_begin (run, 1);
          if (i + c < document->fragments->len)
            declare_fragment (run, self, g_ptr_array_index (document->fragments, i + c), placed);
          tess_end (run);
        }
      tess_end (run);
    }
}

gboolean
tess_document_dashboard_run (TessRun *run, gpointer user_data, GError **error)
{
  TessDocumentDashboard *self = user_data;
  g_autoptr (TessDocument) document = NULL;
  g_autoptr (GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);
  TessDocNode *sidebar = NULL, *columns = NULL, *main_items = NULL;

  g_return_val_if_fail (TESS_IS_DOCUMENT_DASHBOARD (self), FALSE);

  document = tess_document_dashboard_get_document (self);
  if (document->layout)
    {
      sidebar = tess_doc_node_get (document->layout, "sidebar");
      columns = tess_doc_node_get (document->layout, "columns");
      main_items = tess_doc_node_get (document->layout, "main");
    }

  if (document->title)
    tess_title (run, document->title);
  if (document->description)
    tess_markdown (run, document->description->string);
  declare_inputs (run, self, document, sidebar);
  if (main_items)
    lay_out_items (run, self, document, main_items, placed);
  else if (columns)
    lay_out_grid (run, self, document, (guint) columns->number, placed);
  /* A fragment that no item names is appended at the end. */
  for (guint i = 0; i < document->fragments->len; i++)
    {
      TessDocFragment *fragment = g_ptr_array_index (document->fragments, i);
      if (!g_hash_table_contains (placed, fragment->id))
        declare_fragment (run, self, fragment, placed);
    }
  return TRUE;
}

char **
tess_document_dashboard_set_document (TessDocumentDashboard *self, TessDocument *document, TessSession *session)
{
  g_autoptr (TessDocument) old = NULL;
  GStrvBuilder *changed;
  gboolean same_structure;
  char **result;

  g_return_val_if_fail (TESS_IS_DOCUMENT_DASHBOARD (self), NULL);
  g_return_val_if_fail (TESS_IS_DOCUMENT (document) && tess_document_is_valid (document), NULL);
  g_return_val_if_fail (session == NULL || TESS_IS_SESSION (session), NULL);

  g_mutex_lock (&self->lock);
  old = g_steal_pointer (&self->document);
  self->document = g_object_ref (document);
  same_structure =
      g_strcmp0 (tess_document_get_structure_signature (old), tess_document_get_structure_signature (document)) == 0;
  changed = g_strv_builder_new ();
  g_hash_table_remove_all (self->reusable);
  for (guint i = 0; i < document->fragments->len; i++)
    {
      TessDocFragment *fragment = g_ptr_array_index (document->fragments, i);
      const char *before = tess_document_get_fragment_signature (old, fragment->id);
      if (g_strcmp0 (before, fragment->signature) != 0)
        g_strv_builder_add (changed, fragment->id);
      else if (!same_structure)
        g_hash_table_add (self->reusable, g_strdup (fragment->id));
    }
  g_mutex_unlock (&self->lock);
  result = g_strv_builder_end (changed);
  g_strv_builder_unref (changed);

  if (session != NULL)
    {
      if (same_structure)
        for (guint i = 0; result[i]; i++)
          tess_session_rerun_fragment (session, result[i]);
      else
        tess_session_rerun (session);
    }
  return result;
}
