import Foundation
import Testing
@testable import TCPLabKit

/// A TCP header the snapshot length cut, read as tcpdump 4.99 reads it: inside the fixed 20
/// bytes after the ports (`192.0.2.1.40000 > 198.51.100.2.80:  [|tcp]`), and inside a SACK
/// option's blocks (`sack 3 {1501:2001} [|tcp]`). `make.py` writes both captures;
/// `TcpdumpFidelityTests` checks them against tcpdump itself.
@Suite struct HeaderCutTests {
    private func decoded(_ name: String, absolute: Bool = true) throws -> CaptureDecoding {
        CaptureDecoding(try PcapFile.read(path: fidelityDirectory.appendingPathComponent("\(name).pcap").path), absolute: absolute)
    }

    @Test func fixedHeaderCutAfterThePortsIsASegmentWithItsPorts() throws {
        let capture = try decoded("snaplen-cut-header")
        #expect(capture.undecodable.isEmpty)
        #expect(capture.summary == "5 frames: 5 TCP segments in 2 connections")
        let rows = capture.rows
        try #require(rows.count == 5)
        // The SYN-ACK cut after 14 bytes: its ports, in the SYN's connection, the server's side.
        #expect(rows[1].source == "198.51.100.2:80" && rows[1].destination == "192.0.2.1:40000")
        #expect(rows[1].connection == 1 && rows[1].direction == .serverToClient)
        #expect(rows[1].headerBytesCaptured == 14)
        #expect(rows[1].flags == "" && rows[1].sequenceText == "" && rows[1].acknowledgment == nil)
        #expect(rows[1].options == ["[|tcp]"])
        #expect(rows.map(\.headerBytesCaptured) == [nil, 14, 4, 19, 10])
        // The IPv6 one, cut where `-s 64` cuts IPv6 over Ethernet, opens its own connection.
        #expect(rows[4].source == "[2001:db8::1]:40000" && rows[4].connection == 2)
        var json: [UInt8] = []
        rows[1].appendJSON(to: &json)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""headerBytesCaptured":14"#) && text.contains(#""options":["[|tcp]"]"#))
        // No number is printed for what the capture does not hold: no length, no window.
        let line = TimelinePrinter.line(rows[1], columns: .capture(absolute: true))
        #expect(line.hasSuffix("TCP header cut by the capture after 14 of its 20 bytes  [|tcp]"))
        #expect(!line.contains(" 0 "))
    }

    @Test func aCutHeaderChangesNothingTheConnectionTracks() throws {
        // The whole SYN-ACK after the cut one is still the handshake's, numbered from its ISN.
        let syn = TCPSegment(source: .loopbackV4, sourcePort: 40000, destination: .loopbackV4, destinationPort: 80,
                             sequenceNumber: 1000, acknowledgmentNumber: 0, flags: .syn, window: 64240)
        var cut = TCPSegment(source: .loopbackV4, sourcePort: 80, destination: .loopbackV4, destinationPort: 40000,
                             sequenceNumber: 0, acknowledgmentNumber: 0, flags: [], window: 0, options: [.cut(kind: nil)])
        cut.fixedHeaderCaptured = 8
        let synAck = TCPSegment(source: .loopbackV4, sourcePort: 80, destination: .loopbackV4, destinationPort: 40000,
                                sequenceNumber: 5000, acknowledgmentNumber: 1001, flags: [.syn, .ack], window: 65535)
        var tracker = ConversationTracker(absolute: false, origin: .foreign)
        let rows = [syn, cut, synAck].enumerated().map { index, segment in
            tracker.describe(CapturedSegment(number: index + 1, time: Int64(index) * 1000, segment: segment))
        }
        #expect(rows[1].headerBytesCaptured == 8 && rows[1].annotation.contains("8 of its 20 bytes"))
        #expect(rows[2].annotation == "SYN-ACK" && rows[2].sequence == 0 && rows[2].acknowledgment == 1)
        #expect(rows[2].analysis.isEmpty)
    }

    @Test func aHeaderCutBeforeThePortsStaysUndecodable() throws {
        // tcpdump prints the addresses alone then (`192.0.2.1 > 198.51.100.2: [|tcp]`): no
        // ports, no connection to put it in.
        var packet: [UInt8] = [0x45, 0, 0, 60, 0, 1, 0x40, 0, 64, 6, 0, 0, 192, 0, 2, 1, 198, 51, 100, 2]
        packet += [0x9C, 0x40]
        #expect(throws: DecodeError.self) { try PacketDecoder.decode(ipPacket: packet) }
        packet += [0, 80]
        guard case let .tcp(segment) = try PacketDecoder.decode(ipPacket: packet) else {
            Issue.record("4 bytes of TCP header: not decoded as TCP")
            return
        }
        #expect(segment.sourcePort == 40000 && segment.destinationPort == 80 && segment.fixedHeaderCaptured == 4)
        #expect(segment.headerCut && segment.options == [.cut(kind: nil)])
    }

    @Test func sackCutKeepsItsWholeBlocks() throws {
        let rows = try decoded("snaplen-cut-sack").rows
        #expect(rows.map(\.options) == [
            ["nop x2", "sack 3  [|tcp]"],
            ["nop x2", "sack 3 {1501:2001} [|tcp]"],
            ["nop x2", "sack 3 {1501:2001}{2501:3001} [|tcp]"],
            ["nop x2", "sack 3 {1501:2001}{2501:3001}{3501:4001}"],
        ])
        // Relative, the blocks count from the base the ack counts from, like a whole SACK's.
        let relative = try decoded("snaplen-cut-sack", absolute: false).rows
        #expect(relative[1].options.last == "sack 3 {501:1001} [|tcp]")
        #expect(TCPOption.sackCut(count: 2, blocks: [SACKBlock(left: 10, right: 20)]).tcpdumpText == "sack 2 {10:20} [|tcp]")
    }

    @Test func paddingRunsAreCounted() {
        let ts = TCPOption.timestamp(value: 1, echo: 2)
        #expect(TCPOption.texts([.noOperation, .noOperation, ts], sackBase: 0) == ["nop x2", "TS val 1 ecr 2"])
        #expect(TCPOption.texts([.maximumSegmentSize(1460), .noOperation, .windowScale(7), .noOperation], sackBase: 0)
            == ["mss 1460", "nop", "wscale 7", "nop"])
        #expect(TCPOption.texts(Array(repeating: .noOperation, count: 14) + [.endOfOptions], sackBase: 0) == ["nop x14", "eol"])
        #expect(["nop", "nop x14", "eol"].allSatisfy(TCPOption.isPaddingText))
        #expect(!["mss 1460", "nope", "TS val 1 ecr 2"].contains(where: TCPOption.isPaddingText))
    }

    @Test func decodeShowsPaddingAndTheScenarioTimelineLeavesItOut() throws {
        let row = try #require(try decoded("sack-timestamps").rows.dropFirst(2).first)
        #expect(row.options == ["nop x2", "TS val 1001 ecr 5000"])
        #expect(TimelinePrinter.line(row, columns: .capture(absolute: true)).hasSuffix("nop x2, TS val 1001 ecr 5000"))
        #expect(TimelinePrinter.line(row).hasSuffix("handshake done  TS val 1001 ecr 5000"))
    }

    @Test func summaryCountsInTheSingularAndPlural() throws {
        #expect(try decoded("sack-json-options-empty").summary == "1 frame: 1 TCP segment in 1 connection")
        #expect(try decoded("snaplen-cut-options").summary == "3 frames: 3 TCP segments in 3 connections")
    }
}
