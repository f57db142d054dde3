/* sql.c: database sources against the run's PostgreSQL server
 * (tests/support/tess-test-postgres.h): results and types against what psql
 * returns for the same query, bound parameters (hostile strings, arrays,
 * dates, NULL), tables and queries by URI, identifiers, the row limit, the
 * memory budget, errors (a dead server, a wrong or missing password, a
 * missing table, a syntax error), the pool (reuse, its limit, idle and
 * broken connections), cancellation on the server, tess_query() from 8
 * parallel fragments, and what a dashboard from the network may reach.
 */
#include "tess-cache.h"
#include "tess-csv.h"
#include "tess-frame.h"
#include "tess-load.h"
#include "tess-memory.h"
#include "tess-session.h"
#include "tess-source.h"
#include "tess-sql.h"
#include "tess-trust.h"
#include "tess-test-dir.h"
#include "tess-test-postgres.h"
#include "tess-test-wait.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

static char *dbname;
static char *db_uri;

/* Every test starts from an empty cache: a result kept by another test would
 * hide what the server does. */
static TessFrame *
query (const char *sql, GVariant *params, const TessSqlOptions *options, GError **error)
{
  tess_cache_clear ();
  return tess_sql_query (db_uri, sql, params, options, NULL, NULL, NULL, error);
}

static TessFrame *
query_ok (const char *sql, GVariant *params)
{
  g_autoptr (GError) error = NULL;
  TessFrame *frame = query (sql, params, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (frame);
  return frame;
}

static char **
psql_rows (const char *sql)
{
  g_autofree char *out = tess_test_postgres_psql (dbname, sql);
  g_strchomp (out);
  return *out ? g_strsplit (out, "\n", -1) : g_new0 (char *, 1);
}

/* Results and types against psql */

#define KINDS_COLUMNS                                                                                                  \
  "id, small, big, ratio, measure, amount, flag, name, label, padded, day, at, at_tz, span, doc, tags, ident"

static void
test_types_match_psql (void)
{
  g_autoptr (TessFrame) frame = query_ok ("SELECT " KINDS_COLUMNS " FROM kinds ORDER BY id", NULL);
  g_auto (GStrv) rows = psql_rows ("SELECT " KINDS_COLUMNS " FROM kinds ORDER BY id");
  /* the types psql's \gdesc would print, from a view of the same query */
  g_auto (GStrv) described = psql_rows ("CREATE TEMP VIEW probe AS SELECT " KINDS_COLUMNS " FROM kinds ORDER BY id; "
                                        "SELECT attname, format_type (atttypid, atttypmod) FROM pg_attribute "
                                        "WHERE attrelid = 'probe'::regclass AND attnum > 0 ORDER BY attnum");
  /* what psql says of each column, and the type a frame gives it */
  static const struct
  {
    const char *psql_type;
    TessColumnType type;
  } expected[] = {
    { "integer", TESS_COLUMN_INT64 },
    { "smallint", TESS_COLUMN_INT64 },
    { "bigint", TESS_COLUMN_INT64 },
    { "real", TESS_COLUMN_DOUBLE },
    { "double precision", TESS_COLUMN_DOUBLE },
    { "numeric(14,3)", TESS_COLUMN_DOUBLE },
    { "boolean", TESS_COLUMN_BOOL },
    { "text", TESS_COLUMN_STRING },
    { "character varying(20)", TESS_COLUMN_STRING },
    { "character(4)", TESS_COLUMN_STRING },
    { "date", TESS_COLUMN_DATE },
    { "timestamp without time zone", TESS_COLUMN_TIMESTAMP },
    { "timestamp with time zone", TESS_COLUMN_TIMESTAMP },
    { "interval", TESS_COLUMN_STRING },
    { "jsonb", TESS_COLUMN_STRING },
    { "text[]", TESS_COLUMN_STRING },
    { "uuid", TESS_COLUMN_STRING },
  };

  g_assert_cmpuint (tess_frame_get_n_columns (frame), ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (g_strv_length (described), ==, G_N_ELEMENTS (expected));
  for (guint c = 0; c < G_N_ELEMENTS (expected); c++)
    {
      g_auto (GStrv) name_type = g_strsplit (described[c], "|", 2);
      TessColumn *column = tess_frame_get_column (frame, c);

      g_assert_cmpstr (name_type[1], ==, expected[c].psql_type);
      g_assert_cmpstr (tess_column_get_name (column), ==, name_type[0]);
      g_assert_cmpint (tess_column_get_column_type (column), ==, expected[c].type);
    }

  /* every value as psql prints it, read as the column's type */
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, g_strv_length (rows));
  for (guint r = 0; rows[r]; r++)
    {
      g_auto (GStrv) fields = g_strsplit (rows[r], "|", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, G_N_ELEMENTS (expected));
      for (guint c = 0; c < G_N_ELEMENTS (expected); c++)
        {
          TessColumn *column = tess_frame_get_column (frame, c);
          const char *text = fields[c];

          if (g_str_equal (text, "\\N"))
            {
              g_assert_true (tess_column_is_null (column, r));
              continue;
            }
          switch (expected[c].type)
            {
            case TESS_COLUMN_INT64:
              g_assert_false (tess_column_is_null (column, r));
              g_assert_cmpint (tess_column_get_int64 (column, r), ==, g_ascii_strtoll (text, NULL, 10));
              break;
            case TESS_COLUMN_DOUBLE:
              if (g_str_equal (text, "NaN"))
                g_assert_true (tess_column_is_null (column, r));
              else
                g_assert_cmpfloat (tess_column_get_double (column, r), ==, g_ascii_strtod (text, NULL));
              break;
            case TESS_COLUMN_BOOL:
              g_assert_cmpint (tess_column_get_bool (column, r), ==, g_str_equal (text, "t"));
              break;
            case TESS_COLUMN_STRING:
              g_assert_cmpstr (tess_column_get_string (column, r), ==, text);
              break;
            default:
              /* dates and times: below, as numbers psql computes */
              g_assert_false (tess_column_is_null (column, r));
              break;
            }
        }
    }

  /* dates as days since 1970-01-01, times as µs since the epoch (UTC) */
  {
    g_auto (GStrv) numbers = psql_rows ("SELECT day - DATE '1970-01-01', (extract(epoch FROM at) * 1000000)::int8, "
                                        "(extract(epoch FROM at_tz) * 1000000)::int8 FROM kinds ORDER BY id");
    for (guint r = 0; numbers[r]; r++)
      {
        g_auto (GStrv) fields = g_strsplit (numbers[r], "|", -1);
        const char *names[] = { "day", "at", "at_tz" };
        for (guint i = 0; i < 3; i++)
          {
            TessColumn *column = tess_frame_get_column_by_name (frame, names[i]);
            if (g_str_equal (fields[i], "\\N"))
              g_assert_true (tess_column_is_null (column, r));
            else
              g_assert_cmpint (tess_column_get_int64 (column, r), ==, g_ascii_strtoll (fields[i], NULL, 10));
          }
      }
  }
}

/* Parameters */

static void
test_hostile_strings_are_values (void)
{
  const char *hostile[] = {
    "1' OR '1'='1", "'; DROP TABLE kinds; --", "$1", "Robert\"); --", "back\\slash", "Åsa 🎉", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr (TessFrame) frame =
          query_ok ("SELECT $1 AS echoed, (SELECT count(*) FROM kinds WHERE name = $1) AS matches",
                    g_variant_new ("(s)", hostile[i]));

      g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 1);
      g_assert_cmpstr (tess_column_get_string (tess_frame_get_column (frame, 0), 0), ==, hostile[i]);
      /* only the row whose name is '' matches, and only the empty string */
      g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column (frame, 1), 0), ==, *hostile[i] ? 0 : 1);
    }
  /* the table is still there, whole */
  {
    g_autoptr (TessFrame) frame = query_ok ("SELECT count(*) FROM kinds", NULL);
    g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column (frame, 0), 0), ==, 3);
  }
}

