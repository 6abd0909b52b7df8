/// What the tracker remembers about one connection to annotate its next segment.
///
/// State is kept per side (0: the first segment's sender, 1: its receiver) in small value types,
/// not in dictionaries keyed by address: the decoder runs this for every segment of a capture.
struct Connection: Sendable {
    /// One side's sequence state.
    private struct Side: Sendable {
        let endpoint: Endpoint
        /// The endpoint as text, made once per connection.
        let text: String
        /// Wireshark's `base_seq`: relative numbers count from it. The ISN when this side's SYN was
        /// seen; otherwise one less than the first number seen, so the first byte is 1.
        var initialSequence: UInt32?
        /// The base came from this side's SYN (or SYN-ACK), not from a guess mid-connection.
        var synSeen = false
        /// The end (seq + len) of the newest data this side sent, and that data's relative start and length.
        var lastData: (end: UInt32, start: UInt32, length: Int)?
        /// The sequence number this side's FIN used.
        var finSequence: UInt32?
    }

    let index: Int
    private let origin: CaptureOrigin
    private var sides: [Side]
    /// Which side is the client: the one that sent the SYN; without a plain SYN or SYN-ACK
    /// first (`OddSegment.isPlainSYN`: a capture begun mid-connection, or a SYN among odd
    /// flags), the side with the higher (ephemeral-looking) port.
    private let clientSide: Int
    private var analysis = SegmentAnalysis()
    private var synAckSeen = false
    private var handshakeDone = false
    /// What each side's first SYN said about window scaling, once seen: the scaling needs both.
    private var synShifts: (SYNShift?, SYNShift?) = (nil, nil)
    /// The scaling the handshake agreed, worked out once both SYNs are seen.
    private var scaling: WindowScaling?

    init(index: Int, firstSource: Endpoint, firstDestination: Endpoint, segment: TCPSegment, origin: CaptureOrigin) {
        self.index = index
        self.origin = origin
        sides = [Side(endpoint: firstSource, text: firstSource.text), Side(endpoint: firstDestination, text: firstDestination.text)]
        if OddSegment.isPlainSYN(segment.flags) {
            clientSide = segment.flags.contains(.ack) ? 1 : 0
        } else {
            clientSide = firstSource.port >= firstDestination.port ? 0 : 1
        }
    }

    /// The row for `segment`, its option, preview and sequence texts left as the values they
    /// are spelled from (`DescribedSegment`).
    mutating func describe(
        _ segment: TCPSegment, number: Int, source: Endpoint, time: Int64, milliseconds: Double, absolute: Bool
    ) -> DescribedSegment {
        let from = source == sides[0].endpoint ? 0 : 1
        let to = 1 - from
        setBases(segment, from: from, to: to)
        let flags = segment.flags
        let ownBase = absolute ? 0 : sides[from].initialSequence!
        let peerBase = absolute ? 0 : (sides[to].initialSequence ?? 0)
        let relativeSequence = segment.sequenceNumber &- ownBase
        let relativeAck = segment.acknowledgmentNumber &- peerBase
        // The length the IP header gives: a capture cut short by its snapshot length still counts it.
        let length = segment.ipPayloadLength
        let fromClient = from == clientSide
        let who = fromClient ? "client" : "server"

        let labels = analysis.analyze(segment, number: number, side: from, length: length, time: time)
        var annotation = OddSegment.annotation(flags, length: length) ?? annotate(segment, from: from, to: to, who: who)
        if !labels.isEmpty {
            annotation = labels.map { "[\($0)]" }.joined(separator: " ") + (annotation.isEmpty ? "" : " \(annotation)")
        }
        if length > 0 {
            sides[from].lastData = (segment.sequenceNumber &+ UInt32(length), relativeSequence, length)
        }
        if flags.contains(.fin) {
            sides[from].finSequence = segment.sequenceNumber &+ UInt32(length)
        }
        // A SYN among odd flags offers no scaling a TCP would agree to, nor says who initiated.
        if OddSegment.isPlainSYN(flags) { noteSYN(segment, from: from) }
        let row = SegmentRow(
            number: number, time: time, milliseconds: milliseconds, connection: index,
            direction: fromClient ? .clientToServer : .serverToClient,
            source: sides[from].text, destination: sides[to].text, flags: flags.tcpdumpNotation,
            sequence: relativeSequence, acknowledgment: flags.contains(.ack) ? relativeAck : nil,
            length: length, window: segment.window, urgentPointer: flags.contains(.urg) ? segment.urgentPointer : nil, options: [],
            payloadPreview: nil,
            annotation: annotation, sequenceText: "", analysis: labels,
            windowBytes: windowBytes(segment, from: from),
            truncated: segment.ipTruncationText)
        // Every segment's options (padding runs, timestamps, SACK blocks), SACK relative to the
        // peer's ISN like the ack.
        return DescribedSegment(row: row, options: segment.options, sackBase: peerBase, payload: segment.payload)
    }

