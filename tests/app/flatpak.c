/* flatpak.c: the Flatpak manifest parses and says what the app needs.
 *
 * flatpak-builder is not available where the tests run, so the manifest is
 * read as the JSON it is: the app id, the command, the GNOME runtime and SDK,
 * the permissions (network among them), a meson build of Tessera and a
 * module for cmark-gfm, which the runtime lacks.
 */
#include <json-glib/json-glib.h>
#include <stdlib.h>

static JsonObject *
load_manifest (JsonParser *parser)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "flatpak", "io.github.tessera.Tessera.json", NULL);
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static gboolean
array_has_string (JsonArray *array, const char *wanted)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), wanted) == 0)
      return TRUE;
  return FALSE;
}

static void
test_identity (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser);
  const char *id = json_object_has_member (manifest, "id") ? json_object_get_string_member (manifest, "id")
                                                           : json_object_get_string_member (manifest, "app-id");

  g_assert_cmpstr (id, ==, "io.github.tessera.Tessera");
  g_assert_cmpstr (json_object_get_string_member (manifest, "command"), ==, "tessera");
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");
  g_assert_cmpint (atoi (json_object_get_string_member (manifest, "runtime-version")), >=, 45);
}

static void
test_permissions (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *args = json_object_get_array_member (load_manifest (parser), "finish-args");
  const char *wanted[] = { "--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
                           "--device=dri" };

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    if (!array_has_string (args, wanted[i]))
      g_error ("finish-args lacks %s", wanted[i]);
  /* A document's data files sit next to it, and the file chooser grants the
   * document alone: the home folder is readable, never writable (the
   * metainfo says why). */
  g_assert_true (array_has_string (args, "--filesystem=home:ro"));
  g_assert_false (array_has_string (args, "--filesystem=home"));
  /* Not more than the app needs: no blanket access to the host. */
  g_assert_false (array_has_string (args, "--filesystem=host"));
  g_assert_false (array_has_string (args, "--socket=x11"));
}

static void
test_modules (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *modules = json_object_get_array_member (load_manifest (parser), "modules");
  JsonObject *last = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
  gboolean has_cmark = FALSE;

  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonObject *module = json_array_get_object_element (modules, i);
      JsonArray *sources = json_object_get_array_member (module, "sources");

      g_assert_nonnull (sources);
      g_assert_cmpuint (json_array_get_length (sources), >, 0);
      if (g_strcmp0 (json_object_get_string_member (module, "name"), "cmark-gfm") == 0)
        {
          JsonObject *source = json_array_get_object_element (sources, 0);
          has_cmark = TRUE;
          /* Pinned, so the build is reproducible. */
          g_assert_true (json_object_has_member (source, "commit") || json_object_has_member (source, "sha256"));
        }
    }
  g_assert_true (has_cmark);
  g_assert_cmpstr (json_object_get_string_member (last, "name"), ==, "tessera");
  g_assert_cmpstr (json_object_get_string_member (last, "buildsystem"), ==, "meson");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Flatpak/identity", test_identity);
  g_test_add_func ("/Flatpak/permissions", test_permissions);
  g_test_add_func ("/Flatpak/modules", test_modules);
  return g_test_run ();
}
