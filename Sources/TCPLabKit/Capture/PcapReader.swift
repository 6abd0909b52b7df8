import CPcap
import Glibc

/// Reads a saved capture (pcap or pcapng) one frame at a time, so a file of millions of
/// packets is decoded in constant memory. `-` reads standard input, and a pipe or FIFO works
/// like a file, as with `tcpdump -r -`.
///
/// pcap files go through libpcap; pcapng through `PcapngStream`, which gives each packet its
/// interface's link type (libpcap refuses a file whose interfaces differ).
public final class PcapReader {
    public let path: String
    /// The capture's link type: the file's, or a pcapng file's first interface's (a frame from
    /// another interface carries its own in `CapturedFrame.dataLinkType`).
    public let linkType: LinkType
    /// Set when the file ended in the middle of a record: the frames before it were delivered.
    public private(set) var problem: String?
    private enum Source {
        case libpcap(OpaquePointer)
        case pcapng(PcapngStream)
    }
    private let source: Source
    /// The copy of the bytes an in-memory reader reads through `fmemopen(3)`; nil for a file.
    private let memory: UnsafeMutableRawBufferPointer?
    /// The stream's stdio buffer (`StreamBuffer`); released after `deinit` has closed the stream.
    private let buffer: StreamBuffer?
    private var framesRead = 0
    /// The storage the last frame's bytes were copied into: reused for the next frame when the
    /// caller has let go of the last one, so reading a file allocates no array per packet.
    private var frameBytes: [UInt8] = []

    /// Opens the file (`-`: standard input); throws a one-line message for a file that is
    /// missing, unreadable (`cannot open: permission denied`) or not a capture.
    public convenience init(path: String) throws(LabError) {
        let stream: UnsafeMutablePointer<FILE>
        if path == "-" {
            // A stream of its own on a copy of descriptor 0, closed with the reader.
            guard let input = fdopen(dup(STDIN_FILENO), "rb") else {
                throw LabError.capture("standard input: cannot open: \(Errno.current.message.lowercased())")
            }
            stream = input
        } else {
            guard let opened = fopen(path, "rb") else {
                throw LabError.capture("\(path): cannot open: \(Errno.current.message.lowercased())")
            }
            stream = opened
            var status = stat()
            if fstat(fileno(opened), &status) == 0 {
                if status.st_mode & S_IFMT == S_IFDIR {
                    fclose(opened)
                    throw LabError.capture("\(path): is a directory, not a capture file")
                }
                if status.st_mode & S_IFMT == S_IFREG {
                    do { try PcapReader.checkHeaderFits(size: Int(status.st_size), name: path) } catch {
                        fclose(opened)
                        throw error
                    }
                }
            }
        }
        // Held past any fclose in the initialiser below, and by whoever owns the stream after it.
        let buffer = StreamBuffer(for: stream)
        try self.init(stream: stream, name: path == "-" ? "standard input" : path, memory: nil, buffer: buffer)
    }

    /// Reads a whole capture file's bytes from memory, through the same code as a file
    /// (`fmemopen(3)`): the parsing behind `init(path:)`, callable on bytes alone for tests and
    /// the fuzzer. `name` stands in for the path in messages. Throws the same one-line messages.
    public convenience init(bytes: [UInt8], name: String) throws(LabError) {
        try PcapReader.checkHeaderFits(size: bytes.count, name: name)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        memory.copyBytes(from: bytes)
        guard let stream = fmemopen(memory.baseAddress, memory.count, "rb") else {
            memory.deallocate()
            throw LabError.capture("\(name): cannot open: \(Errno.current.message.lowercased())")
        }
        try self.init(stream: stream, name: name, memory: memory, buffer: nil)
    }

