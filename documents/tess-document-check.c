/* tess-document-check.c: the column checks behind `tessera --check FILE`.
 *
 * The document's own rules are checked when it is parsed; this adds what needs
 * the data: every column a pipeline step or a view names must exist at that
 * point of the pipeline, for sources that can be read locally and for
 * databases, whose live catalog gives a table's columns (and says which
 * steps of a pipeline over it run on this computer). The column an input's
 * options come from is checked the same way. A database that cannot be
 * reached is said so, and not checked.
 */
#include "tess-document-open.h"
#include "tess-document-pipeline.h"
#include "tess-document-private.h"
#include "tess-document-sql.h"
#include "tess-source.h"

#include <string.h>

typedef struct
{
  TessDocument *document;
  GHashTable *columns; /* source name -> char** (NULL entry: could not be read) */
} ColumnCache;

static gboolean
source_is_checkable (TessDocSource *source)
{
  /* A database is asked for its catalog (a database address holds no
   * inputs). A URI built from inputs is only known when the dashboard runs. */
  if (tess_doc_source_is_database (source))
    return TRUE;
  return strstr (source->uri, "${") == NULL && tess_document_uri_is_local (source->uri);
}

static char **
source_columns (TessDocSource *source, gpointer user_data)
{
  ColumnCache *cache = user_data;
  char **columns;
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  g_autofree char *path = NULL;

  if (g_hash_table_lookup_extended (cache->columns, source->name, NULL, (gpointer *) &columns))
    return g_strdupv (columns);
  if (!source_is_checkable (source))
    return NULL;

  if (tess_doc_source_is_database (source))
    {
      /* the live catalog; a problem when the server refuses the table or query */
      columns = tess_document_check_database_source (cache->document, source);
      g_hash_table_insert (cache->columns, g_strdup (source->name), columns);
      return g_strdupv (columns);
    }
  frame = tess_document_load_source_sync (cache->document, source, NULL, &error);
  if (frame == NULL)
    {
      path = g_strdup_printf ("$.sources.%s", source->name);
      tess_document_add_problem (cache->document, source->node, path, FALSE, "cannot read source \"%s\": %s",
                                 source->name, error->message);
      g_hash_table_insert (cache->columns, g_strdup (source->name), NULL);
      return NULL;
    }
  columns = g_new0 (char *, tess_frame_get_n_columns (frame) + 1);
  for (guint i = 0; i < tess_frame_get_n_columns (frame); i++)
    columns[i] = g_strdup (tess_column_get_name (tess_frame_get_column (frame, i)));
  g_hash_table_insert (cache->columns, g_strdup (source->name), columns);
  return g_strdupv (columns);
}

void
tess_document_check_columns (TessDocument *self)
{
  ColumnCache cache = { self, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev) };

  g_return_if_fail (TESS_IS_DOCUMENT (self));

  /* A document that does not parse has nothing to follow. */
  if (self->root == NULL)
    {
      g_hash_table_unref (cache.columns);
      return;
    }
  for (guint i = 0; i < self->fragments->len; i++)
    {
      TessDocFragment *fragment = g_ptr_array_index (self->fragments, i);
      TessDocSource *source = fragment->source ? tess_document_lookup_source (self, fragment->source) : NULL;
      g_auto (GStrv) columns = source ? source_columns (source, &cache) : NULL;

      if (columns != NULL)
        tess_document_check_fragment_columns (self, fragment, (const char *const *) columns, source_columns, &cache);
      /* which steps a database computes, and which run here */
      if (tess_doc_source_is_database (source))
        tess_document_check_pushdown (self, fragment, columns != NULL);
    }
  /* an input's options from data: the column must be there after its pipeline */
  for (guint i = 0; i < self->inputs->len; i++)
    {
      TessDocInput *input = g_ptr_array_index (self->inputs, i);
      TessDocSource *source = input->choices ? tess_document_lookup_source (self, input->choices->source) : NULL;
      g_auto (GStrv) columns = source ? source_columns (source, &cache) : NULL;

      if (columns != NULL)
        {
          tess_document_check_fragment_columns (self, input->choices, (const char *const *) columns, source_columns,
                                                &cache);
          if (!tess_doc_source_is_database (source))
            tess_document_check_choice_default (self, input);
        }
    }
  g_hash_table_unref (cache.columns);
  tess_document_sort_problems (self);
}

/* Reads a document from a path or URL. Blocks. */
char *
tess_document_read_target (const char *target, char **base_uri, GError **error)
{
  g_autofree char *scheme = g_uri_parse_scheme (target);
  g_autoptr (GFile) file = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (scheme && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https")))
    {
      g_autoptr (GBytes) bytes = tess_source_fetch (target, NULL, NULL, NULL, NULL, NULL, error);
      if (bytes == NULL)
        return NULL;
      if (memchr (g_bytes_get_data (bytes, NULL), '\0', g_bytes_get_size (bytes)) != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not a text document", target);
          return NULL;
        }
      *base_uri = g_strdup (target);
      return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  if (scheme && !g_str_equal (scheme, "file") && !g_str_equal (scheme, "resource"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Cannot open \"%s\": use a path, or a file:, resource:, http: or https: URI", target);
      return NULL;
    }
  file = scheme ? g_file_new_for_uri (target) : g_file_new_for_commandline_arg (target);
  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;
  *base_uri = g_file_get_uri (file);
  return contents;
}
