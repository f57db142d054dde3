/* tess-document.c: TessDocument, a dashboard document parsed and validated.
 *
 * Here are the document's lifecycle and accessors, and the rules of its top
 * level, sources and layout. The validation helpers every part of the parser
 * shares are in tess-document-rules.c, inputs are parsed in
 * tess-document-inputs.c, fragments in tess-document-fragment.c, and their
 * steps and views by the tables of tess-document-steps.c and
 * tess-document-views.c.
 *
 * The rules are the format's rules (docs/dashboard-format.md); the JSON Schema
 * in docs/dashboard.schema.json describes the same shapes for editors.
 * Validation keeps going after a problem so `tessera --check` reports all of
 * them at once.
 */
#include "tess-document-private.h"
#include "tess-document-sql.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (TessDocument, tess_document, G_TYPE_OBJECT)

static const char *const top_members[] = { "$schema", "tessera",   "title",  "description", "inputs",
                                           "sources", "fragments", "layout", NULL };
static const char *const source_members[] = { "uri",    "format", "ttl",      "headers",   "options",           "query",
                                              "params", "table",  "password", "row_limit", "statement_timeout", NULL };
static const char *const source_option_members[] = { "delimiter", "header", "lenient", NULL };
static const char *const source_formats[] = { "csv", "json", "ndjson", NULL };
static const char *const layout_members[] = { "sidebar", "columns", "main", NULL };

/* Sources */

static void
source_free (gpointer data)
{
  TessDocSource *source = data;

  g_free (source->name);
  g_clear_pointer (&source->node, tess_doc_node_unref);
  g_free (source->uri);
  g_free (source->format);
  g_strfreev (source->header_names);
  g_strfreev (source->header_values);
  g_clear_pointer (&source->options, tess_doc_node_unref);
  g_free (source->query);
  g_clear_pointer (&source->params, tess_doc_node_unref);
  g_free (source->table);
  g_free (source->password);
  g_free (source);
}

gboolean
tess_document_uri_is_local (const char *uri)
{
  g_autofree char *scheme = g_uri_parse_scheme (uri);

  return scheme == NULL || g_ascii_strcasecmp (scheme, "file") == 0 || g_ascii_strcasecmp (scheme, "resource") == 0;
}

/* A document read over the network is somebody else's: it may load only over
 * http(s), by default from its own origin (tess-trust.h, which every load
 * checks again once inputs are substituted), and it may not read environment
 * variables, which could send a secret to its host. */
static gboolean
document_is_remote (TessDocument *self)
{
  return tess_trust_get_restricted (self->trust);
}

/* Whether @prefix, the part of a uri before its first ${input}, fixes where
 * the uri points whatever the input holds: a scheme and a whole host, or a
 * relative path with a first segment of its own. */
static gboolean
prefix_fixes_origin (const char *prefix)
{
  const char *scheme_end = strstr (prefix, "://");
  const char *first_slash = strchr (prefix, '/');

  if (scheme_end && (first_slash == NULL || scheme_end < first_slash))
    return strpbrk (scheme_end + 3, "/?#") != NULL;
  if (g_str_has_prefix (prefix, "//") || strspn (prefix, "/") == strlen (prefix))
    return FALSE;
  /* "data/": no colon before the first slash, so no scheme can form */
  return strpbrk (prefix, "/?#") != NULL && strcspn (prefix, ":") > strcspn (prefix, "/?#");
}

void
tess_document_error_unknown_source (TessDocument *self, const TessDocNode *node, const char *path)
{
  GStrvBuilder *builder = g_strv_builder_new ();

  for (guint i = 0; i < self->sources->len; i++)
    g_strv_builder_add (builder, ((TessDocSource *) g_ptr_array_index (self->sources, i))->name);
  g_auto (GStrv) names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  g_autofree char *hint = tess_document_did_you_mean (node->string, (const char *const *) names);
  tess_document_error_at (self, node, path, "unknown source \"%s\"%s", node->string, hint);
}

