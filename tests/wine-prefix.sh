#!/bin/sh
# Make the tests' Wine prefix once: no display needed (null graphics driver), and a crash prints
# a backtrace instead of waiting on a dialog.
set -eu
export WINEPREFIX=$1 WINEDEBUG=-all
unset WINEDLLOVERRIDES || true
stamp="$WINEPREFIX/.openws2-ready"
version=$(wine --version)
if [ "$(cat "$stamp" 2>/dev/null || true)" = "$version" ]; then exit 0; fi
rm -rf "$WINEPREFIX"
WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d" wineboot -i >/dev/null 2>&1
wine reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f >/dev/null 2>&1
wine reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f >/dev/null 2>&1
wineserver -w
echo "$version" > "$stamp"
echo "wine prefix ready: $version"
