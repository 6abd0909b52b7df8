/// Builds a `Ladder` from what a run recorded (`RunReport`: segments, steps, ends, snapshots) or
/// from a decoded capture (`SegmentRow`s only), in the timeline's order.
extension Ladder {
    /// The ladder of a decoded capture: arrows only (a pcap knows nothing of calls or states).
    public init(rows: [SegmentRow]) {
        let ordered = Timeline(steps: [], segments: rows.map(\.time)).entries.compactMap { entry -> Row? in
            guard case .segment(let index) = entry.event else { return nil }
            return .arrow(Arrow(rows[index]))
        }
        self.init(rows: rows, roles: [:], ordered: ordered)
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
        let ordered = timeline.entries.compactMap { entry -> Row? in
            switch entry.event {
            case .segment(let index): return .arrow(Arrow(report.segments[index]))
            case .step(let index, let part):
                let step = report.steps[index]
                return .step(Ladder.side(of: step.role), text(step.role, step.display(part)))
            case .snapshot(let index): return .states(endpoints.states(report.snapshots[index]))
            case .end(let index):
                return .step(Ladder.side(of: ends[index].role), text(ends[index].role, "(\(ends[index].termination))"))
            case .note: return nil  // the ladder shows no lab notes
            }
        }
        self.init(rows: report.segments, roles: roles, ordered: ordered)
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

    /// The state of each side of each connection in `snapshot`: the socket's state, or CLOSED
    /// when the connection had begun and its socket is no longer in /proc/net/tcp.
    func states(_ snapshot: RunReport.Snapshot) -> Ladder.States {
        var pairs: [Ladder.States.Pair] = []
        for connection in clients.keys.sorted() {
            guard let client = clients[connection], let server = servers[connection],
                  let first = firstSeen[connection], first <= snapshot.time else { continue }
            func state(_ local: String, _ remote: String) -> String {
                snapshot.sockets.first { $0.local == local && $0.remote == remote }?.state ?? "CLOSED"
            }
            pairs.append(.init(connection: connection, client: state(client, server), server: state(server, client)))
        }
        return Ladder.States(moment: snapshot.moment, pairs: pairs)
    }
}
