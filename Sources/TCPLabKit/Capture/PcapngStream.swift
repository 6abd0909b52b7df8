import Glibc

/// Reads a pcapng file (the IETF draft "PCAP Next Generation Dump File Format") block by block
/// from a stream, each packet with the link type of the interface that captured it.
///
/// libpcap refuses a pcapng file whose interfaces have different link types ("an interface has
/// a type … different from the type of the first interface"); tshark reads it, and so must a
/// student's capture from Ethernet and a tunnel at once. So pcapng is read here: section header
/// (either byte order, each section resets the interfaces), interface description (link type,
/// snapshot length, `if_tsresol`, `if_tsoffset`), enhanced, simple and the obsolete packet block;
/// other blocks are skipped. Memory: one block's bytes at a time.
final class PcapngStream {
    /// One interface description block's settings.
    struct Interface {
        /// The LINKTYPE_ value.
        var linkType: Int32
        var snapshotLength: UInt32
        /// Timestamp units per second, as `if_tsresol` says (10^6 by default).
        var unitsPerSecond: UInt64 = 1_000_000
        /// A power of two instead of ten: `if_tsresol` with its high bit set.
        var binaryShift: UInt32?
        /// `if_tsoffset`: seconds to add to every timestamp.
        var offsetSeconds: Int64 = 0
    }

    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    private static let largestBlock = 16 * 1024 * 1024

    private let stream: UnsafeMutablePointer<FILE>
    /// The stream's stdio buffer, if it has one of its own: kept until `deinit` has closed the stream.
    private let buffer: StreamBuffer?
    private var bigEndian = false
    private var interfaces: [Interface] = []
    private var block: [UInt8] = []
    /// Bytes consumed so far, for messages that say where a problem is.
    private(set) var offset = 0

    /// Reads up to and including the first interface description, so the capture's link type
    /// is known; throws a plain reason when the file is not a pcapng file tcplab can read.
    init(stream: UnsafeMutablePointer<FILE>, buffer: StreamBuffer? = nil) throws(PcapngProblem) {
        self.stream = stream
        self.buffer = buffer
        while interfaces.isEmpty {
            guard try nextBlock() != nil else {
                throw PcapngProblem(reason: "a pcapng file without an interface description block", offset: offset)
            }
        }
    }

    deinit { fclose(stream) }

    /// The first interface's link type.
    var firstLinkType: Int32 { interfaces[0].linkType }

    /// A packet as the file holds it: its interface's link type, microseconds, bytes, wire length.
    struct Packet {
        var linkType: Int32
        var time: Int64
        var bytes: [UInt8]
        var originalLength: Int
    }

    /// The next packet, nil at the end of the file; throws where the file is damaged.
    func next() throws(PcapngProblem) -> Packet? {
        while true {
            guard let type = try nextBlock() else { return nil }
            if let packet = try packet(type) { return packet }
        }
    }

    /// Reads one whole block into `block`; returns its type, nil at a clean end of file.
    private func nextBlock() throws(PcapngProblem) -> UInt32? {
        let start = offset
        var header = [UInt8](repeating: 0, count: 8)
        let got = read(into: &header, at: 0, count: 8)
        if got == 0 { return nil }
        guard got == 8 else { throw PcapngProblem(reason: "the file is truncated in a block header", offset: start) }
        var type = UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24
        if type == Self.sectionHeaderType {
            // The byte-order magic after the length says how to read this section.
            var magic = [UInt8](repeating: 0, count: 4)
            guard read(into: &magic, at: 0, count: 4) == 4 else {
                throw PcapngProblem(reason: "the file is truncated in a section header", offset: start)
            }
            switch (magic[0], magic[1], magic[2], magic[3]) {
            case (0x4D, 0x3C, 0x2B, 0x1A): bigEndian = false
            case (0x1A, 0x2B, 0x3C, 0x4D): bigEndian = true
            default: throw PcapngProblem(reason: "a section header with an unknown byte-order magic", offset: start)
            }
            interfaces = []
            header += magic
        } else if bigEndian {
            type = type.byteSwapped
        }
        let length = Int(uint32(header, 4))
        guard length >= 12, length % 4 == 0, length <= Self.largestBlock, length >= header.count + 4 else {
            throw PcapngProblem(reason: "a block of length \(length), not a multiple of 4 between 12 and 16 MiB", offset: start)
        }
        if block.count < length { block = [UInt8](repeating: 0, count: length) }
        for index in 0..<header.count { block[index] = header[index] }
        guard read(into: &block, at: header.count, count: length - header.count) == length - header.count else {
            throw PcapngProblem(reason: "the file is truncated in a block of \(length) bytes", offset: start)
        }
        if type == 1 { try addInterface(length: length, at: start) }
        return type
    }

