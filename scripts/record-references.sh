#!/usr/bin/env bash
# Records the reference runs shipped in captures/reference/: for every scenario variant, one
# live run's pcap and its `--json` report, made by tcplab itself. `tcplab scenario NAME
# --variant V --replay` shows them again without any privilege.
#
# Run as root (or where user namespaces are allowed), from anywhere:
#   scripts/record-references.sh                 # builds, then records every variant
#   scripts/record-references.sh broken-pipe     # only the variants of these scenarios
# TCPLAB=/path/to/tcplab uses that binary instead of building.
# A variant whose claims do not all hold is reported and the script fails: a reference must be
# a run that shows what the scenario teaches.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TCPLAB:-}" ]; then
    swift build 2>&1 | tail -n 1
    TCPLAB=.build/debug/tcplab
fi
out=captures/reference
mkdir -p "$out"
failed=0
# `tcplab list` prints a scenario's name at the start of a line, then one `--variant NAME` line each.
while read -r name variant; do
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    base="$out/$name-$variant"
    if "$TCPLAB" scenario "$name" --variant "$variant" --json --pcap "$base.pcap" > "$base.json.new"; then
        mv "$base.json.new" "$base.json"
        echo "recorded $base.pcap ($(stat -c %s "$base.pcap") bytes) and $base.json"
    else
        echo "FAILED $name --variant $variant (exit $?): not every claim held; kept the old recording" >&2
        rm -f "$base.json.new"
        git checkout -q -- "$base.pcap" 2>/dev/null || true
        failed=1
    fi
done < <("$TCPLAB" list | awk '/^[^ ]/ { scenario = $1 } /^ +--variant / { print scenario, $2 }')
echo "total: $(du -sh "$out" | cut -f1) in $out"
exit $failed
