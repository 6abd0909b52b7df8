#!/usr/bin/env bash
# Concurrency benchmark: every server model of `tcplab scenario concurrency` (iterative, fork,
# thread, select, poll, epoll, epoll-et) at 10, 100 and 1000 concurrent clients, and the models
# that can hold them (select, which refuses most; poll; epoll; epoll-et) at 10,000. Writes the
# table as CSV and the requests/s plot as SVG under DIR, then runs two rows with one and with two
# load generator processes, back to back, to check that one generator is not what limits the numbers.
# Usage: Benchmarks/concurrency.sh DIR        (as root: each run gets a private network namespace)
# SCRATCH_PATH=.build-x Benchmarks/concurrency.sh DIR builds in another scratch directory.
# Each row is the median of 3 runs (rounds of all models in turn). Takes about three minutes on a
# 2-core machine.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR (where the CSV and SVG files go)" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
scratch=${SCRATCH_PATH:-.build}
swift build -c release --scratch-path "$scratch" 2>&1 | tail -n 1
tcplab=$scratch/release/tcplab

"$tcplab" bench concurrency --clients 10,100,1000,10000 --repeat 3 \
    --csv "$out/concurrency.csv" --svg "$out/concurrency.svg" | tee "$out/concurrency.txt"
echo
echo "load generator check: epoll and thread at 1000 clients with 1, then 2 load generator processes, back to back"
echo "(if one generator were the bottleneck, two would answer more requests/s)"
for generators in 1 2; do
    "$tcplab" bench concurrency --models epoll,thread --clients 1000 --generators "$generators" \
        --csv "$out/generators-$generators.csv" | grep -E '^(model|epoll|thread) ' | sed "s/^/$generators generator(s)  /"
done | tee "$out/generators.txt"
