#!/bin/sh
# Compare OpenWS2's ws2_32.dll with Wine's builtin: the same wsbench.exe, the same Wine, the same
# prefix and wineserver, only WINEDLLOVERRIDES and the DLL beside the program differ. Rounds are
# interleaved (builtin then ours, then ours then builtin, ...) and the medians are compared.
#
# usage: bench/run.sh [BUILD_DIR] [--rounds N] [--quick] [--aa] [--duration S] [--cpu N]
#                     [--png FILE] [--only TEXT] [--trace [--count N]]
#   BUILD_DIR     a build with bin/wsbench.exe and bin/ws2_32.dll (default: build)
#   --rounds N    runs of each side (default 5)
#   --quick       smoke run: every sub-benchmark very short
#   --aa          A/A: builtin against builtin, to see the noise floor
#   --duration S  seconds per sub-benchmark (default: the program's, 0.5)
#   --cpu N       pin Wine and its wineserver to CPU N (default: the last CPU)
#   --png FILE    where to draw the ratio chart (default: BUILD_DIR/bench-ratios.png)
#   --only TEXT   only the sub-benchmarks whose name contains TEXT
#   --trace       instead of timing, count the wineserver requests per operation of each side
#   --count N     operations per trace measurement (default 200)
# The last line is machine-readable: bench: geomean=X.XX metrics=N rounds=R
# (with --trace: bench-trace: metrics=N over-builtin=K, K metrics where ours makes more requests)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=build
rounds=5
aa=
cpu=
png=
trace=
count=200
usage() {
    sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}
set -- "$@" --end
bench_args=
while [ "$1" != --end ]; do
    case $1 in
    --rounds | --duration | --cpu | --png | --count | --only) [ "$2" != --end ] || usage ;;
    esac
    case $1 in
    --rounds) rounds=$2; shift ;;
    --png) png=$2; shift ;;
    --trace) trace=1 ;;
    --count) count=$2; shift ;;
    --quick) bench_args="$bench_args --quick" ;;
    --aa) aa=1 ;;
    --duration) bench_args="$bench_args --duration $2"; shift ;;
    --only) bench_args="$bench_args --only $2"; shift ;;
    --cpu) cpu=$2; shift ;;
    -*) usage ;;
    *) build=$1 ;;
    esac
    shift
done
case $rounds in
'' | *[!0-9]* | 0) echo "run.sh: --rounds wants a positive number" >&2; exit 2 ;;
esac
case $count in
'' | *[!0-9]* | 0) echo "run.sh: --count wants a positive number" >&2; exit 2 ;;
esac

for f in wsbench.exe ws2_32.dll; do
    if [ ! -f "$build/bin/$f" ]; then
        echo "run.sh: $build/bin/$f is missing; build first (make build BUILD=$build)" >&2
        exit 1
    fi
done
build=$(cd "$build" && pwd)
[ -n "$png" ] || png=$build/bench-ratios.png

# A prefix of the benchmark's own, so that its pinned wineserver is nobody else's.
prefix=$build/bench-wineprefix
sh "$root/tests/wine-prefix.sh" "$prefix"
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset WINEDLLOVERRIDES || true

