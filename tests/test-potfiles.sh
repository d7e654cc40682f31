#!/bin/sh
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in, or when POTFILES.in names a file that does not exist.
set -eu
top=${1:-$(dirname "$0")/..}
cd "$top"

status=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')

for f in $listed; do
  if [ ! -e "$f" ]; then
    echo "po/POTFILES.in names $f, which does not exist"
    status=1
  fi
done

for f in $(grep -lE '(^|[^A-Za-z_])N?_\(|ngettext \(|C_\(|translatable="yes"' src/*.c ui/*.ui data/*.in data/*.xml 2>/dev/null); do
  if ! printf '%s\n' "$listed" | grep -qx "$f"; then
    echo "$f has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done

[ $status -eq 0 ] && echo "ok 1 po/POTFILES.in is complete" || echo "not ok 1 po/POTFILES.in is incomplete"
echo "1..1"
exit $status
