/* tess-session-timeline.c: a session's timeline written as JSON.
 *
 * The command line's --timeline and the benchmarks read a session's runs as
 * JSON; the session itself only keeps the records (tess-session.c).
 */
#include "tess-session-private.h"
#include "tess-format-private.h"

static void
append_ms (GString *out, const char *name, double ms)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "\"%s\": ", name);
  if (ms < 0)
    g_string_append (out, "null");
  else
    g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.3f", ms));
}

char *
tess_session_timeline_to_json (TessSession *self)
{
  g_autoptr (GPtrArray) records = tess_session_get_timeline (self);
  GString *out = g_string_new ("{\n  ");
  double total = 0;

  for (guint i = 0; i < records->len; i++)
    total = MAX (total, ((TessRunRecord *) g_ptr_array_index (records, i))->end_ms);

  /* Written by hand so that times read as milliseconds to the microsecond. */
  append_ms (out, "total_ms", total);
  g_string_append (out, ",\n  \"runs\": [");
  for (guint i = 0; i < records->len; i++)
    {
      TessRunRecord *record = g_ptr_array_index (records, i);

      g_string_append (out, i > 0 ? ",\n    {" : "\n    {");
      g_string_append (out, "\"fragment\": ");
      tess_format_append_json (out, record->fragment);
      g_string_append_printf (out, ", \"parallel\": %s, \"run\": %u, ", record->parallel ? "true" : "false",
                              record->serial);
      append_ms (out, "queued_ms", record->queued_ms);
      g_string_append (out, ", ");
      append_ms (out, "start_ms", record->start_ms);
      g_string_append (out, ", ");
      append_ms (out, "first_output_ms", record->first_output_ms);
      g_string_append (out, ", ");
      append_ms (out, "end_ms", record->end_ms);
      g_string_append_printf (out, ", \"status\": \"%s\"", tess_run_status_to_string (record->status));
      if (record->error != NULL)
        {
          g_string_append (out, ", \"error\": ");
          tess_format_append_json (out, record->error);
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, records->len > 0 ? "\n  ]\n}\n" : "]\n}\n");
  return g_string_free (out, FALSE);
}
