#!/usr/bin/env bash
# Installs what tcplab needs and is missing on a Debian or Ubuntu machine: libpcap's headers
# (libpcap-dev), tcpdump (to open saved captures side by side), iproute2, strace (`tcplab watch`
# shows a program's own calls with it), nftables (the loss and keepalive scenarios drop segments
# with nft in the run's namespace), liburing's headers (liburing-dev: io-models' async server), and, with --tests, python3 (the watch tests' programs),
# chromium (the test that opens `tcplab report --html` pages in a headless browser), dpkg-dev and
# man-db (the test that builds the .deb with scripts/package.sh and reads its man page). Swift itself
# must already be installed (https://www.swift.org/install/linux/).
set -euo pipefail

missing=()
[ -f /usr/include/pcap/pcap.h ] || missing+=(libpcap-dev)
command -v tcpdump >/dev/null 2>&1 || missing+=(tcpdump)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v strace >/dev/null 2>&1 || missing+=(strace)
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || missing+=(nftables)
[ -f /usr/include/liburing.h ] || missing+=(liburing-dev)
# The browser test of `tcplab report --html` renders the page in headless Chromium; the package
# test builds the .deb (scripts/package.sh: dpkg-shlibdeps from dpkg-dev) and reads its man page.
if [ "${1:-}" = "--tests" ]; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v python3 >/dev/null 2>&1 || missing+=(python3)
    # docs/grading-workflow.yml is read with python3's yaml module (GradingDocsTests).
    python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
    command -v dpkg-shlibdeps >/dev/null 2>&1 || missing+=(dpkg-dev)
    command -v man >/dev/null 2>&1 || missing+=(man-db)
fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "setup: need root to install ${missing[*]} (apt-get)" >&2; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null 2>&1 || { echo "setup: swift is not on PATH; install Swift 6 first" >&2; exit 1; }
