/* tess-document-steps-columns.c: the columns each pipeline step uses, for a
 * fragment that loads only those (TessLoadOptions.columns).
 *
 * The pipeline is followed backwards from the columns its views show: each
 * step's columns_before member (tess-document-steps.h) turns the columns used
 * after it into those used before it. A step adds every column it names,
 * used later or not, so that a name the data lacks still fails in that step
 * with the words it always had; it drops the columns it makes ("as"), and
 * passes the others through. A step that makes every column after it
 * (select, group_by) uses its own only, however many came after (a table of
 * the whole result). A step whose use cannot be told from its argument (a
 * join, whose other side may bring any name) uses every column.
 */
#include "tess-document-steps-private.h"

#include <string.h>

/* Adds the text of @node (a column name, "$input" included) to @needed. */
static void
need_name (GHashTable *needed, const TessDocNode *node, GHashTable *values)
{
  if (node)
    g_hash_table_add (needed, tess_document_node_to_text (node, values));
}

/* Adds a name, an array of names or a multiselect input's names. */
static void
need_names (GHashTable *needed, const TessDocNode *node, GHashTable *values)
{
  g_auto (GStrv) names = node ? tess_doc_step_node_to_names (node, values) : NULL;

  for (guint i = 0; names && names[i]; i++)
    g_hash_table_add (needed, g_strdup (names[i]));
}

/* Drops the column a step makes under the name @as gives. */
static void
drop_made (GHashTable *needed, const TessDocNode *as, GHashTable *values)
{
  g_autofree char *name = as ? tess_document_node_to_text (as, values) : NULL;

  if (name)
    g_hash_table_remove (needed, name);
}

static void
need_condition (GHashTable *needed, const TessDocNode *cond, GHashTable *values)
{
  TessDocNode *list;

  if ((list = tess_doc_node_get (cond, "all")) != NULL || (list = tess_doc_node_get (cond, "any")) != NULL)
    for (guint i = 0; i < tess_doc_node_get_length (list); i++)
      need_condition (needed, tess_doc_node_get_index (list, i), values);
  else
    need_name (needed, tess_doc_node_get (cond, "column"), values);
}

void
filter_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use)
{
  need_condition (use->names, arg, values);
}

/* What comes after sees the selected columns only. */
void
select_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use)
{
  g_hash_table_remove_all (use->names);
  use->all = FALSE;
  need_names (use->names, arg, values);
}

void
rename_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use)
{
  /* renames apply in order: followed backwards, last first */
  for (guint i = tess_doc_node_get_length (arg); i > 0; i--)
    {
      const TessDocMember *m = tess_doc_node_get_member_index (arg, i - 1);
      drop_made (use->names, m->value, values);
      g_hash_table_add (use->names, g_strdup (m->key));
    }
}

void
sort_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use)
{
  guint n = arg->type == TESS_DOC_ARRAY ? tess_doc_node_get_length (arg) : 1;

  for (guint i = 0; i < n; i++)
    {
      const TessDocNode *key = arg->type == TESS_DOC_ARRAY ? tess_doc_node_get_index (arg, i) : arg;
      need_name (use->names, key->type == TESS_DOC_OBJECT ? tess_doc_node_get (key, "column") : key, values);
    }
}

/* head and tail keep every column. */
void
rows_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use)
{
}

/* What comes after sees the keys and the aggregates only. */
void
group_by_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use)
{
  TessDocNode *aggs = tess_doc_node_get (arg, "aggregates");

  g_hash_table_remove_all (use->names);
  use->all = FALSE;
  need_names (use->names, tess_doc_node_get (arg, "keys"), values);
  for (guint a = 0; aggs && a < tess_doc_node_get_length (aggs); a++)
    need_name (use->names, tess_doc_node_get (tess_doc_node_get_index (aggs, a), "column"), values);
}

/* bucket and rolling: a column in, one made from it (or it, replaced). */
void
column_to_column_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use)
{
  drop_made (use->names, tess_doc_node_get (arg, "as"), values);
  need_name (use->names, tess_doc_node_get (arg, "column"), values);
}

/* Every bare name in the expression is a column; a name followed by "(" is a
 * function and a name in backticks always a column. A word that is none
 * (a keyword) asks for a column the data lacks, which costs nothing. */
void
derive_columns_before (const TessDocStep *step, const TessDocNode *arg, GHashTable *values, TessDocColumnUse *use)
{
  g_autofree char *expr = tess_document_node_to_text (tess_doc_node_get (arg, "expr"), values);

  drop_made (use->names, tess_doc_node_get (arg, "as"), values);
  for (const char *p = expr; *p;)
    {
      const char *word = p;
      const char *after;

      if (*p == '`')
        {
          const char *close = strchr (p + 1, '`');
          if (close == NULL)
            break;
          g_hash_table_add (use->names, g_strndup (p + 1, close - p - 1));
          p = close + 1;
        }
      else if (g_ascii_isalpha (*p) || *p == '_')
        {
          while (g_ascii_isalnum (*p) || *p == '_' || *p == '.')
            p++;
          for (after = p; *after == ' '; after++)
            ;
          if (*after != '(')
            g_hash_table_add (use->names, g_strndup (word, p - word));
        }
      else if (g_ascii_isdigit (*p) || *p == '.')
        while (g_ascii_isalnum (*p) || *p == '.')
          p++;
      else
        p++;
    }
}
