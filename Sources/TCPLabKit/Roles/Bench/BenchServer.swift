/// The server role of `tcplab bench concurrency` (`RoleProgram.benchServer`): one model's lean
/// echo server, with what it needs to hold the run's connections.
public struct BenchServer: Codable, Sendable, Equatable {
    /// Which server serves.
    public var model: BenchModel
    /// listen(2)'s backlog (the kernel caps it at `net.core.somaxconn`).
    public var backlog: Int32
    /// Connections the server must hold at once: RLIMIT_NOFILE is raised to fit them.
    public var connections: Int
    /// select only: open placeholder descriptors first so that only this many connections fit
    /// below FD_SETSIZE (1024); nil: as many as fit. Ignored by the other models.
    public var selectRoom: Int?

    public init(model: BenchModel, backlog: Int32, connections: Int, selectRoom: Int? = nil) {
        self.model = model
        self.backlog = backlog
        self.connections = connections
        self.selectRoom = selectRoom
    }

    /// Listens on `address`, reports `listening`, and serves with the model until the lab stops it.
    func run(address: SocketAddress, reporter: RoleReporter = RoleReporter()) -> Never {
        let listener = BenchServing.listen(address, backlog: backlog, connections: connections, reporter: reporter)
        switch model {
        case .iterative: BenchIterativeServer.run(listener: listener)
        case .fork: BenchForkServer.run(listener: listener, reporter: reporter)
        case .thread: BenchThreadServer.run(listener: listener)
        case .select: BenchSelectServer.run(listener: listener, room: selectRoom, reporter: reporter)
        case .poll: BenchPollServer.run(listener: listener)
        case .epoll: BenchEpollServer.run(listener: listener, edge: false, reporter: reporter)
        case .epollET: BenchEpollServer.run(listener: listener, edge: true, reporter: reporter)
        }
    }
}
