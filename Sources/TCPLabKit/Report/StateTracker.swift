/// Each side's TCP state, segment by segment, inferred from a capture with RFC 9293's state
/// machine (section 3.3.2, figure 5): what the ladder draws between the arrows, and what every
/// /proc/net/tcp snapshot of a run is checked against (`StateAgreement`).
///
/// A side changes state when it SENDS a segment that says so (SYN: SYN_SENT; SYN-ACK: SYN_RECV;
/// FIN: FIN_WAIT1 or LAST_ACK; RST: CLOSED) and when it RECEIVES one (SYN-ACK: ESTABLISHED; the
/// ACK of its SYN: ESTABLISHED; the ACK of its FIN: FIN_WAIT2, TIME_WAIT or CLOSED; the peer's
/// FIN: CLOSE_WAIT, CLOSING or TIME_WAIT; RST: CLOSED). On loopback a segment is captured as it
/// is sent and taken by the receiver microseconds later, so the capture time is the transition's.
/// The exception is a segment that the run's own nft rules dropped on input (`InputDrops`).
/// The capture saw it leave, but it never reached the receiver. Its sender changes state, and
/// its receiver does not: keepalive's client sends an RST to a vanished server and becomes
/// CLOSED, while the server stays ESTABLISHED.
///
/// Linux behaviour relied on:
/// - A passive side has no socket for the connection until it answers the SYN (the SYN-ACK);
///   before that its state is LISTEN (the listener's), and /proc lists nothing for the 4-tuple.
/// - With the accept queue full (`tcp_abort_on_overflow` 0) the kernel drops the ACK that ends
///   the handshake and resends its SYN-ACK: an ACK followed by another SYN-ACK from the same side
///   was not taken, and that side stays SYN_RECV.
/// - A FIN is taken only in order: one captured after a hole (a lost segment) counts once the
///   hole is filled. Data that came beyond the hole waits in the out-of-order queue and is in
///   order once the hole is filled (`tcp_ofo_queue`).
/// - CLOSED is RFC 9293's name for "no connection": Linux never lists a CLOSED socket, the row
///   vanishes from /proc/net/tcp (`tcp_done`).
/// - A socket that gets its FIN's ACK after close() (orphaned) becomes a timewait socket whose
///   substate is FIN_WAIT2 (`tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)`): /proc shows FIN_WAIT2 with
///   the timewait timer, and no process holds it.
public struct StateTracker: Sendable, Equatable {
    /// One change of one side's state, caused by one segment.
    public struct Transition: Sendable, Equatable {
        public var connection: Int
        public var side: Ladder.Side
        public var from: TCPState
        /// `.close` is RFC 9293's CLOSED: the socket is gone.
        public var to: TCPState
        /// CLOCK_REALTIME microseconds: the capture time of the segment that caused it.
        public var time: Int64
        /// The number of the segment whose capture showed it (drawn after that arrow).
        public var segment: Int
        /// True when sending the segment caused it: the sender changed state when it queued the
        /// segment, which may be before the capture saw it leave (a qdisc on lo delays it).
        public var bySending: Bool
        /// Why it is shown where it is, when that needs saying: `its FIN #9 queued first`.
        public var note: String?
    }

    /// Every transition of every side, in capture order.
    public private(set) var transitions: [Transition] = []
    /// Each connection's sides' first state (CLOSED and LISTEN; ESTABLISHED both when the
    /// capture began mid-connection).
    public private(set) var initial: [Int: [Ladder.Side: TCPState]] = [:]

    /// The states of every connection in `rows` (one capture, in capture order). `dropped` holds
    /// the numbers of the segments that never reached their receiver
    /// (`InputDrops.dropped(_:by:)`). Such a segment changes only its sender's state.
    public init(_ rows: [SegmentRow], dropped: Set<Int> = []) {
        var connections: [Int: ConnectionStates] = [:]
        // Each connection's rows, so that looking ahead costs one connection's length, not the capture's.
        var byConnection: [Int: [SegmentRow]] = [:]
        var position: [Int] = []
        for row in rows {
            position.append(byConnection[row.connection, default: []].count)
            byConnection[row.connection, default: []].append(row)
        }
        for (index, row) in rows.enumerated() {
            let from: Ladder.Side = row.direction == .clientToServer ? .client : .server
            var states = connections[row.connection] ?? ConnectionStates(first: row)
            if connections[row.connection] == nil { initial[row.connection] = states.state }
            let own = byConnection[row.connection]!
            let later = own[(position[index] + 1)...].lazy.filter { $0.direction == row.direction.reversed }
            for change in states.take(row, from: from, delivered: !dropped.contains(row.number), receiverLater: later) {
                transitions.append(Transition(connection: row.connection, side: change.side, from: change.from, to: change.to,
                                              time: row.time, segment: row.number, bySending: change.bySending, note: change.note))
            }
            connections[row.connection] = states
        }
    }

