#!/bin/sh
# Installs what is missing, builds Story Map and starts it on the bundled
# story (or on the files given).
set -eu
cd "$(dirname "$0")/.."

build-aux/install-deps.sh
[ -f build/build.ninja ] || meson setup build
# A build directory left from debugging or a sanitizer run is made
# optimised again: this is the build people use.
case "$(meson introspect build --buildoptions |
        python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "buildtype"))')" in
  debugoptimized|release) ;;
  *) meson configure build -Dbuildtype=debugoptimized ;;
esac
meson compile -C build

export GSETTINGS_SCHEMA_DIR="$PWD/build/data"
export STORY_MAP_LOCALEDIR="$PWD/build/po"
exec build/src/story-map "$@"
