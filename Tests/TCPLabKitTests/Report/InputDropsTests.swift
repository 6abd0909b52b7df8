import Foundation
import Testing
@testable import TCPLabKit

/// Which captured segments a run's own nft rules dropped on input, and what the state inference
/// makes of them, on the shipped recordings. They predate `inputDrops`, so each test files the
/// rules as a run now does.
@Suite struct InputDropsTests {
    /// keepalive peer-vanished with its drop rule filed (`recordVanishing`), and the segments it dropped.
    static func vanished() throws -> (run: DoctoredRun, dropped: Set<Int>) {
        var run = try DoctoredRun("keepalive-peer-vanished")
        run.recordVanishing()
        try #require(!run.observation.inputDrops.isEmpty, "the recording has no nft note")
        return (run, InputDrops.dropped(run.observation.segments, by: run.observation.inputDrops))
    }

    /// The number of the client's RST (the keepalive timer giving up).
    static func reset(_ run: DoctoredRun) throws -> CapturedSegment {
        try #require(run.observation.segments.first { $0.segment.flags.contains(.rst) })
    }

    /// A loss recording with its variant's rules filed as loaded before any role started.
    static func loss(_ variant: Loss.Variant) throws -> (rows: [SegmentRow], dropped: Set<Int>) {
        let run = try DoctoredRun("loss-\(variant.rawValue)")
        let first = try #require(run.observation.segments.first)
        let loaded = [InputDrops(time: first.time - 1, drops: Loss(variant: variant).ruleset(port: run.port).drops)]
        return (describeAll(run.observation.segments), InputDrops.dropped(run.observation.segments, by: loaded))
    }

    @Test func vanishedServerDropsEverySegmentAfterTheRule() throws {
        let (run, dropped) = try Self.vanished()
        let loaded = run.observation.inputDrops[0].time
        let after = Set(run.observation.segments.filter { $0.time >= loaded }.map(\.number))
        #expect(!after.isEmpty && dropped == after, "dropped \(dropped.sorted()), captured after the rule \(after.sorted())")
        #expect(dropped.contains(try Self.reset(run).number))
    }

    /// The flake's cause: the client's RST is in the capture, but nft dropped it before the server's socket.
    @Test func droppedResetClosesTheClientOnly() throws {
        let (run, dropped) = try Self.vanished()
        let rows = describeAll(run.observation.segments)
        let rst = try Self.reset(run)
        let tracker = StateTracker(rows, dropped: dropped)
        #expect(tracker.state(1, .server, at: rst.time) == .established)
        #expect(tracker.state(1, .client, at: rst.time) == .close)
        #expect(StateTrackerTests.path(tracker, 1, .client) == ["CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSED"])
        // Its own FIN (dropped at the client too) is all that moves the server after the handshake.
        #expect(StateTrackerTests.path(tracker, 1, .server) == ["LISTEN", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1"])
        // Taken as delivered, the RST closes the server: what the flaky runs compared /proc with.
        #expect(StateTracker(rows).state(1, .server, at: rst.time) == .close)
    }

    /// The ladder, drawn from the report alone, shows the dropped RST closing only the client.
    @Test func ladderDrawsTheDroppedResetClosingTheClientOnly() throws {
        let (run, _) = try Self.vanished()
        let rst = try Self.reset(run)
        let numbers = try #require(RunReport.dropped(run.observation))
        let changes = LadderChanges(describeAll(run.observation.segments), snapshots: [], dropped: Set(numbers))
        let atReset = (changes.transitions[rst.number] ?? []).map { "\($0.side) \($0.to.ladderName)" }
        #expect(atReset == ["client CLOSED"])
        #expect(RunReport.dropped(try DoctoredRun("keepalive-peer-vanished").observation) == nil)
    }

