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
    /// The generator's own time during the request phase from /proc/self/schedstat, in
    /// microseconds: on a CPU, and runnable but waiting for a CPU (the machine was busy).
    public var cpuMicroseconds: Int64
    public var waitMicroseconds: Int64
    /// The same two for the busiest generator process (the largest CPU + wait). It runs one thread,
    /// so CPU + wait cannot exceed the elapsed time; what is left is time it spent blocked in
    /// epoll_wait() for answers, i.e. waiting for the server.
    public var busiestCPUMicroseconds: Int64
    public var busiestWaitMicroseconds: Int64
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
        waitMicroseconds = 0
        busiestCPUMicroseconds = 0
        busiestWaitMicroseconds = 0
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
        waitMicroseconds += other.waitMicroseconds
        if other.busiestCPUMicroseconds + other.busiestWaitMicroseconds > busiestCPUMicroseconds + busiestWaitMicroseconds {
            busiestCPUMicroseconds = other.busiestCPUMicroseconds
            busiestWaitMicroseconds = other.busiestWaitMicroseconds
        }
        timedOut = timedOut || other.timedOut
        latencies.merge(other.latencies)
    }
}
