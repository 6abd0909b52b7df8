#!/usr/bin/env bash
# The README's second command: set up what is missing, then run every test (unit and live).
# Live tests run real scenarios and need capture rights: run as root (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
swift build
swift test
