/* tess-application.h: TessApplication, the GtkApplication of a Tessera window.
 *
 * Holds the command line's options, the app-wide actions (About, Preferences,
 * Quit) and their accelerators, and the session whose timeline is written at
 * exit.
 */
#pragma once

#include <adwaita.h>

#include "tess-app-private.h"

G_BEGIN_DECLS

#define TESS_TYPE_APPLICATION (tess_application_get_type ())
G_DECLARE_FINAL_TYPE (TessApplication, tess_application, TESS, APPLICATION, AdwApplication)

/* @options must outlive the application. Main thread only. */
TessApplication *tess_application_new (TessAppOptions *options);
TessAppOptions *tess_application_get_options (TessApplication *self);
/* The session shown last, whose timeline --timeline writes at exit. */
void tess_application_set_session (TessApplication *self, TessSession *session);
TessSession *tess_application_get_session (TessApplication *self);
void tess_application_set_exit_status (TessApplication *self, int status);
int tess_application_get_exit_status (TessApplication *self);

G_END_DECLS
