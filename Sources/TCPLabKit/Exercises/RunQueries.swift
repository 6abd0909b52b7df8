import Foundation

/// Questions about a finished run that the zombie, concurrency, backlog and nagle exercises
/// share: process tables, /proc censuses, socket snapshots by moment, and who sent which segment.
extension RunReport {
    /// Every process table the run recorded (the zombie scenario puts them in its notes).
    public var processTables: [ProcessSnapshot] { notes.compactMap(\.processes) }

    /// The /proc census (threads and children of the server) recorded at `moment`.
    public func census(at moment: some ScenarioMoment) -> ProcessCensus? {
        censuses?.first { $0.isAt(moment) }
    }

    /// The socket table recorded at `moment`.
    public func snapshot(at moment: some ScenarioMoment) -> Snapshot? {
        snapshots.first { $0.isAt(moment) }
    }

    /// The process table recorded at `moment`.
    public func processTable(at moment: some ScenarioMoment) -> ProcessSnapshot? {
        processTables.first { $0.isAt(moment) }
    }

    /// The local endpoint (`127.0.0.1:41484`) a role's first connect() reported.
    public func endpoint(of role: String) -> String? {
        steps(of: role).first { $0.call == "connect" }?.local
    }

    /// The segments sent from `endpoint` (to anyone), in capture order.
    public func segments(from endpoint: String) -> [SegmentRow] { segments.filter { $0.source == endpoint } }

    /// The segments sent to `endpoint`, in capture order.
    public func segments(to endpoint: String) -> [SegmentRow] { segments.filter { $0.destination == endpoint } }

    /// Segments that carry data, in one direction.
    public func dataSegments(_ direction: SegmentRow.Direction) -> [SegmentRow] {
        segments.filter { $0.direction == direction && $0.length > 0 }
    }

    /// `one` when every value is the same, nil when there are none or they differ.
    static func same<T: Equatable>(_ values: [T]) -> T? {
        guard let first = values.first, values.allSatisfy({ $0 == first }) else { return nil }
        return first
    }
}