static void
check_uri (TessDocument *self, const TessDocNode *node, const char *path)
{
  g_autofree char *scheme = g_uri_parse_scheme (node->string);

  if (node->string[0] == '\0')
    tess_document_error_at (self, node, path, "the source's uri is empty");
  else if (scheme && !g_str_equal (scheme, "file") && !g_str_equal (scheme, "resource") &&
           !g_str_equal (scheme, "http") && !g_str_equal (scheme, "https") && !tess_sql_uri_is_database (node->string))
    tess_document_error_at (
        self, node, path,
        "sources cannot use \"%s:\" URIs; use a path, file://, resource://, http://, https:// or postgresql://",
        scheme);
  else if (document_is_remote (self) &&
           (g_strcmp0 (scheme, "file") == 0 || (scheme == NULL && g_path_is_absolute (node->string))))
    tess_document_error_at (self, node, path, "a document opened from the network cannot read local files");
  else if (document_is_remote (self) && g_strcmp0 (scheme, "resource") == 0)
    tess_document_error_at (self, node, path, "a document opened from the network loads only http:// and https://");
  else if (document_is_remote (self) && strstr (node->string, "${") != NULL &&
           strstr (node->string, "${") != strstr (node->string, "${env:"))
    {
      g_autofree char *prefix = g_strndup (node->string, strstr (node->string, "${") - node->string);
      if (!prefix_fixes_origin (prefix))
        tess_document_error_at (self, node, path,
                                "in a document opened from the network, a source's uri names its host before any "
                                "${input}: write \"https://host/path/${…}\" or a relative path such as "
                                "\"data/${…}.csv\"");
    }
  if (document_is_remote (self) && strstr (node->string, "${env:") != NULL)
    tess_document_error_at (self, node, path, "a document opened from the network cannot read environment variables");
}

/* The string or the "uri" member that says where a source's data is, or
 * NULL with a problem. */
static TessDocNode *
find_source_uri (TessDocument *self, const TessDocNode *node, const char *path)
{
  TessDocNode *uri_node;

  if (node->type == TESS_DOC_STRING)
    return (TessDocNode *) node;
  if (node->type != TESS_DOC_OBJECT)
    {
      tess_document_error_at (self, node, path, "a source is a URI string or an object with \"uri\"");
      return NULL;
    }
  tess_document_check_members (self, node, path, source_members, "a source");
  uri_node = tess_doc_node_get (node, "uri");
  if (uri_node == NULL)
    {
      g_autofree char *upath = tess_document_path_member (path, "uri");
      tess_document_error_missing (self, node, upath, "missing member \"uri\": where the data comes from");
    }
  return uri_node;
}

/* Request headers: strings, which may read the environment but not inputs. */
static void
parse_source_headers (TessDocument *self, TessDocSource *source, const TessDocNode *headers, const char *path)
{
  GStrvBuilder *names = g_strv_builder_new ();
  GStrvBuilder *values = g_strv_builder_new ();

  for (guint i = 0; i < tess_doc_node_get_length (headers); i++)
    {
      const TessDocMember *h = tess_doc_node_get_member_index (headers, i);
      g_autofree char *ipath = tess_document_path_member (path, h->key);
      g_autoptr (GHashTable) header_used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (!tess_document_expect_type (self, h->value, ipath, TESS_DOC_STRING))
        continue;
      if (document_is_remote (self) && strstr (h->value->string, "${env:") != NULL)
        tess_document_error_at (self, h->value, ipath,
                                "a document opened from the network cannot read environment variables");
      tess_document_check_string_refs (self, h->value, ipath, TRUE, header_used);
      if (g_hash_table_size (header_used) > 0)
        tess_document_error_at (self, h->value, ipath, "headers cannot depend on inputs");
      g_strv_builder_add (names, h->key);
      g_strv_builder_add (values, h->value->string);
    }
  source->header_names = g_strv_builder_end (names);
  source->header_values = g_strv_builder_end (values);
  g_strv_builder_unref (names);
  g_strv_builder_unref (values);
}