# getaddrinfo of a hosts-file name: Wine's builtin asks the host's resolver, which reads
# /etc/hosts; OpenWS2 reads the prefix's hosts file, as Windows does. Take a loopback name that
# /etc/hosts lists (other than localhost and this machine's own name) and list it in the prefix's
# hosts file too, so that both sides answer it from a file.
hosts_name=$(awk -v me="$(hostname 2>/dev/null)" '
    $1 ~ /^(127\.|::1$)/ { for (i = 2; i <= NF; i++) {
        if ($i ~ /^#/) break
        if ($i != "localhost" && $i != me && $i !~ /localhost/) { print $i; exit } } }' \
    /etc/hosts 2>/dev/null || true)
if [ -n "$hosts_name" ]; then
    hosts_file=$prefix/drive_c/windows/system32/drivers/etc/hosts
    if ! grep -qw "$hosts_name" "$hosts_file" 2>/dev/null; then
        addr=$(awk -v n="$hosts_name" '{ for (i = 2; i <= NF; i++) if ($i == n) { print $1; exit } }' /etc/hosts)
        printf '%s %s\r\n' "$addr" "$hosts_name" >>"$hosts_file"
    fi
    bench_args="$bench_args --hosts-name $hosts_name"
fi

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
if [ -n "$trace" ]; then
    # -d1: the server traces every request, each line starting with the client thread's id.
    $pin wineserver -f -d1 -p30 >/dev/null 2>"$tmp/trace.log" &
else
    $pin wineserver -f -p30 >/dev/null 2>&1 &
fi
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

# ---- trace mode: wineserver requests per operation ----
# trace_count SIDE DIR OVERRIDE METRIC N: the requests the program's own threads made while it
# ran METRIC N times (setup included).
trace_count() {
    side=$1 dir=$2 override=$3 metric=$4 n=$5
    before=$(stat -c %s "$tmp/trace.log")
    # shellcheck disable=SC2086
    (cd "$dir" && WINEDLLOVERRIDES=$override timeout 600 wine ./wsbench.exe $bench_args \
        --exact "$metric" --count "$n") >"$tmp/trace.out" 2>/dev/null || {
        echo "run.sh: the $side run of $metric failed: $(tr -d '\r' <"$tmp/trace.out" | tail -n 1)" >&2
        echo failed
        return
    }
    sleep 0.2 # let the server write the last lines
    tail -c +"$((before + 1))" "$tmp/trace.log" >"$tmp/trace.slice"
    tr -d '\r' <"$tmp/trace.out" | awk '$1 == "#" && $2 == "thread" { print $3 }' >"$tmp/tids"
    awk 'NR == FNR { tid[$1 ":"] = 1; next }
         ($1 in tid) && $2 ~ /^[a-z_0-9]+\($/ { n++ }
         END { print n + 0 }' "$tmp/tids" "$tmp/trace.slice"
}

if [ -n "$trace" ]; then
    echo "== OpenWS2 benchmark, trace mode: wineserver requests per operation"
    echo "   $(wine --version); each figure is (requests for $((2 * count)) operations - for $count) / $count"
    metrics=$(cd "$tmp/builtin" && WINEDLLOVERRIDES=ws2_32=b wine ./wsbench.exe $bench_args \
        --count 1 2>/dev/null | tr -d '\r' | awk '$1 == "metric" { print $2 }')
    printf '%-24s %10s %10s\n' metric builtin ours
    over=0 total=0
    for m in $metrics; do
        line=$m
        for side in builtin ours; do
            if [ $side = builtin ]; then dir=$tmp/builtin ov=ws2_32=b; else dir=$tmp/ours ov=ws2_32=n,b; fi
            c1=$(trace_count $side "$dir" $ov "$m" "$count")
            c2=$(trace_count $side "$dir" $ov "$m" $((2 * count)))
            if [ "$c1" = failed ] || [ "$c2" = failed ]; then line="$line -"; continue; fi
            line="$line $(awk -v a="$c1" -v b="$c2" -v n="$count" 'BEGIN { printf "%.2f", (b - a) / n }')"
        done
        echo "$line" | awk '{ printf "%-24s %10s %10s\n", $1, $2, $3 }'
        total=$((total + 1))
        if echo "$line" | awk '{ exit !($3 == "-" || $3 > $2 + 0.05) }'; then over=$((over + 1)); fi
    done
    echo "bench-trace: metrics=$total over-builtin=$over"
    exit 0
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
awk -v a=builtin -v b="$label_b" -v rounds="$rounds" -v ratios="$tmp/ratios" '
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
            print m, ratio >ratios
            logsum += log(ratio); n++
        }
        printf "\nRates are operations per second (tcp_bulk_MBps: 10^6 bytes per second), "
        printf "medians of %d rounds.\n%s/%s above 1: %s is faster; below 1: %s is slower.\n",
            rounds, b, a, b, b
        printf "bench: geomean=%.2f metrics=%d rounds=%d\n", n ? exp(logsum / n) : 0, n, rounds
    }' "$tmp/all" >"$tmp/table"
sed '$d' "$tmp/table"

# The chart of the ratios.
if command -v python3 >/dev/null 2>&1 && [ -s "$tmp/ratios" ]; then
    if [ -n "$aa" ]; then title="a/a: wine builtin / wine builtin, $rounds rounds"
    else title="openws2 / wine builtin, $rounds rounds"; fi
    python3 "$root/bench/chart.py" "$tmp/ratios" "$png" "$title" && echo "chart: $png"
fi
tail -n 1 "$tmp/table"
