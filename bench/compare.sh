#!/usr/bin/env bash
# compare.sh: Tessera and DuckDB side by side on the same generated data.
#
# Not part of CI nor of `meson test --benchmark`: it needs DuckDB, which the
# project does not depend on, and the figures it prints go into notes. It
#
#  - finds DuckDB's Node.js package (@duckdb/node-api, whose prebuilt library
#    comes from npm) through --duckdb-dir or NODE_PATH, or installs it with npm
#    into its temporary folder when asked (--install-duckdb) or when missing;
#  - generates, deterministically (bench/compare/duckdb.cjs), a mixed CSV of
#    --rows rows in the shape of bench/data/csv_parse.c's (ints, doubles, two
#    timestamps, quoted strings with commas, a category) and --records records
#    in the shape of bench/data/json_parse.c's as a JSON array and as NDJSON;
#  - times each workload with /usr/bin/time, whole process, tools alternated
#    --runs times, and prints the median wall time and peak resident memory:
#      startup     nothing loaded: the cost of starting each process
#      csv_10m     load the CSV (tessera --describe; DuckDB CREATE TABLE AS
#                  SELECT * FROM read_csv_auto, then count(*))
#      json_1m     the same for the JSON array (read_json_auto)
#      ndjson_1m   the same for NDJSON
#      groupby_10m qty > 500, group by category and city, count and sum of
#                  price (a document's filter + group_by pipeline run with
#                  tessera --headless; DuckDB's GROUP BY straight from the CSV)
#    DuckDB's figures include Node.js's (the startup line shows how much).
#  - deletes its temporary folder on exit, data and install included.
#
#   bench/compare.sh [--build DIR] [--install-duckdb | --duckdb-dir DIR]
#                    [--rows N] [--records N] [--runs N]
#
# --build is a configured and compiled build directory (default: build); the
# data takes about 1.3 GB of space in $TMPDIR (default /tmp) at the defaults.
# Every line of the result starts with "compare:", e.g.
#   compare: csv_10m tessera 1.21 s 854 MiB (3 runs: 1.18-1.30 s, 850-860 MiB)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=build
duckdb_dir=
install_duckdb=0
rows=10000000
records=1000000
runs=3

usage () {
  sed -n '/^#   bench\/compare.sh/,/^#  *\[--rows/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --duckdb-dir) duckdb_dir=$2; shift 2 ;;
    --install-duckdb) install_duckdb=1; shift ;;
    --rows) rows=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "compare.sh: unknown option '$1'" >&2; usage ;;
  esac
done
for n in "$rows" "$records" "$runs"; do
  case $n in
    ''|*[!0-9]*|0) echo "compare.sh: '$n' is not a positive whole number (--rows, --records, --runs)" >&2; exit 2 ;;
  esac
done

tessera=$build/app/bin/tessera
if [ ! -x "$tessera" ]; then
  echo "compare.sh: no Tessera at $tessera: build it (meson setup $build && meson compile -C $build) or pass --build DIR" >&2
  exit 1
fi
tessera=$(realpath "$tessera")
for tool in node /usr/bin/time; do
  if ! command -v "$tool" > /dev/null; then
    echo "compare.sh: $tool is missing; install it (apt-get install nodejs npm time)" >&2
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tessera-compare-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# DuckDB: the folder given, else NODE_PATH's, else a fresh install in $tmp.
if [ -n "$duckdb_dir" ]; then
  export NODE_PATH=$duckdb_dir/node_modules
fi
if [ "$install_duckdb" = 1 ] || ! node -e "require('@duckdb/node-api')" 2> /dev/null; then
  if ! command -v npm > /dev/null; then
    echo "compare.sh: DuckDB is not installed and npm is missing to install it (apt-get install npm)" >&2
    exit 1
  fi
  echo "compare.sh: installing @duckdb/node-api from npm into a temporary folder" >&2
  npm install --prefix "$tmp/npm" --no-audit --no-fund --no-save --loglevel=error @duckdb/node-api >&2
  export NODE_PATH=$tmp/npm/node_modules
fi

# 10000000 -> 10m, 1000000 -> 1m, 50000 -> 50k: the size in the workload's name.
short () {
  if [ $(($1 % 1000000)) = 0 ]; then echo "$(($1 / 1000000))m"
  elif [ $(($1 % 1000)) = 0 ]; then echo "$(($1 / 1000))k"
  else echo "$1"; fi
}
csv_name=csv_$(short "$rows")
json_name=json_$(short "$records")
ndjson_name=ndjson_$(short "$records")
groupby_name=groupby_$(short "$rows")

