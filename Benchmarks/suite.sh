#!/usr/bin/env bash
# Suite benchmark: every scenario variant back to back (release build, as root), with the total
# wall time and the slowest variants. Target: under 20 s for all of them.
# Usage: Benchmarks/suite.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release 2>&1 | tail -n 1
tcplab=.build/release/tcplab
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
variants=$("$tcplab" list --json | python3 -c 'import json,sys
for s in json.load(sys.stdin):
    for v in s["variants"]: print(s["name"], v["name"])')
start=$(date +%s.%N)
failed=0
while read -r scenario variant; do
    t0=$(date +%s.%N)
    if ! "$tcplab" scenario "$scenario" --variant "$variant" --pcap "$out/run.pcap" > "$out/last.txt" 2>&1; then
        failed=$((failed + 1)); echo "FAIL $scenario $variant"; tail -n 5 "$out/last.txt"
    fi
    t1=$(date +%s.%N)
    echo "$(awk "BEGIN{print $t1 - $t0}") $scenario $variant" >> "$out/times"
done <<< "$variants"
end=$(date +%s.%N)
count=$(wc -l < "$out/times")
echo "suite: $count variants in $(awk "BEGIN{printf \"%.1f\", $end - $start}") s ($(date -u +%Y-%m-%d), $(nproc) cores), $failed failed"
echo "slowest:"; sort -rn "$out/times" | head -n 5 | awk '{printf "  %6.2f s  %s %s\n", $1, $2, $3}'
[ "$failed" -eq 0 ]
