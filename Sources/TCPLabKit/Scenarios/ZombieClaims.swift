import Foundation
import Glibc

extension Zombie {
    /// The claims of the chosen variant, each judged from the process snapshots, the steps the
    /// server, its children and the clients reported, the lab's own kill and waitpid calls and the capture.
    public func claims(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        let evidence = ZombieEvidence(observation, serverPort: lab.server.port)
        return [evidence.eachClientServed()] + variant.claims(evidence)
    }
}

extension Zombie.Variant {
    /// The claims this variant teaches, besides every client being served.
    func claims(_ evidence: ZombieEvidence) -> [Claim] {
        switch self {
        case .noReap: [evidence.zombiesAfterClientsLeft(), evidence.killDoesNothing(), evidence.parentDeathClears()]
        case .sigchldIgnore: [evidence.sigchldIgnored(), evidence.noZombieEver()]
        case .waitpidHandler: [evidence.handlerReapsEach(), evidence.noZombieRemains()]
        case .orphan, .orphanSubreaper:
            [evidence.orphansReparented(toLab: self == .orphanSubreaper), evidence.orphansServe(), evidence.orphansReaped()]
        case .parentKeepsFd: [evidence.childCloseSendsNoFIN(), evidence.finOnLastClose()]
        }
    }
}

/// Finds the zombie story's evidence in an observation.
struct ZombieEvidence {
    let observation: Observation
    let port: UInt16
    let server: Int32?
    /// The children the server forked, in fork order.
    let children: [Int32]
    /// The client labels, `client 1` …, in number order.
    let clients: [String]
    let tables: [ProcessSnapshot]

    init(_ observation: Observation, serverPort: UInt16) {
        self.observation = observation
        port = serverPort
        server = observation.pids["server"]
        children = observation.steps(of: "server").compactMap { step in
            step.call == "fork" ? step.returnValue.flatMap { $0 > 0 ? Int32($0) : nil } : nil
        }
        clients = observation.pids.keys.filter { $0.hasPrefix("client ") }
            .sorted { Int($0.dropFirst(7)) ?? 0 < Int($1.dropFirst(7)) ?? 0 }
        tables = observation.processSnapshots
    }

    private func steps(ofChild pid: Int32) -> [RoleStep] { observation.steps(of: "server child \(pid)").filter { !$0.isNote } }
    private func table(_ moment: Zombie.Moment) -> ProcessSnapshot? { observation.processes(at: moment) }
    private func list(_ pids: [Int32]) -> String { pids.map(String.init).joined(separator: ", ") }
    private var serverCloses: [RoleStep] {
        observation.steps(of: "server").filter { $0.call == "close" && !$0.isNote }
    }
    private func clientPort(_ client: String) -> UInt16? {
        observation.steps(of: client).first { $0.call == "connect" }?.local
            .flatMap { $0.split(separator: ":").last }.flatMap { UInt16($0) }
    }

    func eachClientServed() -> Claim {
        Claim.check("each-client-served", "each client got its line back upper-cased, from a child process of its own", {
            guard !clients.isEmpty else { return .failure(Unseen("no client ran")) }
            guard children.count == clients.count, Set(children).count == children.count else {
                return .failure(Unseen("\(clients.count) clients but the server forked \(children.count) children"))
            }
            var served: [String] = []
            for (number, client) in clients.enumerated() {
                let line = "hello from client \(number + 1)"
                guard let reply = observation.steps(of: client).first(where: { $0.call == "recv" }) else {
                    return .failure(Unseen("\(client) read no answer"))
                }
                guard reply.data == line.uppercased() else { return .failure(Unseen("\(client) \(reply.display)")) }
                guard let child = children.first(where: { steps(ofChild: $0).contains { $0.call == "recv" && $0.data == line } }) else {
                    return .failure(Unseen("no child reported receiving \"\(line)\""))
                }
                served.append("\(client) by child \(child)")
            }
            return .success(served.joined(separator: ", "))
        }())
    }

    // MARK: no-reap

