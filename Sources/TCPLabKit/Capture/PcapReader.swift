import CPcap
import Glibc

/// Reads a saved capture (pcap or pcapng, anything libpcap opens) one frame at a time, so a
/// file of millions of packets is decoded in constant memory.
public final class PcapReader {
    public let path: String
    public let linkType: LinkType
    /// Set when the file ended in the middle of a record: the frames before it were delivered.
    public private(set) var problem: String?
    private let handle: OpaquePointer
    /// The copy of the bytes an in-memory reader reads through `fmemopen(3)`; nil for a file.
    private let memory: UnsafeMutableRawBufferPointer?
    private var framesRead = 0

    /// Opens the file; throws a one-line message for a file that is missing or not a capture.
    public convenience init(path: String) throws(LabError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw LabError.capture("\(path): cannot open: \(Errno.current.message.lowercased())")
        }
        if status.st_mode & S_IFMT == S_IFDIR { throw LabError.capture("\(path): is a directory, not a capture file") }
        try PcapReader.checkHeaderFits(size: Int(status.st_size), name: path)
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let handle = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_MICRO), &errorBuffer)
        try self.init(handle: handle, errorBuffer: errorBuffer, path: path, memory: nil)
    }

    /// Reads a whole capture file's bytes from memory, through the same libpcap code as a file
    /// (`fmemopen(3)` + `pcap_fopen_offline`): the parsing behind `init(path:)`, callable on bytes
    /// alone for tests and the fuzzer. `name` stands in for the path in messages. Throws the same
    /// one-line messages as `init(path:)`.
    public convenience init(bytes: [UInt8], name: String) throws(LabError) {
        try PcapReader.checkHeaderFits(size: bytes.count, name: name)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        memory.copyBytes(from: bytes)
        guard let stream = fmemopen(memory.baseAddress, memory.count, "rb") else {
            memory.deallocate()
            throw LabError.capture("\(name): cannot open: \(Errno.current.message.lowercased())")
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let handle = pcap_fopen_offline_with_tstamp_precision(stream, UInt32(PCAP_TSTAMP_PRECISION_MICRO), &errorBuffer)
        // On failure libpcap leaves the stream to its caller; on success pcap_close closes it.
        if handle == nil { fclose(stream) }
        try self.init(handle: handle, errorBuffer: errorBuffer, path: name, memory: memory)
    }

    /// Takes over an opened handle (or libpcap's error when it is nil) and checks its link type.
    private init(handle: OpaquePointer?, errorBuffer: [CChar], path: String, memory: UnsafeMutableRawBufferPointer?) throws(LabError) {
        guard let handle else {
            memory?.deallocate()
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let reason = PcapReader.plain(detail.replacing("\(path): ", with: ""))
            throw LabError.capture("\(path): not a capture file tcplab can read (\(reason), at byte 0)")
        }
        let code = pcap_datalink(handle)
        guard let linkType = LinkType(dataLinkType: code) else {
            pcap_close(handle)
            memory?.deallocate()
            throw LabError.capture("\(path): link type \(code) is not one tcplab decodes (Ethernet, Linux cooked, raw IP, loopback)")
        }
        self.path = path
        self.handle = handle
        self.linkType = linkType
        self.memory = memory
    }

    /// A capture starts with a 24-byte file header (pcap) or a 28-byte section header (pcapng).
    private static func checkHeaderFits(size: Int, name: String) throws(LabError) {
        if size < 24 {
            throw LabError.capture("\(name): not a capture file: it ends at byte \(size), before the 24-byte pcap file header does")
        }
    }

    deinit {
        pcap_close(handle)  // closes the file, or the fmemopen stream
        memory?.deallocate()
    }

    /// The next frame, or nil at the end of the file (or at a truncated record: see `problem`).
    public func next() -> CapturedFrame? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while true {
            let status = pcap_next_ex(handle, &header, &data)
            if status == PCAP_ERROR_BREAK { return nil }
            if status < 0 {
                // Where libpcap stopped reading, so a student can look at the file with a hex dump.
                let offset = pcap_file(handle).map { ftell($0) } ?? -1
                let position = offset >= 0 ? " at byte \(offset)" : ""
                problem = "\(path): frame \(framesRead + 1)\(position): " + PcapReader.plain(String(cString: pcap_geterr(handle)))
                return nil
            }
            guard let header, let data else { continue }
            framesRead += 1
            let stamp = header.pointee.ts
            return CapturedFrame(
                time: Int64(stamp.tv_sec) * 1_000_000 + Int64(stamp.tv_usec),
                bytes: Array(UnsafeBufferPointer(start: data, count: Int(header.pointee.caplen))),
                originalLength: Int(header.pointee.len))
        }
    }

    /// libpcap's messages, minus the jargon a student cannot act on.
    static func plain(_ detail: String) -> String {
        if detail.contains("unknown file format") { return "unknown file format: not pcap or pcapng" }
        if detail.contains("truncated") { return "the file is truncated: \(detail)" }
        return detail
    }
}
