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

