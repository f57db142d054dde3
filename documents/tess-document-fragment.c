/* tess-document-fragment.c: parsing and validating the fragments of a
 * dashboard document.
 *
 * A fragment's own members are checked here; its pipeline steps and its views
 * are checked by their tables (tess-document-steps.c, tess-document-views.c),
 * which this file consults. While it checks a fragment it collects every
 * input the fragment names, directly or through its source, which is what
 * lets an input change rerun exactly the fragments that read it.
 */
#include "tess-document-private.h"
#include "tess-document-sql.h"
#include "tess-document-steps.h"
#include "tess-document-views.h"

#include <stdlib.h>
#include <string.h>

static const char *const fragment_members[] = { "id",     "title",    "parallel", "run_every", "delay",
                                                "source", "pipeline", "views",    NULL };

void
tess_doc_fragment_free (gpointer data)
{
  TessDocFragment *fragment = data;

  g_free (fragment->id);
  g_free (fragment->path);
  g_free (fragment->source);
  g_clear_pointer (&fragment->node, tess_doc_node_unref);
  g_strfreev (fragment->inputs);
  g_free (fragment->signature);
  g_free (fragment);
}

static gboolean
valid_fragment_id (const char *id)
{
  if (id[0] == '\0')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-'))
      return FALSE;
  return TRUE;
}

static gboolean
is_string_or_ref (TessDocument *self, const TessDocNode *node, const char *path, const char *what)
{
  if (node->type == TESS_DOC_STRING)
    return TRUE;
  tess_document_error_at (self, node, path, "%s must be a string, found %s", what,
                          tess_doc_node_type_to_string (node->type));
  return FALSE;
}

void
tess_document_require_column (TessDocument *self, const TessDocNode *object, const char *key, const char *path)
{
  TessDocNode *n = tess_doc_node_get (object, key);
  g_autofree char *cpath = tess_document_path_member (path, key);

  if (n == NULL)
    tess_document_error_missing (self, object, cpath, "missing member \"%s\": a column name", key);
  else
    is_string_or_ref (self, n, cpath, "a column name");
}

void
tess_document_check_column_names (TessDocument *self, const TessDocNode *node, const char *path, const char *what)
{
  if (node->type == TESS_DOC_STRING)
    return;
  if (node->type != TESS_DOC_ARRAY)
    {
      tess_document_error_at (self, node, path, "%s: expected a column name or an array of them", what);
      return;
    }
  for (guint i = 0; i < tess_doc_node_get_length (node); i++)
    {
      g_autofree char *ipath = tess_document_path_index (path, i);
      is_string_or_ref (self, tess_doc_node_get_index (node, i), ipath, "a column name");
    }
}

void
tess_document_check_step (TessDocument *self, const TessDocNode *node, const char *path)
{
  const TessDocMember *member;
  const TessDocStep *step;

  if (!tess_document_expect_type (self, node, path, TESS_DOC_OBJECT))
    return;
  if (tess_doc_node_get_length (node) != 1)
    {
      g_auto (GStrv) names = tess_doc_step_names ();
      g_autofree char *list = tess_document_quoted_list ((const char *const *) names);
      tess_document_error_at (self, node, path,
                              "a pipeline step is an object with exactly one member, the operation: %s", list);
      if (tess_doc_node_get_length (node) == 0)
        return;
    }
  member = tess_doc_node_get_member_index (node, 0);
  g_autofree char *apath = tess_document_path_member (path, member->key);
  step = tess_doc_step_lookup (member->key);
  if (step == NULL)
    {
      g_auto (GStrv) names = tess_doc_step_names ();
      g_autofree char *hint = tess_document_did_you_mean (member->key, (const char *const *) names);
      g_autofree char *list = tess_document_quoted_list ((const char *const *) names);
      tess_document_error_at_key (self, member, apath, FALSE, "unknown pipeline operation \"%s\"%s; use one of %s",
                                  member->key, hint, list);
      return;
    }
  step->validate (self, step, member->value, apath);
}

