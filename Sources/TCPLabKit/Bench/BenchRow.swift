/// One line of the benchmark table: one model at one number of clients, measured or skipped.
public struct BenchRow: Sendable, Codable, Equatable {
    public var model: BenchModel
    public var clients: Int
    /// Requests each connection made (1 for iterative).
    public var requestsPerConnection: Int
    /// Why this combination was not run; nil when it was.
    public var skipped: String?
    /// From starting the load generators until every client was connected and accepted (the
    /// fork and thread servers' workers all started), in seconds.
    public var setupSeconds = 0.0
    /// Answers received in all, over `seconds` of request phase.
    public var requests = 0
    public var seconds = 0.0
    public var requestsPerSecond = 0.0
    public var p50Milliseconds: Double?
    public var p99Milliseconds: Double?
    /// The server's VmHWM, its children's summed (fork), in kilobytes.
    public var peakRSSKilobytes = 0
    /// Threads of the server process (/proc/PID/task), at most seen.
    public var threads = 0
    /// The server and its child processes, at most seen.
    public var processes = 0
    /// Connections that got every answer / were closed unanswered / lost midway / still waiting.
    public var served = 0
    public var refused = 0
    public var broken = 0
    public var unfinished = 0
    public var connectFailed = 0
    /// During the request phase, in % of one core (of the phase's wall time), from schedstat:
    /// time on a CPU and time runnable but waiting for a CPU, for the server (all its threads and
    /// processes) and for the busiest load generator process (one thread: CPU + wait <= 100, the
    /// rest is time it was blocked waiting for the server's answers).
    public var serverCPUPercent = 0.0
    public var serverWaitPercent = 0.0
    public var generatorCPUPercent = 0.0
    public var generatorWaitPercent = 0.0

    /// The share of the request phase the busiest generator spent blocked for answers: well above
    /// zero means the server, not the generator, set the pace.
    public var generatorIdlePercent: Double { max(0, 100 - generatorCPUPercent - generatorWaitPercent) }
    /// Remarks: the time limit struck, connects failed, the iterative bound.
    public var note = ""
    /// What each process did about RLIMIT_NOFILE (`server: setrlimit(RLIMIT_NOFILE) raised …`).
    public var fileLimits: [String] = []

    public init(model: BenchModel, clients: Int, requestsPerConnection: Int, skipped: String? = nil) {
        self.model = model
        self.clients = clients
        self.requestsPerConnection = requestsPerConnection
        self.skipped = skipped
    }
}
