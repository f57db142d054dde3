/* tess-app-pending.c: entry points whose real implementation has not landed
 * yet. Each definition here is deleted when its real one lands. */
#include "tess-app-private.h"

#include <stdio.h>

int
tess_app_describe (TessAppOptions *options)
{
  g_printerr ("--describe is not available in this build\n");
  return 1;
}

int
tess_app_check (TessAppOptions *options)
{
  g_printerr ("--check is not available in this build\n");
  return 1;
}

gboolean
tess_app_open_target (TessAppOptions *options, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Opening %s is not available in this build",
               options->target);
  return FALSE;
}