/* The reader's options: delimiter, header, lenient. */
static void
parse_source_options (TessDocument *self, TessDocSource *source, TessDocNode *options, const char *path)
{
  TessDocNode *d;

  tess_document_check_members (self, options, path, source_option_members, "a source's options");
  source->options = tess_doc_node_ref (options);
  tess_document_optional_bool (self, options, "header", path, TRUE);
  tess_document_optional_bool (self, options, "lenient", path, FALSE);
  if ((d = tess_doc_node_get (options, "delimiter")) != NULL)
    {
      g_autofree char *dpath = tess_document_path_member (path, "delimiter");
      if (tess_document_expect_type (self, d, dpath, TESS_DOC_STRING) && strlen (d->string) != 1)
        tess_document_error_at (self, d, dpath, "the delimiter is one character, such as \",\" or \";\"");
    }
}

/* The members of a source written as an object, besides its uri. */
static void
parse_source_members (TessDocument *self, TessDocSource *source, const TessDocNode *node, const char *path)
{
  TessDocNode *n;

  source->format = tess_document_optional_string (self, node, "format", path);
  if (source->format && !tess_document_strv_contains (source_formats, source->format))
    {
      g_autofree char *hint = tess_document_did_you_mean (source->format, source_formats);
      g_autofree char *fpath = tess_document_path_member (path, "format");
      tess_document_error_at (self, tess_doc_node_get (node, "format"), fpath,
                              "unknown format \"%s\"%s; use \"csv\", \"json\" or \"ndjson\"", source->format, hint);
    }
  if ((n = tess_doc_node_get (node, "ttl")) != NULL)
    {
      g_autofree char *tpath = tess_document_path_member (path, "ttl");
      tess_document_read_duration (self, n, tpath, &source->ttl);
    }
  if ((n = tess_doc_node_get (node, "headers")) != NULL)
    {
      g_autofree char *hpath = tess_document_path_member (path, "headers");
      if (tess_document_expect_type (self, n, hpath, TESS_DOC_OBJECT))
        parse_source_headers (self, source, n, hpath);
    }
  if ((n = tess_doc_node_get (node, "options")) != NULL)
    {
      g_autofree char *opath = tess_document_path_member (path, "options");
      if (tess_document_expect_type (self, n, opath, TESS_DOC_OBJECT))
        parse_source_options (self, source, n, opath);
    }
}

static void
parse_source (TessDocument *self, const TessDocMember *member, const char *path)
{
  const TessDocNode *node = member->value;
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TessDocSource *source;
  TessDocNode *uri_node;

  if (!tess_document_is_identifier (member->key))
    tess_document_error_at_key (self, member, path, FALSE,
                                "source name \"%s\" must start with a letter or _ and hold only letters, digits and _",
                                member->key);
  uri_node = find_source_uri (self, node, path);
  if (uri_node == NULL)
    return;
  g_autofree char *uri_path = node == uri_node ? g_strdup (path) : tess_document_path_member (path, "uri");
  if (!tess_document_expect_type (self, uri_node, uri_path, TESS_DOC_STRING))
    return;
  check_uri (self, uri_node, uri_path);
  tess_document_check_string_refs (self, uri_node, uri_path, TRUE, used);

  source = g_new0 (TessDocSource, 1);
  source->name = g_strdup (member->key);
  source->node = tess_doc_node_ref ((TessDocNode *) node);
  source->uri = g_strdup (uri_node->string);
  g_ptr_array_add (self->sources, source);
  if (tess_sql_uri_is_database (source->uri))
    {
      /* a database (tess-document-database.c) */
      tess_document_check_database_uri (self, uri_node, uri_path);
      tess_document_parse_database_source (self, source, node, path);
      if (node->type == TESS_DOC_OBJECT && tess_doc_node_get (node, "ttl"))
        {
          g_autofree char *tpath = tess_document_path_member (path, "ttl");
          tess_document_read_duration (self, tess_doc_node_get (node, "ttl"), tpath, &source->ttl);
        }
    }
  else if (node->type == TESS_DOC_OBJECT)
    {
      parse_source_members (self, source, node, path);
      tess_document_check_not_database (self, node, path);
    }
}

/* Layout */

static void
check_layout_items (TessDocument *self, const TessDocNode *items, const char *path, GHashTable *placed, guint depth);

