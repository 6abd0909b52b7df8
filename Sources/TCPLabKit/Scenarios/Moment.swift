/// A named point of a scenario's story at which the lab records the socket or process table,
/// whatever the states are: each scenario lists its moments as an enum.
///
/// The raw value is the moment's id, kept in `--json` (`"at"`) so that claims and exercise
/// questions find a snapshot by type, never by searching its text.
public protocol ScenarioMoment: RawRepresentable<String>, Sendable, Hashable {
    /// What the timeline prints before the table: `after the server's close()`.
    var text: String { get }
}

extension Observation {
    /// The socket table recorded at `moment`, if the run got that far.
    public func sockets(at moment: some ScenarioMoment) -> SocketSnapshot? {
        snapshots.first { $0.isAt(moment) }
    }

    /// The process table recorded at `moment`, if the run got that far.
    public func processes(at moment: some ScenarioMoment) -> ProcessSnapshot? {
        notes.lazy.compactMap(\.processes).first { $0.isAt(moment) }
    }

    /// Every process table the run recorded, in order.
    public var processSnapshots: [ProcessSnapshot] { notes.compactMap(\.processes) }
}

extension SocketSnapshot {
    /// Whether this table was recorded at `moment` (recordings made before moments had ids match by text).
    public func isAt(_ moment: some ScenarioMoment) -> Bool {
        id.map { $0 == moment.rawValue } ?? (self.moment == moment.text)
    }
}

extension ProcessSnapshot {
    /// Whether this table was recorded at `moment` (recordings made before moments had ids match by text).
    public func isAt(_ moment: some ScenarioMoment) -> Bool {
        id.map { $0 == moment.rawValue } ?? (self.moment == moment.text)
    }
}

extension RunReport.Snapshot {
    /// Whether this table was recorded at `moment` (recordings made before moments had ids match by text).
    public func isAt(_ moment: some ScenarioMoment) -> Bool {
        at.map { $0 == moment.rawValue } ?? (self.moment == moment.text)
    }
}
