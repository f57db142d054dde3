/* fuzz-json.c: libFuzzer target for the JSON reader, in each layout (picked by
 * the last byte of the input); each frame that comes back is read in full.
 * The text is also read as a body still arriving, through a window of 16 to
 * 79 bytes, into a body whose length is known from the start or only at its
 * end (the second byte picks both): the same frame, or the same error.
 *
 * A differential check besides: text the reader accepts must be JSON that
 * json-glib parses too, as a whole or, read as NDJSON, line by line. The
 * reader refuses some text json-glib lets through (comments, single quotes,
 * hexadecimal numbers), never the other way round.
 */
#include "frame-compare.h"
#include "fuzz-columns.h"
#include "tess-json-reader-private.h"
#include "tess-transform.h"

#include <json-glib/json-glib.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static gboolean
json_glib_parses (const char *text, gsize length)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();

  return json_parser_load_from_data (parser, text, length, NULL);
}

/* Whether json-glib parses each line that is not blank, as NDJSON. */
static gboolean
json_glib_parses_lines (const char *text, gsize length)
{
  const char *p = text, *e = text + length;

  while (p < e)
    {
      const char *newline = memchr (p, '\n', e - p);
      const char *end = newline ? newline : e;
      const char *s = p;

      p = newline ? newline + 1 : e;
      while (s < end && g_ascii_isspace (*s))
        s++;
      if (s < end && !json_glib_parses (s, end - s))
        return FALSE;
    }
  return TRUE;
}

/* Reads some columns of the text (which, the bits of its first byte pick:
 * the first of eight, the second...; with no frame to name them, made-up
 * names): when the full read gave @frame, they are its columns; when it
 * failed with @error, the partial read fails the same way. */
static void
check_partial_read (const char *text, gsize length, TessJsonLayout layout, TessFrame *frame, GError *error)
{
  static const char *const made_up[] = { "a", "b", "c", NULL };
  g_autoptr (GPtrArray) wanted = fuzz_pick_columns (length ? (guint8) text[0] : 0, frame, made_up);
  g_autoptr (GError) partial_error = NULL;
  g_autoptr (TessFrame) partial = NULL;

  partial = tess_json_read_columns (text, length, layout, (const char *const *) wanted->pdata, NULL, &partial_error);
  g_assert ((partial == NULL) != (partial_error == NULL));
  if (frame)
    {
      g_autoptr (TessFrame) expected = tess_frame_select (frame, (const char *const *) wanted->pdata, NULL);

      g_assert (partial != NULL);
      assert_same_frame (expected, partial);
    }
  else
    {
      g_assert (partial == NULL);
      g_assert (strcmp (error->message, partial_error->message) == 0);
    }
}

/* Reads the text as a body that has arrived, through a small window: what
 * the read of the whole text gave, @frame or @error. */
static void
check_windowed_read (const char *text, gsize length, TessJsonLayout layout, TessFrame *frame, GError *error)
{
  guint8 pick = length > 1 ? (guint8) text[1] : 0;
  g_autoptr (TessGrowingBody) body =
      pick & 64 ? tess_growing_body_new_open (length + 100) : tess_growing_body_new (length);
  g_autoptr (GError) windowed_error = NULL;
  g_autoptr (TessFrame) windowed = NULL;
  gsize room;

  memcpy (tess_growing_body_get_free (body, &room), text, length);
  tess_growing_body_commit (body, length);
  tess_growing_body_finish (body, NULL);
  windowed =
      tess_json_read_growing (body, layout, NULL, 16 + (length > 1 ? (guint8) text[1] % 64 : 0), NULL, &windowed_error);
  g_assert ((windowed == NULL) != (windowed_error == NULL));
  if (frame)
    {
      g_assert (windowed != NULL);
      assert_same_frame (frame, windowed);
    }
  else
    {
      g_assert (windowed == NULL);
      g_assert (strcmp (error->message, windowed_error->message) == 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  TessJsonLayout layout = size ? data[size - 1] % 4 : TESS_JSON_AUTO;
  const char *text = (const char *) data;
  gsize length = size;

  frame = tess_json_read (text, length, layout, NULL, &error);
  g_assert ((frame == NULL) != (error == NULL));
  check_partial_read (text, length, layout, frame, error);
  check_windowed_read (text, length, layout, frame, error);
  if (frame == NULL)
    return 0;
  for (guint c = 0; c < tess_frame_get_n_columns (frame); c++)
    for (gsize r = 0; r < tess_frame_get_n_rows (frame); r++)
      {
        g_autofree char *value = tess_column_format_value (tess_frame_get_column (frame, c), r);
        (void) value;
      }

  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    text += 3, length -= 3;
  switch (layout)
    {
    case TESS_JSON_NDJSON:
      g_assert (json_glib_parses_lines (text, length));
      break;
    case TESS_JSON_AUTO:
      g_assert (json_glib_parses (text, length) || json_glib_parses_lines (text, length));
      break;
    default:
      g_assert (json_glib_parses (text, length));
    }
  return 0;
}
