/* tess-describe.c: `tessera --describe SOURCE`, which prints the shape of any
 * data source (rows, and each column's name, type and null count) as one line
 * of JSON, or the error and exit status 1 when the source cannot be read.
 */
#include "tess-app-private.h"

#include "tess-source.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

static char *
describe_frame (TessFrame *frame)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, tess_frame_get_n_rows (frame));
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tess_frame_get_n_columns (frame); i++)
    {
      TessColumn *column = tess_frame_get_column (frame, i);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, tess_column_get_name (column));
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, tess_column_type_to_string (tess_column_get_column_type (column)));
      json_builder_set_member_name (builder, "nulls");
      json_builder_add_int_value (builder, tess_column_get_null_count (column));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
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
