#!/bin/sh
# Install what building and testing OpenWS2 needs, with Debian 12 package names. Does nothing when
# everything is already there; otherwise runs apt-get (as root) for the missing packages only.
set -eu

missing=
have() { # have COMMAND...: true when every command is on PATH
    for c in "$@"; do command -v "$c" >/dev/null 2>&1 || return 1; done
}
need() { missing="$missing $1"; }

# Wine runs the tests and the demo: the wine loader scripts, and the 64-bit Wine they start.
have wine wineboot wineserver || need wine
[ -x /usr/lib/wine/wine64 ] || have wine64 || need wine64
# The mingw-w64 cross toolchain for x86-64: compiler, binutils (windres, objdump), headers.
have x86_64-w64-mingw32-gcc || need gcc-mingw-w64-x86-64
have x86_64-w64-mingw32-windres x86_64-w64-mingw32-objdump || need binutils-mingw-w64-x86-64
[ -f /usr/x86_64-w64-mingw32/include/winsock2.h ] || need mingw-w64-x86-64-dev
have cmake || need cmake
have make || need make
have python3 || need python3
# The address-change tests run in a network namespace of their own (tests/netns-run.sh).
have ip || need iproute2
# The tests' cmocka is built from Debian's source package (tools/debian-source.sh).
have dpkg-source || need dpkg-dev
have xz || need xz-utils
[ -f /etc/ssl/certs/ca-certificates.crt ] || need ca-certificates

if [ -z "$missing" ]; then
    echo "install-deps: all build and test dependencies are installed"
    exit 0
fi
echo "install-deps: missing:$missing"
if ! have apt-get; then
    echo "install-deps: no apt-get here; install the equivalents of:$missing" >&2
    exit 1
fi
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: installing them needs root: apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086 # one word per package
apt-get install -y --no-install-recommends $missing </dev/null
echo "install-deps: installed$missing"