    /// An interface description block: link type, reserved, snapshot length, options.
    private func addInterface(length: Int, at start: Int) throws(PcapngProblem) {
        guard length >= 20 else { throw PcapngProblem(reason: "an interface description block too short", offset: start) }
        var interface = Interface(linkType: Int32(uint16(block, 8)), snapshotLength: uint32(block, 12))
        var at = 16
        while at + 4 <= length - 4 {
            let code = uint16(block, at)
            let size = Int(uint16(block, at + 2))
            guard code != 0, at + 4 + size <= length - 4 else { break }
            if code == 9, size == 1 {
                let value = block[at + 4]
                if value & 0x80 != 0 {
                    interface.binaryShift = UInt32(value & 0x7F)
                } else {
                    interface.unitsPerSecond = (0..<Int(value)).reduce(UInt64(1)) { product, _ in product &* 10 }
                }
            } else if code == 14, size == 8 {
                interface.offsetSeconds = Int64(bitPattern: UInt64(uint32(block, bigEndian ? at + 4 : at + 8)) << 32
                    | UInt64(uint32(block, bigEndian ? at + 8 : at + 4)))
            }
            at += 4 + (size + 3) / 4 * 4
        }
        interfaces.append(interface)
    }

    /// The packet in `block` if it is a packet block (enhanced 6, simple 3, obsolete 2).
    private func packet(_ type: UInt32) throws(PcapngProblem) -> Packet? {
        let length = Int(uint32(block, 4))
        let interfaceIndex: Int, stamp: UInt64, captured: Int, original: Int, dataStart: Int
        switch type {
        case 6:
            guard length >= 32 else { throw PcapngProblem(reason: "an enhanced packet block too short", offset: offset - length) }
            interfaceIndex = Int(uint32(block, 8))
            stamp = UInt64(uint32(block, 12)) << 32 | UInt64(uint32(block, 16))
            captured = Int(uint32(block, 20))
            original = Int(uint32(block, 24))
            dataStart = 28
        case 2:
            guard length >= 32 else { throw PcapngProblem(reason: "a packet block too short", offset: offset - length) }
            interfaceIndex = Int(uint16(block, 8))
            stamp = UInt64(uint32(block, 12)) << 32 | UInt64(uint32(block, 16))
            captured = Int(uint32(block, 20))
            original = Int(uint32(block, 24))
            dataStart = 28
        case 3:
            guard length >= 16, !interfaces.isEmpty else { return nil }
            interfaceIndex = 0
            stamp = 0
            original = Int(uint32(block, 8))
            let snap = interfaces[0].snapshotLength == 0 ? Int.max : Int(interfaces[0].snapshotLength)
            captured = min(original, length - 16, snap)
            dataStart = 12
        default:
            return nil
        }
        guard interfaceIndex < interfaces.count else {
            throw PcapngProblem(reason: "a packet on interface \(interfaceIndex), which no interface block describes", offset: offset - length)
        }
        guard dataStart + captured <= length - 4 else {
            throw PcapngProblem(reason: "a packet of \(captured) captured bytes in a block of \(length)", offset: offset - length)
        }
        let interface = interfaces[interfaceIndex]
        return Packet(
            linkType: interface.linkType,
            time: type == 3 ? 0 : Self.microseconds(stamp, interface),
            bytes: Array(block[dataStart..<dataStart + captured]),
            originalLength: original)
    }

    /// A timestamp in the interface's units, as CLOCK_REALTIME microseconds.
    static func microseconds(_ stamp: UInt64, _ interface: Interface) -> Int64 {
        let micros: UInt64
        if let shift = interface.binaryShift {
            let whole = stamp >> UInt64(shift)
            let fraction = stamp & ((1 << UInt64(shift)) &- 1)
            micros = whole &* 1_000_000 &+ (fraction.multipliedFullWidth(by: 1_000_000).low >> UInt64(shift))
        } else if interface.unitsPerSecond >= 1_000_000 {
            micros = stamp / (interface.unitsPerSecond / 1_000_000)
        } else {
            micros = stamp &* (1_000_000 / max(interface.unitsPerSecond, 1))
        }
        return Int64(bitPattern: micros) &+ interface.offsetSeconds &* 1_000_000
    }

    private func read(into buffer: inout [UInt8], at start: Int, count: Int) -> Int {
        let got = buffer.withUnsafeMutableBytes { fread($0.baseAddress! + start, 1, count, stream) }
        offset += got
        return got
    }

    private func uint16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        let value = UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
        return bigEndian ? value.byteSwapped : value
    }

    private func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        let value = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        return bigEndian ? value.byteSwapped : value
    }
}

/// Why a pcapng file could not be read further, and at which byte.
struct PcapngProblem: Error {
    var reason: String
    var offset: Int
}
