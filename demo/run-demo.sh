#!/bin/sh
# Run the demo programs under Wine on OpenWS2's ws2_32.dll: TCP and UDP echo over 127.0.0.1 and
# ::1. The DLL sits beside the programs in the build's bin directory; the override makes Wine load
# it instead of its builtin, and each program checks that it did (and fails if not).
# usage: demo/run-demo.sh [BUILD_DIR]      (default: build; exit status 0 only if all passed)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
bin=$build/bin
for f in ws2_32.dll demo_tcp_echo.exe demo_udp_echo.exe; do
    if [ ! -f "$bin/$f" ]; then
        echo "run-demo: $bin/$f is missing; build first (make build BUILD=$build)" >&2
        exit 1
    fi
done
build=$(cd "$build" && pwd)
bin=$build/bin

# The build's own Wine prefix (the tests use the same one); made once.
sh "$root/tests/wine-prefix.sh" "$build/wineprefix"
# Native first: the programs get the DLL beside them. The builtin stays as the fallback for Wine's
# own processes (wineboot.exe, started with a new session, imports ws2_32 and has no DLL beside it).
export WINEPREFIX="$build/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES=ws2_32=n,b

families="4 6"
ipv6_note=
if ! grep -qs '^00000000000000000000000000000001 ' /proc/net/if_inet6; then
    families=4
    ipv6_note="IPv6 skipped: this machine has no ::1 loopback address"
fi

echo "== OpenWS2 demo: $(wine --version), DLL $bin/ws2_32.dll"
summary=
passed=0
failed=0
for program in tcp_echo udp_echo; do
    for family in $families; do
        case $program in tcp_echo) what="TCP echo" ;; *) what="UDP echo" ;; esac
        case $family in 4) what="$what over IPv4 (127.0.0.1)" ;; *) what="$what over IPv6 (::1)" ;; esac
        echo
        echo "-- $what"
        status=0
        timeout 120 wine "$bin/demo_$program.exe" "$family" || status=$?
        if [ "$status" = 0 ]; then
            passed=$((passed + 1))
            summary="$summary  PASS  $what
"
        else
            failed=$((failed + 1))
            summary="$summary  FAIL  $what (exit status $status)
"
        fi
    done
done

echo
echo "== OpenWS2 demo summary"
printf '%s' "$summary"
[ -z "$ipv6_note" ] || echo "  note: $ipv6_note"
echo "== $passed passed, $failed failed"
[ "$failed" = 0 ]
