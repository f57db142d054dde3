/* tess-test-server.c: see tess-test-server.h. */
#include "tess-test-server.h"

#include <string.h>

struct _TessTestServer
{
  SoupServerCallback handler;
  gpointer user_data;
  GMainContext *context; /* the server's sources and handler run here */
  SoupServer *server;    /* used only on the thread that runs @context */
  char *base_url;        /* set once the server listens; then read-only */

  /* A threaded server only: */
  GThread *thread;
  GMainLoop *loop;
  GMutex lock;
  GCond listening;
};

/* Makes the server and has it listen on 127.0.0.1 on a free port. Runs on the
 * thread whose thread-default context is @self->context. */
static char *
tess_test_server_listen (TessTestServer *self)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;
  gboolean listening;
  char *base_url;

  g_assert (g_main_context_get_thread_default () == self->context ||
            (g_main_context_get_thread_default () == NULL && self->context == g_main_context_default ()));

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, self->handler, self->user_data, NULL);
  listening = soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (listening);
  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  base_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (base_url, "/"))
    base_url[strlen (base_url) - 1] = '\0';
  return base_url;
}

static gpointer
tess_test_server_thread (gpointer data)
{
  TessTestServer *self = data;
  char *base_url;

  g_main_context_push_thread_default (self->context);
  base_url = tess_test_server_listen (self);
  g_mutex_lock (&self->lock);
  self->base_url = base_url;
  g_cond_signal (&self->listening);
  g_mutex_unlock (&self->lock);

  g_main_loop_run (self->loop);

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* Let the disconnections run: nothing else uses this context. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

TessTestServer *
tess_test_server_new_threaded (SoupServerCallback handler, gpointer user_data)
{
  TessTestServer *self;

  g_return_val_if_fail (handler != NULL, NULL);

  self = g_new0 (TessTestServer, 1);
  self->handler = handler;
  self->user_data = user_data;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  g_mutex_init (&self->lock);
  g_cond_init (&self->listening);
  g_mutex_lock (&self->lock);
  self->thread = g_thread_new ("test-server", tess_test_server_thread, self);
  while (self->base_url == NULL)
    g_cond_wait (&self->listening, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

TessTestServer *
tess_test_server_new (SoupServerCallback handler, gpointer user_data)
{
  TessTestServer *self;

  g_return_val_if_fail (handler != NULL, NULL);

  self = g_new0 (TessTestServer, 1);
  self->handler = handler;
  self->user_data = user_data;
  self->context = g_main_context_ref_thread_default ();
  self->base_url = tess_test_server_listen (self);
  return self;
}

static gboolean
tess_test_server_quit_cb (gpointer data)
{
  TessTestServer *self = data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

void
tess_test_server_free (TessTestServer *self)
{
  if (self == NULL)
    return;

  if (self->thread != NULL)
    {
      /* Quit from inside the loop, by a source it dispatches: a quit that
       * came before the loop started running would be lost. */
      g_autoptr (GSource) quit = g_idle_source_new ();

      g_source_set_priority (quit, G_PRIORITY_DEFAULT);
      g_source_set_callback (quit, tess_test_server_quit_cb, self, NULL);
      g_source_attach (quit, self->context);
      g_thread_join (self->thread);
      g_main_loop_unref (self->loop);
      g_mutex_clear (&self->lock);
      g_cond_clear (&self->listening);
    }
  else
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  g_main_context_unref (self->context);
  g_free (self->base_url);
  g_free (self);
}

const char *
tess_test_server_get_base_url (TessTestServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->base_url;
}

char *
tess_test_server_get_url (TessTestServer *self, const char *path)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  return g_strconcat (self->base_url, path, NULL);
}

GMainContext *
tess_test_server_get_context (TessTestServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->context;
}

typedef struct
{
  SoupServerMessage *msg;
  const char *content_type;
  const char *body;
} LateAnswer;

static gboolean
late_answer_cb (gpointer data)
{
  LateAnswer *answer = data;

  soup_server_message_set_response (answer->msg, answer->content_type, SOUP_MEMORY_STATIC, answer->body,
                                    strlen (answer->body));
  soup_server_message_set_status (answer->msg, 200, NULL);
  soup_server_message_unpause (answer->msg);
  return G_SOURCE_REMOVE;
}

static void
late_answer_free (gpointer data)
{
  LateAnswer *answer = data;

  g_object_unref (answer->msg);
  g_free (answer);
}

void
tess_test_server_answer_later (
    TessTestServer *self, SoupServerMessage *msg, guint delay_ms, const char *content_type, const char *body)
{
  g_autoptr (GSource) source = g_timeout_source_new (delay_ms);
  LateAnswer *answer = g_new0 (LateAnswer, 1);

  g_return_if_fail (self != NULL && SOUP_IS_SERVER_MESSAGE (msg));

  answer->msg = g_object_ref (msg);
  answer->content_type = content_type;
  answer->body = body;
  soup_server_message_pause (msg);
  g_source_set_callback (source, late_answer_cb, answer, late_answer_free);
  g_source_attach (source, self->context);
}