    func zombiesAfterClientsLeft() -> Claim {
        Claim.check("zombies-after-clients-left",
                    "after the clients left, exactly \(children.count) children were zombies (state Z, <defunct>) of the parent", {
            guard let server, let table = table(.afterClientsLeft) else { return .failure(Unseen("no process table after the clients left")) }
            let mine = table.rows.map(\.process).filter { $0.parentPID == server && $0.pid != server }
            let zombies = mine.filter(\.isZombie)
            guard zombies.count == children.count, mine.count == children.count, !children.isEmpty else {
                return .failure(Unseen("children of \(server): " + (mine.isEmpty ? "none" : mine.map { "\($0.pid) \($0.state)" }.joined(separator: ", "))))
            }
            return .success("pids \(list(zombies.map(\.pid))): state Z, ppid \(server), [\(zombies[0].command)] <defunct>")
        }())
    }

    func killDoesNothing() -> Claim {
        Claim.check("kill-zombie-nothing", "kill -9 on a zombie changed nothing: it was still a zombie of the same parent", {
            guard let server, let kill = observation.labKills(SIGKILL).first else { return .failure(Unseen("the lab did not kill a zombie")) }
            let target = kill.pid
            guard table(.afterClientsLeft)?.row(target)?.process.isZombie == true else {
                return .failure(Unseen("\(target) was not a zombie before the kill"))
            }
            let call = "kill(\(target), SIGKILL) = \(kill.result)" + (kill.errno.map { " \(Errno(rawValue: $0))" } ?? "")
            guard kill.result == 0 else { return .failure(Unseen(call)) }
            guard let table = observation.processes(at: Zombie.ChildMoment(.killed, target)) else {
                return .failure(Unseen("no process table after kill -9 \(target)"))
            }
            guard let row = table.row(target) else { return .failure(Unseen("\(target) was gone after kill -9")) }
            guard row.process.isZombie, row.process.parentPID == server else {
                return .failure(Unseen("\(target) state \(row.process.state), ppid \(row.process.parentPID)"))
            }
            return .success("\(call); then \(target) still Z, ppid \(server)")
        }())
    }

    func parentDeathClears() -> Claim {
        Claim.check("parent-death-clears", "killing the parent made the zombies disappear: re-parented, then reaped by their new parent", {
            guard let end = observation.end(of: "server") else { return .failure(Unseen("the parent did not die")) }
            guard let after = table(.afterParentDied), let final = table(.afterNewParentReaped) else {
                return .failure(Unseen("no process table after the parent died"))
            }
            let left = final.rows.map(\.process).filter { children.contains($0.pid) }
            guard left.isEmpty else { return .failure(Unseen("still there: " + left.map { "\($0.pid) \($0.state) ppid \($0.parentPID)" }.joined(separator: ", "))) }
            return .success("parent \(end.termination); " + adoption(after) + "; none left")
        }())
    }

    /// `re-parented to pid 1 (process_api)`, from a table taken after the parent was gone.
    private func adoption(_ table: ProcessSnapshot) -> String {
        let adopted = table.rows.map(\.process).filter { children.contains($0.pid) }
        guard !adopted.isEmpty else { return "already reaped when the lab first looked" }
        let parents = Set(adopted.map(\.parentPID)).sorted().map { pid -> String in
            let row = table.row(pid)
            let role = row?.role.replacingOccurrences(of: "new parent: ", with: "") ?? "?"
            return "pid \(pid) (\(row?.process.command ?? "?"), \(role))"
        }
        return "\(adopted.count) re-parented to " + parents.joined(separator: ", ")
    }

    // MARK: sigchld-ignore, waitpid-handler

    func sigchldIgnored() -> Claim {
        Claim.check("sigchld-ignored", "the server set SIGCHLD to SIG_IGN and never called wait()", {
            guard let call = observation.steps(of: "server").first(where: { $0.call == "signal" && !$0.isNote }) else {
                return .failure(Unseen("the server did not call signal()"))
            }
            guard call.returnValue == 0 else { return .failure(Unseen(call.display)) }
            if let wait = observation.steps(of: "server").first(where: { $0.call == "waitpid" }) { return .failure(Unseen("server \(wait.display)")) }
            return .success("server \(call.display), no waitpid")
        }())
    }

