import Testing
@testable import TCPLabKit

/// The note a `--step` run prints when a pause outlasted a kernel timer of the last recorded table.
@Suite struct PausedTimersTests {
    /// The recorded table after broken-pipe's close(): the server's orphaned FIN_WAIT2 (a
    /// timewait socket, `timer:(timewait,59sec,0)`, 59.34 s left) and the client's CLOSE_WAIT (no timer).
    static func afterServerClose(at time: Int64) throws -> SocketSnapshot {
        let entries = try [ProcNetTCPFixtures.finWait2Timewait, ProcNetTCPFixtures.closeWait].compactMap {
            try ProcNetTCP.parse(line: Substring($0), family: .ipv4)
        }
        return SocketSnapshot(time: time, id: "after-server-close", moment: "after the server's close()",
                              table: SocketTable(entries: entries), labels: ["server", "client"])
    }

    @Test func aPauseLongerThanTheFinWait2TimerIsNamed() throws {
        let snapshot = try Self.afterServerClose(at: 1_000_000)
        // The pause began 0.5 s after the table was read and lasted 75 s: the 59.34 s ran out in it.
        let notes = PausedTimers.notes(in: snapshot, pausedFrom: 1_500_000, to: 76_500_000)
        #expect(notes.count == 1, "\(notes)")
        #expect(notes.first?.contains("75.0 s pause outlasted the server's FIN_WAIT2 timer (net.ipv4.tcp_fin_timeout)") == true, "\(notes)")
        #expect(notes.first?.contains("timer:(timewait,59sec,0)") == true, "\(notes)")
        #expect(notes.first?.contains("after the server's close()") == true, "\(notes)")
    }

    @Test func aShortPauseLeavesTheTimerRunning() throws {
        let snapshot = try Self.afterServerClose(at: 1_000_000)
        #expect(PausedTimers.notes(in: snapshot, pausedFrom: 1_500_000, to: 12_300_000).isEmpty)
    }

    @Test func aTimerDueBeforeThePauseIsNotThePausesDoing() throws {
        let snapshot = try Self.afterServerClose(at: 1_000_000)
        // Due at 60.34 s; the pause runs from 61 s to 130 s.
        #expect(PausedTimers.expired(in: snapshot, pausedFrom: 61_000_000, to: 130_000_000).isEmpty)
    }

    @Test func timeWaitIsNamedAsSuch() throws {
        let entries = try [ProcNetTCPFixtures.timeWait].compactMap { try ProcNetTCP.parse(line: Substring($0), family: .ipv4) }
        let snapshot = SocketSnapshot(time: 0, id: nil, moment: "after both closed", table: SocketTable(entries: entries), labels: ["client"])
        let expired = PausedTimers.expired(in: snapshot, pausedFrom: 0, to: 61_000_000)
        #expect(expired.map(\.name) == ["TIME_WAIT timer (TCP_TIMEWAIT_LEN, 60 s)"])
        #expect(PauseMark.line(seconds: 12.34) == "-- paused 12.3 s --")
    }
}
