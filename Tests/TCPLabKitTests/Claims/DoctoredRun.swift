import Foundation
@testable import TCPLabKit

/// A reference recording (`captures/reference/NAME.json` and `.pcap`) whose evidence a test edits
/// the way another kernel or a buggy program would have left it, then judges again with the
/// scenario's own claims.
struct DoctoredRun {
    let scenario: any Scenario
    let context: RecordedContext
    var observation: Observation

    /// `broken-pipe-default`: the recording of that scenario variant.
    init(_ name: String) throws {
        let path = capturesDirectory.appendingPathComponent("reference/\(name).json").path
        let recording = try RecordedRun(jsonPath: path)
        scenario = try ScenarioCatalog.make(name: recording.report.scenario, variant: recording.report.variant)
        context = recording.context
        observation = recording.observation
    }

    /// The scenario's claims, judged from the (edited) observation.
    func claims() -> [Claim] { scenario.judge(observation, context) }

    /// The server's port, to tell the directions apart.
    var port: UInt16 { context.server.port }

    // MARK: Segments

    /// Removes the segments `match` selects and numbers the rest again, as a capture without them would.
    mutating func removeSegments(where match: (CapturedSegment) -> Bool) {
        observation.segments.removeAll(where: match)
        for index in observation.segments.indices { observation.segments[index].number = index + 1 }
    }

    /// Changes every segment `match` selects.
    mutating func editSegments(where match: (CapturedSegment) -> Bool, _ change: (inout TCPSegment) -> Void) {
        for index in observation.segments.indices where match(observation.segments[index]) {
            change(&observation.segments[index].segment)
        }
    }

    /// Segments sent by the server (from its port).
    func fromServer(_ segment: CapturedSegment) -> Bool { segment.segment.sourcePort == port }

    /// The capture reports `count` packets dropped by the kernel.
    mutating func dropPackets(_ count: UInt64) {
        observation.capture = CaptureStatistics(received: (observation.capture?.received ?? 0) + count, dropped: count)
    }

    // MARK: Sockets

    /// Sets the state of the sockets `match` selects in every table recorded at `moment`.
    mutating func setState(at moment: some ScenarioMoment, where match: (SocketEntry) -> Bool, to state: TCPState) {
        editSockets(at: moment) { rows in
            for index in rows.indices where match(rows[index].entry) { rows[index].entry.state = state }
        }
    }

    /// Edits the rows (entry and role label) of every table recorded at `moment`.
    mutating func editSockets(at moment: some ScenarioMoment, _ change: (inout [LabelledSocket]) -> Void) {
        for index in observation.snapshots.indices where observation.snapshots[index].isAt(moment) {
            let snapshot = observation.snapshots[index]
            var rows = zip(snapshot.table.entries, snapshot.labels).map { LabelledSocket(entry: $0, label: $1) }
            change(&rows)
            observation.snapshots[index].table.entries = rows.map(\.entry)
            observation.snapshots[index].labels = rows.map(\.label)
        }
    }

    /// Removes the table recorded at `moment`, as a run that never got there.
    mutating func removeSockets(at moment: some ScenarioMoment) {
        observation.snapshots.removeAll { $0.isAt(moment) }
    }

    // MARK: Steps and ends

    /// Changes the steps of `role` that `match` selects.
    mutating func editSteps(of role: String, where match: (RoleStep) -> Bool, _ change: (inout RoleStep) -> Void) {
        for index in observation.steps.indices where observation.steps[index].role == role && match(observation.steps[index]) {
            change(&observation.steps[index])
        }
    }

    /// Removes the steps of `role` that `match` selects.
    mutating func removeSteps(of role: String, where match: (RoleStep) -> Bool) {
        observation.steps.removeAll { $0.role == role && match($0) }
    }

    /// Makes `role` end with `termination` instead (and its last call return, if it died in one).
    mutating func end(_ role: String, _ termination: Termination) {
        for index in observation.ends.indices where observation.ends[index].role == role {
            observation.ends[index].termination = termination
        }
        if case .exited = termination {
            editSteps(of: role, where: { $0.killedBy != nil }) { step in
                step.killedBy = nil
                step.ended = step.killedAt ?? step.began
                step.returnValue = step.returnValue ?? 0
            }
        }
    }

    // MARK: Processes

    /// Edits the rows of every process table recorded at `moment`.
    mutating func editProcesses(at moment: some ScenarioMoment, _ change: (inout [ProcessRow]) -> Void) {
        for index in observation.notes.indices {
            guard var table = observation.notes[index].processes, table.isAt(moment) else { continue }
            change(&table.rows)
            observation.notes[index].processes = table
        }
    }
}

/// A socket row of a recorded table and the role it was labelled with.
struct LabelledSocket {
    var entry: SocketEntry
    var label: String
}