    /// The state of `side` of `connection` at `time` (after every segment captured up to then).
    public func state(_ connection: Int, _ side: Ladder.Side, at time: Int64) -> TCPState? {
        guard let first = initial[connection] else { return nil }
        guard var state = first[side] else { return nil }
        for transition in transitions where transition.connection == connection && transition.side == side && transition.time <= time {
            state = transition.to
        }
        return state
    }

    /// Every state `side` of `connection` was in at some instant from `start` to `end`, and the
    /// one its next segment put it in when sending that segment caused the next change (the
    /// sender moves when it queues the segment, the capture sees it when it leaves).
    ///
    /// `lag` (microseconds) widens the window back for changes caused by RECEIVING a segment: the
    /// state before such a change stays possible that long after its capture time, since a qdisc
    /// on lo (the tbf of close-states' simultaneous variant) can hold a segment after the capture
    /// stamped it.
    public func states(_ connection: Int, _ side: Ladder.Side, from start: Int64, to end: Int64, lag: Int64 = 0) -> [TCPState] {
        guard let first = state(connection, side, at: start) else { return [] }
        var seen = [first]
        for transition in transitions where transition.connection == connection && transition.side == side && !transition.bySending
            && transition.time > start - lag && transition.time <= start && !seen.contains(transition.from)
        {
            seen.append(transition.from)
        }
        for transition in transitions where transition.connection == connection && transition.side == side && transition.time > start {
            if transition.time <= end || transition.bySending, !seen.contains(transition.to) { seen.append(transition.to) }
            if transition.time > end { break }
        }
        return seen
    }

    /// The transitions `segment` caused.
    public func transitions(causedBy segment: Int) -> [Transition] { transitions.filter { $0.segment == segment } }
}

extension TCPState {
    /// The state's name on the ladder: netstat's, and RFC 9293's CLOSED for `TCP_CLOSE`.
    public var ladderName: String { self == .close ? "CLOSED" : name }
}

extension SegmentRow.Direction {
    var reversed: SegmentRow.Direction { self == .clientToServer ? .serverToClient : .clientToServer }
}

/// One connection's two sides while the tracker walks the capture.
private struct ConnectionStates {
    var state: [Ladder.Side: TCPState]
    /// The sequence number each side's SYN used (relative or absolute, as the rows give it).
    var synSequence: [Ladder.Side: UInt32] = [:]
    /// The sequence number each side's FIN used.
    var finSequence: [Ladder.Side: UInt32] = [:]
    /// The next in-order sequence number each side expects from its peer (nil: not known).
    var expected: [Ladder.Side: UInt32] = [:]
    /// A peer's FIN captured after a hole, not yet taken: its sequence number.
    var pendingFin: [Ladder.Side: UInt32] = [:]
    /// Data each side took beyond a hole (the kernel's out-of-order queue), as sequence ranges.
    var outOfOrder: [Ladder.Side: [(start: UInt32, end: UInt32)]] = [:]

    init(first row: SegmentRow) {
        if row.flags.contains("S") {
            state = [.client: .close, .server: .listen]
        } else {
            // Mid-connection: the handshake is not in the capture.
            state = [.client: .established, .server: .established]
        }
    }

    /// One change, as `take` finds it.
    struct Change {
        var side: Ladder.Side, from: TCPState, to: TCPState, bySending: Bool, note: String?
    }

