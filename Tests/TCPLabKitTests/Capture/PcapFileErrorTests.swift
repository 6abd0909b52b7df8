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
        #expect(error?.description.contains("it ends at byte 2, before the 24-byte pcap file header does") == true)
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
        #expect(problem.contains("frame \(original.frames.count): at byte \(bytes.count - 10)") || problem.contains("at byte"),
                "problem: \(problem)")
        #expect(problem.hasPrefix(path))
    }

    @Test func oversizedRecordLengthNamesTheFrameAndByte() throws {
        let bytes = try Data(contentsOf: capturesDirectory.appendingPathComponent("broken-pipe.pcap"))
        var damaged = [UInt8](bytes)
        // The first record header starts at byte 24; its captured length (bytes 32–35) becomes 0xFFFFFFF0.
        damaged.replaceSubrange(32..<36, with: [0xf0, 0xff, 0xff, 0xff])
        let path = temporaryPath("oversized.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        let file = try PcapFile.read(path: path)
        #expect(file.frames.isEmpty)
        let problem = try #require(file.problem)
        #expect(problem.hasPrefix("\(path): frame 1 at byte "), "problem: \(problem)")
    }

    @Test func emptyFileIsNotACapture() throws {
        let path = temporaryPath("empty.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data().write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: LabError.self) { try PcapFile.read(path: path) }
        #expect(error?.description == "\(path): not a capture file: it ends at byte 0, before the 24-byte pcap file header does")
    }
}
