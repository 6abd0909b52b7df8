import Glibc

/// zombie: a fork-per-connection server and N clients that connect, exchange a line and leave.
///
/// Each child serves one client and exits; what becomes of it depends on its parent. Never
/// reaped, it stays a zombie (state Z, `<defunct>`) that even SIGKILL cannot remove, until the
/// parent dies and its new parent reaps it. SIG_IGN for SIGCHLD makes the kernel reap it at once;
/// a SIGCHLD handler with a waitpid(-1, WNOHANG) loop reaps it with its exit status. A parent
/// that exits first leaves orphans, adopted by PID 1 or the nearest subreaper. And a parent
/// that keeps its copy of the accepted socket holds back the FIN the child's close() would send.
public struct Zombie: Scenario {
    public static let name = "zombie"
    public static let summary = "a fork-per-connection server, N clients come and go: zombies, reaping, orphans, a forgotten descriptor"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case noReap = "no-reap"
        case sigchldIgnore = "sigchld-ignore"
        case waitpidHandler = "waitpid-handler"
        case orphan = "orphan"
        case orphanSubreaper = "orphan-subreaper"
        case parentKeepsFd = "parent-keeps-fd"

        public var summary: String {
            switch self {
            case .noReap: "the parent never calls wait(): each exited child stays a zombie (<defunct>) until the parent dies"
            case .sigchldIgnore: "signal(SIGCHLD, SIG_IGN): the kernel reaps the children itself, no zombie appears"
            case .waitpidHandler: "a SIGCHLD handler wakes a waitpid(-1, WNOHANG) loop that reaps each child with its exit status"
            case .orphan: "the parent exits while its children still serve: they are re-parented (PID 1 or a subreaper) and reaped there"
            case .orphanSubreaper: "the same with tcplab as child subreaper (PR_SET_CHILD_SUBREAPER): the lab adopts and reaps them"
            case .parentKeepsFd: "the parent forgets to close the accepted socket: the child's close() sends no FIN, the parent's does"
            }
        }
    }

    public let variant: Variant

    public init(variant: Variant) { self.variant = variant }

    public var story: String {
        switch variant {
        case .sigchldIgnore: return "a fork-per-connection server with SIGCHLD ignored; clients come and go"
        case .waitpidHandler: return "a fork-per-connection server that reaps in a SIGCHLD-driven waitpid loop; clients come and go"
        case .orphan: return "a fork-per-connection server that exits while its children still serve"
        case .orphanSubreaper: return "a fork-per-connection server that exits while its children still serve; tcplab is the subreaper"
        case .parentKeepsFd: return "a fork-per-connection server whose parent never closes the accepted sockets"
        default: return "a fork-per-connection server that never reaps its children; clients come and go"
        }
    }

    var reaping: ForkServer.Reaping {
        switch variant {
        case .noReap: return .none
        case .sigchldIgnore: return .ignore
        default: return .handler
        }
    }

    var isOrphan: Bool { variant == .orphan || variant == .orphanSubreaper }

    /// The processes of one run, as the scenario learns them.
    struct Cast {
        var server: RoleProcess
        var clients: [RoleProcess]
        /// Each client's own endpoint, in client order.
        var endpoints: [String]
        /// The child serving each client, in client order.
        var children: [Int32]

        func role(_ stat: ProcessStat) -> String {
            if stat.pid == server.pid { return "server (the parent)" }
            if let index = children.firstIndex(of: stat.pid) { return "server child for client \(index + 1)" }
            return "?"
        }
    }

    /// Starts the server and the clients, waits for every connection and fork, then plays the variant.
    public func run(_ lab: LabRun) throws(LabError) {
        if variant == .orphanSubreaper { try lab.becomeChildSubreaper() }
        let cast = try start(lab, clients: lab.options.clients ?? 3)
        switch variant {
        case .orphan, .orphanSubreaper: try orphan(lab, cast)
        case .parentKeepsFd: try keepsDescriptor(lab, cast)
        default: try comeAndGo(lab, cast)
        }
    }

    private func start(_ lab: LabRun, clients count: Int) throws(LabError) -> Cast {
        let server = try lab.startServer(.forkServer(reaping: reaping, keepsAcceptedSocket: variant == .parentKeepsFd))
        // One at a time, so that client N is the capture's Nth connection (C, C2, C3 … on the timeline).
        var clients: [RoleProcess] = []
        var endpoints: [String] = []
        for number in 1...count {
            let client = try lab.spawn("client \(number)", .lineClient(behaviour: .plain))
            let connected = try lab.waitForStep(client.label, "to connect") { $0.call == "connect" }
            if let error = connected.failure { throw LabError.role("\(client.label): connect \(lab.server.description) failed: \(error)") }
            try lab.waitForSegment("\(client.label)'s handshake") { $0.destinationPort == lab.server.port && $0.flags == .ack
                && connected.local?.hasSuffix(":\($0.sourcePort)") == true }
            clients.append(client)
            endpoints.append(connected.local ?? "?")
        }
        // Each accept is followed by its fork; the accept's peer says which client the child serves.
        let pairs = try lab.log.wait(for: "the server to accept and fork \(count) times", timeout: lab.options.timeout) {
            observation -> [(peer: String, child: Int32)]? in
            let steps = observation.steps(of: "server").filter { ($0.call == "accept" || $0.call == "fork") && $0.isSettled }
            var pairs: [(peer: String, child: Int32)] = []
            var peer: String?
            for step in steps {
                if step.call == "accept" { peer = step.peer } else if let child = step.returnValue, child > 0, let accepted = peer {
                    pairs.append((accepted, Int32(child)))
                    peer = nil
                }
            }
            return pairs.count >= count ? pairs : nil
        }
        var children = [Int32](repeating: 0, count: count)
        for pair in pairs {
            guard let index = endpoints.firstIndex(of: pair.peer) else { throw LabError.role("the server accepted \(pair.peer), not one of the clients") }
            children[index] = pair.child
        }
        lab.say("server \(lab.server.description) (pid \(server.pid))   \(count) clients (pids \(clients.map { String($0.pid) }.joined(separator: ", ")))   net: \(lab.isolation.description)")
        lab.say("")
        return Cast(server: server, clients: clients, endpoints: endpoints, children: children)
    }

    /// Each client in turn sends its line and reads the answer from the child serving it.
    private func exchange(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        for (index, client) in cast.clients.enumerated() {
            client.send("hello from client \(index + 1)")
            try lab.waitForStep(client.label, "to read its answer") { $0.call == "recv" }
        }
    }

    /// Each client in turn closes its socket and exits.
    private func leave(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        for client in cast.clients {
            client.closeCommands()
            try lab.waitForEnd(client.label)
        }
    }

    /// no-reap, sigchld-ignore, waitpid-handler: serve, let the clients leave, look at the children.
    private func comeAndGo(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        let server = cast.server.pid
        lab.flush()
        lab.pause("each client sends a line; the child serving it answers and exits")
        try exchange(lab, cast)
        switch reaping {
        case .ignore:
            // Look right after each child's exit is known: its _exit(0) report, then its end in /proc.
            for child in cast.children {
                try lab.waitForStep("server child \(child)", "to exit") { $0.call == "exit" }
                try lab.waitForProcesses("after child \(child) called _exit(0)", until: "child \(child) to have exited",
                                         root: server, also: cast.children, roles: cast.role) { _ in ProcessTable.hasExited(child) }
            }
        case .handler:
            for child in cast.children {
                try lab.waitForStep("server", "to reap child \(child)") { $0.call == "waitpid" && $0.returnValue == Int(child) }
            }
        case .none:
            break
        }
        try leave(lab, cast)
        try lab.waitForSockets("after the clients left", until: "every connection closed (TIME_WAIT at most)", labels: labels(cast)) { table in
            table.entries.allSatisfy { $0.state == .listen || $0.state == .timeWait }
        }
        try lab.waitForProcesses("after the clients left", until: "all \(cast.children.count) children to have exited",
                                 root: server, also: cast.children, roles: cast.role) { _ in cast.children.allSatisfy { ProcessTable.hasExited($0) } }
        lab.flush()
        guard reaping == .none else { return }

        let zombie = cast.children[0]
        lab.pause("the lab sends SIGKILL to zombie \(zombie) (kill -9)")
        let killed = kill(zombie, SIGKILL)
        lab.log.note("lab     kill(\(zombie), SIGKILL) = \(killed)   (kill -9 \(zombie): a zombie has already exited; the kernel drops the signal)")
        lab.recordProcesses("right after kill -9 \(zombie)", root: server, also: cast.children, roles: cast.role)
        lab.flush()

        lab.pause("the lab kills the parent (SIGTERM); its zombies are re-parented")
        lab.log.note("lab     kill(\(server), SIGTERM): the parent dies without ever calling wait()")
        kill(server, SIGTERM)
        try lab.waitForEnd(cast.server.label)
        try adoptAndReap(lab, cast, moment: "after the parent died")
        lab.flush()
    }

    /// After the parent is gone: show who adopted the children, reap those the lab adopted itself,
    /// and wait until the new parents have reaped the rest.
    private func adoptAndReap(_ lab: LabRun, _ cast: Cast, moment: String) throws(LabError) {
        let server = cast.server.pid
        let adopted = try lab.waitForProcesses(moment, until: "the children to have exited", root: server, also: cast.children,
                                               roles: cast.role) { _ in cast.children.allSatisfy { ProcessTable.hasExited($0) } }
        let me = getpid()
        for child in cast.children where adopted.row(child)?.process.parentPID == me { try lab.reapAdopted(child) }
        try lab.waitForProcesses("after their new parent reaped them", until: "the children to be reaped by their new parent",
                                 root: server, also: cast.children, roles: cast.role) { table in
            !table.contains { cast.children.contains($0.pid) }
        }
    }

    /// orphan, orphan-subreaper: the parent exits while every child is blocked in recv().
    private func orphan(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        let server = cast.server.pid
        for child in cast.children {
            try lab.waitForStep("server child \(child)", "to close its listening socket and serve") { $0.call == "close" }
        }
        lab.recordProcesses("while the children serve", root: server, also: cast.children, roles: cast.role)
        lab.flush()
        lab.pause("the parent exits while its children are still serving")
        cast.server.send("exit")
        try lab.waitForStep(cast.server.label, "to exit") { $0.call == "exit" }
        let orphans = try lab.waitForProcesses(
            "after the parent exited", until: "the parent to be gone and its children re-parented",
            root: server, also: cast.children, roles: cast.role
        ) { table in
            !table.contains { $0.pid == server } && !table.contains { cast.children.contains($0.pid) && $0.parentPID == server }
        }
        for parent in Set(cast.children.compactMap { orphans.row($0)?.process.parentPID }).sorted() {
            let name = ProcessStat.read(pid: parent)?.command ?? "?"
            let who = parent == getpid() ? "the lab itself (it is a child subreaper)" : parent == 1 ? "PID 1, the init of this pid namespace" : "the nearest subreaper"
            lab.log.note("lab     the orphans' new parent: pid \(parent) (\(name)), \(who)")
        }
        lab.flush()
        lab.pause("the orphans answer their clients and exit")
        try exchange(lab, cast)
        try adoptAndReap(lab, cast, moment: "after the orphans answered and exited")
        try leave(lab, cast)
        lab.flush()
    }

    /// parent-keeps-fd: the children close and exit, the connections stay up until the parent goes.
    private func keepsDescriptor(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        let server = cast.server.pid
        let port = lab.server.port
        lab.flush()
        lab.pause("each client sends a line; the child answers, closes its copy of the socket and exits")
        try exchange(lab, cast)
        for child in cast.children {
            try lab.waitForStep("server", "to reap child \(child)") { $0.call == "waitpid" && $0.returnValue == Int(child) }
        }
        try lab.waitForSockets("after the children closed and exited", until: "each connection ESTABLISHED on both sides",
                               labels: labels(cast)) { table in
            cast.endpoints.allSatisfy { endpoint in
                table.entries.contains { $0.local == endpoint && $0.state == .established }
                    && table.entries.contains { $0.remote == endpoint && $0.state == .established }
            }
        }
        lab.recordProcesses("after the children exited", root: server, also: cast.children, roles: cast.role)
        lab.flush()
        lab.pause("the parent closes its forgotten copies and exits")
        cast.server.send("exit")
        for endpoint in cast.endpoints {
            let clientPort = UInt16(endpoint.split(separator: ":").last ?? "") ?? 0
            try lab.waitForSegment("the server's FIN to \(endpoint)") {
                $0.sourcePort == port && $0.destinationPort == clientPort && $0.flags.contains(.fin)
            }
        }
        try lab.waitForSockets("after the parent closed its copies", until: "each client side in CLOSE_WAIT", labels: labels(cast)) { table in
            cast.endpoints.allSatisfy { endpoint in table.entries.contains { $0.local == endpoint && $0.state == .closeWait } }
        }
        lab.flush()
        try leave(lab, cast)
        lab.flush()
    }

    private func labels(_ cast: Cast) -> (SocketEntry) -> String {
        let endpoints = cast.endpoints
        return { entry in
            if let index = endpoints.firstIndex(of: entry.local) { return "client \(index + 1)" }
            return entry.state == .listen ? "server" : "server side"
        }
    }
}