    /// The failing run: the table read 400 ms after the RST (past the 250 ms lag), the server's FIN after it.
    @Test func tableReadLongAfterTheDroppedResetAgrees() throws {
        var (run, _) = try Self.vanished()
        let rst = try Self.reset(run)
        let snapshot = try #require(run.observation.snapshots.firstIndex { $0.id == Keepalive.Moment.afterTimeout.rawValue })
        let read = rst.time + 400_000
        run.observation.snapshots[snapshot].time = read
        for index in run.observation.segments.indices where run.observation.segments[index].number > rst.number {
            run.observation.segments[index].time = read + 50_000 + Int64(index)
        }
        let claim = StateAgreement.claim(run.observation)
        #expect(claim.holds, "\(claim.evidence)")
        #expect(claim.evidence.contains("taken as sent but not received"), "\(claim.evidence)")
        run.observation.inputDrops = []
        let unaware = StateAgreement.claim(run.observation)
        #expect(!unaware.holds && unaware.evidence.contains("/proc shows the server ESTABLISHED, the capture implies CLOSED"),
                "\(unaware.evidence)")
    }

    /// nft's per-rule counters: the first `count` matches dropped, the rest delivered.
    @Test(arguments: [(Loss.Variant.rto, [4, 5]), (.fastRetransmit, [8]), (.synLoss, [1]), (.tailLoss, [12, 13])])
    func lossDropsTheFirstMatches(_ variant: Loss.Variant, _ expected: [Int]) throws {
        let (_, dropped) = try Self.loss(variant)
        #expect(dropped == Set(expected))
    }

    /// In loss nft drops data and SYNs, whose arrival changes no state in these captures: every
    /// lost byte is resent before the FIN, so the states come out the same either way. With the
    /// drops known, the data after a hole waits in the out-of-order queue until the resend fills
    /// the hole (fast-retransmit, tail-loss). Without that queue the FIN would never be taken.
    @Test(arguments: Loss.Variant.allCases)
    func lossStatesDoNotDependOnTheDrops(_ variant: Loss.Variant) throws {
        let (rows, dropped) = try Self.loss(variant)
        let aware = StateTracker(rows, dropped: dropped), unaware = StateTracker(rows)
        for side in [Ladder.Side.client, .server] {
            #expect(StateTrackerTests.path(aware, 1, side) == StateTrackerTests.path(unaware, 1, side), "\(side)")
        }
        #expect(StateTrackerTests.path(aware, 1, .server).last == "CLOSED")
    }

    /// A segment of the rule's port captured before the rule was in force counts as delivered.
    @Test func segmentsBeforeTheRuleAreDelivered() throws {
        let run = try DoctoredRun("keepalive-peer-vanished")
        let rule = InputDrops(time: run.observation.segments[3].time, drops: Keepalive.vanishing(port: run.port).drops)
        let dropped = InputDrops.dropped(run.observation.segments, by: [rule])
        #expect(dropped.min() == run.observation.segments[3].number)
    }

    /// The `--json` shape of `inputDrops`, and back.
    @Test func jsonShape() throws {
        let drops = InputDrops(time: 7, drops: [
            .init([.destinationPort(7777), .payloadPrefix("seg3")], count: 1, why: "burst segment 3, once"),
            .init([.sourcePort(7777), .connectionRequest], count: nil, why: "every one"),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(drops), as: UTF8.self)
        #expect(text == #"{"drops":[{"count":1,"matches":[{"destinationPort":7777},{"payloadPrefix":"seg3"}],"why":"burst segment 3, once"},"#
            + #"{"matches":[{"sourcePort":7777},{"connectionRequest":true}],"why":"every one"}],"time":7}"#)
        #expect(try JSONDecoder().decode(InputDrops.self, from: Data(text.utf8)) == drops)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(NftRuleset.Match.self, from: Data(#"{"port":1}"#.utf8)) }
    }

    /// A recording made before the field decodes with no drops.
    @Test func olderRecordingsHaveNone() throws {
        #expect(try DoctoredRun("keepalive-peer-vanished").observation.inputDrops.isEmpty)
    }
}
