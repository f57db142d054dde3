/* tess-test-server.h: an HTTP server on 127.0.0.1 for tests and benchmarks.
 *
 * Tests of remote sources talk to a SoupServer listening on a free port of
 * the loopback interface; there is no other network where they run. Most run
 * it on a thread of its own with its own GMainContext, so that code which
 * blocks while it fetches (a load on a worker, opening a document by URL on
 * the main thread) still gets its answer. A test that iterates its own main
 * context while it waits may run the server there instead.
 *
 * One handler serves every path; the tests dispatch on the path themselves.
 * A server that is never freed lives as long as the process: when a test
 * fails the process exits, and a server on its own thread goes with it.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _TessTestServer TessTestServer;

/* Starts a server on a thread of its own, with its own GMainContext; returns
 * once it listens. @handler runs on that thread (see
 * tess_test_server_get_context()). Fails the test if it cannot listen. */
TessTestServer *tess_test_server_new_threaded (SoupServerCallback handler, gpointer user_data);

/* Starts a server on the calling thread's thread-default main context: it
 * answers, and @handler runs, only while the caller iterates that context.
 * Fails the test if it cannot listen. */
TessTestServer *tess_test_server_new (SoupServerCallback handler, gpointer user_data);

/* Stops the server and frees it; a threaded server's thread is joined. Call it
 * on the thread that made the server. */
void tess_test_server_free (TessTestServer *self);

/* "http://127.0.0.1:PORT", without a trailing slash; owned by @self. */
const char *tess_test_server_get_base_url (TessTestServer *self);

/* The base URL followed by @path (which starts with "/"); free it. */
char *tess_test_server_get_url (TessTestServer *self, const char *path);

/* The context the server's sources and handler run on: a handler that answers
 * later attaches its timeouts here. Owned by @self. */
GMainContext *tess_test_server_get_context (TessTestServer *self);

/* Pauses @msg and answers it @delay_ms later with status 200 and @body (a
 * static string) as @content_type. Call it from the handler. */
void tess_test_server_answer_later (
    TessTestServer *self, SoupServerMessage *msg, guint delay_ms, const char *content_type, const char *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessTestServer, tess_test_server_free)

G_END_DECLS
