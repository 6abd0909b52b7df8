import Foundation
import Testing
@testable import TCPLabKit

/// The shared cases tcplab once read wrong (`../shared/cases/pcap/`, copied into
/// `captures/fidelity/`), each against the right reading its README gives (tcpdump 4.99, Wireshark).
@Suite struct CaseReadingTests {
    private func rows(_ name: String, absolute: Bool = true) throws -> CaptureDecoding {
        CaptureDecoding(try PcapFile.read(path: fidelityDirectory.appendingPathComponent("\(name).pcap").path), absolute: absolute)
    }

    /// The SYN every encapsulation case carries: 10.0.0.1.40000 > 10.0.0.2.80, seq 1000, mss 1460.
    private func expectTheSYN(_ decoded: CaptureDecoding, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(decoded.frames == 1 && decoded.notTCP.isEmpty && decoded.undecodable.isEmpty, sourceLocation: sourceLocation)
        let row = try #require(decoded.rows.first, sourceLocation: sourceLocation)
        #expect(row.source == "10.0.0.1:40000" && row.destination == "10.0.0.2:80", sourceLocation: sourceLocation)
        #expect(row.flags == "S" && row.sequence == 1000, sourceLocation: sourceLocation)
        #expect(row.options == ["mss 1460"], sourceLocation: sourceLocation)
    }

    @Test func snaplen68SYNIsOneSegmentWithTheCutMarked() throws {
        let decoded = try rows("snaplen68-syn-dropped")
        #expect(decoded.undecodable.isEmpty)
        let row = try #require(decoded.rows.first)
        #expect(decoded.rows.count == 1)
        // tcpdump: Flags [S], seq 603899916, win 64240, options [mss 1460,sackOK,TS [|tcp]
        #expect(row.flags == "S" && row.sequence == 603_899_916 && row.window == 64240)
        #expect(row.options == ["mss 1460", "sackOK", "TS [|tcp]"])
        #expect(decoded.summary == "1 frame: 1 TCP segment in 1 connection")
    }

    @Test func doubleVLANIsFollowed() throws { try expectTheSYN(try rows("vlan-double-8100-skipped")) }

    @Test func mplsIsFollowed() throws { try expectTheSYN(try rows("mpls-skipped")) }

    @Test func pppIsRead() throws {
        let capture = try PcapFile.read(path: fidelityDirectory.appendingPathComponent("ppp-refused.pcap").path)
        #expect(capture.linkType == .ppp)
        try expectTheSYN(CaptureDecoding(capture, absolute: true))
    }

    @Test func ipv4LengthBeyondTheFrameIsMarked() throws {
        let row = try #require(try rows("ipv4-totlen-beyond-frame", absolute: false).rows.first)
        // tcpdump: truncated-ip - 156 bytes missing!, seq 1:161 length 160 (relative: 0:160 from
        // the first byte seen); the 4 bytes captured are the payload shown.
        #expect(row.truncated == "truncated-ip - 156 bytes missing!")
        #expect(row.length == 160)
        #expect(row.payloadPreview == "\"abcd\"")
        #expect(TimelinePrinter.line(row).contains("truncated-ip - 156 bytes missing!"))
    }

    @Test func mptcpOptionIsNamed() throws {
        let row = try #require(try rows("mptcp-option-unknown-30").rows.first)
        #expect(row.options.last == "mptcp 4 capable v1")
        #expect(row.options.dropLast().last == "wscale 8")
    }

    @Test func sackBlocksAreInTheJSON() throws {
        let absolute = try #require(try rows("sack-json-options-empty").rows.first)
        // The case: options `nop x14, sack 1 {4082238970:4082238971}`, the padding counted.
        #expect(absolute.options == ["nop x14", "sack 1 {4082238970:4082238971}"])
        var json: [UInt8] = []
        absolute.appendJSON(to: &json)
        #expect(String(decoding: json, as: UTF8.self).contains(#""options":["nop x14","sack 1 {4082238970:4082238971}"]"#))
        #expect(DecodeTextView.text([absolute], absolute: true).contains("nop x14, sack 1 {4082238970:4082238971}"))
        // Relative, the block is counted from the base the ack is counted from: the capture starts
        // mid-connection, so (as Wireshark does) the first ack seen, 4082238875, is byte 1 and the
        // base is 4082238874 - 1.
        let relative = try #require(try rows("sack-json-options-empty", absolute: false).rows.first)
        #expect(relative.options == ["nop x14", "sack 1 {\(4_082_238_970 - 4_082_238_873):\(4_082_238_971 - 4_082_238_873)}"])
    }
}
