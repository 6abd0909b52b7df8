// libFuzzer entry point for the /proc/net/tcp parser: arbitrary text, both families. Throwing
// ProcNetTCPError is the expected answer to garbage; a crash or trap is a bug.
// Built by scripts/fuzz.sh together with Sources/TCPLabKit/Sockets/*.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func procNetTCPFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for family in [IPFamily.ipv4, .ipv6] {
        if let entries = try? ProcNetTCP.parse(table: text, family: family) {
            for entry in entries {
                _ = entry.local
                _ = entry.remote
                _ = entry.timer.ssText
            }
        }
    }
    return 0
}
