import Foundation
import Testing
@testable import TCPLabKit

@Suite struct ProcNetTCPParserTests {
    typealias F = ProcNetTCPFixtures

    private func entry(_ line: String, _ family: IPFamily = .ipv4) throws -> SocketEntry {
        try #require(try ProcNetTCP.parse(line: Substring(line), family: family))
    }

    @Test func headerAndBlankLinesAreNotRows() throws {
        #expect(try ProcNetTCP.parse(line: Substring(F.header4), family: .ipv4) == nil)
        #expect(try ProcNetTCP.parse(line: Substring(F.header6), family: .ipv6) == nil)
        #expect(try ProcNetTCP.parse(line: "", family: .ipv4) == nil)
        #expect(try ProcNetTCP.parse(line: "   ", family: .ipv4) == nil)
    }

    @Test(arguments: [
        (F.established, TCPState.established), (F.synSent, .synSent), (F.synReceived, .synReceived),
        (F.finWait1, .finWait1), (F.finWait2, .finWait2), (F.timeWait, .timeWait), (F.close, .close),
        (F.closeWait, .closeWait), (F.lastAck, .lastAck), (F.listen, .listen), (F.closing, .closing),
    ])
    func everyStateCode(line: String, state: TCPState) throws {
        #expect(try entry(line).state == state)
    }

    @Test func listenRowCarriesAcceptQueueNotBacklog() throws {
        let e = try entry(F.listen)
        #expect(e.family == .ipv4)
        #expect(e.local == "127.0.0.1:7777")
        #expect(e.remote == "0.0.0.0:*")
        #expect(e.remoteAddress == .v4(0, 0, 0, 0) && e.remotePort == 0)
        #expect(e.receiveQueue == 2)   // two connections waiting for accept()
        #expect(e.sendQueue == 0)      // listen(5)'s backlog is not in /proc
        #expect(e.timer == .none)
        #expect(e.inode == 18694 && e.uid == 0)
        #expect(try entry(F.listenNobody).uid == 65534)
    }

    @Test func addressesAreHostOrderWords() throws {
        let syn = try entry(F.synReceived)
        #expect(syn.localAddress == .v4(10, 9, 9, 1) && syn.localPort == 7783)
        #expect(syn.remoteAddress == .v4(10, 9, 9, 2) && syn.remotePort == 40000)
        #expect(syn.remote == "10.9.9.2:40000")
    }

    @Test func ipv6Addresses() throws {
        let linkLocal = try entry(F.listenLinkLocal6, .ipv6)
        #expect(linkLocal.family == .ipv6)
        #expect(linkLocal.localAddress == IPAddress("fe80::1"))
        #expect(linkLocal.local == "[fe80::1]:7780", "/proc does not show the bound device")
        // Bound to a specific address, so IPV6_V6ONLY (inet6_bind): ss prints the peer `[::]:*`.
        #expect(linkLocal.v6Only == true && linkLocal.remote == "[::]:*")

        let loopback = try entry(F.established6, .ipv6)
        #expect(loopback.localAddress == .loopbackV6 && loopback.localPort == 55332)
        #expect(loopback.remote == "[::1]:7778")

        // A wildcard listener: /proc cannot say whether it is v6only; ss reading /proc prints `*`.
        let any = try entry(F.listenAny6, .ipv6)
        #expect(any.v6Only == nil && any.local == "*:7779" && any.remote == "*:*")

        let syn = try entry(F.synSent6, .ipv6)
        #expect(syn.remoteAddress == IPAddress("2001:db8::2"))
        #expect(syn.remote == "[2001:db8::2]:7782")

        let mapped = try entry(F.establishedMapped6, .ipv6)
        #expect(mapped.localAddress == .v6(Array(repeating: 0, count: 10) + [0xff, 0xff, 127, 0, 0, 1]))
        #expect(mapped.local == "[::ffff:127.0.0.1]:7779")
        #expect(mapped.remote == "[::ffff:127.0.0.1]:48988")
    }

    @Test func queues() throws {
        #expect(try entry(F.establishedUnread).receiveQueue == 100)
        let zeroWindow = try entry(F.establishedZeroWindow)
        #expect(zeroWindow.sendQueue == 2_174_976 && zeroWindow.receiveQueue == 0)
        // Unacknowledged SYN and FIN each count one in tx_queue; a received FIN one in rx_queue.
        #expect(try entry(F.synSent).sendQueue == 1)
        #expect(try entry(F.lastAck).sendQueue == 2_174_977)
        #expect(try entry(F.closeWait).receiveQueue == 1)
        #expect(try entry(F.finWait2).receiveQueue == 2048)
    }

