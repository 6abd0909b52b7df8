import Foundation
import Testing
@testable import TCPLabKit

/// `PcapFile.read(bytes:name:)`: the file reader's parsing on bytes alone (what the pcap fuzzer
/// drives), giving the same frames and the same one-line messages as reading the file.
@Suite struct PcapBytesTests {
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: capturesDirectory.appendingPathComponent(name)))
    }

    @Test func sameFramesAsTheFile() throws {
        let fromFile = try goldenCapture("broken-pipe")
        let fromBytes = try PcapFile.read(bytes: Self.bytes("broken-pipe.pcap"), name: "broken-pipe.pcap")
        #expect(fromBytes.linkType == fromFile.linkType)
        #expect(fromBytes.frames.map(\.bytes) == fromFile.frames.map(\.bytes))
        #expect(fromBytes.frames.map(\.time) == fromFile.frames.map(\.time))
        #expect(fromBytes.problem == nil)
    }

    @Test func truncatedRecordIsAProblemNamingTheByte() throws {
        let whole = try Self.bytes("broken-pipe.pcap")
        let file = try PcapFile.read(bytes: Array(whole.dropLast(10)), name: "cut.pcap")
        #expect(file.frames.count == (try goldenCapture("broken-pipe")).frames.count - 1)
        let problem = try #require(file.problem)
        #expect(problem.hasPrefix("cut.pcap: frame \(file.frames.count + 1) at byte "), "problem: \(problem)")
    }

    @Test func textIsNotACapture() {
        let text = Array("hello, this is a text file and not a packet capture at all\n".utf8)
        let error = #expect(throws: LabError.self) { try PcapFile.read(bytes: text, name: "hello.pcap") }
        #expect(error?.description == "hello.pcap: not a capture file tcplab can read (unknown file format: not pcap or pcapng, at byte 0)")
    }

    @Test func shorterThanAHeader() {
        let error = #expect(throws: LabError.self) { try PcapFile.read(bytes: [0xd4, 0xc3], name: "tiny.pcap") }
        #expect(error?.description == "tiny.pcap: not a capture file: it ends at byte 2, before the 24-byte pcap file header does")
    }

    @Test func unknownLinkType() throws {
        var bytes = try Self.bytes("broken-pipe.pcap")
        bytes.replaceSubrange(20..<24, with: [147, 0, 0, 0])  // LINKTYPE_USER0, little-endian
        let error = #expect(throws: LabError.self) { try PcapFile.read(bytes: bytes, name: "user0.pcap") }
        #expect(error?.description.hasPrefix("user0.pcap: link type 147 is not one tcplab decodes") == true)
    }
}
