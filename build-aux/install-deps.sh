#!/bin/sh
# Installs the Debian/Ubuntu packages Story Map needs to build, run and test.
# Only what is missing is installed; needs root or sudo for that.
set -eu

packages="
  meson ninja-build pkg-config gcc gettext itstool
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libshumate-dev
  libjson-glib-dev libsoup-3.0-dev libsqlite3-dev sqlite3 libfribidi-dev
  desktop-file-utils appstream libxml2-utils
  xvfb xauth dbus-daemon dbus-user-session
  fonts-cantarell fonts-dejavu-core fonts-noto-core
  python3 python3-pyatspi locales poppler-utils
"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

echo "Installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
else
  sudo="sudo"
fi
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
