#!/usr/bin/env bash
# Capture benchmark: a bulk transfer over loopback (default 1 GiB) watched by `tcplab watch`, whose
# live capture must report 0 packets dropped by the kernel. Runs RUNS times (default 3) in a
# private network namespace (root).
# Usage: Benchmarks/capture.sh [BYTES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
bytes=${1:-1073741824}
runs=${2:-3}
swift build -c release 2>&1 | tail -n 1
echo "capture benchmark: $bytes bytes over loopback, $runs runs, $(date -u +%Y-%m-%d), $(nproc) cores"
for run in $(seq "$runs"); do
    line=$(unshare -n sh -c "ip link set lo up && .build/release/tcplab watch -- python3 Benchmarks/bulk-transfer.py $bytes" | tail -n 1)
    echo "  run $run: $line"
done