    @Test func timers() throws {
        #expect(try entry(F.established).timer == SocketTimer(kind: .none, expiresInHundredths: 0, retransmits: 0))

        let retransmit = try entry(F.synSent).timer
        #expect(retransmit.kind == .retransmit && retransmit.expiresInHundredths == 0x21)
        #expect(retransmit.ssText == "timer:(on,330ms,0)")

        let keepalive = try entry(F.establishedKeepalive).timer
        #expect(keepalive.kind == .keepalive && keepalive.expiresInHundredths == 7433)
        #expect(keepalive.ssText == "timer:(keepalive,1min14sec,0)")

        let timeWait = try entry(F.timeWait).timer
        #expect(timeWait.kind == .timeWait && timeWait.expiresInHundredths == 5944)
        #expect(timeWait.ssText == "timer:(timewait,59sec,0)")

        let probe = try entry(F.establishedZeroWindow).timer
        #expect(probe.kind == .zeroWindowProbe)
        #expect(probe.ssText == "timer:(persist,060ms,0)")
    }

    @Test func rowsNoFileHoldsHaveInodeZero() throws {
        for line in [F.timeWait, F.synReceived, F.finWait1, F.lastAck, F.closing, F.finWait2Timewait] {
            #expect(try entry(line).inode == 0, "\(line)")
        }
        #expect(try entry(F.timeWait6, .ipv6).inode == 0)
        // A full close's TIME_WAIT says 06; an orphaned FIN_WAIT2 parked as a timewait socket says 05.
        let parked = try entry(F.finWait2Timewait)
        #expect(parked.state == .finWait2 && parked.timer.kind == .timeWait)
    }

    @Test func wholeTables() throws {
        let v4 = ([F.header4] + F.allV4 + [""]).joined(separator: "\n")
        #expect(try ProcNetTCP.parse(table: v4, family: .ipv4).count == F.allV4.count)
        let v6 = ([F.header6] + F.allV6).joined(separator: "\n") + "\n"
        let entries = try ProcNetTCP.parse(table: v6, family: .ipv6)
        #expect(entries.count == F.allV6.count)
        #expect(entries.allSatisfy { $0.family == .ipv6 && $0.localAddress.isIPv6 })
    }

    @Test(arguments: [
        ("   0: 0100007F:1E61 00000000:0000 0A 00000000:00000002", "missing fields"),
        (F.listen.replacingOccurrences(of: "0100007F:1E61", with: "0100G07F:1E61"), "bad hex address"),
        (F.listen.replacingOccurrences(of: "0100007F:1E61", with: "0100007F1E61"), "no port"),
        (F.listen.replacingOccurrences(of: "0100007F:1E61", with: "0100007F:1E6"), "short port"),
        (F.listen.replacingOccurrences(of: "0100007F:1E61", with: "00007F:1E61"), "short address"),
        (F.listen.replacingOccurrences(of: " 0A ", with: " 0C "), "NEW_SYN_RECV is not a /proc state"),
        (F.listen.replacingOccurrences(of: " 0A ", with: " 00 "), "state 0"),
        (F.listen.replacingOccurrences(of: " 0A ", with: " ZZ "), "state not hex"),
        (F.listen.replacingOccurrences(of: "00000000:00000002", with: "00000000-00000002"), "queues"),
        (F.listen.replacingOccurrences(of: "00:00000000", with: "00:"), "timer"),
        (F.listen.replacingOccurrences(of: " 18694 ", with: " -1 "), "inode"),
        (F.listen.replacingOccurrences(of: "   0: ", with: "   x: "), "slot"),
        ("garbage", "one word"),
    ])
    func malformedLinesThrow(line: String, why: String) {
        #expect(throws: ProcNetTCPError.self, "\(why)") { try ProcNetTCP.parse(line: Substring(line), family: .ipv4) }
    }

    @Test func familyMustMatchAddressWidth() {
        #expect(throws: ProcNetTCPError.self) { try ProcNetTCP.parse(line: Substring(F.established6), family: .ipv4) }
        #expect(throws: ProcNetTCPError.self) { try ProcNetTCP.parse(line: Substring(F.established), family: .ipv6) }
    }

    @Test func unknownStateErrorNamesTheCode() {
        let line = F.listen.replacingOccurrences(of: " 0A ", with: " 0C ")
        #expect(throws: ProcNetTCPError.malformed(line: line, reason: "unknown state 0x0C")) {
            try ProcNetTCP.parse(line: Substring(line), family: .ipv4)
        }
    }

    /// Every prefix of every recorded line parses or throws; none traps.
    @Test func truncatedLinesNeverCrash() {
        for (lines, family) in [(F.allV4, IPFamily.ipv4), (F.allV6, .ipv6)] {
            for line in lines {
                for length in 0...line.count {
                    _ = try? ProcNetTCP.parse(line: line.prefix(length), family: family)
                }
            }
        }
    }

    @Test func unknownTimerCodeIsKeptAsUnknown() throws {
        let e = try entry(F.synSent.replacingOccurrences(of: " 01:00000021 ", with: " 07:00000021 "))
        #expect(e.timer.kind == .unknown)
        #expect(e.timer.ssText == "timer:(unknown,330ms,0)")
    }
}
