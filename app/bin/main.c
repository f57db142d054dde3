/* main.c: the tessera binary.
 *
 * tessera [DASHBOARD|DATA FILE|URL] opens a dashboard document or an automatic
 * dashboard for a data file; with no argument, the built-in default dashboard.
 */
#include <tessera.h>

int
main (int argc, char **argv)
{
  return tess_app_run ("io.github.tessera.Tessera", NULL, NULL, argc, argv);
}
