#!/bin/sh
# Builds the libFuzzer targets in build-fuzz (clang, AddressSanitizer,
# UndefinedBehaviorSanitizer) and runs each for SECONDS (default 60).
# New inputs that find new paths go to build-fuzz/corpus-*; crashes are
# written as build-fuzz/crash-* and make the script fail.
#
#   build-aux/fuzz.sh          # one minute each
#   build-aux/fuzz.sh 3600     # an hour each
set -eu
cd "$(dirname "$0")/.."

seconds=${1:-60}
builddir=build-fuzz

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" \
    -Dfuzzing=true \
    -Db_sanitize=address,undefined \
    -Db_lundef=false \
    -Dbuildtype=debugoptimized
fi
meson compile -C "$builddir" tests/fuzz/fuzz-story tests/fuzz/fuzz-mbtiles

export ASAN_OPTIONS="detect_leaks=1:detect_odr_violation=0:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/build-aux/lsan.supp:print_suppressions=0"
export G_DEBUG="fatal-criticals"
export LC_ALL=C.UTF-8

status=0
for target in story mbtiles; do
  corpus="$builddir/corpus-$target"
  mkdir -p "$corpus"
  set -- \
    -max_total_time="$seconds" \
    -rss_limit_mb=2048 \
    -timeout=10 \
    -print_final_stats=1 \
    -artifact_prefix="$builddir/$target-"
  if [ "$target" = story ]; then
    set -- "$@" -dict=tests/fuzz/json.dict -max_len=65536
  else
    set -- "$@" -max_len=131072
  fi
  echo "== fuzz-$target for $seconds s"
  if ! "$builddir/tests/fuzz/fuzz-$target" "$@" "$corpus" "tests/fuzz/corpus-$target"; then
    echo "fuzz-$target failed: see $builddir/$target-*" >&2
    status=1
  fi
done

exit $status
