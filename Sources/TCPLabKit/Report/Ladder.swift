/// A run as a sequence ("ladder") diagram: client on the left, server on the right, one arrow per
/// segment, the application steps on the side that made them and the socket states between the
/// arrows. The model is shared by the terminal drawing (`LadderText`) and the SVG (`HTMLLadder`),
/// so both show exactly the same rows.
///
/// A run with several connections (iterative, concurrency, zombie) is drawn as ONE ladder in time
/// order, each arrow tagged with its connection (`C1`, `C2` …) and each step with its role: the
/// point of those scenarios is what happens to one client while another is served, which
/// separate ladders per connection would hide.
public struct Ladder: Sendable, Equatable {
    /// Which lifeline something belongs to.
    public enum Side: String, Sendable, Equatable { case client, server }

    /// One segment, drawn from the side that sent it.
    public struct Arrow: Sendable, Equatable {
        /// The segment's number in the capture (Wireshark's No.).
        public var number: Int
        public var connection: Int
        public var from: Side
        /// What kind of segment, for the SVG's colours.
        public var kind: Kind
        /// Flags, relative seq/ack, length and payload preview: `P. 1:5 ack 1 len 4 "haha"`.
        public var label: String
        /// What the segment means, drawn near the arrow head: `RST: data for a socket nobody holds`.
        public var detail: String
        /// Milliseconds since the capture's first segment, as the timeline's `t ms`.
        public var milliseconds: Double = 0
        /// The advertised window in bytes (`win 65536`) when the connection's window scale is
        /// known (both SYNs carried `wscale`, RFC 7323 section 2.2), else the raw field (`win 64`).
        public var window: String = ""
    }

    /// The segment's most telling flag: an RST ends things, a FIN closes a side, a SYN opens one.
    public enum Kind: String, Sendable, Equatable { case syn, fin, rst, data, ack }

    /// The socket states a `/proc/net/tcp` snapshot showed: each connection's two sides.
    public struct States: Sendable, Equatable {
        /// One connection's sockets: their state names as /proc lists them, `gone` once a socket
        /// is no longer listed (Linux never lists a CLOSED socket), and `FIN_WAIT2 (timewait)` for
        /// the orphaned kind Linux keeps as a timewait socket.
        public struct Pair: Sendable, Equatable {
            public var connection: Int
            public var client: String
            public var server: String
        }
        /// When the snapshot was taken: `after the server's close()`.
        public var moment: String
        /// Only the connections that had begun by then.
        public var pairs: [Pair]
    }

    /// One side of one connection changing TCP state, as the capture implies (`StateTracker`).
    public struct StateChange: Sendable, Equatable {
        public var connection: Int
        public var side: Side
        public var from: TCPState
        public var to: TCPState
        /// States passed through on the way, when one segment moved the side twice (a FIN that
        /// also ACKs this side's FIN: FIN_WAIT1 → FIN_WAIT2 → TIME_WAIT).
        public var via: [TCPState] = []
        /// What needs saying besides the names: `orphaned: /proc lists it with the timewait timer`.
        public var note: String?

        /// `ESTABLISHED → FIN_WAIT1`, with `CLOSED (gone)` for a socket that is no more.
        public func text(arrow: String = "→") -> String {
            let to = self.to == .close ? "CLOSED (gone)" : self.to.ladderName
            return ([from] + via).map { "\($0.ladderName) \(arrow) " }.joined() + to + (note.map { " (\($0))" } ?? "")
        }
    }

    /// One row of the diagram.
    public enum Row: Sendable, Equatable {
        case arrow(Arrow)
        /// An application step (or how a role ended), on its role's side; `lane` is the role's
        /// index in `clientLanes` for a client step, 0 for the server.
        case step(Side, String, lane: Int)
        case states(States)
        /// The state changes the arrow above caused, on the sides that changed.
        case transitions([StateChange])
    }

    /// `client 127.0.0.1:41484` or `clients`.
    public var clientTitle: String
    /// `server 127.0.0.1:7777`.
    public var serverTitle: String
    /// For runs with several connections: `C2 = client 2 127.0.0.1:41486`.
    public var legend: [String]
    public var connectionCount: Int
    public var rows: [Row]
    /// The client lifelines of the HTML drawing: one per client role (`client A`, `client B`), or
    /// one `client` when the run had one client or names none.
    public var clientLanes: [String] = ["client"]
    /// Which client lifeline each connection starts from, by connection number.
    public var laneOfConnection: [Int: Int] = [:]

    /// The arrows alone, in order.
    public var arrows: [Arrow] {
        rows.compactMap { if case .arrow(let arrow) = $0 { return arrow } else { return nil } }
    }

    /// `C2` when the run has several connections, empty otherwise.
    public func tag(_ connection: Int) -> String { connectionCount > 1 ? "C\(connection)" : "" }
}

extension Ladder.Arrow {
    /// The arrow for one decoded row; `scale` is the sender's window scale shift, if known.
    init(_ row: SegmentRow, scale: Int?) {
        self.init(row)
        milliseconds = row.milliseconds
        // RFC 7323: the window of a SYN is never scaled.
        if let scale, !row.flags.contains("S") {
            window = "win \(Int(row.window) << scale)"
        } else {
            window = "win \(row.window)"
        }
    }

    /// The arrow for one decoded row.
    init(_ row: SegmentRow) {
        number = row.number
        connection = row.connection
        from = row.direction == .clientToServer ? .client : .server
        kind = row.flags.contains("R") ? .rst : row.flags.contains("F") ? .fin : row.flags.contains("S") ? .syn
            : row.length > 0 ? .data : .ack
        var label = "\(row.flags) \(row.sequenceText)"
        if let ack = row.acknowledgment { label += " ack \(ack)" }
        if row.length > 0 { label += " len \(row.length)" }
        label += " win \(row.windowBytes ?? UInt32(row.window))"
        if let preview = row.payloadPreview { label += " " + LadderText.clipped(preview, to: 26, ellipsis: "…\"") }
        self.label = label
        var detail = row.annotation
        // "SYN" repeats the flags; the options are what the handshake negotiates.
        if detail == "SYN" || detail == "SYN-ACK" {
            detail = row.options.filter { !$0.hasPrefix("TS ") && !TCPOption.isPaddingText($0) }.joined(separator: ", ")
        }
        // The annotation already carries the analysis flags (`[TCP Dup ACK 7#1]`); a SACK block is
        // what a duplicate ACK tells the sender, so it is shown with them.
        for sack in row.options where sack.hasPrefix("sack ") { detail += detail.isEmpty ? sack : "  \(sack)" }
        self.detail = detail
    }
}
