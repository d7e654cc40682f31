#!/bin/sh
# Checks every shipped translation: msgfmt finds no error, every message is
# translated and none is fuzzy, and the header names its language and plural
# forms. TAP output.
set -eu
top=$1
n=0
status=0
langs=$(grep -v '^#' "$top/po/LINGUAS" | sed '/^$/d')
echo "1..$(echo "$langs" | wc -l)"

for lang in $langs; do
  n=$((n + 1))
  po="$top/po/$lang.po"
  if ! stats=$(msgfmt --check --check-format --check-header --check-accelerators=_ --statistics \
                 -o /dev/null "$po" 2>&1); then
    echo "$stats" | sed 's/^/# /'
    echo "not ok $n $lang: msgfmt found errors"
    status=1
    continue
  fi
  case "$stats" in
    *untranslated*|*fuzzy*)
      echo "not ok $n $lang: $stats"; status=1; continue ;;
  esac
  if ! grep -q "^\"Language: $lang\\\\n\"" "$po" || ! grep -q '^"Plural-Forms: nplurals=' "$po"; then
    echo "not ok $n $lang: the header lacks Language or Plural-Forms"
    status=1
    continue
  fi
  echo "ok $n $lang: $stats"
done
exit $status
