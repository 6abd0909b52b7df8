/// What the tracker remembers about one connection to annotate its next segment.
struct Connection: Sendable {
    let index: Int
    /// The side that sent the SYN; without a SYN in the capture, the side with the higher
    /// (ephemeral-looking) port.
    let client: Endpoint
    private var initialSequence: [Endpoint: UInt32] = [:]
    /// The end (seq + len) of the newest data each side sent, and that data's relative start and length.
    private var lastData: [Endpoint: (end: UInt32, start: UInt32, length: Int)] = [:]
    /// The sequence number each side's FIN used.
    private var finSequence: [Endpoint: UInt32] = [:]
    private var analysis = SegmentAnalysis()
    private var synAckSeen = false
    private var handshakeDone = false

    init(index: Int, firstSource: Endpoint, firstDestination: Endpoint, segment: TCPSegment) {
        self.index = index
        if segment.flags.contains(.syn) {
            client = segment.flags.contains(.ack) ? firstDestination : firstSource
        } else {
            client = firstSource.port >= firstDestination.port ? firstSource : firstDestination
        }
    }

    mutating func describe(
        _ segment: TCPSegment, number: Int, source: Endpoint, destination: Endpoint,
        time: Int64, milliseconds: Double, absolute: Bool
    ) -> SegmentRow {
        if initialSequence[source] == nil { initialSequence[source] = segment.sequenceNumber }
        // Mid-connection, an ACK can come before anything from the peer: like Wireshark, take the
        // acknowledged number as the peer's base, so its data that follows starts at 0 too.
        if initialSequence[destination] == nil, segment.flags.contains(.ack) {
            initialSequence[destination] = segment.acknowledgmentNumber
        }
        let flags = segment.flags
        let ownBase = absolute ? 0 : initialSequence[source]!
        let peerBase = absolute ? 0 : (initialSequence[destination] ?? 0)
        let relativeSequence = segment.sequenceNumber &- ownBase
        let relativeAck = segment.acknowledgmentNumber &- peerBase
        // The length the IP header gives: a capture cut short by its snapshot length still counts it.
        let length = segment.ipPayloadLength
        let fromClient = source == client
        let who = fromClient ? "client" : "server"

        let labels = analysis.analyze(segment, number: number, from: source, length: length)
        var annotation = annotate(segment, source: source, destination: destination, who: who)
        if !labels.isEmpty {
            annotation = labels.map { "[\($0)]" }.joined(separator: " ") + (annotation.isEmpty ? "" : " \(annotation)")
        }
        if length > 0 {
            lastData[source] = (segment.sequenceNumber &+ UInt32(length), relativeSequence, length)
        }
        if flags.contains(.fin) {
            finSequence[source] = segment.sequenceNumber &+ UInt32(length)
        }
        let sequenceText = length > 0 ? "\(relativeSequence):\(relativeSequence &+ UInt32(length))" : "\(relativeSequence)"
        let options = flags.contains(.syn) ? segment.options.filter(\.isShown).map(\.tcpdumpText) : []
        return SegmentRow(
            number: number, time: time, milliseconds: milliseconds, connection: index,
            direction: fromClient ? .clientToServer : .serverToClient,
            source: source.text, destination: destination.text, flags: flags.tcpdumpNotation,
            sequence: relativeSequence, acknowledgment: flags.contains(.ack) ? relativeAck : nil,
            length: length, window: segment.window, options: options,
            payloadPreview: segment.payload.isEmpty ? nil : preview(segment.payload),
            annotation: annotation, sequenceText: sequenceText, analysis: labels)
    }

    private mutating func annotate(
        _ segment: TCPSegment, source: Endpoint, destination: Endpoint, who: String
    ) -> String {
        let flags = segment.flags
        let ack = segment.acknowledgmentNumber
        if flags.contains(.rst) {
            if flags.contains(.ack), !synAckSeen, ack == (initialSequence[destination] ?? 0) &+ 1, finSequence.isEmpty,
               lastData.isEmpty
            {
                return "RST-ACK: nobody listens on port \(source.port) (connection refused)"
            }
            if finSequence[source] != nil, lastData[destination] != nil {
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
            if !handshakeDone, synAckSeen, ack == (initialSequence[destination] ?? 0) &+ 1 {
                handshakeDone = true
                return "handshake done"
            }
            if let fin = finSequence[destination], ack == fin &+ 1 {
                return "ACK of the FIN"
            }
            if let data = lastData[destination], ack == data.end {
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
