/// loss: a client sends to a server that only reads, and nftables drops chosen segments on
/// arrival; the sender's kernel finds out and sends them again.
///
/// There is no netem on this kernel, but nft works in the run's own namespace: an input-hook
/// rule drops, on the receiving side, the segment whose payload starts with a marker (or the
/// first SYN). The capture on `lo` sees each segment before the drop, so it shows the original
/// and then the retransmission: after the retransmission timeout (RTO, RFC 6298), doubled when
/// lost again; after duplicate ACKs whose SACK blocks name the hole (fast retransmit, RFC 5681,
/// RFC 6675, RACK in RFC 8985); after a tail loss probe; or a SYN resent after 1 s.
public struct Loss: Scenario {
    public static let name = "loss"
    public static let summary = "nftables drops chosen segments on arrival: retransmission timeout and backoff, fast retransmit with SACK, tail loss probe, a lost SYN"

    /// `--variant NAME`; the first case is the default.
    public enum Variant: String, ScenarioVariant {
        case rto = "rto"
        case fastRetransmit = "fast-retransmit"
        case synLoss = "syn-loss"
        case tailLoss = "tail-loss"

        public var summary: String {
            switch self {
            case .rto: "one message lost twice: resent after the retransmission timeout (>= 200 ms), then after twice that"
            case .fastRetransmit: "one segment of a burst lost: duplicate ACKs with SACK blocks name the hole; resent at once, long before the RTO"
            case .synLoss: "the first SYN lost: connect() waits and the SYN is resent after 1 s"
            case .tailLoss: "the last two segments of a burst lost: no duplicate ACK can come; a tail loss probe resends the last one within milliseconds"
            }
        }
    }

    public let variant: Variant

    public init(variant: Variant) { self.variant = variant }

    /// One burst: `count` segments of `size` bytes, each starting with `segN ` (N from 1).
    static let burstCount = 6
    static let segmentSize = 500
    /// TCP_MAXSEG for the burst variants: 512 - 12 bytes of timestamp option = 500-byte segments.
    static let maximumSegment: Int32 = 512
    /// The burst variants' server SO_RCVBUF: a window that cannot grow while the hole is open.
    static let receiveBuffer: Int32 = 16384
    /// The rto variant's message; nft drops its first two copies.
    static let rtoMessage = "lost twice, then delivered"
    /// The syn-loss variant's message, sent once the connection is up.
    static let hello = "hello after a lost SYN"
    /// How long the lab watches for the bytes to reach the server (two RTOs take ~0.65 s).
    static let deliveryWindow = 2.5
    /// How long the lab watches for a segment a claim judges (an ACK, a FIN).
    static let segmentWindow = 1.0

    /// The payload of burst segment `index` (1-based): `seg3 ` then dots, `segmentSize` bytes.
    static func burstSegment(_ index: Int) -> String {
        let head = "seg\(index) "
        return head + String(repeating: ".", count: segmentSize - head.utf8.count)
    }

    /// What the client sends, in one send().
    var payload: String {
        switch variant {
        case .rto: Self.rtoMessage
        case .synLoss: Self.hello
        case .fastRetransmit, .tailLoss: (1...Self.burstCount).map(Self.burstSegment).joined()
        }
    }

    /// The burst segments nft drops (1-based), for the burst variants.
    var droppedSegments: [Int] {
        switch variant {
        case .fastRetransmit: [3]
        case .tailLoss: [Self.burstCount - 1, Self.burstCount]
        case .rto, .synLoss: []
        }
    }

    /// The drop rules for the run's server port.
    func ruleset(port: UInt16) -> NftRuleset {
        switch variant {
        case .rto:
            return NftRuleset([.init([.destinationPort(port), .payloadPrefix("lost")], count: 2, why: "the message, twice")])
        case .synLoss:
            return NftRuleset([.init([.destinationPort(port), .connectionRequest], count: 1, why: "the first SYN")])
        case .fastRetransmit, .tailLoss:
            return NftRuleset(droppedSegments.map {
                .init([.destinationPort(port), .payloadPrefix("seg\($0)")], count: 1, why: "burst segment \($0), once")
            })
        }
    }

    public var story: String {
        switch variant {
        case .rto: "a client sends one message; nft drops its first two copies on arrival"
        case .fastRetransmit: "a client sends \(Self.burstCount) segments in one burst; nft drops segment 3 once on arrival"
        case .synLoss: "a client connects; nft drops its first SYN on arrival"
        case .tailLoss: "a client sends \(Self.burstCount) segments in one burst; nft drops the last two once on arrival"
        }
    }

