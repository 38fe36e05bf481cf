#!/bin/sh
# Regenerate po/lanchat.pot from the sources listed in po/POTFILES.in and
# merge it into every po/<lang>.po listed in po/LINGUAS, the way meson does
# it (`lanchat-pot`, then `lanchat-update-po`: xgettext with the 'glib'
# preset, then msgmerge). Then print each language's statistics, so the
# new and changed strings to translate are easy to see: they are the
# untranslated and fuzzy ones (look for "#, fuzzy" and empty msgstr).
#
#   build-aux/update-po.sh [BUILD_DIR]     (default: build, set up if missing)
#
# Needs meson, ninja and gettext. po/lanchat.pot is left for translators
# who start a new language (msginit -l LANG -i po/lanchat.pot); it is
# generated, not committed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$top/build"}

if [ ! -f "$build/build.ninja" ]; then
  # The same set-up as README's "Building by hand", so the directory
  # serves for building and testing afterwards too.
  meson setup "$build" "$top" >/dev/null
fi

meson compile -C "$build" lanchat-pot
meson compile -C "$build" lanchat-update-po

status=0
for lang in $(sed 's/#.*//' "$top/po/LINGUAS"); do
  po="$top/po/$lang.po"
  if [ ! -f "$po" ]; then
    echo "update-po: po/LINGUAS lists $lang but po/$lang.po does not exist" >&2
    status=1
    continue
  fi
  # msgmerge keeps strings that left the sources as obsolete (#~) entries;
  # they only help a translator when a string comes back, so drop them.
  msgattrib --no-obsolete --output-file="$po" "$po"
  printf '%s: ' "$lang"
  msgfmt --check --statistics --output-file=/dev/null "$po" 2>&1 || status=1
done
exit $status
