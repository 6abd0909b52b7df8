// libFuzzer entry point for the packet decoder: every link type, arbitrary bytes. A crash, a
// trap or a sanitizer report is a bug; throwing DecodeError is the expected answer to garbage.
// Built by scripts/fuzz.sh together with Sources/TCPLabKit/Decode/*.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func decodeFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let linkTypes: [LinkType] = [.ethernet, .linuxCooked, .linuxCooked2, .raw, .ipv4, .ipv6, .null, .loop,
                                 .ppp, .pppSerial, .pppOverEthernet, .ciscoHDLC]
    // The first byte picks the link type, so the fuzzer explores every layer-2 parser.
    let linkType = linkTypes[Int(data[0]) % linkTypes.count]
    let frame = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if case .tcp(let segment)? = try? PacketDecoder.decode(frame, linkType: linkType) {
        // Touch what the timeline prints, so formatting code runs on fuzzed values too.
        _ = segment.flags.tcpdumpNotation
        _ = segment.options.map(\.tcpdumpText)
        _ = segment.source.endpoint(port: segment.sourcePort)
        _ = segment.destination.description
    }
    return 0
}
