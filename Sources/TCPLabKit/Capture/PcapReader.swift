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
    private var framesRead = 0

    /// Opens the file; throws a one-line message for a file that is missing or not a capture.
    public init(path: String) throws(LabError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw LabError.capture("\(path): cannot open: \(Errno.current.message.lowercased())")
        }
        if status.st_mode & S_IFMT == S_IFDIR { throw LabError.capture("\(path): is a directory, not a capture file") }
        if status.st_size < 24 {
            throw LabError.capture("\(path): not a capture file: it ends at byte \(status.st_size), before the 24-byte pcap file header does")
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_MICRO), &errorBuffer)
        else {
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let reason = PcapReader.plain(detail.replacing("\(path): ", with: ""))
            throw LabError.capture("\(path): not a capture file tcplab can read (\(reason), at byte 0)")
        }
        let code = pcap_datalink(handle)
        guard let linkType = LinkType(dataLinkType: code) else {
            pcap_close(handle)
            throw LabError.capture("\(path): link type \(code) is not one tcplab decodes (Ethernet, Linux cooked, raw IP, loopback)")
        }
        self.path = path
        self.handle = handle
        self.linkType = linkType
    }

    deinit { pcap_close(handle) }

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
