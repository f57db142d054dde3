/* tess-document-rules.c: what every part of the document parser shares.
 *
 * Problems with their positions (and the order they are reported in),
 * "did you mean" suggestions, JSON paths, type and member checks, optional
 * members, input references, ${env:NAME} and durations. Each check adds a
 * problem to the document for what it finds wrong and returns, so that
 * validation carries on and `tessera --check` reports everything at once.
 *
 * ${env:NAME} is allowed only in a source's uri, headers and password. Every string
 * member of an object whose members are checked, every optional string and
 * every string whose references are checked is looked at, so no string of the
 * document escapes the rule; a string looked at twice is reported once.
 */
#include "tess-document-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Problems */

void
tess_document_problem_free (gpointer data)
{
  TessDocumentProblem *problem = data;

  g_free (problem->path);
  g_free (problem->message);
  g_free (problem);
}

G_GNUC_PRINTF (8, 0)
static void
add_problem_valist (TessDocument *self,
                    guint line,
                    guint col,
                    guint sort_line,
                    guint sort_col,
                    const char *path,
                    gboolean warning,
                    const char *format,
                    va_list args)
{
  TessDocumentProblem *problem = g_new0 (TessDocumentProblem, 1);

  problem->path = g_strdup (path ? path : "$");
  problem->line = line;
  problem->col = col;
  problem->sort_line = sort_line;
  problem->sort_col = sort_col;
  problem->warning = warning;
  problem->message = g_strdup_vprintf (format, args);
  g_ptr_array_add (self->problems, problem);
}

void
tess_document_add_problem (
    TessDocument *self, const TessDocNode *node, const char *path, gboolean warning, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  add_problem_valist (self, node ? node->line : 0, node ? node->col : 0, node ? node->line : 0, node ? node->col : 0,
                      path, warning, format, args);
  va_end (args);
}

void
tess_document_error_at (TessDocument *self, const TessDocNode *node, const char *path, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  add_problem_valist (self, node ? node->line : 0, node ? node->col : 0, node ? node->line : 0, node ? node->col : 0,
                      path, FALSE, format, args);
  va_end (args);
}

void
tess_document_error_at_key (
    TessDocument *self, const TessDocMember *member, const char *path, gboolean warning, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  add_problem_valist (self, member->key_line, member->key_col, member->key_line, member->key_col, path, warning, format,
                      args);
  va_end (args);
}

/* A missing member has no position of its own: the problem names its path and
 * sorts at the object it is missing from. */
void
tess_document_error_missing (TessDocument *self, const TessDocNode *parent, const char *path, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  add_problem_valist (self, 0, 0, parent ? parent->line : 0, parent ? parent->col : 0, path, FALSE, format, args);
  va_end (args);
}

static int
compare_problems (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const TessDocumentProblem *pa = *(TessDocumentProblem *const *) a;
  const TessDocumentProblem *pb = *(TessDocumentProblem *const *) b;

  if (pa->sort_line != pb->sort_line)
    return pa->sort_line < pb->sort_line ? -1 : 1;
  if (pa->sort_col != pb->sort_col)
    return pa->sort_col < pb->sort_col ? -1 : 1;
  return 0;
}

void
tess_document_sort_problems (TessDocument *self)
{
  /* g_qsort_with_data is a stable sort: equal positions keep the order found. */
  g_qsort_with_data (self->problems->pdata, self->problems->len, sizeof (gpointer), compare_problems, NULL);
}

/* Suggestions */

static guint
edit_distance (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  if (la > 64 || lb > 64)
    return G_MAXUINT;
  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];
      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
          guint best = MIN (row[j] + 1, row[j - 1] + 1);
          row[j] = MIN (best, diag + cost);
          diag = up;
        }
    }
  return row[lb];
}

const char *
tess_document_suggest (const char *word, const char *const *candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  guint limit;

  g_return_val_if_fail (word != NULL, NULL);
  if (candidates == NULL)
    return NULL;
  limit = strlen (word) <= 3 ? 1 : MAX (2, (guint) strlen (word) / 3);
  for (guint i = 0; candidates[i]; i++)
    {
      guint d = edit_distance (word, candidates[i]);
      if (d < best_distance)
        {
          best_distance = d;
          best = candidates[i];
        }
    }
  if (best_distance > limit || (best_distance >= strlen (word) && !g_str_has_prefix (best, word)))
    return NULL;
  return best;
}

