#!/usr/bin/env bash
# The README's first command: set up what is missing, build, and run the broken-pipe scenario.
# Extra arguments go to the scenario (e.g. --variant sigpipe-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build 2>&1 | tail -n 1
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && ! unshare -rn true 2>/dev/null; then
    exec sudo .build/debug/tcplab scenario broken-pipe "$@"
fi
exec .build/debug/tcplab scenario broken-pipe "$@"
