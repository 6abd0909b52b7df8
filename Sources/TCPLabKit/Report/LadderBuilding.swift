/// Builds a `Ladder` from what a run recorded (`RunReport`: segments, steps, ends, snapshots), in
/// the timeline's order, or from a decoded capture (`SegmentRow`s only), in capture order.
extension Ladder {
    /// The ladder of a decoded capture: arrows and the state changes they imply (a pcap knows
    /// nothing of calls or /proc), in capture (file) order as the table lists them, not sorted
    /// by time: a capture whose clock went backwards keeps its order, each arrow followed by
    /// the changes it caused (its negative `t ms` stays on the arrow, as the table shows it).
    public init(rows: [SegmentRow]) {
        let changes = LadderChanges(rows, snapshots: [])
        self.init(rows: rows, roles: [:], ordered: rows.flatMap { changes.rows(after: $0) })
    }

    /// The ladder of a live run: arrows, the roles' steps, how each role ended, and the socket
    /// states of every snapshot, in the order `Timeline` gives (a call's result where it returned).
    public init(report: RunReport) {
        let endpoints = Endpoints(report.segments)
        let roles = Ladder.clientRoles(report.steps, endpoints)
        let clientRoles = Set(report.steps.map(\.role).filter { Ladder.side(of: $0) == .client })
        let serverRoles = Set(report.steps.map(\.role).filter { Ladder.side(of: $0) == .server })
        func text(_ role: String, _ what: String) -> String {
            let several = Ladder.side(of: role) == .client ? clientRoles.count > 1 : serverRoles.count > 1
            return several ? "\(role): \(what)" : what
        }
        // A role that died in a call shows it there; the others get a line for their end.
        let diedInCall = Set(report.steps.filter { $0.killedBy != nil }.map(\.role))
        let ends = report.ends.filter { !diedInCall.contains($0.role) }
        let timeline = Timeline(steps: report.steps, segments: report.segments.map(\.time),
                                snapshots: report.snapshots.map(\.time), ends: ends.map(\.diedBy))
        let lanes = Ladder.lanes(roles: roles, steps: report.steps)
        func lane(_ role: String) -> Int { lanes.firstIndex(of: role) ?? 0 }
        let changes = LadderChanges(report.segments, snapshots: report.snapshots, dropped: Set(report.droppedOnInput ?? []))
        let ordered = timeline.entries.flatMap { entry -> [Row] in
            switch entry.event {
            case .segment(let index): return changes.rows(after: report.segments[index])
            case .step(let index, let part):
                let step = report.steps[index]
                return [.step(Ladder.side(of: step.role), text(step.role, step.display(part)), lane: lane(step.role))]
            case .snapshot(let index): return [.states(endpoints.states(report.snapshots[index]))]
            case .end(let index):
                return [.step(Ladder.side(of: ends[index].role), text(ends[index].role, "(\(ends[index].termination))"),
                              lane: lane(ends[index].role))]
            case .note: return []  // the ladder shows no lab notes
            }
        }
        self.init(rows: report.segments, roles: roles, ordered: ordered)
        if lanes.count > 1 {
            clientLanes = lanes
            laneOfConnection = Dictionary(uniqueKeysWithValues: endpoints.clients.keys.map { ($0, roles[$0].map(lane) ?? 0) })
        }
    }

    /// The client roles, each its own lifeline: those that made a connection, in connection
    /// order, then any other client role that made a step.
    static func lanes(roles: [Int: String], steps: [RoleStep]) -> [String] {
        var lanes: [String] = []
        for connection in roles.keys.sorted() where !lanes.contains(roles[connection]!) { lanes.append(roles[connection]!) }
        for step in steps where side(of: step.role) == .client && !lanes.contains(step.role) { lanes.append(step.role) }
        return lanes.isEmpty ? ["client"] : lanes
    }

    /// A ladder of `ordered` rows, already in the order `Timeline` gave them.
    private init(rows segments: [SegmentRow], roles: [Int: String], ordered: [Row]) {
        let endpoints = Endpoints(segments)
        connectionCount = endpoints.clients.count
        if connectionCount == 1, let client = endpoints.clients[1] {
            clientTitle = "\(roles[1] ?? "client") \(client)"
        } else {
            clientTitle = "clients"
        }
        let servers = Set(endpoints.servers.values)
        serverTitle = servers.count == 1 ? "server \(servers.first!)" : "server"
        legend = connectionCount > 1
            ? endpoints.clients.keys.sorted().map { "C\($0) = \(roles[$0] ?? "client") \(endpoints.clients[$0]!)" } : []
        rows = ordered
    }

    /// Roles named `client…` draw on the left; the server, its children and its listener on the right.
    static func side(of role: String) -> Side { role.hasPrefix("client") ? .client : .server }

    /// Which client role made each connection: the one whose connect() had that local address.
    static func clientRoles(_ steps: [RoleStep], _ endpoints: Endpoints) -> [Int: String] {
        var roles: [Int: String] = [:]
        for step in steps where side(of: step.role) == .client {
            guard let local = step.local,
                  let connection = endpoints.clients.first(where: { $0.value == local })?.key else { continue }
            if roles[connection] == nil { roles[connection] = step.role }
        }
        return roles
    }
}