/* A fragment id in the layout: a known fragment, placed once. */
static void
check_layout_fragment (TessDocument *self, const TessDocNode *item, const char *path, GHashTable *placed)
{
  if (tess_document_lookup_fragment (self, item->string) == NULL)
    {
      GStrvBuilder *b = g_strv_builder_new ();
      for (guint k = 0; k < self->fragments->len; k++)
        g_strv_builder_add (b, ((TessDocFragment *) g_ptr_array_index (self->fragments, k))->id);
      g_auto (GStrv) ids = g_strv_builder_end (b);
      g_strv_builder_unref (b);
      g_autofree char *hint = tess_document_did_you_mean (item->string, (const char *const *) ids);
      tess_document_error_at (self, item, path, "unknown fragment \"%s\"%s", item->string, hint);
    }
  else if (!g_hash_table_add (placed, item->string))
    tess_document_error_at (self, item, path, "fragment \"%s\" is placed twice in the layout", item->string);
}

/* The "weights" of a columns item: a positive number per column. */
static void
check_layout_weights (TessDocument *self, const TessDocNode *weights, const char *path, guint n_columns)
{
  if (!tess_document_expect_type (self, weights, path, TESS_DOC_ARRAY))
    return;
  if (tess_doc_node_get_length (weights) != n_columns)
    tess_document_error_at (self, weights, path, "give one weight per column (%u)", n_columns);
  for (guint w = 0; w < tess_doc_node_get_length (weights); w++)
    {
      TessDocNode *wn = tess_doc_node_get_index (weights, w);
      g_autofree char *wpath = tess_document_path_index (path, w);
      if (tess_document_expect_type (self, wn, wpath, TESS_DOC_NUMBER) && wn->number <= 0)
        tess_document_error_at (self, wn, wpath, "a weight is a positive number");
    }
}

/* {"columns": [[items], ...], "weights": [...]} */
static void
check_columns_item (TessDocument *self, const TessDocNode *item, const char *path, GHashTable *placed, guint depth)
{
  static const char *const column_members[] = { "columns", "weights", NULL };
  TessDocNode *cols = tess_doc_node_get (item, "columns");
  TessDocNode *weights = tess_doc_node_get (item, "weights");
  g_autofree char *cpath = tess_document_path_member (path, "columns");

  tess_document_check_members (self, item, path, column_members, "a columns layout");
  if (!tess_document_expect_type (self, cols, cpath, TESS_DOC_ARRAY))
    return;
  for (guint c = 0; c < tess_doc_node_get_length (cols); c++)
    {
      g_autofree char *ccpath = tess_document_path_index (cpath, c);
      check_layout_items (self, tess_doc_node_get_index (cols, c), ccpath, placed, depth + 1);
    }
  if (weights)
    {
      g_autofree char *wpath = tess_document_path_member (path, "weights");
      check_layout_weights (self, weights, wpath, tess_doc_node_get_length (cols));
    }
}

/* {"tabs": [{"label", "items"}, ...]} */
static void
check_tabs_item (TessDocument *self, const TessDocNode *item, const char *path, GHashTable *placed, guint depth)
{
  static const char *const tabs_members[] = { "tabs", NULL };
  static const char *const tab_members[] = { "label", "items", NULL };
  TessDocNode *tabs = tess_doc_node_get (item, "tabs");
  g_autofree char *tpath = tess_document_path_member (path, "tabs");

  tess_document_check_members (self, item, path, tabs_members, "a tabs layout");
  if (!tess_document_expect_type (self, tabs, tpath, TESS_DOC_ARRAY))
    return;
  for (guint t = 0; t < tess_doc_node_get_length (tabs); t++)
    {
      TessDocNode *tab = tess_doc_node_get_index (tabs, t);
      g_autofree char *ttpath = tess_document_path_index (tpath, t);
      g_autofree char *lpath = tess_document_path_member (ttpath, "label");
      g_autofree char *ipath = tess_document_path_member (ttpath, "items");
      if (!tess_document_expect_type (self, tab, ttpath, TESS_DOC_OBJECT))
        continue;
      tess_document_check_members (self, tab, ttpath, tab_members, "a tab");
      if (tess_doc_node_get (tab, "label") == NULL)
        tess_document_error_missing (self, tab, lpath, "missing member \"label\": the tab's title");
      else
        tess_document_expect_type (self, tess_doc_node_get (tab, "label"), lpath, TESS_DOC_STRING);
      if (tess_doc_node_get (tab, "items") == NULL)
        tess_document_error_missing (self, tab, ipath, "missing member \"items\": the fragments in the tab");
      else
        check_layout_items (self, tess_doc_node_get (tab, "items"), ipath, placed, depth + 1);
    }
}

