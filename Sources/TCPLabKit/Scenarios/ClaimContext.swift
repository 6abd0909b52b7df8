/// What a scenario's claims need besides the observation: where the server listened and how
/// many clients the run was asked for.
///
/// A live `LabRun` provides it; so does a recording (`RecordedContext`), which is how
/// `tcplab scenario NAME --replay` re-checks the claims without running anything.
public protocol ClaimContext: Sendable {
    /// The server's address and port (the claims tell the server's segments by their port).
    var server: SocketAddress { get }
    /// `--clients N`, or nil for the scenario's default.
    var clients: Int? { get }
}

extension LabRun: ClaimContext {
    /// `--clients N` of this run.
    public var clients: Int? { options.clients }
}

/// The claim context of a recorded run, read back from its JSON.
public struct RecordedContext: ClaimContext {
    public var server: SocketAddress
    public var clients: Int?

    public init(server: SocketAddress, clients: Int?) {
        self.server = server
        self.clients = clients
    }
}
