/// concurrency: one echo server written in one of the posts' models, and N clients at once.
///
/// Every client connects first, then each sends its lines when the lab tells it to, so the
/// interleaving is forced by the lab, not by timing. The timeline shows which client is
/// served when; the socket table shows connections waiting in the accept queue; the process
/// census from /proc shows the workers (children, threads, or none); the claims check what the
/// posts say about each model.
public struct Concurrency: Scenario {
    public static let info = ScenarioInfo(
        name: "concurrency",
        summary: "one server, N clients at once (--clients N): iterative, fork, thread, select, poll, epoll, edge-triggered epoll",
        variants: [
            VariantInfo("iterative", "one connection at a time: later clients wait in the accept queue, ACKed but unanswered"),
            VariantInfo("fork", "a child process per connection, reaped on SIGCHLD: all served at once"),
            VariantInfo("thread", "a thread per connection: all served at once, one thread per client in /proc"),
            VariantInfo("select", "one thread, one select() loop; a descriptor >= FD_SETSIZE (1024) is refused"),
            VariantInfo("poll", "one thread, one poll() loop: no FD_SETSIZE ceiling"),
            VariantInfo("epoll", "one thread, level-triggered epoll: only ready sockets come back"),
            VariantInfo("epoll-et", "edge-triggered epoll reading until EAGAIN: a long message is answered at once"),
            VariantInfo("epoll-et-once", "edge-triggered epoll reading once per event: a long message stalls in the Recv-Q"),
        ])

    /// How many lines each client sends in the main rounds.
    static let lines = 3
    /// The default number of clients.
    static let defaultClients = 3
    /// The edge-triggered servers read this much per recv(), so a long line takes two reads.
    static let smallRead = 32
    /// Client 1's long line in the edge-triggered variants: more than one read (32 bytes), and
    /// short enough that what one read leaves plus the next 16-byte line fit in one more read.
    static let longLine = "client 1 line 4 is longer than one read"

    public let variant: String

    public init(variant: String) { self.variant = variant }

    var model: Model { Model(rawValue: variant) ?? .iterative }

    public var story: String {
        switch model {
        case .iterative: return "an iterative echo server (one connection at a time) and several clients at once"
        case .fork: return "a fork-per-connection echo server and several clients at once"
        case .thread: return "a thread-per-connection echo server and several clients at once"
        case .select: return "a single-threaded select() echo server, several clients, then one that gets descriptor 1024"
        case .poll: return "a single-threaded poll() echo server and several clients at once"
        case .epoll: return "a single-threaded level-triggered epoll echo server and several clients at once"
        case .epollET: return "an edge-triggered epoll echo server that reads until EAGAIN; client 1 sends a long line"
        case .epollETOnce: return "an edge-triggered epoll echo server that reads once per event; client 1 sends a long line"
        }
    }

    public func run(_ lab: LabRun) throws(LabError) {
        try ConcurrencyDriver(model: model, lab: lab, clients: lab.options.clients ?? Self.defaultClients).run()
    }

    /// The server models, by variant name.
    enum Model: String {
        case iterative, fork, thread, select, poll, epoll
        case epollET = "epoll-et"
        case epollETOnce = "epoll-et-once"

        /// Single process, single thread, one multiplexing loop.
        var isMultiplexing: Bool { [.select, .poll, .epoll, .epollET, .epollETOnce].contains(self) }
        var isEdgeTriggered: Bool { self == .epollET || self == .epollETOnce }

        /// `tcplab role …` for this model's server.
        func serverArguments(clients: Int) -> [String] {
            let backlog = ["--backlog", String(max(clients + 2, 8))]
            switch self {
            case .iterative, .fork, .thread, .poll: return ["concurrency-\(rawValue)"] + backlog
            case .select: return ["concurrency-select", "--fill-fds-after", String(clients)] + backlog
            case .epoll: return ["concurrency-epoll", "--mode", "level"] + backlog
            case .epollET: return ["concurrency-epoll", "--mode", "edge", "--read-size", String(Concurrency.smallRead)] + backlog
            case .epollETOnce:
                return ["concurrency-epoll", "--mode", "edge-once", "--read-size", String(Concurrency.smallRead)] + backlog
            }
        }
    }

    /// `client 2`: the role label of client `index` (1-based).
    static func label(_ index: Int) -> String { "client \(index)" }
    /// `client 2 line 3`: the text of a line, tagged with its client so the server's steps say whom it serves.
    static func line(_ index: Int, _ number: Int) -> String { "client \(index) line \(number)" }
    /// The late client of the select variant, whose descriptor the server cannot watch.
    static let lateLabel = "late"
}