static void
check_layout_items (TessDocument *self, const TessDocNode *items, const char *path, GHashTable *placed, guint depth)
{
  if (!tess_document_expect_type (self, items, path, TESS_DOC_ARRAY))
    return;
  if (depth > 8)
    {
      tess_document_error_at (self, items, path, "the layout is nested too deeply");
      return;
    }
  for (guint i = 0; i < tess_doc_node_get_length (items); i++)
    {
      TessDocNode *item = tess_doc_node_get_index (items, i);
      g_autofree char *ipath = tess_document_path_index (path, i);
      if (item->type == TESS_DOC_STRING)
        check_layout_fragment (self, item, ipath, placed);
      else if (item->type != TESS_DOC_OBJECT || tess_doc_node_get_length (item) == 0)
        tess_document_error_at (self, item, ipath,
                                "a layout item is a fragment id, {\"columns\": [...]} or {\"tabs\": [...]}");
      else if (tess_doc_node_get (item, "columns"))
        check_columns_item (self, item, ipath, placed, depth);
      else if (tess_doc_node_get (item, "tabs"))
        check_tabs_item (self, item, ipath, placed, depth);
      else
        {
          const TessDocMember *m = tess_doc_node_get_member_index (item, 0);
          static const char *const kinds[] = { "columns", "tabs", NULL };
          g_autofree char *hint = tess_document_did_you_mean (m->key, kinds);
          tess_document_error_at_key (self, m, ipath, FALSE,
                                      "unknown layout item \"%s\"%s; use \"columns\" or \"tabs\"", m->key, hint);
        }
    }
}

static void
parse_layout (TessDocument *self, const TessDocNode *layout)
{
  g_autoptr (GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);
  TessDocNode *n;

  if (!tess_document_expect_type (self, layout, "$.layout", TESS_DOC_OBJECT))
    return;
  tess_document_check_members (self, layout, "$.layout", layout_members, "the layout");
  self->layout = (TessDocNode *) layout;
  if ((n = tess_doc_node_get (layout, "sidebar")) != NULL && n->type != TESS_DOC_BOOL)
    {
      g_autofree char **names = NULL;
      if (tess_document_expect_type (self, n, "$.layout.sidebar", TESS_DOC_ARRAY))
        for (guint i = 0; i < tess_doc_node_get_length (n); i++)
          {
            TessDocNode *item = tess_doc_node_get_index (n, i);
            g_autofree char *ipath = tess_document_path_index ("$.layout.sidebar", i);
            if (tess_document_expect_type (self, item, ipath, TESS_DOC_STRING) &&
                !tess_document_lookup_input (self, item->string))
              {
                g_auto (GStrv) known = tess_document_get_input_names (self);
                g_autofree char *hint = tess_document_did_you_mean (item->string, (const char *const *) known);
                tess_document_error_at (self, item, ipath, "unknown input \"%s\"%s", item->string, hint);
              }
          }
    }
  if ((n = tess_doc_node_get (layout, "columns")) != NULL)
    {
      if (tess_document_expect_type (self, n, "$.layout.columns", TESS_DOC_NUMBER) &&
          (!n->is_integer || n->number < 1 || n->number > 6))
        tess_document_error_at (self, n, "$.layout.columns", "columns is a whole number from 1 to 6");
      if (tess_doc_node_get (layout, "main"))
        tess_document_error_at (self, n, "$.layout.columns",
                                "give either \"columns\" (a grid of every fragment) or \"main\", not both");
    }
  if ((n = tess_doc_node_get (layout, "main")) != NULL)
    check_layout_items (self, n, "$.layout.main", placed, 0);
}

