import Foundation
import Testing
@testable import TCPLabKit

/// The text view of each tracking capture, whole, against `captures/fidelity/NAME.expected.txt`
/// (reviewed; regenerate with `.build/debug/tcplab decode captures/fidelity/NAME.pcap >
/// captures/fidelity/NAME.expected.txt`).
@Suite struct TrackingGoldenTests {
    @Test(arguments: trackingCaptureNames)
    func decodesAsExpected(name: String) throws {
        let decoded = try trackingDecoding(name)
        #expect(decoded.undecodable.isEmpty)
        let expected = try String(contentsOf: trackingDirectory.appendingPathComponent("\(name).expected.txt"), encoding: .utf8)
        #expect(decoded.printed == expected, "decode output differs from fidelity/\(name).expected.txt")
    }
}
