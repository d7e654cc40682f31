#!/bin/bash
# Measures what each documented limit costs: writes a story file at each
# limit (benchmarks/make-limit-stories.py), then for each prints the time
# and peak memory of `story-map --check` and of the real window showing it
# (benchmarks/bench-limits.c: first frame with the story, a place selected,
# a paragraph picked and the flight to it), beside the bundled story as a
# baseline. Release build in build-bench/,
# under Xvfb and a private D-Bus session; docs/hardening.md carries the
# table it prints.
set -eu
cd "$(dirname "$0")/.."

dir=build-bench
out=$dir/limits

if [ "${1:-}" != "--inside" ]; then
  [ -f $dir/build.ninja ] || meson setup $dir --buildtype=release >&2
  meson compile -C $dir >&2
  # Only the table: the accessibility bus's daemons write to standard output too.
  xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- "$0" --inside | grep '^|'
  exit 0
fi

unset GTK_THEME
mkdir -p $out/config
export XDG_CONFIG_HOME=$PWD/$out/config
export GSETTINGS_SCHEMA_DIR=$PWD/$dir/data GSETTINGS_BACKEND=memory
export LC_ALL=C.UTF-8 NO_AT_BRIDGE=1

python3 benchmarks/make-limit-stories.py $out
# The bundled story, first, as the baseline the others compare with.
cp data/story/nerkin-hand.storymap.geojson $out/bundled.json

result () { awk -v n="$2" '$1 == "RESULT" && $2 == n { printf "%.0f", $3 }' "$1" | head -1; }

printf '| story | size | --check | --check peak RSS | window: first frame | place selected | paragraph picked | flight p95 | window peak RSS |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for file in $out/bundled.json $out/*.storymap.geojson; do
  name=$(basename "$file" .storymap.geojson)
  name=${name%.json}
  size=$(du -k "$file" | cut -f1)
  /usr/bin/time -f "%e %M" -o $out/$name.check.time $dir/src/story-map --check "$file" > /dev/null 2>&1 || true
  read -r check_s check_kb < $out/$name.check.time
  if ! $dir/benchmarks/bench-limits "$file" > $out/$name.window.log 2>&1; then
    echo "| $name | ${size} KB | ${check_s} s | $((check_kb / 1024)) MB | failed: see $out/$name.window.log | | | | |"
    continue
  fi
  printf '| %s | %s KB | %s s | %s MB | %s ms | %s ms | %s ms | %s ms | %s MB |\n' \
    "$name" "$size" "$check_s" "$((check_kb / 1024))" \
    "$(result $out/$name.window.log shown-ms)" "$(result $out/$name.window.log place-ms)" \
    "$(result $out/$name.window.log paragraph-ms)" "$(result $out/$name.window.log flight-p95-ms)" \
    "$(result $out/$name.window.log rss-mb)"
done
