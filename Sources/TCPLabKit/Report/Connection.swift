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
        var initialSequence: UInt32?
        /// The end (seq + len) of the newest data this side sent, and that data's relative start and length.
        var lastData: (end: UInt32, start: UInt32, length: Int)?
        /// The sequence number this side's FIN used.
        var finSequence: UInt32?
    }

    let index: Int
    private var sides: [Side]
    /// Which side is the client: the one that sent the SYN; without a SYN in the capture, the side
    /// with the higher (ephemeral-looking) port.
    private let clientSide: Int
    private var analysis = SegmentAnalysis()
    private var synAckSeen = false
    private var handshakeDone = false

    init(index: Int, firstSource: Endpoint, firstDestination: Endpoint, segment: TCPSegment) {
        self.index = index
        sides = [Side(endpoint: firstSource, text: firstSource.text), Side(endpoint: firstDestination, text: firstDestination.text)]
        if segment.flags.contains(.syn) {
            clientSide = segment.flags.contains(.ack) ? 1 : 0
        } else {
            clientSide = firstSource.port >= firstDestination.port ? 0 : 1
        }
    }

    mutating func describe(
        _ segment: TCPSegment, number: Int, source: Endpoint, time: Int64, milliseconds: Double, absolute: Bool
    ) -> SegmentRow {
        let from = source == sides[0].endpoint ? 0 : 1
        let to = 1 - from
        if sides[from].initialSequence == nil { sides[from].initialSequence = segment.sequenceNumber }
        // Mid-connection, an ACK can come before anything from the peer: like Wireshark, take the
        // acknowledged number as the peer's base, so its data that follows starts at 0 too.
        if sides[to].initialSequence == nil, segment.flags.contains(.ack) {
            sides[to].initialSequence = segment.acknowledgmentNumber
        }
        let flags = segment.flags
        let ownBase = absolute ? 0 : sides[from].initialSequence!
        let peerBase = absolute ? 0 : (sides[to].initialSequence ?? 0)
        let relativeSequence = segment.sequenceNumber &- ownBase
        let relativeAck = segment.acknowledgmentNumber &- peerBase
        // The length the IP header gives: a capture cut short by its snapshot length still counts it.
        let length = segment.ipPayloadLength
        let fromClient = from == clientSide
        let who = fromClient ? "client" : "server"

        let labels = analysis.analyze(segment, number: number, side: from, length: length)
        var annotation = annotate(segment, from: from, to: to, who: who)
        if !labels.isEmpty {
            annotation = labels.map { "[\($0)]" }.joined(separator: " ") + (annotation.isEmpty ? "" : " \(annotation)")
        }
        if length > 0 {
            sides[from].lastData = (segment.sequenceNumber &+ UInt32(length), relativeSequence, length)
        }
        if flags.contains(.fin) {
            sides[from].finSequence = segment.sequenceNumber &+ UInt32(length)
        }
        let sequenceText = length > 0 ? "\(relativeSequence):\(relativeSequence &+ UInt32(length))" : "\(relativeSequence)"
        // Every segment's options (timestamps, SACK blocks), SACK relative to the peer's ISN like the ack.
        var options: [String] = []
        if !segment.options.isEmpty {
            options.reserveCapacity(segment.options.count)
            for option in segment.options where option.isShown { options.append(option.tcpdumpText(sackBase: peerBase)) }
        }
        return SegmentRow(
            number: number, time: time, milliseconds: milliseconds, connection: index,
            direction: fromClient ? .clientToServer : .serverToClient,
            source: sides[from].text, destination: sides[to].text, flags: flags.tcpdumpNotation,
            sequence: relativeSequence, acknowledgment: flags.contains(.ack) ? relativeAck : nil,
            length: length, window: segment.window, options: options,
            payloadPreview: segment.payload.isEmpty ? nil : preview(segment.payload),
            annotation: annotation, sequenceText: sequenceText, analysis: labels,
            truncated: segment.ipTruncationText)
    }

    private mutating func annotate(_ segment: TCPSegment, from: Int, to: Int, who: String) -> String {
        let flags = segment.flags
        let ack = segment.acknowledgmentNumber
        let peerInitial = sides[to].initialSequence ?? 0
        if flags.contains(.rst) {
            if flags.contains(.ack), !synAckSeen, ack == peerInitial &+ 1,
               sides.allSatisfy({ $0.finSequence == nil && $0.lastData == nil })
            {
                return "RST-ACK: nobody listens on port \(sides[from].endpoint.port) (connection refused)"
            }
            if sides[from].finSequence != nil, sides[to].lastData != nil {
                return "RST: data for a socket nobody holds (\(who) had closed)"
            }
            return "RST: \(who)'s kernel resets the connection"
        }
        if flags.contains(.syn) {
            if flags.contains(.ack) {
                synAckSeen = true
                return "SYN-ACK"
            }
            return "SYN"
        }
        if flags.contains(.fin) {
            return "FIN: \(who) closes its side"
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

    private func preview(_ payload: [UInt8]) -> String {
        let shown = payload.prefix(24)
        var text = quoted(String(decoding: shown.map { (0x20...0x7e).contains($0) || $0 == 0x0a ? $0 : UInt8(ascii: ".") }, as: UTF8.self))
        if payload.count > shown.count { text += "…" }
        return text
    }
}

extension TCPOption {
    /// Padding options say nothing to a student; the timeline leaves them out.
    var isShown: Bool {
        switch self {
        case .noOperation, .endOfOptions: return false
        default: return true
        }
    }
}
