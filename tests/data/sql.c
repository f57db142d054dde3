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

#include <math.h>
#include <string.h>

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

int
main (int argc, char **argv)
{
  g_autofree char *cache_dir = tess_test_dir_new ("tess-sql-XXXXXX");
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);

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
              "'00000000-0000-0000-0000-000000000000')"));

  g_test_add_func ("/Data/sql/types-match-psql", test_types_match_psql);
  g_test_add_func ("/Data/sql/hostile-strings-are-values", test_hostile_strings_are_values);
  g_test_add_func ("/Data/sql/parameter-types", test_parameter_types);
  g_test_add_func ("/Data/sql/bad-parameters", test_bad_parameters);
  status = g_test_run ();
  tess_test_dir_remove (cache_dir);
  return status;
}
