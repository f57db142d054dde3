/* tess-app-private.h: what the parts of app/ share with one another. */
#pragma once

#include "tess-app.h"
#include "tess-session.h"

G_BEGIN_DECLS

/* The tessera binary's own app id (and its settings schema's). */
#define TESSERA_APP_ID "io.github.tessera.Tessera"

typedef struct
{
  char *app_id;
  char *name;                 /* the program's name, for About and --version */
  char *version;              /* the program's version, or NULL */
  TessFragmentFunc dashboard; /* NULL: the tessera binary's built-in default */
  gpointer user_data;
  char *target;       /* DASHBOARD|DATA FILE|URL, or NULL */
  GError *open_error; /* why target did not open: the window shows it */
  gboolean headless;
  char *timeline_path;
  char **sets; /* KEY=VALUE */
  char *screenshot_path;
  int width, height; /* --size, default 1280x800 */
  gboolean check;
  char *describe;
  char **allow_origins; /* hosts a dashboard from the network may also load from */
  guint64 memory_limit; /* --memory-limit in bytes; 0: the setting */
} TessAppOptions;

void tess_app_options_clear (TessAppOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TessAppOptions, tess_app_options_clear)

/* Applies every --set to @session; prints what fails to stderr. */
gboolean tess_app_apply_sets (TessAppOptions *options, TessSession *session);
/* Writes the timeline to options->timeline_path when one was given. */
gboolean tess_app_write_timeline (TessAppOptions *options, TessSession *session, GError **error);

/* The design proposal's example: three parallel 2 s sections and two sliders. */
gboolean tess_seed_dashboard (TessRun *run, gpointer user_data, GError **error);

/* Resolves options->target (a document or a data file, a path or a URL) into
 * options->dashboard and options->user_data. */
gboolean tess_app_open_target (TessAppOptions *options, GError **error);

/* Whether @options are those of the tessera binary itself, not of a
 * dashboard program built with the SDK. */
gboolean tess_app_is_tessera (TessAppOptions *options);

/* The session SIGINT and SIGTERM cancel before the process exits (NULL:
 * none). Main thread only. */
void tess_app_set_current_session (TessSession *session);

/* Each returns the process exit status. */
int tess_app_check (TessAppOptions *options);
int tess_app_run_headless (TessAppOptions *options);
int tess_app_run_window (TessAppOptions *options);
int tess_app_describe (TessAppOptions *options);

G_END_DECLS
