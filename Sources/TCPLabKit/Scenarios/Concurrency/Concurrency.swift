/// concurrency: one echo server written in one of the posts' models, and N clients at once.
///
/// Every client connects first, then each sends its lines when the lab tells it to. Client 1 is
/// served once and then holds its connection open and idle while the other clients send their
/// first line: whether they are answered meanwhile (within `overlapWindow`) is what tells a
/// concurrent server from an iterative one, and the claims read it from the capture. The socket
/// table shows connections waiting in the accept queue; the /proc census shows the workers
/// (children, threads, or none); the claims check what the posts say about each model.
public struct Concurrency: Scenario {
    public static let name = "concurrency"
    public static let summary = "one server, N clients at once (--clients N): iterative, fork, thread, select, poll, epoll, edge-triggered epoll"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case iterative = "iterative"
        case fork = "fork"
        case thread = "thread"
        case select = "select"
        case selectUnchecked = "select-unchecked"
        case poll = "poll"
        case epoll = "epoll"
        case epollET = "epoll-et"
        case epollETOnce = "epoll-et-once"

        public var summary: String {
            switch self {
            case .iterative: "one connection at a time: later clients wait in the accept queue, ACKed but unanswered"
            case .fork: "a child process per connection, reaped on SIGCHLD: all served at once"
            case .thread: "a thread per connection: all served at once, one thread per client in /proc"
            case .select: "one thread, one select() loop; a descriptor >= FD_SETSIZE (1024) is refused"
            case .selectUnchecked: "the same loop without the check: glibc's FD_SET (_FORTIFY_SOURCE) aborts the server at fd 1024"
            case .poll: "one thread, one poll() loop: no FD_SETSIZE ceiling"
            case .epoll: "one thread, level-triggered epoll: only ready sockets come back"
            case .epollET: "edge-triggered epoll reading until EAGAIN: a long message is answered at once"
            case .epollETOnce: "edge-triggered epoll reading once per event: a long message stalls in the Recv-Q"
            }
        }
    }

    /// How long the lab gives the server to answer clients 2…N while client 1 sits idle: a
    /// concurrent server answers within a millisecond on loopback; an iterative one never does.
    static let overlapWindow = 0.5
    /// How long the lab watches the capture for a segment a claim judges (a kernel ACK, the
    /// server's FIN) before it goes on anyway.
    static let segmentWindow = 1.0
    /// How long the lab waits for the answers of one round before it ends the exchanges (the
    /// server did not answer: the claims say so). Loopback answers take well under a millisecond.
    static let answerWindow = 1.0

    /// How many lines each client sends in the main rounds.
    static let lines = 3
    /// The default number of clients.
    static let defaultClients = 3
    /// The edge-triggered servers read this much per recv(), so a long line takes two reads.
    static let smallRead = 32
    /// Client 1's long line in the edge-triggered variants: more than one read (32 bytes), and
    /// short enough that what one read leaves plus the next 16-byte line fit in one more read.
    static let longLine = "client 1 line 4 is longer than one read"

    public let variant: Variant

    /// `--clients N` sets how many clients come.
    public static var takesClients: Bool { true }

    public init(variant: Variant) { self.variant = variant }

    /// The server model is the variant.
    var model: Model { variant }

    public var story: String {
        switch model {
        case .iterative: return "an iterative echo server (one connection at a time) and several clients at once"
        case .fork: return "a fork-per-connection echo server and several clients at once"
        case .thread: return "a thread-per-connection echo server and several clients at once"
        case .select: return "a single-threaded select() echo server, several clients, then one that gets descriptor 1024"
        case .selectUnchecked:
            return "a select() echo server that puts every descriptor into its fd_set with glibc's checked FD_SET, then a client that gets descriptor 1024"
        case .poll: return "a single-threaded poll() echo server and several clients at once"
        case .epoll: return "a single-threaded level-triggered epoll echo server and several clients at once"
        case .epollET: return "an edge-triggered epoll echo server that reads until EAGAIN; client 1 sends a long line"
        case .epollETOnce: return "an edge-triggered epoll echo server that reads once per event; client 1 sends a long line"
        }
    }

    public func run(_ lab: LabRun) throws(LabError) {
        try ConcurrencyDriver(model: model, lab: lab, clients: lab.options.clients ?? Self.defaultClients).run()
    }

    /// The server models are the variants.
    typealias Model = Variant
}

extension Concurrency.Variant {
    /// Single process, single thread, one multiplexing loop.
    var isMultiplexing: Bool { [.select, .selectUnchecked, .poll, .epoll, .epollET, .epollETOnce].contains(self) }
    /// The select servers, whose late client gets descriptor 1024.
    var hasLateClient: Bool { self == .select || self == .selectUnchecked }
    var isEdgeTriggered: Bool { self == .epollET || self == .epollETOnce }

    /// This model's server role: a backlog with room for every client of an iterative run;
    /// the edge-triggered models read less than a line per recv(); select fills its descriptors
    /// after the clients so the late one gets descriptor 1024.
    func server(clients: Int) -> RoleProgram.ConcurrencyServer {
        let backlog = Int32(max(clients + 2, 8))
        switch self {
        case .select, .selectUnchecked: return .init(model: self, backlog: backlog, fillDescriptorsAfter: clients)
        case .epollET, .epollETOnce: return .init(model: self, backlog: backlog, readSize: Concurrency.smallRead)
        default: return .init(model: self, backlog: backlog)
        }
    }
}

extension Concurrency {
    /// The moments at which the lab records the socket table or the server's /proc census.
    enum Moment: String, ScenarioMoment {
        /// Every client connected and accepted (not iterative): sockets and census.
        case allConnected = "all-connected"
        /// iterative: client 1 served once and idle, the others' first lines sent and given `overlapWindow`.
        case whileClient1Idle = "while-client-1-idle"
        /// Edge-triggered epoll: the server back in epoll_wait after its first read of client 1's long line.
        case afterLongLine = "after-long-line"
        /// Every client closed and the server's FIN to each seen (or its window over).
        case afterEveryoneLeft = "after-everyone-left"

        var text: String {
            switch self {
            case .allConnected: "with all clients connected"
            case .whileClient1Idle: "while the server serves client 1 (idle)"
            case .afterLongLine: "while the server waits in epoll_wait after client 1's long line"
            case .afterEveryoneLeft: "after every client left"
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
