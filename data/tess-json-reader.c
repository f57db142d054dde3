/* tess-json-reader.c: the JSON reader: its entry points, and the passes
 * over the text (tess-json-pass.c) that make a frame.
 *
 * One pass over the bytes, with no tree: the lexer (tess-json-lexer-private.h)
 * cuts the text into tokens and each value goes straight into its column's
 * builder, parsed as the type the column has shown so far, as in the CSV
 * reader.
 *
 * Types follow the values. A column starts untyped; its first value picks
 * bool, int64, double, date, timestamp or string. An int64 column that meets
 * a double becomes a double column and a date column that meets a timestamp a
 * timestamp column, in place. A column that meets a value of no compatible
 * type becomes a string column: in place when its values can be written back
 * as text exactly as they were read (integers, booleans, doubles), otherwise
 * (dates and timestamps, whose text is gone) the read starts over with that
 * column fixed to string. As in the CSV reader, the pass carries on to twice
 * as far into the text first, and every column that turns meanwhile joins the
 * same restart, so that all passes together read the text a few times at most.
 * An object of columns restarts only the column that turned.
 *
 * What a cell holds, whatever the order of the values: a string column holds
 * numbers as text ("1", "2.5", doubles with 17 significant digits), booleans
 * as "true" and "false", arrays and objects as compact JSON text; an empty
 * string is a null everywhere but in a string column, where it stays empty;
 * a missing key is a null. A key repeated in one object keeps its last value;
 * a name that flattening reaches twice ({"a.b": 1, "a": {"b": 2}}) keeps its
 * first, though the second still widens the column's type.
 *
 * Records with different keys make a sparse table: n records that each bring a
 * new key are n columns of n rows, from a few bytes per record. The size of
 * the table so far is watched as it grows; once it passes what is left of the
 * memory budget for data, the rest is only measured, and a table that does not
 * fit is refused with its full size, before it is built.
 *
 * Errors name the line and the column (in characters) of the problem and the
 * record it is in; the line is counted only when there is an error, except in
 * NDJSON, which is read line by line. Input nested more than
 * TESS_JSON_MAX_DEPTH levels deep is refused.
 *
 * A body still arriving (tess_json_read_growing()) is read through a window:
 * before each record the reader waits until the text a window ahead has
 * arrived, and reads no further than that. An NDJSON line is always read
 * whole (the window widens until its line break). A record of an array that
 * runs past the window fails to read, as a record cut short does (a record
 * read whole is complete: it ends with its "}", and the bytes after it are
 * checked once they have arrived), so any error in a read that used a window
 * sends it back to read the whole text again, once it has all arrived: the
 * error given, or the frame, is the whole text's. An object of columns is
 * read once it has all arrived. A body whose length is known only at its
 * end (an open one) is read the same way: the end of its text is the most
 * it can hold until it has all arrived.
 */
#include "tess-json-reader.h"
#include "tess-json-pass-private.h"
#include "tess-json-reader-private.h"

#include "tess-mapped-file-private.h"
#include "tess-memory.h"

/* How far ahead of a record the text of a body still arriving is read. */
#define WINDOW_BYTES (4 * 1024 * 1024)

/* Whether the text is NDJSON: a record, then more. *@sure is FALSE when the
 * answer ran into the end of @length bytes that are not the whole text yet. */
