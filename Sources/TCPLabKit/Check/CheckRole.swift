/// The role a student's program takes in `tcplab check`: the scenario's server or its client.
public enum CheckRole: String, Sendable, Codable, CaseIterable {
    case server
    case client

    /// The role's label on the timeline and in the observation (`server`, `client`), as the scenario names it.
    public var label: String { rawValue }

    /// `--server`, `--client`: how the command line names it.
    public var flag: String { "--\(rawValue)" }
}

extension CheckRole {
    /// The key under which the observation's `pids` keeps the student's program itself (strace's
    /// child when traced; the role's own pid otherwise): `program (server)`.
    public var programKey: String { "program (\(rawValue))" }
}

extension Observation {
    /// The pid of the student's program in `role`, as `tcplab check` recorded it.
    public func program(_ role: CheckRole) -> Int32? { pids[role.programKey] }
}
