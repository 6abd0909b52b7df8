/// The claim every scenario gets: each /proc/net/tcp snapshot of the run lists every connection's
/// sockets in the states the capture led them to (`StateTracker`, RFC 9293's state machine).
///
/// A snapshot is compared with every state each side was in from `before` to `after` its time
/// (microseconds): the table is read just before the snapshot is stamped, and a segment is
/// captured as it is sent, a little before the receiver takes it (up to `lag` later when a qdisc
/// on lo holds it, as close-states' simultaneous variant does). A socket /proc does not list
/// agrees with CLOSED (Linux never lists one) and, for the passive side, with LISTEN (no socket
/// yet for that connection); a FIN_WAIT2 with the timewait timer is the orphaned kind Linux keeps
/// as a timewait socket, and the evidence says so. A segment that the run's own nft rules dropped on
/// input (`Observation.inputDrops`) counts as sent, not as received: the capture on lo saw it before
/// the receiver's input hook dropped it.
public enum StateAgreement {
    /// The claim's id, the same in every scenario.
    public static let id = "states-match-capture"
    static let before: Int64 = 5_000
    static let after: Int64 = 1_000
    /// How long a received segment may still be on its way after its capture time (a qdisc on lo).
    static let lag: Int64 = 250_000

    /// Judges every snapshot of `observation` against the states its capture implies.
    public static func claim(_ observation: Observation) -> Claim {
        var tracker = ConversationTracker()
        let rows = observation.segments.map { tracker.describe($0) }
        let dropped = InputDrops.dropped(observation.segments, by: observation.inputDrops)
        let states = StateTracker(rows, dropped: dropped)
        let endpoints = Endpoints(rows)
        return Claim.check(id, "every /proc/net/tcp snapshot lists each socket in the TCP state the capture led it to (RFC 9293's state machine)", {
            var checked = 0
            var orphans: [String] = []
            for snapshot in observation.snapshots {
                let window = (snapshot.time - before, snapshot.time + after)
                for connection in endpoints.clients.keys.sorted() {
                    guard let client = endpoints.clients[connection], let server = endpoints.servers[connection],
                          let first = endpoints.firstSeen[connection], first <= window.1 else { continue }
                    for (side, local, remote) in [(Ladder.Side.client, client, server), (.server, server, client)] {
                        let listed = snapshot.entry(local: local, remote: remote)
                        let inferred = states.states(connection, side, from: window.0, to: window.1, lag: lag)
                        checked += 1
                        if let listed {
                            guard inferred.contains(listed.state) else {
                                return .failure(disagreement(snapshot, connection, side, listed: listed.state.name, inferred, endpoints))
                            }
                            if listed.state == .finWait2, listed.timer.kind == .timeWait {
                                orphans.append("\(side.rawValue) FIN_WAIT2 with the timewait timer (orphaned: a timewait socket)")
                            }
                        } else if !inferred.contains(where: { $0 == .close || $0 == .listen }) {
                            return .failure(disagreement(snapshot, connection, side, listed: "gone", inferred, endpoints))
                        }
                    }
                }
                // A connection socket of the port that the capture never showed.
                let known = Set(endpoints.clients.keys.flatMap { key in
                    [[endpoints.clients[key]!, endpoints.servers[key]!], [endpoints.servers[key]!, endpoints.clients[key]!]]
                })
                if let stray = snapshot.table.entries.first(where: { $0.state != .listen && $0.remotePort != 0 && !known.contains([$0.local, $0.remote]) }) {
                    return .failure(Unseen("\(snapshot.moment): /proc lists \(stray.local) ↔ \(stray.remote) in \(stray.state.name), a connection the capture has no segment of"))
                }
            }
            let count = observation.snapshots.count
            var text = "\(count) snapshot\(count == 1 ? "" : "s"), \(checked) socket state\(checked == 1 ? "" : "s") checked, all as the capture implies"
            if let orphan = Set(orphans).sorted().first { text += "; \(orphan)" }
            if !dropped.isEmpty {
                text += "; \(dropped.count) segment\(dropped.count == 1 ? "" : "s") dropped by the run's nft rules on input, taken as sent but not received"
            }
            return .success(text)
        }())
    }

    private static func disagreement(
        _ snapshot: SocketSnapshot, _ connection: Int, _ side: Ladder.Side, listed: String, _ inferred: [TCPState], _ endpoints: Endpoints
    ) -> Unseen {
        let who = endpoints.clients.count > 1 ? "connection \(connection)'s \(side.rawValue)" : "the \(side.rawValue)"
        let expected = inferred.map(\.ladderName).joined(separator: " or ")
        return Unseen("\(snapshot.moment): /proc shows \(who) \(listed), the capture implies \(expected)")
    }
}

extension Scenario {
    /// The scenario's own claims, then the claims every scenario gets (`StateAgreement`, when the
    /// run recorded a socket table to check: with none, the claim could not fail, so it is not made).
    public func judge(_ observation: Observation, _ lab: any ClaimContext) -> [Claim] {
        claims(observation, lab) + (observation.snapshots.isEmpty ? [] : [StateAgreement.claim(observation)])
    }
}
