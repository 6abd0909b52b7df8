// libFuzzer entry point for the NETLINK_SOCK_DIAG reply parser: the bytes of one datagram of the
// kernel's dump reply (nlmsghdr + inet_diag_msg runs). Throwing ProcNetTCPError is the expected
// answer to garbage; a crash or trap is a bug.
// Built by scripts/fuzz.sh together with Sources/TCPLabKit/Sockets/*.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func sockDiagFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let reply = try? SockDiag.parse(reply: bytes[...]) else { return 0 }
    for entry in reply.entries {
        // Touch what `tcplab states` prints, so formatting code runs on fuzzed values too.
        _ = entry.local
        _ = entry.remote
        _ = entry.timer.ssText
    }
    return 0
}