static void
check_view (TessDocument *self, const TessDocNode *view, const char *path)
{
  const TessDocView *kind;
  TessDocNode *type;

  if (!tess_document_expect_type (self, view, path, TESS_DOC_OBJECT))
    return;
  type = tess_doc_node_get (view, "type");
  g_autofree char *tpath = tess_document_path_member (path, "type");
  if (type == NULL)
    {
      g_auto (GStrv) names = tess_doc_view_names ();
      g_autofree char *list = tess_document_quoted_list ((const char *const *) names);
      tess_document_error_missing (self, view, tpath, "missing member \"type\": one of %s", list);
      return;
    }
  if (!tess_document_expect_type (self, type, tpath, TESS_DOC_STRING))
    return;
  kind = tess_doc_view_lookup (type->string);
  if (kind == NULL)
    {
      g_auto (GStrv) names = tess_doc_view_names ();
      g_autofree char *hint = tess_document_did_you_mean (type->string, (const char *const *) names);
      g_autofree char *list = tess_document_quoted_list ((const char *const *) names);
      tess_document_error_at (self, type, tpath, "unknown view type \"%s\"%s; use one of %s", type->string, hint, list);
      return;
    }
  kind->validate (self, kind, view, path);
}

void
tess_document_check_refs (TessDocument *self, const TessDocNode *node, const char *path, GHashTable *used)
{
  switch (node->type)
    {
    case TESS_DOC_STRING:
      tess_document_check_string_refs (self, node, path, FALSE, used);
      break;
    case TESS_DOC_ARRAY:
      for (guint i = 0; i < tess_doc_node_get_length (node); i++)
        {
          g_autofree char *ipath = tess_document_path_index (path, i);
          tess_document_check_refs (self, tess_doc_node_get_index (node, i), ipath, used);
        }
      break;
    case TESS_DOC_OBJECT:
      for (guint i = 0; i < tess_doc_node_get_length (node); i++)
        {
          const TessDocMember *member = tess_doc_node_get_member_index (node, i);
          g_autofree char *mpath = tess_document_path_member (path, member->key);
          tess_document_check_refs (self, member->value, mpath, used);
        }
      break;
    default:
      break;
    }
}