static void
test_parameter_types (void)
{
  g_autoptr (TessFrame) frame =
      query_ok ("SELECT $1 + 1 AS next, $2 * 2 AS doubled, NOT $3 AS negated, $4::text AS missing, $5 + 1 AS tomorrow, "
                "(SELECT count(*) FROM kinds WHERE id = ANY ($6)) AS chosen, "
                "(SELECT count(*) FROM kinds WHERE name = ANY ($7)) AS named, $8 AS year",
                g_variant_new (
                    "(xdbmsv@as@as@i)", G_GINT64_CONSTANT (41), 1.25, TRUE, NULL, tess_sql_param_date ("2024-02-28"),
                    g_variant_new_strv ((const char *const[]){ "1", "3", "99" }, 3),
                    g_variant_new_strv ((const char *const[]){ "Åsa", "a,b", "{\"}" }, 3), g_variant_new_int32 (2024)));

  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (frame, "next"), 0), ==, 42);
  g_assert_cmpfloat (tess_column_get_double (tess_frame_get_column_by_name (frame, "doubled"), 0), ==, 2.5);
  g_assert_false (tess_column_get_bool (tess_frame_get_column_by_name (frame, "negated"), 0));
  g_assert_true (tess_column_is_null (tess_frame_get_column_by_name (frame, "missing"), 0));
  /* a date parameter is a date: + 1 is the next day */
  g_assert_cmpint (tess_column_get_column_type (tess_frame_get_column_by_name (frame, "tomorrow")), ==,
                   TESS_COLUMN_DATE);
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (frame, "tomorrow"), 0), ==,
                   19782); /* 2024-02-29 */
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (frame, "chosen"), 0), ==, 2);
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (frame, "named"), 0), ==, 1);
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column_by_name (frame, "year"), 0), ==, 2024);
}

static void
test_bad_parameters (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = query ("SELECT $1", g_variant_new_string ("not a tuple"), NULL, &error);

  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "tuple"));
  g_clear_error (&error);

  frame = query ("SELECT $1", g_variant_new ("(@a{sv})", g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)), NULL,
                 &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Parameter $1"));
  g_clear_error (&error);

  frame = query ("SELECT $1", g_variant_new ("(@{sv})", tess_sql_param_typed ("colour", "red")), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "colour"));
}

/* Tables and queries by URI, identifiers */

static void
test_tables_and_queries_by_uri (void)
{
  g_autofree char *table_uri = g_strconcat (db_uri, "&table=kinds", NULL);
  g_autofree char *qualified_uri = g_strconcat (db_uri, "&table=public.kinds", NULL);
  g_autofree char *odd_uri = g_strconcat (db_uri, "&table=%22Odd%20%22%22Name%22%22%22", NULL);
  g_autofree char *query_uri =
      g_strconcat (db_uri, "&query=SELECT%20id%2C%20name%20FROM%20kinds%20WHERE%20id%20%3C%203", NULL);
  g_autofree char *missing_uri = g_strconcat (db_uri, "&table=nowhere", NULL);
  g_autofree char *both_uri = g_strconcat (db_uri, "&table=kinds&query=SELECT%201", NULL);
  g_autoptr (GError) error = NULL;
  TessFrame *frame;

  tess_cache_clear ();
  frame = tess_source_load (table_uri, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 3);
  g_assert_cmpuint (tess_frame_get_n_columns (frame), ==, 17);
  g_assert_cmpint (tess_column_get_column_type (tess_frame_get_column_by_name (frame, "day")), ==, TESS_COLUMN_DATE);
  g_assert_null (tess_frame_get_warning (frame));
  tess_frame_unref (frame);

  frame = tess_source_load (qualified_uri, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 3);
  tess_frame_unref (frame);

  frame = tess_source_load (odd_uri, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 1);
  g_assert_cmpstr (tess_column_get_name (tess_frame_get_column (frame, 0)), ==, "odd \"column\"");
  tess_frame_unref (frame);

  frame = tess_source_load (query_uri, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 2);
  g_assert_cmpuint (tess_frame_get_n_columns (frame), ==, 2);
  tess_frame_unref (frame);

  frame = tess_source_load (missing_uri, NULL, NULL, NULL, NULL, &error);
  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no table “nowhere”"));
  g_clear_error (&error);

  frame = tess_source_load (db_uri, NULL, NULL, NULL, NULL, &error);
  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "?table=NAME or ?query=SQL"));
  g_clear_error (&error);

  frame = tess_source_load (both_uri, NULL, NULL, NULL, NULL, &error);
  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "both ?table= and ?query="));
}