static gboolean
looks_like_ndjson (const char *data, gsize length, gboolean *sure)
{
  const char *p = data, *e = data + length;
  const char *nl;
  int depth = 0;
  gboolean in_string = FALSE;

  *sure = TRUE;
  while (p < e && g_ascii_isspace (*p))
    p++;
  if (p == e || *p != '{')
    return *sure = p < e, FALSE;
  /* find where the first value ends; NDJSON has another value after it */
  for (; p < e; p++)
    {
      char c = *p;
      if (in_string)
        {
          if (c == '\\')
            p++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        break;
    }
  if (p >= e)
    return *sure = FALSE, FALSE;
  nl = p + 1;
  while (nl < e && g_ascii_isspace (*nl))
    nl++;
  *sure = nl < e;
  return nl < e;
}

/* FALSE, with an error, when the table (its columns' values and validity;
 * text not counted) would not fit in what is left of the memory budget for
 * data. */
static gboolean
reader_check_table_size (Reader *r, GError **error)
{
  guint64 limit = tess_memory_get_limit ();
  static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
  double value = limit;
  guint unit = 0;

  if (r->size_known_to_fit || tess_json_pass_table_bytes (r, r->row) <= r->room)
    return TRUE;
  /* the limit as the budget's own messages write it: "4 GiB", "1.5 GiB" */
  while (value >= 1024 && unit + 1 < G_N_ELEMENTS (units))
    value /= 1024, unit++;
  g_autofree char *limit_text = value == (double) (guint64) value
                                    ? g_strdup_printf ("%" G_GUINT64_FORMAT " %s", (guint64) value, units[unit])
                                    : g_strdup_printf ("%.1f %s", value, units[unit]);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
               "As a table, this JSON has %u columns and %" G_GSIZE_FORMAT
               " rows, more than the %s memory limit for data holds (records with different keys leave most cells "
               "empty); raise the limit in Preferences or with --memory-limit, or load less",
               r->cols->len, r->row, limit_text);
  return FALSE;
}

/* A body still arriving, as json_read() reads it. */
typedef struct
{
  TessGrowingBody *body;
  gsize window;      /* its first window bytes have arrived (or all of it) */
  gboolean open_end; /* its length is not known yet: the length given is the most it holds */
  gboolean windowed; /* out: an error may be the window's */
} Arriving;

/* Reads @length bytes at @data, or, with @arriving, a body still arriving. */
static TessFrame *
json_read (const char *data,
           gsize length,
           TessJsonLayout layout,
           const char *const *wanted,
           gboolean release,
           Arriving *arriving,
           GCancellable *cancellable,
           GError **error)
{
  g_autoptr (GPtrArray) columns = NULL;
  /* on cache lines of its own: the lexer's place in it is read at every
   * byte, and where the stack happened to put it cost up to 4% */
  Reader r __attribute__ ((aligned (64))) = { 0 };
  guint64 limit, used;
  gboolean ndjson, sure = TRUE;
  TessFrame *frame = NULL;

  r.body = data;
  r.window = arriving ? arriving->window : 0;
  r.avail = data + (arriving ? MIN (r.window, length) : length);
  r.growing = arriving ? arriving->body : NULL;
  r.open_end = arriving && arriving->open_end;
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    data += 3, length -= 3;
  r.data = data;
  r.data_end = data + length;
  r.windowed = r.avail < r.data_end;
  r.await_at = r.windowed ? r.data : r.data_end;
  ndjson = layout == TESS_JSON_NDJSON ||
           (layout == TESS_JSON_AUTO && looks_like_ndjson (data, MAX (r.avail, data) - data, &sure));
  /* the first record runs past the window: read on until it is known */
  while (layout == TESS_JSON_AUTO && !sure && r.avail < r.data_end)
    {
      if (!tess_json_pass_await (&r, r.avail + MIN ((gsize) (r.avail - r.body), (gsize) (r.data_end - r.avail)), error))
        {
          arriving->windowed = TRUE;
          return NULL;
        }
      ndjson = looks_like_ndjson (data, r.avail - data, &sure);
    }

  r.cancellable = cancellable;
  r.wanted = wanted;
  r.release = release;
  r.released = data;
  tess_json_lexer_init (&r.lex, data, data + length);
  r.by_name = g_hash_table_new (g_str_hash, g_str_equal);
  r.cols = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_json_pass_col_free);
  r.root = g_new0 (Node, 1);
  r.text = g_string_new (NULL);
  r.key = g_string_new (NULL);
  limit = tess_memory_get_limit ();
  used = tess_memory_get_used ();
  r.room = limit > used ? limit - used : 0;

  for (guint attempt = 0;; attempt++)
    {
      ReadResult res;

      r.row = 0;
      r.restart = FALSE;
      r.measuring = FALSE;
      r.row_bytes = 0;
      for (guint i = 0; i < r.cols->len; i++)
        {
          Col *col = r.cols->pdata[i];
          tess_json_pass_col_clear (col);
          r.row_bytes += tess_json_pass_col_row_bytes (&r, col);
        }
      res = ndjson ? tess_json_pass_ndjson (&r, error) : tess_json_pass_document (&r, layout, error);
      if (res == READ_ERROR)
        {
          if (arriving)
            arriving->windowed = r.windowed;
          goto out;
        }
      if (res == READ_MEASURED)
        {
          /* the whole table, measured: refused, or read again in full */
          if (!reader_check_table_size (&r, error))
            goto out;
          r.size_known_to_fit = TRUE;
          continue;
        }
      if (res == READ_OK)
        break;
      /* each restart fixes at least one more column to string */
      g_assert (attempt <= r.cols->len + 1);
    }
  if (release)
    tess_json_pass_release (&r, r.data_end);
  if (!reader_check_table_size (&r, error))
    goto out;

  columns = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_column_unref);
  for (guint i = 0; i < r.cols->len; i++)
    {
      Col *col = r.cols->pdata[i];
      /* an object of columns reads every one; it is kept only if asked for */
      if (wanted && !g_strv_contains (wanted, col->name))
        continue;
      if (col->state == COL_UNKNOWN)
        {
          /* only nulls and empty strings: a string column of nulls */
          if (col->empties)
            g_array_set_size (col->empties, 0);
          tess_json_pass_col_start (&r, col, COL_STRING);
        }
      while (col->builder->length < r.row)
        tess_column_builder_append_null (col->builder);
      g_ptr_array_add (columns, tess_column_builder_finish (g_steal_pointer (&col->builder)));
    }
  frame = tess_frame_new ((TessColumn **) columns->pdata, columns->len, error);

