#!/bin/sh
# Installs what is missing, builds Story Map and runs the whole test suite
# under Xvfb and a private D-Bus session. With --sanitize, also runs it in a
# second build with AddressSanitizer and UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."

build-aux/install-deps.sh

# Tests see libadwaita's own style, as users do.
unset GTK_THEME

run_suite () {
  dir=$1
  shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"
  meson compile -C "$dir"
  xvfb-run -a -s "-screen 0 1600x1000x24" \
    dbus-run-session -- meson test -C "$dir" --print-errorlogs --num-processes 2
}

run_suite build

if [ "${1:-}" = "--sanitize" ]; then
  # Cairo rendering keeps the GL driver, loaded and unloaded behind
  # LeakSanitizer's back, out of the leak reports.
  export GSK_RENDERER=cairo
  run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
fi
