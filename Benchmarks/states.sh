#!/usr/bin/env bash
# States benchmark: with N established loopback connections held open (2N sockets), time
# `tcplab states` (netlink and /proc) against `ss -tan` and `ss -tanp`, in the same run, median
# of RUNS each. Runs in a private network namespace so the host's sockets do not count.
# Usage: Benchmarks/states.sh [N (default 10000)] [RUNS (default 7)]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-7}
# The binary a class installs: release, Swift runtime linked in (one file, ~10 ms faster to start).
swift build -c release --static-swift-stdlib --scratch-path .build-static 2>&1 | tail -n 1
tcplab=$PWD/.build-static/release/tcplab
inner=$(mktemp)
trap 'rm -f "$inner"' EXIT
cat > "$inner" <<INNER
median() { python3 -c 'import statistics,subprocess,sys,time
r=int(sys.argv[1]); c=sys.argv[2:]; t=[]
for _ in range(r):
    s=time.perf_counter(); subprocess.run(c, stdout=subprocess.DEVNULL, check=True); t.append(time.perf_counter()-s)
print(f"{statistics.median(t):.3f}")' "\$@"; }
echo "states benchmark: $n connections ($((2 * n)) sockets), median of $runs runs, \$(date -u +%Y-%m-%d), \$(nproc) cores"
ss_tan=\$(median $runs ss -tan); ss_tanp=\$(median $runs ss -tanp)
nl=\$(median $runs $tcplab states); bare=\$(median $runs $tcplab states --no-processes)
proc=\$(median $runs $tcplab states --source proc)
printf '%-34s %8s\n' "command" "seconds"
printf '%-34s %8s\n' "ss -tan" "\$ss_tan" "tcplab states --no-processes" "\$bare" "ss -tanp" "\$ss_tanp" "tcplab states" "\$nl" "tcplab states --source proc" "\$proc"
python3 -c "import sys; a,b,c,d=map(float,sys.argv[1:]); print(f'speed ratio, tcplab/ss: {a/b:.2f}x without processes (ss -tan vs --no-processes), {c/d:.2f}x with processes (ss -tanp vs states)')" "\$ss_tan" "\$bare" "\$ss_tanp" "\$nl"
INNER
unshare -n sh -c "ip link set lo up && python3 Benchmarks/hold-connections.py $n -- bash $inner"