echo "compare.sh: generating $rows CSV rows and $records JSON records in $tmp" >&2
node "$here/compare/duckdb.cjs" generate "$tmp" "$rows" "$records" > "$tmp/duckdb-version"
printf 'id\n1\n' > "$tmp/startup.csv"
cat > "$tmp/groupby.tessera" << 'EOF'
{
  "tessera": 1,
  "title": "Orders by category and city",
  "sources": {"orders": {"uri": "mixed.csv", "format": "csv"}},
  "fragments": [
    {
      "id": "groups",
      "title": "Orders over 500 units",
      "source": "orders",
      "pipeline": [
        {"filter": {"column": "qty", "op": ">", "value": 500}},
        {"group_by": {"keys": ["category", "city"], "aggregates": [
          {"op": "count", "as": "orders"},
          {"column": "price", "op": "sum", "as": "revenue"}]}}
      ],
      "views": [
        {"type": "metric", "label": "Groups", "value": {"column": "category", "op": "count"}},
        {"type": "table", "columns": ["category", "city", "orders", "revenue"]}
      ]
    }
  ]
}
EOF

# Runs one workload of one tool once, from the data's folder (the document's
# source is relative to it); appends "seconds KiB" to $tmp/WORKLOAD.TOOL
# and its result ("rows N" or "groups N") to $tmp/WORKLOAD.TOOL.result.
measure () {
  local workload=$1 tool=$2
  shift 2
  if ! (cd "$tmp" && /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" > "$tmp/out" 2> "$tmp/err"); then
    echo "compare.sh: $workload failed in $tool:" >&2
    cat "$tmp/err" "$tmp/out" >&2
    exit 1
  fi
  cat "$tmp/time" >> "$tmp/$workload.$tool"
  case $tool in
    duckdb) cat "$tmp/out" ;;
    tessera) sed -n 's/^{"rows": \([0-9]*\),.*/rows \1/p; s/^ *metric Groups: \([0-9]*\)$/groups \1/p' "$tmp/out" ;;
  esac > "$tmp/$workload.$tool.result"
}

# Without a display and with settings in memory, so that nothing asks or lingers.
run_tessera=(env -u DISPLAY -u WAYLAND_DISPLAY GSETTINGS_BACKEND=memory "$tessera")

workloads=(startup "$csv_name" "$json_name" "$ndjson_name" "$groupby_name")
tessera_args=("--describe startup.csv" "--describe mixed.csv" "--describe records.json"
              "--describe records.ndjson" "--headless groupby.tessera")
duckdb_args=("startup -" "csv $tmp/mixed.csv" "json $tmp/records.json" "ndjson $tmp/records.ndjson"
             "groupby $tmp/mixed.csv")

for run in $(seq "$runs"); do
  echo "compare.sh: run $run of $runs (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  for i in "${!workloads[@]}"; do
    # Alternate which tool goes first so that neither always finds the cache warmer.
    # shellcheck disable=SC2086 # the arguments are split on purpose
    if [ $(((run + i) % 2)) = 0 ]; then
      measure "${workloads[$i]}" tessera "${run_tessera[@]}" ${tessera_args[$i]}
      measure "${workloads[$i]}" duckdb node "$here/compare/duckdb.cjs" ${duckdb_args[$i]}
    else
      measure "${workloads[$i]}" duckdb node "$here/compare/duckdb.cjs" ${duckdb_args[$i]}
      measure "${workloads[$i]}" tessera "${run_tessera[@]}" ${tessera_args[$i]}
    fi
  done
done

# KiB -> "854 MiB" or "1.3 GiB".
human () {
  awk -v k="$1" 'BEGIN { if (k >= 1024 * 1024) printf "%.1f GiB", k / 1048576; else printf "%.0f MiB", k / 1024 }'
}

# The median of a column of numbers (the lower middle one for an even count).
median () {
  sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "compare: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), mixed.csv $(du -m "$tmp/mixed.csv" | cut -f1) MB," \
     "records.json $(du -m "$tmp/records.json" | cut -f1) MB, records.ndjson $(du -m "$tmp/records.ndjson" | cut -f1) MB," \
     "tessera $(git -C "$here" rev-parse --short HEAD 2> /dev/null || echo '(no commit)'), $(cat "$tmp/duckdb-version")"
status=0
for workload in "${workloads[@]}"; do
  for tool in tessera duckdb; do
    file=$tmp/$workload.$tool
    seconds=$(cut -d' ' -f1 "$file" | median)
    kib=$(cut -d' ' -f2 "$file" | median)
    line="compare: $workload $tool $seconds s $(human "$kib")"
    if [ "$runs" -gt 1 ]; then
      line="$line ($runs runs: $(cut -d' ' -f1 "$file" | sort -g | sed -n '1p;$p' | paste -sd-) s,"
      line="$line $(cut -d' ' -f2 "$file" | sort -g | sed -n '1p;$p' | awk '{ printf "%.0f\n", $1 / 1024 }' | paste -sd-) MiB)"
    fi
    echo "$line"
  done
  # Both tools must have read the same thing, or the figures mean nothing.
  if [ "$workload" != startup ] && ! cmp -s "$tmp/$workload.tessera.result" "$tmp/$workload.duckdb.result"; then
    echo "compare: $workload: the tools disagree: tessera '$(cat "$tmp/$workload.tessera.result")'," \
         "duckdb '$(cat "$tmp/$workload.duckdb.result")'" >&2
    status=1
  fi
done
exit $status
