/* tess-describe.c: `tessera --describe SOURCE`, which prints the shape of any
 * data source (rows, and each column's name, type and null count) as one line
 * of JSON, or the error and exit status 1 when the source cannot be read.
 */
#include "tess-app-private.h"

#include "tess-source.h"
#include "tess-format-private.h"
#include "tess-thread-private.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

/* {"rows": N, "columns": [{"name": "...", "type": "...", "nulls": N}, ...]} */
static char *
describe_frame (TessFrame *frame)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "{\"rows\": %" G_GSIZE_FORMAT ", \"columns\": [", tess_frame_get_n_rows (frame));
  for (guint i = 0; i < tess_frame_get_n_columns (frame); i++)
    {
      TessColumn *column = tess_frame_get_column (frame, i);
      g_string_append (out, i ? ", {\"name\": " : "{\"name\": ");
      tess_format_append_json (out, tess_column_get_name (column));
      g_string_append_printf (out, ", \"type\": \"%s\", \"nulls\": %" G_GSIZE_FORMAT "}",
                              tess_column_type_to_string (tess_column_get_column_type (column)),
                              tess_column_get_null_count (column));
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

/* Blocks until the source is read: the CLI has nothing else to do. HTTP runs
 * on the data layer's I/O thread. Main thread only. */
int
tess_app_describe (TessAppOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (options != NULL && options->describe != NULL, 1);
  TESS_ASSERT_MAIN_THREAD ();

  frame = tess_source_load (options->describe, NULL, NULL, NULL, NULL, &error);
  if (frame == NULL)
    {
      g_printerr ("tessera: %s\n", error->message);
      return 1;
    }
  json = describe_frame (frame);
  g_print ("%s\n", json);
  return 0;
}
