/* tess-timeline.h: TessTimeline, the run timeline of a session, drawn live.
 *
 * One row per fragment (and one for the dashboard itself), each run a bar on
 * a shared time axis: queued (waiting for a worker), running, done, error or
 * cancelled. Runs in progress grow as they run. The header sums it up: how
 * many runs, the wall time, the time spent working, and how much of that
 * work overlapped (the parallel effect). After a finished bar, a thin
 * segment shows how long its output took to reach the screen, when the host
 * says (tess_timeline_mark_shown()). Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "tess-session.h"

G_BEGIN_DECLS

#define TESS_TYPE_TIMELINE (tess_timeline_get_type ())
G_DECLARE_FINAL_TYPE (TessTimeline, tess_timeline, TESS, TIMELINE, GtkWidget)

typedef enum
{
  TESS_TIMELINE_QUEUED,
  TESS_TIMELINE_RUNNING,
  TESS_TIMELINE_DONE,
  TESS_TIMELINE_ERROR,
  TESS_TIMELINE_CANCELLED,
} TessTimelineState;

GtkWidget *tess_timeline_new (void);
/* Follows @session (NULL: none): its past runs, then every run as it happens. */
void tess_timeline_set_session (TessTimeline *self, TessSession *session);
TessSession *tess_timeline_get_session (TessTimeline *self);
/* Forgets every bar (a new document, say); the session's next runs appear. */
void tess_timeline_clear (TessTimeline *self);

guint tess_timeline_get_n_rows (TessTimeline *self);
guint tess_timeline_get_n_bars (TessTimeline *self);
/* How many bars are in @state now. */
guint tess_timeline_count_state (TessTimeline *self, TessTimelineState state);
/* "7 runs · 2.01 s · 10.0 s of work · 5.0× parallel"; transfer full */
char *tess_timeline_get_summary (TessTimeline *self);
/* The final output of @fragment's run @serial (the scope's run count) reached
 * the screen at @shown_ms, in the session's time (ms since it started).
 * A run not known by its serial marks the fragment's latest finished run. */
void tess_timeline_mark_shown (TessTimeline *self, const char *fragment, guint serial, double shown_ms);
/* For @fragment's latest finished run: from its end until its output was
 * shown, in ms; negative when not shown (yet). */
double tess_timeline_get_delivery_ms (TessTimeline *self, const char *fragment);

G_END_DECLS
