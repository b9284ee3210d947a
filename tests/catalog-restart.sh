#!/bin/sh
# catalog-restart.sh PREFIX WINE PROGRAM: the Winsock catalogs survive a restart of the prefix.
# Runs PROGRAM install, stops the wineserver (which writes the registry out), then PROGRAM
# check, in a prefix of its own that shares PREFIX's drive_c and starts from copies of its
# registry, so that stopping its wineserver disturbs no other test.
set -eu
src=$1 wine=$2 program=$3
dir=$(mktemp -d "${TMPDIR:-/tmp}/openws2-restart.XXXXXX")
export WINEPREFIX="$dir"
cleanup() {
    wineserver -k 2>/dev/null || true
    wineserver -w 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
cp "$src"/*.reg "$src/.update-timestamp" "$dir/"
ln -s "$src/drive_c" "$dir/drive_c"
mkdir "$dir/dosdevices"
ln -s ../drive_c "$dir/dosdevices/c:"
ln -s / "$dir/dosdevices/z:"
"$wine" "$program" install
wineserver -k
wineserver -w
grep -q 'OpenWS2 restart test' "$dir/system.reg" || { echo "catalog-restart: not in system.reg" >&2; exit 1; }
"$wine" "$program" check
