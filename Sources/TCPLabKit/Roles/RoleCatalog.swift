import Glibc

/// Every program a scenario can start as a role, by the name used in `tcplab role NAME …`.
///
/// A role runs in a process of its own, reports its steps on descriptor 3 (`RoleReporter`) and
/// reads commands, if any, on standard input. Add a role by writing its program and one line here.
public enum RoleCatalog {
    public static let all: [String: @Sendable (RoleArguments) throws(LabError) -> Never] = [
        "once-server": { arguments throws(LabError) in
            OnceServer(address: try arguments.serverAddress()).run()
        },
        "fork-server": { arguments throws(LabError) in
            let name = arguments.string("reap") ?? "none"
            guard let reaping = ForkServer.Reaping(rawValue: name) else { throw LabError.role("fork-server: unknown --reap '\(name)'") }
            ForkServer(address: try arguments.serverAddress(), reaping: reaping, keepsAcceptedSocket: arguments.flag("keep-fd")).run()
        },
        "line-client": { arguments throws(LabError) in
            let name = arguments.string("behaviour") ?? "plain"
            guard let behaviour = LineClient.Behaviour(rawValue: name) else {
                throw LabError.role("line-client: unknown behaviour '\(name)'")
            }
            LineClient(server: try arguments.serverAddress(), behaviour: behaviour).run()
        },
        "iterative-server": { arguments throws(LabError) in IterativeServer(address: try arguments.serverAddress()).run() },
        "reuse-server": { arguments throws(LabError) in
            ReuseServer(address: try arguments.serverAddress(), reuseAddress: arguments.flag("reuseaddr"),
                        closeOneConnection: arguments.flag("close-one")).run()
        },
        "echo-server": { arguments throws(LabError) in EchoServer(address: try arguments.serverAddress()).run() },
        "command-client": { arguments throws(LabError) in CommandClient(server: try arguments.serverAddress()).run() },
        "concurrency-client": { a throws(LabError) in ConcurrencyClient(server: try a.serverAddress()).run() },
        "concurrency-iterative": { a throws(LabError) in IterativeEchoServer(address: try a.serverAddress(), backlog: EchoServing.backlog(a), readSize: EchoServing.readSize(a)).run() },
        "concurrency-fork": { a throws(LabError) in ForkEchoServer(address: try a.serverAddress(), backlog: EchoServing.backlog(a), readSize: EchoServing.readSize(a)).run() },
        "concurrency-thread": { a throws(LabError) in ThreadEchoServer(address: try a.serverAddress(), backlog: EchoServing.backlog(a), readSize: EchoServing.readSize(a)).run() },
        "concurrency-select": { a throws(LabError) in SelectEchoServer(address: try a.serverAddress(), backlog: EchoServing.backlog(a), readSize: EchoServing.readSize(a), fillDescriptorsAfter: a.string("fill-fds-after").flatMap { Int($0) }, insertion: try SelectEchoServer.Insertion(a)).run() },
        "concurrency-poll": { a throws(LabError) in PollEchoServer(address: try a.serverAddress(), backlog: EchoServing.backlog(a), readSize: EchoServing.readSize(a)).run() },
        "concurrency-epoll": { a throws(LabError) in EpollEchoServer(address: try a.serverAddress(), backlog: EchoServing.backlog(a), readSize: EchoServing.readSize(a), mode: try EpollEchoServer.Mode(a)).run() },
        "idle-server": { arguments throws(LabError) in
            IdleServer(address: try arguments.serverAddress(), backlog: Int32(arguments.int("backlog", default: 2))).run()
        },
        "syn-clients": { arguments throws(LabError) in
            SynClients(server: try arguments.serverAddress(), count: arguments.int("count", default: 5)).run()
        },
        "instant-echo-server": { arguments throws(LabError) in InstantEchoServer(address: try arguments.serverAddress()).run() },
        "keystroke-client": { arguments throws(LabError) in
            KeystrokeClient(server: try arguments.serverAddress(), noDelay: arguments.flag("nodelay")).run()
        },
        "bench-server": { arguments throws(LabError) in try BenchServer.run(arguments) },
        "bench-clients": { arguments throws(LabError) in try BenchClients(arguments).run() },
    ]

    /// Prepares the process as a role and runs the named one; never returns.
    public static func run(name: String, arguments: [String]) throws(LabError) -> Never {
        guard let role = all[name] else {
            throw LabError.usage("unknown role '\(name)'; roles: \(all.keys.sorted().joined(separator: ", "))")
        }
        RoleEnvironment.prepare()
        do {
            try role(RoleArguments(arguments))
        } catch {
            RoleEnvironment.fail(RoleReporter(), error.description)
        }
    }
}