/* Signatures */

static char *
checksum_string (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static void
compute_signatures (TessDocument *self)
{
  g_autoptr (GString) structure = g_string_new (NULL);
  TessDocNode *n;

  g_string_append_printf (structure, "base=%s;", self->base_uri ? self->base_uri : "");
  for (const char *const *key = (const char *const[]){ "title", "description", "inputs", "layout", NULL }; *key; key++)
    {
      g_string_append_printf (structure, "%s=", *key);
      if ((n = tess_doc_node_get (self->root, *key)) != NULL)
        tess_doc_node_append_string (n, structure);
      g_string_append_c (structure, ';');
    }
  for (guint i = 0; i < self->fragments->len; i++)
    {
      TessDocFragment *fragment = g_ptr_array_index (self->fragments, i);
      g_autoptr (GString) text = g_string_new (NULL);

      g_string_append_printf (structure, "fragment=%s,%d,%g;", fragment->id, fragment->parallel, fragment->run_every);

      g_string_append_printf (text, "base=%s;", self->base_uri ? self->base_uri : "");
      tess_doc_node_append_string (fragment->node, text);
      /* The sources it loads are part of what it is. */
      for (guint s = 0; s < self->sources->len; s++)
        {
          TessDocSource *source = g_ptr_array_index (self->sources, s);
          g_autofree char *needle = g_strdup_printf ("\"%s\"", source->name);
          g_autofree char *definition = tess_doc_node_to_string (fragment->node);
          if (g_strcmp0 (fragment->source, source->name) == 0 || strstr (definition, needle))
            {
              g_string_append_printf (text, ";source %s=", source->name);
              tess_doc_node_append_string (source->node, text);
            }
        }
      fragment->signature = checksum_string (text->str);
    }
  self->structure_signature = checksum_string (structure->str);
}

/* The document */

static void
tess_document_finalize (GObject *object)
{
  TessDocument *self = (TessDocument *) object;

  g_free (self->base_uri);
  g_clear_object (&self->trust);
  g_clear_pointer (&self->root, tess_doc_node_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_free (self->title);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->fragments, g_ptr_array_unref);
  g_free (self->structure_signature);

  G_OBJECT_CLASS (tess_document_parent_class)->finalize (object);
}

static void
tess_document_class_init (TessDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tess_document_finalize;
}

static void
tess_document_init (TessDocument *self)
{
  self->problems = g_ptr_array_new_with_free_func (tess_document_problem_free);
  self->inputs = g_ptr_array_new_with_free_func (tess_doc_input_free);
  self->sources = g_ptr_array_new_with_free_func (source_free);
  self->fragments = g_ptr_array_new_with_free_func (tess_doc_fragment_free);
}

/* "tessera", "title" and "description". */
static void
parse_heading (TessDocument *self, const TessDocNode *root)
{
  TessDocNode *n = tess_doc_node_get (root, "tessera");

  if (n == NULL)
    tess_document_error_missing (self, root, "$.tessera", "missing member \"tessera\": the format version, 1");
  else if (n->type != TESS_DOC_NUMBER || n->number != 1)
    tess_document_error_at (self, n, "$.tessera", "unsupported format version; this Tessera reads \"tessera\": 1");

  self->title = tess_document_optional_string (self, root, "title", "$");
  if ((n = tess_doc_node_get (root, "description")) != NULL &&
      tess_document_expect_type (self, n, "$.description", TESS_DOC_STRING))
    {
      self->description = n;
      if (strstr (n->string, "${") || tess_document_is_reference_node (n))
        tess_document_error_at (
            self, n, "$.description",
            "the description cannot show inputs (it is drawn once); use a text or markdown view in a fragment");
    }
}

/* Calls @parse for each member of the object @node at @path ("$.inputs"). */
static void
parse_each_member (TessDocument *self,
                   const TessDocNode *node,
                   const char *path,
                   void (*parse) (TessDocument *self, const TessDocMember *member, const char *path))
{
  if (!tess_document_expect_type (self, node, path, TESS_DOC_OBJECT))
    return;
  for (guint i = 0; i < tess_doc_node_get_length (node); i++)
    {
      const TessDocMember *member = tess_doc_node_get_member_index (node, i);
      g_autofree char *mpath = tess_document_path_member (path, member->key);
      parse (self, member, mpath);
    }
}

static void
parse_fragments (TessDocument *self, const TessDocNode *root)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  TessDocNode *n = tess_doc_node_get (root, "fragments");

  if (n == NULL)
    {
      tess_document_error_missing (self, root, "$.fragments",
                                   "missing member \"fragments\": the sections of the dashboard");
      return;
    }
  if (!tess_document_expect_type (self, n, "$.fragments", TESS_DOC_ARRAY))
    return;
  if (tess_doc_node_get_length (n) == 0)
    tess_document_error_at (self, n, "$.fragments", "\"fragments\" is empty: a dashboard has at least one fragment");
  for (guint i = 0; i < tess_doc_node_get_length (n); i++)
    {
      g_autofree char *path = tess_document_path_index ("$.fragments", i);
      tess_document_parse_fragment (self, tess_doc_node_get_index (n, i), i, path, ids);
    }
}

