/// The server role of `tcplab bench concurrency`: `tcplab role bench-server --model M …`.
///
/// Arguments: `--model` (iterative, fork, thread, select, poll, epoll, epoll-et), `--address`,
/// `--port`, `--backlog`, `--connections` (for RLIMIT_NOFILE), and for select `--room N`.
public enum BenchServer {
    /// The concurrency models the benchmark compares, in the order the table lists them.
    public static let models = ["iterative", "fork", "thread", "select", "poll", "epoll", "epoll-et"]

    /// Listens, reports `listening`, and serves with the chosen model until the lab stops it.
    public static func run(_ arguments: RoleArguments, reporter: RoleReporter = RoleReporter()) throws(LabError) -> Never {
        let model = arguments.string("model") ?? ""
        guard models.contains(model) else {
            throw LabError.role("bench-server: unknown --model '\(model)'; models: \(models.joined(separator: ", "))")
        }
        let address = try arguments.serverAddress()
        let listener = BenchServing.listen(
            address, backlog: Int32(arguments.int("backlog", default: 4096)),
            connections: arguments.int("connections", default: 1024), reporter: reporter)
        switch model {
        case "iterative": BenchIterativeServer.run(listener: listener)
        case "fork": BenchForkServer.run(listener: listener, reporter: reporter)
        case "thread": BenchThreadServer.run(listener: listener)
        case "select": BenchSelectServer.run(listener: listener, room: arguments.string("room").flatMap { Int($0) }, reporter: reporter)
        case "poll": BenchPollServer.run(listener: listener)
        default: BenchEpollServer.run(listener: listener, edge: model == "epoll-et", reporter: reporter)
        }
    }
}
