// duckdb.cjs: the DuckDB side of bench/compare.sh, and its data generator.
//
//   node duckdb.cjs generate DIR ROWS RECORDS   mixed.csv, records.json, records.ndjson
//   node duckdb.cjs WORKLOAD FILE                run one workload, print its result
//
// WORKLOAD is csv, json, ndjson (load the whole file into a table and count
// its rows), groupby (a filter and a group-by of two columns straight from the
// CSV; prints the number of groups) or startup (an empty database and
// SELECT 1: what Node.js and the library cost before any work). The package
// @duckdb/node-api is found through NODE_PATH, which compare.sh points at its
// own install.
//
// The generator writes the shapes of bench/data's generators (csv_parse.c's
// mixed table, json_parse.c's records) with DuckDB, so that 10 million rows
// take seconds. Its "random" values are Weyl sequences, (i * A + B) mod P with
// P the largest prime under 2^32: plain integer arithmetic, so the files are
// byte for byte the same from one run, thread count or DuckDB version to the
// next, which random() with a seed does not promise.
'use strict';

const { DuckDBInstance } = require('@duckdb/node-api');

const P = 4294967291;

// Column k's value for row j, in [0, P).
function weyl (k) {
  const multipliers = [2654435761, 2246822519, 3266489917, 668265263, 374761393, 3419445559,
                       1181783497, 2869860233, 1597334677, 3812015801, 2898520763, 1013904223];
  return `((j * ${multipliers[k]} + ${(k + 1) * 387420489 % P}) % ${P})`;
}

function literal (text) {
  return `'${String (text).replaceAll ("'", "''")}'`;
}

// Writes each row's one text column as it is: no quoting, no escaping, no header.
function copyLines (select, path) {
  return `COPY (${select}) TO ${literal (path)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '')`;
}

// csv_parse.c's mixed table: an id, two ints, two doubles, a timestamp with
// and one without a zone, a quoted "Last, F." and "City, CC", a category.
function mixedCsv (path, rows) {
  const line = String.raw`CASE WHEN i < 0
      THEN 'id,qty,code,price,ratio,created,shipped,customer,city,category'
      ELSE concat (j, ',', 1 + ${weyl (0)} % 999, ',', ${weyl (1)} % 100000 - 50000, ',',
        printf ('%.2f', 1 + 4999 * ${weyl (2)} / ${P}), ',', printf ('%.4f', ${weyl (3)} / ${P}), ',',
        strftime (make_timestamp (created * 1000000), '%Y-%m-%dT%H:%M:%SZ'), ',',
        strftime (make_timestamp ((created + 3600 + ${weyl (5)} % (7 * 86400 - 3600)) * 1000000), '%Y-%m-%d %H:%M:%S'), ',',
        '"', ['Smith', 'Garcia', 'Nakamura', 'Okafor', 'Larsen', 'Dubois', 'Rossi', 'Kim'][1 + ${weyl (6)} % 8],
        ', ', chr (CAST (65 + ${weyl (7)} % 26 AS INTEGER)), '."', ',',
        '"', ['Oslo, NO', 'Lima, PE', 'Pune, IN', 'Cork, IE', 'Kyoto, JP', 'Porto, PT'][1 + ${weyl (8)} % 6], '"', ',',
        ['books', 'games', 'tools', 'garden', 'food', 'music', 'toys'][1 + ${weyl (9)} % 7])
      END`;
  return copyLines (`SELECT ${line} FROM (SELECT i, j, 1700000000 + j * 3 + ${weyl (4)} % 3 AS created
                       FROM (SELECT i, greatest (i, 0) AS j FROM range (-1, ${rows}) t (i)))`, path);
}