    /// The row of a segment whose fixed header the capture cut after the ports
    /// (`TCPSegment.fixedHeaderCaptured`): its ports and the cut, as tcpdump prints it; with no
    /// flags or numbers, it changes nothing the connection tracks. Its options are the cut's
    /// `[|tcp]` and its sequence text is empty (`DescribedSegment` writes none for such a row).
    func describeCut(_ segment: TCPSegment, captured: Int, number: Int, source: Endpoint, time: Int64, milliseconds: Double) -> DescribedSegment {
        let from = source == sides[0].endpoint ? 0 : 1
        let row = SegmentRow(
            number: number, time: time, milliseconds: milliseconds, connection: index,
            direction: from == clientSide ? .clientToServer : .serverToClient,
            source: sides[from].text, destination: sides[1 - from].text, flags: "",
            sequence: 0, acknowledgment: nil, length: 0, window: 0, options: [],
            payloadPreview: nil, annotation: "TCP header cut by the capture after \(captured) of its 20 bytes",
            sequenceText: "", headerBytesCaptured: captured)
        return DescribedSegment(row: row, options: [.cut(kind: nil)], sackBase: 0, payload: [])
    }

    /// The window `segment` (sent by side `from`) advertises in bytes, once both SYNs have shown
    /// the scaling; nil without them (a capture begun mid-connection), as the scale is unknown.
    private func windowBytes(_ segment: TCPSegment, from: Int) -> UInt32? {
        if segment.flags.contains(.syn) { return UInt32(segment.window) }
        guard let scaling, let first = synShifts.0 else { return nil }
        // The initiator is the side whose SYN has no ACK flag.
        let initiator = first.withACK ? 1 : 0
        return scaling.bytes(segment, fromInitiator: from == initiator)
    }

    /// What a SYN says about window scaling: its `wscale` shift and whether it carried an ACK
    /// (a SYN-ACK: its sender is the responder).
    private struct SYNShift: Sendable {
        var shift: UInt8?
        var withACK: Bool
    }

    /// Keeps side `from`'s first SYN's scaling, and once both sides' are in, the agreed scaling.
    private mutating func noteSYN(_ segment: TCPSegment, from: Int) {
        let shift = SYNShift(shift: WindowScaling.announcedShift(in: segment), withACK: segment.flags.contains(.ack))
        if from == 0, synShifts.0 == nil { synShifts.0 = shift }
        if from == 1, synShifts.1 == nil { synShifts.1 = shift }
        guard scaling == nil, let first = synShifts.0, let second = synShifts.1 else { return }
        let (initiator, responder) = first.withACK ? (second, first) : (first, second)
        scaling = WindowScaling(initiatorShift: initiator.shift, responderShift: responder.shift)
    }

    /// The base of the relative numbers, as Wireshark's `tcp_analyze_sequence_number` sets it:
    /// a side's SYN gives its ISN; its first other segment gives seq - 1 (so a capture that starts
    /// mid-connection numbers the first byte seen 1, Wireshark's `Seq=1`); an ACK seen before
    /// anything from the peer gives the peer's base as ack - 1.
    private mutating func setBases(_ segment: TCPSegment, from: Int, to: Int) {
        if sides[from].initialSequence == nil {
            let syn = segment.flags.contains(.syn)
            sides[from].initialSequence = syn ? segment.sequenceNumber : segment.sequenceNumber &- 1
            sides[from].synSeen = syn
        }
        if sides[to].initialSequence == nil, segment.flags.contains(.ack) {
            sides[to].initialSequence = segment.acknowledgmentNumber &- 1
        }
    }

    /// The base of the relative numbers of what `endpoint` sends, nil before it is known: the
    /// tracker compares a new SYN's seq with it to tell a retransmission from a reused port.
    func baseSequence(sentBy endpoint: Endpoint) -> UInt32? {
        sides[endpoint == sides[0].endpoint ? 0 : 1].initialSequence
    }

    private mutating func annotate(_ segment: TCPSegment, from: Int, to: Int, who: String) -> String {
        let flags = segment.flags
        let ack = segment.acknowledgmentNumber
        let peerInitial = sides[to].initialSequence ?? 0
        if flags.contains(.rst) {
            if flags.contains(.ack), !synAckSeen, sides[to].synSeen, ack == peerInitial &+ 1,
               sides.allSatisfy({ $0.finSequence == nil && $0.lastData == nil })
            {
                switch origin {
                case .labRun: return "RST-ACK: nobody listens on port \(sides[from].endpoint.port) (connection refused)"
                case .foreign: return "RST-ACK answering the SYN: connection refused"
                }
            }
            if sides[from].finSequence != nil, sides[to].lastData != nil {
                switch origin {
                case .labRun: return "RST: data for a socket nobody holds (\(who) had closed)"
                case .foreign: return "RST after the sender's FIN: the peer's data found no reader"
                }
            }
            switch origin {
            case .labRun: return "RST: \(who)'s kernel resets the connection"
            case .foreign: return "RST: connection reset"
            }
        }
        if flags.contains(.syn) {
            if flags.contains(.ack) {
                synAckSeen = true
                return "SYN-ACK"
            }
            return "SYN"
        }
        if flags.contains(.fin) {
            switch origin {
            case .labRun: return "FIN: \(who) closes its side"
            case .foreign: return "FIN: no more data from the sender"
            }
        }
        if segment.payload.isEmpty, flags.contains(.ack) {
            if !handshakeDone, synAckSeen, ack == peerInitial &+ 1 {
                handshakeDone = true
                return "handshake done"
            }
            if let fin = sides[to].finSequence, ack == fin &+ 1 {
                return "ACK of the FIN"
            }
            if let data = sides[to].lastData, ack == data.end {
                return "ACK = \(data.start) + \(data.length) bytes"
            }
        }
        return ""
    }
}
