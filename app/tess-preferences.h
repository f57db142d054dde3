/* tess-preferences.h: the Preferences window.
 *
 * One page, "Data": the memory limit for loaded data (automatic, a quarter of
 * physical memory, or a size the user sets), the download cache's size, and
 * for each dashboard opened from the network the other hosts the user allowed
 * it to load from, each removable. It reads and writes through
 * tess-settings.h, so it works, for the session, without the schema
 * installed. Main thread only.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TESS_TYPE_PREFERENCES_WINDOW (tess_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TessPreferencesWindow, tess_preferences_window, TESS, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *tess_preferences_window_new (void);

G_END_DECLS
