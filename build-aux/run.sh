#!/bin/sh
# Installs what is missing, builds Story Map and starts it on the bundled
# story (or on the files given).
set -eu
cd "$(dirname "$0")/.."

build-aux/install-deps.sh
[ -f build/build.ninja ] || meson setup build
meson compile -C build

export GSETTINGS_SCHEMA_DIR="$PWD/build/data"
export STORY_MAP_LOCALEDIR="$PWD/build/po"
exec build/src/story-map "$@"
