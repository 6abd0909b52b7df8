import Foundation
import Testing
@testable import TCPLabKit

/// The states the capture implies, side by side, for recorded runs.
@Suite struct StateTrackerTests {
    /// The states one side went through, in order, starting with its first.
    static func path(_ tracker: StateTracker, _ connection: Int, _ side: Ladder.Side) -> [String] {
        var names = [tracker.initial[connection]?[side]?.ladderName ?? "?"]
        names += tracker.transitions.filter { $0.connection == connection && $0.side == side }.map(\.to.ladderName)
        return names
    }

    static func tracker(_ name: String) throws -> StateTracker {
        let run = try DoctoredRun(name)
        return StateTracker(describeAll(run.observation.segments))
    }

    @Test func clientFirstGoesThroughEveryClosingState() throws {
        let tracker = try Self.tracker("close-states-client-first")
        #expect(Self.path(tracker, 1, .client) == ["CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT"])
        #expect(Self.path(tracker, 1, .server) == ["LISTEN", "SYN_RECV", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"])
    }

    @Test func simultaneousCloseGoesThroughClosing() throws {
        let tracker = try Self.tracker("close-states-simultaneous")
        let client = Self.path(tracker, 1, .client), server = Self.path(tracker, 1, .server)
        #expect(client.last == "TIME_WAIT" && server.last == "TIME_WAIT", "client \(client), server \(server)")
        #expect(client.contains("CLOSING") || server.contains("CLOSING"), "client \(client), server \(server)")
    }

    @Test func refusedClientGoesFromSynSentToClosed() throws {
        let tracker = try Self.tracker("refused-default")
        #expect(Self.path(tracker, 1, .client) == ["CLOSED", "SYN_SENT", "CLOSED"])
        #expect(Self.path(tracker, 1, .server) == ["LISTEN"])
    }

    @Test func brokenPipeServerIsResetFromFinWait2() throws {
        let tracker = try Self.tracker("broken-pipe-default")
        #expect(Self.path(tracker, 1, .server).suffix(3) == ["FIN_WAIT1", "FIN_WAIT2", "CLOSED"])
        #expect(Self.path(tracker, 1, .client).suffix(2) == ["CLOSE_WAIT", "CLOSED"])
    }

    /// A capture that begins mid-connection starts both sides ESTABLISHED.
    @Test func midConnectionStartsEstablished() throws {
        let rows = describeAll(try capturedSegments(Array(recordedConversation.dropFirst(3))))
        let tracker = StateTracker(rows)
        #expect(tracker.initial[1]?[.client] == .established && tracker.initial[1]?[.server] == .established)
    }

    /// The claim holds on every shipped reference recording.
    @Test(arguments: ScenarioCatalog.infos.flatMap { info in info.variants.map { "\(info.name)-\($0.name)" } })
    func referenceSnapshotsAgreeWithTheCapture(_ name: String) throws {
        let run = try DoctoredRun(name)
        let claim = StateAgreement.claim(run.observation)
        #expect(claim.holds, "\(name): \(claim.evidence)")
    }
}