    /// Applies `row`, sent by `from` (and taken by the receiver when `delivered`); `receiverLater`
    /// is what the receiver sends after it. Returns the changes in the order they happened.
    mutating func take(_ row: SegmentRow, from: Ladder.Side, delivered: Bool, receiverLater: some Sequence<SegmentRow>) -> [Change] {
        let to: Ladder.Side = from == .client ? .server : .client
        let flags = row.flags
        let syn = flags.contains("S"), fin = flags.contains("F"), rst = flags.contains("R")
        let ack = flags.contains(".") ? row.acknowledgment : nil
        var changes: [Change] = []
        func move(_ side: Ladder.Side, _ new: TCPState, queued segment: Int? = nil) {
            guard let old = state[side], old != new else { return }
            state[side] = new
            changes.append(Change(side: side, from: old, to: new, bySending: segment != nil || side == from,
                                  note: segment.map { "its FIN #\($0) queued first" }))
        }
        var resentSynAckLater: Bool { receiverLater.contains { $0.flags.contains("S") && $0.flags.contains(".") } }

        // What the sender did by sending it.
        if rst {
            if state[from] != .listen, state[from] != .close { move(from, .close) }
            if delivered, state[to] != .listen, state[to] != .close { move(to, .close) }
            return changes
        }
        if syn {
            synSequence[from] = row.sequence
            if ack == nil {
                if state[from] == .close { move(from, .synSent) }
            } else if state[from] == .listen || state[from] == .synSent {
                move(from, .synReceived)
            }
        }
        if fin {
            let finAt = row.sequence &+ UInt32(row.length) &+ (syn ? 1 : 0)
            finSequence[from] = finAt
            switch state[from] {
            case .established?, .synReceived?: move(from, .finWait1)
            case .closeWait?: move(from, .lastAck)
            default: break
            }
        }

        // What the receiver did on taking it: nothing, when nft dropped it on the way in.
        guard delivered else { return changes }
        if syn {
            expected[to] = row.sequence &+ 1
            if ack != nil, state[to] == .synSent, ack == synSequence[to].map({ $0 &+ 1 }) { move(to, .established) }
        }
        if let ack, !syn {
            if state[to] == .synReceived, ack == synSequence[to].map({ $0 &+ 1 }), !resentSynAckLater { move(to, .established) }
            if let ours = finSequence[to], ack == ours &+ 1 {
                switch state[to] {
                case .finWait1?: move(to, .finWait2)
                case .closing?: move(to, .timeWait)
                case .lastAck?: move(to, .close)
                default: break
                }
            }
        }
        // Data in order moves what the receiver expects; a FIN counts once everything before it came.
        let start = row.sequence &+ (syn ? 1 : 0)
        if let next = expected[to], !syn, row.length > 0 {
            let end = start &+ UInt32(row.length)
            if Int32(bitPattern: end &- next) <= 0 {
                // Old data, taken before.
            } else if Int32(bitPattern: start &- next) > 0 {
                outOfOrder[to, default: []].append((start, end))
            } else {
                // The hole is filled: what waited beyond it is in order now.
                var reach = end
                var waiting = outOfOrder[to] ?? []
                while let index = waiting.firstIndex(where: { Int32(bitPattern: $0.start &- reach) <= 0 }) {
                    if Int32(bitPattern: waiting[index].end &- reach) > 0 { reach = waiting[index].end }
                    waiting.remove(at: index)
                }
                outOfOrder[to] = waiting
                expected[to] = reach
            }
        }
        if fin { pendingFin[to] = row.sequence &+ UInt32(row.length) &+ (syn ? 1 : 0) }
        if let finAt = pendingFin[to], expected[to].map({ Int32(bitPattern: finAt &- $0) <= 0 }) ?? true {
            pendingFin[to] = nil
            expected[to] = finAt &+ 1
            // Simultaneous close: the receiver's own FIN, captured later, does not ACK this one,
            // so it was queued before this FIN was taken (a qdisc held it): FIN_WAIT1 first.
            if state[to] == .established, let own = receiverLater.first(where: { $0.flags.contains("F") || $0.flags.contains("R") }),
               own.flags.contains("F"), own.acknowledgment != finAt &+ 1
            {
                finSequence[to] = own.sequence &+ UInt32(own.length)
                move(to, .finWait1, queued: own.number)
            }
            switch state[to] {
            case .established?, .synReceived?: move(to, .closeWait)
            case .finWait1?: move(to, .closing)
            case .finWait2?: move(to, .timeWait)
            default: break
            }
        }
        return changes
    }
}
