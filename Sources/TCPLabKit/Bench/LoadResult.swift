/// What one load generator process measured, sent to the lab as its `result` note (JSON text).
public struct LoadResult: Sendable, Codable, Equatable {
    /// Connections it was asked to hold.
    public var connections: Int
    /// How many completed the handshake (connect succeeded).
    public var connected: Int
    /// How many connects failed or did not complete in time, and the first error seen.
    public var connectFailed: Int
    public var connectError: String?
    /// Connections that got every one of their answers.
    public var served: Int
    /// Connections the server closed or reset before answering even once (select at FD_SETSIZE).
    public var refused: Int
    /// Connections that got some answers and then lost the connection.
    public var broken: Int
    /// Connections still waiting when the time limit struck.
    public var unfinished: Int
    /// Answers received, in total.
    public var requests: Int
    /// From the first request sent to the last answer (or the time limit), in microseconds.
    public var elapsedMicroseconds: Int64
    /// How long connecting all connections took, in microseconds.
    public var connectMicroseconds: Int64
    /// The generator's own CPU time during the request phase (getrusage), in microseconds.
    public var cpuMicroseconds: Int64
    /// The CPU time of the busiest single generator process: it runs one thread, so it saturates
    /// at the request phase's elapsed time (100 % of one core).
    public var busiestCPUMicroseconds: Int64
    /// Whether the request phase stopped at the time limit rather than with every request done.
    public var timedOut: Bool
    public var latencies: LatencyHistogram

    public init(connections: Int) {
        self.connections = connections
        connected = 0
        connectFailed = 0
        served = 0
        refused = 0
        broken = 0
        unfinished = 0
        requests = 0
        elapsedMicroseconds = 0
        connectMicroseconds = 0
        cpuMicroseconds = 0
        busiestCPUMicroseconds = 0
        timedOut = false
        latencies = LatencyHistogram()
    }

    /// Two generators' results as one: counts and latencies add up; the phase lasted as long as
    /// the slower one.
    public mutating func merge(_ other: LoadResult) {
        connections += other.connections
        connected += other.connected
        connectFailed += other.connectFailed
        connectError = connectError ?? other.connectError
        served += other.served
        refused += other.refused
        broken += other.broken
        unfinished += other.unfinished
        requests += other.requests
        elapsedMicroseconds = max(elapsedMicroseconds, other.elapsedMicroseconds)
        connectMicroseconds = max(connectMicroseconds, other.connectMicroseconds)
        cpuMicroseconds += other.cpuMicroseconds
        busiestCPUMicroseconds = max(busiestCPUMicroseconds, other.busiestCPUMicroseconds)
        timedOut = timedOut || other.timedOut
        latencies.merge(other.latencies)
    }
}
