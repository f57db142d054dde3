#!/bin/sh
# install-and-build.sh: the SDK as a user outside this tree meets it.
#
#   install-and-build.sh MESON BUILD_ROOT SOURCE_ROOT [SANITIZE [PYTHON]]
#
# Installs the build into a temporary folder, then builds the README's C
# example there with nothing but `pkg-config --cflags --libs tessera-1` and
# runs it headless: it must be its own application (its name in --version),
# show what the README says it shows, start without Tessera's settings
# schema, and keep its settings apart from Tessera's where that is installed. Along the way: the library's soname is versioned, it exports the
# public API and nothing else, and a sub-header refuses to be included
# directly. Given a Python with PyGObject, the installed Python example
# runs too, from the installed typelib and overrides alone.
set -eu
meson=$1
build_root=$2
source_root=$3
cc=${CC:-cc}
# A library built with sanitizers links only into a program built with them.
if [ -n "${4:-}" ] && [ "$4" != none ]; then
  cc="$cc -fsanitize=$4"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
fail () {
  echo "FAIL: $*" >&2
  exit 1
}

DESTDIR="$work/root" "$meson" install -C "$build_root" --no-rebuild --quiet >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "meson install into a temporary folder failed"; }

pc=$(find "$work/root" -name tessera-1.pc | head -n 1)
[ -n "$pc" ] || fail "no tessera-1.pc was installed"
libdir=$(dirname "$(dirname "$pc")")
header=$(find "$work/root" -path '*/include/tessera-1/tessera.h' | head -n 1)
[ -n "$header" ] || fail "tessera.h is not installed under include/tessera-1/"
[ -f "$(dirname "$header")/tess-run.h" ] || fail "tessera.h's sub-headers are not installed beside it"
export PKG_CONFIG_PATH="$(dirname "$pc")"

# The soname carries the ABI version; the library exports the public API only.
library=$(find "$libdir" -maxdepth 1 -name 'libtessera-1.so.*.*' | head -n 1)
[ -n "$library" ] || fail "libtessera-1.so.X.Y.Z is not installed in $libdir"
objdump -p "$library" | grep -q 'SONAME *libtessera-1\.so\.[0-9]' || fail "libtessera-1's soname has no version"
nm -D --defined-only "$library" | awk '{ sub(/@.*/, "", $3); print $3 }' >"$work/exported"
grep -v -e '^tess_' -e '^TESSERA_1$' "$work/exported" >"$work/foreign" || true
[ ! -s "$work/foreign" ] || fail "libtessera-1 exports symbols outside its API: $(head -n 5 "$work/foreign" | tr '\n' ' ')"
grep -qx 'tess_app_run' "$work/exported" || fail "tess_app_run is not exported"
! grep -qx 'tess_run_execute' "$work/exported" || fail "an internal function (tess_run_execute) is exported"

# Only tessera.h may be included.
printf '#include <tess-run.h>\nint main (void) { return 0; }\n' >"$work/direct.c"
if $cc -c "$work/direct.c" -o "$work/direct.o" $(pkg-config --cflags tessera-1) 2>"$work/direct.log"; then
  fail "a sub-header (tess-run.h) compiles when included directly"
fi
grep -q 'Only <tessera.h> can be included directly' "$work/direct.log" || fail "including tess-run.h says: $(cat "$work/direct.log")"

# The README's C example, exactly as the README shows it.
awk '/^```c$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' "$source_root/README.md" >"$work/sales.c"
grep -q 'tess_app_run' "$work/sales.c" || fail "the README has no C example calling tess_app_run"
$cc -o "$work/sales" "$work/sales.c" $(pkg-config --cflags --libs tessera-1) ||
  fail "the README's C example does not build with pkg-config --cflags --libs tessera-1"

export LD_LIBRARY_PATH="$libdir"
# A machine where Tessera's settings schema is not installed.
export GSETTINGS_SCHEMA_DIR="$work/no-schemas"
export XDG_DATA_DIRS="$work/no-data"
export XDG_CONFIG_HOME="$work/config"
mkdir -p "$GSETTINGS_SCHEMA_DIR" "$XDG_DATA_DIRS"
ldd "$work/sales" | grep -q "$libdir/libtessera-1.so" || fail "the example does not load the installed libtessera-1"

version=$("$work/sales" --version)
case "$version" in
  "Sales (Tessera "*")") ;;
  *) fail "--version of org.example.Sales printed '$version', not its own name" ;;
esac

"$work/sales" --headless --timeline="$work/t.json" >"$work/out.txt" 2>"$work/err.txt" ||
  { cat "$work/out.txt" "$work/err.txt" >&2; fail "the README's example failed headless"; }
grep -q 'Sales' "$work/out.txt" || fail "the example's title is missing: $(cat "$work/out.txt")"
grep -q 'Revenue at 20 €: 34200 €' "$work/out.txt" || fail "the revenue fragment's text is missing: $(cat "$work/out.txt")"
grep -q '"fragment" *: *"revenue"' "$work/t.json" || fail "the timeline has no run of the revenue fragment"
grep -q '"parallel" *: *true' "$work/t.json" || fail "the revenue fragment did not run in parallel"

# Where Tessera's schema is installed, the program keeps its settings in a
# key file of its own: a memory limit of 4 bytes there stops its loads, and
# nobody else's.
schema=$(find "$work/root" -name io.github.tessera.Tessera.gschema.xml | head -n 1)
[ -n "$schema" ] || fail "Tessera's settings schema is not installed"
mkdir -p "$work/schemas"
glib-compile-schemas --targetdir="$work/schemas" "$(dirname "$schema")"
printf 'a,b\n1,2\n' >"$work/small.csv"
mkdir -p "$XDG_CONFIG_HOME/org.example.Sales"
printf '[settings]\nmemory-limit=uint64 4\n' >"$XDG_CONFIG_HOME/org.example.Sales/settings.ini"
if GSETTINGS_SCHEMA_DIR="$work/schemas" "$work/sales" --describe="$work/small.csv" >"$work/describe.txt" 2>&1; then
  fail "the program did not read its own settings file (a 4-byte memory limit)"
fi
grep -q '4 bytes memory limit' "$work/describe.txt" || fail "describing with a 4-byte limit said: $(cat "$work/describe.txt")"
XDG_CONFIG_HOME="$work/another-config" GSETTINGS_SCHEMA_DIR="$work/schemas" "$work/sales" --describe="$work/small.csv" \
  >"$work/describe.txt" 2>&1 || fail "another user's settings stopped the program: $(cat "$work/describe.txt")"

if [ -n "${5:-}" ]; then
  typelib=$(find "$work/root" -name Tessera-1.typelib | head -n 1)
  overrides=$(find "$work/root" -path '*/gi/overrides/Tessera.py' | head -n 1)
  example=$(find "$work/root" -path '*/tessera/examples/seed-dashboard.py' | head -n 1)
  [ -n "$typelib" ] || fail "Tessera-1.typelib is not installed"
  [ -n "$overrides" ] || fail "the Python overrides (gi/overrides/Tessera.py) are not installed"
  [ -n "$example" ] || fail "the Python example is not installed"
  GI_TYPELIB_PATH=$(dirname "$typelib") PYTHONPATH=$(dirname "$(dirname "$(dirname "$overrides")")") \
    "$5" "$example" --headless >"$work/py.txt" 2>&1 || { cat "$work/py.txt" >&2; fail "the installed Python example failed"; }
  grep -q 'metric Revenue: 34207 €' "$work/py.txt" || fail "the installed Python example showed: $(cat "$work/py.txt")"
fi
echo "ok: installed SDK builds and runs the README's C example"
