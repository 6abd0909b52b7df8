import Foundation
import Testing
@testable import TCPLabKit

/// Golden pairs, tcpdump's tests/TESTLIST habit: each `captures/NAME.pcap` decodes to exactly
/// `captures/NAME.expected.txt`, which is what `tcplab decode` printed when it was recorded.
@Suite struct GoldenCaptureTests {
    static let names = [
        "broken-pipe", "broken-pipe-fixed-client", "broken-pipe-ipv6", "cooked-sll2", "mixed-udp-tcp",
        "analysis-keepalive", "analysis-zero-window", "analysis-syn-retransmission",
    ]

    @Test(arguments: names)
    func decodesAsExpected(name: String) throws {
        let capture = try goldenCapture(name)
        #expect(capture.problem == nil)
        let expectedURL = capturesDirectory.appendingPathComponent("\(name).expected.txt")
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        let printed = CaptureDecoding(capture, absolute: false).printed
        #expect(printed == expected, "decode output differs from \(name).expected.txt")
    }

    @Test func everyCaptureHasItsPair() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: capturesDirectory.path)
        let captures = Set(files.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }
            .map { $0.replacingOccurrences(of: ".pcapng", with: "").replacingOccurrences(of: ".pcap", with: "") })
        #expect(captures == Set(Self.names), "a capture in captures/ is not in the golden list, or one is missing")
        for name in Self.names { #expect(files.contains("\(name).expected.txt")) }
    }

    @Test(arguments: [
        ("broken-pipe", LinkType.ethernet, 11),
        ("broken-pipe-ipv6", LinkType.ethernet, 11),
        ("cooked-sll2", LinkType.linuxCooked2, 12),
        ("mixed-udp-tcp", LinkType.ethernet, 14),
    ])
    func linkTypeAndFrameCount(name: String, linkType: LinkType, frames: Int) throws {
        let capture = try goldenCapture(name)
        #expect(capture.linkType == linkType)
        #expect(capture.frames.count == frames)
        #expect(capture.frames.allSatisfy { $0.bytes.count == $0.originalLength }, "nothing cut by the snapshot length")
    }

    @Test func nonTCPFramesAreCountedAndSkipped() throws {
        let decoded = CaptureDecoding(try goldenCapture("mixed-udp-tcp"), absolute: false)
        #expect(decoded.frames == 14)
        #expect(decoded.rows.count == 12)
        #expect(decoded.notTCP == ["IPv4 protocol 17 (UDP)": 1, "IPv4 protocol 1 (ICMP)": 1])
        #expect(decoded.undecodable.isEmpty)
        #expect(decoded.summary
            == "14 frames: 12 TCP segments in 2 connections, 2 not TCP (skipped: IPv4 protocol 1 (ICMP) 1, IPv4 protocol 17 (UDP) 1)")
    }
}
