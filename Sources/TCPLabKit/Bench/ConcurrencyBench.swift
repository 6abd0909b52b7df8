/// `tcplab bench concurrency`: which models at which numbers of clients, with which bounds, and
/// why some combinations are skipped rather than run.
public struct ConcurrencyBench: Sendable {
    public var models: [BenchModel]
    public var clients: [Int]
    /// Requests per connection (the iterative model makes 1 whatever this says); nil for
    /// `automaticRequests`, the same total at every number of clients.
    public var requestsPerConnection: Int?
    /// Upper bound on one run's request phase, in seconds.
    public var seconds: Double
    /// Load generator processes sharing the connections.
    public var generators: Int
    /// Bytes per request (and per answer).
    public var requestSize: Int
    /// select only: leave room for this many connections below FD_SETSIZE (nil: as many as fit).
    public var selectRoom: Int?

    public init(models: [BenchModel], clients: [Int], requestsPerConnection: Int?, seconds: Double, generators: Int,
                requestSize: Int, selectRoom: Int?) {
        self.models = models
        self.clients = clients
        self.requestsPerConnection = requestsPerConnection
        self.seconds = seconds
        self.generators = generators
        self.requestSize = requestSize
        self.selectRoom = selectRoom
    }

    /// The largest number of clients each model is run with, and why not beyond.
    public static let limits: [BenchModel: (clients: Int, reason: String)] = [
        .iterative: (1000, "serves one client at a time: at 10,000 the last client waits for 9,999 others; skipped above 1,000"),
        .fork: (1000, "a process per client: 10,000 forks on 2 cores; skipped above 1,000"),
        .thread: (1000, "a thread per client: 10,000 threads on 2 cores; skipped above 1,000"),
    ]

    /// Why `model` is not run at `clients`, or nil when it is.
    public static func skipReason(model: BenchModel, clients: Int) -> String? {
        guard let limit = limits[model], clients > limit.clients else { return nil }
        return limit.reason
    }

    /// The total aimed at when --requests is not given: long enough (about a second or more) for
    /// CPU times read in 10 ms clock ticks to mean something, short enough for the whole table to
    /// take a few minutes.
    public static let automaticTotal = 100_000

    /// Requests per connection for `model` at `clients`: as asked, or `automaticTotal / clients`
    /// (at least 10). The iterative server answers one connection at a time until it closes, so
    /// there each client makes one request and leaves (bounded, and said so in the table).
    public func requests(for model: BenchModel, clients: Int) -> Int {
        if model == .iterative { return 1 }
        return requestsPerConnection ?? max(10, Self.automaticTotal / max(1, clients))
    }

    /// The run with the median requests/s of several runs of one model at one number of clients
    /// (the upper middle of an even count), noting the range; failed runs count only if all
    /// failed; nil for no runs.
    public static func median(_ runs: [BenchRow]) -> BenchRow? {
        let measured = runs.filter { $0.skipped == nil }.sorted { $0.requestsPerSecond < $1.requestsPerSecond }
        guard var middle = measured.isEmpty ? runs.first : measured[measured.count / 2] else { return nil }
        if measured.count > 1, let low = measured.first, let high = measured.last {
            let range = "median of \(measured.count) runs (\(Int(low.requestsPerSecond))-\(Int(high.requestsPerSecond)) requests/s)"
            middle.note = middle.note.isEmpty ? range : range + "; " + middle.note
        }
        return middle
    }

    /// Rows in table order: by model (as given), then by clients.
    public func tableOrder(_ rows: [BenchRow]) -> [BenchRow] {
        rows.sorted {
            let left = models.firstIndex(of: $0.model) ?? 0, right = models.firstIndex(of: $1.model) ?? 0
            return left != right ? left < right : $0.clients < $1.clients
        }
    }
}
