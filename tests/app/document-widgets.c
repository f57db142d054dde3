/* document-widgets.c: the run timeline panel and the reload error banner, in
 * a real window (under xvfb). */
#include "tess-document-banner.h"
#include "tess-document-dashboard.h"
#include "tess-document-private.h"
#include "tess-timeline.h"
#include "tess-test-wait.h"

#include <glib/gstdio.h>
#include <string.h>

static const char *doc_text =
    "{\"tessera\": 1, \"title\": \"Timeline\",\n"
    " \"inputs\": {\"slow\": {\"kind\": \"toggle\", \"default\": true}},\n"
    " \"sources\": {\"weather\": \"resource:///io/github/tessera/Tessera/documents/data/seattle-weather.csv\",\n"
    "             \"missing\": \"resource:///io/github/tessera/Tessera/documents/data/none.csv\"},\n"
    " \"fragments\": [\n"
    "  {\"id\": \"one\", \"delay\": {\"seconds\": 0.3, \"when\": \"$slow\"}, \"source\": \"weather\", \"views\": "
    "[{\"type\": \"table\"}]},\n"
    "  {\"id\": \"two\", \"delay\": {\"seconds\": 0.2, \"when\": \"$slow\"}, \"source\": \"weather\", \"views\": "
    "[{\"type\": \"histogram\", \"x\": \"wind\"}]},\n"
    "  {\"id\": \"three\", \"delay\": 0.1, \"source\": \"weather\", \"views\": [{\"type\": \"text\", \"text\": "
    "\"three\"}]},\n"
    "  {\"id\": \"broken\", \"source\": \"missing\", \"views\": [{\"type\": \"table\"}]}\n"
    " ]}\n";

static gboolean idle_seen;

static void
on_idle (TessSession *session, gpointer user_data)
{
  idle_seen = TRUE;
}

static gboolean
flag_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
iterate_until (gboolean *flag, double seconds)
{
  tess_test_wait_until (NULL, flag_is_set, flag, seconds, "the session's idle signal");
  g_assert_true (*flag);
}

static void
iterate_for (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* Renders @widget as it is on screen into a PNG in the build directory. */
static void
save_picture (GtkWidget *widget, const char *name)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "documents", name, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("kept %s", path);
}

static void
test_timeline (void)
{
  g_autoptr (TessDocument) doc = tess_document_new_from_text (doc_text, -1, NULL);
  g_autoptr (TessDocumentDashboard) dashboard = NULL;
  g_autoptr (TessSession) session = NULL;
  GtkWidget *window, *timeline;
  g_autofree char *summary = NULL;

  g_assert_true (tess_document_is_valid (doc));
  dashboard = tess_document_dashboard_new (doc);
  session = tess_session_new (tess_document_dashboard_run, dashboard, NULL);
  g_signal_connect (session, "idle", G_CALLBACK (on_idle), NULL);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 200);
  timeline = tess_timeline_new ();
  gtk_window_set_child (GTK_WINDOW (window), timeline);
  tess_timeline_set_session (TESS_TIMELINE (timeline), session);
  gtk_window_present (GTK_WINDOW (window));

  idle_seen = FALSE;
  tess_session_start (session);
  iterate_for (0.15);
  /* Live: fragments are in progress while they wait for their data. */
  g_assert_cmpuint (tess_timeline_count_state (TESS_TIMELINE (timeline), TESS_TIMELINE_RUNNING) +
                        tess_timeline_count_state (TESS_TIMELINE (timeline), TESS_TIMELINE_QUEUED),
                    >=, 1);
  iterate_until (&idle_seen, 10);
  iterate_for (0.1);

  /* The dashboard and its four fragments, one run each; one failed. */
  g_assert_cmpuint (tess_timeline_get_n_rows (TESS_TIMELINE (timeline)), ==, 5);
  g_assert_cmpuint (tess_timeline_get_n_bars (TESS_TIMELINE (timeline)), ==, 5);
  g_assert_cmpuint (tess_timeline_count_state (TESS_TIMELINE (timeline), TESS_TIMELINE_DONE), ==, 4);
  g_assert_cmpuint (tess_timeline_count_state (TESS_TIMELINE (timeline), TESS_TIMELINE_ERROR), ==, 1);
  summary = tess_timeline_get_summary (TESS_TIMELINE (timeline));
  g_assert_true (g_str_has_prefix (summary, "5 runs · "));
  g_assert_nonnull (strstr (summary, "parallel")); /* 0.6 s of waiting overlapped */
  g_assert_nonnull (strstr (summary, "errors: 1"));
  save_picture (timeline, "timeline.png");

  /* An input change: only the fragments that read it run again, live. */
  idle_seen = FALSE;
  tess_session_set_input (session, "slow", g_variant_new_boolean (FALSE), NULL);
  iterate_until (&idle_seen, 10);
  iterate_for (0.05);
  g_assert_cmpuint (tess_timeline_get_n_bars (TESS_TIMELINE (timeline)), ==, 7);
  g_assert_cmpuint (tess_timeline_get_n_rows (TESS_TIMELINE (timeline)), ==, 5);

  tess_timeline_set_session (TESS_TIMELINE (timeline), NULL);
  g_assert_cmpuint (tess_timeline_get_n_bars (TESS_TIMELINE (timeline)), ==, 0);
  tess_session_close (session);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_banner (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *banner = tess_document_banner_new ();

  gtk_window_set_child (GTK_WINDOW (window), banner);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_false (tess_document_banner_get_revealed (TESS_DOCUMENT_BANNER (banner)));
  tess_document_banner_set_problems (TESS_DOCUMENT_BANNER (banner), "doc.tessera:3:4: unknown input \"yaer\"");
  g_assert_true (tess_document_banner_get_revealed (TESS_DOCUMENT_BANNER (banner)));
  g_assert_cmpstr (tess_document_banner_get_text (TESS_DOCUMENT_BANNER (banner)), ==,
                   "doc.tessera:3:4: unknown input \"yaer\"");
  iterate_for (0.3);
  save_picture (banner, "banner.png");
  tess_document_banner_set_problems (TESS_DOCUMENT_BANNER (banner), NULL);
  g_assert_false (tess_document_banner_get_revealed (TESS_DOCUMENT_BANNER (banner)));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  /* Software GL under Xvfb is slow, and there is no session bus here. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GTK_USE_PORTAL", "0", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("NO_AT_BRIDGE", "1", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Documents/widgets/timeline", test_timeline);
  g_test_add_func ("/Documents/widgets/banner", test_banner);
  return g_test_run ();
}
