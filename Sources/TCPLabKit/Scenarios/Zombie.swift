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

    /// `--clients N` sets how many clients come.
    public static var takesClients: Bool { true }

    public init(variant: Variant) { self.variant = variant }

    public var story: String { variant.story }

    var reaping: ForkServer.Reaping { variant.reaping }

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

    /// The moments at which the lab records the process table (and, where the story is about
    /// connections, the socket table).
    enum Moment: String, ScenarioMoment {
        case afterClientsLeft = "after-clients-left"
        case afterParentDied = "after-parent-died"
        case whileChildrenServe = "while-children-serve"
        case afterParentExited = "after-parent-exited"
        case afterOrphansExited = "after-orphans-exited"
        case afterNewParentReaped = "after-new-parent-reaped"
        case afterChildrenExited = "after-children-exited"
        case afterParentClosed = "after-parent-closed"

        var text: String {
            switch self {
            case .afterClientsLeft: "after the clients left"
            case .afterParentDied: "after the parent died"
            case .whileChildrenServe: "while the children serve"
            case .afterParentExited: "after the parent exited"
            case .afterOrphansExited: "after the orphans answered and exited"
            case .afterNewParentReaped: "once their new parent had had its time to reap them"
            case .afterChildrenExited: "after the children closed and exited"
            case .afterParentClosed: "after the parent closed its copies"
            }
        }
    }

    /// A moment about one child, named by its pid: right after it called _exit(0), or right after
    /// the lab's kill -9 of it.
    struct ChildMoment: ScenarioMoment {
        enum Event: String {
            case exited = "after-exit-of"
            case killed = "after-kill-9-of"
        }

        var event: Event
        var pid: Int32

        init(_ event: Event, _ pid: Int32) {
            self.event = event
            self.pid = pid
        }

        /// `after-exit-of-4242`.
        init?(rawValue: String) {
            guard let dash = rawValue.lastIndex(of: "-"), let event = Event(rawValue: String(rawValue[..<dash])),
                  let pid = Int32(rawValue[rawValue.index(after: dash)...])
            else { return nil }
            self.init(event, pid)
        }

        var rawValue: String { "\(event.rawValue)-\(pid)" }

        var text: String {
            switch event {
            case .exited: "after child \(pid) called _exit(0)"
            case .killed: "right after kill -9 \(pid)"
            }
        }
    }

    /// Starts the server and the clients, waits for every connection and fork, then plays the variant.
    public func run(_ lab: LabRun) throws(LabError) {
        if variant == .orphanSubreaper { try lab.becomeChildSubreaper() }
        let cast = try start(lab, clients: lab.options.clients ?? 3)
        switch variant.plot {
        case .orphans: try orphan(lab, cast)
        case .keepsDescriptor: try keepsDescriptor(lab, cast)
        case .comeAndGo: try comeAndGo(lab, cast)
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

    /// Client `number` (from 1) sends its line and reads the answer from the child serving it.
    private func exchange(_ lab: LabRun, _ cast: Cast, client number: Int) throws(LabError) {
        let client = cast.clients[number - 1]
        client.send("hello from client \(number)")
        try lab.waitForStep(client.label, "to read its answer") { $0.call == "recv" }
    }

    /// Each client in turn sends its line and reads the answer from the child serving it.
    private func exchange(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        for number in cast.clients.indices.map({ $0 + 1 }) { try exchange(lab, cast, client: number) }
    }

    /// Waits for each child's `_exit(0)` report (sent just before the call).
    private func childrenExit(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        for child in cast.children { try childExits(lab, child) }
    }

    private func childExits(_ lab: LabRun, _ child: Int32) throws(LabError) {
        try lab.waitForStep("server child \(child)", "to call _exit(0)") { $0.call == "exit" }
    }

    /// Each client in turn closes its socket and exits.
    private func leave(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        for client in cast.clients {
            client.closeCommands()
            try lab.waitForEnd(client.label)
        }
    }

    /// Records the process table of the server's family at `moment`.
    @discardableResult
    private func processes(_ lab: LabRun, _ cast: Cast, _ moment: some ScenarioMoment, settling: Settling = .processes) -> ProcessSnapshot {
        lab.recordProcesses(moment, settling: settling, root: cast.server.pid, also: cast.children, roles: cast.role)
    }

    /// no-reap, sigchld-ignore, waitpid-handler: serve, let the clients leave, look at the children.
    /// With SIGCHLD ignored, the table is recorded as soon as each child has ended (a zombie, or
    /// gone), before the next client sends.
    private func comeAndGo(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        lab.flush()
        lab.pause("each client sends a line; the child serving it answers and exits")
        for (index, child) in cast.children.enumerated() {
            try exchange(lab, cast, client: index + 1)
            guard reaping == .ignore else { continue }
            try childExits(lab, child)
            // Its end (a zombie, or gone from /proc) is the moment; what it left is for the claims.
            try lab.waitForExit(of: child, "child \(child) to end")
            processes(lab, cast, ChildMoment(.exited, child), settling: .immediately)
            lab.flush()
        }
        try childrenExit(lab, cast)
        try leave(lab, cast)
        lab.recordSockets(Moment.afterClientsLeft, labels: labels(cast))
        processes(lab, cast, Moment.afterClientsLeft)
        lab.flush()
        guard reaping == .none else { return }

        let zombie = cast.children[0]
        lab.pause("the lab sends SIGKILL to zombie \(zombie) (kill -9)")
        lab.killProcess(zombie, with: SIGKILL, why: "kill -9 \(zombie): a zombie has already exited; the kernel drops the signal")
        processes(lab, cast, ChildMoment(.killed, zombie))
        lab.flush()

        lab.pause("the lab kills the parent (SIGTERM); its zombies are re-parented")
        lab.killProcess(cast.server.pid, with: SIGTERM, why: "the parent dies without ever calling wait()")
        try lab.waitForEnd(cast.server.label)
        try adoptAndReap(lab, cast, after: .afterParentDied)
        lab.flush()
    }

    /// How long the lab gives the children's new parent to reap them before it records the table
    /// anyway: PID 1 of some sandboxes reaps only every second or two.
    private static func reapWindow(_ lab: LabRun) -> Double { lab.options.timeout }

    /// After the parent is gone and the children have exited: record who adopted them, reap those
    /// the lab adopted itself, give the others' new parent a bounded window to reap them, and
    /// record what is left.
    private func adoptAndReap(_ lab: LabRun, _ cast: Cast, after moment: Moment) throws(LabError) {
        // The parent's exit re-parented the children before the lab reaped it: nothing to settle.
        let adopted = processes(lab, cast, moment, settling: moment == .afterParentDied ? .immediately : .processes)
        let me = getpid()
        for child in cast.children where adopted.row(child)?.process.parentPID == me { try lab.reapAdopted(child) }
        let children = cast.children
        lab.awaitProcesses("their new parent to reap the children", within: Self.reapWindow(lab), root: cast.server.pid,
                           also: children) { table in !table.contains { children.contains($0.pid) } }
        processes(lab, cast, Moment.afterNewParentReaped, settling: .immediately)
    }

    /// orphan, orphan-subreaper: the parent exits while every child is blocked in recv().
    private func orphan(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        for child in cast.children {
            try lab.waitForStep("server child \(child)", "to close its listening socket and serve") { $0.call == "close" }
        }
        processes(lab, cast, Moment.whileChildrenServe)
        lab.flush()
        lab.pause("the parent exits while its children are still serving")
        cast.server.send("exit")
        try lab.waitForStep(cast.server.label, "to exit") { $0.call == "exit" }
        // Its children still hold its report pipe, so its end is seen in /proc.
        try lab.waitForExit(of: cast.server.pid, "the parent to exit")
        let orphans = processes(lab, cast, Moment.afterParentExited)
        for parent in Set(cast.children.compactMap { orphans.row($0)?.process.parentPID }).sorted() {
            let name = ProcessStat.read(pid: parent)?.command ?? "?"
            let who = parent == getpid() ? "the lab itself (it is a child subreaper)" : parent == 1 ? "PID 1, the init of this pid namespace" : "the nearest subreaper"
            lab.log.note("lab     the orphans' new parent: pid \(parent) (\(name)), \(who)")
        }
        lab.flush()
        lab.pause("the orphans answer their clients and exit")
        try exchange(lab, cast)
        try childrenExit(lab, cast)
        try adoptAndReap(lab, cast, after: .afterOrphansExited)
        try leave(lab, cast)
        lab.flush()
    }

    /// How long the lab watches the capture for the server's FIN to each client once the parent
    /// has exited, and then for the client's ACK of it, before it records the sockets anyway.
    static let finWindow = 1.0

    /// parent-keeps-fd: the children close and exit, the connections stay up until the parent goes.
    private func keepsDescriptor(_ lab: LabRun, _ cast: Cast) throws(LabError) {
        let port = lab.server.port
        lab.flush()
        lab.pause("each client sends a line; the child answers, closes its copy of the socket and exits")
        try exchange(lab, cast)
        try childrenExit(lab, cast)
        processes(lab, cast, Moment.afterChildrenExited)
        lab.recordSockets(Moment.afterChildrenExited, labels: labels(cast))
        lab.flush()
        lab.pause("the parent closes its forgotten copies and exits")
        let segmentsBefore = lab.log.snapshot.segments.count
        cast.server.send("exit")
        try lab.waitForEnd(cast.server.label)
        for endpoint in cast.endpoints {
            let clientPort = UInt16(endpoint.split(separator: ":").last ?? "") ?? 0
            guard let fin = lab.awaitSegment("the server's FIN to \(endpoint)", within: Self.finWindow, after: segmentsBefore, {
                $0.sourcePort == port && $0.destinationPort == clientPort && $0.flags.contains(.fin)
            }) else { continue }
            lab.awaitSegment("\(endpoint)'s ACK of the server's FIN", within: Self.finWindow, after: fin.number) {
                $0.sourcePort == clientPort && $0.destinationPort == port && $0.acknowledgmentNumber == fin.segment.sequenceNumber &+ 1
            }
        }
        lab.recordSockets(Moment.afterParentClosed, labels: labels(cast))
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

extension Zombie.Variant {
    /// The line under the title that says what runs.
    var story: String {
        switch self {
        case .sigchldIgnore: return "a fork-per-connection server with SIGCHLD ignored; clients come and go"
        case .waitpidHandler: return "a fork-per-connection server that reaps in a SIGCHLD-driven waitpid loop; clients come and go"
        case .orphan: return "a fork-per-connection server that exits while its children still serve"
        case .orphanSubreaper: return "a fork-per-connection server that exits while its children still serve; tcplab is the subreaper"
        case .parentKeepsFd: return "a fork-per-connection server whose parent never closes the accepted sockets"
        default: return "a fork-per-connection server that never reaps its children; clients come and go"
        }
    }
}

extension Zombie.Variant {
    /// How the fork server reaps its children in this variant.
    var reaping: ForkServer.Reaping {
        switch self {
        case .noReap: return .none
        case .sigchldIgnore: return .ignore
        default: return .handler
        }
    }
}

extension Zombie.Variant {
    /// What happens after the clients connect: they come and go (the reaping variants), the parent
    /// exits while its children serve (orphans), or the parent keeps the accepted sockets.
    enum Plot { case comeAndGo, orphans, keepsDescriptor }

    var plot: Plot {
        switch self {
        case .noReap, .sigchldIgnore, .waitpidHandler: .comeAndGo
        case .orphan, .orphanSubreaper: .orphans
        case .parentKeepsFd: .keepsDescriptor
        }
    }
}
