import Foundation
import Testing
@testable import TCPLabKit

/// The text view of every capture in `captures/fidelity/`, whole, against `NAME.expected.txt`
/// (what `tcplab decode captures/fidelity/NAME.pcap` printed when it was reviewed), tcpdump's
/// tests/TESTLIST habit. Regenerate one with
/// `.build/debug/tcplab decode captures/fidelity/NAME.pcap > captures/fidelity/NAME.expected.txt`.
@Suite struct FidelityGoldenTests {
    @Test(arguments: try fidelityCaptures())
    func decodesAsExpected(file: String) throws {
        let name = file.replacingOccurrences(of: ".pcapng", with: "").replacingOccurrences(of: ".pcap", with: "")
        let capture = try PcapFile.read(path: fidelityDirectory.appendingPathComponent(file).path)
        #expect(capture.problem == nil)
        let expected = try String(contentsOf: fidelityDirectory.appendingPathComponent("\(name).expected.txt"), encoding: .utf8)
        #expect(CaptureDecoding(capture, absolute: false).printed == expected, "decode output differs from fidelity/\(name).expected.txt")
    }
}
