import Foundation
import Testing
@testable import TCPLabKit

/// One test per rule of Wireshark's TCP analysis (user's guide 7.5, packet-tcp.c
/// `tcp_analyze_sequence_number`), on constructed connections: a client 127.0.0.1:40000 (ISN
/// 1000) and a server 127.0.0.1:7777 (ISN 5000), handshake at 0, 10 and 20 µs (initial RTT 20 µs).
@Suite struct WiresharkAnalysisRulesTests {
    /// Builds a connection segment by segment; `rows` decodes it as `tcplab decode` would.
    private struct Script {
        static let clientISN: UInt32 = 1000
        static let serverISN: UInt32 = 5000
        var captured: [CapturedSegment] = []

        init() {
            add(client: true, at: 0, seq: 0, ack: nil, flags: .syn)
            add(client: false, at: 10, seq: 0, ack: 1, flags: [.syn, .ack])
            add(client: true, at: 20, seq: 1, ack: 1, flags: .ack)
        }

        /// Adds a segment; `seq`/`ack` relative to each side's ISN, `at` in µs from the SYN.
        mutating func add(
            client: Bool, at micros: Int64, seq: UInt32, ack: UInt32?, length: Int = 0, flags: TCPFlags = .ack,
            window: UInt16 = 64, options: [TCPOption] = []
        ) {
            let (own, peer) = client ? (Self.clientISN, Self.serverISN) : (Self.serverISN, Self.clientISN)
            let segment = TCPSegment(
                source: .loopbackV4, sourcePort: client ? 40000 : 7777,
                destination: .loopbackV4, destinationPort: client ? 7777 : 40000,
                sequenceNumber: own &+ seq, acknowledgmentNumber: ack.map { peer &+ $0 } ?? 0,
                flags: flags, window: window, options: options, payload: [UInt8](repeating: 0x78, count: length))
            captured.append(CapturedSegment(number: captured.count + 1, time: 1_700_000_000_000_000 + micros, segment: segment))
        }

        /// Client data `from..<from+length` at `at` µs.
        mutating func data(_ from: UInt32, _ length: Int, at micros: Int64) {
            add(client: true, at: micros, seq: from, ack: 1, length: length, flags: [.ack, .psh])
        }

        /// A server ACK of client byte `ack` at `at` µs.
        mutating func ack(_ ack: UInt32, at micros: Int64, window: UInt16 = 64, options: [TCPOption] = []) {
            add(client: false, at: micros, seq: 1, ack: ack, window: window, options: options)
        }

        var rows: [SegmentRow] {
            var tracker = ConversationTracker()
            return captured.map { tracker.describe($0) }
        }

        /// The flags of the newest segment.
        var last: [TCPAnalysisFlag] { rows.last?.analysis ?? [] }
    }

