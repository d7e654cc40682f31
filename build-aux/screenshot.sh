#!/bin/sh
# Screenshots of Story Map under Xvfb, for the README, AppStream and docs/.
#   build-aux/screenshot.sh OUTPUT.png [LANGUAGE [ARGS…]]   the window at start
#   build-aux/screenshot.sh --dark OUTPUT.png [LANGUAGE …]  the same in the dark style
#   build-aux/screenshot.sh --all                           every picture in docs/
# Needs a build in build/ (or in $STORY_MAP_BUILD) and ImageMagick (import,
# convert).
set -eu
cd "$(dirname "$0")/.."
build=${STORY_MAP_BUILD:-build}

if [ "${1:-}" = "--dark" ]; then
  # libadwaita's own override of the system's colour scheme.
  export ADW_DEBUG_COLOR_SCHEME=prefer-dark
  shift
fi

if [ "${1:-}" = "--all" ]; then
  "$0" docs/screenshot.png
  "$0" --dark docs/screenshot-dark.png
  "$0" docs/screenshot-ar.png ar
  "$0" docs/screenshot-hy.png hy
  # The classroom tests save the states they reach: presentation mode and
  # the place details card.
  STORY_MAP_SCREENSHOTS="$PWD/docs" GSETTINGS_SCHEMA_DIR="$PWD/$build/data" GSETTINGS_BACKEND=memory \
    xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
    "$build/tests/test-classroom" -p /story/classroom/presentation -p /story/classroom/place-details >/dev/null
  exit 0
fi

output=${1:-docs/screenshot.png}
language=${2:-}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift

if [ -z "${STORY_MAP_IN_XVFB:-}" ]; then
  command -v import >/dev/null || { echo "screenshot.sh needs ImageMagick"; exit 1; }
  export STORY_MAP_IN_XVFB=1
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$output" "$language" "$@"
fi

export GSETTINGS_SCHEMA_DIR="$PWD/$build/data"
export GSETTINGS_BACKEND=memory
export STORY_MAP_LOCALEDIR="$PWD/$build/po"
export GDK_DEBUG=no-portals

if [ -n "$language" ]; then
  # gettext translates only in a locale other than C: make one for this run.
  locales=$(mktemp -d)
  trap 'rm -rf "$locales"' EXIT
  localedef -i en_US -f UTF-8 "$locales/en_US.UTF-8" 2>/dev/null || true
  export LOCPATH="$locales" LANG=en_US.UTF-8 LANGUAGE="$language"
  unset LC_ALL
fi

"$build/src/story-map" --tile-url 'http://127.0.0.1:9/{z}/{x}/{y}.png' "$@" &
pid=$!
sleep "${SCREENSHOT_DELAY:-6}"
import -window root "$output.tmp.png"
kill $pid
wait $pid 2>/dev/null || true

# With no window manager the window sits at the top-left corner.
convert "$output.tmp.png" -crop 1200x760+0+0 +repage "$output"
rm -f "$output.tmp.png"
echo "Wrote $output"
