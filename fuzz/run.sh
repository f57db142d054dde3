#!/bin/sh
# Runs each fuzz target for SECONDS with its seed corpus (fuzz/corpus/TARGET/).
# New inputs go to a scratch folder, so the seed corpus stays as committed.
# Usage: fuzz/run.sh BUILD_DIR SECONDS   (BUILD_DIR set up with CC=clang -Dfuzzing=true)
set -eu

build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS}
seconds=${2:?usage: fuzz/run.sh BUILD_DIR SECONDS}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0

for target in fuzz-csv fuzz-json; do
  exe="$build/fuzz/$target"
  if [ ! -x "$exe" ]; then
    echo "fuzz: $exe is missing (set the build up with CC=clang meson setup BUILD_DIR -Dfuzzing=true)" >&2
    exit 1
  fi
  mkdir -p "$scratch/$target"
  echo "fuzz: $target for ${seconds}s"
  if ! "$exe" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 \
       -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/fuzz/" \
       "$scratch/$target" "$here/corpus/$target" >"$scratch/$target.log" 2>&1; then
    tail -n 60 "$scratch/$target.log" >&2
    echo "fuzz: $target failed; the input that broke it is in $build/fuzz/ (crash-*, leak-*, timeout-* or oom-*)" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|Done" "$scratch/$target.log" | tail -n 2
  fi
done
exit $status