/* An input nothing reads is harmless but probably a mistake. */
static void
warn_unused_inputs (TessDocument *self)
{
  for (guint i = 0; i < self->inputs->len; i++)
    {
      TessDocInput *input = g_ptr_array_index (self->inputs, i);
      g_auto (GStrv) dependents = tess_document_get_dependents (self, input->name);
      if (dependents[0] == NULL)
        {
          g_autofree char *path = tess_document_path_member ("$.inputs", input->name);
          tess_document_add_problem (self, input->node, path, TRUE, "input \"%s\" is not used by any fragment",
                                     input->name);
        }
    }
}

static void
validate (TessDocument *self)
{
  const TessDocNode *root = self->root;
  TessDocNode *n;

  if (!tess_document_expect_type (self, root, "$", TESS_DOC_OBJECT))
    return;
  tess_document_check_members (self, root, "$", top_members, "a dashboard document");
  parse_heading (self, root);
  if ((n = tess_doc_node_get (root, "inputs")) != NULL)
    parse_each_member (self, n, "$.inputs", tess_document_parse_input);
  if ((n = tess_doc_node_get (root, "sources")) != NULL)
    parse_each_member (self, n, "$.sources", parse_source);
  parse_fragments (self, root);
  tess_document_resolve_choices (self);
  if ((n = tess_doc_node_get (root, "layout")) != NULL)
    parse_layout (self, n);
  warn_unused_inputs (self);
}

TessDocument *
tess_document_new_from_text (const char *text, gssize length, const char *base_uri)
{
  TessDocument *self = g_object_new (TESS_TYPE_DOCUMENT, NULL);
  g_autoptr (GError) error = NULL;
  guint line = 0, col = 0;

  g_return_val_if_fail (text != NULL || length == 0, self);

  self->base_uri = g_strdup (base_uri);
  self->trust = tess_trust_new (base_uri);
  self->root = tess_doc_node_parse (text ? text : "", length, &line, &col, &error);
  if (self->root == NULL)
    {
      TessDocumentProblem *problem = g_new0 (TessDocumentProblem, 1);
      problem->path = g_strdup ("$");
      problem->line = problem->sort_line = line;
      problem->col = problem->sort_col = col;
      problem->message = g_strdup (error->message);
      g_ptr_array_add (self->problems, problem);
      return self;
    }
  validate (self);
  compute_signatures (self);
  tess_document_sort_problems (self);
  return self;
}

TessDocument *
tess_document_new_from_file (GFile *file, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *uri = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;
  uri = g_file_get_uri (file);
  return tess_document_new_from_text (contents, length, uri);
}

gboolean
tess_document_is_valid (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), FALSE);
  return tess_document_get_n_errors (self) == 0;
}

GPtrArray *
tess_document_get_problems (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  return self->problems;
}

guint
tess_document_get_n_errors (TessDocument *self)
{
  guint n = 0;

  g_return_val_if_fail (TESS_IS_DOCUMENT (self), 0);
  for (guint i = 0; i < self->problems->len; i++)
    if (!((TessDocumentProblem *) g_ptr_array_index (self->problems, i))->warning)
      n++;
  return n;
}

