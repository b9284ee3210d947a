#!/bin/sh
# Compare OpenWS2's ws2_32.dll with Wine's builtin: the same wsbench.exe, the same Wine, the same
# prefix and wineserver, only WINEDLLOVERRIDES and the DLL beside the program differ. Rounds are
# interleaved (builtin then ours, then ours then builtin, ...) and the medians are compared.
#
# usage: bench/run.sh [BUILD_DIR] [--rounds N] [--quick] [--aa] [--duration S] [--cpu N]
#   BUILD_DIR     a build with bin/wsbench.exe and bin/ws2_32.dll (default: build)
#   --rounds N    runs of each side (default 5)
#   --quick       smoke run: every sub-benchmark very short
#   --aa          A/A: builtin against builtin, to see the noise floor
#   --duration S  seconds per sub-benchmark (default: the program's, 0.5)
#   --cpu N       pin Wine and its wineserver to CPU N (default: the last CPU)
# The last line is machine-readable: bench: geomean=X.XX metrics=N rounds=R
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=build
rounds=5
aa=
cpu=
usage() {
    sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}
set -- "$@" --end
bench_args=
while [ "$1" != --end ]; do
    case $1 in
    --rounds | --duration | --cpu) [ "$2" != --end ] || usage ;;
    esac
    case $1 in
    --rounds) rounds=$2; shift ;;
    --quick) bench_args="$bench_args --quick" ;;
    --aa) aa=1 ;;
    --duration) bench_args="$bench_args --duration $2"; shift ;;
    --cpu) cpu=$2; shift ;;
    -*) usage ;;
    *) build=$1 ;;
    esac
    shift
done
case $rounds in
'' | *[!0-9]* | 0) echo "run.sh: --rounds wants a positive number" >&2; exit 2 ;;
esac

for f in wsbench.exe ws2_32.dll; do
    if [ ! -f "$build/bin/$f" ]; then
        echo "run.sh: $build/bin/$f is missing; build first (make build BUILD=$build)" >&2
        exit 1
    fi
done
build=$(cd "$build" && pwd)

# A prefix of the benchmark's own, so that its pinned wineserver is nobody else's.
prefix=$build/bench-wineprefix
sh "$root/tests/wine-prefix.sh" "$prefix"
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset WINEDLLOVERRIDES || true

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wsbench.XXXXXX")
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then
        wineserver -k 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The builtin side runs from a directory holding only the program; ours has the DLL beside it.
mkdir "$tmp/builtin" "$tmp/ours"
cp "$build/bin/wsbench.exe" "$tmp/builtin/"
cp "$build/bin/wsbench.exe" "$build/bin/ws2_32.dll" "$tmp/ours/"

# One CPU for the program and the wineserver: fewer migrations, steadier numbers. The server is
# started here, persistent and pinned, so that every run talks to the same one.
pin=
pinned="not pinned (taskset not found)"
wineserver -k 2>/dev/null || true
wineserver -w 2>/dev/null || true
if command -v taskset >/dev/null 2>&1; then
    [ -n "$cpu" ] || cpu=$(($(nproc) - 1))
    pin="taskset -c $cpu"
fi
# It outlives each program by 30 s, so that it also ends if this script is killed.
$pin wineserver -f -p30 >/dev/null 2>&1 &
server_pid=$!
# Ready once its socket exists in its server directory (the directory it works in).
tries=0
while ! [ -S "$(readlink "/proc/$server_pid/cwd" 2>/dev/null)/socket" ]; do
    tries=$((tries + 1))
    if [ $tries -gt 100 ] || ! kill -0 "$server_pid" 2>/dev/null; then
        echo "run.sh: the wineserver did not start" >&2
        exit 1
    fi
    sleep 0.1
done
if [ -n "$pin" ]; then
    allowed=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$server_pid/status")
    if [ "$allowed" != "$cpu" ]; then
        echo "run.sh: the wineserver runs on CPUs $allowed, not on CPU $cpu" >&2
        exit 1
    fi
    pinned="pinned to CPU $cpu (wineserver and each program, with taskset)"
fi