    func noZombieEver() -> Claim {
        Claim.check("no-zombie-ever", "no zombie ever appeared: each child was gone as soon as it exited", {
            guard !tables.isEmpty else { return .failure(Unseen("no process table was taken")) }
            for table in tables {
                if let zombie = table.rows.first(where: \.process.isZombie) {
                    return .failure(Unseen("\(table.moment): \(zombie.process.pid) state Z"))
                }
            }
            var looks = 0
            for child in children {
                guard let table = observation.processes(at: Zombie.ChildMoment(.exited, child)) else {
                    return .failure(Unseen("no look after child \(child) exited"))
                }
                if table.row(child) != nil { return .failure(Unseen("child \(child) still in /proc after its exit")) }
                looks += 1
            }
            return .success("\(looks) looks right after each child's _exit(0) and \(tables.count - looks) after the clients left: no state Z, children \(list(children)) gone")
        }())
    }

    func handlerReapsEach() -> Claim {
        Claim.check("handler-reaps-each", "the SIGCHLD handler's waitpid(-1, WNOHANG) loop reaped every child, each with exit status 0", {
            let reaps = observation.steps(of: "server").filter { $0.call == "waitpid" && ($0.returnValue ?? 0) > 0 }
            var found: [String] = []
            for child in children {
                guard let reap = reaps.first(where: { $0.returnValue == Int(child) }) else { return .failure(Unseen("child \(child) was not reaped by waitpid")) }
                guard reap.data == Termination.exited(0).description else { return .failure(Unseen("child \(child): \(reap.data ?? "?")")) }
                found.append("\(child)")
            }
            guard !found.isEmpty else { return .failure(Unseen("no child was forked")) }
            return .success("waitpid(-1, WNOHANG) = \(found.joined(separator: ", ")), each exited with status 0")
        }())
    }

    func noZombieRemains() -> Claim {
        Claim.check("no-zombie-remains", "no zombie remained: the table after the clients left shows the server alone", {
            guard let table = table(.afterClientsLeft) else { return .failure(Unseen("no process table after the clients left")) }
            let others = table.rows.map(\.process).filter { $0.pid != server }
            guard others.isEmpty else { return .failure(Unseen(others.map { "\($0.pid) \($0.state)" }.joined(separator: ", "))) }
            return .success("only the server (pid \(server.map(String.init) ?? "?")) in the table")
        }())
    }

    // MARK: orphan

    func orphansReparented(toLab: Bool) -> Claim {
        let statement = toLab
            ? "after the parent exited, its children (still serving) were re-parented to the lab, the child subreaper"
            : "after the parent exited, its children (still serving) were re-parented to PID 1 or the nearest subreaper"
        return Claim.check(toLab ? "orphans-to-lab" : "orphans-reparented", statement, {
            guard let server, let table = table(.afterParentExited) else { return .failure(Unseen("no process table after the parent exited")) }
            if table.row(server) != nil { return .failure(Unseen("the parent \(server) was still there")) }
            var parents = Set<Int32>()
            for child in children {
                guard let row = table.row(child) else { return .failure(Unseen("child \(child) was gone already")) }
                guard !row.process.isZombie, row.process.parentPID != server else {
                    return .failure(Unseen("child \(child) state \(row.process.state), ppid \(row.process.parentPID)"))
                }
                parents.insert(row.process.parentPID)
            }
            if toLab {
                guard parents.count == 1, let parent = parents.first, table.row(parent)?.role.hasPrefix("lab") == true else {
                    return .failure(Unseen("new parents " + parents.sorted().map { "\($0) (\(table.row($0)?.role ?? "?"))" }.joined(separator: ", ")))
                }
            }
            return .success("children \(list(children)): " + adoption(table))
        }())
    }

