#!/bin/bash
# Builds Story Map for release in build-bench/ and runs every program in
# benchmarks/, then prints one Markdown table: each figure next to a
# baseline measured in the same run. GUI programs run under Xvfb and a
# private D-Bus session. Raw output goes to build-bench/benchmarks/*.log.
set -eu
cd "$(dirname "$0")/.."

RUNS=${RUNS:-21}
dir=build-bench
out=$dir/benchmarks

if [ "${1:-}" != "--inside" ]; then
  [ -f $dir/build.ninja ] || meson setup $dir --buildtype=release
  meson compile -C $dir
  exec xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- "$0" --inside
fi

# The look users get: libadwaita's own style sheet, no settings or gtk.css
# of whoever runs this. (GTK_THEME=Adwaita would add GTK's older Adwaita
# theme underneath libadwaita's, with gradients and shadows on every button.)
unset GTK_THEME
mkdir -p $out/config
export XDG_CONFIG_HOME=$PWD/$out/config
export GSETTINGS_SCHEMA_DIR=$PWD/$dir/data GSETTINGS_BACKEND=memory
export LC_ALL=C.UTF-8 NO_AT_BRIDGE=1

median () { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
result () { awk -v n="$2" '$1 == "RESULT" && $2 == n { print $3, $4 }' "$1" | head -1; }

# Start-up: fresh processes, alternating, one per run.
startup () {
  renderer=$1
  : > $out/startup-$renderer.log
  : > $out/bare-$renderer.log
  for _ in $(seq "$RUNS"); do
    GSK_RENDERER=$renderer BENCH_LAUNCHED=$EPOCHREALTIME $out/bare-window >> $out/bare-$renderer.log 2>/dev/null || echo "failed: exit $?" >> $out/bare-$renderer.log
    GSK_RENDERER=$renderer BENCH_LAUNCHED=$EPOCHREALTIME $out/bench-startup >> $out/startup-$renderer.log 2>&1 || echo "failed: exit $?" >> $out/startup-$renderer.log
  done
}
startup gl
startup cairo

$out/bench-links > $out/links.log
$out/bench-open > $out/open.log 2>/dev/null || true
$out/bench-interaction > $out/interaction.log 2>/dev/null || true
$out/bench-tiles > $out/tiles.log

row () { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }
met () { awk -v c="$1" 'BEGIN { print (c ? "yes" : "**no**") }'; }

echo
echo "| measure | baseline | Story Map | ratio | target | met? |"
echo "|---|---|---|---|---|---|"
for r in gl cairo; do
  b=$(awk '$2 == "startup-ms" { print $3 }' $out/bare-$r.log | median)
  s=$(awk '$2 == "startup-ms" { print $3 }' $out/startup-$r.log | median)
  bm=$(awk '$2 == "startup-rss-mb" { print $3 }' $out/bare-$r.log | median)
  sm=$(awk '$2 == "startup-rss-mb" { print $3 }' $out/startup-$r.log | median)
  ratio=$(awk -v a="$s" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
  row "start-up to first complete frame, $r (median of $RUNS)" "${b%.*} ms bare window" "${s%.*} ms" "${ratio}×" "≤ 1.3×" "$(met "$(awk -v x="$ratio" 'BEGIN { print (x <= 1.3) }')")"
  row "peak RSS at that frame, $r" "${bm%.*} MB" "${sm%.*} MB" "+$(awk -v a="$sm" -v b="$bm" 'BEGIN { printf "%.0f", a - b }') MB" "≤ +40 MB" "$(met "$(awk -v a="$sm" -v b="$bm" 'BEGIN { print (a - b <= 40) }')")"
done
for n in 1000 10000 100000; do
  read -r v b <<< "$(result $out/links.log links-places-$n)"
  row "linking, $n places + $n aliases, 1.7 MB text" "$(printf %.0f "$b") MB/s casefold" "$(printf %.0f "$v") MB/s" "$(awk -v a="$v" -v b="$b" 'BEGIN { printf "%.2f×", a / b }')" "$([ $n = 10000 ] && echo '≥ 50 MB/s' || echo 'near flat')" "$([ $n = 10000 ] && met "$(awk -v a="$v" 'BEGIN { print (a >= 50) }')" || echo '—')"
done
for n in 500 4000; do
  read -r v b <<< "$(result $out/links.log links-paragraphs-$n)"
  row "linking, 10,000 places, $n paragraphs" "$(printf %.0f "$b") MB/s casefold" "$(printf %.0f "$v") MB/s" "$(awk -v a="$v" -v b="$b" 'BEGIN { printf "%.2f×", a / b }')" "near linear" "—"
done
for m in open-document-ms open-shown-ms; do
  read -r v b <<< "$(result $out/open.log $m)"
  if [ -z "${v:-}" ] || [ "${v%.*}" -lt 0 ] 2>/dev/null; then
    row "$m, 5 MB story" "json-glib parse" "did not finish within the bound" "—" "≤ 2×" "**no**"
  else
    row "$m, 5 MB story" "$(printf %.0f "$b") ms json-glib parse" "$(printf %.0f "$v") ms" "$(awk -v a="$v" -v b="$b" 'BEGIN { printf "%.2f×", a / b }')" "≤ 2×" "$(met "$(awk -v a="$v" -v b="$b" 'BEGIN { print (a / b <= 2) }')")"
  fi
done
for m in marker-select-frames marker-in-view-frames fly-start-frames; do
  read -r v b <<< "$(result $out/interaction.log $m)"
  row "$m" "1 frame" "${v:-not reached} frames" "—" "next frame" "$([ -n "${v:-}" ] && met "$([ "$v" -le 1 ] && echo 1 || echo 0)" || echo '**no**')"
done
read -r v b <<< "$(result $out/interaction.log fly-p95-ms)"
row "fly-to frame time, p95" "${b:-?} ms idle repaint" "${v:-not measured} ms" "—" "—" "—"
read -r _ _ _ tb _ < <(grep '^baseline:' $out/tiles.log | tr -d 'ms')
all=$(awk '$1 == "all" { print $3, $4 }' $out/tiles.log)
drawn=$(awk '$1 == "drawn" { print $3, $4 }' $out/tiles.log)
row "offline tile as the map gets it (drawn), median / p95" "$(grep '^baseline:' $out/tiles.log | awk '{ print $(NF-1) }') ms blank PNG" "${drawn% *} / ${drawn#* } ms" "$(awk '$1 == "drawn" { print $5 "×" }' $out/tiles.log)" "< 5 ms" "$(met "$(awk '$1 == "drawn" { print $3 < 5 }' $out/tiles.log)")"
row "offline tile drawn and PNG-encoded, median / p95" "$(grep '^baseline:' $out/tiles.log | awk '{ print $(NF-1) }') ms blank PNG" "${all% *} / ${all#* } ms" "$(awk '$1 == "all" { print $5 "×" }' $out/tiles.log)" "< 5 ms" "$(met "$(awk '$1 == "all" { print $3 < 5 }' $out/tiles.log)")"