/// Each connection's two addresses, as the segments show them.
struct Endpoints {
    var clients: [Int: String] = [:]
    var servers: [Int: String] = [:]
    /// When each connection's first segment was seen.
    var firstSeen: [Int: Int64] = [:]

    init(_ rows: [SegmentRow]) {
        for row in rows where clients[row.connection] == nil {
            let toServer = row.direction == .clientToServer
            clients[row.connection] = toServer ? row.source : row.destination
            servers[row.connection] = toServer ? row.destination : row.source
            firstSeen[row.connection] = row.time
        }
    }

    /// The state of each side of each connection in `snapshot`: the socket's state, or `gone`
    /// when the connection had begun and its socket is no longer in /proc/net/tcp (Linux lists
    /// no CLOSED socket); an orphaned FIN_WAIT2 (a timewait socket) says `FIN_WAIT2 (timewait)`.
    func states(_ snapshot: RunReport.Snapshot) -> Ladder.States {
        var pairs: [Ladder.States.Pair] = []
        for connection in clients.keys.sorted() {
            guard let client = clients[connection], let server = servers[connection],
                  let first = firstSeen[connection], first <= snapshot.time else { continue }
            func state(_ local: String, _ remote: String) -> String {
                guard let socket = snapshot.sockets.first(where: { $0.local == local && $0.remote == remote }) else { return "gone" }
                return socket.isOrphanedFinWait2 ? "\(socket.state) (timewait)" : socket.state
            }
            pairs.append(.init(connection: connection, client: state(client, server), server: state(server, client)))
        }
        return Ladder.States(moment: snapshot.moment, pairs: pairs)
    }
}

extension RunReport.SocketRow {
    /// A FIN_WAIT2 socket Linux keeps as a timewait socket (it got its FIN's ACK after close()):
    /// /proc lists it with the timewait timer.
    var isOrphanedFinWait2: Bool { state == TCPState.finWait2.name && kernelTimer?.kind == .timeWait }
}

/// The arrows of a capture with the state changes each caused (`StateTracker`) and each
/// connection's window scale, for the ladder's rows.
struct LadderChanges {
    /// The tracker's transitions by the number of the segment that showed them.
    let transitions: [Int: [StateTracker.Transition]]
    /// Each connection's window scale shift per sending side, when both SYNs carried `wscale`.
    var scales: [Int: [Ladder.Side: Int]] = [:]
    /// Sockets some snapshot lists as an orphaned FIN_WAIT2, as `local remote`.
    let orphans: Set<String>
    let endpoints: Endpoints

    /// `dropped`: the segments the run's nft rules dropped on input (`RunReport.droppedOnInput`).
    init(_ rows: [SegmentRow], snapshots: [RunReport.Snapshot], dropped: Set<Int> = []) {
        transitions = Dictionary(grouping: StateTracker(rows, dropped: dropped).transitions, by: \.segment)
        endpoints = Endpoints(rows)
        orphans = Set(snapshots.flatMap(\.sockets).filter(\.isOrphanedFinWait2).map { "\($0.local) \($0.remote)" })
        var offered: [Int: [Ladder.Side: Int]] = [:]
        for row in rows where row.flags.contains("S") {
            let side: Ladder.Side = row.direction == .clientToServer ? .client : .server
            let shift = row.options.lazy.compactMap { $0.hasPrefix("wscale ") ? Int($0.dropFirst(7)) : nil }.first
            offered[row.connection, default: [:]][side] = shift ?? -1
        }
        for (connection, sides) in offered {
            if let client = sides[.client], let server = sides[.server], client >= 0, server >= 0 {
                scales[connection] = [.client: client, .server: server]
            }
        }
    }

    /// The arrow for `row`, then the state changes it caused, if any.
    func rows(after row: SegmentRow) -> [Ladder.Row] {
        let side: Ladder.Side = row.direction == .clientToServer ? .client : .server
        var out: [Ladder.Row] = [.arrow(Ladder.Arrow(row, scale: scales[row.connection]?[side]))]
        var changes: [Ladder.StateChange] = []
        for change in (transitions[row.number] ?? []) where change.connection == row.connection {
            var note = change.note
            if change.to == .finWait2, let client = endpoints.clients[change.connection], let server = endpoints.servers[change.connection] {
                let key = change.side == .client ? "\(client) \(server)" : "\(server) \(client)"
                if orphans.contains(key) { note = "orphaned: /proc lists it with the timewait timer" }
            }
            // One segment moving a side twice reads as one chain: FIN_WAIT1 → FIN_WAIT2 → TIME_WAIT.
            if let last = changes.indices.last, changes[last].side == change.side, changes[last].to == change.from {
                changes[last].via.append(change.from)
                changes[last].to = change.to
                changes[last].note = [changes[last].note, note].compactMap { $0 }.joined(separator: "; ").nilIfEmpty
                continue
            }
            changes.append(Ladder.StateChange(connection: change.connection, side: change.side, from: change.from, to: change.to, note: note))
        }
        if !changes.isEmpty { out.append(.transitions(changes)) }
        return out
    }
}

extension String {
    /// nil for the empty string.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
