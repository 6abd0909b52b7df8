#!/usr/bin/env bash
# Decode benchmark: tcplab decode against tcpdump -n -r on the same synthetic capture, in the
# same run, taking turns. Prints the median wall time of RUNS runs each, packets/s, peak memory and the ratio.
# Usage: Benchmarks/decode.sh [SEGMENTS (default 1000000)] [RUNS (default 5)]
set -euo pipefail
cd "$(dirname "$0")/.."
segments=${1:-1000000}
runs=${2:-5}
command -v tcpdump >/dev/null || { echo "decode.sh: needs tcpdump (scripts/setup.sh installs it)" >&2; exit 1; }
# The binary a class installs: release, Swift runtime linked in (one file, ~10 ms faster to start).
swift build -c release --static-swift-stdlib --scratch-path .build-static 2>&1 | tail -n 1
tcplab=.build-static/release/tcplab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 Benchmarks/make-pcap.py "$work/bench.pcap" "$segments" >/dev/null

# timed CMD...: runs CMD once (output to /dev/null), prints "seconds peak_kb".
timed() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    cat "$work/time"
}

# The three commands take turns, round after round, so a change in the machine's load (it is
# shared) weighs on all three alike instead of on whichever ran during it.
for _ in $(seq "$runs"); do
    timed tcpdump -n -r "$work/bench.pcap" >> "$work/tcpdump"
    timed "$tcplab" decode "$work/bench.pcap" >> "$work/text"
    timed "$tcplab" decode --json "$work/bench.pcap" >> "$work/json"
done

# median FILE: prints "median_seconds peak_kb" of the runs recorded in FILE.
median() {
    sort -n "$1" | awk '{a[NR]=$1; if ($2 > peak) peak=$2} END {print a[int((NR+1)/2)], peak}'
}

read -r tcpdump_s tcpdump_kb < <(median "$work/tcpdump")
read -r text_s text_kb < <(median "$work/text")
read -r json_s json_kb < <(median "$work/json")

rate() { awk -v n="$segments" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "decode benchmark: $segments segments, median of $runs runs, $(date -u +%Y-%m-%d), $(nproc) cores"
printf '%-22s %9s %14s %12s\n' "tool" "seconds" "segments/s" "peak RSS KB"
printf '%-22s %9s %14s %12s\n' "tcpdump -n -r" "$tcpdump_s" "$(rate "$tcpdump_s")" "$tcpdump_kb"
printf '%-22s %9s %14s %12s\n' "tcplab decode" "$text_s" "$(rate "$text_s")" "$text_kb"
printf '%-22s %9s %14s %12s\n' "tcplab decode --json" "$json_s" "$(rate "$json_s")" "$json_kb"
echo "ratio tcplab/tcpdump packets/s: $(ratio "$tcpdump_s" "$text_s")x (text), $(ratio "$tcpdump_s" "$json_s")x (--json)"
