#!/usr/bin/env bash
# Determinism: runs every scenario variant N times (default 100) and counts, per variant, how many
# runs gave the most common verdicts (claim ids and holds). Target: N/N for every variant. A flake
# is fixed at its root (a race in the scenario's synchronisation), never by retrying.
# Usage: scripts/determinism.sh [N] [SCENARIO …]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}; shift || true
swift build -c release 2>&1 | tail -n 1
tcplab=.build/release/tcplab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
filter="${*:-}"
cat > "$work/verdict.py" <<'PY'
import json, sys
try:
    run = json.load(sys.stdin)
    print(" ".join("%s=%s" % (claim["id"], claim["holds"]) for claim in run["claims"]) or "no-claims")
except Exception:
    print("no-json")
PY
variants=$("$tcplab" list --json | FILTER="$filter" python3 -c 'import json,os,sys
wanted=set(os.environ["FILTER"].split())
for s in json.load(sys.stdin):
    if wanted and s["name"] not in wanted: continue
    for v in s["variants"]: print(s["name"], v["name"])')
worst=0
while read -r scenario variant; do
    : > "$work/verdicts"
    for _ in $(seq "$runs"); do
        "$tcplab" scenario "$scenario" --variant "$variant" --json --pcap "$work/run.pcap" 2>/dev/null \
            | python3 "$work/verdict.py" >> "$work/verdicts"
    done
    same=$(sort "$work/verdicts" | uniq -c | sort -rn | head -n 1 | awk '{print $1}')
    printf '%-14s %-16s %s/%s identical\n' "$scenario" "$variant" "$same" "$runs"
    [ "$same" -lt "$runs" ] && { worst=1; sort "$work/verdicts" | uniq -c | sed 's/^/      /'; }
done <<< "$variants"
exit $worst