# run_side SIDE DIR OVERRIDE OUT LABEL: one run of the program, checked to be on the DLL it claims;
# its metrics go to the table as "LABEL name value".
run_side() {
    side=$1 dir=$2 override=$3 out=$4 label=$5
    status=0
    # $pin and $bench_args are word lists on purpose.
    # shellcheck disable=SC2086
    (cd "$dir" && WINEDLLOVERRIDES=$override timeout 600 $pin wine ./wsbench.exe $bench_args) \
        >"$out" 2>"$out.err" || status=$?
    first=$(head -n 1 "$out" | tr -d '\r')
    # Windows paths, compared in lower case with forward slashes.
    # shellcheck disable=SC1003
    path=$(printf '%s' "$first" | tr 'A-Z\\' 'a-z/')
    case "$side:$path" in
    "ours:ws2_32 openws2 "*/ours/ws2_32.dll) ;;
    "builtin:ws2_32 other "?:/windows/system32/ws2_32.dll) ;;
    *)
        echo "run.sh: the $side run did not run on the DLL it should: '$first'" >&2
        exit 1 ;;
    esac
    if [ $status != 0 ] || ! grep -q '^# done' "$out"; then
        echo "run.sh: the $side run failed (exit status $status):" >&2
        tr -d '\r' <"$out" | grep -v '^metric' | tail -n 5 >&2
        tail -n 5 "$out.err" >&2
        exit 1
    fi
    tr -d '\r' <"$out" | awk -v label="$label" '$1 == "metric" { print label, $2, $3 }' >>"$tmp/all"
}

if [ -n "$aa" ]; then
    mode="A/A: builtin against builtin (the noise floor)"
    side_b=builtin dir_b=$tmp/builtin override_b=ws2_32=b label_b=builtin2
else
    mode="builtin (ws2_32=b, no DLL beside the program) against ours (ws2_32=n,b, DLL beside it)"
    side_b=ours dir_b=$tmp/ours override_b=ws2_32=n,b label_b=ours
fi

echo "== OpenWS2 benchmark: $mode"
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "   $(wine --version); $(nproc) CPUs, $cpu_model"
echo "   $pinned; $rounds rounds, interleaved; program options:${bench_args:- (defaults)}"
: >"$tmp/all"
r=1
while [ $r -le "$rounds" ]; do
    # Alternate which side goes first, so that neither always runs on a warmer machine.
    if [ $((r % 2)) = 1 ]; then order="a b"; else order="b a"; fi
    for which in $order; do
        if [ "$which" = a ]; then
            run_side builtin "$tmp/builtin" ws2_32=b "$tmp/a.$r" builtin
        else
            run_side "$side_b" "$dir_b" "$override_b" "$tmp/b.$r" "$label_b"
        fi
    done
    echo "   round $r of $rounds done"
    r=$((r + 1))
done

echo
awk -v a=builtin -v b="$label_b" -v rounds="$rounds" '
    function fmt(x) { return x >= 100 ? sprintf("%.0f", x) : sprintf("%.1f", x) }
    function fmt_ratio(x) {
        return x >= 100 ? sprintf("%.0f", x) : x >= 0.1 ? sprintf("%.2f", x) : sprintf("%.2g", x)
    }
    # Median of a space-separated list; sets lo and hi to its smallest and largest value.
    function median(list,    v, n, i, j, t) {
        n = split(list, v, " ")
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
                t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
            }
        lo = v[1]; hi = v[n]
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    {
        if (!($2 in seen)) { seen[$2] = 1; order[++count] = $2 }
        vals[$1, $2] = vals[$1, $2] " " $3
    }
    END {
        fmt_row = "%-24s %10s %-24s %10s %-24s %9s\n"
        printf fmt_row, "metric", a, "(min..max)", b, "(min..max)", b "/" a
        n = 0; logsum = 0
        for (i = 1; i <= count; i++) {
            m = order[i]
            if (!((a, m) in vals) || !((b, m) in vals)) continue
            ma = median(vals[a, m]); range_a = "(" fmt(lo) ".." fmt(hi) ")"
            mb = median(vals[b, m]); range_b = "(" fmt(lo) ".." fmt(hi) ")"
            ratio = mb / ma
            printf fmt_row, m, fmt(ma), range_a, fmt(mb), range_b, fmt_ratio(ratio)
            logsum += log(ratio); n++
        }
        printf "\nRates are operations per second (tcp_bulk_MBps: 10^6 bytes per second), "
        printf "medians of %d rounds.\n%s/%s above 1: %s is faster; below 1: %s is slower.\n",
            rounds, b, a, b, b
        printf "bench: geomean=%.2f metrics=%d rounds=%d\n", n ? exp(logsum / n) : 0, n, rounds
    }' "$tmp/all"
