#!/usr/bin/env bash
# Concurrency benchmark: every server model of `tcplab scenario concurrency` (iterative, fork,
# thread, select, poll, epoll, epoll-et) at 10, 100 and 1000 concurrent clients, and the models
# that can hold them (select, which refuses most; poll; epoll; epoll-et) at 10,000. Writes the
# tables as CSV and the requests/s plot as SVG under DIR, then repeats two rows with two load
# generator processes, to check that one generator is not what limits the numbers.
# Usage: Benchmarks/concurrency.sh DIR        (as root: each run gets a private network namespace)
# Takes about two minutes on a 2-core machine.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR (where the CSV and SVG files go)" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
swift build -c release 2>&1 | tail -n 1
tcplab=.build/release/tcplab

"$tcplab" bench concurrency --clients 10,100,1000,10000 \
    --csv "$out/concurrency.csv" --svg "$out/concurrency.svg" | tee "$out/concurrency.txt"
echo
echo "load generator check: the same rows with 2 generator processes sharing the connections"
"$tcplab" bench concurrency --models epoll,thread --clients 1000 --generators 2 \
    --csv "$out/concurrency-2-generators.csv" | tee "$out/concurrency-2-generators.txt"
