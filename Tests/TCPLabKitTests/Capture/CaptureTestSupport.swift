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
    /// The text `tcplab decode` prints (DecodeCommand.run): `DecodeTextView`'s header,
    /// connection lines and segment lines, an empty line, the summary; each line ends with a newline.
    var printed: String {
        DecodeTextView.text(rows, absolute: false) + "\n" + summary + "\n"
    }
}

/// A fresh path in the temporary directory, removed by the caller.
func temporaryPath(_ suffix: String) -> String {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("tcplab-test-\(UUID().uuidString)-\(suffix)").path
}
