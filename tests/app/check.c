/* check.c: `tessera --check FILE`, end to end: its exact output and exit status.
 *
 * Runs the built tessera binary (its path is the first argument) on documents
 * written to a temporary directory.
 */
#include <gio/gio.h>

#include "tess-test-dir.h"

static const char *tessera;
static char *tmp_dir;

static const char *orders_csv = "order_id,customer,amount,placed\n"
                                "1,ada,10.5,2024-01-02\n"
                                "2,bob,3,2024-01-03\n";

/* Checks @text written as @name next to orders.csv; returns what the command
 * printed and sets @status to its exit status. */
static char *
run_check (const char *name, const char *text, int *status)
{
  g_autofree char *orders = tess_test_dir_write_file (tmp_dir, "orders.csv", orders_csv);
  g_autofree char *path = tess_test_dir_write_file (tmp_dir, name, text);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, tessera, "--check", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (process);
  return out;
}

static void
test_check_command (void)
{
  int status;
  g_autofree char *out = run_check ("typo.tessera",
                                    "{\"tessera\": 1, \"sources\": {\"o\": \"orders.csv\"},\n"
                                    " \"fragments\": [{\"id\": \"x\", \"source\": \"o\",\n"
                                    "  \"views\": [{\"type\": \"bar\", \"x\": \"customer\", \"y\": \"amout\"}]}]}\n",
                                    &status);

  g_assert_cmpint (status, ==, 1);
  g_assert_true (
      g_pattern_match_simple ("*/typo.tessera:3:51: unknown column \"amout\" (did you mean \"amount\"?)\n", out));
}

static void
test_check_command_clean (void)
{
  int status;
  g_autofree char *out = run_check ("clean.tessera",
                                    "{\"tessera\": 1, \"sources\": {\"o\": \"orders.csv\"},\n"
                                    " \"fragments\": [{\"id\": \"x\", \"source\": \"o\",\n"
                                    "  \"views\": [{\"type\": \"bar\", \"x\": \"customer\", \"y\": \"amount\"}]}]}\n",
                                    &status);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "");
}

static void
test_check_syntax_error (void)
{
  int status;
  g_autofree char *out = run_check ("broken.tessera", "{\"tessera\": 1,\n \"fragments\": [}\n", &status);

  g_assert_cmpint (status, ==, 1);
  g_assert_true (g_pattern_match_simple ("*/broken.tessera:2:16: unexpected character; expected a value*\n", out));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  tessera = argv[1];
  tmp_dir = tess_test_dir_new ("tessera-check-XXXXXX");
  g_test_add_func ("/App/check/reports-and-fails", test_check_command);
  g_test_add_func ("/App/check/clean", test_check_command_clean);
  g_test_add_func ("/App/check/syntax-error", test_check_syntax_error);
  status = g_test_run ();
  tess_test_dir_remove (tmp_dir);
  g_free (tmp_dir);
  return status;
}
