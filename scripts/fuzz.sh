#!/usr/bin/env bash
# Fuzzes the packet decoder and the /proc/net/tcp parser with libFuzzer + AddressSanitizer.
# Usage: scripts/fuzz.sh [RUNS per target (default 10000000)] [SECONDS cap per target (default 900)]
# Seeds: Fuzz/corpus/ (regenerate with Fuzz/make-corpus.py Fuzz/corpus). New crashing inputs are
# written to Fuzz/crashes/; turn each into a unit-test fixture once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
seconds=${2:-900}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir -p Fuzz/crashes

build_target() {  # NAME SOURCES…
    local name=$1; shift
    swiftc -sanitize=fuzzer,address -parse-as-library -O "$@" -o "$build/$name" 2>&1 | grep -v "Cannot export local symbol" || true
}
build_target decode Sources/TCPLabKit/Decode/*.swift Fuzz/DecodeFuzzer.swift
build_target procnet Sources/TCPLabKit/Decode/IPAddress.swift Sources/TCPLabKit/System/Errno.swift Sources/TCPLabKit/Sockets/*.swift Fuzz/ProcNetTCPFuzzer.swift

status=0
for target in decode procnet; do
    work=$(mktemp -d)
    cp Fuzz/corpus/$target/* "$work/"
    echo "fuzz $target: $runs runs (at most $seconds s)"
    if "$build/$target" -runs="$runs" -max_total_time="$seconds" -max_len=4096 -artifact_prefix=Fuzz/crashes/$target- \
        -print_final_stats=1 "$work" > "$build/$target.log" 2>&1; then
        grep -E "^stat::number_of_executed_units|^Done" "$build/$target.log" | sed 's/^/  /'
        echo "  crashes: 0"
    else
        status=1
        tail -n 30 "$build/$target.log"
        echo "  crash: see Fuzz/crashes/"
    fi
    rm -rf "$work"
done
exit $status