// json_parse.c's record: two ints, two doubles, a string with escapes, a
// boolean, a double or null, an object of two doubles, a timestamp, a tag.
const record = String.raw`concat ('{"id": ', j, ', "qty": ', 1 + ${weyl (0)} % 999,
    ', "price": ', printf ('%.2f', 1 + 4999 * ${weyl (1)} / ${P}), ', "ratio": ', printf ('%.4f', ${weyl (2)} / ${P}),
    ', "name": "', ['alpha', 'beta \"quoted\"', 'gamma\tdelta', 'caf\u00e9', 'back\\slash', 'plain name', 'line\nbreak', 'omega'][1 + ${weyl (3)} % 8],
    ' ', ${weyl (4)} % 1000, '", "active": ', CASE WHEN ${weyl (5)} % 2 = 0 THEN 'true' ELSE 'false' END,
    ', "discount": ', CASE WHEN ${weyl (6)} % 4 = 0 THEN 'null' ELSE printf ('%.2f', 0.5 * ${weyl (7)} / ${P}) END,
    ', "geo": {"lat": ', printf ('%.5f', -90 + 180 * ${weyl (8)} / ${P}),
    ', "lon": ', printf ('%.5f', -180 + 360 * ${weyl (9)} / ${P}),
    '}, "ts": "', strftime (make_timestamp ((1577836800 + j * 37) * 1000000), '%Y-%m-%dT%H:%M:%SZ'),
    '", "tag": "', ['north', 'south', 'east', 'west', 'centre'][1 + ${weyl (10)} % 5], '"}')`;

// As json_parse.c writes it: "[", one record a line, "]".
function jsonArray (path, records) {
  return copyLines (`SELECT CASE WHEN i < 0 THEN '[' WHEN i >= ${records} THEN ']'
                       ELSE ${record} || CASE WHEN i < ${records - 1} THEN ',' ELSE '' END END
                     FROM (SELECT i, least (greatest (i, 0), ${records - 1}) AS j FROM range (-1, ${records + 1}) t (i))`,
                    path);
}

function ndjson (path, records) {
  return copyLines (`SELECT ${record} FROM (SELECT i, i AS j FROM range (0, ${records}) t (i))`, path);
}

async function main () {
  const [command, ...args] = process.argv.slice (2);
  const instance = await DuckDBInstance.create (':memory:');
  const connection = await instance.connect ();
  const scalar = async (sql) => (await connection.runAndReadAll (sql)).getRows ()[0][0];

  switch (command)
    {
    case 'generate': {
      const [dir, rows, records] = args;
      await connection.run (mixedCsv (`${dir}/mixed.csv`, Number (rows)));
      await connection.run (jsonArray (`${dir}/records.json`, Number (records)));
      await connection.run (ndjson (`${dir}/records.ndjson`, Number (records)));
      console.log (`duckdb ${await scalar ('SELECT version ()')}`);
      break;
    }
    case 'csv':
      await connection.run (`CREATE TABLE loaded AS SELECT * FROM read_csv_auto (${literal (args[0])})`);
      console.log (`rows ${await scalar ('SELECT count (*) FROM loaded')}`);
      break;
    case 'json':
    case 'ndjson':
      await connection.run (`CREATE TABLE loaded AS SELECT * FROM read_json_auto (${literal (args[0])})`);
      console.log (`rows ${await scalar ('SELECT count (*) FROM loaded')}`);
      break;
    case 'groupby': {
      const groups = await connection.runAndReadAll (
          `SELECT category, city, count (*) AS orders, sum (price) AS revenue
             FROM read_csv_auto (${literal (args[0])}) WHERE qty > 500
            GROUP BY category, city ORDER BY category, city`);
      console.log (`groups ${groups.getRows ().length}`);
      break;
    }
    case 'startup':
      console.log (`rows ${await scalar ('SELECT 1')}`);
      break;
    default:
      throw new Error (`unknown workload "${command}": generate, csv, json, ndjson, groupby or startup`);
    }
}

main ().catch ((error) => {
  console.error (`duckdb.cjs: ${error.message}`);
  process.exit (1);
});
