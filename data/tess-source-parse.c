/* tess-source-parse.c: which reader a load's bytes go to, and the call.
 *
 * The format comes from the options, then the content type a server gave,
 * then the extension of the URI, then the first byte of the text. Apart from
 * tess-source.c because choosing and calling readers is its own concern: the
 * fetching, caching and file versioning there need none of it.
 */
#include "tess-source-private.h"

#include "tess-csv-private.h"
#include "tess-json-reader-private.h"

#include <string.h>

TessFormat
tess_source_format_from_extension (const char *uri, char *delimiter)
{
  g_autofree char *path = NULL;
  const char *dot;
  const char *end;

  /* the path part of a URL, without query or fragment */
  end = uri + strcspn (uri, "?#");
  path = g_strndup (uri, end - uri);
  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, '/'))
    return TESS_FORMAT_AUTO;
  dot++;
  if (g_ascii_strcasecmp (dot, "csv") == 0 || g_ascii_strcasecmp (dot, "txt") == 0)
    return TESS_FORMAT_CSV;
  if (g_ascii_strcasecmp (dot, "tsv") == 0 || g_ascii_strcasecmp (dot, "tab") == 0)
    {
      *delimiter = '\t';
      return TESS_FORMAT_CSV;
    }
  if (g_ascii_strcasecmp (dot, "json") == 0 || g_ascii_strcasecmp (dot, "geojson") == 0)
    return TESS_FORMAT_JSON;
  if (g_ascii_strcasecmp (dot, "ndjson") == 0 || g_ascii_strcasecmp (dot, "jsonl") == 0)
    return TESS_FORMAT_NDJSON;
  return TESS_FORMAT_AUTO;
}

/* The format known before the text is read: by the options, the content
 * type, the extension. TESS_FORMAT_AUTO when only the text can tell, or, with
 * @error set, when the content type says it is no data. */
static TessFormat
format_without_text (
    const char *content_type, const char *uri, const TessLoadOptions *options, char *delimiter, GError **error)
{
  TessFormat format = options->format;

  *delimiter = options->csv.delimiter;
  if (format != TESS_FORMAT_AUTO)
    return format;
  if (content_type)
    {
      g_autofree char *ct = g_ascii_strdown (content_type, strcspn (content_type, "; "));
      if (g_str_equal (ct, "text/csv") || g_str_equal (ct, "application/csv") ||
          g_str_equal (ct, "text/comma-separated-values"))
        return TESS_FORMAT_CSV;
      if (g_str_equal (ct, "text/tab-separated-values"))
        {
          if (!*delimiter)
            *delimiter = '\t';
          return TESS_FORMAT_CSV;
        }
      if (g_str_equal (ct, "application/x-ndjson") || g_str_equal (ct, "application/ndjson") ||
          g_str_equal (ct, "application/jsonl") || g_str_equal (ct, "application/x-jsonlines") ||
          g_str_equal (ct, "application/jsonlines"))
        return TESS_FORMAT_NDJSON;
      if (g_str_equal (ct, "application/json") || g_str_equal (ct, "text/json") || g_str_has_suffix (ct, "+json"))
        return TESS_FORMAT_JSON;
      if (g_str_equal (ct, "text/html") || g_str_equal (ct, "application/xhtml+xml") ||
          g_str_has_prefix (ct, "image/") || g_str_has_prefix (ct, "video/") || g_str_has_prefix (ct, "audio/"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s is %s, not CSV or JSON data; check the address, or set the format to read it anyway", uri,
                       content_type);
          return TESS_FORMAT_AUTO;
        }
    }
  return tess_source_format_from_extension (uri, delimiter);
}

TessFormat
tess_source_format_known (const char *content_type, const char *uri, const TessLoadOptions *options, char *delimiter)
{
  return format_without_text (content_type, uri, options, delimiter, NULL);
}

static TessFormat
choose_format (const char *data,
               gsize length,
               const char *content_type,
               const char *uri,
               const TessLoadOptions *options,
               char *delimiter,
               GError **error)
{
  GError *local = NULL;
  TessFormat format = format_without_text (content_type, uri, options, delimiter, &local);

  if (format != TESS_FORMAT_AUTO || local)
    {
      if (local)
        g_propagate_error (error, local);
      return format;
    }
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return data[i] == '[' || data[i] == '{' ? TESS_FORMAT_JSON : TESS_FORMAT_CSV;
  return TESS_FORMAT_CSV;
}

TessFrame *
tess_source_parse_data (const char *data,
                        gsize length,
                        const char *path,
                        const char *content_type,
                        const char *uri,
                        const TessLoadOptions *options,
                        GCancellable *cancellable,
                        GError **error)
{
  TessFrame *frame = NULL;
  TessCsvOptions csv;
  TessFormat format;
  char delimiter;
  GError *local = NULL;

  format = choose_format (data, length, content_type, uri, options, &delimiter, &local);
  if (local)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  switch (format)
    {
    case TESS_FORMAT_JSON:
    case TESS_FORMAT_NDJSON:
      if (path)
        frame = tess_json_read_file_columns (path, format == TESS_FORMAT_NDJSON ? TESS_JSON_NDJSON : TESS_JSON_AUTO,
                                             options->columns, cancellable, &local);
      else
        frame = tess_json_read_columns (data, length, format == TESS_FORMAT_NDJSON ? TESS_JSON_NDJSON : TESS_JSON_AUTO,
                                        options->columns, cancellable, &local);
      break;
    case TESS_FORMAT_CSV:
    default:
      csv = options->csv;
      csv.delimiter = delimiter;
      if (path)
        frame = tess_csv_read_file_columns (path, &csv, options->columns, NULL, cancellable, &local);
      else
        frame = tess_csv_read_columns (data, length, &csv, options->columns, NULL, cancellable, &local);
      break;
    }
  if (local)
    {
      if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&local, "%s: ", uri);
      g_propagate_error (error, local);
    }
  return frame;
}

TessFrame *
tess_source_parse (GBytes *bytes,
                   const char *content_type,
                   const char *uri,
                   const TessLoadOptions *options,
                   GCancellable *cancellable,
                   GError **error)
{
  static const TessLoadOptions defaults = { 0 };
  gsize length;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  return tess_source_parse_data (data, length, NULL, content_type, uri ? uri : "data", options ? options : &defaults,
                                 cancellable, error);
}

TessFrame *
tess_source_parse_growing (TessGrowingBody *body,
                           const char *content_type,
                           const char *uri,
                           const TessLoadOptions *options,
                           GCancellable *cancellable,
                           GError **error)
{
  TessCsvOptions csv = options->csv;
  GError *local = NULL;
  GError *download;
  TessFrame *frame;
  TessFormat format = format_without_text (content_type, uri, options, &csv.delimiter, NULL);

  /* a body streams only when this says CSV or JSON (see tess-source.c) */
  switch (format)
    {
    case TESS_FORMAT_CSV:
      frame = tess_csv_read_growing (body, &csv, options->columns, cancellable, &local);
      break;
    case TESS_FORMAT_JSON:
    case TESS_FORMAT_NDJSON:
      frame = tess_json_read_growing (body, format == TESS_FORMAT_NDJSON ? TESS_JSON_NDJSON : TESS_JSON_AUTO,
                                      options->columns, 0, cancellable, &local);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  if (local && (download = tess_growing_body_dup_error (body)) != NULL)
    {
      /* the download failed: its own words, which name the address */
      g_clear_error (&local);
      local = download;
    }
  else if (local && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&local, "%s: ", uri);
  if (local)
    g_propagate_error (error, local);
  return frame;
}
