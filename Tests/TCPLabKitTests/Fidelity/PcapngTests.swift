import Foundation
import Testing
@testable import TCPLabKit

/// pcapng read block by block (`PcapngStream`): each packet with its interface's link type and
/// timestamp resolution; a damaged file keeps the packets before the damage.
@Suite struct PcapngTests {
    private func fidelity(_ file: String) throws -> PcapFile {
        try PcapFile.read(path: fidelityDirectory.appendingPathComponent(file).path)
    }

    @Test func twoInterfacesOfDifferentLinkTypes() throws {
        let capture = try fidelity("pcapng-two-link-types.pcapng")
        #expect(capture.linkType == .ethernet)
        #expect(capture.frames.map(\.dataLinkType) == [nil, 113])
        let decoded = CaptureDecoding(capture, absolute: true)
        #expect(decoded.rows.map(\.flags) == ["S", "S."])
        #expect(decoded.rows.map(\.source) == ["192.0.2.1:40000", "198.51.100.2:80"])
        #expect(decoded.rows.map(\.connection) == [1, 1])
        #expect(decoded.rows.map(\.time) == [1_700_000_000_000_100, 1_700_000_000_000_200])
    }

    @Test func nanosecondResolutionBecomesMicroseconds() throws {
        let capture = try fidelity("pcapng-nanoseconds.pcapng")
        #expect(capture.frames.map(\.time) == [1_700_000_000_123_456])
    }

    @Test func resolutionsConvert() {
        typealias Interface = PcapngStream.Interface
        var micro = Interface(linkType: 1, snapshotLength: 0)
        #expect(PcapngStream.microseconds(1_000_123, micro) == 1_000_123)
        micro.unitsPerSecond = 1000
        #expect(PcapngStream.microseconds(1_500, micro) == 1_500_000)
        var binary = Interface(linkType: 1, snapshotLength: 0)
        binary.binaryShift = 10  // 1/1024 s
        #expect(PcapngStream.microseconds(1024 * 3 + 512, binary) == 3_500_000)
        binary.offsetSeconds = 10
        #expect(PcapngStream.microseconds(1024, binary) == 11_000_000)
    }

    @Test func aFileCutInsideABlockKeepsTheFramesBefore() throws {
        let bytes = try [UInt8](Data(contentsOf: fidelityDirectory.appendingPathComponent("pcapng-two-link-types.pcapng")))
        let cut = try PcapFile.read(bytes: Array(bytes.dropLast(10)), name: "cut.pcapng")
        #expect(cut.frames.count == 1)
        let problem = try #require(cut.problem)
        #expect(problem.hasPrefix("cut.pcapng: frame 2 at byte "))
        #expect(problem.contains("the file is truncated in a block of"))
    }

    @Test func noInterfaceIsNotACapture() throws {
        // A section header block alone: 28 bytes, little-endian, no options.
        var shb: [UInt8] = [0x0A, 0x0D, 0x0D, 0x0A, 28, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0]
        shb += [UInt8](repeating: 0xFF, count: 8) + [28, 0, 0, 0]
        let error = #expect(throws: LabError.self) { try PcapFile.read(bytes: shb, name: "shb.pcapng") }
        #expect(error?.description
            == "shb.pcapng: not a capture file tcplab can read (a pcapng file without an interface description block, at byte 28)")
    }

    @Test func bigEndianSectionsAreRead() throws {
        // The same packet as pcapng-nanoseconds, written big-endian: SHB, IDB (Ethernet, no options), EPB.
        let frame = try #require(try fidelity("pcapng-nanoseconds.pcapng").frames.first).bytes
        func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
            let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
            let length = be32(UInt32(12 + padded.count))
            return be32(type) + length + padded + length
        }
        let stamp: UInt64 = 1_700_000_000_000_042
        let file = block(0x0A0D0D0A, be32(0x1A2B3C4D) + [0, 1, 0, 0] + [UInt8](repeating: 0xFF, count: 8))
            + block(1, [0, 1, 0, 0] + be32(65535))
            + block(6, be32(0) + be32(UInt32(stamp >> 32)) + be32(UInt32(stamp & 0xFFFF_FFFF))
                + be32(UInt32(frame.count)) + be32(UInt32(frame.count)) + frame)
        let capture = try PcapFile.read(bytes: file, name: "be.pcapng")
        #expect(capture.problem == nil)
        #expect(capture.frames.map(\.time) == [1_700_000_000_000_042])
        #expect(capture.frames.first?.bytes == frame)
    }

    private func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
