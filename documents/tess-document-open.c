/* tess-document-open.c: `tessera FILE|URL`: telling documents from data files,
 * and opening either as a dashboard, or the built-in default document.
 *
 * A `.tessera` file is a document; `.csv`, `.tsv`, `.ndjson` and `.jsonl` are
 * data. A `.json` file (or one without an extension) is a document when it is
 * an object with a "tessera" member, and data otherwise.
 */
#include "tess-auto-dashboard.h"
#include "tess-document-dashboard.h"
#include "tess-document-open.h"
#include "tess-document-private.h"
#include "tess-document-watcher.h"
#include "tess-source.h"
#include "tess-sql.h"

#include <string.h>

static gboolean
has_suffix (const char *path, const char *const *suffixes)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  char *query = strpbrk (lower, "?#");

  if (query && g_str_has_prefix (lower, "http"))
    *query = '\0';
  for (guint i = 0; suffixes[i]; i++)
    if (g_str_has_suffix (lower, suffixes[i]))
      return TRUE;
  return FALSE;
}

/* TRUE when @text (the start of a file) reads as a dashboard document. */
gboolean
tess_document_text_is_document (const char *text, gsize length)
{
  const char *p = text, *end = text + length;
  const char *found;

  if (length >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p >= end || *p != '{')
    return FALSE;
  found = g_strstr_len (p, end - p, "\"tessera\"");
  return found != NULL;
}

static gboolean
is_remote (const char *target)
{
  g_autofree char *scheme = g_uri_parse_scheme (target);
  return scheme && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"));
}

TessDocumentTargetKind
tess_document_classify_target (const char *target, GError **error)
{
  static const char *const document_suffixes[] = { ".tessera", NULL };
  static const char *const data_suffixes[] = { ".csv", ".tsv", ".ndjson", ".jsonl", ".txt", NULL };
  char buffer[4096];
  gssize n;

  g_return_val_if_fail (target != NULL, TESS_DOCUMENT_TARGET_INVALID);

  if (has_suffix (target, document_suffixes))
    return TESS_DOCUMENT_TARGET_DOCUMENT;
  if (has_suffix (target, data_suffixes))
    return TESS_DOCUMENT_TARGET_DATA;
  /* a database table or query (tess-sql.h) opens as an automatic dashboard */
  if (tess_sql_uri_is_database (target))
    return TESS_DOCUMENT_TARGET_DATA;

  if (is_remote (target))
    {
      g_autoptr (GBytes) bytes = tess_source_fetch (target, NULL, NULL, NULL, NULL, NULL, error);
      if (bytes == NULL)
        return TESS_DOCUMENT_TARGET_INVALID;
      return tess_document_text_is_document (g_bytes_get_data (bytes, NULL), MIN (g_bytes_get_size (bytes), 4096))
                 ? TESS_DOCUMENT_TARGET_DOCUMENT
                 : TESS_DOCUMENT_TARGET_DATA;
    }
  else
    {
      g_autofree char *scheme = g_uri_parse_scheme (target);
      g_autoptr (GFile) file = scheme ? g_file_new_for_uri (target) : g_file_new_for_commandline_arg (target);
      g_autoptr (GFileInputStream) stream = g_file_read (file, NULL, error);
      if (stream == NULL)
        return TESS_DOCUMENT_TARGET_INVALID;
      n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer, NULL, error);
      if (n < 0)
        return TESS_DOCUMENT_TARGET_INVALID;
      return tess_document_text_is_document (buffer, n) ? TESS_DOCUMENT_TARGET_DOCUMENT : TESS_DOCUMENT_TARGET_DATA;
    }
}