    func orphansServe() -> Claim {
        Claim.check("orphans-serve", "the orphans went on serving: each answered its client after the parent had exited", {
            guard let exit = observation.steps(of: "server").first(where: { $0.call == "exit" }) else {
                return .failure(Unseen("the parent never exited"))
            }
            for child in children {
                guard let send = steps(ofChild: child).first(where: { $0.call == "send" }) else { return .failure(Unseen("child \(child) sent nothing")) }
                guard send.began > exit.began, send.returnValue ?? -1 > 0 else {
                    return .failure(Unseen("child \(child) \(send.display) before the parent's exit"))
                }
            }
            return .success("parent exit(0), then children \(list(children)) each send() their answer")
        }())
    }

    func orphansReaped() -> Claim {
        Claim.check("orphans-reaped", "each orphan finished and was reaped by its new parent: no zombie left", {
            guard let final = table(.afterNewParentReaped) else { return .failure(Unseen("no process table after the orphans finished")) }
            let left = final.rows.map(\.process).filter { children.contains($0.pid) }
            guard left.isEmpty, !children.isEmpty else {
                return .failure(Unseen("still there: " + left.map { "\($0.pid) \($0.state) ppid \($0.parentPID)" }.joined(separator: ", ")))
            }
            let byLab = children.filter { observation.labReap(of: $0)?.termination == .exited(0) }
            let reaper = byLab.count == children.count ? "the lab's waitpid(pid) reaped \(list(byLab)), each exited with status 0"
                : table(.afterOrphansExited).map(adoption) ?? "?"
            return .success("children \(list(children)) gone from /proc; \(reaper)")
        }())
    }

    // MARK: parent-keeps-fd

    func childCloseSendsNoFIN() -> Claim {
        Claim.check("child-close-no-fin", "each child's close() sent no FIN: the parent still held a copy, and the connection stayed ESTABLISHED", {
            guard let server else { return .failure(Unseen("no server")) }
            if let unprovable = observation.absenceUnprovable { return .failure(unprovable) }
            let parentClose = serverCloses.first?.began ?? Int64.max
            for child in children {
                guard let close = steps(ofChild: child).last(where: { $0.call == "close" }), close.returnValue == 0 else {
                    return .failure(Unseen("child \(child) did not close its socket"))
                }
                if let fin = observation.segments.first(where: {
                    $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) && $0.time >= close.began && $0.time < parentClose
                }) { return .failure(Unseen("FIN #\(fin.number) after child \(child)'s close()")) }
            }
            guard let snapshot = observation.sockets(at: Zombie.Moment.afterChildrenExited) else {
                return .failure(Unseen("no socket table after the children exited"))
            }
            let serverSides = snapshot.table.entries.filter { $0.localPort == port && $0.state != .listen }
            guard serverSides.count == clients.count, serverSides.allSatisfy({ $0.state == .established }) else {
                return .failure(Unseen(snapshot.summary))
            }
            let holders = Set(serverSides.flatMap { snapshot.table.owners(of: $0).map(\.pid) })
            guard holders == [server] else { return .failure(Unseen("server sides held by pids \(holders.sorted())")) }
            return .success("children \(list(children)) close() = 0, no FIN; \(serverSides.count) server sides ESTABLISHED, held by the parent \(server) alone")
        }())
    }

    func finOnLastClose() -> Claim {
        Claim.check("fin-on-last-close",
                    "the FIN came only when the parent closed its copy: a socket is closed when its last descriptor is", {
            guard let first = serverCloses.first else { return .failure(Unseen("the parent never closed its copies")) }
            var fins: [String] = []
            for client in clients {
                guard let clientPort = clientPort(client) else { return .failure(Unseen("\(client) has no endpoint")) }
                guard let fin = observation.segments.first(where: {
                    $0.segment.sourcePort == port && $0.segment.destinationPort == clientPort && $0.segment.flags.contains(.fin)
                }) else { return .failure(Unseen("no FIN to \(client)")) }
                guard fin.time >= first.began else { return .failure(Unseen("FIN #\(fin.number) to \(client) came before the parent's close()")) }
                fins.append("#\(fin.number)")
            }
            return .success("parent close() x\(serverCloses.count), then FIN \(fins.joined(separator: ", "))")
        }())
    }
}
