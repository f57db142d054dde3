#!/bin/sh
# sales-database.sh: makes the database sales-database.tessera reads, from
# the shop's orders and regions in examples/data (sales.csv, regions.csv).
#
# Try it in two commands, with a PostgreSQL server you may create databases
# on (your own user, on this computer, is what libpq uses by default):
#
#   examples/sales-database.sh
#   tessera examples/sales-database.tessera
#
# The first argument names the database (default: tessera_sales); psql's
# usual variables say where the server is and who logs in (PGHOST, PGPORT,
# PGUSER; a password from ~/.pgpass). Run again, it makes the tables afresh
# and touches nothing else. The dashboard reads the database on this computer
# as your user; for another server, change the address in its "uri".
set -eu

database="${1:-tessera_sales}"
case "$database" in
  '' | [0-9]* | *[!A-Za-z0-9_]*)
    echo "sales-database.sh: name the database with letters, digits and _, such as tessera_sales" >&2
    exit 2
    ;;
esac
data="$(cd "$(dirname "$0")/data" && pwd)"
for program in psql createdb; do
  if ! command -v "$program" >/dev/null 2>&1; then
    echo "sales-database.sh: $program is missing; install PostgreSQL's client (Debian: postgresql-client)" >&2
    exit 1
  fi
done

if [ "$(psql -X -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  createdb "$database"
fi

psql -X -q -v ON_ERROR_STOP=1 -d "$database" <<SQL
DROP TABLE IF EXISTS sales, regions;
CREATE TABLE regions (
  region text PRIMARY KEY,
  manager text NOT NULL,
  target integer NOT NULL
);
CREATE TABLE sales (
  order_id integer PRIMARY KEY,
  date date NOT NULL,
  region text NOT NULL REFERENCES regions,
  product text NOT NULL,
  units integer NOT NULL,
  unit_price numeric(10, 2) NOT NULL
);
\copy regions FROM '$data/regions.csv' WITH (FORMAT csv, HEADER)
\copy sales FROM '$data/sales.csv' WITH (FORMAT csv, HEADER)
ANALYZE sales;
ANALYZE regions;
SQL
echo "The database $database holds $(psql -X -d "$database" -tAc 'SELECT count(*) FROM sales') orders; open it with:"
echo "  tessera $(cd "$(dirname "$0")" && pwd)/sales-database.tessera"
if [ "$database" != tessera_sales ]; then
  echo "(its sources read tessera_sales: write $database in their \"uri\" first)"
fi