char *
tess_document_format_problems (TessDocument *self, const char *display_name)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  for (guint i = 0; i < self->problems->len; i++)
    {
      TessDocumentProblem *problem = g_ptr_array_index (self->problems, i);
      const char *prefix = problem->warning ? "warning: " : "";
      if (problem->line > 0)
        g_string_append_printf (out, "%s:%u:%u: %s%s\n", display_name, problem->line, problem->col, prefix,
                                problem->message);
      else
        g_string_append_printf (out, "%s: %s: %s%s\n", display_name, problem->path, prefix, problem->message);
    }
  return g_string_free (out, FALSE);
}

const char *
tess_document_get_title (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  return self->title;
}

const char *
tess_document_get_base_uri (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  return self->base_uri;
}

TessTrust *
tess_document_get_trust (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  return self->trust;
}

guint
tess_document_get_n_fragments (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), 0);
  return self->fragments->len;
}

const char *
tess_document_get_fragment_id (TessDocument *self, guint index)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->fragments->len, NULL);
  return ((TessDocFragment *) g_ptr_array_index (self->fragments, index))->id;
}

TessDocInput *
tess_document_lookup_input (TessDocument *self, const char *name)
{
  for (guint i = 0; i < self->inputs->len; i++)
    {
      TessDocInput *input = g_ptr_array_index (self->inputs, i);
      if (g_str_equal (input->name, name))
        return input;
    }
  return NULL;
}

TessDocSource *
tess_document_lookup_source (TessDocument *self, const char *name)
{
  for (guint i = 0; i < self->sources->len; i++)
    {
      TessDocSource *source = g_ptr_array_index (self->sources, i);
      if (g_str_equal (source->name, name))
        return source;
    }
  return NULL;
}

TessDocFragment *
tess_document_lookup_fragment (TessDocument *self, const char *id)
{
  for (guint i = 0; i < self->fragments->len; i++)
    {
      TessDocFragment *fragment = g_ptr_array_index (self->fragments, i);
      if (g_str_equal (fragment->id, id))
        return fragment;
    }
  return NULL;
}

const char *const *
tess_document_get_fragment_inputs (TessDocument *self, const char *fragment_id)
{
  TessDocFragment *fragment;

  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (fragment_id != NULL, NULL);
  fragment = tess_document_lookup_fragment (self, fragment_id);
  return fragment ? (const char *const *) fragment->inputs : NULL;
}

char **
tess_document_get_dependents (TessDocument *self, const char *input)
{
  GStrvBuilder *builder;
  char **result;

  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->fragments->len; i++)
    {
      TessDocFragment *fragment = g_ptr_array_index (self->fragments, i);
      if (fragment->inputs && g_strv_contains ((const char *const *) fragment->inputs, input))
        g_strv_builder_add (builder, fragment->id);
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

const char *
tess_document_get_fragment_signature (TessDocument *self, const char *fragment_id)
{
  TessDocFragment *fragment;

  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  fragment = tess_document_lookup_fragment (self, fragment_id);
  return fragment ? fragment->signature : NULL;
}

const char *
tess_document_get_structure_signature (TessDocument *self)
{
  g_return_val_if_fail (TESS_IS_DOCUMENT (self), NULL);
  return self->structure_signature;
}

char *
tess_document_resolve_uri (TessDocument *self, const char *uri)
{
  g_autofree char *scheme = g_uri_parse_scheme (uri);
  g_autoptr (GFile) file = NULL;

  if (scheme != NULL)
    return g_strdup (uri);
  if (g_path_is_absolute (uri))
    {
      file = g_file_new_for_path (uri);
      return g_file_get_uri (file);
    }
  if (self->base_uri)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *resolved = g_uri_resolve_relative (self->base_uri, uri, G_URI_FLAGS_NONE, &error);
      if (resolved)
        return g_steal_pointer (&resolved);
    }
  file = g_file_new_for_path (uri);
  return g_file_get_uri (file);
}
