import Foundation
import Testing
@testable import TCPLabKit

/// The package's top-level `captures/` directory, found from this file's path
/// (`Tests/TCPLabKitTests/Capture/CaptureTestSupport.swift`), so tests run from any directory.
let capturesDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Capture
    .deletingLastPathComponent()  // TCPLabKitTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root
    .appendingPathComponent("captures")

/// Reads `captures/NAME.pcap`.
func goldenCapture(_ name: String) throws -> PcapFile {
    try PcapFile.read(path: capturesDirectory.appendingPathComponent("\(name).pcap").path)
}

/// The rows `tcplab decode` prints for `captures/NAME.pcap`.
func goldenRows(_ name: String, absolute: Bool = false) throws -> [SegmentRow] {
    CaptureDecoding(try goldenCapture(name), absolute: absolute).rows
}

extension CaptureDecoding {
    /// The text `tcplab decode` prints (DecodeCommand.run): header when there are rows, one line
    /// per row, an empty line, the summary; each line ends with a newline.
    var printed: String {
        var lines: [String] = []
        if !rows.isEmpty { lines.append(TimelinePrinter.header) }
        lines += rows.map(TimelinePrinter.line)
        lines += ["", summary]
        return lines.map { $0 + "\n" }.joined()
    }
}

/// A fresh path in the temporary directory, removed by the caller.
func temporaryPath(_ suffix: String) -> String {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("tcplab-test-\(UUID().uuidString)-\(suffix)").path
}