/* A source the pipeline joins is read with the inputs it reads. */
void
tess_document_collect_join_inputs (TessDocument *self, const TessDocNode *pipeline, GHashTable *used)
{
  for (guint i = 0; i < tess_doc_node_get_length (pipeline); i++)
    {
      TessDocNode *step = tess_doc_node_get_index (pipeline, i);
      TessDocNode *join = step->type == TESS_DOC_OBJECT ? tess_doc_node_get (step, "join") : NULL;
      TessDocNode *name = join && join->type == TESS_DOC_OBJECT ? tess_doc_node_get (join, "source") : NULL;
      TessDocSource *source =
          name && name->type == TESS_DOC_STRING ? tess_document_lookup_source (self, name->string) : NULL;
      if (source)
        tess_document_collect_source_inputs (self, source, used);
    }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The fragment's "id": unique, of letters, digits, - and _. */
static void
read_fragment_id (
    TessDocument *self, TessDocFragment *fragment, const TessDocNode *node, const char *path, GHashTable *ids)
{
  TessDocNode *n = tess_doc_node_get (node, "id");
  g_autofree char *id_path = tess_document_path_member (path, "id");

  if (n == NULL)
    tess_document_error_missing (self, node, id_path, "missing member \"id\": a name unique among the fragments");
  else if (tess_document_expect_type (self, n, id_path, TESS_DOC_STRING))
    {
      if (!valid_fragment_id (n->string))
        tess_document_error_at (self, n, id_path, "fragment id \"%s\" may hold only letters, digits, - and _",
                                n->string);
      else if (!g_hash_table_add (ids, n->string))
        tess_document_error_at (self, n, id_path, "fragment id \"%s\" is used twice", n->string);
      fragment->id = g_strdup (n->string);
    }
  if (fragment->id == NULL)
    fragment->id = g_strdup_printf ("fragment-%u", fragment->index + 1);
}

/* "delay": a duration, "$input" or {"seconds", "when"}. */
static void
parse_fragment_delay (TessDocument *self, TessDocFragment *fragment, TessDocNode *delay, const char *path)
{
  static const char *const delay_members[] = { "seconds", "when", NULL };
  double seconds;

  fragment->delay = delay;
  if (delay->type == TESS_DOC_OBJECT)
    {
      TessDocNode *s = tess_doc_node_get (delay, "seconds"), *w = tess_doc_node_get (delay, "when");
      g_autofree char *spath = tess_document_path_member (path, "seconds");
      g_autofree char *wpath = tess_document_path_member (path, "when");
      tess_document_check_members (self, delay, path, delay_members, "a delay");
      if (s == NULL)
        tess_document_error_missing (self, delay, spath, "missing member \"seconds\"");
      else if (!tess_document_is_reference_node (s))
        tess_document_read_duration (self, s, spath, &seconds);
      if (w && !tess_document_is_reference_node (w) && w->type != TESS_DOC_BOOL)
        tess_document_error_at (self, w, wpath, "\"when\" is true, false or a checkbox or toggle input (\"$name\")");
    }
  else if (!tess_document_is_reference_node (delay))
    tess_document_read_duration (self, delay, path, &seconds);
}

/* "title", "parallel", "run_every" and "delay". */
static void
parse_fragment_options (TessDocument *self, TessDocFragment *fragment, const TessDocNode *node, const char *path)
{
  TessDocNode *n;

  if ((n = tess_doc_node_get (node, "title")) != NULL)
    {
      g_autofree char *tpath = tess_document_path_member (path, "title");
      if (tess_document_expect_type (self, n, tpath, TESS_DOC_STRING))
        fragment->title = n;
    }
  fragment->parallel = tess_document_optional_bool (self, node, "parallel", path, TRUE);
  if ((n = tess_doc_node_get (node, "run_every")) != NULL)
    {
      g_autofree char *rpath = tess_document_path_member (path, "run_every");
      if (tess_document_read_duration (self, n, rpath, &fragment->run_every) && fragment->run_every > 0 &&
          fragment->run_every < 0.1)
        tess_document_error_at (self, n, rpath, "run_every must be at least 100 ms");
    }
  if ((n = tess_doc_node_get (node, "delay")) != NULL)
    {
      g_autofree char *dpath = tess_document_path_member (path, "delay");
      parse_fragment_delay (self, fragment, n, dpath);
    }
}

/* The inputs a fragment that loads @source reads through it, in its URI or
 * a database query's parameters, join @used. */
void
tess_document_collect_source_inputs (TessDocument *self, TessDocSource *source, GHashTable *used)
{
  g_autoptr (GHashTable) uri_inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  char *name;

  tess_document_collect_substitutions (source->uri, uri_inputs);
  g_hash_table_iter_init (&iter, uri_inputs);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    if (tess_document_lookup_input (self, name))
      g_hash_table_add (used, g_strdup (name));
  if (tess_doc_source_is_database (source))
    tess_document_collect_database_inputs (self, source, used);
}

/* "source": a source of the document, whose inputs the fragment reads too;
 * they go into @used. */
static void
parse_fragment_source (
    TessDocument *self, TessDocFragment *fragment, const TessDocNode *node, const char *path, GHashTable *used)
{
  TessDocNode *n = tess_doc_node_get (node, "source");
  g_autofree char *spath = tess_document_path_member (path, "source");
  TessDocSource *source;

  if (n == NULL || !tess_document_expect_type (self, n, spath, TESS_DOC_STRING))
    return;
  source = tess_document_lookup_source (self, n->string);
  fragment->source = g_strdup (n->string);
  if (source == NULL)
    {
      tess_document_error_unknown_source (self, n, spath);
      return;
    }
  tess_document_collect_source_inputs (self, source, used);
}

static void
parse_fragment_pipeline (TessDocument *self, TessDocFragment *fragment, const TessDocNode *node, const char *path)
{
  TessDocNode *n = tess_doc_node_get (node, "pipeline");
  g_autofree char *ppath = tess_document_path_member (path, "pipeline");

  if (n == NULL || !tess_document_expect_type (self, n, ppath, TESS_DOC_ARRAY))
    return;
  fragment->pipeline = n;
  if (fragment->source == NULL && tess_doc_node_get_length (n) > 0)
    tess_document_error_at (self, n, ppath, "a pipeline needs data: give the fragment a \"source\"");
  for (guint i = 0; i < tess_doc_node_get_length (n); i++)
    {
      g_autofree char *ipath = tess_document_path_index (ppath, i);
      tess_document_check_step (self, tess_doc_node_get_index (n, i), ipath);
    }
}

static void
parse_fragment_views (TessDocument *self, TessDocFragment *fragment, const TessDocNode *node, const char *path)
{
  TessDocNode *n = tess_doc_node_get (node, "views");
  g_autofree char *vpath = tess_document_path_member (path, "views");

  if (n == NULL)
    {
      tess_document_error_missing (self, node, vpath, "missing member \"views\": what the fragment shows");
      return;
    }
  if (!tess_document_expect_type (self, n, vpath, TESS_DOC_ARRAY))
    return;
  fragment->views = n;
  if (tess_doc_node_get_length (n) == 0)
    tess_document_error_at (self, n, vpath, "\"views\" is empty: give the fragment at least one view");
  for (guint i = 0; i < tess_doc_node_get_length (n); i++)
    {
      TessDocNode *view = tess_doc_node_get_index (n, i);
      g_autofree char *ipath = tess_document_path_index (vpath, i);
      TessDocNode *type = tess_doc_node_get (view, "type");
      const TessDocView *kind = type && type->type == TESS_DOC_STRING ? tess_doc_view_lookup (type->string) : NULL;
      check_view (self, view, ipath);
      if (fragment->source == NULL && kind && kind->needs_data && kind->needs_data (view))
        tess_document_error_at (self, view, ipath, "a %s view needs data: give the fragment a \"source\"", kind->name);
    }
}

/* Every input the fragment names, wherever it names it, joins @used; the
 * fragment's inputs are then @used, sorted. */
static void
collect_fragment_inputs (
    TessDocument *self, TessDocFragment *fragment, const TessDocNode *node, const char *path, GHashTable *used)
{
  for (guint i = 0; i < tess_doc_node_get_length (node); i++)
    {
      const TessDocMember *m = tess_doc_node_get_member_index (node, i);
      g_autofree char *mpath = tess_document_path_member (path, m->key);
      if (g_str_equal (m->key, "id") || g_str_equal (m->key, "source"))
        continue;
      tess_document_check_refs (self, m->value, mpath, used);
    }
  tess_document_collect_join_inputs (self, fragment->pipeline, used);
  fragment->inputs = (char **) g_hash_table_get_keys_as_array (used, NULL);
  g_hash_table_steal_all (used);
  qsort (fragment->inputs, g_strv_length (fragment->inputs), sizeof (char *), compare_strings);
}

void
tess_document_parse_fragment (
    TessDocument *self, const TessDocNode *node, guint index, const char *path, GHashTable *ids)
{
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TessDocFragment *fragment;

  if (!tess_document_expect_type (self, node, path, TESS_DOC_OBJECT))
    return;
  tess_document_check_members (self, node, path, fragment_members, "a fragment");

  fragment = g_new0 (TessDocFragment, 1);
  fragment->index = index;
  fragment->node = tess_doc_node_ref ((TessDocNode *) node);
  fragment->parallel = TRUE;
  read_fragment_id (self, fragment, node, path, ids);
  parse_fragment_options (self, fragment, node, path);
  parse_fragment_source (self, fragment, node, path, used);
  parse_fragment_pipeline (self, fragment, node, path);
  parse_fragment_views (self, fragment, node, path);
  collect_fragment_inputs (self, fragment, node, path, used);
  g_ptr_array_add (self->fragments, fragment);
}
