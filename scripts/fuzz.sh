#!/usr/bin/env bash
# Fuzzes, with libFuzzer + AddressSanitizer: the packet decoder (decode), the /proc/net/tcp parser
# (procnet), the pcap/pcapng file reader on a whole file's bytes (pcap: libpcap via fmemopen, then
# the decoder) and the NETLINK_SOCK_DIAG reply parser on one datagram (sockdiag).
# Usage: scripts/fuzz.sh [RUNS per target (default 10000000)] [SECONDS cap per target (default 900)] [TARGET …]
# Seeds: Fuzz/corpus/TARGET/ (regenerate with Fuzz/make-corpus.py Fuzz/corpus). New crashing inputs
# are written to Fuzz/crashes/; turn each into a unit-test fixture once fixed. An input that runs
# longer than 10 s counts as a hang and fails the run like a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
seconds=${2:-900}
shift 2 || shift $# || true
targets=${*:-decode procnet pcap sockdiag}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir -p Fuzz/crashes
# A crash must end in libFuzzer's report and artifact; the Swift runtime's backtracer, started from
# an ASan build, was seen to hang for minutes instead.
export SWIFT_BACKTRACE=enable=no

build_target() {  # NAME SOURCES…
    local name=$1; shift
    swiftc -sanitize=fuzzer,address -parse-as-library -O "$@" -o "$build/$name" 2>&1 | grep -v "Cannot export local symbol" || true
}
kit=Sources/TCPLabKit
sockets=("$kit/Decode/IPAddress.swift" "$kit/System/Errno.swift" "$kit"/Sockets/*.swift)
for target in $targets; do
    case $target in
    decode) build_target decode "$kit"/Decode/*.swift Fuzz/DecodeFuzzer.swift ;;
    procnet) build_target procnet "${sockets[@]}" Fuzz/ProcNetTCPFuzzer.swift ;;
    sockdiag) build_target sockdiag "${sockets[@]}" Fuzz/SockDiagFuzzer.swift ;;
    pcap) build_target pcap -I Sources/CPcap "$kit"/Decode/*.swift "$kit"/Capture/{PcapFile,PcapReader,PcapngStream,CapturedFrame}.swift \
        "$kit/System/Errno.swift" "$kit/System/Signals.swift" "$kit/Scenarios/LabError.swift" Fuzz/PcapFileFuzzer.swift ;;
    *) echo "fuzz.sh: unknown target $target (decode, procnet, pcap, sockdiag)" >&2; exit 2 ;;
    esac
done

status=0
for target in $targets; do
    work=$(mktemp -d)
    cp Fuzz/corpus/$target/* "$work/"
    # Whole capture files are larger than single frames or lines.
    max_len=4096; [ "$target" = pcap ] && max_len=16384
    echo "fuzz $target: $runs runs (at most $seconds s)"
    if "$build/$target" -runs="$runs" -max_total_time="$seconds" -max_len=$max_len -timeout=10 -artifact_prefix=Fuzz/crashes/$target- \
        -print_final_stats=1 "$work" > "$build/$target.log" 2>&1; then
        grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^Done" "$build/$target.log" | sed 's/^/  /'
        echo "  crashes: 0"
    else
        status=1
        tail -n 30 "$build/$target.log"
        echo "  crash: see Fuzz/crashes/"
    fi
    rm -rf "$work"
done
exit $status
