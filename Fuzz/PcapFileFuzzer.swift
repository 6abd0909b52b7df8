// libFuzzer entry point for the pcap/pcapng file reader: the bytes of a whole file, read through
// libpcap from memory (PcapFile.read(bytes:name:)), then every frame decoded as `tcplab decode`
// does. A thrown LabError or a `problem` is the expected answer to garbage; a crash, a trap, a
// sanitizer report or a hang (libFuzzer's -timeout) is a bug.
// Built by scripts/fuzz.sh together with Sources/TCPLabKit/Capture/{PcapFile,PcapReader,PcapngStream,
// CapturedFrame}.swift, Decode/*.swift and libpcap.

@_cdecl("LLVMFuzzerTestOneInput")
public func pcapFileFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? PcapFile.read(bytes: bytes, name: "fuzz.pcap") else { return 0 }
    for frame in file.frames {
        let linkType = frame.dataLinkType.flatMap { LinkType(dataLinkType: $0) } ?? file.linkType
        if case .tcp(let segment)? = try? PacketDecoder.decode(frame.bytes, linkType: linkType, originalLength: frame.originalLength) {
            _ = segment.flags.tcpdumpNotation
        }
    }
    _ = file.problem
    return 0
}
