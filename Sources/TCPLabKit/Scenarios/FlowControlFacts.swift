import Foundation

/// What the capture, the roles and /proc say about the flow-control run: the server's windows in
/// bytes, the zero window, the client's probes, the window update and the data. Shared by the
/// run's waits and the claims.
struct FlowControlFacts {
    let observation: Observation
    let serverPort: UInt16

    init(_ observation: Observation, serverPort: UInt16) {
        self.observation = observation
        self.serverPort = serverPort
    }

    func fromClient(_ s: CapturedSegment) -> Bool { s.segment.destinationPort == serverPort }
    func fromServer(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == serverPort }

    /// The client's SYN and the server's SYN-ACK.
    var syn: CapturedSegment? { observation.segments.first { fromClient($0) && $0.segment.flags == .syn } }
    var synAck: CapturedSegment? { observation.segments.first { fromServer($0) && $0.segment.flags == [.syn, .ack] } }

    /// The scaling the handshake agreed; nil without both SYNs in the capture.
    var scaling: WindowScaling? {
        guard let syn, let synAck else { return nil }
        return WindowScaling(syn: syn.segment, synAck: synAck.segment)
    }

    /// The window `segment` advertises in bytes (the raw field when the handshake is missing).
    func windowBytes(_ segment: CapturedSegment) -> UInt32 {
        scaling?.bytes(segment.segment, fromInitiator: fromClient(segment)) ?? UInt32(segment.segment.window)
    }

    /// The client's first data byte's sequence number (its ISN + 1).
    var clientStart: UInt32? { syn.map { $0.segment.sequenceNumber &+ 1 } }

    /// Segments from the client that carry data.
    var clientData: [CapturedSegment] { observation.segments.filter { fromClient($0) && $0.segment.ipPayloadLength > 0 } }

    /// The server's segments that acknowledge something, SYN-ACK included, in order.
    var serverAcks: [CapturedSegment] {
        observation.segments.filter { fromServer($0) && $0.segment.flags.contains(.ack) && !$0.segment.flags.contains(.rst) }
    }

    /// The server's first segment advertising a zero window.
    var zeroWindow: CapturedSegment? {
        serverAcks.first { $0.segment.window == 0 && !$0.segment.flags.contains(.syn) }
    }

    /// The server's first segment after the zero window that opens it again: no data, the same
    /// acknowledgment number, a window above 0 (Wireshark's `[TCP Window Update]`).
    var windowUpdate: CapturedSegment? {
        guard let zero = zeroWindow else { return nil }
        return serverAcks.first {
            $0.number > zero.number && $0.segment.window > 0 && $0.segment.ipPayloadLength == 0
                && $0.segment.acknowledgmentNumber == zero.segment.acknowledgmentNumber
        }
    }

    /// The client's probes (no data, seq = snd_nxt − 1) after the zero window and before the
    /// window update (or the end of the capture).
    var probesWhileClosed: [CapturedSegment] {
        guard let zero = zeroWindow else { return [] }
        let end = windowUpdate?.number ?? Int.max
        return ProbeSegments.probes(in: observation.segments, sentBy: { $0.destinationPort == serverPort })
            .filter { $0.number > zero.number && $0.number < end }
    }

    /// Bytes of client data the capture shows, from its first byte to the end of the furthest segment.
    var bytesSent: Int {
        guard let start = clientStart,
              let end = clientData.map({ $0.segment.sequenceNumber &+ UInt32($0.segment.ipPayloadLength) })
                .max(by: { SegmentAnalysis.isAfter($1, $0) })
        else { return 0 }
        return Int(end &- start)
    }

    /// Bytes of client data the server had acknowledged by `time` (by the capture).
    func acknowledged(by time: Int64) -> Int {
        guard let start = clientStart,
              let ack = serverAcks.last(where: { $0.time <= time && !$0.segment.flags.contains(.syn) })?.segment.acknowledgmentNumber
        else { return 0 }
        return SegmentAnalysis.isAfter(ack, start) ? Int(ack &- start) : 0
    }

    /// The server's recv() of the whole transfer.
    var read: RoleStep? { observation.steps(of: "server").first { $0.call == "recv" } }

    /// The client's send() calls, in order.
    var sends: [RoleStep] { observation.steps(of: "client").filter { $0.call == "send" } }

    /// The client's poll() calls, in order.
    var polls: [RoleStep] { observation.steps(of: "client").filter { $0.call == "poll" } }

    /// `t 45.2 ms` relative to the first segment: times in claim texts read like the timeline's.
    func at(_ time: Int64) -> String {
        let start = observation.segments.first?.time ?? time
        return "t \(String(format: "%.1f", Double(time - start) / 1000)) ms"
    }

    /// The rows of the table recorded at `moment` that are the connection's two sides.
    func sides(at moment: FlowControl.Moment) -> (client: SocketEntry?, server: SocketEntry?)? {
        guard let snapshot = observation.sockets(at: moment) else { return nil }
        let rows = zip(snapshot.table.entries, snapshot.labels).filter { $0.0.state != .listen }
        return (rows.first { $0.1 == "client" }?.0, rows.first { $0.1 == "server" }?.0)
    }
}
