/* document-tables.c: the tables of pipeline steps and view kinds and the
 * JSON Schema (docs/dashboard.schema.json) describe the same format: the same
 * step names and view types, each with the same members. A step or view added
 * to one and not the other fails here. */
#include "tess-document-steps.h"
#include "tess-document-views.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

static JsonObject *
load_schema (JsonParser *parser)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "dashboard.schema.json", NULL);
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* The definition a "$ref": "#/$defs/NAME" points at. */
static JsonNode *
resolve_ref (JsonObject *schema, const char *ref)
{
  JsonObject *defs = json_object_get_object_member (schema, "$defs");

  g_assert_true (g_str_has_prefix (ref, "#/$defs/"));
  g_assert_true (json_object_has_member (defs, ref + strlen ("#/$defs/")));
  return json_object_get_member (defs, ref + strlen ("#/$defs/"));
}

/* Adds to @members the names an object valid against @node may have: its
 * "properties", and those of the alternatives it refers to or combines
 * ("$ref", "oneOf", "anyOf", "allOf"). Items of arrays are not the object. */
static void
collect_members (JsonObject *schema, JsonNode *node, GHashTable *members)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  if (json_object_has_member (object, "$ref"))
    collect_members (schema, resolve_ref (schema, json_object_get_string_member (object, "$ref")), members);
  if (json_object_has_member (object, "properties"))
    {
      g_autoptr (GList) names = json_object_get_members (json_object_get_object_member (object, "properties"));
      for (GList *l = names; l; l = l->next)
        g_hash_table_add (members, g_strdup (l->data));
    }
  for (const char *const *key = (const char *const[]){ "oneOf", "anyOf", "allOf", NULL }; *key; key++)
    if (json_object_has_member (object, *key))
      {
        JsonArray *alternatives = json_object_get_array_member (object, *key);
        for (guint i = 0; i < json_array_get_length (alternatives); i++)
          collect_members (schema, json_array_get_element (alternatives, i), members);
      }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* "name: a b c", the members sorted, so that a failed assertion shows both sides. */
static char *
describe_members (const char *name, GHashTable *members)
{
  g_autofree const char **sorted = (const char **) g_hash_table_get_keys_as_array (members, NULL);
  g_autofree char *joined = NULL;

  qsort (sorted, g_hash_table_size (members), sizeof (char *), compare_strings);
  joined = g_strjoinv (" ", (char **) sorted);
  return g_strdup_printf ("%s: %s", name, joined);
}

static void
assert_same_names (const char *name, GHashTable *in_schema, GHashTable *in_table)
{
  g_autofree char *schema_text = describe_members (name, in_schema);
  g_autofree char *table_text = describe_members (name, in_table);

  g_assert_cmpstr (schema_text, ==, table_text);
}

static GHashTable *
new_name_set (const char *const *names)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; names && names[i]; i++)
    g_hash_table_add (set, g_strdup (names[i]));
  return set;
}

static void
test_steps_match_the_schema (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *schema = load_schema (parser);
  JsonObject *step_def = json_object_get_object_member (json_object_get_object_member (schema, "$defs"), "step");
  JsonObject *properties = json_object_get_object_member (step_def, "properties");
  g_autoptr (GList) schema_steps = json_object_get_members (properties);
  g_autoptr (GHashTable) schema_names = new_name_set (NULL);
  g_autoptr (GHashTable) table_names = new_name_set (NULL);
  const TessDocStep *steps;
  guint n_steps;

  steps = tess_doc_steps_get (&n_steps);
  g_assert_cmpuint (n_steps, >, 0);
  for (guint i = 0; i < n_steps; i++)
    g_hash_table_add (table_names, g_strdup (steps[i].name));
  for (GList *l = schema_steps; l; l = l->next)
    g_hash_table_add (schema_names, g_strdup (l->data));
  assert_same_names ("steps", schema_names, table_names);

  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr (GHashTable) in_schema = new_name_set (NULL);
      g_autoptr (GHashTable) in_table = new_name_set (steps[i].members);

      g_assert_true (tess_doc_step_lookup (steps[i].name) == &steps[i]);
      collect_members (schema, json_object_get_member (properties, steps[i].name), in_schema);
      assert_same_names (steps[i].name, in_schema, in_table);
    }
}

/* The types one "if" of the view definition is about: "const" or "enum". */
static void
collect_condition_types (JsonObject *condition, GPtrArray *types)
{
  JsonObject *type = json_object_get_object_member (json_object_get_object_member (condition, "properties"), "type");

  if (json_object_has_member (type, "const"))
    g_ptr_array_add (types, g_strdup (json_object_get_string_member (type, "const")));
  if (json_object_has_member (type, "enum"))
    {
      JsonArray *names = json_object_get_array_member (type, "enum");
      for (guint i = 0; i < json_array_get_length (names); i++)
        g_ptr_array_add (types, g_strdup (json_array_get_string_element (names, i)));
    }
}

/* View type -> GHashTable of member names, from the "if"/"then" pairs of the
 * view definition's "allOf". */
static GHashTable *
schema_view_members (JsonObject *schema, JsonObject *view_def)
{
  GHashTable *by_type = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  JsonArray *rules = json_object_get_array_member (view_def, "allOf");

  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);
      g_autoptr (GPtrArray) types = g_ptr_array_new_with_free_func (g_free);

      collect_condition_types (json_object_get_object_member (rule, "if"), types);
      for (guint t = 0; t < types->len; t++)
        {
          const char *type = g_ptr_array_index (types, t);
          GHashTable *members = g_hash_table_lookup (by_type, type);
          if (members == NULL)
            {
              members = new_name_set (NULL);
              g_hash_table_insert (by_type, g_strdup (type), members);
            }
          collect_members (schema, json_object_get_member (rule, "then"), members);
        }
    }
  return by_type;
}

static void
test_views_match_the_schema (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *schema = load_schema (parser);
  JsonObject *view_def = json_object_get_object_member (json_object_get_object_member (schema, "$defs"), "view");
  JsonObject *type = json_object_get_object_member (json_object_get_object_member (view_def, "properties"), "type");
  JsonArray *schema_types = json_object_get_array_member (type, "enum");
  g_autoptr (GHashTable) by_type = schema_view_members (schema, view_def);
  g_autoptr (GHashTable) schema_names = new_name_set (NULL);
  g_autoptr (GHashTable) table_names = new_name_set (NULL);
  const TessDocView *views;
  guint n_views;

  views = tess_doc_views_get (&n_views);
  g_assert_cmpuint (n_views, >, 0);
  for (guint i = 0; i < n_views; i++)
    g_hash_table_add (table_names, g_strdup (views[i].name));
  for (guint i = 0; i < json_array_get_length (schema_types); i++)
    g_hash_table_add (schema_names, g_strdup (json_array_get_string_element (schema_types, i)));
  assert_same_names ("views", schema_names, table_names);
  /* Every type has its members in the schema, and no rule names another type. */
  assert_same_names ("views", by_type, table_names);

  for (guint i = 0; i < n_views; i++)
    {
      g_autoptr (GHashTable) in_table = new_name_set (views[i].members);

      g_assert_true (tess_doc_view_lookup (views[i].name) == &views[i]);
      assert_same_names (views[i].name, g_hash_table_lookup (by_type, views[i].name), in_table);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Documents/tables/steps-match-the-schema", test_steps_match_the_schema);
  g_test_add_func ("/Documents/tables/views-match-the-schema", test_views_match_the_schema);
  return g_test_run ();
}
