/// What the capture and the roles say about the keystroke session: the client's writes and data
/// segments, what was unacknowledged when each segment left, and how the ACKs travelled.
/// Shared by the run's waits and the claims.
struct NagleFacts {
    let observation: Observation
    let serverPort: UInt16

    init(_ observation: Observation, serverPort: UInt16) {
        self.observation = observation
        self.serverPort = serverPort
    }

    private func fromClient(_ s: CapturedSegment) -> Bool { s.segment.destinationPort == serverPort }
    private func fromServer(_ s: CapturedSegment) -> Bool { s.segment.sourcePort == serverPort }

    /// The client's one-byte send() calls.
    var writes: [RoleStep] { observation.steps(of: "client").filter { $0.call == "send" } }

    /// Segments from the client that carry data, in capture order.
    var clientData: [CapturedSegment] { observation.segments.filter { fromClient($0) && $0.segment.ipPayloadLength > 0 } }

    /// `N data segments from SENDER (bytes: 1 + 3 + 2)`: the line the scenario and its check print
    /// once the keystrokes are echoed.
    func clientDataLine(from sender: String) -> String {
        let data = clientData
        return "\(data.count) data segments from \(sender) (bytes: \(data.map { String($0.segment.ipPayloadLength) }.joined(separator: " + ")))"
    }

    /// Segments from the server that carry data (the echo), in capture order.
    var serverData: [CapturedSegment] { observation.segments.filter { fromServer($0) && $0.segment.ipPayloadLength > 0 } }

    /// The absolute sequence number just past the last echoed byte.
    var serverDataEnd: UInt32? {
        serverData.last.map { $0.segment.sequenceNumber &+ UInt32($0.segment.ipPayloadLength) }
    }

    /// The client data segments that were still unacknowledged, in the capture, when `segment`
    /// was captured. Capture order is safe here: on loopback an ACK is captured as it is sent,
    /// before the client's kernel can act on it.
    func unacknowledged(before segment: CapturedSegment) -> [CapturedSegment] {
        let acked = observation.segments.last { fromServer($0) && $0.number < segment.number && $0.segment.flags.contains(.ack) }?
            .segment.acknowledgmentNumber
        return clientData.filter { earlier in
            guard earlier.number < segment.number else { return false }
            let end = earlier.segment.sequenceNumber &+ UInt32(earlier.segment.ipPayloadLength)
            guard let acked else { return true }
            return SegmentAnalysis.isAfter(end, acked)
        }
    }

    /// The absolute sequence number just past the client's last keystroke byte.
    var clientDataEnd: UInt32? {
        clientData.last.map { $0.segment.sequenceNumber &+ UInt32($0.segment.ipPayloadLength) }
    }

    /// The server's segments that acknowledged new keystroke bytes: pure ACKs and ACKs riding on
    /// echo data. An ACK of anything past the last keystroke (the client's FIN at teardown takes
    /// one sequence number) counts only for the keystroke bytes it newly covers, if any.
    var serverAcks: (pure: [CapturedSegment], piggybacked: [CapturedSegment]) {
        guard let firstData = clientData.first, let dataEnd = clientDataEnd else { return ([], []) }
        var last = firstData.segment.sequenceNumber
        var pure: [CapturedSegment] = [], piggybacked: [CapturedSegment] = []
        for segment in observation.segments where fromServer(segment) && segment.segment.flags.contains(.ack) {
            let ack = segment.segment.acknowledgmentNumber
            let covered = SegmentAnalysis.isAfter(ack, dataEnd) ? dataEnd : ack
            guard SegmentAnalysis.isAfter(covered, last) else { continue }
            last = covered
            if segment.segment.ipPayloadLength > 0 { piggybacked.append(segment) } else { pure.append(segment) }
        }
        return (pure, piggybacked)
    }

    /// How many client data segments `ack` (a server segment) acknowledged for the first time.
    func segmentsAcknowledged(by ack: CapturedSegment) -> Int {
        let before = observation.segments.last { fromServer($0) && $0.number < ack.number && $0.segment.flags.contains(.ack) }?
            .segment.acknowledgmentNumber
        return clientData.filter { data in
            let end = data.segment.sequenceNumber &+ UInt32(data.segment.ipPayloadLength)
            let coveredNow = !SegmentAnalysis.isAfter(end, ack.segment.acknowledgmentNumber)
            let coveredBefore = before.map { !SegmentAnalysis.isAfter(end, $0) } ?? false
            return data.number < ack.number && coveredNow && !coveredBefore
        }.count
    }

    /// The client's first segment acknowledging the whole echo, and how long after the last echo segment it came.
    var clientFinalAck: (segment: CapturedSegment, milliseconds: Double)? {
        guard let end = serverDataEnd, let last = serverData.last,
              let ack = observation.segments.first(where: {
                  fromClient($0) && $0.number > last.number && $0.segment.flags.contains(.ack)
                      && !SegmentAnalysis.isAfter(end, $0.segment.acknowledgmentNumber)
              })
        else { return nil }
        return (ack, Double(ack.time - last.time) / 1000)
    }
}
