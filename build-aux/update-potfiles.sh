#!/bin/sh
# Rewrites po/POTFILES.in from the files that hold translatable strings.
set -eu
cd "$(dirname "$0")/.."
{
  echo "# Files with translatable strings, one a line, relative to the top folder."
  echo "# tests/test-potfiles.sh fails when a file with strings is missing here;"
  echo "# build-aux/update-potfiles.sh rewrites this list."
  ls data/io.github.storymap.StoryMap.desktop.in data/io.github.storymap.StoryMap.gschema.xml \
     data/io.github.storymap.StoryMap.metainfo.xml.in data/io.github.storymap.StoryMap.mime.xml
  grep -lE '(^|[^A-Za-z_])N?_\(|ngettext \(|C_\(|translatable="yes"' src/*.c ui/*.ui | sort
} > po/POTFILES.in
