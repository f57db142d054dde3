/* tess-app.h: the entry point of every Tessera program.
 *
 * A C dashboard's main() is one call:
 *
 *   int main (int argc, char **argv)
 *   {
 *     return tess_app_run ("org.example.Sales", sales_dashboard, NULL, argc, argv);
 *   }
 *
 * and accepts the same options as the tessera binary: --headless,
 * --timeline=FILE, --set KEY=VALUE, --screenshot=FILE.png, --size=WxH.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include "tess-run.h"

G_BEGIN_DECLS

/**
 * tess_app_run:
 * @dashboard: (scope call) (nullable):
 * @user_data: (closure dashboard):
 * @argv: (array length=argc) (element-type filename) (nullable):
 *
 * Runs @dashboard in a window (or once, headless) until the user quits.
 * Returns the process exit status. Main thread only.
 */
int tess_app_run (const char *app_id, TessFragmentFunc dashboard, gpointer user_data, int argc, char **argv);
/**
 * tess_app_run_full:
 * @name: (nullable):
 * @version: (nullable):
 * @dashboard: (scope notified) (nullable) (closure user_data) (destroy user_data_free):
 * @user_data_free: (nullable):
 * @argv: (array length=argc) (element-type filename) (nullable):
 *
 * tess_app_run() for a program with a name and version of its own (About,
 * --version, the window's title; NULL: the last part of @app_id, and no
 * version), which frees @user_data with @user_data_free when it returns.
 */
int tess_app_run_full (const char *app_id,
                       const char *name,
                       const char *version,
                       TessFragmentFunc dashboard,
                       gpointer user_data,
                       GDestroyNotify user_data_free,
                       int argc,
                       char **argv);

G_END_DECLS
