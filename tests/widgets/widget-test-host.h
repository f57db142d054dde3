/* widget-test-host.h: a real session shown in a mapped window, for widget tests.
 *
 * The host runs a dashboard function in a TessSession shown by a
 * TessDashboardView inside a window, and iterates the main context until
 * what a test waits for has happened (or fails the test after a timeout);
 * for anything else a test waits for, tess_test_wait_until() (tests/support).
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-charts.h"
#include "tess-load.h"
#include "tess-session.h"
#include "tess-dashboard-view.h"
#include "tess-input-widgets.h"
#include "tess-reconciler.h"
#include "tess-slot.h"
#include "tess-test-wait.h"

G_BEGIN_DECLS

typedef struct
{
  TessSession *session;
  GtkWidget *window;
  TessDashboardView *view;
  guint n_idle;
} TestHost;

/* Call first in main(): a renderer that is quick under Xvfb, no portals. */
void test_host_init (int *argc, char ***argv);
/* For the app's tests, before test_host_init(): the app's settings schema
 * as compiled in the build tree (unless the environment names one), kept in
 * memory. */
void test_host_use_build_schema (void);
TestHost *test_host_new (TessFragmentFunc dashboard, gpointer user_data);
/* The same in a window of @width x @height (test_host_new: 1000 x 700). */
TestHost *test_host_new_sized (TessFragmentFunc dashboard, gpointer user_data, int width, int height);
void test_host_free (TestHost *host);
/* Waits until the view has applied everything and the session is idle. */
void test_host_wait_idle (TestHost *host);
/* Iterates the main context for @ms milliseconds. */
void test_host_spin (guint ms);

TessSlot *test_host_slot (TestHost *host, const char *path);
/* The @index-th widget of a slot's content. */
GtkWidget *test_host_child (TestHost *host, const char *path, guint index);
guint test_host_n_children (TestHost *host, const char *path);
/* The widget showing the element with @id in the scope at @path. */
GtkWidget *test_host_find (TestHost *host, const char *path, const char *id);
/* The text of the first GtkLabel at or below @widget. */
const char *test_host_label_text (GtkWidget *widget);

G_END_DECLS