static void
test_identifiers (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) shape = NULL;
  g_autofree char *table = NULL;
  g_autofree char *column = NULL;
  g_autofree char *odd = NULL;
  g_autofree char *sql = NULL;
  g_autoptr (TessFrame) grouped = NULL;

  tess_cache_clear ();
  shape = tess_sql_describe_table (db_uri, "kinds", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (shape), ==, 0);
  g_assert_cmpuint (tess_frame_get_n_columns (shape), ==, 17);
  g_assert_cmpint (tess_column_get_column_type (tess_frame_get_column_by_name (shape, "at_tz")), ==,
                   TESS_COLUMN_TIMESTAMP);

  table = tess_sql_quote_table (db_uri, "kinds", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (table, ==, "\"public\".\"kinds\"");
  odd = tess_sql_quote_table (db_uri, "\"Odd \"\"Name\"\"\"", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (odd, ==, "\"public\".\"Odd \"\"Name\"\"\"");
  g_clear_pointer (&odd, g_free);
  odd = tess_sql_quote_column (db_uri, "\"Odd \"\"Name\"\"\"", "odd \"column\"", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (odd, ==, "\"odd \"\"column\"\"\"");

  /* a column an input chose: checked, then quoted */
  column = tess_sql_quote_column (db_uri, "kinds", "flag", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (column, ==, "\"flag\"");
  sql = g_strdup_printf ("SELECT %s AS key, count(*) AS n FROM %s WHERE id <= $1 GROUP BY 1 ORDER BY 1", column, table);
  grouped = query_ok (sql, g_variant_new ("(i)", 3));
  g_assert_cmpuint (tess_frame_get_n_rows (grouped), ==, 3);

  g_assert_null (tess_sql_quote_column (db_uri, "kinds", "flag; DROP TABLE kinds", NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no column “flag; DROP TABLE kinds”"));
  g_assert_nonnull (strstr (error->message, "id, small, big"));
  g_clear_error (&error);

  g_assert_null (tess_sql_quote_table (db_uri, "kinds; DROP TABLE kinds", NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (tess_sql_quote_table (db_uri, "missing_table", NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* The row limit, the memory budget */

static gboolean
all_connections_idle (gpointer data)
{
  return tess_sql_get_idle_connection_count () == tess_sql_get_open_connection_count ();
}

static void
test_row_limit (void)
{
  TessSqlOptions options = { .row_limit = 1000 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) cut =
      query ("SELECT i, 'row ' || i AS label FROM generate_series (1, 250000) i", NULL, &options, &error);
  g_autoptr (TessFrame) exact = NULL;
  g_autoptr (TessFrame) after = NULL;
  g_autofree char *table_uri = g_strconcat (db_uri, "&table=thousand", NULL);
  guint64 connections;

  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (cut), ==, 1000);
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column (cut, 0), 999), ==, 1000);
  g_assert_nonnull (tess_frame_get_warning (cut));
  g_assert_nonnull (strstr (tess_frame_get_warning (cut), "Only the first 1000 rows"));
  g_assert_nonnull (strstr (tess_frame_get_warning (cut), "row limit of 1000"));

  /* a result of exactly the limit is whole */
  exact = query ("SELECT i FROM generate_series (1, 1000) i", NULL, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (exact), ==, 1000);
  g_assert_null (tess_frame_get_warning (exact));
  g_clear_pointer (&exact, tess_frame_unref);
  tess_cache_clear ();
  exact = tess_sql_load (table_uri, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (exact), ==, 1000);
  g_assert_null (tess_frame_get_warning (exact));
  g_clear_pointer (&exact, tess_frame_unref);
  options.row_limit = 999;
  tess_cache_clear ();
  exact = tess_sql_load (table_uri, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_frame_get_n_rows (exact), ==, 999);
  g_assert_nonnull (tess_frame_get_warning (exact));

  /* the cut statement was stopped on the server and its connection came
   * back to the pool (once the pool's thread had read the end of it) */
  tess_test_poll_until (NULL, all_connections_idle, NULL, 10, "the cut statement's connection to come back");
  connections = tess_sql_get_connection_count ();
  options.row_limit = 1000;
  after = query ("SELECT 1 AS after_cut", NULL, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tess_sql_get_connection_count (), ==, connections);
}

static void
test_memory_budget (void)
{
  guint64 limit = tess_memory_get_limit ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;
  g_autoptr (TessFrame) after = NULL;

  tess_memory_set_limit (4 * 1024 * 1024);
  frame = query ("SELECT i, repeat ('x', 100) AS filler FROM generate_series (1, 200000) i", NULL, NULL, &error);
  tess_memory_set_limit (limit);
  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "Loading postgresql://"));
  g_assert_nonnull (strstr (error->message, "would exceed the 4 MiB memory limit for data"));
  /* what it held is given back */
  g_assert_cmpuint (tess_memory_get_used (), <, 1024 * 1024);
  after = query_ok ("SELECT 1 AS after_budget", NULL);
  g_assert_cmpuint (tess_frame_get_n_rows (after), ==, 1);
}

/* Errors */

static void
assert_query_fails (
    const char *uri, const char *sql, const TessSqlOptions *options, GIOErrorEnum code, const char *const *fragments)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;

  tess_cache_clear ();
  frame = tess_sql_query (uri, sql, NULL, options, NULL, NULL, NULL, &error);
  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, (gint) code);
  for (guint i = 0; fragments[i]; i++)
    if (strstr (error->message, fragments[i]) == NULL)
      g_error ("“%s” is not in the error “%s”", fragments[i], error->message);
}

static gboolean
no_transaction_left_open (gpointer data)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s' AND state = 'idle in transaction'", dbname);
  g_autofree char *out = tess_test_postgres_psql ("postgres", sql);
  return g_ascii_strtoull (out, NULL, 10) == 0;
}

static void
test_server_errors (void)
{
  assert_query_fails (db_uri, "SELECT id\nFROM kinds WHRE id = 1", NULL, G_IO_ERROR_FAILED,
                      (const char *const[]){ "The query on postgresql://", "syntax error at or near \"id\"",
                                             "line 2, column 17", "FROM kinds WHRE id = 1", NULL });
  assert_query_fails (db_uri, "SELECT * FROM missing_table", NULL, G_IO_ERROR_NOT_FOUND,
                      (const char *const[]){ "relation \"missing_table\" does not exist", "line 1, column 15", NULL });
  assert_query_fails (db_uri, "SELECT nope FROM kinds", NULL, G_IO_ERROR_NOT_FOUND,
                      (const char *const[]){ "column \"nope\" does not exist", NULL });
  assert_query_fails (db_uri, "", NULL, G_IO_ERROR_INVALID_ARGUMENT, (const char *const[]){ "is empty", NULL });
  /* sessions are read-only */
  assert_query_fails (db_uri, "CREATE TABLE intruder (a int)", NULL, G_IO_ERROR_PERMISSION_DENIED,
                      (const char *const[]){ "read-only", NULL });
  assert_query_fails (db_uri, "INSERT INTO kinds (id) VALUES (99) RETURNING id", NULL, G_IO_ERROR_PERMISSION_DENIED,
                      (const char *const[]){ "read-only", NULL });
  /* a statement that turns read-only off leaves no session behind that writes */
  {
    g_autoptr (TessFrame) frame =
        query_ok ("SELECT set_config ('default_transaction_read_only', 'off', false) AS turned", NULL);
    g_assert_cmpstr (tess_column_get_string (tess_frame_get_column (frame, 0), 0), ==, "off");
  }
  for (int i = 0; i < 4; i++)
    assert_query_fails (db_uri, "CREATE TABLE intruder (a int)", NULL, G_IO_ERROR_PERMISSION_DENIED,
                        (const char *const[]){ "read-only", NULL });
  /* nor one left in a transaction */
  assert_query_fails (db_uri, "BEGIN", NULL, G_IO_ERROR_INVALID_ARGUMENT,
                      (const char *const[]){ "returned no rows", NULL });
  tess_test_poll_until (NULL, no_transaction_left_open, NULL, 10, "the connection left in a transaction to close");
  /* the statement timeout */
  {
    TessSqlOptions options = { .statement_timeout = 0.2 };
    assert_query_fails (db_uri, "SELECT pg_sleep (5)", &options, G_IO_ERROR_TIMED_OUT,
                        (const char *const[]){ "statement timeout", "0.2 s", NULL });
  }
}

static void
test_connection_errors (void)
{
  g_autofree char *nowhere_dir = tess_test_dir_new ("tess-no-server-XXXXXX");
  g_autofree char *dead = g_strdup_printf ("postgresql:///postgres?host=%s", nowhere_dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;

  assert_query_fails (dead, "SELECT 1", NULL, G_IO_ERROR_CONNECTION_REFUSED,
                      (const char *const[]){ "Cannot connect to the database postgresql:///postgres?host=",
                                             "check that the server runs", NULL });
  assert_query_fails ("postgresql://127.0.0.1:1/postgres", "SELECT 1", NULL, G_IO_ERROR_CONNECTION_REFUSED,
                      (const char *const[]){ "Cannot connect", "127.0.0.1", NULL });
  tess_test_dir_remove (nowhere_dir);
  {
    g_autofree char *no_db = tess_test_postgres_uri ("no_such_database", NULL);
    assert_query_fails (no_db, "SELECT 1", NULL, G_IO_ERROR_PERMISSION_DENIED,
                        (const char *const[]){ "database \"no_such_database\" does not exist", NULL });
  }

  /* a password in the address, whichever way it is written, and never quoted back */
  {
    g_autofree char *with_password = g_strdup_printf ("postgresql://ana:s3cr3t@db.example.org/sales");
    g_autofree char *as_keyword = g_strconcat (db_uri, "&password=s3cr3t", NULL);
    const char *uris[] = { with_password, as_keyword };

    for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
      {
        assert_query_fails (uris[i], "SELECT 1", NULL, G_IO_ERROR_INVALID_ARGUMENT,
                            (const char *const[]){ "holds a password", "PGPASSFILE", "service file",
                                                   "${env:NAME} in a local document", NULL });
        frame = tess_sql_query (uris[i], "SELECT 1", NULL, NULL, NULL, NULL, NULL, &error);
        g_assert_null (strstr (error->message, "s3cr3t"));
        g_clear_error (&error);
      }
  }
  assert_query_fails ("postgresql://[broken", "SELECT 1", NULL, G_IO_ERROR_INVALID_ARGUMENT,
                      (const char *const[]){ "not a database address libpq reads", NULL });
}

static void
test_passwords (void)
{
  g_autofree char *dir = tess_test_dir_new ("tess-pgpass-XXXXXX");
  g_autofree char *role = g_strdup_printf ("tess_pw_%d", (int) getpid ());
  g_autofree char *line_right = g_strdup_printf ("*:*:*:%s:right horse\n", role);
  g_autofree char *line_wrong = g_strdup_printf ("*:*:*:%s:wrong horse\n", role);
  g_autofree char *right = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *uri = tess_test_postgres_uri (dbname, role);
  g_autofree char *uri_right = NULL;
  g_autofree char *uri_wrong = NULL;
  g_autofree char *uri_none = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;

  tess_test_postgres_create_password_role (role, "right horse");
  right = tess_test_dir_write_file (dir, "right", line_right);
  wrong = tess_test_dir_write_file (dir, "wrong", line_wrong);
  empty = tess_test_dir_write_file (dir, "empty", "");
  g_chmod (right, 0600);
  g_chmod (wrong, 0600);
  g_chmod (empty, 0600);
  /* passfile= is PGPASSFILE as a keyword: the environment stays as it is */
  uri_right = g_strconcat (uri, "&passfile=", right, NULL);
  uri_wrong = g_strconcat (uri, "&passfile=", wrong, NULL);
  uri_none = g_strconcat (uri, "&passfile=", empty, NULL);

  assert_query_fails (
      uri_wrong, "SELECT 1", NULL, G_IO_ERROR_PERMISSION_DENIED,
      (const char *const[]){ "refused the password of user", role, "password authentication failed", NULL });
  assert_query_fails (uri_none, "SELECT 1", NULL, G_IO_ERROR_PERMISSION_DENIED,
                      (const char *const[]){ "wants a password for user", role, "PGPASSFILE", NULL });

  tess_cache_clear ();
  frame = tess_sql_query (uri_right, "SELECT current_user AS who", NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tess_column_get_string (tess_frame_get_column (frame, 0), 0), ==, role);
  g_clear_pointer (&frame, tess_frame_unref);

  /* from the options, as a document gives ${env:NAME} or the keyring a
   * secret (main() set the variable) */
  {
    TessSqlOptions options = { .password = "${env:TESS_TEST_DB_PASSWORD}" };
    TessSqlOptions wrong_secret = { .password = "not the password" };
    TessSqlOptions missing = { .password = "${env:TESS_TEST_NO_SUCH_VARIABLE}" };

    tess_cache_clear ();
    frame = tess_sql_query (uri_none, "SELECT current_user AS who", NULL, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (tess_column_get_string (tess_frame_get_column (frame, 0), 0), ==, role);
    g_clear_pointer (&frame, tess_frame_unref);
    /* connections made with one password are never lent to another */
    assert_query_fails (uri_none, "SELECT current_user AS who", &wrong_secret, G_IO_ERROR_PERMISSION_DENIED,
                        (const char *const[]){ "refused the password", NULL });
    assert_query_fails (uri_none, "SELECT 2", &missing, G_IO_ERROR_NOT_FOUND,
                        (const char *const[]){ "TESS_TEST_NO_SUCH_VARIABLE", NULL });
  }
  tess_test_dir_remove (dir);
}

/* The pool */

static gint64
backend_pid (const char *sql)
{
  g_autoptr (TessFrame) frame = query_ok (sql, NULL);
  return tess_column_get_int64 (tess_frame_get_column (frame, 0), 0);
}

static void
test_pool_reuse (void)
{
  guint64 made;
  gint64 pid;

  tess_sql_close_idle_connections ();
  made = tess_sql_get_connection_count ();
  pid = backend_pid ("SELECT pg_backend_pid () AS first");
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT pg_backend_pid () AS again_%d", i);
      g_assert_cmpint (backend_pid (sql), ==, pid);
    }
  g_assert_cmpuint (tess_sql_get_connection_count (), ==, made + 1);

  /* a pooled connection the server ended while it was idle is not reused:
   * the next query gets a new one */
  {
    g_autofree char *kill = g_strdup_printf ("SELECT pg_terminate_backend (%" G_GINT64_FORMAT ")", pid);
    g_autofree char *alive =
        g_strdup_printf ("SELECT count (*) FROM pg_stat_activity WHERE pid = %" G_GINT64_FORMAT, pid);
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    g_free (tess_test_postgres_psql ("postgres", kill));
    /* pg_terminate_backend() only signals: wait until the server has ended it */
    for (;;)
      {
        g_autofree char *count = tess_test_postgres_psql ("postgres", alive);
        if (g_str_equal (g_strstrip (count), "0"))
          break;
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (10000);
      }
    g_assert_cmpint (backend_pid ("SELECT pg_backend_pid () AS after_kill"), !=, pid);
    g_assert_cmpuint (tess_sql_get_connection_count (), ==, made + 2);
  }
}

typedef struct
{
  int index;
  gint *max_open;
} Parallel;

static gpointer
parallel_query (gpointer data)
{
  Parallel *parallel = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = tess_sql_query (db_uri, "SELECT $1 AS n, pg_sleep (0.3)",
                                                g_variant_new ("(i)", parallel->index), NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (tess_column_get_int64 (tess_frame_get_column (frame, 0), 0), ==, parallel->index);
  return NULL;
}

static void
test_pool_limit (void)
{
  GThread *threads[8];
  Parallel parallel[8];
  guint64 made;
  guint max_open = 0;
  gboolean running = TRUE;

  tess_cache_clear ();
  tess_sql_close_idle_connections ();
  made = tess_sql_get_connection_count ();
  for (int i = 0; i < 8; i++)
    {
      parallel[i].index = i;
      threads[i] = g_thread_new ("query", parallel_query, &parallel[i]);
    }
  /* eight queries at once share four connections */
  for (int i = 0; i < 8; i++)
    {
      g_thread_join (threads[i]);
      max_open = MAX (max_open, tess_sql_get_open_connection_count ());
    }
  (void) running;
  g_assert_cmpuint (max_open, <=, 4);
  g_assert_cmpuint (tess_sql_get_connection_count () - made, ==, 4);
  g_assert_cmpuint (tess_sql_get_open_connection_count (), <=, 4);
}

static guint64
count_backends (const char *application_name)
{
  g_autofree char *sql =
      g_strdup_printf ("SELECT count(*) FROM pg_stat_activity WHERE application_name = '%s'", application_name);
  g_autofree char *out = tess_test_postgres_psql ("postgres", sql);
  return g_ascii_strtoull (out, NULL, 10);
}

static gboolean
no_backend_left (gpointer data)
{
  return count_backends (data) == 0;
}

static void
test_pool_idle_timeout (void)
{
  g_autofree char *uri = g_strconcat (db_uri, "&application_name=tess_idle_test", NULL);
  TessSqlOptions options = { .idle_timeout = 0.3 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TessFrame) frame = NULL;

  tess_cache_clear ();
  frame = tess_sql_query (uri, "SELECT 1 AS idle_soon", NULL, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_backends ("tess_idle_test"), ==, 1);
  /* the server sees the connection go after the idle timeout */
  tess_test_poll_until (NULL, no_backend_left, (gpointer) "tess_idle_test", 10, "the idle connection to close");
}

/* From fragments: cancellation on the server, 8 in parallel, the warning */

static gboolean
session_is_idle (gpointer session)
{
  return tess_session_is_idle (session);
}

static void
wait_idle (TessSession *session)
{
  tess_test_poll_until (NULL, session_is_idle, session, 30, "the session to be idle");
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The first element of @kind in @element's tree whose "text" contains
 * @needle, or NULL. */
static TessElement *
find_element (TessElement *element, TessElementKind kind, const char *needle)
{
  const char *text;

  if (element == NULL)
    return NULL;
  text = tess_element_get_string (element, "text");
  if (tess_element_get_kind (element) == kind && text && strstr (text, needle))
    return element;
  for (guint i = 0; i < tess_element_get_n_children (element); i++)
    {
      TessElement *found = find_element (tess_element_get_child (element, i), kind, needle);
      if (found)
        return found;
    }
  return NULL;
}

static char *sleep_marker;

static gboolean
sleeper (TessRun *run, gpointer user_data, GError **error)
{
  TessInputOptions options = { .key = "seconds" };
  double seconds = tess_slider (run, "Seconds", 0, 60, 10, &options);
  g_autofree char *sql = g_strdup_printf ("SELECT pg_sleep ($1) AS slept /* %s */", sleep_marker);
  g_autoptr (TessFrame) frame = tess_query (run, db_uri, sql, g_variant_new ("(d)", seconds), error);

  if (frame == NULL)
    return FALSE;
  tess_textf (run, "slept %g s", seconds);
  return TRUE;
}

static gboolean
sleeper_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  tess_fragment (run, "sleeper", sleeper, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

typedef struct
{
  char *pid;
  char *query_start;
} Backend;

/* The backend running the sleeping query, once it runs. */
static gboolean
sleep_is_running (gpointer data)
{
  Backend *backend = data;
  g_autofree char *sql = g_strdup_printf ("SELECT pid, query_start FROM pg_stat_activity WHERE state = 'active' AND "
                                          "query LIKE '%%%s%%' AND query NOT LIKE '%%pg_stat_activity%%'",
                                          sleep_marker);
  g_autofree char *out = g_strstrip (tess_test_postgres_psql ("postgres", sql));
  g_auto (GStrv) fields = NULL;

  if (*out == '\0')
    return FALSE;
  fields = g_strsplit (out, "|", 2);
  backend->pid = g_strdup (fields[0]);
  backend->query_start = g_strdup (fields[1]);
  return TRUE;
}

static gboolean
sleep_has_ended (gpointer data)
{
  Backend *backend = data;
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity WHERE pid = %s AND state = 'active' "
                                          "AND query_start = '%s'",
                                          backend->pid, backend->query_start);
  g_autofree char *out = tess_test_postgres_psql ("postgres", sql);
  return g_ascii_strtoull (out, NULL, 10) == 0;
}

static gsize
log_length (void)
{
  g_autofree char *log = NULL;
  gsize length = 0;

  g_file_get_contents (tess_test_postgres_get_log_path (), &log, &length, NULL);
  return length;
}

/* The time (µs since the epoch) the server logged that it cancelled the
 * statement of @pid on request, after the first @from bytes of its log; or
 * 0. */
static gint64
logged_cancel_time (const char *pid, gsize from)
{
  g_autofree char *log = NULL;
  g_autofree char *tag = g_strdup_printf (" [%s] ", pid);
  g_auto (GStrv) lines = NULL;
  gsize length = 0;

  if (!g_file_get_contents (tess_test_postgres_get_log_path (), &log, &length, NULL) || length < from)
    return 0;
  lines = g_strsplit (log + from, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (strstr (lines[i], tag) && strstr (lines[i], "canceling statement due to user request") &&
        strlen (lines[i]) > 23)
      {
        g_autofree char *iso = g_strdup_printf ("%.10sT%.12sZ", lines[i], lines[i] + 11);
        g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);
        if (time)
          return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
      }
  return 0;
}

typedef struct
{
  const char *pid;
  gsize from;
} LogWait;

static gboolean
cancel_is_logged (gpointer data)
{
  LogWait *wait = data;
  return logged_cancel_time (wait->pid, wait->from) != 0;
}

/* One supersede: how long after the input changed the server logged that it
 * cancelled pg_sleep (10) on request (µs). */
static gint64
supersede_sleep (int attempt)
{
  g_autoptr (TessSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TessElement) root = NULL;
  Backend backend = { 0 };
  LogWait wait;
  gint64 superseded, ended, logged;

  tess_cache_clear ();
  sleep_marker = g_strdup_printf ("supersede-%d-%d", (int) getpid (), attempt);
  session = tess_session_new (sleeper_dashboard, NULL, NULL);
  tess_session_start (session);
  tess_test_poll_until (NULL, sleep_is_running, &backend, 20, "the server to run pg_sleep (10)");

  /* the slider moves: the run in flight is superseded */
  wait.pid = backend.pid;
  wait.from = log_length ();
  superseded = g_get_real_time ();
  g_assert_true (tess_session_set_input (session, "seconds", g_variant_new_double (0), &error));
  g_assert_no_error (error);
  tess_test_poll_until (NULL, sleep_has_ended, &backend, 20, "the server to stop pg_sleep (10)");
  ended = g_get_real_time ();
  tess_test_poll_until (NULL, cancel_is_logged, &wait, 20, "the server to log the cancel");
  logged = logged_cancel_time (backend.pid, wait.from);
  g_test_message ("the server cancelled the statement %.1f ms after the input changed (psql saw it after %.1f ms)",
                  (logged - superseded) / 1000.0, (ended - superseded) / 1000.0);
  /* long before pg_sleep (10) would have ended by itself */
  g_assert_cmpint (ended - superseded, <, 5 * G_USEC_PER_SEC);

  /* the new run's result replaces the old one */
  wait_idle (session);
  root = tess_session_get_scope_root (session, "sleeper");
  g_assert_nonnull (find_element (root, TESS_ELEMENT_TEXT, "slept 0 s"));
  tess_session_close (session);
  g_clear_pointer (&sleep_marker, g_free);
  g_free (backend.pid);
  g_free (backend.query_start);
  return logged - superseded;
}

static void
test_superseded_query_cancelled_on_server (void)
{
  gint64 delay = G_MAXINT64;

  /* The server's own log says when it cancelled the statement: within
   * 100 ms of the input change. The time depends on a busy machine's
   * scheduling, so a late first try is given two more (a query left to
   * finish by itself would take 10 s every time). */
  for (int attempt = 0; attempt < 3 && delay >= 100 * 1000; attempt++)
    {
      gint64 this_time = supersede_sleep (attempt);
      delay = MIN (delay, this_time);
    }
  g_assert_cmpint (delay, <, 100 * 1000);
}

static gboolean
numbered (TessRun *run, gpointer user_data, GError **error)
{
  int n = GPOINTER_TO_INT (user_data);
  g_autoptr (TessFrame) frame =
      tess_query (run, db_uri, "SELECT $1 AS n, pg_sleep (0.2) AS pause", g_variant_new ("(i)", n), error);

  if (frame == NULL)
    return FALSE;
  tess_textf (run, "n=%" G_GINT64_FORMAT, tess_column_get_int64 (tess_frame_get_column (frame, 0), 0));
  return TRUE;
}

static gboolean
limited (TessRun *run, gpointer user_data, GError **error)
{
  TessSqlOptions options = { .row_limit = 10 };
  g_autoptr (TessFrame) frame =
      tess_query_full (run, db_uri, "SELECT i FROM generate_series (1, 100) i", NULL, &options, error);

  if (frame == NULL)
    return FALSE;
  tess_textf (run, "%" G_GSIZE_FORMAT " rows", tess_frame_get_n_rows (frame));
  return TRUE;
}

static gboolean
failing (TessRun *run, gpointer user_data, GError **error)
{
  g_autoptr (TessFrame) frame = tess_query (run, db_uri, "SELECT * FROM missing_table", NULL, error);
  return frame != NULL;
}

static gboolean
eight_dashboard (TessRun *run, gpointer user_data, GError **error)
{
  for (int i = 0; i < 8; i++)
    {
      g_autofree char *key = g_strdup_printf ("q%d", i);
      tess_fragment (run, key, numbered, GINT_TO_POINTER (i), TESS_FRAGMENT_PARALLEL);
    }
  tess_fragment (run, "limited", limited, NULL, TESS_FRAGMENT_PARALLEL);
  tess_fragment (run, "failing", failing, NULL, TESS_FRAGMENT_PARALLEL);
  return TRUE;
}

static void
test_parallel_fragments (void)
{
  g_autoptr (TessSession) session = tess_session_new (eight_dashboard, NULL, NULL);
  g_autoptr (GPtrArray) timeline = NULL;
  guint ok = 0, failed = 0;

  tess_cache_clear ();
  tess_session_start (session);
  wait_idle (session);
  timeline = tess_session_get_timeline (session);
  for (guint i = 0; i < timeline->len; i++)
    {
      TessRunRecord *record = timeline->pdata[i];
      if (record->fragment[0] && record->status == TESS_RUN_OK)
        ok++;
      if (record->status == TESS_RUN_ERROR)
        {
          failed++;
          g_assert_cmpstr (record->fragment, ==, "failing");
          g_assert_nonnull (strstr (record->error, "relation \"missing_table\" does not exist"));
        }
    }
  g_assert_cmpuint (ok, ==, 9);
  g_assert_cmpuint (failed, ==, 1);
  for (int i = 0; i < 8; i++)
    {
      g_autofree char *path = g_strdup_printf ("q%d", i);
      g_autofree char *text = g_strdup_printf ("n=%d", i);
      g_autoptr (TessElement) root = tess_session_get_scope_root (session, path);
      g_assert_nonnull (find_element (root, TESS_ELEMENT_TEXT, text));
    }
  {
    g_autoptr (TessElement) root = tess_session_get_scope_root (session, "limited");
    TessElement *warning = find_element (root, TESS_ELEMENT_CALLOUT, "row limit of 10");
    g_assert_nonnull (warning);
    g_assert_cmpstr (tess_element_get_string (warning, "kind"), ==, "warning");
    g_assert_nonnull (find_element (root, TESS_ELEMENT_TEXT, "10 rows"));
  }
  g_assert_cmpuint (tess_sql_get_open_connection_count (), <=, 4);
  tess_session_close (session);
}

/* What a dashboard from the network may reach */

static void
assert_refused (TessTrust *trust, const char *uri, TessTrustError code, const char *needle)
{
  g_autoptr (GError) error = NULL;

  if (tess_trust_check_uri (trust, uri, &error))
    g_error ("%s was not refused", uri);
  g_assert_error (error, TESS_TRUST_ERROR, (gint) code);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” is not in the error “%s”", needle, error->message);
}

static void
test_trust (void)
{
  g_autoptr (TessTrust) local = tess_trust_new ("/home/ana/sales.tessera");
  g_autoptr (TessTrust) remote = tess_trust_new ("https://dash.example.org/d.tessera");
  g_auto (GStrv) blocked = NULL;

  /* a local dashboard reaches any database */
  g_assert_true (tess_trust_check_uri (local, "postgresql:///sales?host=/run/postgresql", NULL));
  g_assert_true (tess_trust_check_uri (local, "postgresql:///?service=prod", NULL));

  /* a remote one, only hosts the user allowed by name, its own included */
  assert_refused (remote, "postgresql://db.example.org/sales", TESS_TRUST_ERROR_NEEDS_ALLOW, "db.example.org");
  assert_refused (remote, "postgres://dash.example.org/sales", TESS_TRUST_ERROR_NEEDS_ALLOW, "dash.example.org");
  assert_refused (remote, "postgresql:///sales", TESS_TRUST_ERROR_NEEDS_ALLOW, "on this computer (localhost)");
  assert_refused (remote, "postgresql:///sales?host=/run/postgresql", TESS_TRUST_ERROR_NEEDS_ALLOW,
                  "--allow-origin=localhost");
  assert_refused (remote, "postgresql://127.0.0.1:5432/sales", TESS_TRUST_ERROR_NEEDS_ALLOW, "127.0.0.1");
  blocked = tess_trust_dup_blocked_hosts (remote);
  g_assert_true (g_strv_contains ((const char *const *) blocked, "db.example.org"));
  g_assert_true (g_strv_contains ((const char *const *) blocked, "localhost"));

  tess_trust_allow_host (remote, "db.example.org");
  g_assert_true (tess_trust_check_uri (remote, "postgresql://ana@db.example.org:6432/sales?sslmode=require", NULL));
  /* every host of the list, and an address given beside the name */
  assert_refused (remote, "postgresql://db.example.org,db2.example.org/sales", TESS_TRUST_ERROR_NEEDS_ALLOW,
                  "db2.example.org");
  assert_refused (remote, "postgresql://db.example.org/sales?hostaddr=10.0.0.5", TESS_TRUST_ERROR_NEEDS_ALLOW,
                  "10.0.0.5");
  /* nothing that reads this computer's files or sets the session */
  assert_refused (remote, "postgresql://db.example.org/sales?passfile=/home/ana/.pgpass", TESS_TRUST_ERROR_FORBIDDEN,
                  "passfile=");
  assert_refused (remote, "postgresql:///?service=prod", TESS_TRUST_ERROR_FORBIDDEN, "service=");
  assert_refused (remote, "postgresql://db.example.org/sales?sslkey=/home/ana/key.pem", TESS_TRUST_ERROR_FORBIDDEN,
                  "sslkey=");
  assert_refused (remote, "postgresql://db.example.org/sales?options=-c%20default_transaction_read_only%3Doff",
                  TESS_TRUST_ERROR_FORBIDDEN, "options=");

  /* and a query from such a dashboard, end to end */
  {
    TessSqlOptions options = { .trust = remote };
    TessLoadOptions load_options = { .trust = remote };
    g_autofree char *table_uri = g_strconcat (db_uri, "&table=kinds", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (TessFrame) frame = NULL;

    tess_cache_clear ();
    frame = tess_sql_query (db_uri, "SELECT 1 AS reached", NULL, &options, NULL, NULL, NULL, &error);
    g_assert_null (frame);
    g_assert_error (error, TESS_TRUST_ERROR, TESS_TRUST_ERROR_NEEDS_ALLOW);
    g_clear_error (&error);
    frame = tess_source_load (table_uri, &load_options, NULL, NULL, NULL, &error);
    g_assert_null (frame);
    g_assert_error (error, TESS_TRUST_ERROR, TESS_TRUST_ERROR_NEEDS_ALLOW);
    g_clear_error (&error);

    tess_trust_allow_host (remote, "localhost");
    frame = tess_sql_query (db_uri, "SELECT 1 AS reached", NULL, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 1);
    g_clear_pointer (&frame, tess_frame_unref);
    frame = tess_source_load (table_uri, &load_options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tess_frame_get_n_rows (frame), ==, 3);
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *cache_dir = tess_test_dir_new ("tess-sql-XXXXXX");
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_setenv ("TESS_TEST_DB_PASSWORD", "right horse", TRUE);

  dbname = tess_test_postgres_create_database ("tess_sql");
  db_uri = tess_test_postgres_uri (dbname, NULL);
  g_free (tess_test_postgres_psql (
      dbname, "CREATE TABLE kinds (id int4, small int2, big int8, ratio float4, measure float8, amount numeric(14,3), "
              "flag bool, name text, label varchar(20), padded char(4), day date, at timestamp, at_tz timestamptz, "
              "span interval, doc jsonb, tags text[], ident uuid);"
              "INSERT INTO kinds VALUES "
              "(1, 2, 9007199254740993, 1.5, 0.1, 12345.678, true, 'Åsa', 'a,b', 'ab', '2024-02-29', "
              "'2024-02-29 13:45:06.789', '2024-02-29 13:45:06.789+05:30', '1 day 02:00:00', '{\"a\": [1, 2]}', "
              "'{x,\"y z\"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),"
              "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
              "(3, -32768, -9223372036854775808, '-Infinity', 'NaN', -0.001, false, '', 'quote\"and\\', 'x', "
              "'0044-03-15 BC', '1999-12-31 23:59:59.000001', '1970-01-01 00:00:00+00', '-3 mons', 'null', '{}', "
              "'00000000-0000-0000-0000-000000000000');"
              "CREATE TABLE \"Odd \"\"Name\"\"\" (\"odd \"\"column\"\"\" int);"
              "INSERT INTO \"Odd \"\"Name\"\"\" VALUES (1);"
              "CREATE TABLE thousand AS SELECT i FROM generate_series (1, 1000) i;"));

  g_test_add_func ("/Data/sql/types-match-psql", test_types_match_psql);
  g_test_add_func ("/Data/sql/hostile-strings-are-values", test_hostile_strings_are_values);
  g_test_add_func ("/Data/sql/parameter-types", test_parameter_types);
  g_test_add_func ("/Data/sql/bad-parameters", test_bad_parameters);
  g_test_add_func ("/Data/sql/tables-and-queries-by-uri", test_tables_and_queries_by_uri);
  g_test_add_func ("/Data/sql/identifiers", test_identifiers);
  g_test_add_func ("/Data/sql/row-limit", test_row_limit);
  g_test_add_func ("/Data/sql/memory-budget", test_memory_budget);
  g_test_add_func ("/Data/sql/server-errors", test_server_errors);
  g_test_add_func ("/Data/sql/connection-errors", test_connection_errors);
  g_test_add_func ("/Data/sql/passwords", test_passwords);
  g_test_add_func ("/Data/sql/pool-reuse", test_pool_reuse);
  g_test_add_func ("/Data/sql/pool-limit", test_pool_limit);
  g_test_add_func ("/Data/sql/pool-idle-timeout", test_pool_idle_timeout);
  g_test_add_func ("/Data/sql/superseded-query-cancelled-on-server", test_superseded_query_cancelled_on_server);
  g_test_add_func ("/Data/sql/parallel-fragments", test_parallel_fragments);
  g_test_add_func ("/Data/sql/trust", test_trust);
  status = g_test_run ();
  tess_test_dir_remove (cache_dir);
  return status;
}