    /// Takes over an open stream: looks at its first four bytes to tell pcapng from pcap, then
    /// reads it with `PcapngStream` or libpcap. The stream is closed with the reader (or on a throw).
    /// `buffer`, the stream's stdio buffer if it has one of its own, is kept until the stream is closed.
    private init(
        stream: UnsafeMutablePointer<FILE>, name: String, memory: UnsafeMutableRawBufferPointer?, buffer: StreamBuffer?
    ) throws(LabError) {
        // Peek without seeking, so a pipe works: glibc's ungetc of the bytes just read only steps
        // back in the stream's buffer.
        var magic: [Int32] = []
        while magic.count < 4 {
            let byte = getc(stream)
            if byte == EOF { break }
            magic.append(byte)
        }
        for byte in magic.reversed() { ungetc(byte, stream) }
        guard magic.count == 4 else {
            fclose(stream)
            memory?.deallocate()
            throw LabError.capture("\(name): not a capture file: it ends at byte \(magic.count), before the 24-byte pcap file header does")
        }
        let code: Int32
        if magic == [0x0A, 0x0D, 0x0D, 0x0A] {
            let reader: PcapngStream
            do { reader = try PcapngStream(stream: stream, buffer: buffer) } catch {
                memory?.deallocate()
                throw LabError.capture("\(name): not a capture file tcplab can read (\(error.reason), at byte \(error.offset))")
            }
            code = reader.firstLinkType
            source = .pcapng(reader)
        } else {
            var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
            let handle = pcap_fopen_offline_with_tstamp_precision(stream, UInt32(PCAP_TSTAMP_PRECISION_MICRO), &errorBuffer)
            guard let handle else {
                // On failure libpcap leaves the stream to its caller; on success pcap_close closes it.
                fclose(stream)
                memory?.deallocate()
                let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                let reason = PcapReader.plain(detail.replacing("\(name): ", with: ""))
                throw LabError.capture("\(name): not a capture file tcplab can read (\(reason), at byte 0)")
            }
            code = pcap_datalink(handle)
            source = .libpcap(handle)
        }
        guard let linkType = LinkType(dataLinkType: code) else {
            if case .libpcap(let handle) = source { pcap_close(handle) }
            memory?.deallocate()
            throw LabError.capture("\(name): link type \(code) is not one tcplab decodes "
                + "(Ethernet, Linux cooked, PPP, Cisco HDLC, raw IP, loopback)")
        }
        self.path = name
        self.linkType = linkType
        self.memory = memory
        self.buffer = buffer
    }

    /// A capture starts with a 24-byte file header (pcap) or a 28-byte section header (pcapng).
    private static func checkHeaderFits(size: Int, name: String) throws(LabError) {
        if size < 24 {
            throw LabError.capture("\(name): not a capture file: it ends at byte \(size), before the 24-byte pcap file header does")
        }
    }

    deinit {
        // pcap_close closes the file or the fmemopen stream; PcapngStream closes its own.
        if case .libpcap(let handle) = source { pcap_close(handle) }
        memory?.deallocate()
    }

    /// The next frame, or nil at the end of the file (or at a truncated record: see `problem`).
    public func next() -> CapturedFrame? {
        switch source {
        case .libpcap(let handle): return nextFromLibpcap(handle)
        case .pcapng(let reader): return nextFromPcapng(reader)
        }
    }

    private func nextFromPcapng(_ reader: PcapngStream) -> CapturedFrame? {
        do {
            guard let packet = try reader.next() else { return nil }
            framesRead += 1
            var frame = CapturedFrame(time: packet.time, bytes: packet.bytes, originalLength: packet.originalLength)
            if packet.linkType != Int32(linkType.rawValue) || LinkType(dataLinkType: packet.linkType) == nil {
                frame.dataLinkType = packet.linkType
            }
            return frame
        } catch {
            problem = "\(path): frame \(framesRead + 1) at byte \(error.offset): \(error.reason)"
            return nil
        }
    }

    private func nextFromLibpcap(_ handle: OpaquePointer) -> CapturedFrame? {
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
            // Copied out of libpcap's buffer, which the next pcap_next_ex overwrites.
            frameBytes.removeAll(keepingCapacity: true)
            frameBytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(header.pointee.caplen)))
            return CapturedFrame(
                time: Int64(stamp.tv_sec) * 1_000_000 + Int64(stamp.tv_usec),
                bytes: frameBytes,
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