    @Test func aResentRangeAfterTheRTOIsARetransmission() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.data(1, 100, at: 210_000)
        #expect(script.last == [.retransmission])
    }

    @Test func aResentSYNIsARetransmission() {
        var script = Script()
        script.captured.removeLast(2)
        script.add(client: true, at: 1_000_000, seq: 0, ack: nil, flags: .syn)
        #expect(script.last == [.retransmission])
    }

    /// Two or more duplicate ACKs for byte 101, and the client resends 101 within 20 ms of the last.
    @Test func theByteTwoDuplicateACKsAskForIsAFastRetransmission() {
        var script = Script()
        for (index, start) in [1, 101, 201, 301].enumerated() { script.data(UInt32(start), 100, at: 100 + Int64(index) * 10) }
        script.ack(101, at: 200)
        script.ack(101, at: 210, options: [.sack([SACKBlock(left: Script.clientISN + 201, right: Script.clientISN + 301)])])
        script.ack(101, at: 220, options: [.sack([SACKBlock(left: Script.clientISN + 201, right: Script.clientISN + 401)])])
        script.data(101, 100, at: 230)
        let rows = script.rows
        #expect(rows[8].analysis == [.duplicateAck(frame: 8, count: 1)])
        #expect(rows[9].analysis == [.duplicateAck(frame: 8, count: 2)])
        #expect(script.last == [.fastRetransmission])
    }

    @Test func oneDuplicateACKIsNotEnoughForAFastRetransmission() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.data(101, 100, at: 110)
        script.data(201, 100, at: 120)
        script.ack(101, at: 200)
        script.ack(101, at: 210)
        script.data(101, 100, at: 5_000)
        #expect(script.last == [.retransmission])
    }

    @Test func aResendMoreThan20msAfterTheDuplicateACKsIsAPlainRetransmission() {
        var script = Script()
        for (index, start) in [1, 101, 201, 301].enumerated() { script.data(UInt32(start), 100, at: 100 + Int64(index) * 10) }
        script.ack(101, at: 200)
        script.ack(101, at: 210)
        script.ack(101, at: 220)
        script.data(101, 100, at: 20_300)
        #expect(script.last == [.retransmission])
    }

    @Test func dataThePeerHadAcknowledgedIsASpuriousRetransmission() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.data(101, 100, at: 110)
        script.ack(201, at: 200)
        script.data(101, 100, at: 300_000)
        #expect(script.last == [.spuriousRetransmission])
    }

    /// 201:301 first (the gap is flagged), then 101:201 within the initial RTT of it: reordering.
    @Test func anEarlierRangeWithinTheInitialRTTIsOutOfOrder() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.data(201, 100, at: 110)
        script.data(101, 100, at: 115)
        let rows = script.rows
        #expect(rows[4].analysis == [.previousSegmentNotCaptured])
        #expect(script.last == [.outOfOrder])
    }

    @Test func theSameEarlierRangeAfterTheInitialRTTIsARetransmission() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.data(201, 100, at: 110)
        script.data(101, 100, at: 200)
        #expect(script.last == [.retransmission])
    }

    /// The sender repacks unacknowledged bytes with new ones: the stream advances, no retransmission flag.
    @Test func anOverlappingSegmentWithNewDataIsNotARetransmission() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.data(51, 100, at: 300_000)
        #expect(script.last == [])
        script.data(151, 100, at: 300_010)
        #expect(script.last == [])
    }

    @Test func repeatedACKsAreNumberedFromTheOriginal() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.ack(101, at: 200)
        script.ack(101, at: 210)
        script.ack(101, at: 220)
        let rows = script.rows
        #expect(rows[5].analysis == [.duplicateAck(frame: 5, count: 1)])
        #expect(rows[6].analysis == [.duplicateAck(frame: 5, count: 2)])
        #expect(rows[6].annotation.hasPrefix("[TCP Dup ACK 5#2]"))
    }

    @Test func aChangedWindowIsAWindowUpdateNotADuplicate() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.ack(101, at: 200, window: 0)
        #expect(script.last == [.zeroWindow])
        script.ack(101, at: 300, window: 64)
        #expect(script.last == [.windowUpdate])
    }

    /// One byte at the next sequence number into a zero window; its answer repeats the zero window.
    @Test func aOneByteSegmentIntoAZeroWindowIsAProbe() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.ack(101, at: 200, window: 0)
        script.data(101, 1, at: 300)
        #expect(script.last == [.zeroWindowProbe])
        script.ack(101, at: 310, window: 0)
        #expect(script.last == [.zeroWindow, .zeroWindowProbeAck])
        // The probe did not advance the stream: the next probe is one again, not a retransmission.
        script.data(101, 1, at: 600)
        #expect(script.last == [.zeroWindowProbe])
    }

    /// Linux probes a zero window with a keep-alive-shaped segment (seq = next − 1, no data).
    @Test func keepAliveAnsweredWithAZeroWindowIsOnlyAZeroWindow() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.ack(101, at: 200, window: 0)
        script.add(client: true, at: 300, seq: 100, ack: 1)
        #expect(script.last == [.keepAlive])
        script.ack(101, at: 310, window: 0)
        #expect(script.last == [.zeroWindow])
    }

    @Test func keepAliveAndItsACK() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.ack(101, at: 200)
        script.add(client: true, at: 1_000_000, seq: 100, ack: 1)
        #expect(script.last == [.keepAlive])
        script.ack(101, at: 1_000_010)
        #expect(script.last == [.keepAliveAck])
    }

    @Test func aGapIsPreviousSegmentNotCaptured() {
        var script = Script()
        script.data(1, 100, at: 100)
        script.data(301, 100, at: 5_000)
        #expect(script.last == [.previousSegmentNotCaptured])
    }

    @Test(arguments: [
        TCPAnalysisFlag.retransmission, .fastRetransmission, .spuriousRetransmission, .outOfOrder,
        .duplicateAck(frame: 12, count: 3), .previousSegmentNotCaptured, .zeroWindow, .zeroWindowProbe,
        .zeroWindowProbeAck, .windowUpdate, .keepAlive, .keepAliveAck,
    ])
    func flagsReadBackFromWiresharksWording(flag: TCPAnalysisFlag) throws {
        #expect(TCPAnalysisFlag(text: flag.text) == flag)
        let json = try JSONEncoder().encode([flag])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(flag.text)\"]")
        #expect(try JSONDecoder().decode([TCPAnalysisFlag].self, from: json) == [flag])
    }

    @Test func wiresharksWording() {
        #expect(TCPAnalysisFlag.duplicateAck(frame: 5, count: 2).text == "TCP Dup ACK 5#2")
        #expect(TCPAnalysisFlag.outOfOrder.text == "TCP Out-Of-Order")
        #expect(TCPAnalysisFlag(text: "TCP Dup ACK 5") == nil)
        #expect(TCPAnalysisFlag(text: "TCP Retransmision") == nil)
    }
}