    /// Loads the drop rules, starts the reading server and the client, lets the client send,
    /// watches (bounded) for every byte to reach the server and for its ACK, then closes.
    public func run(_ lab: LabRun) throws(LabError) {
        let port = lab.server.port
        let rules = ruleset(port: port)
        try lab.drop(rules)
        var settings: [String] = []
        if variant == .rto {
            // The first resend of a lone lost segment would otherwise be a tail loss probe, due at
            // about the same time; without it every resend is the RTO's, and the backoff shows.
            try NamespaceSysctl.set("ipv4/tcp_early_retrans", "0", isolation: lab.isolation)
            settings.append("net.ipv4.tcp_early_retrans = 0 in this namespace: no tail loss probe, so every resend here is the retransmission timer's (the tail-loss variant shows the probe)")
        }
        let burst = variant == .fastRetransmit || variant == .tailLoss
        let offload = SegmentOffload()
        if burst {
            try offload.apply(isolation: lab.isolation)
            settings.append(offload.description)
            settings.append("the server sets SO_RCVBUF \(Self.receiveBuffer) and reads only after the burst: its window stays put while the hole is open, so its repeated ACKs are duplicates")
        }
        let server = try lab.startServer(.sinkServer(receiveBuffer: burst ? Self.receiveBuffer : nil, readsWhenTold: burst))
        let client = try lab.spawn("client", .lossClient(maximumSegment: burst ? Self.maximumSegment : nil))
        lab.say("server \(lab.server.description) (pid \(server.pid))   client pid \(client.pid)   net: \(lab.isolation.description)")
        for drop in rules.drops { lab.say("drop: nft add rule inet \(NftRuleset.table) input \(drop.text)") }
        settings.forEach { lab.say("      \($0)") }
        lab.say("")
        guard try lab.awaitStep("client", "to connect", within: lab.options.timeout, { $0.call == "connect" }) != nil else {
            lab.flush()
            return
        }
        try lab.waitForSegment("the handshake's final ACK") { $0.destinationPort == port && $0.flags == .ack }
        try lab.waitForStep("server", "to accept the connection") { $0.call == "accept" }
        lab.flush()

        let bytes = payload.utf8.count
        lab.pause(burst
            ? "the client sends \(bytes) bytes in one send(): \(Self.burstCount) segments of \(Self.segmentSize) bytes (TCP_MAXSEG \(Self.maximumSegment))"
            : "the client sends \(quoted(payload)) (\(bytes) bytes)")
        client.send("send \(payload)")
        try lab.waitForStep("client", "to send") { $0.call == "send" }
        if variant == .tailLoss { readRoundTripAfterProbe(lab, port: port) }
        if burst {
            // The server reads once its kernel holds every byte (or the window is over): the
            // ACK covering the end is what the claims judge, the read comes after it.
            if let isn = LossFacts(lab.log.snapshot, serverPort: port).clientISN {
                let end = isn &+ 1 &+ UInt32(bytes)
                lab.awaitSegment("the server's ACK of the whole burst", within: Self.deliveryWindow) {
                    $0.sourcePort == port && $0.flags.contains(.ack) && !SegmentAnalysis.isAfter(end, $0.acknowledgmentNumber)
                }
            }
            lab.flush()
            lab.pause("the server reads")
            server.send("read")
        }
        let read = try lab.awaitObservation("all \(bytes) bytes read by the server", within: Self.deliveryWindow) { observation -> Int? in
            let total = observation.steps(of: "server").filter { $0.call == "recv" }.compactMap(\.returnValue).filter { $0 > 0 }.reduce(0, +)
            return total >= bytes ? total : nil
        }
        if read != nil {
            let facts = LossFacts(lab.log.snapshot, serverPort: port)
            if let end = facts.clientDataEnd {
                lab.awaitSegment("the server's ACK of every byte", within: Self.segmentWindow) {
                    $0.sourcePort == port && $0.flags.contains(.ack) && !SegmentAnalysis.isAfter(end, $0.acknowledgmentNumber)
                }
            }
        }
        lab.flush()
        let facts = LossFacts(lab.log.snapshot, serverPort: port)
        lab.say("")
        for line in facts.summary { lab.say("   " + line) }
        lab.say("")

        lab.pause("the client closes; the server reads the EOF, closes and exits")
        let before = lab.log.snapshot.segments.count
        client.send("close")
        try lab.waitForEnd("client")
        if let fin = lab.awaitSegment("the client's FIN", within: Self.segmentWindow, after: before, { $0.destinationPort == port && $0.flags.contains(.fin) }) {
            lab.awaitSegment("the server's FIN", within: Self.segmentWindow, after: fin.number) { $0.sourcePort == port && $0.flags.contains(.fin) }
        }
        try lab.awaitEnd("server", within: Self.segmentWindow)
        lab.flush()
    }

    /// tail-loss: waits (bounded) for the server's first ACK with SACK blocks, the answer to the
    /// probe, then reads the client socket's tcp_info over sock_diag (as `ss -ti`) and keeps its
    /// rtt and min_rtt: Linux's RACK ignores a SACK of a resent segment that came back faster
    /// than min_rtt (net/ipv4/tcp_recovery.c `tcp_rack_advance`), the `recovered` claim's evidence.
    private func readRoundTripAfterProbe(_ lab: LabRun, port: UInt16) {
        guard let sack = lab.awaitSegment("the server's SACK", within: Self.deliveryWindow, {
            $0.sourcePort == port && $0.options.contains { if case .sack = $0 { true } else { false } }
        }) else { return }
        let client = sack.segment.destinationPort
        do {
            guard let reading = try SockDiag.readRoundTrip(localPort: client, remotePort: port, afterSegment: sack.number) else {
                lab.log.note("lab     ss -ti: no tcp_info for the client's socket :\(client) after #\(sack.number)")
                return
            }
            lab.log.record { $0.senderRoundTrip = reading }
            lab.log.note("lab     ss -ti (sock_diag INET_DIAG_INFO) of the client's socket after #\(sack.number): \(reading.text)", at: reading.time)
        } catch {
            lab.log.note("lab     ss -ti: the client's tcp_info could not be read: \(error.description)")
        }
        lab.flush()
    }
}