out:
  tess_json_lexer_clear (&r.lex);
  g_hash_table_unref (r.by_name);
  g_ptr_array_unref (r.cols);
  tess_json_pass_node_free (r.root);
  g_string_free (r.text, TRUE);
  g_string_free (r.key, TRUE);
  return frame;
}

TessFrame *
tess_json_read (const char *data, gsize length, TessJsonLayout layout, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return json_read (data ? data : "", length, layout, NULL, FALSE, NULL, cancellable, error);
}

TessFrame *
tess_json_read_columns (const char *data,
                        gsize length,
                        TessJsonLayout layout,
                        const char *const *columns,
                        GCancellable *cancellable,
                        GError **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return json_read (data ? data : "", length, layout, columns, FALSE, NULL, cancellable, error);
}

static TessFrame *
json_read_file (
    const char *path, TessJsonLayout layout, const char *const *wanted, GCancellable *cancellable, GError **error)
{
  const char *data;
  gsize length;
  TessFrame *frame;

  if ((data = tess_mapped_file_open (path, &length, error)) == NULL)
    return NULL;
  frame = json_read (data, length, layout, wanted, length > 0, NULL, cancellable, error);
  if (!tess_mapped_file_close_checked (data, length, path, error))
    g_clear_pointer (&frame, tess_frame_unref);
  return frame;
}

TessFrame *
tess_json_read_file (const char *path, TessJsonLayout layout, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return json_read_file (path, layout, NULL, cancellable, error);
}

TessFrame *
tess_json_read_file_columns (
    const char *path, TessJsonLayout layout, const char *const *columns, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return json_read_file (path, layout, columns, cancellable, error);
}

TessFrame *
tess_json_read_growing (TessGrowingBody *body,
                        TessJsonLayout layout,
                        const char *const *columns,
                        gsize window,
                        GCancellable *cancellable,
                        GError **error)
{
  Arriving arriving = { body, window ? MAX (window, 16) : WINDOW_BYTES };
  GError *local = NULL;
  const char *data;
  gsize length, arrived;
  TessFrame *frame;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = tess_growing_body_get_data (body, &length);
  if (!tess_growing_body_wait_for (body, MIN (arriving.window, length), &arrived, error))
    return NULL;
  arriving.open_end = !tess_growing_body_get_length (body, &length);
  frame = json_read (data, length, layout, columns, FALSE, &arriving, cancellable, &local);
  if (frame == NULL && arriving.windowed && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* the window's, perhaps: the whole text says */
      g_clear_error (&local);
      if (!tess_growing_body_wait_for (body, length, &arrived, error))
        return NULL;
      return json_read (data, arrived, layout, columns, FALSE, NULL, cancellable, error);
    }
  if (local)
    g_propagate_error (error, local);
  return frame;
}