/* " (did you mean "x"?)" or "" ; transfer full */
char *
tess_document_did_you_mean (const char *word, const char *const *candidates)
{
  const char *s = tess_document_suggest (word, candidates);
  return s ? g_strdup_printf (" (did you mean \"%s\"?)", s) : g_strdup ("");
}

/* Paths */

gboolean
tess_document_is_identifier (const char *s)
{
  if (s == NULL || !(g_ascii_isalpha (*s) || *s == '_'))
    return FALSE;
  for (s++; *s; s++)
    if (!(g_ascii_isalnum (*s) || *s == '_'))
      return FALSE;
  return TRUE;
}

char *
tess_document_path_member (const char *parent, const char *key)
{
  if (tess_document_is_identifier (key))
    return g_strdup_printf ("%s.%s", parent, key);
  g_autofree char *escaped = g_strescape (key, NULL);
  return g_strdup_printf ("%s[\"%s\"]", parent, escaped);
}

char *
tess_document_path_index (const char *parent, guint index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

char *
tess_document_quoted_list (const char *const *strv)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; strv[i]; i++)
    g_string_append_printf (out, "%s\"%s\"", i == 0 ? "" : (strv[i + 1] ? ", " : " or "), strv[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ${env:NAME} */

#define ENV_ONLY_IN_SOURCES                                                                                            \
  "environment variables (${env:NAME}) may only be used in a source's uri, headers and password"

/* Past one member or index of a JSON path: ".name", "[\"na\\\"me\"]" or "[3]";
 * NULL when @p holds none. */
static const char *
skip_path_step (const char *p)
{
  if (*p == '.')
    {
      p++;
      if (!(g_ascii_isalpha (*p) || *p == '_'))
        return NULL;
      while (g_ascii_isalnum (*p) || *p == '_')
        p++;
      return p;
    }
  if (p[0] == '[' && p[1] == '"')
    {
      for (p += 2; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
          p++;
      return p[0] == '"' && p[1] == ']' ? p + 2 : NULL;
    }
  if (p[0] == '[' && g_ascii_isdigit (p[1]))
    {
      for (p++; g_ascii_isdigit (*p); p++)
        ;
      return *p == ']' ? p + 1 : NULL;
    }
  return NULL;
}

/* A source's uri, headers and password, the only places ${env:NAME} may be:
 * $.sources.NAME (a source written as its URI), $.sources.NAME.uri,
 * $.sources.NAME.password (a database's) and $.sources.NAME.headers.HEADER. */
static gboolean
env_allowed_at (const char *path)
{
  const char *p;

  if (!g_str_has_prefix (path, "$.sources"))
    return FALSE;
  p = skip_path_step (path + strlen ("$.sources"));
  if (p == NULL)
    return FALSE;
  if (*p == '\0' || g_str_equal (p, ".uri") || g_str_equal (p, ".password"))
    return TRUE;
  if (!g_str_has_prefix (p, ".headers"))
    return FALSE;
  p = skip_path_step (p + strlen (".headers"));
  return p != NULL && *p == '\0';
}

/* The problem for ${env:NAME} in the string @node, once per string. */
static void
report_env (TessDocument *self, const TessDocNode *node, const char *path)
{
  for (guint i = 0; i < self->problems->len; i++)
    {
      TessDocumentProblem *problem = g_ptr_array_index (self->problems, i);
      if (problem->line == node->line && problem->col == node->col &&
          g_str_equal (problem->message, ENV_ONLY_IN_SOURCES))
        return;
    }
  tess_document_error_at (self, node, path, ENV_ONLY_IN_SOURCES);
}

/* ${env:NAME} in the string @node, or in the strings of the array @node (at
 * any depth), where @path does not allow it. Objects are left to the checks
 * of their own members. */
static void
check_env (TessDocument *self, const TessDocNode *node, const char *path)
{
  if (node->type == TESS_DOC_STRING)
    {
      if (strstr (node->string, "${env:") != NULL && !env_allowed_at (path))
        report_env (self, node, path);
    }
  else if (node->type == TESS_DOC_ARRAY)
    for (guint i = 0; i < tess_doc_node_get_length (node); i++)
      {
        g_autofree char *ipath = tess_document_path_index (path, i);
        check_env (self, tess_doc_node_get_index (node, i), ipath);
      }
}

/* Type checks */

gboolean
tess_document_expect_type (TessDocument *self, const TessDocNode *node, const char *path, TessDocNodeType type)
{
  if (node->type == type)
    return TRUE;
  tess_document_error_at (self, node, path, "expected %s, found %s", tess_doc_node_type_to_string (type),
                          tess_doc_node_type_to_string (node->type));
  return FALSE;
}

void
tess_document_check_members (
    TessDocument *self, const TessDocNode *node, const char *path, const char *const *allowed, const char *what)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < tess_doc_node_get_length (node); i++)
    {
      const TessDocMember *member = tess_doc_node_get_member_index (node, i);
      g_autofree char *mpath = tess_document_path_member (path, member->key);
      if (!g_hash_table_add (seen, member->key))
        tess_document_error_at_key (self, member, mpath, FALSE, "\"%s\" is given twice in %s", member->key, what);
      if (!tess_document_strv_contains (allowed, member->key))
        {
          g_autofree char *hint = tess_document_did_you_mean (member->key, allowed);
          tess_document_error_at_key (self, member, mpath, FALSE, "unknown member \"%s\" in %s%s", member->key, what,
                                      hint);
        }
      /* The description has a stricter rule of its own: no ${ at all. */
      if (!(node == self->root && g_str_equal (member->key, "description")))
        check_env (self, member->value, mpath);
    }
}

/* Optional members */

double
tess_document_optional_number (
    TessDocument *self, const TessDocNode *object, const char *key, const char *path, double fallback)
{
  TessDocNode *node = tess_doc_node_get (object, key);
  g_autofree char *mpath = tess_document_path_member (path, key);

  if (node == NULL || !tess_document_expect_type (self, node, mpath, TESS_DOC_NUMBER))
    return fallback;
  return node->number;
}

char *
tess_document_optional_string (TessDocument *self, const TessDocNode *object, const char *key, const char *path)
{
  TessDocNode *node = tess_doc_node_get (object, key);
  g_autofree char *mpath = tess_document_path_member (path, key);

  if (node == NULL || !tess_document_expect_type (self, node, mpath, TESS_DOC_STRING))
    return NULL;
  check_env (self, node, mpath);
  return g_strdup (node->string);
}

gboolean
tess_document_optional_bool (
    TessDocument *self, const TessDocNode *object, const char *key, const char *path, gboolean fallback)
{
  TessDocNode *node = tess_doc_node_get (object, key);
  g_autofree char *mpath = tess_document_path_member (path, key);

  if (node == NULL || !tess_document_expect_type (self, node, mpath, TESS_DOC_BOOL))
    return fallback;
  return node->boolean;
}

/* A boolean member that may also be an input reference ("$name"). */
void
tess_document_optional_bool_or_ref (TessDocument *self, const TessDocNode *object, const char *key, const char *path)
{
  TessDocNode *node = tess_doc_node_get (object, key);
  g_autofree char *mpath = tess_document_path_member (path, key);

  if (node == NULL || tess_document_is_reference_node (node))
    return;
  tess_document_expect_type (self, node, mpath, TESS_DOC_BOOL);
}

/* Input references */

char *
tess_document_parse_reference (const char *value)
{
  if (value == NULL || value[0] != '$' || value[1] == '$' || value[1] == '{')
    return NULL;
  if (!tess_document_is_identifier (value + 1))
    return NULL;
  return g_strdup (value + 1);
}

void
tess_document_collect_substitutions (const char *text, GHashTable *names)
{
  for (const char *p = text; p && (p = strstr (p, "${")) != NULL;)
    {
      if (p > text && p[-1] == '$')
        {
          p += 2;
          continue;
        }
      const char *end = strchr (p, '}');
      if (end == NULL)
        break;
      g_autofree char *name = g_strndup (p + 2, end - p - 2);
      if (!g_str_has_prefix (name, "env:"))
        g_hash_table_add (names, g_steal_pointer (&name));
      p = end + 1;
    }
}

char **
tess_document_get_input_names (TessDocument *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();

  for (guint i = 0; i < self->inputs->len; i++)
    g_strv_builder_add (builder, ((TessDocInput *) g_ptr_array_index (self->inputs, i))->name);
  char **names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/* Checks every input reference in the string @node and adds the names to @used.
 * ${env:NAME} is allowed only where @env_allowed. */
void
tess_document_check_string_refs (
    TessDocument *self, const TessDocNode *node, const char *path, gboolean env_allowed, GHashTable *used)
{
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) known = tess_document_get_input_names (self);
  g_autofree char *ref = tess_document_parse_reference (node->string);
  GHashTableIter iter;
  const char *name;

  if (ref)
    g_hash_table_add (names, g_steal_pointer (&ref));
  else if (node->string[0] == '$' && node->string[1] != '$' && node->string[1] != '{')
    tess_document_error_at (self, node, path,
                            "\"%s\" is not a valid input reference: write \"$name\" with letters, digits and _, "
                            "or \"$$\" for a literal \"$\"",
                            node->string);
  tess_document_collect_substitutions (node->string, names);

  if (strstr (node->string, "${env:") != NULL && !env_allowed)
    report_env (self, node, path);

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      if (tess_document_strv_contains ((const char *const *) known, name))
        {
          if (used)
            g_hash_table_add (used, g_strdup (name));
        }
      else
        {
          g_autofree char *hint = tess_document_did_you_mean (name, (const char *const *) known);
          tess_document_error_at (self, node, path, "unknown input \"%s\"%s", name, hint);
        }
    }
}

