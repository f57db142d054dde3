/* tess-test-wait.h: iterating a main context until something has happened.
 *
 * Tests start work that finishes later (a session's runs, a file monitor, a
 * widget's first frame) and must wait for it without hanging when it never
 * comes: each wait here has a timeout, and fails the test with a message
 * naming what it waited for. There are two ways to wait, because conditions
 * change in two ways:
 *
 * - tess_test_wait_until() blocks in the context between checks, for a
 *   condition that changes in what the context dispatches (a signal, an idle,
 *   a frame);
 * - tess_test_poll_until() never blocks: it iterates what is ready and sleeps
 *   briefly, for a condition that other threads change without waking the
 *   context (a session whose runs finish on workers).
 *
 * Both run on the thread that owns @context (NULL: the global default
 * context, which the main thread owns).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether what a test waits for has happened. */
typedef gboolean (*TessTestCondition) (gpointer user_data);

/* Iterates @context, blocking for its sources, until @condition holds; fails
 * the test if it does not within @timeout_s seconds. @what completes "waiting
 * for ..." in the failure's message. */
void tess_test_wait_until (
    GMainContext *context, TessTestCondition condition, gpointer user_data, double timeout_s, const char *what);

/* Iterates @context without blocking, sleeping 200 us between iterations,
 * until @condition holds; fails the test if it does not within @timeout_s
 * seconds. */
void tess_test_poll_until (
    GMainContext *context, TessTestCondition condition, gpointer user_data, double timeout_s, const char *what);

G_END_DECLS