TessDocumentDashboard *
tess_document_open (const char *target, GError **error)
{
  g_autofree char *base_uri = NULL;
  g_autofree char *text = NULL;
  g_autoptr (TessDocument) document = NULL;

  g_return_val_if_fail (target != NULL, NULL);

  text = tess_document_read_target (target, &base_uri, error);
  if (text == NULL)
    return NULL;
  document = tess_document_new_from_text (text, -1, base_uri);
  if (!tess_document_is_valid (document))
    {
      g_autofree char *problems = tess_document_format_problems (document, target);
      g_strchomp (problems);
      g_set_error (error, TESS_DOC_ERROR, TESS_DOC_ERROR_INVALID, "%s", problems);
      return NULL;
    }
  return tess_document_dashboard_new (document);
}

TessFragmentFunc
tess_document_open_target (const char *target, GObject **dashboard_data, GError **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *scheme = NULL;

  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (dashboard_data != NULL && *dashboard_data == NULL, NULL);

  switch (tess_document_classify_target (target, error))
    {
    case TESS_DOCUMENT_TARGET_DOCUMENT:
      {
        TessDocumentDashboard *dashboard = tess_document_open (target, error);
        if (dashboard == NULL)
          return NULL;
        *dashboard_data = G_OBJECT (dashboard);
        return tess_document_dashboard_run;
      }
    case TESS_DOCUMENT_TARGET_DATA:
      scheme = g_uri_parse_scheme (target);
      if (scheme == NULL)
        {
          g_autoptr (GFile) file = g_file_new_for_commandline_arg (target);
          if (!g_file_query_exists (file, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no such file", target);
              return NULL;
            }
          uri = g_file_get_path (file);
        }
      else
        uri = g_strdup (target);
      *dashboard_data = G_OBJECT (tess_auto_dashboard_new (uri));
      return tess_auto_dashboard_run;
    case TESS_DOCUMENT_TARGET_INVALID:
    default:
      return NULL;
    }
}

#define DEFAULT_DOCUMENT "resource:///io/github/tessera/Tessera/documents/default.tessera"

/* The built-in document is parsed once, on first use, and kept for the process. */
static gpointer
load_default_dashboard (gpointer data)
{
  g_autoptr (GBytes) bytes = g_resources_lookup_data ("/io/github/tessera/Tessera/documents/default.tessera",
                                                      G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr (TessDocument) document = NULL;

  g_assert (bytes != NULL);
  document = tess_document_new_from_text (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), DEFAULT_DOCUMENT);
  g_assert (tess_document_is_valid (document));
  return tess_document_dashboard_new (document);
}

TessDocumentDashboard *
tess_document_get_default_dashboard (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, load_default_dashboard, NULL);
  return once.retval;
}

gboolean
tess_document_default_dashboard_run (TessRun *run, gpointer user_data, GError **error)
{
  return tess_document_dashboard_run (run, tess_document_get_default_dashboard (), error);
}

TessDocumentWatcher *
tess_document_watch_dashboard (TessFragmentFunc dashboard_func, gpointer user_data, TessSession *session)
{
  TessDocumentDashboard *dashboard;
  g_autoptr (TessDocument) document = NULL;
  g_autoptr (GFile) file = NULL;
  const char *base;

  g_return_val_if_fail (TESS_IS_SESSION (session), NULL);

  if (dashboard_func != tess_document_dashboard_run || !TESS_IS_DOCUMENT_DASHBOARD (user_data))
    return NULL;
  dashboard = user_data;
  document = tess_document_dashboard_get_document (dashboard);
  base = tess_document_get_base_uri (document);
  if (base == NULL || !g_str_has_prefix (base, "file:"))
    return NULL; /* only local files change under us */
  file = g_file_new_for_uri (base);
  return tess_document_watcher_new (file, dashboard, session);
}

TessTrust *
tess_document_get_dashboard_trust (TessFragmentFunc dashboard_func, gpointer user_data)
{
  if (dashboard_func != tess_document_dashboard_run || !TESS_IS_DOCUMENT_DASHBOARD (user_data))
    return NULL;
  return tess_document_get_trust (tess_document_dashboard_get_document (user_data));
}