gboolean
tess_document_is_reference_node (const TessDocNode *node)
{
  g_autofree char *ref = NULL;

  if (node->type != TESS_DOC_STRING)
    return FALSE;
  ref = tess_document_parse_reference (node->string);
  return ref != NULL;
}

/* Durations: seconds as a number, or a string such as "500ms", "5s", "2m", "1h";
 * from 0 to TESS_DOC_MAX_DURATION, so every duration the document states is
 * one the run waits exactly. */
gboolean
tess_document_read_duration (TessDocument *self, const TessDocNode *node, const char *path, double *out)
{
  double seconds = -1;

  if (node->type == TESS_DOC_NUMBER)
    {
      if (node->number < 0)
        {
          tess_document_error_at (self, node, path, "a duration cannot be negative");
          return FALSE;
        }
      seconds = node->number;
    }
  else if (node->type == TESS_DOC_STRING)
    {
      char *end = NULL;
      double v = g_ascii_strtod (node->string, &end);
      double scale = -1;
      if (end != node->string && v >= 0 && isfinite (v))
        {
          if (g_str_equal (end, "ms"))
            scale = 0.001;
          else if (g_str_equal (end, "s") || *end == '\0')
            scale = 1;
          else if (g_str_equal (end, "m") || g_str_equal (end, "min"))
            scale = 60;
          else if (g_str_equal (end, "h"))
            scale = 3600;
        }
      if (scale > 0)
        seconds = v * scale;
    }
  if (seconds < 0)
    {
      tess_document_error_at (
          self, node, path,
          "expected a duration: seconds as a number, or a string such as \"500ms\", \"5s\", \"2m\" or \"1h\"");
      return FALSE;
    }
  if (!(seconds <= TESS_DOC_MAX_DURATION))
    {
      g_autofree char *written = node->type == TESS_DOC_NUMBER ? g_strdup_printf ("%g seconds", node->number)
                                                               : g_strdup_printf ("\"%s\"", node->string);
      tess_document_error_at (self, node, path, "%s is too long: a duration is at most 24 hours (\"24h\", %g seconds)",
                              written, TESS_DOC_MAX_DURATION);
      return FALSE;
    }
  *out = seconds;
  return TRUE;
}
