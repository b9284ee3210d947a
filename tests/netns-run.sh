#!/bin/sh
# netns-run.sh PREFIX PROGRAM [ARGS...]: run a test program in a private network namespace of
# its own (only a loopback interface, up, carrying multicast: IPv4 and IPv6 multicast routes
# point at it), with a Wine prefix and wineserver of its own. The
# prefix shares PREFIX's drive_c and starts from copies of its registry, so the run is cheap and
# changes nothing of PREFIX's. Tests that change the machine's addresses run this way: the
# change stays inside the namespace. Sets OPENWS2_TEST_NETNS=1 for the program. Needs root.
set -eu
src=$1
shift
dir=$(mktemp -d "${TMPDIR:-/tmp}/openws2-netns.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cp "$src"/*.reg "$src/.update-timestamp" "$dir/"
ln -s "$src/drive_c" "$dir/drive_c"
mkdir "$dir/dosdevices"
ln -s ../drive_c "$dir/dosdevices/c:"
ln -s / "$dir/dosdevices/z:"
unshare -n sh -c '
    ip link set lo up
    ip link set lo multicast on
    ip route add 224.0.0.0/4 dev lo
    ip -6 route add ff00::/8 dev lo
    export WINEPREFIX="$0" OPENWS2_TEST_NETNS=1
    status=0
    "$@" || status=$?
    wineserver -k 2>/dev/null || true
    wineserver -w 2>/dev/null || true
    exit $status' "$dir" "$@"
