import Foundation
import Testing
@testable import TCPLabKit

/// What `PcapFile.read` does with files that are not whole captures.
@Suite struct PcapFileErrorTests {
    @Test func notACaptureFile() throws {
        let path = temporaryPath("hello.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("hello, this is a text file and not a packet capture at all\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: LabError.self) { try PcapFile.read(path: path) }
        let text = error?.description ?? ""
        #expect(text.contains("not a capture file"))
        #expect(text.contains(path))
        #expect(text.contains("unknown file format"))
    }

    @Test func missingFile() {
        let path = temporaryPath("missing.pcap")
        let error = #expect(throws: LabError.self) { try PcapFile.read(path: path) }
        #expect(error?.description == "\(path): cannot open: no such file or directory")
    }

    @Test func tooShortToBeACapture() throws {
        let path = temporaryPath("tiny.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data([0xd4, 0xc3]).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: LabError.self) { try PcapFile.read(path: path) }
        #expect(error?.description.contains("2 bytes, shorter than a pcap file header") == true)
    }

    @Test func truncatedMidRecordKeepsTheFramesBefore() throws {
        let original = try goldenCapture("broken-pipe")
        let bytes = try Data(contentsOf: capturesDirectory.appendingPathComponent("broken-pipe.pcap"))
        let path = temporaryPath("truncated.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The last record is the 54-byte RST (16-byte record header + 54 bytes); cutting 10 bytes
        // leaves its header and part of its data.
        try bytes.dropLast(10).write(to: URL(fileURLWithPath: path))

        let truncated = try PcapFile.read(path: path)
        #expect(truncated.frames.count == original.frames.count - 1)
        #expect(truncated.frames.map(\.bytes) == original.frames.dropLast().map(\.bytes))
        let problem = try #require(truncated.problem)
        #expect(problem.contains("truncated"))
        #expect(problem.hasPrefix(path))
    }
}
