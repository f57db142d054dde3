/* seed.c: the proposal's toy example, timed through the real program.
 *
 * Runs examples/seed-dashboard --headless --timeline twice, with its three
 * sections parallel and sequential, and reports the timeline's total:
 *
 *   fragments.seed_parallel_s    (goal <= 2.05)
 *   fragments.seed_sequential_s  (about 6)
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tess-test-dir.h"

static double
seed_total_s (const char *program, gboolean sequential)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = tess_test_dir_new ("tessera-seed-XXXXXX");
  g_autofree char *timeline = g_build_filename (dir, "timeline.json", NULL);
  g_autofree char *option = g_strconcat ("--timeline=", timeline, NULL);
  double total;

  g_assert_no_error (error);
  if (sequential)
    g_subprocess_launcher_setenv (launcher, "SEED_SEQUENTIAL", "1", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, program, "--headless", option, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_file (parser, timeline, &error);
  g_assert_no_error (error);
  total = json_object_get_double_member (json_node_get_object (json_parser_get_root (parser)), "total_ms") / 1000;
  tess_test_dir_remove (dir);
  return total;
}

int
main (int argc, char **argv)
{
  g_assert_cmpint (argc, ==, 2);
  g_print ("bench: fragments.seed_parallel_s %.3f s (goal <= 2.05)\n", seed_total_s (argv[1], FALSE));
  g_print ("bench: fragments.seed_sequential_s %.3f s (about 6)\n", seed_total_s (argv[1], TRUE));
  return 0;
}
